/*
 * icmp6_test.c - ICMPv6 as Mobile IPv6 uses it: golden messages (scapy 2.5
 * built them and verified their checksums) decoded through icmp6_decode()
 * field by field, re-encoded to the same bytes, printed in the short form;
 * messages built from scratch equal the goldens; the keep bits; a negative
 * test for every ICMPv6 and ND violation (exact code and offset).
 */
#include <atf-c.h>
#include <string.h>

#include "packets/buf.h"
#include "packets/icmp6.h"
#include "pkt_testlib.h"

static struct icmp6_msg m;
static struct viol_list vl;
static uint8_t msg[4096];
static size_t msg_len;

#define BASE	40	/* as if after an IPv6 header: offsets include it */

/* Decode a message; src/dst NULL skip the checksum. */
static int
dec(const char *hex, const char *src, const char *dst, int hlim)
{
	struct in6_addr s, d;
	struct rbuf b;

	msg_len = tu_hex(hex, msg, sizeof(msg));
	if (src != NULL) {
		s = tu_in6(src);
		d = tu_in6(dst);
	}
	rbuf_init(&b, msg, msg_len);
	viol_init(&vl);
	return icmp6_decode(&m, &b, BASE, src != NULL ? &s : NULL,
	    src != NULL ? &d : NULL, hlim, &vl);
}

/* Encode m (checksum over src/dst) and compare with the decoded bytes. */
static void
enc_eq(const struct icmp6_msg *mm, unsigned keep, const char *src,
    const char *dst, const uint8_t *want, size_t n)
{
	struct in6_addr s = tu_in6(src), d = tu_in6(dst);
	uint8_t out[4096];
	struct wbuf w;

	wbuf_init(&w, out, sizeof(out));
	ATF_REQUIRE_EQ(icmp6_encode(mm, &w, keep, &s, &d), 0);
	tu_bytes_eq("icmp6_encode", out, w.len, want, n);
}

static void
short_eq(const struct icmp6_msg *mm, const char *want)
{
	char text[1024];
	struct sbuf sb;

	sbuf_init(&sb, text, sizeof(text));
	icmp6_print_short(&sb, mm);
	ATF_CHECK_STREQ(sbuf_str(&sb), want);
}

/* The Mobile IPv6 Home-Agents anycast address (RFC 2526). */
#define ANYCAST	"2001:db8:1:0:fdff:ffff:ffff:fffe"

/* RFC 6275 §6.5, RFC 3963 §7.1: DHAAD Request with the NEMO R bit. */
#define DHAAD_REQ							\
	"90" "00" "9541"	/* Type 144, Code 0, Checksum */	\
	"0007"			/* Identifier */			\
	"8000"			/* R (mobile router support), Reserved */

ATF_TC_WITHOUT_HEAD(dhaad_request_r);
ATF_TC_BODY(dhaad_request_r, tc)
{
	struct icmp6_msg b;

	ATF_REQUIRE_EQ(dec(DHAAD_REQ, "2001:db8:2::100", ANYCAST, 64), 0);
	th_no_vl(&vl);
	ATF_CHECK_EQ(m.type, ICMP6_T_DHAAD_REQUEST);
	ATF_CHECK_EQ(m.code, 0);
	ATF_CHECK_EQ(m.checksum, 0x9541);
	ATF_CHECK_EQ(m.len, 8);
	ATF_CHECK_EQ(m.u.dhaad.id, 7);
	ATF_CHECK_EQ(m.u.dhaad.flags, ICMP6_DHAAD_R);
	ATF_CHECK_EQ(m.body_len, 0);
	enc_eq(&m, 0, "2001:db8:2::100", ANYCAST, msg, msg_len);
	short_eq(&m, "DHAAD-Request id=7 R");
	/* built from scratch */
	icmp6_init(&b, ICMP6_T_DHAAD_REQUEST, 0);
	b.u.dhaad.id = 7;
	b.u.dhaad.flags = ICMP6_DHAAD_R;
	enc_eq(&b, 0, "2001:db8:2::100", ANYCAST, msg, msg_len);
}

