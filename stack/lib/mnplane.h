/*
 * stack/lib/mnplane.h - the mobile node's (mnd's) handle on its eBPF
 * plane, stack/bpf/mn.bpf.c: load the tc programs, create or reuse the
 * maps pinned under a state directory, attach to interfaces (clsact
 * ingress AND egress, libbpf's netlink tc API), update the maps (mn_hoa,
 * mn_ro, mn_mnp, m6_local), read the counters and the signaling ring.
 *
 * As bpfplane.h for had: pins and tc attachments outlive the process, so
 * forwarding goes on while mnd is down and a restarted mnd finds its home
 * registrations in mn_hoa and its route-optimised bindings in mn_ro.
 * Only mn_plane_destroy() removes them.
 */
#ifndef MIP6_MNPLANE_H
#define MIP6_MNPLANE_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "stack/bpf/mip6_bpf.h"
#include "stack/lib/bpfpin.h"	/* enum m6_hook, m6_counter_name */

struct mn_plane;

/* Our tc filters: fixed handles and priorities, so a restarted mnd
   replaces its own filters and nobody else's.  Ingress and egress are
   separate hooks; the values may be equal. */
#define MN_TC_HANDLE		0x6d6e	/* "mn" */
#define MN_TC_PRIO		1
#define MN_TC_HANDLE_EGRESS	0x6d6e
#define MN_TC_PRIO_EGRESS	1

/* Load the programs; maps are reused from state_dir when pinned there,
   else created and pinned.  Mounts bpffs when needed.  NULL with a
   message in err on failure. */
struct mn_plane *mn_plane_open(const char *state_dir, char *err,
	    size_t errlen);
/* Close our handles; pins and attachments stay. */
void	mn_plane_close(struct mn_plane *);
/* Detach from every interface attached in this run, unpin every map and
   remove state_dir; then close.  0 or the first -errno. */
int	mn_plane_destroy(struct mn_plane *);
/* Remove the pins under a state dir without loading anything.  0 also
   when nothing was there; else -errno. */
int	mn_plane_unpin(const char *state_dir);

/* clsact ingress and egress on ifindex; replaces earlier filters of
   ours.  0 or -errno with err set. */
int	mn_plane_attach(struct mn_plane *, unsigned ifindex, char *err,
	    size_t errlen);
/* Both filters off ifindex: -ENOENT when neither was there. */
int	mn_plane_detach(struct mn_plane *, unsigned ifindex);
/* Without an open plane (mnd --cleanup).  0 also when none was there. */
int	mn_plane_detach_ifindex(unsigned ifindex);

/* Map updates: 0 or -errno.  Removing an absent entry is not an error. */
int	mn_plane_hoa_set(struct mn_plane *, const struct in6_addr *hoa,
	    const struct m6_mn_hoa *);
int	mn_plane_hoa_del(struct mn_plane *, const struct in6_addr *hoa);
int	mn_plane_hoa_foreach(struct mn_plane *,
	    int (*cb)(void *, const struct in6_addr *,
		const struct m6_mn_hoa *), void *);
int	mn_plane_ro_set(struct mn_plane *, const struct m6_ro_key *,
	    const struct m6_mn_ro *);
int	mn_plane_ro_del(struct mn_plane *, const struct m6_ro_key *);
int	mn_plane_ro_foreach(struct mn_plane *,
	    int (*cb)(void *, const struct m6_ro_key *,
		const struct m6_mn_ro *), void *);
/* A mobile router's network: packets from inside it arriving on an
   interface of ours are tunneled to hoa's HA (host bits ignored). */
int	mn_plane_mnp_set(struct mn_plane *, const struct in6_addr *prefix,
	    unsigned plen, const struct in6_addr *hoa);
int	mn_plane_mnp_del(struct mn_plane *, const struct in6_addr *prefix,
	    unsigned plen);
int	mn_plane_mnp_foreach(struct mn_plane *,
	    int (*cb)(void *, const struct in6_addr *prefix, unsigned plen,
		const struct in6_addr *hoa), void *);
/* DSMIPv6 (RFC 5555): our IPv4 home address (plen 32) or an MR's IPv4
   mobile network prefix, tunneled as hoa's mn_hoa entry says (mn_hoa4). */
int	mn_plane_hoa4_set(struct mn_plane *, const struct in_addr *pfx,
	    unsigned plen, const struct in6_addr *hoa);
int	mn_plane_hoa4_del(struct mn_plane *, const struct in_addr *pfx,
	    unsigned plen);
int	mn_plane_hoa4_foreach(struct mn_plane *,
	    int (*cb)(void *, const struct in_addr *pfx, unsigned plen,
		const struct in6_addr *hoa), void *);
/* Our own addresses (care-of addresses, home addresses): M6L_OWN, or 0
   to remove.  Tunnels, RH2 and signaling are accepted only to these. */
int	mn_plane_local_set(struct mn_plane *, const struct in6_addr *,
	    uint32_t flags);
/* Remove every mn_hoa, mn_hoa4, mn_ro, mn_mnp, mn_hint and m6_local entry. */
int	mn_plane_flush(struct mn_plane *);

/* Counters summed over CPUs (names: m6_counter_name). */
int	mn_plane_counters(struct mn_plane *, uint64_t out[M6C_MAX]);
int	mn_plane_counters_zero(struct mn_plane *);

/* The ring buffer (records as for had: struct m6_sig + bytes). */
int	mn_plane_sig_fd(struct mn_plane *);
int	mn_plane_sig_consume(struct mn_plane *,
	    void (*cb)(void *, const struct m6_sig *, const uint8_t *data),
	    void *);

/* The loaded programs (tests run them with BPF_PROG_TEST_RUN). */
int	mn_plane_prog_fd(struct mn_plane *, enum m6_hook);

#endif
