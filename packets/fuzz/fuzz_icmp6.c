/*
 * fuzz_icmp6.c - libFuzzer harness for icmp6_decode() alone: the input is
 * one ICMPv6 message.  It is decoded twice (with pseudo-header addresses,
 * so the checksum is verified, and without), printed in the three forms,
 * and re-encoded as an oracle: with ICMP6_KEEP_CKSUM|ICMP6_KEEP_OPTLEN and
 * every option's keep_len, the encoder must give back the input octet for
 * octet, except the Reserved field of the MTU and Advertisement Interval
 * options, which the model does not keep (written and compared as zeros).
 * The oracle runs when nothing was dropped (no V_TOO_MANY) and no error
 * broke the structure (a too-short message, a bad option length).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packets/buf.h"
#include "packets/icmp6.h"
#include "packets/sbuf.h"
#include "packets/viol.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct icmp6_msg	msg;
static struct viol_list	vl;
static char		text[1 << 15];
static uint8_t		out[1 << 17], want[1 << 17];

static const struct in6_addr src = { { { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0,
    0, 0, 0, 0, 0, 0, 1, 0 } } };
static const struct in6_addr dst = { { { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 1 } } };

static void
print_all(const struct icmp6_msg *m)
{
	struct sbuf sb;
	struct jw jw;

	sbuf_init(&sb, text, sizeof(text));
	icmp6_print_short(&sb, m);
	sbuf_init(&sb, text, sizeof(text));
	icmp6_print_verbose(&sb, m, 2);
	sbuf_init(&sb, text, sizeof(text));
	jw_init(&jw, &sb);
	icmp6_print_json(&jw, NULL, m);
}

static bool
structure_intact(void)
{
	size_t i;
	enum viol_code c;

	for (i = 0; i < vl.n; i++) {
		c = vl.v[i].code;
		if (c == V_TOO_MANY)
			return false;
		if (viol_severity(c) == VS_ERROR && c != V_ICMP6_CODE &&
		    c != V_ND_HOPLIMIT && c != V_HAINFO_LIFETIME_ZERO &&
		    c != V_ICMP6_CHECKSUM)
			return false;
	}
	return !msg.opts_truncated;
}

static void
oracle(const uint8_t *data, size_t size)
{
	struct icmp6_msg *m = &msg;
	struct wbuf w;
	size_t i, o;

	if (!structure_intact())
		return;
	for (i = 0; i < m->nopts && i < ND_OPT_MAX; i++)
		m->opts[i].keep_len = true;
	wbuf_init(&w, out, sizeof(out));
	if (icmp6_encode(m, &w, ICMP6_KEEP_CKSUM | ICMP6_KEEP_OPTLEN, &src,
	    &dst) != 0)
		abort();
	memcpy(want, data, size);
	for (i = 0; i < m->nopts && i < ND_OPT_MAX; i++) {
		o = m->opts[i].off;
		if ((m->opts[i].type == NDOPT_MTU ||
		    m->opts[i].type == NDOPT_ADV_INTERVAL) &&
		    m->opts[i].raw_len == 0 && o + 4 <= size)
			memset(want + o + 2, 0, 2);
	}
	if (w.len != size || memcmp(out, want, size) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rbuf b;

	if (size > 0xffff)	/* an ICMPv6 message fits an IPv6 packet */
		return 0;
	rbuf_init(&b, data, size);
	viol_init(&vl);
	icmp6_decode(&msg, &b, 0, &src, &dst, 255, &vl);
	print_all(&msg);
	rbuf_init(&b, data, size);
	viol_init(&vl);
	if (icmp6_decode(&msg, &b, 0, NULL, NULL, -1, &vl) == 0) {
		print_all(&msg);
		oracle(data, size);
	}
	return 0;
}
