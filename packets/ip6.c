/*
 * ip6.c - the IPv6 header and its extension-header chain (RFC 8200 §4):
 * Hop-by-Hop and Destination Options with the Home Address option (RFC
 * 6275 §6.3), Routing headers including Type 2 (RFC 6275 §6.4), Fragment,
 * AH (skipped by its length) and ESP (opaque after SPI and sequence).
 * Decoder (with the Mobile IPv6 placement checks) and encoder.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pkt_impl.h"
#include "viol.h"

#define TLV_PAD1	0
#define TLV_PADN	1
#define HAO_LEN		16	/* RFC 6275 §6.3: Option Length 16 */
#define RH2_HDR_EXT_LEN	2	/* RFC 6275 §6.4.1 */
#define RH2_SEGLEFT	1
#define RH_FIXED	4	/* Next Header .. Segments Left */
#define FRAG_LEN	8
#define AH_FIXED	12	/* up to and including the sequence number */
#define AH_ICV_DEFAULT	12	/* HMAC-SHA1-96 */
#define ESP_FIXED	8

/*
 * RFC 8200 §4.1 recommends IPv6, Hop-by-Hop, Destination Options (for the
 * Routing header), Routing, Fragment, AH, ESP, Destination Options, upper
 * layer.  RFC 6275 §6.3 puts the Destination Options header that carries
 * the Home Address option after the Routing header and before Fragment,
 * AH and ESP; it gets a rank between those.
 */
enum ext_rank {
	RANK_NONE = -1, RANK_DST_FIRST = 2, RANK_RH = 4, RANK_DST_HAO = 5,
	RANK_FRAG = 6, RANK_AH = 8, RANK_ESP = 10, RANK_DST_LAST = 12
};

/* Walk state of one IPv6 packet's header chain. */
struct walk {
	size_t	pend;		/* end of the payload decoded */
	bool	cut;		/* pend: capture end, not Payload Length */
	int	max_rank;
	bool	after_frag_ipsec;
	bool	hao_hdr_seen;	/* a Destination Options hdr with a HAO */
	size_t	hao_hdr_off;
	unsigned nhao;
	bool	rh2_seen;
};

struct ext_info {
	uint8_t		 proto;
	enum hdr_kind	 kind;
	const char	*name;
};

static const struct ext_info ext_table[] = {
	{ PROTO_HOPOPT, HDR_HBH, "Hop-by-Hop Options header" },
	{ PROTO_DSTOPTS, HDR_DSTOPT, "Destination Options header" },
	{ PROTO_ROUTING, HDR_RH, "Routing header" },
	{ PROTO_FRAGMENT, HDR_FRAG, "Fragment header" },
	{ PROTO_AH, HDR_AH, "Authentication Header" },
};

static const struct ext_info *
ext_lookup(uint8_t proto)
{
	size_t i;

	for (i = 0; i < sizeof(ext_table) / sizeof(ext_table[0]); i++)
		if (ext_table[i].proto == proto)
			return &ext_table[i];
	return NULL;
}

/* ------------------------------------------------------------ helpers */

const struct in6_addr *
opts_hao(const struct hdr_opts *o)
{
	size_t i, n = o->ntlv < IP6_TLV_MAX ? o->ntlv : IP6_TLV_MAX;

	for (i = 0; i < n; i++)
		if (o->tlv[i].type == IP6_HAO_TYPE && o->tlv[i].len == HAO_LEN)
			return &o->tlv[i].hoa;
	return NULL;
}

/*
 * The HAO the encoder will write: without HDR_KEEP_LEN every option of
 * type 201 goes out with Length 16, so it counts even if `len` is unset.
 */
const struct in6_addr *
opts_hao_encoded(const struct hdr *h)
{
	const struct hdr_opts *o = &h->u.opts;
	size_t i, n = o->ntlv < IP6_TLV_MAX ? o->ntlv : IP6_TLV_MAX;

	if ((h->keep & HDR_KEEP_LEN) != 0)
		return opts_hao(o);
	for (i = 0; i < n; i++)
		if (o->tlv[i].type == IP6_HAO_TYPE)
			return &o->tlv[i].hoa;
	return NULL;
}

/*
 * The final destination a Routing header names, for the pseudo-header
 * (RFC 8200 §8.1), when Segments Left > 0: Type 2 its home address (RFC
 * 6275 §6.4), Type 0 its last address, Type 4 (SRH, RFC 8754 §2) Segment
 * List[0].  `data` holds the octets after octet 4.
 */
