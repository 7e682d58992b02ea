/*
 * topo_parse.c - the .topo grammar: a line-oriented text format that a
 * vendor engineer can read and write without C (topologies/README.md).
 *
 * Every line is a keyword and its words; `#` at the start of a word begins
 * a comment, double quotes group words (with \" and \\), single quotes
 * group words literally.  Lines may come in any order: names are resolved
 * once the whole file is read, so every error names the line that holds the
 * bad word.  Errors are "FILE:LINE: message", all of them, not just the
 * first.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "packets/sbuf.h"
#include "topo.h"

#define LINE_MAX_LEN	4096
#define WORDS_MAX	(TOPO_MAX_ARGS + 8)
#define PENDING_MAX	512

struct words {
	int	 argc;
	char	*argv[WORDS_MAX];
	char	 buf[LINE_MAX_LEN + WORDS_MAX];
};

/* A `mac` or `capture` line, applied once every link is known. */
struct pending_mac {
	char	nodename[TOPO_NAMELEN];
	char	ifname[IFNAMSIZ];
	uint8_t	mac[6];
	int	line;
};

struct pending_capture {
	char	name[IFNAMSIZ];
	int	line;
};

/* Errors are kept and printed in line order at the end, because the
   ones found while resolving names come after the file is read. */
#define ERRS_MAX	100

struct perr_msg {
	int	line;
	int	seq;
	char	msg[240];
};

struct parser {
	struct topo		*t;
	const char		*file;
	FILE			*errs;
	int			 line;
	int			 nerr;
	int			 topology_line;
	int			 nmacs, ncaptures;
	struct pending_mac	 mac[PENDING_MAX];
	struct pending_capture	 capture[PENDING_MAX];
	struct perr_msg		 err[ERRS_MAX];
};

static void perr(struct parser *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
perr(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;

	if (p->nerr < ERRS_MAX) {
		struct perr_msg *m = &p->err[p->nerr];

		m->line = line;
		m->seq = p->nerr;
		va_start(ap, fmt);
		vsnprintf(m->msg, sizeof(m->msg), fmt, ap);
		va_end(ap);
	}
	p->nerr++;
}

static int
cmp_err(const void *a, const void *b)
{
	const struct perr_msg *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
print_errors(struct parser *p)
{
	int n = p->nerr < ERRS_MAX ? p->nerr : ERRS_MAX;

	qsort(p->err, (size_t)n, sizeof(p->err[0]), cmp_err);
	for (int i = 0; i < n; i++)
		fprintf(p->errs, "%s:%d: %s\n", p->file, p->err[i].line,
		    p->err[i].msg);
	if (p->nerr > n)
		fprintf(p->errs, "%s: %d more errors\n", p->file,
		    p->nerr - n);
}

/* ------------------------------------------------------------- lexing */

/* Split one line into words; returns NULL or the reason it cannot. */
static const char *
lex(const char *s, struct words *w)
{
	char *o = w->buf;
	char *end = w->buf + sizeof(w->buf) - 1;

	w->argc = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		if (*s == '\0' || *s == '#')
			return NULL;
		if (w->argc == WORDS_MAX - 1)
			return "too many words on one line";
		w->argv[w->argc++] = o;
		while (*s != '\0' && *s != ' ' && *s != '\t' && *s != '\r' &&
		    *s != '\n') {
			if (o >= end)
				return "line too long";
			if (*s == '\'') {
				for (s++; *s != '\'' && *s != '\0'; s++) {
					if (o >= end)
						return "line too long";
					*o++ = *s;
				}
				if (*s++ != '\'')
					return "unterminated single quote";
			} else if (*s == '"') {
				for (s++; *s != '"' && *s != '\0'; s++) {
					if (*s == '\\' && (s[1] == '"' ||
					    s[1] == '\\'))
						s++;
					if (o >= end)
						return "line too long";
					*o++ = *s;
				}
				if (*s++ != '"')
					return "unterminated double quote";
			} else
				*o++ = *s++;
		}
		*o++ = '\0';
	}
}

/* ------------------------------------------------------------- names */

static bool
name_chars_ok(const char *s, size_t max, bool dots)
{
	size_t n = strlen(s);

	if (n == 0 || n >= max)
		return false;
	for (; *s != '\0'; s++) {
		if (isalnum((unsigned char)*s) || *s == '_' || *s == '-')
			continue;
		if (dots && *s == '.')
			continue;
		return false;
	}
	return true;
}

/* Interface (and link) names we create: IFNAMSIZ and no dots, because a
   sysctl key names the interface between dots. */
bool
topo_ifname_ok(const char *s)
{
	return name_chars_ok(s, IFNAMSIZ, false) && strcmp(s, "lo") != 0;
}

/* Run ids: short, so that namespace names stay short and readable. */
bool
topo_id_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 12)
		return false;
	for (; *s != '\0'; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool
node_name_ok(const char *s)
{
	return name_chars_ok(s, TOPO_NAMELEN, false) &&
	    isalpha((unsigned char)s[0]);
}

static bool
reserved_name(const char *s)
{
	static const char *const reserved[] = {
		TOPO_HOST, TOPO_SWITCH, "all", "lo"
	};

	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strcmp(s, reserved[i]) == 0)
			return true;
	return false;
}

