/*
 * md_core_test.c - the movement detector's logic (md_core.c) driven by
 * hand in virtual time with a recording md_ops: care-of address choice by
 * interface preference, stickiness, optimistic versus tentative
 * addresses, RA loss after N Advertisement Intervals (exact, tolerance 0
 * ms in virtual time), NUD failure, link down, router withdrawal, home
 * detection and HOME_HINT, deregforeign when nothing is left; and the
 * reader's RA decoding (md_ra.c) on RAs built with packets/.
 */
#include <arpa/inet.h>
#include <atf-c.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "packets/buf.h"
#include "packets/icmp6.h"
#include "packets/msock.h"
#include "packets/sbuf.h"
#include "stack/mdd/md_core.h"
#include "stack/mdd/md_ra.h"

#define IF_A	4
#define IF_B	7
#define T0	1000000ull

static struct rec {
	size_t		ninfo;
	struct md_info	info[32];
	size_t		nhint;
	unsigned	hint_if[32];
	struct in6_addr	hint_pfx[32];
	size_t		nrs;
	unsigned	rs_if[32];
} R;

static void
rec_info(void *ctx, const struct md_info *mi)
{
	(void)ctx;
	ATF_REQUIRE(R.ninfo < 32);
	R.info[R.ninfo++] = *mi;
}

static void
rec_hint(void *ctx, unsigned ifindex, const struct in6_addr *p, uint8_t plen)
{
	(void)ctx;
	(void)plen;
	ATF_REQUIRE(R.nhint < 32);
	R.hint_if[R.nhint] = ifindex;
	R.hint_pfx[R.nhint++] = *p;
}

static void
rec_rs(void *ctx, unsigned ifindex)
{
	(void)ctx;
	if (R.nrs < 32)
		R.rs_if[R.nrs++] = ifindex;
}

static struct in6_addr
A6(const char *s)
{
	struct in6_addr a;

	ATF_REQUIRE(inet_pton(AF_INET6, s, &a) == 1);
	return a;
}

static void
params(struct md_params *p, unsigned pref_a, unsigned pref_b, bool optimistic)
{
	memset(p, 0, sizeof *p);
	p->niface = 2;
	strcpy(p->iface[0].name, "wlan0");
	p->iface[0].ifindex = IF_A;
	p->iface[0].preference = pref_a;
	strcpy(p->iface[1].name, "eth1");
	p->iface[1].ifindex = IF_B;
	p->iface[1].preference = pref_b;
	p->nhome = 1;
	p->home[0].addr = A6("2001:db8:1::");
	p->home[0].plen = 64;
	p->optimistic = optimistic;
	p->ra_loss_intervals = 3;
	p->ra_interval_default_ms = 5000;
}

static struct md_core *
core(unsigned pref_a, unsigned pref_b, bool optimistic)
{
	static const struct md_ops ops = {
		.md_info = rec_info, .home_hint = rec_hint, .send_rs = rec_rs,
	};
	struct md_params p;

	memset(&R, 0, sizeof R);
	params(&p, pref_a, pref_b, optimistic);
	return md_core_new(&p, &ops, T0);
}

/* An RA from fe80::N with prefix 2001:db8:N::/64 (or `pfx`). */
static struct md_ra
ra(unsigned ifindex, unsigned n, const char *pfx, uint32_t interval_ms)
{
	struct md_ra r;
	char buf[64];

	memset(&r, 0, sizeof r);
	r.ifindex = ifindex;
	snprintf(buf, sizeof buf, "fe80::%u", n);
	r.router = A6(buf);
	r.have_mac = 1;
	r.mac[5] = (uint8_t)n;
	r.lifetime = 1800;
	r.interval_ms = interval_ms;
	r.npfx = 1;
	if (pfx == NULL) {
		snprintf(buf, sizeof buf, "2001:db8:%u::", n);
		pfx = buf;
	}
	r.pfx[0].prefix = A6(pfx);
	r.pfx[0].plen = 64;
	r.pfx[0].flags = ND_PI_L | ND_PI_A;
	r.pfx[0].valid = 86400;
	r.pfx[0].preferred = 14400;
	return r;
}

/* Interface up, RA from router n, address 2001:db8:n::100 with flags. */
static void
attach(struct md_core *c, unsigned ifindex, unsigned n, unsigned flags,
    uint64_t t)
{
	struct md_ra r = ra(ifindex, n, NULL, 1000);
	char buf[64];
	struct in6_addr a;

	snprintf(buf, sizeof buf, "2001:db8:%u::100", n);
	a = A6(buf);
	md_link(c, ifindex, true, t);
	md_ra(c, &r, t);
	md_addr(c, ifindex, &a, 64, flags, UINT32_MAX, true, t);
}

