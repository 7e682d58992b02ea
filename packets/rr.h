/*
 * rr.h - Return Routability crypto (RFC 6275 §5.2) and the RFC 4285
 * MN-HA authenticator, on OpenSSL libcrypto.
 *
 *   home keygen token    = First(64, HMAC_SHA1(Kcn, HoA | nonce | 0))
 *   care-of keygen token = First(64, HMAC_SHA1(Kcn, CoA | nonce | 1))
 *   Kbm = SHA1(home token | care-of token), or SHA1(home token) for a
 *         de-registration (CoA == HoA)
 *   Authenticator = First(96, HMAC_SHA1(Kbm, CoA | CN | MH data))
 */
#ifndef MIP6_PACKETS_RR_H
#define MIP6_PACKETS_RR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RR_KCN_LEN	20
#define RR_NONCE_LEN	8
#define RR_TOKEN_LEN	8
#define RR_KBM_LEN	20
#define RR_AUTH_LEN	12

/* Returns 0, or -1 when libcrypto fails. */
int	rr_home_token(const uint8_t kcn[RR_KCN_LEN], const struct in6_addr *hoa,
	    const uint8_t nonce[RR_NONCE_LEN], uint8_t token[RR_TOKEN_LEN]);
int	rr_careof_token(const uint8_t kcn[RR_KCN_LEN],
	    const struct in6_addr *coa, const uint8_t nonce[RR_NONCE_LEN],
	    uint8_t token[RR_TOKEN_LEN]);
/* careof may be NULL for the de-registration form. */
int	rr_kbm(const uint8_t home[RR_TOKEN_LEN], const uint8_t *careof,
	    uint8_t kbm[RR_KBM_LEN]);
/*
 * The Binding Authorization Data authenticator over `mh`, the encoded MH
 * from Payload Proto up to (not including) the authenticator, with its
 * checksum field zero.
 */
int	rr_authenticator(const uint8_t kbm[RR_KBM_LEN],
	    const struct in6_addr *coa, const struct in6_addr *cn,
	    const uint8_t *mh, size_t mh_len, uint8_t auth[RR_AUTH_LEN]);

/*
 * Sign an encoded MH in place: find its Binding Authorization Data option
 * (which must be last), compute the authenticator with the checksum field
 * zeroed, store it, and recompute the checksum with src/dst (pseudo-header
 * addresses).  Returns 0, or -1 without a well-formed BAD option.
 */
int	rr_sign_mh(uint8_t *mh, size_t len, const uint8_t kbm[RR_KBM_LEN],
	    const struct in6_addr *coa, const struct in6_addr *cn,
	    const struct in6_addr *src, const struct in6_addr *dst);
/* Verify a received MH's authenticator (constant time). 1 ok, 0 bad, -1. */
int	rr_verify_mh(const uint8_t *mh, size_t len,
	    const uint8_t kbm[RR_KBM_LEN], const struct in6_addr *coa,
	    const struct in6_addr *cn);

/*
 * Correspondent node nonce table (RFC 6275 §5.2.3, §9.4.1): nonces are
 * generated periodically, identified by a 16-bit index, and expire; a Kcn
 * may be rotated.  Time is supplied by the caller (seconds, monotonic).
 */
#define RR_NONCE_SLOTS	8

struct rr_nonce {
	uint16_t	index;
	uint8_t		nonce[RR_NONCE_LEN];
	uint64_t	created;
	bool		valid;
};

struct rr_cn_state {
	uint8_t		kcn[RR_KCN_LEN];
	uint16_t	next_index;
	unsigned	nonce_lifetime;		/* MAX_NONCE_LIFETIME, 240 s */
	unsigned	nonce_interval;		/* new nonce every N s */
	struct rr_nonce	slots[RR_NONCE_SLOTS];
};

int	rr_cn_init(struct rr_cn_state *, uint64_t now);	/* random Kcn */
int	rr_cn_rotate_kcn(struct rr_cn_state *);
/* The current nonce (made fresh when older than nonce_interval). */
const struct rr_nonce *rr_cn_current(struct rr_cn_state *, uint64_t now);
/* The nonce with this index, or NULL when unknown or expired. */
const struct rr_nonce *rr_cn_lookup(const struct rr_cn_state *,
	    uint16_t index, uint64_t now);
int	rr_random(uint8_t *, size_t);

/*
 * RFC 4285 MN-HA authentication: the authenticator over the MH from
 * Payload Proto up to and including the SPI field of the Mobility Message
 * Authentication option, keyed HMAC-SHA1-96 with the MN-HA shared key,
 * whose input is (RFC 4285 §5.1)
 *   care-of address | home address | MH data (checksum zero).
 */
#define AUTH4285_LEN	12
int	auth4285_compute(const uint8_t *key, size_t keylen,
	    const struct in6_addr *coa, const struct in6_addr *hoa,
	    const uint8_t *mh, size_t mh_len, uint8_t out[AUTH4285_LEN]);

#endif
