/*
 * pkt_test.c - whole packets: the link layers, IPv4 and UDP, the Mobile
 * IPv6 signalling packets with their HAO/RH2 pseudo-header rules, the
 * DSMIPv6 encapsulations (RFC 5555 §4.1), ICMPv4 echo (RFC 792), ARP
 * requests and replies after Ethernet and Linux cooked headers (RFC 826), the
 * encoder's computed fields and keep bits, the printers (short, verbose,
 * JSON, violations), the lookups, ESP sealed by the encoder and opened
 * by the decoder given the SA (RFC 4303), and a negative test for every
 * link/IPv4/UDP/placement violation (exact code and offset).  Goldens:
 * scapy 2.5 built them; the MH octets are those of wire-formats.md §8.1
 * (#1, #2, #3, #19).
 */
#include <arpa/inet.h>
#include <atf-c.h>
#include <string.h>

#include "packets/cksum.h"
#include "packets/pkt.h"
#include "pkt_testlib.h"

static struct pkt p;
static uint8_t buf[TH_MAXPKT];
static size_t len;

#define IP6(plen, nh, src, dst)	"60000000" plen nh "40" src dst
#define DSTOPT_HAO(nh)	nh "02" "01020000" "c910" A_HOA	/* RFC 6275 §6.3 */
#define RH2(nh)		nh "02" "02" "01" "00000000" A_HOA /* RFC 6275 §6.4 */

#define V4_COA	"c000020a"	/* 192.0.2.10 */
#define V4_HA	"c6336401"	/* 198.51.100.1 */
#define V4_HOA	"cb007107"	/* 203.0.113.7 */
#define V4_PEER	"c6336409"	/* 198.51.100.9 */

/* IPv4 header (RFC 791 §3.1) without options. */
#define IP4(tot, id, ttl, proto, cksum, src, dst)			\
	"45" "00" tot id "0000" ttl proto cksum src dst

/* #1: BU (A H K, seq 4660, lifetime 100) + Alt-CoA, from the CoA with a
 * HAO; the MH checksum 0x4c7c uses the HoA (RFC 6275 §6.1.1). */
#define MH_BU1	"3b0305004c7c1234d0000064"				\
	"0100031020010db8000200000000000000000200"
#define BU_HAO	IP6("0038", "3c", A_COA, A_HA) DSTOPT_HAO("87") MH_BU1

/* #2: BA (status 0, K, seq 4660, lifetime 100) + BRA 50, with an RH2. */
#define BA_RH2	IP6("0028", "2b", A_HA, A_COA) RH2("87")		\
	"3b0106004ca600801234006402020032"

/* #3: HoTI reverse-tunnelled through the HA (IPv6-in-IPv6). */
#define HOTI_TUN							\
	IP6("0038", "29", A_COA, A_HA)					\
	IP6("0010", "87", A_HOA, A_CN)					\
	"3b01010056d800000102030405060708"

/* #19: IPv4 / UDP 4191 / IPv6 (HoA > HA) / BU + IPv4 HoA + IPv4 CoA. */
#define BU_UDP4191							\
	IP4("0064", "1234", "40", "11", "7c16", V4_COA, V4_HA)		\
	"1388" "105f" "0050" "086e"	/* UDP 5000 > 4191, len 80 */	\
	IP6("0020", "87", A_HOA, A_HA)					\
	"3b030500f4380021d00000641d066200cb00710720060000c000020a01020000"

#define UDP53_4	"1388" "0035" "000c" "85d4" "00000000"	/* 5000 > 53 */

#define IP4_IN_IP6							\
	IP6("0020", "04", A_COA, A_HA)					\
	IP4("0020", "0007", "3f", "11", "1582", V4_HOA, V4_PEER) UDP53_4

#define IP6_IN_IP4							\
	IP4("0044", "0009", "40", "29", "8e49", V4_COA, V4_HA)		\
	IP6("0008", "3a", A_HOA, A_CN) "8000233f00010002"

#define IP4_UDP4191_IP4							\
	IP4("003c", "000a", "40", "11", "8e68", V4_COA, V4_HA)		\
	"1388" "105f" "0028" "55da"					\
	IP4("0020", "000b", "40", "11", "147e", V4_HOA, V4_PEER) UDP53_4

/* RFC 6275 §6.7: the MPS goes with a HAO; checksum over the HoA. */
#define MPS_HAO	IP6("0020", "3c", A_COA, A_HA) DSTOPT_HAO("3a")	\
	"92" "00" "1145" "0003" "0000"

#define IP4_UDP								\
	IP4("0028", "0001", "40", "11", "8e85", V4_COA, V4_HA)		\
	"1388" "0035" "0014" "ffc9" "000000000000000000000000"

#define ETH(type)	"00005e005302" "00005e005301" type
#define ECHO6	IP6("0008", "3a", A_COA, A_CN) "8000233e00010002"

static void
fix_ip4_cksum(size_t off)
{
	uint16_t c;

	buf[off + 10] = buf[off + 11] = 0;
	c = cksum_plain(buf + off, (size_t)(buf[off] & 0xf) * 4, 10);
	buf[off + 10] = (uint8_t)(c >> 8);
	buf[off + 11] = (uint8_t)c;
}

static void
redecode(enum pkt_link link)
{
	pkt_decode(&p, link, buf, len);
}

/* ------------------------------------------- Mobile IPv6 signalling */

ATF_TC_WITHOUT_HEAD(bu_with_hao);
ATF_TC_BODY(bu_with_hao, tc)
{
	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_RAW, BU_HAO, buf, &len), 0);
	th_no_viols(&p);
	ATF_REQUIRE_EQ(p.nhdr, 3);
	ATF_CHECK(p.has_mh);
	ATF_CHECK(!p.has_icmp6);
	ATF_CHECK_EQ(p.h[2].kind, HDR_MH);
	ATF_CHECK_EQ(p.h[2].off, 64);
	ATF_CHECK_EQ(p.h[2].len, 32);
	ATF_CHECK_EQ(p.mh.type, MH_BU);
	ATF_CHECK_EQ(p.mh.u.bu.seq, 4660);
	th_in6_eq(pkt_hao(&p), "2001:db8:1::100");
	ATF_CHECK_STREQ(pkt_encap_name(&p), "");
	th_roundtrip(&p, buf, len);
	th_short(&p, "2001:db8:2::100 > 2001:db8:1::1: BU seq=4660 A H K "
	    "lifetime=400s hoa=2001:db8:1::100 acoa=2001:db8:2::200");
}

/* The same BU with its MH checksum computed over the CoA instead. */
ATF_TC_WITHOUT_HEAD(bu_checksum_over_coa_is_wrong);
ATF_TC_BODY(bu_checksum_over_coa_is_wrong, tc)
{
	struct in6_addr coa = tu_in6("2001:db8:2::100");
	struct in6_addr ha = tu_in6("2001:db8:1::1");
	uint16_t c;

	th_decode(&p, PKT_LINK_RAW, BU_HAO, buf, &len);
	c = cksum_upper6(&coa, &ha, 135, buf + 64, 32, 4);
	ATF_REQUIRE(c != 0x4c7c);
	buf[68] = (uint8_t)(c >> 8);
	buf[69] = (uint8_t)c;
	redecode(PKT_LINK_RAW);
	TH_VIOLS(&p, { V_MH_CHECKSUM, 68 });
	th_viol_args(&p, 0, c, 0x4c7c, NULL);
}

ATF_TC_WITHOUT_HEAD(ba_with_rh2);
ATF_TC_BODY(ba_with_rh2, tc)
{
	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_RAW, BA_RH2, buf, &len), 0);
	th_no_viols(&p);
	ATF_CHECK_EQ(p.mh.type, MH_BA);
	th_in6_eq(pkt_rh2(&p), "2001:db8:1::100");
	th_roundtrip(&p, buf, len);
	th_short(&p, "2001:db8:1::1 > 2001:db8:2::100: BA status=0 K seq=4660 "
	    "lifetime=400s rh2=2001:db8:1::100 bra=200s");
}

ATF_TC_WITHOUT_HEAD(hoti_tunnelled);
ATF_TC_BODY(hoti_tunnelled, tc)
{
	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_RAW, HOTI_TUN, buf, &len), 0);
	th_no_viols(&p);
	ATF_REQUIRE_EQ(p.nhdr, 3);
	ATF_CHECK_EQ(p.h[1].kind, HDR_IPV6);
	th_in6_eq(&pkt_inner_ip6(&p)->src, "2001:db8:1::100");
	ATF_CHECK_STREQ(pkt_encap_name(&p), "ip6ip6");
	ATF_CHECK_EQ(p.mh.type, MH_HOTI);
	th_roundtrip(&p, buf, len);
	th_short(&p, "2001:db8:2::100 > 2001:db8:1::1: IP6 | 2001:db8:1::100 > "
	    "2001:db8:3::5: HoTI cookie=0102030405060708");
}