/* A host's own interface name: anything the kernel takes in IFNAMSIZ. */
static bool
host_ifname_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= IFNAMSIZ)
		return false;
	return strpbrk(s, "/: \t") == NULL;
}

static bool
copy_name(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

/* --------------------------------------------------- values and addresses */

bool
topo_ip_parse(const char *s, struct topo_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET6, s, &ip->u.v6) == 1) {
		ip->family = AF_INET6;
		return true;
	}
	if (inet_pton(AF_INET, s, &ip->u.v4) == 1) {
		ip->family = AF_INET;
		return true;
	}
	return false;
}

const char *
topo_ip_fmt(const struct topo_ip *ip, char *buf, size_t len)
{
	char tmp[IN6_STRLEN];

	if (ip->family == AF_INET6) {
		snprintf(buf, len, "%s", in6_fmt(&ip->u.v6, tmp));
		return buf;
	}
	if (inet_ntop(AF_INET, &ip->u.v4, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

bool
topo_mac_parse(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;

	if (strlen(s) != 17)
		return false;
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2],
	    &b[3], &b[4], &b[5], &tail) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return true;
}

void
topo_mac_fmt(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
	    mac[2], mac[3], mac[4], mac[5]);
}

static bool
parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno == 0 && *end == '\0' && *v <= max;
}

/* "ADDR/LEN", or "ADDR" alone when `host_ok` (a host route). */
static const char *
parse_prefix(const char *s, struct topo_ip *ip, int *plen, bool host_ok)
{
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash;
	unsigned long n;
	int max;

	if (!copy_name(buf, sizeof(buf), s))
		return "address too long";
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash = '\0';
	if (!topo_ip_parse(buf, ip))
		return "not an IPv4 or IPv6 address";
	max = ip->family == AF_INET6 ? 128 : 32;
	if (slash == NULL) {
		if (!host_ok)
			return "needs a prefix length (ADDRESS/LEN)";
		*plen = max;
		return NULL;
	}
	if (!parse_uint(slash + 1, (unsigned long)max, &n))
		return "bad prefix length";
	*plen = (int)n;
	return NULL;
}

/* True when the bits past `plen` are all zero (the kernel wants that). */
static bool
prefix_clean(const struct topo_ip *ip, int plen)
{
	const uint8_t *b = ip->family == AF_INET6 ?
	    ip->u.v6.s6_addr : (const uint8_t *)&ip->u.v4;
	int bits = ip->family == AF_INET6 ? 128 : 32;

	for (int i = plen; i < bits; i++)
		if (b[i / 8] & (0x80 >> (i % 8)))
			return false;
	return true;
}

static bool
ip_is_linklocal6(const struct topo_ip *ip)
{
	return ip->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&ip->u.v6);
}

/* ------------------------------------------------------------ keywords */

static int
p_topology(struct parser *p, int argc, char **argv)
{
	(void)argc;
	if (p->topology_line != 0) {
		perr(p, p->line, "topology named twice (first on line %d)",
		    p->topology_line);
		return -1;
	}
	if (!name_chars_ok(argv[1], TOPO_NAMELEN, true)) {
		perr(p, p->line, "bad topology name '%s'", argv[1]);
		return -1;
	}
	copy_name(p->t->name, sizeof(p->t->name), argv[1]);
	p->topology_line = p->line;
	return 0;
}