/* RFC 6275 §6.6: the Reply lists home agent addresses. */
#define DHAAD_REP							\
	"91" "00" "36a8" "0007" "8000"	/* Type 145, id 7, R */		\
	A_HA				/* Home Agent Addresses */	\
	"20010db8000100000000000000000002"

ATF_TC_WITHOUT_HEAD(dhaad_reply_r);
ATF_TC_BODY(dhaad_reply_r, tc)
{
	char text[1024];
	struct sbuf sb;
	struct jw jw;

	ATF_REQUIRE_EQ(dec(DHAAD_REP, "2001:db8:1::1", "2001:db8:2::100", 64),
	    0);
	th_no_vl(&vl);
	ATF_CHECK_EQ(m.u.dhaad.id, 7);
	ATF_CHECK_EQ(m.u.dhaad.flags, ICMP6_DHAAD_R);
	ATF_REQUIRE_EQ(m.u.dhaad.naddrs, 2);
	th_in6_eq(&m.u.dhaad.addrs[0], "2001:db8:1::1");
	th_in6_eq(&m.u.dhaad.addrs[1], "2001:db8:1::2");
	enc_eq(&m, 0, "2001:db8:1::1", "2001:db8:2::100", msg, msg_len);
	short_eq(&m, "DHAAD-Reply id=7 R ha=2001:db8:1::1,2001:db8:1::2");
	sbuf_init(&sb, text, sizeof(text));
	jw_init(&jw, &sb);
	icmp6_print_json(&jw, NULL, &m);
	ATF_CHECK_STREQ(sbuf_str(&sb), "{\"type\":145,\"name\":\"DHAAD Reply\","
	    "\"code\":0,\"checksum\":13992,\"length\":40,\"id\":7,\"r\":true,"
	    "\"home_agents\":[\"2001:db8:1::1\",\"2001:db8:1::2\"]}");
}

/* RFC 6275 §6.7: Mobile Prefix Solicitation. */
ATF_TC_WITHOUT_HEAD(mps);
ATF_TC_BODY(mps, tc)
{
	/* the checksum is over the HoA (it is sent with a HAO) */
	ATF_REQUIRE_EQ(dec("92" "00" "1145" "0003" "0000", "2001:db8:1::100",
	    "2001:db8:1::1", 64), 0);
	th_no_vl(&vl);
	ATF_CHECK_EQ(m.u.mp.id, 3);
	ATF_CHECK_EQ(m.u.mp.flags, 0);
	enc_eq(&m, 0, "2001:db8:1::100", "2001:db8:1::1", msg, msg_len);
	short_eq(&m, "MPS id=3");
}

/* RFC 4861 §4.6.2 with the RFC 6275 §7.2 R flag: the router address. */
#define PIO_R								\
	"03" "04"		/* Prefix Information, Length 4 */	\
	"40" "e0"		/* Prefix Length 64, L A R */		\
	"00015180"		/* Valid Lifetime 86400 */		\
	"00003840"		/* Preferred Lifetime 14400 */		\
	"00000000"		/* Reserved2 */				\
	A_HA			/* R set: the router's address */

/* RFC 6275 §6.8: Mobile Prefix Advertisement, M and O. */
ATF_TC_WITHOUT_HEAD(mpa_mo_pio_r);
ATF_TC_BODY(mpa_mo_pio_r, tc)
{
	const struct nd_opt *o;

	ATF_REQUIRE_EQ(dec("93" "00" "54c3" "0003" "c000" PIO_R,
	    "2001:db8:1::1", "2001:db8:1::100", 64), 0);
	th_no_vl(&vl);
	ATF_CHECK_EQ(m.u.mp.id, 3);
	ATF_CHECK_EQ(m.u.mp.flags, ICMP6_MPA_M | ICMP6_MPA_O);
	ATF_REQUIRE_EQ(m.nopts, 1);
	o = icmp6_find_opt(&m, NDOPT_PREFIX);
	ATF_REQUIRE(o != NULL);
	ATF_CHECK_EQ(o->off, 8);
	ATF_CHECK_EQ(o->len, 4);
	ATF_CHECK_EQ(o->u.prefix.plen, 64);
	ATF_CHECK_EQ(o->u.prefix.flags, ND_PI_L | ND_PI_A | ND_PI_R);
	ATF_CHECK_EQ(o->u.prefix.valid, 86400);
	ATF_CHECK_EQ(o->u.prefix.preferred, 14400);
	th_in6_eq(&o->u.prefix.prefix, "2001:db8:1::1");
	enc_eq(&m, 0, "2001:db8:1::1", "2001:db8:1::100", msg, msg_len);
	short_eq(&m, "MPA id=3 M O prefix=2001:db8:1::1/64,L,A,R,valid=86400,"
	    "pref=14400");
}

