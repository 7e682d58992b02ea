/*
 * sbuf.c - bounded text output and the JSON writer (see sbuf.h).
 *
 * Address formatting is done here rather than with inet_ntop(3) because the
 * capture decoder prints several addresses per packet at millions of packets
 * per second; the output is the RFC 5952 canonical form either way.
 */
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
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

const char sbuf_digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

/* Decimal digits of v < 10^8: comparisons, no division. */
static unsigned
count_digits8(uint32_t v)
{
	if (v < 10000)
		return v < 100 ? (v < 10 ? 1 : 2) : v < 1000 ? 3 : 4;
	return v < 1000000 ? (v < 100000 ? 5 : 6) : v < 10000000 ? 7 : 8;
}

/* The pair "00".."99" for v < 100, as the two bytes of a word. */
static inline uint64_t
pair(uint32_t v)
{
	uint16_t w;

	memcpy(&w, sbuf_digit_pairs + 2 * v, sizeof(w));
	return w;
}

/*
 * The eight digits of v < 10^8, zero-padded, as the bytes of a word in
 * memory order: four two-digit pairs put together in registers (building
 * it in memory would make the load of the word wait for four stores).
 */
static uint64_t
digits8(uint32_t v)
{
	uint32_t hi = v / 10000, lo = v % 10000;

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return pair(hi / 100) | pair(hi % 100) << 16 |
	    pair(lo / 100) << 32 | pair(lo % 100) << 48;
#else
	return pair(hi / 100) << 48 | pair(hi % 100) << 32 |
	    pair(lo / 100) << 16 | pair(lo % 100);
#endif
}

/*
 * Write v < 10^8 at d without leading zeros (n digits): the padded word
 * shifted so that its last n bytes come first, stored whole (d has room
 * for eight bytes; those after the digits are overwritten later).
 */
static char *
put_digits8(char *d, uint32_t v, unsigned n)
{
	uint64_t w = digits8(v);

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	w >>= 8 * (8 - n);
#else
	w <<= 8 * (8 - n);
#endif
	memcpy(d, &w, sizeof(w));
	return d + n;
}

char *
sbuf_fmt_digits(char *d, uint64_t v, unsigned n)
{
	return put_digits8(d, (uint32_t)(v % 100000000), n);
}

char *
sbuf_fmt_uint_slow(char *d, uint64_t v)
{
	uint64_t w;

	if (v >= 100 && v < 1000) {
		/* lengths, sequence numbers, lifetimes: one digit and a pair */
		d[0] = (char)('0' + v / 100);
		memcpy(d + 1, sbuf_digit_pairs + 2 * (v % 100), 2);
		return d + 3;
	}
	if (v < 100000000)
		return put_digits8(d, (uint32_t)v, count_digits8((uint32_t)v));
	/* the leading digits (recursively), then eight with their zeros */
	d = sbuf_fmt_uint(d, v / 100000000);
	w = digits8((uint32_t)(v % 100000000));
	memcpy(d, &w, sizeof(w));
	return d + 8;
}

/* sbuf_uint() near the end of the buffer: the digits that fit. */
void
sbuf_uint_bounded(struct sbuf *sb, uint64_t v)
{
	char tmp[SBUF_UINT_MAX];

	sbuf_putn(sb, tmp, (size_t)(sbuf_fmt_uint(tmp, v) - tmp));
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

/* Two hex digits per octet, written at d. */
char *
sbuf_fmt_hex(char *d, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		d[2 * i] = hexdig[p[i] >> 4];
		d[2 * i + 1] = hexdig[p[i] & 0xf];
	}
	return d + 2 * n;
}