static void
check_rereg(size_t i, unsigned ifindex, const char *coa, unsigned router_n,
    unsigned hint)
{
	char buf[64];
	struct in6_addr r;

	ATF_REQUIRE(i < R.ninfo);
	ATF_CHECK_EQ(R.info[i].command, MSOCK_MD_REREG);
	ATF_CHECK_EQ(R.info[i].ifindex, ifindex);
	ATF_CHECK_EQ(R.info[i].hint, hint);
	ATF_CHECK(!R.info[i].v4);
	r = A6(coa);
	ATF_CHECK(memcmp(&R.info[i].coa, &r, 16) == 0);
	snprintf(buf, sizeof buf, "fe80::%u", router_n);
	r = A6(buf);
	ATF_CHECK(R.info[i].have_router);
	ATF_CHECK(memcmp(&R.info[i].router, &r, 16) == 0);
	ATF_CHECK(R.info[i].have_mac);
	ATF_CHECK_EQ(R.info[i].router_mac[5], router_n);
}

/* Both interfaces attached (eth1 first): wlan0, preferred, is primary. */
static void
attach_both(struct md_core *c)
{
	attach(c, IF_B, 3, 0, T0);
	attach(c, IF_A, 2, 0, T0);
	ATF_REQUIRE_EQ(R.ninfo, 2);
	check_rereg(1, IF_A, "2001:db8:2::100", 2, MSOCK_HINT_INDEX);
}

ATF_TC_WITHOUT_HEAD(coa_by_preference);
ATF_TC_BODY(coa_by_preference, tc)
{
	struct md_core *c = core(20, 10, true);
	struct md_info last;
	unsigned ifi;
	struct in6_addr coa;

	ATF_CHECK_EQ(md_att_state(c), MD_ATT_DETACHED);
	ATF_CHECK(!md_last_info(c, &last));
	attach(c, IF_A, 2, 0, T0);
	ATF_REQUIRE_EQ(R.ninfo, 1);
	check_rereg(0, IF_A, "2001:db8:2::100", 2, MSOCK_HINT_INDEX);
	ATF_CHECK_EQ(md_att_state(c), MD_ATT_FOREIGN);
	ATF_CHECK_EQ(md_if_state(c, IF_A), MD_IF_ROUTER_OK);
	/* eth1 (preference 10) beats wlan0 (20) */
	attach(c, IF_B, 3, 0, T0 + 10);
	ATF_REQUIRE_EQ(R.ninfo, 2);
	check_rereg(1, IF_B, "2001:db8:3::100", 3, MSOCK_HINT_INDEX);
	ATF_REQUIRE(md_primary(c, &ifi, &coa));
	ATF_CHECK_EQ(ifi, IF_B);
	/* refreshing RAs change nothing */
	{
		struct md_ra r = ra(IF_B, 3, NULL, 1000);

		md_ra(c, &r, T0 + 500);
	}
	ATF_CHECK_EQ(R.ninfo, 2);
	/* an RS went out on each link as it came up */
	ATF_REQUIRE_EQ(R.nrs, 2);
	ATF_CHECK_EQ(R.rs_if[0], IF_A);
	ATF_CHECK_EQ(R.rs_if[1], IF_B);
	md_core_free(c);
}

ATF_TC_WITHOUT_HEAD(stickiness);
ATF_TC_BODY(stickiness, tc)
{
	struct md_core *c = core(10, 10, true);
	unsigned ifi;
	struct in6_addr coa;

	attach(c, IF_B, 3, 0, T0);
	ATF_REQUIRE_EQ(R.ninfo, 1);
	check_rereg(0, IF_B, "2001:db8:3::100", 3, MSOCK_HINT_INDEX);
	/* an equally preferred link appears: no flapping */
	attach(c, IF_A, 2, 0, T0 + 10);
	ATF_CHECK_EQ(R.ninfo, 1);
	ATF_REQUIRE(md_primary(c, &ifi, &coa));
	ATF_CHECK_EQ(ifi, IF_B);
	/* a second address on the current link: still the same CoA */
	{
		struct in6_addr a = A6("2001:db8:3::200");

		md_addr(c, IF_B, &a, 64, 0, UINT32_MAX, true, T0 + 20);
	}
	ATF_CHECK_EQ(R.ninfo, 1);
	/* the current address goes: the other one on the same link, hint
	   addr */
	{
		struct in6_addr a = A6("2001:db8:3::100");

		md_addr(c, IF_B, &a, 64, 0, UINT32_MAX, false, T0 + 30);
	}
	ATF_REQUIRE_EQ(R.ninfo, 2);
	check_rereg(1, IF_B, "2001:db8:3::200", 3, MSOCK_HINT_ADDR);
	md_core_free(c);
}

ATF_TC_WITHOUT_HEAD(optimistic_usable_at_once);
ATF_TC_BODY(optimistic_usable_at_once, tc)
{
	struct md_core *c = core(10, 20, true);
	struct in6_addr a = A6("2001:db8:2::100");

	/* RFC 4429: with optimistic-dad yes the optimistic address is the
	   CoA the moment the kernel reports it */
	attach(c, IF_A, 2, MD_ADDR_TENTATIVE | MD_ADDR_OPTIMISTIC, T0);
	ATF_REQUIRE_EQ(R.ninfo, 1);
	check_rereg(0, IF_A, "2001:db8:2::100", 2, MSOCK_HINT_INDEX);
	/* DAD completes: same address, nothing new */
	md_addr(c, IF_A, &a, 64, 0, UINT32_MAX, true, T0 + 1000);
	ATF_CHECK_EQ(R.ninfo, 1);
	/* DAD fails: no CoA any more */
	md_addr(c, IF_A, &a, 64, MD_ADDR_DADFAILED | MD_ADDR_TENTATIVE,
	    UINT32_MAX, true, T0 + 2000);
	ATF_REQUIRE_EQ(R.ninfo, 2);
	ATF_CHECK_EQ(R.info[1].command, MSOCK_MD_DEREGFOREIGN);
	md_core_free(c);
}

