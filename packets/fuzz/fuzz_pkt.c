/*
 * fuzz_pkt.c - libFuzzer harness for the whole-packet decoder: the input
 * is decoded as an Ethernet frame (IPv4, IPv6, ARP or opaque after it; the
 * seeds eth_arp_* hold an ARP request and a padded reply) and as a raw IP
 * packet, each result is printed in the short, verbose and JSON forms
 * and as a violation list into fixed buffers, and then re-encoded as an
 * oracle.
 *
 * The oracle.  With every keep bit set (HDR_KEEP_LEN|HDR_KEEP_NH|
 * HDR_KEEP_CKSUM on each header, MH_KEEP_* with each option's keep_len,
 * ICMP6_KEEP_CKSUM|ICMP6_KEEP_OPTLEN with each option's keep_len) the
 * encoder must reproduce the decoded span exactly: the octets from the
 * first header's offset to the end of the last header, i.e. everything
 * the decoder modelled.  Octets after that span (Ethernet padding,
 * trailing bytes, which the decoder reports) are not part of the model.
 * Inside the span the model deliberately keeps no copy of:
 *   - an opaque payload (HDR_DATA) beyond its first 64 octets,
 *   - the AH Reserved field and ICV,
 *   - the Reserved field of the ND MTU and Advertisement Interval options,
 * which the encoder writes as zeros; those octets are compared as zeros.
 * The oracle runs when the decode kept everything (no V_TOO_MANY, no
 * truncated option lists, no 802.1Q tag with TCI 0, which hdr_eth cannot
 * represent) and no error-severity violation broke the structure; errors
 * about values the model keeps verbatim (checksums, lengths that were
 * kept, codes, hop limits, misplaced options) do not block it.  An
 * out-of-range option value (V_MH_OPT_VALUE, e.g. a Binding Identifier of
 * Length 6) does: the MH model keeps such an option's known fields only.
 *
 * ESP.  The raw decode runs again with the keys of one SA (SPI 0x1000,
 * AES-CBC, HMAC-SHA1-96: the seeds ip6_rh2_ba_esp*), so the opened path
 * is fuzzed.  When an ESP header opened, the oracle seals the decoded
 * packet again with the same SA, IV and sequence number and the result
 * must open to the same headers; otherwise the keyless oracle applies.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packets/buf.h"
#include "packets/pkt.h"
#include "packets/sbuf.h"
#include "packets/viol.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct pkt	pk, re, again;
static char		text[1 << 16];
static uint8_t		out[PKT_MAX_LEN + 64], want[PKT_MAX_LEN + 64];

static void
print_all(const struct pkt *p)
{
	struct sbuf sb;
	struct jw jw;

	sbuf_init(&sb, text, sizeof(text));
	pkt_print_short(&sb, p);
	sbuf_init(&sb, text, sizeof(text));
	pkt_print_verbose(&sb, p);
	sbuf_init(&sb, text, sizeof(text));
	jw_init(&jw, &sb);
	pkt_print_json(&jw, p);
	sbuf_init(&sb, text, sizeof(text));
	pkt_print_violations(&sb, p);
}

/* Errors about values the model keeps verbatim. */
static bool
value_only(enum viol_code c)
{
	switch (c) {
	case V_IP4_IHL:
	case V_IP4_TOTLEN:
	case V_IP4_CHECKSUM:
	case V_IP6_PLEN:
	case V_HBH_NOT_FIRST:
	case V_HAO_LENGTH:
	case V_HAO_MISALIGNED:
	case V_HAO_DUPLICATE:
	case V_HAO_NOT_ALLOWED:
	case V_RH_UNKNOWN_TYPE:
	case V_RH2_LENGTH:
	case V_RH2_SEGLEFT:
	case V_RH2_NOT_ALLOWED:
	case V_RH2_DUPLICATE:
	case V_UDP_LENGTH:
	case V_UDP_CHECKSUM:
	case V_UDP6_ZERO_CHECKSUM:
	case V_ENCAP_VERSION:
	case V_ICMP6_CHECKSUM:
	case V_ICMP6_CODE:
	case V_ND_HOPLIMIT:
	case V_HAINFO_LIFETIME_ZERO:
	case V_MH_CHECKSUM:
	case V_MH_OPT_NOT_ALLOWED:
	case V_MH_OPT_MISALIGNED:
	case V_MH_BAD_NOT_LAST:
		return true;
	default:
		return false;
	}
}

static bool
modelled_whole(const struct pkt *p)
{
	size_t i;

	for (i = 0; i < p->viol.n; i++) {
		if (p->viol.v[i].code == V_TOO_MANY)
			return false;
		if (viol_severity(p->viol.v[i].code) == VS_ERROR &&
		    !value_only(p->viol.v[i].code))
			return false;
	}
	if (p->viol.dropped > 0 || (p->has_mh && p->mh.opts_truncated) ||
	    (p->has_icmp6 && p->icmp6.opts_truncated))
		return false;
	if (p->nhdr > 0 && p->h[0].kind == HDR_ETH && p->h[0].len == 18 &&
	    p->h[0].u.eth.vlan == 0)
		return false;
	return true;
}

static void
zero(uint8_t *buf, size_t from, size_t to, size_t len)
{
	if (to > len)
		to = len;
	if (from < to)
		memset(buf + from, 0, to - from);
}

