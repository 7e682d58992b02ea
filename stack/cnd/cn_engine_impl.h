/*
 * stack/cnd/cn_engine_impl.h - private glue between cn_engine.c (the
 * protocol) and cn_engine_ctl.c (control requests as JSON): the engine's
 * state.  Not part of the engine's API.
 */
#ifndef MIP6_CN_ENGINE_IMPL_H
#define MIP6_CN_ENGINE_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packets/pkt.h"
#include "packets/rr.h"
#include "stack/cnd/cn_engine.h"
#include "stack/lib/ratelim.h"

/* One binding cache entry (RFC 6275 §9.1). */
struct cn_bce {
	struct in6_addr	hoa;
	struct in6_addr	coa;
	struct in6_addr	cn;		/* our address the BU went to; ::
					   for an entry restored from
					   cn_bind (no BRR then) */
	uint8_t		state;		/* enum cn_bce_state */
	uint16_t	seq;		/* last accepted Sequence Number */
	uint16_t	bu_flags;
	uint16_t	lifetime;	/* granted, 4-second units */
	uint64_t	registered_ms;
	uint64_t	expires_ms;
	uint64_t	brr_ms;		/* when to send the BRR, 0 never */
	struct cn_bce	*next;		/* hash chain */
};

/* What `mip6ctl counters` prints: every reason a message was answered
   or dropped. */
struct cn_counters {
	uint64_t	rx_hoti, rx_coti, rx_bu, rx_be_hint, rx_unknown_mh,
			rx_hao_no_binding, rx_ptb;
	uint64_t	tx_hot, tx_cot, tx_ba, tx_be, tx_brr, tx_param_prob,
			tx_ptb;
	uint64_t	ba_status[256];
	uint64_t	be_status[3];		/* index: BE status 1, 2 */
	uint64_t	drop_checksum, drop_malformed, drop_init_with_hao,
			drop_bad_addr, drop_no_nonce_indices, drop_no_bad,
			drop_auth_failed, drop_home_reg_ni, drop_rate_limited,
			drop_not_for_us, drop_bind_failed;
	uint64_t	expired, brr_sent_no_reply, kcn_rotations;
};

#define CN_TXBUF	2048

struct cn_engine {
	struct cnd_conf	 conf;
	struct cn_ops	 ops;
	uint64_t	 now;		/* of the call being served */
	/* RFC 6275 §5.2.3, §5.2.7: the node key and the nonce table
	   (times in ms); the previous Kcn signs the nonces made before
	   kcn_since. */
	struct rr_cn_state rr;
	uint8_t		 prev_kcn[RR_KCN_LEN];
	bool		 have_prev_kcn;
	uint64_t	 kcn_since;
	/* The binding cache: chained hash on the home address. */
	struct cn_bce	**bucket;
	size_t		 nbucket;	/* power of two */
	size_t		 count;
	uint64_t	 hash_seed;
	struct cn_counters cnt;
	struct ratelim	 rl_be, rl_icmp, rl_log;	/* stack/lib/ratelim.h */
	struct pkt	 rx;		/* decoded input */
	struct pkt	 tx;		/* packet being built */
	uint8_t		 txbuf[CN_TXBUF];
};

/* cn_engine.c, for the control requests. */
struct cn_bce *cn_bc_next(const struct cn_engine *, size_t *bucket,
	    struct cn_bce *prev);
int	cn_ctl_request(struct cn_engine *, const char *request,
	    uint64_t now_ms, struct jw *);

#endif
