/*
 * conf_test.c - had.conf(5) (had_conf.c): every statement into its field,
 * the defaults, parse errors with their exact "FILE:LINE: message", the
 * semantic checks, print -> parse round trips, the lookups, prefix edge
 * cases and the shipped example files.
 */
#include <arpa/inet.h>
#include <atf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packets/tests/testutil.h"
#include "stack/had/had_conf.h"

static const char full[] =
	"# a home agent with everything set\n"
	"interface eth0 home-link\n"
	"interface eth1   # the foreign side\n"
	"home-prefix 2001:db8:1::/64 {\n"
	"\tvalid-lifetime 86400\n"
	"\tpreferred-lifetime 14400\n"
	"}\n"
	"home-prefix 2001:db8:5:0::/48 { virtual }\n"
	"home-agent-address 2001:DB8:1:0::1\n"
	"anycast no\n"
	"preference 65535\n"
	"ha-lifetime 900\n"
	"max-binding-lifetime 7200\n"
	"max-bindings 500\n"
	"binding-refresh-lead 30\n"
	"dad-transmits 0\n"
	"retrans-timer 250\n"
	"authentication none\n"
	"default-policy allow\n"
	"mobile-routers deny\n"
	"rate-limit binding-error 3\n"
	"rate-limit icmp 20\n"
	"router-advertisements yes\n"
	"ra-interval 30 70\n"
	"state-dir \"/sys/fs/bpf/t\"\n"
	"control-socket /run/t.sock\n"
	"user \"_had\"\n"
	"mobile-node 2001:db8:1::200 {\n"
	"\tdeny\n"
	"}\n"
	"mobile-node 2001:db8:1::100 {\n"
	"\tallow\n"
	"\tmobile-router\n"
	"\tmobile-network-prefix 2001:db8:100::/64\n"
	"\tmobile-network-prefix 2001:db8:101::/56\n"
	"\tspi 256\n"
	"\tkey \"00112233445566778899AABBCCDDEEFF\"\n"
	"\tidentifier \"mn1@example.net \\\"q\\\" \\\\\"\n"
	"}\n"
	"mobile-node 2001:db8:1::300\n";

static const char minimal[] =
	"interface eth0 home-link\n"
	"home-prefix 2001:db8:1::/64\n";

static void
parse_ok(struct had_conf *c, const char *text)
{
	char err[512];

	if (had_conf_parse(c, "t.conf", text, strlen(text), err,
	    sizeof(err)) != 0)
		atf_tc_fail("parse failed: %s", err);
}

static void
addr_eq(const struct in6_addr *got, const char *want)
{
	struct in6_addr w = tu_in6(want);
	char buf[IN6_STRLEN];

	if (memcmp(got, &w, sizeof(w)) != 0)
		atf_tc_fail("address %s, want %s", in6_fmt(got, buf), want);
}

static void
prefix_eq(const struct had_prefix *p, const char *addr, unsigned plen)
{
	addr_eq(&p->addr, addr);
	ATF_CHECK_EQ(p->plen, plen);
}

ATF_TC_WITHOUT_HEAD(every_statement);
ATF_TC_BODY(every_statement, tc)
{
	struct had_conf c;
	const struct had_mn *mn;
	char err[512];
	static const uint8_t key[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
	    0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };

	parse_ok(&c, full);
	ATF_REQUIRE_EQ(c.niface, 2);
	ATF_CHECK_STREQ(c.iface[0].name, "eth0");
	ATF_CHECK(c.iface[0].home_link);
	ATF_CHECK_STREQ(c.iface[1].name, "eth1");
	ATF_CHECK(!c.iface[1].home_link);
	ATF_REQUIRE_EQ(c.nprefix, 2);
	prefix_eq(&c.prefix[0].pfx, "2001:db8:1::", 64);
	ATF_CHECK_EQ(c.prefix[0].valid_lft, 86400);
	ATF_CHECK_EQ(c.prefix[0].preferred_lft, 14400);
	ATF_CHECK(!c.prefix[0].virtual_link);
	prefix_eq(&c.prefix[1].pfx, "2001:db8:5::", 48);
	ATF_CHECK(c.prefix[1].virtual_link);
	ATF_CHECK_EQ(c.prefix[1].valid_lft, 2592000);
	ATF_CHECK_EQ(c.prefix[1].preferred_lft, 604800);
	ATF_CHECK(!c.ha_addr_eui64);
	addr_eq(&c.ha_addr, "2001:db8:1::1");
	ATF_CHECK(!c.anycast);
	ATF_CHECK_EQ(c.preference, 65535);
	ATF_CHECK_EQ(c.ha_lifetime, 900);
	ATF_CHECK_EQ(c.max_lifetime, 7200);
	ATF_CHECK_EQ(c.max_bindings, 500);
	ATF_CHECK_EQ(c.brr_lead, 30);
	ATF_CHECK_EQ(c.dad_transmits, 0);
	ATF_CHECK_EQ(c.retrans_ms, 250);
	ATF_CHECK_EQ(c.auth, HAD_AUTH_NONE);
	ATF_CHECK_EQ(c.default_policy, HAD_ALLOW);
	ATF_CHECK(!c.accept_router);
	ATF_CHECK_EQ(c.rate_be, 3);
	ATF_CHECK_EQ(c.rate_icmp, 20);
	ATF_CHECK(c.radvd);
	ATF_CHECK_EQ(c.ra_min_ms, 30);
	ATF_CHECK_EQ(c.ra_max_ms, 70);
	ATF_CHECK_STREQ(c.state_dir, "/sys/fs/bpf/t");
	ATF_CHECK_STREQ(c.control, "/run/t.sock");
	ATF_CHECK_STREQ(c.user, "_had");
	/* Sorted by home address, whatever the file order. */
	ATF_REQUIRE_EQ(c.nmn, 3);
	addr_eq(&c.mn[0].hoa, "2001:db8:1::100");
	addr_eq(&c.mn[1].hoa, "2001:db8:1::200");
	addr_eq(&c.mn[2].hoa, "2001:db8:1::300");
	mn = &c.mn[0];
	ATF_CHECK_EQ(mn->policy, HAD_ALLOW);
	ATF_CHECK(mn->router);
	ATF_REQUIRE_EQ(mn->nmnp, 2);
	prefix_eq(&mn->mnp[0], "2001:db8:100::", 64);
	prefix_eq(&mn->mnp[1], "2001:db8:101::", 56);
	ATF_CHECK_EQ(mn->spi, 256);
	tu_bytes_eq("key", mn->key, mn->keylen, key, sizeof(key));
	ATF_CHECK_EQ(mn->idlen, strlen("mn1@example.net \"q\" \\"));
	ATF_CHECK(memcmp(mn->id, "mn1@example.net \"q\" \\", mn->idlen) == 0);
	ATF_CHECK_EQ(c.mn[1].policy, HAD_DENY);
	ATF_CHECK(!c.mn[1].router);
	ATF_CHECK_EQ(c.mn[1].spi, 0);
	ATF_CHECK_EQ(c.mn[1].keylen, 0);
	ATF_CHECK_EQ(c.mn[2].policy, HAD_ALLOW);
	ATF_CHECK_EQ_MSG(had_conf_check(&c, err, sizeof(err)), 0, "%s", err);
	had_conf_free(&c);
	ATF_CHECK_EQ(c.nmn, 0);
	ATF_CHECK(c.mn == NULL);
}

