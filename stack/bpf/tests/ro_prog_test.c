/*
 * ro_prog_test.c - the mobile node's and the correspondent node's tc
 * programs (stack/bpf/mn.bpf.c, cn.bpf.c) run with BPF_PROG_TEST_RUN on
 * frames built by the packets/ library: the verdict, the bytes that come
 * out, the ring-buffer records and the exact counters of every path.
 *
 * The expected frames are encoded by packets/ too, whose upper-layer
 * checksums follow RFC 6275's pseudo-header rules (HoA for a HAO, the
 * RH2 address for a RH2): equal bytes therefore also prove that the
 * programs leave checksums right without touching them.
 *
 * Each case runs in a network namespace of its own with a veth pair m6a
 * (the interface under test: the MN's care-of interface, the CN's link)
 * and m6b (where 2001:db8:2::/64, the care-of prefix, is routed).
 */
#include <atf-c.h>
#include <linux/pkt_cls.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "packets/pkt.h"
#include "packets/tests/testutil.h"
#include "stack/bpf/tests/planetest.h"

#define HA	"2001:db8:1::1"
#define HOA	"2001:db8:1::100"
#define HOA2	"2001:db8:1::101"	/* at home */
#define MR_HOA	"2001:db8:1::200"
#define COA	"2001:db8:2::100"
#define MR_COA	"2001:db8:2::200"
#define CN	"2001:db8:3::5"
#define CN2	"2001:db8:3::6"		/* no route optimisation */
#define GW	"fe80::1"
#define MNP	"2001:db8:10::"		/* /48 of the mobile router */
#define MNN	"2001:db8:10:1::5"	/* a node in it */

