/*
 * esp.c - ESP (RFC 4303) transport mode on OpenSSL 3 libcrypto: seal,
 * open and the anti-replay window (esp.h says why user space does this
 * and which algorithms).
 *
 * Only the non-deprecated EVP and one-shot HMAC() calls are used (the
 * deprecated API is hidden, as in rr.c).  Every field of the header and
 * trailer is read and written through the bounded cursors of buf.h.
 */
#define OPENSSL_API_COMPAT	30000
#define OPENSSL_NO_DEPRECATED	1

#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "buf.h"
#include "esp.h"

/* The cipher of an SA, or NULL for NULL encryption or a bad key length. */
static const EVP_CIPHER *
esp_cipher(const struct esp_sa *sa)
{
	switch (sa->enc) {
	case ESP_ENC_AES_CBC:
		switch (sa->enc_key_len) {
		case 16:
			return EVP_aes_128_cbc();
		case 24:
			return EVP_aes_192_cbc();
		case 32:
			return EVP_aes_256_cbc();
		}
		return NULL;
	case ESP_ENC_3DES_CBC:
		return sa->enc_key_len == 24 ? EVP_des_ede3_cbc() : NULL;
	case ESP_ENC_NULL:
		return NULL;
	}
	return NULL;
}

static const EVP_MD *
esp_md(const struct esp_sa *sa)
{
	switch (sa->auth) {
	case ESP_AUTH_HMAC_SHA1_96:
		return EVP_sha1();
	case ESP_AUTH_HMAC_SHA256_128:
		return EVP_sha256();
	case ESP_AUTH_NONE:
		return NULL;
	}
	return NULL;
}

int
esp_sa_check(const struct esp_sa *sa)
{
	if (sa->spi < ESP_SPI_MIN || sa->enc_key_len > ESP_ENC_KEY_MAX ||
	    sa->auth_key_len > ESP_AUTH_KEY_MAX)
		return ESP_E_SA;
	if (sa->enc == ESP_ENC_NULL ? sa->enc_key_len != 0 :
	    esp_cipher(sa) == NULL)
		return ESP_E_SA;
	switch (sa->auth) {
	case ESP_AUTH_NONE:
		/* RFC 4303 §3.2: confidentiality, integrity, or both. */
		if (sa->enc == ESP_ENC_NULL || sa->auth_key_len != 0)
			return ESP_E_SA;
		return ESP_OK;
	case ESP_AUTH_HMAC_SHA1_96:	/* RFC 2404 §3: a 160-bit key */
		return sa->auth_key_len == 20 ? ESP_OK : ESP_E_SA;
	case ESP_AUTH_HMAC_SHA256_128:	/* RFC 4868 §2.1.1: 256 bits */
		return sa->auth_key_len == 32 ? ESP_OK : ESP_E_SA;
	}
	return ESP_E_SA;
}

size_t
esp_iv_len(const struct esp_sa *sa)
{
	const EVP_CIPHER *c = esp_cipher(sa);

	return c ? (size_t)EVP_CIPHER_get_iv_length(c) : 0;
}

size_t
esp_block_len(const struct esp_sa *sa)
{
	const EVP_CIPHER *c = esp_cipher(sa);

	/* RFC 4303 §2.4: the ciphertext ends on a 4-octet boundary even
	   when the cipher has no block. */
	return c ? (size_t)EVP_CIPHER_get_block_size(c) : 4;
}

size_t
esp_icv_len(const struct esp_sa *sa)
{
	switch (sa->auth) {
	case ESP_AUTH_HMAC_SHA1_96:
		return 12;
	case ESP_AUTH_HMAC_SHA256_128:
		return 16;
	case ESP_AUTH_NONE:
		return 0;
	}
	return 0;
}

/* Payload + trailer rounded up to the block: the ciphertext's length. */
static size_t
esp_ct_len(const struct esp_sa *sa, size_t len)
{
	size_t b = esp_block_len(sa);

	return (len + ESP_TRAILER_LEN + b - 1) / b * b;
}

size_t
esp_sealed_len(const struct esp_sa *sa, size_t len)
{
	return ESP_HDR_LEN + esp_iv_len(sa) + esp_ct_len(sa, len) +
	    esp_icv_len(sa);
}

/* The ICV over header, IV and ciphertext (RFC 4303 §3.3.4). */
static int
esp_icv(const struct esp_sa *sa, const uint8_t *in, size_t len,
    uint8_t icv[EVP_MAX_MD_SIZE])
{
	unsigned int n = 0;

	if (HMAC(esp_md(sa), sa->auth_key, (int)sa->auth_key_len, in, len,
	    icv, &n) == NULL || n < esp_icv_len(sa))
		return ESP_E_CRYPTO;
	return ESP_OK;
}

