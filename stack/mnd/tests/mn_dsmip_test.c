/*
 * stack/mnd/tests/mn_dsmip_test.c - the mobile node engine's Dual-Stack
 * MIPv6 paths (RFC 5555): the IPv4 Home Address option (29) in home
 * registrations, the IPv4 Address Acknowledgement (30) with success,
 * failure and absence, the BU inside IPv4/UDP from an IPv4 care-of
 * address with the IPv4 Care-of Address option (32), the NAT Detection
 * option (31) setting the mn_hoa flags, and the NAT keepalive (the BU
 * re-sent every Refresh Time, none when all ones).  Clauses marked [R]
 * in conformance/cases/dsmip/RFC5555-CLAUSES.md are from memory of the
 * RFC: so are the expectations here that rest on them.
 */
#include <arpa/inet.h>
#include <atf-c.h>
#include <stdbool.h>

#include "stack/mnd/tests/mntest.h"
#include "stack/mnd/mn_engine_impl.h"

#define V4HOA	"198.51.100.7"
#define V4DYN	"198.51.100.64"
#define V4COA	"192.0.2.10"
#define HA4	"192.0.2.1"
#define NAT4	"192.0.2.20"

/* One call of the hoa4 or place_hoa4 op. */
struct v4op {
	struct in_addr	addr;
	uint8_t		plen;
	unsigned	ifindex;
	bool		on;
};

/* What the DSMIPv6 ops saw. */
struct v4rec {
	size_t		nhoa4, nplace;
	struct v4op	hoa4[MT_MAXOPS], place[MT_MAXOPS];
	size_t		nudp;
	struct {
		struct in_addr	src, dst;
		uint16_t	sport;
		uint64_t	at;
		size_t		idx;	/* in mt.sent[] */
	} udp[MT_MAXSENT];
};

static struct v4rec v4;

static struct in_addr
in4(const char *s)
{
	struct in_addr a;

	ATF_REQUIRE(inet_pton(AF_INET, s, &a) == 1);
	return a;
}

/* One call of op_hoa4 or op_place_hoa4, kept in list[*n]. */
static void
v4_record(size_t *n, struct v4op *list, const struct in6_addr *hoa,
    const struct in_addr *addr, uint8_t plen, unsigned ifindex, bool on)
{
	mt_addr_eq(hoa, MT_HOA);
	ATF_REQUIRE(*n < MT_MAXOPS);
	list[*n].addr = *addr;
	list[*n].plen = plen;
	list[*n].ifindex = ifindex;
	list[*n].on = on;
	(*n)++;
}

static void
op_hoa4(void *ctx, const struct in6_addr *hoa, const struct in_addr *addr,
    uint8_t plen, unsigned coa_ifindex, bool on)
{
	(void)ctx;
	v4_record(&v4.nhoa4, v4.hoa4, hoa, addr, plen, coa_ifindex, on);
}

static void
op_place_hoa4(void *ctx, const struct in6_addr *hoa,
    const struct in_addr *addr, uint8_t plen, unsigned home_ifindex)
{
	(void)ctx;
	v4_record(&v4.nplace, v4.place, hoa, addr, plen, home_ifindex, true);
}

/* The packet is kept in mt.sent too (the IPv6 packet inside UDP). */
static void
op_send_udp4(void *ctx, unsigned oif, const struct in_addr *src,
    uint16_t sport, const struct in_addr *dst, const uint8_t *pkt,
    size_t len)
{
	ATF_REQUIRE(v4.nudp < MT_MAXSENT);
	v4.udp[v4.nudp].src = *src;
	v4.udp[v4.nudp].dst = *dst;
	v4.udp[v4.nudp].sport = sport;
	v4.udp[v4.nudp].at = mt.now;
	v4.udp[v4.nudp].idx = mt.nsent;
	v4.nudp++;
	mt_send(ctx, oif, pkt, len);
}

static void
conf_v4(struct mnd_conf *c, enum mnd_v4mode mode, const char *addr,
    uint8_t plen, bool ha4)
{
	mt_conf(c, MT_HA);
	c->hoa[0].v4mode = mode;
	c->hoa[0].v4addr = in4(addr);
	c->hoa[0].v4plen = plen;
	if (ha4) {
		c->hoa[0].has_ha4 = true;
		c->hoa[0].ha4 = in4(HA4);
	}
}

