/*
 * mh_opt.c - the mobility option table: one row per option type with its
 * length rule, alignment, the messages that may carry it, and its decode,
 * encode and print functions; plus the option walk of the decoder and the
 * option emitter of the encoder (RFC 6275 §6.2).
 *
 * The length, alignment, placement and duplicate checks are done once, in
 * mh_opts_decode(), from the row; the per-option decoders only read fields
 * and check field values.  Options of unknown type are kept as bytes and
 * skipped by their Length (RFC 6275 §6.2.1).
 */
#include <netinet/in.h>
#include <string.h>

#include "buf.h"
#include "mh.h"
#include "mh_impl.h"
#include "sbuf.h"
#include "viol.h"

/* ------------------------------------------------------------ helpers */

static void
put_res(struct sbuf *sb, unsigned res, unsigned digits)
{
	static const char hexdig[] = "0123456789abcdef";
	char tmp[8];
	unsigned i;

	if (res == 0)
		return;
	sbuf_puts(sb, ",res=0x");
	for (i = 0; i < digits && i < sizeof(tmp); i++)
		tmp[i] = hexdig[(res >> (4 * (digits - 1 - i))) & 0xf];
	sbuf_putn(sb, tmp, i);
}

/* Bytes outside printable ASCII (and the backslash) become \xNN. */
static void
put_escaped(struct sbuf *sb, const uint8_t *p, size_t n)
{
	static const char hexdig[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		char esc[4] = { '\\', 'x', hexdig[p[i] >> 4],
		    hexdig[p[i] & 0xf] };

		if (p[i] > 0x20 && p[i] < 0x7f && p[i] != '\\')
			sbuf_putc(sb, (char)p[i]);
		else
			sbuf_putn(sb, esc, sizeof(esc));
	}
}

static void
copy_var(struct mh_opt *o, struct rbuf *d)
{
	size_t n = rbuf_left(d);

	if (n > sizeof(o->var))
		n = sizeof(o->var);
	o->var_len = (uint8_t)n;
	rbuf_bytes(d, o->var, n);
}

static void
value_viol(const struct mh_opt_ctx *c, const struct mh_opt *o, size_t at,
    const char *field, uint32_t val)
{
	viol_add(c->vl, V_MH_OPT_VALUE, c->base + o->off + at, val, 0, 0,
	    field);
}

/* ------------------------------------------------ opaque: PadN, unknown */

static void
dec_opaque(struct mh_opt *o, struct rbuf *d, const struct mh_opt_ctx *c)
{
	(void)c;
	copy_var(o, d);
}

static void
enc_var(const struct mh_opt *o, struct wbuf *w)
{
	wbuf_bytes(w, o->var, o->var_len);
}

/* RFC 6275 §6.2.3: PadN contents are zero on send, ignored on receive. */
static void
dec_padn(struct mh_opt *o, struct rbuf *d, const struct mh_opt_ctx *c)
{
	size_t i;

	copy_var(o, d);
	for (i = 0; i < o->var_len; i++)
		if (o->var[i] != 0) {
			viol_add(c->vl, V_MH_PAD_NONZERO, c->base + o->off,
			    o->off, 0, 0, NULL);
			break;
		}
}

static void
short_opaque(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, mh_opt_abbrev(o->type));
	sbuf_putc(sb, '=');
	sbuf_hex(sb, o->var, o->var_len);
}

static void
verb_opaque(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_hex(sb, o->var, o->var_len);
}

static void
json_opaque(struct jw *jw, const struct mh_opt *o)
{
	jw_hex(jw, "data", o->var, o->var_len);
}

/* ------------------------------------- Binding Refresh Advice (type 2) */

static void
dec_bra(struct mh_opt *o, struct rbuf *d, const struct mh_opt_ctx *c)
{
	(void)c;
	o->u.bra_interval = rbuf_u16(d);
}

static void
enc_bra(const struct mh_opt *o, struct wbuf *w)
{
	wbuf_u16(w, o->u.bra_interval);
}

static void
short_bra(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, "bra=");
	sbuf_uint(sb, 4u * o->u.bra_interval);
	sbuf_putc(sb, 's');
}

static void
verb_bra(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, "Refresh Interval ");
	sbuf_uint(sb, o->u.bra_interval);
	sbuf_puts(sb, " (");
	sbuf_uint(sb, 4u * o->u.bra_interval);
	sbuf_puts(sb, " s)");
}

static void
json_bra(struct jw *jw, const struct mh_opt *o)
{
	jw_uint(jw, "interval", o->u.bra_interval);
	jw_uint(jw, "interval_s", 4u * o->u.bra_interval);
}

/* -------------------------------- Alternate Care-of Address (type 3) */

static void
dec_acoa(struct mh_opt *o, struct rbuf *d, const struct mh_opt_ctx *c)
{
	(void)c;
	rbuf_in6(d, &o->u.acoa);
}

static void
enc_acoa(const struct mh_opt *o, struct wbuf *w)
{
	wbuf_in6(w, &o->u.acoa);
}

static void
short_acoa(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, "acoa=");
	sbuf_in6(sb, &o->u.acoa);
}

static void
verb_acoa(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_in6(sb, &o->u.acoa);
}

static void
json_acoa(struct jw *jw, const struct mh_opt *o)
{
	jw_in6(jw, "addr", &o->u.acoa);
}

/* ---------------------------------------------- Nonce Indices (type 4) */

static void
dec_ni(struct mh_opt *o, struct rbuf *d, const struct mh_opt_ctx *c)
{
	(void)c;
	o->u.ni.home = rbuf_u16(d);
	o->u.ni.careof = rbuf_u16(d);
}

