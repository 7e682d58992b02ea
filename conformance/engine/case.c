/*
 * case.c - the case language parser (see case.h and mip6conf-case(5)).
 *
 * Line-oriented and hand-written: each line is one statement, a layer line
 * inside a template block, or a line of a spec text block.  Errors name
 * the file and line and say what to write instead; the parser goes on at
 * the next line so one run reports every error of a file.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "field.h"
#include "nut.h"
#include "packets/viol.h"
#include "tmpl.h"
#include "util.h"
#include "vars.h"

#define TOK_MAX		64
#define LINE_MAX_	4096

/* --------------------------------------------------------- roles, caps */

static const struct {
	const char	*name;
	enum role	 role;
} role_names[] = {
	{ "node", ROLE_NODE }, { "ha", ROLE_HA }, { "mn", ROLE_MN },
	{ "mr", ROLE_MR }, { "cn", ROLE_CN },
};

#define NROLES	(sizeof(role_names) / sizeof(role_names[0]))

const char *
role_name(enum role r)
{
	size_t i;

	for (i = 0; i < NROLES; i++)
		if (role_names[i].role == r)
			return role_names[i].name;
	return "?";
}

unsigned
role_parse(const char *s)
{
	size_t i;

	for (i = 0; i < NROLES; i++)
		if (strcmp(role_names[i].name, s) == 0)
			return role_names[i].role;
	return 0;
}

void
roles_fmt(char *buf, size_t cap, unsigned roles)
{
	size_t i, k = 0;

	if (cap > 0)
		buf[0] = '\0';
	for (i = 0; i < NROLES && k < cap; i++)
		if (roles & role_names[i].role)
			k += (size_t)snprintf(buf + k, cap - k, "%s%s",
			    k > 0 ? " " : "", role_names[i].name);
}

/*
 * Capabilities a NUT may claim (issue: DHAAD, mobile prefix discovery,
 * route optimization, NEMO implicit/explicit, DSMIPv6, authentication).
 */
static const char *const caps[] = {
	"dhaad", "mpd", "ro", "nemo-implicit", "nemo-explicit", "dsmip",
	"ipsec", "auth-option", NULL
};

const char *const *
capability_names(void)
{
	return caps;
}

bool
capability_known(const char *s)
{
	size_t i;

	for (i = 0; caps[i] != NULL; i++)
		if (strcmp(caps[i], s) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------ tokenizer */

int
case_tokenize(const char *line, char **tok, int max, char *store, size_t cap,
    char *err, size_t errcap)
{
	size_t k = 0;
	int n = 0;

	for (;;) {
		int depth = 0;
		bool quoted = false;

		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '\0' || (*line == '#' && depth == 0))
			break;
		if (n == max) {
			snprintf(err, errcap, "more than %d words on a line",
			    max);
			return -1;
		}
		tok[n++] = store + k;
		while (*line != '\0' && (depth > 0 || quoted ||
		    (*line != ' ' && *line != '\t'))) {
			char ch = *line++;

			if (quoted && ch == '\\' && (*line == '"' ||
			    *line == '\\'))
				ch = *line++;
			else if (ch == '"') {
				quoted = !quoted;
				continue;
			} else if (!quoted && (ch == '(' || ch == '{'))
				depth++;
			else if (!quoted && (ch == ')' || ch == '}'))
				depth--;
			if (k + 2 >= cap) {
				snprintf(err, errcap, "line too long");
				return -1;
			}
			store[k++] = ch;
		}
		store[k++] = '\0';
		if (quoted) {
			snprintf(err, errcap, "unterminated quote");
			return -1;
		}
		if (depth != 0) {
			snprintf(err, errcap, "unbalanced ( ) or { }");
			return -1;
		}
	}
	return n;
}

/* --------------------------------------------------------------- parser */

enum block {
	B_NONE,
	B_TEXT,
	B_TMPL
};

struct parser {
	struct mcase	*c;
	struct cerr	*e;
	int		 line;
	enum ev_phase	 phase;
	bool		 header;	/* `case` / `responder` seen */
	enum block	 block;
	int		 block_line;
	char		**text;		/* the open text block's target */
	char		*textbuf;	/* lines of the open text block */
	size_t		 textlen;
	int		 tmpl;		/* the open template */
};

#define ERR(ps, ...)	cerr_add((ps)->e, (ps)->c->path, (ps)->line, __VA_ARGS__)

static const char *const role_prefixes[] = {
	"HA-", "MN-", "MR-", "CN-", "DSMIP-", "NEMO-HA-", "NEMO-MR-", NULL
};

static bool
id_ok(const char *id)
{
	size_t i;
	const char *s;

	for (i = 0; role_prefixes[i] != NULL; i++)
		if (str_prefix(id, role_prefixes[i]))
			break;
	if (role_prefixes[i] == NULL || strlen(id) >= CASE_ID_MAX)
		return false;
	for (s = id + strlen(role_prefixes[i]); *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return false;
	return id[strlen(id) - 1] != '-';
}

static bool
name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= CASE_NAME_MAX || !isalpha((unsigned char)s[0]))
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

/* The raw text after the first word of a line, trimmed, unquoted. */
static char *
rest_of_line(const char *raw, const char *word)
{
	const char *s = strstr(raw, word);
	size_t n;

	const char *hash;

	s = s != NULL ? s + strlen(word) : raw;
	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	/* a comment: '#' after white space */
	for (hash = s; (hash = strchr(hash, '#')) != NULL; hash++)
		if (hash > s && isspace((unsigned char)hash[-1])) {
			n = (size_t)(hash - s);
			break;
		}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s++;
		n -= 2;
	}
	return xstrndup(s, n);
}