static struct mn_engine *
engine_v4(const struct mnd_conf *c)
{
	struct mn_engine *e = mt_engine(c);

	memset(&v4, 0, sizeof(v4));
	e->ops.hoa4 = op_hoa4;
	e->ops.place_hoa4 = op_place_hoa4;
	e->ops.send_udp4 = op_send_udp4;
	return e;
}

static void
move4(struct mn_engine *e, const char *coa4, uint64_t now)
{
	struct msock_msg m;

	mt_md_msg(&m, MSOCK_MD_REREG, NULL, MT_IF);
	m.coa4 = in4(coa4);
	m.present |= 1u << MSA_COA4;
	mt.now = now;
	mn_engine_bus(e, &m, now);
}

/* A BA: status, v4ack status/address/plen (v4st < 0: no option 30),
   natd refresh (has_natd), through UDP from udp_src when not NULL. */
struct ba_spec {
	uint8_t		status;
	int		v4st;
	const char	*v4addr;
	uint8_t		v4plen;
	bool		has_natd, natd_f;
	uint32_t	refresh;
	const char	*udp_src;	/* outer IPv4 source, NULL: plain */
	const char	*dst;		/* inner destination */
	bool		rh2;
	uint8_t		flags;		/* MH_BA_* */
};

static void
feed_ba(struct mn_engine *e, const struct ba_spec *s, uint16_t seq,
    uint64_t now)
{
	static uint8_t buf[2048];
	struct m6_sig sig;
	struct mn_input in;
	struct mh_msg *m;
	struct mh_opt *o;
	struct in_addr a;
	size_t len;

	mt_ip6(MT_HA, s->dst, s->rh2 ? MT_HOA : NULL);
	ATF_REQUIRE((m = pkt_push_mh(&mt_in, MH_BA)) != NULL);
	m->u.ba.status = s->status;
	m->u.ba.seq = seq;
	m->u.ba.lifetime = 105;
	m->u.ba.flags = s->flags;
	if (s->v4st >= 0) {
		ATF_REQUIRE((o = mh_add_opt(m, MHOPT_V4ACK)) != NULL);
		o->u.v4ack.status = (uint8_t)s->v4st;
		o->u.v4ack.plen = s->v4plen;
		o->u.v4ack.addr = in4(s->v4addr);
	}
	if (s->has_natd) {
		ATF_REQUIRE((o = mh_add_opt(m, MHOPT_NATD)) != NULL);
		o->u.natd.f = s->natd_f;
		o->u.natd.refresh = s->refresh;
	}
	ATF_REQUIRE_EQ(pkt_encode(&mt_in, buf, sizeof(buf), &len), 0);
	memset(&sig, 0, sizeof(sig));
	sig.reason = M6S_MH;
	sig.ifindex = MT_IF;
	sig.caplen = sig.wirelen = (uint32_t)len;
	if (s->udp_src != NULL) {
		sig.flags = M6SF_UDP4;
		sig.udp_sport = htons(4191);
		sig.tun_src.b[10] = sig.tun_src.b[11] = 0xff;
		a = in4(s->udp_src);
		memcpy(sig.tun_src.b + 12, &a, 4);
	}
	in.sig = &sig;
	in.data = buf;
	mt.now = now;
	mn_engine_input(e, &in, now);
}

/* The BA s to the last BU. */
static void
answer(struct mn_engine *e, const struct ba_spec *s, uint64_t now)
{
	struct pkt p;

	feed_ba(e, s, mt_last_mh(&p, MH_BU)->u.bu.seq, now);
}

/* The BA of a static IPv4 home address through UDP from the HA's IPv4
   address: NAT Detection with refresh and F when has_natd. */
#define UDP_BA(has_natd_, f_, refresh_)	(&(struct ba_spec){ .v4st = 0, \
	.v4addr = V4HOA, .v4plen = 32, .dst = MT_HOA, .udp_src = HA4, \
	.has_natd = (has_natd_), .natd_f = (f_), .refresh = (refresh_) })

/* A static IPv4 home address (with home-agent-ipv4) registered from the
   IPv4 care-of address V4COA at MT_T0, answered by ba at MT_T0 + 100. */
