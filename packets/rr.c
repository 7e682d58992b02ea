/*
 * rr.c - Return Routability crypto (RFC 6275 §5.2): keygen tokens, Kbm,
 * the Binding Authorization Data authenticator, signing and verifying an
 * encoded Mobility Header, the correspondent node's nonce table; and the
 * RFC 4285 MN-HA authenticator.  See rr.h for the formulas.
 *
 * Crypto is OpenSSL 3 libcrypto through its non-deprecated one-shot calls
 * (HMAC(), SHA1(), RAND_bytes(), CRYPTO_memcmp()); the deprecated API is
 * hidden below so that using it by mistake fails to compile.  Every HMAC
 * input is assembled with the bounded write cursor in a stack buffer: the
 * largest is CoA | CN | an MH of MH_MAX_LEN octets.
 *
 * Which addresses go in is the caller's decision, because only the caller
 * knows the packet around the MH (RFC 6275 §6.2.7, §9.5.1, §11.7.2):
 *   - "care-of address": the Alternate Care-of Address option's address
 *     when the BU carries one, else the IPv6 source address of the BU; a
 *     mobile node de-registering from home sends from its home address, so
 *     there the CoA is the HoA (and Kbm comes from the home keygen token
 *     alone, §5.2.5).  A BA's authenticator uses the CoA of the BU it
 *     answers.
 *   - "correspondent": the CN's address; when the CN is itself a mobile
 *     node, its home address (from the Type 2 Routing header), not the
 *     IPv6 destination.
 * The MH checksum pseudo-header addresses of rr_sign_mh() are likewise the
 * caller's (HAO home address as source, RH2 home address as destination,
 * RFC 6275 §6.1.1).
 */
#define OPENSSL_API_COMPAT	30000
#define OPENSSL_NO_DEPRECATED	1

#include <netinet/in.h>
#include <limits.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "buf.h"
#include "cksum.h"
#include "mh.h"
#include "rr.h"

/* Offsets in the MH common header (RFC 6275 §6.1.1). */
#define MH_OFF_HDRLEN	1
#define MH_OFF_CKSUM	4

/* The final octet of the keygen token input (RFC 6275 §5.2.5). */
#define RR_HOME_TAG	0
#define RR_CAREOF_TAG	1

/* Both authenticators are HMAC-SHA1-96 and share mh_mac(). */
_Static_assert(AUTH4285_LEN == RR_AUTH_LEN, "authenticator lengths");

/* CoA | CN | MH data: the largest HMAC input we build. */
#define RR_MAC_INPUT_MAX	(16 + 16 + MH_MAX_LEN)

/* Constants of RFC 6275 §12 and the nonce schedule of §5.2.7. */
#define RR_MAX_NONCE_LIFETIME	240	/* s */
#define RR_MAX_TOKEN_LIFETIME	210	/* s */
/*
 * §5.2.7: "As the difference between these two constants is 30 seconds, a
 * convenient way to enforce the above lifetimes is to generate a new nonce
 * every 30 seconds" and accept the last 8 (240 / 30), which is what
 * RR_NONCE_SLOTS holds.
 */
#define RR_NONCE_INTERVAL	(RR_MAX_NONCE_LIFETIME - RR_MAX_TOKEN_LIFETIME)

/*
 * HMAC-SHA1 over in[0 .. in_len), truncated to the first out_len octets
 * ("First(n, x)", RFC 6275 §5.2.5 / §6.2.7).
 */
static int
hmac_sha1_first(const uint8_t *key, size_t keylen, const uint8_t *in,
    size_t in_len, uint8_t *out, size_t out_len)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;

	if (key == NULL || keylen == 0 || keylen > INT_MAX ||
	    out_len > SHA_DIGEST_LENGTH)
		return -1;
	if (HMAC(EVP_sha1(), key, (int)keylen, in, in_len, md, &md_len) ==
	    NULL || md_len != SHA_DIGEST_LENGTH)
		return -1;
	memcpy(out, md, out_len);
	OPENSSL_cleanse(md, sizeof(md));
	return 0;
}

