/*
 * msock.c - the mobility-socket bus message codec (see msock.h): one table
 * row per attribute (number, name, size, kind, where it lives in struct
 * msock_msg) and one per message type (required and allowed attributes),
 * so that the encoder, the decoder, the printers and the text parser all
 * follow the same rules.  Every byte goes through the buf.h cursors.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "buf.h"
#include "msock.h"
#include "sbuf.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define BIT(a)		(1u << (a))

enum kind { K_U32, K_IN6, K_IN4, K_MAC, K_PREFIX };

struct attr_row {
	enum msock_attr	 attr;
	const char	*name;		/* text printer and parser */
	const char	*json;		/* JSON key */
	uint16_t	 size;		/* value octets on the wire */
	enum kind	 kind;
	size_t		 off;		/* field in struct msock_msg */
	uint32_t	 max;		/* K_U32: largest valid value */
};

#define U32(a, n, j, f, mx) \
	{ a, n, j, 4, K_U32, offsetof(struct msock_msg, f), mx }
#define IN6(a, n, f)	{ a, n, n, 16, K_IN6, offsetof(struct msock_msg, f), 0 }
#define IN4(a, n, f)	{ a, n, n, 4, K_IN4, offsetof(struct msock_msg, f), 0 }

/* In the printers' order (the command word first, then where, then what). */
static const struct attr_row attrs[] = {
	U32(MSA_COMMAND, "command", "command", command, MSOCK_MD_SCAN),
	U32(MSA_HINT, "hint", "hint", hint, MSOCK_HINT_HOME),
	U32(MSA_NODETYPE, "nodetype", "nodetype", nodetype, UINT32_MAX),
	U32(MSA_ENABLE, "enable", "enable", enable, 1),
	U32(MSA_IFINDEX, "ifindex", "ifindex", ifindex, UINT32_MAX),
	U32(MSA_HOA_IFINDEX, "hoa-ifindex", "hoa_ifindex", hoa_ifindex,
	    UINT32_MAX),
	IN6(MSA_HOA, "hoa", hoa),
	IN6(MSA_COA, "coa", coa),
	IN4(MSA_HOA4, "hoa4", hoa4),
	IN4(MSA_COA4, "coa4", coa4),
	IN6(MSA_PEER, "peer", peer),
	IN6(MSA_ROUTER, "router", router),
	{ MSA_ROUTER_MAC, "router-mac", "router_mac", 6, K_MAC,
	  offsetof(struct msock_msg, router_mac), 0 },
	U32(MSA_LIFETIME, "lifetime", "lifetime", lifetime, UINT32_MAX),
	U32(MSA_FLAGS, "flags", "flags", flags, UINT16_MAX),
	U32(MSA_BID, "bid", "bid", bid, UINT16_MAX),
	U32(MSA_STATE, "state", "state", state, UINT32_MAX),
	U32(MSA_STATUS, "status", "status", status, UINT8_MAX),
	{ MSA_PREFIX, "prefix", "prefix", 17, K_PREFIX, 0, 0 },
};

struct type_row {
	enum msock_type	 type;
	const char	*name;
	uint32_t	 required, allowed;	/* allowed includes required */
};

#define A_BIND	(BIT(MSA_HOA) | BIT(MSA_COA) | BIT(MSA_PEER) | \
		 BIT(MSA_LIFETIME) | BIT(MSA_FLAGS) | BIT(MSA_BID) | \
		 BIT(MSA_PREFIX) | BIT(MSA_HOA4) | BIT(MSA_COA4))

/*
 * Type numbers are SHISA's (mipsock.h); 3 and 7 (BC/BUL_UPDATE) are
 * commented out there and unknown here; DAD is user space on Linux
 * (reserved: refused).
 */
