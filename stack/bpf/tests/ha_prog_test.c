/*
 * ha_prog_test.c - the home agent's tc program (stack/bpf/ha.bpf.c) run
 * with BPF_PROG_TEST_RUN on frames built by the packets/ library: the
 * verdict, the bytes that come out, the ring-buffer records and the exact
 * counters of every path (encapsulation with each FIB outcome, MNP,
 * Packet Too Big, hop limit, reverse-tunnel checks of RFC 6275 §10.4.5 /
 * RFC 3963 §6.6, signaling, RA/ND copies, pass-through, malformed
 * headers, a full ring).
 *
 * Each case runs in a network namespace of its own holding a veth pair:
 * m6a is the arrival interface, m6b carries 2001:db8:2::/64 where the
 * care-of addresses live (2001:db8:2::100 and ::200 have permanent
 * neighbours, ::300 has none, 2001:db8:99::/64 is unrouted).
 */
#include <atf-c.h>
#include <linux/pkt_cls.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "packets/pkt.h"
#include "packets/tests/testutil.h"
#include "stack/bpf/tests/planetest.h"

#define HA	"2001:db8:1::1"
#define ANYCAST	"2001:db8:1:0:fdff:ffff:ffff:fffe"	/* RFC 2526 id 126 */
#define HOA	"2001:db8:1::100"
#define COA	"2001:db8:2::100"	/* permanent neighbour */
#define MR_HOA	"2001:db8:1::200"
#define MR_COA	"2001:db8:2::200"	/* permanent neighbour */
#define COA_NN	"2001:db8:2::300"	/* on link, no neighbour */
#define COA_NR	"2001:db8:99::1"	/* no route */
#define CN	"2001:db8:3::5"
#define MNP	"2001:db8:10::"		/* /48 of the mobile router */

static const uint8_t mac_a[6] = { 2, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 2, 0, 0, 0, 0, 0x0b };
static const uint8_t mac_peer[6] = { 2, 0, 0, 0, 0, 0x99 };
static const uint8_t mac_coa[6] = { 2, 0, 0, 0, 2, 0 };

struct fx {
	struct m6_plane	*pl;
	unsigned	ifa, ifb;
};

static struct fx fx;

/* A namespace, the veth pair, the plane with its local addresses. */
static void
setup(void)
{
	pt_private_netns();
	pt_sh("ip link add m6a address 02:00:00:00:00:0a type veth "
	    "peer name m6b address 02:00:00:00:00:0b");
	pt_sh("ip link set m6a up && ip link set m6b up");
	pt_sh("ip -6 addr add " HA "/64 dev m6a nodad");
	pt_sh("ip -6 addr add 2001:db8:2::1/64 dev m6b nodad");
	pt_sh("ip -6 neigh add " COA " lladdr 02:00:00:00:02:00 dev m6b "
	    "nud permanent");
	pt_sh("ip -6 neigh add " MR_COA " lladdr 02:00:00:00:02:01 dev m6b "
	    "nud permanent");
	/* bpf_fib_lookup forwards only where the kernel would. */
	pt_write("/proc/sys/net/ipv6/conf/all/forwarding", "1");
	fx.ifa = if_nametoindex("m6a");
	fx.ifb = if_nametoindex("m6b");
	ATF_REQUIRE(fx.ifa > 0 && fx.ifb > 0);

	fx.pl = pt_open(pt_state_dir(), 64);
	ATF_REQUIRE_EQ(m6_plane_local_set(fx.pl, pt_in6(HA), M6L_HA_ADDR), 0);
	ATF_REQUIRE_EQ(m6_plane_local_set(fx.pl, pt_in6(ANYCAST),
	    M6L_ANYCAST), 0);
}

static void
teardown(void)
{
	ATF_CHECK_EQ(m6_plane_destroy(fx.pl), 0);
	fx.pl = NULL;
}

/* ------------------------------------------------------------- frames */

static void
bind_hoa(const char *hoa, const char *coa)
{
	struct m6_bind b;

	memset(&b, 0, sizeof b);
	memcpy(b.coa.b, tu_in6(coa).s6_addr, 16);
	memcpy(b.ha.b, tu_in6(HA).s6_addr, 16);
	b.flags = M6B_ACTIVE;
	b.seq = 7;
	ATF_REQUIRE_EQ(m6_plane_bind_set(fx.pl, pt_in6(hoa), &b), 0);
}

static void
set_mnp(const char *prefix, uint8_t plen, const char *hoa)
{
	struct had_prefix p = { .addr = tu_in6(prefix), .plen = plen };

	ATF_REQUIRE_EQ(m6_plane_mnp_set(fx.pl, &p, pt_in6(hoa)), 0);
}