static void
enc_ni(const struct mh_opt *o, struct wbuf *w)
{
	wbuf_u16(w, o->u.ni.home);
	wbuf_u16(w, o->u.ni.careof);
}

static void
short_ni(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, "ni=");
	sbuf_uint(sb, o->u.ni.home);
	sbuf_putc(sb, '/');
	sbuf_uint(sb, o->u.ni.careof);
}

static void
verb_ni(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, "Home Nonce Index ");
	sbuf_uint(sb, o->u.ni.home);
	sbuf_puts(sb, ", Care-of Nonce Index ");
	sbuf_uint(sb, o->u.ni.careof);
}

static void
json_ni(struct jw *jw, const struct mh_opt *o)
{
	jw_uint(jw, "home_nonce_index", o->u.ni.home);
	jw_uint(jw, "careof_nonce_index", o->u.ni.careof);
}

/* --------------------------------- Binding Authorization Data (type 5) */

static void
short_bad(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, "bad=");
	sbuf_hex(sb, o->var, o->var_len);
}

static void
verb_bad(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, "Authenticator ");
	sbuf_hex(sb, o->var, o->var_len);
}

static void
json_bad(struct jw *jw, const struct mh_opt *o)
{
	jw_hex(jw, "authenticator", o->var, o->var_len);
}

/* ------------------------------ Mobile Network Prefix (type 6, NEMO) */

static void
dec_mnp(struct mh_opt *o, struct rbuf *d, const struct mh_opt_ctx *c)
{
	o->u.mnp.reserved = rbuf_u8(d);
	o->u.mnp.plen = rbuf_u8(d);
	rbuf_in6(d, &o->u.mnp.prefix);
	if (o->u.mnp.plen > 128)
		value_viol(c, o, 3, "Mobile Network Prefix Length",
		    o->u.mnp.plen);
}

static void
enc_mnp(const struct mh_opt *o, struct wbuf *w)
{
	wbuf_u8(w, o->u.mnp.reserved);
	wbuf_u8(w, o->u.mnp.plen);
	wbuf_in6(w, &o->u.mnp.prefix);
}

static void
short_mnp(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, "mnp=");
	sbuf_in6(sb, &o->u.mnp.prefix);
	sbuf_putc(sb, '/');
	sbuf_uint(sb, o->u.mnp.plen);
	put_res(sb, o->u.mnp.reserved, 2);
}

static void
verb_mnp(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_in6(sb, &o->u.mnp.prefix);
	sbuf_putc(sb, '/');
	sbuf_uint(sb, o->u.mnp.plen);
	sbuf_puts(sb, ", Reserved ");
	sbuf_uint(sb, o->u.mnp.reserved);
}

static void
json_mnp(struct jw *jw, const struct mh_opt *o)
{
	jw_uint(jw, "reserved", o->u.mnp.reserved);
	jw_uint(jw, "prefix_len", o->u.mnp.plen);
	jw_in6(jw, "prefix", &o->u.mnp.prefix);
}

/* ------------------------------ Mobile Node Identifier (type 8, 4283) */

static void
dec_mnid(struct mh_opt *o, struct rbuf *d, const struct mh_opt_ctx *c)
{
	(void)c;
	o->u.mnid.subtype = rbuf_u8(d);
	copy_var(o, d);
}

static void
enc_mnid(const struct mh_opt *o, struct wbuf *w)
{
	wbuf_u8(w, o->u.mnid.subtype);
	wbuf_bytes(w, o->var, o->var_len);
}

static void
short_mnid(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, "mnid=");
	if (o->u.mnid.subtype == MHOPT_MNID_NAI)
		sbuf_puts(sb, "nai");
	else
		sbuf_uint(sb, o->u.mnid.subtype);
	sbuf_putc(sb, ':');
	put_escaped(sb, o->var, o->var_len);
}

static void
verb_mnid(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, "Subtype ");
	sbuf_uint(sb, o->u.mnid.subtype);
	if (o->u.mnid.subtype == MHOPT_MNID_NAI)
		sbuf_puts(sb, " (NAI)");
	sbuf_puts(sb, ", Identifier ");
	put_escaped(sb, o->var, o->var_len);
}

static void
json_mnid(struct jw *jw, const struct mh_opt *o)
{
	jw_uint(jw, "subtype", o->u.mnid.subtype);
	if (o->u.mnid.subtype == MHOPT_MNID_NAI)
		jw_strn(jw, "nai", (const char *)o->var, o->var_len);
	jw_hex(jw, "identifier", o->var, o->var_len);
}

/* ------------------- Mobility Message Authentication (type 9, 4285) */

static const char *
auth_subtype_name(uint8_t st)
{
	switch (st) {
	case MHOPT_AUTH_MN_HA:
		return "mn-ha";
	case MHOPT_AUTH_MN_AAA:
		return "mn-aaa";
	}
	return NULL;
}

static void
dec_auth(struct mh_opt *o, struct rbuf *d, const struct mh_opt_ctx *c)
{
	(void)c;
	o->u.auth.subtype = rbuf_u8(d);
	o->u.auth.spi = rbuf_u32(d);
	copy_var(o, d);
}

static void
enc_auth(const struct mh_opt *o, struct wbuf *w)
{
	wbuf_u8(w, o->u.auth.subtype);
	wbuf_u32(w, o->u.auth.spi);
	wbuf_bytes(w, o->var, o->var_len);
}

