/*
 * base_test.c - the foundations of packets/: the bounded cursors, text and
 * JSON output, RFC 5952 address formatting, the Internet checksum and the
 * violation table.
 */
#include <arpa/inet.h>
#include <atf-c.h>
#include <stdlib.h>
#include <string.h>

#include "packets/buf.h"
#include "packets/cksum.h"
#include "packets/sbuf.h"
#include "packets/viol.h"
#include "testutil.h"

ATF_TC_WITHOUT_HEAD(rbuf_reads_big_endian_and_stops_at_end);
ATF_TC_BODY(rbuf_reads_big_endian_and_stops_at_end, tc)
{
	const uint8_t data[] = { 0x12, 0x34, 0x56, 0x78, 0x9a };
	struct rbuf b;

	rbuf_init(&b, data, sizeof(data));
	ATF_CHECK_EQ(rbuf_u16(&b), 0x1234);
	ATF_CHECK_EQ(rbuf_left(&b), 3);
	ATF_CHECK(!b.err);
	/* four bytes wanted, three left: zero and a sticky error */
	ATF_CHECK_EQ(rbuf_u32(&b), 0);
	ATF_CHECK(b.err);
	ATF_CHECK_EQ(rbuf_left(&b), 0);
	ATF_CHECK_EQ(rbuf_u8(&b), 0);
	ATF_CHECK(b.err);
}

ATF_TC_WITHOUT_HEAD(rbuf_sub_bounds_the_inner_cursor);
ATF_TC_BODY(rbuf_sub_bounds_the_inner_cursor, tc)
{
	const uint8_t data[] = { 1, 2, 3, 4, 5, 6 };
	struct rbuf b, s;

	rbuf_init(&b, data, sizeof(data));
	rbuf_skip(&b, 1);
	s = rbuf_sub(&b, 2);
	ATF_CHECK_EQ(rbuf_u16(&s), 0x0203);
	ATF_CHECK_EQ(rbuf_u8(&s), 0);
	ATF_CHECK(s.err);
	ATF_CHECK(!b.err);
	ATF_CHECK_EQ(rbuf_u8(&b), 4);
	/* a sub-cursor longer than what is left is an error for both */
	s = rbuf_sub(&b, 10);
	ATF_CHECK(s.err);
	ATF_CHECK(b.err);
	ATF_CHECK_EQ(rbuf_left(&s), 2);
}

ATF_TC_WITHOUT_HEAD(wbuf_writes_and_refuses_overflow);
ATF_TC_BODY(wbuf_writes_and_refuses_overflow, tc)
{
	uint8_t out[7];
	const uint8_t want[] = { 0xab, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef };
	struct wbuf w;

	wbuf_init(&w, out, sizeof(out));
	wbuf_u8(&w, 0xab);
	wbuf_u16(&w, 0);
	wbuf_u32(&w, 0xdeadbeef);
	wbuf_set_u16(&w, 1, 0x1234);
	ATF_CHECK(!w.err);
	tu_bytes_eq("wbuf", out, w.len, want, sizeof(want));
	wbuf_u8(&w, 1);
	ATF_CHECK(w.err);
	ATF_CHECK_EQ(w.len, 7);
	wbuf_set_u16(&w, 6, 1);		/* past what was written */
	ATF_CHECK(w.err);
}

ATF_TC_WITHOUT_HEAD(sbuf_truncates_and_flags);
ATF_TC_BODY(sbuf_truncates_and_flags, tc)
{
	char buf[8];
	struct sbuf sb;

	sbuf_init(&sb, buf, sizeof(buf));
	sbuf_puts(&sb, "abc");
	sbuf_uint(&sb, 1234);
	ATF_CHECK_STREQ(sbuf_str(&sb), "abc1234");
	ATF_CHECK(!sb.trunc);
	sbuf_printf(&sb, "%s", "xyz");
	ATF_CHECK(sb.trunc);
	ATF_CHECK_STREQ(sbuf_str(&sb), "abc1234");
	sbuf_reset(&sb);
	sbuf_int(&sb, -42);
	ATF_CHECK_STREQ(sbuf_str(&sb), "-42");
}

