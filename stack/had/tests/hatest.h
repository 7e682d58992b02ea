/*
 * stack/had/tests/hatest.h - a fake struct ha_ops for the home agent's
 * unit tests: every packet sent is kept (interface and bytes) and decoded
 * back with pkt_decode, every ndp_watch request is kept, log lines go to
 * stderr.  Also builders for the packets a test feeds in: encode with the
 * packets/ library, then decode, so input looks like what the ring buffer
 * delivers (checksums and violations computed).  Header-only.
 */
#ifndef MIP6_HATEST_H
#define MIP6_HATEST_H

#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "packets/pkt.h"
#include "packets/tests/testutil.h"
#include "stack/had/ha_engine.h"

#define HT_MAXSENT	128
#define HT_MAXWATCH	64

struct ht_sent {
	unsigned	oif;
	uint8_t		bytes[1500];
	size_t		len;
};

struct ht_watch {
	struct in6_addr	target;
	uint32_t	flags;
};

struct ht_rec {
	size_t		nsent;
	struct ht_sent	sent[HT_MAXSENT];
	size_t		nwatch;
	struct ht_watch	watch[HT_MAXWATCH];
};

static struct ht_rec ht;

static inline void
ht_send(void *ctx, unsigned oif, const uint8_t *pkt, size_t len)
{
	struct ht_sent *s;

	(void)ctx;
	ATF_REQUIRE_MSG(ht.nsent < HT_MAXSENT, "too many packets sent");
	ATF_REQUIRE(len <= sizeof(s->bytes));
	s = &ht.sent[ht.nsent++];
	s->oif = oif;
	memcpy(s->bytes, pkt, len);
	s->len = len;
}

static inline void
ht_ndp_watch(void *ctx, const struct in6_addr *target, uint32_t flags)
{
	(void)ctx;
	ATF_REQUIRE(ht.nwatch < HT_MAXWATCH);
	ht.watch[ht.nwatch].target = *target;
	ht.watch[ht.nwatch].flags = flags;
	ht.nwatch++;
}

static inline void
ht_log(void *ctx, int prio, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "log<%d> %s\n", prio, msg);
}

static const struct ha_ops ht_ops = {
	.ctx = NULL,
	.send = ht_send,
	.ndp_watch = ht_ndp_watch,
	.log = ht_log,
};

static inline void
ht_clear(void)
{
	memset(&ht, 0, sizeof(ht));
}

/* Decode sent packet i (it must decode without a single violation). */
static inline void
ht_decode(size_t i, struct pkt *p)
{
	ATF_REQUIRE_MSG(i < ht.nsent, "packet %zu not sent (%zu sent)", i,
	    ht.nsent);
	ATF_REQUIRE_EQ(pkt_decode(p, PKT_LINK_IPV6, ht.sent[i].bytes,
	    ht.sent[i].len), 0);
	ATF_CHECK_EQ_MSG(p->viol.n, 0, "sent packet %zu has %zu violations",
	    i, p->viol.n);
	ATF_REQUIRE(p->has_icmp6);
}

/* The last flags ndp_watch was given for target; -1 if never. */
static inline long
ht_watch_flags(const char *target)
{
	struct in6_addr t = tu_in6(target);
	size_t i;

	for (i = ht.nwatch; i-- > 0;)
		if (memcmp(&ht.watch[i].target, &t, sizeof(t)) == 0)
			return (long)ht.watch[i].flags;
	return -1;
}

static inline void
ht_addr_eq(const struct in6_addr *got, const char *want)
{
	struct in6_addr w = tu_in6(want);
	char g[IN6_STRLEN];

	ATF_CHECK_MSG(memcmp(got, &w, sizeof(w)) == 0, "address %s, want %s",
	    in6_fmt(got, g), want);
}

/* Start an IPv6 + ICMPv6 packet to feed in. */
static inline struct icmp6_msg *
ht_build(struct pkt *p, const char *src, const char *dst, uint8_t hlim,
    uint8_t type, uint8_t code)
{
	struct hdr *h;

	pkt_init(p, PKT_LINK_IPV6);
	h = pkt_push(p, HDR_IPV6);
	h->u.ip6.src = tu_in6(src);
	h->u.ip6.dst = tu_in6(dst);
	h->u.ip6.hlim = hlim;
	return pkt_push_icmp6(p, type, code);
}

/*
 * Encode p and decode it into out, as the engine would receive it;
 * `corrupt` flips a bit of the ICMPv6 checksum first.
 */
static inline void
ht_wire(const struct pkt *p, struct pkt *out, bool corrupt)
{
	static uint8_t buf[1500];
	const struct hdr *icmp;
	size_t len;

	ATF_REQUIRE_EQ(pkt_encode(p, buf, sizeof(buf), &len), 0);
	pkt_decode(out, PKT_LINK_IPV6, buf, len);
	if (!corrupt)
		return;
	icmp = pkt_find(out, HDR_ICMP6);
	ATF_REQUIRE(icmp != NULL);
	buf[icmp->off + 2] ^= 0x01;
	pkt_decode(out, PKT_LINK_IPV6, buf, len);
	ATF_REQUIRE(viol_has(&out->viol, V_ICMP6_CHECKSUM));
}

#endif