bool
rh_final_dst(const struct hdr_rh *rh, struct in6_addr *out)
{
	struct rbuf b;
	size_t n = rh->data_len;

	if (rh->segleft == 0)
		return false;
	rbuf_init(&b, rh->data, n);
	switch (rh->type) {
	case 2:
		if (n != 0 && n < 20)
			return false;
		*out = rh->addr;
		return true;
	case 0:
		if (n < 20 || (n - 4) % 16 != 0)
			return false;
		rbuf_skip(&b, n - 16);
		break;
	case 4:
		if (n < 20)
			return false;
		rbuf_skip(&b, 4);
		break;
	default:
		return false;
	}
	rbuf_in6(&b, out);
	return !b.err;
}

/* Report a header that does not fit: capture truncation or past Payload
 * Length (RFC 8200 §4). */
static void
ext_overrun(struct pdec *d, const struct walk *wk, const char *name,
    size_t off, size_t need)
{
	size_t left = wk->pend - off;

	if (wk->cut)
		pdec_trunc(d, name, off, need, left);
	else
		viol_add(&d->p->viol, V_EXT_PAST_END, off, (uint32_t)need,
		    (uint32_t)left, 0, name);
}

/* The header's length from its own length octet, or 0 if it overruns. */
static size_t
ext_length(struct pdec *d, const struct walk *wk, const struct ext_info *x,
    size_t off)
{
	struct rbuf b;
	size_t need;
	uint8_t lb;
	bool ok;

	rbuf_init(&b, d->buf + off, wk->pend - off);
	lb = rbuf_peek(&b, 1, &ok);
	if (x->kind == HDR_FRAG)
		need = FRAG_LEN;
	else if (x->kind == HDR_AH)	/* RFC 4302 §2.2: 4n octets - 2 */
		need = ok ? ((size_t)lb + 2) * 4 : 8;
	else				/* RFC 8200 §4.3: 8n octets - 1 */
		need = ok ? ((size_t)lb + 1) * 8 : 8;
	if (need > rbuf_left(&b)) {
		ext_overrun(d, wk, x->name, off, need);
		return 0;
	}
	return need;
}

/* RFC 8200 §4.1 order; the HAO header's placement is judged separately. */
static void
ext_order(struct pdec *d, struct walk *wk, int rank, size_t off, uint8_t nh,
    const char *name)
{
	if (rank == RANK_DST_HAO)
		return;
	if (rank <= wk->max_rank)
		viol_add(&d->p->viol, V_EXT_ORDER, off, nh, 0, 0, name);
	else
		wk->max_rank = rank;
}

/* -------------------------------------------------- options headers */

/* Copy an option's data; report what does not fit in ip6_tlv.data. */
static void
tlv_copy_data(struct pdec *d, struct ip6_tlv *t, struct rbuf *v,
    size_t boff, bool *nonzero)
{
	size_t i, n = rbuf_left(v);
	uint8_t c;
	bool lost = false;

	t->data_len = (uint8_t)(n < sizeof(t->data) ? n : sizeof(t->data));
	*nonzero = false;
	for (i = 0; i < n; i++) {
		c = rbuf_u8(v);
		if (i < sizeof(t->data))
			t->data[i] = c;
		else if (c != 0)
			lost = true;
		if (c != 0)
			*nonzero = true;
	}
	/* The encoder zero-fills past data[]: only non-zero bytes are lost. */
	if (lost)
		viol_add(&d->p->viol, V_TOO_MANY, boff, sizeof(t->data), 0, 0,
		    "option data bytes");
}

/* The Home Address option, RFC 6275 §6.3. */
static void
tlv_hao(struct pdec *d, struct ip6_tlv *t, struct rbuf *v, size_t boff,
    bool kept, struct walk *wk, struct l3 *l3)
{
	bool nonzero;

	if (t->len != HAO_LEN) {
		viol_add(&d->p->viol, V_HAO_LENGTH, boff, t->len, 0, 0, NULL);
		tlv_copy_data(d, t, v, boff, &nonzero);
		return;
	}
	rbuf_in6(v, &t->hoa);
	t->data_len = 0;
	/* Alignment 8n+6: the address lands on an 8-octet boundary. */
	if (t->off % 8 != 6)
		viol_add(&d->p->viol, V_HAO_MISALIGNED, boff, t->off, 0, 0,
		    NULL);
	if (wk->nhao++ > 0) {
		viol_add(&d->p->viol, V_HAO_DUPLICATE, boff, 0, 0, 0, NULL);
		return;
	}
	if (!kept)	/* beyond IP6_TLV_MAX: already reported */
		return;
	l3->hao = &t->hoa;
	l3->hao_off = boff;
}

