/*
 * stack/lib/tests/espsa_test.c - the `sa` statement and SA table shared
 * by had and mnd (stack/lib/espsa.h): what parses and what is refused
 * with which message, the set checks, the printer hiding keys, and the
 * transport-mode seal/open of whole packets (ESP placed after the RH2 or
 * HAO, Next Header and Payload Length fixed both ways, replay window,
 * forged ICV, unknown SPI, the sequence number that must not cycle).
 */
#include <atf-c.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "packets/sbuf.h"
#include "stack/lib/espsa.h"

#define AES_KEY	"0x00112233445566778899aabbccddeeff"
#define SHA_KEY	"0x0102030405060708090a0b0c0d0e0f1011121314"
#define DES_KEY	"0x000102030405060708090a0b0c0d0e0f1011121314151617"

static int
parse_line(const char *line, struct espsa_conf *c, char *err, size_t errlen)
{
	char buf[512], *w[24], *save = NULL, *t;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (t = strtok_r(buf, " ", &save); t != NULL && n < 24;
	    t = strtok_r(NULL, " ", &save))
		w[n++] = t;
	memset(c, 0, sizeof(*c));
	return espsa_parse((const char *const *)w, n, c, err, errlen);
}

ATF_TC_WITHOUT_HEAD(parse_ok);
ATF_TC_BODY(parse_ok, tc)
{
	struct espsa_conf c;
	char err[256];

	ATF_REQUIRE_EQ_MSG(parse_line("out spi 0x1000 peer 2001:db8:1::100 "
	    "enc aes-cbc " AES_KEY " auth hmac-sha1 " SHA_KEY, &c, err,
	    sizeof(err)), 0, "%s", err);
	ATF_CHECK_EQ(c.dir, ESPSA_OUT);
	ATF_CHECK_EQ(c.sa.spi, 0x1000);
	ATF_CHECK_EQ(c.sa.enc, ESP_ENC_AES_CBC);
	ATF_CHECK_EQ(c.sa.enc_key_len, 16);
	ATF_CHECK_EQ(c.sa.enc_key[15], 0xff);
	ATF_CHECK_EQ(c.sa.auth, ESP_AUTH_HMAC_SHA1_96);
	ATF_CHECK_EQ(c.sa.auth_key_len, 20);
	ATF_CHECK_EQ(c.peer.s6_addr[15], 0x00);
	ATF_CHECK_EQ(c.peer.s6_addr[14], 0x01);
	/* pairs in any order, decimal SPI, null encryption */
	ATF_REQUIRE_EQ_MSG(parse_line("in auth hmac-sha1 " SHA_KEY " enc null "
	    "peer 2001:db8:1::1 spi 4097", &c, err, sizeof(err)), 0, "%s", err);
	ATF_CHECK_EQ(c.dir, ESPSA_IN);
	ATF_CHECK_EQ(c.sa.spi, 4097);
	ATF_CHECK_EQ(c.sa.enc, ESP_ENC_NULL);
	ATF_REQUIRE_EQ_MSG(parse_line("in spi 0x2000 peer ::1 enc 3des-cbc "
	    DES_KEY " auth hmac-sha1 " SHA_KEY, &c, err, sizeof(err)), 0,
	    "%s", err);
	ATF_CHECK_EQ(c.sa.enc_key_len, 24);
}

