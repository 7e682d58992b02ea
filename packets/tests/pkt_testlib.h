/*
 * pkt_testlib.h - helpers for the packet-stack tests (ip6_test, icmp6_test,
 * pkt_test): decode a hex literal, assert the exact violation list (codes
 * and offsets, in order), re-encode and compare, print and compare.
 * Header-only (static inline) so each test program takes what it uses.
 */
#ifndef MIP6_PKT_TESTLIB_H
#define MIP6_PKT_TESTLIB_H

#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "packets/pkt.h"
#include "packets/sbuf.h"
#include "packets/viol.h"
#include "testutil.h"

/* Addresses of wire-formats.md §8 (MN, HA, CN). */
#define A_HOA	"20010db8000100000000000000000100"	/* 2001:db8:1::100 */
#define A_COA	"20010db8000200000000000000000100"	/* 2001:db8:2::100 */
#define A_HA	"20010db8000100000000000000000001"	/* 2001:db8:1::1 */
#define A_CN	"20010db8000300000000000000000005"	/* 2001:db8:3::5 */

struct want_viol {
	enum viol_code	code;
	uint32_t	off;
};

#define TH_MAXPKT	4096

/* Decode `hex` (into buf) as link type `link`; returns pkt_decode's rc. */
static inline int
th_decode(struct pkt *p, enum pkt_link link, const char *hex, uint8_t *buf,
    size_t *len)
{
	*len = tu_hex(hex, buf, TH_MAXPKT);
	return pkt_decode(p, link, buf, *len);
}

static inline const char *
th_vl_text(const struct viol_list *vl)
{
	static char text[4096];
	struct sbuf sb;
	size_t i;

	sbuf_init(&sb, text, sizeof(text));
	for (i = 0; i < vl->n; i++) {
		viol_format(&sb, &vl->v[i]);
		sbuf_printf(&sb, " [%s] at offset %u\n",
		    viol_name(vl->v[i].code), vl->v[i].off);
	}
	return text;
}

/* The violation list must be exactly `w` (code and offset, in order). */
static inline void
th_vl(const struct viol_list *vl, const struct want_viol *w, size_t n)
{
	size_t i;
	bool same = vl->n == n;

	for (i = 0; same && i < n; i++)
		same = vl->v[i].code == w[i].code && vl->v[i].off == w[i].off;
	if (same)
		return;
	fprintf(stderr, "want:");
	for (i = 0; i < n; i++)
		fprintf(stderr, " %s@%u", viol_name(w[i].code), w[i].off);
	fprintf(stderr, "\ngot:\n%s", th_vl_text(vl));
	atf_tc_fail("violation list differs (see stderr)");
}

#define TH_VL(vl, ...)							\
	th_vl((vl), (const struct want_viol[]){ __VA_ARGS__ },		\
	    sizeof((const struct want_viol[]){ __VA_ARGS__ }) /		\
	    sizeof(struct want_viol))
#define TH_VIOLS(p, ...)	TH_VL(&(p)->viol, __VA_ARGS__)

static inline void
th_no_vl(const struct viol_list *vl)
{
	if (vl->n == 0)
		return;
	fprintf(stderr, "unexpected violations:\n%s", th_vl_text(vl));
	atf_tc_fail("unexpected violations (see stderr)");
}

#define th_no_viols(p)	th_no_vl(&(p)->viol)

/* The i-th violation's numbers and string. */
static inline void
th_vl_args(const struct viol_list *vl, size_t i, uint32_t a, uint32_t b,
    const char *s)
{
	ATF_REQUIRE(i < vl->n);
	ATF_CHECK_EQ(vl->v[i].a, a);
	ATF_CHECK_EQ(vl->v[i].b, b);
	if (s != NULL)
		ATF_CHECK_STREQ(vl->v[i].s, s);
}

#define th_viol_args(p, i, a, b, s)	th_vl_args(&(p)->viol, i, a, b, s)

/* Encode p and compare with want[0..n). */
static inline void
th_encode_eq(const char *what, const struct pkt *p, const uint8_t *want,
    size_t n)
{
	uint8_t out[TH_MAXPKT];
	size_t len = 0;

	ATF_REQUIRE_EQ_MSG(pkt_encode(p, out, sizeof(out), &len), 0,
	    "%s: pkt_encode failed", what);
	tu_bytes_eq(what, out, len, want, n);
}

/*
 * The decoded packet re-encodes to the same bytes twice: with every field
 * computed by the encoder (the golden is canonical) and with every keep
 * bit set (the fields as decoded).
 */
static inline void
th_roundtrip(struct pkt *p, const uint8_t *want, size_t n)
{
	static struct pkt k;
	size_t i;

	th_encode_eq("re-encode (computed fields)", p, want, n);
	memcpy(&k, p, sizeof(k));
	for (i = 0; i < k.nhdr; i++)
		k.h[i].keep = HDR_KEEP_LEN | HDR_KEEP_NH | HDR_KEEP_CKSUM;
	k.mh_keep = MH_KEEP_HDRLEN | MH_KEEP_CKSUM | MH_KEEP_PADDING;
	k.icmp6_keep = ICMP6_KEEP_CKSUM;
	th_encode_eq("re-encode (kept fields)", &k, want, n);
}

static inline void
th_short(const struct pkt *p, const char *want)
{
	char text[2048];
	struct sbuf sb;

	sbuf_init(&sb, text, sizeof(text));
	pkt_print_short(&sb, p);
	ATF_CHECK_STREQ(sbuf_str(&sb), want);
}

static inline void
th_in6_eq(const struct in6_addr *got, const char *want)
{
	struct in6_addr w = tu_in6(want);
	char g[IN6_STRLEN];

	ATF_REQUIRE(got != NULL);
	ATF_CHECK_MSG(memcmp(got, &w, sizeof(w)) == 0, "address %s, want %s",
	    in6_fmt(got, g), want);
}

#endif
