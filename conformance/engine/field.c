/*
 * field.c - the field access layer (see field.h): generic accessors, typed
 * values, and the tables of the header layers (ether, ipv6, ipv4, hbh,
 * dstopt, hao, rh, rh2, frag, udp, icmp4, arp, esp).  The Mobility Header tables are in
 * field_mh.c and the ICMPv6 ones in field_icmp6.c.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field_impl.h"
#include "vars.h"
#include "packets/sbuf.h"
#include "util.h"

/* ------------------------------------------------------- generic access */

void *
fbase_ptr(const struct fdef *d, const struct fctx *c)
{
	switch (d->base) {
	case FB_MH:
		return &c->p->mh;
	case FB_ICMP6:
		return &c->p->icmp6;
	default:
		return &c->p->h[c->hi];
	}
}

static uint64_t
load_uint(const void *base, uint16_t off, uint16_t size)
{
	const char *p = (const char *)base + off;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (size) {
	case 1:
		memcpy(&u8, p, 1);
		return u8;
	case 2:
		memcpy(&u16, p, 2);
		return u16;
	case 4:
		memcpy(&u32, p, 4);
		return u32;
	default:
		memcpy(&u64, p, 8);
		return u64;
	}
}

static void
store_uint(void *base, uint16_t off, uint16_t size, uint64_t v)
{
	char *p = (char *)base + off;
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;

	switch (size) {
	case 1:
		memcpy(p, &u8, 1);
		break;
	case 2:
		memcpy(p, &u16, 2);
		break;
	case 4:
		memcpy(p, &u32, 4);
		break;
	default:
		memcpy(p, &v, 8);
	}
}

static void
add_keep(const struct fdef *d, struct fctx *c)
{
	if (d->keep == 0)
		return;
	switch (d->base) {
	case FB_MH:
		c->p->mh_keep |= d->keep;
		break;
	case FB_ICMP6:
		c->p->icmp6_keep |= d->keep;
		break;
	default:
		c->p->h[c->hi].keep |= d->keep;
	}
}

static uint64_t
size_max(uint16_t size)
{
	return size >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * size)) - 1;
}

/* Generic numbers store value / arg (lifetimes count units of 4 s). */
static uint32_t
num_scale(const struct fdef *d)
{
	return d->get == fget_num && d->type == FV_UINT && d->arg > 1 ?
	    d->arg : 1;
}

/*
 * The largest value a field takes, in the unit it is written in: `max`
 * when the row gives one (then already in that unit), else what `size`
 * octets hold, scaled.
 */
static uint64_t
field_max(const struct fdef *d)
{
	uint64_t m = size_max(d->size);
	uint32_t scale = num_scale(d);

	if (d->max != 0)
		return d->max;
	return m > UINT64_MAX / scale ? UINT64_MAX : m * scale;
}

bool
fget_num(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	uint32_t scale = num_scale(d);

	v->type = d->type;
	v->u = load_uint(fbase_ptr(d, c), d->off, d->size) * scale;
	return true;
}

const char *
fset_num(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	static char msg[128];
	uint32_t scale = num_scale(d);

	if (v->u % scale != 0) {
		snprintf(msg, sizeof(msg), "%s %llu%s is not a multiple of %u",
		    d->name, (unsigned long long)v->u, d->unit ? d->unit : "",
		    (unsigned)scale);
		return msg;
	}
	if (v->u > field_max(d)) {
		snprintf(msg, sizeof(msg), "%s %llu%s is larger than %llu%s",
		    d->name, (unsigned long long)v->u, d->unit ? d->unit : "",
		    (unsigned long long)field_max(d), d->unit ? d->unit : "");
		return msg;
	}
	store_uint(fbase_ptr(d, c), d->off, d->size, v->u / scale);
	add_keep(d, c);
	return NULL;
}

bool
fget_flag(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	v->type = FV_BOOL;
	v->u = (load_uint(fbase_ptr(d, c), d->off, d->size) & d->arg) != 0;
	return true;
}

const char *
fset_flag(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	void *b = fbase_ptr(d, c);
	uint64_t w = load_uint(b, d->off, d->size);

	w = v->u != 0 ? w | d->arg : w & ~(uint64_t)d->arg;
	store_uint(b, d->off, d->size, w);
	return NULL;
}

bool
fget_res(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	v->type = FV_HEX16;
	v->u = load_uint(fbase_ptr(d, c), d->off, d->size) & d->arg;
	return true;
}

const char *
fset_res(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	static char msg[96];
	void *b = fbase_ptr(d, c);

	if ((v->u & ~(uint64_t)d->arg) != 0) {
		snprintf(msg, sizeof(msg), "%s 0x%llx has bits outside 0x%x "
		    "(use the flag letters)", d->name,
		    (unsigned long long)v->u, (unsigned)d->arg);
		return msg;
	}
	store_uint(b, d->off, d->size,
	    (load_uint(b, d->off, d->size) & ~(uint64_t)d->arg) | v->u);
	return NULL;
}

