/*
 * viol.c - the violation table: stable names, RFC clauses, severities and
 * message formats (see viol.h).
 *
 * Message formats use placeholders filled from the record: {s} the static
 * string, {a} {b} {c} decimal numbers, {ax} {bx} 16-bit hexadecimal.
 */
#include <string.h>

#include "sbuf.h"
#include "viol.h"

struct viol_info {
	const char		*name;
	const char		*clause;
	enum viol_severity	 sev;
	const char		*fmt;
};

static const struct viol_info viol_table[V_COUNT] = {
	[V_NONE] = { "none", "", VS_INFO, "no violation" },

	[V_TRUNCATED] = { "truncated", "", VS_ERROR,
	    "{s} needs {a} bytes but {b} bytes captured" },
	[V_TRAILING_BYTES] = { "trailing-bytes", "RFC 8200 §3", VS_WARN,
	    "{a} trailing bytes after {s}" },
	[V_TOO_MANY] = { "too-many", "", VS_INFO,
	    "more {s} than the decoder keeps; only the first {a} kept" },
	[V_UNSUPPORTED_LINK] = { "unsupported-link", "", VS_ERROR,
	    "link type {a} is not supported" },

	[V_IP4_VERSION] = { "ip4-version", "RFC 791 §3.1", VS_ERROR,
	    "IPv4 header version {a}" },
	[V_IP4_IHL] = { "ip4-ihl", "RFC 791 §3.1", VS_ERROR,
	    "IPv4 IHL {a} below 5" },
	[V_IP4_TOTLEN] = { "ip4-total-length", "RFC 791 §3.1", VS_ERROR,
	    "IPv4 Total Length {a} but {b} bytes present" },
	[V_IP4_CHECKSUM] = { "ip4-checksum", "RFC 791 §3.1", VS_ERROR,
	    "IPv4 header checksum {ax}, expected {bx}" },
	[V_IP4_FRAGMENT] = { "ip4-fragment", "RFC 791 §3.2", VS_INFO,
	    "IPv4 fragment (offset {a}, MF {b}) not reassembled" },

	[V_IP6_VERSION] = { "ip6-version", "RFC 8200 §3", VS_ERROR,
	    "IPv6 header version {a}" },
	[V_IP6_PLEN] = { "ip6-payload-length", "RFC 8200 §3", VS_ERROR,
	    "IPv6 Payload Length {a} but {b} bytes present" },
	[V_EXT_PAST_END] = { "ext-past-end", "RFC 8200 §4", VS_ERROR,
	    "{s} length {a} but {b} bytes left" },
	[V_EXT_ORDER] = { "ext-order", "RFC 8200 §4.1", VS_WARN,
	    "{s} out of the recommended order (next header {a})" },
	[V_HBH_NOT_FIRST] = { "hbh-not-first", "RFC 8200 §4.1", VS_ERROR,
	    "Hop-by-Hop Options header not immediately after the IPv6 header" },
	[V_TLV_PAST_END] = { "tlv-past-end", "RFC 8200 §4.2", VS_ERROR,
	    "{s} option type {a} length {b} runs past the header" },
	[V_HAO_LENGTH] = { "hao-length", "RFC 6275 §6.3", VS_ERROR,
	    "Home Address option length {a}, expected 16" },
	[V_HAO_MISALIGNED] = { "hao-misaligned", "RFC 6275 §6.3", VS_ERROR,
	    "Home Address option at offset {a} of its header, not 8n+6" },
	[V_HAO_DUPLICATE] = { "hao-duplicate", "RFC 6275 §6.3", VS_ERROR,
	    "more than one Home Address option" },
	[V_HAO_NOT_ALLOWED] = { "hao-not-allowed", "RFC 6275 §6.1", VS_ERROR,
	    "Home Address option with a {s}; only a Binding Update may carry "
	    "one" },
	[V_HAO_PLACEMENT] = { "hao-placement", "RFC 6275 §6.3", VS_WARN,
	    "Home Address option header before a Routing header or after "
	    "Fragment/AH/ESP" },
	[V_RH_UNKNOWN_TYPE] = { "rh-unknown-type", "RFC 8200 §4.4", VS_ERROR,
	    "Routing header type {a} with Segments Left {b}" },
	[V_RH2_LENGTH] = { "rh2-length", "RFC 6275 §6.4", VS_ERROR,
	    "Type 2 Routing header Hdr Ext Len {a}, expected 2" },
	[V_RH2_SEGLEFT] = { "rh2-segments-left", "RFC 6275 §6.4", VS_ERROR,
	    "Type 2 Routing header Segments Left {a}, expected 1" },
	[V_RH2_NOT_ALLOWED] = { "rh2-not-allowed", "RFC 6275 §6.1",
	    VS_ERROR, "Type 2 Routing header with a {s}; only a Binding "
	    "Acknowledgement may carry one" },
	/*
	 * §6.1 forbids the Type 2 Routing header on every Mobility Header
	 * message but the BA, so a correspondent sends its BRR (§9.5.5)
	 * to the home address and the home agent tunnels it.  Some (KAME,
	 * TAHI's) route it to the care-of address with the header; the
	 * request itself is harmless and §11.7.4 wants it answered: a
	 * warning, not an error the receiver drops on.
	 */
	[V_RH2_ON_BRR] = { "rh2-on-brr", "RFC 6275 §6.1, §11.7.4", VS_WARN,
	    "Type 2 Routing header with a BRR; only a Binding "
	    "Acknowledgement may carry one" },
	[V_ESP_OPEN] = { "esp-open", "RFC 4303 §3.4", VS_ERROR,
	    "ESP with SPI {a} not opened with its SA: {s}" },
	[V_RH2_DUPLICATE] = { "rh2-duplicate", "RFC 6275 §6.4", VS_ERROR,
	    "more than one Type 2 Routing header" },
	[V_FRAG_NOT_FIRST] = { "fragment", "RFC 8200 §4.5", VS_INFO,
	    "fragment at offset {a}; payload not decoded" },
	[V_PADN_NONZERO] = { "padn-nonzero", "RFC 8200 §4.2", VS_WARN,
	    "non-zero padding in {s} at offset {a}" },

	[V_UDP_LENGTH] = { "udp-length", "RFC 768", VS_ERROR,
	    "UDP length {a} but {b} bytes present" },
	[V_UDP_CHECKSUM] = { "udp-checksum", "RFC 768", VS_ERROR,
	    "UDP checksum {ax}, expected {bx}" },
	[V_UDP6_ZERO_CHECKSUM] = { "udp6-zero-checksum", "RFC 8200 §8.1",
	    VS_ERROR, "UDP over IPv6 with a zero checksum" },
	[V_ENCAP_VERSION] = { "encap-version", "RFC 5555 §4.1", VS_ERROR,
	    "UDP port 4191 payload starts with IP version {a}" },
	[V_ICMP4_CHECKSUM] = { "icmp4-checksum", "RFC 792", VS_ERROR,
	    "ICMPv4 checksum {ax}, expected {bx}" },

	[V_ICMP6_CHECKSUM] = { "icmp6-checksum", "RFC 4443 §2.3", VS_ERROR,
	    "ICMPv6 checksum {ax}, expected {bx}" },
	[V_ICMP6_LENGTH] = { "icmp6-length", "RFC 4443 §2.1", VS_ERROR,
	    "{s} of {a} bytes, minimum {b}" },
	[V_ICMP6_CODE] = { "icmp6-code", "RFC 4861 §6.1", VS_ERROR,
	    "{s} with code {a}, expected 0" },
	[V_ND_OPT_ZERO_LEN] = { "nd-opt-zero-length", "RFC 4861 §4.6",
	    VS_ERROR, "ND option type {a} with length 0" },
	[V_ND_OPT_PAST_END] = { "nd-opt-past-end", "RFC 4861 §4.6", VS_ERROR,
	    "ND option type {a} of {b} bytes runs past the message" },
	[V_ND_OPT_LENGTH] = { "nd-opt-length", "RFC 4861 §4.6", VS_ERROR,
	    "{s} option Length {a}, expected {b}" },
	[V_ND_HOPLIMIT] = { "nd-hop-limit", "RFC 4861 §6.1", VS_ERROR,
	    "{s} with hop limit {a}, expected 255" },
	[V_HAINFO_LIFETIME_ZERO] = { "hainfo-lifetime-zero", "RFC 6275 §7.4",
	    VS_ERROR, "Home Agent Information option with lifetime 0" },
	[V_DHAAD_TOO_MANY] = { "dhaad-too-many", "RFC 6275 §10.5.1", VS_WARN,
	    "DHAAD Reply with {a} addresses exceeds the IPv6 minimum MTU" },

	[V_MH_PAYLOAD_PROTO] = { "mh-payload-proto", "RFC 6275 §6.1.1",
	    VS_WARN, "MH Payload Proto {a}, expected 59" },
	[V_MH_HDRLEN_PAST_END] = { "mh-hdrlen-past-end", "RFC 6275 §6.1.1",
	    VS_ERROR, "MH Header Len {a} ({b} bytes) but {c} bytes captured" },
	[V_MH_HDRLEN_SHORT] = { "mh-hdrlen-short", "RFC 6275 §9.2",
	    VS_ERROR, "MH Header Len {a} below the minimum {b} for {s}" },
	[V_MH_CHECKSUM] = { "mh-checksum", "RFC 6275 §6.1.1", VS_ERROR,
	    "MH checksum {ax}, expected {bx}" },
	[V_MH_UNKNOWN_TYPE] = { "mh-unknown-type", "RFC 6275 §9.2", VS_INFO,
	    "unrecognized MH Type {a} (answer: Binding Error status 2)" },
	[V_MH_OPT_PAST_END] = { "mh-opt-past-end", "RFC 6275 §6.2.1",
	    VS_ERROR, "{s} option at offset {a} with Length {b} runs past the "
	    "end of the MH" },
	[V_MH_OPT_LENGTH] = { "mh-opt-length", "RFC 6275 §6.2", VS_ERROR,
	    "{s} option Length {a}, expected {b}" },
	[V_MH_OPT_MISALIGNED] = { "mh-opt-misaligned", "RFC 6275 §6.2.1",
	    VS_ERROR, "{s} option at offset {a} violates {b}n+{c} alignment" },
	[V_MH_OPT_NOT_ALLOWED] = { "mh-opt-not-allowed", "RFC 6275 §6.2",
	    VS_ERROR, "{s} option not allowed in MH type {a}" },
	[V_MH_BAD_NOT_LAST] = { "mh-bad-not-last", "RFC 6275 §6.2.7",
	    VS_ERROR, "Binding Authorization Data option is not the last "
	    "option" },
	[V_MH_OPT_DUPLICATE] = { "mh-opt-duplicate", "RFC 6275 §6.2",
	    VS_WARN, "{s} option appears more than once" },
	[V_MH_PAD_NONZERO] = { "mh-pad-nonzero", "RFC 6275 §6.2.3", VS_WARN,
	    "non-zero PadN contents at offset {a}" },
	[V_MH_PAD_EXCESS] = { "mh-pad-excess", "RFC 6275 §6.2.1", VS_INFO,
	    "{a} bytes of padding where alignment needs fewer" },
	[V_MH_OPT_VALUE] = { "mh-opt-value", "", VS_ERROR,
	    "{s} has invalid value {a}" },
};

