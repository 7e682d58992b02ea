/*
 * mn_esp_test.c - the mobile node's IPsec for the signalling with its
 * home agent (RFC 3776 with manual keys, stack/lib/espsa.h) through the
 * engine with fake ops: the home BU leaves inside ESP after the HAO and
 * opens (esp_open, not the code under test) with the home agent's inbound
 * SA; a BA sealed here with esp_seal after the RH2 completes the
 * registration; a BA outside ESP, a forged one, a replayed one and one
 * under an unknown SPI are ignored and counted.
 */
#include <atf-c.h>
#include <stdlib.h>
#include <string.h>

#include "packets/esp.h"
#include "stack/mnd/tests/mntest.h"
#include "stack/lib/tests/esptest.h"

/* mntest.h's helper this program has no use for (static) */
static const struct mh_msg *(*const keep_last_mh)(struct pkt *, uint8_t)
    __attribute__((unused)) = mt_last_mh;

#define SPI_MN_TO_HA	0x1000u
#define SPI_HA_TO_MN	0x1001u

static const uint8_t des_key[24] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
	20, 21, 22, 23,
};

/* 3DES-CBC and HMAC-SHA1-96: TAHI's manual SAs. */
static struct esp_sa
mk_sa(uint32_t spi)
{
	return esptest_sa(spi, ESP_ENC_3DES_CBC, des_key, sizeof(des_key));
}

static struct mn_engine *
esp_engine(struct mnd_conf *c)
{
	mt_conf(c, MT_HA);
	c->nsa = 2;
	c->sa[0].dir = ESPSA_OUT;
	c->sa[0].peer = tu_in6(MT_HA);
	c->sa[0].sa = mk_sa(SPI_MN_TO_HA);
	c->sa[1].dir = ESPSA_IN;
	c->sa[1].peer = tu_in6(MT_HA);
	c->sa[1].sa = mk_sa(SPI_HA_TO_MN);
	return mt_engine(c);
}

/*
 * Sent packet i is IPv6 | DestOpt (HAO) | ESP, opening with the home
 * agent's inbound SA into a BU (RFC 6275 §6.3 with RFC 3776 §3); its
 * BU sequence number is returned.
 */
static uint16_t
open_bu(size_t i, uint32_t want_seq)
{
	struct esp_sa sa = mk_sa(SPI_MN_TO_HA);
	const struct mh_opt *acoa;
	struct pkt d;

	ATF_REQUIRE(i < mt.nsent);
	ATF_REQUIRE_EQ(pkt_decode(&d, PKT_LINK_IPV6, mt.sent[i].bytes,
	    mt.sent[i].len), 0);
	ATF_REQUIRE(d.nhdr >= 3);
	ATF_CHECK_EQ(d.h[1].kind, HDR_DSTOPT);
	mt_addr_eq(pkt_hao(&d), MT_HOA);
	mt_addr_eq(&d.h[0].u.ip6.src, MT_COA);
	ATF_REQUIRE_EQ(d.h[2].kind, HDR_ESP);
	ATF_CHECK_EQ(d.h[2].u.ipsec.spi, SPI_MN_TO_HA);
	ATF_CHECK(!d.has_mh);
	esptest_open_mh(&sa, mt.sent[i].bytes, mt.sent[i].len, &d, want_seq,
	    &d);
	ATF_REQUIRE(d.has_mh && d.mh.type == MH_BU);
	ATF_CHECK_EQ(d.mh.u.bu.flags & (MH_BU_A | MH_BU_H),
	    MH_BU_A | MH_BU_H);
	/* RFC 6275 §11.7.1: ESP does not cover the source address. */
	acoa = mh_find_opt(&d.mh, MHOPT_ACOA);
	ATF_REQUIRE_MSG(acoa != NULL, "no Alternate Care-of Address option");
	mt_addr_eq(&acoa->u.acoa, MT_COA);
	return d.mh.u.bu.seq;
}

static uint8_t ba_buf[2048];
static size_t ba_len;

/* A BA from the HA to the CoA with RH2, sealed (esp_seal) after the RH2
   with spi and esp_seq, into ba_buf. */
static void
make_sealed_ba(uint16_t bu_seq, uint32_t spi, uint32_t esp_seq)
{
	struct esp_sa sa = mk_sa(spi);
	uint8_t mh[256], out[512];
	struct mh_msg *m;
	struct pkt d;
	size_t off, mlen, slen;

	mt_ip6(MT_HA, MT_COA, MT_HOA);
	m = pkt_push_mh(&mt_in, MH_BA);
	ATF_REQUIRE(m != NULL);
	m->u.ba.status = BA_ACCEPTED;
	m->u.ba.seq = bu_seq;
	m->u.ba.lifetime = 100;
	ATF_REQUIRE_EQ(pkt_encode(&mt_in, ba_buf, sizeof(ba_buf), &ba_len),
	    0);
	ATF_REQUIRE_EQ(pkt_decode(&d, PKT_LINK_IPV6, ba_buf, ba_len), 0);
	ATF_REQUIRE(d.h[1].kind == HDR_RH && d.h[2].kind == HDR_MH);
	off = d.h[2].off;
	mlen = ba_len - off;
	memcpy(mh, ba_buf + off, mlen);
	ATF_REQUIRE_EQ(esp_seal(&sa, esp_seq, 135, NULL, mh, mlen, out,
	    sizeof(out), &slen), ESP_OK);
	memcpy(ba_buf + off, out, slen);
	ba_buf[d.h[1].off] = 50;
	ba_len = off + slen;
	esptest_set_plen(ba_buf, ba_len);
}

