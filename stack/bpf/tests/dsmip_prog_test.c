/*
 * dsmip_prog_test.c - the home agent's DSMIPv6 (RFC 5555) data paths in
 * stack/bpf/ha.bpf.c run with BPF_PROG_TEST_RUN on hand-built frames:
 * IPv4 to an IPv4 home address tunneled to an IPv6 or IPv4 care-of
 * address (IPv4-in-IPv6, IPv4-in-IPv4, IPv4-in-UDP), IPv6 to a home
 * address with an IPv4 care-of address (IPv6-in-IPv4, IPv6-in-UDP), the
 * UDP 4191 and protocol 41/4 tunnels to our IPv4 address (a BU to the
 * ring with the outer header's fields, data accepted only from the bound
 * source address and port), the IPv4-in-IPv6 reverse tunnel, TTL and
 * path MTU, and the plane's bind4 map operations.  Every output byte of
 * the headers we write is compared, and every verdict's counters.
 *
 * The namespace holds a veth pair: m6a (arrival, HA addresses
 * 2001:db8:1::1 and 192.0.2.1) and m6b (2001:db8:2::/64 and
 * 203.0.113.0/24 where the care-of addresses have permanent neighbours).
 */
#include <atf-c.h>
#include <arpa/inet.h>
#include <linux/pkt_cls.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "stack/bpf/tests/dsmiptest.h"

static const uint8_t mac_coa6[6] = { 2, 0, 0, 0, 2, 0 };
static const uint8_t mac_coa4[6] = { 2, 0, 0, 0, 3, 0 };

static struct {
	struct m6_plane	*pl;
	unsigned	ifa, ifb;
} fx;

static void
setup(void)
{
	veth_pair(&fx.ifa, &fx.ifb);
	pt_sh("ip -6 addr add " HA6 "/64 dev m6a nodad");
	pt_sh("ip addr add " HA4 "/24 dev m6a");
	pt_sh("ip -6 addr add 2001:db8:2::1/64 dev m6b nodad");
	pt_sh("ip addr add 203.0.113.1/24 dev m6b");
	pt_sh("ip -6 neigh add " COA6 " lladdr 02:00:00:00:02:00 dev m6b "
	    "nud permanent");
	pt_sh("ip neigh add " COA4 " lladdr 02:00:00:00:03:00 dev m6b "
	    "nud permanent");
	/* bpf_fib_lookup forwards only where the kernel would. */
	pt_write("/proc/sys/net/ipv6/conf/all/forwarding", "1");
	pt_write("/proc/sys/net/ipv4/conf/all/forwarding", "1");
	fx.pl = pt_open(pt_state_dir(), 64);
	ATF_REQUIRE_EQ(m6_plane_local_set(fx.pl, pt_in6(HA6), M6L_HA_ADDR),
	    0);
	ATF_REQUIRE_EQ(m6_plane_local_set(fx.pl, pt_in6("::ffff:" HA4),
	    M6L_HA_ADDR), 0);
}

static void
teardown(void)
{
	ATF_CHECK_EQ(m6_plane_destroy(fx.pl), 0);
	fx.pl = NULL;
}

/* A binding for HOA6 (and HOA4 in m6_bind4): coa IPv6 or IPv4 (mapped,
   with our IPv4 address as ha), flags M6B_V4COA / M6B_UDP as given. */
static void
bind_hoa(uint32_t flags, const char *coa)
{
	struct in_addr h4 = tu_in4(HOA4);
	struct m6_bind b;

	memset(&b, 0, sizeof b);
	b.flags = M6B_ACTIVE | M6B_V4HOA | flags;
	if (flags & M6B_V4COA) {
		char m[64];

		snprintf(m, sizeof m, "::ffff:%s", coa);
		memcpy(b.coa.b, tu_in6(m).s6_addr, 16);
		memcpy(b.ha.b, tu_in6("::ffff:" HA4).s6_addr, 16);
	} else {
		memcpy(b.coa.b, tu_in6(coa).s6_addr, 16);
		memcpy(b.ha.b, tu_in6(HA6).s6_addr, 16);
	}
	b.udp_port = htons(NATPORT);
	ATF_REQUIRE_EQ(m6_plane_bind_set(fx.pl, pt_in6(HOA6), &b), 0);
	ATF_REQUIRE_EQ(m6_plane_bind4_set(fx.pl, &h4, 32, pt_in6(HOA6)), 0);
}

