/*
 * cksum.c - Internet checksum and pseudo-headers (see cksum.h).
 */
#include <endian.h>
#include <netinet/in.h>
#include <string.h>

#include "cksum.h"

/*
 * Summing 32-bit big-endian words into a 64-bit accumulator and folding
 * gives the same one's-complement sum as 16-bit words (2^16 = 1 modulo
 * 0xffff, RFC 1071 §2(B)), at half the additions.
 */
uint32_t
cksum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	uint64_t s = sum;
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		uint32_t w;

		/* a copy, not a cast: packet bytes have no alignment */
		memcpy(&w, p + i, sizeof(w));
		s += be32toh(w);
	}
	if (i + 2 <= n) {
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
		i += 2;
	}
	if (i < n)
		s += (uint32_t)p[i] << 8;
	while (s >> 32)
		s = (s & 0xffffffff) + (s >> 32);
	/* fold to 16 bits so callers may keep adding 32-bit partial sums */
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

uint16_t
cksum_finish(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t
cksum_pseudo6(const struct in6_addr *src, const struct in6_addr *dst,
    uint32_t len, uint8_t nh)
{
	uint8_t tail[8] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16),
	    (uint8_t)(len >> 8), (uint8_t)len, 0, 0, 0, nh };
	uint32_t sum;

	sum = cksum_add(0, src->s6_addr, 16);
	sum = cksum_add(sum, dst->s6_addr, 16);
	return cksum_add(sum, tail, sizeof(tail));
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

/* Sum `p`, skipping the two checksum octets at cksum_off. */
static uint32_t
sum_skipping(uint32_t sum, const uint8_t *p, size_t len, size_t cksum_off)
{
	if (cksum_off + 2 > len)
		return cksum_add(sum, p, len);
	sum = cksum_add(sum, p, cksum_off);
	/* cksum_off is even in every header we handle, so pairs stay aligned */
	return cksum_add(sum, p + cksum_off + 2, len - cksum_off - 2);
}

uint16_t
cksum_upper6(const struct in6_addr *src, const struct in6_addr *dst,
    uint8_t nh, const uint8_t *p, size_t len, size_t cksum_off)
{
	uint32_t sum = cksum_pseudo6(src, dst, (uint32_t)len, nh);

	return cksum_finish(sum_skipping(sum, p, len, cksum_off));
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