static void
push_echo(struct pkt *p, uint16_t body)
{
	struct icmp6_msg *m = pkt_push_icmp6(p, ICMP6_T_ECHO_REQUEST, 0);
	uint16_t i;

	ATF_REQUIRE(m != NULL && body <= sizeof m->body);
	m->u.echo.id = 0x1234;
	m->u.echo.seq = 1;
	for (i = 0; i < body; i++)
		m->body[i] = (uint8_t)i;
	m->body_len = body;
}

static void
push_bu(struct pkt *p)
{
	struct mh_msg *m = pkt_push_mh(p, MH_BU);

	ATF_REQUIRE(m != NULL);
	m->u.bu.seq = 4660;
	m->u.bu.flags = MH_BU_A | MH_BU_H;
	m->u.bu.lifetime = 100;
}

static size_t
encode(const struct pkt *p, uint8_t *buf, size_t cap)
{
	size_t n;

	ATF_REQUIRE_EQ(pkt_encode(p, buf, cap, &n), 0);
	return n;
}

/* ------------------------------------------------------------- running */

#define FRAME_MAX	2048

static struct pt_run
run_n(const uint8_t *in, size_t len, unsigned repeat)
{
	return pt_run_prog(m6_plane_prog_fd(fx.pl), fx.ifa, fx.ifa, in, len,
	    repeat);
}

static struct pt_run
run1(const uint8_t *in, size_t len)
{
	return run_n(in, len, 1);
}

static void
out_is(const char *what, const struct pt_run *r, const uint8_t *want,
    size_t len)
{
	tu_bytes_eq(what, r->out, r->outlen, want, len);
}

/* The ring's records, consumed. */
static void
ring(struct pt_recs *r)
{
	memset(r, 0, sizeof *r);
	pt_consumed(r, m6_plane_sig_consume(fx.pl, pt_collect, r));
}

/* One record with this reason and flags holding exactly `ip6` (from the
   IPv6 header on). */
static void
one_record(uint16_t reason, uint16_t flags, const uint8_t *ip6, size_t len)
{
	struct pt_recs r;

	ring(&r);
	pt_one_record(&r, reason, flags, fx.ifa, NULL, ip6, len);
}

static void
no_record(void)
{
	struct pt_recs r;

	ring(&r);
	ATF_CHECK_EQ_MSG(r.n, 0, "%zu unexpected ring records", r.n);
}

/* ------------------------------------------------------------- forward */

/* Frame in: CN > dst echo with `body` bytes, hop limit 64.  want: the
   expected frame out (eth given, outer header to coa, hop limit 63). */
static void
encap_frames(const char *dst, const char *coa, const uint8_t wdst[6],
    const uint8_t wsrc[6], uint8_t *in, size_t *inlen, uint8_t *want,
    size_t *wantlen)
{
	struct pkt p;

	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, CN, dst, 64);
	push_echo(&p, 24);
	*inlen = encode(&p, in, FRAME_MAX);

	pt_push_eth(&p, wdst, wsrc);
	pt_push_ip6(&p, HA, coa, 64);	/* RFC 2473 §3: the tunnel header */
	pt_push_ip6(&p, CN, dst, 63);
	push_echo(&p, 24);
	*wantlen = encode(&p, want, FRAME_MAX);
}

PT_TC(encap_bound_hoa, "a packet to a bound HoA leaves IPv6-in-IPv6 to "
    "the CoA, Ethernet rewritten from the FIB, redirected")
{
	uint8_t in[FRAME_MAX], want[FRAME_MAX];
	size_t inlen, wantlen;
	struct pt_run r;

	setup();
	bind_hoa(HOA, COA);
	encap_frames(HOA, COA, mac_coa, mac_b, in, &inlen, want, &wantlen);
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_REDIRECT);
	out_is("encapsulated frame", &r, want, wantlen);
	/* the outer header itself, spelled out (RFC 2473 §3, §6.1) */
	ATF_CHECK_EQ(r.out[14], 0x60);
	ATF_CHECK_EQ((size_t)(r.out[18] << 8 | r.out[19]), inlen - 14);
	ATF_CHECK_EQ(r.out[20], 41);
	ATF_CHECK_EQ(r.out[21], 64);
	PT_COUNTERS(fx.pl, { M6C_TUN_ENCAP, 1 });
	no_record();
	teardown();
}

PT_TC(encap_no_neighbour, "no neighbour for the next hop: encapsulated "
    "and handed to bpf_redirect_neigh, Ethernet untouched")
{
	uint8_t in[FRAME_MAX], want[FRAME_MAX];
	size_t inlen, wantlen;
	struct pt_run r;

	setup();
	bind_hoa(HOA, COA_NN);
	encap_frames(HOA, COA_NN, mac_a, mac_peer, in, &inlen, want,
	    &wantlen);
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_REDIRECT);
	out_is("encapsulated frame", &r, want, wantlen);
	PT_COUNTERS(fx.pl, { M6C_TUN_ENCAP, 1 });
	teardown();
}

