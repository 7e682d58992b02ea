/*
 * ctl_test.c - the control socket protocol (ctl.c): a request and its
 * answer over a real socket, the socket's mode and folder, stale and live
 * socket files, request lines cut into pieces, too long, cut short, with
 * a NUL or CRLF, timeouts on both sides (with tolerances), answers larger
 * than a socket buffer and larger than CTL_REP_MAX, no daemon.
 */
#include <atf-c.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stack/lib/ctl.h"

static long
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static int
accept_blocking(int lfd)
{
	struct pollfd pfd = { .fd = lfd, .events = POLLIN };

	if (poll(&pfd, 1, 10000) != 1)
		return -1;
	return accept(lfd, NULL, NULL);
}

/*
 * A server in a child process: serves one connection, answering `len`
 * bytes of `answer`, or, when answer is NULL, {"got":"REQUEST"}.  Exit
 * status 0 when it read a request, 1 when not, 2 when the write failed.
 */
static pid_t
serve_one(int lfd, const char *answer, size_t len)
{
	char req[CTL_REQ_MAX + 1], echo[CTL_REQ_MAX + 16];
	pid_t pid = fork();
	int fd;

	ATF_REQUIRE(pid >= 0);
	if (pid > 0)
		return pid;
	alarm(20);
	fd = accept_blocking(lfd);
	if (fd < 0 || ctl_read_request(fd, req, sizeof(req), 5000) < 0)
		_exit(1);
	if (answer == NULL) {
		snprintf(echo, sizeof(echo), "{\"got\":\"%s\"}", req);
		answer = echo;
		len = strlen(echo);
	}
	_exit(ctl_write_reply(fd, answer, len) < 0 ? 2 : 0);
}

static int
child_status(pid_t pid)
{
	int st;

	ATF_REQUIRE(waitpid(pid, &st, 0) == pid);
	ATF_REQUIRE(WIFEXITED(st));
	return WEXITSTATUS(st);
}

ATF_TC_WITHOUT_HEAD(request_and_answer);
ATF_TC_BODY(request_and_answer, tc)
{
	char err[256], *ans;
	struct stat st;
	int lfd;
	pid_t pid;

	lfd = ctl_listen("run/mip6kit/had.sock");
	ATF_REQUIRE_MSG(lfd >= 0, "ctl_listen: %s", strerror(errno));
	/* Mode 0600, folders made 0755, non-blocking, close-on-exec. */
	ATF_REQUIRE(lstat("run/mip6kit/had.sock", &st) == 0);
	ATF_CHECK(S_ISSOCK(st.st_mode));
	ATF_CHECK_EQ(st.st_mode & 07777, 0600);
	ATF_REQUIRE(stat("run", &st) == 0);
	ATF_CHECK_EQ(st.st_mode & 07777, 0755);
	ATF_REQUIRE(stat("run/mip6kit", &st) == 0);
	ATF_CHECK_EQ(st.st_mode & 07777, 0755);
	ATF_CHECK(fcntl(lfd, F_GETFL) & O_NONBLOCK);
	ATF_CHECK(fcntl(lfd, F_GETFD) & FD_CLOEXEC);

	pid = serve_one(lfd, NULL, 0);
	ans = ctl_call("run/mip6kit/had.sock", "bindings delete 2001:db8::1",
	    5000, err, sizeof(err));
	ATF_REQUIRE_MSG(ans != NULL, "%s", err);
	ATF_CHECK_STREQ(ans, "{\"got\":\"bindings delete 2001:db8::1\"}");
	free(ans);
	ATF_CHECK_EQ(child_status(pid), 0);
	close(lfd);
}

