/*
 * mh_print.c - the Mobility Header printers: the short one-line form, the
 * verbose multi-line form and JSON.
 *
 * The short form is the vocabulary of conformance scripts and daemon logs:
 * one line of space-separated tokens, none containing a space, in this
 * order (values in brackets are optional):
 *
 *   <abbrev> <fixed fields> <flags> [res=0x..] [lifetime=<s>s]
 *       [hoa=<addr>] [rh2=<addr>] <options in wire order> [opts-truncated]
 *
 *   BRR
 *   HoTI cookie=0102030405060708          (CoTI likewise)
 *   HoT nonce=7 cookie=<16 hex> token=<16 hex>   (CoT likewise)
 *   BU seq=4660 A H K lifetime=400s hoa=2001:db8:1::100 acoa=2001:db8:2::200
 *   BA status=0 K seq=4660 lifetime=400s rh2=2001:db8:1::100 bra=200s
 *   BE status=1 hoa=<the BE's Home Address field>
 *   HAS len=24 data=<hex of the data after the checksum>
 *   MH-99 len=8 data=0000                 (a type with no IANA entry)
 *
 * Flags are letters in bit order (BU: A H L K M R P F T B S D; BA: K R P T
 * B S D); bits no RFC defines are shown together as res=0x.... (BU: four
 * hex digits, BA: two).  Lifetimes and the BRA interval are printed in
 * seconds (the wire counts units of 4 s).  hoa= is the home address from
 * a Home Address option (ctx->hao) and rh2= the one from a Type 2 Routing
 * header (ctx->rh2); for a BE, whose own field prints as hoa=, the Home
 * Address option's address prints as hao=.  Opaque data shows at most 32
 * bytes, followed by "..." when longer.
 *
 * Options (Pad1 and PadN are omitted):
 *   acoa=<addr>                  Alternate Care-of Address
 *   ni=<home>/<careof>           Nonce Indices
 *   bad=<hex>                    Binding Authorization Data
 *   bra=<s>s                     Binding Refresh Advice
 *   mnp=<prefix>/<len>           Mobile Network Prefix (NEMO)
 *   mnid=nai:<id>                MN Identifier (another subtype: <n>:<id>;
 *                                bytes outside printable ASCII and the
 *                                backslash as \xNN)
 *   mn-auth=mn-ha,spi=<n>,<hex>  Mobility Message Authentication (mn-aaa,
 *                                or the subtype number)
 *   mesg-id=0x<16 hex>           Mobility Message Replay Protection
 *   v4hoa=<addr>/<len>[,P]       IPv4 Home Address
 *   v4ack=<status>,<addr>/<len>  IPv4 Address Acknowledgement
 *   natd=[F,]<refresh>s          NAT Detection
 *   v4coa=<addr>                 IPv4 Care-of Address
 *   bid=<n>,status=<n>[,H],prio=<n>[,coa=<addr>]   Binding Identifier
 *   opt<type>=<hex>              any option kept as bytes
 * Reserved bits set in an option are appended as ,res=0x...
 */
#include <string.h>

#include "mh.h"
#include "mh_impl.h"
#include "sbuf.h"

#define OPAQUE_SHORT_MAX	32

struct flag_name {
	uint16_t	 mask;
	char		 letter;
};

/* Binding Update flags in bit order (wire-formats.md §1.4, IANA). */
static const struct flag_name bu_flags[] = {
	{ MH_BU_A, 'A' }, { MH_BU_H, 'H' }, { MH_BU_L, 'L' },
	{ MH_BU_K, 'K' }, { MH_BU_M, 'M' }, { MH_BU_R, 'R' },
	{ MH_BU_P, 'P' }, { MH_BU_F, 'F' }, { MH_BU_T, 'T' },
	{ MH_BU_B, 'B' }, { MH_BU_S, 'S' }, { MH_BU_D, 'D' },
};