/* RFC 6275 §6.1: only a BU may carry a HAO, only a BA an RH2. */
ATF_TC_WITHOUT_HEAD(hao_and_rh2_not_allowed);
ATF_TC_BODY(hao_and_rh2_not_allowed, tc)
{
	struct in6_addr hoa = tu_in6("2001:db8:1::100");
	struct hdr *h;

	pkt_init(&p, PKT_LINK_RAW);
	h = pkt_push(&p, HDR_IPV6);
	h->u.ip6.src = tu_in6("2001:db8:2::100");
	h->u.ip6.dst = tu_in6("2001:db8:3::5");
	pkt_push_hao(&p, &hoa);
	pkt_push_mh(&p, MH_HOTI);
	ATF_REQUIRE_EQ(pkt_encode(&p, buf, sizeof(buf), &len), 0);
	redecode(PKT_LINK_RAW);
	TH_VIOLS(&p, { V_HAO_NOT_ALLOWED, 46 });
	th_viol_args(&p, 0, MH_HOTI, 0, "HoTI");

	pkt_init(&p, PKT_LINK_RAW);
	h = pkt_push(&p, HDR_IPV6);
	h->u.ip6.src = tu_in6("2001:db8:1::1");
	h->u.ip6.dst = tu_in6("2001:db8:2::100");
	pkt_push_rh2(&p, &hoa);
	pkt_push_mh(&p, MH_BRR);
	ATF_REQUIRE_EQ(pkt_encode(&p, buf, sizeof(buf), &len), 0);
	redecode(PKT_LINK_RAW);
	/* the one rule for a BRR with RH2 (viol.c): a warning, which a
	   receiver need not drop on; other messages: an error */
	TH_VIOLS(&p, { V_RH2_ON_BRR, 40 });
	th_viol_args(&p, 0, MH_BRR, 0, "BRR");
	ATF_CHECK_EQ(viol_severity(V_RH2_ON_BRR), VS_WARN);
	ATF_CHECK_EQ(viol_count_severity(&p.viol, VS_ERROR), 0);
	ATF_CHECK_STREQ(viol_name(V_RH2_ON_BRR), "rh2-on-brr");
	ATF_CHECK_EQ(viol_severity(V_RH2_NOT_ALLOWED), VS_ERROR);
}

/* Octets inside the IPv6 payload after the MH's Header Len. */
ATF_TC_WITHOUT_HEAD(trailing_after_mh);
ATF_TC_BODY(trailing_after_mh, tc)
{
	th_decode(&p, PKT_LINK_RAW, IP6("0030", "2b", A_HA, A_COA) RH2("87")
	    "3b0106004ca600801234006402020032" "0000000000000000", buf, &len);
	TH_VIOLS(&p, { V_TRAILING_BYTES, 80 });
	th_viol_args(&p, 0, 8, 0, "Mobility Header");
}

/*
 * A Header Len below the minimum with the checksum over every octet that
 * follows (what Linux's IPV6_CHECKSUM computes): the Header Len is
 * reported (RFC 6275 §9.2 wants a Parameter Problem for it), not a
 * checksum error.  With the checksum over the declared 8 octets only,
 * the same holds.
 */
ATF_TC_WITHOUT_HEAD(short_hdrlen_checksum_over_payload);
ATF_TC_BODY(short_hdrlen_checksum_over_payload, tc)
{
	struct in6_addr coa = tu_in6("2001:db8:2::100");
	struct in6_addr ha = tu_in6("2001:db8:1::1");
	uint8_t out[256];
	size_t n;
	struct hdr *h;
	struct mh_msg *m;

	pkt_init(&p, PKT_LINK_IPV6);
	h = pkt_push(&p, HDR_IPV6);
	h->u.ip6.src = coa;
	h->u.ip6.dst = ha;
	h->u.ip6.hlim = 64;
	m = pkt_push_mh(&p, MH_BU);
	m->u.bu.seq = 7;
	m->u.bu.flags = MH_BU_A | MH_BU_H;
	m->u.bu.lifetime = 100;
	m->hdr_len = 0;
	p.mh_keep = MH_KEEP_HDRLEN;
	ATF_REQUIRE_EQ(pkt_encode(&p, out, sizeof(out), &n), 0);
	ATF_REQUIRE_EQ(n, 40 + 16);
	ATF_REQUIRE_EQ(out[41], 0);
	pkt_decode(&p, PKT_LINK_IPV6, out, n);
	ATF_CHECK(viol_has(&p.viol, V_MH_HDRLEN_SHORT));
	ATF_CHECK(!viol_has(&p.viol, V_MH_CHECKSUM));
	/* a checksum that matches neither reading is still an error */
	out[40 + 4] ^= 0x01;
	pkt_decode(&p, PKT_LINK_IPV6, out, n);
	ATF_CHECK(viol_has(&p.viol, V_MH_CHECKSUM));
}

ATF_TC_WITHOUT_HEAD(mps_with_hao);
ATF_TC_BODY(mps_with_hao, tc)
{
	char text[1024];
	struct sbuf sb;
	struct jw jw;

	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_RAW, MPS_HAO, buf, &len), 0);
	th_no_viols(&p);
	ATF_CHECK(p.has_icmp6);
	th_roundtrip(&p, buf, len);
	th_short(&p, "2001:db8:2::100 > 2001:db8:1::1: MPS id=3 "
	    "hoa=2001:db8:1::100");
	sbuf_init(&sb, text, sizeof(text));
	jw_init(&jw, &sb);
	pkt_print_json(&jw, &p);
	ATF_CHECK_STREQ(sbuf_str(&sb), "{\"layers\":["
	    "{\"kind\":\"ipv6\",\"offset\":0,\"length\":40,"
	    "\"src\":\"2001:db8:2::100\",\"dst\":\"2001:db8:1::1\","
	    "\"tclass\":0,"
	    "\"flow\":0,\"plen\":32,\"nh\":60,\"hlim\":64},"
	    "{\"kind\":\"dstopt\",\"offset\":40,\"length\":24,\"nh\":58,"
	    "\"hdr_ext_len\":2,\"hao\":\"2001:db8:1::100\",\"pad_bytes\":4,"
	    "\"options\":[{\"type\":201,\"offset\":6,\"len\":16,"
	    "\"hoa\":\"2001:db8:1::100\"}]},"
	    "{\"kind\":\"icmp6\",\"offset\":64,\"length\":8}],"
	    "\"icmp6\":{\"type\":146,\"name\":\"Mobile Prefix Solicitation\","
	    "\"code\":0,\"checksum\":4421,\"length\":8,\"id\":3},"
	    "\"violations\":[]}");
	/* checksum over the CoA (what tcpdump 4.99 expects) is wrong here */
	buf[66] = 0x11;
	buf[67] = 0x44;
	redecode(PKT_LINK_RAW);
	TH_VIOLS(&p, { V_ICMP6_CHECKSUM, 66 });
	th_viol_args(&p, 0, 0x1144, 0x1145, NULL);
}

/* RFC 4861 §6.1.2: the IPv6 Hop Limit of an RA must be 255. */
ATF_TC_WITHOUT_HEAD(nd_hop_limit_from_ipv6_header);
ATF_TC_BODY(nd_hop_limit_from_ipv6_header, tc)
{
	th_decode(&p, PKT_LINK_RAW, "60000000" "0010" "3a" "40"
	    "fe800000000000000000000000000001"	/* fe80::1 */
	    "ff020000000000000000000000000001"	/* ff02::1 */
	    "8600" "0000" "40200708" "00000000" "00000000", buf, &len);
	buf[42] = 0;	/* checksum over the message as given */
	buf[43] = 0;
	{
		struct in6_addr s = tu_in6("fe80::1"), d = tu_in6("ff02::1");
		uint16_t c = cksum_upper6(&s, &d, 58, buf + 40, 16, 2);

		buf[42] = (uint8_t)(c >> 8);
		buf[43] = (uint8_t)c;
	}
	redecode(PKT_LINK_RAW);
	TH_VIOLS(&p, { V_ND_HOPLIMIT, 40 });
	th_viol_args(&p, 0, 64, 0, "Router Advertisement");
	th_short(&p, "fe80::1 > ff02::1: RA hlim=64 H lifetime=1800");
}

/* ------------------------------------------- DSMIPv6 encapsulations */

ATF_TC_WITHOUT_HEAD(bu_in_ipv4_udp4191);
ATF_TC_BODY(bu_in_ipv4_udp4191, tc)
{
	static struct pkt z;
	uint8_t want[TH_MAXPKT];
	size_t i;

	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_RAW, BU_UDP4191, buf, &len), 0);
	th_no_viols(&p);
	ATF_REQUIRE_EQ(p.nhdr, 4);
	ATF_CHECK_EQ(p.h[1].kind, HDR_UDP);
	ATF_CHECK_EQ(p.h[1].u.udp.dport, DSMIP_UDP_PORT);
	ATF_CHECK_EQ(p.h[2].kind, HDR_IPV6);
	ATF_CHECK_EQ(p.h[2].off, 28);
	ATF_CHECK_EQ(p.mh.type, MH_BU);
	ATF_CHECK_STREQ(pkt_encap_name(&p), "udp4191");
	th_roundtrip(&p, buf, len);
	th_short(&p, "IP 192.0.2.10.5000 > 198.51.100.1.4191 UDP | "
	    "2001:db8:1::100 > 2001:db8:1::1: BU seq=33 A H K lifetime=400s "
	    "v4hoa=203.0.113.7/24,P v4coa=192.0.2.10");
	/* every computed field zeroed: the encoder restores them all */
	memcpy(&z, &p, sizeof(z));
	z.h[0].u.ip4.tot_len = z.h[0].u.ip4.checksum = 0;
	z.h[0].u.ip4.proto = z.h[0].u.ip4.ihl = 0;
	z.h[1].u.udp.len = z.h[1].u.udp.checksum = 0;
	z.h[2].u.ip6.plen = 0;
	z.h[2].u.ip6.nh = 0;
	z.mh.hdr_len = 0;
	z.mh.checksum = 0;
	for (i = 0; i < z.mh.nopts; i++)
		z.mh.opts[i].len = 0;
	memcpy(want, buf, len);
	th_encode_eq("computed fields", &z, want, len);
}

