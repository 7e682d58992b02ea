/*
 * emul_test.c - the emulated nodes (emul_nodes.c): frames in, frames out,
 * compared byte for byte and decoded with packets/: a Neighbor
 * Solicitation for an emulated address gets a solicited Neighbor
 * Advertisement (RFC 4861 §7.2.4), one from the unspecified address an
 * unsolicited one to all-nodes, an Echo Request to a node declared
 * echo=yes gets its Echo Reply (RFC 4443 §4.2), other frames are left to
 * the case; an ARP request for an emulated IPv4 address (addr4, v4coa) gets
 * its ARP reply (RFC 826), one for another address is the case's;
 * routers and home agents send Router Advertisements on time with the
 * RFC 6275 §7 options, and movement switches which router advertises.
 */
#include <atf-c.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/engine/emul.h"
#include "conformance/engine/netdev.h"
#include "ctest.h"
#include "packets/arp.h"
#include "packets/pkt.h"
#include "packets/tests/testutil.h"

static const char nut_text[] =
	"nut n\nrole node\nnetdev afpacket\ncontrol local nut\n"
	"topology one-link link0\n"
	"link link0 tester=tn0 mac=02:00:00:00:00:a0\n"
	"iface link0 dev=eth0 mac=02:00:00:00:01:01 addr=2001:db8:1::1\n"
	"node tn link0 mac=02:00:00:00:00:a0 addr=2001:db8:1::a0 ll=fe80::a0 "
	"echo=yes\n"
	"node mn0 link0 mac=02:00:00:00:00:b0 coa=2001:db8:1::b0 "
	"hoa=2001:db8:5::b0 v4coa=192.0.2.10 v4hoa=198.51.100.7\n"
	"node r4 link0 mac=02:00:00:00:00:e0 addr4=192.0.2.254\n"
	"node r0 link0 mac=02:00:00:00:00:c0 ll=fe80::c0 router=yes "
	"ha=yes addr=2001:db8:1::c0 prefix=2001:db8:1::/64 ra-interval=1\n"
	"node r1 link0 mac=02:00:00:00:00:d0 ll=fe80::d0 router=yes "
	"advertise=no prefix=2001:db8:2::/64\n";

/* The NUT (2001:db8:1::1, 02:..:01:01) asks for 2001:db8:1::a0. */
static const char ns_tn[] =
	"3333ff0000a002000000010186dd6000000000203aff20010db8000100000000"
	"000000000001ff0200000000000000000001ff0000a0870019e9000000002001"
	"0db80001000000000000000000a00101020000000101";
/* The answer: from tn's MAC to the NUT's, S and O set, TLLA = tn's MAC. */
static const char na_tn[] =
	"0200000001010200000000a086dd6000000000203aff20010db8000100000000"
	"0000000000a020010db8000100000000000000000001880088946000000020010d"
	"b80001000000000000000000a002010200000000a0";

static struct emul *
open_emul(struct nutdesc **d)
{
	char err[200];
	struct emul *em;

	*d = ct_nut("n.nut", nut_text);
	em = emul_nodes_open(*d, err, sizeof(err));
	ATF_REQUIRE_MSG(em != NULL, "%s", err);
	return em;
}

static void
close_all(struct emul *em, struct nutdesc *d, struct frame *in,
    struct frame *out, struct pkt *p)
{
	emul_close(em);
	nut_free(d);
	free(in);
	free(out);
	free(p);
}

static void
frame_in(struct frame *f, struct pkt *p, const char *hex)
{
	memset(f, 0, sizeof(*f));
	strcpy(f->link, "link0");
	f->len = tu_hex(hex, f->data, sizeof(f->data));
	ATF_REQUIRE(pkt_decode(p, PKT_LINK_ETHER, f->data, f->len) == 0);
}

