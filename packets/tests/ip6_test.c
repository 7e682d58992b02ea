/*
 * ip6_test.c - the IPv6 header and its extension headers: golden packets
 * (built independently with scapy 2.5, checksums verified by it) decoded
 * field by field, re-encoded to the same bytes and printed; the builders
 * and the encoder's keep bits; a negative test for every IPv6 and
 * extension-header violation (exact code and offset).
 */
#include <atf-c.h>
#include <string.h>

#include "packets/pkt.h"
#include "pkt_testlib.h"

static struct pkt p;
static uint8_t buf[TH_MAXPKT];
static size_t len;

/* IPv6 header (RFC 8200 §3): version 6, tclass 0, flow 0, then the
 * Payload Length, Next Header and Hop Limit given, then the addresses. */
#define IP6(plen, nh, src, dst)	"60000000" plen nh "40" src dst

/* RFC 6275 §6.3 canonical Destination Options header, 24 octets. */
#define DSTOPT_HAO(nh)							\
	nh "02"		/* Next Header, Hdr Ext Len 2 (24 octets) */	\
	"01020000"	/* PadN, 2 octets of zero data: HAO at 8n+6 */	\
	"c910" A_HOA	/* HAO type 201, length 16, home address */

/* RFC 6275 §6.4.1 Type 2 Routing header, 24 octets. */
#define RH2(nh, segleft)						\
	nh "02"		/* Next Header, Hdr Ext Len 2 */		\
	"02" segleft	/* Routing Type 2, Segments Left */		\
	"00000000"	/* Reserved */					\
	A_HOA		/* Home Address */

/* ---------------------------------------------------------------- HAO */

#define HAO_ECHO							\
	IP6("0020", "3c", A_COA, A_CN)	/* plen 32, Destination Options */ \
	DSTOPT_HAO("3a")						\
	"8000" "233f"	/* Echo Request, checksum with the HoA (RFC 6275 \
			   §6.3) */					\
	"0001" "0002"	/* Identifier 1, Sequence 2 */

ATF_TC_WITHOUT_HEAD(dstopt_hao_canonical_decodes_and_roundtrips);
ATF_TC_BODY(dstopt_hao_canonical_decodes_and_roundtrips, tc)
{
	const struct hdr_opts *o;
	uint8_t canon[24];

	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_RAW, HAO_ECHO, buf, &len), 0);
	th_no_viols(&p);
	ATF_REQUIRE_EQ(p.nhdr, 3);
	ATF_CHECK_EQ(p.h[0].kind, HDR_IPV6);
	ATF_CHECK_EQ(p.h[0].u.ip6.plen, 32);
	ATF_CHECK_EQ(p.h[0].u.ip6.nh, 60);
	ATF_CHECK_EQ(p.h[1].kind, HDR_DSTOPT);
	ATF_CHECK_EQ(p.h[1].off, 40);
	ATF_CHECK_EQ(p.h[1].len, 24);
	o = &p.h[1].u.opts;
	ATF_CHECK_EQ(o->nh, 58);
	ATF_CHECK_EQ(o->hdr_ext_len, 2);
	ATF_REQUIRE_EQ(o->ntlv, 2);
	ATF_CHECK_EQ(o->tlv[0].type, 1);
	ATF_CHECK_EQ(o->tlv[0].len, 2);
	ATF_CHECK_EQ(o->tlv[0].off, 2);
	ATF_CHECK_EQ(o->tlv[1].type, IP6_HAO_TYPE);
	ATF_CHECK_EQ(o->tlv[1].len, 16);
	ATF_CHECK_EQ(o->tlv[1].off, 6);
	th_in6_eq(&o->tlv[1].hoa, "2001:db8:1::100");
	th_in6_eq(pkt_hao(&p), "2001:db8:1::100");
	ATF_CHECK(pkt_rh2(&p) == NULL);
	ATF_CHECK_EQ(p.h[2].kind, HDR_ICMP6);
	ATF_CHECK(p.has_icmp6);
	/* the 24 canonical octets, as Linux and scapy emit them */
	tu_bytes_eq("dstopt", buf + 40, 24, canon,
	    tu_hex(DSTOPT_HAO("3a"), canon, sizeof(canon)));
	th_roundtrip(&p, buf, len);
	th_short(&p, "2001:db8:2::100 > 2001:db8:3::5: echo-request id=1 "
	    "seq=2 hoa=2001:db8:1::100");
}

