/*
 * stack/had/ha_nd.c - the home agent's Neighbor Discovery on the home link
 * (see ha_nd.h): proxy Duplicate Address Detection of a home address
 * before its first registration is accepted (RFC 6275 §10.4.1 with RFC
 * 4862 §5.4), then proxy ND for it until de-registration (RFC 6275
 * §10.4.1, RFC 4861 §7.2.4, §7.2.6, §7.2.8).
 *
 * Pure: packets are built with the packets/ library and leave through
 * ops->send; NS/NA come in already decoded; time is a number.  The eBPF
 * program copies NS/NA for the targets we ask for with ops->ndp_watch, on
 * ingress only, so our own transmissions never come back to us.
 *
 * Two dense arrays of entries: addresses in DAD and addresses we defend.
 * Each entry covers a home address and, when `linklocal` (the BU's L
 * flag), the link-local address with the same interface identifier.  A
 * home agent may hold a million bindings, so nothing here scans them:
 *
 * - an index (open addressing, linear probing, doubled at 3/4 load) maps
 *   each target address to the entries covering it.  It is a multimap:
 *   two home addresses with the same interface identifier share one
 *   link-local target, and all slots for a target lie on one probe run.
 *   Slots hold a reference (kind, array position, which target) and the
 *   hash, not the address, so a slot is 8 bytes.  Entries leave by
 *   swap-remove; the entry moved into the hole has its slots retagged.
 * - one binary min-heap of due times holds every pending DAD round or
 *   verdict and unsolicited-NA round.  A FIFO per kind would be O(1), but
 *   its order only holds if every round is re-queued at `now + retrans`;
 *   rounds here are due at exactly start + k x retrans (no drift), the
 *   engine may run timers late, and ha_nd_set_dad may change retrans
 *   while rounds are pending, all of which break FIFO order.  The heap
 *   keeps exact times in O(log n) with nothing to rebuild.
 * Arrays, index and heap only grow (by doubling): no per-operation malloc.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "packets/pkt.h"
#include "packets/viol.h"
#include "stack/had/ha_nd.h"
#include "stack/had/ha_util.h"

#define ND_HOP_LIMIT		255	/* RFC 4861 §7.1.1, §7.1.2 */
#define ND_MIN_LEN		24	/* NS and NA without options */
#define ND_RETRANS_DEFAULT_MS	1000	/* RETRANS_TIMER, RFC 4861 §10 */
#define ND_UNSOL_NA_COUNT	3	/* MAX_NEIGHBOR_ADVERTISEMENT, §10 */
#define ND_MAX_TARGETS		2	/* the home address and its
					   link-local twin */
#define ND_CONFLICT_BATCH	8	/* DAD verdicts collected at once */

/*
 * A reference to an entry: its position in nd->dad or nd->proxy shifted
 * left by REF_SHIFT, REF_PROXY for the kind and, in the index only,
 * REF_LL for the link-local twin rather than the home address.
 */
#define REF_PROXY		0x1u
#define REF_LL			0x2u
#define REF_SHIFT		2
#define REF_NONE		UINT32_MAX
#define ND_MAX_ENTRIES		((size_t)(REF_NONE >> REF_SHIFT) - 1)

/* What DAD and proxy entries share. */
struct nd_key {
	struct in6_addr	hoa;
	bool		linklocal;
	unsigned	ifindex;
	uint32_t	heap_pos;	/* in nd->heap, or REF_NONE */
};

struct nd_dad {
	struct nd_key	k;
	unsigned	sent;		/* NS rounds sent so far */
	ha_nd_dad_done	*done;
	void		*arg;
};

struct nd_proxy {
	struct nd_key	k;
	unsigned	na_left;	/* unsolicited NA rounds still to send */
};

struct nd_slot {
	uint32_t	ref;		/* REF_NONE: empty */
	uint32_t	hash;		/* of the target */
};

struct nd_index {
	struct nd_slot	*slot;
	size_t		cap;		/* 0 or a power of two */
	size_t		n;
};

struct nd_timer {
	uint64_t	due_ms;		/* next round, or the DAD verdict */
	uint32_t	ref;
};

struct nd_heap {
	struct nd_timer	*t;
	size_t		n, cap;
};

struct ha_nd {
	struct ha_ops	ops;
	struct ha_iface	*ifaces;
	size_t		nifaces;
	unsigned	transmits;
	unsigned	retrans_ms;
	struct nd_dad	*dad;
	size_t		ndad, dad_cap;
	struct nd_proxy	*proxy;
	size_t		nproxy, proxy_cap;
	struct nd_index	ix;
	struct nd_heap	heap;
};

/* ------------------------------------------------------------ helpers */

#define nd_log(nd, ...)	ha_ops_log(&(nd)->ops, __VA_ARGS__)

/* fe80::/64 with the interface identifier of `a`. */
static struct in6_addr
nd_linklocal_of(const struct in6_addr *a)
{
	struct in6_addr ll;

	memset(&ll, 0, sizeof(ll));
	ll.s6_addr[0] = 0xfe;
	ll.s6_addr[1] = 0x80;
	memcpy(&ll.s6_addr[8], &a->s6_addr[8], 8);
	return ll;
}

