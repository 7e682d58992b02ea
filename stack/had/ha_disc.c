/*
 * stack/had/ha_disc.c - Dynamic Home Agent Address Discovery and Mobile
 * Prefix Discovery on the home agent (see ha_disc.h).
 *
 * The home agents list (RFC 6275 §10.5.1) holds our own entry, made from
 * the configuration, and one entry per global address other home agents
 * announce: a Router Advertisement with the H flag, its Prefix Information
 * options with the R bit (the full router address, §7.2) and its Home
 * Agent Information option (preference, lifetime, the NEMO R bit of RFC
 * 3963 §7.1).  The list answers DHAAD Requests (§10.5, RFC 3963 §7.2) and
 * `mip6ctl halist`; Mobile Prefix Advertisements (§10.6.2) come from the
 * configured home prefixes.
 *
 * Pure: bytes out through ops->send, time in as a number.  The list is
 * bounded (DISC_HA_MAX) since it is fed by packets from the link.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "packets/buf.h"
#include "packets/pkt.h"
#include "packets/sbuf.h"
#include "packets/viol.h"
#include "stack/had/ha_disc.h"
#include "stack/had/ha_util.h"

#define DISC_HA_MAX		64	/* learned entries kept */
#define DISC_HOP_LIMIT		64
#define ND_HOP_LIMIT		255	/* RFC 4861 §6.1.2 */
#define RA_MIN_LEN		16
#define MIN_MTU			1280	/* RFC 8200 §5 */
#define IP6_HDR_LEN		40
#define DHAAD_HDR_LEN		8
/* RFC 6275 §10.5: the reply must fit the minimum MTU. */
#define DHAAD_MAX_ADDRS	((MIN_MTU - IP6_HDR_LEN - DHAAD_HDR_LEN) / 16)

struct disc_ha {
	struct in6_addr	addr;		/* global address (PI with R bit) */
	struct in6_addr	ll;		/* the RA's source */
	unsigned	ifindex;
	int16_t		preference;
	uint16_t	lifetime;	/* seconds */
	uint64_t	expire_ms;
	bool		router;		/* supports mobile routers */
	bool		self;
	uint32_t	order;		/* arrival: ties keep it (seed 0) */
};

struct ha_disc {
	struct ha_ops	ops;
	struct ha_iface	*ifaces;
	size_t		nifaces;
	bool		configured;
	size_t		nprefix;
	struct had_home_prefix prefix[HAD_PREFIX_MAX];
	bool		prefixes_changed;
	struct in6_addr	ha_addr;
	int16_t		preference;
	uint16_t	ha_lifetime;
	bool		accept_router;
	size_t		n;
	struct disc_ha	list[DISC_HA_MAX];
	uint32_t	next_order;
	uint16_t	mpa_id;		/* unsolicited MPA identifiers */
	uint32_t	seed;		/* 0: ties in arrival order */
};

/* ------------------------------------------------------------ helpers */

#define disc_log(d, ...)	ha_ops_log(&(d)->ops, __VA_ARGS__)

/* A unicast address beyond the link: what a DHAAD Reply may list. */
static bool
in6_global_unicast(const struct in6_addr *a)
{
	static const struct in6_addr loop = { .s6_addr = { [15] = 1 } };

	return !in6_unspecified(a) && !in6_eq(a, &loop) &&
	    a->s6_addr[0] != 0xff && !in6_linklocal(a);
}

/* Only a home link's RAs build the list (an unknown interface: trust the
   caller). */
static bool
disc_home_link(const struct ha_disc *d, unsigned ifindex)
{
	size_t i;

	for (i = 0; i < d->nifaces; i++)
		if (d->ifaces[i].ifindex == ifindex)
			return d->ifaces[i].home_link;
	return true;
}

static bool
disc_own_ll(const struct ha_disc *d, const struct in6_addr *a)
{
	size_t i;

	for (i = 0; i < d->nifaces; i++)
		if (in6_eq(&d->ifaces[i].ll, a))
			return true;
	return false;
}

static void
disc_remove_at(struct ha_disc *d, size_t i)
{
	memmove(&d->list[i], &d->list[i + 1],
	    (d->n - i - 1) * sizeof(d->list[0]));
	d->n--;
}

/* Drop every entry a home agent (link-local source) announced. */
static void
disc_remove_ha(struct ha_disc *d, const struct in6_addr *ll,
    unsigned ifindex)
{
	size_t i = 0;
	char a[IN6_STRLEN];

	while (i < d->n) {
		if (d->list[i].ifindex == ifindex && in6_eq(&d->list[i].ll, ll)) {
			disc_log(d, LOG_INFO, "halist: %s removed",
			    in6_fmt(&d->list[i].addr, a));
			disc_remove_at(d, i);
		} else
			i++;
	}
}