static void
push_echo(struct pkt *q, const char *src, const char *dst)
{
	struct hdr *h = pkt_push(q, HDR_IPV6);

	ATF_REQUIRE(h != NULL);
	h->u.ip6.src = tu_in6(src);
	h->u.ip6.dst = tu_in6(dst);
}

/* pkt_push_hao: the canonical header; the checksum uses the HoA. */
ATF_TC_WITHOUT_HEAD(builder_hao_gives_canonical_bytes_and_hoa_checksum);
ATF_TC_BODY(builder_hao_gives_canonical_bytes_and_hoa_checksum, tc)
{
	struct in6_addr hoa = tu_in6("2001:db8:1::100");
	struct icmp6_msg *m;
	uint8_t want[TH_MAXPKT];
	size_t n = tu_hex(HAO_ECHO, want, sizeof(want));

	pkt_init(&p, PKT_LINK_RAW);
	push_echo(&p, "2001:db8:2::100", "2001:db8:3::5");
	ATF_REQUIRE(pkt_push_hao(&p, &hoa) != NULL);
	ATF_REQUIRE((m = pkt_push_icmp6(&p, ICMP6_T_ECHO_REQUEST, 0)) != NULL);
	m->u.echo.id = 1;
	m->u.echo.seq = 2;
	th_encode_eq("pkt_push_hao", &p, want, n);
}

/* A bare HAO TLV is aligned to 8n+6 and the header padded to 8n. */
ATF_TC_WITHOUT_HEAD(encoder_aligns_bare_hao_tlv);
ATF_TC_BODY(encoder_aligns_bare_hao_tlv, tc)
{
	struct icmp6_msg *m;
	struct hdr *h;
	uint8_t want[TH_MAXPKT];
	size_t n = tu_hex(HAO_ECHO, want, sizeof(want));

	pkt_init(&p, PKT_LINK_RAW);
	push_echo(&p, "2001:db8:2::100", "2001:db8:3::5");
	h = pkt_push(&p, HDR_DSTOPT);
	h->u.opts.ntlv = 1;
	h->u.opts.tlv[0].type = IP6_HAO_TYPE;	/* Length left 0 */
	h->u.opts.tlv[0].hoa = tu_in6("2001:db8:1::100");
	m = pkt_push_icmp6(&p, ICMP6_T_ECHO_REQUEST, 0);
	m->u.echo.id = 1;
	m->u.echo.seq = 2;
	th_encode_eq("bare HAO", &p, want, n);
}

/* HDR_KEEP_LEN and HDR_KEEP_NH write exactly the malformed fields. */
ATF_TC_WITHOUT_HEAD(encoder_keep_bits_write_given_fields);
ATF_TC_BODY(encoder_keep_bits_write_given_fields, tc)
{
	struct in6_addr hoa = tu_in6("2001:db8:1::100");
	struct hdr *ip, *d;
	uint8_t want[TH_MAXPKT];
	size_t n;

	pkt_init(&p, PKT_LINK_RAW);
	ip = pkt_push(&p, HDR_IPV6);
	ip->u.ip6.src = tu_in6("2001:db8:2::100");
	ip->u.ip6.dst = tu_in6("2001:db8:3::5");
	ip->u.ip6.plen = 0x1234;
	ip->u.ip6.nh = 17;
	ip->keep = HDR_KEEP_LEN | HDR_KEEP_NH;
	d = pkt_push_hao(&p, &hoa);
	d->u.opts.nh = 6;
	d->u.opts.hdr_ext_len = 0;	/* says 8 octets; 24 follow */
	d->keep = HDR_KEEP_LEN | HDR_KEEP_NH;
	n = tu_hex(IP6("1234", "11", A_COA, A_CN)
	    "0600"		/* Next Header 6 (kept), Hdr Ext Len 0 (kept) */
	    "01020000" "c910" A_HOA, want, sizeof(want));
	th_encode_eq("keep", &p, want, n);

	/* without the keep bits the same stack is repaired */
	ip->keep = 0;
	d->keep = 0;
	n = tu_hex(IP6("0018", "3c", A_COA, A_CN) DSTOPT_HAO("3b"), want,
	    sizeof(want));
	th_encode_eq("computed", &p, want, n);
}

/* ---------------------------------------------------------------- RH2 */

#define RH2_ECHO_REPLY(segleft, cksum)					\
	IP6("0020", "2b", A_CN, A_COA)	/* plen 32, Routing header */	\
	RH2("3a", segleft)						\
	"8100" cksum	/* Echo Reply; checksum with dst = the RH2 HoA	\
			   (RFC 8200 §8.1) */				\
	"0001" "0002"