/* ------------------------------------------------------------- running */

static struct pt_run
run(const struct fb *f)
{
	return pt_run_prog(m6_plane_prog_fd(fx.pl), fx.ifa, fx.ifa, f->b,
	    f->n, 1);
}

static int
dt_consume(struct pt_recs *r)
{
	return m6_plane_sig_consume(fx.pl, pt_collect, r);
}

static void
dt_counters(uint64_t got[M6C_MAX])
{
	ATF_REQUIRE_EQ(m6_plane_counters(fx.pl, got), 0);
}

/* The inner IPv4 header at off in out: TTL ttl and a valid checksum. */
static void
inner4_ttl(const struct pt_run *r, size_t off, uint8_t ttl)
{
	ATF_REQUIRE(r->outlen >= off + 20);
	ATF_CHECK_EQ(r->out[off + 8], ttl);
	ATF_CHECK_EQ_MSG(csum4(r->out + off), 0, "inner IPv4 checksum");
}

/* ------------------------------------------------- HA -> MN (encap) */

PT_TC(v4_to_v6coa, "IPv4 to an IPv4 home address whose binding has an "
    "IPv6 care-of address: IPv4-in-IPv6 (Next Header 4) from the HA, "
    "inner TTL less one with its checksum fixed")
{
	struct fb in = { .n = 0 }, want = { .n = 0 };
	struct pt_run r;
	size_t ilen;

	setup();
	bind_hoa(0, COA6);
	eth(&in, mac_a, mac_peer, 0x0800);
	inner4(&in, CN4, HOA4, 64, 0x4000, DATA_LEN);
	ilen = in.n - 14;
	r = run(&in);
	ATF_CHECK_EQ(r.verdict, TC_ACT_REDIRECT);
	eth(&want, mac_coa6, mac_b, 0x86dd);
	ip6(&want, HA6, COA6, 4, 64, ilen);
	memcpy(put(&want, ilen), in.b + 14, ilen);
	set_ttl4(want.b + 14 + 40, 63);
	out_is("IPv4-in-IPv6", &r, &want);
	inner4_ttl(&r, 14 + 40, 63);
	COUNTERS({ M6C_TUN_ENCAP, 1 }, { M6C_TUN4_ENCAP, 1 });
	no_record();
	teardown();
}

/* With HOA bound to COA4 (with UDP when udp_) the frame in, a packet to
   a home address, is redirected; want is its packet tunneled to COA4
   from m6b: protocol proto, or UDP from 4191 to the binding's port. */
static struct pt_run
to_v4coa(const struct fb *in, int udp_, uint8_t proto, struct fb *want)
{
	struct pt_run r;

	bind_hoa(M6B_V4COA | (udp_ ? M6B_UDP : 0), COA4);
	r = run(in);
	ATF_CHECK_EQ(r.verdict, TC_ACT_REDIRECT);
	want->n = 0;
	eth(want, mac_coa4, mac_b, 0x0800);
	tun4(want, &(struct tun4){ .src = HA4, .dst = COA4, .udp = udp_,
	    .proto = proto, .sport = 4191, .dport = NATPORT, .ttl = 64,
	    .frag = 0x4000 }, in->b + 14, in->n - 14);
	return r;
}