static struct disc_ha *
disc_find(struct ha_disc *d, const struct in6_addr *addr)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (in6_eq(&d->list[i].addr, addr))
			return &d->list[i];
	return NULL;
}

static void
disc_send(const struct ha_disc *d, const struct pkt *p, const char *what)
{
	uint8_t buf[MIN_MTU];
	size_t len;

	if (pkt_encode(p, buf, sizeof(buf), &len) != 0) {
		disc_log(d, LOG_ERR, "disc: cannot encode %s", what);
		return;
	}
	if (d->ops.send != NULL)
		d->ops.send(d->ops.ctx, 0, buf, len);
}

/* ------------------------------------------------------- configuration */

struct ha_disc *
ha_disc_new(const struct ha_ops *ops)
{
	struct ha_disc *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	d->ops = *ops;
	d->next_order = 1;	/* 0 is our own entry: first among equals */
	return d;
}

void
ha_disc_free(struct ha_disc *d)
{
	if (d == NULL)
		return;
	free(d->ifaces);
	free(d);
}

static bool
prefixes_equal(const struct ha_disc *d, const struct had_conf *c)
{
	size_t i;

	if (d->nprefix != c->nprefix)
		return false;
	for (i = 0; i < c->nprefix; i++) {
		const struct had_home_prefix *a = &d->prefix[i];
		const struct had_home_prefix *b = &c->prefix[i];

		if (!in6_eq(&a->pfx.addr, &b->pfx.addr) ||
		    a->pfx.plen != b->pfx.plen ||
		    a->virtual_link != b->virtual_link ||
		    a->valid_lft != b->valid_lft ||
		    a->preferred_lft != b->preferred_lft)
			return false;
	}
	return true;
}

void
ha_disc_configure(struct ha_disc *d, const struct had_conf *c,
    const struct in6_addr *ha_addr, uint64_t now_ms)
{
	size_t n = c->nprefix < HAD_PREFIX_MAX ? c->nprefix : HAD_PREFIX_MAX;
	struct disc_ha *dup;

	(void)now_ms;
	d->prefixes_changed = d->configured && !prefixes_equal(d, c);
	d->configured = true;
	d->nprefix = n;
	memcpy(d->prefix, c->prefix, n * sizeof(d->prefix[0]));
	d->ha_addr = *ha_addr;
	/* The Home Agent Information option's preference is signed. */
	d->preference = (int16_t)c->preference;
	d->ha_lifetime = c->ha_lifetime;
	d->accept_router = c->accept_router;
	/* Our own address heard from the link is our own entry. */
	if ((dup = disc_find(d, ha_addr)) != NULL)
		disc_remove_at(d, (size_t)(dup - d->list));
}

bool
ha_disc_prefixes_changed(const struct ha_disc *d)
{
	return d->prefixes_changed;
}

void
ha_disc_set_seed(struct ha_disc *d, uint32_t seed)
{
	d->seed = seed;
}

void
ha_disc_set_ifaces(struct ha_disc *d, const struct ha_iface *ifs, size_t n)
{
	struct ha_iface *copy = NULL;

	if (n > 0) {
		copy = calloc(n, sizeof(*copy));
		if (copy == NULL) {
			disc_log(d, LOG_ERR, "disc: out of memory (interfaces)");
			return;
		}
		memcpy(copy, ifs, n * sizeof(*copy));
	}
	free(d->ifaces);
	d->ifaces = copy;
	d->nifaces = n;
}

/* ---------------------------------------------------- the HA list */

/* RFC 4861 §6.1.2, the checks that matter for the list. */
static bool
ra_valid(const struct pkt *p, const struct hdr_ipv6 *ip)
{
	const struct icmp6_msg *m = &p->icmp6;

	return ip->hlim == ND_HOP_LIMIT && m->code == 0 &&
	    m->len >= RA_MIN_LEN && in6_linklocal(&ip->src) &&
	    !viol_has(&p->viol, V_ICMP6_CHECKSUM) &&
	    !viol_has(&p->viol, V_ND_OPT_ZERO_LEN) &&
	    !viol_has(&p->viol, V_ND_OPT_PAST_END);
}

