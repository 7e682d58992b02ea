/*
 * stack/had/ha_bcache.c - binding cache storage for the home agent engine:
 * a linear-probing hash table of home addresses (backward-shift deletion,
 * so no tombstones), a pool of fixed-size chunks (entries never move, so
 * pointers held across calls stay valid) and a binary min-heap of entry
 * deadlines.  See ha_bcache.h.
 */
#include <stdlib.h>
#include <string.h>

#include "stack/had/ha_bcache.h"

#define CHUNK_SHIFT	10
#define CHUNK_SIZE	(1u << CHUNK_SHIFT)
#define CHUNK_MASK	(CHUNK_SIZE - 1)
#define NO_POS		UINT32_MAX
#define MIN_SLOTS	64

/* A hash slot: pool index + 1 (0 empty) and the hash's upper bits. */
struct slot {
	uint32_t	ref;
	uint32_t	tag;
};

struct bcache {
	uint64_t	 seed;
	/* hash table */
	struct slot	*slots;
	size_t		 nslots;	/* power of two */
	size_t		 count;
	/* pool */
	struct bce	**chunks;
	size_t		 nchunks;
	uint32_t	 used;		/* high-water mark of pool indices */
	uint32_t	*freelist;	/* indices of freed entries */
	size_t		 nfree;
	/* timers */
	uint32_t	*heap;		/* pool indices */
	size_t		 nheap, heapcap;
};

/* MurmurHash3's finalizer: every input bit reaches every output bit. */
static uint64_t
fmix64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ull;
	k ^= k >> 33;
	return k;
}

uint64_t
bc_hash(const struct in6_addr *a, uint64_t seed)
{
	uint64_t w0, w1;

	memcpy(&w0, a->s6_addr, 8);
	memcpy(&w1, a->s6_addr + 8, 8);
	return fmix64(fmix64(w0 ^ seed) ^ w1);
}

static struct bce *
pool_at(const struct bcache *bc, uint32_t idx)
{
	return &bc->chunks[idx >> CHUNK_SHIFT][idx & CHUNK_MASK];
}

struct bcache *
bc_new(uint64_t seed)
{
	struct bcache *bc = calloc(1, sizeof(*bc));

	if (bc == NULL)
		return NULL;
	bc->seed = seed;
	bc->nslots = MIN_SLOTS;
	bc->slots = calloc(bc->nslots, sizeof(*bc->slots));
	if (bc->slots == NULL) {
		free(bc);
		return NULL;
	}
	return bc;
}

int
bce_mnp_room(struct bce *b)
{
	if (b->mnp == NULL)
		b->mnp = calloc(HAD_MNP_MAX, sizeof(*b->mnp));
	return b->mnp != NULL ? 0 : -1;
}

void
bc_free(struct bcache *bc)
{
	size_t i;

	if (bc == NULL)
		return;
	for (i = 0; i < bc->used; i++)
		free(pool_at(bc, (uint32_t)i)->mnp);
	for (i = 0; i < bc->nchunks; i++)
		free(bc->chunks[i]);
	free(bc->chunks);
	free(bc->slots);
	free(bc->freelist);
	free(bc->heap);
	free(bc);
}

size_t
bc_count(const struct bcache *bc)
{
	return bc->count;
}

struct bce *
bc_find(const struct bcache *bc, const struct in6_addr *hoa)
{
	uint64_t h = bc_hash(hoa, bc->seed);
	size_t mask = bc->nslots - 1, i = (size_t)h & mask;
	uint32_t tag = (uint32_t)(h >> 32);
	struct bce *b;

	for (; bc->slots[i].ref != 0; i = (i + 1) & mask) {
		if (bc->slots[i].tag != tag)
			continue;
		b = pool_at(bc, bc->slots[i].ref - 1);
		if (memcmp(&b->hoa, hoa, sizeof(*hoa)) == 0)
			return b;
	}
	return NULL;
}