static void
feed_ba(struct mn_engine *e, uint64_t now)
{
	struct m6_sig sig;
	struct mn_input in;

	memset(&sig, 0, sizeof(sig));
	sig.reason = M6S_MH;
	sig.flags = M6SF_RH2;
	sig.ifindex = MT_IF;
	sig.caplen = (uint32_t)ba_len;
	sig.wirelen = (uint32_t)ba_len;
	in.sig = &sig;
	in.data = ba_buf;
	mt.now = now;
	mn_engine_input(e, &in, now);
}

static void
check_counter(struct mn_engine *e, const char *want)
{
	const char *j = mt_ctl(e, "counters", mt.now);

	ATF_CHECK_MSG(strstr(j, want) != NULL, "counters lack %s: %s", want,
	    j);
}

ATF_TC_WITHOUT_HEAD(sealed_bu_and_ba);
ATF_TC_BODY(sealed_bu_and_ba, tc)
{
	struct mnd_conf c;
	struct mn_engine *e = esp_engine(&c);
	uint16_t seq;

	mt_move(e, MT_COA, MT_T0);
	ATF_REQUIRE_EQ(mt.nsent, 1);
	seq = open_bu(0, 1);
	mt_state(e, MT_HA, "WAITA", "START");
	make_sealed_ba(seq, SPI_HA_TO_MN, 1);
	feed_ba(e, MT_T0 + 100);
	mt_state(e, MT_HA, "BOUND", "START");
	check_counter(e, "\"esp_ok\":1,");
	check_counter(e, "\"dir\":\"out\",\"spi\":\"0x1000\",\"peer\":"
	    "\"2001:db8:1::1\",\"enc\":\"3des-cbc\",\"auth\":\"hmac-sha1\","
	    "\"seq\":1,\"ok\":1");
	/* the refresh is sealed with the next number */
	mt_run(e, MT_T0 + 100 * 4000);
	ATF_REQUIRE(mt.nsent >= 2);
	ATF_CHECK_EQ(open_bu(1, 2), (uint16_t)(seq + 1));
	mn_engine_free(e);
}

/* RFC 3776 §4.1: a BA outside ESP to our protected BU is not the HA's. */
ATF_TC_WITHOUT_HEAD(unprotected_ba_ignored);
ATF_TC_BODY(unprotected_ba_ignored, tc)
{
	struct mnd_conf c;
	struct mn_engine *e = esp_engine(&c);
	uint16_t seq;

	mt_move(e, MT_COA, MT_T0);
	seq = open_bu(0, 1);
	mt_ba(e, MT_HA, BA_ACCEPTED, seq, 100, 0, MT_T0 + 100);
	mt_state(e, MT_HA, "WAITA", "START");
	check_counter(e, "\"esp_unprotected\":1,");
	mn_engine_free(e);
}

/* RFC 4303 §3.4.2-§3.4.4: forged, unknown SPI, replayed. */
ATF_TC_WITHOUT_HEAD(forged_replayed_unknown);
ATF_TC_BODY(forged_replayed_unknown, tc)
{
	struct mnd_conf c;
	struct mn_engine *e = esp_engine(&c);
	uint16_t seq;

	mt_move(e, MT_COA, MT_T0);
	seq = open_bu(0, 1);
	make_sealed_ba(seq, SPI_HA_TO_MN, 7);
	ba_buf[ba_len - 2] ^= 0x80;
	feed_ba(e, MT_T0 + 100);
	mt_state(e, MT_HA, "WAITA", "START");
	check_counter(e, "\"esp_bad_icv\":1,");
	make_sealed_ba(seq, 0x7777, 7);
	feed_ba(e, MT_T0 + 100);
	mt_state(e, MT_HA, "WAITA", "START");
	check_counter(e, "\"esp_no_sa\":1,");
	make_sealed_ba(seq, SPI_HA_TO_MN, 7);
	feed_ba(e, MT_T0 + 100);
	mt_state(e, MT_HA, "BOUND", "START");
	feed_ba(e, MT_T0 + 200);		/* the same again */
	check_counter(e, "\"esp_replay\":1,");
	check_counter(e, "\"esp_ok\":1,");
	mn_engine_free(e);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, sealed_bu_and_ba);
	ATF_TP_ADD_TC(tp, unprotected_ba_ignored);
	ATF_TP_ADD_TC(tp, forged_replayed_unknown);
	return atf_no_error();
}
