/*
 * stack/had/tests/esp_test.c - the home agent's IPsec for the signalling
 * (RFC 3776 with manual keys, stack/lib/espsa.h) through the engine with
 * fake ops: a BU sealed here with esp_seal (not with the code under test)
 * registers and its BA comes back in ESP after the RH2, opening with the
 * mobile node's inbound SA; an unprotected BU from a home address with SAs
 * is silently discarded (RFC 3776 §4.1); a forged ICV, a replayed
 * sequence number, an unknown SPI and an SA used from another home
 * address are dropped and counted (RFC 4303 §3.4.2-§3.4.4).
 */
#include <atf-c.h>
#include <stdlib.h>
#include <string.h>

#include "packets/esp.h"
#include "stack/had/ha_engine_impl.h"	/* the SA table, to age an SA */
#include "stack/had/tests/engtest.h"
#include "stack/lib/tests/esptest.h"

/* engtest.h helpers this program has no use for (static functions) */
static void *const unused_helpers[] __attribute__((unused)) = {
	(void *)et_run, (void *)et_count_mh, (void *)et_sign_bu,
	(void *)et_conf_mn, (void *)et_m6_eq,
};

#define HOA2	"2001:db8:1::222"
#define SPI_MN_TO_HA	0x1000u		/* the HA's inbound SA */
#define SPI_HA_TO_MN	0x1001u		/* the HA's outbound SA */

static const uint8_t aes_key[16] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
};

static struct esp_sa
mk_sa(uint32_t spi)
{
	return esptest_sa(spi, ESP_ENC_AES_CBC, aes_key, sizeof(aes_key));
}

/* c plus a pair of SAs for ET_HOA, then its engine. */
static struct ha_engine *
esp_conf(struct had_conf *c)
{
	c->nsa = 2;
	c->sa = calloc(2, sizeof(*c->sa));
	ATF_REQUIRE(c->sa != NULL);
	c->sa[0].dir = ESPSA_IN;
	c->sa[0].peer = tu_in6(ET_HOA);
	c->sa[0].sa = mk_sa(SPI_MN_TO_HA);
	c->sa[1].dir = ESPSA_OUT;
	c->sa[1].peer = tu_in6(ET_HOA);
	c->sa[1].sa = mk_sa(SPI_HA_TO_MN);
	return et_engine(c);
}

/* The default configuration with those SAs. */
static struct ha_engine *
esp_engine(struct had_conf *c)
{
	et_conf(c);
	return esp_conf(c);
}

/*
 * Seal the packet in et_buf as the mobile node would: its upper layer (the
 * MH, after the Destination Options header) into ESP with seq.
 */
static void
seal_bu(uint32_t spi, uint32_t seq)
{
	struct esp_sa sa = mk_sa(spi);
	uint8_t mh[512], out[2048];
	const struct hdr *mhh;
	struct pkt d;
	size_t mlen, slen, off;

	ATF_REQUIRE_EQ(pkt_decode(&d, PKT_LINK_IPV6, et_buf, et_len), 0);
	ATF_REQUIRE(d.nhdr == 3 && d.h[1].kind == HDR_DSTOPT);
	mhh = pkt_find_last(&d, HDR_MH);
	ATF_REQUIRE(mhh != NULL);
	off = mhh->off;
	mlen = et_len - off;
	memcpy(mh, et_buf + off, mlen);
	ATF_REQUIRE_EQ(esp_seal(&sa, seq, 135, NULL, mh, mlen, out,
	    sizeof(out), &slen), ESP_OK);
	memcpy(et_buf + off, out, slen);
	et_buf[d.h[1].off] = 50;		/* DestOpt: next is ESP */
	et_len = off + slen;
	esptest_set_plen(et_buf, et_len);
}

static void
feed_buf(struct ha_engine *e)
{
	et_feed_bytes(e, et_buf, et_len, M6S_HAO, 2, ET_T0);
}

/* A BU from hoa at ET_COA into et_buf, sealed with seq (spi: which
   SA). */
static void
make_sealed_bu(const char *hoa, uint32_t spi, uint32_t seq, uint16_t bu_seq)
{
	et_bu(ET_COA, hoa, bu_seq, MH_BU_A | MH_BU_H, 100);
	et_encode();
	seal_bu(spi, seq);
}