static const struct type_row types[] = {
	{ MSOCK_NODETYPE_INFO, "nodetype-info", BIT(MSA_NODETYPE),
	  BIT(MSA_NODETYPE) | BIT(MSA_ENABLE) },
	{ MSOCK_BC_ADD, "bc-add", BIT(MSA_HOA), A_BIND | BIT(MSA_STATE) },
	{ MSOCK_BC_REMOVE, "bc-remove", BIT(MSA_HOA), A_BIND },
	{ MSOCK_BC_FLUSH, "bc-flush", 0, BIT(MSA_PEER) },
	{ MSOCK_BUL_ADD, "bul-add", BIT(MSA_HOA) | BIT(MSA_PEER),
	  A_BIND | BIT(MSA_STATE) | BIT(MSA_IFINDEX) | BIT(MSA_HOA_IFINDEX) },
	{ MSOCK_BUL_REMOVE, "bul-remove", BIT(MSA_HOA) | BIT(MSA_PEER),
	  A_BIND | BIT(MSA_STATE) | BIT(MSA_IFINDEX) | BIT(MSA_HOA_IFINDEX) },
	{ MSOCK_BUL_FLUSH, "bul-flush", 0, BIT(MSA_HOA) },
	{ MSOCK_MD_INFO, "md-info", BIT(MSA_COMMAND),
	  BIT(MSA_COMMAND) | BIT(MSA_HINT) | BIT(MSA_IFINDEX) | BIT(MSA_HOA) |
	  BIT(MSA_COA) | BIT(MSA_COA4) | BIT(MSA_ROUTER) |
	  BIT(MSA_ROUTER_MAC) | BIT(MSA_PREFIX) | BIT(MSA_LIFETIME) },
	{ MSOCK_HOME_HINT, "home-hint", BIT(MSA_IFINDEX) | BIT(MSA_PREFIX),
	  BIT(MSA_IFINDEX) | BIT(MSA_PREFIX) | BIT(MSA_ROUTER) },
	{ MSOCK_RR_HINT, "rr-hint", BIT(MSA_HOA) | BIT(MSA_PEER),
	  BIT(MSA_HOA) | BIT(MSA_PEER) | BIT(MSA_COA) },
	{ MSOCK_BE_HINT, "be-hint", BIT(MSA_HOA) | BIT(MSA_PEER),
	  BIT(MSA_HOA) | BIT(MSA_PEER) | BIT(MSA_COA) | BIT(MSA_STATUS) },
};

static const char *const md_commands[] = {
	[MSOCK_MD_REREG] = "rereg",
	[MSOCK_MD_DEREGHOME] = "dereghome",
	[MSOCK_MD_DEREGFOREIGN] = "deregforeign",
	[MSOCK_MD_SCAN] = "scan",
};

static const char *const md_hints[] = {
	[MSOCK_HINT_INDEX] = "index",
	[MSOCK_HINT_ADDR] = "addr",
	[MSOCK_HINT_HOME] = "home",
};

static const char *const states[] = {
	[MSOCK_ST_IDLE] = "idle",
	[MSOCK_ST_RRINIT] = "rrinit",
	[MSOCK_ST_RRREDO] = "rrredo",
	[MSOCK_ST_RRDEL] = "rrdel",
	[MSOCK_ST_WAITA] = "waita",
	[MSOCK_ST_WAITAR] = "waitar",
	[MSOCK_ST_WAITD] = "waitd",
	[MSOCK_ST_BOUND] = "bound",
	[MSOCK_ST_DHAAD] = "dhaad",
};

/* NODETYPE bits, lowest first. */
static const char *const node_names[] = { "mn", "mr", "ha", "cn", "md" };

/* BU flags (packets/mh.h MH_BU_*), highest bit first as on the wire. */
static const char bu_letters[] = "AHLKMRPFTBSD";

static const char *const errors[] = {
	[MSOCK_OK] = "ok",
	[MSOCK_E_SHORT] = "shorter than the header or its length",
	[MSOCK_E_VERSION] = "unknown version",
	[MSOCK_E_LEN] = "bad length",
	[MSOCK_E_TYPE] = "unknown message type",
	[MSOCK_E_ATTR_LEN] = "attribute of the wrong size or past the end",
	[MSOCK_E_ATTR_DUP] = "attribute repeated",
	[MSOCK_E_MISSING] = "required attribute missing",
	[MSOCK_E_RANGE] = "value out of range",
	[MSOCK_E_ATTR] = "attribute not allowed for the type",
};

static const char *
name_at(const char *const *t, size_t n, unsigned i)
{
	return i < n ? t[i] : NULL;
}

static int
index_of(const char *const *t, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i] != NULL && strcmp(t[i], name) == 0)
			return (int)i;
	return -1;
}