/* ff02::1:ffXX:XXXX, RFC 4291 §2.7.1. */
static struct in6_addr
nd_solicited_node(const struct in6_addr *target)
{
	struct in6_addr m;

	memset(&m, 0, sizeof(m));
	m.s6_addr[0] = 0xff;
	m.s6_addr[1] = 0x02;
	m.s6_addr[11] = 0x01;
	m.s6_addr[12] = 0xff;
	memcpy(&m.s6_addr[13], &target->s6_addr[13], 3);
	return m;
}

static bool
nd_is_solicited_node(const struct in6_addr *a)
{
	static const uint8_t pfx[13] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0x01, 0xff };

	return memcmp(a->s6_addr, pfx, sizeof(pfx)) == 0;
}

static struct in6_addr
nd_all_nodes(void)
{
	struct in6_addr m;

	memset(&m, 0, sizeof(m));
	m.s6_addr[0] = 0xff;
	m.s6_addr[1] = 0x02;
	m.s6_addr[15] = 0x01;
	return m;
}

/* The addresses an entry stands for; returns how many. */
static size_t
nd_targets(const struct in6_addr *hoa, bool linklocal,
    struct in6_addr out[ND_MAX_TARGETS])
{
	out[0] = *hoa;
	if (!linklocal)
		return 1;
	out[1] = nd_linklocal_of(hoa);
	return 2;
}

static const struct ha_iface *
nd_iface(const struct ha_nd *nd, unsigned ifindex)
{
	size_t i;

	for (i = 0; i < nd->nifaces; i++)
		if (nd->ifaces[i].ifindex == ifindex)
			return &nd->ifaces[i];
	return NULL;
}

static unsigned
nd_retrans(const struct ha_nd *nd)
{
	return nd->retrans_ms != 0 ? nd->retrans_ms : ND_RETRANS_DEFAULT_MS;
}

static bool
grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return true;
	ncap = *cap != 0 ? *cap * 2 : 8;
	p = realloc(*arr, ncap * elem);
	if (p == NULL)
		return false;
	*arr = p;
	*cap = ncap;
	return true;
}

/* ---------------------------------------------------------- entries */

static struct nd_key *
nd_key_of(const struct ha_nd *nd, uint32_t ref)
{
	size_t i = ref >> REF_SHIFT;

	return (ref & REF_PROXY) != 0 ? &nd->proxy[i].k : &nd->dad[i].k;
}

/* The address an index reference stands for. */
static struct in6_addr
nd_ref_target(const struct ha_nd *nd, uint32_t ref)
{
	const struct nd_key *k = nd_key_of(nd, ref);

	return (ref & REF_LL) != 0 ? nd_linklocal_of(&k->hoa) : k->hoa;
}

/* ------------------------------------------------------------ index */

/* murmur3's 64-bit finaliser over both halves: sequential home
   addresses must not form runs in a linear-probing table. */
static uint32_t
nd_hash(const struct in6_addr *a)
{
	uint64_t hi, lo, h;

	memcpy(&hi, &a->s6_addr[0], sizeof(hi));
	memcpy(&lo, &a->s6_addr[8], sizeof(lo));
	h = (hi * 0x9e3779b97f4a7c15ULL) ^ lo;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (uint32_t)h;
}

static void
nd_index_put(struct nd_index *ix, uint32_t ref, uint32_t hash)
{
	size_t mask = ix->cap - 1, i = hash & mask;

	while (ix->slot[i].ref != REF_NONE)
		i = (i + 1) & mask;
	ix->slot[i].ref = ref;
	ix->slot[i].hash = hash;
	ix->n++;
}

/* Room for `more` slots at most 3/4 full; rehashes when it doubles. */
static bool
nd_index_reserve(struct nd_index *ix, size_t more)
{
	struct nd_index bigger;
	size_t i;

	if ((ix->n + more) * 4 <= ix->cap * 3)
		return true;
	bigger.cap = ix->cap != 0 ? ix->cap * 2 : 16;
	while ((ix->n + more) * 4 > bigger.cap * 3)
		bigger.cap *= 2;
	bigger.n = 0;
	bigger.slot = malloc(bigger.cap * sizeof(*bigger.slot));
	if (bigger.slot == NULL)
		return false;
	for (i = 0; i < bigger.cap; i++)
		bigger.slot[i].ref = REF_NONE;
	for (i = 0; i < ix->cap; i++)
		if (ix->slot[i].ref != REF_NONE)
			nd_index_put(&bigger, ix->slot[i].ref,
			    ix->slot[i].hash);
	free(ix->slot);
	*ix = bigger;
	return true;
}

static void
nd_index_clear(struct nd_index *ix)
{
	size_t i;

	for (i = 0; i < ix->cap; i++)
		ix->slot[i].ref = REF_NONE;
	ix->n = 0;
}

