/*
 * nd_test.c - the home agent's proxy DAD and proxy ND (ha_nd.c) in
 * virtual time against a fake ha_ops: the DAD probe byte for byte, its
 * timing (exactly transmits x RetransTimer), failure by an NA or a foreign
 * DAD probe, the link-local twin (L flag), the unsolicited NAs (fields,
 * count, spacing), the answers to NS, the invalid NS of RFC 4861 §7.1.1
 * that must go unanswered, proxy stop and reset.  Then the data
 * structures: timers run late or with a changed RetransTimer, shared
 * link-local targets, random churn against a brute-force model, and
 * 200,000 proxies / 50,000 DADs, which a linear scan per operation could
 * not finish inside the Kyua timeout.
 */
#include <atf-c.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "hatest.h"
#include "packets/pkt.h"
#include "stack/had/ha_nd.h"

#define IFX	2		/* the home link's ifindex */
#define HOA	"2001:db8:1::100"
#define HOA_LL	"fe80::100"
#define HOA_SN	"ff02::1:ff00:100"	/* solicited-node of both */
#define HA_LL	"fe80::1"
#define CN	"2001:db8:1::5"
#define T0	100000		/* virtual ms */

static const uint8_t ha_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

/* DAD verdicts the callback saw. */
static struct {
	int		calls;
	bool		ok;
	void		*arg;
	struct in6_addr	hoa;
} verdict;

static void
dad_done(void *arg, const struct in6_addr *hoa, bool ok)
{
	verdict.calls++;
	verdict.ok = ok;
	verdict.arg = arg;
	verdict.hoa = *hoa;
}

static struct ha_nd *
setup(unsigned transmits, unsigned retrans_ms)
{
	struct ha_iface ifs[2];
	struct ha_nd *nd;

	ht_clear();
	memset(&verdict, 0, sizeof(verdict));
	memset(ifs, 0, sizeof(ifs));
	ifs[0].ifindex = 1;
	ifs[0].ll = tu_in6("fe80::99");
	ifs[1].ifindex = IFX;
	memcpy(ifs[1].mac, ha_mac, sizeof(ha_mac));
	ifs[1].ll = tu_in6(HA_LL);
	ifs[1].home_link = true;
	ifs[1].mtu = 1500;
	nd = ha_nd_new(&ht_ops);
	ATF_REQUIRE(nd != NULL);
	ha_nd_set_ifaces(nd, ifs, 2);
	ha_nd_set_dad(nd, transmits, retrans_ms);
	return nd;
}

static void
start_dad(struct ha_nd *nd, bool ll, void *arg)
{
	struct in6_addr hoa = tu_in6(HOA);

	ATF_REQUIRE_EQ(ha_nd_dad_start(nd, &hoa, ll, IFX, T0, dad_done, arg),
	    0);
}

static void
start_proxy(struct ha_nd *nd, bool ll, uint64_t now)
{
	struct in6_addr hoa = tu_in6(HOA);

	ATF_REQUIRE_EQ(ha_nd_proxy_start(nd, &hoa, ll, IFX, now), 0);
}

/* Check sent packet i is a DAD NS for target. */
static void
check_dad_ns(size_t i, const char *target)
{
	struct pkt p;
	const struct hdr_ipv6 *ip;

	ht_decode(i, &p);
	ip = pkt_inner_ip6(&p);
	ATF_CHECK_EQ(ht.sent[i].oif, IFX);
	ATF_CHECK_EQ(ip->hlim, 255);
	ht_addr_eq(&ip->src, "::");
	ht_addr_eq(&ip->dst, HOA_SN);
	ATF_CHECK_EQ(p.icmp6.type, ICMP6_T_NS);
	ATF_CHECK_EQ(p.icmp6.code, 0);
	ht_addr_eq(&p.icmp6.u.nsna.target, target);
	ATF_CHECK_EQ(p.icmp6.nopts, 0);	/* no SLLA from :: */
}

/* Check sent packet i is a proxy NA for target to dst with flags. */
static void
check_na(size_t i, const char *target, const char *dst, uint32_t flags)
{
	const struct nd_opt *o;
	const struct hdr_ipv6 *ip;
	struct pkt p;

	ht_decode(i, &p);
	ip = pkt_inner_ip6(&p);
	ATF_CHECK_EQ(ht.sent[i].oif, IFX);
	ATF_CHECK_EQ(ip->hlim, 255);
	ht_addr_eq(&ip->src, HA_LL);
	ht_addr_eq(&ip->dst, dst);
	ATF_CHECK_EQ(p.icmp6.type, ICMP6_T_NA);
	ATF_CHECK_EQ(p.icmp6.code, 0);
	ATF_CHECK_EQ_MSG(p.icmp6.u.nsna.flags, flags, "NA flags %#x want %#x",
	    p.icmp6.u.nsna.flags, flags);
	ht_addr_eq(&p.icmp6.u.nsna.target, target);
	o = icmp6_find_opt(&p.icmp6, NDOPT_TLLA);
	ATF_REQUIRE(o != NULL);
	ATF_CHECK(memcmp(o->u.lladdr, ha_mac, 6) == 0);
	ATF_CHECK_EQ(p.icmp6.nopts, 1);
}

/* Feed an NS (src, dst, hop limit, target, optional SLLA) on ifindex. */
static void
feed_ns(struct ha_nd *nd, const char *src, const char *dst, uint8_t hlim,
    uint8_t code, const char *target, bool slla, unsigned ifindex,
    bool corrupt)
{
	struct pkt p, in;
	struct icmp6_msg *m = ht_build(&p, src, dst, hlim, ICMP6_T_NS, code);
	struct nd_opt *o;

	m->u.nsna.target = tu_in6(target);
	if (slla) {
		o = icmp6_add_opt(m, NDOPT_SLLA);
		memcpy(o->u.lladdr, "\x02\x00\x00\x00\x00\x05", 6);
	}
	ht_wire(&p, &in, corrupt);
	ha_nd_input(nd, &in, ifindex, T0 + 10);
}

static void
feed_na(struct ha_nd *nd, const char *src, const char *dst,
    const char *target, uint32_t flags)
{
	struct pkt p, in;
	struct icmp6_msg *m = ht_build(&p, src, dst, 255, ICMP6_T_NA, 0);
	struct nd_opt *o;

	m->u.nsna.flags = flags;
	m->u.nsna.target = tu_in6(target);
	o = icmp6_add_opt(m, NDOPT_TLLA);
	memcpy(o->u.lladdr, "\x02\x00\x00\x00\x00\x07", 6);
	ht_wire(&p, &in, false);
	ha_nd_input(nd, &in, IFX, T0 + 10);
}