static const struct type_row *
type_row(unsigned type)
{
	size_t i;

	for (i = 0; i < NELEM(types); i++)
		if ((unsigned)types[i].type == type)
			return &types[i];
	return NULL;
}

static const struct attr_row *
attr_row(unsigned attr)
{
	size_t i;

	for (i = 0; i < NELEM(attrs); i++)
		if ((unsigned)attrs[i].attr == attr)
			return &attrs[i];
	return NULL;
}

static uint32_t *
u32_field(struct msock_msg *m, const struct attr_row *r)
{
	return (uint32_t *)(void *)((char *)m + r->off);
}

static uint32_t
u32_value(const struct msock_msg *m, const struct attr_row *r)
{
	uint32_t v;

	memcpy(&v, (const char *)m + r->off, sizeof(v));
	return v;
}

const char *
msock_type_name(unsigned type)
{
	const struct type_row *t = type_row(type);

	if (t != NULL)
		return t->name;
	return type == MSOCK_DAD ? "dad" : NULL;
}

int
msock_type_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(types); i++)
		if (strcmp(types[i].name, name) == 0)
			return (int)types[i].type;
	return -1;
}

const char *
msock_md_command_name(unsigned c)
{
	return name_at(md_commands, NELEM(md_commands), c);
}

int
msock_md_command_from_name(const char *name)
{
	return index_of(md_commands, NELEM(md_commands), name);
}

const char *
msock_attr_name(unsigned a)
{
	const struct attr_row *r = attr_row(a);

	return r != NULL ? r->name : NULL;
}

const char *
msock_state_name(unsigned s)
{
	return name_at(states, NELEM(states), s);
}

const char *
msock_err_str(enum msock_err e)
{
	const char *s = name_at(errors, NELEM(errors), (unsigned)e);

	return s != NULL ? s : "unknown error";
}

/* ------------------------------------------------------------ setters */

void
msock_init(struct msock_msg *m, enum msock_type type)
{
	memset(m, 0, sizeof(*m));
	m->version = MSOCK_VERSION;
	m->type = (uint8_t)type;
}

void
msock_set_u32(struct msock_msg *m, enum msock_attr a, uint32_t v)
{
	const struct attr_row *r = attr_row(a);

	if (r == NULL || r->kind != K_U32)
		return;
	*u32_field(m, r) = v;
	m->present |= BIT(a);
}

void
msock_set_in6(struct msock_msg *m, enum msock_attr a,
    const struct in6_addr *v)
{
	const struct attr_row *r = attr_row(a);

	if (r == NULL || r->kind != K_IN6)
		return;
	memcpy((char *)m + r->off, v, sizeof(*v));
	m->present |= BIT(a);
}

void
msock_set_in4(struct msock_msg *m, enum msock_attr a, const struct in_addr *v)
{
	const struct attr_row *r = attr_row(a);

	if (r == NULL || r->kind != K_IN4)
		return;
	memcpy((char *)m + r->off, v, sizeof(*v));
	m->present |= BIT(a);
}

void
msock_set_mac(struct msock_msg *m, const uint8_t mac[6])
{
	memcpy(m->router_mac, mac, sizeof(m->router_mac));
	m->present |= BIT(MSA_ROUTER_MAC);
}

int
msock_add_prefix(struct msock_msg *m, const struct in6_addr *a, uint8_t plen)
{
	if (m->nprefix >= MSOCK_PREFIX_MAX)
		return -1;
	m->prefix[m->nprefix].plen = plen;
	m->prefix[m->nprefix].addr = *a;
	m->nprefix++;
	m->present |= BIT(MSA_PREFIX);
	return 0;
}

/* ------------------------------------------------------------ checks */

static bool
value_in_range(const struct msock_msg *m, const struct attr_row *r)
{
	uint32_t v;
	unsigned i;

	switch (r->kind) {
	case K_U32:
		v = u32_value(m, r);
		/* command and hint start at 1 */
		if ((r->attr == MSA_COMMAND || r->attr == MSA_HINT) && v == 0)
			return false;
		return v <= r->max;
	case K_PREFIX:
		for (i = 0; i < m->nprefix; i++)
			if (m->prefix[i].plen > 128)
				return false;
		return true;
	default:
		return true;
	}
}