static int
p_node(struct parser *p, int argc, char **argv)
{
	struct topo *t = p->t;

	for (int i = 1; i < argc; i++) {
		int dup = topo_node_find(t, argv[i]);

		if (!node_name_ok(argv[i])) {
			perr(p, p->line, "bad node name '%s' (a letter, then "
			    "letters, digits, '-' or '_'; at most %d)",
			    argv[i], TOPO_NAMELEN - 1);
			continue;
		}
		if (reserved_name(argv[i])) {
			perr(p, p->line, "node name '%s' is reserved",
			    argv[i]);
			continue;
		}
		if (dup >= 0) {
			perr(p, p->line, "node '%s' already declared on "
			    "line %d", argv[i], t->node[dup].line);
			continue;
		}
		if (t->nnodes == TOPO_MAX_NODES) {
			perr(p, p->line, "too many nodes (at most %d)",
			    TOPO_MAX_NODES);
			return -1;
		}
		copy_name(t->node[t->nnodes].name, TOPO_NAMELEN, argv[i]);
		t->node[t->nnodes++].line = p->line;
	}
	return 0;
}

static int
parse_endpoint(struct parser *p, struct topo_link *l, const char *w)
{
	struct topo_ep *ep = &l->ep[l->nep];
	const char *colon = strchr(w, ':');
	size_t nlen = colon != NULL ? (size_t)(colon - w) : strlen(w);

	if (nlen == 0 || nlen >= TOPO_NAMELEN) {
		perr(p, p->line, "bad endpoint '%s' (NODE, NODE:IFNAME or "
		    "host:IFNAME)", w);
		return -1;
	}
	memcpy(ep->nodename, w, nlen);
	ep->nodename[nlen] = '\0';
	if (strcmp(ep->nodename, TOPO_HOST) == 0) {
		ep->kind = EP_HOST;
		if (colon == NULL || !host_ifname_ok(colon + 1)) {
			perr(p, p->line, "bad host endpoint '%s' (host:IFNAME)",
			    w);
			return -1;
		}
		copy_name(ep->ifname, IFNAMSIZ, colon + 1);
	} else {
		ep->kind = EP_NODE;
		if (colon != NULL && !topo_ifname_ok(colon + 1)) {
			perr(p, p->line, "bad interface name in '%s' (letters, "
			    "digits, '-', '_'; at most %d)", w, IFNAMSIZ - 1);
			return -1;
		}
		copy_name(ep->ifname, IFNAMSIZ,
		    colon != NULL ? colon + 1 : l->name);
	}
	ep->node = -1;
	l->nep++;
	return 0;
}

static int
p_link(struct parser *p, int argc, char **argv)
{
	struct topo *t = p->t;
	struct topo_link *l;

	if (!topo_ifname_ok(argv[1]) || reserved_name(argv[1])) {
		perr(p, p->line, "bad link name '%s' (letters, digits, '-', "
		    "'_'; at most %d; not all/lo/host/switch)", argv[1],
		    IFNAMSIZ - 1);
		return -1;
	}
	for (int i = 0; i < t->nlinks; i++)
		if (strcmp(t->link[i].name, argv[1]) == 0) {
			perr(p, p->line, "link '%s' already declared on line "
			    "%d", argv[1], t->link[i].line);
			return -1;
		}
	if (t->nlinks == TOPO_MAX_LINKS) {
		perr(p, p->line, "too many links (at most %d)",
		    TOPO_MAX_LINKS);
		return -1;
	}
	l = &t->link[t->nlinks];
	memset(l, 0, sizeof(*l));
	copy_name(l->name, sizeof(l->name), argv[1]);
	l->line = p->line;
	for (int i = 2; i < argc; i++)
		if (parse_endpoint(p, l, argv[i]) < 0)
			return -1;
	t->nlinks++;
	return 0;
}

static int
p_mac(struct parser *p, int argc, char **argv)
{
	struct pending_mac *m = &p->mac[p->nmacs];

	(void)argc;
	if (p->nmacs == PENDING_MAX) {
		perr(p, p->line, "too many mac lines");
		return -1;
	}
	if (!copy_name(m->nodename, TOPO_NAMELEN, argv[1]) ||
	    !copy_name(m->ifname, IFNAMSIZ, argv[2])) {
		perr(p, p->line, "no interface %s:%s", argv[1], argv[2]);
		return -1;
	}
	if (!topo_mac_parse(argv[3], m->mac)) {
		perr(p, p->line, "bad MAC address '%s' (xx:xx:xx:xx:xx:xx)",
		    argv[3]);
		return -1;
	}
	if (m->mac[0] & 1) {
		perr(p, p->line, "MAC address %s is multicast", argv[3]);
		return -1;
	}
	m->line = p->line;
	p->nmacs++;
	return 0;
}

