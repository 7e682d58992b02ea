/*
 * dsmip_mn_test.c - the mobile node's DSMIPv6 (RFC 5555) data paths in
 * stack/bpf/mn.bpf.c run with BPF_PROG_TEST_RUN on hand-built frames:
 * egress from the IPv4 home address (IPv4-in-IPv6, IPv4-in-IPv4,
 * IPv4-in-UDP from our port to 4191), IPv6 from the home address with an
 * IPv4 care-of address (IPv6-in-UDP), an MR's IPv4 mobile network, path
 * MTU; ingress from the HA over UDP / protocol 4 / IPv4-in-IPv6 (strip,
 * Ethernet type), the BA inside UDP to the ring, and the drops with
 * their counters; the mn_hoa4 map operations.
 *
 * m6a is the care-of interface (IPv4 care-of address 203.0.113.100;
 * mac_peer is the router there), m6b the mobile network's side.
 */
#include <atf-c.h>
#include <arpa/inet.h>
#include <linux/pkt_cls.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "stack/bpf/tests/dsmiptest.h"

#define MR_HOA6	"2001:db8:1::200"
#define MNN4	"10.1.1.5"		/* in the MR's 10.1.0.0/16 */

static struct {
	struct mn_plane	*mn;
	unsigned	ifa, ifb;
} fx;

static struct m6_in6
m6(const char *text)
{
	struct m6_in6 a;

	memcpy(a.b, tu_in6(text).s6_addr, 16);
	return a;
}

/* hoa's registration: IPv4 care-of (flags M6H_V4COA [| M6H_UDP]) with
   the HA's IPv4 address, or the IPv6 ones. */
static void
set_hoa(const char *hoa, uint32_t flags)
{
	struct m6_mn_hoa h;

	memset(&h, 0, sizeof h);
	if (flags & M6H_V4COA) {
		h.coa = m6("::ffff:" COA4);
		h.ha = m6("::ffff:" HA4);
	} else {
		h.coa = m6(COA6);
		h.ha = m6(HA6);
	}
	h.gw = m6("fe80::1");
	h.flags = M6H_AWAY | M6H_V4HOA | flags;
	h.coa_ifindex = fx.ifa;
	h.udp_sport = htons(NATPORT);
	ATF_REQUIRE_EQ(mn_plane_hoa_set(fx.mn, pt_in6(hoa), &h), 0);
}

static void
setup(void)
{
	struct in_addr h4 = tu_in4(HOA4), n4 = tu_in4("10.1.0.0");
	char err[512];

	veth_pair(&fx.ifa, &fx.ifb);
	pt_sh("ip addr add " COA4 "/24 dev m6a");
	pt_sh("ip -6 addr add " COA6 "/64 dev m6a nodad");
	fx.mn = mn_plane_open(pt_state_dir(), err, sizeof err);
	if (fx.mn == NULL)
		atf_tc_fail("mn_plane_open: %s", err);
	ATF_REQUIRE_EQ(mn_plane_local_set(fx.mn, pt_in6(COA6), M6L_OWN), 0);
	ATF_REQUIRE_EQ(mn_plane_local_set(fx.mn, pt_in6("::ffff:" COA4),
	    M6L_OWN), 0);
	ATF_REQUIRE_EQ(mn_plane_hoa4_set(fx.mn, &h4, 32, pt_in6(HOA6)), 0);
	ATF_REQUIRE_EQ(mn_plane_hoa4_set(fx.mn, &n4, 16, pt_in6(MR_HOA6)),
	    0);
}

static void
teardown(void)
{
	ATF_CHECK_EQ(mn_plane_destroy(fx.mn), 0);
	fx.mn = NULL;
}

static struct pt_run
egress(const struct fb *f)
{
	return pt_run_prog(mn_plane_prog_fd(fx.mn, M6_HOOK_EGRESS), fx.ifa,
	    0, f->b, f->n, 1);
}

static struct pt_run
ingress(const struct fb *f, unsigned ifindex)
{
	return pt_run_prog(mn_plane_prog_fd(fx.mn, M6_HOOK_INGRESS), ifindex,
	    ifindex, f->b, f->n, 1);
}

static int
dt_consume(struct pt_recs *r)
{
	return mn_plane_sig_consume(fx.mn, pt_collect, r);
}

static void
dt_counters(uint64_t got[M6C_MAX])
{
	ATF_REQUIRE_EQ(mn_plane_counters(fx.mn, got), 0);
}

/* ------------------------------------------------------------- egress */

/* Our IPv4 tunnel to the HA (TTL 64, DF) around the len octets at
   payload: protocol proto, or UDP from our port to 4191. */
