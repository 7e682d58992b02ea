/*
 * stack/cnd/tests/cn_engine_test.c - the correspondent node's engine on a
 * virtual clock with fake ops: the whole return routability procedure and
 * the Binding Update with the mobile node's side computed here with
 * packets/rr.h (tokens from the HoT/CoT, Kbm, the BU's authenticator),
 * every BA status the engine sends, the lifetime cap, the BA's bytes (RH2,
 * authenticator), nonce expiry at 240 s, Kcn rotation, Binding Errors,
 * BRR timing, de-registration, restore, control answers.
 */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "packets/pkt.h"
#include "packets/rr.h"
#include "packets/sbuf.h"
#include "packets/tests/testutil.h"
#include "stack/cnd/cn_engine.h"
#include "stack/cnd/cn_engine_impl.h"
#include "stack/cnd/cnd_conf.h"

#define T0	1000000u		/* virtual start, ms */
#define CN	"2001:db8:3::5"
#define HOA	"2001:db8:1::100"
#define COA	"2001:db8:2::200"
#define MAXSENT	256
#define MAXOPS	64

/* ----------------------------------------------------------- fake ops */

static struct {
	size_t		nsent;
	struct {
		uint8_t	b[2048];
		size_t	len;
	} sent[MAXSENT];
	size_t		nset, ndel, nbus;
	struct in6_addr	set_hoa[MAXOPS], del[MAXOPS];
	struct m6_cn_bind set[MAXOPS];
	struct msock_msg bus[MAXOPS];
	int		bind_rc;
} R;

static void
op_send(void *ctx, const uint8_t *p, size_t len)
{
	(void)ctx;
	ATF_REQUIRE(R.nsent < MAXSENT && len <= sizeof(R.sent[0].b));
	memcpy(R.sent[R.nsent].b, p, len);
	R.sent[R.nsent++].len = len;
}

static int
op_bind_set(void *ctx, const struct in6_addr *hoa, const struct m6_cn_bind *b)
{
	(void)ctx;
	ATF_REQUIRE(R.nset < MAXOPS);
	R.set_hoa[R.nset] = *hoa;
	R.set[R.nset++] = *b;
	return R.bind_rc;
}

static void
op_bind_del(void *ctx, const struct in6_addr *hoa)
{
	(void)ctx;
	ATF_REQUIRE(R.ndel < MAXOPS);
	R.del[R.ndel++] = *hoa;
}

static void
op_bus(void *ctx, const struct msock_msg *m)
{
	(void)ctx;
	ATF_REQUIRE(R.nbus < MAXOPS);
	R.bus[R.nbus++] = *m;
}

static const struct cn_ops ops = {
	.send = op_send, .bind_set = op_bind_set, .bind_del = op_bind_del,
	.bus = op_bus,
};

static struct cn_engine *
engine(void)
{
	struct cnd_conf c;
	struct cn_engine *e;

	memset(&R, 0, sizeof(R));
	cnd_conf_init(&c);
	snprintf(c.iface[0], sizeof(c.iface[0]), "eth0");
	c.niface = 1;
	e = cn_engine_new(&c, &ops, T0);
	ATF_REQUIRE(e != NULL);
	return e;
}

static bool
addr_is(const struct in6_addr *a, const char *s)
{
	struct in6_addr b = tu_in6(s);

	return memcmp(a, &b, sizeof(b)) == 0;
}

/* ------------------------------------------------------ input packets */

static uint8_t ibuf[2048];
static size_t ilen, mh_off;

/* Encode `p` into ibuf; mh_off is where its MH starts. */
static void
encode(const struct pkt *p)
{
	static struct pkt d;
	const struct hdr *h;

	ATF_REQUIRE(pkt_encode(p, ibuf, sizeof(ibuf), &ilen) == 0);
	pkt_decode(&d, PKT_LINK_IPV6, ibuf, ilen);
	h = pkt_find_last(&d, HDR_MH);
	mh_off = h != NULL ? h->off : 0;
}

static void
feed_reason(struct cn_engine *e, uint16_t reason, uint64_t now)
{
	struct m6_sig sig;

	memset(&sig, 0, sizeof(sig));
	sig.reason = reason;
	sig.caplen = (uint32_t)ilen;
	sig.wirelen = (uint32_t)ilen;
	cn_engine_input(e, &sig, ibuf, now);
}

static void
feed(struct cn_engine *e, uint64_t now)
{
	feed_reason(e, M6S_MH, now);
}

static struct pkt in;

static struct mh_msg *
start(const char *src, const char *dst, const char *hao, uint8_t type)
{
	struct in6_addr a;
	struct hdr *h;

	pkt_init(&in, PKT_LINK_IPV6);
	h = pkt_push(&in, HDR_IPV6);
	h->u.ip6.src = tu_in6(src);
	h->u.ip6.dst = tu_in6(dst);
	h->u.ip6.hlim = 64;
	if (hao != NULL) {
		a = tu_in6(hao);
		ATF_REQUIRE(pkt_push_hao(&in, &a) != NULL);
	}
	return pkt_push_mh(&in, type);
}

/* ------------------------------------------------------- the MN side */

/* What a mobile node learns from the HoT and CoT it got. */
struct mn {
	uint16_t	home_index, careof_index;
	uint8_t		home_token[RR_TOKEN_LEN], careof_token[RR_TOKEN_LEN];
};

static const struct mh_msg *
sent_mh(size_t i, struct pkt *p)
{
	ATF_REQUIRE_MSG(i < R.nsent, "packet %zu not sent (%zu)", i, R.nsent);
	pkt_decode(p, PKT_LINK_IPV6, R.sent[i].b, R.sent[i].len);
	ATF_REQUIRE_MSG(viol_count_severity(&p->viol, VS_ERROR) == 0,
	    "sent packet %zu has errors", i);
	ATF_REQUIRE(p->has_mh);
	return &p->mh;
}