/* Add ref (room reserved); its entry must already hold the address. */
static void
nd_index_add(struct ha_nd *nd, uint32_t ref)
{
	struct in6_addr t = nd_ref_target(nd, ref);

	nd_index_put(&nd->ix, ref, nd_hash(&t));
}

/* The slot holding ref, found from its entry's address; or SIZE_MAX. */
static size_t
nd_index_slot(const struct ha_nd *nd, uint32_t ref)
{
	struct in6_addr t = nd_ref_target(nd, ref);
	size_t mask = nd->ix.cap - 1, i;

	if (nd->ix.cap == 0)
		return SIZE_MAX;
	for (i = nd_hash(&t) & mask; nd->ix.slot[i].ref != REF_NONE;
	    i = (i + 1) & mask)
		if (nd->ix.slot[i].ref == ref)
			return i;
	return SIZE_MAX;
}

/*
 * Remove ref: backward-shift deletion keeps every probe run unbroken
 * without tombstones (a later slot moves into the hole unless its home
 * bucket lies after the hole).
 */
static void
nd_index_del(struct ha_nd *nd, uint32_t ref)
{
	struct nd_index *ix = &nd->ix;
	size_t hole = nd_index_slot(nd, ref), mask = ix->cap - 1, j, home;

	if (hole == SIZE_MAX)
		return;
	for (j = (hole + 1) & mask; ix->slot[j].ref != REF_NONE;
	    j = (j + 1) & mask) {
		home = ix->slot[j].hash & mask;
		if (((j - home) & mask) >= ((j - hole) & mask)) {
			ix->slot[hole] = ix->slot[j];
			hole = j;
		}
	}
	ix->slot[hole].ref = REF_NONE;
	ix->n--;
}

/* Walks the entries covering one target.  No change to nd meanwhile. */
struct nd_match {
	struct in6_addr	target;
	uint32_t	hash;
	size_t		i;
};

static void
nd_match_init(const struct ha_nd *nd, struct nd_match *m,
    const struct in6_addr *target)
{
	m->target = *target;
	m->hash = nd_hash(target);
	m->i = nd->ix.cap != 0 ? m->hash & (nd->ix.cap - 1) : 0;
}

static uint32_t
nd_match_next(const struct ha_nd *nd, struct nd_match *m)
{
	size_t mask = nd->ix.cap - 1;
	const struct nd_slot *s;
	struct in6_addr t;

	if (nd->ix.cap == 0)
		return REF_NONE;
	for (; (s = &nd->ix.slot[m->i])->ref != REF_NONE;
	    m->i = (m->i + 1) & mask) {
		if (s->hash != m->hash)
			continue;
		t = nd_ref_target(nd, s->ref);
		if (in6_eq(&t, &m->target)) {
			m->i = (m->i + 1) & mask;
			return s->ref;
		}
	}
	return REF_NONE;
}

/* The DAD (kind 0) or proxy (REF_PROXY) entry for hoa, or REF_NONE. */
static uint32_t
nd_find(const struct ha_nd *nd, uint32_t kind, const struct in6_addr *hoa)
{
	struct nd_match m;
	uint32_t ref;

	nd_match_init(nd, &m, hoa);
	while ((ref = nd_match_next(nd, &m)) != REF_NONE)
		if ((ref & (REF_PROXY | REF_LL)) == kind)
			return ref;
	return REF_NONE;
}

/*
 * What the eBPF program must copy for `target`: the union over every DAD
 * and proxy entry that covers it (two home addresses with the same
 * interface identifier share a link-local address).
 */
static uint32_t
nd_watch_flags(const struct ha_nd *nd, const struct in6_addr *target)
{
	struct nd_match m;
	uint32_t flags = 0, ref;

	nd_match_init(nd, &m, target);
	while ((ref = nd_match_next(nd, &m)) != REF_NONE)
		flags |= (ref & REF_PROXY) != 0 ? M6N_PROXY : M6N_DAD;
	return flags;
}

/* Tell the data plane what to copy for an entry's addresses. */
static void
nd_rewatch(const struct ha_nd *nd, const struct in6_addr *hoa, bool linklocal)
{
	struct in6_addr t[ND_MAX_TARGETS];
	size_t i, n = nd_targets(hoa, linklocal, t);

	if (nd->ops.ndp_watch == NULL)
		return;
	for (i = 0; i < n; i++)
		nd->ops.ndp_watch(nd->ops.ctx, &t[i], nd_watch_flags(nd, &t[i]));
}

/* ------------------------------------------------------------- heap */

static void
nd_heap_put(struct ha_nd *nd, size_t pos, struct nd_timer t)
{
	nd->heap.t[pos] = t;
	nd_key_of(nd, t.ref)->heap_pos = (uint32_t)pos;
}

static void
nd_heap_up(struct ha_nd *nd, size_t pos)
{
	struct nd_timer t = nd->heap.t[pos];
	size_t parent;

	while (pos > 0) {
		parent = (pos - 1) / 2;
		if (nd->heap.t[parent].due_ms <= t.due_ms)
			break;
		nd_heap_put(nd, pos, nd->heap.t[parent]);
		pos = parent;
	}
	nd_heap_put(nd, pos, t);
}

