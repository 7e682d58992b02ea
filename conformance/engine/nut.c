/*
 * nut.c - NUT descriptions, the variables and SKIP decisions they give,
 * and the control back-ends (see nut.h).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "case.h"
#include "intr.h"
#include "nut.h"
#include "util.h"

#define TOK_MAX	64

/* -------------------------------------------------------------- verbs */

static const struct nut_verb verbs[] = {
	{ "start", 0, 0, "start", "start the mobility stack" },
	{ "stop", 0, 0, "stop", "stop the mobility stack" },
	{ "reset", 0, 0, "reset", "return to the initial state: no "
	  "bindings, empty neighbor caches" },
	{ "reboot", 0, 0, "reboot", "restart the node" },
	{ "enable", 1, 1, "enable ROLE", "enable a role (ha mn mr cn)" },
	{ "disable", 1, 1, "disable ROLE", "disable a role" },
	{ "add-address", 2, 2, "add-address IFACE ADDR/PLEN",
	  "configure an address" },
	{ "del-address", 2, 2, "del-address IFACE ADDR/PLEN",
	  "remove an address" },
	{ "add-route", 2, 2, "add-route PREFIX GATEWAY", "add a route" },
	{ "del-route", 2, 2, "del-route PREFIX GATEWAY", "remove a route" },
	{ "move", 1, 1, "move LINK", "attach the mobile node or router to "
	  "LINK (movement)" },
	{ NULL, 0, 0, NULL, NULL }
};

const struct nut_verb *
nut_verbs(void)
{
	return verbs;
}

const struct nut_verb *
nut_verb_lookup(const char *name)
{
	const struct nut_verb *v;

	for (v = verbs; v->name != NULL; v++)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

const char *
nut_verb_check(char *const *argv, size_t argc)
{
	static char msg[200];
	const struct nut_verb *v;

	if (argc == 0)
		return "nut takes a control verb";
	if ((v = nut_verb_lookup(argv[0])) == NULL) {
		snprintf(msg, sizeof(msg), "unknown control verb '%s' (start "
		    "stop reset reboot enable disable add-address del-address "
		    "add-route del-route move)", argv[0]);
		return msg;
	}
	if ((int)argc - 1 < v->min_args || (int)argc - 1 > v->max_args) {
		snprintf(msg, sizeof(msg), "usage: nut %s", v->usage);
		return msg;
	}
	if ((strcmp(v->name, "enable") == 0 || strcmp(v->name, "disable") ==
	    0) && role_parse(argv[1]) == 0 && argv[1][0] != '$') {
		snprintf(msg, sizeof(msg), "nut %s: unknown role '%s'",
		    v->name, argv[1]);
		return msg;
	}
	return NULL;
}

/* ------------------------------------------------------------- parser */

#define ERR(...)	cerr_add(e, d->path, line, __VA_ARGS__)

static void
add_attrs(struct nut_attr **a, size_t *n, char **tok, int from, int ntok,
    struct cerr *e, const struct nutdesc *d, int line)
{
	int i;

	for (i = from; i < ntok; i++) {
		const char *eq = strchr(tok[i], '=');
		struct nut_attr *at;

		if (eq == NULL || eq == tok[i] || eq[1] == '\0') {
			ERR("'%s' is not key=value", tok[i]);
			continue;
		}
		at = xgrow(a, n, sizeof(*at));
		at->key = xstrndup(tok[i], (size_t)(eq - tok[i]));
		at->val = xstrdup(eq + 1);
	}
}

static const char *
attr_get(const struct nut_attr *a, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(a[i].key, key) == 0)
			return a[i].val;
	return NULL;
}

static struct nut_link *
link_get(struct nutdesc *d, const char *name, bool create)
{
	size_t i;
	struct nut_link *l;

	for (i = 0; i < d->nlinks; i++)
		if (strcmp(d->links[i].name, name) == 0)
			return &d->links[i];
	if (!create)
		return NULL;
	l = xgrow(&d->links, &d->nlinks, sizeof(*l));
	str_copy(l->name, name, sizeof(l->name));
	return l;
}

