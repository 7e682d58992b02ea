/*
 * mh_test.c - the Mobility Header codec: golden vectors (wire-formats.md
 * §6 and §8.1) decoded field by field, re-encoded byte for byte in both
 * the automatic and the keep-padding modes and printed; the checksum with
 * the right and a wrong pseudo-header; one test per violation code the
 * decoder emits; builders that must reproduce the golden bytes; encoder
 * alignment of every option after every offset; KEEP_* overrides.
 *
 * Addresses of the vectors (wire-formats.md §8): MN HoA 2001:db8:1::100,
 * CoA 2001:db8:2::100, HA 2001:db8:1::1, CN 2001:db8:3::5.
 */
#include <arpa/inet.h>
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "packets/buf.h"
#include "packets/cksum.h"
#include "packets/mh.h"
#include "packets/sbuf.h"
#include "packets/viol.h"
#include "testutil.h"

#define HOA	"2001:db8:1::100"
#define COA	"2001:db8:2::100"
#define HA	"2001:db8:1::1"
#define CN	"2001:db8:3::5"
#define ACOA	"2001:db8:2::200"

/* struct mh_msg is ~15 KB: keep the test's messages off the stack. */
static struct mh_msg msg, built;
static uint8_t in[4096], out[4096];
static struct viol_list vl;
static int rc;

/* Decode hex at buffer offset `base`; sets msg, vl and rc. */
static size_t
decode_hex(const char *hex, size_t base, const struct mh_addrs *a)
{
	size_t n = tu_hex(hex, in, sizeof(in));
	struct rbuf b;

	rbuf_init(&b, in, n);
	viol_init(&vl);
	rc = mh_decode(&msg, &b, base, a, &vl);
	return n;
}

static void
list_viols(char *buf, size_t cap)
{
	struct sbuf sb;
	size_t i;

	sbuf_init(&sb, buf, cap);
	for (i = 0; i < vl.n; i++) {
		sbuf_puts(&sb, i ? "; " : "");
		sbuf_puts(&sb, viol_name((enum viol_code)vl.v[i].code));
		sbuf_puts(&sb, ": ");
		viol_format(&sb, &vl.v[i]);
	}
}

static void
expect_nviol(size_t n)
{
	char buf[2048];

	list_viols(buf, sizeof(buf));
	ATF_CHECK_MSG(vl.n == n, "expected %zu violations, got %zu: %s", n,
	    vl.n, buf);
}

static const struct viol *
find_viol(enum viol_code c)
{
	size_t i;

	for (i = 0; i < vl.n; i++)
		if (vl.v[i].code == c)
			return &vl.v[i];
	return NULL;
}

/* The violation exists, at this offset, and (if given) reads `text`. */
static const struct viol *
expect_viol(enum viol_code c, size_t off, const char *text)
{
	const struct viol *v = find_viol(c);
	char buf[2048];
	struct sbuf sb;

	list_viols(buf, sizeof(buf));
	ATF_REQUIRE_MSG(v != NULL, "no %s among: %s", viol_name(c), buf);
	ATF_CHECK_EQ_MSG(v->off, off, "%s at offset %u, expected %zu",
	    viol_name(c), v->off, off);
	if (text != NULL) {
		sbuf_init(&sb, buf, sizeof(buf));
		viol_format(&sb, v);
		ATF_CHECK_STREQ(sbuf_str(&sb), text);
	}
	return v;
}

static size_t
encode(const struct mh_msg *m, unsigned keep, const struct mh_addrs *a)
{
	struct wbuf w;

	wbuf_init(&w, out, sizeof(out));
	ATF_REQUIRE_EQ(mh_encode(m, &w, keep, a), 0);
	return w.len;
}

static void
encode_eq(const struct mh_msg *m, unsigned keep, const struct mh_addrs *a,
    const uint8_t *want, size_t n)
{
	size_t len = encode(m, keep, a);
	char what[64];

	snprintf(what, sizeof(what), "mh_encode keep=0x%x", keep);
	tu_bytes_eq(what, out, len, want, n);
}

static void
encode_hex_eq(const struct mh_msg *m, unsigned keep,
    const struct mh_addrs *a, const char *hex)
{
	uint8_t want[4096];
	size_t n = tu_hex(hex, want, sizeof(want));

	encode_eq(m, keep, a, want, n);
}

static void
short_eq(const struct mh_msg *m, const struct mh_print_ctx *ctx,
    const char *want)
{
	char buf[2048];
	struct sbuf sb;

	sbuf_init(&sb, buf, sizeof(buf));
	mh_print_short(&sb, m, ctx);
	ATF_CHECK(!sb.trunc);
	ATF_CHECK_STREQ(sbuf_str(&sb), want);
	ATF_CHECK_MSG(strchr(sbuf_str(&sb), '\n') == NULL, "newline in %s",
	    sbuf_str(&sb));
}

/*
 * A small JSON well-formedness check: strings with valid escapes, balanced
 * braces and brackets, no empty member before a comma or a closer.
 */
static bool
json_ok(const char *s)
{
	char stack[64];
	int depth = 0;
	char prev = 0;

	for (; *s != '\0'; s++) {
		char c = *s;

		if (c == '"') {
			for (s++; *s != '"'; s++) {
				if (*s == '\0' || (unsigned char)*s < 0x20)
					return false;
				if (*s == '\\' && strchr("\"\\/bfnrtu",
				    *++s) == NULL)
					return false;
			}
			prev = '"';
			continue;
		}
		if (c == '{' || c == '[') {
			if (depth == (int)sizeof(stack))
				return false;
			stack[depth++] = c == '{' ? '}' : ']';
		} else if (c == '}' || c == ']') {
			if (depth == 0 || stack[--depth] != c || prev == ',')
				return false;
		} else if (c == ',' && (prev == ',' || prev == '{' ||
		    prev == '['))
			return false;
		prev = c;
	}
	return depth == 0;
}

static void
json_eq(const struct mh_msg *m, const char *want)
{
	char buf[8192];
	struct sbuf sb;
	struct jw jw;

	sbuf_init(&sb, buf, sizeof(buf));
	jw_init(&jw, &sb);
	mh_print_json(&jw, NULL, m);
	ATF_CHECK(!sb.trunc);
	ATF_CHECK_MSG(json_ok(sbuf_str(&sb)), "bad JSON: %s", sbuf_str(&sb));
	if (want != NULL)
		ATF_CHECK_STREQ(sbuf_str(&sb), want);
}

static void
verbose_eq(const struct mh_msg *m, int indent, const char *want)
{
	char buf[8192];
	struct sbuf sb;

	sbuf_init(&sb, buf, sizeof(buf));
	mh_print_verbose(&sb, m, indent);
	ATF_CHECK(!sb.trunc);
	ATF_CHECK(sb.len > 0 && buf[sb.len - 1] == '\n');
	if (want != NULL)
		ATF_CHECK_STREQ(sbuf_str(&sb), want);
}

/* ---------------------------------------------------- golden vectors */

struct golden {
	const char	*hex;
	const char	*src, *dst;	/* the pseudo-header pair that works */
	const char	*hao, *rh2;	/* print context, or NULL */
	const char	*shortform;
};

/*
 * Decode with the right pseudo-header (no violation), re-encode in the
 * automatic mode, in the keep-padding mode and with every keep bit, print;
 * then decode with a wrong source address (exactly one checksum
 * violation).  Leaves `msg` decoded for the caller's field checks.
 */
static void
golden(const struct golden *g)
{
	struct in6_addr src = tu_in6(g->src), dst = tu_in6(g->dst);
	struct in6_addr other = tu_in6(ACOA), hao, rh2;
	struct mh_addrs good = { &src, &dst }, wrong = { &other, &dst };
	struct mh_print_ctx ctx = { NULL, NULL };
	const struct viol *v;
	size_t n;

	if (g->hao != NULL) {
		hao = tu_in6(g->hao);
		ctx.hao = &hao;
	}
	if (g->rh2 != NULL) {
		rh2 = tu_in6(g->rh2);
		ctx.rh2 = &rh2;
	}
	n = decode_hex(g->hex, 0, &wrong);
	ATF_CHECK_EQ(rc, 0);
	expect_nviol(1);
	v = expect_viol(V_MH_CHECKSUM, 4, NULL);
	ATF_CHECK_EQ(v->a, (uint32_t)(in[4] << 8 | in[5]));
	ATF_CHECK_EQ(v->b, cksum_upper6(&other, &dst, 135, in, n, 4));

	n = decode_hex(g->hex, 0, &good);
	ATF_REQUIRE_EQ(rc, 0);
	expect_nviol(0);
	ATF_CHECK_EQ(msg.len, n);
	ATF_CHECK_EQ(msg.hdr_len, n / 8 - 1);
	ATF_CHECK_EQ(msg.payload_proto, 59);
	ATF_CHECK_EQ(msg.reserved, 0);
	ATF_CHECK_EQ(msg.checksum, in[4] << 8 | in[5]);
	ATF_CHECK(!msg.opts_truncated);
	encode_eq(&msg, 0, &good, in, n);
	encode_eq(&msg, MH_KEEP_PADDING, &good, in, n);
	encode_eq(&msg, MH_KEEP_PADDING | MH_KEEP_HDRLEN | MH_KEEP_CKSUM,
	    NULL, in, n);
	short_eq(&msg, &ctx, g->shortform);
	json_eq(&msg, NULL);
	verbose_eq(&msg, 4, NULL);
}

static void
check_opt_hdr(size_t i, uint8_t type, uint16_t off, uint8_t len)
{
	ATF_REQUIRE_MSG(i < msg.nopts, "option %zu missing", i);
	ATF_CHECK_EQ(msg.opts[i].type, type);
	ATF_CHECK_EQ(msg.opts[i].off, off);
	ATF_CHECK_EQ(msg.opts[i].len, len);
}

static void
check_in6(const struct in6_addr *a, const char *want)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, a, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, want);
}

static void
check_in4(const struct in_addr *a, const char *want)
{
	char buf[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, a, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, want);
}

/* §8.1 #1: home registration BU (A, H, K) with PadN + Alt-CoA; HAO. */
#define V1_BU	"3b030500 4c7c 1234 d000 0064 | 0100 | 0310 " \
		"20010db8000200000000000000000200"

