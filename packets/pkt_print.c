/*
 * pkt_print.c - the whole-packet printers: short (one line), verbose (one
 * block per header), JSON, and the violation list.
 *
 * Short form grammar (no trailing newline; the link layer is not shown):
 *
 *   line    := layer
 *   layer   := ip6 | ip4 | arp | "ethertype 0xNNNN len N" | "[|truncated]"
 *   arp     := "ARP op=" ("request" | "reply" | N) " sha=" MAC " spa=" A
 *              " tha=" MAC " tpa=" A   -- RFC 826, Ethernet/IPv4; the
 *              items are those of the case language's arp line
 *   ip6     := SRC " > " DST ": " exts upper
 *   ip4     := "IP " SRC " > " DST ": " exts [frag4] upper
 *   encap   := (ip6addr | "IP " ip4addr) with ".PORT" after each address,
 *              then " " exts "UDP" (" | " layer | " empty" | " data N")
 *              -- UDP to or from port 4191 (RFC 5555 §4.1), e.g.
 *              "IP 192.0.2.10.5000 > 198.51.100.1.4191 UDP | 2001:db8:1::100
 *               > 2001:db8:1::1: BU seq=..."
 *   exts    := { ext " " }     -- every extension header except the
 *              Destination Options header holding only padding and a Home
 *              Address option, and a well-formed Type 2 Routing header:
 *              those two are shown by the upper layer as hoa= / rh2=
 *   ext     := "HBH" | "DSTOPT" | "RH type=N segleft=N"
 *            | "frag id=0xNNNNNNNN off=N[ M]" | "AH spi=0xNNNNNNNN seq=N"
 *            | "ESP spi=0xNNNNNNNN seq=N"  -- opened with the decoder's SA
 *              (pkt_decode_keys): the upper layer is its plaintext
 *   frag4   := "frag off=N[ MF] "
 *   upper   := mh                     -- mh_print_short(), hoa=/rh2= inside
 *            | icmp6 [" hoa=" A] [" rh2=" A]   -- icmp6_print_short()
 *            | "udp " SPORT " > " DPORT " len " N [hoa/rh2]  (N: payload)
 *            | "IP6 | " layer | "IP | " layer     -- IP-in-IP
 *            | "ESP spi=0xNNNNNNNN seq=N[ len N]"
 *            | PROTO " " N [hoa/rh2]  -- e.g. "tcp 40"; PROTO from
 *              ip_proto_name(), or "proto-N" when it has none
 *            | "[|" PROTO "]"         -- the chain ends inside that header
 *
 * Offsets and lengths are decimal octets; fragment offsets in octets.
 */
#include <stdio.h>
#include <string.h>

#include "pkt_impl.h"
#include "sbuf.h"

static bool
is_ip(const struct hdr *h)
{
	return h->kind == HDR_IPV4 || h->kind == HDR_IPV6;
}

static bool
is_ext(const struct hdr *h)
{
	return h->kind == HDR_HBH || h->kind == HDR_DSTOPT ||
	    h->kind == HDR_RH || h->kind == HDR_FRAG || h->kind == HDR_AH ||
	    (h->kind == HDR_ESP && h->u.ipsec.opened);
}

static bool
is_encap_udp(const struct hdr *h)
{
	return h->kind == HDR_UDP && (h->u.udp.sport == DSMIP_UDP_PORT ||
	    h->u.udp.dport == DSMIP_UDP_PORT);
}

static void
put_hex32(struct sbuf *sb, uint32_t v)
{
	static const char hex[] = "0123456789abcdef";
	char s[10] = { '0', 'x' };
	int i;

	for (i = 0; i < 8; i++)
		s[2 + i] = hex[(v >> (28 - 4 * i)) & 0xf];
	sbuf_putn(sb, s, sizeof(s));
}

static void
put_proto(struct sbuf *sb, uint8_t proto)
{
	const char *n = ip_proto_name(proto);

	if (strcmp(n, "unknown") == 0) {
		sbuf_puts(sb, "proto-");
		sbuf_uint(sb, proto);
	} else
		sbuf_puts(sb, n);
}

/* The next-header value the last header of a chain announces. */
static uint8_t
announced_proto(const struct hdr *h)
{
	int nh = hdr_next_proto(h);

	return nh >= 0 ? (uint8_t)nh : PROTO_NONE;
}

/* A Destination Options header with nothing but padding and one HAO. */
static bool
dstopt_is_hao_only(const struct hdr_opts *o)
{
	size_t i, n = o->ntlv < IP6_TLV_MAX ? o->ntlv : IP6_TLV_MAX;

	if (opts_hao(o) == NULL)
		return false;
	for (i = 0; i < n; i++)
		if (o->tlv[i].type != 0 && o->tlv[i].type != 1 &&
		    o->tlv[i].type != IP6_HAO_TYPE)
			return false;
	return true;
}