/* RFC 4861 §4.2 with RFC 6275 §7.1 (H), §7.3 (Advertisement Interval in
 * ms), §7.4 (HA Information; R bit RFC 3963 as radvd sends it). */
#define RA_HA								\
	"86" "00" "9f79"	/* Router Advertisement, Checksum */	\
	"40" "20" "0708"	/* Cur Hop Limit 64, H, Lifetime 1800 */ \
	"00000000" "00000000"	/* Reachable, Retrans */		\
	PIO_R							\
	"07" "01" "0000" "000003e8"	/* Advertisement Interval 1000 */ \
	"08" "01" "8000"	/* HA Information, R */			\
	"000a" "0708"		/* Preference 10, Lifetime 1800 */

ATF_TC_WITHOUT_HEAD(ra_home_agent);
ATF_TC_BODY(ra_home_agent, tc)
{
	const struct nd_opt *o;
	struct icmp6_msg b;
	struct nd_opt *n;
	char text[2048];
	struct sbuf sb;

	ATF_REQUIRE_EQ(dec(RA_HA, "fe80::1", "ff02::1", 255), 0);
	th_no_vl(&vl);
	ATF_CHECK_EQ(m.u.ra.hop_limit, 64);
	ATF_CHECK_EQ(m.u.ra.flags, ND_RA_H);
	ATF_CHECK_EQ(m.u.ra.lifetime, 1800);
	ATF_REQUIRE_EQ(m.nopts, 3);
	o = icmp6_find_opt(&m, NDOPT_ADV_INTERVAL);
	ATF_REQUIRE(o != NULL);
	ATF_CHECK_EQ(o->u.adv_interval, 1000);
	ATF_CHECK_EQ(o->off, 48);
	o = icmp6_find_opt(&m, NDOPT_HA_INFO);
	ATF_REQUIRE(o != NULL);
	ATF_CHECK_EQ(o->u.hainfo.flags, ND_HAI_R);
	ATF_CHECK_EQ(o->u.hainfo.preference, 10);
	ATF_CHECK_EQ(o->u.hainfo.lifetime, 1800);
	ATF_CHECK(icmp6_find_opt(&m, NDOPT_MTU) == NULL);
	enc_eq(&m, 0, "fe80::1", "ff02::1", msg, msg_len);
	short_eq(&m, "RA hlim=64 H lifetime=1800 hainfo=pref=10,life=1800,R "
	    "advint=1000ms prefix=2001:db8:1::1/64,L,A,R,valid=86400,"
	    "pref=14400");
	sbuf_init(&sb, text, sizeof(text));
	icmp6_print_verbose(&sb, &m, 2);
	ATF_CHECK_STREQ(sbuf_str(&sb),
	    "  Router Advertisement (type 134, code 0) checksum 0x9f79 "
	    "length 64\n"
	    "    hop limit 64 flags 0x20 H lifetime 1800 reachable 0 "
	    "retrans 0\n"
	    "    option Prefix Information (type 3, length 4) at 16: "
	    "2001:db8:1::1/64 flags 0xe0 L A R valid 86400 preferred 14400 "
	    "reserved 0x00000000\n"
	    "    option Advertisement Interval (type 7, length 1) at 48: "
	    "1000 ms\n"
	    "    option Home Agent Information (type 8, length 1) at 56: "
	    "flags 0x8000 R preference 10 lifetime 1800\n");

	/* built from scratch: lengths and checksum computed */
	icmp6_init(&b, ICMP6_T_RA, 0);
	b.u.ra.hop_limit = 64;
	b.u.ra.flags = ND_RA_H;
	b.u.ra.lifetime = 1800;
	n = icmp6_add_opt(&b, NDOPT_PREFIX);
	n->u.prefix.plen = 64;
	n->u.prefix.flags = ND_PI_L | ND_PI_A | ND_PI_R;
	n->u.prefix.valid = 86400;
	n->u.prefix.preferred = 14400;
	n->u.prefix.prefix = tu_in6("2001:db8:1::1");
	icmp6_add_opt(&b, NDOPT_ADV_INTERVAL)->u.adv_interval = 1000;
	n = icmp6_add_opt(&b, NDOPT_HA_INFO);
	n->u.hainfo.flags = ND_HAI_R;
	n->u.hainfo.preference = 10;
	n->u.hainfo.lifetime = 1800;
	enc_eq(&b, 0, "fe80::1", "ff02::1", msg, msg_len);
}

