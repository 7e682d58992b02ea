/*
 * field_icmp6.c - the ICMPv6 field tables (see field.h), named as
 * icmp6_print.c prints them:
 *
 *   param-problem code=1 ptr=6        echo-request id=1 seq=2
 *   DHAAD-Reply id=7 R ha=2001:db8:1::1,2001:db8:1::2
 *   MPA id=3 M O prefix=2001:db8:1::/64,L,A,valid=86400,pref=14400
 *   RA hlim=64 H lifetime=1800 hainfo=pref=10,life=1800,R advint=1000ms
 *   NA R S O tgt=2001:db8:1::1 tlla=02:00:00:00:00:01
 *
 * The message type token comes first; a type without a token is written
 * as its number ("icmp6 200 code=0").
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field_impl.h"
#include "packets/sbuf.h"
#include "util.h"

static const struct icmp6_tok toks[] = {
	{ "dest-unreach", ICMP6_T_DST_UNREACH },
	{ "packet-too-big", ICMP6_T_PKT_TOO_BIG },
	{ "time-exceeded", ICMP6_T_TIME_EXCEEDED },
	{ "param-problem", ICMP6_T_PARAM_PROB },
	{ "echo-request", ICMP6_T_ECHO_REQUEST },
	{ "echo-reply", ICMP6_T_ECHO_REPLY },
	{ "mld-query", 130 },
	{ "mld-report", 131 },
	{ "mld-done", 132 },
	{ "RS", ICMP6_T_RS },
	{ "RA", ICMP6_T_RA },
	{ "NS", ICMP6_T_NS },
	{ "NA", ICMP6_T_NA },
	{ "redirect", ICMP6_T_REDIRECT },
	{ "mldv2-report", 143 },
	{ "DHAAD-Request", ICMP6_T_DHAAD_REQUEST },
	{ "DHAAD-Reply", ICMP6_T_DHAAD_REPLY },
	{ "MPS", ICMP6_T_MPS },
	{ "MPA", ICMP6_T_MPA },
	{ NULL, 0 }
};

const struct icmp6_tok *
icmp6_tokens(void)
{
	return toks;
}

int
icmp6_msgtype_parse(const char *word)
{
	const struct icmp6_tok *t;
	uint64_t n;

	for (t = toks; t->tok != NULL; t++)
		if (strcmp(t->tok, word) == 0)
			return t->type;
	if (parse_u64(word, &n) && n < 256)
		return (int)n;
	return -1;
}

const char *
icmp6_msgtype_name(int type)
{
	static char num[8];
	const struct icmp6_tok *t;

	for (t = toks; t->tok != NULL; t++)
		if (t->type == type)
			return t->tok;
	snprintf(num, sizeof(num), "%d", type);
	return num;
}

/* ------------------------------------------------------- ND options */

static const struct nd_opt *
nd_nth(const struct icmp6_msg *m, uint8_t type, unsigned nth)
{
	size_t i, n = m->nopts < ND_OPT_MAX ? m->nopts : ND_OPT_MAX;

	for (i = 0; i < n; i++)
		if (m->opts[i].type == type && m->opts[i].raw_len == 0 &&
		    nth-- == 0)
			return &m->opts[i];
	return NULL;
}

static const struct nd_opt *
nd_get(const struct fdef *d, const struct fctx *c)
{
	return nd_nth(&c->p->icmp6, (uint8_t)d->arg, c->nth);
}

static struct nd_opt *
nd_new(const struct fdef *d, struct fctx *c)
{
	return icmp6_add_opt(&c->p->icmp6, (uint8_t)d->arg);
}

#define ND_FULL	"too many ND options"

static bool
get_lladdr(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const struct nd_opt *o = nd_get(d, c);

	if (o == NULL)
		return false;
	v->type = FV_MAC;
	memcpy(v->mac, o->u.lladdr, sizeof(v->mac));
	return true;
}

static const char *
set_lladdr(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	struct nd_opt *o = nd_new(d, c);

	if (o == NULL)
		return ND_FULL;
	memcpy(o->u.lladdr, v->mac, sizeof(o->u.lladdr));
	return NULL;
}

static bool
get_ndnum(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const struct nd_opt *o = nd_get(d, c);

	if (o == NULL)
		return false;
	v->type = FV_UINT;
	v->u = d->arg == NDOPT_MTU ? o->u.mtu : o->u.adv_interval;
	return true;
}

