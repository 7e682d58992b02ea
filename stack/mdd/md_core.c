/*
 * stack/mdd/md_core.c - the movement detector's logic (md_core.h): one
 * state machine per managed interface (DOWN, UP_NO_ROUTER, ROUTER_OK,
 * ROUTER_LOST), one for the node's attachment (DETACHED, HOME, FOREIGN),
 * the primary care-of address choice, and the MD_INFO / HOME_HINT
 * decisions.  Pure: no sockets, no clock, no allocation after creation.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "packets/icmp6.h"
#include "packets/msock.h"
#include "packets/sbuf.h"
#include "stack/mdd/md_core.h"

struct md_router {
	struct in6_addr	ll;
	uint8_t		mac[6];
	bool		have_mac;
	uint16_t	lifetime_s;
	uint32_t	interval_ms;	/* from the RA, 0 absent */
	uint64_t	last_ra_ms;
};

struct md_pfx {
	struct in6_addr	prefix;
	uint8_t		plen;
	uint8_t		flags;
	uint64_t	expire_ms;
};

struct md_addr {
	struct in6_addr	a;
	uint8_t		plen;
	unsigned	flags;		/* MD_ADDR_* */
	uint64_t	expire_ms;	/* end of the valid lifetime,
					   UINT64_MAX infinite */
};

struct md_iface {
	char		name[IF_NAMESIZE];
	unsigned	ifindex;
	unsigned	preference;
	enum md_if_state state;
	bool		have_router;
	struct md_router router;
	uint64_t	lost_ms;	/* RA loss deadline (ROUTER_OK) */
	uint64_t	rs_next_ms;	/* next RS while looking, 0 none */
	unsigned	rs_sent;	/* RSs since looking began */
	size_t		npfx;
	struct md_pfx	pfx[MD_RA_PFX_MAX];
	bool		home;		/* the router advertises a home prefix */
	size_t		naddr;
	struct md_addr	addr[MD_ADDR_MAX];
	/* the router that failed NUD, and until when its RAs are ignored
	   (0: none held) */
	struct in6_addr	held;
	uint64_t	held_until_ms;
	size_t		naddr4;
	struct in_addr	addr4[MD_ADDR4_MAX];
};

/* A care-of address candidate. */
struct md_cand {
	struct md_iface	*ifc;
	bool		v4;
	struct in6_addr	coa;
	struct in_addr	coa4;
	uint64_t	expire_ms;	/* md_info.coa_expire_ms */
};

struct md_core {
	struct md_params params;
	struct md_ops	ops;
	size_t		niface;
	struct md_iface	iface[MD_IFACE_MAX];
	enum md_att_state att;
	bool		have_primary;
	struct md_cand	primary;
	struct in6_addr	primary_router;	/* what the last rereg said */
	unsigned	home_ifindex;	/* what the last dereghome said */
	bool		have_last;
	struct md_info	last;		/* the last MD_INFO decided */
	uint64_t	cnt[MDC_MAX];
};

/* ------------------------------------------------------------ names */

static const char *const if_state_names[MD_IF_STATE_MAX] = {
	[MD_IF_DOWN] = "down",
	[MD_IF_UP_NO_ROUTER] = "up-no-router",
	[MD_IF_ROUTER_OK] = "router-ok",
	[MD_IF_ROUTER_LOST] = "router-lost",
};

static const char *const if_event_names[MD_EV_MAX] = {
	[MD_EV_LINK_UP] = "link-up",
	[MD_EV_LINK_DOWN] = "link-down",
	[MD_EV_RA] = "ra",
	[MD_EV_RA_WITHDRAW] = "ra-withdraw",
	[MD_EV_RA_TIMEOUT] = "ra-timeout",
	[MD_EV_NUD_FAILED] = "nud-failed",
};

static const char *const att_state_names[MD_ATT_STATE_MAX] = {
	[MD_ATT_DETACHED] = "detached",
	[MD_ATT_HOME] = "home",
	[MD_ATT_FOREIGN] = "foreign",
};

const char *
md_if_state_name(enum md_if_state s)
{
	return (unsigned)s < MD_IF_STATE_MAX ? if_state_names[s] : "?";
}

const char *
md_if_event_name(enum md_if_event e)
{
	return (unsigned)e < MD_EV_MAX ? if_event_names[e] : "?";
}

const char *
md_att_state_name(enum md_att_state s)
{
	return (unsigned)s < MD_ATT_STATE_MAX ? att_state_names[s] : "?";
}

/* ------------------------------------------------------------ helpers */

