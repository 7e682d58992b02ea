/*
 * ladder_int.h - the ladder's internal state, shared by ladder.c (the
 * binding table and the matching of messages) and ladder_print.c (the
 * text and JSON rendering).
 */
#ifndef MIP6DUMP_LADDER_INT_H
#define MIP6DUMP_LADDER_INT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ladder.h"

struct sbuf;

#define ROW_MSG		256
#define ROW_NOTE	192
#define PEND_INITS	4	/* HoTI/CoTI waiting for their HoT/CoT */
#define TX_KEEP		8	/* transmissions remembered per attempt */

/* One message of a binding. */
struct row {
	uint64_t	n;		/* packet number */
	int64_t		t_us;		/* capture time */
	bool		from_peer;	/* HA/CN -> MN */
	char		msg[ROW_MSG];	/* the library's MH short form */
	char		note[ROW_NOTE];	/* annotations, "; "-separated */
	int64_t		rtt_us;		/* BA, HoT, CoT: -1 when unmatched */
	uint16_t	retx;		/* retransmission number, 0: none */
	uint16_t	backoff10;	/* back-off ratio x10, 0: none */
};

struct tx {
	uint16_t	seq;
	bool		answered;
	int64_t		t_us;
};

/* A registration attempt: a BU and its retransmissions. */
struct attempt {
	bool		active;
	bool		want_ack;	/* A flag */
	bool		acked;		/* a BA answered a transmission */
	bool		accepted;	/* ... with status < 128 */
	bool		rejected;	/* ... with status >= 128 */
	uint16_t	seq0;		/* of the first transmission */
	uint16_t	seq;		/* of the latest */
	uint16_t	flags;
	uint16_t	lifetime;	/* units of 4 s */
	struct in6_addr	coa;
	unsigned	ntx;		/* transmissions so far */
	int64_t		last_us;
	int64_t		last_gap_us;
	uint64_t	last_n;
	struct tx	tx[TX_KEEP];	/* ring, by ntx */
};

struct init {
	bool		used;
	uint8_t		cookie[8];
	int64_t		t_us;
};

/* Registrations are counted by outcome when they end. */
struct bstats {
	unsigned	regs, accepted, rejected, no_ba, retx;
	unsigned	home_tests, careof_tests, brr, be;
	unsigned	max_backoff10;
	unsigned	nrtt;
	int64_t		rtt_min, rtt_max, rtt_sum;
};

struct binding {
	struct in6_addr	mn;		/* home address (care-of: provisional) */
	struct in6_addr	peer;		/* home agent or correspondent */
	bool		provisional;	/* care-of tests before a BU tied them */
	bool		home;		/* a BU with H went to this peer */
	bool		evicted;
	uint64_t	first_n;
	struct binding	*hnext;		/* hash chain */
	struct binding	*newer, *older;	/* LRU list */
	struct row	*rows;		/* ring of `cap`, oldest at `head` */
	size_t		cap, head, count;
	uint64_t	dropped;
	struct attempt	bu;
	struct init	hoti[PEND_INITS], coti[PEND_INITS];
	bool		brr_pending;
	int64_t		brr_us;
	struct bstats	st;
};

struct coamap_slot {
	bool		used;
	struct in6_addr	coa, hoa;
};

struct ladder {
	struct out	*out;
	bool		json;
	size_t		max, count;
	uint64_t	evicted;
	uint64_t	printed;
	struct binding	**buckets;
	size_t		nbuckets;	/* a power of two */
	struct binding	*newest, *oldest;
	struct coamap_slot *coamap;
	bool		have_t0;
	int64_t		t0_us;
};

/* The i-th oldest row kept. */
struct row	*binding_row(struct binding *, size_t i);

/* ladder_print.c */
void	ladder_print_binding(struct ladder *, struct binding *);
void	ladder_print_totals(struct ladder *);
/* "1.234 ms" under a second, "3.000 s" from one second on. */
void	fmt_duration(struct sbuf *, int64_t us);
/* A ratio kept x10 as "2.0". */
void	fmt_tenths(struct sbuf *, unsigned v);

#endif