static void
header_word(struct parser *ps, char **tok, int n, const char *what,
    char *dst, size_t cap)
{
	if (n != 2) {
		ERR(ps, "%s takes one word (%s NAME)", what, what);
		return;
	}
	if (dst[0] != '\0') {
		ERR(ps, "%s given twice", what);
		return;
	}
	str_copy(dst, tok[1], cap);
}

static void
st_case(struct parser *ps, char **tok, int n, bool responder)
{
	struct mcase *c = ps->c;
	char want[CASE_ID_MAX + 8];

	if (ps->header) {
		ERR(ps, "'%s' must be the first statement, and only once",
		    tok[0]);
		return;
	}
	ps->header = true;
	c->responder = responder;
	if (n != 2) {
		ERR(ps, "%s takes one word (%s ID)", tok[0], tok[0]);
		return;
	}
	if (responder) {
		if (!name_ok(tok[1]))
			ERR(ps, "bad responder name '%s'", tok[1]);
		str_copy(c->id, tok[1], sizeof(c->id));
		return;
	}
	if (!id_ok(tok[1])) {
		ERR(ps, "bad case id '%s': want a role prefix (HA-, MN-, MR-, "
		    "CN-, DSMIP-, NEMO-HA-, NEMO-MR-) and letters, digits and "
		    "dashes, e.g. HA-2-1-1", tok[1]);
		return;
	}
	str_copy(c->id, tok[1], sizeof(c->id));
	snprintf(want, sizeof(want), "%s.case", c->id);
	if (strlen(c->file) > 5 && strcmp(c->file + strlen(c->file) - 5,
	    ".case") == 0 && strcmp(c->file, want) != 0)
		ERR(ps, "case %s is in %s: name the file %s", c->id, c->file,
		    want);
}

static void
st_roles(struct parser *ps, char **tok, int n)
{
	int i;
	unsigned r;

	if (n < 2)
		ERR(ps, "role takes one or more of: node ha mn mr cn");
	for (i = 1; i < n; i++) {
		if ((r = role_parse(tok[i])) == 0)
			ERR(ps, "unknown role '%s' (roles: node ha mn mr cn)",
			    tok[i]);
		ps->c->roles |= r;
	}
}

static void
st_requires(struct parser *ps, char **tok, int n)
{
	struct mcase *c = ps->c;
	char **slot;
	int i;

	if (n < 2)
		ERR(ps, "requires takes one or more capabilities");
	for (i = 1; i < n; i++) {
		if (!capability_known(tok[i])) {
			ERR(ps, "unknown capability '%s' (dhaad mpd ro "
			    "nemo-implicit nemo-explicit dsmip ipsec "
			    "auth-option)", tok[i]);
			continue;
		}
		slot = xgrow(&c->requires, &c->nrequires, sizeof(*slot));
		*slot = xstrdup(tok[i]);
	}
}

static void
st_timeout(struct parser *ps, char **tok, int n)
{
	uint64_t v;

	if (n != 2 || !parse_u64(tok[1], &v) || v == 0 || v > 86400) {
		ERR(ps, "timeout takes a number of seconds (1 to 86400)");
		return;
	}
	ps->c->timeout_s = (unsigned)v;
}

static void
st_text(struct parser *ps, char **tok, int n)
{
	struct mcase *c = ps->c;
	char **dst = strcmp(tok[0], "purpose") == 0 ? &c->purpose :
	    strcmp(tok[0], "procedure") == 0 ? &c->procedure : &c->judgement;

	if (n != 1)
		ERR(ps, "%s starts a block: put the text on the next lines and "
		    "close it with 'end'", tok[0]);
	if (*dst != NULL)
		ERR(ps, "%s given twice", tok[0]);
	ps->block = B_TEXT;
	ps->block_line = ps->line;
	ps->text = dst;
	ps->textbuf = NULL;
	ps->textlen = 0;
}

