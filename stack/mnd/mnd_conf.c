/*
 * stack/mnd/mnd_conf.c - mnd.conf(5): a line-oriented parser into struct
 * mnd_conf, the semantic checks, and the printer of the normalised text
 * (which the parser reads back into an identical struct).
 *
 * Grammar (had.conf's style): one statement per line, words separated by
 * blanks, `#` to the end of the line is a comment, an optional `;` ends a
 * statement.  Errors are "NAME:LINE: message".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack/mnd/mnd_conf.h"

#define WORDS_MAX	16		/* words of one statement (sa) */
#define LINE_MAX_LEN	1024
#define DEF_LIFETIME	420		/* seconds */

void
mnd_conf_init(struct mnd_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->lifetime = DEF_LIFETIME;
	c->regmode = MND_REG_IMPLICIT;
	snprintf(c->bus, sizeof(c->bus), "/run/mip6kit/bus");
	snprintf(c->control, sizeof(c->control), "/run/mip6kit/mnd.sock");
	snprintf(c->state_dir, sizeof(c->state_dir), "/sys/fs/bpf/mip6kit/mnd");
	snprintf(c->user, sizeof(c->user), "nobody");
	c->udp_port = MND_UDP_PORT;
}

bool
mnd_prefix_contains(const struct mnd_prefix *p, const struct in6_addr *a)
{
	unsigned i;

	if (p->plen > 128)
		return false;
	for (i = 0; i < p->plen; i++) {
		uint8_t bit = (uint8_t)(0x80u >> (i % 8));

		if ((p->addr.s6_addr[i / 8] & bit) != (a->s6_addr[i / 8] & bit))
			return false;
	}
	return true;
}

/* ------------------------------------------------------------ parsing */

struct line {
	const char	*name;
	unsigned	 no;
	size_t		 n;
	char		*w[WORDS_MAX];
	char		*err;
	size_t		 errlen;
	uint32_t	*seen;
};