/*
 * What MD_INFO's command needs beyond the row (mip6-bus(7), the movement
 * detector's contract): rereg names the interface and the new CoA,
 * dereghome the home interface.  The first missing one, or 0.
 */
static unsigned
md_info_missing(const struct msock_msg *m)
{
	bool needs_ifindex = m->command == MSOCK_MD_REREG ||
	    m->command == MSOCK_MD_DEREGHOME;

	if (needs_ifindex && !msock_has(m, MSA_IFINDEX))
		return MSA_IFINDEX;
	if (m->command == MSOCK_MD_REREG && !msock_has(m, MSA_COA) &&
	    !msock_has(m, MSA_COA4))
		return MSA_COA;
	return 0;
}

static unsigned
lowest_bit(uint32_t v)
{
	unsigned i;

	for (i = 0; i < 32; i++)
		if (v & BIT(i))
			return i;
	return 0;
}

/*
 * Range and presence checks shared by the encoder and the decoder; *which
 * gets the attribute at fault.
 */
static enum msock_err
check_values(const struct msock_msg *m, const struct type_row *t,
    uint32_t present, unsigned *which)
{
	size_t i;

	for (i = 0; i < NELEM(attrs); i++)
		if ((present & BIT(attrs[i].attr)) &&
		    !value_in_range(m, &attrs[i])) {
			*which = attrs[i].attr;
			return MSOCK_E_RANGE;
		}
	if ((present & t->required) != t->required) {
		*which = lowest_bit(t->required & ~present);
		return MSOCK_E_MISSING;
	}
	if (t->type == MSOCK_MD_INFO && (*which = md_info_missing(m)) != 0)
		return MSOCK_E_MISSING;
	return MSOCK_OK;
}

enum msock_err
msock_check_attr(const struct msock_msg *m, unsigned *which)
{
	const struct type_row *t = type_row(m->type);
	unsigned dummy;

	if (which == NULL)
		which = &dummy;
	*which = 0;
	if (t == NULL)
		return MSOCK_E_TYPE;
	if (m->present & ~t->allowed) {
		*which = lowest_bit(m->present & ~t->allowed);
		return MSOCK_E_ATTR;
	}
	if (msock_has(m, MSA_PREFIX) &&
	    (m->nprefix == 0 || m->nprefix > MSOCK_PREFIX_MAX)) {
		*which = MSA_PREFIX;
		return MSOCK_E_ATTR_LEN;
	}
	return check_values(m, t, m->present, which);
}

enum msock_err
msock_check(const struct msock_msg *m)
{
	return msock_check_attr(m, NULL);
}

/* ------------------------------------------------------------ encoder */

static void
put_attr_hdr(struct wbuf *w, enum msock_attr a, uint16_t size)
{
	wbuf_u16(w, (uint16_t)a);
	wbuf_u16(w, size);
}

static void
put_pad(struct wbuf *w, size_t size)
{
	wbuf_zero(w, (4 - size % 4) % 4);
}

static void
put_attr(struct wbuf *w, const struct msock_msg *m, const struct attr_row *r)
{
	unsigned i;

	if (r->kind == K_PREFIX) {
		for (i = 0; i < m->nprefix; i++) {
			put_attr_hdr(w, r->attr, r->size);
			wbuf_u8(w, m->prefix[i].plen);
			wbuf_in6(w, &m->prefix[i].addr);
			put_pad(w, r->size);
		}
		return;
	}
	put_attr_hdr(w, r->attr, r->size);
	switch (r->kind) {
	case K_U32:
		wbuf_u32(w, u32_value(m, r));
		break;
	case K_IN6:
		wbuf_in6(w, (const struct in6_addr *)(const void *)
		    ((const char *)m + r->off));
		break;
	case K_IN4:
		wbuf_in4(w, (const struct in_addr *)(const void *)
		    ((const char *)m + r->off));
		break;
	case K_MAC:
		wbuf_bytes(w, m->router_mac, sizeof(m->router_mac));
		break;
	case K_PREFIX:
		break;
	}
	put_pad(w, r->size);
}