/* An option we do not know is kept raw and written back as it came. */
ATF_TC_WITHOUT_HEAD(unknown_nd_option_is_raw);
ATF_TC_BODY(unknown_nd_option_is_raw, tc)
{
	static const uint8_t rdnss[14] = { 0, 0, 0, 0, 0x07, 0x08, 0x20, 0x01,
	    0x0d, 0xb8, 0, 0, 0, 0 };

	ATF_REQUIRE_EQ(dec("86000000" "40200708" "00000000" "00000000"
	    "1902" "0000" "00000708" "20010db800000000", NULL, NULL, 255), 0);
	th_no_vl(&vl);
	ATF_REQUIRE_EQ(m.nopts, 1);
	ATF_CHECK_EQ(m.opts[0].type, 25);
	ATF_CHECK_EQ(m.opts[0].len, 2);
	ATF_CHECK_EQ(m.opts[0].raw_len, 14);
	ATF_CHECK(memcmp(m.opts[0].raw, rdnss, 14) == 0);
	ATF_CHECK_STREQ(nd_opt_name(25), "Unknown ND option");
	enc_eq(&m, ICMP6_KEEP_CKSUM, "fe80::1", "ff02::1", msg, msg_len);
}

/* A negative preference is signed (RFC 6275 §7.4). */
ATF_TC_WITHOUT_HEAD(hainfo_preference_is_signed);
ATF_TC_BODY(hainfo_preference_is_signed, tc)
{
	ATF_REQUIRE_EQ(dec("86000000" "40200708" "00000000" "00000000"
	    "0801" "0000" "fff6" "0708", NULL, NULL, 255), 0);
	th_no_vl(&vl);
	ATF_CHECK_EQ(m.opts[0].u.hainfo.preference, -10);
	short_eq(&m, "RA hlim=64 H lifetime=1800 hainfo=pref=-10,life=1800");
}

ATF_TC_WITHOUT_HEAD(ns_na);
ATF_TC_BODY(ns_na, tc)
{
	ATF_REQUIRE_EQ(dec("87" "00" "9a60" "00000000" A_HA
	    "01" "01" "00005e005301",	/* Source Link-Layer Address */
	    "fe80::200", "ff02::1:ff00:1", 255), 0);
	th_no_vl(&vl);
	th_in6_eq(&m.u.nsna.target, "2001:db8:1::1");
	enc_eq(&m, 0, "fe80::200", "ff02::1:ff00:1", msg, msg_len);
	short_eq(&m, "NS tgt=2001:db8:1::1 slla=00:00:5e:00:53:01");

	ATF_REQUIRE_EQ(dec("88" "00" "b7e2" "e0000000" A_HA	/* R S O */
	    "02" "01" "00005e005302",	/* Target Link-Layer Address */
	    "fe80::1", "fe80::200", 255), 0);
	th_no_vl(&vl);
	ATF_CHECK_EQ(m.u.nsna.flags, ND_NA_R | ND_NA_S | ND_NA_O);
	enc_eq(&m, 0, "fe80::1", "fe80::200", msg, msg_len);
	short_eq(&m, "NA R S O tgt=2001:db8:1::1 tlla=00:00:5e:00:53:02");
}