static int lerr(const struct line *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static int
lerr(const struct line *l, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (l->errlen > 0)
		snprintf(l->err, l->errlen, "%s:%u: %s", l->name, l->no, msg);
	return -1;
}

/* Split a line into words; a trailing ";" (alone or glued) is dropped. */
static int
split(struct line *l, char *s)
{
	char *hash = strchr(s, '#'), *tok, *save = NULL;
	size_t len;

	if (hash != NULL)
		*hash = '\0';
	l->n = 0;
	for (tok = strtok_r(s, " \t\r", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\r", &save)) {
		if (l->n == WORDS_MAX)
			return lerr(l, "too many words in a statement");
		l->w[l->n++] = tok;
	}
	if (l->n == 0)
		return 0;
	len = strlen(l->w[l->n - 1]);
	if (strcmp(l->w[l->n - 1], ";") == 0)
		l->n--;
	else if (len > 1 && l->w[l->n - 1][len - 1] == ';')
		l->w[l->n - 1][len - 1] = '\0';
	return 0;
}

static int
want_words(const struct line *l, size_t min, size_t max, const char *usage)
{
	if (l->n < min || l->n > max)
		return lerr(l, "usage: %s", usage);
	return 0;
}

static int
parse_addr(const struct line *l, const char *s, struct in6_addr *out)
{
	if (inet_pton(AF_INET6, s, out) != 1)
		return lerr(l, "\"%s\" is not an IPv6 address", s);
	return 0;
}

/* "ADDR/LEN"; host bits must be clear unless `host` (a home address). */
static int
parse_prefix(const struct line *l, const char *s, bool host,
    struct mnd_prefix *out)
{
	char buf[64], *slash, *end;
	unsigned long plen;
	struct mnd_prefix net;

	snprintf(buf, sizeof(buf), "%s", s);
	if ((slash = strchr(buf, '/')) == NULL)
		return lerr(l, "\"%s\" is not ADDRESS/LENGTH", s);
	*slash++ = '\0';
	errno = 0;
	plen = strtoul(slash, &end, 10);
	if (*slash < '0' || *slash > '9' || *end != '\0' || errno != 0 ||
	    plen > 128 || inet_pton(AF_INET6, buf, &out->addr) != 1)
		return lerr(l, "\"%s\" is not ADDRESS/LENGTH", s);
	out->plen = (uint8_t)plen;
	if (host)
		return 0;
	memset(&net, 0, sizeof(net));
	net.plen = out->plen;
	memcpy(&net.addr, &out->addr, plen / 8);
	if (plen % 8 != 0)
		net.addr.s6_addr[plen / 8] = (uint8_t)(out->addr.s6_addr[plen /
		    8] & (0xff00u >> (plen % 8)));
	if (memcmp(&net.addr, &out->addr, sizeof(net.addr)) != 0)
		return lerr(l, "prefix %s has bits set beyond /%lu", s, plen);
	return 0;
}

static int
parse_yesno(const struct line *l, bool *out)
{
	if (want_words(l, 2, 2, "KEYWORD yes|no") < 0)
		return -1;
	if (strcmp(l->w[1], "yes") == 0)
		*out = true;
	else if (strcmp(l->w[1], "no") == 0)
		*out = false;
	else
		return lerr(l, "expected yes or no after %s, found \"%s\"",
		    l->w[0], l->w[1]);
	return 0;
}

static int
parse_path(const struct line *l, char *out, size_t cap)
{
	if (want_words(l, 2, 2, "KEYWORD PATH") < 0)
		return -1;
	if (l->w[1][0] != '/')
		return lerr(l, "%s must be an absolute path", l->w[0]);
	if (strlen(l->w[1]) >= cap)
		return lerr(l, "%s is longer than %zu bytes", l->w[0], cap - 1);
	memcpy(out, l->w[1], strlen(l->w[1]) + 1);
	return 0;
}

static int
st_home_address(struct mnd_conf *c, const struct line *l)
{
	struct mnd_hoa *h;
	size_t i;

	if (want_words(l, 2, 4, "home-address ADDRESS/LENGTH "
	    "[home-agent ADDRESS]") < 0)
		return -1;
	if (c->nhoa == MND_HOA_MAX)
		return lerr(l, "more than %d home addresses", MND_HOA_MAX);
	h = &c->hoa[c->nhoa];
	memset(h, 0, sizeof(*h));
	if (parse_prefix(l, l->w[1], true, &h->pfx) < 0)
		return -1;
	for (i = 0; i < c->nhoa; i++)
		if (memcmp(&c->hoa[i].pfx.addr, &h->pfx.addr, 16) == 0)
			return lerr(l, "home address %s given twice", l->w[1]);
	if (l->n == 3 || (l->n == 4 && strcmp(l->w[2], "home-agent") != 0))
		return lerr(l, "expected home-agent ADDRESS after the home "
		    "address");
	if (l->n == 4) {
		if (parse_addr(l, l->w[3], &h->ha) < 0)
			return -1;
		h->has_ha = true;
	}
	c->nhoa++;
	return 0;
}

/* ------------------------------------------- DSMIPv6 (RFC 5555) */

/* The home address the DSMIPv6 statements refine: the last one given. */
static struct mnd_hoa *
last_hoa(struct mnd_conf *c, const struct line *l)
{
	if (c->nhoa == 0) {
		lerr(l, "%s must follow a home-address statement", l->w[0]);
		return NULL;
	}
	return &c->hoa[c->nhoa - 1];
}

static int
parse_addr4(const struct line *l, const char *s, struct in_addr *out)
{
	if (inet_pton(AF_INET, s, out) != 1)
		return lerr(l, "\"%s\" is not an IPv4 address", s);
	return 0;
}

/* A.B.C.D/LEN (LEN 1-32; without "/LEN" when bare is allowed: 32). */
static int
parse_pfx4(const struct line *l, const char *s, bool bare,
    struct in_addr *a, uint8_t *plen)
{
	char buf[32], *slash, *end;
	unsigned long n = 32;

	snprintf(buf, sizeof(buf), "%s", s);
	if ((slash = strchr(buf, '/')) == NULL && !bare)
		return lerr(l, "\"%s\" is not A.B.C.D/LEN", s);
	if (slash != NULL) {
		*slash++ = '\0';
		errno = 0;
		n = strtoul(slash, &end, 10);
		/* §3.1.1: Prefix-len 0 is invalid; the field has 6 bits */
		if (*slash < '0' || *slash > '9' || *end != '\0' ||
		    errno != 0 || n < 1 || n > 32)
			return lerr(l, "\"%s\" is not A.B.C.D/LEN (LEN 1-32)",
			    s);
	}
	if (parse_addr4(l, buf, a) < 0)
		return -1;
	*plen = (uint8_t)n;
	return 0;
}

/* The IPv4 home address (or prefix) of the last home address, once. */
static struct mnd_hoa *
v4_hoa(struct mnd_conf *c, const struct line *l, const char *usage)
{
	struct mnd_hoa *h;

	if (want_words(l, 2, 2, usage) < 0 || (h = last_hoa(c, l)) == NULL)
		return NULL;
	if (h->v4mode != MND_V4_NONE) {
		(void)lerr(l, "a second IPv4 home address or prefix for one "
		    "home address");
		return NULL;
	}
	return h;
}

/*
 * ipv4-home-address A.B.C.D[/LEN] | dynamic (RFC 5555 §3.1.1: 0.0.0.0
 * asks the home agent to assign one; Prefix-len 32 for one address).
 * LEN is the home link's IPv4 prefix length, which the address has
 * there while the mobile node is at home (§4.5 [R]; default 32).
 */
static int
st_v4hoa(struct mnd_conf *c, const struct line *l)
{
	struct mnd_hoa *h = v4_hoa(c, l,
	    "ipv4-home-address A.B.C.D[/LEN]|dynamic");

	if (h == NULL)
		return -1;
	h->v4home_plen = 32;
	if (strcmp(l->w[1], "dynamic") == 0) {
		h->v4mode = MND_V4_DYNAMIC;
		h->v4addr.s_addr = 0;
	} else {
		if (parse_pfx4(l, l->w[1], true, &h->v4addr,
		    &h->v4home_plen) < 0)
			return -1;
		if (h->v4addr.s_addr == 0)
			return lerr(l, "write dynamic, not 0.0.0.0");
		h->v4mode = MND_V4_STATIC;
	}
	h->v4plen = 32;
	return 0;
}

/* ipv4-prefix A.B.C.D/LEN: a mobile router's IPv4 network (RFC 5555
   §3.1.1 P flag); 0.0.0.0/LEN asks the home agent for one. */
static int
st_v4prefix(struct mnd_conf *c, const struct line *l)
{
	struct mnd_hoa *h = v4_hoa(c, l, "ipv4-prefix A.B.C.D/LEN");
	uint8_t plen;
	uint32_t mask;

	if (h == NULL || parse_pfx4(l, l->w[1], false, &h->v4addr, &plen) < 0)
		return -1;
	mask = plen == 32 ? 0xffffffffu : ~(0xffffffffu >> plen);
	if ((ntohl(h->v4addr.s_addr) & ~mask) != 0)
		return lerr(l, "prefix %s has bits set beyond /%u", l->w[1],
		    plen);
	h->v4mode = MND_V4_PREFIX;
	h->v4plen = plen;
	return 0;
}

static int
st_ha4(struct mnd_conf *c, const struct line *l)
{
	struct mnd_hoa *h;

	if (want_words(l, 2, 2, "home-agent-ipv4 A.B.C.D") < 0 ||
	    (h = last_hoa(c, l)) == NULL)
		return -1;
	if (h->has_ha4)
		return lerr(l, "home-agent-ipv4 given twice");
	if (parse_addr4(l, l->w[1], &h->ha4) < 0)
		return -1;
	h->has_ha4 = true;
	return 0;
}

static int
st_udp_port(struct mnd_conf *c, const struct line *l)
{
	unsigned long v;
	char *end;

	if (want_words(l, 2, 2, "udp-source-port PORT") < 0)
		return -1;
	errno = 0;
	v = strtoul(l->w[1], &end, 10);
	if (l->w[1][0] < '0' || l->w[1][0] > '9' || *end != '\0' ||
	    errno != 0 || v < 1 || v > 65535)
		return lerr(l, "expected a port from 1 to 65535 after "
		    "udp-source-port, found \"%s\"", l->w[1]);
	c->udp_port = (uint16_t)v;
	return 0;
}

static int
st_interface(struct mnd_conf *c, const struct line *l)
{
	size_t i;

	if (want_words(l, 2, 2, "interface NAME") < 0)
		return -1;
	if (strlen(l->w[1]) >= IF_NAMESIZE)
		return lerr(l, "interface name \"%s\" too long", l->w[1]);
	for (i = 0; i < c->niface; i++)
		if (strcmp(c->iface[i], l->w[1]) == 0)
			return lerr(l, "interface %s given twice", l->w[1]);
	if (c->niface == MND_IFACE_MAX)
		return lerr(l, "more than %d interfaces", MND_IFACE_MAX);
	snprintf(c->iface[c->niface++], IF_NAMESIZE, "%s", l->w[1]);
	return 0;
}

static int
st_lifetime(struct mnd_conf *c, const struct line *l)
{
	unsigned long v;
	char *end;

	if (want_words(l, 2, 2, "lifetime SECONDS") < 0)
		return -1;
	errno = 0;
	v = strtoul(l->w[1], &end, 10);
	if (l->w[1][0] < '0' || l->w[1][0] > '9' || *end != '\0' ||
	    errno != 0 || v < 4 || v > MND_LIFETIME_MAX)
		return lerr(l, "expected a number from 4 to %u after lifetime, "
		    "found \"%s\"", MND_LIFETIME_MAX, l->w[1]);
	c->lifetime = (uint32_t)v;
	return 0;
}

static int
st_mnp(struct mnd_conf *c, const struct line *l)
{
	struct mnd_mnp *m;

	if (want_words(l, 2, 4, "mobile-network-prefix PREFIX/LENGTH "
	    "[interface NAME]") < 0)
		return -1;
	if (c->nmnp == MND_MNP_MAX)
		return lerr(l, "more than %d mobile network prefixes",
		    MND_MNP_MAX);
	m = &c->mnp[c->nmnp];
	memset(m, 0, sizeof(*m));
	if (parse_prefix(l, l->w[1], false, &m->pfx) < 0)
		return -1;
	if (l->n == 3 || (l->n == 4 && strcmp(l->w[2], "interface") != 0))
		return lerr(l, "expected interface NAME after the prefix");
	if (l->n == 4) {
		if (strlen(l->w[3]) >= IF_NAMESIZE)
			return lerr(l, "interface name \"%s\" too long",
			    l->w[3]);
		snprintf(m->ifname, sizeof(m->ifname), "%s", l->w[3]);
	}
	c->nmnp++;
	return 0;
}

static int
st_regmode(struct mnd_conf *c, const struct line *l)
{
	if (want_words(l, 2, 2, "registration-mode explicit|implicit") < 0)
		return -1;
	if (strcmp(l->w[1], "explicit") == 0)
		c->regmode = MND_REG_EXPLICIT;
	else if (strcmp(l->w[1], "implicit") == 0)
		c->regmode = MND_REG_IMPLICIT;
	else
		return lerr(l, "expected explicit or implicit after "
		    "registration-mode, found \"%s\"", l->w[1]);
	return 0;
}

static int
st_user(struct mnd_conf *c, const struct line *l)
{
	if (want_words(l, 2, 2, "user NAME") < 0)
		return -1;
	if (strlen(l->w[1]) >= sizeof(c->user))
		return lerr(l, "user name too long");
	snprintf(c->user, sizeof(c->user), "%s", l->w[1]);
	return 0;
}

/*
 * `sa in|out spi N peer HA enc ALG [KEY] [auth ALG [KEY]]`: the parser had
 * shares (stack/lib/espsa.h).  The peer is the home agent's address.
 */
static int
st_sa(struct mnd_conf *c, const struct line *l)
{
	struct espsa_conf *sa;
	char msg[256];

	if (c->nsa == MND_SA_MAX)
		return lerr(l, "more than %d sa statements", MND_SA_MAX);
	sa = &c->sa[c->nsa];
	memset(sa, 0, sizeof(*sa));
	sa->line = l->no;
	if (espsa_parse((const char *const *)l->w + 1, l->n - 1, sa, msg,
	    sizeof(msg)) < 0) {
		memset(sa, 0, sizeof(*sa));
		return lerr(l, "%s", msg);
	}
	c->nsa++;
	return 0;
}

/* Statements that may appear once; bit i of `seen` is table row i. */
static int
statement(struct mnd_conf *c, struct line *l)
{
	static const char *const once[] = {
		"lifetime", "mobile-router", "registration-mode",
		"route-optimization", "bus", "control-socket", "state-dir",
		"user", "force-udp", "udp-source-port",
	};
	const char *kw = l->w[0];
	size_t i;

	for (i = 0; i < sizeof(once) / sizeof(once[0]); i++) {
		if (strcmp(kw, once[i]) != 0)
			continue;
		if (*l->seen & (1u << i))
			return lerr(l, "%s given twice", kw);
		*l->seen |= 1u << i;
	}
	if (strcmp(kw, "home-address") == 0)
		return st_home_address(c, l);
	if (strcmp(kw, "interface") == 0)
		return st_interface(c, l);
	if (strcmp(kw, "lifetime") == 0)
		return st_lifetime(c, l);
	if (strcmp(kw, "mobile-router") == 0)
		return parse_yesno(l, &c->mobile_router);
	if (strcmp(kw, "mobile-network-prefix") == 0)
		return st_mnp(c, l);
	if (strcmp(kw, "registration-mode") == 0)
		return st_regmode(c, l);
	if (strcmp(kw, "route-optimization") == 0)
		return parse_yesno(l, &c->route_opt);
	if (strcmp(kw, "bus") == 0)
		return parse_path(l, c->bus, sizeof(c->bus));
	if (strcmp(kw, "control-socket") == 0)
		return parse_path(l, c->control, sizeof(c->control));
	if (strcmp(kw, "state-dir") == 0)
		return parse_path(l, c->state_dir, sizeof(c->state_dir));
	if (strcmp(kw, "user") == 0)
		return st_user(c, l);
	if (strcmp(kw, "ipv4-home-address") == 0)
		return st_v4hoa(c, l);
	if (strcmp(kw, "ipv4-prefix") == 0)
		return st_v4prefix(c, l);
	if (strcmp(kw, "home-agent-ipv4") == 0)
		return st_ha4(c, l);
	if (strcmp(kw, "force-udp") == 0)
		return parse_yesno(l, &c->force_udp);
	if (strcmp(kw, "udp-source-port") == 0)
		return st_udp_port(c, l);
	if (strcmp(kw, "sa") == 0)
		return st_sa(c, l);
	return lerr(l, "unknown statement \"%s\"", kw);
}

/* The set of SAs (espsa_check_set), blamed on the line of the one at
   fault. */
static int
sa_finish(const struct mnd_conf *c, struct line *l)
{
	char msg[256];
	size_t bad;

	if (espsa_check_set(c->sa, c->nsa, &bad, msg, sizeof(msg)) < 0) {
		l->no = c->sa[bad].line;
		return lerr(l, "%s", msg);
	}
	return 0;
}

int
mnd_conf_parse(struct mnd_conf *c, const char *name, const char *text,
    size_t len, char *err, size_t errlen)
{
	char buf[LINE_MAX_LEN];
	uint32_t seen = 0;
	struct line l = { .name = name, .err = err, .errlen = errlen,
	    .seen = &seen };
	size_t pos = 0, n;

	mnd_conf_init(c);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);

		n = nl != NULL ? (size_t)(nl - (text + pos)) : len - pos;
		l.no++;
		if (n >= sizeof(buf))
			return lerr(&l, "line longer than %zu bytes",
			    sizeof(buf) - 1);
		if (memchr(text + pos, '\0', n) != NULL)
			return lerr(&l, "NUL byte in the line");
		memcpy(buf, text + pos, n);
		buf[n] = '\0';
		pos += n + 1;
		if (split(&l, buf) < 0)
			return -1;
		if (l.n > 0 && statement(c, &l) < 0)
			return -1;
	}
	explicit_bzero(buf, sizeof(buf));	/* an sa line's keys */
	return sa_finish(c, &l);
}

