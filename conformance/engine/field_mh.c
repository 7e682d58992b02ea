/*
 * field_mh.c - the Mobility Header field tables (see field.h): the common
 * header, the fixed fields of each message type, the flags, and the
 * mobility options, named as mh_print.c prints them:
 *
 *   BU seq=4660 A H K lifetime=400s hoa=... acoa=... mnp=2001:db8:1::/48
 *   BA status=0 K seq=4660 lifetime=400s rh2=... bra=200s
 *
 * Lifetimes and the BRA interval are written in seconds and must be
 * multiples of 4 (the wire counts units of 4 s, RFC 6275 §6.1.7).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "field_impl.h"
#include "packets/sbuf.h"
#include "util.h"

/* ----------------------------------------------------------- options */

static const struct mh_opt *
opt_nth(const struct mh_msg *msg, uint8_t type, unsigned nth)
{
	size_t i, n = msg->nopts < MH_OPT_MAX ? msg->nopts : MH_OPT_MAX;

	for (i = 0; i < n; i++)
		if (msg->opts[i].type == type && nth-- == 0)
			return &msg->opts[i];
	return NULL;
}

static uint8_t
opt_type(const struct fdef *d, const struct fctx *c)
{
	return d->arg != 0 ? (uint8_t)d->arg : (uint8_t)c->param;
}

static const struct mh_opt *
opt_get(const struct fdef *d, const struct fctx *c)
{
	return opt_nth(&c->p->mh, opt_type(d, c), c->nth);
}

static struct mh_opt *
opt_new(const struct fdef *d, struct fctx *c)
{
	return mh_add_opt(&c->p->mh, opt_type(d, c));
}

#define OPT_FULL	"too many mobility options"

static bool
get_acoa(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const struct mh_opt *o = opt_get(d, c);

	if (o == NULL)
		return false;
	v->type = FV_IN6;
	v->a6 = o->u.acoa;
	return true;
}

static const char *
set_acoa(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	struct mh_opt *o = opt_new(d, c);

	if (o == NULL)
		return OPT_FULL;
	o->u.acoa = v->a6;
	return NULL;
}

static bool
get_v4coa(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const struct mh_opt *o = opt_get(d, c);

	if (o == NULL)
		return false;
	v->type = FV_IN4;
	v->a4 = o->u.v4coa.addr;
	return true;
}

static const char *
set_v4coa(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	struct mh_opt *o = opt_new(d, c);

	if (o == NULL)
		return OPT_FULL;
	o->u.v4coa.addr = v->a4;
	return NULL;
}

/*
 * Parts of the DSMIPv6 options a pattern may judge alone (RFC 5555
 * §3.2.1, §3.2.2): v4ack-status, v4ack-addr, natd-refresh (v4ack-plen
 * and natd-F below).  A failure's
 * address field is the HA's to fill, so a case judges the status alone;
 * the whole option is still built with v4ack= / natd=.
 */
static bool
get_dsmip_part(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const struct mh_opt *o = opt_get(d, c);

	if (o == NULL)
		return false;
	v->type = d->type;
	if (d->type == FV_IN4)
		v->a4 = o->u.v4ack.addr;
	else
		v->u = d->arg == MHOPT_NATD ? o->u.natd.refresh :
		    o->u.v4ack.status;
	return true;
}

/*
 * natd-F, a flag in patterns only: absent when the BA has no NAT
 * Detection option, so `!natd-F` reads "no option, or one with F
 * clear" (RFC 5555 §3.2.2: the HA SHOULD NOT set F for an IPv6 care-of
 * address).
 */
static bool
get_natd_f(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const struct mh_opt *o = opt_get(d, c);

	if (o == NULL)
		return false;
	v->type = FV_BOOL;
	v->u = o->u.natd.f;
	return true;
}

/*
 * v4ack-plen, in patterns only: the Pref-len of the IPv4 Address
 * Acknowledgement, which RFC 5555 §3.2.1 makes zero on failure - judged
 * without the address, the HA's to fill then.  Its own getter: it
 * shares v4ack-status's type.
 */
static bool
get_v4ack_plen(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const struct mh_opt *o = opt_get(d, c);

	if (o == NULL)
		return false;
	v->type = FV_UINT;
	v->u = o->u.v4ack.plen;
	return true;
}

