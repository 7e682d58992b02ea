/*
 * tmpl.c - templates: check, build, match and print (see tmpl.h).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "packets/mh.h"
#include "packets/pkt.h"
#include "packets/rr.h"
#include "packets/sbuf.h"
#include "packets/viol.h"
#include "tmpl.h"
#include "util.h"

#define ERRLEN	256

enum ires { I_OK, I_FAIL, I_ERROR };

/* The received frame a pattern is matched against (tokens= needs it). */
struct mframe {
	const uint8_t	*data;
	size_t		 len;
};

/* An item key: "seq", "acoa", or an option's Length "acoa.len". */
struct keyref {
	char	base[48];
	bool	len;
};

static bool
split_key(const char *key, struct keyref *k)
{
	const char *dot = strchr(key, '.');

	k->len = false;
	if (dot == NULL) {
		str_copy(k->base, key, sizeof(k->base));
		return true;
	}
	if (strcmp(dot, ".len") != 0 || (size_t)(dot - key) >=
	    sizeof(k->base))
		return false;
	memcpy(k->base, key, (size_t)(dot - key));
	k->base[dot - key] = '\0';
	k->len = true;
	return true;
}

static const char *
op_str(enum top op)
{
	static const char *const s[] = {
		[TOP_EQ] = "=", [TOP_NE] = "!=", [TOP_LT] = "<",
		[TOP_LE] = "<=", [TOP_GT] = ">", [TOP_GE] = ">=",
		[TOP_ANY] = "=", [TOP_ONEOF] = "=", [TOP_CAPTURE] = "=",
		[TOP_SET] = "", [TOP_ABSENT] = "!",
	};

	return s[op];
}

static bool
op_relational(enum top op)
{
	return op == TOP_LT || op == TOP_LE || op == TOP_GT || op == TOP_GE;
}

static bool
op_pattern_only(enum top op)
{
	return op == TOP_NE || op_relational(op) || op == TOP_ANY ||
	    op == TOP_ONEOF || op == TOP_CAPTURE;
}

static int
layer_msgtype(const struct tlayer *l)
{
	if (l->def->word != W_MSGTYPE || l->word == NULL)
		return -1;
	return msgtype_parse(l->def, l->word);
}

/* "seq lifetime A H ..." : the fields of a layer, for error messages. */
static void
list_fields(const struct layer_def *def, int msgtype, char *buf, size_t cap)
{
	const struct field_tab *t[4];
	size_t nt, i, k, len = 0;

	buf[0] = '\0';
	nt = def->tables(msgtype, t, 4);
	for (i = 0; i < nt; i++)
		for (k = 0; k < t[i]->n && len + 1 < cap; k++)
			len += (size_t)snprintf(buf + len, cap - len, "%s%s",
			    len > 0 ? " " : "", t[i]->f[k].name);
	if (len >= cap && cap > 4)
		strcpy(buf + cap - 4, "...");
}

/* ------------------------------------------------------------- check */

static const char *
check_value(const struct fdef *fd, const char *val, char *msg, size_t cap)
{
	struct fval v;

	if (vars_has_ref(val) || fval_parse(fd, val, &v, msg, cap))
		return NULL;
	return msg;
}

static const char *
check_op(const struct layer_def *def, const struct titem *it,
    const struct fdef *fd, bool pattern, char *msg, size_t cap)
{
	if (!pattern && op_pattern_only(it->op))
		snprintf(msg, cap, "'%s%s%s' is a pattern: use it in an expect "
		    "template", it->key, op_str(it->op), it->op == TOP_ONEOF ?
		    "oneof(...)" : it->val != NULL ? it->val : "");
	else if (op_relational(it->op) && !fval_ordered(fd))
		snprintf(msg, cap, "%s %s: < <= > >= compare numbers only",
		    def->name, it->key);
	else if ((it->op == TOP_SET || it->op == TOP_ABSENT) &&
	    (fd->kind == FK_FIELD || fd->kind == FK_CTL))
		snprintf(msg, cap, "%s needs a value (%s=...)", it->key,
		    it->key);
	else if ((it->op == TOP_SET || it->op == TOP_ABSENT) &&
	    fd->kind != FK_FLAG && !pattern)
		snprintf(msg, cap, "%s needs a value to be sent (%s=...)",
		    it->key, it->key);
	else if (fd->kind == FK_CTL && pattern)
		snprintf(msg, cap, "%s= only applies to packets sent",
		    it->key);
	else if (fd->kind == FK_SIGN && it->op != TOP_EQ)
		snprintf(msg, cap, "%s takes the keygen tokens: %s=HOME/CAREOF",
		    it->key, it->key);
	else if (fd->kind == FK_SA && it->op != TOP_EQ)
		snprintf(msg, cap, "%s takes the name of a NUT description's "
		    "SA: %s=NAME", it->key, it->key);
	else if (fd->kind == FK_FLAG && it->op != TOP_SET &&
	    it->op != TOP_ABSENT && it->op != TOP_EQ && it->op != TOP_ANY &&
	    it->op != TOP_CAPTURE)
		snprintf(msg, cap, "%s is a flag: write %s or !%s", it->key,
		    it->key, it->key);
	else if (fd->kind == FK_EXT && !pattern && fd->get == NULL)
		snprintf(msg, cap, "%s cannot be sent", it->key);
	else
		return NULL;
	return msg;
}

static const char *
check_item(const struct tlayer *l, int msgtype, const struct titem *it,
    bool pattern, char *msg, size_t cap)
{
	struct keyref k;
	const struct fdef *fd;
	char list[320];	/* every field of the longest message type */
	size_t i;

	if (!split_key(it->key, &k) || (fd = field_lookup(l->def, msgtype,
	    k.base)) == NULL) {
		list_fields(l->def, msgtype, list, sizeof(list));
		if (l->def->word == W_MSGTYPE)
			snprintf(msg, cap, "%s %s has no field '%s' (fields: "
			    "%s)", l->def->name, l->word, it->key, list);
		else
			snprintf(msg, cap, "%s has no field '%s' (fields: %s)",
			    l->def->name, it->key, list);
		return msg;
	}
	if (k.len) {
		if (fd->kind != FK_OPT || l->def->kind != HDR_MH) {
			snprintf(msg, cap, "%s: .len applies to mobility "
			    "options only", it->key);
			return msg;
		}
		if (it->op == TOP_SET || it->op == TOP_ABSENT) {
			snprintf(msg, cap, "%s needs a value", it->key);
			return msg;
		}
		return NULL;
	}
	if (check_op(l->def, it, fd, pattern, msg, cap) != NULL)
		return msg;
	if (it->op == TOP_CAPTURE) {
		if (vars_name_ok(it->val))
			return NULL;
		snprintf(msg, cap, "%s=?%s: '%s' is not a variable name",
		    it->key, it->val, it->val);
		return msg;
	}
	if (it->op == TOP_ONEOF) {
		for (i = 0; i < it->nalt; i++)
			if (check_value(fd, it->alts[i], msg, cap) != NULL)
				return msg;
		return NULL;
	}
	if (it->val != NULL && it->op != TOP_ANY)
		return check_value(fd, it->val, msg, cap);
	return NULL;
}

