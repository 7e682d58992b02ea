/*
 * icmp6.c - ICMPv6 as Mobile IPv6 uses it (see icmp6.h): the type table,
 * the decoder with its checks, the encoder, and the Neighbor Discovery
 * option codec.  Printers are in icmp6_print.c.
 *
 * Layouts verified against the RFC text: errors and echo RFC 4443 §3-4;
 * RS/RA/NS/NA/Redirect RFC 4861 §4.1-4.5 with the RA H flag (RFC 6275
 * §7.1); ND options RFC 4861 §4.6, the Prefix Information R flag (RFC 6275
 * §7.2), Advertisement Interval (§7.3, milliseconds) and Home Agent
 * Information (§7.4: signed preference, lifetime in seconds, 0 not
 * allowed; R bit 0x8000 RFC 3963 §7.1 as radvd sends it); DHAAD Request
 * and Reply (RFC 6275 §6.5, §6.6; R bit RFC 3963 §7.1-7.2), Mobile Prefix
 * Solicitation and Advertisement (§6.7, §6.8).
 */
#include <string.h>

#include "buf.h"
#include "cksum.h"
#include "icmp6.h"
#include "pkt_impl.h"
#include "viol.h"

#define ICMP6_HDR_LEN	4	/* Type, Code, Checksum */
#define ICMP6_CKSUM_OFF	2
#define ND_HOP_LIMIT	255	/* RFC 4861 §6.1, §7.1 */
#define DHAAD_MAX_ON_MIN_MTU	77	/* (1280 - 40 - 8) / 16 */

/*
 * One row per ICMPv6 type we know.  min_len is the minimum message length
 * (RFC 4861 §6.1.1-§8.1 for ND, RFC 2710 §3.6 for MLD, 8 elsewhere);
 * opts_off where ND options start (0: none); nd marks the messages whose
 * hop limit must be 255 and code 0 (RFC 4861).
 */
struct icmp6_info {
	uint8_t		 type;
	const char	*name;
	const char	*abbrev;
	const char	*token;
	uint8_t		 min_len;
	uint8_t		 opts_off;
	bool		 nd;
	bool		 noise;
};

static const struct icmp6_info icmp6_table[] = {
	{ 1, "Destination Unreachable", "dest-unreach", "dest-unreach", 8, 0,
	    false, false },
	{ 2, "Packet Too Big", "pkt-too-big", "packet-too-big", 8, 0, false,
	    false },
	{ 3, "Time Exceeded", "time-exceeded", "time-exceeded", 8, 0, false,
	    false },
	{ 4, "Parameter Problem", "param-problem", "param-problem", 8, 0,
	    false, false },
	{ 128, "Echo Request", "echo-req", "echo-request", 8, 0, false,
	    false },
	{ 129, "Echo Reply", "echo-rep", "echo-reply", 8, 0, false, false },
	{ 130, "Multicast Listener Query", "mld-query", "mld-query", 24, 0,
	    false, true },
	{ 131, "Multicast Listener Report", "mld-report", "mld-report", 24, 0,
	    false, true },
	{ 132, "Multicast Listener Done", "mld-done", "mld-done", 24, 0,
	    false, true },
	{ 133, "Router Solicitation", "rs", "RS", 8, 8, true, true },
	{ 134, "Router Advertisement", "ra", "RA", 16, 16, true, true },
	{ 135, "Neighbor Solicitation", "ns", "NS", 24, 24, true, true },
	{ 136, "Neighbor Advertisement", "na", "NA", 24, 24, true, true },
	{ 137, "Redirect", "redirect", "redirect", 40, 0, true, true },
	{ 143, "Version 2 Multicast Listener Report", "mldv2-report",
	    "mldv2-report", 8, 0, false, true },
	{ 144, "DHAAD Request", "dhaad-req", "DHAAD-Request", 8, 0, false,
	    false },
	{ 145, "DHAAD Reply", "dhaad-rep", "DHAAD-Reply", 8, 0, false,
	    false },
	{ 146, "Mobile Prefix Solicitation", "mps", "MPS", 8, 0, false,
	    false },
	{ 147, "Mobile Prefix Advertisement", "mpa", "MPA", 8, 8, false,
	    false },
};