static const uint8_t mac_a[6] = { 2, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_peer[6] = { 2, 0, 0, 0, 0, 0x99 };
static const uint8_t mac_nh[6] = { 2, 0, 0, 0, 0, 0x77 };	/* next hop */

struct fx {
	struct mn_plane	*mn;
	struct cn_plane	*cn;
	unsigned	ifa, ifb;
};

static struct fx fx;

static struct m6_in6
m6(const char *text)
{
	struct m6_in6 a;

	memcpy(a.b, tu_in6(text).s6_addr, 16);
	return a;
}

static void
netns(void)
{
	pt_private_netns();
	pt_sh("ip link add m6a address 02:00:00:00:00:0a type veth "
	    "peer name m6b address 02:00:00:00:00:0b");
	pt_sh("ip link set m6a up && ip link set m6b up");
	pt_sh("ip -6 addr add 2001:db8:2::1/64 dev m6b nodad");
	pt_sh("ip -6 addr add 2001:db8:3::1/64 dev m6a nodad");
	fx.ifa = if_nametoindex("m6a");
	fx.ifb = if_nametoindex("m6b");
	ATF_REQUIRE(fx.ifa > 0 && fx.ifb > 0);
}

/* A home address with its HA, default router GW, CoA on coa_ifindex. */
static void
set_hoa(const char *hoa, const char *coa, uint32_t flags,
    unsigned coa_ifindex)
{
	struct m6_mn_hoa h;

	memset(&h, 0, sizeof h);
	h.coa = m6(coa);
	h.ha = m6(HA);
	h.gw = m6(GW);
	h.flags = flags;
	h.coa_ifindex = coa_ifindex;
	ATF_REQUIRE_EQ(mn_plane_hoa_set(fx.mn, pt_in6(hoa), &h), 0);
}

/* The mobile node: HOA away (CoA on m6a, HA), HOA2 at home, MR_HOA a
   mobile router with MNP/48; RO with CN. */
static void
mn_setup(void)
{
	struct m6_ro_key k = { m6(HOA), m6(CN) };
	struct m6_mn_ro ro;
	char err[512];

	netns();
	fx.mn = mn_plane_open(pt_state_dir(), err, sizeof err);
	if (fx.mn == NULL)
		atf_tc_fail("mn_plane_open: %s", err);
	set_hoa(HOA, COA, M6H_AWAY, fx.ifa);
	set_hoa(MR_HOA, MR_COA, M6H_AWAY | M6H_ROUTER, fx.ifa);
	set_hoa(HOA2, COA, 0, fx.ifa);
	ATF_REQUIRE_EQ(mn_plane_mnp_set(fx.mn, pt_in6("2001:db8:10:ff::"), 48,
	    pt_in6(MR_HOA)), 0);
	memset(&ro, 0, sizeof ro);
	ro.coa = m6(COA);
	ro.flags = M6R_ACTIVE;
	ATF_REQUIRE_EQ(mn_plane_ro_set(fx.mn, &k, &ro), 0);
	ATF_REQUIRE_EQ(mn_plane_local_set(fx.mn, pt_in6(COA), M6L_OWN), 0);
	ATF_REQUIRE_EQ(mn_plane_local_set(fx.mn, pt_in6(MR_COA), M6L_OWN), 0);
}

/* The correspondent: CN is ours, HOA bound to COA and MR_HOA to MR_COA
   (active), HOA2 known but not active. */
static void
cn_setup(void)
{
	struct m6_cn_bind b;
	char err[512];

	netns();
	fx.cn = cn_plane_open(pt_state_dir(), 16, err, sizeof err);
	if (fx.cn == NULL)
		atf_tc_fail("cn_plane_open: %s", err);
	ATF_REQUIRE_EQ(cn_plane_local_set(fx.cn, pt_in6(CN), M6L_OWN), 0);
	memset(&b, 0, sizeof b);
	b.coa = m6(COA);
	b.flags = M6B_ACTIVE;
	ATF_REQUIRE_EQ(cn_plane_bind_set(fx.cn, pt_in6(HOA), &b), 0);
	b.coa = m6(MR_COA);
	ATF_REQUIRE_EQ(cn_plane_bind_set(fx.cn, pt_in6(MR_HOA), &b), 0);
	b.flags = 0;
	b.coa = m6(COA);
	ATF_REQUIRE_EQ(cn_plane_bind_set(fx.cn, pt_in6(HOA2), &b), 0);
}

static void
teardown(void)
{
	if (fx.mn != NULL)
		ATF_CHECK_EQ(mn_plane_destroy(fx.mn), 0);
	if (fx.cn != NULL)
		ATF_CHECK_EQ(cn_plane_destroy(fx.cn), 0);
	fx.mn = NULL;
	fx.cn = NULL;
}

/* ------------------------------------------------------------- frames */

#define FRAME_MAX	PT_FRAME_MAX

static void
push_eth(struct pkt *p)
{
	pt_push_eth(p, mac_a, mac_peer);
}

static void
push_ip6(struct pkt *p, const char *src, const char *dst, uint8_t hlim)
{
	pt_push_ip6(p, src, dst, hlim);
}

/* UDP 5000 -> 7 with 24 bytes: its checksum follows the pseudo-header
   rules, so it tells which addresses it covers. */
static void
push_udp(struct pkt *p)
{
	struct hdr *h;
	uint16_t i;

	ATF_REQUIRE((h = pkt_push(p, HDR_UDP)) != NULL);
	h->u.udp.sport = 5000;
	h->u.udp.dport = 7;
	ATF_REQUIRE((h = pkt_push(p, HDR_DATA)) != NULL);
	h->u.data.proto = 0;
	for (i = 0; i < 24; i++)
		h->u.data.data[i] = (uint8_t)(0xa0 + i);
	h->u.data.data_len = 24;
	h->u.data.len = 24;
}

static void
push_mh(struct pkt *p, uint8_t type)
{
	struct mh_msg *m = pkt_push_mh(p, type);

	ATF_REQUIRE(m != NULL);
	if (type == MH_BU) {
		m->u.bu.seq = 4660;
		m->u.bu.flags = MH_BU_A;
		m->u.bu.lifetime = 100;
	} else if (type == MH_BA) {
		m->u.ba.seq = 4660;
		m->u.ba.lifetime = 100;
	}
}

static size_t
encode(const struct pkt *p, uint8_t *buf)
{
	size_t n;

	ATF_REQUIRE_EQ(pkt_encode(p, buf, FRAME_MAX, &n), 0);
	return n;
}

/* A frame: eth / ip6(src, dst, hlim 64) / UDP. */
static size_t
udp_frame(uint8_t *buf, const char *src, const char *dst)
{
	struct pkt p;

	push_eth(&p);
	push_ip6(&p, src, dst, 64);
	push_udp(&p);
	return encode(&p, buf);
}

/* ------------------------------------------------------------- running */

/* Run the hook's program as if on interface ifindex. */
static struct pt_run
run_on(enum m6_hook hook, unsigned ifindex, const uint8_t *in, size_t len)
{
	int fd = fx.mn != NULL ? mn_plane_prog_fd(fx.mn, hook) :
	    cn_plane_prog_fd(fx.cn, hook);

	return pt_run_prog(fd, ifindex, hook == M6_HOOK_INGRESS ? ifindex : 0,
	    in, len, 1);
}

static struct pt_run
run(enum m6_hook hook, const uint8_t *in, size_t len)
{
	return run_on(hook, fx.ifa, in, len);
}

/* Run and check the verdict and the bytes out. */
static void
expect(enum m6_hook hook, const uint8_t *in, size_t inlen, int verdict,
    const uint8_t *want, size_t wantlen)
{
	struct pt_run r = run(hook, in, inlen);

	ATF_CHECK_EQ(r.verdict, verdict);
	tu_bytes_eq("frame out", r.out, r.outlen, want, wantlen);
}

static void
counters_are(const struct pt_cnt *want, size_t n)
{
	uint64_t got[M6C_MAX];

	ATF_REQUIRE_EQ(fx.mn != NULL ? mn_plane_counters(fx.mn, got) :
	    cn_plane_counters(fx.cn, got), 0);
	pt_counters_match(got, want, n);
}

#define COUNTERS(...)							\
	counters_are((const struct pt_cnt[]){ __VA_ARGS__ },		\
	    sizeof((const struct pt_cnt[]){ __VA_ARGS__ }) /		\
	    sizeof(struct pt_cnt))

static void
ring(struct pt_recs *r)
{
	memset(r, 0, sizeof *r);
	pt_consumed(r, fx.mn != NULL ?
	    mn_plane_sig_consume(fx.mn, pt_collect, r) :
	    cn_plane_sig_consume(fx.cn, pt_collect, r));
}

/* One record: reason, flags, tunnel source (or NULL: zero) and exactly
   the IPv6 bytes `ip6`. */
static void
one_record(uint16_t reason, uint16_t flags, const char *tun_src,
    const uint8_t *ip6, size_t len)
{
	struct m6_in6 zero = { { 0 } }, ts = tun_src ? m6(tun_src) : zero;
	struct pt_recs r;

	ring(&r);
	pt_one_record(&r, reason, flags, fx.ifa, &ts, ip6, len);
}

static void
no_record(void)
{
	struct pt_recs r;

	ring(&r);
	ATF_CHECK_EQ_MSG(r.n, 0, "%zu unexpected ring records", r.n);
}

/* ========================================================== MN egress */

PT_TC(mn_egress_tunnel, "MN egress: from an away HoA to a peer without "
    "RO: IPv6-in-IPv6 CoA -> HA, inner untouched, redirected")
{
	uint8_t in[FRAME_MAX], want[FRAME_MAX];
	size_t inlen, wantlen;
	struct pkt p;

	mn_setup();
	inlen = udp_frame(in, HOA, CN2);
	push_eth(&p);
	push_ip6(&p, COA, HA, 64);	/* RFC 2473 §3 tunnel header */
	push_ip6(&p, HOA, CN2, 64);	/* originated: hop limit kept */
	push_udp(&p);
	wantlen = encode(&p, want);
	expect(M6_HOOK_EGRESS, in, inlen, TC_ACT_REDIRECT, want, wantlen);
	COUNTERS({ M6C_TUN_ENCAP, 1 });
	no_record();
	teardown();
}

/*
 * A UDP packet from HOA to CN (RO active) through the MN's egress on
 * ifindex: the HAO header inserted, source <- CoA, the rest as it was;
 * in: the frame sent (inlen bytes).
 */
static struct pt_run
ro_hao_on(unsigned ifindex, uint8_t *in, size_t *inlen)
{
	uint8_t want[FRAME_MAX];
	size_t wantlen;
	struct pkt p;
	struct pt_run r;

	*inlen = udp_frame(in, HOA, CN);
	push_eth(&p);
	push_ip6(&p, COA, CN, 64);
	ATF_REQUIRE(pkt_push_hao(&p, pt_in6(HOA)) != NULL);
	push_udp(&p);
	wantlen = encode(&p, want);
	r = run_on(M6_HOOK_EGRESS, ifindex, in, *inlen);
	tu_bytes_eq("frame out", r.out, r.outlen, want, wantlen);
	return r;
}

PT_TC(mn_egress_ro_hao, "MN egress: to a peer with active RO: the "
    "24-octet Destination Options header with PadN + HAO is inserted, "
    "source <- CoA, UDP checksum unchanged (RFC 6275 §6.3, §11.3.1); "
    "already on the care-of interface: goes on (TC_ACT_OK), Ethernet "
    "header kept")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct pt_run r;

	mn_setup();
	r = ro_hao_on(fx.ifa, in, &inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	/* spelled out: NH 60, plen + 24, option at 8n+6, checksum same */
	ATF_CHECK_EQ(r.out[20], 60);
	ATF_CHECK_EQ((size_t)(r.out[18] << 8 | r.out[19]), inlen - 54 + 24);
	ATF_CHECK_EQ(r.out[54 + 6], 0xc9);
	ATF_CHECK_EQ(r.out[54 + 7], 16);
	ATF_CHECK(memcmp(r.out + 54 + 24 + 6, in + 54 + 6, 2) == 0);
	COUNTERS({ M6C_HAO_INSERT, 1 });
	teardown();
}

PT_TC(mn_egress_ro_other_if, "MN egress: RO from an interface that is "
    "not the care-of one: HAO inserted and redirected (via the care-of "
    "link's router)")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;

	mn_setup();
	ATF_CHECK_EQ(ro_hao_on(fx.ifb, in, &inlen).verdict, TC_ACT_REDIRECT);
	COUNTERS({ M6C_HAO_INSERT, 1 });
	teardown();
}