static bool
rh_is_rh2(const struct hdr_rh *rh)
{
	return rh->type == 2 && (rh->data_len == 0 || rh->data_len >= 20);
}

/* One IP packet's extension headers: tokens, HAO and RH2. */
struct chain {
	size_t			 ip, upper;	/* upper may be nhdr */
	const struct in6_addr	*hao, *rh2;
};

static void
chain_scan(const struct pkt *p, size_t i, struct chain *c)
{
	const struct hdr *h;
	size_t j;

	c->ip = i;
	c->hao = c->rh2 = NULL;
	for (j = i + 1; j < p->nhdr && is_ext(&p->h[j]); j++) {
		h = &p->h[j];
		if (h->kind == HDR_DSTOPT && c->hao == NULL)
			c->hao = opts_hao(&h->u.opts);
		else if (h->kind == HDR_RH && c->rh2 == NULL &&
		    rh_is_rh2(&h->u.rh))
			c->rh2 = &h->u.rh.addr;
	}
	c->upper = j;
}

static void
short_exts(struct sbuf *sb, const struct pkt *p, const struct chain *c)
{
	const struct hdr *h;
	size_t j;

	for (j = c->ip + 1; j < c->upper; j++) {
		h = &p->h[j];
		switch (h->kind) {
		case HDR_HBH:
			sbuf_puts(sb, "HBH ");
			break;
		case HDR_DSTOPT:
			if (!dstopt_is_hao_only(&h->u.opts))
				sbuf_puts(sb, "DSTOPT ");
			break;
		case HDR_RH:
			if (rh_is_rh2(&h->u.rh) && &h->u.rh.addr == c->rh2)
				break;
			sbuf_puts(sb, "RH type=");
			sbuf_uint(sb, h->u.rh.type);
			sbuf_puts(sb, " segleft=");
			sbuf_uint(sb, h->u.rh.segleft);
			sbuf_putc(sb, ' ');
			break;
		case HDR_FRAG:
			sbuf_puts(sb, "frag id=");
			put_hex32(sb, h->u.frag.id);
			sbuf_puts(sb, " off=");
			sbuf_uint(sb, (uint32_t)h->u.frag.offset * 8);
			sbuf_puts(sb, h->u.frag.m ? " M " : " ");
			break;
		case HDR_AH:
		case HDR_ESP:
			sbuf_puts(sb, h->kind == HDR_AH ? "AH spi=" : "ESP spi=");
			put_hex32(sb, h->u.ipsec.spi);
			sbuf_puts(sb, " seq=");
			sbuf_uint(sb, h->u.ipsec.seq);
			sbuf_putc(sb, ' ');
			break;
		default:
			break;
		}
	}
}

static void
short_hoa_rh2(struct sbuf *sb, const struct chain *c)
{
	if (c->hao != NULL) {
		sbuf_puts(sb, " hoa=");
		sbuf_in6(sb, c->hao);
	}
	if (c->rh2 != NULL) {
		sbuf_puts(sb, " rh2=");
		sbuf_in6(sb, c->rh2);
	}
}

static void	short_layer(struct sbuf *, const struct pkt *, size_t);

static void
short_addr(struct sbuf *sb, const struct hdr *ip, bool src, int port)
{
	if (ip->kind == HDR_IPV4)
		sbuf_in4(sb, src ? &ip->u.ip4.src : &ip->u.ip4.dst);
	else
		sbuf_in6(sb, src ? &ip->u.ip6.src : &ip->u.ip6.dst);
	if (port >= 0) {
		sbuf_putc(sb, '.');
		sbuf_uint(sb, (unsigned)port);
	}
}

/* IPv4 or IPv6 / UDP 4191 / inner packet (RFC 5555 §4.1). */
static void
short_encap(struct sbuf *sb, const struct pkt *p, const struct chain *c)
{
	const struct hdr *ip = &p->h[c->ip], *u = &p->h[c->upper];
	size_t n = c->upper + 1;

	if (ip->kind == HDR_IPV4)
		sbuf_puts(sb, "IP ");
	short_addr(sb, ip, true, u->u.udp.sport);
	sbuf_puts(sb, " > ");
	short_addr(sb, ip, false, u->u.udp.dport);
	sbuf_putc(sb, ' ');
	short_exts(sb, p, c);
	sbuf_puts(sb, "UDP");
	if (n < p->nhdr && is_ip(&p->h[n])) {
		sbuf_puts(sb, " | ");
		short_layer(sb, p, n);
	} else if (n < p->nhdr && p->h[n].kind == HDR_DATA) {
		sbuf_puts(sb, " data ");
		sbuf_uint(sb, p->h[n].u.data.len);
	} else if (u->u.udp.len <= UDP_HDR_LEN)
		sbuf_puts(sb, " empty");
	else
		sbuf_puts(sb, " [|ip]");
}