PT_TC(encap_fib_miss, "no route to the CoA: encapsulated, left to the "
    "kernel, fib_miss counted")
{
	uint8_t in[FRAME_MAX], want[FRAME_MAX];
	size_t inlen, wantlen;
	struct pt_run r;

	setup();
	bind_hoa(HOA, COA_NR);
	encap_frames(HOA, COA_NR, mac_a, mac_peer, in, &inlen, want,
	    &wantlen);
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	out_is("encapsulated frame", &r, want, wantlen);
	PT_COUNTERS(fx.pl, { M6C_TUN_ENCAP, 1 }, { M6C_FIB_MISS, 1 });
	teardown();
}

PT_TC(encap_mnp, "a packet inside a mobile network prefix goes to the "
    "mobile router's CoA (RFC 3963 §6.5)")
{
	uint8_t in[FRAME_MAX], want[FRAME_MAX];
	size_t inlen, wantlen;
	const uint8_t mac_mr[6] = { 2, 0, 0, 0, 2, 1 };
	struct pt_run r;

	setup();
	bind_hoa(MR_HOA, MR_COA);
	set_mnp("2001:db8:10:ffff::", 48, MR_HOA);	/* host bits cleared */
	encap_frames("2001:db8:10:1::5", MR_COA, mac_mr, mac_b, in, &inlen,
	    want, &wantlen);
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_REDIRECT);
	out_is("encapsulated frame", &r, want, wantlen);
	/* outside the prefix: untouched */
	encap_frames("2001:db8:11::5", MR_COA, mac_mr, mac_b, in, &inlen,
	    want, &wantlen);
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	out_is("frame outside the MNP", &r, in, inlen);
	PT_COUNTERS(fx.pl, { M6C_TUN_ENCAP, 1 }, { M6C_PASS, 1 });
	teardown();
}

PT_TC(inactive_binding_not_used, "a binding without M6B_ACTIVE neither "
    "forwards nor admits reverse-tunnelled packets")
{
	uint8_t in[FRAME_MAX], want[FRAME_MAX];
	size_t inlen, wantlen;
	struct m6_bind b;
	struct pt_run r;

	setup();
	memset(&b, 0, sizeof b);
	memcpy(b.coa.b, tu_in6(COA).s6_addr, 16);
	memcpy(b.ha.b, tu_in6(HA).s6_addr, 16);
	ATF_REQUIRE_EQ(m6_plane_bind_set(fx.pl, pt_in6(HOA), &b), 0);
	encap_frames(HOA, COA, mac_coa, mac_b, in, &inlen, want, &wantlen);
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	out_is("frame", &r, in, inlen);
	PT_COUNTERS(fx.pl, { M6C_PASS, 1 });
	teardown();
}

PT_TC(hop_limit_one_to_daemon, "inner hop limit 1: not tunnelled; the "
    "packet goes to the daemon, which sends the Time Exceeded (RFC 8200 "
    "§3, RFC 4443 §3.3), and is dropped")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct pkt p;
	struct pt_recs rec;
	struct pt_run r;

	setup();
	bind_hoa(HOA, COA);
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, CN, HOA, 1);
	push_echo(&p, 8);
	inlen = encode(&p, in, sizeof in);
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_SHOT);
	ring(&rec);
	ATF_REQUIRE_EQ(rec.n, 1);
	ATF_CHECK_EQ(rec.sig[0].reason, M6S_HLIM);
	tu_bytes_eq("packet for the daemon", rec.data[0], rec.sig[0].caplen,
	    in + 14, inlen - 14);
	PT_COUNTERS(fx.pl, { M6C_HLIM, 1 }, { M6C_SIG_OUT, 1 });
	teardown();
}

PT_TC(too_big_for_tunnel, "wire length + 40 over the egress MTU: PTB "
    "record with the path MTU to the CoA less 40, dropped (RFC 2473 "
    "§7.1)")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct pkt p;
	struct pt_recs rec;
	struct pt_run r;

	setup();
	pt_sh("ip link set m6b mtu 1350");
	bind_hoa(HOA, COA);
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, CN, HOA, 64);
	push_echo(&p, 1280);		/* IPv6 packet of 1328 bytes */
	inlen = encode(&p, in, sizeof in);
	ATF_REQUIRE_EQ(inlen, 14 + 1328);
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_SHOT);
	PT_COUNTERS(fx.pl, { M6C_DROP_TOO_BIG, 1 }, { M6C_SIG_OUT, 1 });
	ring(&rec);
	ATF_REQUIRE_EQ(rec.n, 1);
	ATF_CHECK_EQ(rec.sig[0].reason, M6S_PTB);
	/* the path MTU to the CoA less the tunnel header */
	ATF_CHECK_EQ(rec.sig[0].mtu, 1310);
	ATF_CHECK_EQ(rec.sig[0].flags, M6SF_TRUNC);
	ATF_CHECK_EQ(rec.sig[0].wirelen, 1328);
	ATF_CHECK_EQ(rec.sig[0].caplen, M6_SIG_SNAPLEN);
	tu_bytes_eq("snapped packet", rec.data[0], rec.sig[0].caplen,
	    in + 14, M6_SIG_SNAPLEN);

	/* 1310 + 40 fits exactly */
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, CN, HOA, 64);
	push_echo(&p, 1310 - 48);
	inlen = encode(&p, in, sizeof in);
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_REDIRECT);
	ATF_CHECK_EQ(r.outlen, inlen + 40);
	teardown();
}