ATF_TC_WITHOUT_HEAD(defaults);
ATF_TC_BODY(defaults, tc)
{
	struct had_conf c;
	char err[256];

	parse_ok(&c, minimal);
	ATF_CHECK_EQ(c.niface, 1);
	ATF_CHECK_EQ(c.nprefix, 1);
	ATF_CHECK_EQ(c.prefix[0].valid_lft, 2592000);
	ATF_CHECK_EQ(c.prefix[0].preferred_lft, 604800);
	ATF_CHECK(!c.prefix[0].virtual_link);
	ATF_CHECK(c.ha_addr_eui64);
	ATF_CHECK(c.anycast);
	ATF_CHECK_EQ(c.preference, 0);
	ATF_CHECK_EQ(c.ha_lifetime, 1800);
	ATF_CHECK_EQ(c.max_lifetime, 3600);
	ATF_CHECK_EQ(c.max_bindings, 100000);
	ATF_CHECK_EQ(c.brr_lead, 0);
	ATF_CHECK_EQ(c.dad_transmits, 1);
	ATF_CHECK_EQ(c.retrans_ms, 1000);
	ATF_CHECK_EQ(c.auth, HAD_AUTH_RFC4285);
	ATF_CHECK_EQ(c.default_policy, HAD_DENY);
	ATF_CHECK(c.accept_router);
	ATF_CHECK_EQ(c.rate_be, 10);
	ATF_CHECK_EQ(c.rate_icmp, 10);
	ATF_CHECK(!c.radvd);
	ATF_CHECK_EQ(c.ra_min_ms, 3000);
	ATF_CHECK_EQ(c.ra_max_ms, 10000);
	ATF_CHECK_STREQ(c.state_dir, "/sys/fs/bpf/mip6kit/had");
	ATF_CHECK_STREQ(c.control, "/run/mip6kit/had.sock");
	ATF_CHECK_STREQ(c.user, "nobody");
	ATF_CHECK_EQ(c.nmn, 0);
	ATF_CHECK_EQ_MSG(had_conf_check(&c, err, sizeof(err)), 0, "%s", err);
	had_conf_free(&c);
}