ATF_TC_WITHOUT_HEAD(coa_lifetime);
ATF_TC_BODY(coa_lifetime, tc)
{
	struct md_core *c = core(10, 20, true);
	struct md_ra r = ra(IF_A, 2, NULL, 1000);
	struct in6_addr a = A6("2001:db8:2::100");
	struct md_info mi;

	/* an address valid for 300 s: the rereg carries its end */
	md_link(c, IF_A, true, T0);
	md_ra(c, &r, T0);
	md_addr(c, IF_A, &a, 64, 0, 300, true, T0);
	ATF_REQUIRE_EQ(R.ninfo, 1);
	ATF_CHECK_EQ(R.info[0].coa_expire_ms, T0 + 300000);
	ATF_CHECK_EQ(md_remaining_s(R.info[0].coa_expire_ms, T0 + 1999), 298);
	/* the kernel refreshes it (an RA): no new MD_INFO, but a re-sent
	   one carries the new end */
	md_addr(c, IF_A, &a, 64, 0, 600, true, T0 + 10000);
	ATF_CHECK_EQ(R.ninfo, 1);
	ATF_REQUIRE(md_last_info(c, &mi));
	ATF_CHECK_EQ(mi.coa_expire_ms, T0 + 610000);
	/* infinite */
	md_addr(c, IF_A, &a, 64, 0, UINT32_MAX, true, T0 + 20000);
	ATF_REQUIRE(md_last_info(c, &mi));
	ATF_CHECK_EQ(mi.coa_expire_ms, UINT64_MAX);
	ATF_CHECK_EQ(md_remaining_s(UINT64_MAX, T0), UINT32_MAX);
	ATF_CHECK_EQ(md_remaining_s(T0, T0 + 1), 0);
	md_core_free(c);
}

ATF_TC_WITHOUT_HEAD(reconf);
ATF_TC_BODY(reconf, tc)
{
	struct md_core *c = core(10, 20, true);
	struct md_params p;

	attach_both(c);
	/* preferences swapped: eth1 wins at once, its state kept */
	params(&p, 30, 20, true);
	ATF_REQUIRE_EQ(md_core_reconf(c, &p, T0 + 100), 0);
	ATF_REQUIRE_EQ(R.ninfo, 3);
	check_rereg(2, IF_B, "2001:db8:3::100", 3, MSOCK_HINT_INDEX);
	/* the same again: nothing to say */
	ATF_REQUIRE_EQ(md_core_reconf(c, &p, T0 + 200), 0);
	ATF_CHECK_EQ(R.ninfo, 3);
	/* eth1 removed: back to wlan0, whose state was kept */
	p.niface = 1;
	ATF_REQUIRE_EQ(md_core_reconf(c, &p, T0 + 300), 0);
	ATF_REQUIRE_EQ(R.ninfo, 4);
	check_rereg(3, IF_A, "2001:db8:2::100", 2, MSOCK_HINT_INDEX);
	ATF_CHECK_EQ(md_if_state(c, IF_B), MD_IF_DOWN);	/* unmanaged */
	/* wlan0's prefix becomes the home prefix: home */
	p.home[0].addr = A6("2001:db8:2::");
	ATF_REQUIRE_EQ(md_core_reconf(c, &p, T0 + 400), 0);
	ATF_REQUIRE_EQ(R.ninfo, 5);
	ATF_CHECK_EQ(R.info[4].command, MSOCK_MD_DEREGHOME);
	ATF_CHECK_EQ(R.info[4].ifindex, IF_A);
	/* ra-loss-intervals 5: the deadline moves (last RA at T0, interval
	   1000 ms) */
	p.ra_loss_intervals = 5;
	ATF_REQUIRE_EQ(md_core_reconf(c, &p, T0 + 500), 0);
	ATF_CHECK_EQ(md_next_timeout(c), T0 + 5000);
	/* eth1 added again: it starts down, until its link is reported */
	params(&p, 10, 20, true);
	ATF_REQUIRE_EQ(md_core_reconf(c, &p, T0 + 600), 0);
	ATF_CHECK_EQ(md_if_state(c, IF_B), MD_IF_DOWN);
	md_core_free(c);
}

ATF_TC_WITHOUT_HEAD(tentative_waits_for_dad);
ATF_TC_BODY(tentative_waits_for_dad, tc)
{
	struct md_core *c = core(10, 20, false);
	struct in6_addr a = A6("2001:db8:2::100");

	/* optimistic-dad no: even an optimistic address waits */
	attach(c, IF_A, 2, MD_ADDR_TENTATIVE | MD_ADDR_OPTIMISTIC, T0);
	ATF_CHECK_EQ(R.ninfo, 0);
	md_addr(c, IF_A, &a, 64, 0, UINT32_MAX, true, T0 + 1000);
	ATF_REQUIRE_EQ(R.ninfo, 1);
	check_rereg(0, IF_A, "2001:db8:2::100", 2, MSOCK_HINT_INDEX);
	md_core_free(c);

	/* optimistic-dad yes, but a plain tentative address (the kernel's
	   optimistic_dad off): not usable either */
	c = core(10, 20, true);
	attach(c, IF_A, 2, MD_ADDR_TENTATIVE, T0);
	ATF_CHECK_EQ(R.ninfo, 0);
	md_addr(c, IF_A, &a, 64, 0, UINT32_MAX, true, T0 + 1000);
	ATF_CHECK_EQ(R.ninfo, 1);
	md_core_free(c);
}

