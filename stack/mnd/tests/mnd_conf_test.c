/*
 * mnd_conf_test.c - mnd.conf(5): every statement, defaults, the
 * normalised text read back to the same settings, and FILE:LINE errors.
 */
#include <arpa/inet.h>
#include <atf-c.h>
#include <string.h>

#include "packets/sbuf.h"
#include "packets/tests/testutil.h"
#include "stack/mnd/mnd_conf.h"

static const char full[] =
    "# a mobile router with two home addresses\n"
    "interface eth0\n"
    "interface wlan0;\n"
    "home-address 2001:db8:1::100/64 home-agent 2001:db8:1::1\n"
    "home-address 2001:db8:5::100/64 ;\n"
    "lifetime 600\n"
    "mobile-router yes\n"
    "mobile-network-prefix 2001:db8:10::/64 interface eth1\n"
    "mobile-network-prefix 2001:db8:11::/48\n"
    "registration-mode explicit\n"
    "route-optimization yes   # RR with correspondents\n"
    "bus /run/x/bus\n"
    "control-socket /run/x/mnd.sock\n"
    "state-dir /sys/fs/bpf/x\n"
    "user daemon\n";

static void
parse_ok(struct mnd_conf *c, const char *text)
{
	char err[256] = "";

	ATF_REQUIRE_EQ_MSG(mnd_conf_parse(c, "t.conf", text, strlen(text),
	    err, sizeof(err)), 0, "%s", err);
}

static void
parse_err(const char *text, const char *want)
{
	struct mnd_conf c;
	char err[256] = "";

	ATF_CHECK_EQ(mnd_conf_parse(&c, "t.conf", text, strlen(text), err,
	    sizeof(err)), -1);
	ATF_CHECK_MSG(strstr(err, want) != NULL, "error \"%s\", want \"%s\"",
	    err, want);
}

ATF_TC_WITHOUT_HEAD(every_statement);
ATF_TC_BODY(every_statement, tc)
{
	struct mnd_conf c;
	struct in6_addr a;
	char err[128];

	parse_ok(&c, full);
	ATF_CHECK_EQ(c.niface, 2);
	ATF_CHECK_STREQ(c.iface[1], "wlan0");
	ATF_REQUIRE_EQ(c.nhoa, 2);
	a = tu_in6("2001:db8:1::1");
	ATF_CHECK(c.hoa[0].has_ha && memcmp(&c.hoa[0].ha, &a, 16) == 0);
	ATF_CHECK_EQ(c.hoa[0].pfx.plen, 64);
	ATF_CHECK(!c.hoa[1].has_ha);
	ATF_CHECK_EQ(c.lifetime, 600);
	ATF_CHECK(c.mobile_router);
	ATF_REQUIRE_EQ(c.nmnp, 2);
	ATF_CHECK_STREQ(c.mnp[0].ifname, "eth1");
	ATF_CHECK_EQ(c.mnp[1].pfx.plen, 48);
	ATF_CHECK_EQ(c.regmode, MND_REG_EXPLICIT);
	ATF_CHECK(c.route_opt);
	ATF_CHECK_STREQ(c.bus, "/run/x/bus");
	ATF_CHECK_STREQ(c.control, "/run/x/mnd.sock");
	ATF_CHECK_STREQ(c.state_dir, "/sys/fs/bpf/x");
	ATF_CHECK_STREQ(c.user, "daemon");
	ATF_CHECK_EQ(mnd_conf_check(&c, err, sizeof(err)), 0);
}

ATF_TC_WITHOUT_HEAD(defaults);
ATF_TC_BODY(defaults, tc)
{
	struct mnd_conf c;

	parse_ok(&c, "");
	ATF_CHECK_EQ(c.lifetime, 420);
	ATF_CHECK(!c.mobile_router);
	ATF_CHECK(!c.route_opt);
	ATF_CHECK_EQ(c.regmode, MND_REG_IMPLICIT);
	ATF_CHECK_STREQ(c.bus, "/run/mip6kit/bus");
	ATF_CHECK_STREQ(c.control, "/run/mip6kit/mnd.sock");
	ATF_CHECK_STREQ(c.state_dir, "/sys/fs/bpf/mip6kit/mnd");
	ATF_CHECK_STREQ(c.user, "nobody");
}

