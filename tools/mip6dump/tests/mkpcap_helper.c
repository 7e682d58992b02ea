/*
 * mkpcap_helper.c - writes the captures that mip6dump's tests, `make bench`
 * and `make run` read, building every packet with the packets/ encoder:
 *
 *   mkpcap_helper [-l link] sample OUT.pcap
 *	a realistic capture: a mobile node finds its home agent (RA, DHAAD),
 *	registers (one BU lost, retransmitted twice with back-off), gets its
 *	prefix (MPS/MPA), runs return routability with a correspondent (HoTI
 *	through the home agent's tunnel, CoTI from an alternate care-of
 *	address, CoT, HoT, a BU signed with rr_sign_mh, BA), refreshes, is
 *	asked to refresh (BRR), hits a Binding Error; a NEMO mobile router
 *	registers its prefix; a DSMIPv6 node registers over IPv4/UDP 4191
 *	through a NAT; the first node de-registers at home.  Timestamps are
 *	those listed in the table below (the ladder test asserts them).
 *   mkpcap_helper [-l link] malformed OUT.pcap
 *	one packet per failure class, interleaved with valid packets, and
 *	OUT.pcap.expect: one line per packet, "N code..." with the violation
 *	codes the packet was crafted to carry (just "N" for a valid one).
 *   mkpcap_helper [-l link] edges OUT.pcap
 *	the ladder's harder cases (see build_edges).
 *   mkpcap_helper [-l link] mixed N OUT.pcap
 *	N packets cycling through the sample's frames (every message family
 *	and encapsulation), fast: the frames are built once, then only the
 *	timestamps and the BU/BA sequence numbers change.
 *   mkpcap_helper recode SPEC IN.pcap OUT.pcap
 *	IN's frames (a capture this program wrote) in another layout of the
 *	classic format, for the tests of mip6dump's mapped reader against
 *	libpcap.  SPEC is a comma-separated list of:
 *	  le         little-endian (the default is big-endian)
 *	  nsec       nanosecond time stamps
 *	  oddts      edge time stamps: seconds and fractions with the top
 *	             bit set, all ones, a fraction of a second or more
 *	  snaplen=N  the snapshot length in the file header
 *	  long=K     frame K (from 1) 200 bytes longer
 *	  cut=N      the file without its last N bytes
 *	or "same" for none of them.
 *   mkpcap_helper [-l link] esp OUT.pcap
 *	a home registration protected with ESP (RFC 3776): the BU sealed with
 *	SA1 (SPI 0x1000, AES-CBC, HMAC-SHA1-96), the BA with SA2 (SPI 0x1001,
 *	3DES-CBC, HMAC-SHA1-96), the same BA with its ICV's last bit flipped,
 *	an ESP packet of SPI 0x3000 (no SA given), and the BU in the clear;
 *	keys ESP_SA1 / ESP_SA2 below, fixed IVs.
 *   mkpcap_helper badlink OUT.pcap
 *	an empty capture of a link type mip6dump does not support.
 *   mkpcap_helper inject IFACE IN.pcap
 *	send every frame of a capture on an interface (live capture test).
 *
 * Links (-l): ether (default), raw (LINKTYPE_RAW 101), raw12, raw14 (the
 * two DLT_RAW values), sll (Linux cooked), null (BSD loopback).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "packets/buf.h"
#include "packets/mh.h"
#include "packets/pkt.h"
#include "packets/rr.h"

#define T0_SEC		1700000000	/* 2023-11-14T22:13:20Z */
#define MAX_FRAMES	64
#define FRAME_MAX	2048
#define LINKTYPE_BAD	105		/* LINKTYPE_IEEE802_11 */

/* ---------------------------------------------------------- addresses */

#define MN_HOA		"2001:db8:1::100"
#define MN_COA		"2001:db8:2::100"
#define MN_ACOA		"2001:db8:2::200"
#define HA		"2001:db8:1::1"
#define HA2		"2001:db8:1::2"
#define HA_LL		"fe80::1"
#define HA_ANYCAST	"2001:db8:1::fdff:ffff:ffff:fffe"
#define CN		"2001:db8:3::5"
#define CN2		"2001:db8:3::6"
#define MR_HOA		"2001:db8:1::200"
#define MR_COA		"2001:db8:2::300"
#define MR_MNP		"2001:db8:100::"
#define MN3_HOA		"2001:db8:1::300"
#define MN3_V4COA	"10.0.0.10"	/* behind a NAT */
#define NAT_V4		"192.0.2.10"
#define HA_V4		"198.51.100.1"
#define MN3_V4HOA	"203.0.113.7"
#define NAT_PORT	61000

/* --------------------------------------------------------- link types */

static const struct {
	const char	*name;
	enum pkt_link	 link;
	uint32_t	 linktype;
} links[] = {
	{ "ether", PKT_LINK_ETHER, 1 },
	{ "raw", PKT_LINK_RAW, 101 },
	{ "raw12", PKT_LINK_RAW, 12 },
	{ "raw14", PKT_LINK_RAW, 14 },
	{ "sll", PKT_LINK_LINUX_SLL, 113 },
	{ "null", PKT_LINK_NULL, 0 },
};

/* ------------------------------------------------------------- frames */

struct tmpl {
	int64_t		t_us;		/* from T0 */
	uint8_t		data[FRAME_MAX];
	size_t		len;
	size_t		caplen;		/* < len: a cut capture */
	const char	*expect;	/* malformed: violation codes */
	bool		reseq;		/* mixed: BU/BA seq may change */
	bool		sign;		/* BAD: sign after encoding */
	struct pkt	*p;		/* kept for re-encoding (mixed) */
};

static struct {
	size_t		 link_i;
	struct pkt	 cur;		/* the packet being built */
	struct pkt	 scratch;	/* decode of a built frame */
	struct tmpl	 f[MAX_FRAMES];
	size_t		 nf;
	bool		 malformed;	/* crafting: never sign */
	uint8_t		 kbm[RR_KBM_LEN];
	uint8_t		 home_token[RR_TOKEN_LEN];
	uint8_t		 careof_token[RR_TOKEN_LEN];
} g;

static void
die(const char *what)
{
	fprintf(stderr, "mkpcap_helper: %s\n", what);
	exit(2);
}

static struct in6_addr
in6(const char *s)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, s, &a) != 1)
		die("bad IPv6 address literal");
	return a;
}

static struct in_addr
in4(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		die("bad IPv4 address literal");
	return a;
}

/* ------------------------------------------------------------ building */