/* ------------------------------------------------------------------ DAD */

ATF_TC_WITHOUT_HEAD(dad_ns_bytes);
ATF_TC_BODY(dad_ns_bytes, tc)
{
	/* RFC 4862 §5.4.2; checksum computed independently. */
	static const char want_hex[] =
	    "6000 0000 0018 3a ff"
	    "0000 0000 0000 0000 0000 0000 0000 0000"	/* :: */
	    "ff02 0000 0000 0000 0000 0001 ff00 0100"	/* solicited-node */
	    "87 00 4aee 0000 0000"			/* NS, reserved */
	    "2001 0db8 0001 0000 0000 0000 0000 0100";	/* target */
	uint8_t want[128];
	size_t n = tu_hex(want_hex, want, sizeof(want));
	struct ha_nd *nd = setup(1, 1000);

	start_dad(nd, false, NULL);
	ATF_REQUIRE_EQ(ht.nsent, 1);
	ATF_CHECK_EQ(ht.sent[0].oif, IFX);
	tu_bytes_eq("DAD NS", ht.sent[0].bytes, ht.sent[0].len, want, n);
	check_dad_ns(0, HOA);
	ATF_CHECK_EQ(ht_watch_flags(HOA), M6N_DAD);
	ATF_CHECK_EQ(ht_watch_flags(HOA_LL), -1);
	ha_nd_free(nd);
}

ATF_TC_WITHOUT_HEAD(dad_success_timing);
ATF_TC_BODY(dad_success_timing, tc)
{
	struct ha_nd *nd = setup(3, 1000);
	int marker;

	start_dad(nd, false, &marker);
	ATF_CHECK_EQ(ht.nsent, 1);
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), T0 + 1000);
	ha_nd_timeout(nd, T0 + 999);
	ATF_CHECK_EQ(ht.nsent, 1);
	ha_nd_timeout(nd, T0 + 1000);
	ATF_CHECK_EQ(ht.nsent, 2);
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), T0 + 2000);
	ha_nd_timeout(nd, T0 + 2000);
	ATF_CHECK_EQ(ht.nsent, 3);
	check_dad_ns(1, HOA);
	check_dad_ns(2, HOA);
	/* The verdict comes exactly transmits x RetransTimer after start. */
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), T0 + 3000);
	ha_nd_timeout(nd, T0 + 2999);
	ATF_CHECK_EQ(verdict.calls, 0);
	ha_nd_timeout(nd, T0 + 3000);
	ATF_CHECK_EQ(verdict.calls, 1);
	ATF_CHECK(verdict.ok);
	ATF_CHECK(verdict.arg == &marker);
	ht_addr_eq(&verdict.hoa, HOA);
	ATF_CHECK_EQ(ht.nsent, 3);
	ATF_CHECK_EQ(ht_watch_flags(HOA), 0);
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), UINT64_MAX);
	ha_nd_timeout(nd, T0 + 10000);
	ATF_CHECK_EQ(verdict.calls, 1);
	ha_nd_free(nd);
}

ATF_TC_WITHOUT_HEAD(dad_zero_transmits);
ATF_TC_BODY(dad_zero_transmits, tc)
{
	struct ha_nd *nd = setup(0, 1000);

	start_dad(nd, false, NULL);
	ATF_CHECK_EQ(ht.nsent, 0);
	ATF_CHECK_EQ(verdict.calls, 0);	/* never from inside the start */
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), T0);
	ha_nd_timeout(nd, T0);
	ATF_CHECK_EQ(verdict.calls, 1);
	ATF_CHECK(verdict.ok);
	ATF_CHECK_EQ(ht.nsent, 0);
	ha_nd_free(nd);
}

ATF_TC_WITHOUT_HEAD(dad_fail_by_na);
ATF_TC_BODY(dad_fail_by_na, tc)
{
	struct ha_nd *nd = setup(2, 1000);

	start_dad(nd, false, NULL);
	/* An NA for another address changes nothing. */
	feed_na(nd, "fe80::7", "ff02::1", "2001:db8:1::101", ND_NA_O);
	ATF_CHECK_EQ(verdict.calls, 0);
	feed_na(nd, "fe80::7", "ff02::1", HOA, ND_NA_O);
	ATF_CHECK_EQ(verdict.calls, 1);
	ATF_CHECK(!verdict.ok);
	ht_addr_eq(&verdict.hoa, HOA);
	ATF_CHECK_EQ(ht_watch_flags(HOA), 0);
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), UINT64_MAX);
	ha_nd_timeout(nd, T0 + 5000);
	ATF_CHECK_EQ(ht.nsent, 1);	/* no probe after the verdict */
	ATF_CHECK_EQ(verdict.calls, 1);
	ha_nd_free(nd);
}

ATF_TC_WITHOUT_HEAD(dad_fail_by_foreign_probe);
ATF_TC_BODY(dad_fail_by_foreign_probe, tc)
{
	struct ha_nd *nd = setup(1, 1000);

	start_dad(nd, false, NULL);
	/* Address resolution (specified source) is not a conflict. */
	feed_ns(nd, CN, HOA_SN, 255, 0, HOA, true, IFX, false);
	ATF_CHECK_EQ(verdict.calls, 0);
	/* Neither is an invalid probe (hop limit), nor one elsewhere. */
	feed_ns(nd, "::", HOA_SN, 64, 0, HOA, false, IFX, false);
	feed_ns(nd, "::", HOA_SN, 255, 0, HOA, false, 1, false);
	ATF_CHECK_EQ(verdict.calls, 0);
	ATF_CHECK_EQ(ht.nsent, 1);
	/* Another node probing the same address. */
	feed_ns(nd, "::", HOA_SN, 255, 0, HOA, false, IFX, false);
	ATF_CHECK_EQ(verdict.calls, 1);
	ATF_CHECK(!verdict.ok);
	ha_nd_timeout(nd, T0 + 1000);
	ATF_CHECK_EQ(verdict.calls, 1);
	ha_nd_free(nd);
}