static void
short_auth(struct sbuf *sb, const struct mh_opt *o)
{
	const char *st = auth_subtype_name(o->u.auth.subtype);

	sbuf_puts(sb, "mn-auth=");
	if (st != NULL)
		sbuf_puts(sb, st);
	else
		sbuf_uint(sb, o->u.auth.subtype);
	sbuf_puts(sb, ",spi=");
	sbuf_uint(sb, o->u.auth.spi);
	sbuf_putc(sb, ',');
	sbuf_hex(sb, o->var, o->var_len);
}

static void
verb_auth(struct sbuf *sb, const struct mh_opt *o)
{
	const char *st = auth_subtype_name(o->u.auth.subtype);

	sbuf_puts(sb, "Subtype ");
	sbuf_uint(sb, o->u.auth.subtype);
	if (st != NULL) {
		sbuf_puts(sb, " (");
		sbuf_puts(sb, st);
		sbuf_putc(sb, ')');
	}
	sbuf_puts(sb, ", SPI ");
	sbuf_uint(sb, o->u.auth.spi);
	sbuf_puts(sb, ", Authentication Data ");
	sbuf_hex(sb, o->var, o->var_len);
}

static void
json_auth(struct jw *jw, const struct mh_opt *o)
{
	const char *st = auth_subtype_name(o->u.auth.subtype);

	jw_uint(jw, "subtype", o->u.auth.subtype);
	if (st != NULL)
		jw_str(jw, "subtype_name", st);
	jw_uint(jw, "spi", o->u.auth.spi);
	jw_hex(jw, "auth_data", o->var, o->var_len);
}

/* --------------- Mobility Message Replay Protection (type 10, 4285) */

static void
dec_mesgid(struct mh_opt *o, struct rbuf *d, const struct mh_opt_ctx *c)
{
	(void)c;
	o->u.mesg_id = rbuf_u64(d);
}

static void
enc_mesgid(const struct mh_opt *o, struct wbuf *w)
{
	wbuf_u64(w, o->u.mesg_id);
}

static void
put_hex64(struct sbuf *sb, uint64_t v)
{
	uint8_t b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
	sbuf_puts(sb, "0x");
	sbuf_hex(sb, b, sizeof(b));
}

static void
short_mesgid(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, "mesg-id=");
	put_hex64(sb, o->u.mesg_id);
}

static void
verb_mesgid(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, "Timestamp ");
	put_hex64(sb, o->u.mesg_id);
}

static void
json_mesgid(struct jw *jw, const struct mh_opt *o)
{
	jw_uint(jw, "timestamp", o->u.mesg_id);
}

/* ------------------------------ IPv4 Home Address (type 29, RFC 5555) */

/* The 16-bit word after Length: Prefix-len (6) | P (1) | Reserved (9). */
static void
dec_v4hoa(struct mh_opt *o, struct rbuf *d, const struct mh_opt_ctx *c)
{
	uint16_t w = rbuf_u16(d);

	o->u.v4hoa.plen = (uint8_t)(w >> 10);
	o->u.v4hoa.p = (w & MHOPT_V4HOA_P) != 0;
	o->u.v4hoa.reserved = w & 0x01ff;
	rbuf_in4(d, &o->u.v4hoa.addr);
	if (o->u.v4hoa.plen > 32)
		value_viol(c, o, 2, "IPv4 Home Address Prefix-len",
		    o->u.v4hoa.plen);
}

static void
enc_v4hoa(const struct mh_opt *o, struct wbuf *w)
{
	wbuf_u16(w, (uint16_t)((o->u.v4hoa.plen & 0x3f) << 10 |
	    (o->u.v4hoa.p ? MHOPT_V4HOA_P : 0) |
	    (o->u.v4hoa.reserved & 0x01ff)));
	wbuf_in4(w, &o->u.v4hoa.addr);
}

static void
short_v4hoa(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, "v4hoa=");
	sbuf_in4(sb, &o->u.v4hoa.addr);
	sbuf_putc(sb, '/');
	sbuf_uint(sb, o->u.v4hoa.plen);
	if (o->u.v4hoa.p)
		sbuf_puts(sb, ",P");
	put_res(sb, o->u.v4hoa.reserved, 4);
}

static void
verb_v4hoa(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_in4(sb, &o->u.v4hoa.addr);
	sbuf_puts(sb, ", Prefix-len ");
	sbuf_uint(sb, o->u.v4hoa.plen);
	sbuf_puts(sb, o->u.v4hoa.p ? ", P (prefix requested)" : ", no P");
	sbuf_puts(sb, ", Reserved ");
	sbuf_uint(sb, o->u.v4hoa.reserved);
}

static void
json_v4hoa(struct jw *jw, const struct mh_opt *o)
{
	jw_in4(jw, "addr", &o->u.v4hoa.addr);
	jw_uint(jw, "prefix_len", o->u.v4hoa.plen);
	jw_bool(jw, "p", o->u.v4hoa.p);
	jw_uint(jw, "reserved", o->u.v4hoa.reserved);
}

/* ------------------ IPv4 Address Acknowledgement (type 30, RFC 5555) */

static void
dec_v4ack(struct mh_opt *o, struct rbuf *d, const struct mh_opt_ctx *c)
{
	uint8_t b;

	o->u.v4ack.status = rbuf_u8(d);
	b = rbuf_u8(d);
	o->u.v4ack.plen = b >> 2;
	o->u.v4ack.reserved = b & 0x03;
	rbuf_in4(d, &o->u.v4ack.addr);
	if (o->u.v4ack.plen > 32)
		value_viol(c, o, 3, "IPv4 Address Acknowledgement Prefix-len",
		    o->u.v4ack.plen);
}