bool
fget_raw(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const char *p = (const char *)fbase_ptr(d, c) + d->off;

	v->type = d->type;
	switch (d->type) {
	case FV_IN6:
		memcpy(&v->a6, p, sizeof(v->a6));
		break;
	case FV_IN4:
		memcpy(&v->a4, p, sizeof(v->a4));
		break;
	case FV_MAC:
		memcpy(v->mac, p, sizeof(v->mac));
		break;
	default:
		v->nbytes = d->size < FV_BYTES_MAX ? d->size : FV_BYTES_MAX;
		memcpy(v->bytes, p, v->nbytes);
	}
	return true;
}

const char *
fset_raw(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	static char msg[96];
	char *p = (char *)fbase_ptr(d, c) + d->off;

	switch (d->type) {
	case FV_IN6:
		memcpy(p, &v->a6, sizeof(v->a6));
		break;
	case FV_IN4:
		memcpy(p, &v->a4, sizeof(v->a4));
		break;
	case FV_MAC:
		memcpy(p, v->mac, sizeof(v->mac));
		break;
	default:
		if (v->nbytes != d->size) {
			snprintf(msg, sizeof(msg), "%s takes %u bytes, not %zu",
			    d->name, (unsigned)d->size, v->nbytes);
			return msg;
		}
		memcpy(p, v->bytes, v->nbytes);
	}
	return NULL;
}

bool
fget_hao(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const struct in6_addr *a = pkt_hao(c->p);

	(void)d;
	if (a == NULL)
		return false;
	v->type = FV_IN6;
	v->a6 = *a;
	return true;
}

bool
fget_rh2(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const struct in6_addr *a = pkt_rh2(c->p);

	(void)d;
	if (a == NULL)
		return false;
	v->type = FV_IN6;
	v->a6 = *a;
	return true;
}

/* ---------------------------------------------------------------- values */

bool
parse_hex_bytes(const char *s, uint8_t *out, size_t cap, size_t *n)
{
	return pkt_hex_parse(s, out, cap, n);
}

bool
parse_in6_prefix(const char *s, struct in6_addr *a, unsigned *plen)
{
	const char *slash = strchr(s, '/');
	char addr[INET6_ADDRSTRLEN];
	uint64_t l;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(addr))
		return false;
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	if (inet_pton(AF_INET6, addr, a) != 1 || !parse_u64(slash + 1, &l) ||
	    l > 128)
		return false;
	*plen = (unsigned)l;
	return true;
}

void
fmt_in6_prefix(char *buf, size_t cap, const struct in6_addr *a,
    unsigned plen)
{
	char s[IN6_STRLEN];

	snprintf(buf, cap, "%s/%u", in6_fmt(a, s), plen);
}

static bool
parse_mac(const char *s, uint8_t mac[6])
{
	unsigned b[6];
	char tail;
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3],
	    &b[4], &b[5], &tail) != 6)
		return false;
	for (i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return false;
		mac[i] = (uint8_t)b[i];
	}
	return true;
}

/* A number with the field's unit: "400s", "400"; "1000ms". */
static bool
parse_number(const struct fdef *d, const char *s, uint64_t *u)
{
	char buf[64];
	size_t n = strlen(s), ul = d->unit != NULL ? strlen(d->unit) : 0;

	if (n >= sizeof(buf))
		return false;
	memcpy(buf, s, n + 1);
	if (ul > 0 && n > ul && strcmp(buf + n - ul, d->unit) == 0)
		buf[n - ul] = '\0';
	return parse_u64(buf, u);
}

bool
fval_parse(const struct fdef *d, const char *s, struct fval *v, char *err,
    size_t cap)
{
	memset(v, 0, sizeof(*v));
	v->type = d->type;
	if (d->parse != NULL)
		return d->parse(d, s, v, err, cap);
	switch (d->type) {
	case FV_UINT:
	case FV_HEX16:
		if (parse_number(d, s, &v->u) && v->u <= field_max(d))
			return true;
		if (parse_number(d, s, &v->u))
			snprintf(err, cap, "%s=%s: larger than %llu%s", d->name,
			    s, (unsigned long long)field_max(d),
			    d->unit != NULL ? d->unit : "");
		else
			snprintf(err, cap, "%s=%s: not a number%s%s", d->name,
			    s, d->unit != NULL ? " of " : "",
			    d->unit != NULL ? d->unit : "");
		return false;
	case FV_IN6:
		if (inet_pton(AF_INET6, s, &v->a6) == 1)
			return true;
		snprintf(err, cap, "%s=%s: not an IPv6 address", d->name, s);
		return false;
	case FV_IN4:
		if (inet_pton(AF_INET, s, &v->a4) == 1)
			return true;
		snprintf(err, cap, "%s=%s: not an IPv4 address", d->name, s);
		return false;
	case FV_MAC:
		if (parse_mac(s, v->mac))
			return true;
		snprintf(err, cap, "%s=%s: not a MAC address", d->name, s);
		return false;
	case FV_BYTES:
		if (parse_hex_bytes(s, v->bytes, sizeof(v->bytes), &v->nbytes))
			return true;
		snprintf(err, cap, "%s=%s: not hex bytes", d->name, s);
		return false;
	case FV_BOOL:
		if (strcmp(s, "1") == 0 || strcmp(s, "0") == 0) {
			v->u = s[0] == '1';
			return true;
		}
		snprintf(err, cap, "%s is a flag: write %s or !%s", d->name,
		    d->name, d->name);
		return false;
	case FV_STR:
		str_copy(v->str, s, sizeof(v->str));
		return true;
	}
	return false;
}