ATF_TC_WITHOUT_HEAD(dad_linklocal);
ATF_TC_BODY(dad_linklocal, tc)
{
	struct ha_nd *nd = setup(2, 500);

	start_dad(nd, true, NULL);
	ATF_REQUIRE_EQ(ht.nsent, 2);
	check_dad_ns(0, HOA);
	check_dad_ns(1, HOA_LL);
	ATF_CHECK_EQ(ht_watch_flags(HOA), M6N_DAD);
	ATF_CHECK_EQ(ht_watch_flags(HOA_LL), M6N_DAD);
	ha_nd_timeout(nd, T0 + 500);
	ATF_REQUIRE_EQ(ht.nsent, 4);
	check_dad_ns(2, HOA);
	check_dad_ns(3, HOA_LL);
	/* A duplicate of the link-local address fails the whole request. */
	feed_na(nd, HOA_LL, "ff02::1", HOA_LL, ND_NA_O);
	ATF_CHECK_EQ(verdict.calls, 1);
	ATF_CHECK(!verdict.ok);
	ht_addr_eq(&verdict.hoa, HOA);
	ATF_CHECK_EQ(ht_watch_flags(HOA), 0);
	ATF_CHECK_EQ(ht_watch_flags(HOA_LL), 0);
	ha_nd_free(nd);
}

ATF_TC_WITHOUT_HEAD(dad_restart_and_cancel);
ATF_TC_BODY(dad_restart_and_cancel, tc)
{
	struct ha_nd *nd = setup(1, 1000);
	struct in6_addr hoa = tu_in6(HOA);
	int a, b;

	start_dad(nd, false, &a);
	/* A second request (retransmitted BU) keeps the timing. */
	ATF_REQUIRE_EQ(ha_nd_dad_start(nd, &hoa, false, IFX, T0 + 400,
	    dad_done, &b), 0);
	ATF_CHECK_EQ(ht.nsent, 1);
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), T0 + 1000);
	ha_nd_timeout(nd, T0 + 1000);
	ATF_CHECK_EQ(verdict.calls, 1);
	ATF_CHECK(verdict.arg == &b);
	/* Cancel: no verdict, no more probes, nothing watched. */
	start_dad(nd, false, &a);
	ha_nd_dad_cancel(nd, &hoa);
	ATF_CHECK_EQ(ht_watch_flags(HOA), 0);
	ha_nd_timeout(nd, T0 + 5000);
	ATF_CHECK_EQ(verdict.calls, 1);
	ATF_CHECK_EQ(ht.nsent, 2);
	ha_nd_free(nd);
}

/* ------------------------------------------------------------ proxy ND */

ATF_TC_WITHOUT_HEAD(unsolicited_na);
ATF_TC_BODY(unsolicited_na, tc)
{
	/* RFC 6275 §10.4.1 fields; checksum computed independently. */
	static const char want_hex[] =
	    "6000 0000 0020 3a ff"
	    "fe80 0000 0000 0000 0000 0000 0000 0001"	/* our link-local */
	    "ff02 0000 0000 0000 0000 0000 0000 0001"	/* all-nodes */
	    "88 00 2763 2000 0000"			/* NA, O */
	    "2001 0db8 0001 0000 0000 0000 0000 0100"	/* target */
	    "02 01 0200 0000 0001";			/* TLLA */
	uint8_t want[128];
	size_t n = tu_hex(want_hex, want, sizeof(want)), i;
	struct ha_nd *nd = setup(1, 1000);
	struct in6_addr hoa = tu_in6(HOA);

	start_proxy(nd, false, T0);
	ATF_CHECK(ha_nd_proxying(nd, &hoa));
	ATF_CHECK_EQ(ht_watch_flags(HOA), M6N_PROXY);
	ATF_REQUIRE_EQ(ht.nsent, 1);
	tu_bytes_eq("unsolicited NA", ht.sent[0].bytes, ht.sent[0].len, want,
	    n);
	/* MAX_NEIGHBOR_ADVERTISEMENT (3) in all, RetransTimer apart. */
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), T0 + 1000);
	ha_nd_timeout(nd, T0 + 999);
	ATF_CHECK_EQ(ht.nsent, 1);
	ha_nd_timeout(nd, T0 + 1000);
	ATF_CHECK_EQ(ht.nsent, 2);
	ha_nd_timeout(nd, T0 + 2000);
	ATF_CHECK_EQ(ht.nsent, 3);
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), UINT64_MAX);
	ha_nd_timeout(nd, T0 + 60000);
	ATF_CHECK_EQ(ht.nsent, 3);
	for (i = 0; i < 3; i++)
		check_na(i, HOA, "ff02::1", ND_NA_O);
	/* A refresh of the same binding sends nothing new. */
	start_proxy(nd, false, T0 + 70000);
	ATF_CHECK_EQ(ht.nsent, 3);
	ha_nd_free(nd);
}

ATF_TC_WITHOUT_HEAD(unsolicited_na_linklocal);
ATF_TC_BODY(unsolicited_na_linklocal, tc)
{
	struct ha_nd *nd = setup(1, 1000);

	start_proxy(nd, true, T0);
	ATF_REQUIRE_EQ(ht.nsent, 2);
	check_na(0, HOA, "ff02::1", ND_NA_O);
	check_na(1, HOA_LL, "ff02::1", ND_NA_O);
	ATF_CHECK_EQ(ht_watch_flags(HOA_LL), M6N_PROXY);
	ha_nd_timeout(nd, T0 + 1000);
	ha_nd_timeout(nd, T0 + 2000);
	ATF_CHECK_EQ(ht.nsent, 6);
	ha_nd_free(nd);
}

ATF_TC_WITHOUT_HEAD(ns_answered);
ATF_TC_BODY(ns_answered, tc)
{
	struct ha_nd *nd = setup(1, 1000);

	start_proxy(nd, false, T0);
	ht.nsent = 0;
	/* Multicast NS (address resolution): solicited NA, S=1, O=0. */
	feed_ns(nd, CN, HOA_SN, 255, 0, HOA, true, IFX, false);
	ATF_REQUIRE_EQ(ht.nsent, 1);
	check_na(0, HOA, CN, ND_NA_S);
	/* Unicast NS without SLLA (NUD): the same answer. */
	feed_ns(nd, "fe80::5", HOA, 255, 0, HOA, false, IFX, false);
	ATF_REQUIRE_EQ(ht.nsent, 2);
	check_na(1, HOA, "fe80::5", ND_NA_S);
	/* A DAD probe for it is defended to all-nodes with S=0. */
	feed_ns(nd, "::", HOA_SN, 255, 0, HOA, false, IFX, false);
	ATF_REQUIRE_EQ(ht.nsent, 3);
	check_na(2, HOA, "ff02::1", 0);
	/* Not ours: another target, the link-local (L=0), another link. */
	feed_ns(nd, CN, "ff02::1:ff00:101", 255, 0, "2001:db8:1::101", true,
	    IFX, false);
	feed_ns(nd, CN, HOA_SN, 255, 0, HOA_LL, true, IFX, false);
	feed_ns(nd, CN, HOA_SN, 255, 0, HOA, true, 1, false);
	ATF_CHECK_EQ(ht.nsent, 3);
	ha_nd_free(nd);
}