/* CBC without OpenSSL's own padding: ESP pads (RFC 4303 §2.4). */
static int
esp_cbc(const struct esp_sa *sa, int encrypt, const uint8_t *iv,
    const uint8_t *in, size_t len, uint8_t *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0, m = 0, ok;

	if (ctx == NULL)
		return ESP_E_CRYPTO;
	ok = EVP_CipherInit_ex(ctx, esp_cipher(sa), NULL, sa->enc_key, iv,
	    encrypt) == 1 &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	    EVP_CipherUpdate(ctx, out, &n, in, (int)len) == 1 &&
	    EVP_CipherFinal_ex(ctx, out + n, &m) == 1 &&
	    (size_t)(n + m) == len;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? ESP_OK : ESP_E_CRYPTO;
}

/* Payload | 1, 2, 3 .. | Pad Length | Next Header into pt. */
static void
esp_plaintext(uint8_t *pt, size_t ct_len, const uint8_t *payload,
    size_t len, uint8_t next_header)
{
	struct wbuf w;
	size_t pad = ct_len - len - ESP_TRAILER_LEN, i;

	wbuf_init(&w, pt, ct_len);
	wbuf_bytes(&w, payload, len);
	for (i = 1; i <= pad; i++)
		wbuf_u8(&w, (uint8_t)i);
	wbuf_u8(&w, (uint8_t)pad);
	wbuf_u8(&w, next_header);
}

int
esp_seal(const struct esp_sa *sa, uint32_t seq, uint8_t next_header,
    const uint8_t *iv, const uint8_t *payload, size_t len, uint8_t *out,
    size_t cap, size_t *outlen)
{
	size_t ivl = esp_iv_len(sa), ct = esp_ct_len(sa, len);
	size_t icvl = esp_icv_len(sa), body = ESP_HDR_LEN + ivl + ct;
	uint8_t icv[EVP_MAX_MD_SIZE];
	struct wbuf w;
	int rc;

	if ((rc = esp_sa_check(sa)) != ESP_OK)
		return rc;
	if (body + icvl > cap)
		return ESP_E_ROOM;
	wbuf_init(&w, out, cap);
	wbuf_u32(&w, sa->spi);
	wbuf_u32(&w, seq);
	if (ivl && iv)
		wbuf_bytes(&w, iv, ivl);
	else if (ivl && RAND_bytes(out + ESP_HDR_LEN, (int)ivl) != 1)
		return ESP_E_CRYPTO;
	/* The plaintext is built where the ciphertext goes and encrypted in
	   place: CBC reads each block before it writes it. */
	esp_plaintext(out + ESP_HDR_LEN + ivl, ct, payload, len, next_header);
	if (ivl && (rc = esp_cbc(sa, 1, out + ESP_HDR_LEN,
	    out + ESP_HDR_LEN + ivl, ct, out + ESP_HDR_LEN + ivl)) != ESP_OK)
		return rc;
	if (icvl) {
		if ((rc = esp_icv(sa, out, body, icv)) != ESP_OK)
			return rc;
		memcpy(out + body, icv, icvl);
	}
	*outlen = body + icvl;
	return ESP_OK;
}

/* RFC 4303 §2.4: Padding is 1, 2, 3 .. unless the cipher says else. */
static int
esp_pad_ok(const uint8_t *pt, size_t ct, size_t *plen)
{
	struct rbuf b;
	size_t pad, i;

	pad = pt[ct - 2];
	if (pad + ESP_TRAILER_LEN > ct)
		return ESP_E_PAD;
	*plen = ct - ESP_TRAILER_LEN - pad;
	rbuf_init(&b, pt + *plen, pad);
	for (i = 1; i <= pad; i++)
		if (rbuf_u8(&b) != (uint8_t)i)
			return ESP_E_PAD;
	return ESP_OK;
}