static struct mn_engine *
bound_v4coa(struct mnd_conf *c, const struct ba_spec *ba)
{
	struct mn_engine *e;

	conf_v4(c, MND_V4_STATIC, V4HOA, 32, true);
	e = engine_v4(c);
	move4(e, V4COA, MT_T0);
	answer(e, ba, MT_T0 + 100);
	return e;
}

/* Back home at now: the de-registration BU, acknowledged 100 ms later
   (status 0, to the home address, no option). */
static void
home_dereg(struct mn_engine *e, uint64_t now)
{
	mt_md(e, MSOCK_MD_DEREGHOME, NULL, MT_HOME_IF, now);
	answer(e, &(struct ba_spec){ .v4st = -1, .dst = MT_HOA }, now + 100);
	mt_state(e, MT_HA, "IDLE", "START");
}

/* The last BU and its IPv4 Home Address option (NULL: none). */
static const struct mh_opt *
last_v4hoa(struct pkt *p, uint16_t *seq)
{
	const struct mh_msg *m = mt_last_mh(p, MH_BU);

	if (seq != NULL)
		*seq = m->u.bu.seq;
	return mh_find_opt(m, MHOPT_V4HOA);
}

/* The static IPv4 home address V4HOA (the home link's prefix length
   home_plen) asked for from the IPv6 care-of address MT_COA at MT_T0;
   the BU's sequence number in *seq. */
static struct mn_engine *
asking_v4(struct mnd_conf *c, uint8_t home_plen, uint16_t *seq)
{
	struct mn_engine *e;
	struct pkt p;

	conf_v4(c, MND_V4_STATIC, V4HOA, 32, false);
	c->hoa[0].v4home_plen = home_plen;
	e = engine_v4(c);
	mt_move(e, MT_COA, MT_T0);
	ATF_REQUIRE_MSG(last_v4hoa(&p, seq) != NULL,
	    "no IPv4 Home Address option");
	return e;
}

static void
v4_eq(const struct in_addr *got, const char *want)
{
	char g[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, got, g, sizeof(g));
	ATF_CHECK_MSG(strcmp(g, want) == 0, "IPv4 %s, want %s", g, want);
}

static void
ctl_has(struct mn_engine *e, const char *req, const char *want)
{
	const char *j = mt_ctl(e, req, mt.now);

	ATF_CHECK_MSG(strstr(j, want) != NULL, "want %s in %s", want, j);
}

/* RFC 5555 §3.1.1 (3.1.1-a, -e [R]), §4.4.2 (4.4.2-a): static address,
   Prefix-len 32, P clear, Reserved zero; status 0 puts it in place. */
ATF_TC_WITHOUT_HEAD(static_v4hoa);
ATF_TC_BODY(static_v4hoa, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	const struct mh_opt *o;
	struct pkt p;
	uint16_t seq;

	conf_v4(&c, MND_V4_STATIC, V4HOA, 32, false);
	e = engine_v4(&c);
	mt_move(e, MT_COA, MT_T0);
	o = last_v4hoa(&p, &seq);
	ATF_REQUIRE_MSG(o != NULL, "no IPv4 Home Address option");
	v4_eq(&o->u.v4hoa.addr, V4HOA);
	ATF_CHECK_EQ(o->u.v4hoa.plen, 32);
	ATF_CHECK(!o->u.v4hoa.p);
	ATF_CHECK_EQ(o->u.v4hoa.reserved, 0);
	ATF_CHECK(mh_find_opt(&p.mh, MHOPT_V4COA) == NULL);
	ATF_CHECK_EQ(v4.nhoa4, 0);
	feed_ba(e, &(struct ba_spec){ .v4st = 0, .v4addr = V4HOA,
	    .v4plen = 32, .dst = MT_COA, .rh2 = true }, seq, MT_T0 + 100);
	mt_state(e, MT_HA, "BOUND", "START");
	ATF_REQUIRE_EQ(v4.nhoa4, 1);
	ATF_CHECK(v4.hoa4[0].on);
	v4_eq(&v4.hoa4[0].addr, V4HOA);
	ATF_CHECK_EQ(v4.hoa4[0].plen, 32);
	ATF_CHECK_EQ(v4.hoa4[0].ifindex, MT_IF);
	ATF_CHECK((mt.hoa[mt.nhoa - 1].flags & M6H_V4HOA) != 0);
	ATF_CHECK((mt.hoa[mt.nhoa - 1].flags & M6H_V4COA) == 0);
	ctl_has(e, "status", "\"ipv4\":{\"state\":\"bound\",\"status\":0,"
	    "\"address\":\"198.51.100.7/32\",\"coa4\":null");
	/* back home: the IPv4 home address goes */
	mt_md(e, MSOCK_MD_DEREGHOME, NULL, MT_HOME_IF, MT_T0 + 5000);
	ATF_REQUIRE_EQ(v4.nhoa4, 2);
	ATF_CHECK(!v4.hoa4[1].on);
	ATF_CHECK((mt.hoa[mt.nhoa - 1].flags & M6H_V4HOA) == 0);
	mt_last_mh(&p, MH_BU);
	ATF_CHECK(mh_find_opt(&p.mh, MHOPT_V4HOA) == NULL);
	mn_engine_free(e);
}

