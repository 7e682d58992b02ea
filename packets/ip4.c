/*
 * ip4.c - the link layers (Ethernet with one 802.1Q tag, Linux cooked
 * capture, DLT_NULL), IPv4 with options (RFC 791) and UDP (RFC 768)
 * including the DSMIPv6 UDP encapsulation on port 4191 (RFC 5555 §4.1):
 * decoder and encoder.
 */
#include <string.h>

#include "buf.h"
#include "cksum.h"
#include "pkt_impl.h"
#include "viol.h"

/* DLT_NULL address families (host byte order of the capturing host). */
#define NULL_AF_INET		2
#define NULL_AF_INET6_BSD	24	/* NetBSD, OpenBSD, Npcap */
#define NULL_AF_INET6_FREEBSD	28
#define NULL_AF_INET6_DARWIN	30
#define NULL_AF_INET6_LINUX	10

#define IP4_MF		0x2000
#define IP4_OFFMASK	0x1fff

/* ---------------------------------------------------------- link layers */

static int
dec_by_version(struct pdec *d, size_t off)
{
	bool ok;
	uint8_t v;
	struct rbuf b;

	rbuf_init(&b, d->buf + off, d->len - off);
	v = rbuf_peek(&b, 0, &ok);
	if (ok && v >> 4 == 4)
		return pdec_ip4(d, off, d->len);
	return pdec_ip6(d, off, d->len);
}

/* The payload of a link header: IPv4, IPv6, ARP, or opaque. */
static int
dec_ethertype(struct pdec *d, uint16_t type, size_t off)
{
	/* IEEE 802.3 minimum frame: a short payload may carry padding. */
	d->pad_ok = d->len - off <= ETH_MIN_PAYLOAD;
	if (type == ETHERTYPE_IPV4_)
		return pdec_ip4(d, off, d->len);
	if (type == ETHERTYPE_IPV6_)
		return pdec_ip6(d, off, d->len);
	if (type == ETHERTYPE_ARP_)
		return pdec_arp(d, off, d->len);
	return pdec_data(d, 0, off, d->len);
}

static int
dec_eth(struct pdec *d)
{
	struct hdr_eth *e;
	struct hdr *h;
	struct rbuf b;

	if (d->len < ETH_HDR_LEN) {
		pdec_trunc(d, "Ethernet header", 0, ETH_HDR_LEN, d->len);
		return -1;
	}
	if ((h = pdec_push(d, HDR_ETH, 0)) == NULL)
		return 0;
	e = &h->u.eth;
	rbuf_init(&b, d->buf, d->len);
	rbuf_bytes(&b, e->dst, sizeof(e->dst));
	rbuf_bytes(&b, e->src, sizeof(e->src));
	e->ethertype = rbuf_u16(&b);
	e->vlan = 0;
	h->len = ETH_HDR_LEN;
	if (e->ethertype == ETHERTYPE_VLAN_) {
		if (d->len < ETH_HDR_LEN + 4) {
			pdec_trunc(d, "802.1Q tag", ETH_HDR_LEN, 4,
			    d->len - ETH_HDR_LEN);
			return -1;
		}
		e->vlan = rbuf_u16(&b);
		e->ethertype = rbuf_u16(&b);
		h->len += 4;
	}
	return dec_ethertype(d, e->ethertype, h->len);
}

static int
dec_sll(struct pdec *d)
{
	struct hdr_sll *s;
	struct hdr *h;
	struct rbuf b;

	if (d->len < SLL_HDR_LEN) {
		pdec_trunc(d, "Linux cooked header", 0, SLL_HDR_LEN, d->len);
		return -1;
	}
	if ((h = pdec_push(d, HDR_SLL, 0)) == NULL)
		return 0;
	s = &h->u.sll;
	h->len = SLL_HDR_LEN;
	rbuf_init(&b, d->buf, SLL_HDR_LEN);
	s->pkttype = rbuf_u16(&b);
	s->hatype = rbuf_u16(&b);
	s->halen = rbuf_u16(&b);
	rbuf_bytes(&b, s->addr, sizeof(s->addr));
	s->proto = rbuf_u16(&b);
	return dec_ethertype(d, s->proto, SLL_HDR_LEN);
}

/*
 * DLT_NULL: a 4-octet address family in the capturing host's byte order.
 * Not kept as a header; the encoder writes AF_INET or the BSD AF_INET6
 * (24) little-endian.
 */
