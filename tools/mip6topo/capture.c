/*
 * capture.c - the capture process of a run (see capture.h).
 *
 * libpcap binds its packet socket in the namespace that is current when
 * the handle is activated, so the process enters each link's namespace in
 * turn, activates the handle there, and comes back; the sockets keep
 * their namespace.  Immediate mode delivers every packet at once, and the
 * dump file is flushed after each one, so a reader sees a packet in the
 * file as soon as it has crossed the link.
 */
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture.h"
#include "mip6topo.h"
#include "netns.h"
#include "proc.h"
#include "state.h"

#define CAP_SNAPLEN	262144
#define CAP_BUFSIZE	(256 * 1024)
#define CAP_MAX		128

struct cap {
	pcap_t		*p;
	pcap_dumper_t	*d;
	int		 fd;
};

static volatile sig_atomic_t stop_requested;

static void
on_term(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void
write_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	pcap_dumper_t *d = (pcap_dumper_t *)(void *)user;

	pcap_dump((u_char *)d, h, bytes);
	(void)pcap_dump_flush(d);
}

static void
drain(struct cap *c)
{
	/* Non-blocking: returns 0 once the ring is empty. */
	for (int i = 0; i < 1000; i++)
		if (pcap_dispatch(c->p, -1, write_packet, (u_char *)c->d) <= 0)
			break;
}

static void
close_cap(struct cap *c)
{
	if (c->p == NULL)
		return;
	drain(c);
	(void)pcap_dump_flush(c->d);
	pcap_dump_close(c->d);
	pcap_close(c->p);
	c->p = NULL;
	c->fd = -1;
}

/* Open one handle inside the item's namespace; NULL or an error text. */
static const char *
open_cap(const struct cap_item *it, struct cap *c, char *msg, size_t len)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	char path[128];
	int nsfd, rc;

	/* setns(CLONE_NEWNET) moves only the calling thread. */
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, it->netns);
	if ((nsfd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    setns(nsfd, CLONE_NEWNET) < 0) {
		snprintf(msg, len, "capture %s: namespace %s: %s", it->link,
		    it->netns, strerror(errno));
		return msg;
	}
	close(nsfd);
	c->p = pcap_create(it->ifname, ebuf);
	rc = c->p == NULL ? PCAP_ERROR : 0;
	if (rc == 0) {
		(void)pcap_set_snaplen(c->p, CAP_SNAPLEN);
		(void)pcap_set_promisc(c->p, it->promisc);
		(void)pcap_set_immediate_mode(c->p, 1);
		(void)pcap_set_buffer_size(c->p, CAP_BUFSIZE);
		rc = pcap_activate(c->p);
	}
	if (rc < 0) {
		snprintf(msg, len, "capture %s on %s: %s", it->link,
		    it->ifname, c->p != NULL ? pcap_geterr(c->p) : ebuf);
		return msg;
	}
	if ((c->d = pcap_dump_open(c->p, it->path)) == NULL) {
		snprintf(msg, len, "capture %s: %s", it->link,
		    pcap_geterr(c->p));
		return msg;
	}
	if (pcap_setnonblock(c->p, 1, ebuf) < 0 ||
	    (c->fd = pcap_get_selectable_fd(c->p)) < 0) {
		snprintf(msg, len, "capture %s: no selectable fd", it->link);
		return msg;
	}
	return NULL;
}

/*
 * Opening and closing a packet socket each wait for an RCU grace period
 * (synchronize_net(), 10-30 ms here), so handles are opened and closed by
 * one short-lived thread each, in parallel; the capture loop itself is
 * single-threaded.
 */
struct cap_job {
	const struct cap_item	*it;
	struct cap		*c;
	const char		*why;
	char			 msg[ERRLEN];
	pthread_t		 th;
	bool			 started;
};

static void *
open_thread(void *arg)
{
	struct cap_job *j = arg;

	j->why = open_cap(j->it, j->c, j->msg, sizeof(j->msg));
	return NULL;
}

static void *
close_thread(void *arg)
{
	struct cap_job *j = arg;

	close_cap(j->c);
	return NULL;
}