static void
feed_sealed_bu(struct ha_engine *e, const char *hoa, uint32_t spi,
    uint32_t seq, uint16_t bu_seq)
{
	make_sealed_bu(hoa, spi, seq, bu_seq);
	feed_buf(e);
}

/*
 * Sent packet i must be IPv6 | RH2 | ESP (RFC 6275 §6.4, RFC 3776 §3:
 * ESP after the Type 2 Routing header) and open with the mobile node's
 * inbound SA (the HA's outbound one) into a BA; decoded into *ba.
 */
static void
open_ba(size_t i, uint32_t want_seq, struct pkt *ba)
{
	struct esp_sa sa = mk_sa(SPI_HA_TO_MN);
	struct pkt d;

	ATF_REQUIRE(i < et.nsent);
	ATF_REQUIRE_EQ(pkt_decode(&d, PKT_LINK_IPV6, et.sent[i].bytes,
	    et.sent[i].len), 0);
	ATF_REQUIRE_EQ(d.nhdr >= 3, true);
	ATF_CHECK_EQ(d.h[1].kind, HDR_RH);
	ATF_CHECK_EQ(d.h[1].u.rh.type, 2);
	ATF_REQUIRE_EQ(d.h[2].kind, HDR_ESP);
	ATF_CHECK_EQ(d.h[2].u.ipsec.spi, SPI_HA_TO_MN);
	ATF_CHECK(!d.has_mh);
	/* the BA as it would be without ESP, decoded by packets/ */
	esptest_open_mh(&sa, et.sent[i].bytes, et.sent[i].len, &d, want_seq,
	    ba);
	ATF_CHECK_EQ(ba->mh.type, MH_BA);
}

static void
check_counter(struct ha_engine *e, const char *want)
{
	const char *j = et_ctl(e, "counters", ET_T0, 0);

	ATF_CHECK_MSG(strstr(j, want) != NULL, "counters lack %s: %s", want,
	    j);
}

ATF_TC_WITHOUT_HEAD(protected_bu_sealed_ba);
ATF_TC_BODY(protected_bu_sealed_ba, tc)
{
	struct had_conf c;
	struct ha_engine *e = esp_engine(&c);
	struct pkt ba;

	feed_sealed_bu(e, ET_HOA, SPI_MN_TO_HA, 1, 7);
	ATF_REQUIRE_EQ(et.nsent, 1);
	ATF_CHECK_EQ(et.nset, 1);
	et_addr_eq(&et.set[0].hoa, ET_HOA);
	open_ba(0, 1, &ba);
	ATF_CHECK_EQ(ba.mh.u.ba.status, 0);
	ATF_CHECK_EQ(ba.mh.u.ba.seq, 7);
	et_addr_eq(pkt_rh2(&ba), ET_HOA);
	et_addr_eq(&ba.h[0].u.ip6.dst, ET_COA);
	/* a refresh: the next sequence numbers both ways */
	feed_sealed_bu(e, ET_HOA, SPI_MN_TO_HA, 2, 8);
	ATF_REQUIRE_EQ(et.nsent, 2);
	open_ba(1, 2, &ba);
	ATF_CHECK_EQ(ba.mh.u.ba.seq, 8);
	check_counter(e, "\"esp_ok\":2,");
	check_counter(e, "\"spi\":\"0x1001\",\"peer\":\"2001:db8:1::100\","
	    "\"enc\":\"aes-cbc\",\"auth\":\"hmac-sha1\",\"seq\":2,\"ok\":2");
	ha_engine_free(e);
	had_conf_free(&c);
}

