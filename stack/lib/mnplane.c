/*
 * stack/lib/mnplane.c - load, pin, attach and drive the mobile node's
 * eBPF plane (see mnplane.h and stack/bpf/mn.bpf.c).  What every plane
 * loader does is in bpfpin.c; this file names mn.bpf.c's maps and
 * programs and converts the daemon's types to the map layouts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "mn.skel.h"
#include "stack/lib/lpm4.h"
#include "stack/lib/mnplane.h"

static const char *const mn_map_names[] = {
	M6_MAP_MN_HOA, M6_MAP_MN_RO, M6_MAP_MN_MNP, M6_MAP_MN_HINT,
	M6_MAP_LOCAL, M6_MAP_CNT, M6_MAP_SIG, M6_MAP_MN_HOA4,
};
#define MN_NMAPS	(sizeof mn_map_names / sizeof mn_map_names[0])

struct mn_plane {
	struct mn_bpf		*skel;
	struct bpfpin_map	 maps[MN_NMAPS];
	struct bpfpin_plane	 core;
};

static const uint32_t mn_handles[M6_HOOK_MAX] = {
	MN_TC_HANDLE, MN_TC_HANDLE_EGRESS
};
static const uint32_t mn_prios[M6_HOOK_MAX] = {
	MN_TC_PRIO, MN_TC_PRIO_EGRESS
};

struct mn_plane *
mn_plane_open(const char *state_dir, char *err, size_t errlen)
{
	struct mn_plane *pl;
	size_t i;

	if ((pl = calloc(1, sizeof *pl)) == NULL ||
	    (pl->skel = bpfpin_quietly(mn_bpf__open)) == NULL) {
		bpfpin_seterr(err, errlen, "open mn.bpf.o: %s",
		    strerror(errno));
		free(pl);
		return NULL;
	}
	{
		struct bpf_map *maps[MN_NMAPS] = {
			pl->skel->maps.mn_hoa, pl->skel->maps.mn_ro,
			pl->skel->maps.mn_mnp, pl->skel->maps.mn_hint,
			pl->skel->maps.m6_local, pl->skel->maps.m6_cnt,
			pl->skel->maps.m6_sig, pl->skel->maps.mn_hoa4,
		};

		for (i = 0; i < MN_NMAPS; i++)
			pl->maps[i] = (struct bpfpin_map){ maps[i],
			    mn_map_names[i], 0 };
	}
	cnt_pin_fit(state_dir);
	if (bpfpin_plane_load(&pl->core, state_dir, pl->maps, MN_NMAPS,
	    pl->skel->skeleton, pl->skel->maps.m6_cnt, pl->skel->maps.m6_sig,
	    err, errlen) < 0) {
		mn_plane_close(pl);
		return NULL;
	}
	bpfpin_plane_hook(&pl->core, M6_HOOK_INGRESS,
	    bpf_program__fd(pl->skel->progs.mn_ingress), MN_TC_HANDLE,
	    MN_TC_PRIO);
	bpfpin_plane_hook(&pl->core, M6_HOOK_EGRESS,
	    bpf_program__fd(pl->skel->progs.mn_egress), MN_TC_HANDLE_EGRESS,
	    MN_TC_PRIO_EGRESS);
	return pl;
}

int
mn_plane_unpin(const char *state_dir)
{
	return bpfpin_unpin(state_dir, mn_map_names, MN_NMAPS);
}

int
mn_plane_detach_ifindex(unsigned ifindex)
{
	return bpfpin_detach_ifindex(ifindex, mn_handles, mn_prios);
}

int
mn_plane_prog_fd(struct mn_plane *pl, enum m6_hook h)
{
	return h == M6_HOOK_EGRESS ?
	    bpf_program__fd(pl->skel->progs.mn_egress) :
	    bpf_program__fd(pl->skel->progs.mn_ingress);
}

/* ------------------------------------------------------------- maps */

int
mn_plane_hoa_set(struct mn_plane *pl, const struct in6_addr *hoa,
    const struct m6_mn_hoa *h)
{
	struct m6_in6 k = bpfpin_in6(hoa);

	return bpfpin_map_put(pl->skel->maps.mn_hoa, &k, h);
}

int
mn_plane_hoa_del(struct mn_plane *pl, const struct in6_addr *hoa)
{
	return mn_plane_hoa_set(pl, hoa, NULL);
}

