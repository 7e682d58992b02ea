/*
 * stack/had/tests/engtest.h - fixtures for the engine's test programs: a
 * fake struct ha_ops that records every packet sent and every forwarding
 * map operation (with switches to make the kernel refuse), a default
 * configuration (virtual home link 2001:db8:1::/64, HA 2001:db8:1::1),
 * builders for the Binding Updates and other packets fed in (encoded by
 * the packets/ library, so checksums are real), and decoders for what
 * comes out.  Header-only: static functions.
 */
#ifndef MIP6_ENGTEST_H
#define MIP6_ENGTEST_H

#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "packets/pkt.h"
#include "packets/rr.h"
#include "packets/sbuf.h"
#include "packets/tests/testutil.h"
#include "stack/had/ha_engine.h"
#include "stack/had/had_conf.h"
#include "stack/had/tests/haconf.h"

#define ET_T0		1000000u	/* virtual start time, ms */
#define ET_HA		"2001:db8:1::1"
#define ET_HOA		"2001:db8:1::100"
#define ET_COA		"2001:db8:2::200"
#define ET_MAXSENT	512
#define ET_MAXOPS	64

struct et_sent {
	unsigned	oif;
	uint8_t		bytes[1500];
	size_t		len;
};

struct et_bindop {
	struct in6_addr	hoa;
	struct m6_bind	rec;
};

struct et_mnpop {
	struct had_prefix p;
	struct in6_addr	hoa;
};

struct et_rec {
	size_t		nsent;
	struct et_sent	sent[ET_MAXSENT];
	size_t		nset;
	struct et_bindop set[ET_MAXOPS];
	size_t		ndel;
	struct in6_addr	del[ET_MAXOPS];
	size_t		nmnp_set;
	struct et_mnpop	mnp_set[ET_MAXOPS];
	size_t		nmnp_del;
	struct had_prefix mnp_del[ET_MAXOPS];
	int		bind_set_rc;	/* what bind_set answers */
	int		mnp_set_rc;
	size_t		nlog;
	char		log[32][256];
};

static struct et_rec et;

static void
et_send(void *ctx, unsigned oif, const uint8_t *pkt, size_t len)
{
	struct et_sent *s;

	(void)ctx;
	ATF_REQUIRE_MSG(et.nsent < ET_MAXSENT, "too many packets sent");
	ATF_REQUIRE(len <= sizeof(s->bytes));
	s = &et.sent[et.nsent++];
	s->oif = oif;
	memcpy(s->bytes, pkt, len);
	s->len = len;
}

static int
et_bind_set(void *ctx, const struct in6_addr *hoa, const struct m6_bind *b)
{
	(void)ctx;
	ATF_REQUIRE(et.nset < ET_MAXOPS);
	et.set[et.nset].hoa = *hoa;
	et.set[et.nset].rec = *b;
	et.nset++;
	return et.bind_set_rc;
}

static void
et_bind_del(void *ctx, const struct in6_addr *hoa)
{
	(void)ctx;
	ATF_REQUIRE(et.ndel < ET_MAXOPS);
	et.del[et.ndel++] = *hoa;
}

static int
et_mnp_set(void *ctx, const struct had_prefix *p, const struct in6_addr *hoa)
{
	(void)ctx;
	ATF_REQUIRE(et.nmnp_set < ET_MAXOPS);
	et.mnp_set[et.nmnp_set].p = *p;
	et.mnp_set[et.nmnp_set].hoa = *hoa;
	et.nmnp_set++;
	return et.mnp_set_rc;
}

static void
et_mnp_del(void *ctx, const struct had_prefix *p)
{
	(void)ctx;
	ATF_REQUIRE(et.nmnp_del < ET_MAXOPS);
	et.mnp_del[et.nmnp_del++] = *p;
}

static void
et_ndp_watch(void *ctx, const struct in6_addr *target, uint32_t flags)
{
	(void)ctx;
	(void)target;
	(void)flags;
}

static void
et_log(void *ctx, int prio, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "log<%d> %s\n", prio, msg);
	if (et.nlog < sizeof(et.log) / sizeof(et.log[0]))
		snprintf(et.log[et.nlog++], sizeof(et.log[0]), "%s", msg);
}

static const struct ha_ops et_ops = {
	.ctx = NULL,
	.send = et_send,
	.bind_set = et_bind_set,
	.bind_del = et_bind_del,
	.mnp_set = et_mnp_set,
	.mnp_del = et_mnp_del,
	.ndp_watch = et_ndp_watch,
	.log = et_log,
};