static const struct viol_info *
info(enum viol_code code)
{
	if ((unsigned)code >= V_COUNT || viol_table[code].name == NULL)
		return &viol_table[V_NONE];
	return &viol_table[code];
}

void
viol_init(struct viol_list *vl)
{
	vl->n = 0;
	vl->dropped = 0;
}

void
viol_add(struct viol_list *vl, enum viol_code code, size_t off, uint32_t a,
    uint32_t b, uint32_t c, const char *s)
{
	struct viol *v;

	if (vl == NULL)
		return;
	if (vl->n == VIOL_MAX) {
		vl->dropped++;
		return;
	}
	v = &vl->v[vl->n++];
	v->code = (uint16_t)code;
	v->off = (uint32_t)off;
	v->a = a;
	v->b = b;
	v->c = c;
	v->s = s != NULL ? s : "";
}

bool
viol_has(const struct viol_list *vl, enum viol_code code)
{
	size_t i;

	for (i = 0; i < vl->n; i++)
		if (vl->v[i].code == code)
			return true;
	return false;
}

size_t
viol_count_severity(const struct viol_list *vl, enum viol_severity sev)
{
	size_t i, n = 0;

	for (i = 0; i < vl->n; i++)
		if (info(vl->v[i].code)->sev == sev)
			n++;
	return n;
}