static void
short_upper(struct sbuf *sb, const struct pkt *p, const struct chain *c)
{
	const struct hdr *h = &p->h[c->upper];
	struct mh_print_ctx ctx;
	size_t n = c->upper + 1;

	switch (h->kind) {
	case HDR_MH:
		ctx.hao = c->hao;
		ctx.rh2 = c->rh2;
		mh_print_short(sb, &p->mh, &ctx);
		return;
	case HDR_ICMP6:
		icmp6_print_short(sb, &p->icmp6);
		break;
	case HDR_UDP:
		sbuf_puts(sb, "udp ");
		sbuf_uint(sb, h->u.udp.sport);
		sbuf_puts(sb, " > ");
		sbuf_uint(sb, h->u.udp.dport);
		sbuf_puts(sb, " len ");
		sbuf_uint(sb, h->u.udp.len >= UDP_HDR_LEN ?
		    h->u.udp.len - UDP_HDR_LEN : 0);
		break;
	case HDR_IPV6:
	case HDR_IPV4:
		sbuf_puts(sb, h->kind == HDR_IPV6 ? "IP6 | " : "IP | ");
		short_layer(sb, p, c->upper);
		return;
	case HDR_ESP:
		sbuf_puts(sb, "ESP spi=");
		put_hex32(sb, h->u.ipsec.spi);
		sbuf_puts(sb, " seq=");
		sbuf_uint(sb, h->u.ipsec.seq);
		if (n < p->nhdr && p->h[n].kind == HDR_DATA) {
			sbuf_puts(sb, " len ");
			sbuf_uint(sb, p->h[n].u.data.len);
		}
		return;
	case HDR_DATA:
		put_proto(sb, h->u.data.proto);
		sbuf_putc(sb, ' ');
		sbuf_uint(sb, h->u.data.len);
		break;
	case HDR_ICMP4:
		sbuf_printf(sb, "ICMP type %u code %u id %u seq %u len %u",
		    h->u.icmp4.type, h->u.icmp4.code, h->u.icmp4.id,
		    h->u.icmp4.seq, h->u.icmp4.len);
		return;
	default:
		return;
	}
	short_hoa_rh2(sb, c);
}

static void
short_layer(struct sbuf *sb, const struct pkt *p, size_t i)
{
	const struct hdr *ip = &p->h[i];
	struct chain c;
	uint16_t frag;

	chain_scan(p, i, &c);
	if (c.upper < p->nhdr && is_encap_udp(&p->h[c.upper])) {
		short_encap(sb, p, &c);
		return;
	}
	if (ip->kind == HDR_IPV4)
		sbuf_puts(sb, "IP ");
	short_addr(sb, ip, true, -1);
	sbuf_puts(sb, " > ");
	short_addr(sb, ip, false, -1);
	sbuf_puts(sb, ": ");
	short_exts(sb, p, &c);
	frag = ip->kind == HDR_IPV4 ? ip->u.ip4.frag : 0;
	if ((frag & 0x3fff) != 0) {
		sbuf_puts(sb, "frag off=");
		sbuf_uint(sb, (uint32_t)(frag & 0x1fff) * 8);
		sbuf_puts(sb, (frag & 0x2000) != 0 ? " MF " : " ");
	}
	if (c.upper < p->nhdr) {
		short_upper(sb, p, &c);
		return;
	}
	if (announced_proto(&p->h[c.upper - 1]) == PROTO_NONE) {
		/* RFC 8200 §4.7: nothing follows, as announced */
		sbuf_puts(sb, "no-next-header 0");
		short_hoa_rh2(sb, &c);
		return;
	}
	sbuf_puts(sb, "[|");
	put_proto(sb, announced_proto(&p->h[c.upper - 1]));
	sbuf_putc(sb, ']');
}

static void	put_mac(struct sbuf *, const uint8_t *, size_t);

/* The ARP opcode as the case language writes it (RFC 826: 1, 2). */
static void
put_arp_op(struct sbuf *sb, uint16_t op)
{
	if (op == ARP_OP_REQUEST)
		sbuf_puts(sb, "request");
	else if (op == ARP_OP_REPLY)
		sbuf_puts(sb, "reply");
	else
		sbuf_uint(sb, op);
}

static void
short_arp(struct sbuf *sb, const struct arp_msg *m)
{
	sbuf_puts(sb, "ARP op=");
	put_arp_op(sb, m->op);
	sbuf_puts(sb, " sha=");
	put_mac(sb, m->sha, 6);
	sbuf_puts(sb, " spa=");
	sbuf_in4(sb, &m->spa);
	sbuf_puts(sb, " tha=");
	put_mac(sb, m->tha, 6);
	sbuf_puts(sb, " tpa=");
	sbuf_in4(sb, &m->tpa);
}