bool
fval_ordered(const struct fdef *d)
{
	return d->type == FV_UINT || d->type == FV_HEX16;
}

int
fval_cmp(const struct fval *a, const struct fval *b)
{
	switch (a->type) {
	case FV_UINT:
	case FV_HEX16:
	case FV_BOOL:
		return a->u < b->u ? -1 : a->u > b->u;
	case FV_IN6:
		return memcmp(&a->a6, &b->a6, sizeof(a->a6)) != 0;
	case FV_IN4:
		return memcmp(&a->a4, &b->a4, sizeof(a->a4)) != 0;
	case FV_MAC:
		return memcmp(a->mac, b->mac, sizeof(a->mac)) != 0;
	case FV_BYTES:
		return a->nbytes != b->nbytes ||
		    memcmp(a->bytes, b->bytes, a->nbytes) != 0;
	case FV_STR:
		return strcmp(a->str, b->str) != 0;
	}
	return 1;
}

void
fval_fmt(const struct fdef *d, const struct fval *v, char *buf, size_t cap)
{
	char s[IN6_STRLEN];
	size_t i, k;

	switch (v->type) {
	case FV_UINT:
		snprintf(buf, cap, "%llu%s", (unsigned long long)v->u,
		    d->unit != NULL ? d->unit : "");
		break;
	case FV_HEX16:
		snprintf(buf, cap, "0x%0*llx", d->size == 1 ? 2 : 4,
		    (unsigned long long)v->u);
		break;
	case FV_BOOL:
		snprintf(buf, cap, "%s", v->u ? "set" : "clear");
		break;
	case FV_IN6:
		snprintf(buf, cap, "%s", in6_fmt(&v->a6, s));
		break;
	case FV_IN4:
		inet_ntop(AF_INET, &v->a4, s, sizeof(s));
		snprintf(buf, cap, "%s", s);
		break;
	case FV_MAC:
		snprintf(buf, cap, "%02x:%02x:%02x:%02x:%02x:%02x", v->mac[0],
		    v->mac[1], v->mac[2], v->mac[3], v->mac[4], v->mac[5]);
		break;
	case FV_BYTES:
		if (cap == 0)
			break;
		buf[0] = '\0';
		for (i = 0, k = 0; i < v->nbytes && k + 3 <= cap; i++, k += 2)
			snprintf(buf + k, cap - k, "%02x", v->bytes[i]);
		break;
	case FV_STR:
		snprintf(buf, cap, "%s", v->str);
		break;
	}
}

/* ------------------------------------------------ hbh / dstopt options */

static const struct ip6_tlv *
tlv_nth(const struct hdr_opts *o, uint8_t type, unsigned nth)
{
	size_t i, n = o->ntlv < IP6_TLV_MAX ? o->ntlv : IP6_TLV_MAX;

	for (i = 0; i < n; i++)
		if (o->tlv[i].type == type && nth-- == 0)
			return &o->tlv[i];
	return NULL;
}

static struct ip6_tlv *
tlv_add(struct hdr_opts *o, uint8_t type)
{
	struct ip6_tlv *t;

	if (o->ntlv >= IP6_TLV_MAX)
		return NULL;
	t = &o->tlv[o->ntlv++];
	memset(t, 0, sizeof(*t));
	t->type = type;
	return t;
}

static bool
get_opts_hao(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const struct ip6_tlv *t = tlv_nth(&c->p->h[c->hi].u.opts,
	    IP6_HAO_TYPE, c->nth);

	(void)d;
	if (t == NULL)
		return false;
	v->type = FV_IN6;
	v->a6 = t->hoa;
	return true;
}

static const char *
set_opts_hao(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	struct ip6_tlv *t = tlv_add(&c->p->h[c->hi].u.opts, IP6_HAO_TYPE);

	(void)d;
	if (t == NULL)
		return "too many options in the header";
	t->len = 16;
	t->hoa = v->a6;
	return NULL;
}

/* optN=HEX: a TLV of type N with these data octets. */
static bool
get_opts_generic(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const struct ip6_tlv *t = tlv_nth(&c->p->h[c->hi].u.opts,
	    (uint8_t)c->param, c->nth);

	(void)d;
	if (t == NULL)
		return false;
	v->type = FV_BYTES;
	v->nbytes = t->data_len < sizeof(t->data) ? t->data_len :
	    sizeof(t->data);
	memcpy(v->bytes, t->data, v->nbytes);
	return true;
}

static const char *
set_opts_generic(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	struct ip6_tlv *t = tlv_add(&c->p->h[c->hi].u.opts,
	    (uint8_t)c->param);

	(void)d;
	if (t == NULL)
		return "too many options in the header";
	if (v->nbytes > sizeof(t->data))
		return "option data longer than 32 bytes";
	t->len = (uint8_t)v->nbytes;
	t->data_len = (uint8_t)v->nbytes;
	memcpy(t->data, v->bytes, v->nbytes);
	return NULL;
}

static const struct fdef opts_generic = {
	.name = "opt", .kind = FK_OPT, .type = FV_BYTES,
	.get = get_opts_generic, .set = set_opts_generic,
	.doc = "optN=HEX: an option of type N with these data octets",
};

