/*
 * pkt_esp.c - ESP in the whole-packet codec (see pkt.h): opening an ESP
 * header with a known SA while decoding, sealing the headers after one
 * while encoding, and the SPI:ENC:ENCKEY:AUTH:AUTHKEY text of an SA that
 * the tester's NUT descriptions and mip6dump --esp-sa share.
 *
 * The cryptography is esp.c's (esp_open / esp_seal): this file only
 * places its input and output in the frame.  An opened payload is decoded
 * from a copy of the frame whose ciphertext is overwritten by the
 * plaintext, so the inner headers' offsets (and violations) still point
 * into the ESP header's place in the captured frame.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "esp.h"
#include "pkt_impl.h"

/* ------------------------------------------------------------- the SAs */

const struct esp_sa *
pkt_esp_keys_find(const struct pkt_esp_keys *k, uint32_t spi)
{
	size_t i;

	if (k == NULL)
		return NULL;
	for (i = 0; i < k->n; i++)
		if (k->sa[i].spi == spi)
			return &k->sa[i];
	return NULL;
}

static int
hexval(int c)
{
	if (isdigit(c))
		return c - '0';
	return tolower(c) - 'a' + 10;
}

bool
pkt_hex_parse(const char *s, uint8_t *out, size_t cap, size_t *n)
{
	size_t k = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	while (*s != '\0') {
		if (*s == ':' || *s == '.') {
			s++;
			continue;
		}
		if (!isxdigit((unsigned char)s[0]) ||
		    !isxdigit((unsigned char)s[1]) || k == cap)
			return false;
		out[k++] = (uint8_t)(hexval((unsigned char)s[0]) << 4 |
		    hexval((unsigned char)s[1]));
		s += 2;
	}
	*n = k;
	return true;
}

/* Split "a:b:c:d:e" into 5 fields of at most 160 characters. */
static bool
split5(const char *s, char f[5][160])
{
	const char *c;
	size_t i, n;

	for (i = 0; i < 5; i++) {
		c = strchr(s, ':');
		n = c != NULL ? (size_t)(c - s) : strlen(s);
		if ((c == NULL) != (i == 4) || n >= 160)
			return false;
		memcpy(f[i], s, n);
		f[i][n] = '\0';
		s = c != NULL ? c + 1 : s + n;
	}
	return true;
}

static bool
parse_key(const char *s, uint8_t *out, size_t cap, size_t *n)
{
	if (s[0] == '\0' || strcmp(s, "-") == 0) {
		*n = 0;
		return true;
	}
	return pkt_hex_parse(s, out, cap, n);
}

const char *
pkt_esp_sa_parse(const char *s, struct esp_sa *sa)
{
	char f[5][160], *end;
	unsigned long spi;
	int v;

	memset(sa, 0, sizeof(*sa));
	if (!split5(s, f))
		return "expected SPI:ENC:ENCKEY:AUTH:AUTHKEY";
	spi = strtoul(f[0], &end, 0);
	if (f[0][0] == '\0' || *end != '\0' || spi > 0xffffffffUL)
		return "SPI is not a 32-bit number";
	sa->spi = (uint32_t)spi;
	if ((v = esp_enc_from_name(f[1])) < 0)
		return "unknown encryption (null, aes-cbc, 3des-cbc)";
	sa->enc = (enum esp_enc)v;
	if ((v = esp_auth_from_name(f[3])) < 0)
		return "unknown integrity (none, hmac-sha1, hmac-sha256)";
	sa->auth = (enum esp_auth)v;
	if (!parse_key(f[2], sa->enc_key, sizeof(sa->enc_key),
	    &sa->enc_key_len))
		return "encryption key is not hex of at most 32 octets";
	if (!parse_key(f[4], sa->auth_key, sizeof(sa->auth_key),
	    &sa->auth_key_len))
		return "integrity key is not hex of at most 64 octets";
	/* RFC 4303 §2.1 (SPI), §3.2 (a service); key lengths per algorithm */
	if (esp_sa_check(sa) != ESP_OK)
		return "SPI under 256, a key of the wrong length, or neither "
		    "encryption nor integrity";
	return NULL;
}