PT_TC(v4_to_v4coa, "IPv4 to an IPv4 home address with an IPv4 care-of "
    "address: IPv4-in-IPv4 (protocol 4), or with the UDP flag IPv4/UDP "
    "from port 4191 to the binding's port, UDP checksum 0, outer DF as "
    "the inner one")
{
	struct fb in = { .n = 0 }, want = { .n = 0 };
	struct pt_run r;
	size_t hl;
	int u;

	setup();
	for (u = 0; u <= 1; u++) {
		in.n = 0;
		eth(&in, mac_a, mac_peer, 0x0800);
		inner4(&in, CN4, HOA4, 9, 0x4000, DATA_LEN);
		r = to_v4coa(&in, u, 4, &want);
		hl = 14 + 20 + (u ? 8 : 0);
		set_ttl4(want.b + hl, 8);
		out_is(u ? "IPv4-in-UDP" : "IPv4-in-IPv4", &r, &want);
		ATF_CHECK_EQ(csum4(r.out + 14), 0);	/* outer checksum */
		inner4_ttl(&r, hl, 8);
		if (u) {
			ATF_CHECK_EQ(get16(r.out + 34), 4191);
			ATF_CHECK_EQ(get16(r.out + 36), NATPORT);
			ATF_CHECK_EQ(get16(r.out + 38), in.n - 14 + 8);
			ATF_CHECK_EQ(get16(r.out + 40), 0);
		}
	}
	COUNTERS({ M6C_TUN_ENCAP, 2 }, { M6C_TUN4_ENCAP, 2 });
	no_record();
	teardown();
}

PT_TC(v6_to_v4coa, "IPv6 to a home address with an IPv4 care-of "
    "address: IPv6-in-IPv4 (protocol 41) or IPv6-in-UDP/IPv4, DF set, "
    "inner hop limit less one")
{
	struct fb in = { .n = 0 }, want = { .n = 0 };
	struct pt_run r;
	int u;

	setup();
	for (u = 0; u <= 1; u++) {
		in.n = 0;
		eth(&in, mac_a, mac_peer, 0x86dd);
		inner6(&in, CN6, HOA6, 17, 64);
		r = to_v4coa(&in, u, 41, &want);
		want.b[want.n - (in.n - 14) + 7] = 63;	/* hop limit */
		out_is(u ? "IPv6-in-UDP" : "IPv6-in-IPv4", &r, &want);
	}
	COUNTERS({ M6C_TUN_ENCAP, 2 }, { M6C_TUN4_ENCAP, 2 });
	no_record();
	teardown();
}

PT_TC(v4_ttl_and_mtu, "inner TTL 1: counted and left to the kernel; "
    "too big with DF: drop_too_big and an M6S_PTB record holding the "
    "IPv4 packet and the MTU to announce; without DF: dropped, no record")
{
	struct fb in = { .n = 0 };
	struct pt_recs rec;
	struct pt_run r;

	setup();
	bind_hoa(M6B_V4COA | M6B_UDP, COA4);
	eth(&in, mac_a, mac_peer, 0x0800);
	inner4(&in, CN4, HOA4, 1, 0x4000, DATA_LEN);
	r = run(&in);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	out_is("TTL 1 unchanged", &r, &in);
	COUNTERS({ M6C_HLIM, 1 });

	pt_sh("ip link set m6b mtu 1280");
	in.n = 0;
	eth(&in, mac_a, mac_peer, 0x0800);
	inner4(&in, CN4, HOA4, 64, 0x4000, 1300);
	r = run(&in);
	ATF_CHECK_EQ(r.verdict, TC_ACT_SHOT);
	ring(&rec);
	ATF_REQUIRE_EQ(rec.n, 1);
	ATF_CHECK_EQ(rec.sig[0].reason, M6S_PTB);
	ATF_CHECK_EQ(rec.sig[0].mtu, 1280 - 28);
	ATF_CHECK_EQ(rec.sig[0].wirelen, in.n - 14);
	ATF_CHECK_EQ(rec.sig[0].caplen, M6_SIG_SNAPLEN);
	ATF_CHECK_EQ(rec.sig[0].flags, M6SF_TRUNC);
	tu_bytes_eq("PTB record", rec.data[0], 64, in.b + 14, 64);

	in.n = 0;
	eth(&in, mac_a, mac_peer, 0x0800);
	inner4(&in, CN4, HOA4, 64, 0, 1300);	/* no DF */
	r = run(&in);
	ATF_CHECK_EQ(r.verdict, TC_ACT_SHOT);
	no_record();
	COUNTERS({ M6C_HLIM, 1 }, { M6C_DROP_TOO_BIG, 2 },
	    { M6C_SIG_OUT, 1 });
	teardown();
}

