/*
 * fuzz_cn_engine.c - libFuzzer harness for the correspondent node's
 * protocol engine: every input is a ring-buffer record as cn.bpf.c hands
 * it over (struct m6_sig + packet bytes), on virtual time.
 *
 * Input layout: byte 0 picks the record's reason (bit 0: M6S_MH or
 * M6S_BE_HINT) and whether the harness signs a Binding Update for the
 * engine (bit 1: the mobile node's side done right, so forged inputs get
 * past the authenticator into the binding cache, the BA and the timers);
 * byte 1 says how far virtual time advances before the record (0 to 255
 * s, so nonces expire, BRRs and expiry fire); the rest is the packet from
 * its IPv6 header on.
 *
 * The oracle: everything the engine sends must decode with packets/ and
 * without an error-severity violation (the engine builds its packets
 * with the encoder; a malformed one is a bug, found here as an abort).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packets/buf.h"
#include "packets/pkt.h"
#include "packets/rr.h"
#include "packets/viol.h"
#include "stack/cnd/cn_engine.h"
#include "stack/cnd/cn_engine_impl.h"
#include "stack/cnd/cnd_conf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct cn_engine *eng;
static uint64_t now = 1000000;
static struct pkt out, in;

static void
op_send(void *ctx, const uint8_t *p, size_t len)
{
	(void)ctx;
	pkt_decode(&out, PKT_LINK_IPV6, p, len);
	if (viol_count_severity(&out.viol, VS_ERROR) > 0)
		abort();
}

static int
op_bind_set(void *ctx, const struct in6_addr *hoa, const struct m6_cn_bind *b)
{
	(void)ctx;
	(void)hoa;
	return b->lifetime > 200 ? -1 : 0;	/* the kernel refuses some */
}

static void
op_bind_del(void *ctx, const struct in6_addr *hoa)
{
	(void)ctx;
	(void)hoa;
}

static void
op_bus(void *ctx, const struct msock_msg *m)
{
	uint8_t buf[MSOCK_MAX];

	(void)ctx;
	if (msock_encode(m, buf, sizeof buf) <= 0)
		abort();
}

static const struct cn_ops ops = {
	.send = op_send, .bind_set = op_bind_set, .bind_del = op_bind_del,
	.bus = op_bus,
};

static void
setup(void)
{
	struct cnd_conf c;

	cnd_conf_init(&c);
	c.niface = 1;
	c.max_bindings = 64;
	eng = cn_engine_new(&c, &ops, now);
	if (eng == NULL)
		abort();
}

/*
 * The mobile node's side: when the packet is a BU with Nonce Indices and
 * Binding Authorization Data last, point both indices at the engine's
 * current nonce and put in the authenticator the engine expects (tokens
 * from its nonce table and Kcn, RFC 6275 §5.2.5).  The indices are
 * random per run, so the fuzzer could not find them itself.
 */
static void
sign_bu(uint8_t *pkt, size_t len)
{
	const struct mh_opt *ni;
	const struct rr_nonce *hn, *cn;
	const struct hdr_ipv6 *ip;
	const struct hdr *h;
	struct in6_addr hoa, coa;
	uint8_t home[RR_TOKEN_LEN], careof[RR_TOKEN_LEN], kbm[RR_KBM_LEN];
	struct wbuf w;
	bool dereg;

	if (pkt_decode(&in, PKT_LINK_IPV6, pkt, len) != 0 || !in.has_mh ||
	    in.mh.type != MH_BU || (ip = pkt_inner_ip6(&in)) == NULL ||
	    (h = pkt_find_last(&in, HDR_MH)) == NULL ||
	    (ni = mh_find_opt(&in.mh, MHOPT_NI)) == NULL)
		return;
	hoa = pkt_hao(&in) != NULL ? *pkt_hao(&in) : ip->src;
	coa = mh_find_opt(&in.mh, MHOPT_ACOA) != NULL ?
	    mh_find_opt(&in.mh, MHOPT_ACOA)->u.acoa : ip->src;
	dereg = in.mh.u.bu.lifetime == 0 || memcmp(&hoa, &coa, 16) == 0;
	if ((hn = rr_cn_current(&eng->rr, now)) == NULL)
		return;
	wbuf_init(&w, pkt + h->off, h->len);
	w.len = h->len;		/* overwrite in place */
	wbuf_set_u16(&w, ni->off + 2u, hn->index);
	wbuf_set_u16(&w, ni->off + 4u, hn->index);
	cn = hn;
	/* the harness knows no previous Kcn: only current-key nonces */
	if (rr_home_token(eng->rr.kcn, &hoa, hn->nonce, home) != 0 ||
	    (!dereg && rr_careof_token(eng->rr.kcn, &coa, cn->nonce,
	    careof) != 0) ||
	    rr_kbm(home, dereg ? NULL : careof, kbm) != 0)
		return;
	(void)rr_sign_mh(pkt + h->off, h->len, kbm, &coa, &ip->dst,
	    &hoa, &ip->dst);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t pkt[M6_SIG_SNAPLEN];
	struct m6_sig sig;

	if (eng == NULL)
		setup();
	if (size < 2)
		return 0;
	memset(&sig, 0, sizeof sig);
	sig.reason = (data[0] & 1) ? M6S_BE_HINT : M6S_MH;
	sig.ifindex = 2;
	sig.caplen = (uint32_t)(size - 2 > sizeof pkt ? sizeof pkt : size - 2);
	sig.wirelen = sig.caplen;
	memcpy(pkt, data + 2, sig.caplen);
	now += (uint64_t)data[1] * 1000;
	if (cn_engine_next_timeout(eng) <= now)
		cn_engine_timeout(eng, now);
	if (data[0] & 2)
		sign_bu(pkt, sig.caplen);
	cn_engine_input(eng, &sig, pkt, now);
	return 0;
}
