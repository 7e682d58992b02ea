/*
 * pkt.h - a whole packet as a stack of headers: Ethernet, IPv4, IPv6 and
 * its extension-header chain (Hop-by-Hop, Destination Options with the Home
 * Address option, Routing incl. Type 2, Fragment, AH as opaque, ESP opaque
 * or, given the SA, opened), UDP,
 * and the Mobility Header or ICMPv6 message that ends it.  Encapsulations
 * nest: IPv6-in-IPv6, IPv4-in-IPv6, IPv6-in-IPv4, and the DSMIPv6 UDP
 * encapsulation IPv4/UDP(4191)/IPv6 or IPv4 (RFC 5555 §4), whose inner
 * version is told by the first nibble after the UDP header.  An ARP
 * message (RFC 826, Ethernet/IPv4) after a link header of type 0x0806 is
 * a header of its own (HDR_ARP, the codec of arp.h).
 *
 * The decoder fills the stack and the violation list; the encoder walks the
 * stack and computes next-header values, lengths and checksums unless a
 * header's `keep` bits say otherwise (to craft malformed packets).  The
 * pseudo-header of an upper-layer checksum uses the innermost IPv6 header,
 * with the home address from a Home Address option as the source and the
 * Type 2 Routing header's home address as the destination (RFC 6275
 * §6.1.1, §11.3.1; RFC 8200 §8.1).
 */
#ifndef MIP6_PACKETS_PKT_H
#define MIP6_PACKETS_PKT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arp.h"
#include "esp.h"
#include "icmp6.h"
#include "mh.h"
#include "viol.h"

struct sbuf;
struct jw;

#define DSMIP_UDP_PORT	4191	/* RFC 5555 §4.1 */
#define IP6_HAO_TYPE	201	/* RFC 6275 §6.3 */
#define PKT_MAX_HDRS	16
#define PKT_MAX_LEN	65535
#define IP6_TLV_MAX	8

enum pkt_link {
	PKT_LINK_ETHER,		/* DLT_EN10MB */
	PKT_LINK_RAW,		/* DLT_RAW: IPv4 or IPv6 by version nibble */
	PKT_LINK_IPV6,
	PKT_LINK_IPV4,
	PKT_LINK_LINUX_SLL,	/* DLT_LINUX_SLL, "any" captures */
	PKT_LINK_NULL		/* DLT_NULL (loopback) */
};

enum hdr_kind {
	HDR_ETH, HDR_SLL, HDR_IPV4, HDR_IPV6, HDR_HBH, HDR_DSTOPT, HDR_RH,
	HDR_FRAG, HDR_AH, HDR_ESP, HDR_UDP, HDR_MH, HDR_ICMP6, HDR_DATA,
	HDR_ICMP4, HDR_ARP
};

/* One option of a Hop-by-Hop or Destination Options header. */
struct ip6_tlv {
	uint8_t		type;
	uint8_t		len;
	uint16_t	off;		/* from the start of the header */
	struct in6_addr	hoa;		/* type 201 */
	uint8_t		data_len;	/* other types; PadN contents */
	uint8_t		data[32];
};

struct hdr_eth {
	uint8_t		dst[6], src[6];
	uint16_t	ethertype;
	uint16_t	vlan;		/* 0: none; else TCI of one 802.1Q tag */
};

/* DLT_LINUX_SLL cooked header (16 octets). */
struct hdr_sll {
	uint16_t	pkttype;	/* 0 host, 4 outgoing, ... */
	uint16_t	hatype;		/* ARPHRD_* */
	uint16_t	halen;
	uint8_t		addr[8];
	uint16_t	proto;		/* ethertype */
};

struct hdr_ipv4 {
	uint8_t		ihl, tos, ttl, proto;
	uint16_t	tot_len, id, frag;	/* frag: flags + offset */
	uint16_t	checksum;
	struct in_addr	src, dst;
	uint8_t		opt_len;
	uint8_t		opts[40];
};

struct hdr_ipv6 {
	uint8_t		tclass;
	uint32_t	flow;
	uint16_t	plen;
	uint8_t		nh;
	uint8_t		hlim;
	struct in6_addr	src, dst;
};

struct hdr_opts {	/* HDR_HBH and HDR_DSTOPT */
	uint8_t		nh;
	uint8_t		hdr_ext_len;
	size_t		ntlv;
	struct ip6_tlv	tlv[IP6_TLV_MAX];
};

struct hdr_rh {
	uint8_t		nh;
	uint8_t		hdr_ext_len;
	uint8_t		type;
	uint8_t		segleft;
	uint32_t	reserved;
	struct in6_addr	addr;		/* type 2: home address; type 0: 1st */
	uint8_t		data_len;	/* other types: data after octet 4 */
	uint8_t		data[64];
};