static const struct icmp6_info *
icmp6_info(uint8_t type)
{
	size_t i;

	for (i = 0; i < sizeof(icmp6_table) / sizeof(icmp6_table[0]); i++)
		if (icmp6_table[i].type == type)
			return &icmp6_table[i];
	return NULL;
}

/* Unknown types and MLD: everything after the checksum kept as bytes. */
static bool
opaque(const struct icmp6_info *t)
{
	return t == NULL || (t->type >= 130 && t->type <= 132) ||
	    t->type == 143;
}

const char *
icmp6_type_name(uint8_t type)
{
	const struct icmp6_info *t = icmp6_info(type);

	return t != NULL ? t->name : "Unknown ICMPv6 type";
}

const char *
icmp6_type_abbrev(uint8_t type)
{
	const struct icmp6_info *t = icmp6_info(type);

	return t != NULL ? t->abbrev : "icmp6";
}

const char *
icmp6_type_token(uint8_t type)
{
	const struct icmp6_info *t = icmp6_info(type);

	return t != NULL ? t->token : NULL;
}

bool
icmp6_is_noise(uint8_t type)
{
	const struct icmp6_info *t = icmp6_info(type);

	return t != NULL && t->noise;
}

/* ND options: name and the Length a fixed-size option must have. */
static const struct {
	uint8_t		 type;
	const char	*name;
	uint8_t		 len;	/* 0: variable */
} nd_opt_table[] = {
	{ NDOPT_SLLA, "Source Link-Layer Address", 0 },
	{ NDOPT_TLLA, "Target Link-Layer Address", 0 },
	{ NDOPT_PREFIX, "Prefix Information", 4 },	/* RFC 4861 §4.6.2 */
	{ NDOPT_REDIRECTED, "Redirected Header", 0 },
	{ NDOPT_MTU, "MTU", 1 },			/* RFC 4861 §4.6.4 */
	{ NDOPT_ADV_INTERVAL, "Advertisement Interval", 1 }, /* 6275 §7.3 */
	{ NDOPT_HA_INFO, "Home Agent Information", 1 },	/* 6275 §7.4 */
};

const char *
nd_opt_name(uint8_t type)
{
	size_t i;

	for (i = 0; i < sizeof(nd_opt_table) / sizeof(nd_opt_table[0]); i++)
		if (nd_opt_table[i].type == type)
			return nd_opt_table[i].name;
	return "Unknown ND option";
}

uint8_t
nd_opt_fixed_len(uint8_t type)
{
	size_t i;

	for (i = 0; i < sizeof(nd_opt_table) / sizeof(nd_opt_table[0]); i++)
		if (nd_opt_table[i].type == type)
			return nd_opt_table[i].len;
	return 0;
}

/* ------------------------------------------------------------ building */

void
icmp6_init(struct icmp6_msg *m, uint8_t type, uint8_t code)
{
	m->type = type;
	m->code = code;
	m->checksum = 0;
	memset(&m->u, 0, sizeof(m->u));
	m->nopts = 0;
	m->opts_truncated = false;
	m->body_len = 0;
	m->len = 0;
}

struct nd_opt *
icmp6_add_opt(struct icmp6_msg *m, uint8_t type)
{
	struct nd_opt *o;
	uint8_t fixed = nd_opt_fixed_len(type);

	if (m->nopts >= ND_OPT_MAX)
		return NULL;
	o = &m->opts[m->nopts++];
	memset(o, 0, sizeof(*o));
	o->type = type;
	o->len = fixed != 0 ? fixed : 1;
	return o;
}

const struct nd_opt *
icmp6_find_opt(const struct icmp6_msg *m, uint8_t type)
{
	size_t i, n = m->nopts < ND_OPT_MAX ? m->nopts : ND_OPT_MAX;

	for (i = 0; i < n; i++)
		if (m->opts[i].type == type)
			return &m->opts[i];
	return NULL;
}

/* ------------------------------------------------------------- decoder */

/*
 * Copy bytes into a bounded store and report what is lost.  When the
 * length is recorded elsewhere (an option's Length) the encoder pads with
 * zeros, so only non-zero bytes are lost; otherwise any byte is.
 */
