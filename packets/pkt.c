/*
 * pkt.c - a whole packet as a stack of headers (see pkt.h): the decode and
 * encode drivers, the upper-layer dispatch (Mobility Header, ICMPv6, UDP,
 * IP-in-IP), the builders, lookups over the stack and the name tables.
 *
 * Decoding fills p->h[] in wire order and never clears the whole struct
 * pkt (it embeds a ~15 KB mh_msg and a ~2 KB ICMPv6 body): each header
 * initialises the fields it uses.
 */
#include <string.h>

#include "buf.h"
#include "pkt_impl.h"
#include "viol.h"

/* ------------------------------------------------------------- decoder */

const struct in6_addr *
l3_pseudo_src(const struct l3 *l3)
{
	/* RFC 6275 §6.3, §11.3.1: the home address from the HAO */
	return l3->hao != NULL ? l3->hao : l3->src6;
}

const struct in6_addr *
l3_pseudo_dst(const struct l3 *l3)
{
	/* RFC 8200 §8.1: the final destination of a Routing header */
	return l3->have_final ? &l3->final_dst : l3->dst6;
}

struct hdr *
pdec_push(struct pdec *d, enum hdr_kind kind, size_t off)
{
	struct pkt *p = d->p;
	struct hdr *h;

	if (d->stop)
		return NULL;
	if (p->nhdr == PKT_MAX_HDRS) {
		viol_add(&p->viol, V_TOO_MANY, off, PKT_MAX_HDRS, 0, 0,
		    "headers");
		d->stop = true;
		return NULL;
	}
	h = &p->h[p->nhdr++];
	h->kind = kind;
	h->off = (uint16_t)off;
	h->len = 0;
	h->keep = 0;
	return h;
}

void
pdec_trunc(struct pdec *d, const char *what, size_t off, size_t need,
    size_t have)
{
	viol_add(&d->p->viol, V_TRUNCATED, off, (uint32_t)need,
	    (uint32_t)have, 0, what);
}

void
pdec_trailing(struct pdec *d, const char *after, size_t from, size_t to)
{
	if (from >= to)
		return;
	/* Padding of a minimum-size Ethernet frame is not a fault. */
	if (d->depth == 0 && to == d->len && d->pad_ok)
		return;
	viol_add(&d->p->viol, V_TRAILING_BYTES, from, (uint32_t)(to - from),
	    0, 0, after);
}

int
pdec_data(struct pdec *d, uint8_t proto, size_t off, size_t end)
{
	struct hdr_data *x;
	struct hdr *h;
	struct rbuf b;
	size_t n = end > off ? end - off : 0;

	if ((h = pdec_push(d, HDR_DATA, off)) == NULL)
		return 0;
	x = &h->u.data;
	h->len = (uint16_t)n;
	x->proto = proto;
	x->len = (uint16_t)n;
	x->data_len = (uint16_t)(n < sizeof(x->data) ? n : sizeof(x->data));
	rbuf_init(&b, d->buf + off, x->data_len);
	rbuf_bytes(&b, x->data, x->data_len);
	return 0;
}

/* RFC 6275 §6.1: which messages may carry a HAO or a Type 2 RH. */
static void
check_mh_placement(struct pdec *d, const struct l3 *l3)
{
	const struct mh_msg *mh = &d->p->mh;

	if (l3->hao != NULL && mh->type != MH_BU)
		viol_add(&d->p->viol, V_HAO_NOT_ALLOWED, l3->hao_off, mh->type,
		    0, 0, mh_type_abbrev(mh->type));
	if (l3->rh2 != NULL && mh->type != MH_BA)
		viol_add(&d->p->viol, mh->type == MH_BRR ? V_RH2_ON_BRR :
		    V_RH2_NOT_ALLOWED, l3->rh2_off, mh->type, 0, 0,
		    mh_type_abbrev(mh->type));
}

