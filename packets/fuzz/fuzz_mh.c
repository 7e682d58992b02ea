/*
 * fuzz_mh.c - libFuzzer harness for the Mobility Header codec (mh.c,
 * mh_opt.c, mh_print.c).
 *
 * Input: when it holds at least 32 bytes, the first 16 are the pseudo-header
 * source and the next 16 the destination (so the checksum path runs) and
 * the MH is the rest; shorter inputs are an MH alone.  Each input is
 * decoded and printed in all three forms into fixed buffers.
 *
 * Oracles (abort() on failure):
 * 1. Fidelity: a message that decoded (mh_decode returned 0) with no
 *    violation that loses bytes - truncation, an option past the end or of
 *    the wrong length or size, more options than kept, or a full violation
 *    list - re-encodes with MH_KEEP_PADDING|MH_KEEP_HDRLEN|MH_KEEP_CKSUM to
 *    exactly its msg->len input bytes.  This includes every input with no
 *    VS_ERROR violation, and also those whose only errors (checksum,
 *    placement, alignment, order) do not change what the bytes say.
 * 2. Canonical form: the same message encoded in the automatic mode is a
 *    multiple of 8 bytes and decodes without any alignment, padding or
 *    Header Len violation (nor a length one, unless the input had one).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packets/buf.h"
#include "packets/mh.h"
#include "packets/sbuf.h"
#include "packets/viol.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct mh_msg msg, again;
static uint8_t out[MH_MAX_LEN + 1024];
static char text[1 << 16];

static bool
has_any(const struct viol_list *vl, const enum viol_code *codes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (viol_has(vl, codes[i]))
			return true;
	return false;
}

static void
print_all(const struct mh_msg *m, const struct in6_addr *hao)
{
	struct mh_print_ctx ctx = { hao, hao };
	struct sbuf sb;
	struct jw jw;

	sbuf_init(&sb, text, 512);
	mh_print_short(&sb, m, &ctx);
	sbuf_init(&sb, text, sizeof(text));
	mh_print_short(&sb, m, NULL);
	if (memchr(text, '\n', sb.len) != NULL)
		abort();
	sbuf_init(&sb, text, sizeof(text));
	mh_print_verbose(&sb, m, 2);
	sbuf_init(&sb, text, 256);
	mh_print_verbose(&sb, m, 0);
	sbuf_init(&sb, text, sizeof(text));
	jw_init(&jw, &sb);
	mh_print_json(&jw, "mh", m);
}

/* Oracle 1: the bytes come back unchanged. */
static void
check_fidelity(const uint8_t *mh, const struct viol_list *vl)
{
	static const enum viol_code lossy[] = {
		V_TRUNCATED, V_MH_HDRLEN_PAST_END, V_MH_OPT_PAST_END,
		V_MH_OPT_LENGTH, V_MH_OPT_VALUE, V_TOO_MANY,
	};
	struct wbuf w;

	if (vl->dropped > 0 || msg.opts_truncated ||
	    has_any(vl, lossy, sizeof(lossy) / sizeof(lossy[0])))
		return;
	wbuf_init(&w, out, sizeof(out));
	if (mh_encode(&msg, &w, MH_KEEP_PADDING | MH_KEEP_HDRLEN |
	    MH_KEEP_CKSUM, NULL) != 0)
		abort();
	if (w.len != msg.len || memcmp(out, mh, w.len) != 0)
		abort();
}

/*
 * Oracle 2: the automatic mode produces a well-formed message.  Option
 * lengths are recomputed from the content, which fixes every fixed-size
 * option; a variable option (a BAD authenticator) that had the wrong size
 * keeps it, so the length check applies when the input's lengths were right.
 */
static void
check_canonical(const struct viol_list *orig)
{
	static const enum viol_code bad[] = {
		V_MH_OPT_MISALIGNED, V_MH_PAD_NONZERO, V_MH_PAD_EXCESS,
		V_MH_OPT_PAST_END, V_MH_HDRLEN_PAST_END, V_MH_HDRLEN_SHORT,
		V_TRUNCATED,
	};
	struct viol_list vl;
	struct wbuf w;
	struct rbuf b;

	wbuf_init(&w, out, sizeof(out));
	if (mh_encode(&msg, &w, 0, NULL) != 0)
		return;		/* grew past MH_MAX_LEN with its padding */
	if (w.len % 8 != 0 || w.len > MH_MAX_LEN)
		abort();
	rbuf_init(&b, out, w.len);
	viol_init(&vl);
	if (mh_decode(&again, &b, 0, NULL, &vl) != 0)
		abort();
	if (again.len != w.len ||
	    has_any(&vl, bad, sizeof(bad) / sizeof(bad[0])))
		abort();
	if (viol_has(&vl, V_MH_OPT_LENGTH) && !viol_has(orig, V_MH_OPT_LENGTH) &&
	    orig->dropped == 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct in6_addr src, dst;
	struct mh_addrs addrs = { NULL, NULL };
	struct viol_list vl;
	struct rbuf b;
	int rc;

	if (len >= 32) {
		memcpy(src.s6_addr, data, 16);
		memcpy(dst.s6_addr, data + 16, 16);
		addrs.src = &src;
		addrs.dst = &dst;
		data += 32;
		len -= 32;
	}
	rbuf_init(&b, data, len);
	viol_init(&vl);
	rc = mh_decode(&msg, &b, 32, &addrs, &vl);
	if (msg.len > len || rbuf_left(&b) != len - msg.len)
		abort();
	print_all(&msg, addrs.src);
	if (rc != 0)
		return 0;
	check_fidelity(data, &vl);
	check_canonical(&vl);
	return 0;
}