/* ------------------------------------------------------------ checks */

int
mnd_conf_check(const struct mnd_conf *c, char *err, size_t errlen)
{
	size_t i, k;

	if (c->nhoa == 0) {
		snprintf(err, errlen, "no home-address");
		return -1;
	}
	if (c->niface == 0) {
		snprintf(err, errlen, "no interface");
		return -1;
	}
	if (c->nmnp > 0 && !c->mobile_router) {
		snprintf(err, errlen, "mobile-network-prefix needs "
		    "mobile-router yes");
		return -1;
	}
	if (c->mobile_router && c->regmode == MND_REG_EXPLICIT &&
	    c->nmnp == 0) {
		snprintf(err, errlen, "registration-mode explicit needs a "
		    "mobile-network-prefix");
		return -1;
	}
	for (k = 0; k < c->nhoa; k++)
		if (c->hoa[k].v4mode == MND_V4_PREFIX && !c->mobile_router) {
			snprintf(err, errlen, "ipv4-prefix needs "
			    "mobile-router yes");
			return -1;
		}
	for (i = 0; i < c->nmnp; i++)
		for (k = 0; k < c->nhoa; k++)
			if (mnd_prefix_contains(&c->mnp[i].pfx,
			    &c->hoa[k].pfx.addr)) {
				snprintf(err, errlen, "a mobile network prefix "
				    "holds a home address");
				return -1;
			}
	return 0;
}

