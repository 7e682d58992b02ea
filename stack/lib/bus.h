/*
 * stack/lib/bus.h - the client side of the mobility-socket bus
 * (mip6busd(8), mip6-bus(7), packets/msock.h) for libevent daemons.
 *
 * bus_open() connects to the hub's SOCK_SEQPACKET socket and, when
 * nodetype is not 0, announces the daemon with NODETYPE_INFO (nodetype,
 * enable 1).  It never fails because the hub is absent: it retries every
 * second (BUS_RETRY_MS), logs the first failure once (stack/lib/log.h)
 * and logs again when it connects; on_state tells the daemon each change
 * (for "bus": "connected|disconnected" in its status).  Every message the
 * hub delivers is decoded and given to on_msg with its raw bytes (a relay
 * may forward them unchanged); a message that does not decode is counted
 * (malformed) and not delivered.  A delivered message with err == ENOBUFS
 * tells that the hub dropped older messages for this client (overflow).
 *
 * One message per datagram; bus_send never blocks the loop.
 */
#ifndef MIP6_BUS_H
#define MIP6_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "packets/msock.h"

#define MIP6_BUS_PATH	"/run/mip6kit/bus"
#define BUS_RETRY_MS	1000

struct bus;
struct event_base;

typedef void bus_msg_cb(void *arg, const struct msock_msg *,
    const uint8_t *raw, size_t len);
typedef void bus_state_cb(void *arg, bool connected);

/*
 * path NULL means MIP6_BUS_PATH.  on_msg and on_state may be NULL.
 * NULL only when out of memory or path is too long (errno ENOMEM,
 * ENAMETOOLONG).  The first connection attempt is made at once.
 */
struct bus *bus_open(struct event_base *, const char *path, uint32_t nodetype,
	    bus_msg_cb *on_msg, bus_state_cb *on_state, void *arg);

/*
 * Encode and send one message: seq is assigned (the client's counter,
 * starting at 1, written back into msg), pid is left to the hub.  0, or -1
 * with errno ENOTCONN (no hub now), ENOBUFS (socket full: dropped and
 * counted), EINVAL (msock_encode refused it: required attribute missing).
 */
int	bus_send(struct bus *, struct msock_msg *);
/*
 * Send an already encoded message unchanged (a relay from an engine
 * process, which encoded it).  It is decoded first (EINVAL when it does
 * not decode: the hub would drop it anyway).  Same results as bus_send.
 */
int	bus_send_raw(struct bus *, const uint8_t *, size_t);

bool	bus_connected(const struct bus *);

/*
 * A bare connection to the hub at path (NULL: MIP6_BUS_PATH), for tools
 * and tests without an event loop (msockwatch): the socket, or -1 with
 * errno.  Close-on-exec; non-blocking when asked.
 */
int	bus_dial(const char *path, bool nonblock);
/*
 * Read one datagram into buf (BUS_RECV_CAP octets) without waiting (or
 * waiting, when block): its real length, which is more than MSOCK_MAX for
 * an oversized one (cut, to be dropped); 0 when the peer closed; -1 with
 * errno (EAGAIN: nothing there).
 */
#define BUS_RECV_CAP	(MSOCK_MAX + 1)
ssize_t	bus_recv(int fd, uint8_t *buf, bool block);

struct bus_stats {
	uint64_t	sent;		/* messages handed to the hub */
	uint64_t	received;	/* messages decoded and delivered */
	uint64_t	dropped;	/* sends refused (no hub, full) */
	uint64_t	malformed;	/* received, did not decode */
	uint64_t	overflows;	/* received with err ENOBUFS */
	uint64_t	reconnects;	/* connections after the first */
};
void	bus_stats(const struct bus *, struct bus_stats *);

/* Disconnect, free; NULL is fine. */
void	bus_close(struct bus *);

#endif
