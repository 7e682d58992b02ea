/*
 * stack/mnd/mn_engine_ctl.c - the mobile node engine's control requests
 * (mip6ctl -s /run/mip6kit/mnd.sock bul|status|counters): the binding
 * update list with both state machines' states by name and the timers,
 * the care-of address and homes, and the counters, as JSON.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "packets/mh.h"
#include "packets/sbuf.h"
#include "stack/mnd/mn_engine_impl.h"

/* ms from now to t (0: off; never negative). */
static int64_t
remaining(uint64_t t, uint64_t now)
{
	if (t == 0)
		return -1;
	return t > now ? (int64_t)(t - now) : 0;
}

static void
put_prefix(struct jw *jw, const struct mnd_prefix *p)
{
	char a[IN6_STRLEN], s[IN6_STRLEN + 8];

	snprintf(s, sizeof(s), "%s/%u", in6_fmt(&p->addr, a), p->plen);
	jw_str(jw, NULL, s);
}

static void
put_flags(struct jw *jw, uint16_t f)
{
	char s[16];
	size_t n = 0;

	if (f & MH_BU_A)
		n += (size_t)snprintf(s + n, sizeof(s) - n, "A ");
	if (f & MH_BU_H)
		n += (size_t)snprintf(s + n, sizeof(s) - n, "H ");
	if (f & MH_BU_L)
		n += (size_t)snprintf(s + n, sizeof(s) - n, "L ");
	if (f & MH_BU_R)
		n += (size_t)snprintf(s + n, sizeof(s) - n, "R ");
	if (f & MH_BU_F)
		n += (size_t)snprintf(s + n, sizeof(s) - n, "F ");
	if (n > 0)
		s[--n] = '\0';
	else
		s[0] = '\0';
	jw_str(jw, "flags", s);
}

static void
put_bul(struct mn_engine *e, struct jw *jw, const struct mn_bul *b,
    uint64_t now)
{
	const struct mn_home *h = &e->home[b->hidx];
	int64_t left = b->expires_ms != 0 ? remaining(b->expires_ms, now) : 0;
	size_t i;

	jw_obj_open(jw, NULL);
	jw_in6(jw, "hoa", &h->conf.pfx.addr);
	jw_in6(jw, "peer", &b->peer);
	jw_in6(jw, "coa", &b->coa);
	jw_bool(jw, "home", b->home);
	jw_str(jw, "reg_state", mn_reg_state_name(b->reg));
	jw_str(jw, "rr_state", mn_rr_state_name(b->rr));
	jw_uint(jw, "seq", b->seq);
	jw_uint(jw, "lifetime", (uint64_t)b->lifetime *
	    (MN_LIFETIME_UNIT_MS / 1000));
	jw_int(jw, "remaining", left / 1000);
	jw_int(jw, "retransmit_in_ms", remaining(b->reg_timer, now));
	jw_uint(jw, "retries", b->retries);
	put_flags(jw, b->flags);
	if (!b->home) {
		jw_bool(jw, "non_mip", b->non_mip);
		jw_bool(jw, "gave_up", b->gave_up);	/* §11.8 */
	}
	jw_uint(jw, "refused", b->refused);	/* §11.7.3: BA status */
	if (b->home && e->conf.mobile_router) {
		jw_arr_open(jw, "mnp");
		for (i = 0; i < e->conf.nmnp; i++)
			put_prefix(jw, &e->conf.mnp[i].pfx);
		jw_arr_close(jw);
	}
	jw_obj_close(jw);
}

static void
ctl_bul(struct mn_engine *e, struct jw *jw, uint64_t now)
{
	size_t i;

	jw_arr_open(jw, "bul");
	for (i = 0; i < MN_BUL_MAX; i++)
		if (e->bul[i].used)
			put_bul(e, jw, &e->bul[i], now);
	jw_arr_close(jw);
}

/* "a.b.c.d/len" */
static void
put_v4(struct jw *jw, const char *key, const struct in_addr *a,
    unsigned plen)
{
	char s[INET_ADDRSTRLEN + 4], t[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, a, t, sizeof(t));
	snprintf(s, sizeof(s), "%s/%u", t, plen);
	jw_str(jw, key, s);
}

/*
 * DSMIPv6 (RFC 5555) of one home address: "ipv4": null when none is
 * configured, else {"state","status","address" (null unless bound),
 * "coa4" (null unless the care-of address is IPv4),"nat","udp","natd_f",
 * "refresh" (s, the HA's Refresh Time, 0 none),"keepalive_in_ms"}.
 */
