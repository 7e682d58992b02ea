/*
 * stack/lib/espsa.c - manually keyed SAs for the MN-HA signalling: the
 * `sa` statement shared by had.conf(5) and mnd.conf(5), and the SA table
 * the engines open and seal with (see espsa.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packets/esp.h"
#include "packets/pkt.h"
#include "packets/sbuf.h"
#include "stack/lib/espsa.h"

#define IP6_HLEN	40
#define NH_HOPOPTS	0
#define NH_ROUTING	43
#define NH_ESP		50
#define NH_DSTOPTS	60
#define EXT_MAX		8	/* extension headers walked before ESP */

/* ------------------------------------------------------------ names */

const char *
espsa_res_name(enum espsa_res r)
{
	switch (r) {
	case ESPSA_OK:
		return "ok";
	case ESPSA_NO_SA:
		return "no SA for the SPI";
	case ESPSA_ICV:
		return "integrity check failed";
	case ESPSA_REPLAY:
		return "replayed sequence number";
	case ESPSA_MALFORMED:
		return "malformed ESP";
	case ESPSA_EXHAUSTED:
		return "sequence numbers exhausted";
	}
	return "?";
}

/* ------------------------------------------------------------ parsing */

static int serr(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static int
serr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* "0x0011.." (the 0x required, as setkey(8) writes keys): false when not
   an even number of hex digits or longer than cap. */
static bool
parse_key(const char *s, uint8_t *out, size_t cap, size_t *n)
{
	size_t len;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return false;
	len = strlen(s + 2);
	/* pkt_hex_parse() also takes ':' and '.' between bytes; keys don't */
	if (len == 0 || len % 2 != 0 || len / 2 > cap ||
	    strspn(s + 2, HEX_DIGITS) != len)
		return false;
	return pkt_hex_parse(s, out, cap, n);
}

static bool
parse_spi(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* The key lengths RFC 3602 / RFC 2451 / RFC 2404 / RFC 4868 allow. */
static const char *
enc_key_rule(enum esp_enc e)
{
	switch (e) {
	case ESP_ENC_NULL:
		return "no key";
	case ESP_ENC_AES_CBC:
		return "a 16, 24 or 32-byte key";
	case ESP_ENC_3DES_CBC:
		return "a 24-byte key";
	}
	return "?";
}

static const char *
auth_key_rule(enum esp_auth a)
{
	switch (a) {
	case ESP_AUTH_NONE:
		return "no key";
	case ESP_AUTH_HMAC_SHA1_96:
		return "a 20-byte key";
	case ESP_AUTH_HMAC_SHA256_128:
		return "a 32-byte key";
	}
	return "?";
}

enum {
	SEEN_SPI = 1, SEEN_PEER = 2, SEEN_ENC = 4, SEEN_AUTH = 8,
	SEEN_REPLAY = 16
};

struct sa_words {
	const char *const *w;
	size_t		n, i;
	char		*err;
	size_t		errlen;
};

static const char *
next_word(struct sa_words *x)
{
	return x->i < x->n ? x->w[x->i++] : NULL;
}

/* `enc NAME [0xKEY]`: a key unless the algorithm is null. */
static int
parse_enc(struct sa_words *x, struct esp_sa *sa)
{
	const char *name = next_word(x), *key;
	int v;

	if (name == NULL || (v = esp_enc_from_name(name)) < 0)
		return serr(x->err, x->errlen, "sa: expected null, aes-cbc or "
		    "3des-cbc after enc, found %s", name ? name : "nothing");
	sa->enc = (enum esp_enc)v;
	if (sa->enc == ESP_ENC_NULL)
		return 0;
	key = next_word(x);
	if (key == NULL || !parse_key(key, sa->enc_key, sizeof(sa->enc_key),
	    &sa->enc_key_len))
		return serr(x->err, x->errlen, "sa: expected a key in hex "
		    "(0x...) after enc %s", name);
	if (esp_block_len(sa) == 4)	/* no cipher for that length */
		return serr(x->err, x->errlen, "sa: enc %s takes %s, found %zu "
		    "bytes", name, enc_key_rule(sa->enc), sa->enc_key_len);
	return 0;
}

static int
parse_auth(struct sa_words *x, struct esp_sa *sa)
{
	const char *name = next_word(x), *key;
	int v;

	if (name == NULL || (v = esp_auth_from_name(name)) < 0)
		return serr(x->err, x->errlen, "sa: expected none, hmac-sha1 or "
		    "hmac-sha256 after auth, found %s", name ? name : "nothing");
	sa->auth = (enum esp_auth)v;
	if (sa->auth == ESP_AUTH_NONE)
		return 0;
	key = next_word(x);
	if (key == NULL || !parse_key(key, sa->auth_key, sizeof(sa->auth_key),
	    &sa->auth_key_len))
		return serr(x->err, x->errlen, "sa: expected a key in hex "
		    "(0x...) after auth %s", name);
	if ((sa->auth == ESP_AUTH_HMAC_SHA1_96 && sa->auth_key_len != 20) ||
	    (sa->auth == ESP_AUTH_HMAC_SHA256_128 && sa->auth_key_len != 32))
		return serr(x->err, x->errlen, "sa: auth %s takes %s, found "
		    "%zu bytes", name, auth_key_rule(sa->auth),
		    sa->auth_key_len);
	return 0;
}

/* `replay yes|no`: the receiver's choice (RFC 4303 §3.4.3), so inbound
   SAs only. */
static int
parse_replay(struct sa_words *x, const char *v, struct espsa_conf *c)
{
	if (c->dir != ESPSA_IN)
		return serr(x->err, x->errlen, "sa: replay is for inbound SAs");
	if (v == NULL || (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0))
		return serr(x->err, x->errlen, "sa: expected yes or no after "
		    "replay, found %s", v ? v : "nothing");
	c->no_replay = v[0] == 'n';
	return 0;
}

static int
parse_pair(struct sa_words *x, const char *kw, struct espsa_conf *c,
    unsigned *seen)
{
	static const char *const kws[] = { "spi", "peer", "enc", "auth",
	    "replay" };
	const char *v;
	unsigned bit = 0;
	size_t k;

	for (k = 0; k < sizeof(kws) / sizeof(kws[0]); k++)
		if (strcmp(kw, kws[k]) == 0)
			bit = 1u << k;
	if (bit == 0)
		return serr(x->err, x->errlen, "sa: expected spi, peer, enc, "
		    "auth or replay, found %s", kw);
	if (*seen & bit)
		return serr(x->err, x->errlen, "sa: %s given twice", kw);
	*seen |= bit;
	if (bit == SEEN_ENC)
		return parse_enc(x, &c->sa);
	if (bit == SEEN_AUTH)
		return parse_auth(x, &c->sa);
	v = next_word(x);
	if (bit == SEEN_REPLAY)
		return parse_replay(x, v, c);
	if (bit == SEEN_SPI) {
		/* RFC 4303 §2.1: 1..255 reserved, 0 never sent */
		if (v == NULL || !parse_spi(v, &c->sa.spi) ||
		    c->sa.spi < ESP_SPI_MIN)
			return serr(x->err, x->errlen, "sa: expected an SPI "
			    "from 256 (0x100) to 4294967295 after spi, found "
			    "%s", v ? v : "nothing");
		return 0;
	}
	if (v == NULL || inet_pton(AF_INET6, v, &c->peer) != 1)
		return serr(x->err, x->errlen, "sa: expected an IPv6 address "
		    "after peer, found %s", v ? v : "nothing");
	return 0;
}

int
espsa_parse(const char *const *words, size_t n, struct espsa_conf *c,
    char *err, size_t errlen)
{
	struct sa_words x = { words, n, 0, err, errlen };
	const char *w;
	unsigned seen = 0, line = c->line;

	memset(c, 0, sizeof(*c));
	c->line = line;
	w = next_word(&x);
	if (w == NULL || (strcmp(w, "in") != 0 && strcmp(w, "out") != 0))
		return serr(err, errlen, "sa: expected in or out, found %s",
		    w ? w : "nothing");
	c->dir = w[0] == 'i' ? ESPSA_IN : ESPSA_OUT;
	while ((w = next_word(&x)) != NULL)
		if (parse_pair(&x, w, c, &seen) < 0)
			return -1;
	if ((seen & (SEEN_SPI | SEEN_PEER | SEEN_ENC)) !=
	    (SEEN_SPI | SEEN_PEER | SEEN_ENC))
		return serr(err, errlen, "sa: spi, peer and enc are required");
	/* RFC 4303 §3.2: integrity, confidentiality, or both */
	if (c->sa.enc == ESP_ENC_NULL && c->sa.auth == ESP_AUTH_NONE)
		return serr(err, errlen, "sa: enc null needs an auth algorithm "
		    "(RFC 4303 §3.2)");
	if (esp_sa_check(&c->sa) != ESP_OK)
		return serr(err, errlen, "sa: not a valid SA (%s)",
		    esp_strerror(ESP_E_SA));
	return 0;
}

int
espsa_check_set(const struct espsa_conf *v, size_t n, size_t *bad,
    char *err, size_t errlen)
{
	char a[INET6_ADDRSTRLEN];
	size_t i, j;
	bool other;

	for (i = 0; i < n; i++) {
		*bad = i;
		other = false;
		for (j = 0; j < n; j++) {
			if (j == i || !IN6_ARE_ADDR_EQUAL(&v[i].peer,
			    &v[j].peer))
				continue;
			if (v[j].dir != v[i].dir)
				other = true;
			if (j > i)
				continue;
			if (v[i].dir == ESPSA_IN && v[j].dir == ESPSA_IN &&
			    v[i].sa.spi == v[j].sa.spi)
				break;
			if (v[i].dir == ESPSA_OUT && v[j].dir == ESPSA_OUT)
				return serr(err, errlen, "sa: a second "
				    "outbound SA for peer %s (line %u has one)",
				    inet_ntop(AF_INET6, &v[i].peer, a,
				    sizeof(a)), v[j].line);
		}
		for (j = 0; j < i && v[i].dir == ESPSA_IN; j++)
			if (v[j].dir == ESPSA_IN &&
			    v[j].sa.spi == v[i].sa.spi)
				return serr(err, errlen, "sa: inbound SPI "
				    "0x%" PRIx32 " already used at line %u",
				    v[i].sa.spi, v[j].line);
		if (!other)
			return serr(err, errlen, "sa: peer %s has an %s SA "
			    "but no %s one (RFC 3776 §4.1: a protected BU "
			    "needs a protected BA)", inet_ntop(AF_INET6,
			    &v[i].peer, a, sizeof(a)), v[i].dir == ESPSA_IN ?
			    "inbound" : "outbound", v[i].dir == ESPSA_IN ?
			    "outbound" : "inbound");
	}
	return 0;
}

void
espsa_print(struct sbuf *sb, const struct espsa_conf *c, bool keys)
{
	sbuf_printf(sb, "sa %s spi 0x%" PRIx32 " peer ",
	    c->dir == ESPSA_IN ? "in" : "out", c->sa.spi);
	sbuf_in6(sb, &c->peer);
	sbuf_printf(sb, " enc %s", esp_enc_name(c->sa.enc));
	if (keys && c->sa.enc_key_len > 0) {
		sbuf_puts(sb, " 0x");
		sbuf_hex(sb, c->sa.enc_key, c->sa.enc_key_len);
	}
	sbuf_printf(sb, " auth %s", esp_auth_name(c->sa.auth));
	if (keys && c->sa.auth_key_len > 0) {
		sbuf_puts(sb, " 0x");
		sbuf_hex(sb, c->sa.auth_key, c->sa.auth_key_len);
	}
	if (c->no_replay)
		sbuf_puts(sb, " replay no");
	sbuf_putc(sb, '\n');
}

bool
espsa_conf_equal(const struct espsa_conf *a, const struct espsa_conf *b)
{
	return a->dir == b->dir && IN6_ARE_ADDR_EQUAL(&a->peer, &b->peer) &&
	    a->no_replay == b->no_replay &&
	    a->sa.spi == b->sa.spi && a->sa.enc == b->sa.enc &&
	    a->sa.auth == b->sa.auth &&
	    a->sa.enc_key_len == b->sa.enc_key_len &&
	    a->sa.auth_key_len == b->sa.auth_key_len &&
	    memcmp(a->sa.enc_key, b->sa.enc_key, a->sa.enc_key_len) == 0 &&
	    memcmp(a->sa.auth_key, b->sa.auth_key, a->sa.auth_key_len) == 0;
}

/* ------------------------------------------------------------ table */

int
espsa_table_set(struct espsa_table *t, const struct espsa_conf *c, size_t n)
{
	struct espsa *v = NULL;
	size_t i, j;

	if (n > 0 && (v = calloc(n, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		v[i].c = c[i];
		/* same SA as before: the peer's view of it goes on */
		for (j = 0; j < t->n; j++)
			if (espsa_conf_equal(&t->sa[j].c, &c[i])) {
				v[i] = t->sa[j];
				v[i].c.line = c[i].line;
				break;
			}
	}
	if (t->sa != NULL)
		/* keys do not outlive their SA in freed memory */
		memset(t->sa, 0, t->n * sizeof(*t->sa));
	free(t->sa);
	t->sa = v;
	t->n = n;
	return 0;
}

void
espsa_table_free(struct espsa_table *t)
{
	if (t->sa != NULL)
		memset(t->sa, 0, t->n * sizeof(*t->sa));
	free(t->sa);
	memset(t, 0, sizeof(*t));
}

void
espsa_table_reset(struct espsa_table *t)
{
	size_t i;

	t->no_sa = 0;
	t->unprotected = 0;
	for (i = 0; i < t->n; i++) {
		memset(&t->sa[i].cnt, 0, sizeof(t->sa[i].cnt));
		memset(&t->sa[i].win, 0, sizeof(t->sa[i].win));
		t->sa[i].seq = 0;
		t->sa[i].exhausted = false;
	}
}

struct espsa *
espsa_find_in(struct espsa_table *t, uint32_t spi)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->sa[i].c.dir == ESPSA_IN && t->sa[i].c.sa.spi == spi)
			return &t->sa[i];
	return NULL;
}

struct espsa *
espsa_find_out(struct espsa_table *t, const struct in6_addr *peer)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->sa[i].c.dir == ESPSA_OUT &&
		    IN6_ARE_ADDR_EQUAL(&t->sa[i].c.peer, peer))
			return &t->sa[i];
	return NULL;
}