/* hao layer: the canonical PadN + HAO header; tlv[1] is the option. */
static const struct ip6_tlv *
hao_tlv(const struct fctx *c)
{
	return tlv_nth(&c->p->h[c->hi].u.opts, IP6_HAO_TYPE, 0);
}

static bool
get_hao_addr(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const struct ip6_tlv *t = hao_tlv(c);

	(void)d;
	if (t == NULL)
		return false;
	v->type = FV_IN6;
	v->a6 = t->hoa;
	return true;
}

static const char *
set_hao_addr(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	struct ip6_tlv *t = (struct ip6_tlv *)hao_tlv(c);

	(void)d;
	if (t == NULL)
		return "no Home Address option";
	t->hoa = v->a6;
	return NULL;
}

static bool
get_hao_optlen(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const struct ip6_tlv *t = hao_tlv(c);

	(void)d;
	if (t == NULL)
		return false;
	v->type = FV_UINT;
	v->u = t->len;
	return true;
}

static const char *
set_hao_optlen(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	struct ip6_tlv *t = (struct ip6_tlv *)hao_tlv(c);

	(void)d;
	if (t == NULL)
		return "no Home Address option";
	if (v->u > 255)
		return "optlen is one octet";
	t->len = (uint8_t)v->u;
	c->p->h[c->hi].keep |= HDR_KEEP_LEN;
	return NULL;
}

/* ---------------------------------------------------------------- tables */

static const struct fdef ether_f[] = {
	F_RAW("src", FV_MAC, FB_HDR, struct hdr, u.eth.src, "source MAC"),
	F_RAW("dst", FV_MAC, FB_HDR, struct hdr, u.eth.dst, "destination MAC"),
	F_HEX("type", FB_HDR, struct hdr, u.eth.ethertype, HDR_KEEP_NH,
	    "EtherType (computed unless given)"),
	F_NUM("vlan", FB_HDR, struct hdr, u.eth.vlan, NULL, 1, 0,
	    "802.1Q TCI (0: untagged)"),
};

static const struct fdef ipv6_f[] = {
	F_RAW("src", FV_IN6, FB_HDR, struct hdr, u.ip6.src, "source address"),
	F_RAW("dst", FV_IN6, FB_HDR, struct hdr, u.ip6.dst, "destination address"),
	F_NUM("hlim", FB_HDR, struct hdr, u.ip6.hlim, NULL, 1, 0, "hop limit (64)"),
	F_NUM("tclass", FB_HDR, struct hdr, u.ip6.tclass, NULL, 1, 0, "traffic class"),
	{ .name = "flow", .kind = FK_FIELD, .type = FV_UINT, .arg = 1,
	  .base = FB_HDR, .off = (uint16_t)offsetof(struct hdr, u.ip6.flow),
	  .size = MEMBER_SIZE(struct hdr, u.ip6.flow), .max = 0xfffff,
	  .get = fget_num, .set = fset_num, .doc = "flow label" },
	F_NUM("plen", FB_HDR, struct hdr, u.ip6.plen, NULL, 1, HDR_KEEP_LEN,
	    "payload length (computed unless given)"),
	F_NUM("nh", FB_HDR, struct hdr, u.ip6.nh, NULL, 1, HDR_KEEP_NH,
	    "next header (computed unless given)"),
};

static const struct fdef ipv4_f[] = {
	F_RAW("src", FV_IN4, FB_HDR, struct hdr, u.ip4.src, "source address"),
	F_RAW("dst", FV_IN4, FB_HDR, struct hdr, u.ip4.dst, "destination address"),
	F_NUM("ttl", FB_HDR, struct hdr, u.ip4.ttl, NULL, 1, 0, "time to live (64)"),
	F_NUM("tos", FB_HDR, struct hdr, u.ip4.tos, NULL, 1, 0, "type of service"),
	F_NUM("id", FB_HDR, struct hdr, u.ip4.id, NULL, 1, 0, "identification"),
	F_NUM("proto", FB_HDR, struct hdr, u.ip4.proto, NULL, 1, HDR_KEEP_NH,
	    "protocol (computed unless given)"),
	F_NUM("len", FB_HDR, struct hdr, u.ip4.tot_len, NULL, 1, HDR_KEEP_LEN,
	    "total length (computed unless given)"),
	F_HEX("checksum", FB_HDR, struct hdr, u.ip4.checksum, HDR_KEEP_CKSUM,
	    "header checksum (computed unless given)"),
};

static const struct fdef opts_f[] = {
	F_NUM("nh", FB_HDR, struct hdr, u.opts.nh, NULL, 1, HDR_KEEP_NH,
	    "next header (computed unless given)"),
	F_NUM("hdrlen", FB_HDR, struct hdr, u.opts.hdr_ext_len, NULL, 1, HDR_KEEP_LEN,
	    "Hdr Ext Len (computed unless given; then options are "
	    "written exactly)"),
	{ .name = "hao", .kind = FK_OPT, .type = FV_IN6, .get = get_opts_hao,
	  .set = set_opts_hao, .doc = "a Home Address option (type 201)" },
};