static void
st_control(struct nutdesc *d, char **tok, int n, struct cerr *e, int line)
{
	static const struct {
		const char		*name;
		enum nut_control_kind	 kind;
		int			 args;
	} kinds[] = {
		{ "fake", NUTCTL_FAKE, 0 }, { "local", NUTCTL_LOCAL, 1 },
		{ "ssh", NUTCTL_SSH, 1 }, { "manual", NUTCTL_MANUAL, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (n >= 2 && strcmp(tok[1], kinds[i].name) == 0)
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0]) ||
	    n != 2 + kinds[i].args) {
		ERR("control takes: fake, local NETNS, ssh DEST or manual");
		return;
	}
	d->control = kinds[i].kind;
	free(d->control_arg);
	d->control_arg = kinds[i].args ? xstrdup(tok[2]) : NULL;
}

static void
st_netdev(struct nutdesc *d, char **tok, int n, struct cerr *e, int line)
{
	char *dir, *slash;

	if (n == 2 && strcmp(tok[1], "afpacket") == 0) {
		d->netdev = NUTDEV_AFPACKET;
		return;
	}
	if (n != 3 || strcmp(tok[1], "fake") != 0) {
		ERR("netdev takes: afpacket, or fake RESPONDER-FILE");
		return;
	}
	d->netdev = NUTDEV_FAKE;
	free(d->netdev_arg);
	if (tok[2][0] == '/') {
		d->netdev_arg = xstrdup(tok[2]);
		return;
	}
	/* relative to the description's folder */
	dir = xstrdup(d->path);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		d->netdev_arg = xstrdup(tok[2]);
	else {
		slash[1] = '\0';
		d->netdev_arg = xmalloc(strlen(dir) + strlen(tok[2]) + 1);
		strcpy(d->netdev_arg, dir);
		strcat(d->netdev_arg, tok[2]);
	}
	free(dir);
}

static void
st_command(struct nutdesc *d, char **tok, int n, struct cerr *e, int line)
{
	struct nut_cmd *c;

	if (n != 3 || nut_verb_lookup(tok[1]) == NULL) {
		ERR("command takes a control verb and a quoted shell command "
		    "(command reset \"...\")");
		return;
	}
	c = xgrow(&d->cmds, &d->ncmds, sizeof(*c));
	c->verb = xstrdup(tok[1]);
	c->cmd = xstrdup(tok[2]);
}

static void
st_words(char ***v, size_t *nv, char **tok, int from, int n)
{
	int i;

	for (i = from; i < n; i++) {
		char **slot = xgrow(v, nv, sizeof(*slot));

		*slot = xstrdup(tok[i]);
	}
}

static void
st_caps(struct nutdesc *d, char **tok, int n, struct cerr *e, int line)
{
	int i;

	if (n == 2 && strcmp(tok[1], "none") == 0)
		return;
	for (i = 1; i < n; i++)
		if (!capability_known(tok[i]))
			ERR("unknown capability '%s' (dhaad mpd ro "
			    "nemo-implicit nemo-explicit dsmip ipsec "
			    "auth-option, or none)", tok[i]);
	st_words(&d->caps, &d->ncaps, tok, 1, n);
	if (n < 2)
		ERR("capability takes names or 'none'");
}

static void
st_roles(struct nutdesc *d, char **tok, int n, struct cerr *e, int line)
{
	int i;
	unsigned r;

	if (n < 2)
		ERR("role takes one or more of: node ha mn mr cn");
	for (i = 1; i < n; i++) {
		if ((r = role_parse(tok[i])) == 0)
			ERR("unknown role '%s'", tok[i]);
		d->roles |= r;
	}
}

/*
 * sa NAME spi SPI enc ALG [KEY] auth ALG [KEY]: a manually keyed SA
 * (RFC 4303; RFC 3776 §5.1 for MN-HA signalling), the setkey(8) words;
 * null encryption and none integrity take no key.
 */