/* Try the literal values of a sent layer on a scratch packet. */
static const char *
check_send(const struct tlayer *l, int msgtype, char *msg, size_t cap)
{
	struct pkt *p = xmalloc(sizeof(*p));
	const char *r = NULL;
	struct fctx c;
	size_t i;
	int hi;

	pkt_init(p, PKT_LINK_ETHER);
	hi = l->def->push(p, msgtype < 0 ? 0 : msgtype, NULL);
	for (i = 0; i < l->nitem && r == NULL && hi >= 0; i++) {
		const struct titem *it = &l->items[i];
		const struct fdef *fd;
		struct keyref k;
		struct fval v;
		const char *e;

		if (it->op != TOP_EQ || vars_has_ref(it->val) ||
		    !split_key(it->key, &k) || k.len ||
		    (fd = field_lookup(l->def, msgtype, k.base)) == NULL ||
		    fd->set == NULL || !fval_parse(fd, it->val, &v, msg, cap))
			continue;
		c.p = p;
		c.hi = (size_t)hi;
		c.nth = 0;
		c.param = field_key_param(k.base);
		if ((e = fd->set(fd, &c, &v)) != NULL) {
			snprintf(msg, cap, "%s", e);
			r = msg;
		}
	}
	free(p);
	return r;
}

const char *
tmpl_check_layer(const struct tlayer *l, bool pattern)
{
	static char msg[ERRLEN + 200];
	struct in6_addr a;
	int msgtype = -1;
	size_t i;

	if (l->def->word == W_MSGTYPE) {
		if (l->word == NULL) {
			snprintf(msg, sizeof(msg), "%s needs a message type "
			    "(e.g. %s)", l->def->name, l->def->kind == HDR_MH ?
			    "mh BU" : "icmp6 echo-request");
			return msg;
		}
		if ((msgtype = msgtype_parse(l->def, l->word)) == -1) {
			snprintf(msg, sizeof(msg), "unknown %s type '%s'",
			    l->def->name, l->word);
			return msg;
		}
		if (msgtype == MSGTYPE_ANY && !pattern) {
			snprintf(msg, sizeof(msg), "%s * matches any type: use "
			    "it in an expect template", l->def->name);
			return msg;
		}
	} else if (l->def->word == W_ADDR && l->word != NULL &&
	    !vars_has_ref(l->word) && inet_pton(AF_INET6, l->word, &a) != 1) {
		snprintf(msg, sizeof(msg), "%s %s: not an IPv6 address",
		    l->def->name, l->word);
		return msg;
	} else if (l->def->word == W_NONE && l->word != NULL) {
		snprintf(msg, sizeof(msg), "%s: '%s' is not key=value",
		    l->def->name, l->word);
		return msg;
	}
	for (i = 0; i < l->nitem; i++)
		if (check_item(l, msgtype, &l->items[i], pattern, msg,
		    sizeof(msg)) != NULL)
			return msg;
	if (!pattern)
		return check_send(l, msgtype, msg, sizeof(msg));
	return NULL;
}

/* ------------------------------------------------------------- build */

static bool
expand(const struct vars *vs, const char *in, char *out, size_t cap,
    char *err, size_t errcap)
{
	return vars_expand(vs, in, out, cap, err, errcap);
}

/* The hoa= / rh2= items of an mh or icmp6 line become their own headers,
 * Type 2 Routing header first (RFC 8200 §4.1, RFC 6275 §6.3). */
static int
push_ext(const struct tlayer *l, int msgtype, const struct vars *vs,
    struct pkt *p, char *err, size_t cap)
{
	static const char *const order[] = { "rh2", "hoa" };
	char val[VAR_VALUE_MAX], e[ERRLEN];
	struct in6_addr a;
	size_t i, k;

	for (k = 0; k < 2; k++)
		for (i = 0; i < l->nitem; i++) {
			const struct titem *it = &l->items[i];
			const struct fdef *fd = field_lookup(l->def, msgtype,
			    it->key);

			if (fd == NULL || fd->kind != FK_EXT ||
			    strcmp(it->key, order[k]) != 0)
				continue;
			if (!expand(vs, it->val, val, sizeof(val), e,
			    sizeof(e))) {
				str_fmt(err, cap, "line %d: %s=%s: %s", l->line,
				    it->key, it->val, e);
				return -1;
			}
			if (inet_pton(AF_INET6, val, &a) != 1) {
				str_fmt(err, cap, "line %d: %s=%s: %s is not "
				    "an IPv6 address", l->line, it->key,
				    it->val, val);
				return -1;
			}
			if ((k == 0 ? pkt_push_rh2(p, &a) :
			    pkt_push_hao(p, &a)) == NULL)
				goto full;
		}
	return 0;
full:
	snprintf(err, cap, "line %d: too many headers", l->line);
	return -1;
}

static int
build_item(const struct tlayer *l, int msgtype, const struct titem *it,
    const struct vars *vs, struct fctx *c, char *err, size_t cap)
{
	char val[VAR_VALUE_MAX], e[ERRLEN];
	const struct fdef *fd;
	struct keyref k;
	struct fval v;
	const char *m;
	uint64_t n;

	if (!split_key(it->key, &k) ||
	    (fd = field_lookup(l->def, msgtype, k.base)) == NULL) {
		snprintf(err, cap, "line %d: no field %s", l->line, it->key);
		return -1;
	}
	if (fd->kind == FK_EXT || fd->kind == FK_SIGN || fd->kind == FK_SA)
		return 0;	/* own headers (push_ext); signed at encode;
				   sealed (esp_build) */
	c->param = field_key_param(k.base);
	if (it->op == TOP_SET || it->op == TOP_ABSENT) {
		v.type = FV_BOOL;
		v.u = it->op == TOP_SET;
		m = fd->set(fd, c, &v);
		goto done;
	}
	if (!expand(vs, it->val, val, sizeof(val), e, sizeof(e))) {
		snprintf(err, cap, "line %d: %s: %s", l->line, it->key, e);
		return -1;
	}
	if (k.len) {
		if (!parse_u64(val, &n)) {
			snprintf(err, cap, "line %d: %s=%s: not a number",
			    l->line, it->key, val);
			return -1;
		}
		m = field_optlen_set(fd, c, n);
		goto done;
	}
	if (!fval_parse(fd, val, &v, e, sizeof(e))) {
		snprintf(err, cap, "line %d: %s", l->line, e);
		return -1;
	}
	m = fd->set != NULL ? fd->set(fd, c, &v) : "cannot be sent";
done:
	if (m != NULL) {
		snprintf(err, cap, "line %d: %s: %s", l->line, it->key, m);
		return -1;
	}
	return 0;
}

