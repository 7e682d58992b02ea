/*
 * pkt_impl.h - private glue between the files of the packet stack: pkt.c
 * (decode/encode drivers, building, lookups), ip4.c (link layers, IPv4,
 * UDP), ip6.c (IPv6 and its extension headers), icmp6.c / icmp6_print.c,
 * ip4_icmp.c (ICMPv4), pkt_arp.c (ARP) and pkt_print.c.  Not part of the library's API.
 */
#ifndef MIP6_PACKETS_PKT_IMPL_H
#define MIP6_PACKETS_PKT_IMPL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pkt.h"
#include "sbuf.h"

struct wbuf;

/* IP protocol numbers the stack dispatches on (IANA). */
#define PROTO_HOPOPT	0
#define PROTO_ICMP	1
#define PROTO_IPV4	4
#define PROTO_TCP	6
#define PROTO_UDP	17
#define PROTO_IPV6	41
#define PROTO_ROUTING	43
#define PROTO_FRAGMENT	44
#define PROTO_ESP	50
#define PROTO_AH	51
#define PROTO_ICMP6	58
#define PROTO_NONE	59
#define PROTO_DSTOPTS	60
#define PROTO_MH	135

#define ETHERTYPE_IPV4_	0x0800
#define ETHERTYPE_IPV6_	0x86dd
#define ETHERTYPE_VLAN_	0x8100

#define IP6_HDR_LEN	40
#define IP4_HDR_LEN	20
#define UDP_HDR_LEN	8
#define ETH_HDR_LEN	14
#define SLL_HDR_LEN	16
#define NULL_HDR_LEN	4
/* IEEE 802.3: the smallest frame carries 46 octets of payload (padded). */
#define ETH_MIN_PAYLOAD	46

/* Decoder state for one call of pkt_decode(). */
struct pdec {
	struct pkt	*p;
	const uint8_t	*buf;
	size_t		 len;		/* bytes captured */
	size_t		 missing;	/* bytes on the wire, not captured */
	bool		 pad_ok;	/* link payload may carry padding */
	bool		 stop;		/* header limit reached */
	int		 depth;		/* IP nesting, 0 = outermost */
	const struct pkt_esp_keys *keys;	/* ESP SAs, or NULL */
};

/*
 * The network-layer context an upper layer is decoded in: the addresses
 * its checksum pseudo-header uses (RFC 6275 §6.1.1, §11.3.1; RFC 8200
 * §8.1) and what the Mobile IPv6 placement rules need.
 */
/*
 * Does a length field that ends at `field_end` (beyond the captured end)
 * still fit the frame as it was on the wire?  Then the capture cut the
 * packet (snaplen), which the layers whose bytes are missing report; the
 * length field itself is right.
 */
static inline bool
pdec_cut_by_capture(const struct pdec *d, size_t field_end)
{
	return d->missing > 0 && field_end <= d->len + d->missing;
}

struct l3 {
	int			 family;	/* 4 or 6 */
	struct in_addr		 src4, dst4;
	/* the IPv6 header's addresses */
	const struct in6_addr	*src6, *dst6;
	/* a valid Home Address option, and its buffer offset */
	const struct in6_addr	*hao;
	size_t			 hao_off;
	/* the Type 2 Routing header's home address */
	const struct in6_addr	*rh2;
	size_t			 rh2_off;
	/* a Routing header with Segments Left > 0 names this */
	bool			 have_final;
	struct in6_addr		 final_dst;
	int			 hlim;
	bool			 complete;	/* all captured */
};

/* Pseudo-header source and destination after the HAO and RH rules. */
const struct in6_addr *l3_pseudo_src(const struct l3 *);
const struct in6_addr *l3_pseudo_dst(const struct l3 *);

/* pkt.c: shared decoder steps. */
struct hdr *pdec_push(struct pdec *, enum hdr_kind, size_t off);
void	pdec_trunc(struct pdec *, const char *what, size_t off, size_t need,
	    size_t have);
void	pdec_trailing(struct pdec *, const char *after, size_t from,
	    size_t to);
int	pdec_upper(struct pdec *, uint8_t proto, size_t off, size_t end,
	    struct l3 *);
int	pdec_data(struct pdec *, uint8_t proto, size_t off, size_t end);

/* ip4.c */
int	pdec_link(struct pdec *, enum pkt_link);
int	pdec_ip4(struct pdec *, size_t off, size_t end);
int	pdec_udp(struct pdec *, size_t off, size_t end, struct l3 *);
/* ip6.c */
int	pdec_ip6(struct pdec *, size_t off, size_t end);
/* ip6.c -> pkt_esp.c: open an ESP body (see pkt_esp.c). */
int	pdec_esp_open(struct pdec *, struct hdr *, const struct esp_sa *,
	    size_t off, size_t end, uint8_t **frame, size_t *inner_off,
	    size_t *inner_end, uint8_t *nh);
/* ip4_icmp.c */
int	pdec_icmp4(struct pdec *, size_t off, size_t end, const struct l3 *);
/* pkt_arp.c: the payload of a link header of type 0x0806 */
int	pdec_arp(struct pdec *, size_t off, size_t end);

/*
 * Encoder steps.  `i` is the header's index in p->h[]; writers append the
 * header, finishers (called innermost first, once everything after the
 * header is written) fill lengths and checksums.
 */
uint8_t	penc_next_proto(const struct pkt *, size_t i, uint8_t dflt);
int	pkt_enclosing_ip(const struct pkt *, size_t i);
bool	pkt_pseudo6(const struct pkt *, size_t i, struct in6_addr *src,
	    struct in6_addr *dst);
void	penc_link(const struct pkt *, size_t i, struct wbuf *);
void	penc_ip4(const struct pkt *, size_t i, struct wbuf *);
void	penc_ip4_finish(const struct pkt *, size_t i, size_t start,
	    struct wbuf *);
void	penc_udp(const struct pkt *, size_t i, struct wbuf *);
void	penc_udp_finish(const struct pkt *, size_t i, size_t start,
	    struct wbuf *);
void	penc_icmp4(const struct pkt *, size_t i, struct wbuf *);
void	penc_icmp4_finish(const struct pkt *, size_t i, size_t start,
	    struct wbuf *);
void	penc_arp(const struct pkt *, size_t i, struct wbuf *);
void	penc_ip6(const struct pkt *, size_t i, struct wbuf *);
void	penc_ip6_finish(const struct pkt *, size_t i, size_t start,
	    struct wbuf *);
void	penc_ext(const struct pkt *, size_t i, struct wbuf *);
/* pkt_esp.c: an ESP header with an SA, once what follows is finished */
void	penc_esp_seal(const struct pkt *, size_t i, size_t start,
	    struct wbuf *);

/* ip6.c: helpers over decoded or built headers. */
const struct in6_addr *opts_hao(const struct hdr_opts *);
const struct in6_addr *opts_hao_encoded(const struct hdr *);
bool	rh_final_dst(const struct hdr_rh *, struct in6_addr *);

/* "00:00:5e:00:53:01" into out[17] (no NUL). */
static inline void
fmt_mac(char *out, const uint8_t *a, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[i * 3] = hex[a[i] >> 4];
		out[i * 3 + 1] = hex[a[i] & 0xf];
		if (i + 1 < n)
			out[i * 3 + 2] = ':';
	}
}

/* icmp6.c: the short-form token of a type ("DHAAD-Request"), or NULL. */
const char *icmp6_type_token(uint8_t type);
uint8_t	nd_opt_fixed_len(uint8_t type);

#endif
