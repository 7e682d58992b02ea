/*
 * proc.h - the processes a run starts (daemons from `run` lines and the
 * capture process): starting them so that they are recorded before they
 * do anything, and stopping exactly those later, from another process.
 *
 * A pid alone is not an identity once `up` has exited: the record keeps
 * the pid and its start time (/proc/PID/stat field 22), and nothing is
 * signalled unless both still match.
 */
#ifndef MIP6TOPO_PROC_H
#define MIP6TOPO_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct proc_id {
	pid_t			pid;
	unsigned long long	start;
};

int	proc_start_time(pid_t, unsigned long long *);
/* Still running (not a zombie) and the same process as recorded. */
bool	proc_alive(const struct proc_id *);
/* SIGTERM to their process groups, all at once, then SIGKILL to those
   still there after `grace_ms`. */
int	proc_stop(const struct proc_id *, int n, int grace_ms, char *err);

/*
 * A gated child: fork() returns in both; the child waits in
 * gate_child_wait() until the parent has recorded it and calls
 * gate_release().  If the parent dies first, the child sees EOF and must
 * exit without doing anything.  The child reports through `report`
 * (close-on-exec, so a successful exec reads as EOF).
 */
struct gate {
	int	go[2];
	int	report[2];
};

pid_t	gate_fork(struct gate *, char *err);
bool	gate_child_wait(struct gate *);
void	gate_child_report(struct gate *, const char *msg);
int	gate_release(struct gate *, char *err);
/* Read what the child reported until EOF; returns the length. */
size_t	gate_read_report(struct gate *, char *buf, size_t len);
void	gate_close(struct gate *);

/* Close every descriptor >= 3 except the `n` in `keep`. */
void	close_fds_except(const int *keep, int n);

#endif
