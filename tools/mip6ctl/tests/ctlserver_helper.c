/*
 * ctlserver_helper - a fake daemon control socket for mip6ctl's tests.
 *
 *   ctlserver_helper SOCKET ANSWER LOG [COUNT]
 *
 * Listens on SOCKET (ctl_listen), then serves COUNT connections (default
 * 1), one request each: appends the request line to LOG, answers with the
 * bytes of the file ANSWER (an empty file: close without an answer), and
 * exits 0.  LOG.ready is created once the socket accepts connections.  A
 * watchdog ends it after 30 s so a failed test never hangs.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "stack/lib/ctl.h"

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) < 0 || (buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(1);
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void
log_line(const char *path, const char *line)
{
	FILE *f = fopen(path, "a");

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	fprintf(f, "%s\n", line);
	fclose(f);
}

static int
accept_one(int lfd)
{
	struct pollfd pfd = { .fd = lfd, .events = POLLIN };
	int fd;

	for (;;) {
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			return -1;
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0 || (errno != EAGAIN && errno != EINTR))
			return fd;
	}
}

int
main(int argc, char **argv)
{
	char req[CTL_REQ_MAX + 1], ready[4096];
	size_t alen;
	char *answer;
	int lfd, fd, i, count;
	FILE *f;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: ctlserver_helper SOCKET ANSWER LOG "
		    "[COUNT]\n");
		return 64;
	}
	count = argc == 5 ? atoi(argv[4]) : 1;
	answer = slurp(argv[2], &alen);
	alarm(30);
	lfd = ctl_listen(argv[1]);
	if (lfd < 0) {
		perror(argv[1]);
		return 1;
	}
	snprintf(ready, sizeof(ready), "%s.ready", argv[3]);
	if ((f = fopen(ready, "w")) == NULL) {
		perror(ready);
		return 1;
	}
	fclose(f);
	for (i = 0; i < count; i++) {
		fd = accept_one(lfd);
		if (fd < 0) {
			perror("accept");
			return 1;
		}
		if (ctl_read_request(fd, req, sizeof(req), 5000) < 0) {
			snprintf(req, sizeof(req), "ERROR %s", strerror(errno));
			log_line(argv[3], req);
			close(fd);
			continue;
		}
		log_line(argv[3], req);
		ctl_write_reply(fd, answer, alen);
	}
	free(answer);
	close(lfd);
	unlink(argv[1]);
	return 0;
}
