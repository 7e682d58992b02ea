/*
 * stack/had/ha_engine_impl.h - private glue between ha_engine.c (the
 * protocol) and ha_engine_ctl.c (control requests, counters as JSON):
 * the engine's state.  Not part of the engine's API.
 */
#ifndef MIP6_HA_ENGINE_IMPL_H
#define MIP6_HA_ENGINE_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packets/pkt.h"
#include "stack/had/ha_bcache.h"
#include "stack/had/ha_engine.h"
#include "stack/lib/espsa.h"
#include "stack/lib/ratelim.h"

struct ha_nd;
struct ha_disc;

/* One Binding Update as the checks and the BA need it. */
/*
 * How to reach the source of the packet being served without neighbour
 * resolution: the interface and the link-layer address it came from.
 */
struct l2hint {
	bool		valid;
	unsigned	ifindex;
	uint8_t		mac[6];
	struct in6_addr	dst;		/* the IPv6 address it is good for */
};

struct bu_req {
	struct l2hint	reply;		/* for the BA, even after DAD */
	struct in6_addr	src;		/* IPv6 source: where BAs go */
	struct in6_addr	dst;		/* our address it was sent to */
	struct in6_addr	hoa;
	struct in6_addr	coa;
	uint16_t	seq, flags, req_lifetime;
	/* decided */
	uint16_t	granted;	/* 4-second units */
	uint8_t		status;		/* 0 or 1 when accepted */
	bool		router;
	/* RFC 3963 Mobile Network Prefix options / implicit prefixes */
	uint8_t		nmnp;
	bool		mnp_overflow;
	struct had_prefix mnp[HAD_MNP_MAX];
	/* RFC 3776: came inside ESP, so the BA goes back inside ESP */
	bool		esp;
	/* RFC 4285 */
	bool		sign;		/* authenticated: sign the BA */
	uint32_t	spi;
	bool		has_mnid;
	uint8_t		mnid_subtype, mnid_len;
	uint8_t		mnid[255];
	bool		has_mesg_id;
	uint64_t	mesg_id;
	/* DSMIPv6 (RFC 5555), ha_dsmip.c.  The IPv4 Home Address option
	   (29) as asked, and the IPv4 Address Acknowledgement (30) decided
	   (v4_status 0xff: no option 29, so no option 30). */
	bool		has_v4hoa;
	bool		v4_p;
	uint8_t		v4_plen_req;
	struct in_addr	v4_req;
	uint8_t		v4_status;
	bool		v4_from_pool;	/* v4_addr was taken from the pool */
	uint8_t		v4_plen;	/* granted; 0 on failure */
	struct in_addr	v4_addr;	/* granted, or as asked on failure */
	/* Came inside IPv4 (UDP to 4191: udp4, or protocol 41: ip4) from
	   outer_src:sport to our outer_dst; the IPv4 Care-of Address
	   option (32); NAT = that option differs from outer_src (§4.2). */
	bool		udp4, ip4;
	bool		has_v4coa;
	bool		nat;
	bool		udp_mode;	/* NAT, BU's F or force-udp */
	struct in_addr	v4coa, outer_src, outer_dst;
	uint16_t	sport;		/* host order */
};

/* A first registration waiting for proxy DAD. */
struct ha_pending {
	struct bu_req	r;
	bool		running;	/* ha_nd still owns a DAD for it */
};

/* DSMIPv6 counters (`mip6ctl counters` -> "dsmip"). */
struct ha_dsmip_counters {
	uint64_t	rx_bu_udp4, rx_bu_ip4, tx_ba_udp4;
	uint64_t	v4ack[8];	/* index: dsmip_v4ack_index(status) */
	uint64_t	udp4191_not_bu, udp4191_no_v4coa;
	uint64_t	nat_detected, v4_bound, v4_released;
	uint64_t	arp_rx, arp_tx;		/* proxy ARP */
	uint64_t	tx_frag_needed;		/* ICMPv4 3/4 (RFC 1191) */
	uint64_t	tx_brr_udp4;		/* BRR inside IPv4(/UDP) */
};

/* What `mip6ctl counters` prints. */
struct ha_counters {
	uint64_t	rx_bu, rx_unknown_mh, rx_hao_no_binding, rx_ns, rx_na,
			rx_ra, rx_dhaad, rx_mps, rx_ptb, rx_hlim;
	uint64_t	tx_ba, tx_be, tx_brr, tx_na, tx_ns, tx_dhaad, tx_mpa,
			tx_param_prob, tx_ptb, tx_time_exceeded;
	uint64_t	ba_status[256];
	uint64_t	be_status[3];		/* index: BE status 1, 2 */
	uint64_t	drop_malformed, drop_checksum, drop_rate_limited,
			drop_not_for_us;
	struct ha_dsmip_counters dsmip;
};

#define HA_TXBUF	2048