struct hdr_frag {
	uint8_t		nh;
	uint8_t		reserved;
	uint16_t	offset;		/* in 8-octet units */
	bool		m;
	uint8_t		res2;
	uint32_t	id;
};

/*
 * HDR_AH (opaque) and HDR_ESP.  An ESP header is opaque (an HDR_DATA of
 * protocol 50 follows) unless the decoder was given its SA
 * (pkt_decode_keys): then `opened` says the ICV held and the payload was
 * decrypted, and the inner headers follow it in h[] with offsets into the
 * ciphertext's place in the frame (RFC 4303 §3.4).  A packet built with
 * `seal` set is sealed by pkt_encode: the headers after this one become its
 * encrypted payload.
 */
struct hdr_ipsec {
	uint8_t		nh;		/* AH; ESP opened: trailer's Next Header */
	uint8_t		ah_len;		/* AH Payload Len */
	uint32_t	spi;
	uint32_t	seq;
	/* ESP decoded with keys */
	bool		opened;
	uint8_t		pad_len;	/* opened: the Pad Length octet */
	uint16_t	plain_len;	/* opened: octets of inner payload */
	/* ESP encode: seal with sa (its SPI unless spi is not 0) */
	bool		seal;
	struct esp_sa	sa;
	bool		bad_icv;	/* flip the ICV's last bit (a forgery) */
	bool		have_iv;	/* iv[] (esp_iv_len octets), else random */
	uint8_t		iv[ESP_IV_MAX];
};

struct hdr_udp {
	uint16_t	sport, dport, len, checksum;
};

struct hdr_data {	/* an upper layer we do not decode (TCP, ...) */
	uint8_t		proto;		/* IP protocol / next header */
	uint16_t	len;
	uint8_t		data[64];	/* the first bytes, for printing */
	uint16_t	data_len;
};

/*
 * An ICMPv4 message (RFC 792): the 8-octet header and what follows it
 * (echo data, an error's quote), whose first octets are kept.  For echo
 * (types 8 and 0) the second word is Identifier and Sequence Number;
 * for other types id and seq are its two halves.
 */
struct hdr_icmp4 {
	uint8_t		type, code;
	uint16_t	checksum;
	uint16_t	id, seq;
	uint16_t	len;		/* octets after the header */
	uint16_t	data_len;	/* of them kept in data[] */
	uint8_t		data[64];
};

/* Encode overrides, per header. */
#define HDR_KEEP_LEN	0x01	/* plen / tot_len / hdr_ext_len / udp len */
#define HDR_KEEP_NH	0x02	/* next header / proto / ethertype */
#define HDR_KEEP_CKSUM	0x04	/* IPv4 header / UDP / ICMPv4 cksum */

struct hdr {
	enum hdr_kind	kind;
	uint16_t	off;		/* decode: offset in the buffer */
	uint16_t	len;		/* decode: header length */
	unsigned	keep;		/* HDR_KEEP_* */
	union {
		struct hdr_eth		eth;
		struct hdr_sll		sll;
		struct hdr_ipv4		ip4;
		struct hdr_ipv6		ip6;
		struct hdr_opts		opts;
		struct hdr_rh		rh;
		struct hdr_frag		frag;
		struct hdr_ipsec	ipsec;
		struct hdr_udp		udp;
		struct hdr_data		data;
		struct hdr_icmp4	icmp4;
		/* HDR_ARP: the 28-octet body; any other hardware or
		   protocol type stays an opaque HDR_DATA */
		struct arp_msg		arp;
	} u;
};

struct pkt {
	enum pkt_link	link;
	size_t		nhdr;
	struct hdr	h[PKT_MAX_HDRS];
	bool		has_mh;		/* an HDR_MH is in h[]: see mh */
	bool		has_icmp6;	/* an HDR_ICMP6 is in h[]: see icmp6 */
	struct mh_msg	mh;
	unsigned	mh_keep;	/* encode: MH_KEEP_* */
	struct icmp6_msg icmp6;
	unsigned	icmp6_keep;	/* encode: ICMP6_KEEP_* */
	struct viol_list viol;
	size_t		caplen;		/* decode: bytes decoded */
};

/*
 * Decode a frame.  Returns 0 when the headers up to the last one present
 * could be decoded and -1 when the frame ends inside a header; either way
 * p->h[] holds what was decoded and p->viol says what is wrong.
 */
int	pkt_decode(struct pkt *, enum pkt_link, const uint8_t *, size_t);
/*
 * The same for a frame a capture cut short (snaplen): `wirelen` is its
 * length on the wire.  Length fields that fit the wire length are then
 * right, and only the layers whose bytes are missing report truncation
 * ("... but N bytes captured").
 */
int	pkt_decode_wire(struct pkt *, enum pkt_link, const uint8_t *,
	    size_t caplen, size_t wirelen);

