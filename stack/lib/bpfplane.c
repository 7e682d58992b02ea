/*
 * stack/lib/bpfplane.c - load, pin, attach and drive the home agent's
 * eBPF forwarding plane (see bpfplane.h and stack/bpf/ha.bpf.c).
 *
 * Every map is pinned under the state directory: libbpf reuses a pinned
 * map of the same shape (a restart keeps the bindings) or creates and
 * pins a new one.  The tc filter is attached through libbpf's netlink tc
 * API with a fixed handle and priority and BPF_TC_F_REPLACE; it holds the
 * program, so forwarding continues while no daemon runs.
 *
 * The library never prints or exits: libbpf's own messages are captured
 * while we call it and the last one is appended to our error text.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/magic.h>

#include "ha.skel.h"
#include "stack/lib/bpfplane.h"

#define BPFFS_ROOT		"/sys/fs/bpf"
#define DEFAULT_BINDINGS	1024
#define MAX_BINDINGS		(1u << 24)
#define MAX_ATTACHED		64
#define LOCAL_ENTRIES_MIN	64

struct m6_plane {
	struct ha_bpf		*skel;
	struct ring_buffer	*rb;
	char			 dir[PATH_MAX];
	unsigned		 attached[MAX_ATTACHED];
	size_t			 nattached;
	int			 ncpu;
	/* The consumer's callback while m6_plane_sig_consume runs. */
	void			(*sig_cb)(void *, const struct m6_sig *,
				    const uint8_t *);
	void			*sig_arg;
	uint64_t		 sig_bad;	/* records too short to use */
};

/* Names of the pinned maps, in the order the skeleton lists them. */
static const char *const map_names[] = {
	M6_MAP_BIND, M6_MAP_MNP, M6_MAP_LOCAL, M6_MAP_NDP, M6_MAP_CNT,
	M6_MAP_SIG,
};
#define NMAPS	(sizeof map_names / sizeof map_names[0])

static const char *const counter_names[M6C_MAX] = {
	[M6C_PASS] = "pass",
	[M6C_SIG_OUT] = "sig_out",
	[M6C_TUN_ENCAP] = "tun_encap",
	[M6C_TUN_DECAP] = "tun_decap",
	[M6C_DROP_RING_FULL] = "drop_ring_full",
	[M6C_DROP_RT_NO_BINDING] = "drop_rt_no_binding",
	[M6C_DROP_RT_COA] = "drop_rt_coa",
	[M6C_DROP_MALFORMED] = "drop_malformed",
	[M6C_DROP_ENCAP_FAIL] = "drop_encap_fail",
	[M6C_DROP_TOO_BIG] = "drop_too_big",
	[M6C_FIB_MISS] = "fib_miss",
	[M6C_HLIM] = "hlim",
};

const char *
m6_counter_name(enum m6_counter c)
{
	if ((unsigned)c >= M6C_MAX)
		return "unknown";
	return counter_names[c];
}

/* ------------------------------------------------------------- errors */

/* libbpf's last warning while we are inside it (it would print them). */
static char libbpf_last[256];

static int
libbpf_capture(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[sizeof libbpf_last];
	size_t n;

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof line, fmt, ap);
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == ' '))
		line[--n] = '\0';
	if (n > 0)
		memcpy(libbpf_last, line, n + 1);
	return 0;
}

static libbpf_print_fn_t
libbpf_quiet(void)
{
	libbpf_last[0] = '\0';
	return libbpf_set_print(libbpf_capture);
}

static void __attribute__((format(printf, 3, 4)))
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* "what: strerror" plus libbpf's own explanation when it gave one. */
static void
seterr_libbpf(char *err, size_t errlen, const char *what, int e)
{
	if (libbpf_last[0] != '\0')
		seterr(err, errlen, "%s: %s (libbpf: %s)", what, strerror(e),
		    libbpf_last);
	else
		seterr(err, errlen, "%s: %s", what, strerror(e));
}

/* ------------------------------------------------------------- bpffs */

static bool
on_bpffs(const char *path)
{
	struct statfs st;

	return statfs(path, &st) == 0 && (unsigned long)st.f_type ==
	    (unsigned long)BPF_FS_MAGIC;
}