PT_TC(mn_egress_hoti_tunneled, "MN egress: a Mobility Header from the "
    "HoA (the HoTI) is tunneled even to an RO peer (RFC 6275 §11.6.1)")
{
	uint8_t in[FRAME_MAX], want[FRAME_MAX];
	size_t inlen, wantlen;
	struct pkt p;

	mn_setup();
	push_eth(&p);
	push_ip6(&p, HOA, CN, 64);
	push_mh(&p, MH_HOTI);
	inlen = encode(&p, in);
	push_eth(&p);
	push_ip6(&p, COA, HA, 64);
	push_ip6(&p, HOA, CN, 64);
	push_mh(&p, MH_HOTI);
	wantlen = encode(&p, want);
	expect(M6_HOOK_EGRESS, in, inlen, TC_ACT_REDIRECT, want, wantlen);
	COUNTERS({ M6C_TUN_ENCAP, 1 });
	teardown();
}

PT_TC(mn_egress_untouched, "MN egress: from a CoA, from a HoA at home, "
    "from another address: passed unchanged")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;

	mn_setup();
	inlen = udp_frame(in, COA, CN);
	expect(M6_HOOK_EGRESS, in, inlen, TC_ACT_OK, in, inlen);
	inlen = udp_frame(in, HOA2, CN);
	expect(M6_HOOK_EGRESS, in, inlen, TC_ACT_OK, in, inlen);
	inlen = udp_frame(in, "2001:db8:5::1", CN);
	expect(M6_HOOK_EGRESS, in, inlen, TC_ACT_OK, in, inlen);
	COUNTERS({ M6C_PASS, 3 });
	no_record();
	teardown();
}

/* ========================================================== MN egress: MTU */

/* eth / ip6(src -> dst, hlim 64) / Echo Request: ip6len IPv6 bytes. */
static size_t
echo_frame(uint8_t *buf, const char *src, const char *dst, size_t ip6len)
{
	struct icmp6_msg *m;
	struct pkt p;
	size_t i, body = ip6len - 40 - 8;

	push_eth(&p);
	push_ip6(&p, src, dst, 64);
	m = pkt_push_icmp6(&p, ICMP6_T_ECHO_REQUEST, 0);
	ATF_REQUIRE(m != NULL && body <= sizeof m->body);
	m->u.echo.id = 0x1234;
	m->u.echo.seq = 1;
	for (i = 0; i < body; i++)
		m->body[i] = (uint8_t)i;
	m->body_len = (uint16_t)body;
	ATF_REQUIRE_EQ(encode(&p, buf), 14 + ip6len);
	return 14 + ip6len;
}

/*
 * The frame is too big once grown: dropped, one M6S_PTB record with the
 * MTU the sender must use and the packet's first M6_SIG_SNAPLEN bytes
 * (the daemon quotes 1232 of them), drop_too_big + 1.
 */
static void
expect_ptb(enum m6_hook hook, const uint8_t *in, size_t inlen, uint32_t mtu)
{
	struct pt_run r = run(hook, in, inlen);
	struct pt_recs rec;

	ATF_CHECK_EQ(r.verdict, TC_ACT_SHOT);
	COUNTERS({ M6C_DROP_TOO_BIG, 1 }, { M6C_SIG_OUT, 1 });
	ring(&rec);
	ATF_REQUIRE_EQ(rec.n, 1);
	ATF_CHECK_EQ(rec.sig[0].reason, M6S_PTB);
	ATF_CHECK_EQ(rec.sig[0].mtu, mtu);
	ATF_CHECK_EQ(rec.sig[0].flags, M6SF_TRUNC);
	ATF_CHECK_EQ(rec.sig[0].ifindex, fx.ifa);
	ATF_CHECK_EQ(rec.sig[0].wirelen, inlen - 14);
	ATF_REQUIRE_EQ(rec.sig[0].caplen, M6_SIG_SNAPLEN);
	tu_bytes_eq("packet start", rec.data[0], rec.sig[0].caplen, in + 14,
	    M6_SIG_SNAPLEN);
}

/* A frame that just fits once grown by `grow`: grown, with the verdict
   of its path (redirected, or on its way: TC_ACT_OK). */
static void
expect_fits(enum m6_hook hook, const uint8_t *in, size_t inlen, size_t grow,
    int verdict)
{
	struct pt_run r = run(hook, in, inlen);

	ATF_CHECK_EQ(r.verdict, verdict);
	ATF_CHECK_EQ(r.outlen, inlen + grow);
	no_record();
}

/*
 * Egress on a link of MTU 1340: a 1328-byte packet that grows by `grow`
 * is too big (PTB record with 1340 - grow), one of 1340 - grow fits and
 * counts in `done`.
 */
static void
too_big_then_fits(const char *src, const char *dst, size_t grow,
    enum m6_counter done, int verdict)
{
	uint8_t in[FRAME_MAX];
	size_t inlen;

	pt_sh("ip link set m6a mtu 1340");
	inlen = echo_frame(in, src, dst, 1328);
	expect_ptb(M6_HOOK_EGRESS, in, inlen, (uint32_t)(1340 - grow));
	inlen = echo_frame(in, src, dst, 1340 - grow);
	expect_fits(M6_HOOK_EGRESS, in, inlen, grow, verdict);
	COUNTERS({ M6C_DROP_TOO_BIG, 1 }, { M6C_SIG_OUT, 1 }, { done, 1 });
}

PT_TC(mn_egress_tunnel_too_big, "MN egress: 1328 + 40 over the care-of "
    "link's MTU 1340: dropped, PTB record with MTU 1300 (RFC 4443 §3.2, "
    "RFC 2473 §7.1); 1300 + 40 fits and is tunneled")
{
	mn_setup();
	too_big_then_fits(HOA, CN2, 40, M6C_TUN_ENCAP, TC_ACT_REDIRECT);
	teardown();
}

PT_TC(mn_egress_hao_too_big, "MN egress: 1328 + the 24-octet HAO header "
    "over MTU 1340: dropped, PTB record with MTU 1316; 1316 + 24 fits")
{
	mn_setup();
	too_big_then_fits(HOA, CN, 24, M6C_HAO_INSERT, TC_ACT_OK);
	teardown();
}

PT_TC(mn_egress_too_big_minimum, "MN egress: care-of link MTU 1300, less "
    "the tunnel header is under 1280: the PTB says 1280 (RFC 8200 §5), "
    "a 1280-byte packet is still dropped (we do not fragment)")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;

	mn_setup();
	pt_sh("ip link set m6a mtu 1300");
	inlen = echo_frame(in, HOA, CN2, 1328);
	expect_ptb(M6_HOOK_EGRESS, in, inlen, 1280);
	inlen = echo_frame(in, HOA, CN2, 1280);
	ATF_CHECK_EQ(run(M6_HOOK_EGRESS, in, inlen).verdict, TC_ACT_SHOT);
	COUNTERS({ M6C_DROP_TOO_BIG, 2 }, { M6C_SIG_OUT, 2 });
	teardown();
}

