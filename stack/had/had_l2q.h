/*
 * stack/had/had_l2q.h - frames queued for one sendmmsg on had's AF_PACKET
 * socket, each straight to a link-layer address (replies by MAC, see
 * stack/DESIGN.md).  Both processes of had use one: the engine for the
 * replies it sends itself, the parent for those that must follow a map
 * update (the privilege-separation section of DESIGN.md).  A flush never
 * blocks: a frame the socket refuses is dropped and counted.
 */
#ifndef MIP6_HAD_L2Q_H
#define MIP6_HAD_L2Q_H

#include <linux/if_packet.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "stack/had/had_proc.h"
#include "stack/lib/log.h"

#define L2Q_FRAMES	64		/* frames per sendmmsg */
#define L2Q_BYTES	(64u * 1024)	/* their bytes, copied */

struct l2q {
	int		 sock;		/* AF_PACKET SOCK_DGRAM; -1: none */
	uint64_t	*cnt;		/* PC_MAX counters: drops, failures */
	struct log_rl	 rl;
	size_t		 n, used;
	struct mmsghdr	 msg[L2Q_FRAMES];
	struct iovec	 iov[L2Q_FRAMES];
	struct sockaddr_ll to[L2Q_FRAMES];
	uint8_t		 buf[L2Q_BYTES];
};

/* sock may be -1 (set it later); cnt has PC_MAX entries. */
void	l2q_init(struct l2q *, int sock, uint64_t *cnt);
/* Queue a copy of an IPv6 packet for ifindex/mac, flushing first when
   the queue is full.  -1 (errno EMSGSIZE) for a packet larger than the
   queue: nothing queued. */
int	l2q_add(struct l2q *, unsigned ifindex, const uint8_t mac[6],
	    const uint8_t *pkt, size_t len);
/* The EtherType of a frame's payload: IPv6, IPv4 or ARP (first octet). */
uint16_t l2q_ethertype(const uint8_t *pkt, size_t len);
/* Send what is queued, in as few sendmmsg calls as the socket allows. */
void	l2q_flush(struct l2q *);
/* Count (PC_SEND_DROP for a full buffer, PC_SEND_FAIL otherwise) and log,
   rate-limited, a send that failed with errno. */
void	l2q_send_failed(uint64_t *cnt, struct log_rl *, size_t len,
	    unsigned oif);

#endif