static void
enc_v4ack(const struct mh_opt *o, struct wbuf *w)
{
	wbuf_u8(w, o->u.v4ack.status);
	wbuf_u8(w, (uint8_t)((o->u.v4ack.plen & 0x3f) << 2 |
	    (o->u.v4ack.reserved & 0x03)));
	wbuf_in4(w, &o->u.v4ack.addr);
}

static const char *
v4ack_status_name(uint8_t st)
{
	switch (st) {
	case V4ACK_SUCCESS:
		return "Success";
	case V4ACK_UNSPECIFIED:
		return "Failure, reason unspecified";
	case V4ACK_PROHIBITED:
		return "Administratively prohibited";
	case V4ACK_INCORRECT_HOA:
		return "Incorrect IPv4 home address";
	case V4ACK_INVALID_ADDR:
		return "Invalid IPv4 address";
	case V4ACK_DYNAMIC_UNAVAILABLE:
		return "Dynamic IPv4 home address assignment not available";
	case V4ACK_PREFIX_UNAUTHORIZED:
		return "Prefix allocation unauthorized";
	}
	return st < 128 ? "Success (unassigned)" : "Failure (unassigned)";
}

static void
short_v4ack(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, "v4ack=");
	sbuf_uint(sb, o->u.v4ack.status);
	sbuf_putc(sb, ',');
	sbuf_in4(sb, &o->u.v4ack.addr);
	sbuf_putc(sb, '/');
	sbuf_uint(sb, o->u.v4ack.plen);
	put_res(sb, o->u.v4ack.reserved, 1);
}

static void
verb_v4ack(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, "Status ");
	sbuf_uint(sb, o->u.v4ack.status);
	sbuf_puts(sb, " (");
	sbuf_puts(sb, v4ack_status_name(o->u.v4ack.status));
	sbuf_puts(sb, "), ");
	sbuf_in4(sb, &o->u.v4ack.addr);
	sbuf_puts(sb, ", Prefix-len ");
	sbuf_uint(sb, o->u.v4ack.plen);
	sbuf_puts(sb, ", Reserved ");
	sbuf_uint(sb, o->u.v4ack.reserved);
}

static void
json_v4ack(struct jw *jw, const struct mh_opt *o)
{
	jw_uint(jw, "status", o->u.v4ack.status);
	JW_ASCII(jw, "status_name", v4ack_status_name(o->u.v4ack.status));
	jw_in4(jw, "addr", &o->u.v4ack.addr);
	jw_uint(jw, "prefix_len", o->u.v4ack.plen);
	jw_uint(jw, "reserved", o->u.v4ack.reserved);
}

/* ------------------------------------ NAT Detection (type 31, 5555) */

static void
dec_natd(struct mh_opt *o, struct rbuf *d, const struct mh_opt_ctx *c)
{
	uint16_t w = rbuf_u16(d);

	(void)c;
	o->u.natd.f = (w & MHOPT_NATD_F) != 0;
	o->u.natd.reserved = w & 0x7fff;
	o->u.natd.refresh = rbuf_u32(d);
}

static void
enc_natd(const struct mh_opt *o, struct wbuf *w)
{
	wbuf_u16(w, (uint16_t)((o->u.natd.f ? MHOPT_NATD_F : 0) |
	    (o->u.natd.reserved & 0x7fff)));
	wbuf_u32(w, o->u.natd.refresh);
}

static void
short_natd(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, "natd=");
	if (o->u.natd.f)
		sbuf_puts(sb, "F,");
	sbuf_uint(sb, o->u.natd.refresh);
	sbuf_putc(sb, 's');
	put_res(sb, o->u.natd.reserved, 4);
}

static void
verb_natd(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, o->u.natd.f ? "F (UDP encapsulation required)" :
	    "no F");
	sbuf_puts(sb, ", Refresh Time ");
	sbuf_uint(sb, o->u.natd.refresh);
	sbuf_puts(sb, " s, Reserved ");
	sbuf_uint(sb, o->u.natd.reserved);
}

static void
json_natd(struct jw *jw, const struct mh_opt *o)
{
	jw_bool(jw, "f", o->u.natd.f);
	jw_uint(jw, "refresh_s", o->u.natd.refresh);
	jw_uint(jw, "reserved", o->u.natd.reserved);
}

/* ---------------------------- IPv4 Care-of Address (type 32, 5555) */

static void
dec_v4coa(struct mh_opt *o, struct rbuf *d, const struct mh_opt_ctx *c)
{
	(void)c;
	o->u.v4coa.reserved = rbuf_u16(d);
	rbuf_in4(d, &o->u.v4coa.addr);
}

static void
enc_v4coa(const struct mh_opt *o, struct wbuf *w)
{
	wbuf_u16(w, o->u.v4coa.reserved);
	wbuf_in4(w, &o->u.v4coa.addr);
}

static void
short_v4coa(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, "v4coa=");
	sbuf_in4(sb, &o->u.v4coa.addr);
	put_res(sb, o->u.v4coa.reserved, 4);
}

static void
verb_v4coa(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_in4(sb, &o->u.v4coa.addr);
	sbuf_puts(sb, ", Reserved ");
	sbuf_uint(sb, o->u.v4coa.reserved);
}

static void
json_v4coa(struct jw *jw, const struct mh_opt *o)
{
	jw_in4(jw, "addr", &o->u.v4coa.addr);
	jw_uint(jw, "reserved", o->u.v4coa.reserved);
}