void
sbuf_hex(struct sbuf *sb, const uint8_t *p, size_t n)
{
	char tmp[64];
	size_t i, chunk;

	if (n < (sb->cap - sb->len) / 2) {
		/* in place: cookies, tokens and authenticators of every packet */
		sbuf_fmt_hex(sb->buf + sb->len, p, n);
		sb->len += 2 * n;
		sb->buf[sb->len] = '\0';
		return;
	}
	i = 0;
	do {	/* once even for nothing: a full buffer is flagged alike */
		chunk = n - i < sizeof(tmp) / 2 ? n - i : sizeof(tmp) / 2;
		sbuf_fmt_hex(tmp, p + i, chunk);
		sbuf_putn(sb, tmp, 2 * chunk);
		i += chunk;
	} while (i < n);
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
 * a small two-way cache.  Per thread: the library has no shared
 * mutable state.  The text is kept between quotes, so that JSON values
 * and plain text are both one copy of a fixed size.
 */
#define IN6_CACHE_SLOTS	64
#define IN6_CACHE_TEXT	SBUF_IN6_QUOTED	/* '"', 45 at most, '"', spare */

struct in6_cache_slot {
	uint64_t	w[2];	/* the address, as two words */
	uint8_t		len;	/* of the text without quotes; 0: empty */
	char		text[IN6_CACHE_TEXT];
};

static _Thread_local struct in6_cache_slot in6_cache[IN6_CACHE_SLOTS];

/* Multiplicative hash: the bits that differ between nodes are anywhere. */
static unsigned
in6_hash(const uint64_t w[2])
{
	uint64_t h = w[0] * 0x9e3779b97f4a7c15ull ^ w[1] * 0xc2b2ae3d27d4eb4full;

	return (unsigned)((h ^ h >> 29) >> (64 - 6)) % IN6_CACHE_SLOTS;
}

static bool
in6_slot_holds(const struct in6_cache_slot *slot, const uint64_t w[2])
{
	return slot->len != 0 && slot->w[0] == w[0] && slot->w[1] == w[1];
}

/*
 * The address's slot.  Two ways: an address is looked for in its slot and
 * the one beside it; a miss moves the slot's address beside it and formats
 * the new one in its place, so two addresses that hash alike (a packet's
 * source and destination, say) do not evict each other on every packet.
 */
static inline const struct in6_cache_slot *
in6_cached(const struct in6_addr *a)
{
	struct in6_cache_slot *slot, *other;
	uint64_t w[2];
	size_t n;

	memcpy(w, a->s6_addr, sizeof(w));
	slot = &in6_cache[in6_hash(w)];
	if (in6_slot_holds(slot, w))
		return slot;
	other = &in6_cache[(size_t)(slot - in6_cache) ^ 1];
	if (in6_slot_holds(other, w))
		return other;
	if (slot->len != 0)
		*other = *slot;
	slot->w[0] = w[0];
	slot->w[1] = w[1];
	in6_fmt(a, slot->text + 1);
	n = strlen(slot->text + 1);
	slot->text[0] = '"';
	slot->text[n + 1] = '"';
	slot->len = (uint8_t)n;
	return slot;
}

void
sbuf_in6(struct sbuf *sb, const struct in6_addr *a)
{
	const struct in6_cache_slot *slot = in6_cached(a);

	sbuf_putn(sb, slot->text + 1, slot->len);
}

const char *
sbuf_in6_quoted(const struct in6_addr *a, size_t *len)
{
	const struct in6_cache_slot *slot = in6_cached(a);

	*len = (size_t)slot->len + 2;
	return slot->text;
}

/* One octet in decimal, without leading zeros; returns its length. */
static size_t
put_octet(char *d, unsigned b)
{
	if (b >= 100) {
		d[0] = (char)('0' + b / 100);
		memcpy(d + 1, sbuf_digit_pairs + 2 * (b % 100), 2);
		return 3;
	}
	if (b >= 10) {
		memcpy(d, sbuf_digit_pairs + 2 * b, 2);
		return 2;
	}
	d[0] = (char)('0' + b);
	return 1;
}

/* "192.0.2.1" at d (at most 15 bytes); returns the end. */
char *
sbuf_fmt_in4(char *d, const struct in_addr *a)
{
	uint8_t b[4];
	int i;

	memcpy(b, &a->s_addr, 4);
	for (i = 0; i < 4; i++) {
		if (i > 0)
			*d++ = '.';
		d += put_octet(d, b[i]);
	}
	return d;
}

void
sbuf_in4(struct sbuf *sb, const struct in_addr *a)
{
	char tmp[16];

	sbuf_putn(sb, tmp, (size_t)(sbuf_fmt_in4(tmp, a) - tmp));
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

/* The escape of a byte a JSON string may not carry as it is, at d. */
static size_t
json_escape(char *d, unsigned char c)
{
	char esc[6] = { '\\', 'u', '0', '0', hexdig[c >> 4], hexdig[c & 0xf] };

	if (c == '"' || c == '\\') {
		esc[1] = (char)c;
		memcpy(d, esc, 2);
		return 2;
	}
	memcpy(d, esc, sizeof(esc));
	return sizeof(esc);
}

static void
json_escape_byte(struct sbuf *sb, unsigned char c)
{
	char esc[6];

	sbuf_putn(sb, esc, json_escape(esc, c));
}

/* Bytes a JSON string may carry as they are (RFC 8259 §7). */
static bool
json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/*
 * The string with its quotes, written at d, which has room for the worst
 * case (every byte escaped); returns the length written.
 */
static size_t
json_str_into(char *d, const unsigned char *p, size_t n)
{
	size_t i = 0, o = 0, u;

	d[o++] = '"';
	while (i < n) {
		if (json_plain(p[i])) {
			d[o++] = (char)p[i++];
			continue;
		}
		u = p[i] >= 0x80 ? utf8_seq_len(p + i, n - i) : 0;
		if (u > 0) {
			memcpy(d + o, p + i, u);
			o += u;
			i += u;
		} else
			o += json_escape(d + o, p[i++]);
	}
	d[o++] = '"';
	return o;
}

/* Near the end of the buffer: piece by piece, cut where it stops fitting. */
static void
json_str_bounded(struct sbuf *sb, const char *s, size_t n)
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
sbuf_json_str(struct sbuf *sb, const char *s, size_t n)
{
	size_t room = sb->cap - sb->len;

	/* 6 bytes per input byte at worst, 2 quotes, the NUL */
	if (sb->cap > 0 && n < room / 6 && 6 * n + 3 <= room) {
		sb->len += json_str_into(sb->buf + sb->len,
		    (const unsigned char *)s, n);
		sb->buf[sb->len] = '\0';
	} else
		json_str_bounded(sb, s, n);
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
jw_hex_slow(struct jw *jw, const char *key, size_t klen, const uint8_t *v,
    size_t n)
{
	jw_key_slow(jw, key, klen);
	sbuf_putc(jw->sb, '"');
	sbuf_hex(jw->sb, v, n);
	sbuf_putc(jw->sb, '"');
}

void
jw_in4_slow(struct jw *jw, const char *key, size_t klen,
    const struct in_addr *a)
{
	jw_key_slow(jw, key, klen);
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