static void
nd_heap_down(struct ha_nd *nd, size_t pos)
{
	struct nd_timer t = nd->heap.t[pos];
	size_t child;

	while ((child = 2 * pos + 1) < nd->heap.n) {
		if (child + 1 < nd->heap.n &&
		    nd->heap.t[child + 1].due_ms < nd->heap.t[child].due_ms)
			child++;
		if (t.due_ms <= nd->heap.t[child].due_ms)
			break;
		nd_heap_put(nd, pos, nd->heap.t[child]);
		pos = child;
	}
	nd_heap_put(nd, pos, t);
}

/*
 * Schedule an entry (queued or not).  The heap never grows here: its
 * capacity covers every entry (nd_reserve).
 */
static void
nd_timer_set(struct ha_nd *nd, uint32_t ref, uint64_t due_ms)
{
	struct nd_key *k = nd_key_of(nd, ref);
	struct nd_timer t = { .due_ms = due_ms, .ref = ref };
	size_t pos = k->heap_pos;

	if (k->heap_pos == REF_NONE)
		pos = nd->heap.n++;
	nd->heap.t[pos] = t;
	nd_heap_up(nd, pos);
	nd_heap_down(nd, nd_key_of(nd, ref)->heap_pos);
}

static void
nd_timer_del(struct ha_nd *nd, uint32_t ref)
{
	struct nd_key *k = nd_key_of(nd, ref);
	size_t pos = k->heap_pos, last;
	uint32_t moved;

	if (pos == REF_NONE)
		return;
	k->heap_pos = REF_NONE;
	last = --nd->heap.n;
	if (pos == last)
		return;
	moved = nd->heap.t[last].ref;
	nd->heap.t[pos] = nd->heap.t[last];
	nd_heap_up(nd, pos);
	nd_heap_down(nd, nd_key_of(nd, moved)->heap_pos);
}

/* ------------------------------------------------------- life cycle */

/*
 * Room for one more entry of a kind (when new_entry) and for `targets`
 * more index slots, all before anything changes, so that a failure
 * leaves the tables as they were.
 */
static bool
nd_reserve(struct ha_nd *nd, uint32_t kind, bool new_entry, size_t targets)
{
	size_t total = nd->ndad + nd->nproxy;

	if (new_entry) {
		if (total >= ND_MAX_ENTRIES)
			return false;
		if (kind == REF_PROXY ? !grow((void **)&nd->proxy,
		    &nd->proxy_cap, nd->nproxy, sizeof(*nd->proxy)) :
		    !grow((void **)&nd->dad, &nd->dad_cap, nd->ndad,
		    sizeof(*nd->dad)))
			return false;
		if (!grow((void **)&nd->heap.t, &nd->heap.cap, total,
		    sizeof(*nd->heap.t)))
			return false;
	}
	return nd_index_reserve(&nd->ix, targets);
}

/* Index a new entry's addresses. */
static void
nd_entry_index(struct ha_nd *nd, uint32_t ref)
{
	nd_index_add(nd, ref);
	if (nd_key_of(nd, ref)->linklocal)
		nd_index_add(nd, ref | REF_LL);
}

/* Point the index and heap at `to` for the entry now at `from`. */
static void
nd_entry_retag(struct ha_nd *nd, uint32_t from, uint32_t to)
{
	const struct nd_key *k = nd_key_of(nd, from);
	size_t s;

	if ((s = nd_index_slot(nd, from)) != SIZE_MAX)
		nd->ix.slot[s].ref = to;
	if (k->linklocal &&
	    (s = nd_index_slot(nd, from | REF_LL)) != SIZE_MAX)
		nd->ix.slot[s].ref = to | REF_LL;
	if (k->heap_pos != REF_NONE)
		nd->heap.t[k->heap_pos].ref = to;
}

/* Drop an entry in O(1) (plus O(log n) for its timer): swap-remove. */
static void
nd_entry_remove(struct ha_nd *nd, uint32_t ref)
{
	uint32_t kind = ref & REF_PROXY, last;
	size_t *n = kind != 0 ? &nd->nproxy : &nd->ndad, i = ref >> REF_SHIFT;

	nd_index_del(nd, ref);
	if (nd_key_of(nd, ref)->linklocal)
		nd_index_del(nd, ref | REF_LL);
	nd_timer_del(nd, ref);
	last = ((uint32_t)(*n - 1) << REF_SHIFT) | kind;
	if (last != ref) {
		nd_entry_retag(nd, last, ref);
		if (kind != 0)
			nd->proxy[i] = nd->proxy[*n - 1];
		else
			nd->dad[i] = nd->dad[*n - 1];
	}
	(*n)--;
}

static void
nd_send(const struct ha_nd *nd, unsigned oif, const struct pkt *p,
    const char *what)
{
	uint8_t buf[1280];
	size_t len;

	if (pkt_encode(p, buf, sizeof(buf), &len) != 0) {
		nd_log(nd, LOG_ERR, "nd: cannot encode %s", what);
		return;
	}
	if (nd->ops.send != NULL)
		nd->ops.send(nd->ops.ctx, oif, buf, len);
}

