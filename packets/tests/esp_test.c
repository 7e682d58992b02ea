/*
 * esp_test.c - ESP transport mode (RFC 4303, esp.h): seal byte for byte
 * against vectors scapy 2.5.0 built with its own ESP code
 * (SecurityAssociation(ESP, spi=0x1234, ...).encrypt(IPv6(nh=135)/
 * Raw(0x40..0x57), seq_num=7, iv=...), the ESP body after the IPv6
 * header), open them back, and refuse what RFC 4303 says a receiver
 * refuses: a wrong ICV, another SA's SPI, bad padding, a ciphertext that
 * is not whole blocks, a replayed or too old sequence number.
 */
#define OPENSSL_API_COMPAT	30000
#define OPENSSL_NO_DEPRECATED	1

#include <atf-c.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "packets/esp.h"
#include "testutil.h"

#define NH_MH	135

/* scapy: crypt_algo AES-CBC key 01..10, HMAC-SHA1-96 key 21..34, IV a0..af */
static const char aes_sha1[] =
    "0000123400000007a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
    "af87a909e252c943117dd8f8a856a178aa9a32351caf79dd39ae0aa650044450"
    "39b0d40cb24fadde7797c0cc";
/* scapy: 3DES key 01..18, HMAC-SHA1-96 key 21..34, IV a0..a7 */
static const char des3_sha1[] =
    "0000123400000007a0a1a2a3a4a5a6a7"
    "ae43f40c8b4bb7e95aaabb26b1d12be5fd06608b00af9200b0624cc9341c6136"
    "c9c5f2111fd1d0a607b5c832";
/* scapy: NULL encryption, SHA2-256-128 key 31..50 */
static const char null_sha256[] =
    "0000123400000007404142434445464748494a4b4c4d4e4f5051525354555657"
    "01020287" "0bdebb66f20bc1c5617aa6750a0ab72f";

static void
fill(uint8_t *p, size_t n, uint8_t first)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(first + i);
}

static struct esp_sa
sa_make(enum esp_enc enc, size_t ekl, enum esp_auth auth, size_t akl)
{
	struct esp_sa sa = { .spi = 0x1234, .enc = enc, .enc_key_len = ekl,
	    .auth = auth, .auth_key_len = akl };

	fill(sa.enc_key, ekl, 0x01);
	fill(sa.auth_key, akl, auth == ESP_AUTH_HMAC_SHA256_128 ? 0x31 : 0x21);
	return sa;
}

/* Seal the scapy payload with iv and compare with the vector. */
static void
seal_matches(const struct esp_sa *sa, const uint8_t *iv, const char *hex)
{
	uint8_t want[256], got[256], payload[24];
	size_t wn = tu_hex(hex, want, sizeof want), gn = 0;

	fill(payload, sizeof payload, 0x40);
	ATF_REQUIRE_EQ(esp_sealed_len(sa, sizeof payload), wn);
	ATF_REQUIRE_EQ(esp_seal(sa, 7, NH_MH, iv, payload, sizeof payload,
	    got, sizeof got, &gn), ESP_OK);
	tu_bytes_eq("sealed", got, gn, want, wn);
}

/* Open the vector: the payload, Next Header and sequence come back. */
static void
opens_to_payload(const struct esp_sa *sa, const char *hex)
{
	uint8_t in[256], out[256], payload[24], nh = 0;
	size_t n = tu_hex(hex, in, sizeof in), plen = 0;
	uint32_t seq = 0;

	fill(payload, sizeof payload, 0x40);
	ATF_REQUIRE_EQ(esp_open(sa, in, n, out, sizeof out, &plen, &nh, &seq),
	    ESP_OK);
	tu_bytes_eq("payload", out, plen, payload, sizeof payload);
	ATF_CHECK_EQ(nh, NH_MH);
	ATF_CHECK_EQ(seq, 7u);
}

/* Seal with the IV a0, a1, .. and open back one scapy vector. */
static void
as_scapy(enum esp_enc enc, size_t ekl, enum esp_auth auth, size_t akl,
    const char *hex)
{
	struct esp_sa sa = sa_make(enc, ekl, auth, akl);
	uint8_t iv[ESP_IV_MAX];

	fill(iv, sizeof iv, 0xa0);
	seal_matches(&sa, esp_iv_len(&sa) ? iv : NULL, hex);
	opens_to_payload(&sa, hex);
}

ATF_TC_WITHOUT_HEAD(aes_cbc_hmac_sha1_as_scapy);
ATF_TC_BODY(aes_cbc_hmac_sha1_as_scapy, tc)
{
	as_scapy(ESP_ENC_AES_CBC, 16, ESP_AUTH_HMAC_SHA1_96, 20, aes_sha1);
}