int
esp_open(const struct esp_sa *sa, const uint8_t *in, size_t len,
    uint8_t *out, size_t cap, size_t *outlen, uint8_t *next_header,
    uint32_t *seq)
{
	size_t ivl = esp_iv_len(sa), icvl = esp_icv_len(sa), ct;
	uint8_t icv[EVP_MAX_MD_SIZE];
	uint32_t spi, sn;
	struct rbuf b;
	int rc;

	if ((rc = esp_sa_check(sa)) != ESP_OK)
		return rc;
	if (len < ESP_HDR_LEN + ivl + ESP_TRAILER_LEN + icvl)
		return ESP_E_SHORT;
	rbuf_init(&b, in, ESP_HDR_LEN);
	spi = rbuf_u32(&b);
	sn = rbuf_u32(&b);
	if (spi != sa->spi)
		return ESP_E_SPI;
	ct = len - ESP_HDR_LEN - ivl - icvl;
	/* RFC 4303 §3.4.4.1: integrity before anything else. */
	if (icvl && ((rc = esp_icv(sa, in, len - icvl, icv)) != ESP_OK ||
	    CRYPTO_memcmp(icv, in + len - icvl, icvl) != 0))
		return rc != ESP_OK ? rc : ESP_E_ICV;
	if (ct % esp_block_len(sa) != 0)
		return ESP_E_ALIGN;
	if (ct > cap)
		return ESP_E_ROOM;
	if (ivl)
		rc = esp_cbc(sa, 0, in + ESP_HDR_LEN, in + ESP_HDR_LEN + ivl,
		    ct, out);
	else
		memcpy(out, in + ESP_HDR_LEN, ct);
	if (rc != ESP_OK || (rc = esp_pad_ok(out, ct, outlen)) != ESP_OK)
		return rc;
	*next_header = out[ct - 1];
	*seq = sn;
	return ESP_OK;
}

bool
esp_replay_check(const struct esp_replay *w, uint32_t seq)
{
	uint32_t behind;

	if (seq == 0)		/* §3.3.3: the first packet sent is 1 */
		return false;
	if (seq > w->top)
		return true;
	behind = w->top - seq;
	return behind < 64 && !(w->bits & ((uint64_t)1 << behind));
}

void
esp_replay_update(struct esp_replay *w, uint32_t seq)
{
	uint32_t d;

	if (seq > w->top) {
		d = seq - w->top;
		w->bits = d >= 64 ? 1 : (w->bits << d) | 1;
		w->top = seq;
	} else if ((d = w->top - seq) < 64)
		w->bits |= (uint64_t)1 << d;
}

static const char *const esp_err_names[] = {
	[-ESP_OK] = "ok",
	[-ESP_E_SHORT] = "too short for the SA's IV, trailer and ICV",
	[-ESP_E_SA] = "invalid SPI, algorithm or key length",
	[-ESP_E_SPI] = "SPI of another SA",
	[-ESP_E_ICV] = "integrity check value does not match",
	[-ESP_E_ALIGN] = "ciphertext not a whole number of blocks",
	[-ESP_E_PAD] = "bad padding (RFC 4303 §2.4)",
	[-ESP_E_ROOM] = "output buffer too small",
	[-ESP_E_CRYPTO] = "libcrypto failed",
};

const char *
esp_strerror(int err)
{
	if (err > 0 || -err >= (int)(sizeof esp_err_names /
	    sizeof esp_err_names[0]))
		return "unknown ESP error";
	return esp_err_names[-err];
}

struct esp_name {
	const char	*name;
	int		 value;
};

static const struct esp_name esp_enc_names[] = {
	{ "null", ESP_ENC_NULL },
	{ "aes-cbc", ESP_ENC_AES_CBC },
	{ "3des-cbc", ESP_ENC_3DES_CBC },
};

static const struct esp_name esp_auth_names[] = {
	{ "none", ESP_AUTH_NONE },
	{ "hmac-sha1", ESP_AUTH_HMAC_SHA1_96 },
	{ "hmac-sha256", ESP_AUTH_HMAC_SHA256_128 },
};

static int
esp_lookup(const struct esp_name *t, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(t[i].name, name) == 0)
			return t[i].value;
	return -1;
}

int
esp_enc_from_name(const char *name)
{
	return esp_lookup(esp_enc_names, sizeof esp_enc_names /
	    sizeof esp_enc_names[0], name);
}

int
esp_auth_from_name(const char *name)
{
	return esp_lookup(esp_auth_names, sizeof esp_auth_names /
	    sizeof esp_auth_names[0], name);
}

static const char *
esp_name_of(const struct esp_name *t, size_t n, int value)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].value == value)
			return t[i].name;
	return "?";
}

const char *
esp_enc_name(enum esp_enc e)
{
	return esp_name_of(esp_enc_names, sizeof esp_enc_names /
	    sizeof esp_enc_names[0], (int)e);
}

const char *
esp_auth_name(enum esp_auth a)
{
	return esp_name_of(esp_auth_names, sizeof esp_auth_names /
	    sizeof esp_auth_names[0], (int)a);
}