static const char *
set_pattern_only(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	(void)d;
	(void)c;
	(void)v;
	return "only patterns judge part of an option: build it whole "
	    "(v4ack=STATUS,ADDR/LEN, natd=[F,]SECONDSs)";
}

/* bra=<s>s: the interval in seconds, a multiple of 4 (RFC 6275 §6.2.4). */
static bool
get_bra(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const struct mh_opt *o = opt_get(d, c);

	if (o == NULL)
		return false;
	v->type = FV_UINT;
	v->u = 4u * o->u.bra_interval;
	return true;
}

static const char *
set_bra(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	struct mh_opt *o;

	if (v->u % 4 != 0 || v->u > 4u * 0xffff)
		return "bra must be a multiple of 4 s up to 262140s";
	if ((o = opt_new(d, c)) == NULL)
		return OPT_FULL;
	o->u.bra_interval = (uint16_t)(v->u / 4);
	return NULL;
}

/* Options whose data is kept as bytes: bad=, optN=. */
static bool
get_var(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const struct mh_opt *o = opt_get(d, c);

	if (o == NULL)
		return false;
	v->type = FV_BYTES;
	v->nbytes = o->var_len;
	memcpy(v->bytes, o->var, o->var_len);
	return true;
}

static const char *
set_var(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	struct mh_opt *o;

	if (v->nbytes > sizeof(o->var))
		return "option data longer than 255 bytes";
	if ((o = opt_new(d, c)) == NULL)
		return OPT_FULL;
	o->var_len = (uint8_t)v->nbytes;
	memcpy(o->var, v->bytes, v->nbytes);
	return NULL;
}

/*
 * Options compared in a canonical text form: the value is parsed into a
 * scratch option by the option's `fill` function and printed back by its
 * `show` function, as mh_print.c prints it.
 */
struct optstr {
	const char	*name;
	uint8_t		 type;
	bool		(*fill)(struct mh_opt *, const char *);
	void		(*show)(const struct mh_opt *, char *, size_t);
	const char	*syntax;
};

static void
show_res(char *buf, size_t cap, unsigned res, int digits)
{
	size_t n = strlen(buf);

	if (res != 0 && n < cap)
		snprintf(buf + n, cap - n, ",res=0x%0*x", digits, res);
}

/* Split "x,res=0x1f": returns the reserved value (0 if none), cuts s. */
static bool
cut_res(char *s, unsigned *res)
{
	char *r = strstr(s, ",res=");
	uint64_t v;

	*res = 0;
	if (r == NULL)
		return true;
	*r = '\0';
	if (!parse_u64(r + 5, &v) || v > 0xffff)
		return false;
	*res = (unsigned)v;
	return true;
}

static bool
fill_ni(struct mh_opt *o, const char *s)
{
	unsigned h, c;
	char tail;

	if (sscanf(s, "%u/%u%c", &h, &c, &tail) != 2 || h > 0xffff ||
	    c > 0xffff || !isdigit((unsigned char)s[0]))
		return false;
	o->u.ni.home = (uint16_t)h;
	o->u.ni.careof = (uint16_t)c;
	return true;
}

static void
show_ni(const struct mh_opt *o, char *buf, size_t cap)
{
	snprintf(buf, cap, "%u/%u", o->u.ni.home, o->u.ni.careof);
}

static bool
fill_mnp(struct mh_opt *o, const char *s)
{
	char b[FV_STR_MAX];
	unsigned plen, res;

	str_copy(b, s, sizeof(b));
	if (!cut_res(b, &res) || res > 0xff ||
	    !parse_in6_prefix(b, &o->u.mnp.prefix, &plen))
		return false;
	o->u.mnp.plen = (uint8_t)plen;
	o->u.mnp.reserved = (uint8_t)res;
	return true;
}

static void
show_mnp(const struct mh_opt *o, char *buf, size_t cap)
{
	fmt_in6_prefix(buf, cap, &o->u.mnp.prefix, o->u.mnp.plen);
	show_res(buf, cap, o->u.mnp.reserved, 2);
}