ATF_TC_WITHOUT_HEAD(ra_loss_after_n_intervals);
ATF_TC_BODY(ra_loss_after_n_intervals, tc)
{
	struct md_core *c = core(10, 20, true);
	struct md_ra r = ra(IF_A, 2, NULL, 1000);

	attach_both(c);
	/* the last RA at T0+500: lost 3 x 1000 ms later, exactly (virtual
	   time, tolerance 0) */
	md_ra(c, &r, T0 + 500);
	ATF_CHECK_EQ(md_next_timeout(c), T0 + 3000);	/* eth1's RA */
	{
		struct md_ra rb = ra(IF_B, 3, NULL, 1000);

		md_ra(c, &rb, T0 + 2900);
	}
	ATF_CHECK_EQ(md_next_timeout(c), T0 + 3500);
	md_timeout(c, T0 + 3499);
	ATF_CHECK_EQ(md_if_state(c, IF_A), MD_IF_ROUTER_OK);
	ATF_CHECK_EQ(R.ninfo, 2);
	md_timeout(c, T0 + 3500);
	ATF_CHECK_EQ(md_if_state(c, IF_A), MD_IF_ROUTER_LOST);
	ATF_REQUIRE_EQ(R.ninfo, 3);
	check_rereg(2, IF_B, "2001:db8:3::100", 3, MSOCK_HINT_INDEX);
	/* an RS looks for a new router on the silent link */
	ATF_CHECK_EQ(R.rs_if[R.nrs - 1], IF_A);
	/* the router comes back: preference wins again */
	md_ra(c, &r, T0 + 4000);
	ATF_CHECK_EQ(md_if_state(c, IF_A), MD_IF_ROUTER_OK);
	ATF_REQUIRE_EQ(R.ninfo, 4);
	check_rereg(3, IF_A, "2001:db8:2::100", 2, MSOCK_HINT_INDEX);
	md_core_free(c);
}

ATF_TC_WITHOUT_HEAD(ra_loss_default_interval);
ATF_TC_BODY(ra_loss_default_interval, tc)
{
	struct md_core *c = core(10, 20, true);
	struct md_ra r = ra(IF_A, 2, NULL, 0);	/* no Advertisement Interval */
	struct in6_addr a = A6("2001:db8:2::100");

	md_link(c, IF_A, true, T0);
	md_ra(c, &r, T0);
	md_addr(c, IF_A, &a, 64, 0, UINT32_MAX, true, T0);
	ATF_REQUIRE_EQ(R.ninfo, 1);
	/* ra-interval-default 5000 ms x 3 */
	ATF_CHECK_EQ(md_next_timeout(c), T0 + 15000);
	md_timeout(c, T0 + 14999);
	ATF_CHECK_EQ(R.ninfo, 1);
	md_timeout(c, T0 + 15000);
	ATF_REQUIRE_EQ(R.ninfo, 2);
	ATF_CHECK_EQ(R.info[1].command, MSOCK_MD_DEREGFOREIGN);
	ATF_CHECK_EQ(md_att_state(c), MD_ATT_DETACHED);
	/* a short Router Lifetime ends it sooner than RA loss */
	r.lifetime = 2;
	md_ra(c, &r, T0 + 20000);
	ATF_CHECK_EQ(md_next_timeout(c), T0 + 22000);
	md_core_free(c);
}

ATF_TC_WITHOUT_HEAD(nud_failure);
ATF_TC_BODY(nud_failure, tc)
{
	struct md_core *c = core(10, 20, true);
	struct in6_addr other = A6("fe80::99"), router = A6("fe80::2");

	attach_both(c);
	/* another neighbour failing, or the router reachable: nothing */
	md_neigh(c, IF_A, &other, true, T0 + 10);
	md_neigh(c, IF_A, &router, false, T0 + 10);
	ATF_CHECK_EQ(R.ninfo, 2);
	/* the router's entry goes FAILED: lost, move to eth1 */
	md_neigh(c, IF_A, &router, true, T0 + 20);
	ATF_CHECK_EQ(md_if_state(c, IF_A), MD_IF_ROUTER_LOST);
	ATF_REQUIRE_EQ(R.ninfo, 3);
	check_rereg(2, IF_B, "2001:db8:3::100", 3, MSOCK_HINT_INDEX);
	ATF_CHECK_EQ(md_counter(c, MDC_ROUTER_LOST_NUD), 1);
	ATF_CHECK_EQ(md_counter(c, MDC_MD_INFO), 3);
	ATF_CHECK_STREQ(md_counter_name(MDC_ROUTER_LOST_NUD),
	    "router_lost_nud");
	md_core_free(c);
}