/* Start a frame: the link header of the chosen link type. */
static void
start(void)
{
	static const uint8_t mac_a[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 };
	static const uint8_t mac_b[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x02 };
	enum pkt_link link = links[g.link_i].link;
	struct hdr *h;

	pkt_init(&g.cur, link);
	if (link == PKT_LINK_ETHER) {
		h = pkt_push(&g.cur, HDR_ETH);
		memcpy(h->u.eth.src, mac_a, 6);
		memcpy(h->u.eth.dst, mac_b, 6);
	} else if (link == PKT_LINK_LINUX_SLL) {
		h = pkt_push(&g.cur, HDR_SLL);
		h->u.sll.pkttype = 4;		/* outgoing */
		h->u.sll.hatype = 1;		/* ARPHRD_ETHER */
		h->u.sll.halen = 6;
		memcpy(h->u.sll.addr, mac_a, 6);
	}
}

static struct hdr *
ip6(const char *src, const char *dst)
{
	struct hdr *h = pkt_push(&g.cur, HDR_IPV6);

	h->u.ip6.hlim = 64;
	h->u.ip6.src = in6(src);
	h->u.ip6.dst = in6(dst);
	return h;
}

static struct hdr *
ip4(const char *src, const char *dst, uint16_t id)
{
	struct hdr *h = pkt_push(&g.cur, HDR_IPV4);

	h->u.ip4.ihl = 5;
	h->u.ip4.ttl = 64;
	h->u.ip4.id = id;
	h->u.ip4.src = in4(src);
	h->u.ip4.dst = in4(dst);
	return h;
}

static struct hdr *
udp(uint16_t sport, uint16_t dport)
{
	struct hdr *h = pkt_push(&g.cur, HDR_UDP);

	h->u.udp.sport = sport;
	h->u.udp.dport = dport;
	return h;
}

static void
hao(const char *hoa)
{
	struct in6_addr a = in6(hoa);

	pkt_push_hao(&g.cur, &a);
}

static void
rh2(const char *hoa)
{
	struct in6_addr a = in6(hoa);

	pkt_push_rh2(&g.cur, &a);
}

static struct mh_msg *
bu(uint16_t seq, uint16_t flags, uint16_t lifetime_s)
{
	struct mh_msg *m = pkt_push_mh(&g.cur, MH_BU);

	m->u.bu.seq = seq;
	m->u.bu.flags = flags;
	m->u.bu.lifetime = lifetime_s / 4;
	return m;
}

static struct mh_msg *
ba(uint8_t status, uint8_t flags, uint16_t seq, uint16_t lifetime_s)
{
	struct mh_msg *m = pkt_push_mh(&g.cur, MH_BA);

	m->u.ba.status = status;
	m->u.ba.flags = flags;
	m->u.ba.seq = seq;
	m->u.ba.lifetime = lifetime_s / 4;
	return m;
}

static void
opt_acoa(struct mh_msg *m, const char *a)
{
	mh_add_opt(m, MHOPT_ACOA)->u.acoa = in6(a);
}

static void
opt_ni(struct mh_msg *m, uint16_t home, uint16_t careof)
{
	struct mh_opt *o = mh_add_opt(m, MHOPT_NI);

	o->u.ni.home = home;
	o->u.ni.careof = careof;
}

/* A Binding Authorization Data option, authenticator to be signed. */
static void
opt_bad(struct mh_msg *m)
{
	struct mh_opt *o = mh_add_opt(m, MHOPT_BAD);

	o->var_len = MH_BAD_AUTH_LEN;
	memset(o->var, 0, MH_BAD_AUTH_LEN);
}

static struct mh_msg *
rr_init(uint8_t type, const uint8_t cookie[8])
{
	struct mh_msg *m = pkt_push_mh(&g.cur, type);

	memcpy(m->u.init.cookie, cookie, 8);
	return m;
}

static struct mh_msg *
rr_test(uint8_t type, uint16_t nonce, const uint8_t cookie[8],
    const uint8_t token[8])
{
	struct mh_msg *m = pkt_push_mh(&g.cur, type);

	m->u.test.nonce_index = nonce;
	memcpy(m->u.test.cookie, cookie, 8);
	memcpy(m->u.test.token, token, 8);
	return m;
}

/* ----------------------------------------------------------- encoding */

/*
 * Sign the BAD of the frame's MH in place (RFC 6275 §6.2.7, §5.2.6): the
 * care-of address is the BU's Alternate CoA (else its source) or the BA's
 * destination; the correspondent is the BU's destination or the BA's
 * source; the checksum uses the HAO and RH2 addresses (§6.1.1).
 */
static void
sign_frame(struct tmpl *t)
{
	const struct hdr *mh;
	const struct hdr_ipv6 *ip;
	const struct mh_opt *acoa;
	const struct in6_addr *src, *dst, *coa, *cn;

	pkt_decode(&g.scratch, links[g.link_i].link, t->data, t->len);
	mh = pkt_find_last(&g.scratch, HDR_MH);
	ip = pkt_inner_ip6(&g.scratch);
	if (mh == NULL || ip == NULL)
		die("sign: no MH in the frame");
	src = pkt_hao(&g.scratch) != NULL ? pkt_hao(&g.scratch) : &ip->src;
	dst = pkt_rh2(&g.scratch) != NULL ? pkt_rh2(&g.scratch) : &ip->dst;
	if (g.scratch.mh.type == MH_BA) {
		coa = &ip->dst;
		cn = &ip->src;
	} else {
		acoa = mh_find_opt(&g.scratch.mh, MHOPT_ACOA);
		coa = acoa != NULL ? &acoa->u.acoa : &ip->src;
		cn = &ip->dst;
	}
	if (rr_sign_mh(t->data + mh->off, mh->len, g.kbm, coa, cn, src,
	    dst) != 0)
		die("rr_sign_mh failed");
}

static void
encode_into(struct tmpl *t)
{
	if (pkt_encode(&g.cur, t->data, sizeof(t->data), &t->len) != 0)
		die("pkt_encode failed");
	t->caplen = t->len;
	if (t->sign)
		sign_frame(t);
}

/* Encode the packet being built as the next frame, at T0 + t_us. */
static struct tmpl *
emit(int64_t t_us)
{
	struct tmpl *t;

	if (g.nf == MAX_FRAMES)
		die("too many frames");
	t = &g.f[g.nf++];
	memset(t, 0, offsetof(struct tmpl, data));
	t->t_us = t_us;
	t->sign = !g.malformed && g.cur.has_mh &&
	    mh_find_opt(&g.cur.mh, MHOPT_BAD) != NULL;
	if (t->sign)
		g.cur.mh_keep |= MH_NO_CKSUM;
	t->reseq = g.cur.has_mh &&
	    (g.cur.mh.type == MH_BU || g.cur.mh.type == MH_BA);
	encode_into(t);
	t->expect = "";
	if (t->reseq && (t->p = malloc(sizeof(*t->p))) != NULL)
		*t->p = g.cur;
	return t;
}