ATF_TC_WITHOUT_HEAD(golden_bu_home_registration);
ATF_TC_BODY(golden_bu_home_registration, tc)
{
	static const struct golden g = { V1_BU, HOA, HA, HOA, NULL,
	    "BU seq=4660 A H K lifetime=400s hoa=2001:db8:1::100 "
	    "acoa=2001:db8:2::200" };

	golden(&g);
	ATF_CHECK_EQ(msg.type, MH_BU);
	ATF_CHECK_EQ(msg.hdr_len, 3);
	ATF_CHECK_EQ(msg.checksum, 0x4c7c);
	ATF_CHECK_EQ(msg.u.bu.seq, 4660);
	ATF_CHECK_EQ(msg.u.bu.flags, MH_BU_A | MH_BU_H | MH_BU_K);
	ATF_CHECK_EQ(msg.u.bu.lifetime, 100);
	ATF_CHECK_EQ(msg.nopts, 2);
	check_opt_hdr(0, MHOPT_PADN, 12, 0);
	ATF_CHECK_EQ(msg.opts[0].var_len, 0);
	check_opt_hdr(1, MHOPT_ACOA, 14, 16);
	check_in6(&msg.opts[1].u.acoa, ACOA);
	ATF_CHECK(mh_find_opt(&msg, MHOPT_ACOA) == &msg.opts[1]);
	ATF_CHECK(mh_find_opt(&msg, MHOPT_NI) == NULL);
	verbose_eq(&msg, 0,
	    "Mobility Header: Binding Update (BU, type 5)\n"
	    "  Payload Proto: 59\n"
	    "  Header Len: 3 (32 bytes)\n"
	    "  Reserved: 0\n"
	    "  Checksum: 0x4c7c\n"
	    "  Sequence: 4660\n"
	    "  Flags: 0xd000 A H K\n"
	    "  Lifetime: 100 (400 s)\n"
	    "  Option PadN (1) at offset 12, Length 0\n"
	    "  Option Alternate Care-of Address (3) at offset 14, Length 16: "
	    "2001:db8:2::200\n");
}

/* The same BU checked with the ACoA as source: the exact message. */
ATF_TC_WITHOUT_HEAD(checksum_violation_message);
ATF_TC_BODY(checksum_violation_message, tc)
{
	struct in6_addr src = tu_in6(ACOA), dst = tu_in6(HA);
	struct mh_addrs a = { &src, &dst };

	decode_hex(V1_BU, 62, &a);
	ATF_CHECK_EQ(rc, 0);
	expect_nviol(1);
	expect_viol(V_MH_CHECKSUM, 66, "MH checksum 0x4c7c, expected 0x4b7b");
	/* no addresses: nothing to verify */
	decode_hex(V1_BU, 62, NULL);
	expect_nviol(0);
}

/* §8.1 #2: BA status 0, K, BRA 50; RH2. */
ATF_TC_WITHOUT_HEAD(golden_ba_refresh_advice);
ATF_TC_BODY(golden_ba_refresh_advice, tc)
{
	static const struct golden g = { "3b010600 4ca6 00 80 1234 0064 "
	    "0202 0032", HA, HOA, NULL, HOA,
	    "BA status=0 K seq=4660 lifetime=400s rh2=2001:db8:1::100 "
	    "bra=200s" };

	golden(&g);
	ATF_CHECK_EQ(msg.type, MH_BA);
	ATF_CHECK_EQ(msg.u.ba.status, BA_ACCEPTED);
	ATF_CHECK_EQ(msg.u.ba.flags, MH_BA_K);
	ATF_CHECK_EQ(msg.u.ba.seq, 4660);
	ATF_CHECK_EQ(msg.u.ba.lifetime, 100);
	ATF_CHECK_EQ(msg.nopts, 1);
	check_opt_hdr(0, MHOPT_BRA, 12, 2);
	ATF_CHECK_EQ(msg.opts[0].u.bra_interval, 50);
	json_eq(&msg, "{\"type\":6,\"name\":\"Binding Acknowledgement\","
	    "\"abbrev\":\"BA\",\"payload_proto\":59,\"hdr_len\":1,"
	    "\"reserved\":0,\"checksum\":19622,"
	    "\"status\":0,\"status_name\":\"Binding Update accepted\","
	    "\"flags\":[\"K\"],\"flags_raw\":128,"
	    "\"seq\":4660,\"lifetime\":100,\"lifetime_s\":400,"
	    "\"options\":[{\"type\":2,\"name\":\"Binding Refresh Advice\","
	    "\"abbrev\":\"bra\",\"offset\":12,\"length\":2,\"interval\":50,"
	    "\"interval_s\":200}],"
	    "\"options_truncated\":false}");
}