ATF_TC_WITHOUT_HEAD(nud_hold_down);
ATF_TC_BODY(nud_hold_down, tc)
{
	struct md_core *c = core(10, 20, true);
	struct in6_addr router = A6("fe80::2");
	struct md_ra r = ra(IF_A, 2, NULL, 1000);
	struct md_params p;

	attach_both(c);
	params(&p, 10, 20, true);
	p.nud_hold_down_ms = 5000;
	ATF_REQUIRE_EQ(md_core_reconf(c, &p, T0 + 10), 0);
	ATF_CHECK_EQ(R.ninfo, 2);
	/* wlan0's router fails NUD at T0+20: held down until T0+5020 */
	md_neigh(c, IF_A, &router, true, T0 + 20);
	ATF_REQUIRE_EQ(R.ninfo, 3);
	check_rereg(2, IF_B, "2001:db8:3::100", 3, MSOCK_HINT_INDEX);
	/* its RAs go on: ignored, counted, no flap back (exact bound in
	   virtual time) */
	md_ra(c, &r, T0 + 1000);
	md_ra(c, &r, T0 + 5019);
	ATF_CHECK_EQ(md_if_state(c, IF_A), MD_IF_ROUTER_LOST);
	ATF_CHECK_EQ(R.ninfo, 3);
	ATF_CHECK_EQ(md_counter(c, MDC_RAS_HELD_DOWN), 2);
	ATF_CHECK_STREQ(md_counter_name(MDC_RAS_HELD_DOWN), "ras_held_down");
	/* the first RA after the hold-down brings it back */
	md_ra(c, &r, T0 + 5020);
	ATF_CHECK_EQ(md_if_state(c, IF_A), MD_IF_ROUTER_OK);
	ATF_REQUIRE_EQ(R.ninfo, 4);
	check_rereg(3, IF_A, "2001:db8:2::100", 2, MSOCK_HINT_INDEX);
	/* it fails again; the link goes down and up (a new attachment):
	   the hold-down ends with it */
	md_neigh(c, IF_A, &router, true, T0 + 6000);
	ATF_REQUIRE_EQ(R.ninfo, 5);
	md_link(c, IF_A, false, T0 + 6100);
	md_link(c, IF_A, true, T0 + 6200);
	md_ra(c, &r, T0 + 6300);
	ATF_CHECK_EQ(md_if_state(c, IF_A), MD_IF_ROUTER_OK);
	ATF_REQUIRE_EQ(R.ninfo, 6);
	check_rereg(5, IF_A, "2001:db8:2::100", 2, MSOCK_HINT_INDEX);
	/* another router on the link is taken at once during a hold-down */
	md_neigh(c, IF_A, &router, true, T0 + 7000);
	ATF_REQUIRE_EQ(R.ninfo, 7);
	r = ra(IF_A, 7, NULL, 1000);
	md_ra(c, &r, T0 + 7100);
	ATF_CHECK_EQ(md_if_state(c, IF_A), MD_IF_ROUTER_OK);
	md_core_free(c);
}

ATF_TC_WITHOUT_HEAD(link_down_and_withdraw);
ATF_TC_BODY(link_down_and_withdraw, tc)
{
	struct md_core *c = core(10, 20, true);
	struct md_ra r;

	attach_both(c);
	md_link(c, IF_A, false, T0 + 10);
	ATF_CHECK_EQ(md_if_state(c, IF_A), MD_IF_DOWN);
	ATF_REQUIRE_EQ(R.ninfo, 3);
	check_rereg(2, IF_B, "2001:db8:3::100", 3, MSOCK_HINT_INDEX);
	/* eth1's router withdraws (lifetime 0, RFC 4861 §6.3.4): nothing
	   left */
	r = ra(IF_B, 3, NULL, 1000);
	r.lifetime = 0;
	md_ra(c, &r, T0 + 20);
	ATF_CHECK_EQ(md_if_state(c, IF_B), MD_IF_ROUTER_LOST);
	ATF_REQUIRE_EQ(R.ninfo, 4);
	ATF_CHECK_EQ(R.info[3].command, MSOCK_MD_DEREGFOREIGN);
	ATF_CHECK_EQ(R.info[3].ifindex, 0);
	/* said once */
	md_link(c, IF_B, false, T0 + 30);
	md_timeout(c, T0 + 100000);
	ATF_CHECK_EQ(R.ninfo, 4);
	ATF_CHECK_EQ(md_att_state(c), MD_ATT_DETACHED);
	md_core_free(c);
}