/*
 * The SAs an ESP header may be opened with, found by SPI (the first
 * match).  Decoding with keys, an ESP header whose SPI has an SA is
 * opened (esp_open: ICV, then decryption and padding; no replay check,
 * which is the receiver's state) and the inner headers decoded; one that
 * fails to open stays opaque with a V_ESP_OPEN violation saying why.
 * Without keys (NULL or n = 0) the result is pkt_decode_wire's.
 */
struct pkt_esp_keys {
	const struct esp_sa	*sa;
	size_t			 n;
};

int	pkt_decode_keys(struct pkt *, enum pkt_link, const uint8_t *,
	    size_t caplen, size_t wirelen, const struct pkt_esp_keys *);
const struct esp_sa *pkt_esp_keys_find(const struct pkt_esp_keys *,
	    uint32_t spi);
/*
 * One SA from its text SPI:ENC:ENCKEY:AUTH:AUTHKEY, e.g.
 * "0x1000:aes-cbc:0x00112233445566778899aabbccddeeff:hmac-sha1:0x0011..."
 * (names as esp_enc_from_name / esp_auth_from_name; a key "" or "-" for
 * null / none; keys in hex with or without 0x).  The same form the
 * conformance NUT descriptions, mip6dump --esp-sa and tshark's esp_sa
 * table use.  Returns NULL, or what is wrong; the SA is esp_sa_check'ed.
 */
const char *pkt_esp_sa_parse(const char *, struct esp_sa *);
/* "0x00ab.." or "00ab.." (':' and '.' skipped) into out[cap]: false
   when not hex or longer than cap.  HEX_DIGITS for strspn(). */
#define HEX_DIGITS	"0123456789abcdefABCDEF"
bool	pkt_hex_parse(const char *, uint8_t *out, size_t cap, size_t *n);
/* Its text again (keys in hex with 0x), into out[cap]. */
void	pkt_esp_sa_format(const struct esp_sa *, char *out, size_t cap);

/* Building: start empty and push headers in wire order. */
void	pkt_init(struct pkt *, enum pkt_link);
struct hdr *pkt_push(struct pkt *, enum hdr_kind);	/* NULL if full */
struct mh_msg *pkt_push_mh(struct pkt *, uint8_t type);
struct icmp6_msg *pkt_push_icmp6(struct pkt *, uint8_t type, uint8_t code);
/* Convenience: a Destination Options header holding PadN + HAO. */
/* Start an IPv6 packet (PKT_LINK_IPV6) with its IPv6 header; NULL if
   full.  What every daemon's transmit path begins with. */
struct hdr *pkt_start_ipv6(struct pkt *, const struct in6_addr *src,
	    const struct in6_addr *dst, uint8_t hlim);
struct hdr *pkt_push_hao(struct pkt *, const struct in6_addr *hoa);
struct hdr *pkt_push_rh2(struct pkt *, const struct in6_addr *hoa);

/* Returns 0 and sets *len, or -1 when it does not fit in `cap` (or an
   ESP header's SA fails to seal). */
int	pkt_encode(const struct pkt *, uint8_t *, size_t cap, size_t *len);

/* Lookups over the decoded stack (innermost first where it matters). */
const struct hdr *pkt_find(const struct pkt *, enum hdr_kind);
const struct hdr *pkt_find_last(const struct pkt *, enum hdr_kind);
/* The HAO / RH2 home address applying to the innermost IPv6 packet. */
const struct in6_addr *pkt_hao(const struct pkt *);
const struct in6_addr *pkt_rh2(const struct pkt *);
/* The innermost IPv6 header (the one carrying the MH or ICMPv6). */
const struct hdr_ipv6 *pkt_inner_ip6(const struct pkt *);
/* Is the interesting part encapsulated, and how? "", "ip6ip6", "udp4191"… */
const char *pkt_encap_name(const struct pkt *);

/*
 * Printers.  Short: one line, e.g.
 *   2001:db8:2::100 > 2001:db8:1::1: BU seq=4660 A H K lifetime=400s
 *       hoa=2001:db8:1::100 acoa=2001:db8:2::200
 * with encapsulations as prefixes ("IP 192.0.2.10.5000 > 198.51.100.1.4191
 * UDP | ...").  Verbose: one header per line group.  JSON: one object.
 */
void	pkt_print_short(struct sbuf *, const struct pkt *);
void	pkt_print_verbose(struct sbuf *, const struct pkt *);
void	pkt_print_json(struct jw *, const struct pkt *);
void	pkt_print_violations(struct sbuf *, const struct pkt *);

const char *hdr_kind_name(enum hdr_kind);
/*
 * The Next Header (or IPv4 protocol) value a header announces for what
 * follows it; -1 for headers that announce none (link layers, ESP, UDP,
 * upper layers).
 */
int	hdr_next_proto(const struct hdr *);
const char *ip_proto_name(uint8_t);

#endif