const char *
viol_name(enum viol_code code)
{
	return info(code)->name;
}

const char *
viol_clause(enum viol_code code)
{
	return info(code)->clause;
}

enum viol_severity
viol_severity(enum viol_code code)
{
	return info(code)->sev;
}

const char *
viol_severity_name(enum viol_severity sev)
{
	switch (sev) {
	case VS_ERROR:
		return "error";
	case VS_WARN:
		return "warning";
	case VS_INFO:
		return "info";
	}
	return "?";
}

/* Expand one {..} placeholder; returns the characters consumed. */
static size_t
expand(struct sbuf *sb, const struct viol *v, const char *p)
{
	static const struct {
		const char	*tok;
		char		 which;
		bool		 hex;
	} toks[] = {
		{ "{ax}", 'a', true }, { "{bx}", 'b', true },
		{ "{a}", 'a', false }, { "{b}", 'b', false },
		{ "{c}", 'c', false }, { "{s}", 's', false },
	};
	size_t i;

	for (i = 0; i < sizeof(toks) / sizeof(toks[0]); i++) {
		size_t n = strlen(toks[i].tok);
		uint32_t val;

		if (strncmp(p, toks[i].tok, n) != 0)
			continue;
		if (toks[i].which == 's') {
			sbuf_puts(sb, v->s);
			return n;
		}
		val = toks[i].which == 'a' ? v->a :
		    toks[i].which == 'b' ? v->b : v->c;
		if (toks[i].hex)
			sbuf_hex16(sb, (uint16_t)val);
		else
			sbuf_uint(sb, val);
		return n;
	}
	sbuf_putc(sb, *p);
	return 1;
}

void
viol_format(struct sbuf *sb, const struct viol *v)
{
	const char *p = info(v->code)->fmt;

	while (*p != '\0') {
		if (*p == '{')
			p += expand(sb, v, p);
		else
			sbuf_putc(sb, *p++);
	}
}

void
viol_json(struct jw *jw, const struct viol *v)
{
	char msg[256];
	struct sbuf sb;

	sbuf_init(&sb, msg, sizeof(msg));
	viol_format(&sb, v);
	jw_obj_open(jw, NULL);
	jw_str(jw, "code", viol_name(v->code));
	jw_str(jw, "severity", viol_severity_name(viol_severity(v->code)));
	jw_str(jw, "clause", viol_clause(v->code));
	jw_uint(jw, "offset", v->off);
	jw_str(jw, "message", sbuf_str(&sb));
	jw_obj_close(jw);
}
