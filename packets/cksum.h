/*
 * cksum.h - Internet checksum (RFC 1071) and the IPv6 and IPv4
 * pseudo-headers used by the Mobility Header, ICMPv6 and UDP.
 *
 * Which addresses go into the IPv6 pseudo-header is the caller's decision:
 * RFC 6275 §6.1.1 and §11.3.1 say the source is the home address from a
 * Home Address option when one is present, and RFC 2460 §8.1 says the
 * destination is the final destination (for a Type 2 Routing Header, the
 * home address it carries).  pkt.c applies those rules.
 */
#ifndef MIP6_PACKETS_CKSUM_H
#define MIP6_PACKETS_CKSUM_H

#include <stddef.h>
#include <stdint.h>

struct in6_addr;
struct in_addr;

/* Running one's-complement sum; fold with cksum_finish(). */
uint32_t	cksum_add(uint32_t sum, const uint8_t *, size_t);
uint16_t	cksum_finish(uint32_t sum);

uint32_t	cksum_pseudo6(const struct in6_addr *src,
		    const struct in6_addr *dst, uint32_t len, uint8_t nh);
uint32_t	cksum_pseudo4(const struct in_addr *src,
		    const struct in_addr *dst, uint16_t len, uint8_t proto);

/*
 * The checksum to store for an upper-layer message of `len` bytes at `p`,
 * whose checksum field (at `cksum_off`) is treated as zero.
 */
uint16_t	cksum_upper6(const struct in6_addr *src,
		    const struct in6_addr *dst, uint8_t nh, const uint8_t *p,
		    size_t len, size_t cksum_off);
uint16_t	cksum_upper4(const struct in_addr *src,
		    const struct in_addr *dst, uint8_t proto, const uint8_t *p,
		    size_t len, size_t cksum_off);
/* Plain checksum over a header (IPv4 header checksum). */
uint16_t	cksum_plain(const uint8_t *, size_t len, size_t cksum_off);

#endif