/* An IPv6 header for an ND message (hop limit 255, RFC 4861 §7.1). */
static void
nd_push_ip6(struct pkt *p, const struct in6_addr *src,
    const struct in6_addr *dst)
{
	struct hdr *h;

	pkt_init(p, PKT_LINK_IPV6);
	h = pkt_push(p, HDR_IPV6);
	h->u.ip6.hlim = ND_HOP_LIMIT;
	h->u.ip6.src = *src;
	h->u.ip6.dst = *dst;
}

/*
 * A DAD probe, RFC 4862 §5.4.2: source unspecified, destination the
 * target's solicited-node address, no Source Link-Layer Address option.
 */
static void
nd_send_dad_ns(const struct ha_nd *nd, unsigned ifindex,
    const struct in6_addr *target)
{
	static const struct in6_addr any;
	struct in6_addr dst = nd_solicited_node(target);
	struct icmp6_msg *m;
	struct pkt p;

	nd_push_ip6(&p, &any, &dst);
	m = pkt_push_icmp6(&p, ICMP6_T_NS, 0);
	m->u.nsna.target = *target;
	nd_send(nd, ifindex, &p, "DAD NS");
}

/*
 * A proxy NA for target with our MAC as its link-layer address (RFC 6275
 * §10.4.1), from the interface's link-local address (RFC 4861 §7.2.4).
 */
static void
nd_send_na(const struct ha_nd *nd, unsigned ifindex,
    const struct in6_addr *target, const struct in6_addr *dst,
    uint32_t flags)
{
	const struct ha_iface *ifp = nd_iface(nd, ifindex);
	struct icmp6_msg *m;
	struct nd_opt *o;
	struct pkt p;
	char a[IN6_STRLEN];

	/* The NA's source must be an address of the interface (§7.2.4). */
	if (ifp == NULL || in6_unspecified(&ifp->ll)) {
		nd_log(nd, LOG_WARNING, "nd: interface %u has no link-local "
		    "address for the NA of %s", ifindex, in6_fmt(target, a));
		return;
	}
	nd_push_ip6(&p, &ifp->ll, dst);
	m = pkt_push_icmp6(&p, ICMP6_T_NA, 0);
	m->u.nsna.flags = flags;
	m->u.nsna.target = *target;
	o = icmp6_add_opt(m, NDOPT_TLLA);
	memcpy(o->u.lladdr, ifp->mac, sizeof(o->u.lladdr));
	nd_send(nd, ifindex, &p, "NA");
}

/* One round of unsolicited NAs for an entry, RFC 6275 §10.4.1. */
static void
nd_send_unsolicited(const struct ha_nd *nd, const struct nd_proxy *px)
{
	struct in6_addr t[ND_MAX_TARGETS], all = nd_all_nodes();
	size_t i, n = nd_targets(&px->k.hoa, px->k.linklocal, t);

	/* R=0, S=0, O=1 so that neighbours replace the MN's MAC. */
	for (i = 0; i < n; i++)
		nd_send_na(nd, px->k.ifindex, &t[i], &all, ND_NA_O);
}

static void
nd_send_dad_round(const struct ha_nd *nd, const struct nd_dad *d)
{
	struct in6_addr t[ND_MAX_TARGETS];
	size_t i, n = nd_targets(&d->k.hoa, d->k.linklocal, t);

	for (i = 0; i < n; i++)
		nd_send_dad_ns(nd, d->k.ifindex, &t[i]);
}

/*
 * End DAD for one entry: drop it, stop watching, then tell the engine
 * (last, since the callback may start proxying or another DAD).
 */
static void
nd_dad_finish(struct ha_nd *nd, uint32_t ref, bool ok)
{
	struct nd_dad done = nd->dad[ref >> REF_SHIFT];
	char a[IN6_STRLEN];

	nd_entry_remove(nd, ref);
	nd_rewatch(nd, &done.k.hoa, done.k.linklocal);
	nd_log(nd, ok ? LOG_DEBUG : LOG_NOTICE, "nd: proxy DAD of %s %s",
	    in6_fmt(&done.k.hoa, a), ok ? "succeeded" : "failed: duplicate");
	if (done.done != NULL)
		done.done(done.arg, &done.k.hoa, ok);
}

/* ----------------------------------------------------------- the API */

struct ha_nd *
ha_nd_new(const struct ha_ops *ops)
{
	struct ha_nd *nd = calloc(1, sizeof(*nd));

	if (nd == NULL)
		return NULL;
	nd->ops = *ops;
	nd->transmits = 1;	/* DupAddrDetectTransmits, RFC 4862 §5.1 */
	nd->retrans_ms = ND_RETRANS_DEFAULT_MS;
	return nd;
}

void
ha_nd_free(struct ha_nd *nd)
{
	if (nd == NULL)
		return;
	free(nd->ifaces);
	free(nd->dad);
	free(nd->proxy);
	free(nd->ix.slot);
	free(nd->heap.t);
	free(nd);
}