static size_t
copy_kept(struct rbuf *r, uint8_t *out, size_t cap, bool len_known,
    size_t off, const char *what, struct viol_list *vl)
{
	size_t n = rbuf_left(r), k = n < cap ? n : cap;
	bool lost = !len_known && n > cap;

	rbuf_bytes(r, out, k);
	while (rbuf_left(r) > 0)
		if (rbuf_u8(r) != 0)
			lost = true;
	if (lost)
		viol_add(vl, V_TOO_MANY, off, (uint32_t)cap, 0, 0, what);
	return k;
}

static void
nd_opt_typed(struct nd_opt *o, struct rbuf *v, size_t base,
    struct viol_list *vl)
{
	switch (o->type) {
	case NDOPT_SLLA:
	case NDOPT_TLLA:
		rbuf_bytes(v, o->u.lladdr, sizeof(o->u.lladdr));
		break;
	case NDOPT_PREFIX:
		o->u.prefix.plen = rbuf_u8(v);
		o->u.prefix.flags = rbuf_u8(v);
		o->u.prefix.valid = rbuf_u32(v);
		o->u.prefix.preferred = rbuf_u32(v);
		o->u.prefix.reserved2 = rbuf_u32(v);
		rbuf_in6(v, &o->u.prefix.prefix);
		break;
	case NDOPT_MTU:
		rbuf_skip(v, 2);	/* Reserved: not kept */
		o->u.mtu = rbuf_u32(v);
		break;
	case NDOPT_ADV_INTERVAL:
		rbuf_skip(v, 2);
		o->u.adv_interval = rbuf_u32(v);
		break;
	case NDOPT_HA_INFO:
		o->u.hainfo.flags = rbuf_u16(v);
		o->u.hainfo.preference = (int16_t)rbuf_u16(v);
		o->u.hainfo.lifetime = rbuf_u16(v);
		/* RFC 6275 §7.4: "A value of 0 MUST NOT be used." */
		if (o->u.hainfo.lifetime == 0)
			viol_add(vl, V_HAINFO_LIFETIME_ZERO, base + o->off, 0,
			    0, 0, NULL);
		break;
	}
}

/* One option whose Length is known to fit; raw when not understood. */
static void
nd_opt_decode(struct nd_opt *o, struct rbuf *v, size_t base,
    struct viol_list *vl)
{
	uint8_t fixed = nd_opt_fixed_len(o->type);
	bool typed;

	o->raw_len = 0;
	memset(&o->u, 0, sizeof(o->u));
	/* RFC 4861 §4.6.2/§4.6.4, RFC 6275 §7.3/§7.4: fixed lengths. */
	if (fixed != 0 && o->len != fixed)
		viol_add(vl, V_ND_OPT_LENGTH, base + o->off, o->len, fixed, 0,
		    nd_opt_name(o->type));
	switch (o->type) {
	case NDOPT_SLLA:
	case NDOPT_TLLA:
		typed = o->len == 1;	/* an Ethernet address */
		break;
	case NDOPT_PREFIX:
	case NDOPT_MTU:
	case NDOPT_ADV_INTERVAL:
	case NDOPT_HA_INFO:
		typed = o->len == fixed;
		break;
	default:
		typed = false;
		break;
	}
	if (typed)
		nd_opt_typed(o, v, base, vl);
	else
		o->raw_len = (uint8_t)copy_kept(v, o->raw, sizeof(o->raw),
		    true, base + o->off, "ND option data bytes", vl);
}

/* RFC 4861 §4.6: options to the end of the message, each 8n octets. */
static void
nd_opts_decode(struct icmp6_msg *m, struct rbuf *r, size_t base,
    struct viol_list *vl)
{
	struct nd_opt spare, *o;
	struct rbuf v;
	size_t left, ooff;
	uint8_t type, len;