static int
dec_null(struct pdec *d)
{
	struct rbuf b;
	uint8_t v[4];
	uint32_t le, be;

	if (d->len < NULL_HDR_LEN) {
		pdec_trunc(d, "DLT_NULL header", 0, NULL_HDR_LEN, d->len);
		return -1;
	}
	rbuf_init(&b, d->buf, NULL_HDR_LEN);
	rbuf_bytes(&b, v, sizeof(v));
	le = (uint32_t)v[3] << 24 | (uint32_t)v[2] << 16 |
	    (uint32_t)v[1] << 8 | v[0];
	be = (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 |
	    (uint32_t)v[2] << 8 | v[3];
	if (le == NULL_AF_INET || be == NULL_AF_INET)
		return pdec_ip4(d, NULL_HDR_LEN, d->len);
	if (le == NULL_AF_INET6_BSD || le == NULL_AF_INET6_FREEBSD ||
	    le == NULL_AF_INET6_DARWIN || le == NULL_AF_INET6_LINUX ||
	    be == NULL_AF_INET6_BSD || be == NULL_AF_INET6_FREEBSD ||
	    be == NULL_AF_INET6_DARWIN || be == NULL_AF_INET6_LINUX)
		return pdec_ip6(d, NULL_HDR_LEN, d->len);
	return dec_by_version(d, NULL_HDR_LEN);
}

int
pdec_link(struct pdec *d, enum pkt_link link)
{
	switch (link) {
	case PKT_LINK_ETHER:
		return dec_eth(d);
	case PKT_LINK_LINUX_SLL:
		return dec_sll(d);
	case PKT_LINK_NULL:
		return dec_null(d);
	case PKT_LINK_RAW:
		return dec_by_version(d, 0);
	case PKT_LINK_IPV6:
		return pdec_ip6(d, 0, d->len);
	case PKT_LINK_IPV4:
		return pdec_ip4(d, 0, d->len);
	}
	viol_add(&d->p->viol, V_UNSUPPORTED_LINK, 0, (uint32_t)link, 0, 0,
	    NULL);
	return -1;
}

/* ----------------------------------------------------------------- IPv4 */

/* 0x0000 and 0xffff are the same one's-complement value. */
static bool
cksum_same(uint16_t found, uint16_t want)
{
	return found == want || (found == 0xffff && want == 0) ||
	    (found == 0 && want == 0xffff);
}

static void
ip4_check_header(struct pdec *d, const struct hdr *h, size_t hlen)
{
	uint16_t want = cksum_plain(d->buf + h->off, hlen, 10);

	/* RFC 791 §3.1: the header checksum covers the header only. */
	if (!cksum_same(h->u.ip4.checksum, want))
		viol_add(&d->p->viol, V_IP4_CHECKSUM, h->off + 10,
		    h->u.ip4.checksum, want, 0, NULL);
}

int
pdec_ip4(struct pdec *d, size_t off, size_t end)
{
	size_t avail = end - off, hlen, pend, frag_off;
	struct hdr_ipv4 *ip4;
	struct hdr *h;
	struct rbuf b;
	struct l3 l3;
	uint8_t vihl;
	bool len_ok;
	int rc;

	if (avail < IP4_HDR_LEN) {
		pdec_trunc(d, "IPv4 header", off, IP4_HDR_LEN, avail);
		return -1;
	}
	if ((h = pdec_push(d, HDR_IPV4, off)) == NULL)
		return 0;
	ip4 = &h->u.ip4;
	rbuf_init(&b, d->buf + off, avail);
	vihl = rbuf_u8(&b);
	ip4->ihl = vihl & 0xf;
	ip4->tos = rbuf_u8(&b);
	ip4->tot_len = rbuf_u16(&b);
	ip4->id = rbuf_u16(&b);
	ip4->frag = rbuf_u16(&b);
	ip4->ttl = rbuf_u8(&b);
	ip4->proto = rbuf_u8(&b);
	ip4->checksum = rbuf_u16(&b);
	rbuf_in4(&b, &ip4->src);
	rbuf_in4(&b, &ip4->dst);
	ip4->opt_len = 0;
	h->len = IP4_HDR_LEN;
	if (vihl >> 4 != 4)
		viol_add(&d->p->viol, V_IP4_VERSION, off, vihl >> 4, 0, 0,
		    NULL);
	if (ip4->ihl < 5) {
		viol_add(&d->p->viol, V_IP4_IHL, off, ip4->ihl, 0, 0, NULL);
		hlen = IP4_HDR_LEN;
	} else
		hlen = (size_t)ip4->ihl * 4;
	if (hlen > avail) {
		pdec_trunc(d, "IPv4 header", off, hlen, avail);
		return -1;
	}
	ip4->opt_len = (uint8_t)(hlen - IP4_HDR_LEN);
	rbuf_bytes(&b, ip4->opts, ip4->opt_len);
	h->len = (uint16_t)hlen;
	if (ip4->ihl >= 5)
		ip4_check_header(d, h, hlen);

	len_ok = ip4->tot_len >= hlen && ip4->tot_len <= avail;
	if (!len_ok && !(ip4->tot_len >= hlen &&
	    pdec_cut_by_capture(d, off + ip4->tot_len)))
		viol_add(&d->p->viol, V_IP4_TOTLEN, off + 2, ip4->tot_len,
		    (uint32_t)avail, 0, NULL);
	pend = len_ok ? off + ip4->tot_len : end;

	l3.family = 4;
	l3.src4 = ip4->src;
	l3.dst4 = ip4->dst;
	l3.src6 = l3.dst6 = NULL;
	l3.hao = l3.rh2 = NULL;
	l3.hao_off = l3.rh2_off = 0;
	l3.have_final = false;
	l3.hlim = ip4->ttl;
	l3.complete = len_ok;

	/* RFC 791 §3.2: fragments are not reassembled here. */
	frag_off = (size_t)(ip4->frag & IP4_OFFMASK) * 8;
	if (frag_off != 0 || (ip4->frag & IP4_MF) != 0) {
		viol_add(&d->p->viol, V_IP4_FRAGMENT, off + 6,
		    (uint32_t)frag_off, (ip4->frag & IP4_MF) != 0, 0, NULL);
		rc = pdec_data(d, ip4->proto, off + hlen, pend);
	} else
		rc = pdec_upper(d, ip4->proto, off + hlen, pend, &l3);
	if (len_ok)
		pdec_trailing(d, "IPv4 packet", pend, end);
	return rc;
}

/* ------------------------------------------------------------------ UDP */

static uint16_t
udp_want(struct pdec *d, size_t off, size_t len, const struct l3 *l3)
{
	uint16_t want;

	if (l3->family == 4)
		want = cksum_upper4(&l3->src4, &l3->dst4, PROTO_UDP,
		    d->buf + off, len, 6);
	else
		want = cksum_upper6(l3_pseudo_src(l3), l3_pseudo_dst(l3),
		    PROTO_UDP, d->buf + off, len, 6);
	/* RFC 768: a computed zero is sent as all ones. */
	return want == 0 ? 0xffff : want;
}

/*
 * The UDP payload.  On port 4191 (either direction) it is an IPv4 or IPv6
 * packet told by its version nibble, with no shim header (RFC 5555 §4.1;
 * the TLV header of draft-ietf-mext-nemo-v4traversal did not survive into
 * the RFC -- cross-checked with the UMIP-derived DSMIPv6 kernel module,
 * whose "vanilla" mode demultiplexes on the version nibble).  RFC 5555
 * §4.3 refreshes NAT bindings with the UDP-encapsulated Binding Update /
 * Acknowledgement exchange (default NATKATIMEOUT, or the NAT Detection
 * option's Refresh Time); it defines no separate keepalive datagram, so an
 * empty payload is decoded as just that (no inner packet, no violation)
 * and printed as "empty".
 */
static int
udp_payload(struct pdec *d, const struct hdr_udp *u, size_t off, size_t end)
{
	struct rbuf b;
	uint8_t v;
	int rc;

	if (u->sport != DSMIP_UDP_PORT && u->dport != DSMIP_UDP_PORT)
		return off < end ? pdec_data(d, PROTO_UDP, off, end) : 0;
	if (off == end)
		return 0;
	rbuf_init(&b, d->buf + off, end - off);
	v = rbuf_peek(&b, 0, NULL) >> 4;
	if (v != 4 && v != 6) {
		viol_add(&d->p->viol, V_ENCAP_VERSION, off, v, 0, 0, NULL);
		return pdec_data(d, PROTO_UDP, off, end);
	}
	d->depth++;
	rc = v == 4 ? pdec_ip4(d, off, end) : pdec_ip6(d, off, end);
	d->depth--;
	return rc;
}

int
pdec_udp(struct pdec *d, size_t off, size_t end, struct l3 *l3)
{
	size_t avail = end - off, uend;
	struct hdr_udp *u;
	struct hdr *h;
	struct rbuf b;
	bool len_ok;
	uint16_t want;
	int rc;

	if (avail < UDP_HDR_LEN) {
		pdec_trunc(d, "UDP header", off, UDP_HDR_LEN, avail);
		return -1;
	}
	if ((h = pdec_push(d, HDR_UDP, off)) == NULL)
		return 0;
	h->len = UDP_HDR_LEN;
	u = &h->u.udp;
	rbuf_init(&b, d->buf + off, UDP_HDR_LEN);
	u->sport = rbuf_u16(&b);
	u->dport = rbuf_u16(&b);
	u->len = rbuf_u16(&b);
	u->checksum = rbuf_u16(&b);
	len_ok = u->len >= UDP_HDR_LEN && u->len <= avail;
	if (!len_ok && !(u->len >= UDP_HDR_LEN &&
	    pdec_cut_by_capture(d, off + u->len)))
		viol_add(&d->p->viol, V_UDP_LENGTH, off + 4, u->len,
		    (uint32_t)avail, 0, NULL);
	uend = len_ok ? off + u->len : end;
	if (l3->family == 6 && u->checksum == 0)
		/* RFC 8200 §8.1: mandatory over IPv6 */
		viol_add(&d->p->viol, V_UDP6_ZERO_CHECKSUM, off + 6, 0, 0, 0,
		    NULL);
	else if (u->checksum != 0 && len_ok) {
		/* over IPv4, zero means "no checksum" (RFC 768) */
		want = udp_want(d, off, u->len, l3);
		if (!cksum_same(u->checksum, want))
			viol_add(&d->p->viol, V_UDP_CHECKSUM, off + 6,
			    u->checksum, want, 0, NULL);
	}
	rc = udp_payload(d, u, off + UDP_HDR_LEN, uend);
	if (len_ok)
		pdec_trailing(d, "UDP datagram", uend, end);
	return rc;
}

/* --------------------------------------------------------------- encoder */

static uint16_t
next_ethertype(const struct pkt *p, size_t i, uint16_t dflt)
{
	if (i + 1 >= p->nhdr)
		return dflt;
	if (p->h[i + 1].kind == HDR_IPV4)
		return ETHERTYPE_IPV4_;
	if (p->h[i + 1].kind == HDR_IPV6)
		return ETHERTYPE_IPV6_;
	if (p->h[i + 1].kind == HDR_ARP)
		return ETHERTYPE_ARP_;
	return dflt;
}

void
penc_link(const struct pkt *p, size_t i, struct wbuf *w)
{
	const struct hdr *h = &p->h[i];
	bool keep = (h->keep & HDR_KEEP_NH) != 0;

	if (h->kind == HDR_SLL) {
		const struct hdr_sll *s = &h->u.sll;

		wbuf_u16(w, s->pkttype);
		wbuf_u16(w, s->hatype);
		wbuf_u16(w, s->halen);
		wbuf_bytes(w, s->addr, sizeof(s->addr));
		wbuf_u16(w, keep ? s->proto : next_ethertype(p, i, s->proto));
		return;
	}
	wbuf_bytes(w, h->u.eth.dst, sizeof(h->u.eth.dst));
	wbuf_bytes(w, h->u.eth.src, sizeof(h->u.eth.src));
	if (h->u.eth.vlan != 0) {
		wbuf_u16(w, ETHERTYPE_VLAN_);
		wbuf_u16(w, h->u.eth.vlan);
	}
	wbuf_u16(w, keep ? h->u.eth.ethertype :
	    next_ethertype(p, i, h->u.eth.ethertype));
}

/* The IHL the encoder writes: as given, or from the options' length. */
static uint8_t
ip4_ihl_out(const struct hdr *h)
{
	const struct hdr_ipv4 *ip4 = &h->u.ip4;
	size_t olen = ip4->opt_len <= sizeof(ip4->opts) ? ip4->opt_len :
	    sizeof(ip4->opts);

	if ((h->keep & HDR_KEEP_LEN) != 0)
		return ip4->ihl & 0xf;
	return (uint8_t)(5 + (olen + 3) / 4);
}

void
penc_ip4(const struct pkt *p, size_t i, struct wbuf *w)
{
	const struct hdr *h = &p->h[i];
	const struct hdr_ipv4 *ip4 = &h->u.ip4;
	bool keep_len = (h->keep & HDR_KEEP_LEN) != 0;
	size_t olen = ip4->opt_len <= sizeof(ip4->opts) ? ip4->opt_len :
	    sizeof(ip4->opts);
	size_t padded = (olen + 3) / 4 * 4;

	wbuf_u8(w, (uint8_t)(4 << 4 | ip4_ihl_out(h)));
	wbuf_u8(w, ip4->tos);
	wbuf_u16(w, keep_len ? ip4->tot_len : 0);
	wbuf_u16(w, ip4->id);
	wbuf_u16(w, ip4->frag);
	wbuf_u8(w, ip4->ttl);
	wbuf_u8(w, (h->keep & HDR_KEEP_NH) != 0 ? ip4->proto :
	    penc_next_proto(p, i, ip4->proto));
	wbuf_u16(w, (h->keep & HDR_KEEP_CKSUM) != 0 ? ip4->checksum : 0);
	wbuf_in4(w, &ip4->src);
	wbuf_in4(w, &ip4->dst);
	wbuf_bytes(w, ip4->opts, olen);
	if (!keep_len)	/* End of Option List octets, RFC 791 §3.1 */
		wbuf_zero(w, padded - olen);
}

void
penc_ip4_finish(const struct pkt *p, size_t i, size_t start, struct wbuf *w)
{
	const struct hdr *h = &p->h[i];
	size_t hlen = (size_t)ip4_ihl_out(h) * 4;

	if ((h->keep & HDR_KEEP_LEN) == 0) {
		if (w->len - start > 0xffff) {
			w->err = true;
			return;
		}
		wbuf_set_u16(w, start + 2, (uint16_t)(w->len - start));
	}
	if ((h->keep & HDR_KEEP_CKSUM) != 0)
		return;
	if (hlen < IP4_HDR_LEN)
		hlen = IP4_HDR_LEN;
	if (hlen > w->len - start)
		hlen = w->len - start;
	wbuf_set_u16(w, start + 10, cksum_plain(w->data + start, hlen, 10));
}

void
penc_udp(const struct pkt *p, size_t i, struct wbuf *w)
{
	const struct hdr *h = &p->h[i];

	wbuf_u16(w, h->u.udp.sport);
	wbuf_u16(w, h->u.udp.dport);
	wbuf_u16(w, (h->keep & HDR_KEEP_LEN) != 0 ? h->u.udp.len : 0);
	wbuf_u16(w, (h->keep & HDR_KEEP_CKSUM) != 0 ? h->u.udp.checksum : 0);
}

void
penc_udp_finish(const struct pkt *p, size_t i, size_t start, struct wbuf *w)
{
	const struct hdr *h = &p->h[i];
	size_t n = w->len - start;
	struct in6_addr s6, d6;
	uint16_t sum;
	int j;

	if ((h->keep & HDR_KEEP_LEN) == 0) {
		if (n > 0xffff) {
			w->err = true;
			return;
		}
		wbuf_set_u16(w, start + 4, (uint16_t)n);
	} else if (h->u.udp.len >= UDP_HDR_LEN && h->u.udp.len < n)
		n = h->u.udp.len;	/* what a receiver would sum */
	if ((h->keep & HDR_KEEP_CKSUM) != 0 || w->err)
		return;
	if ((j = pkt_enclosing_ip(p, i)) < 0)
		return;
	if (p->h[j].kind == HDR_IPV4)
		sum = cksum_upper4(&p->h[j].u.ip4.src, &p->h[j].u.ip4.dst,
		    PROTO_UDP, w->data + start, n, 6);
	else if (pkt_pseudo6(p, i, &s6, &d6))
		sum = cksum_upper6(&s6, &d6, PROTO_UDP, w->data + start, n, 6);
	else
		return;
	wbuf_set_u16(w, start + 6, sum == 0 ? 0xffff : sum);
}