ATF_TC_WITHOUT_HEAD(rh2_decodes_and_roundtrips);
ATF_TC_BODY(rh2_decodes_and_roundtrips, tc)
{
	const struct hdr_rh *rh;

	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_RAW, RH2_ECHO_REPLY("01", "223f"),
	    buf, &len), 0);
	th_no_viols(&p);
	ATF_REQUIRE_EQ(p.nhdr, 3);
	ATF_REQUIRE_EQ(p.h[1].kind, HDR_RH);
	ATF_CHECK_EQ(p.h[1].len, 24);
	rh = &p.h[1].u.rh;
	ATF_CHECK_EQ(rh->nh, 58);
	ATF_CHECK_EQ(rh->hdr_ext_len, 2);
	ATF_CHECK_EQ(rh->type, 2);
	ATF_CHECK_EQ(rh->segleft, 1);
	ATF_CHECK_EQ(rh->reserved, 0);
	ATF_CHECK_EQ(rh->data_len, 0);
	th_in6_eq(&rh->addr, "2001:db8:1::100");
	th_in6_eq(pkt_rh2(&p), "2001:db8:1::100");
	ATF_CHECK(pkt_hao(&p) == NULL);
	th_roundtrip(&p, buf, len);
	th_short(&p, "2001:db8:3::5 > 2001:db8:2::100: echo-reply id=1 seq=2 "
	    "rh2=2001:db8:1::100");
}

ATF_TC_WITHOUT_HEAD(builder_rh2_gives_golden_bytes);
ATF_TC_BODY(builder_rh2_gives_golden_bytes, tc)
{
	struct in6_addr hoa = tu_in6("2001:db8:1::100");
	struct icmp6_msg *m;
	uint8_t want[TH_MAXPKT];
	size_t n = tu_hex(RH2_ECHO_REPLY("01", "223f"), want, sizeof(want));

	pkt_init(&p, PKT_LINK_RAW);
	push_echo(&p, "2001:db8:3::5", "2001:db8:2::100");
	ATF_REQUIRE(pkt_push_rh2(&p, &hoa) != NULL);
	m = pkt_push_icmp6(&p, ICMP6_T_ECHO_REPLY, 0);
	m->u.echo.id = 1;
	m->u.echo.seq = 2;
	th_encode_eq("pkt_push_rh2", &p, want, n);
}

/* Segments Left 0: wrong (RFC 6275 §6.4.1), and the pseudo-header then
 * uses the IPv6 destination, so the HoA-based checksum no longer fits. */
ATF_TC_WITHOUT_HEAD(rh2_segleft_zero);
ATF_TC_BODY(rh2_segleft_zero, tc)
{
	th_decode(&p, PKT_LINK_RAW, RH2_ECHO_REPLY("00", "223f"), buf, &len);
	TH_VIOLS(&p, { V_RH2_SEGLEFT, 43 }, { V_ICMP6_CHECKSUM, 66 });
	th_viol_args(&p, 0, 0, 0, NULL);
	th_viol_args(&p, 1, 0x223f, 0x223e, NULL);
}

/* ----------------------------------------------------- fragment, AH, ESP */

#define FRAG_FIRST							\
	IP6("0018", "2c", A_CN, A_COA)	/* plen 24, Fragment */		\
	"11" "00"	/* Next Header UDP, Reserved */			\
	"0001"		/* Fragment Offset 0, Res 0, M 1 */		\
	"12345678"	/* Identification */				\
	"000102030405060708090a0b0c0d0e0f"

ATF_TC_WITHOUT_HEAD(fragment_first_is_not_decoded);
ATF_TC_BODY(fragment_first_is_not_decoded, tc)
{
	const struct hdr_frag *f;

	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_RAW, FRAG_FIRST, buf, &len), 0);
	TH_VIOLS(&p, { V_FRAG_NOT_FIRST, 40 });
	th_viol_args(&p, 0, 0, 1, NULL);
	ATF_REQUIRE_EQ(p.nhdr, 3);
	f = &p.h[1].u.frag;
	ATF_CHECK_EQ(f->nh, 17);
	ATF_CHECK_EQ(f->offset, 0);
	ATF_CHECK(f->m);
	ATF_CHECK_EQ(f->id, 0x12345678);
	ATF_CHECK_EQ(p.h[2].kind, HDR_DATA);
	ATF_CHECK_EQ(p.h[2].u.data.proto, 17);
	ATF_CHECK_EQ(p.h[2].u.data.len, 16);
	th_roundtrip(&p, buf, len);
	th_short(&p, "2001:db8:3::5 > 2001:db8:2::100: frag id=0x12345678 "
	    "off=0 M udp 16");
}