static bool
et_in6_eq(const struct in6_addr *a, const char *b)
{
	struct in6_addr w = tu_in6(b);

	return memcmp(a, &w, sizeof(w)) == 0;
}

static void
et_addr_eq(const struct in6_addr *got, const char *want)
{
	char g[IN6_STRLEN];

	ATF_CHECK_MSG(et_in6_eq(got, want), "address %s, want %s",
	    in6_fmt(got, g), want);
}

static void
et_m6_eq(const struct m6_in6 *got, const char *want)
{
	struct in6_addr a;

	memcpy(a.s6_addr, got->b, sizeof(got->b));
	et_addr_eq(&a, want);
}

/* The default configuration: open virtual home link, no auth. */
static void
et_conf(struct had_conf *c)
{
	struct in6_addr ha = tu_in6(ET_HA);

	haconf_open_virtual(c, &ha);
	c->rate_be = 10;
	c->rate_icmp = 10;
}

/* Add a mobile node entry (policy allow) and return it. */
static struct had_mn *
et_conf_mn(struct had_conf *c, const char *hoa)
{
	struct had_mn *mn;

	c->mn = realloc(c->mn, (c->nmn + 1) * sizeof(*c->mn));
	ATF_REQUIRE(c->mn != NULL);
	mn = &c->mn[c->nmn++];
	memset(mn, 0, sizeof(*mn));
	mn->hoa = tu_in6(hoa);
	mn->policy = HAD_ALLOW;
	return mn;
}

static struct ha_engine *
et_engine(const struct had_conf *c)
{
	struct ha_engine *e;

	memset(&et, 0, sizeof(et));
	e = ha_engine_new(c, &et_ops, ET_T0);
	ATF_REQUIRE(e != NULL);
	return e;
}

/* --------------------------------------------------------- input */

static struct pkt et_in;	/* the packet being built */

/* Start an IPv6 packet (with a HAO when hoa is not NULL). */
static void
et_ip6(const char *src, const char *dst, const char *hoa)
{
	struct hdr *h;

	pkt_init(&et_in, PKT_LINK_IPV6);
	h = pkt_push(&et_in, HDR_IPV6);
	h->u.ip6.src = tu_in6(src);
	h->u.ip6.dst = tu_in6(dst);
	h->u.ip6.hlim = 64;
	if (hoa != NULL) {
		struct in6_addr a = tu_in6(hoa);

		ATF_REQUIRE(pkt_push_hao(&et_in, &a) != NULL);
	}
}

/* A BU from coa to the HA with a HAO (hoa NULL: sent from home). */
static struct mh_msg *
et_bu(const char *coa, const char *hoa, uint16_t seq, uint16_t flags,
    uint16_t lifetime)
{
	struct mh_msg *m;

	et_ip6(coa, ET_HA, hoa);
	m = pkt_push_mh(&et_in, MH_BU);
	ATF_REQUIRE(m != NULL);
	m->u.bu.seq = seq;
	m->u.bu.flags = flags;
	m->u.bu.lifetime = lifetime;
	return m;
}

static void
et_feed_bytes(struct ha_engine *e, const uint8_t *buf, size_t len,
    uint16_t reason, unsigned ifindex, uint64_t now)
{
	struct m6_sig sig;
	struct ha_input in;

	memset(&sig, 0, sizeof(sig));
	sig.reason = reason;
	sig.ifindex = ifindex;
	sig.caplen = (uint32_t)len;
	sig.wirelen = (uint32_t)len;
	in.sig = &sig;
	in.data = buf;
	ha_engine_input(e, &in, now);
}

static uint8_t et_buf[2048];
static size_t et_len;

static void
et_encode(void)
{
	ATF_REQUIRE_EQ(pkt_encode(&et_in, et_buf, sizeof(et_buf), &et_len), 0);
}

/* Encode the packet being built and feed it in (as from ifindex 2). */
static void
et_feed(struct ha_engine *e, uint64_t now)
{
	uint16_t reason = M6S_MH;

	et_encode();
	if (!et_in.has_mh)
		reason = pkt_hao(&et_in) != NULL ? M6S_HAO : M6S_ICMP_HA;
	et_feed_bytes(e, et_buf, et_len, reason, 2, now);
}

/* The Type octet offset of an MH option in encoded MH bytes. */
static size_t
et_opt_off(const uint8_t *mh, size_t len, uint8_t type)
{
	size_t off = 12;

	while (off + 1 < len) {
		if (mh[off] == type)
			return off;
		off += mh[off] == 0 ? 1 : 2u + mh[off + 1];
	}
	atf_tc_fail("option %u not found", type);
	return 0;
}