static void
opts_decode(struct pdec *d, struct hdr *h, size_t hl, struct walk *wk,
    struct l3 *l3, bool *has_hao)
{
	struct hdr_opts *o = &h->u.opts;
	bool dst = h->kind == HDR_DSTOPT, full = false, nonzero;
	const char *name = dst ? "Destination Options header" :
	    "Hop-by-Hop Options header";
	struct ip6_tlv spare, *t;
	struct rbuf b, v;
	size_t toff;

	rbuf_init(&b, d->buf + h->off, hl);
	o->nh = rbuf_u8(&b);
	o->hdr_ext_len = rbuf_u8(&b);
	o->ntlv = 0;
	*has_hao = false;
	while (rbuf_left(&b) > 0) {
		toff = b.off;
		if (o->ntlv < IP6_TLV_MAX)
			t = &o->tlv[o->ntlv++];
		else {
			if (!full)
				viol_add(&d->p->viol, V_TOO_MANY, h->off + toff,
				    IP6_TLV_MAX, 0, 0,
				    "options in an extension header");
			full = true;
			t = &spare;
		}
		t->type = rbuf_u8(&b);
		t->len = 0;
		t->off = (uint16_t)toff;
		t->data_len = 0;
		memset(&t->hoa, 0, sizeof(t->hoa));
		if (t->type == TLV_PAD1)
			continue;
		if (rbuf_left(&b) < 1 || rbuf_peek(&b, 0, NULL) >
		    rbuf_left(&b) - 1) {
			/* RFC 8200 §4.2: an option ends inside its header */
			t->len = rbuf_peek(&b, 0, NULL);
			viol_add(&d->p->viol, V_TLV_PAST_END, h->off + toff,
			    t->type, t->len, 0, name);
			rbuf_skip(&b, rbuf_left(&b) > 0 ? 1 : 0);
			v = rbuf_sub(&b, rbuf_left(&b));
			tlv_copy_data(d, t, &v, h->off + toff, &nonzero);
			break;
		}
		t->len = rbuf_u8(&b);
		v = rbuf_sub(&b, t->len);
		if (dst && t->type == IP6_HAO_TYPE) {
			tlv_hao(d, t, &v, h->off + toff, t != &spare, wk,
			    l3);
			*has_hao = true;
			continue;
		}
		if (t->type == IP6_HAO_TYPE && t->len == HAO_LEN) {
			/* not a HAO outside Destination Options (RFC 6275
			 * §6.3), but kept in the same field for re-encoding */
			rbuf_in6(&v, &t->hoa);
			continue;
		}
		tlv_copy_data(d, t, &v, h->off + toff, &nonzero);
		/* RFC 8200 §4.2: PadN is sent with zero contents. */
		if (t->type == TLV_PADN && nonzero)
			viol_add(&d->p->viol, V_PADN_NONZERO, h->off + toff,
			    (uint32_t)toff, 0, 0, name);
	}
}

/* --------------------------------------------------- routing header */

static void
rh_store(struct hdr_rh *rh, struct rbuf *b, size_t rest)
{
	struct rbuf c;

	if (rh->type == 2 && rh->hdr_ext_len == RH2_HDR_EXT_LEN) {
		rh->reserved = rbuf_u32(b);
		rbuf_in6(b, &rh->addr);
		rh->data_len = 0;
		return;
	}
	rh->data_len = (uint8_t)(rest < sizeof(rh->data) ? rest :
	    sizeof(rh->data));
	rbuf_bytes(b, rh->data, rh->data_len);
	rbuf_init(&c, rh->data, rh->data_len);
	rh->reserved = rbuf_u32(&c);
	rbuf_in6(&c, &rh->addr);
	if (c.err && rh->data_len < 20)
		memset(&rh->addr, 0, sizeof(rh->addr));
}

/* Final destination from the wire (any length), RFC 8200 §8.1. */
static bool
rh_wire_final(const struct pdec *d, const struct hdr_rh *rh, size_t off,
    size_t hl, struct in6_addr *out)
{
	struct rbuf b;

	if (rh->segleft == 0)
		return false;
	rbuf_init(&b, d->buf + off, hl);
	switch (rh->type) {
	case 2:
		if (hl < 24)
			return false;
		*out = rh->addr;
		return true;
	case 0:
		if (hl < 24 || (hl - 8) % 16 != 0)
			return false;
		rbuf_skip(&b, hl - 16);
		break;
	case 4:
		if (hl < 24)
			return false;
		rbuf_skip(&b, 8);
		break;
	default:
		return false;
	}
	rbuf_in6(&b, out);
	return !b.err;
}