ATF_TC_WITHOUT_HEAD(fragment_later_reports_byte_offset);
ATF_TC_BODY(fragment_later_reports_byte_offset, tc)
{
	th_decode(&p, PKT_LINK_RAW, IP6("0010", "2c", A_CN, A_COA)
	    "1100" "05c8"	/* offset 185 (1480 octets), M 0 */
	    "12345678" "0001020304050607", buf, &len);
	TH_VIOLS(&p, { V_FRAG_NOT_FIRST, 40 });
	th_viol_args(&p, 0, 1480, 0, NULL);
	th_roundtrip(&p, buf, len);
	th_short(&p, "2001:db8:3::5 > 2001:db8:2::100: frag id=0x12345678 "
	    "off=1480 udp 8");
}

/* An atomic fragment (RFC 6946) is decoded through to UDP. */
ATF_TC_WITHOUT_HEAD(fragment_atomic_is_decoded);
ATF_TC_BODY(fragment_atomic_is_decoded, tc)
{
	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_RAW,
	    IP6("0014", "2c", A_CN, A_COA)
	    "1100" "0000" "12345678"	/* offset 0, M 0 */
	    "1388" "0035" "000c" "8f9d"	/* UDP 5000 > 53, len 12, checksum */
	    "00000000", buf, &len), 0);
	th_no_viols(&p);
	ATF_REQUIRE_EQ(p.nhdr, 4);
	ATF_CHECK_EQ(p.h[2].kind, HDR_UDP);
	th_roundtrip(&p, buf, len);
	th_short(&p, "2001:db8:3::5 > 2001:db8:2::100: frag id=0x12345678 "
	    "off=0 udp 5000 > 53 len 4");
}

#define AH_ECHO								\
	IP6("0020", "33", A_COA, A_CN)	/* plen 32, AH */		\
	"3a" "04"	/* Next Header ICMPv6, Payload Len 4: 24 octets	\
			   (RFC 4302 §2.2) */				\
	"0000"		/* Reserved */					\
	"00000100"	/* SPI */					\
	"00000001"	/* Sequence Number */				\
	"000000000000000000000000"	/* ICV, 12 octets */		\
	"8000233e00010002"	/* Echo Request, id 1, seq 2 */

ATF_TC_WITHOUT_HEAD(ah_is_skipped_by_its_length);
ATF_TC_BODY(ah_is_skipped_by_its_length, tc)
{
	const struct hdr_ipsec *a;

	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_RAW, AH_ECHO, buf, &len), 0);
	th_no_viols(&p);
	ATF_REQUIRE_EQ(p.nhdr, 3);
	ATF_CHECK_EQ(p.h[1].kind, HDR_AH);
	ATF_CHECK_EQ(p.h[1].len, 24);
	a = &p.h[1].u.ipsec;
	ATF_CHECK_EQ(a->nh, 58);
	ATF_CHECK_EQ(a->ah_len, 4);
	ATF_CHECK_EQ(a->spi, 0x100);
	ATF_CHECK_EQ(a->seq, 1);
	ATF_CHECK_EQ(p.h[2].kind, HDR_ICMP6);
	ATF_CHECK_EQ(p.h[2].off, 64);
	th_roundtrip(&p, buf, len);
	th_short(&p, "2001:db8:2::100 > 2001:db8:3::5: AH spi=0x00000100 seq=1 "
	    "echo-request id=1 seq=2");
}

ATF_TC_WITHOUT_HEAD(esp_is_opaque);
ATF_TC_BODY(esp_is_opaque, tc)
{
	ATF_REQUIRE_EQ(th_decode(&p, PKT_LINK_RAW,
	    IP6("0020", "32", A_COA, A_HA)	/* plen 32, ESP */
	    "00001000" "00000005"	/* SPI, Sequence Number (RFC 4303) */
	    "000102030405060708090a0b0c0d0e0f1011121314151617", buf, &len),
	    0);
	th_no_viols(&p);
	ATF_REQUIRE_EQ(p.nhdr, 3);
	ATF_CHECK_EQ(p.h[1].kind, HDR_ESP);
	ATF_CHECK_EQ(p.h[1].u.ipsec.spi, 0x1000);
	ATF_CHECK_EQ(p.h[1].u.ipsec.seq, 5);
	ATF_CHECK_EQ(p.h[2].kind, HDR_DATA);
	ATF_CHECK_EQ(p.h[2].u.data.proto, 50);
	ATF_CHECK_EQ(p.h[2].u.data.len, 24);
	th_roundtrip(&p, buf, len);
	th_short(&p, "2001:db8:2::100 > 2001:db8:1::1: ESP spi=0x00001000 "
	    "seq=5 len 24");
}