ATF_TC_WITHOUT_HEAD(parse_errors);
ATF_TC_BODY(parse_errors, tc)
{
	static const struct {
		const char *line, *msg;
	} bad[] = {
		{ "both spi 0x1000", "expected in or out, found both" },
		{ "out spi 0xff peer ::1 enc null auth hmac-sha1 " SHA_KEY,
		  "expected an SPI from 256" },
		{ "out spi 0x1000 peer nowhere enc null", "expected an IPv6 "
		  "address after peer, found nowhere" },
		{ "out spi 0x1000 peer ::1 enc aes-cbc 0x0011 auth none",
		  "enc aes-cbc takes a 16, 24 or 32-byte key, found 2 bytes" },
		{ "out spi 0x1000 peer ::1 enc 3des-cbc " AES_KEY,
		  "enc 3des-cbc takes a 24-byte key, found 16 bytes" },
		{ "out spi 0x1000 peer ::1 enc aes-cbc 00112233445566778899aabb"
		  "ccddeeff", "expected a key in hex (0x...) after enc aes-cbc" },
		{ "out spi 0x1000 peer ::1 enc null auth hmac-sha1 " AES_KEY,
		  "auth hmac-sha1 takes a 20-byte key, found 16 bytes" },
		{ "out spi 0x1000 peer ::1 enc null", "enc null needs an auth" },
		{ "out spi 0x1000 peer ::1 enc rot13", "expected null, aes-cbc "
		  "or 3des-cbc after enc, found rot13" },
		{ "out spi 0x1000 spi 0x1001", "spi given twice" },
		{ "out spi 0x1000 enc null auth hmac-sha1 " SHA_KEY,
		  "spi, peer and enc are required" },
		{ "out spi 0x1000 peer ::1 color blue", "expected spi, peer, "
		  "enc, auth or replay, found color" },
		{ "out spi 0x1000 peer ::1 enc null auth hmac-sha1 " SHA_KEY
		  " replay no", "replay is for inbound SAs" },
		{ "in spi 0x1000 replay maybe", "expected yes or no after "
		  "replay, found maybe" },
	};
	struct espsa_conf c;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ATF_CHECK_EQ_MSG(parse_line(bad[i].line, &c, err, sizeof(err)),
		    -1, "accepted: %s", bad[i].line);
		ATF_CHECK_MSG(strstr(err, bad[i].msg) != NULL,
		    "%s: message \"%s\" lacks \"%s\"", bad[i].line, err,
		    bad[i].msg);
	}
}

/* Keys only in the engine's copy: -n/-nv print algorithms, never keys. */
ATF_TC_WITHOUT_HEAD(print_keys);
ATF_TC_BODY(print_keys, tc)
{
	struct espsa_conf c, back;
	char buf[512], err[256];
	struct sbuf sb;

	ATF_REQUIRE_EQ(parse_line("out spi 0x1000 peer 2001:db8:1::100 enc "
	    "aes-cbc " AES_KEY " auth hmac-sha1 " SHA_KEY, &c, err,
	    sizeof(err)), 0);
	sbuf_init(&sb, buf, sizeof(buf));
	espsa_print(&sb, &c, false);
	ATF_CHECK_STREQ(sbuf_str(&sb), "sa out spi 0x1000 peer "
	    "2001:db8:1::100 enc aes-cbc auth hmac-sha1\n");
	sbuf_init(&sb, buf, sizeof(buf));
	espsa_print(&sb, &c, true);
	ATF_CHECK_STREQ(sbuf_str(&sb), "sa out spi 0x1000 peer "
	    "2001:db8:1::100 enc aes-cbc " AES_KEY " auth hmac-sha1 "
	    SHA_KEY "\n");
	buf[strlen(buf) - 1] = '\0';
	ATF_REQUIRE_EQ(parse_line(buf + 3, &back, err, sizeof(err)), 0);
	ATF_CHECK(espsa_conf_equal(&c, &back));
}

ATF_TC_WITHOUT_HEAD(check_set);
ATF_TC_BODY(check_set, tc)
{
	struct espsa_conf v[3];
	char err[256];
	size_t bad;

	ATF_REQUIRE_EQ(parse_line("out spi 0x1000 peer ::1 enc null auth "
	    "hmac-sha1 " SHA_KEY, &v[0], err, sizeof(err)), 0);
	ATF_REQUIRE_EQ(parse_line("in spi 0x1001 peer ::1 enc null auth "
	    "hmac-sha1 " SHA_KEY, &v[1], err, sizeof(err)), 0);
	v[0].line = 3;
	v[1].line = 4;
	ATF_CHECK_EQ(espsa_check_set(v, 2, &bad, err, sizeof(err)), 0);
	/* an outbound SA alone */
	ATF_CHECK_EQ(espsa_check_set(v, 1, &bad, err, sizeof(err)), -1);
	ATF_CHECK_EQ(bad, 0);
	ATF_CHECK(strstr(err, "peer ::1 has an outbound SA but no inbound")
	    != NULL);
	/* the same inbound SPI twice (another peer) */
	ATF_REQUIRE_EQ(parse_line("in spi 0x1001 peer ::2 enc null auth "
	    "hmac-sha1 " SHA_KEY, &v[2], err, sizeof(err)), 0);
	ATF_CHECK_EQ(espsa_check_set(v, 3, &bad, err, sizeof(err)), -1);
	ATF_CHECK_EQ(bad, 2);
	ATF_CHECK_MSG(strstr(err, "inbound SPI 0x1001 already used at line 4")
	    != NULL, "%s", err);
	/* two outbound SAs for one peer */
	ATF_REQUIRE_EQ(parse_line("out spi 0x1002 peer ::1 enc null auth "
	    "hmac-sha1 " SHA_KEY, &v[2], err, sizeof(err)), 0);
	ATF_CHECK_EQ(espsa_check_set(v, 3, &bad, err, sizeof(err)), -1);
	ATF_CHECK_EQ(bad, 2);
	ATF_CHECK_MSG(strstr(err, "second outbound SA for peer ::1 (line 3")
	    != NULL, "%s", err);
}

