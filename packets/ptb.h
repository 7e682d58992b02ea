/*
 * ptb.h - the ICMPv6 Packet Too Big (RFC 4443 §3.2) a node sends for a
 * packet it drops because, once it has added a header (a tunnel header,
 * a Home Address option, a Type 2 Routing header), the packet no longer
 * fits the link it leaves by.  Built from the first bytes of the dropped
 * packet (the quote): it goes back to the quoted packet's source.
 */
#ifndef MIP6_PACKETS_PTB_H
#define MIP6_PACKETS_PTB_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "pkt.h"

#define PTB_MIN_MTU	1280	/* RFC 8200 §5 */
#define PTB_HLIM	64
/* RFC 4443 §2.4 (c): as much of the invoking packet as keeps the error
   within the minimum MTU (IPv6 header 40 + ICMPv6 header 8). */
#define PTB_QUOTE_MAX	(PTB_MIN_MTU - 40 - 8)

/*
 * The source and destination of the quoted IPv6 packet.  0, or -1 when
 * the bytes do not start with an IPv6 header.
 */
int	ptb_quoted_addrs(const uint8_t *quote, size_t qlen,
	    struct in6_addr *src, struct in6_addr *dst);

/*
 * Start tx with the Packet Too Big from src to the quoted packet's
 * source: code 0, the MTU (never below PTB_MIN_MTU, RFC 8200 §5), the
 * first PTB_QUOTE_MAX bytes of the quote at most.  Encode it with
 * pkt_encode (which computes the checksum).  0, or -1 when no error may
 * go to that packet (RFC 4443 §2.4 (e): its source is unspecified or
 * multicast, or it is an ICMPv6 error itself) or the quote is not IPv6.
 */
int	ptb_build(struct pkt *tx, const struct in6_addr *src, uint32_t mtu,
	    const uint8_t *quote, size_t qlen);

#endif