static void
to_ha4(struct fb *f, int u, uint8_t proto, const uint8_t *payload,
    size_t len)
{
	tun4(f, &(struct tun4){ .src = COA4, .dst = HA4, .udp = u,
	    .proto = proto, .sport = NATPORT, .dport = 4191, .ttl = 64,
	    .frag = 0x4000 }, payload, len);
}

PT_TC(egress_v4_hoa, "IPv4 from our IPv4 home address while away: "
    "IPv4-in-UDP from our port to 4191 (UDP checksum 0), IPv4-in-IPv4, "
    "IPv4-in-IPv6 from an IPv6 care-of address; Ethernet type follows; "
    "the inner TTL is ours and unchanged")
{
	static const uint32_t modes[3] = { M6H_V4COA | M6H_UDP, M6H_V4COA,
	    0 };
	struct fb in = { .n = 0 }, want = { .n = 0 };
	struct pt_run r;
	size_t ilen;
	int i;

	setup();
	for (i = 0; i < 3; i++) {
		set_hoa(HOA6, modes[i]);
		in.n = 0;
		want.n = 0;
		eth(&in, mac_peer, mac_a, 0x0800);
		inner4(&in, HOA4, CN4, 64, 0x4000, DATA_LEN);
		ilen = in.n - 14;
		r = egress(&in);
		ATF_CHECK_EQ(r.verdict, TC_ACT_REDIRECT);
		if (modes[i] & M6H_V4COA) {
			eth(&want, mac_peer, mac_a, 0x0800);
			to_ha4(&want, (modes[i] & M6H_UDP) != 0, 4, in.b + 14,
			    ilen);
		} else {
			eth(&want, mac_peer, mac_a, 0x86dd);
			ip6(&want, COA6, HA6, 4, 64, ilen);
			memcpy(put(&want, ilen), in.b + 14, ilen);
		}
		out_is(i == 0 ? "IPv4-in-UDP" : i == 1 ? "IPv4-in-IPv4" :
		    "IPv4-in-IPv6", &r, &want);
	}
	/* Not from a home address: the kernel's, uncounted. */
	in.n = 0;
	eth(&in, mac_peer, mac_a, 0x0800);
	inner4(&in, COA4, CN4, 64, 0x4000, DATA_LEN);
	r = egress(&in);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	out_is("from the care-of address", &r, &in);
	COUNTERS({ M6C_TUN_ENCAP, 3 }, { M6C_TUN4_ENCAP, 3 });
	no_record();
	teardown();
}

PT_TC(egress_v6_v4coa, "IPv6 from the home address with an IPv4 "
    "care-of address: IPv6-in-UDP/IPv4 (no route optimisation), DF set; "
    "too big for the care-of interface: M6S_PTB, dropped")
{
	struct fb in = { .n = 0 }, want = { .n = 0 };
	struct pt_recs rec;
	struct pt_run r;
	size_t ilen;

	setup();
	set_hoa(HOA6, M6H_V4COA | M6H_UDP);
	eth(&in, mac_peer, mac_a, 0x86dd);
	inner6(&in, HOA6, CN6, 17, 64);
	ilen = in.n - 14;
	r = egress(&in);
	ATF_CHECK_EQ(r.verdict, TC_ACT_REDIRECT);
	eth(&want, mac_peer, mac_a, 0x0800);
	to_ha4(&want, 1, 0, in.b + 14, ilen);
	out_is("IPv6-in-UDP", &r, &want);
	ATF_CHECK_EQ(csum4(r.out + 14), 0);

	pt_sh("ip link set m6a mtu 1280");
	in.n = 0;
	eth(&in, mac_peer, mac_a, 0x86dd);
	ip6(&in, HOA6, CN6, 17, 64, 1240);
	body(&in, 1240);
	r = egress(&in);
	ATF_CHECK_EQ(r.verdict, TC_ACT_SHOT);
	ring(&rec);
	ATF_REQUIRE_EQ(rec.n, 1);
	ATF_CHECK_EQ(rec.sig[0].reason, M6S_PTB);
	ATF_CHECK_EQ(rec.sig[0].mtu, 1280);	/* the IPv6 minimum */

	in.n = 0;
	eth(&in, mac_peer, mac_a, 0x0800);
	inner4(&in, HOA4, CN4, 64, 0x4000, 1260);
	r = egress(&in);
	ATF_CHECK_EQ(r.verdict, TC_ACT_SHOT);
	ring(&rec);
	ATF_REQUIRE_EQ(rec.n, 1);
	ATF_CHECK_EQ(rec.sig[0].reason, M6S_PTB);
	ATF_CHECK_EQ(rec.sig[0].mtu, 1280 - 28);
	ATF_CHECK_EQ(rec.data[0][0], 0x45);	/* the IPv4 packet */
	COUNTERS({ M6C_TUN_ENCAP, 1 }, { M6C_TUN4_ENCAP, 1 },
	    { M6C_DROP_TOO_BIG, 2 }, { M6C_SIG_OUT, 2 });
	teardown();
}

