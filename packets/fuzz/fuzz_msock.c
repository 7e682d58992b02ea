/*
 * fuzz_msock.c - libFuzzer harness for the bus message codec (msock.c):
 * msock_decode() on arbitrary bytes must never read out of bounds, and
 * whatever it accepts must survive every other path unchanged: encoded
 * again it decodes to the same message, both printers fit a line, and the
 * text printer's line read back by msock_from_text() (msockwatch -s)
 * encodes to the same bytes.  Seeds: packets/fuzz/corpus/msock/ (the
 * golden vectors of packets/tests/msock_test.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packets/msock.h"
#include "packets/sbuf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_text(const struct msock_msg *m, const uint8_t *enc, int len)
{
	static char line[4096], json[8192];
	uint8_t again[MSOCK_MAX];
	struct msock_msg t;
	struct sbuf sb;
	struct jw jw;
	char err[128];

	sbuf_init(&sb, json, sizeof(json));
	jw_init(&jw, &sb);
	msock_json(&jw, m);
	if (sb.trunc || jw.depth != 0)
		abort();
	sbuf_init(&sb, line, sizeof(line));
	msock_print(&sb, m);
	if (sb.trunc)
		abort();
	if (msock_from_text(&t, line, err, sizeof(err)) < 0)
		abort();
	if (msock_encode(&t, again, sizeof(again)) != len ||
	    memcmp(again, enc, (size_t)len) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t enc[MSOCK_MAX];
	struct msock_msg m, m2;
	int len;

	if (msock_decode(data, size, &m) != MSOCK_OK)
		return 0;
	/* what decodes encodes, and decodes to the same message */
	len = msock_encode(&m, enc, sizeof(enc));
	if (len < MSOCK_HDRLEN || (size_t)len > size)
		abort();
	if (msock_decode(enc, (size_t)len, &m2) != MSOCK_OK ||
	    memcmp(&m, &m2, sizeof(m)) != 0)
		abort();
	check_text(&m, enc, len);
	return 0;
}