/* ------------------------------------------------------------- RR keys */

static void
rr_keys(void)
{
	uint8_t kcn[RR_KCN_LEN];
	static const uint8_t home_nonce[RR_NONCE_LEN] = {
	    0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7 };
	static const uint8_t careof_nonce[RR_NONCE_LEN] = {
	    0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7 };
	struct in6_addr hoa = in6(MN_HOA), coa = in6(MN_ACOA);
	size_t i;

	for (i = 0; i < sizeof(kcn); i++)
		kcn[i] = (uint8_t)i;
	if (rr_home_token(kcn, &hoa, home_nonce, g.home_token) != 0 ||
	    rr_careof_token(kcn, &coa, careof_nonce, g.careof_token) != 0 ||
	    rr_kbm(g.home_token, g.careof_token, g.kbm) != 0)
		die("libcrypto failed");
}

/* ------------------------------------------------------------- sample */

static const uint8_t hoti_cookie[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t coti_cookie[8] = { 0x11, 0x12, 0x13, 0x14, 0x15, 0x16,
    0x17, 0x18 };

/* The home agent advertises itself on the home link (RFC 6275 §7). */
static void
s_ra(int64_t t)
{
	struct icmp6_msg *m;
	struct nd_opt *o;

	start();
	ip6(HA_LL, "ff02::1")->u.ip6.hlim = 255;
	m = pkt_push_icmp6(&g.cur, ICMP6_T_RA, 0);
	m->u.ra.hop_limit = 64;
	m->u.ra.flags = ND_RA_H;
	m->u.ra.lifetime = 1800;
	o = icmp6_add_opt(m, NDOPT_PREFIX);
	o->u.prefix.plen = 64;
	o->u.prefix.flags = ND_PI_L | ND_PI_A | ND_PI_R;
	o->u.prefix.valid = 86400;
	o->u.prefix.preferred = 14400;
	o->u.prefix.prefix = in6(HA);
	icmp6_add_opt(m, NDOPT_ADV_INTERVAL)->u.adv_interval = 1000;
	o = icmp6_add_opt(m, NDOPT_HA_INFO);
	o->u.hainfo.preference = 10;
	o->u.hainfo.lifetime = 1800;
	emit(t);
}

/* Neighbor Solicitation: not a mobility packet. */
static void
s_ns(int64_t t)
{
	struct icmp6_msg *m;

	start();
	ip6("fe80::200", "ff02::1:ff00:1")->u.ip6.hlim = 255;
	m = pkt_push_icmp6(&g.cur, ICMP6_T_NS, 0);
	m->u.nsna.target = in6(HA);
	emit(t);
}

static void
s_dhaad(int64_t t_req, int64_t t_rep)
{
	struct icmp6_msg *m;

	start();
	ip6(MN_COA, HA_ANYCAST);
	pkt_push_icmp6(&g.cur, ICMP6_T_DHAAD_REQUEST, 0)->u.dhaad.id = 1;
	emit(t_req);
	start();
	ip6(HA, MN_COA);
	m = pkt_push_icmp6(&g.cur, ICMP6_T_DHAAD_REPLY, 0);
	m->u.dhaad.id = 1;
	m->u.dhaad.naddrs = 2;
	m->u.dhaad.addrs[0] = in6(HA);
	m->u.dhaad.addrs[1] = in6(HA2);
	emit(t_rep);
}

/* Home registration BU from the care-of address (RFC 6275 §11.7.1). */
static struct tmpl *
s_home_bu(int64_t t, uint16_t seq, uint16_t lifetime_s)
{
	start();
	ip6(MN_COA, HA);
	hao(MN_HOA);
	bu(seq, MH_BU_A | MH_BU_H | MH_BU_K, lifetime_s);
	return emit(t);
}

/* ------------------------------------------------------------- ESP */

/* The SAs of the esp capture (mip6dump --esp-sa text; esp_test.sh). */
#define ESP_SA1	"0x1000:aes-cbc:0x0102030405060708090a0b0c0d0e0f10:"	\
	"hmac-sha1:0x2122232425262728292a2b2c2d2e2f3031323334"
#define ESP_SA2	"0x1001:3des-cbc:0x0102030405060708090a0b0c0d0e0f10"	\
	"1112131415161718:hmac-sha1:0x2122232425262728292a2b2c2d2e2f3031323334"

/* An ESP header sealing what is pushed after it (pkt_encode). */
static struct hdr *
esp(const char *sa_text, uint32_t seq, uint32_t spi, bool bad_icv)
{
	struct hdr *h = pkt_push(&g.cur, HDR_ESP);
	size_t i;

	if (pkt_esp_sa_parse(sa_text, &h->u.ipsec.sa) != NULL)
		die("bad SA text");
	h->u.ipsec.seal = true;
	h->u.ipsec.spi = spi;
	h->u.ipsec.seq = seq;
	h->u.ipsec.bad_icv = bad_icv;
	h->u.ipsec.have_iv = true;
	for (i = 0; i < ESP_IV_MAX; i++)
		h->u.ipsec.iv[i] = (uint8_t)(0xa0 + i);
	return h;
}

static void
s_esp_bu(int64_t t, uint32_t spi, uint32_t seq)
{
	start();
	ip6(MN_COA, HA);
	hao(MN_HOA);
	esp(ESP_SA1, seq, spi, false);
	opt_acoa(bu(7, MH_BU_A | MH_BU_H, 400), MN_COA);
	emit(t);
}

static void
s_esp_ba(int64_t t, bool bad_icv)
{
	start();
	ip6(HA, MN_COA);
	rh2(MN_HOA);
	esp(ESP_SA2, 1, 0, bad_icv);
	ba(BA_ACCEPTED, 0, 7, 400);
	emit(t);
}

static void
build_esp(void)
{
	s_esp_bu(0, 0, 1);
	s_esp_ba(10000, false);
	s_esp_ba(20000, true);
	s_esp_bu(30000, 0x3000, 2);
	start();
	ip6(MN_COA, HA);
	hao(MN_HOA);
	opt_acoa(bu(8, MH_BU_A | MH_BU_H, 400), MN_COA);
	emit(40000);
}

static struct tmpl *
s_home_ba(int64_t t, uint16_t seq, uint16_t lifetime_s)
{
	struct mh_msg *m;

	start();
	ip6(HA, MN_COA);
	rh2(MN_HOA);
	m = ba(BA_ACCEPTED, MH_BA_K, seq, lifetime_s);
	mh_add_opt(m, MHOPT_BRA)->u.bra_interval = lifetime_s / 8;
	return emit(t);
}

static void
s_prefix(int64_t t_mps, int64_t t_mpa)
{
	struct icmp6_msg *m;
	struct nd_opt *o;

	start();
	ip6(MN_COA, HA);
	hao(MN_HOA);
	pkt_push_icmp6(&g.cur, ICMP6_T_MPS, 0)->u.mp.id = 7;
	emit(t_mps);
	start();
	ip6(HA, MN_COA);
	rh2(MN_HOA);
	m = pkt_push_icmp6(&g.cur, ICMP6_T_MPA, 0);
	m->u.mp.id = 7;
	o = icmp6_add_opt(m, NDOPT_PREFIX);
	o->u.prefix.plen = 64;
	o->u.prefix.flags = ND_PI_L | ND_PI_A;
	o->u.prefix.valid = 86400;
	o->u.prefix.preferred = 14400;
	o->u.prefix.prefix = in6("2001:db8:1::");
	emit(t_mpa);
}

/* HoTI and HoT travel through the home agent's tunnel (RFC 6275 §5.2.5). */
static void
s_hoti(int64_t t)
{
	start();
	ip6(MN_COA, HA);
	ip6(MN_HOA, CN);
	rr_init(MH_HOTI, hoti_cookie);
	emit(t);
}

static void
s_hot(int64_t t)
{
	start();
	ip6(HA, MN_COA);
	ip6(CN, MN_HOA);
	rr_test(MH_HOT, 7, hoti_cookie, g.home_token);
	emit(t);
}

static void
s_coti_cot(int64_t t_coti, int64_t t_cot)
{
	start();
	ip6(MN_ACOA, CN);
	rr_init(MH_COTI, coti_cookie);
	emit(t_coti);
	start();
	ip6(CN, MN_ACOA);
	rr_test(MH_COT, 9, coti_cookie, g.careof_token);
	emit(t_cot);
}

/* Route optimization BU, authorized by the RR tokens (RFC 6275 §6.1.7). */
static struct tmpl *
s_ro_bu(int64_t t, uint16_t seq)
{
	struct mh_msg *m;

	start();
	ip6(MN_COA, CN);
	hao(MN_HOA);
	m = bu(seq, MH_BU_A, 420);
	opt_acoa(m, MN_ACOA);
	opt_ni(m, 7, 9);
	opt_bad(m);
	return emit(t);
}

static struct tmpl *
s_ro_ba(int64_t t, uint16_t seq)
{
	struct mh_msg *m;

	start();
	ip6(CN, MN_ACOA);
	rh2(MN_HOA);
	m = ba(BA_ACCEPTED, 0, seq, 420);
	opt_bad(m);
	return emit(t);
}

static void
s_brr(int64_t t)
{
	start();
	ip6(HA, MN_COA);
	ip6(CN, MN_HOA);
	pkt_push_mh(&g.cur, MH_BRR);
	emit(t);
}

static void
s_echo(int64_t t, const char *src, const char *dst, const char *hoa)
{
	struct icmp6_msg *m;

	start();
	ip6(src, dst);
	if (hoa != NULL)
		hao(hoa);
	m = pkt_push_icmp6(&g.cur, ICMP6_T_ECHO_REQUEST, 0);
	m->u.echo.id = 0x1234;
	m->u.echo.seq = 1;
	m->body_len = 8;
	memcpy(m->body, "mip6kit!", 8);
	emit(t);
}

/* A correspondent without a binding answers an HAO with a BE, status 1. */
static void
s_be(int64_t t)
{
	struct mh_msg *m;

	start();
	ip6(CN2, MN_COA);
	m = pkt_push_mh(&g.cur, MH_BE);
	m->u.be.status = BE_UNKNOWN_HAO;
	m->u.be.hoa = in6(MN_HOA);
	emit(t);
}

/* NEMO: a mobile router registers its prefix (RFC 3963). */
static void
s_nemo(int64_t t_bu, int64_t t_ba)
{
	struct mh_opt *o;
	struct mh_msg *m;

	start();
	ip6(MR_COA, HA);
	hao(MR_HOA);
	m = bu(1, MH_BU_A | MH_BU_H | MH_BU_K | MH_BU_R, 420);
	o = mh_add_opt(m, MHOPT_MNP);
	o->u.mnp.plen = 48;
	o->u.mnp.prefix = in6(MR_MNP);
	emit(t_bu);
	start();
	ip6(HA, MR_COA);
	rh2(MR_HOA);
	ba(BA_ACCEPTED, MH_BA_K | MH_BA_R, 1, 420);
	emit(t_ba);
}

/* DSMIPv6 from an IPv4 network behind a NAT (RFC 5555). */
static void
s_dsmip(int64_t t_bu, int64_t t_ba)
{
	struct mh_opt *o;
	struct mh_msg *m;

	start();
	ip4(NAT_V4, HA_V4, 0x1001);
	udp(NAT_PORT, DSMIP_UDP_PORT);
	ip6(MN3_HOA, HA);
	m = bu(1, MH_BU_A | MH_BU_H | MH_BU_K, 420);
	o = mh_add_opt(m, MHOPT_V4HOA);
	o->u.v4hoa.plen = 24;
	o->u.v4hoa.addr = in4(MN3_V4HOA);
	mh_add_opt(m, MHOPT_V4COA)->u.v4coa.addr = in4(MN3_V4COA);
	emit(t_bu);
	start();
	ip4(HA_V4, NAT_V4, 0x2001);
	udp(DSMIP_UDP_PORT, NAT_PORT);
	ip6(HA, MN3_HOA);
	m = ba(BA_ACCEPTED, MH_BA_K, 1, 420);
	o = mh_add_opt(m, MHOPT_V4ACK);
	o->u.v4ack.status = V4ACK_SUCCESS;
	o->u.v4ack.plen = 24;
	o->u.v4ack.addr = in4(MN3_V4HOA);
	o = mh_add_opt(m, MHOPT_NATD);
	o->u.natd.f = true;
	o->u.natd.refresh = 110;
	emit(t_ba);
}

/* IPv4 data tunneled over UDP 4191 (RFC 5555). */
static void
s_dsmip_data(int64_t t)
{
	struct hdr *h;

	start();
	ip4(NAT_V4, HA_V4, 0x1002);
	udp(NAT_PORT, DSMIP_UDP_PORT);
	ip4(MN3_V4HOA, "198.51.100.80", 0x0101);
	udp(5000, 53);
	h = pkt_push(&g.cur, HDR_DATA);
	h->u.data.proto = 17;
	h->u.data.data_len = 12;
	h->u.data.len = 12;
	memcpy(h->u.data.data, "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00"
	    "\x00", 12);
	emit(t);
}

/* IPv6-in-IPv4 data (RFC 5555): not a mobility packet. */
static void
s_6in4(int64_t t)
{
	start();
	ip4(NAT_V4, HA_V4, 0x1003);
	ip6(MN3_HOA, CN);
	pkt_push_icmp6(&g.cur, ICMP6_T_ECHO_REQUEST, 0)->u.echo.id = 9;
	emit(t);
}

/* Returning home: a BU with lifetime 0 from the home address. */
static void
s_dereg(int64_t t_bu, int64_t t_ba)
{
	start();
	ip6(MN_HOA, HA);
	bu(102, MH_BU_A | MH_BU_H, 0);
	emit(t_bu);
	start();
	ip6(HA, MN_HOA);
	ba(BA_ACCEPTED, 0, 102, 0);
	emit(t_ba);
}

/*
 * The sample, in microseconds from T0.  What the ladder test expects:
 *   home BU seq 100 at 0.2 s, retransmitted at 1.7 s (after 1.500 s) and
 *   4.7 s (after 3.000 s, back-off x2.0), BA at 4.701234 (1.234 ms);
 *   refresh seq 101, BA after 1.100 ms; de-registration seq 102, BA after
 *   0.900 ms.  RR: CoT 15.200 ms after CoTI, HoT 30.100 ms after HoTI, BA
 *   14.200 ms after the BU; BRR, BU 10.500 ms later, BA after 14.400 ms.
 */
static void
build_sample(void)
{
	rr_keys();
	s_ra(0);
	s_ns(50000);
	s_dhaad(100000, 102500);
	s_home_bu(200000, 100, 420);
	s_home_bu(1700000, 100, 420);
	s_home_bu(4700000, 100, 420);
	s_home_ba(4701234, 100, 400);
	s_prefix(5000000, 5002100);
	s_hoti(6000000);
	s_coti_cot(6000050, 6015250);
	s_hot(6030100);
	s_ro_bu(6031000, 200);
	s_ro_ba(6045200, 200);
	s_echo(6500000, CN, "2001:db8:3::99", NULL);
	s_home_bu(304700000, 101, 420);
	s_home_ba(304701100, 101, 400);
	s_brr(380000000);
	s_ro_bu(380010500, 201);
	s_ro_ba(380024900, 201);
	s_echo(390000000, MN_COA, CN2, MN_HOA);
	s_be(390015200);
	s_nemo(400000000, 400001300);
	s_dsmip(410000000, 410002100);
	s_dsmip_data(410500000);
	s_6in4(410600000);
	s_dereg(600000000, 600000900);
}

/* -------------------------------------------------------------- edges */

static void
e_ba(int64_t t, uint8_t status, uint16_t seq)
{
	start();
	ip6(HA, MN_COA);
	rh2(MN_HOA);
	ba(status, 0, seq, 400);
	emit(t);
}

/* An ICMPv6 error quoting an IPv6 packet built here without a link layer. */
static void
e_icmp6_error(int64_t t, uint8_t type, bool mobility)
{
	uint8_t quoted[FRAME_MAX];
	struct icmp6_msg *m;
	size_t n;

	pkt_init(&g.cur, PKT_LINK_RAW);
	ip6(MN_COA, mobility ? HA : CN2);
	if (mobility) {
		hao(MN_HOA);
		bu(14, MH_BU_A | MH_BU_H, 400)->payload_proto = 6;
	} else
		pkt_push_icmp6(&g.cur, ICMP6_T_ECHO_REQUEST, 0);
	if (pkt_encode(&g.cur, quoted, sizeof(quoted), &n) != 0)
		die("pkt_encode failed");
	start();
	ip6(mobility ? HA : CN2, MN_COA);
	m = pkt_push_icmp6(&g.cur, type, 0);
	m->u.pointer = mobility ? 40 + 24 : 0;	/* Payload Proto */
	m->body_len = (uint16_t)n;
	memcpy(m->body, quoted, n);
	emit(t);
}

/*
 * The ladder's harder cases: a BU retransmitted with a new sequence number
 * each time (1.000 s, then 2.000 s: back-off x2.0) whose first answer is a
 * rejection for the second transmission (2.002 s after it) and then an
 * acceptance for the third (3.000 ms); a registration never answered; a
 * BA for no BU; a HoT without its HoTI; care-of tests no BU ever claims;
 * a BU that asks for no acknowledgement.  Then two ICMPv6 errors: a
 * Parameter Problem about a BU (a mobility packet) and a Destination
 * Unreachable about an echo request (not one).
 */
static void
build_edges(void)
{
	rr_keys();
	s_home_bu(0, 10, 400);
	s_home_bu(1000000, 11, 400);
	s_home_bu(3000000, 12, 400);
	e_ba(3002000, BA_SEQ_OUT_OF_WINDOW, 11);
	e_ba(3003000, BA_ACCEPTED, 12);
	e_ba(3004000, BA_ACCEPTED, 12);
	s_home_bu(10000000, 13, 400);
	e_ba(20000000, BA_ACCEPTED, 99);
	start();
	ip6(CN2, MN_HOA);
	rr_test(MH_HOT, 3, coti_cookie, g.home_token);
	emit(30000000);
	start();
	ip6("2001:db8:2::999", CN2);
	rr_init(MH_COTI, coti_cookie);
	emit(40000000);
	start();
	ip6(MN_COA, CN2);
	hao(MN_HOA);
	bu(300, 0, 40);
	emit(50000000);
	e_icmp6_error(60000000, ICMP6_T_PARAM_PROB, true);
	e_icmp6_error(70000000, ICMP6_T_DST_UNREACH, false);
}

/* ---------------------------------------------------------- malformed */

/* A frame whose capture stops `keep` bytes into its Mobility Header. */
static void
cut_in_mh(struct tmpl *t, size_t keep)
{
	const struct hdr *mh;

	pkt_decode(&g.scratch, links[g.link_i].link, t->data, t->len);
	mh = pkt_find_last(&g.scratch, HDR_MH);
	if (mh == NULL)
		die("cut: no MH");
	t->caplen = mh->off + keep;
}

/* Truncated capture in the middle of the MH (caplen < len). */
static void
m_cut_mh(int64_t t)
{
	struct mh_msg *m;

	start();
	ip6(MN_COA, HA);
	hao(MN_HOA);
	m = bu(300, MH_BU_A | MH_BU_H, 420);
	opt_acoa(m, MN_ACOA);
	cut_in_mh(emit(t), 20);
}

static void
m_bad_cksum(int64_t t)
{
	struct mh_msg *m;

	start();
	ip6(MN_COA, HA);
	hao(MN_HOA);
	m = bu(301, MH_BU_A | MH_BU_H, 420);
	g.cur.mh_keep = MH_KEEP_CKSUM;
	m->checksum = 0xbad0;
	emit(t);
}

/* Header Len 3 (32 bytes) on a 16-byte HoTI. */
static void
m_hdrlen_past_end(int64_t t)
{
	struct mh_msg *m;

	start();
	ip6(MN_COA, HA);
	ip6(MN_HOA, CN);
	m = rr_init(MH_HOTI, hoti_cookie);
	g.cur.mh_keep = MH_KEEP_HDRLEN;
	m->hdr_len = 3;
	emit(t);
}

/* Alternate CoA at offset 12: 8n+6 is required (RFC 6275 §6.2.5). */
static void
m_misaligned(int64_t t)
{
	struct mh_msg *m;

	start();
	ip6(MN_COA, CN);
	hao(MN_HOA);
	m = bu(302, MH_BU_A, 420);
	g.cur.mh_keep = MH_KEEP_PADDING;
	opt_acoa(m, MN_ACOA);			/* 12..29 */
	mh_add_opt(m, MHOPT_PADN);		/* 30..31 */
	emit(t);
}

/* BAD followed by Nonce Indices (RFC 6275 §6.2.7: BAD must be last). */
static void
m_bad_not_last(int64_t t)
{
	struct mh_msg *m;
	struct mh_opt *o;

	start();
	ip6(MN_COA, CN);
	hao(MN_HOA);
	m = bu(303, MH_BU_A, 420);
	g.cur.mh_keep = MH_KEEP_PADDING;
	o = mh_add_opt(m, MHOPT_PADN);		/* 12..17 */
	o->var_len = 4;
	o = mh_add_opt(m, MHOPT_BAD);		/* 18..31, 8n+2 */
	o->var_len = MH_BAD_AUTH_LEN;
	memset(o->var, 0x5a, MH_BAD_AUTH_LEN);
	opt_ni(m, 7, 9);			/* 32..37, 2n */
	mh_add_opt(m, MHOPT_PADN);		/* 38..39 */
	emit(t);
}

static void
m_payload_proto(int64_t t)
{
	struct mh_msg *m;

	start();
	ip6(MN_COA, HA);
	hao(MN_HOA);
	m = bu(304, MH_BU_A | MH_BU_H, 420);
	m->payload_proto = 6;
	emit(t);
}

/* A BA with a Home Address option (RFC 6275 §6.1). */
static void
m_hao_with_ba(int64_t t)
{
	start();
	ip6(HA, MN_COA);
	hao(MN_HOA);
	ba(BA_ACCEPTED, 0, 305, 420);
	emit(t);
}

/* A BU with a Type 2 Routing header (RFC 6275 §6.1). */
static void
m_rh2_with_bu(int64_t t)
{
	start();
	ip6(MN_COA, HA);
	rh2(MN_HOA);
	bu(306, MH_BU_A | MH_BU_H, 420);
	emit(t);
}

/*
 * Nonce Indices with Length 6 instead of 4 (RFC 6275 §6.2.6): the encoder
 * writes its four data bytes; a two-byte PadN after it makes up the six
 * the Length claims, and a second PadN the 8-octet boundary.
 */
static void
m_opt_length(int64_t t)
{
	struct mh_msg *m;
	struct mh_opt *o;

	start();
	ip6(MN_COA, CN);
	hao(MN_HOA);
	m = bu(307, MH_BU_A, 420);
	g.cur.mh_keep = MH_KEEP_PADDING;
	o = mh_add_opt(m, MHOPT_NI);		/* 12..17, Length 6 */
	o->u.ni.home = 7;
	o->u.ni.careof = 9;
	o->len = 6;
	o->keep_len = true;
	mh_add_opt(m, MHOPT_PADN);		/* 18..19: NI's extra data */
	o = mh_add_opt(m, MHOPT_PADN);		/* 20..23 */
	o->var_len = 2;
	emit(t);
}

static void
m_unknown_type(int64_t t)
{
	struct mh_msg *m;

	start();
	ip6(MN_COA, HA);
	m = pkt_push_mh(&g.cur, 200);
	m->body_len = 10;
	emit(t);
}

/* The capture stops 20 bytes into the IPv6 header. */
static void
m_cut_ip6(int64_t t)
{
	struct tmpl *f;

	start();
	ip6(MN_COA, HA);
	hao(MN_HOA);
	bu(308, MH_BU_A | MH_BU_H, 420);
	f = emit(t);
	f->caplen = f->len - 40 - 24 - 16 + 20;
}

/* UDP 4191 whose payload is not an IP packet (RFC 5555). */
static void
m_udp_garbage(int64_t t)
{
	struct hdr *h;

	start();
	ip4(NAT_V4, HA_V4, 0x1004);
	udp(NAT_PORT, DSMIP_UDP_PORT);
	h = pkt_push(&g.cur, HDR_DATA);
	h->u.data.proto = 17;
	h->u.data.data_len = 16;
	h->u.data.len = 16;
	memcpy(h->u.data.data, "\x01\x02garbage-bytes", 16);
	emit(t);
}

static void
m_ip4_cksum(int64_t t)
{
	struct hdr *h;

	start();
	h = ip4(NAT_V4, HA_V4, 0x1005);
	h->keep = HDR_KEEP_CKSUM;
	h->u.ip4.checksum = 0xdead;
	udp(NAT_PORT, DSMIP_UDP_PORT);
	ip6(MN3_HOA, HA);
	bu(2, MH_BU_A | MH_BU_H | MH_BU_K, 420);
	emit(t);
}

static const struct {
	void		(*build)(int64_t);
	const char	*expect;
} bad_frames[] = {
	/*
	 * The decoder sees only the captured bytes: the IPv6 Payload Length
	 * then points past them as well as the MH Header Len.
	 */
	{ m_cut_mh,		"mh-hdrlen-past-end" },
	{ m_bad_cksum,		"mh-checksum" },
	{ m_hdrlen_past_end,	"mh-hdrlen-past-end" },
	{ m_misaligned,		"mh-opt-misaligned" },
	{ m_bad_not_last,	"mh-bad-not-last" },
	{ m_payload_proto,	"mh-payload-proto" },
	{ m_hao_with_ba,	"hao-not-allowed" },
	{ m_rh2_with_bu,	"rh2-not-allowed" },
	{ m_opt_length,		"mh-opt-length" },
	{ m_unknown_type,	"mh-unknown-type" },
	{ m_cut_ip6,		"truncated" },
	{ m_udp_garbage,	"encap-version" },
	{ m_ip4_cksum,		"ip4-checksum" },
};

/* A valid packet between two malformed ones. */
static void
valid_frame(size_t i, int64_t t)
{
	switch (i % 4) {
	case 0: s_home_bu(t, (uint16_t)(10 + i), 420); break;
	case 1: s_home_ba(t, (uint16_t)(10 + i), 420); break;
	case 2: s_hoti(t); break;
	default: s_brr(t); break;
	}
}

static void
build_malformed(void)
{
	size_t i, nb = sizeof(bad_frames) / sizeof(bad_frames[0]);
	int64_t t = 0;

	g.malformed = true;
	for (i = 0; i < nb; i++) {
		valid_frame(i, t);
		t += 100000;
		bad_frames[i].build(t);
		g.f[g.nf - 1].expect = bad_frames[i].expect;
		t += 100000;
	}
	valid_frame(nb, t);
}

/* -------------------------------------------------------------- output */

static FILE *
open_out(const char *path)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL) {
		fprintf(stderr, "mkpcap_helper: %s: %s\n", path,
		    strerror(errno));
		exit(2);
	}
	setvbuf(fp, NULL, _IOFBF, 1 << 20);
	return fp;
}

