/*
 * stack/lib/proc.h - what the two processes of a mip6kit daemon share
 * around the privsep channel (privsep.h): the parent forks the
 * unprivileged child on a socketpair, the child sends its requests
 * waiting for room, both drain the channel in bounded batches, timers
 * are armed at absolute CLOCK_BOOTTIME deadlines; and the command line
 * every daemon takes (-d -f -n -v --cleanup --version --help).
 */
#ifndef MIP6_PROC_H
#define MIP6_PROC_H

#include <pwd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct event;

/*
 * A socketpair, then fork: the child closes every descriptor but its
 * end (nothing privileged may leak into it) and runs child_main(sock,
 * pw), which must not return.  The parent gets its end in *sock and the
 * child's pid; -1 with err set on failure.
 */
pid_t	proc_fork_child(void (*child_main)(int, const struct passwd *),
	    const struct passwd *, int *sock, char *err, size_t errlen);

/*
 * Child -> parent: send one message, waiting for room (the parent always
 * drains its side, so this cannot deadlock and nothing the child decided
 * is lost).  `who` names the process in the log line when the parent is
 * gone, after which it _exit(1)s.
 */
void	proc_send_wait(int sock, const char *who, uint16_t type,
	    const void *a, size_t alen, const void *b, size_t blen);

/*
 * Receive at most max messages into buf (cap >= PS_MSG_MAX) and hand
 * each to cb with its passed descriptor (-1 none; cb owns it).  A
 * malformed datagram is skipped.  0 when drained or max reached, -1 when
 * the peer closed (errno 0) or the socket failed (errno set).
 */
typedef void proc_msg_cb(void *arg, uint16_t type, const uint8_t *data,
    size_t len, int fd);
int	proc_drain(int sock, uint8_t *buf, size_t cap, int max,
	    proc_msg_cb *cb, void *arg);

/*
 * Send an IPv6 packet the engine built (headers, checksums) on an
 * IPPROTO_RAW socket: the destination is the packet's, scoped to oif
 * when link-local or multicast.  Never blocks the loop (a full buffer,
 * neighbours being resolved for a flood of forged sources, drops).  0,
 * or -1 with errno (EINVAL: not an IPv6 packet).
 */
int	proc_raw6_send(int sock, unsigned oif, const uint8_t *pkt, size_t len);

/*
 * Likewise an IPv4 packet (header with checksum on) on an AF_INET
 * IPPROTO_RAW socket, routed by its destination: a home agent's
 * signalling to an IPv4 care-of address (RFC 5555 §4.1).  0, or -1 with
 * errno (EINVAL: not an IPv4 packet).
 */
int	proc_raw4_send(int sock, const uint8_t *pkt, size_t len);

/*
 * The sockets every eBPF daemon's parent opens: an IPPROTO_RAW socket
 * for the packets its engine builds (proc_raw6_send) and the control
 * socket at `control` (ctl_listen).  0, or -1 with "raw IPv6 socket: ..."
 * or "control socket PATH: ..." in err (what is open stays open).
 */
int	proc_open_raw_and_ctl(const char *control, int *raw_sock,
	    int *ctl_sock, char *err, size_t errlen);

/* Arm an evtimer for an absolute deadline in ms of CLOCK_BOOTTIME
   (log.h boottime_ms); UINT64_MAX disarms it. */
void	proc_timer_at(struct event *, uint64_t deadline_ms);

/*
 * `ip netns exec` runs a daemon in a mount namespace of its own with a
 * fresh /sys: a bpffs mounted there dies with the daemon, and its pinned
 * maps with it, so a restarted daemon would find no bindings.  Logs a
 * warning when we run in a mount namespace other than init's.
 */
void	proc_warn_private_bpffs(void);

/*
 * The answer to the control request "reload" (ctl.h): {"daemon","version",
 * "reloaded":true}, or {"daemon","version","error":err} when err is not
 * NULL (the FILE:LINE of a broken file).  malloc'd, its length in *len;
 * NULL when out of memory.
 */
char	*proc_reload_answer(const char *daemon, const char *err, size_t *len);

/*
 * Serve the control request "reload" on fd (closed after): reload(arg,
 * err, errlen) re-reads the configuration (0, or -1 with the reason in
 * err); a refusal is logged ("reload: ERR (old configuration kept)") and
 * answered with proc_reload_answer, like a success.
 */
void	proc_ctl_reload(int fd, const char *daemon,
	    int (*reload)(void *arg, char *err, size_t errlen), void *arg);

/*
 * A configuration text the parent sends in pieces (PS_CONF_PART ...,
 * then PS_CONF): the engine process collects them here.  proc_text_add
 * appends (the text stays NUL-terminated); 0, or -1 when it would exceed
 * max bytes or memory runs out (the text is then emptied).
 */
struct proc_text {
	char	*buf;
	size_t	 len;
};
int	proc_text_add(struct proc_text *, const void *piece, size_t len,
	    size_t max);
void	proc_text_clear(struct proc_text *);

/* The command line of every daemon. */
struct proc_opts {
	const char	*conf_path;	/* -f, else the default given */
	bool		 foreground;	/* -d */
	bool		 check;		/* -n */
	bool		 cleanup;	/* --cleanup */
	int		 verbose;	/* -v, repeatable */
};

/*
 * The usage text of every daemon (what its man page's options list):
 * NAME, its default configuration file, and whether it has --cleanup
 * (the daemons that pin eBPF maps).
 */
void	proc_usage(FILE *, const char *name, const char *default_conf,
	    bool cleanup);

/*
 * Parse argv (no operands allowed).  -1 when the daemon goes on; else
 * the exit status: 0 after --version ("NAME (mip6kit) VERSION") or
 * --help (usage(stdout)), 64 after a bad command line (usage(stderr)).
 */
int	proc_getopt(int argc, char **argv, const char *name,
	    void (*usage)(FILE *), struct proc_opts *);

#endif
