/*
 * tmpl_test.c - templates (tmpl.c): the exact bytes a template builds
 * (lengths, next headers, padding and checksums computed; HAO/RH2 from
 * hoa=/rh2=; the overrides that craft malformed packets), and matching:
 * every operator, captures, the exact mismatch messages, the closest
 * candidate score, and strict validation of what is received; the
 * DSMIPv6 stacks (RFC 5555 §4): IPv4/UDP 4191/IPv6 Binding Update and
 * Acknowledgement with the IPv4 options, IPv4-in-IPv6 traffic; ARP
 * requests and replies (RFC 826) with their defaults; ESP transport mode
 * (RFC 4303, RFC 3776): a BU sealed with the NUT description's SA, byte
 * for byte as scapy 2.5 seals it, its sequence numbers, and patterns that
 * open it or refuse a forged ICV.
 */
#include <arpa/inet.h>
#include <atf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/engine/tmpl.h"
#include "conformance/engine/vars.h"
#include "ctest.h"
#include "packets/esp.h"
#include "packets/pkt.h"
#include "packets/rr.h"
#include "packets/sbuf.h"
#include "packets/tests/testutil.h"

#define DSMIP_BU_HEX \
	"0200000001010200000000b00800"				/* Ethernet */ \
	"450000640000000040118e4ac000020ac6336401"		/* IPv4 */ \
	"1388105f0050086e"					/* UDP */ \
	"600000000020874020010db80001000000000000000000b0"	/* IPv6 */ \
	"20010db8000100000000000000000001" \
	"3b030500224e0064c0000064"				/* MH BU */ \
	"1d0680000000000020060000c000020a01020000"		/* options */

#define HEAD \
	"case CN-9-9-9\ntitle T\nrfc R\ntopology one-link\nrole node\n" \
	"purpose\np\nend\nprocedure\nq\nend\njudgement\nr\nend\n"

static struct vars vs;
static struct tmpl_link link0 = {
	{ 0x02, 0, 0, 0, 0x00, 0xb0 },	/* the tester (MN0) */
	{ 0x02, 0, 0, 0, 0x01, 0x01 }	/* the NUT */
};

static void
setup(void)
{
	vars_init(&vs);
	vars_set(&vs, "seq", "100");
	vars_set(&vs, "nut.addr", "2001:db8:1::1");
	vars_set(&vs, "mn0.coa", "2001:db8:2::b0");
	vars_set(&vs, "mn0.hoa", "2001:db8:1::b0");
	vars_set(&vs, "nut.v4addr", "198.51.100.1");
	vars_set(&vs, "mn0.v4coa", "192.0.2.10");
	vars_set(&vs, "mn0.v4hoa", "198.51.100.7");
}

/* A case holding one template `t` used by one event of `verb`. */
static struct mcase *
one(const char *kind, const char *body)
{
	char text[4096];

	snprintf(text, sizeof(text), HEAD "%s t\n%send\n0 %s link0 t\n",
	    kind, body, kind[0] == 'p' ? "send" : "expect");
	return ct_case("CN-9-9-9.case", text);
}

