/*
 * msock_test.c - the mobility-socket bus codec (packets/msock.c): golden
 * bytes written by hand from the layout in msock.h for several message
 * types, encode/decode round trips, every decode error, unknown and
 * not-allowed attributes skipped, the one-line and JSON printers exactly,
 * and the text parser (msockwatch -s) reading the printer's output back.
 */
#include <atf-c.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "packets/msock.h"
#include "packets/sbuf.h"
#include "testutil.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Golden vectors: the message, its bytes, its line and its JSON. */
struct golden {
	const char	*name;
	const char	*hex;
	const char	*line;
	const char	*json;
};

static const struct golden goldens[] = {
	{ "md_info_rereg",
	  "005c 01 0a 00000000 00000003 00000000"	/* len 92, v1, type 10 */
	  "0004 0010 20010db8000200000000000000000002"	/* coa */
	  "000a 0004 00000004"				/* ifindex 4 */
	  "000c 0004 00000001"				/* command rereg */
	  "000d 0004 00000002"				/* hint addr */
	  "000e 0010 fe800000000000000000000000000001"	/* router */
	  "000f 0006 020000000001 0000",		/* router-mac, pad */
	  "md-info pid=0 seq=3 rereg hint=addr ifindex=4 coa=2001:db8:2::2 "
	  "router=fe80::1 router-mac=02:00:00:00:00:01",
	  "{\"type\":\"md-info\",\"pid\":0,\"seq\":3,\"errno\":0,"
	  "\"command\":\"rereg\",\"hint\":\"addr\",\"ifindex\":4,"
	  "\"coa\":\"2001:db8:2::2\",\"router\":\"fe80::1\","
	  "\"router_mac\":\"02:00:00:00:00:01\"}" },
	{ "bul_add",
	  "007c 01 06 00000385 00000007 00000000"	/* len 124, pid 901 */
	  "0003 0010 20010db8000100000000000000000100"	/* hoa */
	  "0004 0010 20010db8000200000000000000000002"	/* coa */
	  "0005 0010 20010db8000100000000000000000001"	/* peer */
	  "0006 0004 00000190"				/* lifetime 400 */
	  "0007 0004 0000c000"				/* flags A|H */
	  "0009 0004 00000007"				/* state bound */
	  "0010 0011 40 20010db8001000000000000000000000 000000", /* /64 */
	  "bul-add pid=901 seq=7 hoa=2001:db8:1::100 coa=2001:db8:2::2 "
	  "peer=2001:db8:1::1 lifetime=400 flags=A,H state=bound "
	  "prefix=2001:db8:10::/64",
	  "{\"type\":\"bul-add\",\"pid\":901,\"seq\":7,\"errno\":0,"
	  "\"hoa\":\"2001:db8:1::100\",\"coa\":\"2001:db8:2::2\","
	  "\"peer\":\"2001:db8:1::1\",\"lifetime\":400,\"flags\":\"A,H\","
	  "\"state\":\"bound\",\"prefix\":[\"2001:db8:10::/64\"]}" },
	{ "nodetype_info",
	  "0020 01 01 00000000 00000001 00000000"
	  "0001 0004 00000011"				/* mn | md */
	  "0002 0004 00000001",				/* enable */
	  "nodetype-info pid=0 seq=1 nodetype=mn,md enable=1",
	  "{\"type\":\"nodetype-info\",\"pid\":0,\"seq\":1,\"errno\":0,"
	  "\"nodetype\":\"mn,md\",\"enable\":1}" },
	{ "be_hint_enobufs",
	  "0054 01 0d 0000004d 00000009 00000069"	/* pid 77, ENOBUFS */
	  "0003 0010 20010db8000100000000000000000100"
	  "0004 0010 20010db8000200000000000000000002"
	  "0005 0010 20010db8000300000000000000000005"
	  "0011 0004 00000001",				/* status 1 */
	  "be-hint pid=77 seq=9 errno=ENOBUFS hoa=2001:db8:1::100 "
	  "coa=2001:db8:2::2 peer=2001:db8:3::5 status=1",
	  "{\"type\":\"be-hint\",\"pid\":77,\"seq\":9,\"errno\":105,"
	  "\"hoa\":\"2001:db8:1::100\",\"coa\":\"2001:db8:2::2\","
	  "\"peer\":\"2001:db8:3::5\",\"status\":1}" },
	{ "home_hint_two_prefixes",
	  "0048 01 0b 00000000 00000002 00000000"
	  "000a 0004 00000002"
	  "0010 0011 40 20010db8000100000000000000000000 000000"
	  "0010 0011 40 20010db8000100010000000000000000 000000",
	  "home-hint pid=0 seq=2 ifindex=2 prefix=2001:db8:1::/64 "
	  "prefix=2001:db8:1:1::/64",
	  "{\"type\":\"home-hint\",\"pid\":0,\"seq\":2,\"errno\":0,"
	  "\"ifindex\":2,\"prefix\":[\"2001:db8:1::/64\","
	  "\"2001:db8:1:1::/64\"]}" },
	{ "md_info_deregforeign",
	  "0018 01 0a 00000000 00000004 00000000"
	  "000c 0004 00000003",
	  "md-info pid=0 seq=4 deregforeign",
	  "{\"type\":\"md-info\",\"pid\":0,\"seq\":4,\"errno\":0,"
	  "\"command\":\"deregforeign\"}" },
	{ "bc_add_v4",
	  "0044 01 02 00000000 0000000a 00000000"
	  "0003 0010 20010db8000100000000000000000100"
	  "0006 0004 00000078"				/* lifetime 120 */
	  "0007 0004 00000100"				/* flags F */
	  "0012 0004 c0000202"				/* coa4 192.0.2.2 */
	  "0013 0004 0a000001",				/* hoa4 10.0.0.1 */
	  "bc-add pid=0 seq=10 hoa=2001:db8:1::100 hoa4=10.0.0.1 "
	  "coa4=192.0.2.2 lifetime=120 flags=F",
	  "{\"type\":\"bc-add\",\"pid\":0,\"seq\":10,\"errno\":0,"
	  "\"hoa\":\"2001:db8:1::100\",\"hoa4\":\"10.0.0.1\","
	  "\"coa4\":\"192.0.2.2\",\"lifetime\":120,\"flags\":\"F\"}" },
};

