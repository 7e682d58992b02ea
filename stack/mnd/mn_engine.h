/*
 * stack/mnd/mn_engine.h - the mobile node's (and mobile router's) protocol
 * engine (RFC 6275 §11, RFC 3963): the binding update list with SHISA's
 * two state machines per entry (stack-anchors.md §2.4), home registration
 * with retransmission and back-off, refresh, every Binding Acknowledgement
 * status, Binding Refresh Requests, Binding Errors, returning home, DHAAD,
 * mobile prefix discovery, several home addresses, NEMO (R flag, Mobile
 * Network Prefix options) and return routability with correspondents.
 *
 * It runs in the unprivileged process and is pure, like had's engine:
 * packets come in as ring-buffer bytes, movement comes in as decoded bus
 * messages, time comes in as a number (ms of CLOCK_BOOTTIME), and all it
 * wants done goes out through struct mn_ops.  The unit tests drive it
 * with virtual time and check the bytes it sends.
 */
#ifndef MIP6_MN_ENGINE_H
#define MIP6_MN_ENGINE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packets/msock.h"
#include "packets/sbuf.h"
#include "stack/bpf/mip6_bpf.h"
#include "stack/mnd/mnd_conf.h"

struct mn_engine;

/* A managed interface, as the privileged process found it. */
struct mn_iface {
	unsigned	ifindex;
	char		name[16];
	uint8_t		mac[6];
	struct in6_addr	ll;		/* link-local address */
};

/* What the engine asks the privileged process (or a test) to do. */
struct mn_ops {
	void	*ctx;
	/*
	 * Send an IPv6 packet, bytes from the IPv6 header on, checksums
	 * done, sources chosen (a CoA, or the HoA at home).  `oif` is the
	 * interface for link-scoped or multicast destinations, else a hint
	 * (0: route by destination).
	 */
	void	(*send)(void *ctx, unsigned oif, const uint8_t *pkt,
		    size_t len);
	/* Create or replace the mn_hoa entry (forwarding + durable record);
	   0, or -1 when the kernel refused. */
	int	(*hoa_set)(void *ctx, const struct in6_addr *hoa,
		    const struct m6_mn_hoa *);
	/* Route-optimised binding with a correspondent (mn_ro). */
	int	(*ro_set)(void *ctx, const struct m6_ro_key *,
		    const struct m6_mn_ro *);
	void	(*ro_del)(void *ctx, const struct m6_ro_key *);
	/* A mobile network prefix through hoa's tunnel (mn_mnp), or stop. */
	int	(*mnp_set)(void *ctx, const struct mnd_prefix *,
		    const struct in6_addr *hoa);
	void	(*mnp_del)(void *ctx, const struct mnd_prefix *);
	/* A message for the bus (the parent encodes and sends it). */
	void	(*bus)(void *ctx, const struct msock_msg *);
	/*
	 * Put the home address where it belongs: away, a /128 on the
	 * loopback (ifindex 0); at home, on the home-link interface with
	 * the home prefix length.  The new place is added before the old
	 * one is removed.
	 */
	void	(*place_hoa)(void *ctx, const struct in6_addr *hoa,
		    uint8_t plen, unsigned home_ifindex);
	/*
	 * DSMIPv6 (RFC 5555 §4.4.3 [R]): the IPv4 home address the home
	 * agent acknowledged (plen 32; also a /32 on the loopback and an
	 * IPv4 default route from it out of coa_ifindex) or an IPv4 mobile
	 * network prefix, tunneled as hoa's mn_hoa entry says (mn_hoa4);
	 * on = false removes it.  NULL: not supported.
	 */
	void	(*hoa4)(void *ctx, const struct in6_addr *hoa,
		    const struct in_addr *addr, uint8_t plen,
		    unsigned coa_ifindex, bool on);
	/*
	 * DSMIPv6 (RFC 5555 §4.5 [R]): where a configured IPv4 home address
	 * is, as place_hoa: at home on the home-link interface with the
	 * home link's prefix length, announced by gratuitous ARP (called
	 * again for each repeated announcement); away (home_ifindex 0) a
	 * /32 on the loopback.  NULL: not supported.
	 */
	void	(*place_hoa4)(void *ctx, const struct in6_addr *hoa,
		    const struct in_addr *addr, uint8_t plen,
		    unsigned home_ifindex);
	/*
	 * DSMIPv6 (RFC 5555 §4.2 [R]): send an IPv6 packet (as for send)
	 * inside IPv4/UDP from src:sport to dst port 4191 (ports in host
	 * order).  Replies to that socket come back as mn_input records
	 * with M6SF_UDP4.  NULL: not supported.
	 */
	void	(*send_udp4)(void *ctx, unsigned oif, const struct in_addr *src,
		    uint16_t sport, const struct in_addr *dst,
		    const uint8_t *pkt, size_t len);
	/* One log line (no newline); prio is a syslog priority. */
	void	(*log)(void *ctx, int prio, const char *msg);
};

