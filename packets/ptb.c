/*
 * ptb.c - the ICMPv6 Packet Too Big for a packet dropped as too big once
 * grown (RFC 4443 §3.2): what the home agent, mobile node and
 * correspondent daemons send when their eBPF plane reports one.
 */
#include <string.h>

#include "buf.h"
#include "ptb.h"

#define IP6_HDR_LEN	40
#define IP6_NH_OFF	6
#define IP6_SRC_OFF	8
#define NH_ICMPV6	58
#define ICMP6_ERROR_MAX	127	/* RFC 4443 §2.1: types 0-127 are errors */

int
ptb_quoted_addrs(const uint8_t *quote, size_t qlen, struct in6_addr *src,
    struct in6_addr *dst)
{
	struct rbuf b;

	rbuf_init(&b, quote, qlen);
	if ((rbuf_u8(&b) >> 4) != 6)
		return -1;
	rbuf_skip(&b, IP6_SRC_OFF - 1);
	rbuf_in6(&b, src);
	rbuf_in6(&b, dst);
	return b.err ? -1 : 0;
}

/*
 * RFC 4443 §2.4 (e): no error for an error, nor to a source that does
 * not name one node.  Only an ICMPv6 header right after the IPv6 header
 * is recognised; extension headers in front of one are not walked.
 */
static int
may_answer(const uint8_t *quote, size_t qlen, const struct in6_addr *to)
{
	static const struct in6_addr unspec;

	if (memcmp(to, &unspec, sizeof(*to)) == 0 || to->s6_addr[0] == 0xff)
		return 0;
	if (quote[IP6_NH_OFF] == NH_ICMPV6 && qlen > IP6_HDR_LEN &&
	    quote[IP6_HDR_LEN] <= ICMP6_ERROR_MAX)
		return 0;
	return 1;
}

int
ptb_build(struct pkt *tx, const struct in6_addr *src, uint32_t mtu,
    const uint8_t *quote, size_t qlen)
{
	struct in6_addr to, qdst;
	struct icmp6_msg *m;

	if (ptb_quoted_addrs(quote, qlen, &to, &qdst) < 0 ||
	    !may_answer(quote, qlen, &to))
		return -1;
	if (pkt_start_ipv6(tx, src, &to, PTB_HLIM) == NULL ||
	    (m = pkt_push_icmp6(tx, ICMP6_T_PKT_TOO_BIG, 0)) == NULL)
		return -1;
	m->u.mtu = mtu < PTB_MIN_MTU ? PTB_MIN_MTU : mtu;
	m->body_len = (uint16_t)(qlen < PTB_QUOTE_MAX ? qlen : PTB_QUOTE_MAX);
	memcpy(m->body, quote, m->body_len);
	return 0;
}