static int
p_addr(struct parser *p, int argc, char **argv)
{
	struct topo *t = p->t;
	struct topo_addr *a = &t->addr[t->naddrs];
	const char *why;

	if (t->naddrs == TOPO_MAX_ADDRS) {
		perr(p, p->line, "too many addresses (at most %d)",
		    TOPO_MAX_ADDRS);
		return -1;
	}
	memset(a, 0, sizeof(*a));
	if (!copy_name(a->nodename, TOPO_NAMELEN, argv[1]) ||
	    !copy_name(a->ifname, IFNAMSIZ, argv[2])) {
		perr(p, p->line, "no interface %s:%s", argv[1], argv[2]);
		return -1;
	}
	if ((why = parse_prefix(argv[3], &a->ip, &a->plen, false)) != NULL) {
		perr(p, p->line, "address '%s': %s", argv[3], why);
		return -1;
	}
	if (argc == 5) {
		if (strcmp(argv[4], "nodad") != 0) {
			perr(p, p->line, "unknown address option '%s' (only "
			    "nodad)", argv[4]);
			return -1;
		}
		if (a->ip.family != AF_INET6) {
			perr(p, p->line, "nodad is for IPv6 addresses only");
			return -1;
		}
		a->nodad = true;
	}
	a->line = p->line;
	t->naddrs++;
	return 0;
}

/* route NODE DEST [via GATEWAY] [dev IFNAME] [metric N] */
static int
p_route(struct parser *p, int argc, char **argv)
{
	struct topo *t = p->t;
	struct topo_route *r = &t->route[t->nroutes];
	const char *why;
	unsigned long n;

	if (t->nroutes == TOPO_MAX_ROUTES) {
		perr(p, p->line, "too many routes (at most %d)",
		    TOPO_MAX_ROUTES);
		return -1;
	}
	memset(r, 0, sizeof(*r));
	if (!copy_name(r->nodename, TOPO_NAMELEN, argv[1])) {
		perr(p, p->line, "unknown node '%s'", argv[1]);
		return -1;
	}
	if (strcmp(argv[2], "default") == 0)
		r->is_default = true;
	else if ((why = parse_prefix(argv[2], &r->dst, &r->plen, true)) !=
	    NULL) {
		perr(p, p->line, "route destination '%s': %s", argv[2], why);
		return -1;
	} else if (!prefix_clean(&r->dst, r->plen)) {
		perr(p, p->line, "route destination '%s' has bits set past "
		    "the prefix length", argv[2]);
		return -1;
	}
	for (int i = 3; i < argc; i += 2) {
		const char *opt = argv[i], *val = i + 1 < argc ?
		    argv[i + 1] : NULL;

		if (val == NULL) {
			perr(p, p->line, "'%s' needs a value", opt);
			return -1;
		}
		if (strcmp(opt, "via") == 0 && !r->has_gw) {
			if (!topo_ip_parse(val, &r->gw)) {
				perr(p, p->line, "bad gateway '%s'", val);
				return -1;
			}
			r->has_gw = true;
		} else if (strcmp(opt, "dev") == 0 && r->dev[0] == '\0') {
			if (!topo_ifname_ok(val)) {
				perr(p, p->line, "bad interface name '%s'",
				    val);
				return -1;
			}
			copy_name(r->dev, IFNAMSIZ, val);
		} else if (strcmp(opt, "metric") == 0 && !r->has_metric) {
			if (!parse_uint(val, UINT32_MAX, &n)) {
				perr(p, p->line, "bad metric '%s'", val);
				return -1;
			}
			r->metric = (uint32_t)n;
			r->has_metric = true;
		} else {
			perr(p, p->line, "unexpected '%s' (route NODE DEST "
			    "[via GATEWAY] [dev IFNAME] [metric N], each "
			    "once)", opt);
			return -1;
		}
	}
	if (r->is_default) {
		if (!r->has_gw) {
			perr(p, p->line, "'default' takes its family from "
			    "'via'; without a gateway write ::/0 or "
			    "0.0.0.0/0");
			return -1;
		}
		r->dst.family = r->gw.family;
		r->plen = 0;
	}
	if (r->has_gw && r->gw.family != r->dst.family) {
		perr(p, p->line, "gateway and destination are of different "
		    "address families");
		return -1;
	}
	if (!r->has_gw && r->dev[0] == '\0') {
		perr(p, p->line, "a route needs 'via GATEWAY' or 'dev IFNAME'");
		return -1;
	}
	if (r->has_gw && ip_is_linklocal6(&r->gw) && r->dev[0] == '\0') {
		perr(p, p->line, "a link-local gateway needs 'dev IFNAME'");
		return -1;
	}
	r->line = p->line;
	t->nroutes++;
	return 0;
}