/* ========================================================= MN ingress */

/* eth / ip6(outer_src -> COA) / ip6(src -> dst) / UDP, and the inner
   frame alone. */
static void
tunneled_udp(const char *outer_src, const char *src, const char *dst,
    uint8_t *in, size_t *inlen, uint8_t *inner, size_t *innerlen)
{
	struct pkt p;

	push_eth(&p);
	push_ip6(&p, outer_src, COA, 64);
	push_ip6(&p, src, dst, 63);
	push_udp(&p);
	*inlen = encode(&p, in);
	push_eth(&p);
	push_ip6(&p, src, dst, 63);
	push_udp(&p);
	*innerlen = encode(&p, inner);
}

PT_TC(mn_decap_rr_hint, "MN ingress: tunneled from the HA: decapsulated; "
    "from a peer without RO an RR hint (inner bytes, tunnel source) at "
    "most once a second per peer; none from the HA itself or an RO peer")
{
	uint8_t in[FRAME_MAX], inner[FRAME_MAX];
	size_t inlen, innerlen;

	mn_setup();
	tunneled_udp(HA, CN2, HOA, in, &inlen, inner, &innerlen);
	expect(M6_HOOK_INGRESS, in, inlen, TC_ACT_OK, inner, innerlen);
	one_record(M6S_RR_HINT, M6SF_DECAP, HA, inner + 14, innerlen - 14);
	expect(M6_HOOK_INGRESS, in, inlen, TC_ACT_OK, inner, innerlen);
	no_record();			/* within the second: no hint */
	tunneled_udp(HA, CN, HOA, in, &inlen, inner, &innerlen);
	expect(M6_HOOK_INGRESS, in, inlen, TC_ACT_OK, inner, innerlen);
	tunneled_udp(HA, HA, HOA, in, &inlen, inner, &innerlen);
	expect(M6_HOOK_INGRESS, in, inlen, TC_ACT_OK, inner, innerlen);
	no_record();
	COUNTERS({ M6C_TUN_DECAP, 4 }, { M6C_RR_HINT, 1 },
	    { M6C_SIG_OUT, 1 });
	teardown();
}

PT_TC(mn_decap_mobile_network, "MN ingress: tunneled from the HA to a "
    "node of the mobile network: decapsulated, no hint")
{
	uint8_t in[FRAME_MAX], inner[FRAME_MAX];
	size_t inlen, innerlen;

	mn_setup();
	tunneled_udp(HA, CN2, MNN, in, &inlen, inner, &innerlen);
	expect(M6_HOOK_INGRESS, in, inlen, TC_ACT_OK, inner, innerlen);
	no_record();
	COUNTERS({ M6C_TUN_DECAP, 1 });
	teardown();
}

PT_TC(mn_decap_not_from_ha, "MN ingress: IPv6-in-IPv6 from another "
    "source than the HA, or to an unknown inner destination: untouched")
{
	uint8_t in[FRAME_MAX], inner[FRAME_MAX];
	size_t inlen, innerlen;

	mn_setup();
	tunneled_udp(CN, CN2, HOA, in, &inlen, inner, &innerlen);
	expect(M6_HOOK_INGRESS, in, inlen, TC_ACT_OK, in, inlen);
	tunneled_udp(HA, CN2, "2001:db8:1::999", in, &inlen, inner,
	    &innerlen);
	expect(M6_HOOK_INGRESS, in, inlen, TC_ACT_OK, in, inlen);
	COUNTERS({ M6C_PASS, 2 });
	no_record();
	teardown();
}

PT_TC(mn_decap_signaling, "MN ingress: a Mobility Header (HoT) or a "
    "DHAAD Reply inside the tunnel goes to the ring with M6SF_DECAP and "
    "is dropped")
{
	uint8_t in[FRAME_MAX], inner[FRAME_MAX];
	size_t inlen, innerlen;
	struct icmp6_msg *m;
	struct pkt p;

	mn_setup();
	push_eth(&p);
	push_ip6(&p, HA, COA, 64);
	push_ip6(&p, CN, HOA, 63);
	push_mh(&p, MH_HOT);
	inlen = encode(&p, in);
	push_eth(&p);
	push_ip6(&p, CN, HOA, 63);
	push_mh(&p, MH_HOT);
	innerlen = encode(&p, inner);
	ATF_CHECK_EQ(run(M6_HOOK_INGRESS, in, inlen).verdict, TC_ACT_SHOT);
	one_record(M6S_MH, M6SF_DECAP, HA, inner + 14, innerlen - 14);

	push_eth(&p);
	push_ip6(&p, HA, COA, 64);
	push_ip6(&p, HA, HOA, 64);
	ATF_REQUIRE((m = pkt_push_icmp6(&p, ICMP6_T_DHAAD_REPLY, 0)) != NULL);
	m->u.dhaad.id = 7;
	inlen = encode(&p, in);
	ATF_CHECK_EQ(run(M6_HOOK_INGRESS, in, inlen).verdict, TC_ACT_SHOT);
	one_record(M6S_ICMP_MN, M6SF_DECAP, HA, in + 54, inlen - 54);
	COUNTERS({ M6C_TUN_DECAP, 2 }, { M6C_SIG_OUT, 2 });
	teardown();
}

PT_TC(mn_rh2_strip, "MN ingress: RH2 (segments left 1, our HoA) to the "
    "CoA: removed, destination <- HoA, UDP checksum unchanged (RFC 6275 "
    "§6.4)")
{
	uint8_t in[FRAME_MAX], want[FRAME_MAX];
	size_t inlen, wantlen;
	struct pkt p;

	mn_setup();
	push_eth(&p);
	push_ip6(&p, CN, COA, 64);
	ATF_REQUIRE(pkt_push_rh2(&p, pt_in6(HOA)) != NULL);
	push_udp(&p);
	inlen = encode(&p, in);
	wantlen = udp_frame(want, CN, HOA);
	expect(M6_HOOK_INGRESS, in, inlen, TC_ACT_OK, want, wantlen);
	COUNTERS({ M6C_RH2_STRIP, 1 });
	no_record();
	teardown();
}

PT_TC(mn_rh2_mh, "MN ingress: a BA with RH2 to the CoA goes to the ring "
    "with M6SF_RH2, the RH2 kept, and is dropped")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct pkt p;

	mn_setup();
	push_eth(&p);
	push_ip6(&p, HA, COA, 64);
	ATF_REQUIRE(pkt_push_rh2(&p, pt_in6(HOA)) != NULL);
	push_mh(&p, MH_BA);
	inlen = encode(&p, in);
	ATF_CHECK_EQ(run(M6_HOOK_INGRESS, in, inlen).verdict, TC_ACT_SHOT);
	one_record(M6S_MH, M6SF_RH2, NULL, in + 14, inlen - 14);
	COUNTERS({ M6C_SIG_OUT, 1 });
	teardown();
}