static size_t
build(const char *body, uint8_t *out, size_t cap)
{
	struct mcase *c = one("packet", body);
	struct pkt *p = malloc(sizeof(*p));
	char err[300];
	size_t len = 0;

	ATF_REQUIRE_MSG(tmpl_build(&c->tmpls[0], &vs, &link0, p, err,
	    sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE(pkt_encode(p, out, cap, &len) == 0);
	free(p);
	case_free(c);
	return len;
}

static void
golden(const char *what, const char *body, const char *hex)
{
	uint8_t got[600], want[600];
	size_t n = build(body, got, sizeof(got));
	size_t w = tu_hex(hex, want, sizeof(want));

	tu_bytes_eq(what, got, n, want, w);
}

ATF_TC_WITHOUT_HEAD(build_bu_with_home_address_option);
ATF_TC_BODY(build_bu_with_home_address_option, tc)
{
	setup();
	/* hoa= on the mh line becomes the canonical HAO header; the MH
	 * checksum uses the home address as the source (RFC 6275 §6.3) */
	golden("BU", "  ipv6 src=$mn0.coa dst=$nut.addr\n"
	    "  mh BU seq=$seq A H lifetime=400s hoa=$mn0.hoa\n",
	    "02 00 00 00 01 01  02 00 00 00 00 b0  86 dd"	/* Ethernet */
	    "60 00 00 00  00 28  3c  40"			/* IPv6, 40 */
	    "20 01 0d b8 00 02 00 00 00 00 00 00 00 00 00 b0"	/* CoA */
	    "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 01"	/* HA */
	    "87 02  01 02 00 00  c9 10"				/* DestOpt */
	    "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 b0"	/* HoA */
	    "3b 01 05 00  a1 77"				/* MH BU */
	    "00 64  c0 00  00 64"				/* seq A H 400 s */
	    "01 02 00 00");					/* PadN */
}

ATF_TC_WITHOUT_HEAD(build_ba_with_type2_routing_header);
ATF_TC_BODY(build_ba_with_type2_routing_header, tc)
{
	setup();
	/* checksum to the home address in the RH2 (RFC 8200 §8.1) */
	golden("BA", "  ether src=02:00:00:00:01:01 dst=02:00:00:00:00:b0\n"
	    "  ipv6 src=$nut.addr dst=$mn0.coa hlim=255\n"
	    "  rh2 $mn0.hoa\n"
	    "  mh BA status=0 seq=$seq lifetime=400s\n",
	    "02 00 00 00 00 b0  02 00 00 00 01 01  86 dd"
	    "60 00 00 00  00 28  2b  ff"
	    "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 01"
	    "20 01 0d b8 00 02 00 00 00 00 00 00 00 00 00 b0"
	    "87 02 02 01  00 00 00 00"				/* RH2 */
	    "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 b0"
	    "3b 01 06 00  60 78"				/* MH BA */
	    "00 00  00 64  00 64"				/* status seq life */
	    "01 02 00 00");
}

/* The BU from an IPv4-only network (RFC 5555 §4.2 as wire-formats.md #19). */
#define DSMIP_BU \
	"  ipv4 src=$mn0.v4coa dst=$nut.v4addr\n" \
	"  udp sport=5000 dport=4191\n" \
	"  ipv6 src=$mn0.hoa dst=$nut.addr\n" \
	"  mh BU seq=$seq A H lifetime=400s v4hoa=0.0.0.0/32 v4coa=$mn0.v4coa\n"

ATF_TC_WITHOUT_HEAD(build_dsmip_udp_encapsulated_bu);
ATF_TC_BODY(build_dsmip_udp_encapsulated_bu, tc)
{
	setup();
	/* scapy 2.5.0: Ether/IP(src, dst, id=0, flags=0)/UDP(5000, 4191)/
	 * IPv6/MIP6MH_BU(..., options=[raw 1d06 2000 00000000,
	 * raw 2006 0000 c000020a, PadN]), checksums recomputed by scapy;
	 * options at 4n (RFC 5555 §3.1.1, §3.1.2). */
	golden("UDP BU", DSMIP_BU, DSMIP_BU_HEX);
}

ATF_TC_WITHOUT_HEAD(build_overrides_craft_malformed_packets);
ATF_TC_BODY(build_overrides_craft_malformed_packets, tc)
{
	setup();
	/* plen, checksum, Header Len, no padding or alignment, an option
	 * Length that does not match its data: all as written */
	golden("malformed BU", "  ipv6 src=$mn0.coa dst=$nut.addr plen=100\n"
	    "  mh BU seq=1 checksum=0xdead hdrlen=3 pad=none "
	    "acoa=2001:db8::1 acoa.len=20\n",
	    "02 00 00 00 01 01  02 00 00 00 00 b0  86 dd"
	    "60 00 00 00  00 64  87  40"
	    "20 01 0d b8 00 02 00 00 00 00 00 00 00 00 00 b0"
	    "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 01"
	    "3b 03 05 00  de ad  00 01  00 00  00 00"
	    "03 14  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01");
	/* explicit padding with non-zero PadN contents */
	golden("BU padn", "  ipv6 src=$mn0.coa dst=$nut.addr\n"
	    "  mh BU seq=1 pad=none checksum=0 padn=ff00\n",
	    "02 00 00 00 01 01  02 00 00 00 00 b0  86 dd"
	    "60 00 00 00  00 10  87  40"
	    "20 01 0d b8 00 02 00 00 00 00 00 00 00 00 00 b0"
	    "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 01"
	    "3b 01 05 00  00 00  00 01  00 00  00 00"
	    "01 02 ff 00");
}

ATF_TC_WITHOUT_HEAD(build_icmp6_with_hao_layer);
ATF_TC_BODY(build_icmp6_with_hao_layer, tc)
{
	setup();
	vars_set(&vs, "mn0.hoa", "2001:db8:5::b0");
	vars_set(&vs, "mn0.coa", "2001:db8:1::b0");
	golden("echo+HAO", "  ipv6 src=$mn0.coa dst=$nut.addr\n"
	    "  hao $mn0.hoa\n"
	    "  icmp6 echo-request id=7 seq=1\n",
	    "02 00 00 00 01 01  02 00 00 00 00 b0  86 dd"
	    "60 00 00 00  00 20  3c  40"
	    "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 b0"
	    "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 01"
	    "3a 02  01 02 00 00  c9 10"
	    "20 01 0d b8 00 05 00 00 00 00 00 00 00 00 00 b0"
	    "80 00 23 8c  00 07 00 01");
	/* a Home Address option whose Length says 20 (V_HAO_LENGTH) */
	golden("HAO length 20", "  ipv6 src=$mn0.coa dst=$nut.addr\n"
	    "  hao $mn0.hoa optlen=20 hdrlen=3\n"
	    "  icmp6 echo-request id=7 seq=1 checksum=0\n",
	    "02 00 00 00 01 01  02 00 00 00 00 b0  86 dd"
	    "60 00 00 00  00 28  3c  40"
	    "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 b0"
	    "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 01"
	    "3a 03  01 02 00 00  c9 14"				/* Length 20 */
	    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	    "00 00 00 00"					/* to 8(3+1) */
	    "80 00 00 00  00 07 00 01");
}

ATF_TC_WITHOUT_HEAD(build_errors);
ATF_TC_BODY(build_errors, tc)
{
	struct mcase *c;
	struct pkt *p = malloc(sizeof(*p));
	char err[300];

	setup();
	c = one("packet", "  ipv6 src=$mn1.coa\n");
	ATF_CHECK_EQ(tmpl_build(&c->tmpls[0], &vs, &link0, p, err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "line 16: src: unknown variable $mn1.coa");
	case_free(c);
	vars_set(&vs, "life", "401");
	c = one("packet", "  mh BU lifetime=${life}s\n");
	ATF_CHECK_EQ(tmpl_build(&c->tmpls[0], &vs, &link0, p, err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "line 16: lifetime: lifetime 401s is not a "
	    "multiple of 4");
	case_free(c);
	vars_set(&vs, "a", "2001:db8::zz");
	c = one("packet", "  mh BU hoa=$a\n");
	ATF_CHECK_EQ(tmpl_build(&c->tmpls[0], &vs, &link0, p, err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "line 16: hoa=$a: 2001:db8::zz is not an IPv6 "
	    "address");
	case_free(c);
	free(p);
}

/* ------------------------------------------------------------ match */

static struct pkt *
decoded(const char *body)
{
	struct pkt *p = malloc(sizeof(*p));
	uint8_t buf[600];
	size_t n = build(body, buf, sizeof(buf));

	pkt_decode(p, PKT_LINK_ETHER, buf, n);
	return p;
}

#define BA_PKT \
	"  ipv6 src=$nut.addr dst=$mn0.coa\n" \
	"  rh2 $mn0.hoa\n" \
	"  mh BA status=133 seq=100 lifetime=400s bra=200s\n"
#define BU_PKT \
	"  ipv6 src=$mn0.coa dst=$nut.addr hlim=255\n" \
	"  mh BU seq=100 A H lifetime=400s hoa=$mn0.hoa acoa=$mn0.coa\n"

static void
expect_match(const struct pkt *p, const char *pattern, const char *why,
    int line)
{
	struct mcase *c = one("expect", pattern);
	struct match_res m;

	tmpl_match(&c->tmpls[0], &vs, p, &m);
	if (why == NULL)
		ATF_CHECK_MSG(m.matched, "%s: %s", pattern, m.why);
	else {
		ATF_CHECK_MSG(!m.matched, "%s matched", pattern);
		ATF_CHECK_STREQ(m.why, why);
		ATF_CHECK_EQ_MSG(m.line, line, "%s (line %d)", pattern, m.line);
	}
	case_free(c);
}

ATF_TC_WITHOUT_HEAD(match_operators);
ATF_TC_BODY(match_operators, tc)
{
	struct pkt *ba, *bu;

	setup();
	ba = decoded(BA_PKT);
	bu = decoded(BU_PKT);
	expect_match(ba, BA_PKT, NULL, 0);
	expect_match(ba, "  ether\n" BA_PKT, NULL, 0);
	expect_match(ba, "  ipv6\n  rh2\n  mh BA\n", NULL, 0);
	expect_match(ba, "  ipv6\n  mh BA rh2=$mn0.hoa\n", NULL, 0);
	expect_match(ba, "  ipv6 hlim!=255 hlim>=64 hlim<=64 hlim>63 "
	    "hlim<65\n  rh2\n  mh BA status>=128 status=oneof(0,133) "
	    "lifetime<=400s seq=* bra=* !acoa !K\n", NULL, 0);
	expect_match(ba, "  ipv6\n  rh2\n  mh *\n", NULL, 0);
	expect_match(bu, BU_PKT, NULL, 0);
	expect_match(bu, "  ipv6\n  mh BU A H !K !L acoa=$mn0.coa "
	    "hoa=$mn0.hoa seq=$seq lifetime=$seq+300\n", NULL, 0);
	expect_match(bu, "  ipv6\n  hao addr=$mn0.hoa optlen=16\n"
	    "  mh BU acoa.len=16\n", NULL, 0);
	free(ba);
	free(bu);
	vars_free(&vs);
}

ATF_TC_WITHOUT_HEAD(match_dsmip_stacks);
ATF_TC_BODY(match_dsmip_stacks, tc)
{
	struct pkt *bu, *ba, *nof, *v4in6;

	setup();
	bu = decoded(DSMIP_BU);
	ba = decoded("  ipv4 src=$nut.v4addr dst=$mn0.v4coa\n"
	    "  udp sport=4191 dport=5000\n"
	    "  ipv6 src=$nut.addr dst=$mn0.hoa\n"
	    "  mh BA status=0 seq=$seq lifetime=400s "
	    "v4ack=0,$mn0.v4hoa/32 natd=F,110s\n");
	nof = decoded("  ipv4 src=$nut.v4addr dst=$mn0.v4coa\n"
	    "  udp sport=4191 dport=5000\n"
	    "  ipv6 src=$nut.addr dst=$mn0.hoa\n"
	    "  mh BA status=0 seq=$seq lifetime=400s natd=30s\n");
	v4in6 = decoded("  ipv6 src=$nut.addr dst=$mn0.coa\n"
	    "  ipv4 src=198.51.100.99 dst=$mn0.v4hoa proto=17\n"
	    "  udp sport=7 dport=7\n");
	ATF_CHECK_EQ(bu->viol.n, 0);
	ATF_CHECK_EQ(ba->viol.n, 0);
	expect_match(bu, DSMIP_BU, NULL, 0);
	expect_match(bu, "  ipv4 src=$mn0.v4coa\n  udp dport=4191 sport=?p\n"
	    "  ipv6 src=$mn0.hoa\n  mh BU v4coa=$mn0.v4coa v4hoa=* !F\n",
	    NULL, 0);
	expect_match(ba, "  ipv4 src=$nut.v4addr dst=$mn0.v4coa\n"
	    "  udp sport=4191 dport=5000\n  ipv6 dst=$mn0.hoa\n"
	    "  mh BA status<128 v4ack=0,$mn0.v4hoa/32 natd=F,110s\n", NULL, 0);
	expect_match(ba, "  ipv4\n  udp\n  ipv6\n  mh BA v4ack-status=0 "
	    "v4ack-addr=$mn0.v4hoa natd-refresh=110 "
	    "!v4coa\n", NULL, 0);
	expect_match(ba, "  ipv4\n  udp\n  ipv6\n  mh BA v4ack-status>=128\n",
	    "BA option v4ack-status: expected >= 128 vs actual 0", 19);
	/* v4ack-plen judges Pref-len alone (RFC 5555 §3.2.1): 32 here. */
	expect_match(ba, "  ipv4\n  udp\n  ipv6\n  mh BA v4ack-plen=32\n",
	    NULL, 0);
	expect_match(ba, "  ipv4\n  udp\n  ipv6\n  mh BA v4ack-plen=0\n",
	    "BA option v4ack-plen: expected 0 vs actual 32", 19);
	expect_match(ba, "  ipv4\n  udp\n  ipv6\n  mh BA !natd\n",
	    "BA option natd: expected absent vs actual present", 19);
	/* natd-F: set here; !natd-F also holds when there is no option. */
	expect_match(ba, "  ipv4\n  udp\n  ipv6\n  mh BA natd-F\n", NULL, 0);
	expect_match(ba, "  ipv4\n  udp\n  ipv6\n  mh BA !natd-F\n",
	    "BA flag natd-F: expected clear vs actual set", 19);
	expect_match(nof, "  ipv4\n  udp\n  ipv6\n  mh BA !natd-F\n", NULL,
	    0);
	expect_match(nof, "  ipv4\n  udp\n  ipv6\n  mh BA natd-F\n",
	    "BA flag natd-F: expected set vs actual clear", 19);
	expect_match(bu, "  ipv4\n  udp\n  ipv6\n  mh BU !natd-F\n", NULL,
	    0);
	expect_match(bu, "  ipv4\n  udp\n  ipv6\n  mh BU natd-F\n",
	    "BU flag natd-F: expected set vs actual clear", 19);
	expect_match(v4in6, "  ipv6 dst=$mn0.coa\n  ipv4 dst=$mn0.v4hoa\n"
	    "  udp\n", NULL, 0);
	free(bu);
	free(ba);
	free(nof);
	free(v4in6);
	vars_free(&vs);
}

/* icmp4: an IPv4 echo request (RFC 792 type 8), both checksums
 * computed; bytes checked with an independent Python checksum. */
ATF_TC_WITHOUT_HEAD(build_icmp4_echo);
ATF_TC_BODY(build_icmp4_echo, tc)
{
	setup();
	golden("echo", "  ipv4 src=198.51.100.99 dst=$mn0.v4hoa\n"
	    "  icmp4 type=8 id=32 seq=1 data=0102030405060708\n",
	    "02 00 00 00 01 01  02 00 00 00 00 b0  08 00"	/* Ethernet */
	    "45 00 00 24  00 00 00 00  40 01 26 08"	/* IPv4, ICMP */
	    "c6 33 64 63  c6 33 64 07"
	    "08 00 e7 ca  00 20 00 01"			/* echo, id, seq */
	    "01 02 03 04 05 06 07 08");
	vars_free(&vs);
}

#define V4_IN_V6	"  ipv6 src=$nut.addr dst=$mn0.coa\n" \
	"  ipv4 src=198.51.100.99 dst=$mn0.v4hoa\n"

/* icmp4 inside IPv4-in-IPv6 (RFC 5555 §4.4.4): decoded with its
 * checksum verified, every field judged, mismatches named. */
ATF_TC_WITHOUT_HEAD(match_icmp4_in_ipv6);
ATF_TC_BODY(match_icmp4_in_ipv6, tc)
{
	struct pkt *p, *bad;

	setup();
	p = decoded(V4_IN_V6 "  icmp4 type=8 id=32 seq=1 "
	    "data=0102030405060708\n");
	bad = decoded(V4_IN_V6 "  icmp4 type=0 checksum=0x1234 id=32 "
	    "seq=1\n");
	ATF_CHECK_EQ(p->viol.n, 0);
	ATF_CHECK(viol_has(&bad->viol, V_ICMP4_CHECKSUM));
	ATF_CHECK_EQ(p->nhdr, 4);
	ATF_CHECK_EQ(p->h[3].kind, HDR_ICMP4);
	ATF_CHECK_EQ(p->h[3].u.icmp4.len, 8);
	expect_match(p, "  ipv6 dst=$mn0.coa\n  ipv4 dst=$mn0.v4hoa "
	    "proto=1\n  icmp4 type=8 code=0 id=32 seq=1 "
	    "data=0102030405060708\n", NULL, 0);
	expect_match(p, "  ipv6\n  ipv4\n  icmp4 type=0\n",
	    "icmp4 field type: expected 0 vs actual 8", 18);
	expect_match(p, "  ipv6\n  ipv4\n  icmp4 data=01020304\n",
	    "icmp4 field data: expected 01020304 vs actual "
	    "0102030405060708", 18);
	expect_match(p, "  ipv6\n  ipv4\n  udp\n",
	    "layers: expected ipv6 ipv4 udp vs actual ipv6 ipv4 icmp4", 18);
	free(p);
	free(bad);
	vars_free(&vs);
}

/*
 * arp: who-has MN0's IPv4 home address, tell 198.51.100.99 (RFC 826).
 * Broadcast, EtherType 0x0806 and sha the tester's MAC by default; the
 * 42 octets are those of scapy 2.5's Ether(dst="ff:ff:ff:ff:ff:ff",
 * src="02:00:00:00:00:b0")/ARP(op=1, hwsrc="02:00:00:00:00:b0",
 * psrc="198.51.100.99", pdst="198.51.100.7").
 */
ATF_TC_WITHOUT_HEAD(build_arp);
ATF_TC_BODY(build_arp, tc)
{
	setup();
	vars_set(&vs, "nut.link0.mac", "02:00:00:00:01:01");
	golden("ARP request", "  arp spa=198.51.100.99 tpa=$mn0.v4hoa\n",
	    "ff ff ff ff ff ff  02 00 00 00 00 b0  08 06"	/* Ethernet */
	    "00 01  08 00  06 04  00 01"		/* Ethernet/IPv4, request */
	    "02 00 00 00 00 b0  c6 33 64 63"		/* sha spa */
	    "00 00 00 00 00 00  c6 33 64 07");		/* tha tpa */
	/* an ether line's src= is the sender; op as a number */
	golden("ARP request from CN4", "  ether src=02:00:00:00:00:c4\n"
	    "  arp op=1 spa=198.51.100.99 tpa=$mn0.v4hoa\n",
	    "ff ff ff ff ff ff  02 00 00 00 00 c4  08 06"
	    "00 01  08 00  06 04  00 01"
	    "02 00 00 00 00 c4  c6 33 64 63"
	    "00 00 00 00 00 00  c6 33 64 07");
	/* a unicast request: ether dst= is kept */
	golden("unicast ARP request", "  ether dst=$nut.link0.mac\n"
	    "  arp spa=198.51.100.99 tpa=198.51.100.1\n",
	    "02 00 00 00 01 01  02 00 00 00 00 b0  08 06"
	    "00 01  08 00  06 04  00 01"
	    "02 00 00 00 00 b0  c6 33 64 63"
	    "00 00 00 00 00 00  c6 33 64 01");
	/* a reply goes to the NUT's MAC; every field as given */
	golden("ARP reply", "  arp op=reply sha=02:00:00:00:00:c4 "
	    "spa=198.51.100.99 tha=$nut.link0.mac tpa=198.51.100.1\n",
	    "02 00 00 00 01 01  02 00 00 00 00 b0  08 06"
	    "00 01  08 00  06 04  00 02"
	    "02 00 00 00 00 c4  c6 33 64 63"
	    "02 00 00 00 01 01  c6 33 64 01");
	vars_free(&vs);
}

/*
 * The home agent's proxy ARP reply for MN0's IPv4 home address (RFC 5555
 * §4.5): every field given is judged, the others are wildcards; the short
 * form mip6dump prints is a pattern that matches it.
 */
ATF_TC_WITHOUT_HEAD(match_arp_reply);
ATF_TC_BODY(match_arp_reply, tc)
{
	char text[300], pat[320];
	struct sbuf sb;
	struct pkt *p;

	setup();
	vars_set(&vs, "nut.link0.mac", "02:00:00:00:01:01");
	vars_set(&vs, "cn4.mac", "02:00:00:00:00:c4");
	vars_set(&vs, "cn4.addr4", "198.51.100.99");
	p = decoded("  ether src=$nut.link0.mac dst=$cn4.mac\n"
	    "  arp op=reply sha=$nut.link0.mac spa=$mn0.v4hoa tha=$cn4.mac "
	    "tpa=$cn4.addr4\n");
	ATF_CHECK_EQ(p->viol.n, 0);
	ATF_REQUIRE_EQ(p->nhdr, 2);
	ATF_REQUIRE_EQ(p->h[1].kind, HDR_ARP);
	expect_match(p, "  arp op=reply sha=$nut.link0.mac spa=$mn0.v4hoa "
	    "tpa=$cn4.addr4\n", NULL, 0);
	expect_match(p, "  ether src=$nut.link0.mac type=0x0806\n"
	    "  arp op=2 tha=$cn4.mac\n", NULL, 0);
	expect_match(p, "  arp\n", NULL, 0);
	expect_match(p, "  arp op=reply spa=198.51.100.8 tpa=$cn4.addr4\n",
	    "arp field spa: expected 198.51.100.8 vs actual 198.51.100.7",
	    16);
	expect_match(p, "  arp op=request\n",
	    "arp field op: expected 1 vs actual 2", 16);
	expect_match(p, "  arp sha=02:00:00:00:00:a0\n",
	    "arp field sha: expected 02:00:00:00:00:a0 vs actual "
	    "02:00:00:00:01:01", 16);
	expect_match(p, "  ipv4\n", "layers: expected ipv4 vs actual arp",
	    16);
	/* "ARP op=reply sha=..." pasted as "arp op=reply sha=..." */
	sbuf_init(&sb, text, sizeof(text));
	pkt_print_short(&sb, p);
	ATF_REQUIRE_MATCH("^ARP op=reply ", sbuf_str(&sb));
	snprintf(pat, sizeof(pat), "  arp %s\n", sbuf_str(&sb) + 4);
	expect_match(p, pat, NULL, 0);
	free(p);
	vars_free(&vs);
}

ATF_TC_WITHOUT_HEAD(mismatch_messages);
ATF_TC_BODY(mismatch_messages, tc)
{
	struct pkt *ba, *bu;

	setup();
	ba = decoded(BA_PKT);
	bu = decoded(BU_PKT);
	expect_match(ba, "  ipv6\n  rh2\n  mh BA status=0\n",
	    "BA field status: expected 0 vs actual 133", 18);
	expect_match(ba, "  ipv6\n  rh2\n  mh BA lifetime<=200s\n",
	    "BA field lifetime: expected <= 200s vs actual 400s", 18);
	expect_match(ba, "  ipv6\n  rh2\n  mh BA status=oneof(0, 1)\n",
	    "BA field status: expected oneof(0, 1) vs actual 133", 18);
	expect_match(ba, "  ipv6\n  rh2\n  mh BA K\n",
	    "BA flag K: expected set vs actual clear", 18);
	expect_match(bu, "  ipv6\n  mh BU !A\n",
	    "BU flag A: expected clear vs actual set", 17);
	expect_match(ba, "  ipv6\n  rh2\n  mh BA bra=100s\n",
	    "BA option bra: expected 100s vs actual 200s", 18);
	expect_match(ba, "  ipv6\n  rh2\n  mh BA !bra\n",
	    "BA option bra: expected absent vs actual present", 18);
	expect_match(ba, "  ipv6\n  rh2\n  mh BA v4ack=*\n",
	    "BA option v4ack: expected present vs actual absent", 18);
	expect_match(bu, "  ipv6\n  mh BU acoa=2001:db8::1\n",
	    "BU option acoa: expected 2001:db8::1 vs actual 2001:db8:2::b0",
	    17);
	expect_match(bu, "  ipv6\n  mh BU hoa=2001:db8:1::b1\n",
	    "BU field hoa: expected 2001:db8:1::b1 vs actual 2001:db8:1::b0",
	    17);
	expect_match(bu, "  ipv6 hlim!=255\n  mh BU\n",
	    "ipv6 field hlim: expected != 255 vs actual 255", 16);
	expect_match(bu, "  ipv6\n  mh BU seq=$seq+1\n",
	    "BU field seq: expected 101 vs actual 100", 17);
	expect_match(bu, "  ipv6\n  mh BA\n",
	    "MH type: expected BA vs actual BU", 17);
	/* an unlisted RH2 or HAO header before the message is fine ... */
	expect_match(ba, "  ipv6\n  mh BA\n", NULL, 0);
	/* ... unless the line says it must be absent */
	expect_match(ba, "  ipv6\n  mh BA !rh2\n",
	    "BA field rh2: expected absent vs actual present", 17);
	expect_match(ba, "  ipv6\n  dstopt\n  mh BA\n",
	    "layers: expected ipv6 dstopt mh vs actual ipv6 rh2 mh", 17);
	expect_match(ba, "  ipv6\n  rh2\n  mh BA\n  udp\n",
	    "layers: expected ipv6 rh2 mh udp vs actual ipv6 rh2 mh", 19);
	expect_match(bu, "  ipv6\n  icmp6 echo-reply\n",
	    "layers: expected ipv6 icmp6 vs actual ipv6 hao mh", 17);
	free(ba);
	free(bu);
	vars_free(&vs);
}

ATF_TC_WITHOUT_HEAD(captures_scores_and_errors);
ATF_TC_BODY(captures_scores_and_errors, tc)
{
	struct mcase *c;
	struct match_res m, m2;
	struct pkt *ba, *bu;

	setup();
	ba = decoded(BA_PKT);
	bu = decoded(BU_PKT);
	c = one("expect", "  ipv6 src=?ha\n  rh2\n  mh BA seq=?s lifetime=?l "
	    "bra=?b\n");
	tmpl_match(&c->tmpls[0], &vs, ba, &m);
	ATF_REQUIRE(m.matched);
	ATF_REQUIRE_EQ(m.ncap, 4);
	ATF_CHECK_STREQ(m.cap[0].name, "ha");
	ATF_CHECK_STREQ(m.cap[0].val, "2001:db8:1::1");
	ATF_CHECK_STREQ(m.cap[1].val, "100");
	ATF_CHECK_STREQ(m.cap[2].val, "400");	/* bare number: reusable */
	ATF_CHECK_STREQ(m.cap[3].val, "200");
	/* the closer packet scores higher */
	case_free(c);
	c = one("expect", "  ipv6\n  rh2\n  mh BA status=0 seq=100 "
	    "lifetime=400s\n");
	tmpl_match(&c->tmpls[0], &vs, ba, &m);
	tmpl_match(&c->tmpls[0], &vs, bu, &m2);
	ATF_CHECK(!m.matched && m.shape && !m.fields);
	ATF_CHECK(!m2.matched && !m2.shape);
	ATF_CHECK_EQ(m.score, 3 + 100 + 2);
	ATF_CHECK(m.score > m2.score);
	case_free(c);
	/* an unknown variable is an error of the case, not a mismatch */
	c = one("expect", "  ipv6\n  rh2\n  mh BA seq=$nope\n");
	tmpl_match(&c->tmpls[0], &vs, ba, &m);
	ATF_CHECK(m.error && !m.matched);
	ATF_CHECK_STREQ(m.why, "unknown variable $nope");
	ATF_CHECK_EQ(m.line, 18);
	case_free(c);
	free(ba);
	free(bu);
	vars_free(&vs);
}

ATF_TC_WITHOUT_HEAD(strict_validation);
ATF_TC_BODY(strict_validation, tc)
{
	struct mcase *c;
	struct match_res m;
	struct pkt *bad;

	setup();
	/* a BU whose MH checksum is wrong matches every field but fails */
	bad = decoded("  ipv6 src=$mn0.coa dst=$nut.addr\n"
	    "  mh BU seq=1 checksum=0xdead hoa=$mn0.hoa\n");
	c = one("expect", "  ipv6\n  mh BU seq=1 hoa=$mn0.hoa\n");
	tmpl_match(&c->tmpls[0], &vs, bad, &m);
	ATF_CHECK(!m.matched && m.fields && m.invalid);
	ATF_CHECK_STREQ(m.why, "MH checksum 0xdead, expected 0x623f "
	    "[mh-checksum, RFC 6275 §6.1.1] at offset 82");
	case_free(c);
	c = one("expect", "  ipv6\n  mh BU seq=1\n  allow mh-checksum\n");
	tmpl_match(&c->tmpls[0], &vs, bad, &m);
	ATF_CHECK_MSG(m.matched, "%s", m.why);
	case_free(c);
	c = one("expect", "  ipv6\n  mh BU seq=1\n  allow all\n");
	tmpl_match(&c->tmpls[0], &vs, bad, &m);
	ATF_CHECK(m.matched);
	case_free(c);
	free(bad);
	vars_free(&vs);
}

ATF_TC_WITHOUT_HEAD(printing);
ATF_TC_BODY(printing, tc)
{
	struct mcase *c;
	char buf[600];
	struct sbuf sb;

	setup();
	c = one("expect", "  ipv6 src=$nut.addr\n  rh2 $mn0.hoa\n"
	    "  mh BA status=oneof(0,1) seq=$seq+1 lifetime<=400s !K "
	    "bra=* seq=?s lifetime=$nope\n");
	sbuf_init(&sb, buf, sizeof(buf));
	tmpl_fmt_line(&c->tmpls[0], &vs, &sb);
	ATF_CHECK_STREQ(buf, "ipv6 src=2001:db8:1::1 | rh2 2001:db8:1::b0 | "
	    "mh BA status=oneof(0,1) seq=101 lifetime<=400s !K bra=* seq=?s "
	    "lifetime=$nope");
	sbuf_init(&sb, buf, sizeof(buf));
	tmpl_fmt_verbose(&c->tmpls[0], NULL, &sb, 2);
	ATF_CHECK_STREQ(buf, "  ipv6 src=$nut.addr\n  rh2 $mn0.hoa\n"
	    "  mh BA status=oneof(0,1) seq=$seq+1 lifetime<=400s !K bra=* "
	    "seq=?s lifetime=$nope\n");
	case_free(c);
	vars_free(&vs);
}

/*
 * tokens=: a sent BU's Binding Authorization Data is signed with the Kbm of
 * the keygen tokens (checked here with packets/rr.h on its own: Kbm =
 * SHA1(home | care-of), authenticator over CoA | CN | MH, RFC 6275
 * §5.2.5-§5.2.6) and the MH checksum is right; a pattern with the same
 * tokens matches it, other tokens do not, and without the frame it is an
 * error.  A BA signed with the de-registration form (home token only) is
 * covered by CoA = its destination, CN = its source.
 */
#define HTOK	"0102030405060708"
#define CTOK	"1112131415161718"

static size_t
encode_signed(const char *body, uint8_t *buf, size_t cap, struct pkt *p)
{
	struct mcase *c = one("packet", body);
	char err[300];
	size_t len = 0;

	ATF_REQUIRE_MSG(tmpl_encode(&c->tmpls[0], &vs, &link0, p, buf, cap,
	    &len, err, sizeof(err)) == 0, "%s", err);
	case_free(c);
	pkt_decode(p, PKT_LINK_ETHER, buf, len);
	ATF_REQUIRE_EQ_MSG(p->viol.n, 0, "the signed packet is not valid");
	return len;
}

static int
verify_with(const uint8_t *buf, const struct pkt *p, const uint8_t *careof,
    const char *coa, const char *cn)
{
	static const uint8_t home[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	const struct hdr *mh = pkt_find(p, HDR_MH);
	struct in6_addr a, b;
	uint8_t kbm[RR_KBM_LEN];

	ATF_REQUIRE(mh != NULL);
	ATF_REQUIRE(rr_kbm(home, careof, kbm) == 0);
	inet_pton(AF_INET6, coa, &a);
	inet_pton(AF_INET6, cn, &b);
	return rr_verify_mh(buf + mh->off, p->mh.len, kbm, &a, &b);
}

static void
match_frame(const char *body, const uint8_t *buf, size_t len,
    const struct pkt *p, struct match_res *m)
{
	struct mcase *c = one("expect", body);

	tmpl_match_frame(&c->tmpls[0], &vs, p, buf, len, m);
	case_free(c);
}

ATF_TC_WITHOUT_HEAD(tokens_sign_and_verify);
ATF_TC_BODY(tokens_sign_and_verify, tc)
{
	static const uint8_t careof[8] = { 0x11, 0x12, 0x13, 0x14, 0x15,
	    0x16, 0x17, 0x18 };
	struct pkt *p = malloc(sizeof(*p));
	struct match_res m;
	struct mcase *c;
	uint8_t buf[600];
	size_t len;

	setup();
	len = encode_signed("  ipv6 src=$mn0.coa dst=$nut.addr\n"
	    "  mh BU seq=7 A lifetime=400s hoa=$mn0.hoa ni=3/4 "
	    "tokens=" HTOK "/" CTOK "\n", buf, sizeof(buf), p);
	ATF_CHECK_EQ(p->mh.nopts > 0 ? p->mh.opts[p->mh.nopts - 1].type : 0,
	    MHOPT_BAD);
	ATF_CHECK_EQ(verify_with(buf, p, careof, "2001:db8:2::b0",
	    "2001:db8:1::1"), 1);
	ATF_CHECK_EQ(verify_with(buf, p, careof, "2001:db8:1::b0",
	    "2001:db8:1::1"), 0);	/* the HoA is not what is covered */

	match_frame("  ipv6\n  mh BU seq=7 ni=3/4 tokens=" HTOK "/" CTOK "\n", buf,
	    len, p, &m);
	ATF_CHECK_MSG(m.matched, "%s", m.why);
	match_frame("  ipv6\n  mh BU tokens=" HTOK "/" HTOK "\n", buf, len, p, &m);
	ATF_CHECK(!m.matched && m.shape && !m.fields && !m.error);
	ATF_CHECK_MSG(strstr(m.why, "BU Binding Authorization Data: expected "
	    "an authenticator made with the Kbm of tokens " HTOK "/" HTOK)
	    != NULL, "%s", m.why);
	c = one("expect", "  ipv6\n  mh BU tokens=" HTOK "/" CTOK "\n");
	tmpl_match(&c->tmpls[0], &vs, p, &m);
	ATF_CHECK(m.error);
	ATF_CHECK_STREQ(m.why, "tokens= needs the received frame");
	case_free(c);

	/* A BA in the de-registration form, to the care-of address. */
	len = encode_signed("  ipv6 src=$nut.addr dst=$mn0.coa\n"
	    "  mh BA status=0 seq=7 lifetime=0s rh2=$mn0.hoa tokens=" HTOK
	    "\n", buf, sizeof(buf), p);
	ATF_CHECK_EQ(verify_with(buf, p, NULL, "2001:db8:2::b0",
	    "2001:db8:1::1"), 1);
	match_frame("  ipv6\n  mh BA tokens=" HTOK "\n", buf, len, p, &m);
	ATF_CHECK_MSG(m.matched, "%s", m.why);
	free(p);
}

/* The address of an `rh2 ADDR` / `hao ADDR` pattern line is judged. */
ATF_TC_WITHOUT_HEAD(match_word_address);
ATF_TC_BODY(match_word_address, tc)
{
	struct pkt *p = malloc(sizeof(*p));
	struct match_res m;
	uint8_t buf[600];
	size_t len;

	setup();
	len = encode_signed("  ipv6 src=$nut.addr dst=$mn0.coa\n"
	    "  rh2 $mn0.hoa\n  mh BA status=0 seq=7\n", buf, sizeof(buf), p);
	match_frame("  ipv6\n  rh2 2001:db8:1::b0\n  mh BA\n", buf, len, p,
	    &m);
	ATF_CHECK_MSG(m.matched, "%s", m.why);
	match_frame("  ipv6\n  rh2 2001:db8:1::b1\n  mh BA\n", buf, len, p,
	    &m);
	ATF_CHECK(!m.matched && m.shape && !m.error);
	ATF_CHECK_STREQ(m.why, "rh2 field addr: expected 2001:db8:1::b1 vs "
	    "actual 2001:db8:1::b0");
	len = encode_signed("  ipv6 src=$mn0.coa dst=$nut.addr\n"
	    "  hao $mn0.hoa\n  icmp6 echo-request id=1\n", buf, sizeof(buf), p);
	match_frame("  ipv6\n  hao $mn0.hoa\n  icmp6 echo-request\n", buf, len,
	    p, &m);
	ATF_CHECK_MSG(m.matched, "%s", m.why);
	match_frame("  ipv6\n  hao $nut.addr\n  icmp6 echo-request\n", buf, len,
	    p, &m);
	ATF_CHECK(!m.matched && !m.error);
	free(p);
}

/* ------------------------------------------------------------------ ESP */

/* The SAs as nut_vars sets them from `sa` lines: AES-CBC key 01..10 and
   3DES-CBC key 01..18, HMAC-SHA1-96 key 21..34. */
#define SA_AES	"0x1000:aes-cbc:0x0102030405060708090a0b0c0d0e0f10:"	\
	"hmac-sha1:0x2122232425262728292a2b2c2d2e2f3031323334"
#define SA_3DES	"0x1001:3des-cbc:0x0102030405060708090a0b0c0d0e0f10"	\
	"1112131415161718:hmac-sha1:0x2122232425262728292a2b2c2d2e2f3031323334"

#define ESP_BU(sa, iv)							\
	"  ipv6 src=$mn0.coa dst=$nut.addr\n"				\
	"  esp sa=" sa " iv=" iv "\n"					\
	"  mh BU seq=$seq A H lifetime=400s hoa=$mn0.hoa\n"
#define IV16	"a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"

/* The unprotected BU of build_bu_with_home_address_option, IPv6 on. */
#define BU_HAO_PLAIN							\
	"3b 01 05 00  a1 77  00 64  c0 00  00 64  01 02 00 00"

static void
esp_setup(void)
{
	setup();
	vars_set(&vs, "sa.mn_to_ha", SA_AES);
	vars_set(&vs, "sa.mn_to_ha.spi", "0x1000");
	vars_set(&vs, "sa.mn_3des", SA_3DES);
}

/*
 * The layers after `esp` are sealed, the HAO header stays in front of ESP
 * (RFC 3776 §3.1): the bytes are scapy 2.5's SecurityAssociation(ESP,
 * spi=0x1000, crypt_algo='AES-CBC', auth_algo='HMAC-SHA1-96')
 * .encrypt(the BU of build_bu_with_home_address_option, seq_num=1,
 * iv=a0..af), and 3DES-CBC (spi 0x1001, iv a0..a7) likewise.
 */
ATF_TC_WITHOUT_HEAD(build_esp_bu_as_scapy);
ATF_TC_BODY(build_esp_bu_as_scapy, tc)
{
	esp_setup();
	golden("ESP BU (AES-CBC)", ESP_BU("mn_to_ha", IV16),
	    "02 00 00 00 01 01  02 00 00 00 00 b0  86 dd"
	    "60 00 00 00  00 5c  3c  40"			/* IPv6, 92 */
	    "20 01 0d b8 00 02 00 00 00 00 00 00 00 00 00 b0"
	    "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 01"
	    "32 02  01 02 00 00  c9 10"				/* HAO, nh ESP */
	    "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 b0"
	    "00 00 10 00  00 00 00 01"				/* SPI, seq 1 */
	    IV16
	    "f14bdeffdb164daf5bd24b314b32ff3ac23ac3af8719765f96ef7be8aef26073"
	    "1cddad49f449f005fe9b36d8");			/* ICV */
	golden("ESP BU (3DES-CBC)", ESP_BU("mn_3des", "a0a1a2a3a4a5a6a7"),
	    "02 00 00 00 01 01  02 00 00 00 00 b0  86 dd"
	    "60 00 00 00  00 4c  3c  40"
	    "20 01 0d b8 00 02 00 00 00 00 00 00 00 00 00 b0"
	    "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 01"
	    "32 02  01 02 00 00  c9 10"
	    "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 b0"
	    "00 00 10 01  00 00 00 01  a0a1a2a3a4a5a6a7"
	    "3598a9697249563899d70649435efd6f66e399163d9a291d0b2d82c4e8223c70"
	    "28963ec7");
	vars_free(&vs);
}

/* esp_open (packets/esp.c) opens the body to the unprotected BU's MH;
   the sequence number goes up per SA per run unless seq= is given. */
ATF_TC_WITHOUT_HEAD(build_esp_opens_and_counts);
ATF_TC_BODY(build_esp_opens_and_counts, tc)
{
	struct mcase *c;
	struct esp_sa sa;
	uint8_t buf[600], plain[600], want[64], nh = 0;
	size_t n, pn = 0, wn = tu_hex(BU_HAO_PLAIN, want, sizeof(want));
	uint32_t seq = 0;

	esp_setup();
	ATF_REQUIRE(pkt_esp_sa_parse(SA_AES, &sa) == NULL);
	n = build("  ipv6 src=$mn0.coa dst=$nut.addr\n  esp sa=mn_to_ha\n"
	    "  mh BU seq=$seq A H lifetime=400s hoa=$mn0.hoa\n", buf,
	    sizeof(buf));
	/* Ethernet 14, IPv6 40, HAO header 24: ESP at 78 */
	ATF_REQUIRE(n > 78);
	ATF_REQUIRE_EQ(esp_open(&sa, buf + 78, n - 78, plain, sizeof(plain),
	    &pn, &nh, &seq), ESP_OK);
	tu_bytes_eq("inner MH", plain, pn, want, wn);
	ATF_CHECK_EQ(nh, 135);
	ATF_CHECK_EQ(seq, 1u);
	/* after the send: 2, then seq=7 as given, then 8 */
	c = one("packet", "  ipv6\n  esp sa=mn_to_ha\n  mh BU\n");
	tmpl_esp_sent(&c->tmpls[0], &vs);
	ATF_CHECK_STREQ(vars_get(&vs, "sa.mn_to_ha.seq"), "1");
	tmpl_esp_sent(&c->tmpls[0], &vs);
	ATF_CHECK_STREQ(vars_get(&vs, "sa.mn_to_ha.seq"), "2");
	case_free(c);
	c = one("packet", "  ipv6\n  esp sa=mn_to_ha seq=7\n  mh BU\n");
	tmpl_esp_sent(&c->tmpls[0], &vs);
	ATF_CHECK_STREQ(vars_get(&vs, "sa.mn_to_ha.seq"), "7");
	case_free(c);
	n = build("  ipv6 src=$mn0.coa dst=$nut.addr\n  esp sa=mn_to_ha\n"
	    "  mh BU seq=$seq A H lifetime=400s hoa=$mn0.hoa\n", buf,
	    sizeof(buf));
	ATF_CHECK_EQ(buf[78 + 7], 8);
	/* a BA's rh2= goes in front of ESP too (RFC 3776 §3.1): IPv6
	   announces the RH2, the RH2 ESP, the SPI follows at 78 */
	n = build("  ipv6 src=$nut.addr dst=$mn0.coa\n  esp sa=mn_to_ha\n"
	    "  mh BA status=0 seq=$seq lifetime=400s rh2=$mn0.hoa\n", buf,
	    sizeof(buf));
	ATF_CHECK_EQ(buf[14 + 6], 43);
	ATF_CHECK_EQ(buf[54], 50);
	ATF_CHECK_EQ(buf[54 + 2], 2);
	ATF_CHECK(buf[78] == 0 && buf[79] == 0 && buf[80] == 0x10 &&
	    buf[81] == 0);
	/* spi= sends another SPI (sealed with the SA's keys) */
	n = build("  ipv6\n  esp sa=mn_to_ha spi=0x2000\n  mh BU\n", buf,
	    sizeof(buf));
	ATF_CHECK_EQ(buf[54 + 2], 0x20);
	vars_free(&vs);
}

/* A frame built from `body`, decoded with the keys of SA_AES. */
static struct pkt *
decoded_keys(const char *body)
{
	struct pkt *p = malloc(sizeof(*p));
	struct esp_sa sa;
	struct pkt_esp_keys k = { &sa, 1 };
	uint8_t buf[600];
	size_t n = build(body, buf, sizeof(buf));

	ATF_REQUIRE(pkt_esp_sa_parse(SA_AES, &sa) == NULL);
	pkt_decode_keys(p, PKT_LINK_ETHER, buf, n, n, &k);
	return p;
}

/*
 * esp sa=NAME in a pattern: the ESP the decoder opened with that SA; the
 * HAO header in front of ESP is the mh line's hoa=.  A forged ICV, an
 * unprotected BU and another SA fail with what differs; spi= alone
 * matches without opening (RFC 4303 §3.4.2 names the SA by SPI).
 */
ATF_TC_WITHOUT_HEAD(match_esp);
ATF_TC_BODY(match_esp, tc)
{
	struct pkt *ok, *bad, *plain;

	esp_setup();
	ok = decoded_keys(ESP_BU("mn_to_ha", IV16));
	bad = decoded_keys("  ipv6 src=$mn0.coa dst=$nut.addr\n"
	    "  esp sa=mn_to_ha icv=bad\n"
	    "  mh BU seq=$seq A H lifetime=400s hoa=$mn0.hoa\n");
	plain = decoded_keys("  ipv6 src=$mn0.coa dst=$nut.addr\n"
	    "  mh BU seq=$seq A H lifetime=400s hoa=$mn0.hoa\n");
	ATF_REQUIRE_EQ(ok->nhdr, 5);
	ATF_CHECK(ok->h[3].u.ipsec.opened);
	ATF_CHECK_EQ(ok->viol.n, 0);
	expect_match(ok, "  ipv6 src=$mn0.coa dst=$nut.addr\n"
	    "  esp sa=mn_to_ha seq=1\n"
	    "  mh BU A H seq=$seq hoa=$mn0.hoa\n", NULL, 0);
	expect_match(ok, "  ipv6\n  hao $mn0.hoa\n  esp sa=mn_to_ha\n"
	    "  mh BU\n", NULL, 0);
	expect_match(ok, "  ipv6\n  esp spi=$sa.mn_to_ha.spi\n  mh BU\n",
	    NULL, 0);
	/* a last esp line takes what ESP protects, opened or not */
	expect_match(ok, "  ipv6\n  esp spi=0x1000\n", NULL, 0);
	expect_match(ok, "  ipv6\n  esp sa=mn_to_ha\n", NULL, 0);
	expect_match(ok, "  ipv6\n  esp sa=mn_3des\n  mh BU\n",
	    "esp sa: expected SA mn_3des (spi 0x1001) vs actual spi 0x1000",
	    17);
	expect_match(ok, "  ipv6\n  esp sa=mn_to_ha seq=2\n  mh BU\n",
	    "esp field seq: expected 2 vs actual 1", 17);
	/* the forged one is not opened: its body stays opaque */
	ATF_REQUIRE_EQ(bad->nhdr, 5);
	ATF_CHECK(!bad->h[3].u.ipsec.opened);
	ATF_CHECK_EQ(bad->h[4].kind, HDR_DATA);
	expect_match(bad, "  ipv6\n  esp sa=mn_to_ha\n",
	    "esp sa: expected opened with SA mn_to_ha vs actual not opened: "
	    "integrity check value does not match", 17);
	expect_match(bad, "  ipv6\n  esp sa=mn_to_ha\n  mh BU\n",
	    "layers: expected ipv6 esp mh vs actual ipv6 hao esp data (ESP "
	    "not opened: integrity check value does not match)", 18);
	expect_match(bad, "  ipv6\n  esp spi=0x1000\n",
	    "ESP with SPI 4096 not opened with its SA: integrity check value "
	    "does not match [esp-open, RFC 4303 §3.4] at offset 78", 15);
	expect_match(bad, "  ipv6\n  esp spi=0x1000\n  allow esp-open\n",
	    NULL, 0);
	expect_match(bad, "  ipv6\n  esp !opened\n  allow esp-open\n",
	    NULL, 0);
	expect_match(ok, "  ipv6\n  esp opened\n", NULL, 0);
	expect_match(ok, "  ipv6\n  esp !opened\n",
	    "esp flag opened: expected clear vs actual set", 17);
	/* RFC 3776 §4.2: a BU without ESP does not match */
	expect_match(plain, "  ipv6\n  esp sa=mn_to_ha\n  mh BU\n",
	    "layers: expected ipv6 esp mh vs actual ipv6 hao mh", 17);
	free(ok);
	free(bad);
	free(plain);
	vars_free(&vs);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, tokens_sign_and_verify);
	ATF_TP_ADD_TC(tp, match_word_address);
	ATF_TP_ADD_TC(tp, build_dsmip_udp_encapsulated_bu);
	ATF_TP_ADD_TC(tp, match_dsmip_stacks);
	ATF_TP_ADD_TC(tp, build_bu_with_home_address_option);
	ATF_TP_ADD_TC(tp, build_ba_with_type2_routing_header);
	ATF_TP_ADD_TC(tp, build_overrides_craft_malformed_packets);
	ATF_TP_ADD_TC(tp, build_icmp6_with_hao_layer);
	ATF_TP_ADD_TC(tp, build_errors);
	ATF_TP_ADD_TC(tp, match_operators);
	ATF_TP_ADD_TC(tp, mismatch_messages);
	ATF_TP_ADD_TC(tp, captures_scores_and_errors);
	ATF_TP_ADD_TC(tp, strict_validation);
	ATF_TP_ADD_TC(tp, printing);
	ATF_TP_ADD_TC(tp, build_icmp4_echo);
	ATF_TP_ADD_TC(tp, match_icmp4_in_ipv6);
	ATF_TP_ADD_TC(tp, build_arp);
	ATF_TP_ADD_TC(tp, match_arp_reply);
	ATF_TP_ADD_TC(tp, build_esp_bu_as_scapy);
	ATF_TP_ADD_TC(tp, build_esp_opens_and_counts);
	ATF_TP_ADD_TC(tp, match_esp);
	return atf_no_error();
}
