/*
 * mip6topo.h - what the parts of mip6topo share: the error buffer
 * convention, where runs are recorded, and the up/down/status entry points.
 *
 * Errors: a function that can fail takes `char *err` (ERRLEN bytes), writes
 * one line naming the cause there and returns -1.  main() prints it.
 */
#ifndef MIP6TOPO_H
#define MIP6TOPO_H

#include <stdbool.h>
#include <stdio.h>

#define ERRLEN		512

/* Every run has a folder here holding its write-ahead record. */
#define TOPO_RUN_ROOT	"/run/mip6kit/topo"
/* Namespaces are named NS_PREFIX ID "-" NODE (and ... "-switch"). */
#define NS_PREFIX	"m6-"

int	errf(char *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

struct topo;

struct up_opts {
	const char	*id;		/* NULL: derived from the pid */
	const char	*outdir;	/* NULL: the run folder */
	int		 timeout_ms;	/* for links and DAD to settle */
	bool		 json;
	bool		 verbose;	/* phase timings on stderr */
};

int	topo_up(const struct topo *, const struct up_opts *, char *err);
/* Tear down run `id`; `quiet` when nothing recorded is fine too. */
int	topo_down(const char *id, char *err);
int	topo_down_all(char *err);
int	topo_status(const char *id, bool json, FILE *out, char *err);

/* Milliseconds on the monotonic clock. */
long long now_ms(void);

#endif