static int
dec_mh(struct pdec *d, size_t off, size_t end, const struct l3 *l3)
{
	struct pkt *p = d->p;
	struct mh_addrs a;
	struct hdr *h;
	struct rbuf b;
	int rc;

	if ((h = pdec_push(d, HDR_MH, off)) == NULL)
		return 0;
	a.src = l3_pseudo_src(l3);
	a.dst = l3_pseudo_dst(l3);
	rbuf_init(&b, d->buf + off, end - off);
	rc = mh_decode(&p->mh, &b, off, &a, &p->viol);
	h->len = p->mh.len;
	p->has_mh = true;
	if (p->mh.len >= 3)
		check_mh_placement(d, l3);
	if (rc < 0)
		return -1;
	pdec_trailing(d, "Mobility Header", off + p->mh.len, end);
	return 0;
}

static int
dec_icmp6(struct pdec *d, size_t off, size_t end, const struct l3 *l3)
{
	struct pkt *p = d->p;
	const struct in6_addr *src = NULL, *dst = NULL;
	struct hdr *h;
	struct rbuf b;

	if ((h = pdec_push(d, HDR_ICMP6, off)) == NULL)
		return 0;
	/* No checksum over a message the capture cut short. */
	if (l3->complete) {
		src = l3_pseudo_src(l3);
		dst = l3_pseudo_dst(l3);
	}
	rbuf_init(&b, d->buf + off, end - off);
	if (icmp6_decode(&p->icmp6, &b, off, src, dst, l3->hlim,
	    &p->viol) < 0) {
		p->nhdr--;	/* not even Type, Code and Checksum */
		return -1;
	}
	h->len = p->icmp6.len;
	p->has_icmp6 = true;
	return 0;
}

int
pdec_upper(struct pdec *d, uint8_t proto, size_t off, size_t end,
    struct l3 *l3)
{
	int rc;

	switch (proto) {
	case PROTO_MH:
		if (l3->family == 6)
			return dec_mh(d, off, end, l3);
		break;
	case PROTO_ICMP6:
		if (l3->family == 6)
			return dec_icmp6(d, off, end, l3);
		break;
	case PROTO_UDP:
		return pdec_udp(d, off, end, l3);
	case PROTO_ICMP:
		if (l3->family == 4)
			return pdec_icmp4(d, off, end, l3);
		break;
	case PROTO_IPV6:
	case PROTO_IPV4:
		d->depth++;
		rc = proto == PROTO_IPV6 ? pdec_ip6(d, off, end) :
		    pdec_ip4(d, off, end);
		d->depth--;
		return rc;
	}
	return pdec_data(d, proto, off, end);
}

int
pkt_decode(struct pkt *p, enum pkt_link link, const uint8_t *data,
    size_t len)
{
	return pkt_decode_wire(p, link, data, len, len);
}

int
pkt_decode_wire(struct pkt *p, enum pkt_link link, const uint8_t *data,
    size_t len, size_t wirelen)
{
	return pkt_decode_keys(p, link, data, len, wirelen, NULL);
}

int
pkt_decode_keys(struct pkt *p, enum pkt_link link, const uint8_t *data,
    size_t len, size_t wirelen, const struct pkt_esp_keys *keys)
{
	struct pdec d;

	p->link = link;
	p->nhdr = 0;
	p->has_mh = false;
	p->has_icmp6 = false;
	p->mh_keep = 0;
	p->icmp6_keep = 0;
	viol_init(&p->viol);
	if (data == NULL)
		len = 0;
	/* Offsets are 16-bit: nothing longer than an IP packet is kept. */
	if (len > PKT_MAX_LEN)
		len = PKT_MAX_LEN;
	p->caplen = len;
	d.p = p;
	d.buf = data;
	d.len = len;
	d.missing = wirelen > len ? wirelen - len : 0;
	d.pad_ok = false;
	d.stop = false;
	d.depth = 0;
	d.keys = keys != NULL && keys->n > 0 ? keys : NULL;
	return pdec_link(&d, link) < 0 ? -1 : 0;
}