/* A socket file bound by a process that is gone. */
static void
make_stale(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	ATF_REQUIRE(bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	close(fd);
}

ATF_TC_WITHOUT_HEAD(old_socket_files);
ATF_TC_BODY(old_socket_files, tc)
{
	struct stat st;
	int lfd, fd;
	FILE *f;

	make_stale("stale.sock");
	lfd = ctl_listen("stale.sock");
	ATF_REQUIRE_MSG(lfd >= 0, "stale socket not replaced: %s",
	    strerror(errno));
	/* While it is served, a second daemon may not take it. */
	errno = 0;
	ATF_CHECK_EQ(ctl_listen("stale.sock"), -1);
	ATF_CHECK_EQ(errno, EADDRINUSE);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	close(fd);
	close(lfd);
	/* A file that is not a socket is left alone. */
	f = fopen("plain", "w");
	ATF_REQUIRE(f != NULL);
	fputs("keep me\n", f);
	fclose(f);
	errno = 0;
	ATF_CHECK_EQ(ctl_listen("plain"), -1);
	ATF_CHECK_EQ(errno, EEXIST);
	ATF_REQUIRE(stat("plain", &st) == 0);
	ATF_CHECK_EQ(st.st_size, 8);
	/* A path longer than sun_path. */
	errno = 0;
	ATF_CHECK_EQ(ctl_listen("/tmp/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    ".sock"), -1);
	ATF_CHECK_EQ(errno, ENAMETOOLONG);
}

/* ctl_read_request on one end of a socketpair after `input` was written
   (and the writer closed when close_after). */
static int
read_from(const char *input, size_t len, bool close_after, char *buf,
    size_t cap, int timeout_ms)
{
	int sv[2], r;

	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	ATF_REQUIRE(write(sv[1], input, len) == (ssize_t)len);
	if (close_after)
		close(sv[1]);
	r = ctl_read_request(sv[0], buf, cap, timeout_ms);
	close(sv[0]);
	if (!close_after)
		close(sv[1]);
	return r;
}

ATF_TC_WITHOUT_HEAD(request_lines);
ATF_TC_BODY(request_lines, tc)
{
	char buf[CTL_REQ_MAX + 1], line[CTL_REQ_MAX + 2];

	ATF_CHECK_EQ(read_from("counters\r\n", 10, false, buf, sizeof(buf),
	    1000), 0);
	ATF_CHECK_STREQ(buf, "counters");
	/* What follows the newline is not part of the request. */
	ATF_CHECK_EQ(read_from("reset\nmore\n", 11, false, buf, sizeof(buf),
	    1000), 0);
	ATF_CHECK_STREQ(buf, "reset");
	ATF_CHECK_EQ(read_from("\n", 1, false, buf, sizeof(buf), 1000), 0);
	ATF_CHECK_STREQ(buf, "");
	/* Cut short: the peer closed before the newline. */
	errno = 0;
	ATF_CHECK_EQ(read_from("stat", 4, true, buf, sizeof(buf), 1000), -1);
	ATF_CHECK_EQ(errno, ECONNRESET);
	errno = 0;
	ATF_CHECK_EQ(read_from("a\0b\n", 4, false, buf, sizeof(buf), 1000),
	    -1);
	ATF_CHECK_EQ(errno, EINVAL);
	/* CTL_REQ_MAX bytes are fine, one more is not. */
	memset(line, 'x', sizeof(line));
	line[CTL_REQ_MAX] = '\n';
	ATF_CHECK_EQ(read_from(line, CTL_REQ_MAX + 1, false, buf,
	    sizeof(buf), 1000), 0);
	ATF_CHECK_EQ(strlen(buf), CTL_REQ_MAX);
	line[CTL_REQ_MAX] = 'x';
	line[CTL_REQ_MAX + 1] = '\n';
	errno = 0;
	ATF_CHECK_EQ(read_from(line, CTL_REQ_MAX + 2, false, buf,
	    sizeof(buf), 1000), -1);
	ATF_CHECK_EQ(errno, EMSGSIZE);
	/* A small buffer bounds the line too. */
	errno = 0;
	ATF_CHECK_EQ(read_from("0123456789\n", 11, false, buf, 10, 1000), -1);
	ATF_CHECK_EQ(errno, EMSGSIZE);
	ATF_CHECK_EQ(read_from("012345678\n", 10, false, buf, 10, 1000), 0);
	ATF_CHECK_STREQ(buf, "012345678");
}

ATF_TC_WITHOUT_HEAD(request_in_pieces);
ATF_TC_BODY(request_in_pieces, tc)
{
	static const char *const piece[] = { "bind", "ings del", "ete ::1",
	    "\n" };
	char buf[CTL_REQ_MAX + 1];
	int sv[2];
	size_t i;
	pid_t pid;

	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	pid = fork();
	ATF_REQUIRE(pid >= 0);
	if (pid == 0) {
		close(sv[0]);
		for (i = 0; i < 4; i++) {
			usleep(30000);
			if (write(sv[1], piece[i], strlen(piece[i])) < 0)
				_exit(1);
		}
		_exit(0);
	}
	close(sv[1]);
	ATF_CHECK_EQ(ctl_read_request(sv[0], buf, sizeof(buf), 5000), 0);
	ATF_CHECK_STREQ(buf, "bindings delete ::1");
	ATF_CHECK_EQ(child_status(pid), 0);
	close(sv[0]);
}

ATF_TC_WITHOUT_HEAD(read_timeout);
ATF_TC_BODY(read_timeout, tc)
{
	char buf[64];
	struct timespec t0;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	errno = 0;
	ATF_CHECK_EQ(read_from("status", 6, false, buf, sizeof(buf), 200), -1);
	ms = ms_since(&t0);
	ATF_CHECK_EQ(errno, ETIMEDOUT);
	/* 200 ms, with room for a loaded machine. */
	ATF_CHECK_MSG(ms >= 190 && ms < 1500, "timed out after %ld ms", ms);
}

ATF_TC_WITHOUT_HEAD(client_timeout);
ATF_TC_BODY(client_timeout, tc)
{
	char err[256];
	char *ans = (char *)1;
	struct timespec t0;
	long ms;
	int lfd, r;

	/* Listening, never accepting: the connection and request succeed
	   (backlog), the answer never comes. */
	lfd = ctl_listen("mute.sock");
	ATF_REQUIRE(lfd >= 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = ctl_exchange("mute.sock", "status", 300, &ans, err, sizeof(err));
	ms = ms_since(&t0);
	ATF_CHECK_EQ(r, CTL_EIO);
	ATF_CHECK(ans == NULL);
	ATF_CHECK_STREQ(err, "mute.sock: timed out waiting for the answer");
	ATF_CHECK_MSG(ms >= 290 && ms < 2000, "gave up after %ld ms", ms);
	close(lfd);
}

ATF_TC_WITHOUT_HEAD(client_errors);
ATF_TC_BODY(client_errors, tc)
{
	char err[256], req[CTL_REQ_MAX + 2];
	char *ans;

	ATF_CHECK_EQ(ctl_exchange("none/had.sock", "status", 1000, &ans, err,
	    sizeof(err)), CTL_ECONNECT);
	ATF_CHECK_STREQ(err, "none/had.sock: No such file or directory");
	make_stale("dead.sock");
	ATF_CHECK(ctl_call("dead.sock", "status", 1000, err, sizeof(err)) ==
	    NULL);
	ATF_CHECK_STREQ(err, "dead.sock: Connection refused");
	memset(req, 'x', CTL_REQ_MAX + 1);
	req[CTL_REQ_MAX + 1] = '\0';
	ATF_CHECK_EQ(ctl_exchange("dead.sock", req, 1000, &ans, err,
	    sizeof(err)), CTL_EREQUEST);
	ATF_CHECK_EQ(ctl_exchange("dead.sock", "two\nlines", 1000, &ans, err,
	    sizeof(err)), CTL_EREQUEST);
	ATF_CHECK(ans == NULL);
}

/* An answer of n bytes: a JSON string of a repeating pattern. */
static char *
big_answer(size_t n)
{
	char *a = malloc(n);
	size_t i;

	ATF_REQUIRE(a != NULL);
	for (i = 0; i < n; i++)
		a[i] = (char)('a' + i % 23);
	a[0] = '"';
	a[n - 1] = '"';
	return a;
}

ATF_TC_WITHOUT_HEAD(large_answer);
ATF_TC_BODY(large_answer, tc)
{
	size_t n = 3u << 20;	/* far beyond a socket or pipe buffer */
	char err[256], *want = big_answer(n), *ans;
	int lfd = ctl_listen("big.sock");
	pid_t pid;

	ATF_REQUIRE(lfd >= 0);
	pid = serve_one(lfd, want, n);
	ans = ctl_call("big.sock", "bindings", 10000, err, sizeof(err));
	ATF_REQUIRE_MSG(ans != NULL, "%s", err);
	ATF_CHECK_EQ(strlen(ans), n);
	ATF_CHECK(memcmp(ans, want, n) == 0);
	ATF_CHECK_EQ(child_status(pid), 0);
	free(ans);
	free(want);
	close(lfd);
}

ATF_TC_WITHOUT_HEAD(answer_too_large);
ATF_TC_BODY(answer_too_large, tc)
{
	size_t n = CTL_REP_MAX + (4u << 20);	/* more than any buffer */
	char err[256], *big = big_answer(n), *ans;
	int lfd = ctl_listen("huge.sock");
	pid_t pid;

	ATF_REQUIRE(lfd >= 0);
	pid = serve_one(lfd, big, n);
	ATF_CHECK_EQ(ctl_exchange("huge.sock", "bindings", 10000, &ans, err,
	    sizeof(err)), CTL_EIO);
	ATF_CHECK(ans == NULL);
	ATF_CHECK_STREQ(err, "huge.sock: answer larger than 16777216 bytes");
	/* The server's write fails (EPIPE), it is not killed by SIGPIPE. */
	ATF_CHECK_EQ(child_status(pid), 2);
	free(big);
	close(lfd);
}

ATF_TC_WITHOUT_HEAD(reply_to_gone_client);
ATF_TC_BODY(reply_to_gone_client, tc)
{
	int sv[2];

	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	close(sv[1]);
	errno = 0;
	ATF_CHECK_EQ(ctl_write_reply(sv[0], "{}", 2), -1);
	ATF_CHECK_EQ(errno, EPIPE);
	/* fd is closed either way. */
	ATF_CHECK_EQ(fcntl(sv[0], F_GETFD), -1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, request_and_answer);
	ATF_TP_ADD_TC(tp, old_socket_files);
	ATF_TP_ADD_TC(tp, request_lines);
	ATF_TP_ADD_TC(tp, request_in_pieces);
	ATF_TP_ADD_TC(tp, read_timeout);
	ATF_TP_ADD_TC(tp, client_timeout);
	ATF_TP_ADD_TC(tp, client_errors);
	ATF_TP_ADD_TC(tp, large_answer);
	ATF_TP_ADD_TC(tp, answer_too_large);
	ATF_TP_ADD_TC(tp, reply_to_gone_client);
	return atf_no_error();
}