int
msock_encode(const struct msock_msg *m, uint8_t *buf, size_t cap)
{
	struct wbuf w;
	unsigned a;

	if (msock_check(m) != MSOCK_OK)
		return -1;
	wbuf_init(&w, buf, cap < MSOCK_MAX ? cap : MSOCK_MAX);
	wbuf_u16(&w, 0);		/* len, below */
	wbuf_u8(&w, MSOCK_VERSION);
	wbuf_u8(&w, m->type);
	wbuf_u32(&w, m->pid);
	wbuf_u32(&w, m->seq);
	wbuf_u32(&w, m->err);
	for (a = 1; a < MSA_ATTR_MAX; a++)
		if (msock_has(m, (enum msock_attr)a))
			put_attr(&w, m, attr_row(a));
	if (w.err)
		return -1;
	wbuf_set_u16(&w, 0, (uint16_t)w.len);
	return (int)w.len;
}

/* ------------------------------------------------------------ decoder */

static void
get_value(struct rbuf *v, struct msock_msg *m, const struct attr_row *r)
{
	switch (r->kind) {
	case K_U32:
		*u32_field(m, r) = rbuf_u32(v);
		break;
	case K_IN6:
		rbuf_in6(v, (struct in6_addr *)(void *)((char *)m + r->off));
		break;
	case K_IN4:
		rbuf_in4(v, (struct in_addr *)(void *)((char *)m + r->off));
		break;
	case K_MAC:
		rbuf_bytes(v, m->router_mac, sizeof(m->router_mac));
		break;
	case K_PREFIX:
		/* more than MSOCK_PREFIX_MAX are read and not kept */
		if (m->nprefix < MSOCK_PREFIX_MAX) {
			m->prefix[m->nprefix].plen = rbuf_u8(v);
			rbuf_in6(v, &m->prefix[m->nprefix].addr);
			m->nprefix++;
		}
		break;
	}
}

static enum msock_err
decode_attr(struct rbuf *b, struct msock_msg *m, const struct type_row *t)
{
	const struct attr_row *r;
	uint16_t type, size;
	struct rbuf v;

	type = rbuf_u16(b);
	size = rbuf_u16(b);
	if (b->err || !rbuf_has(b, (size_t)size + (4 - size % 4) % 4))
		return MSOCK_E_ATTR_LEN;
	v = rbuf_sub(b, size);
	rbuf_skip(b, (4 - size % 4) % 4);
	r = type < MSA_ATTR_MAX ? attr_row(type) : NULL;
	/* unknown, or not this type's: a newer sender's; skip it */
	if (r == NULL || !(t->allowed & BIT(type)))
		return MSOCK_OK;
	if (size != r->size)
		return MSOCK_E_ATTR_LEN;
	if (msock_has(m, r->attr) && r->kind != K_PREFIX)
		return MSOCK_E_ATTR_DUP;
	get_value(&v, m, r);
	m->present |= BIT(r->attr);
	return MSOCK_OK;
}

static enum msock_err
decode_header(struct rbuf *b, size_t len, struct msock_msg *m)
{
	uint16_t mlen;

	if (len < MSOCK_HDRLEN)
		return MSOCK_E_SHORT;
	mlen = rbuf_u16(b);
	m->version = rbuf_u8(b);
	m->type = rbuf_u8(b);
	m->pid = rbuf_u32(b);
	m->seq = rbuf_u32(b);
	m->err = rbuf_u32(b);
	if (m->version != MSOCK_VERSION)
		return MSOCK_E_VERSION;
	if (mlen < MSOCK_HDRLEN || mlen > MSOCK_MAX)
		return MSOCK_E_LEN;
	if (mlen > len)
		return MSOCK_E_SHORT;
	if (mlen < len)
		return MSOCK_E_LEN;
	return MSOCK_OK;
}

enum msock_err
msock_decode(const uint8_t *buf, size_t len, struct msock_msg *m)
{
	const struct type_row *t;
	enum msock_err e;
	unsigned which;
	struct rbuf b;

	memset(m, 0, sizeof(*m));
	rbuf_init(&b, buf, len);
	if ((e = decode_header(&b, len, m)) != MSOCK_OK)
		return e;
	if ((t = type_row(m->type)) == NULL)
		return MSOCK_E_TYPE;
	while (rbuf_left(&b) > 0)
		if ((e = decode_attr(&b, m, t)) != MSOCK_OK)
			return e;
	return check_values(m, t, m->present, &which);
}

/* ------------------------------------------------------------ printers */