static size_t
golden_bytes(const struct golden *g, uint8_t *buf, size_t cap)
{
	size_t n = tu_hex(g->hex, buf, cap);

	ATF_REQUIRE_MSG(n >= MSOCK_HDRLEN && n % 4 == 0, "%s: %zu bytes",
	    g->name, n);
	ATF_REQUIRE_EQ_MSG((size_t)(buf[0] << 8 | buf[1]), n, "%s len", g->name);
	return n;
}

static void
print_line(const struct msock_msg *m, char *out, size_t cap)
{
	struct sbuf sb;

	sbuf_init(&sb, out, cap);
	msock_print(&sb, m);
	ATF_REQUIRE(!sb.trunc);
}

static void
print_json(const struct msock_msg *m, char *out, size_t cap)
{
	struct sbuf sb;
	struct jw jw;

	sbuf_init(&sb, out, cap);
	jw_init(&jw, &sb);
	msock_json(&jw, m);
	ATF_REQUIRE(!sb.trunc);
}

/* The first vector built with the setters. */
static void
build_rereg(struct msock_msg *m)
{
	struct in6_addr coa = tu_in6("2001:db8:2::2");
	struct in6_addr router = tu_in6("fe80::1");
	const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };

	msock_init(m, MSOCK_MD_INFO);
	m->seq = 3;
	msock_set_u32(m, MSA_COMMAND, MSOCK_MD_REREG);
	msock_set_u32(m, MSA_HINT, MSOCK_HINT_ADDR);
	msock_set_u32(m, MSA_IFINDEX, 4);
	msock_set_in6(m, MSA_COA, &coa);
	msock_set_in6(m, MSA_ROUTER, &router);
	msock_set_mac(m, mac);
}

