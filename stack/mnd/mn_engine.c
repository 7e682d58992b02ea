/*
 * stack/mnd/mn_engine.c - the mobile node's protocol engine (see
 * mn_engine.h): the binding update list and its two state machines
 * (SHISA's registration and return routability FSMs, stack-anchors.md
 * §2.4), movement from the bus, input dispatch (Binding Acknowledgement,
 * Binding Refresh Request, Binding Error, HoT, CoT, DHAAD Reply, Mobile
 * Prefix Advertisement, ICMPv6 Parameter Problem, RR hints), timers, and
 * the durable records kept in the pinned maps.  Packets are built in
 * mn_engine_tx.c, control answers in mn_engine_ctl.c.
 */
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "packets/pkt.h"
#include "packets/ptb.h"
#include "packets/rr.h"
#include "packets/sbuf.h"
#include "stack/lib/m6addr.h"
#include "stack/mnd/mn_engine_impl.h"

#define LOG_PER_SEC	10	/* input complaints logged per second */

/* ------------------------------------------------------------- names */

static const char *const reg_names[MN_REG_NSTATES] = {
	[MN_REG_IDLE] = "IDLE", [MN_REG_RRINIT] = "RRINIT",
	[MN_REG_RRREDO] = "RRREDO", [MN_REG_RRDEL] = "RRDEL",
	[MN_REG_WAITA] = "WAITA", [MN_REG_WAITAR] = "WAITAR",
	[MN_REG_WAITD] = "WAITD", [MN_REG_BOUND] = "BOUND",
	[MN_REG_DHAAD] = "DHAAD",
};

static const char *const rr_names[MN_RR_NSTATES] = {
	[MN_RR_START] = "START", [MN_RR_WAITHC] = "WAITHC",
	[MN_RR_WAITH] = "WAITH", [MN_RR_WAITC] = "WAITC",
};

static const char *const event_names[MN_EV_MAX] = {
	[MN_EV_MOVEMENT] = "MOVEMENT",
	[MN_EV_RETURNING_HOME] = "RETURNING_HOME",
	[MN_EV_REVERSE_PACKET] = "REVERSE_PACKET",
	[MN_EV_RR_DONE] = "RR_DONE", [MN_EV_RR_FAILED] = "RR_FAILED",
	[MN_EV_BRR] = "BRR", [MN_EV_BACK] = "BACK",
	[MN_EV_REGISTERED] = "REGISTERED",
	[MN_EV_DEREGISTERED] = "DEREGISTERED",
	[MN_EV_UNKNOWN_HAO] = "UNKNOWN_HAO",
	[MN_EV_UNKNOWN_MH] = "UNKNOWN_MH",
	[MN_EV_ICMP6_PARAM_PROB] = "ICMP6_PARAM_PROB",
	[MN_EV_EXPIRE_TIMER] = "EXPIRE_TIMER",
	[MN_EV_DHAAD_REPLY] = "DHAAD_REPLY",
	[MN_EV_START_RR] = "START_RR", [MN_EV_START_HOME_RR] = "START_HOME_RR",
	[MN_EV_STOP_RR] = "STOP_RR", [MN_EV_HOT] = "HOT", [MN_EV_COT] = "COT",
	[MN_EV_RETRANS_TIMER] = "RETRANS_TIMER",
};

const char *
mn_reg_state_name(unsigned s)
{
	return s < MN_REG_NSTATES ? reg_names[s] : "?";
}

const char *
mn_rr_state_name(unsigned s)
{
	return s < MN_RR_NSTATES ? rr_names[s] : "?";
}

const char *
mn_event_name(unsigned ev)
{
	return ev < MN_EV_MAX && event_names[ev] != NULL ? event_names[ev] :
	    "?";
}

/* ----------------------------------------------------------- logging */