static void
st_set(struct parser *ps, int n, const char *raw)
{
	struct setvar *v;
	const char *eq = strchr(raw, '=');
	char name[CASE_NAME_MAX];
	const char *s;
	size_t k;

	if (n < 2 || eq == NULL) {
		ERR(ps, "set takes NAME = VALUE");
		return;
	}
	for (s = raw; isspace((unsigned char)*s); s++)
		;
	s += 3;		/* "set" */
	while (isspace((unsigned char)*s))
		s++;
	for (k = 0; s < eq && !isspace((unsigned char)*s) && k + 1 <
	    sizeof(name); s++)
		name[k++] = *s;
	name[k] = '\0';
	if (!vars_name_ok(name) || strchr(name, '.') != NULL) {
		ERR(ps, "set: '%s' is not a variable name", name);
		return;
	}
	v = xgrow(&ps->c->sets, &ps->c->nset, sizeof(*v));
	str_copy(v->name, name, sizeof(v->name));
	v->expr = rest_of_line(eq + 1, "");
	v->line = ps->line;
	if (v->expr[0] == '\0')
		ERR(ps, "set %s: the value is missing", name);
	else if (strchr(v->expr, '#') != NULL)
		*strchr(v->expr, '#') = '\0';
}

static void
st_template(struct parser *ps, char **tok, int n, bool pattern)
{
	struct mcase *c = ps->c;
	struct tmpl *t;

	if (n != 2 || !name_ok(tok[1])) {
		ERR(ps, "%s takes a name (%s NAME), then layer lines and 'end'",
		    tok[0], tok[0]);
		return;
	}
	if (case_find_tmpl(c, tok[1]) >= 0)
		ERR(ps, "template '%s' defined twice", tok[1]);
	t = xgrow(&c->tmpls, &c->ntmpl, sizeof(*t));
	str_copy(t->name, tok[1], sizeof(t->name));
	t->line = ps->line;
	t->pattern = pattern;
	ps->block = B_TMPL;
	ps->block_line = ps->line;
	ps->tmpl = (int)c->ntmpl - 1;
}

/* ---------------------------------------------------------- layer lines */

static bool
key_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_' || ch == '-' ||
	    ch == '.';
}

static void
split_alts(struct titem *it, const char *inner)
{
	char *buf = xstrdup(inner), *s, *save = NULL;

	for (s = strtok_r(buf, ",", &save); s != NULL;
	    s = strtok_r(NULL, ",", &save)) {
		char **slot = xgrow(&it->alts, &it->nalt, sizeof(*slot));
		size_t len;

		while (isspace((unsigned char)*s))
			s++;
		len = strlen(s);
		while (len > 0 && isspace((unsigned char)s[len - 1]))
			len--;
		*slot = xstrndup(s, len);
	}
	free(buf);
}

/* One item: "seq=5", "!A", "lifetime<=400s", "status=oneof(0,1)". */
static const char *
parse_item(const char *tok, struct titem *it)
{
	const char *s = tok, *v;
	size_t klen;

	memset(it, 0, sizeof(*it));
	if (*s == '!' && strchr(s, '=') == NULL && strchr(s, '<') == NULL &&
	    strchr(s, '>') == NULL) {
		it->op = TOP_ABSENT;
		s++;
	}
	for (klen = 0; key_char(s[klen]); klen++)
		;
	if (klen == 0)
		return "expected a field name";
	it->key = xstrndup(s, klen);
	s += klen;
	if (it->op == TOP_ABSENT || *s == '\0') {
		if (*s != '\0')
			return "unexpected characters after the name";
		if (it->op != TOP_ABSENT)
			it->op = TOP_SET;
		return NULL;
	}
	if (strncmp(s, "!=", 2) == 0)
		it->op = TOP_NE, v = s + 2;
	else if (strncmp(s, "<=", 2) == 0)
		it->op = TOP_LE, v = s + 2;
	else if (strncmp(s, ">=", 2) == 0)
		it->op = TOP_GE, v = s + 2;
	else if (*s == '<')
		it->op = TOP_LT, v = s + 1;
	else if (*s == '>')
		it->op = TOP_GT, v = s + 1;
	else if (*s == '=')
		it->op = TOP_EQ, v = s + 1;
	else
		return "expected = != < <= > or >= after the name";
	if (*v == '\0')
		return "the value is missing";
	if (it->op == TOP_EQ && strcmp(v, "*") == 0) {
		it->op = TOP_ANY;
		return NULL;
	}
	if (it->op == TOP_EQ && *v == '?') {
		it->op = TOP_CAPTURE;
		it->val = xstrdup(v + 1);
		return NULL;
	}
	if (it->op == TOP_EQ && strncmp(v, "oneof(", 6) == 0) {
		size_t n = strlen(v);

		if (v[n - 1] != ')')
			return "oneof( needs a closing )";
		it->op = TOP_ONEOF;
		it->val = xstrndup(v + 6, n - 7);
		split_alts(it, it->val);
		if (it->nalt == 0)
			return "oneof() needs values";
		return NULL;
	}
	it->val = xstrdup(v);
	return NULL;
}

static void
list_layers(char *buf, size_t cap)
{
	const struct layer_def *const *l;
	size_t k = 0;

	buf[0] = '\0';
	for (l = layer_all(); *l != NULL && k < cap; l++)
		k += (size_t)snprintf(buf + k, cap - k, "%s%s", k > 0 ? " " :
		    "", (*l)->name);
}