static bool
has_item(const struct tlayer *l, const char *key)
{
	size_t i;

	for (i = 0; i < l->nitem; i++)
		if (strcmp(l->items[i].key, key) == 0)
			return true;
	return false;
}

/*
 * The Binding Authorization Data option a tokens= item signs, last (RFC
 * 6275 §6.2.7); its authenticator is filled in once the packet is encoded.
 */
static int
add_bad_option(struct pkt *p)
{
	struct mh_opt *o = mh_add_opt(&p->mh, MHOPT_BAD);

	if (o == NULL)
		return -1;
	o->var_len = RR_AUTH_LEN;
	memset(o->var, 0, RR_AUTH_LEN);
	return 0;
}

/* ------------------------------------------------------------- ESP */

static const struct titem *
find_item(const struct tlayer *l, const char *key)
{
	size_t i;

	for (i = 0; i < l->nitem; i++)
		if (strcmp(l->items[i].key, key) == 0)
			return &l->items[i];
	return NULL;
}

/*
 * The SA an esp line's sa=NAME names: the NUT description's `sa NAME`,
 * as the variable $sa.NAME holds it (nut_vars).  0, or -1 with err.
 */
static int
esp_sa_of(const struct tlayer *l, const struct vars *vs, char *name,
    size_t ncap, struct esp_sa *sa, char *err, size_t cap)
{
	const struct titem *it = find_item(l, "sa");
	char key[VAR_VALUE_MAX + 4], e[ERRLEN];
	const char *text, *why;

	if (it == NULL || it->val == NULL)
		return 1;
	if (!expand(vs, it->val, name, ncap, e, sizeof(e))) {
		str_fmt(err, cap, "line %d: sa=%s: %s", l->line, it->val, e);
		return -1;
	}
	snprintf(key, sizeof(key), "sa.%s", name);
	if ((text = vars_get(vs, key)) == NULL) {
		str_fmt(err, cap, "line %d: sa=%s: the NUT description has no "
		    "`sa %s` line", l->line, name, name);
		return -1;
	}
	if ((why = pkt_esp_sa_parse(text, sa)) != NULL) {
		str_fmt(err, cap, "line %d: sa=%s: %s", l->line, name, why);
		return -1;
	}
	return 0;
}

/* The sequence number an esp line sends: seq= or one more than the
   SA's last in this run ($sa.NAME.seq), from 1 (RFC 4303 §3.3.3). */
static int
esp_seq_of(const struct tlayer *l, const struct vars *vs, const char *name,
    uint32_t *seq, char *err, size_t cap)
{
	const struct titem *it = find_item(l, "seq");
	char key[VAR_VALUE_MAX + 8], val[VAR_VALUE_MAX], e[ERRLEN];
	const char *last;
	uint64_t n = 0;

	if (it != NULL && it->op == TOP_EQ) {
		if (!expand(vs, it->val, val, sizeof(val), e, sizeof(e)) ||
		    !parse_u64(val, &n) || n > UINT32_MAX) {
			str_fmt(err, cap, "line %d: seq=%s: not a 32-bit "
			    "number", l->line, it->val);
			return -1;
		}
		*seq = (uint32_t)n;
		return 0;
	}
	snprintf(key, sizeof(key), "sa.%s.seq", name);
	if ((last = vars_get(vs, key)) != NULL && !parse_u64(last, &n))
		n = 0;
	*seq = (uint32_t)(n + 1);
	return 0;
}

/* esp sa=NAME: the layers after this header are sealed with the SA. */
static int
esp_build(const struct tlayer *l, const struct vars *vs, struct hdr *h,
    char *err, size_t cap)
{
	char name[VAR_VALUE_MAX];
	struct esp_sa sa;
	uint32_t seq;
	int rc;

	if ((rc = esp_sa_of(l, vs, name, sizeof(name), &sa, err, cap)) != 0)
		return rc < 0 ? -1 : 0;
	if (esp_seq_of(l, vs, name, &seq, err, cap) < 0)
		return -1;
	h->u.ipsec.seal = true;
	h->u.ipsec.sa = sa;
	h->u.ipsec.seq = seq;
	if (!has_item(l, "spi"))
		h->u.ipsec.spi = sa.spi;
	return 0;
}

void
tmpl_esp_sent(const struct tmpl *t, struct vars *vs)
{
	char name[VAR_VALUE_MAX], key[VAR_VALUE_MAX + 8], val[16],
	    err[ERRLEN];
	struct esp_sa sa;
	uint32_t seq;
	size_t i;

	for (i = 0; i < t->nlayer; i++) {
		const struct tlayer *l = &t->layers[i];

		if (l->def->kind != HDR_ESP || esp_sa_of(l, vs, name,
		    sizeof(name), &sa, err, sizeof(err)) != 0 ||
		    esp_seq_of(l, vs, name, &seq, err, sizeof(err)) < 0)
			continue;
		snprintf(key, sizeof(key), "sa.%s.seq", name);
		snprintf(val, sizeof(val), "%u", seq);
		vars_set(vs, key, val);
	}
}

/*
 * RFC 3776 §3.1-§3.2, RFC 6275 §6.3: the Type 2 Routing header and the
 * Home Address option an mh line adds stay in front of ESP (transport
 * mode protects what follows it): move the ESP header just pushed
 * (at esp) behind them.
 */
static void
esp_after_ext(struct pkt *p, size_t esp)
{
	struct hdr e;

	if (esp + 1 >= p->nhdr || p->h[esp].kind != HDR_ESP)
		return;
	e = p->h[esp];
	memmove(&p->h[esp], &p->h[esp + 1], (p->nhdr - esp - 1) *
	    sizeof(p->h[0]));
	p->h[p->nhdr - 1] = e;
}