void
pkt_print_short(struct sbuf *sb, const struct pkt *p)
{
	size_t i = 0;

	while (i < p->nhdr && (p->h[i].kind == HDR_ETH ||
	    p->h[i].kind == HDR_SLL))
		i++;
	if (i == p->nhdr) {
		sbuf_puts(sb, "[|truncated]");
		return;
	}
	if (is_ip(&p->h[i])) {
		short_layer(sb, p, i);
		return;
	}
	if (p->h[i].kind == HDR_ARP) {
		short_arp(sb, &p->h[i].u.arp);
		return;
	}
	if (p->h[i].kind == HDR_DATA && i > 0) {
		sbuf_puts(sb, "ethertype ");
		sbuf_hex16(sb, p->h[i - 1].kind == HDR_ETH ?
		    p->h[i - 1].u.eth.ethertype : p->h[i - 1].u.sll.proto);
		sbuf_puts(sb, " len ");
		sbuf_uint(sb, p->h[i].u.data.len);
		return;
	}
	sbuf_puts(sb, hdr_kind_name(p->h[i].kind));
}

/* -------------------------------------------------------------- verbose */

static void
put_mac(struct sbuf *sb, const uint8_t *a, size_t n)
{
	char s[3 * 8];

	if (n == 0)
		return;
	fmt_mac(s, a, n);
	sbuf_putn(sb, s, 3 * n - 1);
}

static void
verbose_tlv(struct sbuf *sb, const struct ip6_tlv *t, bool dst)
{
	switch (t->type) {
	case 0:
		sbuf_printf(sb, "  pad1 at %u\n", t->off);
		return;
	case 1:
		sbuf_printf(sb, "  padn length %u at %u", t->len, t->off);
		break;
	case IP6_HAO_TYPE:
		if (t->len == 16) {
			sbuf_printf(sb, dst ? "  home address option at %u: " :
			    "  option type 201 length 16 at %u: ", t->off);
			sbuf_in6(sb, &t->hoa);
			sbuf_putc(sb, '\n');
			return;
		}
		/* FALLTHROUGH */
	default:
		sbuf_printf(sb, "  option type %u length %u at %u", t->type,
		    t->len, t->off);
		break;
	}
	if (t->data_len > 0) {
		sbuf_puts(sb, " data ");
		sbuf_hex(sb, t->data, t->data_len);
	}
	sbuf_putc(sb, '\n');
}

static void
verbose_opts(struct sbuf *sb, const struct hdr *h)
{
	const struct hdr_opts *o = &h->u.opts;
	size_t i, n = o->ntlv < IP6_TLV_MAX ? o->ntlv : IP6_TLV_MAX;

	sbuf_printf(sb, "%s nh %u (%s) hdr_ext_len %u (%u bytes)\n",
	    h->kind == HDR_HBH ? "hop-by-hop" : "destination options", o->nh,
	    ip_proto_name(o->nh), o->hdr_ext_len,
	    ((unsigned)o->hdr_ext_len + 1) * 8);
	for (i = 0; i < n; i++)
		verbose_tlv(sb, &o->tlv[i], h->kind == HDR_DSTOPT);
}

static void
verbose_rh(struct sbuf *sb, const struct hdr_rh *rh)
{
	sbuf_printf(sb, "routing nh %u (%s) hdr_ext_len %u type %u segleft %u",
	    rh->nh, ip_proto_name(rh->nh), rh->hdr_ext_len, rh->type,
	    rh->segleft);
	if (rh->data_len == 0) {
		sbuf_printf(sb, " reserved 0x%08x %s ", rh->reserved,
		    rh->type == 2 ? "hoa" : "address");
		sbuf_in6(sb, &rh->addr);
	} else {
		sbuf_puts(sb, " data ");
		sbuf_hex(sb, rh->data, rh->data_len);
	}
	sbuf_putc(sb, '\n');
}

static void
verbose_ip4(struct sbuf *sb, const struct hdr_ipv4 *ip4)
{
	sbuf_puts(sb, "ipv4 ");
	sbuf_in4(sb, &ip4->src);
	sbuf_puts(sb, " > ");
	sbuf_in4(sb, &ip4->dst);
	sbuf_printf(sb, " ihl %u tos 0x%02x total_length %u id %u "
	    "frag 0x%04x ttl %u proto %u (%s) checksum 0x%04x", ip4->ihl,
	    ip4->tos, ip4->tot_len, ip4->id, ip4->frag, ip4->ttl, ip4->proto,
	    ip_proto_name(ip4->proto), ip4->checksum);
	if (ip4->opt_len > 0) {
		sbuf_puts(sb, " options ");
		sbuf_hex(sb, ip4->opts, ip4->opt_len);
	}
	sbuf_putc(sb, '\n');
}

static void
verbose_ip6(struct sbuf *sb, const struct hdr_ipv6 *ip6)
{
	sbuf_puts(sb, "ipv6 ");
	sbuf_in6(sb, &ip6->src);
	sbuf_puts(sb, " > ");
	sbuf_in6(sb, &ip6->dst);
	sbuf_printf(sb, " tclass 0x%02x flow 0x%05x plen %u nh %u (%s) "
	    "hlim %u\n", ip6->tclass, ip6->flow, ip6->plen, ip6->nh,
	    ip_proto_name(ip6->nh), ip6->hlim);
}