ATF_TC_WITHOUT_HEAD(ipv4_in_ipv6);
ATF_TC_BODY(ipv4_in_ipv6, tc)
{
	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_RAW, IP4_IN_IP6, buf, &len), 0);
	th_no_viols(&p);
	ATF_CHECK_EQ(p.h[1].kind, HDR_IPV4);
	ATF_CHECK_STREQ(pkt_encap_name(&p), "ipip6");
	th_roundtrip(&p, buf, len);
	th_short(&p, "2001:db8:2::100 > 2001:db8:1::1: IP | IP 203.0.113.7 > "
	    "198.51.100.9: udp 5000 > 53 len 4");
}

/* An ICMPv4 echo reply (RFC 792 type 0) tunnelled IPv4-in-IPv6 (RFC
 * 5555 §4.4.4); checksums computed independently (Python). */
#define ICMP4_ECHO_REPLY	"0000" "efca" "0020" "0001" "0102030405060708"
#define ICMP4_IN_IP6							\
	IP6("0024", "04", A_COA, A_HA)					\
	IP4("0024", "0007", "3f", "01", "158e", V4_HOA, V4_PEER)	\
	ICMP4_ECHO_REPLY

ATF_TC_WITHOUT_HEAD(icmp4_in_ipv6);
ATF_TC_BODY(icmp4_in_ipv6, tc)
{
	const struct hdr *h;

	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_RAW, ICMP4_IN_IP6, buf, &len),
	    0);
	th_no_viols(&p);
	ATF_REQUIRE_EQ(p.nhdr, 3);
	h = &p.h[2];
	ATF_CHECK_EQ(h->kind, HDR_ICMP4);
	ATF_CHECK_EQ(h->u.icmp4.type, 0);
	ATF_CHECK_EQ(h->u.icmp4.code, 0);
	ATF_CHECK_EQ(h->u.icmp4.checksum, 0xefca);
	ATF_CHECK_EQ(h->u.icmp4.id, 32);
	ATF_CHECK_EQ(h->u.icmp4.seq, 1);
	ATF_CHECK_EQ(h->u.icmp4.len, 8);
	ATF_CHECK_EQ(h->u.icmp4.data_len, 8);
	ATF_CHECK_EQ(h->u.icmp4.data[7], 8);
	/* computed: protocol 1, both lengths, both checksums */
	th_roundtrip(&p, buf, len);
	th_short(&p, "2001:db8:2::100 > 2001:db8:1::1: IP | IP 203.0.113.7 > "
	    "198.51.100.9: ICMP type 0 code 0 id 32 seq 1 len 8");
	/* a wrong checksum, and a message shorter than its header */
	buf[40 + 20 + 3] ^= 1;
	pkt_decode(&p, PKT_LINK_RAW, buf, len);
	ATF_CHECK(viol_has(&p.viol, V_ICMP4_CHECKSUM));
	ATF_CHECK_EQ(p.viol.v[0].off, 40 + 20 + 2);
	ATF_CHECK_EQ(p.viol.v[0].a, 0xefcb);
	ATF_CHECK_EQ(p.viol.v[0].b, 0xefca);
	ATF_CHECK_EQ(th_decode(&p, PKT_LINK_RAW, IP6("001a", "04", A_COA, A_HA)
	    IP4("001a", "0007", "3f", "01", "1598", V4_HOA, V4_PEER)
	    "00000000" "0020", buf, &len), -1);
	ATF_CHECK(viol_has(&p.viol, V_TRUNCATED));
}

ATF_TC_WITHOUT_HEAD(ipv6_in_ipv4);
ATF_TC_BODY(ipv6_in_ipv4, tc)
{
	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_RAW, IP6_IN_IP4, buf, &len), 0);
	th_no_viols(&p);
	ATF_CHECK_STREQ(pkt_encap_name(&p), "ip6ip");
	th_roundtrip(&p, buf, len);
	th_short(&p, "IP 192.0.2.10 > 198.51.100.1: IP6 | 2001:db8:1::100 > "
	    "2001:db8:3::5: echo-request id=1 seq=2");
}

ATF_TC_WITHOUT_HEAD(ipv4_udp4191_ipv4);
ATF_TC_BODY(ipv4_udp4191_ipv4, tc)
{
	char text[2048];
	struct sbuf sb;
	struct jw jw;

	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_RAW, IP4_UDP4191_IP4, buf, &len),
	    0);
	th_no_viols(&p);
	ATF_REQUIRE_EQ(p.nhdr, 5);
	ATF_CHECK_STREQ(pkt_encap_name(&p), "udp4191");
	ATF_CHECK(pkt_find(&p, HDR_IPV4) == &p.h[0]);
	ATF_CHECK(pkt_find_last(&p, HDR_IPV4) == &p.h[2]);
	ATF_CHECK(pkt_find_last(&p, HDR_UDP) == &p.h[3]);
	ATF_CHECK(pkt_find(&p, HDR_IPV6) == NULL);
	ATF_CHECK(pkt_inner_ip6(&p) == NULL);
	th_roundtrip(&p, buf, len);
	th_short(&p, "IP 192.0.2.10.5000 > 198.51.100.1.4191 UDP | "
	    "IP 203.0.113.7 > 198.51.100.9: udp 5000 > 53 len 4");
	sbuf_init(&sb, text, sizeof(text));
	pkt_print_verbose(&sb, &p);
	ATF_CHECK_STREQ(sbuf_str(&sb),
	    "ipv4 192.0.2.10 > 198.51.100.1 ihl 5 tos 0x00 total_length 60 "
	    "id 10 frag 0x0000 ttl 64 proto 17 (udp) checksum 0x8e68\n"
	    "udp 5000 > 4191 length 40 checksum 0x55da\n"
	    "ipv4 203.0.113.7 > 198.51.100.9 ihl 5 tos 0x00 total_length 32 "
	    "id 11 frag 0x0000 ttl 64 proto 17 (udp) checksum 0x147e\n"
	    "udp 5000 > 53 length 12 checksum 0x85d4\n"
	    "data proto 17 (udp) length 4: 00000000\n");
	sbuf_init(&sb, text, sizeof(text));
	jw_init(&jw, &sb);
	pkt_print_json(&jw, &p);
	ATF_CHECK_STREQ(sbuf_str(&sb), "{\"layers\":["
	    "{\"kind\":\"ipv4\",\"offset\":0,\"length\":20,"
	    "\"src\":\"192.0.2.10\",\"dst\":\"198.51.100.1\",\"ihl\":5,"
	    "\"tos\":0,\"total_length\":60,\"id\":10,\"df\":false,"
	    "\"mf\":false,\"frag_offset\":0,\"ttl\":64,\"proto\":17,"
	    "\"checksum\":36456},"
	    "{\"kind\":\"udp\",\"offset\":20,\"length\":8,\"sport\":5000,"
	    "\"dport\":4191,\"len\":40,\"checksum\":21978},"
	    "{\"kind\":\"ipv4\",\"offset\":28,\"length\":20,"
	    "\"src\":\"203.0.113.7\",\"dst\":\"198.51.100.9\",\"ihl\":5,"
	    "\"tos\":0,\"total_length\":32,\"id\":11,\"df\":false,"
	    "\"mf\":false,\"frag_offset\":0,\"ttl\":64,\"proto\":17,"
	    "\"checksum\":5246},"
	    "{\"kind\":\"udp\",\"offset\":48,\"length\":8,\"sport\":5000,"
	    "\"dport\":53,\"len\":12,\"checksum\":34260},"
	    "{\"kind\":\"data\",\"offset\":56,\"length\":4,\"proto\":17,"
	    "\"data\":\"00000000\"}],"
	    "\"encap\":\"udp4191\",\"violations\":[]}");
}

ATF_TC_WITHOUT_HEAD(ipv4_in_ipv4);
ATF_TC_BODY(ipv4_in_ipv4, tc)
{
	struct hdr *h;

	pkt_init(&p, PKT_LINK_RAW);
	h = pkt_push(&p, HDR_IPV4);
	h->u.ip4.src = tu_in4("192.0.2.10");
	h->u.ip4.dst = tu_in4("198.51.100.1");
	h = pkt_push(&p, HDR_IPV4);
	h->u.ip4.src = tu_in4("203.0.113.7");
	h->u.ip4.dst = tu_in4("198.51.100.9");
	h = pkt_push(&p, HDR_DATA);
	h->u.data.proto = 6;
	h->u.data.len = 20;
	ATF_REQUIRE_EQ(pkt_encode(&p, buf, sizeof(buf), &len), 0);
	ATF_CHECK_EQ(buf[9], 4);	/* protocol IPv4: the next header */
	ATF_CHECK_EQ(buf[29], 6);
	redecode(PKT_LINK_RAW);
	th_no_viols(&p);
	ATF_CHECK_STREQ(pkt_encap_name(&p), "ipip");
	th_short(&p, "IP 192.0.2.10 > 198.51.100.1: IP | IP 203.0.113.7 > "
	    "198.51.100.9: tcp 20");
}