static int
build_layer(const struct tlayer *l, const struct vars *vs,
    const struct tmpl_link *link, struct pkt *p, char *err, size_t cap)
{
	char val[VAR_VALUE_MAX], e[ERRLEN];
	struct in6_addr a, *ap = NULL;
	int msgtype = layer_msgtype(l), hi;
	struct fctx c;
	size_t i;

	if (l->def->word == W_ADDR && l->word != NULL) {
		if (!expand(vs, l->word, val, sizeof(val), e, sizeof(e))) {
			str_fmt(err, cap, "line %d: %s %s: %s", l->line,
			    l->def->name, l->word, e);
			return -1;
		}
		if (inet_pton(AF_INET6, val, &a) != 1) {
			str_fmt(err, cap, "line %d: %s %s: %s is not an IPv6 "
			    "address", l->line, l->def->name, l->word, val);
			return -1;
		}
		ap = &a;
	}
	if (l->def->word == W_MSGTYPE) {
		size_t before = p->nhdr;

		if (push_ext(l, msgtype, vs, p, err, cap) < 0)
			return -1;
		if (before > 0)
			esp_after_ext(p, before - 1);
	}
	if ((hi = l->def->push(p, msgtype, ap)) < 0) {
		snprintf(err, cap, "line %d: too many headers", l->line);
		return -1;
	}
	c.p = p;
	c.hi = (size_t)hi;
	c.nth = 0;
	for (i = 0; i < l->nitem; i++)
		if (build_item(l, msgtype, &l->items[i], vs, &c, err, cap) < 0)
			return -1;
	if (l->def->kind == HDR_ESP && esp_build(l, vs, &p->h[hi], err,
	    cap) < 0)
		return -1;
	if (l->def->kind == HDR_MH && has_item(l, "tokens") &&
	    !has_item(l, "bad") && add_bad_option(p) < 0) {
		snprintf(err, cap, "line %d: too many mobility options",
		    l->line);
		return -1;
	}
	if (l->def->kind == HDR_ETH && link != NULL) {
		if (!has_item(l, "src"))
			memcpy(p->h[hi].u.eth.src, link->src_mac, 6);
		if (!has_item(l, "dst"))
			memcpy(p->h[hi].u.eth.dst, link->dst_mac, 6);
	}
	/* RFC 826: the sender's hardware address is the frame's source
	   (the tester's MAC unless ether src= says otherwise) */
	if (l->def->kind == HDR_ARP && !has_item(l, "sha") && p->nhdr > 0 &&
	    p->h[0].kind == HDR_ETH)
		memcpy(p->h[hi].u.arp.sha, p->h[0].u.eth.src, 6);
	return 0;
}

/*
 * An ARP request is broadcast (RFC 826: the asker does not know the
 * target's hardware address), unless the template's ether line gives
 * dst= (a unicast request, as RFC 1122 §2.3.2.1 refreshes with).
 */
static void
arp_broadcast(const struct tmpl *t, struct pkt *p)
{
	const struct hdr *arp = pkt_find(p, HDR_ARP);

	if (arp == NULL || arp->u.arp.op != ARP_OP_REQUEST ||
	    p->h[0].kind != HDR_ETH || (t->nlayer > 0 &&
	    t->layers[0].def->kind == HDR_ETH &&
	    has_item(&t->layers[0], "dst")))
		return;
	memset(p->h[0].u.eth.dst, 0xff, 6);
}

int
tmpl_build(const struct tmpl *t, const struct vars *vs,
    const struct tmpl_link *link, struct pkt *p, char *err, size_t cap)
{
	size_t i;
	struct hdr *h;

	pkt_init(p, PKT_LINK_ETHER);
	if (t->nlayer == 0 || t->layers[0].def->kind != HDR_ETH) {
		if ((h = pkt_push(p, HDR_ETH)) == NULL)
			return -1;
		if (link != NULL) {
			memcpy(h->u.eth.src, link->src_mac, 6);
			memcpy(h->u.eth.dst, link->dst_mac, 6);
		}
	}
	for (i = 0; i < t->nlayer; i++)
		if (build_layer(&t->layers[i], vs, link, p, err, cap) < 0)
			return -1;
	arp_broadcast(t, p);
	return 0;
}

/* ------------------------------------------------------ authorization */

/* A keygen token as tokens= canonically writes it: 16 hex digits. */
static bool
hex_token(const char *s, uint8_t tok[RR_TOKEN_LEN])
{
	unsigned b;
	size_t i;

	if (strlen(s) != 2 * RR_TOKEN_LEN)
		return false;
	for (i = 0; i < RR_TOKEN_LEN; i++) {
		if (sscanf(s + 2 * i, "%2x", &b) != 1)
			return false;
		tok[i] = (uint8_t)b;
	}
	return true;
}

/*
 * The Kbm of a tokens= value "HOME/CAREOF" or "HOME" (RFC 6275 §5.2.5:
 * Kbm = SHA1(home keygen token | care-of keygen token), or SHA1(home
 * keygen token) for a de-registration).  0, or -1 with a message.
 */
static int
tokens_kbm(const struct fdef *fd, const char *text, const struct vars *vs,
    uint8_t kbm[RR_KBM_LEN], char *err, size_t cap)
{
	uint8_t home[RR_TOKEN_LEN], careof[RR_TOKEN_LEN];
	char val[VAR_VALUE_MAX];
	const char *slash;
	struct fval v;

	if (!expand(vs, text, val, sizeof(val), err, cap) ||
	    !fval_parse(fd, val, &v, err, cap))
		return -1;
	slash = strchr(v.str, '/');
	if (slash != NULL)
		v.str[slash - v.str] = '\0';
	if (!hex_token(v.str, home) ||
	    (slash != NULL && !hex_token(slash + 1, careof)) ||
	    rr_kbm(home, slash != NULL ? careof : NULL, kbm) < 0) {
		str_fmt(err, cap, "tokens=%s: cannot compute Kbm", val);
		return -1;
	}
	return 0;
}

/*
 * The addresses the authenticator covers (RFC 6275 §5.2.6): the mobile
 * node's care-of address and the correspondent's.  A Binding Update goes
 * from the care-of address to the correspondent; a Binding Acknowledgement
 * back.  The MH checksum's pseudo-header uses the home address of a Home
 * Address option as source and that of a Type 2 Routing header as
 * destination (§6.1.1).
 */
struct auth_addrs {
	struct in6_addr	coa, cn, src, dst;
};

static bool
auth_addrs(const struct pkt *p, struct auth_addrs *a)
{
	const struct hdr_ipv6 *ip6 = pkt_inner_ip6(p);
	const struct in6_addr *hao = pkt_hao(p), *rh2 = pkt_rh2(p);

	if (ip6 == NULL || !p->has_mh)
		return false;
	a->coa = p->mh.type == MH_BU ? ip6->src : ip6->dst;
	a->cn = p->mh.type == MH_BU ? ip6->dst : ip6->src;
	a->src = hao != NULL ? *hao : ip6->src;
	a->dst = rh2 != NULL ? *rh2 : ip6->dst;
	return true;
}