static const char *
set_ndnum(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	struct nd_opt *o;

	if (v->u > UINT32_MAX)
		return "value larger than 32 bits";
	if ((o = nd_new(d, c)) == NULL)
		return ND_FULL;
	if (d->arg == NDOPT_MTU)
		o->u.mtu = (uint32_t)v->u;
	else
		o->u.adv_interval = (uint32_t)v->u;
	return NULL;
}

/* prefix=P/L[,L][,A][,R],valid=N,pref=N */
static bool
fill_prefix(struct nd_opt *o, const char *s)
{
	char b[FV_STR_MAX], *tok, *save = NULL;
	unsigned plen;
	uint64_t n;
	bool first = true;

	str_copy(b, s, sizeof(b));
	for (tok = strtok_r(b, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save), first = false) {
		if (first) {
			if (!parse_in6_prefix(tok, &o->u.prefix.prefix, &plen))
				return false;
			o->u.prefix.plen = (uint8_t)plen;
		} else if (strcmp(tok, "L") == 0)
			o->u.prefix.flags |= ND_PI_L;
		else if (strcmp(tok, "A") == 0)
			o->u.prefix.flags |= ND_PI_A;
		else if (strcmp(tok, "R") == 0)
			o->u.prefix.flags |= ND_PI_R;
		else if (strncmp(tok, "valid=", 6) == 0 &&
		    parse_u64(tok + 6, &n) && n <= UINT32_MAX)
			o->u.prefix.valid = (uint32_t)n;
		else if (strncmp(tok, "pref=", 5) == 0 &&
		    parse_u64(tok + 5, &n) && n <= UINT32_MAX)
			o->u.prefix.preferred = (uint32_t)n;
		else
			return false;
	}
	return !first;
}

static void
show_prefix(const struct nd_opt *o, char *buf, size_t cap)
{
	size_t k;

	fmt_in6_prefix(buf, cap, &o->u.prefix.prefix, o->u.prefix.plen);
	k = strlen(buf);
	snprintf(buf + k, cap - k, "%s%s%s,valid=%lu,pref=%lu",
	    o->u.prefix.flags & ND_PI_L ? ",L" : "",
	    o->u.prefix.flags & ND_PI_A ? ",A" : "",
	    o->u.prefix.flags & ND_PI_R ? ",R" : "",
	    (unsigned long)o->u.prefix.valid,
	    (unsigned long)o->u.prefix.preferred);
}

/* hainfo=pref=N,life=N[,R] (RFC 6275 §7.4; R: RFC 3963 §7.1) */
static bool
fill_hainfo(struct nd_opt *o, const char *s)
{
	long pref;
	unsigned long life;
	char r[4] = "";
	int k;

	k = sscanf(s, "pref=%ld,life=%lu%3s", &pref, &life, r);
	if (k < 2 || pref < INT16_MIN || pref > INT16_MAX || life > 0xffff ||
	    (k == 3 && strcmp(r, ",R") != 0))
		return false;
	o->u.hainfo.preference = (int16_t)pref;
	o->u.hainfo.lifetime = (uint16_t)life;
	o->u.hainfo.flags = k == 3 ? ND_HAI_R : 0;
	return true;
}

static void
show_hainfo(const struct nd_opt *o, char *buf, size_t cap)
{
	snprintf(buf, cap, "pref=%d,life=%u%s", o->u.hainfo.preference,
	    o->u.hainfo.lifetime,
	    o->u.hainfo.flags & ND_HAI_R ? ",R" : "");
}

struct ndstr {
	uint8_t		 type;
	bool		(*fill)(struct nd_opt *, const char *);
	void		(*show)(const struct nd_opt *, char *, size_t);
	const char	*syntax;
};

static const struct ndstr ndstrs[] = {
	{ NDOPT_PREFIX, fill_prefix, show_prefix,
	  "P/L[,L][,A][,R],valid=N,pref=N" },
	{ NDOPT_HA_INFO, fill_hainfo, show_hainfo, "pref=N,life=N[,R]" },
};

static const struct ndstr *
ndstr_of(const struct fdef *d)
{
	return d->arg == NDOPT_PREFIX ? &ndstrs[0] : &ndstrs[1];
}