PT_TC(mn_esp_to_ring, "MN ingress: a BA in ESP (RFC 3776) with RH2 to "
    "the CoA goes to the ring as M6S_MH with M6SF_RH2, the RH2 kept; ESP to "
    "the HoA at home too; both dropped")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct pkt p;

	mn_setup();
	push_eth(&p);
	push_ip6(&p, HA, COA, 64);
	ATF_REQUIRE(pkt_push_rh2(&p, pt_in6(HOA)) != NULL);
	push_mh(&p, MH_BA);
	inlen = encode(&p, in);
	in[14 + 40] = IPPROTO_ESP;	/* the RH2 announces ESP */
	ATF_CHECK_EQ(run(M6_HOOK_INGRESS, in, inlen).verdict, TC_ACT_SHOT);
	one_record(M6S_MH, M6SF_RH2, NULL, in + 14, inlen - 14);
	push_eth(&p);
	push_ip6(&p, HA, COA, 64);
	push_mh(&p, MH_BA);
	inlen = encode(&p, in);
	in[14 + 6] = IPPROTO_ESP;
	ATF_CHECK_EQ(run(M6_HOOK_INGRESS, in, inlen).verdict, TC_ACT_SHOT);
	one_record(M6S_MH, 0, NULL, in + 14, inlen - 14);
	COUNTERS({ M6C_SIG_OUT, 2 });
	teardown();
}

PT_TC(mn_rh2_bad, "MN ingress: RH2 with an unknown home address or "
    "segments left 0: dropped, drop_rh2_bad")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct hdr *h;
	struct pkt p;

	mn_setup();
	push_eth(&p);
	push_ip6(&p, CN, COA, 64);
	ATF_REQUIRE(pkt_push_rh2(&p, pt_in6("2001:db8:1::999")) != NULL);
	push_udp(&p);
	inlen = encode(&p, in);
	ATF_CHECK_EQ(run(M6_HOOK_INGRESS, in, inlen).verdict, TC_ACT_SHOT);
	push_eth(&p);
	push_ip6(&p, CN, COA, 64);
	ATF_REQUIRE((h = pkt_push_rh2(&p, pt_in6(HOA))) != NULL);
	h->u.rh.segleft = 0;
	push_udp(&p);
	inlen = encode(&p, in);
	ATF_CHECK_EQ(run(M6_HOOK_INGRESS, in, inlen).verdict, TC_ACT_SHOT);
	COUNTERS({ M6C_DROP_RH2_BAD, 2 });
	no_record();
	teardown();
}

PT_TC(mn_signaling_direct, "MN ingress: a CoT to the CoA and an MPA to "
    "the CoA go to the ring and are dropped")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct pkt p;

	mn_setup();
	push_eth(&p);
	push_ip6(&p, CN, COA, 64);
	push_mh(&p, MH_COT);
	inlen = encode(&p, in);
	ATF_CHECK_EQ(run(M6_HOOK_INGRESS, in, inlen).verdict, TC_ACT_SHOT);
	one_record(M6S_MH, 0, NULL, in + 14, inlen - 14);
	push_eth(&p);
	push_ip6(&p, HA, COA, 64);
	ATF_REQUIRE(pkt_push_icmp6(&p, ICMP6_T_MPA, 0) != NULL);
	inlen = encode(&p, in);
	ATF_CHECK_EQ(run(M6_HOOK_INGRESS, in, inlen).verdict, TC_ACT_SHOT);
	one_record(M6S_ICMP_MN, 0, NULL, in + 14, inlen - 14);
	COUNTERS({ M6C_SIG_OUT, 2 });
	teardown();
}

/* A Parameter Problem from CN to the CoA quoting `quoted` (an IPv6
   packet, no Ethernet). */
static size_t
param_problem(uint8_t *buf, const uint8_t *quoted, size_t qlen)
{
	struct icmp6_msg *m;
	struct pkt p;

	push_eth(&p);
	push_ip6(&p, CN, COA, 64);
	ATF_REQUIRE((m = pkt_push_icmp6(&p, ICMP6_T_PARAM_PROB, 2)) != NULL);
	ATF_REQUIRE(qlen <= sizeof m->body);
	m->u.pointer = 40 + 2;
	memcpy(m->body, quoted, qlen);
	m->body_len = (uint16_t)qlen;
	return encode(&p, buf);
}

PT_TC(mn_icmp_error_quoting_hao, "MN ingress: an ICMPv6 error quoting our "
    "HAO (RFC 6275 §11.3.5) is copied to the ring and passed; one "
    "quoting a plain packet is only passed")
{
	uint8_t q[FRAME_MAX], in[FRAME_MAX];
	size_t qlen, inlen;
	struct pkt p;

	mn_setup();
	push_eth(&p);
	push_ip6(&p, COA, CN, 64);
	ATF_REQUIRE(pkt_push_hao(&p, pt_in6(HOA)) != NULL);
	push_udp(&p);
	qlen = encode(&p, q);
	inlen = param_problem(in, q + 14, qlen - 14);
	expect(M6_HOOK_INGRESS, in, inlen, TC_ACT_OK, in, inlen);
	one_record(M6S_ICMP_ERR, 0, NULL, in + 14, inlen - 14);

	qlen = udp_frame(q, COA, CN);
	inlen = param_problem(in, q + 14, qlen - 14);
	expect(M6_HOOK_INGRESS, in, inlen, TC_ACT_OK, in, inlen);
	no_record();
	COUNTERS({ M6C_SIG_OUT, 1 }, { M6C_PASS, 1 });
	teardown();
}

PT_TC(mn_mr_mobile_network_out, "MR ingress on an internal interface: a "
    "packet from the mobile network is tunneled to the HA from the MR's "
    "CoA, inner hop limit - 1 (RFC 3963 §5.5); inside the network or "
    "with hop limit 1: left to the kernel")
{
	uint8_t in[FRAME_MAX], want[FRAME_MAX];
	size_t inlen, wantlen;
	struct pkt p;

	mn_setup();
	/* the internal interface is m6a: the MR's CoA lives on m6b */
	set_hoa(MR_HOA, MR_COA, M6H_AWAY | M6H_ROUTER, fx.ifb);
	inlen = udp_frame(in, MNN, CN);
	push_eth(&p);
	push_ip6(&p, MR_COA, HA, 64);
	push_ip6(&p, MNN, CN, 63);
	push_udp(&p);
	wantlen = encode(&p, want);
	expect(M6_HOOK_INGRESS, in, inlen, TC_ACT_REDIRECT, want, wantlen);

	inlen = udp_frame(in, MNN, "2001:db8:10:2::7");
	expect(M6_HOOK_INGRESS, in, inlen, TC_ACT_OK, in, inlen);
	push_eth(&p);
	push_ip6(&p, MNN, CN, 1);
	push_udp(&p);
	inlen = encode(&p, in);
	expect(M6_HOOK_INGRESS, in, inlen, TC_ACT_OK, in, inlen);
	COUNTERS({ M6C_TUN_ENCAP, 1 }, { M6C_PASS, 1 }, { M6C_HLIM, 1 });
	teardown();
}