	while ((left = rbuf_left(r)) > 0) {
		ooff = r->off;
		type = rbuf_peek(r, 0, NULL);
		len = rbuf_peek(r, 1, NULL);
		if (left < 2) {
			viol_add(vl, V_ND_OPT_PAST_END, base + ooff, type, 8, 0,
			    NULL);
			break;
		}
		if (len == 0) {	/* "MUST silently discard" */
			viol_add(vl, V_ND_OPT_ZERO_LEN, base + ooff, type, 0, 0,
			    NULL);
			break;
		}
		if ((size_t)len * 8 > left) {
			viol_add(vl, V_ND_OPT_PAST_END, base + ooff, type,
			    (uint32_t)len * 8, 0, NULL);
			break;
		}
		if (m->nopts < ND_OPT_MAX)
			o = &m->opts[m->nopts++];
		else {
			if (!m->opts_truncated)
				viol_add(vl, V_TOO_MANY, base + ooff,
				    ND_OPT_MAX, 0, 0, "ND options");
			m->opts_truncated = true;
			o = &spare;
		}
		rbuf_skip(r, 2);
		v = rbuf_sub(r, (size_t)len * 8 - 2);
		o->type = type;
		o->len = len;
		o->keep_len = false;
		o->off = (uint16_t)ooff;
		nd_opt_decode(o, &v, base, vl);
	}
}

/* The rest of the message as body bytes (errors: the invoking packet). */
static void
take_body(struct icmp6_msg *m, struct rbuf *r, size_t base,
    struct viol_list *vl)
{
	m->body_len = (uint16_t)copy_kept(r, m->body, sizeof(m->body), false,
	    base + r->off, "ICMPv6 body bytes", vl);
}

static void
dhaad_reply_decode(struct icmp6_msg *m, struct rbuf *r, size_t base,
    struct viol_list *vl)
{
	size_t n = rbuf_left(r) / 16, i, keep;

	/* RFC 6275 §10.5.1: the reply fits the IPv6 minimum MTU. */
	if (n > DHAAD_MAX_ON_MIN_MTU)
		viol_add(vl, V_DHAAD_TOO_MANY, base, (uint32_t)n, 0, 0, NULL);
	keep = n < ICMP6_DHAAD_MAX ? n : ICMP6_DHAAD_MAX;
	for (i = 0; i < keep; i++)
		rbuf_in6(r, &m->u.dhaad.addrs[i]);
	m->u.dhaad.naddrs = keep;
	if (rbuf_left(r) % 16 != 0)
		viol_add(vl, V_TRAILING_BYTES, base + r->off +
		    rbuf_left(r) / 16 * 16, (uint32_t)(rbuf_left(r) % 16), 0, 0,
		    "DHAAD Reply addresses");
	/* addresses beyond ICMP6_DHAAD_MAX stay in the body, as bytes */
	take_body(m, r, base, vl);
}

static void
decode_fixed(struct icmp6_msg *m, struct rbuf *r, size_t base,
    struct viol_list *vl)
{
	switch (m->type) {
	case ICMP6_T_DST_UNREACH:
	case ICMP6_T_PKT_TOO_BIG:
	case ICMP6_T_TIME_EXCEEDED:
	case ICMP6_T_PARAM_PROB:	/* pointer, MTU or unused */
		m->u.pointer = rbuf_u32(r);
		break;
	case ICMP6_T_ECHO_REQUEST:
	case ICMP6_T_ECHO_REPLY:
		m->u.echo.id = rbuf_u16(r);
		m->u.echo.seq = rbuf_u16(r);
		break;
	case ICMP6_T_RS:
		m->u.rs_reserved = rbuf_u32(r);
		break;
	case ICMP6_T_RA:
		m->u.ra.hop_limit = rbuf_u8(r);
		m->u.ra.flags = rbuf_u8(r);
		m->u.ra.lifetime = rbuf_u16(r);
		m->u.ra.reachable = rbuf_u32(r);
		m->u.ra.retrans = rbuf_u32(r);
		break;
	case ICMP6_T_NS:
	case ICMP6_T_NA:
	case ICMP6_T_REDIRECT:	/* Destination Address: in the body */
		m->u.nsna.flags = rbuf_u32(r);
		rbuf_in6(r, &m->u.nsna.target);
		break;
	case ICMP6_T_DHAAD_REQUEST:
	case ICMP6_T_DHAAD_REPLY:
		m->u.dhaad.id = rbuf_u16(r);
		m->u.dhaad.flags = rbuf_u16(r);
		m->u.dhaad.naddrs = 0;
		if (m->type == ICMP6_T_DHAAD_REPLY)
			dhaad_reply_decode(m, r, base, vl);
		break;
	case ICMP6_T_MPS:
	case ICMP6_T_MPA:
		m->u.mp.id = rbuf_u16(r);
		m->u.mp.flags = rbuf_u16(r);
		break;
	}
}