static void
st_allow(struct parser *ps, struct tmpl *t, char **tok, int n)
{
	int i, code;

	if (!t->pattern) {
		ERR(ps, "allow applies to expect templates only");
		return;
	}
	if (n < 2)
		ERR(ps, "allow takes violation names (as mip6dump --check "
		    "prints them) or 'all'");
	for (i = 1; i < n; i++) {
		char **slot;

		if (strcmp(tok[i], "all") == 0) {
			t->allow_all = true;
			continue;
		}
		for (code = 1; code < V_COUNT; code++)
			if (strcmp(viol_name((enum viol_code)code), tok[i]) ==
			    0)
				break;
		if (code == V_COUNT) {
			ERR(ps, "allow: unknown violation '%s'", tok[i]);
			continue;
		}
		slot = xgrow(&t->allow, &t->nallow, sizeof(*slot));
		*slot = xstrdup(tok[i]);
	}
}

/*
 * `tolerate` in an expect template: what a NUT may send or not, either
 * being right (an ICMPv6 error for a packet it drops, where dropping in
 * silence is right too), neither taken by an event nor a WARN.  The
 * template needs no event.
 */
static void
st_tolerate(struct parser *ps, struct tmpl *t, int n)
{
	if (!t->pattern)
		ERR(ps, "tolerate applies to expect templates only");
	else if (n != 1)
		ERR(ps, "tolerate takes no arguments");
	t->tolerated = t->used = t->pattern;
}

static void
layer_line(struct parser *ps, char **tok, int n)
{
	struct tmpl *t = &ps->c->tmpls[ps->tmpl];
	const struct layer_def *def = layer_lookup(tok[0]);
	struct tlayer *l;
	const char *msg;
	char list[160];
	int i = 1;

	if (strcmp(tok[0], "allow") == 0) {
		st_allow(ps, t, tok, n);
		return;
	}
	if (strcmp(tok[0], "tolerate") == 0) {
		st_tolerate(ps, t, n);
		return;
	}
	if (def == NULL) {
		list_layers(list, sizeof(list));
		ERR(ps, "unknown layer '%s' (layers: %s)", tok[0], list);
		return;
	}
	l = xgrow(&t->layers, &t->nlayer, sizeof(*l));
	l->def = def;
	l->line = ps->line;
	if (n > 1 && def->word != W_NONE && (def->word == W_MSGTYPE ||
	    strchr(tok[1], '=') == NULL))
		l->word = xstrdup(tok[i++]);
	for (; i < n; i++) {
		struct titem *it = xgrow(&l->items, &l->nitem, sizeof(*it));

		if ((msg = parse_item(tok[i], it)) != NULL) {
			ERR(ps, "'%s': %s", tok[i], msg);
			return;
		}
	}
	if ((msg = tmpl_check_layer(l, t->pattern)) != NULL)
		ERR(ps, "%s", msg);
}

/* ------------------------------------------------------------- timeline */

static bool
is_time_token(const char *s)
{
	return isdigit((unsigned char)s[0]) || s[0] == '+' || s[0] == '*' ||
	    s[0] == '.';
}

static int
tmpl_ref(struct parser *ps, const char *name)
{
	int i = case_find_tmpl(ps->c, name);

	if (i < 0)
		ERR(ps, "no template named '%s' (define it with 'packet %s' "
		    "or 'expect %s' before it is used)", name, name, name);
	else
		ps->c->tmpls[i].used = true;
	return i;
}

/* "NAME", "{A, B}" or "oneof(A, B)" into the event's template list. */
static bool
ev_templates(struct parser *ps, struct event *ev, const char *spec)
{
	struct titem tmp;
	size_t i, n = strlen(spec);
	bool ok = true;

	memset(&tmp, 0, sizeof(tmp));
	if (spec[0] == '{' && spec[n - 1] == '}') {
		char *in = xstrndup(spec + 1, n - 2);

		ev->mode = EVM_SET;
		split_alts(&tmp, in);
		free(in);
	} else if (strncmp(spec, "oneof(", 6) == 0 && spec[n - 1] == ')') {
		char *in = xstrndup(spec + 6, n - 7);

		ev->mode = EVM_ONEOF;
		split_alts(&tmp, in);
		free(in);
	} else {
		ev->mode = EVM_ONE;
		tmp.alts = xmalloc(sizeof(char *));
		tmp.alts[0] = xstrdup(spec);
		tmp.nalt = 1;
	}
	if (tmp.nalt == 0 || tmp.nalt > EV_TMPL_MAX) {
		ERR(ps, "a template set holds 1 to %d templates", EV_TMPL_MAX);
		ok = false;
	}
	for (i = 0; i < tmp.nalt; i++) {
		if (ok && (ev->tmpl[i] = tmpl_ref(ps, tmp.alts[i])) < 0)
			ok = false;
		free(tmp.alts[i]);
	}
	free(tmp.alts);
	ev->ntmpl = ok ? tmp.nalt : 0;
	return ok;
}