/* ------------------------------------------------------------ building */

void
pkt_init(struct pkt *p, enum pkt_link link)
{
	p->link = link;
	p->nhdr = 0;
	p->has_mh = false;
	p->has_icmp6 = false;
	p->mh_keep = 0;
	p->icmp6_keep = 0;
	viol_init(&p->viol);
	p->caplen = 0;
}

struct hdr *
pkt_push(struct pkt *p, enum hdr_kind kind)
{
	struct hdr *h;

	if (p->nhdr >= PKT_MAX_HDRS)
		return NULL;
	h = &p->h[p->nhdr++];
	memset(h, 0, sizeof(*h));
	h->kind = kind;
	switch (kind) {
	case HDR_IPV4:
		h->u.ip4.ihl = 5;
		h->u.ip4.ttl = 64;
		break;
	case HDR_IPV6:
		h->u.ip6.hlim = 64;
		break;
	case HDR_MH:
		p->has_mh = true;
		break;
	case HDR_ICMP6:
		p->has_icmp6 = true;
		break;
	case HDR_ARP:
		h->u.arp.op = ARP_OP_REQUEST;
		break;
	default:
		break;
	}
	return h;
}

struct mh_msg *
pkt_push_mh(struct pkt *p, uint8_t type)
{
	if (pkt_push(p, HDR_MH) == NULL)
		return NULL;
	mh_init(&p->mh, type);
	return &p->mh;
}

struct icmp6_msg *
pkt_push_icmp6(struct pkt *p, uint8_t type, uint8_t code)
{
	if (pkt_push(p, HDR_ICMP6) == NULL)
		return NULL;
	icmp6_init(&p->icmp6, type, code);
	return &p->icmp6;
}

struct hdr *
pkt_start_ipv6(struct pkt *p, const struct in6_addr *src,
    const struct in6_addr *dst, uint8_t hlim)
{
	struct hdr *h;

	pkt_init(p, PKT_LINK_IPV6);
	h = pkt_push(p, HDR_IPV6);
	if (h == NULL)
		return NULL;
	h->u.ip6.src = *src;
	h->u.ip6.dst = *dst;
	h->u.ip6.hlim = hlim;
	return h;
}

/*
 * The canonical Destination Options header of Linux (mip6_destopt_output)
 * and scapy: NH, Hdr Ext Len 2, PadN(2) 01 02 00 00, C9 10 <HoA>, so the
 * address sits on an 8-octet boundary (alignment 8n+6, RFC 6275 §6.3).
 */
struct hdr *
pkt_push_hao(struct pkt *p, const struct in6_addr *hoa)
{
	struct hdr *h = pkt_push(p, HDR_DSTOPT);
	struct hdr_opts *o;

	if (h == NULL)
		return NULL;
	o = &h->u.opts;
	o->hdr_ext_len = 2;
	o->ntlv = 2;
	o->tlv[0].type = 1;
	o->tlv[0].len = 2;
	o->tlv[0].off = 2;
	o->tlv[0].data_len = 2;
	o->tlv[1].type = IP6_HAO_TYPE;
	o->tlv[1].len = 16;
	o->tlv[1].off = 6;
	o->tlv[1].hoa = *hoa;
	return h;
}

/* RFC 6275 §6.4.1: Hdr Ext Len 2, Routing Type 2, Segments Left 1. */
struct hdr *
pkt_push_rh2(struct pkt *p, const struct in6_addr *hoa)
{
	struct hdr *h = pkt_push(p, HDR_RH);

	if (h == NULL)
		return NULL;
	h->u.rh.hdr_ext_len = 2;
	h->u.rh.type = 2;
	h->u.rh.segleft = 1;
	h->u.rh.addr = *hoa;
	return h;
}

/* ------------------------------------------------------------- encoder */

