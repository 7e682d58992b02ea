/*
 * stack/bpf/tests/dsmiptest.h - what the DSMIPv6 (RFC 5555) plane tests
 * share (dsmip_prog_test for had, dsmip_mn_test for mnd): the addresses
 * of the test network and hand-built frames (Ethernet, IPv4 with its
 * header checksum, UDP, IPv6, a payload, a BU / BA Mobility Header), so
 * that every header field the programs write can be compared.
 * Header-only.
 */
#ifndef MIP6_DSMIPTEST_H
#define MIP6_DSMIPTEST_H

#include <arpa/inet.h>
#include <atf-c.h>
#include <stdint.h>
#include <string.h>

#include "packets/tests/testutil.h"

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

#endif