/* Text that must not parse, and the whole error message. */
static const struct {
	const char *text;
	const char *err;
} bad[] = {
	{ "interface eth0 home-link\n\n\n\n\n\nhome-prefix 2001:db8::1\n",
	  "t.conf:7: expected a prefix after home-prefix, found "
	  "\"2001:db8::1\"" },
	{ "home-prefix 2001:db8:1::1/64\n",
	  "t.conf:1: prefix 2001:db8:1::1/64 has bits set beyond /64" },
	{ "home-prefix 2001:db8::/129\n",
	  "t.conf:1: expected a prefix after home-prefix, found "
	  "\"2001:db8::/129\"" },
	{ "home-prefix\n",
	  "t.conf:1: expected a prefix after home-prefix, found end of line" },
	{ "frobnicate 3\n", "t.conf:1: unknown statement \"frobnicate\"" },
	{ "anycast yes\nanycast no\n", "t.conf:2: anycast given twice" },
	{ "anycast maybe\n",
	  "t.conf:1: expected no or yes after anycast, found \"maybe\"" },
	{ "preference 65536\n",
	  "t.conf:1: expected a number from 0 to 65535 after preference, "
	  "found \"65536\"" },
	{ "preference -1\n",
	  "t.conf:1: expected a number from 0 to 65535 after preference, "
	  "found \"-1\"" },
	{ "ha-lifetime 0\n",
	  "t.conf:1: expected a number from 1 to 65535 after ha-lifetime, "
	  "found \"0\"" },
	{ "max-binding-lifetime 262141\n",
	  "t.conf:1: expected a number from 4 to 262140 after "
	  "max-binding-lifetime, found \"262141\"" },
	{ "max-bindings 10 20\n",
	  "t.conf:1: expected end of line after max-bindings, found \"20\"" },
	{ "interface eth0 home-link\ninterface eth0\n",
	  "t.conf:2: interface eth0 given twice" },
	{ "interface eth0 foreign\n",
	  "t.conf:1: expected home-link or end of line after interface eth0, "
	  "found "
	  "\"foreign\"" },
	{ "interface abcdefghijklmnop\n",
	  "t.conf:1: \"abcdefghijklmnop\" is not an interface name" },
	{ "home-prefix 2001:db8::/64 {\n\tvalid-lifetime 1\n",
	  "t.conf:3: expected \"}\" closing the block opened at line 1 after "
	  "home-prefix, found end of file" },
	{ "home-prefix 2001:db8::/64 {\n\tvirtual\n\tbogus 1\n}\n",
	  "t.conf:3: unknown statement \"bogus\" in a home-prefix block" },
	{ "home-prefix 2001:db8::/64 {\n\tvirtual\n\tvirtual\n}\n",
	  "t.conf:3: virtual given twice" },
	{ "home-prefix 2001:db8::/64 {\n}\nhome-prefix 2001:db8:0::/64\n",
	  "t.conf:3: home-prefix 2001:db8::/64 given twice" },
	{ "mobile-node 2001:db8::1 {\n\tkey \"0011223\"\n}\n",
	  "t.conf:2: key must be 2 to 128 hex digits, an even number, "
	  "found 7" },
	{ "mobile-node 2001:db8::1 {\n\tkey \"00112g\"\n}\n",
	  "t.conf:2: key: \"2g\" is not a hex byte" },
	{ "mobile-node 2001:db8::1 {\n\tspi 0\n}\n",
	  "t.conf:2: expected a number from 1 to 4294967295 after spi, "
	  "found \"0\"" },
	{ "mobile-node 2001:db8::1 {\n\tallow\n\tdeny\n}\n",
	  "t.conf:3: allow or deny given twice" },
	{ "mobile-node 2001:db8::1\n\n"
	  "mobile-node 2001:db8::2\nmobile-node 2001:DB8::1\n",
	  "t.conf:4: mobile-node 2001:db8::1 already listed at line 1" },
	{ "mobile-node 2001:db8::1 {\n"
	  "\tmobile-network-prefix 2001:db8:100::/56\n"
	  "\tmobile-network-prefix 2001:db8:100:1::/64\n}\n",
	  "t.conf:3: mobile-network-prefix overlaps an earlier "
	  "mobile-network-prefix of this mobile node" },
	{ "mobile-node 2001:db8::1 {\n"
	  "\tmobile-network-prefix 2001:db8:100::/64\n"
	  "\tmobile-network-prefix 2001:db8:101::/64\n"
	  "\tmobile-network-prefix 2001:db8:102::/64\n"
	  "\tmobile-network-prefix 2001:db8:103::/64\n"
	  "\tmobile-network-prefix 2001:db8:104::/64\n"
	  "\tmobile-network-prefix 2001:db8:105::/64\n"
	  "\tmobile-network-prefix 2001:db8:106::/64\n"
	  "\tmobile-network-prefix 2001:db8:107::/64\n"
	  "\tmobile-network-prefix 2001:db8:108::/64\n}\n",
	  "t.conf:10: more than 8 mobile-network-prefix statements" },
	{ "mobile-node fe80::1%eth0\n",
	  "t.conf:1: expected an IPv6 address after mobile-node, found "
	  "\"fe80::1%eth0\"" },
	{ "user \"\"\n", "t.conf:1: user must not be empty" },
	{ "state-dir \"relative/dir\"\n",
	  "t.conf:1: state-dir must be an absolute path" },
	{ "user \"unterminated\n", "t.conf:1: unterminated string" },
	{ "user \"a\tb\"\n",
	  "t.conf:1: control character 0x09 in a string" },
	{ "rate-limit nothing 3\n",
	  "t.conf:1: expected binding-error or icmp after rate-limit, found "
	  "\"nothing\"" },
	{ "rate-limit icmp 3\nrate-limit binding-error 3\nrate-limit icmp 4\n",
	  "t.conf:3: rate-limit icmp given twice" },
	{ "ra-interval 3000\n",
	  "t.conf:1: expected a number from 70 to 1800000 after ra-interval, "
	  "found end of line" },
	{ "home-agent-address 2001:db8::/64\n",
	  "t.conf:1: expected an IPv6 address or eui64 after "
	  "home-agent-address, found \"2001:db8::/64\"" },
	{ "{\n", "t.conf:1: expected a statement, found \"{\"" },
	{ "anycast yes\n}\n", "t.conf:2: expected a statement, found \"}\"" },
	{ "interface eth0 \x01\n", "t.conf:1: unexpected character 0x01" },
	{ "home-prefix 2001:db8::/64 { virtual } extra\n",
	  "t.conf:1: expected end of line after home-prefix, found "
	  "\"extra\"" },
};

ATF_TC_WITHOUT_HEAD(errors_with_lines);
ATF_TC_BODY(errors_with_lines, tc)
{
	struct had_conf c;
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strcpy(err, "untouched");
		ATF_CHECK_EQ_MSG(had_conf_parse(&c, "t.conf", bad[i].text,
		    strlen(bad[i].text), err, sizeof(err)), -1,
		    "case %zu parsed", i);
		ATF_CHECK_STREQ_MSG(err, bad[i].err, "case %zu", i);
		/* A failed parse leaves a struct that is safe to free. */
		ATF_CHECK_EQ(c.nmn, 0);
		had_conf_free(&c);
	}
}

