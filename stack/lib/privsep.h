/*
 * stack/lib/privsep.h - the channel between a daemon's privileged parent
 * and its unprivileged engine (OpenBSD imsg in spirit): a SOCK_SEQPACKET
 * socketpair, one message per datagram, a fixed header, a payload, and
 * optionally one file descriptor (a control connection handed over).
 * On the hot paths several messages share a datagram (struct ps_batch).
 *
 * Both ends are our code, but the engine is the process that parses
 * packets from the network, so the parent checks every message it takes
 * from the engine (type known, payload length exact or bounded) before
 * acting on it: ps_expect() does the length checks.
 */
#ifndef MIP6_PRIVSEP_H
#define MIP6_PRIVSEP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PS_MSG_MAX	(64u * 1024)	/* header + payload */

/*
 * Numbers a daemon defines for itself stay out of these ranges' used
 * values: had_proc.h takes 48-49 (parent -> engine: PS_HAD_RESTORE4,
 * PS_HAD_ARP_SOCK) and 96-97 (engine -> parent: PS_HAD_BIND4_SET/_DEL),
 * mnd_proc.h 200 and up.
 */
enum ps_type {
	/* parent -> engine */
	PS_PKT = 1,		/* struct m6_sig + packet bytes */
	PS_IFACES,		/* struct ha_iface[] */
	PS_CONF,		/* normalised configuration text (the last
				   part; PS_CONF_PART carries the others) */
	PS_RESTORE,		/* struct ps_bind */
	PS_RESTORE_MNP,		/* struct ps_mnp */
	PS_CTL,			/* struct ps_ctl + request text; fd = client */
	PS_RESTORE_DONE,	/* every saved binding was sent */
	PS_CONF_PART,		/* a piece of a configuration text */
	PS_SIG_RING,		/* no payload; fd = the signaling ring map,
				   which the engine reads itself */
	PS_TX_SOCK,		/* no payload; fd = the AF_PACKET socket the
				   engine sends its replies on */
	/* engine -> parent */
	PS_SEND = 64,		/* uint32_t oif + IPv6 packet */
	PS_BIND_SET,		/* struct ps_bind */
	PS_BIND_DEL,		/* struct in6_addr */
	PS_MNP_SET,		/* struct ps_mnp */
	PS_MNP_DEL,		/* struct ps_mnp (hoa ignored) */
	PS_NDP,			/* struct ps_ndp */
	PS_RESET_DONE,		/* engine state cleared */
	PS_READY,		/* engine up; configuration accepted */
	PS_SEND_L2		/* struct ps_send_l2 + IPv6 packet */
};

struct ps_hdr {
	uint16_t	type;
	uint16_t	reserved;
	uint32_t	len;		/* payload bytes */
};

/* Send header + two payload parts (either may be empty) and maybe an fd
   (-1 none).  Non-blocking: -1 with errno EAGAIN when the peer is slow;
   the caller counts and drops. */
int	ps_send(int sock, uint16_t type, const void *a, size_t alen,
	    const void *b, size_t blen, int fd);
/*
 * Receive one message into buf (cap >= PS_MSG_MAX).  Returns the payload
 * length (payload at buf), 0 with *type 0 when nothing is pending, -1 on
 * error or when the peer closed (errno 0).  *fd receives a passed
 * descriptor or -1.
 */
ssize_t	ps_recv(int sock, uint16_t *type, uint8_t *buf, size_t cap, int *fd);
/* A socketpair with large buffers, both ends non-blocking, close-on-exec. */
int	ps_socketpair(int sv[2]);

/*
 * Batches, for the hot paths (a ring-buffer batch to the engine, the
 * engine's answers to it): several messages back to back in one datagram,
 * each a struct ps_hdr and its payload, so a burst costs one send and one
 * receive instead of one per message.  A datagram of one message (what
 * ps_send writes) is a batch of one: a receiver that walks datagrams with
 * ps_next() takes both.  A batch carries no file descriptor.
 */
struct ps_batch {
	int		sock;
	unsigned	nmsg;		/* messages queued */
	size_t		len;		/* bytes queued */
	uint8_t		buf[PS_MSG_MAX];
};

void	ps_batch_init(struct ps_batch *, int sock);
/* Queue one message of two payload parts.  -1 with errno ENOBUFS when it
   does not fit behind what is queued (flush, then add it again), EMSGSIZE
   when it can never fit. */
int	ps_batch_add(struct ps_batch *, uint16_t type, const void *a,
	    size_t alen, const void *b, size_t blen);
/* Send what is queued as one datagram, without blocking: 0 (also when
   nothing was queued) and the batch is empty, or -1 with errno (EAGAIN:
   the peer is slow) and the batch kept, to flush again or clear. */
int	ps_batch_flush(struct ps_batch *);
void	ps_batch_clear(struct ps_batch *);
/* The same, but waiting (poll) for room while the peer is slow, for a
   sender that must not lose what it queued (an engine's answers, the
   saved state given to a new engine): -1 only on other errors (errno;
   EMSGSIZE from add: a message that can never fit). */
int	ps_batch_add_wait(struct ps_batch *, uint16_t type, const void *a,
	    size_t alen, const void *b, size_t blen);
int	ps_batch_flush_wait(struct ps_batch *);

/* Several received datagrams at once (one recvmmsg). */
#define PS_RX_DGRAMS	4

struct ps_rx {
	unsigned	n;		/* datagrams held */
	unsigned	truncated;	/* dropped by the last ps_rx_recv:
					   larger than PS_MSG_MAX */
	size_t		len[PS_RX_DGRAMS];
	int		fd[PS_RX_DGRAMS];	/* passed descriptor or -1;
						   the caller closes it */
	uint8_t		buf[PS_RX_DGRAMS][PS_MSG_MAX];
};

/*
 * Receive what is pending, up to PS_RX_DGRAMS datagrams: their number
 * (0: nothing pending), or -1 on error or when the peer closed (errno 0).
 * Fewer than PS_RX_DGRAMS means the queue was empty when we looked, so a
 * level-triggered loop need not call again before the next readiness.
 */
int	ps_rx_recv(int sock, struct ps_rx *);

/* One message of a datagram; data points into the datagram. */
struct ps_msg {
	uint16_t	type;
	const uint8_t	*data;
	size_t		len;
};

/* The message at *off of a datagram of len bytes: 1 (and *off moves past
   it), 0 at the end, -1 when the rest of the datagram is malformed (a
   header or payload cut short). */
int	ps_next(const uint8_t *dgram, size_t len, size_t *off,
	    struct ps_msg *);

#endif
