/*
 * stack/lib/ctl.c - the control socket protocol (ctl.h): a Unix stream
 * socket, one request line in, one JSON answer out, then close.
 *
 * Every wait is a poll(2) against one deadline, so a stuck peer costs at
 * most the timeout; reads and writes are looped (partial transfers, EINTR,
 * EAGAIN on non-blocking sockets).  Writes use MSG_NOSIGNAL: a client that
 * went away is an error, not a SIGPIPE.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "stack/lib/ctl.h"

#define CTL_WRITE_TIMEOUT_MS	5000	/* a client must read its answer */
#define CTL_BACKLOG		16

/* ------------------------------------------------------------ deadlines */

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* timeout_ms < 0: no deadline. */
static int64_t
deadline_of(int timeout_ms)
{
	return timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
}

/*
 * Wait for `events` on fd until the deadline: 1 ready, 0 timed out (errno
 * ETIMEDOUT), -1 error.
 */
static int
wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int64_t left;
	int r;

	for (;;) {
		left = deadline < 0 ? -1 : deadline - now_ms();
		if (deadline >= 0 && left < 0)
			left = 0;
		r = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (r > 0)
			return 1;
		if (r == 0) {
			errno = ETIMEDOUT;
			return 0;
		}
		if (errno != EINTR)
			return -1;
	}
}

/* Read what is there (at most cap bytes): >0 bytes, 0 EOF, -1 error. */
static ssize_t
read_some(int fd, void *buf, size_t cap, int64_t deadline)
{
	ssize_t n;

	for (;;) {
		if (wait_fd(fd, POLLIN, deadline) <= 0)
			return -1;
		n = read(fd, buf, cap);
		if (n >= 0)
			return n;
		if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
	}
}

static int
write_all(int fd, const char *p, size_t len, int64_t deadline)
{
	ssize_t n;

	while (len > 0) {
		if (wait_fd(fd, POLLOUT, deadline) <= 0)
			return -1;
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN ||
			    errno == EWOULDBLOCK)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* ------------------------------------------------------------ server */

static int
sun_of(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun->sun_path, path, strlen(path) + 1);
	return 0;
}

/* mkdir -p of the folder holding path, each new level 0755. */
static int
make_parent(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char *p, c;

	snprintf(dir, sizeof(dir), "%s", path);
	p = strrchr(dir, '/');
	if (p == NULL || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = c;
		if (c == '\0')
			return 0;
	}
}

/*
 * A socket file left by an earlier run is removed; a live one (something
 * accepts connections on it) is EADDRINUSE; anything that is not a socket
 * is EEXIST (never delete a file we did not make).
 */
