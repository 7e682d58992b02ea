/*
 * stack/lib/tests/esptest.h - the manual SAs and packet surgery shared by
 * the engines' ESP tests (stack/had/tests/esp_test.c and
 * stack/mnd/tests/mn_esp_test.c): SAs with HMAC-SHA1-96 under one fixed
 * key and the cipher each test picks, and the IPv6 Payload Length fix-up
 * after a test seals or opens the upper layer by hand with packets/esp.h
 * (the oracle, checked against scapy in packets/tests/esp_test.c), and
 * the opening of a sent packet's ESP into the MH it protects.
 */
#ifndef MIP6_LIB_TESTS_ESPTEST_H
#define MIP6_LIB_TESTS_ESPTEST_H

#include <atf-c.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "packets/esp.h"
#include "packets/pkt.h"

static const uint8_t esptest_auth_key[20] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
};

/* An SA for spi: enc with key[0..keylen), HMAC-SHA1-96. */
static inline struct esp_sa
esptest_sa(uint32_t spi, enum esp_enc enc, const uint8_t *key, size_t keylen)
{
	struct esp_sa sa;

	memset(&sa, 0, sizeof(sa));
	sa.spi = spi;
	sa.enc = enc;
	memcpy(sa.enc_key, key, keylen);
	sa.enc_key_len = keylen;
	sa.auth = ESP_AUTH_HMAC_SHA1_96;
	memcpy(sa.auth_key, esptest_auth_key, sizeof(esptest_auth_key));
	sa.auth_key_len = sizeof(esptest_auth_key);
	return sa;
}

/* The IPv6 header's Payload Length for a packet of len bytes in all. */
static inline void
esptest_set_plen(uint8_t *pkt, size_t len)
{
	pkt[4] = (uint8_t)((len - 40) >> 8);
	pkt[5] = (uint8_t)(len - 40);
}

/*
 * bytes[0..len), decoded in *d, is IPv6 | one extension header | ESP.
 * Opened with sa, the ESP must hold an MH (Next Header 135) at sequence
 * number want_seq; the packet as it would be without ESP is decoded into
 * *out (which may be d), its MH checksum holding.
 */
static inline void
esptest_open_mh(const struct esp_sa *sa, const uint8_t *bytes, size_t len,
    const struct pkt *d, uint32_t want_seq, struct pkt *out)
{
	uint8_t plain[2048], pkt[2048];
	size_t plen, off, nh_off;
	uint32_t seq;
	uint8_t nh;

	ATF_REQUIRE(d->nhdr >= 3);
	ATF_REQUIRE_EQ(d->h[2].kind, HDR_ESP);
	off = d->h[2].off;
	nh_off = d->h[1].off;
	ATF_REQUIRE_EQ(esp_open(sa, bytes + off, len - off, plain,
	    sizeof(plain), &plen, &nh, &seq), ESP_OK);
	ATF_CHECK_EQ(nh, 135);
	ATF_CHECK_EQ(seq, want_seq);
	ATF_REQUIRE(off + plen <= sizeof(pkt));
	memcpy(pkt, bytes, off);
	memcpy(pkt + off, plain, plen);
	pkt[nh_off] = 135;
	esptest_set_plen(pkt, off + plen);
	ATF_REQUIRE_EQ(pkt_decode(out, PKT_LINK_IPV6, pkt, off + plen), 0);
	ATF_CHECK_EQ(out->viol.n, 0);
	ATF_REQUIRE(out->has_mh);
}

#endif