static void
verbose_link(struct sbuf *sb, const struct hdr *h)
{
	if (h->kind == HDR_SLL) {
		sbuf_printf(sb, "sll pkttype %u hatype %u halen %u addr ",
		    h->u.sll.pkttype, h->u.sll.hatype, h->u.sll.halen);
		put_mac(sb, h->u.sll.addr, h->u.sll.halen < 8 ?
		    h->u.sll.halen : 8);
		sbuf_printf(sb, " proto 0x%04x\n", h->u.sll.proto);
		return;
	}
	sbuf_puts(sb, "ethernet ");
	put_mac(sb, h->u.eth.src, 6);
	sbuf_puts(sb, " > ");
	put_mac(sb, h->u.eth.dst, 6);
	sbuf_printf(sb, " ethertype 0x%04x", h->u.eth.ethertype);
	if (h->u.eth.vlan != 0)
		sbuf_printf(sb, " vlan %u pcp %u dei %u",
		    h->u.eth.vlan & 0xfff, h->u.eth.vlan >> 13,
		    (h->u.eth.vlan >> 12) & 1);
	sbuf_putc(sb, '\n');
}

static void
verbose_hdr(struct sbuf *sb, const struct pkt *p, const struct hdr *h)
{
	const struct hdr_data *x;

	switch (h->kind) {
	case HDR_ETH:
	case HDR_SLL:
		verbose_link(sb, h);
		break;
	case HDR_IPV4:
		verbose_ip4(sb, &h->u.ip4);
		break;
	case HDR_IPV6:
		verbose_ip6(sb, &h->u.ip6);
		break;
	case HDR_HBH:
	case HDR_DSTOPT:
		verbose_opts(sb, h);
		break;
	case HDR_RH:
		verbose_rh(sb, &h->u.rh);
		break;
	case HDR_FRAG:
		sbuf_printf(sb, "fragment nh %u (%s) reserved 0x%02x offset %u "
		    "(%u bytes) res 0x%x M %u id 0x%08x\n", h->u.frag.nh,
		    ip_proto_name(h->u.frag.nh), h->u.frag.reserved,
		    h->u.frag.offset, (unsigned)h->u.frag.offset * 8,
		    h->u.frag.res2, h->u.frag.m, h->u.frag.id);
		break;
	case HDR_AH:
		sbuf_printf(sb, "ah nh %u (%s) payload_len %u (%u bytes) "
		    "spi 0x%08x seq %u\n", h->u.ipsec.nh,
		    ip_proto_name(h->u.ipsec.nh), h->u.ipsec.ah_len,
		    ((unsigned)h->u.ipsec.ah_len + 2) * 4, h->u.ipsec.spi,
		    h->u.ipsec.seq);
		break;
	case HDR_ESP:
		sbuf_printf(sb, "esp spi 0x%08x seq %u\n", h->u.ipsec.spi,
		    h->u.ipsec.seq);
		if (h->u.ipsec.opened)
			sbuf_printf(sb, "  opened: nh %u (%s) payload %u "
			    "pad_len %u\n", h->u.ipsec.nh,
			    ip_proto_name(h->u.ipsec.nh), h->u.ipsec.plain_len,
			    h->u.ipsec.pad_len);
		break;
	case HDR_UDP:
		sbuf_printf(sb, "udp %u > %u length %u checksum 0x%04x\n",
		    h->u.udp.sport, h->u.udp.dport, h->u.udp.len,
		    h->u.udp.checksum);
		break;
	case HDR_MH:
		sbuf_printf(sb, "mobility header at %u (%u bytes)\n", h->off,
		    h->len);
		mh_print_verbose(sb, &p->mh, 2);
		break;
	case HDR_ICMP6:
		sbuf_printf(sb, "icmp6 at %u (%u bytes)\n", h->off, h->len);
		icmp6_print_verbose(sb, &p->icmp6, 2);
		break;
	case HDR_ICMP4:
		sbuf_printf(sb, "icmp4 type %u code %u checksum 0x%04x id %u "
		    "seq %u length %u", h->u.icmp4.type, h->u.icmp4.code,
		    h->u.icmp4.checksum, h->u.icmp4.id, h->u.icmp4.seq,
		    h->u.icmp4.len);
		if (h->u.icmp4.data_len > 0) {
			sbuf_puts(sb, ": ");
			sbuf_hex(sb, h->u.icmp4.data, h->u.icmp4.data_len);
			if (h->u.icmp4.data_len < h->u.icmp4.len)
				sbuf_puts(sb, "...");
		}
		sbuf_putc(sb, '\n');
		break;
	case HDR_ARP:
		sbuf_printf(sb, "arp op %u (", h->u.arp.op);
		put_arp_op(sb, h->u.arp.op);
		sbuf_puts(sb, ") sha ");
		put_mac(sb, h->u.arp.sha, 6);
		sbuf_puts(sb, " spa ");
		sbuf_in4(sb, &h->u.arp.spa);
		sbuf_puts(sb, " tha ");
		put_mac(sb, h->u.arp.tha, 6);
		sbuf_puts(sb, " tpa ");
		sbuf_in4(sb, &h->u.arp.tpa);
		sbuf_putc(sb, '\n');
		break;
	case HDR_DATA:
		x = &h->u.data;
		sbuf_printf(sb, "data proto %u (%s) length %u", x->proto,
		    ip_proto_name(x->proto), x->len);
		if (x->data_len > 0) {
			sbuf_puts(sb, ": ");
			sbuf_hex(sb, x->data, x->data_len);
			if (x->data_len < x->len)
				sbuf_puts(sb, "...");
		}
		sbuf_putc(sb, '\n');
		break;
	}
}