ATF_TC_WITHOUT_HEAD(ns_linklocal_answered);
ATF_TC_BODY(ns_linklocal_answered, tc)
{
	struct ha_nd *nd = setup(1, 1000);

	start_proxy(nd, true, T0);
	ht.nsent = 0;
	feed_ns(nd, "fe80::5", HOA_SN, 255, 0, HOA_LL, true, IFX, false);
	ATF_REQUIRE_EQ(ht.nsent, 1);
	check_na(0, HOA_LL, "fe80::5", ND_NA_S);
	ha_nd_free(nd);
}

ATF_TC_WITHOUT_HEAD(invalid_ns_ignored);
ATF_TC_BODY(invalid_ns_ignored, tc)
{
	struct ha_nd *nd = setup(1, 1000);

	start_proxy(nd, false, T0);
	ht.nsent = 0;
	/* RFC 4861 §7.1.1, one rule each. */
	feed_ns(nd, CN, HOA_SN, 254, 0, HOA, true, IFX, false);	/* hlim */
	feed_ns(nd, CN, HOA_SN, 255, 1, HOA, true, IFX, false);	/* code */
	feed_ns(nd, CN, HOA_SN, 255, 0, "ff02::1:ff00:100", true, IFX,
	    false);					/* multicast target */
	feed_ns(nd, CN, HOA_SN, 255, 0, HOA, true, IFX, true);	/* cksum */
	feed_ns(nd, "::", "ff02::1", 255, 0, HOA, false, IFX, false);
							/* :: not to sol-node */
	feed_ns(nd, "::", HOA, 255, 0, HOA, false, IFX, false);	/* ditto */
	feed_ns(nd, "::", HOA_SN, 255, 0, HOA, true, IFX, false);
							/* :: with SLLA */
	ATF_CHECK_EQ(ht.nsent, 0);
	/* The same NS, valid, is answered: the rules above did the work. */
	feed_ns(nd, CN, HOA_SN, 255, 0, HOA, true, IFX, false);
	ATF_CHECK_EQ(ht.nsent, 1);
	ha_nd_free(nd);
}

ATF_TC_WITHOUT_HEAD(proxy_stop);
ATF_TC_BODY(proxy_stop, tc)
{
	struct ha_nd *nd = setup(1, 1000);
	struct in6_addr hoa = tu_in6(HOA);

	start_proxy(nd, true, T0);
	ATF_CHECK_EQ(ht.nsent, 2);
	ha_nd_proxy_stop(nd, &hoa);
	ATF_CHECK(!ha_nd_proxying(nd, &hoa));
	ATF_CHECK_EQ(ht_watch_flags(HOA), 0);
	ATF_CHECK_EQ(ht_watch_flags(HOA_LL), 0);
	/* The pending unsolicited NAs are dropped, NS go unanswered. */
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), UINT64_MAX);
	ha_nd_timeout(nd, T0 + 5000);
	feed_ns(nd, CN, HOA_SN, 255, 0, HOA, true, IFX, false);
	ATF_CHECK_EQ(ht.nsent, 2);
	ha_nd_free(nd);
}

ATF_TC_WITHOUT_HEAD(shared_linklocal_watch);
ATF_TC_BODY(shared_linklocal_watch, tc)
{
	/* Two home prefixes, one interface identifier: one link-local. */
	struct ha_nd *nd = setup(1, 1000);
	struct in6_addr other = tu_in6("2001:db8:9::100");

	start_proxy(nd, true, T0);
	ATF_REQUIRE_EQ(ha_nd_proxy_start(nd, &other, true, IFX, T0), 0);
	ha_nd_proxy_stop(nd, &other);
	ATF_CHECK_EQ(ht_watch_flags("2001:db8:9::100"), 0);
	ATF_CHECK_EQ(ht_watch_flags(HOA_LL), M6N_PROXY);	/* still ours */
	ha_nd_free(nd);
}

ATF_TC_WITHOUT_HEAD(reset);
ATF_TC_BODY(reset, tc)
{
	struct ha_nd *nd = setup(1, 1000);
	struct in6_addr other = tu_in6("2001:db8:1::200");

	start_dad(nd, true, NULL);
	ATF_REQUIRE_EQ(ha_nd_proxy_start(nd, &other, false, IFX, T0), 0);
	ha_nd_reset(nd);
	ATF_CHECK_EQ(ht_watch_flags(HOA), 0);
	ATF_CHECK_EQ(ht_watch_flags(HOA_LL), 0);
	ATF_CHECK_EQ(ht_watch_flags("2001:db8:1::200"), 0);
	ATF_CHECK(!ha_nd_proxying(nd, &other));
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), UINT64_MAX);
	ha_nd_timeout(nd, T0 + 10000);
	ATF_CHECK_EQ(verdict.calls, 0);
	ha_nd_free(nd);
}

/* ------------------------------------------------------ timer schedule */

ATF_TC_WITHOUT_HEAD(late_timer_keeps_schedule);
ATF_TC_BODY(late_timer_keeps_schedule, tc)
{
	/* Rounds stay at start + k x RetransTimer however late we run. */
	struct ha_nd *nd = setup(3, 1000);
	struct in6_addr other = tu_in6("2001:db8:1::200");

	start_dad(nd, false, NULL);
	ATF_REQUIRE_EQ(ha_nd_proxy_start(nd, &other, false, IFX, T0 + 100),
	    0);
	ATF_CHECK_EQ(ht.nsent, 2);
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), T0 + 1000);
	ha_nd_timeout(nd, T0 + 1500);	/* DAD round 2 and NA 2 */
	ATF_CHECK_EQ(ht.nsent, 4);
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), T0 + 2000);
	ha_nd_timeout(nd, T0 + 2000);	/* DAD round 3 only */
	ATF_CHECK_EQ(ht.nsent, 5);
	check_dad_ns(4, HOA);
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), T0 + 2100);
	/* Far too late: the last NA and the verdict, each once. */
	ha_nd_timeout(nd, T0 + 9000);
	ATF_CHECK_EQ(ht.nsent, 6);
	check_na(5, "2001:db8:1::200", "ff02::1", ND_NA_O);
	ATF_CHECK_EQ(verdict.calls, 1);
	ATF_CHECK(verdict.ok);
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), UINT64_MAX);
	ha_nd_free(nd);
}

