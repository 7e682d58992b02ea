/*
 * stack/mdd/mdd_conf.c - mdd.conf(5): a line-oriented parser into struct
 * mdd_conf and the printer of the normalised text (which the parser reads
 * back into an identical struct).
 *
 * Grammar: statements of words separated by blanks, each ended by ";" or
 * the end of its line; "#" comments to the end of the line.  The words of
 * mdd.conf never hold blanks (interface names, prefixes, absolute paths),
 * so there are no quoted strings.  Errors are "NAME:LINE: expected WHAT
 * after STATEMENT, found TOKEN", as in had.conf(5).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packets/sbuf.h"
#include "stack/lib/bus.h"
#include "stack/lib/readfile.h"
#include "stack/mdd/mdd_conf.h"

#define WORDS_MAX	8		/* words in one statement */
#define CONF_FILE_MAX	(1u << 20)

/* One statement being parsed. */
struct stmt {
	const char	*name;		/* file name, for errors */
	unsigned	 line;
	size_t		 n, pos;	/* words, next word */
	char		 w[WORDS_MAX][128];
	char		*err;
	size_t		 errlen;
};

enum seen_bit {
	SEEN_OPTIMISTIC = 1, SEEN_LOSS = 2, SEEN_INTERVAL = 4, SEEN_BUS = 8,
	SEEN_CONTROL = 16, SEEN_USER = 32, SEEN_HOLD = 64
};

void
mdd_conf_init(struct mdd_conf *c)
{
	memset(c, 0, sizeof *c);
	c->optimistic_dad = true;
	c->ra_loss_intervals = 3;
	c->ra_interval_default_ms = 10000;
	c->nud_hold_down_ms = 10000;
	snprintf(c->bus, sizeof c->bus, "%s", MIP6_BUS_PATH);
	snprintf(c->control, sizeof c->control, "%s", "/run/mip6kit/mdd.sock");
	snprintf(c->user, sizeof c->user, "%s", "nobody");
}