/* ------------------------------------------------ IPv6 header negatives */

ATF_TC_WITHOUT_HEAD(ip6_version);
ATF_TC_BODY(ip6_version, tc)
{
	th_decode(&p, PKT_LINK_IPV6, "50000000" "0000" "3b" "40" A_COA A_CN,
	    buf, &len);
	TH_VIOLS(&p, { V_IP6_VERSION, 0 });
	th_viol_args(&p, 0, 5, 0, NULL);
}

ATF_TC_WITHOUT_HEAD(ip6_payload_length_beyond_capture);
ATF_TC_BODY(ip6_payload_length_beyond_capture, tc)
{
	th_decode(&p, PKT_LINK_RAW, IP6("0010", "3b", A_COA, A_CN)
	    "0001020304050607", buf, &len);
	TH_VIOLS(&p, { V_IP6_PLEN, 4 });
	th_viol_args(&p, 0, 16, 8, NULL);
}

ATF_TC_WITHOUT_HEAD(ip6_trailing_bytes);
ATF_TC_BODY(ip6_trailing_bytes, tc)
{
	th_decode(&p, PKT_LINK_RAW, IP6("0000", "3b", A_COA, A_CN) "01020304",
	    buf, &len);
	TH_VIOLS(&p, { V_TRAILING_BYTES, 40 });
	th_viol_args(&p, 0, 4, 0, "IPv6 packet");
	th_short(&p, "2001:db8:2::100 > 2001:db8:3::5: no-next-header 0");
}

ATF_TC_WITHOUT_HEAD(ip6_truncated_header);
ATF_TC_BODY(ip6_truncated_header, tc)
{
	char hex[200];

	strcpy(hex, IP6("0000", "3b", A_COA, A_CN));
	hex[strlen(hex) - 2] = '\0';	/* 39 octets */
	ATF_CHECK_EQ(th_decode(&p, PKT_LINK_RAW, hex, buf, &len), -1);
	TH_VIOLS(&p, { V_TRUNCATED, 0 });
	th_viol_args(&p, 0, 40, 39, "IPv6 header");
	ATF_CHECK_EQ(p.nhdr, 0);
	th_short(&p, "[|truncated]");
}

/* The capture ends inside the Destination Options header. */
ATF_TC_WITHOUT_HEAD(ext_truncated_by_capture);
ATF_TC_BODY(ext_truncated_by_capture, tc)
{
	ATF_CHECK_EQ(th_decode(&p, PKT_LINK_RAW, IP6("0018", "3c", A_COA, A_CN)
	    "3b02" "01020000" "c910" "20010db8", buf, &len), -1);
	TH_VIOLS(&p, { V_IP6_PLEN, 4 }, { V_TRUNCATED, 40 });
	th_viol_args(&p, 1, 24, 12, "Destination Options header");
	th_short(&p, "2001:db8:2::100 > 2001:db8:3::5: [|ipv6-opts]");
}

/* Hdr Ext Len points past the Payload Length (RFC 8200 §4). */
ATF_TC_WITHOUT_HEAD(ext_past_payload_length);
ATF_TC_BODY(ext_past_payload_length, tc)
{
	th_decode(&p, PKT_LINK_RAW, IP6("0008", "3c", A_COA, A_CN)
	    "3b01" "010400000000", buf, &len);
	TH_VIOLS(&p, { V_EXT_PAST_END, 40 });
	th_viol_args(&p, 0, 16, 8, "Destination Options header");
}

/* RFC 8200 §4.1: a Routing header after a Fragment header. */
ATF_TC_WITHOUT_HEAD(ext_order);
ATF_TC_BODY(ext_order, tc)
{
	th_decode(&p, PKT_LINK_RAW, IP6("0010", "2c", A_COA, A_CN)
	    "2b00" "0000" "00000001"	/* atomic fragment, then Routing */
	    "3b00" "00" "00" "00000000", /* type 0, Segments Left 0 */
	    buf, &len);
	TH_VIOLS(&p, { V_EXT_ORDER, 48 });
	th_viol_args(&p, 0, 43, 0, "Routing header");
}