/* --------------- Binding Identifier (type 35, RFC 5648 §6.1, 6089) */

/* RFC 5648 §6.1: Length 4 (no CoA), 8 (IPv4 CoA) or 20 (IPv6 CoA). */
static void
dec_bid(struct mh_opt *o, struct rbuf *d, const struct mh_opt_ctx *c)
{
	uint8_t b;

	o->u.bid.bid = rbuf_u16(d);
	o->u.bid.status = rbuf_u8(d);
	b = rbuf_u8(d);
	o->u.bid.h = (b & MHOPT_BID_H) != 0;
	o->u.bid.prio = b & 0x7f;
	o->u.bid.coa_family = 0;
	switch (o->len) {
	case 4:
		break;
	case 8:
		o->u.bid.coa_family = AF_INET;
		rbuf_in4(d, &o->u.bid.coa4);
		break;
	case 20:
		o->u.bid.coa_family = AF_INET6;
		rbuf_in6(d, &o->u.bid.coa6);
		break;
	default:
		if (o->len >= 4)
			value_viol(c, o, 1, "Binding Identifier Length",
			    o->len);
		/* keep what follows the fixed part, so it re-encodes */
		copy_var(o, d);
	}
}

static void
enc_bid(const struct mh_opt *o, struct wbuf *w)
{
	wbuf_u16(w, o->u.bid.bid);
	wbuf_u8(w, o->u.bid.status);
	wbuf_u8(w, (uint8_t)((o->u.bid.h ? MHOPT_BID_H : 0) |
	    (o->u.bid.prio & 0x7f)));
	if (o->u.bid.coa_family == AF_INET)
		wbuf_in4(w, &o->u.bid.coa4);
	else if (o->u.bid.coa_family == AF_INET6)
		wbuf_in6(w, &o->u.bid.coa6);
	else
		wbuf_bytes(w, o->var, o->var_len);	/* malformed Length */
}

static void
put_bid_coa(struct sbuf *sb, const struct mh_opt *o)
{
	if (o->u.bid.coa_family == AF_INET)
		sbuf_in4(sb, &o->u.bid.coa4);
	else if (o->u.bid.coa_family == AF_INET6)
		sbuf_in6(sb, &o->u.bid.coa6);
}

static void
short_bid(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, "bid=");
	sbuf_uint(sb, o->u.bid.bid);
	sbuf_puts(sb, ",status=");
	sbuf_uint(sb, o->u.bid.status);
	if (o->u.bid.h)
		sbuf_puts(sb, ",H");
	sbuf_puts(sb, ",prio=");
	sbuf_uint(sb, o->u.bid.prio);
	if (o->u.bid.coa_family != 0) {
		sbuf_puts(sb, ",coa=");
		put_bid_coa(sb, o);
	}
}

static void
verb_bid(struct sbuf *sb, const struct mh_opt *o)
{
	sbuf_puts(sb, "BID ");
	sbuf_uint(sb, o->u.bid.bid);
	sbuf_puts(sb, ", Status ");
	sbuf_uint(sb, o->u.bid.status);
	sbuf_puts(sb, " (");
	sbuf_puts(sb, mh_ba_status_name(o->u.bid.status));
	sbuf_puts(sb, o->u.bid.h ? "), H" : "), no H");
	sbuf_puts(sb, ", BID-PRI ");
	sbuf_uint(sb, o->u.bid.prio);
	if (o->u.bid.coa_family != 0) {
		sbuf_puts(sb, ", CoA ");
		put_bid_coa(sb, o);
	}
}

static void
json_bid(struct jw *jw, const struct mh_opt *o)
{
	jw_uint(jw, "bid", o->u.bid.bid);
	jw_uint(jw, "status", o->u.bid.status);
	JW_ASCII(jw, "status_name", mh_ba_status_name(o->u.bid.status));
	jw_bool(jw, "h", o->u.bid.h);
	jw_uint(jw, "prio", o->u.bid.prio);
	if (o->u.bid.coa_family == AF_INET)
		jw_in4(jw, "coa", &o->u.bid.coa4);
	else if (o->u.bid.coa_family == AF_INET6)
		jw_in6(jw, "coa", &o->u.bid.coa6);
	else
		jw_null(jw, "coa");
}

/* ---------------------------------------------------------- the table */

#define BU	MH_TBIT(MH_BU)
#define BA	MH_TBIT(MH_BA)
#define OPAQUE	dec_opaque, enc_var, short_opaque, verb_opaque, json_opaque

/*
 * Alignments and carriers, with where each was verified:
 * - RFC 6275 §6.2.4-§6.2.7 (and §6.1.7/§6.1.8 for the carriers): BRA 2n
 *   in a BA; Alt-CoA 8n+6, Nonce Indices 2n in a BU; BAD 8n+2 in a BU or
 *   BA, and it MUST be the last option (checked in mh_opts_decode).
 * - RFC 3963 §4.3: MNP 8n+4, Length 18; §4.1-§4.2 define it for the BU
 *   only (the BA of §4.2 adds just the R flag).
 * - RFC 4283 §3: the MN-ID option "does not have any alignment
 *   requirements" and "can be used in mobility messages containing a
 *   mobility header" (quoted in public PMIPv6 code), so any type 0-7.
 * - RFC 4285 §5 and §6: AUTH 4n+1 (Length >= 5: subtype and SPI), MESG-ID
 *   8n+2 (Length 8), in a BU or BA; scapy's _MIP6OptAlign table agrees.
 * - RFC 5555 §3.1.1, §3.1.2 (BU) and §3.2.1, §3.2.2 (BA): IPv4 HoA and
 *   IPv4 CoA in the BU, IPv4 Address Acknowledgement and NAT Detection in
 *   the BA, all Length 6 with alignment 4n; the golden DSMIPv6 vectors
 *   (wire-formats.md §8.1 #17-#19) place them at 4n.
 * - RFC 5648 §6.1: BI in BU, BA, BRR, CoTI and CoT with alignment 8n+2
 *   (its CoA field then starts 8-octet aligned; golden vector #20 pads to
 *   18).  The RFC text was not retrievable from the search corpora; the
 *   8n+2 row follows wire-formats.md §2.2 and that vector.
 */