static const struct fdef hao_f[] = {
	F_NUM("nh", FB_HDR, struct hdr, u.opts.nh, NULL, 1, HDR_KEEP_NH,
	    "next header (computed unless given)"),
	F_NUM("hdrlen", FB_HDR, struct hdr, u.opts.hdr_ext_len, NULL, 1, HDR_KEEP_LEN,
	    "Hdr Ext Len (2 unless given)"),
	{ .name = "addr", .kind = FK_FIELD, .type = FV_IN6,
	  .get = get_hao_addr, .set = set_hao_addr,
	  .doc = "the home address (also the word after hao)" },
	{ .name = "optlen", .kind = FK_FIELD, .type = FV_UINT, .max = 255,
	  .get = get_hao_optlen, .set = set_hao_optlen,
	  .doc = "the option's Length (16 unless given)" },
};

static const struct fdef rh_f[] = {
	F_NUM("nh", FB_HDR, struct hdr, u.rh.nh, NULL, 1, HDR_KEEP_NH,
	    "next header (computed unless given)"),
	F_NUM("hdrlen", FB_HDR, struct hdr, u.rh.hdr_ext_len, NULL, 1, HDR_KEEP_LEN,
	    "Hdr Ext Len (computed unless given)"),
	F_NUM("type", FB_HDR, struct hdr, u.rh.type, NULL, 1, 0, "Routing Type"),
	F_NUM("segleft", FB_HDR, struct hdr, u.rh.segleft, NULL, 1, 0,
	    "Segments Left"),
	F_HEX("res", FB_HDR, struct hdr, u.rh.reserved, 0, "the reserved word"),
	F_RAW("addr", FV_IN6, FB_HDR, struct hdr, u.rh.addr,
	    "the address after the reserved word"),
};

static const struct fdef frag_f[] = {
	F_NUM("nh", FB_HDR, struct hdr, u.frag.nh, NULL, 1, HDR_KEEP_NH,
	    "next header (computed unless given)"),
	{ .name = "off", .kind = FK_FIELD, .type = FV_UINT, .arg = 8,
	  .base = FB_HDR, .off = (uint16_t)offsetof(struct hdr, u.frag.offset),
	  .size = MEMBER_SIZE(struct hdr, u.frag.offset), .max = 0x1fff * 8,
	  .get = fget_num, .set = fset_num,
	  .doc = "fragment offset in octets (a multiple of 8)" },
	F_NUM("id", FB_HDR, struct hdr, u.frag.id, NULL, 1, 0, "identification"),
	F_FLAG("M", FB_HDR, struct hdr, u.frag.m, 1, "more fragments"),
};

static const struct fdef udp_f[] = {
	F_NUM("sport", FB_HDR, struct hdr, u.udp.sport, NULL, 1, 0, "source port"),
	F_NUM("dport", FB_HDR, struct hdr, u.udp.dport, NULL, 1, 0,
	    "destination port"),
	F_NUM("len", FB_HDR, struct hdr, u.udp.len, NULL, 1, HDR_KEEP_LEN,
	    "length (computed unless given)"),
	F_HEX("checksum", FB_HDR, struct hdr, u.udp.checksum, HDR_KEEP_CKSUM,
	    "checksum (computed unless given)"),
};

/* icmp4 data=HEX: the octets after the ICMPv4 header (echo data). */
static bool
get_icmp4_data(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	const struct hdr_icmp4 *m = &c->p->h[c->hi].u.icmp4;

	(void)d;
	return fval_from_bytes(v, m->data, m->data_len);
}

static const char *
set_icmp4_data(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	struct hdr_icmp4 *m = &c->p->h[c->hi].u.icmp4;

	(void)d;
	if (v->nbytes > sizeof(m->data))
		return "icmp4 data: at most 64 octets";
	fval_to_bytes(v, m->data, &m->data_len, sizeof(m->data));
	m->len = m->data_len;
	return NULL;
}

/* ICMPv4 (RFC 792): echo request 8, echo reply 0. */
static const struct fdef icmp4_f[] = {
	F_NUM("type", FB_HDR, struct hdr, u.icmp4.type, NULL, 1, 0,
	    "Type (8 echo request, 0 echo reply)"),
	F_NUM("code", FB_HDR, struct hdr, u.icmp4.code, NULL, 1, 0, "Code"),
	F_HEX("checksum", FB_HDR, struct hdr, u.icmp4.checksum,
	    HDR_KEEP_CKSUM, "checksum (computed unless given)"),
	F_NUM("id", FB_HDR, struct hdr, u.icmp4.id, NULL, 1, 0,
	    "Identifier (echo; else the first half of the second word)"),
	F_NUM("seq", FB_HDR, struct hdr, u.icmp4.seq, NULL, 1, 0,
	    "Sequence Number (echo; else the second half)"),
	{ .name = "data", .kind = FK_FIELD, .type = FV_BYTES,
	  .get = get_icmp4_data, .set = set_icmp4_data,
	  .doc = "the octets after the header (hex, at most 64)" },
};

/* arp op=request|reply|N (RFC 826 opcodes 1 and 2). */
static bool
parse_arp_op(const struct fdef *d, const char *s, struct fval *v, char *err,
    size_t cap)
{
	v->type = FV_UINT;
	if (strcmp(s, "request") == 0)
		v->u = ARP_OP_REQUEST;
	else if (strcmp(s, "reply") == 0)
		v->u = ARP_OP_REPLY;
	else if (!parse_u64(s, &v->u) || v->u > 0xffff) {
		snprintf(err, cap, "%s=%s: request, reply or a number up to "
		    "65535", d->name, s);
		return false;
	}
	return true;
}