/* An NS from the NUT (its MAC and address, with SLLA) for `target`. */
static void
ns_frame(struct frame *f, struct pkt *p, const char *target)
{
	struct hdr *h;
	struct nd_opt *o;
	struct icmp6_msg *m;

	pkt_init(p, PKT_LINK_ETHER);
	h = pkt_push(p, HDR_ETH);
	memcpy(h->u.eth.src, "\x02\x00\x00\x00\x01\x01", 6);
	memcpy(h->u.eth.dst, "\x33\x33\xff\x00\x00\x00", 6);
	h->u.eth.ethertype = 0x86dd;
	h = pkt_push(p, HDR_IPV6);
	h->u.ip6.hlim = 255;
	h->u.ip6.src = tu_in6("2001:db8:1::1");
	h->u.ip6.dst = tu_in6("ff02::1:ff00:0");
	m = pkt_push_icmp6(p, ICMP6_T_NS, 0);
	m->u.nsna.target = tu_in6(target);
	o = icmp6_add_opt(m, NDOPT_SLLA);
	memcpy(o->u.lladdr, "\x02\x00\x00\x00\x01\x01", 6);
	memset(f, 0, sizeof(*f));
	strcpy(f->link, "link0");
	ATF_REQUIRE(pkt_encode(p, f->data, sizeof(f->data), &f->len) == 0);
	ATF_REQUIRE(pkt_decode(p, PKT_LINK_ETHER, f->data, f->len) == 0);
	ATF_REQUIRE_EQ(p->viol.n, 0);
}

static struct pkt *
decode_ok(const struct frame *f)
{
	struct pkt *p = calloc(1, sizeof(*p));

	ATF_REQUIRE(p != NULL);
	ATF_REQUIRE_EQ(pkt_decode(p, PKT_LINK_ETHER, f->data, f->len), 0);
	ATF_CHECK_EQ_MSG(p->viol.n, 0, "violations in an emulated frame");
	ATF_REQUIRE(p->has_icmp6);
	return p;
}

ATF_TC_WITHOUT_HEAD(ns_for_emulated_address);
ATF_TC_BODY(ns_for_emulated_address, tc)
{
	struct nutdesc *d;
	struct emul *em = open_emul(&d);
	struct frame *in = calloc(1, sizeof(*in)), *out = calloc(1,
	    sizeof(*out));
	struct pkt *p = calloc(1, sizeof(*p)), *q;
	uint8_t want[200];
	size_t n = tu_hex(na_tn, want, sizeof(want));

	frame_in(in, p, ns_tn);
	ATF_REQUIRE_EQ(em->ops->frame(em, in, p, out), EMUL_REPLY);
	ATF_CHECK_STREQ(out->link, "link0");
	tu_bytes_eq("NA", out->data, out->len, want, n);
	q = decode_ok(out);
	ATF_CHECK_EQ(q->icmp6.type, ICMP6_T_NA);
	ATF_CHECK_EQ(q->icmp6.u.nsna.flags, ND_NA_S | ND_NA_O);
	ATF_CHECK_EQ(pkt_find(q, HDR_IPV6)->u.ip6.hlim, 255);
	free(q);
	close_all(em, d, in, out, p);
}

ATF_TC_WITHOUT_HEAD(ns_for_care_of_address_and_router);
ATF_TC_BODY(ns_for_care_of_address_and_router, tc)
{
	struct nutdesc *d;
	struct emul *em = open_emul(&d);
	struct frame *in = calloc(1, sizeof(*in)), *out = calloc(1,
	    sizeof(*out));
	struct pkt *p = calloc(1, sizeof(*p)), *q;
	const struct nd_opt *o;
	char hex[300];

	/* NS for mn0's care-of address 2001:db8:1::b0 (checksum 0x19c9). */
	snprintf(hex, sizeof(hex), "%s", "3333ff0000b002000000010186dd600000"
	    "0000203aff20010db8000100000000000000000001ff020000000000000000"
	    "0001ff0000b0870019c90000000020010db80001000000000000000000b001"
	    "01020000000101");
	frame_in(in, p, hex);
	ATF_REQUIRE_EQ(em->ops->frame(em, in, p, out), EMUL_REPLY);
	q = decode_ok(out);
	ATF_CHECK(memcmp(pkt_find(q, HDR_ETH)->u.eth.src,
	    "\x02\x00\x00\x00\x00\xb0", 6) == 0);
	ATF_CHECK(memcmp(&pkt_find(q, HDR_IPV6)->u.ip6.src,
	    &(struct in6_addr){ .s6_addr = { 0x20, 0x01, 0x0d, 0xb8, 0, 1,
	    [15] = 0xb0 } }, 16) == 0);
	ATF_REQUIRE((o = icmp6_find_opt(&q->icmp6, NDOPT_TLLA)) != NULL);
	ATF_CHECK(memcmp(o->u.lladdr, "\x02\x00\x00\x00\x00\xb0", 6) == 0);
	free(q);

	/* The router's address: the R flag too (RFC 4861 §7.2.4). */
	ns_frame(in, p, "2001:db8:1::c0");
	ATF_REQUIRE_EQ(em->ops->frame(em, in, p, out), EMUL_REPLY);
	q = decode_ok(out);
	ATF_CHECK_EQ(q->icmp6.u.nsna.flags, ND_NA_R | ND_NA_S | ND_NA_O);
	free(q);
	close_all(em, d, in, out, p);
}