static int
clear_old(const struct sockaddr_un *sun, int type)
{
	struct stat st;
	int fd, r;

	if (lstat(sun->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		errno = EEXIST;
		return -1;
	}
	/* the probe must be of the listener's type to be accepted */
	fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	r = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (r == 0) {
		errno = EADDRINUSE;
		return -1;
	}
	if (unlink(sun->sun_path) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

int
ctl_listen(const char *path)
{
	return ctl_listen_type(path, SOCK_STREAM);
}

int
ctl_listen_type(const char *path, int type)
{
	struct sockaddr_un sun;
	mode_t old_umask;
	int fd, r, e;

	if (sun_of(path, &sun) < 0 || make_parent(path) < 0 ||
	    clear_old(&sun, type) < 0)
		return -1;
	fd = socket(AF_UNIX, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	/* Never a moment with a wider mode than 0600. */
	old_umask = umask(0177);
	r = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old_umask);
	if (r < 0 || chmod(path, 0600) < 0 || listen(fd, CTL_BACKLOG) < 0) {
		e = errno;
		if (r == 0)
			unlink(path);
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int
ctl_read_request(int fd, char *buf, size_t cap, int timeout_ms)
{
	int64_t deadline = deadline_of(timeout_ms);
	size_t len = 0, max;
	ssize_t n;
	char *nl;

	if (cap == 0) {
		errno = EINVAL;
		return -1;
	}
	max = cap - 1 < CTL_REQ_MAX ? cap - 1 : CTL_REQ_MAX;
	for (;;) {
		/* Room for the longest line and its newline, no more. */
		n = read_some(fd, buf + len, max + 1 - len, deadline);
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = ECONNRESET;	/* closed before the newline */
			return -1;
		}
		nl = memchr(buf + len, '\n', (size_t)n);
		len += (size_t)n;
		if (nl != NULL) {
			len = (size_t)(nl - buf);
			break;
		}
		if (len > max) {
			errno = EMSGSIZE;
			return -1;
		}
	}
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	if (strlen(buf) != len) {
		errno = EINVAL;			/* a NUL inside the line */
		return -1;
	}
	return 0;
}

int
ctl_write_reply(int fd, const char *json, size_t len)
{
	int r, e;

	r = write_all(fd, json, len, deadline_of(CTL_WRITE_TIMEOUT_MS));
	e = errno;
	close(fd);
	errno = e;
	return r;
}

/* ------------------------------------------------------------ client */

static int
connect_by(int fd, const struct sockaddr_un *sun, int64_t deadline)
{
	socklen_t sl = sizeof(int);
	int soerr = 0;

	for (;;) {
		if (connect(fd, (const struct sockaddr *)sun,
		    sizeof(*sun)) == 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno == EINPROGRESS)
			break;
		if (errno != EAGAIN)
			return -1;
		/* The backlog is full: try again until the deadline. */
		if (deadline >= 0 && now_ms() >= deadline) {
			errno = ETIMEDOUT;
			return -1;
		}
		usleep(10000);
	}
	if (wait_fd(fd, POLLOUT, deadline) <= 0)
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
		return -1;
	if (soerr != 0) {
		errno = soerr;
		return -1;
	}
	return 0;
}

static char *
read_answer(int fd, const char *path, int64_t deadline, char *err,
    size_t errlen)
{
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	ssize_t n;

	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			if (cap > CTL_REP_MAX + 1)
				cap = CTL_REP_MAX + 1;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				snprintf(err, errlen, "%s: %s", path,
				    strerror(errno));
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		n = read_some(fd, buf + len, cap - 1 - len, deadline);
		if (n < 0) {
			snprintf(err, errlen, "%s: %s", path,
			    errno == ETIMEDOUT ? "timed out waiting for the "
			    "answer" : strerror(errno));
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len >= CTL_REP_MAX) {
			snprintf(err, errlen, "%s: answer larger than %u "
			    "bytes", path, CTL_REP_MAX);
			free(buf);
			return NULL;
		}
	}
	if (len == 0) {
		snprintf(err, errlen, "%s: closed without an answer", path);
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

int
ctl_exchange(const char *path, const char *request, int timeout_ms,
    char **answer, char *err, size_t errlen)
{
	int64_t deadline = deadline_of(timeout_ms);
	struct sockaddr_un sun;
	size_t rlen = strlen(request);
	char line[CTL_REQ_MAX + 1];
	int fd;

	*answer = NULL;
	if (rlen > CTL_REQ_MAX || memchr(request, '\n', rlen) != NULL) {
		snprintf(err, errlen, "request longer than %d bytes or more "
		    "than one line", CTL_REQ_MAX);
		return CTL_EREQUEST;
	}
	if (sun_of(path, &sun) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return CTL_ECONNECT;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return CTL_EIO;
	}
	if (connect_by(fd, &sun, deadline) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return CTL_ECONNECT;
	}
	memcpy(line, request, rlen);
	line[rlen] = '\n';
	if (write_all(fd, line, rlen + 1, deadline) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return CTL_EIO;
	}
	*answer = read_answer(fd, path, deadline, err, errlen);
	close(fd);
	return *answer != NULL ? 0 : CTL_EIO;
}

char *
ctl_call(const char *path, const char *request, int timeout_ms, char *err,
    size_t errlen)
{
	char *answer;

	ctl_exchange(path, request, timeout_ms, &answer, err, errlen);
	return answer;
}