/* ------------------------------------------------------------- reverse */

/* CoA > HA tunnel holding src > dst echo. */
static size_t
tunnelled(uint8_t *buf, const char *outer_src, const char *src,
    const char *dst)
{
	struct pkt p;

	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, outer_src, HA, 64);
	pt_push_ip6(&p, src, dst, 64);
	push_echo(&p, 16);
	return encode(&p, buf, FRAME_MAX);
}

PT_TC(decap_right_coa, "reverse tunnel from the bound CoA: decapsulated, "
    "the inner packet goes to the kernel (RFC 6275 §10.4.5)")
{
	uint8_t in[FRAME_MAX], want[FRAME_MAX];
	size_t inlen, wantlen;
	struct pkt p;
	struct pt_run r;

	setup();
	bind_hoa(HOA, COA);
	inlen = tunnelled(in, COA, HOA, CN);
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, HOA, CN, 64);
	push_echo(&p, 16);
	wantlen = encode(&p, want, sizeof want);
	ATF_REQUIRE_EQ(wantlen + 40, inlen);
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	out_is("decapsulated frame", &r, want, wantlen);
	PT_COUNTERS(fx.pl, { M6C_TUN_DECAP, 1 });
	no_record();
	teardown();
}

PT_TC(decap_wrong_coa, "reverse tunnel from another address than the "
    "bound CoA: dropped, drop_rt_coa")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;

	setup();
	bind_hoa(HOA, COA);
	inlen = tunnelled(in, COA_NN, HOA, CN);
	ATF_CHECK_EQ(run1(in, inlen).verdict, TC_ACT_SHOT);
	PT_COUNTERS(fx.pl, { M6C_DROP_RT_COA, 1 });
	teardown();
}

PT_TC(decap_unbound_source, "reverse tunnel with an unbound inner "
    "source: dropped, drop_rt_no_binding")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;

	setup();
	bind_hoa(HOA, COA);
	inlen = tunnelled(in, COA, "2001:db8:1::101", CN);
	ATF_CHECK_EQ(run1(in, inlen).verdict, TC_ACT_SHOT);
	PT_COUNTERS(fx.pl, { M6C_DROP_RT_NO_BINDING, 1 });
	teardown();
}

PT_TC(decap_mnp_source, "reverse tunnel from a mobile router: an inner "
    "source inside its prefix is accepted only from its CoA (RFC 3963 "
    "§6.6)")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct pt_run r;

	setup();
	bind_hoa(MR_HOA, MR_COA);
	bind_hoa(HOA, COA);
	set_mnp(MNP, 48, MR_HOA);
	inlen = tunnelled(in, MR_COA, "2001:db8:10:5::9", CN);
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	tu_bytes_eq("decapsulated frame", r.out + 14, r.outlen - 14,
	    in + 54, inlen - 54);
	/* the same prefix from the other node's CoA */
	inlen = tunnelled(in, COA, "2001:db8:10:5::9", CN);
	ATF_CHECK_EQ(run1(in, inlen).verdict, TC_ACT_SHOT);
	PT_COUNTERS(fx.pl, { M6C_TUN_DECAP, 1 }, { M6C_DROP_RT_COA, 1 });
	teardown();
}

PT_TC(decap_then_forward, "a reverse-tunnelled packet to another bound "
    "HoA is decapsulated and tunnelled to that node's CoA")
{
	uint8_t in[FRAME_MAX], want[FRAME_MAX];
	size_t inlen, wantlen;
	const uint8_t mac_mr[6] = { 2, 0, 0, 0, 2, 1 };
	struct pkt p;
	struct pt_run r;

	setup();
	bind_hoa(HOA, COA);
	bind_hoa(MR_HOA, MR_COA);
	inlen = tunnelled(in, COA, HOA, MR_HOA);
	pt_push_eth(&p, mac_mr, mac_b);
	pt_push_ip6(&p, HA, MR_COA, 64);
	pt_push_ip6(&p, HOA, MR_HOA, 63);
	push_echo(&p, 16);
	wantlen = encode(&p, want, sizeof want);
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_REDIRECT);
	out_is("re-encapsulated frame", &r, want, wantlen);
	PT_COUNTERS(fx.pl, { M6C_TUN_DECAP, 1 }, { M6C_TUN_ENCAP, 1 });
	teardown();
}