ATF_TC_WITHOUT_HEAD(des3_cbc_hmac_sha1_as_scapy);
ATF_TC_BODY(des3_cbc_hmac_sha1_as_scapy, tc)
{
	as_scapy(ESP_ENC_3DES_CBC, 24, ESP_AUTH_HMAC_SHA1_96, 20, des3_sha1);
}

ATF_TC_WITHOUT_HEAD(null_hmac_sha256_as_scapy);
ATF_TC_BODY(null_hmac_sha256_as_scapy, tc)
{
	as_scapy(ESP_ENC_NULL, 0, ESP_AUTH_HMAC_SHA256_128, 32, null_sha256);
}

/* A random IV each time: two seals differ, both open. */
ATF_TC_WITHOUT_HEAD(random_iv_opens);
ATF_TC_BODY(random_iv_opens, tc)
{
	struct esp_sa sa = sa_make(ESP_ENC_AES_CBC, 32,
	    ESP_AUTH_HMAC_SHA256_128, 32);
	uint8_t a[128], b[128], out[128], payload[5] = "hello", nh;
	size_t an, bn, plen;
	uint32_t seq;

	ATF_REQUIRE_EQ(esp_seal(&sa, 1, 59, NULL, payload, 5, a, sizeof a,
	    &an), ESP_OK);
	ATF_REQUIRE_EQ(esp_seal(&sa, 1, 59, NULL, payload, 5, b, sizeof b,
	    &bn), ESP_OK);
	ATF_REQUIRE_EQ(an, 8u + 16 + 16 + 16);
	ATF_CHECK(memcmp(a + 8, b + 8, 16) != 0);
	ATF_REQUIRE_EQ(esp_open(&sa, b, bn, out, sizeof out, &plen, &nh,
	    &seq), ESP_OK);
	ATF_CHECK_EQ(plen, 5u);
	ATF_CHECK(memcmp(out, "hello", 5) == 0);
	ATF_CHECK_EQ(nh, 59);
}

/* §3.4.4: one flipped bit anywhere fails the ICV; another SPI, the SPI. */
ATF_TC_WITHOUT_HEAD(refuses_tampering_and_other_spi);
ATF_TC_BODY(refuses_tampering_and_other_spi, tc)
{
	struct esp_sa sa = sa_make(ESP_ENC_AES_CBC, 16,
	    ESP_AUTH_HMAC_SHA1_96, 20);
	uint8_t in[256], out[256], nh;
	size_t n = tu_hex(aes_sha1, in, sizeof in), plen, i;
	uint32_t seq;

	for (i = 4; i < n; i++) {
		in[i] ^= 0x10;
		ATF_CHECK_EQ_MSG(esp_open(&sa, in, n, out, sizeof out, &plen,
		    &nh, &seq), ESP_E_ICV, "octet %zu", i);
		in[i] ^= 0x10;
	}
	sa.spi = 0x1235;
	ATF_CHECK_EQ(esp_open(&sa, in, n, out, sizeof out, &plen, &nh, &seq),
	    ESP_E_SPI);
	/* Header, IV, trailer and ICV need 38 octets. */
	ATF_CHECK_EQ(esp_open(&sa, in, 8 + 16 + 1 + 12, out, sizeof out,
	    &plen, &nh, &seq), ESP_E_SHORT);
}

/* NULL encryption, ICV recomputed over a changed body (HMAC-SHA-256). */
static int
open_null_body(uint8_t *body, size_t n)
{
	struct esp_sa sa = sa_make(ESP_ENC_NULL, 0,
	    ESP_AUTH_HMAC_SHA256_128, 32);
	uint8_t out[256], md[EVP_MAX_MD_SIZE], nh;
	unsigned int mdl;
	size_t plen;
	uint32_t seq;

	ATF_REQUIRE(HMAC(EVP_sha256(), sa.auth_key, 32, body, n - 16, md,
	    &mdl) != NULL);
	memcpy(body + n - 16, md, 16);
	return esp_open(&sa, body, n, out, sizeof out, &plen, &nh, &seq);
}

/* §2.4: the Padding is 1, 2, ..; Pad Length fits; 4-octet alignment. */
ATF_TC_WITHOUT_HEAD(refuses_bad_padding_and_alignment);
ATF_TC_BODY(refuses_bad_padding_and_alignment, tc)
{
	uint8_t in[256], keep[256];
	size_t n = tu_hex(null_sha256, in, sizeof in);

	memcpy(keep, in, n);
	ATF_REQUIRE_EQ(open_null_body(in, n), ESP_OK);
	in[8 + 24 + 1] = 0x03;			/* Padding 1, 3 */
	ATF_CHECK_EQ(open_null_body(in, n), ESP_E_PAD);
	memcpy(in, keep, n);
	in[8 + 26] = 27;			/* Pad Length past the start */
	ATF_CHECK_EQ(open_null_body(in, n), ESP_E_PAD);
	memcpy(in, keep, n);
	memmove(in + 8 + 1, in + 8, n - 8);	/* 29 octets of ciphertext */
	ATF_CHECK_EQ(open_null_body(in, n + 1), ESP_E_ALIGN);
}