ATF_TC_WITHOUT_HEAD(other_frames_are_the_cases);
ATF_TC_BODY(other_frames_are_the_cases, tc)
{
	struct nutdesc *d;
	struct emul *em = open_emul(&d);
	struct frame *in = calloc(1, sizeof(*in)), *out = calloc(1,
	    sizeof(*out));
	struct pkt *p = calloc(1, sizeof(*p));

	/* NS for addresses nobody emulates on this link. */
	ns_frame(in, p, "2001:db8:1::99");
	ATF_CHECK_EQ(em->ops->frame(em, in, p, out), EMUL_PASS);
	ns_frame(in, p, "2001:db8:5::b0");	/* mn0's home address */
	ATF_CHECK_EQ(em->ops->frame(em, in, p, out), EMUL_PASS);
	ns_frame(in, p, "2001:db8:1::a0");
	strcpy(in->link, "link1");		/* tn is not on link1 */
	ATF_CHECK_EQ(em->ops->frame(em, in, p, out), EMUL_PASS);
	/* An echo reply from the NUT. */
	frame_in(in, p, "0200000000a002000000010186dd600f1a3d00103a4020010db8"
	    "00010000000000000000000120010db80001000000000000000000a081000057"
	    "123400010102030405060708");
	ATF_CHECK_EQ(em->ops->frame(em, in, p, out), EMUL_PASS);
	close_all(em, d, in, out, p);
}

/* The NUT pings tn (echo=yes) and mn0 (no echo=yes). */
ATF_TC_WITHOUT_HEAD(echo_requests);
ATF_TC_BODY(echo_requests, tc)
{
	struct nutdesc *d;
	struct emul *em = open_emul(&d);
	struct frame *in = calloc(1, sizeof(*in)), *out = calloc(1,
	    sizeof(*out));
	struct pkt *p = calloc(1, sizeof(*p)), *q;
	uint8_t want[100];
	size_t n;

	/* 2001:db8:1::1 > 2001:db8:1::a0 echo-request id=4660 seq=1 data. */
	frame_in(in, p, "0200000000a002000000010186dd600000000010"
	    "3a4020010db800010000000000000000000120010db80001000000000000"
	    "000000a080000157123400010102030405060708");
	ATF_REQUIRE_EQ(p->viol.n, 0);
	ATF_REQUIRE_EQ(em->ops->frame(em, in, p, out), EMUL_REPLY);
	/* Back from tn's MAC and address, hop limit 64, same id/seq/data. */
	n = tu_hex("0200000001010200000000a086dd6000000000103a4020010db80001"
	    "000000000000000000a020010db800010000000000000000000181000057"
	    "123400010102030405060708", want, sizeof(want));
	tu_bytes_eq("echo reply", out->data, out->len, want, n);
	q = decode_ok(out);
	ATF_CHECK_EQ(q->icmp6.type, ICMP6_T_ECHO_REPLY);
	free(q);
	/* The same to mn0's care-of address: the case's to judge. */
	frame_in(in, p, "0200000000b002000000010186dd600000000010"
	    "3a4020010db800010000000000000000000120010db80001000000000000"
	    "000000b080000147123400010102030405060708");
	ATF_REQUIRE_EQ(p->viol.n, 0);
	ATF_CHECK_EQ(em->ops->frame(em, in, p, out), EMUL_PASS);
	close_all(em, d, in, out, p);
}