/* RFC 4443 §3.4: Parameter Problem with the invoking packet. */
ATF_TC_WITHOUT_HEAD(param_problem);
ATF_TC_BODY(param_problem, tc)
{
	uint8_t inv[64];
	size_t n;

	ATF_REQUIRE_EQ(dec("04" "01" "1a35"	/* code 1: unknown next hdr */
	    "00000028"				/* Pointer 40 */
	    "600000000000c840" A_HOA A_CN,	/* invoking packet */
	    "2001:db8:3::5", "2001:db8:1::100", 64), 0);
	th_no_vl(&vl);
	ATF_CHECK_EQ(m.code, ICMP6_PARAMPROB_NEXTHDR);
	ATF_CHECK_EQ(m.u.pointer, 40);
	n = tu_hex("600000000000c840" A_HOA A_CN, inv, sizeof(inv));
	tu_bytes_eq("invoking packet", m.body, m.body_len, inv, n);
	enc_eq(&m, 0, "2001:db8:3::5", "2001:db8:1::100", msg, msg_len);
	short_eq(&m, "param-problem code=1 ptr=40");

	ATF_REQUIRE_EQ(dec("04" "02" "a41b"	/* code 2: unknown option */
	    "0000002a"				/* Pointer 42 */
	    "6000000000083c40" A_HOA A_CN "3b00c70600000000",
	    "2001:db8:3::5", "2001:db8:1::100", 64), 0);
	th_no_vl(&vl);
	ATF_CHECK_EQ(m.code, ICMP6_PARAMPROB_OPTION);
	ATF_CHECK_EQ(m.u.pointer, 42);
	ATF_CHECK_EQ(m.body_len, 48);
	enc_eq(&m, 0, "2001:db8:3::5", "2001:db8:1::100", msg, msg_len);
	short_eq(&m, "param-problem code=2 ptr=42");
}

ATF_TC_WITHOUT_HEAD(echo_and_errors);
ATF_TC_BODY(echo_and_errors, tc)
{
	ATF_REQUIRE_EQ(dec("80" "00" "5e73" "0001" "0002" "61626364",
	    "2001:db8:2::100", "2001:db8:3::5", 64), 0);
	th_no_vl(&vl);
	ATF_CHECK_EQ(m.u.echo.id, 1);
	ATF_CHECK_EQ(m.u.echo.seq, 2);
	ATF_CHECK_EQ(m.body_len, 4);
	ATF_CHECK(memcmp(m.body, "abcd", 4) == 0);
	enc_eq(&m, 0, "2001:db8:2::100", "2001:db8:3::5", msg, msg_len);
	short_eq(&m, "echo-request id=1 seq=2");

	dec("81000000" "00010002", NULL, NULL, -1);
	short_eq(&m, "echo-reply id=1 seq=2");
	dec("01040000" "00000000", NULL, NULL, -1);
	short_eq(&m, "dest-unreach code=4");
	dec("02000000" "000005dc", NULL, NULL, -1);
	short_eq(&m, "packet-too-big mtu=1500");
	dec("03010000" "00000000", NULL, NULL, -1);
	short_eq(&m, "time-exceeded code=1");
	dec("8f000000" "00000000", NULL, NULL, -1);
	th_no_vl(&vl);
	short_eq(&m, "mldv2-report");
	dec("c8050000" "01020304", NULL, NULL, -1);
	short_eq(&m, "icmp6 type=200 code=5");
	ATF_CHECK_EQ(m.body_len, 4);
}