/* ------------------------------------------ MN -> HA over IPv4 (§4.1) */

/* IPv4/UDP (sport) or protocol `proto` from src to our IPv4 address
   around the inner packet already in inner. */
static void
outer_to_ha(struct fb *f, const struct fb *inner, const char *src, int u,
    uint16_t sport, uint8_t proto)
{
	f->n = 0;
	eth(f, mac_a, mac_peer, 0x0800);
	tun4(f, &(struct tun4){ .src = src, .dst = HA4, .udp = u,
	    .proto = proto, .sport = sport, .dport = 4191, .ttl = 60 },
	    inner->b, inner->n);
}

/* The usual start of a UDP case: setup(), HOA bound to COA4 with UDP,
   inner an IPv6 packet HOA6 > CN6 and in that inside UDP from the
   binding's address and port to us. */
static void
udp_bound(struct fb *inner, struct fb *in)
{
	setup();
	bind_hoa(M6B_V4COA | M6B_UDP, COA4);
	inner6(inner, HOA6, CN6, 17, 64);
	outer_to_ha(in, inner, COA4, 1, NATPORT, 0);
}

PT_TC(udp_bu_to_ring, "a BU inside UDP to port 4191 (no binding yet) "
    "reaches the ring as M6S_MH with M6SF_UDP4, the outer source mapped, "
    "its port and our IPv4 address, the bytes from the inner IPv6 "
    "header; over protocol 41 with M6SF_IP4; both dropped")
{
	struct fb inner = { .n = 0 }, in = { .n = 0 };
	struct pt_recs rec;
	struct pt_run r;
	struct in_addr ha4 = tu_in4(HA4);
	int u;

	setup();
	inner6(&inner, HOA6, HA6, 135, 64);
	for (u = 1; u >= 0; u--) {
		outer_to_ha(&in, &inner, COA4, u, NATPORT, 41);
		r = run(&in);
		ATF_CHECK_EQ(r.verdict, TC_ACT_SHOT);
		ring(&rec);
		ATF_REQUIRE_EQ(rec.n, 1);
		ATF_CHECK_EQ(rec.sig[0].reason, M6S_MH);
		ATF_CHECK_EQ(rec.sig[0].flags, u ? M6SF_UDP4 : M6SF_IP4);
		ATF_CHECK_EQ(rec.sig[0].ifindex, fx.ifa);
		ATF_CHECK(memcmp(&rec.sig[0].tun_src,
		    tu_in6("::ffff:" COA4).s6_addr, 16) == 0);
		ATF_CHECK_EQ(rec.sig[0].udp_sport, u ? htons(NATPORT) : 0);
		ATF_CHECK(memcmp(rec.sig[0].tun_dst4, &ha4, 4) == 0);
		ATF_CHECK(memcmp(rec.sig[0].l2_src, mac_peer, 6) == 0);
		ATF_CHECK_EQ(rec.sig[0].wirelen, inner.n);
		tu_bytes_eq("BU record", rec.data[0], rec.sig[0].caplen,
		    inner.b, inner.n);
	}
	COUNTERS({ M6C_SIG_OUT, 2 });
	teardown();
}

PT_TC(udp_data_accepted, "data inside UDP 4191 from the bound NAT "
    "address and port: outer IPv4/UDP stripped, Ethernet type follows "
    "the inner version (IPv6, IPv4), handed to the kernel")
{
	struct fb inner = { .n = 0 }, in = { .n = 0 };
	struct pt_run r;

	udp_bound(&inner, &in);
	r = run(&in);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	stripped_is("inner IPv6", &r, 0x86dd, inner.b, inner.n);

	inner.n = 0;
	inner4(&inner, HOA4, CN4, 64, 0x4000, DATA_LEN);
	outer_to_ha(&in, &inner, COA4, 1, NATPORT, 0);
	r = run(&in);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	stripped_is("inner IPv4", &r, 0x0800, inner.b, inner.n);
	COUNTERS({ M6C_TUN_DECAP, 2 }, { M6C_TUN4_DECAP, 2 });
	no_record();
	teardown();
}

