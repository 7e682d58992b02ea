/*
 * stack/lib/bpfplane.c - load, pin, attach and drive the home agent's
 * eBPF forwarding plane (see bpfplane.h and stack/bpf/ha.bpf.c).
 *
 * Every map is pinned under the state directory: libbpf reuses a pinned
 * map of the same shape (a restart keeps the bindings) or creates and
 * pins a new one.  The tc filter is attached through libbpf's netlink tc
 * API with a fixed handle and priority and BPF_TC_F_REPLACE; it holds the
 * program, so forwarding continues while no daemon runs.  What the other
 * loaders (mnplane.c, cnplane.c) share with this one is in bpfpin.c.
 *
 * The library never prints or exits: libbpf's own messages are captured
 * while we call it and the last one is appended to our error text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "ha.skel.h"
#include "stack/lib/bpfpin.h"
#include "stack/lib/bpfplane.h"
#include "stack/lib/lpm4.h"

#define DEFAULT_BINDINGS	1024
#define MAX_BINDINGS		(1u << 24)
#define LOCAL_ENTRIES_MIN	64

/* Names of the pinned maps. */
static const char *const map_names[] = {
	M6_MAP_BIND, M6_MAP_MNP, M6_MAP_LOCAL, M6_MAP_NDP, M6_MAP_CNT,
	M6_MAP_SIG, M6_MAP_BIND4,
};
#define NMAPS	(sizeof map_names / sizeof map_names[0])

struct m6_plane {
	struct ha_bpf		*skel;
	struct bpfpin_map	 maps[NMAPS];
	struct bpfpin_plane	 core;
};

/* The maps with their pin names and sizes: two ND watches per binding
   (link-local and global proxy DAD) and HAD_MNP_MAX prefixes per mobile
   router at most; the rest as the program declares them. */
static void
map_table(struct m6_plane *pl, uint32_t max_bindings)
{
	struct bpf_map *maps[NMAPS] = {
		pl->skel->maps.m6_bind, pl->skel->maps.m6_mnp,
		pl->skel->maps.m6_local, pl->skel->maps.m6_ndp,
		pl->skel->maps.m6_cnt, pl->skel->maps.m6_sig,
		pl->skel->maps.m6_bind4,
	};
	const uint32_t want[NMAPS] = {
		max_bindings, HAD_MNP_MAX * max_bindings, 0,
		2 * max_bindings + LOCAL_ENTRIES_MIN, 0, 0, max_bindings,
	};
	size_t i;

	for (i = 0; i < NMAPS; i++) {
		pl->maps[i].map = maps[i];
		pl->maps[i].name = map_names[i];
		pl->maps[i].want = want[i];
	}
}

struct m6_plane *
m6_plane_open(const char *state_dir, uint32_t max_bindings, char *err,
    size_t errlen)
{
	struct m6_plane *pl;

	if (max_bindings == 0)
		max_bindings = DEFAULT_BINDINGS;
	if (max_bindings > MAX_BINDINGS)	/* the sizes below fit u32 */
		max_bindings = MAX_BINDINGS;
	if ((pl = calloc(1, sizeof *pl)) == NULL ||
	    (pl->skel = bpfpin_quietly(ha_bpf__open)) == NULL) {
		bpfpin_seterr(err, errlen, "open ha.bpf.o: %s",
		    strerror(errno));
		free(pl);
		return NULL;
	}
	map_table(pl, max_bindings);
	cnt_pin_fit(state_dir);
	if (bpfpin_plane_load(&pl->core, state_dir, pl->maps, NMAPS,
	    pl->skel->skeleton, pl->skel->maps.m6_cnt, pl->skel->maps.m6_sig,
	    err, errlen) < 0) {
		m6_plane_close(pl);
		return NULL;
	}
	bpfpin_plane_hook(&pl->core, M6_HOOK_INGRESS,
	    bpf_program__fd(pl->skel->progs.ha_ingress), M6_TC_HANDLE,
	    M6_TC_PRIO);
	return pl;
}

int
m6_plane_unpin(const char *state_dir)
{
	return bpfpin_unpin(state_dir, map_names, NMAPS);
}

int
m6_plane_sig_map_fd(struct m6_plane *pl)
{
	return bpf_map__fd(pl->skel->maps.m6_sig);
}

/* ------------------------------------------------- a ring reader alone */

