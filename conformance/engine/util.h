/*
 * util.h - small helpers shared by the conformance engine: allocation that
 * aborts on exhaustion, bounded string copies, growable arrays, and the
 * error list that carries "FILE:LINE: message" diagnostics from the case
 * parser, the template checker and the NUT description reader.
 *
 * Unlike packets/, the engine is a tool library: it may allocate, and an
 * allocation failure ends the program with a message on stderr.
 */
#ifndef MIP6_CONF_UTIL_H
#define MIP6_CONF_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* Grow *arr (of *n elements of size sz) by one zeroed element; return it. */
void	*xgrow(void *arr_ptr, size_t *n, size_t sz);

/* Copy with truncation; always NUL-terminates when cap > 0. */
size_t	str_copy(char *dst, const char *src, size_t cap);
bool	str_eq(const char *, const char *);
/* snprintf that may cut its output (messages built from messages). */
void	str_fmt(char *buf, size_t cap, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
bool	str_prefix(const char *s, const char *prefix);
/* Case-insensitive search for `needle` in `hay`. */
bool	str_icontains(const char *hay, const char *needle);
/* The last path component ("dir/HA-1.case" -> "HA-1.case"). */
const char *path_base(const char *);
/* Read a whole file; NULL with errno set on failure.  *len excludes NUL. */
char	*file_read(const char *path, size_t *len);

/* Parse an unsigned integer: decimal or 0x-hex, the whole string. */
bool	parse_u64(const char *, uint64_t *);

/* Diagnostics: each entry is one line, "FILE:LINE: message". */
#define CERR_MAX	32
#define CERR_LEN	400

struct cerr {
	size_t	n;
	size_t	dropped;
	char	msg[CERR_MAX][CERR_LEN];
};

void	cerr_init(struct cerr *);
void	cerr_add(struct cerr *, const char *file, int line, const char *fmt,
	    ...) __attribute__((format(printf, 4, 5)));
/* The first message, or "" when there is none. */
const char *cerr_first(const struct cerr *);

#endif
