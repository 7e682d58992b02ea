/*
 * viol.h - conformance violations found while decoding a packet.
 *
 * The decoders never stop at "invalid": they record every violation they
 * find, with the offset (from the start of the buffer handed to the
 * top-level decoder) and up to three numbers and one static string, and go
 * on where the packet still makes sense.  The conformance tester judges with
 * this list and mip6dump --check prints it; the table in viol.c holds each
 * code's stable name, the RFC clause it enforces, and its message format.
 */
#ifndef MIP6_PACKETS_VIOL_H
#define MIP6_PACKETS_VIOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sbuf;
struct jw;

enum viol_code {
	V_NONE = 0,

	/* Generic and link layer. */
	V_TRUNCATED,		/* s: what; a: needed; b: captured */
	V_TRAILING_BYTES,	/* s: after what; a: count */
	V_TOO_MANY,		/* s: what; a: limit kept */
	V_UNSUPPORTED_LINK,	/* a: link type */

	/* IPv4. */
	V_IP4_VERSION,		/* a: version */
	V_IP4_IHL,		/* a: IHL */
	V_IP4_TOTLEN,		/* a: total length; b: bytes present */
	V_IP4_CHECKSUM,		/* a: found; b: expected */
	V_IP4_FRAGMENT,		/* a: offset; b: MF; not reassembled */

	/* IPv6 and its extension headers. */
	V_IP6_VERSION,		/* a: version */
	V_IP6_PLEN,		/* a: payload length; b: bytes present */
	V_EXT_PAST_END,		/* s: header; a: length; b: bytes left */
	V_EXT_ORDER,		/* s: header; a: next header */
	V_HBH_NOT_FIRST,	/* RFC 8200 §4.1 */
	V_TLV_PAST_END,		/* s: header; a: option type; b: length */
	V_HAO_LENGTH,		/* a: option length (must be 16) */
	V_HAO_MISALIGNED,	/* a: offset within the header (8n+6) */
	V_HAO_DUPLICATE,	/* RFC 6275 §6.3: at most one */
	V_HAO_NOT_ALLOWED,	/* s: message; RFC 6275 §6.1 */
	V_HAO_PLACEMENT,	/* HAO Destination Options header before a
				   Routing header or after Fragment/AH/ESP */
	V_RH_UNKNOWN_TYPE,	/* a: routing type; b: segments left */
	V_RH2_LENGTH,		/* a: Hdr Ext Len (must be 2) */
	V_RH2_SEGLEFT,		/* a: Segments Left (must be 1) */
	V_RH2_NOT_ALLOWED,	/* s: message; RFC 6275 §6.1 */
	V_RH2_DUPLICATE,
	V_FRAG_NOT_FIRST,	/* a: offset; payload not decoded */
	V_PADN_NONZERO,		/* s: header; a: offset (RFC 8200 §4.2) */

	/* UDP and the DSMIPv6 encapsulation. */
	V_UDP_LENGTH,		/* a: UDP length; b: bytes present */
	V_UDP_CHECKSUM,		/* a: found; b: expected */
	V_UDP6_ZERO_CHECKSUM,	/* RFC 8200 §8.1 */
	V_ENCAP_VERSION,	/* a: version nibble after UDP 4191 */
	V_ICMP4_CHECKSUM,	/* a: found; b: expected */

	/* ICMPv6, Neighbor Discovery and the mobility ICMPv6 messages. */
	V_ICMP6_CHECKSUM,	/* a: found; b: expected */
	V_ICMP6_LENGTH,		/* s: message; a: length; b: minimum */
	V_ICMP6_CODE,		/* s: message; a: code */
	V_ND_OPT_ZERO_LEN,	/* a: option type */
	V_ND_OPT_PAST_END,	/* a: option type; b: length in bytes */
	V_ND_OPT_LENGTH,	/* s: option; a: Length; b: expected */
	V_ND_HOPLIMIT,		/* s: message; a: hop limit (must be 255) */
	V_HAINFO_LIFETIME_ZERO,	/* RFC 6275 §7.4 */
	V_DHAAD_TOO_MANY,	/* a: count; reply longer than the min MTU */

	/* Mobility Header. */
	V_MH_PAYLOAD_PROTO,	/* a: Payload Proto (should be 59) */
	V_MH_HDRLEN_PAST_END,	/* a: Header Len; b: bytes (8(a+1)); c: have */
	V_MH_HDRLEN_SHORT,	/* s: message; a: Header Len; b: minimum */
	V_MH_CHECKSUM,		/* a: found; b: expected */
	V_MH_UNKNOWN_TYPE,	/* a: MH type (informative: BE status 2) */
	V_MH_OPT_PAST_END,	/* s: option; a: offset; b: length */
	V_MH_OPT_LENGTH,	/* s: option; a: Length; b: expected */
	V_MH_OPT_MISALIGNED,	/* s: option; a: offset; b: x; c: y */
	V_MH_OPT_NOT_ALLOWED,	/* s: option; a: MH type */
	V_MH_BAD_NOT_LAST,	/* RFC 6275 §6.2.7 */
	V_MH_OPT_DUPLICATE,	/* s: option */
	V_MH_PAD_NONZERO,	/* a: offset */
	V_MH_PAD_EXCESS,	/* a: bytes of padding; more than alignment
				   needs (informative) */
	V_MH_OPT_VALUE,		/* s: field; a: value (out of range) */
	V_RH2_ON_BRR,		/* RFC 6275 §6.1: the sender broke a MUST,
				   but the receiver answers it (§11.7.4) */
	V_ESP_OPEN,		/* a: SPI; s: why (esp_strerror): the SA
				   given to the decoder did not open it */

	V_COUNT
};

enum viol_severity {
	VS_ERROR,	/* the packet breaks a MUST; a receiver should drop it */
	VS_WARN,	/* a SHOULD or an oddity worth reporting */
	VS_INFO		/* noted for the judge, not a fault by itself */
};

struct viol {
	uint16_t	 code;		/* enum viol_code */
	uint32_t	 off;
	uint32_t	 a, b, c;
	const char	*s;		/* always a static string */
};

#define VIOL_MAX	24

struct viol_list {
	size_t		n;
	size_t		dropped;	/* violations beyond VIOL_MAX */
	struct viol	v[VIOL_MAX];
};

void	viol_init(struct viol_list *);
void	viol_add(struct viol_list *, enum viol_code, size_t off, uint32_t a,
	    uint32_t b, uint32_t c, const char *s);
bool	viol_has(const struct viol_list *, enum viol_code);
size_t	viol_count_severity(const struct viol_list *, enum viol_severity);

const char	*viol_name(enum viol_code);	/* "mh-checksum" */
const char	*viol_clause(enum viol_code);	/* "RFC 6275 §6.1.1" */
enum viol_severity viol_severity(enum viol_code);
const char	*viol_severity_name(enum viol_severity);
/* "MH checksum 0x3d81, expected 0x3d80" */
void	viol_format(struct sbuf *, const struct viol *);
/* {"code":"mh-checksum","severity":"error","clause":...,"offset":..,
 *  "message":...} */
void	viol_json(struct jw *, const struct viol *);

#endif