/* ========================================================= CN ingress */

PT_TC(cn_hao_swap, "CN ingress: HAO with a binding to the source: source "
    "<- HoA, the Destination Options header removed, UDP checksum "
    "unchanged (RFC 6275 §9.3.1)")
{
	uint8_t in[FRAME_MAX], want[FRAME_MAX];
	size_t inlen, wantlen;
	struct pkt p;

	cn_setup();
	push_eth(&p);
	push_ip6(&p, COA, CN, 64);
	ATF_REQUIRE(pkt_push_hao(&p, pt_in6(HOA)) != NULL);
	push_udp(&p);
	inlen = encode(&p, in);
	wantlen = udp_frame(want, HOA, CN);
	expect(M6_HOOK_INGRESS, in, inlen, TC_ACT_OK, want, wantlen);
	COUNTERS({ M6C_HAO_SWAP, 1 });
	no_record();
	teardown();
}

PT_TC(cn_hao_with_other_option, "CN ingress: a Destination Options "
    "header holding another option besides the HAO stays, the HAO "
    "overwritten with PadN")
{
	uint8_t in[FRAME_MAX], want[FRAME_MAX];
	size_t inlen, wantlen;
	struct hdr *h;
	struct pkt p;

	cn_setup();
	push_eth(&p);
	push_ip6(&p, COA, CN, 64);
	ATF_REQUIRE((h = pkt_push_hao(&p, pt_in6(HOA))) != NULL);
	/* an unknown skippable option (type 0x1e, 4 data octets) after the
	   HAO, then PadN(0): 8 + 18 + 6 = 32 octets */
	h->u.opts.hdr_ext_len = 3;
	h->u.opts.ntlv = 4;
	h->u.opts.tlv[2] = (struct ip6_tlv){ .type = 0x1e, .len = 4,
	    .off = 24, .data_len = 4, .data = { 1, 2, 3, 4 } };
	h->u.opts.tlv[3] = (struct ip6_tlv){ .type = 1, .len = 0, .off = 30 };
	push_udp(&p);
	inlen = encode(&p, in);
	ATF_REQUIRE_EQ(inlen, 14 + 40 + 32 + 8 + 24);
	/* expected: the same header with PadN(16 data octets) over the HAO */
	h = &p.h[1];
	h->u.ip6.src = tu_in6(HOA);
	h = &p.h[2];
	h->u.opts.tlv[1] = (struct ip6_tlv){ .type = 1, .len = 16, .off = 6,
	    .data_len = 16 };
	wantlen = encode(&p, want);
	expect(M6_HOOK_INGRESS, in, inlen, TC_ACT_OK, want, wantlen);
	COUNTERS({ M6C_HAO_SWAP, 1 });
	teardown();
}

PT_TC(cn_hao_no_binding, "CN ingress: HAO without a binding (unknown, "
    "inactive, other CoA): dropped, a BE hint at most once a second per "
    "source (RFC 6275 §9.3.1)")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct pkt p;

	cn_setup();
	push_eth(&p);
	push_ip6(&p, COA, CN, 64);
	ATF_REQUIRE(pkt_push_hao(&p, pt_in6("2001:db8:1::999")) != NULL);
	push_udp(&p);
	inlen = encode(&p, in);
	ATF_CHECK_EQ(run(M6_HOOK_INGRESS, in, inlen).verdict, TC_ACT_SHOT);
	one_record(M6S_BE_HINT, 0, NULL, in + 14, inlen - 14);
	ATF_CHECK_EQ(run(M6_HOOK_INGRESS, in, inlen).verdict, TC_ACT_SHOT);
	push_eth(&p);
	push_ip6(&p, COA, CN, 64);
	ATF_REQUIRE(pkt_push_hao(&p, pt_in6(HOA2)) != NULL);	/* inactive */
	push_udp(&p);
	inlen = encode(&p, in);
	ATF_CHECK_EQ(run(M6_HOOK_INGRESS, in, inlen).verdict, TC_ACT_SHOT);
	no_record();			/* same source within the second */
	push_eth(&p);
	push_ip6(&p, MR_COA, CN, 64);
	ATF_REQUIRE(pkt_push_hao(&p, pt_in6(HOA)) != NULL);	/* other CoA */
	push_udp(&p);
	inlen = encode(&p, in);
	ATF_CHECK_EQ(run(M6_HOOK_INGRESS, in, inlen).verdict, TC_ACT_SHOT);
	one_record(M6S_BE_HINT, 0, NULL, in + 14, inlen - 14);
	COUNTERS({ M6C_DROP_HAO_NO_BIND, 4 }, { M6C_BE_HINT, 2 },
	    { M6C_SIG_OUT, 2 });
	teardown();
}

PT_TC(cn_signaling, "CN ingress: a BU with its HAO, a HoTI and a CoTI to "
    "us go to the ring and are dropped; a HAO off 8n+6 is malformed")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct hdr *h;
	struct pkt p;

	cn_setup();
	push_eth(&p);
	push_ip6(&p, COA, CN, 64);
	ATF_REQUIRE(pkt_push_hao(&p, pt_in6(HOA)) != NULL);
	push_mh(&p, MH_BU);
	inlen = encode(&p, in);
	ATF_CHECK_EQ(run(M6_HOOK_INGRESS, in, inlen).verdict, TC_ACT_SHOT);
	one_record(M6S_MH, 0, NULL, in + 14, inlen - 14);
	push_eth(&p);
	push_ip6(&p, HOA, CN, 63);
	push_mh(&p, MH_HOTI);
	inlen = encode(&p, in);
	ATF_CHECK_EQ(run(M6_HOOK_INGRESS, in, inlen).verdict, TC_ACT_SHOT);
	one_record(M6S_MH, 0, NULL, in + 14, inlen - 14);
	push_eth(&p);
	push_ip6(&p, COA, CN, 64);
	push_mh(&p, MH_COTI);
	inlen = encode(&p, in);
	ATF_CHECK_EQ(run(M6_HOOK_INGRESS, in, inlen).verdict, TC_ACT_SHOT);
	one_record(M6S_MH, 0, NULL, in + 14, inlen - 14);

	/* HAO at offset 4 (Pad1 Pad1 then HAO: 4 mod 8), written as given,
	   24 octets with two Pad1 at the end */
	push_eth(&p);
	push_ip6(&p, COA, CN, 64);
	ATF_REQUIRE((h = pkt_push_hao(&p, pt_in6(HOA))) != NULL);
	h->keep = HDR_KEEP_LEN;
	h->u.opts.ntlv = 3;
	h->u.opts.tlv[0] = (struct ip6_tlv){ .type = 0, .off = 2 };
	h->u.opts.tlv[1] = (struct ip6_tlv){ .type = 0, .off = 3 };
	h->u.opts.tlv[2] = (struct ip6_tlv){ .type = 201, .len = 16, .off = 4,
	    .hoa = tu_in6(HOA) };
	ATF_REQUIRE((h = pkt_push(&p, HDR_DATA)) != NULL);
	h->u.data.proto = 59;
	inlen = encode(&p, in);
	ATF_REQUIRE_EQ(inlen, 14 + 40 + 24);
	ATF_REQUIRE_EQ(in[14 + 40 + 4], 201);
	ATF_CHECK_EQ(run(M6_HOOK_INGRESS, in, inlen).verdict, TC_ACT_SHOT);
	no_record();
	COUNTERS({ M6C_SIG_OUT, 3 }, { M6C_DROP_MALFORMED, 1 });
	teardown();
}