/* Returns true when the header is a duplicate RH2 (reported as such). */
static bool
rh_decode(struct pdec *d, struct hdr *h, size_t hl, struct walk *wk,
    struct l3 *l3)
{
	struct hdr_rh *rh = &h->u.rh;
	struct rbuf b, t;
	bool dup = false;
	uint8_t c;

	rbuf_init(&b, d->buf + h->off, hl);
	rh->nh = rbuf_u8(&b);
	rh->hdr_ext_len = rbuf_u8(&b);
	rh->type = rbuf_u8(&b);
	rh->segleft = rbuf_u8(&b);
	t = b;
	rh_store(rh, &b, hl - RH_FIXED);
	if (hl - RH_FIXED > sizeof(rh->data)) {
		rbuf_skip(&t, sizeof(rh->data));
		while (rbuf_left(&t) > 0)
			if ((c = rbuf_u8(&t)) != 0) {
				viol_add(&d->p->viol, V_TOO_MANY, h->off,
				    sizeof(rh->data), 0, 0,
				    "Routing header data bytes");
				break;
			}
	}
	if (rh->type == 2) {
		/* RFC 6275 §6.4.1: Hdr Ext Len 2, Segments Left 1 (Linux
		 * ipv6_rthdr_rcv() silently drops any other RH2). */
		if (rh->hdr_ext_len != RH2_HDR_EXT_LEN)
			viol_add(&d->p->viol, V_RH2_LENGTH, h->off + 1,
			    rh->hdr_ext_len, 0, 0, NULL);
		if (rh->segleft != RH2_SEGLEFT)
			viol_add(&d->p->viol, V_RH2_SEGLEFT, h->off + 3,
			    rh->segleft, 0, 0, NULL);
		if (wk->rh2_seen) {
			viol_add(&d->p->viol, V_RH2_DUPLICATE, h->off, 0, 0, 0,
			    NULL);
			dup = true;
		} else if (hl >= 24) {
			l3->rh2 = &rh->addr;
			l3->rh2_off = h->off;
		}
		wk->rh2_seen = true;
	} else if (rh->segleft > 0)
		/* RFC 8200 §4.4: unrecognized type, Segments Left non-zero */
		viol_add(&d->p->viol, V_RH_UNKNOWN_TYPE, h->off + 2, rh->type,
		    rh->segleft, 0, NULL);
	if (!l3->have_final &&
	    rh_wire_final(d, rh, h->off, hl, &l3->final_dst))
		l3->have_final = true;
	/* RFC 6275 §6.3: the HAO goes after the Routing header. */
	if (wk->hao_hdr_seen)
		viol_add(&d->p->viol, V_HAO_PLACEMENT, wk->hao_hdr_off, 0, 0, 0,
		    NULL);
	return dup;
}

/* ----------------------------------------------- fragment, AH, ESP */

/* Returns true when the payload is a fragment that is not decoded. */
static bool
frag_decode(struct pdec *d, struct hdr *h)
{
	struct hdr_frag *f = &h->u.frag;
	struct rbuf b;
	uint16_t w;

	rbuf_init(&b, d->buf + h->off, FRAG_LEN);
	f->nh = rbuf_u8(&b);
	f->reserved = rbuf_u8(&b);
	w = rbuf_u16(&b);
	f->offset = w >> 3;
	f->res2 = (w >> 1) & 3;
	f->m = (w & 1) != 0;
	f->id = rbuf_u32(&b);
	/* An atomic fragment (offset 0, M 0; RFC 6946) is decoded whole. */
	if (f->offset == 0 && !f->m)
		return false;
	viol_add(&d->p->viol, V_FRAG_NOT_FIRST, h->off, (uint32_t)f->offset * 8,
	    f->m, 0, NULL);
	return true;
}