struct ha_engine {
	struct had_conf	 conf;		/* own copy, mn[] included */
	uint32_t	*mn_index;	/* hash of conf.mn by HoA: i + 1 */
	size_t		 mn_index_n;	/* power of two (0: none) */
	struct ha_ops	 ops;		/* the caller's */
	struct ha_ops	 sub_ops;	/* given to ha_nd / ha_disc */
	struct ha_nd	*nd;
	struct ha_disc	*disc;
	struct bcache	*bc;
	uint64_t	 hash_seed;
	struct ha_iface	 ifaces[HAD_IFACE_MAX];
	size_t		 nifaces;
	struct in6_addr	 ha_addr;
	uint64_t	 now;		/* of the call being served */
	struct l2hint	 hint;		/* the input being served */
	size_t		 dad_pending;
	struct ha_counters cnt;
	struct ratelim	 rl_be, rl_icmp, rl_log;	/* stack/lib/ratelim.h */
	bool		 warned_no_home_if;
	/* IPsec for the signalling (RFC 3776, stack/lib/espsa.h): the SA
	   table (keys only here, never in the parent's requests); the SA
	   the packet being served was opened with (NULL: unprotected) and
	   its plaintext, rebuilt without ESP */
	struct espsa_table esp;
	struct espsa	*rx_sa;
	uint8_t		 espbuf[HA_TXBUF];
	struct pkt	 rx;		/* decoded input */
	struct pkt	 tx;		/* packet being built */
	uint8_t		 txbuf[HA_TXBUF];
	uint8_t		 macbuf[HA_TXBUF];
	/* DSMIPv6 dynamic IPv4 home addresses: one bit per address of
	   conf.ipv4_pool (set: in use or reserved), ha_dsmip.c. */
	uint8_t		*pool_used;
	uint32_t	 pool_size;
	/* Bound IPv4 home addresses (/32), sorted, for proxy ARP. */
	struct v4_ent {
		uint32_t	 addr;		/* host order */
		struct bce	*b;
	}		*v4idx;
	size_t		 v4idx_n, v4idx_cap;
};

/* ha_dsmip.c: the RFC 5555 part of a registration. */
/* An option of a BU that belongs to DSMIPv6 (29, 32): into r. */
void	dsmip_parse_opt(struct bu_req *r, const struct mh_opt *o);
/* A BU that came inside IPv4: outer header into r; 0, or the BA status
   (128 without an IPv4 Care-of Address option [R]). */
uint8_t	dsmip_outer(struct ha_engine *, const struct m6_sig *,
	    struct bu_req *r);
/* The IPv4 part of an accepted IPv6 registration: r->v4_* decided. */
void	dsmip_decide(struct ha_engine *, struct bu_req *r,
	    const struct bce *b);
/* Install / remove what the decision asks in the kernel and in b. */
void	dsmip_apply(struct ha_engine *, struct bce *b, struct bu_req *r);
void	dsmip_release(struct ha_engine *, struct bce *b);
/* A decision that will not be applied: a pool address goes back. */
void	dsmip_abandon(struct ha_engine *, struct bu_req *r);
/* The IPv4 care-of state of a binding saved by an earlier run. */
void	dsmip_restore_record(struct bce *b, const struct m6_bind *mb);
/* Options 30 and 31 of the BA answering r. */
int	dsmip_ba_opts(struct ha_engine *, struct mh_msg *m,
	    const struct bu_req *r);
/* Start the BA in IPv4/UDP (§4.2) when r came that way: the IPv6
   header to push next is returned; NULL otherwise. */
struct hdr *dsmip_tx_start(struct ha_engine *, const struct bu_req *r);
/* Start a BRR to a binding with an IPv4 care-of address inside IPv4
   (UDP when udp_mode), HA -> HoA within; NULL when it has no IPv4 path. */
struct hdr *dsmip_brr_start(struct ha_engine *, const struct bce *b);
/* m6_bind flags and udp_port of a binding. */
void	dsmip_fill_record(const struct bce *b, struct m6_bind *mb);
/* The pool: rebuilt from the configuration and the cache; restart. */
int	dsmip_pool_init(struct ha_engine *);
void	dsmip_pool_free(struct ha_engine *);
void	dsmip_restore4(struct ha_engine *, const struct in_addr *pfx,
	    unsigned plen, const struct in6_addr *hoa);
size_t	dsmip_v4ack_index(uint8_t status);
/* RFC 826 / RFC 5555 §4.5 [R]: proxy ARP for bound IPv4 home addresses. */
void	dsmip_arp_input(struct ha_engine *, unsigned ifindex,
	    const uint8_t *body, size_t len);
void	dsmip_index_free(struct ha_engine *);
/* ::ffff:a.b.c.d */
void	dsmip_mapped(struct in6_addr *out, const struct in_addr *a);
/* Text of the binding's IPv4 state into the JSON object being written. */
void	dsmip_binding_json(struct jw *, const struct bce *b);
void	dsmip_counters_json(const struct ha_engine *, struct jw *);

/* ha_engine.c: a log line is allowed now (rate limit of input logs). */
bool	ha_engine_log_ok(struct ha_engine *);

/* ha_engine.c, for the control requests. */
const char *bce_state_name(unsigned state);
int	ha_engine_delete(struct ha_engine *, const struct in6_addr *hoa);

/* ha_engine_ctl.c */
int	ha_ctl_request(struct ha_engine *, const char *request,
	    uint64_t now_ms, struct jw *);

#endif
