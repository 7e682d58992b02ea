/*
 * stack/had/ha_engine.h - the home agent's protocol engine (RFC 6275
 * §9-10, RFC 3963, RFC 4285): binding cache, home registration, proxy DAD
 * and ND, Binding Refresh Requests, Binding Errors, DHAAD, mobile prefix
 * discovery, the HA list.
 *
 * It runs in the unprivileged process and is pure: packets come in as
 * bytes (what the eBPF programs copied to the ring buffer), time comes in
 * as a number, and everything it wants done - send a packet, install or
 * remove a forwarding entry, watch an address on the home link - goes out
 * through struct ha_ops.  No sockets, no clock, no globals: the unit tests
 * drive it with virtual time and check the bytes it sends.
 *
 * Times are milliseconds of CLOCK_BOOTTIME (they survive a daemon restart
 * within one boot, which is what the durable records in m6_bind need).
 */
#ifndef MIP6_HA_ENGINE_H
#define MIP6_HA_ENGINE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packets/sbuf.h"
#include "stack/bpf/mip6_bpf.h"
#include "stack/had/had_conf.h"

struct ha_engine;

/* An interface of the HA, as the privileged process found it. */
struct ha_iface {
	unsigned	ifindex;
	char		name[16];
	uint8_t		mac[6];
	struct in6_addr	ll;		/* link-local address */
	bool		home_link;
	unsigned	mtu;
};

/* What the engine asks the privileged process (or a test) to do. */
struct ha_ops {
	void	*ctx;
	/*
	 * Send an IPv6 packet, bytes from the IPv6 header on, checksums
	 * done.  `oif` is the interface for link-scoped or multicast
	 * destinations (0: route by destination).
	 */
	void	(*send)(void *ctx, unsigned oif, const uint8_t *pkt,
		    size_t len);
	/*
	 * Optional (NULL: send is used): send an IPv6 packet straight to
	 * a link-layer address on oif, no neighbour resolution.  Used for
	 * replies to the source of a packet that came in on oif from mac.
	 */
	void	(*send_l2)(void *ctx, unsigned oif, const uint8_t mac[6],
		    const uint8_t *pkt, size_t len);
	/* Create or replace the forwarding entry + durable record;
	   0, or -1 when the kernel refused (map full, ...). */
	int	(*bind_set)(void *ctx, const struct in6_addr *hoa,
		    const struct m6_bind *);
	void	(*bind_del)(void *ctx, const struct in6_addr *hoa);
	/* Route a mobile network prefix through hoa's tunnel (0, or -1:
	   BA 143), or stop. */
	int	(*mnp_set)(void *ctx, const struct had_prefix *,
		    const struct in6_addr *hoa);
	void	(*mnp_del)(void *ctx, const struct had_prefix *);
	/*
	 * DSMIPv6 (RFC 5555), optional (NULL: no IPv4 forwarding): route
	 * an IPv4 home address (plen 32) or IPv4 mobile network prefix
	 * through hoa's binding (0, or -1 refused), or stop.
	 */
	int	(*bind4_set)(void *ctx, const struct in_addr *pfx,
		    unsigned plen, const struct in6_addr *hoa);
	void	(*bind4_del)(void *ctx, const struct in_addr *pfx,
		    unsigned plen);
	/* Copy NS/NA for this target to us (M6N_* flags; 0 stops). */
	void	(*ndp_watch)(void *ctx, const struct in6_addr *target,
		    uint32_t flags);
	/* One log line (no newline); prio is a syslog priority. */
	void	(*log)(void *ctx, int prio, const char *msg);
};

/* A packet from the ring buffer: the m6_sig record and the bytes. */
struct ha_input {
	const struct m6_sig *sig;
	const uint8_t	*data;		/* sig->caplen bytes, IPv6 header on */
};

/*
 * The engine takes a copy of the configuration (had_conf_* owns the
 * original).  NULL on allocation failure.
 */
struct ha_engine *ha_engine_new(const struct had_conf *,
	    const struct ha_ops *, uint64_t now_ms);
void	ha_engine_free(struct ha_engine *);
/* Interfaces (replaces the whole set); the HA address is derived here
   when the configuration says eui64. */
void	ha_engine_set_ifaces(struct ha_engine *, const struct ha_iface *,
	    size_t n);
/* The home agent address in use (configured or derived). */
const struct in6_addr *ha_engine_ha_addr(const struct ha_engine *);
/* New configuration (SIGHUP); bindings no longer allowed are removed. */
int	ha_engine_reconf(struct ha_engine *, const struct had_conf *);
/* A binding saved in m6_bind by an earlier run (restart). */
void	ha_engine_restore(struct ha_engine *, const struct in6_addr *hoa,
	    const struct m6_bind *, uint64_t now_ms);
/* A mobile network prefix saved in m6_mnp by an earlier run. */
void	ha_engine_restore_mnp(struct ha_engine *, const struct had_prefix *,
	    const struct in6_addr *hoa);
/* An IPv4 home address or prefix saved in m6_bind4 by an earlier run
   (after the bindings: an entry whose binding is gone is removed). */
void	ha_engine_restore4(struct ha_engine *, const struct in_addr *pfx,
	    unsigned plen, const struct in6_addr *hoa);
/*
 * An ARP frame's body (RFC 826) heard on ifindex: a request for a bound
 * IPv4 home address is answered with the interface's MAC (proxy ARP,
 * DSMIPv6).  Anything else is ignored; never fatal.
 */
void	ha_engine_arp(struct ha_engine *, unsigned ifindex,
	    const uint8_t *body, size_t len, uint64_t now_ms);
/* One packet.  Malformed input is counted, logged (rate-limited) and
   dropped; never fatal. */
void	ha_engine_input(struct ha_engine *, const struct ha_input *,
	    uint64_t now_ms);
/* Earliest pending deadline (absolute ms), UINT64_MAX if none. */
uint64_t ha_engine_next_timeout(const struct ha_engine *);
/* Run every timer due at now_ms. */
void	ha_engine_timeout(struct ha_engine *, uint64_t now_ms);
/* Forget every binding (each is removed through ops) and zero the
   counters: the clean state a conformance case starts from. */
void	ha_engine_reset(struct ha_engine *, uint64_t now_ms);

/*
 * Control requests (mip6ctl), answered as one JSON object into jw:
 *   "bindings"              {"bindings":[{"hoa","coa","seq","lifetime",
 *                           "remaining","flags":"A H L K R","state",
 *                           "router","mnp":["P/L"],"home_ifindex"
 *                           [,"v4hoa"|"v4prefix"] [,"v4coa","nat",
 *                           "encap":"udp|ipv4"[,"udp_port"]]}]}  (RFC 5555)
 *   "bindings delete HOA"   {"deleted":"HOA"} or {"error":"no binding for HOA"}
 *   "halist"                {"halist":[{"addr","preference","lifetime"...}]}
 *   "counters"              {"rx":{...},"tx":{...},"ba_status":{"0":n,...},
 *                           "be_status":{"1":n,"2":n},"drops":{...},
 *                           "dsmip":{"dsmip_v4ack_<status>":n,
 *                           "udp4191_not_bu":n,...}}
 *   "status"                {"bindings":N,"max_bindings":M,"ha_addr",
 *                           "auth":"none|rfc4285","dad_pending":N}
 * Returns 0, or -1 with {"error":"..."} written.
 */
int	ha_engine_ctl(struct ha_engine *, const char *request, uint64_t now_ms,
	    struct jw *);

#endif