/* §3.1.1 (3.1.1-f), §4.5.2: 0.0.0.0 asks for an address; the one
   acknowledged is used, and refreshes carry it. */
ATF_TC_WITHOUT_HEAD(dynamic_v4hoa);
ATF_TC_BODY(dynamic_v4hoa, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	const struct mh_opt *o;
	struct pkt p;
	uint16_t seq;

	conf_v4(&c, MND_V4_DYNAMIC, "0.0.0.0", 32, false);
	e = engine_v4(&c);
	mt_move(e, MT_COA, MT_T0);
	o = last_v4hoa(&p, &seq);
	ATF_REQUIRE(o != NULL);
	v4_eq(&o->u.v4hoa.addr, "0.0.0.0");
	ATF_CHECK_EQ(o->u.v4hoa.plen, 32);
	ATF_CHECK(!o->u.v4hoa.p);
	feed_ba(e, &(struct ba_spec){ .v4st = 0, .v4addr = V4DYN,
	    .v4plen = 32, .dst = MT_COA, .rh2 = true }, seq, MT_T0 + 100);
	ATF_REQUIRE_EQ(v4.nhoa4, 1);
	v4_eq(&v4.hoa4[0].addr, V4DYN);
	/* the refresh (85 % of 420 s) names the assigned address */
	mt_run(e, MT_T0 + 400000);
	o = last_v4hoa(&p, NULL);
	ATF_REQUIRE(o != NULL);
	v4_eq(&o->u.v4hoa.addr, V4DYN);
	/* §4.5 [R]: back home the HA released it: not on the home link */
	home_dereg(e, MT_T0 + 500000);
	ATF_CHECK_EQ(v4.nplace, 0);
	mn_engine_free(e);
}

/*
 * RFC 5555 §4.5 [R], as RFC 6275 §11.5.4: back home, after the
 * de-registration's BA (not before: the HA proxy ARPs until then), the
 * static IPv4 home address goes on the home link with the home link's
 * prefix length, announced with each of the MAX_NEIGHBOR_ADVERTISEMENT
 * Neighbor Advertisements (1 s apart); on leaving home it goes back to
 * the loopback as a /32 at once, before any BA.
 */
