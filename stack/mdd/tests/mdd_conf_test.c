/*
 * mdd_conf_test.c - mdd.conf(5): every statement, the defaults, errors
 * with FILE:LINE, and the normalised text read back to the same settings
 * (mdd_cli_test.sh runs `mdd -n` / `-nv`).
 */
#include <arpa/inet.h>
#include <atf-c.h>
#include <string.h>

#include "packets/sbuf.h"
#include "stack/mdd/mdd_conf.h"

static int
parse(struct mdd_conf *c, const char *text, char *err, size_t errlen)
{
	err[0] = '\0';
	return mdd_conf_parse(c, "t.conf", text, strlen(text), err, errlen);
}

ATF_TC_WITHOUT_HEAD(defaults);
ATF_TC_BODY(defaults, tc)
{
	struct mdd_conf c;
	char err[300];

	ATF_REQUIRE_EQ(parse(&c, "# nothing\n\n", err, sizeof err), 0);
	ATF_CHECK_EQ(c.niface, 0);
	ATF_CHECK_EQ(c.nhome, 0);
	ATF_CHECK(c.optimistic_dad);
	ATF_CHECK_EQ(c.ra_loss_intervals, 3);
	ATF_CHECK_EQ(c.ra_interval_default_ms, 10000);
	ATF_CHECK_EQ(c.nud_hold_down_ms, 10000);
	ATF_CHECK_STREQ(c.bus, "/run/mip6kit/bus");
	ATF_CHECK_STREQ(c.control, "/run/mip6kit/mdd.sock");
	ATF_CHECK_STREQ(c.user, "nobody");
	/* no interface: the check refuses it */
	ATF_CHECK_EQ(mdd_conf_check(&c, err, sizeof err), -1);
	ATF_CHECK(strstr(err, "interface") != NULL);
}

ATF_TC_WITHOUT_HEAD(every_statement);
ATF_TC_BODY(every_statement, tc)
{
	static const char text[] =
	    "interface wlan0 preference 20;\n"
	    "interface eth1;   # default preference\n"
	    "home-prefix 2001:db8:1::/64; home-prefix 2001:db8:100::/48\n"
	    "optimistic-dad no;\n"
	    "ra-loss-intervals 4;\n"
	    "ra-interval-default 1500;\n"
	    "nud-hold-down 0;\n"
	    "bus /tmp/bus;\n"
	    "control-socket /tmp/mdd.sock;\n"
	    "user daemon;\n";
	struct mdd_conf c;
	struct in6_addr a;
	char err[300];

	ATF_REQUIRE_EQ_MSG(parse(&c, text, err, sizeof err), 0, "%s", err);
	ATF_REQUIRE_EQ(c.niface, 2);
	ATF_CHECK_STREQ(c.iface[0].name, "wlan0");
	ATF_CHECK_EQ(c.iface[0].preference, 20);
	ATF_CHECK_STREQ(c.iface[1].name, "eth1");
	ATF_CHECK_EQ(c.iface[1].preference, MDD_PREF_DEFAULT);
	ATF_REQUIRE_EQ(c.nhome, 2);
	inet_pton(AF_INET6, "2001:db8:100::", &a);
	ATF_CHECK(memcmp(&c.home[1].addr, &a, 16) == 0);
	ATF_CHECK_EQ(c.home[1].plen, 48);
	ATF_CHECK(!c.optimistic_dad);
	ATF_CHECK_EQ(c.ra_loss_intervals, 4);
	ATF_CHECK_EQ(c.ra_interval_default_ms, 1500);
	ATF_CHECK_EQ(c.nud_hold_down_ms, 0);
	ATF_CHECK_STREQ(c.bus, "/tmp/bus");
	ATF_CHECK_STREQ(c.control, "/tmp/mdd.sock");
	ATF_CHECK_STREQ(c.user, "daemon");
	ATF_CHECK_EQ(mdd_conf_check(&c, err, sizeof err), 0);
}

ATF_TC_WITHOUT_HEAD(errors_with_lines);
ATF_TC_BODY(errors_with_lines, tc)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "interface eth0;\nbogus 1;\n",
		  "t.conf:2: unknown statement \"bogus\"" },
		{ "\n\ninterface eth0 preference x;\n",
		  "t.conf:3: expected a number from 0 to 65535 after "
		  "preference, found \"x\"" },
		{ "interface eth0;\ninterface eth0;\n",
		  "t.conf:2: interface eth0 given twice" },
		{ "home-prefix 2001:db8:1::1/64;\n",
		  "t.conf:1: prefix 2001:db8:1::1/64 has bits set beyond /64" },
		{ "home-prefix 2001:db8:1::;\n",
		  "t.conf:1: expected a prefix after home-prefix, found "
		  "\"2001:db8:1::\"" },
		{ "optimistic-dad maybe;\n",
		  "t.conf:1: expected yes or no after optimistic-dad, found "
		  "\"maybe\"" },
		{ "ra-loss-intervals 0;\n",
		  "t.conf:1: expected a number from 1 to 100 after "
		  "ra-loss-intervals, found \"0\"" },
		{ "ra-loss-intervals 3;\nra-loss-intervals 4;\n",
		  "t.conf:2: ra-loss-intervals given twice" },
		{ "bus relative/path;\n",
		  "t.conf:1: expected an absolute path after bus, found "
		  "\"relative/path\"" },
		{ "control-socket;\n",
		  "t.conf:1: expected an absolute path after control-socket, "
		  "found end of statement" },
		{ "interface eth0 extra;\n",
		  "t.conf:1: expected \";\" or end of line after interface, "
		  "found \"extra\"" },
	};
	struct mdd_conf c;
	char err[300];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ATF_CHECK_EQ_MSG(parse(&c, cases[i].text, err, sizeof err), -1,
		    "case %zu accepted", i);
		ATF_CHECK_STREQ_MSG(err, cases[i].msg, "case %zu", i);
	}
}

ATF_TC_WITHOUT_HEAD(round_trip);
ATF_TC_BODY(round_trip, tc)
{
	static const char text[] =
	    "interface a0 preference 5\ninterface b1\n"
	    "home-prefix 2001:db8:1::/64\noptimistic-dad no\n"
	    "ra-loss-intervals 2\nra-interval-default 700\n";
	struct mdd_conf c, d;
	char err[300], out[4096];
	struct sbuf sb;

	ATF_REQUIRE_EQ_MSG(parse(&c, text, err, sizeof err), 0, "%s", err);
	sbuf_init(&sb, out, sizeof out);
	mdd_conf_print(&sb, &c);
	ATF_REQUIRE(!sb.trunc);
	ATF_CHECK(strstr(out, "interface a0 preference 5;\n") != NULL);
	ATF_CHECK(strstr(out, "interface b1 preference 100;\n") != NULL);
	ATF_CHECK(strstr(out, "home-prefix 2001:db8:1::/64;\n") != NULL);
	ATF_CHECK(strstr(out, "optimistic-dad no;\n") != NULL);
	ATF_REQUIRE_EQ_MSG(parse(&d, out, err, sizeof err), 0, "%s", err);
	ATF_CHECK(memcmp(&c, &d, sizeof c) == 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, defaults);
	ATF_TP_ADD_TC(tp, every_statement);
	ATF_TP_ADD_TC(tp, errors_with_lines);
	ATF_TP_ADD_TC(tp, round_trip);
	return atf_no_error();
}