static void
put_nodetype(struct sbuf *sb, uint32_t v)
{
	uint32_t rest = v;
	bool first = true;
	size_t i;

	for (i = 0; i < NELEM(node_names); i++) {
		if (!(v & BIT(i)))
			continue;
		sbuf_printf(sb, "%s%s", first ? "" : ",", node_names[i]);
		rest &= ~BIT(i);
		first = false;
	}
	if (rest != 0 || first)
		sbuf_printf(sb, "%s0x%x", first ? "" : ",", rest);
}

static void
put_flags(struct sbuf *sb, uint32_t v)
{
	uint32_t rest = v;
	bool first = true;
	size_t i;

	for (i = 0; i < sizeof(bu_letters) - 1; i++) {
		uint32_t bit = 0x8000u >> i;

		if (!(v & bit))
			continue;
		sbuf_printf(sb, "%s%c", first ? "" : ",", bu_letters[i]);
		rest &= ~bit;
		first = false;
	}
	if (rest != 0 || first)
		sbuf_printf(sb, "%s0x%x", first ? "" : ",", rest);
}

static void
put_mac(struct sbuf *sb, const uint8_t mac[6])
{
	sbuf_printf(sb, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
	    mac[2], mac[3], mac[4], mac[5]);
}

/* The name of a command, hint or state value; NULL for other numbers. */
static const char *
u32_name(enum msock_attr a, uint32_t v)
{
	switch (a) {
	case MSA_COMMAND:
		return msock_md_command_name(v);
	case MSA_HINT:
		return name_at(md_hints, NELEM(md_hints), v);
	case MSA_STATE:
		return msock_state_name(v);
	default:
		return NULL;
	}
}

/* A u32 attribute's value as the printers write it. */
static void
put_u32(struct sbuf *sb, enum msock_attr a, uint32_t v)
{
	const char *name = u32_name(a, v);

	if (a == MSA_NODETYPE)
		put_nodetype(sb, v);
	else if (a == MSA_FLAGS)
		put_flags(sb, v);
	else if (name != NULL)
		sbuf_puts(sb, name);
	else
		sbuf_uint(sb, v);
}

static void
put_value(struct sbuf *sb, const struct msock_msg *m,
    const struct attr_row *r, unsigned i)
{
	const void *f = (const char *)m + r->off;

	switch (r->kind) {
	case K_U32:
		put_u32(sb, r->attr, u32_value(m, r));
		break;
	case K_IN6:
		sbuf_in6(sb, f);
		break;
	case K_IN4:
		sbuf_in4(sb, f);
		break;
	case K_MAC:
		put_mac(sb, m->router_mac);
		break;
	case K_PREFIX:
		sbuf_in6(sb, &m->prefix[i].addr);
		sbuf_printf(sb, "/%u", m->prefix[i].plen);
		break;
	}
}

static void
put_errno(struct sbuf *sb, uint32_t err)
{
	if (err == ENOBUFS)
		sbuf_puts(sb, "ENOBUFS");
	else
		sbuf_uint(sb, err);
}

static unsigned
count_of(const struct msock_msg *m, const struct attr_row *r)
{
	if (!msock_has(m, r->attr))
		return 0;
	return r->kind == K_PREFIX ? m->nprefix : 1;
}

void
msock_print(struct sbuf *sb, const struct msock_msg *m)
{
	const char *tn = msock_type_name(m->type);
	size_t i;
	unsigned j;

	if (tn != NULL)
		sbuf_puts(sb, tn);
	else
		sbuf_printf(sb, "type-%u", m->type);
	sbuf_printf(sb, " pid=%u seq=%u", m->pid, m->seq);
	if (m->err != 0) {
		sbuf_puts(sb, " errno=");
		put_errno(sb, m->err);
	}
	for (i = 0; i < NELEM(attrs); i++) {
		const struct attr_row *r = &attrs[i];

		for (j = 0; j < count_of(m, r); j++) {
			sbuf_putc(sb, ' ');
			/* the command is the message's verb: bare */
			if (r->attr != MSA_COMMAND ||
			    msock_md_command_name(m->command) == NULL)
				sbuf_printf(sb, "%s=", r->name);
			put_value(sb, m, r, j);
		}
	}
}