/*
 * A BA as the HA sends it: IPv6 (nh 43) | RH2 (nh 135, 24 octets) | MH
 * (a 16-octet BA).  Returns its length.
 */
static size_t
make_ba(uint8_t *p)
{
	size_t i;

	memset(p, 0, 80);
	p[0] = 0x60;
	p[5] = 24 + 16;
	p[6] = 43;
	p[7] = 64;
	for (i = 8; i < 40; i++)
		p[i] = (uint8_t)i;
	p[40] = 135;		/* RH2: next header MH */
	p[41] = 2;
	p[42] = 2;
	p[43] = 1;
	p[64] = 59;		/* MH: payload proto, len 1, type BA */
	p[65] = 1;
	p[66] = 6;
	for (i = 68; i < 80; i++)
		p[i] = (uint8_t)(0xa0 + i);
	return 80;
}

static void
pair(struct espsa_table *out, struct espsa_table *in, const char *enc)
{
	struct espsa_conf c[2];
	char line[512], err[256];

	snprintf(line, sizeof(line), "out spi 0x1000 peer ::1 enc %s auth "
	    "hmac-sha1 " SHA_KEY, enc);
	ATF_REQUIRE_EQ_MSG(parse_line(line, &c[0], err, sizeof(err)), 0, "%s",
	    err);
	line[1] = 'i';		/* "in" */
	line[2] = 'n';
	ATF_REQUIRE_EQ_MSG(parse_line(line + 1, &c[1], err, sizeof(err)), 0,
	    "%s", err);
	memset(out, 0, sizeof(*out));
	memset(in, 0, sizeof(*in));
	ATF_REQUIRE_EQ(espsa_table_set(out, &c[0], 1), 0);
	ATF_REQUIRE_EQ(espsa_table_set(in, &c[1], 1), 0);
}

