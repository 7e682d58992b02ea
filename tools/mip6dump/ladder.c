/*
 * ladder.c - the per-binding message ladder of mip6dump --ladder: the
 * binding table (bounded, LRU eviction) and the matching of messages.
 *
 * Keys.  A binding is (mobile node home address, peer).  The home address
 * of a message the mobile node sends is its Home Address option, else the
 * (innermost) IPv6 source; of a message it receives, the Type 2 Routing
 * header's address, else the IPv6 destination; a Binding Error names it in
 * its Home Address field (RFC 6275 §6.1.9).  A care-of address learnt from
 * a Binding Update (the Alternate Care-of Address option, else the source,
 * RFC 6275 §6.1.7) maps later CoTI/CoT to the home address; CoTI/CoT seen
 * before that BU wait in a provisional binding keyed by the care-of address
 * and are merged into the home-address binding when a BU ties them.
 *
 * Matching.  A BA answers the BU transmission with its Sequence Number
 * (RFC 6275 §6.1.8).  A BU is a retransmission when the previous attempt
 * to the same peer asked for an acknowledgement, got none yet, and the new
 * BU carries the same flags, lifetime and care-of address, with the same
 * or a slightly higher sequence number: implementations differ in whether
 * they keep the number (RFC 6275 §11.8 asks for exponential back-off, not
 * for a particular number; §9.5.1 makes a receiver reject a number it has
 * seen, so many increment it).  HoT/CoT answer the HoTI/CoTI with the same
 * cookie (RFC 6275 §6.1.5, §6.1.6).
 */
#include <stdlib.h>
#include <string.h>

#include "packets/mh.h"
#include "packets/pkt.h"
#include "packets/sbuf.h"
#include "ladder_int.h"
#include "mip6dump.h"
#include "out.h"

#define COAMAP_SLOTS	4096	/* a direct-mapped cache: bounded */
#define RETX_SEQ_GAP	8	/* "slightly higher" sequence numbers */
#define ROWS_FIRST	8

/* What every handler needs about the packet at hand. */
struct ev {
	const struct frame	*f;
	const struct pkt	*p;
	const struct hdr_ipv6	*ip6;	/* innermost */
	int64_t			 t_us;
};

static bool
in6_eq(const struct in6_addr *a, const struct in6_addr *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static uint64_t
hash_bytes(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;	/* FNV-1a */
	}
	return h;
}

static size_t
bucket_of(const struct ladder *l, const struct in6_addr *mn,
    const struct in6_addr *peer, bool provisional)
{
	uint64_t h = 0xcbf29ce484222325ull;

	h = hash_bytes(h, mn, sizeof(*mn));
	h = hash_bytes(h, peer, sizeof(*peer));
	h = hash_bytes(h, &provisional, 1);
	return (size_t)(h & (l->nbuckets - 1));
}

/* ------------------------------------------------------------ the table */

struct ladder *
ladder_new(struct out *out, size_t max_bindings, bool json)
{
	struct ladder *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->out = out;
	l->json = json;
	l->max = max_bindings > 0 ? max_bindings : 1;
	for (l->nbuckets = 16; l->nbuckets < 2 * l->max; l->nbuckets *= 2)
		;
	l->buckets = calloc(l->nbuckets, sizeof(*l->buckets));
	l->coamap = calloc(COAMAP_SLOTS, sizeof(*l->coamap));
	if (l->buckets == NULL || l->coamap == NULL) {
		ladder_free(l);
		return NULL;
	}
	return l;
}

static void
lru_unlink(struct ladder *l, struct binding *b)
{
	if (b->newer != NULL)
		b->newer->older = b->older;
	else
		l->newest = b->older;
	if (b->older != NULL)
		b->older->newer = b->newer;
	else
		l->oldest = b->newer;
	b->newer = b->older = NULL;
}

static void
lru_push(struct ladder *l, struct binding *b)
{
	b->older = l->newest;
	b->newer = NULL;
	if (l->newest != NULL)
		l->newest->newer = b;
	l->newest = b;
	if (l->oldest == NULL)
		l->oldest = b;
}

/* Take a binding out of the table and the LRU list (not freed). */
static void
table_remove(struct ladder *l, struct binding *b)
{
	struct binding **pp = &l->buckets[bucket_of(l, &b->mn, &b->peer,
	    b->provisional)];

	while (*pp != NULL && *pp != b)
		pp = &(*pp)->hnext;
	if (*pp == b)
		*pp = b->hnext;
	lru_unlink(l, b);
	l->count--;
}