/* Strings where the text printer writes names or letters; else numbers. */
static void
json_u32(struct jw *jw, const struct attr_row *r, uint32_t v)
{
	char buf[64];
	struct sbuf sb;

	if (r->attr == MSA_NODETYPE || r->attr == MSA_FLAGS ||
	    u32_name(r->attr, v) != NULL) {
		sbuf_init(&sb, buf, sizeof(buf));
		put_u32(&sb, r->attr, v);
		jw_str(jw, r->json, sbuf_str(&sb));
	} else
		jw_uint(jw, r->json, v);
}

static void
json_value(struct jw *jw, const struct msock_msg *m, const struct attr_row *r)
{
	char buf[80];
	struct sbuf sb;
	unsigned i;

	switch (r->kind) {
	case K_U32:
		json_u32(jw, r, u32_value(m, r));
		return;
	case K_IN6:
		jw_in6(jw, r->json, (const struct in6_addr *)(const void *)
		    ((const char *)m + r->off));
		return;
	case K_IN4:
		jw_in4(jw, r->json, (const struct in_addr *)(const void *)
		    ((const char *)m + r->off));
		return;
	case K_MAC:
		sbuf_init(&sb, buf, sizeof(buf));
		put_mac(&sb, m->router_mac);
		jw_str(jw, r->json, sbuf_str(&sb));
		return;
	case K_PREFIX:
		jw_arr_open(jw, r->json);
		for (i = 0; i < m->nprefix; i++) {
			sbuf_init(&sb, buf, sizeof(buf));
			put_value(&sb, m, r, i);
			jw_str(jw, NULL, sbuf_str(&sb));
		}
		jw_arr_close(jw);
		return;
	}
}

void
msock_json(struct jw *jw, const struct msock_msg *m)
{
	jw_obj_open(jw, NULL);
	msock_json_members(jw, m);
	jw_obj_close(jw);
}

void
msock_json_members(struct jw *jw, const struct msock_msg *m)
{
	const char *tn = msock_type_name(m->type);
	size_t i;

	if (tn != NULL)
		jw_str(jw, "type", tn);
	else
		jw_uint(jw, "type", m->type);
	jw_uint(jw, "pid", m->pid);
	jw_uint(jw, "seq", m->seq);
	jw_uint(jw, "errno", m->err);
	for (i = 0; i < NELEM(attrs); i++)
		if (msock_has(m, attrs[i].attr))
			json_value(jw, m, &attrs[i]);
}

/* ------------------------------------------------------------ text parser */

static int
fail(char *err, size_t errlen, const char *fmt, const char *what)
{
	if (errlen > 0)
		snprintf(err, errlen, fmt, what);
	return -1;
}

static bool
parse_number(const char *s, uint32_t *v)
{
	unsigned long long n;
	char *end;

	if (*s == '\0' || *s == '-' || *s == '+')
		return false;
	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || n > UINT32_MAX)
		return false;
	*v = (uint32_t)n;
	return true;
}

/* "A,H" or "mn,md" (names from a table, or numbers) ORed together. */
static bool
parse_bits(const char *s, bool letters, uint32_t *v)
{
	char copy[128], *tok, *save;
	uint32_t n;
	int i;

	if (strlen(s) >= sizeof(copy))
		return false;
	strcpy(copy, s);
	*v = 0;
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		const char *p = letters && strlen(tok) == 1 ?
		    strchr(bu_letters, tok[0]) : NULL;

		if (p != NULL && *p != '\0') {
			*v |= 0x8000u >> (p - bu_letters);
			continue;
		}
		if (!letters &&
		    (i = index_of(node_names, NELEM(node_names), tok)) >= 0) {
			*v |= BIT(i);
			continue;
		}
		if (!parse_number(tok, &n))
			return false;
		*v |= n;
	}
	return true;
}

static bool
parse_u32(enum msock_attr a, const char *s, uint32_t *v)
{
	int i = -1;

	switch (a) {
	case MSA_NODETYPE:
		return parse_bits(s, false, v);
	case MSA_FLAGS:
		return parse_bits(s, true, v);
	case MSA_COMMAND:
		i = msock_md_command_from_name(s);
		break;
	case MSA_HINT:
		i = index_of(md_hints, NELEM(md_hints), s);
		break;
	case MSA_STATE:
		i = index_of(states, NELEM(states), s);
		break;
	default:
		break;
	}
	if (i >= 0) {
		*v = (uint32_t)i;
		return true;
	}
	return parse_number(s, v);
}

