/*
 * catalog.h - the case catalogue: every *.case file under a folder (the
 * role folders of conformance/cases/), parsed and ordered by case id, and
 * the test specification generated from the cases' own text (TAHI's
 * single-sourced .seq POD).
 */
#ifndef MIP6_CONF_CATALOG_H
#define MIP6_CONF_CATALOG_H

#include <stddef.h>
#include <stdio.h>

struct mcase;
struct cerr;

struct catalog {
	struct mcase	**cases;
	size_t		  n;
};

/*
 * Load every *.case file under `dir` (recursively).  Files with errors
 * are left out and their errors added to `e`; two cases with one id are
 * an error.  Returns 0, or -1 when the folder cannot be read.
 */
int	catalog_load(struct catalog *, const char *dir, struct cerr *);
/* Add one file (a path given on the command line). */
int	catalog_add_file(struct catalog *, const char *path, struct cerr *);
void	catalog_free(struct catalog *);
struct mcase *catalog_find(const struct catalog *, const char *id);
/* Order by id, numbers compared as numbers (HA-2-10 after HA-2-9). */
void	catalog_sort(struct catalog *);

/* The specification of the cases, as text. */
void	spec_text(FILE *, struct mcase *const *, size_t);

#endif
