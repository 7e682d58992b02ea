/*
 * sbuf.h - bounded text output for the printers, with a small JSON writer.
 *
 * Printers never allocate and never fail loudly: text that does not fit is
 * cut and `trunc` is set.  The JSON writer keeps comma and nesting state so
 * that printers emit fields in order and get valid JSON.
 */
#ifndef MIP6_PACKETS_SBUF_H
#define MIP6_PACKETS_SBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct in6_addr;
struct in_addr;

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
 * The printers call these for nearly every byte they emit, so the common
 * case (it fits) is inline; the slow path truncates and flags.
 */
static inline void
sbuf_putn(struct sbuf *sb, const char *s, size_t n)
{
	if (sb->len + n < sb->cap) {
		__builtin_memcpy(sb->buf + sb->len, s, n);
		sb->len += n;
		sb->buf[sb->len] = '\0';
	} else
		sbuf_putn_slow(sb, s, n);
}

static inline void
sbuf_putc(struct sbuf *sb, char c)
{
	if (sb->len + 1 < sb->cap) {
		sb->buf[sb->len++] = c;
		sb->buf[sb->len] = '\0';
	} else
		sbuf_putn_slow(sb, &c, 1);
}

static inline void
sbuf_puts(struct sbuf *sb, const char *s)
{
	sbuf_putn(sb, s, __builtin_strlen(s));
}

void	sbuf_printf(struct sbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	sbuf_uint(struct sbuf *, uint64_t);
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
void	jw_hex(struct jw *, const char *key, const uint8_t *, size_t);
void	jw_in4(struct jw *, const char *key, const struct in_addr *);
/* A value already formatted as JSON (a number with a fraction, say). */
void	jw_raw(struct jw *, const char *key, const char *json);
void	jw_key_slow(struct jw *, const char *key, size_t klen);

/*
 * The key writer and the commonest values are inline: printers pass literal
 * keys, so their lengths fold at compile time and the copy is a few moves.
 * Keys are the printers' own field names (plain ASCII), copied unescaped.
 */
static inline size_t
jw_klen(const char *key)
{
	return key != NULL ? __builtin_strlen(key) : 0;
}

static inline void
jw_key_n(struct jw *jw, const char *key, size_t klen)
{
	struct sbuf *sb = jw->sb;
	bool comma = jw->need_comma[jw->depth];
	char *p;

	jw->need_comma[jw->depth] = true;
	if (sb->len + klen + 5 >= sb->cap) {
		jw->need_comma[jw->depth] = comma;
		jw_key_slow(jw, key, klen);
		return;
	}
	p = sb->buf + sb->len;
	if (comma)
		*p++ = ',';
	if (key != NULL) {
		*p++ = '"';
		__builtin_memcpy(p, key, klen);
		p += klen;
		*p++ = '"';
		*p++ = ':';
	}
	*p = '\0';
	sb->len = (size_t)(p - sb->buf);
}

/* Objects and arrays; `key` is NULL inside arrays and at the top level. */
static inline void
jw_open(struct jw *jw, const char *key, char c)
{
	jw_key_n(jw, key, jw_klen(key));
	sbuf_putc(jw->sb, c);
	if (jw->depth + 1 < JW_MAXDEPTH)
		jw->depth++;
	jw->need_comma[jw->depth] = false;
}

static inline void
jw_close(struct jw *jw, char c)
{
	sbuf_putc(jw->sb, c);
	if (jw->depth > 0)
		jw->depth--;
}

static inline void
jw_obj_open(struct jw *jw, const char *key)
{
	jw_open(jw, key, '{');
}

static inline void
jw_obj_close(struct jw *jw)
{
	jw_close(jw, '}');
}

static inline void
jw_arr_open(struct jw *jw, const char *key)
{
	jw_open(jw, key, '[');
}

static inline void
jw_arr_close(struct jw *jw)
{
	jw_close(jw, ']');
}

static inline void
jw_in6(struct jw *jw, const char *key, const struct in6_addr *a)
{
	jw_key_n(jw, key, jw_klen(key));
	sbuf_putc(jw->sb, '"');
	sbuf_in6(jw->sb, a);
	sbuf_putc(jw->sb, '"');
}

static inline void
jw_uint(struct jw *jw, const char *key, uint64_t v)
{
	jw_key_n(jw, key, jw_klen(key));
	sbuf_uint(jw->sb, v);
}

static inline void
jw_bool(struct jw *jw, const char *key, bool v)
{
	jw_key_n(jw, key, jw_klen(key));
	if (v)
		sbuf_putn(jw->sb, "true", 4);
	else
		sbuf_putn(jw->sb, "false", 5);
}

static inline void
jw_str(struct jw *jw, const char *key, const char *val)
{
	jw_key_n(jw, key, jw_klen(key));
	sbuf_json_str(jw->sb, val, __builtin_strlen(val));
}

#endif