/* in6_fmt must agree with inet_ntop on RFC 5952 corner cases and noise. */
ATF_TC_WITHOUT_HEAD(in6_fmt_matches_inet_ntop);
ATF_TC_BODY(in6_fmt_matches_inet_ntop, tc)
{
	static const char *fixed[] = {
		"::", "::1", "2001:db8::1", "2001:db8:0:1:1:1:1:1",
		"2001:db8::1:0:0:1", "2001:0:0:1::1", "fe80::200:ff:fe00:a0a0",
		"1::", "::ffff:192.0.2.1", "2001:db8:1::100",
		"3ffe:501:ffff:100:fdff:ffff:ffff:fffe", "1:0:0:2::3",
	};
	static const uint8_t zero12[12];
	char mine[IN6_STRLEN], ref[INET6_ADDRSTRLEN];
	struct in6_addr a;
	size_t i;
	int j;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		a = tu_in6(fixed[i]);
		inet_ntop(AF_INET6, &a, ref, sizeof(ref));
		ATF_CHECK_STREQ(in6_fmt(&a, mine), ref);
	}
	srandom(6275);
	for (i = 0; i < 20000; i++) {
		for (j = 0; j < 16; j++) {
			/* mostly zero groups, so runs of zeros are common */
			long r = random();
			a.s6_addr[j] = (r & 3) == 0 ? (uint8_t)(r >> 8) : 0;
		}
		/*
		 * glibc prints ::/96 in the deprecated IPv4-compatible form
		 * (::161.0.0.0); RFC 5952 §5 keeps the dotted tail only for
		 * IPv4-mapped addresses, so those are checked apart below.
		 */
		if (memcmp(a.s6_addr, zero12, sizeof(zero12)) == 0)
			continue;
		inet_ntop(AF_INET6, &a, ref, sizeof(ref));
		ATF_REQUIRE_STREQ(in6_fmt(&a, mine), ref);
	}
	a = tu_in6("::a100:0");
	ATF_CHECK_STREQ(in6_fmt(&a, mine), "::a100:0");
}

/* UTF-8 (the "§" of RFC clauses) passes; packet bytes that are not UTF-8
 * and control characters are escaped, so the output is always valid JSON. */
ATF_TC_WITHOUT_HEAD(json_str_utf8_and_escapes);
ATF_TC_BODY(json_str_utf8_and_escapes, tc)
{
	static const struct {
		const char	*in;
		size_t		 len;
		const char	*out;
	} cases[] = {
		{ "RFC 6275 \xc2\xa7" "6.1.1", 16,
		    "\"RFC 6275 \xc2\xa7" "6.1.1\"" },
		{ "a\x80" "b", 3, "\"a\\u0080b\"" },		/* lone continuation */
		{ "\xc2", 1, "\"\\u00c2\"" },		/* cut sequence */
		{ "\xe0\x80\x80", 3, "\"\\u00e0\\u0080\\u0080\"" }, /* overlong */
		{ "\xed\xa0\x80", 3, "\"\\u00ed\\u00a0\\u0080\"" }, /* surrogate */
		{ "\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"" },
		{ "q\"\\\x01\x7f", 5, "\"q\\\"\\\\\\u0001\\u007f\"" },
		{ "", 0, "\"\"" },
	};
	char buf[128];
	struct sbuf sb;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sbuf_init(&sb, buf, sizeof(buf));
		sbuf_json_str(&sb, cases[i].in, cases[i].len);
		ATF_CHECK_STREQ_MSG(sbuf_str(&sb), cases[i].out, "case %zu", i);
	}
}

/*
 * sbuf_in6 keeps recent texts in a small cache: whatever the order, the
 * collisions and the replacements, it must print what in6_fmt prints.
 */
ATF_TC_WITHOUT_HEAD(sbuf_in6_cache_never_stale);
ATF_TC_BODY(sbuf_in6_cache_never_stale, tc)
{
	char buf[64], ref[IN6_STRLEN];
	struct in6_addr pool[300];
	struct sbuf sb;
	size_t i, j;

	srandom(3775);
	for (i = 0; i < 300; i++) {
		pool[i] = tu_in6("2001:db8::");
		for (j = 8; j < 16; j++)
			pool[i].s6_addr[j] = (uint8_t)random();
		if (i % 3 == 0)		/* near neighbours hash alike */
			pool[i].s6_addr[15] = (uint8_t)i;
	}
	for (i = 0; i < 20000; i++) {
		const struct in6_addr *a = &pool[(size_t)random() % 300];

		sbuf_init(&sb, buf, sizeof(buf));
		sbuf_in6(&sb, a);
		ATF_REQUIRE_STREQ(sbuf_str(&sb), in6_fmt(a, ref));
	}
	/* into a buffer too small, the text is cut and flagged */
	sbuf_init(&sb, buf, 8);
	sbuf_in6(&sb, &pool[0]);
	ATF_CHECK(sb.trunc);
	ATF_CHECK_EQ(sb.len, 7);
}

ATF_TC_WITHOUT_HEAD(json_writer_nests_and_escapes);
ATF_TC_BODY(json_writer_nests_and_escapes, tc)
{
	char buf[256];
	struct sbuf sb;
	struct jw jw;
	struct in6_addr a = tu_in6("2001:db8::1");
	const uint8_t hx[] = { 0xa0, 0x01 };

	sbuf_init(&sb, buf, sizeof(buf));
	jw_init(&jw, &sb);
	jw_obj_open(&jw, NULL);
	jw_str(&jw, "s", "a\"b\\c\n");
	jw_uint(&jw, "n", 4660);
	jw_arr_open(&jw, "l");
	jw_int(&jw, NULL, -1);
	jw_bool(&jw, NULL, true);
	jw_obj_open(&jw, NULL);
	jw_null(&jw, "z");
	jw_obj_close(&jw);
	jw_arr_close(&jw);
	jw_in6(&jw, "a", &a);
	jw_hex(&jw, "h", hx, sizeof(hx));
	jw_obj_close(&jw);
	ATF_CHECK_STREQ(sbuf_str(&sb), "{\"s\":\"a\\\"b\\\\c\\u000a\","
	    "\"n\":4660,\"l\":[-1,true,{\"z\":null}],"
	    "\"a\":\"2001:db8::1\",\"h\":\"a001\"}");
}

