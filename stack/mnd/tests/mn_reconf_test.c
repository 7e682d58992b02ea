/*
 * mn_reconf_test.c - the mobile node engine taking a new configuration
 * (mn_engine_reconf, what `mnd` does on SIGHUP or `mip6ctl reload`), in
 * virtual time with mntest.h's recording ops: a home address added
 * registers at once with the lifetime of the new file, one removed is
 * de-registered (a Binding Update with lifetime 0 and its Home Address
 * option) and leaves the binding update list, the others keep their
 * state.
 */
#include <atf-c.h>
#include <string.h>

#include "packets/mh.h"
#include "packets/pkt.h"
#include "stack/mnd/tests/mntest.h"

#define HOA2	"2001:db8:1::200"

/* The last packet sent is a BU for hoa: its lifetime (4 s units). */
static unsigned
last_bu_for(const char *hoa)
{
	struct pkt p;
	const struct mh_msg *m = mt_last_mh(&p, MH_BU);
	const struct in6_addr *h = pkt_hao(&p);

	ATF_REQUIRE_MSG(h != NULL, "BU without a Home Address option");
	mt_addr_eq(h, hoa);
	return m->u.bu.lifetime;
}

static void
add_hoa2(struct mnd_conf *c)
{
	c->nhoa = 2;
	c->hoa[1].pfx.addr = tu_in6(HOA2);
	c->hoa[1].pfx.plen = 64;
	c->hoa[1].has_ha = true;
	c->hoa[1].ha = tu_in6(MT_HA);
}

ATF_TC_WITHOUT_HEAD(add_and_remove_home_address);
ATF_TC_BODY(add_and_remove_home_address, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	struct pkt p;
	uint16_t seq;
	size_t n;
	const char *j;

	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	mt_move(e, MT_COA, MT_T0);
	seq = mt_last_mh(&p, MH_BU)->u.bu.seq;
	mt_ba(e, MT_HA, BA_ACCEPTED, seq, 100, 0, MT_T0 + 100);
	mt_state(e, MT_HA, "BOUND", "START");

	/* a second home address and lifetime 100 s: its BU leaves at once,
	   asking 25 units; the first entry is untouched */
	add_hoa2(&c);
	c.lifetime = 100;
	n = mt.nsent;
	mt.now = MT_T0 + 1000;
	mn_engine_reconf(e, &c, MT_T0 + 1000);
	ATF_REQUIRE_EQ(mt.nsent, n + 1);
	ATF_CHECK_EQ(last_bu_for(HOA2), 25);
	j = mt_ctl(e, "bul", MT_T0 + 1000);
	ATF_CHECK_MSG(strstr(j, "\"hoa\":\"" MT_HOA "\"") != NULL, "%s", j);
	ATF_CHECK_MSG(strstr(j, "\"hoa\":\"" HOA2 "\"") != NULL, "%s", j);
	ATF_CHECK_MSG(strstr(j, "\"reg_state\":\"BOUND\"") != NULL, "%s", j);

	/* the same file again: nothing is sent */
	mn_engine_reconf(e, &c, MT_T0 + 2000);
	ATF_CHECK_EQ(mt.nsent, n + 1);

	/* the first one removed: de-registered (lifetime 0), then gone;
	   the second keeps its state although its index changed */
	c.hoa[0] = c.hoa[1];
	c.nhoa = 1;
	mt.now = MT_T0 + 3000;
	mn_engine_reconf(e, &c, MT_T0 + 3000);
	ATF_REQUIRE_EQ(mt.nsent, n + 2);
	ATF_CHECK_EQ(last_bu_for(MT_HOA), 0);
	j = mt_ctl(e, "bul", MT_T0 + 3000);
	ATF_CHECK_MSG(strstr(j, "\"hoa\":\"" MT_HOA "\"") == NULL, "%s", j);
	ATF_CHECK_MSG(strstr(j, "\"hoa\":\"" HOA2 "\"") != NULL, "%s", j);
	/* the remaining entry still retransmits its BU (WAITA) on its own
	   schedule: 1.5 s after it was sent (InitialBindackTimeoutFirstReg) */
	mt_run(e, MT_T0 + 1000 + 1499);
	ATF_CHECK_EQ(mt.nsent, n + 2);
	mt_run(e, MT_T0 + 1000 + 1500);
	ATF_REQUIRE_EQ(mt.nsent, n + 3);
	ATF_CHECK_EQ(last_bu_for(HOA2), 25);
	mn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(no_coa_waits);
ATF_TC_BODY(no_coa_waits, tc)
{
	struct mnd_conf c;
	struct mn_engine *e;
	const char *j;

	/* no care-of address yet: the new entry waits (IDLE), nothing sent */
	mt_conf(&c, MT_HA);
	e = mt_engine(&c);
	add_hoa2(&c);
	mn_engine_reconf(e, &c, MT_T0);
	ATF_CHECK_EQ(mt.nsent, 0);
	j = mt_ctl(e, "bul", MT_T0);
	ATF_CHECK_MSG(strstr(j, "\"hoa\":\"" HOA2 "\"") != NULL, "%s", j);
	/* then the CoA: both register */
	mt_move(e, MT_COA, MT_T0 + 10);
	ATF_CHECK_EQ(mt.nsent, 2);
	mn_engine_free(e);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, add_and_remove_home_address);
	ATF_TP_ADD_TC(tp, no_coa_waits);
	return atf_no_error();
}