ATF_TC_WITHOUT_HEAD(checks_the_sa);
ATF_TC_BODY(checks_the_sa, tc)
{
	struct esp_sa sa;

	sa = sa_make(ESP_ENC_AES_CBC, 16, ESP_AUTH_HMAC_SHA1_96, 20);
	ATF_CHECK_EQ(esp_sa_check(&sa), ESP_OK);
	sa = sa_make(ESP_ENC_AES_CBC, 15, ESP_AUTH_HMAC_SHA1_96, 20);
	ATF_CHECK_EQ(esp_sa_check(&sa), ESP_E_SA);
	sa = sa_make(ESP_ENC_3DES_CBC, 16, ESP_AUTH_HMAC_SHA1_96, 20);
	ATF_CHECK_EQ(esp_sa_check(&sa), ESP_E_SA);
	sa = sa_make(ESP_ENC_AES_CBC, 16, ESP_AUTH_HMAC_SHA1_96, 16);
	ATF_CHECK_EQ(esp_sa_check(&sa), ESP_E_SA);
	sa = sa_make(ESP_ENC_AES_CBC, 16, ESP_AUTH_HMAC_SHA1_96, 20);
	sa.spi = 255;		/* §2.1: 1..255 reserved, 0 never sent */
	ATF_CHECK_EQ(esp_sa_check(&sa), ESP_E_SA);
	sa = sa_make(ESP_ENC_NULL, 0, ESP_AUTH_NONE, 0);	/* §3.2 */
	ATF_CHECK_EQ(esp_sa_check(&sa), ESP_E_SA);
	sa = sa_make(ESP_ENC_AES_CBC, 24, ESP_AUTH_NONE, 0);
	ATF_CHECK_EQ(esp_sa_check(&sa), ESP_OK);
	ATF_CHECK_EQ(esp_icv_len(&sa), 0u);
	ATF_CHECK_EQ(esp_iv_len(&sa), 16u);
	ATF_CHECK_EQ(esp_enc_from_name("3DES-CBC"), ESP_ENC_3DES_CBC);
	ATF_CHECK_EQ(esp_auth_from_name("hmac-sha256"),
	    ESP_AUTH_HMAC_SHA256_128);
	ATF_CHECK_EQ(esp_auth_from_name("md5"), -1);
}

/* RFC 4303 §3.4.3: a window of 64 below the highest number accepted. */
ATF_TC_WITHOUT_HEAD(replay_window);
ATF_TC_BODY(replay_window, tc)
{
	struct esp_replay w = { 0, 0 };

	ATF_CHECK(!esp_replay_check(&w, 0));
	ATF_CHECK(esp_replay_check(&w, 5));
	esp_replay_update(&w, 5);
	ATF_CHECK(!esp_replay_check(&w, 5));		/* replayed */
	ATF_CHECK(esp_replay_check(&w, 3));		/* late, inside */
	esp_replay_update(&w, 3);
	ATF_CHECK(!esp_replay_check(&w, 3));
	esp_replay_update(&w, 100);
	ATF_CHECK(!esp_replay_check(&w, 36));		/* 64 behind */
	ATF_CHECK(esp_replay_check(&w, 37));		/* 63 behind */
	ATF_CHECK(!esp_replay_check(&w, 100));
	esp_replay_update(&w, 300);			/* jump past 64 */
	ATF_CHECK_EQ(w.bits, 1u);
	ATF_CHECK(esp_replay_check(&w, 299));
}

ATF_TC_WITHOUT_HEAD(names_its_errors);
ATF_TC_BODY(names_its_errors, tc)
{
	ATF_CHECK_STREQ(esp_strerror(ESP_E_ICV),
	    "integrity check value does not match");
	ATF_CHECK_STREQ(esp_strerror(ESP_E_PAD), "bad padding (RFC 4303 §2.4)");
	ATF_CHECK_STREQ(esp_strerror(-99), "unknown ESP error");
	ATF_CHECK_STREQ(esp_strerror(1), "unknown ESP error");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, aes_cbc_hmac_sha1_as_scapy);
	ATF_TP_ADD_TC(tp, des3_cbc_hmac_sha1_as_scapy);
	ATF_TP_ADD_TC(tp, null_hmac_sha256_as_scapy);
	ATF_TP_ADD_TC(tp, random_iv_opens);
	ATF_TP_ADD_TC(tp, refuses_tampering_and_other_spi);
	ATF_TP_ADD_TC(tp, refuses_bad_padding_and_alignment);
	ATF_TP_ADD_TC(tp, checks_the_sa);
	ATF_TP_ADD_TC(tp, replay_window);
	ATF_TP_ADD_TC(tp, names_its_errors);
	return atf_no_error();
}
