/*
 * buf.c - bounded read and write cursors (see buf.h).
 */
#include <netinet/in.h>
#include <string.h>

#include "buf.h"

void
rbuf_init(struct rbuf *b, const uint8_t *data, size_t len)
{
	b->data = data;
	b->len = data != NULL ? len : 0;
	b->off = 0;
	b->err = false;
}

void
rbuf_overrun(struct rbuf *b)
{
	b->err = true;
	b->off = b->len;
}

/* Claim n bytes, or mark the cursor as overrun and return NULL. */
static const uint8_t *
rbuf_take(struct rbuf *b, size_t n)
{
	const uint8_t *p;

	if (!rbuf_has(b, n)) {
		rbuf_overrun(b);
		return NULL;
	}
	p = b->data + b->off;
	b->off += n;
	return p;
}

struct rbuf
rbuf_sub(struct rbuf *b, size_t n)
{
	struct rbuf sub;
	size_t have = rbuf_left(b);
	const uint8_t *p = b->data != NULL ? b->data + b->off : NULL;

	if (n > have) {
		rbuf_init(&sub, p, have);
		sub.err = true;
		b->err = true;
		b->off = b->len;
		return sub;
	}
	rbuf_init(&sub, p, n);
	b->off += n;
	return sub;
}

uint64_t
rbuf_u64(struct rbuf *b)
{
	uint64_t hi = rbuf_u32(b);

	return hi << 32 | rbuf_u32(b);
}

void
rbuf_bytes(struct rbuf *b, void *out, size_t n)
{
	const uint8_t *p = rbuf_take(b, n);

	if (p != NULL)
		memcpy(out, p, n);
	else
		memset(out, 0, n);
}

void
rbuf_in6(struct rbuf *b, struct in6_addr *a)
{
	rbuf_bytes(b, a->s6_addr, 16);
}

void
rbuf_in4(struct rbuf *b, struct in_addr *a)
{
	uint8_t v[4];

	rbuf_bytes(b, v, 4);
	memcpy(&a->s_addr, v, 4);
}

void
rbuf_skip(struct rbuf *b, size_t n)
{
	(void)rbuf_take(b, n);
}

uint8_t
rbuf_peek(const struct rbuf *b, size_t ahead, bool *ok)
{
	bool have = rbuf_left(b) > ahead;

	if (ok != NULL)
		*ok = have;
	return have ? b->data[b->off + ahead] : 0;
}

void
wbuf_init(struct wbuf *w, uint8_t *data, size_t cap)
{
	w->data = data;
	w->cap = data != NULL ? cap : 0;
	w->len = 0;
	w->err = false;
}

/* Claim n bytes of room, or mark the cursor as overflowed. */
static uint8_t *
wbuf_room(struct wbuf *w, size_t n)
{
	uint8_t *p;

	if (w->err || w->cap - w->len < n) {
		w->err = true;
		return NULL;
	}
	p = w->data + w->len;
	w->len += n;
	return p;
}

void
wbuf_u8(struct wbuf *w, uint8_t v)
{
	uint8_t *p = wbuf_room(w, 1);

	if (p != NULL)
		p[0] = v;
}

void
wbuf_u16(struct wbuf *w, uint16_t v)
{
	uint8_t *p = wbuf_room(w, 2);

	if (p != NULL) {
		p[0] = (uint8_t)(v >> 8);
		p[1] = (uint8_t)v;
	}
}

void
wbuf_u32(struct wbuf *w, uint32_t v)
{
	uint8_t *p = wbuf_room(w, 4);

	if (p != NULL) {
		p[0] = (uint8_t)(v >> 24);
		p[1] = (uint8_t)(v >> 16);
		p[2] = (uint8_t)(v >> 8);
		p[3] = (uint8_t)v;
	}
}

void
wbuf_u64(struct wbuf *w, uint64_t v)
{
	wbuf_u32(w, (uint32_t)(v >> 32));
	wbuf_u32(w, (uint32_t)v);
}

void
wbuf_bytes(struct wbuf *w, const void *src, size_t n)
{
	uint8_t *p = wbuf_room(w, n);

	if (p != NULL && n > 0)
		memcpy(p, src, n);
}

void
wbuf_zero(struct wbuf *w, size_t n)
{
	uint8_t *p = wbuf_room(w, n);

	if (p != NULL)
		memset(p, 0, n);
}

void
wbuf_in6(struct wbuf *w, const struct in6_addr *a)
{
	wbuf_bytes(w, a->s6_addr, 16);
}

void
wbuf_in4(struct wbuf *w, const struct in_addr *a)
{
	wbuf_bytes(w, &a->s_addr, 4);
}

void
wbuf_set_u8(struct wbuf *w, size_t off, uint8_t v)
{
	if (off + 1 > w->len) {
		w->err = true;
		return;
	}
	w->data[off] = v;
}

void
wbuf_set_u16(struct wbuf *w, size_t off, uint16_t v)
{
	if (off + 2 > w->len) {
		w->err = true;
		return;
	}
	w->data[off] = (uint8_t)(v >> 8);
	w->data[off + 1] = (uint8_t)v;
}

void
wbuf_set_u32(struct wbuf *w, size_t off, uint32_t v)
{
	wbuf_set_u16(w, off, (uint16_t)(v >> 16));
	wbuf_set_u16(w, off + 2, (uint16_t)v);
}