bool
espsa_required(const struct espsa_table *t, const struct in6_addr *peer)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (IN6_ARE_ADDR_EQUAL(&t->sa[i].c.peer, peer))
			return true;
	return false;
}

/* ------------------------------------------------------------ packets */

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static enum espsa_res
open_fail(struct espsa *s, int rc)
{
	if (rc == ESP_E_ICV) {
		s->cnt.bad_icv++;
		return ESPSA_ICV;
	}
	s->cnt.malformed++;
	return ESPSA_MALFORMED;
}

bool
espsa_locate(const struct pkt *p, size_t *esp_off, size_t *nh_off)
{
	size_t i;

	if (p->nhdr < 2 || p->h[0].kind != HDR_IPV6)
		return false;
	for (i = 1; i < p->nhdr; i++) {
		if (p->h[i].kind == HDR_ESP)
			break;
		if (p->h[i].kind != HDR_HBH && p->h[i].kind != HDR_RH &&
		    p->h[i].kind != HDR_DSTOPT)
			return false;
	}
	if (i == p->nhdr)
		return false;
	*esp_off = p->h[i].off;
	/* the IPv6 header's Next Header octet is at 6, an extension's at 0 */
	*nh_off = i == 1 ? 6 : p->h[i - 1].off;
	return true;
}