static struct event *
new_event(struct parser *ps, enum ev_kind kind)
{
	struct event *ev = xgrow(&ps->c->events, &ps->c->nevent, sizeof(*ev));

	ev->kind = kind;
	ev->phase = ps->phase;
	ev->line = ps->line;
	return ev;
}

static bool
link_word(struct parser *ps, struct event *ev, const char *s)
{
	if (!name_ok(s)) {
		ERR(ps, "'%s' is not a link name", s);
		return false;
	}
	str_copy(ev->link, s, sizeof(ev->link));
	return true;
}

static void
ev_send_expect(struct parser *ps, struct event *ev, char **tok, int n)
{
	size_t i;

	if (n != 4) {
		ERR(ps, "%s takes a link and a template (%s LINK NAME%s)",
		    tok[1], tok[1], ev->kind == EV_EXPECT ? ", {A, B} or "
		    "oneof(A, B)" : "");
		return;
	}
	if (!link_word(ps, ev, tok[2]) || !ev_templates(ps, ev, tok[3]))
		return;
	if (ev->kind == EV_SEND && ev->mode != EVM_ONE)
		ERR(ps, "send takes one template");
	for (i = 0; i < ev->ntmpl && ev->kind == EV_SEND; i++)
		if (ps->c->tmpls[ev->tmpl[i]].pattern)
			ERR(ps, "'%s' is an expect template: send a 'packet' "
			    "template", ps->c->tmpls[ev->tmpl[i]].name);
}

static void
ev_expect_none(struct parser *ps, struct event *ev, char **tok, int n)
{
	if (n != 6 || strcmp(tok[4], "for") != 0) {
		ERR(ps, "expect-none takes LINK NAME for DURATION");
		return;
	}
	if (!link_word(ps, ev, tok[2]) || !ev_templates(ps, ev, tok[3]))
		return;
	if (ev->mode != EVM_ONE)
		ERR(ps, "expect-none takes one template");
	if (!duration_parse(tok[5], &ev->dur_us) || ev->dur_us == 0)
		ERR(ps, "bad duration '%s' (e.g. 2, 1.5, 500ms)", tok[5]);
	if (ev->when.range || ev->when.kind == TIME_ANY)
		ERR(ps, "expect-none starts at a point in time, not a range");
}

static void
ev_nut(struct parser *ps, struct event *ev, char **tok, int n)
{
	const char *why;
	int i;

	if (n < 3) {
		ERR(ps, "nut takes a control verb (nut reset, nut enable ha, "
		    "...)");
		return;
	}
	ev->argv = xcalloc((size_t)(n - 2), sizeof(char *));
	for (i = 2; i < n; i++)
		ev->argv[ev->argc++] = xstrdup(tok[i]);
	if ((why = nut_verb_check(ev->argv, ev->argc)) != NULL)
		ERR(ps, "%s", why);
}

/* T advertise ROUTER|none: the tester's movement (emul.h). */
static void
ev_advertise(struct parser *ps, struct event *ev, char **tok, int n)
{
	if (n != 3) {
		ERR(ps, "advertise takes the emulated router that advertises "
		    "from now on, or none");
		return;
	}
	ev->argv = xcalloc(1, sizeof(char *));
	ev->argv[ev->argc++] = xstrdup(tok[2]);
}

static void
st_event(struct parser *ps, char **tok, int n)
{
	struct event *ev;
	struct ev_time when;
	char err[160];
	enum ev_kind kind;

	if (!time_parse(tok[0], &when, err, sizeof(err))) {
		ERR(ps, "%s", err);
		return;
	}
	if (n < 2) {
		ERR(ps, "a time needs an event: send, expect, expect-none, nut "
		    "or advertise");
		return;
	}
	if (strcmp(tok[1], "send") == 0)
		kind = EV_SEND;
	else if (strcmp(tok[1], "expect") == 0)
		kind = EV_EXPECT;
	else if (strcmp(tok[1], "expect-none") == 0)
		kind = EV_EXPECT_NONE;
	else if (strcmp(tok[1], "nut") == 0)
		kind = EV_NUT;
	else if (strcmp(tok[1], "advertise") == 0)
		kind = EV_ADVERTISE;
	else {
		ERR(ps, "unknown event '%s' (send, expect, expect-none, nut, "
		    "advertise)", tok[1]);
		return;
	}
	ev = new_event(ps, kind);
	ev->when = when;
	if ((kind == EV_SEND || kind == EV_NUT || kind == EV_ADVERTISE) &&
	    when.range)
		ERR(ps, "%s happens at a point in time: a range only applies "
		    "to expect", tok[1]);
	switch (kind) {
	case EV_SEND:
	case EV_EXPECT:
		ev_send_expect(ps, ev, tok, n);
		break;
	case EV_EXPECT_NONE:
		ev_expect_none(ps, ev, tok, n);
		break;
	case EV_ADVERTISE:
		ev_advertise(ps, ev, tok, n);
		break;
	default:
		ev_nut(ps, ev, tok, n);
	}
}