static bool
get_ndstr(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const struct nd_opt *o = nd_get(d, c);

	if (o == NULL)
		return false;
	v->type = FV_STR;
	ndstr_of(d)->show(o, v->str, sizeof(v->str));
	return true;
}

static const char *
set_ndstr(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	struct nd_opt *o = nd_new(d, c);

	if (o == NULL)
		return ND_FULL;
	return ndstr_of(d)->fill(o, v->str) ? NULL : "bad option value";
}

static bool
parse_ndstr(const struct fdef *d, const char *s, struct fval *v, char *err,
    size_t cap)
{
	struct nd_opt o;

	memset(&o, 0, sizeof(o));
	if (!ndstr_of(d)->fill(&o, s)) {
		snprintf(err, cap, "%s=%s: want %s=%s", d->name, s, d->name,
		    ndstr_of(d)->syntax);
		return false;
	}
	v->type = FV_STR;
	ndstr_of(d)->show(&o, v->str, sizeof(v->str));
	return true;
}

/* ha=A[,A...]: the addresses of a DHAAD Reply (RFC 6275 §6.6). */
static void
show_ha(const struct icmp6_msg *m, char *buf, size_t cap)
{
	char s[IN6_STRLEN];
	size_t i, k = 0;

	buf[0] = '\0';
	for (i = 0; i < m->u.dhaad.naddrs && i < ICMP6_DHAAD_MAX && k < cap;
	    i++)
		k += (size_t)snprintf(buf + k, cap - k, "%s%s", i ? "," : "",
		    in6_fmt(&m->u.dhaad.addrs[i], s));
}

static bool
fill_ha(struct icmp6_msg *m, const char *s)
{
	char b[FV_STR_MAX], *tok, *save = NULL;

	str_copy(b, s, sizeof(b));
	m->u.dhaad.naddrs = 0;
	for (tok = strtok_r(b, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (m->u.dhaad.naddrs == ICMP6_DHAAD_MAX ||
		    inet_pton(AF_INET6, tok,
		    &m->u.dhaad.addrs[m->u.dhaad.naddrs]) != 1)
			return false;
		m->u.dhaad.naddrs++;
	}
	return m->u.dhaad.naddrs > 0;
}

static bool
get_ha(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	(void)d;
	if (c->p->icmp6.u.dhaad.naddrs == 0)
		return false;
	v->type = FV_STR;
	show_ha(&c->p->icmp6, v->str, sizeof(v->str));
	return true;
}

static const char *
set_ha(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	(void)d;
	return fill_ha(&c->p->icmp6, v->str) ? NULL :
	    "want ha=ADDR[,ADDR...]";
}

static bool
parse_ha(const struct fdef *d, const char *s, struct fval *v, char *err,
    size_t cap)
{
	static struct icmp6_msg m;

	if (!fill_ha(&m, s)) {
		snprintf(err, cap, "%s=%s: want ha=ADDR[,ADDR...]", d->name, s);
		return false;
	}
	v->type = FV_STR;
	show_ha(&m, v->str, sizeof(v->str));
	return true;
}

/* The data of echo messages and the invoking packet of errors. */
static bool
get_body(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	(void)d;
	return fval_from_bytes(v, c->p->icmp6.body, c->p->icmp6.body_len);
}

static const char *
set_body(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	(void)d;
	fval_to_bytes(v, c->p->icmp6.body, &c->p->icmp6.body_len,
	    sizeof(c->p->icmp6.body));
	return NULL;
}

/* ------------------------------------------------------------- tables */

#define ND_ROW(nm, t, ty, g, s, p, u, dc) { .name = nm, .kind = FK_OPT, \
	.type = ty, .unit = u, .arg = t, .get = g, .set = s, .parse = p, \
	.doc = dc }

static const struct fdef common_f[] = {
	F_NUM("code", FB_ICMP6, struct icmp6_msg, code, NULL, 1, 0, "Code"),
	F_HEX("checksum", FB_ICMP6, struct icmp6_msg, checksum,
	    ICMP6_KEEP_CKSUM, "checksum (computed unless given)"),
	{ .name = "hoa", .kind = FK_EXT, .type = FV_IN6, .get = fget_hao,
	  .doc = "home address in a Home Address option" },
	{ .name = "rh2", .kind = FK_EXT, .type = FV_IN6, .get = fget_rh2,
	  .doc = "home address in a Type 2 Routing header" },
};