ATF_TC_WITHOUT_HEAD(home_link_v4hoa);
ATF_TC_BODY(home_link_v4hoa, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	const uint64_t t = MT_T0 + 5100;	/* the de-registration's BA */
	uint16_t seq;

	e = asking_v4(&c, 24, &seq);
	feed_ba(e, &(struct ba_spec){ .v4st = 0, .v4addr = V4HOA,
	    .v4plen = 32, .dst = MT_COA, .rh2 = true }, seq, MT_T0 + 100);
	ATF_REQUIRE_EQ(v4.nhoa4, 1);
	ATF_CHECK_EQ(v4.nplace, 0);
	mt_md(e, MSOCK_MD_DEREGHOME, NULL, MT_HOME_IF, MT_T0 + 5000);
	ATF_CHECK_EQ(v4.nplace, 0);
	ATF_REQUIRE_EQ(v4.nhoa4, 2);
	ATF_CHECK(!v4.hoa4[1].on);
	answer(e, &(struct ba_spec){ .v4st = -1, .dst = MT_HOA }, t);
	mt_state(e, MT_HA, "IDLE", "START");
	ATF_REQUIRE_EQ(v4.nplace, 1);
	v4_eq(&v4.place[0].addr, V4HOA);
	ATF_CHECK_EQ(v4.place[0].plen, 24);
	ATF_CHECK_EQ(v4.place[0].ifindex, MT_HOME_IF);
	mt_run(e, t + 999);
	ATF_CHECK_EQ(v4.nplace, 1);
	mt_run(e, t + 1000);
	ATF_CHECK_EQ(v4.nplace, 2);
	mt_run(e, t + 2000);
	ATF_CHECK_EQ(v4.nplace, 3);
	mt_run(e, t + 10000);
	ATF_REQUIRE_EQ(v4.nplace, 3);
	ATF_CHECK_EQ(v4.place[2].ifindex, MT_HOME_IF);
	mt_move(e, MT_COA2, t + 20000);
	ATF_REQUIRE_EQ(v4.nplace, 4);
	v4_eq(&v4.place[3].addr, V4HOA);
	ATF_CHECK_EQ(v4.place[3].plen, 32);
	ATF_CHECK_EQ(v4.place[3].ifindex, 0);
	ATF_CHECK_EQ(v4.nhoa4, 2);
	mn_engine_free(e);
}

/* §4.4.3 (4.4.3-a [R]): a failure status: no IPv4 home address, shown
   in ctl, not asked again in refreshes; the IPv6 binding stands. */
ATF_TC_WITHOUT_HEAD(v4ack_failure);
ATF_TC_BODY(v4ack_failure, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct pkt p;
	uint16_t seq;

	e = asking_v4(&c, 32, &seq);
	feed_ba(e, &(struct ba_spec){ .v4st = V4ACK_PROHIBITED,
	    .v4addr = V4HOA, .v4plen = 0, .dst = MT_COA, .rh2 = true }, seq,
	    MT_T0 + 100);
	mt_state(e, MT_HA, "BOUND", "START");
	ATF_CHECK_EQ(v4.nhoa4, 0);
	ATF_CHECK((mt.hoa[mt.nhoa - 1].flags & M6H_V4HOA) == 0);
	ctl_has(e, "status", "\"state\":\"refused\",\"status\":129,"
	    "\"address\":null");
	mt_run(e, MT_T0 + 400000);
	ATF_CHECK(last_v4hoa(&p, NULL) == NULL);
	mn_engine_free(e);
}

/* §4.4.3 (4.4.3-b [R]): no option 30: the HA does not do DSMIPv6; not
   asked again until a registration from scratch. */
ATF_TC_WITHOUT_HEAD(no_v4ack);
ATF_TC_BODY(no_v4ack, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct pkt p;
	uint16_t seq;

	e = asking_v4(&c, 32, &seq);
	mt_ba(e, MT_HA, BA_ACCEPTED, seq, 105, 0, MT_T0 + 100);
	mt_state(e, MT_HA, "BOUND", "START");
	ATF_CHECK_EQ(v4.nhoa4, 0);
	ctl_has(e, "status", "\"state\":\"unsupported\"");
	/* movement: a re-registration, not from scratch */
	mt_move(e, MT_COA2, MT_T0 + 1000);
	ATF_CHECK(last_v4hoa(&p, &seq) == NULL);
	/* home, then away again: from scratch, asked again */
	home_dereg(e, MT_T0 + 2000);
	mt_move(e, MT_COA, MT_T0 + 3000);
	ATF_CHECK(last_v4hoa(&p, NULL) != NULL);
	mn_engine_free(e);
}

/* §3.1.1 (3.1.1-b, -d): a mobile router's prefix: P and the length in
   the new request, the allocated prefix without P afterwards. */