static void
binding_free(struct binding *b)
{
	free(b->rows);
	free(b);
}

static struct binding *
lookup(struct ladder *l, const struct in6_addr *mn,
    const struct in6_addr *peer, bool provisional)
{
	struct binding *b = l->buckets[bucket_of(l, mn, peer, provisional)];

	for (; b != NULL; b = b->hnext)
		if (b->provisional == provisional && in6_eq(&b->mn, mn) &&
		    in6_eq(&b->peer, peer))
			return b;
	return NULL;
}

static void finish_binding(struct binding *);

/* Make room: print the least recently used binding and forget it. */
static void
evict_oldest(struct ladder *l)
{
	struct binding *b = l->oldest;

	table_remove(l, b);
	b->evicted = true;
	l->evicted++;
	finish_binding(b);
	ladder_print_binding(l, b);
	binding_free(b);
}

/* The binding for (mn, peer), created when new; NULL without memory. */
static struct binding *
resolve(struct ladder *l, const struct in6_addr *mn,
    const struct in6_addr *peer, bool provisional, uint64_t n)
{
	struct binding *b = lookup(l, mn, peer, provisional);
	size_t i;

	if (b != NULL) {
		lru_unlink(l, b);
		lru_push(l, b);
		return b;
	}
	if (l->count >= l->max)
		evict_oldest(l);
	b = calloc(1, sizeof(*b));
	if (b == NULL)
		return NULL;
	b->mn = *mn;
	b->peer = *peer;
	b->provisional = provisional;
	b->first_n = n;
	i = bucket_of(l, mn, peer, provisional);
	b->hnext = l->buckets[i];
	l->buckets[i] = b;
	lru_push(l, b);
	l->count++;
	return b;
}

/* ------------------------------------------------------------- the rows */

struct row *
binding_row(struct binding *b, size_t i)
{
	return &b->rows[(b->head + i) % b->cap];
}

/* Copy the rows oldest first into a new array of `cap` entries. */
static int
rows_linearize(struct binding *b, size_t cap)
{
	struct row *r = malloc(cap * sizeof(*r));
	size_t i;

	if (r == NULL)
		return -1;
	for (i = 0; i < b->count; i++)
		r[i] = *binding_row(b, i);
	free(b->rows);
	b->rows = r;
	b->cap = cap;
	b->head = 0;
	return 0;
}

/* Append a row, keeping the latest LADDER_ROWS. */
static struct row *
row_append(struct binding *b, const struct row *src)
{
	struct row *r;

	if (b->count == b->cap && b->cap < LADDER_ROWS) {
		size_t cap = b->cap == 0 ? ROWS_FIRST : 2 * b->cap;

		if (rows_linearize(b, cap < LADDER_ROWS ? cap : LADDER_ROWS))
			return NULL;
	}
	if (b->count == b->cap) {
		r = &b->rows[b->head];
		b->head = (b->head + 1) % b->cap;
		b->dropped++;
	} else
		r = binding_row(b, b->count++);
	*r = *src;
	return r;
}

static struct row *
row_by_packet(struct binding *b, uint64_t n)
{
	size_t i;

	for (i = b->count; i > 0; i--)
		if (binding_row(b, i - 1)->n == n)
			return binding_row(b, i - 1);
	return NULL;
}

/* An sbuf appending to the row's notes, after a "; " separator. */
static void
note_begin(struct row *r, struct sbuf *sb)
{
	size_t len = strlen(r->note);

	sb->buf = r->note;
	sb->cap = sizeof(r->note);
	sb->len = len;
	sb->trunc = false;
	if (len > 0)
		sbuf_puts(sb, "; ");
}

static void
note_add(struct row *r, const char *text)
{
	struct sbuf sb;

	note_begin(r, &sb);
	sbuf_puts(&sb, text);
}

/* ------------------------------------------------------- the addresses */

static size_t
coamap_slot(const struct in6_addr *coa)
{
	return (size_t)(hash_bytes(0xcbf29ce484222325ull, coa,
	    sizeof(*coa)) % COAMAP_SLOTS);
}

static void
coamap_put(struct ladder *l, const struct in6_addr *coa,
    const struct in6_addr *hoa)
{
	struct coamap_slot *s = &l->coamap[coamap_slot(coa)];

	s->used = true;
	s->coa = *coa;
	s->hoa = *hoa;
}