/* ARP over Ethernet for IPv4 (RFC 826), after an ether line. */
static const struct fdef arp_f[] = {
	{ .name = "op", .kind = FK_FIELD, .type = FV_UINT, .arg = 1,
	  .base = FB_HDR, .off = (uint16_t)offsetof(struct hdr, u.arp.op),
	  .size = MEMBER_SIZE(struct hdr, u.arp.op), .get = fget_num,
	  .set = fset_num, .parse = parse_arp_op,
	  .doc = "Opcode: request (1, the default) or reply (2)" },
	F_RAW("sha", FV_MAC, FB_HDR, struct hdr, u.arp.sha,
	    "sender hardware address (sent: the frame's Ethernet source)"),
	F_RAW("spa", FV_IN4, FB_HDR, struct hdr, u.arp.spa,
	    "sender protocol address"),
	F_RAW("tha", FV_MAC, FB_HDR, struct hdr, u.arp.tha,
	    "target hardware address (sent: 00:00:00:00:00:00)"),
	F_RAW("tpa", FV_IN4, FB_HDR, struct hdr, u.arp.tpa,
	    "target protocol address"),
};

/* esp sa=NAME: a variable name (the NUT description's `sa NAME`). */
static bool
parse_sa_name(const struct fdef *d, const char *s, struct fval *v,
    char *err, size_t cap)
{
	if (!vars_name_ok(s) || strchr(s, '.') != NULL) {
		snprintf(err, cap, "%s=%s: the name of an `sa` line of the NUT "
		    "description", d->name, s);
		return false;
	}
	v->type = FV_STR;
	str_copy(v->str, s, sizeof(v->str));
	return true;
}

static bool
parse_icv(const struct fdef *d, const char *s, struct fval *v, char *err,
    size_t cap)
{
	if (strcmp(s, "bad") != 0 && strcmp(s, "good") != 0) {
		snprintf(err, cap, "%s=%s: good or bad", d->name, s);
		return false;
	}
	v->type = FV_STR;
	str_copy(v->str, s, sizeof(v->str));
	return true;
}

static const char *
set_icv(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	(void)d;
	c->p->h[c->hi].u.ipsec.bad_icv = strcmp(v->str, "bad") == 0;
	return NULL;
}

/* iv=HEX: the Initialization Vector instead of a random one (tests
   compare bytes with other implementations' for a given IV). */
static const char *
set_iv(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	struct hdr_ipsec *x = &c->p->h[c->hi].u.ipsec;

	(void)d;
	if (v->nbytes > sizeof(x->iv))
		return "at most 16 octets (the cipher block)";
	memset(x->iv, 0, sizeof(x->iv));
	memcpy(x->iv, v->bytes, v->nbytes);
	x->have_iv = true;
	return NULL;
}

/* opened: the decoder opened the ESP header with one of the SAs. */
static bool
get_opened(const struct fdef *d, const struct fctx *c, struct fval *v)
{
	(void)d;
	v->type = FV_BOOL;
	v->u = c->p->h[c->hi].u.ipsec.opened;
	return true;
}

static const char *
set_opened(const struct fdef *d, struct fctx *c, const struct fval *v)
{
	(void)d;
	(void)c;
	(void)v;
	return "opened is what the tester found (patterns only)";
}

/* ESP (RFC 4303 §2) in transport mode: SPI and Sequence Number in the
   clear, the layers after it sealed with an SA (tmpl.c). */
static const struct fdef esp_f[] = {
	F_NUM("spi", FB_HDR, struct hdr, u.ipsec.spi, NULL, 1, 0,
	    "Security Parameters Index (sent: the SA's unless given)"),
	F_NUM("seq", FB_HDR, struct hdr, u.ipsec.seq, NULL, 1, 0,
	    "Sequence Number (sent: one more than the SA's last in this run "
	    "unless given)"),
	{ .name = "sa", .kind = FK_SA, .type = FV_STR, .parse = parse_sa_name,
	  .doc = "sa=NAME: sealed with (sent) or opened by (patterns) the "
	  "NUT description's SA NAME" },
	{ .name = "icv", .kind = FK_CTL, .type = FV_STR, .set = set_icv,
	  .parse = parse_icv, .doc = "icv=bad: the ICV's last bit flipped "
	  "(a forgery the receiver must drop, RFC 4303 §3.4.4)" },
	{ .name = "opened", .kind = FK_FLAG, .type = FV_BOOL,
	  .get = get_opened, .set = set_opened, .doc = "opened with an SA of "
	  "the NUT description (patterns; !opened: an ICV or padding that "
	  "does not hold, or no SA for the SPI)" },
	{ .name = "iv", .kind = FK_CTL, .type = FV_BYTES, .set = set_iv,
	  .doc = "iv=HEX: the IV (default: random, RFC 4303 §3.3.2)" },
};

#define TAB(t)	{ t, NELEM(t) }

static size_t
one_table(const struct field_tab *t, const struct field_tab **out,
    size_t cap)
{
	if (cap == 0)
		return 0;
	out[0] = t;
	return 1;
}