ATF_TC_WITHOUT_HEAD(seal_open);
ATF_TC_BODY(seal_open, tc)
{
	struct espsa_table out, in;
	uint8_t ba[ESPSA_PKT_MAX], orig[80], back[ESPSA_PKT_MAX];
	size_t len, blen;
	struct espsa *s;

	pair(&out, &in, "aes-cbc " AES_KEY);
	len = make_ba(ba);
	memcpy(orig, ba, len);
	ATF_REQUIRE_EQ(espsa_seal_pkt(&out.sa[0], ba, &len, sizeof(ba)),
	    ESPSA_OK);
	/* ESP after the RH2: 8 + IV 16 + 32 (16 + pad + 2 in blocks) + 12 */
	ATF_CHECK_EQ(len, 64 + 8 + 16 + 32 + 12);
	ATF_CHECK_EQ(ba[40], 50);		/* RH2 now announces ESP */
	ATF_CHECK_EQ(ba[6], 43);
	ATF_CHECK_EQ((size_t)(ba[4] << 8 | ba[5]), len - 40);
	ATF_CHECK_EQ(ba[64], 0x00);		/* SPI 0x00001000 */
	ATF_CHECK_EQ(ba[66], 0x10);
	ATF_CHECK_EQ(ba[71], 1);		/* sequence number 1 */
	ATF_CHECK(memcmp(ba + 41, orig + 41, 23) == 0);
	ATF_REQUIRE_EQ(espsa_open_pkt(&in, ba, len, 64, 40, back, sizeof(back),
	    &blen, &s), ESPSA_OK);
	ATF_CHECK_EQ(blen, 80);
	ATF_CHECK(memcmp(back, orig, 80) == 0);
	ATF_CHECK(s == &in.sa[0]);
	ATF_CHECK_EQ(in.sa[0].cnt.ok, 1);
	/* the same packet again: a replay */
	ATF_CHECK_EQ(espsa_open_pkt(&in, ba, len, 64, 40, back, sizeof(back),
	    &blen, &s), ESPSA_REPLAY);
	ATF_CHECK_EQ(in.sa[0].cnt.replay, 1);
	/* the next one, forged: ICV, and the window did not move for it */
	len = make_ba(ba);
	ATF_REQUIRE_EQ(espsa_seal_pkt(&out.sa[0], ba, &len, sizeof(ba)),
	    ESPSA_OK);
	ATF_CHECK_EQ(ba[71], 2);
	ba[len - 1] ^= 1;
	ATF_CHECK_EQ(espsa_open_pkt(&in, ba, len, 64, 40, back, sizeof(back),
	    &blen, &s), ESPSA_ICV);
	ATF_CHECK_EQ(in.sa[0].cnt.bad_icv, 1);
	ba[len - 1] ^= 1;
	ATF_CHECK_EQ(espsa_open_pkt(&in, ba, len, 64, 40, back, sizeof(back),
	    &blen, &s), ESPSA_OK);
	ATF_CHECK_EQ(in.sa[0].win.top, 2);
	/* unknown SPI */
	ba[66] = 0x20;
	ATF_CHECK_EQ(espsa_open_pkt(&in, ba, len, 64, 40, back, sizeof(back),
	    &blen, &s), ESPSA_NO_SA);
	ATF_CHECK_EQ(in.no_sa, 1);
	ATF_CHECK(s == NULL);
	espsa_table_free(&out);
	espsa_table_free(&in);
}

/* 3DES and NULL too, and a BU: IPv6 | DestOpt HAO | MH. */
ATF_TC_WITHOUT_HEAD(seal_after_hao);
ATF_TC_BODY(seal_after_hao, tc)
{
	static const char *const encs[] = { "3des-cbc " DES_KEY, "null" };
	struct espsa_table out, in;
	uint8_t p[ESPSA_PKT_MAX], back[ESPSA_PKT_MAX], orig[80];
	size_t len, blen, i;
	struct espsa *s;

	for (i = 0; i < 2; i++) {
		pair(&out, &in, encs[i]);
		len = make_ba(p);
		p[6] = 60;		/* the same bytes as a DestOpt */
		memcpy(orig, p, len);
		ATF_REQUIRE_EQ(espsa_seal_pkt(&out.sa[0], p, &len, sizeof(p)),
		    ESPSA_OK);
		ATF_CHECK_EQ(p[40], 50);
		ATF_CHECK_EQ(p[6], 60);
		ATF_REQUIRE_EQ(espsa_open_pkt(&in, p, len, 64, 40, back,
		    sizeof(back), &blen, &s), ESPSA_OK);
		ATF_CHECK(blen == 80 && memcmp(back, orig, 80) == 0);
		espsa_table_free(&out);
		espsa_table_free(&in);
	}
}

/* RFC 4303 §3.3.3: 2^32 - 1 is the last number; then nothing is sent. */
/* `replay no` (RFC 4303 §3.4.3: the receiver's choice): printed, kept
   by a round trip, and the same packet opens twice. */