static bool
sysctl_key_ok(const char *k)
{
	size_t n = strlen(k);

	if (!name_chars_ok(k, TOPO_KEYLEN, true))
		return false;
	return k[0] != '.' && k[n - 1] != '.' && strstr(k, "..") == NULL;
}

static int
p_sysctl(struct parser *p, int argc, char **argv)
{
	struct topo *t = p->t;
	struct topo_sysctl *s = &t->sysctl[t->nsysctls];
	char *eq = strchr(argv[2], '=');

	(void)argc;
	if (t->nsysctls == TOPO_MAX_SYSCTLS) {
		perr(p, p->line, "too many sysctls (at most %d)",
		    TOPO_MAX_SYSCTLS);
		return -1;
	}
	memset(s, 0, sizeof(*s));
	if (!copy_name(s->nodename, TOPO_NAMELEN, argv[1])) {
		perr(p, p->line, "unknown node '%s'", argv[1]);
		return -1;
	}
	if (eq == NULL) {
		perr(p, p->line, "sysctl needs KEY=VALUE");
		return -1;
	}
	*eq = '\0';
	if (strncmp(argv[2], "net.", 4) == 0) {
		perr(p, p->line, "sysctl keys are relative to net.: write "
		    "'%s'", argv[2] + 4);
		return -1;
	}
	if (!sysctl_key_ok(argv[2])) {
		perr(p, p->line, "bad sysctl key '%s'", argv[2]);
		return -1;
	}
	if (eq[1] == '\0' || !copy_name(s->val, TOPO_VALLEN, eq + 1) ||
	    strchr(s->val, '/') != NULL) {
		perr(p, p->line, "bad sysctl value '%s'", eq + 1);
		return -1;
	}
	copy_name(s->key, TOPO_KEYLEN, argv[2]);
	s->line = p->line;
	t->nsysctls++;
	return 0;
}

static int
p_nat(struct parser *p, int argc, char **argv)
{
	struct topo *t = p->t;
	struct topo_nat *n = &t->nat[t->nnats];

	(void)argc;
	if (t->nnats == TOPO_MAX_NATS) {
		perr(p, p->line, "too many nat lines (at most %d)",
		    TOPO_MAX_NATS);
		return -1;
	}
	if (strcmp(argv[2], "masquerade") != 0) {
		perr(p, p->line, "unknown nat kind '%s' (only masquerade)",
		    argv[2]);
		return -1;
	}
	memset(n, 0, sizeof(*n));
	if (!copy_name(n->nodename, TOPO_NAMELEN, argv[1]) ||
	    !copy_name(n->ifname, IFNAMSIZ, argv[3])) {
		perr(p, p->line, "no interface %s:%s", argv[1], argv[3]);
		return -1;
	}
	n->line = p->line;
	t->nnats++;
	return 0;
}

static int
p_capture(struct parser *p, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct pending_capture *c = &p->capture[p->ncaptures];

		if (strcmp(argv[i], "all") == 0) {
			p->t->capture_all = true;
			continue;
		}
		if (p->ncaptures == PENDING_MAX) {
			perr(p, p->line, "too many capture names");
			return -1;
		}
		if (!copy_name(c->name, IFNAMSIZ, argv[i])) {
			perr(p, p->line, "no link '%s'", argv[i]);
			continue;
		}
		c->line = p->line;
		p->ncaptures++;
	}
	return 0;
}

static int
p_run(struct parser *p, int argc, char **argv)
{
	struct topo *t = p->t;
	struct topo_run *r = &t->run[t->nruns];
	size_t off = 0;

	if (t->nruns == TOPO_MAX_RUNS) {
		perr(p, p->line, "too many run lines (at most %d)",
		    TOPO_MAX_RUNS);
		return -1;
	}
	if (strcmp(argv[2], "--") != 0) {
		perr(p, p->line, "usage: run NODE -- COMMAND [ARG...]");
		return -1;
	}
	if (argc - 3 > TOPO_MAX_ARGS) {
		perr(p, p->line, "too many arguments (at most %d)",
		    TOPO_MAX_ARGS);
		return -1;
	}
	memset(r, 0, sizeof(*r));
	if (!copy_name(r->nodename, TOPO_NAMELEN, argv[1])) {
		perr(p, p->line, "unknown node '%s'", argv[1]);
		return -1;
	}
	for (int i = 3; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;

		if (off + n > sizeof(r->buf)) {
			perr(p, p->line, "run line too long");
			return -1;
		}
		memcpy(r->buf + off, argv[i], n);
		r->argv[r->argc++] = r->buf + off;
		off += n;
	}
	r->argv[r->argc] = NULL;
	r->line = p->line;
	t->nruns++;
	return 0;
}