PT_TC(udp_drops, "UDP 4191 drops, each under its counter: wrong source "
    "port, unknown source address, inner source not bound, an inner "
    "packet neither IPv4 nor IPv6; another UDP port is the kernel's")
{
	struct fb inner = { .n = 0 }, in = { .n = 0 };
	struct pt_run r;

	udp_bound(&inner, &in);
	outer_to_ha(&in, &inner, COA4, 1, NATPORT + 1, 0);
	ATF_CHECK_EQ(run(&in).verdict, TC_ACT_SHOT);
	outer_to_ha(&in, &inner, OTHER4, 1, NATPORT, 0);
	ATF_CHECK_EQ(run(&in).verdict, TC_ACT_SHOT);
	COUNTERS({ M6C_UDP4191_UNKNOWN, 2 });

	inner.n = 0;
	inner6(&inner, "2001:db8:1::999", CN6, 17, 64);
	outer_to_ha(&in, &inner, COA4, 1, NATPORT, 0);
	ATF_CHECK_EQ(run(&in).verdict, TC_ACT_SHOT);
	inner.n = 0;
	inner4(&inner, "192.0.2.99", CN4, 64, 0, DATA_LEN);
	outer_to_ha(&in, &inner, COA4, 1, NATPORT, 0);
	ATF_CHECK_EQ(run(&in).verdict, TC_ACT_SHOT);
	COUNTERS({ M6C_UDP4191_UNKNOWN, 2 },
	    { M6C_DROP_RT_NO_BINDING, 2 });

	inner.b[0] = 0x50;	/* version 5 */
	outer_to_ha(&in, &inner, COA4, 1, NATPORT, 0);
	ATF_CHECK_EQ(run(&in).verdict, TC_ACT_SHOT);
	COUNTERS({ M6C_UDP4191_UNKNOWN, 2 },
	    { M6C_DROP_RT_NO_BINDING, 2 }, { M6C_UDP4191_BAD_INNER, 1 });

	outer_to_ha(&in, &inner, COA4, 1, NATPORT, 0);
	put16(in.b + 14 + 20 + 2, 4192);	/* not the DSMIPv6 port */
	r = run(&in);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	out_is("other UDP port", &r, &in);
	COUNTERS({ M6C_UDP4191_UNKNOWN, 2 },
	    { M6C_DROP_RT_NO_BINDING, 2 }, { M6C_UDP4191_BAD_INNER, 1 });
	no_record();
	teardown();
}

PT_TC(malformed_v4, "cut-short or inconsistent IPv4 to our IPv4 "
    "address is counted drop_malformed and dropped (UDP length beyond "
    "the packet, IHL below 5, inner IPv6 payload length beyond UDP); to "
    "others it is the kernel's, uncounted")
{
	struct fb inner = { .n = 0 }, in = { .n = 0 };
	struct pt_run r;

	udp_bound(&inner, &in);
	put16(in.b + 34 + 4, (uint16_t)(inner.n + 8 + 1));	/* UDP len */
	ATF_CHECK_EQ(run(&in).verdict, TC_ACT_SHOT);

	outer_to_ha(&in, &inner, COA4, 1, NATPORT, 0);
	put16(in.b + 34 + 8 + 4, 2000);		/* inner payload length */
	ATF_CHECK_EQ(run(&in).verdict, TC_ACT_SHOT);

	outer_to_ha(&in, &inner, COA4, 1, NATPORT, 0);
	in.b[14] = 0x44;			/* IHL 4 */
	ATF_CHECK_EQ(run(&in).verdict, TC_ACT_SHOT);
	COUNTERS({ M6C_DROP_MALFORMED, 3 });

	memcpy(in.b + 14 + 16, &(struct in_addr){ htonl(0x0a000001) }, 4);
	r = run(&in);				/* to 10.0.0.1: not ours */
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	out_is("not ours", &r, &in);
	COUNTERS({ M6C_DROP_MALFORMED, 3 });
	no_record();
	teardown();
}