/* From scratch: protocols, lengths and all four checksums computed. */
ATF_TC_WITHOUT_HEAD(encoder_computes_the_whole_stack);
ATF_TC_BODY(encoder_computes_the_whole_stack, tc)
{
	uint8_t want[TH_MAXPKT];
	size_t n = tu_hex(IP4_UDP4191_IP4, want, sizeof(want));
	struct hdr *h;

	pkt_init(&p, PKT_LINK_RAW);
	h = pkt_push(&p, HDR_IPV4);
	h->u.ip4.id = 10;
	h->u.ip4.src = tu_in4("192.0.2.10");
	h->u.ip4.dst = tu_in4("198.51.100.1");
	h = pkt_push(&p, HDR_UDP);
	h->u.udp.sport = 5000;
	h->u.udp.dport = DSMIP_UDP_PORT;
	h = pkt_push(&p, HDR_IPV4);
	h->u.ip4.id = 11;
	h->u.ip4.src = tu_in4("203.0.113.7");
	h->u.ip4.dst = tu_in4("198.51.100.9");
	h = pkt_push(&p, HDR_UDP);
	h->u.udp.sport = 5000;
	h->u.udp.dport = 53;
	h = pkt_push(&p, HDR_DATA);
	h->u.data.proto = 17;
	h->u.data.len = 4;
	th_encode_eq("from scratch", &p, want, n);
	/* does not fit */
	ATF_CHECK_EQ(pkt_encode(&p, want, n - 1, &len), -1);
}

/* Keep bits: exactly the malformed fields asked for. */
ATF_TC_WITHOUT_HEAD(encoder_keep_bits);
ATF_TC_BODY(encoder_keep_bits, tc)
{
	uint8_t want[TH_MAXPKT];
	size_t n;

	th_decode(&p, PKT_LINK_RAW, IP4_UDP, buf, &len);
	p.h[0].u.ip4.tot_len = 7;
	p.h[0].u.ip4.proto = 6;
	p.h[0].u.ip4.checksum = 0xdead;
	p.h[0].keep = HDR_KEEP_LEN | HDR_KEEP_NH | HDR_KEEP_CKSUM;
	p.h[1].u.udp.len = 99;
	p.h[1].u.udp.checksum = 0;
	p.h[1].keep = HDR_KEEP_LEN | HDR_KEEP_CKSUM;
	n = tu_hex(IP4("0007", "0001", "40", "06", "dead", V4_COA, V4_HA)
	    "1388" "0035" "0063" "0000" "000000000000000000000000", want,
	    sizeof(want));
	th_encode_eq("kept", &p, want, n);
	/* only the IPv4 checksum kept: the rest computed around it */
	p.h[0].keep = HDR_KEEP_CKSUM;
	p.h[1].keep = 0;
	n = tu_hex(IP4("0028", "0001", "40", "11", "dead", V4_COA, V4_HA)
	    "1388" "0035" "0014" "ffc9" "000000000000000000000000", want,
	    sizeof(want));
	th_encode_eq("checksum kept", &p, want, n);
}

/* --------------------------------------------------------- link layers */

ATF_TC_WITHOUT_HEAD(ipv4_udp);
ATF_TC_BODY(ipv4_udp, tc)
{
	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_RAW, IP4_UDP, buf, &len), 0);
	th_no_viols(&p);
	ATF_REQUIRE_EQ(p.nhdr, 3);
	ATF_CHECK_EQ(p.h[0].u.ip4.ihl, 5);
	ATF_CHECK_EQ(p.h[0].u.ip4.tot_len, 40);
	ATF_CHECK_EQ(p.h[0].u.ip4.ttl, 64);
	ATF_CHECK_EQ(p.h[0].u.ip4.checksum, 0x8e85);
	ATF_CHECK_EQ(p.h[1].u.udp.len, 20);
	ATF_CHECK_EQ(p.h[1].u.udp.checksum, 0xffc9);
	ATF_CHECK_EQ(p.h[2].kind, HDR_DATA);
	ATF_CHECK_EQ(p.h[2].u.data.len, 12);
	th_roundtrip(&p, buf, len);
	th_short(&p, "IP 192.0.2.10 > 198.51.100.1: udp 5000 > 53 len 12");
}

ATF_TC_WITHOUT_HEAD(ipv4_options);
ATF_TC_BODY(ipv4_options, tc)
{
	th_decode(&p, PKT_LINK_IPV4, "46" "00" "0018" "0001" "0000" "40" "3b"
	    "0000" V4_COA V4_HA "01010100", buf, &len);
	fix_ip4_cksum(0);
	redecode(PKT_LINK_IPV4);
	th_no_viols(&p);
	ATF_CHECK_EQ(p.h[0].u.ip4.ihl, 6);
	ATF_CHECK_EQ(p.h[0].u.ip4.opt_len, 4);
	ATF_CHECK_EQ(p.h[0].len, 24);
	th_roundtrip(&p, buf, len);
}

ATF_TC_WITHOUT_HEAD(ethernet_vlan);
ATF_TC_BODY(ethernet_vlan, tc)
{
	char text[512];
	struct sbuf sb;

	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_ETHER, ETH("8100" "0064" "86dd")
	    ECHO6, buf, &len), 0);
	th_no_viols(&p);
	ATF_REQUIRE_EQ(p.nhdr, 3);
	ATF_CHECK_EQ(p.h[0].kind, HDR_ETH);
	ATF_CHECK_EQ(p.h[0].len, 18);
	ATF_CHECK_EQ(p.h[0].u.eth.vlan, 100);
	ATF_CHECK_EQ(p.h[0].u.eth.ethertype, 0x86dd);
	ATF_CHECK_EQ(p.h[0].u.eth.dst[5], 0x02);
	ATF_CHECK_EQ(p.h[1].off, 18);
	th_roundtrip(&p, buf, len);
	th_short(&p, "2001:db8:2::100 > 2001:db8:3::5: echo-request id=1 "
	    "seq=2");
	sbuf_init(&sb, text, sizeof(text));
	pkt_print_verbose(&sb, &p);
	ATF_CHECK_STREQ(sbuf_str(&sb), "ethernet 00:00:5e:00:53:01 > "
	    "00:00:5e:00:53:02 ethertype 0x86dd vlan 100 pcp 0 dei 0\n"
	    "ipv6 2001:db8:2::100 > 2001:db8:3::5 tclass 0x00 flow 0x00000 "
	    "plen 8 nh 58 (icmp6) hlim 64\n"
	    "icmp6 at 58 (8 bytes)\n"
	    "  Echo Request (type 128, code 0) checksum 0x233e length 8\n"
	    "    id 1 seq 2\n");
}

ATF_TC_WITHOUT_HEAD(linux_sll);
ATF_TC_BODY(linux_sll, tc)
{
	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_LINUX_SLL,
	    "0000" "0001" "0006" "00005e0053010000" "86dd" ECHO6, buf, &len),
	    0);
	th_no_viols(&p);
	ATF_CHECK_EQ(p.h[0].kind, HDR_SLL);
	ATF_CHECK_EQ(p.h[0].u.sll.hatype, 1);
	ATF_CHECK_EQ(p.h[0].u.sll.halen, 6);
	ATF_CHECK_EQ(p.h[0].u.sll.proto, 0x86dd);
	th_roundtrip(&p, buf, len);
}

ATF_TC_WITHOUT_HEAD(dlt_null);
ATF_TC_BODY(dlt_null, tc)
{
	/* AF_INET6 as NetBSD/OpenBSD/Npcap write it, little-endian */
	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_NULL, "18000000" ECHO6, buf,
	    &len), 0);
	th_no_viols(&p);
	ATF_CHECK_EQ(p.h[0].kind, HDR_IPV6);
	ATF_CHECK_EQ(p.h[0].off, 4);
	th_roundtrip(&p, buf, len);
	/* AF_INET big-endian, and macOS's AF_INET6 (30) */
	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_NULL, "00000002" IP4_UDP, buf,
	    &len), 0);
	th_no_viols(&p);
	ATF_CHECK_EQ(p.h[0].kind, HDR_IPV4);
	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_NULL, "1e000000" ECHO6, buf,
	    &len), 0);
	ATF_CHECK_EQ(p.h[0].kind, HDR_IPV6);
}

/* IEEE 802.3 pads short frames to 60 octets: not a violation. */
ATF_TC_WITHOUT_HEAD(ethernet_padding);
ATF_TC_BODY(ethernet_padding, tc)
{
	th_decode(&p, PKT_LINK_ETHER, ETH("86dd") IP6("0000", "3b", A_COA,
	    A_CN) "000000000000", buf, &len);
	ATF_REQUIRE_EQ(len, 60);
	th_no_viols(&p);
	th_decode(&p, PKT_LINK_ETHER, ETH("8100" "0064" "86dd")
	    IP6("0000", "3b", A_COA, A_CN) "000000000000", buf, &len);
	th_no_viols(&p);
	/* a longer frame: these are trailing bytes */
	th_decode(&p, PKT_LINK_ETHER, ETH("86dd") IP6("0000", "3b", A_COA,
	    A_CN) "00000000000000000000000000000000", buf, &len);
	TH_VIOLS(&p, { V_TRAILING_BYTES, 54 });
	th_viol_args(&p, 0, 16, 0, "IPv6 packet");
}

ATF_TC_WITHOUT_HEAD(link_negatives);
ATF_TC_BODY(link_negatives, tc)
{
	ATF_CHECK_EQ(th_decode(&p, (enum pkt_link)99, ECHO6, buf, &len), -1);
	TH_VIOLS(&p, { V_UNSUPPORTED_LINK, 0 });
	th_viol_args(&p, 0, 99, 0, NULL);

	ATF_CHECK_EQ(th_decode(&p, PKT_LINK_ETHER, "00005e005302000000000000",
	    buf, &len), -1);
	TH_VIOLS(&p, { V_TRUNCATED, 0 });
	th_viol_args(&p, 0, 14, 12, "Ethernet header");

	ATF_CHECK_EQ(th_decode(&p, PKT_LINK_ETHER, ETH("8100" "0064"), buf,
	    &len), -1);
	TH_VIOLS(&p, { V_TRUNCATED, 14 });
	th_viol_args(&p, 0, 4, 2, "802.1Q tag");

	ATF_CHECK_EQ(th_decode(&p, PKT_LINK_LINUX_SLL, "0000000100060000",
	    buf, &len), -1);
	TH_VIOLS(&p, { V_TRUNCATED, 0 });
	th_viol_args(&p, 0, 16, 8, "Linux cooked header");

	/* neither IP nor ARP (IEEE local experimental): kept opaque */
	ATF_CHECK_EQ(th_decode(&p, PKT_LINK_ETHER, ETH("88b5")
	    "0001080006040001" "00005e005301" "c000020a" "000000000000"
	    "c6336401", buf, &len), 0);
	th_no_viols(&p);
	ATF_CHECK_EQ(p.h[1].kind, HDR_DATA);
	th_short(&p, "ethertype 0x88b5 len 28");
	th_roundtrip(&p, buf, len);
}