static void
disc_learn(struct ha_disc *d, const struct in6_addr *addr,
    const struct in6_addr *ll, unsigned ifindex, int16_t pref,
    uint16_t lifetime, bool router, uint64_t now_ms)
{
	struct disc_ha *e = disc_find(d, addr);
	char a[IN6_STRLEN];

	if (e == NULL) {
		if (d->n >= DISC_HA_MAX) {
			disc_log(d, LOG_WARNING, "halist: full, %s not kept",
			    in6_fmt(addr, a));
			return;
		}
		e = &d->list[d->n++];
		memset(e, 0, sizeof(*e));
		e->addr = *addr;
		e->order = d->next_order++;
		disc_log(d, LOG_INFO, "halist: %s added, preference %d",
		    in6_fmt(addr, a), pref);
	}
	e->ll = *ll;
	e->ifindex = ifindex;
	e->preference = pref;
	e->lifetime = lifetime;
	e->expire_ms = now_ms + (uint64_t)lifetime * 1000;
	e->router = router;
}

/*
 * RFC 6275 §10.5.1: an RA with H set adds or refreshes its sender's
 * entries; preference and lifetime from the Home Agent Information option,
 * else 0 and the Router Lifetime; lifetime 0, or an RA without H, removes
 * the sender.
 */
void
ha_disc_ra(struct ha_disc *d, const struct pkt *p, unsigned ifindex,
    uint64_t now_ms)
{
	const struct hdr_ipv6 *ip = pkt_inner_ip6(p);
	const struct hdr *outer = pkt_find(p, HDR_IPV6);
	const struct icmp6_msg *m = &p->icmp6;
	const struct nd_opt *hai;
	uint16_t lifetime;
	int16_t pref;
	bool router;
	size_t i;

	if (ip == NULL || &outer->u.ip6 != ip || !p->has_icmp6 ||
	    m->type != ICMP6_T_RA || !ra_valid(p, ip) ||
	    !disc_home_link(d, ifindex) || disc_own_ll(d, &ip->src))
		return;
	if ((m->u.ra.flags & ND_RA_H) == 0) {
		disc_remove_ha(d, &ip->src, ifindex);
		return;
	}
	hai = icmp6_find_opt(m, NDOPT_HA_INFO);
	pref = hai != NULL ? hai->u.hainfo.preference : 0;
	lifetime = hai != NULL ? hai->u.hainfo.lifetime : m->u.ra.lifetime;
	router = hai != NULL && (hai->u.hainfo.flags & ND_HAI_R) != 0;
	if (lifetime == 0) {
		disc_remove_ha(d, &ip->src, ifindex);
		return;
	}
	for (i = 0; i < m->nopts; i++) {
		const struct nd_opt *o = &m->opts[i];

		if (o->type != NDOPT_PREFIX || (o->u.prefix.flags & ND_PI_R) == 0 ||
		    !in6_global_unicast(&o->u.prefix.prefix) ||
		    in6_eq(&o->u.prefix.prefix, &d->ha_addr))
			continue;
		disc_learn(d, &o->u.prefix.prefix, &ip->src, ifindex, pref,
		    lifetime, router, now_ms);
	}
}

uint64_t
ha_disc_next_timeout(const struct ha_disc *d)
{
	uint64_t next = UINT64_MAX;
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->list[i].expire_ms < next)
			next = d->list[i].expire_ms;
	return next;
}

void
ha_disc_timeout(struct ha_disc *d, uint64_t now_ms)
{
	size_t i = 0;
	char a[IN6_STRLEN];

	while (i < d->n) {
		if (d->list[i].expire_ms <= now_ms) {
			disc_log(d, LOG_INFO, "halist: %s expired",
			    in6_fmt(&d->list[i].addr, a));
			disc_remove_at(d, i);
		} else
			i++;
	}
}

static struct disc_ha
disc_self(const struct ha_disc *d)
{
	struct disc_ha s;

	memset(&s, 0, sizeof(s));
	s.addr = d->ha_addr;
	s.preference = d->preference;
	s.lifetime = d->ha_lifetime;
	s.router = d->accept_router;
	s.self = true;
	s.order = 0;
	return s;
}

static bool
ranks_before(const struct disc_ha *a, const struct disc_ha *b)
{
	if (a->preference != b->preference)
		return a->preference > b->preference;
	return a->order < b->order;
}