void
pkt_print_verbose(struct sbuf *sb, const struct pkt *p)
{
	size_t i;

	for (i = 0; i < p->nhdr && i < PKT_MAX_HDRS; i++)
		verbose_hdr(sb, p, &p->h[i]);
	if (p->viol.n == 0 && p->viol.dropped == 0)
		return;
	sbuf_puts(sb, "violations:\n");
	for (i = 0; i < p->viol.n; i++) {
		sbuf_puts(sb, "  ");
		viol_format(sb, &p->viol.v[i]);
		sbuf_printf(sb, " [%s%s%s] at offset %u\n",
		    viol_name(p->viol.v[i].code),
		    *viol_clause(p->viol.v[i].code) != '\0' ? ", " : "",
		    viol_clause(p->viol.v[i].code), p->viol.v[i].off);
	}
	if (p->viol.dropped > 0)
		sbuf_printf(sb, "  (%zu more violations not kept)\n",
		    p->viol.dropped);
}

void
pkt_print_violations(struct sbuf *sb, const struct pkt *p)
{
	const struct viol *v;
	const char *clause;
	size_t i;

	for (i = 0; i < p->viol.n; i++) {
		v = &p->viol.v[i];
		clause = viol_clause(v->code);
		viol_format(sb, v);
		sbuf_puts(sb, " [");
		sbuf_puts(sb, viol_name(v->code));
		if (*clause != '\0') {
			sbuf_puts(sb, ", ");
			sbuf_puts(sb, clause);
		}
		sbuf_puts(sb, "] at offset ");
		sbuf_uint(sb, v->off);
		sbuf_putc(sb, '\n');
	}
	if (p->viol.dropped > 0) {
		sbuf_putc(sb, '(');
		sbuf_uint(sb, p->viol.dropped);
		sbuf_puts(sb, " more violations not kept)\n");
	}
}

/* ----------------------------------------------------------------- JSON */

static void
json_mac(struct jw *jw, const char *key, const uint8_t *a, size_t n)
{
	char s[3 * 8];

	fmt_mac(s, a, n);
	jw_ascii(jw, key, s, n > 0 ? 3 * n - 1 : 0);
}

/* Pad1, or PadN with all-zero contents (RFC 8200 §4.2). */
static bool
tlv_is_zero_pad(const struct ip6_tlv *t)
{
	size_t i;

	if (t->type == 0)
		return true;
	if (t->type != 1)
		return false;
	for (i = 0; i < t->data_len && i < sizeof(t->data); i++)
		if (t->data[i] != 0)
			return false;
	return true;
}

/*
 * Options in wire order, without zero padding (which the verbose form
 * shows); "pad_bytes" counts the octets it took.
 */
static void
json_opts(struct jw *jw, const struct hdr_opts *o, bool dst)
{
	size_t i, n = o->ntlv < IP6_TLV_MAX ? o->ntlv : IP6_TLV_MAX, pad = 0;
	const struct in6_addr *hao = opts_hao(o);
	const struct ip6_tlv *t;

	for (i = 0; i < n; i++) {
		t = &o->tlv[i];
		if (tlv_is_zero_pad(t))
			pad += t->type == 0 ? 1 : 2 + (size_t)t->len;
	}
	jw_uint(jw, "nh", o->nh);
	jw_uint(jw, "hdr_ext_len", o->hdr_ext_len);
	if (hao != NULL && dst)
		jw_in6(jw, "hao", hao);
	jw_uint(jw, "pad_bytes", pad);
	jw_arr_open(jw, "options");
	for (i = 0; i < n; i++) {
		t = &o->tlv[i];
		if (tlv_is_zero_pad(t))
			continue;	/* counted in pad_bytes */
		jw_obj_open(jw, NULL);
		jw_uint(jw, "type", t->type);
		jw_uint(jw, "offset", t->off);
		if (t->type != 0)
			jw_uint(jw, "len", t->len);
		if (t->type == IP6_HAO_TYPE && t->len == 16 && dst)
			jw_in6(jw, "hoa", &t->hoa);
		else if (t->type == IP6_HAO_TYPE && t->len == 16)
			jw_hex(jw, "data", t->hoa.s6_addr, 16);
		else if (t->data_len > 0)
			jw_hex(jw, "data", t->data, t->data_len);
		jw_obj_close(jw);
	}
	jw_arr_close(jw);
}