static void
put(FILE *fp, const uint8_t *p, size_t n)
{
	if (fwrite(p, 1, n, fp) != n)
		die("write failed");
}

/* The classic pcap file header, big-endian (RFC-draft pcap format). */
static void
write_header(FILE *fp, uint32_t linktype)
{
	uint8_t b[24];
	struct wbuf w;

	wbuf_init(&w, b, sizeof(b));
	wbuf_u32(&w, 0xa1b2c3d4);	/* magic: microsecond stamps */
	wbuf_u16(&w, 2);
	wbuf_u16(&w, 4);
	wbuf_u32(&w, 0);		/* thiszone */
	wbuf_u32(&w, 0);		/* sigfigs */
	wbuf_u32(&w, 262144);		/* snaplen */
	wbuf_u32(&w, linktype);
	put(fp, b, w.len);
}

static void
write_record(FILE *fp, int64_t t_us, const uint8_t *data, size_t caplen,
    size_t len)
{
	uint8_t b[16];
	struct wbuf w;

	t_us += (int64_t)T0_SEC * 1000000;
	wbuf_init(&w, b, sizeof(b));
	wbuf_u32(&w, (uint32_t)(t_us / 1000000));
	wbuf_u32(&w, (uint32_t)(t_us % 1000000));
	wbuf_u32(&w, (uint32_t)caplen);
	wbuf_u32(&w, (uint32_t)len);
	put(fp, b, w.len);
	put(fp, data, caplen);
}