ATF_TC_WITHOUT_HEAD(names_and_noise);
ATF_TC_BODY(names_and_noise, tc)
{
	ATF_CHECK_STREQ(icmp6_type_name(144), "DHAAD Request");
	ATF_CHECK_STREQ(icmp6_type_abbrev(144), "dhaad-req");
	ATF_CHECK_STREQ(icmp6_type_abbrev(147), "mpa");
	ATF_CHECK_STREQ(icmp6_type_name(250), "Unknown ICMPv6 type");
	ATF_CHECK_STREQ(nd_opt_name(NDOPT_HA_INFO), "Home Agent Information");
	ATF_CHECK_STREQ(nd_opt_name(NDOPT_ADV_INTERVAL),
	    "Advertisement Interval");
	ATF_CHECK(icmp6_is_noise(ICMP6_T_RS));
	ATF_CHECK(icmp6_is_noise(ICMP6_T_RA));
	ATF_CHECK(icmp6_is_noise(ICMP6_T_NS));
	ATF_CHECK(icmp6_is_noise(ICMP6_T_NA));
	ATF_CHECK(icmp6_is_noise(ICMP6_T_REDIRECT));
	ATF_CHECK(icmp6_is_noise(130));
	ATF_CHECK(icmp6_is_noise(131));
	ATF_CHECK(icmp6_is_noise(132));
	ATF_CHECK(icmp6_is_noise(143));
	ATF_CHECK(!icmp6_is_noise(ICMP6_T_DHAAD_REQUEST));
	ATF_CHECK(!icmp6_is_noise(ICMP6_T_MPA));
	ATF_CHECK(!icmp6_is_noise(ICMP6_T_ECHO_REQUEST));
	ATF_CHECK(!icmp6_is_noise(ICMP6_T_PARAM_PROB));
}

/* ---------------------------------------------------------- keep bits */

ATF_TC_WITHOUT_HEAD(keep_checksum_and_option_length);
ATF_TC_BODY(keep_checksum_and_option_length, tc)
{
	uint8_t want[64];
	struct nd_opt *o;
	size_t n;

	icmp6_init(&m, ICMP6_T_RA, 0);
	m.checksum = 0xbeef;
	m.u.ra.hop_limit = 64;
	o = icmp6_add_opt(&m, NDOPT_HA_INFO);
	o->u.hainfo.preference = 10;
	o->u.hainfo.lifetime = 1800;
	o->len = 2;		/* RFC 6275 §7.4 wants 1 */
	o->keep_len = true;
	n = tu_hex("8600" "beef" "40000000" "00000000" "00000000"
	    "0802" "0000" "000a" "0708" "0000000000000000", want,
	    sizeof(want));
	enc_eq(&m, ICMP6_KEEP_CKSUM | ICMP6_KEEP_OPTLEN, "fe80::1", "ff02::1",
	    want, n);
	/* Length 0 is written as given, with the option's fields */
	o->len = 0;
	n = tu_hex("8600" "beef" "40000000" "00000000" "00000000"
	    "0800" "0000" "000a" "0708", want, sizeof(want));
	enc_eq(&m, ICMP6_KEEP_CKSUM | ICMP6_KEEP_OPTLEN, "fe80::1", "ff02::1",
	    want, n);
	/* without ICMP6_KEEP_OPTLEN keep_len is ignored */
	n = tu_hex("8600" "beef" "40000000" "00000000" "00000000"
	    "0801" "0000" "000a" "0708", want, sizeof(want));
	enc_eq(&m, ICMP6_KEEP_CKSUM, "fe80::1", "ff02::1", want, n);
}

/* ---------------------------------------------------------- negatives */

ATF_TC_WITHOUT_HEAD(checksum);
ATF_TC_BODY(checksum, tc)
{
	dec("90" "00" "9542" "0007" "8000", "2001:db8:2::100", ANYCAST, 64);
	TH_VL(&vl, { V_ICMP6_CHECKSUM, BASE + 2 });
	th_vl_args(&vl, 0, 0x9542, 0x9541, NULL);
}

ATF_TC_WITHOUT_HEAD(length_below_minimum);
ATF_TC_BODY(length_below_minimum, tc)
{
	/* RFC 4861 §7.1.1: an NS is 24 octets or more */
	ATF_CHECK_EQ(dec("87000000" "00000000" "20010db800010000" "00000000",
	    NULL, NULL, 255), 0);
	TH_VL(&vl, { V_ICMP6_LENGTH, BASE });
	th_vl_args(&vl, 0, 20, 24, "Neighbor Solicitation");
}