#define TABLES_FN(fn, arr) \
static size_t \
fn(int msgtype, const struct field_tab **out, size_t cap) \
{ \
	static const struct field_tab t = TAB(arr); \
	(void)msgtype; \
	return one_table(&t, out, cap); \
}

TABLES_FN(ether_tables, ether_f)
TABLES_FN(ipv6_tables, ipv6_f)
TABLES_FN(ipv4_tables, ipv4_f)
TABLES_FN(opts_tables, opts_f)
TABLES_FN(hao_tables, hao_f)
TABLES_FN(rh_tables, rh_f)
TABLES_FN(frag_tables, frag_f)
TABLES_FN(udp_tables, udp_f)
TABLES_FN(icmp4_tables, icmp4_f)
TABLES_FN(arp_tables, arp_f)
TABLES_FN(esp_tables, esp_f)

/* ---------------------------------------------------- accepts and push */

static bool
is_kind(const struct pkt *p, size_t hi, enum hdr_kind k)
{
	return hi < p->nhdr && p->h[hi].kind == k;
}

#define ACCEPTS_FN(fn, k) \
static bool \
fn(const struct pkt *p, size_t hi) \
{ \
	return is_kind(p, hi, k); \
}

ACCEPTS_FN(acc_eth, HDR_ETH)
ACCEPTS_FN(acc_ipv6, HDR_IPV6)
ACCEPTS_FN(acc_ipv4, HDR_IPV4)
ACCEPTS_FN(acc_hbh, HDR_HBH)
ACCEPTS_FN(acc_dstopt, HDR_DSTOPT)
ACCEPTS_FN(acc_rh, HDR_RH)
ACCEPTS_FN(acc_frag, HDR_FRAG)
ACCEPTS_FN(acc_udp, HDR_UDP)
ACCEPTS_FN(acc_mh, HDR_MH)
ACCEPTS_FN(acc_icmp6, HDR_ICMP6)
ACCEPTS_FN(acc_icmp4, HDR_ICMP4)
ACCEPTS_FN(acc_arp, HDR_ARP)
ACCEPTS_FN(acc_esp, HDR_ESP)

static bool
acc_hao(const struct pkt *p, size_t hi)
{
	return is_kind(p, hi, HDR_DSTOPT) &&
	    tlv_nth(&p->h[hi].u.opts, IP6_HAO_TYPE, 0) != NULL;
}

static bool
acc_rh2(const struct pkt *p, size_t hi)
{
	return is_kind(p, hi, HDR_RH) && p->h[hi].u.rh.type == 2;
}

static int
index_of(const struct pkt *p, const struct hdr *h)
{
	return h == NULL ? -1 : (int)(h - p->h);
}

#define PUSH_FN(fn, k) \
static int \
fn(struct pkt *p, int msgtype, const struct in6_addr *a) \
{ \
	(void)msgtype; \
	(void)a; \
	return index_of(p, pkt_push(p, k)); \
}

PUSH_FN(push_eth, HDR_ETH)
PUSH_FN(push_ipv6, HDR_IPV6)
PUSH_FN(push_ipv4, HDR_IPV4)
PUSH_FN(push_hbh, HDR_HBH)
PUSH_FN(push_dstopt, HDR_DSTOPT)
PUSH_FN(push_frag, HDR_FRAG)
PUSH_FN(push_udp, HDR_UDP)
PUSH_FN(push_icmp4, HDR_ICMP4)
PUSH_FN(push_arp, HDR_ARP)	/* op request (pkt_push) */
PUSH_FN(push_esp, HDR_ESP)

static int
push_rh(struct pkt *p, int msgtype, const struct in6_addr *a)
{
	(void)msgtype;
	(void)a;
	return index_of(p, pkt_push(p, HDR_RH));
}

static int
push_hao(struct pkt *p, int msgtype, const struct in6_addr *a)
{
	static const struct in6_addr none;

	(void)msgtype;
	return index_of(p, pkt_push_hao(p, a != NULL ? a : &none));
}

static int
push_rh2(struct pkt *p, int msgtype, const struct in6_addr *a)
{
	static const struct in6_addr none;

	(void)msgtype;
	return index_of(p, pkt_push_rh2(p, a != NULL ? a : &none));
}

static int
push_mh(struct pkt *p, int msgtype, const struct in6_addr *a)
{
	(void)a;
	if (pkt_push_mh(p, (uint8_t)msgtype) == NULL)
		return -1;
	return (int)p->nhdr - 1;
}

static int
push_icmp6(struct pkt *p, int msgtype, const struct in6_addr *a)
{
	(void)a;
	if (pkt_push_icmp6(p, (uint8_t)msgtype, 0) == NULL)
		return -1;
	return (int)p->nhdr - 1;
}