/*
 * ARP (RFC 826).  scapy 2.5: Ether(dst=ff:..:ff, src=02:..:00:b0)/
 * ARP(op=1, hwsrc=02:00:00:00:00:b0, psrc=198.51.100.99,
 * pdst=198.51.100.7), and the home agent's proxy answer
 * Ether(dst=02:..:00:c4, src=02:..:01:01)/ARP(op=2,
 * hwsrc=02:00:00:00:01:01, psrc=198.51.100.7, hwdst=02:00:00:00:00:c4,
 * pdst=198.51.100.99) padded to 60 octets as a NIC sends it.
 */
#define ARP_REQUEST "ffffffffffff" "0200000000b0" "0806"		\
	"0001080006040001" "0200000000b0" "c6336463"			\
	"000000000000" "c6336407"
#define ARP_REPLY "0200000000c4" "020000000101" "0806"			\
	"0001080006040002" "020000000101" "c6336407"			\
	"0200000000c4" "c6336463"

ATF_TC_WITHOUT_HEAD(arp_request_and_reply);
ATF_TC_BODY(arp_request_and_reply, tc)
{
	static const uint8_t sha[6] = { 2, 0, 0, 0, 0, 0xb0 };
	char text[1024];
	struct sbuf sb;
	struct jw jw;

	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_ETHER, ARP_REQUEST, buf, &len),
	    0);
	th_no_viols(&p);
	ATF_REQUIRE_EQ(p.nhdr, 2);
	ATF_CHECK_EQ(p.h[0].u.eth.ethertype, 0x0806);
	ATF_REQUIRE_EQ(p.h[1].kind, HDR_ARP);
	ATF_CHECK_EQ(p.h[1].off, 14);
	ATF_CHECK_EQ(p.h[1].len, 28);
	ATF_CHECK_EQ(p.h[1].u.arp.op, ARP_OP_REQUEST);
	ATF_CHECK(memcmp(p.h[1].u.arp.sha, sha, 6) == 0);
	ATF_CHECK_EQ(p.h[1].u.arp.spa.s_addr, htonl(0xc6336463));
	ATF_CHECK_EQ(p.h[1].u.arp.tpa.s_addr, htonl(0xc6336407));
	th_roundtrip(&p, buf, len);
	th_short(&p, "ARP op=request sha=02:00:00:00:00:b0 spa=198.51.100.99 "
	    "tha=00:00:00:00:00:00 tpa=198.51.100.7");
	sbuf_init(&sb, text, sizeof(text));
	pkt_print_verbose(&sb, &p);
	ATF_CHECK_STREQ(sbuf_str(&sb), "ethernet 02:00:00:00:00:b0 > "
	    "ff:ff:ff:ff:ff:ff ethertype 0x0806\n"
	    "arp op 1 (request) sha 02:00:00:00:00:b0 spa 198.51.100.99 "
	    "tha 00:00:00:00:00:00 tpa 198.51.100.7\n");
	sbuf_init(&sb, text, sizeof(text));
	jw_init(&jw, &sb);
	pkt_print_json(&jw, &p);
	ATF_CHECK_STREQ(sbuf_str(&sb), "{\"layers\":["
	    "{\"kind\":\"ethernet\",\"offset\":0,\"length\":14,"
	    "\"dst\":\"ff:ff:ff:ff:ff:ff\",\"src\":\"02:00:00:00:00:b0\","
	    "\"ethertype\":2054},"
	    "{\"kind\":\"arp\",\"offset\":14,\"length\":28,\"op\":1,"
	    "\"sha\":\"02:00:00:00:00:b0\",\"spa\":\"198.51.100.99\","
	    "\"tha\":\"00:00:00:00:00:00\",\"tpa\":\"198.51.100.7\"}],"
	    "\"violations\":[]}");

	/* Ethernet padding after the 28 octets is no fault (IEEE 802.3) */
	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_ETHER, ARP_REPLY
	    "000000000000000000000000000000000000", buf, &len), 0);
	ATF_REQUIRE_EQ(len, 60);
	th_no_viols(&p);
	ATF_REQUIRE_EQ(p.h[1].kind, HDR_ARP);
	ATF_CHECK_EQ(p.h[1].u.arp.op, ARP_OP_REPLY);
	th_roundtrip(&p, buf, 42);
	th_short(&p, "ARP op=reply sha=02:00:00:00:01:01 spa=198.51.100.7 "
	    "tha=02:00:00:00:00:c4 tpa=198.51.100.99");
	/* an opcode of neither kind (RFC 5494 §2: 3 is a RARP request) */
	p.h[1].u.arp.op = 3;
	th_short(&p, "ARP op=3 sha=02:00:00:00:01:01 spa=198.51.100.7 "
	    "tha=02:00:00:00:00:c4 tpa=198.51.100.99");

	/* after a Linux cooked header (an "any" capture) */
	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_LINUX_SLL, "0000000100060200"
	    "0000000100000806" "0001080006040002" "020000000101" "c6336407"
	    "0200000000c4" "c6336463", buf, &len), 0);
	th_no_viols(&p);
	ATF_CHECK_EQ(p.h[1].kind, HDR_ARP);
	th_roundtrip(&p, buf, len);
}

/* What arp_decode() refuses stays opaque: another hardware type, a body
 * the frame cuts short; bytes beyond the Ethernet minimum are trailing. */
ATF_TC_WITHOUT_HEAD(arp_not_ethernet_ipv4);
ATF_TC_BODY(arp_not_ethernet_ipv4, tc)
{
	/* hardware type 6 (IEEE 802) */
	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_ETHER, ETH("0806")
	    "0006080006040001" "0200000000b0" "c6336463" "000000000000"
	    "c6336407", buf, &len), 0);
	ATF_CHECK_EQ(p.h[1].kind, HDR_DATA);
	th_short(&p, "ethertype 0x0806 len 28");
	th_roundtrip(&p, buf, len);
	/* 27 octets */
	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_ETHER, ETH("0806")
	    "0001080006040001" "0200000000b0" "c6336463" "000000000000"
	    "c63364", buf, &len), 0);
	ATF_CHECK_EQ(p.h[1].kind, HDR_DATA);
	th_short(&p, "ethertype 0x0806 len 27");
	/* 47 octets after the Ethernet header: 19 trailing */
	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_ETHER, ARP_REPLY
	    "00000000000000000000000000000000000000", buf, &len), 0);
	ATF_CHECK_EQ(p.h[1].kind, HDR_ARP);
	TH_VIOLS(&p, { V_TRAILING_BYTES, 42 });
	th_viol_args(&p, 0, 19, 0, "ARP message");
}

/* Built: the Ethernet type follows the ARP header (RFC 826 0x0806). */
ATF_TC_WITHOUT_HEAD(arp_built);
ATF_TC_BODY(arp_built, tc)
{
	uint8_t want[64];
	size_t n = tu_hex(ARP_REQUEST, want, sizeof(want));
	struct hdr *h;

	pkt_init(&p, PKT_LINK_ETHER);
	h = pkt_push(&p, HDR_ETH);
	memset(h->u.eth.dst, 0xff, 6);
	memcpy(h->u.eth.src, "\x02\x00\x00\x00\x00\xb0", 6);
	h = pkt_push(&p, HDR_ARP);
	ATF_REQUIRE(h != NULL);
	ATF_CHECK_EQ(h->u.arp.op, ARP_OP_REQUEST);	/* the default */
	memcpy(h->u.arp.sha, "\x02\x00\x00\x00\x00\xb0", 6);
	h->u.arp.spa.s_addr = htonl(0xc6336463);
	h->u.arp.tpa.s_addr = htonl(0xc6336407);
	th_encode_eq("ARP request", &p, want, n);
	ATF_CHECK_STREQ(hdr_kind_name(HDR_ARP), "arp");
	ATF_CHECK_EQ(hdr_next_proto(&p.h[1]), -1);
}

/* ---------------------------------------------------- IPv4 negatives */

ATF_TC_WITHOUT_HEAD(ip4_version);
ATF_TC_BODY(ip4_version, tc)
{
	th_decode(&p, PKT_LINK_IPV4, IP4_UDP, buf, &len);
	buf[0] = 0x55;
	fix_ip4_cksum(0);
	redecode(PKT_LINK_IPV4);
	TH_VIOLS(&p, { V_IP4_VERSION, 0 });
	th_viol_args(&p, 0, 5, 0, NULL);
}

ATF_TC_WITHOUT_HEAD(ip4_ihl);
ATF_TC_BODY(ip4_ihl, tc)
{
	th_decode(&p, PKT_LINK_IPV4, IP4_UDP, buf, &len);
	buf[0] = 0x44;
	redecode(PKT_LINK_IPV4);
	TH_VIOLS(&p, { V_IP4_IHL, 0 });
	th_viol_args(&p, 0, 4, 0, NULL);
}