ATF_TC_WITHOUT_HEAD(truncated);
ATF_TC_BODY(truncated, tc)
{
	ATF_CHECK_EQ(dec("870000", NULL, NULL, 255), -1);
	TH_VL(&vl, { V_TRUNCATED, BASE });
	th_vl_args(&vl, 0, 4, 3, "ICMPv6 header");
}

ATF_TC_WITHOUT_HEAD(nd_code_and_hop_limit);
ATF_TC_BODY(nd_code_and_hop_limit, tc)
{
	/* RFC 4861 §6.1.2: hop limit 255, code 0 */
	dec("8601" "0000" "40200708" "00000000" "00000000", NULL, NULL, 64);
	TH_VL(&vl, { V_ND_HOPLIMIT, BASE }, { V_ICMP6_CODE, BASE + 1 });
	th_vl_args(&vl, 0, 64, 0, "Router Advertisement");
	th_vl_args(&vl, 1, 1, 0, "Router Advertisement");
	/* not ND: no such rule */
	dec("9001" "0000" "00078000", NULL, NULL, 64);
	th_no_vl(&vl);
}

ATF_TC_WITHOUT_HEAD(nd_option_zero_length);
ATF_TC_BODY(nd_option_zero_length, tc)
{
	dec("85000000" "00000000" "0100" "00005e005301", NULL, NULL, 255);
	TH_VL(&vl, { V_ND_OPT_ZERO_LEN, BASE + 8 });
	th_vl_args(&vl, 0, 1, 0, NULL);
}

ATF_TC_WITHOUT_HEAD(nd_option_past_end);
ATF_TC_BODY(nd_option_past_end, tc)
{
	dec("85000000" "00000000" "0102" "00005e005301", NULL, NULL, 255);
	TH_VL(&vl, { V_ND_OPT_PAST_END, BASE + 8 });
	th_vl_args(&vl, 0, 1, 16, NULL);
	/* a lone octet where an option should start */
	dec("85000000" "00000000" "01", NULL, NULL, 255);
	TH_VL(&vl, { V_ND_OPT_PAST_END, BASE + 8 });
	th_vl_args(&vl, 0, 1, 8, NULL);
}

ATF_TC_WITHOUT_HEAD(nd_option_length);
ATF_TC_BODY(nd_option_length, tc)
{
	dec("86000000" "40200708" "00000000" "00000000"
	    "0802" "8000000a0708" "0000000000000000", NULL, NULL, 255);
	TH_VL(&vl, { V_ND_OPT_LENGTH, BASE + 16 });
	th_vl_args(&vl, 0, 2, 1, "Home Agent Information");
	ATF_CHECK_EQ(m.opts[0].raw_len, 14);	/* kept raw */
	enc_eq(&m, ICMP6_KEEP_CKSUM, "fe80::1", "ff02::1", msg, msg_len);
}

ATF_TC_WITHOUT_HEAD(hainfo_lifetime_zero);
ATF_TC_BODY(hainfo_lifetime_zero, tc)
{
	dec("86000000" "40200708" "00000000" "00000000"
	    "0801" "8000" "000a" "0000", NULL, NULL, 255);
	TH_VL(&vl, { V_HAINFO_LIFETIME_ZERO, BASE + 16 });
}

/* RFC 6275 §10.5.1: at most (1280 - 40 - 8) / 16 = 77 addresses. */
ATF_TC_WITHOUT_HEAD(dhaad_reply_too_many);
ATF_TC_BODY(dhaad_reply_too_many, tc)
{
	char hex[8 * 2 + 78 * 32 + 1];
	size_t i;

	strcpy(hex, "91000000" "00078000");
	for (i = 0; i < 78; i++)
		strcat(hex, A_HA);
	dec(hex, NULL, NULL, -1);
	TH_VL(&vl, { V_DHAAD_TOO_MANY, BASE });
	th_vl_args(&vl, 0, 78, 0, NULL);
	ATF_CHECK_EQ(m.u.dhaad.naddrs, ICMP6_DHAAD_MAX);
	ATF_CHECK_EQ(m.body_len, (78 - ICMP6_DHAAD_MAX) * 16);
	enc_eq(&m, ICMP6_KEEP_CKSUM, "fe80::1", "ff02::1", msg, msg_len);
}

