/*
 * dsmip_test.c - the Dual-Stack MIPv6 part of the home agent's engine
 * (RFC 5555, ha_dsmip.c) driven with virtual time and a recording
 * ha_ops: every IPv4 Address Acknowledgement status (§3.2.1), the pool
 * of dynamic IPv4 home addresses, the IPv4 part only with an accepted
 * IPv6 registration (§4.5), BUs that came inside IPv4/UDP (§4.2): the
 * IPv4 Care-of Address option, NAT detection, the BA back in IPv4/UDP
 * with the NAT Detection option (§3.2.2), the binding's IPv4 flags, the
 * discard of non-BUs, de-registration, restore and the control JSON.
 * Rules marked [R] are from memory of the RFC (stack/DESIGN.md).
 */
#include <arpa/inet.h>
#include <atf-c.h>
#include <stdlib.h>
#include <string.h>

#include "packets/arp.h"
#include "stack/had/tests/engtest.h"

#define AH	(MH_BU_A | MH_BU_H)
#define HA4	"198.51.100.1"
#define MN_V4	"198.51.100.7"
#define POOL	"198.51.100.64"
#define V4COA	"192.0.2.10"
#define NAT4	"192.0.2.20"

/* ------------------------------------------------------ recording */

struct v4op {
	struct in_addr	pfx;
	unsigned	plen;
	struct in6_addr	hoa;
};

static struct {
	size_t		nset, ndel, nl2;
	struct v4op	set[16], del[16];
	int		set_rc;
	uint8_t		l2_mac[6];
	unsigned	l2_oif;
} v4;

static int
rec_bind4_set(void *ctx, const struct in_addr *pfx, unsigned plen,
    const struct in6_addr *hoa)
{
	(void)ctx;
	ATF_REQUIRE(v4.nset < 16);
	v4.set[v4.nset++] = (struct v4op){ *pfx, plen, *hoa };
	return v4.set_rc;
}

static void
rec_bind4_del(void *ctx, const struct in_addr *pfx, unsigned plen)
{
	(void)ctx;
	ATF_REQUIRE(v4.ndel < 16);
	v4.del[v4.ndel++] = (struct v4op){ .pfx = *pfx, .plen = plen };
}

/* Frames to a MAC are recorded with the other sends. */
static uint8_t first_mac[6];	/* of the first frame to a MAC */

static void
rec_send_l2(void *ctx, unsigned oif, const uint8_t mac[6],
    const uint8_t *pkt, size_t len)
{
	if (v4.nl2 == 0)
		memcpy(first_mac, mac, 6);
	v4.nl2++;
	v4.l2_oif = oif;
	memcpy(v4.l2_mac, mac, 6);
	et_send(ctx, oif, pkt, len);
}

static struct in_addr
a4(const char *s)
{
	struct in_addr a;

	ATF_REQUIRE(inet_pton(AF_INET, s, &a) == 1);
	return a;
}

static struct ha_engine *
engine(const struct had_conf *c)
{
	struct ha_ops ops = et_ops;
	struct ha_engine *e;

	memset(&et, 0, sizeof(et));
	memset(&v4, 0, sizeof(v4));
	ops.send_l2 = rec_send_l2;
	ops.bind4_set = rec_bind4_set;
	ops.bind4_del = rec_bind4_del;
	e = ha_engine_new(c, &ops, ET_T0);
	ATF_REQUIRE(e != NULL);
	return e;
}

/* The default configuration plus IPv4: our address, a /26 pool, MN
   ET_HOA allowed MN_V4. */
static void
conf4(struct had_conf *c)
{
	struct had_mn *mn;

	et_conf(c);
	c->ipv4_addr = a4(HA4);
	c->ipv4_plen = 24;
	c->ipv4_pool = a4(POOL);
	c->ipv4_pool_plen = 26;
	mn = et_conf_mn(c, ET_HOA);
	mn->v4hoa = a4(MN_V4);
}

/* engtest.h's RFC 4285 helper, not used here. */
static void (*const keep_sign)(const char *, uint32_t, const char *,
    const char *, const char *) __attribute__((unused)) = et_sign_bu;

/* ------------------------------------------------------ input */

static void
add_v4hoa(const char *addr, uint8_t plen, bool p, uint16_t reserved)
{
	struct mh_opt *o = mh_add_opt(&et_in.mh, MHOPT_V4HOA);

	ATF_REQUIRE(o != NULL);
	o->u.v4hoa.addr = a4(addr);
	o->u.v4hoa.plen = plen;
	o->u.v4hoa.p = p;
	o->u.v4hoa.reserved = reserved;
}

static void
add_v4coa(const char *addr)
{
	struct mh_opt *o = mh_add_opt(&et_in.mh, MHOPT_V4COA);

	ATF_REQUIRE(o != NULL);
	o->u.v4coa.addr = a4(addr);
}

/* A home registration from an IPv6 care-of address with option 29. */
static void
bu6(const char *hoa, uint16_t seq, uint16_t lifetime, const char *v4a,
    uint8_t plen, bool p)
{
	et_bu(ET_COA, hoa, seq, AH, lifetime);
	if (v4a != NULL)
		add_v4hoa(v4a, plen, p, 0);
}

/* Feed the packet built as a ring record of a packet that came inside
   IPv4/UDP from outer:sport to HA4 (udp false: protocol 41). */