static void
ah_decode(struct pdec *d, struct hdr *h, size_t hl)
{
	struct hdr_ipsec *a = &h->u.ipsec;
	struct rbuf b;

	/* Fields beyond a too-small Payload Len read as zero. */
	rbuf_init(&b, d->buf + h->off, hl);
	a->nh = rbuf_u8(&b);
	a->ah_len = rbuf_u8(&b);
	rbuf_skip(&b, 2);
	a->spi = rbuf_u32(&b);
	a->seq = rbuf_u32(&b);
	/* the ESP-only members, so that nothing reads them unset */
	a->opened = a->seal = a->bad_icv = a->have_iv = false;
	a->pad_len = 0;
	a->plain_len = 0;
}

static int	walk_chain(struct pdec *, size_t off, uint8_t nh,
		    struct walk *, struct l3 *);

/*
 * ESP opened with the decoder's SA: the chain goes on in the plaintext
 * (RFC 4303 §3.4.4), decoded from a copy of the frame where the
 * ciphertext was; a capture cut short cannot be checked.
 */
static int
esp_inner(struct pdec *d, struct hdr *h, const struct esp_sa *sa,
    size_t off, struct walk *wk, struct l3 *l3)
{
	const uint8_t *outer = d->buf;
	size_t in_off, in_end, pend = wk->pend;
	uint8_t *frame, nh;
	int rc;

	if (wk->cut || pdec_esp_open(d, h, sa, off, wk->pend, &frame,
	    &in_off, &in_end, &nh) < 0)
		return pdec_data(d, PROTO_ESP, off + ESP_FIXED, wk->pend);
	d->buf = frame;
	wk->pend = in_end;
	rc = walk_chain(d, in_off, nh, wk, l3);
	wk->pend = pend;
	d->buf = outer;
	free(frame);
	return rc;
}

/* ESP: SPI and sequence number in the clear, the rest opaque unless the
   decoder has the SA. */
static int
esp_decode(struct pdec *d, size_t off, struct walk *wk, struct l3 *l3)
{
	const struct esp_sa *sa;
	struct hdr *h;
	struct rbuf b;

	if (wk->pend - off < ESP_FIXED) {
		pdec_trunc(d, "ESP header", off, ESP_FIXED, wk->pend - off);
		return -1;
	}
	ext_order(d, wk, RANK_ESP, off, PROTO_ESP, "ESP header");
	wk->after_frag_ipsec = true;
	if ((h = pdec_push(d, HDR_ESP, off)) == NULL)
		return 0;
	rbuf_init(&b, d->buf + off, ESP_FIXED);
	h->len = ESP_FIXED;
	h->u.ipsec.nh = 0;
	h->u.ipsec.ah_len = 0;
	h->u.ipsec.spi = rbuf_u32(&b);
	h->u.ipsec.seq = rbuf_u32(&b);
	h->u.ipsec.opened = false;
	h->u.ipsec.pad_len = 0;
	h->u.ipsec.plain_len = 0;
	h->u.ipsec.seal = false;
	h->u.ipsec.bad_icv = false;
	h->u.ipsec.have_iv = false;
	if ((sa = pkt_esp_keys_find(d->keys, h->u.ipsec.spi)) != NULL)
		return esp_inner(d, h, sa, off, wk, l3);
	if (off + ESP_FIXED < wk->pend)
		return pdec_data(d, PROTO_ESP, off + ESP_FIXED, wk->pend);
	return 0;
}

/* ------------------------------------------------------- the chain */

static int
dstopt_rank(const struct walk *wk, bool has_hao)
{
	if (has_hao)
		return RANK_DST_HAO;
	return wk->max_rank < RANK_RH ? RANK_DST_FIRST : RANK_DST_LAST;
}

/*
 * One extension header at `off`: returns 1 and sets *next and *hl to go
 * on, 0 when the chain ends here (a fragment), -1 when it cannot be read.
 */
static int
ext_decode(struct pdec *d, const struct ext_info *x, size_t off, bool first,
    struct walk *wk, struct l3 *l3, uint8_t *next, size_t *hl)
{
	struct hdr *h;
	bool has_hao, dup;