/*
 * Append MH data to an HMAC input: the MH as given, except that the
 * Checksum field counts as zero (RFC 6275 §6.2.7, RFC 4285 §5.1), so the
 * caller's buffer may already hold a checksum.
 */
static void
put_mh_zero_cksum(struct wbuf *w, const uint8_t *mh, size_t len)
{
	size_t start = w->len;

	wbuf_bytes(w, mh, len);
	if (len >= MH_OFF_CKSUM + 2)
		wbuf_set_u16(w, start + MH_OFF_CKSUM, 0);
}

/* First(64, HMAC_SHA1(Kcn, addr | nonce | tag)), RFC 6275 §5.2.5. */
static int
keygen_token(const uint8_t kcn[RR_KCN_LEN], const struct in6_addr *addr,
    const uint8_t nonce[RR_NONCE_LEN], uint8_t tag,
    uint8_t token[RR_TOKEN_LEN])
{
	uint8_t in[16 + RR_NONCE_LEN + 1];
	struct wbuf w;

	if (kcn == NULL || addr == NULL || nonce == NULL || token == NULL)
		return -1;
	wbuf_init(&w, in, sizeof(in));
	wbuf_in6(&w, addr);
	wbuf_bytes(&w, nonce, RR_NONCE_LEN);
	wbuf_u8(&w, tag);
	if (w.err)
		return -1;
	return hmac_sha1_first(kcn, RR_KCN_LEN, in, w.len, token,
	    RR_TOKEN_LEN);
}

int
rr_home_token(const uint8_t kcn[RR_KCN_LEN], const struct in6_addr *hoa,
    const uint8_t nonce[RR_NONCE_LEN], uint8_t token[RR_TOKEN_LEN])
{
	return keygen_token(kcn, hoa, nonce, RR_HOME_TAG, token);
}

int
rr_careof_token(const uint8_t kcn[RR_KCN_LEN], const struct in6_addr *coa,
    const uint8_t nonce[RR_NONCE_LEN], uint8_t token[RR_TOKEN_LEN])
{
	return keygen_token(kcn, coa, nonce, RR_CAREOF_TAG, token);
}

/*
 * Kbm = SHA1(home keygen token | care-of keygen token); when the mobile
 * node de-registers (returns home, CoA == HoA) only the home token exists
 * and Kbm = SHA1(home keygen token) (RFC 6275 §5.2.5).
 */
int
rr_kbm(const uint8_t home[RR_TOKEN_LEN], const uint8_t *careof,
    uint8_t kbm[RR_KBM_LEN])
{
	uint8_t in[2 * RR_TOKEN_LEN];
	struct wbuf w;

	if (home == NULL || kbm == NULL)
		return -1;
	wbuf_init(&w, in, sizeof(in));
	wbuf_bytes(&w, home, RR_TOKEN_LEN);
	if (careof != NULL)
		wbuf_bytes(&w, careof, RR_TOKEN_LEN);
	if (w.err || SHA1(in, w.len, kbm) == NULL) {
		OPENSSL_cleanse(in, sizeof(in));
		return -1;
	}
	OPENSSL_cleanse(in, sizeof(in));
	return 0;
}

/*
 * The MAC over addr1 | addr2 | MH data, where the MH data is mh[0 .. len)
 * without the `skip_len` octets at `skip_off` (the authenticator itself,
 * which RFC 6275 §6.2.7 excludes) and with the checksum counted as zero.
 */
static int
mh_mac(const uint8_t *key, size_t keylen, const struct in6_addr *addr1,
    const struct in6_addr *addr2, const uint8_t *mh, size_t len,
    size_t skip_off, size_t skip_len, uint8_t out[RR_AUTH_LEN])
{
	uint8_t in[RR_MAC_INPUT_MAX];
	struct wbuf w;

	if (addr1 == NULL || addr2 == NULL || mh == NULL || out == NULL ||
	    len > MH_MAX_LEN || skip_off > len || skip_len > len - skip_off)
		return -1;
	wbuf_init(&w, in, sizeof(in));
	wbuf_in6(&w, addr1);
	wbuf_in6(&w, addr2);
	put_mh_zero_cksum(&w, mh, skip_off);
	wbuf_bytes(&w, mh + skip_off + skip_len, len - skip_off - skip_len);
	if (w.err)
		return -1;
	return hmac_sha1_first(key, keylen, in, w.len, out, RR_AUTH_LEN);
}