static void
st_sleep(struct parser *ps, char **tok, int n)
{
	struct event *ev;

	if (n != 2) {
		ERR(ps, "sleep takes a duration (sleep 2, sleep 500ms)");
		return;
	}
	ev = new_event(ps, EV_SLEEP);
	ev->when.kind = TIME_REL;
	if (!duration_parse(tok[1], &ev->dur_us))
		ERR(ps, "bad duration '%s' (e.g. 2, 1.5, 500ms)", tok[1]);
}

static void
st_phase(struct parser *ps, char **tok, int n)
{
	struct mcase *c = ps->c;
	size_t i;

	if (n != 1) {
		ERR(ps, "%s stands alone on its line", tok[0]);
		return;
	}
	if (strcmp(tok[0], "focus") == 0) {
		if (c->focus_line != 0 || c->cleanup_line != 0) {
			ERR(ps, "focus comes once, before cleanup");
			return;
		}
		c->focus_line = ps->line;
		/* events so far are the set-up */
		for (i = 0; i < c->nevent; i++)
			c->events[i].phase = PH_INIT;
		ps->phase = PH_TEST;
		return;
	}
	if (c->cleanup_line != 0) {
		ERR(ps, "cleanup given twice");
		return;
	}
	c->cleanup_line = ps->line;
	ps->phase = PH_CLEANUP;
}

/* -------------------------------------------------------- responder */

static void
st_on(struct parser *ps, char **tok, int n)
{
	struct rule *r;
	int64_t d = 0;

	if (!(n == 5 || n == 7) || strcmp(tok[3], "reply") != 0 ||
	    (n == 7 && strcmp(tok[5], "after") != 0)) {
		ERR(ps, "on takes LINK PATTERN reply TEMPLATE [after DURATION]");
		return;
	}
	if (n == 7 && !duration_parse(tok[6], &d)) {
		ERR(ps, "bad duration '%s'", tok[6]);
		return;
	}
	r = xgrow(&ps->c->rules, &ps->c->nrule, sizeof(*r));
	r->line = ps->line;
	str_copy(r->link, tok[1], sizeof(r->link));
	r->match = tmpl_ref(ps, tok[2]);
	r->reply = tmpl_ref(ps, tok[4]);
	r->delay_us = d;
	if (r->match >= 0 && !ps->c->tmpls[r->match].pattern)
		ERR(ps, "on: '%s' must be an expect template", tok[2]);
	if (r->reply >= 0 && ps->c->tmpls[r->reply].pattern)
		ERR(ps, "reply: '%s' must be a packet template", tok[4]);
}

static void
st_at(struct parser *ps, char **tok, int n)
{
	struct ev_time t;
	struct rule *r;
	char err[160];

	if (n != 5 || strcmp(tok[2], "emit") != 0) {
		ERR(ps, "at takes TIME emit LINK TEMPLATE");
		return;
	}
	if (!time_parse(tok[1], &t, err, sizeof(err)) ||
	    t.kind != TIME_ABS || t.range) {
		ERR(ps, "at takes an absolute time (at 0.5 emit ...)");
		return;
	}
	r = xgrow(&ps->c->rules, &ps->c->nrule, sizeof(*r));
	r->line = ps->line;
	r->at = true;
	r->when_us = t.lo_us;
	str_copy(r->link, tok[3], sizeof(r->link));
	r->match = -1;
	r->reply = tmpl_ref(ps, tok[4]);
	if (r->reply >= 0 && ps->c->tmpls[r->reply].pattern)
		ERR(ps, "emit: '%s' must be a packet template", tok[4]);
}

/* ----------------------------------------------------------- dispatch */

/* Statements of a case file that a responder file does not have. */
static const char *const case_words[] = {
	"title", "rfc", "topology", "role", "requires", "timeout", "purpose",
	"procedure", "judgement", "focus", "cleanup", "sleep", NULL
};

static bool
case_only(struct parser *ps, const char *w)
{
	size_t i;

	if (!ps->c->responder)
		return false;
	for (i = 0; case_words[i] != NULL; i++)
		if (strcmp(case_words[i], w) == 0)
			break;
	if (case_words[i] == NULL && !is_time_token(w))
		return false;
	ERR(ps, "'%s' does not apply to a responder file (it has on and at "
	    "rules)", w);
	return true;
}

