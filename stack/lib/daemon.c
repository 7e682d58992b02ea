/*
 * stack/lib/daemon.c - see daemon.h.
 */
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stack/lib/daemon.h"
#include "stack/lib/log.h"

int
daemon_start(const char *prog)
{
	int pfd[2];
	pid_t pid;
	char c;

	if (pipe(pfd) < 0) {
		fprintf(stderr, "%s: pipe: %s\n", prog, strerror(errno));
		exit(1);
	}
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "%s: fork: %s\n", prog, strerror(errno));
		exit(1);
	}
	if (pid > 0) {
		close(pfd[1]);
		/* The child writes one byte when ready, or exits. */
		exit(read(pfd[0], &c, 1) == 1 ? 0 : 1);
	}
	close(pfd[0]);
	setsid();
	return pfd[1];
}

void
daemon_ready(int ready_fd)
{
	int fd;

	if (ready_fd < 0)
		return;
	/* Keep 0-2 on /dev/null so no socket ever lands there. */
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	(void)write(ready_fd, "r", 1);
	close(ready_fd);
}

void
daemon_pidfile_path(const char *control, char *buf, size_t cap)
{
	size_t n = strlen(control);

	if (n > 5 && strcmp(control + n - 5, ".sock") == 0)
		n -= 5;
	snprintf(buf, cap, "%.*s.pid", (int)n, control);
}

void
daemon_pidfile_write(const char *control)
{
	char path[160];
	FILE *f;

	daemon_pidfile_path(control, path, sizeof path);
	f = fopen(path, "w");
	if (f != NULL) {
		fprintf(f, "%ld\n", (long)getpid());
		fclose(f);
	}
}

void
daemon_pidfile_remove(const char *control)
{
	char path[160];

	daemon_pidfile_path(control, path, sizeof path);
	unlink(path);
}

void
daemon_drop_privileges(const struct passwd *pw, const char *who)
{
	if (chdir("/") < 0 ||
	    setgroups(1, &pw->pw_gid) < 0 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		log_msg(LOG_ERR, "%s: cannot drop privileges to %s: %s", who,
		    pw->pw_name, strerror(errno));
		_exit(1);
	}
	if (pw->pw_uid != 0 && setuid(0) == 0) {
		log_msg(LOG_ERR, "%s: could regain root; refusing to run",
		    who);
		_exit(1);
	}
}

struct passwd *
daemon_begin(const char *prog, const char *user, bool foreground,
    int verbose, int *ready_fd)
{
	struct passwd *pw;

	*ready_fd = -1;
	if (geteuid() != 0) {
		fprintf(stderr, "%s: must run as root\n", prog);
		return NULL;
	}
	pw = getpwnam(user);
	if (pw == NULL) {
		fprintf(stderr, "%s: user %s: no such user\n", prog, user);
		return NULL;
	}
	if (!foreground)
		*ready_fd = daemon_start(prog);
	/* Until ready, errors go to the caller's stderr. */
	log_init(prog, true, verbose);
	return pw;
}

void
daemon_serving(const char *prog, const char *control, int ready_fd,
    bool foreground, int verbose)
{
	daemon_pidfile_write(control);
	if (!foreground) {
		daemon_ready(ready_fd);
		log_init(prog, false, verbose);
	}
}

bool
daemon_reap(pid_t *child, const char *what)
{
	bool gone = false;
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		if (pid == *child) {
			log_msg(LOG_ERR, "%s exited (status %d)", what, st);
			*child = 0;
			gone = true;
		}
	return gone;
}

int
daemon_dispatch(struct event_base *base, const struct daemon_fd *fds,
    size_t nfd, const int *sigs, size_t nsig,
    void (*on_signal)(int, short, void *), void *arg)
{
	struct event **ev = calloc(nfd + nsig + 1, sizeof *ev);
	size_t n = 0;
	int rc = 0;

	if (ev == NULL)
		return -1;
	for (size_t k = 0; k < nfd; k++)
		ev[n++] = event_new(base, fds[k].fd, EV_READ | EV_PERSIST,
		    fds[k].cb, arg);
	for (size_t k = 0; k < nsig; k++)
		ev[n++] = evsignal_new(base, sigs[k], on_signal, arg);
	for (size_t k = 0; k < n && rc == 0; k++)
		if (ev[k] == NULL || event_add(ev[k], NULL) < 0)
			rc = -1;
	if (rc == 0)
		event_base_dispatch(base);
	for (size_t k = 0; k < n; k++)
		if (ev[k] != NULL)
			event_free(ev[k]);
	free(ev);
	return rc;
}