uint8_t
penc_next_proto(const struct pkt *p, size_t i, uint8_t dflt)
{
	static const uint8_t proto_of[] = {
		[HDR_IPV4] = PROTO_IPV4, [HDR_IPV6] = PROTO_IPV6,
		[HDR_HBH] = PROTO_HOPOPT, [HDR_DSTOPT] = PROTO_DSTOPTS,
		[HDR_RH] = PROTO_ROUTING, [HDR_FRAG] = PROTO_FRAGMENT,
		[HDR_AH] = PROTO_AH, [HDR_ESP] = PROTO_ESP,
		[HDR_UDP] = PROTO_UDP, [HDR_MH] = PROTO_MH,
		[HDR_ICMP6] = PROTO_ICMP6, [HDR_ICMP4] = PROTO_ICMP,
	};
	const struct hdr *n;

	if (i + 1 >= p->nhdr)
		return dflt;
	n = &p->h[i + 1];
	if (n->kind == HDR_DATA)
		return n->u.data.proto;
	/* link layers and ARP are no IP payload */
	if (n->kind == HDR_ETH || n->kind == HDR_SLL ||
	    (size_t)n->kind >= sizeof(proto_of))
		return dflt;
	return proto_of[n->kind];
}

int
pkt_enclosing_ip(const struct pkt *p, size_t i)
{
	while (i-- > 0)
		if (p->h[i].kind == HDR_IPV4 || p->h[i].kind == HDR_IPV6)
			return (int)i;
	return -1;
}

bool
pkt_pseudo6(const struct pkt *p, size_t i, struct in6_addr *src,
    struct in6_addr *dst)
{
	const struct in6_addr *hao;
	bool have_hao = false, have_final = false;
	int j = pkt_enclosing_ip(p, i);
	size_t k;

	if (j < 0 || p->h[j].kind != HDR_IPV6)
		return false;
	*src = p->h[j].u.ip6.src;
	*dst = p->h[j].u.ip6.dst;
	for (k = (size_t)j + 1; k < i; k++) {
		if (p->h[k].kind == HDR_DSTOPT && !have_hao &&
		    (hao = opts_hao_encoded(&p->h[k])) != NULL) {
			*src = *hao;
			have_hao = true;
		} else if (p->h[k].kind == HDR_RH && !have_final)
			have_final = rh_final_dst(&p->h[k].u.rh, dst);
	}
	return true;
}

static void
write_data(const struct hdr_data *x, struct wbuf *w)
{
	size_t n = x->data_len < sizeof(x->data) ? x->data_len :
	    sizeof(x->data);

	wbuf_bytes(w, x->data, n);
	/* Only the first bytes are kept; the rest is written as zeros. */
	if (x->len > n)
		wbuf_zero(w, x->len - n);
}

static void
write_one(const struct pkt *p, size_t i, struct wbuf *w)
{
	struct in6_addr s6, d6;
	struct mh_addrs a = { NULL, NULL };
	bool v6 = false;

	if (p->h[i].kind == HDR_MH || p->h[i].kind == HDR_ICMP6)
		v6 = pkt_pseudo6(p, i, &s6, &d6);
	switch (p->h[i].kind) {
	case HDR_ETH:
	case HDR_SLL:
		penc_link(p, i, w);
		break;
	case HDR_IPV4:
		penc_ip4(p, i, w);
		break;
	case HDR_IPV6:
		penc_ip6(p, i, w);
		break;
	case HDR_UDP:
		penc_udp(p, i, w);
		break;
	case HDR_MH:
		if (v6) {
			a.src = &s6;
			a.dst = &d6;
		}
		if (mh_encode(&p->mh, w, p->mh_keep, &a) < 0)
			w->err = true;
		break;
	case HDR_ICMP6:
		if (icmp6_encode(&p->icmp6, w, p->icmp6_keep,
		    v6 ? &s6 : NULL, v6 ? &d6 : NULL) < 0)
			w->err = true;
		break;
	case HDR_DATA:
		write_data(&p->h[i].u.data, w);
		break;
	case HDR_ICMP4:
		penc_icmp4(p, i, w);
		break;
	case HDR_ARP:
		penc_arp(p, i, w);
		break;
	default:
		penc_ext(p, i, w);
		break;
	}
}