ATF_TC_WITHOUT_HEAD(ip4_total_length);
ATF_TC_BODY(ip4_total_length, tc)
{
	th_decode(&p, PKT_LINK_IPV4, IP4_UDP, buf, &len);
	buf[3] = 100;
	fix_ip4_cksum(0);
	redecode(PKT_LINK_IPV4);
	TH_VIOLS(&p, { V_IP4_TOTLEN, 2 });
	th_viol_args(&p, 0, 100, 40, NULL);
	buf[3] = 16;	/* below the header length */
	fix_ip4_cksum(0);
	redecode(PKT_LINK_IPV4);
	TH_VIOLS(&p, { V_IP4_TOTLEN, 2 });
	th_viol_args(&p, 0, 16, 40, NULL);
}

ATF_TC_WITHOUT_HEAD(ip4_checksum);
ATF_TC_BODY(ip4_checksum, tc)
{
	char text[512];
	struct sbuf sb;

	th_decode(&p, PKT_LINK_IPV4, IP4_UDP, buf, &len);
	buf[10] = 0xde;
	buf[11] = 0xad;
	redecode(PKT_LINK_IPV4);
	TH_VIOLS(&p, { V_IP4_CHECKSUM, 10 });
	th_viol_args(&p, 0, 0xdead, 0x8e85, NULL);
	sbuf_init(&sb, text, sizeof(text));
	pkt_print_violations(&sb, &p);
	ATF_CHECK_STREQ(sbuf_str(&sb), "IPv4 header checksum 0xdead, expected "
	    "0x8e85 [ip4-checksum, RFC 791 §3.1] at offset 10\n");
}

ATF_TC_WITHOUT_HEAD(ip4_fragment);
ATF_TC_BODY(ip4_fragment, tc)
{
	th_decode(&p, PKT_LINK_IPV4, IP4_UDP, buf, &len);
	buf[6] = 0x20;	/* MF */
	fix_ip4_cksum(0);
	redecode(PKT_LINK_IPV4);
	TH_VIOLS(&p, { V_IP4_FRAGMENT, 6 });
	th_viol_args(&p, 0, 0, 1, NULL);
	ATF_CHECK_EQ(p.h[1].kind, HDR_DATA);
	th_short(&p, "IP 192.0.2.10 > 198.51.100.1: frag off=0 MF udp 20");
	buf[6] = 0x00;
	buf[7] = 185;	/* offset 1480 */
	fix_ip4_cksum(0);
	redecode(PKT_LINK_IPV4);
	TH_VIOLS(&p, { V_IP4_FRAGMENT, 6 });
	th_viol_args(&p, 0, 1480, 0, NULL);
}

ATF_TC_WITHOUT_HEAD(ip4_truncated_and_trailing);
ATF_TC_BODY(ip4_truncated_and_trailing, tc)
{
	ATF_CHECK_EQ(th_decode(&p, PKT_LINK_IPV4, "4500001400010000401100",
	    buf, &len), -1);
	TH_VIOLS(&p, { V_TRUNCATED, 0 });
	th_viol_args(&p, 0, 20, 11, "IPv4 header");
	th_decode(&p, PKT_LINK_IPV4, IP4_UDP "01020304", buf, &len);
	TH_VIOLS(&p, { V_TRAILING_BYTES, 40 });
	th_viol_args(&p, 0, 4, 0, "IPv4 packet");
}

/* ----------------------------------------------------- UDP negatives */

ATF_TC_WITHOUT_HEAD(udp_length);
ATF_TC_BODY(udp_length, tc)
{
	th_decode(&p, PKT_LINK_IPV4, IP4_UDP, buf, &len);
	buf[25] = 7;
	redecode(PKT_LINK_IPV4);
	TH_VIOLS(&p, { V_UDP_LENGTH, 24 });
	th_viol_args(&p, 0, 7, 20, NULL);
	buf[25] = 30;
	redecode(PKT_LINK_IPV4);
	TH_VIOLS(&p, { V_UDP_LENGTH, 24 });
	th_viol_args(&p, 0, 30, 20, NULL);
	/* shorter than the IP payload: the rest is trailing */
	buf[25] = 16;
	buf[26] = buf[27] = 0;	/* no checksum (IPv4) */
	redecode(PKT_LINK_IPV4);
	TH_VIOLS(&p, { V_TRAILING_BYTES, 36 });
	th_viol_args(&p, 0, 4, 0, "UDP datagram");
}

ATF_TC_WITHOUT_HEAD(udp_checksum);
ATF_TC_BODY(udp_checksum, tc)
{
	th_decode(&p, PKT_LINK_IPV4, IP4_UDP, buf, &len);
	buf[27] ^= 1;
	redecode(PKT_LINK_IPV4);
	TH_VIOLS(&p, { V_UDP_CHECKSUM, 26 });
	th_viol_args(&p, 0, 0xffc8, 0xffc9, NULL);
	/* zero over IPv4: no checksum, fine (RFC 768) */
	buf[26] = buf[27] = 0;
	redecode(PKT_LINK_IPV4);
	th_no_viols(&p);
}

/* RFC 8200 §8.1: UDP over IPv6 must carry a checksum; the HAO applies. */
ATF_TC_WITHOUT_HEAD(udp6_checksum);
ATF_TC_BODY(udp6_checksum, tc)
{
	struct in6_addr hoa = tu_in6("2001:db8:1::100");
	struct hdr *h;

	pkt_init(&p, PKT_LINK_RAW);
	h = pkt_push(&p, HDR_IPV6);
	h->u.ip6.src = tu_in6("2001:db8:2::100");
	h->u.ip6.dst = tu_in6("2001:db8:3::5");
	pkt_push_hao(&p, &hoa);
	h = pkt_push(&p, HDR_UDP);
	h->u.udp.sport = 5000;
	h->u.udp.dport = 53;
	ATF_REQUIRE_EQ(pkt_encode(&p, buf, sizeof(buf), &len), 0);
	redecode(PKT_LINK_RAW);
	th_no_viols(&p);
	th_short(&p, "2001:db8:2::100 > 2001:db8:3::5: udp 5000 > 53 len 0 "
	    "hoa=2001:db8:1::100");
	buf[71] ^= 1;
	redecode(PKT_LINK_RAW);
	TH_VIOLS(&p, { V_UDP_CHECKSUM, 70 });
	buf[70] = buf[71] = 0;
	redecode(PKT_LINK_RAW);
	TH_VIOLS(&p, { V_UDP6_ZERO_CHECKSUM, 70 });
}

ATF_TC_WITHOUT_HEAD(udp4191_payloads);
ATF_TC_BODY(udp4191_payloads, tc)
{
	/* RFC 5555 §4.1: an IPv4 or IPv6 packet; anything else is wrong */
	th_decode(&p, PKT_LINK_IPV4, IP4("0020", "0001", "40", "11", "0000",
	    V4_COA, V4_HA) "1388" "105f" "000c" "0000" "50000000", buf, &len);
	fix_ip4_cksum(0);
	redecode(PKT_LINK_IPV4);
	TH_VIOLS(&p, { V_ENCAP_VERSION, 28 });
	th_viol_args(&p, 0, 5, 0, NULL);
	th_short(&p, "IP 192.0.2.10.5000 > 198.51.100.1.4191 UDP data 4");

	/* RFC 5555 §4.3 refreshes NAT bindings with BU/BA; an empty
	 * datagram is not an RFC 5555 message, and not an error */
	th_decode(&p, PKT_LINK_IPV4, IP4("001c", "0001", "40", "11", "0000",
	    V4_COA, V4_HA) "1388" "105f" "0008" "0000", buf, &len);
	fix_ip4_cksum(0);
	redecode(PKT_LINK_IPV4);
	th_no_viols(&p);
	ATF_CHECK_EQ(p.nhdr, 2);
	th_short(&p, "IP 192.0.2.10.5000 > 198.51.100.1.4191 UDP empty");

	/* too short for the inner IPv6 header */
	th_decode(&p, PKT_LINK_IPV4, IP4("001e", "0001", "40", "11", "0000",
	    V4_COA, V4_HA) "105f" "1388" "000a" "0000" "6000", buf, &len);
	fix_ip4_cksum(0);
	redecode(PKT_LINK_IPV4);
	TH_VIOLS(&p, { V_TRUNCATED, 28 });
	th_viol_args(&p, 0, 40, 2, "IPv6 header");
	th_short(&p, "IP 192.0.2.10.4191 > 198.51.100.1.5000 UDP [|ip]");
}

/* -------------------------------------------------- names, printers */

ATF_TC_WITHOUT_HEAD(names);
ATF_TC_BODY(names, tc)
{
	ATF_CHECK_STREQ(hdr_kind_name(HDR_ETH), "ethernet");
	ATF_CHECK_STREQ(hdr_kind_name(HDR_DSTOPT), "dstopt");
	ATF_CHECK_STREQ(hdr_kind_name(HDR_RH), "routing");
	ATF_CHECK_STREQ(hdr_kind_name(HDR_MH), "mh");
	ATF_CHECK_STREQ(hdr_kind_name(HDR_DATA), "data");
	ATF_CHECK_STREQ(ip_proto_name(6), "tcp");
	ATF_CHECK_STREQ(ip_proto_name(135), "mobility");
	ATF_CHECK_STREQ(ip_proto_name(253), "unknown");
	th_decode(&p, PKT_LINK_RAW, IP6("0004", "fd", A_COA, A_CN) "01020304",
	    buf, &len);
	th_short(&p, "2001:db8:2::100 > 2001:db8:3::5: proto-253 4");
	th_decode(&p, PKT_LINK_RAW, IP6("0014", "06", A_COA, A_CN)
	    "1388005000000000000000005002200000000000", buf, &len);
	th_short(&p, "2001:db8:2::100 > 2001:db8:3::5: tcp 20");
}