ATF_TC_WITHOUT_HEAD(home_detection);
ATF_TC_BODY(home_detection, tc)
{
	struct md_core *c = core(10, 20, true);
	struct md_ra h = ra(IF_B, 1, "2001:db8:1::", 1000);
	struct in6_addr hoa = A6("2001:db8:1::100"), pfx = A6("2001:db8:1::");

	attach(c, IF_A, 2, 0, T0);
	ATF_REQUIRE_EQ(R.ninfo, 1);
	/* a router advertising the home prefix on eth1 */
	md_link(c, IF_B, true, T0 + 10);
	md_ra(c, &h, T0 + 10);
	ATF_CHECK_EQ(md_att_state(c), MD_ATT_HOME);
	ATF_REQUIRE_EQ(R.ninfo, 2);
	ATF_CHECK_EQ(R.info[1].command, MSOCK_MD_DEREGHOME);
	ATF_CHECK_EQ(R.info[1].hint, MSOCK_HINT_HOME);
	ATF_CHECK_EQ(R.info[1].ifindex, IF_B);
	ATF_CHECK(R.info[1].have_router && R.info[1].have_mac);
	ATF_CHECK_EQ(R.info[1].router_mac[5], 1);
	/* with the home prefixes seen (mip6-bus(7)) */
	ATF_REQUIRE_EQ(R.info[1].nprefix, 1);
	ATF_CHECK(memcmp(&R.info[1].prefix[0].addr, &pfx, 16) == 0);
	ATF_CHECK_EQ(R.info[1].prefix[0].plen, 64);
	/* the last decision, for a re-send on (re)connection */
	{
		struct md_info last;

		ATF_REQUIRE(md_last_info(c, &last));
		ATF_CHECK_EQ(last.command, MSOCK_MD_DEREGHOME);
		ATF_CHECK_EQ(last.ifindex, IF_B);
	}
	/* every RA showing a home prefix gives a HOME_HINT */
	ATF_REQUIRE_EQ(R.nhint, 1);
	ATF_CHECK_EQ(R.hint_if[0], IF_B);
	ATF_CHECK(memcmp(&R.hint_pfx[0], &pfx, 16) == 0);
	md_ra(c, &h, T0 + 500);
	ATF_CHECK_EQ(R.nhint, 2);
	/* the home address is never a care-of address; no new MD_INFO */
	md_addr(c, IF_B, &hoa, 64, 0, UINT32_MAX, true, T0 + 600);
	ATF_CHECK_EQ(R.ninfo, 2);
	/* the home link goes: back to the foreign CoA */
	md_link(c, IF_B, false, T0 + 700);
	ATF_REQUIRE_EQ(R.ninfo, 3);
	check_rereg(2, IF_A, "2001:db8:2::100", 2, MSOCK_HINT_INDEX);
	ATF_CHECK_EQ(md_att_state(c), MD_ATT_FOREIGN);
	md_core_free(c);
}

ATF_TC_WITHOUT_HEAD(home_router_beside_foreign_router);
ATF_TC_BODY(home_router_beside_foreign_router, tc)
{
	struct md_core *c = core(10, 20, true);
	struct md_ra h = ra(IF_A, 1, "2001:db8:1::", 1000);
	struct md_ra other = ra(IF_A, 5, NULL, 1000);

	attach(c, IF_A, 2, 0, T0);
	ATF_REQUIRE_EQ(R.ninfo, 1);
	/* a second, foreign router on the link: ours is kept */
	md_ra(c, &other, T0 + 10);
	ATF_CHECK_EQ(R.ninfo, 1);
	/* a home router on the same link: home wins */
	md_ra(c, &h, T0 + 20);
	ATF_REQUIRE_EQ(R.ninfo, 2);
	ATF_CHECK_EQ(R.info[1].command, MSOCK_MD_DEREGHOME);
	ATF_CHECK_EQ(R.info[1].ifindex, IF_A);
	md_core_free(c);
}

ATF_TC_WITHOUT_HEAD(rs_retransmission);
ATF_TC_BODY(rs_retransmission, tc)
{
	struct md_core *c = core(10, 20, true);
	struct md_ra r = ra(IF_A, 2, NULL, 1000);

	/* link up: an RS at once, then 1 s apart, 3 in all (RFC 4861
	   §6.3.7 MAX_RTR_SOLICITATIONS) */
	md_link(c, IF_A, true, T0);
	ATF_REQUIRE_EQ(R.nrs, 1);
	ATF_CHECK_EQ(md_next_timeout(c), T0 + 1000);
	md_timeout(c, T0 + 999);
	ATF_CHECK_EQ(R.nrs, 1);
	md_timeout(c, T0 + 1000);
	ATF_CHECK_EQ(R.nrs, 2);
	md_timeout(c, T0 + 2000);
	ATF_CHECK_EQ(R.nrs, 3);
	ATF_CHECK_EQ(md_next_timeout(c), UINT64_MAX);
	md_timeout(c, T0 + 10000);
	ATF_CHECK_EQ(R.nrs, 3);
	/* an RA stops the soliciting */
	md_link(c, IF_B, true, T0 + 20000);
	ATF_CHECK_EQ(R.nrs, 4);
	struct md_ra rb = ra(IF_B, 3, NULL, 1000);

	md_ra(c, &rb, T0 + 20100);
	md_timeout(c, T0 + 21000);
	ATF_CHECK_EQ(R.nrs, 4);
	/* a lost router starts it again on that link */
	md_ra(c, &r, T0 + 21000);
	md_ra(c, &rb, T0 + 23000);
	md_timeout(c, T0 + 24000);
	ATF_CHECK_EQ(md_if_state(c, IF_A), MD_IF_ROUTER_LOST);
	ATF_CHECK_EQ(R.rs_if[R.nrs - 1], IF_A);
	md_core_free(c);
}

