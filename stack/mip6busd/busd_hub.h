/*
 * stack/mip6busd/busd_hub.h - the mobility-socket bus hub (mip6busd(8)):
 * clients on one SOCK_SEQPACKET listener; every valid message a client
 * sends goes to every other client, pid stamped from SO_PEERCRED, through
 * a bounded queue per client (drop-oldest, ENOBUFS on the next message
 * delivered).  Runs in the caller's libevent loop.
 */
#ifndef MIP6_BUSD_HUB_H
#define MIP6_BUSD_HUB_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct jw;
struct busd_hub;

#define BUSD_QUEUE_MAX		256	/* messages queued per client */
#define BUSD_CLIENTS_MAX	64

enum busd_counter {
	BUSD_C_ACCEPTED,	/* clients connected */
	BUSD_C_REFUSED,		/* not root, or too many clients */
	BUSD_C_MESSAGES,	/* valid messages received */
	BUSD_C_DELIVERED,	/* copies written to clients */
	BUSD_C_DROPPED,		/* copies dropped: a client's queue full */
	BUSD_C_MALFORMED,	/* messages that did not decode */
	BUSD_C_MAX
};

/* Listen on path (mode 0600, folders made 0755).  NULL with errno. */
struct busd_hub *busd_hub_open(struct event_base *, const char *path);
/* Close every client and the listener, remove the socket file. */
void	busd_hub_close(struct busd_hub *);

/* ctl answers: "clients" array, "counters" object. */
void	busd_hub_json_clients(const struct busd_hub *, struct jw *);
void	busd_hub_json_counters(const struct busd_hub *, struct jw *);
uint64_t busd_hub_counter(const struct busd_hub *, enum busd_counter);
const char *busd_counter_name(enum busd_counter);
size_t	busd_hub_nclients(const struct busd_hub *);

#endif