/* The decoded span with the octets the model does not keep zeroed. */
static size_t
expected(const struct pkt *p, const uint8_t *data)
{
	size_t start = p->h[0].off, end = 0, i, k, o;
	const struct hdr *h;

	for (i = 0; i < p->nhdr; i++)
		if ((size_t)p->h[i].off + p->h[i].len > end)
			end = (size_t)p->h[i].off + p->h[i].len;
	memcpy(want, data, end);
	for (i = 0; i < p->nhdr; i++) {
		h = &p->h[i];
		if (h->kind == HDR_DATA)
			zero(want, h->off + h->u.data.data_len,
			    (size_t)h->off + h->len, end);
		/* ICMPv4: header (8) and the first data octets kept */
		if (h->kind == HDR_ICMP4)
			zero(want, h->off + 8u + h->u.icmp4.data_len,
			    (size_t)h->off + h->len, end);
		if (h->kind == HDR_AH) {
			zero(want, h->off + 2u, h->off + 4u, end);
			zero(want, h->off + 12u, (size_t)h->off + h->len, end);
		}
		if (h->kind != HDR_ICMP6)
			continue;
		for (k = 0; k < p->icmp6.nopts && k < ND_OPT_MAX; k++) {
			o = (size_t)h->off + p->icmp6.opts[k].off;
			if ((p->icmp6.opts[k].type == NDOPT_MTU ||
			    p->icmp6.opts[k].type == NDOPT_ADV_INTERVAL) &&
			    p->icmp6.opts[k].raw_len == 0)
				zero(want, o + 2, o + 4, end);
		}
	}
	memmove(want, want + start, end - start);
	return end - start;
}

static void
oracle(const struct pkt *p, const uint8_t *data)
{
	size_t i, n, len;

	if (p->nhdr == 0 || !modelled_whole(p))
		return;
	memcpy(&re, p, sizeof(re));
	for (i = 0; i < re.nhdr; i++)
		re.h[i].keep = HDR_KEEP_LEN | HDR_KEEP_NH | HDR_KEEP_CKSUM;
	re.mh_keep = MH_KEEP_HDRLEN | MH_KEEP_CKSUM | MH_KEEP_PADDING;
	for (i = 0; i < re.mh.nopts && i < MH_OPT_MAX; i++)
		re.mh.opts[i].keep_len = true;
	re.icmp6_keep = ICMP6_KEEP_CKSUM | ICMP6_KEEP_OPTLEN;
	for (i = 0; i < re.icmp6.nopts && i < ND_OPT_MAX; i++)
		re.icmp6.opts[i].keep_len = true;
	if (pkt_encode(&re, out, sizeof(out), &len) != 0)
		abort();
	n = expected(p, data);
	if (len != n || memcmp(out, want, n) != 0)
		abort();
}

static const struct esp_sa *
fuzz_sa(void)
{
	static struct esp_sa sa;
	static bool done;

	if (!done && pkt_esp_sa_parse("0x1000:aes-cbc:0x0102030405060708090a0b"
	    "0c0d0e0f10:hmac-sha1:0x2122232425262728292a2b2c2d2e2f3031323334",
	    &sa) != NULL)
		abort();
	done = true;
	return &sa;
}

/* Seal the opened packet again (same SA, IV, sequence): it must open to
   the same stack of headers. */
static void
oracle_esp(const struct pkt *p, const uint8_t *data,
    const struct pkt_esp_keys *k)
{
	size_t i, len;

	if (p->viol.dropped > 0 || p->viol.n > 0)
		return;
	memcpy(&re, p, sizeof(re));
	for (i = 0; i < re.nhdr; i++) {
		if (re.h[i].kind != HDR_ESP || !re.h[i].u.ipsec.opened)
			continue;
		re.h[i].u.ipsec.seal = true;
		re.h[i].u.ipsec.sa = *k->sa;
		re.h[i].u.ipsec.have_iv = true;
		memcpy(re.h[i].u.ipsec.iv, data + re.h[i].off + 8, 16);
	}
	if (pkt_encode(&re, out, sizeof(out), &len) != 0)
		return;		/* kept lengths that no longer fit */
	pkt_decode_keys(&again, PKT_LINK_RAW, out, len, len, k);
	if (again.nhdr != p->nhdr)
		abort();
	for (i = 0; i < p->nhdr; i++)
		if (again.h[i].kind != p->h[i].kind ||
		    (p->h[i].kind == HDR_ESP && !again.h[i].u.ipsec.opened))
			abort();
}

static bool
any_opened(const struct pkt *p)
{
	size_t i;

	for (i = 0; i < p->nhdr; i++)
		if (p->h[i].kind == HDR_ESP && p->h[i].u.ipsec.opened)
			return true;
	return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_esp_keys k = { fuzz_sa(), 1 };

	if (size > PKT_MAX_LEN)
		return 0;
	pkt_decode(&pk, PKT_LINK_ETHER, data, size);
	print_all(&pk);
	oracle(&pk, data);
	pkt_decode(&pk, PKT_LINK_RAW, data, size);
	print_all(&pk);
	oracle(&pk, data);
	pkt_decode_keys(&pk, PKT_LINK_RAW, data, size, size, &k);
	print_all(&pk);
	if (any_opened(&pk))
		oracle_esp(&pk, data, &k);
	else
		oracle(&pk, data);
	return 0;
}