static const struct in6_addr *
coamap_get(const struct ladder *l, const struct in6_addr *coa)
{
	const struct coamap_slot *s = &l->coamap[coamap_slot(coa)];

	return s->used && in6_eq(&s->coa, coa) ? &s->hoa : NULL;
}

/* An address that may be a care-of address: its home address if known. */
static const struct in6_addr *
to_home(const struct ladder *l, const struct in6_addr *a)
{
	const struct in6_addr *h = coamap_get(l, a);

	return h != NULL ? h : a;
}

/* The mobile node's address in a message it sent (RFC 6275 §6.3). */
static const struct in6_addr *
mn_of_sent(const struct ladder *l, const struct ev *e)
{
	const struct in6_addr *hao = pkt_hao(e->p);

	return hao != NULL ? hao : to_home(l, &e->ip6->src);
}

/* The mobile node's address in a message it received (RFC 6275 §6.4). */
static const struct in6_addr *
mn_of_received(const struct ladder *l, const struct ev *e)
{
	const struct in6_addr *rh2 = pkt_rh2(e->p);

	return rh2 != NULL ? rh2 : to_home(l, &e->ip6->dst);
}

/* The binding of a care-of test: by home address once a BU tied it. */
static struct binding *
resolve_careof(struct ladder *l, const struct in6_addr *coa,
    const struct in6_addr *peer, uint64_t n)
{
	const struct in6_addr *hoa = coamap_get(l, coa);

	if (hoa != NULL)
		return resolve(l, hoa, peer, false, n);
	return resolve(l, coa, peer, true, n);
}

/* ----------------------------------------------------------- merging */

/* Merge the rows of `from` into `to` in packet order. */
static void
merge_rows(struct binding *to, struct binding *from)
{
	size_t total = to->count + from->count, keep, i = 0, j = 0, k = 0;
	struct row *r;

	keep = total < LADDER_ROWS ? total : LADDER_ROWS;
	r = malloc((keep > 0 ? keep : 1) * sizeof(*r));
	if (r == NULL)
		return;
	while (i < to->count || j < from->count) {
		const struct row *a = i < to->count ? binding_row(to, i) : NULL;
		const struct row *c = j < from->count ?
		    binding_row(from, j) : NULL;
		const struct row *next;

		if (a != NULL && (c == NULL || a->n <= c->n)) {
			next = a;
			i++;
		} else {
			next = c;
			j++;
		}
		/* Keep the latest `keep` of `total`. */
		if (i + j > total - keep)
			r[k++] = *next;
	}
	free(to->rows);
	to->rows = r;
	to->cap = keep > 0 ? keep : 1;
	to->head = 0;
	to->count = keep;
	to->dropped += from->dropped + (total - keep);
}

static void
merge_inits(struct init *to, const struct init *from)
{
	size_t i, j;

	for (i = 0; i < PEND_INITS; i++) {
		if (!from[i].used)
			continue;
		for (j = 0; j < PEND_INITS && to[j].used; j++)
			;
		if (j < PEND_INITS)
			to[j] = from[i];
	}
}

/* A BU tied `coa` to b's home address: absorb its provisional binding. */
static void
absorb_careof(struct ladder *l, struct binding *b,
    const struct in6_addr *coa)
{
	struct binding *pb = lookup(l, coa, &b->peer, true);

	if (pb == NULL || pb == b)
		return;
	table_remove(l, pb);
	merge_rows(b, pb);
	merge_inits(b->coti, pb->coti);
	b->st.careof_tests += pb->st.careof_tests;
	if (pb->first_n < b->first_n)
		b->first_n = pb->first_n;
	binding_free(pb);
}

/* --------------------------------------------------------- annotations */

static void
row_init(struct row *r, const struct ev *e, bool from_peer)
{
	struct mh_print_ctx ctx = { pkt_hao(e->p), pkt_rh2(e->p) };
	const char *encap = pkt_encap_name(e->p);
	struct sbuf sb;
	size_t i;

	r->n = e->f->n;
	r->t_us = e->t_us;
	r->from_peer = from_peer;
	r->rtt_us = -1;
	r->retx = 0;
	r->backoff10 = 0;
	r->note[0] = '\0';
	sbuf_init(&sb, r->msg, sizeof(r->msg));
	mh_print_short(&sb, &e->p->mh, &ctx);
	if (encap != NULL && encap[0] != '\0') {
		note_begin(r, &sb);
		sbuf_printf(&sb, "via %s", encap);
	}
	for (i = 0; i < e->p->viol.n; i++) {
		const struct viol *v = &e->p->viol.v[i];

		if (viol_severity(v->code) == VS_INFO)
			continue;
		note_begin(r, &sb);
		sbuf_printf(&sb, "violation %s", viol_name(v->code));
	}
}