/* The tokens= item of the template's mh line, or NULL. */
static const struct titem *
tokens_item(const struct tmpl *t, const struct tlayer **lp)
{
	size_t i, k;

	for (i = 0; i < t->nlayer; i++)
		for (k = 0; k < t->layers[i].nitem; k++)
			if (t->layers[i].def->kind == HDR_MH &&
			    strcmp(t->layers[i].items[k].key, "tokens") == 0) {
				*lp = &t->layers[i];
				return &t->layers[i].items[k];
			}
	return NULL;
}

/* Sign the encoded frame's MH in place with the tokens= Kbm. */
static int
sign_frame(const struct tmpl *t, const struct vars *vs, uint8_t *buf,
    size_t len, char *err, size_t cap)
{
	const struct tlayer *l = NULL;
	const struct titem *it = tokens_item(t, &l);
	uint8_t kbm[RR_KBM_LEN];
	struct auth_addrs a;
	const struct hdr *mh;
	struct pkt *p;
	char e[ERRLEN];
	int rc = -1;

	if (it == NULL)
		return 0;
	if (tokens_kbm(field_lookup(l->def, layer_msgtype(l), "tokens"),
	    it->val, vs, kbm, e, sizeof(e)) < 0) {
		str_fmt(err, cap, "line %d: %s", l->line, e);
		return -1;
	}
	p = xmalloc(sizeof(*p));
	pkt_decode(p, PKT_LINK_ETHER, buf, len);
	if ((mh = pkt_find(p, HDR_MH)) != NULL && auth_addrs(p, &a) &&
	    rr_sign_mh(buf + mh->off, len - mh->off, kbm, &a.coa, &a.cn,
	    &a.src, &a.dst) == 0)
		rc = 0;
	else
		snprintf(err, cap, "line %d: tokens=: no well-formed Binding "
		    "Authorization Data option last to sign", l->line);
	free(p);
	return rc;
}

int
tmpl_encode(const struct tmpl *t, const struct vars *vs,
    const struct tmpl_link *link, struct pkt *p, uint8_t *buf, size_t cap,
    size_t *len, char *err, size_t errcap)
{
	if (tmpl_build(t, vs, link, p, err, errcap) < 0)
		return -1;
	if (pkt_encode(p, buf, cap, len) < 0) {
		snprintf(err, errcap, "longer than %zu bytes", cap);
		return -1;
	}
	return sign_frame(t, vs, buf, *len, err, errcap);
}

/* Does the received MH's authenticator verify with the tokens' Kbm? */
static enum ires
eval_tokens(const struct fdef *fd, const struct titem *it,
    const struct fctx *c, const struct vars *vs, const struct mframe *mf,
    char *err, size_t cap)
{
	const struct hdr *h = &c->p->h[c->hi];
	uint8_t kbm[RR_KBM_LEN];
	struct auth_addrs a;
	size_t mlen;

	if (mf == NULL || mf->data == NULL) {
		snprintf(err, cap, "tokens= needs the received frame");
		return I_ERROR;
	}
	if (tokens_kbm(fd, it->val, vs, kbm, err, cap) < 0)
		return I_ERROR;
	mlen = c->p->mh.len;
	if (!auth_addrs(c->p, &a) || h->off > mf->len ||
	    mlen > mf->len - h->off)
		return I_FAIL;
	return rr_verify_mh(mf->data + h->off, mlen, kbm, &a.coa, &a.cn) == 1 ?
	    I_OK : I_FAIL;
}

/* ------------------------------------------------------------- match */

/* The layer name a decoded header has in the template language. */
static const char *
hdr_layer_name(const struct pkt *p, size_t i)
{
	const struct layer_def *const *l;

	if (p->h[i].kind == HDR_DSTOPT && layer_lookup("hao")->accepts(p, i))
		return "hao";
	if (p->h[i].kind == HDR_RH && layer_lookup("rh2")->accepts(p, i))
		return "rh2";
	for (l = layer_all(); *l != NULL; l++)
		if ((*l)->kind == p->h[i].kind)
			return (*l)->name;
	return hdr_kind_name(p->h[i].kind);
}

static void
fmt_layers_actual(const struct pkt *p, size_t from, char *buf, size_t cap)
{
	size_t i, k = 0;

	buf[0] = '\0';
	for (i = from; i < p->nhdr && k < cap; i++)
		k += (size_t)snprintf(buf + k, cap - k, "%s%s", i > from ?
		    " " : "", hdr_layer_name(p, i));
}

static void
fmt_layers_expected(const struct tmpl *t, char *buf, size_t cap)
{
	size_t i, k = 0;

	buf[0] = '\0';
	for (i = 0; i < t->nlayer && k < cap; i++)
		k += (size_t)snprintf(buf + k, cap - k, "%s%s", i > 0 ? " " :
		    "", t->layers[i].def->name);
}

/* Index of the first header the template's first layer applies to. */
static size_t
first_header(const struct tmpl *t, const struct pkt *p)
{
	if (p->nhdr > 0 && (p->h[0].kind == HDR_ETH ||
	    p->h[0].kind == HDR_SLL) && (t->nlayer == 0 ||
	    t->layers[0].def->kind != HDR_ETH))
		return 1;
	return 0;
}

/* "BA", "param-problem", "ipv6": how a layer is named in messages. */
static const char *
layer_ctx(const struct tlayer *l)
{
	int mt = layer_msgtype(l);

	if (l->def->word != W_MSGTYPE)
		return l->def->name;
	if (mt == MSGTYPE_ANY)
		return l->def->kind == HDR_MH ? "MH" : "ICMPv6";
	return msgtype_name(l->def, mt);
}

/*
 * Before a message line, step over a Type 2 Routing header and a HAO
 * header the template does not list: they are properties of the message
 * (hoa= / rh2= on the line, as the printer shows them); `!hoa` and
 * `!rh2` require their absence.
 */
static size_t
skip_ext(const struct tmpl *t, size_t i, const struct pkt *p, size_t h)
{
	const struct tlayer *l = &t->layers[i];
	const struct layer_def *prev = i > 0 ? t->layers[i - 1].def : NULL;
	const struct layer_def *rh2 = layer_lookup("rh2"),
	    *hao = layer_lookup("hao");

	/* an esp line too: they stay in front of ESP (RFC 3776 §3) */
	if (l->def->word != W_MSGTYPE && l->def->kind != HDR_ESP)
		return h;
	if (prev != rh2 && h < p->nhdr && rh2->accepts(p, h))
		h++;
	if (prev != hao && h < p->nhdr && hao->accepts(p, h))
		h++;
	return h;
}

/* Why an ESP header was not opened: its V_ESP_OPEN violation, or no
   SA for its SPI. */