static void
slot_insert(struct slot *slots, size_t nslots, uint64_t h, uint32_t ref)
{
	size_t mask = nslots - 1, i = (size_t)h & mask;

	while (slots[i].ref != 0)
		i = (i + 1) & mask;
	slots[i].ref = ref;
	slots[i].tag = (uint32_t)(h >> 32);
}

/* Keep the load factor at most 1/2: probes stay short. */
static int
table_grow(struct bcache *bc)
{
	size_t n = bc->nslots * 2, i;
	struct slot *s;
	struct bce *b;

	s = calloc(n, sizeof(*s));
	if (s == NULL)
		return -1;
	for (i = 0; i < bc->nslots; i++) {
		if (bc->slots[i].ref == 0)
			continue;
		b = pool_at(bc, bc->slots[i].ref - 1);
		slot_insert(s, n, bc_hash(&b->hoa, bc->seed),
		    bc->slots[i].ref);
	}
	free(bc->slots);
	bc->slots = s;
	bc->nslots = n;
	return 0;
}

/*
 * A free pool index, adding a chunk when every one is used.  The free
 * list grows with the pool, so giving an index back never fails.
 */
static int
pool_take(struct bcache *bc, uint32_t *idx)
{
	struct bce **c;
	uint32_t *f;

	if (bc->nfree > 0) {
		*idx = bc->freelist[--bc->nfree];
		return 0;
	}
	if ((bc->used >> CHUNK_SHIFT) >= bc->nchunks) {
		f = realloc(bc->freelist,
		    (bc->nchunks + 1) * CHUNK_SIZE * sizeof(*f));
		if (f == NULL)
			return -1;
		bc->freelist = f;
		c = realloc(bc->chunks, (bc->nchunks + 1) * sizeof(*c));
		if (c == NULL)
			return -1;
		bc->chunks = c;
		c[bc->nchunks] = calloc(CHUNK_SIZE, sizeof(struct bce));
		if (c[bc->nchunks] == NULL)
			return -1;
		bc->nchunks++;
	}
	*idx = bc->used++;
	return 0;
}

struct bce *
bc_add(struct bcache *bc, const struct in6_addr *hoa)
{
	struct bce *b;
	uint32_t idx;

	if ((bc->count + 1) * 2 > bc->nslots && table_grow(bc) != 0)
		return NULL;
	if (pool_take(bc, &idx) != 0)
		return NULL;
	b = pool_at(bc, idx);
	memset(b, 0, sizeof(*b));
	b->hoa = *hoa;
	b->idx = idx;
	b->deadline = UINT64_MAX;
	b->heap_pos = NO_POS;
	b->state = BCE_FREE;	/* the engine moves it into a state */
	slot_insert(bc->slots, bc->nslots, bc_hash(hoa, bc->seed), idx + 1);
	bc->count++;
	return b;
}

/* Backward-shift deletion: close the gap so every probe chain holds. */
static void
slot_remove(struct bcache *bc, size_t i)
{
	size_t mask = bc->nslots - 1, j = i, home;
	struct bce *b;

	for (;;) {
		bc->slots[i].ref = 0;
		for (;;) {
			j = (j + 1) & mask;
			if (bc->slots[j].ref == 0)
				return;
			b = pool_at(bc, bc->slots[j].ref - 1);
			home = (size_t)bc_hash(&b->hoa, bc->seed) & mask;
			/* may slot j's entry move back to i? */
			if (i <= j ? (home <= i || home > j) :
			    (home <= i && home > j))
				break;
		}
		bc->slots[i] = bc->slots[j];
		i = j;
	}
}

void
bc_del(struct bcache *bc, struct bce *b)
{
	uint64_t h = bc_hash(&b->hoa, bc->seed);
	size_t mask = bc->nslots - 1, i = (size_t)h & mask;

	bc_timer_set(bc, b, UINT64_MAX);
	for (; bc->slots[i].ref != 0; i = (i + 1) & mask)
		if (bc->slots[i].ref == b->idx + 1) {
			slot_remove(bc, i);
			break;
		}
	free(b->mnp);
	b->mnp = NULL;
	b->nmnp = 0;
	b->state = BCE_FREE;
	bc->count--;
	bc->freelist[bc->nfree++] = b->idx;
}