ATF_TC_WITHOUT_HEAD(hbh_not_first);
ATF_TC_BODY(hbh_not_first, tc)
{
	th_decode(&p, PKT_LINK_RAW, IP6("0010", "3c", A_COA, A_CN)
	    "0000" "010400000000"	/* Destination Options, then HBH */
	    "3b00" "010400000000", buf, &len);
	TH_VIOLS(&p, { V_HBH_NOT_FIRST, 48 });
}

ATF_TC_WITHOUT_HEAD(tlv_past_end);
ATF_TC_BODY(tlv_past_end, tc)
{
	th_decode(&p, PKT_LINK_RAW, IP6("0008", "3c", A_COA, A_CN)
	    "3b00" "050a00000000", buf, &len);	/* type 5, length 10 */
	TH_VIOLS(&p, { V_TLV_PAST_END, 42 });
	th_viol_args(&p, 0, 5, 10, "Destination Options header");
}

ATF_TC_WITHOUT_HEAD(hao_length);
ATF_TC_BODY(hao_length, tc)
{
	th_decode(&p, PKT_LINK_RAW, IP6("0018", "3c", A_COA, A_CN)
	    "3b02" "01020000"
	    "c90e" "2001 0db8 0001 0000 0000 0000 0001"	/* length 14 */
	    "0100", buf, &len);
	TH_VIOLS(&p, { V_HAO_LENGTH, 46 });
	th_viol_args(&p, 0, 14, 0, NULL);
	ATF_CHECK(pkt_hao(&p) == NULL);
}

ATF_TC_WITHOUT_HEAD(hao_misaligned);
ATF_TC_BODY(hao_misaligned, tc)
{
	th_decode(&p, PKT_LINK_RAW, IP6("0018", "3c", A_COA, A_CN)
	    "3b02" "c910" A_HOA "01020000", buf, &len);	/* HAO at 2 */
	TH_VIOLS(&p, { V_HAO_MISALIGNED, 42 });
	th_viol_args(&p, 0, 2, 0, NULL);
	/* still the home address for the pseudo-header */
	th_in6_eq(pkt_hao(&p), "2001:db8:1::100");
}

ATF_TC_WITHOUT_HEAD(hao_duplicate);
ATF_TC_BODY(hao_duplicate, tc)
{
	th_decode(&p, PKT_LINK_RAW, IP6("0030", "3c", A_COA, A_CN)
	    "3b05" "01020000" "c910" A_HOA
	    "010400000000" "c910" A_HA, buf, &len);	/* second at 30 */
	TH_VIOLS(&p, { V_HAO_DUPLICATE, 70 });
	th_in6_eq(pkt_hao(&p), "2001:db8:1::100");
}

/* RFC 6275 §6.3: after the Routing header, before Fragment/AH/ESP. */
ATF_TC_WITHOUT_HEAD(hao_placement);
ATF_TC_BODY(hao_placement, tc)
{
	th_decode(&p, PKT_LINK_RAW, IP6("0030", "3c", A_COA, A_CN)
	    DSTOPT_HAO("2b") RH2("3b", "01"), buf, &len);
	TH_VIOLS(&p, { V_HAO_PLACEMENT, 40 });

	th_decode(&p, PKT_LINK_RAW, IP6("0020", "2c", A_COA, A_CN)
	    "3c00" "0000" "00000001" DSTOPT_HAO("3b"), buf, &len);
	TH_VIOLS(&p, { V_HAO_PLACEMENT, 48 });

	/* the allowed place: Routing, HAO, AH */
	th_decode(&p, PKT_LINK_RAW, IP6("0048", "2b", A_COA, A_CN)
	    RH2("3c", "01") DSTOPT_HAO("33")
	    "3b04" "0000" "00000100" "00000001" "000000000000000000000000",
	    buf, &len);
	th_no_viols(&p);
}

ATF_TC_WITHOUT_HEAD(rh_unknown_type);
ATF_TC_BODY(rh_unknown_type, tc)
{
	th_decode(&p, PKT_LINK_RAW, IP6("0018", "2b", A_COA, A_CN)
	    "3b02" "00" "01" "00000000" A_HA, buf, &len);
	TH_VIOLS(&p, { V_RH_UNKNOWN_TYPE, 42 });
	th_viol_args(&p, 0, 0, 1, NULL);
	/* with Segments Left 0 an unknown type is ignored (RFC 8200 §4.4) */
	th_decode(&p, PKT_LINK_RAW, IP6("0018", "2b", A_COA, A_CN)
	    "3b02" "00" "00" "00000000" A_HA, buf, &len);
	th_no_viols(&p);
}