ATF_TC_WITHOUT_HEAD(golden_decode_and_print);
ATF_TC_BODY(golden_decode_and_print, tc)
{
	uint8_t buf[MSOCK_MAX];
	char line[512], json[1024];
	struct msock_msg m;
	enum msock_err e;
	size_t i, n;

	for (i = 0; i < NELEM(goldens); i++) {
		n = golden_bytes(&goldens[i], buf, sizeof(buf));
		e = msock_decode(buf, n, &m);
		ATF_REQUIRE_EQ_MSG(e, MSOCK_OK, "%s: %s", goldens[i].name,
		    msock_err_str(e));
		print_line(&m, line, sizeof(line));
		ATF_CHECK_STREQ_MSG(line, goldens[i].line, "%s",
		    goldens[i].name);
		print_json(&m, json, sizeof(json));
		ATF_CHECK_STREQ_MSG(json, goldens[i].json, "%s",
		    goldens[i].name);
	}
}

ATF_TC_WITHOUT_HEAD(golden_fields);
ATF_TC_BODY(golden_fields, tc)
{
	uint8_t buf[MSOCK_MAX];
	struct msock_msg m;
	struct in6_addr a;
	size_t n;

	n = golden_bytes(&goldens[1], buf, sizeof(buf));
	ATF_REQUIRE_EQ(msock_decode(buf, n, &m), MSOCK_OK);
	ATF_CHECK_EQ(m.version, 1);
	ATF_CHECK_EQ(m.type, MSOCK_BUL_ADD);
	ATF_CHECK_EQ(m.pid, 901);
	ATF_CHECK_EQ(m.seq, 7);
	ATF_CHECK_EQ(m.err, 0);
	ATF_CHECK_EQ(m.present, (1u << MSA_HOA) | (1u << MSA_COA) |
	    (1u << MSA_PEER) | (1u << MSA_LIFETIME) | (1u << MSA_FLAGS) |
	    (1u << MSA_STATE) | (1u << MSA_PREFIX));
	a = tu_in6("2001:db8:1::100");
	ATF_CHECK(memcmp(&m.hoa, &a, 16) == 0);
	a = tu_in6("2001:db8:1::1");
	ATF_CHECK(memcmp(&m.peer, &a, 16) == 0);
	ATF_CHECK_EQ(m.lifetime, 400);
	ATF_CHECK_EQ(m.flags, 0xc000);
	ATF_CHECK_EQ(m.state, MSOCK_ST_BOUND);
	ATF_CHECK_EQ(m.nprefix, 1);
	ATF_CHECK_EQ(m.prefix[0].plen, 64);
	a = tu_in6("2001:db8:10::");
	ATF_CHECK(memcmp(&m.prefix[0].addr, &a, 16) == 0);
	ATF_CHECK(!msock_has(&m, MSA_BID));
}

ATF_TC_WITHOUT_HEAD(encode_matches_golden);
ATF_TC_BODY(encode_matches_golden, tc)
{
	uint8_t want[MSOCK_MAX], got[MSOCK_MAX];
	struct msock_msg m;
	size_t n;
	int len;

	build_rereg(&m);
	n = golden_bytes(&goldens[0], want, sizeof(want));
	len = msock_encode(&m, got, sizeof(got));
	ATF_REQUIRE(len > 0);
	tu_bytes_eq("md-info rereg", got, (size_t)len, want, n);
}