static bool
parse_mac(const char *s, uint8_t mac[6])
{
	unsigned b[6];
	char tail;
	int i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2],
	    &b[3], &b[4], &b[5], &tail) != 6)
		return false;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return true;
}

static bool
parse_prefix(struct msock_msg *m, const char *s)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	struct in6_addr a;
	uint32_t plen;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(addr))
		return false;
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	if (inet_pton(AF_INET6, addr, &a) != 1 ||
	    !parse_number(slash + 1, &plen) || plen > 128)
		return false;
	return msock_add_prefix(m, &a, (uint8_t)plen) == 0;
}

static bool
parse_value(struct msock_msg *m, const struct attr_row *r, const char *s)
{
	struct in6_addr a6;
	struct in_addr a4;
	uint32_t v;

	switch (r->kind) {
	case K_U32:
		if (!parse_u32(r->attr, s, &v))
			return false;
		msock_set_u32(m, r->attr, v);
		return true;
	case K_IN6:
		if (inet_pton(AF_INET6, s, &a6) != 1)
			return false;
		msock_set_in6(m, r->attr, &a6);
		return true;
	case K_IN4:
		if (inet_pton(AF_INET, s, &a4) != 1)
			return false;
		msock_set_in4(m, r->attr, &a4);
		return true;
	case K_MAC:
		if (!parse_mac(s, m->router_mac))
			return false;
		m->present |= BIT(MSA_ROUTER_MAC);
		return true;
	case K_PREFIX:
		return parse_prefix(m, s);
	}
	return false;
}

static const struct attr_row *
attr_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(attrs); i++)
		if (strcmp(attrs[i].name, name) == 0 ||
		    strcmp(attrs[i].json, name) == 0)
			return &attrs[i];
	return NULL;
}

/* One word after the type: "name=value", or a bare MD_INFO command. */
static int
parse_word(struct msock_msg *m, char *word, char *err, size_t errlen)
{
	const struct attr_row *r;
	char *eq = strchr(word, '=');
	const char *val;
	uint32_t v;

	if (eq == NULL) {
		if (m->type == MSOCK_MD_INFO &&
		    msock_md_command_from_name(word) > 0) {
			msock_set_u32(m, MSA_COMMAND,
			    (uint32_t)msock_md_command_from_name(word));
			return 0;
		}
		return fail(err, errlen, "\"%s\": expected name=value", word);
	}
	*eq = '\0';
	val = eq + 1;
	if (strcmp(word, "seq") == 0 || strcmp(word, "errno") == 0 ||
	    strcmp(word, "pid") == 0) {
		if (strcmp(word, "errno") == 0 && strcmp(val, "ENOBUFS") == 0)
			v = ENOBUFS;
		else if (!parse_number(val, &v))
			return fail(err, errlen, "bad %s value", word);
		if (word[0] == 's')
			m->seq = v;
		else if (word[0] == 'e')
			m->err = v;
		else
			m->pid = v;
		return 0;
	}
	if ((r = attr_by_name(word)) == NULL)
		return fail(err, errlen, "unknown attribute \"%s\"", word);
	if (msock_has(m, r->attr) && r->kind != K_PREFIX)
		return fail(err, errlen, "attribute \"%s\" repeated", word);
	if (!parse_value(m, r, val))
		return fail(err, errlen, "bad value for \"%s\"", word);
	return 0;
}

int
msock_from_text(struct msock_msg *m, const char *text, char *err,
    size_t errlen)
{
	char copy[MSOCK_MAX * 2], *word, *save;
	int type;

	if (strlen(text) >= sizeof(copy))
		return fail(err, errlen, "%s", "text too long");
	strcpy(copy, text);
	word = strtok_r(copy, " \t\n", &save);
	if (word == NULL)
		return fail(err, errlen, "%s", "no message type");
	if ((type = msock_type_from_name(word)) < 0)
		return fail(err, errlen, "unknown message type \"%s\"", word);
	msock_init(m, (enum msock_type)type);
	while ((word = strtok_r(NULL, " \t\n", &save)) != NULL)
		if (parse_word(m, word, err, errlen) < 0)
			return -1;
	return 0;
}