/* First(96, HMAC_SHA1(Kbm, CoA | CN | MH data)), RFC 6275 §6.2.7. */
int
rr_authenticator(const uint8_t kbm[RR_KBM_LEN], const struct in6_addr *coa,
    const struct in6_addr *cn, const uint8_t *mh, size_t mh_len,
    uint8_t auth[RR_AUTH_LEN])
{
	return mh_mac(kbm, RR_KBM_LEN, coa, cn, mh, mh_len, mh_len, 0, auth);
}

/*
 * The messages that may carry a Binding Authorization Data option
 * (RFC 6275 §6.1.7 BU, §6.1.8 BA) and where their options start.
 */
static const struct {
	uint8_t	type;
	uint8_t	opts_off;
} bad_carriers[] = {
	{ MH_BU, 12 },	/* Sequence #, flags, Lifetime at 6..11 */
	{ MH_BA, 12 },	/* Status, flags, Sequence #, Lifetime at 6..11 */
};

static int
bad_opts_offset(uint8_t type)
{
	size_t i;

	for (i = 0; i < sizeof(bad_carriers) / sizeof(bad_carriers[0]); i++)
		if (bad_carriers[i].type == type)
			return bad_carriers[i].opts_off;
	return -1;
}

/*
 * Find the authenticator of the Binding Authorization Data option of the
 * encoded MH mh[0 .. len): set *auth_off to its first octet.  The MH must
 * be exactly its Header Len long ((Header Len + 1) * 8, §6.1.1), be a BU or
 * BA, hold one BAD option whose Length is that of HMAC-SHA1-96, and have
 * nothing but padding after it ("MUST be the last option", §6.2.7).  Every
 * option is walked with the bounded cursor; Pad1 has no Length octet
 * (§6.2.2).  Returns 0, or -1 for any other layout.
 */
static int
find_bad_auth(const uint8_t *mh, size_t len, size_t *auth_off)
{
	struct rbuf b;
	bool found = false;
	int opts_off;

	if (mh == NULL || len < 8 || len > MH_MAX_LEN)
		return -1;
	rbuf_init(&b, mh, len);
	rbuf_skip(&b, MH_OFF_HDRLEN);
	if (((size_t)rbuf_u8(&b) + 1) * 8 != len)
		return -1;
	opts_off = bad_opts_offset(rbuf_u8(&b));
	if (b.err || opts_off < 0)
		return -1;
	rbuf_init(&b, mh, len);
	rbuf_skip(&b, (size_t)opts_off);
	while (!b.err && rbuf_left(&b) > 0) {
		uint8_t type = rbuf_u8(&b), olen;

		if (type == MHOPT_PAD1)
			continue;
		olen = rbuf_u8(&b);
		if (b.err || (found && type != MHOPT_PADN))
			return -1;
		if (type == MHOPT_BAD) {
			if (olen != MH_BAD_AUTH_LEN)
				return -1;
			*auth_off = b.off;
			found = true;
		}
		rbuf_skip(&b, olen);
	}
	return b.err || !found ? -1 : 0;
}

int
rr_sign_mh(uint8_t *mh, size_t len, const uint8_t kbm[RR_KBM_LEN],
    const struct in6_addr *coa, const struct in6_addr *cn,
    const struct in6_addr *src, const struct in6_addr *dst)
{
	uint8_t auth[RR_AUTH_LEN];
	struct wbuf a, c;
	size_t off;

	if (src == NULL || dst == NULL || find_bad_auth(mh, len, &off) < 0)
		return -1;
	if (mh_mac(kbm, RR_KBM_LEN, coa, cn, mh, len, off, RR_AUTH_LEN,
	    auth) < 0)
		return -1;
	/*
	 * Store the authenticator, then checksum the final MH, authenticator
	 * included (§6.2.7).  find_bad_auth() checked off + 12 <= len.
	 */
	wbuf_init(&a, mh + off, len - off);
	wbuf_bytes(&a, auth, RR_AUTH_LEN);
	wbuf_init(&c, mh + MH_OFF_CKSUM, 2);
	wbuf_u16(&c, cksum_upper6(src, dst, IPPROTO_MH_, mh, len,
	    MH_OFF_CKSUM));
	return a.err || c.err ? -1 : 0;
}