/* Every golden vector: decode, encode, same bytes. */
ATF_TC_WITHOUT_HEAD(round_trips);
ATF_TC_BODY(round_trips, tc)
{
	uint8_t want[MSOCK_MAX], got[MSOCK_MAX];
	struct msock_msg m, m2;
	size_t i, n;
	int len;

	for (i = 0; i < NELEM(goldens); i++) {
		n = golden_bytes(&goldens[i], want, sizeof(want));
		ATF_REQUIRE_EQ(msock_decode(want, n, &m), MSOCK_OK);
		len = msock_encode(&m, got, sizeof(got));
		ATF_REQUIRE_MSG(len > 0, "%s", goldens[i].name);
		tu_bytes_eq(goldens[i].name, got, (size_t)len, want, n);
		ATF_REQUIRE_EQ(msock_decode(got, (size_t)len, &m2), MSOCK_OK);
		ATF_CHECK(memcmp(&m, &m2, sizeof(m)) == 0);
	}
}

/* The printer's line parsed back gives the same bytes (msockwatch -s). */
ATF_TC_WITHOUT_HEAD(text_round_trips);
ATF_TC_BODY(text_round_trips, tc)
{
	uint8_t want[MSOCK_MAX], got[MSOCK_MAX];
	struct msock_msg m;
	char err[128];
	size_t i, n;
	int len;

	for (i = 0; i < NELEM(goldens); i++) {
		n = golden_bytes(&goldens[i], want, sizeof(want));
		ATF_REQUIRE_EQ_MSG(msock_from_text(&m, goldens[i].line, err,
		    sizeof(err)), 0, "%s: %s", goldens[i].name, err);
		len = msock_encode(&m, got, sizeof(got));
		ATF_REQUIRE_MSG(len > 0, "%s", goldens[i].name);
		tu_bytes_eq(goldens[i].name, got, (size_t)len, want, n);
	}
	/* "command=" and JSON-style names are read too */
	ATF_REQUIRE_EQ(msock_from_text(&m, "md-info command=dereghome "
	    "ifindex=0x3 router_mac=02:00:00:00:00:09", err, sizeof(err)), 0);
	ATF_CHECK_EQ(m.command, MSOCK_MD_DEREGHOME);
	ATF_CHECK_EQ(m.ifindex, 3);
	ATF_CHECK_EQ(m.router_mac[5], 9);
	ATF_CHECK_EQ(msock_check(&m), MSOCK_OK);
}

ATF_TC_WITHOUT_HEAD(text_errors);
ATF_TC_BODY(text_errors, tc)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
		{ "", "no message type" },
		{ "md-inf rereg", "unknown message type \"md-inf\"" },
		{ "md-info rereg colour=blue", "unknown attribute \"colour\"" },
		{ "md-info rereg ifindex=x", "bad value for \"ifindex\"" },
		{ "md-info rereg ifindex=-1", "bad value for \"ifindex\"" },
		{ "md-info rereg ifindex=4294967296",
		  "bad value for \"ifindex\"" },
		{ "md-info hint=sideways", "bad value for \"hint\"" },
		{ "md-info rereg coa=2001:db8::g", "bad value for \"coa\"" },
		{ "md-info rereg router-mac=02:00:00:00:00",
		  "bad value for \"router-mac\"" },
		{ "home-hint prefix=2001:db8::/129", "bad value for \"prefix\"" },
		{ "home-hint prefix=2001:db8::", "bad value for \"prefix\"" },
		{ "bul-add flags=A,Z", "bad value for \"flags\"" },
		{ "md-info ifindex=1 ifindex=2", "attribute \"ifindex\" repeated" },
		{ "md-info rereg 4", "\"4\": expected name=value" },
		{ "bul-add rereg", "\"rereg\": expected name=value" },
		{ "md-info seq=x", "bad seq value" },
	};
	struct msock_msg m;
	char err[128];
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		err[0] = '\0';
		ATF_CHECK_EQ_MSG(msock_from_text(&m, cases[i].text, err,
		    sizeof(err)), -1, "%s", cases[i].text);
		ATF_CHECK_STREQ_MSG(err, cases[i].err, "%s", cases[i].text);
	}
}