/*
 * Add the RFC 4285 options (MN-ID, authentication) to the BU being built
 * and sign it with key for (coa, hoa).
 */
static void
et_sign_bu(const char *id, uint32_t spi, const char *key, const char *coa,
    const char *hoa)
{
	struct mh_opt *o;
	struct in6_addr c = tu_in6(coa), h = tu_in6(hoa);
	const struct hdr *mh;
	uint8_t out[AUTH4285_LEN];
	size_t off;
	struct pkt d;

	o = mh_add_opt(&et_in.mh, MHOPT_MNID);
	o->u.mnid.subtype = MHOPT_MNID_NAI;
	o->var_len = (uint8_t)strlen(id);
	memcpy(o->var, id, o->var_len);
	o = mh_add_opt(&et_in.mh, MHOPT_AUTH);
	o->u.auth.subtype = MHOPT_AUTH_MN_HA;
	o->u.auth.spi = spi;
	o->var_len = AUTH4285_LEN;
	et_encode();
	ATF_REQUIRE_EQ(pkt_decode(&d, PKT_LINK_IPV6, et_buf, et_len), 0);
	mh = pkt_find_last(&d, HDR_MH);
	ATF_REQUIRE(mh != NULL);
	off = et_opt_off(et_buf + mh->off, et_len - mh->off, MHOPT_AUTH);
	ATF_REQUIRE_EQ(auth4285_compute((const uint8_t *)key, strlen(key),
	    &c, &h, et_buf + mh->off, off + 7, out), 0);
	memcpy(et_in.mh.opts[et_in.mh.nopts - 1].var, out, sizeof(out));
}

/* --------------------------------------------------------- output */

/* Decode sent packet i, which must be free of violations. */
static void
et_decode(size_t i, struct pkt *p)
{
	ATF_REQUIRE_MSG(i < et.nsent, "packet %zu not sent (%zu sent)", i,
	    et.nsent);
	ATF_REQUIRE_EQ(pkt_decode(p, PKT_LINK_IPV6, et.sent[i].bytes,
	    et.sent[i].len), 0);
	ATF_CHECK_MSG(p->viol.n == 0, "sent packet %zu: %zu violations "
	    "(first code %u)", i, p->viol.n,
	    p->viol.n > 0 ? p->viol.v[0].code : 0);
}

/* Index of the n-th (0-based) sent MH of `type`, or -1. */
static long
et_find_mh(uint8_t type, size_t nth)
{
	struct pkt p;
	size_t i;

	for (i = 0; i < et.nsent; i++) {
		if (pkt_decode(&p, PKT_LINK_IPV6, et.sent[i].bytes,
		    et.sent[i].len) != 0 || !p.has_mh || p.mh.type != type)
			continue;
		if (nth-- == 0)
			return (long)i;
	}
	return -1;
}

static size_t
et_count_mh(uint8_t type)
{
	size_t n = 0;

	while (et_find_mh(type, n) >= 0)
		n++;
	return n;
}

/* The n-th BA sent: decoded into p, status and sequence checked. */
static const struct mh_msg *
et_ba(struct pkt *p, size_t nth, uint8_t status, uint16_t seq)
{
	long i = et_find_mh(MH_BA, nth);

	ATF_REQUIRE_MSG(i >= 0, "BA #%zu not sent", nth);
	et_decode((size_t)i, p);
	ATF_CHECK_EQ_MSG(p->mh.u.ba.status, status, "BA status %u, want %u",
	    p->mh.u.ba.status, status);
	ATF_CHECK_EQ_MSG(p->mh.u.ba.seq, seq, "BA seq %u, want %u",
	    p->mh.u.ba.seq, seq);
	return &p->mh;
}

/* Run the engine's timers up to `now`, in deadline order. */
static void
et_run(struct ha_engine *e, uint64_t now)
{
	uint64_t t;

	while ((t = ha_engine_next_timeout(e)) <= now)
		ha_engine_timeout(e, t);
}

/* A control request's JSON text. */
static const char *
et_ctl(struct ha_engine *e, const char *req, uint64_t now, int want_rc)
{
	static char buf[65536];
	struct sbuf sb;
	struct jw jw;

	sbuf_init(&sb, buf, sizeof(buf));
	jw_init(&jw, &sb);
	ATF_CHECK_EQ(ha_engine_ctl(e, req, now, &jw), want_rc);
	ATF_REQUIRE(!sb.trunc);
	return sbuf_str(&sb);
}

#endif