ATF_TC_WITHOUT_HEAD(v4_prefix);
ATF_TC_BODY(v4_prefix, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	const struct mh_opt *o;
	struct pkt p;
	uint16_t seq;

	conf_v4(&c, MND_V4_PREFIX, "0.0.0.0", 24, false);
	c.mobile_router = true;
	e = engine_v4(&c);
	mt_move(e, MT_COA, MT_T0);
	o = last_v4hoa(&p, &seq);
	ATF_REQUIRE(o != NULL);
	ATF_CHECK(o->u.v4hoa.p);
	ATF_CHECK_EQ(o->u.v4hoa.plen, 24);
	v4_eq(&o->u.v4hoa.addr, "0.0.0.0");
	feed_ba(e, &(struct ba_spec){ .v4st = 0, .v4addr = "10.1.2.0",
	    .v4plen = 24, .dst = MT_COA, .rh2 = true, .flags = MH_BA_R }, seq,
	    MT_T0 + 100);
	ATF_REQUIRE_EQ(v4.nhoa4, 1);
	ATF_CHECK_EQ(v4.hoa4[0].plen, 24);
	mt_run(e, MT_T0 + 400000);
	o = last_v4hoa(&p, NULL);
	ATF_REQUIRE(o != NULL);
	ATF_CHECK(!o->u.v4hoa.p);
	ATF_CHECK_EQ(o->u.v4hoa.plen, 24);
	v4_eq(&o->u.v4hoa.addr, "10.1.2.0");
	mn_engine_free(e);
}

/* §4.2 (4.2-a [R]), §3.1.2: from an IPv4 CoA, the BU goes in UDP from
   the CoA to the HA's IPv4 address, inner source the HoA, no HAO, with
   the IPv4 Care-of Address option; F when force-udp (§3.1.3). */
ATF_TC_WITHOUT_HEAD(v4coa_bu_in_udp);
ATF_TC_BODY(v4coa_bu_in_udp, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	const struct mh_msg *m;
	const struct mh_opt *o;
	struct pkt p;

	conf_v4(&c, MND_V4_STATIC, V4HOA, 32, true);
	c.force_udp = true;
	e = engine_v4(&c);
	move4(e, V4COA, MT_T0);
	ATF_REQUIRE_EQ(v4.nudp, 1);
	v4_eq(&v4.udp[0].src, V4COA);
	v4_eq(&v4.udp[0].dst, HA4);
	ATF_CHECK_EQ(v4.udp[0].sport, 4191);
	m = mt_last_mh(&p, MH_BU);
	mt_addr_eq(&pkt_inner_ip6(&p)->src, MT_HOA);
	mt_addr_eq(&pkt_inner_ip6(&p)->dst, MT_HA);
	ATF_CHECK(pkt_hao(&p) == NULL);
	ATF_CHECK((m->u.bu.flags & (MH_BU_A | MH_BU_H | MH_BU_F)) ==
	    (MH_BU_A | MH_BU_H | MH_BU_F));
	ATF_REQUIRE((o = mh_find_opt(m, MHOPT_V4COA)) != NULL);
	v4_eq(&o->u.v4coa.addr, V4COA);
	ATF_CHECK(mh_find_opt(m, MHOPT_V4HOA) != NULL);
	ctl_has(e, "status", "\"coa4\":\"192.0.2.10/32\"");
	mn_engine_free(e);
}

/* Without home-agent-ipv4 nothing can leave: counted, no packet. */
ATF_TC_WITHOUT_HEAD(v4coa_without_ha4);
ATF_TC_BODY(v4coa_without_ha4, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;

	conf_v4(&c, MND_V4_STATIC, V4HOA, 32, false);
	e = engine_v4(&c);
	move4(e, V4COA, MT_T0);
	ATF_CHECK_EQ(v4.nudp, 0);
	ATF_CHECK_EQ(mt.nsent, 0);
	ctl_has(e, "counters", "\"no_ha4\":1");
	mn_engine_free(e);
}

/* §4.2 (4.2-c [R]): from an IPv4 CoA the BA counts only when it came in
   UDP from the HA's IPv4 address. */