void
ha_nd_set_ifaces(struct ha_nd *nd, const struct ha_iface *ifs, size_t n)
{
	struct ha_iface *copy = NULL;

	if (n > 0) {
		copy = calloc(n, sizeof(*copy));
		if (copy == NULL) {
			nd_log(nd, LOG_ERR, "nd: out of memory (interfaces)");
			return;
		}
		memcpy(copy, ifs, n * sizeof(*copy));
	}
	free(nd->ifaces);
	nd->ifaces = copy;
	nd->nifaces = n;
}

/*
 * Rounds already scheduled keep their due time; the new interval applies
 * from their next round on (the heap needs no rebuilding).
 */
void
ha_nd_set_dad(struct ha_nd *nd, unsigned transmits, unsigned retrans_ms)
{
	nd->transmits = transmits;
	nd->retrans_ms = retrans_ms;
}

/* A retransmitted BU for an address in DAD: same DAD, new owner. */
static int
nd_dad_renew(struct ha_nd *nd, uint32_t ref, bool linklocal,
    ha_nd_dad_done *done, void *arg)
{
	struct nd_dad *d = &nd->dad[ref >> REF_SHIFT];

	d->done = done;
	d->arg = arg;
	if (!linklocal || d->k.linklocal)
		return 0;
	if (!nd_index_reserve(&nd->ix, 1)) {
		nd_log(nd, LOG_ERR, "nd: out of memory (DAD)");
		return -1;
	}
	d->k.linklocal = true;
	nd_index_add(nd, ref | REF_LL);
	nd_rewatch(nd, &d->k.hoa, true);
	return 0;
}

int
ha_nd_dad_start(struct ha_nd *nd, const struct in6_addr *hoa, bool linklocal,
    unsigned ifindex, uint64_t now_ms, ha_nd_dad_done *done, void *arg)
{
	uint32_t ref = nd_find(nd, 0, hoa);
	struct nd_dad *d;
	uint64_t due;

	if (ref != REF_NONE)
		return nd_dad_renew(nd, ref, linklocal, done, arg);
	if (!nd_reserve(nd, 0, true, linklocal ? 2 : 1)) {
		nd_log(nd, LOG_ERR, "nd: out of memory (DAD)");
		return -1;
	}
	ref = (uint32_t)nd->ndad << REF_SHIFT;
	d = &nd->dad[nd->ndad++];
	memset(d, 0, sizeof(*d));
	d->k.hoa = *hoa;
	d->k.linklocal = linklocal;
	d->k.ifindex = ifindex;
	d->k.heap_pos = REF_NONE;
	d->done = done;
	d->arg = arg;
	nd_entry_index(nd, ref);
	nd_rewatch(nd, hoa, linklocal);
	/*
	 * transmits 0: no probe, the verdict is due now.  It is given by the
	 * next ha_nd_timeout, never from inside this call, so the caller's
	 * state is settled before its callback runs.
	 */
	due = now_ms;
	if (nd->transmits > 0) {
		nd_send_dad_round(nd, d);
		d->sent = 1;
		due = now_ms + nd_retrans(nd);
	}
	nd_timer_set(nd, ref, due);
	return 0;
}

void
ha_nd_dad_cancel(struct ha_nd *nd, const struct in6_addr *hoa)
{
	uint32_t ref = nd_find(nd, 0, hoa);
	bool ll;

	if (ref == REF_NONE)
		return;
	ll = nd->dad[ref >> REF_SHIFT].k.linklocal;
	nd_entry_remove(nd, ref);
	nd_rewatch(nd, hoa, ll);
}

/* A new proxy entry for hoa (room reserved); returns its reference. */
static uint32_t
nd_proxy_add(struct ha_nd *nd, const struct in6_addr *hoa, bool linklocal)
{
	uint32_t ref = ((uint32_t)nd->nproxy << REF_SHIFT) | REF_PROXY;
	struct nd_proxy *px = &nd->proxy[nd->nproxy++];

	memset(px, 0, sizeof(*px));
	px->k.hoa = *hoa;
	px->k.linklocal = linklocal;
	px->k.heap_pos = REF_NONE;
	nd_entry_index(nd, ref);
	return ref;
}

