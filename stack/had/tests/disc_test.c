/*
 * disc_test.c - the home agents list, DHAAD and mobile prefix discovery
 * (ha_disc.c) in virtual time against a fake ha_ops: the list learned
 * from Router Advertisements (preference order, defaults, expiry,
 * lifetime 0 and a missing H flag remove), DHAAD Replies (identifier,
 * order, the NEMO R bit, wrong destinations ignored, more addresses than
 * the message's array), MPA fields with the Type 2 Routing header.
 */
#include <atf-c.h>
#include <stdint.h>
#include <string.h>

#include "hatest.h"
#include "packets/pkt.h"
#include "packets/sbuf.h"
#include "stack/had/ha_disc.h"

#define IFX	2
#define HA	"2001:db8:1::1"
#define ANY64	"2001:db8:1:0:fdff:ffff:ffff:fffe"	/* RFC 2526, /64 */
#define ANY48	"2001:db8:5:ffff:ffff:ffff:ffff:fffe"	/* non-EUI-64 */
#define COA	"2001:db8:2::100"
#define HOA	"2001:db8:1::100"
#define T0	1000000

static struct had_conf conf;

static struct ha_disc *
setup(bool accept_router)
{
	struct ha_iface ifs[2];
	struct in6_addr ha = tu_in6(HA);
	struct ha_disc *d;

	ht_clear();
	memset(&conf, 0, sizeof(conf));
	conf.nprefix = 2;
	conf.prefix[0].pfx.addr = tu_in6("2001:db8:1::");
	conf.prefix[0].pfx.plen = 64;
	conf.prefix[0].valid_lft = 86400;
	conf.prefix[0].preferred_lft = 14400;
	conf.prefix[1].pfx.addr = tu_in6("2001:db8:5::");
	conf.prefix[1].pfx.plen = 48;
	conf.prefix[1].virtual_link = true;
	conf.prefix[1].valid_lft = 3600;
	conf.prefix[1].preferred_lft = 1800;
	conf.ha_addr = ha;
	conf.preference = 10;
	conf.ha_lifetime = 1800;
	conf.accept_router = accept_router;
	memset(ifs, 0, sizeof(ifs));
	ifs[0].ifindex = IFX;
	ifs[0].ll = tu_in6("fe80::1");
	ifs[0].home_link = true;
	ifs[1].ifindex = IFX + 1;	/* an uplink */
	ifs[1].ll = tu_in6("fe80::99");
	d = ha_disc_new(&ht_ops);
	ATF_REQUIRE(d != NULL);
	ha_disc_configure(d, &conf, &ha, T0);
	ha_disc_set_ifaces(d, ifs, 2);
	return d;
}

/*
 * An RA from ll with the H flag (when h), a Home Agent Information option
 * (when hai_life > 0 or force_hai) and one Prefix Information option with
 * the R bit holding addr.
 */
struct ra_spec {
	const char	*ll;
	bool		h;
	uint16_t	router_life;
	bool		hai;
	int16_t		pref;
	uint16_t	hai_life;
	bool		nemo;
	const char	*addr;
	uint8_t		hlim;
};

static void
feed_ra_on(struct ha_disc *d, const struct ra_spec *s, uint64_t now,
    unsigned ifindex)
{
	struct pkt p, in;
	struct icmp6_msg *m = ht_build(&p, s->ll, "ff02::1",
	    s->hlim != 0 ? s->hlim : 255, ICMP6_T_RA, 0);
	struct nd_opt *o;

	m->u.ra.hop_limit = 64;
	m->u.ra.flags = s->h ? ND_RA_H : 0;
	m->u.ra.lifetime = s->router_life;
	if (s->hai) {
		o = icmp6_add_opt(m, NDOPT_HA_INFO);
		o->u.hainfo.flags = s->nemo ? ND_HAI_R : 0;
		o->u.hainfo.preference = s->pref;
		o->u.hainfo.lifetime = s->hai_life;
	}
	if (s->addr != NULL) {
		o = icmp6_add_opt(m, NDOPT_PREFIX);
		o->u.prefix.plen = 64;
		o->u.prefix.flags = ND_PI_L | ND_PI_A | ND_PI_R;
		o->u.prefix.valid = 86400;
		o->u.prefix.preferred = 14400;
		o->u.prefix.prefix = tu_in6(s->addr);
	}
	ht_wire(&p, &in, false);
	ha_disc_ra(d, &in, ifindex, now);
}

