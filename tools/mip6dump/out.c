/*
 * out.c - mip6dump's buffered standard output (see out.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "packets/sbuf.h"
#include "out.h"

/* Flush when less than this is free: most records fit the first time. */
#define OUT_SLACK	(64 * 1024)

int
out_init(struct out *o, FILE *fp, size_t cap)
{
	memset(o, 0, sizeof(*o));
	if (cap < 2 * OUT_SLACK)
		cap = 2 * OUT_SLACK;
	o->buf = malloc(cap);
	if (o->buf == NULL)
		return -1;
	o->fp = fp;
	o->cap = cap;
	/* Our buffer is the only one: fwrite errors then surface at once. */
	if (fp != NULL)
		setvbuf(fp, NULL, _IONBF, 0);
	return 0;
}

void
out_free(struct out *o)
{
	free(o->buf);
	o->buf = NULL;
	o->cap = o->len = 0;
}

static void
write_failed(void)
{
	fprintf(stderr, "mip6dump: write error on standard output: %s\n",
	    strerror(errno != 0 ? errno : EIO));
	exit(2);
}

void
out_flush(struct out *o)
{
	if (o->len > 0) {
		errno = 0;
		if (fwrite(o->buf, 1, o->len, o->fp) != o->len)
			write_failed();
		o->len = 0;
	}
	if (fflush(o->fp) != 0 || ferror(o->fp))
		write_failed();
}

/* Format the record into the free space; true when it fitted. */
static bool
try_record(struct out *o, out_fn fn, const void *arg, struct sbuf *sb)
{
	sbuf_init(sb, o->buf + o->len, o->cap - o->len);
	fn(sb, arg);
	return !sb->trunc;
}

/* Memory mode: double the buffer; false when memory is exhausted. */
static bool
out_grow(struct out *o)
{
	char *nb = realloc(o->buf, 2 * o->cap);

	if (nb == NULL)
		return false;
	o->buf = nb;
	o->cap *= 2;
	return true;
}

static void
out_of_memory(void)
{
	fprintf(stderr, "mip6dump: out of memory\n");
	exit(2);
}

void
out_record(struct out *o, out_fn fn, const void *arg)
{
	struct sbuf sb;

	if (o->fp == NULL) {
		while (!try_record(o, fn, arg, &sb))
			if (!out_grow(o))
				out_of_memory();
		o->len += sb.len;
		return;
	}
	if (!try_record(o, fn, arg, &sb) && o->len > 0) {
		out_flush(o);
		try_record(o, fn, arg, &sb);
	}
	/* Larger than the whole buffer: keep what fitted, end the line. */
	if (sb.trunc && sb.len > 0)
		sb.buf[sb.len - 1] = '\n';
	o->len += sb.len;
	if (o->unbuffered || o->cap - o->len < OUT_SLACK)
		out_flush(o);
}

void
out_write(struct out *o, const char *p, size_t n)
{
	/* a big block (a batch's output) is written as it is, not copied */
	if (o->cap - o->len < n || n >= OUT_SLACK)
		out_flush(o);
	if (o->cap - o->len < n || n >= OUT_SLACK) {
		errno = 0;
		if (fwrite(p, 1, n, o->fp) != n)
			write_failed();
		return;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}