ATF_TC_WITHOUT_HEAD(retrans_change);
ATF_TC_BODY(retrans_change, tc)
{
	/* A scheduled round keeps its time; the next uses the new value. */
	struct ha_nd *nd = setup(2, 1000);
	struct in6_addr other = tu_in6("2001:db8:1::200");

	start_dad(nd, false, NULL);
	ha_nd_set_dad(nd, 2, 300);
	ATF_REQUIRE_EQ(ha_nd_proxy_start(nd, &other, false, IFX, T0), 0);
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), T0 + 300);	/* the NA */
	ha_nd_timeout(nd, T0 + 300);
	ATF_CHECK_EQ(ht.nsent, 3);
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), T0 + 600);
	ha_nd_timeout(nd, T0 + 600);
	ATF_CHECK_EQ(ht.nsent, 4);
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), T0 + 1000);	/* the DAD */
	ha_nd_timeout(nd, T0 + 1000);
	ATF_CHECK_EQ(ht.nsent, 5);
	check_dad_ns(4, HOA);
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), T0 + 1300);
	ha_nd_timeout(nd, T0 + 1299);
	ATF_CHECK_EQ(verdict.calls, 0);
	ha_nd_timeout(nd, T0 + 1300);
	ATF_CHECK_EQ(verdict.calls, 1);
	ATF_CHECK(verdict.ok);
	ha_nd_free(nd);
}

/* ------------------------------------------------ shared link-local */

static int	shared_fails;

static void
shared_done(void *arg, const struct in6_addr *hoa, bool ok)
{
	(void)arg;
	(void)hoa;
	if (!ok)
		shared_fails++;
}

ATF_TC_WITHOUT_HEAD(shared_linklocal_dad_conflict);
ATF_TC_BODY(shared_linklocal_dad_conflict, tc)
{
	/* One NA for the link-local fails every DAD that covers it. */
	static const char *const hoas[] = { HOA, "2001:db8:9::100",
	    "2001:db8:a::100", "2001:db8:b::100" };
	struct ha_nd *nd = setup(1, 1000);
	struct in6_addr a, lone = tu_in6("2001:db8:1::300");
	size_t i;

	shared_fails = 0;
	for (i = 0; i < 4; i++) {
		a = tu_in6(hoas[i]);
		ATF_REQUIRE_EQ(ha_nd_dad_start(nd, &a, true, IFX, T0,
		    shared_done, NULL), 0);
	}
	ATF_REQUIRE_EQ(ha_nd_dad_start(nd, &lone, true, IFX, T0, shared_done,
	    NULL), 0);
	ATF_CHECK_EQ(ht_watch_flags(HOA_LL), M6N_DAD);
	/* Cancel one: the link-local is still watched for the others. */
	a = tu_in6(hoas[3]);
	ha_nd_dad_cancel(nd, &a);
	ATF_CHECK_EQ(ht_watch_flags(hoas[3]), 0);
	ATF_CHECK_EQ(ht_watch_flags(HOA_LL), M6N_DAD);
	feed_na(nd, HOA_LL, "ff02::1", HOA_LL, ND_NA_O);
	ATF_CHECK_EQ(shared_fails, 3);
	ATF_CHECK_EQ(ht_watch_flags(HOA_LL), 0);
	for (i = 0; i < 3; i++)
		ATF_CHECK_EQ(ht_watch_flags(hoas[i]), 0);
	/* The unrelated DAD goes on. */
	ATF_CHECK_EQ(ht_watch_flags("2001:db8:1::300"), M6N_DAD);
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), T0 + 1000);
	ha_nd_free(nd);
}

/* ---------------------------------------------------- random churn */

/*
 * 64 home addresses (two prefixes x 32 interface identifiers, so link-
 * local twins are shared) under random proxy and DAD starts and stops,
 * checked after every step against a model: watch flags of all 96
 * targets, ha_nd_proxying, the next timeout, and whether an NS for a
 * random target is answered.
 */
#define CH_IIDS		32
#define CH_HOAS		(2 * CH_IIDS)
#define CH_STEPS	3000

struct ch_model {
	bool	dad, dad_ll, proxy, proxy_ll;
};

static struct {
	struct ch_model	m[CH_HOAS];
	struct in6_addr	target[CH_HOAS + CH_IIDS];
	long		flags[CH_HOAS + CH_IIDS];	/* last watched */
	bool		capture;
	uint32_t	rnd;
} ch;

static struct in6_addr
ch_hoa(size_t h)
{
	struct in6_addr a = tu_in6(h < CH_IIDS ? "2001:db8:1::" :
	    "2001:db8:9::");

	a.s6_addr[15] = (uint8_t)(h % CH_IIDS + 1);
	return a;
}

static void
ch_send(void *ctx, unsigned oif, const uint8_t *pkt, size_t len)
{
	if (ch.capture)
		ht_send(ctx, oif, pkt, len);
}

static void
ch_watch(void *ctx, const struct in6_addr *target, uint32_t flags)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < CH_HOAS + CH_IIDS; i++)
		if (memcmp(&ch.target[i], target, sizeof(*target)) == 0) {
			ch.flags[i] = flags;
			return;
		}
	ATF_REQUIRE_MSG(false, "watch of an address never used");
}

static uint32_t
ch_random(uint32_t n)
{
	ch.rnd = ch.rnd * 1103515245u + 12345u;
	return (ch.rnd >> 8) % n;
}

static uint32_t
ch_expected(size_t t)
{
	const struct ch_model *m;
	uint32_t f = 0;
	size_t h;

	if (t < CH_HOAS) {
		m = &ch.m[t];
		return (m->dad ? M6N_DAD : 0) | (m->proxy ? M6N_PROXY : 0);
	}
	for (h = t - CH_HOAS; h < CH_HOAS; h += CH_IIDS) {
		m = &ch.m[h];
		f |= (m->dad && m->dad_ll ? M6N_DAD : 0) |
		    (m->proxy && m->proxy_ll ? M6N_PROXY : 0);
	}
	return f;
}

