/*
 * stack/cnd/cnd_conf.c - cnd.conf(5): a flat, line-oriented grammar, one
 * statement per line ("keyword value", an optional ";" at the end, "#"
 * comments), parsed through one table of statements; the checks across
 * statements; the printer of the normalised text.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packets/rr.h"
#include "stack/cnd/cnd_conf.h"

#define WORDS_MAX	4
#define LINE_MAX_LEN	512

void
cnd_conf_init(struct cnd_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->max_bindings = 1024;
	c->max_lifetime = CND_MAX_RR_BINDING_LIFETIME;
	c->nonce_lifetime = CND_MAX_NONCE_LIFETIME;
	c->token_lifetime = CND_MAX_TOKEN_LIFETIME;
	c->kcn_lifetime = 3600;
	c->rate_be = 10;
	snprintf(c->bus, sizeof(c->bus), "%s", CND_DEFAULT_BUS);
	snprintf(c->control, sizeof(c->control), "%s", CND_DEFAULT_CONTROL);
	snprintf(c->state_dir, sizeof(c->state_dir), "%s",
	    CND_DEFAULT_STATE_DIR);
	snprintf(c->user, sizeof(c->user), "nobody");
}

static int cerr(char *, size_t, const char *, unsigned, const char *, ...)
    __attribute__((format(printf, 5, 6)));

static int
cerr(char *err, size_t errlen, const char *name, unsigned line,
    const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (errlen > 0)
		snprintf(err, errlen, "%s:%u: %s", name, line, msg);
	return -1;
}

/* ------------------------------------------------------------ values */

enum val_kind { V_UINT, V_PATH, V_NAME, V_IFACE };

struct stmt {
	const char	*kw;
	enum val_kind	 kind;
	size_t		 off;		/* in struct cnd_conf */
	size_t		 cap;		/* V_PATH, V_NAME: buffer size */
	uint32_t	 min, max;	/* V_UINT */
};

#define U(kw, f, lo, hi) \
	{ kw, V_UINT, offsetof(struct cnd_conf, f), 0, lo, hi }
#define S(kw, k, f) \
	{ kw, k, offsetof(struct cnd_conf, f), \
	  sizeof(((struct cnd_conf *)0)->f), 0, 0 }

static const struct stmt stmts[] = {
	{ "interface", V_IFACE, 0, 0, 0, 0 },
	U("max-bindings", max_bindings, 1, 1u << 20),
	U("max-binding-lifetime", max_lifetime, 4,
	    CND_MAX_RR_BINDING_LIFETIME),
	U("nonce-lifetime", nonce_lifetime, 2, CND_MAX_NONCE_LIFETIME),
	U("token-lifetime", token_lifetime, 1, CND_MAX_TOKEN_LIFETIME),
	U("kcn-lifetime", kcn_lifetime, 60, 86400),
	U("binding-error-rate", rate_be, 0, 10000),
	S("bus", V_PATH, bus),
	S("control-socket", V_PATH, control),
	S("state-dir", V_PATH, state_dir),
	S("user", V_NAME, user),
};

#undef U
#undef S

static int
set_uint(const struct stmt *s, const char *w, void *field)
{
	unsigned long long v;
	char *end;
	uint32_t u;

	errno = 0;
	v = strtoull(w, &end, 10);
	if (*w < '0' || *w > '9' || *end != '\0' || errno != 0 ||
	    v < s->min || v > s->max)
		return -1;
	u = (uint32_t)v;
	memcpy(field, &u, sizeof(u));
	return 0;
}

static int
add_iface(struct cnd_conf *c, const char *w, char *err, size_t errlen,
    const char *name, unsigned line)
{
	size_t i;

	if (strlen(w) >= IF_NAMESIZE)
		return cerr(err, errlen, name, line,
		    "interface name %s is longer than %d bytes", w,
		    IF_NAMESIZE - 1);
	for (i = 0; i < c->niface; i++)
		if (strcmp(c->iface[i], w) == 0)
			return cerr(err, errlen, name, line,
			    "interface %s given twice", w);
	if (c->niface == CND_IFACE_MAX)
		return cerr(err, errlen, name, line,
		    "more than %d interfaces", CND_IFACE_MAX);
	snprintf(c->iface[c->niface++], IF_NAMESIZE, "%s", w);
	return 0;
}

static int
apply(struct cnd_conf *c, const struct stmt *s, const char *w, char *err,
    size_t errlen, const char *name, unsigned line)
{
	char *field = (char *)c + s->off;

	switch (s->kind) {
	case V_IFACE:
		return add_iface(c, w, err, errlen, name, line);
	case V_UINT:
		if (set_uint(s, w, field) < 0)
			return cerr(err, errlen, name, line,
			    "%s: expected a number from %u to %u, found \"%s\"",
			    s->kw, s->min, s->max, w);
		return 0;
	case V_PATH:
		if (w[0] != '/')
			return cerr(err, errlen, name, line,
			    "%s must be an absolute path", s->kw);
		/* FALLTHROUGH */
	case V_NAME:
		if (strlen(w) >= s->cap)
			return cerr(err, errlen, name, line,
			    "%s is longer than %zu bytes", s->kw, s->cap - 1);
		memcpy(field, w, strlen(w) + 1);
		return 0;
	}
	return -1;
}