ATF_TC_WITHOUT_HEAD(violations_in_verbose_and_list);
ATF_TC_BODY(violations_in_verbose_and_list, tc)
{
	char text[1024];
	struct sbuf sb;

	th_decode(&p, PKT_LINK_ETHER, "00005e005302000000000000", buf, &len);
	sbuf_init(&sb, text, sizeof(text));
	pkt_print_violations(&sb, &p);
	ATF_CHECK_STREQ(sbuf_str(&sb), "Ethernet header needs 14 bytes but 12 "
	    "bytes captured [truncated] at offset 0\n");
	sbuf_init(&sb, text, sizeof(text));
	pkt_print_verbose(&sb, &p);
	ATF_CHECK_STREQ(sbuf_str(&sb), "violations:\n  Ethernet header needs "
	    "14 bytes but 12 bytes captured [truncated] at offset 0\n");
}

/*
 * A frame a capture cut short (snaplen): with its wire length known, the
 * IPv6 Payload Length that fits the wire is right, and only the MH, whose
 * bytes are missing, reports the truncation.  A Payload Length beyond even
 * the wire length is still a violation.
 */
ATF_TC_WITHOUT_HEAD(capture_truncation_is_not_a_length_error);
ATF_TC_BODY(capture_truncation_is_not_a_length_error, tc)
{
	char msg[128];
	struct sbuf sb;
	size_t i;

	len = tu_hex(BU_HAO, buf, sizeof(buf));
	ATF_REQUIRE_EQ(len, 96);
	/* without the wire length: both the IPv6 and the MH complain */
	pkt_decode(&p, PKT_LINK_RAW, buf, 80);
	ATF_CHECK(viol_has(&p.viol, V_IP6_PLEN));
	ATF_CHECK(viol_has(&p.viol, V_MH_HDRLEN_PAST_END));
	/* cut by the capture from a 96-byte frame: only the MH */
	pkt_decode_wire(&p, PKT_LINK_RAW, buf, 80, 96);
	ATF_CHECK(!viol_has(&p.viol, V_IP6_PLEN));
	ATF_REQUIRE_EQ(p.viol.n, 1);
	ATF_CHECK_EQ(p.viol.v[0].code, V_MH_HDRLEN_PAST_END);
	sbuf_init(&sb, msg, sizeof(msg));
	viol_format(&sb, &p.viol.v[0]);
	ATF_CHECK_STREQ(sbuf_str(&sb),
	    "MH Header Len 3 (32 bytes) but 16 bytes captured");
	/* the wire frame was 90 bytes: Payload Length 56 never fitted */
	pkt_decode_wire(&p, PKT_LINK_RAW, buf, 80, 90);
	ATF_CHECK(viol_has(&p.viol, V_IP6_PLEN));
	/* a whole frame decodes the same with or without the wire length */
	pkt_decode_wire(&p, PKT_LINK_RAW, buf, len, len);
	for (i = 0; i < p.viol.n; i++)
		ATF_CHECK_MSG(false, "violation %s", viol_name(p.viol.v[i].code));
}

/* ------------------------------------------------------------------ ESP */

/* The manual SA of the ESP tests: AES-CBC key 01..10, HMAC-SHA1-96 key
   21..34 (packets/tests/esp_test.c's), SPI 0x1000. */
#define SA_TEXT	"0x1000:aes-cbc:0x0102030405060708090a0b0c0d0e0f10:"	\
	"hmac-sha1:0x2122232425262728292a2b2c2d2e2f3031323334"

static struct esp_sa
test_sa(void)
{
	struct esp_sa sa;

	ATF_REQUIRE_EQ_MSG(pkt_esp_sa_parse(SA_TEXT, &sa), NULL, "SA text");
	return sa;
}

/* BA_RH2 with an ESP header between the RH2 and the MH (RFC 3776 §3.2:
   IPv6, RH2, ESP, MH), sealed with sa, IV a0..af, sequence 5. */
static size_t
build_esp_ba(const struct esp_sa *sa, bool bad_icv, uint8_t *out,
    size_t cap)
{
	static struct pkt b;
	struct hdr *e;
	size_t i, n = 0;

	th_decode(&b, PKT_LINK_IPV6, BA_RH2, buf, &len);
	ATF_REQUIRE_EQ(b.nhdr, 3u);
	b.h[3] = b.h[2];			/* MH one place down */
	b.nhdr = 4;
	e = &b.h[2];
	memset(e, 0, sizeof(*e));
	e->kind = HDR_ESP;
	e->u.ipsec.seal = true;
	e->u.ipsec.sa = *sa;
	e->u.ipsec.seq = 5;
	e->u.ipsec.bad_icv = bad_icv;
	e->u.ipsec.have_iv = true;
	for (i = 0; i < ESP_IV_MAX; i++)
		e->u.ipsec.iv[i] = (uint8_t)(0xa0 + i);
	ATF_REQUIRE_EQ(pkt_encode(&b, out, cap, &n), 0);
	return n;
}

/*
 * scapy 2.5's SecurityAssociation(ESP, spi=0x1000, crypt_algo='AES-CBC',
 * auth_algo='HMAC-SHA1-96', keys as SA_TEXT).encrypt(BA_RH2, seq_num=5,
 * iv=a0..af): transport mode puts ESP after the RH2.
 */
#define BA_RH2_ESP_SCAPY						\
	IP6("005c", "2b", A_HA, A_COA) RH2("32")			\
	"0000100000000005a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"		\
	"dbdd43de636ec5a230f3217b78f088f46f146b4b368c9f2b856f2499d30313e8" \
	"fe73bc382a4e01548f0f02ac"

/* The sealed bytes are scapy's; the body opens to BA_RH2's MH. */
ATF_TC_WITHOUT_HEAD(esp_sealed_by_encoder);
ATF_TC_BODY(esp_sealed_by_encoder, tc)
{
	struct esp_sa sa = test_sa();
	uint8_t out[TH_MAXPKT], plain[TH_MAXPKT], mh[64], want[TH_MAXPKT];
	uint8_t nh = 0;
	size_t n = build_esp_ba(&sa, false, out, sizeof(out)), pn = 0;
	size_t wn = tu_hex(BA_RH2_ESP_SCAPY, want, sizeof(want));
	size_t mhn = tu_hex("3b0106004ca600801234006402020032", mh,
	    sizeof(mh));
	uint32_t seq = 0;

	/* 8 SPI/seq + 16 IV + 32 (16 MH + 14 pad + 2) + 12 ICV */
	ATF_REQUIRE_EQ(n, 40u + 24 + 8 + 16 + 32 + 12);
	ATF_CHECK_EQ(out[6], 43);			/* IPv6: RH */
	ATF_CHECK_EQ((out[4] << 8) | out[5], (int)n - 40);
	ATF_CHECK_EQ(out[40], 50);			/* RH2: ESP */
	ATF_CHECK_EQ(out[64] << 24 | out[65] << 16 | out[66] << 8 | out[67],
	    0x1000);
	ATF_CHECK_EQ(out[71], 5);
	ATF_REQUIRE_EQ(esp_open(&sa, out + 64, n - 64, plain, sizeof(plain),
	    &pn, &nh, &seq), ESP_OK);
	tu_bytes_eq("inner MH", plain, pn, mh, mhn);
	ATF_CHECK_EQ(nh, 135);
	ATF_CHECK_EQ(seq, 5u);
	tu_bytes_eq("as scapy", out, n, want, wn);
}

/* Given the SA, the decoder opens the ESP header and decodes the BA. */
ATF_TC_WITHOUT_HEAD(esp_opened_by_decoder);
ATF_TC_BODY(esp_opened_by_decoder, tc)
{
	struct esp_sa sa = test_sa();
	struct pkt_esp_keys k = { &sa, 1 };
	uint8_t out[TH_MAXPKT];
	size_t n = build_esp_ba(&sa, false, out, sizeof(out));
	char text[1024];
	struct sbuf sb;

	ATF_REQUIRE_EQ(pkt_decode_keys(&p, PKT_LINK_IPV6, out, n, n, &k), 0);
	th_no_viols(&p);
	ATF_REQUIRE_EQ(p.nhdr, 4u);
	ATF_CHECK_EQ(p.h[2].kind, HDR_ESP);
	ATF_CHECK(p.h[2].u.ipsec.opened);
	ATF_CHECK_EQ(p.h[2].u.ipsec.nh, 135);
	ATF_CHECK_EQ(p.h[2].u.ipsec.plain_len, 16);
	ATF_CHECK_EQ(p.h[2].u.ipsec.pad_len, 14);
	ATF_CHECK_EQ(p.h[2].len, 24);
	ATF_CHECK_EQ(p.h[3].kind, HDR_MH);
	ATF_CHECK_EQ(p.h[3].off, 88);	/* where the ciphertext starts */
	ATF_REQUIRE(p.has_mh);
	ATF_CHECK_EQ(p.mh.type, MH_BA);
	ATF_CHECK_EQ(hdr_next_proto(&p.h[2]), 135);
	th_short(&p, "2001:db8:1::1 > 2001:db8:2::100: ESP spi=0x00001000 "
	    "seq=5 BA status=0 K seq=4660 lifetime=400s rh2=2001:db8:1::100 "
	    "bra=200s");
	sbuf_init(&sb, text, sizeof(text));
	pkt_print_verbose(&sb, &p);
	ATF_CHECK_MSG(strstr(sbuf_str(&sb), "esp spi 0x00001000 seq 5\n"
	    "  opened: nh 135 (mobility) payload 16 pad_len 14\n") != NULL,
	    "%s", sbuf_str(&sb));
	/* another SPI in the table: nothing to open, as without keys */
	sa.spi = 0x1001;
	ATF_REQUIRE_EQ(pkt_decode_keys(&p, PKT_LINK_IPV6, out, n, n, &k), 0);
	ATF_CHECK(!p.has_mh);
	ATF_CHECK(!p.h[2].u.ipsec.opened);
}

