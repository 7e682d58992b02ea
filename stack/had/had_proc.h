/*
 * stack/had/had_proc.h - the two processes of had: the privileged parent
 * (had.c) and the unprivileged engine process (had_engine_proc.c), and
 * the payloads of their privsep messages.
 */
#ifndef MIP6_HAD_PROC_H
#define MIP6_HAD_PROC_H

#include <netinet/in.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>

#include "stack/bpf/mip6_bpf.h"
#include "stack/had/had_conf.h"

struct ps_bind {
	struct in6_addr	hoa;
	struct m6_bind	b;
};

struct ps_mnp {
	struct had_prefix pfx;
	struct in6_addr	hoa;
};

struct ps_ndp {
	struct in6_addr	target;
	uint32_t	flags;
};

/*
 * DSMIPv6 (RFC 5555) messages of had only, numbered past stack/lib/
 * privsep.h's: engine -> parent PS_HAD_BIND4_SET / _DEL (route an IPv4
 * home address or prefix through a binding, or stop; the parent also
 * answers ARP for a /32 on the home link), parent -> engine
 * PS_HAD_RESTORE4 (an m6_bind4 entry of an earlier run, after the
 * PS_RESTOREs).  Payload: struct ps_bind4.
 */
#define PS_HAD_RESTORE4		48
/* parent -> engine, no payload: fd = an AF_PACKET socket that receives
   the ARP frames of the home link (proxy ARP for IPv4 home addresses,
   parsed by the engine like all untrusted input) */
#define PS_HAD_ARP_SOCK		49
#define PS_HAD_BIND4_SET	96
#define PS_HAD_BIND4_DEL	97

struct ps_bind4 {
	struct in_addr	pfx;
	uint32_t	plen;
	struct in6_addr	hoa;		/* _DEL: ignored */
};

/* PS_SEND_L2: where the packet goes on the link, no neighbour lookup. */
struct ps_send_l2 {
	uint32_t	ifindex;
	uint8_t		mac[6];
	uint16_t	pad;
};

/* The parent's own counters, shown by `mip6ctl counters` ("parent"). */
enum parent_counter {
	PC_RING_TO_ENGINE_DROP,	/* always 0 since the engine reads the ring
				   itself (drop_ring_full counts what it is
				   too slow for); kept for the output */
	PC_SEND_DROP,		/* sends refused for lack of buffer space
				   (the parent's and the engine's) */
	PC_SEND_FAIL,		/* sends refused otherwise (both) */
	PC_BAD_REQUEST,		/* malformed messages from the engine */
	PC_MAX
};
const char *parent_counter_name(enum parent_counter);

/* PS_CTL: the eBPF and parent counters at the time of the request, then
   the request text. */
struct ps_ctl {
	uint64_t	bpf[M6C_MAX];
	uint64_t	parent[PC_MAX];
};

/*
 * The engine process: drops to `pw` (no capabilities, no new privileges)
 * and serves the socket to the parent until it closes.  Never returns.
 */
void	had_engine_main(int sock, const struct passwd *pw)
	    __attribute__((noreturn));

#endif