	if ((*hl = ext_length(d, wk, x, off)) == 0)
		return -1;
	if ((h = pdec_push(d, x->kind, off)) == NULL)
		return 0;
	h->len = (uint16_t)*hl;
	switch (x->kind) {
	case HDR_HBH:
		/* RFC 8200 §4.3: only immediately after the IPv6 header. */
		if (!first)
			viol_add(&d->p->viol, V_HBH_NOT_FIRST, off, 0, 0, 0,
			    NULL);
		opts_decode(d, h, *hl, wk, l3, &has_hao);
		*next = h->u.opts.nh;
		return 1;
	case HDR_DSTOPT:
		opts_decode(d, h, *hl, wk, l3, &has_hao);
		ext_order(d, wk, dstopt_rank(wk, has_hao), off,
		    PROTO_DSTOPTS, x->name);
		if (has_hao) {
			/* RFC 6275 §6.3: before Fragment, AH and ESP. */
			if (wk->after_frag_ipsec)
				viol_add(&d->p->viol, V_HAO_PLACEMENT, off, 0,
				    0, 0, NULL);
			if (!wk->hao_hdr_seen) {
				wk->hao_hdr_seen = true;
				wk->hao_hdr_off = off;
			}
		}
		*next = h->u.opts.nh;
		return 1;
	case HDR_RH:
		dup = rh_decode(d, h, *hl, wk, l3);
		if (!dup)
			ext_order(d, wk, RANK_RH, off, PROTO_ROUTING, x->name);
		*next = h->u.rh.nh;
		return 1;
	case HDR_FRAG:
		ext_order(d, wk, RANK_FRAG, off, PROTO_FRAGMENT, x->name);
		wk->after_frag_ipsec = true;
		if (frag_decode(d, h)) {
			pdec_data(d, h->u.frag.nh, off + *hl, wk->pend);
			return 0;
		}
		*next = h->u.frag.nh;
		return 1;
	default:
		ext_order(d, wk, RANK_AH, off, PROTO_AH, x->name);
		wk->after_frag_ipsec = true;
		ah_decode(d, h, *hl);
		*next = h->u.ipsec.nh;
		return 1;
	}
}

static int
walk_chain(struct pdec *d, size_t off, uint8_t nh, struct walk *wk,
    struct l3 *l3)
{
	const struct ext_info *x;
	bool first = true;
	size_t hl;
	int rc;

	for (;;) {
		if (d->stop)
			return 0;
		if ((x = ext_lookup(nh)) != NULL) {
			rc = ext_decode(d, x, off, first, wk, l3, &nh, &hl);
			if (rc <= 0)
				return rc;
			off += hl;
			first = false;
			continue;
		}
		if (nh == PROTO_ESP)
			return esp_decode(d, off, wk, l3);
		if (nh == PROTO_NONE) {
			/* RFC 8200 §4.7: octets after No Next Header are
			 * ignored, not an error; kept for re-encoding. */
			if (off < wk->pend)
				return pdec_data(d, PROTO_NONE, off, wk->pend);
			return 0;
		}
		return pdec_upper(d, nh, off, wk->pend, l3);
	}
}

int
pdec_ip6(struct pdec *d, size_t off, size_t end)
{
	struct hdr_ipv6 *ip6;
	struct hdr *h;
	struct walk wk;
	struct l3 l3;
	struct rbuf b;
	size_t avail = end - off, plen_end;
	uint32_t vtf;
	int rc;

	if (avail < IP6_HDR_LEN) {
		pdec_trunc(d, "IPv6 header", off, IP6_HDR_LEN, avail);
		return -1;
	}
	if ((h = pdec_push(d, HDR_IPV6, off)) == NULL)
		return 0;
	h->len = IP6_HDR_LEN;
	ip6 = &h->u.ip6;
	rbuf_init(&b, d->buf + off, IP6_HDR_LEN);
	vtf = rbuf_u32(&b);
	ip6->tclass = (uint8_t)(vtf >> 20);
	ip6->flow = vtf & 0xfffff;
	ip6->plen = rbuf_u16(&b);
	ip6->nh = rbuf_u8(&b);
	ip6->hlim = rbuf_u8(&b);
	rbuf_in6(&b, &ip6->src);
	rbuf_in6(&b, &ip6->dst);
	if (vtf >> 28 != 6)
		viol_add(&d->p->viol, V_IP6_VERSION, off, vtf >> 28, 0, 0,
		    NULL);
	plen_end = off + IP6_HDR_LEN + ip6->plen;
	wk.cut = plen_end > end;
	if (wk.cut && !pdec_cut_by_capture(d, plen_end))
		viol_add(&d->p->viol, V_IP6_PLEN, off + 4, ip6->plen,
		    (uint32_t)(avail - IP6_HDR_LEN), 0, NULL);
	wk.pend = wk.cut ? end : plen_end;
	wk.max_rank = RANK_NONE;
	wk.after_frag_ipsec = false;
	wk.hao_hdr_seen = false;
	wk.hao_hdr_off = 0;
	wk.nhao = 0;
	wk.rh2_seen = false;

	l3.family = 6;
	l3.src6 = &ip6->src;
	l3.dst6 = &ip6->dst;
	l3.hao = NULL;
	l3.hao_off = 0;
	l3.rh2 = NULL;
	l3.rh2_off = 0;
	l3.have_final = false;
	l3.hlim = ip6->hlim;
	l3.complete = !wk.cut;

	rc = walk_chain(d, off + IP6_HDR_LEN, ip6->nh, &wk, &l3);
	if (!wk.cut)
		pdec_trailing(d, "IPv6 packet", plen_end, end);
	return rc;
}