static void
feed4(struct ha_engine *e, bool udp, const char *outer, uint16_t sport,
    uint64_t now)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0x10, 0xe0 };
	struct in_addr o = a4(outer), d = a4(HA4);
	struct m6_sig sig;
	struct ha_input in;

	et_encode();
	memset(&sig, 0, sizeof(sig));
	sig.reason = M6S_MH;
	sig.ifindex = 3;
	sig.caplen = (uint32_t)et_len;
	sig.wirelen = (uint32_t)et_len;
	sig.flags = udp ? M6SF_UDP4 : M6SF_IP4;
	sig.tun_src.b[10] = 0xff;
	sig.tun_src.b[11] = 0xff;
	memcpy(&sig.tun_src.b[12], &o.s_addr, 4);
	memcpy(sig.tun_dst4, &d.s_addr, 4);
	sig.udp_sport = htons(sport);
	memcpy(sig.l2_src, mac, 6);
	in.sig = &sig;
	in.data = et_buf;
	ha_engine_input(e, &in, now);
}

/* A BU from hoa (no HAO: RFC 5555 §4.2 [R]) to the HA. */
static void
bu_inner(const char *hoa, uint16_t seq, uint16_t flags, uint16_t lifetime)
{
	struct mh_msg *m;

	et_ip6(hoa, ET_HA, NULL);
	m = pkt_push_mh(&et_in, MH_BU);
	ATF_REQUIRE(m != NULL);
	m->u.bu.seq = seq;
	m->u.bu.flags = flags;
	m->u.bu.lifetime = lifetime;
}

/* ------------------------------------------------------ output */

/* The last BA sent (decoded from IPv6 on) and its option of `type`. */
static const struct mh_opt *
ba_opt(struct pkt *p, uint8_t status, uint16_t seq, uint8_t type)
{
	const struct mh_msg *m;
	size_t i;

	m = et_ba(p, et_count_mh(MH_BA) - 1, status, seq);
	for (i = 0; i < m->nopts; i++)
		if (m->opts[i].type == type)
			return &m->opts[i];
	return NULL;
}

static void
check_v4ack(const struct mh_opt *o, uint8_t status, const char *addr,
    uint8_t plen)
{
	struct in_addr want = a4(addr);

	ATF_REQUIRE_MSG(o != NULL, "no IPv4 Address Acknowledgement");
	ATF_CHECK_EQ_MSG(o->u.v4ack.status, status, "v4ack status %u, want "
	    "%u", o->u.v4ack.status, status);
	ATF_CHECK_EQ(o->u.v4ack.plen, plen);
	ATF_CHECK_EQ(o->u.v4ack.addr.s_addr, want.s_addr);
}

/* The single frame sent, decoded from its IPv4 header. */
static void
decode4(size_t i, struct pkt *p)
{
	ATF_REQUIRE(i < et.nsent);
	ATF_REQUIRE_EQ(pkt_decode(p, PKT_LINK_IPV4, et.sent[i].bytes,
	    et.sent[i].len), 0);
	ATF_CHECK_MSG(p->viol.n == 0, "%zu violations (first %u)", p->viol.n,
	    p->viol.n ? p->viol.v[0].code : 0);
}

static const struct mh_opt *
opt_of(const struct pkt *p, uint8_t type)
{
	size_t i;

	for (i = 0; i < p->mh.nopts; i++)
		if (p->mh.opts[i].type == type)
			return &p->mh.opts[i];
	return NULL;
}

/* ------------------------------------------------------ statuses */

