/*
 * mh.c - the Mobility Header (RFC 6275 §6.1): the common header, the fixed
 * part of message types 0-7, types 8-23 and unknown types as named opaque
 * messages, the decoder's header checks (Payload Proto, Header Len,
 * checksum) and the encoder.  Mobility options live in mh_opt.c, printers
 * in mh_print.c.
 *
 * The decoder never stops at "invalid": it records each violation and
 * goes on while the bytes still make sense.  It initialises only the parts
 * of struct mh_msg it fills (the struct is ~15 KB and the capture decoder
 * runs millions of packets per second).
 */
#include <string.h>

#include "buf.h"
#include "cksum.h"
#include "mh.h"
#include "mh_impl.h"
#include "viol.h"

#define MH_HDR_LEN	6	/* Payload Proto .. Checksum */
#define MH_CKSUM_OFF	4

/* ------------------------------------------------------ the type table */

struct mh_type_info {
	const char	*abbrev;
	const char	*name;
	uint8_t		 min_hdr_len;	/* RFC 6275 §9.2; Linux mip6_mh_len */
	uint8_t		 fixed;		/* octets before the options */
};

/* Types 0-7: RFC 6275 §6.1.2-§6.1.9; 8-23: IANA (wire-formats.md §1.3). */
static const struct mh_type_info type_table[MH_TYPE_KNOWN_MAX + 1] = {
	[MH_BRR] = { "BRR", "Binding Refresh Request", 0, 8 },
	[MH_HOTI] = { "HoTI", "Home Test Init", 1, 16 },
	[MH_COTI] = { "CoTI", "Care-of Test Init", 1, 16 },
	[MH_HOT] = { "HoT", "Home Test", 2, 24 },
	[MH_COT] = { "CoT", "Care-of Test", 2, 24 },
	[MH_BU] = { "BU", "Binding Update", 1, 12 },
	[MH_BA] = { "BA", "Binding Acknowledgement", 1, 12 },
	[MH_BE] = { "BE", "Binding Error", 2, 24 },
	[MH_FBU] = { "FBU", "Fast Binding Update", 0, MH_HDR_LEN },
	[MH_FBACK] = { "FBack", "Fast Binding Acknowledgment", 0,
	    MH_HDR_LEN },
	[MH_FNA] = { "FNA", "Fast Neighbor Advertisement", 0, MH_HDR_LEN },
	[MH_EXPERIMENTAL] = { "EMH", "Experimental Mobility Header", 0,
	    MH_HDR_LEN },
	[MH_HAS] = { "HAS", "Home Agent Switch", 0, MH_HDR_LEN },
	[MH_HEARTBEAT] = { "HB", "Heartbeat", 0, MH_HDR_LEN },
	[MH_HI] = { "HI", "Handover Initiate", 0, MH_HDR_LEN },
	[MH_HACK] = { "HAck", "Handover Acknowledge", 0, MH_HDR_LEN },
	[MH_BRI] = { "BR", "Binding Revocation", 0, MH_HDR_LEN },
	[MH_LRI] = { "LRI", "Localized Routing Initiation", 0, MH_HDR_LEN },
	[MH_LRA] = { "LRA", "Localized Routing Acknowledgment", 0,
	    MH_HDR_LEN },
	[MH_UPN] = { "UPN", "Update Notification", 0, MH_HDR_LEN },
	[MH_UPA] = { "UPA", "Update Notification Acknowledgement", 0,
	    MH_HDR_LEN },
	[MH_FLOW_BINDING] = { "FBM", "Flow Binding", 0, MH_HDR_LEN },
	[MH_SUBS_QUERY] = { "SQ", "Subscription Query", 0, MH_HDR_LEN },
	[MH_SUBS_RESPONSE] = { "SR", "Subscription Response", 0, MH_HDR_LEN },
};

/* "MH-0" .. "MH-255": the name of a type without an IANA entry. */
#define TN(p, d)	"MH-" #p #d
#define TN10(p)		TN(p, 0), TN(p, 1), TN(p, 2), TN(p, 3), TN(p, 4), \
			TN(p, 5), TN(p, 6), TN(p, 7), TN(p, 8), TN(p, 9)
