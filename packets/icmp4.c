/*
 * icmp4.c - the ICMPv4 Fragmentation Needed (RFC 792, RFC 1191 §4) for
 * an IPv4 packet with DF dropped as too big once tunneled: what the home
 * agent sends when its eBPF plane reports one (DSMIPv6, RFC 5555).
 */
#include <string.h>

#include "buf.h"
#include "cksum.h"
#include "icmp4.h"

#define IP4_HDR_MIN	20
#define IP4_FRAG_OFF	6
#define IP4_PROTO_OFF	9
#define IP4_CKSUM_OFF	10
#define IP4_SRC_OFF	12
#define IP4_DF		0x4000
#define IP4_OFFMASK	0x1fff
#define PROTO_ICMP	1
#define ICMP4_HDR	8
#define ICMP4_CKSUM_OFF	2

/* RFC 792: the ICMP types that are not errors (answers and requests). */
static int
icmp4_is_query(uint8_t type)
{
	return type == 0 || type == 8 || type == 9 || type == 10 ||
	    (type >= 13 && type <= 18);
}

/* The quoted header's length (IHL * 4), 0 when it is not IPv4 or cut. */
static size_t
quoted_ihl(const uint8_t *quote, size_t qlen)
{
	size_t ihl;

	if (qlen < IP4_HDR_MIN || (quote[0] >> 4) != 4)
		return 0;
	ihl = (size_t)(quote[0] & 0x0f) * 4;
	return ihl >= IP4_HDR_MIN && ihl <= qlen ? ihl : 0;
}

int
icmp4_quoted_src(const uint8_t *quote, size_t qlen, struct in_addr *src)
{
	if (quoted_ihl(quote, qlen) == 0)
		return -1;
	memcpy(&src->s_addr, quote + IP4_SRC_OFF, 4);
	return 0;
}

/* RFC 1122 §3.2.2: 0.0.0.0, 127/8, class D and E, broadcast: no error. */
static int
one_host(const struct in_addr *a)
{
	uint32_t h = ntohl(a->s_addr);

	return h != 0 && (h >> 24) != 127 && (h >> 28) < 0xe;
}

/* May this quoted packet get a Fragmentation Needed at all? */
static int
may_answer(const uint8_t *quote, size_t qlen, size_t ihl)
{
	struct in_addr src;
	uint16_t frag = (uint16_t)(quote[IP4_FRAG_OFF] << 8 |
	    quote[IP4_FRAG_OFF + 1]);

	/* RFC 1191 §4: only a packet the router may not fragment */
	if ((frag & IP4_DF) == 0)
		return 0;
	/* RFC 1122 §3.2.2: nothing about a fragment other than the first */
	if ((frag & IP4_OFFMASK) != 0)
		return 0;
	/* RFC 1122 §3.2.2: nothing about an ICMP error */
	if (quote[IP4_PROTO_OFF] == PROTO_ICMP &&
	    (qlen <= ihl || !icmp4_is_query(quote[ihl])))
		return 0;
	memcpy(&src.s_addr, quote + IP4_SRC_OFF, 4);
	return one_host(&src);
}

int
icmp4_frag_needed(uint8_t *out, size_t cap, size_t *len,
    const struct in_addr *src, uint16_t mtu, const uint8_t *quote,
    size_t qlen)
{
	size_t ihl = quoted_ihl(quote, qlen), body;
	struct in_addr to;
	struct wbuf w;

	if (ihl == 0 || !may_answer(quote, qlen, ihl))
		return -1;
	memcpy(&to.s_addr, quote + IP4_SRC_OFF, 4);
	body = qlen < ICMP4_QUOTE_MAX ? qlen : ICMP4_QUOTE_MAX;
	wbuf_init(&w, out, cap);
	wbuf_u8(&w, 0x45);
	wbuf_u8(&w, 0);					/* TOS */
	wbuf_u16(&w, (uint16_t)(IP4_HDR_MIN + ICMP4_HDR + body));
	wbuf_u32(&w, 0);				/* id, no DF */
	wbuf_u8(&w, ICMP4_TTL);
	wbuf_u8(&w, PROTO_ICMP);
	wbuf_u16(&w, 0);				/* checksum */
	wbuf_in4(&w, src);
	wbuf_in4(&w, &to);
	wbuf_u8(&w, ICMP4_T_UNREACH);
	wbuf_u8(&w, ICMP4_C_FRAG_NEEDED);
	wbuf_u16(&w, 0);				/* checksum */
	wbuf_u16(&w, 0);				/* unused */
	/* RFC 1191 §4: the MTU of the next-hop network */
	wbuf_u16(&w, mtu < ICMP4_MIN_MTU ? ICMP4_MIN_MTU : mtu);
	wbuf_bytes(&w, quote, body);
	if (w.err)
		return -1;
	wbuf_set_u16(&w, IP4_CKSUM_OFF, cksum_plain(out, IP4_HDR_MIN,
	    IP4_CKSUM_OFF));
	wbuf_set_u16(&w, IP4_HDR_MIN + ICMP4_CKSUM_OFF, cksum_plain(out +
	    IP4_HDR_MIN, ICMP4_HDR + body, ICMP4_CKSUM_OFF));
	*len = w.len;
	return 0;
}
