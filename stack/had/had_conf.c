/*
 * stack/had/had_conf.c - had.conf(5): a hand-written tokenizer and a
 * recursive-descent parser into struct had_conf, the semantic checks that
 * need the whole file, and the printer of the normalised text (which the
 * parser reads back into an identical struct).
 *
 * Grammar: one statement per line, `#` to the end of the line is a
 * comment, `{ }` blocks, strings in double quotes (\" and \\ escapes).
 * Errors are "NAME:LINE: expected WHAT after STATEMENT, found TOKEN".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packets/pkt.h"
#include "stack/had/had_conf.h"

#define TOK_MAX		512		/* longest word or string */
#define CONF_FILE_MAX	(64u << 20)	/* 100000 mobile nodes fit */

#define DEF_VALID_LFT	2592000u	/* 30 days */
#define DEF_PREF_LFT	604800u		/* 7 days */
/* BU Lifetime is 16 bits of 4-second units (RFC 6275 §6.1.7). */
#define BU_LIFETIME_MAX	(65535u * 4u)

/* ------------------------------------------------------------ defaults */

void
had_conf_init(struct had_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->ha_addr_eui64 = true;
	c->anycast = true;
	c->preference = 0;
	c->ha_lifetime = 1800;
	c->max_lifetime = 3600;
	c->max_bindings = 100000;
	c->brr_lead = 0;
	c->dad_transmits = 1;
	c->retrans_ms = 1000;
	c->auth = HAD_AUTH_RFC4285;
	c->default_policy = HAD_DENY;
	c->accept_router = true;
	c->rate_be = 10;
	c->rate_icmp = 10;
	c->radvd = false;
	c->ra_min_ms = 3000;
	c->ra_max_ms = 10000;
	c->nat_refresh = 110;	/* RFC 5555 NATKATIMEOUT */
	snprintf(c->state_dir, sizeof(c->state_dir), "%s",
	    "/sys/fs/bpf/mip6kit/had");
	snprintf(c->control, sizeof(c->control), "%s",
	    "/run/mip6kit/had.sock");
	snprintf(c->user, sizeof(c->user), "%s", "nobody");
}

void
had_conf_free(struct had_conf *c)
{
	free(c->mn);
	c->mn = NULL;
	c->nmn = 0;
	if (c->sa != NULL)	/* keys do not linger in freed memory */
		memset(c->sa, 0, c->nsa * sizeof(*c->sa));
	free(c->sa);
	c->sa = NULL;
	c->nsa = 0;
}

/* ------------------------------------------------------------ prefixes */