PT_TC(ip4_tunnels_in, "protocol 41 / 4 to our IPv4 address: accepted "
    "from the bound IPv4 care-of address of a binding without UDP, "
    "drop_rt_coa otherwise (a UDP binding, another source)")
{
	struct fb inner = { .n = 0 }, in = { .n = 0 };
	struct pt_run r;

	setup();
	bind_hoa(M6B_V4COA, COA4);
	inner6(&inner, HOA6, CN6, 17, 64);
	outer_to_ha(&in, &inner, COA4, 0, 0, 41);
	r = run(&in);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	stripped_is("IPv6 from protocol 41", &r, 0x86dd, inner.b, inner.n);

	inner.n = 0;
	inner4(&inner, HOA4, CN4, 64, 0x4000, DATA_LEN);
	outer_to_ha(&in, &inner, COA4, 0, 0, 4);
	r = run(&in);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	stripped_is("IPv4 from protocol 4", &r, 0x0800, inner.b, inner.n);

	outer_to_ha(&in, &inner, OTHER4, 0, 0, 4);
	ATF_CHECK_EQ(run(&in).verdict, TC_ACT_SHOT);
	bind_hoa(M6B_V4COA | M6B_UDP, COA4);
	outer_to_ha(&in, &inner, COA4, 0, 0, 4);
	ATF_CHECK_EQ(run(&in).verdict, TC_ACT_SHOT);
	COUNTERS({ M6C_TUN_DECAP, 2 }, { M6C_TUN4_DECAP, 2 },
	    { M6C_DROP_RT_COA, 2 });
	no_record();
	teardown();
}

PT_TC(rt_4in6, "IPv4-in-IPv6 reverse tunnel from an IPv6 care-of "
    "address: accepted only when the inner source's binding has that "
    "care-of address; the outer IPv6 header goes, Ethernet type IPv4")
{
	struct fb in = { .n = 0 };
	struct pt_run r;
	size_t ilen;

	setup();
	bind_hoa(0, COA6);
	eth(&in, mac_a, mac_peer, 0x86dd);
	ip6(&in, COA6, HA6, 4, 64, 20 + 8 + DATA_LEN);
	inner4(&in, HOA4, CN4, 64, 0x4000, DATA_LEN);
	ilen = in.n - 54;
	r = run(&in);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	stripped_is("inner IPv4", &r, 0x0800, in.b + 54, ilen);

	memcpy(in.b + 14 + 8, tu_in6("2001:db8:2::999").s6_addr, 16);
	ATF_CHECK_EQ(run(&in).verdict, TC_ACT_SHOT);	/* other CoA */
	memcpy(in.b + 14 + 8, tu_in6(COA6).s6_addr, 16);
	memcpy(in.b + 54 + 12, &(struct in_addr){ htonl(0xc0000263) }, 4);
	ATF_CHECK_EQ(run(&in).verdict, TC_ACT_SHOT);	/* unbound */
	COUNTERS({ M6C_TUN_DECAP, 1 }, { M6C_TUN4_DECAP, 1 },
	    { M6C_DROP_RT_COA, 1 }, { M6C_DROP_RT_NO_BINDING, 1 });
	no_record();
	teardown();
}