static void
esp_open_why(const struct pkt *p, const struct hdr *h, char *buf,
    size_t cap)
{
	size_t i;

	for (i = 0; i < p->viol.n && i < VIOL_MAX; i++)
		if (p->viol.v[i].code == V_ESP_OPEN &&
		    p->viol.v[i].off == h->off) {
			str_copy(buf, p->viol.v[i].s, cap);
			return;
		}
	str_fmt(buf, cap, "no SA of the NUT description has SPI 0x%x",
	    h->u.ipsec.spi);
}

/* " (ESP not opened: why)" for the first ESP header not opened, or "". */
static const char *
esp_unopened_note(const struct pkt *p, char *buf, size_t cap)
{
	char why[160];
	size_t i;

	for (i = 0; i < p->nhdr; i++)
		if (p->h[i].kind == HDR_ESP && !p->h[i].u.ipsec.opened) {
			esp_open_why(p, &p->h[i], why, sizeof(why));
			str_fmt(buf, cap, " (ESP not opened: %s)", why);
			return buf;
		}
	return "";
}

/*
 * The layers must be the packet's headers in order; map[i] gets the
 * header of layer i.
 */
static bool
match_shape(const struct tmpl *t, const struct pkt *p, size_t base,
    size_t *map, struct match_res *r)
{
	char exp[160], act[160], note[200];
	size_t i, h = base;
	int mt, at;

	for (i = 0; i < t->nlayer && i < PKT_MAX_HDRS; i++) {
		const struct tlayer *l = &t->layers[i];

		h = skip_ext(t, i, p, h);
		if (h >= p->nhdr || !l->def->accepts(p, h))
			break;
		map[i] = h++;
		r->score++;
		/* an ESP body not opened: its opaque data is the esp line's;
		   a pattern's last esp line takes whatever it protects */
		if (l->def->kind == HDR_ESP && !p->h[map[i]].u.ipsec.opened &&
		    h < p->nhdr && p->h[h].kind == HDR_DATA &&
		    p->h[h].u.data.proto == 50)
			h++;
		if (l->def->kind == HDR_ESP && i + 1 == t->nlayer)
			h = p->nhdr;
		mt = layer_msgtype(l);
		at = msgtype_of(l->def, p, map[i]);
		if (l->def->word == W_MSGTYPE && mt != MSGTYPE_ANY &&
		    mt != at) {
			r->line = l->line;
			snprintf(r->why, sizeof(r->why), "%s type: expected %s "
			    "vs actual %s", l->def->kind == HDR_MH ? "MH" :
			    "ICMPv6", msgtype_name(l->def, mt),
			    msgtype_name(l->def, at));
			return false;
		}
	}
	if (i == t->nlayer && h == p->nhdr) {
		r->score += 100;
		return true;
	}
	fmt_layers_expected(t, exp, sizeof(exp));
	fmt_layers_actual(p, base, act, sizeof(act));
	r->line = i < t->nlayer ? t->layers[i].line : t->line;
	snprintf(r->why, sizeof(r->why), "layers: expected %s vs actual %s%s",
	    exp, act, esp_unopened_note(p, note, sizeof(note)));
	return false;
}

/* The expected value of an item as text, for messages. */
static void
fmt_expected(const struct fdef *fd, const struct titem *it,
    const struct vars *vs, char *buf, size_t cap)
{
	char val[VAR_VALUE_MAX], e[ERRLEN], one[FV_STR_MAX];
	struct fval v;
	struct sbuf sb;
	size_t i, k;

	switch (it->op) {
	case TOP_ANY:
	case TOP_CAPTURE:
	case TOP_SET:
		snprintf(buf, cap, fd->kind == FK_FLAG ? "set" : "present");
		return;
	case TOP_ABSENT:
		snprintf(buf, cap, fd->kind == FK_FLAG ? "clear" : "absent");
		return;
	case TOP_ONEOF:
		k = (size_t)snprintf(buf, cap, "oneof(");
		for (i = 0; i < it->nalt && k < cap; i++) {
			if (expand(vs, it->alts[i], val, sizeof(val), e,
			    sizeof(e)) && fval_parse(fd, val, &v, e,
			    sizeof(e)))
				fval_fmt(fd, &v, one, sizeof(one));
			else
				str_copy(one, it->alts[i], sizeof(one));
			k += (size_t)snprintf(buf + k, cap - k, "%s%s",
			    i > 0 ? ", " : "", one);
		}
		if (k < cap)
			snprintf(buf + k, cap - k, ")");
		return;
	default:
		break;
	}
	if (expand(vs, it->val, val, sizeof(val), e, sizeof(e)) &&
	    fval_parse(fd, val, &v, e, sizeof(e)))
		fval_fmt(fd, &v, one, sizeof(one));
	else
		str_copy(one, it->val, sizeof(one));
	sbuf_init(&sb, buf, cap);
	if (it->op != TOP_EQ) {
		sbuf_puts(&sb, op_str(it->op));
		sbuf_putc(&sb, ' ');
	}
	sbuf_puts(&sb, one);
}

static bool
compare(enum top op, int c)
{
	switch (op) {
	case TOP_EQ:
		return c == 0;
	case TOP_NE:
		return c != 0;
	case TOP_LT:
		return c < 0;
	case TOP_LE:
		return c <= 0;
	case TOP_GT:
		return c > 0;
	case TOP_GE:
		return c >= 0;
	default:
		return false;
	}
}

static enum ires
eval_value(const struct fdef *fd, const char *text, enum top op,
    const struct fval *act, const struct vars *vs, char *err, size_t cap)
{
	char val[VAR_VALUE_MAX];
	struct fval v;

	if (!expand(vs, text, val, sizeof(val), err, cap) ||
	    !fval_parse(fd, val, &v, err, cap))
		return I_ERROR;
	return compare(op, fval_cmp(act, &v)) ? I_OK : I_FAIL;
}

static enum ires
eval_item(const struct tlayer *l, const struct titem *it,
    const struct fdef *fd, const struct fctx *c, const struct vars *vs,
    struct fval *act, bool *present, char *err, size_t cap)
{
	struct keyref k;
	size_t i;
	enum ires r;