/* RFC 1071 §3 example: the sum of 00 01 f2 03 f4 f5 f6 f7 is ddf2. */
ATF_TC_WITHOUT_HEAD(cksum_rfc1071_example);
ATF_TC_BODY(cksum_rfc1071_example, tc)
{
	const uint8_t d[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	ATF_CHECK_EQ(cksum_finish(cksum_add(0, d, sizeof(d))),
	    (uint16_t)~0xddf2);
	/* odd length: the last byte is padded with zero */
	ATF_CHECK_EQ(cksum_finish(cksum_add(0, d, 3)),
	    (uint16_t)~(0x0001 + 0xf200));
}

/*
 * The RR-protected BU of wire-formats.md §6: checksum 0x3d80 with the home
 * address as the pseudo-header source and the CN as destination.
 */
ATF_TC_WITHOUT_HEAD(cksum_mh_pseudo_header_vector);
ATF_TC_BODY(cksum_mh_pseudo_header_vector, tc)
{
	uint8_t mh[64];
	size_t n = tu_hex("3b030500 3d80 0005 0000 000a 0404 0007 0009 050c"
	    "425b05cc4fae2717be2d9f10", mh, sizeof(mh));
	struct in6_addr hoa = tu_in6("2001:db8:1::100");
	struct in6_addr coa = tu_in6("2001:db8:2::100");
	struct in6_addr cn = tu_in6("2001:db8:3::5");

	ATF_CHECK_EQ(cksum_upper6(&hoa, &cn, 135, mh, n, 4), 0x3d80);
	/* with the care-of address instead, the result must differ */
	ATF_CHECK(cksum_upper6(&coa, &cn, 135, mh, n, 4) != 0x3d80);
}

ATF_TC_WITHOUT_HEAD(viol_formats_and_caps);
ATF_TC_BODY(viol_formats_and_caps, tc)
{
	struct viol_list vl;
	char buf[256];
	struct sbuf sb;
	size_t i;

	viol_init(&vl);
	viol_add(&vl, V_MH_HDRLEN_PAST_END, 54, 5, 48, 24, NULL);
	viol_add(&vl, V_MH_CHECKSUM, 58, 0x3d81, 0x3d80, 0, NULL);
	sbuf_init(&sb, buf, sizeof(buf));
	viol_format(&sb, &vl.v[0]);
	ATF_CHECK_STREQ(sbuf_str(&sb),
	    "MH Header Len 5 (48 bytes) but 24 bytes captured");
	sbuf_reset(&sb);
	viol_format(&sb, &vl.v[1]);
	ATF_CHECK_STREQ(sbuf_str(&sb), "MH checksum 0x3d81, expected 0x3d80");
	ATF_CHECK_STREQ(viol_name(V_MH_CHECKSUM), "mh-checksum");
	ATF_CHECK_STREQ(viol_clause(V_MH_CHECKSUM), "RFC 6275 §6.1.1");
	ATF_CHECK(viol_has(&vl, V_MH_CHECKSUM));
	ATF_CHECK(!viol_has(&vl, V_MH_BAD_NOT_LAST));
	for (i = 0; i < VIOL_MAX + 3; i++)
		viol_add(&vl, V_TRUNCATED, 0, 1, 2, 0, "x");
	ATF_CHECK_EQ(vl.n, VIOL_MAX);
	ATF_CHECK_EQ(vl.dropped, 5);
	ATF_CHECK_EQ(viol_count_severity(&vl, VS_ERROR), VIOL_MAX);
}

/* Every code has a name, a severity and a format: the table is complete. */
ATF_TC_WITHOUT_HEAD(viol_table_complete);
ATF_TC_BODY(viol_table_complete, tc)
{
	int c;

	for (c = 1; c < V_COUNT; c++)
		ATF_CHECK_MSG(strcmp(viol_name((enum viol_code)c), "none") != 0,
		    "violation code %d has no table row", c);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, rbuf_reads_big_endian_and_stops_at_end);
	ATF_TP_ADD_TC(tp, rbuf_sub_bounds_the_inner_cursor);
	ATF_TP_ADD_TC(tp, wbuf_writes_and_refuses_overflow);
	ATF_TP_ADD_TC(tp, sbuf_truncates_and_flags);
	ATF_TP_ADD_TC(tp, in6_fmt_matches_inet_ntop);
	ATF_TP_ADD_TC(tp, json_writer_nests_and_escapes);
	ATF_TP_ADD_TC(tp, json_str_utf8_and_escapes);
	ATF_TP_ADD_TC(tp, sbuf_in6_cache_never_stale);
	ATF_TP_ADD_TC(tp, cksum_rfc1071_example);
	ATF_TP_ADD_TC(tp, cksum_mh_pseudo_header_vector);
	ATF_TP_ADD_TC(tp, viol_formats_and_caps);
	ATF_TP_ADD_TC(tp, viol_table_complete);
	return atf_no_error();
}
