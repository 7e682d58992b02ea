/*
 * stack/had/ha_dsmip.c - the Dual-Stack MIPv6 part of the home agent's
 * engine (RFC 5555): the IPv4 Home Address option of a home registration
 * and its IPv4 Address Acknowledgement (§3.1.1, §3.2.1, §4.5), Binding
 * Updates that came inside IPv4 or IPv4/UDP from an IPv4 care-of address
 * (§4.1, §4.2: the IPv4 Care-of Address option, NAT detection, the BA
 * back the same way with the NAT Detection option, §3.2.2), the pool of
 * dynamic IPv4 home addresses, the m6_bind4 entries of a binding, and
 * proxy ARP for bound IPv4 home addresses on the home link (RFC 826).
 *
 * Rules marked [R] are from memory of the RFC (stack/DESIGN.md "Dual-stack
 * MIPv6"); they are implemented as DESIGN.md and
 * conformance/cases/dsmip/RFC5555-CLAUSES.md write them.
 *
 * Part of the unprivileged engine: it parses nothing itself (the Mobility
 * Header was decoded by packets/), and asks for kernel state through
 * struct ha_ops like the rest of the engine.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "packets/arp.h"
#include "packets/pkt.h"
#include "packets/sbuf.h"
#include "stack/had/ha_engine_impl.h"
#include "stack/had/ha_util.h"

#define elog(e, ...)	ha_ops_log(&(e)->ops, __VA_ARGS__)

#define V4ACK_NONE	0xff	/* no option 29: no option 30 */
#define NATD_NO_KEEPALIVE 0xffffffffu	/* §3.2.2 [R]: no NAT, no F */

static uint32_t
h32(const struct in_addr *a)
{
	return ntohl(a->s_addr);
}

void
dsmip_mapped(struct in6_addr *out, const struct in_addr *a)
{
	memset(out, 0, sizeof(*out));
	out->s6_addr[10] = 0xff;
	out->s6_addr[11] = 0xff;
	memcpy(&out->s6_addr[12], &a->s_addr, 4);
}

size_t
dsmip_v4ack_index(uint8_t status)
{
	if (status == V4ACK_SUCCESS)
		return 0;
	if (status >= V4ACK_UNSPECIFIED && status <= V4ACK_PREFIX_UNAUTHORIZED)
		return (size_t)(status - V4ACK_UNSPECIFIED) + 1;
	return 1;	/* anything else is counted as unspecified */
}

/* ------------------------------------------------------------ parsing */

void
dsmip_parse_opt(struct bu_req *r, const struct mh_opt *o)
{
	switch (o->type) {
	case MHOPT_V4HOA:
		/* §3.1.1: the reserved bits are ignored */
		r->has_v4hoa = true;
		r->v4_p = o->u.v4hoa.p;
		r->v4_plen_req = o->u.v4hoa.plen;
		r->v4_req = o->u.v4hoa.addr;
		break;
	case MHOPT_V4COA:
		r->has_v4coa = true;
		r->v4coa = o->u.v4coa.addr;
		break;
	default:
		break;
	}
}

uint8_t
dsmip_outer(struct ha_engine *e, const struct m6_sig *sig, struct bu_req *r)
{
	r->v4_status = V4ACK_NONE;
	if ((sig->flags & (M6SF_UDP4 | M6SF_IP4)) == 0)
		return 0;
	r->udp4 = (sig->flags & M6SF_UDP4) != 0;
	r->ip4 = !r->udp4;
	memcpy(&r->outer_src.s_addr, &sig->tun_src.b[12], 4);
	memcpy(&r->outer_dst.s_addr, sig->tun_dst4, 4);
	r->sport = r->udp4 ? ntohs(sig->udp_sport) : 0;
	if (r->udp4)
		e->cnt.dsmip.rx_bu_udp4++;
	else
		e->cnt.dsmip.rx_bu_ip4++;
	/* §4.2 [R]: the care-of address is the outer source, whatever
	   the IPv6 header says (it holds the home address, no HAO) */
	dsmip_mapped(&r->coa, &r->outer_src);
	/* §4.2 [R]: a BU from an IPv4 care-of address carries option 32 */
	if (!r->has_v4coa) {
		e->cnt.dsmip.udp4191_no_v4coa++;
		return BA_UNSPECIFIED;
	}
	/* §4.2 [R]: NAT when the option differs from the outer source */
	r->nat = r->v4coa.s_addr != r->outer_src.s_addr;
	if (r->nat)
		e->cnt.dsmip.nat_detected++;
	/* §4.1 [R]: UDP when a NAT is in the way or F (the BU's or ours) */
	r->udp_mode = r->udp4 && (r->nat || (r->flags & MH_BU_F) != 0 ||
	    e->conf.force_udp);
	return 0;
}