void
mn_log(struct mn_engine *e, int prio, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (e->ops.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	e->ops.log(e->ops.ctx, prio, msg);
}

/* A complaint about input: at most LOG_PER_SEC a second. */
static void
input_log(struct mn_engine *e, const char *what, const struct in6_addr *src)
{
	char a[IN6_STRLEN];

	if (!ratelim_take_window(&e->rl_log, e->now, LOG_PER_SEC))
		return;
	mn_log(e, LOG_NOTICE, "dropped %s from %s", what,
	    src != NULL ? in6_fmt(src, a) : "?");
}

static void
drop_malformed(struct mn_engine *e, const char *what,
    const struct in6_addr *src)
{
	e->cnt.drop[MN_DROP_MALFORMED]++;
	input_log(e, what, src);
}

static void
drop_unexpected(struct mn_engine *e, const char *what,
    const struct in6_addr *src)
{
	e->cnt.drop[MN_DROP_UNEXPECTED]++;
	input_log(e, what, src);
}

/* -------------------------------------------------------------- BUL */

static const struct in6_addr *
bul_hoa(const struct mn_engine *e, const struct mn_bul *b)
{
	return &e->home[b->hidx].conf.pfx.addr;
}

struct mn_bul *
mn_bul_home(struct mn_engine *e, size_t hidx)
{
	size_t i;

	for (i = 0; i < MN_BUL_MAX; i++)
		if (e->bul[i].used && e->bul[i].home && e->bul[i].hidx == hidx)
			return &e->bul[i];
	return NULL;
}

static size_t
home_index(const struct mn_engine *e, const struct in6_addr *hoa, bool *ok)
{
	size_t i;

	for (i = 0; i < e->nhome; i++)
		if (mn_in6_eq(&e->home[i].conf.pfx.addr, hoa)) {
			*ok = true;
			return i;
		}
	*ok = false;
	return 0;
}

/* The entry for (hoa, peer), or NULL. */
static struct mn_bul *
bul_find(struct mn_engine *e, const struct in6_addr *hoa,
    const struct in6_addr *peer)
{
	bool ok;
	size_t h = home_index(e, hoa, &ok), i;

	if (!ok)
		return NULL;
	for (i = 0; i < MN_BUL_MAX; i++) {
		struct mn_bul *b = &e->bul[i];

		if (b->used && b->hidx == h && mn_in6_eq(&b->peer, peer))
			return b;
	}
	return NULL;
}

static struct mn_bul *
bul_new(struct mn_engine *e, size_t hidx, const struct in6_addr *peer,
    bool home)
{
	size_t i;

	for (i = 0; i < MN_BUL_MAX; i++) {
		struct mn_bul *b = &e->bul[i];

		if (b->used)
			continue;
		memset(b, 0, sizeof(*b));
		b->used = true;
		b->home = home;
		b->hidx = hidx;
		b->peer = *peer;
		if (rr_random((uint8_t *)&b->seq, sizeof(b->seq)) != 0)
			b->seq = (uint16_t)(e->now & 0xffff);
		return b;
	}
	return NULL;
}

/* ----------------------------------------------------- durable state */

/* Registration states in which packets from the HoA go through the HA. */
static bool
reg_tunnels(enum mn_reg_state s)
{
	return s == MN_REG_WAITA || s == MN_REG_WAITAR || s == MN_REG_BOUND;
}

/* The mn_hoa record of a home entry: forwarding + durable state. */
static void
hoa_save(struct mn_engine *e, const struct mn_bul *b)
{
	const struct mn_home *h = &e->home[b->hidx];
	struct m6_mn_hoa r;

	if (e->ops.hoa_set == NULL)
		return;
	memset(&r, 0, sizeof(r));
	m6_from_in6(&r.coa, &b->coa);
	m6_from_in6(&r.ha, &b->peer);
	m6_from_in6(&r.gw, &e->router);
	if (!h->at_home && e->have_coa && reg_tunnels(b->reg) &&
	    !mn_in6_any(&b->peer))
		r.flags |= M6H_AWAY;
	if (e->conf.mobile_router)
		r.flags |= M6H_ROUTER;
	r.coa_ifindex = e->coa_ifindex;
	r.sent_ms = b->sent_ms;
	r.expires_ms = b->expires_ms;
	r.seq = b->seq;
	r.lifetime = b->lifetime;
	r.reg_state = (uint8_t)b->reg;
	r.nmnp = (uint8_t)e->conf.nmnp;
	mn_v4_hoa_flags(e, h, &r);
	if (e->ops.hoa_set(e->ops.ctx, bul_hoa(e, b), &r) != 0)
		mn_log(e, LOG_ERR, "the kernel refused the home address entry");
}

static void
ro_key(const struct mn_engine *e, const struct mn_bul *b,
    struct m6_ro_key *k)
{
	memset(k, 0, sizeof(*k));
	m6_from_in6(&k->hoa, bul_hoa(e, b));
	m6_from_in6(&k->peer, &b->peer);
}

/* The mn_ro record of a correspondent entry. */
static void
ro_save(struct mn_engine *e, const struct mn_bul *b)
{
	struct m6_ro_key k;
	struct m6_mn_ro r;

	ro_key(e, b, &k);
	if (b->reg == MN_REG_IDLE) {
		/* no binding at the correspondent: plain (tunneled) path */
		if (e->ops.ro_del != NULL)
			e->ops.ro_del(e->ops.ctx, &k);
		return;
	}
	if (e->ops.ro_set == NULL)
		return;
	memset(&r, 0, sizeof(r));
	m6_from_in6(&r.coa, &b->coa);
	if (b->reg == MN_REG_BOUND || b->reg == MN_REG_RRREDO ||
	    b->reg == MN_REG_WAITAR)
		r.flags = M6R_ACTIVE;
	r.expires_ms = b->expires_ms;
	r.seq = b->seq;
	r.lifetime = b->lifetime;
	r.reg_state = (uint8_t)b->reg;
	r.rr_state = (uint8_t)b->rr;
	if (e->ops.ro_set(e->ops.ctx, &k, &r) != 0)
		mn_log(e, LOG_ERR, "the kernel refused a route optimisation "
		    "entry");
}

static void
bul_save(struct mn_engine *e, const struct mn_bul *b)
{
	if (b->home)
		hoa_save(e, b);
	else
		ro_save(e, b);
}

static void
bul_free(struct mn_engine *e, struct mn_bul *b)
{
	struct m6_ro_key k;

	if (!b->home && e->ops.ro_del != NULL) {
		ro_key(e, b, &k);
		e->ops.ro_del(e->ops.ctx, &k);
	}
	b->used = false;
}

/* --------------------------------------------------------------- bus */

static void
bus_out(struct mn_engine *e, struct msock_msg *m)
{
	if (e->ops.bus == NULL)
		return;
	e->ops.bus(e->ops.ctx, m);
	e->cnt.tx[MN_TX_BUS]++;
}

static void
msg_in6(struct msock_msg *m, enum msock_attr a, struct in6_addr *field,
    const struct in6_addr *v)
{
	*field = *v;
	m->present |= 1u << a;
}

static void
msg_u32(struct msock_msg *m, enum msock_attr a, uint32_t *field, uint32_t v)
{
	*field = v;
	m->present |= 1u << a;
}

/* BUL_ADD when an entry is bound, BUL_REMOVE when it stops being. */
static void
bus_bul(struct mn_engine *e, const struct mn_bul *b, bool add)
{
	struct msock_msg m;
	size_t i;

	memset(&m, 0, sizeof(m));
	m.version = MSOCK_VERSION;
	m.type = add ? MSOCK_BUL_ADD : MSOCK_BUL_REMOVE;
	msg_in6(&m, MSA_HOA, &m.hoa, bul_hoa(e, b));
	msg_in6(&m, MSA_COA, &m.coa, &b->coa);
	msg_in6(&m, MSA_PEER, &m.peer, &b->peer);
	msg_u32(&m, MSA_LIFETIME, &m.lifetime,
	    (uint32_t)b->lifetime * (MN_LIFETIME_UNIT_MS / 1000));
	msg_u32(&m, MSA_FLAGS, &m.flags, b->flags);
	msg_u32(&m, MSA_STATE, &m.state, b->reg);
	if (add && b->home && e->conf.mobile_router) {
		for (i = 0; i < e->conf.nmnp && i < MSOCK_PREFIX_MAX; i++) {
			m.prefix[i].plen = e->conf.mnp[i].pfx.plen;
			m.prefix[i].addr = e->conf.mnp[i].pfx.addr;
		}
		m.nprefix = (unsigned)i;
		if (i > 0)
			m.present |= 1u << MSA_PREFIX;
	}
	bus_out(e, &m);
}

static void
bus_rr_hint(struct mn_engine *e, const struct in6_addr *hoa,
    const struct in6_addr *peer)
{
	struct msock_msg m;

	memset(&m, 0, sizeof(m));
	m.version = MSOCK_VERSION;
	m.type = MSOCK_RR_HINT;
	msg_in6(&m, MSA_HOA, &m.hoa, hoa);
	msg_in6(&m, MSA_PEER, &m.peer, peer);
	bus_out(e, &m);
}

/* ------------------------------------------------------ state changes */

static bool
reg_bound(enum mn_reg_state s)
{
	return s == MN_REG_BOUND || s == MN_REG_WAITAR || s == MN_REG_RRREDO;
}

/* Mobile network prefixes follow the home registration (RFC 3963 §5.5). */
static void
mnp_follow(struct mn_engine *e, const struct mn_bul *b, bool on)
{
	size_t i;

	if (!b->home || !e->conf.mobile_router)
		return;
	for (i = 0; i < e->conf.nmnp; i++) {
		if (on && e->ops.mnp_set != NULL)
			e->ops.mnp_set(e->ops.ctx, &e->conf.mnp[i].pfx,
			    bul_hoa(e, b));
		else if (!on && e->ops.mnp_del != NULL)
			e->ops.mnp_del(e->ops.ctx, &e->conf.mnp[i].pfx);
	}
}

static void
reg_set(struct mn_engine *e, struct mn_bul *b, enum mn_reg_state to,
    enum mn_event ev)
{
	enum mn_reg_state from = b->reg;
	char p[IN6_STRLEN], h[IN6_STRLEN];

	b->reg = to;
	/* RFC 5555 [R]: no IPv4 home address without a binding away */
	if (b->home && from != to && (to == MN_REG_IDLE || to == MN_REG_WAITD))
		mn_v4_clear(e, &e->home[b->hidx]);
	if (from != to)
		mn_log(e, LOG_INFO, "bul %s -> %s: %s -> %s (%s)",
		    in6_fmt(bul_hoa(e, b), h), in6_fmt(&b->peer, p),
		    reg_names[from], reg_names[to], mn_event_name(ev));
	if (to == MN_REG_BOUND && from != MN_REG_BOUND) {
		bus_bul(e, b, true);
		if (!reg_bound(from))
			mnp_follow(e, b, true);
	} else if (reg_bound(from) && !reg_bound(to)) {
		bus_bul(e, b, false);
		mnp_follow(e, b, false);
	}
	bul_save(e, b);
}

static void
rr_set(struct mn_engine *e, struct mn_bul *b, enum mn_rr_state to,
    enum mn_event ev)
{
	char p[IN6_STRLEN];

	if (b->rr != to)
		mn_log(e, LOG_DEBUG, "rr %s: %s -> %s (%s)",
		    in6_fmt(&b->peer, p), rr_names[b->rr], rr_names[to],
		    mn_event_name(ev));
	b->rr = to;
}

/* ------------------------------------------------------------ timers */

static void
arm_retrans(struct mn_engine *e, struct mn_bul *b, uint32_t first_ms)
{
	b->backoff_ms = first_ms;
	b->retries = 0;
	b->reg_timer = e->now + first_ms;
}

/* RFC 6275 §11.8: the timeout doubles on each retransmission, up to
   MAX_BINDACK_TIMEOUT, and stays there. */
static void
backoff(struct mn_engine *e, struct mn_bul *b)
{
	b->retries++;
	b->backoff_ms *= 2;
	if (b->backoff_ms > MN_MAX_BINDACK_MS)
		b->backoff_ms = MN_MAX_BINDACK_MS;
	b->reg_timer = e->now + b->backoff_ms;
}

/* ------------------------------------------------- home registration */

/* Seconds left of a lifetime of valid_s learnt at at_ms. */
static uint32_t
valid_left(uint32_t valid_s, uint64_t at_ms, uint64_t now)
{
	uint64_t gone = now > at_ms ? (now - at_ms) / 1000 : 0;

	if (valid_s == MN_INFINITE)
		return MN_INFINITE;
	return gone >= valid_s ? 0 : (uint32_t)(valid_s - gone);
}

static uint32_t
min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/*
 * RFC 6275 §11.7.1 (home), §11.7.2 (correspondent): the Lifetime asked
 * for is no longer than what is left of the home address's valid
 * lifetime (its prefix's, from an MPA) and of the care-of address's
 * (MD_INFO's MSA_LIFETIME).  A registration's Lifetime is never zero
 * (zero means de-registration), so at least one 4-second unit.
 */
static uint16_t
bu_lifetime_units(const struct mn_engine *e, const struct mn_bul *b,
    uint32_t want_s)
{
	const struct mn_home *h = &e->home[b->hidx];
	uint32_t s = want_s, u;

	s = min_u32(s, valid_left(h->pfx_valid_s, h->pfx_valid_ms, e->now));
	s = min_u32(s, valid_left(e->coa_valid_s, e->coa_valid_ms, e->now));
	u = s / (MN_LIFETIME_UNIT_MS / 1000);
	if (u == 0)
		u = 1;
	return (uint16_t)(u > 0xffff ? 0xffff : u);
}

/*
 * RFC 6275 §11.7.1: L set when the home address has the interface
 * identifier of the mobile node's link-local address, so the home agent
 * defends that link-local address on the home link too.  We compare with
 * the link-local address of every managed interface (mnd.conf's
 * `interface` lines, as the privileged process found them): whichever of
 * them sits on the home link uses it there.
 */
static bool
ll_compatible(const struct mn_engine *e, const struct in6_addr *hoa)
{
	size_t i;

	for (i = 0; i < e->nifaces; i++) {
		const struct in6_addr *ll = &e->ifaces[i].ll;

		if (ll->s6_addr[0] == 0xfe && (ll->s6_addr[1] & 0xc0) == 0x80 &&
		    memcmp(ll->s6_addr + 8, hoa->s6_addr + 8, 8) == 0)
			return true;
	}
	return false;
}

/* A new BU to the HA (RFC 6275 §11.7.1: the sequence number grows). */
static void
home_bu(struct mn_engine *e, struct mn_bul *b, bool dereg)
{
	b->dereg = dereg;
	b->flags = MH_BU_A | MH_BU_H |
	    (e->conf.mobile_router ? MH_BU_R : 0) |
	    (ll_compatible(e, bul_hoa(e, b)) ? MH_BU_L : 0);
	b->lifetime_req = bu_lifetime_units(e, b, e->conf.lifetime);
	b->seq++;
	mn_tx_home_bu(e, b);
}

/* A fresh exchange: first BU now, timeout `first_ms`. */
static void
home_start(struct mn_engine *e, struct mn_bul *b, bool dereg,
    uint32_t first_ms)
{
	home_bu(e, b, dereg);
	arm_retrans(e, b, first_ms);
}

static bool
home_has_ha(const struct mn_engine *e, const struct mn_bul *b)
{
	(void)e;
	return !mn_in6_any(&b->peer);
}

static void
dhaad_start(struct mn_engine *e, struct mn_bul *b)
{
	struct mn_home *h = &e->home[b->hidx];

	h->dhaad_id = ++e->next_id;
	mn_tx_dhaad(e, h);
	b->backoff_ms = MN_INITIAL_DHAAD_MS;
	b->retries = 0;
	b->reg_timer = e->now + MN_INITIAL_DHAAD_MS;
}

/* RFC 6275 §11.7.3: the binding lasts from when the BU was sent. */
static void
home_bound(struct mn_bul *b, uint16_t granted)
{
	uint64_t life = (uint64_t)granted * MN_LIFETIME_UNIT_MS;

	b->lifetime = granted;
	b->expires_ms = b->sent_ms + life;
	b->reg_timer = b->sent_ms + life * MN_REFRESH_PERCENT / 100;
	b->retries = 0;
}

/*
 * RFC 6275 §11.4.2: a Mobile Prefix Solicitation only when prefix
 * information is needed (here: to confirm an unsolicited advertisement,
 * §11.4.3), never merely because a registration completed; retransmitted
 * with back-off until the solicited advertisement arrives.
 */
static void
mps_start(struct mn_engine *e, struct mn_home *h, const struct mn_bul *b)
{
	h->mps_id = ++e->next_id;
	h->mps_backoff_ms = MN_INITIAL_SOLICIT_MS;
	h->mps_timer = e->now + MN_INITIAL_SOLICIT_MS;
	mn_tx_mps(e, h, b);
}

/* RFC 6275 §11.5.4: the address goes back on the home link, announced. */
static void
home_arrived(struct mn_engine *e, struct mn_bul *b)
{
	struct mn_home *h = &e->home[b->hidx];

	b->expires_ms = 0;
	b->reg_timer = 0;
	b->lifetime = 0;
	if (e->ops.place_hoa != NULL)
		e->ops.place_hoa(e->ops.ctx, &h->conf.pfx.addr,
		    h->conf.pfx.plen, h->home_ifindex);
	mn_v4_place(e, h, true);
	if (mn_tx_na(e, h) && MN_MAX_NA > 1) {
		h->na_left = MN_MAX_NA - 1;
		h->na_timer = e->now + MN_NA_INTERVAL_MS;
	}
}

/* Start over with the next home agent of the DHAAD list, or DHAAD. */
static void
home_next_ha(struct mn_engine *e, struct mn_bul *b)
{
	struct mn_home *h = &e->home[b->hidx];

	if (h->ha_idx + 1 < h->nha) {
		b->peer = h->ha_list[++h->ha_idx];
		reg_set(e, b, MN_REG_WAITA, MN_EV_EXPIRE_TIMER);
		home_start(e, b, false, MN_INITIAL_BINDACK_FIRSTREG_MS);
		return;
	}
	memset(&b->peer, 0, sizeof(b->peer));
	h->nha = 0;
	dhaad_start(e, b);
	reg_set(e, b, MN_REG_DHAAD, MN_EV_EXPIRE_TIMER);
}

/*
 * The registration state machine of a home entry (SHISA's table for
 * home registrations): returns the state the event leads to, after
 * doing what the transition implies.
 */
static enum mn_reg_state
home_fsm(struct mn_engine *e, struct mn_bul *b, enum mn_event ev)
{
	bool away = !e->home[b->hidx].at_home;

	switch (b->reg) {
	case MN_REG_IDLE:
		if (ev == MN_EV_MOVEMENT && away && b->refused != 0)
			return MN_REG_IDLE;	/* §11.7.3: no more BUs */
		if (ev == MN_EV_MOVEMENT && away) {
			/* a registration from scratch (RFC 5555 §4.4.3) */
			mn_v4_fresh(e, &e->home[b->hidx]);
			if (!home_has_ha(e, b)) {
				dhaad_start(e, b);
				return MN_REG_DHAAD;
			}
			home_start(e, b, false,
			    MN_INITIAL_BINDACK_FIRSTREG_MS);
			return MN_REG_WAITA;
		}
		if (ev == MN_EV_RETURNING_HOME)
			home_arrived(e, b);
		return MN_REG_IDLE;
	case MN_REG_DHAAD:
		switch (ev) {
		case MN_EV_DHAAD_REPLY:
			home_start(e, b, false,
			    MN_INITIAL_BINDACK_FIRSTREG_MS);
			return MN_REG_WAITA;
		case MN_EV_RETRANS_TIMER:
			mn_tx_dhaad(e, &e->home[b->hidx]);
			backoff(e, b);
			return MN_REG_DHAAD;
		case MN_EV_MOVEMENT:
			dhaad_start(e, b);
			return MN_REG_DHAAD;
		case MN_EV_RETURNING_HOME:
			b->reg_timer = 0;
			home_arrived(e, b);
			return MN_REG_IDLE;
		default:
			return MN_REG_DHAAD;
		}
	case MN_REG_WAITA:
	case MN_REG_WAITAR:
	case MN_REG_BOUND:
		switch (ev) {
		case MN_EV_BACK:
			home_bound(b, b->lifetime);
			return MN_REG_BOUND;
		case MN_EV_RETRANS_TIMER:
			if (b->reg == MN_REG_BOUND) {
				/* refresh before the lifetime runs out */
				home_start(e, b, false, MN_INITIAL_BINDACK_MS);
				return MN_REG_WAITAR;
			}
			home_bu(e, b, false);
			backoff(e, b);
			return b->reg;
		case MN_EV_BRR:
			if (b->reg != MN_REG_BOUND)
				return b->reg;
			home_start(e, b, false, MN_INITIAL_BINDACK_MS);
			return MN_REG_WAITAR;
		case MN_EV_MOVEMENT:
			/* §11.8: a first registration waits longer (the HA
			   runs DAD); a binding exists after WAITA's BA */
			home_start(e, b, false, b->reg == MN_REG_WAITA ?
			    MN_INITIAL_BINDACK_FIRSTREG_MS :
			    MN_INITIAL_BINDACK_MS);
			return MN_REG_WAITA;
		case MN_EV_UNKNOWN_HAO:
			home_start(e, b, false,
			    MN_INITIAL_BINDACK_FIRSTREG_MS);
			return MN_REG_WAITA;
		case MN_EV_EXPIRE_TIMER:
			b->expires_ms = 0;
			b->lifetime = 0;
			return MN_REG_WAITA;
		case MN_EV_RETURNING_HOME:
			/* §11.5.4: the BU leaves on the home link, not
			   through the tunnel (mn_hoa no longer away first) */
			hoa_save(e, b);
			home_start(e, b, true, MN_INITIAL_BINDACK_MS);
			return MN_REG_WAITD;
		default:
			return b->reg;
		}
	case MN_REG_WAITD:
		switch (ev) {
		case MN_EV_BACK:
			home_arrived(e, b);
			return MN_REG_IDLE;
		case MN_EV_RETRANS_TIMER:
			home_bu(e, b, true);
			backoff(e, b);
			return MN_REG_WAITD;
		case MN_EV_MOVEMENT:
			home_start(e, b, false,
			    MN_INITIAL_BINDACK_FIRSTREG_MS);
			return MN_REG_WAITA;
		case MN_EV_EXPIRE_TIMER:
			b->reg_timer = 0;
			home_arrived(e, b);
			return MN_REG_IDLE;
		default:
			return MN_REG_WAITD;
		}
	default:
		return b->reg;
	}
}

/* ------------------------------------------ correspondent registration */

/*
 * RFC 6275 §11.7.2: at most MAX_RR_BINDING_LIFETIME (§5.2.6), and no
 * longer than the home registration has left, nor the addresses.
 */
static uint16_t
cn_lifetime_units(struct mn_engine *e, const struct mn_bul *b)
{
	const struct mn_bul *hb = mn_bul_home(e, b->hidx);
	uint32_t s = min_u32(e->conf.lifetime, MN_MAX_RR_BINDING_LIFETIME);

	if (hb != NULL && hb->expires_ms != 0)
		s = min_u32(s, hb->expires_ms > e->now ?
		    (uint32_t)((hb->expires_ms - e->now) / 1000) : 0);
	return bu_lifetime_units(e, b, s);
}

static bool
tokens_fresh(const struct mn_engine *e, uint64_t t)
{
	return t != 0 && e->now < t + MN_MAX_TOKEN_LIFETIME_MS;
}

/* The return routability machine (§5.2.5, §11.6): fires RR_DONE. */
static void cn_fsm_event(struct mn_engine *, struct mn_bul *, enum mn_event);

static void
rr_arm(struct mn_engine *e, struct mn_bul *b)
{
	b->rr_backoff_ms = MN_INITIAL_BINDACK_MS;
	b->rr_retries = 0;
	b->rr_timer = e->now + b->rr_backoff_ms;
}

static enum mn_rr_state
rr_fsm(struct mn_engine *e, struct mn_bul *b, enum mn_event ev)
{
	if (ev == MN_EV_STOP_RR) {
		b->rr_timer = 0;
		return MN_RR_START;
	}
	switch (b->rr) {
	case MN_RR_START:
		if (ev == MN_EV_START_RR) {
			b->home_token_ms = b->careof_token_ms = 0;
			mn_tx_hoti(e, b);
			mn_tx_coti(e, b);
			rr_arm(e, b);
			return MN_RR_WAITHC;
		}
		if (ev == MN_EV_START_HOME_RR) {
			/* §5.2.6: a de-registration needs the home token
			   only */
			b->home_token_ms = b->careof_token_ms = 0;
			mn_tx_hoti(e, b);
			rr_arm(e, b);
			return MN_RR_WAITH;
		}
		return MN_RR_START;
	case MN_RR_WAITHC:
		if (ev == MN_EV_HOT)
			return MN_RR_WAITC;
		if (ev == MN_EV_COT)
			return MN_RR_WAITH;
		break;
	case MN_RR_WAITH:
		if (ev == MN_EV_HOT) {
			b->rr_timer = 0;
			return MN_RR_START;
		}
		break;
	case MN_RR_WAITC:
		if (ev == MN_EV_COT) {
			b->rr_timer = 0;
			return MN_RR_START;
		}
		break;
	default:
		return b->rr;
	}
	if (ev == MN_EV_RETRANS_TIMER) {
		if (b->rr == MN_RR_WAITHC || b->rr == MN_RR_WAITH)
			mn_tx_hoti(e, b);
		if (b->rr == MN_RR_WAITHC || b->rr == MN_RR_WAITC)
			mn_tx_coti(e, b);
		b->rr_retries++;
		b->rr_backoff_ms = b->rr_backoff_ms * 2 > MN_MAX_BINDACK_MS ?
		    MN_MAX_BINDACK_MS : b->rr_backoff_ms * 2;
		b->rr_timer = e->now + b->rr_backoff_ms;
	}
	return b->rr;
}

static void
rr_event(struct mn_engine *e, struct mn_bul *b, enum mn_event ev)
{
	enum mn_rr_state from = b->rr, to;

	if (ev == MN_EV_RETRANS_TIMER && from != MN_RR_START &&
	    b->rr_backoff_ms >= MN_MAX_BINDACK_MS) {
		/* §11.8: the last wait, of MAX_BINDACK_TIMEOUT, ended */
		b->rr_timer = 0;
		rr_set(e, b, MN_RR_START, ev);
		cn_fsm_event(e, b, MN_EV_RR_FAILED);
		return;
	}
	to = rr_fsm(e, b, ev);

	rr_set(e, b, to, ev);
	if (from != MN_RR_START && to == MN_RR_START && ev != MN_EV_STOP_RR)
		cn_fsm_event(e, b, MN_EV_RR_DONE);
}

static void
cn_bu(struct mn_engine *e, struct mn_bul *b, bool dereg)
{
	b->dereg = dereg;
	b->flags = MH_BU_A;
	b->lifetime_req = dereg ? 0 : cn_lifetime_units(e, b);
	b->seq++;
	mn_tx_cn_bu(e, b);
	arm_retrans(e, b, MN_INITIAL_BINDACK_MS);
}

/* Stop route optimisation with this correspondent (§11.3.5, §11.3.6). */
static enum mn_reg_state
cn_stop(struct mn_engine *e, struct mn_bul *b, bool non_mip)
{
	rr_event(e, b, MN_EV_STOP_RR);
	b->reg_timer = 0;
	b->expires_ms = 0;
	b->non_mip = b->non_mip || non_mip;
	return MN_REG_IDLE;
}

/* No more return routability or BUs with this correspondent for now. */
static bool
ro_barred(const struct mn_bul *b)
{
	return b->non_mip || b->gave_up || b->refused != 0;
}

/*
 * RFC 6275 §11.8: retransmissions back off up to MAX_BINDACK_TIMEOUT,
 * after which the mobile node MAY go on at that rate.  Toward the home
 * agent it does (home_fsm: the home address depends on it).  Toward a
 * correspondent, route optimisation is only an optimisation: once a wait
 * of MAX_BINDACK_TIMEOUT (for a BA, or a HoT/CoT) ends unanswered, the
 * mobile node gives up, counts it, and traffic goes through the home
 * agent again; the entry stays ("gave_up") until the next movement.  An
 * unanswered de-registration just ends: the binding expires anyway.
 */
static enum mn_reg_state
cn_give_up(struct mn_engine *e, struct mn_bul *b)
{
	char p[IN6_STRLEN];

	e->cnt.ro_gave_up++;
	mn_log(e, LOG_NOTICE, "correspondent %s does not answer: route "
	    "optimisation abandoned", in6_fmt(&b->peer, p));
	if (b->reg != MN_REG_RRDEL && b->reg != MN_REG_WAITD)
		b->gave_up = true;
	return cn_stop(e, b, false);
}

/* A new return routability exchange; the BU follows RR_DONE. */
static enum mn_reg_state
cn_rr(struct mn_engine *e, struct mn_bul *b, enum mn_reg_state next)
{
	b->reg_timer = 0;
	rr_event(e, b, MN_EV_STOP_RR);
	rr_event(e, b, MN_EV_START_RR);
	return next;
}

/*
 * RFC 6275 §11.5.4: back home, a correspondent holding a binding gets a
 * de-registration (from the home address, home keygen token only), so it
 * stops sending to the old care-of address; other entries just stop.
 */
static enum mn_reg_state
cn_returning_home(struct mn_engine *e, struct mn_bul *b)
{
	if (!reg_bound(b->reg) && b->reg != MN_REG_WAITAR)
		return cn_stop(e, b, false);
	b->reg_timer = 0;
	rr_event(e, b, MN_EV_STOP_RR);
	rr_event(e, b, MN_EV_START_HOME_RR);
	return MN_REG_RRDEL;
}

/* The registration state machine of a correspondent entry. */
static enum mn_reg_state
cn_fsm(struct mn_engine *e, struct mn_bul *b, enum mn_event ev)
{
	if (ev == MN_EV_UNKNOWN_MH || ev == MN_EV_ICMP6_PARAM_PROB)
		return cn_stop(e, b, true);
	if (ev == MN_EV_RR_FAILED)
		return b->reg == MN_REG_IDLE ? MN_REG_IDLE : cn_give_up(e, b);
	if (ev == MN_EV_RETURNING_HOME)
		return cn_returning_home(e, b);
	if (ev == MN_EV_RETRANS_TIMER && b->backoff_ms >= MN_MAX_BINDACK_MS &&
	    (b->reg == MN_REG_WAITA || b->reg == MN_REG_WAITAR ||
	    b->reg == MN_REG_WAITD))
		return cn_give_up(e, b);	/* §11.8 */
	switch (b->reg) {
	case MN_REG_IDLE:
		if (ev == MN_EV_MOVEMENT && b->gave_up) {
			/* a new CoA: the next RR hint may try again */
			b->gave_up = false;
			return MN_REG_IDLE;
		}
		if ((ev == MN_EV_REVERSE_PACKET || ev == MN_EV_MOVEMENT) &&
		    !ro_barred(b))
			return cn_rr(e, b, MN_REG_RRINIT);
		return MN_REG_IDLE;
	case MN_REG_RRINIT:
	case MN_REG_RRREDO:
		if (ev == MN_EV_RR_DONE) {
			cn_bu(e, b, false);
			return b->reg == MN_REG_RRINIT ? MN_REG_WAITA :
			    MN_REG_WAITAR;
		}
		if (ev == MN_EV_MOVEMENT)
			return cn_rr(e, b, MN_REG_RRINIT);
		return b->reg;
	case MN_REG_RRDEL:
		if (ev == MN_EV_RR_DONE) {
			cn_bu(e, b, true);
			return MN_REG_WAITD;
		}
		if (ev == MN_EV_MOVEMENT)
			return cn_rr(e, b, MN_REG_RRINIT);
		if (ev == MN_EV_EXPIRE_TIMER)
			return cn_stop(e, b, false);
		return MN_REG_RRDEL;
	case MN_REG_WAITD:
		switch (ev) {
		case MN_EV_BACK:
		case MN_EV_EXPIRE_TIMER:
			return cn_stop(e, b, false);
		case MN_EV_RETRANS_TIMER:
			b->seq++;
			mn_tx_cn_bu(e, b);
			backoff(e, b);
			return MN_REG_WAITD;
		case MN_EV_MOVEMENT:
			return cn_rr(e, b, MN_REG_RRINIT);
		default:
			return MN_REG_WAITD;
		}
	case MN_REG_WAITA:
	case MN_REG_WAITAR:
		if (ev == MN_EV_BACK) {
			uint64_t life = (uint64_t)b->lifetime *
			    MN_LIFETIME_UNIT_MS;

			b->expires_ms = b->sent_ms + life;
			b->reg_timer = b->sent_ms +
			    life * MN_REFRESH_PERCENT / 100;
			return MN_REG_BOUND;
		}
		if (ev == MN_EV_RETRANS_TIMER) {
			/* §5.2.7: tokens are good for MAX_TOKEN_LIFETIME;
			   after that the retransmission needs a new RR */
			if (!tokens_fresh(e, b->home_token_ms) ||
			    !tokens_fresh(e, b->careof_token_ms))
				return cn_rr(e, b, MN_REG_RRINIT);
			b->seq++;
			mn_tx_cn_bu(e, b);
			backoff(e, b);
			return b->reg;
		}
		if (ev == MN_EV_MOVEMENT)
			return cn_rr(e, b, MN_REG_RRINIT);
		if (ev == MN_EV_EXPIRE_TIMER)
			return cn_stop(e, b, false);
		return b->reg;
	case MN_REG_BOUND:
		switch (ev) {
		case MN_EV_BRR:
		case MN_EV_RETRANS_TIMER:
		case MN_EV_REVERSE_PACKET:
			return cn_rr(e, b, MN_REG_RRREDO);
		case MN_EV_MOVEMENT:
		case MN_EV_UNKNOWN_HAO:
			return cn_rr(e, b, MN_REG_RRINIT);
		case MN_EV_EXPIRE_TIMER:
			return cn_stop(e, b, false);
		default:
			return MN_REG_BOUND;
		}
	default:
		return b->reg;
	}
}

static void
cn_fsm_event(struct mn_engine *e, struct mn_bul *b, enum mn_event ev)
{
	reg_set(e, b, cn_fsm(e, b, ev), ev);
}

/* One event for an entry: its table, then the state change. */
static void
bul_event(struct mn_engine *e, struct mn_bul *b, enum mn_event ev)
{
	if (b->home)
		reg_set(e, b, home_fsm(e, b, ev), ev);
	else
		cn_fsm_event(e, b, ev);
}

/* The timeout handler: retransmission/refresh and expiry deadlines. */
static void
bul_timeout(struct mn_engine *e, struct mn_bul *b)
{
	if (b->expires_ms != 0 && b->expires_ms <= e->now) {
		b->expires_ms = 0;
		bul_event(e, b, MN_EV_EXPIRE_TIMER);
	}
	if (!b->used)
		return;
	if (b->reg_timer != 0 && b->reg_timer <= e->now) {
		b->reg_timer = 0;
		bul_event(e, b, MN_EV_RETRANS_TIMER);
	}
	if (b->rr_timer != 0 && b->rr_timer <= e->now) {
		b->rr_timer = 0;
		rr_event(e, b, MN_EV_RETRANS_TIMER);
	}
	if (!b->home && b->reg == MN_REG_IDLE && !ro_barred(b))
		bul_free(e, b);
}

/* ---------------------------------------------------------- movement */

static void
movement(struct mn_engine *e, const struct msock_msg *m)
{
	bool same = e->have_coa && mn_in6_eq(&e->coa, &m->coa) &&
	    e->coa_ifindex == m->ifindex;
	size_t i;

	/* the CoA's remaining valid lifetime: absent means infinite */
	e->coa_valid_s = msock_has(m, MSA_LIFETIME) ? m->lifetime :
	    MN_INFINITE;
	e->coa_valid_ms = e->now;
	if (same)
		return;		/* nothing moved */
	e->have_coa = true;
	e->coa = m->coa;
	e->coa_ifindex = m->ifindex;
	if (msock_has(m, MSA_ROUTER))
		e->router = m->router;
	for (i = 0; i < e->nhome; i++) {
		struct mn_home *h = &e->home[i];

		if (h->at_home) {
			/* the home address goes to lo as a /128 first */
			h->at_home = false;
			if (e->ops.place_hoa != NULL)
				e->ops.place_hoa(e->ops.ctx, &h->conf.pfx.addr,
				    128, 0);
			mn_v4_place(e, h, false);
		}
		h->na_left = 0;
		h->na_timer = 0;
	}
	for (i = 0; i < MN_BUL_MAX; i++) {
		struct mn_bul *b = &e->bul[i];

		if (!b->used)
			continue;
		bul_event(e, b, MN_EV_MOVEMENT);
		/* one that gave up (§11.8) leaves: the next hint retries */
		if (!b->home && b->reg == MN_REG_IDLE && !ro_barred(b))
			bul_free(e, b);
	}
}

/* RFC 5555 §4.4.1: mdd picks an IPv4 care-of address only when it has
   no IPv6 one; it is held IPv4-mapped (::ffff:a.b.c.d). */
static void
movement4(struct mn_engine *e, const struct msock_msg *m)
{
	struct msock_msg c = *m;

	memset(&c.coa, 0, sizeof(c.coa));
	c.coa.s6_addr[10] = c.coa.s6_addr[11] = 0xff;
	memcpy(c.coa.s6_addr + 12, &m->coa4, 4);
	movement(e, &c);
}

static void
returning_home(struct mn_engine *e, const struct msock_msg *m)
{
	size_t i;

	e->have_coa = false;
	for (i = 0; i < e->nhome; i++) {
		struct mn_home *h = &e->home[i];
		unsigned k;
		bool match = m->nprefix == 0;

		for (k = 0; k < m->nprefix && k < MSOCK_PREFIX_MAX; k++) {
			struct mnd_prefix p = { m->prefix[k].addr,
			    m->prefix[k].plen };

			match = match || mnd_prefix_contains(&p,
			    &h->conf.pfx.addr);
		}
		if (!match)
			continue;
		h->at_home = true;
		h->home_ifindex = m->ifindex;
	}
	for (i = 0; i < MN_BUL_MAX; i++) {
		struct mn_bul *b = &e->bul[i];

		if (b->used && e->home[b->hidx].at_home)
			bul_event(e, b, MN_EV_RETURNING_HOME);
	}
}

void
mn_engine_bus(struct mn_engine *e, const struct msock_msg *m,
    uint64_t now_ms)
{
	e->now = now_ms;
	if (m->type != MSOCK_MD_INFO)
		return;
	e->cnt.rx[MN_RX_MD_INFO]++;
	switch (m->command) {
	case MSOCK_MD_REREG:
		if (!msock_has(m, MSA_COA) && msock_has(m, MSA_COA4) &&
		    msock_has(m, MSA_IFINDEX)) {
			movement4(e, m);
			break;
		}
		if (!msock_has(m, MSA_COA) || !msock_has(m, MSA_IFINDEX)) {
			mn_log(e, LOG_WARNING, "md-info rereg without coa "
			    "or ifindex ignored");
			return;
		}
		movement(e, m);
		break;
	case MSOCK_MD_DEREGHOME:
		if (!msock_has(m, MSA_IFINDEX)) {
			mn_log(e, LOG_WARNING, "md-info dereghome without "
			    "ifindex ignored");
			return;
		}
		returning_home(e, m);
		break;
	case MSOCK_MD_DEREGFOREIGN:
		/* no usable CoA: sends wait for the next one (counted) */
		e->have_coa = false;
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------------- input */

/* The home address a packet to us concerns: its RH2, else its dst. */
static const struct in6_addr *
rx_hoa(const struct pkt *p, const struct hdr_ipv6 *ip)
{
	const struct in6_addr *rh2 = pkt_rh2(p);

	return rh2 != NULL ? rh2 : &ip->dst;
}

/*
 * RFC 6275 §11.7.3: a rejection the mobile node cannot correct: it
 * records that no further BUs go to this peer (`refused`, shown by
 * mip6ctl bul; cleared by mip6ctl reset or a restart).  A correspondent
 * falls back to the tunnel; a home entry stays IDLE, even on movement.
 */
static void
ba_refused(struct mn_engine *e, struct mn_bul *b, uint8_t st)
{
	b->reg_timer = 0;
	if (b->home && b->reg == MN_REG_WAITD) {
		/* §11.5.4: back home, a refused de-registration leaves no
		   binding to keep (133: the home agent dropped it on our
		   first BU, whose BA was lost): the address goes back on
		   the home link, nothing held against the home agent */
		home_arrived(e, b);
		reg_set(e, b, MN_REG_IDLE, MN_EV_BACK);
		return;
	}
	b->refused = st;
	if (b->home)
		reg_set(e, b, MN_REG_IDLE, MN_EV_BACK);
	else
		reg_set(e, b, cn_stop(e, b, false), MN_EV_BACK);
}

/*
 * RFC 6275 §11.7.3 with §9.5.1 (status 139): the peer holds a binding of
 * the other registration type for our home address.
 * - Home registration: the home agent's node holds a correspondent
 *   binding.  If it is ours, de-register it (return routability, then a
 *   BU with Lifetime 0); it lasts at most MAX_RR_BINDING_LIFETIME
 *   anyway.  The home BU keeps being retransmitted with back-off (§11.8)
 *   and succeeds once that binding is gone.
 * - Correspondent registration: the node holds a home registration of
 *   ours (it was our home agent); we do not tear down a home
 *   registration from here: no further BUs to it, tunnel (as above).
 */
static void
ba_type_change(struct mn_engine *e, struct mn_bul *b)
{
	size_t i;

	if (!b->home) {
		ba_refused(e, b, BA_REG_TYPE_CHANGE);
		return;
	}
	for (i = 0; i < MN_BUL_MAX; i++) {
		struct mn_bul *c = &e->bul[i];

		if (!c->used || c->home || c->hidx != b->hidx ||
		    !mn_in6_eq(&c->peer, &b->peer) || c->reg == MN_REG_IDLE ||
		    c->reg == MN_REG_RRDEL || c->reg == MN_REG_WAITD)
			continue;
		reg_set(e, c, cn_rr(e, c, MN_REG_RRDEL), MN_EV_STOP_RR);
	}
}

static void
in_ba(struct mn_engine *e, const struct hdr_ipv6 *ip)
{
	const struct mh_msg *m = &e->rx.mh;
	struct mn_bul *b = bul_find(e, rx_hoa(&e->rx, ip), &ip->src);
	uint8_t st = m->u.ba.status;
	uint16_t granted;

	e->cnt.rx[MN_RX_BA]++;
	if (b == NULL || (b->reg != MN_REG_WAITA &&
	    b->reg != MN_REG_WAITAR && b->reg != MN_REG_WAITD)) {
		drop_unexpected(e, "unexpected BA", &ip->src);
		return;
	}
	/* RFC 3776 §4.1: with SAs for the home agent, its BA to our
	   protected BU must come inside ESP; else it is not from it */
	if (b->home && e->rx_sa == NULL &&
	    espsa_required(&e->esp, &b->peer)) {
		e->esp.unprotected++;
		input_log(e, "BA outside ESP", &ip->src);
		return;
	}
	if (b->home && !mn_v4_ba_from_ok(e, b)) {
		/* RFC 5555 §4.2 [R]: from an IPv4 CoA, only in UDP from
		   the home agent's IPv4 address */
		drop_unexpected(e, "BA not from the IPv4 tunnel", &ip->src);
		return;
	}
	/* §11.7.3: a BA answers the BU with the same sequence number
	   (135 carries the last one the peer accepted instead) */
	if (st != BA_SEQ_OUT_OF_WINDOW && m->u.ba.seq != b->seq) {
		e->cnt.drop[MN_DROP_SEQ]++;
		input_log(e, "BA with a stale sequence number", &ip->src);
		return;
	}
	e->cnt.ba_status[st]++;
	if (st < 128) {
		/* §11.7.3: a shorter lifetime than asked is what holds */
		granted = m->u.ba.lifetime < b->lifetime_req ?
		    m->u.ba.lifetime : b->lifetime_req;
		if (b->home && !b->dereg && granted == 0) {
			mn_log(e, LOG_WARNING, "BA granted no lifetime");
			b->reg_timer = 0;
			reg_set(e, b, MN_REG_IDLE, MN_EV_BACK);
			return;
		}
		if (b->home && !b->dereg && e->conf.mobile_router &&
		    (m->u.ba.flags & MH_BA_R) == 0) {
			/* RFC 3963 §5.3: R clear: no mobile router support */
			mn_log(e, LOG_WARNING, "BA without R: the home agent "
			    "does not support mobile routers");
			b->reg_timer = 0;
			reg_set(e, b, MN_REG_IDLE, MN_EV_BACK);
			return;
		}
		b->lifetime = granted;
		if (b->home && !b->dereg)
			mn_v4_ba(e, b, m);
		bul_event(e, b, MN_EV_BACK);
		/* §11.7.3, §11.4.2: status 1 asks for a Mobile Prefix
		   Solicitation */
		if (st == BA_ACCEPTED_PREFIX_DISCOVERY && b->home &&
		    !b->dereg && b->reg == MN_REG_BOUND &&
		    e->home[b->hidx].mps_timer == 0)
			mps_start(e, &e->home[b->hidx], b);
		return;
	}
	mn_log(e, LOG_WARNING, "BA status %u (%s) from %s", st,
	    mh_ba_status_name(st), b->home ? "the home agent" :
	    "a correspondent");
	switch (st) {
	case BA_SEQ_OUT_OF_WINDOW:
		/* §11.7.3: go on from the peer's number, at once */
		b->seq = m->u.ba.seq;
		if (b->home) {
			home_bu(e, b, b->dereg);
		} else {
			b->seq++;
			mn_tx_cn_bu(e, b);
		}
		arm_retrans(e, b, b->backoff_ms != 0 ? b->backoff_ms :
		    MN_INITIAL_BINDACK_MS);
		break;
	case BA_NO_RESOURCES:
	case BA_FORWARDING_SETUP_FAILED:
		/* transient: the retransmission timer tries again */
		break;
	case BA_EXPIRED_HOME_NONCE:
	case BA_EXPIRED_COA_NONCE:
	case BA_EXPIRED_NONCES:
		/* §11.7.3: new tokens, a new BU (a home agent has no
		   business with nonces: refused) */
		if (!b->home)
			reg_set(e, b, cn_rr(e, b, MN_REG_RRINIT),
			    MN_EV_RR_FAILED);
		else
			ba_refused(e, b, st);
		break;
	case BA_REG_TYPE_CHANGE:
		ba_type_change(e, b);
		break;
	case BA_HOME_REG_UNSUPPORTED:
	case BA_NOT_HOME_SUBNET:
	case BA_NOT_HOME_AGENT:
		if (b->home && !e->home[b->hidx].conf.has_ha &&
		    b->reg != MN_REG_WAITD) {
			/* §11.7.3: correct the cause: another home agent
			   of the DHAAD list (§11.4.1) */
			home_next_ha(e, b);
			break;
		}
		/* FALLTHROUGH */
	default:
		ba_refused(e, b, st);
		break;
	}
}

static void
in_brr(struct mn_engine *e, const struct hdr_ipv6 *ip)
{
	struct mn_bul *b = bul_find(e, rx_hoa(&e->rx, ip), &ip->src);

	e->cnt.rx[MN_RX_BRR]++;
	if (b == NULL) {
		drop_unexpected(e, "BRR without a binding", &ip->src);
		return;
	}
	bul_event(e, b, MN_EV_BRR);	/* §11.7.4 */
}

/* RFC 6275 §11.3.6. */
static void
in_be(struct mn_engine *e, const struct hdr_ipv6 *ip)
{
	const struct mh_msg *m = &e->rx.mh;
	const struct in6_addr *hoa = &m->u.be.hoa;
	struct mn_bul *b;

	e->cnt.rx[MN_RX_BE]++;
	if (m->u.be.status == BE_UNKNOWN_HAO ||
	    m->u.be.status == BE_UNKNOWN_MH_TYPE)
		e->cnt.be_status[m->u.be.status]++;
	if (mn_in6_any(hoa))
		hoa = rx_hoa(&e->rx, ip);
	if ((b = bul_find(e, hoa, &ip->src)) == NULL) {
		drop_unexpected(e, "BE for no entry", &ip->src);
		return;
	}
	if (m->u.be.status == BE_UNKNOWN_HAO)
		bul_event(e, b, MN_EV_UNKNOWN_HAO);
	else if (m->u.be.status == BE_UNKNOWN_MH_TYPE && !b->home)
		bul_event(e, b, MN_EV_UNKNOWN_MH);
	else
		mn_log(e, LOG_WARNING, "binding error status %u from the "
		    "home agent", m->u.be.status);
}

/* RFC 6275 §11.6.2: a HoT/CoT answers the cookie of our last HoTI/CoTI. */
static void
in_test(struct mn_engine *e, const struct hdr_ipv6 *ip, bool home)
{
	const struct mh_msg *m = &e->rx.mh;
	const struct in6_addr *hoa;
	struct mn_bul *b;
	size_t i;

	if (home)
		e->cnt.rx[MN_RX_HOT]++;
	else
		e->cnt.rx[MN_RX_COT]++;
	b = NULL;
	for (i = 0; i < MN_BUL_MAX && b == NULL; i++) {
		struct mn_bul *c = &e->bul[i];

		if (!c->used || c->home || !mn_in6_eq(&c->peer, &ip->src))
			continue;
		hoa = bul_hoa(e, c);
		if (home && !mn_in6_eq(&ip->dst, hoa))
			continue;
		if (memcmp(m->u.test.cookie, home ? c->home_cookie :
		    c->careof_cookie, 8) == 0)
			b = c;
	}
	if (b == NULL || b->rr == MN_RR_START ||
	    (home && b->rr == MN_RR_WAITC) || (!home && b->rr == MN_RR_WAITH)) {
		drop_unexpected(e, home ? "unexpected HoT" :
		    "unexpected CoT", &ip->src);
		return;
	}
	if (home) {
		memcpy(b->home_token, m->u.test.token, RR_TOKEN_LEN);
		b->home_nonce = m->u.test.nonce_index;
		b->home_token_ms = e->now;
	} else {
		memcpy(b->careof_token, m->u.test.token, RR_TOKEN_LEN);
		b->careof_nonce = m->u.test.nonce_index;
		b->careof_token_ms = e->now;
	}
	rr_event(e, b, home ? MN_EV_HOT : MN_EV_COT);
}

static void
in_mh(struct mn_engine *e, const struct hdr_ipv6 *ip)
{
	switch (e->rx.mh.type) {
	case MH_BA:
		in_ba(e, ip);
		break;
	case MH_BRR:
		in_brr(e, ip);
		break;
	case MH_BE:
		in_be(e, ip);
		break;
	case MH_HOT:
		in_test(e, ip, true);
		break;
	case MH_COT:
		in_test(e, ip, false);
		break;
	default:
		if (e->rx.mh.type <= MH_BE) {
			drop_unexpected(e, "mobility header of a type the "
			    "mobile node does not take", &ip->src);
			break;
		}
		/* RFC 6275 §9.2: an unrecognized MH Type: Binding Error
		   status 2 to the source */
		drop_unexpected(e, "mobility header of an unknown type",
		    &ip->src);
		mn_tx_be(e, ip, BE_UNKNOWN_MH_TYPE);
		break;
	}
}

/* RFC 6275 §11.4.1: the Reply lists home agents in preference order. */
static void
in_dhaad_reply(struct mn_engine *e, const struct hdr_ipv6 *ip)
{
	const struct icmp6_msg *m = &e->rx.icmp6;
	size_t i, k;

	e->cnt.rx[MN_RX_DHAAD]++;
	for (i = 0; i < e->nhome; i++) {
		struct mn_home *h = &e->home[i];
		struct mn_bul *b = mn_bul_home(e, i);

		if (b == NULL || b->reg != MN_REG_DHAAD ||
		    h->dhaad_id != m->u.dhaad.id)
			continue;
		if (m->u.dhaad.naddrs == 0) {
			drop_unexpected(e, "DHAAD Reply without home agents",
			    &ip->src);
			return;
		}
		h->nha = 0;
		for (k = 0; k < m->u.dhaad.naddrs && k < MN_HA_MAX; k++)
			h->ha_list[h->nha++] = m->u.dhaad.addrs[k];
		h->ha_idx = 0;
		b->peer = h->ha_list[0];
		bul_event(e, b, MN_EV_DHAAD_REPLY);
		return;
	}
	drop_unexpected(e, "unexpected DHAAD Reply", &ip->src);
}

/*
 * RFC 6275 §11.4.3: an MPA from our home agent, solicited (our id) or
 * not; its prefixes replace what the MN knew of its home prefixes.
 */
static void
in_mpa(struct mn_engine *e, const struct hdr_ipv6 *ip)
{
	const struct icmp6_msg *m = &e->rx.icmp6;
	const struct in6_addr *hoa = rx_hoa(&e->rx, ip);
	struct mn_home *h;
	struct mn_bul *b;
	bool ok;
	size_t i, k;

	e->cnt.rx[MN_RX_MPA]++;
	i = home_index(e, hoa, &ok);
	if (!ok || (b = mn_bul_home(e, i)) == NULL ||
	    !mn_in6_eq(&b->peer, &ip->src)) {
		drop_unexpected(e, "MPA not from our home agent", &ip->src);
		return;
	}
	h = &e->home[i];
	if (h->mps_timer != 0 && m->u.mp.id == h->mps_id)
		h->mps_timer = 0;
	else if (h->mps_timer == 0 && !h->at_home && reg_bound(b->reg))
		mps_start(e, h, b);	/* unsolicited: confirm it (§11.4.3) */
	h->nmpa = 0;
	for (k = 0; k < m->nopts && h->nmpa < MN_MPA_MAX; k++) {
		const struct nd_opt *o = &m->opts[k];

		if (o->type != NDOPT_PREFIX || o->u.prefix.valid == 0)
			continue;
		h->mpa[h->nmpa].addr = o->u.prefix.prefix;
		h->mpa[h->nmpa].plen = o->u.prefix.plen;
		h->nmpa++;
	}
	h->mpa_ms = e->now;
	for (k = 0; k < m->nopts; k++) {
		const struct nd_opt *o = &m->opts[k];
		struct mnd_prefix pf;

		if (o->type != NDOPT_PREFIX || o->u.prefix.valid == 0)
			continue;
		pf.addr = o->u.prefix.prefix;
		pf.plen = o->u.prefix.plen;
		if (!mnd_prefix_contains(&pf, hoa))
			continue;
		/* §11.7.1: it bounds the lifetime of our next BUs */
		h->pfx_valid_s = o->u.prefix.valid;
		h->pfx_valid_ms = e->now;
		return;
	}
	mn_log(e, LOG_WARNING, "the home agent no longer advertises the "
	    "prefix of a home address");
}

/*
 * Does a Parameter Problem's pointer name what Mobile IPv6 added to the
 * quoted packet: (code 2) the Home Address option's type octet, or
 * (code 1) the Next Header field announcing the Mobility Header?
 */
static bool
points_at_mip6(const struct pkt *q, uint8_t code, uint32_t ptr)
{
	size_t i, k;

	for (i = 0; i < q->nhdr; i++) {
		const struct hdr *h = &q->h[i], *prev;

		if (code == ICMP6_PARAMPROB_OPTION && h->kind == HDR_DSTOPT)
			for (k = 0; k < h->u.opts.ntlv && k < IP6_TLV_MAX; k++)
				if (h->u.opts.tlv[k].type == IP6_HAO_TYPE &&
				    ptr == (uint32_t)h->off + h->u.opts.tlv[k].off)
					return true;
		if (code == ICMP6_PARAMPROB_NEXTHDR && h->kind == HDR_MH &&
		    i > 0) {
			prev = &q->h[i - 1];
			if (ptr == (uint32_t)prev->off +
			    (prev->kind == HDR_IPV6 ? 6 : 0))
				return true;
		}
	}
	return false;
}

/*
 * The correspondent entry a packet from our care-of address concerned (a
 * CoTI quoted by an ICMP error carries no home address): the one with
 * that peer whose return routability is under way, else any with it.
 */
static struct mn_bul *
cn_by_coa(struct mn_engine *e, const struct in6_addr *src,
    const struct in6_addr *peer)
{
	struct mn_bul *any = NULL;
	size_t i;

	if (!e->have_coa || !mn_in6_eq(src, &e->coa))
		return NULL;
	for (i = 0; i < MN_BUL_MAX; i++) {
		struct mn_bul *b = &e->bul[i];

		if (!b->used || b->home || !mn_in6_eq(&b->peer, peer))
			continue;
		if (b->rr == MN_RR_WAITHC || b->rr == MN_RR_WAITC)
			return b;
		if (any == NULL)
			any = b;
	}
	return any;
}

/*
 * RFC 6275 §11.3.5: a Parameter Problem code 1 or 2 about our Mobility
 * Header or Home Address option: that correspondent does not do Mobile
 * IPv6; stop route optimisation with it.
 */
static void
in_param_prob(struct mn_engine *e, const struct hdr_ipv6 *ip)
{
	const struct icmp6_msg *m = &e->rx.icmp6;
	struct pkt *q = &e->scratch;
	const struct hdr_ipv6 *qip;
	const struct in6_addr *hoa;
	struct mn_bul *b;

	e->cnt.rx[MN_RX_PARAM_PROB]++;
	if (m->code != ICMP6_PARAMPROB_NEXTHDR &&
	    m->code != ICMP6_PARAMPROB_OPTION)
		return;
	pkt_decode(q, PKT_LINK_IPV6, m->body, m->body_len);
	if ((qip = pkt_inner_ip6(q)) == NULL) {
		drop_malformed(e, "Parameter Problem quoting nothing", &ip->src);
		return;
	}
	if (!points_at_mip6(q, m->code, m->u.pointer)) {
		drop_unexpected(e, "Parameter Problem not about Mobile IPv6",
		    &ip->src);
		return;
	}
	hoa = pkt_hao(q) != NULL ? pkt_hao(q) : &qip->src;
	if ((b = bul_find(e, hoa, &qip->dst)) == NULL)
		b = cn_by_coa(e, &qip->src, &qip->dst);
	if (b == NULL || b->home) {
		drop_unexpected(e, "Parameter Problem for no correspondent",
		    &ip->src);
		return;
	}
	bul_event(e, b, MN_EV_ICMP6_PARAM_PROB);
}

static void
in_icmp6(struct mn_engine *e, const struct hdr_ipv6 *ip)
{
	switch (e->rx.icmp6.type) {
	case ICMP6_T_DHAAD_REPLY:
		in_dhaad_reply(e, ip);
		break;
	case ICMP6_T_MPA:
		in_mpa(e, ip);
		break;
	case ICMP6_T_PARAM_PROB:
		in_param_prob(e, ip);
		break;
	default:
		drop_unexpected(e, "ICMPv6 message the mobile node does not "
		    "take", &ip->src);
		break;
	}
}

/*
 * A packet from a correspondent came through the tunnel (mn.bpf.c raised
 * the hint): tell the bus, and start route optimisation (SHISA's
 * REVERSE_PACKET) when configured and the home registration is bound.
 */
static void
in_rr_hint(struct mn_engine *e, const struct hdr_ipv6 *ip)
{
	struct mn_bul *b, *hb;
	bool ok;
	size_t i;

	e->cnt.rx[MN_RX_RR_HINT]++;
	i = home_index(e, &ip->dst, &ok);
	if (!ok)
		return;
	bus_rr_hint(e, &ip->dst, &ip->src);
	hb = mn_bul_home(e, i);
	if (!e->conf.route_opt || hb == NULL || hb->reg != MN_REG_BOUND ||
	    mn_in6_eq(&ip->src, &hb->peer))
		return;
	if ((b = bul_find(e, &ip->dst, &ip->src)) == NULL &&
	    (b = bul_new(e, i, &ip->src, false)) == NULL)
		return;
	if (!ro_barred(b))
		bul_event(e, b, MN_EV_REVERSE_PACKET);
}

/*
 * What the packets/ library's violation table (viol.c) rates an error is
 * what a receiver drops; warnings and notes (an unknown MH Type, which
 * §9.2 answers with a BE; a BRR that came with a Type 2 Routing header,
 * which §11.7.4 still wants answered) are taken.
 */
static bool
viol_acceptable(const struct pkt *p)
{
	return p->viol.dropped == 0 &&
	    viol_count_severity(&p->viol, VS_ERROR) == 0;
}

/*
 * The plane dropped a packet too big once tunneled or given a HAO
 * (M6S_PTB): a Packet Too Big to its source (RFC 4443 §3.2).  Our own
 * traffic (from a home address) gets it from that home address: it is
 * delivered locally and the kernel lowers its path MTU to the peer.  A
 * mobile network node's gets it from the care-of address.
 */
static void
in_ptb(struct mn_engine *e, const struct mn_input *in)
{
	struct in6_addr src, dst;
	bool ours;

	e->cnt.rx[MN_RX_PTB]++;
	if (ptb_quoted_addrs(in->data, in->sig->caplen, &src, &dst) < 0) {
		drop_malformed(e, "too-big packet that is not IPv6", NULL);
		return;
	}
	(void)home_index(e, &src, &ours);
	if (!ours && !e->have_coa) {
		e->cnt.drop[MN_DROP_NO_COA]++;
		return;
	}
	mn_tx_ptb(e, ours ? &src : &e->coa, in->sig->mtu, in->data,
	    in->sig->caplen);
}

static void input(struct mn_engine *, const struct mn_input *);

/*
 * RFC 4303 §3.4, RFC 3776: ESP to us.  Opened (SA by SPI, replay window,
 * ICV, decryption), then the packet without ESP is served like any other
 * with rx_sa saying it was protected.  Failures are counted in the SA
 * table and dropped (RFC 4303 §3.4.2-§3.4.4: auditable events).
 */
static void
input_esp(struct mn_engine *e, const struct mn_input *in,
    const struct in6_addr *src)
{
	struct m6_sig sig = *in->sig;
	struct mn_input inner = { &sig, e->espbuf };
	size_t esp_off, nh_off, len;
	struct espsa *sa;
	enum espsa_res r;
	char what[64];

	if (e->rx_sa != NULL || (in->sig->flags &
	    (M6SF_UDP4 | M6SF_IP4 | M6SF_TRUNC)) != 0 ||
	    !espsa_locate(&e->rx, &esp_off, &nh_off)) {
		drop_malformed(e, "ESP we cannot open", src);
		return;
	}
	r = espsa_open_pkt(&e->esp, in->data, in->sig->caplen, esp_off,
	    nh_off, e->espbuf, sizeof(e->espbuf), &len, &sa);
	if (r != ESPSA_OK) {
		snprintf(what, sizeof(what), "ESP (%s)", espsa_res_name(r));
		input_log(e, what, src);
		return;
	}
	sig.caplen = (uint32_t)len;
	e->rx_sa = sa;
	e->rx_sig = &sig;
	input(e, &inner);
	e->rx_sig = in->sig;
	e->rx_sa = NULL;
}

/* RFC 4301 §5.2 step 4: what an SA opened must come from its peer (the
   home agent: the BA's source). */
static bool
esp_from_peer(struct mn_engine *e, const struct hdr_ipv6 *ip)
{
	if (e->rx_sa == NULL || mn_in6_eq(&ip->src, &e->rx_sa->c.peer))
		return true;
	e->rx_sa->cnt.peer++;
	input_log(e, "ESP from another peer than its SA's", &ip->src);
	return false;
}

/* The ring record stays at hand (e->rx_sig) for the DSMIPv6 checks of
   where a BA came from (M6SF_UDP4, outer source). */
void
mn_engine_input(struct mn_engine *e, const struct mn_input *in,
    uint64_t now_ms)
{
	e->now = now_ms;
	if (in->sig->reason == M6S_PTB) {
		in_ptb(e, in);
		return;
	}
	e->rx_sig = in->sig;
	input(e, in);
	e->rx_sig = NULL;
}

static void
input(struct mn_engine *e, const struct mn_input *in)
{
	const struct hdr_ipv6 *ip;
	int rc;

	rc = pkt_decode(&e->rx, PKT_LINK_IPV6, in->data, in->sig->caplen);
	ip = pkt_inner_ip6(&e->rx);
	if (ip == NULL) {
		drop_malformed(e, "packet without an IPv6 header", NULL);
		return;
	}
	if (pkt_find(&e->rx, HDR_ESP) != NULL) {
		input_esp(e, in, &ip->src);
		return;
	}
	if (!esp_from_peer(e, ip))
		return;
	if (in->sig->reason == M6S_RR_HINT) {
		in_rr_hint(e, ip);
		return;
	}
	if (rc != 0 || !viol_acceptable(&e->rx)) {
		drop_malformed(e, "malformed packet", &ip->src);
		return;
	}
	if (e->rx.has_mh)
		in_mh(e, ip);
	else if (e->rx.has_icmp6)
		in_icmp6(e, ip);
	else
		drop_unexpected(e, "packet", &ip->src);
}

/* ------------------------------------------------------------ timers */

static uint64_t
earliest(uint64_t a, uint64_t b)
{
	if (b != 0 && b < a)
		return b;
	return a;
}

uint64_t
mn_engine_next_timeout(const struct mn_engine *e)
{
	uint64_t t = UINT64_MAX;
	size_t i;

	for (i = 0; i < MN_BUL_MAX; i++) {
		const struct mn_bul *b = &e->bul[i];

		if (!b->used)
			continue;
		t = earliest(t, b->reg_timer);
		t = earliest(t, b->expires_ms);
		t = earliest(t, b->rr_timer);
	}
	for (i = 0; i < e->nhome; i++) {
		t = earliest(t, e->home[i].mps_timer);
		t = earliest(t, e->home[i].na_timer);
		t = earliest(t, e->home[i].ka_timer);
	}
	return t;
}

static void
home_timeout(struct mn_engine *e, struct mn_home *h, size_t i)
{
	struct mn_bul *b = mn_bul_home(e, i);

	if (h->na_timer != 0 && h->na_timer <= e->now) {
		h->na_timer = 0;
		if (h->at_home && h->na_left > 0)
			mn_v4_place(e, h, true);	/* ARP again */
		if (h->at_home && h->na_left > 0 && mn_tx_na(e, h) &&
		    --h->na_left > 0)
			h->na_timer = e->now + MN_NA_INTERVAL_MS;
	}
	if (h->ka_timer != 0 && h->ka_timer <= e->now) {
		/* RFC 5555 §4.3 [R]: the NAT keepalive is the BU re-sent
		   (a refresh: the BA re-arms this timer) */
		h->ka_timer = 0;
		if (b != NULL && b->reg == MN_REG_BOUND && !h->at_home &&
		    mn_coa_is_v4(e))
			bul_event(e, b, MN_EV_BRR);
	}
	if (h->mps_timer != 0 && h->mps_timer <= e->now) {
		h->mps_timer = 0;
		if (b == NULL || h->at_home || !reg_bound(b->reg))
			return;
		/* §11.4.2: retransmit with back-off until an MPA */
		mn_tx_mps(e, h, b);
		h->mps_backoff_ms = h->mps_backoff_ms * 2 > MN_MAX_BINDACK_MS ?
		    MN_MAX_BINDACK_MS : h->mps_backoff_ms * 2;
		h->mps_timer = e->now + h->mps_backoff_ms;
	}
}

void
mn_engine_timeout(struct mn_engine *e, uint64_t now_ms)
{
	size_t i;

	e->now = now_ms;
	for (i = 0; i < MN_BUL_MAX; i++)
		if (e->bul[i].used)
			bul_timeout(e, &e->bul[i]);
	for (i = 0; i < e->nhome; i++)
		home_timeout(e, &e->home[i], i);
}

/* ------------------------------------------------------- life cycle */

static void
homes_init(struct mn_engine *e)
{
	static const struct in6_addr none;
	size_t i;

	e->nhome = e->conf.nhoa;
	for (i = 0; i < e->nhome; i++) {
		struct mn_home *h = &e->home[i];

		memset(h, 0, sizeof(*h));
		h->conf = e->conf.hoa[i];
		h->pfx_valid_s = MN_INFINITE;
		bul_new(e, i, h->conf.has_ha ? &h->conf.ha : &none, true);
	}
}

/* The SA table from the configuration; the keys live there only. */
static int
esp_conf(struct mn_engine *e, const struct mnd_conf *c)
{
	if (espsa_table_set(&e->esp, c->sa, c->nsa) != 0)
		return -1;
	explicit_bzero(e->conf.sa, sizeof(e->conf.sa));
	e->conf.nsa = 0;
	return 0;
}

struct mn_engine *
mn_engine_new(const struct mnd_conf *c, const struct mn_ops *ops,
    uint64_t now_ms)
{
	struct mn_engine *e = calloc(1, sizeof(*e));

	if (e == NULL)
		return NULL;
	e->conf = *c;
	e->ops = *ops;
	e->now = now_ms;
	e->coa_valid_s = MN_INFINITE;
	if (esp_conf(e, c) != 0) {
		free(e);
		return NULL;
	}
	if (rr_random((uint8_t *)&e->next_id, sizeof(e->next_id)) != 0)
		e->next_id = (uint16_t)now_ms;
	homes_init(e);
	return e;
}

void
mn_engine_free(struct mn_engine *e)
{
	if (e == NULL)
		return;
	espsa_table_free(&e->esp);
	explicit_bzero(e, sizeof(*e));	/* keys in rx/espbuf copies too */
	free(e);
}

void
mn_engine_set_ifaces(struct mn_engine *e, const struct mn_iface *ifs,
    size_t n)
{
	if (n > MND_IFACE_MAX)
		n = MND_IFACE_MAX;
	memcpy(e->ifaces, ifs, n * sizeof(*ifs));
	e->nifaces = n;
}

/*
 * A home registration saved by an earlier run: sequence number, state and
 * expiry resume; a pending exchange is retransmitted at once (the old
 * process's timer is gone), a binding is refreshed on schedule.
 */
void
mn_engine_restore_hoa(struct mn_engine *e, const struct in6_addr *hoa,
    const struct m6_mn_hoa *r, uint64_t now_ms)
{
	bool ok;
	size_t i = home_index(e, hoa, &ok);
	struct mn_bul *b;
	uint64_t life;

	e->now = now_ms;
	if (!ok || (b = mn_bul_home(e, i)) == NULL)
		return;
	b->seq = r->seq;
	b->lifetime = r->lifetime;
	b->sent_ms = r->sent_ms;
	m6_to_in6(&b->coa, &r->coa);
	if (!e->home[i].conf.has_ha)
		m6_to_in6(&b->peer, &r->ha);
	if ((r->flags & M6H_AWAY) != 0) {
		e->have_coa = true;
		e->coa = b->coa;
		e->coa_ifindex = r->coa_ifindex;
		m6_to_in6(&e->router, &r->gw);
	}
	b->reg = r->reg_state < MN_REG_NSTATES ? r->reg_state : MN_REG_IDLE;
	if (b->reg == MN_REG_BOUND && r->expires_ms > now_ms) {
		life = (uint64_t)r->lifetime * MN_LIFETIME_UNIT_MS;
		b->expires_ms = r->expires_ms;
		b->reg_timer = r->sent_ms + life * MN_REFRESH_PERCENT / 100;
		if (b->reg_timer <= now_ms)
			b->reg_timer = now_ms;
	} else if (b->reg != MN_REG_IDLE && b->reg != MN_REG_BOUND) {
		b->reg_timer = now_ms;	/* resend now */
		b->backoff_ms = MN_INITIAL_BINDACK_MS;
		b->dereg = b->reg == MN_REG_WAITD;
	} else {
		b->reg = MN_REG_IDLE;
	}
	if (b->reg == MN_REG_DHAAD)
		dhaad_start(e, b);
	mn_v4_restore(e, &e->home[i], b, r);
}

/* A route-optimised binding of an earlier run: kept until it expires
   (a refresh needs a new return routability exchange). */
void
mn_engine_restore_ro(struct mn_engine *e, const struct m6_ro_key *k,
    const struct m6_mn_ro *r, uint64_t now_ms)
{
	struct in6_addr hoa, peer;
	struct m6_ro_key dk;
	struct mn_bul *b;
	bool ok;
	size_t i;

	e->now = now_ms;
	m6_to_in6(&hoa, &k->hoa);
	m6_to_in6(&peer, &k->peer);
	i = home_index(e, &hoa, &ok);
	if (!ok || r->expires_ms <= now_ms || (r->flags & M6R_ACTIVE) == 0 ||
	    (b = bul_new(e, i, &peer, false)) == NULL) {
		if (e->ops.ro_del != NULL) {
			dk = *k;
			e->ops.ro_del(e->ops.ctx, &dk);
		}
		return;
	}
	b->reg = MN_REG_BOUND;
	b->seq = r->seq;
	b->lifetime = r->lifetime;
	b->expires_ms = r->expires_ms;
	m6_to_in6(&b->coa, &r->coa);
}

void
mn_engine_reset(struct mn_engine *e, uint64_t now_ms)
{
	size_t i;

	e->now = now_ms;
	for (i = 0; i < MN_BUL_MAX; i++) {
		struct mn_bul *b = &e->bul[i];

		if (!b->used)
			continue;
		b->reg_timer = b->rr_timer = b->expires_ms = 0;
		if (reg_bound(b->reg))
			reg_set(e, b, MN_REG_IDLE, MN_EV_STOP_RR);
		if (!b->home)
			bul_free(e, b);
		else
			b->reg = MN_REG_IDLE;
		b->refused = 0;
	}
	memset(&e->cnt, 0, sizeof(e->cnt));
	espsa_table_reset(&e->esp);
	for (i = 0; i < MN_BUL_MAX; i++)
		if (e->bul[i].used && e->have_coa)
			bul_event(e, &e->bul[i], MN_EV_MOVEMENT);
}

/* ------------------------------------------------- reload (mnd.c) */

#define MN_GONE	((size_t)-1)

/* Where old home i is in c (same address and home agent), or MN_GONE. */
static size_t
reconf_match(const struct mn_engine *e, size_t i, const struct mnd_conf *c)
{
	const struct mnd_hoa *o = &e->home[i].conf;

	for (size_t j = 0; j < c->nhoa; j++) {
		const struct mnd_hoa *n = &c->hoa[j];

		if (mn_in6_eq(&o->pfx.addr, &n->pfx.addr) &&
		    o->has_ha == n->has_ha &&
		    (!o->has_ha || mn_in6_eq(&o->ha, &n->ha)))
			return j;
	}
	return MN_GONE;
}

/* A home address leaves: de-register once with its home agent (no
   retransmission: the binding expires there anyway), drop its entries. */
static void
reconf_drop_home(struct mn_engine *e, size_t hidx)
{
	for (size_t i = 0; i < MN_BUL_MAX; i++) {
		struct mn_bul *b = &e->bul[i];

		if (!b->used || b->hidx != hidx)
			continue;
		if (b->home && e->have_coa && !e->home[hidx].at_home &&
		    home_has_ha(e, b) && b->reg != MN_REG_IDLE &&
		    b->reg != MN_REG_DHAAD)
			home_bu(e, b, true);
		bul_free(e, b);
	}
}

/* A kept home address whose DSMIPv6 settings changed (RFC 5555): the
   IPv4 home address goes, and the next BU asks as configured now. */
static void
reconf_v4(struct mn_engine *e, struct mn_home *h, const struct mnd_hoa *n)
{
	struct mnd_hoa o = h->conf;

	h->conf = *n;
	if (o.v4mode != n->v4mode || o.v4addr.s_addr != n->v4addr.s_addr ||
	    o.v4plen != n->v4plen || o.v4home_plen != n->v4home_plen ||
	    o.has_ha4 != n->has_ha4 ||
	    o.ha4.s_addr != n->ha4.s_addr)
		mn_v4_fresh(e, h);
}

/*
 * A new configuration (mnd reload): home addresses removed (or whose
 * home agent changed) are de-registered and forgotten, new ones get a
 * home entry that registers at once when a care-of address is known;
 * the others keep their state.  The new lifetime applies from the next
 * Binding Update.  Only the home addresses and the lifetime are taken
 * from c.
 */
void
mn_engine_reconf(struct mn_engine *e, const struct mnd_conf *c,
    uint64_t now_ms)
{
	static const struct in6_addr none;
	struct mn_home old[MND_HOA_MAX];
	size_t map[MND_HOA_MAX], nold = e->nhome, i, j;
	bool kept[MND_HOA_MAX] = { false };

	e->now = now_ms;
	/* SAs first: the BUs the new homes send below use them */
	if (esp_conf(e, c) != 0)
		mn_log(e, LOG_ERR, "reload: out of memory for the SAs: the "
		    "previous ones stay");
	for (i = 0; i < nold; i++)
		if ((map[i] = reconf_match(e, i, c)) == MN_GONE) {
			mn_log(e, LOG_NOTICE, "reload: home address %zu "
			    "removed or its home agent changed", i);
			reconf_drop_home(e, i);
		} else
			kept[map[i]] = true;
	memcpy(old, e->home, sizeof(old));
	e->conf.nhoa = c->nhoa;
	memcpy(e->conf.hoa, c->hoa, sizeof(e->conf.hoa));
	e->conf.lifetime = c->lifetime;
	e->nhome = c->nhoa;
	for (j = 0; j < e->nhome; j++) {
		memset(&e->home[j], 0, sizeof(e->home[j]));
		e->home[j].conf = c->hoa[j];
		e->home[j].pfx_valid_s = MN_INFINITE;
	}
	for (i = 0; i < nold; i++)
		if (map[i] != MN_GONE) {
			e->home[map[i]] = old[i];
			reconf_v4(e, &e->home[map[i]], &c->hoa[map[i]]);
		}
	for (i = 0; i < MN_BUL_MAX; i++)
		if (e->bul[i].used)
			e->bul[i].hidx = map[e->bul[i].hidx];
	for (j = 0; j < e->nhome; j++) {
		struct mn_bul *b;

		if (kept[j])
			continue;
		b = bul_new(e, j, c->hoa[j].has_ha ? &c->hoa[j].ha : &none,
		    true);
		if (b != NULL && e->have_coa)
			bul_event(e, b, MN_EV_MOVEMENT);
	}
}

int
mn_engine_ctl(struct mn_engine *e, const char *request, uint64_t now_ms,
    struct jw *jw)
{
	e->now = now_ms;
	return mn_ctl_request(e, request, now_ms, jw);
}