static int serr(struct stmt *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static int
serr(struct stmt *s, const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(s->err, s->errlen, "%s:%u: %s", s->name, s->line, msg);
	return -1;
}

/* "expected WHAT after KW, found X" for the word at pos (or the end). */
static int
expected(struct stmt *s, const char *what)
{
	if (s->pos < s->n)
		return serr(s, "expected %s after %s, found \"%s\"", what,
		    s->w[s->pos - 1], s->w[s->pos]);
	return serr(s, "expected %s after %s, found end of statement", what,
	    s->w[s->pos - 1]);
}

static const char *
next_word(struct stmt *s)
{
	return s->pos < s->n ? s->w[s->pos++] : NULL;
}

static int
arg_uint(struct stmt *s, unsigned long min, unsigned long max, unsigned *out)
{
	char what[64];
	const char *w = s->pos < s->n ? s->w[s->pos] : NULL;
	unsigned long v;
	char *end;

	snprintf(what, sizeof what, "a number from %lu to %lu", min, max);
	if (w == NULL || *w < '0' || *w > '9')
		return expected(s, what);
	errno = 0;
	v = strtoul(w, &end, 10);
	if (*end != '\0' || errno != 0 || v < min || v > max)
		return expected(s, what);
	s->pos++;
	*out = (unsigned)v;
	return 0;
}

static int
arg_path(struct stmt *s, char *out, size_t cap)
{
	const char *w = s->pos < s->n ? s->w[s->pos] : NULL;

	if (w == NULL || w[0] != '/' || strlen(w) >= cap)
		return expected(s, "an absolute path");
	memcpy(out, w, strlen(w) + 1);
	s->pos++;
	return 0;
}

/* "ADDR/LEN" with no bits set beyond LEN. */
static int
arg_prefix(struct stmt *s, struct in6_addr *addr, uint8_t *plen)
{
	const char *w = s->pos < s->n ? s->w[s->pos] : NULL;
	char a[128], *slash, *end;
	unsigned long n;

	if (w == NULL || (slash = strchr(w, '/')) == NULL ||
	    (size_t)(slash - w) >= sizeof a)
		return expected(s, "a prefix");
	memcpy(a, w, (size_t)(slash - w));
	a[slash - w] = '\0';
	n = strtoul(slash + 1, &end, 10);
	if (slash[1] < '0' || slash[1] > '9' || *end != '\0' || n > 128 ||
	    inet_pton(AF_INET6, a, addr) != 1)
		return expected(s, "a prefix");
	for (unsigned i = (unsigned)n; i < 128; i++)
		if (addr->s6_addr[i / 8] & (0x80u >> (i % 8)))
			return serr(s, "prefix %s has bits set beyond /%lu", w,
			    n);
	*plen = (uint8_t)n;
	s->pos++;
	return 0;
}

static int
once(struct stmt *s, uint32_t *seen, uint32_t bit)
{
	if (*seen & bit)
		return serr(s, "%s given twice", s->w[0]);
	*seen |= bit;
	return 0;
}

static int
st_interface(struct stmt *s, struct mdd_conf *c)
{
	const char *name = next_word(s);
	size_t k = c->niface;

	if (name == NULL || strlen(name) >= IF_NAMESIZE)
		return expected(s, "an interface name");
	for (size_t i = 0; i < c->niface; i++)
		if (strcmp(c->iface[i].name, name) == 0)
			return serr(s, "interface %s given twice", name);
	if (k >= MD_IFACE_MAX)
		return serr(s, "more than %d interfaces", MD_IFACE_MAX);
	snprintf(c->iface[k].name, sizeof c->iface[k].name, "%s", name);
	c->iface[k].preference = MDD_PREF_DEFAULT;
	if (s->pos < s->n && strcmp(s->w[s->pos], "preference") == 0) {
		s->pos++;
		if (arg_uint(s, 0, 65535, &c->iface[k].preference) < 0)
			return -1;
	}
	c->niface++;
	return 0;
}

static int
st_home_prefix(struct stmt *s, struct mdd_conf *c)
{
	struct in6_addr a;
	uint8_t plen = 0;

	if (arg_prefix(s, &a, &plen) < 0)
		return -1;
	for (size_t i = 0; i < c->nhome; i++)
		if (c->home[i].plen == plen &&
		    memcmp(&c->home[i].addr, &a, sizeof a) == 0)
			return serr(s, "home-prefix %s given twice",
			    s->w[s->pos - 1]);
	if (c->nhome >= MD_HOME_MAX)
		return serr(s, "more than %d home prefixes", MD_HOME_MAX);
	c->home[c->nhome].addr = a;
	c->home[c->nhome].plen = plen;
	c->nhome++;
	return 0;
}

static int
st_global(struct stmt *s, struct mdd_conf *c, uint32_t *seen)
{
	const char *kw = s->w[0];

	if (strcmp(kw, "optimistic-dad") == 0) {
		const char *v = next_word(s);

		if (once(s, seen, SEEN_OPTIMISTIC) < 0)
			return -1;
		if (v == NULL || (strcmp(v, "yes") && strcmp(v, "no"))) {
			s->pos -= v != NULL;
			return expected(s, "yes or no");
		}
		c->optimistic_dad = v[0] == 'y';
		return 0;
	}
	if (strcmp(kw, "ra-loss-intervals") == 0)
		return once(s, seen, SEEN_LOSS) < 0 ? -1 :
		    arg_uint(s, 1, 100, &c->ra_loss_intervals);
	if (strcmp(kw, "ra-interval-default") == 0)
		return once(s, seen, SEEN_INTERVAL) < 0 ? -1 :
		    arg_uint(s, 10, 3600000, &c->ra_interval_default_ms);
	if (strcmp(kw, "nud-hold-down") == 0)
		return once(s, seen, SEEN_HOLD) < 0 ? -1 :
		    arg_uint(s, 0, 3600000, &c->nud_hold_down_ms);
	if (strcmp(kw, "bus") == 0)
		return once(s, seen, SEEN_BUS) < 0 ? -1 :
		    arg_path(s, c->bus, sizeof c->bus);
	if (strcmp(kw, "control-socket") == 0)
		return once(s, seen, SEEN_CONTROL) < 0 ? -1 :
		    arg_path(s, c->control, sizeof c->control);
	if (strcmp(kw, "user") == 0) {
		const char *v = next_word(s);

		if (once(s, seen, SEEN_USER) < 0)
			return -1;
		if (v == NULL || strlen(v) >= sizeof c->user) {
			s->pos -= v != NULL;
			return expected(s, "a user name");
		}
		snprintf(c->user, sizeof c->user, "%s", v);
		return 0;
	}
	return serr(s, "unknown statement \"%s\"", kw);
}

static int
statement(struct stmt *s, struct mdd_conf *c, uint32_t *seen)
{
	int rc;

	s->pos = 1;
	if (strcmp(s->w[0], "interface") == 0)
		rc = st_interface(s, c);
	else if (strcmp(s->w[0], "home-prefix") == 0)
		rc = st_home_prefix(s, c);
	else
		rc = st_global(s, c, seen);
	if (rc == 0 && s->pos < s->n)
		return serr(s, "expected \";\" or end of line after %s, "
		    "found \"%s\"", s->w[0], s->w[s->pos]);
	return rc;
}

/* Split one line into statements (words; ";" ends one) and run them. */
static int
parse_line(struct stmt *s, struct mdd_conf *c, uint32_t *seen,
    const char *p, const char *end)
{
	s->n = 0;
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p >= end || *p == '#' || *p == ';') {
			if (s->n > 0 && statement(s, c, seen) < 0)
				return -1;
			s->n = 0;
			if (p >= end || *p == '#')
				return 0;
			p++;
			continue;
		}
		const char *w = p;

		while (p < end && *p != ' ' && *p != '\t' && *p != '\r' &&
		    *p != ';' && *p != '#')
			p++;
		if (s->n >= WORDS_MAX)
			return serr(s, "statement longer than %d words",
			    WORDS_MAX);
		if ((size_t)(p - w) >= sizeof s->w[0])
			return serr(s, "word longer than %zu bytes",
			    sizeof s->w[0] - 1);
		for (const char *q = w; q < p; q++)
			if ((unsigned char)*q < 0x20 || *q == 0x7f)
				return serr(s, "control character 0x%02x",
				    (unsigned char)*q);
		memcpy(s->w[s->n], w, (size_t)(p - w));
		s->w[s->n][p - w] = '\0';
		s->n++;
	}
}

