/*
 * testutil.c - shared test helpers (see testutil.h).
 */
#include <arpa/inet.h>
#include <atf-c.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

size_t
tu_hex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *hex != '\0'; hex++) {
		int v = hexval((unsigned char)*hex);

		if (v < 0) {
			if (!isspace((unsigned char)*hex) && *hex != '|')
				atf_tc_fail("bad hex character '%c'", *hex);
			continue;
		}
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap)
			atf_tc_fail("hex literal longer than %zu bytes", cap);
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0)
		atf_tc_fail("odd number of hex digits");
	return n;
}

struct in6_addr
tu_in6(const char *s)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, s, &a) != 1)
		atf_tc_fail("bad IPv6 literal %s", s);
	return a;
}

struct in_addr
tu_in4(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		atf_tc_fail("bad IPv4 literal %s", s);
	return a;
}

static void
hexdump_line(char *out, size_t cap, const uint8_t *p, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 3 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%02x", p[i]);
	out[o] = '\0';
}

void
tu_bytes_eq(const char *what, const uint8_t *got, size_t got_len,
    const uint8_t *want, size_t want_len)
{
	char g[1024], w[1024];
	size_t i, n = got_len < want_len ? got_len : want_len;

	for (i = 0; i < n; i++)
		if (got[i] != want[i])
			break;
	if (i == n && got_len == want_len)
		return;
	hexdump_line(g, sizeof(g), got, got_len);
	hexdump_line(w, sizeof(w), want, want_len);
	atf_tc_fail("%s: differs at offset %zu (got %zu bytes, want %zu)\n"
	    "got  %s\nwant %s", what, i, got_len, want_len, g, w);
}

const char *
tu_srcpath(const char *rel)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", MIP6_SRCDIR, rel);
	return path;
}