static const char *const type_generic[256] = {
	TN10(), TN10(1), TN10(2), TN10(3), TN10(4), TN10(5), TN10(6),
	TN10(7), TN10(8), TN10(9), TN10(10), TN10(11), TN10(12), TN10(13),
	TN10(14), TN10(15), TN10(16), TN10(17), TN10(18), TN10(19),
	TN10(20), TN10(21), TN10(22), TN10(23), TN10(24),
	"MH-250", "MH-251", "MH-252", "MH-253", "MH-254", "MH-255"
};

/* Types 0-7 carry fixed fields and options; the rest are opaque here. */
static bool
is_structured(uint8_t type)
{
	return type <= MH_BE;
}

const char *
mh_type_name(uint8_t type)
{
	return type <= MH_TYPE_KNOWN_MAX ? type_table[type].name :
	    type_generic[type];
}

const char *
mh_type_abbrev(uint8_t type)
{
	return type <= MH_TYPE_KNOWN_MAX ? type_table[type].abbrev :
	    type_generic[type];
}

unsigned
mh_min_hdr_len(uint8_t type)
{
	return type <= MH_TYPE_KNOWN_MAX ? type_table[type].min_hdr_len : 0;
}

/* ------------------------------------------------------ status names */

struct code_name {
	uint8_t		 code;
	const char	*name;
};

/* IANA "Status Codes" for the BA (wire-formats.md §3.1). */
static const struct code_name ba_status[] = {
	{ 0, "Binding Update accepted" },
	{ 1, "Accepted but prefix discovery necessary" },
	{ 2, "GRE_KEY_OPTION_NOT_REQUIRED" },
	{ 3, "GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED" },
	{ 4, "MCOA NOTCOMPLETE" },
	{ 5, "MCOA RETURNHOME WO/NDP" },
	{ 6, "PBU_ACCEPTED_TB_IGNORED_SETTINGSMISMATCH" },
	{ 128, "Reason unspecified" },
	{ 129, "Administratively prohibited" },
	{ 130, "Insufficient resources" },
	{ 131, "Home registration not supported" },
	{ 132, "Not home subnet" },
	{ 133, "Not home agent for this mobile node" },
	{ 134, "Duplicate Address Detection failed" },
	{ 135, "Sequence number out of window" },
	{ 136, "Expired home nonce index" },
	{ 137, "Expired care-of nonce index" },
	{ 138, "Expired nonces" },
	{ 139, "Registration type change disallowed" },
	{ 140, "Mobile Router Operation not permitted" },
	{ 141, "Invalid Prefix" },
	{ 142, "Not Authorized for Prefix" },
	{ 143, "Forwarding Setup failed" },
	{ 144, "MIPV6-ID-MISMATCH" },
	{ 145, "MIPV6-MESG-ID-REQD" },
	{ 146, "MIPV6-AUTH-FAIL" },
	{ 147, "Permanent home keygen token unavailable" },
	{ 148, "CGA and signature verification failed" },
	{ 149, "Permanent home keygen token exists" },
	{ 150, "Non-null home nonce index expected" },
	{ 151, "SERVICE_AUTHORIZATION_FAILED" },
	{ 152, "PROXY_REG_NOT_ENABLED" },
	{ 153, "NOT_LMA_FOR_THIS_MOBILE_NODE" },
	{ 154, "MAG_NOT_AUTHORIZED_FOR_PROXY_REG" },
	{ 155, "NOT_AUTHORIZED_FOR_HOME_NETWORK_PREFIX" },
	{ 156, "TIMESTAMP_MISMATCH" },
	{ 157, "TIMESTAMP_LOWER_THAN_PREV_ACCEPTED" },
	{ 158, "MISSING_HOME_NETWORK_PREFIX_OPTION" },
	{ 159, "BCE_PBU_PREFIX_SET_DO_NOT_MATCH" },
	{ 160, "MISSING_MN_IDENTIFIER_OPTION" },
	{ 161, "MISSING_HANDOFF_INDICATOR_OPTION" },
	{ 162, "MISSING_ACCESS_TECH_TYPE_OPTION" },
	{ 163, "GRE_KEY_OPTION_REQUIRED" },
	{ 164, "MCOA MALFORMED" },
	{ 165, "MCOA NON-MCOA BINDING EXISTS" },
	{ 166, "MCOA PROHIBITED" },
	{ 167, "MCOA UNKNOWN COA" },
	{ 168, "MCOA BULK REGISTRATION PROHIBITED" },
	{ 169, "MCOA SIMULTANEOUS HOME AND FOREIGN PROHIBITED" },
	{ 170, "NOT_AUTHORIZED_FOR_IPV4_MOBILITY_SERVICE" },
	{ 171, "NOT_AUTHORIZED_FOR_IPV4_HOME_ADDRESS" },
	{ 172, "NOT_AUTHORIZED_FOR_IPV6_MOBILITY_SERVICE" },
	{ 173, "MULTIPLE_IPV4_HOME_ADDRESS_ASSIGNMENT_NOT_SUPPORTED" },
	{ 174, "Invalid Care-of Address" },
	{ 175, "INVALID_MOBILE_NODE_GROUP_IDENTIFIER" },
	{ 176, "REINIT_SA_WITH_HAC" },
	{ 177, "NOT_AUTHORIZED_FOR_DELEGATED_MNP" },
	{ 178, "REQUESTED_DMNP_IN_USE" },
	{ 179, "CANNOT_MEET_QOS_SERVICE_REQUEST" },
	{ 180, "CANNOT_SUPPORT_MULTIPATH_BINDING" },
};