static const struct mh_opt_info opt_table[] = {
	[MHOPT_PAD1] = { "pad1", "Pad1", "RFC 6275 §6.2.2", OPT_LEN_NONE,
	    0, 1, 0, MH_TALL, false, NULL, NULL, NULL, NULL, NULL },
	[MHOPT_PADN] = { "padn", "PadN", "RFC 6275 §6.2.3", OPT_LEN_MIN,
	    0, 1, 0, MH_TALL, false,
	    dec_padn, enc_var, NULL, verb_opaque, json_opaque },
	[MHOPT_BRA] = { "bra", "Binding Refresh Advice", "RFC 6275 §6.2.4",
	    OPT_LEN_EXACT, 2, 2, 0, BA, true,
	    dec_bra, enc_bra, short_bra, verb_bra, json_bra },
	[MHOPT_ACOA] = { "acoa", "Alternate Care-of Address",
	    "RFC 6275 §6.2.5", OPT_LEN_EXACT, 16, 8, 6, BU, true,
	    dec_acoa, enc_acoa, short_acoa, verb_acoa, json_acoa },
	[MHOPT_NI] = { "ni", "Nonce Indices", "RFC 6275 §6.2.6",
	    OPT_LEN_EXACT, 4, 2, 0, BU, true,
	    dec_ni, enc_ni, short_ni, verb_ni, json_ni },
	[MHOPT_BAD] = { "bad", "Binding Authorization Data",
	    "RFC 6275 §6.2.7", OPT_LEN_EXACT, MH_BAD_AUTH_LEN, 8, 2, BU | BA,
	    true, dec_opaque, enc_var, short_bad, verb_bad, json_bad },
	[MHOPT_MNP] = { "mnp", "Mobile Network Prefix", "RFC 3963 §4.3",
	    OPT_LEN_EXACT, 18, 8, 4, BU, false,
	    dec_mnp, enc_mnp, short_mnp, verb_mnp, json_mnp },
	[MHOPT_MNID] = { "mnid", "Mobile Node Identifier", "RFC 4283 §3",
	    OPT_LEN_MIN, 1, 1, 0, MH_TALL, false,
	    dec_mnid, enc_mnid, short_mnid, verb_mnid, json_mnid },
	[MHOPT_AUTH] = { "mn-auth", "Mobility Message Authentication",
	    "RFC 4285 §5", OPT_LEN_MIN, 5, 4, 1, BU | BA, false,
	    dec_auth, enc_auth, short_auth, verb_auth, json_auth },
	[MHOPT_MESGID] = { "mesg-id", "Mobility Message Replay Protection",
	    "RFC 4285 §6", OPT_LEN_EXACT, 8, 8, 2, BU | BA, true,
	    dec_mesgid, enc_mesgid, short_mesgid, verb_mesgid, json_mesgid },
	[MHOPT_V4HOA] = { "v4hoa", "IPv4 Home Address", "RFC 5555 §3.1.1",
	    OPT_LEN_EXACT, 6, 4, 0, BU, true,
	    dec_v4hoa, enc_v4hoa, short_v4hoa, verb_v4hoa, json_v4hoa },
	[MHOPT_V4ACK] = { "v4ack", "IPv4 Address Acknowledgement",
	    "RFC 5555 §3.2.1", OPT_LEN_EXACT, 6, 4, 0, BA, true,
	    dec_v4ack, enc_v4ack, short_v4ack, verb_v4ack, json_v4ack },
	[MHOPT_NATD] = { "natd", "NAT Detection", "RFC 5555 §3.2.2",
	    OPT_LEN_EXACT, 6, 4, 0, BA, true,
	    dec_natd, enc_natd, short_natd, verb_natd, json_natd },
	[MHOPT_V4COA] = { "v4coa", "IPv4 Care-of Address", "RFC 5555 §3.1.2",
	    OPT_LEN_EXACT, 6, 4, 0, BU, true,
	    dec_v4coa, enc_v4coa, short_v4coa, verb_v4coa, json_v4coa },
	[MHOPT_BID] = { "bid", "Binding Identifier", "RFC 5648 §6.1",
	    OPT_LEN_MIN, 4, 8, 2,
	    BU | BA | MH_TBIT(MH_BRR) | MH_TBIT(MH_COTI) | MH_TBIT(MH_COT),
	    false, dec_bid, enc_bid, short_bid, verb_bid, json_bid },
};

#define OPT_TABLE_N	(sizeof(opt_table) / sizeof(opt_table[0]))

/* Options we keep as bytes: anywhere, no alignment we could check. */
static const struct mh_opt_info opt_unknown = {
	NULL, NULL, "RFC 6275 §6.2.1", OPT_LEN_MIN, 0, 1, 0, MH_TALL, false,
	OPAQUE
};

bool
mh_opt_known(uint8_t type)
{
	return type < OPT_TABLE_N && opt_table[type].name != NULL;
}