static bool
fill_v4hoa(struct mh_opt *o, const char *s)
{
	char b[FV_STR_MAX], *slash, *comma;
	uint64_t plen;
	unsigned res;

	str_copy(b, s, sizeof(b));
	if (!cut_res(b, &res) || res > 0x1ff || (slash = strchr(b, '/')) ==
	    NULL)
		return false;
	*slash++ = '\0';
	o->u.v4hoa.p = false;
	if ((comma = strchr(slash, ',')) != NULL) {
		if (strcmp(comma, ",P") != 0)
			return false;
		*comma = '\0';
		o->u.v4hoa.p = true;
	}
	if (inet_pton(AF_INET, b, &o->u.v4hoa.addr) != 1 ||
	    !parse_u64(slash, &plen) || plen > 32)
		return false;
	o->u.v4hoa.plen = (uint8_t)plen;
	o->u.v4hoa.reserved = (uint16_t)res;
	return true;
}

static void
show_v4hoa(const struct mh_opt *o, char *buf, size_t cap)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &o->u.v4hoa.addr, a, sizeof(a));
	snprintf(buf, cap, "%s/%u%s", a, o->u.v4hoa.plen,
	    o->u.v4hoa.p ? ",P" : "");
	show_res(buf, cap, o->u.v4hoa.reserved, 4);
}

static bool
fill_v4ack(struct mh_opt *o, const char *s)
{
	char b[FV_STR_MAX], *comma, *slash;
	uint64_t st, plen;
	unsigned res;

	str_copy(b, s, sizeof(b));
	if (!cut_res(b, &res) || res > 3 || (comma = strchr(b, ',')) ==
	    NULL)
		return false;
	*comma++ = '\0';
	if ((slash = strchr(comma, '/')) == NULL)
		return false;
	*slash++ = '\0';
	if (!parse_u64(b, &st) || st > 255 ||
	    inet_pton(AF_INET, comma, &o->u.v4ack.addr) != 1 ||
	    !parse_u64(slash, &plen) || plen > 32)
		return false;
	o->u.v4ack.status = (uint8_t)st;
	o->u.v4ack.plen = (uint8_t)plen;
	o->u.v4ack.reserved = (uint8_t)res;
	return true;
}

static void
show_v4ack(const struct mh_opt *o, char *buf, size_t cap)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &o->u.v4ack.addr, a, sizeof(a));
	snprintf(buf, cap, "%u,%s/%u", o->u.v4ack.status, a, o->u.v4ack.plen);
	show_res(buf, cap, o->u.v4ack.reserved, 1);
}

static bool
fill_natd(struct mh_opt *o, const char *s)
{
	char b[FV_STR_MAX], *num = b;
	size_t n;
	uint64_t r;
	unsigned res;

	str_copy(b, s, sizeof(b));
	if (!cut_res(b, &res) || res > 0x7fff)
		return false;
	o->u.natd.f = strncmp(b, "F,", 2) == 0;
	if (o->u.natd.f)
		num += 2;
	n = strlen(num);
	if (n > 0 && num[n - 1] == 's')
		num[n - 1] = '\0';
	if (!parse_u64(num, &r) || r > UINT32_MAX)
		return false;
	o->u.natd.refresh = (uint32_t)r;
	o->u.natd.reserved = (uint16_t)res;
	return true;
}

static void
show_natd(const struct mh_opt *o, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%lus", o->u.natd.f ? "F," : "",
	    (unsigned long)o->u.natd.refresh);
	show_res(buf, cap, o->u.natd.reserved, 4);
}

/* mnid=nai:<id> or <subtype>:<id>; \xNN escapes (mh_put_escaped). */
static bool
fill_mnid(struct mh_opt *o, const char *s)
{
	const char *colon = strchr(s, ':');
	uint64_t st;
	char num[8];
	size_t n = 0;

	if (colon == NULL || (size_t)(colon - s) >= sizeof(num))
		return false;
	memcpy(num, s, (size_t)(colon - s));
	num[colon - s] = '\0';
	if (strcmp(num, "nai") == 0)
		st = MHOPT_MNID_NAI;
	else if (!parse_u64(num, &st) || st > 255)
		return false;
	o->u.mnid.subtype = (uint8_t)st;
	for (s = colon + 1; *s != '\0' && n < sizeof(o->var); n++) {
		unsigned x;

		if (s[0] == '\\' && s[1] == 'x' && sscanf(s + 2, "%2x", &x) ==
		    1 && isxdigit((unsigned char)s[3])) {
			o->var[n] = (uint8_t)x;
			s += 4;
		} else
			o->var[n] = (uint8_t)*s++;
	}
	if (*s != '\0')
		return false;
	o->var_len = (uint8_t)n;
	return true;
}