ATF_TC_WITHOUT_HEAD(replay_off);
ATF_TC_BODY(replay_off, tc)
{
	struct espsa_table out, in;
	struct espsa_conf c, back;
	uint8_t p[ESPSA_PKT_MAX], back_pkt[ESPSA_PKT_MAX];
	char buf[512], err[256];
	struct sbuf sb;
	struct espsa *s;
	size_t len, blen;

	ATF_REQUIRE_EQ_MSG(parse_line("in spi 0x1000 peer ::1 enc null auth "
	    "hmac-sha1 " SHA_KEY " replay no", &c, err, sizeof(err)), 0, "%s",
	    err);
	ATF_CHECK(c.no_replay);
	sbuf_init(&sb, buf, sizeof(buf));
	espsa_print(&sb, &c, false);
	ATF_CHECK_STREQ(buf, "sa in spi 0x1000 peer ::1 enc null auth "
	    "hmac-sha1 replay no\n");
	sbuf_init(&sb, buf, sizeof(buf));
	espsa_print(&sb, &c, true);
	buf[strlen(buf) - 1] = '\0';
	ATF_REQUIRE_EQ(parse_line(buf + 3, &back, err, sizeof(err)), 0);
	ATF_CHECK(espsa_conf_equal(&c, &back));
	back.no_replay = false;
	ATF_CHECK(!espsa_conf_equal(&c, &back));
	pair(&out, &in, "null");
	in.sa[0].c.no_replay = true;
	len = make_ba(p);
	ATF_REQUIRE_EQ(espsa_seal_pkt(&out.sa[0], p, &len, sizeof(p)),
	    ESPSA_OK);
	ATF_CHECK_EQ(espsa_open_pkt(&in, p, len, 64, 40, back_pkt,
	    sizeof(back_pkt), &blen, &s), ESPSA_OK);
	ATF_CHECK_EQ(espsa_open_pkt(&in, p, len, 64, 40, back_pkt,
	    sizeof(back_pkt), &blen, &s), ESPSA_OK);
	ATF_CHECK_EQ(in.sa[0].cnt.ok, 2);
	ATF_CHECK_EQ(in.sa[0].cnt.replay, 0);
	espsa_table_free(&out);
	espsa_table_free(&in);
}

ATF_TC_WITHOUT_HEAD(seq_exhausted);
ATF_TC_BODY(seq_exhausted, tc)
{
	struct espsa_table out, in;
	uint8_t p[ESPSA_PKT_MAX];
	size_t len;

	pair(&out, &in, "null");
	out.sa[0].seq = UINT32_MAX - 1;
	len = make_ba(p);
	ATF_CHECK_EQ(espsa_seal_pkt(&out.sa[0], p, &len, sizeof(p)), ESPSA_OK);
	ATF_CHECK_EQ(p[68] & p[69] & p[70] & p[71], 0xff);
	len = make_ba(p);
	ATF_CHECK_EQ(espsa_seal_pkt(&out.sa[0], p, &len, sizeof(p)),
	    ESPSA_EXHAUSTED);
	ATF_CHECK_EQ(len, 80);
	ATF_CHECK_EQ(p[40], 135);
	ATF_CHECK_EQ(out.sa[0].cnt.seq_exhausted, 1);
	espsa_table_free(&out);
	espsa_table_free(&in);
}

/* A reload keeps the state of an SA configured the same. */
ATF_TC_WITHOUT_HEAD(reconf_keeps_state);
ATF_TC_BODY(reconf_keeps_state, tc)
{
	struct espsa_table out, in;
	struct espsa_conf c[2];

	pair(&out, &in, "null");
	out.sa[0].seq = 77;
	c[0] = out.sa[0].c;
	c[1] = out.sa[0].c;
	c[1].sa.spi = 0x3000;
	c[1].dir = ESPSA_IN;
	ATF_REQUIRE_EQ(espsa_table_set(&out, c, 2), 0);
	ATF_CHECK_EQ(out.n, 2);
	ATF_CHECK_EQ(out.sa[0].seq, 77);
	ATF_CHECK_EQ(out.sa[1].seq, 0);
	c[0].sa.auth_key[0] ^= 1;	/* new key: a new SA */
	ATF_REQUIRE_EQ(espsa_table_set(&out, c, 1), 0);
	ATF_CHECK_EQ(out.sa[0].seq, 0);
	ATF_CHECK(espsa_find_out(&out, &c[0].peer) == &out.sa[0]);
	ATF_CHECK(espsa_required(&out, &c[0].peer));
	ATF_CHECK(!espsa_required(&out, &in6addr_any));
	espsa_table_free(&out);
	espsa_table_free(&in);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, parse_ok);
	ATF_TP_ADD_TC(tp, parse_errors);
	ATF_TP_ADD_TC(tp, print_keys);
	ATF_TP_ADD_TC(tp, check_set);
	ATF_TP_ADD_TC(tp, seal_open);
	ATF_TP_ADD_TC(tp, seal_after_hao);
	ATF_TP_ADD_TC(tp, seq_exhausted);
	ATF_TP_ADD_TC(tp, replay_off);
	ATF_TP_ADD_TC(tp, reconf_keeps_state);
	return atf_no_error();
}