/* Apply a patch (offset, bytes) to the first golden vector and decode. */
static enum msock_err
decode_patched(size_t idx, const char *hex_override, size_t len_adjust)
{
	uint8_t buf[MSOCK_MAX + 64];
	struct msock_msg m;
	size_t n;

	if (hex_override != NULL)
		n = tu_hex(hex_override, buf, sizeof(buf));
	else
		n = golden_bytes(&goldens[idx], buf, sizeof(buf));
	return msock_decode(buf, n - len_adjust, &m);
}

ATF_TC_WITHOUT_HEAD(decode_errors);
ATF_TC_BODY(decode_errors, tc)
{
	static const struct {
		const char *why, *hex;
		enum msock_err want;
	} cases[] = {
		{ "15 octets", "0010 01 0a 00000000 00000000 000000",
		  MSOCK_E_SHORT },
		{ "version 2", "0018 02 0a 00000000 00000000 00000000"
		  "000c 0004 00000003", MSOCK_E_VERSION },
		{ "version 0", "0010 00 01 00000000 00000000 00000000",
		  MSOCK_E_VERSION },
		{ "len 15", "000f 01 0a 00000000 00000000 00000000",
		  MSOCK_E_LEN },
		{ "len 1028", "0404 01 0a 00000000 00000000 00000000",
		  MSOCK_E_LEN },
		{ "len past the buffer", "001c 01 0a 00000000 00000000 00000000"
		  "000c 0004 00000003", MSOCK_E_SHORT },
		{ "buffer longer than len", "0018 01 0a 00000000 00000000 "
		  "00000000 000c 0004 00000003 00000000", MSOCK_E_LEN },
		{ "type 0", "0010 01 00 00000000 00000000 00000000",
		  MSOCK_E_TYPE },
		{ "type 3 (SHISA's commented-out BC_UPDATE)",
		  "0010 01 03 00000000 00000000 00000000", MSOCK_E_TYPE },
		{ "type 14 (DAD, reserved)",
		  "0010 01 0e 00000000 00000000 00000000", MSOCK_E_TYPE },
		{ "type 200", "0010 01 c8 00000000 00000000 00000000",
		  MSOCK_E_TYPE },
		{ "half an attribute header", "0013 01 0a 00000000 00000000 "
		  "00000000 000c 00", MSOCK_E_ATTR_LEN },
		{ "value past len", "0018 01 0a 00000000 00000000 00000000"
		  "000c 0008 00000003", MSOCK_E_ATTR_LEN },
		{ "padding past len", "0016 01 0b 00000000 00000000 00000000"
		  "0063 0001 01 00", MSOCK_E_ATTR_LEN },
		{ "command of 2 octets", "0018 01 0a 00000000 00000000 00000000"
		  "000c 0002 0003 0000", MSOCK_E_ATTR_LEN },
		{ "coa of 4 octets", "0020 01 0a 00000000 00000000 00000000"
		  "000c 0004 00000003 0004 0004 20010db8", MSOCK_E_ATTR_LEN },
		{ "command twice", "0020 01 0a 00000000 00000000 00000000"
		  "000c 0004 00000003 000c 0004 00000003", MSOCK_E_ATTR_DUP },
		{ "no command", "0018 01 0a 00000000 00000000 00000000"
		  "000a 0004 00000004", MSOCK_E_MISSING },
		{ "rereg without coa", "0020 01 0a 00000000 00000000 00000000"
		  "000a 0004 00000004 000c 0004 00000001", MSOCK_E_MISSING },
		{ "dereghome without ifindex",
		  "0018 01 0a 00000000 00000000 00000000"
		  "000c 0004 00000002", MSOCK_E_MISSING },
		{ "home-hint without prefix",
		  "0018 01 0b 00000000 00000000 00000000"
		  "000a 0004 00000004", MSOCK_E_MISSING },
		{ "nodetype-info empty", "0010 01 01 00000000 00000000 00000000",
		  MSOCK_E_MISSING },
		{ "command 5", "0018 01 0a 00000000 00000000 00000000"
		  "000c 0004 00000005", MSOCK_E_RANGE },
		{ "command 0", "0018 01 0a 00000000 00000000 00000000"
		  "000c 0004 00000000", MSOCK_E_RANGE },
		{ "hint 4", "0020 01 0a 00000000 00000000 00000000"
		  "000c 0004 00000003 000d 0004 00000004", MSOCK_E_RANGE },
		{ "enable 2", "0020 01 01 00000000 00000000 00000000"
		  "0001 0004 00000001 0002 0004 00000002", MSOCK_E_RANGE },
		{ "prefix /129", "0030 01 0b 00000000 00000000 00000000"
		  "000a 0004 00000002"
		  "0010 0011 81 20010db8000100000000000000000000 000000",
		  MSOCK_E_RANGE },
	};
	size_t i;

	for (i = 0; i < NELEM(cases); i++)
		ATF_CHECK_EQ_MSG(decode_patched(0, cases[i].hex, 0),
		    cases[i].want, "%s: got %s", cases[i].why,
		    msock_err_str(decode_patched(0, cases[i].hex, 0)));
	/* every golden vector cut short anywhere is refused */
	for (i = 1; i < 16; i++)
		ATF_CHECK(decode_patched(1, NULL, i) != MSOCK_OK);
}