/* The printed text parses back to the same settings. */
ATF_TC_WITHOUT_HEAD(print_round_trip);
ATF_TC_BODY(print_round_trip, tc)
{
	struct mnd_conf a, b;
	char buf[4096], buf2[4096];
	struct sbuf sb;

	parse_ok(&a, full);
	sbuf_init(&sb, buf, sizeof(buf));
	mnd_conf_print(&sb, &a);
	ATF_REQUIRE(!sb.trunc);
	parse_ok(&b, sbuf_str(&sb));
	ATF_CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	sbuf_init(&sb, buf2, sizeof(buf2));
	mnd_conf_print(&sb, &b);
	ATF_CHECK_STREQ(buf, buf2);
	ATF_CHECK(strstr(buf, "home-address 2001:db8:1::100/64 home-agent "
	    "2001:db8:1::1\n") != NULL);
}

ATF_TC_WITHOUT_HEAD(errors_have_file_and_line);
ATF_TC_BODY(errors_have_file_and_line, tc)
{
	parse_err("interface eth0\nbogus 1\n", "t.conf:2: unknown statement "
	    "\"bogus\"");
	parse_err("\n\nhome-address 2001:db8::1\n", "t.conf:3: \"2001:db8::1\" "
	    "is not ADDRESS/LENGTH");
	parse_err("home-address 2001:db8::1/64 home-agent nope\n",
	    "t.conf:1: \"nope\" is not an IPv6 address");
	parse_err("home-address 2001:db8::1/64 agent 2001:db8::2\n",
	    "t.conf:1: expected home-agent");
	parse_err("lifetime 3\n", "t.conf:1: expected a number from 4 to "
	    "262140");
	parse_err("lifetime 300\nlifetime 400\n", "t.conf:2: lifetime given "
	    "twice");
	parse_err("mobile-router maybe\n", "expected yes or no");
	parse_err("registration-mode both\n", "expected explicit or implicit");
	parse_err("mobile-network-prefix 2001:db8:10::1/64\n",
	    "has bits set beyond /64");
	parse_err("bus relative/path\n", "bus must be an absolute path");
	parse_err("interface eth0\ninterface eth0\n", "t.conf:2: interface "
	    "eth0 given twice");
	parse_err("home-address 2001:db8::1/64\nhome-address 2001:db8::1/64\n",
	    "given twice");
}