static void
statement(struct parser *ps, char **tok, int n, const char *raw)
{
	struct mcase *c = ps->c;
	const char *w = tok[0];
	char **slot;

	if (!ps->header && strcmp(w, "case") != 0 &&
	    strcmp(w, "responder") != 0) {
		ERR(ps, "a case file starts with 'case ID' (a responder file "
		    "with 'responder NAME')");
		ps->header = true;
	}
	if (case_only(ps, w))
		return;
	if (strcmp(w, "case") == 0 || strcmp(w, "responder") == 0)
		st_case(ps, tok, n, w[0] == 'r');
	else if (strcmp(w, "tahi") == 0)
		header_word(ps, tok, n, "tahi", c->tahi, sizeof(c->tahi));
	else if (strcmp(w, "title") == 0) {
		if (c->title != NULL)
			ERR(ps, "title given twice");
		free(c->title);
		c->title = rest_of_line(raw, "title");
	} else if (strcmp(w, "rfc") == 0) {
		slot = xgrow(&c->rfc, &c->nrfc, sizeof(*slot));
		*slot = rest_of_line(raw, "rfc");
	} else if (strcmp(w, "topology") == 0)
		header_word(ps, tok, n, "topology", c->topology,
		    sizeof(c->topology));
	else if (strcmp(w, "role") == 0)
		st_roles(ps, tok, n);
	else if (strcmp(w, "requires") == 0)
		st_requires(ps, tok, n);
	else if (strcmp(w, "timeout") == 0)
		st_timeout(ps, tok, n);
	else if (strcmp(w, "purpose") == 0 || strcmp(w, "procedure") == 0 ||
	    strcmp(w, "judgement") == 0)
		st_text(ps, tok, n);
	else if (strcmp(w, "set") == 0)
		st_set(ps, n, raw);
	else if (strcmp(w, "packet") == 0 || strcmp(w, "expect") == 0)
		st_template(ps, tok, n, w[0] == 'e');
	else if (strcmp(w, "focus") == 0 || strcmp(w, "cleanup") == 0)
		st_phase(ps, tok, n);
	else if (strcmp(w, "sleep") == 0)
		st_sleep(ps, tok, n);
	else if (is_time_token(w))
		st_event(ps, tok, n);
	else if (strcmp(w, "on") == 0 && c->responder)
		st_on(ps, tok, n);
	else if (strcmp(w, "at") == 0 && c->responder)
		st_at(ps, tok, n);
	else if (strcmp(w, "end") == 0)
		ERR(ps, "'end' without a block to close");
	else
		ERR(ps, "unknown statement '%s'", w);
}

/* ---------------------------------------------------------- text blocks */

static void
text_append(struct parser *ps, const char *raw)
{
	size_t n = strlen(raw);

	ps->textbuf = xrealloc(ps->textbuf, ps->textlen + n + 2);
	memcpy(ps->textbuf + ps->textlen, raw, n);
	ps->textlen += n;
	ps->textbuf[ps->textlen++] = '\n';
	ps->textbuf[ps->textlen] = '\0';
}

/* Remove the indentation common to every non-blank line, and blank lines
 * at the start and end. */
static char *
text_finish(const char *buf)
{
	size_t indent = SIZE_MAX, n, k = 0;
	const char *s, *line;
	char *out;

	if (buf == NULL)
		return xstrdup("");
	for (line = buf; *line != '\0'; line = strchr(line, '\n') + 1) {
		for (n = 0; line[n] == ' ' || line[n] == '\t'; n++)
			;
		if (line[n] != '\n' && n < indent)
			indent = n;
	}
	if (indent == SIZE_MAX)
		indent = 0;
	out = xmalloc(strlen(buf) + 1);
	for (line = buf; *line != '\0'; line = s + 1) {
		s = strchr(line, '\n');
		n = (size_t)(s - line);
		if (n >= indent) {
			memcpy(out + k, line + indent, n - indent);
			k += n - indent;
		}
		out[k++] = '\n';
	}
	while (k > 0 && out[k - 1] == '\n')
		k--;
	out[k] = '\0';
	n = strspn(out, "\n");
	memmove(out, out + n, k - n + 1);
	return out;
}

static bool
is_end(const char *raw)
{
	while (isspace((unsigned char)*raw))
		raw++;
	if (strncmp(raw, "end", 3) != 0)
		return false;
	raw += 3;
	while (isspace((unsigned char)*raw))
		raw++;
	return *raw == '\0' || *raw == '#';
}

static void
block_line(struct parser *ps, const char *raw, char **tok, int n)
{
	struct tmpl *t;

	if (ps->block == B_TEXT) {
		if (is_end(raw)) {
			*ps->text = text_finish(ps->textbuf);
			free(ps->textbuf);
			ps->textbuf = NULL;
			ps->block = B_NONE;
		} else
			text_append(ps, raw);
		return;
	}
	if (n == 0)
		return;
	if (n == 1 && strcmp(tok[0], "end") == 0) {
		t = &ps->c->tmpls[ps->tmpl];
		if (t->nlayer == 0)
			ERR(ps, "template '%s' has no layers", t->name);
		ps->block = B_NONE;
		return;
	}
	layer_line(ps, tok, n);
}

/* ------------------------------------------------------------- checks */

