/*
 * stack/mnd/tests/mntest.h - fixtures for the mobile node engine's tests:
 * a fake struct mn_ops that records every packet sent, every mn_hoa /
 * mn_ro / mn_mnp operation, every bus message and every home address
 * placement; a default configuration (home address 2001:db8:1::100/64,
 * HA 2001:db8:1::1); builders for the packets fed in (encoded by the
 * packets/ library, so checksums are real) and for MD_INFO messages;
 * decoders for what comes out.  Header-only: static functions.
 */
#ifndef MIP6_MNTEST_H
#define MIP6_MNTEST_H

#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "packets/pkt.h"
#include "packets/rr.h"
#include "packets/sbuf.h"
#include "packets/tests/testutil.h"
#include "stack/mnd/mn_engine.h"
#include "stack/mnd/mnd_conf.h"

#define MT_T0		1000000u	/* virtual start time, ms */
#define MT_HA		"2001:db8:1::1"
#define MT_HA2		"2001:db8:1::2"
#define MT_HOA		"2001:db8:1::100"
#define MT_COA		"2001:db8:2::200"
#define MT_COA2		"2001:db8:3::300"
#define MT_CN		"2001:db8:9::9"
#define MT_IF		4		/* CoA interface */
#define MT_HOME_IF	3		/* home link interface */
#define MT_MAXSENT	256
#define MT_MAXOPS	128

struct mt_sent {
	unsigned	oif;
	uint64_t	at;
	uint8_t		bytes[1500];
	size_t		len;
};

struct mt_place {
	struct in6_addr	hoa;
	uint8_t		plen;
	unsigned	ifindex;
};

struct mt_rec {
	uint64_t	now;		/* the test's clock, for mt_sent.at */
	size_t		nsent;
	struct mt_sent	sent[MT_MAXSENT];
	size_t		nhoa;
	struct m6_mn_hoa hoa[MT_MAXOPS];
	size_t		nro_set, nro_del;
	struct m6_mn_ro	ro[MT_MAXOPS];
	size_t		nmnp_set, nmnp_del;
	struct mnd_prefix mnp_set[MT_MAXOPS];
	size_t		nbus;
	struct msock_msg bus[MT_MAXOPS];
	size_t		nplace;
	struct mt_place	place[MT_MAXOPS];
};

static struct mt_rec mt;

static void
mt_send(void *ctx, unsigned oif, const uint8_t *pkt, size_t len)
{
	struct mt_sent *s;

	(void)ctx;
	ATF_REQUIRE_MSG(mt.nsent < MT_MAXSENT, "too many packets sent");
	ATF_REQUIRE(len <= sizeof(s->bytes));
	s = &mt.sent[mt.nsent++];
	s->oif = oif;
	s->at = mt.now;
	memcpy(s->bytes, pkt, len);
	s->len = len;
}

static int
mt_hoa_set(void *ctx, const struct in6_addr *hoa, const struct m6_mn_hoa *r)
{
	(void)ctx;
	(void)hoa;
	ATF_REQUIRE(mt.nhoa < MT_MAXOPS);
	mt.hoa[mt.nhoa++] = *r;
	return 0;
}

static int
mt_ro_set(void *ctx, const struct m6_ro_key *k, const struct m6_mn_ro *r)
{
	(void)ctx;
	(void)k;
	ATF_REQUIRE(mt.nro_set < MT_MAXOPS);
	mt.ro[mt.nro_set++] = *r;
	return 0;
}

static void
mt_ro_del(void *ctx, const struct m6_ro_key *k)
{
	(void)ctx;
	(void)k;
	mt.nro_del++;
}

static int
mt_mnp_set(void *ctx, const struct mnd_prefix *p, const struct in6_addr *hoa)
{
	(void)ctx;
	(void)hoa;
	ATF_REQUIRE(mt.nmnp_set < MT_MAXOPS);
	mt.mnp_set[mt.nmnp_set++] = *p;
	return 0;
}

static void
mt_mnp_del(void *ctx, const struct mnd_prefix *p)
{
	(void)ctx;
	(void)p;
	mt.nmnp_del++;
}

static void
mt_bus(void *ctx, const struct msock_msg *m)
{
	(void)ctx;
	ATF_REQUIRE(mt.nbus < MT_MAXOPS);
	mt.bus[mt.nbus++] = *m;
}