	split_key(it->key, &k);
	memset(act, 0, sizeof(*act));
	if (k.len) {
		act->type = FV_UINT;
		*present = field_optlen_get(fd, c, &act->u);
	} else
		*present = fd->get != NULL && fd->get(fd, c, act);
	(void)l;
	switch (it->op) {
	case TOP_SET:
		return *present && (fd->kind != FK_FLAG || act->u) ? I_OK :
		    I_FAIL;
	case TOP_ABSENT:
		return !*present || (fd->kind == FK_FLAG && !act->u) ? I_OK :
		    I_FAIL;
	case TOP_ANY:
	case TOP_CAPTURE:
		return *present ? I_OK : I_FAIL;
	case TOP_ONEOF:
		if (!*present)
			return I_FAIL;
		for (i = 0; i < it->nalt; i++)
			if ((r = eval_value(fd, it->alts[i], TOP_EQ, act, vs,
			    err, cap)) != I_FAIL)
				return r;
		return I_FAIL;
	default:
		if (!*present)
			return it->op == TOP_NE ? I_OK : I_FAIL;
		if (k.len) {
			static const struct fdef lenfd = { .name = "len",
			    .type = FV_UINT, .size = 1 };

			return eval_value(&lenfd, it->val, it->op, act, vs,
			    err, cap);
		}
		return eval_value(fd, it->val, it->op, act, vs, err, cap);
	}
}

static const char *
kind_word(const struct fdef *fd)
{
	switch (fd->kind) {
	case FK_FLAG:
		return "flag";
	case FK_OPT:
		return "option";
	default:
		return "field";
	}
}

static void
note_capture(struct match_res *r, const struct titem *it,
    const struct fdef *fd, const struct fval *act)
{
	if (r->ncap == MATCH_CAPS_MAX)
		return;
	str_copy(r->cap[r->ncap].name, it->val, sizeof(r->cap[0].name));
	if (act->type == FV_BOOL)
		snprintf(r->cap[r->ncap].val, sizeof(r->cap[0].val), "%d",
		    (int)act->u);
	else if (act->type == FV_UINT)	/* bare number, no unit */
		snprintf(r->cap[r->ncap].val, sizeof(r->cap[0].val), "%llu",
		    (unsigned long long)act->u);
	else
		fval_fmt(fd, act, r->cap[r->ncap].val, sizeof(r->cap[0].val));
	r->ncap++;
}

/* Occurrences of the same option key earlier on the line. */
static unsigned
nth_of(const struct tlayer *l, size_t i)
{
	unsigned n = 0;
	size_t k;

	for (k = 0; k < i; k++)
		if (strcmp(l->items[k].key, l->items[i].key) == 0 &&
		    l->items[k].op != TOP_ABSENT)
			n++;
	return n;
}

static void
mismatch(struct match_res *r, const struct tlayer *l, const struct titem *it,
    const struct fdef *fd, const struct fval *act, bool present,
    const struct vars *vs)
{
	char exp[FV_STR_MAX + 16], got[FV_STR_MAX];
	struct sbuf sb;

	if (r->why[0] != '\0')
		return;
	fmt_expected(fd, it, vs, exp, sizeof(exp));
	if (!present)
		snprintf(got, sizeof(got), "%s", fd->kind == FK_FLAG ? "clear" :
		    "absent");
	else if (it->op == TOP_ABSENT && fd->kind != FK_FLAG)
		snprintf(got, sizeof(got), "present");
	else
		fval_fmt(fd, act, got, sizeof(got));
	r->line = l->line;
	sbuf_init(&sb, r->why, sizeof(r->why));
	sbuf_printf(&sb, "%s %s %s: expected %s vs actual %s", layer_ctx(l),
	    kind_word(fd), it->key, exp, got);
}

/* A tokens= item that does not verify: what the failure says. */
static void
mismatch_tokens(struct match_res *r, const struct tlayer *l,
    const struct titem *it, const struct vars *vs)
{
	char val[VAR_VALUE_MAX], e[ERRLEN];

	if (r->why[0] != '\0')
		return;
	if (!expand(vs, it->val, val, sizeof(val), e, sizeof(e)))
		str_copy(val, it->val, sizeof(val));
	r->line = l->line;
	str_fmt(r->why, sizeof(r->why), "%s Binding Authorization Data: "
	    "expected an authenticator made with the Kbm of tokens %s vs "
	    "actual one that does not verify (or no such option last)",
	    layer_ctx(l), val);
}

/*
 * esp sa=NAME in a pattern: the decoder (given the NUT description's
 * SAs) opened this ESP header with that SA: its SPI, then the ICV and
 * padding held (RFC 4303 §3.4.2-§3.4.4).
 */
static enum ires
eval_sa(const struct tlayer *l, const struct fctx *c, const struct vars *vs,
    struct match_res *r, char *err, size_t cap)
{
	const struct hdr *h = &c->p->h[c->hi];
	char name[VAR_VALUE_MAX], why[160];
	struct esp_sa sa;

	if (esp_sa_of(l, vs, name, sizeof(name), &sa, err, cap) != 0)
		return I_ERROR;
	if (h->u.ipsec.opened && h->u.ipsec.spi == sa.spi)
		return I_OK;
	if (r->why[0] == '\0') {
		r->line = l->line;
		if (h->u.ipsec.spi != sa.spi)
			str_fmt(r->why, sizeof(r->why), "esp sa: expected SA "
			    "%s (spi 0x%x) vs actual spi 0x%x", name, sa.spi,
			    h->u.ipsec.spi);
		else {
			esp_open_why(c->p, h, why, sizeof(why));
			str_fmt(r->why, sizeof(r->why), "esp sa: expected "
			    "opened with SA %s vs actual not opened: %s", name,
			    why);
		}
	}
	return I_FAIL;
}

/*
 * The address word of a `hao ADDR` or `rh2 ADDR` pattern line holds like
 * an `addr=ADDR` item.  false on a tool error (in r), *all cleared on a
 * mismatch.
 */
static bool
match_word_addr(const struct tlayer *l, struct fctx *c,
    const struct vars *vs, struct match_res *r, bool *all)
{
	struct titem it = { .key = (char *)"addr", .op = TOP_EQ,
	    .val = l->word };
	const struct fdef *fd;
	char err[ERRLEN];
	struct fval act;
	bool present;
	enum ires res;

	if (l->def->word != W_ADDR || l->word == NULL ||
	    (fd = field_lookup(l->def, -1, "addr")) == NULL)
		return true;
	c->nth = 0;
	c->param = 0;
	res = eval_item(l, &it, fd, c, vs, &act, &present, err, sizeof(err));
	if (res == I_ERROR) {
		r->error = true;
		r->line = l->line;
		str_copy(r->why, err, sizeof(r->why));
		return false;
	}
	if (res == I_OK)
		r->score++;
	else {
		*all = false;
		mismatch(r, l, &it, fd, &act, present, vs);
	}
	return true;
}

static bool
match_items(const struct tmpl *t, const struct vars *vs,
    const struct pkt *p, const size_t *map, const struct mframe *mf,
    struct match_res *r)
{
	char err[ERRLEN];
	bool all = true, present;
	size_t i, k;