static void
show_mnid(const struct mh_opt *o, char *buf, size_t cap)
{
	size_t i, k;
	int w;

	w = o->u.mnid.subtype == MHOPT_MNID_NAI ? snprintf(buf, cap, "nai:") :
	    snprintf(buf, cap, "%u:", o->u.mnid.subtype);
	k = w > 0 ? (size_t)w : 0;
	for (i = 0; i < o->var_len && k + 5 < cap; i++) {
		uint8_t ch = o->var[i];

		if (ch < 0x21 || ch > 0x7e || ch == '\\')
			k += (size_t)snprintf(buf + k, cap - k, "\\x%02x", ch);
		else
			buf[k++] = (char)ch;
	}
	if (k < cap)
		buf[k] = '\0';
}

static bool
fill_mesgid(struct mh_opt *o, const char *s)
{
	uint64_t v;

	if (!parse_u64(s, &v))
		return false;
	o->u.mesg_id = v;
	return true;
}

static void
show_mesgid(const struct mh_opt *o, char *buf, size_t cap)
{
	snprintf(buf, cap, "0x%016llx", (unsigned long long)o->u.mesg_id);
}

static const struct optstr optstrs[] = {
	{ "ni", MHOPT_NI, fill_ni, show_ni, "HOME/CAREOF" },
	{ "mnp", MHOPT_MNP, fill_mnp, show_mnp, "PREFIX/LEN" },
	{ "mnid", MHOPT_MNID, fill_mnid, show_mnid, "nai:ID" },
	{ "mesg-id", MHOPT_MESGID, fill_mesgid, show_mesgid, "0xHEX" },
	{ "v4hoa", MHOPT_V4HOA, fill_v4hoa, show_v4hoa, "ADDR/LEN[,P]" },
	{ "v4ack", MHOPT_V4ACK, fill_v4ack, show_v4ack, "STATUS,ADDR/LEN" },
	{ "natd", MHOPT_NATD, fill_natd, show_natd, "[F,]SECONDSs" },
};

static const struct optstr *
optstr_of(const struct fdef *d)
{
	size_t i;

	for (i = 0; i < NELEM(optstrs); i++)
		if (optstrs[i].type == d->arg)
			return &optstrs[i];
	return NULL;
}

static bool
get_str(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const struct mh_opt *o = opt_get(d, c);

	if (o == NULL)
		return false;
	v->type = FV_STR;
	optstr_of(d)->show(o, v->str, sizeof(v->str));
	return true;
}

static const char *
set_str(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	struct mh_opt *o = opt_new(d, c);

	if (o == NULL)
		return OPT_FULL;
	if (!optstr_of(d)->fill(o, v->str))
		return "bad option value";
	return NULL;
}

static bool
parse_str(const struct fdef *d, const char *s, struct fval *v, char *err,
    size_t cap)
{
	const struct optstr *os = optstr_of(d);
	struct mh_opt o;

	memset(&o, 0, sizeof(o));
	o.type = os->type;
	if (!os->fill(&o, s)) {
		snprintf(err, cap, "%s=%s: want %s=%s", d->name, s, d->name,
		    os->syntax);
		return false;
	}
	v->type = FV_STR;
	os->show(&o, v->str, sizeof(v->str));
	return true;
}

/* pad1=N: N Pad1 options where they stand (with pad=none). */
static bool
get_pad1(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const struct mh_msg *m = &c->p->mh;
	size_t i, n = m->nopts < MH_OPT_MAX ? m->nopts : MH_OPT_MAX;

	(void)d;
	v->type = FV_UINT;
	v->u = 0;
	for (i = 0; i < n; i++)
		v->u += m->opts[i].type == MHOPT_PAD1;
	return v->u > 0;
}

