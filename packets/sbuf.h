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
void	sbuf_putc(struct sbuf *, char);
void	sbuf_puts(struct sbuf *, const char *);
void	sbuf_putn(struct sbuf *, const char *, size_t);
void	sbuf_printf(struct sbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	sbuf_uint(struct sbuf *, uint64_t);
void	sbuf_int(struct sbuf *, int64_t);
void	sbuf_hex(struct sbuf *, const uint8_t *, size_t);	/* "a0b1.." */
void	sbuf_hex16(struct sbuf *, uint16_t);			/* "0x3d80" */
void	sbuf_in6(struct sbuf *, const struct in6_addr *);	/* RFC 5952 */
void	sbuf_in4(struct sbuf *, const struct in_addr *);
/* Append a JSON string literal (quotes and escapes included). */
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
};

void	jw_init(struct jw *, struct sbuf *);
/* `key` is NULL inside arrays and for the top level. */
void	jw_obj_open(struct jw *, const char *key);
void	jw_obj_close(struct jw *);
void	jw_arr_open(struct jw *, const char *key);
void	jw_arr_close(struct jw *);
void	jw_str(struct jw *, const char *key, const char *val);
void	jw_strn(struct jw *, const char *key, const char *val, size_t);
void	jw_uint(struct jw *, const char *key, uint64_t);
void	jw_int(struct jw *, const char *key, int64_t);
void	jw_bool(struct jw *, const char *key, bool);
void	jw_null(struct jw *, const char *key);
void	jw_hex(struct jw *, const char *key, const uint8_t *, size_t);
void	jw_in6(struct jw *, const char *key, const struct in6_addr *);
void	jw_in4(struct jw *, const char *key, const struct in_addr *);
/* A value already formatted as JSON (a number with a fraction, say). */
void	jw_raw(struct jw *, const char *key, const char *json);

#endif