static const struct fdef pp_f[] = {
	F_NUM("ptr", FB_ICMP6, struct icmp6_msg, u.pointer, NULL, 1, 0,
	    "Pointer (RFC 4443 §3.4)"),
	{ .name = "data", .kind = FK_FIELD, .type = FV_BYTES, .get = get_body,
	  .set = set_body, .doc = "the invoking packet (hex)" },
};

static const struct fdef err_f[] = {
	{ .name = "data", .kind = FK_FIELD, .type = FV_BYTES, .get = get_body,
	  .set = set_body, .doc = "the invoking packet (hex)" },
};

static const struct fdef ptb_f[] = {
	F_NUM("mtu", FB_ICMP6, struct icmp6_msg, u.mtu, NULL, 1, 0, "MTU"),
	{ .name = "data", .kind = FK_FIELD, .type = FV_BYTES, .get = get_body,
	  .set = set_body, .doc = "the invoking packet (hex)" },
};

static const struct fdef echo_f[] = {
	F_NUM("id", FB_ICMP6, struct icmp6_msg, u.echo.id, NULL, 1, 0,
	    "Identifier"),
	F_NUM("seq", FB_ICMP6, struct icmp6_msg, u.echo.seq, NULL, 1, 0,
	    "Sequence Number"),
	{ .name = "data", .kind = FK_FIELD, .type = FV_BYTES, .get = get_body,
	  .set = set_body, .doc = "echo data (hex)" },
};

static const struct fdef dhaad_f[] = {
	F_NUM("id", FB_ICMP6, struct icmp6_msg, u.dhaad.id, NULL, 1, 0,
	    "Identifier"),
	F_FLAG("R", FB_ICMP6, struct icmp6_msg, u.dhaad.flags, ICMP6_DHAAD_R,
	    "mobile router support (RFC 3963 §7)"),
	{ .name = "ha", .kind = FK_OPT, .type = FV_STR, .get = get_ha,
	  .set = set_ha, .parse = parse_ha,
	  .doc = "Reply: home agent addresses A[,A...] (RFC 6275 §6.6)" },
};

static const struct fdef mps_f[] = {
	F_NUM("id", FB_ICMP6, struct icmp6_msg, u.mp.id, NULL, 1, 0,
	    "Identifier"),
};

static const struct fdef mpa_f[] = {
	F_NUM("id", FB_ICMP6, struct icmp6_msg, u.mp.id, NULL, 1, 0,
	    "Identifier"),
	F_FLAG("M", FB_ICMP6, struct icmp6_msg, u.mp.flags, ICMP6_MPA_M,
	    "Managed Address Configuration"),
	F_FLAG("O", FB_ICMP6, struct icmp6_msg, u.mp.flags, ICMP6_MPA_O,
	    "Other Stateful Configuration"),
	ND_ROW("prefix", NDOPT_PREFIX, FV_STR, get_ndstr, set_ndstr,
	    parse_ndstr, NULL, "Prefix Information option"),
};

static const struct fdef rs_f[] = {
	ND_ROW("slla", NDOPT_SLLA, FV_MAC, get_lladdr, set_lladdr, NULL, NULL,
	    "Source Link-Layer Address option"),
};

static const struct fdef ra_f[] = {
	F_NUM("hlim", FB_ICMP6, struct icmp6_msg, u.ra.hop_limit, NULL, 1, 0,
	    "Cur Hop Limit"),
	F_FLAG("M", FB_ICMP6, struct icmp6_msg, u.ra.flags, ND_RA_M,
	    "Managed"),
	F_FLAG("O", FB_ICMP6, struct icmp6_msg, u.ra.flags, ND_RA_O, "Other"),
	F_FLAG("H", FB_ICMP6, struct icmp6_msg, u.ra.flags, ND_RA_H,
	    "Home Agent (RFC 6275 §7.1)"),
	F_FLAG("P", FB_ICMP6, struct icmp6_msg, u.ra.flags, 0x04,
	    "Proxy (RFC 4389)"),
	F_NUM("lifetime", FB_ICMP6, struct icmp6_msg, u.ra.lifetime, NULL, 1,
	    0, "Router Lifetime (seconds)"),
	F_NUM("reachable", FB_ICMP6, struct icmp6_msg, u.ra.reachable, NULL,
	    1, 0, "Reachable Time (ms)"),
	F_NUM("retrans", FB_ICMP6, struct icmp6_msg, u.ra.retrans, NULL, 1, 0,
	    "Retrans Timer (ms)"),
	ND_ROW("hainfo", NDOPT_HA_INFO, FV_STR, get_ndstr, set_ndstr,
	    parse_ndstr, NULL, "Home Agent Information option"),
	{ .name = "advint", .kind = FK_OPT, .type = FV_UINT, .unit = "ms",
	  .arg = NDOPT_ADV_INTERVAL, .max = UINT32_MAX, .get = get_ndnum,
	  .set = set_ndnum, .doc = "Advertisement Interval option" },
	{ .name = "mtu", .kind = FK_OPT, .type = FV_UINT, .arg = NDOPT_MTU,
	  .max = UINT32_MAX, .get = get_ndnum, .set = set_ndnum,
	  .doc = "MTU option" },
	ND_ROW("prefix", NDOPT_PREFIX, FV_STR, get_ndstr, set_ndstr,
	    parse_ndstr, NULL, "Prefix Information option"),
	ND_ROW("slla", NDOPT_SLLA, FV_MAC, get_lladdr, set_lladdr, NULL, NULL,
	    "Source Link-Layer Address option"),
};