static const struct layer_def layers[] = {
	{ "ether", HDR_ETH, W_NONE, "Ethernet (src and dst default to the "
	  "link's tester and NUT MACs)", ether_tables, acc_eth, push_eth },
	{ "ipv6", HDR_IPV6, W_NONE, "IPv6 header", ipv6_tables, acc_ipv6,
	  push_ipv6 },
	{ "ipv4", HDR_IPV4, W_NONE, "IPv4 header", ipv4_tables, acc_ipv4,
	  push_ipv4 },
	{ "hbh", HDR_HBH, W_NONE, "Hop-by-Hop Options header", opts_tables,
	  acc_hbh, push_hbh },
	{ "dstopt", HDR_DSTOPT, W_NONE, "Destination Options header",
	  opts_tables, acc_dstopt, push_dstopt },
	{ "hao", HDR_DSTOPT, W_ADDR, "Destination Options header holding "
	  "PadN and a Home Address option (RFC 6275 §6.3)", hao_tables,
	  acc_hao, push_hao },
	{ "rh", HDR_RH, W_NONE, "Routing header of any type", rh_tables,
	  acc_rh, push_rh },
	{ "rh2", HDR_RH, W_ADDR, "Type 2 Routing header (RFC 6275 §6.4)",
	  rh_tables, acc_rh2, push_rh2 },
	{ "frag", HDR_FRAG, W_NONE, "Fragment header", frag_tables, acc_frag,
	  push_frag },
	{ "udp", HDR_UDP, W_NONE, "UDP header", udp_tables, acc_udp,
	  push_udp },
	{ "mh", HDR_MH, W_MSGTYPE, "Mobility Header (RFC 6275 §6.1)",
	  mh_tables, acc_mh, push_mh },
	{ "icmp6", HDR_ICMP6, W_MSGTYPE, "ICMPv6 message", icmp6_tables,
	  acc_icmp6, push_icmp6 },
	{ "icmp4", HDR_ICMP4, W_NONE, "ICMPv4 message (RFC 792)",
	  icmp4_tables, acc_icmp4, push_icmp4 },
	{ "arp", HDR_ARP, W_NONE, "ARP request or reply, Ethernet/IPv4 "
	  "(RFC 826)", arp_tables, acc_arp, push_arp },
	{ "esp", HDR_ESP, W_NONE, "Encapsulating Security Payload, "
	  "transport mode (RFC 4303)", esp_tables, acc_esp, push_esp },
};

static const struct layer_def *const layer_list[] = {
	&layers[0], &layers[1], &layers[2], &layers[3], &layers[4],
	&layers[5], &layers[6], &layers[7], &layers[8], &layers[9],
	&layers[10], &layers[11], &layers[12], &layers[13], &layers[14],
	NULL
};

const struct layer_def *const *
layer_all(void)
{
	return layer_list;
}

const struct layer_def *
layer_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(layers); i++)
		if (strcmp(layers[i].name, name) == 0)
			return &layers[i];
	return NULL;
}

/* "opt42" -> 42; -1 if `key` is not optN with N in 0..255. */
static int
generic_opt_type(const char *key)
{
	uint64_t n;

	if (strncmp(key, "opt", 3) != 0 || !parse_u64(key + 3, &n) || n > 255)
		return -1;
	return (int)n;
}

unsigned
field_key_param(const char *key)
{
	int t = generic_opt_type(key);

	return t < 0 ? 0 : (unsigned)t;
}

const struct fdef *
field_lookup(const struct layer_def *l, int msgtype, const char *key)
{
	const struct field_tab *t[4];
	size_t nt, i, k;

	nt = l->tables(msgtype, t, NELEM(t));
	for (i = 0; i < nt; i++)
		for (k = 0; k < t[i]->n; k++)
			if (strcmp(t[i]->f[k].name, key) == 0)
				return &t[i]->f[k];
	if (generic_opt_type(key) < 0)
		return NULL;
	if (l->kind == HDR_HBH || l->kind == HDR_DSTOPT)
		return l->tables == opts_tables ? &opts_generic : NULL;
	if (l->kind == HDR_MH && (msgtype == MSGTYPE_ANY ||
	    (msgtype >= 0 && msgtype <= MH_BE)))
		return mh_generic_opt();
	return NULL;
}

int
msgtype_parse(const struct layer_def *l, const char *word)
{
	if (strcmp(word, "*") == 0)
		return MSGTYPE_ANY;
	if (l->kind == HDR_MH)
		return mh_msgtype_parse(word);
	if (l->kind == HDR_ICMP6)
		return icmp6_msgtype_parse(word);
	return -1;
}

const char *
msgtype_name(const struct layer_def *l, int type)
{
	if (type == MSGTYPE_ANY)
		return "*";
	if (l->kind == HDR_MH)
		return mh_msgtype_name(type);
	if (l->kind == HDR_ICMP6)
		return icmp6_msgtype_name(type);
	return "?";
}

int
msgtype_of(const struct layer_def *l, const struct pkt *p, size_t hi)
{
	if (hi >= p->nhdr)
		return -1;
	if (l->kind == HDR_MH && p->h[hi].kind == HDR_MH)
		return p->mh.type;
	if (l->kind == HDR_ICMP6 && p->h[hi].kind == HDR_ICMP6)
		return p->icmp6.type;
	return -1;
}

bool
fval_from_bytes(struct fval *v, const uint8_t *p, size_t n)
{
	if (n > FV_BYTES_MAX)
		n = FV_BYTES_MAX;
	v->type = FV_BYTES;
	v->nbytes = n;
	memcpy(v->bytes, p, n);
	return true;
}

void
fval_to_bytes(const struct fval *v, uint8_t *body, uint16_t *len, size_t cap)
{
	size_t n = v->nbytes < cap ? v->nbytes : cap;

	memcpy(body, v->bytes, n);
	*len = (uint16_t)n;
}