void
pkt_esp_sa_format(const struct esp_sa *sa, char *out, size_t cap)
{
	char ek[2 * ESP_ENC_KEY_MAX + 1], ak[2 * ESP_AUTH_KEY_MAX + 1];
	size_t ekn = sa->enc_key_len < ESP_ENC_KEY_MAX ? sa->enc_key_len :
	    ESP_ENC_KEY_MAX;
	size_t akn = sa->auth_key_len < ESP_AUTH_KEY_MAX ?
	    sa->auth_key_len : ESP_AUTH_KEY_MAX;

	*sbuf_fmt_hex(ek, sa->enc_key, ekn) = '\0';
	*sbuf_fmt_hex(ak, sa->auth_key, akn) = '\0';
	snprintf(out, cap, "0x%x:%s:%s%s:%s:%s%s", sa->spi,
	    esp_enc_name(sa->enc), ekn ? "0x" : "", ekn ? ek : "-",
	    esp_auth_name(sa->auth),
	    akn ? "0x" : "", akn ? ak : "-");
}

/* -------------------------------------------------------------- decode */

/*
 * Open the ESP body at off..end (the SPI to the end of the IP payload)
 * into a copy of the frame (*frame, to be freed), the plaintext where
 * the ciphertext was.  Returns 0 with the inner payload's bounds and
 * protocol, or -1 with a V_ESP_OPEN violation (the header stays opaque).
 */
int
pdec_esp_open(struct pdec *d, struct hdr *h, const struct esp_sa *sa,
    size_t off, size_t end, uint8_t **frame, size_t *inner_off,
    size_t *inner_end, uint8_t *nh)
{
	size_t ivl = esp_iv_len(sa), icvl = esp_icv_len(sa), plen = 0, ct;
	uint32_t seq;
	int rc;

	*frame = NULL;
	if ((*frame = malloc(end)) == NULL) {
		rc = ESP_E_ROOM;
		goto fail;
	}
	memcpy(*frame, d->buf, off);
	*inner_off = off + ESP_HDR_LEN + ivl;
	rc = esp_open(sa, d->buf + off, end - off, *frame + *inner_off,
	    end > *inner_off ? end - *inner_off : 0, &plen, nh, &seq);
	if (rc != ESP_OK)
		goto fail;
	ct = end - off - ESP_HDR_LEN - ivl - icvl;
	*inner_end = *inner_off + plen;
	h->u.ipsec.opened = true;
	h->u.ipsec.nh = *nh;
	h->u.ipsec.pad_len = (uint8_t)(ct - plen - ESP_TRAILER_LEN);
	h->u.ipsec.plain_len = (uint16_t)plen;
	/* the header's own octets: SPI, sequence number and IV */
	h->len = (uint16_t)(ESP_HDR_LEN + ivl);
	return 0;
fail:
	free(*frame);
	*frame = NULL;
	viol_add(&d->p->viol, V_ESP_OPEN, off, sa->spi, 0, 0,
	    esp_strerror(rc));
	return -1;
}

/* -------------------------------------------------------------- encode */

/*
 * Seal what was written after the ESP header at `start` (its SPI and
 * sequence number, then the plaintext headers, all finished): the
 * payload is copied out and esp_seal writes the ESP body in its place.
 */
void
penc_esp_seal(const struct pkt *p, size_t i, size_t start, struct wbuf *w)
{
	const struct hdr_ipsec *x = &p->h[i].u.ipsec;
	struct esp_sa sa = x->sa;
	size_t from = start + ESP_HDR_LEN, len, out = 0;
	uint8_t *pl;

	if (w->err || w->len < from) {
		w->err = true;
		return;
	}
	if (x->spi != 0)
		sa.spi = x->spi;
	len = w->len - from;
	if ((pl = malloc(len > 0 ? len : 1)) == NULL) {
		w->err = true;
		return;
	}
	memcpy(pl, w->data + from, len);
	if (esp_seal(&sa, x->seq, penc_next_proto(p, i, PROTO_NONE),
	    x->have_iv ? x->iv : NULL, pl, len, w->data + start,
	    w->cap - start, &out) != ESP_OK)
		w->err = true;
	else {
		w->len = start + out;
		/* RFC 4303 §3.4.4: a receiver must drop this one */
		if (x->bad_icv && esp_icv_len(&sa) > 0)
			w->data[w->len - 1] ^= 1;
	}
	free(pl);
}