static void
note_duration(struct row *r, const char *what, int64_t us)
{
	struct sbuf sb;

	note_begin(r, &sb);
	sbuf_puts(&sb, what);
	sbuf_puts(&sb, " after ");
	fmt_duration(&sb, us);
}

static void
rtt_sample(struct bstats *st, int64_t us)
{
	if (st->nrtt == 0 || us < st->rtt_min)
		st->rtt_min = us;
	if (st->nrtt == 0 || us > st->rtt_max)
		st->rtt_max = us;
	st->rtt_sum += us;
	st->nrtt++;
}

/*
 * The attempt is over (a new one starts, or the capture ends): count it by
 * outcome; one that asked for a BA and got none is marked on its last
 * transmission (RFC 6275 §11.7.1: the A flag requests a BA).
 */
static void
end_attempt(struct binding *b)
{
	struct attempt *a = &b->bu;
	struct row *r;

	if (!a->active)
		return;
	a->active = false;
	if (a->accepted)
		b->st.accepted++;
	else if (a->rejected)
		b->st.rejected++;
	else if (a->want_ack) {
		b->st.no_ba++;
		if ((r = row_by_packet(b, a->last_n)) != NULL)
			note_add(r, "no BA");
	}
}

static void
finish_binding(struct binding *b)
{
	end_attempt(b);
}

/* ---------------------------------------------------------- BU and BA */

static bool
is_retransmission(const struct attempt *a, const struct mh_msg *m,
    const struct in6_addr *coa)
{
	uint16_t ahead = (uint16_t)(m->u.bu.seq - a->seq);

	return a->active && a->want_ack && !a->acked &&
	    a->flags == m->u.bu.flags && a->lifetime == m->u.bu.lifetime &&
	    in6_eq(&a->coa, coa) && ahead < RETX_SEQ_GAP;
}

static void
tx_record(struct attempt *a, uint16_t seq, int64_t t_us, uint64_t n)
{
	a->tx[a->ntx % TX_KEEP].seq = seq;
	a->tx[a->ntx % TX_KEEP].answered = false;
	a->tx[a->ntx % TX_KEEP].t_us = t_us;
	a->ntx++;
	a->seq = seq;
	a->last_us = t_us;
	a->last_n = n;
}

/* Retransmission k of the attempt: gap and back-off (RFC 6275 §11.8). */
static void
note_retransmission(struct binding *b, struct row *r, uint16_t seq)
{
	struct attempt *a = &b->bu;
	int64_t gap = r->t_us - a->last_us;
	struct sbuf sb;

	r->retx = (uint16_t)a->ntx;
	note_begin(r, &sb);
	sbuf_printf(&sb, "retransmission #%u of seq %u", a->ntx, a->seq0);
	if (seq != a->seq0)
		sbuf_printf(&sb, " as seq %u", seq);
	sbuf_puts(&sb, " after ");
	fmt_duration(&sb, gap);
	if (a->ntx >= 2 && a->last_gap_us > 0 && gap >= 0) {
		r->backoff10 = (uint16_t)((gap * 10 + a->last_gap_us / 2) /
		    a->last_gap_us);
		sbuf_puts(&sb, " (back-off x");
		fmt_tenths(&sb, r->backoff10);
		sbuf_putc(&sb, ')');
		if (r->backoff10 > b->st.max_backoff10)
			b->st.max_backoff10 = r->backoff10;
	}
	a->last_gap_us = gap;
	b->st.retx++;
}

static void
start_attempt(struct binding *b, struct row *r, const struct mh_msg *m,
    const struct in6_addr *coa)
{
	struct attempt *a = &b->bu;

	end_attempt(b);
	memset(a, 0, sizeof(*a));
	a->active = true;
	a->want_ack = (m->u.bu.flags & MH_BU_A) != 0;
	a->seq0 = m->u.bu.seq;
	a->flags = m->u.bu.flags;
	a->lifetime = m->u.bu.lifetime;
	a->coa = *coa;
	b->st.regs++;
	if (m->u.bu.lifetime == 0)
		note_add(r, "deregistration");
	if (b->brr_pending) {
		struct sbuf sb;

		note_begin(r, &sb);
		fmt_duration(&sb, r->t_us - b->brr_us);
		sbuf_puts(&sb, " after BRR");
		b->brr_pending = false;
	}
}