struct m6_sig_reader {
	struct bpfpin_plane	core;	/* only its ring is used */
	int			map_fd;
};

struct m6_sig_reader *
m6_sig_reader_new(int map_fd, char *err, size_t errlen)
{
	struct m6_sig_reader *r = calloc(1, sizeof *r);
	libbpf_print_fn_t prev;
	int rc;

	if (r == NULL) {
		bpfpin_seterr(err, errlen, "ring reader: %s", strerror(errno));
		close(map_fd);
		return NULL;
	}
	r->map_fd = map_fd;
	prev = bpfpin_quiet();
	rc = bpfpin_sig_open(&r->core, map_fd, err, errlen);
	libbpf_set_print(prev);
	if (rc < 0) {
		m6_sig_reader_free(r);
		return NULL;
	}
	return r;
}

int
m6_sig_reader_fd(struct m6_sig_reader *r)
{
	return bpfpin_plane_sig_fd(&r->core);
}

int
m6_sig_reader_consume(struct m6_sig_reader *r,
    void (*cb)(void *, const struct m6_sig *, const uint8_t *data),
    void *arg)
{
	return bpfpin_plane_sig_consume(&r->core, cb, arg);
}

void
m6_sig_reader_free(struct m6_sig_reader *r)
{
	if (r == NULL)
		return;
	bpfpin_plane_fini(&r->core);
	close(r->map_fd);
	free(r);
}

int
m6_plane_prog_fd(struct m6_plane *pl)
{
	return bpf_program__fd(pl->skel->progs.ha_ingress);
}

/* ------------------------------------------------------------- attach */

/* Without an open plane (had --cleanup after a crash).  No filter
   (ENOENT) or no clsact qdisc at all (EINVAL) is nothing to do. */
int
m6_plane_detach_ifindex(unsigned ifindex)
{
	int rc = bpfpin_tc_detach(ifindex, M6_HOOK_INGRESS, M6_TC_HANDLE,
	    M6_TC_PRIO);

	return rc == -ENOENT || rc == -EINVAL ? 0 : rc;
}

/* ------------------------------------------------------------- maps */

int
m6_plane_local_set(struct m6_plane *pl, const struct in6_addr *a,
    uint32_t flags)
{
	struct m6_in6 k = bpfpin_in6(a);

	return bpfpin_map_put(pl->skel->maps.m6_local, &k,
	    flags ? &flags : NULL);
}

int
m6_plane_ndp_set(struct m6_plane *pl, const struct in6_addr *a,
    uint32_t flags)
{
	struct m6_in6 k = bpfpin_in6(a);

	return bpfpin_map_put(pl->skel->maps.m6_ndp, &k,
	    flags ? &flags : NULL);
}

int
m6_plane_bind_set(struct m6_plane *pl, const struct in6_addr *hoa,
    const struct m6_bind *b)
{
	struct m6_in6 k = bpfpin_in6(hoa);

	return bpfpin_map_put(pl->skel->maps.m6_bind, &k, b);
}

int
m6_plane_bind_del(struct m6_plane *pl, const struct in6_addr *hoa)
{
	struct m6_in6 k = bpfpin_in6(hoa);

	return bpfpin_map_put(pl->skel->maps.m6_bind, &k, NULL);
}

/* Entries per BPF_MAP_UPDATE_BATCH: the keys are copied on the stack. */
#define BIND_BATCH	256
/* The kernel's answer for a batch operation a map type lacks (not in the
   user-space errno.h). */
#define KERNEL_ENOTSUPP	524

/* One BPF_MAP_UPDATE_BATCH of n <= BIND_BATCH entries, or one update per
   entry when the kernel has no batch operation for the map. */
static int
bind_set_chunk(struct m6_plane *pl, const struct in6_addr *hoa,
    const struct m6_bind *b, size_t n, size_t *done)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = BPF_ANY);
	struct m6_in6 keys[BIND_BATCH];
	uint32_t count = (uint32_t)n;
	int fd = bpf_map__fd(pl->skel->maps.m6_bind), rc;

	for (size_t i = 0; i < n; i++)
		keys[i] = bpfpin_in6(&hoa[i]);
	rc = bpf_map_update_batch(fd, keys, b, &count, &opts);
	if (rc == 0 || (rc != -EINVAL && rc != -EOPNOTSUPP &&
	    rc != -KERNEL_ENOTSUPP)) {
		*done = rc == 0 ? n : count;
		return rc;
	}
	for (*done = 0; *done < n; (*done)++)
		if ((rc = bpf_map_update_elem(fd, &keys[*done], &b[*done],
		    BPF_ANY)) < 0)
			return rc;
	return 0;
}