enum espsa_res
espsa_open_pkt(struct espsa_table *t, const uint8_t *pkt, size_t len,
    size_t esp_off, size_t nh_off, uint8_t *out, size_t cap, size_t *outlen,
    struct espsa **sap)
{
	struct espsa *s;
	size_t plain;
	uint32_t seq;
	uint8_t nh;
	int rc;

	*sap = NULL;
	if (esp_off < IP6_HLEN || nh_off >= esp_off ||
	    esp_off + ESP_HDR_LEN > len || esp_off > cap) {
		t->no_sa++;	/* no SPI to find an SA by */
		return ESPSA_MALFORMED;
	}
	/* RFC 4303 §3.4.2: no SA for the SPI: discarded, auditable */
	if ((s = espsa_find_in(t, get32(pkt + esp_off))) == NULL) {
		t->no_sa++;
		return ESPSA_NO_SA;
	}
	*sap = s;
	/* §3.4.3: a duplicate is rejected before the ICV is computed */
	if (!s->c.no_replay &&
	    !esp_replay_check(&s->win, get32(pkt + esp_off + 4))) {
		s->cnt.replay++;
		return ESPSA_REPLAY;
	}
	rc = esp_open(&s->c.sa, pkt + esp_off, len - esp_off, out + esp_off,
	    cap - esp_off, &plain, &nh, &seq);
	if (rc != ESP_OK)
		return open_fail(s, rc);
	/* ... and the window moves only once the ICV held */
	if (!s->c.no_replay)
		esp_replay_update(&s->win, seq);
	else
		s->win.top = seq;	/* shown as the last number seen */
	/* §3.4.4.1 (transport mode): the packet as if ESP had not been */
	memcpy(out, pkt, esp_off);
	out[nh_off] = nh;
	put16(out + 4, esp_off - IP6_HLEN + plain);
	*outlen = esp_off + plain;
	s->cnt.ok++;
	return ESPSA_OK;
}