static void
on_bu(struct ladder *l, const struct ev *e)
{
	const struct mh_msg *m = &e->p->mh;
	const struct mh_opt *acoa = mh_find_opt(m, MHOPT_ACOA);
	const struct in6_addr *coa = acoa != NULL ? &acoa->u.acoa :
	    &e->ip6->src;
	struct in6_addr hoa = *mn_of_sent(l, e);
	struct binding *b;
	struct row r;

	b = resolve(l, &hoa, &e->ip6->dst, false, e->f->n);
	if (b == NULL)
		return;
	if (!in6_eq(coa, &hoa)) {
		coamap_put(l, coa, &hoa);
		absorb_careof(l, b, coa);
	}
	if (m->u.bu.flags & MH_BU_H)
		b->home = true;
	row_init(&r, e, false);
	if (is_retransmission(&b->bu, m, coa))
		note_retransmission(b, &r, m->u.bu.seq);
	else
		start_attempt(b, &r, m, coa);
	tx_record(&b->bu, m->u.bu.seq, e->t_us, e->f->n);
	row_append(b, &r);
}

/* The latest transmission of the current attempt with this number. */
static struct tx *
find_tx(struct attempt *a, uint16_t seq)
{
	unsigned i, kept = a->ntx < TX_KEEP ? a->ntx : TX_KEEP;

	if (!a->active)
		return NULL;
	for (i = 1; i <= kept; i++) {
		struct tx *t = &a->tx[(a->ntx - i) % TX_KEEP];

		if (t->seq == seq)
			return t;
	}
	return NULL;
}

/* Status 128 and above reject the BU (RFC 6275 §6.1.8). */
static void
note_ba_status(struct binding *b, struct row *r, const struct mh_msg *m,
    bool matched)
{
	struct sbuf sb;

	note_begin(r, &sb);
	if (m->u.ba.status >= BA_UNSPECIFIED) {
		sbuf_printf(&sb, "rejected: %s (status %u)",
		    mh_ba_status_name(m->u.ba.status), m->u.ba.status);
		b->bu.rejected |= matched;
		return;
	}
	b->bu.accepted |= matched;
	if (matched && b->bu.lifetime == 0) {
		sbuf_puts(&sb, "binding deleted");
		return;
	}
	sbuf_printf(&sb, "lifetime %us granted", 4u * m->u.ba.lifetime);
	if (matched)
		sbuf_printf(&sb, " (asked %us)", 4u * b->bu.lifetime);
}

static void
on_ba(struct ladder *l, const struct ev *e)
{
	const struct mh_msg *m = &e->p->mh;
	struct binding *b = resolve(l, mn_of_received(l, e), &e->ip6->src,
	    false, e->f->n);
	struct tx *t;
	struct row r;

	if (b == NULL)
		return;
	row_init(&r, e, true);
	t = find_tx(&b->bu, m->u.ba.seq);
	if (t == NULL)
		note_add(&r, "no matching BU");
	else if (t->answered) {
		note_add(&r, "duplicate BA");
		t = NULL;
	} else {
		r.rtt_us = e->t_us - t->t_us;
		note_duration(&r, "BA", r.rtt_us);
		rtt_sample(&b->st, r.rtt_us);
		t->answered = true;
		b->bu.acked = true;
	}
	note_ba_status(b, &r, m, t != NULL);
	row_append(b, &r);
}

/* --------------------------------------------------- return routability */

static void
init_push(struct init *pend, const uint8_t cookie[8], int64_t t_us)
{
	size_t i, oldest = 0;

	for (i = 0; i < PEND_INITS; i++) {
		if (!pend[i].used) {
			oldest = i;
			break;
		}
		if (pend[i].t_us < pend[oldest].t_us)
			oldest = i;
	}
	pend[oldest].used = true;
	memcpy(pend[oldest].cookie, cookie, 8);
	pend[oldest].t_us = t_us;
}

/* The matching init's time, consumed; -1 when none (RFC 6275 §5.2.5). */
static int64_t
init_match(struct init *pend, const uint8_t cookie[8])
{
	size_t i;

	for (i = 0; i < PEND_INITS; i++)
		if (pend[i].used && memcmp(pend[i].cookie, cookie, 8) == 0) {
			pend[i].used = false;
			return pend[i].t_us;
		}
	return -1;
}