static void
ch_step(struct ha_nd *nd)
{
	size_t h = ch_random(CH_HOAS);
	struct in6_addr a = ch_hoa(h);
	bool ll = ch_random(2) != 0;
	struct ch_model *m = &ch.m[h];

	switch (ch_random(4)) {
	case 0:
		ATF_REQUIRE_EQ(ha_nd_proxy_start(nd, &a, ll, IFX, T0), 0);
		m->proxy = true;
		m->proxy_ll = ll;
		break;
	case 1:
		ha_nd_proxy_stop(nd, &a);
		m->proxy = false;
		break;
	case 2:
		ATF_REQUIRE_EQ(ha_nd_dad_start(nd, &a, ll, IFX, T0, dad_done,
		    NULL), 0);
		m->dad_ll = m->dad ? m->dad_ll || ll : ll;
		m->dad = true;
		break;
	default:
		ha_nd_dad_cancel(nd, &a);
		m->dad = false;
		break;
	}
}

static void
ch_verify(struct ha_nd *nd, int step)
{
	struct in6_addr a;
	char s[IN6_STRLEN];
	bool any = false;
	size_t t, h;
	long want;

	for (t = 0; t < CH_HOAS + CH_IIDS; t++) {
		/* Never watched (-1) is right for an address never used. */
		want = (long)ch_expected(t);
		if (want == 0 && ch.flags[t] == -1)
			want = -1;
		ATF_REQUIRE_EQ_MSG(ch.flags[t], want, "step %d: watch flags "
		    "of %s: %ld, want %ld", step, in6_fmt(&ch.target[t], s),
		    ch.flags[t], want);
	}
	for (h = 0; h < CH_HOAS; h++) {
		a = ch_hoa(h);
		ATF_REQUIRE_EQ_MSG(ha_nd_proxying(nd, &a), ch.m[h].proxy,
		    "step %d: proxying %s", step, in6_fmt(&a, s));
		any = any || ch.m[h].proxy || ch.m[h].dad;
	}
	ATF_REQUIRE_EQ(ha_nd_next_timeout(nd), any ? T0 + 1000 : UINT64_MAX);
	/* An NS for a random target is answered iff we defend it. */
	t = ch_random(CH_HOAS + CH_IIDS);
	ht_clear();
	ch.capture = true;
	feed_ns(nd, CN, "ff02::1:ff00:1", 255, 0, in6_fmt(&ch.target[t], s),
	    true, IFX, false);
	ch.capture = false;
	ATF_REQUIRE_EQ_MSG(ht.nsent, (ch_expected(t) & M6N_PROXY) ? 1u : 0u,
	    "step %d: NS for %s", step, s);
	if (ht.nsent == 1)
		check_na(0, s, CN, ND_NA_S);
}

ATF_TC_WITHOUT_HEAD(churn_against_model);
ATF_TC_BODY(churn_against_model, tc)
{
	struct ha_ops ops = ht_ops;
	struct ha_iface ifp;
	struct ha_nd *nd;
	size_t t;
	int step;

	ht_clear();
	memset(&verdict, 0, sizeof(verdict));
	memset(&ch, 0, sizeof(ch));
	ch.rnd = 20240607;
	for (t = 0; t < CH_HOAS; t++)
		ch.target[t] = ch_hoa(t);
	for (t = 0; t < CH_IIDS; t++) {
		ch.target[CH_HOAS + t] = tu_in6("fe80::");
		ch.target[CH_HOAS + t].s6_addr[15] = (uint8_t)(t + 1);
	}
	for (t = 0; t < CH_HOAS + CH_IIDS; t++)
		ch.flags[t] = -1;
	ops.send = ch_send;
	ops.ndp_watch = ch_watch;
	nd = ha_nd_new(&ops);
	ATF_REQUIRE(nd != NULL);
	memset(&ifp, 0, sizeof(ifp));
	ifp.ifindex = IFX;
	memcpy(ifp.mac, ha_mac, sizeof(ha_mac));
	ifp.ll = tu_in6(HA_LL);
	ha_nd_set_ifaces(nd, &ifp, 1);
	ha_nd_set_dad(nd, 1, 1000);
	for (step = 0; step < CH_STEPS; step++) {
		ch_step(nd);
		ch_verify(nd, step);
	}
	/* Every DAD still running ends once, well. */
	ha_nd_timeout(nd, T0 + 1000);
	for (t = 0, step = 0; t < CH_HOAS; t++)
		step += ch.m[t].dad;
	ATF_CHECK_EQ(verdict.calls, step);
	ATF_CHECK(step == 0 || verdict.ok);
	ha_nd_reset(nd);
	for (t = 0; t < CH_HOAS + CH_IIDS; t++)
		ATF_CHECK(ch.flags[t] <= 0);
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), UINT64_MAX);
	ha_nd_free(nd);
}

/* ------------------------------------------------------------- scale */

/*
 * Home address i of the scale tests is 2001:db8:1::200:0:XXXX:XXXX (i
 * in the last 32 bits), its link-local twin fe80::200:0:XXXX:XXXX.  The
 * fake ops map every packet and watch back to i and record per address
 * what happened, counting anything unexpected.
 */
#define SC_PROXIES	200000
#define SC_DADS		150000
#define SC_RETRANS	1000

struct sc_addr {
	uint64_t	start_ms;
	uint64_t	verdict_ms;
	uint32_t	last_flags[2];	/* [0] the home address, [1] its LL */
	uint8_t		watch_on[2], watch_off[2], sent[2];
	uint8_t		verdicts;
	bool		ll, ok;
};

static struct {
	struct sc_addr	*a;
	size_t		n;
	uint64_t	now;
	uint8_t		type;		/* ICMPv6 type every send must have */
	bool		capture;	/* into ht instead */
	size_t		nsent, nwatch, bad_packet, bad_time, bad_log;
} sc;

static struct in6_addr
sc_hoa(size_t i, bool ll)
{
	struct in6_addr a = tu_in6(ll ? "fe80::200:0:0:0" :
	    "2001:db8:1::200:0:0:0");

	a.s6_addr[12] = (uint8_t)(i >> 24);
	a.s6_addr[13] = (uint8_t)(i >> 16);
	a.s6_addr[14] = (uint8_t)(i >> 8);
	a.s6_addr[15] = (uint8_t)i;
	return a;
}