static void
feed_ra(struct ha_disc *d, const struct ra_spec *s, uint64_t now)
{
	feed_ra_on(d, s, now, IFX);
}

static void
halist_eq(struct ha_disc *d, uint64_t now, const char *want)
{
	char text[4096];
	struct sbuf sb;
	struct jw jw;

	sbuf_init(&sb, text, sizeof(text));
	jw_init(&jw, &sb);
	ha_disc_ctl_halist(d, now, &jw);
	ATF_CHECK_STREQ(sbuf_str(&sb), want);
}

/* Two other home agents: ::2 preference 20 (NEMO), ::3 without option. */
static void
learn_two(struct ha_disc *d)
{
	const struct ra_spec a = { .ll = "fe80::2", .h = true,
	    .router_life = 1800, .hai = true, .pref = 20, .hai_life = 600,
	    .nemo = true, .addr = "2001:db8:1::2" };
	const struct ra_spec b = { .ll = "fe80::3", .h = true,
	    .router_life = 900, .addr = "2001:db8:1::3" };

	feed_ra(d, &a, T0);
	feed_ra(d, &b, T0);
}

static void
feed_dhaad(struct ha_disc *d, const char *dst, uint16_t id, bool r)
{
	struct pkt p, in;
	struct icmp6_msg *m = ht_build(&p, COA, dst, 64,
	    ICMP6_T_DHAAD_REQUEST, 0);

	m->u.dhaad.id = id;
	m->u.dhaad.flags = r ? ICMP6_DHAAD_R : 0;
	ht_wire(&p, &in, false);
	ha_disc_dhaad(d, &in, T0 + 10);
}

/* Reply i: from us to the CoA, identifier, R flag, the addresses. */
static void
check_reply(size_t i, uint16_t id, bool r, const char *const *addrs,
    size_t n)
{
	const struct hdr_ipv6 *ip;
	struct pkt p;
	size_t k;

	ht_decode(i, &p);
	ip = pkt_inner_ip6(&p);
	ATF_CHECK_EQ(ht.sent[i].oif, 0);
	ht_addr_eq(&ip->src, HA);
	ht_addr_eq(&ip->dst, COA);
	ATF_CHECK_EQ(p.icmp6.type, ICMP6_T_DHAAD_REPLY);
	ATF_CHECK_EQ(p.icmp6.code, 0);
	ATF_CHECK_EQ(p.icmp6.u.dhaad.id, id);
	ATF_CHECK_EQ(p.icmp6.u.dhaad.flags, r ? ICMP6_DHAAD_R : 0);
	ATF_REQUIRE_EQ(p.icmp6.u.dhaad.naddrs, n);
	for (k = 0; k < n; k++)
		ht_addr_eq(&p.icmp6.u.dhaad.addrs[k], addrs[k]);
}

/* ------------------------------------------------------------- HA list */

ATF_TC_WITHOUT_HEAD(halist_from_ras);
ATF_TC_BODY(halist_from_ras, tc)
{
	struct ha_disc *d = setup(true);

	halist_eq(d, T0, "{\"halist\":[{\"addr\":\"2001:db8:1::1\","
	    "\"preference\":10,\"lifetime\":1800,\"remaining\":1800,"
	    "\"router\":true,\"self\":true}]}");
	learn_two(d);
	/* Preference order; ::3 took 0 and the Router Lifetime. */
	halist_eq(d, T0 + 100500, "{\"halist\":["
	    "{\"addr\":\"2001:db8:1::2\",\"preference\":20,\"lifetime\":600,"
	    "\"remaining\":500,\"router\":true,\"self\":false},"
	    "{\"addr\":\"2001:db8:1::1\",\"preference\":10,\"lifetime\":1800,"
	    "\"remaining\":1800,\"router\":true,\"self\":true},"
	    "{\"addr\":\"2001:db8:1::3\",\"preference\":0,\"lifetime\":900,"
	    "\"remaining\":800,\"router\":false,\"self\":false}]}");
	ATF_CHECK_EQ(ht.nsent, 0);
	ha_disc_free(d);
}