/* ------------------------------------------------------------- signaling */

PT_TC(bu_with_hao_to_ring, "a BU with a Home Address option to the HA "
    "address: dropped, in the ring as M6S_HAO with its exact bytes")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct in6_addr hoa = tu_in6(HOA);
	struct pkt p;

	setup();
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, COA, HA, 64);
	ATF_REQUIRE(pkt_push_hao(&p, &hoa) != NULL);
	push_bu(&p);
	inlen = encode(&p, in, sizeof in);
	ATF_CHECK_EQ(run1(in, inlen).verdict, TC_ACT_SHOT);
	PT_COUNTERS(fx.pl, { M6C_SIG_OUT, 1 });
	one_record(M6S_HAO, 0, in + 14, inlen - 14);
	teardown();
}

PT_TC(mh_in_tunnel_to_ring, "a Mobility Header to the HA inside the "
    "reverse tunnel: decapsulated, M6S_MH with M6SF_DECAP and the CoA")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct pkt p;
	struct pt_recs rec;

	setup();
	bind_hoa(HOA, COA);
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, COA, HA, 64);
	pt_push_ip6(&p, HOA, HA, 64);
	push_bu(&p);
	inlen = encode(&p, in, sizeof in);
	ATF_CHECK_EQ(run1(in, inlen).verdict, TC_ACT_SHOT);
	PT_COUNTERS(fx.pl, { M6C_TUN_DECAP, 1 }, { M6C_SIG_OUT, 1 });
	ring(&rec);
	ATF_REQUIRE_EQ(rec.n, 1);
	ATF_CHECK_EQ(rec.sig[0].reason, M6S_MH);
	ATF_CHECK_EQ(rec.sig[0].flags, M6SF_DECAP);
	ATF_CHECK(memcmp(rec.sig[0].tun_src.b, tu_in6(COA).s6_addr, 16) == 0);
	tu_bytes_eq("inner packet", rec.data[0], rec.sig[0].caplen, in + 54,
	    inlen - 54);
	teardown();
}

PT_TC(mh_to_other_passes, "a Mobility Header or HAO not addressed to us "
    "is the kernel's: passed unchanged, no record")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct in6_addr hoa = tu_in6(HOA);
	struct pkt p;
	struct pt_run r;

	setup();
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, COA, CN, 64);
	ATF_REQUIRE(pkt_push_hao(&p, &hoa) != NULL);
	push_bu(&p);
	inlen = encode(&p, in, sizeof in);
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	out_is("unchanged frame", &r, in, inlen);
	PT_COUNTERS(fx.pl, { M6C_PASS, 1 });
	no_record();
	teardown();
}

PT_TC(esp_to_ring, "ESP to the HA address (a BU in transport mode, RFC "
    "3776): dropped, in the ring as M6S_MH with its exact bytes; ESP to "
    "another node is passed")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct pkt p;
	struct pt_run r;

	setup();
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, COA, HA, 64);
	push_bu(&p);
	inlen = encode(&p, in, sizeof in);
	/* the program looks at the protocol only: the MH's bytes stand for
	   SPI, sequence number and ciphertext */
	in[14 + 6] = IPPROTO_ESP;
	ATF_CHECK_EQ(run1(in, inlen).verdict, TC_ACT_SHOT);
	PT_COUNTERS(fx.pl, { M6C_SIG_OUT, 1 });
	one_record(M6S_MH, 0, in + 14, inlen - 14);
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, COA, CN, 64);
	push_bu(&p);
	inlen = encode(&p, in, sizeof in);
	in[14 + 6] = IPPROTO_ESP;
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	out_is("unchanged frame", &r, in, inlen);
	no_record();
	teardown();
}

PT_TC(dhaad_request_to_ring, "a DHAAD Request to the Home-Agents "
    "anycast address: dropped, M6S_ICMP_HA")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct icmp6_msg *m;
	struct pkt p;

	setup();
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, COA, ANYCAST, 64);
	ATF_REQUIRE((m = pkt_push_icmp6(&p, ICMP6_T_DHAAD_REQUEST, 0)) !=
	    NULL);
	m->u.dhaad.id = 77;
	inlen = encode(&p, in, sizeof in);
	ATF_CHECK_EQ(run1(in, inlen).verdict, TC_ACT_SHOT);
	PT_COUNTERS(fx.pl, { M6C_SIG_OUT, 1 });
	one_record(M6S_ICMP_HA, 0, in + 14, inlen - 14);
	teardown();
}

