/*
 * stack/lib/cnplane.c - load, pin, attach and drive the correspondent
 * node's eBPF plane (see cnplane.h and stack/bpf/cn.bpf.c).  What every
 * plane loader does is in bpfpin.c; this file names cn.bpf.c's maps and
 * programs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "cn.skel.h"
#include "stack/lib/cnplane.h"

#define CN_DEFAULT_BINDINGS	1024
#define CN_MAX_BINDINGS		(1u << 24)

static const char *const cn_map_names[] = {
	M6_MAP_CN_BIND, M6_MAP_CN_HINT, M6_MAP_LOCAL, M6_MAP_CNT, M6_MAP_SIG,
};
#define CN_NMAPS	(sizeof cn_map_names / sizeof cn_map_names[0])

struct cn_plane {
	struct cn_bpf		*skel;
	struct bpfpin_map	 maps[CN_NMAPS];
	struct bpfpin_plane	 core;
};

static const uint32_t cn_handles[M6_HOOK_MAX] = {
	CN_TC_HANDLE, CN_TC_HANDLE_EGRESS
};
static const uint32_t cn_prios[M6_HOOK_MAX] = {
	CN_TC_PRIO, CN_TC_PRIO_EGRESS
};

/* The maps with their pin names; cn_bind sized by the configuration. */
static void
cn_map_table(struct cn_plane *pl, uint32_t max_bindings)
{
	struct bpf_map *maps[CN_NMAPS] = {
		pl->skel->maps.cn_bind, pl->skel->maps.cn_hint,
		pl->skel->maps.m6_local, pl->skel->maps.m6_cnt,
		pl->skel->maps.m6_sig,
	};
	size_t i;

	for (i = 0; i < CN_NMAPS; i++) {
		pl->maps[i].map = maps[i];
		pl->maps[i].name = cn_map_names[i];
		pl->maps[i].want = maps[i] == pl->skel->maps.cn_bind ?
		    max_bindings : 0;
	}
}

struct cn_plane *
cn_plane_open(const char *state_dir, uint32_t max_bindings, char *err,
    size_t errlen)
{
	struct cn_plane *pl;

	if (max_bindings == 0)
		max_bindings = CN_DEFAULT_BINDINGS;
	if (max_bindings > CN_MAX_BINDINGS)
		max_bindings = CN_MAX_BINDINGS;
	if ((pl = calloc(1, sizeof *pl)) == NULL ||
	    (pl->skel = bpfpin_quietly(cn_bpf__open)) == NULL) {
		bpfpin_seterr(err, errlen, "open cn.bpf.o: %s",
		    strerror(errno));
		free(pl);
		return NULL;
	}
	cn_map_table(pl, max_bindings);
	if (bpfpin_plane_load(&pl->core, state_dir, pl->maps, CN_NMAPS,
	    pl->skel->skeleton, pl->skel->maps.m6_cnt, pl->skel->maps.m6_sig,
	    err, errlen) < 0) {
		cn_plane_close(pl);
		return NULL;
	}
	bpfpin_plane_hook(&pl->core, M6_HOOK_INGRESS,
	    bpf_program__fd(pl->skel->progs.cn_ingress), CN_TC_HANDLE,
	    CN_TC_PRIO);
	bpfpin_plane_hook(&pl->core, M6_HOOK_EGRESS,
	    bpf_program__fd(pl->skel->progs.cn_egress), CN_TC_HANDLE_EGRESS,
	    CN_TC_PRIO_EGRESS);
	return pl;
}

int
cn_plane_unpin(const char *state_dir)
{
	return bpfpin_unpin(state_dir, cn_map_names, CN_NMAPS);
}

int
cn_plane_detach_ifindex(unsigned ifindex)
{
	return bpfpin_detach_ifindex(ifindex, cn_handles, cn_prios);
}

int
cn_plane_prog_fd(struct cn_plane *pl, enum m6_hook h)
{
	return h == M6_HOOK_EGRESS ?
	    bpf_program__fd(pl->skel->progs.cn_egress) :
	    bpf_program__fd(pl->skel->progs.cn_ingress);
}

/* ------------------------------------------------------------- maps */

int
cn_plane_bind_set(struct cn_plane *pl, const struct in6_addr *hoa,
    const struct m6_cn_bind *b)
{
	struct m6_in6 k = bpfpin_in6(hoa);

	return bpfpin_map_put(pl->skel->maps.cn_bind, &k, b);
}

int
cn_plane_bind_del(struct cn_plane *pl, const struct in6_addr *hoa)
{
	return cn_plane_bind_set(pl, hoa, NULL);
}

BPFPIN_FOREACH(cn_plane_bind_foreach, cn_plane, cn_bind, struct in6_addr,
    struct m6_cn_bind)

int
cn_plane_local_set(struct cn_plane *pl, const struct in6_addr *a,
    uint32_t flags)
{
	struct m6_in6 k = bpfpin_in6(a);

	return bpfpin_map_put(pl->skel->maps.m6_local, &k,
	    flags ? &flags : NULL);
}

int
cn_plane_flush(struct cn_plane *pl)
{
	int rc;

	if ((rc = bpfpin_map_clear(pl->skel->maps.cn_bind)) < 0 ||
	    (rc = bpfpin_map_clear(pl->skel->maps.cn_hint)) < 0 ||
	    (rc = bpfpin_map_clear(pl->skel->maps.m6_local)) < 0)
		return rc;
	return 0;
}

/* ------------------------------------------- attach, counters, ring */

BPFPIN_PLANE_FUNCS(cn_plane, cn_bpf)