static void
mt_place_hoa(void *ctx, const struct in6_addr *hoa, uint8_t plen,
    unsigned ifindex)
{
	(void)ctx;
	ATF_REQUIRE(mt.nplace < MT_MAXOPS);
	mt.place[mt.nplace].hoa = *hoa;
	mt.place[mt.nplace].plen = plen;
	mt.place[mt.nplace].ifindex = ifindex;
	mt.nplace++;
}

static void
mt_log(void *ctx, int prio, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "log<%d> %s\n", prio, msg);
}

static const struct mn_ops mt_ops = {
	.send = mt_send,
	.hoa_set = mt_hoa_set,
	.ro_set = mt_ro_set,
	.ro_del = mt_ro_del,
	.mnp_set = mt_mnp_set,
	.mnp_del = mt_mnp_del,
	.bus = mt_bus,
	.place_hoa = mt_place_hoa,
	.log = mt_log,
};

static void
mt_addr_eq(const struct in6_addr *got, const char *want)
{
	struct in6_addr w = tu_in6(want);
	char g[IN6_STRLEN];

	ATF_CHECK_MSG(memcmp(got, &w, sizeof(w)) == 0, "address %s, want %s",
	    in6_fmt(got, g), want);
}

/* One home address with (ha != NULL) or without a configured HA. */
static void
mt_conf(struct mnd_conf *c, const char *ha)
{
	mnd_conf_init(c);
	c->nhoa = 1;
	c->hoa[0].pfx.addr = tu_in6(MT_HOA);
	c->hoa[0].pfx.plen = 64;
	if (ha != NULL) {
		c->hoa[0].has_ha = true;
		c->hoa[0].ha = tu_in6(ha);
	}
	c->niface = 1;
	snprintf(c->iface[0], sizeof(c->iface[0]), "eth0");
}

static struct mn_engine *
mt_engine(const struct mnd_conf *c)
{
	struct mn_engine *e;
	struct mn_iface ifs[2];

	memset(&mt, 0, sizeof(mt));
	mt.now = MT_T0;
	e = mn_engine_new(c, &mt_ops, MT_T0);
	ATF_REQUIRE(e != NULL);
	memset(ifs, 0, sizeof(ifs));
	ifs[0].ifindex = MT_HOME_IF;
	memcpy(ifs[0].mac, "\x02\x00\x00\x00\x00\x03", 6);
	ifs[1].ifindex = MT_IF;
	memcpy(ifs[1].mac, "\x02\x00\x00\x00\x00\x04", 6);
	mn_engine_set_ifaces(e, ifs, 2);
	return e;
}

/* ------------------------------------------------------------ input */

/* An MD_INFO message (command, CoA when not NULL, ifindex). */
static void
mt_md_msg(struct msock_msg *m, uint32_t cmd, const char *coa,
    unsigned ifindex)
{
	memset(m, 0, sizeof(*m));
	m->version = MSOCK_VERSION;
	m->type = MSOCK_MD_INFO;
	m->command = cmd;
	m->present = 1u << MSA_COMMAND;
	if (coa != NULL) {
		m->coa = tu_in6(coa);
		m->present |= 1u << MSA_COA;
	}
	m->ifindex = ifindex;
	m->present |= 1u << MSA_IFINDEX;
}

static void
mt_md(struct mn_engine *e, uint32_t cmd, const char *coa, unsigned ifindex,
    uint64_t now)
{
	struct msock_msg m;

	mt_md_msg(&m, cmd, coa, ifindex);
	mt.now = now;
	mn_engine_bus(e, &m, now);
}

/* Move to coa (MD_INFO rereg on MT_IF). */
static void
mt_move(struct mn_engine *e, const char *coa, uint64_t now)
{
	mt_md(e, MSOCK_MD_REREG, coa, MT_IF, now);
}

static struct pkt mt_in;

/* Start an IPv6 packet to feed in (with a RH2 when rh2 != NULL). */
static void
mt_ip6(const char *src, const char *dst, const char *rh2)
{
	struct hdr *h;

	pkt_init(&mt_in, PKT_LINK_IPV6);
	h = pkt_push(&mt_in, HDR_IPV6);
	h->u.ip6.src = tu_in6(src);
	h->u.ip6.dst = tu_in6(dst);
	h->u.ip6.hlim = 64;
	if (rh2 != NULL) {
		struct in6_addr a = tu_in6(rh2);

		ATF_REQUIRE(pkt_push_rh2(&mt_in, &a) != NULL);
	}
}

