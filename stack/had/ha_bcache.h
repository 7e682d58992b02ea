/*
 * stack/had/ha_bcache.h - the home agent's binding cache storage (RFC 6275
 * §9.1, §10.1): entries keyed by home address in an open-addressing hash
 * table that grows, entries in a chunked pool whose addresses never move,
 * and one min-heap of deadlines (one per entry), so lookup, insertion,
 * deletion and timer changes stay O(1) / O(log n) at a million bindings.
 *
 * Storage only: the protocol (states, what an entry means, what happens on
 * a deadline) is ha_engine.c's.  Private to the engine.
 */
#ifndef MIP6_HA_BCACHE_H
#define MIP6_HA_BCACHE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stack/had/had_conf.h"

/* Binding cache entry states (saved in m6_bind.state). */
enum bce_state {
	BCE_FREE = 0,		/* no entry (pool slot unused) */
	BCE_DAD_PENDING,	/* first registration waiting for proxy DAD */
	BCE_BOUND,		/* accepted: forwarding, proxy ND, timers */
	BCE_NSTATES
};

struct ha_pending;		/* a BU waiting for DAD (ha_engine.c) */

struct bce {
	struct in6_addr	hoa;
	struct in6_addr	coa;		/* registered care-of address */
	struct in6_addr	ha;		/* our address the BU went to */
	uint8_t		state;		/* enum bce_state */
	bool		router;		/* accepted with R (RFC 3963) */
	bool		brr_sent;	/* this lifetime's BRR is out */
	bool		proxying;	/* proxy ND started for it */
	bool		proxy_ll;	/* ... with the link-local (L) */
	uint16_t	seq;		/* last accepted Sequence Number */
	uint16_t	bu_flags;	/* of the last accepted BU */
	uint16_t	lifetime;	/* granted, 4-second units */
	uint32_t	home_ifindex;	/* 0: virtual home link */
	uint32_t	spi;		/* RFC 4285 SPI, 0 none */
	uint64_t	registered_ms;
	uint64_t	refreshed_ms;
	uint64_t	expires_ms;
	uint64_t	brr_ms;		/* when to send the BRR (0: never) */
	uint64_t	mesg_id;	/* RFC 4285 last Identification */
	uint8_t		nmnp;
	/* HAD_MNP_MAX slots, allocated only for mobile routers (most
	   entries have none: kept out of line, a million bindings stay
	   small); bce_mnp_room() provides them. */
	struct had_prefix *mnp;
	struct ha_pending *pend;	/* BCE_DAD_PENDING only */
	/* DSMIPv6 (RFC 5555): the IPv4 home address or prefix bound
	   (v4_plen 0: none; v4_pool: taken from ipv4-pool), and for an
	   IPv4 care-of address (coa is then ::ffff:outer source) the
	   option 32 address, the mode and the NAT's source port. */
	struct in_addr	v4_addr;
	uint8_t		v4_plen;
	bool		v4_pool;
	bool		v4coa_mode;	/* coa is IPv4(-mapped) */
	bool		udp_mode;	/* IPv4/UDP encapsulation */
	bool		nat;
	struct in_addr	v4coa;		/* IPv4 Care-of Address option */
	uint16_t	udp_port;	/* host order */
	/* Storage bookkeeping (ha_bcache.c). */
	uint64_t	deadline;	/* UINT64_MAX: no timer */
	uint32_t	idx;		/* pool index */
	uint32_t	heap_pos;	/* UINT32_MAX: not in the heap */
};

struct bcache;

/* The entry's prefix slots, allocated when missing: 0, or -1 (memory). */
int	bce_mnp_room(struct bce *);

/* The keyed hash of an address the table uses (also for other indexes). */
uint64_t bc_hash(const struct in6_addr *, uint64_t seed);

struct bcache *bc_new(uint64_t seed);
void	bc_free(struct bcache *);
size_t	bc_count(const struct bcache *);
struct bce *bc_find(const struct bcache *, const struct in6_addr *hoa);
/*
 * A zeroed entry for hoa (which must not be present), in state BCE_FREE
 * until the caller moves it into a state; NULL: no memory.
 */
struct bce *bc_add(struct bcache *, const struct in6_addr *hoa);
/* Remove an entry (its timer too); the pointer is invalid afterwards. */
void	bc_del(struct bcache *, struct bce *);
/* Every entry: start with *cursor = 0; NULL at the end.  Deleting the
   returned entry while iterating is allowed. */
struct bce *bc_next(const struct bcache *, size_t *cursor);

/* Timers: one deadline per entry; UINT64_MAX cancels. */
void	bc_timer_set(struct bcache *, struct bce *, uint64_t deadline);
uint64_t bc_timer_next(const struct bcache *);
/* The entry with the earliest deadline <= now, taken off the heap. */
struct bce *bc_timer_pop(struct bcache *, uint64_t now);

#endif