/* ------------------------------------------------------------- the pool */

static bool
pool_has(const struct ha_engine *e, const struct in_addr *a)
{
	return e->pool_size != 0 && had_prefix4_contains(&e->conf.ipv4_pool,
	    e->conf.ipv4_pool_plen, a);
}

static uint32_t
pool_index(const struct ha_engine *e, const struct in_addr *a)
{
	return h32(a) - h32(&e->conf.ipv4_pool);
}

static void
pool_mark(struct ha_engine *e, const struct in_addr *a, bool used)
{
	uint32_t i;

	if (!pool_has(e, a))
		return;
	i = pool_index(e, a);
	if (used)
		e->pool_used[i / 8] |= (uint8_t)(1u << (i % 8));
	else
		e->pool_used[i / 8] &= (uint8_t)~(1u << (i % 8));
}

static bool
pool_taken(const struct ha_engine *e, uint32_t i)
{
	return (e->pool_used[i / 8] & (1u << (i % 8))) != 0;
}

/* First free first; false when none is left. */
static bool
pool_take(struct ha_engine *e, struct in_addr *out)
{
	uint32_t i;

	for (i = 0; i < e->pool_size; i++)
		if (!pool_taken(e, i)) {
			out->s_addr = htonl(h32(&e->conf.ipv4_pool) + i);
			pool_mark(e, out, true);
			return true;
		}
	return false;
}

void
dsmip_pool_free(struct ha_engine *e)
{
	free(e->pool_used);
	e->pool_used = NULL;
	e->pool_size = 0;
}

/*
 * A bound /32 after (re)configuration: held in the pool when the pool
 * has it and no node has it as its static address (given back at
 * release), else outside it (a reload moved the pool: it keeps its
 * address until it is released, and the pool never gives it twice).
 */
static void
pool_hold(struct ha_engine *e, struct bce *b)
{
	if (b->v4_plen != 32)
		return;
	b->v4_pool = pool_has(e, &b->v4_addr) &&
	    !pool_taken(e, pool_index(e, &b->v4_addr));
	if (b->v4_pool)
		pool_mark(e, &b->v4_addr, true);
}

/*
 * The configuration's pool, less our own address and every node's static
 * IPv4 home address, and the addresses bindings hold (a reload calls it
 * again with the new pool).  0, or -1 (memory: no pool, dynamic requests
 * get 132).
 */
int
dsmip_pool_init(struct ha_engine *e)
{
	size_t i, cur = 0;
	struct bce *b;

	dsmip_pool_free(e);
	if (e->conf.ipv4_pool_plen == 0 || e->conf.ipv4_pool_plen < 16 ||
	    e->conf.ipv4_pool_plen > 32)
		return 0;
	e->pool_size = 1u << (32 - e->conf.ipv4_pool_plen);
	if ((e->pool_used = calloc((e->pool_size + 7) / 8, 1)) == NULL) {
		e->pool_size = 0;
		return -1;
	}
	if (e->conf.ipv4_plen != 0)
		pool_mark(e, &e->conf.ipv4_addr, true);
	for (i = 0; i < e->conf.nmn; i++)
		if (e->conf.mn[i].v4hoa.s_addr != 0)
			pool_mark(e, &e->conf.mn[i].v4hoa, true);
	while ((b = bc_next(e->bc, &cur)) != NULL)
		pool_hold(e, b);
	return 0;
}

/* ------------------------------------------------------------ deciding */