static void
finish(FILE *fp)
{
	if (fclose(fp) != 0)
		die("close failed");
}

static void
write_frames(const char *path)
{
	FILE *fp = open_out(path);
	size_t i;

	write_header(fp, links[g.link_i].linktype);
	for (i = 0; i < g.nf; i++)
		write_record(fp, g.f[i].t_us, g.f[i].data, g.f[i].caplen,
		    g.f[i].len);
	finish(fp);
}

static void
write_expect(const char *pcap)
{
	char path[4096];
	FILE *fp;
	size_t i;

	snprintf(path, sizeof(path), "%s.expect", pcap);
	fp = open_out(path);
	for (i = 0; i < g.nf; i++)
		fprintf(fp, "%zu%s%s\n", i + 1, g.f[i].expect[0] ? " " : "",
		    g.f[i].expect);
	finish(fp);
}

/* -------------------------------------------------------------- mixed */

/* Cycle k of a BU/BA frame: its sequence number moved on by k. */
static void
reseq(struct tmpl *t, uint16_t k)
{
	if (t->p == NULL || !t->p->has_mh)
		return;
	g.cur = *t->p;
	if (g.cur.mh.type == MH_BU)
		g.cur.mh.u.bu.seq = (uint16_t)(t->p->mh.u.bu.seq + k);
	else
		g.cur.mh.u.ba.seq = (uint16_t)(t->p->mh.u.ba.seq + k);
	encode_into(t);
}