static const char *
set_pad1(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	uint64_t i;

	for (i = 0; i < v->u; i++)
		if (opt_new(d, c) == NULL)
			return OPT_FULL;
	return NULL;
}

#define OPT_ROW(nm, t, ty, g, s, u, dc) { .name = nm, .kind = FK_OPT, \
	.type = ty, .unit = u, .arg = t, .get = g, .set = s, .doc = dc }
#define OPT_STR(nm, t, dc) { .name = nm, .kind = FK_OPT, .type = FV_STR, \
	.arg = t, .get = get_str, .set = set_str, .parse = parse_str, \
	.doc = dc }

/* Options of message types 0-7 (RFC 6275 §6.2, RFC 3963, RFC 5555). */
static const struct fdef opt_f[] = {
	OPT_ROW("acoa", MHOPT_ACOA, FV_IN6, get_acoa, set_acoa, NULL,
	    "Alternate Care-of Address option"),
	{ .name = "bra", .kind = FK_OPT, .type = FV_UINT, .unit = "s",
	  .arg = MHOPT_BRA, .max = 4u * 0xffff, .get = get_bra, .set = set_bra,
	  .doc = "Binding Refresh Advice interval (seconds)" },
	OPT_ROW("bad", MHOPT_BAD, FV_BYTES, get_var, set_var, NULL,
	    "Binding Authorization Data authenticator (hex)"),
	OPT_STR("ni", MHOPT_NI, "Nonce Indices HOME/CAREOF"),
	OPT_STR("mnp", MHOPT_MNP, "Mobile Network Prefix (NEMO)"),
	OPT_STR("mnid", MHOPT_MNID, "Mobile Node Identifier nai:ID"),
	OPT_STR("mesg-id", MHOPT_MESGID, "Replay Protection timestamp"),
	OPT_STR("v4hoa", MHOPT_V4HOA, "IPv4 Home Address ADDR/LEN[,P]"),
	OPT_STR("v4ack", MHOPT_V4ACK, "IPv4 Address Acknowledgement"),
	OPT_STR("natd", MHOPT_NATD, "NAT Detection [F,]REFRESHs"),
	OPT_ROW("v4coa", MHOPT_V4COA, FV_IN4, get_v4coa, set_v4coa, NULL,
	    "IPv4 Care-of Address option"),
	{ .name = "v4ack-status", .kind = FK_OPT, .type = FV_UINT,
	  .arg = MHOPT_V4ACK, .max = 0xff, .get = get_dsmip_part,
	  .set = set_pattern_only,
	  .doc = "IPv4 Address Acknowledgement status (patterns)" },
	{ .name = "v4ack-plen", .kind = FK_OPT, .type = FV_UINT,
	  .arg = MHOPT_V4ACK, .max = 32, .get = get_v4ack_plen,
	  .set = set_pattern_only,
	  .doc = "IPv4 Address Acknowledgement Pref-len (patterns)" },
	OPT_ROW("v4ack-addr", MHOPT_V4ACK, FV_IN4, get_dsmip_part,
	    set_pattern_only, NULL, "IPv4 Address Acknowledgement home "
	    "address (patterns)"),
	{ .name = "natd-refresh", .kind = FK_OPT, .type = FV_UINT, .unit = "s",
	  .arg = MHOPT_NATD, .max = 0xffffffffu, .get = get_dsmip_part,
	  .set = set_pattern_only,
	  .doc = "NAT Detection Refresh Time, seconds (patterns)" },
	{ .name = "natd-F", .kind = FK_FLAG, .type = FV_BOOL,
	  .arg = MHOPT_NATD, .get = get_natd_f, .set = set_pattern_only,
	  .doc = "NAT Detection F flag; !natd-F: no option or F clear "
	  "(patterns)" },
	{ .name = "pad1", .kind = FK_OPT, .type = FV_UINT, .arg = MHOPT_PAD1,
	  .size = 1, .get = get_pad1, .set = set_pad1,
	  .doc = "pad1=N: N Pad1 options here (with pad=none)" },
	OPT_ROW("padn", MHOPT_PADN, FV_BYTES, get_var, set_var, NULL,
	    "padn=HEX: a PadN option with these data octets (with pad=none)"),
};

