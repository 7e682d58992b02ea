/*
 * mn_engine_test.c - the mobile node's protocol engine (mn_engine.c)
 * driven with virtual time and a recording mn_ops: the home Binding
 * Update's bytes, the retransmission schedule, every BA status class,
 * lifetimes and refresh, BRR, BE, returning home (de-registration and
 * NA), DHAAD, mobile router flags and options, return routability and
 * the correspondent BU's authenticator, Parameter Problems, restore and
 * the control JSON.
 */
#include <atf-c.h>
#include <stdlib.h>
#include <string.h>

#include "stack/mnd/tests/mntest.h"

#define AH	(MH_BU_A | MH_BU_H)

/* Move to MT_COA: the first BU leaves at once; its sequence number. */
static uint16_t
first_bu(struct mn_engine *e)
{
	struct pkt p;

	mt_move(e, MT_COA, MT_T0);
	return mt_last_mh(&p, MH_BU)->u.bu.seq;
}

/* An MPA from the HA (§11.4.3) with one /64 prefix valid for valid_s. */
static void
mpa_send(struct mn_engine *e, const char *prefix, uint32_t valid_s,
    uint16_t id, uint64_t now)
{
	struct icmp6_msg *m;
	struct nd_opt *o;

	mt_ip6(MT_HA, MT_COA, MT_HOA);
	m = pkt_push_icmp6(&mt_in, ICMP6_T_MPA, 0);
	m->u.mp.id = id;
	o = icmp6_add_opt(m, NDOPT_PREFIX);
	o->u.prefix.plen = 64;
	o->u.prefix.flags = ND_PI_A;
	o->u.prefix.valid = valid_s;
	o->u.prefix.preferred = valid_s < 3600 ? valid_s : 3600;
	o->u.prefix.prefix = tu_in6(prefix);
	mt_feed(e, now);
}

/* The HA's MPA answering the last MPS (§11.4.3), with one prefix. */
static void
mpa(struct mn_engine *e, const char *prefix, uint64_t now)
{
	struct pkt p;
	uint16_t id = 0;
	size_t i;

	for (i = 0; i < mt.nsent; i++) {
		mt_decode(i, &p);
		if (p.has_icmp6 && p.icmp6.type == ICMP6_T_MPS)
			id = p.icmp6.u.mp.id;
	}
	mpa_send(e, prefix, 86400, id, now);
}

/* Registered with the lifetime asked for (420 s = 105 units). */
static uint16_t
bound(struct mn_engine *e)
{
	uint16_t seq = first_bu(e);

	mt_ba(e, MT_HA, BA_ACCEPTED, seq, 105, 0, MT_T0 + 100);
	mt_state(e, MT_HA, "BOUND", "START");
	return seq;
}

ATF_TC_WITHOUT_HEAD(home_bu_bytes);
ATF_TC_BODY(home_bu_bytes, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	const struct hdr_ipv6 *ip;
	const struct mh_msg *m;
	struct pkt p;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	mt_state(e, MT_HA, "IDLE", "START");
	ATF_CHECK_EQ(mn_engine_next_timeout(e), UINT64_MAX);
	mt_move(e, MT_COA, MT_T0);
	/* RFC 6275 §11.7.1: from the CoA, HAO = HoA, A H, K clear */
	ATF_REQUIRE_EQ(mt.nsent, 1);
	m = mt_last_mh(&p, MH_BU);
	ip = pkt_inner_ip6(&p);
	mt_addr_eq(&ip->src, MT_COA);
	mt_addr_eq(&ip->dst, MT_HA);
	ATF_REQUIRE(pkt_hao(&p) != NULL);
	mt_addr_eq(pkt_hao(&p), MT_HOA);
	ATF_CHECK(pkt_rh2(&p) == NULL);
	ATF_CHECK_EQ(m->u.bu.flags, AH);
	ATF_CHECK_EQ(m->u.bu.lifetime, 105);
	for (size_t i = 0; i < m->nopts; i++)	/* padding only */
		ATF_CHECK(m->opts[i].type == MHOPT_PAD1 ||
		    m->opts[i].type == MHOPT_PADN);
	ATF_CHECK_EQ(mt.sent[0].oif, MT_IF);
	mt_state(e, MT_HA, "WAITA", "START");
	/* InitialBindackTimeoutFirstReg */
	ATF_CHECK_EQ(mn_engine_next_timeout(e), MT_T0 + 1500);
	/* the durable record: sequence, state, CoA, HA, away */
	ATF_REQUIRE(mt.nhoa > 0);
	ATF_CHECK_EQ(mt.hoa[mt.nhoa - 1].seq, m->u.bu.seq);
	ATF_CHECK_EQ(mt.hoa[mt.nhoa - 1].reg_state, 4);	/* WAITA */
	ATF_CHECK_EQ(mt.hoa[mt.nhoa - 1].flags, M6H_AWAY);
	ATF_CHECK_EQ(mt.hoa[mt.nhoa - 1].coa_ifindex, MT_IF);
	mn_engine_free(e);
}

/* §11.8: 1.5 s, doubling, capped at MAX_BINDACK_TIMEOUT (32 s); each BU
   a new sequence number (§11.7.1). */