static void
write_mixed(uint64_t n, const char *path)
{
	FILE *fp = open_out(path);
	uint64_t i;

	write_header(fp, links[g.link_i].linktype);
	for (i = 0; i < n; i++) {
		struct tmpl *t = &g.f[i % g.nf];

		if (i % g.nf == 0 && i > 0) {
			size_t j;

			for (j = 0; j < g.nf; j++)
				reseq(&g.f[j], (uint16_t)(i / g.nf * 3));
		}
		/* 5 µs apart: a busy link, times strictly increasing. */
		write_record(fp, (int64_t)i * 5, t->data, t->caplen, t->len);
	}
	finish(fp);
}

/* -------------------------------------------------------------- recode */

struct layout {
	bool		 le;
	bool		 nsec;
	bool		 oddts;
	uint32_t	 snaplen;
	uint64_t	 long_k;	/* 0: none */
	long		 cut;
};

#define LONG_EXTRA	200

static void
put_u32(uint8_t *b, uint32_t v, bool le)
{
	int i;

	for (i = 0; i < 4; i++)
		b[le ? i : 3 - i] = (uint8_t)(v >> (8 * i));
}

static void
put_u16(uint8_t *b, uint16_t v, bool le)
{
	b[le ? 0 : 1] = (uint8_t)v;
	b[le ? 1 : 0] = (uint8_t)(v >> 8);
}

