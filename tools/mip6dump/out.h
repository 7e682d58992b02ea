/*
 * out.h - mip6dump's buffered standard output.
 *
 * Records (a packet's lines, a ladder row, a JSON object) are formatted
 * straight into a large buffer through an sbuf window and written with
 * fwrite(3) in big blocks, so that decoding a million packets costs a few
 * hundred writes.  A write error (EPIPE, ENOSPC, ...) ends the program with
 * a message and exit status 2: output that silently stops is worse than
 * none.
 */
#ifndef MIP6DUMP_OUT_H
#define MIP6DUMP_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct sbuf;

/*
 * With fp NULL the buffer only grows (a worker thread's batch output,
 * written to standard output later, in order).
 */
struct out {
	FILE	*fp;
	char	*buf;
	size_t	 cap;
	size_t	 len;
	bool	 unbuffered;	/* live capture: flush after every record */
};

/* A record writer: appends one record, ending in '\n', to the sbuf. */
typedef void	(*out_fn)(struct sbuf *, const void *arg);

/* Returns 0, or -1 when the buffer cannot be allocated. */
int	out_init(struct out *, FILE *, size_t cap);
void	out_free(struct out *);
/*
 * Format one record with fn(sb, arg).  A record that does not fit in the
 * free space is formatted again after a flush, into the whole buffer.
 */
void	out_record(struct out *, out_fn fn, const void *arg);
/* Write what is buffered; on error print a message and exit(2). */
void	out_flush(struct out *);
/* Append bytes (a batch's output) as they are. */
void	out_write(struct out *, const char *, size_t);

#endif