PT_TC(cn_ingress_plain, "CN ingress: a packet without HAO or MH, or not "
    "to us, passes unchanged")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;

	cn_setup();
	inlen = udp_frame(in, HOA, CN);
	expect(M6_HOOK_INGRESS, in, inlen, TC_ACT_OK, in, inlen);
	inlen = udp_frame(in, COA, CN2);
	expect(M6_HOOK_INGRESS, in, inlen, TC_ACT_OK, in, inlen);
	COUNTERS({ M6C_PASS, 2 });
	teardown();
}

/* ========================================================== CN egress */

PT_TC(cn_egress_rh2, "CN egress: to a bound HoA: RH2 with the HoA "
    "inserted, destination <- CoA, UDP checksum unchanged, redirected "
    "to the neighbour layer (RFC 6275 §9.3.2)")
{
	uint8_t in[FRAME_MAX], want[FRAME_MAX];
	size_t inlen, wantlen;
	struct pkt p;
	struct pt_run r;

	cn_setup();
	inlen = udp_frame(in, CN, HOA);
	push_eth(&p);
	push_ip6(&p, CN, COA, 64);
	ATF_REQUIRE(pkt_push_rh2(&p, pt_in6(HOA)) != NULL);
	push_udp(&p);
	wantlen = encode(&p, want);
	r = run(M6_HOOK_EGRESS, in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_REDIRECT);
	tu_bytes_eq("frame out", r.out, r.outlen, want, wantlen);
	ATF_CHECK_EQ(r.out[20], 43);
	ATF_CHECK_EQ(r.out[54 + 2], 2);		/* Routing Type 2 */
	ATF_CHECK_EQ(r.out[54 + 3], 1);		/* Segments Left 1 */

	COUNTERS({ M6C_RH2_INSERT, 1 });
	no_record();
	teardown();
}

/*
 * eth(dmac) / ip6(CN -> coa) / RH2(hoa) / BA (ba) or UDP: what cnd sends,
 * or a packet of ours after bpf_redirect_neigh, with the next hop's MAC;
 * with UDP also what cn_egress makes of udp_frame(CN, hoa).
 */
static size_t
rh2_frame(uint8_t *buf, const uint8_t dmac[6], const char *coa,
    const char *hoa, int ba)
{
	struct pkt p;

	pt_push_eth(&p, dmac, mac_peer);
	push_ip6(&p, CN, coa, 64);
	ATF_REQUIRE(pkt_push_rh2(&p, pt_in6(hoa)) != NULL);
	if (ba)
		push_mh(&p, MH_BA);
	else
		push_udp(&p);
	return encode(&p, buf);
}

PT_TC(cn_egress_rh2_next_hop, "CN egress: a packet with our RH2 on its "
    "way out to the binding's CoA shows the next hop's MAC; a RO packet "
    "on that interface then leaves with it, not redirected (TC_ACT_OK); "
    "on another interface, or 300 ms later (fresh 200 ms), redirected")
{
	uint8_t in[FRAME_MAX], want[FRAME_MAX];
	size_t inlen, wantlen;
	struct pt_run r;

	cn_setup();
	inlen = rh2_frame(in, mac_nh, COA, HOA, 1);
	expect(M6_HOOK_EGRESS, in, inlen, TC_ACT_OK, in, inlen);
	inlen = udp_frame(in, CN, HOA);
	/* within a few ms of the learning: well inside 200 ms */
	wantlen = rh2_frame(want, mac_nh, COA, HOA, 0);
	expect(M6_HOOK_EGRESS, in, inlen, TC_ACT_OK, want, wantlen);
	wantlen = rh2_frame(want, mac_a, COA, HOA, 0);
	r = run_on(M6_HOOK_EGRESS, fx.ifb, in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_REDIRECT);
	tu_bytes_eq("frame out (other interface)", r.out, r.outlen, want,
	    wantlen);
	usleep(300000);
	expect(M6_HOOK_EGRESS, in, inlen, TC_ACT_REDIRECT, want, wantlen);
	COUNTERS({ M6C_PASS, 1 }, { M6C_RH2_INSERT, 3 });
	no_record();
	teardown();
}

PT_TC(cn_egress_rh2_next_hop_not_learned, "CN egress: a RH2 to another "
    "CoA than the home address's binding, or for an inactive binding, "
    "teaches nothing: RO packets are still redirected, Ethernet header "
    "as they came")
{
	uint8_t in[FRAME_MAX], want[FRAME_MAX];
	size_t inlen, wantlen;

	cn_setup();
	inlen = rh2_frame(in, mac_nh, MR_COA, HOA, 1);
	expect(M6_HOOK_EGRESS, in, inlen, TC_ACT_OK, in, inlen);
	inlen = rh2_frame(in, mac_nh, COA, MR_HOA, 1);
	expect(M6_HOOK_EGRESS, in, inlen, TC_ACT_OK, in, inlen);
	inlen = rh2_frame(in, mac_nh, COA, HOA2, 1);
	expect(M6_HOOK_EGRESS, in, inlen, TC_ACT_OK, in, inlen);
	inlen = udp_frame(in, CN, HOA);
	wantlen = rh2_frame(want, mac_a, COA, HOA, 0);
	expect(M6_HOOK_EGRESS, in, inlen, TC_ACT_REDIRECT, want, wantlen);
	inlen = udp_frame(in, CN, MR_HOA);
	wantlen = rh2_frame(want, mac_a, MR_COA, MR_HOA, 0);
	expect(M6_HOOK_EGRESS, in, inlen, TC_ACT_REDIRECT, want, wantlen);
	COUNTERS({ M6C_PASS, 3 }, { M6C_RH2_INSERT, 2 });
	teardown();
}

PT_TC(cn_egress_untouched, "CN egress: a BA that already has its RH2, a "
    "HoT (Mobility Header) to the HoA, traffic to an inactive or unknown "
    "HoA: unchanged")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct pkt p;

	cn_setup();
	push_eth(&p);
	push_ip6(&p, CN, COA, 64);
	ATF_REQUIRE(pkt_push_rh2(&p, pt_in6(HOA)) != NULL);
	push_mh(&p, MH_BA);
	inlen = encode(&p, in);
	expect(M6_HOOK_EGRESS, in, inlen, TC_ACT_OK, in, inlen);
	push_eth(&p);
	push_ip6(&p, CN, HOA, 64);
	push_mh(&p, MH_HOT);
	inlen = encode(&p, in);
	expect(M6_HOOK_EGRESS, in, inlen, TC_ACT_OK, in, inlen);
	inlen = udp_frame(in, CN, HOA2);
	expect(M6_HOOK_EGRESS, in, inlen, TC_ACT_OK, in, inlen);
	inlen = udp_frame(in, CN, CN2);
	expect(M6_HOOK_EGRESS, in, inlen, TC_ACT_OK, in, inlen);
	COUNTERS({ M6C_PASS, 4 });
	teardown();
}