ATF_TC_WITHOUT_HEAD(static_v4hoa_success);
ATF_TC_BODY(static_v4hoa_success, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;
	struct in6_addr hoa = tu_in6(ET_HOA);

	conf4(&c);
	e = engine(&c);
	bu6(ET_HOA, 10, 100, MN_V4, 32, false);
	et_feed(e, ET_T0);
	/* §3.2.1: status 0, Pref-len 32, the address copied */
	check_v4ack(ba_opt(&p, BA_ACCEPTED, 10, MHOPT_V4ACK), 0, MN_V4, 32);
	ATF_CHECK(opt_of(&p, MHOPT_NATD) == NULL);	/* IPv6 CoA */
	ATF_REQUIRE_EQ(v4.nset, 1);
	ATF_CHECK_EQ(v4.set[0].pfx.s_addr, a4(MN_V4).s_addr);
	ATF_CHECK_EQ(v4.set[0].plen, 32);
	ATF_CHECK(memcmp(&v4.set[0].hoa, &hoa, sizeof(hoa)) == 0);
	ATF_REQUIRE_EQ(et.nset, 1);
	ATF_CHECK_EQ(et.set[0].rec.flags, M6B_ACTIVE | M6B_V4HOA);
	ATF_CHECK(strstr(et_ctl(e, "bindings", ET_T0, 0),
	    "\"v4hoa\":\"198.51.100.7\"") != NULL);
	ATF_CHECK(strstr(et_ctl(e, "counters", ET_T0, 0),
	    "\"dsmip_v4ack_0\":1") != NULL);
	/* de-registration removes it */
	bu6(ET_HOA, 11, 0, MN_V4, 32, false);
	et_feed(e, ET_T0 + 1000);
	ATF_REQUIRE_EQ(v4.ndel, 1);
	ATF_CHECK_EQ(v4.del[0].pfx.s_addr, a4(MN_V4).s_addr);
	ATF_CHECK_EQ(v4.del[0].plen, 32);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* One refused request: the IPv6 part still accepted (BA 0, §4.5 [R]),
   option 30 with status and Pref-len 0, nothing for IPv4 installed. */
static void
refused(struct had_conf *c, const char *addr, uint8_t plen, bool p,
    uint8_t status, const char *echoed)
{
	struct ha_engine *e = engine(c);
	struct pkt pk;
	char want[64];

	bu6(ET_HOA, 20, 100, addr, plen, p);
	et_feed(e, ET_T0);
	check_v4ack(ba_opt(&pk, BA_ACCEPTED, 20, MHOPT_V4ACK), status,
	    echoed, 0);
	ATF_CHECK_EQ(et.nset, 1);
	ATF_CHECK_EQ(v4.nset, 0);
	ATF_CHECK_EQ(et.set[0].rec.flags & M6B_V4HOA, 0);
	snprintf(want, sizeof(want), "\"dsmip_v4ack_%u\":1", status);
	ATF_CHECK(strstr(et_ctl(e, "counters", ET_T0, 0), want) != NULL);
	ha_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(refusal_statuses);
ATF_TC_BODY(refusal_statuses, tc)
{
	struct had_conf c;

	conf4(&c);
	/* 129: an address that is not this node's */
	refused(&c, "198.51.100.200", 32, false, V4ACK_PROHIBITED,
	    "198.51.100.200");
	/* 130: a pool address asked for by name */
	refused(&c, "198.51.100.70", 32, false, V4ACK_INCORRECT_HOA,
	    "198.51.100.70");
	/* 131: Prefix-len 0 (§3.1.1 [T]) */
	refused(&c, MN_V4, 0, false, V4ACK_INVALID_ADDR, MN_V4);
	/* 133: P from a node without an IPv4 prefix */
	refused(&c, "0.0.0.0", 24, true, V4ACK_PREFIX_UNAUTHORIZED,
	    "0.0.0.0");
	had_conf_free(&c);
	/* 132: 0.0.0.0 and no pool (and no static address) */
	conf4(&c);
	c.ipv4_pool_plen = 0;
	c.mn[0].v4hoa.s_addr = 0;
	refused(&c, "0.0.0.0", 32, false, V4ACK_DYNAMIC_UNAVAILABLE,
	    "0.0.0.0");
	had_conf_free(&c);
}

/* §3.1.1 [T]: the reserved bits are ignored. */
ATF_TC_WITHOUT_HEAD(reserved_bits_ignored);
ATF_TC_BODY(reserved_bits_ignored, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;

	conf4(&c);
	e = engine(&c);
	et_bu(ET_COA, ET_HOA, 5, AH, 100);
	add_v4hoa(MN_V4, 32, false, 0x1ff);
	et_feed(e, ET_T0);
	check_v4ack(ba_opt(&p, BA_ACCEPTED, 5, MHOPT_V4ACK), 0, MN_V4, 32);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* §4.5 [R]: no IPv4 part when the IPv6 registration is refused. */
ATF_TC_WITHOUT_HEAD(refused_ipv6_no_ipv4);
ATF_TC_BODY(refused_ipv6_no_ipv4, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;

	conf4(&c);
	e = engine(&c);
	bu6("2001:db8:9::b0", 1600, 100, MN_V4, 32, false);
	et_feed(e, ET_T0);
	ATF_CHECK(ba_opt(&p, BA_NOT_HOME_SUBNET, 1600, MHOPT_V4ACK) == NULL);
	ATF_CHECK_EQ(v4.nset, 0);
	ATF_CHECK_EQ(et.nset, 0);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* ------------------------------------------------------ the pool */

ATF_TC_WITHOUT_HEAD(pool_first_free_kept_and_returned);
ATF_TC_BODY(pool_first_free_kept_and_returned, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;

	conf4(&c);
	c.mn[0].v4hoa.s_addr = 0;	/* this node has no static one */
	e = engine(&c);
	bu6(ET_HOA, 1, 100, "0.0.0.0", 32, false);
	et_feed(e, ET_T0);
	check_v4ack(ba_opt(&p, 0, 1, MHOPT_V4ACK), 0, "198.51.100.64", 32);
	/* another node gets the next one */
	bu6("2001:db8:1::101", 1, 100, "0.0.0.0", 32, false);
	et_feed(e, ET_T0);
	check_v4ack(ba_opt(&p, 0, 1, MHOPT_V4ACK), 0, "198.51.100.65", 32);
	/* a refresh keeps its address, asked again as 0.0.0.0 or by it */
	bu6(ET_HOA, 2, 100, "0.0.0.0", 32, false);
	et_feed(e, ET_T0 + 1000);
	check_v4ack(ba_opt(&p, 0, 2, MHOPT_V4ACK), 0, "198.51.100.64", 32);
	bu6(ET_HOA, 3, 100, "198.51.100.64", 32, false);
	et_feed(e, ET_T0 + 2000);
	check_v4ack(ba_opt(&p, 0, 3, MHOPT_V4ACK), 0, "198.51.100.64", 32);
	ATF_CHECK_EQ(v4.nset, 2);	/* one per address, not per BU */
	ATF_CHECK_EQ(v4.ndel, 0);
	/* de-registration gives it back: the next node gets .64 */
	bu6(ET_HOA, 4, 0, NULL, 0, false);
	et_feed(e, ET_T0 + 3000);
	ATF_REQUIRE_EQ(v4.ndel, 1);
	ATF_CHECK_EQ(v4.del[0].pfx.s_addr, a4("198.51.100.64").s_addr);
	bu6("2001:db8:1::102", 1, 100, "0.0.0.0", 32, false);
	et_feed(e, ET_T0 + 4000);
	check_v4ack(ba_opt(&p, 0, 1, MHOPT_V4ACK), 0, "198.51.100.64", 32);
	ha_engine_free(e);
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(pool_exhausted_and_restore);
ATF_TC_BODY(pool_exhausted_and_restore, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;
	struct m6_bind rec;
	struct in6_addr h1 = tu_in6("2001:db8:1::101");
	struct in_addr a = a4("198.51.100.64");

	conf4(&c);
	c.ipv4_pool_plen = 32;		/* one address */
	e = engine(&c);
	bu6("2001:db8:1::101", 1, 100, "0.0.0.0", 32, false);
	et_feed(e, ET_T0);
	check_v4ack(ba_opt(&p, 0, 1, MHOPT_V4ACK), 0, "198.51.100.64", 32);
	bu6("2001:db8:1::102", 1, 100, "0.0.0.0", 32, false);
	et_feed(e, ET_T0);
	check_v4ack(ba_opt(&p, 0, 1, MHOPT_V4ACK), V4ACK_DYNAMIC_UNAVAILABLE,
	    "0.0.0.0", 0);
	rec = et.set[0].rec;
	ha_engine_free(e);

	/* a restarted engine: the binding and its m6_bind4 entry come
	   back, and the pool knows the address is taken */
	e = engine(&c);
	ha_engine_restore(e, &h1, &rec, ET_T0 + 10);
	ha_engine_restore4(e, &a, 32, &h1);
	ATF_CHECK(strstr(et_ctl(e, "bindings", ET_T0 + 10, 0),
	    "\"v4hoa\":\"198.51.100.64\"") != NULL);
	bu6("2001:db8:1::102", 1, 100, "0.0.0.0", 32, false);
	et_feed(e, ET_T0 + 20);
	check_v4ack(ba_opt(&p, 0, 1, MHOPT_V4ACK), V4ACK_DYNAMIC_UNAVAILABLE,
	    "0.0.0.0", 0);
	/* an entry whose binding is gone is removed */
	a = a4("198.51.100.9");
	h1 = tu_in6("2001:db8:1::199");
	ha_engine_restore4(e, &a, 32, &h1);
	ATF_REQUIRE_EQ(v4.ndel, 1);
	ATF_CHECK_EQ(v4.del[0].pfx.s_addr, a.s_addr);
	/* reset empties the pool again */
	ha_engine_reset(e, ET_T0 + 30);
	bu6("2001:db8:1::102", 2, 100, "0.0.0.0", 32, false);
	et_feed(e, ET_T0 + 40);
	check_v4ack(ba_opt(&p, 0, 2, MHOPT_V4ACK), 0, "198.51.100.64", 32);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* A mobile router allowed an IPv4 prefix gets it with P (§3.1.1). */
ATF_TC_WITHOUT_HEAD(prefix_for_mobile_router);
ATF_TC_BODY(prefix_for_mobile_router, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;

	conf4(&c);
	c.mn[0].router = true;
	c.mn[0].v4pfx = a4("203.0.113.0");
	c.mn[0].v4pfx_plen = 24;
	e = engine(&c);
	bu6(ET_HOA, 1, 100, "0.0.0.0", 24, true);
	et_feed(e, ET_T0);
	check_v4ack(ba_opt(&p, 0, 1, MHOPT_V4ACK), 0, "203.0.113.0", 24);
	ATF_REQUIRE_EQ(v4.nset, 1);
	ATF_CHECK_EQ(v4.set[0].plen, 24);
	/* a length it may not have: 131 */
	bu6(ET_HOA, 2, 100, "203.0.113.0", 25, true);
	et_feed(e, ET_T0 + 1000);
	check_v4ack(ba_opt(&p, 0, 2, MHOPT_V4ACK), V4ACK_INVALID_ADDR,
	    "203.0.113.0", 0);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* ------------------------------------------------------ IPv4 CoA */

/* A UDP-encapsulated BU, the BA back in IPv4/UDP: checked field by field. */
static void
udp_registration(bool nat, bool f, bool force, bool want_udp)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;
	const struct hdr *ip4, *udp;
	const struct hdr_ipv6 *ip6;
	const struct mh_opt *o;
	const struct m6_bind *r;
	const char *outer = nat ? NAT4 : V4COA;

	conf4(&c);
	c.force_udp = force;
	e = engine(&c);
	bu_inner(ET_HOA, 700, AH | (f ? MH_BU_F : 0), 100);
	add_v4hoa(MN_V4, 32, false, 0);
	add_v4coa(nat ? "10.0.0.11" : V4COA);
	feed4(e, true, outer, 40000, ET_T0);

	ATF_REQUIRE_EQ(et.nsent, 1);
	ATF_CHECK_EQ(v4.nl2, 1);	/* to the frame's source MAC */
	ATF_CHECK_EQ(v4.l2_oif, 3);
	ATF_CHECK_EQ(v4.l2_mac[5], 0xe0);
	decode4(0, &p);
	/* §4.2 [R]: from our IPv4 address port 4191 to the outer source */
	ip4 = pkt_find(&p, HDR_IPV4);
	udp = pkt_find(&p, HDR_UDP);
	ATF_REQUIRE(ip4 != NULL && udp != NULL);
	ATF_CHECK_EQ(ip4->u.ip4.src.s_addr, a4(HA4).s_addr);
	ATF_CHECK_EQ(ip4->u.ip4.dst.s_addr, a4(outer).s_addr);
	ATF_CHECK_EQ(udp->u.udp.sport, 4191);
	ATF_CHECK_EQ(udp->u.udp.dport, 40000);
	ATF_CHECK(udp->u.udp.checksum != 0);
	/* the inner BA: to the home address, no Type 2 Routing header */
	ip6 = pkt_inner_ip6(&p);
	et_addr_eq(&ip6->src, ET_HA);
	et_addr_eq(&ip6->dst, ET_HOA);
	ATF_CHECK(pkt_rh2(&p) == NULL);
	ATF_REQUIRE(p.has_mh && p.mh.type == MH_BA);
	ATF_CHECK_EQ(p.mh.u.ba.status, 0);
	ATF_CHECK_EQ(p.mh.u.ba.seq, 700);
	check_v4ack(opt_of(&p, MHOPT_V4ACK), 0, MN_V4, 32);
	/* §3.2.2 [R]: F and the refresh time when UDP is to be used */
	o = opt_of(&p, MHOPT_NATD);
	ATF_REQUIRE(o != NULL);
	ATF_CHECK_EQ(o->u.natd.f, want_udp);
	ATF_CHECK_EQ(o->u.natd.refresh, want_udp ? 110u : 0xffffffffu);
	/* the binding: IPv4-mapped CoA (the outer source) and HA */
	ATF_REQUIRE_EQ(et.nset, 1);
	r = &et.set[0].rec;
	et_m6_eq(&r->coa, nat ? "::ffff:" NAT4 : "::ffff:" V4COA);
	et_m6_eq(&r->ha, "::ffff:" HA4);
	ATF_CHECK_EQ(r->flags, M6B_ACTIVE | M6B_V4COA | M6B_V4HOA |
	    (want_udp ? M6B_UDP : 0));
	ATF_CHECK_EQ(r->udp_port, want_udp ? htons(40000) : 0);
	ATF_CHECK(strstr(et_ctl(e, "bindings", ET_T0, 0), want_udp ?
	    "\"encap\":\"udp\"" : "\"encap\":\"ipv4\"") != NULL);
	ATF_CHECK(strstr(et_ctl(e, "counters", ET_T0, 0), nat ?
	    "\"nat_detected\":1" : "\"nat_detected\":0") != NULL);
	/* de-registration the same way: answered in UDP, entries gone */
	bu_inner(ET_HOA, 701, AH, 0);
	add_v4coa(nat ? "10.0.0.11" : V4COA);
	feed4(e, true, outer, 40000, ET_T0 + 1000);
	ATF_REQUIRE_EQ(et.nsent, 2);
	decode4(1, &p);
	ATF_CHECK_EQ(p.mh.u.ba.seq, 701);
	ATF_CHECK_EQ(p.mh.u.ba.lifetime, 0);
	ATF_CHECK_EQ(et.ndel, 1);
	ATF_CHECK_EQ(v4.ndel, 1);
	ha_engine_free(e);
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(udp_bu_no_nat);
ATF_TC_BODY(udp_bu_no_nat, tc)
{
	udp_registration(false, false, false, false);
}

ATF_TC_WITHOUT_HEAD(udp_bu_nat_detected);
ATF_TC_BODY(udp_bu_nat_detected, tc)
{
	udp_registration(true, false, false, true);
}

ATF_TC_WITHOUT_HEAD(udp_bu_f_flag);
ATF_TC_BODY(udp_bu_f_flag, tc)
{
	udp_registration(false, true, false, true);
}

ATF_TC_WITHOUT_HEAD(udp_bu_force_udp);
ATF_TC_BODY(udp_bu_force_udp, tc)
{
	udp_registration(false, false, true, true);
}

/* §4.2 [R]: without the IPv4 Care-of Address option: 128, no binding. */
ATF_TC_WITHOUT_HEAD(udp_bu_without_v4coa);
ATF_TC_BODY(udp_bu_without_v4coa, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;

	conf4(&c);
	e = engine(&c);
	bu_inner(ET_HOA, 9, AH, 100);
	feed4(e, true, V4COA, 5000, ET_T0);
	ATF_REQUIRE_EQ(et.nsent, 1);
	decode4(0, &p);
	ATF_CHECK_EQ(p.mh.u.ba.status, BA_UNSPECIFIED);
	ATF_CHECK_EQ(et.nset, 0);
	ATF_CHECK(strstr(et_ctl(e, "counters", ET_T0, 0),
	    "\"udp4191_no_v4coa\":1") != NULL);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* §4.2 [R]: through the tunnel only BUs are ours: the rest is counted
   and dropped without an answer (no Binding Error). */
ATF_TC_WITHOUT_HEAD(udp_not_bu_dropped);
ATF_TC_BODY(udp_not_bu_dropped, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct icmp6_msg *m;

	conf4(&c);
	e = engine(&c);
	et_ip6(ET_HOA, ET_HA, NULL);
	ATF_REQUIRE(pkt_push_mh(&et_in, MH_HOTI) != NULL);
	feed4(e, true, NAT4, 40002, ET_T0);
	et_ip6(ET_HOA, "2001:db8:1::c0", NULL);
	m = pkt_push_icmp6(&et_in, ICMP6_T_ECHO_REQUEST, 0);
	ATF_REQUIRE(m != NULL);
	feed4(e, true, NAT4, 40002, ET_T0);
	ATF_CHECK_EQ(et.nsent, 0);
	ATF_CHECK(strstr(et_ctl(e, "counters", ET_T0, 0),
	    "\"udp4191_not_bu\":2") != NULL);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* Protocol 41 from an IPv4 care-of address: the BA goes back in IPv4
   (41), no UDP. */
ATF_TC_WITHOUT_HEAD(ip4_bu_answered_in_ipv4);
ATF_TC_BODY(ip4_bu_answered_in_ipv4, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;
	const struct hdr *ip4;

	conf4(&c);
	e = engine(&c);
	bu_inner(ET_HOA, 3, AH, 100);
	add_v4coa(V4COA);
	feed4(e, false, V4COA, 0, ET_T0);
	ATF_REQUIRE_EQ(et.nsent, 1);
	decode4(0, &p);
	ip4 = pkt_find(&p, HDR_IPV4);
	ATF_REQUIRE(ip4 != NULL);
	ATF_CHECK_EQ(ip4->u.ip4.proto, 41);
	ATF_CHECK(pkt_find(&p, HDR_UDP) == NULL);
	ATF_CHECK_EQ(p.mh.u.ba.status, 0);
	ATF_CHECK_EQ(et.set[0].rec.flags, M6B_ACTIVE | M6B_V4COA);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* Without ipv4-address (and without the IPv4 ops) an IPv4 home address
   cannot be given: 129, and the IPv6 registration stands. */
ATF_TC_WITHOUT_HEAD(no_ipv4_configured);
ATF_TC_BODY(no_ipv4_configured, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;

	et_conf(&c);
	e = et_engine(&c);
	bu6(ET_HOA, 1, 100, MN_V4, 32, false);
	et_feed(e, ET_T0);
	check_v4ack(ba_opt(&p, 0, 1, MHOPT_V4ACK), V4ACK_PROHIBITED, MN_V4, 0);
	ATF_CHECK_EQ(et.nset, 1);
	/* expiry of the binding is as ever */
	et_run(e, ET_T0 + 400000);
	ATF_CHECK_EQ(et.ndel, 1);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* An ARP request for `tpa` from 198.51.100.99 on ifindex. */
static void
arp_request(struct ha_engine *e, unsigned ifindex, const char *tpa,
    uint64_t now)
{
	static const uint8_t cn4[6] = { 2, 0, 0, 0, 0, 0xc4 };
	struct arp_msg m;
	uint8_t body[ARP_LEN];

	memset(&m, 0, sizeof(m));
	m.op = ARP_OP_REQUEST;
	memcpy(m.sha, cn4, 6);
	m.spa = a4("198.51.100.99");
	m.tpa = a4(tpa);
	arp_encode(&m, body);
	ha_engine_arp(e, ifindex, body, sizeof(body), now);
}

/* RFC 5555 §4.5 [R] as RFC 6275 §10.4.1: the HA answers ARP for a bound
   IPv4 home address on the home link with its MAC, announces it once
   (gratuitous ARP) and stops at de-registration. */
ATF_TC_WITHOUT_HEAD(proxy_arp);
ATF_TC_BODY(proxy_arp, tc)
{
	static const struct ha_iface ifs[2] = {
		{ .ifindex = 2, .name = "home0", .home_link = true,
		  .mac = { 2, 0, 0, 0, 1, 1 }, .mtu = 1500 },
		{ .ifindex = 3, .name = "ext0",
		  .mac = { 2, 0, 0, 0, 0x11, 1 }, .mtu = 1500 },
	};
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct had_conf c;
	struct ha_engine *e;
	struct arp_msg m;
	size_t n;

	conf4(&c);
	e = engine(&c);
	ha_engine_set_ifaces(e, ifs, 2);
	arp_request(e, 2, MN_V4, ET_T0);	/* not bound yet */
	ATF_CHECK_EQ(et.nsent, 0);
	bu6(ET_HOA, 1, 100, MN_V4, 32, false);
	et_feed(e, ET_T0);
	/* one announcement (sender = target = the address), then the BA */
	ATF_REQUIRE_EQ(et.nsent, 2);
	ATF_REQUIRE_EQ(et.sent[0].len, ARP_LEN);
	ATF_REQUIRE_EQ(arp_decode(&m, et.sent[0].bytes, ARP_LEN), 0);
	ATF_CHECK_EQ(et_count_mh(MH_BA), 1);
	ATF_CHECK_EQ(m.op, ARP_OP_REQUEST);
	ATF_CHECK_EQ(m.spa.s_addr, a4(MN_V4).s_addr);
	ATF_CHECK_EQ(m.tpa.s_addr, a4(MN_V4).s_addr);
	ATF_CHECK(memcmp(m.sha, ifs[0].mac, 6) == 0);
	ATF_CHECK(memcmp(first_mac, bcast, 6) == 0);
	/* a request on the home link: answered with our MAC, to its sender */
	arp_request(e, 2, MN_V4, ET_T0 + 10);
	ATF_REQUIRE_EQ(et.nsent, 3);
	ATF_REQUIRE_EQ(arp_decode(&m, et.sent[2].bytes, et.sent[2].len), 0);
	ATF_CHECK_EQ(m.op, ARP_OP_REPLY);
	ATF_CHECK(memcmp(m.sha, ifs[0].mac, 6) == 0);
	ATF_CHECK_EQ(m.spa.s_addr, a4(MN_V4).s_addr);
	ATF_CHECK_EQ(m.tpa.s_addr, a4("198.51.100.99").s_addr);
	ATF_CHECK_EQ(m.tha[5], 0xc4);
	ATF_CHECK_EQ(v4.l2_mac[5], 0xc4);
	ATF_CHECK_EQ(v4.l2_oif, 2);
	/* not on another link, not for another address, not a short one */
	n = et.nsent;
	arp_request(e, 3, MN_V4, ET_T0 + 20);
	arp_request(e, 2, "198.51.100.8", ET_T0 + 20);
	ha_engine_arp(e, 2, et.sent[2].bytes, 20, ET_T0 + 20);
	ATF_CHECK_EQ(et.nsent, n);
	/* de-registration: no more answers */
	bu6(ET_HOA, 2, 0, NULL, 0, false);
	et_feed(e, ET_T0 + 30);
	n = et.nsent;
	arp_request(e, 2, MN_V4, ET_T0 + 40);
	ATF_CHECK_EQ(et.nsent, n);
	ATF_CHECK(strstr(et_ctl(e, "counters", ET_T0 + 40, 0),
	    "\"arp_tx\":2") != NULL);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* ------------------------------------------------------ BRR, PTB */

/*
 * RFC 5555 §4.1, §4.2 [R]: the BRR before expiry goes to an IPv4 care-of
 * address the way the BA went: IPv4 (UDP from 4191 to the NAT's port
 * when UDP is used, protocol 41 otherwise), HA -> HoA inside, routed
 * (no frame to answer, so not to a link-layer address).
 */
static void
brr_v4coa(bool udp)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;
	const struct hdr *ip4, *u;
	const struct hdr_ipv6 *ip6;

	conf4(&c);
	c.brr_lead = 8;
	e = engine(&c);
	bu_inner(ET_HOA, 9, AH, 10);		/* 40 s: BRR at 32 s */
	add_v4coa("10.0.0.11");			/* behind a NAT */
	feed4(e, udp, NAT4, 40001, ET_T0);
	ATF_REQUIRE_EQ(et.nsent, 1);
	et_run(e, ET_T0 + 31999);
	ATF_CHECK_EQ(et.nsent, 1);
	et_run(e, ET_T0 + 32000);
	ATF_REQUIRE_EQ(et.nsent, 2);
	ATF_CHECK_EQ(v4.nl2, 1);		/* the BA only */
	ATF_CHECK_EQ(et.sent[1].oif, 0);
	decode4(1, &p);
	ip4 = pkt_find(&p, HDR_IPV4);
	ATF_REQUIRE(ip4 != NULL);
	ATF_CHECK_EQ(ip4->u.ip4.src.s_addr, a4(HA4).s_addr);
	ATF_CHECK_EQ(ip4->u.ip4.dst.s_addr, a4(NAT4).s_addr);
	u = pkt_find(&p, HDR_UDP);
	if (udp) {
		ATF_REQUIRE(u != NULL);
		ATF_CHECK_EQ(ip4->u.ip4.proto, 17);
		ATF_CHECK_EQ(u->u.udp.sport, 4191);
		ATF_CHECK_EQ(u->u.udp.dport, 40001);
		ATF_CHECK(u->u.udp.checksum != 0);
	} else {
		ATF_CHECK(u == NULL);
		ATF_CHECK_EQ(ip4->u.ip4.proto, 41);
	}
	ip6 = pkt_inner_ip6(&p);
	ATF_REQUIRE(ip6 != NULL);
	et_addr_eq(&ip6->src, ET_HA);
	et_addr_eq(&ip6->dst, ET_HOA);
	ATF_REQUIRE(p.has_mh);
	ATF_CHECK_EQ(p.mh.type, MH_BRR);
	ATF_CHECK(strstr(et_ctl(e, "counters", ET_T0 + 32000, 0),
	    "\"brr_udp4\":1") != NULL);
	ha_engine_free(e);
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(brr_in_udp_to_nat_port);
ATF_TC_BODY(brr_in_udp_to_nat_port, tc)
{
	brr_v4coa(true);
}

ATF_TC_WITHOUT_HEAD(brr_in_ipv4);
ATF_TC_BODY(brr_in_ipv4, tc)
{
	brr_v4coa(false);
}

/* The ring record of an IPv4 packet 203.0.113.7 -> MN_V4 of 1400
   octets, DF as given, dropped as too big for a tunnel of mtu. */
static void
feed_ptb4(struct ha_engine *e, bool df, uint32_t mtu, uint64_t now)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0x20, 0x01 };
	static uint8_t pkt[1400];
	struct in_addr s = a4("203.0.113.7"), d = a4(MN_V4);
	struct m6_sig sig;
	struct ha_input in;

	memset(pkt, 0xab, sizeof(pkt));
	pkt[0] = 0x45;
	pkt[1] = 0;
	pkt[2] = 1400 >> 8;
	pkt[3] = 1400 & 0xff;
	pkt[6] = df ? 0x40 : 0;
	pkt[7] = 0;
	pkt[8] = 63;
	pkt[9] = 17;
	memcpy(pkt + 12, &s.s_addr, 4);
	memcpy(pkt + 16, &d.s_addr, 4);
	memset(&sig, 0, sizeof(sig));
	sig.reason = M6S_PTB;
	sig.ifindex = 2;
	sig.caplen = M6_SIG_SNAPLEN;
	sig.wirelen = sizeof(pkt);
	sig.flags = M6SF_TRUNC;
	sig.mtu = mtu;
	memcpy(sig.l2_src, mac, 6);
	in.sig = &sig;
	in.data = pkt;
	ha_engine_input(e, &in, now);
}

static unsigned
be16(const uint8_t *b)
{
	return (unsigned)b[0] << 8 | b[1];
}

/*
 * RFC 1191 §4: an IPv4 packet with DF too big for the tunnel: type 3
 * code 4 with the tunnel MTU, from our IPv4 address to its source, back
 * to the frame's link-layer source; rate-limited like the ICMPv6 errors.
 */
ATF_TC_WITHOUT_HEAD(ptb_ipv4_frag_needed);
ATF_TC_BODY(ptb_ipv4_frag_needed, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	const uint8_t *b;
	struct in_addr ha = a4(HA4), cn = a4("203.0.113.7");
	size_t i;

	conf4(&c);
	c.rate_icmp = 3;
	e = engine(&c);
	feed_ptb4(e, true, 1452, ET_T0);
	ATF_REQUIRE_EQ(et.nsent, 1);
	ATF_CHECK_EQ(v4.nl2, 1);
	ATF_CHECK_EQ(v4.l2_oif, 2);
	ATF_CHECK_EQ(v4.l2_mac[5], 0x01);
	b = et.sent[0].bytes;
	ATF_REQUIRE_EQ(et.sent[0].len, 576);	/* RFC 1812 §4.3.2.3 */
	ATF_CHECK_EQ(b[0], 0x45);
	ATF_CHECK_EQ(b[9], 1);
	ATF_CHECK(memcmp(b + 12, &ha.s_addr, 4) == 0);
	ATF_CHECK(memcmp(b + 16, &cn.s_addr, 4) == 0);
	ATF_CHECK_EQ(b[20], 3);
	ATF_CHECK_EQ(b[21], 4);
	ATF_CHECK_EQ(be16(b + 26), 1452);
	ATF_CHECK_EQ(b[28], 0x45);		/* the quote */
	ATF_CHECK_EQ(b[28 + 6], 0x40);
	ATF_CHECK(strstr(et_ctl(e, "counters", ET_T0, 0),
	    "\"frag_needed\":1") != NULL);
	/* without DF: no error (RFC 1191 §4: it would be fragmented) */
	feed_ptb4(e, false, 1452, ET_T0 + 1);
	ATF_CHECK_EQ(et.nsent, 1);
	/* the limiter: 3 per second, the first one taken */
	for (i = 0; i < 5; i++)
		feed_ptb4(e, true, 1452, ET_T0 + 2);
	ATF_CHECK_EQ(et.nsent, 3);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* No ipv4-address: no IPv4 source to answer from, nothing sent. */
ATF_TC_WITHOUT_HEAD(ptb_ipv4_needs_ipv4_address);
ATF_TC_BODY(ptb_ipv4_needs_ipv4_address, tc)
{
	struct had_conf c;
	struct ha_engine *e;

	conf4(&c);
	c.ipv4_plen = 0;
	e = engine(&c);
	feed_ptb4(e, true, 1452, ET_T0);
	ATF_CHECK_EQ(et.nsent, 0);
	ha_engine_free(e);
	had_conf_free(&c);
}

/*
 * Reload (had.conf.5): a new ipv4-pool hands out its own addresses, and
 * never one a binding holds (even one bound as a node's static address
 * the reload removed), which is the pool's again at release; nat-refresh
 * and force-udp apply to the next BU.
 */
ATF_TC_WITHOUT_HEAD(reload_pool_nat_refresh_force_udp);
ATF_TC_BODY(reload_pool_nat_refresh_force_udp, tc)
{
	struct had_conf c, c2;
	struct ha_engine *e;
	struct pkt p;
	const struct mh_opt *o;

	/* .96/27; the node's static .64 is outside it */
	conf4(&c);
	c.mn[0].v4hoa = a4("198.51.100.64");
	c.ipv4_pool = a4("198.51.100.96");
	c.ipv4_pool_plen = 27;
	e = engine(&c);
	bu6(ET_HOA, 1, 100, "0.0.0.0", 32, false);
	et_feed(e, ET_T0);
	check_v4ack(ba_opt(&p, 0, 1, MHOPT_V4ACK), 0, "198.51.100.64", 32);
	bu6("2001:db8:1::101", 1, 100, "0.0.0.0", 32, false);
	et_feed(e, ET_T0 + 1000);
	check_v4ack(ba_opt(&p, 0, 1, MHOPT_V4ACK), 0, "198.51.100.96", 32);
	/* the /26 pool, no static address: .64 and .96 are held */
	conf4(&c2);
	c2.mn[0].v4hoa.s_addr = 0;
	c2.nat_refresh = 30;
	c2.force_udp = true;
	ATF_REQUIRE_EQ(ha_engine_reconf(e, &c2), 0);
	had_conf_free(&c2);
	bu6("2001:db8:1::102", 1, 100, "0.0.0.0", 32, false);
	et_feed(e, ET_T0 + 2000);
	check_v4ack(ba_opt(&p, 0, 1, MHOPT_V4ACK), 0, "198.51.100.65", 32);
	/* released, .64 is the pool's again */
	bu6(ET_HOA, 3, 0, NULL, 0, false);
	et_feed(e, ET_T0 + 3000);
	bu6("2001:db8:1::103", 1, 100, "0.0.0.0", 32, false);
	et_feed(e, ET_T0 + 4000);
	check_v4ack(ba_opt(&p, 0, 1, MHOPT_V4ACK), 0, "198.51.100.64", 32);
	/* force-udp and nat-refresh as reloaded: UDP without NAT or F */
	et.nsent = 0;
	bu_inner("2001:db8:1::104", 1, AH, 100);
	add_v4coa(V4COA);
	feed4(e, true, V4COA, 40002, ET_T0 + 5000);
	ATF_REQUIRE_EQ(et.nsent, 1);
	decode4(0, &p);
	o = opt_of(&p, MHOPT_NATD);
	ATF_REQUIRE(o != NULL);
	ATF_CHECK_EQ(o->u.natd.f, true);
	ATF_CHECK_EQ(o->u.natd.refresh, 30u);
	ha_engine_free(e);
	had_conf_free(&c);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, reload_pool_nat_refresh_force_udp);
	ATF_TP_ADD_TC(tp, brr_in_udp_to_nat_port);
	ATF_TP_ADD_TC(tp, brr_in_ipv4);
	ATF_TP_ADD_TC(tp, ptb_ipv4_frag_needed);
	ATF_TP_ADD_TC(tp, ptb_ipv4_needs_ipv4_address);
	ATF_TP_ADD_TC(tp, proxy_arp);
	ATF_TP_ADD_TC(tp, no_ipv4_configured);
	ATF_TP_ADD_TC(tp, static_v4hoa_success);
	ATF_TP_ADD_TC(tp, refusal_statuses);
	ATF_TP_ADD_TC(tp, reserved_bits_ignored);
	ATF_TP_ADD_TC(tp, refused_ipv6_no_ipv4);
	ATF_TP_ADD_TC(tp, pool_first_free_kept_and_returned);
	ATF_TP_ADD_TC(tp, pool_exhausted_and_restore);
	ATF_TP_ADD_TC(tp, prefix_for_mobile_router);
	ATF_TP_ADD_TC(tp, udp_bu_no_nat);
	ATF_TP_ADD_TC(tp, udp_bu_nat_detected);
	ATF_TP_ADD_TC(tp, udp_bu_f_flag);
	ATF_TP_ADD_TC(tp, udp_bu_force_udp);
	ATF_TP_ADD_TC(tp, udp_bu_without_v4coa);
	ATF_TP_ADD_TC(tp, udp_not_bu_dropped);
	ATF_TP_ADD_TC(tp, ip4_bu_answered_in_ipv4);
	return atf_no_error();
}