/* ------------------------------------------------------------ encoder */

void
penc_ip6(const struct pkt *p, size_t i, struct wbuf *w)
{
	const struct hdr *h = &p->h[i];
	const struct hdr_ipv6 *ip6 = &h->u.ip6;

	wbuf_u32(w, 6u << 28 | (uint32_t)ip6->tclass << 20 |
	    (ip6->flow & 0xfffff));
	wbuf_u16(w, (h->keep & HDR_KEEP_LEN) != 0 ? ip6->plen : 0);
	wbuf_u8(w, (h->keep & HDR_KEEP_NH) != 0 ? ip6->nh :
	    penc_next_proto(p, i, PROTO_NONE));
	wbuf_u8(w, ip6->hlim);
	wbuf_in6(w, &ip6->src);
	wbuf_in6(w, &ip6->dst);
}

void
penc_ip6_finish(const struct pkt *p, size_t i, size_t start, struct wbuf *w)
{
	size_t plen = w->len - start - IP6_HDR_LEN;

	if ((p->h[i].keep & HDR_KEEP_LEN) != 0)
		return;
	if (plen > 0xffff) {
		w->err = true;	/* a jumbogram: not supported */
		return;
	}
	wbuf_set_u16(w, start + 4, (uint16_t)plen);
}

/* Canonical padding of n octets: Pad1, or PadN with n-2 zeros. */
static void
write_pad(struct wbuf *w, size_t n)
{
	if (n == 0)
		return;
	if (n == 1) {
		wbuf_u8(w, TLV_PAD1);
		return;
	}
	wbuf_u8(w, TLV_PADN);
	wbuf_u8(w, (uint8_t)(n - 2));
	wbuf_zero(w, n - 2);
}

static void
write_tlv(const struct ip6_tlv *t, bool keep, struct wbuf *w)
{
	uint8_t len;
	size_t n;

	if (t->type == TLV_PAD1) {
		wbuf_u8(w, TLV_PAD1);
		return;
	}
	if (keep)
		len = t->len;
	else if (t->type == IP6_HAO_TYPE)
		len = HAO_LEN;
	else if (t->data_len == sizeof(t->data) && t->len > t->data_len)
		len = t->len;	/* longer than data[]: zeros follow */
	else
		len = t->data_len;
	wbuf_u8(w, t->type);
	wbuf_u8(w, len);
	if (t->type == IP6_HAO_TYPE && len == HAO_LEN) {
		wbuf_in6(w, &t->hoa);
		return;
	}
	n = t->data_len < len ? t->data_len : len;
	wbuf_bytes(w, t->data, n);
	wbuf_zero(w, len - n);
}

/*
 * Options: written in order.  Unless HDR_KEEP_LEN, a Home Address option
 * is aligned to 8n+6 (RFC 6275 §6.3) and the header padded to 8n with
 * Pad1/PadN (RFC 8200 §4.2), and Hdr Ext Len computed.
 */
static void
write_opts(const struct pkt *p, size_t i, struct wbuf *w)
{
	const struct hdr *h = &p->h[i];
	const struct hdr_opts *o = &h->u.opts;
	bool keep = (h->keep & HDR_KEEP_LEN) != 0;
	size_t k, start = w->len, n = o->ntlv, declared;

	wbuf_u8(w, (h->keep & HDR_KEEP_NH) != 0 ? o->nh :
	    penc_next_proto(p, i, PROTO_NONE));
	wbuf_u8(w, o->hdr_ext_len);
	if (n > IP6_TLV_MAX)
		n = IP6_TLV_MAX;
	for (k = 0; k < n; k++) {
		if (!keep && o->tlv[k].type == IP6_HAO_TYPE)
			write_pad(w, (14 - (w->len - start) % 8) % 8);
		write_tlv(&o->tlv[k], keep, w);
	}
	if (keep) {
		declared = ((size_t)o->hdr_ext_len + 1) * 8;
		if (w->len - start < declared)
			wbuf_zero(w, declared - (w->len - start));
		return;
	}
	write_pad(w, (8 - (w->len - start) % 8) % 8);
	if ((w->len - start) / 8 - 1 > 0xff)
		w->err = true;
	else
		wbuf_set_u8(w, start + 1, (uint8_t)((w->len - start) / 8 - 1));
}

