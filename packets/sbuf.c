/*
 * sbuf.c - bounded text output and the JSON writer (see sbuf.h).
 *
 * Address formatting is done here rather than with inet_ntop(3) because the
 * capture decoder prints several addresses per packet at millions of packets
 * per second; the output is the RFC 5952 canonical form either way.
 */
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sbuf.h"

static const char hexdig[] = "0123456789abcdef";

void
sbuf_init(struct sbuf *sb, char *buf, size_t cap)
{
	sb->buf = buf;
	sb->cap = cap;
	sb->len = 0;
	sb->trunc = false;
	if (cap > 0)
		buf[0] = '\0';
}

void
sbuf_reset(struct sbuf *sb)
{
	sbuf_init(sb, sb->buf, sb->cap);
}

const char *
sbuf_str(const struct sbuf *sb)
{
	return sb->cap > 0 ? sb->buf : "";
}

void
sbuf_putn_slow(struct sbuf *sb, const char *s, size_t n)
{
	size_t room;

	if (sb->cap == 0) {
		sb->trunc = true;
		return;
	}
	room = sb->cap - 1 - sb->len;
	if (n > room) {
		n = room;
		sb->trunc = true;
	}
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void
sbuf_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	if (sb->cap == 0) {
		sb->trunc = true;
		return;
	}
	room = sb->cap - sb->len;
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->len, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= room) {
		sb->len = sb->cap - 1;
		sb->trunc = true;
	} else
		sb->len += (size_t)n;
}

static size_t
count_digits(uint64_t v)
{
	size_t n = 1;

	for (; v >= 10000; v /= 10000)
		n += 4;
	if (v >= 1000)
		return n + 3;
	if (v >= 100)
		return n + 2;
	return v >= 10 ? n + 1 : n;
}

static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

/* Write the n decimal digits of v ending at d[n-1], two per division. */
static void
put_digits(char *d, size_t n, uint64_t v)
{
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);

		v /= 100;
		d[--n] = digit_pairs[2 * r + 1];
		d[--n] = digit_pairs[2 * r];
	}
	if (v >= 10) {
		d[--n] = digit_pairs[2 * v + 1];
		d[--n] = digit_pairs[2 * v];
	} else
		d[--n] = (char)('0' + v);
}

void
sbuf_uint(struct sbuf *sb, uint64_t v)
{
	char tmp[24];
	size_t n = count_digits(v);

	if (sb->len + n < sb->cap) {
		/* in place: every number of every printed packet comes here */
		put_digits(sb->buf + sb->len, n, v);
		sb->len += n;
		sb->buf[sb->len] = '\0';
		return;
	}
	put_digits(tmp, n, v);
	sbuf_putn(sb, tmp, n);
}

void
sbuf_int(struct sbuf *sb, int64_t v)
{
	if (v < 0) {
		sbuf_putc(sb, '-');
		sbuf_uint(sb, (uint64_t)0 - (uint64_t)v);
	} else
		sbuf_uint(sb, (uint64_t)v);
}

void
sbuf_hex(struct sbuf *sb, const uint8_t *p, size_t n)
{
	char tmp[64];
	size_t i, t = 0;

	for (i = 0; i < n; i++) {
		tmp[t++] = hexdig[p[i] >> 4];
		tmp[t++] = hexdig[p[i] & 0xf];
		if (t == sizeof(tmp)) {
			sbuf_putn(sb, tmp, t);
			t = 0;
		}
	}
	sbuf_putn(sb, tmp, t);
}

void
sbuf_hex16(struct sbuf *sb, uint16_t v)
{
	char tmp[6] = { '0', 'x', hexdig[v >> 12], hexdig[(v >> 8) & 0xf],
	    hexdig[(v >> 4) & 0xf], hexdig[v & 0xf] };

	sbuf_putn(sb, tmp, sizeof(tmp));
}

/* Append one 16-bit group without leading zeros; returns its length. */
static size_t
put_group(char *out, unsigned g)
{
	size_t n = 0;

	if (g >= 0x1000)
		out[n++] = hexdig[g >> 12];
	if (g >= 0x100)
		out[n++] = hexdig[(g >> 8) & 0xf];
	if (g >= 0x10)
		out[n++] = hexdig[(g >> 4) & 0xf];
	out[n++] = hexdig[g & 0xf];
	return n;
}

/* Find the longest run (>= 2) of zero groups, RFC 5952 §4.2. */
static void
longest_zero_run(const unsigned g[8], int *start, int *len)
{
	int i, cur = -1, curlen = 0;

	*start = -1;
	*len = 0;
	for (i = 0; i < 8; i++) {
		if (g[i] == 0) {
			if (cur < 0)
				cur = i;
			curlen++;
			if (curlen > *len) {
				*start = cur;
				*len = curlen;
			}
		} else {
			cur = -1;
			curlen = 0;
		}
	}
	if (*len < 2) {
		*start = -1;
		*len = 0;
	}
}

/* IPv4-mapped addresses keep the dotted tail, as inet_ntop does. */
static bool
is_v4mapped(const uint8_t *b)
{
	static const uint8_t pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };

	return memcmp(b, pfx, sizeof(pfx)) == 0;
}