ATF_TC_WITHOUT_HEAD(semantic_checks);
ATF_TC_BODY(semantic_checks, tc)
{
	struct mnd_conf c;
	char err[128];

	parse_ok(&c, "interface eth0\n");
	ATF_CHECK_EQ(mnd_conf_check(&c, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "no home-address");
	parse_ok(&c, "home-address 2001:db8::1/64\n");
	ATF_CHECK_EQ(mnd_conf_check(&c, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "no interface");
	parse_ok(&c, "interface eth0\nhome-address 2001:db8::1/64\n"
	    "mobile-network-prefix 2001:db8:10::/64\n");
	ATF_CHECK_EQ(mnd_conf_check(&c, err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "needs mobile-router yes") != NULL);
	parse_ok(&c, "interface eth0\nhome-address 2001:db8::1/64\n"
	    "mobile-router yes\nregistration-mode explicit\n");
	ATF_CHECK_EQ(mnd_conf_check(&c, err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "explicit needs") != NULL);
	parse_ok(&c, "interface eth0\nhome-address 2001:db8::1/64\n"
	    "mobile-router yes\nmobile-network-prefix 2001:db8::/48\n");
	ATF_CHECK_EQ(mnd_conf_check(&c, err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "holds a home address") != NULL);
}

/* DSMIPv6 (RFC 5555): per home address, after its home-address line. */
static const char dsmip[] =
    "interface eth0\n"
    "home-address 2001:db8:1::100/64 home-agent 2001:db8:1::1\n"
    "ipv4-home-address 198.51.100.7\n"
    "home-agent-ipv4 192.0.2.1\n"
    "home-address 2001:db8:5::100/64\n"
    "ipv4-home-address dynamic\n"
    "home-address 2001:db8:6::100/64\n"
    "ipv4-prefix 0.0.0.0/24\n"
    "mobile-router yes\n"
    "force-udp yes\n"
    "udp-source-port 5000\n";

ATF_TC_WITHOUT_HEAD(dsmip_statements);
ATF_TC_BODY(dsmip_statements, tc)
{
	struct mnd_conf a, b;
	char buf[4096], err[128];
	struct sbuf sb;

	parse_ok(&a, dsmip);
	ATF_REQUIRE_EQ(a.nhoa, 3);
	ATF_CHECK_EQ(a.hoa[0].v4mode, MND_V4_STATIC);
	ATF_CHECK_EQ(a.hoa[0].v4addr.s_addr, htonl(0xc6336407));
	ATF_CHECK_EQ(a.hoa[0].v4plen, 32);
	ATF_CHECK(a.hoa[0].has_ha4);
	ATF_CHECK_EQ(a.hoa[0].ha4.s_addr, htonl(0xc0000201));
	ATF_CHECK_EQ(a.hoa[1].v4mode, MND_V4_DYNAMIC);
	ATF_CHECK_EQ(a.hoa[1].v4addr.s_addr, 0);
	ATF_CHECK(!a.hoa[1].has_ha4);
	ATF_CHECK_EQ(a.hoa[2].v4mode, MND_V4_PREFIX);
	ATF_CHECK_EQ(a.hoa[2].v4plen, 24);
	ATF_CHECK(a.force_udp);
	ATF_CHECK_EQ(a.udp_port, 5000);
	ATF_CHECK_EQ(mnd_conf_check(&a, err, sizeof(err)), 0);
	sbuf_init(&sb, buf, sizeof(buf));
	mnd_conf_print(&sb, &a);
	ATF_REQUIRE(!sb.trunc);
	ATF_CHECK(strstr(buf, "home-address 2001:db8:1::100/64 home-agent "
	    "2001:db8:1::1\nipv4-home-address 198.51.100.7\n"
	    "home-agent-ipv4 192.0.2.1\n") != NULL);
	ATF_CHECK(strstr(buf, "ipv4-prefix 0.0.0.0/24\n") != NULL);
	parse_ok(&b, sbuf_str(&sb));
	ATF_CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	parse_ok(&b, "");
	ATF_CHECK(!b.force_udp);
	ATF_CHECK_EQ(b.udp_port, 4191);
	ATF_CHECK_EQ(b.hoa[0].v4mode, MND_V4_NONE);

	/* the home link's prefix length (used at home, §4.5 [R]) */
	ATF_CHECK_EQ(a.hoa[0].v4home_plen, 32);
	parse_ok(&b, "home-address 2001:db8::1/64\n"
	    "ipv4-home-address 198.51.100.7/24\n");
	ATF_CHECK_EQ(b.hoa[0].v4mode, MND_V4_STATIC);
	ATF_CHECK_EQ(b.hoa[0].v4addr.s_addr, htonl(0xc6336407));
	ATF_CHECK_EQ(b.hoa[0].v4plen, 32);
	ATF_CHECK_EQ(b.hoa[0].v4home_plen, 24);
	sbuf_init(&sb, buf, sizeof(buf));
	mnd_conf_print(&sb, &b);
	ATF_CHECK(strstr(buf, "ipv4-home-address 198.51.100.7/24\n") != NULL);
	parse_err("home-address 2001:db8::1/64\n"
	    "ipv4-home-address 198.51.100.7/33\n", "t.conf:2: "
	    "\"198.51.100.7/33\" is not A.B.C.D/LEN (LEN 1-32)");

	parse_err("ipv4-home-address 198.51.100.7\n", "t.conf:1: "
	    "ipv4-home-address must follow a home-address statement");
	parse_err("home-address 2001:db8::1/64\nipv4-home-address 1.2.3\n",
	    "t.conf:2: \"1.2.3\" is not an IPv4 address");
	parse_err("home-address 2001:db8::1/64\nipv4-home-address 0.0.0.0\n",
	    "write dynamic");
	parse_err("home-address 2001:db8::1/64\nipv4-home-address dynamic\n"
	    "ipv4-prefix 10.0.0.0/8\n", "t.conf:3: a second IPv4 home");
	parse_err("home-address 2001:db8::1/64\nipv4-prefix 10.0.0.0/0\n",
	    "LEN 1-32");
	parse_err("home-address 2001:db8::1/64\nipv4-prefix 10.0.0.1/24\n",
	    "has bits set beyond /24");
	parse_err("home-address 2001:db8::1/64\nhome-agent-ipv4 1.2.3.4\n"
	    "home-agent-ipv4 1.2.3.5\n", "t.conf:3: home-agent-ipv4 given "
	    "twice");
	parse_err("udp-source-port 0\n", "expected a port from 1 to 65535");
	parse_err("force-udp on\n", "expected yes or no");
	parse_ok(&a, "interface eth0\nhome-address 2001:db8::1/64\n"
	    "ipv4-prefix 10.0.0.0/8\n");
	ATF_CHECK_EQ(mnd_conf_check(&a, err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "ipv4-prefix needs mobile-router yes") != NULL);
}

/* RFC 3776 manual SAs with the home agent: parsed, round trip with the
   keys, mnd -nv without, errors with the file and line. */
#define SA_SHA	"0x0102030405060708090a0b0c0d0e0f1011121314"
#define SA_DES	"0x000102030405060708090a0b0c0d0e0f1011121314151617"

ATF_TC_WITHOUT_HEAD(sa_statements);
ATF_TC_BODY(sa_statements, tc)
{
	static const char text[] =
	    "interface eth0\n"
	    "home-address 2001:db8:1::100/64 home-agent 2001:db8:1::1\n"
	    "sa out spi 0x1000 peer 2001:db8:1::1 enc 3des-cbc " SA_DES
	    " auth hmac-sha1 " SA_SHA "\n"
	    "sa in spi 0x1001 peer 2001:db8:1::1 enc 3des-cbc " SA_DES
	    " auth hmac-sha1 " SA_SHA "\n";
	struct mnd_conf c, back;
	char buf[8192], err[256];
	struct sbuf sb;

	parse_ok(&c, text);
	ATF_REQUIRE_EQ(c.nsa, 2);
	ATF_CHECK_EQ(c.sa[0].dir, ESPSA_OUT);
	ATF_CHECK_EQ(c.sa[1].sa.spi, 0x1001);
	ATF_CHECK_EQ(c.sa[1].line, 4);
	sbuf_init(&sb, buf, sizeof(buf));
	mnd_conf_print(&sb, &c);
	ATF_REQUIRE_EQ_MSG(mnd_conf_parse(&back, "printed", buf, sb.len, err,
	    sizeof(err)), 0, "%s", err);
	ATF_REQUIRE_EQ(back.nsa, 2);
	ATF_CHECK(espsa_conf_equal(&c.sa[0], &back.sa[0]));
	ATF_CHECK(espsa_conf_equal(&c.sa[1], &back.sa[1]));
	sbuf_init(&sb, buf, sizeof(buf));
	mnd_conf_print_public(&sb, &c);
	ATF_CHECK(strstr(buf, "sa in spi 0x1001 peer 2001:db8:1::1 enc "
	    "3des-cbc auth hmac-sha1\n") != NULL);
	ATF_CHECK_MSG(strstr(buf, "0x0001") == NULL && strstr(buf, "0x0102")
	    == NULL, "keys printed:\n%s", buf);
	parse_err("interface eth0\nsa out spi 0x1000 peer 2001:db8:1::1 enc "
	    "null auth hmac-sha1 " SA_SHA "\n", "t.conf:2: sa: peer "
	    "2001:db8:1::1 has an outbound SA but no inbound one");
	parse_err("\n\nsa in spi 0x1000 peer 2001:db8:1::1 enc 3des-cbc "
	    "0x00\n", "t.conf:3: sa: enc 3des-cbc takes a 24-byte key, found "
	    "1 bytes");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, sa_statements);
	ATF_TP_ADD_TC(tp, dsmip_statements);
	ATF_TP_ADD_TC(tp, every_statement);
	ATF_TP_ADD_TC(tp, defaults);
	ATF_TP_ADD_TC(tp, print_round_trip);
	ATF_TP_ADD_TC(tp, errors_have_file_and_line);
	ATF_TP_ADD_TC(tp, semantic_checks);
	return atf_no_error();
}