static json_object *
member(json_object *o, const char *k)
{
	json_object *v = NULL;

	ATF_REQUIRE_MSG(json_object_object_get_ex(o, k, &v), "no %s", k);
	return v;
}

ATF_TC_WITHOUT_HEAD(status_json);
ATF_TC_BODY(status_json, tc)
{
	struct md_core *c = core(10, 20, true);
	char buf[8192];
	struct sbuf sb;
	struct jw jw;
	json_object *o, *ifs, *a;

	attach(c, IF_A, 2, 0, T0);
	md_link(c, IF_B, true, T0);
	sbuf_init(&sb, buf, sizeof buf);
	jw_init(&jw, &sb);
	jw_obj_open(&jw, NULL);
	md_status_json(c, &jw, T0 + 400);
	jw_obj_close(&jw);
	o = json_tokener_parse(buf);
	ATF_REQUIRE_MSG(o != NULL, "not JSON: %s", buf);
	ATF_CHECK_STREQ(json_object_get_string(member(o, "attachment")),
	    "foreign");
	ATF_CHECK_STREQ(json_object_get_string(member(member(o, "primary"),
	    "coa")), "2001:db8:2::100");
	ATF_CHECK_STREQ(json_object_get_string(member(member(o, "primary"),
	    "interface")), "wlan0");
	ifs = member(o, "interfaces");
	ATF_REQUIRE_EQ(json_object_array_length(ifs), 2);
	a = json_object_array_get_idx(ifs, 0);
	ATF_CHECK_STREQ(json_object_get_string(member(a, "state")),
	    "router-ok");
	ATF_CHECK_STREQ(json_object_get_string(member(a, "router")),
	    "fe80::2");
	ATF_CHECK_EQ(json_object_get_int(member(a, "last_ra_age_ms")), 400);
	ATF_CHECK_EQ(json_object_get_int(member(a, "interval_ms")), 1000);
	ATF_CHECK_EQ(json_object_get_int(member(a, "lost_in_ms")), 2600);
	ATF_CHECK_STREQ(json_object_get_string(json_object_array_get_idx(
	    member(a, "prefixes"), 0)), "2001:db8:2::/64");
	ATF_CHECK_STREQ(json_object_get_string(json_object_array_get_idx(
	    member(a, "candidates"), 0)), "2001:db8:2::100");
	a = json_object_array_get_idx(ifs, 1);
	ATF_CHECK_STREQ(json_object_get_string(member(a, "state")),
	    "up-no-router");
	ATF_CHECK_EQ(json_object_array_length(member(a, "candidates")), 0);
	json_object_put(o);
	md_core_free(c);
}

ATF_TC_WITHOUT_HEAD(unmanaged_interface_ignored);
ATF_TC_BODY(unmanaged_interface_ignored, tc)
{
	struct md_core *c = core(10, 20, true);

	attach(c, 99, 2, 0, T0);
	ATF_CHECK_EQ(R.ninfo, 0);
	ATF_CHECK_EQ(R.nrs, 0);
	ATF_CHECK_EQ(md_counter(c, MDC_RAS), 0);
	ATF_CHECK_EQ(md_counter(c, MDC_RAS_IGNORED), 1);
	md_core_free(c);
}

/* ------------------------------------------------------------ md_ra.c */

static size_t
build_ra(uint8_t *buf, size_t cap, const struct in6_addr *src,
    const struct in6_addr *dst, bool with_opts)
{
	struct icmp6_msg m;
	struct nd_opt *o;
	struct wbuf w;

	icmp6_init(&m, ICMP6_T_RA, 0);
	m.u.ra.hop_limit = 64;
	m.u.ra.flags = ND_RA_H;
	m.u.ra.lifetime = 1800;
	if (with_opts) {
		o = icmp6_add_opt(&m, NDOPT_SLLA);
		memcpy(o->u.lladdr, "\x02\x00\x00\x00\x00\x05", 6);
		o = icmp6_add_opt(&m, NDOPT_ADV_INTERVAL);
		o->u.adv_interval = 1500;
		o = icmp6_add_opt(&m, NDOPT_PREFIX);
		o->u.prefix.plen = 64;
		o->u.prefix.flags = ND_PI_L | ND_PI_A;
		o->u.prefix.valid = 86400;
		o->u.prefix.preferred = 3600;
		o->u.prefix.prefix = A6("2001:db8:5::");
	}
	wbuf_init(&w, buf, cap);
	ATF_REQUIRE(icmp6_encode(&m, &w, 0, src, dst) == 0);
	ATF_REQUIRE(!w.err);
	return w.len;
}