static void
v4_result(struct bu_req *r, uint8_t status, const struct in_addr *a,
    uint8_t plen)
{
	r->v4_status = status;
	r->v4_addr = *a;
	/* §3.2.1: Pref-len 0 on failure */
	r->v4_plen = status == V4ACK_SUCCESS ? plen : 0;
}

/* §3.1.1 with P: an IPv4 mobile network prefix for a mobile router. */
static void
decide_prefix(struct bu_req *r, const struct bce *b, const struct had_mn *mn)
{
	bool refresh = b != NULL && b->v4_plen != 0 && b->v4_plen < 32 &&
	    b->v4_addr.s_addr == r->v4_req.s_addr &&
	    b->v4_plen == r->v4_plen_req;

	/* §3.1.1 [T]: P only matters in a new request */
	if (refresh) {
		v4_result(r, V4ACK_SUCCESS, &b->v4_addr, b->v4_plen);
		return;
	}
	if (mn == NULL || !mn->router || mn->v4pfx_plen == 0) {
		v4_result(r, V4ACK_PREFIX_UNAUTHORIZED, &r->v4_req, 0);
		return;
	}
	if (r->v4_req.s_addr == 0 || (r->v4_req.s_addr == mn->v4pfx.s_addr &&
	    r->v4_plen_req == mn->v4pfx_plen)) {
		v4_result(r, V4ACK_SUCCESS, &mn->v4pfx, mn->v4pfx_plen);
		return;
	}
	v4_result(r, r->v4_plen_req != mn->v4pfx_plen ?
	    V4ACK_INVALID_ADDR : V4ACK_PREFIX_UNAUTHORIZED, &r->v4_req, 0);
}

/* §3.1.1: 0.0.0.0 asks for an address: the one the binding holds, the
   node's configured one, or the first free of the pool. */
static void
decide_dynamic(struct ha_engine *e, struct bu_req *r, const struct bce *b,
    const struct had_mn *mn)
{
	struct in_addr a;

	if (b != NULL && b->v4_plen == 32) {
		v4_result(r, V4ACK_SUCCESS, &b->v4_addr, 32);
		return;
	}
	if (mn != NULL && mn->v4hoa.s_addr != 0) {
		v4_result(r, V4ACK_SUCCESS, &mn->v4hoa, 32);
		return;
	}
	/* taken now, so that two registrations in one round differ;
	   dsmip_apply or the failure paths give it back */
	if (!pool_take(e, &a)) {
		v4_result(r, V4ACK_DYNAMIC_UNAVAILABLE, &r->v4_req, 0);
		return;
	}
	v4_result(r, V4ACK_SUCCESS, &a, 32);
	r->v4_from_pool = true;
}

void
dsmip_decide(struct ha_engine *e, struct bu_req *r, const struct bce *b)
{
	const struct had_mn *mn = had_conf_mn(&e->conf, &r->hoa);

	if (!r->has_v4hoa) {
		r->v4_status = V4ACK_NONE;
		return;
	}
	/* §3.1.1 [T]: Prefix-len 0 is invalid */
	if (r->v4_plen_req == 0 || r->v4_plen_req > 32) {
		v4_result(r, V4ACK_INVALID_ADDR, &r->v4_req, 0);
		goto out;
	}
	/* no IPv4 on our side: nothing can be assigned */
	if (e->conf.ipv4_plen == 0) {
		v4_result(r, V4ACK_PROHIBITED, &r->v4_req, 0);
		goto out;
	}
	if (r->v4_p || (r->v4_plen_req < 32 && r->v4_req.s_addr != 0)) {
		decide_prefix(r, b, mn);
		goto out;
	}
	if (r->v4_plen_req != 32) {
		v4_result(r, V4ACK_INVALID_ADDR, &r->v4_req, 0);
		goto out;
	}
	if (r->v4_req.s_addr == 0) {
		decide_dynamic(e, r, b, mn);
		goto out;
	}
	if ((mn != NULL && mn->v4hoa.s_addr == r->v4_req.s_addr) ||
	    (b != NULL && b->v4_plen == 32 &&
	    b->v4_addr.s_addr == r->v4_req.s_addr))
		v4_result(r, V4ACK_SUCCESS, &r->v4_req, 32);
	else if (pool_has(e, &r->v4_req))
		/* pool addresses are given, not chosen */
		v4_result(r, V4ACK_INCORRECT_HOA, &r->v4_req, 0);
	else
		/* another node's, ours, or not ours to give */
		v4_result(r, V4ACK_PROHIBITED, &r->v4_req, 0);
out:
	if (r->v4_status != V4ACK_SUCCESS && ha_engine_log_ok(e)) {
		char a[INET_ADDRSTRLEN];

		elog(e, LOG_INFO, "IPv4 home address %s/%u refused: status %u",
		    inet_ntop(AF_INET, &r->v4_req, a, sizeof(a)) != NULL ? a :
		    "?", r->v4_plen_req, r->v4_status);
	}
}

