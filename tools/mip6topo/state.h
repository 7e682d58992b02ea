/*
 * state.h - the write-ahead record of a run: one line per object, written
 * (and, for objects that can outlive `up`, fsync'd) before the object is
 * created, so that `down` can remove exactly what a run created, in
 * reverse order, even after `up` crashed or was killed.
 *
 * The record is RUN_ROOT/ID/state (RUN_ROOT: state_root()).  Lines are words separated by one
 * space; in each word, bytes below 0x21, above 0x7e and '%' are written
 * %XX, and "-" stands for an empty word.  `up` holds an exclusive flock(2)
 * on the record while it runs, so `down` can tell a live `up` from a dead
 * one.
 */
#ifndef MIP6TOPO_STATE_H
#define MIP6TOPO_STATE_H

#include <limits.h>
#include <stdbool.h>

#define STATE_MAX_WORDS	16
#define STATE_IDLEN	16

struct state {
	int	fd;
	char	id[STATE_IDLEN];
	char	dir[PATH_MAX];
};

/* A new run: its folder must not exist (a clash is an error). */
int	state_create(struct state *, const char *id, char *err);
/* An existing run, locked; *busy when a live `up` holds it. */
int	state_open(struct state *, const char *id, bool *busy, char *err);
void	state_close(struct state *);
/* Remove the record and the run folder (and `extra` files under it). */
int	state_remove(struct state *, char *err);

/*
 * Append one line of words (NULL-terminated).  state_log() syncs it to
 * disk before returning: for objects that outlive `up` on their own
 * (namespaces, moved host interfaces, processes).  state_note() only
 * writes it, which survives `up` being killed but not the machine
 * crashing: for objects inside a recorded namespace (links, addresses,
 * routes, sysctls, NAT), which go with that namespace whatever happens,
 * so that their line only serves `status`.  state_sync() syncs what was
 * noted, so that a batch of namespaces costs one fsync.
 */
int	state_log(struct state *, char *err, ...)
	    __attribute__((sentinel));
int	state_note(struct state *, char *err, ...)
	    __attribute__((sentinel));
int	state_sync(struct state *, char *err);

struct rec {
	int	 argc;
	char	*argv[STATE_MAX_WORDS];
	int	 lineno;
};

struct record {
	int		 n;
	struct rec	*rec;
	char		*text;
};

/* Read run `id`'s record (no lock taken); words are unescaped. */
int	state_load(const char *id, struct record *, char *err);
void	state_free(struct record *);
/* The first record line whose first word is `kind`, or NULL. */
const struct rec *state_find(const struct record *, const char *kind);

/* Every recorded run id, sorted. */
int	state_list(char (*ids)[STATE_IDLEN], int max, int *n, char *err);
bool	state_busy(const char *id);

/* The folder of all records: $MIP6TOPO_RUN_DIR or TOPO_RUN_ROOT. */
const char *state_root(void);
void	state_run_dir(const char *id, char *buf, size_t len);

#endif