static void
json_rh(struct jw *jw, const struct hdr_rh *rh)
{
	jw_uint(jw, "nh", rh->nh);
	jw_uint(jw, "hdr_ext_len", rh->hdr_ext_len);
	jw_uint(jw, "type", rh->type);
	jw_uint(jw, "segleft", rh->segleft);
	if (rh->data_len == 0) {
		jw_uint(jw, "reserved", rh->reserved);
		jw_in6(jw, rh->type == 2 ? "hoa" : "address", &rh->addr);
	} else
		jw_hex(jw, "data", rh->data, rh->data_len);
}

static void
json_ip4(struct jw *jw, const struct hdr_ipv4 *ip4)
{
	jw_in4(jw, "src", &ip4->src);
	jw_in4(jw, "dst", &ip4->dst);
	jw_uint(jw, "ihl", ip4->ihl);
	jw_uint(jw, "tos", ip4->tos);
	jw_uint(jw, "total_length", ip4->tot_len);
	jw_uint(jw, "id", ip4->id);
	jw_bool(jw, "df", (ip4->frag & 0x4000) != 0);
	jw_bool(jw, "mf", (ip4->frag & 0x2000) != 0);
	jw_uint(jw, "frag_offset", (uint32_t)(ip4->frag & 0x1fff) * 8);
	jw_uint(jw, "ttl", ip4->ttl);
	jw_uint(jw, "proto", ip4->proto);
	jw_uint(jw, "checksum", ip4->checksum);
	if (ip4->opt_len > 0)
		jw_hex(jw, "options", ip4->opts, ip4->opt_len);
}

static void
json_ip6(struct jw *jw, const struct hdr_ipv6 *ip6)
{
	jw_in6(jw, "src", &ip6->src);
	jw_in6(jw, "dst", &ip6->dst);
	jw_uint(jw, "tclass", ip6->tclass);
	jw_uint(jw, "flow", ip6->flow);
	jw_uint(jw, "plen", ip6->plen);
	jw_uint(jw, "nh", ip6->nh);
	jw_uint(jw, "hlim", ip6->hlim);
}

static void
json_link(struct jw *jw, const struct hdr *h)
{
	if (h->kind == HDR_SLL) {
		jw_uint(jw, "pkttype", h->u.sll.pkttype);
		jw_uint(jw, "hatype", h->u.sll.hatype);
		json_mac(jw, "addr", h->u.sll.addr, h->u.sll.halen < 8 ?
		    h->u.sll.halen : 8);
		jw_uint(jw, "ethertype", h->u.sll.proto);
		return;
	}
	json_mac(jw, "dst", h->u.eth.dst, 6);
	json_mac(jw, "src", h->u.eth.src, 6);
	jw_uint(jw, "ethertype", h->u.eth.ethertype);
	if (h->u.eth.vlan != 0)
		jw_uint(jw, "vlan", h->u.eth.vlan & 0xfff);
}

/*
 * A brief layer: its kind and the fields that say where the packet goes
 * (addresses, ports, the home address, fragment and SA identity).
 */
static void
json_layer_brief(struct jw *jw, const struct hdr *h)
{
	const struct in6_addr *hao;

	switch (h->kind) {
	case HDR_IPV4:
		jw_in4(jw, "src", &h->u.ip4.src);
		jw_in4(jw, "dst", &h->u.ip4.dst);
		break;
	case HDR_IPV6:
		jw_in6(jw, "src", &h->u.ip6.src);
		jw_in6(jw, "dst", &h->u.ip6.dst);
		break;
	case HDR_DSTOPT:
		if ((hao = opts_hao(&h->u.opts)) != NULL)
			jw_in6(jw, "hao", hao);
		break;
	case HDR_RH:
		jw_uint(jw, "type", h->u.rh.type);
		jw_uint(jw, "segleft", h->u.rh.segleft);
		if (h->u.rh.data_len == 0)
			jw_in6(jw, h->u.rh.type == 2 ? "hoa" : "address",
			    &h->u.rh.addr);
		break;
	case HDR_FRAG:
		jw_uint(jw, "frag_offset", (uint32_t)h->u.frag.offset * 8);
		jw_bool(jw, "m", h->u.frag.m);
		jw_uint(jw, "id", h->u.frag.id);
		break;
	case HDR_AH:
	case HDR_ESP:
		jw_uint(jw, "spi", h->u.ipsec.spi);
		if (h->kind == HDR_ESP && h->u.ipsec.opened)
			jw_bool(jw, "opened", true);
		break;
	case HDR_UDP:
		jw_uint(jw, "sport", h->u.udp.sport);
		jw_uint(jw, "dport", h->u.udp.dport);
		break;
	case HDR_DATA:
		jw_uint(jw, "proto", h->u.data.proto);
		break;
	case HDR_ARP:
		jw_uint(jw, "op", h->u.arp.op);
		jw_in4(jw, "spa", &h->u.arp.spa);
		jw_in4(jw, "tpa", &h->u.arp.tpa);
		break;
	default:
		break;
	}
}