static void
parse_layout(const char *spec, struct layout *l)
{
	char buf[256], *tok, *save = NULL;

	memset(l, 0, sizeof(*l));
	l->snaplen = 262144;
	if (strcmp(spec, "same") == 0)
		return;
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "le") == 0)
			l->le = true;
		else if (strcmp(tok, "nsec") == 0)
			l->nsec = true;
		else if (strcmp(tok, "oddts") == 0)
			l->oddts = true;
		else if (strncmp(tok, "snaplen=", 8) == 0)
			l->snaplen = (uint32_t)strtoul(tok + 8, NULL, 10);
		else if (strncmp(tok, "long=", 5) == 0)
			l->long_k = strtoull(tok + 5, NULL, 10);
		else if (strncmp(tok, "cut=", 4) == 0)
			l->cut = strtol(tok + 4, NULL, 10);
		else
			die("bad recode spec");
	}
}

/* The time stamp fields of frame k (from 1) in the new layout. */
static void
layout_ts(const struct layout *l, uint64_t k, const struct pcap_pkthdr *h,
    uint32_t *sec, uint32_t *frac)
{
	static const uint32_t odd_sec[] = { 0x7fffffff, 0x80000000,
	    0xffffffff, 0, 1, 1700000000 };
	static const uint32_t odd_frac[] = { 999999, 1000000, 0xffffffff, 0,
	    0x80000000, 999999999 };

	if (l->oddts) {
		*sec = odd_sec[k % 6];
		*frac = odd_frac[k % 6];
		return;
	}
	*sec = (uint32_t)h->ts.tv_sec;
	*frac = (uint32_t)h->ts.tv_usec * (l->nsec ? 1000 : 1);
}