struct keyword {
	const char	*name;
	int		 minwords, maxwords;	/* after the keyword */
	int		(*fn)(struct parser *, int, char **);
	const char	*usage;
};

/* Sorted by name. */
static const struct keyword keywords[] = {
	{ "addr", 3, 4, p_addr,
	    "addr NODE IFNAME ADDRESS/LEN [nodad]" },
	{ "capture", 1, WORDS_MAX, p_capture,
	    "capture all | capture LINK..." },
	{ "link", 2, 1 + TOPO_MAX_EPS, p_link,
	    "link NAME ENDPOINT... (NODE, NODE:IFNAME or host:IFNAME)" },
	{ "mac", 3, 3, p_mac, "mac NODE IFNAME xx:xx:xx:xx:xx:xx" },
	{ "nat", 3, 3, p_nat, "nat NODE masquerade IFNAME" },
	{ "node", 1, WORDS_MAX, p_node, "node NAME..." },
	{ "route", 2, 8, p_route,
	    "route NODE DEST [via GATEWAY] [dev IFNAME] [metric N]" },
	{ "run", 3, WORDS_MAX, p_run, "run NODE -- COMMAND [ARG...]" },
	{ "sysctl", 2, 2, p_sysctl, "sysctl NODE|* KEY=VALUE" },
	{ "topology", 1, 1, p_topology, "topology NAME" },
};

static void
parse_line(struct parser *p, struct words *w)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		const struct keyword *k = &keywords[i];

		if (strcmp(w->argv[0], k->name) != 0)
			continue;
		if (w->argc - 1 < k->minwords || w->argc - 1 > k->maxwords) {
			perr(p, p->line, "usage: %s", k->usage);
			return;
		}
		(void)k->fn(p, w->argc, w->argv);
		return;
	}
	perr(p, p->line, "unknown keyword '%s'", w->argv[0]);
}

/* ---------------------------------------------------------- resolving */

int
topo_node_find(const struct topo *t, const char *name)
{
	for (int i = 0; i < t->nnodes; i++)
		if (strcmp(t->node[i].name, name) == 0)
			return i;
	return -1;
}

bool
topo_iface_find(const struct topo *t, int node, const char *ifname,
    int *link, int *ep)
{
	for (int i = 0; i < t->nlinks; i++)
		for (int j = 0; j < t->link[i].nep; j++) {
			const struct topo_ep *e = &t->link[i].ep[j];

			if (e->kind == EP_NODE && e->node == node &&
			    strcmp(e->ifname, ifname) == 0) {
				if (link != NULL)
					*link = i;
				if (ep != NULL)
					*ep = j;
				return true;
			}
		}
	return false;
}

int
topo_capture_ep(const struct topo_link *l)
{
	if (l->kind == LINK_BRIDGE)
		return -1;
	for (int i = 0; i < l->nep; i++)
		if (l->ep[i].kind == EP_NODE)
			return i;
	return 0;
}

const char *
topo_link_kind_name(enum topo_link_kind k)
{
	static const char *const names[] = {
		[LINK_VETH] = "veth",
		[LINK_HOST] = "host",
		[LINK_BRIDGE] = "bridge",
	};

	return names[k];
}

/* Node by name, with an error on `line` when it is not declared. */
static int
need_node(struct parser *p, const char *name, int line)
{
	int n = topo_node_find(p->t, name);

	if (n < 0)
		perr(p, line, "unknown node '%s'", name);
	return n;
}

static bool
need_iface(struct parser *p, int node, const char *ifname, int line)
{
	if (topo_iface_find(p->t, node, ifname, NULL, NULL))
		return true;
	perr(p, line, "node '%s' has no interface '%s' (interfaces come from "
	    "link lines)", p->t->node[node].name, ifname);
	return false;
}