static bool
sa_text(char **tok, int n, char *out, size_t cap)
{
	const char *spi = NULL, *enc = NULL, *ekey = "-", *auth = NULL,
	    *akey = "-";
	int i;

	for (i = 2; i < n; i++) {
		if (strcmp(tok[i], "spi") == 0 && i + 1 < n)
			spi = tok[++i];
		else if (strcmp(tok[i], "enc") == 0 && i + 1 < n) {
			enc = tok[++i];
			if (strcmp(enc, "null") != 0 && i + 1 < n)
				ekey = tok[++i];
		} else if (strcmp(tok[i], "auth") == 0 && i + 1 < n) {
			auth = tok[++i];
			if (strcmp(auth, "none") != 0 && i + 1 < n)
				akey = tok[++i];
		} else
			return false;
	}
	if (spi == NULL || enc == NULL || auth == NULL)
		return false;
	return (size_t)snprintf(out, cap, "%s:%s:%s:%s:%s", spi, enc, ekey,
	    auth, akey) < cap;
}

static void
st_sa(struct nutdesc *d, char **tok, int n, struct cerr *e, int line)
{
	char text[512];
	struct esp_sa sa;
	const char *why;
	size_t i;

	if (n < 2 || !vars_name_ok(tok[1]) || strchr(tok[1], '.') != NULL ||
	    !sa_text(tok, n, text, sizeof(text))) {
		ERR("sa takes: NAME spi SPI enc ALG [KEY] auth ALG [KEY] "
		    "(NAME: letters, digits and _)");
		return;
	}
	if ((why = pkt_esp_sa_parse(text, &sa)) != NULL) {
		ERR("sa %s: %s", tok[1], why);
		return;
	}
	for (i = 0; i < d->nsas; i++)
		if (strcmp(d->sa_names[i], tok[1]) == 0 ||
		    d->sas[i].spi == sa.spi) {
			ERR("sa %s: name or SPI 0x%x already used by sa %s",
			    tok[1], sa.spi, d->sa_names[i]);
			return;
		}
	*(struct esp_sa *)xgrow(&d->sas, &d->nsas, sizeof(sa)) = sa;
	st_words(&d->sa_names, &d->nsa_names, tok, 1, 2);
}

static void
nut_statement(struct nutdesc *d, char **tok, int n, const char *raw,
    struct cerr *e, int line)
{
	const char *w = tok[0];

	if (strcmp(w, "nut") == 0 && n == 2)
		str_copy(d->name, tok[1], sizeof(d->name));
	else if (strcmp(w, "title") == 0) {
		const char *s = strstr(raw, "title") + 5;

		while (isspace((unsigned char)*s))
			s++;
		free(d->title);
		d->title = xstrdup(s);
	} else if (strcmp(w, "role") == 0)
		st_roles(d, tok, n, e, line);
	else if (strcmp(w, "capability") == 0)
		st_caps(d, tok, n, e, line);
	else if (strcmp(w, "control") == 0)
		st_control(d, tok, n, e, line);
	else if (strcmp(w, "command") == 0)
		st_command(d, tok, n, e, line);
	else if (strcmp(w, "netdev") == 0)
		st_netdev(d, tok, n, e, line);
	else if (strcmp(w, "topology") == 0 && n >= 3) {
		struct nut_topo *t = xgrow(&d->topos, &d->ntopos, sizeof(*t));

		str_copy(t->name, tok[1], sizeof(t->name));
		st_words(&t->links, &t->nlinks, tok, 2, n);
	} else if (strcmp(w, "link") == 0 && n >= 2) {
		struct nut_link *l = link_get(d, tok[1], true);

		add_attrs(&l->tester, &l->ntester, tok, 2, n, e, d, line);
	} else if (strcmp(w, "iface") == 0 && n >= 2) {
		struct nut_link *l = link_get(d, tok[1], true);

		add_attrs(&l->nut, &l->nnut, tok, 2, n, e, d, line);
	} else if (strcmp(w, "node") == 0 && n >= 3) {
		struct nut_node *nd = xgrow(&d->nodes, &d->nnodes,
		    sizeof(*nd));

		str_copy(nd->name, tok[1], sizeof(nd->name));
		str_copy(nd->link, tok[2], sizeof(nd->link));
		add_attrs(&nd->attr, &nd->nattr, tok, 3, n, e, d, line);
	} else if (strcmp(w, "fail") == 0 && n == 2)
		st_words(&d->fail_verbs, &d->nfail, tok, 1, n);
	else if (strcmp(w, "sa") == 0)
		st_sa(d, tok, n, e, line);
	else
		ERR("unknown or incomplete statement '%s' (nut title role "
		    "capability control command netdev topology link iface "
		    "node sa fail)", w);
}