PT_TC(mn_to_mn_v4, "IPv4 from one mobile node (inside UDP) to another's "
    "IPv4 home address (IPv6 care-of address): stripped and straight into "
    "the second tunnel, IPv4-in-IPv6, TTL less one")
{
	struct fb inner = { .n = 0 }, in = { .n = 0 }, want = { .n = 0 };
	struct in_addr h4b = tu_in4("192.0.2.101");
	struct m6_bind b;
	struct pt_run r;

	setup();
	bind_hoa(M6B_V4COA | M6B_UDP, COA4);
	memset(&b, 0, sizeof b);
	b.flags = M6B_ACTIVE | M6B_V4HOA;
	memcpy(b.coa.b, tu_in6(COA6).s6_addr, 16);
	memcpy(b.ha.b, tu_in6(HA6).s6_addr, 16);
	ATF_REQUIRE_EQ(m6_plane_bind_set(fx.pl, pt_in6("2001:db8:1::101"),
	    &b), 0);
	ATF_REQUIRE_EQ(m6_plane_bind4_set(fx.pl, &h4b, 32,
	    pt_in6("2001:db8:1::101")), 0);
	inner4(&inner, HOA4, "192.0.2.101", 64, 0x4000, DATA_LEN);
	outer_to_ha(&in, &inner, COA4, 1, NATPORT, 0);
	r = run(&in);
	ATF_CHECK_EQ(r.verdict, TC_ACT_REDIRECT);
	eth(&want, mac_coa6, mac_b, 0x86dd);
	ip6(&want, HA6, COA6, 4, 64, inner.n);
	memcpy(put(&want, inner.n), inner.b, inner.n);
	set_ttl4(want.b + 54, 63);
	out_is("into the second tunnel", &r, &want);
	COUNTERS({ M6C_TUN_DECAP, 1 }, { M6C_TUN4_DECAP, 1 },
	    { M6C_TUN_ENCAP, 1 }, { M6C_TUN4_ENCAP, 1 });
	no_record();
	teardown();
}

/* ------------------------------------------------------------- plane */

PT_TC(bind4_map, "bind4 set/replace/delete/foreach with host bits "
    "cleared, a bad length refused, flush empties it, a restart keeps it, "
    "and a prefix entry steers IPv4 to its mobile router's tunnel")
{
	const char *dir;
	struct in_addr p = tu_in4("10.1.2.3"), h = tu_in4(HOA4);
	struct fb in = { .n = 0 };
	struct seen4 s;

	setup();
	dir = pt_state_dir();
	ATF_REQUIRE_EQ(m6_plane_bind4_set(fx.pl, &p, 16, pt_in6(HOA6)), 0);
	ATF_REQUIRE_EQ(m6_plane_bind4_set(fx.pl, &h, 32, pt_in6(CN6)), 0);
	ATF_REQUIRE_EQ(m6_plane_bind4_set(fx.pl, &h, 32, pt_in6(HOA6)), 0);
	ATF_CHECK_EQ(m6_plane_bind4_set(fx.pl, &h, 33, pt_in6(HOA6)),
	    -EINVAL);
	memset(&s, 0, sizeof s);
	ATF_REQUIRE_EQ(m6_plane_bind4_foreach(fx.pl, see4, &s), 0);
	ATF_REQUIRE_EQ(s.n, 2);
	for (size_t i = 0; i < 2; i++) {
		ATF_CHECK(memcmp(&s.hoa[i], pt_in6(HOA6), 16) == 0);
		if (s.plen[i] == 16)
			ATF_CHECK_EQ(s.pfx[i].s_addr, tu_in4("10.1.0.0").s_addr);
		else
			ATF_CHECK_EQ(s.pfx[i].s_addr, h.s_addr);
	}
	/* A mobile router's IPv4 network: 10.1.9.9 takes HOA6's tunnel. */
	bind_hoa(0, COA6);
	eth(&in, mac_a, mac_peer, 0x0800);
	inner4(&in, CN4, "10.1.9.9", 64, 0x4000, DATA_LEN);
	ATF_CHECK_EQ(run(&in).verdict, TC_ACT_REDIRECT);

	m6_plane_close(fx.pl);			/* a restart */
	fx.pl = pt_open(dir, 64);
	memset(&s, 0, sizeof s);
	ATF_REQUIRE_EQ(m6_plane_bind4_foreach(fx.pl, see4, &s), 0);
	ATF_CHECK_EQ(s.n, 2);
	p = tu_in4("10.1.255.255");		/* other host bits */
	ATF_REQUIRE_EQ(m6_plane_bind4_del(fx.pl, &p, 16), 0);
	ATF_CHECK_EQ(m6_plane_bind4_del(fx.pl, &p, 16), 0);	/* absent */
	memset(&s, 0, sizeof s);
	ATF_REQUIRE_EQ(m6_plane_bind4_foreach(fx.pl, see4, &s), 0);
	ATF_CHECK_EQ(s.n, 1);
	ATF_REQUIRE_EQ(m6_plane_flush(fx.pl), 0);
	memset(&s, 0, sizeof s);
	ATF_REQUIRE_EQ(m6_plane_bind4_foreach(fx.pl, see4, &s), 0);
	ATF_CHECK_EQ(s.n, 0);
	teardown();
}