/* RFC 6275 §6.1.9. */
static const struct code_name be_status[] = {
	{ BE_UNKNOWN_HAO,
	    "Unknown binding for Home Address destination option" },
	{ BE_UNKNOWN_MH_TYPE, "Unrecognized MH Type value" },
};

static const char *
code_lookup(const struct code_name *t, size_t n, uint8_t code,
    const char *dflt)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].code == code)
			return t[i].name;
	return dflt;
}

const char *
mh_ba_status_name(uint8_t st)
{
	/* RFC 6275 §6.1.8: below 128 the BU was accepted. */
	return code_lookup(ba_status, sizeof(ba_status) / sizeof(ba_status[0]),
	    st, st < 128 ? "Accepted (unassigned)" : "Rejected (unassigned)");
}

const char *
mh_be_status_name(uint8_t st)
{
	return code_lookup(be_status, sizeof(be_status) / sizeof(be_status[0]),
	    st, "Unassigned");
}

/* ------------------------------------------------------ building */

void
mh_init(struct mh_msg *msg, uint8_t type)
{
	msg->payload_proto = MH_PAYLOAD_NONE;
	msg->hdr_len = 0;
	msg->type = type;
	msg->reserved = 0;
	msg->checksum = 0;
	memset(&msg->u, 0, sizeof(msg->u));
	msg->body_len = 0;
	msg->nopts = 0;
	msg->opts_truncated = false;
	msg->len = 0;
}

struct mh_opt *
mh_add_opt(struct mh_msg *msg, uint8_t type)
{
	struct mh_opt *o;

	if (msg->nopts >= MH_OPT_MAX)
		return NULL;
	o = &msg->opts[msg->nopts++];
	memset(o, 0, sizeof(*o));
	o->type = type;
	return o;
}

const struct mh_opt *
mh_find_opt(const struct mh_msg *msg, uint8_t type)
{
	size_t i;

	for (i = 0; i < msg->nopts && i < MH_OPT_MAX; i++)
		if (msg->opts[i].type == type)
			return &msg->opts[i];
	return NULL;
}

/* ------------------------------------------------------ decoder */

/* The fixed fields after the checksum, RFC 6275 §6.1.2-§6.1.9. */
static void
decode_fixed(struct mh_msg *msg, struct rbuf *m)
{
	switch (msg->type) {
	case MH_BRR:
		msg->u.brr.reserved = rbuf_u16(m);
		break;
	case MH_HOTI:
	case MH_COTI:
		msg->u.init.reserved = rbuf_u16(m);
		rbuf_bytes(m, msg->u.init.cookie, sizeof(msg->u.init.cookie));
		break;
	case MH_HOT:
	case MH_COT:
		msg->u.test.nonce_index = rbuf_u16(m);
		rbuf_bytes(m, msg->u.test.cookie, sizeof(msg->u.test.cookie));
		rbuf_bytes(m, msg->u.test.token, sizeof(msg->u.test.token));
		break;
	case MH_BU:
		msg->u.bu.seq = rbuf_u16(m);
		msg->u.bu.flags = rbuf_u16(m);
		msg->u.bu.lifetime = rbuf_u16(m);
		break;
	case MH_BA:
		msg->u.ba.status = rbuf_u8(m);
		msg->u.ba.flags = rbuf_u8(m);
		msg->u.ba.seq = rbuf_u16(m);
		msg->u.ba.lifetime = rbuf_u16(m);
		break;
	case MH_BE:
		msg->u.be.status = rbuf_u8(m);
		msg->u.be.reserved = rbuf_u8(m);
		rbuf_in6(m, &msg->u.be.hoa);
		break;
	}
}