static const struct fdef opt_generic = OPT_ROW("opt", 0, FV_BYTES, get_var,
    set_var, NULL, "optN=HEX: an option of type N kept as bytes");

const struct fdef *
mh_generic_opt(void)
{
	return &opt_generic;
}

bool
field_optlen_get(const struct fdef *d, const struct fctx *c, uint64_t *len)
{
	const struct mh_opt *o;

	if (d->kind != FK_OPT || d->base != FB_HDR || c->p->h[c->hi].kind !=
	    HDR_MH || (o = opt_get(d, c)) == NULL)
		return false;
	*len = o->len;
	return true;
}

const char *
field_optlen_set(const struct fdef *d, struct fctx *c, uint64_t len)
{
	struct mh_msg *m = &c->p->mh;
	uint8_t type = opt_type(d, c);
	size_t i;

	if (len > 255)
		return "an option Length is one octet";
	for (i = m->nopts < MH_OPT_MAX ? m->nopts : MH_OPT_MAX; i-- > 0;)
		if (m->opts[i].type == type) {
			m->opts[i].len = (uint8_t)len;
			m->opts[i].keep_len = true;
			return NULL;
		}
	return "no such option before its .len";
}

/* ------------------------------------------------------- common fields */

/* pad=none: emit the options exactly as listed (MH_KEEP_PADDING). */
static bool
parse_pad(const struct fdef *d, const char *s, struct fval *v, char *err,
    size_t cap)
{
	if (strcmp(s, "none") == 0 || strcmp(s, "auto") == 0) {
		v->type = FV_STR;
		str_copy(v->str, s, sizeof(v->str));
		return true;
	}
	snprintf(err, cap, "%s=%s: want pad=none or pad=auto", d->name, s);
	return false;
}

static const char *
set_pad(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	(void)d;
	if (strcmp(v->str, "none") == 0)
		c->p->mh_keep |= MH_KEEP_PADDING;
	else
		c->p->mh_keep &= ~(unsigned)MH_KEEP_PADDING;
	return NULL;
}

static const struct fdef common_f[] = {
	F_NUM("proto", FB_MH, struct mh_msg, payload_proto, NULL, 1, 0,
	    "Payload Proto (59)"),
	F_NUM("hdrlen", FB_MH, struct mh_msg, hdr_len, NULL, 1, MH_KEEP_HDRLEN,
	    "Header Len (computed unless given)"),
	F_NUM("mhres", FB_MH, struct mh_msg, reserved, NULL, 1, 0,
	    "the Reserved octet of the common header"),
	F_HEX("checksum", FB_MH, struct mh_msg, checksum, MH_KEEP_CKSUM,
	    "checksum (computed unless given)"),
	{ .name = "pad", .kind = FK_CTL, .type = FV_STR, .set = set_pad,
	  .parse = parse_pad, .doc = "pad=none: no automatic padding; the "
	  "options go on the wire exactly as listed" },
	{ .name = "rh2", .kind = FK_EXT, .type = FV_IN6, .get = fget_rh2,
	  .doc = "home address in a Type 2 Routing header" },
};

/* Every type but BE: hoa= is the Home Address option (mh_print.c). */
static const struct fdef hoa_f[] = {
	{ .name = "hoa", .kind = FK_EXT, .type = FV_IN6, .get = fget_hao,
	  .doc = "home address in a Home Address option" },
};

/*
 * tokens=HOME[/CAREOF]: the home and care-of keygen tokens (8 octets hex
 * each; the home token alone for a de-registration) whose Kbm signs the
 * Binding Authorization Data option (RFC 6275 §5.2.5).  The template code
 * (tmpl.c) signs sent packets and verifies received ones; here only the
 * syntax, kept canonical ("0011..77/8899..ff").
 */
