/*
 * stack/lib/privsep.h - the channel between a daemon's privileged parent
 * and its unprivileged engine (OpenBSD imsg in spirit): a SOCK_SEQPACKET
 * socketpair, one message per datagram, a fixed header, a payload, and
 * optionally one file descriptor (a control connection handed over).
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

#endif