/* ------------------------------------------------------------ lines */

/*
 * Split one line into words: "#" starts a comment, a ";" ends the
 * statement (alone or glued to the last word; nothing may follow it).
 * Returns the word count, or -1 with a message.
 */
static int
split(char *line, char *w[WORDS_MAX], const char **why)
{
	int n = 0;
	char *p = line, *semi;

	if ((p = strchr(line, '#')) != NULL)
		*p = '\0';
	if ((semi = strchr(line, ';')) != NULL) {
		if (strspn(semi + 1, " \t\r") != strlen(semi + 1)) {
			*why = "text after \";\"";
			return -1;
		}
		*semi = '\0';
	}
	for (p = strtok(line, " \t\r"); p != NULL; p = strtok(NULL, " \t\r")) {
		if (n == WORDS_MAX) {
			*why = "too many words";
			return -1;
		}
		w[n++] = p;
	}
	if (n == 0 && semi != NULL) {
		*why = "empty statement";
		return -1;
	}
	return n;
}

static int
statement(struct cnd_conf *c, char *w[], int n, char *err, size_t errlen,
    const char *name, unsigned line)
{
	size_t i;

	for (i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++) {
		if (strcmp(stmts[i].kw, w[0]) != 0)
			continue;
		if (n != 2)
			return cerr(err, errlen, name, line,
			    "%s takes exactly one value", w[0]);
		return apply(c, &stmts[i], w[1], err, errlen, name, line);
	}
	return cerr(err, errlen, name, line, "unknown statement \"%s\"", w[0]);
}

int
cnd_conf_parse(struct cnd_conf *c, const char *name, const char *text,
    size_t len, char *err, size_t errlen)
{
	const char *p = text, *end = text + len, *nl;
	unsigned line = 0;

	cnd_conf_init(c);
	while (p < end) {
		char buf[LINE_MAX_LEN], *w[WORDS_MAX];
		const char *why = NULL;
		size_t n;
		int nw;

		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl != NULL ? nl : end) - p);
		if (n >= sizeof(buf))
			return cerr(err, errlen, name, line, "line too long");
		memcpy(buf, p, n);
		buf[n] = '\0';
		p = nl != NULL ? nl + 1 : end;
		if (strlen(buf) != n)
			return cerr(err, errlen, name, line, "NUL byte");
		if ((nw = split(buf, w, &why)) < 0)
			return cerr(err, errlen, name, line, "%s", why);
		if (nw > 0 && statement(c, w, nw, err, errlen, name, line) < 0)
			return -1;
	}
	return 0;
}

int
cnd_conf_check(const struct cnd_conf *c, char *err, size_t errlen)
{
	uint32_t interval;

	if (c->niface == 0) {
		snprintf(err, errlen, "no interface configured");
		return -1;
	}
	/*
	 * RFC 6275 §5.2.7: a nonce is handed out for nonce - token seconds
	 * and accepted for nonce seconds, so a token stays usable for at
	 * least token seconds; the table keeps RR_NONCE_SLOTS nonces.
	 */
	if (c->token_lifetime >= c->nonce_lifetime) {
		snprintf(err, errlen, "token-lifetime (%u) must be less than "
		    "nonce-lifetime (%u)", c->token_lifetime,
		    c->nonce_lifetime);
		return -1;
	}
	interval = c->nonce_lifetime - c->token_lifetime;
	if (c->nonce_lifetime / interval > RR_NONCE_SLOTS) {
		snprintf(err, errlen, "nonce-lifetime / (nonce-lifetime - "
		    "token-lifetime) must be at most %d (a new nonce every "
		    "%u s would need more nonce slots)", RR_NONCE_SLOTS,
		    interval);
		return -1;
	}
	/* One previous Kcn is kept: it must outlive its nonces. */
	if (c->kcn_lifetime <= c->nonce_lifetime) {
		snprintf(err, errlen, "kcn-lifetime (%u) must exceed "
		    "nonce-lifetime (%u)", c->kcn_lifetime, c->nonce_lifetime);
		return -1;
	}
	return 0;
}

void
cnd_conf_print(struct sbuf *sb, const struct cnd_conf *c)
{
	size_t i;

	sbuf_puts(sb, "# cnd.conf (normalised)\n");
	for (i = 0; i < c->niface; i++)
		sbuf_printf(sb, "interface %s;\n", c->iface[i]);
	sbuf_printf(sb, "max-bindings %u;\n", c->max_bindings);
	sbuf_printf(sb, "max-binding-lifetime %u;\n", c->max_lifetime);
	sbuf_printf(sb, "nonce-lifetime %u;\n", c->nonce_lifetime);
	sbuf_printf(sb, "token-lifetime %u;\n", c->token_lifetime);
	sbuf_printf(sb, "kcn-lifetime %u;\n", c->kcn_lifetime);
	sbuf_printf(sb, "binding-error-rate %u;\n", c->rate_be);
	sbuf_printf(sb, "bus %s;\n", c->bus);
	sbuf_printf(sb, "control-socket %s;\n", c->control);
	sbuf_printf(sb, "state-dir %s;\n", c->state_dir);
	sbuf_printf(sb, "user %s;\n", c->user);
}
