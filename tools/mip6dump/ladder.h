/*
 * ladder.h - mip6dump --ladder: per mobile-node binding, the mobility
 * signaling over time, with the BU/BA, return routability, BRR and BE
 * exchanges matched and annotated (round-trip times, retransmissions and
 * back-off, granted lifetimes), and a summary per binding.
 *
 * The state is bounded: at most `max_bindings` bindings (least recently
 * used evicted first, printed when evicted and counted), at most
 * LADDER_ROWS rows per binding (the oldest dropped and counted).
 */
#ifndef MIP6DUMP_LADDER_H
#define MIP6DUMP_LADDER_H

#include <stdbool.h>
#include <stddef.h>

struct ladder;
struct out;
struct frame;
struct pkt;

#define LADDER_ROWS	256

/* NULL when out of memory. */
struct ladder	*ladder_new(struct out *, size_t max_bindings, bool json);
/* Every frame goes through here (the first one sets time zero). */
void		 ladder_add(struct ladder *, const struct frame *,
		    const struct pkt *);
/* Print every binding still held, then the totals line. */
void		 ladder_finish(struct ladder *);
void		 ladder_free(struct ladder *);

#endif