PT_TC(ra_copied_and_passed, "a Router Advertisement is copied to the "
    "ring (M6S_RA) and passed unchanged")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct icmp6_msg *m;
	struct pkt p;
	struct pt_run r;

	setup();
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, "fe80::1", "ff02::1", 255);
	ATF_REQUIRE((m = pkt_push_icmp6(&p, ICMP6_T_RA, 0)) != NULL);
	m->u.ra.hop_limit = 64;
	m->u.ra.flags = ND_RA_H;
	m->u.ra.lifetime = 1800;
	inlen = encode(&p, in, sizeof in);
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	out_is("unchanged frame", &r, in, inlen);
	PT_COUNTERS(fx.pl, { M6C_SIG_OUT, 1 }, { M6C_PASS, 1 });
	one_record(M6S_RA, 0, in + 14, inlen - 14);
	teardown();
}

static size_t
ns_frame(uint8_t *buf, const char *dst, const char *target)
{
	struct icmp6_msg *m;
	struct pkt p;

	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, "fe80::2", dst, 255);
	ATF_REQUIRE((m = pkt_push_icmp6(&p, ICMP6_T_NS, 0)) != NULL);
	m->u.nsna.target = tu_in6(target);
	return encode(&p, buf, FRAME_MAX);
}

PT_TC(ns_for_watched_target, "an NS whose target is in m6_ndp is copied "
    "(M6S_ND) and passed; other targets only passed; ND to a bound HoA "
    "is never tunnelled")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct pt_run r;

	setup();
	bind_hoa(HOA, COA);
	ATF_REQUIRE_EQ(m6_plane_ndp_set(fx.pl, pt_in6(HOA), M6N_PROXY), 0);
	inlen = ns_frame(in, "ff02::1:ff00:100", HOA);
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	out_is("unchanged NS", &r, in, inlen);
	one_record(M6S_ND, 0, in + 14, inlen - 14);

	inlen = ns_frame(in, "ff02::1:ff00:101", "2001:db8:1::101");
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	no_record();

	/* unicast NUD probe to the HoA: ours to answer, not the MN's */
	inlen = ns_frame(in, HOA, HOA);
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	out_is("unchanged NS", &r, in, inlen);
	one_record(M6S_ND, 0, in + 14, inlen - 14);
	PT_COUNTERS(fx.pl, { M6C_SIG_OUT, 2 }, { M6C_PASS, 3 });

	/* watching stops */
	ATF_REQUIRE_EQ(m6_plane_ndp_set(fx.pl, pt_in6(HOA), 0), 0);
	inlen = ns_frame(in, "ff02::1:ff00:100", HOA);
	ATF_CHECK_EQ(run1(in, inlen).verdict, TC_ACT_OK);
	no_record();
	teardown();
}

PT_TC(unrelated_passed, "traffic that is not ours passes unchanged: IPv6 "
    "to others, IPv4")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct hdr *h;
	struct pkt p;
	struct pt_run r;

	setup();
	bind_hoa(HOA, COA);
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, HOA, CN, 64);
	push_echo(&p, 32);
	inlen = encode(&p, in, sizeof in);
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	out_is("IPv6 frame", &r, in, inlen);
	PT_COUNTERS(fx.pl, { M6C_PASS, 1 });

	pt_push_eth(&p, mac_a, mac_peer);
	ATF_REQUIRE((h = pkt_push(&p, HDR_IPV4)) != NULL);
	h->u.ip4.src = tu_in4("192.0.2.1");
	h->u.ip4.dst = tu_in4("192.0.2.2");
	ATF_REQUIRE((h = pkt_push(&p, HDR_UDP)) != NULL);
	h->u.udp.sport = 5000;
	h->u.udp.dport = 53;
	inlen = encode(&p, in, sizeof in);
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	out_is("IPv4 frame", &r, in, inlen);
	PT_COUNTERS(fx.pl, { M6C_PASS, 1 });	/* IPv4 is not even counted */
	no_record();
	teardown();
}

/* ------------------------------------------------------------- malformed */

/* COA > dst, Destination Options whose Hdr Ext Len overruns the packet. */
static size_t
overrun_frame(uint8_t *buf, const char *dst)
{
	struct pkt p;
	size_t n;

	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, COA, dst, 64);
	ATF_REQUIRE(pkt_push(&p, HDR_DSTOPT) != NULL);
	push_bu(&p);
	n = encode(&p, buf, FRAME_MAX);
	ATF_REQUIRE_EQ(buf[14 + 41], 0);	/* 8 bytes ... */
	buf[14 + 41] = 9;			/* ... now says 80 */
	return n;
}

