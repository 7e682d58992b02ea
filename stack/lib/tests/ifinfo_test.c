/*
 * stack/lib/tests/ifinfo_test.c - interface look-ups (ifinfo.h) on the
 * loopback, which every namespace has: index, MTU, no link-local
 * address; ::1 in the address walk; the error text for a missing
 * interface.
 */
#include <atf-c.h>
#include <net/if.h>
#include <string.h>

#include "stack/lib/ifinfo.h"

ATF_TC_WITHOUT_HEAD(loopback);
ATF_TC_BODY(loopback, tc)
{
	struct if_info ii;
	char err[128];

	ATF_REQUIRE_EQ(if_info_get("lo", &ii, err, sizeof err), 0);
	ATF_CHECK_EQ(ii.ifindex, if_nametoindex("lo"));
	ATF_CHECK(ii.mtu >= 1280);
	ATF_CHECK(!ii.have_ll);		/* lo has ::1, no fe80:: */
	ATF_CHECK_EQ(memcmp(ii.mac, "\0\0\0\0\0\0", 6), 0);
}

ATF_TC_WITHOUT_HEAD(missing_interface);
ATF_TC_BODY(missing_interface, tc)
{
	struct if_info ii;
	char err[128];

	ATF_CHECK_EQ(if_info_get("nosuch0", &ii, err, sizeof err), -1);
	ATF_CHECK_MATCH("^interface nosuch0: ", err);
}

static void
count_lo6(void *arg, const char *ifname, const struct in6_addr *a)
{
	if (strcmp(ifname, "lo") == 0 && IN6_IS_ADDR_LOOPBACK(a))
		(*(int *)arg)++;
}

ATF_TC_WITHOUT_HEAD(walk_sees_loopback);
ATF_TC_BODY(walk_sees_loopback, tc)
{
	int n = 0;

	ATF_REQUIRE_EQ(if_addr6_walk(count_lo6, &n), 0);
	ATF_CHECK_EQ(n, 1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, loopback);
	ATF_TP_ADD_TC(tp, missing_interface);
	ATF_TP_ADD_TC(tp, walk_sees_loopback);
	return atf_no_error();
}