static void
nut_check(struct nutdesc *d, struct cerr *e)
{
	size_t i, k;
	int line = 1;

	if (d->name[0] == '\0')
		ERR("a NUT description starts with 'nut NAME'");
	if (d->roles == 0)
		ERR("missing 'role'");
	if (d->netdev == NUTDEV_FAKE && d->netdev_arg == NULL)
		ERR("missing 'netdev' (afpacket, or fake RESPONDER-FILE)");
	for (i = 0; i < d->ntopos; i++)
		for (k = 0; k < d->topos[i].nlinks; k++)
			if (link_get(d, d->topos[i].links[k], false) == NULL)
				ERR("topology %s uses link %s, which has no "
				    "'link' line", d->topos[i].name,
				    d->topos[i].links[k]);
	for (i = 0; i < d->nnodes; i++)
		if (link_get(d, d->nodes[i].link, false) == NULL)
			ERR("node %s is on link %s, which has no 'link' line",
			    d->nodes[i].name, d->nodes[i].link);
}

struct nutdesc *
nut_parse(const char *path, const char *text, struct cerr *e)
{
	struct nutdesc *d = xcalloc(1, sizeof(*d));
	char raw[2048], store[2048 + TOK_MAX], *tok[TOK_MAX], err[128];
	size_t before = e->n + e->dropped;
	const char *s = text;
	int line = 0, n;

	d->path = xstrdup(path);
	d->netdev = NUTDEV_FAKE;
	while (*s != '\0') {
		const char *nl = strchr(s, '\n');
		size_t len = nl != NULL ? (size_t)(nl - s) : strlen(s);

		line++;
		if (len >= sizeof(raw))
			len = sizeof(raw) - 1;
		memcpy(raw, s, len);
		raw[len] = '\0';
		s = nl != NULL ? nl + 1 : s + strlen(s);
		n = case_tokenize(raw, tok, TOK_MAX, store, sizeof(store), err,
		    sizeof(err));
		if (n < 0)
			ERR("%s", err);
		else if (n > 0)
			nut_statement(d, tok, n, raw, e, line);
	}
	nut_check(d, e);
	if (e->n + e->dropped != before) {
		nut_free(d);
		return NULL;
	}
	return d;
}

struct nutdesc *
nut_load(const char *path, struct cerr *e)
{
	char *text = file_read(path, NULL);
	struct nutdesc *d;

	if (text == NULL) {
		cerr_add(e, path, 0, "cannot read: %s", strerror(errno));
		return NULL;
	}
	d = nut_parse(path, text, e);
	free(text);
	return d;
}

static void
free_attrs(struct nut_attr *a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(a[i].key);
		free(a[i].val);
	}
	free(a);
}

static void
free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
nut_free(struct nutdesc *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nlinks; i++) {
		free_attrs(d->links[i].tester, d->links[i].ntester);
		free_attrs(d->links[i].nut, d->links[i].nnut);
	}
	free(d->links);
	for (i = 0; i < d->nnodes; i++)
		free_attrs(d->nodes[i].attr, d->nodes[i].nattr);
	free(d->nodes);
	for (i = 0; i < d->ntopos; i++)
		free_strv(d->topos[i].links, d->topos[i].nlinks);
	free(d->topos);
	for (i = 0; i < d->ncmds; i++) {
		free(d->cmds[i].verb);
		free(d->cmds[i].cmd);
	}
	free(d->cmds);
	free_strv(d->caps, d->ncaps);
	free_strv(d->fail_verbs, d->nfail);
	free_strv(d->sa_names, d->nsa_names);
	free(d->sas);
	free(d->title);
	free(d->control_arg);
	free(d->netdev_arg);
	free(d->path);
	free(d);
}

