/*
 * stack/cnd/tests/cnd_conf_test.c - cnd.conf(5): defaults, every
 * statement, ";" optional, errors with their line, the checks across
 * statements, and the normalised text parsing back to the same settings.
 */
#include <atf-c.h>
#include <string.h>

#include "packets/sbuf.h"
#include "stack/cnd/cnd_conf.h"

static int
parse(struct cnd_conf *c, const char *text, char *err, size_t errlen)
{
	return cnd_conf_parse(c, "t", text, strlen(text), err, errlen);
}

ATF_TC_WITHOUT_HEAD(defaults);
ATF_TC_BODY(defaults, tc)
{
	struct cnd_conf c;
	char err[300];

	ATF_REQUIRE(parse(&c, "interface eth0\n", err, sizeof(err)) == 0);
	ATF_REQUIRE_EQ(c.niface, 1);
	ATF_REQUIRE_STREQ(c.iface[0], "eth0");
	ATF_REQUIRE_EQ(c.max_bindings, 1024);
	ATF_REQUIRE_EQ(c.max_lifetime, 420);
	ATF_REQUIRE_EQ(c.nonce_lifetime, 240);
	ATF_REQUIRE_EQ(c.token_lifetime, 210);
	ATF_REQUIRE_EQ(c.kcn_lifetime, 3600);
	ATF_REQUIRE_STREQ(c.control, "/run/mip6kit/cnd.sock");
	ATF_REQUIRE_STREQ(c.bus, "/run/mip6kit/bus");
	ATF_REQUIRE_STREQ(c.state_dir, "/sys/fs/bpf/mip6kit/cnd");
	ATF_REQUIRE_STREQ(c.user, "nobody");
	ATF_REQUIRE(cnd_conf_check(&c, err, sizeof(err)) == 0);
}

ATF_TC_WITHOUT_HEAD(every_statement);
ATF_TC_BODY(every_statement, tc)
{
	static const char text[] =
	    "# a correspondent\n"
	    "interface eth0;\n"
	    "interface eth1 ;  # second\n"
	    "max-bindings 64;\n"
	    "max-binding-lifetime 100\n"
	    "nonce-lifetime 120;\n"
	    "token-lifetime 100;\n"
	    "kcn-lifetime 600;\n"
	    "binding-error-rate 3;\n"
	    "bus /tmp/bus;\n"
	    "control-socket /tmp/cnd.sock;\n"
	    "state-dir /sys/fs/bpf/x;\n"
	    "user daemon;\n";
	struct cnd_conf c;
	char err[300];

	ATF_REQUIRE_MSG(parse(&c, text, err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_EQ(c.niface, 2);
	ATF_REQUIRE_STREQ(c.iface[1], "eth1");
	ATF_REQUIRE_EQ(c.max_bindings, 64);
	ATF_REQUIRE_EQ(c.max_lifetime, 100);
	ATF_REQUIRE_EQ(c.nonce_lifetime, 120);
	ATF_REQUIRE_EQ(c.token_lifetime, 100);
	ATF_REQUIRE_EQ(c.kcn_lifetime, 600);
	ATF_REQUIRE_EQ(c.rate_be, 3);
	ATF_REQUIRE_STREQ(c.bus, "/tmp/bus");
	ATF_REQUIRE_STREQ(c.control, "/tmp/cnd.sock");
	ATF_REQUIRE_STREQ(c.state_dir, "/sys/fs/bpf/x");
	ATF_REQUIRE_STREQ(c.user, "daemon");
	ATF_REQUIRE_MSG(cnd_conf_check(&c, err, sizeof(err)) == 0, "%s", err);
}

static void
bad(const char *text, const char *want)
{
	struct cnd_conf c;
	char err[300];

	ATF_REQUIRE_MSG(parse(&c, text, err, sizeof(err)) == -1, "%s", text);
	ATF_REQUIRE_MSG(strstr(err, want) != NULL, "got \"%s\", want \"%s\"",
	    err, want);
}

ATF_TC_WITHOUT_HEAD(errors);
ATF_TC_BODY(errors, tc)
{
	bad("interface eth0\nmax-binding-lifetime 421\n",
	    "t:2: max-binding-lifetime: expected a number from 4 to 420");
	bad("nonce-lifetime 241\n", "t:1: nonce-lifetime");
	bad("bogus 1\n", "t:1: unknown statement \"bogus\"");
	bad("interface\n", "t:1: interface takes exactly one value");
	bad("interface a b\n", "t:1: interface takes exactly one value");
	bad("interface a; interface b\n", "t:1: text after \";\"");
	bad("\n;\n", "t:2: empty statement");
	bad("interface a\ninterface a\n", "t:2: interface a given twice");
	bad("bus relative\n", "t:1: bus must be an absolute path");
	bad("max-bindings 0\n", "t:1: max-bindings");
	bad("max-bindings 12x\n", "t:1: max-bindings");
}

static void
bad_check(const char *text, const char *want)
{
	struct cnd_conf c;
	char err[300];

	ATF_REQUIRE(parse(&c, text, err, sizeof(err)) == 0);
	ATF_REQUIRE(cnd_conf_check(&c, err, sizeof(err)) == -1);
	ATF_REQUIRE_MSG(strstr(err, want) != NULL, "got \"%s\", want \"%s\"",
	    err, want);
}

ATF_TC_WITHOUT_HEAD(checks);
ATF_TC_BODY(checks, tc)
{
	bad_check("max-bindings 5\n", "no interface");
	bad_check("interface e\nnonce-lifetime 200\ntoken-lifetime 200\n",
	    "token-lifetime (200) must be less than nonce-lifetime (200)");
	/* a new nonce every 10 s for 120 s would need 12 slots */
	bad_check("interface e\nnonce-lifetime 120\ntoken-lifetime 110\n",
	    "more nonce slots");
	bad_check("interface e\nkcn-lifetime 240\n", "kcn-lifetime (240)");
}

ATF_TC_WITHOUT_HEAD(print_round_trip);
ATF_TC_BODY(print_round_trip, tc)
{
	struct cnd_conf a, b;
	char err[300], text[CND_CONF_TEXT_MAX];
	struct sbuf sb;

	ATF_REQUIRE(parse(&a, "interface x0\ninterface x1\nmax-bindings 9\n"
	    "user daemon\n", err, sizeof(err)) == 0);
	sbuf_init(&sb, text, sizeof(text));
	cnd_conf_print(&sb, &a);
	ATF_REQUIRE(!sb.trunc);
	ATF_REQUIRE(strstr(sbuf_str(&sb), "max-bindings 9;\n") != NULL);
	ATF_REQUIRE_MSG(parse(&b, sbuf_str(&sb), err, sizeof(err)) == 0, "%s",
	    err);
	ATF_REQUIRE(memcmp(&a, &b, sizeof(a)) == 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, defaults);
	ATF_TP_ADD_TC(tp, every_statement);
	ATF_TP_ADD_TC(tp, errors);
	ATF_TP_ADD_TC(tp, checks);
	ATF_TP_ADD_TC(tp, print_round_trip);
	return atf_no_error();
}