static const struct flag_name ba_flags[] = {
	{ MH_BA_K, 'K' }, { MH_BA_R, 'R' }, { MH_BA_P, 'P' },
	{ MH_BA_T, 'T' }, { MH_BA_B, 'B' }, { MH_BA_S, 'S' },
	{ MH_BA_D, 'D' },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static uint16_t
known_mask(const struct flag_name *t, size_t n)
{
	uint16_t m = 0;
	size_t i;

	for (i = 0; i < n; i++)
		m |= t[i].mask;
	return m;
}

/* " A H K" and, for undefined bits, " res=0x0008" (digits hex digits). */
static void
put_flags(struct sbuf *sb, uint16_t flags, const struct flag_name *t,
    size_t n, unsigned digits)
{
	static const char hexdig[] = "0123456789abcdef";
	uint16_t res = flags & (uint16_t)~known_mask(t, n);
	size_t i;

	for (i = 0; i < n; i++)
		if (flags & t[i].mask) {
			sbuf_putc(sb, ' ');
			sbuf_putc(sb, t[i].letter);
		}
	if (res != 0) {
		sbuf_puts(sb, " res=0x");
		for (i = 0; i < digits; i++)
			sbuf_putc(sb, hexdig[(res >> (4 * (digits - 1 - i))) &
			    0xf]);
	}
}

static void
put_lifetime(struct sbuf *sb, uint16_t units)
{
	sbuf_puts(sb, " lifetime=");
	sbuf_uint(sb, 4u * units);
	sbuf_putc(sb, 's');
}

static void
put_in6_tok(struct sbuf *sb, const char *tok, const struct in6_addr *a)
{
	sbuf_putc(sb, ' ');
	sbuf_puts(sb, tok);
	sbuf_in6(sb, a);
}

static void
put_hex_tok(struct sbuf *sb, const char *tok, const uint8_t *p, size_t n)
{
	sbuf_putc(sb, ' ');
	sbuf_puts(sb, tok);
	sbuf_hex(sb, p, n);
}

/* The opaque data, bounded by the array whatever a builder put in body_len */
static size_t
opaque_len(const struct mh_msg *msg)
{
	return msg->body_len < MH_BODY_MAX ? msg->body_len : MH_BODY_MAX;
}

static void
short_fixed(struct sbuf *sb, const struct mh_msg *msg)
{
	switch (msg->type) {
	case MH_BRR:
		break;
	case MH_HOTI:
	case MH_COTI:
		put_hex_tok(sb, "cookie=", msg->u.init.cookie,
		    sizeof(msg->u.init.cookie));
		break;
	case MH_HOT:
	case MH_COT:
		sbuf_puts(sb, " nonce=");
		sbuf_uint(sb, msg->u.test.nonce_index);
		put_hex_tok(sb, "cookie=", msg->u.test.cookie,
		    sizeof(msg->u.test.cookie));
		put_hex_tok(sb, "token=", msg->u.test.token,
		    sizeof(msg->u.test.token));
		break;
	case MH_BU:
		sbuf_puts(sb, " seq=");
		sbuf_uint(sb, msg->u.bu.seq);
		put_flags(sb, msg->u.bu.flags, bu_flags, NELEM(bu_flags), 4);
		put_lifetime(sb, msg->u.bu.lifetime);
		break;
	case MH_BA:
		sbuf_puts(sb, " status=");
		sbuf_uint(sb, msg->u.ba.status);
		put_flags(sb, msg->u.ba.flags, ba_flags, NELEM(ba_flags), 2);
		sbuf_puts(sb, " seq=");
		sbuf_uint(sb, msg->u.ba.seq);
		put_lifetime(sb, msg->u.ba.lifetime);
		break;
	case MH_BE:
		sbuf_puts(sb, " status=");
		sbuf_uint(sb, msg->u.be.status);
		put_in6_tok(sb, "hoa=", &msg->u.be.hoa);
		break;
	default: {
		size_t n = opaque_len(msg);

		sbuf_puts(sb, " len=");
		sbuf_uint(sb, 6u + n);
		put_hex_tok(sb, "data=", msg->body,
		    n > OPAQUE_SHORT_MAX ? OPAQUE_SHORT_MAX : n);
		if (n > OPAQUE_SHORT_MAX)
			sbuf_puts(sb, "...");
	}
	}
}

static size_t
opt_count(const struct mh_msg *msg)
{
	if (msg->type > MH_BE)
		return 0;
	return msg->nopts < MH_OPT_MAX ? msg->nopts : MH_OPT_MAX;
}

void
mh_print_short(struct sbuf *sb, const struct mh_msg *msg,
    const struct mh_print_ctx *ctx)
{
	size_t i, n = opt_count(msg);

	sbuf_puts(sb, mh_type_abbrev(msg->type));
	short_fixed(sb, msg);
	if (ctx != NULL && ctx->hao != NULL)
		put_in6_tok(sb, msg->type == MH_BE ? "hao=" : "hoa=", ctx->hao);
	if (ctx != NULL && ctx->rh2 != NULL)
		put_in6_tok(sb, "rh2=", ctx->rh2);
	for (i = 0; i < n; i++) {
		const struct mh_opt_info *row =
		    mh_opt_info(msg->opts[i].type);

		if (row->print_short == NULL)
			continue;
		sbuf_putc(sb, ' ');
		row->print_short(sb, &msg->opts[i]);
	}
	if (msg->opts_truncated && n > 0)
		sbuf_puts(sb, " opts-truncated");
}

/* ------------------------------------------------------------ verbose */

static void
line(struct sbuf *sb, int indent, const char *label)
{
	int i;

	for (i = 0; i < indent; i++)
		sbuf_putc(sb, ' ');
	sbuf_puts(sb, label);
}

static void
line_uint(struct sbuf *sb, int indent, const char *label, uint64_t v)
{
	line(sb, indent, label);
	sbuf_uint(sb, v);
	sbuf_putc(sb, '\n');
}

static void
line_hex(struct sbuf *sb, int indent, const char *label, const uint8_t *p,
    size_t n)
{
	line(sb, indent, label);
	sbuf_hex(sb, p, n);
	sbuf_putc(sb, '\n');
}

static void
line_status(struct sbuf *sb, int indent, uint8_t st, const char *name)
{
	line(sb, indent, "Status: ");
	sbuf_uint(sb, st);
	sbuf_puts(sb, " (");
	sbuf_puts(sb, name);
	sbuf_puts(sb, ")\n");
}

static void
line_flags(struct sbuf *sb, int indent, uint16_t flags, unsigned digits,
    const struct flag_name *t, size_t n)
{
	static const char hexdig[] = "0123456789abcdef";
	unsigned i;

	line(sb, indent, "Flags: 0x");
	for (i = 0; i < digits; i++)
		sbuf_putc(sb, hexdig[(flags >> (4 * (digits - 1 - i))) & 0xf]);
	put_flags(sb, flags, t, n, digits);
	sbuf_putc(sb, '\n');
}

static void
line_lifetime(struct sbuf *sb, int indent, uint16_t units)
{
	line(sb, indent, "Lifetime: ");
	sbuf_uint(sb, units);
	sbuf_puts(sb, " (");
	sbuf_uint(sb, 4u * units);
	sbuf_puts(sb, " s)\n");
}

static void
verbose_fixed(struct sbuf *sb, const struct mh_msg *msg, int in)
{
	bool home = msg->type == MH_HOTI || msg->type == MH_HOT;

	switch (msg->type) {
	case MH_BRR:
		line_uint(sb, in, "Reserved: ", msg->u.brr.reserved);
		break;
	case MH_HOTI:
	case MH_COTI:
		line_uint(sb, in, "Reserved: ", msg->u.init.reserved);
		line_hex(sb, in, home ? "Home Init Cookie: " :
		    "Care-of Init Cookie: ", msg->u.init.cookie,
		    sizeof(msg->u.init.cookie));
		break;
	case MH_HOT:
	case MH_COT:
		line_uint(sb, in, home ? "Home Nonce Index: " :
		    "Care-of Nonce Index: ", msg->u.test.nonce_index);
		line_hex(sb, in, home ? "Home Init Cookie: " :
		    "Care-of Init Cookie: ", msg->u.test.cookie,
		    sizeof(msg->u.test.cookie));
		line_hex(sb, in, home ? "Home Keygen Token: " :
		    "Care-of Keygen Token: ", msg->u.test.token,
		    sizeof(msg->u.test.token));
		break;
	case MH_BU:
		line_uint(sb, in, "Sequence: ", msg->u.bu.seq);
		line_flags(sb, in, msg->u.bu.flags, 4, bu_flags,
		    NELEM(bu_flags));
		line_lifetime(sb, in, msg->u.bu.lifetime);
		break;
	case MH_BA:
		line_status(sb, in, msg->u.ba.status,
		    mh_ba_status_name(msg->u.ba.status));
		line_flags(sb, in, msg->u.ba.flags, 2, ba_flags,
		    NELEM(ba_flags));
		line_uint(sb, in, "Sequence: ", msg->u.ba.seq);
		line_lifetime(sb, in, msg->u.ba.lifetime);
		break;
	case MH_BE:
		line_status(sb, in, msg->u.be.status,
		    mh_be_status_name(msg->u.be.status));
		line_uint(sb, in, "Reserved: ", msg->u.be.reserved);
		line(sb, in, "Home Address: ");
		sbuf_in6(sb, &msg->u.be.hoa);
		sbuf_putc(sb, '\n');
		break;
	default:
		line(sb, in, "Data (");
		sbuf_uint(sb, opaque_len(msg));
		sbuf_puts(sb, " bytes): ");
		sbuf_hex(sb, msg->body, opaque_len(msg));
		sbuf_putc(sb, '\n');
	}
}

static void
verbose_opt(struct sbuf *sb, const struct mh_opt *o, int in)
{
	const struct mh_opt_info *row = mh_opt_info(o->type);

	line(sb, in, "Option ");
	sbuf_puts(sb, mh_opt_name(o->type));
	sbuf_puts(sb, " (");
	sbuf_uint(sb, o->type);
	sbuf_puts(sb, ") at offset ");
	sbuf_uint(sb, o->off);
	if (o->type != MHOPT_PAD1) {
		sbuf_puts(sb, ", Length ");
		sbuf_uint(sb, o->len);
	}
	/* PadN and options kept as bytes have nothing to show when empty */
	if (row->print_verbose != NULL && (o->var_len > 0 ||
	    (o->type != MHOPT_PADN && mh_opt_known(o->type)))) {
		sbuf_puts(sb, ": ");
		row->print_verbose(sb, o);
	}
	sbuf_putc(sb, '\n');
}

void
mh_print_verbose(struct sbuf *sb, const struct mh_msg *msg, int indent)
{
	size_t i, n = opt_count(msg);
	int in = indent + 2;

	line(sb, indent, "Mobility Header: ");
	sbuf_puts(sb, mh_type_name(msg->type));
	sbuf_puts(sb, " (");
	sbuf_puts(sb, mh_type_abbrev(msg->type));
	sbuf_puts(sb, ", type ");
	sbuf_uint(sb, msg->type);
	sbuf_puts(sb, ")\n");
	line_uint(sb, in, "Payload Proto: ", msg->payload_proto);
	line(sb, in, "Header Len: ");
	sbuf_uint(sb, msg->hdr_len);
	sbuf_puts(sb, " (");
	sbuf_uint(sb, 8u * (msg->hdr_len + 1u));
	sbuf_puts(sb, " bytes)\n");
	line_uint(sb, in, "Reserved: ", msg->reserved);
	line(sb, in, "Checksum: ");
	sbuf_hex16(sb, msg->checksum);
	sbuf_putc(sb, '\n');
	verbose_fixed(sb, msg, in);
	for (i = 0; i < n; i++)
		verbose_opt(sb, &msg->opts[i], in);
	if (msg->opts_truncated && n > 0)
		line(sb, in, "(more options than the decoder keeps)\n");
}

/*
 * ------------------------------------------------------------ JSON
 *
 * One object of wire values (lifetimes and intervals in their 4-second
 * units, with "lifetime_s"/"interval_s" in seconds beside them; Header Len
 * as on the wire) plus names: "name"/"abbrev" of the
 * type, "status_name", "flags" as an array of letters next to "flags_raw"
 * (whose bits outside the letters are the reserved ones), and "options",
 * each with type, name, abbrev, offset, length and its decoded fields.
 */

/*
 * "flags":["A","H","K"]: written as one member (four bytes a letter at
 * most) when it fits, element by element near the end of the buffer.
 */
static void
json_flags(struct jw *jw, uint16_t flags, const struct flag_name *t,
    size_t n)
{
	char *p = jw_begin(jw, "flags", 5, 2 + 4 * n);
	size_t i;

	if (p != NULL) {
		*p++ = '[';
		for (i = 0; i < n; i++)
			if (flags & t[i].mask) {
				if (p[-1] != '[')
					*p++ = ',';
				p[0] = '"';
				p[1] = t[i].letter;
				p[2] = '"';
				p += 3;
			}
		*p++ = ']';
		jw_end(jw, p);
	} else {
		jw_arr_open(jw, "flags");
		for (i = 0; i < n; i++)
			if (flags & t[i].mask)
				jw_ascii(jw, NULL, &t[i].letter, 1);
		jw_arr_close(jw);
	}
	jw_uint(jw, "flags_raw", flags);
}

static void
json_fixed(struct jw *jw, const struct mh_msg *msg)
{
	switch (msg->type) {
	case MH_BRR:
		if (!jw->brief)
			jw_uint(jw, "msg_reserved", msg->u.brr.reserved);
		break;
	case MH_HOTI:
	case MH_COTI:
		if (!jw->brief)
			jw_uint(jw, "msg_reserved", msg->u.init.reserved);
		jw_hex(jw, "cookie", msg->u.init.cookie,
		    sizeof(msg->u.init.cookie));
		break;
	case MH_HOT:
	case MH_COT:
		jw_uint(jw, "nonce_index", msg->u.test.nonce_index);
		jw_hex(jw, "cookie", msg->u.test.cookie,
		    sizeof(msg->u.test.cookie));
		jw_hex(jw, "token", msg->u.test.token,
		    sizeof(msg->u.test.token));
		break;
	case MH_BU:
		jw_uint(jw, "seq", msg->u.bu.seq);
		json_flags(jw, msg->u.bu.flags, bu_flags, NELEM(bu_flags));
		jw_uint(jw, "lifetime", msg->u.bu.lifetime);
		jw_uint(jw, "lifetime_s", 4u * msg->u.bu.lifetime);
		break;
	case MH_BA:
		jw_uint(jw, "status", msg->u.ba.status);
		JW_ASCII(jw, "status_name",
		    mh_ba_status_name(msg->u.ba.status));
		json_flags(jw, msg->u.ba.flags, ba_flags, NELEM(ba_flags));
		jw_uint(jw, "seq", msg->u.ba.seq);
		jw_uint(jw, "lifetime", msg->u.ba.lifetime);
		jw_uint(jw, "lifetime_s", 4u * msg->u.ba.lifetime);
		break;
	case MH_BE:
		jw_uint(jw, "status", msg->u.be.status);
		JW_ASCII(jw, "status_name",
		    mh_be_status_name(msg->u.be.status));
		if (!jw->brief)
			jw_uint(jw, "msg_reserved", msg->u.be.reserved);
		jw_in6(jw, "hoa", &msg->u.be.hoa);
		break;
	default:
		jw_uint(jw, "data_len", opaque_len(msg));
		jw_hex(jw, "data", msg->body, opaque_len(msg));
	}
}

/* Padding options: shown in full objects, left out of brief ones. */
static bool
is_pad(const struct mh_opt *o)
{
	return o->type == MHOPT_PAD1 || o->type == MHOPT_PADN;
}

static void
json_opt(struct jw *jw, const struct mh_opt *o)
{
	const struct mh_opt_info *row = mh_opt_info(o->type);

	jw_obj_open(jw, NULL);
	jw_uint(jw, "type", o->type);
	if (!jw->brief)
		JW_ASCII(jw, "name", mh_opt_name(o->type));
	JW_ASCII(jw, "abbrev", mh_opt_abbrev(o->type));
	if (!jw->brief)
		jw_uint(jw, "offset", o->off);
	if (o->type != MHOPT_PAD1 && !jw->brief)
		jw_uint(jw, "length", o->len);
	if (row->print_json != NULL)
		row->print_json(jw, o);
	jw_obj_close(jw);
}

void
mh_print_json(struct jw *jw, const char *key, const struct mh_msg *msg)
{
	size_t i, n = opt_count(msg);

	jw_obj_open(jw, key);
	jw_uint(jw, "type", msg->type);
	if (!jw->brief)
		JW_ASCII(jw, "name", mh_type_name(msg->type));
	JW_ASCII(jw, "abbrev", mh_type_abbrev(msg->type));
	if (!jw->brief) {
		jw_uint(jw, "payload_proto", msg->payload_proto);
		jw_uint(jw, "hdr_len", msg->hdr_len);
		jw_uint(jw, "reserved", msg->reserved);
		jw_uint(jw, "checksum", msg->checksum);
	}
	json_fixed(jw, msg);
	if (msg->type <= MH_BE) {
		jw_arr_open(jw, "options");
		for (i = 0; i < n; i++)
			if (!jw->brief || !is_pad(&msg->opts[i]))
				json_opt(jw, &msg->opts[i]);
		jw_arr_close(jw);
		if (!jw->brief || msg->opts_truncated)
			jw_bool(jw, "options_truncated", msg->opts_truncated);
	}
	jw_obj_close(jw);
}