int
pkt_encode(const struct pkt *p, uint8_t *buf, size_t cap, size_t *len)
{
	size_t start[PKT_MAX_HDRS], i, n = p->nhdr;
	struct wbuf w;

	if (n > PKT_MAX_HDRS)
		return -1;
	wbuf_init(&w, buf, cap);
	if (p->link == PKT_LINK_NULL) {
		/* host order of the usual little-endian capturing host */
		wbuf_u8(&w, n > 0 && p->h[0].kind == HDR_IPV4 ? 2 : 24);
		wbuf_zero(&w, 3);
	}
	for (i = 0; i < n; i++) {
		start[i] = w.len;
		write_one(p, i, &w);
		if (w.err)
			return -1;
	}
	/* Innermost first: an outer checksum covers the inner packet. */
	for (i = n; i-- > 0;) {
		if (p->h[i].kind == HDR_IPV6)
			penc_ip6_finish(p, i, start[i], &w);
		else if (p->h[i].kind == HDR_IPV4)
			penc_ip4_finish(p, i, start[i], &w);
		else if (p->h[i].kind == HDR_UDP)
			penc_udp_finish(p, i, start[i], &w);
		else if (p->h[i].kind == HDR_ICMP4)
			penc_icmp4_finish(p, i, start[i], &w);
		else if (p->h[i].kind == HDR_ESP && p->h[i].u.ipsec.seal)
			penc_esp_seal(p, i, start[i], &w);
	}
	if (w.err)
		return -1;
	*len = w.len;
	return 0;
}

/* ------------------------------------------------------------- lookups */

const struct hdr *
pkt_find(const struct pkt *p, enum hdr_kind kind)
{
	size_t i;

	for (i = 0; i < p->nhdr; i++)
		if (p->h[i].kind == kind)
			return &p->h[i];
	return NULL;
}

const struct hdr *
pkt_find_last(const struct pkt *p, enum hdr_kind kind)
{
	size_t i;

	for (i = p->nhdr; i-- > 0;)
		if (p->h[i].kind == kind)
			return &p->h[i];
	return NULL;
}

const struct hdr_ipv6 *
pkt_inner_ip6(const struct pkt *p)
{
	const struct hdr *h = pkt_find_last(p, HDR_IPV6);

	return h != NULL ? &h->u.ip6 : NULL;
}

/* Headers after the innermost IPv6 header, up to the next IP header. */
static size_t
inner_ip6_index(const struct pkt *p, size_t *end)
{
	size_t i, j;

	for (i = p->nhdr; i-- > 0;)
		if (p->h[i].kind == HDR_IPV6)
			break;
	if (i == (size_t)-1)
		return (size_t)-1;
	for (j = i + 1; j < p->nhdr; j++)
		if (p->h[j].kind == HDR_IPV4 || p->h[j].kind == HDR_IPV6)
			break;
	*end = j;
	return i;
}

const struct in6_addr *
pkt_hao(const struct pkt *p)
{
	const struct in6_addr *a;
	size_t i, end = 0, k;

	if ((i = inner_ip6_index(p, &end)) == (size_t)-1)
		return NULL;
	for (k = i + 1; k < end; k++)
		if (p->h[k].kind == HDR_DSTOPT &&
		    (a = opts_hao(&p->h[k].u.opts)) != NULL)
			return a;
	return NULL;
}

const struct in6_addr *
pkt_rh2(const struct pkt *p)
{
	const struct hdr_rh *rh;
	size_t i, end = 0, k;

	if ((i = inner_ip6_index(p, &end)) == (size_t)-1)
		return NULL;
	for (k = i + 1; k < end; k++) {
		if (p->h[k].kind != HDR_RH)
			continue;
		rh = &p->h[k].u.rh;
		if (rh->type == 2 && (rh->data_len == 0 || rh->data_len >= 20))
			return &rh->addr;
	}
	return NULL;
}