PT_TC(old_pin_dir, "a state dir pinned before m6_bind4 existed still "
    "opens: the new map is created and pinned, the old bindings stay; a "
    "counters map with fewer counters is replaced by a full one")
{
	const char *dir;
	char path[256];
	struct in_addr h = tu_in4(HOA4);
	struct bpf_map_info info;
	uint32_t ilen = sizeof info;
	uint64_t c[M6C_MAX];
	struct m6_bind b;
	struct stat st;
	int fd;

	setup();
	dir = pt_state_dir();
	memset(&b, 0, sizeof b);
	b.flags = M6B_ACTIVE;
	ATF_REQUIRE_EQ(m6_plane_bind_set(fx.pl, pt_in6(HOA6), &b), 0);
	m6_plane_close(fx.pl);
	snprintf(path, sizeof path, "%s/%s", dir, M6_MAP_BIND4);
	ATF_REQUIRE_EQ(unlink(path), 0);	/* as an older build left it */
	snprintf(path, sizeof path, "%s/%s", dir, M6_MAP_CNT);
	ATF_REQUIRE_EQ(unlink(path), 0);
	fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "m6_cnt", 4, 8,
	    M6C_UDP4191_BAD_INNER, NULL);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(bpf_obj_pin(fd, path), 0);
	close(fd);
	fx.pl = pt_open(dir, 64);
	ATF_REQUIRE_EQ(m6_plane_counters(fx.pl, c), 0);
	ATF_REQUIRE((fd = bpf_obj_get(path)) >= 0);
	memset(&info, 0, sizeof info);
	ATF_REQUIRE_EQ(bpf_obj_get_info_by_fd(fd, &info, &ilen), 0);
	ATF_CHECK_EQ(info.max_entries, M6C_MAX);
	close(fd);
	snprintf(path, sizeof path, "%s/%s", dir, M6_MAP_BIND4);
	ATF_CHECK_EQ(stat(path, &st), 0);
	ATF_REQUIRE_EQ(m6_plane_bind4_set(fx.pl, &h, 32, pt_in6(HOA6)), 0);
	snprintf(path, sizeof path, "%s/%s", dir, M6_MAP_BIND);
	ATF_REQUIRE((fd = bpf_obj_get(path)) >= 0);
	ATF_CHECK_EQ(bpf_map_lookup_elem(fd, pt_in6(HOA6)->s6_addr, &b), 0);
	close(fd);
	teardown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, v4_to_v6coa);
	ATF_TP_ADD_TC(tp, v4_to_v4coa);
	ATF_TP_ADD_TC(tp, v6_to_v4coa);
	ATF_TP_ADD_TC(tp, v4_ttl_and_mtu);
	ATF_TP_ADD_TC(tp, udp_bu_to_ring);
	ATF_TP_ADD_TC(tp, udp_data_accepted);
	ATF_TP_ADD_TC(tp, udp_drops);
	ATF_TP_ADD_TC(tp, malformed_v4);
	ATF_TP_ADD_TC(tp, ip4_tunnels_in);
	ATF_TP_ADD_TC(tp, rt_4in6);
	ATF_TP_ADD_TC(tp, mn_to_mn_v4);
	ATF_TP_ADD_TC(tp, bind4_map);
	ATF_TP_ADD_TC(tp, old_pin_dir);
	return atf_no_error();
}