static void
resolve_endpoints(struct parser *p, struct topo_link *l, int li)
{
	struct topo *t = p->t;

	for (int j = 0; j < l->nep; j++) {
		struct topo_ep *e = &l->ep[j];

		if (e->kind == EP_NODE) {
			e->node = need_node(p, e->nodename, l->line);
			if (e->node < 0)
				continue;
		}
		/* Interfaces are unique per node; host ones per host. */
		for (int a = 0; a <= li; a++)
			for (int b = 0; b < (a == li ? j : t->link[a].nep);
			    b++) {
				const struct topo_ep *o = &t->link[a].ep[b];

				if (o->kind != e->kind ||
				    strcmp(o->ifname, e->ifname) != 0 ||
				    (e->kind == EP_NODE && o->node != e->node))
					continue;
				perr(p, l->line, "interface %s:%s is already "
				    "on link '%s' (line %d)", e->nodename,
				    e->ifname, t->link[a].name,
				    t->link[a].line);
			}
	}
}

static void
resolve_link_kind(struct parser *p, struct topo_link *l, int li)
{
	int nodes = 0, hosts = 0;

	for (int j = 0; j < l->nep; j++) {
		if (l->ep[j].kind == EP_NODE)
			nodes++;
		else
			hosts++;
	}
	if (nodes == 0) {
		perr(p, l->line, "link '%s' needs at least one node endpoint",
		    l->name);
		return;
	}
	if (nodes == 2 && hosts == 0)
		l->kind = LINK_VETH;
	else if (nodes == 1 && hosts == 1)
		l->kind = LINK_HOST;
	else {
		l->kind = LINK_BRIDGE;
		p->t->need_switch = true;
		/* Names in the switch namespace: short and unique
		   (li < TOPO_MAX_LINKS, j < TOPO_MAX_EPS: "p127.31"). */
		for (int j = 0; j < l->nep; j++)
			snprintf(l->ep[j].port, IFNAMSIZ, "p%u.%u",
			    (unsigned int)li % TOPO_MAX_LINKS,
			    (unsigned int)j % TOPO_MAX_EPS);
	}
}

static void
resolve_macs(struct parser *p)
{
	struct topo *t = p->t;

	for (int i = 0; i < p->nmacs; i++) {
		struct pending_mac *m = &p->mac[i];
		int node = need_node(p, m->nodename, m->line), li, ei;
		struct topo_ep *e;

		if (node < 0 || !need_iface(p, node, m->ifname, m->line))
			continue;
		topo_iface_find(t, node, m->ifname, &li, &ei);
		e = &t->link[li].ep[ei];
		if (e->has_mac) {
			perr(p, m->line, "MAC of %s:%s already set on line %d",
			    m->nodename, m->ifname, e->mac_line);
			continue;
		}
		for (int j = 0; j < i; j++)
			if (memcmp(p->mac[j].mac, m->mac, 6) == 0)
				perr(p, m->line, "MAC address already used on "
				    "line %d", p->mac[j].line);
		memcpy(e->mac, m->mac, 6);
		e->has_mac = true;
		e->mac_line = m->line;
	}
}

static void
resolve_addrs(struct parser *p)
{
	struct topo *t = p->t;

	for (int i = 0; i < t->naddrs; i++) {
		struct topo_addr *a = &t->addr[i];

		a->node = need_node(p, a->nodename, a->line);
		if (a->node < 0 || !need_iface(p, a->node, a->ifname, a->line))
			continue;
		for (int j = 0; j < i; j++)
			if (t->addr[j].node == a->node &&
			    memcmp(&t->addr[j].ip, &a->ip, sizeof(a->ip)) == 0)
				perr(p, a->line, "address already on node "
				    "'%s' (line %d)", a->nodename,
				    t->addr[j].line);
	}
}

static void
resolve_routes(struct parser *p)
{
	struct topo *t = p->t;

	for (int i = 0; i < t->nroutes; i++) {
		struct topo_route *r = &t->route[i];

		r->node = need_node(p, r->nodename, r->line);
		if (r->node >= 0 && r->dev[0] != '\0')
			(void)need_iface(p, r->node, r->dev, r->line);
	}
}