/* The record for target, and which of its two addresses; NULL if none. */
static struct sc_addr *
sc_lookup(const struct in6_addr *target, int *which)
{
	size_t i = (size_t)target->s6_addr[12] << 24 |
	    (size_t)target->s6_addr[13] << 16 |
	    (size_t)target->s6_addr[14] << 8 | target->s6_addr[15];
	struct in6_addr want;

	if (i >= sc.n)
		return NULL;
	for (*which = 0; *which < 2; (*which)++) {
		want = sc_hoa(i, *which == 1);
		if (memcmp(&want, target, sizeof(want)) == 0)
			return &sc.a[i];
	}
	return NULL;
}

/* Round k (from 1) of an address is due at start + (k - 1) x retrans. */
static void
sc_send(void *ctx, unsigned oif, const uint8_t *pkt, size_t len)
{
	struct in6_addr target;
	struct sc_addr *a;
	int which;

	if (sc.capture) {
		ht_send(ctx, oif, pkt, len);
		return;
	}
	sc.nsent++;
	/* IPv6 header (40), ICMPv6 type at 40, NS/NA target at 48. */
	if (oif != IFX || len < 64 || pkt[40] != sc.type) {
		sc.bad_packet++;
		return;
	}
	memcpy(&target, pkt + 48, sizeof(target));
	if ((a = sc_lookup(&target, &which)) == NULL ||
	    (which == 1 && !a->ll)) {
		sc.bad_packet++;
		return;
	}
	if (sc.now != a->start_ms + (uint64_t)a->sent[which] * SC_RETRANS)
		sc.bad_time++;
	a->sent[which]++;
}

static void
sc_watch(void *ctx, const struct in6_addr *target, uint32_t flags)
{
	struct sc_addr *a;
	int which;

	(void)ctx;
	sc.nwatch++;
	if ((a = sc_lookup(target, &which)) == NULL) {
		sc.bad_packet++;
		return;
	}
	if (flags != 0)
		a->watch_on[which]++;
	else
		a->watch_off[which]++;
	a->last_flags[which] = flags;
}

static void
sc_log(void *ctx, int prio, const char *msg)
{
	(void)ctx;
	if (prio <= LOG_WARNING) {
		sc.bad_log++;
		fprintf(stderr, "log<%d> %s\n", prio, msg);
	}
}

static void
sc_dad_done(void *arg, const struct in6_addr *hoa, bool ok)
{
	struct sc_addr *a = arg;
	struct in6_addr want = sc_hoa((size_t)(a - sc.a), false);

	if (memcmp(&want, hoa, sizeof(want)) != 0)
		sc.bad_packet++;
	a->verdicts++;
	a->ok = ok;
	a->verdict_ms = sc.now;
}

static struct ha_nd *
sc_setup(size_t n, unsigned transmits, uint8_t type)
{
	static const struct ha_ops ops = { .send = sc_send,
	    .ndp_watch = sc_watch, .log = sc_log };
	struct ha_iface ifp;
	struct ha_nd *nd;

	ht_clear();
	memset(&sc, 0, sizeof(sc));
	sc.a = calloc(n, sizeof(*sc.a));
	ATF_REQUIRE(sc.a != NULL);
	sc.n = n;
	sc.type = type;
	memset(&ifp, 0, sizeof(ifp));
	ifp.ifindex = IFX;
	memcpy(ifp.mac, ha_mac, sizeof(ha_mac));
	ifp.ll = tu_in6(HA_LL);
	nd = ha_nd_new(&ops);
	ATF_REQUIRE(nd != NULL);
	ha_nd_set_ifaces(nd, &ifp, 1);
	ha_nd_set_dad(nd, transmits, SC_RETRANS);
	return nd;
}

/*
 * The scale tests are sized so that a scan per operation (O(n^2)) runs
 * past the Kyua timeout of nd_test (60 s: minutes for the proxies, over
 * three for the DADs), while the indexed code takes about a second; no
 * test here measures time itself.
 */

/* Run the timers as the engine does: at every due time up to now. */
static void
sc_run_until(struct ha_nd *nd, uint64_t now)
{
	uint64_t t;

	while ((t = ha_nd_next_timeout(nd)) <= now) {
		ATF_REQUIRE_MSG(t >= sc.now, "timeout %llu went back to %llu",
		    (unsigned long long)sc.now, (unsigned long long)t);
		sc.now = t;
		ha_nd_timeout(nd, t);
	}
	sc.now = now;
}

/* Every address watched once with `flags`, then unwatched once. */
static void
sc_check_watch_balance(uint32_t flags)
{
	size_t i, bad = 0, targets = 0;
	int w;

	for (i = 0; i < sc.n; i++)
		for (w = 0; w < (sc.a[i].ll ? 2 : 1); w++) {
			targets++;
			if (sc.a[i].watch_on[w] != 1 ||
			    sc.a[i].watch_off[w] != 1 ||
			    sc.a[i].last_flags[w] != 0)
				bad++;
		}
	ATF_CHECK_EQ_MSG(bad, 0, "%zu of %zu targets not watched then "
	    "unwatched exactly once (%x)", bad, targets, flags);
	ATF_CHECK_EQ(sc.nwatch, 2 * targets);
}