/* ------------------------------------------------------------ queries */

static void
set_attrs(struct vars *vs, const char *prefix, const struct nut_attr *a,
    size_t n)
{
	char name[160];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s.%s", prefix, a[i].key);
		vars_set(vs, name, a[i].val);
	}
}

void
nut_vars(const struct nutdesc *d, struct vars *vs)
{
	char prefix[120];
	size_t i;
	bool first = true;

	vars_set(vs, "nut.name", d->name);
	for (i = 0; i < d->nlinks; i++) {
		const struct nut_link *l = &d->links[i];

		set_attrs(vs, l->name, l->tester, l->ntester);
		if (l->nnut == 0)
			continue;
		snprintf(prefix, sizeof(prefix), "nut.%s", l->name);
		set_attrs(vs, prefix, l->nut, l->nnut);
		if (first)
			set_attrs(vs, "nut", l->nut, l->nnut);
		first = false;
	}
	for (i = 0; i < d->nnodes; i++) {
		snprintf(prefix, sizeof(prefix), "%s.link", d->nodes[i].name);
		vars_set(vs, prefix, d->nodes[i].link);
		set_attrs(vs, d->nodes[i].name, d->nodes[i].attr,
		    d->nodes[i].nattr);
	}
	for (i = 0; i < d->nsas; i++) {
		char text[512], spi[16];

		pkt_esp_sa_format(&d->sas[i], text, sizeof(text));
		snprintf(prefix, sizeof(prefix), "sa.%s", d->sa_names[i]);
		vars_set(vs, prefix, text);
		snprintf(prefix, sizeof(prefix), "sa.%s.spi", d->sa_names[i]);
		snprintf(spi, sizeof(spi), "0x%x", d->sas[i].spi);
		vars_set(vs, prefix, spi);
	}
}

struct pkt_esp_keys
nut_esp_keys(const struct nutdesc *d)
{
	struct pkt_esp_keys k = { d != NULL ? d->sas : NULL,
	    d != NULL ? d->nsas : 0 };

	return k;
}

bool
nut_has_cap(const struct nutdesc *d, const char *cap)
{
	size_t i;

	for (i = 0; i < d->ncaps; i++)
		if (strcmp(d->caps[i], cap) == 0)
			return true;
	return false;
}

const struct nut_link *
nut_link(const struct nutdesc *d, const char *name)
{
	return link_get((struct nutdesc *)d, name, false);
}

bool
nut_has_topology(const struct nutdesc *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->ntopos; i++)
		if (strcmp(d->topos[i].name, name) == 0)
			return true;
	return false;
}

const char *
nut_link_attr(const struct nut_link *l, bool tester, const char *key)
{
	return tester ? attr_get(l->tester, l->ntester, key) :
	    attr_get(l->nut, l->nnut, key);
}

const char *
nut_skip_reason(const struct nutdesc *d, const struct mcase *c, char *buf,
    size_t cap)
{
	char want[64];
	size_t i;

	if ((c->roles & d->roles) == 0) {
		roles_fmt(want, sizeof(want), c->roles);
		snprintf(buf, cap, "role %s not declared by the NUT", want);
		return buf;
	}
	for (i = 0; i < c->nrequires; i++)
		if (!nut_has_cap(d, c->requires[i])) {
			snprintf(buf, cap, "capability %s not claimed by the NUT",
			    c->requires[i]);
			return buf;
		}
	if (!nut_has_topology(d, c->topology)) {
		snprintf(buf, cap, "topology %s not provided by the NUT set-up",
		    c->topology);
		return buf;
	}
	return NULL;
}

/* ------------------------------------------------------------ control */

static void
log_verb(struct nutctl *nc, char *const *argv, size_t argc)
{
	size_t i, k = 0;
	char *line;

	if (nc->nlog == NUTCTL_LOG_MAX)
		return;
	line = nc->log[nc->nlog++];
	line[0] = '\0';
	for (i = 0; i < argc && k < sizeof(nc->log[0]); i++)
		k += (size_t)snprintf(line + k, sizeof(nc->log[0]) - k, "%s%s",
		    i > 0 ? " " : "", argv[i]);
}