int
m6_plane_bind_set_batch(struct m6_plane *pl, const struct in6_addr *hoa,
    const struct m6_bind *b, size_t n, size_t *done)
{
	size_t off = 0, k;
	int rc;

	*done = 0;
	if (n == 1) {	/* the common case at light load: one plain update */
		if ((rc = m6_plane_bind_set(pl, hoa, b)) < 0)
			return rc;
		*done = 1;
		return 0;
	}
	while (off < n) {
		size_t chunk = n - off < BIND_BATCH ? n - off : BIND_BATCH;

		rc = bind_set_chunk(pl, hoa + off, b + off, chunk, &k);
		off += k;
		if (rc < 0) {
			*done = off;
			return rc;
		}
	}
	*done = n;
	return 0;
}

int
m6_plane_mnp_set(struct m6_plane *pl, const struct had_prefix *p,
    const struct in6_addr *hoa)
{
	struct m6_mnp v = { .hoa = bpfpin_in6(hoa) };
	struct m6_lpm6 k;
	int rc;

	if ((rc = bpfpin_lpm_key(&k, &p->addr, p->plen)) < 0)
		return rc;
	return bpfpin_map_put(pl->skel->maps.m6_mnp, &k, &v);
}

int
m6_plane_mnp_del(struct m6_plane *pl, const struct had_prefix *p)
{
	struct m6_lpm6 k;
	int rc;

	if ((rc = bpfpin_lpm_key(&k, &p->addr, p->plen)) < 0)
		return rc;
	return bpfpin_map_put(pl->skel->maps.m6_mnp, &k, NULL);
}

BPFPIN_FOREACH(m6_plane_bind_foreach, m6_plane, m6_bind, struct in6_addr,
    struct m6_bind)

struct mnp_walk {
	int	(*cb)(void *, const struct had_prefix *,
		    const struct in6_addr *);
	void	*arg;
};

static int
mnp_entry(void *arg, const void *key, const void *val)
{
	struct mnp_walk *w = arg;
	struct had_prefix p;
	struct in6_addr hoa;
	unsigned plen;

	memset(&p, 0, sizeof p);
	bpfpin_mnp_entry(key, val, &p.addr, &plen, &hoa);
	p.plen = (uint8_t)plen;
	return w->cb(w->arg, &p, &hoa);
}

int
m6_plane_mnp_foreach(struct m6_plane *pl,
    int (*cb)(void *, const struct had_prefix *, const struct in6_addr *),
    void *arg)
{
	struct mnp_walk w = { cb, arg };

	return bpfpin_map_foreach(pl->skel->maps.m6_mnp, mnp_entry, &w);
}

/* DSMIPv6 (RFC 5555): IPv4 home addresses and prefixes (m6_bind4). */
int
m6_plane_bind4_set(struct m6_plane *pl, const struct in_addr *pfx,
    unsigned plen, const struct in6_addr *hoa)
{
	return lpm4_put(pl->skel->maps.m6_bind4, pfx, plen, hoa);
}

int
m6_plane_bind4_del(struct m6_plane *pl, const struct in_addr *pfx,
    unsigned plen)
{
	return lpm4_put(pl->skel->maps.m6_bind4, pfx, plen, NULL);
}

int
m6_plane_bind4_foreach(struct m6_plane *pl,
    int (*cb)(void *, const struct in_addr *, unsigned,
	const struct in6_addr *), void *arg)
{
	return lpm4_foreach(pl->skel->maps.m6_bind4, cb, arg);
}

int
m6_plane_flush(struct m6_plane *pl)
{
	int rc;

	if ((rc = bpfpin_map_clear(pl->skel->maps.m6_bind)) < 0 ||
	    (rc = bpfpin_map_clear(pl->skel->maps.m6_mnp)) < 0 ||
	    (rc = bpfpin_map_clear(pl->skel->maps.m6_bind4)) < 0 ||
	    (rc = bpfpin_map_clear(pl->skel->maps.m6_ndp)) < 0)
		return rc;
	return 0;
}

/* ------------------------------------------- attach, counters, ring */

BPFPIN_PLANE_FUNCS(m6_plane, ha_bpf)