struct bce *
bc_next(const struct bcache *bc, size_t *cursor)
{
	struct bce *b;

	while (*cursor < bc->used) {
		b = pool_at(bc, (uint32_t)(*cursor)++);
		if (b->state != BCE_FREE)
			return b;
	}
	return NULL;
}

/* ------------------------------------------------------------ timers */

static uint64_t
heap_key(const struct bcache *bc, size_t pos)
{
	return pool_at(bc, bc->heap[pos])->deadline;
}

static void
heap_place(struct bcache *bc, size_t pos, uint32_t idx)
{
	bc->heap[pos] = idx;
	pool_at(bc, idx)->heap_pos = (uint32_t)pos;
}

static void
heap_up(struct bcache *bc, size_t pos)
{
	uint32_t idx = bc->heap[pos];
	uint64_t key = pool_at(bc, idx)->deadline;
	size_t parent;

	while (pos > 0) {
		parent = (pos - 1) / 2;
		if (heap_key(bc, parent) <= key)
			break;
		heap_place(bc, pos, bc->heap[parent]);
		pos = parent;
	}
	heap_place(bc, pos, idx);
}

static void
heap_down(struct bcache *bc, size_t pos)
{
	uint32_t idx = bc->heap[pos];
	uint64_t key = pool_at(bc, idx)->deadline;
	size_t child;

	for (;;) {
		child = 2 * pos + 1;
		if (child >= bc->nheap)
			break;
		if (child + 1 < bc->nheap &&
		    heap_key(bc, child + 1) < heap_key(bc, child))
			child++;
		if (key <= heap_key(bc, child))
			break;
		heap_place(bc, pos, bc->heap[child]);
		pos = child;
	}
	heap_place(bc, pos, idx);
}

static void
heap_remove(struct bcache *bc, struct bce *b)
{
	size_t pos = b->heap_pos;
	uint32_t last;

	b->heap_pos = NO_POS;
	last = bc->heap[--bc->nheap];
	if (pos == bc->nheap)
		return;
	heap_place(bc, pos, last);
	heap_up(bc, pos);
	heap_down(bc, pool_at(bc, last)->heap_pos);
}

static int
heap_reserve(struct bcache *bc)
{
	uint32_t *h;
	size_t cap;

	if (bc->nheap < bc->heapcap)
		return 0;
	cap = bc->heapcap != 0 ? bc->heapcap * 2 : 256;
	h = realloc(bc->heap, cap * sizeof(*h));
	if (h == NULL)
		return -1;
	bc->heap = h;
	bc->heapcap = cap;
	return 0;
}

void
bc_timer_set(struct bcache *bc, struct bce *b, uint64_t deadline)
{
	uint64_t old = b->deadline;

	if (b->heap_pos != NO_POS && deadline == UINT64_MAX) {
		heap_remove(bc, b);
		b->deadline = UINT64_MAX;
		return;
	}
	b->deadline = deadline;
	if (deadline == UINT64_MAX)
		return;
	if (b->heap_pos == NO_POS) {
		/* out of memory: the entry keeps no timer, logged upstream */
		if (heap_reserve(bc) != 0) {
			b->deadline = UINT64_MAX;
			return;
		}
		heap_place(bc, bc->nheap++, b->idx);
		heap_up(bc, b->heap_pos);
	} else if (deadline < old)
		heap_up(bc, b->heap_pos);
	else
		heap_down(bc, b->heap_pos);
}

uint64_t
bc_timer_next(const struct bcache *bc)
{
	return bc->nheap > 0 ? heap_key(bc, 0) : UINT64_MAX;
}

struct bce *
bc_timer_pop(struct bcache *bc, uint64_t now)
{
	struct bce *b;

	if (bc->nheap == 0 || heap_key(bc, 0) > now)
		return NULL;
	b = pool_at(bc, bc->heap[0]);
	heap_remove(bc, b);
	b->deadline = UINT64_MAX;
	return b;
}