/* The pseudo-header uses a routing header's final destination: encoder
 * and decoder agree for a Type 0 header (RFC 8200 §8.1). */
ATF_TC_WITHOUT_HEAD(rh_final_destination_in_pseudo_header);
ATF_TC_BODY(rh_final_destination_in_pseudo_header, tc)
{
	struct in6_addr last = tu_in6("2001:db8:3::99");
	uint8_t out[TH_MAXPKT];
	struct icmp6_msg *m;
	struct hdr *h;
	size_t n;

	pkt_init(&p, PKT_LINK_RAW);
	push_echo(&p, "2001:db8:2::100", "2001:db8:3::5");
	h = pkt_push(&p, HDR_RH);
	h->u.rh.type = 0;
	h->u.rh.segleft = 1;
	h->u.rh.data_len = 20;		/* Reserved, one address */
	memcpy(h->u.rh.data + 4, &last, 16);
	m = pkt_push_icmp6(&p, ICMP6_T_ECHO_REQUEST, 0);
	m->u.echo.id = 9;
	ATF_REQUIRE_EQ(pkt_encode(&p, out, sizeof(out), &n), 0);
	pkt_decode(&p, PKT_LINK_RAW, out, n);
	TH_VIOLS(&p, { V_RH_UNKNOWN_TYPE, 42 });
}

ATF_TC_WITHOUT_HEAD(rh2_length);
ATF_TC_BODY(rh2_length, tc)
{
	th_decode(&p, PKT_LINK_RAW, IP6("0028", "2b", A_COA, A_CN)
	    "3b04" "02" "01" "00000000" A_HOA A_HA, buf, &len);
	TH_VIOLS(&p, { V_RH2_LENGTH, 41 });
	th_viol_args(&p, 0, 4, 0, NULL);
	th_roundtrip(&p, buf, len);
}

ATF_TC_WITHOUT_HEAD(rh2_duplicate);
ATF_TC_BODY(rh2_duplicate, tc)
{
	th_decode(&p, PKT_LINK_RAW, IP6("0030", "2b", A_COA, A_CN)
	    RH2("2b", "01") RH2("3b", "01"), buf, &len);
	TH_VIOLS(&p, { V_RH2_DUPLICATE, 64 });
}

ATF_TC_WITHOUT_HEAD(padn_nonzero);
ATF_TC_BODY(padn_nonzero, tc)
{
	th_decode(&p, PKT_LINK_RAW, IP6("0018", "3c", A_COA, A_CN)
	    "3b02" "01020001" "c910" A_HOA, buf, &len);
	TH_VIOLS(&p, { V_PADN_NONZERO, 42 });
	th_viol_args(&p, 0, 2, 0, "Destination Options header");
	th_roundtrip(&p, buf, len);
}

/* More options than IP6_TLV_MAX: the rest is checked but not kept. */
ATF_TC_WITHOUT_HEAD(too_many_options);
ATF_TC_BODY(too_many_options, tc)
{
	th_decode(&p, PKT_LINK_RAW, IP6("0010", "3c", A_COA, A_CN)
	    "3b01" "0000000000000000000000000000", buf, &len); /* 14 Pad1 */
	TH_VIOLS(&p, { V_TOO_MANY, 50 });
	th_viol_args(&p, 0, IP6_TLV_MAX, 0, "options in an extension header");
	ATF_CHECK_EQ(p.h[1].u.opts.ntlv, IP6_TLV_MAX);
}

/* Option or routing data beyond what the model keeps, if not zero. */
ATF_TC_WITHOUT_HEAD(data_beyond_kept);
ATF_TC_BODY(data_beyond_kept, tc)
{
	char hex[400];
	int i;

	/* a 36-octet option: 32 kept, the rest zero: nothing lost */
	strcpy(hex, IP6("0028", "3c", A_COA, A_CN) "3b04" "0524");
	for (i = 0; i < 36; i++)
		strcat(hex, "00");
	th_decode(&p, PKT_LINK_RAW, hex, buf, &len);
	th_no_viols(&p);
	th_roundtrip(&p, buf, len);
	hex[strlen(hex) - 2] = '7';	/* last octet 0x70 */
	th_decode(&p, PKT_LINK_RAW, hex, buf, &len);
	TH_VIOLS(&p, { V_TOO_MANY, 42 });
	th_viol_args(&p, 0, 32, 0, "option data bytes");

	/* a type 0 routing header with 5 addresses: 64 octets kept */
	strcpy(hex, IP6("0058", "2b", A_COA, A_CN) "3b0a" "00" "00" "00000000");
	for (i = 0; i < 5; i++)
		strcat(hex, A_HA);
	th_decode(&p, PKT_LINK_RAW, hex, buf, &len);
	TH_VIOLS(&p, { V_TOO_MANY, 40 });
	th_viol_args(&p, 0, 64, 0, "Routing header data bytes");
}