PT_TC(malformed_chains, "cut or inconsistent extension headers: dropped "
    "and counted when to us, passed otherwise; 8 headers walked")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct in6_addr hoa = tu_in6(HOA);
	struct hdr *d;
	struct pkt p;
	struct pt_run r;
	int i;

	setup();
	inlen = overrun_frame(in, HA);
	ATF_CHECK_EQ(run1(in, inlen).verdict, TC_ACT_SHOT);
	PT_COUNTERS(fx.pl, { M6C_DROP_MALFORMED, 1 });
	inlen = overrun_frame(in, CN);
	r = run1(in, inlen);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	out_is("unchanged frame", &r, in, inlen);
	PT_COUNTERS(fx.pl, { M6C_DROP_MALFORMED, 1 }, { M6C_PASS, 1 });

	/* a Home Address option of length 8 (RFC 6275 §6.3 says 16) */
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, COA, HA, 64);
	ATF_REQUIRE((d = pkt_push_hao(&p, &hoa)) != NULL);
	push_bu(&p);
	inlen = encode(&p, in, sizeof in);
	ATF_REQUIRE_EQ(in[14 + 40 + 6], 201);
	in[14 + 40 + 7] = 8;
	ATF_CHECK_EQ(run1(in, inlen).verdict, TC_ACT_SHOT);

	/* Payload Length beyond the frame */
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, COA, HA, 64);
	push_bu(&p);
	inlen = encode(&p, in, sizeof in);
	ATF_CHECK_EQ(run1(in, inlen - 4).verdict, TC_ACT_SHOT);
	/* Hop-by-Hop not first (RFC 8200 §4.1) */
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, COA, HA, 64);
	ATF_REQUIRE(pkt_push(&p, HDR_DSTOPT) != NULL);
	ATF_REQUIRE(pkt_push(&p, HDR_HBH) != NULL);
	push_bu(&p);
	inlen = encode(&p, in, sizeof in);
	ATF_CHECK_EQ(run1(in, inlen).verdict, TC_ACT_SHOT);
	PT_COUNTERS(fx.pl, { M6C_DROP_MALFORMED, 4 }, { M6C_PASS, 1 });
	no_record();

	/* eight Destination Options headers are walked: the MH is seen */
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, COA, HA, 64);
	for (i = 0; i < 8; i++)
		ATF_REQUIRE(pkt_push(&p, HDR_DSTOPT) != NULL);
	push_bu(&p);
	inlen = encode(&p, in, sizeof in);
	ATF_CHECK_EQ(run1(in, inlen).verdict, TC_ACT_SHOT);
	one_record(M6S_MH, 0, in + 14, inlen - 14);
	/* a ninth is more than we walk */
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, COA, HA, 64);
	for (i = 0; i < 9; i++)
		ATF_REQUIRE(pkt_push(&p, HDR_DSTOPT) != NULL);
	push_bu(&p);
	inlen = encode(&p, in, sizeof in);
	ATF_CHECK_EQ(run1(in, inlen).verdict, TC_ACT_SHOT);
	no_record();
	PT_COUNTERS(fx.pl, { M6C_DROP_MALFORMED, 5 }, { M6C_PASS, 1 },
	    { M6C_SIG_OUT, 1 });

	/* an inner header cut short inside the reverse tunnel */
	bind_hoa(HOA, COA);
	inlen = tunnelled(in, COA, HOA, CN);
	in[14 + 5] = 20;	/* outer Payload Length: 20 < 40 */
	ATF_CHECK_EQ(run1(in, 14 + 40 + 20).verdict, TC_ACT_SHOT);
	PT_COUNTERS(fx.pl, { M6C_DROP_MALFORMED, 6 }, { M6C_PASS, 1 },
	    { M6C_SIG_OUT, 1 });
	teardown();
}

/* xorshift32: a reproducible byte stream for the mutations. */
static uint32_t
next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