/* ========================================================== the loaders */

static int
count_hoa(void *arg, const struct in6_addr *a, const struct m6_mn_hoa *h)
{
	(void)a;
	(void)h;
	(*(int *)arg)++;
	return 0;
}

static int
count_ro(void *arg, const struct m6_ro_key *k, const struct m6_mn_ro *ro)
{
	(void)k;
	ATF_CHECK(ro->flags & M6R_ACTIVE);
	(*(int *)arg)++;
	return 0;
}

static int
count_bind(void *arg, const struct in6_addr *a, const struct m6_cn_bind *b)
{
	(void)a;
	(void)b;
	(*(int *)arg)++;
	return 0;
}

PT_TC(cn_egress_rh2_too_big, "CN egress: 1328 + the 24-octet RH2 over "
    "MTU 1340: dropped, PTB record with MTU 1316 (RFC 4443 §3.2); 1316 + "
    "24 fits and is redirected")
{
	cn_setup();
	too_big_then_fits(CN, HOA, 24, M6C_RH2_INSERT, TC_ACT_REDIRECT);
	teardown();
}

PT_TC(planes_survive_reopen, "mn and cn planes: maps pinned under the "
    "state dir are found again by a second open (a restart); attach puts "
    "filters on ingress and egress, detach removes both; flush empties")
{
	char err[512], dir[128];
	int n = 0;

	mn_setup();
	snprintf(dir, sizeof dir, "%s", pt_state_dir());
	mn_plane_close(fx.mn);
	fx.mn = mn_plane_open(dir, err, sizeof err);
	ATF_REQUIRE_MSG(fx.mn != NULL, "%s", err);
	ATF_CHECK_EQ(mn_plane_hoa_foreach(fx.mn, count_hoa, &n), 0);
	ATF_CHECK_EQ(n, 3);
	n = 0;
	ATF_CHECK_EQ(mn_plane_ro_foreach(fx.mn, count_ro, &n), 0);
	ATF_CHECK_EQ(n, 1);
	ATF_REQUIRE_EQ(mn_plane_attach(fx.mn, fx.ifa, err, sizeof err), 0);
	pt_sh("tc filter show dev m6a ingress | grep -q 'handle 0x6d6e'");
	pt_sh("tc filter show dev m6a egress | grep -q 'handle 0x6d6e'");
	ATF_CHECK_EQ(mn_plane_detach(fx.mn, fx.ifa), 0);
	ATF_CHECK_EQ(mn_plane_detach(fx.mn, fx.ifa), -ENOENT);
	ATF_REQUIRE_EQ(mn_plane_attach(fx.mn, fx.ifa, err, sizeof err), 0);
	ATF_CHECK_EQ(mn_plane_detach_ifindex(fx.ifa), 0);
	pt_sh("! tc filter show dev m6a egress | grep -q 'handle 0x6d6e'");
	ATF_CHECK_EQ(mn_plane_detach_ifindex(fx.ifa), 0);	/* none: 0 */
	/* attached again, for destroy to find */
	ATF_REQUIRE_EQ(mn_plane_attach(fx.mn, fx.ifa, err, sizeof err), 0);
	ATF_CHECK_EQ(mn_plane_flush(fx.mn), 0);
	n = 0;
	ATF_CHECK_EQ(mn_plane_hoa_foreach(fx.mn, count_hoa, &n), 0);
	ATF_CHECK_EQ(n, 0);
	teardown();

	cn_setup();
	snprintf(dir, sizeof dir, "%s", pt_state_dir());
	cn_plane_close(fx.cn);
	fx.cn = cn_plane_open(dir, 16, err, sizeof err);
	ATF_REQUIRE_MSG(fx.cn != NULL, "%s", err);
	n = 0;
	ATF_CHECK_EQ(cn_plane_bind_foreach(fx.cn, count_bind, &n), 0);
	ATF_CHECK_EQ(n, 3);
	ATF_REQUIRE_EQ(cn_plane_attach(fx.cn, fx.ifa, err, sizeof err), 0);
	pt_sh("tc filter show dev m6a egress | grep -q 'handle 0x636e'");
	teardown();
	ATF_CHECK_EQ(access(dir, F_OK), -1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, mn_egress_tunnel);
	ATF_TP_ADD_TC(tp, mn_egress_ro_hao);
	ATF_TP_ADD_TC(tp, mn_egress_ro_other_if);
	ATF_TP_ADD_TC(tp, mn_egress_hoti_tunneled);
	ATF_TP_ADD_TC(tp, mn_egress_untouched);
	ATF_TP_ADD_TC(tp, mn_egress_tunnel_too_big);
	ATF_TP_ADD_TC(tp, mn_egress_hao_too_big);
	ATF_TP_ADD_TC(tp, mn_egress_too_big_minimum);
	ATF_TP_ADD_TC(tp, mn_decap_rr_hint);
	ATF_TP_ADD_TC(tp, mn_decap_mobile_network);
	ATF_TP_ADD_TC(tp, mn_decap_not_from_ha);
	ATF_TP_ADD_TC(tp, mn_decap_signaling);
	ATF_TP_ADD_TC(tp, mn_rh2_strip);
	ATF_TP_ADD_TC(tp, mn_rh2_mh);
	ATF_TP_ADD_TC(tp, mn_esp_to_ring);
	ATF_TP_ADD_TC(tp, mn_rh2_bad);
	ATF_TP_ADD_TC(tp, mn_signaling_direct);
	ATF_TP_ADD_TC(tp, mn_icmp_error_quoting_hao);
	ATF_TP_ADD_TC(tp, mn_mr_mobile_network_out);
	ATF_TP_ADD_TC(tp, cn_hao_swap);
	ATF_TP_ADD_TC(tp, cn_hao_with_other_option);
	ATF_TP_ADD_TC(tp, cn_hao_no_binding);
	ATF_TP_ADD_TC(tp, cn_signaling);
	ATF_TP_ADD_TC(tp, cn_ingress_plain);
	ATF_TP_ADD_TC(tp, cn_egress_rh2);
	ATF_TP_ADD_TC(tp, cn_egress_rh2_next_hop);
	ATF_TP_ADD_TC(tp, cn_egress_rh2_next_hop_not_learned);
	ATF_TP_ADD_TC(tp, cn_egress_untouched);
	ATF_TP_ADD_TC(tp, cn_egress_rh2_too_big);
	ATF_TP_ADD_TC(tp, planes_survive_reopen);
	return atf_no_error();
}