static const struct fdef ns_f[] = {
	F_RAW("tgt", FV_IN6, FB_ICMP6, struct icmp6_msg, u.nsna.target,
	    "Target Address"),
	ND_ROW("slla", NDOPT_SLLA, FV_MAC, get_lladdr, set_lladdr, NULL, NULL,
	    "Source Link-Layer Address option"),
};

static const struct fdef na_f[] = {
	F_FLAG("R", FB_ICMP6, struct icmp6_msg, u.nsna.flags, ND_NA_R,
	    "Router"),
	F_FLAG("S", FB_ICMP6, struct icmp6_msg, u.nsna.flags, ND_NA_S,
	    "Solicited"),
	F_FLAG("O", FB_ICMP6, struct icmp6_msg, u.nsna.flags, ND_NA_O,
	    "Override"),
	F_RAW("tgt", FV_IN6, FB_ICMP6, struct icmp6_msg, u.nsna.target,
	    "Target Address"),
	ND_ROW("tlla", NDOPT_TLLA, FV_MAC, get_lladdr, set_lladdr, NULL, NULL,
	    "Target Link-Layer Address option"),
};

static const struct fdef redirect_f[] = {
	F_RAW("tgt", FV_IN6, FB_ICMP6, struct icmp6_msg, u.nsna.target,
	    "Target Address"),
};

#define TAB(t)	{ t, NELEM(t) }

static const struct field_tab *
type_table(int type)
{
	static const struct field_tab pp = TAB(pp_f), err = TAB(err_f),
	    ptb = TAB(ptb_f), echo = TAB(echo_f), dhaad = TAB(dhaad_f),
	    mps = TAB(mps_f), mpa = TAB(mpa_f), rs = TAB(rs_f),
	    ra = TAB(ra_f), ns = TAB(ns_f), na = TAB(na_f),
	    redirect = TAB(redirect_f);

	switch (type) {
	case ICMP6_T_PARAM_PROB:
		return &pp;
	case ICMP6_T_DST_UNREACH:
	case ICMP6_T_TIME_EXCEEDED:
		return &err;
	case ICMP6_T_PKT_TOO_BIG:
		return &ptb;
	case ICMP6_T_ECHO_REQUEST:
	case ICMP6_T_ECHO_REPLY:
		return &echo;
	case ICMP6_T_DHAAD_REQUEST:
	case ICMP6_T_DHAAD_REPLY:
		return &dhaad;
	case ICMP6_T_MPS:
		return &mps;
	case ICMP6_T_MPA:
		return &mpa;
	case ICMP6_T_RS:
		return &rs;
	case ICMP6_T_RA:
		return &ra;
	case ICMP6_T_NS:
		return &ns;
	case ICMP6_T_NA:
		return &na;
	case ICMP6_T_REDIRECT:
		return &redirect;
	default:
		return NULL;
	}
}

size_t
icmp6_tables(int type, const struct field_tab **out, size_t cap)
{
	static const struct field_tab common = TAB(common_f);
	const struct field_tab *t = type_table(type);
	size_t n = 0;

	if (cap > n)
		out[n++] = &common;
	if (t != NULL && cap > n)
		out[n++] = t;
	return n;
}
