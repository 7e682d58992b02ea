/*
 * engine_test.c - the home agent's protocol engine (ha_engine.c) driven
 * with virtual time and a recording ha_ops: home registration and its
 * Binding Acknowledgement bytes, refresh, de-registration, every
 * rejection status, lifetimes, proxy DAD on a real home link, NEMO,
 * RFC 4285, Binding Errors, Parameter Problems, rate limits, expiry and
 * Binding Refresh Requests, restore, reset and the control JSON.
 */
#include <atf-c.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "packets/cksum.h"
#include "stack/had/tests/engtest.h"

#define AH	(MH_BU_A | MH_BU_H)

/* A first registration on the default (virtual) home link. */
static struct ha_engine *
registered(struct had_conf *c, uint16_t seq, uint16_t lifetime)
{
	struct ha_engine *e = et_engine(c);

	et_bu(ET_COA, ET_HOA, seq, AH, lifetime);
	et_feed(e, ET_T0);
	ATF_REQUIRE_EQ(et.nset, 1);
	return e;
}

ATF_TC_WITHOUT_HEAD(first_registration_virtual_link);
ATF_TC_BODY(first_registration_virtual_link, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	const struct mh_msg *ba;
	const struct hdr_ipv6 *ip;
	const struct m6_bind *r;
	struct pkt p;

	et_conf(&c);
	e = et_engine(&c);
	et_bu(ET_COA, ET_HOA, 100, AH | MH_BU_K, 100);	/* 400 s */
	et_feed(e, ET_T0);

	/* RFC 6275 §10.3.1: BA 0 to the CoA with RH2 = HoA, K clear */
	ATF_REQUIRE_EQ(et.nsent, 1);
	ba = et_ba(&p, 0, BA_ACCEPTED, 100);
	ATF_CHECK_EQ(ba->u.ba.lifetime, 100);
	ATF_CHECK_EQ(ba->u.ba.flags, 0);
	ip = pkt_inner_ip6(&p);
	et_addr_eq(&ip->src, ET_HA);
	et_addr_eq(&ip->dst, ET_COA);
	ATF_REQUIRE(pkt_rh2(&p) != NULL);
	et_addr_eq(pkt_rh2(&p), ET_HOA);
	ATF_CHECK(pkt_hao(&p) == NULL);

	/* the forwarding entry and durable record */
	ATF_REQUIRE_EQ(et.nset, 1);
	r = &et.set[0].rec;
	et_addr_eq(&et.set[0].hoa, ET_HOA);
	et_m6_eq(&r->coa, ET_COA);
	et_m6_eq(&r->ha, ET_HA);
	ATF_CHECK_EQ(r->flags, M6B_ACTIVE);	/* virtual: no proxy */
	ATF_CHECK_EQ(r->home_ifindex, 0);
	ATF_CHECK_EQ(r->seq, 100);
	ATF_CHECK_EQ(r->bu_flags, AH | MH_BU_K);
	ATF_CHECK_EQ(r->lifetime, 100);
	ATF_CHECK_EQ(r->registered_ms, ET_T0);
	ATF_CHECK_EQ(r->refreshed_ms, ET_T0);
	ATF_CHECK_EQ(r->expires_ms, ET_T0 + 400000);
	ATF_CHECK_EQ(r->state, 2);	/* BCE_BOUND */
	ATF_CHECK_EQ(r->nmnp, 0);
	ATF_CHECK_EQ(ha_engine_next_timeout(e), ET_T0 + 400000);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* RFC 6275 §10.3.1: "Regardless of the setting of the A bit". */
ATF_TC_WITHOUT_HEAD(a_clear_still_acknowledged);
ATF_TC_BODY(a_clear_still_acknowledged, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;

	et_conf(&c);
	e = et_engine(&c);
	et_bu(ET_COA, ET_HOA, 7, MH_BU_H, 10);
	et_feed(e, ET_T0);
	ATF_CHECK_EQ(et.nset, 1);
	ATF_CHECK_EQ(et_count_mh(MH_BA), 1);
	et_ba(&p, 0, BA_ACCEPTED, 7);
	ha_engine_free(e);
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(refresh_and_move);
ATF_TC_BODY(refresh_and_move, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	const struct hdr_ipv6 *ip;
	struct pkt p;

	et_conf(&c);
	e = registered(&c, 1, 10);
	et_bu("2001:db8:3::300", ET_HOA, 2, AH, 20);
	et_feed(e, ET_T0 + 5000);
	et_ba(&p, 1, BA_ACCEPTED, 2);
	ATF_CHECK_EQ(p.mh.u.ba.lifetime, 20);
	ip = pkt_inner_ip6(&p);
	et_addr_eq(&ip->dst, "2001:db8:3::300");
	ATF_REQUIRE_EQ(et.nset, 2);
	et_m6_eq(&et.set[1].rec.coa, "2001:db8:3::300");
	ATF_CHECK_EQ(et.set[1].rec.registered_ms, ET_T0);
	ATF_CHECK_EQ(et.set[1].rec.refreshed_ms, ET_T0 + 5000);
	ATF_CHECK_EQ(et.set[1].rec.expires_ms, ET_T0 + 5000 + 80000);
	ATF_CHECK_EQ(ha_engine_next_timeout(e), ET_T0 + 85000);
	ATF_CHECK_EQ(et.ndel, 0);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* The Alternate CoA option names the care-of address (RFC 6275 §6.2.5). */
ATF_TC_WITHOUT_HEAD(alternate_coa);
ATF_TC_BODY(alternate_coa, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct mh_opt *o;
	struct pkt p;

	et_conf(&c);
	e = et_engine(&c);
	et_bu(ET_COA, ET_HOA, 1, AH, 10);
	o = mh_add_opt(&et_in.mh, MHOPT_ACOA);
	o->u.acoa = tu_in6("2001:db8:4::400");
	et_feed(e, ET_T0);
	ATF_REQUIRE_EQ(et.nset, 1);
	et_m6_eq(&et.set[0].rec.coa, "2001:db8:4::400");
	et_ba(&p, 0, BA_ACCEPTED, 1);
	et_addr_eq(&pkt_inner_ip6(&p)->dst, ET_COA);
	ha_engine_free(e);
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(deregistration_lifetime_zero);
ATF_TC_BODY(deregistration_lifetime_zero, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;

	et_conf(&c);
	e = registered(&c, 10, 100);
	et_bu(ET_COA, ET_HOA, 11, AH, 0);
	et_feed(e, ET_T0 + 1000);
	et_ba(&p, 1, BA_ACCEPTED, 11);
	ATF_CHECK_EQ(p.mh.u.ba.lifetime, 0);
	et_addr_eq(pkt_rh2(&p), ET_HOA);
	ATF_REQUIRE_EQ(et.ndel, 1);
	et_addr_eq(&et.del[0], ET_HOA);
	ATF_CHECK_EQ(ha_engine_next_timeout(e), UINT64_MAX);
	/* gone: a second de-registration finds nothing (§10.3.2: 133) */
	et_bu(ET_COA, ET_HOA, 12, AH, 0);
	et_feed(e, ET_T0 + 2000);
	et_ba(&p, 2, BA_NOT_HOME_AGENT, 12);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* Back home: BU from the HoA, no HAO, CoA == HoA; BA without RH2. */
ATF_TC_WITHOUT_HEAD(deregistration_at_home);
ATF_TC_BODY(deregistration_at_home, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;

	et_conf(&c);
	e = registered(&c, 10, 100);
	et_bu(ET_HOA, NULL, 11, AH, 100);
	et_feed(e, ET_T0 + 1000);
	et_ba(&p, 1, BA_ACCEPTED, 11);
	ATF_CHECK_EQ(p.mh.u.ba.lifetime, 0);
	ATF_CHECK(pkt_rh2(&p) == NULL);
	et_addr_eq(&pkt_inner_ip6(&p)->dst, ET_HOA);
	ATF_REQUIRE_EQ(et.ndel, 1);
	ha_engine_free(e);
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(deregistration_without_binding);
ATF_TC_BODY(deregistration_without_binding, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;

	et_conf(&c);
	e = et_engine(&c);
	et_bu(ET_COA, ET_HOA, 5, AH, 0);
	et_feed(e, ET_T0);
	et_ba(&p, 0, BA_NOT_HOME_AGENT, 5);
	ATF_CHECK_EQ(et.nset, 0);
	ATF_CHECK_EQ(et.ndel, 0);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* RFC 6275 §9.5.1: 135 with the last accepted number; modulo 2^16. */
ATF_TC_WITHOUT_HEAD(sequence_window);
ATF_TC_BODY(sequence_window, tc)
{
	static const struct {
		uint16_t	seq;
		uint8_t		status;
		uint16_t	ba_seq;
	} steps[] = {
		{ 65535, BA_SEQ_OUT_OF_WINDOW, 65535 },	/* equal */
		{ 0, BA_ACCEPTED, 0 },			/* wraps */
		{ 65535, BA_SEQ_OUT_OF_WINDOW, 0 },	/* older */
		{ 32768, BA_SEQ_OUT_OF_WINDOW, 0 },	/* 32768 behind */
		{ 32767, BA_ACCEPTED, 32767 },		/* 32767 ahead */
		{ 10, BA_SEQ_OUT_OF_WINDOW, 32767 },
	};
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;
	size_t i;

	et_conf(&c);
	e = registered(&c, 65535, 100);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		et_bu(ET_COA, ET_HOA, steps[i].seq, AH, 100);
		et_feed(e, ET_T0 + 1000 * (i + 1));
		et_ba(&p, i + 1, steps[i].status, steps[i].ba_seq);
	}
	ATF_CHECK_EQ(et.nset, 3);
	ha_engine_free(e);
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(rejections);
ATF_TC_BODY(rejections, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct had_mn *mn;
	struct pkt p;

	et_conf(&c);
	c.max_bindings = 2;
	mn = et_conf_mn(&c, "2001:db8:1::666");
	mn->policy = HAD_DENY;
	e = et_engine(&c);
	/* §10.3.1: 132 off our prefixes */
	et_bu(ET_COA, "2001:db8:9::1", 1, AH, 10);
	et_feed(e, ET_T0);
	et_ba(&p, 0, BA_NOT_HOME_SUBNET, 1);
	et_addr_eq(pkt_rh2(&p), "2001:db8:9::1");
	/* per-HoA deny: 129 */
	et_bu(ET_COA, "2001:db8:1::666", 2, AH, 10);
	et_feed(e, ET_T0);
	et_ba(&p, 1, BA_PROHIBITED, 2);
	/* H clear, no binding: 131 (home agent only, no RO) */
	et_bu(ET_COA, ET_HOA, 3, MH_BU_A, 10);
	et_feed(e, ET_T0);
	et_ba(&p, 2, BA_HOME_REG_UNSUPPORTED, 3);
	/* the limit: 2 bindings, the third is 130 */
	et_bu(ET_COA, "2001:db8:1::a", 4, AH, 10);
	et_feed(e, ET_T0);
	et_bu(ET_COA, "2001:db8:1::b", 5, AH, 10);
	et_feed(e, ET_T0);
	et_bu(ET_COA, "2001:db8:1::c", 6, AH, 10);
	et_feed(e, ET_T0);
	et_ba(&p, 5, BA_NO_RESOURCES, 6);
	ATF_CHECK_EQ(et.nset, 2);
	/* a refresh of an existing one still fits */
	et_bu(ET_COA, "2001:db8:1::a", 7, AH, 10);
	et_feed(e, ET_T0);
	et_ba(&p, 6, BA_ACCEPTED, 7);
	/* §9.5.1: H clear for an existing home binding: 139 */
	et_bu(ET_COA, "2001:db8:1::a", 8, MH_BU_A, 10);
	et_feed(e, ET_T0);
	et_ba(&p, 7, BA_REG_TYPE_CHANGE, 8);
	ha_engine_free(e);
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(default_policy_deny);
ATF_TC_BODY(default_policy_deny, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;

	et_conf(&c);
	c.default_policy = HAD_DENY;
	et_conf_mn(&c, "2001:db8:1::7");
	e = et_engine(&c);
	et_bu(ET_COA, ET_HOA, 1, AH, 10);
	et_feed(e, ET_T0);
	et_ba(&p, 0, BA_PROHIBITED, 1);
	et_bu(ET_COA, "2001:db8:1::7", 2, AH, 10);
	et_feed(e, ET_T0);
	et_ba(&p, 1, BA_ACCEPTED, 2);
	ha_engine_free(e);
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(bind_set_refused);
ATF_TC_BODY(bind_set_refused, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;

	et_conf(&c);
	e = et_engine(&c);
	et.bind_set_rc = -1;
	et_bu(ET_COA, ET_HOA, 1, AH, 10);
	et_feed(e, ET_T0);
	et_ba(&p, 0, BA_NO_RESOURCES, 1);
	ATF_CHECK_EQ(ha_engine_next_timeout(e), UINT64_MAX);
	/* nothing was kept: the next try is a first registration */
	et.bind_set_rc = 0;
	et_bu(ET_COA, ET_HOA, 1, AH, 10);
	et_feed(e, ET_T0);
	et_ba(&p, 1, BA_ACCEPTED, 1);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* §10.3.1: min(asked, max-lifetime, prefix valid lifetime); status 1. */
ATF_TC_WITHOUT_HEAD(lifetime_limits);
ATF_TC_BODY(lifetime_limits, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;

	et_conf(&c);
	c.max_lifetime = 100;			/* 25 units */
	e = et_engine(&c);
	et_bu(ET_COA, ET_HOA, 1, AH, 1000);
	et_feed(e, ET_T0);
	et_ba(&p, 0, BA_ACCEPTED, 1);
	ATF_CHECK_EQ(p.mh.u.ba.lifetime, 25);
	ATF_CHECK_EQ(et.set[0].rec.expires_ms, ET_T0 + 100000);
	ha_engine_free(e);

	et_conf(&c);
	c.prefix[0].valid_lft = 203;		/* 50 units, low bits go */
	c.prefix[0].preferred_lft = 203;
	e = et_engine(&c);
	et_bu(ET_COA, ET_HOA, 1, AH, 1000);
	et_feed(e, ET_T0);
	et_ba(&p, 0, BA_ACCEPTED_PREFIX_DISCOVERY, 1);
	ATF_CHECK_EQ(p.mh.u.ba.lifetime, 50);
	/* shorter than the prefix lifetimes: status 0 */
	et_bu(ET_COA, ET_HOA, 2, AH, 40);
	et_feed(e, ET_T0);
	et_ba(&p, 1, BA_ACCEPTED, 2);
	ATF_CHECK_EQ(p.mh.u.ba.lifetime, 40);
	ha_engine_free(e);

	/* deprecated during the binding: status 1, lifetime as asked */
	et_conf(&c);
	c.prefix[0].valid_lft = 4000;
	c.prefix[0].preferred_lft = 40;		/* 10 units */
	e = et_engine(&c);
	et_bu(ET_COA, ET_HOA, 1, AH, 20);
	et_feed(e, ET_T0);
	et_ba(&p, 0, BA_ACCEPTED_PREFIX_DISCOVERY, 1);
	ATF_CHECK_EQ(p.mh.u.ba.lifetime, 20);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* A real home link: interface 2 with a MAC and link-local. */
static void
real_home_link(struct had_conf *c, struct ha_engine **e)
{
	struct ha_iface ifs[2];

	c->prefix[0].virtual_link = false;
	c->dad_transmits = 1;
	c->retrans_ms = 1000;
	*e = et_engine(c);
	memset(ifs, 0, sizeof(ifs));
	ifs[0].ifindex = 2;
	snprintf(ifs[0].name, sizeof(ifs[0].name), "home0");
	memcpy(ifs[0].mac, "\x02\x00\x00\x00\x00\x01", 6);
	ifs[0].ll = tu_in6("fe80::1");
	ifs[0].home_link = true;
	ifs[0].mtu = 1500;
	ifs[1].ifindex = 3;
	snprintf(ifs[1].name, sizeof(ifs[1].name), "up0");
	ifs[1].ll = tu_in6("fe80::2");
	ifs[1].mtu = 1500;
	ha_engine_set_ifaces(*e, ifs, 2);
}

ATF_TC_WITHOUT_HEAD(dad_before_first_ba);
ATF_TC_BODY(dad_before_first_ba, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;

	et_conf(&c);
	real_home_link(&c, &e);
	et_bu(ET_COA, ET_HOA, 1, AH, 10);
	et_feed(e, ET_T0);
	/* a DAD NS went out; no BA, no binding yet */
	ATF_CHECK_EQ(et_count_mh(MH_BA), 0);
	ATF_CHECK_EQ(et.nset, 0);
	ATF_CHECK(et.nsent >= 1);
	ATF_CHECK(strstr(et_ctl(e, "status", ET_T0, 0),
	    "\"dad_pending\":1") != NULL);
	/* a retransmitted BU during DAD gets no early BA */
	et_bu(ET_COA, ET_HOA, 1, AH, 10);
	et_feed(e, ET_T0 + 500);
	et_run(e, ET_T0 + 999);
	ATF_CHECK_EQ(et_count_mh(MH_BA), 0);
	/* RetransTimer x DupAddrDetectTransmits = 1000 ms later: BA */
	et_run(e, ET_T0 + 1000);
	ATF_REQUIRE_EQ(et_count_mh(MH_BA), 1);
	et_ba(&p, 0, BA_ACCEPTED, 1);
	ATF_REQUIRE_EQ(et.nset, 1);
	ATF_CHECK_EQ(et.set[0].rec.home_ifindex, 2);
	ATF_CHECK_EQ(et.set[0].rec.flags, M6B_ACTIVE | M6B_PROXY);
	ATF_CHECK_EQ(et.set[0].rec.registered_ms, ET_T0 + 1000);
	ATF_CHECK(strstr(et_ctl(e, "status", ET_T0 + 1000, 0),
	    "\"dad_pending\":0") != NULL);
	/* a refresh needs no DAD: BA at once */
	et_bu(ET_COA, ET_HOA, 2, AH, 10);
	et_feed(e, ET_T0 + 2000);
	et_ba(&p, 1, BA_ACCEPTED, 2);
	ha_engine_free(e);
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(dad_conflict_134);
ATF_TC_BODY(dad_conflict_134, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct icmp6_msg *na;
	struct nd_opt *o;
	struct pkt p;

	et_conf(&c);
	real_home_link(&c, &e);
	et_bu(ET_COA, ET_HOA, 9, AH, 10);
	et_feed(e, ET_T0);
	/* someone on the home link answers for the home address */
	et_ip6("fe80::99", "ff02::1", NULL);
	et_in.h[0].u.ip6.hlim = 255;
	na = pkt_push_icmp6(&et_in, ICMP6_T_NA, 0);
	na->u.nsna.flags = ND_NA_O;
	na->u.nsna.target = tu_in6(ET_HOA);
	o = icmp6_add_opt(na, NDOPT_TLLA);
	memcpy(o->u.lladdr, "\x02\x00\x00\x00\x00\x99", 6);
	et_encode();
	et_feed_bytes(e, et_buf, et_len, M6S_ND, 2, ET_T0 + 300);
	ATF_REQUIRE_EQ(et_count_mh(MH_BA), 1);
	et_ba(&p, 0, BA_DAD_FAILED, 9);
	ATF_CHECK_EQ(et.nset, 0);
	et_run(e, ET_T0 + 5000);
	ATF_CHECK_EQ(et_count_mh(MH_BA), 1);
	ATF_CHECK(strstr(et_ctl(e, "bindings", ET_T0 + 5000, 0),
	    "{\"bindings\":[]}") != NULL);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* A mobile router entry: 2001:db8:100::/48 delegated. */
static struct had_mn *
router_mn(struct had_conf *c)
{
	struct had_mn *mn = et_conf_mn(c, ET_HOA);

	mn->router = true;
	mn->nmnp = 1;
	mn->mnp[0].addr = tu_in6("2001:db8:100::");
	mn->mnp[0].plen = 48;
	return mn;
}

static void
add_mnp(const char *prefix, uint8_t plen)
{
	struct mh_opt *o = mh_add_opt(&et_in.mh, MHOPT_MNP);

	o->u.mnp.prefix = tu_in6(prefix);
	o->u.mnp.plen = plen;
}

ATF_TC_WITHOUT_HEAD(nemo_explicit_and_implicit);
ATF_TC_BODY(nemo_explicit_and_implicit, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;

	et_conf(&c);
	router_mn(&c);
	e = et_engine(&c);
	/* explicit mode: a /64 inside the delegated /48 */
	et_bu(ET_COA, ET_HOA, 1, AH | MH_BU_R, 10);
	add_mnp("2001:db8:100:1::", 64);
	et_feed(e, ET_T0);
	et_ba(&p, 0, BA_ACCEPTED, 1);
	ATF_CHECK_EQ(p.mh.u.ba.flags, MH_BA_R);
	ATF_REQUIRE_EQ(et.nmnp_set, 1);
	et_addr_eq(&et.mnp_set[0].p.addr, "2001:db8:100:1::");
	ATF_CHECK_EQ(et.mnp_set[0].p.plen, 64);
	et_addr_eq(&et.mnp_set[0].hoa, ET_HOA);
	ATF_CHECK_EQ(et.set[0].rec.flags, M6B_ACTIVE | M6B_ROUTER);
	ATF_CHECK_EQ(et.set[0].rec.nmnp, 1);
	/* implicit refresh: the configured /48 replaces the /64 */
	et_bu(ET_COA, ET_HOA, 2, AH | MH_BU_R, 10);
	et_feed(e, ET_T0 + 1000);
	et_ba(&p, 1, BA_ACCEPTED, 2);
	ATF_REQUIRE_EQ(et.nmnp_set, 2);
	et_addr_eq(&et.mnp_set[1].p.addr, "2001:db8:100::");
	ATF_CHECK_EQ(et.mnp_set[1].p.plen, 48);
	ATF_REQUIRE_EQ(et.nmnp_del, 1);
	ATF_CHECK_EQ(et.mnp_del[0].plen, 64);
	ATF_CHECK(strstr(et_ctl(e, "bindings", ET_T0 + 1000, 0),
	    "\"router\":true,\"mnp\":[\"2001:db8:100::/48\"]") != NULL);
	/* de-registration removes the prefix */
	et_bu(ET_COA, ET_HOA, 3, AH | MH_BU_R, 0);
	et_feed(e, ET_T0 + 2000);
	et_ba(&p, 2, BA_ACCEPTED, 3);
	ATF_REQUIRE_EQ(et.nmnp_del, 2);
	ATF_CHECK_EQ(et.mnp_del[1].plen, 48);
	ha_engine_free(e);
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(nemo_rejections);
ATF_TC_BODY(nemo_rejections, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct had_mn *mn;
	struct pkt p;
	size_t n = 0;

	et_conf(&c);
	mn = router_mn(&c);
	mn = et_conf_mn(&c, "2001:db8:1::200");	/* a host */
	mn = et_conf_mn(&c, "2001:db8:1::300");	/* router, no prefixes */
	mn->router = true;
	e = et_engine(&c);
	/* RFC 3963 §6.2: not a router here: 140 */
	et_bu(ET_COA, "2001:db8:1::200", 1, AH | MH_BU_R, 10);
	et_feed(e, ET_T0);
	et_ba(&p, n++, BA_MR_NOT_PERMITTED, 1);
	/* invalid prefixes: 141 */
	et_bu(ET_COA, ET_HOA, 2, AH | MH_BU_R, 10);
	add_mnp("fe80::", 64);
	et_feed(e, ET_T0);
	et_ba(&p, n++, BA_INVALID_PREFIX, 2);
	et_bu(ET_COA, ET_HOA, 3, AH | MH_BU_R, 10);
	add_mnp("2001:db8:1::", 64);		/* the home prefix */
	et_feed(e, ET_T0);
	et_ba(&p, n++, BA_INVALID_PREFIX, 3);
	et_bu(ET_COA, ET_HOA, 4, AH | MH_BU_R, 10);
	add_mnp("2001:db8:100::", 0);
	et_feed(e, ET_T0);
	et_ba(&p, n++, BA_INVALID_PREFIX, 4);
	/* not delegated to it: 142 */
	et_bu(ET_COA, ET_HOA, 5, AH | MH_BU_R, 10);
	add_mnp("2001:db8:100:1::", 64);
	add_mnp("2001:db8:200::", 64);
	et_feed(e, ET_T0);
	et_ba(&p, n++, BA_PREFIX_NOT_AUTHORIZED, 5);
	/* a /40 around the /48 is not inside it either */
	et_bu(ET_COA, ET_HOA, 6, AH | MH_BU_R, 10);
	add_mnp("2001:db8:100::", 40);
	et_feed(e, ET_T0);
	et_ba(&p, n++, BA_PREFIX_NOT_AUTHORIZED, 6);
	/* implicit mode with nothing configured: 143 */
	et_bu(ET_COA, "2001:db8:1::300", 7, AH | MH_BU_R, 10);
	et_feed(e, ET_T0);
	et_ba(&p, n++, BA_FORWARDING_SETUP_FAILED, 7);
	ATF_CHECK_EQ(et.nset, 0);
	/* the kernel refusing the prefix route: 143, nothing left */
	et.mnp_set_rc = -1;
	et_bu(ET_COA, ET_HOA, 8, AH | MH_BU_R, 10);
	et_feed(e, ET_T0);
	et_ba(&p, n++, BA_FORWARDING_SETUP_FAILED, 8);
	ATF_CHECK_EQ(et.nset, 1);
	ATF_CHECK_EQ(et.ndel, 1);
	ATF_CHECK_EQ(ha_engine_next_timeout(e), UINT64_MAX);
	ha_engine_free(e);
	had_conf_free(&c);

	/* accept-router off: 140 even for a configured router */
	et_conf(&c);
	router_mn(&c);
	c.accept_router = false;
	e = et_engine(&c);
	et_bu(ET_COA, ET_HOA, 1, AH | MH_BU_R, 10);
	et_feed(e, ET_T0);
	et_ba(&p, 0, BA_MR_NOT_PERMITTED, 1);
	ha_engine_free(e);
	had_conf_free(&c);
}

#define KEY	"0123456789abcdef0123"
#define NAI	"mn0@example.net"

static struct had_conf *
auth_conf(struct had_conf *c)
{
	struct had_mn *mn;

	et_conf(c);
	c->auth = HAD_AUTH_RFC4285;
	mn = et_conf_mn(c, ET_HOA);
	mn->spi = 0x1234;
	mn->keylen = strlen(KEY);
	memcpy(mn->key, KEY, mn->keylen);
	mn->idlen = strlen(NAI);
	memcpy(mn->id, NAI, mn->idlen);
	return c;
}

ATF_TC_WITHOUT_HEAD(rfc4285_valid);
ATF_TC_BODY(rfc4285_valid, tc)
{
	struct in6_addr coa = tu_in6(ET_COA), hoa = tu_in6(ET_HOA);
	struct had_conf c;
	struct ha_engine *e;
	const struct mh_opt *auth, *id;
	const struct hdr *mh;
	uint8_t want[AUTH4285_LEN];
	long i;
	struct pkt p;

	e = et_engine(auth_conf(&c));
	et_bu(ET_COA, ET_HOA, 1, AH, 10);
	et_sign_bu(NAI, 0x1234, KEY, ET_COA, ET_HOA);
	et_feed(e, ET_T0);
	et_ba(&p, 0, BA_ACCEPTED, 1);
	ATF_CHECK_EQ(et.set[0].rec.spi, 0x1234);
	/* the BA is signed too: MN-ID, then the MN-HA option, last */
	id = mh_find_opt(&p.mh, MHOPT_MNID);
	ATF_REQUIRE(id != NULL);
	ATF_CHECK_EQ(id->var_len, strlen(NAI));
	ATF_CHECK(memcmp(id->var, NAI, strlen(NAI)) == 0);
	auth = mh_find_opt(&p.mh, MHOPT_AUTH);
	ATF_REQUIRE(auth != NULL);
	ATF_CHECK_EQ(auth->u.auth.spi, 0x1234);
	ATF_CHECK_EQ(auth->u.auth.subtype, MHOPT_AUTH_MN_HA);
	ATF_REQUIRE_EQ(auth->var_len, AUTH4285_LEN);
	i = et_find_mh(MH_BA, 0);
	mh = pkt_find_last(&p, HDR_MH);
	ATF_REQUIRE_EQ(auth4285_compute((const uint8_t *)KEY, strlen(KEY),
	    &coa, &hoa, et.sent[i].bytes + mh->off,
	    (size_t)auth->off + 7, want), 0);
	ATF_CHECK(memcmp(want, auth->var, AUTH4285_LEN) == 0);
	ATF_CHECK(strstr(et_ctl(e, "status", ET_T0, 0),
	    "\"auth\":\"rfc4285\"") != NULL);
	ha_engine_free(e);
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(rfc4285_invalid);
ATF_TC_BODY(rfc4285_invalid, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;

	e = et_engine(auth_conf(&c));
	/* a flipped authenticator bit */
	et_bu(ET_COA, ET_HOA, 1, AH, 10);
	et_sign_bu(NAI, 0x1234, KEY, ET_COA, ET_HOA);
	et_in.mh.opts[et_in.mh.nopts - 1].var[3] ^= 0x10;
	et_feed(e, ET_T0);
	et_ba(&p, 0, BA_AUTH_FAILED, 1);
	ATF_CHECK(mh_find_opt(&p.mh, MHOPT_AUTH) == NULL);
	/* the wrong key */
	et_bu(ET_COA, ET_HOA, 2, AH, 10);
	et_sign_bu(NAI, 0x1234, "not the key", ET_COA, ET_HOA);
	et_feed(e, ET_T0);
	et_ba(&p, 1, BA_AUTH_FAILED, 2);
	/* the wrong SPI */
	et_bu(ET_COA, ET_HOA, 3, AH, 10);
	et_sign_bu(NAI, 0x9999, KEY, ET_COA, ET_HOA);
	et_feed(e, ET_T0);
	et_ba(&p, 2, BA_AUTH_FAILED, 3);
	/* another identity */
	et_bu(ET_COA, ET_HOA, 4, AH, 10);
	et_sign_bu("mallory@example.net", 0x1234, KEY, ET_COA, ET_HOA);
	et_feed(e, ET_T0);
	et_ba(&p, 3, BA_AUTH_FAILED, 4);
	/* no options at all */
	et_bu(ET_COA, ET_HOA, 5, AH, 10);
	et_feed(e, ET_T0);
	et_ba(&p, 4, BA_AUTH_FAILED, 5);
	ATF_CHECK_EQ(et.nset, 0);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* RFC 6275 §9.2: unknown MH type -> BE status 2 to the source. */
ATF_TC_WITHOUT_HEAD(unknown_mh_type_be2);
ATF_TC_BODY(unknown_mh_type_be2, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct mh_msg *m;
	struct pkt p;
	long i;

	et_conf(&c);
	e = et_engine(&c);
	et_ip6(ET_COA, ET_HA, NULL);
	m = pkt_push_mh(&et_in, 42);
	m->body_len = 2;
	et_feed(e, ET_T0);
	i = et_find_mh(MH_BE, 0);
	ATF_REQUIRE(i >= 0);
	et_decode((size_t)i, &p);
	ATF_CHECK_EQ(p.mh.u.be.status, BE_UNKNOWN_MH_TYPE);
	et_addr_eq(&p.mh.u.be.hoa, "::");
	et_addr_eq(&pkt_inner_ip6(&p)->src, ET_HA);
	et_addr_eq(&pkt_inner_ip6(&p)->dst, ET_COA);
	ATF_CHECK(pkt_rh2(&p) == NULL);
	ATF_CHECK(strstr(et_ctl(e, "counters", ET_T0, 0),
	    "\"unknown_mh\":1") != NULL);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* RFC 6275 §9.3.1: HAO without a binding for (HoA, source) -> BE 1. */
ATF_TC_WITHOUT_HEAD(hao_without_binding_be1);
ATF_TC_BODY(hao_without_binding_be1, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct icmp6_msg *m;
	struct pkt p;
	long i;

	et_conf(&c);
	e = et_engine(&c);
	et_ip6(ET_COA, ET_HA, ET_HOA);
	m = pkt_push_icmp6(&et_in, ICMP6_T_ECHO_REQUEST, 0);
	m->u.echo.id = 1;
	et_feed(e, ET_T0);
	i = et_find_mh(MH_BE, 0);
	ATF_REQUIRE(i >= 0);
	et_decode((size_t)i, &p);
	ATF_CHECK_EQ(p.mh.u.be.status, BE_UNKNOWN_HAO);
	et_addr_eq(&p.mh.u.be.hoa, ET_HOA);
	et_addr_eq(&pkt_inner_ip6(&p)->dst, ET_COA);
	ATF_CHECK_EQ(et.nsent, 1);
	/* with the binding in place, the same packet gets no BE */
	et_bu(ET_COA, ET_HOA, 1, AH, 10);
	et_feed(e, ET_T0);
	et_ip6(ET_COA, ET_HA, ET_HOA);
	m = pkt_push_icmp6(&et_in, ICMP6_T_ECHO_REQUEST, 0);
	et_feed(e, ET_T0);
	ATF_CHECK_EQ(et_count_mh(MH_BE), 1);
	/* but from another CoA it does */
	et_ip6("2001:db8:5::5", ET_HA, ET_HOA);
	m = pkt_push_icmp6(&et_in, ICMP6_T_ECHO_REQUEST, 0);
	et_feed(e, ET_T0);
	ATF_CHECK_EQ(et_count_mh(MH_BE), 2);
	ATF_CHECK(strstr(et_ctl(e, "counters", ET_T0, 0),
	    "\"be_status\":{\"1\":2,\"2\":0}") != NULL);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* RFC 6275 §9.2: Payload Proto != 59 -> Parameter Problem at it. */
ATF_TC_WITHOUT_HEAD(payload_proto_param_problem);
ATF_TC_BODY(payload_proto_param_problem, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;

	et_conf(&c);
	e = et_engine(&c);
	et_bu(ET_COA, ET_HOA, 1, AH, 10);
	et_in.mh.payload_proto = 6;
	et_feed(e, ET_T0);
	ATF_REQUIRE_EQ(et.nsent, 1);
	et_decode(0, &p);
	ATF_REQUIRE(p.has_icmp6);
	ATF_CHECK_EQ(p.icmp6.type, ICMP6_T_PARAM_PROB);
	ATF_CHECK_EQ(p.icmp6.code, 0);
	/* IPv6 40 + Destination Options (HAO) 24: the MH starts at 64 */
	ATF_CHECK_EQ(p.icmp6.u.pointer, 64);
	ATF_CHECK_EQ(p.icmp6.body_len, et_len);
	ATF_CHECK(memcmp(p.icmp6.body, et_buf, et_len) == 0);
	et_addr_eq(&pkt_inner_ip6(&p)->dst, ET_COA);
	ATF_CHECK_EQ(et.nset, 0);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* A BU whose Header Len (0) is below the minimum (1): pointer at it. */
ATF_TC_WITHOUT_HEAD(header_len_param_problem);
ATF_TC_BODY(header_len_param_problem, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct in6_addr src = tu_in6(ET_COA), dst = tu_in6(ET_HA);
	uint16_t ck;
	struct pkt p;

	et_conf(&c);
	e = et_engine(&c);
	et_bu(ET_COA, NULL, 1, AH, 10);
	et_encode();
	/* cut the MH to 8 octets, fix the lengths and the checksum */
	et_len = 48;
	et_buf[5] = 8;		/* payload length */
	et_buf[41] = 0;		/* Header Len */
	ck = cksum_upper6(&src, &dst, 135, et_buf + 40, 8, 4);
	et_buf[44] = (uint8_t)(ck >> 8);
	et_buf[45] = (uint8_t)ck;
	et_feed_bytes(e, et_buf, et_len, M6S_MH, 2, ET_T0);
	ATF_REQUIRE_EQ(et.nsent, 1);
	et_decode(0, &p);
	ATF_REQUIRE(p.has_icmp6);
	ATF_CHECK_EQ(p.icmp6.type, ICMP6_T_PARAM_PROB);
	ATF_CHECK_EQ(p.icmp6.u.pointer, 41);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* RFC 6275 §9.2: a bad checksum is dropped silently (and counted). */
ATF_TC_WITHOUT_HEAD(bad_checksum_silent);
ATF_TC_BODY(bad_checksum_silent, tc)
{
	struct had_conf c;
	struct ha_engine *e;

	et_conf(&c);
	e = et_engine(&c);
	et_bu(ET_COA, ET_HOA, 1, AH, 10);
	et_encode();
	et_buf[64 + 4] ^= 0x01;
	et_feed_bytes(e, et_buf, et_len, M6S_MH, 2, ET_T0);
	ATF_CHECK_EQ(et.nsent, 0);
	ATF_CHECK_EQ(et.nset, 0);
	ATF_CHECK(strstr(et_ctl(e, "counters", ET_T0, 0),
	    "\"checksum\":1") != NULL);
	/* and garbage is not fatal */
	et_feed_bytes(e, et_buf, 30, M6S_MH, 2, ET_T0);
	et_feed_bytes(e, et_buf, 0, M6S_MH, 2, ET_T0);
	ATF_CHECK_EQ(et.nsent, 0);
	ATF_CHECK(strstr(et_ctl(e, "counters", ET_T0, 0),
	    "\"malformed\":2") != NULL);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* conf.rate_be Binding Errors a second, no more. */
ATF_TC_WITHOUT_HEAD(be_rate_limit);
ATF_TC_BODY(be_rate_limit, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	size_t i;

	et_conf(&c);
	c.rate_be = 3;
	e = et_engine(&c);
	for (i = 0; i < 10; i++) {
		et_ip6(ET_COA, ET_HA, NULL);
		pkt_push_mh(&et_in, 200);
		et_feed(e, ET_T0 + i);
	}
	ATF_CHECK_EQ(et_count_mh(MH_BE), 3);
	/* half a second refills 1.5 tokens: one more */
	for (i = 0; i < 5; i++) {
		et_ip6(ET_COA, ET_HA, NULL);
		pkt_push_mh(&et_in, 200);
		et_feed(e, ET_T0 + 500);
	}
	ATF_CHECK_EQ(et_count_mh(MH_BE), 4);
	/* after a quiet second, a full burst of 3 again */
	for (i = 0; i < 5; i++) {
		et_ip6(ET_COA, ET_HA, NULL);
		pkt_push_mh(&et_in, 200);
		et_feed(e, ET_T0 + 2000);
	}
	ATF_CHECK_EQ(et_count_mh(MH_BE), 7);
	ATF_CHECK(strstr(et_ctl(e, "counters", ET_T0, 0),
	    "\"rate_limited\":13") != NULL);
	ha_engine_free(e);
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(expiry_removes);
ATF_TC_BODY(expiry_removes, tc)
{
	struct had_conf c;
	struct ha_engine *e;

	et_conf(&c);
	e = registered(&c, 1, 5);	/* 20 s */
	ATF_CHECK_EQ(ha_engine_next_timeout(e), ET_T0 + 20000);
	et_run(e, ET_T0 + 19999);
	ATF_CHECK_EQ(et.ndel, 0);
	et_run(e, ET_T0 + 20000);
	ATF_REQUIRE_EQ(et.ndel, 1);
	et_addr_eq(&et.del[0], ET_HOA);
	ATF_CHECK_EQ(ha_engine_next_timeout(e), UINT64_MAX);
	ATF_CHECK(strstr(et_ctl(e, "status", ET_T0 + 20000, 0),
	    "\"bindings\":0") != NULL);
	ha_engine_free(e);
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(brr_before_expiry);
ATF_TC_BODY(brr_before_expiry, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;
	long i;

	et_conf(&c);
	c.brr_lead = 8;
	e = registered(&c, 1, 10);	/* 40 s: BRR at 32 s */
	ATF_CHECK_EQ(ha_engine_next_timeout(e), ET_T0 + 32000);
	et_run(e, ET_T0 + 31999);
	ATF_CHECK_EQ(et_count_mh(MH_BRR), 0);
	et_run(e, ET_T0 + 32000);
	ATF_REQUIRE_EQ(et_count_mh(MH_BRR), 1);
	i = et_find_mh(MH_BRR, 0);
	/* through the tunnel to the HoA: no RH2 on an MH (RFC 6275 §6.1) */
	et_decode((size_t)i, &p);
	ATF_REQUIRE_EQ(p.nhdr, 3);
	ATF_CHECK_EQ(p.h[0].kind, HDR_IPV6);
	et_addr_eq(&p.h[0].u.ip6.src, ET_HA);
	et_addr_eq(&p.h[0].u.ip6.dst, ET_COA);
	ATF_CHECK_EQ(p.h[1].kind, HDR_IPV6);
	et_addr_eq(&p.h[1].u.ip6.src, ET_HA);
	et_addr_eq(&p.h[1].u.ip6.dst, ET_HOA);
	ATF_CHECK(pkt_rh2(&p) == NULL);
	ATF_CHECK_EQ(ha_engine_next_timeout(e), ET_T0 + 40000);
	/* one per lifetime; a refresh re-arms it */
	et_bu(ET_COA, ET_HOA, 2, AH, 10);
	et_feed(e, ET_T0 + 35000);
	ATF_CHECK_EQ(ha_engine_next_timeout(e), ET_T0 + 35000 + 32000);
	et_run(e, ET_T0 + 35000 + 32000);
	ATF_CHECK_EQ(et_count_mh(MH_BRR), 2);
	ATF_CHECK(strstr(et_ctl(e, "counters", ET_T0, 0),
	    "\"BRR\":2") != NULL);
	ha_engine_free(e);
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(restore_rearms);
ATF_TC_BODY(restore_rearms, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct m6_bind rec;
	struct had_prefix mnp;
	struct pkt p;
	struct in6_addr hoa = tu_in6(ET_HOA), old = tu_in6("2001:db8:1::9");

	et_conf(&c);
	e = registered(&c, 500, 100);
	rec = et.set[0].rec;
	ha_engine_free(e);

	/* a new engine later: the saved record comes back */
	e = et_engine(&c);
	ha_engine_restore(e, &hoa, &rec, ET_T0 + 100000);
	mnp.addr = tu_in6("2001:db8:100::");
	mnp.plen = 48;
	ha_engine_restore_mnp(e, &mnp, &hoa);
	/* past its expiry: removed through ops */
	rec.expires_ms = ET_T0 + 50000;
	ha_engine_restore(e, &old, &rec, ET_T0 + 100000);
	ATF_REQUIRE_EQ(et.ndel, 1);
	et_addr_eq(&et.del[0], "2001:db8:1::9");
	ATF_CHECK_EQ(et.nsent, 0);
	/* a prefix of no binding: removed */
	ha_engine_restore_mnp(e, &mnp, &old);
	ATF_CHECK_EQ(et.nmnp_del, 1);
	/* the sequence check resumes where it stopped */
	et_bu(ET_COA, ET_HOA, 500, AH, 100);
	et_feed(e, ET_T0 + 100000);
	et_ba(&p, 0, BA_SEQ_OUT_OF_WINDOW, 500);
	/* and expiry fires at the saved time */
	ATF_CHECK_EQ(ha_engine_next_timeout(e), ET_T0 + 400000);
	et_run(e, ET_T0 + 400000);
	ATF_REQUIRE_EQ(et.ndel, 2);
	et_addr_eq(&et.del[1], ET_HOA);
	ATF_REQUIRE_EQ(et.nmnp_del, 2);
	ATF_CHECK_EQ(et.nmnp_del, 2);
	ha_engine_free(e);
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(reset_clears);
ATF_TC_BODY(reset_clears, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;

	et_conf(&c);
	e = registered(&c, 1, 100);
	et_bu(ET_COA, "2001:db8:1::2", 1, AH, 100);
	et_feed(e, ET_T0);
	ha_engine_reset(e, ET_T0 + 10);
	ATF_CHECK_EQ(et.ndel, 2);
	ATF_CHECK_EQ(ha_engine_next_timeout(e), UINT64_MAX);
	ATF_CHECK(strstr(et_ctl(e, "counters", ET_T0 + 10, 0),
	    "\"rx\":{\"BU\":0,") != NULL);
	ATF_CHECK(strstr(et_ctl(e, "counters", ET_T0 + 10, 0),
	    "\"ba_status\":{}") != NULL);
	/* any sequence number is a first registration again */
	et_bu(ET_COA, ET_HOA, 0, AH, 100);
	et_feed(e, ET_T0 + 20);
	et_ba(&p, 2, BA_ACCEPTED, 0);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* Reconfiguration removes the bindings the new policy forbids. */
ATF_TC_WITHOUT_HEAD(reconf_removes_denied);
ATF_TC_BODY(reconf_removes_denied, tc)
{
	struct had_conf c;
	struct ha_engine *e;

	et_conf(&c);
	e = registered(&c, 1, 100);
	et_bu(ET_COA, "2001:db8:1::2", 1, AH, 100);
	et_feed(e, ET_T0);
	c.default_policy = HAD_DENY;
	et_conf_mn(&c, "2001:db8:1::2");
	ATF_REQUIRE_EQ(ha_engine_reconf(e, &c), 0);
	ATF_REQUIRE_EQ(et.ndel, 1);
	et_addr_eq(&et.del[0], ET_HOA);
	ATF_CHECK(strstr(et_ctl(e, "status", ET_T0, 0),
	    "\"bindings\":1") != NULL);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* RFC 6275 §10.6.2: a change of the home prefixes reaches every bound
   mobile node as an unsolicited MPA (to the CoA, RH2 with the HoA). */
ATF_TC_WITHOUT_HEAD(reconf_prefix_change_sends_mpa);
ATF_TC_BODY(reconf_prefix_change_sends_mpa, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct pkt p;
	size_t i, before, nmpa = 0;

	et_conf(&c);
	e = registered(&c, 1, 100);
	before = et.nsent;
	/* the same configuration again: nothing to tell */
	ATF_REQUIRE_EQ(ha_engine_reconf(e, &c), 0);
	ATF_CHECK_EQ(et.nsent, before);
	c.prefix[0].preferred_lft /= 2;
	ATF_REQUIRE_EQ(ha_engine_reconf(e, &c), 0);
	for (i = before; i < et.nsent; i++) {
		et_decode(i, &p);
		if (!p.has_icmp6 || p.icmp6.type != ICMP6_T_MPA)
			continue;
		nmpa++;
		et_addr_eq(&pkt_find(&p, HDR_IPV6)->u.ip6.dst, ET_COA);
		ATF_REQUIRE(pkt_rh2(&p) != NULL);
		et_addr_eq(pkt_rh2(&p), ET_HOA);
	}
	ATF_CHECK_EQ(nmpa, 1);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* RFC 2473 §7: PTB with the tunnel MTU less 40 to the inner source. */
ATF_TC_WITHOUT_HEAD(packet_too_big);
ATF_TC_BODY(packet_too_big, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct m6_sig sig;
	struct ha_input in;
	struct pkt p;

	et_conf(&c);
	e = et_engine(&c);
	et_ip6("2001:db8:7::7", ET_HOA, NULL);
	pkt_push_icmp6(&et_in, ICMP6_T_ECHO_REQUEST, 0)->body_len = 1200;
	et_encode();
	memset(&sig, 0, sizeof(sig));
	sig.reason = M6S_PTB;
	sig.caplen = (uint32_t)et_len;
	sig.wirelen = (uint32_t)et_len;
	sig.mtu = 1360;		/* path MTU 1400 less the tunnel header */
	in.sig = &sig;
	in.data = et_buf;
	ha_engine_input(e, &in, ET_T0);
	ATF_REQUIRE_EQ(et.nsent, 1);
	et_decode(0, &p);
	ATF_REQUIRE(p.has_icmp6);
	ATF_CHECK_EQ(p.icmp6.type, ICMP6_T_PKT_TOO_BIG);
	ATF_CHECK_EQ(p.icmp6.u.mtu, 1360);
	et_addr_eq(&pkt_inner_ip6(&p)->src, ET_HA);
	et_addr_eq(&pkt_inner_ip6(&p)->dst, "2001:db8:7::7");
	ATF_CHECK_EQ(p.icmp6.body_len, 1232);	/* fits 1280 */
	ha_engine_free(e);
	had_conf_free(&c);
}

/* RFC 4443 §3.3: hop limit exhausted on the way to a mobile node or its
   network: Time Exceeded, code 0, quoting the packet, to the sender. */
ATF_TC_WITHOUT_HEAD(hop_limit_time_exceeded);
ATF_TC_BODY(hop_limit_time_exceeded, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct m6_sig sig;
	struct ha_input in;
	struct pkt p;

	et_conf(&c);
	e = et_engine(&c);
	et_ip6("2001:db8:7::7", "2001:db8:100::10", NULL);
	pkt_push_icmp6(&et_in, ICMP6_T_ECHO_REQUEST, 0)->body_len = 16;
	et_encode();
	memset(&sig, 0, sizeof(sig));
	sig.reason = M6S_HLIM;
	sig.caplen = (uint32_t)et_len;
	sig.wirelen = (uint32_t)et_len;
	in.sig = &sig;
	in.data = et_buf;
	ha_engine_input(e, &in, ET_T0);
	ATF_REQUIRE_EQ(et.nsent, 1);
	et_decode(0, &p);
	ATF_REQUIRE(p.has_icmp6);
	ATF_CHECK_EQ(p.icmp6.type, ICMP6_T_TIME_EXCEEDED);
	ATF_CHECK_EQ(p.icmp6.code, 0);
	et_addr_eq(&pkt_inner_ip6(&p)->src, ET_HA);
	et_addr_eq(&pkt_inner_ip6(&p)->dst, "2001:db8:7::7");
	ATF_CHECK_EQ(p.icmp6.body_len, et_len);
	ATF_CHECK(memcmp(p.icmp6.body, et_buf, et_len) == 0);
	ATF_CHECK(strstr(et_ctl(e, "counters", ET_T0, 0),
	    "\"time_exceeded\":1") != NULL);
	ha_engine_free(e);
	had_conf_free(&c);
}

static json_object *
parse_json(const char *text)
{
	json_object *o = json_tokener_parse(text);

	ATF_REQUIRE_MSG(o != NULL, "not JSON: %s", text);
	return o;
}

static json_object *
get(json_object *o, const char *key)
{
	json_object *v;

	ATF_REQUIRE_MSG(json_object_object_get_ex(o, key, &v), "no \"%s\" in "
	    "%s", key, json_object_to_json_string(o));
	return v;
}

ATF_TC_WITHOUT_HEAD(ctl_json_shapes);
ATF_TC_BODY(ctl_json_shapes, tc)
{
	static const char *const rx[] = { "BU", "unknown_mh",
	    "hao_no_binding", "NS", "NA", "RA", "DHAAD", "MPS", "PTB" };
	static const char *const tx[] = { "BA", "BE", "BRR", "NA", "NS",
	    "DHAAD", "MPA", "param_prob", "PTB" };
	static const char *const drops[] = { "malformed", "checksum",
	    "rate_limited", "not_for_us" };
	struct had_conf c;
	struct ha_engine *e;
	json_object *o, *b, *a;
	size_t i;

	et_conf(&c);
	e = registered(&c, 42, 100);
	et_bu(ET_COA, ET_HOA, 42, AH | MH_BU_L, 100);	/* 135 */
	et_feed(e, ET_T0);

	o = parse_json(et_ctl(e, "bindings", ET_T0 + 10500, 0));
	a = get(o, "bindings");
	ATF_REQUIRE_EQ(json_object_array_length(a), 1);
	b = json_object_array_get_idx(a, 0);
	ATF_CHECK_STREQ(json_object_get_string(get(b, "hoa")), ET_HOA);
	ATF_CHECK_STREQ(json_object_get_string(get(b, "coa")), ET_COA);
	ATF_CHECK_EQ(json_object_get_int(get(b, "seq")), 42);
	ATF_CHECK_EQ(json_object_get_int(get(b, "lifetime")), 400);
	ATF_CHECK_EQ(json_object_get_int(get(b, "remaining")), 389);
	ATF_CHECK_STREQ(json_object_get_string(get(b, "flags")), "A H");
	ATF_CHECK_STREQ(json_object_get_string(get(b, "state")), "bound");
	ATF_CHECK(!json_object_get_boolean(get(b, "router")));
	ATF_CHECK_EQ(json_object_array_length(get(b, "mnp")), 0);
	ATF_CHECK_EQ(json_object_get_int(get(b, "home_ifindex")), 0);
	json_object_put(o);

	o = parse_json(et_ctl(e, "counters", ET_T0, 0));
	for (i = 0; i < sizeof(rx) / sizeof(rx[0]); i++)
		get(get(o, "rx"), rx[i]);
	for (i = 0; i < sizeof(tx) / sizeof(tx[0]); i++)
		get(get(o, "tx"), tx[i]);
	for (i = 0; i < sizeof(drops) / sizeof(drops[0]); i++)
		get(get(o, "drops"), drops[i]);
	ATF_CHECK_EQ(json_object_get_int(get(get(o, "rx"), "BU")), 2);
	ATF_CHECK_EQ(json_object_get_int(get(get(o, "tx"), "BA")), 2);
	ATF_CHECK_EQ(json_object_get_int(get(get(o, "ba_status"), "0")), 1);
	ATF_CHECK_EQ(json_object_get_int(get(get(o, "ba_status"), "135")), 1);
	get(get(o, "be_status"), "1");
	get(get(o, "be_status"), "2");
	json_object_put(o);

	o = parse_json(et_ctl(e, "status", ET_T0, 0));
	ATF_CHECK_EQ(json_object_get_int(get(o, "bindings")), 1);
	ATF_CHECK_EQ(json_object_get_int(get(o, "max_bindings")), 100);
	ATF_CHECK_STREQ(json_object_get_string(get(o, "ha_addr")), ET_HA);
	ATF_CHECK_STREQ(json_object_get_string(get(o, "auth")), "none");
	ATF_CHECK_EQ(json_object_get_int(get(o, "dad_pending")), 0);
	json_object_put(o);

	o = parse_json(et_ctl(e, "halist", ET_T0, 0));
	get(o, "halist");
	json_object_put(o);

	ATF_CHECK_STREQ(et_ctl(e, "bindings delete 2001:db8:1::5", ET_T0, -1),
	    "{\"error\":\"no binding for 2001:db8:1::5\"}");
	ATF_CHECK_STREQ(et_ctl(e, "bindings delete " ET_HOA, ET_T0, 0),
	    "{\"deleted\":\"" ET_HOA "\"}");
	ATF_CHECK_EQ(et.ndel, 1);
	ATF_CHECK_STREQ(et_ctl(e, "bindings", ET_T0, 0), "{\"bindings\":[]}");
	ATF_CHECK_STREQ(et_ctl(e, "frobnicate", ET_T0, -1),
	    "{\"error\":\"unknown request 'frobnicate'\"}");
	ha_engine_free(e);
	had_conf_free(&c);
}

/* DHAAD goes to ha_disc; an MPS too, only from a bound MN (§10.6.2). */
ATF_TC_WITHOUT_HEAD(dispatch_dhaad_and_mps);
ATF_TC_BODY(dispatch_dhaad_and_mps, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	json_object *o;
	struct pkt p;
	size_t before;

	et_conf(&c);
	e = registered(&c, 1, 100);
	/* RFC 2526 anycast of 2001:db8:1::/64 */
	et_ip6(ET_COA, "2001:db8:1::fdff:ffff:ffff:fffe", NULL);
	pkt_push_icmp6(&et_in, ICMP6_T_DHAAD_REQUEST, 0)->u.dhaad.id = 77;
	et_feed(e, ET_T0);
	ATF_REQUIRE_EQ(et.nsent, 2);
	et_decode(1, &p);
	ATF_REQUIRE(p.has_icmp6);
	ATF_CHECK_EQ(p.icmp6.type, ICMP6_T_DHAAD_REPLY);
	ATF_CHECK_EQ(p.icmp6.u.dhaad.id, 77);
	/* MPS from the bound MN (CoA + HAO): an MPA via RH2 */
	et_ip6(ET_COA, ET_HA, ET_HOA);
	pkt_push_icmp6(&et_in, ICMP6_T_MPS, 0)->u.mp.id = 5;
	et_feed(e, ET_T0);
	ATF_REQUIRE_EQ(et.nsent, 3);
	et_decode(2, &p);
	ATF_REQUIRE(p.has_icmp6);
	ATF_CHECK_EQ(p.icmp6.type, ICMP6_T_MPA);
	ATF_REQUIRE(pkt_rh2(&p) != NULL);
	et_addr_eq(pkt_rh2(&p), ET_HOA);
	/* from elsewhere: BE 1, no MPA */
	before = et.nsent;
	et_ip6("2001:db8:6::6", ET_HA, ET_HOA);
	pkt_push_icmp6(&et_in, ICMP6_T_MPS, 0);
	et_feed(e, ET_T0);
	ATF_REQUIRE_EQ(et.nsent, before + 1);
	et_decode(before, &p);
	ATF_CHECK(p.has_mh && p.mh.type == MH_BE);
	o = parse_json(et_ctl(e, "counters", ET_T0, 0));
	ATF_CHECK_EQ(json_object_get_int(get(get(o, "rx"), "DHAAD")), 1);
	ATF_CHECK_EQ(json_object_get_int(get(get(o, "rx"), "MPS")), 2);
	ATF_CHECK_EQ(json_object_get_int(get(get(o, "tx"), "DHAAD")), 1);
	ATF_CHECK_EQ(json_object_get_int(get(get(o, "tx"), "MPA")), 1);
	ATF_CHECK_EQ(json_object_get_int(get(get(o, "rx"),
	    "hao_no_binding")), 1);
	json_object_put(o);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* "authentication disabled" is said once, loudly, at start. */
ATF_TC_WITHOUT_HEAD(auth_none_warns);
ATF_TC_BODY(auth_none_warns, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	size_t i, n = 0;

	et_conf(&c);
	e = et_engine(&c);
	for (i = 0; i < et.nlog; i++)
		if (strstr(et.log[i], "authentication disabled") != NULL)
			n++;
	ATF_CHECK_EQ(n, 1);
	ha_engine_free(e);
	had_conf_free(&c);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, first_registration_virtual_link);
	ATF_TP_ADD_TC(tp, a_clear_still_acknowledged);
	ATF_TP_ADD_TC(tp, refresh_and_move);
	ATF_TP_ADD_TC(tp, alternate_coa);
	ATF_TP_ADD_TC(tp, deregistration_lifetime_zero);
	ATF_TP_ADD_TC(tp, deregistration_at_home);
	ATF_TP_ADD_TC(tp, deregistration_without_binding);
	ATF_TP_ADD_TC(tp, sequence_window);
	ATF_TP_ADD_TC(tp, rejections);
	ATF_TP_ADD_TC(tp, default_policy_deny);
	ATF_TP_ADD_TC(tp, bind_set_refused);
	ATF_TP_ADD_TC(tp, lifetime_limits);
	ATF_TP_ADD_TC(tp, dad_before_first_ba);
	ATF_TP_ADD_TC(tp, dad_conflict_134);
	ATF_TP_ADD_TC(tp, nemo_explicit_and_implicit);
	ATF_TP_ADD_TC(tp, nemo_rejections);
	ATF_TP_ADD_TC(tp, rfc4285_valid);
	ATF_TP_ADD_TC(tp, rfc4285_invalid);
	ATF_TP_ADD_TC(tp, unknown_mh_type_be2);
	ATF_TP_ADD_TC(tp, hao_without_binding_be1);
	ATF_TP_ADD_TC(tp, payload_proto_param_problem);
	ATF_TP_ADD_TC(tp, header_len_param_problem);
	ATF_TP_ADD_TC(tp, bad_checksum_silent);
	ATF_TP_ADD_TC(tp, be_rate_limit);
	ATF_TP_ADD_TC(tp, expiry_removes);
	ATF_TP_ADD_TC(tp, brr_before_expiry);
	ATF_TP_ADD_TC(tp, restore_rearms);
	ATF_TP_ADD_TC(tp, reset_clears);
	ATF_TP_ADD_TC(tp, reconf_removes_denied);
	ATF_TP_ADD_TC(tp, reconf_prefix_change_sends_mpa);
	ATF_TP_ADD_TC(tp, packet_too_big);
	ATF_TP_ADD_TC(tp, hop_limit_time_exceeded);
	ATF_TP_ADD_TC(tp, ctl_json_shapes);
	ATF_TP_ADD_TC(tp, dispatch_dhaad_and_mps);
	ATF_TP_ADD_TC(tp, auth_none_warns);
	return atf_no_error();
}