static int
fake_verb(struct nutctl *nc, char *const *argv, size_t argc, char *err,
    size_t cap)
{
	size_t i;

	log_verb(nc, argv, argc);
	for (i = 0; i < nc->nut->nfail; i++)
		if (strcmp(nc->nut->fail_verbs[i], argv[0]) == 0) {
			snprintf(err, cap, "nut %s failed (the NUT description "
			    "says 'fail %s')", argv[0], argv[0]);
			return -1;
		}
	return 0;
}

static const char *
verb_command(const struct nutdesc *d, const char *verb)
{
	size_t i;

	for (i = 0; i < d->ncmds; i++)
		if (strcmp(d->cmds[i].verb, verb) == 0)
			return d->cmds[i].cmd;
	return NULL;
}

bool
nut_has_command(const struct nutdesc *d, const char *verb)
{
	return verb_command(d, verb) != NULL;
}

/* The command with %1..%9 replaced by the verb's arguments, quoted. */
static char *
expand_command(const char *cmd, char *const *argv, size_t argc)
{
	size_t cap = strlen(cmd) + 1, k = 0, i;
	char *out;

	for (i = 1; i < argc; i++)
		cap += 2 * strlen(argv[i]) + 2;
	out = xmalloc(cap);
	for (; *cmd != '\0'; cmd++) {
		if (cmd[0] == '%' && cmd[1] >= '1' && cmd[1] <= '9') {
			size_t a = (size_t)(cmd[1] - '0');
			const char *s = a < argc ? argv[a] : "";

			out[k++] = '\'';
			for (; *s != '\0'; s++)
				if (*s != '\'')
					out[k++] = *s;
			out[k++] = '\'';
			cmd++;
			continue;
		}
		out[k++] = *cmd;
	}
	out[k] = '\0';
	return out;
}

/*
 * Wait for a control command, at most NUTCTL_TIMEOUT_S: a NUT that hangs
 * must not hang the run (the verb fails, the case is INIT-FAIL).
 */
#define NUTCTL_TIMEOUT_S	30
/* Once mip6conf is told to stop (intr.h), the `stop` it runs on the way
   out, or a command in progress, gets this much. */
#define NUTCTL_INTR_TIMEOUT_S	10

static int
wait_child(pid_t pid, const char *what, char *err, size_t cap)
{
	struct timespec nap = { 0, 5 * 1000 * 1000 };
	time_t start = time(NULL);
	pid_t r;
	int st, limit = NUTCTL_TIMEOUT_S;

	while ((r = waitpid(pid, &st, WNOHANG)) <= 0) {
		if (r < 0 && errno != EINTR) {
			snprintf(err, cap, "%s: waitpid: %s", what,
			    strerror(errno));
			return -1;
		}
		if (intr_signal() != 0)
			limit = NUTCTL_INTR_TIMEOUT_S;
		if (time(NULL) > start + limit) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			snprintf(err, cap, "%s: no answer within %d s, killed",
			    what, limit);
			return -1;
		}
		nanosleep(&nap, NULL);
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFEXITED(st))
		snprintf(err, cap, "%s exited with status %d", what,
		    WEXITSTATUS(st));
	else
		snprintf(err, cap, "%s killed by signal %d", what,
		    WTERMSIG(st));
	return -1;
}

/*
 * The environment a local command sees: the namespace it runs in, the
 * folder of the NUT description (for its configuration files), and the
 * folder of the running mip6conf (where the stack's binaries are built).
 */
static void
local_env(const char *netns, const char *nutpath)
{
	char buf[4096];
	ssize_t n;
	char *slash;

	setenv("MIP6CONF_NETNS", netns, 1);
	snprintf(buf, sizeof(buf), "%s", nutpath != NULL ? nutpath : ".");
	slash = strrchr(buf, '/');
	if (slash != NULL)
		*slash = '\0';
	else
		snprintf(buf, sizeof(buf), ".");
	setenv("MIP6CONF_NUTDIR", buf, 1);
	n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		if ((slash = strrchr(buf, '/')) != NULL)
			*slash = '\0';
		setenv("MIP6CONF_BINDIR", buf, 1);
	}
}

