/*
 * sbuf.h - bounded text output for the printers, with a small JSON writer.
 *
 * Printers never allocate and never fail loudly: text that does not fit is
 * cut and `trunc` is set.  The JSON writer keeps comma and nesting state so
 * that printers emit fields in order and get valid JSON.
 *
 * The capture decoder prints millions of packets per second through these
 * functions, so the common case is inline and checks the room once per
 * JSON member (key and value together), then writes through a local
 * pointer; only near the end of the buffer does the output go piece by
 * piece, cut exactly where the room ends.  Both paths write the same bytes.
 */
#ifndef MIP6_PACKETS_SBUF_H
#define MIP6_PACKETS_SBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct in6_addr;
struct in_addr;

/*
 * The JSON member writers must be inlined where they are called: that is
 * where the key is a literal whose length folds to a constant.
 */
#define SBUF_INLINE	static inline __attribute__((always_inline))

struct sbuf {
	char	*buf;
	size_t	 cap;
	size_t	 len;		/* excluding the terminating NUL */
	bool	 trunc;
};

void	sbuf_init(struct sbuf *, char *, size_t);
void	sbuf_reset(struct sbuf *);
const char *sbuf_str(const struct sbuf *);
void	sbuf_putn_slow(struct sbuf *, const char *, size_t);

/*
 * Copy n bytes, n usually small (a name, a number): two overlapping moves
 * instead of a call to memcpy.  Reads and writes only the n bytes.
 */
SBUF_INLINE void
sbuf_copy(char *d, const char *s, size_t n)
{
	if (__builtin_constant_p(n) || n > 16) {
		__builtin_memcpy(d, s, n);
	} else if (n >= 8) {
		__builtin_memcpy(d, s, 8);
		__builtin_memcpy(d + n - 8, s + n - 8, 8);
	} else if (n >= 4) {
		__builtin_memcpy(d, s, 4);
		__builtin_memcpy(d + n - 4, s + n - 4, 4);
	} else if (n > 0) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	}
}

/*
 * The printers call these for nearly every byte they emit, so the common
 * case (it fits) is inline; the slow path truncates and flags.
 */
SBUF_INLINE void
sbuf_putn(struct sbuf *sb, const char *s, size_t n)
{
	if (sb->len + n < sb->cap) {
		__builtin_memcpy(sb->buf + sb->len, s, n);
		sb->len += n;
		sb->buf[sb->len] = '\0';
	} else
		sbuf_putn_slow(sb, s, n);
}

SBUF_INLINE void
sbuf_putc(struct sbuf *sb, char c)
{
	if (sb->len + 1 < sb->cap) {
		sb->buf[sb->len++] = c;
		sb->buf[sb->len] = '\0';
	} else
		sbuf_putn_slow(sb, &c, 1);
}

SBUF_INLINE void
sbuf_puts(struct sbuf *sb, const char *s)
{
	sbuf_putn(sb, s, __builtin_strlen(s));
}

/*
 * Room for n more bytes (and the NUL): where to write them, or NULL when
 * they may not fit.  The writer ends with sbuf_advance() at its end.
 */
SBUF_INLINE char *
sbuf_room(struct sbuf *sb, size_t n)
{
	return sb->len + n < sb->cap ? sb->buf + sb->len : NULL;
}

SBUF_INLINE void
sbuf_advance(struct sbuf *sb, char *end)
{
	*end = '\0';
	sb->len = (size_t)(end - sb->buf);
}