/* ------------------------------------------------- proxy ARP index */

/* Position of addr in the sorted index (where it is or would go). */
static size_t
idx_pos(const struct ha_engine *e, uint32_t addr)
{
	size_t lo = 0, hi = e->v4idx_n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (e->v4idx[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct bce *
idx_find(const struct ha_engine *e, const struct in_addr *a)
{
	size_t i = idx_pos(e, h32(a));

	return i < e->v4idx_n && e->v4idx[i].addr == h32(a) ?
	    e->v4idx[i].b : NULL;
}

static void
idx_add(struct ha_engine *e, struct bce *b)
{
	size_t i = idx_pos(e, h32(&b->v4_addr)), ncap;
	struct v4_ent *n;

	if (i < e->v4idx_n && e->v4idx[i].addr == h32(&b->v4_addr)) {
		e->v4idx[i].b = b;
		return;
	}
	if (e->v4idx_n == e->v4idx_cap) {
		ncap = e->v4idx_cap ? e->v4idx_cap * 2 : 64;
		if ((n = realloc(e->v4idx, ncap * sizeof(*n))) == NULL) {
			elog(e, LOG_ERR, "proxy ARP index: out of memory");
			return;
		}
		e->v4idx = n;
		e->v4idx_cap = ncap;
	}
	memmove(&e->v4idx[i + 1], &e->v4idx[i],
	    (e->v4idx_n - i) * sizeof(e->v4idx[0]));
	e->v4idx[i] = (struct v4_ent){ h32(&b->v4_addr), b };
	e->v4idx_n++;
}

static void
idx_del(struct ha_engine *e, const struct in_addr *a)
{
	size_t i = idx_pos(e, h32(a));

	if (i >= e->v4idx_n || e->v4idx[i].addr != h32(a))
		return;
	memmove(&e->v4idx[i], &e->v4idx[i + 1],
	    (e->v4idx_n - i - 1) * sizeof(e->v4idx[0]));
	e->v4idx_n--;
}

void
dsmip_index_free(struct ha_engine *e)
{
	free(e->v4idx);
	e->v4idx = NULL;
	e->v4idx_n = e->v4idx_cap = 0;
}

/* The home link (IPv4 home network): the first home-link interface. */
static const struct ha_iface *
home_if(const struct ha_engine *e)
{
	size_t i;

	for (i = 0; i < e->nifaces; i++)
		if (e->ifaces[i].home_link)
			return &e->ifaces[i];
	return NULL;
}

static void
arp_send(struct ha_engine *e, const struct ha_iface *hi, uint16_t op,
    const struct in_addr *spa, const uint8_t tha[6],
    const struct in_addr *tpa, const uint8_t to[6])
{
	struct arp_msg m;
	uint8_t buf[ARP_LEN];

	if (e->ops.send_l2 == NULL)
		return;
	memset(&m, 0, sizeof(m));
	m.op = op;
	memcpy(m.sha, hi->mac, 6);
	m.spa = *spa;
	memcpy(m.tha, tha, 6);
	m.tpa = *tpa;
	arp_encode(&m, buf);
	e->ops.send_l2(e->ops.ctx, hi->ifindex, to, buf, sizeof(buf));
	e->cnt.dsmip.arp_tx++;
}

/* RFC 5555 §4.5 [R], as RFC 6275 §10.4.1 for IPv6: the HA defends a
   bound IPv4 home address on the home link, first with a gratuitous
   ARP (RFC 5227 announcement: sender = target = the address). */
static void
arp_announce(struct ha_engine *e, const struct in_addr *a)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	const struct ha_iface *hi = home_if(e);

	if (hi != NULL)
		arp_send(e, hi, ARP_OP_REQUEST, a, zero, a, bcast);
}

void
dsmip_arp_input(struct ha_engine *e, unsigned ifindex, const uint8_t *body,
    size_t len)
{
	const struct ha_iface *hi = home_if(e);
	struct arp_msg m;
	struct bce *b;

	e->cnt.dsmip.arp_rx++;
	if (hi == NULL || hi->ifindex != ifindex ||
	    arp_decode(&m, body, len) != 0 || m.op != ARP_OP_REQUEST ||
	    (m.sha[0] & 1) != 0 || m.spa.s_addr == m.tpa.s_addr)
		return;		/* not ours to answer (or a probe/announce) */
	if ((b = idx_find(e, &m.tpa)) == NULL || b->state != BCE_BOUND)
		return;
	arp_send(e, hi, ARP_OP_REPLY, &m.tpa, m.sha, &m.spa, m.sha);
}

/* ------------------------------------------------------------ applying */

static void
v4_del(struct ha_engine *e, struct bce *b)
{
	if (b->v4_plen == 0)
		return;
	if (b->v4_plen == 32)
		idx_del(e, &b->v4_addr);
	if (e->ops.bind4_del != NULL)
		e->ops.bind4_del(e->ops.ctx, &b->v4_addr, b->v4_plen);
	if (b->v4_pool)
		pool_mark(e, &b->v4_addr, false);
	e->cnt.dsmip.v4_released++;
	b->v4_plen = 0;
	b->v4_pool = false;
	b->v4_addr.s_addr = 0;
}

void
dsmip_apply(struct ha_engine *e, struct bce *b, struct bu_req *r)
{
	bool same = b->v4_plen != 0 && r->v4_status == V4ACK_SUCCESS &&
	    b->v4_addr.s_addr == r->v4_addr.s_addr &&
	    b->v4_plen == r->v4_plen;

	b->v4coa_mode = r->udp4 || r->ip4;
	b->udp_mode = r->udp_mode;
	b->nat = r->nat;
	b->v4coa = r->v4coa;
	b->udp_port = r->udp_mode ? r->sport : 0;
	if (r->v4_status != V4ACK_NONE)
		e->cnt.dsmip.v4ack[dsmip_v4ack_index(r->v4_status)]++;
	if (same) {
		if (r->v4_from_pool)	/* taken twice: keep the old one */
			pool_mark(e, &r->v4_addr, true);
		return;
	}
	/* the latest BU says what is bound: none, a failure or another
	   address replaces the old one */
	v4_del(e, b);
	if (r->v4_status != V4ACK_SUCCESS)
		return;
	if (e->ops.bind4_set != NULL && e->ops.bind4_set(e->ops.ctx,
	    &r->v4_addr, r->v4_plen, &b->hoa) != 0) {
		elog(e, LOG_ERR, "IPv4 forwarding entry refused by the "
		    "kernel");
		if (r->v4_from_pool)
			pool_mark(e, &r->v4_addr, false);
		e->cnt.dsmip.v4ack[0]--;
		e->cnt.dsmip.v4ack[1]++;
		v4_result(r, V4ACK_UNSPECIFIED, &r->v4_req, 0);
		return;
	}
	b->v4_addr = r->v4_addr;
	b->v4_plen = r->v4_plen;
	b->v4_pool = r->v4_from_pool;
	e->cnt.dsmip.v4_bound++;
	if (b->v4_plen == 32) {
		idx_add(e, b);
		arp_announce(e, &b->v4_addr);
	}
}

/* A decision that will not be applied (the registration failed). */
void
dsmip_abandon(struct ha_engine *e, struct bu_req *r)
{
	if (r->v4_from_pool && r->v4_status == V4ACK_SUCCESS)
		pool_mark(e, &r->v4_addr, false);
	r->v4_from_pool = false;
	r->v4_status = V4ACK_NONE;
}

void
dsmip_release(struct ha_engine *e, struct bce *b)
{
	v4_del(e, b);
}

void
dsmip_fill_record(const struct bce *b, struct m6_bind *mb)
{
	if (b->v4coa_mode)
		mb->flags |= M6B_V4COA;
	if (b->udp_mode) {
		mb->flags |= M6B_UDP;
		mb->udp_port = htons(b->udp_port);
	}
	if (b->v4_plen != 0)
		mb->flags |= M6B_V4HOA;
}

/* A binding of an earlier run (ha_engine_restore), its kernel flags. */
void
dsmip_restore_record(struct bce *b, const struct m6_bind *mb)
{
	b->v4coa_mode = (mb->flags & M6B_V4COA) != 0;
	b->udp_mode = (mb->flags & M6B_UDP) != 0;
	b->udp_port = b->udp_mode ? ntohs(mb->udp_port) : 0;
	if (b->v4coa_mode)
		memcpy(&b->v4coa.s_addr, &b->coa.s6_addr[12], 4);
}

void
dsmip_restore4(struct ha_engine *e, const struct in_addr *pfx,
    unsigned plen, const struct in6_addr *hoa)
{
	struct bce *b = bc_find(e->bc, hoa);

	if (plen == 0 || plen > 32)
		return;
	/* an entry without its binding is stale: the kernel's goes */
	if (b == NULL || b->state != BCE_BOUND || b->v4_plen != 0) {
		if (e->ops.bind4_del != NULL)
			e->ops.bind4_del(e->ops.ctx, pfx, plen);
		return;
	}
	b->v4_addr = *pfx;
	b->v4_plen = (uint8_t)plen;
	b->v4_pool = plen == 32 && pool_has(e, pfx);
	if (b->v4_pool)
		pool_mark(e, pfx, true);
	if (plen == 32)
		idx_add(e, b);
}

/* ------------------------------------------------------------ the BA */

int
dsmip_ba_opts(struct ha_engine *e, struct mh_msg *m, const struct bu_req *r)
{
	struct mh_opt *o;

	if (r->v4_status != V4ACK_NONE) {
		if ((o = mh_add_opt(m, MHOPT_V4ACK)) == NULL)
			return -1;
		o->u.v4ack.status = r->v4_status;
		o->u.v4ack.plen = r->v4_plen;
		o->u.v4ack.addr = r->v4_addr;
	}
	if (r->udp4 || r->ip4) {
		/* §3.2.2 [R]: F when UDP is to be used; the Refresh Time
		   only matters then, all ones otherwise */
		if ((o = mh_add_opt(m, MHOPT_NATD)) == NULL)
			return -1;
		o->u.natd.f = r->udp_mode;
		o->u.natd.refresh = r->udp_mode ? e->conf.nat_refresh :
		    NATD_NO_KEEPALIVE;
	}
	return 0;
}

/*
 * Start e->tx as IPv6 inside IPv4 from src4 to dst4, inside UDP from
 * 4191 to dport unless dport is 0 (protocol 41): the IPv6 header from
 * src6 to dst6 is returned for the caller to push the message after.
 */
static struct hdr *
tx_start4(struct ha_engine *e, const struct in_addr *src4,
    const struct in_addr *dst4, uint16_t dport, const struct in6_addr *src6,
    const struct in6_addr *dst6)
{
	struct hdr *h;

	pkt_init(&e->tx, PKT_LINK_IPV4);
	if ((h = pkt_push(&e->tx, HDR_IPV4)) == NULL)
		return NULL;
	memset(&h->u.ip4, 0, sizeof(h->u.ip4));
	h->u.ip4.ttl = 64;
	h->u.ip4.src = *src4;
	h->u.ip4.dst = *dst4;
	if (dport != 0) {
		if ((h = pkt_push(&e->tx, HDR_UDP)) == NULL)
			return NULL;
		memset(&h->u.udp, 0, sizeof(h->u.udp));
		h->u.udp.sport = DSMIP_UDP_PORT;
		h->u.udp.dport = dport;
	}
	if ((h = pkt_push(&e->tx, HDR_IPV6)) == NULL)
		return NULL;
	memset(&h->u.ip6, 0, sizeof(h->u.ip6));
	h->u.ip6.src = *src6;
	h->u.ip6.dst = *dst6;
	h->u.ip6.hlim = 64;
	return h;
}

struct hdr *
dsmip_tx_start(struct ha_engine *e, const struct bu_req *r)
{
	struct hdr *h;

	if (!r->udp4 && !r->ip4)
		return NULL;
	/* §4.2 [R]: back the way it came: to the source port, from 4191 */
	h = tx_start4(e, &r->outer_dst, &r->outer_src, r->udp4 ? r->sport : 0,
	    &r->dst, &r->src);
	if (h != NULL)
		e->cnt.dsmip.tx_ba_udp4++;
	return h;
}

struct hdr *
dsmip_brr_start(struct ha_engine *e, const struct bce *b)
{
	struct in_addr ha4, coa4;

	if (!b->v4coa_mode)
		return NULL;
	/* ha and coa are the BU's outer destination and source (the
	   NAT's, if any), IPv4-mapped; within, our IPv6 address (the
	   binding's holds the IPv4 one) to the home address */
	memcpy(&ha4.s_addr, &b->ha.s6_addr[12], 4);
	memcpy(&coa4.s_addr, &b->coa.s6_addr[12], 4);
	return tx_start4(e, &ha4, &coa4, b->udp_mode ? b->udp_port : 0,
	    &e->ha_addr, &b->hoa);
}

/* ------------------------------------------------------------ control */

void
dsmip_binding_json(struct jw *jw, const struct bce *b)
{
	char text[INET_ADDRSTRLEN + 4], a[INET_ADDRSTRLEN];

	if (b->v4_plen == 32)
		jw_in4(jw, "v4hoa", &b->v4_addr);
	else if (b->v4_plen != 0) {
		snprintf(text, sizeof(text), "%s/%u", inet_ntop(AF_INET,
		    &b->v4_addr, a, sizeof(a)) != NULL ? a : "",
		    b->v4_plen);
		jw_str(jw, "v4prefix", text);
	}
	if (!b->v4coa_mode)
		return;
	jw_in4(jw, "v4coa", &b->v4coa);
	jw_bool(jw, "nat", b->nat);
	jw_str(jw, "encap", b->udp_mode ? "udp" : "ipv4");
	if (b->udp_mode)
		jw_uint(jw, "udp_port", b->udp_port);
}

void
dsmip_counters_json(const struct ha_engine *e, struct jw *jw)
{
	static const uint8_t st[8] = { 0, 128, 129, 130, 131, 132, 133 };
	const struct ha_dsmip_counters *c = &e->cnt.dsmip;
	char key[32];
	size_t i;

	jw_obj_open(jw, "dsmip");
	jw_uint(jw, "bu_udp4", c->rx_bu_udp4);
	jw_uint(jw, "bu_ip4", c->rx_bu_ip4);
	jw_uint(jw, "ba_udp4", c->tx_ba_udp4);
	for (i = 0; i < 7; i++) {
		snprintf(key, sizeof(key), "dsmip_v4ack_%u", st[i]);
		jw_uint(jw, key, c->v4ack[i]);
	}
	jw_uint(jw, "udp4191_not_bu", c->udp4191_not_bu);
	jw_uint(jw, "udp4191_no_v4coa", c->udp4191_no_v4coa);
	jw_uint(jw, "nat_detected", c->nat_detected);
	jw_uint(jw, "v4_bound", c->v4_bound);
	jw_uint(jw, "v4_released", c->v4_released);
	jw_uint(jw, "arp_rx", c->arp_rx);
	jw_uint(jw, "arp_tx", c->arp_tx);
	jw_uint(jw, "frag_needed", c->tx_frag_needed);
	jw_uint(jw, "brr_udp4", c->tx_brr_udp4);
	jw_obj_close(jw);
}