static void
put_home_v4(struct mn_engine *e, struct jw *jw, const struct mn_home *h,
    uint64_t now)
{
	struct in_addr c4;

	if (h->conf.v4mode == MND_V4_NONE) {
		jw_null(jw, "ipv4");
		return;
	}
	jw_obj_open(jw, "ipv4");
	jw_str(jw, "state", mn_v4_state_name(h->v4_state));
	jw_uint(jw, "status", h->v4_status);
	if (h->v4_state == MN_V4_BOUND)
		put_v4(jw, "address", &h->v4_addr, h->v4_plen);
	else
		jw_null(jw, "address");
	if (mn_coa_is_v4(e)) {
		c4 = mn_coa4(e);
		put_v4(jw, "coa4", &c4, 32);
	} else {
		jw_null(jw, "coa4");
	}
	jw_bool(jw, "nat", h->nat);
	jw_bool(jw, "udp", h->udp);
	jw_bool(jw, "natd_f", h->natd_f);
	jw_uint(jw, "refresh", h->refresh_s);
	jw_int(jw, "keepalive_in_ms", remaining(h->ka_timer, now));
	jw_obj_close(jw);
}

static void
ctl_status(struct mn_engine *e, struct jw *jw, uint64_t now)
{
	size_t i, k;

	if (e->have_coa) {
		jw_in6(jw, "coa", &e->coa);
		jw_uint(jw, "coa_ifindex", e->coa_ifindex);
	} else {
		jw_null(jw, "coa");
	}
	jw_bool(jw, "mobile_router", e->conf.mobile_router);
	jw_str(jw, "registration_mode", e->conf.regmode == MND_REG_EXPLICIT ?
	    "explicit" : "implicit");
	jw_bool(jw, "route_optimization", e->conf.route_opt);
	jw_arr_open(jw, "homes");
	for (i = 0; i < e->nhome; i++) {
		const struct mn_home *h = &e->home[i];
		const struct mn_bul *b = mn_bul_home(e, i);

		jw_obj_open(jw, NULL);
		jw_in6(jw, "hoa", &h->conf.pfx.addr);
		jw_uint(jw, "plen", h->conf.pfx.plen);
		if (b != NULL && !mn_in6_any(&b->peer))
			jw_in6(jw, "ha", &b->peer);
		else
			jw_null(jw, "ha");
		jw_bool(jw, "dynamic_ha", !h->conf.has_ha);
		jw_bool(jw, "at_home", h->at_home);
		jw_arr_open(jw, "prefixes");
		for (k = 0; k < h->nmpa; k++)
			put_prefix(jw, &h->mpa[k]);
		jw_arr_close(jw);
		put_home_v4(e, jw, h, now);
		jw_obj_close(jw);
	}
	jw_arr_close(jw);
}

static const char *const rx_names[MN_RX_MAX] = {
	"ba", "brr", "be", "hot", "cot", "dhaad_reply", "mpa", "param_prob",
	"rr_hint", "md_info", "ptb",
};
static const char *const tx_names[MN_TX_MAX] = {
	"bu", "hoti", "coti", "dhaad_request", "mps", "na", "bus", "be",
	"ptb",
};
static const char *const drop_names[MN_DROP_MAX] = {
	"malformed", "unexpected", "no_coa", "stale_seq", "no_ha4",
};

/* {"NAME":N,...} for n counters; with `nonzero`, keys are the indices
   and only counters that moved appear. */
static void
put_group(struct jw *jw, const char *key, const uint64_t *v, size_t n,
    const char *const *names, bool nonzero)
{
	char k[8];
	size_t i;

	jw_obj_open(jw, key);
	for (i = 0; i < n; i++) {
		if (names != NULL) {
			jw_uint(jw, names[i], v[i]);
		} else if (!nonzero || v[i] != 0) {
			snprintf(k, sizeof(k), "%zu", i);
			jw_uint(jw, k, v[i]);
		}
	}
	jw_obj_close(jw);
}

static void
ctl_counters(struct mn_engine *e, struct jw *jw)
{
	const struct mn_counters *c = &e->cnt;

	put_group(jw, "rx", c->rx, MN_RX_MAX, rx_names, false);
	put_group(jw, "tx", c->tx, MN_TX_MAX, tx_names, false);
	put_group(jw, "ba_status", c->ba_status, 256, NULL, true);
	put_group(jw, "be_status", c->be_status, 3, NULL, true);
	put_group(jw, "drops", c->drop, MN_DROP_MAX, drop_names, false);
	jw_obj_open(jw, "ro");
	jw_uint(jw, "gave_up", c->ro_gave_up);
	jw_obj_close(jw);
	espsa_json(jw, &e->esp);	/* RFC 3776: no keys */
}

int
mn_ctl_request(struct mn_engine *e, const char *req, uint64_t now,
    struct jw *jw)
{
	jw_obj_open(jw, NULL);
	if (strcmp(req, "bul") == 0) {
		ctl_bul(e, jw, now);
	} else if (strcmp(req, "status") == 0) {
		ctl_status(e, jw, now);
	} else if (strcmp(req, "counters") == 0) {
		ctl_counters(e, jw);
	} else if (strcmp(req, "reset") == 0) {
		mn_engine_reset(e, now);
		jw_bool(jw, "reset", true);
	} else {
		jw_str(jw, "error", "unknown request (bul, status, counters, "
		    "reset)");
		jw_obj_close(jw);
		return -1;
	}
	jw_obj_close(jw);
	return 0;
}
