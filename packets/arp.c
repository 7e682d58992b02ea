/*
 * arp.c - ARP for IPv4 over Ethernet (RFC 826), encode and decode of the
 * 28-octet body (arp.h).
 */
#include "arp.h"
#include "buf.h"

#define ARP_HTYPE_ETHER	1
#define ARP_PTYPE_IPV4	0x0800

int
arp_decode(struct arp_msg *m, const uint8_t *data, size_t len)
{
	struct rbuf b;
	uint16_t htype, ptype;
	uint8_t hlen, plen;

	if (len < ARP_LEN)
		return -1;
	rbuf_init(&b, data, ARP_LEN);
	htype = rbuf_u16(&b);
	ptype = rbuf_u16(&b);
	hlen = rbuf_u8(&b);
	plen = rbuf_u8(&b);
	if (htype != ARP_HTYPE_ETHER || ptype != ARP_PTYPE_IPV4 || hlen != 6 ||
	    plen != 4)
		return -1;
	m->op = rbuf_u16(&b);
	rbuf_bytes(&b, m->sha, 6);
	rbuf_in4(&b, &m->spa);
	rbuf_bytes(&b, m->tha, 6);
	rbuf_in4(&b, &m->tpa);
	return 0;
}

void
arp_encode(const struct arp_msg *m, uint8_t out[ARP_LEN])
{
	struct wbuf w;

	wbuf_init(&w, out, ARP_LEN);
	wbuf_u16(&w, ARP_HTYPE_ETHER);
	wbuf_u16(&w, ARP_PTYPE_IPV4);
	wbuf_u8(&w, 6);
	wbuf_u8(&w, 4);
	wbuf_u16(&w, m->op);
	wbuf_bytes(&w, m->sha, 6);
	wbuf_in4(&w, &m->spa);
	wbuf_bytes(&w, m->tha, 6);
	wbuf_in4(&w, &m->tpa);
}
