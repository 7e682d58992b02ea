/*
 * stack/cnd/cn_engine_ctl.c - the correspondent engine's control requests
 * (mip6ctl -s /run/mip6kit/cnd.sock ...): the binding cache, the nonce
 * table, the counters, as JSON.  See cn_engine.h for the answers.
 */
#include <stdio.h>
#include <string.h>

#include "packets/mh.h"
#include "packets/sbuf.h"
#include "stack/cnd/cn_engine_impl.h"

static void
ctl_bindings(struct cn_engine *e, uint64_t now, struct jw *jw)
{
	struct cn_bce *b = NULL;
	size_t k = 0;

	jw_arr_open(jw, "bindings");
	while ((b = cn_bc_next(e, &k, b)) != NULL) {
		jw_obj_open(jw, NULL);
		jw_in6(jw, "hoa", &b->hoa);
		jw_in6(jw, "coa", &b->coa);
		jw_in6(jw, "cn", &b->cn);
		jw_uint(jw, "seq", b->seq);
		jw_uint(jw, "lifetime", (uint64_t)b->lifetime * 4);
		jw_uint(jw, "remaining", b->expires_ms > now ?
		    (b->expires_ms - now) / 1000 : 0);
		jw_str(jw, "state", cn_bce_state_name(b->state));
		jw_obj_close(jw);
	}
	jw_arr_close(jw);
}

static void
ctl_nonces(struct cn_engine *e, uint64_t now, struct jw *jw)
{
	size_t i;

	jw_arr_open(jw, "nonces");
	for (i = 0; i < RR_NONCE_SLOTS; i++) {
		const struct rr_nonce *n = &e->rr.slots[i];

		/* what rr_cn_lookup would still accept */
		if (rr_cn_lookup(&e->rr, n->index, now) != n)
			continue;
		jw_obj_open(jw, NULL);
		jw_uint(jw, "index", n->index);
		jw_uint(jw, "age", now > n->created ?
		    (now - n->created) / 1000 : 0);
		jw_obj_close(jw);
	}
	jw_arr_close(jw);
	jw_uint(jw, "kcn_age", now > e->kcn_since ?
	    (now - e->kcn_since) / 1000 : 0);
	jw_bool(jw, "previous_kcn", e->have_prev_kcn);
	jw_uint(jw, "nonce_lifetime", e->conf.nonce_lifetime);
	jw_uint(jw, "token_lifetime", e->conf.token_lifetime);
}

struct named {
	const char	*name;
	uint64_t	 v;
};

static void
put_group(struct jw *jw, const char *key, const struct named *v, size_t n)
{
	size_t i;

	jw_obj_open(jw, key);
	for (i = 0; i < n; i++)
		jw_uint(jw, v[i].name, v[i].v);
	jw_obj_close(jw);
}

/* Every non-zero entry of a status table, keyed by the number. */
static void
put_statuses(struct jw *jw, const char *key, const uint64_t *v, size_t n)
{
	char num[8];
	size_t i;

	jw_obj_open(jw, key);
	for (i = 0; i < n; i++)
		if (v[i] != 0) {
			snprintf(num, sizeof(num), "%zu", i);
			jw_uint(jw, num, v[i]);
		}
	jw_obj_close(jw);
}

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static void
ctl_counters(struct cn_engine *e, struct jw *jw)
{
	const struct cn_counters *c = &e->cnt;
	const struct named rx[] = {
		{ "hoti", c->rx_hoti }, { "coti", c->rx_coti },
		{ "bu", c->rx_bu }, { "be_hint", c->rx_be_hint },
		{ "unknown_mh", c->rx_unknown_mh },
		{ "hao_no_binding", c->rx_hao_no_binding },
		{ "ptb", c->rx_ptb },
	};
	const struct named tx[] = {
		{ "hot", c->tx_hot }, { "cot", c->tx_cot }, { "ba", c->tx_ba },
		{ "be", c->tx_be }, { "brr", c->tx_brr },
		{ "param_prob", c->tx_param_prob }, { "ptb", c->tx_ptb },
	};
	const struct named drops[] = {
		{ "checksum", c->drop_checksum },
		{ "malformed", c->drop_malformed },
		{ "init_with_hao", c->drop_init_with_hao },
		{ "bad_address", c->drop_bad_addr },
		{ "no_nonce_indices", c->drop_no_nonce_indices },
		{ "no_binding_auth_data", c->drop_no_bad },
		{ "auth_failed", c->drop_auth_failed },
		{ "home_reg_with_nonce_indices", c->drop_home_reg_ni },
		{ "rate_limited", c->drop_rate_limited },
		{ "not_for_us", c->drop_not_for_us },
		{ "bind_failed", c->drop_bind_failed },
	};
	const struct named other[] = {
		{ "expired", c->expired },
		{ "brr_unanswered", c->brr_sent_no_reply },
		{ "kcn_rotations", c->kcn_rotations },
	};

	put_group(jw, "rx", rx, N(rx));
	put_group(jw, "tx", tx, N(tx));
	put_statuses(jw, "ba_status", c->ba_status, N(c->ba_status));
	put_statuses(jw, "be_status", c->be_status, N(c->be_status));
	put_group(jw, "drops", drops, N(drops));
	put_group(jw, "bindings", other, N(other));
}

int
cn_ctl_request(struct cn_engine *e, const char *req, uint64_t now,
    struct jw *jw)
{
	jw_obj_open(jw, NULL);
	if (strcmp(req, "bindings") == 0)
		ctl_bindings(e, now, jw);
	else if (strcmp(req, "nonces") == 0)
		ctl_nonces(e, now, jw);
	else if (strcmp(req, "counters") == 0)
		ctl_counters(e, jw);
	else if (strcmp(req, "status") == 0) {
		jw_uint(jw, "bindings", e->count);
		jw_uint(jw, "max_bindings", e->conf.max_bindings);
	} else {
		jw_str(jw, "error", "unknown request (bindings, nonces, "
		    "counters, status, reset)");
		jw_obj_close(jw);
		return -1;
	}
	jw_obj_close(jw);
	return 0;
}
