/*
 * up_priv.h - the teardown that both `down` and a failed `up` use.
 */
#ifndef MIP6TOPO_UP_PRIV_H
#define MIP6TOPO_UP_PRIV_H

struct state;

/* Undo everything run st->id recorded, newest first; on success the
   record and the run folder are removed. */
int	down_record(struct state *st, char *err);

#endif
