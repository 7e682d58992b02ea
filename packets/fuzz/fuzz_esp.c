/*
 * fuzz_esp.c - libFuzzer harness for the ESP codec (esp.c), which the
 * reference home agent and mobile node will run on every ESP packet a
 * peer sends them: esp_open() on arbitrary bytes, under each algorithm
 * pair, must never read or write out of bounds.  Oracle: whatever opens
 * with the least padding seals back, with the IV it came with, to the
 * same bytes (the receiver checks the Padding is 1, 2, 3.., so sealing is
 * unique; longer padding is legal, RFC 4303 §2.4, and esp_seal never
 * adds it), and the replay window accepts no number twice.  The first input octet picks the
 * SA.  Seeds: packets/fuzz/corpus/esp/ (the scapy vectors of esp_test.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packets/esp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct esp_sa
fuzz_sa(uint8_t pick)
{
	static const struct { enum esp_enc e; size_t ek; enum esp_auth a;
	    size_t ak; } t[] = {
		{ ESP_ENC_AES_CBC, 16, ESP_AUTH_HMAC_SHA1_96, 20 },
		{ ESP_ENC_3DES_CBC, 24, ESP_AUTH_HMAC_SHA1_96, 20 },
		{ ESP_ENC_NULL, 0, ESP_AUTH_HMAC_SHA256_128, 32 },
		{ ESP_ENC_AES_CBC, 32, ESP_AUTH_NONE, 0 },
	};
	struct esp_sa sa = { .spi = 0x1234 };
	size_t i, k = pick % (sizeof t / sizeof t[0]);

	sa.enc = t[k].e;
	sa.enc_key_len = t[k].ek;
	sa.auth = t[k].a;
	sa.auth_key_len = t[k].ak;
	for (i = 0; i < sa.enc_key_len; i++)
		sa.enc_key[i] = (uint8_t)(0x01 + i);
	for (i = 0; i < sa.auth_key_len; i++)
		sa.auth_key[i] = (uint8_t)((sa.auth ==
		    ESP_AUTH_HMAC_SHA256_128 ? 0x31 : 0x21) + i);
	return sa;
}

static void
check_replay(uint32_t seq)
{
	struct esp_replay w = { 0, 0 };

	if (!esp_replay_check(&w, seq))
		return;
	esp_replay_update(&w, seq);
	if (esp_replay_check(&w, seq))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[70000], again[70000];
	struct esp_sa sa;
	size_t plen, n;
	uint32_t seq;
	uint8_t nh;

	if (size < 1)
		return 0;
	sa = fuzz_sa(data[0]);
	data++;
	size--;
	if (esp_open(&sa, data, size, out, sizeof out, &plen, &nh, &seq) !=
	    ESP_OK)
		return 0;
	check_replay(seq);
	if (esp_sealed_len(&sa, plen) != size)
		return 0;	/* padded beyond the block: legal */
	if (esp_seal(&sa, seq, nh, data + ESP_HDR_LEN, out, plen, again,
	    sizeof again, &n) != ESP_OK || n != size ||
	    memcmp(again, data, size) != 0)
		abort();
	return 0;
}