/* RFC 3776 §4.1: SAs configured, BU outside ESP: no BA, no binding. */
ATF_TC_WITHOUT_HEAD(unprotected_bu_discarded);
ATF_TC_BODY(unprotected_bu_discarded, tc)
{
	struct had_conf c;
	struct ha_engine *e = esp_engine(&c);
	struct pkt p;

	et_bu(ET_COA, ET_HOA, 7, MH_BU_A | MH_BU_H, 100);
	et_feed(e, ET_T0);
	ATF_CHECK_EQ(et.nsent, 0);
	ATF_CHECK_EQ(et.nset, 0);
	check_counter(e, "\"esp_unprotected\":1,");
	/* a home address without SAs registers as before, BA in clear */
	et_bu(ET_COA, HOA2, 7, MH_BU_A | MH_BU_H, 100);
	et_feed(e, ET_T0);
	ATF_REQUIRE_EQ(et.nsent, 1);
	et_ba(&p, 0, 0, 7);
	ATF_CHECK(pkt_find(&p, HDR_ESP) == NULL);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* RFC 4303 §3.4.3-§3.4.4: replay and forged ICV, counted, no answer. */
ATF_TC_WITHOUT_HEAD(replay_and_bad_icv);
ATF_TC_BODY(replay_and_bad_icv, tc)
{
	struct had_conf c;
	struct ha_engine *e = esp_engine(&c);
	struct pkt ba;

	feed_sealed_bu(e, ET_HOA, SPI_MN_TO_HA, 100, 7);
	ATF_REQUIRE_EQ(et.nsent, 1);
	feed_buf(e);				/* the same packet again */
	ATF_CHECK_EQ(et.nsent, 1);
	/* left of the 64-packet window (100 - 63 is its left edge) */
	feed_sealed_bu(e, ET_HOA, SPI_MN_TO_HA, 36, 8);
	ATF_CHECK_EQ(et.nsent, 1);
	check_counter(e, "\"esp_replay\":2,");
	make_sealed_bu(ET_HOA, SPI_MN_TO_HA, 101, 9);
	et_buf[et_len - 1] ^= 0x01;		/* forged */
	feed_buf(e);
	ATF_CHECK_EQ(et.nsent, 1);
	check_counter(e, "\"esp_bad_icv\":1,");
	/* the forgery did not move the window: 101 still opens */
	et_buf[et_len - 1] ^= 0x01;
	feed_buf(e);
	ATF_REQUIRE_EQ(et.nsent, 2);
	open_ba(1, 2, &ba);
	ATF_CHECK_EQ(ba.mh.u.ba.seq, 9);
	ATF_CHECK_EQ(ba.mh.u.ba.status, 0);
	/* inside the window and not seen yet: taken (out of order) */
	feed_sealed_bu(e, ET_HOA, SPI_MN_TO_HA, 40, 10);
	ATF_REQUIRE_EQ(et.nsent, 3);
	open_ba(2, 3, &ba);
	ATF_CHECK_EQ(ba.mh.u.ba.seq, 10);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* RFC 4303 §3.4.2 (unknown SPI), RFC 4301 §5.2 (SA of another peer). */
ATF_TC_WITHOUT_HEAD(no_sa_and_wrong_peer);
ATF_TC_BODY(no_sa_and_wrong_peer, tc)
{
	struct had_conf c;
	struct ha_engine *e = esp_engine(&c);

	feed_sealed_bu(e, ET_HOA, 0x4242, 1, 7);
	ATF_CHECK_EQ(et.nsent, 0);
	check_counter(e, "\"esp_no_sa\":1,");
	/* HOA2 has no SA: it may not use ET_HOA's */
	feed_sealed_bu(e, HOA2, SPI_MN_TO_HA, 1, 7);
	ATF_CHECK_EQ(et.nsent, 0);
	ATF_CHECK_EQ(et.nset, 0);
	check_counter(e, "\"esp_peer_mismatch\":1,");
	/* and the engine still takes ET_HOA's own */
	feed_sealed_bu(e, ET_HOA, SPI_MN_TO_HA, 2, 7);
	ATF_CHECK_EQ(et.nsent, 1);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* A conformance case's clean start resets windows and numbers too. */
ATF_TC_WITHOUT_HEAD(reset_restarts_sequence);
ATF_TC_BODY(reset_restarts_sequence, tc)
{
	struct had_conf c;
	struct ha_engine *e = esp_engine(&c);
	struct pkt ba;

	feed_sealed_bu(e, ET_HOA, SPI_MN_TO_HA, 9, 7);
	ATF_REQUIRE_EQ(et.nsent, 1);
	ha_engine_reset(e, ET_T0);
	check_counter(e, "\"esp_ok\":0,");
	feed_sealed_bu(e, ET_HOA, SPI_MN_TO_HA, 1, 7);
	ATF_REQUIRE_EQ(et.nsent, 2);
	open_ba(1, 1, &ba);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* After proxy DAD on a real home link the BA still goes in ESP: the
   saved request remembers the BU was protected. */
ATF_TC_WITHOUT_HEAD(ba_after_dad_sealed);
ATF_TC_BODY(ba_after_dad_sealed, tc)
{
	struct had_conf c;
	struct ha_engine *e;
	struct ha_iface ifs[1];
	struct pkt ba;
	long i;

	et_conf(&c);
	c.prefix[0].virtual_link = false;
	c.dad_transmits = 1;
	c.retrans_ms = 1000;
	e = esp_conf(&c);
	memset(ifs, 0, sizeof(ifs));
	ifs[0].ifindex = 2;
	snprintf(ifs[0].name, sizeof(ifs[0].name), "home0");
	memcpy(ifs[0].mac, "\x02\x00\x00\x00\x00\x01", 6);
	ifs[0].ll = tu_in6("fe80::1");
	ifs[0].home_link = true;
	ifs[0].mtu = 1500;
	ha_engine_set_ifaces(e, ifs, 1);
	feed_sealed_bu(e, ET_HOA, SPI_MN_TO_HA, 1, 7);
	ATF_CHECK_EQ(et.nset, 0);		/* DAD first */
	et_run(e, ET_T0 + 1000);
	ATF_REQUIRE_EQ(et.nset, 1);
	/* the last packet sent is the BA, in ESP */
	i = (long)et.nsent - 1;
	ATF_REQUIRE(i >= 0);
	open_ba((size_t)i, 1, &ba);
	ATF_CHECK_EQ(ba.mh.u.ba.status, 0);
	ATF_CHECK_EQ(ba.mh.u.ba.seq, 7);
	ha_engine_free(e);
	had_conf_free(&c);
}

/* A protected BU with a bad MH Payload Proto: dropped, but no Parameter
   Problem, which would quote its plaintext in clear. */
ATF_TC_WITHOUT_HEAD(no_icmp_error_quoting_plaintext);
ATF_TC_BODY(no_icmp_error_quoting_plaintext, tc)
{
	struct had_conf c;
	struct ha_engine *e = esp_engine(&c);

	et_bu(ET_COA, ET_HOA, 7, MH_BU_A | MH_BU_H, 100);
	et_in.mh.payload_proto = 6;
	et_encode();
	seal_bu(SPI_MN_TO_HA, 1);
	feed_buf(e);
	ATF_CHECK_EQ(et.nsent, 0);
	ATF_CHECK_EQ(et.nset, 0);
	check_counter(e, "\"esp_ok\":1,");
	check_counter(e, "\"drops\":{\"malformed\":1,");
	ha_engine_free(e);
	had_conf_free(&c);
}

static size_t
count_logs(const char *what)
{
	size_t i, n = 0;

	for (i = 0; i < et.nlog; i++)
		n += strstr(et.log[i], what) != NULL;
	return n;
}

/* RFC 4303 §3.3.3: 2^32 - 1 is the last number sent; then no BA, said
   once in the log. */
ATF_TC_WITHOUT_HEAD(seq_exhausted_logged_once);
ATF_TC_BODY(seq_exhausted_logged_once, tc)
{
	struct had_conf c;
	struct ha_engine *e = esp_engine(&c);
	struct espsa *out = espsa_find_out(&e->esp, &c.sa[1].peer);
	struct pkt ba;

	ATF_REQUIRE(out != NULL);
	out->seq = UINT32_MAX - 1;
	feed_sealed_bu(e, ET_HOA, SPI_MN_TO_HA, 1, 7);
	ATF_REQUIRE_EQ(et.nsent, 1);
	open_ba(0, UINT32_MAX, &ba);
	feed_sealed_bu(e, ET_HOA, SPI_MN_TO_HA, 2, 8);
	feed_sealed_bu(e, ET_HOA, SPI_MN_TO_HA, 3, 9);
	ATF_CHECK_EQ(et.nsent, 1);
	ATF_CHECK_EQ(count_logs("sequence numbers exhausted"), 1);
	check_counter(e, "\"esp_seq_exhausted\":2");
	ha_engine_free(e);
	had_conf_free(&c);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, protected_bu_sealed_ba);
	ATF_TP_ADD_TC(tp, unprotected_bu_discarded);
	ATF_TP_ADD_TC(tp, replay_and_bad_icv);
	ATF_TP_ADD_TC(tp, no_sa_and_wrong_peer);
	ATF_TP_ADD_TC(tp, reset_restarts_sequence);
	ATF_TP_ADD_TC(tp, ba_after_dad_sealed);
	ATF_TP_ADD_TC(tp, seq_exhausted_logged_once);
	ATF_TP_ADD_TC(tp, no_icmp_error_quoting_plaintext);
	return atf_no_error();
}