ATF_TC_WITHOUT_HEAD(v4coa_ba_only_from_tunnel);
ATF_TC_BODY(v4coa_ba_only_from_tunnel, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct pkt p;
	uint16_t seq;

	conf_v4(&c, MND_V4_STATIC, V4HOA, 32, true);
	e = engine_v4(&c);
	move4(e, V4COA, MT_T0);
	seq = mt_last_mh(&p, MH_BU)->u.bu.seq;
	feed_ba(e, &(struct ba_spec){ .v4st = 0, .v4addr = V4HOA,
	    .v4plen = 32, .dst = MT_HOA }, seq, MT_T0 + 50);
	mt_state(e, MT_HA, "WAITA", "START");
	feed_ba(e, &(struct ba_spec){ .v4st = 0, .v4addr = V4HOA,
	    .v4plen = 32, .dst = MT_HOA, .udp_src = "192.0.2.99" }, seq,
	    MT_T0 + 60);
	mt_state(e, MT_HA, "WAITA", "START");
	feed_ba(e, UDP_BA(false, false, 0), seq, MT_T0 + 70);
	mt_state(e, MT_HA, "BOUND", "START");
	mn_engine_free(e);
}

static void
check_hoa_v4(uint16_t want_flags)
{
	const struct m6_mn_hoa *r = &mt.hoa[mt.nhoa - 1];
	struct in6_addr coa, ha, wc, wh;

	memcpy(&coa, r->coa.b, 16);
	memcpy(&ha, r->ha.b, 16);
	wc = tu_in6("::ffff:" V4COA);
	wh = tu_in6("::ffff:" HA4);
	ATF_CHECK_EQ(r->flags & (M6H_AWAY | M6H_V4COA | M6H_UDP),
	    want_flags);
	ATF_CHECK(memcmp(&coa, &wc, 16) == 0);
	ATF_CHECK(memcmp(&ha, &wh, 16) == 0);
	ATF_CHECK_EQ(r->udp_sport, htons(4191));
}

/* §3.2.2, §4.2 (4.2-f), §4.3 (4.3-a [R]): NAT detected: UDP, and the BU
   re-sent every Refresh Time as the keepalive. */
ATF_TC_WITHOUT_HEAD(nat_keepalive);
ATF_TC_BODY(nat_keepalive, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	size_t n;

	e = bound_v4coa(&c, UDP_BA(true, false, 30));
	mt_state(e, MT_HA, "BOUND", "START");
	check_hoa_v4(M6H_AWAY | M6H_V4COA | M6H_UDP);
	ctl_has(e, "status", "\"nat\":true,\"udp\":true,\"natd_f\":false,"
	    "\"refresh\":30,\"keepalive_in_ms\":30000");
	n = v4.nudp;
	mt_run(e, MT_T0 + 100 + 29999);
	ATF_CHECK_EQ(v4.nudp, n);
	mt_run(e, MT_T0 + 100 + 30000);
	ATF_REQUIRE_EQ(v4.nudp, n + 1);
	ATF_CHECK_EQ(v4.udp[n].at, MT_T0 + 100 + 30000);
	mt_state(e, MT_HA, "WAITAR", "START");
	/* the answer re-arms it */
	answer(e, UDP_BA(true, false, 30), MT_T0 + 30200);
	mt_run(e, MT_T0 + 30200 + 30000);
	ATF_CHECK_EQ(v4.nudp, n + 2);
	mn_engine_free(e);
}

/* §3.2.2 (3.2.2-d): Refresh Time all ones: no keepalive; no NAT and no
   F: IPv6-in-IPv4, not UDP (§4.2, 4.2-e). */
ATF_TC_WITHOUT_HEAD(no_nat_no_keepalive);
ATF_TC_BODY(no_nat_no_keepalive, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;

	e = bound_v4coa(&c, UDP_BA(true, false, 0xffffffffu));
	check_hoa_v4(M6H_AWAY | M6H_V4COA);
	mt_run(e, MT_T0 + 300000);
	ATF_CHECK_EQ(v4.nudp, 1);
	ctl_has(e, "status", "\"keepalive_in_ms\":-1");
	mn_engine_free(e);
}

/* §3.2.2 (3.2.2-b): F from the HA: UDP even without NAT; Refresh Time
   0: NATKATIMEOUT (110 s). */
ATF_TC_WITHOUT_HEAD(natd_f_default_refresh);
ATF_TC_BODY(natd_f_default_refresh, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;

	e = bound_v4coa(&c, UDP_BA(true, true, 0));
	check_hoa_v4(M6H_AWAY | M6H_V4COA | M6H_UDP);
	mt_run(e, MT_T0 + 100 + 109999);
	ATF_CHECK_EQ(v4.nudp, 1);
	mt_run(e, MT_T0 + 100 + 110000);
	ATF_CHECK_EQ(v4.nudp, 2);
	mn_engine_free(e);
}

