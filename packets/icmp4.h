/*
 * icmp4.h - the ICMPv4 Destination Unreachable, Fragmentation Needed and
 * DF Set (RFC 792 type 3 code 4, with the next-hop MTU of RFC 1191 §4)
 * a node sends for an IPv4 packet with DF it drops because, once
 * tunneled (DSMIPv6, RFC 5555), it no longer fits the link it leaves by.
 * Built from the first bytes of the dropped packet (the quote): it goes
 * back to the quoted packet's source.  Written straight to bytes: the
 * quote may be up to ICMP4_QUOTE_MAX octets, more than struct pkt's
 * ICMPv4 header keeps (ip4_icmp.c decodes, prints and encodes ICMPv4
 * inside struct pkt, for the conformance cases' echoes).
 */
#ifndef MIP6_PACKETS_ICMP4_H
#define MIP6_PACKETS_ICMP4_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define ICMP4_T_UNREACH		3
#define ICMP4_C_FRAG_NEEDED	4
#define ICMP4_TTL		64
#define ICMP4_MIN_MTU		68	/* RFC 791: every link carries 68 */
/* RFC 1812 §4.3.2.3: as much of the packet as keeps the error within
   576 octets (IPv4 header 20 + ICMP header 8). */
#define ICMP4_QUOTE_MAX		(576 - 20 - 8)
#define ICMP4_ERR_MAX		(576)

/*
 * Write the Fragmentation Needed from src to the quoted packet's source
 * into out (cap bytes, ICMP4_ERR_MAX are enough): IPv4 header with its
 * checksum, type 3 code 4, the next-hop MTU (never below ICMP4_MIN_MTU),
 * the first ICMP4_QUOTE_MAX bytes of the quote at most, ICMP checksum.
 * *len is the length written.  0, or -1 when no such error may go to
 * that packet: not IPv4 or cut inside its header, DF clear (RFC 1191 §4:
 * the router fragments it then), not the first fragment, an ICMP error
 * itself, or a source that names no single host (RFC 1122 §3.2.2).
 */
int	icmp4_frag_needed(uint8_t *out, size_t cap, size_t *len,
	    const struct in_addr *src, uint16_t mtu, const uint8_t *quote,
	    size_t qlen);

/* The source of the quoted IPv4 packet: 0, or -1 (not IPv4 or cut). */
int	icmp4_quoted_src(const uint8_t *quote, size_t qlen,
	    struct in_addr *src);

#endif
