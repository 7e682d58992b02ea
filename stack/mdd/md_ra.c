/*
 * stack/mdd/md_ra.c - Router Advertisement to summary (md_ra.h), and the
 * Router Solicitation mdd sends on link up.
 */
#include <string.h>

#include "packets/buf.h"
#include "packets/icmp6.h"
#include "packets/viol.h"
#include "stack/mdd/md_ra.h"

#define RA_FIXED_LEN	16	/* RFC 4861 §4.2: header + fixed fields */

/*
 * RFC 4861 §6.1.2: an RA is silently discarded unless its source is
 * link-local, its hop limit 255, its checksum right, its code 0, it is
 * 16 octets or more and every option has a non-zero length within the
 * message.  packets/ records each of those as an error-severity violation.
 */
static const char *
ra_invalid(const struct icmp6_msg *m, const struct viol_list *vl,
    const struct in6_addr *src)
{
	if (!IN6_IS_ADDR_LINKLOCAL(src))
		return "source not link-local";
	if (m->len < RA_FIXED_LEN)
		return "shorter than 16 octets";
	for (size_t i = 0; i < vl->n; i++)
		if (viol_severity(vl->v[i].code) == VS_ERROR)
			return viol_name(vl->v[i].code);
	return NULL;
}

static void
take_prefixes(const struct icmp6_msg *m, struct md_ra *out)
{
	for (size_t i = 0; i < m->nopts && out->npfx < MD_RA_PFX_MAX; i++) {
		const struct nd_opt *o = &m->opts[i];

		/* RFC 4861 §6.3.4: link-local prefixes are ignored. */
		if (o->type != NDOPT_PREFIX || o->u.prefix.plen > 128 ||
		    IN6_IS_ADDR_LINKLOCAL(&o->u.prefix.prefix))
			continue;
		out->pfx[out->npfx].prefix = o->u.prefix.prefix;
		out->pfx[out->npfx].plen = o->u.prefix.plen;
		out->pfx[out->npfx].flags = o->u.prefix.flags;
		out->pfx[out->npfx].valid = o->u.prefix.valid;
		out->pfx[out->npfx].preferred = o->u.prefix.preferred;
		out->npfx++;
	}
}

enum md_ra_result
md_ra_decode(const uint8_t *buf, size_t len, const struct in6_addr *src,
    const struct in6_addr *dst, int hop_limit, unsigned ifindex,
    struct md_ra *out, const char **why)
{
	static struct icmp6_msg m;	/* large: not on the stack */
	const struct nd_opt *o;
	struct viol_list vl;
	struct rbuf rb;

	*why = NULL;
	if (len < 1 || buf[0] != ICMP6_T_RA)
		return MD_RA_NOT_RA;
	viol_init(&vl);
	rbuf_init(&rb, buf, len);
	if (icmp6_decode(&m, &rb, 0, src, dst, hop_limit, &vl) < 0) {
		*why = "truncated";
		return MD_RA_MALFORMED;
	}
	*why = ra_invalid(&m, &vl, src);
	if (*why != NULL)
		return MD_RA_MALFORMED;
	memset(out, 0, sizeof *out);
	out->ifindex = ifindex;
	out->router = *src;
	out->flags = m.u.ra.flags;
	out->lifetime = m.u.ra.lifetime;
	if ((o = icmp6_find_opt(&m, NDOPT_SLLA)) != NULL) {
		memcpy(out->mac, o->u.lladdr, 6);
		out->have_mac = 1;
	}
	/* RFC 6275 §7.3: the router's MaxRtrAdvInterval, in ms. */
	if ((o = icmp6_find_opt(&m, NDOPT_ADV_INTERVAL)) != NULL)
		out->interval_ms = o->u.adv_interval;
	take_prefixes(&m, out);
	return MD_RA_OK;
}

int
md_rs_build(uint8_t *buf, size_t cap)
{
	struct icmp6_msg m;
	struct wbuf w;

	icmp6_init(&m, ICMP6_T_RS, 0);
	wbuf_init(&w, buf, cap);
	/* The kernel computes the checksum of a raw ICMPv6 socket's
	   messages (RFC 3542 §3.1), so no pseudo-header here. */
	if (icmp6_encode(&m, &w, 0, NULL, NULL) < 0 || w.err)
		return -1;
	return (int)w.len;
}