ATF_TC_WITHOUT_HEAD(retransmission_backoff);
ATF_TC_BODY(retransmission_backoff, tc)
{
	static const uint64_t at[] = { 0, 1500, 4500, 10500, 22500, 46500,
	    78500, 110500, 142500 };
	struct mnd_conf c;
	struct mn_engine *e;
	struct pkt p;
	uint16_t seq;
	size_t i;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	seq = first_bu(e);
	mt_run(e, MT_T0 + 142500);
	ATF_REQUIRE_EQ(mt.nsent, sizeof(at) / sizeof(at[0]));
	for (i = 0; i < mt.nsent; i++) {
		ATF_CHECK_EQ_MSG(mt.sent[i].at, MT_T0 + at[i],
		    "BU %zu at %llu, want %llu", i,
		    (unsigned long long)(mt.sent[i].at - MT_T0),
		    (unsigned long long)at[i]);
		mt_decode(i, &p);
		ATF_CHECK_EQ(p.mh.type, MH_BU);
		ATF_CHECK_EQ(p.mh.u.bu.seq, (uint16_t)(seq + i));
	}
	ATF_CHECK_EQ(mn_engine_next_timeout(e), MT_T0 + 142500 + 32000);
	mt_state(e, MT_HA, "WAITA", "START");
	mn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(accepted_bound_and_refresh);
ATF_TC_BODY(accepted_bound_and_refresh, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	const struct m6_mn_hoa *r;
	const struct mh_msg *m;
	struct pkt p;
	uint16_t seq;
	size_t n;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	seq = first_bu(e);
	/* §11.7.3: a smaller lifetime than asked holds (10 units, 40 s),
	   counted from when the BU was sent */
	mt_ba(e, MT_HA, BA_ACCEPTED, seq, 10, 0, MT_T0 + 200);
	mt_state(e, MT_HA, "BOUND", "START");
	r = &mt.hoa[mt.nhoa - 1];
	ATF_CHECK_EQ(r->reg_state, 7);
	ATF_CHECK_EQ(r->lifetime, 10);
	ATF_CHECK_EQ(r->expires_ms, MT_T0 + 40000);
	ATF_CHECK_EQ(r->flags, M6H_AWAY);
	/* BUL_ADD on the bus */
	ATF_REQUIRE(mt.nbus >= 1);
	ATF_CHECK_EQ(mt.bus[mt.nbus - 1].type, MSOCK_BUL_ADD);
	mt_addr_eq(&mt.bus[mt.nbus - 1].coa, MT_COA);
	mt_addr_eq(&mt.bus[mt.nbus - 1].peer, MT_HA);
	ATF_CHECK_EQ(mt.bus[mt.nbus - 1].lifetime, 40);
	/* §11.4.2: no Mobile Prefix Solicitation just for registering */
	mt_run(e, MT_T0 + 9300);
	ATF_CHECK_EQ(mt.nsent, 1);
	/* refresh at 85 % of the lifetime: 34 s, timeout 1 s */
	n = mt.nsent;
	mt_run(e, MT_T0 + 33999);
	ATF_CHECK_EQ(mt.nsent, n);
	mt_run(e, MT_T0 + 34000);
	ATF_REQUIRE_EQ(mt.nsent, n + 1);
	m = mt_last_mh(&p, MH_BU);
	ATF_CHECK_EQ(m->u.bu.seq, (uint16_t)(seq + 1));
	mt_state(e, MT_HA, "WAITAR", "START");
	ATF_CHECK_EQ(mt.bus[mt.nbus - 1].type, MSOCK_BUL_ADD);
	mt_ba(e, MT_HA, BA_ACCEPTED, (uint16_t)(seq + 1), 105, 0,
	    MT_T0 + 34100);
	mt_state(e, MT_HA, "BOUND", "START");
	ATF_CHECK_EQ(mt.hoa[mt.nhoa - 1].expires_ms, MT_T0 + 34000 + 420000);
	mn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(ba_wrong_sequence_dropped);
ATF_TC_BODY(ba_wrong_sequence_dropped, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	uint16_t seq;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	seq = first_bu(e);
	mt_ba(e, MT_HA, BA_ACCEPTED, (uint16_t)(seq - 1), 105, 0, MT_T0 + 10);
	mt_state(e, MT_HA, "WAITA", "START");
	mt_ba(e, "2001:db8:1::77", BA_ACCEPTED, seq, 105, 0, MT_T0 + 20);
	mt_state(e, MT_HA, "WAITA", "START");
	ATF_CHECK(strstr(mt_ctl(e, "counters", MT_T0), "\"stale_seq\":1") !=
	    NULL);
	mn_engine_free(e);
}

/* §11.7.3: 135 carries the HA's last accepted number: resend at once
   with the next one. */
ATF_TC_WITHOUT_HEAD(ba_135_resync);
ATF_TC_BODY(ba_135_resync, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct pkt p;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	first_bu(e);
	mt_ba(e, MT_HA, BA_SEQ_OUT_OF_WINDOW, 40000, 0, 0, MT_T0 + 50);
	ATF_REQUIRE_EQ(mt.nsent, 2);
	ATF_CHECK_EQ(mt_last_mh(&p, MH_BU)->u.bu.seq, 40001);
	ATF_CHECK_EQ(mt.sent[1].at, MT_T0 + 50);
	mt_state(e, MT_HA, "WAITA", "START");
	mt_ba(e, MT_HA, BA_ACCEPTED, 40001, 105, 0, MT_T0 + 60);
	mt_state(e, MT_HA, "BOUND", "START");
	mn_engine_free(e);
}

/* §11.7.3: rejections the MN cannot correct (with a configured HA)
   stop, and no further BU goes to that HA: IDLE, no timer, "refused",
   nothing on the next movement, until mip6ctl reset; transient ones
   (130, 143) leave the retransmission running. */
ATF_TC_WITHOUT_HEAD(ba_rejections);
ATF_TC_BODY(ba_rejections, tc)
{
	static const uint8_t fatal[] = { 128, 129, 131, 132, 133, 134, 136,
	    137, 138, 140, 141, 142, 200 };
	struct mnd_conf c;
	struct mn_engine *e;
	char want[32];
	uint16_t seq;
	size_t i, n;

	mt_conf(&c, MT_HA);
	for (i = 0; i < sizeof(fatal); i++) {
		e = mt_engine(&c);
		seq = first_bu(e);
		mt_ba(e, MT_HA, fatal[i], seq, 0, 0, MT_T0 + 10);
		mt_state(e, MT_HA, "IDLE", "START");
		ATF_CHECK_EQ_MSG(mn_engine_next_timeout(e), UINT64_MAX,
		    "status %u left a timer", fatal[i]);
		snprintf(want, sizeof(want), "\"refused\":%u", fatal[i]);
		ATF_CHECK(strstr(mt_ctl(e, "bul", MT_T0 + 10), want) != NULL);
		n = mt.nsent;
		mt_move(e, MT_COA2, MT_T0 + 1000);
		ATF_CHECK_EQ_MSG(mt.nsent, n, "status %u: a BU after moving",
		    fatal[i]);
		mt_state(e, MT_HA, "IDLE", "START");
		/* the operator clears it */
		mt_ctl(e, "reset", MT_T0 + 2000);
		mt_state(e, MT_HA, "WAITA", "START");
		ATF_CHECK_EQ(mt.nsent, n + 1);
		mn_engine_free(e);
	}
	e = mt_engine(&c);
	seq = first_bu(e);
	mt_ba(e, MT_HA, BA_NO_RESOURCES, seq, 0, 0, MT_T0 + 10);
	mt_state(e, MT_HA, "WAITA", "START");
	ATF_CHECK_EQ(mn_engine_next_timeout(e), MT_T0 + 1500);
	mt_run(e, MT_T0 + 1500);
	ATF_CHECK_EQ(mt.nsent, 2);
	mt_ba(e, MT_HA, BA_FORWARDING_SETUP_FAILED, (uint16_t)(seq + 1), 0, 0,
	    MT_T0 + 1600);
	mt_state(e, MT_HA, "WAITA", "START");
	ATF_CHECK(strstr(mt_ctl(e, "counters", MT_T0 + 1600),
	    "\"130\":1,\"143\":1") != NULL);
	mn_engine_free(e);
}

/* §11.7.4: a BRR from the HA makes the MN re-register. */
ATF_TC_WITHOUT_HEAD(brr_reregisters);
ATF_TC_BODY(brr_reregisters, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct pkt p;
	uint16_t seq;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	seq = bound(e);
	/* §6.1.2: no RH2 on a BRR; the HA tunnels it to the HoA */
	mt_ip6(MT_HA, MT_HOA, NULL);
	ATF_REQUIRE(pkt_push_mh(&mt_in, MH_BRR) != NULL);
	mt_feed(e, MT_T0 + 5000);
	ATF_CHECK_EQ(mt_last_mh(&p, MH_BU)->u.bu.seq, (uint16_t)(seq + 1));
	mt_state(e, MT_HA, "WAITAR", "START");
	ATF_CHECK_EQ(mn_engine_next_timeout(e), MT_T0 + 5000 + 1000);
	mn_engine_free(e);
}

/* A BE status 1 from the HA: it lost the binding; register again. */
ATF_TC_WITHOUT_HEAD(be_from_ha);
ATF_TC_BODY(be_from_ha, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct mh_msg *m;
	struct pkt p;
	uint16_t seq;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	seq = bound(e);
	mt_ip6(MT_HA, MT_COA, NULL);
	m = pkt_push_mh(&mt_in, MH_BE);
	m->u.be.status = BE_UNKNOWN_HAO;
	m->u.be.hoa = tu_in6(MT_HOA);
	mt_feed(e, MT_T0 + 5000);
	ATF_CHECK_EQ(mt_last_mh(&p, MH_BU)->u.bu.seq, (uint16_t)(seq + 1));
	mt_state(e, MT_HA, "WAITA", "START");
	ATF_CHECK_EQ(mn_engine_next_timeout(e), MT_T0 + 5000 + 1500);
	mn_engine_free(e);
}

/* A new CoA while bound: BU at once, the 1 s timeout (binding exists). */
ATF_TC_WITHOUT_HEAD(movement_while_bound);
ATF_TC_BODY(movement_while_bound, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct pkt p;
	size_t n;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	bound(e);
	n = mt.nsent;
	mt_move(e, MT_COA, MT_T0 + 1000);	/* same CoA: nothing */
	ATF_CHECK_EQ(mt.nsent, n);
	mt_move(e, MT_COA2, MT_T0 + 2000);
	mt_last_mh(&p, MH_BU);
	mt_addr_eq(&pkt_inner_ip6(&p)->src, MT_COA2);
	mt_state(e, MT_HA, "WAITA", "START");
	ATF_CHECK_EQ(mn_engine_next_timeout(e), MT_T0 + 3000);
	ATF_CHECK_EQ(mt.bus[mt.nbus - 1].type, MSOCK_BUL_REMOVE);
	mn_engine_free(e);
}

/* §11.5.4: de-registration from the home address, then the NA. */
ATF_TC_WITHOUT_HEAD(returning_home);
ATF_TC_BODY(returning_home, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	const struct mh_msg *m;
	const struct nd_opt *o;
	struct mh_msg *ba;
	struct pkt p;
	uint16_t seq;
	size_t n, i;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	seq = bound(e);
	mt_md(e, MSOCK_MD_DEREGHOME, NULL, MT_HOME_IF, MT_T0 + 10000);
	m = mt_last_mh(&p, MH_BU);
	mt_addr_eq(&pkt_inner_ip6(&p)->src, MT_HOA);
	mt_addr_eq(&pkt_inner_ip6(&p)->dst, MT_HA);
	ATF_CHECK(pkt_hao(&p) == NULL);
	ATF_CHECK_EQ(m->u.bu.lifetime, 0);
	ATF_CHECK_EQ(m->u.bu.flags, AH);
	ATF_CHECK_EQ(m->u.bu.seq, (uint16_t)(seq + 1));
	ATF_CHECK_EQ(mt.sent[mt.nsent - 1].oif, MT_HOME_IF);
	mt_state(e, MT_HA, "WAITD", "START");
	/* no tunnel while at home */
	ATF_CHECK_EQ(mt.hoa[mt.nhoa - 1].flags & M6H_AWAY, 0);
	ATF_CHECK_EQ(mt.nplace, 0);
	/* the BA comes to the HoA, no RH2 */
	n = mt.nsent;
	mt_ip6(MT_HA, MT_HOA, NULL);
	ba = pkt_push_mh(&mt_in, MH_BA);
	ba->u.ba.seq = (uint16_t)(seq + 1);
	mt_feed(e, MT_T0 + 10050);
	mt_state(e, MT_HA, "IDLE", "START");
	ATF_REQUIRE_EQ(mt.nplace, 1);
	mt_addr_eq(&mt.place[0].hoa, MT_HOA);
	ATF_CHECK_EQ(mt.place[0].plen, 64);
	ATF_CHECK_EQ(mt.place[0].ifindex, MT_HOME_IF);
	ATF_CHECK_EQ(mt.bus[mt.nbus - 1].type, MSOCK_BUL_REMOVE);
	/* NA to all-nodes, target HoA, O set, S and R clear, TLLA; three
	   times, 1 s apart (MAX_NEIGHBOR_ADVERTISEMENT) */
	mt_run(e, MT_T0 + 20000);
	ATF_REQUIRE_EQ(mt.nsent, n + 3);
	for (i = n; i < n + 3; i++) {
		mt_decode(i, &p);
		ATF_REQUIRE(p.has_icmp6);
		ATF_CHECK_EQ(p.icmp6.type, ICMP6_T_NA);
		ATF_CHECK_EQ(p.icmp6.u.nsna.flags, ND_NA_O);
		mt_addr_eq(&p.icmp6.u.nsna.target, MT_HOA);
		mt_addr_eq(&pkt_inner_ip6(&p)->dst, "ff02::1");
		mt_addr_eq(&pkt_inner_ip6(&p)->src, MT_HOA);
		ATF_CHECK_EQ(pkt_inner_ip6(&p)->hlim, 255);
		o = icmp6_find_opt(&p.icmp6, NDOPT_TLLA);
		ATF_REQUIRE(o != NULL);
		ATF_CHECK(memcmp(o->u.lladdr, "\x02\x00\x00\x00\x00\x03",
		    6) == 0);
		ATF_CHECK_EQ(mt.sent[i].at, MT_T0 + 10050 + (i - n) * 1000);
	}
	/* leaving home again: the address goes back to lo as a /128 */
	mt_move(e, MT_COA2, MT_T0 + 30000);
	ATF_REQUIRE_EQ(mt.nplace, 2);
	ATF_CHECK_EQ(mt.place[1].plen, 128);
	ATF_CHECK_EQ(mt.place[1].ifindex, 0);
	mt_state(e, MT_HA, "WAITA", "START");
	mn_engine_free(e);
}

/* §11.4.1: DHAAD to the Home-Agents anycast address, with back-off; the
   Reply's first HA is used, BA 133 moves to the next. */
ATF_TC_WITHOUT_HEAD(dhaad);
ATF_TC_BODY(dhaad, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct icmp6_msg *r;
	struct pkt p;
	uint16_t id, seq;

	mt_conf(&c, NULL);
	e = mt_engine(&c);
	mt_move(e, MT_COA, MT_T0);
	ATF_REQUIRE_EQ(mt.nsent, 1);
	mt_decode(0, &p);
	ATF_REQUIRE(p.has_icmp6);
	ATF_CHECK_EQ(p.icmp6.type, ICMP6_T_DHAAD_REQUEST);
	ATF_CHECK_EQ(p.icmp6.u.dhaad.flags, 0);
	mt_addr_eq(&pkt_inner_ip6(&p)->src, MT_COA);
	mt_addr_eq(&pkt_inner_ip6(&p)->dst, "2001:db8:1::fdff:ffff:ffff:fffe");
	id = p.icmp6.u.dhaad.id;
	mt_state(e, "::", "DHAAD", "START");
	mt_run(e, MT_T0 + 9000);
	ATF_REQUIRE_EQ(mt.nsent, 3);	/* at 3 s and 9 s */
	ATF_CHECK_EQ(mt.sent[1].at, MT_T0 + 3000);
	ATF_CHECK_EQ(mt.sent[2].at, MT_T0 + 9000);
	/* a Reply with another id is ignored */
	mt_ip6(MT_HA, MT_COA, NULL);
	r = pkt_push_icmp6(&mt_in, ICMP6_T_DHAAD_REPLY, 0);
	r->u.dhaad.id = (uint16_t)(id + 1);
	r->u.dhaad.naddrs = 1;
	r->u.dhaad.addrs[0] = tu_in6(MT_HA);
	mt_feed(e, MT_T0 + 9100);
	mt_state(e, "::", "DHAAD", "START");
	r->u.dhaad.id = id;
	r->u.dhaad.naddrs = 2;
	r->u.dhaad.addrs[1] = tu_in6(MT_HA2);
	mt_feed(e, MT_T0 + 9200);
	mt_state(e, MT_HA, "WAITA", "START");
	seq = mt_last_mh(&p, MH_BU)->u.bu.seq;
	mt_addr_eq(&pkt_inner_ip6(&p)->dst, MT_HA);
	ATF_CHECK_EQ(mn_engine_next_timeout(e), MT_T0 + 9200 + 1500);
	mt_ba(e, MT_HA, BA_NOT_HOME_AGENT, seq, 0, 0, MT_T0 + 9300);
	mt_last_mh(&p, MH_BU);
	mt_addr_eq(&pkt_inner_ip6(&p)->dst, MT_HA2);
	mt_state(e, MT_HA2, "WAITA", "START");
	mn_engine_free(e);
}

/* RFC 3963 §5.1: R set; explicit mode lists the prefixes. */
ATF_TC_WITHOUT_HEAD(mobile_router_explicit);
ATF_TC_BODY(mobile_router_explicit, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	const struct mh_msg *m;
	const struct mh_opt *o;
	struct pkt p;

	mt_conf(&c, MT_HA);
	c.mobile_router = true;
	c.regmode = MND_REG_EXPLICIT;
	c.nmnp = 2;
	c.mnp[0].pfx.addr = tu_in6("2001:db8:10::");
	c.mnp[0].pfx.plen = 64;
	c.mnp[1].pfx.addr = tu_in6("2001:db8:11::");
	c.mnp[1].pfx.plen = 48;
	e = mt_engine(&c);
	mt_move(e, MT_COA, MT_T0);
	m = mt_last_mh(&p, MH_BU);
	ATF_CHECK_EQ(m->u.bu.flags, AH | MH_BU_R);
	ATF_REQUIRE_EQ(m->nopts - (mh_find_opt(m, MHOPT_PADN) != NULL) -
	    (mh_find_opt(m, MHOPT_PAD1) != NULL), 2);
	o = mh_find_opt(m, MHOPT_MNP);
	ATF_REQUIRE(o != NULL);
	mt_addr_eq(&o->u.mnp.prefix, "2001:db8:10::");
	ATF_CHECK_EQ(o->u.mnp.plen, 64);
	/* a BA without R: the HA does not support mobile routers */
	mt_ba(e, MT_HA, BA_ACCEPTED, m->u.bu.seq, 105, 0, MT_T0 + 10);
	mt_state(e, MT_HA, "IDLE", "START");
	ATF_CHECK_EQ(mt.nmnp_set, 0);
	mn_engine_free(e);

	e = mt_engine(&c);
	mt_move(e, MT_COA, MT_T0);
	m = mt_last_mh(&p, MH_BU);
	mt_ba(e, MT_HA, BA_ACCEPTED, m->u.bu.seq, 105, MH_BA_R, MT_T0 + 10);
	mt_state(e, MT_HA, "BOUND", "START");
	ATF_REQUIRE_EQ(mt.nmnp_set, 2);
	ATF_CHECK_EQ(mt.nmnp_set, 2);
	ATF_CHECK_EQ(mt.hoa[mt.nhoa - 1].flags, M6H_AWAY | M6H_ROUTER);
	ATF_CHECK_EQ(mt.bus[mt.nbus - 1].nprefix, 2);
	mn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(mobile_router_implicit);
ATF_TC_BODY(mobile_router_implicit, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	const struct mh_msg *m;
	struct pkt p;

	mt_conf(&c, NULL);
	c.mobile_router = true;
	c.regmode = MND_REG_IMPLICIT;
	c.nmnp = 1;
	c.mnp[0].pfx.addr = tu_in6("2001:db8:10::");
	c.mnp[0].pfx.plen = 64;
	e = mt_engine(&c);
	mt_move(e, MT_COA, MT_T0);
	mt_decode(0, &p);
	ATF_CHECK_EQ(p.icmp6.u.dhaad.flags, ICMP6_DHAAD_R);	/* §7.1 */
	mn_engine_free(e);

	mt_conf(&c, MT_HA);
	c.mobile_router = true;
	c.nmnp = 1;
	c.mnp[0].pfx.addr = tu_in6("2001:db8:10::");
	c.mnp[0].pfx.plen = 64;
	e = mt_engine(&c);
	mt_move(e, MT_COA, MT_T0);
	m = mt_last_mh(&p, MH_BU);
	ATF_CHECK_EQ(m->u.bu.flags, AH | MH_BU_R);
	ATF_CHECK(mh_find_opt(m, MHOPT_MNP) == NULL);
	mn_engine_free(e);
}

/* ------------------------------------------------- route optimisation */

static void
rr_hint(struct mn_engine *e, uint64_t now)
{
	struct hdr *h;

	pkt_init(&mt_in, PKT_LINK_IPV6);
	h = pkt_push(&mt_in, HDR_IPV6);
	h->u.ip6.src = tu_in6(MT_CN);
	h->u.ip6.dst = tu_in6(MT_HOA);
	h->u.ip6.hlim = 64;
	h = pkt_push(&mt_in, HDR_DATA);
	h->u.data.proto = 59;
	mt_feed_reason(e, M6S_RR_HINT, now);
}

/* The cookie of the last HoTI (home) or CoTI sent. */
static void
last_cookie(uint8_t type, uint8_t cookie[8])
{
	struct pkt p;
	size_t i;

	for (i = mt.nsent; i-- > 0;) {
		mt_decode(i, &p);
		if (p.has_mh && p.mh.type == type) {
			memcpy(cookie, p.mh.u.init.cookie, 8);
			return;
		}
	}
	atf_tc_fail("no MH type %u sent", type);
}

static void
test_msg(struct mn_engine *e, uint8_t type, const char *dst,
    const uint8_t cookie[8], const uint8_t token[8], uint16_t idx,
    uint64_t now)
{
	struct mh_msg *m;

	mt_ip6(MT_CN, dst, NULL);
	m = pkt_push_mh(&mt_in, type);
	memcpy(m->u.test.cookie, cookie, 8);
	memcpy(m->u.test.token, token, 8);
	m->u.test.nonce_index = idx;
	mt_feed(e, now);
}

static const uint8_t home_token[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t careof_token[8] = { 9, 10, 11, 12, 13, 14, 15, 16 };

/* Bound with the HA, then RR with MT_CN up to the BU to the CN. */
static struct mn_engine *
ro_to_bu(struct mnd_conf *c, struct pkt *bu)
{
	struct mn_engine *e;
	uint8_t hc[8], cc[8];
	struct pkt p;
	size_t n;

	mt_conf(c, MT_HA);
	c->route_opt = true;
	e = mt_engine(c);
	bound(e);
	n = mt.nsent;
	rr_hint(e, MT_T0 + 1000);
	ATF_CHECK_EQ(mt.bus[mt.nbus - 1].type, MSOCK_RR_HINT);
	mt_addr_eq(&mt.bus[mt.nbus - 1].peer, MT_CN);
	/* §11.6.1: HoTI from the HoA (tunneled by mn.bpf.c), CoTI from
	   the CoA */
	ATF_REQUIRE_EQ(mt.nsent, n + 2);
	mt_decode(n, &p);
	ATF_CHECK_EQ(p.mh.type, MH_HOTI);
	mt_addr_eq(&pkt_inner_ip6(&p)->src, MT_HOA);
	mt_addr_eq(&pkt_inner_ip6(&p)->dst, MT_CN);
	mt_decode(n + 1, &p);
	ATF_CHECK_EQ(p.mh.type, MH_COTI);
	mt_addr_eq(&pkt_inner_ip6(&p)->src, MT_COA);
	mt_state(e, MT_CN, "RRINIT", "WAITHC");
	last_cookie(MH_HOTI, hc);
	last_cookie(MH_COTI, cc);
	/* a HoT with a wrong cookie is dropped */
	test_msg(e, MH_HOT, MT_HOA, cc, home_token, 7, MT_T0 + 1100);
	mt_state(e, MT_CN, "RRINIT", "WAITHC");
	test_msg(e, MH_HOT, MT_HOA, hc, home_token, 7, MT_T0 + 1100);
	mt_state(e, MT_CN, "RRINIT", "WAITC");
	n = mt.nsent;
	test_msg(e, MH_COT, MT_COA, cc, careof_token, 9, MT_T0 + 1200);
	mt_state(e, MT_CN, "WAITA", "START");
	ATF_REQUIRE_EQ(mt.nsent, n + 1);
	mt_decode(n, bu);
	return e;
}

/* §11.7.2, §5.2.6: the BU to the CN and its authenticator. */
ATF_TC_WITHOUT_HEAD(ro_bu_authenticator);
ATF_TC_BODY(ro_bu_authenticator, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	const struct mh_opt *ni;
	const struct hdr *mh;
	struct in6_addr coa = tu_in6(MT_COA), cn = tu_in6(MT_CN);
	uint8_t kbm[RR_KBM_LEN];
	struct pkt p;
	struct mh_msg *ba;
	const struct mt_sent *s;

	e = ro_to_bu(&c, &p);
	ATF_REQUIRE(p.has_mh && p.mh.type == MH_BU);
	mt_addr_eq(&pkt_inner_ip6(&p)->src, MT_COA);
	mt_addr_eq(&pkt_inner_ip6(&p)->dst, MT_CN);
	mt_addr_eq(pkt_hao(&p), MT_HOA);
	ATF_CHECK_EQ(p.mh.u.bu.flags, MH_BU_A);
	/* §11.7.2: <= 420 s (§5.2.6) and <= what the home registration
	   has left: bound at T0 for 420 s, so 418 s at T0 + 1.2 s: 104
	   units */
	ATF_CHECK_EQ(p.mh.u.bu.lifetime, 104);
	ni = mh_find_opt(&p.mh, MHOPT_NI);
	ATF_REQUIRE(ni != NULL);
	ATF_CHECK_EQ(ni->u.ni.home, 7);
	ATF_CHECK_EQ(ni->u.ni.careof, 9);
	ATF_REQUIRE(mh_find_opt(&p.mh, MHOPT_BAD) != NULL);
	/* Kbm = SHA1(home token | care-of token); the authenticator over
	   CoA | CN | MH verifies */
	ATF_REQUIRE_EQ(rr_kbm(home_token, careof_token, kbm), 0);
	mh = pkt_find_last(&p, HDR_MH);
	s = &mt.sent[mt.nsent - 1];
	ATF_CHECK_EQ(rr_verify_mh(s->bytes + mh->off, s->len - mh->off, kbm,
	    &coa, &cn), 1);
	/* the CN's BA (RH2 = HoA) binds: mn_ro active */
	mt_ip6(MT_CN, MT_COA, MT_HOA);
	ba = pkt_push_mh(&mt_in, MH_BA);
	ba->u.ba.seq = p.mh.u.bu.seq;
	ba->u.ba.lifetime = 105;
	mt_feed(e, MT_T0 + 1300);
	mt_state(e, MT_CN, "BOUND", "START");
	ATF_REQUIRE(mt.nro_set > 0);
	ATF_CHECK_EQ(mt.ro[mt.nro_set - 1].flags, M6R_ACTIVE);
	ATF_CHECK_EQ(mt.ro[mt.nro_set - 1].expires_ms, MT_T0 + 1200 + 416000);
	mn_engine_free(e);
}

/* §11.7.4: a BRR from a CN holding our binding, routed to the CoA with
   a Type 2 Routing header (as TAHI's CN does), is answered: return
   routability again (HoTI and CoTI), then a new BU. */
ATF_TC_WITHOUT_HEAD(brr_from_cn_reruns_rr);
ATF_TC_BODY(brr_from_cn_reruns_rr, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct mh_msg *ba;
	struct pkt p;
	size_t n;

	e = ro_to_bu(&c, &p);
	mt_ip6(MT_CN, MT_COA, MT_HOA);
	ba = pkt_push_mh(&mt_in, MH_BA);
	ba->u.ba.seq = p.mh.u.bu.seq;
	ba->u.ba.lifetime = 105;
	mt_feed(e, MT_T0 + 1300);
	mt_state(e, MT_CN, "BOUND", "START");
	n = mt.nsent;
	mt_ip6(MT_CN, MT_COA, MT_HOA);
	ATF_REQUIRE(pkt_push_mh(&mt_in, MH_BRR) != NULL);
	mt_feed(e, MT_T0 + 5000);
	ATF_CHECK(strstr(mt_ctl(e, "counters", mt.now), "\"malformed\":0") !=
	    NULL);
	mt_state(e, MT_CN, "RRREDO", "WAITHC");
	ATF_REQUIRE_EQ(mt.nsent, n + 2);
	mt_decode(n, &p);
	ATF_CHECK(p.has_mh && p.mh.type == MH_HOTI);
	mt_decode(n + 1, &p);
	ATF_CHECK(p.has_mh && p.mh.type == MH_COTI);
	mn_engine_free(e);
}

/* §11.3.6: BE status 2 (unknown MH) from the CN stops RO with it. */
ATF_TC_WITHOUT_HEAD(ro_stopped_by_be);
ATF_TC_BODY(ro_stopped_by_be, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct mh_msg *m;
	struct pkt p;
	size_t n;

	e = ro_to_bu(&c, &p);
	mt_ip6(MT_CN, MT_COA, NULL);
	m = pkt_push_mh(&mt_in, MH_BE);
	m->u.be.status = BE_UNKNOWN_MH_TYPE;
	m->u.be.hoa = tu_in6(MT_HOA);
	mt_feed(e, MT_T0 + 1300);
	mt_state(e, MT_CN, "IDLE", "START");
	ATF_CHECK(strstr(mt_ctl(e, "bul", MT_T0), "\"non_mip\":true") != NULL);
	/* further hints do not restart RR with it */
	n = mt.nsent;
	rr_hint(e, MT_T0 + 5000);
	ATF_CHECK_EQ(mt.nsent, n);
	mn_engine_free(e);
}

/* A Parameter Problem quoting the last packet sent. */
static void
param_prob(struct mn_engine *e, uint8_t code, uint32_t pointer, uint64_t now)
{
	const struct mt_sent *s = &mt.sent[mt.nsent - 1];
	struct icmp6_msg *m;

	mt_ip6(MT_CN, MT_COA, NULL);
	m = pkt_push_icmp6(&mt_in, ICMP6_T_PARAM_PROB, code);
	m->u.pointer = pointer;
	memcpy(m->body, s->bytes, s->len);
	m->body_len = (uint16_t)s->len;
	mt_feed_reason(e, M6S_ICMP_ERR, now);
}

/* §11.3.5: Parameter Problem code 1 pointing at the Next Header that
   announced our Mobility Header (the Destination Options header's, at
   offset 40): RO stops; a pointer elsewhere is not about us. */
ATF_TC_WITHOUT_HEAD(ro_stopped_by_param_prob);
ATF_TC_BODY(ro_stopped_by_param_prob, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct pkt p;

	e = ro_to_bu(&c, &p);
	ATF_REQUIRE_EQ(pkt_find(&p, HDR_DSTOPT)->off, 40);
	param_prob(e, ICMP6_PARAMPROB_NEXTHDR, 46, MT_T0 + 1300);
	mt_state(e, MT_CN, "WAITA", "START");
	param_prob(e, ICMP6_PARAMPROB_NEXTHDR, 40, MT_T0 + 1400);
	mt_state(e, MT_CN, "IDLE", "START");
	ATF_CHECK(mt.nro_del > 0);
	mn_engine_free(e);
}

/* §11.3.5: the CoTI answered with Parameter Problem code 1 pointing at the
   IPv6 header's Next Header (offset 6): the quoted packet has no home
   address, yet RO with that CN stops; no CoTI or HoTI follows. */
ATF_TC_WITHOUT_HEAD(ro_stopped_by_param_prob_coti);
ATF_TC_BODY(ro_stopped_by_param_prob_coti, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct pkt p;
	size_t n;

	mt_conf(&c, MT_HA);
	c.route_opt = true;
	e = mt_engine(&c);
	bound(e);
	rr_hint(e, MT_T0 + 1000);
	mt_state(e, MT_CN, "RRINIT", "WAITHC");
	mt_decode(mt.nsent - 1, &p);
	ATF_REQUIRE(p.has_mh && p.mh.type == MH_COTI);
	param_prob(e, ICMP6_PARAMPROB_NEXTHDR, 6, MT_T0 + 1100);
	mt_state(e, MT_CN, "IDLE", "START");
	ATF_CHECK(strstr(mt_ctl(e, "bul", mt.now), "\"non_mip\":true") !=
	    NULL);
	n = mt.nsent;
	mt_run(e, MT_T0 + 20000);
	rr_hint(e, MT_T0 + 21000);
	ATF_CHECK_EQ(mt.nsent, n);
	mn_engine_free(e);
}

/* Code 2 pointing at the Home Address option's type octet. */
ATF_TC_WITHOUT_HEAD(ro_stopped_by_param_prob_hao);
ATF_TC_BODY(ro_stopped_by_param_prob_hao, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	const struct hdr *d;
	struct pkt p;
	size_t k;

	e = ro_to_bu(&c, &p);
	d = pkt_find(&p, HDR_DSTOPT);
	ATF_REQUIRE(d != NULL);
	for (k = 0; k < d->u.opts.ntlv; k++)
		if (d->u.opts.tlv[k].type == IP6_HAO_TYPE)
			break;
	ATF_REQUIRE(k < d->u.opts.ntlv);
	param_prob(e, ICMP6_PARAMPROB_OPTION, 40, MT_T0 + 1300);
	mt_state(e, MT_CN, "WAITA", "START");
	param_prob(e, ICMP6_PARAMPROB_OPTION, 40u + d->u.opts.tlv[k].off,
	    MT_T0 + 1400);
	mt_state(e, MT_CN, "IDLE", "START");
	mn_engine_free(e);
}

/* Route-optimised bindings saved by an earlier run: an active one that
   has not expired is BOUND again, others are removed from mn_ro. */
ATF_TC_WITHOUT_HEAD(restore_ro);
ATF_TC_BODY(restore_ro, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct m6_ro_key k;
	struct m6_mn_ro r;
	struct in6_addr a;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	memset(&k, 0, sizeof(k));
	memset(&r, 0, sizeof(r));
	a = tu_in6(MT_HOA);
	memcpy(k.hoa.b, &a, 16);
	a = tu_in6(MT_CN);
	memcpy(k.peer.b, &a, 16);
	a = tu_in6(MT_COA);
	memcpy(r.coa.b, &a, 16);
	r.flags = M6R_ACTIVE;
	r.seq = 9;
	r.lifetime = 105;
	r.expires_ms = MT_T0 + 100000;
	mn_engine_restore_ro(e, &k, &r, MT_T0);
	mt_state(e, MT_CN, "BOUND", "START");
	ATF_CHECK_EQ(mt.nro_del, 0);
	ATF_CHECK_EQ(mn_engine_next_timeout(e), MT_T0 + 100000);
	mn_engine_free(e);

	e = mt_engine(&c);
	r.expires_ms = MT_T0 - 1;
	mn_engine_restore_ro(e, &k, &r, MT_T0);
	ATF_CHECK_EQ(mt.nro_del, 1);
	ATF_CHECK(strstr(mt_ctl(e, "bul", MT_T0), MT_CN) == NULL);
	mn_engine_free(e);
}

/* ------------------------------------------------------ restart, ctl */

ATF_TC_WITHOUT_HEAD(restore_bound);
ATF_TC_BODY(restore_bound, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct m6_mn_hoa saved;
	struct in6_addr hoa = tu_in6(MT_HOA);
	struct pkt p;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	bound(e);
	saved = mt.hoa[mt.nhoa - 1];
	mn_engine_free(e);
	e = mt_engine(&c);
	mn_engine_restore_hoa(e, &hoa, &saved, MT_T0 + 60000);
	mt_state(e, MT_HA, "BOUND", "START");
	/* the refresh at 85 % of 420 s after the BU was sent */
	ATF_CHECK_EQ(mn_engine_next_timeout(e), MT_T0 + 357000);
	mt_run(e, MT_T0 + 357000);
	ATF_CHECK_EQ(mt_last_mh(&p, MH_BU)->u.bu.seq,
	    (uint16_t)(saved.seq + 1));
	mt_addr_eq(&pkt_inner_ip6(&p)->src, MT_COA);
	mn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(ctl_json);
ATF_TC_BODY(ctl_json, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	const char *j;
	struct sbuf sb;
	struct jw jw;
	char buf[256];

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	bound(e);
	j = mt_ctl(e, "bul", MT_T0 + 1000);
	ATF_CHECK(strstr(j, "\"hoa\":\"2001:db8:1::100\"") != NULL);
	ATF_CHECK(strstr(j, "\"coa\":\"2001:db8:2::200\"") != NULL);
	ATF_CHECK(strstr(j, "\"lifetime\":420,\"remaining\":419") != NULL);
	ATF_CHECK(strstr(j, "\"flags\":\"A H\"") != NULL);
	j = mt_ctl(e, "status", MT_T0 + 1000);
	ATF_CHECK(strstr(j, "\"ha\":\"2001:db8:1::1\"") != NULL);
	ATF_CHECK(strstr(j, "\"at_home\":false") != NULL);
	j = mt_ctl(e, "counters", MT_T0 + 1000);
	ATF_CHECK(strstr(j, "\"ba_status\":{\"0\":1}") != NULL);
	sbuf_init(&sb, buf, sizeof(buf));
	jw_init(&jw, &sb);
	ATF_CHECK_EQ(mn_engine_ctl(e, "bogus", MT_T0, &jw), -1);
	ATF_CHECK(strstr(sbuf_str(&sb), "\"error\"") != NULL);
	mn_engine_free(e);
}

/* Garbage is counted and dropped. */
ATF_TC_WITHOUT_HEAD(malformed_input);
ATF_TC_BODY(malformed_input, tc)
{
	static const uint8_t junk[] = { 0x60, 0, 0, 0, 0, 40, 135, 64 };
	struct mnd_conf c;
	struct mn_engine *e;
	struct m6_sig sig;
	struct mn_input in;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	memset(&sig, 0, sizeof(sig));
	sig.reason = M6S_MH;
	sig.caplen = sizeof(junk);
	in.sig = &sig;
	in.data = junk;
	mn_engine_input(e, &in, MT_T0);
	ATF_CHECK(strstr(mt_ctl(e, "counters", MT_T0), "\"malformed\":1") !=
	    NULL);
	ATF_CHECK_EQ(mt.nsent, 0);
	mn_engine_free(e);
}

/* Several home addresses: one BUL entry and one BU each. */
ATF_TC_WITHOUT_HEAD(two_home_addresses);
ATF_TC_BODY(two_home_addresses, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct pkt p;
	uint16_t seq;

	mt_conf(&c, MT_HA);
	c.nhoa = 2;
	c.hoa[1].pfx.addr = tu_in6("2001:db8:7::700");
	c.hoa[1].pfx.plen = 64;
	c.hoa[1].has_ha = true;
	c.hoa[1].ha = tu_in6("2001:db8:7::1");
	e = mt_engine(&c);
	mt_move(e, MT_COA, MT_T0);
	ATF_REQUIRE_EQ(mt.nsent, 2);
	mt_decode(0, &p);
	mt_addr_eq(pkt_hao(&p), MT_HOA);
	mt_addr_eq(&pkt_inner_ip6(&p)->dst, MT_HA);
	seq = p.mh.u.bu.seq;
	mt_decode(1, &p);
	mt_addr_eq(pkt_hao(&p), "2001:db8:7::700");
	mt_addr_eq(&pkt_inner_ip6(&p)->dst, "2001:db8:7::1");
	mt_ba(e, MT_HA, BA_ACCEPTED, seq, 105, 0, MT_T0 + 10);
	mt_state(e, MT_HA, "BOUND", "START");
	mt_state(e, "2001:db8:7::1", "WAITA", "START");
	mn_engine_free(e);
}

/* No usable CoA: nothing is sent (counted); the next CoA registers. */
ATF_TC_WITHOUT_HEAD(deregforeign_waits);
ATF_TC_BODY(deregforeign_waits, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct pkt p;
	size_t n;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	bound(e);
	mt_md(e, MSOCK_MD_DEREGFOREIGN, NULL, 0, MT_T0 + 1000);
	n = mt.nsent;
	/* the refresh at 357 s, retransmissions at 358 s and 360 s */
	mt_run(e, MT_T0 + 360000);
	ATF_CHECK_EQ(mt.nsent, n);
	ATF_CHECK(strstr(mt_ctl(e, "counters", mt.now), "\"no_coa\":3") !=
	    NULL);
	mt_state(e, MT_HA, "WAITAR", "START");
	mt_move(e, MT_COA2, MT_T0 + 361000);
	ATF_REQUIRE_EQ(mt.nsent, n + 1);
	mt_last_mh(&p, MH_BU);
	mt_addr_eq(&pkt_inner_ip6(&p)->src, MT_COA2);
	mt_state(e, MT_HA, "WAITA", "START");
	mn_engine_free(e);
}

/* A pending exchange saved by an earlier run is retransmitted at once,
   with the next sequence number. */
ATF_TC_WITHOUT_HEAD(restore_pending);
ATF_TC_BODY(restore_pending, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct m6_mn_hoa saved;
	struct in6_addr hoa = tu_in6(MT_HOA);
	struct pkt p;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	first_bu(e);
	saved = mt.hoa[mt.nhoa - 1];
	ATF_REQUIRE_EQ(saved.reg_state, 4);
	mn_engine_free(e);
	e = mt_engine(&c);
	mn_engine_restore_hoa(e, &hoa, &saved, MT_T0 + 5000);
	ATF_CHECK_EQ(mn_engine_next_timeout(e), MT_T0 + 5000);
	mt_run(e, MT_T0 + 5000);
	ATF_REQUIRE_EQ(mt.nsent, 1);
	ATF_CHECK_EQ(mt_last_mh(&p, MH_BU)->u.bu.seq,
	    (uint16_t)(saved.seq + 1));
	mt_addr_eq(pkt_hao(&p), MT_HOA);
	mn_engine_free(e);
}

/* §11.4.3: an unsolicited MPA replaces the known prefixes; one without
   the home prefix is logged and kept. */
ATF_TC_WITHOUT_HEAD(mpa_unsolicited);
ATF_TC_BODY(mpa_unsolicited, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	bound(e);
	mpa(e, "2001:db8:44::", MT_T0 + 20000);
	ATF_CHECK(strstr(mt_ctl(e, "status", mt.now),
	    "\"prefixes\":[\"2001:db8:44::/64\"]") != NULL);
	/* not from our home agent: dropped */
	mt_ip6("2001:db8:1::99", MT_COA, MT_HOA);
	pkt_push_icmp6(&mt_in, ICMP6_T_MPA, 0);
	mt_feed(e, MT_T0 + 21000);
	ATF_CHECK(strstr(mt_ctl(e, "counters", mt.now),
	    "\"unexpected\":1") != NULL);
	mn_engine_free(e);
}

/* RFC 6275 §9.2: an unrecognized MH Type gets a Binding Error status 2
   back to its source, from the address it reached; a known type the MN
   does not take (a BU) is only dropped. */
ATF_TC_WITHOUT_HEAD(unknown_mh_type_be);
ATF_TC_BODY(unknown_mh_type_be, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	const struct mh_msg *m;
	const struct hdr_ipv6 *ip;
	struct mh_msg *in;
	struct pkt p;
	size_t n;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	bound(e);
	n = mt.nsent;
	mt_ip6(MT_HA, MT_COA, NULL);
	ATF_REQUIRE((in = pkt_push_mh(&mt_in, 50)) != NULL);
	in->body_len = 6;
	mt_feed(e, MT_T0 + 5000);
	ATF_REQUIRE_EQ(mt.nsent, n + 1);
	m = mt_last_mh(&p, MH_BE);
	ATF_CHECK_EQ(m->u.be.status, BE_UNKNOWN_MH_TYPE);
	ip = pkt_inner_ip6(&p);
	mt_addr_eq(&ip->src, MT_COA);
	mt_addr_eq(&ip->dst, MT_HA);
	ATF_CHECK(strstr(mt_ctl(e, "counters", mt.now), "\"be\":1") !=
	    NULL);
	/* a BU is a type we know: no Binding Error */
	mt_ip6(MT_HA, MT_COA, NULL);
	ATF_REQUIRE(pkt_push_mh(&mt_in, MH_BU) != NULL);
	mt_feed(e, MT_T0 + 6000);
	ATF_CHECK_EQ(mt.nsent, n + 1);
	/* never to a link-local source */
	mt_ip6("fe80::1", MT_COA, NULL);
	ATF_REQUIRE(pkt_push_mh(&mt_in, 50) != NULL);
	mt_feed(e, MT_T0 + 7000);
	ATF_CHECK_EQ(mt.nsent, n + 1);
	mn_engine_free(e);
}

/* §11.4.2, §11.4.3: an unsolicited MPA is confirmed with a Mobile Prefix
   Solicitation from the CoA with a HAO, retransmitted after 3 s
   (INITIAL_SOLICIT_TIMER) then 6 s, until the solicited MPA. */
ATF_TC_WITHOUT_HEAD(mps_confirms_unsolicited_mpa);
ATF_TC_BODY(mps_confirms_unsolicited_mpa, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	const struct hdr_ipv6 *ip;
	struct pkt p;
	size_t n;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	bound(e);
	n = mt.nsent;
	mpa(e, "2001:db8:1::", MT_T0 + 20000);
	ATF_REQUIRE_EQ(mt.nsent, n + 1);
	mt_decode(n, &p);
	ATF_REQUIRE(p.has_icmp6);
	ATF_CHECK_EQ(p.icmp6.type, ICMP6_T_MPS);
	ip = pkt_inner_ip6(&p);
	mt_addr_eq(&ip->src, MT_COA);
	mt_addr_eq(&ip->dst, MT_HA);
	ATF_REQUIRE(pkt_hao(&p) != NULL);
	mt_addr_eq(pkt_hao(&p), MT_HOA);
	mt_run(e, MT_T0 + 29000);
	ATF_REQUIRE_EQ(mt.nsent, n + 3);
	ATF_CHECK_EQ(mt.sent[n + 1].at, MT_T0 + 23000);
	ATF_CHECK_EQ(mt.sent[n + 2].at, MT_T0 + 29000);
	/* the solicited MPA (our identifier) ends it, with no new MPS */
	mpa(e, "2001:db8:1::", MT_T0 + 29100);
	mt_run(e, MT_T0 + 100000);
	ATF_CHECK_EQ(mt.nsent, n + 3);
	ATF_CHECK(strstr(mt_ctl(e, "counters", mt.now), "\"mps\":3") !=
	    NULL);
	mn_engine_free(e);
}

/* DHAAD retransmissions double up to 32 s and stay there. */
ATF_TC_WITHOUT_HEAD(dhaad_backoff_cap);
ATF_TC_BODY(dhaad_backoff_cap, tc)
{
	static const uint64_t at[] = { 0, 3000, 9000, 21000, 45000, 77000,
	    109000 };
	struct mnd_conf c;
	struct mn_engine *e;
	size_t i;

	mt_conf(&c, NULL);
	e = mt_engine(&c);
	mt_move(e, MT_COA, MT_T0);
	mt_run(e, MT_T0 + 109000);
	ATF_REQUIRE_EQ(mt.nsent, sizeof(at) / sizeof(at[0]));
	for (i = 0; i < mt.nsent; i++)
		ATF_CHECK_EQ_MSG(mt.sent[i].at, MT_T0 + at[i],
		    "DHAAD %zu at %llu", i,
		    (unsigned long long)(mt.sent[i].at - MT_T0));
	mn_engine_free(e);
}

/* A BRR from the CN, and the refresh at 85 %, redo the return
   routability procedure (RRREDO), then a new BU (WAITAR). */
ATF_TC_WITHOUT_HEAD(ro_brr_and_refresh);
ATF_TC_BODY(ro_brr_and_refresh, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct mh_msg *ba;
	uint8_t hc[8], cc[8];
	struct pkt p;
	uint16_t seq;
	size_t n;

	e = ro_to_bu(&c, &p);
	seq = p.mh.u.bu.seq;
	mt_ip6(MT_CN, MT_COA, MT_HOA);
	ba = pkt_push_mh(&mt_in, MH_BA);
	ba->u.ba.seq = seq;
	ba->u.ba.lifetime = 105;
	mt_feed(e, MT_T0 + 1300);
	mt_state(e, MT_CN, "BOUND", "START");
	/* BRR from the CN to the HoA (tunneled by the HA) */
	n = mt.nsent;
	mt_ip6(MT_CN, MT_HOA, NULL);
	pkt_push_mh(&mt_in, MH_BRR);
	mt_feed(e, MT_T0 + 2000);
	mt_state(e, MT_CN, "RRREDO", "WAITHC");
	ATF_CHECK_EQ(mt.nsent, n + 2);	/* HoTI + CoTI */
	ATF_CHECK_EQ(mt.ro[mt.nro_set - 1].flags, M6R_ACTIVE);
	last_cookie(MH_HOTI, hc);
	last_cookie(MH_COTI, cc);
	test_msg(e, MH_HOT, MT_HOA, hc, home_token, 8, MT_T0 + 2100);
	test_msg(e, MH_COT, MT_COA, cc, careof_token, 10, MT_T0 + 2200);
	mt_state(e, MT_CN, "WAITAR", "START");
	ATF_CHECK_EQ(mt_last_mh(&p, MH_BU)->u.bu.seq, (uint16_t)(seq + 1));
	mt_ip6(MT_CN, MT_COA, MT_HOA);
	ba = pkt_push_mh(&mt_in, MH_BA);
	ba->u.ba.seq = (uint16_t)(seq + 1);
	ba->u.ba.lifetime = 105;
	mt_feed(e, MT_T0 + 2300);
	mt_state(e, MT_CN, "BOUND", "START");
	/* the refresh at 85 % of the 416 s asked (§11.7.2: the home
	   registration had 417 s left) from that BU: RR again */
	mt_run(e, MT_T0 + 2200 + 353600);
	mt_state(e, MT_CN, "RRREDO", "WAITHC");
	n = mt.nsent;
	mt_decode(n - 2, &p);
	ATF_CHECK_EQ(p.mh.type, MH_HOTI);
	mt_decode(n - 1, &p);
	ATF_CHECK_EQ(p.mh.type, MH_COTI);
	ATF_CHECK_EQ(mt.sent[n - 1].at, MT_T0 + 2200 + 353600);
	mn_engine_free(e);
}

/* §6.1.8: BA 136 (expired home nonce) from the CN: RR again. */
ATF_TC_WITHOUT_HEAD(ro_expired_nonce);
ATF_TC_BODY(ro_expired_nonce, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct mh_msg *ba;
	struct pkt p;
	size_t n;

	e = ro_to_bu(&c, &p);
	n = mt.nsent;
	mt_ip6(MT_CN, MT_COA, MT_HOA);
	ba = pkt_push_mh(&mt_in, MH_BA);
	ba->u.ba.status = BA_EXPIRED_HOME_NONCE;
	ba->u.ba.seq = p.mh.u.bu.seq;
	mt_feed(e, MT_T0 + 1300);
	mt_state(e, MT_CN, "RRINIT", "WAITHC");
	ATF_CHECK_EQ(mt.nsent, n + 2);
	mn_engine_free(e);
}

/* reset: correspondent entries go, counters zero, home registers anew. */
ATF_TC_WITHOUT_HEAD(reset_registers_again);
ATF_TC_BODY(reset_registers_again, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct pkt p;
	const char *j;
	size_t n;

	e = ro_to_bu(&c, &p);
	n = mt.nsent;
	j = mt_ctl(e, "reset", MT_T0 + 5000);
	ATF_CHECK(strstr(j, "\"reset\":true") != NULL);
	ATF_CHECK_EQ(mt.nsent, n + 1);
	mt_last_mh(&p, MH_BU);
	mt_addr_eq(&pkt_inner_ip6(&p)->dst, MT_HA);
	j = mt_ctl(e, "bul", MT_T0 + 5000);
	ATF_CHECK(strstr(j, MT_CN) == NULL);
	mt_state(e, MT_HA, "WAITA", "START");
	mn_engine_free(e);
}

/* §11.5.4, §5.2.6: back home, the CN holding a binding gets a
   de-registration: HoTI only (RRDEL, WAITH), then a BU from the home
   address, no HAO, lifetime 0, Kbm = SHA1(home token); its BA ends RO. */
ATF_TC_WITHOUT_HEAD(ro_deregistration_at_home);
ATF_TC_BODY(ro_deregistration_at_home, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct in6_addr hoa = tu_in6(MT_HOA), cn = tu_in6(MT_CN);
	uint8_t hc[8], kbm[RR_KBM_LEN];
	const struct mt_sent *s;
	const struct hdr *mh;
	struct mh_msg *ba;
	struct pkt p;
	size_t n;

	e = ro_to_bu(&c, &p);
	mt_ip6(MT_CN, MT_COA, MT_HOA);
	ba = pkt_push_mh(&mt_in, MH_BA);
	ba->u.ba.seq = p.mh.u.bu.seq;
	ba->u.ba.lifetime = 105;
	mt_feed(e, MT_T0 + 1300);
	mt_state(e, MT_CN, "BOUND", "START");
	n = mt.nsent;
	mt_md(e, MSOCK_MD_DEREGHOME, NULL, MT_HOME_IF, MT_T0 + 2000);
	mt_state(e, MT_CN, "RRDEL", "WAITH");
	ATF_REQUIRE_EQ(mt.nsent, n + 2);	/* BU to the HA, HoTI */
	mt_decode(n + 1, &p);
	ATF_CHECK_EQ(p.mh.type, MH_HOTI);
	mt_addr_eq(&pkt_inner_ip6(&p)->src, MT_HOA);
	last_cookie(MH_HOTI, hc);
	test_msg(e, MH_HOT, MT_HOA, hc, home_token, 11, MT_T0 + 2100);
	mt_state(e, MT_CN, "WAITD", "START");
	mt_last_mh(&p, MH_BU);
	mt_addr_eq(&pkt_inner_ip6(&p)->src, MT_HOA);
	mt_addr_eq(&pkt_inner_ip6(&p)->dst, MT_CN);
	ATF_CHECK(pkt_hao(&p) == NULL);
	ATF_CHECK_EQ(p.mh.u.bu.lifetime, 0);
	ATF_CHECK_EQ(mh_find_opt(&p.mh, MHOPT_NI)->u.ni.home, 11);
	ATF_REQUIRE_EQ(rr_kbm(home_token, NULL, kbm), 0);
	mh = pkt_find_last(&p, HDR_MH);
	s = &mt.sent[mt.nsent - 1];
	ATF_CHECK_EQ(rr_verify_mh(s->bytes + mh->off, s->len - mh->off, kbm,
	    &hoa, &cn), 1);
	/* the CN's BA comes to the home address, no RH2 */
	mt_ip6(MT_CN, MT_HOA, NULL);
	ba = pkt_push_mh(&mt_in, MH_BA);
	ba->u.ba.seq = p.mh.u.bu.seq;
	mt_feed(e, MT_T0 + 2200);
	mt_state(e, MT_CN, "IDLE", "START");
	ATF_CHECK(mt.nro_del > 0);
	mn_engine_free(e);
}

/* ------------------------------------------------------ Packet Too Big */

#define MNN	"2001:db8:10:1::5"	/* a node in a mobile network */

/* A M6S_PTB record: src -> dst Echo Request of 1328 bytes, dropped by
   the plane with `mtu` for its sender. */
static void
feed_ptb(struct mn_engine *e, const char *src, uint32_t mtu, uint64_t now,
    uint8_t *quote, size_t *qlen)
{
	struct icmp6_msg *m;
	struct m6_sig sig;
	struct mn_input in;
	uint16_t i;

	mt_ip6(src, MT_CN, NULL);
	m = pkt_push_icmp6(&mt_in, ICMP6_T_ECHO_REQUEST, 0);
	for (i = 0; i < 1280; i++)
		m->body[i] = (uint8_t)(i * 3);
	m->body_len = 1280;
	ATF_REQUIRE_EQ(pkt_encode(&mt_in, quote, 2048, qlen), 0);
	memset(&sig, 0, sizeof(sig));
	sig.reason = M6S_PTB;
	sig.ifindex = MT_IF;
	sig.mtu = mtu;
	sig.wirelen = (uint32_t)*qlen;
	sig.caplen = (uint32_t)*qlen;
	in.sig = &sig;
	in.data = quote;
	mt.now = now;
	mn_engine_input(e, &in, now);
}

/* The last packet sent is a Packet Too Big src -> dst with mtu, quoting
   the first 1232 bytes of quote. */
static void
last_ptb(const char *src, const char *dst, uint32_t mtu,
    const uint8_t *quote)
{
	struct pkt p;

	ATF_REQUIRE(mt.nsent > 0);
	mt_decode(mt.nsent - 1, &p);	/* checksum checked: no violation */
	ATF_CHECK_EQ(mt.sent[mt.nsent - 1].len, 1280);
	ATF_REQUIRE(p.has_icmp6);
	ATF_CHECK_EQ(p.icmp6.type, ICMP6_T_PKT_TOO_BIG);
	ATF_CHECK_EQ(p.icmp6.code, 0);
	ATF_CHECK_EQ(p.icmp6.u.mtu, mtu);
	mt_addr_eq(&pkt_inner_ip6(&p)->src, src);
	mt_addr_eq(&pkt_inner_ip6(&p)->dst, dst);
	tu_bytes_eq("quote", p.icmp6.body, p.icmp6.body_len, quote, 1232);
}

/* RFC 4443 §3.2: our own packet (from the HoA) too big for the tunnel:
   the PTB goes from the HoA to the HoA, delivered locally. */
ATF_TC_WITHOUT_HEAD(ptb_own_traffic);
ATF_TC_BODY(ptb_own_traffic, tc)
{
	static uint8_t quote[2048];
	struct mnd_conf c;
	struct mn_engine *e;
	const char *ctl;
	size_t n, qlen;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	mt_move(e, MT_COA, MT_T0);
	n = mt.nsent;
	feed_ptb(e, MT_HOA, 1460, MT_T0 + 10, quote, &qlen);
	ATF_REQUIRE_EQ(mt.nsent, n + 1);
	last_ptb(MT_HOA, MT_HOA, 1460, quote);
	ctl = mt_ctl(e, "counters", MT_T0 + 10);
	ATF_CHECK_MSG(strstr(ctl, "\"md_info\":1,\"ptb\":1}") != NULL, "%s",
	    ctl);
	ATF_CHECK_MSG(strstr(ctl, "\"be\":0,\"ptb\":1}") != NULL, "%s", ctl);
	mn_engine_free(e);
}

/* A mobile network node's packet: the PTB comes from the CoA; with no
   CoA nothing is sent. */
ATF_TC_WITHOUT_HEAD(ptb_mobile_network);
ATF_TC_BODY(ptb_mobile_network, tc)
{
	static uint8_t quote[2048];
	struct mnd_conf c;
	struct mn_engine *e;
	size_t qlen;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	feed_ptb(e, MNN, 1476, MT_T0, quote, &qlen);
	ATF_CHECK_EQ(mt.nsent, 0);
	mt_move(e, MT_COA, MT_T0 + 10);
	feed_ptb(e, MNN, 1476, MT_T0 + 20, quote, &qlen);
	last_ptb(MT_COA, MNN, 1476, quote);
	mn_engine_free(e);
}

/* RFC 4443 §2.4 (f): at most 10 a second. */
ATF_TC_WITHOUT_HEAD(ptb_rate_limited);
ATF_TC_BODY(ptb_rate_limited, tc)
{
	static uint8_t quote[2048];
	struct mnd_conf c;
	struct mn_engine *e;
	size_t i, n, qlen;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	mt_move(e, MT_COA, MT_T0);
	n = mt.nsent;
	for (i = 0; i < 15; i++)
		feed_ptb(e, MT_HOA, 1460, MT_T0 + 10 + i, quote, &qlen);
	ATF_CHECK_EQ(mt.nsent, n + 10);
	feed_ptb(e, MT_HOA, 1460, MT_T0 + 1100, quote, &qlen);
	ATF_CHECK_EQ(mt.nsent, n + 11);
	mn_engine_free(e);
}

/* ------------------------------------------- RFC 6275 §11.7.1, §11.8 */

/* MD_INFO rereg to coa with the CoA's valid lifetime (MSA_LIFETIME). */
static void
move_lifetime(struct mn_engine *e, const char *coa, uint32_t life,
    uint64_t now)
{
	struct msock_msg m;

	mt_md_msg(&m, MSOCK_MD_REREG, coa, MT_IF);
	m.lifetime = life;
	m.present |= 1u << MSA_LIFETIME;
	mt.now = now;
	mn_engine_bus(e, &m, now);
}

/* §11.7.1: the home BU's Lifetime never exceeds the CoA's remaining
   valid lifetime (MD_INFO MSA_LIFETIME; 0xffffffff and absent: no
   limit), and is never 0 for a registration. */
ATF_TC_WITHOUT_HEAD(bu_lifetime_coa);
ATF_TC_BODY(bu_lifetime_coa, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct pkt p;
	uint16_t seq;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	move_lifetime(e, MT_COA, 100, MT_T0);
	ATF_CHECK_EQ(mt_last_mh(&p, MH_BU)->u.bu.lifetime, 25);
	/* the retransmission 1.5 s later: 98 s left, 24 units */
	mt_run(e, MT_T0 + 1500);
	ATF_CHECK_EQ(mt_last_mh(&p, MH_BU)->u.bu.lifetime, 24);
	seq = p.mh.u.bu.seq;
	mt_ba(e, MT_HA, BA_ACCEPTED, seq, 105, 0, MT_T0 + 1600);
	mt_state(e, MT_HA, "BOUND", "START");
	/* §11.7.3: the smaller of asked and granted holds: 96 s */
	ATF_CHECK_EQ(mt.hoa[mt.nhoa - 1].expires_ms, MT_T0 + 1500 + 96000);
	/* a new CoA with 2 s left: one unit, not zero */
	move_lifetime(e, MT_COA2, 2, MT_T0 + 2000);
	ATF_CHECK_EQ(mt_last_mh(&p, MH_BU)->u.bu.lifetime, 1);
	/* infinite */
	move_lifetime(e, MT_COA, 0xffffffffu, MT_T0 + 3000);
	ATF_CHECK_EQ(mt_last_mh(&p, MH_BU)->u.bu.lifetime, 105);
	/* absent: infinite too */
	mt_move(e, MT_COA2, MT_T0 + 4000);
	ATF_CHECK_EQ(mt_last_mh(&p, MH_BU)->u.bu.lifetime, 105);
	mn_engine_free(e);
}

/* §11.7.1: nor the home address's (its prefix's valid lifetime, from a
   Mobile Prefix Advertisement). */
ATF_TC_WITHOUT_HEAD(bu_lifetime_home_prefix);
ATF_TC_BODY(bu_lifetime_home_prefix, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct pkt p;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	bound(e);
	/* unsolicited, with the home prefix valid for 600 s */
	mpa_send(e, "2001:db8:1::", 600, 1, MT_T0 + 1000);
	/* the refresh at 85 % of 420 s: 600 - 356 = 244 s left: 61 units */
	mt_run(e, MT_T0 + 357000);
	ATF_CHECK_EQ(mt_last_mh(&p, MH_BU)->u.bu.lifetime, 61);
	mt_state(e, MT_HA, "WAITAR", "START");
	mn_engine_free(e);
}

/* §11.7.1: L when the HoA's interface identifier is a link-local
   address's (fe80::100 on one managed interface); not otherwise. */
ATF_TC_WITHOUT_HEAD(bu_l_flag);
ATF_TC_BODY(bu_l_flag, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct mn_iface ifs[2];
	struct pkt p;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	memset(ifs, 0, sizeof(ifs));
	ifs[0].ifindex = MT_HOME_IF;
	ifs[0].ll = tu_in6("fe80::1:2");
	ifs[1].ifindex = MT_IF;
	ifs[1].ll = tu_in6("fe80::100");
	mn_engine_set_ifaces(e, ifs, 2);
	mt_move(e, MT_COA, MT_T0);
	ATF_CHECK_EQ(mt_last_mh(&p, MH_BU)->u.bu.flags, AH | MH_BU_L);
	ATF_CHECK(strstr(mt_ctl(e, "bul", MT_T0), "\"flags\":\"A H L\"") !=
	    NULL);
	mn_engine_free(e);

	e = mt_engine(&c);
	ifs[1].ll = tu_in6("fe80::101");
	mn_engine_set_ifaces(e, ifs, 2);
	mt_move(e, MT_COA, MT_T0);
	ATF_CHECK_EQ(mt_last_mh(&p, MH_BU)->u.bu.flags, AH);
	mn_engine_free(e);
}

/* The packets sent to MT_CN from index `from` on, as send times. */
static size_t
sent_to_cn(size_t from, uint8_t type, uint64_t *at, size_t max)
{
	struct in6_addr cn = tu_in6(MT_CN);
	struct pkt p;
	size_t i, n = 0;

	for (i = from; i < mt.nsent; i++) {
		mt_decode(i, &p);
		if (!p.has_mh || p.mh.type != type ||
		    memcmp(&pkt_inner_ip6(&p)->dst, &cn, sizeof(cn)) != 0)
			continue;
		if (n < max)
			at[n] = mt.sent[i].at;
		n++;
	}
	return n;
}

/* §11.8 toward a correspondent: BUs at 0, 1, 3, 7, 15, 31 s; when the
   32 s wait (MAX_BINDACK_TIMEOUT) ends unanswered the MN gives up:
   IDLE, mn_ro removed (tunnel), counted, shown, no more BUs; a new CoA
   lets the next hint try again. */
ATF_TC_WITHOUT_HEAD(ro_bu_gives_up);
ATF_TC_BODY(ro_bu_gives_up, tc)
{
	static const uint64_t want[] = { 0, 1000, 3000, 7000, 15000, 31000 };
	const uint64_t t0 = MT_T0 + 1200;
	struct mnd_conf c;
	struct mn_engine *e;
	struct pkt p;
	uint64_t at[8];
	size_t i, n, n0, ndel;

	e = ro_to_bu(&c, &p);
	n0 = mt.nsent - 1;
	ndel = mt.nro_del;
	mt_run(e, t0 + 62999);
	mt_state(e, MT_CN, "WAITA", "START");
	n = sent_to_cn(n0, MH_BU, at, 8);
	ATF_REQUIRE_EQ(n, 6);
	for (i = 0; i < n; i++)
		ATF_CHECK_EQ_MSG(at[i], t0 + want[i], "BU %zu at %llu", i,
		    (unsigned long long)(at[i] - t0));
	mt_run(e, t0 + 63000);
	mt_state(e, MT_CN, "IDLE", "START");
	ATF_CHECK(mt.nro_del > ndel);
	ATF_CHECK(strstr(mt_ctl(e, "bul", mt.now), "\"gave_up\":true") !=
	    NULL);
	ATF_CHECK(strstr(mt_ctl(e, "counters", mt.now),
	    "\"ro\":{\"gave_up\":1}") != NULL);
	/* another hint from it: no return routability */
	n0 = mt.nsent;
	rr_hint(e, t0 + 64000);
	ATF_CHECK_EQ(mt.nsent, n0);
	mt_state(e, MT_CN, "IDLE", "START");
	/* a new CoA: the entry goes; the next hint starts RR again */
	mt_move(e, MT_COA2, t0 + 65000);
	mt_run(e, t0 + 65000);
	ATF_CHECK(strstr(mt_ctl(e, "bul", mt.now), MT_CN) == NULL);
	mn_engine_free(e);
}

/* §11.8: the same for the return routability exchange (HoTI/CoTI). */
ATF_TC_WITHOUT_HEAD(ro_rr_gives_up);
ATF_TC_BODY(ro_rr_gives_up, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	uint64_t at[8];
	size_t n0;

	mt_conf(&c, MT_HA);
	c.route_opt = true;
	e = mt_engine(&c);
	bound(e);
	n0 = mt.nsent;
	rr_hint(e, MT_T0 + 1000);
	mt_state(e, MT_CN, "RRINIT", "WAITHC");
	mt_run(e, MT_T0 + 1000 + 62999);
	mt_state(e, MT_CN, "RRINIT", "WAITHC");
	/* 0, 1, 3, 7, 15, 31 s */
	ATF_REQUIRE_EQ(sent_to_cn(n0, MH_HOTI, at, 8), 6);
	ATF_CHECK_EQ(at[5], MT_T0 + 1000 + 31000);
	mt_run(e, MT_T0 + 1000 + 63000);
	mt_state(e, MT_CN, "IDLE", "START");
	ATF_CHECK(strstr(mt_ctl(e, "counters", mt.now),
	    "\"ro\":{\"gave_up\":1}") != NULL);
	mn_engine_free(e);
}

/* §11.7.3, §9.5.1: 139 to a home registration: the HA's node holds a
   correspondent binding of ours, which lasts at most 420 s: the BU
   keeps being retransmitted with back-off, and succeeds later. */
ATF_TC_WITHOUT_HEAD(ba_139_home_retries);
ATF_TC_BODY(ba_139_home_retries, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct pkt p;
	uint16_t seq;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	seq = first_bu(e);
	mt_ba(e, MT_HA, BA_REG_TYPE_CHANGE, seq, 0, 0, MT_T0 + 10);
	mt_state(e, MT_HA, "WAITA", "START");
	ATF_CHECK_EQ(mn_engine_next_timeout(e), MT_T0 + 1500);
	mt_run(e, MT_T0 + 1500);
	ATF_CHECK_EQ(mt_last_mh(&p, MH_BU)->u.bu.seq, (uint16_t)(seq + 1));
	ATF_CHECK_EQ(mn_engine_next_timeout(e), MT_T0 + 4500);
	mt_ba(e, MT_HA, BA_ACCEPTED, (uint16_t)(seq + 1), 105, 0,
	    MT_T0 + 1600);
	mt_state(e, MT_HA, "BOUND", "START");
	ATF_CHECK(strstr(mt_ctl(e, "counters", mt.now), "\"139\":1") !=
	    NULL);
	mn_engine_free(e);
}

/* §11.7.3: a correspondent's refusal (129; 139: it holds a home
   registration of ours): no more BUs to it, traffic through the
   tunnel (mn_ro removed), shown in bul. */
ATF_TC_WITHOUT_HEAD(ro_ba_refused);
ATF_TC_BODY(ro_ba_refused, tc)
{
	static const uint8_t st[] = { BA_PROHIBITED, BA_REG_TYPE_CHANGE };
	struct mnd_conf c;
	struct mn_engine *e;
	struct mh_msg *ba;
	struct pkt p;
	char want[32];
	uint64_t at[8];
	size_t i, n, ndel;

	for (i = 0; i < sizeof(st); i++) {
		e = ro_to_bu(&c, &p);
		ndel = mt.nro_del;
		mt_ip6(MT_CN, MT_COA, MT_HOA);
		ba = pkt_push_mh(&mt_in, MH_BA);
		ba->u.ba.seq = p.mh.u.bu.seq;
		ba->u.ba.status = st[i];
		mt_feed(e, MT_T0 + 1300);
		mt_state(e, MT_CN, "IDLE", "START");
		ATF_CHECK(mt.nro_del > ndel);
		snprintf(want, sizeof(want), "\"refused\":%u", st[i]);
		ATF_CHECK(strstr(mt_ctl(e, "bul", mt.now), want) != NULL);
		n = mt.nsent;
		rr_hint(e, MT_T0 + 5000);
		mt_run(e, MT_T0 + 60000);
		ATF_CHECK_EQ_MSG(sent_to_cn(n, MH_HOTI, at, 8) +
		    sent_to_cn(n, MH_BU, at, 8), 0, "status %u: RO again",
		    st[i]);
		mn_engine_free(e);
	}
}

/* §11.7.3, §11.4.2: status 1 (accepted, prefix discovery necessary):
   bound, and a Mobile Prefix Solicitation to the HA. */
ATF_TC_WITHOUT_HEAD(ba_1_prefix_discovery);
ATF_TC_BODY(ba_1_prefix_discovery, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct pkt p;
	uint16_t seq;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	seq = first_bu(e);
	mt_ba(e, MT_HA, BA_ACCEPTED_PREFIX_DISCOVERY, seq, 105, 0,
	    MT_T0 + 100);
	mt_state(e, MT_HA, "BOUND", "START");
	ATF_REQUIRE_EQ(mt.nsent, 2);
	mt_decode(1, &p);
	ATF_CHECK(p.has_icmp6 && p.icmp6.type == ICMP6_T_MPS);
	mt_addr_eq(&pkt_inner_ip6(&p)->dst, MT_HA);
	mn_engine_free(e);
}

/* §11.7.3: 131/132 from a discovered HA: the next one of the list. */
ATF_TC_WITHOUT_HEAD(ba_next_discovered_ha);
ATF_TC_BODY(ba_next_discovered_ha, tc)
{
	static const uint8_t st[] = { BA_HOME_REG_UNSUPPORTED,
	    BA_NOT_HOME_SUBNET };
	struct mnd_conf c;
	struct mn_engine *e;
	struct icmp6_msg *r;
	struct pkt p;
	size_t i;

	for (i = 0; i < sizeof(st); i++) {
		mt_conf(&c, NULL);
		e = mt_engine(&c);
		mt_move(e, MT_COA, MT_T0);
		mt_decode(0, &p);
		mt_ip6(MT_HA, MT_COA, NULL);
		r = pkt_push_icmp6(&mt_in, ICMP6_T_DHAAD_REPLY, 0);
		r->u.dhaad.id = p.icmp6.u.dhaad.id;
		r->u.dhaad.naddrs = 2;
		r->u.dhaad.addrs[0] = tu_in6(MT_HA);
		r->u.dhaad.addrs[1] = tu_in6(MT_HA2);
		mt_feed(e, MT_T0 + 100);
		mt_ba(e, MT_HA, st[i], mt_last_mh(&p, MH_BU)->u.bu.seq, 0, 0,
		    MT_T0 + 200);
		mt_last_mh(&p, MH_BU);
		mt_addr_eq(&pkt_inner_ip6(&p)->dst, MT_HA2);
		mt_state(e, MT_HA2, "WAITA", "START");
		mn_engine_free(e);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, home_bu_bytes);
	ATF_TP_ADD_TC(tp, retransmission_backoff);
	ATF_TP_ADD_TC(tp, accepted_bound_and_refresh);
	ATF_TP_ADD_TC(tp, ba_wrong_sequence_dropped);
	ATF_TP_ADD_TC(tp, ba_135_resync);
	ATF_TP_ADD_TC(tp, ba_rejections);
	ATF_TP_ADD_TC(tp, brr_reregisters);
	ATF_TP_ADD_TC(tp, be_from_ha);
	ATF_TP_ADD_TC(tp, movement_while_bound);
	ATF_TP_ADD_TC(tp, returning_home);
	ATF_TP_ADD_TC(tp, dhaad);
	ATF_TP_ADD_TC(tp, mobile_router_explicit);
	ATF_TP_ADD_TC(tp, mobile_router_implicit);
	ATF_TP_ADD_TC(tp, ro_bu_authenticator);
	ATF_TP_ADD_TC(tp, ro_stopped_by_be);
	ATF_TP_ADD_TC(tp, brr_from_cn_reruns_rr);
	ATF_TP_ADD_TC(tp, ro_stopped_by_param_prob);
	ATF_TP_ADD_TC(tp, ro_stopped_by_param_prob_hao);
	ATF_TP_ADD_TC(tp, ro_stopped_by_param_prob_coti);
	ATF_TP_ADD_TC(tp, restore_ro);
	ATF_TP_ADD_TC(tp, restore_bound);
	ATF_TP_ADD_TC(tp, ctl_json);
	ATF_TP_ADD_TC(tp, malformed_input);
	ATF_TP_ADD_TC(tp, two_home_addresses);
	ATF_TP_ADD_TC(tp, deregforeign_waits);
	ATF_TP_ADD_TC(tp, restore_pending);
	ATF_TP_ADD_TC(tp, mpa_unsolicited);
	ATF_TP_ADD_TC(tp, unknown_mh_type_be);
	ATF_TP_ADD_TC(tp, mps_confirms_unsolicited_mpa);
	ATF_TP_ADD_TC(tp, dhaad_backoff_cap);
	ATF_TP_ADD_TC(tp, ro_brr_and_refresh);
	ATF_TP_ADD_TC(tp, ro_expired_nonce);
	ATF_TP_ADD_TC(tp, ro_deregistration_at_home);
	ATF_TP_ADD_TC(tp, reset_registers_again);
	ATF_TP_ADD_TC(tp, ptb_own_traffic);
	ATF_TP_ADD_TC(tp, ptb_mobile_network);
	ATF_TP_ADD_TC(tp, ptb_rate_limited);
	ATF_TP_ADD_TC(tp, bu_lifetime_coa);
	ATF_TP_ADD_TC(tp, bu_lifetime_home_prefix);
	ATF_TP_ADD_TC(tp, bu_l_flag);
	ATF_TP_ADD_TC(tp, ro_bu_gives_up);
	ATF_TP_ADD_TC(tp, ro_rr_gives_up);
	ATF_TP_ADD_TC(tp, ba_139_home_retries);
	ATF_TP_ADD_TC(tp, ro_ba_refused);
	ATF_TP_ADD_TC(tp, ba_1_prefix_discovery);
	ATF_TP_ADD_TC(tp, ba_next_discovered_ha);
	return atf_no_error();
}