/* Back on an IPv6 CoA: a normal BU with HAO, the IPv4 flags cleared. */
ATF_TC_WITHOUT_HEAD(back_to_v6_coa);
ATF_TC_BODY(back_to_v6_coa, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct pkt p;
	uint16_t seq;

	e = bound_v4coa(&c, UDP_BA(true, false, 30));
	mt_move(e, MT_COA, MT_T0 + 1000);
	ATF_CHECK_EQ(v4.nudp, 1);
	mt_last_mh(&p, MH_BU);
	ATF_CHECK(pkt_hao(&p) != NULL);
	ATF_CHECK(mh_find_opt(&p.mh, MHOPT_V4COA) == NULL);
	seq = p.mh.u.bu.seq;
	feed_ba(e, &(struct ba_spec){ .v4st = 0, .v4addr = V4HOA,
	    .v4plen = 32, .dst = MT_COA, .rh2 = true }, seq, MT_T0 + 1100);
	mt_state(e, MT_HA, "BOUND", "START");
	ATF_CHECK_EQ(mt.hoa[mt.nhoa - 1].flags & (M6H_V4COA | M6H_UDP), 0);
	ATF_CHECK((mt.hoa[mt.nhoa - 1].flags & M6H_V4HOA) != 0);
	/* no keepalive from an IPv6 CoA */
	mt_run(e, MT_T0 + 100000);
	ATF_CHECK_EQ(v4.nudp, 1);
	mn_engine_free(e);
}

/* A registration from an IPv4 care-of address restored from mn_hoa
   (restart): the UDP tunnel stays, and the BU is re-sent at once. */
ATF_TC_WITHOUT_HEAD(restore_v4coa);
ATF_TC_BODY(restore_v4coa, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct m6_mn_hoa r;
	struct in6_addr a;
	struct pkt p;

	conf_v4(&c, MND_V4_STATIC, V4HOA, 32, true);
	e = engine_v4(&c);
	memset(&r, 0, sizeof(r));
	r.flags = M6H_AWAY | M6H_V4COA | M6H_UDP | M6H_V4HOA;
	a = tu_in6("::ffff:" V4COA);
	memcpy(r.coa.b, &a, 16);
	a = tu_in6("::ffff:" HA4);
	memcpy(r.ha.b, &a, 16);
	r.coa_ifindex = MT_IF;
	r.seq = 7;
	r.lifetime = 100;
	r.reg_state = 7;	/* BOUND */
	r.sent_ms = MT_T0 - 1000;
	r.expires_ms = MT_T0 + 300000;
	a = tu_in6(MT_HOA);
	mn_engine_restore_hoa(e, &a, &r, MT_T0);
	mt_run(e, MT_T0);
	ATF_REQUIRE_EQ(v4.nudp, 1);
	v4_eq(&v4.udp[0].src, V4COA);
	ATF_CHECK_EQ(mt_last_mh(&p, MH_BU)->u.bu.seq, 8);
	check_hoa_v4(M6H_AWAY | M6H_V4COA | M6H_UDP);
	mn_engine_free(e);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, restore_v4coa);
	ATF_TP_ADD_TC(tp, static_v4hoa);
	ATF_TP_ADD_TC(tp, dynamic_v4hoa);
	ATF_TP_ADD_TC(tp, home_link_v4hoa);
	ATF_TP_ADD_TC(tp, v4ack_failure);
	ATF_TP_ADD_TC(tp, no_v4ack);
	ATF_TP_ADD_TC(tp, v4_prefix);
	ATF_TP_ADD_TC(tp, v4coa_bu_in_udp);
	ATF_TP_ADD_TC(tp, v4coa_without_ha4);
	ATF_TP_ADD_TC(tp, v4coa_ba_only_from_tunnel);
	ATF_TP_ADD_TC(tp, nat_keepalive);
	ATF_TP_ADD_TC(tp, no_nat_no_keepalive);
	ATF_TP_ADD_TC(tp, natd_f_default_refresh);
	ATF_TP_ADD_TC(tp, back_to_v6_coa);
	return atf_no_error();
}
