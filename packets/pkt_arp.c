/*
 * pkt_arp.c - ARP (RFC 826) inside struct pkt: the 28-octet Ethernet/IPv4
 * body after a link header of type 0x0806 becomes an HDR_ARP header, so
 * that a conformance case can send a crafted ARP request and judge the
 * reply, e.g. a home agent defending a mobile node's IPv4 home address
 * on the home link (RFC 5555 §4.5).  The octets are read and written by
 * the one ARP codec, arp.c.
 */
#include "arp.h"
#include "buf.h"
#include "pkt_impl.h"

int
pdec_arp(struct pdec *d, size_t off, size_t end)
{
	struct arp_msg m;
	struct hdr *h;

	/* Another hardware or protocol type, or a body the frame cut
	   short: kept opaque, as before ARP had a header of its own. */
	if (end < off || arp_decode(&m, d->buf + off, end - off) < 0)
		return pdec_data(d, 0, off, end);
	if ((h = pdec_push(d, HDR_ARP, off)) == NULL)
		return 0;
	h->u.arp = m;
	h->len = ARP_LEN;
	/* a 42-octet frame is padded to the Ethernet minimum: no fault */
	pdec_trailing(d, "ARP message", off + ARP_LEN, end);
	return 0;
}

void
penc_arp(const struct pkt *p, size_t i, struct wbuf *w)
{
	uint8_t body[ARP_LEN];

	arp_encode(&p->h[i].u.arp, body);
	wbuf_bytes(w, body, sizeof(body));
}