ATF_TC_WITHOUT_HEAD(dhaad_reply_partial_address);
ATF_TC_BODY(dhaad_reply_partial_address, tc)
{
	dec("91000000" "00078000" A_HA "0102030405", NULL, NULL, -1);
	TH_VL(&vl, { V_TRAILING_BYTES, BASE + 24 });
	th_vl_args(&vl, 0, 5, 0, "DHAAD Reply addresses");
	ATF_CHECK_EQ(m.u.dhaad.naddrs, 1);
	enc_eq(&m, ICMP6_KEEP_CKSUM, "fe80::1", "ff02::1", msg, msg_len);
}

ATF_TC_WITHOUT_HEAD(too_many_nd_options);
ATF_TC_BODY(too_many_nd_options, tc)
{
	char hex[16 + 17 * 16 + 1];
	size_t i;

	strcpy(hex, "85000000" "00000000");
	for (i = 0; i < ND_OPT_MAX + 1; i++)
		strcat(hex, "0101" "00005e005301");
	dec(hex, NULL, NULL, 255);
	TH_VL(&vl, { V_TOO_MANY, BASE + 8 + ND_OPT_MAX * 8 });
	th_vl_args(&vl, 0, ND_OPT_MAX, 0, "ND options");
	ATF_CHECK(m.opts_truncated);
	ATF_CHECK_EQ(m.nopts, ND_OPT_MAX);
}

ATF_TC_WITHOUT_HEAD(body_longer_than_kept);
ATF_TC_BODY(body_longer_than_kept, tc)
{
	static char hex[16 + 2 * (ICMP6_BODY_MAX + 1) + 1];
	size_t i;

	strcpy(hex, "80000000" "00010002");
	for (i = 0; i <= ICMP6_BODY_MAX; i++)
		strcat(hex, "00");
	dec(hex, NULL, NULL, -1);
	TH_VL(&vl, { V_TOO_MANY, BASE + 8 });
	th_vl_args(&vl, 0, ICMP6_BODY_MAX, 0, "ICMPv6 body bytes");
	ATF_CHECK_EQ(m.body_len, ICMP6_BODY_MAX);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, dhaad_request_r);
	ATF_TP_ADD_TC(tp, dhaad_reply_r);
	ATF_TP_ADD_TC(tp, mps);
	ATF_TP_ADD_TC(tp, mpa_mo_pio_r);
	ATF_TP_ADD_TC(tp, ra_home_agent);
	ATF_TP_ADD_TC(tp, unknown_nd_option_is_raw);
	ATF_TP_ADD_TC(tp, hainfo_preference_is_signed);
	ATF_TP_ADD_TC(tp, ns_na);
	ATF_TP_ADD_TC(tp, param_problem);
	ATF_TP_ADD_TC(tp, echo_and_errors);
	ATF_TP_ADD_TC(tp, names_and_noise);
	ATF_TP_ADD_TC(tp, keep_checksum_and_option_length);
	ATF_TP_ADD_TC(tp, checksum);
	ATF_TP_ADD_TC(tp, length_below_minimum);
	ATF_TP_ADD_TC(tp, truncated);
	ATF_TP_ADD_TC(tp, nd_code_and_hop_limit);
	ATF_TP_ADD_TC(tp, nd_option_zero_length);
	ATF_TP_ADD_TC(tp, nd_option_past_end);
	ATF_TP_ADD_TC(tp, nd_option_length);
	ATF_TP_ADD_TC(tp, hainfo_lifetime_zero);
	ATF_TP_ADD_TC(tp, dhaad_reply_too_many);
	ATF_TP_ADD_TC(tp, dhaad_reply_partial_address);
	ATF_TP_ADD_TC(tp, too_many_nd_options);
	ATF_TP_ADD_TC(tp, body_longer_than_kept);
	return atf_no_error();
}