const char *
in6_fmt(const struct in6_addr *a, char out[IN6_STRLEN])
{
	const uint8_t *b = a->s6_addr;
	unsigned g[8];
	int i, zstart, zlen;
	size_t n = 0;

	if (is_v4mapped(b)) {
		snprintf(out, IN6_STRLEN, "::ffff:%u.%u.%u.%u", b[12], b[13],
		    b[14], b[15]);
		return out;
	}
	for (i = 0; i < 8; i++)
		g[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
	longest_zero_run(g, &zstart, &zlen);
	for (i = 0; i < 8; i++) {
		if (i == zstart) {
			out[n++] = ':';
			if (i == 0)
				out[n++] = ':';
			i += zlen - 1;
			continue;
		}
		n += put_group(out + n, g[i]);
		if (i < 7)
			out[n++] = ':';
	}
	out[n] = '\0';
	return out;
}

/*
 * A capture holds few distinct addresses (a handful of nodes), and the
 * printers format several per packet, so sbuf_in6 keeps the last texts in
 * a small direct-mapped cache.  Per thread: the library has no shared
 * mutable state.
 */
#define IN6_CACHE_SLOTS	64

struct in6_cache_slot {
	uint8_t	addr[16];
	uint8_t	len;		/* 0: empty */
	char	text[IN6_STRLEN];
};

static _Thread_local struct in6_cache_slot in6_cache[IN6_CACHE_SLOTS];

static unsigned
in6_hash(const uint8_t *b)
{
	uint32_t w[4];

	memcpy(w, b, sizeof(w));
	w[0] ^= w[1] ^ w[2] ^ w[3];
	return (w[0] ^ (w[0] >> 11) ^ (w[0] >> 22)) % IN6_CACHE_SLOTS;
}

/* The address's text, from the cache or formatted into it. */
static const struct in6_cache_slot *
in6_cached(const struct in6_addr *a)
{
	struct in6_cache_slot *slot = &in6_cache[in6_hash(a->s6_addr)];

	if (slot->len == 0 || memcmp(slot->addr, a->s6_addr, 16) != 0) {
		memcpy(slot->addr, a->s6_addr, 16);
		in6_fmt(a, slot->text);
		slot->len = (uint8_t)strlen(slot->text);
	}
	return slot;
}

void
sbuf_in6(struct sbuf *sb, const struct in6_addr *a)
{
	const struct in6_cache_slot *slot = in6_cached(a);

	sbuf_putn(sb, slot->text, slot->len);
}

void
sbuf_in4(struct sbuf *sb, const struct in_addr *a)
{
	uint8_t b[4];
	int i;

	memcpy(b, &a->s_addr, 4);
	for (i = 0; i < 4; i++) {
		if (i > 0)
			sbuf_putc(sb, '.');
		sbuf_uint(sb, b[i]);
	}
}

/* Length of the valid UTF-8 sequence at p (0 if none), RFC 3629 §4. */
static size_t
utf8_seq_len(const unsigned char *p, size_t left)
{
	size_t n, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* overlong 3- and 4-byte forms, surrogates, beyond U+10FFFF */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	return n;
}

static void
json_escape_byte(struct sbuf *sb, unsigned char c)
{
	char esc[6] = { '\\', 'u', '0', '0', hexdig[c >> 4], hexdig[c & 0xf] };

	if (c == '"' || c == '\\') {
		esc[1] = (char)c;
		sbuf_putn(sb, esc, 2);
	} else
		sbuf_putn(sb, esc, sizeof(esc));
}

/* Bytes a JSON string may carry as they are (RFC 8259 §7). */
static bool
json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

void
sbuf_json_str(struct sbuf *sb, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;

	sbuf_putc(sb, '"');
	for (;;) {
		size_t u;

		while (i < n && json_plain(p[i]))
			i++;
		if (i == n)
			break;
		u = p[i] >= 0x80 ? utf8_seq_len(p + i, n - i) : 0;
		if (u > 0) {
			i += u;
			continue;
		}
		/* flush the run of plain bytes, then the escape */
		sbuf_putn(sb, s + run, i - run);
		json_escape_byte(sb, p[i]);
		run = ++i;
	}
	sbuf_putn(sb, s + run, n - run);
	sbuf_putc(sb, '"');
}

void
jw_init(struct jw *jw, struct sbuf *sb)
{
	jw->sb = sb;
	jw->depth = 0;
	jw->brief = false;
	memset(jw->need_comma, 0, sizeof(jw->need_comma));
}

/* The key writer's slow path: the buffer is (nearly) full. */
void
jw_key_slow(struct jw *jw, const char *key, size_t klen)
{
	if (jw->need_comma[jw->depth])
		sbuf_putc(jw->sb, ',');
	jw->need_comma[jw->depth] = true;
	if (key != NULL) {
		sbuf_json_str(jw->sb, key, klen);
		sbuf_putc(jw->sb, ':');
	}
}

static void
jw_key(struct jw *jw, const char *key)
{
	jw_key_n(jw, key, jw_klen(key));
}

void
jw_strn(struct jw *jw, const char *key, const char *val, size_t n)
{
	jw_key(jw, key);
	sbuf_json_str(jw->sb, val, n);
}

void
jw_int(struct jw *jw, const char *key, int64_t v)
{
	jw_key(jw, key);
	sbuf_int(jw->sb, v);
}

void
jw_null(struct jw *jw, const char *key)
{
	jw_key(jw, key);
	sbuf_puts(jw->sb, "null");
}

void
jw_hex(struct jw *jw, const char *key, const uint8_t *p, size_t n)
{
	jw_key(jw, key);
	sbuf_putc(jw->sb, '"');
	sbuf_hex(jw->sb, p, n);
	sbuf_putc(jw->sb, '"');
}

void
jw_in4(struct jw *jw, const char *key, const struct in_addr *a)
{
	jw_key(jw, key);
	sbuf_putc(jw->sb, '"');
	sbuf_in4(jw->sb, a);
	sbuf_putc(jw->sb, '"');
}

void
jw_raw(struct jw *jw, const char *key, const char *json)
{
	jw_key(jw, key);
	sbuf_puts(jw->sb, json);
}