/* §8.1 #3 and #6: HoTI (tunneled, HoA to CN) and CoTI (CoA to CN). */
ATF_TC_WITHOUT_HEAD(golden_hoti_coti);
ATF_TC_BODY(golden_hoti_coti, tc)
{
	static const struct golden hoti = { "3b010100 56d8 0000 "
	    "0102030405060708", HOA, CN, NULL, NULL,
	    "HoTI cookie=0102030405060708" };
	static const struct golden coti = { "3b010200 1597 0000 "
	    "1112131415161718", COA, CN, NULL, NULL,
	    "CoTI cookie=1112131415161718" };
	static const uint8_t c1[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t c2[8] = { 0x11, 0x12, 0x13, 0x14, 0x15, 0x16,
	    0x17, 0x18 };

	golden(&hoti);
	ATF_CHECK_EQ(msg.type, MH_HOTI);
	ATF_CHECK_EQ(msg.u.init.reserved, 0);
	ATF_CHECK(memcmp(msg.u.init.cookie, c1, 8) == 0);
	ATF_CHECK_EQ(msg.nopts, 0);
	golden(&coti);
	ATF_CHECK_EQ(msg.type, MH_COTI);
	ATF_CHECK(memcmp(msg.u.init.cookie, c2, 8) == 0);
	ATF_CHECK_EQ(msg.nopts, 0);
	json_eq(&msg, "{\"type\":2,\"name\":\"Care-of Test Init\","
	    "\"abbrev\":\"CoTI\",\"payload_proto\":59,\"hdr_len\":1,"
	    "\"reserved\":0,\"checksum\":5527,"
	    "\"msg_reserved\":0,\"cookie\":\"1112131415161718\","
	    "\"options\":[],\"options_truncated\":false}");
}

/* §8.1 #4 and #7: HoT (CN to HoA) and CoT (CN to CoA). */
ATF_TC_WITHOUT_HEAD(golden_hot_cot);
ATF_TC_BODY(golden_hot_cot, tc)
{
	static const struct golden hot = { "3b020300 c231 0007 "
	    "0102030405060708 a1a2a3a4a5a6a7a8", CN, HOA, NULL, NULL,
	    "HoT nonce=7 cookie=0102030405060708 token=a1a2a3a4a5a6a7a8" };
	static const struct golden cot = { "3b020400 40ae 0009 "
	    "1112131415161718 b1b2b3b4b5b6b7b8", CN, COA, NULL, NULL,
	    "CoT nonce=9 cookie=1112131415161718 token=b1b2b3b4b5b6b7b8" };
	static const uint8_t tok[8] = { 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6,
	    0xb7, 0xb8 };

	golden(&hot);
	ATF_CHECK_EQ(msg.type, MH_HOT);
	ATF_CHECK_EQ(msg.u.test.nonce_index, 7);
	ATF_CHECK_EQ(msg.u.test.cookie[7], 8);
	ATF_CHECK_EQ(msg.u.test.token[0], 0xa1);
	golden(&cot);
	ATF_CHECK_EQ(msg.type, MH_COT);
	ATF_CHECK_EQ(msg.u.test.nonce_index, 9);
	ATF_CHECK(memcmp(msg.u.test.token, tok, 8) == 0);
	verbose_eq(&msg, 2,
	    "  Mobility Header: Care-of Test (CoT, type 4)\n"
	    "    Payload Proto: 59\n"
	    "    Header Len: 2 (24 bytes)\n"
	    "    Reserved: 0\n"
	    "    Checksum: 0x40ae\n"
	    "    Care-of Nonce Index: 9\n"
	    "    Care-of Init Cookie: 1112131415161718\n"
	    "    Care-of Keygen Token: b1b2b3b4b5b6b7b8\n");
}

/* §8.1 #5: NEMO BU (A, H, K, R) with an MNP 2001:db8:100::/48; HAO. */
#define V5_NEMO	"3b030500 581b 0101 d400 00c8 | 0612 00 30 " \
		"20010db8010000000000000000000000"

ATF_TC_WITHOUT_HEAD(golden_nemo_bu);
ATF_TC_BODY(golden_nemo_bu, tc)
{
	static const struct golden g = { V5_NEMO, HOA, HA, HOA, NULL,
	    "BU seq=257 A H K R lifetime=800s hoa=2001:db8:1::100 "
	    "mnp=2001:db8:100::/48" };

	golden(&g);
	ATF_CHECK_EQ(msg.u.bu.seq, 257);
	ATF_CHECK_EQ(msg.u.bu.flags,
	    MH_BU_A | MH_BU_H | MH_BU_K | MH_BU_R);
	ATF_CHECK_EQ(msg.u.bu.lifetime, 200);
	ATF_CHECK_EQ(msg.nopts, 1);
	check_opt_hdr(0, MHOPT_MNP, 12, 18);
	ATF_CHECK_EQ(msg.opts[0].u.mnp.reserved, 0);
	ATF_CHECK_EQ(msg.opts[0].u.mnp.plen, 48);
	check_in6(&msg.opts[0].u.mnp.prefix, "2001:db8:100::");
}

/* §8.1 #8: BE status 1 (CN to the CoA). */
ATF_TC_WITHOUT_HEAD(golden_be);
ATF_TC_BODY(golden_be, tc)
{
	static const struct golden g = { "3b020700 3128 01 00 "
	    "20010db8000100000000000000000100", CN, COA, NULL, NULL,
	    "BE status=1 hoa=2001:db8:1::100" };
	struct in6_addr hao = tu_in6(HOA);
	struct mh_print_ctx ctx = { &hao, NULL };

	golden(&g);
	ATF_CHECK_EQ(msg.type, MH_BE);
	ATF_CHECK_EQ(msg.u.be.status, BE_UNKNOWN_HAO);
	ATF_CHECK_EQ(msg.u.be.reserved, 0);
	check_in6(&msg.u.be.hoa, HOA);
	/* a Home Address option with a BE prints as hao=, not hoa= */
	short_eq(&msg, &ctx, "BE status=1 hoa=2001:db8:1::100 "
	    "hao=2001:db8:1::100");
	verbose_eq(&msg, 0,
	    "Mobility Header: Binding Error (BE, type 7)\n"
	    "  Payload Proto: 59\n"
	    "  Header Len: 2 (24 bytes)\n"
	    "  Reserved: 0\n"
	    "  Checksum: 0x3128\n"
	    "  Status: 1 (Unknown binding for Home Address destination "
	    "option)\n"
	    "  Reserved: 0\n"
	    "  Home Address: 2001:db8:1::100\n");
}

/* §8.1 #9: BRR. */
ATF_TC_WITHOUT_HEAD(golden_brr);
ATF_TC_BODY(golden_brr, tc)
{
	static const struct golden g = { "3b000000 67f5 0000", CN, HOA,
	    NULL, NULL, "BRR" };

	golden(&g);
	ATF_CHECK_EQ(msg.type, MH_BRR);
	ATF_CHECK_EQ(msg.hdr_len, 0);
	ATF_CHECK_EQ(msg.u.brr.reserved, 0);
	ATF_CHECK_EQ(msg.nopts, 0);
}

/* §8.1 #16 and §6: route-optimization BU with NI(7, 9) and BAD. */
#define V16_RO	"3b030500 3581 0005 0000 000a | 0404 0007 0009 | 050c " \
		"0102030405060708090a0b0c"
#define V6_RR	"3b030500 3d80 0005 0000 000a | 0404 0007 0009 | 050c " \
		"425b05cc4fae2717be2d9f10"

ATF_TC_WITHOUT_HEAD(golden_ro_bu_nonce_indices_bad);
ATF_TC_BODY(golden_ro_bu_nonce_indices_bad, tc)
{
	static const struct golden g16 = { V16_RO, HOA, CN, HOA, NULL,
	    "BU seq=5 lifetime=40s hoa=2001:db8:1::100 ni=7/9 "
	    "bad=0102030405060708090a0b0c" };
	static const struct golden g6 = { V6_RR, HOA, CN, NULL, NULL,
	    "BU seq=5 lifetime=40s ni=7/9 bad=425b05cc4fae2717be2d9f10" };
	static const uint8_t auth[12] = { 0x42, 0x5b, 0x05, 0xcc, 0x4f, 0xae,
	    0x27, 0x17, 0xbe, 0x2d, 0x9f, 0x10 };

	golden(&g16);
	ATF_CHECK_EQ(msg.u.bu.seq, 5);
	ATF_CHECK_EQ(msg.u.bu.flags, 0);
	ATF_CHECK_EQ(msg.u.bu.lifetime, 10);
	ATF_CHECK_EQ(msg.nopts, 2);
	check_opt_hdr(0, MHOPT_NI, 12, 4);
	ATF_CHECK_EQ(msg.opts[0].u.ni.home, 7);
	ATF_CHECK_EQ(msg.opts[0].u.ni.careof, 9);
	check_opt_hdr(1, MHOPT_BAD, 18, 12);
	ATF_CHECK_EQ(msg.opts[1].var_len, 12);
	ATF_CHECK_EQ(msg.opts[1].var[11], 0x0c);
	golden(&g6);
	ATF_CHECK_EQ(msg.checksum, 0x3d80);
	check_opt_hdr(1, MHOPT_BAD, 18, 12);
	ATF_CHECK(memcmp(msg.opts[1].var, auth, sizeof(auth)) == 0);
	/* BAD authenticator input: encoded with the checksum left zero */
	{
		struct in6_addr s = tu_in6(HOA), d = tu_in6(CN);
		struct mh_addrs a = { &s, &d };

		encode_hex_eq(&msg, MH_NO_CKSUM, &a, "3b030500 0000 "
		    "0005 0000 000a 0404 0007 0009 050c "
		    "425b05cc4fae2717be2d9f10");
	}
}

/* §8.1 #17: DSMIPv6 BU (A, H, K, F) with IPv4 HoA 203.0.113.7/24, P. */
#define V17_DSMIP "3b020500 d553 0020 d100 0064 | 1d06 6200 cb007107 | " \
		  "01020000"

ATF_TC_WITHOUT_HEAD(golden_dsmip_bu_v4hoa);
ATF_TC_BODY(golden_dsmip_bu_v4hoa, tc)
{
	static const struct golden g = { V17_DSMIP, HOA, HA, HOA, NULL,
	    "BU seq=32 A H K F lifetime=400s hoa=2001:db8:1::100 "
	    "v4hoa=203.0.113.7/24,P" };

	golden(&g);
	ATF_CHECK_EQ(msg.u.bu.seq, 32);
	ATF_CHECK_EQ(msg.u.bu.flags,
	    MH_BU_A | MH_BU_H | MH_BU_K | MH_BU_F);
	ATF_CHECK_EQ(msg.nopts, 2);
	check_opt_hdr(0, MHOPT_V4HOA, 12, 6);
	ATF_CHECK_EQ(msg.opts[0].u.v4hoa.plen, 24);
	ATF_CHECK(msg.opts[0].u.v4hoa.p);
	ATF_CHECK_EQ(msg.opts[0].u.v4hoa.reserved, 0);
	check_in4(&msg.opts[0].u.v4hoa.addr, "203.0.113.7");
	check_opt_hdr(1, MHOPT_PADN, 20, 2);
	ATF_CHECK_EQ(msg.opts[1].var_len, 2);
}

/* §8.1 #18: DSMIPv6 BA with IPv4 Address Ack and NAT Detection; RH2. */
ATF_TC_WITHOUT_HEAD(golden_dsmip_ba_v4ack_natd);
ATF_TC_BODY(golden_dsmip_ba_v4ack_natd, tc)
{
	static const struct golden g = { "3b030600 65f7 00 80 0020 0064 | "
	    "1e06 00 60 cb007107 | 1f06 8000 0000006e | 01020000", HA, HOA,
	    NULL, HOA, "BA status=0 K seq=32 lifetime=400s "
	    "rh2=2001:db8:1::100 v4ack=0,203.0.113.7/24 natd=F,110s" };

	golden(&g);
	ATF_CHECK_EQ(msg.u.ba.status, 0);
	ATF_CHECK_EQ(msg.u.ba.flags, MH_BA_K);
	ATF_CHECK_EQ(msg.u.ba.seq, 32);
	ATF_CHECK_EQ(msg.nopts, 3);
	check_opt_hdr(0, MHOPT_V4ACK, 12, 6);
	ATF_CHECK_EQ(msg.opts[0].u.v4ack.status, V4ACK_SUCCESS);
	ATF_CHECK_EQ(msg.opts[0].u.v4ack.plen, 24);
	ATF_CHECK_EQ(msg.opts[0].u.v4ack.reserved, 0);
	check_in4(&msg.opts[0].u.v4ack.addr, "203.0.113.7");
	check_opt_hdr(1, MHOPT_NATD, 20, 6);
	ATF_CHECK(msg.opts[1].u.natd.f);
	ATF_CHECK_EQ(msg.opts[1].u.natd.reserved, 0);
	ATF_CHECK_EQ(msg.opts[1].u.natd.refresh, 110);
	check_opt_hdr(2, MHOPT_PADN, 28, 2);
}

/* §8.1 #19: BU over IPv4/UDP 4191 with IPv4 HoA and IPv4 CoA, no HAO. */
ATF_TC_WITHOUT_HEAD(golden_dsmip_bu_v4coa);
ATF_TC_BODY(golden_dsmip_bu_v4coa, tc)
{
	static const struct golden g = { "3b030500 f438 0021 d000 0064 | "
	    "1d06 6200 cb007107 | 2006 0000 c000020a | 01020000", HOA, HA,
	    NULL, NULL, "BU seq=33 A H K lifetime=400s "
	    "v4hoa=203.0.113.7/24,P v4coa=192.0.2.10" };

	golden(&g);
	ATF_CHECK_EQ(msg.u.bu.seq, 33);
	ATF_CHECK_EQ(msg.nopts, 3);
	check_opt_hdr(1, MHOPT_V4COA, 20, 6);
	ATF_CHECK_EQ(msg.opts[1].u.v4coa.reserved, 0);
	check_in4(&msg.opts[1].u.v4coa.addr, "192.0.2.10");
}

/* §8.1 #20: MCoA BU with PadN (6 octets) and a BI with an IPv6 CoA. */
#define V20_MCOA "3b040500 3f6e 0030 d000 0064 | 0104 00000000 | 2314 " \
		 "0001 00 00 20010db8000200000000000000000100"

ATF_TC_WITHOUT_HEAD(golden_mcoa_bu_bid);
ATF_TC_BODY(golden_mcoa_bu_bid, tc)
{
	static const struct golden g = { V20_MCOA, HOA, HA, HOA, NULL,
	    "BU seq=48 A H K lifetime=400s hoa=2001:db8:1::100 "
	    "bid=1,status=0,prio=0,coa=2001:db8:2::100" };

	golden(&g);
	ATF_CHECK_EQ(msg.u.bu.seq, 48);
	ATF_CHECK_EQ(msg.nopts, 2);
	check_opt_hdr(0, MHOPT_PADN, 12, 4);
	check_opt_hdr(1, MHOPT_BID, 18, 20);
	ATF_CHECK_EQ(msg.opts[1].u.bid.bid, 1);
	ATF_CHECK_EQ(msg.opts[1].u.bid.status, 0);
	ATF_CHECK(!msg.opts[1].u.bid.h);
	ATF_CHECK_EQ(msg.opts[1].u.bid.prio, 0);
	ATF_CHECK_EQ(msg.opts[1].u.bid.coa_family, AF_INET6);
	check_in6(&msg.opts[1].u.bid.coa6, COA);
}

/* ------------------------------------------------------ builders */

static void
addrs_of(struct mh_addrs *a, struct in6_addr *s, struct in6_addr *d,
    const char *src, const char *dst)
{
	*s = tu_in6(src);
	*d = tu_in6(dst);
	a->src = s;
	a->dst = d;
}

/* The encoder, from fields only, must produce the golden bytes. */
ATF_TC_WITHOUT_HEAD(build_reproduces_golden_bytes);
ATF_TC_BODY(build_reproduces_golden_bytes, tc)
{
	static const uint8_t auth[12] = { 0x42, 0x5b, 0x05, 0xcc, 0x4f, 0xae,
	    0x27, 0x17, 0xbe, 0x2d, 0x9f, 0x10 };
	struct in6_addr s, d;
	struct mh_addrs a;
	struct mh_opt *o;

	addrs_of(&a, &s, &d, HOA, HA);
	mh_init(&built, MH_BU);
	built.u.bu.seq = 4660;
	built.u.bu.flags = MH_BU_A | MH_BU_H | MH_BU_K;
	built.u.bu.lifetime = 100;
	o = mh_add_opt(&built, MHOPT_ACOA);
	ATF_REQUIRE(o != NULL);
	o->u.acoa = tu_in6(ACOA);
	encode_hex_eq(&built, 0, &a, V1_BU);

	mh_init(&built, MH_BU);
	built.u.bu.seq = 257;
	built.u.bu.flags = MH_BU_A | MH_BU_H | MH_BU_K | MH_BU_R;
	built.u.bu.lifetime = 200;
	o = mh_add_opt(&built, MHOPT_MNP);
	o->u.mnp.plen = 48;
	o->u.mnp.prefix = tu_in6("2001:db8:100::");
	encode_hex_eq(&built, 0, &a, V5_NEMO);

	mh_init(&built, MH_BU);
	built.u.bu.seq = 32;
	built.u.bu.flags = MH_BU_A | MH_BU_H | MH_BU_K | MH_BU_F;
	built.u.bu.lifetime = 100;
	o = mh_add_opt(&built, MHOPT_V4HOA);
	o->u.v4hoa.plen = 24;
	o->u.v4hoa.p = true;
	o->u.v4hoa.addr = tu_in4("203.0.113.7");
	encode_hex_eq(&built, 0, &a, V17_DSMIP);

	mh_init(&built, MH_BU);
	built.u.bu.seq = 48;
	built.u.bu.flags = MH_BU_A | MH_BU_H | MH_BU_K;
	built.u.bu.lifetime = 100;
	o = mh_add_opt(&built, MHOPT_BID);
	o->u.bid.bid = 1;
	o->u.bid.coa_family = AF_INET6;
	o->u.bid.coa6 = tu_in6(COA);
	encode_hex_eq(&built, 0, &a, V20_MCOA);

	addrs_of(&a, &s, &d, HA, HOA);
	mh_init(&built, MH_BA);
	built.u.ba.flags = MH_BA_K;
	built.u.ba.seq = 32;
	built.u.ba.lifetime = 100;
	o = mh_add_opt(&built, MHOPT_V4ACK);
	o->u.v4ack.plen = 24;
	o->u.v4ack.addr = tu_in4("203.0.113.7");
	o = mh_add_opt(&built, MHOPT_NATD);
	o->u.natd.f = true;
	o->u.natd.refresh = 110;
	encode_hex_eq(&built, 0, &a, "3b030600 65f7 00 80 0020 0064 "
	    "1e06 00 60 cb007107 1f06 8000 0000006e 01020000");

	addrs_of(&a, &s, &d, HOA, CN);
	mh_init(&built, MH_BU);
	built.u.bu.seq = 5;
	built.u.bu.lifetime = 10;
	o = mh_add_opt(&built, MHOPT_NI);
	o->u.ni.home = 7;
	o->u.ni.careof = 9;
	o = mh_add_opt(&built, MHOPT_BAD);
	o->var_len = sizeof(auth);
	memcpy(o->var, auth, sizeof(auth));
	encode_hex_eq(&built, 0, &a, V6_RR);

	/* an option-less BU: 12 bytes and the canonical PadN 01 02 00 00 */
	mh_init(&built, MH_BU);
	encode_hex_eq(&built, 0, NULL, "3b010500 0000 0000 0000 0000 "
	    "01020000");
	/* an option-less BRR needs no padding */
	mh_init(&built, MH_BRR);
	encode_hex_eq(&built, 0, NULL, "3b000000 0000 0000");
}

ATF_TC_WITHOUT_HEAD(init_add_find);
ATF_TC_BODY(init_add_find, tc)
{
	size_t i;

	memset(&built, 0xa5, sizeof(built));
	mh_init(&built, MH_BA);
	ATF_CHECK_EQ(built.payload_proto, MH_PAYLOAD_NONE);
	ATF_CHECK_EQ(built.type, MH_BA);
	ATF_CHECK_EQ(built.hdr_len, 0);
	ATF_CHECK_EQ(built.checksum, 0);
	ATF_CHECK_EQ(built.u.ba.status, 0);
	ATF_CHECK_EQ(built.u.ba.seq, 0);
	ATF_CHECK_EQ(built.nopts, 0);
	ATF_CHECK_EQ(built.body_len, 0);
	ATF_CHECK(!built.opts_truncated);
	for (i = 0; i < MH_OPT_MAX; i++) {
		struct mh_opt *o = mh_add_opt(&built, MHOPT_BRA);

		ATF_REQUIRE(o != NULL);
		ATF_CHECK_EQ(o->type, MHOPT_BRA);
		ATF_CHECK_EQ(o->u.bra_interval, 0);
		ATF_CHECK_EQ(o->var_len, 0);
		ATF_CHECK(!o->keep_len);
	}
	ATF_CHECK(mh_add_opt(&built, MHOPT_BRA) == NULL);
	ATF_CHECK_EQ(built.nopts, MH_OPT_MAX);
	ATF_CHECK(mh_find_opt(&built, MHOPT_BRA) == &built.opts[0]);
	ATF_CHECK(mh_find_opt(&built, MHOPT_BAD) == NULL);
}

/* ------------------------------------------------------ violations */

ATF_TC_WITHOUT_HEAD(viol_payload_proto);
ATF_TC_BODY(viol_payload_proto, tc)
{
	decode_hex("06000000 67f5 0000", 40, NULL);
	ATF_CHECK_EQ(rc, 0);
	expect_nviol(1);
	expect_viol(V_MH_PAYLOAD_PROTO, 40, "MH Payload Proto 6, expected 59");
	ATF_CHECK_EQ(viol_severity(V_MH_PAYLOAD_PROTO), VS_WARN);
	ATF_CHECK_EQ(msg.payload_proto, 6);
	/* preserved on re-encode */
	encode_eq(&msg, MH_KEEP_CKSUM, NULL, in, 8);
}

/* #17 with Header Len 5: the MH claims 48 bytes, 24 were captured. */
ATF_TC_WITHOUT_HEAD(viol_hdrlen_past_end);
ATF_TC_BODY(viol_hdrlen_past_end, tc)
{
	struct in6_addr s = tu_in6(HOA), d = tu_in6(HA);
	struct mh_addrs a = { &s, &d };
	size_t n;

	n = decode_hex("3b050500 d553 0020 d100 0064 1d06 6200 cb007107 "
	    "01020000", 54, &a);
	ATF_CHECK_EQ(rc, 0);
	/* no checksum verdict on a partial MH, no option past the end */
	expect_nviol(1);
	expect_viol(V_MH_HDRLEN_PAST_END, 55,
	    "MH Header Len 5 (48 bytes) but 24 bytes captured");
	ATF_CHECK_EQ(msg.len, n);
	ATF_CHECK_EQ(msg.hdr_len, 5);
	ATF_CHECK_EQ(msg.u.bu.seq, 32);
	ATF_CHECK_EQ(msg.nopts, 2);
	check_opt_hdr(0, MHOPT_V4HOA, 12, 6);

	/* cut inside the PadN: still only the one violation */
	decode_hex("3b050500 d553 0020 d100 0064 1d06 6200 cb007107 0102",
	    54, &a);
	ATF_CHECK_EQ(rc, 0);
	expect_nviol(1);
	expect_viol(V_MH_HDRLEN_PAST_END, 55,
	    "MH Header Len 5 (48 bytes) but 22 bytes captured");
	ATF_CHECK_EQ(msg.nopts, 1);

	/* cut inside the fixed part: -1, the header fields are still there */
	decode_hex("3b010500 d553 0020 d1", 0, NULL);
	ATF_CHECK_EQ(rc, -1);
	expect_nviol(1);
	expect_viol(V_MH_HDRLEN_PAST_END, 1,
	    "MH Header Len 1 (16 bytes) but 9 bytes captured");
	ATF_CHECK_EQ(msg.type, MH_BU);
	ATF_CHECK_EQ(msg.checksum, 0xd553);
	ATF_CHECK_EQ(msg.nopts, 0);

	/* cut inside the common header */
	decode_hex("3b0105", 10, NULL);
	ATF_CHECK_EQ(rc, -1);
	expect_viol(V_MH_HDRLEN_PAST_END, 11,
	    "MH Header Len 1 (16 bytes) but 3 bytes captured");
}

ATF_TC_WITHOUT_HEAD(viol_truncated_before_header_len);
ATF_TC_BODY(viol_truncated_before_header_len, tc)
{
	decode_hex("3b", 20, NULL);
	ATF_CHECK_EQ(rc, -1);
	expect_nviol(1);
	expect_viol(V_TRUNCATED, 20,
	    "Mobility Header needs 8 bytes but 1 bytes captured");
	ATF_CHECK_EQ(msg.len, 1);
	decode_hex("", 20, NULL);
	ATF_CHECK_EQ(rc, -1);
	expect_viol(V_TRUNCATED, 20,
	    "Mobility Header needs 8 bytes but 0 bytes captured");
}

ATF_TC_WITHOUT_HEAD(viol_hdrlen_short);
ATF_TC_BODY(viol_hdrlen_short, tc)
{
	struct rbuf b;

	/* a BU of Header Len 0 (8 bytes) cannot hold its 12-byte fixed part */
	tu_hex("3b000500 0000 1234 d000 0064 01020000", in, sizeof(in));
	rbuf_init(&b, in, 20);
	viol_init(&vl);
	rc = mh_decode(&msg, &b, 14, NULL, &vl);
	ATF_CHECK_EQ(rc, -1);
	expect_nviol(1);
	expect_viol(V_MH_HDRLEN_SHORT, 15,
	    "MH Header Len 0 below the minimum 1 for Binding Update");
	/* the MH ends where Header Len says: the rest is left to the caller */
	ATF_CHECK_EQ(msg.len, 8);
	ATF_CHECK_EQ(rbuf_left(&b), 12);

	/* a HoT of Header Len 1 is 8 bytes short of its token */
	decode_hex("3b010300 0000 0007 0102030405060708", 0, NULL);
	ATF_CHECK_EQ(rc, -1);
	expect_viol(V_MH_HDRLEN_SHORT, 1,
	    "MH Header Len 1 below the minimum 2 for Home Test");
	ATF_CHECK_EQ(mh_min_hdr_len(MH_BRR), 0);
	ATF_CHECK_EQ(mh_min_hdr_len(MH_HOTI), 1);
	ATF_CHECK_EQ(mh_min_hdr_len(MH_COTI), 1);
	ATF_CHECK_EQ(mh_min_hdr_len(MH_HOT), 2);
	ATF_CHECK_EQ(mh_min_hdr_len(MH_COT), 2);
	ATF_CHECK_EQ(mh_min_hdr_len(MH_BU), 1);
	ATF_CHECK_EQ(mh_min_hdr_len(MH_BA), 1);
	ATF_CHECK_EQ(mh_min_hdr_len(MH_BE), 2);
	ATF_CHECK_EQ(mh_min_hdr_len(MH_HAS), 0);
	ATF_CHECK_EQ(mh_min_hdr_len(200), 0);
}

ATF_TC_WITHOUT_HEAD(viol_unknown_type_is_opaque);
ATF_TC_BODY(viol_unknown_type_is_opaque, tc)
{
	size_t n = decode_hex("3b006300 0000 abcd", 30, NULL);

	ATF_CHECK_EQ(rc, 0);
	expect_nviol(1);
	expect_viol(V_MH_UNKNOWN_TYPE, 32,
	    "unrecognized MH Type 99 (answer: Binding Error status 2)");
	ATF_CHECK_EQ(viol_severity(V_MH_UNKNOWN_TYPE), VS_INFO);
	ATF_CHECK_EQ(msg.body_len, 2);
	ATF_CHECK_EQ(msg.body[0], 0xab);
	ATF_CHECK_EQ(msg.nopts, 0);
	ATF_CHECK_STREQ(mh_type_name(99), "MH-99");
	ATF_CHECK_STREQ(mh_type_abbrev(99), "MH-99");
	ATF_CHECK_STREQ(mh_type_abbrev(255), "MH-255");
	ATF_CHECK_STREQ(mh_type_abbrev(24), "MH-24");
	short_eq(&msg, NULL, "MH-99 len=8 data=abcd");
	encode_eq(&msg, 0, NULL, in, n);
	json_eq(&msg, "{\"type\":99,\"name\":\"MH-99\",\"abbrev\":\"MH-99\","
	    "\"payload_proto\":59,\"hdr_len\":0,\"reserved\":0,"
	    "\"checksum\":0,\"data_len\":2,\"data\":\"abcd\"}");
}

/* An Alt-CoA whose Length (40) runs past the 32-byte MH. */
ATF_TC_WITHOUT_HEAD(viol_opt_past_end);
ATF_TC_BODY(viol_opt_past_end, tc)
{
	decode_hex("3b030500 0000 1234 d000 0064 0100 0328 "
	    "20010db8000200000000000000000200", 100, NULL);
	ATF_CHECK_EQ(rc, 0);
	expect_nviol(1);
	expect_viol(V_MH_OPT_PAST_END, 114, "Alternate Care-of Address "
	    "option at offset 14 with Length 40 runs past the end of the MH");
	ATF_CHECK_EQ(msg.nopts, 1);
	/* a lone Type octet at the very end of the MH */
	decode_hex("3b010500 0000 0000 0000 0000 010100 63", 0, NULL);
	expect_nviol(1);
	expect_viol(V_MH_OPT_PAST_END, 15,
	    "opt99 option at offset 15 with Length 0 runs past the end of "
	    "the MH");
}

/* Nonce Indices with scapy's default Length 16 (wire-formats.md #10). */
ATF_TC_WITHOUT_HEAD(viol_opt_length);
ATF_TC_BODY(viol_opt_length, tc)
{
	decode_hex("3b030500 0000 0005 0000 000a 0410 0007 0009 "
	    "0000000000000000 00000000 0100", 200, NULL);
	ATF_CHECK_EQ(rc, 0);
	expect_nviol(1);
	expect_viol(V_MH_OPT_LENGTH, 213,
	    "Nonce Indices option Length 16, expected 4");
	ATF_CHECK_EQ(msg.opts[0].u.ni.home, 7);
	ATF_CHECK_EQ(msg.opts[0].u.ni.careof, 9);
	/* an AUTH shorter than its subtype and SPI (minimum 5) */
	decode_hex("3b010500 0000 0000 0000 0000 0902 0100", 0, NULL);
	expect_viol(V_MH_OPT_LENGTH, 13, "Mobility Message Authentication "
	    "option Length 2, expected 5");
}

/* The Alt-CoA right after the fixed part (offset 12, not 8n+6). */
ATF_TC_WITHOUT_HEAD(viol_opt_misaligned);
ATF_TC_BODY(viol_opt_misaligned, tc)
{
	decode_hex("3b030500 0000 1234 d000 0064 0310 "
	    "20010db8000200000000000000000200 0100", 8, NULL);
	ATF_CHECK_EQ(rc, 0);
	expect_nviol(1);
	expect_viol(V_MH_OPT_MISALIGNED, 20, "Alternate Care-of Address "
	    "option at offset 12 violates 8n+6 alignment");
	/* an IPv4 CoA at 4n+2 (RFC 5555 §3.1.2: 4n) */
	decode_hex("3b020500 0000 0000 0000 0000 0100 2006 0000 c000020a "
	    "0100", 0, NULL);
	expect_nviol(1);
	expect_viol(V_MH_OPT_MISALIGNED, 14, "IPv4 Care-of Address option "
	    "at offset 14 violates 4n+0 alignment");
}

ATF_TC_WITHOUT_HEAD(viol_opt_not_allowed);
ATF_TC_BODY(viol_opt_not_allowed, tc)
{
	/* BRA belongs in a BA (RFC 6275 §6.1.8) */
	decode_hex("3b010500 0000 0001 0000 0000 0202 0032", 0, NULL);
	ATF_CHECK_EQ(rc, 0);
	expect_nviol(1);
	expect_viol(V_MH_OPT_NOT_ALLOWED, 12,
	    "Binding Refresh Advice option not allowed in MH type 5");
	/* an IPv4 HoA in a BA (RFC 5555 §3.1.1: BU only) */
	decode_hex("3b020600 0000 0000 0000 0000 1d06 6200 cb007107 01020000",
	    0, NULL);
	expect_nviol(1);
	expect_viol(V_MH_OPT_NOT_ALLOWED, 12,
	    "IPv4 Home Address option not allowed in MH type 6");
	/* but an unknown option and an MN-ID may go anywhere */
	decode_hex("3b020100 0000 0000 0102030405060708 6300 0802 0161 "
	    "0100", 0, NULL);
	expect_nviol(0);
}

/* BAD at 18, then a Nonce Indices option at 32. */
ATF_TC_WITHOUT_HEAD(viol_bad_not_last);
ATF_TC_BODY(viol_bad_not_last, tc)
{
	decode_hex("3b040500 0000 0005 0000 000a 0104 00000000 "
	    "050c 0102030405060708090a0b0c 0404 0007 0009 0100", 4, NULL);
	ATF_CHECK_EQ(rc, 0);
	expect_nviol(1);
	expect_viol(V_MH_BAD_NOT_LAST, 36,
	    "Binding Authorization Data option is not the last option");
	ATF_CHECK_EQ(msg.nopts, 4);
}

ATF_TC_WITHOUT_HEAD(viol_opt_duplicate);
ATF_TC_BODY(viol_opt_duplicate, tc)
{
	decode_hex("3b020500 0000 0005 0000 000a 0404 0007 0009 "
	    "0404 0008 000a", 0, NULL);
	ATF_CHECK_EQ(rc, 0);
	expect_nviol(1);
	expect_viol(V_MH_OPT_DUPLICATE, 18,
	    "Nonce Indices option appears more than once");
	ATF_CHECK_EQ(viol_severity(V_MH_OPT_DUPLICATE), VS_WARN);
	/* two MN-IDs are fine: RFC 4283 sets no limit */
	decode_hex("3b020500 0000 0000 0000 0000 0802 0161 0802 0262 01020000",
	    0, NULL);
	expect_nviol(0);
	/* several MNPs are fine (one per prefix, RFC 3963 §4.3) */
	decode_hex("3b060500 0000 0101 d400 00c8 0612 0030 "
	    "20010db8010000000000000000000000 0102 0000 0612 0030 "
	    "20010db8020000000000000000000000", 0, NULL);
	expect_nviol(0);
	ATF_CHECK_EQ(msg.nopts, 3);
}

ATF_TC_WITHOUT_HEAD(viol_pad_nonzero);
ATF_TC_BODY(viol_pad_nonzero, tc)
{
	size_t n = decode_hex("3b010500 0000 0000 0000 0000 0102 0100", 16,
	    NULL);

	ATF_CHECK_EQ(rc, 0);
	expect_nviol(1);
	expect_viol(V_MH_PAD_NONZERO, 28, "non-zero PadN contents at offset "
	    "12");
	/* kept, so that MH_KEEP_PADDING reproduces the message */
	encode_eq(&msg, MH_KEEP_PADDING | MH_KEEP_CKSUM, NULL, in, n);
	/* and replaced by zeros in the automatic mode */
	encode_hex_eq(&msg, 0, NULL, "3b010500 0000 0000 0000 0000 "
	    "01020000");
}

ATF_TC_WITHOUT_HEAD(viol_pad_excess);
ATF_TC_BODY(viol_pad_excess, tc)
{
	/* 4 pad bytes before a 2n option where none were needed */
	decode_hex("3b020500 0000 0005 0000 000a 0102 0000 0404 0007 0009 "
	    "0100", 0, NULL);
	ATF_CHECK_EQ(rc, 0);
	expect_nviol(1);
	expect_viol(V_MH_PAD_EXCESS, 12,
	    "4 bytes of padding where alignment needs fewer");
	ATF_CHECK_EQ(viol_severity(V_MH_PAD_EXCESS), VS_INFO);
	/* 12 pad bytes at the end where 4 would do */
	decode_hex("3b020500 0000 0000 0000 0000 010a 00000000000000000000",
	    0, NULL);
	expect_nviol(1);
	expect_viol(V_MH_PAD_EXCESS, 12,
	    "12 bytes of padding where alignment needs fewer");
}

ATF_TC_WITHOUT_HEAD(viol_opt_value);
ATF_TC_BODY(viol_opt_value, tc)
{
	/* #5 with an MNP prefix length of 129 */
	decode_hex("3b030500 581b 0101 d400 00c8 0612 00 81 "
	    "20010db8010000000000000000000000", 10, NULL);
	ATF_CHECK_EQ(rc, 0);
	expect_nviol(1);
	expect_viol(V_MH_OPT_VALUE, 25,
	    "Mobile Network Prefix Length has invalid value 129");
	/* #17 with Prefix-len 33 */
	decode_hex("3b020500 0000 0020 d100 0064 1d06 8600 cb007107 01020000",
	    0, NULL);
	expect_nviol(1);
	expect_viol(V_MH_OPT_VALUE, 14,
	    "IPv4 Home Address Prefix-len has invalid value 33");
	/* an IPv4 Address Acknowledgement with Prefix-len 40 */
	decode_hex("3b020600 0000 0000 0000 0000 1e06 00a0 cb007107 01020000",
	    0, NULL);
	expect_nviol(1);
	expect_viol(V_MH_OPT_VALUE, 15, "IPv4 Address Acknowledgement "
	    "Prefix-len has invalid value 40");
	/* a BI of Length 6: neither 4, 8 nor 20 */
	decode_hex("3b030500 0000 0000 0000 0000 0104 00000000 2306 0001 "
	    "0000 aaaa 010400000000", 0, NULL);
	expect_nviol(1);
	expect_viol(V_MH_OPT_VALUE, 19,
	    "Binding Identifier Length has invalid value 6");
}

/* 50 unknown options: 48 kept, the rest still walked and checked. */
ATF_TC_WITHOUT_HEAD(viol_too_many_options);
ATF_TC_BODY(viol_too_many_options, tc)
{
	char hex[1024];
	struct sbuf sb;
	int i;

	sbuf_init(&sb, hex, sizeof(hex));
	sbuf_puts(&sb, "3b100500 0000 0000 0000 0000");
	for (i = 0; i < 50; i++)
		sbuf_puts(&sb, " 6300");
	/* offset 112 is 8n: the Alt-CoA needs 8n+6 */
	sbuf_puts(&sb, " 0310 20010db8000200000000000000000200 0104 00000000");
	decode_hex(sbuf_str(&sb), 0, NULL);
	ATF_CHECK_EQ(rc, 0);
	expect_nviol(2);
	/* reported at the first option not kept, the 49th */
	expect_viol(V_TOO_MANY, 108, "more mobility options than the decoder "
	    "keeps; only the first 48 kept");
	expect_viol(V_MH_OPT_MISALIGNED, 112, NULL);
	ATF_CHECK_EQ(msg.nopts, MH_OPT_MAX);
	ATF_CHECK(msg.opts_truncated);
	ATF_CHECK_EQ(msg.opts[47].off, 12 + 47 * 2);
	ATF_CHECK_EQ(msg.len, 136);
}

/* ------------------------------------------------ options and printing */

/* An unknown option is kept as bytes, skipped, and re-encoded. */
ATF_TC_WITHOUT_HEAD(unknown_option_kept);
ATF_TC_BODY(unknown_option_kept, tc)
{
	size_t n = decode_hex("3b020500 0000 0007 0000 0001 6303 aabbcc "
	    "0105 0000000000", 0, NULL);

	ATF_CHECK_EQ(rc, 0);
	expect_nviol(0);
	ATF_CHECK_EQ(msg.nopts, 2);
	check_opt_hdr(0, 99, 12, 3);
	ATF_CHECK_EQ(msg.opts[0].var_len, 3);
	ATF_CHECK_EQ(msg.opts[0].var[2], 0xcc);
	check_opt_hdr(1, MHOPT_PADN, 17, 5);
	encode_eq(&msg, 0, NULL, in, n);
	encode_eq(&msg, MH_KEEP_PADDING, NULL, in, n);
	short_eq(&msg, NULL, "BU seq=7 lifetime=4s opt99=aabbcc");
	ATF_CHECK_STREQ(mh_opt_abbrev(99), "opt99");
	ATF_CHECK_STREQ(mh_opt_name(99), "opt99");
	ATF_CHECK_STREQ(mh_opt_name(20), "Service Selection");
	ATF_CHECK_STREQ(mh_opt_abbrev(20), "opt20");
	ATF_CHECK_STREQ(mh_opt_abbrev(0), "pad1");
	ATF_CHECK_STREQ(mh_opt_abbrev(255), "opt255");
	ATF_CHECK_STREQ(mh_opt_name(MHOPT_ACOA), "Alternate Care-of Address");
	ATF_CHECK_STREQ(mh_opt_abbrev(MHOPT_ACOA), "acoa");
	verbose_eq(&msg, 0,
	    "Mobility Header: Binding Update (BU, type 5)\n"
	    "  Payload Proto: 59\n"
	    "  Header Len: 2 (24 bytes)\n"
	    "  Reserved: 0\n"
	    "  Checksum: 0x0000\n"
	    "  Sequence: 7\n"
	    "  Flags: 0x0000\n"
	    "  Lifetime: 1 (4 s)\n"
	    "  Option opt99 (99) at offset 12, Length 3: aabbcc\n"
	    "  Option PadN (1) at offset 17, Length 5: 0000000000\n");
}

/* Types 8-23 are named opaque messages. */
ATF_TC_WITHOUT_HEAD(opaque_types_named);
ATF_TC_BODY(opaque_types_named, tc)
{
	static const char *const abbrev[] = { "FBU", "FBack", "FNA", "EMH",
	    "HAS", "HB", "HI", "HAck", "BR", "LRI", "LRA", "UPN", "UPA",
	    "FBM", "SQ", "SR" };
	static const char *const name[] = { "Fast Binding Update",
	    "Fast Binding Acknowledgment", "Fast Neighbor Advertisement",
	    "Experimental Mobility Header", "Home Agent Switch", "Heartbeat",
	    "Handover Initiate", "Handover Acknowledge", "Binding Revocation",
	    "Localized Routing Initiation",
	    "Localized Routing Acknowledgment", "Update Notification",
	    "Update Notification Acknowledgement", "Flow Binding",
	    "Subscription Query", "Subscription Response" };
	size_t n;
	int t;

	for (t = 8; t <= 23; t++) {
		ATF_CHECK_STREQ(mh_type_abbrev((uint8_t)t), abbrev[t - 8]);
		ATF_CHECK_STREQ(mh_type_name((uint8_t)t), name[t - 8]);
	}
	ATF_CHECK_STREQ(mh_type_name(MH_BU), "Binding Update");
	ATF_CHECK_STREQ(mh_type_abbrev(MH_HOTI), "HoTI");
	/* a 24-byte Home Agent Switch: 18 bytes of data */
	n = decode_hex("3b020c00 0000 0001 20010db8000100000000000000000001",
	    0, NULL);
	ATF_CHECK_EQ(rc, 0);
	expect_nviol(0);
	ATF_CHECK_EQ(msg.body_len, 18);
	short_eq(&msg, NULL,
	    "HAS len=24 data=000120010db8000100000000000000000001");
	encode_eq(&msg, 0, NULL, in, n);
	encode_eq(&msg, MH_KEEP_PADDING, NULL, in, n);
	/* more than 32 bytes of data are cut in the short form */
	decode_hex("3b040d00 0000 000102030405060708090a0b0c0d0e0f"
	    "101112131415161718191a1b1c1d1e1f2021", 0, NULL);
	ATF_CHECK_EQ(msg.body_len, 34);
	short_eq(&msg, NULL, "HB len=40 data=000102030405060708090a0b0c0d0e0f"
	    "101112131415161718191a1b1c1d1e1f...");
	/* built: the data is padded to 8n */
	mh_init(&built, MH_HAS);
	built.body_len = 3;
	built.body[0] = 1;
	built.body[1] = 2;
	built.body[2] = 3;
	encode_hex_eq(&built, 0, NULL, "3b010c00 0000 010203 0105 0000000000");
	/* a body_len beyond the array is bounded by it, in print and encode */
	memset(built.body, 0x11, sizeof(built.body));
	built.body_len = 60000;
	short_eq(&built, NULL, "HAS len=2048 data=1111111111111111111111111111"
	    "111111111111111111111111111111111111...");
	json_eq(&built, NULL);
	verbose_eq(&built, 0, NULL);
	ATF_CHECK_EQ(encode(&built, 0, NULL), MH_MAX_LEN);
}

/* The other options' short tokens, decoded from what the encoder built. */
ATF_TC_WITHOUT_HEAD(short_form_option_tokens);
ATF_TC_BODY(short_form_option_tokens, tc)
{
	static const char nai[] = "user@example.com";
	struct mh_opt *o;
	struct rbuf b;
	size_t n;
	int i;

	mh_init(&built, MH_BU);
	built.u.bu.seq = 1;
	built.u.bu.lifetime = 75;
	o = mh_add_opt(&built, MHOPT_MNID);
	o->u.mnid.subtype = MHOPT_MNID_NAI;
	o->var_len = sizeof(nai) - 1;
	memcpy(o->var, nai, o->var_len);
	o = mh_add_opt(&built, MHOPT_MESGID);
	o->u.mesg_id = 0x0102030405060708ull;
	o = mh_add_opt(&built, MHOPT_V4COA);
	o->u.v4coa.addr = tu_in4("192.0.2.10");
	o = mh_add_opt(&built, MHOPT_BID);
	o->u.bid.bid = 2;
	o->u.bid.status = 0;
	o->u.bid.h = true;
	o->u.bid.prio = 5;
	o->u.bid.coa_family = AF_INET;
	o->u.bid.coa4 = tu_in4("192.0.2.11");
	o = mh_add_opt(&built, MHOPT_BID);
	o->u.bid.bid = 3;
	o = mh_add_opt(&built, MHOPT_AUTH);
	o->u.auth.subtype = MHOPT_AUTH_MN_HA;
	o->u.auth.spi = 256;
	o->var_len = 12;
	for (i = 0; i < 12; i++)
		o->var[i] = (uint8_t)i;
	n = encode(&built, 0, NULL);
	ATF_CHECK_EQ(n % 8, 0);
	memcpy(in, out, n);
	rbuf_init(&b, in, n);
	viol_init(&vl);
	ATF_REQUIRE_EQ(mh_decode(&msg, &b, 0, NULL, &vl), 0);
	expect_nviol(0);
	short_eq(&msg, NULL, "BU seq=1 lifetime=300s "
	    "mnid=nai:user@example.com mesg-id=0x0102030405060708 "
	    "v4coa=192.0.2.10 bid=2,status=0,H,prio=5,coa=192.0.2.11 "
	    "bid=3,status=0,prio=0 mn-auth=mn-ha,spi=256,"
	    "000102030405060708090a0b");
	json_eq(&msg, NULL);
	verbose_eq(&msg, 0, NULL);

	/* a non-printable identifier, another subtype, reserved bits */
	decode_hex("3b030500 0000 0000 0000 0000 0805 07 61 00 5c 20 00 "
	    "2006 0001 c000020a 0102 0000", 0, NULL);
	expect_nviol(0);
	short_eq(&msg, NULL, "BU seq=0 lifetime=0s mnid=7:a\\x00\\x5c\\x20 "
	    "v4coa=192.0.2.10,res=0x0001");
}

/* Reserved bits are kept, shown, and re-encoded (RFC 6275: ignored on
 * receive, so a conformance tool must see them as sent). */
ATF_TC_WITHOUT_HEAD(reserved_bits_preserved);
ATF_TC_BODY(reserved_bits_preserved, tc)
{
	size_t n;

	n = decode_hex("3b020500 0000 0000 0000 0000 1d06 6301 cb007107 "
	    "01020000", 0, NULL);
	expect_nviol(0);
	ATF_CHECK_EQ(msg.opts[0].u.v4hoa.reserved, 0x0101);
	ATF_CHECK(msg.opts[0].u.v4hoa.p);
	ATF_CHECK_EQ(msg.opts[0].u.v4hoa.plen, 24);
	short_eq(&msg, NULL, "BU seq=0 lifetime=0s "
	    "v4hoa=203.0.113.7/24,P,res=0x0101");
	encode_eq(&msg, 0, NULL, in, n);

	n = decode_hex("3b030600 0000 0000 0000 0000 1e06 0061 cb007107 "
	    "1f06 0005 0000006e 01020000", 0, NULL);
	expect_nviol(0);
	ATF_CHECK_EQ(msg.opts[0].u.v4ack.reserved, 1);
	ATF_CHECK_EQ(msg.opts[0].u.v4ack.plen, 24);
	ATF_CHECK(!msg.opts[1].u.natd.f);
	ATF_CHECK_EQ(msg.opts[1].u.natd.reserved, 5);
	short_eq(&msg, NULL, "BA status=0 seq=0 lifetime=0s "
	    "v4ack=0,203.0.113.7/24,res=0x1 natd=110s,res=0x0005");
	encode_eq(&msg, 0, NULL, in, n);

	n = decode_hex("3b030500 0000 0000 0000 0000 0612 7f30 "
	    "20010db8010000000000000000000000", 0, NULL);
	expect_nviol(0);
	ATF_CHECK_EQ(msg.opts[0].u.mnp.reserved, 0x7f);
	short_eq(&msg, NULL, "BU seq=0 lifetime=0s "
	    "mnp=2001:db8:100::/48,res=0x7f");
	encode_eq(&msg, 0, NULL, in, n);

	/* the header's and the messages' own Reserved fields */
	n = decode_hex("3b00007f 0000 abcd", 0, NULL);
	expect_nviol(0);
	ATF_CHECK_EQ(msg.reserved, 0x7f);
	ATF_CHECK_EQ(msg.u.brr.reserved, 0xabcd);
	encode_eq(&msg, 0, NULL, in, n);
	json_eq(&msg, "{\"type\":0,\"name\":\"Binding Refresh Request\","
	    "\"abbrev\":\"BRR\",\"payload_proto\":59,\"hdr_len\":0,"
	    "\"reserved\":127,\"checksum\":0,"
	    "\"msg_reserved\":43981,\"options\":[],"
	    "\"options_truncated\":false}");
	n = decode_hex("3b010100 0000 0102 0102030405060708", 0, NULL);
	ATF_CHECK_EQ(msg.u.init.reserved, 0x0102);
	encode_eq(&msg, 0, NULL, in, n);
	n = decode_hex("3b020700 0000 02 ee 20010db8000100000000000000000100",
	    0, NULL);
	ATF_CHECK_EQ(msg.u.be.status, BE_UNKNOWN_MH_TYPE);
	ATF_CHECK_EQ(msg.u.be.reserved, 0xee);
	encode_eq(&msg, 0, NULL, in, n);
}

/* Every flag letter, and the bits no RFC defines as res=. */
ATF_TC_WITHOUT_HEAD(short_form_flags);
ATF_TC_BODY(short_form_flags, tc)
{
	decode_hex("3b010500 0000 0001 ffff 0001 01020000", 0, NULL);
	expect_nviol(0);
	short_eq(&msg, NULL,
	    "BU seq=1 A H L K M R P F T B S D res=0x000f lifetime=4s");
	decode_hex("3b010600 0000 8aff 0002 0000 01020000", 0, NULL);
	expect_nviol(0);
	short_eq(&msg, NULL,
	    "BA status=138 K R P T B S D res=0x01 seq=2 lifetime=0s");
	verbose_eq(&msg, 0,
	    "Mobility Header: Binding Acknowledgement (BA, type 6)\n"
	    "  Payload Proto: 59\n"
	    "  Header Len: 1 (16 bytes)\n"
	    "  Reserved: 0\n"
	    "  Checksum: 0x0000\n"
	    "  Status: 138 (Expired nonces)\n"
	    "  Flags: 0xff K R P T B S D res=0x01\n"
	    "  Sequence: 2\n"
	    "  Lifetime: 0 (0 s)\n"
	    "  Option PadN (1) at offset 12, Length 2: 0000\n");
	/* the reserved bits survive the round trip */
	encode_eq(&msg, 0, NULL, in, 16);
}

ATF_TC_WITHOUT_HEAD(status_names);
ATF_TC_BODY(status_names, tc)
{
	ATF_CHECK_STREQ(mh_ba_status_name(BA_ACCEPTED),
	    "Binding Update accepted");
	ATF_CHECK_STREQ(mh_ba_status_name(BA_ACCEPTED_PREFIX_DISCOVERY),
	    "Accepted but prefix discovery necessary");
	ATF_CHECK_STREQ(mh_ba_status_name(BA_SEQ_OUT_OF_WINDOW),
	    "Sequence number out of window");
	ATF_CHECK_STREQ(mh_ba_status_name(BA_FORWARDING_SETUP_FAILED),
	    "Forwarding Setup failed");
	ATF_CHECK_STREQ(mh_ba_status_name(BA_AUTH_FAILED), "MIPV6-AUTH-FAIL");
	ATF_CHECK_STREQ(mh_ba_status_name(160),
	    "MISSING_MN_IDENTIFIER_OPTION");
	ATF_CHECK_STREQ(mh_ba_status_name(BA_INVALID_COA),
	    "Invalid Care-of Address");
	ATF_CHECK_STREQ(mh_ba_status_name(180),
	    "CANNOT_SUPPORT_MULTIPATH_BINDING");
	ATF_CHECK_STREQ(mh_ba_status_name(100), "Accepted (unassigned)");
	ATF_CHECK_STREQ(mh_ba_status_name(200), "Rejected (unassigned)");
	ATF_CHECK_STREQ(mh_be_status_name(BE_UNKNOWN_MH_TYPE),
	    "Unrecognized MH Type value");
	ATF_CHECK_STREQ(mh_be_status_name(9), "Unassigned");
}

/* ------------------------------------------------------ encoder */

struct opt_case {
	uint8_t		type;
	uint8_t		mh_type;	/* a message allowed to carry it */
	unsigned	x, y;		/* its alignment */
	int		variant;
};

static void
fill_opt(struct mh_opt *o, const struct opt_case *c)
{
	size_t i;

	switch (c->type) {
	case MHOPT_BRA:
		o->u.bra_interval = 9;
		break;
	case MHOPT_ACOA:
		o->u.acoa = tu_in6(ACOA);
		break;
	case MHOPT_NI:
		o->u.ni.home = 1;
		o->u.ni.careof = 2;
		break;
	case MHOPT_BAD:
	case MHOPT_AUTH:
	case MHOPT_MNID:
		o->var_len = (uint8_t)(c->type == MHOPT_MNID ? 5 : 12);
		for (i = 0; i < o->var_len; i++)
			o->var[i] = (uint8_t)('a' + i);
		o->u.auth.subtype = 1;
		break;
	case MHOPT_MNP:
		o->u.mnp.plen = 64;
		o->u.mnp.prefix = tu_in6("2001:db8:5::");
		break;
	case MHOPT_MESGID:
		o->u.mesg_id = 42;
		break;
	case MHOPT_V4HOA:
		o->u.v4hoa.plen = 32;
		o->u.v4hoa.addr = tu_in4("203.0.113.9");
		break;
	case MHOPT_V4ACK:
		o->u.v4ack.plen = 24;
		break;
	case MHOPT_NATD:
		o->u.natd.refresh = 0xffffffff;
		break;
	case MHOPT_V4COA:
		o->u.v4coa.addr = tu_in4("192.0.2.1");
		break;
	case MHOPT_BID:
		o->u.bid.bid = 7;
		o->u.bid.coa_family = (uint8_t)(c->variant == 1 ? AF_INET :
		    c->variant == 2 ? AF_INET6 : 0);
		o->u.bid.coa4 = tu_in4("192.0.2.1");
		o->u.bid.coa6 = tu_in6(COA);
		break;
	}
}

/*
 * Every option, after a leading unknown option of 2..9 bytes (so that it
 * starts at every residue modulo 8) or right after the fixed part: the
 * encoder pads it to x*n+y, ends the MH on 8n, and the result decodes
 * without a single violation and re-encodes identically.
 */
ATF_TC_WITHOUT_HEAD(encoder_aligns_every_option_at_every_offset);
ATF_TC_BODY(encoder_aligns_every_option_at_every_offset, tc)
{
	static const struct opt_case cases[] = {
		{ MHOPT_BRA, MH_BA, 2, 0, 0 }, { MHOPT_ACOA, MH_BU, 8, 6, 0 },
		{ MHOPT_NI, MH_BU, 2, 0, 0 }, { MHOPT_BAD, MH_BU, 8, 2, 0 },
		{ MHOPT_MNP, MH_BU, 8, 4, 0 }, { MHOPT_MNID, MH_BA, 1, 0, 0 },
		{ MHOPT_AUTH, MH_BU, 4, 1, 0 },
		{ MHOPT_MESGID, MH_BA, 8, 2, 0 },
		{ MHOPT_V4HOA, MH_BU, 4, 0, 0 },
		{ MHOPT_V4ACK, MH_BA, 4, 0, 0 },
		{ MHOPT_NATD, MH_BA, 4, 0, 0 },
		{ MHOPT_V4COA, MH_BU, 4, 0, 0 },
		{ MHOPT_BID, MH_BU, 8, 2, 0 }, { MHOPT_BID, MH_BA, 8, 2, 1 },
		{ MHOPT_BID, MH_BU, 8, 2, 2 },
	};
	uint8_t first[4096];
	size_t c, n, i;
	int lead;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
		for (lead = -1; lead < 8; lead++) {
			const struct mh_opt *got;
			struct mh_opt *o;
			struct rbuf b;

			mh_init(&built, cases[c].mh_type);
			if (lead >= 0) {
				o = mh_add_opt(&built, 200);
				o->var_len = (uint8_t)lead;
			}
			fill_opt(mh_add_opt(&built, cases[c].type), &cases[c]);
			n = encode(&built, 0, NULL);
			ATF_CHECK_EQ_MSG(n % 8, 0, "option %u lead %d: %zu bytes",
			    cases[c].type, lead, n);
			memcpy(first, out, n);
			rbuf_init(&b, first, n);
			viol_init(&vl);
			ATF_REQUIRE_EQ(mh_decode(&msg, &b, 0, NULL, &vl), 0);
			ATF_CHECK_MSG(vl.n == 0, "option %u lead %d: %s",
			    cases[c].type, lead, vl.n ?
			    viol_name((enum viol_code)vl.v[0].code) : "");
			ATF_CHECK_EQ(msg.len, n);
			got = mh_find_opt(&msg, cases[c].type);
			ATF_REQUIRE(got != NULL);
			ATF_CHECK_MSG(got->off % cases[c].x == cases[c].y,
			    "option %u at %u, not %un+%u", cases[c].type,
			    got->off, cases[c].x, cases[c].y);
			/* the padding is the least that works */
			i = lead >= 0 ? 14u + (unsigned)lead : 12u;
			ATF_CHECK(got->off - i < cases[c].x);
			encode_eq(&msg, 0, NULL, first, n);
			encode_eq(&msg, MH_KEEP_PADDING | MH_KEEP_CKSUM, NULL,
			    first, n);
		}
}

/* Each KEEP bit produces exactly the malformed bytes asked for. */
ATF_TC_WITHOUT_HEAD(encoder_keep_overrides);
ATF_TC_BODY(encoder_keep_overrides, tc)
{
	struct in6_addr s = tu_in6(HOA), d = tu_in6(HA);
	struct mh_addrs a = { &s, &d };
	struct mh_opt *o;

	/* #1 with a claimed Header Len of 5 and a fixed checksum */
	mh_init(&built, MH_BU);
	built.u.bu.seq = 4660;
	built.u.bu.flags = MH_BU_A | MH_BU_H | MH_BU_K;
	built.u.bu.lifetime = 100;
	o = mh_add_opt(&built, MHOPT_ACOA);
	o->u.acoa = tu_in6(ACOA);
	built.hdr_len = 5;
	built.checksum = 0xbeef;
	encode_hex_eq(&built, MH_KEEP_HDRLEN | MH_KEEP_CKSUM, &a,
	    "3b050500 beef 1234 d000 0064 0100 0310 "
	    "20010db8000200000000000000000200");
	/* no checksum at all (what the BAD authenticator is computed over) */
	encode_hex_eq(&built, MH_NO_CKSUM, &a, "3b030500 0000 1234 d000 0064 "
	    "0100 0310 20010db8000200000000000000000200");
	/* Header Len computed, checksum kept */
	encode_hex_eq(&built, MH_KEEP_CKSUM, &a, "3b030500 beef 1234 d000 "
	    "0064 0100 0310 20010db8000200000000000000000200");
	/* no auto padding: Alt-CoA misaligned at 12, 30 bytes, no final pad */
	encode_hex_eq(&built, MH_KEEP_PADDING | MH_NO_CKSUM, &a,
	    "3b030500 0000 1234 d000 0064 0310 "
	    "20010db8000200000000000000000200");

	/* a Nonce Indices option claiming Length 16, and Payload Proto 6 */
	mh_init(&built, MH_BU);
	built.payload_proto = 6;
	o = mh_add_opt(&built, MHOPT_NI);
	o->u.ni.home = 7;
	o->u.ni.careof = 9;
	o->keep_len = true;
	o->len = 16;
	encode_hex_eq(&built, 0, NULL, "06020500 0000 0000 0000 0000 "
	    "0410 0007 0009 0104 00000000");
	/* explicit pads, emitted as given: Pad1 Pad1 PadN(3, non-zero) */
	mh_init(&built, MH_BU);
	o = mh_add_opt(&built, MHOPT_PAD1);
	o = mh_add_opt(&built, MHOPT_PAD1);
	o = mh_add_opt(&built, MHOPT_PADN);
	o->var_len = 2;
	o->var[0] = 0xee;
	encode_hex_eq(&built, MH_KEEP_PADDING, NULL,
	    "3b020500 0000 0000 0000 0000 00 00 0102ee00");
	/* and dropped in the automatic mode */
	encode_hex_eq(&built, 0, NULL, "3b010500 0000 0000 0000 0000 "
	    "01020000");
}

ATF_TC_WITHOUT_HEAD(encoder_refuses_overflow);
ATF_TC_BODY(encoder_refuses_overflow, tc)
{
	uint8_t small[20];
	struct wbuf w;

	mh_init(&built, MH_BU);
	mh_add_opt(&built, MHOPT_ACOA);
	wbuf_init(&w, small, sizeof(small));
	ATF_CHECK_EQ(mh_encode(&built, &w, 0, NULL), -1);
	ATF_CHECK(w.err);
	/* a message longer than Header Len can express */
	mh_init(&built, MH_FBU);
	built.body_len = MH_BODY_MAX;
	wbuf_init(&w, out, sizeof(out));
	ATF_CHECK_EQ(mh_encode(&built, &w, 0, NULL), 0);
	ATF_CHECK_EQ(w.len, MH_MAX_LEN);
	ATF_CHECK_EQ(out[1], 255);
}

/*
 * A Binding Identifier whose Length is none of 4, 8 or 20 (RFC 5648 §6.1)
 * is reported, and its bytes after the fixed part are kept so that the
 * message re-encodes exactly (found by fuzz_pkt; seed regress_mh_bid_length6).
 */
ATF_TC_WITHOUT_HEAD(bid_bad_length_kept_and_reencoded);
ATF_TC_BODY(bid_bad_length_kept_and_reencoded, tc)
{
	const char *hex = "3b030500 0000 0005 d000 0064"
	    "0104 00000000"		/* PadN: BI at offset 18 = 8n+2 */
	    "2306 0001 00 00 aabb"	/* BI, Length 6: two stray bytes */
	    "0104 00000000";		/* PadN to 32 octets */
	size_t n = decode_hex(hex, 0, NULL);
	const struct mh_opt *bi;
	struct wbuf w;

	ATF_REQUIRE_EQ(rc, 0);
	ATF_CHECK(viol_has(&vl, V_MH_OPT_VALUE));
	bi = mh_find_opt(&msg, MHOPT_BID);
	ATF_REQUIRE(bi != NULL);
	ATF_CHECK_EQ(bi->u.bid.bid, 1);
	ATF_CHECK_EQ(bi->u.bid.coa_family, 0);
	ATF_CHECK_EQ(bi->var_len, 2);
	wbuf_init(&w, out, sizeof(out));
	ATF_REQUIRE_EQ(mh_encode(&msg, &w, MH_KEEP_PADDING | MH_KEEP_HDRLEN |
	    MH_KEEP_CKSUM, NULL), 0);
	tu_bytes_eq("re-encoded", out, w.len, in, n);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, golden_bu_home_registration);
	ATF_TP_ADD_TC(tp, bid_bad_length_kept_and_reencoded);
	ATF_TP_ADD_TC(tp, checksum_violation_message);
	ATF_TP_ADD_TC(tp, golden_ba_refresh_advice);
	ATF_TP_ADD_TC(tp, golden_hoti_coti);
	ATF_TP_ADD_TC(tp, golden_hot_cot);
	ATF_TP_ADD_TC(tp, golden_nemo_bu);
	ATF_TP_ADD_TC(tp, golden_be);
	ATF_TP_ADD_TC(tp, golden_brr);
	ATF_TP_ADD_TC(tp, golden_ro_bu_nonce_indices_bad);
	ATF_TP_ADD_TC(tp, golden_dsmip_bu_v4hoa);
	ATF_TP_ADD_TC(tp, golden_dsmip_ba_v4ack_natd);
	ATF_TP_ADD_TC(tp, golden_dsmip_bu_v4coa);
	ATF_TP_ADD_TC(tp, golden_mcoa_bu_bid);
	ATF_TP_ADD_TC(tp, build_reproduces_golden_bytes);
	ATF_TP_ADD_TC(tp, init_add_find);
	ATF_TP_ADD_TC(tp, viol_payload_proto);
	ATF_TP_ADD_TC(tp, viol_hdrlen_past_end);
	ATF_TP_ADD_TC(tp, viol_truncated_before_header_len);
	ATF_TP_ADD_TC(tp, viol_hdrlen_short);
	ATF_TP_ADD_TC(tp, viol_unknown_type_is_opaque);
	ATF_TP_ADD_TC(tp, viol_opt_past_end);
	ATF_TP_ADD_TC(tp, viol_opt_length);
	ATF_TP_ADD_TC(tp, viol_opt_misaligned);
	ATF_TP_ADD_TC(tp, viol_opt_not_allowed);
	ATF_TP_ADD_TC(tp, viol_bad_not_last);
	ATF_TP_ADD_TC(tp, viol_opt_duplicate);
	ATF_TP_ADD_TC(tp, viol_pad_nonzero);
	ATF_TP_ADD_TC(tp, viol_pad_excess);
	ATF_TP_ADD_TC(tp, viol_opt_value);
	ATF_TP_ADD_TC(tp, viol_too_many_options);
	ATF_TP_ADD_TC(tp, unknown_option_kept);
	ATF_TP_ADD_TC(tp, opaque_types_named);
	ATF_TP_ADD_TC(tp, short_form_option_tokens);
	ATF_TP_ADD_TC(tp, reserved_bits_preserved);
	ATF_TP_ADD_TC(tp, short_form_flags);
	ATF_TP_ADD_TC(tp, status_names);
	ATF_TP_ADD_TC(tp, encoder_aligns_every_option_at_every_offset);
	ATF_TP_ADD_TC(tp, encoder_keep_overrides);
	ATF_TP_ADD_TC(tp, encoder_refuses_overflow);
	return atf_no_error();
}