/* max + 1 lines of fmt (numbered from 1): the last one is refused. */
static void
too_many(const char *fmt, unsigned max, const char *want)
{
	char text[2048], err[512];
	struct had_conf c;
	size_t len = 0;
	unsigned i;

	for (i = 1; i <= max + 1; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, fmt, i);
	ATF_CHECK_EQ(had_conf_parse(&c, "t.conf", text, len, err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, want);
	/* One fewer is fine. */
	len = 0;
	for (i = 1; i <= max; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, fmt, i);
	ATF_CHECK_EQ_MSG(had_conf_parse(&c, "t.conf", text, len, err,
	    sizeof(err)), 0, "%s", err);
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(nul_byte_and_long_word);
ATF_TC_BODY(nul_byte_and_long_word, tc)
{
	static const char nul[] = "interface eth0\0 home-link\n";
	struct had_conf c;
	char err[512], text[1200];

	ATF_CHECK_EQ(had_conf_parse(&c, "t.conf", nul, sizeof(nul) - 1, err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "t.conf:1: unexpected character 0x00");
	memset(text, 'a', sizeof(text));
	memcpy(text, "user ", 5);
	ATF_CHECK_EQ(had_conf_parse(&c, "t.conf", text, sizeof(text), err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "t.conf:1: word longer than 511 bytes");
	/* Past the fixed limits of the arrays. */
	too_many("interface e%u\n", HAD_IFACE_MAX,
	    "t.conf:17: more than 16 interfaces");
	too_many("home-prefix 2001:db8:%x::/48\n", HAD_PREFIX_MAX,
	    "t.conf:17: more than 16 home prefixes");
	/* A tiny error buffer is cut, not overrun. */
	ATF_CHECK_EQ(had_conf_parse(&c, "t.conf", "x\n", 2, err, 8), -1);
	ATF_CHECK_STREQ(err, "t.conf:");
}

/* Text that parses but that had_conf_check refuses. */
static const struct {
	const char *text;
	const char *err;
} unsound[] = {
	{ "home-prefix 2001:db8:1::/64\n",
	  "no interface statement: at least one interface is needed" },
	{ "interface eth0 home-link\n",
	  "no home-prefix statement: at least one home prefix is needed" },
	{ "interface eth0\nhome-prefix 2001:db8:1::/64\n",
	  "home-prefix 2001:db8:1::/64 is not virtual, so an interface needs "
	  "home-link" },
	{ "interface eth0\nhome-prefix 2001:db8:1::/64 { virtual }\n",
	  "home-agent-address eui64 needs an interface on the home link "
	  "(home-link)" },
	{ "interface eth0 home-link\nhome-prefix 2001:db8:1::/56\n",
	  "home-agent-address eui64 needs the first home-prefix to be a /64 "
	  "that is not virtual" },
	{ "interface eth0 home-link\nhome-prefix 2001:db8:5::/64 { virtual }\n"
	  "home-prefix 2001:db8:1::/64\n",
	  "home-agent-address eui64 needs the first home-prefix to be a /64 "
	  "that is not virtual" },
	{ "interface eth0 home-link\nhome-prefix 2001:db8:1::/64\n"
	  "home-agent-address 2001:db8:2::1\n",
	  "home-agent-address 2001:db8:2::1 is not inside a home prefix" },
	{ "interface eth0 home-link\nhome-prefix 2001:db8:1::/64 {\n"
	  "\tvalid-lifetime 100\n\tpreferred-lifetime 200\n}\n",
	  "home-prefix 2001:db8:1::/64: preferred-lifetime 200 exceeds "
	  "valid-lifetime 100" },
	{ "interface eth0 home-link\nhome-prefix 2001:db8:1::/64\n"
	  "home-prefix 2001:db8::/32 { virtual }\n",
	  "home prefixes 2001:db8:1::/64 and 2001:db8::/32 overlap" },
	{ "interface eth0 home-link\nhome-prefix 2001:db8:1::/64\n"
	  "ra-interval 8000 10000\n",
	  "ra-interval: the minimum 8000 ms is more than 3/4 of the maximum "
	  "10000 ms" },
	{ "interface eth0\nhome-prefix 2001:db8:1::/64 { virtual }\n"
	  "home-agent-address 2001:db8:1::1\nrouter-advertisements yes\n",
	  "router-advertisements yes needs an interface on the home link "
	  "(home-link)" },
	{ "interface eth0 home-link\nhome-prefix 2001:db8:1::/64\n"
	  "binding-refresh-lead 3600\n",
	  "binding-refresh-lead 3600 is not shorter than max-binding-lifetime "
	  "3600" },
	{ "interface eth0 home-link\nhome-prefix 2001:db8:1::/64\n"
	  "mobile-node 2001:db8:2::1\n",
	  "mobile-node 2001:db8:2::1 is not inside a home prefix" },
	{ "interface eth0 home-link\nhome-prefix 2001:db8:1::/64\n"
	  "home-agent-address 2001:db8:1::1\nauthentication none\n"
	  "mobile-node 2001:db8:1::1\n",
	  "mobile-node 2001:db8:1::1 is the home-agent-address" },
	{ "interface eth0 home-link\nhome-prefix 2001:db8:1::/64\n"
	  "mobile-node 2001:db8:1::100\n",
	  "mobile-node 2001:db8:1::100: authentication rfc4285 needs spi and "
	  "key" },
	{ "interface eth0 home-link\nhome-prefix 2001:db8:1::/64\n"
	  "authentication none\nmobile-node 2001:db8:1::100 { spi 300 }\n",
	  "mobile-node 2001:db8:1::100: spi and key go together" },
	{ "interface eth0 home-link\nhome-prefix 2001:db8:1::/64\n"
	  "authentication none\nmobile-node 2001:db8:1::100 {\n"
	  "\tmobile-network-prefix 2001:db8:100::/64\n}\n",
	  "mobile-node 2001:db8:1::100: mobile-network-prefix needs "
	  "mobile-router" },
	{ "interface eth0 home-link\nhome-prefix 2001:db8:1::/64\n"
	  "authentication none\nmobile-node 2001:db8:1::100 {\n"
	  "\tmobile-router\n\tmobile-network-prefix 2001:db8::/32\n}\n",
	  "mobile-node 2001:db8:1::100: mobile-network-prefix 2001:db8::/32 "
	  "overlaps home prefix 2001:db8:1::/64" },
	{ "interface eth0 home-link\nhome-prefix 2001:db8:1::/64\n"
	  "authentication none\nmobile-node 2001:db8:1::100 {\n"
	  "\tmobile-router\n\tmobile-network-prefix 2001:db8:100::/48\n}\n"
	  "mobile-node 2001:db8:1::200 {\n"
	  "\tmobile-router\n\tmobile-network-prefix 2001:db8:100:5::/64\n}\n",
	  "mobile-node 2001:db8:1::200: mobile-network-prefix "
	  "2001:db8:100:5::/64 overlaps 2001:db8:100::/48 of mobile-node "
	  "2001:db8:1::100" },
	{ "interface eth0 home-link\nhome-prefix 2001:db8:1::/64\n"
	  "mobile-node 2001:db8:1::100 { spi 300\nkey \"0011\" }\n"
	  "mobile-node 2001:db8:1::200 { spi 300\nkey \"2233\" }\n",
	  "mobile-node 2001:db8:1::100 and 2001:db8:1::200 share spi 300" },
};

ATF_TC_WITHOUT_HEAD(check_errors);
ATF_TC_BODY(check_errors, tc)
{
	struct had_conf c;
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(unsound) / sizeof(unsound[0]); i++) {
		parse_ok(&c, unsound[i].text);
		strcpy(err, "untouched");
		ATF_CHECK_EQ_MSG(had_conf_check(&c, err, sizeof(err)), -1,
		    "case %zu passed the check", i);
		ATF_CHECK_STREQ_MSG(err, unsound[i].err, "case %zu", i);
		had_conf_free(&c);
	}
	/* A denied node needs no key even under rfc4285. */
	parse_ok(&c, "interface eth0 home-link\nhome-prefix 2001:db8:1::/64\n"
	    "mobile-node 2001:db8:1::100 { deny }\n");
	ATF_CHECK_EQ_MSG(had_conf_check(&c, err, sizeof(err)), 0, "%s", err);
	had_conf_free(&c);
}

/* print(parse(text)) parses back to an equal struct and prints the same. */
static void
round_trip(const char *text)
{
	struct had_conf a, b;
	struct sbuf sa, sb;
	char *ta, *tb, err[512];
	size_t cap;

	parse_ok(&a, text);
	cap = had_conf_print_size(&a);
	ta = malloc(cap);
	tb = malloc(cap);
	ATF_REQUIRE(ta != NULL && tb != NULL);
	sbuf_init(&sa, ta, cap);
	had_conf_print(&sa, &a);
	ATF_REQUIRE(!sa.trunc);
	if (had_conf_parse(&b, "printed", ta, sa.len, err, sizeof(err)) != 0)
		atf_tc_fail("printed text does not parse: %s\n%s", err, ta);
	ATF_CHECK_MSG(had_conf_equal(&a, &b), "round trip differs:\n%s", ta);
	sbuf_init(&sb, tb, cap);
	had_conf_print(&sb, &b);
	ATF_CHECK_STREQ(ta, tb);
	free(ta);
	free(tb);
	had_conf_free(&a);
	had_conf_free(&b);
}

ATF_TC_WITHOUT_HEAD(round_trip_full_and_minimal);
ATF_TC_BODY(round_trip_full_and_minimal, tc)
{
	round_trip(full);
	round_trip(minimal);
	round_trip("interface e home-link\nhome-prefix ::/0\n"
	    "mobile-node 2001:db8::1 { key \"00\"\nspi 4294967295\n"
	    "identifier \"\\\\\\\"\" }\n");
}

/* RFC 5555 settings: parsed, printed normalised, round trip, errors. */
ATF_TC_WITHOUT_HEAD(dsmip_statements);
ATF_TC_BODY(dsmip_statements, tc)
{
	static const char text[] =
	    "interface eth0 home-link\n"
	    "home-prefix 2001:db8:1::/64\n"
	    "authentication none\n"
	    "ipv4-address 198.51.100.1/24\n"
	    "ipv4-pool 198.51.100.64/26\n"
	    "nat-refresh 30\n"
	    "force-udp yes\n"
	    "mobile-node 2001:db8:1::b0 { ipv4-home-address 198.51.100.7 }\n"
	    "mobile-node 2001:db8:1::d0 { mobile-router\n"
	    "ipv4-prefix 203.0.113.0/24 }\n";
	static const struct {
		const char *text, *err;
	} bad4[] = {
		{ "ipv4-address 198.51.100.1\n", "t.conf:1: expected an IPv4 "
		  "prefix A.B.C.D/LEN after ipv4-address, found "
		  "\"198.51.100.1\"" },
		{ "ipv4-pool 198.51.100.65/26\n", "t.conf:1: prefix "
		  "198.51.100.65/26 has bits set beyond /26" },
		{ "ipv4-address 1.2.3.4/33\n", "t.conf:1: expected an IPv4 "
		  "prefix A.B.C.D/LEN after ipv4-address, found \"1.2.3.4/33\"" },
		{ "nat-refresh 0\n", "t.conf:1: expected a number from 1 to "
		  "4294967294 after nat-refresh, found \"0\"" },
		{ "force-udp 1\n", "t.conf:1: expected no or yes after "
		  "force-udp, found \"1\"" },
		{ "nat-refresh 5\nnat-refresh 6\n",
		  "t.conf:2: nat-refresh given twice" },
		{ "mobile-node ::1 {\nipv4-home-address 0.0.0.0\n}\n",
		  "t.conf:2: ipv4-home-address 0.0.0.0 is the dynamic "
		  "request, not an address" },
		{ "mobile-node ::1 {\nipv4-home-address 2001:db8::1\n}\n",
		  "t.conf:2: expected an IPv4 address after "
		  "ipv4-home-address, found \"2001:db8::1\"" },
	};
	struct had_conf c;
	struct sbuf sb;
	char buf[4096], err[512];
	size_t i;

	parse_ok(&c, text);
	ATF_CHECK_EQ(c.ipv4_addr.s_addr, htonl(0xc6336401));
	ATF_CHECK_EQ(c.ipv4_plen, 24);
	ATF_CHECK_EQ(c.ipv4_pool.s_addr, htonl(0xc6336440));
	ATF_CHECK_EQ(c.ipv4_pool_plen, 26);
	ATF_CHECK_EQ(c.nat_refresh, 30);
	ATF_CHECK(c.force_udp);
	ATF_REQUIRE_EQ(c.nmn, 2);
	ATF_CHECK_EQ(c.mn[0].v4hoa.s_addr, htonl(0xc6336407));
	ATF_CHECK_EQ(c.mn[1].v4pfx.s_addr, htonl(0xcb007100));
	ATF_CHECK_EQ(c.mn[1].v4pfx_plen, 24);
	ATF_CHECK_EQ_MSG(had_conf_check(&c, err, sizeof(err)), 0, "%s", err);
	sbuf_init(&sb, buf, sizeof(buf));
	had_conf_print(&sb, &c);
	ATF_CHECK(strstr(buf, "ipv4-address 198.51.100.1/24\n"
	    "ipv4-pool 198.51.100.64/26\nnat-refresh 30\nforce-udp yes\n")
	    != NULL);
	ATF_CHECK(strstr(buf, "\tipv4-home-address 198.51.100.7\n") != NULL);
	ATF_CHECK(strstr(buf, "\tipv4-prefix 203.0.113.0/24\n") != NULL);
	had_conf_free(&c);
	round_trip(text);
	/* defaults: no IPv4, NATKATIMEOUT, F not forced; none printed but
	   the last two */
	parse_ok(&c, minimal);
	ATF_CHECK_EQ(c.ipv4_plen, 0);
	ATF_CHECK_EQ(c.ipv4_pool_plen, 0);
	ATF_CHECK_EQ(c.nat_refresh, 110);
	ATF_CHECK(!c.force_udp);
	had_conf_free(&c);
	for (i = 0; i < sizeof(bad4) / sizeof(bad4[0]); i++) {
		ATF_CHECK_EQ_MSG(had_conf_parse(&c, "t.conf", bad4[i].text,
		    strlen(bad4[i].text), err, sizeof(err)), -1,
		    "case %zu parsed", i);
		ATF_CHECK_STREQ_MSG(err, bad4[i].err, "case %zu", i);
		had_conf_free(&c);
	}
	/* semantic checks */
	parse_ok(&c, "interface e home-link\nhome-prefix 2001:db8:1::/64\n"
	    "ipv4-pool 10.0.0.0/24\n");
	ATF_CHECK_EQ(had_conf_check(&c, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "ipv4-pool needs ipv4-address");
	had_conf_free(&c);
	parse_ok(&c, "interface e home-link\nhome-prefix 2001:db8:1::/64\n"
	    "authentication none\n"
	    "mobile-node 2001:db8:1::5 { ipv4-home-address 10.0.0.5 }\n");
	ATF_CHECK_EQ(had_conf_check(&c, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "mobile-node 2001:db8:1::5: an IPv4 home "
	    "address or prefix needs ipv4-address");
	had_conf_free(&c);
	parse_ok(&c, "interface e home-link\nhome-prefix 2001:db8:1::/64\n"
	    "authentication none\nipv4-address 10.0.0.1/24\n"
	    "mobile-node 2001:db8:1::5 { ipv4-prefix 10.9.0.0/16 }\n");
	ATF_CHECK_EQ(had_conf_check(&c, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "mobile-node 2001:db8:1::5: ipv4-prefix needs "
	    "mobile-router");
	had_conf_free(&c);
	parse_ok(&c, "interface e home-link\nhome-prefix 2001:db8:1::/64\n"
	    "ipv4-address 10.0.0.1/8\nipv4-pool 10.0.0.0/8\n");
	ATF_CHECK_EQ(had_conf_check(&c, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "ipv4-pool 10.0.0.0/8: at most 65536 addresses "
	    "(/16 or longer)");
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(round_trip_many_nodes);
ATF_TC_BODY(round_trip_many_nodes, tc)
{
	size_t n = 3000, i, len = 0, cap = n * 80 + 200;
	char *text = malloc(cap);
	struct had_conf c;
	struct in6_addr a;

	ATF_REQUIRE(text != NULL);
	len += (size_t)snprintf(text, cap, "%s", minimal);
	/* In descending order, so the parser has to sort them. */
	for (i = n; i > 0; i--)
		len += (size_t)snprintf(text + len, cap - len,
		    "mobile-node 2001:db8:1::%zx { spi %zu\nkey \"%04zx\" }\n",
		    i, i, i);
	round_trip(text);
	parse_ok(&c, text);
	ATF_REQUIRE_EQ(c.nmn, n);
	for (i = 1; i <= n; i += 7) {
		char s[64];

		snprintf(s, sizeof(s), "2001:db8:1::%zx", i);
		a = tu_in6(s);
		ATF_REQUIRE(had_conf_mn(&c, &a) != NULL);
		ATF_CHECK_EQ(had_conf_mn(&c, &a)->spi, i);
	}
	a = tu_in6("2001:db8:1::");
	ATF_CHECK(had_conf_mn(&c, &a) == NULL);
	a = tu_in6("2001:db8:1::ffff");
	ATF_CHECK(had_conf_mn(&c, &a) == NULL);
	had_conf_free(&c);
	free(text);
}

ATF_TC_WITHOUT_HEAD(print_is_normalised);
ATF_TC_BODY(print_is_normalised, tc)
{
	struct had_conf c;
	struct sbuf sb;
	char buf[4096];

	parse_ok(&c, "interface eth0 home-link\n"
	    "home-prefix 2001:0DB8:0001:0000::/64 { virtual }\n"
	    "home-agent-address 2001:db8:1:0:0:0:0:1\n"
	    "authentication none\n"
	    "mobile-node 2001:db8:1::100 { mobile-router\n"
	    "mobile-network-prefix 2001:db8:100::/64\nkey \"AbCd\"\nspi 9 }\n");
	sbuf_init(&sb, buf, sizeof(buf));
	had_conf_print(&sb, &c);
	ATF_CHECK_STREQ(buf,
	    "interface eth0 home-link\n"
	    "home-prefix 2001:db8:1::/64 {\n"
	    "\tvalid-lifetime 2592000\n"
	    "\tpreferred-lifetime 604800\n"
	    "\tvirtual\n"
	    "}\n"
	    "home-agent-address 2001:db8:1::1\n"
	    "anycast yes\n"
	    "preference 0\n"
	    "ha-lifetime 1800\n"
	    "max-binding-lifetime 3600\n"
	    "max-bindings 100000\n"
	    "binding-refresh-lead 0\n"
	    "dad-transmits 1\n"
	    "retrans-timer 1000\n"
	    "authentication none\n"
	    "default-policy deny\n"
	    "mobile-routers allow\n"
	    "rate-limit binding-error 10\n"
	    "rate-limit icmp 10\n"
	    "router-advertisements no\n"
	    "ra-interval 3000 10000\n"
	    "state-dir \"/sys/fs/bpf/mip6kit/had\"\n"
	    "control-socket \"/run/mip6kit/had.sock\"\n"
	    "user \"nobody\"\n"
	    "nat-refresh 110\n"
	    "force-udp no\n"
	    "mobile-node 2001:db8:1::100 {\n"
	    "\tallow\n"
	    "\tmobile-router\n"
	    "\tmobile-network-prefix 2001:db8:100::/64\n"
	    "\tspi 9\n"
	    "\tkey \"abcd\"\n"
	    "}\n");
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(lookups);
ATF_TC_BODY(lookups, tc)
{
	struct had_conf c;
	struct in6_addr a;
	const struct had_home_prefix *hp;

	parse_ok(&c, full);
	a = tu_in6("2001:db8:1::100");
	ATF_REQUIRE(had_conf_mn(&c, &a) != NULL);
	ATF_CHECK(had_conf_mn(&c, &a)->router);
	a = tu_in6("2001:db8:1::101");
	ATF_CHECK(had_conf_mn(&c, &a) == NULL);
	a = tu_in6("2001:db8:1:0:ffff::1");
	hp = had_conf_home_prefix(&c, &a);
	ATF_CHECK(hp == &c.prefix[0]);
	a = tu_in6("2001:db8:5:ffff::1");
	hp = had_conf_home_prefix(&c, &a);
	ATF_CHECK(hp == &c.prefix[1]);
	a = tu_in6("2001:db8:6::1");
	ATF_CHECK(had_conf_home_prefix(&c, &a) == NULL);
	had_conf_free(&c);
	had_conf_init(&c);
	ATF_CHECK(had_conf_mn(&c, &a) == NULL);
	ATF_CHECK(had_conf_home_prefix(&c, &a) == NULL);
}

static bool
contains(const char *pfx, unsigned plen, const char *addr)
{
	struct had_prefix p;
	struct in6_addr a = tu_in6(addr);

	p.addr = tu_in6(pfx);
	p.plen = (uint8_t)plen;
	return had_prefix_contains(&p, &a);
}

ATF_TC_WITHOUT_HEAD(prefix_edges);
ATF_TC_BODY(prefix_edges, tc)
{
	/* /0 holds everything. */
	ATF_CHECK(contains("::", 0, "::"));
	ATF_CHECK(contains("::", 0, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
	/* /128 holds one address. */
	ATF_CHECK(contains("2001:db8::1", 128, "2001:db8::1"));
	ATF_CHECK(!contains("2001:db8::1", 128, "2001:db8::"));
	ATF_CHECK(!contains("2001:db8::1", 128, "2001:db8::3"));
	/* /65: the first bit of the interface identifier counts. */
	ATF_CHECK(contains("2001:db8::", 65, "2001:db8::7fff:ffff:ffff:ffff"));
	ATF_CHECK(!contains("2001:db8::", 65, "2001:db8::8000:0:0:0"));
	ATF_CHECK(contains("2001:db8:0:0:8000::", 65, "2001:db8::8000:0:0:1"));
	/* /64 and a bit inside the last prefix byte (/7). */
	ATF_CHECK(contains("2001:db8:1::", 64, "2001:db8:1::ffff"));
	ATF_CHECK(!contains("2001:db8:1::", 64, "2001:db8:2::"));
	ATF_CHECK(contains("fc00::", 7, "fdff::1"));
	ATF_CHECK(!contains("fc00::", 7, "fe00::1"));
	/* A length beyond 128 holds nothing. */
	ATF_CHECK(!contains("::", 129, "::"));
}

static void
example_ok(const char *rel, bool virtual_home)
{
	struct had_conf c;
	char err[512];
	size_t i;
	bool any_virtual = false;

	if (had_conf_load(&c, tu_srcpath(rel), err, sizeof(err)) != 0)
		atf_tc_fail("%s", err);
	ATF_CHECK_EQ_MSG(had_conf_check(&c, err, sizeof(err)), 0, "%s: %s",
	    rel, err);
	for (i = 0; i < c.nprefix; i++)
		any_virtual |= c.prefix[i].virtual_link;
	ATF_CHECK_EQ(any_virtual, virtual_home);
	ATF_CHECK(c.nmn > 0);
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(example_files);
ATF_TC_BODY(example_files, tc)
{
	struct had_conf c;
	char err[512];
	size_t i;
	bool nemo = false;

	example_ok("stack/had/examples/ha-real-home.conf", false);
	example_ok("stack/had/examples/ha-virtual-home.conf", true);
	example_ok("stack/had/examples/ha-dual-stack.conf", false);
	ATF_REQUIRE_EQ(had_conf_load(&c,
	    tu_srcpath("stack/had/examples/ha-virtual-home.conf"), err,
	    sizeof(err)), 0);
	for (i = 0; i < c.nmn; i++)
		nemo |= c.mn[i].router && c.mn[i].nmnp > 0;
	ATF_CHECK_MSG(nemo, "the virtual home example has no mobile router");
	had_conf_free(&c);
}

ATF_TC_WITHOUT_HEAD(load_errors);
ATF_TC_BODY(load_errors, tc)
{
	struct had_conf c;
	char err[512];
	FILE *f;

	ATF_CHECK_EQ(had_conf_load(&c, "/nonexistent/had.conf", err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "/nonexistent/had.conf: No such file or "
	    "directory");
	ATF_CHECK_EQ(had_conf_load(&c, ".", err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, ".: Is a directory");
	f = fopen("had.conf", "w");
	ATF_REQUIRE(f != NULL);
	fputs("interface eth0 home-link\n\npreference x\n", f);
	fclose(f);
	ATF_CHECK_EQ(had_conf_load(&c, "had.conf", err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "had.conf:3: expected a number from 0 to 65535 "
	    "after preference, found \"x\"");
}

/* RFC 2526 anycast and RFC 4291 §2.5.1 EUI-64, shared by parent and
   engine. */
ATF_TC_WITHOUT_HEAD(derived_addresses);
ATF_TC_BODY(derived_addresses, tc)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x02 };
	struct had_prefix p = { .addr = tu_in6("2001:db8:1::"), .plen = 64 };
	struct had_prefix p48 = { .addr = tu_in6("2001:db8::"), .plen = 48 };
	struct in6_addr a, want;
	struct had_conf c;

	a = had_prefix_ha_anycast(&p);
	want = tu_in6("2001:db8:1:0:fdff:ffff:ffff:fffe");
	ATF_CHECK(memcmp(&a, &want, sizeof(a)) == 0);
	a = had_prefix_ha_anycast(&p48);
	want = tu_in6("2001:db8:0:ffff:ffff:ffff:ffff:fffe");
	ATF_CHECK(memcmp(&a, &want, sizeof(a)) == 0);
	had_conf_init(&c);
	c.nprefix = 1;
	c.prefix[0].pfx = p;
	c.ha_addr_eui64 = true;
	ATF_CHECK(!had_conf_ha_addr(&c, NULL, &a));
	ATF_REQUIRE(had_conf_ha_addr(&c, mac, &a));
	want = tu_in6("2001:db8:1::ff:fe00:102");
	ATF_CHECK(memcmp(&a, &want, sizeof(a)) == 0);
	c.ha_addr_eui64 = false;
	c.ha_addr = tu_in6("2001:db8:1::1");
	ATF_REQUIRE(had_conf_ha_addr(&c, NULL, &a));
	ATF_CHECK(memcmp(&a, &c.ha_addr, sizeof(a)) == 0);
	had_conf_free(&c);
}

/*
 * Reload (had.conf.5): ipv4-pool, nat-refresh and force-udp take effect;
 * a changed, added or removed ipv4-address is refused with the reason
 * and the word restart.
 */
static int
reload_rc(const char *old, const char *new, char *err, size_t errlen)
{
	struct had_conf a, b;
	int rc;

	parse_ok(&a, old);
	parse_ok(&b, new);
	err[0] = '\0';
	rc = had_conf_reload_check(&a, &b, err, errlen);
	had_conf_free(&a);
	had_conf_free(&b);
	return rc;
}

ATF_TC_WITHOUT_HEAD(reload_ipv4_settings);
ATF_TC_BODY(reload_ipv4_settings, tc)
{
	static const char base[] = "interface eth0 home-link\n"
	    "home-prefix 2001:db8:1::/64\n"
	    "ipv4-address 198.51.100.1/24\n";
	char old[256], new[256], err[256];

	snprintf(old, sizeof(old), "%sipv4-pool 198.51.100.64/26\n"
	    "nat-refresh 110\nforce-udp no\n", base);
	snprintf(new, sizeof(new), "%sipv4-pool 198.51.100.128/25\n"
	    "nat-refresh 30\nforce-udp yes\n", base);
	ATF_CHECK_EQ(reload_rc(old, new, err, sizeof(err)), 0);
	ATF_CHECK_STREQ(err, "");
	ATF_CHECK_EQ(reload_rc(old, base, err, sizeof(err)), 0);
	ATF_CHECK_EQ(reload_rc(base, "interface eth0 home-link\n"
	    "home-prefix 2001:db8:1::/64\nipv4-address 198.51.100.2/24\n",
	    err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "ipv4-address changed (198.51.100.1/24 -> "
	    "198.51.100.2/24): restart had to apply it");
	ATF_CHECK_EQ(reload_rc(base, "interface eth0 home-link\n"
	    "home-prefix 2001:db8:1::/64\nipv4-address 198.51.100.1/25\n",
	    err, sizeof(err)), -1);
	ATF_CHECK_EQ(reload_rc(minimal, base, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "ipv4-address changed (none -> "
	    "198.51.100.1/24): restart had to apply it");
	ATF_CHECK_EQ(reload_rc(base, minimal, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "ipv4-address changed (198.51.100.1/24 -> "
	    "none): restart had to apply it");
}

/* RFC 3776 manual SAs: parsed, round trip with keys, -nv without,
   errors with the file and line. */
#define SA_SHA	"0x0102030405060708090a0b0c0d0e0f1011121314"
#define SA_AES	"0x00112233445566778899aabbccddeeff"

static const char sa_text[] =
	"interface eth0 home-link\n"
	"home-prefix 2001:db8:1::/64\n"
	"sa in spi 0x1000 peer 2001:db8:1::100 enc aes-cbc " SA_AES
	" auth hmac-sha1 " SA_SHA "\n"
	"sa out spi 4097 peer 2001:db8:1::100 enc null auth hmac-sha1 " SA_SHA
	"\n";

ATF_TC_WITHOUT_HEAD(sa_statements);
ATF_TC_BODY(sa_statements, tc)
{
	static const struct {
		const char *text, *err;
	} sa_bad[] = {
		{ "home-prefix 2001:db8:1::/64\n\nsa out spi 0x1000 peer "
		  "2001:db8:1::100 enc null\n", "t.conf:3: sa: enc null needs "
		  "an auth algorithm (RFC 4303 §3.2)" },
		{ "home-prefix 2001:db8:1::/64\nsa out spi 0x1000 peer "
		  "2001:db8:1::100 enc null auth hmac-sha1 " SA_SHA "\n",
		  "t.conf:2: sa: peer 2001:db8:1::100 has an outbound SA but "
		  "no inbound one (RFC 3776 §4.1: a protected BU needs a "
		  "protected BA)" },
		{ "home-prefix 2001:db8:1::/64\nsa out spi 0x1000 peer "
		  "2001:db8:2::100 enc null auth hmac-sha1 " SA_SHA "\n"
		  "sa in spi 0x1000 peer 2001:db8:2::100 enc null auth "
		  "hmac-sha1 " SA_SHA "\n",
		  "t.conf:2: sa: peer 2001:db8:2::100 is not in a home-prefix "
		  "(the peer is the mobile node's home address)" },
		{ "sa in spi 0x100 peer ::1 enc aes-cbc 0x00 auth none\n",
		  "t.conf:1: sa: enc aes-cbc takes a 16, 24 or 32-byte key, "
		  "found 1 bytes" },
	};
	struct had_conf c;
	char err[512], buf[4096];
	struct sbuf sb;
	size_t i;

	parse_ok(&c, sa_text);
	ATF_REQUIRE_EQ(c.nsa, 2);
	ATF_CHECK_EQ(c.sa[0].dir, ESPSA_IN);
	ATF_CHECK_EQ(c.sa[0].sa.spi, 0x1000);
	ATF_CHECK_EQ(c.sa[0].line, 3);
	ATF_CHECK_EQ(c.sa[1].sa.spi, 4097);
	sbuf_init(&sb, buf, sizeof(buf));
	had_conf_print_public(&sb, &c);
	ATF_CHECK(strstr(buf, "sa out spi 0x1001 peer 2001:db8:1::100 enc "
	    "null auth hmac-sha1\n") != NULL);
	ATF_CHECK_MSG(strstr(buf, "0x0102") == NULL && strstr(buf, "0x0011")
	    == NULL, "keys printed:\n%s", buf);
	had_conf_free(&c);
	round_trip(sa_text);
	for (i = 0; i < sizeof(sa_bad) / sizeof(sa_bad[0]); i++) {
		strcpy(err, "untouched");
		ATF_CHECK_EQ_MSG(had_conf_parse(&c, "t.conf", sa_bad[i].text,
		    strlen(sa_bad[i].text), err, sizeof(err)), -1,
		    "case %zu parsed", i);
		ATF_CHECK_STREQ_MSG(err, sa_bad[i].err, "case %zu", i);
		ATF_CHECK_EQ(c.nsa, 0);
		had_conf_free(&c);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, sa_statements);
	ATF_TP_ADD_TC(tp, reload_ipv4_settings);
	ATF_TP_ADD_TC(tp, every_statement);
	ATF_TP_ADD_TC(tp, defaults);
	ATF_TP_ADD_TC(tp, errors_with_lines);
	ATF_TP_ADD_TC(tp, nul_byte_and_long_word);
	ATF_TP_ADD_TC(tp, check_errors);
	ATF_TP_ADD_TC(tp, round_trip_full_and_minimal);
	ATF_TP_ADD_TC(tp, round_trip_many_nodes);
	ATF_TP_ADD_TC(tp, dsmip_statements);
	ATF_TP_ADD_TC(tp, print_is_normalised);
	ATF_TP_ADD_TC(tp, lookups);
	ATF_TP_ADD_TC(tp, prefix_edges);
	ATF_TP_ADD_TC(tp, example_files);
	ATF_TP_ADD_TC(tp, load_errors);
	ATF_TP_ADD_TC(tp, derived_addresses);
	return atf_no_error();
}
