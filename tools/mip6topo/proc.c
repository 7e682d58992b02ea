/*
 * proc.c - recorded processes: identity, gated start, stop (see proc.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mip6topo.h"
#include "proc.h"

/* /proc/PID/stat: "pid (comm) state ..."; comm may hold spaces and ')',
   so fields are counted from the last ')'.  State is field 3, start time
   field 22. */
static int
read_stat(pid_t pid, char *state, unsigned long long *start)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ')
		return -1;
	p += 2;
	*state = *p;
	for (int field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (p == NULL)
			return -1;
		p++;
	}
	*start = strtoull(p, NULL, 10);
	return 0;
}

int
proc_start_time(pid_t pid, unsigned long long *start)
{
	char st;

	return read_stat(pid, &st, start);
}

bool
proc_alive(const struct proc_id *p)
{
	unsigned long long start;
	char st;

	if (p->pid <= 1 || read_stat(p->pid, &st, &start) < 0)
		return false;
	return start == p->start && st != 'Z' && st != 'X';
}

static void
signal_proc(const struct proc_id *p, int sig)
{
	/* Our children are session leaders: the group takes their own
	   children (a shell's, say) along. */
	if (getpgid(p->pid) == p->pid)
		(void)kill(-p->pid, sig);
	else
		(void)kill(p->pid, sig);
}

/* Wait until none of `p` is alive (reaping our own children). */
static bool
wait_gone(const struct proc_id *p, int n, int ms)
{
	long long until = now_ms() + ms;

	for (;;) {
		bool any = false;

		for (int i = 0; i < n; i++) {
			(void)waitpid(p[i].pid, NULL, WNOHANG);
			any |= proc_alive(&p[i]);
		}
		if (!any)
			return true;
		if (now_ms() >= until)
			return false;
		usleep(1000);
	}
}

int
proc_stop(const struct proc_id *p, int n, int grace_ms, char *err)
{
	for (int i = 0; i < n; i++)
		if (proc_alive(&p[i]))
			signal_proc(&p[i], SIGTERM);
	if (wait_gone(p, n, grace_ms))
		return 0;
	for (int i = 0; i < n; i++)
		if (proc_alive(&p[i]))
			signal_proc(&p[i], SIGKILL);
	if (wait_gone(p, n, 2000))
		return 0;
	for (int i = 0; i < n; i++)
		if (proc_alive(&p[i]))
			return errf(err, "process %d does not stop",
			    (int)p[i].pid);
	return 0;
}

pid_t
gate_fork(struct gate *g, char *err)
{
	pid_t pid;

	if (pipe2(g->go, O_CLOEXEC) < 0)
		return errf(err, "pipe: %s", strerror(errno));
	if (pipe2(g->report, O_CLOEXEC) < 0) {
		int e = errno;

		close(g->go[0]);
		close(g->go[1]);
		return errf(err, "pipe: %s", strerror(e));
	}
	pid = fork();
	if (pid < 0) {
		int e = errno;

		gate_close(g);
		return errf(err, "fork: %s", strerror(e));
	}
	if (pid == 0) {
		close(g->go[1]);
		close(g->report[0]);
		g->go[1] = g->report[0] = -1;
	} else {
		close(g->go[0]);
		close(g->report[1]);
		g->go[0] = g->report[1] = -1;
	}
	return pid;
}

bool
gate_child_wait(struct gate *g)
{
	char c;
	ssize_t n;

	do
		n = read(g->go[0], &c, 1);
	while (n < 0 && errno == EINTR);
	close(g->go[0]);
	g->go[0] = -1;
	return n == 1;
}

void
gate_child_report(struct gate *g, const char *msg)
{
	size_t len = strlen(msg);

	if (write(g->report[1], msg, len) != (ssize_t)len)
		_exit(127);
}

int
gate_release(struct gate *g, char *err)
{
	if (write(g->go[1], "g", 1) != 1)
		return errf(err, "releasing child: %s", strerror(errno));
	close(g->go[1]);
	g->go[1] = -1;
	return 0;
}

size_t
gate_read_report(struct gate *g, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got + 1 < len) {
		n = read(g->report[0], buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	return got;
}

void
gate_close(struct gate *g)
{
	for (int i = 0; i < 2; i++) {
		if (g->go[i] >= 0)
			close(g->go[i]);
		if (g->report[i] >= 0)
			close(g->report[i]);
		g->go[i] = g->report[i] = -1;
	}
}

static int
cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

void
close_fds_except(const int *keep, int n)
{
	int k[8], nk = 0, from = 3;

	for (int i = 0; i < n && nk < 8; i++)
		if (keep[i] >= 3)
			k[nk++] = keep[i];
	qsort(k, (size_t)nk, sizeof(k[0]), cmp_int);
	for (int i = 0; i < nk; i++) {
		if (k[i] > from)
			(void)close_range((unsigned int)from,
			    (unsigned int)k[i] - 1, 0);
		from = k[i] + 1;
	}
	(void)close_range((unsigned int)from, ~0U, 0);
}