static void
json_layer(struct jw *jw, const struct hdr *h)
{
	jw_obj_open(jw, NULL);
	JW_ASCII(jw, "kind", hdr_kind_name(h->kind));
	if (jw->brief) {
		json_layer_brief(jw, h);
		jw_obj_close(jw);
		return;
	}
	jw_uint(jw, "offset", h->off);
	jw_uint(jw, "length", h->len);
	switch (h->kind) {
	case HDR_ETH:
	case HDR_SLL:
		json_link(jw, h);
		break;
	case HDR_IPV4:
		json_ip4(jw, &h->u.ip4);
		break;
	case HDR_IPV6:
		json_ip6(jw, &h->u.ip6);
		break;
	case HDR_HBH:
	case HDR_DSTOPT:
		json_opts(jw, &h->u.opts, h->kind == HDR_DSTOPT);
		break;
	case HDR_RH:
		json_rh(jw, &h->u.rh);
		break;
	case HDR_FRAG:
		jw_uint(jw, "nh", h->u.frag.nh);
		jw_uint(jw, "frag_offset", (uint32_t)h->u.frag.offset * 8);
		jw_bool(jw, "m", h->u.frag.m);
		jw_uint(jw, "id", h->u.frag.id);
		break;
	case HDR_AH:
		jw_uint(jw, "nh", h->u.ipsec.nh);
		jw_uint(jw, "payload_len", h->u.ipsec.ah_len);
		/* FALLTHROUGH */
	case HDR_ESP:
		jw_uint(jw, "spi", h->u.ipsec.spi);
		jw_uint(jw, "seq", h->u.ipsec.seq);
		if (h->kind == HDR_ESP && h->u.ipsec.opened) {
			jw_bool(jw, "opened", true);
			jw_uint(jw, "nh", h->u.ipsec.nh);
			jw_uint(jw, "payload_len", h->u.ipsec.plain_len);
			jw_uint(jw, "pad_len", h->u.ipsec.pad_len);
		}
		break;
	case HDR_UDP:
		jw_uint(jw, "sport", h->u.udp.sport);
		jw_uint(jw, "dport", h->u.udp.dport);
		jw_uint(jw, "len", h->u.udp.len);
		jw_uint(jw, "checksum", h->u.udp.checksum);
		break;
	case HDR_DATA:
		jw_uint(jw, "proto", h->u.data.proto);
		jw_hex(jw, "data", h->u.data.data, h->u.data.data_len);
		break;
	case HDR_ICMP4:
		jw_uint(jw, "type", h->u.icmp4.type);
		jw_uint(jw, "code", h->u.icmp4.code);
		jw_uint(jw, "checksum", h->u.icmp4.checksum);
		jw_uint(jw, "id", h->u.icmp4.id);
		jw_uint(jw, "seq", h->u.icmp4.seq);
		jw_hex(jw, "data", h->u.icmp4.data, h->u.icmp4.data_len);
		break;
	case HDR_ARP:
		jw_uint(jw, "op", h->u.arp.op);
		json_mac(jw, "sha", h->u.arp.sha, 6);
		jw_in4(jw, "spa", &h->u.arp.spa);
		json_mac(jw, "tha", h->u.arp.tha, 6);
		jw_in4(jw, "tpa", &h->u.arp.tpa);
		break;
	default:
		break;
	}
	jw_obj_close(jw);
}

void
pkt_print_json(struct jw *jw, const struct pkt *p)
{
	const char *encap = pkt_encap_name(p);
	size_t i;

	jw_obj_open(jw, NULL);
	jw_arr_open(jw, "layers");
	for (i = 0; i < p->nhdr && i < PKT_MAX_HDRS; i++)
		json_layer(jw, &p->h[i]);
	jw_arr_close(jw);
	if (*encap != '\0')
		JW_ASCII(jw, "encap", encap);
	if (p->has_mh)
		mh_print_json(jw, "mh", &p->mh);
	if (p->has_icmp6)
		icmp6_print_json(jw, "icmp6", &p->icmp6);
	jw_arr_open(jw, "violations");
	for (i = 0; i < p->viol.n; i++)
		viol_json(jw, &p->viol.v[i]);
	jw_arr_close(jw);
	jw_obj_close(jw);
}
