/*
 * stack/bpf/tests/dsmiptest.h - what the DSMIPv6 (RFC 5555) plane tests
 * share (dsmip_prog_test for had, dsmip_mn_test for mnd): the addresses
 * of the test network, the veth pair m6a / m6b, hand-built frames
 * (Ethernet, IPv4 with its header checksum, UDP, IPv6, a payload, a BU /
 * BA Mobility Header, an IPv4 or IPv4/UDP tunnel header) so that every
 * header field the programs write can be compared, and the checks of a
 * stripped frame, the ring and the counters.  Each including program
 * defines dt_consume() and dt_counters() for its plane.  Header-only.
 */
#ifndef MIP6_DSMIPTEST_H
#define MIP6_DSMIPTEST_H

#include <arpa/inet.h>
#include <atf-c.h>
#include <net/if.h>
#include <stdint.h>
#include <string.h>

#include "packets/tests/testutil.h"
#include "stack/bpf/tests/planetest.h"

#define HA6	"2001:db8:1::1"
#define HA4	"192.0.2.1"
#define HOA6	"2001:db8:1::100"
#define HOA4	"192.0.2.100"
#define COA6	"2001:db8:2::100"
#define COA4	"203.0.113.100"		/* a NAT's public address */
#define OTHER4	"203.0.113.200"
#define CN6	"2001:db8:3::5"
#define CN4	"198.51.100.5"
#define NATPORT	40000
#define FRAME_MAX 2048

/* m6a's and m6b's MAC addresses (as veth_pair() sets them) and the
   peer's: the frames' other end on m6a. */
static const uint8_t mac_a[6] = { 2, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 2, 0, 0, 0, 0, 0x0b };
static const uint8_t mac_peer[6] = { 2, 0, 0, 0, 0, 0x99 };

/* The test process in a namespace of its own with the veth pair m6a /
   m6b up; their interface indexes. */
static inline void
veth_pair(unsigned *ifa, unsigned *ifb)
{
	pt_private_netns();
	pt_sh("ip link add m6a address 02:00:00:00:00:0a type veth "
	    "peer name m6b address 02:00:00:00:00:0b");
	pt_sh("ip link set m6a up && ip link set m6b up");
	*ifa = if_nametoindex("m6a");
	*ifb = if_nametoindex("m6b");
	ATF_REQUIRE(*ifa > 0 && *ifb > 0);
}

/* ------------------------------------------------------------- frames */

struct fb {
	uint8_t		b[FRAME_MAX];
	size_t		n;
};

static inline uint8_t *
put(struct fb *f, size_t len)
{
	uint8_t *p = f->b + f->n;

	ATF_REQUIRE(f->n + len <= sizeof f->b);
	memset(p, 0, len);
	f->n += len;
	return p;
}

static inline void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void
eth(struct fb *f, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	uint8_t *p = put(f, 14);

	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	put16(p + 12, type);
}

/* RFC 1071 over a 20-octet header. */
static inline uint16_t
csum4(const uint8_t *h)
{
	uint32_t s = 0;
	int i;

	for (i = 0; i < 20; i += 2)
		s += get16(h + i);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static inline uint8_t *
ip4(struct fb *f, const char *src, const char *dst, uint8_t proto,
    uint8_t ttl, uint16_t frag, size_t plen)
{
	uint8_t *p = put(f, 20);
	struct in_addr s = tu_in4(src), d = tu_in4(dst);

	p[0] = 0x45;
	put16(p + 2, (uint16_t)(20 + plen));
	put16(p + 6, frag);
	p[8] = ttl;
	p[9] = proto;
	memcpy(p + 12, &s, 4);
	memcpy(p + 16, &d, 4);
	put16(p + 10, csum4(p));
	return p;
}

static inline void
udp(struct fb *f, uint16_t sport, uint16_t dport, size_t plen)
{
	uint8_t *p = put(f, 8);

	put16(p, sport);
	put16(p + 2, dport);
	put16(p + 4, (uint16_t)(8 + plen));
}

/* The IPv4 header at h with TTL ttl and its checksum recomputed (what a
   forwarding hop writes). */
static inline void
set_ttl4(uint8_t *h, uint8_t ttl)
{
	h[8] = ttl;
	put16(h + 10, 0);
	put16(h + 10, csum4(h));
}

/* An IPv4 tunnel's outer headers: protocol proto, or with udp set UDP
   (protocol 17, checksum 0) from sport to dport. */
struct tun4 {
	const char	*src, *dst;
	int		udp;
	uint8_t		proto;
	uint16_t	sport, dport;
	uint8_t		ttl;
	uint16_t	frag;
};

/* t's headers around the len octets at payload, appended to f. */
static inline void
tun4(struct fb *f, const struct tun4 *t, const uint8_t *payload,
    size_t len)
{
	ip4(f, t->src, t->dst, t->udp ? 17 : t->proto, t->ttl, t->frag,
	    len + (t->udp ? 8 : 0));
	if (t->udp)
		udp(f, t->sport, t->dport, len);
	memcpy(put(f, len), payload, len);
}

static inline uint8_t *
ip6(struct fb *f, const char *src, const char *dst, uint8_t nh,
    uint8_t hlim, size_t plen)
{
	uint8_t *p = put(f, 40);

	p[0] = 0x60;
	put16(p + 4, (uint16_t)plen);
	p[6] = nh;
	p[7] = hlim;
	memcpy(p + 8, tu_in6(src).s6_addr, 16);
	memcpy(p + 24, tu_in6(dst).s6_addr, 16);
	return p;
}

static inline void
body(struct fb *f, size_t len)
{
	uint8_t *p = put(f, len);
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + 1);
}