void	sbuf_printf(struct sbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* "00" "01" ... "99": two digits at a time. */
extern const char sbuf_digit_pairs[201];
/* Longest decimal text of a uint64_t. */
#define SBUF_UINT_MAX	20
char	*sbuf_fmt_uint_slow(char *, uint64_t);

/*
 * v in decimal at d, which has room for SBUF_UINT_MAX bytes; returns the
 * end.  Most numbers the printers emit (types, lengths, flags, option
 * fields) have one or two digits: those are written here, inline.
 */
SBUF_INLINE char *
sbuf_fmt_uint(char *d, uint64_t v)
{
	if (v >= 100)
		return sbuf_fmt_uint_slow(d, v);
	if (v < 10) {
		*d = (char)('0' + v);
		return d + 1;
	}
	__builtin_memcpy(d, sbuf_digit_pairs + 2 * v, 2);
	return d + 2;
}

/*
 * The last n (1 to 8) decimal digits of v, zero-padded: fractions, times
 * of day.  d has room for 8 bytes; returns d + n.
 */
char	*sbuf_fmt_digits(char *d, uint64_t v, unsigned n);
void	sbuf_uint_bounded(struct sbuf *, uint64_t);

/* Decimal. */
SBUF_INLINE void
sbuf_uint(struct sbuf *sb, uint64_t v)
{
	char *p;

	if (sb->len + SBUF_UINT_MAX >= sb->cap) {
		sbuf_uint_bounded(sb, v);
		return;
	}
	p = sbuf_fmt_uint(sb->buf + sb->len, v);
	*p = '\0';
	sb->len = (size_t)(p - sb->buf);
}

void	sbuf_int(struct sbuf *, int64_t);
void	sbuf_hex(struct sbuf *, const uint8_t *, size_t);	/* "a0b1.." */
void	sbuf_hex16(struct sbuf *, uint16_t);			/* "0x3d80" */
void	sbuf_in6(struct sbuf *, const struct in6_addr *);	/* RFC 5952 */
void	sbuf_in4(struct sbuf *, const struct in_addr *);
/*
 * Append a JSON string literal (quotes and escapes included).  Valid UTF-8
 * passes through (the RFC clauses say "§"); control characters and bytes
 * that are not UTF-8 (packet contents) are escaped as \u00XX.
 */
void	sbuf_json_str(struct sbuf *, const char *, size_t);

/* Format an address into a caller buffer (RFC 5952 form). */
#define IN6_STRLEN	46
const char *in6_fmt(const struct in6_addr *, char buf[IN6_STRLEN]);

/* JSON writer. */
#define JW_MAXDEPTH	16

struct jw {
	struct sbuf	*sb;
	int		 depth;
	bool		 need_comma[JW_MAXDEPTH];
	/*
	 * Brief objects: the printers leave out layout detail (offsets,
	 * lengths, link-layer headers, reserved fields, padding, checksums,
	 * long names) and keep what identifies and describes the message.
	 * Set it after jw_init(); mip6dump -j uses it unless -v.
	 */
	bool		 brief;
};

void	jw_init(struct jw *, struct sbuf *);
void	jw_strn(struct jw *, const char *key, const char *val, size_t);
void	jw_int(struct jw *, const char *key, int64_t);
void	jw_null(struct jw *, const char *key);
/* A value already formatted as JSON (a number with a fraction, say). */
void	jw_raw(struct jw *, const char *key, const char *json);

/*
 * The key writer and the commonest values are inline: printers pass literal
 * keys, so their lengths fold at compile time and the copy is a few moves.
 * Keys are the printers' own field names (plain ASCII), copied unescaped.
 */
SBUF_INLINE size_t
jw_klen(const char *key)
{
	return key != NULL ? __builtin_strlen(key) : 0;
}

/*
 * The fast path of a member: when the comma, the key with its quotes and
 * colon, `vmax` bytes of value and the NUL fit, write all but the value and
 * return where the value goes (the caller writes it and calls jw_end());
 * otherwise return NULL and touch nothing: the caller then takes the
 * piecewise path (jw_key_slow() and the sbuf functions), which cuts the text
 * exactly where the buffer ends.
 */
SBUF_INLINE char *
jw_begin(struct jw *jw, const char *key, size_t klen, size_t vmax)
{
	struct sbuf *sb = jw->sb;
	bool *comma = &jw->need_comma[jw->depth];
	char *p;

	if (sb->len + klen + vmax + 5 >= sb->cap)
		return NULL;
	p = sb->buf + sb->len;
	if (*comma)
		*p++ = ',';
	*comma = true;
	if (key != NULL) {
		*p++ = '"';
		sbuf_copy(p, key, klen);
		p += klen;
		*p++ = '"';
		*p++ = ':';
	}
	return p;
}

/* The member written by jw_begin()'s caller ends at p. */
SBUF_INLINE void
jw_end(struct jw *jw, char *p)
{
	*p = '\0';
	jw->sb->len = (size_t)(p - jw->sb->buf);
}

void	jw_key_slow(struct jw *, const char *key, size_t klen);

SBUF_INLINE void
jw_key_n(struct jw *jw, const char *key, size_t klen)
{
	char *p = jw_begin(jw, key, klen, 0);

	if (p != NULL)
		jw_end(jw, p);
	else
		jw_key_slow(jw, key, klen);
}

/* Objects and arrays; `key` is NULL inside arrays and at the top level. */
SBUF_INLINE void
jw_open(struct jw *jw, const char *key, char c)
{
	size_t klen = jw_klen(key);
	char *p = jw_begin(jw, key, klen, 1);

	if (p != NULL) {
		*p++ = c;
		jw_end(jw, p);
	} else {
		jw_key_slow(jw, key, klen);
		sbuf_putc(jw->sb, c);
	}
	if (jw->depth + 1 < JW_MAXDEPTH)
		jw->depth++;
	jw->need_comma[jw->depth] = false;
}

SBUF_INLINE void
jw_close(struct jw *jw, char c)
{
	sbuf_putc(jw->sb, c);
	if (jw->depth > 0)
		jw->depth--;
}

SBUF_INLINE void
jw_obj_open(struct jw *jw, const char *key)
{
	jw_open(jw, key, '{');
}

SBUF_INLINE void
jw_obj_close(struct jw *jw)
{
	jw_close(jw, '}');
}

SBUF_INLINE void
jw_arr_open(struct jw *jw, const char *key)
{
	jw_open(jw, key, '[');
}

SBUF_INLINE void
jw_arr_close(struct jw *jw)
{
	jw_close(jw, ']');
}

/*
 * Values formatted out of line into the room jw_begin() found: hex,
 * "192.0.2.1" and an IPv6 address, whose text comes from a per-thread
 * cache of the last addresses (a capture has few).  Each returns the end.
 */
char	*sbuf_fmt_hex(char *, const uint8_t *, size_t);
char	*sbuf_fmt_in4(char *, const struct in_addr *);
/* The quoted text of an address and its length; 48 bytes readable. */
#define SBUF_IN6_QUOTED	48
const char *sbuf_in6_quoted(const struct in6_addr *, size_t *len);
/* The piecewise paths, near the end of the buffer. */
void	jw_hex_slow(struct jw *, const char *key, size_t klen,
	    const uint8_t *, size_t);
void	jw_in4_slow(struct jw *, const char *key, size_t klen,
	    const struct in_addr *);

SBUF_INLINE void
jw_hex(struct jw *jw, const char *key, const uint8_t *v, size_t n)
{
	size_t klen = jw_klen(key);
	char *p = n < SIZE_MAX / 4 ? jw_begin(jw, key, klen, 2 * n + 2) : NULL;

	if (p == NULL) {
		jw_hex_slow(jw, key, klen, v, n);
		return;
	}
	*p++ = '"';
	p = sbuf_fmt_hex(p, v, n);
	*p++ = '"';
	jw_end(jw, p);
}

SBUF_INLINE void
jw_in4(struct jw *jw, const char *key, const struct in_addr *a)
{
	size_t klen = jw_klen(key);
	char *p = jw_begin(jw, key, klen, 17);

	if (p == NULL) {
		jw_in4_slow(jw, key, klen, a);
		return;
	}
	*p++ = '"';
	p = sbuf_fmt_in4(p, a);
	*p++ = '"';
	jw_end(jw, p);
}

/* An address: the cached quoted text, copied whole (a few moves). */
SBUF_INLINE void
jw_in6(struct jw *jw, const char *key, const struct in6_addr *a)
{
	size_t klen = jw_klen(key), n;
	const char *text = sbuf_in6_quoted(a, &n);
	char *p = jw_begin(jw, key, klen, SBUF_IN6_QUOTED);

	if (p != NULL) {
		__builtin_memcpy(p, text, SBUF_IN6_QUOTED);
		jw_end(jw, p + n);
		return;
	}
	jw_key_slow(jw, key, klen);
	sbuf_putn(jw->sb, text, n);
}

SBUF_INLINE void
jw_uint(struct jw *jw, const char *key, uint64_t v)
{
	size_t klen = jw_klen(key);
	char *p = jw_begin(jw, key, klen, SBUF_UINT_MAX);

	if (p != NULL) {
		jw_end(jw, sbuf_fmt_uint(p, v));
	} else {
		jw_key_slow(jw, key, klen);
		sbuf_uint(jw->sb, v);
	}
}

SBUF_INLINE void
jw_bool(struct jw *jw, const char *key, bool v)
{
	size_t klen = jw_klen(key);
	char *p = jw_begin(jw, key, klen, 5);

	if (p != NULL) {
		if (v)
			__builtin_memcpy(p, "true", 4);
		else
			__builtin_memcpy(p, "false", 5);
		jw_end(jw, p + (v ? 4 : 5));
		return;
	}
	jw_key_slow(jw, key, klen);
	if (v)
		sbuf_putn(jw->sb, "true", 4);
	else
		sbuf_putn(jw->sb, "false", 5);
}

SBUF_INLINE void
jw_str(struct jw *jw, const char *key, const char *val)
{
	jw_key_n(jw, key, jw_klen(key));
	sbuf_json_str(jw->sb, val, __builtin_strlen(val));
}

/*
 * A string value known to need no escaping: printable ASCII without '"'
 * and '\' (names from the printers' tables, text they format themselves).
 * The same bytes as jw_strn() for such a string, without the scan.
 */
SBUF_INLINE void
jw_ascii(struct jw *jw, const char *key, const char *s, size_t n)
{
	size_t klen = jw_klen(key);
	char *p = jw_begin(jw, key, klen, n + 2);

	if (p != NULL) {
		*p++ = '"';
		sbuf_copy(p, s, n);
		p += n;
		*p++ = '"';
		jw_end(jw, p);
		return;
	}
	jw_key_slow(jw, key, klen);
	sbuf_putc(jw->sb, '"');
	sbuf_putn(jw->sb, s, n);
	sbuf_putc(jw->sb, '"');
}

/* The same for a NUL-terminated string (a name looked up once). */
SBUF_INLINE void
jw_asciiz(struct jw *jw, const char *key, const char *s)
{
	jw_ascii(jw, key, s, __builtin_strlen(s));
}

#define JW_ASCII(jw, key, s)	jw_asciiz((jw), (key), (s))

#endif