static const uint8_t cookie_h[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t cookie_c[8] = { 9, 10, 11, 12, 13, 14, 15, 16 };

/* HoTI (from the HoA, as the HA delivers it) and CoTI (from the CoA);
   checks the HoT and CoT and keeps the tokens. */
static void
do_rr(struct cn_engine *e, uint64_t now, const char *coa, struct mn *mn)
{
	static struct pkt p;
	const struct mh_msg *m;
	struct mh_msg *q;
	size_t n0 = R.nsent;

	q = start(HOA, CN, NULL, MH_HOTI);
	memcpy(q->u.init.cookie, cookie_h, 8);
	encode(&in);
	feed(e, now);
	q = start(coa, CN, NULL, MH_COTI);
	memcpy(q->u.init.cookie, cookie_c, 8);
	encode(&in);
	feed(e, now);
	ATF_REQUIRE_EQ(R.nsent, n0 + 2);
	m = sent_mh(n0, &p);
	ATF_REQUIRE_EQ(m->type, MH_HOT);
	ATF_REQUIRE(addr_is(&pkt_inner_ip6(&p)->dst, HOA));
	ATF_REQUIRE(addr_is(&pkt_inner_ip6(&p)->src, CN));
	ATF_REQUIRE(pkt_rh2(&p) == NULL && pkt_hao(&p) == NULL);
	ATF_REQUIRE(memcmp(m->u.test.cookie, cookie_h, 8) == 0);
	mn->home_index = m->u.test.nonce_index;
	memcpy(mn->home_token, m->u.test.token, RR_TOKEN_LEN);
	m = sent_mh(n0 + 1, &p);
	ATF_REQUIRE_EQ(m->type, MH_COT);
	ATF_REQUIRE(addr_is(&pkt_inner_ip6(&p)->dst, coa));
	ATF_REQUIRE(memcmp(m->u.test.cookie, cookie_c, 8) == 0);
	mn->careof_index = m->u.test.nonce_index;
	memcpy(mn->careof_token, m->u.test.token, RR_TOKEN_LEN);
}

/*
 * A BU from coa with a HAO (none when coa is the HoA), Nonce Indices,
 * and the Binding Authorization Data signed with the MN's Kbm: from both
 * tokens, or the home token alone for a deletion (RFC 6275 §5.2.5).
 */
static void
send_bu(struct cn_engine *e, uint64_t now, const char *coa, const struct mn *mn,
    uint16_t seq, uint16_t flags, uint16_t lifetime, bool corrupt)
{
	bool home = strcmp(coa, HOA) == 0;
	bool dereg = home || lifetime == 0;
	struct in6_addr c = tu_in6(coa), cn = tu_in6(CN), h = tu_in6(HOA);
	uint8_t kbm[RR_KBM_LEN];
	struct mh_opt *o;
	struct mh_msg *m;

	m = start(coa, CN, home ? NULL : HOA, MH_BU);
	m->u.bu.seq = seq;
	m->u.bu.flags = flags;
	m->u.bu.lifetime = lifetime;
	o = mh_add_opt(m, MHOPT_NI);
	o->u.ni.home = mn->home_index;
	o->u.ni.careof = mn->careof_index;
	o = mh_add_opt(m, MHOPT_BAD);
	o->var_len = RR_AUTH_LEN;
	encode(&in);
	ATF_REQUIRE(rr_kbm(mn->home_token, dereg ? NULL : mn->careof_token,
	    kbm) == 0);
	if (corrupt)
		kbm[0] ^= 1;	/* a key the CN cannot have */
	ATF_REQUIRE(rr_sign_mh(ibuf + mh_off, ilen - mh_off, kbm, &c, &cn,
	    &h, &cn) == 0);
	feed(e, now);
}

/* How the BA must be signed: not, with Kbm from both tokens, or with
   the home keygen token alone (a deletion, RFC 6275 §5.2.5). */
enum sig { UNSIGNED, SIGNED, SIGNED_HOME };

/* The BA sent as packet i: status, seq; its RH2 and authenticator. */
static const struct mh_msg *
check_ba(size_t i, uint8_t status, uint16_t seq, const char *coa,
    const struct mn *mn, enum sig sig)
{
	static struct pkt p;
	const struct mh_msg *m = sent_mh(i, &p);
	const struct hdr *h = pkt_find_last(&p, HDR_MH);
	struct in6_addr c = tu_in6(coa), cn = tu_in6(CN);
	bool home = strcmp(coa, HOA) == 0;
	uint8_t kbm[RR_KBM_LEN];

	ATF_REQUIRE_EQ(m->type, MH_BA);
	ATF_REQUIRE_EQ_MSG(m->u.ba.status, status, "BA status %u, want %u",
	    m->u.ba.status, status);
	ATF_REQUIRE_EQ(m->u.ba.seq, seq);
	ATF_REQUIRE(addr_is(&pkt_inner_ip6(&p)->dst, coa));
	ATF_REQUIRE(addr_is(&pkt_inner_ip6(&p)->src, CN));
	/* RFC 6275 §9.5.4: RH2 with the HoA unless sent to the HoA */
	if (home)
		ATF_REQUIRE(pkt_rh2(&p) == NULL);
	else
		ATF_REQUIRE(pkt_rh2(&p) != NULL && addr_is(pkt_rh2(&p), HOA));
	ATF_REQUIRE_EQ(mh_find_opt(m, MHOPT_BAD) != NULL, sig != UNSIGNED);
	if (sig != UNSIGNED) {
		ATF_REQUIRE(rr_kbm(mn->home_token, sig == SIGNED_HOME ? NULL :
		    mn->careof_token, kbm) == 0);
		ATF_REQUIRE_EQ(rr_verify_mh(R.sent[i].b + h->off, h->len, kbm,
		    &c, &cn), 1);
	}
	return m;
}

/* ------------------------------------------------------------- cases */

ATF_TC_WITHOUT_HEAD(rr_then_bu);
ATF_TC_BODY(rr_then_bu, tc)
{
	struct cn_engine *e = engine();
	const struct rr_nonce *n;
	uint8_t want[RR_TOKEN_LEN];
	struct in6_addr h = tu_in6(HOA), c = tu_in6(COA);
	const struct mh_msg *ba;
	struct mn mn;

	do_rr(e, T0, COA, &mn);
	/* the tokens are the RFC 6275 §5.2.5 ones over Kcn and the nonce */
	n = rr_cn_lookup(&e->rr, mn.home_index, T0);
	ATF_REQUIRE(n != NULL);
	ATF_REQUIRE(rr_home_token(e->rr.kcn, &h, n->nonce, want) == 0);
	ATF_REQUIRE(memcmp(want, mn.home_token, RR_TOKEN_LEN) == 0);
	n = rr_cn_lookup(&e->rr, mn.careof_index, T0);
	ATF_REQUIRE(rr_careof_token(e->rr.kcn, &c, n->nonce, want) == 0);
	ATF_REQUIRE(memcmp(want, mn.careof_token, RR_TOKEN_LEN) == 0);

	send_bu(e, T0 + 500, COA, &mn, 7, MH_BU_A, 100, false);
	ATF_REQUIRE_EQ(R.nsent, 3);
	ba = check_ba(2, BA_ACCEPTED, 7, COA, &mn, SIGNED);
	ATF_REQUIRE_EQ(ba->u.ba.lifetime, 100);
	/* forwarding entry and bus */
	ATF_REQUIRE_EQ(R.nset, 1);
	ATF_REQUIRE(addr_is(&R.set_hoa[0], HOA));
	ATF_REQUIRE(memcmp(R.set[0].coa.b, &c, 16) == 0);
	ATF_REQUIRE(R.set[0].flags & M6B_ACTIVE);
	ATF_REQUIRE_EQ(R.set[0].seq, 7);
	ATF_REQUIRE_EQ(R.set[0].lifetime, 100);
	ATF_REQUIRE_EQ(R.set[0].expires_ms, T0 + 500 + 400000);
	ATF_REQUIRE_EQ(R.set[0].state, CNB_BOUND);
	ATF_REQUIRE_EQ(R.nbus, 1);
	ATF_REQUIRE_EQ(R.bus[0].type, MSOCK_BC_ADD);
	ATF_REQUIRE(addr_is(&R.bus[0].hoa, HOA));
	ATF_REQUIRE(addr_is(&R.bus[0].coa, COA));
	ATF_REQUIRE(addr_is(&R.bus[0].peer, CN));
	ATF_REQUIRE_EQ(R.bus[0].lifetime, 400);
	ATF_REQUIRE_EQ(e->cnt.tx_hot, 1);
	ATF_REQUIRE_EQ(e->cnt.tx_cot, 1);
	cn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(no_ack_no_ba);
ATF_TC_BODY(no_ack_no_ba, tc)
{
	struct cn_engine *e = engine();
	struct mn mn;

	do_rr(e, T0, COA, &mn);
	send_bu(e, T0, COA, &mn, 1, 0, 100, false);
	ATF_REQUIRE_EQ(R.nsent, 2);	/* HoT, CoT: no BA (§9.5.4) */
	ATF_REQUIRE_EQ(R.nset, 1);
	ATF_REQUIRE_EQ(e->count, 1);
	cn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(lifetime_capped_at_420s);
ATF_TC_BODY(lifetime_capped_at_420s, tc)
{
	struct cn_engine *e = engine();
	const struct mh_msg *ba;
	struct mn mn;

	do_rr(e, T0, COA, &mn);
	send_bu(e, T0, COA, &mn, 1, MH_BU_A, 1000, false);
	ba = check_ba(2, BA_ACCEPTED, 1, COA, &mn, SIGNED);
	/* MAX_RR_BINDING_LIFETIME 420 s = 105 units (RFC 6275 §9.5.2) */
	ATF_REQUIRE_EQ(ba->u.ba.lifetime, 105);
	ATF_REQUIRE_EQ(R.set[0].expires_ms, T0 + 420000);
	cn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(expired_nonce_statuses);
ATF_TC_BODY(expired_nonce_statuses, tc)
{
	struct cn_engine *e = engine();
	struct mn mn, bad;

	do_rr(e, T0, COA, &mn);
	/* unknown indices: 136, 137, 138, sent even with A clear, not
	   signed (no Kbm) */
	bad = mn;
	bad.home_index = (uint16_t)(mn.home_index + 100);
	send_bu(e, T0, COA, &bad, 1, 0, 100, false);
	check_ba(2, BA_EXPIRED_HOME_NONCE, 1, COA, &mn, UNSIGNED);
	bad = mn;
	bad.careof_index = (uint16_t)(mn.careof_index + 100);
	send_bu(e, T0, COA, &bad, 1, 0, 100, false);
	check_ba(3, BA_EXPIRED_COA_NONCE, 1, COA, &mn, UNSIGNED);
	bad.home_index = (uint16_t)(mn.home_index + 100);
	send_bu(e, T0, COA, &bad, 1, 0, 100, false);
	check_ba(4, BA_EXPIRED_NONCES, 1, COA, &mn, UNSIGNED);
	ATF_REQUIRE_EQ(e->cnt.ba_status[136], 1);
	ATF_REQUIRE_EQ(e->cnt.ba_status[137], 1);
	ATF_REQUIRE_EQ(e->cnt.ba_status[138], 1);
	ATF_REQUIRE_EQ(R.nset, 0);
	cn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(nonce_valid_240s);
ATF_TC_BODY(nonce_valid_240s, tc)
{
	struct cn_engine *e = engine();
	uint16_t idx;
	struct mn mn;

	/* the nonce made at T0 is accepted at 240 s, not 1 ms later
	   (MAX_NONCE_LIFETIME, RFC 6275 §5.2.7, §12) */
	do_rr(e, T0, COA, &mn);
	ATF_REQUIRE_EQ(mn.home_index, mn.careof_index);
	send_bu(e, T0 + 240000, COA, &mn, 1, MH_BU_A, 100, false);
	check_ba(2, BA_ACCEPTED, 1, COA, &mn, SIGNED);
	send_bu(e, T0 + 240001, COA, &mn, 2, MH_BU_A, 100, false);
	check_ba(3, BA_EXPIRED_NONCES, 2, COA, &mn, UNSIGNED);
	/* a HoTI then gets a new nonce, the next index */
	idx = mn.home_index;
	do_rr(e, T0 + 240001, COA, &mn);
	ATF_REQUIRE_EQ(mn.home_index, (uint16_t)(idx + 1));
	cn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(nonce_interval_30s);
ATF_TC_BODY(nonce_interval_30s, tc)
{
	struct cn_engine *e = engine();
	struct mn a, b, c;

	do_rr(e, T0, COA, &a);
	do_rr(e, T0 + 29999, COA, &b);
	do_rr(e, T0 + 30000, COA, &c);
	/* nonce-lifetime - token-lifetime = 30 s between nonces */
	ATF_REQUIRE_EQ(a.home_index, b.home_index);
	ATF_REQUIRE_EQ(c.home_index, (uint16_t)(a.home_index + 1));
	cn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(sequence_out_of_window);
ATF_TC_BODY(sequence_out_of_window, tc)
{
	struct cn_engine *e = engine();
	struct mn mn;

	do_rr(e, T0, COA, &mn);
	send_bu(e, T0, COA, &mn, 100, MH_BU_A, 100, false);
	check_ba(2, BA_ACCEPTED, 100, COA, &mn, SIGNED);
	/* equal and older (mod 2^16): 135 with the last accepted number,
	   signed, even with A clear (§9.5.1, §9.5.4) */
	send_bu(e, T0, COA, &mn, 100, 0, 100, false);
	check_ba(3, BA_SEQ_OUT_OF_WINDOW, 100, COA, &mn, SIGNED);
	send_bu(e, T0, COA, &mn, (uint16_t)(100 + 0x8000), 0, 100, false);
	check_ba(4, BA_SEQ_OUT_OF_WINDOW, 100, COA, &mn, SIGNED);
	send_bu(e, T0, COA, &mn, 101, MH_BU_A, 100, false);
	check_ba(5, BA_ACCEPTED, 101, COA, &mn, SIGNED);
	cn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(silent_drops);
ATF_TC_BODY(silent_drops, tc)
{
	struct cn_engine *e = engine();
	struct mh_msg *m;
	struct mn mn;

	do_rr(e, T0, COA, &mn);
	/* a wrong authenticator */
	send_bu(e, T0, COA, &mn, 1, MH_BU_A, 100, true);
	ATF_REQUIRE_EQ(e->cnt.drop_auth_failed, 1);
	ATF_REQUIRE_EQ(e->cnt.drop_checksum, 0);
	/* no Nonce Indices, no BAD */
	m = start(COA, CN, HOA, MH_BU);
	m->u.bu.flags = MH_BU_A;
	m->u.bu.lifetime = 10;
	encode(&in);
	feed(e, T0);
	ATF_REQUIRE_EQ(e->cnt.drop_no_nonce_indices, 1);
	m = start(COA, CN, HOA, MH_BU);
	m->u.bu.flags = MH_BU_A;
	m->u.bu.lifetime = 10;
	mh_add_opt(m, MHOPT_NI);
	encode(&in);
	feed(e, T0);
	ATF_REQUIRE_EQ(e->cnt.drop_no_bad, 1);
	/* a HoTI with a HAO (§9.4.1) */
	start(COA, CN, HOA, MH_HOTI);
	encode(&in);
	feed(e, T0);
	ATF_REQUIRE_EQ(e->cnt.drop_init_with_hao, 1);
	/* a bad checksum (§9.2) */
	start(HOA, CN, NULL, MH_HOTI);
	encode(&in);
	ibuf[ilen - 1] ^= 0x40;
	feed(e, T0);
	ATF_REQUIRE_EQ(e->cnt.drop_checksum, 1);
	ATF_REQUIRE_EQ(R.nsent, 2);
	ATF_REQUIRE_EQ(R.nset, 0);
	cn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(home_registration_131);
ATF_TC_BODY(home_registration_131, tc)
{
	struct cn_engine *e = engine();
	struct mh_msg *m;
	struct mn mn;

	memset(&mn, 0, sizeof(mn));
	m = start(COA, CN, HOA, MH_BU);
	m->u.bu.seq = 9;
	m->u.bu.flags = MH_BU_A | MH_BU_H;
	m->u.bu.lifetime = 10;
	encode(&in);
	feed(e, T0);
	check_ba(0, BA_HOME_REG_UNSUPPORTED, 9, COA, &mn, UNSIGNED);
	cn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(deregistration);
ATF_TC_BODY(deregistration, tc)
{
	struct cn_engine *e = engine();
	struct mn mn, home;

	do_rr(e, T0, COA, &mn);
	send_bu(e, T0, COA, &mn, 1, MH_BU_A, 100, false);
	check_ba(2, BA_ACCEPTED, 1, COA, &mn, SIGNED);
	/* lifetime 0 from the CoA: the home token alone (§5.2.5); the
	   care-of index is not inspected (§9.5.1) */
	home = mn;
	home.careof_index = (uint16_t)(mn.careof_index + 1000);
	send_bu(e, T0 + 1000, COA, &home, 2, MH_BU_A, 0, false);
	check_ba(3, BA_ACCEPTED, 2, COA, &mn, SIGNED_HOME);
	ATF_REQUIRE_EQ(R.ndel, 1);
	ATF_REQUIRE(addr_is(&R.del[0], HOA));
	ATF_REQUIRE_EQ(R.nbus, 2);
	ATF_REQUIRE_EQ(R.bus[1].type, MSOCK_BC_REMOVE);
	ATF_REQUIRE_EQ(e->count, 0);
	cn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(deregistration_from_home);
ATF_TC_BODY(deregistration_from_home, tc)
{
	struct cn_engine *e = engine();
	struct mn mn, mh;

	do_rr(e, T0, COA, &mn);
	send_bu(e, T0, COA, &mn, 1, MH_BU_A, 100, false);
	/* back home: HoTI from the HoA only, BU from the HoA, no HAO,
	   CoA == HoA, the BA goes to the HoA without RH2 */
	do_rr(e, T0 + 2000, HOA, &mh);
	send_bu(e, T0 + 2000, HOA, &mh, 2, MH_BU_A, 100, false);
	check_ba(5, BA_ACCEPTED, 2, HOA, &mh, SIGNED_HOME);
	ATF_REQUIRE_EQ(R.ndel, 1);
	ATF_REQUIRE_EQ(e->count, 0);
	cn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(kcn_rotation);
ATF_TC_BODY(kcn_rotation, tc)
{
	struct cn_engine *e = engine();
	uint8_t old[RR_KCN_LEN];
	struct mn mn, fresh;

	do_rr(e, T0, COA, &mn);
	memcpy(old, e->rr.kcn, RR_KCN_LEN);
	ATF_REQUIRE(cn_engine_rotate_kcn(e, T0 + 1000) == 0);
	ATF_REQUIRE(memcmp(old, e->rr.kcn, RR_KCN_LEN) != 0);
	/* tokens from the previous Kcn still verify */
	send_bu(e, T0 + 2000, COA, &mn, 1, MH_BU_A, 100, false);
	check_ba(2, BA_ACCEPTED, 1, COA, &mn, SIGNED);
	/* a nonce made after the rotation uses the new Kcn */
	do_rr(e, T0 + 40000, COA, &fresh);
	ATF_REQUIRE(fresh.home_index != mn.home_index);
	send_bu(e, T0 + 40000, COA, &fresh, 2, MH_BU_A, 100, false);
	check_ba(5, BA_ACCEPTED, 2, COA, &fresh, SIGNED);
	/* a second rotation drops the key of the first nonces: 138 */
	ATF_REQUIRE(cn_engine_rotate_kcn(e, T0 + 50000) == 0);
	send_bu(e, T0 + 50000, COA, &mn, 3, MH_BU_A, 100, false);
	check_ba(6, BA_EXPIRED_NONCES, 3, COA, &mn, UNSIGNED);
	send_bu(e, T0 + 50000, COA, &fresh, 4, MH_BU_A, 100, false);
	check_ba(7, BA_ACCEPTED, 4, COA, &fresh, SIGNED);
	/* and the timer rotates every kcn-lifetime (3600 s) */
	ATF_REQUIRE_EQ(cn_engine_next_timeout(e) <= T0 + 50000 + 3600000,
	    true);
	cn_engine_timeout(e, T0 + 50000 + 3600000);
	ATF_REQUIRE_EQ(e->cnt.kcn_rotations, 3);
	cn_engine_free(e);
}

/* An echo request from the CoA with a HAO, as cn.bpf hands it over. */
static void
hao_echo(const char *hoa)
{
	struct icmp6_msg *m;
	struct hdr *h;

	pkt_init(&in, PKT_LINK_IPV6);
	h = pkt_push(&in, HDR_IPV6);
	h->u.ip6.src = tu_in6(COA);
	h->u.ip6.dst = tu_in6(CN);
	h->u.ip6.hlim = 64;
	ATF_REQUIRE(pkt_push_hao(&in, &(struct in6_addr){ .s6_addr = {0} }));
	in.h[in.nhdr - 1].u.opts.tlv[1].hoa = tu_in6(hoa);
	m = pkt_push_icmp6(&in, 128, 0);
	ATF_REQUIRE(m != NULL);
	ATF_REQUIRE(pkt_encode(&in, ibuf, sizeof(ibuf), &ilen) == 0);
}

ATF_TC_WITHOUT_HEAD(be_for_hao_without_binding);
ATF_TC_BODY(be_for_hao_without_binding, tc)
{
	struct cn_engine *e = engine();
	static struct pkt p;
	const struct mh_msg *m;
	size_t i;

	hao_echo(HOA);
	feed_reason(e, M6S_BE_HINT, T0);
	m = sent_mh(0, &p);
	ATF_REQUIRE_EQ(m->type, MH_BE);
	ATF_REQUIRE_EQ(m->u.be.status, BE_UNKNOWN_HAO);
	ATF_REQUIRE(addr_is(&m->u.be.hoa, HOA));
	ATF_REQUIRE(addr_is(&pkt_inner_ip6(&p)->dst, COA));
	ATF_REQUIRE(addr_is(&pkt_inner_ip6(&p)->src, CN));
	ATF_REQUIRE_EQ(R.nbus, 1);
	ATF_REQUIRE_EQ(R.bus[0].type, MSOCK_BE_HINT);
	ATF_REQUIRE(addr_is(&R.bus[0].hoa, HOA));
	ATF_REQUIRE(addr_is(&R.bus[0].coa, COA));
	ATF_REQUIRE(addr_is(&R.bus[0].peer, CN));
	ATF_REQUIRE_EQ(R.bus[0].status, 1);
	/* rate-limited: binding-error-rate 10 a second (§9.3.3) */
	for (i = 0; i < 50; i++)
		feed_reason(e, M6S_BE_HINT, T0);
	ATF_REQUIRE_EQ(e->cnt.tx_be, 10);
	ATF_REQUIRE_EQ(e->cnt.drop_rate_limited, 41);
	feed_reason(e, M6S_BE_HINT, T0 + 1000);
	ATF_REQUIRE_EQ(e->cnt.tx_be, 11);
	cn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(be_unknown_mh_type);
ATF_TC_BODY(be_unknown_mh_type, tc)
{
	struct cn_engine *e = engine();
	static struct pkt p;
	const struct mh_msg *m;

	start(COA, CN, NULL, 42);
	in.mh.body_len = 2;
	encode(&in);
	feed(e, T0);
	m = sent_mh(0, &p);
	ATF_REQUIRE_EQ(m->type, MH_BE);
	ATF_REQUIRE_EQ(m->u.be.status, BE_UNKNOWN_MH_TYPE);
	ATF_REQUIRE(addr_is(&pkt_inner_ip6(&p)->dst, COA));
	ATF_REQUIRE_EQ(e->cnt.rx_unknown_mh, 1);
	cn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(param_problem_payload_proto);
ATF_TC_BODY(param_problem_payload_proto, tc)
{
	struct cn_engine *e = engine();
	static struct pkt p;

	/* RFC 6275 §9.2: Payload Proto not 59: Parameter Problem code 0
	   pointing at it */
	start(HOA, CN, NULL, MH_HOTI);
	in.mh.payload_proto = 6;
	encode(&in);
	feed(e, T0);
	ATF_REQUIRE_EQ(R.nsent, 1);
	pkt_decode(&p, PKT_LINK_IPV6, R.sent[0].b, R.sent[0].len);
	ATF_REQUIRE(p.has_icmp6);
	ATF_REQUIRE_EQ(p.icmp6.type, ICMP6_T_PARAM_PROB);
	ATF_REQUIRE_EQ(p.icmp6.code, 0);
	ATF_REQUIRE_EQ(p.icmp6.u.pointer, 40);
	ATF_REQUIRE_EQ(e->cnt.tx_hot, 0);
	cn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(brr_then_expiry);
ATF_TC_BODY(brr_then_expiry, tc)
{
	struct cn_engine *e = engine();
	static struct pkt p;
	const struct mh_msg *m;
	struct mn mn;

	do_rr(e, T0, COA, &mn);
	send_bu(e, T0, COA, &mn, 1, 0, 100, false);	/* 400 s */
	/* BRR at 90 % of the lifetime (RFC 6275 §9.5.5), once */
	ATF_REQUIRE_EQ(cn_engine_next_timeout(e), T0 + 360000);
	cn_engine_timeout(e, T0 + 359999);
	ATF_REQUIRE_EQ(R.nsent, 2);
	cn_engine_timeout(e, T0 + 360000);
	ATF_REQUIRE_EQ(R.nsent, 3);
	m = sent_mh(2, &p);
	ATF_REQUIRE_EQ(m->type, MH_BRR);
	ATF_REQUIRE(addr_is(&pkt_inner_ip6(&p)->dst, HOA));
	ATF_REQUIRE(addr_is(&pkt_inner_ip6(&p)->src, CN));
	ATF_REQUIRE(pkt_rh2(&p) == NULL);	/* §6.1 */
	/* nothing the decoder's violation table objects to (a BRR with a
	   RH2 would be V_RH2_ON_BRR) */
	ATF_CHECK_EQ(p.viol.n, 0);
	ATF_REQUIRE_EQ(R.set[R.nset - 1].state, CNB_REFRESHING);
	ATF_REQUIRE_EQ(cn_engine_next_timeout(e), T0 + 400000);
	cn_engine_timeout(e, T0 + 399999);
	ATF_REQUIRE_EQ(R.nsent, 3);
	ATF_REQUIRE_EQ(R.ndel, 0);
	cn_engine_timeout(e, T0 + 400000);
	ATF_REQUIRE_EQ(R.ndel, 1);
	ATF_REQUIRE_EQ(R.bus[R.nbus - 1].type, MSOCK_BC_REMOVE);
	ATF_REQUIRE_EQ(e->cnt.brr_sent_no_reply, 1);
	ATF_REQUIRE_EQ(e->count, 0);
	cn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(refresh_after_brr);
ATF_TC_BODY(refresh_after_brr, tc)
{
	struct cn_engine *e = engine();
	struct mn mn;

	do_rr(e, T0, COA, &mn);
	send_bu(e, T0, COA, &mn, 1, 0, 100, false);
	cn_engine_timeout(e, T0 + 360000);
	ATF_REQUIRE_EQ(R.set[R.nset - 1].state, CNB_REFRESHING);
	do_rr(e, T0 + 361000, COA, &mn);
	send_bu(e, T0 + 361000, COA, &mn, 2, 0, 100, false);
	ATF_REQUIRE_EQ(R.set[R.nset - 1].state, CNB_BOUND);
	ATF_REQUIRE_EQ(cn_engine_next_timeout(e), T0 + 361000 + 360000);
	cn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(no_resources_130);
ATF_TC_BODY(no_resources_130, tc)
{
	struct cn_engine *e = engine();
	struct mn mn;

	R.bind_rc = -1;		/* the kernel refuses the entry */
	do_rr(e, T0, COA, &mn);
	send_bu(e, T0, COA, &mn, 1, 0, 100, false);
	check_ba(2, BA_NO_RESOURCES, 1, COA, &mn, SIGNED);
	ATF_REQUIRE_EQ(e->count, 0);
	ATF_REQUIRE_EQ(e->cnt.drop_bind_failed, 1);
	cn_engine_free(e);
}

ATF_TC_WITHOUT_HEAD(restore_and_ctl);
ATF_TC_BODY(restore_and_ctl, tc)
{
	struct cn_engine *e = engine();
	struct in6_addr h = tu_in6(HOA), c = tu_in6(COA);
	struct m6_cn_bind rec;
	char buf[8192];
	struct sbuf sb;
	struct jw jw;

	memset(&rec, 0, sizeof(rec));
	memcpy(rec.coa.b, &c, 16);
	rec.flags = M6B_ACTIVE;
	rec.seq = 77;
	rec.lifetime = 100;
	rec.registered_ms = T0 - 1000;
	rec.expires_ms = T0 + 399000;
	rec.state = CNB_BOUND;
	cn_engine_restore(e, &h, &rec, T0);
	/* an expired record is removed */
	h.s6_addr[15] = 0x99;
	rec.expires_ms = T0 - 1;
	cn_engine_restore(e, &h, &rec, T0);
	ATF_REQUIRE_EQ(e->count, 1);
	ATF_REQUIRE_EQ(R.ndel, 1);
	ATF_REQUIRE_EQ(cn_engine_next_timeout(e), T0 + 399000);
	sbuf_init(&sb, buf, sizeof(buf));
	jw_init(&jw, &sb);
	ATF_REQUIRE(cn_engine_ctl(e, "bindings", T0 + 9000, &jw) == 0);
	ATF_REQUIRE_MSG(strstr(sbuf_str(&sb), "\"hoa\":\"2001:db8:1::100\"")
	    != NULL && strstr(sbuf_str(&sb), "\"seq\":77") != NULL &&
	    strstr(sbuf_str(&sb), "\"remaining\":390") != NULL &&
	    strstr(sbuf_str(&sb), "\"state\":\"bound\"") != NULL,
	    "%s", sbuf_str(&sb));
	sbuf_init(&sb, buf, sizeof(buf));
	jw_init(&jw, &sb);
	ATF_REQUIRE(cn_engine_ctl(e, "nonces", T0 + 9000, &jw) == 0);
	ATF_REQUIRE_MSG(strstr(sbuf_str(&sb), "\"age\":9") != NULL, "%s",
	    sbuf_str(&sb));
	sbuf_init(&sb, buf, sizeof(buf));
	jw_init(&jw, &sb);
	ATF_REQUIRE(cn_engine_ctl(e, "counters", T0, &jw) == 0);
	ATF_REQUIRE(strstr(sbuf_str(&sb), "\"auth_failed\":0") != NULL);
	sbuf_init(&sb, buf, sizeof(buf));
	jw_init(&jw, &sb);
	ATF_REQUIRE(cn_engine_ctl(e, "bogus", T0, &jw) == -1);
	ATF_REQUIRE(strstr(sbuf_str(&sb), "error") != NULL);
	cn_engine_reset(e, T0);
	ATF_REQUIRE_EQ(e->count, 0);
	ATF_REQUIRE_EQ(R.ndel, 2);
	cn_engine_free(e);
}

/* The durable record carries our address (m6_cn_bind.cn): a binding
   restored after a restart still gets its BRR (§9.5.5), at 90 % of the
   lifetime from the last BU (expires - lifetime), from that address. */
ATF_TC_WITHOUT_HEAD(restore_brr);
ATF_TC_BODY(restore_brr, tc)
{
	struct cn_engine *e = engine();
	struct in6_addr h = tu_in6(HOA), c = tu_in6(COA), cn = tu_in6(CN);
	static struct pkt p;
	struct m6_cn_bind rec;
	struct mn mn;

	/* what a binding saves */
	do_rr(e, T0, COA, &mn);
	send_bu(e, T0, COA, &mn, 1, 0, 100, false);
	ATF_REQUIRE(R.nset > 0);
	ATF_CHECK(memcmp(R.set[R.nset - 1].cn.b, &cn, 16) == 0);
	cn_engine_free(e);

	e = engine();
	memset(&rec, 0, sizeof(rec));
	memcpy(rec.coa.b, &c, 16);
	memcpy(rec.cn.b, &cn, 16);
	rec.flags = M6B_ACTIVE;
	rec.seq = 77;
	rec.lifetime = 100;		/* 400 s */
	rec.registered_ms = T0 - 1000;
	rec.expires_ms = T0 + 399000;	/* last BU at T0 - 1 s */
	rec.state = CNB_BOUND;
	cn_engine_restore(e, &h, &rec, T0);
	ATF_REQUIRE_EQ(cn_engine_next_timeout(e), T0 + 359000);
	cn_engine_timeout(e, T0 + 358999);
	ATF_REQUIRE_EQ(R.nsent, 0);
	cn_engine_timeout(e, T0 + 359000);
	ATF_REQUIRE_EQ(R.nsent, 1);
	ATF_REQUIRE_EQ(sent_mh(0, &p)->type, MH_BRR);
	ATF_CHECK(addr_is(&pkt_inner_ip6(&p)->src, CN));
	ATF_CHECK(addr_is(&pkt_inner_ip6(&p)->dst, HOA));
	ATF_CHECK(pkt_rh2(&p) == NULL);
	ATF_CHECK_EQ(R.set[R.nset - 1].state, CNB_REFRESHING);
	cn_engine_free(e);

	/* already sent before the restart: not again */
	e = engine();
	rec.state = CNB_REFRESHING;
	cn_engine_restore(e, &h, &rec, T0);
	ATF_CHECK_EQ(cn_engine_next_timeout(e), T0 + 399000);
	cn_engine_free(e);
}

/* ------------------------------------------------------ Packet Too Big */

/* Our 1328-byte echo to HOA, dropped by cn.bpf as too big once given its
   RH2, with `mtu` for its sender. */
static void
feed_ptb(struct cn_engine *e, uint32_t mtu, uint64_t now)
{
	struct in6_addr src = tu_in6(CN), dst = tu_in6(HOA);
	struct icmp6_msg *m;
	struct m6_sig sig;
	uint16_t i;

	ATF_REQUIRE(pkt_start_ipv6(&in, &src, &dst, 64) != NULL);
	m = pkt_push_icmp6(&in, ICMP6_T_ECHO_REQUEST, 0);
	ATF_REQUIRE(m != NULL);
	for (i = 0; i < 1280; i++)
		m->body[i] = (uint8_t)(i * 5);
	m->body_len = 1280;
	ATF_REQUIRE(pkt_encode(&in, ibuf, sizeof(ibuf), &ilen) == 0);
	ATF_REQUIRE_EQ(ilen, 1328);
	memset(&sig, 0, sizeof(sig));
	sig.reason = M6S_PTB;
	sig.mtu = mtu;
	sig.caplen = (uint32_t)ilen;
	sig.wirelen = (uint32_t)ilen;
	cn_engine_input(e, &sig, ibuf, now);
}

/* RFC 4443 §3.2: from our address to our address (delivered locally:
   the kernel lowers the path MTU to the HoA), type 2 code 0, the MTU,
   1232 quoted bytes, a checksum that decodes; rate-limited (§2.4 (f)). */
ATF_TC_WITHOUT_HEAD(packet_too_big);
ATF_TC_BODY(packet_too_big, tc)
{
	struct cn_engine *e = engine();
	static struct pkt p;
	size_t i;

	feed_ptb(e, 1476, T0);
	ATF_REQUIRE_EQ(R.nsent, 1);
	ATF_CHECK_EQ(R.sent[0].len, 1280);
	ATF_REQUIRE_EQ(pkt_decode(&p, PKT_LINK_IPV6, R.sent[0].b,
	    R.sent[0].len), 0);
	ATF_CHECK_EQ(p.viol.n, 0);		/* checksum included */
	ATF_REQUIRE(p.has_icmp6);
	ATF_CHECK_EQ(p.icmp6.type, ICMP6_T_PKT_TOO_BIG);
	ATF_CHECK_EQ(p.icmp6.code, 0);
	ATF_CHECK_EQ(p.icmp6.u.mtu, 1476);
	ATF_CHECK(addr_is(&pkt_inner_ip6(&p)->src, CN));
	ATF_CHECK(addr_is(&pkt_inner_ip6(&p)->dst, CN));
	tu_bytes_eq("quote", p.icmp6.body, p.icmp6.body_len, ibuf, 1232);
	ATF_CHECK_EQ(e->cnt.rx_ptb, 1);
	ATF_CHECK_EQ(e->cnt.tx_ptb, 1);
	for (i = 0; i < 20; i++)
		feed_ptb(e, 1476, T0);
	ATF_CHECK_EQ(R.nsent, 10);		/* 10 a second */
	ATF_CHECK_EQ(e->cnt.drop_rate_limited, 11);
	cn_engine_free(e);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, rr_then_bu);
	ATF_TP_ADD_TC(tp, no_ack_no_ba);
	ATF_TP_ADD_TC(tp, lifetime_capped_at_420s);
	ATF_TP_ADD_TC(tp, expired_nonce_statuses);
	ATF_TP_ADD_TC(tp, nonce_valid_240s);
	ATF_TP_ADD_TC(tp, nonce_interval_30s);
	ATF_TP_ADD_TC(tp, sequence_out_of_window);
	ATF_TP_ADD_TC(tp, silent_drops);
	ATF_TP_ADD_TC(tp, home_registration_131);
	ATF_TP_ADD_TC(tp, deregistration);
	ATF_TP_ADD_TC(tp, deregistration_from_home);
	ATF_TP_ADD_TC(tp, kcn_rotation);
	ATF_TP_ADD_TC(tp, be_for_hao_without_binding);
	ATF_TP_ADD_TC(tp, be_unknown_mh_type);
	ATF_TP_ADD_TC(tp, param_problem_payload_proto);
	ATF_TP_ADD_TC(tp, brr_then_expiry);
	ATF_TP_ADD_TC(tp, refresh_after_brr);
	ATF_TP_ADD_TC(tp, no_resources_130);
	ATF_TP_ADD_TC(tp, restore_and_ctl);
	ATF_TP_ADD_TC(tp, restore_brr);
	ATF_TP_ADD_TC(tp, packet_too_big);
	return atf_no_error();
}