static void
recode_header(FILE *fp, const struct layout *l, uint32_t linktype)
{
	uint8_t b[24];

	put_u32(b, l->nsec ? 0xa1b23c4d : 0xa1b2c3d4, l->le);
	put_u16(b + 4, 2, l->le);
	put_u16(b + 6, 4, l->le);
	put_u32(b + 8, 0, l->le);
	put_u32(b + 12, 0, l->le);
	put_u32(b + 16, l->snaplen, l->le);
	put_u32(b + 20, linktype, l->le);
	put(fp, b, sizeof(b));
}

static void
recode_frame(FILE *fp, const struct layout *l, uint64_t k,
    const struct pcap_pkthdr *h, const u_char *data)
{
	static const uint8_t extra[LONG_EXTRA];
	uint32_t sec, frac, more = k == l->long_k ? LONG_EXTRA : 0;
	uint8_t b[16];

	layout_ts(l, k, h, &sec, &frac);
	put_u32(b, sec, l->le);
	put_u32(b + 4, frac, l->le);
	put_u32(b + 8, h->caplen + more, l->le);
	put_u32(b + 12, h->len + more, l->le);
	put(fp, b, sizeof(b));
	put(fp, data, h->caplen);
	put(fp, extra, more);
}

/* The link type field of a (big-endian) capture this program wrote. */
static uint32_t
read_linktype(const char *path)
{
	uint8_t b[24];
	FILE *fp = fopen(path, "rb");

	if (fp == NULL || fread(b, 1, sizeof(b), fp) != sizeof(b))
		die("cannot read the input header");
	fclose(fp);
	return (uint32_t)b[20] << 24 | (uint32_t)b[21] << 16 |
	    (uint32_t)b[22] << 8 | b[23];
}

static int
recode(const char *spec, const char *in, const char *out)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct layout l;
	uint64_t k = 0;
	pcap_t *pc;
	FILE *fp;
	long size;

	parse_layout(spec, &l);
	if ((pc = pcap_open_offline_with_tstamp_precision(in,
	    PCAP_TSTAMP_PRECISION_MICRO, err)) == NULL) {
		fprintf(stderr, "mkpcap_helper: %s\n", err);
		return 2;
	}
	fp = open_out(out);
	recode_header(fp, &l, read_linktype(in));
	while (pcap_next_ex(pc, &h, &data) == 1)
		recode_frame(fp, &l, ++k, h, data);
	pcap_close(pc);
	if (fflush(fp) != 0 || (size = ftell(fp)) < 0 ||
	    ftruncate(fileno(fp), size > l.cut ? size - l.cut : 0) != 0)
		die("cannot cut the output");
	finish(fp);
	return 0;
}

/* -------------------------------------------------------------- inject */

static int
inject(const char *iface, const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *in, *outp;
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc, n = 0;

	if ((in = pcap_open_offline(path, err)) == NULL ||
	    (outp = pcap_open_live(iface, 65535, 0, 100, err)) == NULL) {
		fprintf(stderr, "mkpcap_helper: %s\n", err);
		return 2;
	}
	while ((rc = pcap_next_ex(in, &h, &data)) == 1) {
		if (pcap_inject(outp, data, h->caplen) < 0) {
			fprintf(stderr, "mkpcap_helper: inject: %s\n",
			    pcap_geterr(outp));
			return 2;
		}
		n++;
	}
	pcap_close(in);
	pcap_close(outp);
	printf("%d\n", n);
	return 0;
}

/* --------------------------------------------------------------- main */

static void
usage(void)
{
	fprintf(stderr,
	    "usage: mkpcap_helper [-l link] sample OUT.pcap\n"
	    "       mkpcap_helper [-l link] malformed OUT.pcap\n"
	    "       mkpcap_helper [-l link] edges OUT.pcap\n"
	    "       mkpcap_helper [-l link] esp OUT.pcap\n"
	    "       mkpcap_helper [-l link] mixed N OUT.pcap\n"
	    "       mkpcap_helper recode SPEC IN.pcap OUT.pcap\n"
	    "       mkpcap_helper badlink OUT.pcap\n"
	    "       mkpcap_helper inject IFACE IN.pcap\n"
	    "links: ether raw raw12 raw14 sll null\n");
	exit(2);
}

static void
set_link(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (strcmp(links[i].name, name) == 0) {
			g.link_i = i;
			return;
		}
	usage();
}

static int
run(int argc, char **argv)
{
	const char *cmd = argv[0];
	char *end;
	uint64_t n;

	if (strcmp(cmd, "sample") == 0 && argc == 2) {
		build_sample();
		write_frames(argv[1]);
	} else if (strcmp(cmd, "esp") == 0 && argc == 2) {
		build_esp();
		write_frames(argv[1]);
	} else if (strcmp(cmd, "edges") == 0 && argc == 2) {
		build_edges();
		write_frames(argv[1]);
	} else if (strcmp(cmd, "malformed") == 0 && argc == 2) {
		build_malformed();
		write_frames(argv[1]);
		write_expect(argv[1]);
	} else if (strcmp(cmd, "mixed") == 0 && argc == 3) {
		n = strtoull(argv[1], &end, 10);
		if (*end != '\0' || n == 0)
			usage();
		build_sample();
		write_mixed(n, argv[2]);
	} else if (strcmp(cmd, "badlink") == 0 && argc == 2) {
		FILE *fp = open_out(argv[1]);

		write_header(fp, LINKTYPE_BAD);
		finish(fp);
	} else if (strcmp(cmd, "recode") == 0 && argc == 4)
		return recode(argv[1], argv[2], argv[3]);
	else if (strcmp(cmd, "inject") == 0 && argc == 3)
		return inject(argv[1], argv[2]);
	else
		usage();
	return 0;
}

int
main(int argc, char **argv)
{
	int i = 1;

	if (argc > 2 && strcmp(argv[1], "-l") == 0) {
		set_link(argv[2]);
		i = 3;
	}
	if (i >= argc)
		usage();
	return run(argc - i, argv + i);
}