PT_TC(mr_v4_network, "a mobile router: IPv4 from its IPv4 mobile "
    "network arriving on the network's interface goes through the "
    "tunnel with TTL less one; to inside the network it stays")
{
	struct fb in = { .n = 0 }, want = { .n = 0 };
	struct pt_run r;
	size_t ilen;

	setup();
	set_hoa(MR_HOA6, M6H_V4COA | M6H_ROUTER);
	eth(&in, mac_a, mac_peer, 0x0800);
	inner4(&in, MNN4, CN4, 64, 0x4000, DATA_LEN);
	ilen = in.n - 14;
	r = ingress(&in, fx.ifb);
	ATF_CHECK_EQ(r.verdict, TC_ACT_REDIRECT);
	eth(&want, mac_a, mac_peer, 0x0800);
	to_ha4(&want, 0, 4, in.b + 14, ilen);
	set_ttl4(want.b + 34, 63);
	out_is("MNN IPv4-in-IPv4", &r, &want);

	in.n = 0;
	eth(&in, mac_a, mac_peer, 0x0800);
	inner4(&in, MNN4, "10.1.2.2", 64, 0x4000, DATA_LEN);
	r = ingress(&in, fx.ifb);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	COUNTERS({ M6C_TUN_ENCAP, 1 }, { M6C_TUN4_ENCAP, 1 });
	teardown();
}

/* ------------------------------------------------------------- ingress */

/* From the HA's IPv4 address to our care-of address: UDP from 4191 to
   dport, or protocol proto, around inner. */
static void
from_ha4(struct fb *f, const struct fb *inner, int u, uint16_t dport,
    uint8_t proto)
{
	f->n = 0;
	eth(f, mac_a, mac_peer, 0x0800);
	tun4(f, &(struct tun4){ .src = HA4, .dst = COA4, .udp = u,
	    .proto = proto, .sport = 4191, .dport = dport, .ttl = 60 },
	    inner->b, inner->n);
}

PT_TC(ingress_udp, "from the HA over UDP: a BA reaches the ring (M6S_MH, "
    "M6SF_UDP4, the HA's address mapped, port 4191, our address) and is "
    "dropped; IPv6 and IPv4 data stripped with the Ethernet type of the "
    "inner version; wrong port and bad inner version counted")
{
	struct fb inner = { .n = 0 }, in = { .n = 0 };
	struct in_addr coa4 = tu_in4(COA4);
	struct pt_recs rec;
	struct pt_run r;

	setup();
	set_hoa(HOA6, 0);	/* registering: not yet over IPv4 */
	inner6(&inner, HA6, HOA6, 135, 64);	/* the BA */
	from_ha4(&in, &inner, 1, NATPORT, 0);
	r = ingress(&in, fx.ifa);
	ATF_CHECK_EQ(r.verdict, TC_ACT_SHOT);
	ring(&rec);
	ATF_REQUIRE_EQ(rec.n, 1);
	ATF_CHECK_EQ(rec.sig[0].reason, M6S_MH);
	ATF_CHECK_EQ(rec.sig[0].flags, M6SF_UDP4);
	ATF_CHECK(memcmp(&rec.sig[0].tun_src, tu_in6("::ffff:" HA4).s6_addr,
	    16) == 0);
	ATF_CHECK_EQ(rec.sig[0].udp_sport, htons(4191));
	ATF_CHECK(memcmp(rec.sig[0].tun_dst4, &coa4, 4) == 0);
	tu_bytes_eq("BA record", rec.data[0], rec.sig[0].caplen, inner.b,
	    inner.n);

	set_hoa(HOA6, M6H_V4COA | M6H_UDP);
	inner.n = 0;
	inner6(&inner, CN6, HOA6, 17, 63);
	from_ha4(&in, &inner, 1, NATPORT, 0);
	r = ingress(&in, fx.ifa);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	stripped_is("inner IPv6", &r, 0x86dd, inner.b, inner.n);

	inner.n = 0;
	inner4(&inner, CN4, HOA4, 63, 0, DATA_LEN);
	from_ha4(&in, &inner, 1, NATPORT, 0);
	r = ingress(&in, fx.ifa);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	stripped_is("inner IPv4", &r, 0x0800, inner.b, inner.n);

	from_ha4(&in, &inner, 1, NATPORT + 1, 0);	/* not our port */
	ATF_CHECK_EQ(ingress(&in, fx.ifa).verdict, TC_ACT_SHOT);
	inner.b[0] = 0x70;
	from_ha4(&in, &inner, 1, NATPORT, 0);
	ATF_CHECK_EQ(ingress(&in, fx.ifa).verdict, TC_ACT_SHOT);
	COUNTERS({ M6C_SIG_OUT, 1 }, { M6C_TUN_DECAP, 2 },
	    { M6C_TUN4_DECAP, 2 }, { M6C_UDP4191_UNKNOWN, 1 },
	    { M6C_UDP4191_BAD_INNER, 1 });
	teardown();
}