ATF_TC_WITHOUT_HEAD(unknown_attributes_skipped);
ATF_TC_BODY(unknown_attributes_skipped, tc)
{
	uint8_t buf[256];
	struct msock_msg m;
	size_t n;

	/* deregforeign, then type 99 (5 octets + 3 pad), then flags,
	   which md-info does not carry: both skipped */
	n = tu_hex("0030 01 0a 00000000 00000004 00000000"
	    "0063 0005 0102030405 000000"
	    "000c 0004 00000003"
	    "0007 0004 00000190"
	    "ffff 0000", buf, sizeof(buf));
	ATF_REQUIRE_EQ(msock_decode(buf, n, &m), MSOCK_OK);
	ATF_CHECK_EQ(m.present, 1u << MSA_COMMAND);
	ATF_CHECK_EQ(m.command, MSOCK_MD_DEREGFOREIGN);
	ATF_CHECK_EQ(m.flags, 0);
	/* one the type does not carry is not size-checked either; type 0
	   of size 0 is unknown too */
	n = tu_hex("0020 01 0a 00000000 00000004 00000000"
	    "000c 0004 00000003"
	    "0007 0000 0000 0000", buf, sizeof(buf));
	ATF_REQUIRE_EQ(msock_decode(buf, n, &m), MSOCK_OK);
	ATF_CHECK_EQ(m.present, 1u << MSA_COMMAND);
}

ATF_TC_WITHOUT_HEAD(prefixes_beyond_max_not_kept);
ATF_TC_BODY(prefixes_beyond_max_not_kept, tc)
{
	uint8_t buf[MSOCK_MAX];
	struct msock_msg m, d;
	struct in6_addr a = tu_in6("2001:db8:10::");
	int i, len;

	msock_init(&m, MSOCK_HOME_HINT);
	msock_set_u32(&m, MSA_IFINDEX, 2);
	for (i = 0; i < MSOCK_PREFIX_MAX; i++) {
		a.s6_addr[5] = (uint8_t)i;
		ATF_REQUIRE_EQ(msock_add_prefix(&m, &a, 64), 0);
	}
	ATF_CHECK_EQ(msock_add_prefix(&m, &a, 64), -1);
	len = msock_encode(&m, buf, sizeof(buf));
	ATF_REQUIRE_EQ(len, 16 + 8 + 24 * MSOCK_PREFIX_MAX);
	/* append a ninth by hand: decoded, valid, not kept */
	memcpy(buf + len, buf + len - 24, 24);
	len += 24;
	buf[0] = (uint8_t)(len >> 8);
	buf[1] = (uint8_t)len;
	ATF_REQUIRE_EQ(msock_decode(buf, (size_t)len, &d), MSOCK_OK);
	ATF_CHECK_EQ(d.nprefix, MSOCK_PREFIX_MAX);
	ATF_CHECK_EQ(d.prefix[7].addr.s6_addr[5], 7);
}