static void md_logf(struct md_core *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
md_logf(struct md_core *c, int prio, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (c->ops.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->ops.log(c->ops.ctx, prio, msg);
}

static struct md_iface *
find_iface(struct md_core *c, unsigned ifindex)
{
	for (size_t i = 0; i < c->niface; i++)
		if (c->iface[i].ifindex == ifindex)
			return &c->iface[i];
	return NULL;
}

static bool
prefix_contains(const struct in6_addr *p, unsigned plen,
    const struct in6_addr *a)
{
	unsigned full = plen / 8, rest = plen % 8;
	uint8_t mask;

	if (plen > 128 || memcmp(p->s6_addr, a->s6_addr, full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff00u >> rest);
	return ((p->s6_addr[full] ^ a->s6_addr[full]) & mask) == 0;
}

static bool
is_home_addr(const struct md_core *c, const struct in6_addr *a)
{
	for (size_t i = 0; i < c->params.nhome; i++)
		if (prefix_contains(&c->params.home[i].addr,
		    c->params.home[i].plen, a))
			return true;
	return false;
}

/* RA loss (RFC 6275 §11.5.1): ra-loss-intervals times the router's
   Advertisement Interval (§7.3), or the configured default; never later
   than the Router Lifetime. */
static uint64_t
loss_deadline(const struct md_core *c, const struct md_iface *f)
{
	uint32_t iv = f->router.interval_ms != 0 ? f->router.interval_ms :
	    c->params.ra_interval_default_ms;
	uint64_t loss = f->router.last_ra_ms +
	    (uint64_t)c->params.ra_loss_intervals * iv;
	uint64_t life = f->router.last_ra_ms +
	    (uint64_t)f->router.lifetime_s * 1000;

	return loss < life ? loss : life;
}

static void
forget_router(struct md_iface *f)
{
	f->have_router = false;
	memset(&f->router, 0, sizeof f->router);
	f->npfx = 0;
	f->home = false;
	f->lost_ms = 0;
}

/* ------------------------------------------------------------ interface FSM */

/* What an RA teaches about its sender and prefixes. */
static void
learn_ra(struct md_core *c, struct md_iface *f, const struct md_ra *ra,
    uint64_t now)
{
	f->have_router = true;
	f->router.ll = ra->router;
	if (ra->have_mac) {
		memcpy(f->router.mac, ra->mac, 6);
		f->router.have_mac = true;
	}
	f->router.lifetime_s = ra->lifetime;
	f->router.interval_ms = ra->interval_ms;
	f->router.last_ra_ms = now;
	f->home = false;
	f->npfx = 0;
	for (size_t i = 0; i < ra->npfx && i < MD_RA_PFX_MAX; i++) {
		struct md_pfx *p = &f->pfx[f->npfx];

		if (ra->pfx[i].plen > 128 || ra->pfx[i].valid == 0)
			continue;
		p->prefix = ra->pfx[i].prefix;
		p->plen = ra->pfx[i].plen;
		p->flags = ra->pfx[i].flags;
		p->expire_ms = ra->pfx[i].valid == UINT32_MAX ? UINT64_MAX :
		    now + (uint64_t)ra->pfx[i].valid * 1000;
		if (is_home_addr(c, &p->prefix))
			f->home = true;
		f->npfx++;
	}
	f->lost_ms = loss_deadline(c, f);
}

/*
 * RFC 4861 §6.3.7: up to MAX_RTR_SOLICITATIONS (3) Router Solicitations
 * while no router is known, the first at once so that the node need not
 * wait for the next unsolicited RA.  They are paced at 1 s rather than
 * RTR_SOLICITATION_INTERVAL (4 s): a design choice for faster movement
 * detection (RFC 6275 §11.5.1 discusses RS by mobile nodes; whether it
 * relaxes the 4 s pace is not checked here).  The first one usually fails
 * on a link just up (no link-local address yet); the kernel solicits too
 * once its link-local address is ready.
 */
#define RS_MAX		3
#define RS_INTERVAL_MS	1000

static void
solicit(struct md_core *c, struct md_iface *f, uint64_t now)
{
	if (c->ops.send_rs != NULL)
		c->ops.send_rs(c->ops.ctx, f->ifindex);
	f->rs_sent++;
	f->rs_next_ms = f->rs_sent < RS_MAX ? now + RS_INTERVAL_MS : 0;
}

static void
start_soliciting(struct md_core *c, struct md_iface *f, uint64_t now)
{
	f->rs_sent = 0;
	solicit(c, f, now);
}

/* Actions on entering a state. */
static void
if_enter(struct md_core *c, struct md_iface *f, enum md_if_state to,
    uint64_t now)
{
	f->rs_next_ms = 0;
	switch (to) {
	case MD_IF_DOWN:
		forget_router(f);
		f->held_until_ms = 0;	/* a new attachment */
		break;
	case MD_IF_UP_NO_ROUTER:
		forget_router(f);
		start_soliciting(c, f, now);
		break;
	case MD_IF_ROUTER_LOST:
		/* Its prefixes no longer make care-of addresses; look for
		   another router. */
		f->npfx = 0;
		f->home = false;
		f->lost_ms = 0;
		start_soliciting(c, f, now);
		break;
	case MD_IF_ROUTER_OK:
	case MD_IF_STATE_MAX:
		break;
	}
}

/* The interface state machine: (state, event) -> next state. */
static enum md_if_state
if_next(enum md_if_state s, enum md_if_event ev)
{
	if (ev == MD_EV_LINK_DOWN)
		return MD_IF_DOWN;
	switch (s) {
	case MD_IF_DOWN:
		return ev == MD_EV_LINK_UP ? MD_IF_UP_NO_ROUTER : s;
	case MD_IF_UP_NO_ROUTER:
	case MD_IF_ROUTER_LOST:
		return ev == MD_EV_RA ? MD_IF_ROUTER_OK : s;
	case MD_IF_ROUTER_OK:
		if (ev == MD_EV_RA_WITHDRAW || ev == MD_EV_RA_TIMEOUT ||
		    ev == MD_EV_NUD_FAILED)
			return MD_IF_ROUTER_LOST;
		return s;
	case MD_IF_STATE_MAX:
		break;
	}
	return s;
}

static void
if_transition(struct md_core *c, struct md_iface *f, enum md_if_event ev,
    uint64_t now)
{
	enum md_if_state to = if_next(f->state, ev);

	if (to == f->state)
		return;
	md_logf(c, LOG_INFO, "%s: %s -> %s (%s)", f->name,
	    md_if_state_name(f->state), md_if_state_name(to),
	    md_if_event_name(ev));
	c->cnt[MDC_EVENTS]++;
	switch (ev) {
	case MD_EV_RA_TIMEOUT: c->cnt[MDC_ROUTER_LOST_RA]++; break;
	case MD_EV_NUD_FAILED: c->cnt[MDC_ROUTER_LOST_NUD]++; break;
	case MD_EV_RA_WITHDRAW: c->cnt[MDC_ROUTER_WITHDRAWN]++; break;
	case MD_EV_LINK_DOWN: c->cnt[MDC_LINK_DOWN]++; break;
	default: break;
	}
	f->state = to;
	if_enter(c, f, to, now);
}

/* ------------------------------------------------------------ CoA choice */

static bool
addr_usable(const struct md_core *c, const struct md_addr *a)
{
	if (a->flags & (MD_ADDR_DADFAILED | MD_ADDR_DEPRECATED))
		return false;
	/* RFC 4429: an optimistic address may be used as a source at once;
	   a plain tentative one may not. */
	if (a->flags & MD_ADDR_TENTATIVE)
		return c->params.optimistic &&
		    (a->flags & MD_ADDR_OPTIMISTIC) != 0;
	return true;
}

static bool
addr_global(const struct in6_addr *a)
{
	return !IN6_IS_ADDR_LINKLOCAL(a) && !IN6_IS_ADDR_LOOPBACK(a) &&
	    !IN6_IS_ADDR_MULTICAST(a) && !IN6_IS_ADDR_UNSPECIFIED(a) &&
	    !IN6_IS_ADDR_V4MAPPED(a);
}

/* In a prefix the interface's live router advertises (and not expired). */
static bool
addr_advertised(const struct md_iface *f, const struct in6_addr *a,
    uint64_t now)
{
	for (size_t i = 0; i < f->npfx; i++)
		if (f->pfx[i].expire_ms > now &&
		    prefix_contains(&f->pfx[i].prefix, f->pfx[i].plen, a))
			return true;
	return false;
}

/* The interface's best IPv6 candidate: usable, global, advertised, not a
   home address; a preferred address before an optimistic one. */
static bool
iface_cand6(const struct md_core *c, struct md_iface *f, uint64_t now,
    const struct md_cand *cur, struct md_cand *out)
{
	const struct md_addr *best = NULL;

	for (size_t i = 0; i < f->naddr; i++) {
		const struct md_addr *a = &f->addr[i];

		if (!addr_usable(c, a) || !addr_global(&a->a) ||
		    is_home_addr(c, &a->a) || !addr_advertised(f, &a->a, now))
			continue;
		/* Keep the current one among equals: no flapping. */
		if (cur != NULL && !cur->v4 && cur->ifc == f &&
		    memcmp(&cur->coa, &a->a, 16) == 0) {
			best = a;
			break;
		}
		if (best == NULL || ((best->flags & MD_ADDR_TENTATIVE) &&
		    !(a->flags & MD_ADDR_TENTATIVE)))
			best = a;
	}
	if (best == NULL)
		return false;
	memset(out, 0, sizeof *out);
	out->ifc = f;
	out->coa = best->a;
	out->expire_ms = best->expire_ms;
	return true;
}

/* IPv4 care-of addresses (DSMIPv6, issue 6) need no RA: an address on
   an interface that is up. */
static bool
iface_cand4(struct md_iface *f, struct md_cand *out)
{
	if (f->state == MD_IF_DOWN || f->naddr4 == 0)
		return false;
	memset(out, 0, sizeof *out);
	out->ifc = f;
	out->v4 = true;
	out->coa4 = f->addr4[0];
	return true;
}

static bool
cand_same(const struct md_cand *a, const struct md_cand *b)
{
	if (a->ifc != b->ifc || a->v4 != b->v4)
		return false;
	return a->v4 ? a->coa4.s_addr == b->coa4.s_addr :
	    memcmp(&a->coa, &b->coa, 16) == 0;
}

/* Is x better than y?  IPv6 over IPv4, then lower interface preference. */
static int
cand_cmp(const struct md_cand *x, const struct md_cand *y)
{
	if (x->v4 != y->v4)
		return x->v4 ? 1 : -1;
	if (x->ifc->preference != y->ifc->preference)
		return x->ifc->preference < y->ifc->preference ? -1 : 1;
	return 0;
}

/* The primary CoA (DESIGN.md "Movement detection"): the best candidate;
   the current one when it is as good as the best. */
static bool
choose_primary(struct md_core *c, uint64_t now, struct md_cand *out)
{
	const struct md_cand *cur = c->have_primary ? &c->primary : NULL;
	bool found = false, cur_ok = false;
	struct md_cand best, k, cur_now;

	for (size_t i = 0; i < c->niface; i++) {
		struct md_iface *f = &c->iface[i];
		bool have = false;

		if (f->state == MD_IF_ROUTER_OK)
			have = iface_cand6(c, f, now, cur, &k);
		if (!have)
			have = iface_cand4(f, &k);
		if (!have)
			continue;
		if (cur != NULL && cand_same(&k, cur)) {
			cur_ok = true;
			cur_now = k;
		}
		/* Among equals, the current interface (no needless move). */
		if (!found || cand_cmp(&k, &best) < 0 ||
		    (cand_cmp(&k, &best) == 0 && cur != NULL &&
		    k.ifc == cur->ifc)) {
			best = k;
			found = true;
		}
	}
	if (!found)
		return false;
	*out = cur_ok && cand_cmp(&cur_now, &best) == 0 ? cur_now : best;
	return true;
}

/* ------------------------------------------------------------ attachment FSM */

static void
emit(struct md_core *c, const struct md_info *mi)
{
	c->cnt[MDC_MD_INFO]++;
	c->last = *mi;
	c->have_last = true;
	if (c->ops.md_info != NULL)
		c->ops.md_info(c->ops.ctx, mi);
}

static void
fill_router(struct md_info *mi, const struct md_iface *f)
{
	if (f->have_router) {
		mi->have_router = true;
		mi->router = f->router.ll;
		if (f->router.have_mac) {
			mi->have_mac = true;
			memcpy(mi->router_mac, f->router.mac, 6);
		}
	}
}

static void
send_rereg(struct md_core *c, const struct md_cand *n, unsigned hint)
{
	struct md_info mi;
	char a[IN6_STRLEN];

	memset(&mi, 0, sizeof mi);
	mi.command = MSOCK_MD_REREG;
	mi.hint = hint;
	mi.ifindex = n->ifc->ifindex;
	mi.v4 = n->v4;
	mi.coa = n->coa;
	mi.coa4 = n->coa4;
	mi.coa_expire_ms = n->expire_ms;
	if (!n->v4)
		fill_router(&mi, n->ifc);
	if (n->v4)
		inet_ntop(AF_INET, &n->coa4, a, sizeof a);
	else
		in6_fmt(&n->coa, a);
	md_logf(c, LOG_NOTICE, "primary care-of address %s on %s", a,
	    n->ifc->name);
	emit(c, &mi);
}

static void
send_dereghome(struct md_core *c, const struct md_iface *f)
{
	struct md_info mi;

	memset(&mi, 0, sizeof mi);
	mi.command = MSOCK_MD_DEREGHOME;
	mi.hint = MSOCK_HINT_HOME;
	mi.ifindex = f->ifindex;
	fill_router(&mi, f);
	for (size_t i = 0; i < f->npfx && mi.nprefix < MD_HOME_MAX; i++)
		if (is_home_addr(c, &f->pfx[i].prefix)) {
			mi.prefix[mi.nprefix].addr = f->pfx[i].prefix;
			mi.prefix[mi.nprefix].plen = f->pfx[i].plen;
			mi.nprefix++;
		}
	md_logf(c, LOG_NOTICE, "home link on %s", f->name);
	emit(c, &mi);
}

static void
send_deregforeign(struct md_core *c)
{
	struct md_info mi;

	memset(&mi, 0, sizeof mi);
	mi.command = MSOCK_MD_DEREGFOREIGN;
	md_logf(c, LOG_NOTICE, "no usable care-of address");
	emit(c, &mi);
}

/* The attachment the interfaces show now (HOME wins: a home link in
   reach means de-registration, RFC 6275 §11.5.4). */
static enum md_att_state
att_target(struct md_core *c, uint64_t now, struct md_iface **home,
    struct md_cand *cand)
{
	*home = NULL;
	for (size_t i = 0; i < c->niface; i++) {
		struct md_iface *f = &c->iface[i];

		if (f->state != MD_IF_ROUTER_OK || !f->home)
			continue;
		if (*home == NULL || f->preference < (*home)->preference)
			*home = f;
	}
	if (*home != NULL)
		return MD_ATT_HOME;
	return choose_primary(c, now, cand) ? MD_ATT_FOREIGN : MD_ATT_DETACHED;
}

/*
 * The attachment state machine: move to what the interfaces show, and
 * tell the mobile node on every change of state, home interface, primary
 * care-of address or its router.
 */
static void
att_transition(struct md_core *c, enum md_att_state to, struct md_iface *home,
    const struct md_cand *cand)
{
	enum md_att_state from = c->att;

	if (to != from)
		md_logf(c, LOG_INFO, "attachment %s -> %s",
		    md_att_state_name(from), md_att_state_name(to));
	c->att = to;
	switch (to) {
	case MD_ATT_HOME:
		c->have_primary = false;
		if (from != MD_ATT_HOME || c->home_ifindex != home->ifindex) {
			c->home_ifindex = home->ifindex;
			send_dereghome(c, home);
		}
		break;
	case MD_ATT_FOREIGN: {
		bool same = c->have_primary && cand_same(cand, &c->primary);
		bool router_moved = !cand->v4 && cand->ifc->have_router &&
		    memcmp(&cand->ifc->router.ll, &c->primary_router, 16) != 0;
		unsigned hint = c->have_primary && c->primary.ifc == cand->ifc ?
		    MSOCK_HINT_ADDR : MSOCK_HINT_INDEX;

		if (from == MD_ATT_FOREIGN && same && !router_moved) {
			/* the kernel refreshed the lifetime (an RA) */
			c->primary.expire_ms = cand->expire_ms;
			break;
		}
		c->primary = *cand;
		c->have_primary = true;
		c->primary_router = cand->ifc->router.ll;
		c->home_ifindex = 0;
		send_rereg(c, cand, hint);
		break;
	}
	case MD_ATT_DETACHED:
		c->have_primary = false;
		c->home_ifindex = 0;
		if (from != MD_ATT_DETACHED)
			send_deregforeign(c);
		break;
	case MD_ATT_STATE_MAX:
		break;
	}
}

static void
evaluate(struct md_core *c, uint64_t now)
{
	struct md_iface *home;
	struct md_cand cand;
	enum md_att_state to = att_target(c, now, &home, &cand);

	att_transition(c, to, home, &cand);
}

/* ------------------------------------------------------------ inputs */

struct md_core *
md_core_new(const struct md_params *p, const struct md_ops *ops,
    uint64_t now_ms)
{
	struct md_core *c = calloc(1, sizeof *c);

	(void)now_ms;
	if (c == NULL)
		return NULL;
	c->params = *p;
	if (c->params.ra_loss_intervals == 0)
		c->params.ra_loss_intervals = 3;
	if (c->params.ra_interval_default_ms == 0)
		c->params.ra_interval_default_ms = 10000;
	c->ops = *ops;
	c->niface = p->niface < MD_IFACE_MAX ? p->niface : MD_IFACE_MAX;
	for (size_t i = 0; i < c->niface; i++) {
		struct md_iface *f = &c->iface[i];

		memcpy(f->name, p->iface[i].name, sizeof f->name);
		f->name[sizeof f->name - 1] = '\0';
		f->ifindex = p->iface[i].ifindex;
		f->preference = p->iface[i].preference;
		f->state = MD_IF_DOWN;
	}
	c->att = MD_ATT_DETACHED;
	return c;
}

void
md_core_free(struct md_core *c)
{
	free(c);
}

/* The interface of a candidate after the array was rebuilt, or NULL. */
static void
reattach_primary(struct md_core *c, unsigned ifindex)
{
	struct md_iface *f = find_iface(c, ifindex);

	c->primary.ifc = f;
	if (f == NULL)
		c->have_primary = false;
}

/*
 * A new configuration (mdd reload): interfaces kept keep their state
 * (router, prefixes, addresses); new ones start DOWN until the caller
 * feeds their link and addresses; removed ones are forgotten.  Then the
 * home flags and RA loss deadlines follow the new parameters and the
 * attachment is evaluated again, so what changed is announced at once.
 */
int
md_core_reconf(struct md_core *c, const struct md_params *p, uint64_t now)
{
	struct md_iface *old = malloc(sizeof c->iface);
	size_t nold = c->niface;
	unsigned primary_if = c->have_primary ? c->primary.ifc->ifindex : 0;

	if (old == NULL)
		return -1;
	memcpy(old, c->iface, sizeof c->iface);
	c->params = *p;
	if (c->params.ra_loss_intervals == 0)
		c->params.ra_loss_intervals = 3;
	if (c->params.ra_interval_default_ms == 0)
		c->params.ra_interval_default_ms = 10000;
	c->niface = p->niface < MD_IFACE_MAX ? p->niface : MD_IFACE_MAX;
	for (size_t i = 0; i < c->niface; i++) {
		struct md_iface *f = &c->iface[i];
		size_t k;

		for (k = 0; k < nold; k++)
			if (old[k].ifindex == p->iface[i].ifindex)
				break;
		if (k < nold)
			*f = old[k];
		else {
			memset(f, 0, sizeof *f);
			f->state = MD_IF_DOWN;
		}
		memcpy(f->name, p->iface[i].name, sizeof f->name);
		f->name[sizeof f->name - 1] = '\0';
		f->ifindex = p->iface[i].ifindex;
		f->preference = p->iface[i].preference;
		f->home = false;
		for (size_t j = 0; j < f->npfx; j++)
			if (is_home_addr(c, &f->pfx[j].prefix))
				f->home = true;
		if (f->state == MD_IF_ROUTER_OK)
			f->lost_ms = loss_deadline(c, f);
	}
	free(old);
	if (primary_if != 0)
		reattach_primary(c, primary_if);
	evaluate(c, now);
	return 0;
}

void
md_link(struct md_core *c, unsigned ifindex, bool up, uint64_t now)
{
	struct md_iface *f = find_iface(c, ifindex);

	if (f == NULL)
		return;
	if (!up)
		if_transition(c, f, MD_EV_LINK_DOWN, now);
	else if (f->state == MD_IF_DOWN)
		if_transition(c, f, MD_EV_LINK_UP, now);
	evaluate(c, now);
}

static bool
ra_shows_home(const struct md_core *c, const struct md_ra *ra)
{
	for (size_t i = 0; i < ra->npfx && i < MD_RA_PFX_MAX; i++)
		if (ra->pfx[i].plen <= 128 && ra->pfx[i].valid != 0 &&
		    is_home_addr(c, &ra->pfx[i].prefix))
			return true;
	return false;
}

/* RFC 4861 §6.3.4: prefixes and the home-prefix check; the router as
   the interface's router when it has none alive (one per interface). */
void
md_ra(struct md_core *c, const struct md_ra *ra, uint64_t now)
{
	struct md_iface *f = find_iface(c, ra->ifindex);
	bool current;

	if (f == NULL) {
		c->cnt[MDC_RAS_IGNORED]++;
		return;
	}
	c->cnt[MDC_RAS]++;
	for (size_t i = 0; i < ra->npfx && i < MD_RA_PFX_MAX; i++)
		if (ra->pfx[i].plen <= 128 &&
		    is_home_addr(c, &ra->pfx[i].prefix)) {
			c->cnt[MDC_HOME_HINTS]++;
			if (c->ops.home_hint != NULL)
				c->ops.home_hint(c->ops.ctx, f->ifindex,
				    &ra->pfx[i].prefix, ra->pfx[i].plen);
		}
	if (f->state == MD_IF_DOWN)	/* the link event is late */
		if_transition(c, f, MD_EV_LINK_UP, now);
	if (f->held_until_ms > now &&
	    memcmp(&f->held, &ra->router, 16) == 0) {
		c->cnt[MDC_RAS_HELD_DOWN]++;
		evaluate(c, now);
		return;
	}
	current = f->have_router &&
	    memcmp(&f->router.ll, &ra->router, 16) == 0;
	if (ra->lifetime == 0) {
		/* RFC 4861 §6.3.4: not a default router (any more). */
		if (current && f->state == MD_IF_ROUTER_OK)
			if_transition(c, f, MD_EV_RA_WITHDRAW, now);
		evaluate(c, now);
		return;
	}
	/* A second router on the link: keep ours, unless this one shows
	   the home link (the node is home whoever else is there). */
	if (f->state == MD_IF_ROUTER_OK && !current && !ra_shows_home(c, ra)) {
		evaluate(c, now);
		return;
	}
	learn_ra(c, f, ra, now);
	if_transition(c, f, MD_EV_RA, now);
	evaluate(c, now);
}

/* valid_s: the remaining valid lifetime (IFA_CACHEINFO), UINT32_MAX
   infinite. */
void
md_addr(struct md_core *c, unsigned ifindex, const struct in6_addr *a,
    uint8_t plen, unsigned flags, uint32_t valid_s, bool present,
    uint64_t now)
{
	struct md_iface *f = find_iface(c, ifindex);
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->naddr; i++)
		if (memcmp(&f->addr[i].a, a, 16) == 0)
			break;
	if (!present) {
		if (i < f->naddr)
			f->addr[i] = f->addr[--f->naddr];
	} else if (i < f->naddr || f->naddr < MD_ADDR_MAX) {
		if (i == f->naddr)
			f->naddr++;
		f->addr[i].a = *a;
		f->addr[i].plen = plen;
		f->addr[i].flags = flags;
		f->addr[i].expire_ms = valid_s == UINT32_MAX ? UINT64_MAX :
		    now + (uint64_t)valid_s * 1000;
	} else
		md_logf(c, LOG_WARNING, "%s: more than %d addresses, some "
		    "not watched", f->name, MD_ADDR_MAX);
	evaluate(c, now);
}

void
md_addr4(struct md_core *c, unsigned ifindex, const struct in_addr *a,
    bool present, uint64_t now)
{
	struct md_iface *f = find_iface(c, ifindex);
	size_t i;

	/* Loopback and link-local (169.254/16) are never care-of addresses. */
	if (f == NULL || (ntohl(a->s_addr) >> 24) == 127 ||
	    (ntohl(a->s_addr) >> 16) == 0xa9fe)
		return;
	for (i = 0; i < f->naddr4; i++)
		if (f->addr4[i].s_addr == a->s_addr)
			break;
	if (!present) {
		if (i < f->naddr4)
			f->addr4[i] = f->addr4[--f->naddr4];
	} else if (i == f->naddr4 && f->naddr4 < MD_ADDR4_MAX)
		f->addr4[f->naddr4++] = *a;
	evaluate(c, now);
}

void
md_neigh(struct md_core *c, unsigned ifindex, const struct in6_addr *a,
    bool failed, uint64_t now)
{
	struct md_iface *f = find_iface(c, ifindex);

	if (f == NULL || !failed || !f->have_router ||
	    memcmp(&f->router.ll, a, 16) != 0)
		return;
	/* RFC 6275 §11.5.1: NUD says the default router is unreachable. */
	if_transition(c, f, MD_EV_NUD_FAILED, now);
	/* Its RAs may well go on (RFC 4861 §7.3.1: an RA confirms no
	   reachability), so taking it back at the next one would flap:
	   it is held down, and only an RA after the hold-down brings it
	   back (another router on the link is taken at once). */
	if (c->params.nud_hold_down_ms != 0) {
		f->held = *a;
		f->held_until_ms = now + c->params.nud_hold_down_ms;
	}
	evaluate(c, now);
}

/* RFC 4862 §5.5.3: a prefix is on-link (and its addresses care-of
   addresses) for its Valid Lifetime. */
static void
expire_prefixes(struct md_iface *f, uint64_t now)
{
	for (size_t i = 0; i < f->npfx;)
		if (f->pfx[i].expire_ms <= now)
			f->pfx[i] = f->pfx[--f->npfx];
		else
			i++;
}

void
md_timeout(struct md_core *c, uint64_t now)
{
	for (size_t i = 0; i < c->niface; i++) {
		struct md_iface *f = &c->iface[i];

		if (f->state == MD_IF_ROUTER_OK && f->lost_ms <= now)
			if_transition(c, f, MD_EV_RA_TIMEOUT, now);
		if (f->rs_next_ms != 0 && f->rs_next_ms <= now)
			solicit(c, f, now);
		expire_prefixes(f, now);
	}
	evaluate(c, now);
}

uint64_t
md_next_timeout(const struct md_core *c)
{
	uint64_t next = UINT64_MAX;

	for (size_t i = 0; i < c->niface; i++) {
		const struct md_iface *f = &c->iface[i];

		if (f->state == MD_IF_ROUTER_OK && f->lost_ms < next)
			next = f->lost_ms;
		if (f->rs_next_ms != 0 && f->rs_next_ms < next)
			next = f->rs_next_ms;
		for (size_t k = 0; k < f->npfx; k++)
			if (f->pfx[k].expire_ms < next)
				next = f->pfx[k].expire_ms;
	}
	return next;
}

/* ------------------------------------------------------------ queries */

enum md_if_state
md_if_state(const struct md_core *c, unsigned ifindex)
{
	for (size_t i = 0; i < c->niface; i++)
		if (c->iface[i].ifindex == ifindex)
			return c->iface[i].state;
	return MD_IF_DOWN;
}

/* The CoA's lifetime as it is now: the kernel refreshes it with every RA. */
bool
md_last_info(const struct md_core *c, struct md_info *out)
{
	if (!c->have_last)
		return false;
	*out = c->last;
	if (out->command == MSOCK_MD_REREG && c->have_primary)
		out->coa_expire_ms = c->primary.expire_ms;
	return true;
}

enum md_att_state
md_att_state(const struct md_core *c)
{
	return c->att;
}

bool
md_primary(const struct md_core *c, unsigned *ifindex, struct in6_addr *coa)
{
	if (!c->have_primary)
		return false;
	*ifindex = c->primary.ifc->ifindex;
	if (c->primary.v4) {
		memset(coa, 0, sizeof *coa);
		coa->s6_addr[10] = coa->s6_addr[11] = 0xff;
		memcpy(&coa->s6_addr[12], &c->primary.coa4, 4);
	} else
		*coa = c->primary.coa;
	return true;
}

uint32_t
md_remaining_s(uint64_t expire_ms, uint64_t now_ms)
{
	if (expire_ms == UINT64_MAX)
		return UINT32_MAX;
	if (expire_ms <= now_ms)
		return 0;
	/* whole seconds left, never rounded up past the kernel's */
	return (expire_ms - now_ms) / 1000 >= UINT32_MAX ? UINT32_MAX - 1 :
	    (uint32_t)((expire_ms - now_ms) / 1000);
}

uint64_t
md_counter(const struct md_core *c, enum md_counter k)
{
	return (unsigned)k < MDC_MAX ? c->cnt[k] : 0;
}

const uint64_t *
md_counters(const struct md_core *c)
{
	return c->cnt;
}

const char *
md_counter_name(unsigned k)
{
	static const char *const names[MDC_MAX] = {
		[MDC_RAS] = "ras",
		[MDC_RAS_IGNORED] = "ras_ignored",
		[MDC_EVENTS] = "events",
		[MDC_ROUTER_LOST_RA] = "router_lost_ra",
		[MDC_ROUTER_LOST_NUD] = "router_lost_nud",
		[MDC_ROUTER_WITHDRAWN] = "router_withdrawn",
		[MDC_LINK_DOWN] = "link_down",
		[MDC_MD_INFO] = "md_info",
		[MDC_HOME_HINTS] = "home_hints",
		[MDC_RAS_HELD_DOWN] = "ras_held_down",
	};

	return k < MDC_MAX ? names[k] : "?";
}

static void
iface_json(const struct md_core *c, const struct md_iface *f,
    struct jw *jw, uint64_t now)
{
	struct md_cand k;

	jw_obj_open(jw, NULL);
	jw_str(jw, "name", f->name);
	jw_uint(jw, "ifindex", f->ifindex);
	jw_uint(jw, "preference", f->preference);
	jw_str(jw, "state", md_if_state_name(f->state));
	jw_bool(jw, "home", f->home);
	if (f->have_router) {
		jw_in6(jw, "router", &f->router.ll);
		if (f->router.have_mac)
			jw_hex(jw, "router_mac", f->router.mac, 6);
		jw_uint(jw, "last_ra_age_ms", now - f->router.last_ra_ms);
		jw_uint(jw, "interval_ms", f->router.interval_ms != 0 ?
		    f->router.interval_ms : c->params.ra_interval_default_ms);
		jw_bool(jw, "interval_advertised", f->router.interval_ms != 0);
		jw_uint(jw, "router_lifetime", f->router.lifetime_s);
		if (f->state == MD_IF_ROUTER_OK)
			jw_uint(jw, "lost_in_ms",
			    f->lost_ms > now ? f->lost_ms - now : 0);
	}
	if (f->held_until_ms > now) {
		jw_in6(jw, "held_down_router", &f->held);
		jw_uint(jw, "held_down_ms", f->held_until_ms - now);
	}
	jw_arr_open(jw, "prefixes");
	for (size_t i = 0; i < f->npfx; i++) {
		char a[IN6_STRLEN], buf[IN6_STRLEN + 8];

		snprintf(buf, sizeof buf, "%s/%u",
		    in6_fmt(&f->pfx[i].prefix, a), f->pfx[i].plen);
		jw_str(jw, NULL, buf);
	}
	jw_arr_close(jw);
	jw_arr_open(jw, "candidates");
	if (f->state == MD_IF_ROUTER_OK && iface_cand6(c,
	    (struct md_iface *)(uintptr_t)f, now, NULL, &k))
		jw_in6(jw, NULL, &k.coa);
	else if (iface_cand4((struct md_iface *)(uintptr_t)f, &k))
		jw_in4(jw, NULL, &k.coa4);
	jw_arr_close(jw);
	jw_obj_close(jw);
}

void
md_status_json(const struct md_core *c, struct jw *jw, uint64_t now)
{
	jw_str(jw, "attachment", md_att_state_name(c->att));
	if (c->have_primary) {
		jw_obj_open(jw, "primary");
		if (c->primary.v4)
			jw_in4(jw, "coa4", &c->primary.coa4);
		else
			jw_in6(jw, "coa", &c->primary.coa);
		jw_str(jw, "interface", c->primary.ifc->name);
		jw_uint(jw, "ifindex", c->primary.ifc->ifindex);
		if (c->primary.expire_ms != 0)
			jw_uint(jw, "valid_lifetime",
			    md_remaining_s(c->primary.expire_ms, now));
		jw_obj_close(jw);
	} else
		jw_null(jw, "primary");
	jw_arr_open(jw, "interfaces");
	for (size_t i = 0; i < c->niface; i++)
		iface_json(c, &c->iface[i], jw, now);
	jw_arr_close(jw);
}
