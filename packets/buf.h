/*
 * buf.h - bounded read and write cursors over packet buffers.
 *
 * Every field of every packet that mip6kit reads or writes goes through
 * these cursors; nothing casts a pointer into a packet buffer.  Errors are
 * sticky (in the style of OpenBSD's ibuf and tcpdump's GET_ macros): a read
 * past the end returns zero and sets `err`, a write past the capacity is
 * dropped and sets `err`, so a decoder may read a run of fields and check
 * once.
 */
#ifndef MIP6_PACKETS_BUF_H
#define MIP6_PACKETS_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct in6_addr;
struct in_addr;

/* Read cursor: `len` bytes at `data`, next read at `off`. */
struct rbuf {
	const uint8_t	*data;
	size_t		 len;
	size_t		 off;
	bool		 err;	/* a read went past the end */
};

void		rbuf_init(struct rbuf *, const uint8_t *, size_t);
/* A cursor over the next n bytes of b; b advances past them. */
struct rbuf	rbuf_sub(struct rbuf *b, size_t n);
/* The out-of-line end of a read that does not fit: zero, sticky error. */
void		rbuf_overrun(struct rbuf *);

/*
 * The decoders read every field through these, millions of times a second
 * in mip6dump, so the in-bounds case is inline.
 */
static inline size_t
rbuf_left(const struct rbuf *b)
{
	return b->off < b->len ? b->len - b->off : 0;
}

static inline bool
rbuf_has(const struct rbuf *b, size_t n)
{
	return rbuf_left(b) >= n;
}

static inline uint8_t
rbuf_u8(struct rbuf *b)
{
	if (!rbuf_has(b, 1)) {
		rbuf_overrun(b);
		return 0;
	}
	return b->data[b->off++];
}

static inline uint16_t
rbuf_u16(struct rbuf *b)
{
	const uint8_t *p;

	if (!rbuf_has(b, 2)) {
		rbuf_overrun(b);
		return 0;
	}
	p = b->data + b->off;
	b->off += 2;
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
rbuf_u32(struct rbuf *b)
{
	const uint8_t *p;

	if (!rbuf_has(b, 4)) {
		rbuf_overrun(b);
		return 0;
	}
	p = b->data + b->off;
	b->off += 4;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

uint64_t	rbuf_u64(struct rbuf *);
void		rbuf_bytes(struct rbuf *, void *, size_t);
void		rbuf_in6(struct rbuf *, struct in6_addr *);
void		rbuf_in4(struct rbuf *, struct in_addr *);
void		rbuf_skip(struct rbuf *, size_t);
/* Peek at the byte `ahead` positions past the cursor without moving it. */
uint8_t		rbuf_peek(const struct rbuf *, size_t ahead, bool *ok);

/* Write cursor: capacity `cap` at `data`, `len` bytes written so far. */
struct wbuf {
	uint8_t		*data;
	size_t		 cap;
	size_t		 len;
	bool		 err;	/* a write did not fit */
};

void		wbuf_init(struct wbuf *, uint8_t *, size_t);
void		wbuf_u8(struct wbuf *, uint8_t);
void		wbuf_u16(struct wbuf *, uint16_t);
void		wbuf_u32(struct wbuf *, uint32_t);
void		wbuf_u64(struct wbuf *, uint64_t);
void		wbuf_bytes(struct wbuf *, const void *, size_t);
void		wbuf_zero(struct wbuf *, size_t);
void		wbuf_in6(struct wbuf *, const struct in6_addr *);
void		wbuf_in4(struct wbuf *, const struct in_addr *);
/* Overwrite already-written bytes (lengths and checksums known late). */
void		wbuf_set_u8(struct wbuf *, size_t off, uint8_t);
void		wbuf_set_u16(struct wbuf *, size_t off, uint16_t);
void		wbuf_set_u32(struct wbuf *, size_t off, uint32_t);

#endif