ATF_TC_WITHOUT_HEAD(halist_ignores);
ATF_TC_BODY(halist_ignores, tc)
{
	struct ha_disc *d = setup(true);
	const char *only_self = "{\"halist\":[{\"addr\":\"2001:db8:1::1\","
	    "\"preference\":10,\"lifetime\":1800,\"remaining\":1800,"
	    "\"router\":true,\"self\":true}]}";
	struct ra_spec s = { .ll = "fe80::2", .h = true, .router_life = 1800,
	    .addr = "2001:db8:1::2" };

	s.h = false;			/* not a home agent */
	feed_ra(d, &s, T0);
	s.h = true;
	s.hlim = 64;			/* RFC 4861 §6.1.2 */
	feed_ra(d, &s, T0);
	s.hlim = 0;
	s.ll = "2001:db8:1::2";		/* source not link-local */
	feed_ra(d, &s, T0);
	s.ll = "fe80::1";		/* our own RA */
	feed_ra(d, &s, T0);
	s.ll = "fe80::2";
	s.addr = NULL;			/* no global address given */
	feed_ra(d, &s, T0);
	s.addr = HA;			/* our address is our own entry */
	feed_ra(d, &s, T0);
	s.addr = "2001:db8:1::2";	/* heard on a link not the home */
	feed_ra_on(d, &s, T0, IFX + 1);
	halist_eq(d, T0, only_self);
	ha_disc_free(d);
}

ATF_TC_WITHOUT_HEAD(halist_expiry_and_removal);
ATF_TC_BODY(halist_expiry_and_removal, tc)
{
	struct ha_disc *d = setup(true);
	const struct ra_spec zero_hai = { .ll = "fe80::2", .h = true,
	    .router_life = 1800, .hai = true, .pref = 20, .hai_life = 0,
	    .addr = "2001:db8:1::2" };
	const struct ra_spec no_h = { .ll = "fe80::3", .h = false,
	    .router_life = 900 };
	const struct ra_spec zero_rl = { .ll = "fe80::3", .h = true,
	    .router_life = 0, .addr = "2001:db8:1::3" };
	const char *only_self = "{\"halist\":[{\"addr\":\"2001:db8:1::1\","
	    "\"preference\":10,\"lifetime\":1800,\"remaining\":1800,"
	    "\"router\":true,\"self\":true}]}";

	learn_two(d);
	/* ::2 (600 s) expires first, ::3 (900 s) next. */
	ATF_CHECK_EQ(ha_disc_next_timeout(d), T0 + 600000);
	ha_disc_timeout(d, T0 + 599999);
	ha_disc_timeout(d, T0 + 600000);
	ATF_CHECK_EQ(ha_disc_next_timeout(d), T0 + 900000);
	ha_disc_timeout(d, T0 + 900000);
	halist_eq(d, T0 + 900000, only_self);
	ATF_CHECK_EQ(ha_disc_next_timeout(d), UINT64_MAX);
	/* Lifetime 0 in the option removes at once. */
	learn_two(d);
	feed_ra(d, &zero_hai, T0 + 1);
	/* An RA without H removes its sender. */
	feed_ra(d, &no_h, T0 + 1);
	halist_eq(d, T0 + 2, only_self);
	/* Router Lifetime 0 without the option: HA lifetime 0, removed. */
	learn_two(d);
	feed_ra(d, &zero_rl, T0 + 1);
	halist_eq(d, T0 + 2, "{\"halist\":["
	    "{\"addr\":\"2001:db8:1::2\",\"preference\":20,\"lifetime\":600,"
	    "\"remaining\":600,\"router\":true,\"self\":false},"
	    "{\"addr\":\"2001:db8:1::1\",\"preference\":10,\"lifetime\":1800,"
	    "\"remaining\":1800,\"router\":true,\"self\":true}]}");
	/* Reset forgets what was learned. */
	ha_disc_reset(d);
	halist_eq(d, T0 + 2, only_self);
	ha_disc_free(d);
}

