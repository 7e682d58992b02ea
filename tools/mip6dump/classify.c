/*
 * classify.c - which packets mip6dump prints by default: the "mobility
 * packets".  A packet is one when anywhere in its header stack it has
 *   - a Mobility Header (RFC 6275 §6.1),
 *   - a Home Address option or a Type 2 Routing header (§6.3, §6.4),
 *   - UDP port 4191, the DSMIPv6 encapsulation (RFC 5555),
 *   - an ICMPv6 DHAAD or Mobile Prefix message (types 144-147, §6.5-6.8),
 *   - an RA with the Home Agent (H) flag, an Advertisement Interval or a
 *     Home Agent Information option (§7.1, §7.3, §7.4),
 *   - an ICMPv6 error whose invoking packet is one of the first two kinds.
 * Nothing here reads packet bytes: it looks at what pkt_decode() filled
 * in, and hands an error's invoking packet back to pkt_decode().
 */
#include "packets/icmp6.h"
#include "packets/pkt.h"
#include "mip6dump.h"

/* The invoking packet of an ICMPv6 error, decoded on the side. */
static struct pkt invoking;

static bool
has_dsmip_udp(const struct pkt *p)
{
	size_t i;

	for (i = 0; i < p->nhdr; i++)
		if (p->h[i].kind == HDR_UDP &&
		    (p->h[i].u.udp.sport == DSMIP_UDP_PORT ||
		    p->h[i].u.udp.dport == DSMIP_UDP_PORT))
			return true;
	return false;
}

/* The Next Header value that follows the last header decoded. */
static int
last_next_header(const struct pkt *p)
{
	return p->nhdr > 0 ? hdr_next_proto(&p->h[p->nhdr - 1]) : -1;
}

/*
 * An error quotes as much of the invoking packet as fits (RFC 4443 §2.4),
 * so the MH may be cut: a Next Header of 135 is enough.
 */
static bool
invoking_is_mobility(const struct icmp6_msg *m)
{
	pkt_decode(&invoking, PKT_LINK_IPV6, m->body, m->body_len);
	return invoking.has_mh || pkt_hao(&invoking) != NULL ||
	    pkt_rh2(&invoking) != NULL ||
	    last_next_header(&invoking) == IPPROTO_MH_;
}

static bool
ra_is_mobility(const struct icmp6_msg *m)
{
	return (m->u.ra.flags & ND_RA_H) != 0 ||
	    icmp6_find_opt(m, NDOPT_ADV_INTERVAL) != NULL ||
	    icmp6_find_opt(m, NDOPT_HA_INFO) != NULL;
}

static bool
icmp6_is_mobility(const struct icmp6_msg *m)
{
	switch (m->type) {
	case ICMP6_T_DHAAD_REQUEST:
	case ICMP6_T_DHAAD_REPLY:
	case ICMP6_T_MPS:
	case ICMP6_T_MPA:
		return true;
	case ICMP6_T_RA:
		return ra_is_mobility(m);
	case ICMP6_T_DST_UNREACH:
	case ICMP6_T_PKT_TOO_BIG:
	case ICMP6_T_TIME_EXCEEDED:
	case ICMP6_T_PARAM_PROB:
		return invoking_is_mobility(m);
	default:
		return false;
	}
}

bool
is_mobility(const struct pkt *p)
{
	if (p->has_mh || pkt_hao(p) != NULL || pkt_rh2(p) != NULL ||
	    has_dsmip_udp(p))
		return true;
	return p->has_icmp6 && icmp6_is_mobility(&p->icmp6);
}