static bool
cksum_ok(const struct mh_msg *msg, const uint8_t *p, size_t n,
    const struct mh_addrs *addrs, uint16_t *want)
{
	*want = cksum_upper6(addrs->src, addrs->dst, IPPROTO_MH_, p, n,
	    MH_CKSUM_OFF);
	/* 0xffff and 0x0000 are the same one's-complement value */
	return msg->checksum == *want ||
	    (*want == 0 && msg->checksum == 0xffff);
}

/*
 * RFC 6275 §6.1.1 with the pseudo-header addresses the caller resolved,
 * over the declared Mobility Header.  When octets follow it (`left` >
 * `declared`: a Header Len too small, or trailing bytes), a sender may
 * also have summed the whole upper-layer packet (RFC 8200 §8.1), as
 * Linux's IPV6_CHECKSUM does; either reading is accepted, so that a
 * short Header Len is reported as such (RFC 6275 §9.2) and not hidden
 * behind a checksum error.
 */
static void
check_cksum(const struct mh_msg *msg, const uint8_t *p, size_t declared,
    size_t left, size_t base, const struct mh_addrs *addrs,
    struct viol_list *vl)
{
	uint16_t want, whole;

	if (addrs == NULL || addrs->src == NULL || addrs->dst == NULL)
		return;
	if (cksum_ok(msg, p, declared, addrs, &want))
		return;
	if (left > declared && cksum_ok(msg, p, left, addrs, &whole))
		return;
	viol_add(vl, V_MH_CHECKSUM, base + MH_CKSUM_OFF, msg->checksum,
	    want, 0, NULL);
}

/* The header fields; any field not captured reads as zero. */
static void
decode_header(struct mh_msg *msg, struct rbuf *m)
{
	msg->payload_proto = rbuf_u8(m);
	msg->hdr_len = rbuf_u8(m);
	msg->type = rbuf_u8(m);
	msg->reserved = rbuf_u8(m);
	msg->checksum = rbuf_u16(m);
	msg->body_len = 0;
	msg->nopts = 0;
	msg->opts_truncated = false;
}

/* Payload Proto, Header Len minimum and type, in wire order. */
static void
check_header(const struct mh_msg *msg, size_t have, size_t base,
    struct viol_list *vl)
{
	/* RFC 6275 §6.1.1: IPPROTO_NONE; Linux drops anything else. */
	if (have >= 1 && msg->payload_proto != MH_PAYLOAD_NONE)
		viol_add(vl, V_MH_PAYLOAD_PROTO, base, msg->payload_proto, 0,
		    0, NULL);
	if (have < 3)
		return;
	/* RFC 6275 §9.2: a Header Len below the type's minimum is dropped. */
	if (is_structured(msg->type) &&
	    msg->hdr_len < mh_min_hdr_len(msg->type))
		viol_add(vl, V_MH_HDRLEN_SHORT, base + 1, msg->hdr_len,
		    mh_min_hdr_len(msg->type), 0, mh_type_name(msg->type));
	/* RFC 6275 §9.2: an unknown type is answered with a BE status 2. */
	if (msg->type > MH_TYPE_KNOWN_MAX)
		viol_add(vl, V_MH_UNKNOWN_TYPE, base + 2, msg->type, 0, 0,
		    NULL);
}

