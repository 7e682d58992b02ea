/*
 * capture.h - per-link packet capture while a run is up: one process per
 * run (not per link, so the count stays bounded) holding a libpcap handle
 * on each captured link, inside that link's namespace, and writing
 * OUTDIR/pcap/LINK.pcap, flushed after every packet.  SIGTERM makes it
 * read what is left, flush, close and exit.
 */
#ifndef MIP6TOPO_CAPTURE_H
#define MIP6TOPO_CAPTURE_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>

#include "proc.h"

struct cap_item {
	char	link[IFNAMSIZ];
	char	netns[64];		/* where the interface is */
	char	ifname[IFNAMSIZ];
	bool	promisc;		/* bridges and host NICs */
	char	path[PATH_MAX];
};

struct state;

/* Start the capture process (recorded before it opens anything) and
   return once every handle is open, or with the first error. */
int	capture_start(struct state *, const struct cap_item *, int n,
	    struct proc_id *, char *err);

#endif