ATF_TC_WITHOUT_HEAD(encoder_refuses);
ATF_TC_BODY(encoder_refuses, tc)
{
	uint8_t buf[MSOCK_MAX];
	struct msock_msg m;
	struct in6_addr a = tu_in6("2001:db8:1::100");
	unsigned which;

	build_rereg(&m);
	ATF_CHECK_EQ(msock_encode(&m, buf, 91), -1);	/* needs 92 */
	ATF_CHECK_EQ(msock_encode(&m, buf, 92), 92);
	m.present &= ~(1u << MSA_COA);
	ATF_CHECK_EQ(msock_check(&m), MSOCK_E_MISSING);
	ATF_CHECK_EQ(msock_encode(&m, buf, sizeof(buf)), -1);
	build_rereg(&m);
	msock_set_u32(&m, MSA_FLAGS, 10);
	ATF_CHECK_EQ(msock_check(&m), MSOCK_E_ATTR);
	ATF_CHECK_EQ(msock_encode(&m, buf, sizeof(buf)), -1);
	build_rereg(&m);
	m.command = 9;
	ATF_CHECK_EQ(msock_check(&m), MSOCK_E_RANGE);
	/* the attribute at fault */
	ATF_CHECK_EQ(msock_check_attr(&m, &which), MSOCK_E_RANGE);
	ATF_CHECK_EQ(which, MSA_COMMAND);
	m.command = MSOCK_MD_REREG;
	m.present &= ~(1u << MSA_IFINDEX);
	ATF_CHECK_EQ(msock_check_attr(&m, &which), MSOCK_E_MISSING);
	ATF_CHECK_EQ(which, MSA_IFINDEX);
	msock_init(&m, MSOCK_BUL_ADD);
	msock_set_u32(&m, MSA_COMMAND, 1);
	ATF_CHECK_EQ(msock_check_attr(&m, &which), MSOCK_E_ATTR);
	ATF_CHECK_EQ(which, MSA_COMMAND);
	m.present = 0;
	ATF_CHECK_EQ(msock_check_attr(&m, &which), MSOCK_E_MISSING);
	ATF_CHECK_EQ(which, MSA_HOA);
	msock_init(&m, MSOCK_DAD);
	ATF_CHECK_EQ(msock_check(&m), MSOCK_E_TYPE);
	msock_init(&m, MSOCK_RR_HINT);
	msock_set_in6(&m, MSA_HOA, &a);
	ATF_CHECK_EQ(msock_check(&m), MSOCK_E_MISSING);
	msock_set_in6(&m, MSA_PEER, &a);
	ATF_CHECK_EQ(msock_encode(&m, buf, sizeof(buf)), 16 + 40);
	/* a setter of the wrong kind changes nothing */
	msock_set_u32(&m, MSA_COA, 1);
	ATF_CHECK(!msock_has(&m, MSA_COA));
}