static void
run_parallel(struct cap_job *jobs, int n, void *(*fn)(void *))
{
	for (int i = 0; i < n; i++)
		jobs[i].started = pthread_create(&jobs[i].th, NULL, fn,
		    &jobs[i]) == 0;
	for (int i = 0; i < n; i++) {
		if (jobs[i].started)
			pthread_join(jobs[i].th, NULL);
		else
			fn(&jobs[i]);	/* no thread: do it here */
	}
}

static void
capture_loop(struct cap *caps, int n)
{
	struct pollfd pfd[CAP_MAX];
	sigset_t none;

	sigemptyset(&none);
	while (!stop_requested) {
		int live = 0;

		for (int i = 0; i < n; i++) {
			pfd[i].fd = caps[i].fd;	/* -1 is skipped */
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
			live += caps[i].fd >= 0;
		}
		if (live == 0)
			break;
		/* SIGTERM is blocked except while waiting here. */
		if (ppoll(pfd, (nfds_t)n, NULL, &none) < 0)
			continue;
		for (int i = 0; i < n; i++) {
			if (pfd[i].revents & POLLIN)
				drain(&caps[i]);
			/* The interface went away: keep what we have. */
			if (pfd[i].revents & (POLLERR | POLLHUP | POLLNVAL))
				close_cap(&caps[i]);
		}
	}
}

static void
null_stdio(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		_exit(127);
	for (int i = 0; i < 3; i++)
		(void)dup2(fd, i);
	if (fd > 2)
		close(fd);
}

static void
capture_main(struct gate *g, const struct cap_item *items, int n)
{
	static struct cap caps[CAP_MAX];
	static struct cap_job jobs[CAP_MAX];
	struct sigaction sa;
	sigset_t block;
	int keep[2] = { g->go[0], g->report[1] };

	(void)setsid();
	(void)prctl(PR_SET_NAME, "mip6topo-cap");
	/* Nothing of the caller's: `$(mip6topo up ...)` must not wait for
	   us to close its pipe. */
	null_stdio();
	close_fds_except(keep, 2);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, NULL);	/* threads inherit it */
	if (!gate_child_wait(g))
		_exit(0);	/* `up` died before recording us */
	for (int i = 0; i < n; i++) {
		jobs[i].it = &items[i];
		jobs[i].c = &caps[i];
		caps[i].fd = -1;
	}
	run_parallel(jobs, n, open_thread);
	for (int i = 0; i < n; i++)
		if (jobs[i].why != NULL) {
			gate_child_report(g, jobs[i].why);
			_exit(1);
		}
	gate_child_report(g, "OK");
	close(g->report[1]);
	capture_loop(caps, n);
	run_parallel(jobs, n, close_thread);
	_exit(0);
}

int
capture_start(struct state *st, const struct cap_item *items, int n,
    struct proc_id *id, char *err)
{
	struct gate g;
	char pid[32], start[32], msg[ERRLEN];
	pid_t child;

	if (n > CAP_MAX)
		return errf(err, "too many captured links (at most %d)",
		    CAP_MAX);
	fflush(NULL);
	if ((child = gate_fork(&g, err)) < 0)
		return -1;
	if (child == 0)
		capture_main(&g, items, n);
	id->pid = child;
	if (proc_start_time(child, &id->start) < 0) {
		gate_close(&g);
		(void)waitpid(child, NULL, 0);
		return errf(err, "capture process vanished");
	}
	snprintf(pid, sizeof(pid), "%d", (int)child);
	snprintf(start, sizeof(start), "%llu", id->start);
	if (state_log(st, err, "capture", pid, start, (char *)NULL) < 0 ||
	    gate_release(&g, err) < 0) {
		gate_close(&g);
		(void)kill(child, SIGKILL);
		(void)waitpid(child, NULL, 0);
		return -1;
	}
	gate_read_report(&g, msg, sizeof(msg));
	gate_close(&g);
	if (strcmp(msg, "OK") != 0) {
		(void)waitpid(child, NULL, 0);
		return errf(err, "%s", msg[0] != '\0' ? msg :
		    "capture process died");
	}
	return 0;
}