BPFPIN_FOREACH(mn_plane_hoa_foreach, mn_plane, mn_hoa, struct in6_addr,
    struct m6_mn_hoa)

int
mn_plane_ro_set(struct mn_plane *pl, const struct m6_ro_key *k,
    const struct m6_mn_ro *ro)
{
	return bpfpin_map_put(pl->skel->maps.mn_ro, k, ro);
}

int
mn_plane_ro_del(struct mn_plane *pl, const struct m6_ro_key *k)
{
	return bpfpin_map_put(pl->skel->maps.mn_ro, k, NULL);
}

BPFPIN_FOREACH(mn_plane_ro_foreach, mn_plane, mn_ro, struct m6_ro_key,
    struct m6_mn_ro)

int
mn_plane_mnp_set(struct mn_plane *pl, const struct in6_addr *prefix,
    unsigned plen, const struct in6_addr *hoa)
{
	struct m6_mnp v = { .hoa = bpfpin_in6(hoa) };
	struct m6_lpm6 k;
	int rc;

	if ((rc = bpfpin_lpm_key(&k, prefix, plen)) < 0)
		return rc;
	return bpfpin_map_put(pl->skel->maps.mn_mnp, &k, &v);
}

int
mn_plane_mnp_del(struct mn_plane *pl, const struct in6_addr *prefix,
    unsigned plen)
{
	struct m6_lpm6 k;
	int rc;

	if ((rc = bpfpin_lpm_key(&k, prefix, plen)) < 0)
		return rc;
	return bpfpin_map_put(pl->skel->maps.mn_mnp, &k, NULL);
}

struct mnp_walk {
	int	(*cb)(void *, const struct in6_addr *, unsigned,
		    const struct in6_addr *);
	void	*arg;
};

static int
mnp_entry(void *arg, const void *key, const void *val)
{
	struct mnp_walk *w = arg;
	struct in6_addr prefix, hoa;
	unsigned plen;

	bpfpin_mnp_entry(key, val, &prefix, &plen, &hoa);
	return w->cb(w->arg, &prefix, plen, &hoa);
}

int
mn_plane_mnp_foreach(struct mn_plane *pl,
    int (*cb)(void *, const struct in6_addr *, unsigned,
	const struct in6_addr *), void *arg)
{
	struct mnp_walk w = { cb, arg };

	return bpfpin_map_foreach(pl->skel->maps.mn_mnp, mnp_entry, &w);
}

/* DSMIPv6 (RFC 5555): our IPv4 home address / an MR's IPv4 prefixes. */
int
mn_plane_hoa4_set(struct mn_plane *pl, const struct in_addr *pfx,
    unsigned plen, const struct in6_addr *hoa)
{
	return lpm4_put(pl->skel->maps.mn_hoa4, pfx, plen, hoa);
}

int
mn_plane_hoa4_del(struct mn_plane *pl, const struct in_addr *pfx,
    unsigned plen)
{
	return lpm4_put(pl->skel->maps.mn_hoa4, pfx, plen, NULL);
}

int
mn_plane_hoa4_foreach(struct mn_plane *pl,
    int (*cb)(void *, const struct in_addr *, unsigned,
	const struct in6_addr *), void *arg)
{
	return lpm4_foreach(pl->skel->maps.mn_hoa4, cb, arg);
}

int
mn_plane_local_set(struct mn_plane *pl, const struct in6_addr *a,
    uint32_t flags)
{
	struct m6_in6 k = bpfpin_in6(a);

	return bpfpin_map_put(pl->skel->maps.m6_local, &k,
	    flags ? &flags : NULL);
}

int
mn_plane_flush(struct mn_plane *pl)
{
	struct bpf_map *maps[] = {
		pl->skel->maps.mn_hoa, pl->skel->maps.mn_ro,
		pl->skel->maps.mn_mnp, pl->skel->maps.mn_hint,
		pl->skel->maps.m6_local, pl->skel->maps.mn_hoa4,
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof maps / sizeof maps[0]; i++)
		if ((rc = bpfpin_map_clear(maps[i])) < 0)
			return rc;
	return 0;
}

/* ------------------------------------------- attach, counters, ring */

BPFPIN_PLANE_FUNCS(mn_plane, mn_bpf)