const struct mh_opt_info *
mh_opt_info(uint8_t type)
{
	return mh_opt_known(type) ? &opt_table[type] : &opt_unknown;
}

/*
 * IANA names of the option types we do not decode (wire-formats.md §2.2),
 * for printers and violation messages.
 */
static const char *const opt_iana_names[] = {
	[7] = "Mobility Header Link-Layer Address",
	[11] = "CGA Parameters Request", [12] = "CGA Parameters",
	[13] = "Signature", [14] = "Permanent Home Keygen Token",
	[15] = "Care-of Test Init", [16] = "Care-of Test",
	[17] = "DNS-UPDATE-TYPE", [18] = "Experimental Mobility Option",
	[19] = "Vendor Specific", [20] = "Service Selection",
	[21] = "Binding Authorization Data for FMIPv6",
	[22] = "Home Network Prefix", [23] = "Handoff Indicator",
	[24] = "Access Technology Type",
	[25] = "Mobile Node Link-layer Identifier",
	[26] = "Link-local Address", [27] = "Timestamp",
	[28] = "Restart Counter", [33] = "GRE Key",
	[34] = "MH IPv6 Address/Prefix", [36] = "IPv4 Home Address Request",
	[37] = "IPv4 Home Address Reply", [38] = "IPv4 Default-Router Address",
	[39] = "IPv4 DHCP Support Mode", [40] = "Context Request",
	[41] = "Local Mobility Anchor Address",
	[42] = "Mobile Node Link-local Address Interface Identifier",
	[43] = "Transient Binding", [44] = "Flow Summary",
	[45] = "Flow Identification", [46] = "Redirect-Capability",
	[47] = "Redirect", [48] = "Load Information",
	[49] = "Alternate IPv4 Care-of Address",
	[50] = "Mobile Node Group Identifier", [51] = "MAG IPv6 Address",
	[52] = "Access Network Identifier",
	[53] = "IPv4 Traffic Offload Selector",
	[54] = "Dynamic IP Multicast Selector",
	[55] = "Delegated Mobile Network Prefix",
};

#define IANA_N	(sizeof(opt_iana_names) / sizeof(opt_iana_names[0]))

/* "opt0" .. "opt255": the short-form token of an option we keep as bytes. */
#define OA(p, d)	"opt" #p #d
#define OA10(p)		OA(p, 0), OA(p, 1), OA(p, 2), OA(p, 3), OA(p, 4), \
			OA(p, 5), OA(p, 6), OA(p, 7), OA(p, 8), OA(p, 9)
static const char *const opt_generic_abbrev[256] = {
	OA10(), OA10(1), OA10(2), OA10(3), OA10(4), OA10(5), OA10(6),
	OA10(7), OA10(8), OA10(9), OA10(10), OA10(11), OA10(12), OA10(13),
	OA10(14), OA10(15), OA10(16), OA10(17), OA10(18), OA10(19),
	OA10(20), OA10(21), OA10(22), OA10(23), OA10(24),
	"opt250", "opt251", "opt252", "opt253", "opt254", "opt255"
};

const char *
mh_opt_name(uint8_t type)
{
	if (mh_opt_known(type))
		return opt_table[type].name;
	if (type < IANA_N && opt_iana_names[type] != NULL)
		return opt_iana_names[type];
	return opt_generic_abbrev[type];
}

const char *
mh_opt_abbrev(uint8_t type)
{
	return mh_opt_known(type) ? opt_table[type].abbrev :
	    opt_generic_abbrev[type];
}

/* ------------------------------------------------------------ decoder */

static bool
is_pad(uint8_t type)
{
	return type == MHOPT_PAD1 || type == MHOPT_PADN;
}

/* The per-message state of the option walk. */
struct walk {
	struct mh_msg		*msg;
	struct mh_opt_ctx	 ctx;
	uint64_t		 seen;		/* known types already met */
	bool			 bad_seen;	/* a BAD option was met */
	bool			 bad_not_last;	/* reported */
	size_t			 pad_start;	/* offset of the pad run */
	size_t			 pad_run;	/* padding bytes before */
};

/*
 * Where the option at `off` goes; once opts[] is full, a scratch slot (the
 * walk still checks the rest) and one V_TOO_MANY at the first one dropped.
 */
static struct mh_opt *
next_slot(struct walk *wk, size_t off, struct mh_opt *scratch)
{
	struct mh_msg *msg = wk->msg;

	if (msg->nopts < MH_OPT_MAX)
		return &msg->opts[msg->nopts++];
	if (!msg->opts_truncated) {
		msg->opts_truncated = true;
		viol_add(wk->ctx.vl, V_TOO_MANY, wk->ctx.base + off, MH_OPT_MAX,
		    0, 0, "mobility options");
	}
	return scratch;
}

/* The checks the row drives: placement, order, alignment, length, once. */
static void
check_opt(struct walk *wk, const struct mh_opt *o,
    const struct mh_opt_info *row)
{
	struct viol_list *vl = wk->ctx.vl;
	size_t at = wk->ctx.base + o->off;
	uint8_t mtype = wk->msg->type;

	if (is_pad(o->type))
		return;
	if (wk->bad_seen && !wk->bad_not_last) {
		/* RFC 6275 §6.2.7: BAD MUST be the last option. */
		wk->bad_not_last = true;
		viol_add(vl, V_MH_BAD_NOT_LAST, at, o->type, 0, 0, NULL);
	}
	if (!mh_opt_known(o->type))
		return;
	if (mtype < 8 && (row->allowed & MH_TBIT(mtype)) == 0)
		viol_add(vl, V_MH_OPT_NOT_ALLOWED, at, mtype, 0, 0, row->name);
	if (row->x > 1 && o->off % row->x != row->y)
		viol_add(vl, V_MH_OPT_MISALIGNED, at, o->off, row->x, row->y,
		    row->name);
	if ((row->lenrule == OPT_LEN_EXACT && o->len != row->len) ||
	    (row->lenrule == OPT_LEN_MIN && o->len < row->len))
		viol_add(vl, V_MH_OPT_LENGTH, at + 1, o->len, row->len, 0,
		    row->name);
	if (row->once && (wk->seen >> o->type & 1) != 0)
		viol_add(vl, V_MH_OPT_DUPLICATE, at, o->type, 0, 0, row->name);
	wk->seen |= (uint64_t)1 << o->type;
}

