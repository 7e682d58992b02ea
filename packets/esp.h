/*
 * esp.h - IP Encapsulating Security Payload (RFC 4303), transport mode,
 * sealed and opened in user space on OpenSSL libcrypto.
 *
 * Why here: the target kernel has no ESP (no CONFIG_INET6_ESP, see
 * stack/DESIGN.md), yet Mobile IPv6 protects the MN-HA signalling with
 * ESP in transport mode (RFC 3776, RFC 4877) and TAHI's MN and NEMO-MR
 * suites judge it (group 13, manual keys).  One codec serves the stack
 * (which must seal its Binding Updates itself) and the tester (which
 * crafts and opens ESP like any other layer).
 *
 * What is on the wire (RFC 4303 §2):
 *
 *   SPI (4) | Sequence Number (4) | IV (cipher block, or none) |
 *   E( payload | Padding 1,2,3.. | Pad Length (1) | Next Header (1) ) |
 *   ICV (integrity algorithm's output, or none)
 *
 * The ICV covers everything before it (encrypt-then-MAC, RFC 4303
 * §3.3.4); the receiver checks it before it decrypts (§3.4.4).  Extended
 * Sequence Numbers are not supported: they need a key exchange to be
 * agreed (§2.2.1), and manual SAs use 32-bit numbers.
 *
 * Algorithms are those RFC 8221 §5-§6 (after RFC 4835) lists for ESP:
 * encryption NULL (RFC 2410), AES-CBC (RFC 3602, 128/192/256-bit keys),
 * 3DES-CBC (RFC 2451; TAHI's manual SAs use it); integrity HMAC-SHA1-96
 * (RFC 2404) and HMAC-SHA-256-128 (RFC 4868).  NULL encryption with no
 * integrity is refused (RFC 4303 §3.2: at least one service).
 *
 * The SPI and Sequence Number, which need no keys, are decoded and
 * printed with the other headers (pkt.c, HDR_ESP; pkt_print.c).  The
 * library never logs: every failure is a negative enum esp_err.
 */
#ifndef MIP6_PACKETS_ESP_H
#define MIP6_PACKETS_ESP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ESP_HDR_LEN	8	/* SPI, Sequence Number */
#define ESP_TRAILER_LEN	2	/* Pad Length, Next Header */
#define ESP_IV_MAX	16
#define ESP_ICV_MAX	16
#define ESP_ENC_KEY_MAX	32
#define ESP_AUTH_KEY_MAX 64
/* SPIs 1..255 are reserved by IANA, 0 is never sent (RFC 4303 §2.1). */
#define ESP_SPI_MIN	256

enum esp_enc {
	ESP_ENC_NULL,
	ESP_ENC_AES_CBC,
	ESP_ENC_3DES_CBC,
};

enum esp_auth {
	ESP_AUTH_NONE,
	ESP_AUTH_HMAC_SHA1_96,
	ESP_AUTH_HMAC_SHA256_128,
};

enum esp_err {
	ESP_OK		=  0,
	ESP_E_SHORT	= -1,	/* shorter than header + IV + trailer + ICV */
	ESP_E_SA	= -2,	/* SPI, algorithm or key length not valid */
	ESP_E_SPI	= -3,	/* not this SA's SPI */
	ESP_E_ICV	= -4,	/* integrity check failed */
	ESP_E_ALIGN	= -5,	/* ciphertext not a whole number of blocks */
	ESP_E_PAD	= -6,	/* Pad Length too long, or Padding not 1,2,3.. */
	ESP_E_ROOM	= -7,	/* output buffer too small */
	ESP_E_CRYPTO	= -8,	/* libcrypto failed */
};

/* One direction of a manually keyed SA. */
struct esp_sa {
	uint32_t	spi;
	enum esp_enc	enc;
	uint8_t		enc_key[ESP_ENC_KEY_MAX];
	size_t		enc_key_len;
	enum esp_auth	auth;
	uint8_t		auth_key[ESP_AUTH_KEY_MAX];
	size_t		auth_key_len;
};

/* Anti-replay window of 64 (RFC 4303 §3.4.3), for one inbound SA. */
struct esp_replay {
	uint32_t	top;	/* highest sequence number accepted, 0: none */
	uint64_t	bits;	/* bit i: top - i was accepted */
};

/* ESP_OK, or ESP_E_SA: an SPI under ESP_SPI_MIN, an unknown algorithm,
   a key of the wrong length, or neither confidentiality nor integrity. */
int		esp_sa_check(const struct esp_sa *);
/* Octets of IV and of ICV the SA adds; its cipher block (4 for NULL). */
size_t		esp_iv_len(const struct esp_sa *);
size_t		esp_icv_len(const struct esp_sa *);
size_t		esp_block_len(const struct esp_sa *);
/* The length esp_seal writes for a payload of len octets. */
size_t		esp_sealed_len(const struct esp_sa *, size_t len);

/*
 * Seal len octets of payload (the upper-layer header and data of a
 * transport-mode packet) whose protocol is next_header.  iv: the SA's IV
 * length of octets, or NULL for random ones (RAND_bytes).  Writes
 * esp_sealed_len() octets to out.
 */
int		esp_seal(const struct esp_sa *, uint32_t seq, uint8_t next_header,
		    const uint8_t *iv, const uint8_t *payload, size_t len,
		    uint8_t *out, size_t cap, size_t *outlen);

/*
 * Open an ESP body (from the SPI to the end of the IP payload): check
 * the SPI and the ICV, decrypt, check the padding.  The payload goes to
 * out (cap octets; the ciphertext's length is always enough), its length
 * to *outlen, with the Next Header and Sequence Number.
 */
int		esp_open(const struct esp_sa *, const uint8_t *in, size_t len,
		    uint8_t *out, size_t cap, size_t *outlen,
		    uint8_t *next_header, uint32_t *seq);

/* RFC 4303 §3.4.3: is seq new and inside the window?  Then mark it. */
bool		esp_replay_check(const struct esp_replay *, uint32_t seq);
void		esp_replay_update(struct esp_replay *, uint32_t seq);

const char	*esp_strerror(int);
/* Names as in setkey(8): "null", "aes-cbc", "3des-cbc"; "hmac-sha1",
   "hmac-sha256", "none".  -1: unknown. */
int		esp_enc_from_name(const char *);
int		esp_auth_from_name(const char *);
/* The same names back ("?" for a value without one). */
const char	*esp_enc_name(enum esp_enc);
const char	*esp_auth_name(enum esp_auth);

#endif