static void
write_rh(const struct pkt *p, size_t i, struct wbuf *w)
{
	const struct hdr *h = &p->h[i];
	const struct hdr_rh *rh = &h->u.rh;
	size_t start = w->len, declared;

	wbuf_u8(w, (h->keep & HDR_KEEP_NH) != 0 ? rh->nh :
	    penc_next_proto(p, i, PROTO_NONE));
	wbuf_u8(w, rh->hdr_ext_len);
	wbuf_u8(w, rh->type);
	wbuf_u8(w, rh->segleft);
	if (rh->data_len > 0)
		wbuf_bytes(w, rh->data, rh->data_len);
	else {
		wbuf_u32(w, rh->reserved);
		wbuf_in6(w, &rh->addr);
	}
	if ((h->keep & HDR_KEEP_LEN) != 0) {
		declared = ((size_t)rh->hdr_ext_len + 1) * 8;
		if (w->len - start < declared)
			wbuf_zero(w, declared - (w->len - start));
		return;
	}
	declared = ((size_t)rh->hdr_ext_len + 1) * 8;
	if (rh->data_len == sizeof(rh->data) && declared > w->len - start)
		wbuf_zero(w, declared - (w->len - start)); /* beyond data[] */
	wbuf_zero(w, (8 - (w->len - start) % 8) % 8);
	wbuf_set_u8(w, start + 1, (uint8_t)((w->len - start) / 8 - 1));
}

static void
write_frag(const struct pkt *p, size_t i, struct wbuf *w)
{
	const struct hdr *h = &p->h[i];
	const struct hdr_frag *f = &h->u.frag;

	wbuf_u8(w, (h->keep & HDR_KEEP_NH) != 0 ? f->nh :
	    penc_next_proto(p, i, PROTO_NONE));
	wbuf_u8(w, f->reserved);
	wbuf_u16(w, (uint16_t)((f->offset & 0x1fff) << 3 | (f->res2 & 3) << 1 |
	    (f->m ? 1 : 0)));
	wbuf_u32(w, f->id);
}

/*
 * AH: the ICV is not kept, it is written as zeros.  Unless HDR_KEEP_LEN
 * the header is 24 octets (a 12-octet ICV, HMAC-SHA1-96; 8n for IPv6 as
 * RFC 4302 §2.2 requires); with it, exactly (Payload Len + 2) * 4 octets.
 */
static void
write_ah(const struct pkt *p, size_t i, struct wbuf *w)
{
	const struct hdr *h = &p->h[i];
	const struct hdr_ipsec *a = &h->u.ipsec;
	bool keep = (h->keep & HDR_KEEP_LEN) != 0;
	uint8_t len = keep ? a->ah_len : (AH_FIXED + AH_ICV_DEFAULT) / 4 - 2;
	size_t total = ((size_t)len + 2) * 4;
	uint8_t fixed[AH_FIXED];
	struct wbuf f;

	wbuf_init(&f, fixed, sizeof(fixed));
	wbuf_u8(&f, (h->keep & HDR_KEEP_NH) != 0 ? a->nh :
	    penc_next_proto(p, i, PROTO_NONE));
	wbuf_u8(&f, len);
	wbuf_u16(&f, 0);
	wbuf_u32(&f, a->spi);
	wbuf_u32(&f, a->seq);
	wbuf_bytes(w, fixed, total < AH_FIXED ? total : AH_FIXED);
	if (total > AH_FIXED)
		wbuf_zero(w, total - AH_FIXED);
}

void
penc_ext(const struct pkt *p, size_t i, struct wbuf *w)
{
	switch (p->h[i].kind) {
	case HDR_HBH:
	case HDR_DSTOPT:
		write_opts(p, i, w);
		break;
	case HDR_RH:
		write_rh(p, i, w);
		break;
	case HDR_FRAG:
		write_frag(p, i, w);
		break;
	case HDR_AH:
		write_ah(p, i, w);
		break;
	case HDR_ESP:
		wbuf_u32(w, p->h[i].u.ipsec.spi);
		wbuf_u32(w, p->h[i].u.ipsec.seq);
		break;
	default:
		break;
	}
}