/*
 * The innermost encapsulation, named as iproute2 names the tunnel modes
 * (<inner><outer>): "ip6ip6", "ipip6" (IPv4 in IPv6), "ip6ip" (IPv6 in
 * IPv4), "ipip", or "udp4191" for the RFC 5555 UDP encapsulation.
 */
const char *
pkt_encap_name(const struct pkt *p)
{
	size_t i, inner = p->nhdr, outer;
	bool inner6, outer6;

	for (i = p->nhdr; i-- > 0;)
		if (p->h[i].kind == HDR_IPV4 || p->h[i].kind == HDR_IPV6) {
			inner = i;
			break;
		}
	if (inner == p->nhdr || inner == 0)
		return "";
	for (outer = inner; outer-- > 0;)
		if (p->h[outer].kind == HDR_IPV4 ||
		    p->h[outer].kind == HDR_IPV6)
			break;
	if (outer == (size_t)-1)
		return "";
	if (p->h[inner - 1].kind == HDR_UDP)
		return "udp4191";
	inner6 = p->h[inner].kind == HDR_IPV6;
	outer6 = p->h[outer].kind == HDR_IPV6;
	if (inner6)
		return outer6 ? "ip6ip6" : "ip6ip";
	return outer6 ? "ipip6" : "ipip";
}

/* ---------------------------------------------------------------- names */

const char *
hdr_kind_name(enum hdr_kind kind)
{
	static const char *const names[] = {
		[HDR_ETH] = "ethernet", [HDR_SLL] = "sll",
		[HDR_IPV4] = "ipv4", [HDR_IPV6] = "ipv6", [HDR_HBH] = "hbh",
		[HDR_DSTOPT] = "dstopt", [HDR_RH] = "routing",
		[HDR_FRAG] = "fragment", [HDR_AH] = "ah", [HDR_ESP] = "esp",
		[HDR_UDP] = "udp", [HDR_MH] = "mh", [HDR_ICMP6] = "icmp6",
		[HDR_DATA] = "data", [HDR_ICMP4] = "icmp4", [HDR_ARP] = "arp",
	};

	if ((unsigned)kind >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[kind];
}

/* IANA protocol numbers, with the short names tcpdump-style output uses. */
const char *
ip_proto_name(uint8_t proto)
{
	static const struct {
		uint8_t		 proto;
		const char	*name;
	} names[] = {
		{ 0, "hopopt" }, { 1, "icmp" }, { 2, "igmp" }, { 4, "ipip" },
		{ 6, "tcp" }, { 17, "udp" }, { 41, "ipv6" },
		{ 43, "ipv6-route" }, { 44, "ipv6-frag" }, { 47, "gre" },
		{ 50, "esp" }, { 51, "ah" }, { 58, "icmp6" },
		{ 59, "no-next-header" }, { 60, "ipv6-opts" },
		{ 103, "pim" }, { 112, "vrrp" }, { 132, "sctp" },
		{ 135, "mobility" }, { 136, "udplite" }, { 139, "hip" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].proto == proto)
			return names[i].name;
	return "unknown";
}

int
hdr_next_proto(const struct hdr *h)
{
	switch (h->kind) {
	case HDR_IPV4:
		return h->u.ip4.proto;
	case HDR_IPV6:
		return h->u.ip6.nh;
	case HDR_HBH:
	case HDR_DSTOPT:
		return h->u.opts.nh;
	case HDR_RH:
		return h->u.rh.nh;
	case HDR_FRAG:
		return h->u.frag.nh;
	case HDR_AH:
		return h->u.ipsec.nh;
	case HDR_ESP:
		return h->u.ipsec.opened ? h->u.ipsec.nh : -1;
	default:
		return -1;
	}
}
