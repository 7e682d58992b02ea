/*
 * topo_run.h - a case's topology, brought up and down by our own
 * mip6topo(8) binary (fresh namespaces per case: nothing leaks from one
 * case into the next, and runs with different ids go in parallel), and
 * the tester's interface on each link read from `mip6topo up -j`.
 */
#ifndef MIP6_CONF_TOPO_RUN_H
#define MIP6_CONF_TOPO_RUN_H

#include <stdbool.h>
#include <stddef.h>

#define TOPO_ID_MAX	13	/* 1 to 12 lower-case letters and digits */

struct topo_run {
	char	 tool[4096];		/* the mip6topo binary */
	char	 id[TOPO_ID_MAX];
	char	*status;		/* `up -j` output (JSON) */
	bool	 up;
};

/* Is `id` a valid run id for mip6topo (1-12 of [a-z0-9])? */
bool	topo_id_valid(const char *id);

/*
 * Bring up `topofile` as run `id` with the mip6topo at `tool`.  0, or -1
 * with the tool's own message in err.
 */
int	topo_run_up(struct topo_run *, const char *tool, const char *topofile,
	    const char *id, char *err, size_t cap);
/*
 * The interface name of `node` on `link` in the run's status, into buf;
 * NULL when the status has none.
 */
const char *topo_run_ifname(const struct topo_run *, const char *link,
	    const char *node, char *buf, size_t cap);
/* The namespace path of a node: /run/netns/m6-ID-NODE. */
void	topo_run_netns(const struct topo_run *, const char *node, char *buf,
	    size_t cap);
/* Tear the run down (repeatable). */
void	topo_run_down(struct topo_run *);

/* Status JSON parsing, exposed for tests. */
const char *topo_status_ifname(const char *json, const char *link,
	    const char *node, char *buf, size_t cap);

#endif