/* ---------------------------------------------------------------- DHAAD */

ATF_TC_WITHOUT_HEAD(dhaad_reply);
ATF_TC_BODY(dhaad_reply, tc)
{
	static const char *const want[] = { "2001:db8:1::2", HA,
	    "2001:db8:1::3" };
	struct ha_disc *d = setup(true);

	learn_two(d);
	feed_dhaad(d, ANY64, 0x1234, false);
	ATF_REQUIRE_EQ(ht.nsent, 1);
	check_reply(0, 0x1234, false, want, 3);
	/* Same order every time with seed 0 (stable ties). */
	feed_dhaad(d, ANY64, 0x1235, false);
	check_reply(1, 0x1235, false, want, 3);
	ha_disc_free(d);
}

ATF_TC_WITHOUT_HEAD(dhaad_ties);
ATF_TC_BODY(dhaad_ties, tc)
{
	static const char *const stable[] = { HA, "2001:db8:1::2",
	    "2001:db8:1::3" };
	const struct ra_spec a = { .ll = "fe80::2", .h = true,
	    .router_life = 1800, .hai = true, .pref = 10, .hai_life = 600,
	    .addr = "2001:db8:1::2" };
	const struct ra_spec b = { .ll = "fe80::3", .h = true,
	    .router_life = 1800, .hai = true, .pref = 10, .hai_life = 600,
	    .addr = "2001:db8:1::3" };
	struct ha_disc *d = setup(true);
	bool seen_other = false;
	struct pkt p;
	size_t i;

	feed_ra(d, &a, T0);
	feed_ra(d, &b, T0);
	feed_dhaad(d, ANY64, 1, false);
	check_reply(0, 1, false, stable, 3);
	/* A seed shuffles equal preferences: still all three. */
	ha_disc_set_seed(d, 0x9e3779b9u);
	for (i = 1; i <= 16; i++) {
		feed_dhaad(d, ANY64, (uint16_t)i, false);
		ht_decode(i, &p);
		ATF_REQUIRE_EQ(p.icmp6.u.dhaad.naddrs, 3);
		if (memcmp(&p.icmp6.u.dhaad.addrs[0], &(struct in6_addr){
		    .s6_addr = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 1 } },
		    16) != 0)
			seen_other = true;
	}
	ATF_CHECK_MSG(seen_other, "16 shuffled replies all began with us");
	ha_disc_free(d);
}

ATF_TC_WITHOUT_HEAD(dhaad_r_bit);
ATF_TC_BODY(dhaad_r_bit, tc)
{
	static const char *const with_us[] = { "2001:db8:1::2", HA };
	static const char *const without_us[] = { "2001:db8:1::2" };
	struct ha_disc *d = setup(true);

	/* RFC 3963 §7.2: only HAs that support mobile routers, R set. */
	learn_two(d);
	feed_dhaad(d, ANY64, 7, true);
	check_reply(0, 7, true, with_us, 2);
	ha_disc_free(d);
	d = setup(false);
	learn_two(d);
	feed_dhaad(d, ANY64, 8, true);
	check_reply(0, 8, true, without_us, 1);
	ha_disc_free(d);
}