static bool
parse_tokens(const struct fdef *d, const char *s, struct fval *v, char *err,
    size_t cap)
{
	uint8_t tok[2][8];
	const char *slash = strchr(s, '/');
	char part[2][FV_STR_MAX];
	size_t n, i, nt = slash != NULL ? 2 : 1;

	if (strlen(s) >= FV_STR_MAX)
		goto bad;
	str_copy(part[0], s, sizeof(part[0]));
	if (slash != NULL) {
		part[0][slash - s] = '\0';
		str_copy(part[1], slash + 1, sizeof(part[1]));
	}
	for (i = 0; i < nt; i++)
		if (!parse_hex_bytes(part[i], tok[i], sizeof(tok[i]), &n) ||
		    n != sizeof(tok[i]))
			goto bad;
	v->type = FV_STR;
	v->str[0] = '\0';
	for (i = 0; i < nt; i++) {
		size_t k = strlen(v->str), j;

		if (i > 0)
			v->str[k++] = '/';
		for (j = 0; j < 8; j++, k += 2)
			snprintf(v->str + k, sizeof(v->str) - k, "%02x",
			    tok[i][j]);
	}
	return true;
bad:
	snprintf(err, cap, "%s=%s: want %s=HOME/CAREOF (two 8-octet keygen "
	    "tokens in hex), or HOME alone for a de-registration", d->name, s,
	    d->name);
	return false;
}

#define TOKENS_ROW { .name = "tokens", .kind = FK_SIGN, .type = FV_STR, \
	.parse = parse_tokens, .doc = "tokens=HOME[/CAREOF]: Binding " \
	"Authorization Data signed (sent) or verified (patterns) with the " \
	"Kbm of these keygen tokens" }

/* ------------------------------------------------------ per-type fields */

#define BU_RES	0x000f	/* bits no RFC defines (mh_print.c) */
#define BA_RES	0x01

static const struct fdef bu_f[] = {
	F_NUM("seq", FB_MH, struct mh_msg, u.bu.seq, NULL, 1, 0, "Sequence #"),
	F_NUM("lifetime", FB_MH, struct mh_msg, u.bu.lifetime, "s", 4, 0,
	    "Lifetime in seconds (a multiple of 4)"),
	F_FLAG("A", FB_MH, struct mh_msg, u.bu.flags, MH_BU_A, "Acknowledge"),
	F_FLAG("H", FB_MH, struct mh_msg, u.bu.flags, MH_BU_H, "Home Registration"),
	F_FLAG("L", FB_MH, struct mh_msg, u.bu.flags, MH_BU_L,
	    "Link-Local Address Compatibility"),
	F_FLAG("K", FB_MH, struct mh_msg, u.bu.flags, MH_BU_K,
	    "Key Management Mobility Capability"),
	F_FLAG("M", FB_MH, struct mh_msg, u.bu.flags, MH_BU_M, "MAP Registration"),
	F_FLAG("R", FB_MH, struct mh_msg, u.bu.flags, MH_BU_R, "Mobile Router (NEMO)"),
	F_FLAG("P", FB_MH, struct mh_msg, u.bu.flags, MH_BU_P, "Proxy Registration"),
	F_FLAG("F", FB_MH, struct mh_msg, u.bu.flags, MH_BU_F,
	    "Force UDP encapsulation (DSMIPv6)"),
	F_FLAG("T", FB_MH, struct mh_msg, u.bu.flags, MH_BU_T, "TLV-header format"),
	F_FLAG("B", FB_MH, struct mh_msg, u.bu.flags, MH_BU_B, "Bulk binding update"),
	F_FLAG("S", FB_MH, struct mh_msg, u.bu.flags, MH_BU_S, "Subscription"),
	F_FLAG("D", FB_MH, struct mh_msg, u.bu.flags, MH_BU_D, "DMM"),
	F_RES("res", FB_MH, struct mh_msg, u.bu.flags, BU_RES, "reserved flag bits"),
	TOKENS_ROW,
};