static uint32_t
xorshift32(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

/*
 * Preference order, highest first (RFC 6275 §10.5.1).  Equal preferences
 * SHOULD be shuffled to share the load; with seed 0 they keep arrival
 * order (our own entry first), which the tests rely on.
 */
static void
disc_sort(struct disc_ha *v, size_t n, uint32_t *seed)
{
	size_t i, j, k;

	for (i = 1; i < n; i++) {
		struct disc_ha x = v[i];

		for (j = i; j > 0 && ranks_before(&x, &v[j - 1]); j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	if (seed == NULL || *seed == 0)
		return;
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && v[j].preference == v[i].preference;)
			j++;
		for (k = j - 1; k > i; k--) {
			size_t r = i + xorshift32(seed) % (k - i + 1);
			struct disc_ha t = v[k];

			v[k] = v[r];
			v[r] = t;
		}
	}
}

/*
 * The list in preference order into out (DISC_HA_MAX + 1 entries); NULL
 * `within`: every entry; NULL seed: ties never shuffled.
 */
static size_t
disc_ranked(const struct ha_disc *d, const struct had_prefix *within,
    bool routers_only, uint64_t now_ms, uint32_t *seed, struct disc_ha *out)
{
	size_t i, n = 0;

	if (!in6_unspecified(&d->ha_addr) &&
	    (!routers_only || d->accept_router))
		out[n++] = disc_self(d);
	for (i = 0; i < d->n; i++) {
		const struct disc_ha *e = &d->list[i];

		if (e->expire_ms <= now_ms || (routers_only && !e->router))
			continue;
		if (within != NULL && !had_prefix_contains(within, &e->addr))
			continue;
		out[n++] = *e;
	}
	disc_sort(out, n, seed);
	return n;
}

/* ---------------------------------------------------------------- DHAAD */

/* The home prefix whose Home-Agents anycast address is dst, or NULL. */
static const struct had_home_prefix *
disc_anycast_prefix(const struct ha_disc *d, const struct in6_addr *dst)
{
	size_t i;

	for (i = 0; i < d->nprefix; i++) {
		struct in6_addr any = had_prefix_ha_anycast(&d->prefix[i].pfx);

		if (in6_eq(&any, dst))
			return &d->prefix[i];
	}
	return NULL;
}

/*
 * The addresses go in the message's address array, and those beyond its
 * ICMP6_DHAAD_MAX in the body that follows it on the wire.
 */
static void
dhaad_put_addrs(struct icmp6_msg *m, const struct disc_ha *v, size_t n)
{
	struct wbuf w;
	size_t i;

	wbuf_init(&w, m->body, sizeof(m->body));
	for (i = 0; i < n; i++) {
		if (i < ICMP6_DHAAD_MAX)
			m->u.dhaad.addrs[i] = v[i].addr;
		else
			wbuf_in6(&w, &v[i].addr);
	}
	m->u.dhaad.naddrs = n < ICMP6_DHAAD_MAX ? n : ICMP6_DHAAD_MAX;
	m->body_len = (uint16_t)w.len;
}

/*
 * RFC 6275 §10.5: reply from our address to the request's source with the
 * same identifier and the list in preference order, no more than fits the
 * minimum MTU.  RFC 3963 §7.2: with R set, only HAs supporting mobile
 * routers, and R set in the reply.
 */
void
ha_disc_dhaad(struct ha_disc *d, const struct pkt *p, uint64_t now_ms)
{
	const struct hdr_ipv6 *ip = pkt_inner_ip6(p);
	const struct had_home_prefix *hp;
	struct disc_ha v[DISC_HA_MAX + 1];
	struct icmp6_msg *r;
	struct pkt out;
	struct hdr *h;
	bool mr;
	size_t n;

	if (ip == NULL || !p->has_icmp6 ||
	    p->icmp6.type != ICMP6_T_DHAAD_REQUEST ||
	    viol_has(&p->viol, V_ICMP6_CHECKSUM) ||
	    !in6_global_unicast(&ip->src) || in6_unspecified(&d->ha_addr))
		return;
	if ((hp = disc_anycast_prefix(d, &ip->dst)) == NULL)
		return;	/* not the anycast address of a home prefix */
	mr = (p->icmp6.u.dhaad.flags & ICMP6_DHAAD_R) != 0;
	n = disc_ranked(d, &hp->pfx, mr, now_ms, &d->seed, v);
	if (n > DHAAD_MAX_ADDRS)
		n = DHAAD_MAX_ADDRS;
	pkt_init(&out, PKT_LINK_IPV6);
	h = pkt_push(&out, HDR_IPV6);
	h->u.ip6.hlim = DISC_HOP_LIMIT;
	h->u.ip6.src = d->ha_addr;
	h->u.ip6.dst = ip->src;
	r = pkt_push_icmp6(&out, ICMP6_T_DHAAD_REPLY, 0);
	r->u.dhaad.id = p->icmp6.u.dhaad.id;
	r->u.dhaad.flags = mr ? ICMP6_DHAAD_R : 0;
	dhaad_put_addrs(r, v, n);
	disc_send(d, &out, "DHAAD Reply");
}

/* ------------------------------------------------------------ MPS/MPA */

/*
 * One Prefix Information option per home prefix (RFC 6275 §6.8, §10.6.2):
 * A set so the mobile node may form home addresses, L unless the prefix is
 * on no physical link, and for the prefix holding our address the R bit
 * with that full address in the Prefix field (§7.2).
 */
static void
mpa_add_prefixes(const struct ha_disc *d, struct icmp6_msg *m)
{
	size_t i;

	for (i = 0; i < d->nprefix; i++) {
		const struct had_home_prefix *hp = &d->prefix[i];
		struct nd_opt *o = icmp6_add_opt(m, NDOPT_PREFIX);

		if (o == NULL)
			break;
		o->u.prefix.plen = hp->pfx.plen;
		o->u.prefix.flags = ND_PI_A;
		if (!hp->virtual_link)
			o->u.prefix.flags |= ND_PI_L;
		o->u.prefix.valid = hp->valid_lft;
		o->u.prefix.preferred = hp->preferred_lft;
		o->u.prefix.prefix = hp->pfx.addr;
		if (had_prefix_contains(&hp->pfx, &d->ha_addr)) {
			o->u.prefix.flags |= ND_PI_R;
			o->u.prefix.prefix = d->ha_addr;
		}
	}
}

/* To the care-of address, the home address in a Type 2 Routing header
   (RFC 6275 §10.6.2, §6.4), from our address. */
static void
mpa_send(const struct ha_disc *d, uint16_t id, const struct in6_addr *hoa,
    const struct in6_addr *coa)
{
	struct icmp6_msg *m;
	struct pkt out;
	struct hdr *h;

	if (in6_unspecified(&d->ha_addr))
		return;
	pkt_init(&out, PKT_LINK_IPV6);
	h = pkt_push(&out, HDR_IPV6);
	h->u.ip6.hlim = DISC_HOP_LIMIT;
	h->u.ip6.src = d->ha_addr;
	h->u.ip6.dst = *coa;
	pkt_push_rh2(&out, hoa);
	m = pkt_push_icmp6(&out, ICMP6_T_MPA, 0);
	m->u.mp.id = id;
	m->u.mp.flags = 0;	/* M, O: no stateful configuration */
	mpa_add_prefixes(d, m);
	disc_send(d, &out, "MPA");
}

/* RFC 6275 §10.6.2: the solicited MPA carries the MPS's identifier. */
void
ha_disc_mps(struct ha_disc *d, const struct pkt *p,
    const struct in6_addr *hoa, const struct in6_addr *coa, uint64_t now_ms)
{
	(void)now_ms;
	if (!p->has_icmp6 || p->icmp6.type != ICMP6_T_MPS ||
	    viol_has(&p->viol, V_ICMP6_CHECKSUM))
		return;
	mpa_send(d, p->icmp6.u.mp.id, hoa, coa);
}

void
ha_disc_mpa_unsolicited(struct ha_disc *d, const struct in6_addr *hoa,
    const struct in6_addr *coa, uint64_t now_ms)
{
	(void)now_ms;
	mpa_send(d, ++d->mpa_id, hoa, coa);
}

/* ---------------------------------------------------------------- ctl */

void
ha_disc_ctl_halist(const struct ha_disc *d, uint64_t now_ms, struct jw *jw)
{
	struct disc_ha v[DISC_HA_MAX + 1];
	size_t i, n;

	n = disc_ranked(d, NULL, false, now_ms, NULL, v);
	jw_obj_open(jw, NULL);
	jw_arr_open(jw, "halist");
	for (i = 0; i < n; i++) {
		uint64_t left = v[i].self ? v[i].lifetime :
		    (v[i].expire_ms - now_ms + 999) / 1000;

		jw_obj_open(jw, NULL);
		jw_in6(jw, "addr", &v[i].addr);
		jw_int(jw, "preference", v[i].preference);
		jw_uint(jw, "lifetime", v[i].lifetime);
		jw_uint(jw, "remaining", left);
		jw_bool(jw, "router", v[i].router);
		jw_bool(jw, "self", v[i].self);
		jw_obj_close(jw);
	}
	jw_arr_close(jw);
	jw_obj_close(jw);
}

void
ha_disc_reset(struct ha_disc *d)
{
	d->n = 0;
	d->next_order = 1;
	d->mpa_id = 0;
}