/* Without keys nothing changes: SPI and sequence, then opaque data. */
ATF_TC_WITHOUT_HEAD(esp_opaque_without_keys);
ATF_TC_BODY(esp_opaque_without_keys, tc)
{
	struct esp_sa sa = test_sa();
	struct pkt_esp_keys none = { &sa, 0 };
	uint8_t out[TH_MAXPKT];
	size_t n = build_esp_ba(&sa, false, out, sizeof(out));

	ATF_REQUIRE_EQ(pkt_decode(&p, PKT_LINK_IPV6, out, n), 0);
	th_no_viols(&p);
	ATF_REQUIRE_EQ(p.nhdr, 4u);
	ATF_CHECK(!p.h[2].u.ipsec.opened);
	ATF_CHECK_EQ(p.h[3].kind, HDR_DATA);
	ATF_CHECK_EQ(p.h[3].u.data.proto, 50);
	ATF_CHECK(!p.has_mh);
	ATF_CHECK_EQ(hdr_next_proto(&p.h[2]), -1);
	th_short(&p, "2001:db8:1::1 > 2001:db8:2::100: ESP spi=0x00001000 "
	    "seq=5 len 60");
	ATF_REQUIRE_EQ(pkt_decode_keys(&p, PKT_LINK_IPV6, out, n, n, &none),
	    0);
	ATF_CHECK_EQ(p.h[3].kind, HDR_DATA);
}

/* A forged ICV or another key: not opened, and the violation says why
   (RFC 4303 §3.4.4.1). */
ATF_TC_WITHOUT_HEAD(esp_bad_icv_not_opened);
ATF_TC_BODY(esp_bad_icv_not_opened, tc)
{
	struct esp_sa sa = test_sa(), other = test_sa();
	struct pkt_esp_keys k = { &sa, 1 }, ko = { &other, 1 };
	uint8_t out[TH_MAXPKT];
	size_t n = build_esp_ba(&sa, true, out, sizeof(out));

	ATF_REQUIRE_EQ(pkt_decode_keys(&p, PKT_LINK_IPV6, out, n, n, &k), 0);
	TH_VIOLS(&p, { V_ESP_OPEN, 64 });
	th_viol_args(&p, 0, 0x1000, 0, "integrity check value does not match");
	ATF_CHECK_EQ(viol_severity(V_ESP_OPEN), VS_ERROR);
	ATF_CHECK_STREQ(viol_name(V_ESP_OPEN), "esp-open");
	ATF_CHECK(!p.h[2].u.ipsec.opened);
	ATF_CHECK_EQ(p.h[3].kind, HDR_DATA);
	ATF_CHECK(!p.has_mh);
	n = build_esp_ba(&sa, false, out, sizeof(out));
	other.auth_key[0] ^= 1;
	ATF_REQUIRE_EQ(pkt_decode_keys(&p, PKT_LINK_IPV6, out, n, n, &ko), 0);
	TH_VIOLS(&p, { V_ESP_OPEN, 64 });
	/* a capture cut inside the ESP body is not opened either */
	ATF_REQUIRE_EQ(pkt_decode_keys(&p, PKT_LINK_IPV6, out, n - 4, n, &k),
	    0);
	ATF_CHECK(!p.has_mh);
}

/* The SA's text: parsed, checked (esp_sa_check) and formatted back. */
ATF_TC_WITHOUT_HEAD(esp_sa_text);
ATF_TC_BODY(esp_sa_text, tc)
{
	struct esp_sa sa = test_sa();
	char text[256];

	ATF_CHECK_EQ(sa.spi, 0x1000u);
	ATF_CHECK_EQ(sa.enc, ESP_ENC_AES_CBC);
	ATF_CHECK_EQ(sa.enc_key_len, 16u);
	ATF_CHECK_EQ(sa.enc_key[15], 0x10);
	ATF_CHECK_EQ(sa.auth, ESP_AUTH_HMAC_SHA1_96);
	ATF_CHECK_EQ(sa.auth_key_len, 20u);
	pkt_esp_sa_format(&sa, text, sizeof(text));
	ATF_CHECK_STREQ(text, SA_TEXT);
	ATF_CHECK_EQ(pkt_esp_sa_parse("4097:null:-:hmac-sha256:0x"
	    "3132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f50",
	    &sa), NULL);
	ATF_CHECK_EQ(sa.spi, 4097u);
	pkt_esp_sa_format(&sa, text, sizeof(text));
	ATF_CHECK_STREQ(text, "0x1001:null:-:hmac-sha256:0x3132333435363738"
	    "393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f50");
	ATF_CHECK_STREQ(pkt_esp_sa_parse("0x1000:aes-cbc:0x01", &sa),
	    "expected SPI:ENC:ENCKEY:AUTH:AUTHKEY");
	ATF_CHECK_STREQ(pkt_esp_sa_parse("0x1000:rc4:-:none:-", &sa),
	    "unknown encryption (null, aes-cbc, 3des-cbc)");
	ATF_CHECK_STREQ(pkt_esp_sa_parse("0x1000:null:-:md5:-", &sa),
	    "unknown integrity (none, hmac-sha1, hmac-sha256)");
	ATF_CHECK_STREQ(pkt_esp_sa_parse("0x1000:aes-cbc:0x0g:none:-", &sa),
	    "encryption key is not hex of at most 32 octets");
	/* RFC 4303 §3.2: NULL with no integrity; §2.1: SPI 1..255 */
	ATF_CHECK(pkt_esp_sa_parse("0x1000:null:-:none:-", &sa) != NULL);
	ATF_CHECK(pkt_esp_sa_parse("0xff:null:-:hmac-sha1:0x2122232425262728"
	    "292a2b2c2d2e2f3031323334", &sa) != NULL);
	ATF_CHECK(pkt_esp_sa_parse("0x1000:aes-cbc:0x0102:none:-", &sa) !=
	    NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, capture_truncation_is_not_a_length_error);
	ATF_TP_ADD_TC(tp, bu_with_hao);
	ATF_TP_ADD_TC(tp, bu_checksum_over_coa_is_wrong);
	ATF_TP_ADD_TC(tp, ba_with_rh2);
	ATF_TP_ADD_TC(tp, hoti_tunnelled);
	ATF_TP_ADD_TC(tp, hao_and_rh2_not_allowed);
	ATF_TP_ADD_TC(tp, trailing_after_mh);
	ATF_TP_ADD_TC(tp, short_hdrlen_checksum_over_payload);
	ATF_TP_ADD_TC(tp, mps_with_hao);
	ATF_TP_ADD_TC(tp, nd_hop_limit_from_ipv6_header);
	ATF_TP_ADD_TC(tp, bu_in_ipv4_udp4191);
	ATF_TP_ADD_TC(tp, ipv4_in_ipv6);
	ATF_TP_ADD_TC(tp, ipv6_in_ipv4);
	ATF_TP_ADD_TC(tp, ipv4_udp4191_ipv4);
	ATF_TP_ADD_TC(tp, ipv4_in_ipv4);
	ATF_TP_ADD_TC(tp, encoder_computes_the_whole_stack);
	ATF_TP_ADD_TC(tp, encoder_keep_bits);
	ATF_TP_ADD_TC(tp, ipv4_udp);
	ATF_TP_ADD_TC(tp, ipv4_options);
	ATF_TP_ADD_TC(tp, ethernet_vlan);
	ATF_TP_ADD_TC(tp, linux_sll);
	ATF_TP_ADD_TC(tp, dlt_null);
	ATF_TP_ADD_TC(tp, ethernet_padding);
	ATF_TP_ADD_TC(tp, link_negatives);
	ATF_TP_ADD_TC(tp, ip4_version);
	ATF_TP_ADD_TC(tp, ip4_ihl);
	ATF_TP_ADD_TC(tp, ip4_total_length);
	ATF_TP_ADD_TC(tp, ip4_checksum);
	ATF_TP_ADD_TC(tp, ip4_fragment);
	ATF_TP_ADD_TC(tp, ip4_truncated_and_trailing);
	ATF_TP_ADD_TC(tp, udp_length);
	ATF_TP_ADD_TC(tp, udp_checksum);
	ATF_TP_ADD_TC(tp, udp6_checksum);
	ATF_TP_ADD_TC(tp, udp4191_payloads);
	ATF_TP_ADD_TC(tp, icmp4_in_ipv6);
	ATF_TP_ADD_TC(tp, names);
	ATF_TP_ADD_TC(tp, arp_request_and_reply);
	ATF_TP_ADD_TC(tp, arp_not_ethernet_ipv4);
	ATF_TP_ADD_TC(tp, arp_built);
	ATF_TP_ADD_TC(tp, violations_in_verbose_and_list);
	ATF_TP_ADD_TC(tp, esp_sealed_by_encoder);
	ATF_TP_ADD_TC(tp, esp_opened_by_decoder);
	ATF_TP_ADD_TC(tp, esp_opaque_without_keys);
	ATF_TP_ADD_TC(tp, esp_bad_icv_not_opened);
	ATF_TP_ADD_TC(tp, esp_sa_text);
	return atf_no_error();
}
