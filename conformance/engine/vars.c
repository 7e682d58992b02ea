/*
 * vars.c - variables and their expansion (see vars.h).
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "vars.h"

void
vars_init(struct vars *vs)
{
	vs->n = 0;
	vs->v = NULL;
}

void
vars_free(struct vars *vs)
{
	size_t i;

	for (i = 0; i < vs->n; i++) {
		free(vs->v[i].name);
		free(vs->v[i].val);
	}
	free(vs->v);
	vars_init(vs);
}

static struct var *
find(const struct vars *vs, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < vs->n; i++)
		if (strlen(vs->v[i].name) == len &&
		    strncmp(vs->v[i].name, name, len) == 0)
			return &vs->v[i];
	return NULL;
}

void
vars_set(struct vars *vs, const char *name, const char *val)
{
	struct var *v = find(vs, name, strlen(name));

	if (v != NULL) {
		free(v->val);
		v->val = xstrdup(val);
		return;
	}
	v = xgrow(&vs->v, &vs->n, sizeof(*v));
	v->name = xstrdup(name);
	v->val = xstrdup(val);
}

const char *
vars_get(const struct vars *vs, const char *name)
{
	struct var *v = find(vs, name, strlen(name));

	return v != NULL ? v->val : NULL;
}

void
vars_copy(struct vars *dst, const struct vars *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		vars_set(dst, src->v[i].name, src->v[i].val);
}

bool
vars_has_ref(const char *s)
{
	return strchr(s, '$') != NULL;
}

static bool
name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

bool
vars_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (i = 1; i < n; i++)
		if (!name_char(s[i]) && !(s[i] == '.' && i + 1 < n &&
		    name_char(s[i + 1])))
			return false;
	return true;
}

/* Length of the name at s: letters, digits, _ and dots between them. */
static size_t
name_len(const char *s)
{
	size_t n = 0;

	if (!(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	while (name_char(s[n]) || (s[n] == '.' && name_char(s[n + 1])))
		n++;
	return n;
}

struct sink {
	char	*out;
	size_t	 cap, len;
	bool	 overflow;
};

static void
put(struct sink *k, const char *s, size_t n)
{
	if (k->len + n >= k->cap) {
		k->overflow = true;
		return;
	}
	memcpy(k->out + k->len, s, n);
	k->len += n;
	k->out[k->len] = '\0';
}

/* Expand references only; arithmetic is applied by the caller. */
static bool
substitute(const struct vars *vs, const char *in, struct sink *k, char *err,
    size_t errcap)
{
	while (*in != '\0') {
		const char *name;
		size_t n;
		struct var *v;

		if (*in != '$') {
			put(k, in++, 1);
			continue;
		}
		if (in[1] == '{') {
			name = in + 2;
			n = name_len(name);
			if (n == 0 || name[n] != '}')
				goto bad;
			in = name + n + 1;
		} else {
			name = in + 1;
			if ((n = name_len(name)) == 0)
				goto bad;
			in = name + n;
		}
		if ((v = find(vs, name, n)) == NULL) {
			snprintf(err, errcap, "unknown variable $%.*s", (int)n,
			    name);
			return false;
		}
		put(k, v->val, strlen(v->val));
		continue;
bad:
		snprintf(err, errcap, "bad variable reference in '%s'", in);
		return false;
	}
	if (k->overflow) {
		snprintf(err, errcap, "expanded value longer than %zu", k->cap);
		return false;
	}
	return true;
}

/* A term is a reference, or a literal up to the next + or -. */
static const char *
term_end(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '$' && s[1] == '{') {
			const char *c = strchr(s, '}');

			if (c == NULL)
				return s + strlen(s);
			s = c;
			continue;
		}
		if (*s == '+' || *s == '-')
			return s;
	}
	return s;
}

static bool
arith(const struct vars *vs, const char *in, char *out, size_t cap,
    char *err, size_t errcap)
{
	uint64_t total = 0;
	char op = '+';

	for (;;) {
		const char *end = term_end(in);
		char term[VAR_VALUE_MAX], val[VAR_VALUE_MAX];
		struct sink k = { val, sizeof(val), 0, false };
		uint64_t n;

		const char *b = in, *z = end;

		while (b < z && (*b == ' ' || *b == '\t'))
			b++;
		while (z > b && (z[-1] == ' ' || z[-1] == '\t'))
			z--;
		if ((size_t)(z - b) >= sizeof(term))
			goto toolong;
		memcpy(term, b, (size_t)(z - b));
		term[z - b] = '\0';
		val[0] = '\0';
		if (!substitute(vs, term, &k, err, errcap))
			return false;
		if (!parse_u64(val, &n)) {
			snprintf(err, errcap, "%s: '%s' is not a number", in,
			    val);
			return false;
		}
		if (op == '+')
			total += n;
		else if (n > total) {
			snprintf(err, errcap, "%s: negative result", in);
			return false;
		} else
			total -= n;
		if (*end == '\0')
			break;
		op = *end;
		in = end + 1;
	}
	snprintf(out, cap, "%" PRIu64, total);
	return true;
toolong:
	snprintf(err, errcap, "term too long in '%s'", in);
	return false;
}

bool
vars_expand(const struct vars *vs, const char *in, char *out, size_t cap,
    char *err, size_t errcap)
{
	struct sink k = { out, cap, 0, false };

	if (cap > 0)
		out[0] = '\0';
	if (!vars_has_ref(in)) {
		put(&k, in, strlen(in));
		if (k.overflow)
			snprintf(err, errcap, "value longer than %zu", cap);
		return !k.overflow;
	}
	if (*term_end(in) != '\0')
		return arith(vs, in, out, cap, err, errcap);
	return substitute(vs, in, &k, err, errcap);
}