static void
final_checks(struct parser *ps)
{
	struct mcase *c = ps->c;
	size_t i;

	ps->line = ps->block_line;
	if (ps->block == B_TEXT)
		ERR(ps, "text block not closed with 'end'");
	else if (ps->block == B_TMPL)
		ERR(ps, "template '%s' not closed with 'end'",
		    c->tmpls[ps->tmpl].name);
	ps->line = 1;
	if (!ps->header)
		ERR(ps, "empty file: a case starts with 'case ID'");
	if (c->responder) {
		if (c->nrule == 0)
			ERR(ps, "the responder has no 'on' or 'at' rules");
		return;
	}
	if (c->title == NULL)
		ERR(ps, "missing 'title'");
	if (c->nrfc == 0)
		ERR(ps, "missing 'rfc' (the clause the case tests)");
	if (c->topology[0] == '\0')
		ERR(ps, "missing 'topology'");
	if (c->roles == 0)
		ERR(ps, "missing 'role' (node ha mn mr cn)");
	if (c->purpose == NULL || c->procedure == NULL ||
	    c->judgement == NULL)
		ERR(ps, "missing spec text: every case has purpose, procedure "
		    "and judgement blocks");
	if (c->nevent == 0)
		ERR(ps, "the case has no timeline");
	for (i = 0; i < c->ntmpl; i++)
		if (!c->tmpls[i].used) {
			ps->line = c->tmpls[i].line;
			ERR(ps, "template '%s' is never used",
			    c->tmpls[i].name);
		}
}

/* ------------------------------------------------------------- entry */

static void
parse_lines(struct parser *ps, const char *text)
{
	char raw[LINE_MAX_], store[LINE_MAX_ + TOK_MAX], *tok[TOK_MAX],
	    err[128];
	const char *s = text;
	int n;

	while (*s != '\0') {
		const char *nl = strchr(s, '\n');
		size_t len = nl != NULL ? (size_t)(nl - s) : strlen(s);

		ps->line++;
		if (len >= sizeof(raw)) {
			ERR(ps, "line longer than %d characters", LINE_MAX_ - 1);
			len = 0;
		}
		memcpy(raw, s, len);
		raw[len] = '\0';
		if (len > 0 && raw[len - 1] == '\r')
			raw[len - 1] = '\0';
		s = nl != NULL ? nl + 1 : s + strlen(s);
		if (ps->block == B_TEXT) {
			block_line(ps, raw, NULL, 0);
			continue;
		}
		n = case_tokenize(raw, tok, TOK_MAX, store, sizeof(store), err,
		    sizeof(err));
		if (n < 0) {
			ERR(ps, "%s", err);
			continue;
		}
		if (ps->block == B_TMPL)
			block_line(ps, raw, tok, n);
		else if (n > 0)
			statement(ps, tok, n, raw);
	}
}

struct mcase *
case_parse(const char *path, const char *text, struct cerr *e)
{
	struct parser ps;
	struct mcase *c = xcalloc(1, sizeof(*c));
	size_t before = e->n + e->dropped;

	c->path = xstrdup(path);
	c->file = path_base(c->path);
	c->timeout_s = CASE_TIMEOUT_DEFAULT;
	memset(&ps, 0, sizeof(ps));
	ps.c = c;
	ps.e = e;
	ps.phase = PH_TEST;
	parse_lines(&ps, text);
	final_checks(&ps);
	free(ps.textbuf);
	if (e->n + e->dropped != before) {
		case_free(c);
		return NULL;
	}
	return c;
}

struct mcase *
case_load(const char *path, struct cerr *e)
{
	char *text = file_read(path, NULL);
	struct mcase *c;

	if (text == NULL) {
		cerr_add(e, path, 0, "cannot read: %s", strerror(errno));
		return NULL;
	}
	c = case_parse(path, text, e);
	free(text);
	return c;
}

int
case_find_tmpl(const struct mcase *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ntmpl; i++)
		if (strcmp(c->tmpls[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void
free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
free_tmpl(struct tmpl *t)
{
	size_t i, k;

	for (i = 0; i < t->nlayer; i++) {
		struct tlayer *l = &t->layers[i];

		for (k = 0; k < l->nitem; k++) {
			free(l->items[k].key);
			free(l->items[k].val);
			free_strv(l->items[k].alts, l->items[k].nalt);
		}
		free(l->items);
		free(l->word);
	}
	free(t->layers);
	free_strv(t->allow, t->nallow);
}

void
case_free(struct mcase *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->ntmpl; i++)
		free_tmpl(&c->tmpls[i]);
	free(c->tmpls);
	for (i = 0; i < c->nevent; i++)
		free_strv(c->events[i].argv, c->events[i].argc);
	free(c->events);
	for (i = 0; i < c->nset; i++)
		free(c->sets[i].expr);
	free(c->sets);
	free(c->rules);
	free_strv(c->rfc, c->nrfc);
	free_strv(c->requires, c->nrequires);
	free(c->title);
	free(c->purpose);
	free(c->procedure);
	free(c->judgement);
	free(c->path);
	free(c);
}