ATF_TC_WITHOUT_HEAD(names);
ATF_TC_BODY(names, tc)
{
	unsigned e, t;

	for (e = MSOCK_OK; e <= MSOCK_E_ATTR; e++) {
		ATF_CHECK(msock_err_str(e) != NULL);
		if (e > MSOCK_OK)
			ATF_CHECK(strcmp(msock_err_str(e),
			    msock_err_str(e - 1)) != 0);
	}
	ATF_CHECK_STREQ(msock_err_str(MSOCK_E_TYPE), "unknown message type");
	for (t = 0; t < MSOCK_TYPE_MAX; t++)
		if (msock_type_name(t) != NULL && t != MSOCK_DAD)
			ATF_CHECK_EQ(msock_type_from_name(msock_type_name(t)),
			    (int)t);
	ATF_CHECK_STREQ(msock_type_name(MSOCK_MD_INFO), "md-info");
	ATF_CHECK(msock_type_name(3) == NULL);
	ATF_CHECK_EQ(msock_type_from_name("dad"), -1);
	ATF_CHECK_STREQ(msock_md_command_name(MSOCK_MD_SCAN), "scan");
	ATF_CHECK_EQ(msock_md_command_from_name("deregforeign"), 3);
	ATF_CHECK(msock_md_command_name(0) == NULL);
	ATF_CHECK_STREQ(msock_attr_name(MSA_ROUTER_MAC), "router-mac");
	ATF_CHECK(msock_attr_name(MSA_ATTR_MAX) == NULL);
	ATF_CHECK_STREQ(msock_state_name(MSOCK_ST_WAITAR), "waitar");
	ATF_CHECK(msock_state_name(64) == NULL);
}

/* Values without names print as numbers; unknown flag bits in hex. */
ATF_TC_WITHOUT_HEAD(print_unnamed_values);
ATF_TC_BODY(print_unnamed_values, tc)
{
	struct in6_addr a = tu_in6("2001:db8:1::100");
	char line[512], json[1024];
	struct msock_msg m;

	msock_init(&m, MSOCK_BUL_REMOVE);
	m.err = EINVAL;
	msock_set_in6(&m, MSA_HOA, &a);
	msock_set_in6(&m, MSA_PEER, &a);
	msock_set_u32(&m, MSA_STATE, 70);
	msock_set_u32(&m, MSA_FLAGS, 0x8001);
	msock_set_u32(&m, MSA_BID, 0);
	print_line(&m, line, sizeof(line));
	ATF_CHECK_STREQ(line, "bul-remove pid=0 seq=0 errno=22 "
	    "hoa=2001:db8:1::100 peer=2001:db8:1::100 flags=A,0x1 bid=0 "
	    "state=70");
	print_json(&m, json, sizeof(json));
	ATF_CHECK_STREQ(json, "{\"type\":\"bul-remove\",\"pid\":0,\"seq\":0,"
	    "\"errno\":22,\"hoa\":\"2001:db8:1::100\","
	    "\"peer\":\"2001:db8:1::100\",\"flags\":\"A,0x1\",\"bid\":0,"
	    "\"state\":70}");
	msock_init(&m, MSOCK_NODETYPE_INFO);
	msock_set_u32(&m, MSA_NODETYPE, 0);
	print_line(&m, line, sizeof(line));
	ATF_CHECK_STREQ(line, "nodetype-info pid=0 seq=0 nodetype=0x0");
	m.type = 77;
	print_line(&m, line, sizeof(line));
	ATF_CHECK_STREQ(line, "type-77 pid=0 seq=0 nodetype=0x0");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, golden_decode_and_print);
	ATF_TP_ADD_TC(tp, golden_fields);
	ATF_TP_ADD_TC(tp, encode_matches_golden);
	ATF_TP_ADD_TC(tp, round_trips);
	ATF_TP_ADD_TC(tp, text_round_trips);
	ATF_TP_ADD_TC(tp, text_errors);
	ATF_TP_ADD_TC(tp, decode_errors);
	ATF_TP_ADD_TC(tp, unknown_attributes_skipped);
	ATF_TP_ADD_TC(tp, prefixes_beyond_max_not_kept);
	ATF_TP_ADD_TC(tp, encoder_refuses);
	ATF_TP_ADD_TC(tp, names);
	ATF_TP_ADD_TC(tp, print_unnamed_values);
	return atf_no_error();
}