ATF_TC_WITHOUT_HEAD(ra_decode_summary);
ATF_TC_BODY(ra_decode_summary, tc)
{
	struct in6_addr src = A6("fe80::5"), dst = A6("ff02::1");
	uint8_t buf[256];
	size_t n = build_ra(buf, sizeof buf, &src, &dst, true);
	struct md_ra r;
	const char *why;

	ATF_REQUIRE_EQ(md_ra_decode(buf, n, &src, &dst, 255, 3, &r, &why),
	    MD_RA_OK);
	ATF_CHECK_EQ(r.ifindex, 3);
	ATF_CHECK(memcmp(&r.router, &src, 16) == 0);
	ATF_CHECK_EQ(r.have_mac, 1);
	ATF_CHECK(memcmp(r.mac, "\x02\x00\x00\x00\x00\x05", 6) == 0);
	ATF_CHECK_EQ(r.flags & ND_RA_H, ND_RA_H);
	ATF_CHECK_EQ(r.lifetime, 1800);
	ATF_CHECK_EQ(r.interval_ms, 1500);
	ATF_REQUIRE_EQ(r.npfx, 1);
	ATF_CHECK_EQ(r.pfx[0].plen, 64);
	ATF_CHECK_EQ(r.pfx[0].valid, 86400);
	ATF_CHECK_EQ(r.pfx[0].preferred, 3600);
	ATF_CHECK_EQ(r.pfx[0].flags, ND_PI_L | ND_PI_A);
	{
		struct in6_addr p = A6("2001:db8:5::");

		ATF_CHECK(memcmp(&r.pfx[0].prefix, &p, 16) == 0);
	}
	/* no options: no MAC, no interval, no prefixes */
	n = build_ra(buf, sizeof buf, &src, &dst, false);
	ATF_REQUIRE_EQ(md_ra_decode(buf, n, &src, &dst, 255, 3, &r, &why),
	    MD_RA_OK);
	ATF_CHECK_EQ(r.have_mac, 0);
	ATF_CHECK_EQ(r.interval_ms, 0);
	ATF_CHECK_EQ(r.npfx, 0);
}

ATF_TC_WITHOUT_HEAD(ra_decode_malformed);
ATF_TC_BODY(ra_decode_malformed, tc)
{
	struct in6_addr src = A6("fe80::5"), dst = A6("ff02::1");
	struct in6_addr global = A6("2001:db8::5");
	uint8_t buf[256];
	size_t n = build_ra(buf, sizeof buf, &src, &dst, true);
	struct md_ra r;
	const char *why;

	/* RFC 4861 §6.1.2, each check on its own */
	ATF_CHECK_EQ(md_ra_decode(buf, n, &src, &dst, 254, 3, &r, &why),
	    MD_RA_MALFORMED);
	ATF_CHECK(why != NULL);
	ATF_CHECK_EQ(md_ra_decode(buf, n, &global, &dst, 255, 3, &r, &why),
	    MD_RA_MALFORMED);
	ATF_CHECK_STREQ(why, "source not link-local");
	ATF_CHECK_EQ(md_ra_decode(buf, 10, &src, &dst, 255, 3, &r, &why),
	    MD_RA_MALFORMED);
	buf[2] ^= 0xff;		/* checksum */
	ATF_CHECK_EQ(md_ra_decode(buf, n, &src, &dst, 255, 3, &r, &why),
	    MD_RA_MALFORMED);
	buf[2] ^= 0xff;
	buf[17] = 0;		/* first option's length 0 (checksum off
				   too, but the zero length is reported) */
	ATF_CHECK_EQ(md_ra_decode(buf, n, &src, &dst, 255, 3, &r, &why),
	    MD_RA_MALFORMED);
	buf[0] = ICMP6_T_NS;
	ATF_CHECK_EQ(md_ra_decode(buf, n, &src, &dst, 255, 3, &r, &why),
	    MD_RA_NOT_RA);
}

ATF_TC_WITHOUT_HEAD(rs_bytes);
ATF_TC_BODY(rs_bytes, tc)
{
	uint8_t buf[64];
	int n = md_rs_build(buf, sizeof buf);

	/* RFC 4861 §4.1: type 133, code 0, checksum (kernel's), reserved */
	ATF_REQUIRE_EQ(n, 8);
	ATF_CHECK_EQ(buf[0], 133);
	ATF_CHECK_EQ(buf[1], 0);
	ATF_CHECK(memcmp(buf + 4, "\0\0\0\0", 4) == 0);
	ATF_CHECK_EQ(md_rs_build(buf, 4), -1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, coa_by_preference);
	ATF_TP_ADD_TC(tp, stickiness);
	ATF_TP_ADD_TC(tp, optimistic_usable_at_once);
	ATF_TP_ADD_TC(tp, coa_lifetime);
	ATF_TP_ADD_TC(tp, reconf);
	ATF_TP_ADD_TC(tp, tentative_waits_for_dad);
	ATF_TP_ADD_TC(tp, ra_loss_after_n_intervals);
	ATF_TP_ADD_TC(tp, ra_loss_default_interval);
	ATF_TP_ADD_TC(tp, nud_failure);
	ATF_TP_ADD_TC(tp, nud_hold_down);
	ATF_TP_ADD_TC(tp, link_down_and_withdraw);
	ATF_TP_ADD_TC(tp, home_detection);
	ATF_TP_ADD_TC(tp, home_router_beside_foreign_router);
	ATF_TP_ADD_TC(tp, rs_retransmission);
	ATF_TP_ADD_TC(tp, status_json);
	ATF_TP_ADD_TC(tp, unmanaged_interface_ignored);
	ATF_TP_ADD_TC(tp, ra_decode_summary);
	ATF_TP_ADD_TC(tp, ra_decode_malformed);
	ATF_TP_ADD_TC(tp, rs_bytes);
	return atf_no_error();
}