/* Mount bpffs on /sys/fs/bpf when nothing (or something else) is there. */
static int
ensure_bpffs(char *err, size_t errlen)
{
	if (on_bpffs(BPFFS_ROOT))
		return 0;
	if (mkdir(BPFFS_ROOT, 0700) < 0 && errno != EEXIST) {
		seterr(err, errlen, "mkdir %s: %s", BPFFS_ROOT,
		    strerror(errno));
		return -1;
	}
	if (mount("bpf", BPFFS_ROOT, "bpf", 0, "mode=0700") < 0) {
		seterr(err, errlen, "mount bpffs on %s: %s", BPFFS_ROOT,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* mkdir -p, 0700 for what we create. */
static int
mkdir_p(const char *dir)
{
	char path[PATH_MAX];
	size_t i, n = strlen(dir);

	if (n == 0 || n >= sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			return -1;
		path[i] = dir[i];
	}
	return 0;
}

static int
pin_path(char *out, size_t cap, const char *dir, const char *name)
{
	int n = snprintf(out, cap, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* ------------------------------------------------------------- open */

/*
 * Size a map before load: keep the size of a map already pinned at path
 * (libbpf reuses only an identical map), else `want`.  A pinned map of
 * another shape is an error: an older layout, to be removed by hand.
 */
static int
size_map(struct bpf_map *map, const char *path, uint32_t want, char *err,
    size_t errlen)
{
	struct bpf_map_info info;
	uint32_t len = sizeof info;
	int fd, rc;

	fd = bpf_obj_get(path);
	if (fd < 0)
		return want ? bpf_map__set_max_entries(map, want) : 0;
	memset(&info, 0, sizeof info);
	rc = bpf_obj_get_info_by_fd(fd, &info, &len);
	close(fd);
	if (rc < 0) {
		seterr(err, errlen, "%s: %s", path, strerror(-rc));
		return -1;
	}
	if (info.type != bpf_map__type(map) ||
	    info.key_size != bpf_map__key_size(map) ||
	    info.value_size != bpf_map__value_size(map) ||
	    info.map_flags != bpf_map__map_flags(map)) {
		seterr(err, errlen, "%s: pinned map does not match this build "
		    "(type %u key %u value %u flags %#x, want %u/%u/%u/%#x); "
		    "remove the state directory to start afresh", path,
		    info.type, info.key_size, info.value_size, info.map_flags,
		    (unsigned)bpf_map__type(map), bpf_map__key_size(map),
		    bpf_map__value_size(map), bpf_map__map_flags(map));
		return -1;
	}
	return bpf_map__set_max_entries(map, info.max_entries);
}

static struct bpf_map *
skel_map(struct ha_bpf *skel, size_t i)
{
	struct bpf_map *maps[NMAPS] = {
		skel->maps.m6_bind, skel->maps.m6_mnp, skel->maps.m6_local,
		skel->maps.m6_ndp, skel->maps.m6_cnt, skel->maps.m6_sig,
	};

	return i < NMAPS ? maps[i] : NULL;
}

/* Pin paths and sizes of every map; -1 with err set. */
static int
prepare_maps(struct m6_plane *pl, uint32_t max_bindings, char *err,
    size_t errlen)
{
	char path[PATH_MAX];
	uint32_t want;
	size_t i;
	int rc;

	for (i = 0; i < NMAPS; i++) {
		struct bpf_map *map = skel_map(pl->skel, i);

		if (pin_path(path, sizeof path, pl->dir, map_names[i]) < 0) {
			seterr(err, errlen, "state dir %s: name too long",
			    pl->dir);
			return -1;
		}
		/* Two ND watches per binding (link-local and global proxy
		   DAD) and HAD_MNP_MAX prefixes per mobile router at most. */
		if (map == pl->skel->maps.m6_bind)
			want = max_bindings;
		else if (map == pl->skel->maps.m6_ndp)
			want = 2 * max_bindings + LOCAL_ENTRIES_MIN;
		else if (map == pl->skel->maps.m6_mnp)
			want = HAD_MNP_MAX * max_bindings;
		else
			want = 0;	/* as the program declares it */
		if (size_map(map, path, want, err, errlen) < 0)
			return -1;
		rc = bpf_map__set_pin_path(map, path);
		if (rc < 0) {
			seterr(err, errlen, "%s: %s", path, strerror(-rc));
			return -1;
		}
	}
	return 0;
}

static int	sig_sample(void *, void *, size_t);

struct m6_plane *
m6_plane_open(const char *state_dir, uint32_t max_bindings, char *err,
    size_t errlen)
{
	struct m6_plane *pl;
	libbpf_print_fn_t prev;
	int rc;

	if (max_bindings == 0)
		max_bindings = DEFAULT_BINDINGS;
	if (max_bindings > MAX_BINDINGS)	/* the sizes below fit u32 */
		max_bindings = MAX_BINDINGS;
	if (strlen(state_dir) >= sizeof pl->dir) {
		seterr(err, errlen, "state dir %s: name too long", state_dir);
		return NULL;
	}
	if (ensure_bpffs(err, errlen) < 0)
		return NULL;
	if (mkdir_p(state_dir) < 0) {
		seterr(err, errlen, "state dir %s: %s", state_dir,
		    strerror(errno));
		return NULL;
	}
	if (!on_bpffs(state_dir)) {
		seterr(err, errlen, "state dir %s: not on a bpf file system",
		    state_dir);
		return NULL;
	}
	if ((pl = calloc(1, sizeof *pl)) == NULL) {
		seterr(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	snprintf(pl->dir, sizeof pl->dir, "%s", state_dir);
	pl->ncpu = libbpf_num_possible_cpus();
	if (pl->ncpu <= 0) {
		seterr(err, errlen, "possible CPUs: %s", strerror(-pl->ncpu));
		goto fail;
	}

	prev = libbpf_quiet();
	pl->skel = ha_bpf__open();
	if (pl->skel == NULL) {
		seterr_libbpf(err, errlen, "open the eBPF object", errno);
		libbpf_set_print(prev);
		goto fail;
	}
	if (prepare_maps(pl, max_bindings, err, errlen) < 0) {
		libbpf_set_print(prev);
		goto fail;
	}
	rc = ha_bpf__load(pl->skel);
	if (rc < 0) {
		seterr_libbpf(err, errlen, "load the eBPF program", -rc);
		libbpf_set_print(prev);
		goto fail;
	}
	pl->rb = ring_buffer__new(bpf_map__fd(pl->skel->maps.m6_sig),
	    sig_sample, pl, NULL);
	if (pl->rb == NULL) {
		seterr_libbpf(err, errlen, "ring buffer " M6_MAP_SIG, errno);
		libbpf_set_print(prev);
		goto fail;
	}
	libbpf_set_print(prev);
	return pl;
fail:
	m6_plane_close(pl);
	return NULL;
}

void
m6_plane_close(struct m6_plane *pl)
{
	if (pl == NULL)
		return;
	ring_buffer__free(pl->rb);
	ha_bpf__destroy(pl->skel);	/* closes fds: pins and filters stay */
	free(pl);
}

int
m6_plane_unpin(const char *state_dir)
{
	char path[PATH_MAX];
	size_t i;
	int rc = 0;

	for (i = 0; i < NMAPS; i++) {
		if (pin_path(path, sizeof path, state_dir, map_names[i]) < 0)
			return -ENAMETOOLONG;
		if (unlink(path) < 0 && errno != ENOENT && rc == 0)
			rc = -errno;
	}
	if (rmdir(state_dir) < 0 && errno != ENOENT && rc == 0)
		rc = -errno;
	if (rc < 0)
		errno = -rc;
	return rc;
}

int
m6_plane_destroy(struct m6_plane *pl)
{
	int rc = 0, r;

	if (pl == NULL)
		return 0;
	while (pl->nattached > 0) {
		r = m6_plane_detach(pl, pl->attached[pl->nattached - 1]);
		if (r < 0 && rc == 0)
			rc = r;
		if (r < 0)	/* gone already (interface deleted) */
			pl->nattached--;
	}
	r = m6_plane_unpin(pl->dir);
	if (r < 0 && rc == 0)
		rc = r;
	m6_plane_close(pl);
	return rc;
}

int
m6_plane_prog_fd(struct m6_plane *pl)
{
	return bpf_program__fd(pl->skel->progs.ha_ingress);
}

/* ------------------------------------------------------------- attach */

static void
tc_hook_init(struct bpf_tc_hook *hook, unsigned ifindex)
{
	memset(hook, 0, sizeof *hook);
	hook->sz = sizeof *hook;
	hook->ifindex = (int)ifindex;
	hook->attach_point = BPF_TC_INGRESS;
}

static size_t
attached_index(const struct m6_plane *pl, unsigned ifindex)
{
	size_t i;

	for (i = 0; i < pl->nattached; i++)
		if (pl->attached[i] == ifindex)
			return i;
	return pl->nattached;
}

int
m6_plane_attach(struct m6_plane *pl, unsigned ifindex, char *err,
    size_t errlen)
{
	struct bpf_tc_hook hook;
	struct bpf_tc_opts opts;
	libbpf_print_fn_t prev;
	char what[64];
	int rc;

	if (attached_index(pl, ifindex) == pl->nattached &&
	    pl->nattached == MAX_ATTACHED) {
		seterr(err, errlen, "ifindex %u: more than %d interfaces",
		    ifindex, MAX_ATTACHED);
		return -ENOSPC;
	}
	tc_hook_init(&hook, ifindex);
	prev = libbpf_quiet();
	rc = bpf_tc_hook_create(&hook);
	if (rc < 0 && rc != -EEXIST) {
		snprintf(what, sizeof what, "ifindex %u: clsact", ifindex);
		seterr_libbpf(err, errlen, what, -rc);
		libbpf_set_print(prev);
		return rc;
	}
	memset(&opts, 0, sizeof opts);
	opts.sz = sizeof opts;
	opts.handle = M6_TC_HANDLE;
	opts.priority = M6_TC_PRIO;
	opts.prog_fd = m6_plane_prog_fd(pl);
	opts.flags = BPF_TC_F_REPLACE;
	rc = bpf_tc_attach(&hook, &opts);
	libbpf_set_print(prev);
	if (rc < 0) {
		snprintf(what, sizeof what, "ifindex %u: tc filter", ifindex);
		seterr_libbpf(err, errlen, what, -rc);
		return rc;
	}
	if (attached_index(pl, ifindex) == pl->nattached)
		pl->attached[pl->nattached++] = ifindex;
	return 0;
}

/* Our filter off ifindex: 0 or -errno (-ENOENT: not there). */
static int
tc_detach(unsigned ifindex)
{
	struct bpf_tc_hook hook;
	struct bpf_tc_opts opts;
	libbpf_print_fn_t prev;
	int rc;

	tc_hook_init(&hook, ifindex);
	memset(&opts, 0, sizeof opts);
	opts.sz = sizeof opts;
	opts.handle = M6_TC_HANDLE;
	opts.priority = M6_TC_PRIO;
	prev = libbpf_quiet();
	rc = bpf_tc_detach(&hook, &opts);
	libbpf_set_print(prev);
	/* The clsact qdisc stays: other filters may hang on it. */
	return rc;
}

int
m6_plane_detach(struct m6_plane *pl, unsigned ifindex)
{
	size_t i;
	int rc;

	if ((rc = tc_detach(ifindex)) < 0)
		return rc;
	i = attached_index(pl, ifindex);
	if (i < pl->nattached)
		pl->attached[i] = pl->attached[--pl->nattached];
	return 0;
}

/* Without an open plane (had --cleanup after a crash).  No filter
   (ENOENT) or no clsact qdisc at all (EINVAL) is nothing to do. */
int
m6_plane_detach_ifindex(unsigned ifindex)
{
	int rc = tc_detach(ifindex);

	return rc == -ENOENT || rc == -EINVAL ? 0 : rc;
}

/* ------------------------------------------------------------- maps */

static int
map_fd(struct bpf_map *map)
{
	return bpf_map__fd(map);
}

/* Update, or delete when the value is NULL (absent is fine). */
static int
map_put(struct bpf_map *map, const void *key, const void *val)
{
	int rc;

	if (val == NULL) {
		rc = bpf_map_delete_elem(map_fd(map), key);
		return rc == -ENOENT ? 0 : rc;
	}
	return bpf_map_update_elem(map_fd(map), key, val, BPF_ANY);
}

static struct m6_in6
in6_key(const struct in6_addr *a)
{
	struct m6_in6 k;

	memcpy(k.b, a->s6_addr, sizeof k.b);
	return k;
}

/* An LPM key with the host bits cleared, or -EINVAL. */
static int
lpm_key(struct m6_lpm6 *k, const struct had_prefix *p)
{
	unsigned i;

	if (p->plen > 128)
		return -EINVAL;
	memset(k, 0, sizeof *k);
	k->prefixlen = p->plen;
	for (i = 0; i < 16; i++) {
		unsigned bits = p->plen > i * 8 ? p->plen - i * 8 : 0;

		if (bits >= 8)
			k->addr.b[i] = p->addr.s6_addr[i];
		else if (bits > 0)
			k->addr.b[i] = p->addr.s6_addr[i] &
			    (uint8_t)(0xff << (8 - bits));
	}
	return 0;
}

int
m6_plane_local_set(struct m6_plane *pl, const struct in6_addr *a,
    uint32_t flags)
{
	struct m6_in6 k = in6_key(a);

	return map_put(pl->skel->maps.m6_local, &k, flags ? &flags : NULL);
}

int
m6_plane_ndp_set(struct m6_plane *pl, const struct in6_addr *a,
    uint32_t flags)
{
	struct m6_in6 k = in6_key(a);

	return map_put(pl->skel->maps.m6_ndp, &k, flags ? &flags : NULL);
}

int
m6_plane_bind_set(struct m6_plane *pl, const struct in6_addr *hoa,
    const struct m6_bind *b)
{
	struct m6_in6 k = in6_key(hoa);

	return map_put(pl->skel->maps.m6_bind, &k, b);
}

int
m6_plane_bind_del(struct m6_plane *pl, const struct in6_addr *hoa)
{
	struct m6_in6 k = in6_key(hoa);

	return map_put(pl->skel->maps.m6_bind, &k, NULL);
}

int
m6_plane_mnp_set(struct m6_plane *pl, const struct had_prefix *p,
    const struct in6_addr *hoa)
{
	struct m6_mnp v = { .hoa = in6_key(hoa) };
	struct m6_lpm6 k;
	int rc;

	if ((rc = lpm_key(&k, p)) < 0)
		return rc;
	return map_put(pl->skel->maps.m6_mnp, &k, &v);
}

int
m6_plane_mnp_del(struct m6_plane *pl, const struct had_prefix *p)
{
	struct m6_lpm6 k;
	int rc;

	if ((rc = lpm_key(&k, p)) < 0)
		return rc;
	return map_put(pl->skel->maps.m6_mnp, &k, NULL);
}

/*
 * Every key of a map, copied first so that the caller's callback may
 * change the map while we walk.  *n keys in a malloc'd array, or -errno.
 */
static int
map_keys(struct bpf_map *map, void **keys, size_t *n)
{
	size_t ksz = bpf_map__key_size(map), cap = 64;
	uint8_t *k, *prev = NULL;
	int rc;

	*n = 0;
	if ((k = malloc(cap * ksz)) == NULL)
		return -ENOMEM;
	for (;;) {
		if (*n == cap) {
			uint8_t *nk = realloc(k, 2 * cap * ksz);

			if (nk == NULL) {
				free(k);
				return -ENOMEM;
			}
			k = nk;
			cap *= 2;
		}
		prev = *n > 0 ? k + (*n - 1) * ksz : NULL;
		rc = bpf_map_get_next_key(map_fd(map), prev, k + *n * ksz);
		if (rc == -ENOENT)
			break;
		if (rc < 0) {
			free(k);
			return rc;
		}
		(*n)++;
	}
	*keys = k;
	return 0;
}

int
m6_plane_bind_foreach(struct m6_plane *pl,
    int (*cb)(void *, const struct in6_addr *, const struct m6_bind *),
    void *arg)
{
	struct m6_in6 *keys;
	struct m6_bind b;
	struct in6_addr a;
	size_t i, n;
	int rc;

	if ((rc = map_keys(pl->skel->maps.m6_bind, (void **)&keys, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		if (bpf_map_lookup_elem(map_fd(pl->skel->maps.m6_bind),
		    &keys[i], &b) < 0)
			continue;	/* removed meanwhile */
		memcpy(a.s6_addr, keys[i].b, sizeof a.s6_addr);
		if (cb(arg, &a, &b) != 0)
			break;
	}
	free(keys);
	return 0;
}

int
m6_plane_mnp_foreach(struct m6_plane *pl,
    int (*cb)(void *, const struct had_prefix *, const struct in6_addr *),
    void *arg)
{
	struct m6_lpm6 *keys;
	struct had_prefix p;
	struct m6_mnp v;
	struct in6_addr hoa;
	size_t i, n;
	int rc;

	if ((rc = map_keys(pl->skel->maps.m6_mnp, (void **)&keys, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		if (bpf_map_lookup_elem(map_fd(pl->skel->maps.m6_mnp),
		    &keys[i], &v) < 0)
			continue;
		memset(&p, 0, sizeof p);
		memcpy(p.addr.s6_addr, keys[i].addr.b, sizeof p.addr.s6_addr);
		p.plen = (uint8_t)keys[i].prefixlen;
		memcpy(hoa.s6_addr, v.hoa.b, sizeof hoa.s6_addr);
		if (cb(arg, &p, &hoa) != 0)
			break;
	}
	free(keys);
	return 0;
}

/* Delete every entry of a map. */
static int
map_clear(struct bpf_map *map)
{
	size_t ksz = bpf_map__key_size(map), i, n;
	uint8_t *keys;
	int rc;

	if ((rc = map_keys(map, (void **)&keys, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		rc = bpf_map_delete_elem(map_fd(map), keys + i * ksz);
		if (rc < 0 && rc != -ENOENT)
			break;
		rc = 0;
	}
	free(keys);
	return rc;
}

int
m6_plane_flush(struct m6_plane *pl)
{
	int rc;

	if ((rc = map_clear(pl->skel->maps.m6_bind)) < 0 ||
	    (rc = map_clear(pl->skel->maps.m6_mnp)) < 0 ||
	    (rc = map_clear(pl->skel->maps.m6_ndp)) < 0)
		return rc;
	return 0;
}

/* ------------------------------------------------------------- counters */

int
m6_plane_counters(struct m6_plane *pl, uint64_t out[M6C_MAX])
{
	uint64_t *percpu;
	uint32_t k;
	int c, rc = 0;

	if ((percpu = calloc((size_t)pl->ncpu, sizeof *percpu)) == NULL)
		return -ENOMEM;
	for (k = 0; k < M6C_MAX; k++) {
		out[k] = 0;
		rc = bpf_map_lookup_elem(map_fd(pl->skel->maps.m6_cnt), &k,
		    percpu);
		if (rc < 0)
			break;
		for (c = 0; c < pl->ncpu; c++)
			out[k] += percpu[c];
	}
	free(percpu);
	return rc;
}

int
m6_plane_counters_zero(struct m6_plane *pl)
{
	uint64_t *zero;
	uint32_t k;
	int rc = 0;

	if ((zero = calloc((size_t)pl->ncpu, sizeof *zero)) == NULL)
		return -ENOMEM;
	for (k = 0; k < M6C_MAX && rc == 0; k++)
		rc = bpf_map_update_elem(map_fd(pl->skel->maps.m6_cnt), &k,
		    zero, BPF_ANY);
	free(zero);
	return rc;
}

/* ------------------------------------------------------------- ring */

int
m6_plane_sig_fd(struct m6_plane *pl)
{
	return ring_buffer__epoll_fd(pl->rb);
}

/* One ring record: hand it on only when its caplen fits its size. */
static int
sig_sample(void *ctx, void *data, size_t size)
{
	struct m6_plane *pl = ctx;
	struct m6_sig sig;

	if (size < sizeof sig) {
		pl->sig_bad++;
		return 0;
	}
	memcpy(&sig, data, sizeof sig);
	if (sig.caplen > size - sizeof sig || sig.caplen > M6_SIG_SNAPLEN) {
		pl->sig_bad++;
		return 0;
	}
	if (pl->sig_cb != NULL)
		pl->sig_cb(pl->sig_arg, &sig, (const uint8_t *)data +
		    sizeof sig);
	return 0;
}

int
m6_plane_sig_consume(struct m6_plane *pl,
    void (*cb)(void *, const struct m6_sig *, const uint8_t *), void *arg)
{
	int rc;

	pl->sig_cb = cb;
	pl->sig_arg = arg;
	rc = ring_buffer__consume(pl->rb);
	pl->sig_cb = NULL;
	pl->sig_arg = NULL;
	return rc;
}