int
mh_decode(struct mh_msg *msg, struct rbuf *b, size_t base,
    const struct mh_addrs *addrs, struct viol_list *vl)
{
	size_t left = rbuf_left(b), declared, extent;
	const uint8_t *p = b->data != NULL ? b->data + b->off : NULL;
	struct rbuf m;
	bool ok;

	declared = 8 * ((size_t)rbuf_peek(b, 1, &ok) + 1);
	if (!ok) {
		/* Not even Header Len: nothing to go on. */
		viol_add(vl, V_TRUNCATED, base, 8, (uint32_t)left, 0,
		    "Mobility Header");
		declared = left;
	} else if (declared > left)
		viol_add(vl, V_MH_HDRLEN_PAST_END, base + 1,
		    (uint32_t)declared / 8 - 1, (uint32_t)declared,
		    (uint32_t)left, NULL);
	extent = declared < left ? declared : left;
	m = rbuf_sub(b, extent);
	msg->len = (uint16_t)extent;
	decode_header(msg, &m);
	check_header(msg, extent, base, vl);
	if (extent == declared && extent >= MH_HDR_LEN)
		check_cksum(msg, p, declared, left, base, addrs, vl);
	if (!is_structured(msg->type)) {
		msg->body_len = (uint16_t)rbuf_left(&m);
		rbuf_bytes(&m, msg->body, msg->body_len);
		return extent < MH_HDR_LEN ? -1 : 0;
	}
	/* even when cut short: fields not captured read as zero */
	decode_fixed(msg, &m);
	if (m.err || extent < type_table[msg->type].fixed)
		return -1;
	mh_opts_decode(msg, &m, type_table[msg->type].fixed, declared, base,
	    vl);
	return 0;
}

/* ------------------------------------------------------ encoder */

static void
encode_fixed(const struct mh_msg *msg, struct wbuf *w)
{
	switch (msg->type) {
	case MH_BRR:
		wbuf_u16(w, msg->u.brr.reserved);
		break;
	case MH_HOTI:
	case MH_COTI:
		wbuf_u16(w, msg->u.init.reserved);
		wbuf_bytes(w, msg->u.init.cookie, sizeof(msg->u.init.cookie));
		break;
	case MH_HOT:
	case MH_COT:
		wbuf_u16(w, msg->u.test.nonce_index);
		wbuf_bytes(w, msg->u.test.cookie, sizeof(msg->u.test.cookie));
		wbuf_bytes(w, msg->u.test.token, sizeof(msg->u.test.token));
		break;
	case MH_BU:
		wbuf_u16(w, msg->u.bu.seq);
		wbuf_u16(w, msg->u.bu.flags);
		wbuf_u16(w, msg->u.bu.lifetime);
		break;
	case MH_BA:
		wbuf_u8(w, msg->u.ba.status);
		wbuf_u8(w, msg->u.ba.flags);
		wbuf_u16(w, msg->u.ba.seq);
		wbuf_u16(w, msg->u.ba.lifetime);
		break;
	case MH_BE:
		wbuf_u8(w, msg->u.be.status);
		wbuf_u8(w, msg->u.be.reserved);
		wbuf_in6(w, &msg->u.be.hoa);
		break;
	}
}

int
mh_encode(const struct mh_msg *msg, struct wbuf *w, unsigned keep,
    const struct mh_addrs *addrs)
{
	size_t start = w->len, len;

	wbuf_u8(w, msg->payload_proto);
	wbuf_u8(w, msg->hdr_len);
	wbuf_u8(w, msg->type);
	wbuf_u8(w, msg->reserved);
	wbuf_u16(w, (keep & MH_KEEP_CKSUM) != 0 ? msg->checksum : 0);
	if (is_structured(msg->type)) {
		encode_fixed(msg, w);
		mh_opts_encode(msg, w, start, keep);
	} else
		wbuf_bytes(w, msg->body,
		    msg->body_len < MH_BODY_MAX ? msg->body_len : MH_BODY_MAX);
	/* RFC 6275 §6.1.1: the MH is a multiple of 8 octets. */
	if ((keep & MH_KEEP_PADDING) == 0)
		mh_write_pad(w, (8 - (w->len - start) % 8) % 8);
	if (w->err)
		return -1;
	len = w->len - start;
	if ((keep & MH_KEEP_HDRLEN) == 0) {
		if (len > MH_MAX_LEN)
			return -1;
		wbuf_set_u8(w, start + 1, (uint8_t)((len + 7) / 8 - 1));
	}
	if ((keep & (MH_KEEP_CKSUM | MH_NO_CKSUM)) == 0 && addrs != NULL &&
	    addrs->src != NULL && addrs->dst != NULL)
		wbuf_set_u16(w, start + MH_CKSUM_OFF, cksum_upper6(addrs->src,
		    addrs->dst, IPPROTO_MH_, w->data + start, len,
		    MH_CKSUM_OFF));
	return w->err ? -1 : 0;
}