/* local: fork, enter /run/netns/NETNS, run the command with sh -c. */
static void
child_local(const char *netns, const char *cmd, const char *nutpath)
{
	char path[256];
	int fd;

	local_env(netns, nutpath);

	snprintf(path, sizeof(path), "/run/netns/%s", netns);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "mip6conf: netns %s: %s\n", netns,
		    strerror(errno));
		_exit(126);
	}
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

static int
cmd_verb(struct nutctl *nc, char *const *argv, size_t argc, char *err,
    size_t cap)
{
	const char *cmd = verb_command(nc->nut, argv[0]);
	char *full;
	pid_t pid;
	int r;

	log_verb(nc, argv, argc);
	if (cmd == NULL) {
		snprintf(err, cap, "no 'command %s' in %s", argv[0],
		    nc->nut->path);
		return -1;
	}
	full = expand_command(cmd, argv, argc);
	fflush(NULL);
	if ((pid = fork()) < 0) {
		snprintf(err, cap, "fork: %s", strerror(errno));
		free(full);
		return -1;
	}
	if (pid == 0) {
		if (nc->nut->control == NUTCTL_LOCAL)
			child_local(nc->nut->control_arg, full,
			    nc->nut->path);
		execlp("ssh", "ssh", "-o", "BatchMode=yes",
		    nc->nut->control_arg, full, (char *)NULL);
		_exit(127);
	}
	r = wait_child(pid, argv[0], err, cap);
	free(full);
	return r;
}

static int
manual_verb(struct nutctl *nc, char *const *argv, size_t argc, char *err,
    size_t cap)
{
	const char *cmd = verb_command(nc->nut, argv[0]);
	char line[64], what[256];
	FILE *tty = fopen("/dev/tty", "r+");
	size_t i, k = 0;

	log_verb(nc, argv, argc);
	for (i = 0; i < argc && k < sizeof(what); i++)
		k += (size_t)snprintf(what + k, sizeof(what) - k, "%s%s",
		    i > 0 ? " " : "", argv[i]);
	if (tty == NULL) {
		snprintf(err, cap, "manual control needs a terminal to ask "
		    "the operator to: %s", what);
		return -1;
	}
	fprintf(tty, "mip6conf: on the NUT, please do: %s\n", what);
	if (cmd != NULL)
		fprintf(tty, "          (%s)\n", cmd);
	fprintf(tty, "          then press Enter: ");
	fflush(tty);
	if (fgets(line, sizeof(line), tty) == NULL) {
		snprintf(err, cap, "no answer from the operator");
		fclose(tty);
		return -1;
	}
	fclose(tty);
	return 0;
}

static void
plain_close(struct nutctl *nc)
{
	free(nc);
}

static const struct nutctl_ops fake_ops = { fake_verb, plain_close };
static const struct nutctl_ops cmd_ops = { cmd_verb, plain_close };
static const struct nutctl_ops manual_ops = { manual_verb, plain_close };

struct nutctl *
nutctl_open(const struct nutdesc *d, char *err, size_t cap)
{
	struct nutctl *nc = xcalloc(1, sizeof(*nc));

	(void)err;
	(void)cap;
	nc->nut = d;
	switch (d->control) {
	case NUTCTL_FAKE:
		nc->ops = &fake_ops;
		break;
	case NUTCTL_LOCAL:
	case NUTCTL_SSH:
		nc->ops = &cmd_ops;
		break;
	case NUTCTL_MANUAL:
		nc->ops = &manual_ops;
		break;
	}
	return nc;
}

int
nutctl_verb(struct nutctl *nc, char *const *argv, size_t argc, char *err,
    size_t cap)
{
	return nc->ops->verb(nc, argv, argc, err, cap);
}

void
nutctl_close(struct nutctl *nc)
{
	if (nc != NULL)
		nc->ops->close(nc);
}