/*
 * Where the ESP header goes: after the IPv6 header and its Hop-by-Hop,
 * Routing and Destination Options headers (RFC 4303 §3.1.1 puts the
 * destination options before ESP when they are for intermediate
 * destinations; RFC 6275 §6.3 puts the HAO there).  The offset of the
 * Next Header octet that will announce ESP is *nh_off.  -1: malformed.
 */
static int
esp_place(const uint8_t *buf, size_t len, size_t *off, size_t *nh_off)
{
	size_t o = IP6_HLEN, n;
	uint8_t nh;
	int i;

	if (len < IP6_HLEN || (buf[0] >> 4) != 6)
		return -1;
	*nh_off = 6;
	nh = buf[6];
	for (i = 0; i < EXT_MAX; i++) {
		if (nh != NH_HOPOPTS && nh != NH_ROUTING && nh != NH_DSTOPTS)
			break;
		if (o + 2 > len)
			return -1;
		n = ((size_t)buf[o + 1] + 1) * 8;
		if (o + n > len)
			return -1;
		*nh_off = o;
		nh = buf[o];
		o += n;
	}
	if (i == EXT_MAX || nh == NH_ESP)
		return -1;
	*off = o;
	return 0;
}

enum espsa_res
espsa_seal_pkt(struct espsa *s, uint8_t *buf, size_t *len, size_t cap)
{
	uint8_t payload[ESPSA_PKT_MAX];
	size_t off, nh_off, plen, sealed;

	/* RFC 4303 §3.3.3: a manually keyed SA cannot be rekeyed, so its
	   counter must not cycle: the last number is never used */
	if (s->seq == UINT32_MAX) {
		s->cnt.seq_exhausted++;
		return ESPSA_EXHAUSTED;
	}
	if (esp_place(buf, *len, &off, &nh_off) < 0 ||
	    (plen = *len - off) > sizeof(payload) ||
	    off + esp_sealed_len(&s->c.sa, plen) > cap ||
	    off + esp_sealed_len(&s->c.sa, plen) - IP6_HLEN > 0xffff)
		return ESPSA_MALFORMED;
	memcpy(payload, buf + off, plen);
	if (esp_seal(&s->c.sa, s->seq + 1, buf[nh_off], NULL, payload, plen,
	    buf + off, cap - off, &sealed) != ESP_OK)
		return ESPSA_MALFORMED;
	s->seq++;
	buf[nh_off] = NH_ESP;
	put16(buf + 4, off + sealed - IP6_HLEN);
	*len = off + sealed;
	s->cnt.ok++;
	return ESPSA_OK;
}