static const struct fdef ba_f[] = {
	F_NUM("status", FB_MH, struct mh_msg, u.ba.status, NULL, 1, 0, "Status"),
	F_FLAG("K", FB_MH, struct mh_msg, u.ba.flags, MH_BA_K,
	    "Key Management Mobility Capability"),
	F_FLAG("R", FB_MH, struct mh_msg, u.ba.flags, MH_BA_R, "Mobile Router (NEMO)"),
	F_FLAG("P", FB_MH, struct mh_msg, u.ba.flags, MH_BA_P, "Proxy Registration"),
	F_FLAG("T", FB_MH, struct mh_msg, u.ba.flags, MH_BA_T, "TLV-header format"),
	F_FLAG("B", FB_MH, struct mh_msg, u.ba.flags, MH_BA_B, "Bulk binding update"),
	F_FLAG("S", FB_MH, struct mh_msg, u.ba.flags, MH_BA_S, "Subscription"),
	F_FLAG("D", FB_MH, struct mh_msg, u.ba.flags, MH_BA_D, "DMM"),
	F_RES("res", FB_MH, struct mh_msg, u.ba.flags, BA_RES, "reserved flag bits"),
	F_NUM("seq", FB_MH, struct mh_msg, u.ba.seq, NULL, 1, 0, "Sequence #"),
	F_NUM("lifetime", FB_MH, struct mh_msg, u.ba.lifetime, "s", 4, 0,
	    "Lifetime in seconds (a multiple of 4)"),
	TOKENS_ROW,
};

static const struct fdef be_f[] = {
	F_NUM("status", FB_MH, struct mh_msg, u.be.status, NULL, 1, 0, "Status"),
	F_RAW("hoa", FV_IN6, FB_MH, struct mh_msg, u.be.hoa,
	    "the Binding Error's Home Address field"),
	{ .name = "hao", .kind = FK_EXT, .type = FV_IN6, .get = fget_hao,
	  .doc = "home address in a Home Address option" },
};

static const struct fdef init_f[] = {
	F_RAW("cookie", FV_BYTES, FB_MH, struct mh_msg, u.init.cookie,
	    "Init Cookie (8 bytes hex)"),
};

static const struct fdef test_f[] = {
	F_NUM("nonce", FB_MH, struct mh_msg, u.test.nonce_index, NULL, 1, 0,
	    "Nonce Index"),
	F_RAW("cookie", FV_BYTES, FB_MH, struct mh_msg, u.test.cookie,
	    "Init Cookie (8 bytes hex)"),
	F_RAW("token", FV_BYTES, FB_MH, struct mh_msg, u.test.token,
	    "Keygen Token (8 bytes hex)"),
};

/* Types 8 and up: the data after the checksum, as bytes. */
static bool
get_body(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	(void)d;
	return fval_from_bytes(v, c->p->mh.body, c->p->mh.body_len);
}

static const char *
set_body(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	(void)d;
	fval_to_bytes(v, c->p->mh.body, &c->p->mh.body_len,
	    sizeof(c->p->mh.body));
	return NULL;
}

static const struct fdef other_f[] = {
	{ .name = "data", .kind = FK_FIELD, .type = FV_BYTES, .get = get_body,
	  .set = set_body, .doc = "message data after the checksum (hex)" },
};

#define TAB(t)	{ t, NELEM(t) }

size_t
mh_tables(int type, const struct field_tab **out, size_t cap)
{
	static const struct field_tab common = TAB(common_f),
	    hoa = TAB(hoa_f), opts = TAB(opt_f), bu = TAB(bu_f),
	    ba = TAB(ba_f), be = TAB(be_f), init = TAB(init_f),
	    test = TAB(test_f), other = TAB(other_f);
	const struct field_tab *t[4];
	size_t n = 0, i;

	t[n++] = &common;
	switch (type) {
	case MH_BU:
		t[n++] = &bu;
		break;
	case MH_BA:
		t[n++] = &ba;
		break;
	case MH_BE:
		t[n++] = &be;
		break;
	case MH_HOTI:
	case MH_COTI:
		t[n++] = &init;
		break;
	case MH_HOT:
	case MH_COT:
		t[n++] = &test;
		break;
	case MH_BRR:
	case MSGTYPE_ANY:
		break;
	default:
		t[n++] = &other;
	}
	if (type != MH_BE)
		t[n++] = &hoa;
	if (type == MSGTYPE_ANY || (type >= 0 && type <= MH_BE))
		t[n++] = &opts;
	for (i = 0; i < n && i < cap; i++)
		out[i] = t[i];
	return i;
}

int
mh_msgtype_parse(const char *word)
{
	int t;

	for (t = 0; t < 256; t++)
		if (strcmp(mh_type_abbrev((uint8_t)t), word) == 0)
			return t;
	return -1;
}

const char *
mh_msgtype_name(int type)
{
	return type >= 0 && type < 256 ? mh_type_abbrev((uint8_t)type) : "?";
}