PT_TC(ingress_ip4_and_4in6, "from the HA: IPv4-in-IPv4 to our IPv4 "
    "care-of address and IPv4-in-IPv6 to our IPv6 one are stripped "
    "(Ethernet type IPv4); from another source they are the kernel's")
{
	struct fb inner = { .n = 0 }, in = { .n = 0 };
	struct pt_run r;

	setup();
	set_hoa(HOA6, M6H_V4COA);
	inner4(&inner, CN4, HOA4, 63, 0, DATA_LEN);
	from_ha4(&in, &inner, 0, 0, 4);
	r = ingress(&in, fx.ifa);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	stripped_is("IPv4-in-IPv4 stripped", &r, 0x0800, inner.b, inner.n);

	set_hoa(HOA6, 0);
	in.n = 0;
	eth(&in, mac_a, mac_peer, 0x86dd);
	ip6(&in, HA6, COA6, 4, 60, inner.n);
	memcpy(put(&in, inner.n), inner.b, inner.n);
	r = ingress(&in, fx.ifa);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	stripped_is("IPv4-in-IPv6 stripped", &r, 0x0800, inner.b, inner.n);

	memcpy(in.b + 14 + 8, tu_in6(CN6).s6_addr, 16);	/* not the HA */
	r = ingress(&in, fx.ifa);
	ATF_CHECK_EQ(r.verdict, TC_ACT_OK);
	out_is("from elsewhere: unchanged", &r, &in);
	COUNTERS({ M6C_TUN_DECAP, 2 }, { M6C_TUN4_DECAP, 2 },
	    { M6C_PASS, 1 });
	no_record();
	teardown();
}

/* ------------------------------------------------------------- plane */

PT_TC(hoa4_map, "hoa4 set/del/foreach, a bad length refused, flush "
    "empties it; a pin dir without mn_hoa4 still opens")
{
	struct in_addr n4 = tu_in4("10.1.77.1");
	const char *dir;
	char path[256], err[512];
	struct seen4 s;
	struct stat st;

	setup();
	dir = pt_state_dir();
	memset(&s, 0, sizeof s);
	ATF_REQUIRE_EQ(mn_plane_hoa4_foreach(fx.mn, see4, &s), 0);
	ATF_CHECK_EQ(s.n, 2);
	ATF_CHECK_EQ(mn_plane_hoa4_set(fx.mn, &n4, 40, pt_in6(HOA6)),
	    -EINVAL);
	ATF_REQUIRE_EQ(mn_plane_hoa4_del(fx.mn, &n4, 16), 0);
	ATF_CHECK_EQ(mn_plane_hoa4_del(fx.mn, &n4, 16), 0);
	memset(&s, 0, sizeof s);
	ATF_REQUIRE_EQ(mn_plane_hoa4_foreach(fx.mn, see4, &s), 0);
	ATF_REQUIRE_EQ(s.n, 1);
	ATF_CHECK_EQ(s.plen[0], 32);
	ATF_REQUIRE_EQ(mn_plane_flush(fx.mn), 0);
	memset(&s, 0, sizeof s);
	ATF_REQUIRE_EQ(mn_plane_hoa4_foreach(fx.mn, see4, &s), 0);
	ATF_CHECK_EQ(s.n, 0);

	mn_plane_close(fx.mn);
	snprintf(path, sizeof path, "%s/%s", dir, M6_MAP_MN_HOA4);
	ATF_REQUIRE_EQ(unlink(path), 0);	/* as an older build left it */
	fx.mn = mn_plane_open(dir, err, sizeof err);
	if (fx.mn == NULL)
		atf_tc_fail("mn_plane_open: %s", err);
	ATF_CHECK_EQ(stat(path, &st), 0);
	ATF_CHECK_EQ(mn_plane_hoa4_set(fx.mn, &n4, 32, pt_in6(HOA6)), 0);
	teardown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, egress_v4_hoa);
	ATF_TP_ADD_TC(tp, egress_v6_v4coa);
	ATF_TP_ADD_TC(tp, mr_v4_network);
	ATF_TP_ADD_TC(tp, ingress_udp);
	ATF_TP_ADD_TC(tp, ingress_ip4_and_4in6);
	ATF_TP_ADD_TC(tp, hoa4_map);
	return atf_no_error();
}