	for (i = 0; i < t->nlayer; i++) {
		const struct tlayer *l = &t->layers[i];
		int mt = layer_msgtype(l);
		struct fctx c;

		if (mt == MSGTYPE_ANY)
			mt = msgtype_of(l->def, p, map[i]);
		c.p = (struct pkt *)p;
		c.hi = map[i];
		if (!match_word_addr(l, &c, vs, r, &all))
			return false;
		for (k = 0; k < l->nitem; k++) {
			const struct titem *it = &l->items[k];
			const struct fdef *fd;
			struct keyref kr;
			struct fval act;
			enum ires res;

			if (!split_key(it->key, &kr) || (fd = field_lookup(
			    l->def, mt, kr.base)) == NULL) {
				res = I_FAIL;	/* e.g. "seq" on "mh *" */
				all = false;
				if (r->why[0] == '\0') {
					r->line = l->line;
					snprintf(r->why, sizeof(r->why), "%s has "
					    "no field %s", layer_ctx(l),
					    it->key);
				}
				continue;
			}
			c.nth = fd->kind == FK_OPT ? nth_of(l, k) : 0;
			c.param = field_key_param(kr.base);
			if (fd->kind == FK_SIGN) {
				res = eval_tokens(fd, it, &c, vs, mf, err,
				    sizeof(err));
				if (res == I_FAIL) {
					all = false;
					mismatch_tokens(r, l, it, vs);
					continue;
				}
			} else if (fd->kind == FK_SA) {
				res = eval_sa(l, &c, vs, r, err, sizeof(err));
				if (res == I_FAIL) {
					all = false;
					continue;
				}
			} else
				res = eval_item(l, it, fd, &c, vs, &act,
				    &present, err, sizeof(err));
			if (res == I_ERROR) {
				r->error = true;
				r->line = l->line;
				str_copy(r->why, err, sizeof(r->why));
				return false;
			}
			if (res == I_OK) {
				r->score++;
				if (it->op == TOP_CAPTURE)
					note_capture(r, it, fd, &act);
				continue;
			}
			all = false;
			mismatch(r, l, it, fd, &act, present, vs);
		}
	}
	return all;
}

static bool
allowed(const struct tmpl *t, enum viol_code code)
{
	size_t i;

	if (t->allow_all)
		return true;
	for (i = 0; i < t->nallow; i++)
		if (strcmp(t->allow[i], viol_name(code)) == 0)
			return true;
	return false;
}

/* The first VS_ERROR violation the template does not tolerate. */
static const struct viol *
first_error(const struct tmpl *t, const struct pkt *p)
{
	size_t i, n = p->viol.n < VIOL_MAX ? p->viol.n : VIOL_MAX;

	for (i = 0; i < n; i++) {
		enum viol_code c = (enum viol_code)p->viol.v[i].code;

		if (viol_severity(c) == VS_ERROR && !allowed(t, c))
			return &p->viol.v[i];
	}
	return NULL;
}

void
tmpl_match(const struct tmpl *t, const struct vars *vs, const struct pkt *p,
    struct match_res *r)
{
	tmpl_match_frame(t, vs, p, NULL, 0, r);
}

void
tmpl_match_frame(const struct tmpl *t, const struct vars *vs,
    const struct pkt *p, const uint8_t *frame, size_t len,
    struct match_res *r)
{
	const struct mframe mf = { frame, len };
	size_t base = first_header(t, p), map[PKT_MAX_HDRS];
	const struct viol *v;
	char msg[256];
	struct sbuf sb;

	memset(r, 0, sizeof(*r));
	r->line = t->line;
	if (!match_shape(t, p, base, map, r))
		return;
	r->shape = true;
	r->fields = match_items(t, vs, p, map, &mf, r);
	if (!r->fields || r->error)
		return;
	if ((v = first_error(t, p)) != NULL) {
		r->invalid = true;
		sbuf_init(&sb, msg, sizeof(msg));
		viol_format(&sb, v);
		snprintf(r->why, sizeof(r->why), "%s [%s, %s] at offset %lu",
		    sbuf_str(&sb), viol_name((enum viol_code)v->code),
		    viol_clause((enum viol_code)v->code),
		    (unsigned long)v->off);
		return;
	}
	r->matched = true;
	r->why[0] = '\0';
}

/* ------------------------------------------------------------- print */

static void
fmt_value(struct sbuf *sb, const struct vars *vs, const char *v)
{
	char val[VAR_VALUE_MAX], e[ERRLEN];

	if (vs != NULL && expand(vs, v, val, sizeof(val), e, sizeof(e)))
		sbuf_puts(sb, val);
	else
		sbuf_puts(sb, v);
}

static void
fmt_item(struct sbuf *sb, const struct vars *vs, const struct titem *it)
{
	size_t i;

	if (it->op == TOP_ABSENT)
		sbuf_putc(sb, '!');
	sbuf_puts(sb, it->key);
	switch (it->op) {
	case TOP_SET:
	case TOP_ABSENT:
		return;
	case TOP_ANY:
		sbuf_puts(sb, "=*");
		return;
	case TOP_CAPTURE:
		sbuf_puts(sb, "=?");
		sbuf_puts(sb, it->val);
		return;
	case TOP_ONEOF:
		sbuf_puts(sb, "=oneof(");
		for (i = 0; i < it->nalt; i++) {
			if (i > 0)
				sbuf_putc(sb, ',');
			fmt_value(sb, vs, it->alts[i]);
		}
		sbuf_putc(sb, ')');
		return;
	default:
		sbuf_puts(sb, op_str(it->op));
		fmt_value(sb, vs, it->val);
	}
}

static void
fmt_layer(struct sbuf *sb, const struct vars *vs, const struct tlayer *l)
{
	size_t i;

	sbuf_puts(sb, l->def->name);
	if (l->word != NULL) {
		sbuf_putc(sb, ' ');
		fmt_value(sb, vs, l->word);
	}
	for (i = 0; i < l->nitem; i++) {
		sbuf_putc(sb, ' ');
		fmt_item(sb, vs, &l->items[i]);
	}
}

void
tmpl_fmt_line(const struct tmpl *t, const struct vars *vs, struct sbuf *sb)
{
	size_t i;

	for (i = 0; i < t->nlayer; i++) {
		if (i > 0)
			sbuf_puts(sb, " | ");
		fmt_layer(sb, vs, &t->layers[i]);
	}
}

void
tmpl_fmt_verbose(const struct tmpl *t, const struct vars *vs,
    struct sbuf *sb, int indent)
{
	size_t i;
	int k;

	for (i = 0; i < t->nlayer; i++) {
		for (k = 0; k < indent; k++)
			sbuf_putc(sb, ' ');
		fmt_layer(sb, vs, &t->layers[i]);
		sbuf_putc(sb, '\n');
	}
}
