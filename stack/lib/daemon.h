/*
 * stack/lib/daemon.h - what every mip6kit daemon does around its event
 * loop: go to the background only once ready, write a pid file beside its
 * control socket, and drop an unprivileged child process to a user for
 * good (the engine or reader that parses packets from the network).
 */
#ifndef MIP6_DAEMON_H
#define MIP6_DAEMON_H

#include <pwd.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Fork to the background but keep the caller waiting until
 * daemon_ready(), so that "daemon && next-step" never races the start-up;
 * errors before that point still reach the caller's terminal.  The parent
 * exits 0 when the child became ready, 1 when it exited first.  Returns
 * the pipe to signal readiness on.  `prog` prefixes error messages.
 */
int	daemon_start(const char *prog);
/* Readiness: stdio to /dev/null, release the waiting caller.  fd < 0 is
   a no-op (foreground). */
void	daemon_ready(int ready_fd);

/* The pid file sits beside the control socket: X.sock -> X.pid. */
void	daemon_pidfile_path(const char *control, char *buf, size_t cap);
void	daemon_pidfile_write(const char *control);
void	daemon_pidfile_remove(const char *control);

/*
 * Drop to pw for good: groups, gid, uid, no new privileges (an execve of
 * a set-uid program included), and check that root cannot be regained.
 * On failure logs "WHO: ..." and _exit(1)s.
 */
void	daemon_drop_privileges(const struct passwd *pw, const char *who);

/*
 * The start every daemon's main makes once its configuration is loaded:
 * root required, the unprivileged user looked up, the background fork
 * (daemon_start) unless foreground, logging to stderr until ready.
 * NULL, with the message printed, when it cannot go on.  *ready_fd is
 * for daemon_serving.
 */
struct passwd *daemon_begin(const char *prog, const char *user,
	    bool foreground, int verbose, int *ready_fd);
/* Ready: the pid file beside the control socket, the waiting caller
   released (daemon_ready), logging to syslog unless foreground. */
void	daemon_serving(const char *prog, const char *control, int ready_fd,
	    bool foreground, int verbose);

/*
 * SIGCHLD: reap every exited child; true when one of them was *child
 * (logged as "WHAT exited (status N)", *child set to 0).
 */
bool	daemon_reap(pid_t *child, const char *what);

/*
 * Run the event loop: each fd read persistently by its callback, each
 * signal of sigs[] to on_signal, all with arg; until a callback breaks the
 * loop.  The events are freed after.  0, or -1 when one could not be made.
 */
struct event_base;
struct daemon_fd {
	int	fd;
	void	(*cb)(int fd, short what, void *arg);
};
int	daemon_dispatch(struct event_base *, const struct daemon_fd *,
	    size_t nfd, const int *sigs, size_t nsig,
	    void (*on_signal)(int sig, short what, void *arg), void *arg);

#endif