int
rr_verify_mh(const uint8_t *mh, size_t len, const uint8_t kbm[RR_KBM_LEN],
    const struct in6_addr *coa, const struct in6_addr *cn)
{
	uint8_t want[RR_AUTH_LEN], got[RR_AUTH_LEN];
	struct rbuf b;
	size_t off;

	if (find_bad_auth(mh, len, &off) < 0)
		return -1;
	if (mh_mac(kbm, RR_KBM_LEN, coa, cn, mh, len, off, RR_AUTH_LEN,
	    want) < 0)
		return -1;
	rbuf_init(&b, mh, len);
	rbuf_skip(&b, off);
	rbuf_bytes(&b, got, RR_AUTH_LEN);
	if (b.err)
		return -1;
	/* Constant time: no timing oracle on the authenticator (§15.4). */
	return CRYPTO_memcmp(want, got, RR_AUTH_LEN) == 0 ? 1 : 0;
}

/* ------------------------------------------------ correspondent nonces */

int
rr_random(uint8_t *buf, size_t n)
{
	if (n == 0)
		return 0;
	if (buf == NULL || n > INT_MAX || RAND_bytes(buf, (int)n) != 1)
		return -1;
	return 0;
}

static uint64_t
nonce_age(const struct rr_nonce *n, uint64_t now)
{
	/* A clock that runs backwards must not make a nonce immortal. */
	return now >= n->created ? now - n->created : 0;
}

/* The most recently generated valid nonce, or NULL. */
static struct rr_nonce *
newest_nonce(struct rr_cn_state *st)
{
	struct rr_nonce *best = NULL;
	size_t i;

	for (i = 0; i < RR_NONCE_SLOTS; i++) {
		struct rr_nonce *n = &st->slots[i];

		if (n->valid && (best == NULL || n->created > best->created))
			best = n;
	}
	return best;
}

/* The slot a new nonce goes in: a free or expired one, else the oldest. */
static struct rr_nonce *
slot_for_new_nonce(struct rr_cn_state *st, uint64_t now)
{
	struct rr_nonce *oldest = &st->slots[0];
	size_t i;

	for (i = 0; i < RR_NONCE_SLOTS; i++) {
		struct rr_nonce *n = &st->slots[i];

		if (!n->valid || nonce_age(n, now) > st->nonce_lifetime)
			return n;
		if (n->created < oldest->created)
			oldest = n;
	}
	return oldest;
}

/*
 * An index names one nonce only.  Counting cannot repeat an index within
 * the table's lifetime, but a caller may have set next_index.
 */
static void
forget_index(struct rr_cn_state *st, uint16_t index)
{
	size_t i;

	for (i = 0; i < RR_NONCE_SLOTS; i++)
		if (st->slots[i].index == index)
			st->slots[i].valid = false;
}

/*
 * A fresh random nonce with the next index; indices wrap modulo 2^16
 * (the Nonce Index fields are 16 bits, RFC 6275 §6.1.5, §6.2.6).
 */
static struct rr_nonce *
new_nonce(struct rr_cn_state *st, uint64_t now)
{
	uint8_t fresh[RR_NONCE_LEN];
	struct rr_nonce *n;

	/* Draw first: a failure must not evict a nonce still in use. */
	if (rr_random(fresh, sizeof(fresh)) < 0)
		return NULL;
	forget_index(st, st->next_index);
	n = slot_for_new_nonce(st, now);
	memcpy(n->nonce, fresh, RR_NONCE_LEN);
	n->index = st->next_index;
	st->next_index = (uint16_t)(st->next_index + 1);
	n->created = now;
	n->valid = true;
	return n;
}