bool
had_prefix_contains(const struct had_prefix *p, const struct in6_addr *a)
{
	unsigned full, rest;
	uint8_t mask;

	if (p->plen > 128)
		return false;
	full = p->plen / 8;
	rest = p->plen % 8;
	if (memcmp(p->addr.s6_addr, a->s6_addr, full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff00u >> rest);
	return ((p->addr.s6_addr[full] ^ a->s6_addr[full]) & mask) == 0;
}

bool
had_prefix4_contains(const struct in_addr *pfx, unsigned plen,
    const struct in_addr *addr)
{
	uint32_t mask;

	if (plen == 0)
		return true;
	if (plen > 32)
		return false;
	mask = plen == 32 ? 0xffffffffu : ~(0xffffffffu >> plen);
	return ((ntohl(pfx->s_addr) ^ ntohl(addr->s_addr)) & mask) == 0;
}

#define ANYCAST_ID_HA	0x7e	/* RFC 2526 §3: Mobile IPv6 home agents */

/*
 * RFC 2526 §2, §3: the prefix, then ones, the last 7 bits the anycast ID
 * 0x7e; for a /64 (EUI-64 interface identifiers) the u/l bit is 0, giving
 * prefix:fdff:ffff:ffff:fffe.
 */
struct in6_addr
had_prefix_ha_anycast(const struct had_prefix *p)
{
	struct in6_addr a;
	unsigned i;

	memset(&a, 0, sizeof(a));
	for (i = 0; i < 128; i++) {
		unsigned byte = i / 8, bit = 7 - i % 8;
		bool one = i < p->plen ?
		    (p->addr.s6_addr[byte] >> bit & 1) != 0 : true;

		if (one)
			a.s6_addr[byte] |= (uint8_t)(1u << bit);
	}
	a.s6_addr[15] = (uint8_t)(0x80 | ANYCAST_ID_HA);
	if (p->plen == 64)
		a.s6_addr[8] &= (uint8_t)~0x02;	/* u/l bit */
	return a;
}

bool
had_conf_ha_addr(const struct had_conf *c, const uint8_t *mac,
    struct in6_addr *out)
{
	struct in6_addr a;

	if (!c->ha_addr_eui64) {
		*out = c->ha_addr;
		return true;
	}
	if (mac == NULL || c->nprefix == 0)
		return false;
	a = c->prefix[0].pfx.addr;
	a.s6_addr[8] = mac[0] ^ 0x02;
	a.s6_addr[9] = mac[1];
	a.s6_addr[10] = mac[2];
	a.s6_addr[11] = 0xff;
	a.s6_addr[12] = 0xfe;
	a.s6_addr[13] = mac[3];
	a.s6_addr[14] = mac[4];
	a.s6_addr[15] = mac[5];
	*out = a;
	return true;
}

/* Two prefixes overlap when the shorter one contains the other. */
static bool
prefix_overlap(const struct had_prefix *a, const struct had_prefix *b)
{
	return a->plen <= b->plen ? had_prefix_contains(a, &b->addr) :
	    had_prefix_contains(b, &a->addr);
}

static bool
prefix_host_bits_clear(const struct had_prefix *p)
{
	unsigned i;

	for (i = p->plen; i < 128; i++)
		if (p->addr.s6_addr[i / 8] & (0x80u >> (i % 8)))
			return false;
	return true;
}

const struct had_home_prefix *
had_conf_home_prefix(const struct had_conf *c, const struct in6_addr *a)
{
	size_t i;

	for (i = 0; i < c->nprefix; i++)
		if (had_prefix_contains(&c->prefix[i].pfx, a))
			return &c->prefix[i];
	return NULL;
}

static int
mn_cmp(const void *a, const void *b)
{
	return memcmp(&((const struct had_mn *)a)->hoa,
	    &((const struct had_mn *)b)->hoa, sizeof(struct in6_addr));
}

/*
 * mn[] is sorted by HoA (the parser sorts it), so a long list is searched
 * by halves; a short one is scanned, which also serves a hand-built list.
 */
const struct had_mn *
had_conf_mn(const struct had_conf *c, const struct in6_addr *hoa)
{
	struct had_mn key;
	size_t i;

	if (c->nmn <= 32) {
		for (i = 0; i < c->nmn; i++)
			if (memcmp(&c->mn[i].hoa, hoa, sizeof(*hoa)) == 0)
				return &c->mn[i];
		return NULL;
	}
	key.hoa = *hoa;
	return bsearch(&key, c->mn, c->nmn, sizeof(*c->mn), mn_cmp);
}

/* ------------------------------------------------------------ tokenizer */

enum tok_kind { T_EOF, T_EOL, T_WORD, T_STRING, T_LBRACE, T_RBRACE, T_ERR };

struct parser {
	const char	*name;
	const char	*p, *end;
	unsigned	 line;
	/* One token of lookahead. */
	bool		 have_tok;
	enum tok_kind	 kind;
	unsigned	 tok_line;
	char		 text[TOK_MAX];
	char		*err;
	size_t		 errlen;
	bool		 failed;
	struct had_conf	*c;
	uint32_t	 seen;		/* SEEN_* of global statements */
	size_t		 mncap;
	unsigned	*mnline;	/* line of each mobile-node */
	size_t		 sacap;
};

static int perr(struct parser *, unsigned, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* The first error wins: later ones are consequences. */
static int
perr(struct parser *ps, unsigned line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (ps->failed)
		return -1;
	ps->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ps->errlen > 0)
		snprintf(ps->err, ps->errlen, "%s:%u: %s", ps->name, line, msg);
	return -1;
}

static bool
is_word_char(unsigned char ch)
{
	return ch > 0x20 && ch != 0x7f && ch != '{' && ch != '}' &&
	    ch != '"' && ch != '#';
}

static enum tok_kind
lex_string(struct parser *ps)
{
	size_t n = 0;
	unsigned char ch;

	ps->p++;			/* the opening quote */
	for (;;) {
		if (ps->p >= ps->end || *ps->p == '\n') {
			perr(ps, ps->tok_line, "unterminated string");
			return T_ERR;
		}
		ch = (unsigned char)*ps->p++;
		if (ch == '"')
			break;
		if (ch == '\\' && ps->p < ps->end &&
		    (*ps->p == '"' || *ps->p == '\\'))
			ch = (unsigned char)*ps->p++;
		else if (ch < 0x20 || ch == 0x7f) {
			perr(ps, ps->tok_line,
			    "control character 0x%02x in a string", ch);
			return T_ERR;
		}
		if (n + 1 >= sizeof(ps->text)) {
			perr(ps, ps->tok_line, "string longer than %zu bytes",
			    sizeof(ps->text) - 1);
			return T_ERR;
		}
		ps->text[n++] = (char)ch;
	}
	ps->text[n] = '\0';
	return T_STRING;
}

static enum tok_kind
lex_word(struct parser *ps)
{
	size_t n = 0;

	while (ps->p < ps->end && is_word_char((unsigned char)*ps->p)) {
		if (n + 1 >= sizeof(ps->text)) {
			perr(ps, ps->tok_line, "word longer than %zu bytes",
			    sizeof(ps->text) - 1);
			return T_ERR;
		}
		ps->text[n++] = *ps->p++;
	}
	ps->text[n] = '\0';
	return T_WORD;
}

static enum tok_kind
lex(struct parser *ps)
{
	unsigned char ch;

	ps->text[0] = '\0';
	for (;;) {
		while (ps->p < ps->end &&
		    (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r'))
			ps->p++;
		if (ps->p < ps->end && *ps->p == '#')
			while (ps->p < ps->end && *ps->p != '\n')
				ps->p++;
		ps->tok_line = ps->line;
		if (ps->p >= ps->end)
			return T_EOF;
		ch = (unsigned char)*ps->p;
		if (ch == '\n') {
			ps->p++;
			ps->line++;
			return T_EOL;
		}
		if (ch == '{' || ch == '}') {
			ps->p++;
			ps->text[0] = (char)ch;
			ps->text[1] = '\0';
			return ch == '{' ? T_LBRACE : T_RBRACE;
		}
		if (ch == '"')
			return lex_string(ps);
		if (is_word_char(ch))
			return lex_word(ps);
		perr(ps, ps->line, "unexpected character 0x%02x", ch);
		return T_ERR;
	}
}

static enum tok_kind
peek(struct parser *ps)
{
	if (!ps->have_tok) {
		ps->kind = lex(ps);
		ps->have_tok = true;
	}
	return ps->kind;
}

static void
take(struct parser *ps)
{
	ps->have_tok = false;
}

/* The current token as the "found ..." of an error message. */
static const char *
tok_desc(struct parser *ps, char *buf, size_t cap)
{
	switch (peek(ps)) {
	case T_EOF:
		return "end of file";
	case T_EOL:
		return "end of line";
	case T_ERR:
		return "an invalid token";
	default:
		snprintf(buf, cap, "\"%s\"", ps->text);
		return buf;
	}
}

static int
expected(struct parser *ps, const char *what, const char *after)
{
	char buf[TOK_MAX + 2];
	const char *found = tok_desc(ps, buf, sizeof(buf));

	if (after == NULL)
		return perr(ps, ps->tok_line, "expected %s, found %s", what,
		    found);
	return perr(ps, ps->tok_line, "expected %s after %s, found %s", what,
	    after, found);
}

/* ------------------------------------------------------------ values */

/* The next word (or string when allowed), consumed; NULL after an error. */
static const char *
arg(struct parser *ps, const char *what, const char *after, bool string_ok)
{
	enum tok_kind k = peek(ps);

	if (k == T_ERR)
		return NULL;
	if (k != T_WORD && !(string_ok && k == T_STRING)) {
		expected(ps, what, after);
		return NULL;
	}
	take(ps);
	return ps->text;
}

static int
arg_uint(struct parser *ps, const char *after, uint64_t min, uint64_t max,
    uint64_t *out)
{
	char what[96];
	const char *s;
	unsigned long long v;
	char *endp;

	snprintf(what, sizeof(what), "a number from %llu to %llu",
	    (unsigned long long)min, (unsigned long long)max);
	if (peek(ps) != T_WORD)
		return expected(ps, what, after);
	s = ps->text;
	errno = 0;
	v = strtoull(s, &endp, 10);
	if (*s < '0' || *s > '9' || *endp != '\0' || errno != 0 || v < min ||
	    v > max)
		return expected(ps, what, after);
	take(ps);
	*out = v;
	return 0;
}

static int
arg_addr(struct parser *ps, const char *after, struct in6_addr *out)
{
	if (peek(ps) != T_WORD || inet_pton(AF_INET6, ps->text, out) != 1)
		return expected(ps, "an IPv6 address", after);
	take(ps);
	return 0;
}

/* "ADDR/LEN" with no bits set beyond LEN. */
static int
arg_prefix(struct parser *ps, const char *after, struct had_prefix *out)
{
	char addr[TOK_MAX], *slash, *endp;
	unsigned long plen;

	if (peek(ps) != T_WORD)
		return expected(ps, "a prefix", after);
	snprintf(addr, sizeof(addr), "%s", ps->text);
	slash = strchr(addr, '/');
	if (slash == NULL)
		return expected(ps, "a prefix", after);
	*slash++ = '\0';
	errno = 0;
	plen = strtoul(slash, &endp, 10);
	if (*slash < '0' || *slash > '9' || *endp != '\0' || errno != 0 ||
	    plen > 128 || inet_pton(AF_INET6, addr, &out->addr) != 1)
		return expected(ps, "a prefix", after);
	out->plen = (uint8_t)plen;
	if (!prefix_host_bits_clear(out))
		return perr(ps, ps->tok_line,
		    "prefix %s has bits set beyond /%lu", ps->text, plen);
	take(ps);
	return 0;
}

/* An IPv4 address (dotted quad). */
static int
arg_addr4(struct parser *ps, const char *after, struct in_addr *out)
{
	if (peek(ps) != T_WORD || inet_pton(AF_INET, ps->text, out) != 1)
		return expected(ps, "an IPv4 address", after);
	take(ps);
	return 0;
}

/*
 * "A.B.C.D/LEN", LEN 1..32; host bits allowed only when `host_ok` (an
 * address on a link, not a prefix).
 */
static int
arg_prefix4(struct parser *ps, const char *after, bool host_ok,
    struct in_addr *out, uint8_t *plen_out)
{
	char addr[TOK_MAX], *slash, *endp;
	unsigned long plen;

	if (peek(ps) != T_WORD)
		return expected(ps, "an IPv4 prefix A.B.C.D/LEN", after);
	snprintf(addr, sizeof(addr), "%s", ps->text);
	if ((slash = strchr(addr, '/')) == NULL)
		return expected(ps, "an IPv4 prefix A.B.C.D/LEN", after);
	*slash++ = '\0';
	errno = 0;
	plen = strtoul(slash, &endp, 10);
	if (*slash < '0' || *slash > '9' || *endp != '\0' || errno != 0 ||
	    plen < 1 || plen > 32 || inet_pton(AF_INET, addr, out) != 1)
		return expected(ps, "an IPv4 prefix A.B.C.D/LEN", after);
	if (!host_ok && plen < 32 &&
	    (ntohl(out->s_addr) & (0xffffffffu >> plen)) != 0)
		return perr(ps, ps->tok_line,
		    "prefix %s has bits set beyond /%lu", ps->text, plen);
	*plen_out = (uint8_t)plen;
	take(ps);
	return 0;
}

/* One of two words: *out = 0 for the first, 1 for the second. */
static int
arg_choice(struct parser *ps, const char *after, const char *w0,
    const char *w1, int *out)
{
	char what[64];

	snprintf(what, sizeof(what), "%s or %s", w0, w1);
	if (peek(ps) != T_WORD)
		return expected(ps, what, after);
	if (strcmp(ps->text, w0) == 0)
		*out = 0;
	else if (strcmp(ps->text, w1) == 0)
		*out = 1;
	else
		return expected(ps, what, after);
	take(ps);
	return 0;
}

static int
arg_yesno(struct parser *ps, const char *after, bool *out)
{
	int v;

	if (arg_choice(ps, after, "no", "yes", &v) < 0)
		return -1;
	*out = v == 1;
	return 0;
}

/* A non-empty string (quoted or a bare word) that fits in cap. */
static int
arg_string(struct parser *ps, const char *after, char *out, size_t cap)
{
	const char *s = arg(ps, "a string", after, true);

	if (s == NULL)
		return -1;
	if (*s == '\0')
		return perr(ps, ps->tok_line, "%s must not be empty", after);
	if (strlen(s) >= cap)
		return perr(ps, ps->tok_line, "%s is longer than %zu bytes",
		    after, cap - 1);
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

static int
arg_path(struct parser *ps, const char *after, char *out, size_t cap)
{
	if (arg_string(ps, after, out, cap) < 0)
		return -1;
	if (out[0] != '/')
		return perr(ps, ps->tok_line, "%s must be an absolute path",
		    after);
	return 0;
}

/* RFC 4285 shared key: an even number of hex digits, 1..HAD_KEY_MAX bytes. */
static int
arg_key(struct parser *ps, struct had_mn *mn)
{
	const char *s = arg(ps, "a hex key", "key", true);
	size_t n, bad;

	if (s == NULL)
		return -1;
	n = strlen(s);
	if (n == 0 || n % 2 != 0 || n / 2 > HAD_KEY_MAX)
		return perr(ps, ps->tok_line, "key must be 2 to %d hex digits, "
		    "an even number, found %zu", 2 * HAD_KEY_MAX, n);
	bad = strspn(s, HEX_DIGITS) & ~(size_t)1;
	if (bad < n)
		return perr(ps, ps->tok_line,
		    "key: \"%c%c\" is not a hex byte", s[bad], s[bad + 1]);
	if (!pkt_hex_parse(s, mn->key, HAD_KEY_MAX, &mn->keylen))
		return perr(ps, ps->tok_line, "key: not hex");
	return 0;
}

/* The end of a statement: a newline, the end of the file, or the `}` of
   the enclosing block (left for the block). */
static int
end_stmt(struct parser *ps, const char *stmt, bool in_block)
{
	enum tok_kind k = peek(ps);

	if (k == T_EOL) {
		take(ps);
		return 0;
	}
	if (k == T_EOF || (in_block && k == T_RBRACE))
		return 0;
	if (k == T_ERR)
		return -1;
	return expected(ps, "end of line", stmt);
}

/* ------------------------------------------------------------ blocks */

typedef int block_stmt_fn(struct parser *, const char *kw, void *ctx);

/*
 * An optional `{ ... }` after a statement: sub-statements one per line
 * (`{ virtual }` on one line is fine too).
 */
static int
block(struct parser *ps, const char *stmt, block_stmt_fn *fn, void *ctx)
{
	unsigned open_line;
	char kw[TOK_MAX];

	if (peek(ps) != T_LBRACE)
		return end_stmt(ps, stmt, false);
	open_line = ps->tok_line;
	take(ps);
	for (;;) {
		switch (peek(ps)) {
		case T_EOL:
			take(ps);
			continue;
		case T_RBRACE:
			take(ps);
			return end_stmt(ps, stmt, false);
		case T_WORD:
			snprintf(kw, sizeof(kw), "%s", ps->text);
			take(ps);
			if (fn(ps, kw, ctx) < 0 || end_stmt(ps, kw, true) < 0)
				return -1;
			continue;
		case T_ERR:
			return -1;
		case T_EOF: {
			char what[160];

			snprintf(what, sizeof(what),
			    "\"}\" closing the block opened at line %u",
			    open_line);
			return expected(ps, what, stmt);
		}
		default:
			return expected(ps, "a statement or \"}\"", NULL);
		}
	}
}

/* Each block sub-statement at most once (except the repeatable ones). */
static int
once(struct parser *ps, uint32_t *seen, uint32_t bit, const char *kw)
{
	if (*seen & bit)
		return perr(ps, ps->tok_line, "%s given twice", kw);
	*seen |= bit;
	return 0;
}

/* ------------------------------------------------------------ home-prefix */

struct prefix_ctx {
	struct had_home_prefix *hp;
	uint32_t seen;
};

static int
prefix_stmt(struct parser *ps, const char *kw, void *vctx)
{
	struct prefix_ctx *x = vctx;
	uint64_t v;

	if (strcmp(kw, "valid-lifetime") == 0) {
		if (once(ps, &x->seen, 1, kw) < 0 ||
		    arg_uint(ps, kw, 0, UINT32_MAX, &v) < 0)
			return -1;
		x->hp->valid_lft = (uint32_t)v;
	} else if (strcmp(kw, "preferred-lifetime") == 0) {
		if (once(ps, &x->seen, 2, kw) < 0 ||
		    arg_uint(ps, kw, 0, UINT32_MAX, &v) < 0)
			return -1;
		x->hp->preferred_lft = (uint32_t)v;
	} else if (strcmp(kw, "virtual") == 0) {
		if (once(ps, &x->seen, 4, kw) < 0)
			return -1;
		x->hp->virtual_link = true;
	} else
		return perr(ps, ps->tok_line,
		    "unknown statement \"%s\" in a home-prefix block", kw);
	return 0;
}

static int
st_home_prefix(struct parser *ps, const char *kw)
{
	struct had_conf *c = ps->c;
	struct prefix_ctx x = { NULL, 0 };
	struct had_prefix p;
	char buf[IN6_STRLEN];
	size_t i;

	if (arg_prefix(ps, kw, &p) < 0)
		return -1;
	for (i = 0; i < c->nprefix; i++)
		if (memcmp(&c->prefix[i].pfx.addr, &p.addr, sizeof(p.addr))
		    == 0 && c->prefix[i].pfx.plen == p.plen)
			return perr(ps, ps->tok_line,
			    "home-prefix %s/%u given twice",
			    in6_fmt(&p.addr, buf), p.plen);
	if (c->nprefix >= HAD_PREFIX_MAX)
		return perr(ps, ps->tok_line, "more than %d home prefixes",
		    HAD_PREFIX_MAX);
	x.hp = &c->prefix[c->nprefix++];
	x.hp->pfx = p;
	x.hp->valid_lft = DEF_VALID_LFT;
	x.hp->preferred_lft = DEF_PREF_LFT;
	return block(ps, kw, prefix_stmt, &x);
}

/* ------------------------------------------------------------ mobile-node */

struct mn_ctx {
	struct had_mn *mn;
	uint32_t seen;
};

static int
mn_mnp(struct parser *ps, const char *kw, struct had_mn *mn)
{
	struct had_prefix p;
	size_t i;

	if (arg_prefix(ps, kw, &p) < 0)
		return -1;
	for (i = 0; i < mn->nmnp; i++)
		if (prefix_overlap(&mn->mnp[i], &p))
			return perr(ps, ps->tok_line, "%s overlaps an earlier "
			    "mobile-network-prefix of this mobile node", kw);
	if (mn->nmnp >= HAD_MNP_MAX)
		return perr(ps, ps->tok_line,
		    "more than %d mobile-network-prefix statements",
		    HAD_MNP_MAX);
	mn->mnp[mn->nmnp++] = p;
	return 0;
}

static int
mn_identifier(struct parser *ps, const char *kw, struct had_mn *mn)
{
	const char *s = arg(ps, "a string", kw, true);
	size_t n;

	if (s == NULL)
		return -1;
	n = strlen(s);
	if (n == 0 || n >= HAD_ID_MAX)
		return perr(ps, ps->tok_line, "identifier must be 1 to %d "
		    "bytes", HAD_ID_MAX - 1);
	memcpy(mn->id, s, n);
	mn->idlen = n;
	return 0;
}

static int
mn_stmt(struct parser *ps, const char *kw, void *vctx)
{
	struct mn_ctx *x = vctx;
	struct had_mn *mn = x->mn;
	uint64_t v;

	if (strcmp(kw, "allow") == 0 || strcmp(kw, "deny") == 0) {
		if (x->seen & 1)
			return perr(ps, ps->tok_line,
			    "allow or deny given twice");
		x->seen |= 1;
		mn->policy = kw[0] == 'a' ? HAD_ALLOW : HAD_DENY;
	} else if (strcmp(kw, "mobile-router") == 0) {
		if (once(ps, &x->seen, 2, kw) < 0)
			return -1;
		mn->router = true;
	} else if (strcmp(kw, "mobile-network-prefix") == 0) {
		return mn_mnp(ps, kw, mn);
	} else if (strcmp(kw, "spi") == 0) {
		/* 0 is "no SPI" in struct had_mn. */
		if (once(ps, &x->seen, 4, kw) < 0 ||
		    arg_uint(ps, kw, 1, UINT32_MAX, &v) < 0)
			return -1;
		mn->spi = (uint32_t)v;
	} else if (strcmp(kw, "key") == 0) {
		if (once(ps, &x->seen, 8, kw) < 0)
			return -1;
		return arg_key(ps, mn);
	} else if (strcmp(kw, "identifier") == 0) {
		if (once(ps, &x->seen, 16, kw) < 0)
			return -1;
		return mn_identifier(ps, kw, mn);
	} else if (strcmp(kw, "ipv4-home-address") == 0) {
		if (once(ps, &x->seen, 32, kw) < 0 ||
		    arg_addr4(ps, kw, &mn->v4hoa) < 0)
			return -1;
		if (mn->v4hoa.s_addr == 0)
			return perr(ps, ps->tok_line, "ipv4-home-address "
			    "0.0.0.0 is the dynamic request, not an address");
	} else if (strcmp(kw, "ipv4-prefix") == 0) {
		if (once(ps, &x->seen, 64, kw) < 0)
			return -1;
		return arg_prefix4(ps, kw, false, &mn->v4pfx,
		    &mn->v4pfx_plen);
	} else
		return perr(ps, ps->tok_line,
		    "unknown statement \"%s\" in a mobile-node block", kw);
	return 0;
}

static int
mn_grow(struct parser *ps)
{
	struct had_conf *c = ps->c;
	size_t ncap;
	struct had_mn *nmn;
	unsigned *nline;

	if (c->nmn < ps->mncap)
		return 0;
	ncap = ps->mncap ? ps->mncap * 2 : 16;
	nmn = realloc(c->mn, ncap * sizeof(*nmn));
	if (nmn == NULL)
		return perr(ps, ps->tok_line, "out of memory");
	c->mn = nmn;
	nline = realloc(ps->mnline, ncap * sizeof(*nline));
	if (nline == NULL)
		return perr(ps, ps->tok_line, "out of memory");
	ps->mnline = nline;
	ps->mncap = ncap;
	return 0;
}

static int
st_mobile_node(struct parser *ps, const char *kw)
{
	struct had_conf *c = ps->c;
	struct mn_ctx x = { NULL, 0 };
	struct in6_addr hoa;

	if (arg_addr(ps, kw, &hoa) < 0 || mn_grow(ps) < 0)
		return -1;
	ps->mnline[c->nmn] = ps->tok_line;
	x.mn = &c->mn[c->nmn++];
	memset(x.mn, 0, sizeof(*x.mn));
	x.mn->hoa = hoa;
	x.mn->policy = HAD_ALLOW;
	return block(ps, kw, mn_stmt, &x);
}

/* ------------------------------------------------------------ sa */

#define SA_WORDS_MAX	16

static int
sa_grow(struct parser *ps)
{
	struct had_conf *c = ps->c;
	struct espsa_conf *n;
	size_t ncap;

	if (c->nsa < ps->sacap)
		return 0;
	if (c->nsa >= ESPSA_MAX)
		return perr(ps, ps->tok_line, "more than %d sa statements",
		    ESPSA_MAX);
	ncap = ps->sacap ? ps->sacap * 2 : 8;
	if ((n = realloc(c->sa, ncap * sizeof(*n))) == NULL)
		return perr(ps, ps->tok_line, "out of memory");
	c->sa = n;
	ps->sacap = ncap;
	return 0;
}

/*
 * `sa in|out spi N peer HOA enc ALG [KEY] [auth ALG [KEY]]`: the words up
 * to the end of the line go to the parser had and mnd share
 * (stack/lib/espsa.h).
 */
static int
st_sa(struct parser *ps, unsigned line)
{
	char words[SA_WORDS_MAX][TOK_MAX], msg[256];
	const char *w[SA_WORDS_MAX];
	struct espsa_conf *sa;
	size_t n = 0;

	while (peek(ps) == T_WORD || ps->kind == T_STRING) {
		if (n == SA_WORDS_MAX)
			return perr(ps, line, "sa: more than %d words",
			    SA_WORDS_MAX);
		memcpy(words[n], ps->text, sizeof(words[n]));
		w[n] = words[n];
		n++;
		take(ps);
	}
	if (ps->kind == T_ERR || sa_grow(ps) < 0)
		return -1;
	sa = &ps->c->sa[ps->c->nsa];
	memset(sa, 0, sizeof(*sa));
	sa->line = line;
	if (espsa_parse(w, n, sa, msg, sizeof(msg)) < 0) {
		memset(sa, 0, sizeof(*sa));
		memset(words, 0, sizeof(words));
		return perr(ps, line, "%s", msg);
	}
	memset(words, 0, sizeof(words));
	ps->c->nsa++;
	return 0;
}

/* The set of SAs (espsa_check_set) and each peer a home address. */
static int
sa_finish(struct parser *ps)
{
	const struct had_conf *c = ps->c;
	char msg[256], a[IN6_STRLEN];
	size_t i, bad;

	if (espsa_check_set(c->sa, c->nsa, &bad, msg, sizeof(msg)) < 0)
		return perr(ps, c->sa[bad].line, "%s", msg);
	for (i = 0; i < c->nsa; i++)
		if (had_conf_home_prefix(c, &c->sa[i].peer) == NULL)
			return perr(ps, c->sa[i].line, "sa: peer %s is not in "
			    "a home-prefix (the peer is the mobile node's "
			    "home address)", in6_fmt(&c->sa[i].peer, a));
	return 0;
}

/* ------------------------------------------------------------ globals */

static int
st_interface(struct parser *ps, const char *kw)
{
	struct had_conf *c = ps->c;
	const char *name = arg(ps, "an interface name", kw, false);
	size_t i;
	struct had_iface *ifc;

	if (name == NULL)
		return -1;
	if (strlen(name) >= IF_NAMESIZE || strchr(name, '/') != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return perr(ps, ps->tok_line, "\"%s\" is not an interface "
		    "name", name);
	for (i = 0; i < c->niface; i++)
		if (strcmp(c->iface[i].name, name) == 0)
			return perr(ps, ps->tok_line,
			    "interface %s given twice", name);
	if (c->niface >= HAD_IFACE_MAX)
		return perr(ps, ps->tok_line, "more than %d interfaces",
		    HAD_IFACE_MAX);
	ifc = &c->iface[c->niface++];
	memset(ifc, 0, sizeof(*ifc));
	memcpy(ifc->name, name, strlen(name));
	if (peek(ps) != T_WORD)
		return 0;
	if (strcmp(ps->text, "home-link") != 0) {
		char after[IF_NAMESIZE + 16];

		snprintf(after, sizeof(after), "interface %s", ifc->name);
		return expected(ps, "home-link or end of line", after);
	}
	take(ps);
	ifc->home_link = true;
	return 0;
}

static int
st_ha_address(struct parser *ps, const char *kw)
{
	struct had_conf *c = ps->c;

	if (peek(ps) == T_WORD && strcmp(ps->text, "eui64") == 0) {
		take(ps);
		c->ha_addr_eui64 = true;
		memset(&c->ha_addr, 0, sizeof(c->ha_addr));
		return 0;
	}
	if (peek(ps) != T_WORD ||
	    inet_pton(AF_INET6, ps->text, &c->ha_addr) != 1)
		return expected(ps, "an IPv6 address or eui64", kw);
	take(ps);
	c->ha_addr_eui64 = false;
	return 0;
}

static int
st_rate_limit(struct parser *ps, const char *kw)
{
	struct had_conf *c = ps->c;
	int which;
	uint64_t v;

	if (arg_choice(ps, kw, "binding-error", "icmp", &which) < 0)
		return -1;
	if (ps->seen & (which ? (1u << 30) : (1u << 31)))
		return perr(ps, ps->tok_line, "rate-limit %s given twice",
		    which ? "icmp" : "binding-error");
	ps->seen |= which ? (1u << 30) : (1u << 31);
	if (arg_uint(ps, kw, 1, 100000, &v) < 0)
		return -1;
	if (which)
		c->rate_icmp = (unsigned)v;
	else
		c->rate_be = (unsigned)v;
	return 0;
}

static int
st_ra_interval(struct parser *ps, const char *kw)
{
	struct had_conf *c = ps->c;
	uint64_t lo, hi;

	/* RFC 6275 §7.5: as low as 30 ms / 70 ms; RFC 4861 §6.2.1:
	   MaxRtrAdvInterval at most 1800 s. */
	if (arg_uint(ps, kw, 30, 1800000, &lo) < 0 ||
	    arg_uint(ps, kw, 70, 1800000, &hi) < 0)
		return -1;
	c->ra_min_ms = (unsigned)lo;
	c->ra_max_ms = (unsigned)hi;
	return 0;
}

/* A setting of one number in [min, max] stored in an integer field. */
struct num_stmt {
	const char	*name;
	uint64_t	 min, max;
	size_t		 off;
	size_t		 size;
};

#define NUM(n, lo, hi, field) \
	{ n, lo, hi, offsetof(struct had_conf, field), \
	  sizeof(((struct had_conf *)0)->field) }

static const struct num_stmt num_stmts[] = {
	NUM("preference", 0, 65535, preference),
	/* RFC 6275 §7.4: a Home Agent Lifetime of 0 MUST NOT be used. */
	NUM("ha-lifetime", 1, 65535, ha_lifetime),
	NUM("max-binding-lifetime", 4, BU_LIFETIME_MAX, max_lifetime),
	NUM("max-bindings", 1, 1u << 24, max_bindings),
	NUM("binding-refresh-lead", 0, BU_LIFETIME_MAX, brr_lead),
	NUM("dad-transmits", 0, 255, dad_transmits),
	NUM("retrans-timer", 1, 3600000, retrans_ms),
	/* RFC 5555 §3.2.2: all ones means "no keepalives": not a setting */
	NUM("nat-refresh", 1, 0xfffffffeu, nat_refresh),
};

static int
st_number(struct parser *ps, const struct num_stmt *n)
{
	uint64_t v;
	char *field = (char *)ps->c + n->off;

	if (arg_uint(ps, n->name, n->min, n->max, &v) < 0)
		return -1;
	if (n->size == sizeof(uint16_t)) {
		uint16_t v16 = (uint16_t)v;
		memcpy(field, &v16, sizeof(v16));
	} else {
		uint32_t v32 = (uint32_t)v;
		memcpy(field, &v32, sizeof(v32));
	}
	return 0;
}

static int
st_simple(struct parser *ps, const char *kw)
{
	struct had_conf *c = ps->c;
	int v;

	if (strcmp(kw, "anycast") == 0)
		return arg_yesno(ps, kw, &c->anycast);
	if (strcmp(kw, "router-advertisements") == 0)
		return arg_yesno(ps, kw, &c->radvd);
	if (strcmp(kw, "force-udp") == 0)
		return arg_yesno(ps, kw, &c->force_udp);
	if (strcmp(kw, "authentication") == 0) {
		if (arg_choice(ps, kw, "none", "rfc4285", &v) < 0)
			return -1;
		c->auth = v ? HAD_AUTH_RFC4285 : HAD_AUTH_NONE;
		return 0;
	}
	if (strcmp(kw, "default-policy") == 0 ||
	    strcmp(kw, "mobile-routers") == 0) {
		if (arg_choice(ps, kw, "deny", "allow", &v) < 0)
			return -1;
		if (kw[0] == 'd')
			c->default_policy = v ? HAD_ALLOW : HAD_DENY;
		else
			c->accept_router = v == 1;
		return 0;
	}
	if (strcmp(kw, "state-dir") == 0)
		return arg_path(ps, kw, c->state_dir, sizeof(c->state_dir));
	if (strcmp(kw, "control-socket") == 0)
		return arg_path(ps, kw, c->control, sizeof(c->control));
	if (strcmp(kw, "user") == 0)
		return arg_string(ps, kw, c->user, sizeof(c->user));
	return 1;
}

/* Statements that may appear only once, by bit in ps->seen. */
static const char *const once_stmts[] = {
	"home-agent-address", "anycast", "preference", "ha-lifetime",
	"max-binding-lifetime", "max-bindings", "binding-refresh-lead",
	"dad-transmits", "retrans-timer", "authentication", "default-policy",
	"mobile-routers", "router-advertisements", "ra-interval", "state-dir",
	"control-socket", "user", "ipv4-address", "ipv4-pool", "nat-refresh",
	"force-udp",
};

static int
check_once(struct parser *ps, const char *kw, unsigned line)
{
	size_t i;

	for (i = 0; i < sizeof(once_stmts) / sizeof(once_stmts[0]); i++)
		if (strcmp(kw, once_stmts[i]) == 0) {
			if (ps->seen & (1u << i))
				return perr(ps, line, "%s given twice", kw);
			ps->seen |= 1u << i;
			return 0;
		}
	return 0;
}

static int
statement(struct parser *ps, const char *kw, unsigned line)
{
	size_t i;
	int r;

	if (check_once(ps, kw, line) < 0)
		return -1;
	if (strcmp(kw, "interface") == 0)
		return st_interface(ps, kw);
	if (strcmp(kw, "home-prefix") == 0)
		return st_home_prefix(ps, kw);
	if (strcmp(kw, "mobile-node") == 0)
		return st_mobile_node(ps, kw);
	if (strcmp(kw, "sa") == 0)
		return st_sa(ps, line);
	if (strcmp(kw, "home-agent-address") == 0)
		return st_ha_address(ps, kw);
	if (strcmp(kw, "rate-limit") == 0)
		return st_rate_limit(ps, kw);
	if (strcmp(kw, "ra-interval") == 0)
		return st_ra_interval(ps, kw);
	if (strcmp(kw, "ipv4-address") == 0)
		return arg_prefix4(ps, kw, true, &ps->c->ipv4_addr,
		    &ps->c->ipv4_plen);
	if (strcmp(kw, "ipv4-pool") == 0)
		return arg_prefix4(ps, kw, false, &ps->c->ipv4_pool,
		    &ps->c->ipv4_pool_plen);
	for (i = 0; i < sizeof(num_stmts) / sizeof(num_stmts[0]); i++)
		if (strcmp(kw, num_stmts[i].name) == 0)
			return st_number(ps, &num_stmts[i]);
	r = st_simple(ps, kw);
	if (r <= 0)
		return r;
	return perr(ps, line, "unknown statement \"%s\"", kw);
}

/* Blocks end their own statement; the others end here. */
static bool
is_block_stmt(const char *kw)
{
	return strcmp(kw, "home-prefix") == 0 ||
	    strcmp(kw, "mobile-node") == 0;
}

static int
parse_all(struct parser *ps)
{
	char kw[TOK_MAX];
	unsigned line;

	for (;;) {
		switch (peek(ps)) {
		case T_EOF:
			return 0;
		case T_EOL:
			take(ps);
			continue;
		case T_WORD:
			break;
		case T_ERR:
			return -1;
		default:
			return expected(ps, "a statement", NULL);
		}
		snprintf(kw, sizeof(kw), "%s", ps->text);
		line = ps->tok_line;
		take(ps);
		if (statement(ps, kw, line) < 0)
			return -1;
		if (!is_block_stmt(kw) && end_stmt(ps, kw, false) < 0)
			return -1;
	}
}

struct mn_line {
	struct in6_addr	hoa;
	unsigned	line;
};

static int
mn_line_cmp(const void *a, const void *b)
{
	const struct mn_line *x = a, *y = b;
	int r = memcmp(&x->hoa, &y->hoa, sizeof(x->hoa));

	if (r != 0)
		return r;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Sort mn[] by HoA (for had_conf_mn) and refuse a HoA listed twice. */
static int
mn_finish(struct parser *ps)
{
	struct had_conf *c = ps->c;
	struct mn_line *v;
	char buf[IN6_STRLEN];
	size_t i;
	int r = 0;

	if (c->nmn < 2)
		return 0;
	v = malloc(c->nmn * sizeof(*v));
	if (v == NULL)
		return perr(ps, ps->line, "out of memory");
	for (i = 0; i < c->nmn; i++) {
		v[i].hoa = c->mn[i].hoa;
		v[i].line = ps->mnline[i];
	}
	qsort(v, c->nmn, sizeof(*v), mn_line_cmp);
	for (i = 1; i < c->nmn && r == 0; i++)
		if (memcmp(&v[i].hoa, &v[i - 1].hoa, sizeof(v[i].hoa)) == 0)
			r = perr(ps, v[i].line, "mobile-node %s already listed "
			    "at line %u", in6_fmt(&v[i].hoa, buf),
			    v[i - 1].line);
	free(v);
	if (r == 0)
		qsort(c->mn, c->nmn, sizeof(*c->mn), mn_cmp);
	return r;
}

int
had_conf_parse(struct had_conf *c, const char *name, const char *text,
    size_t len, char *err, size_t errlen)
{
	struct parser ps;
	int r;

	had_conf_init(c);
	memset(&ps, 0, sizeof(ps));
	ps.name = name != NULL ? name : "had.conf";
	ps.p = text;
	ps.end = text + len;
	ps.line = 1;
	ps.err = err;
	ps.errlen = errlen;
	ps.c = c;
	if (errlen > 0)
		err[0] = '\0';
	r = parse_all(&ps);
	if (r == 0)
		r = mn_finish(&ps);
	if (r == 0)
		r = sa_finish(&ps);
	free(ps.mnline);
	if (r < 0) {
		had_conf_free(c);
		had_conf_init(c);
	}
	return r;
}

int
had_conf_load(struct had_conf *c, const char *path, char *err, size_t errlen)
{
	FILE *f;
	char *text = NULL;
	size_t len = 0, cap = 0, n;
	int r;

	had_conf_init(c);
	f = fopen(path, "re");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (cap - len < 4096) {
			char *nt;

			cap = cap ? cap * 2 : 65536;
			nt = cap > CONF_FILE_MAX + 4096 ? NULL :
			    realloc(text, cap);
			if (nt == NULL) {
				snprintf(err, errlen, "%s: %s", path,
				    cap > CONF_FILE_MAX + 4096 ?
				    "file too large" : strerror(errno));
				free(text);
				fclose(f);
				return -1;
			}
			text = nt;
		}
		n = fread(text + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(text);
		fclose(f);
		return -1;
	}
	fclose(f);
	r = had_conf_parse(c, path, text, len, err, errlen);
	free(text);
	return r;
}

/* ------------------------------------------------------------ checks */

static int cerr(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static int
cerr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (errlen > 0)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *
pfx_fmt(const struct had_prefix *p, char *buf, size_t cap)
{
	char a[IN6_STRLEN];

	snprintf(buf, cap, "%s/%u", in6_fmt(&p->addr, a), p->plen);
	return buf;
}

static bool
has_home_link(const struct had_conf *c)
{
	size_t i;

	for (i = 0; i < c->niface; i++)
		if (c->iface[i].home_link)
			return true;
	return false;
}

static int
check_prefixes(const struct had_conf *c, char *err, size_t errlen)
{
	char b1[64], b2[64];
	size_t i, j;

	for (i = 0; i < c->nprefix; i++) {
		const struct had_home_prefix *hp = &c->prefix[i];

		if (!hp->virtual_link && !has_home_link(c))
			return cerr(err, errlen, "home-prefix %s is not "
			    "virtual, so an interface needs home-link",
			    pfx_fmt(&hp->pfx, b1, sizeof(b1)));
		/* RFC 4862 §5.5.3 c): such a prefix would be ignored. */
		if (hp->preferred_lft > hp->valid_lft)
			return cerr(err, errlen, "home-prefix %s: "
			    "preferred-lifetime %u exceeds valid-lifetime %u",
			    pfx_fmt(&hp->pfx, b1, sizeof(b1)),
			    hp->preferred_lft, hp->valid_lft);
		if (hp->valid_lft == 0)
			return cerr(err, errlen, "home-prefix %s: "
			    "valid-lifetime 0", pfx_fmt(&hp->pfx, b1,
			    sizeof(b1)));
		for (j = 0; j < i; j++)
			if (prefix_overlap(&c->prefix[j].pfx, &hp->pfx))
				return cerr(err, errlen, "home prefixes %s "
				    "and %s overlap",
				    pfx_fmt(&c->prefix[j].pfx, b1, sizeof(b1)),
				    pfx_fmt(&hp->pfx, b2, sizeof(b2)));
	}
	return 0;
}

static int
check_ha_addr(const struct had_conf *c, char *err, size_t errlen)
{
	char a[IN6_STRLEN];

	if (!c->ha_addr_eui64) {
		if (had_conf_home_prefix(c, &c->ha_addr) == NULL)
			return cerr(err, errlen, "home-agent-address %s is "
			    "not inside a home prefix",
			    in6_fmt(&c->ha_addr, a));
		return 0;
	}
	if (!has_home_link(c))
		return cerr(err, errlen, "home-agent-address eui64 needs an "
		    "interface on the home link (home-link)");
	/* The address is formed in the first home prefix; RFC 4291 §2.5.1:
	   interface identifiers are 64 bits. */
	if (c->prefix[0].pfx.plen != 64 || c->prefix[0].virtual_link)
		return cerr(err, errlen, "home-agent-address eui64 needs the "
		    "first home-prefix to be a /64 that is not virtual");
	return 0;
}

static int
check_timers(const struct had_conf *c, char *err, size_t errlen)
{
	/* RFC 4861 §6.2.1: MinRtrAdvInterval <= 0.75 * MaxRtrAdvInterval. */
	if ((uint64_t)c->ra_min_ms * 4 > (uint64_t)c->ra_max_ms * 3)
		return cerr(err, errlen, "ra-interval: the minimum %u ms is "
		    "more than 3/4 of the maximum %u ms", c->ra_min_ms,
		    c->ra_max_ms);
	if (c->radvd && !has_home_link(c))
		return cerr(err, errlen, "router-advertisements yes needs an "
		    "interface on the home link (home-link)");
	if (c->brr_lead != 0 && c->brr_lead >= c->max_lifetime)
		return cerr(err, errlen, "binding-refresh-lead %u is not "
		    "shorter than max-binding-lifetime %u", c->brr_lead,
		    c->max_lifetime);
	return 0;
}

static int
check_mnp(const struct had_conf *c, const struct had_mn *mn,
    const struct had_prefix *p, char *err, size_t errlen)
{
	char a[IN6_STRLEN], b[IN6_STRLEN], b1[64], b2[64];
	size_t i, j;

	for (i = 0; i < c->nprefix; i++)
		if (prefix_overlap(&c->prefix[i].pfx, p))
			return cerr(err, errlen, "mobile-node %s: "
			    "mobile-network-prefix %s overlaps home prefix %s",
			    in6_fmt(&mn->hoa, a), pfx_fmt(p, b1, sizeof(b1)),
			    pfx_fmt(&c->prefix[i].pfx, b2, sizeof(b2)));
	/* Against the prefixes of the nodes before this one. */
	for (i = 0; &c->mn[i] < mn; i++)
		for (j = 0; j < c->mn[i].nmnp; j++)
			if (prefix_overlap(&c->mn[i].mnp[j], p))
				return cerr(err, errlen, "mobile-node %s: "
				    "mobile-network-prefix %s overlaps %s of "
				    "mobile-node %s", in6_fmt(&mn->hoa, a),
				    pfx_fmt(p, b1, sizeof(b1)),
				    pfx_fmt(&c->mn[i].mnp[j], b2, sizeof(b2)),
				    in6_fmt(&c->mn[i].hoa, b));
	return 0;
}

static int
check_mn(const struct had_conf *c, const struct had_mn *mn, char *err,
    size_t errlen)
{
	char a[IN6_STRLEN];
	size_t i;

	in6_fmt(&mn->hoa, a);
	if (had_conf_home_prefix(c, &mn->hoa) == NULL)
		return cerr(err, errlen, "mobile-node %s is not inside a home "
		    "prefix", a);
	if (!c->ha_addr_eui64 && memcmp(&mn->hoa, &c->ha_addr,
	    sizeof(mn->hoa)) == 0)
		return cerr(err, errlen, "mobile-node %s is the "
		    "home-agent-address", a);
	if ((mn->spi != 0) != (mn->keylen != 0))
		return cerr(err, errlen, "mobile-node %s: spi and key go "
		    "together", a);
	if (c->auth == HAD_AUTH_RFC4285 && mn->policy == HAD_ALLOW &&
	    mn->spi == 0)
		return cerr(err, errlen, "mobile-node %s: authentication "
		    "rfc4285 needs spi and key", a);
	if (mn->nmnp > 0 && !mn->router)
		return cerr(err, errlen, "mobile-node %s: "
		    "mobile-network-prefix needs mobile-router", a);
	if (mn->v4pfx_plen != 0 && !mn->router)
		return cerr(err, errlen, "mobile-node %s: "
		    "ipv4-prefix needs mobile-router", a);
	if ((mn->v4hoa.s_addr != 0 || mn->v4pfx_plen != 0) &&
	    c->ipv4_plen == 0)
		return cerr(err, errlen, "mobile-node %s: an IPv4 home "
		    "address or prefix needs ipv4-address", a);
	for (i = 0; i < mn->nmnp; i++)
		if (check_mnp(c, mn, &mn->mnp[i], err, errlen) < 0)
			return -1;
	return 0;
}

/* A SPI names one security association: one mobile node each. */
static int
check_spis(const struct had_conf *c, char *err, size_t errlen)
{
	char a[IN6_STRLEN], b[IN6_STRLEN];
	size_t i, j;

	for (i = 0; i < c->nmn; i++)
		for (j = 0; j < i && c->mn[i].spi != 0; j++)
			if (c->mn[j].spi == c->mn[i].spi)
				return cerr(err, errlen, "mobile-node %s and "
				    "%s share spi %u", in6_fmt(&c->mn[j].hoa,
				    a), in6_fmt(&c->mn[i].hoa, b),
				    c->mn[i].spi);
	return 0;
}

int
had_conf_check(const struct had_conf *c, char *err, size_t errlen)
{
	size_t i;

	if (c->niface == 0)
		return cerr(err, errlen, "no interface statement: at least "
		    "one interface is needed");
	if (c->nprefix == 0)
		return cerr(err, errlen, "no home-prefix statement: at least "
		    "one home prefix is needed");
	if (c->ipv4_pool_plen != 0 && c->ipv4_plen == 0)
		return cerr(err, errlen, "ipv4-pool needs ipv4-address");
	/* the engine keeps one bit per pool address */
	if (c->ipv4_pool_plen != 0 && c->ipv4_pool_plen < 16) {
		char a[INET_ADDRSTRLEN];

		return cerr(err, errlen, "ipv4-pool %s/%u: at most 65536 "
		    "addresses (/16 or longer)", inet_ntop(AF_INET,
		    &c->ipv4_pool, a, sizeof(a)) != NULL ? a : "?",
		    c->ipv4_pool_plen);
	}
	if (check_prefixes(c, err, errlen) < 0 ||
	    check_ha_addr(c, err, errlen) < 0 ||
	    check_timers(c, err, errlen) < 0)
		return -1;
	for (i = 0; i < c->nmn; i++)
		if (check_mn(c, &c->mn[i], err, errlen) < 0)
			return -1;
	return c->nmn > 1 ? check_spis(c, err, errlen) : 0;
}

/* ------------------------------------------------------------ equality */

static bool
mn_equal(const struct had_mn *a, const struct had_mn *b)
{
	size_t i;

	if (memcmp(&a->hoa, &b->hoa, sizeof(a->hoa)) != 0 ||
	    a->policy != b->policy || a->router != b->router ||
	    a->nmnp != b->nmnp || a->spi != b->spi ||
	    a->keylen != b->keylen || a->idlen != b->idlen ||
	    memcmp(a->key, b->key, a->keylen) != 0 ||
	    memcmp(a->id, b->id, a->idlen) != 0 ||
	    a->v4hoa.s_addr != b->v4hoa.s_addr ||
	    a->v4pfx_plen != b->v4pfx_plen ||
	    (a->v4pfx_plen != 0 && a->v4pfx.s_addr != b->v4pfx.s_addr))
		return false;
	for (i = 0; i < a->nmnp; i++)
		if (memcmp(&a->mnp[i].addr, &b->mnp[i].addr,
		    sizeof(a->mnp[i].addr)) != 0 ||
		    a->mnp[i].plen != b->mnp[i].plen)
			return false;
	return true;
}

static bool
globals_equal(const struct had_conf *a, const struct had_conf *b)
{
	return a->ha_addr_eui64 == b->ha_addr_eui64 &&
	    (a->ha_addr_eui64 || memcmp(&a->ha_addr, &b->ha_addr,
	    sizeof(a->ha_addr)) == 0) &&
	    a->anycast == b->anycast && a->preference == b->preference &&
	    a->ha_lifetime == b->ha_lifetime &&
	    a->max_lifetime == b->max_lifetime &&
	    a->max_bindings == b->max_bindings &&
	    a->brr_lead == b->brr_lead &&
	    a->dad_transmits == b->dad_transmits &&
	    a->retrans_ms == b->retrans_ms && a->auth == b->auth &&
	    a->default_policy == b->default_policy &&
	    a->accept_router == b->accept_router &&
	    a->rate_be == b->rate_be && a->rate_icmp == b->rate_icmp &&
	    a->radvd == b->radvd && a->ra_min_ms == b->ra_min_ms &&
	    a->ra_max_ms == b->ra_max_ms &&
	    strcmp(a->state_dir, b->state_dir) == 0 &&
	    strcmp(a->control, b->control) == 0 &&
	    strcmp(a->user, b->user) == 0 &&
	    a->ipv4_plen == b->ipv4_plen &&
	    (a->ipv4_plen == 0 || a->ipv4_addr.s_addr == b->ipv4_addr.s_addr) &&
	    a->ipv4_pool_plen == b->ipv4_pool_plen &&
	    (a->ipv4_pool_plen == 0 ||
	    a->ipv4_pool.s_addr == b->ipv4_pool.s_addr) &&
	    a->nat_refresh == b->nat_refresh && a->force_udp == b->force_udp;
}

/* "A.B.C.D/LEN", or "none" without an address. */
static const char *
fmt_prefix4(const struct in_addr *a, uint8_t plen, char *buf, size_t len)
{
	char s[INET_ADDRSTRLEN];

	if (plen == 0 || inet_ntop(AF_INET, a, s, sizeof(s)) == NULL)
		snprintf(buf, len, "none");
	else
		snprintf(buf, len, "%s/%u", s, plen);
	return buf;
}

int
had_conf_reload_check(const struct had_conf *old, const struct had_conf *new,
    char *err, size_t errlen)
{
	char a[32], b[32];

	if (old->ipv4_plen == new->ipv4_plen && (old->ipv4_plen == 0 ||
	    old->ipv4_addr.s_addr == new->ipv4_addr.s_addr))
		return 0;
	snprintf(err, errlen, "ipv4-address changed (%s -> %s): restart had "
	    "to apply it", fmt_prefix4(&old->ipv4_addr, old->ipv4_plen, a,
	    sizeof(a)), fmt_prefix4(&new->ipv4_addr, new->ipv4_plen, b,
	    sizeof(b)));
	return -1;
}

bool
had_conf_equal(const struct had_conf *a, const struct had_conf *b)
{
	size_t i;

	if (a->niface != b->niface || a->nprefix != b->nprefix ||
	    a->nmn != b->nmn || a->nsa != b->nsa || !globals_equal(a, b))
		return false;
	for (i = 0; i < a->nsa; i++)
		if (!espsa_conf_equal(&a->sa[i], &b->sa[i]))
			return false;
	for (i = 0; i < a->niface; i++)
		if (strcmp(a->iface[i].name, b->iface[i].name) != 0 ||
		    a->iface[i].home_link != b->iface[i].home_link)
			return false;
	for (i = 0; i < a->nprefix; i++) {
		const struct had_home_prefix *x = &a->prefix[i];
		const struct had_home_prefix *y = &b->prefix[i];

		if (memcmp(&x->pfx.addr, &y->pfx.addr, sizeof(x->pfx.addr))
		    != 0 || x->pfx.plen != y->pfx.plen ||
		    x->virtual_link != y->virtual_link ||
		    x->valid_lft != y->valid_lft ||
		    x->preferred_lft != y->preferred_lft)
			return false;
	}
	for (i = 0; i < a->nmn; i++)
		if (!mn_equal(&a->mn[i], &b->mn[i]))
			return false;
	return true;
}

/* ------------------------------------------------------------ printer */

static void
put_quoted(struct sbuf *sb, const char *s, size_t n)
{
	size_t i;

	sbuf_putc(sb, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			sbuf_putc(sb, '\\');
		sbuf_putc(sb, s[i]);
	}
	sbuf_putc(sb, '"');
}

static void
put_prefix(struct sbuf *sb, const struct had_prefix *p)
{
	sbuf_in6(sb, &p->addr);
	sbuf_printf(sb, "/%u", p->plen);
}

static void
print_prefixes(struct sbuf *sb, const struct had_conf *c)
{
	size_t i;

	for (i = 0; i < c->nprefix; i++) {
		const struct had_home_prefix *hp = &c->prefix[i];

		sbuf_puts(sb, "home-prefix ");
		put_prefix(sb, &hp->pfx);
		sbuf_printf(sb, " {\n\tvalid-lifetime %u\n"
		    "\tpreferred-lifetime %u\n", hp->valid_lft,
		    hp->preferred_lft);
		if (hp->virtual_link)
			sbuf_puts(sb, "\tvirtual\n");
		sbuf_puts(sb, "}\n");
	}
}

static void
put_addr4(struct sbuf *sb, const struct in_addr *a)
{
	char buf[INET_ADDRSTRLEN];

	sbuf_puts(sb, inet_ntop(AF_INET, a, buf, sizeof(buf)) != NULL ? buf :
	    "0.0.0.0");
}

/* RFC 5555 settings; the IPv4 address and pool only when given. */
static void
print_dsmip(struct sbuf *sb, const struct had_conf *c)
{
	if (c->ipv4_plen != 0) {
		sbuf_puts(sb, "ipv4-address ");
		put_addr4(sb, &c->ipv4_addr);
		sbuf_printf(sb, "/%u\n", c->ipv4_plen);
	}
	if (c->ipv4_pool_plen != 0) {
		sbuf_puts(sb, "ipv4-pool ");
		put_addr4(sb, &c->ipv4_pool);
		sbuf_printf(sb, "/%u\n", c->ipv4_pool_plen);
	}
	sbuf_printf(sb, "nat-refresh %u\n", c->nat_refresh);
	sbuf_printf(sb, "force-udp %s\n", c->force_udp ? "yes" : "no");
}

static void
print_globals(struct sbuf *sb, const struct had_conf *c)
{
	sbuf_puts(sb, "home-agent-address ");
	if (c->ha_addr_eui64)
		sbuf_puts(sb, "eui64");
	else
		sbuf_in6(sb, &c->ha_addr);
	sbuf_printf(sb, "\nanycast %s\n", c->anycast ? "yes" : "no");
	sbuf_printf(sb, "preference %u\n", c->preference);
	sbuf_printf(sb, "ha-lifetime %u\n", c->ha_lifetime);
	sbuf_printf(sb, "max-binding-lifetime %u\n", c->max_lifetime);
	sbuf_printf(sb, "max-bindings %u\n", c->max_bindings);
	sbuf_printf(sb, "binding-refresh-lead %u\n", c->brr_lead);
	sbuf_printf(sb, "dad-transmits %u\n", c->dad_transmits);
	sbuf_printf(sb, "retrans-timer %u\n", c->retrans_ms);
	sbuf_printf(sb, "authentication %s\n",
	    c->auth == HAD_AUTH_NONE ? "none" : "rfc4285");
	sbuf_printf(sb, "default-policy %s\n",
	    c->default_policy == HAD_ALLOW ? "allow" : "deny");
	sbuf_printf(sb, "mobile-routers %s\n",
	    c->accept_router ? "allow" : "deny");
	sbuf_printf(sb, "rate-limit binding-error %u\n", c->rate_be);
	sbuf_printf(sb, "rate-limit icmp %u\n", c->rate_icmp);
	sbuf_printf(sb, "router-advertisements %s\n", c->radvd ? "yes" : "no");
	sbuf_printf(sb, "ra-interval %u %u\n", c->ra_min_ms, c->ra_max_ms);
	sbuf_puts(sb, "state-dir ");
	put_quoted(sb, c->state_dir, strlen(c->state_dir));
	sbuf_puts(sb, "\ncontrol-socket ");
	put_quoted(sb, c->control, strlen(c->control));
	sbuf_puts(sb, "\nuser ");
	put_quoted(sb, c->user, strlen(c->user));
	sbuf_putc(sb, '\n');
	print_dsmip(sb, c);
}

static void
print_mn(struct sbuf *sb, const struct had_mn *mn)
{
	size_t i;

	sbuf_puts(sb, "mobile-node ");
	sbuf_in6(sb, &mn->hoa);
	sbuf_printf(sb, " {\n\t%s\n", mn->policy == HAD_ALLOW ? "allow" :
	    "deny");
	if (mn->router)
		sbuf_puts(sb, "\tmobile-router\n");
	for (i = 0; i < mn->nmnp; i++) {
		sbuf_puts(sb, "\tmobile-network-prefix ");
		put_prefix(sb, &mn->mnp[i]);
		sbuf_putc(sb, '\n');
	}
	if (mn->spi != 0)
		sbuf_printf(sb, "\tspi %u\n", mn->spi);
	if (mn->keylen > 0) {
		sbuf_puts(sb, "\tkey \"");
		sbuf_hex(sb, mn->key, mn->keylen);
		sbuf_puts(sb, "\"\n");
	}
	if (mn->idlen > 0) {
		sbuf_puts(sb, "\tidentifier ");
		put_quoted(sb, mn->id, mn->idlen);
		sbuf_putc(sb, '\n');
	}
	if (mn->v4hoa.s_addr != 0) {
		sbuf_puts(sb, "\tipv4-home-address ");
		put_addr4(sb, &mn->v4hoa);
		sbuf_putc(sb, '\n');
	}
	if (mn->v4pfx_plen != 0) {
		sbuf_puts(sb, "\tipv4-prefix ");
		put_addr4(sb, &mn->v4pfx);
		sbuf_printf(sb, "/%u\n", mn->v4pfx_plen);
	}
	sbuf_puts(sb, "}\n");
}

static void
print_all(struct sbuf *sb, const struct had_conf *c, bool keys)
{
	size_t i;

	for (i = 0; i < c->niface; i++)
		sbuf_printf(sb, "interface %s%s\n", c->iface[i].name,
		    c->iface[i].home_link ? " home-link" : "");
	print_prefixes(sb, c);
	print_globals(sb, c);
	for (i = 0; i < c->nmn; i++)
		print_mn(sb, &c->mn[i]);
	for (i = 0; i < c->nsa; i++)
		espsa_print(sb, &c->sa[i], keys);
}

void
had_conf_print(struct sbuf *sb, const struct had_conf *c)
{
	print_all(sb, c, true);
}

void
had_conf_print_public(struct sbuf *sb, const struct had_conf *c)
{
	print_all(sb, c, false);
}

size_t
had_conf_print_size(const struct had_conf *c)
{
	/* Globals and interfaces fit in 4 KiB; a prefix block in 128
	   bytes; a mobile node block in 64 per prefix plus its key, its
	   identifier (escaped, so twice) and 256 for the rest. */
	return 4096 + c->niface * 32 + c->nprefix * 128 + c->nsa * 384 +
	    c->nmn * (320 + HAD_MNP_MAX * 64 + 2 * HAD_KEY_MAX +
	    2 * HAD_ID_MAX);
}