static void
mt_feed_reason(struct mn_engine *e, uint16_t reason, uint64_t now)
{
	static uint8_t buf[2048];
	struct m6_sig sig;
	struct mn_input in;
	size_t len;

	ATF_REQUIRE_EQ(pkt_encode(&mt_in, buf, sizeof(buf), &len), 0);
	memset(&sig, 0, sizeof(sig));
	sig.reason = reason;
	sig.ifindex = MT_IF;
	sig.caplen = (uint32_t)len;
	sig.wirelen = (uint32_t)len;
	in.sig = &sig;
	in.data = buf;
	mt.now = now;
	mn_engine_input(e, &in, now);
}

static void
mt_feed(struct mn_engine *e, uint64_t now)
{
	mt_feed_reason(e, mt_in.has_mh ? M6S_MH : M6S_ICMP_MN, now);
}

/* A BA from the HA to the CoA with RH2 = HoA. */
static void
mt_ba(struct mn_engine *e, const char *from, uint8_t status, uint16_t seq,
    uint16_t lifetime, uint8_t flags, uint64_t now)
{
	struct mh_msg *m;

	mt_ip6(from, MT_COA, MT_HOA);
	m = pkt_push_mh(&mt_in, MH_BA);
	ATF_REQUIRE(m != NULL);
	m->u.ba.status = status;
	m->u.ba.seq = seq;
	m->u.ba.lifetime = lifetime;
	m->u.ba.flags = flags;
	mt_feed(e, now);
}

/* Run the engine's timers up to `now`, in deadline order. */
static void
mt_run(struct mn_engine *e, uint64_t now)
{
	uint64_t t;

	while ((t = mn_engine_next_timeout(e)) <= now) {
		mt.now = t;
		mn_engine_timeout(e, t);
	}
	mt.now = now;
}

/* ----------------------------------------------------------- output */

static void
mt_decode(size_t i, struct pkt *p)
{
	ATF_REQUIRE_MSG(i < mt.nsent, "packet %zu not sent (%zu sent)", i,
	    mt.nsent);
	ATF_REQUIRE_EQ(pkt_decode(p, PKT_LINK_IPV6, mt.sent[i].bytes,
	    mt.sent[i].len), 0);
	ATF_CHECK_MSG(p->viol.n == 0, "sent packet %zu: %zu violations "
	    "(first code %u)", i, p->viol.n,
	    p->viol.n > 0 ? p->viol.v[0].code : 0);
}

/* The last packet sent, decoded; it must be a Mobility Header. */
static const struct mh_msg *
mt_last_mh(struct pkt *p, uint8_t type)
{
	ATF_REQUIRE(mt.nsent > 0);
	mt_decode(mt.nsent - 1, p);
	ATF_REQUIRE_MSG(p->has_mh && p->mh.type == type,
	    "last packet is not MH type %u", type);
	return &p->mh;
}

/* A control request's JSON text. */
static const char *
mt_ctl(struct mn_engine *e, const char *req, uint64_t now)
{
	static char buf[65536];
	struct sbuf sb;
	struct jw jw;

	sbuf_init(&sb, buf, sizeof(buf));
	jw_init(&jw, &sb);
	ATF_CHECK_EQ(mn_engine_ctl(e, req, now, &jw), 0);
	ATF_REQUIRE(!sb.trunc);
	return sbuf_str(&sb);
}

/* The home entry's registration state, by name, from "bul". */
static void
mt_state(struct mn_engine *e, const char *peer, const char *reg,
    const char *rr)
{
	char want[160];
	const char *j = mt_ctl(e, "bul", mt.now);

	snprintf(want, sizeof(want), "\"peer\":\"%s\"", peer);
	ATF_REQUIRE_MSG(strstr(j, want) != NULL, "no entry for %s in %s",
	    peer, j);
	j = strstr(j, want);
	snprintf(want, sizeof(want), "\"reg_state\":\"%s\",\"rr_state\":"
	    "\"%s\"", reg, rr);
	ATF_CHECK_MSG(strncmp(strstr(j, "\"reg_state\""), want,
	    strlen(want)) == 0, "peer %s: want %s in %s", peer, want, j);
}

#endif