ATF_TC_WITHOUT_HEAD(dhaad_wrong_destination);
ATF_TC_BODY(dhaad_wrong_destination, tc)
{
	static const char *const us[] = { HA };
	struct ha_disc *d = setup(true);

	feed_dhaad(d, HA, 1, false);			/* unicast */
	feed_dhaad(d, "2001:db8:1::ffff:ffff:ffff:fffe", 2, false);
						/* /64 with the u/l bit set */
	feed_dhaad(d, "2001:db8:7:0:fdff:ffff:ffff:fffe", 3, false);
						/* not a home prefix */
	feed_dhaad(d, "2001:db8:5:0:fdff:ffff:ffff:fffe", 4, false);
						/* /48 is not EUI-64 form */
	ATF_CHECK_EQ(ht.nsent, 0);
	/* The /48 home prefix's own anycast address is answered. */
	feed_dhaad(d, ANY48, 5, false);
	ATF_REQUIRE_EQ(ht.nsent, 1);
	check_reply(0, 5, false, us, 1);
	ha_disc_free(d);
}

ATF_TC_WITHOUT_HEAD(dhaad_many);
ATF_TC_BODY(dhaad_many, tc)
{
	struct ha_disc *d = setup(true);
	struct ra_spec s = { .h = true, .router_life = 1800, .hai = true,
	    .hai_life = 600 };
	char ll[64], addr[64];
	struct in6_addr a40;
	struct pkt p;
	int i;

	/* 64 others, preferences 1..64: 65 addresses, 1048 bytes. */
	for (i = 1; i <= 64; i++) {
		snprintf(ll, sizeof(ll), "fe80::%x", 0x100 + i);
		snprintf(addr, sizeof(addr), "2001:db8:1::%x", 0x100 + i);
		s.ll = ll;
		s.addr = addr;
		s.pref = (int16_t)i;
		feed_ra(d, &s, T0);
	}
	feed_dhaad(d, ANY64, 9, false);
	ATF_REQUIRE_EQ(ht.nsent, 1);
	ATF_CHECK_EQ(ht.sent[0].len, 40 + 8 + 65 * 16);
	ATF_CHECK(ht.sent[0].len <= 1280);
	ht_decode(0, &p);
	/* The array holds 32; the rest follow on the wire in order. */
	ATF_REQUIRE_EQ(p.icmp6.u.dhaad.naddrs, ICMP6_DHAAD_MAX);
	ht_addr_eq(&p.icmp6.u.dhaad.addrs[0], "2001:db8:1::140");
	ht_addr_eq(&p.icmp6.u.dhaad.addrs[31], "2001:db8:1::121");
	/* Address 40 (index 39): preference 25, ::119. */
	memcpy(&a40, &ht.sent[0].bytes[48 + 39 * 16], 16);
	ht_addr_eq(&a40, "2001:db8:1::119");
	/* Ours (preference 10) sits after ::10b (preference 11). */
	memcpy(&a40, &ht.sent[0].bytes[48 + 54 * 16], 16);
	ht_addr_eq(&a40, HA);
	ha_disc_free(d);
}

/* ------------------------------------------------------------- MPS/MPA */