/*
 * Padding that alignment did not need (informative): a pad run as long as
 * the next option's alignment period x could have been dropped.
 */
static void
check_pad_run(struct walk *wk, const struct mh_opt_info *row, bool last)
{
	size_t limit = last ? 8 : row->x;

	if (wk->pad_run > 0 && limit > 1 && wk->pad_run >= limit)
		viol_add(wk->ctx.vl, V_MH_PAD_EXCESS,
		    wk->ctx.base + wk->pad_start, (uint32_t)wk->pad_run, 0, 0,
		    NULL);
	wk->pad_run = 0;
}

/* Decode one option of `size` bytes at the cursor; off is its offset. */
static void
decode_one(struct walk *wk, struct rbuf *m, size_t off, size_t size,
    struct mh_opt *o)
{
	const struct mh_opt_info *row;
	struct rbuf d = rbuf_sub(m, size);

	o->type = rbuf_u8(&d);
	o->len = size > 1 ? rbuf_u8(&d) : 0;
	o->keep_len = false;
	o->off = (uint16_t)off;
	o->var_len = 0;
	row = mh_opt_info(o->type);
	check_opt(wk, o, row);
	if (row->decode != NULL)
		row->decode(o, &d, &wk->ctx);
	if (o->type == MHOPT_BAD)
		wk->bad_seen = true;
	if (is_pad(o->type)) {
		if (wk->pad_run == 0)
			wk->pad_start = off;
		wk->pad_run += size;
	} else if (mh_opt_known(o->type))
		check_pad_run(wk, row, false);
	else
		wk->pad_run = 0;
}

void
mh_opts_decode(struct mh_msg *msg, struct rbuf *m, size_t off,
    size_t declared, size_t base, struct viol_list *vl)
{
	struct walk wk = { msg, { vl, base }, 0, false, false, 0, 0 };
	struct mh_opt scratch;

	while (rbuf_left(m) > 0) {
		bool ok;
		uint8_t type = rbuf_peek(m, 0, NULL);
		uint8_t len = rbuf_peek(m, 1, &ok);
		size_t size = type == MHOPT_PAD1 ? 1 : 2 + (size_t)len;

		if (type != MHOPT_PAD1 && (!ok || size > rbuf_left(m))) {
			/*
			 * RFC 6275 §6.2.1: an option must fit in the MH.  One
			 * that only runs past the captured bytes was cut by
			 * the capture, which the caller already reported.
			 */
			if (off + (ok ? size : 2) > declared)
				viol_add(vl, V_MH_OPT_PAST_END, base + off,
				    (uint32_t)off, len, 0, mh_opt_name(type));
			rbuf_skip(m, rbuf_left(m));
			return;
		}
		decode_one(&wk, m, off, size, next_slot(&wk, off, &scratch));
		off += size;
	}
	if (wk.pad_run > 0)
		check_pad_run(&wk, &opt_unknown, true);
}

/* ------------------------------------------------------------ encoder */

void
mh_write_pad(struct wbuf *w, size_t n)
{
	if (n == 0)
		return;
	if (n == 1) {
		wbuf_u8(w, MHOPT_PAD1);
		return;
	}
	wbuf_u8(w, MHOPT_PADN);
	wbuf_u8(w, (uint8_t)(n - 2));
	wbuf_zero(w, n - 2);
}

/* Octets to insert at `cur` so that the next Type octet is at x*n+y. */
static size_t
align_delta(size_t cur, unsigned x, unsigned y)
{
	if (x <= 1)
		return 0;
	return (y + x - cur % x) % x;
}

static void
encode_one(const struct mh_opt *o, struct wbuf *w)
{
	const struct mh_opt_info *row = mh_opt_info(o->type);
	size_t lenpos, clen;

	wbuf_u8(w, o->type);
	if (o->type == MHOPT_PAD1)
		return;
	lenpos = w->len;
	wbuf_u8(w, 0);
	if (row->encode != NULL)
		row->encode(o, w);
	clen = w->len - lenpos - 1;
	if (clen > 255)
		w->err = true;
	wbuf_set_u8(w, lenpos, o->keep_len ? o->len : (uint8_t)clen);
}

void
mh_opts_encode(const struct mh_msg *msg, struct wbuf *w, size_t start,
    unsigned keep)
{
	size_t i, n = msg->nopts < MH_OPT_MAX ? msg->nopts : MH_OPT_MAX;

	for (i = 0; i < n; i++) {
		const struct mh_opt *o = &msg->opts[i];

		if ((keep & MH_KEEP_PADDING) == 0) {
			const struct mh_opt_info *row = mh_opt_info(o->type);

			if (is_pad(o->type))
				continue;
			mh_write_pad(w, align_delta(w->len - start, row->x,
			    row->y));
		}
		encode_one(o, w);
	}
}
