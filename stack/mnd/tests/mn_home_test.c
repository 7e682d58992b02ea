/*
 * stack/mnd/tests/mn_home_test.c - the mobile node engine returning home
 * (RFC 6275 §11.5.4), on the two points the namespace test tcp_handovers
 * showed matter: the de-registration BU leaves only once mn_hoa no longer
 * tunnels (else mn.bpf.c sends it through the tunnel, and the home
 * agent's BA to the home address on the home link finds nobody there),
 * and a de-registration the home agent refuses (133: the binding went
 * with an earlier BU whose BA was lost) still puts the home address back
 * on the home link, holding nothing against the home agent.
 */

#include <atf-c.h>
#include <stdbool.h>

#include "stack/mnd/tests/mntest.h"
#include "stack/mnd/mn_engine_impl.h"

/* Was M6H_AWAY set in the last mn_hoa record when packet i left? */
static bool away_at_send[MT_MAXSENT];

static void
send_noting_away(void *ctx, unsigned oif, const uint8_t *pkt, size_t len)
{
	if (mt.nsent < MT_MAXSENT)
		away_at_send[mt.nsent] = mt.nhoa > 0 &&
		    (mt.hoa[mt.nhoa - 1].flags & M6H_AWAY) != 0;
	mt_send(ctx, oif, pkt, len);
}

/* A bound home registration from MT_COA; the tunnel in place. */
static uint16_t
bound_away(struct mn_engine *e)
{
	struct pkt p;
	uint16_t seq;

	e->ops.send = send_noting_away;
	mt_move(e, MT_COA, MT_T0);
	seq = mt_last_mh(&p, MH_BU)->u.bu.seq;
	mt_ba(e, MT_HA, BA_ACCEPTED, seq, 105, 0, MT_T0 + 100);
	mt_state(e, MT_HA, "BOUND", "START");
	ATF_REQUIRE((mt.hoa[mt.nhoa - 1].flags & M6H_AWAY) != 0);
	return seq;
}

ATF_TC_WITHOUT_HEAD(dereg_bu_not_tunneled);
ATF_TC_BODY(dereg_bu_not_tunneled, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	const struct mh_msg *m;
	struct pkt p;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	bound_away(e);
	mt_md(e, MSOCK_MD_DEREGHOME, NULL, MT_HOME_IF, MT_T0 + 10000);
	m = mt_last_mh(&p, MH_BU);
	ATF_REQUIRE_EQ(m->u.bu.lifetime, 0);
	ATF_CHECK_EQ(mt.sent[mt.nsent - 1].oif, MT_HOME_IF);
	ATF_CHECK_MSG(!away_at_send[mt.nsent - 1], "the de-registration BU "
	    "left while mn_hoa still sent the home address's packets "
	    "through the tunnel");
	mn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(dereg_refused_still_home);
ATF_TC_BODY(dereg_refused_still_home, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	const struct mh_msg *m;
	struct mh_msg *ba;
	struct pkt p;
	uint16_t seq;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	bound_away(e);
	mt_md(e, MSOCK_MD_DEREGHOME, NULL, MT_HOME_IF, MT_T0 + 10000);
	/* the BA is lost; the retransmission (InitialBindackTimeout 1 s)
	   finds the binding gone: 133 Not home agent for this node */
	mt_run(e, MT_T0 + 11000);
	m = mt_last_mh(&p, MH_BU);
	ATF_REQUIRE_EQ(m->u.bu.lifetime, 0);
	ATF_REQUIRE_EQ(mt.sent[mt.nsent - 1].at, MT_T0 + 11000);
	seq = m->u.bu.seq;
	mt_ip6(MT_HA, MT_HOA, NULL);
	ba = pkt_push_mh(&mt_in, MH_BA);
	ATF_REQUIRE(ba != NULL);
	ba->u.ba.status = BA_NOT_HOME_AGENT;
	ba->u.ba.seq = seq;
	mt_feed(e, MT_T0 + 11050);
	mt_state(e, MT_HA, "IDLE", "START");
	ATF_REQUIRE_EQ(mt.nplace, 1);
	mt_addr_eq(&mt.place[0].hoa, MT_HOA);
	ATF_CHECK_EQ(mt.place[0].plen, 64);
	ATF_CHECK_EQ(mt.place[0].ifindex, MT_HOME_IF);
	/* nothing held against the home agent: away again, a new
	   registration with it */
	mt_move(e, MT_COA2, MT_T0 + 30000);
	m = mt_last_mh(&p, MH_BU);
	ATF_CHECK(m->u.bu.lifetime > 0);
	mt_addr_eq(&pkt_inner_ip6(&p)->src, MT_COA2);
	mt_state(e, MT_HA, "WAITA", "START");
	mn_engine_free(e);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, dereg_bu_not_tunneled);
	ATF_TP_ADD_TC(tp, dereg_refused_still_home);
	return atf_no_error();
}