static void
check_mpa(size_t i, uint16_t id)
{
	const struct hdr_ipv6 *ip;
	const struct in6_addr *rh;
	const struct nd_opt *o;
	struct pkt p;

	ht_decode(i, &p);	/* no violation: checksum over the HoA */
	ip = pkt_inner_ip6(&p);
	ATF_CHECK_EQ(ht.sent[i].oif, 0);
	ht_addr_eq(&ip->src, HA);
	ht_addr_eq(&ip->dst, COA);
	rh = pkt_rh2(&p);
	ATF_REQUIRE(rh != NULL);
	ht_addr_eq(rh, HOA);
	ATF_CHECK_EQ(p.icmp6.type, ICMP6_T_MPA);
	ATF_CHECK_EQ(p.icmp6.u.mp.id, id);
	ATF_CHECK_EQ(p.icmp6.u.mp.flags, 0);
	ATF_REQUIRE_EQ(p.icmp6.nopts, 2);
	/* The home link's prefix: L, A and R with our full address. */
	o = &p.icmp6.opts[0];
	ATF_CHECK_EQ(o->type, NDOPT_PREFIX);
	ATF_CHECK_EQ(o->u.prefix.plen, 64);
	ATF_CHECK_EQ(o->u.prefix.flags, ND_PI_L | ND_PI_A | ND_PI_R);
	ATF_CHECK_EQ(o->u.prefix.valid, 86400);
	ATF_CHECK_EQ(o->u.prefix.preferred, 14400);
	ht_addr_eq(&o->u.prefix.prefix, HA);
	/* The virtual home link's: A only, the prefix itself. */
	o = &p.icmp6.opts[1];
	ATF_CHECK_EQ(o->u.prefix.plen, 48);
	ATF_CHECK_EQ(o->u.prefix.flags, ND_PI_A);
	ATF_CHECK_EQ(o->u.prefix.valid, 3600);
	ATF_CHECK_EQ(o->u.prefix.preferred, 1800);
	ht_addr_eq(&o->u.prefix.prefix, "2001:db8:5::");
}

ATF_TC_WITHOUT_HEAD(mpa_solicited);
ATF_TC_BODY(mpa_solicited, tc)
{
	struct ha_disc *d = setup(true);
	struct in6_addr hoa = tu_in6(HOA), coa = tu_in6(COA);
	struct pkt p, in;
	struct icmp6_msg *m;

	pkt_init(&p, PKT_LINK_IPV6);
	pkt_push(&p, HDR_IPV6)->u.ip6.src = coa;
	p.h[0].u.ip6.dst = tu_in6(HA);
	pkt_push_hao(&p, &hoa);
	m = pkt_push_icmp6(&p, ICMP6_T_MPS, 0);
	m->u.mp.id = 0xbeef;
	ht_wire(&p, &in, false);
	ha_disc_mps(d, &in, &hoa, &coa, T0);
	ATF_REQUIRE_EQ(ht.nsent, 1);
	check_mpa(0, 0xbeef);
	ha_disc_free(d);
}

ATF_TC_WITHOUT_HEAD(mpa_unsolicited);
ATF_TC_BODY(mpa_unsolicited, tc)
{
	struct ha_disc *d = setup(true);
	struct in6_addr hoa = tu_in6(HOA), coa = tu_in6(COA);
	struct in6_addr ha = tu_in6(HA);
	struct pkt p0, p1;

	ATF_CHECK(!ha_disc_prefixes_changed(d));
	ha_disc_configure(d, &conf, &ha, T0);	/* same: no change */
	ATF_CHECK(!ha_disc_prefixes_changed(d));
	ha_disc_mpa_unsolicited(d, &hoa, &coa, T0);
	ha_disc_mpa_unsolicited(d, &hoa, &coa, T0);
	ATF_REQUIRE_EQ(ht.nsent, 2);
	check_mpa(0, 1);
	check_mpa(1, 2);
	ht_decode(0, &p0);
	ht_decode(1, &p1);
	ATF_CHECK(p0.icmp6.u.mp.id != p1.icmp6.u.mp.id);
	conf.prefix[1].valid_lft = 7200;
	ha_disc_configure(d, &conf, &ha, T0);
	ATF_CHECK(ha_disc_prefixes_changed(d));
	ha_disc_free(d);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, halist_from_ras);
	ATF_TP_ADD_TC(tp, halist_ignores);
	ATF_TP_ADD_TC(tp, halist_expiry_and_removal);
	ATF_TP_ADD_TC(tp, dhaad_reply);
	ATF_TP_ADD_TC(tp, dhaad_ties);
	ATF_TP_ADD_TC(tp, dhaad_r_bit);
	ATF_TP_ADD_TC(tp, dhaad_wrong_destination);
	ATF_TP_ADD_TC(tp, dhaad_many);
	ATF_TP_ADD_TC(tp, mpa_solicited);
	ATF_TP_ADD_TC(tp, mpa_unsolicited);
	return atf_no_error();
}