/* ------------------------------------------------------------ json */

static void
totals_json(struct jw *jw, const struct espsa_table *t)
{
	struct espsa_cnt sum;
	size_t i;

	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < t->n; i++) {
		sum.ok += t->sa[i].c.dir == ESPSA_IN ? t->sa[i].cnt.ok : 0;
		sum.bad_icv += t->sa[i].cnt.bad_icv;
		sum.replay += t->sa[i].cnt.replay;
		sum.malformed += t->sa[i].cnt.malformed;
		sum.peer += t->sa[i].cnt.peer;
		sum.seq_exhausted += t->sa[i].cnt.seq_exhausted;
	}
	jw_uint(jw, "esp_ok", sum.ok);		/* opened */
	jw_uint(jw, "esp_bad_icv", sum.bad_icv);
	jw_uint(jw, "esp_replay", sum.replay);
	jw_uint(jw, "esp_no_sa", t->no_sa);
	jw_uint(jw, "esp_malformed", sum.malformed);
	jw_uint(jw, "esp_peer_mismatch", sum.peer);
	jw_uint(jw, "esp_unprotected", t->unprotected);
	jw_uint(jw, "esp_seq_exhausted", sum.seq_exhausted);
}

void
espsa_json(struct jw *jw, const struct espsa_table *t)
{
	const struct espsa *s;
	char spi[16];
	size_t i;

	jw_obj_open(jw, "esp");
	totals_json(jw, t);
	jw_arr_open(jw, "sas");
	for (i = 0; i < t->n; i++) {
		s = &t->sa[i];
		snprintf(spi, sizeof(spi), "0x%" PRIx32, s->c.sa.spi);
		jw_obj_open(jw, NULL);
		jw_str(jw, "dir", s->c.dir == ESPSA_IN ? "in" : "out");
		jw_str(jw, "spi", spi);
		jw_in6(jw, "peer", &s->c.peer);
		jw_str(jw, "enc", esp_enc_name(s->c.sa.enc));
		jw_str(jw, "auth", esp_auth_name(s->c.sa.auth));
		if (s->c.dir == ESPSA_IN)
			jw_bool(jw, "replay", !s->c.no_replay);
		jw_uint(jw, "seq", s->c.dir == ESPSA_OUT ? s->seq :
		    s->win.top);
		jw_uint(jw, "ok", s->cnt.ok);
		jw_uint(jw, "bad_icv", s->cnt.bad_icv);
		jw_uint(jw, "replay", s->cnt.replay);
		jw_uint(jw, "malformed", s->cnt.malformed);
		jw_uint(jw, "peer_mismatch", s->cnt.peer);
		jw_uint(jw, "seq_exhausted", s->cnt.seq_exhausted);
		jw_obj_close(jw);
	}
	jw_arr_close(jw);
	jw_obj_close(jw);
}