static void
check_nd(const struct icmp6_msg *m, const struct icmp6_info *t,
    size_t base, int hop_limit, struct viol_list *vl)
{
	/* RFC 4861 §6.1, §7.1: sent on-link only, hop limit 255, code 0. */
	if (hop_limit >= 0 && hop_limit != ND_HOP_LIMIT)
		viol_add(vl, V_ND_HOPLIMIT, base, (uint32_t)hop_limit, 0, 0,
		    t->name);
	if (m->code != 0)
		viol_add(vl, V_ICMP6_CODE, base + 1, m->code, 0, 0, t->name);
}

int
icmp6_decode(struct icmp6_msg *m, struct rbuf *b, size_t base,
    const struct in6_addr *src, const struct in6_addr *dst, int hop_limit,
    struct viol_list *vl)
{
	size_t n = rbuf_left(b);
	const uint8_t *p = b->data != NULL ? b->data + b->off : NULL;
	const struct icmp6_info *t;
	struct rbuf r;
	uint16_t want;

	if (n > 0xffff)		/* no more fits an IPv6 payload */
		n = 0xffff;
	m->len = (uint16_t)n;
	m->nopts = 0;
	m->opts_truncated = false;
	m->body_len = 0;
	if (n < ICMP6_HDR_LEN) {
		viol_add(vl, V_TRUNCATED, base, ICMP6_HDR_LEN, (uint32_t)n, 0,
		    "ICMPv6 header");
		rbuf_skip(b, n);
		return -1;
	}
	r = rbuf_sub(b, n);
	m->type = rbuf_u8(&r);
	m->code = rbuf_u8(&r);
	m->checksum = rbuf_u16(&r);
	t = icmp6_info(m->type);
	/* RFC 4443 §2.3, with the HAO/RH pseudo-header the caller chose. */
	if (src != NULL && dst != NULL) {
		want = cksum_upper6(src, dst, PROTO_ICMP6, p, n,
		    ICMP6_CKSUM_OFF);
		if (m->checksum != want &&
		    !(want == 0 && m->checksum == 0xffff))
			viol_add(vl, V_ICMP6_CHECKSUM, base + ICMP6_CKSUM_OFF,
			    m->checksum, want, 0, NULL);
	}
	if (t != NULL && t->nd)
		check_nd(m, t, base, hop_limit, vl);
	if (t != NULL && n < t->min_len)
		/* RFC 4443 §2.1 / RFC 4861: too short to be this message */
		viol_add(vl, V_ICMP6_LENGTH, base, (uint32_t)n, t->min_len, 0,
		    t->name);
	if (opaque(t)) {	/* nothing reads m->u for these */
		take_body(m, &r, base, vl);
		return 0;
	}
	if (n < t->min_len) {
		memset(&m->u, 0, sizeof(m->u));
		take_body(m, &r, base, vl);
		return 0;
	}
	decode_fixed(m, &r, base, vl);
	if (t->opts_off != 0)
		nd_opts_decode(m, &r, base, vl);
	else if (m->type != ICMP6_T_DHAAD_REPLY)
		take_body(m, &r, base, vl);
	return 0;
}

/* ------------------------------------------------------------- encoder */

/* The option's natural size in 8-octet units. */
static uint8_t
nd_opt_units(const struct nd_opt *o)
{
	uint8_t fixed = nd_opt_fixed_len(o->type);

	if (o->raw_len == sizeof(o->raw) && (size_t)o->len * 8 > 2 +
	    sizeof(o->raw))
		return o->len;	/* longer than raw[]: zeros follow */
	if (o->raw_len > 0)
		return (uint8_t)((2 + (size_t)o->raw_len + 7) / 8);
	return fixed != 0 ? fixed : 1;
}