int
ha_nd_proxy_start(struct ha_nd *nd, const struct in6_addr *hoa,
    bool linklocal, unsigned ifindex, uint64_t now_ms)
{
	uint32_t ref = nd_find(nd, REF_PROXY, hoa);
	struct nd_proxy *px;
	bool old_ll = false;

	if (ref != REF_NONE) {
		px = &nd->proxy[ref >> REF_SHIFT];
		/* Already defended there: a refresh sends nothing new. */
		if (px->k.ifindex == ifindex && px->k.linklocal == linklocal)
			return 0;
		old_ll = px->k.linklocal;
		if (linklocal && !old_ll) {
			if (!nd_index_reserve(&nd->ix, 1))
				goto nomem;
			nd_index_add(nd, ref | REF_LL);
		} else if (!linklocal && old_ll)
			nd_index_del(nd, ref | REF_LL);
	} else {
		if (!nd_reserve(nd, REF_PROXY, true, linklocal ? 2 : 1))
			goto nomem;
		ref = nd_proxy_add(nd, hoa, linklocal);
		px = &nd->proxy[ref >> REF_SHIFT];
	}
	px->k.linklocal = linklocal;
	px->k.ifindex = ifindex;
	nd_rewatch(nd, hoa, linklocal || old_ll);
	/*
	 * RFC 6275 §10.4.1: multicast an NA for the home address at once;
	 * RFC 4861 §7.2.6: up to MAX_NEIGHBOR_ADVERTISEMENT of them,
	 * RetransTimer apart.
	 */
	nd_send_unsolicited(nd, px);
	px->na_left = ND_UNSOL_NA_COUNT - 1;
	nd_timer_set(nd, ref, now_ms + nd_retrans(nd));
	return 0;
nomem:
	nd_log(nd, LOG_ERR, "nd: out of memory (proxy)");
	return -1;
}

void
ha_nd_proxy_stop(struct ha_nd *nd, const struct in6_addr *hoa)
{
	uint32_t ref = nd_find(nd, REF_PROXY, hoa);
	bool ll;

	if (ref == REF_NONE)
		return;
	ll = nd->proxy[ref >> REF_SHIFT].k.linklocal;
	nd_entry_remove(nd, ref);
	nd_rewatch(nd, hoa, ll);
}

bool
ha_nd_proxying(const struct ha_nd *nd, const struct in6_addr *hoa)
{
	return nd_find(nd, REF_PROXY, hoa) != REF_NONE;
}

/* ------------------------------------------------------------- input */

/* Checks common to NS and NA, RFC 4861 §7.1.1 and §7.1.2. */
static bool
nd_valid_common(const struct pkt *p, const struct hdr_ipv6 *ip)
{
	const struct icmp6_msg *m = &p->icmp6;

	if (ip->hlim != ND_HOP_LIMIT || m->code != 0 || m->len < ND_MIN_LEN)
		return false;
	if (viol_has(&p->viol, V_ICMP6_CHECKSUM) ||
	    viol_has(&p->viol, V_ND_OPT_ZERO_LEN) ||
	    viol_has(&p->viol, V_ND_OPT_PAST_END))
		return false;
	/* Target Address is not a multicast address. */
	return m->u.nsna.target.s6_addr[0] != 0xff;
}

/* RFC 4861 §7.1.1 (TAHI HA 4.x invalid NS scope and target). */
static bool
nd_ns_valid(const struct pkt *p, const struct hdr_ipv6 *ip)
{
	if (!nd_valid_common(p, ip))
		return false;
	if (!in6_unspecified(&ip->src))
		return true;
	/* A DAD probe: to a solicited-node address, without SLLA. */
	return nd_is_solicited_node(&ip->dst) &&
	    icmp6_find_opt(&p->icmp6, NDOPT_SLLA) == NULL;
}

/* RFC 4861 §7.1.2. */
static bool
nd_na_valid(const struct pkt *p, const struct hdr_ipv6 *ip)
{
	if (!nd_valid_common(p, ip))
		return false;
	/* A multicast NA must not claim to be solicited. */
	return !(ip->dst.s6_addr[0] == 0xff &&
	    (p->icmp6.u.nsna.flags & ND_NA_S) != 0);
}

/*
 * Up to `cap` home addresses in DAD on ifindex that cover target, into
 * hit; returns how many there are in all.
 */
static size_t
nd_dad_hits(const struct ha_nd *nd, const struct in6_addr *target,
    unsigned ifindex, struct in6_addr *hit, size_t cap)
{
	const struct nd_key *k;
	struct nd_match m;
	uint32_t ref;
	size_t n = 0;

	nd_match_init(nd, &m, target);
	while ((ref = nd_match_next(nd, &m)) != REF_NONE) {
		if ((ref & REF_PROXY) != 0)
			continue;
		k = nd_key_of(nd, ref);
		if (k->ifindex != ifindex)
			continue;
		if (n < cap)
			hit[n] = k->hoa;
		n++;
	}
	return n;
}

/*
 * A valid NA, or a DAD probe from another node, for an address in DAD:
 * it is a duplicate (RFC 4862 §5.4.3, §5.4.4).  An NS from a specified
 * source is address resolution and does not count.  Our own probes are
 * never seen (the eBPF copy is ingress only), so any probe is foreign.
 */
static void
nd_dad_conflict(struct ha_nd *nd, const struct in6_addr *target,
    unsigned ifindex)
{
	struct in6_addr hit[ND_CONFLICT_BATCH];
	size_t left, n, i;
	uint32_t ref;

	/*
	 * Collect first, a batch at a time: a callback may change the
	 * tables under us.  At most as many verdicts as entries matched at
	 * the start, so callbacks starting new DADs cannot loop us.
	 */
	left = nd_dad_hits(nd, target, ifindex, hit, ND_CONFLICT_BATCH);
	while (left > 0) {
		n = left < ND_CONFLICT_BATCH ? left : ND_CONFLICT_BATCH;
		for (i = 0; i < n; i++)
			if ((ref = nd_find(nd, 0, &hit[i])) != REF_NONE)
				nd_dad_finish(nd, ref, false);
		left -= n;
		if (left > 0 && nd_dad_hits(nd, target, ifindex, hit,
		    ND_CONFLICT_BATCH) == 0)
			break;
	}
}