/*
 * A random Kcn (RFC 6275 §5.2.3: "The node key MUST be a random number,
 * 20 octets in length"), the §5.2.7 schedule, a random first index (so that
 * after a restart the indices a mobile node still holds are most likely
 * unknown, answered with BA status 136-138, rather than silently matching
 * a new nonce), and a first nonce.
 */
int
rr_cn_init(struct rr_cn_state *st, uint64_t now)
{
	uint8_t idx[2];

	if (st == NULL)
		return -1;
	memset(st, 0, sizeof(*st));
	st->nonce_lifetime = RR_MAX_NONCE_LIFETIME;
	st->nonce_interval = RR_NONCE_INTERVAL;
	if (rr_random(st->kcn, RR_KCN_LEN) < 0 ||
	    rr_random(idx, sizeof(idx)) < 0)
		return -1;
	st->next_index = (uint16_t)(idx[0] << 8 | idx[1]);
	return new_nonce(st, now) != NULL ? 0 : -1;
}

/*
 * A new Kcn (RFC 6275 §5.2.7: a CN MAY generate a fresh node key at any
 * time).  The table keeps one Kcn, so the tokens of existing nonces could
 * no longer be recomputed: those nonces are forgotten, and a BU that uses
 * them gets "expired nonce index" (BA status 136-138, §9.5.1) and the
 * mobile node repeats the return routability procedure.  Indices keep
 * counting, so no forgotten index is reused soon.
 */
int
rr_cn_rotate_kcn(struct rr_cn_state *st)
{
	size_t i;

	if (st == NULL)
		return -1;
	for (i = 0; i < RR_NONCE_SLOTS; i++)
		st->slots[i].valid = false;
	return rr_random(st->kcn, RR_KCN_LEN);
}

/*
 * The nonce for the next HoT/CoT: the newest one while it is younger than
 * nonce_interval, else a new one.  Since a nonce is handed out at most
 * nonce_interval after it is made and accepted nonce_lifetime after it is
 * made, a token is acceptable for at least lifetime - interval =
 * MAX_TOKEN_LIFETIME seconds after it was sent (§5.2.7).
 */
const struct rr_nonce *
rr_cn_current(struct rr_cn_state *st, uint64_t now)
{
	struct rr_nonce *n;

	if (st == NULL)
		return NULL;
	n = newest_nonce(st);
	if (n != NULL && nonce_age(n, now) < st->nonce_interval &&
	    nonce_age(n, now) <= st->nonce_lifetime)
		return n;
	return new_nonce(st, now);
}

/*
 * §5.2.7: "the correspondent node MUST NOT accept nonces beyond
 * MAX_NONCE_LIFETIME seconds ... after the first use": a nonce is valid
 * while its age is at most nonce_lifetime.
 */
const struct rr_nonce *
rr_cn_lookup(const struct rr_cn_state *st, uint16_t index, uint64_t now)
{
	size_t i;

	if (st == NULL)
		return NULL;
	for (i = 0; i < RR_NONCE_SLOTS; i++) {
		const struct rr_nonce *n = &st->slots[i];

		if (n->valid && n->index == index &&
		    nonce_age(n, now) <= st->nonce_lifetime)
			return n;
	}
	return NULL;
}

/* ---------------------------------------------------------- RFC 4285 */

/*
 * RFC 4285 §5.1 (MN-HA option, subtype 1):
 *   Authentication Data = First(96, HMAC_SHA1(MN-HA Shared key,
 *                                              Mobility Data))
 *   Mobility Data = care-of address | home address | MH Data
 * "MH Data is the content of the Mobility Header, up to and including the
 * mobility SPI field of this option.  The Checksum field in the Mobility
 * Header MUST be set to 0 to calculate the Mobility Data."  The caller
 * passes mh[0 .. mh_len) ending with the SPI; the checksum counts as zero
 * here whatever the buffer holds.
 */
int
auth4285_compute(const uint8_t *key, size_t keylen,
    const struct in6_addr *coa, const struct in6_addr *hoa,
    const uint8_t *mh, size_t mh_len, uint8_t out[AUTH4285_LEN])
{
	return mh_mac(key, keylen, coa, hoa, mh, mh_len, mh_len, 0, out);
}
