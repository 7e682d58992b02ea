/*
 * util.c - allocation, string and diagnostic helpers of the conformance
 * engine (see util.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void
oom(void)
{
	fputs("mip6conf: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n == 0 ? 1 : n);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n == 0 ? 1 : n, sz == 0 ? 1 : sz);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n == 0 ? 1 : n);
	if (p == NULL)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *
xgrow(void *arr_ptr, size_t *n, size_t sz)
{
	void **arr = arr_ptr;
	char *base;

	*arr = xrealloc(*arr, (*n + 1) * sz);
	base = *arr;
	memset(base + *n * sz, 0, sz);
	return base + (*n)++ * sz;
}

size_t
str_copy(char *dst, const char *src, size_t cap)
{
	size_t n = strlen(src);

	if (cap == 0)
		return n;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return n;
}

void
str_fmt(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
}

bool
str_eq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

bool
str_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool
str_icontains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

const char *
path_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

char *
file_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (f == NULL)
		return NULL;
	for (;;) {
		size_t got;

		if (cap - n < 4096) {
			cap = cap * 2 + 8192;
			buf = xrealloc(buf, cap);
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;

		fclose(f);
		free(buf);
		errno = e != 0 ? e : EIO;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

bool
parse_u64(const char *s, uint64_t *out)
{
	char *end;
	int base = 10;

	if (s[0] == '\0' || !isdigit((unsigned char)s[0]))
		return false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		if (!isxdigit((unsigned char)s[2]))
			return false;
	}
	errno = 0;
	*out = strtoull(s, &end, base);
	return errno == 0 && *end == '\0';
}

void
cerr_init(struct cerr *e)
{
	e->n = 0;
	e->dropped = 0;
}

void
cerr_add(struct cerr *e, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	char *m;
	int k;

	if (e->n == CERR_MAX) {
		e->dropped++;
		return;
	}
	m = e->msg[e->n++];
	k = snprintf(m, CERR_LEN, "%s:%d: ", file, line);
	if (k < 0 || k >= CERR_LEN)
		k = 0;
	va_start(ap, fmt);
	vsnprintf(m + k, CERR_LEN - (size_t)k, fmt, ap);
	va_end(ap);
}

const char *
cerr_first(const struct cerr *e)
{
	return e->n > 0 ? e->msg[0] : "";
}