ATF_TC_WITHOUT_HEAD(scale_proxy);
ATF_TC_BODY(scale_proxy, tc)
{
	/* The answer to the NS below; checksum computed independently. */
	static const char want_hex[] =
	    "6000 0000 0020 3a ff"
	    "fe80 0000 0000 0000 0000 0000 0000 0001"	/* our link-local */
	    "2001 0db8 0001 0000 0000 0000 0000 0005"	/* CN */
	    "88 00 f565 4000 0000"			/* NA, S */
	    "2001 0db8 0001 0000 0200 0000 0001 e240"	/* target */
	    "02 01 0200 0000 0001";			/* TLLA */
	uint8_t want[128];
	size_t want_len = tu_hex(want_hex, want, sizeof(want));
	struct ha_nd *nd = sc_setup(SC_PROXIES, 1, ICMP6_T_NA);
	struct in6_addr a;
	char s[IN6_STRLEN], ll[IN6_STRLEN];
	size_t i, targets = 0, bad = 0, failed = 0;

	/* 100 registrations a millisecond, NA rounds running meanwhile. */
	for (i = 0; i < SC_PROXIES; i++) {
		sc_run_until(nd, T0 + i / 100);
		sc.a[i].start_ms = sc.now;
		sc.a[i].ll = i % 2 == 0;
		targets += sc.a[i].ll ? 2 : 1;
		a = sc_hoa(i, false);
		if (ha_nd_proxy_start(nd, &a, sc.a[i].ll, IFX, sc.now) != 0)
			failed++;
	}
	ATF_REQUIRE_EQ(failed, 0);
	a = sc_hoa(123456, false);
	ATF_CHECK(ha_nd_proxying(nd, &a));
	a = sc_hoa(SC_PROXIES, false);
	ATF_CHECK(!ha_nd_proxying(nd, &a));

	/* An NS for one of them, then for its link-local twin. */
	sc.capture = true;
	a = sc_hoa(123456, false);
	feed_ns(nd, CN, "ff02::1:ff01:e240", 255, 0, in6_fmt(&a, s), true,
	    IFX, false);
	ATF_REQUIRE_EQ(ht.nsent, 1);
	tu_bytes_eq("NA at scale", ht.sent[0].bytes, ht.sent[0].len, want,
	    want_len);
	check_na(0, s, CN, ND_NA_S);
	a = sc_hoa(123456, true);
	feed_ns(nd, "fe80::5", "ff02::1:ff01:e240", 255, 0, in6_fmt(&a, ll),
	    true, IFX, false);
	ATF_REQUIRE_EQ(ht.nsent, 2);
	check_na(1, ll, "fe80::5", ND_NA_S);
	a = sc_hoa(123457, true);	/* odd: registered without L */
	feed_ns(nd, "fe80::5", "ff02::1:ff01:e241", 255, 0, in6_fmt(&a, ll),
	    true, IFX, false);
	ATF_CHECK_EQ(ht.nsent, 2);
	sc.capture = false;

	/* All unsolicited NA rounds, each exactly on time. */
	sc_run_until(nd, UINT64_MAX - 1);
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), UINT64_MAX);
	ATF_CHECK_EQ(sc.nsent, 3 * targets);
	for (i = 0; i < SC_PROXIES; i++)
		if (sc.a[i].sent[0] != 3 || sc.a[i].sent[1] !=
		    (sc.a[i].ll ? 3 : 0) || sc.a[i].watch_on[0] != 1 ||
		    sc.a[i].last_flags[0] != M6N_PROXY)
			bad++;
	ATF_CHECK_EQ(bad, 0);
	ATF_CHECK_EQ(sc.bad_time, 0);
	ATF_CHECK_EQ(sc.bad_packet, 0);
	ATF_CHECK_EQ(sc.nwatch, targets);

	/* Stop all, in an order that moves entries around. */
	for (i = 0; i < SC_PROXIES; i++) {
		a = sc_hoa(i * 7919 % SC_PROXIES, false);
		ha_nd_proxy_stop(nd, &a);
	}
	a = sc_hoa(123456, false);
	ATF_CHECK(!ha_nd_proxying(nd, &a));
	sc_check_watch_balance(M6N_PROXY);
	ATF_CHECK_EQ(sc.bad_packet, 0);
	ATF_CHECK_EQ(sc.bad_log, 0);
	ha_nd_free(nd);
	free(sc.a);
}

ATF_TC_WITHOUT_HEAD(scale_dad);
ATF_TC_BODY(scale_dad, tc)
{
	enum { TRANSMITS = 3 };
	struct ha_nd *nd = sc_setup(SC_DADS, TRANSMITS, ICMP6_T_NS);
	struct in6_addr a;
	size_t i, targets = 0, bad = 0, failed = 0;

	/* 25 first registrations a millisecond, rounds running meanwhile. */
	for (i = 0; i < SC_DADS; i++) {
		sc_run_until(nd, T0 + i / 25);
		sc.a[i].start_ms = sc.now;
		sc.a[i].ll = i % 3 == 0;
		targets += sc.a[i].ll ? 2 : 1;
		a = sc_hoa(i, false);
		if (ha_nd_dad_start(nd, &a, sc.a[i].ll, IFX, sc.now,
		    sc_dad_done, &sc.a[i]) != 0)
			failed++;
	}
	ATF_REQUIRE_EQ(failed, 0);
	sc_run_until(nd, UINT64_MAX - 1);
	ATF_CHECK_EQ(ha_nd_next_timeout(nd), UINT64_MAX);
	/* Each verdict once, good, exactly transmits x RetransTimer on. */
	for (i = 0; i < SC_DADS; i++)
		if (sc.a[i].verdicts != 1 || !sc.a[i].ok ||
		    sc.a[i].verdict_ms != sc.a[i].start_ms + TRANSMITS *
		    SC_RETRANS || sc.a[i].sent[0] != TRANSMITS ||
		    sc.a[i].sent[1] != (sc.a[i].ll ? TRANSMITS : 0))
			bad++;
	ATF_CHECK_EQ_MSG(bad, 0, "%zu of %d DADs wrong", bad, SC_DADS);
	ATF_CHECK_EQ(sc.nsent, TRANSMITS * targets);
	ATF_CHECK_EQ(sc.bad_time, 0);
	ATF_CHECK_EQ(sc.bad_packet, 0);
	sc_check_watch_balance(M6N_DAD);
	ATF_CHECK_EQ(sc.bad_log, 0);
	ha_nd_free(nd);
	free(sc.a);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, dad_ns_bytes);
	ATF_TP_ADD_TC(tp, dad_success_timing);
	ATF_TP_ADD_TC(tp, dad_zero_transmits);
	ATF_TP_ADD_TC(tp, dad_fail_by_na);
	ATF_TP_ADD_TC(tp, dad_fail_by_foreign_probe);
	ATF_TP_ADD_TC(tp, dad_linklocal);
	ATF_TP_ADD_TC(tp, dad_restart_and_cancel);
	ATF_TP_ADD_TC(tp, unsolicited_na);
	ATF_TP_ADD_TC(tp, unsolicited_na_linklocal);
	ATF_TP_ADD_TC(tp, ns_answered);
	ATF_TP_ADD_TC(tp, ns_linklocal_answered);
	ATF_TP_ADD_TC(tp, invalid_ns_ignored);
	ATF_TP_ADD_TC(tp, proxy_stop);
	ATF_TP_ADD_TC(tp, shared_linklocal_watch);
	ATF_TP_ADD_TC(tp, reset);
	ATF_TP_ADD_TC(tp, late_timer_keeps_schedule);
	ATF_TP_ADD_TC(tp, retrans_change);
	ATF_TP_ADD_TC(tp, shared_linklocal_dad_conflict);
	ATF_TP_ADD_TC(tp, churn_against_model);
	ATF_TP_ADD_TC(tp, scale_proxy);
	ATF_TP_ADD_TC(tp, scale_dad);
	return atf_no_error();
}