/*
 * Answer an NS for a defended address (RFC 6275 §10.4.1): the NA gives
 * our MAC, R=0.  A solicited proxy NA has O=0 (RFC 4861 §7.2.8: the node
 * itself, back on the link, overrides us).  A DAD probe (source ::) is
 * answered to all-nodes with S=0 (RFC 4861 §7.2.4), which defends it.
 */
static void
nd_proxy_answer(struct ha_nd *nd, const struct pkt *p,
    const struct hdr_ipv6 *ip, unsigned ifindex)
{
	const struct in6_addr *target = &p->icmp6.u.nsna.target;
	struct in6_addr all = nd_all_nodes();
	struct nd_match m;
	uint32_t ref;

	nd_match_init(nd, &m, target);
	while ((ref = nd_match_next(nd, &m)) != REF_NONE) {
		if ((ref & REF_PROXY) == 0 ||
		    nd_key_of(nd, ref)->ifindex != ifindex)
			continue;
		if (in6_unspecified(&ip->src))
			nd_send_na(nd, ifindex, target, &all, 0);
		else
			nd_send_na(nd, ifindex, target, &ip->src, ND_NA_S);
		return;
	}
}

void
ha_nd_input(struct ha_nd *nd, const struct pkt *p, unsigned ifindex,
    uint64_t now_ms)
{
	const struct hdr_ipv6 *ip = pkt_inner_ip6(p);
	const struct hdr *outer = pkt_find(p, HDR_IPV6);

	(void)now_ms;
	/* ND is link-local traffic: never from inside a tunnel. */
	if (ip == NULL || !p->has_icmp6 || &outer->u.ip6 != ip)
		return;
	switch (p->icmp6.type) {
	case ICMP6_T_NS:
		if (!nd_ns_valid(p, ip))
			return;
		if (in6_unspecified(&ip->src))
			nd_dad_conflict(nd, &p->icmp6.u.nsna.target, ifindex);
		nd_proxy_answer(nd, p, ip, ifindex);
		break;
	case ICMP6_T_NA:
		if (nd_na_valid(p, ip))
			nd_dad_conflict(nd, &p->icmp6.u.nsna.target, ifindex);
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------------ timers */

uint64_t
ha_nd_next_timeout(const struct ha_nd *nd)
{
	return nd->heap.n > 0 ? nd->heap.t[0].due_ms : UINT64_MAX;
}

/* One due round of unsolicited NAs; the next is RetransTimer later. */
static void
nd_proxy_round(struct ha_nd *nd, uint32_t ref, uint64_t due_ms)
{
	struct nd_proxy *px = &nd->proxy[ref >> REF_SHIFT];

	nd_send_unsolicited(nd, px);
	if (--px->na_left > 0)
		nd_timer_set(nd, ref, due_ms + nd_retrans(nd));
}

/* One due DAD round, or the verdict after the last one. */
static void
nd_dad_round(struct ha_nd *nd, uint32_t ref, uint64_t due_ms)
{
	struct nd_dad *d = &nd->dad[ref >> REF_SHIFT];

	if (d->sent < nd->transmits) {
		nd_send_dad_round(nd, d);
		d->sent++;
		nd_timer_set(nd, ref, due_ms + nd_retrans(nd));
	} else
		/* RFC 4862 §5.4.3: no duplicate heard in time. */
		nd_dad_finish(nd, ref, true);
}

void
ha_nd_timeout(struct ha_nd *nd, uint64_t now_ms)
{
	struct nd_timer t;

	/* Look at the top again each time: a verdict's callback may change
	   the tables. */
	while (nd->heap.n > 0 && (t = nd->heap.t[0]).due_ms <= now_ms) {
		nd_timer_del(nd, t.ref);
		if ((t.ref & REF_PROXY) != 0)
			nd_proxy_round(nd, t.ref, t.due_ms);
		else
			nd_dad_round(nd, t.ref, t.due_ms);
	}
}

void
ha_nd_reset(struct ha_nd *nd)
{
	size_t ndad = nd->ndad, nproxy = nd->nproxy, i;

	/* Empty everything first: every address then watches nothing. */
	nd->ndad = 0;
	nd->nproxy = 0;
	nd->heap.n = 0;
	nd_index_clear(&nd->ix);
	for (i = 0; i < ndad; i++)
		nd_rewatch(nd, &nd->dad[i].k.hoa, nd->dad[i].k.linklocal);
	for (i = 0; i < nproxy; i++)
		nd_rewatch(nd, &nd->proxy[i].k.hoa, nd->proxy[i].k.linklocal);
}