static void
on_init(struct ladder *l, const struct ev *e, bool home)
{
	struct binding *b = home ?
	    resolve(l, mn_of_sent(l, e), &e->ip6->dst, false, e->f->n) :
	    resolve_careof(l, &e->ip6->src, &e->ip6->dst, e->f->n);
	struct row r;

	if (b == NULL)
		return;
	row_init(&r, e, false);
	init_push(home ? b->hoti : b->coti, e->p->mh.u.init.cookie, e->t_us);
	row_append(b, &r);
}

static void
on_test(struct ladder *l, const struct ev *e, bool home)
{
	struct binding *b = home ?
	    resolve(l, mn_of_received(l, e), &e->ip6->src, false, e->f->n) :
	    resolve_careof(l, &e->ip6->dst, &e->ip6->src, e->f->n);
	int64_t t0;
	struct row r;

	if (b == NULL)
		return;
	row_init(&r, e, true);
	t0 = init_match(home ? b->hoti : b->coti, e->p->mh.u.test.cookie);
	if (t0 < 0)
		note_add(&r, home ? "no matching HoTI" : "no matching CoTI");
	else {
		r.rtt_us = e->t_us - t0;
		note_duration(&r, home ? "HoT" : "CoT", r.rtt_us);
		if (home)
			b->st.home_tests++;
		else
			b->st.careof_tests++;
	}
	row_append(b, &r);
}

/* ------------------------------------------------------------ BRR, BE */

static void
on_brr(struct ladder *l, const struct ev *e)
{
	struct binding *b = resolve(l, mn_of_received(l, e), &e->ip6->src,
	    false, e->f->n);
	struct row r;

	if (b == NULL)
		return;
	row_init(&r, e, true);
	note_add(&r, "refresh requested");
	b->st.brr++;
	b->brr_pending = true;
	b->brr_us = e->t_us;
	row_append(b, &r);
}

static void
on_be(struct ladder *l, const struct ev *e)
{
	static const struct in6_addr unspec;
	const struct mh_msg *m = &e->p->mh;
	const struct in6_addr *hoa = in6_eq(&m->u.be.hoa, &unspec) ?
	    mn_of_received(l, e) : &m->u.be.hoa;
	struct binding *b = resolve(l, hoa, &e->ip6->src, false, e->f->n);
	struct sbuf sb;
	struct row r;

	if (b == NULL)
		return;
	row_init(&r, e, true);
	note_begin(&r, &sb);
	sbuf_printf(&sb, "binding error: %s (status %u)",
	    mh_be_status_name(m->u.be.status), m->u.be.status);
	b->st.be++;
	row_append(b, &r);
}

/* ------------------------------------------------------------- driver */

void
ladder_add(struct ladder *l, const struct frame *f, const struct pkt *p)
{
	struct ev e;

	e.f = f;
	e.p = p;
	e.t_us = f->sec * 1000000 + f->usec;
	if (!l->have_t0) {
		l->have_t0 = true;
		l->t0_us = e.t_us;
	}
	if (!p->has_mh || (e.ip6 = pkt_inner_ip6(p)) == NULL)
		return;
	switch (p->mh.type) {
	case MH_BU:	on_bu(l, &e); break;
	case MH_BA:	on_ba(l, &e); break;
	case MH_HOTI:	on_init(l, &e, true); break;
	case MH_COTI:	on_init(l, &e, false); break;
	case MH_HOT:	on_test(l, &e, true); break;
	case MH_COT:	on_test(l, &e, false); break;
	case MH_BRR:	on_brr(l, &e); break;
	case MH_BE:	on_be(l, &e); break;
	default:	break;
	}
}

static int
by_first_packet(const void *a, const void *b)
{
	const struct binding *x = *(struct binding *const *)a;
	const struct binding *y = *(struct binding *const *)b;

	return x->first_n < y->first_n ? -1 : x->first_n > y->first_n;
}

void
ladder_finish(struct ladder *l)
{
	struct binding **v = calloc(l->count + 1, sizeof(*v));
	struct binding *b;
	size_t i, n = 0;

	if (v == NULL)
		return;
	for (b = l->newest; b != NULL; b = b->older)
		v[n++] = b;
	qsort(v, n, sizeof(*v), by_first_packet);
	for (i = 0; i < n; i++) {
		finish_binding(v[i]);
		ladder_print_binding(l, v[i]);
	}
	free(v);
	ladder_print_totals(l);
}

void
ladder_free(struct ladder *l)
{
	struct binding *b, *next;

	if (l == NULL)
		return;
	for (b = l->newest; b != NULL; b = next) {
		next = b->older;
		binding_free(b);
	}
	free(l->buckets);
	free(l->coamap);
	free(l);
}