/* Inner packets: an IPv4 UDP datagram CN4 > HOA4 (or the reverse), an
   IPv6 echo-ish payload, a BU (Mobility Header, 16 octets). */
#define DATA_LEN	48
static inline void
inner4(struct fb *f, const char *src, const char *dst, uint8_t ttl,
    uint16_t frag, size_t blen)
{
	ip4(f, src, dst, 17, ttl, frag, 8 + blen);
	udp(f, 5000, 6000, blen);
	body(f, blen);
}

static inline void
inner6(struct fb *f, const char *src, const char *dst, uint8_t nh,
    uint8_t hlim)
{
	ip6(f, src, dst, nh, hlim, DATA_LEN);
	body(f, DATA_LEN);
	if (nh == 135) {	/* a BU: Payload Proto 59, length 1, type 5 */
		uint8_t *mh = f->b + f->n - DATA_LEN;

		mh[0] = 59;
		mh[1] = (DATA_LEN / 8) - 1;
		mh[2] = 5;
	}
}

/* ------------------------------------------------------------- checks */

/* The including program's plane: its ring drained into r (the
   consumer's answer), its counters. */
static int	dt_consume(struct pt_recs *r);
static void	dt_counters(uint64_t got[M6C_MAX]);

static inline void
out_is(const char *what, const struct pt_run *r, const struct fb *want)
{
	tu_bytes_eq(what, r->out, r->outlen, want->b, want->n);
}

/* The output is the len octets at inner behind an Ethernet header
   mac_a < mac_peer of type type: a tunnel stripped on m6a. */
static inline void
stripped_is(const char *what, const struct pt_run *r, uint16_t type,
    const uint8_t *inner, size_t len)
{
	struct fb want = { .n = 0 };

	eth(&want, mac_a, mac_peer, type);
	memcpy(put(&want, len), inner, len);
	out_is(what, r, &want);
}

static inline void
ring(struct pt_recs *r)
{
	memset(r, 0, sizeof *r);
	pt_consumed(r, dt_consume(r));
}

static inline void
no_record(void)
{
	struct pt_recs r;

	ring(&r);
	ATF_CHECK_EQ_MSG(r.n, 0, "%zu unexpected ring records", r.n);
}

static inline void
counters(const struct pt_cnt *want, size_t n)
{
	uint64_t got[M6C_MAX];

	dt_counters(got);
	pt_counters_match(got, want, n);
}
#define COUNTERS(...)							\
	counters((const struct pt_cnt[]){ __VA_ARGS__ },		\
	    sizeof((const struct pt_cnt[]){ __VA_ARGS__ }) /		\
	    sizeof(struct pt_cnt))

/* What a bind4 / hoa4 foreach saw (the first four entries). */
struct seen4 {
	size_t		n;
	struct in_addr	pfx[4];
	unsigned	plen[4];
	struct in6_addr	hoa[4];
};

static inline int
see4(void *arg, const struct in_addr *pfx, unsigned plen,
    const struct in6_addr *hoa)
{
	struct seen4 *s = arg;

	if (s->n < 4) {
		s->pfx[s->n] = *pfx;
		s->plen[s->n] = plen;
		s->hoa[s->n] = *hoa;
	}
	s->n++;
	return 0;
}

#endif