ATF_TC_WITHOUT_HEAD(dad_probe_gets_multicast_na);
ATF_TC_BODY(dad_probe_gets_multicast_na, tc)
{
	struct nutdesc *d;
	struct emul *em = open_emul(&d);
	struct frame *in = calloc(1, sizeof(*in)), *out = calloc(1,
	    sizeof(*out));
	struct pkt *p = calloc(1, sizeof(*p)), *q;
	struct hdr *ip6;
	uint8_t buf[200];
	size_t n;

	/* The NUT's DAD probe for 2001:db8:1::a0: from ::, no SLLA. */
	pkt_init(p, PKT_LINK_ETHER);
	memcpy(pkt_push(p, HDR_ETH)->u.eth.dst, "\x33\x33\xff\x00\x00\xa0", 6);
	ip6 = pkt_push(p, HDR_IPV6);
	ip6->u.ip6.hlim = 255;
	ip6->u.ip6.dst = tu_in6("ff02::1:ff00:a0");
	pkt_push_icmp6(p, ICMP6_T_NS, 0)->u.nsna.target =
	    tu_in6("2001:db8:1::a0");
	p->h[0].u.eth.ethertype = 0x86dd;
	ATF_REQUIRE(pkt_encode(p, buf, sizeof(buf), &n) == 0);
	memset(in, 0, sizeof(*in));
	strcpy(in->link, "link0");
	memcpy(in->data, buf, n);
	in->len = n;
	ATF_REQUIRE(pkt_decode(p, PKT_LINK_ETHER, in->data, in->len) == 0);
	ATF_REQUIRE_EQ(em->ops->frame(em, in, p, out), EMUL_REPLY);
	q = decode_ok(out);
	ATF_CHECK(memcmp(q->h[0].u.eth.dst, "\x33\x33\x00\x00\x00\x01", 6) ==
	    0);
	ATF_CHECK(memcmp(&pkt_find(q, HDR_IPV6)->u.ip6.dst,
	    &(struct in6_addr){ .s6_addr = { 0xff, 0x02, [15] = 1 } }, 16) ==
	    0);
	ATF_CHECK_EQ(q->icmp6.u.nsna.flags, ND_NA_O);
	free(q);
	close_all(em, d, in, out, p);
}

/*
 * r0 is a home agent: H flag, Prefix Information with R and its global
 * address, Advertisement Interval 1000 ms, Home Agent Information.
 * Bytes as RFC 4861 §4.2, §4.6 and RFC 6275 §7.1-7.4 lay them out.
 */
static const char ra_r0[] =
	"33330000000102000000" "00c086dd"		/* Ethernet */
	"60000000004" "83aff" "fe8000000000000000000000000000c0"
	"ff020000000000000000000000000001"		/* IPv6 */
	"8600" "XXXX" "4020" "0708" "00000000" "00000000"  /* RA, H */
	"0101" "0200000000c0"				/* SLLA */
	"0304" "40e0" "00278d00" "00093a80" "00000000"
	"20010db80001000000000000000000c0"		/* PI L A R */
	"0701" "0000" "000003e8"			/* Adv. Interval */
	"0801" "0000" "0000" "0708";			/* HA Info */

ATF_TC_WITHOUT_HEAD(home_agent_advertises);
ATF_TC_BODY(home_agent_advertises, tc)
{
	struct nutdesc *d;
	struct emul *em = open_emul(&d);
	struct frame *out = calloc(1, sizeof(*out));
	struct pkt *q;
	char hex[400];
	uint8_t want[200];
	int64_t next;
	size_t n;

	ATF_REQUIRE(em->ops->tick(em, 5000000, out, &next));
	q = decode_ok(out);
	ATF_CHECK_EQ(q->icmp6.type, ICMP6_T_RA);
	/* The checksum comes from the decoder, verified there. */
	snprintf(hex, sizeof(hex), "%s", ra_r0);
	{
		char ck[5], *x = strstr(hex, "XXXX");

		snprintf(ck, sizeof(ck), "%04x", q->icmp6.checksum);
		memcpy(x, ck, 4);
	}
	n = tu_hex(hex, want, sizeof(want));
	tu_bytes_eq("RA", out->data, out->len, want, n);
	free(q);
	/* Nothing more now; the next in 1 s; then again. */
	ATF_CHECK(!em->ops->tick(em, 5000000, out, &next));
	ATF_CHECK_EQ(next, 6000000);
	ATF_CHECK(!em->ops->tick(em, 5999999, out, &next));
	ATF_CHECK(em->ops->tick(em, 6000000, out, &next));
	emul_close(em);
	nut_free(d);
	free(out);
}