/* A packet from the ring buffer: the m6_sig record and the bytes. */
struct mn_input {
	const struct m6_sig *sig;
	const uint8_t	*data;		/* sig->caplen bytes, IPv6 header on */
};

/* The engine takes a copy of the configuration.  NULL on failure. */
struct mn_engine *mn_engine_new(const struct mnd_conf *,
	    const struct mn_ops *, uint64_t now_ms);
void	mn_engine_free(struct mn_engine *);
void	mn_engine_set_ifaces(struct mn_engine *, const struct mn_iface *,
	    size_t n);
/*
 * Durable records saved by an earlier run (mn_hoa, mn_ro): the engine
 * resumes the entry (sequence number, state, expiry) and re-arms timers.
 */
void	mn_engine_restore_hoa(struct mn_engine *, const struct in6_addr *hoa,
	    const struct m6_mn_hoa *, uint64_t now_ms);
void	mn_engine_restore_ro(struct mn_engine *, const struct m6_ro_key *,
	    const struct m6_mn_ro *, uint64_t now_ms);
/* A bus message (MD_INFO drives movement; others are looked at). */
void	mn_engine_bus(struct mn_engine *, const struct msock_msg *,
	    uint64_t now_ms);
/* One packet.  Malformed input is counted, logged (rate-limited) and
   dropped; never fatal. */
void	mn_engine_input(struct mn_engine *, const struct mn_input *,
	    uint64_t now_ms);
/* Earliest pending deadline (absolute ms), UINT64_MAX if none. */
uint64_t mn_engine_next_timeout(const struct mn_engine *);
/* Run every timer due at now_ms. */
void	mn_engine_timeout(struct mn_engine *, uint64_t now_ms);
/* A new configuration (reload): home addresses added (registered when a
   care-of address is known) or removed (de-registered), the lifetime;
   the rest of c is not looked at. */
void	mn_engine_reconf(struct mn_engine *, const struct mnd_conf *,
	    uint64_t now_ms);
/* Forget every correspondent entry, zero the counters, and start the
   home registrations over (from IDLE). */
void	mn_engine_reset(struct mn_engine *, uint64_t now_ms);

/*
 * Control requests (mip6ctl), one JSON object into jw:
 *   "bul"       {"bul":[{"hoa","peer","coa","home":true,"reg_state",
 *               "rr_state","seq","lifetime","remaining","retransmit_in",
 *               "retries","flags":"A H R","mnp":["P/L"]}]}
 *   "status"    {"coa","coa_ifindex","homes":[{"hoa","ha","at_home",
 *               "prefixes":[...]}],"mobile_router","route_optimization"}
 *   "counters"  {"rx":{...},"tx":{...},"ba_status":{"0":n,...},
 *               "drops":{...}}
 * Returns 0, or -1 with {"error":"..."} written.
 */
int	mn_engine_ctl(struct mn_engine *, const char *request, uint64_t now_ms,
	    struct jw *);

/* Names of the state machines' states (mip6ctl, logs, tests). */
const char *mn_reg_state_name(unsigned);
const char *mn_rr_state_name(unsigned);

#endif
