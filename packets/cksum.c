/*
 * cksum.c - Internet checksum and pseudo-headers (see cksum.h).
 */
#include <netinet/in.h>
#include <string.h>

#include "cksum.h"

/*
 * The sum is taken over 64-bit words in host byte order, with the carries
 * added back, and folded to 16 bits only at the end: the one's-complement
 * sum does not depend on the byte order of its words (RFC 1071 §2(A), the
 * result is simply byte-swapped) and 2^16 = 1 modulo 0xffff (§2(B)), so
 * this is the sum of the 16-bit network-order words at a fraction of the
 * additions.  The sum is zero only when every octet is, as with 16-bit
 * words, so folded results are the same values, 0 and 0xffff included.
 * Partial sums cross the API in network order, folded to 16 bits.
 */

/* acc + w with the carry out of bit 63 added back (end-around carry). */
static inline uint64_t
add_carry(uint64_t acc, uint64_t w)
{
	acc += w;
	return acc + (acc < w);
}

/* Add n octets at p, host-order words; p starts a 16-bit word. */
static uint64_t
acc_bytes(uint64_t acc, const uint8_t *p, size_t n)
{
	uint64_t w = 0;
	uint32_t w4;
	uint16_t w2;

	for (; n >= 8; p += 8, n -= 8) {
		/* a copy, not a cast: packet bytes have no alignment */
		memcpy(&w, p, sizeof(w));
		acc = add_carry(acc, w);
	}
	if (n >= 4) {
		memcpy(&w4, p, sizeof(w4));
		acc = add_carry(acc, w4);
		p += 4;
		n -= 4;
	}
	if (n >= 2) {
		memcpy(&w2, p, sizeof(w2));
		acc = add_carry(acc, w2);
		p += 2;
		n -= 2;
	}
	if (n > 0) {
		/* the odd octet is the first of a word, the other one zero */
		uint8_t last[2] = { p[0], 0 };

		memcpy(&w2, last, sizeof(w2));
		acc = add_carry(acc, w2);
	}
	return acc;
}

/* 16 bits, host order to network order and back (the same swap). */
static inline uint32_t
swap16(uint32_t v)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap16((uint16_t)v);
#else
	return v;
#endif
}

/* Fold a 64-bit host-order sum to 16 bits, in network order. */
static uint32_t
fold(uint64_t acc)
{
	acc = (acc & 0xffffffff) + (acc >> 32);
	acc = (acc & 0xffffffff) + (acc >> 32);
	acc = (acc & 0xffff) + (acc >> 16);
	acc = (acc & 0xffff) + (acc >> 16);
	acc = (acc & 0xffff) + (acc >> 16);
	return swap16((uint32_t)acc);
}

/* A network-order partial sum (any 32-bit value) as a host-order one. */
static uint64_t
unfold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return swap16(sum);
}

uint32_t
cksum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	return fold(acc_bytes(unfold(sum), p, n));
}

uint16_t
cksum_finish(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The IPv6 pseudo-header (RFC 8200 §8.1), host order, not folded. */
static uint64_t
acc_pseudo6(const struct in6_addr *src, const struct in6_addr *dst,
    uint32_t len, uint8_t nh)
{
	uint8_t tail[8] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16),
	    (uint8_t)(len >> 8), (uint8_t)len, 0, 0, 0, nh };
	uint64_t acc;

	acc = acc_bytes(0, src->s6_addr, 16);
	acc = acc_bytes(acc, dst->s6_addr, 16);
	return acc_bytes(acc, tail, sizeof(tail));
}

uint32_t
cksum_pseudo6(const struct in6_addr *src, const struct in6_addr *dst,
    uint32_t len, uint8_t nh)
{
	return fold(acc_pseudo6(src, dst, len, nh));
}

uint32_t
cksum_pseudo4(const struct in_addr *src, const struct in_addr *dst,
    uint16_t len, uint8_t proto)
{
	uint8_t ph[12];

	memcpy(ph, &src->s_addr, 4);
	memcpy(ph + 4, &dst->s_addr, 4);
	ph[8] = 0;
	ph[9] = proto;
	ph[10] = (uint8_t)(len >> 8);
	ph[11] = (uint8_t)len;
	return cksum_add(0, ph, sizeof(ph));
}

/* Add `p`, skipping the two checksum octets at cksum_off. */
static uint64_t
acc_skipping(uint64_t acc, const uint8_t *p, size_t len, size_t cksum_off)
{
	if (cksum_off + 2 > len)
		return acc_bytes(acc, p, len);
	acc = acc_bytes(acc, p, cksum_off);
	/* cksum_off is even in every header we handle, so pairs stay aligned */
	return acc_bytes(acc, p + cksum_off + 2, len - cksum_off - 2);
}

static uint32_t
sum_skipping(uint32_t sum, const uint8_t *p, size_t len, size_t cksum_off)
{
	return fold(acc_skipping(unfold(sum), p, len, cksum_off));
}

/* One pass, one fold: the checksum of every MH, ICMPv6 and UDP packet. */
uint16_t
cksum_upper6(const struct in6_addr *src, const struct in6_addr *dst,
    uint8_t nh, const uint8_t *p, size_t len, size_t cksum_off)
{
	uint64_t acc = acc_pseudo6(src, dst, (uint32_t)len, nh);

	return cksum_finish(fold(acc_skipping(acc, p, len, cksum_off)));
}

uint16_t
cksum_upper4(const struct in_addr *src, const struct in_addr *dst,
    uint8_t proto, const uint8_t *p, size_t len, size_t cksum_off)
{
	uint32_t sum = cksum_pseudo4(src, dst, (uint16_t)len, proto);

	return cksum_finish(sum_skipping(sum, p, len, cksum_off));
}

uint16_t
cksum_plain(const uint8_t *p, size_t len, size_t cksum_off)
{
	return cksum_finish(sum_skipping(0, p, len, cksum_off));
}