ATF_TC_WITHOUT_HEAD(movement_switches_the_advertising_router);
ATF_TC_BODY(movement_switches_the_advertising_router, tc)
{
	struct nutdesc *d;
	struct emul *em = open_emul(&d);
	struct frame *out = calloc(1, sizeof(*out));
	struct pkt *q;
	char err[200];
	int64_t next;

	ATF_REQUIRE(em->ops->tick(em, 0, out, &next));
	q = decode_ok(out);
	ATF_CHECK_EQ(q->h[0].u.eth.src[5], 0xc0);	/* r0 */
	free(q);
	ATF_CHECK(!em->ops->tick(em, 0, out, &next));	/* r1 is silent */
	ATF_CHECK_EQ(emul_nodes_move(em, "r9"), -1);
	ATF_CHECK_EQ(emul_nodes_move(em, "tn"), -1);	/* not a router */
	ATF_REQUIRE_EQ(emul_nodes_move(em, "r1"), 0);
	ATF_REQUIRE(em->ops->tick(em, 10, out, &next));
	q = decode_ok(out);
	ATF_CHECK_EQ(q->h[0].u.eth.src[5], 0xd0);	/* r1, at once */
	ATF_CHECK_EQ(q->icmp6.u.ra.flags, 0);		/* not an HA */
	ATF_CHECK(!em->ops->tick(em, 10, out, &next));
	ATF_CHECK_EQ(next, 10 + 3000000);		/* default 3 s */
	free(q);
	ATF_CHECK(!em->ops->tick(em, 2000000, out, &next));
	ATF_REQUIRE_EQ(emul_nodes_move(em, NULL), 0);
	ATF_CHECK(!em->ops->tick(em, 9000000, out, &next));
	ATF_CHECK_EQ(next, INT64_MAX);
	/* The same through the op a timeline's `advertise` event uses. */
	ATF_CHECK_EQ(em->ops->advertise(em, "r0", err, sizeof(err)), 0);
	ATF_CHECK(em->ops->tick(em, 9000000, out, &next));
	ATF_CHECK_EQ(em->ops->advertise(em, "none", err, sizeof(err)), 0);
	ATF_CHECK(!em->ops->tick(em, 9000000, out, &next));
	ATF_CHECK_EQ(em->ops->advertise(em, "mn0", err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "no emulated router mn0 (a node line with "
	    "router=yes or ha=yes)");
	emul_close(em);
	nut_free(d);
	free(out);
}

/* The NUT (192.0.2.1, 02:..:01:01) asks who has `target` (scapy-built). */
static void
arp_frame(struct frame *f, struct pkt *p, const char *target_hex)
{
	char hex[200];

	snprintf(hex, sizeof(hex), "ffffffffffff020000000101"
	    "08060001080006040001020000000101c0000201000000000000%s",
	    target_hex);
	frame_in(f, p, hex);
}

ATF_TC_WITHOUT_HEAD(arp_for_emulated_ipv4_addresses);
ATF_TC_BODY(arp_for_emulated_ipv4_addresses, tc)
{
	/* scapy: Ether(src=mn0, dst=nut)/ARP(op=2, hwsrc=mn0,
	   psrc=192.0.2.10, hwdst=nut, pdst=192.0.2.1) */
	static const char want_hex[] = "0200000001010200000000b008060001"
	    "0800060400020200000000b0c000020a020000000101c0000201";
	struct nutdesc *d;
	struct emul *em = open_emul(&d);
	struct frame *in = calloc(1, sizeof(*in)), *out = calloc(1,
	    sizeof(*out));
	struct pkt *p = calloc(1, sizeof(*p));
	uint8_t want[100];
	struct arp_msg m;
	size_t n = tu_hex(want_hex, want, sizeof(want));
	arp_frame(in, p, "c000020a");		/* mn0's v4coa */
	ATF_REQUIRE_EQ(em->ops->frame(em, in, p, out), EMUL_REPLY);
	ATF_CHECK_STREQ(out->link, "link0");
	tu_bytes_eq("ARP reply", out->data, out->len, want, n);

	arp_frame(in, p, "c00002fe");		/* r4's addr4 */
	ATF_REQUIRE_EQ(em->ops->frame(em, in, p, out), EMUL_REPLY);
	ATF_REQUIRE_EQ(pkt_decode(p, PKT_LINK_ETHER, out->data, out->len), 0);
	ATF_REQUIRE(pkt_find(p, HDR_ARP) != NULL);
	m = pkt_find(p, HDR_ARP)->u.arp;
	ATF_CHECK_EQ(m.op, ARP_OP_REPLY);
	ATF_CHECK(memcmp(m.sha, "\x02\x00\x00\x00\x00\xe0", 6) == 0);

	/* v4hoa is only a variable (the HA defends it, not the tester),
	   and nobody here has 192.0.2.99: both are the case's. */
	arp_frame(in, p, "c6336407");
	ATF_CHECK_EQ(em->ops->frame(em, in, p, out), EMUL_PASS);
	arp_frame(in, p, "c0000263");
	ATF_CHECK_EQ(em->ops->frame(em, in, p, out), EMUL_PASS);
	close_all(em, d, in, out, p);
}

ATF_TC_WITHOUT_HEAD(bad_declarations);
ATF_TC_BODY(bad_declarations, tc)
{
	static const struct {
		const char *node, *err;
	} t[] = {
		{ "node r link0 mac=02:00:00:00:00:01 router=yes",
		  "emulated router r needs ll=LINK-LOCAL (RFC 4861 §6.1.2: "
		  "RAs come from it)" },
		{ "node x link0 addr=2001:db8::1",
		  "emulated node x has no mac=xx:xx:xx:xx:xx:xx" },
		{ "node x link0 mac=02:00:00:00:00:01 coa=nope",
		  "emulated node x: coa='nope' is not an IPv6 address" },
		{ "node x link0 mac=02:00:00:00:00:01 v4coa=2001:db8::1",
		  "emulated node x: v4coa='2001:db8::1' is not an IPv4 "
		  "address" },
		{ "node r link0 mac=02:00:00:00:00:01 ll=fe80::1 router=yes "
		  "prefix=2001:db8::",
		  "emulated router r: prefix '2001:db8::' is not PREFIX/LEN" },
		{ "node r link0 mac=02:00:00:00:00:01 ll=fe80::1 router=yes "
		  "ra-interval=0.01",
		  "emulated router r: ra-interval '0.01' (0.05 to 1800 s, RFC "
		  "6275 §7.5)" },
	};
	char text[600], err[200];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct nutdesc *d;

		snprintf(text, sizeof(text), "nut n\nrole node\nnetdev "
		    "afpacket\ntopology one-link link0\nlink link0 "
		    "tester=tn0\n%s\n", t[i].node);
		d = ct_nut("n.nut", text);
		err[0] = '\0';
		ATF_CHECK(emul_nodes_open(d, err, sizeof(err)) == NULL);
		ATF_CHECK_STREQ(err, t[i].err);
		nut_free(d);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, ns_for_emulated_address);
	ATF_TP_ADD_TC(tp, ns_for_care_of_address_and_router);
	ATF_TP_ADD_TC(tp, other_frames_are_the_cases);
	ATF_TP_ADD_TC(tp, echo_requests);
	ATF_TP_ADD_TC(tp, dad_probe_gets_multicast_na);
	ATF_TP_ADD_TC(tp, home_agent_advertises);
	ATF_TP_ADD_TC(tp, movement_switches_the_advertising_router);
	ATF_TP_ADD_TC(tp, arp_for_emulated_ipv4_addresses);
	ATF_TP_ADD_TC(tp, bad_declarations);
	return atf_no_error();
}