PT_TC(mutations_survive, "3000 mutated and cut signaling, tunnel and "
    "forwarding frames: every verdict is OK, SHOT or REDIRECT, every "
    "redirect is a counted encapsulation")
{
	uint8_t base[3][FRAME_MAX], in[FRAME_MAX];
	size_t len[3], inlen, i;
	struct in6_addr hoa = tu_in6(HOA);
	uint64_t c[M6C_MAX], nredirect = 0;
	uint32_t seed = 0x6d36u;
	struct pkt p;
	struct pt_recs rec;
	int v;

	setup();
	bind_hoa(HOA, COA);
	set_mnp(MNP, 48, HOA);
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, COA, HA, 64);
	ATF_REQUIRE(pkt_push_hao(&p, &hoa) != NULL);
	push_bu(&p);
	len[0] = encode(&p, base[0], FRAME_MAX);
	len[1] = tunnelled(base[1], COA, HOA, CN);
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, CN, HOA, 64);
	ATF_REQUIRE(pkt_push(&p, HDR_HBH) != NULL);
	ATF_REQUIRE(pkt_push(&p, HDR_RH) != NULL);
	push_echo(&p, 40);
	len[2] = encode(&p, base[2], FRAME_MAX);

	for (i = 0; i < 3000; i++) {
		size_t b = i % 3, k, nflip = 1 + next_rand(&seed) % 4;

		memcpy(in, base[b], len[b]);
		inlen = len[b];
		for (k = 0; k < nflip; k++) {
			/* bytes after the Ethernet header */
			size_t at = 14 + next_rand(&seed) % (inlen - 14);

			in[at] = (uint8_t)next_rand(&seed);
		}
		/* cut, but not below an IPv6 header: test_run refuses
		   shorter IPv6 frames (EINVAL) */
		if (next_rand(&seed) % 4 == 0)
			inlen = 54 + next_rand(&seed) % (inlen - 54);
		v = run1(in, inlen).verdict;
		if (v != TC_ACT_OK && v != TC_ACT_SHOT &&
		    v != TC_ACT_REDIRECT)
			atf_tc_fail("mutation %zu: verdict %d", i, v);
		nredirect += v == TC_ACT_REDIRECT;
		if (i % 500 == 499)
			ring(&rec);	/* keep the ring from filling */
	}
	ATF_REQUIRE_EQ(m6_plane_counters(fx.pl, c), 0);
	/* every encapsulation to the CoA (it has a neighbour) redirects
	   unless the FIB lookup missed */
	ATF_CHECK_EQ(nredirect, c[M6C_TUN_ENCAP] - c[M6C_FIB_MISS]);
	ATF_CHECK(c[M6C_PASS] > 0);
	ATF_CHECK(c[M6C_DROP_MALFORMED] > 0);
	ATF_CHECK(c[M6C_SIG_OUT] > 0);
	ATF_CHECK(c[M6C_TUN_DECAP] > 0);
	ATF_CHECK(c[M6C_TUN_ENCAP] > 0);
	ATF_CHECK_EQ(c[M6C_DROP_RING_FULL], 0);
	teardown();
}

PT_TC(ring_full_counted, "a full ring: signaling still dropped, the loss "
    "counted as drop_ring_full; room again once consumed")
{
	uint8_t in[FRAME_MAX];
	size_t inlen;
	struct in6_addr hoa = tu_in6(HOA);
	/* a record: 8-byte ring header + m6_sig + SNAPLEN, 8-aligned */
	const uint64_t per = (8 + sizeof(struct m6_sig) + M6_SIG_SNAPLEN + 7) /
	    8 * 8, fits = (4u << 20) / per;
	uint64_t c[M6C_MAX];
	struct pt_recs rec;
	struct pkt p;

	setup();
	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, COA, HA, 64);
	ATF_REQUIRE(pkt_push_hao(&p, &hoa) != NULL);
	push_bu(&p);
	inlen = encode(&p, in, sizeof in);
	ATF_CHECK_EQ(run_n(in, inlen, 4000).verdict, TC_ACT_SHOT);
	ATF_REQUIRE_EQ(m6_plane_counters(fx.pl, c), 0);
	ATF_CHECK_EQ(c[M6C_SIG_OUT], fits);
	ATF_CHECK_EQ(c[M6C_DROP_RING_FULL], 4000 - fits);
	ring(&rec);
	ATF_CHECK_EQ(rec.n, fits);
	ATF_CHECK_EQ(rec.sig[3].reason, M6S_HAO);
	ATF_CHECK_EQ(run1(in, inlen).verdict, TC_ACT_SHOT);
	one_record(M6S_HAO, 0, in + 14, inlen - 14);
	teardown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, encap_bound_hoa);
	ATF_TP_ADD_TC(tp, encap_no_neighbour);
	ATF_TP_ADD_TC(tp, encap_fib_miss);
	ATF_TP_ADD_TC(tp, encap_mnp);
	ATF_TP_ADD_TC(tp, inactive_binding_not_used);
	ATF_TP_ADD_TC(tp, hop_limit_one_to_daemon);
	ATF_TP_ADD_TC(tp, too_big_for_tunnel);
	ATF_TP_ADD_TC(tp, decap_right_coa);
	ATF_TP_ADD_TC(tp, decap_wrong_coa);
	ATF_TP_ADD_TC(tp, decap_unbound_source);
	ATF_TP_ADD_TC(tp, decap_mnp_source);
	ATF_TP_ADD_TC(tp, decap_then_forward);
	ATF_TP_ADD_TC(tp, bu_with_hao_to_ring);
	ATF_TP_ADD_TC(tp, esp_to_ring);
	ATF_TP_ADD_TC(tp, mh_in_tunnel_to_ring);
	ATF_TP_ADD_TC(tp, mh_to_other_passes);
	ATF_TP_ADD_TC(tp, dhaad_request_to_ring);
	ATF_TP_ADD_TC(tp, ra_copied_and_passed);
	ATF_TP_ADD_TC(tp, ns_for_watched_target);
	ATF_TP_ADD_TC(tp, unrelated_passed);
	ATF_TP_ADD_TC(tp, malformed_chains);
	ATF_TP_ADD_TC(tp, mutations_survive);
	ATF_TP_ADD_TC(tp, ring_full_counted);
	return atf_no_error();
}