/* ------------------------------------------------------------ printer */

static void
put_pfx(struct sbuf *sb, const struct mnd_prefix *p)
{
	sbuf_in6(sb, &p->addr);
	sbuf_printf(sb, "/%u", p->plen);
}

/* The DSMIPv6 statements of one home address, after its line. */
static void
put_v4(struct sbuf *sb, const struct mnd_hoa *h)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &h->v4addr, a, sizeof(a));
	if (h->v4mode == MND_V4_STATIC && h->v4home_plen != 32)
		sbuf_printf(sb, "ipv4-home-address %s/%u\n", a,
		    h->v4home_plen);
	else if (h->v4mode == MND_V4_STATIC)
		sbuf_printf(sb, "ipv4-home-address %s\n", a);
	else if (h->v4mode == MND_V4_DYNAMIC)
		sbuf_puts(sb, "ipv4-home-address dynamic\n");
	else if (h->v4mode == MND_V4_PREFIX)
		sbuf_printf(sb, "ipv4-prefix %s/%u\n", a, h->v4plen);
	if (h->has_ha4) {
		inet_ntop(AF_INET, &h->ha4, a, sizeof(a));
		sbuf_printf(sb, "home-agent-ipv4 %s\n", a);
	}
}

static void
print_all(struct sbuf *sb, const struct mnd_conf *c, bool keys)
{
	size_t i;

	for (i = 0; i < c->niface; i++)
		sbuf_printf(sb, "interface %s\n", c->iface[i]);
	for (i = 0; i < c->nhoa; i++) {
		sbuf_puts(sb, "home-address ");
		put_pfx(sb, &c->hoa[i].pfx);
		if (c->hoa[i].has_ha) {
			sbuf_puts(sb, " home-agent ");
			sbuf_in6(sb, &c->hoa[i].ha);
		}
		sbuf_putc(sb, '\n');
		put_v4(sb, &c->hoa[i]);
	}
	sbuf_printf(sb, "lifetime %u\n", c->lifetime);
	sbuf_printf(sb, "mobile-router %s\n", c->mobile_router ? "yes" : "no");
	for (i = 0; i < c->nmnp; i++) {
		sbuf_puts(sb, "mobile-network-prefix ");
		put_pfx(sb, &c->mnp[i].pfx);
		if (c->mnp[i].ifname[0] != '\0')
			sbuf_printf(sb, " interface %s", c->mnp[i].ifname);
		sbuf_putc(sb, '\n');
	}
	sbuf_printf(sb, "registration-mode %s\n",
	    c->regmode == MND_REG_EXPLICIT ? "explicit" : "implicit");
	sbuf_printf(sb, "route-optimization %s\n", c->route_opt ? "yes" :
	    "no");
	sbuf_printf(sb, "bus %s\n", c->bus);
	sbuf_printf(sb, "control-socket %s\n", c->control);
	sbuf_printf(sb, "state-dir %s\n", c->state_dir);
	sbuf_printf(sb, "user %s\n", c->user);
	sbuf_printf(sb, "force-udp %s\n", c->force_udp ? "yes" : "no");
	sbuf_printf(sb, "udp-source-port %u\n", c->udp_port);
	for (i = 0; i < c->nsa; i++)
		espsa_print(sb, &c->sa[i], keys);
}

void
mnd_conf_print(struct sbuf *sb, const struct mnd_conf *c)
{
	print_all(sb, c, true);
}

void
mnd_conf_print_public(struct sbuf *sb, const struct mnd_conf *c)
{
	print_all(sb, c, false);
}
