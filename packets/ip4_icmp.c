/*
 * ip4_icmp.c - ICMPv4 messages inside struct pkt (RFC 792): decoder and
 * encoder of the 8-octet header and what follows it, so that a
 * conformance case can send an IPv4 echo request to a dual-stack mobile
 * node's IPv4 home address and judge the reply (RFC 5555 §4.4.4).  The
 * Fragmentation Needed builder the daemons use is icmp4.c, written
 * straight to bytes.
 */
#include <string.h>

#include "buf.h"
#include "cksum.h"
#include "pkt_impl.h"
#include "viol.h"

#define ICMP4_HDR_LEN		8
#define ICMP4_CKSUM_OFF		2

int
pdec_icmp4(struct pdec *d, size_t off, size_t end, const struct l3 *l3)
{
	struct hdr_icmp4 *m;
	struct hdr *h;
	struct rbuf b;
	size_t n = end > off ? end - off : 0;
	uint16_t want;

	if (n < ICMP4_HDR_LEN) {
		pdec_trunc(d, "ICMPv4 header", off, ICMP4_HDR_LEN, n);
		return -1;
	}
	if ((h = pdec_push(d, HDR_ICMP4, off)) == NULL)
		return 0;
	m = &h->u.icmp4;
	rbuf_init(&b, d->buf + off, n);
	m->type = rbuf_u8(&b);
	m->code = rbuf_u8(&b);
	m->checksum = rbuf_u16(&b);
	m->id = rbuf_u16(&b);
	m->seq = rbuf_u16(&b);
	m->len = (uint16_t)(n - ICMP4_HDR_LEN);
	m->data_len = m->len < sizeof(m->data) ? m->len :
	    (uint16_t)sizeof(m->data);
	rbuf_bytes(&b, m->data, m->data_len);
	h->len = (uint16_t)n;
	/* RFC 792: the checksum covers the whole ICMP message; none over a
	   message the capture cut short. */
	if (l3->complete) {
		want = cksum_plain(d->buf + off, n, ICMP4_CKSUM_OFF);
		if (want != m->checksum)
			viol_add(&d->p->viol, V_ICMP4_CHECKSUM,
			    off + ICMP4_CKSUM_OFF, m->checksum, want, 0, NULL);
	}
	return 0;
}

void
penc_icmp4(const struct pkt *p, size_t i, struct wbuf *w)
{
	const struct hdr_icmp4 *m = &p->h[i].u.icmp4;
	size_t n = m->data_len < sizeof(m->data) ? m->data_len :
	    sizeof(m->data);

	wbuf_u8(w, m->type);
	wbuf_u8(w, m->code);
	wbuf_u16(w, (p->h[i].keep & HDR_KEEP_CKSUM) != 0 ? m->checksum : 0);
	wbuf_u16(w, m->id);
	wbuf_u16(w, m->seq);
	wbuf_bytes(w, m->data, n);
	/* Only the first octets are kept; the rest is written as zeros. */
	if (m->len > n)
		wbuf_zero(w, m->len - n);
}

void
penc_icmp4_finish(const struct pkt *p, size_t i, size_t start,
    struct wbuf *w)
{
	if ((p->h[i].keep & HDR_KEEP_CKSUM) != 0 || w->err)
		return;
	wbuf_set_u16(w, start + ICMP4_CKSUM_OFF, cksum_plain(w->data + start,
	    w->len - start, ICMP4_CKSUM_OFF));
}