int
mdd_conf_parse(struct mdd_conf *c, const char *name, const char *text,
    size_t len, char *err, size_t errlen)
{
	struct stmt *s = calloc(1, sizeof *s);
	const char *p = text, *end = text + len;
	uint32_t seen = 0;
	int rc = 0;

	mdd_conf_init(c);
	if (s == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	s->name = name;
	s->err = err;
	s->errlen = errlen;
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl != NULL ? nl : end;

		s->line++;
		rc = parse_line(s, c, &seen, p, eol);
		p = nl != NULL ? nl + 1 : end;
	}
	free(s);
	return rc;
}

int
mdd_conf_load(struct mdd_conf *c, const char *path, char *err, size_t errlen)
{
	size_t len;
	char *text = readfile(path, CONF_FILE_MAX, &len, err, errlen);
	int rc;

	mdd_conf_init(c);
	if (text == NULL)
		return -1;
	rc = mdd_conf_parse(c, path, text, len, err, errlen);
	free(text);
	return rc;
}

int
mdd_conf_check(const struct mdd_conf *c, char *err, size_t errlen)
{
	if (c->niface == 0) {
		snprintf(err, errlen, "no interface statement: mdd watches "
		    "nothing");
		return -1;
	}
	return 0;
}

void
mdd_conf_print(struct sbuf *sb, const struct mdd_conf *c)
{
	char a[IN6_STRLEN];

	sbuf_puts(sb, "# mdd.conf, normalised\n");
	for (size_t i = 0; i < c->niface; i++)
		sbuf_printf(sb, "interface %s preference %u;\n",
		    c->iface[i].name, c->iface[i].preference);
	for (size_t i = 0; i < c->nhome; i++)
		sbuf_printf(sb, "home-prefix %s/%u;\n",
		    in6_fmt(&c->home[i].addr, a), c->home[i].plen);
	sbuf_printf(sb, "optimistic-dad %s;\n",
	    c->optimistic_dad ? "yes" : "no");
	sbuf_printf(sb, "ra-loss-intervals %u;\n", c->ra_loss_intervals);
	sbuf_printf(sb, "ra-interval-default %u;\n",
	    c->ra_interval_default_ms);
	sbuf_printf(sb, "nud-hold-down %u;\n", c->nud_hold_down_ms);
	sbuf_printf(sb, "bus %s;\n", c->bus);
	sbuf_printf(sb, "control-socket %s;\n", c->control);
	sbuf_printf(sb, "user %s;\n", c->user);
}
