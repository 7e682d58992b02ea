/*
 * fuzz_rr.c - libFuzzer harness for the Return Routability code (rr.c):
 * rr_verify_mh() and rr_sign_mh() on arbitrary bytes must never read or
 * write out of bounds, and must agree with each other: a layout one
 * accepts the other accepts, and a freshly signed MH verifies and carries
 * a correct checksum.  The input also drives the correspondent nonce table
 * (pairs of octets: seconds to advance, operation) and the authenticator
 * functions.  Seeds: packets/fuzz/corpus/rr/ (the wire-formats.md §6 BU,
 * signed and unsigned, and the other layouts of rr_test.c).
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packets/cksum.h"
#include "packets/mh.h"
#include "packets/rr.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const uint8_t kbm[RR_KBM_LEN] = {
	0x17, 0x2d, 0x80, 0xe5, 0xd8, 0xe8, 0x39, 0xd7, 0x49, 0x78,
	0xcd, 0x2d, 0x64, 0x46, 0xfa, 0x18, 0xbc, 0x50, 0xd8, 0x21,
};

/* 2001:db8:1::100, 2001:db8:2::100, 2001:db8:3::5 */
static struct in6_addr
addr(uint8_t site, uint8_t hi, uint8_t lo)
{
	struct in6_addr a;

	memset(&a, 0, sizeof(a));
	a.s6_addr[0] = 0x20;
	a.s6_addr[1] = 0x01;
	a.s6_addr[2] = 0x0d;
	a.s6_addr[3] = 0xb8;
	a.s6_addr[5] = site;
	a.s6_addr[14] = hi;
	a.s6_addr[15] = lo;
	return a;
}

static void
check_sign_verify(const uint8_t *data, size_t size)
{
	static uint8_t mh[MH_MAX_LEN + 8];
	struct in6_addr hoa = addr(1, 1, 0), coa = addr(2, 1, 0);
	struct in6_addr cn = addr(3, 0, 5);
	int v, s;

	v = rr_verify_mh(data, size, kbm, &coa, &cn);
	if (v < -1 || v > 1)
		abort();
	if (size > sizeof(mh))
		return;
	memcpy(mh, data, size);
	s = rr_sign_mh(mh, size, kbm, &coa, &cn, &hoa, &cn);
	/* the same layout rule decides both */
	if ((s == 0) != (v >= 0))
		abort();
	if (s == 0) {
		if (rr_verify_mh(mh, size, kbm, &coa, &cn) != 1)
			abort();
		if (cksum_upper6(&hoa, &cn, IPPROTO_MH_, mh, size, 4) !=
		    (uint16_t)(mh[4] << 8 | mh[5]))
			abort();
		/* signing only writes the checksum and the authenticator */
		if (memcmp(mh, data, 4) != 0 ||
		    memcmp(mh + 6, data + 6, 6) != 0)
			abort();
	}
}

static void
check_authenticators(const uint8_t *data, size_t size)
{
	struct in6_addr hoa = addr(1, 1, 0), coa = addr(2, 1, 0);
	uint8_t out[RR_AUTH_LEN];
	size_t keylen = size > 0 ? (size_t)data[0] % 64 : 0;

	(void)rr_authenticator(kbm, &coa, &hoa, data, size, out);
	if (keylen <= size)
		(void)auth4285_compute(data, keylen, &coa, &hoa,
		    data + keylen, size - keylen, out);
}

/* Pairs (seconds to advance, op): 0xff rotates Kcn, odd asks for the
 * current nonce, even looks up the index op * 257. */
static void
drive_nonce_table(const uint8_t *data, size_t size)
{
	static struct rr_cn_state st;
	const struct rr_nonce *n;
	uint64_t now = 0;
	size_t i;

	if (rr_cn_init(&st, now) < 0)
		return;
	/* deterministic control flow: forget the random first index */
	memset(st.slots, 0, sizeof(st.slots));
	st.next_index = 0;
	for (i = 0; i + 1 < size && i < 256; i += 2) {
		now += data[i];
		if (data[i + 1] == 0xff) {
			(void)rr_cn_rotate_kcn(&st);
		} else if (data[i + 1] & 1) {
			n = rr_cn_current(&st, now);
			if (n == NULL)
				continue;
			if (n->created > now || now - n->created >=
			    st.nonce_interval ||
			    rr_cn_lookup(&st, n->index, now) != n)
				abort();
		} else {
			n = rr_cn_lookup(&st, (uint16_t)(data[i + 1] * 257),
			    now);
			if (n != NULL && now - n->created > st.nonce_lifetime)
				abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_sign_verify(data, size);
	check_authenticators(data, size);
	drive_nonce_table(data, size);
	return 0;
}
