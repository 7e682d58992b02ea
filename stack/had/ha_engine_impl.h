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
	/* RFC 4285 */
	bool		sign;		/* authenticated: sign the BA */
	uint32_t	spi;
	bool		has_mnid;
	uint8_t		mnid_subtype, mnid_len;
	uint8_t		mnid[255];
	bool		has_mesg_id;
	uint64_t	mesg_id;
};

/* A first registration waiting for proxy DAD. */
struct ha_pending {
	struct bu_req	r;
	bool		running;	/* ha_nd still owns a DAD for it */
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
};

/* A token bucket: `per_sec` events a second, bursts of `per_sec`. */
struct ha_rate {
	unsigned	per_sec;
	uint64_t	last_ms;
	uint64_t	milli;		/* tokens x 1000 */
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
	struct ha_rate	 rl_be, rl_icmp, rl_log;
	bool		 warned_no_home_if;
	struct pkt	 rx;		/* decoded input */
	struct pkt	 tx;		/* packet being built */
	uint8_t		 txbuf[HA_TXBUF];
	uint8_t		 macbuf[HA_TXBUF];
};

/* ha_engine.c, for the control requests. */
const char *bce_state_name(unsigned state);
int	ha_engine_delete(struct ha_engine *, const struct in6_addr *hoa);

/* ha_engine_ctl.c */
int	ha_ctl_request(struct ha_engine *, const char *request,
	    uint64_t now_ms, struct jw *);

#endif