static void
nd_opt_encode(const struct nd_opt *o, unsigned keep, struct wbuf *w)
{
	uint8_t units = (keep & ICMP6_KEEP_OPTLEN) != 0 && o->keep_len ?
	    o->len : nd_opt_units(o);
	size_t start = w->len, want = (size_t)units * 8;

	wbuf_u8(w, o->type);
	wbuf_u8(w, units);
	if (o->raw_len > 0)
		wbuf_bytes(w, o->raw, o->raw_len);
	else
		switch (o->type) {
		case NDOPT_SLLA:
		case NDOPT_TLLA:
			wbuf_bytes(w, o->u.lladdr, sizeof(o->u.lladdr));
			break;
		case NDOPT_PREFIX:
			wbuf_u8(w, o->u.prefix.plen);
			wbuf_u8(w, o->u.prefix.flags);
			wbuf_u32(w, o->u.prefix.valid);
			wbuf_u32(w, o->u.prefix.preferred);
			wbuf_u32(w, o->u.prefix.reserved2);
			wbuf_in6(w, &o->u.prefix.prefix);
			break;
		case NDOPT_MTU:
			wbuf_u16(w, 0);
			wbuf_u32(w, o->u.mtu);
			break;
		case NDOPT_ADV_INTERVAL:
			wbuf_u16(w, 0);
			wbuf_u32(w, o->u.adv_interval);
			break;
		case NDOPT_HA_INFO:
			wbuf_u16(w, o->u.hainfo.flags);
			wbuf_u16(w, (uint16_t)o->u.hainfo.preference);
			wbuf_u16(w, o->u.hainfo.lifetime);
			break;
		}
	if (w->len - start < want)
		wbuf_zero(w, want - (w->len - start));
}

static void
encode_fixed(const struct icmp6_msg *m, struct wbuf *w)
{
	size_t i, n;

	switch (m->type) {
	case ICMP6_T_ECHO_REQUEST:
	case ICMP6_T_ECHO_REPLY:
		wbuf_u16(w, m->u.echo.id);
		wbuf_u16(w, m->u.echo.seq);
		break;
	case ICMP6_T_RA:
		wbuf_u8(w, m->u.ra.hop_limit);
		wbuf_u8(w, m->u.ra.flags);
		wbuf_u16(w, m->u.ra.lifetime);
		wbuf_u32(w, m->u.ra.reachable);
		wbuf_u32(w, m->u.ra.retrans);
		break;
	case ICMP6_T_NS:
	case ICMP6_T_NA:
	case ICMP6_T_REDIRECT:
		wbuf_u32(w, m->u.nsna.flags);
		wbuf_in6(w, &m->u.nsna.target);
		break;
	case ICMP6_T_DHAAD_REQUEST:
	case ICMP6_T_DHAAD_REPLY:
		wbuf_u16(w, m->u.dhaad.id);
		wbuf_u16(w, m->u.dhaad.flags);
		n = m->u.dhaad.naddrs < ICMP6_DHAAD_MAX ? m->u.dhaad.naddrs :
		    ICMP6_DHAAD_MAX;
		for (i = 0; i < n && m->type == ICMP6_T_DHAAD_REPLY; i++)
			wbuf_in6(w, &m->u.dhaad.addrs[i]);
		break;
	case ICMP6_T_MPS:
	case ICMP6_T_MPA:
		wbuf_u16(w, m->u.mp.id);
		wbuf_u16(w, m->u.mp.flags);
		break;
	default:
		if (opaque(icmp6_info(m->type)))
			break;	/* all in the body */
		wbuf_u32(w, m->u.unused);	/* errors, RS */
		break;
	}
}

int
icmp6_encode(const struct icmp6_msg *m, struct wbuf *w, unsigned keep,
    const struct in6_addr *src, const struct in6_addr *dst)
{
	size_t start = w->len, i, n;

	wbuf_u8(w, m->type);
	wbuf_u8(w, m->code);
	wbuf_u16(w, (keep & ICMP6_KEEP_CKSUM) != 0 ? m->checksum : 0);
	encode_fixed(m, w);
	n = m->nopts < ND_OPT_MAX ? m->nopts : ND_OPT_MAX;
	for (i = 0; i < n; i++)
		nd_opt_encode(&m->opts[i], keep, w);
	wbuf_bytes(w, m->body, m->body_len < sizeof(m->body) ? m->body_len :
	    sizeof(m->body));
	if (w->err)
		return -1;
	if ((keep & ICMP6_KEEP_CKSUM) == 0 && src != NULL && dst != NULL)
		wbuf_set_u16(w, start + ICMP6_CKSUM_OFF, cksum_upper6(src, dst,
		    PROTO_ICMP6, w->data + start, w->len - start,
		    ICMP6_CKSUM_OFF));
	return w->err ? -1 : 0;
}