/* "*" becomes one line per node, in node order, where the "*" stood. */
static void
resolve_sysctls(struct parser *p)
{
	struct topo *t = p->t;
	struct topo_sysctl *out = calloc(TOPO_MAX_SYSCTLS, sizeof(*out));
	int n = 0;

	if (out == NULL) {
		perr(p, 0, "out of memory");
		return;
	}

	for (int i = 0; i < t->nsysctls; i++) {
		struct topo_sysctl *s = &t->sysctl[i];

		if (strcmp(s->nodename, "*") != 0) {
			s->node = need_node(p, s->nodename, s->line);
			if (n < TOPO_MAX_SYSCTLS)
				out[n++] = *s;
			continue;
		}
		for (int k = 0; k < t->nnodes; k++) {
			if (n == TOPO_MAX_SYSCTLS) {
				perr(p, s->line, "too many sysctls once '*' "
				    "is expanded (at most %d)",
				    TOPO_MAX_SYSCTLS);
				free(out);
				return;
			}
			out[n] = *s;
			out[n].node = k;
			copy_name(out[n].nodename, TOPO_NAMELEN,
			    t->node[k].name);
			n++;
		}
	}
	memcpy(t->sysctl, out, (size_t)n * sizeof(out[0]));
	t->nsysctls = n;
	free(out);
}

static void
resolve_rest(struct parser *p)
{
	struct topo *t = p->t;

	for (int i = 0; i < t->nnats; i++) {
		struct topo_nat *n = &t->nat[i];

		n->node = need_node(p, n->nodename, n->line);
		if (n->node >= 0)
			(void)need_iface(p, n->node, n->ifname, n->line);
	}
	for (int i = 0; i < t->nruns; i++)
		t->run[i].node = need_node(p, t->run[i].nodename,
		    t->run[i].line);
	for (int i = 0; i < p->ncaptures; i++) {
		bool found = false;

		for (int j = 0; j < t->nlinks; j++)
			if (strcmp(t->link[j].name, p->capture[i].name) == 0) {
				t->link[j].capture = true;
				found = true;
			}
		if (!found)
			perr(p, p->capture[i].line, "capture: no link '%s'",
			    p->capture[i].name);
	}
	if (t->capture_all)
		for (int j = 0; j < t->nlinks; j++)
			t->link[j].capture = true;
}

static void
resolve(struct parser *p)
{
	struct topo *t = p->t;

	for (int i = 0; i < t->nlinks; i++) {
		resolve_endpoints(p, &t->link[i], i);
		resolve_link_kind(p, &t->link[i], i);
	}
	resolve_macs(p);
	resolve_addrs(p);
	resolve_routes(p);
	resolve_sysctls(p);
	resolve_rest(p);
	if (t->nnodes == 0 && p->nerr == 0)
		perr(p, p->line, "no node declared");
}

static void
set_paths(struct topo *t, const char *path)
{
	char abs[PATH_MAX];
	char *slash;

	copy_name(t->file, sizeof(t->file), path);
	if (realpath(path, abs) == NULL)
		copy_name(abs, sizeof(abs), path);
	slash = strrchr(abs, '/');
	if (slash == NULL)
		copy_name(t->dir, sizeof(t->dir), ".");
	else if (slash == abs)
		copy_name(t->dir, sizeof(t->dir), "/");
	else {
		*slash = '\0';
		copy_name(t->dir, sizeof(t->dir), abs);
	}
}

int
topo_parse(struct topo *t, const char *path, FILE *errs)
{
	struct parser *p;
	struct words *w;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int nerr;

	if (strlen(path) >= sizeof(t->file)) {
		fprintf(errs, "%s: path too long\n", path);
		return 1;
	}
	if ((f = fopen(path, "r")) == NULL) {
		fprintf(errs, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	p = calloc(1, sizeof(*p));
	w = calloc(1, sizeof(*w));
	if (p == NULL || w == NULL) {
		fprintf(errs, "%s: out of memory\n", path);
		free(p);
		free(w);
		fclose(f);
		return 1;
	}
	set_paths(t, path);
	p->t = t;
	p->file = path;
	p->errs = errs;
	while ((n = getline(&line, &cap, f)) >= 0) {
		const char *why;

		p->line++;
		if (n > LINE_MAX_LEN) {
			perr(p, p->line, "line too long (at most %d bytes)",
			    LINE_MAX_LEN);
			continue;
		}
		if ((why = lex(line, w)) != NULL) {
			perr(p, p->line, "%s", why);
			continue;
		}
		if (w->argc > 0)
			parse_line(p, w);
	}
	if (ferror(f))
		perr(p, p->line, "read error: %s", strerror(errno));
	resolve(p);
	print_errors(p);
	nerr = p->nerr;
	free(line);
	free(p);
	free(w);
	fclose(f);
	return nerr;
}