/* Nesting beyond PKT_MAX_HDRS headers stops the decoder. */
ATF_TC_WITHOUT_HEAD(too_many_headers);
ATF_TC_BODY(too_many_headers, tc)
{
	struct hdr *h;
	uint8_t out[TH_MAXPKT];
	size_t i, n;

	pkt_init(&p, PKT_LINK_RAW);
	for (i = 0; i < PKT_MAX_HDRS; i++) {
		h = pkt_push(&p, HDR_IPV6);
		h->u.ip6.src = tu_in6("2001:db8:2::100");
		h->u.ip6.dst = tu_in6("2001:db8:1::1");
	}
	ATF_CHECK(pkt_push(&p, HDR_IPV6) == NULL);
	ATF_REQUIRE_EQ(pkt_encode(&p, out, sizeof(out), &n), 0);
	/* one more IPv6 header inside the innermost */
	memmove(out + 40, out, n);
	memcpy(out, out + 40, 40);
	out[4] = (uint8_t)(n >> 8);
	out[5] = (uint8_t)n;
	out[6] = 41;
	pkt_decode(&p, PKT_LINK_RAW, out, n + 40);
	TH_VIOLS(&p, { V_TOO_MANY, 640 });
	th_viol_args(&p, 0, PKT_MAX_HDRS, 0, "headers");
	ATF_CHECK_EQ(p.nhdr, PKT_MAX_HDRS);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, dstopt_hao_canonical_decodes_and_roundtrips);
	ATF_TP_ADD_TC(tp, builder_hao_gives_canonical_bytes_and_hoa_checksum);
	ATF_TP_ADD_TC(tp, encoder_aligns_bare_hao_tlv);
	ATF_TP_ADD_TC(tp, encoder_keep_bits_write_given_fields);
	ATF_TP_ADD_TC(tp, rh2_decodes_and_roundtrips);
	ATF_TP_ADD_TC(tp, builder_rh2_gives_golden_bytes);
	ATF_TP_ADD_TC(tp, rh2_segleft_zero);
	ATF_TP_ADD_TC(tp, fragment_first_is_not_decoded);
	ATF_TP_ADD_TC(tp, fragment_later_reports_byte_offset);
	ATF_TP_ADD_TC(tp, fragment_atomic_is_decoded);
	ATF_TP_ADD_TC(tp, ah_is_skipped_by_its_length);
	ATF_TP_ADD_TC(tp, esp_is_opaque);
	ATF_TP_ADD_TC(tp, ip6_version);
	ATF_TP_ADD_TC(tp, ip6_payload_length_beyond_capture);
	ATF_TP_ADD_TC(tp, ip6_trailing_bytes);
	ATF_TP_ADD_TC(tp, ip6_truncated_header);
	ATF_TP_ADD_TC(tp, ext_truncated_by_capture);
	ATF_TP_ADD_TC(tp, ext_past_payload_length);
	ATF_TP_ADD_TC(tp, ext_order);
	ATF_TP_ADD_TC(tp, hbh_not_first);
	ATF_TP_ADD_TC(tp, tlv_past_end);
	ATF_TP_ADD_TC(tp, hao_length);
	ATF_TP_ADD_TC(tp, hao_misaligned);
	ATF_TP_ADD_TC(tp, hao_duplicate);
	ATF_TP_ADD_TC(tp, hao_placement);
	ATF_TP_ADD_TC(tp, rh_unknown_type);
	ATF_TP_ADD_TC(tp, rh_final_destination_in_pseudo_header);
	ATF_TP_ADD_TC(tp, rh2_length);
	ATF_TP_ADD_TC(tp, rh2_duplicate);
	ATF_TP_ADD_TC(tp, padn_nonzero);
	ATF_TP_ADD_TC(tp, too_many_options);
	ATF_TP_ADD_TC(tp, data_beyond_kept);
	ATF_TP_ADD_TC(tp, too_many_headers);
	return atf_no_error();
}
