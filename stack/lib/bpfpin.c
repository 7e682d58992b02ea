/*
 * stack/lib/bpfpin.c - the eBPF plane loaders' shared half (bpfpin.h):
 * bpffs, pinned maps reused across restarts, tc filters through libbpf's
 * netlink tc API, map walks, per-CPU counters and the signaling ring.
 *
 * Every map is pinned under the state directory: libbpf reuses a pinned
 * map of the same shape (a restart keeps the daemon's state) or creates
 * and pins a new one.  tc filters are attached with a fixed handle and
 * priority and BPF_TC_F_REPLACE; they hold the program, so forwarding
 * continues while no daemon runs.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/magic.h>

#include "stack/lib/bpfpin.h"

#define BPFFS_ROOT	"/sys/fs/bpf"

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
	[M6C_HAO_INSERT] = "hao_insert",
	[M6C_RH2_STRIP] = "rh2_strip",
	[M6C_HAO_SWAP] = "hao_swap",
	[M6C_RH2_INSERT] = "rh2_insert",
	[M6C_DROP_HAO_NO_BIND] = "drop_hao_no_bind",
	[M6C_RR_HINT] = "rr_hint",
	[M6C_BE_HINT] = "be_hint",
	[M6C_DROP_RH2_BAD] = "drop_rh2_bad",
	[M6C_UDP4191_BAD_INNER] = "udp4191_bad_inner",
	[M6C_UDP4191_UNKNOWN] = "udp4191_unknown",
	[M6C_TUN4_ENCAP] = "tun4_encap",
	[M6C_TUN4_DECAP] = "tun4_decap",
};

const char *
m6_counter_name(enum m6_counter c)
{
	if ((unsigned)c >= M6C_MAX || counter_names[c] == NULL)
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

libbpf_print_fn_t
bpfpin_quiet(void)
{
	libbpf_last[0] = '\0';
	return libbpf_set_print(libbpf_capture);
}

void
bpfpin_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void
bpfpin_seterr_libbpf(char *err, size_t errlen, const char *what, int e)
{
	if (libbpf_last[0] != '\0')
		bpfpin_seterr(err, errlen, "%s: %s (libbpf: %s)", what,
		    strerror(e), libbpf_last);
	else
		bpfpin_seterr(err, errlen, "%s: %s", what, strerror(e));
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
		bpfpin_seterr(err, errlen, "mkdir %s: %s", BPFFS_ROOT,
		    strerror(errno));
		return -1;
	}
	if (mount("bpf", BPFFS_ROOT, "bpf", 0, "mode=0700") < 0) {
		bpfpin_seterr(err, errlen, "mount bpffs on %s: %s",
		    BPFFS_ROOT, strerror(errno));
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

int
bpfpin_dir_prepare(const char *dir, char *err, size_t errlen)
{
	if (strlen(dir) >= PATH_MAX) {
		bpfpin_seterr(err, errlen, "state dir %s: name too long", dir);
		return -1;
	}
	if (ensure_bpffs(err, errlen) < 0)
		return -1;
	if (mkdir_p(dir) < 0) {
		bpfpin_seterr(err, errlen, "state dir %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (!on_bpffs(dir)) {
		bpfpin_seterr(err, errlen, "state dir %s: not on a bpf file "
		    "system", dir);
		return -1;
	}
	return 0;
}

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
		bpfpin_seterr(err, errlen, "%s: %s", path, strerror(-rc));
		return -1;
	}
	if (info.type != bpf_map__type(map) ||
	    info.key_size != bpf_map__key_size(map) ||
	    info.value_size != bpf_map__value_size(map) ||
	    info.map_flags != bpf_map__map_flags(map)) {
		bpfpin_seterr(err, errlen, "%s: pinned map does not match "
		    "this build (type %u key %u value %u flags %#x, want "
		    "%u/%u/%u/%#x); remove the state directory to start "
		    "afresh", path, info.type, info.key_size,
		    info.value_size, info.map_flags,
		    (unsigned)bpf_map__type(map), bpf_map__key_size(map),
		    bpf_map__value_size(map), bpf_map__map_flags(map));
		return -1;
	}
	return bpf_map__set_max_entries(map, info.max_entries);
}

int
bpfpin_map_prepare(const struct bpfpin_map *m, const char *dir, char *err,
    size_t errlen)
{
	char path[PATH_MAX];
	int rc;

	if (pin_path(path, sizeof path, dir, m->name) < 0) {
		bpfpin_seterr(err, errlen, "state dir %s: name too long", dir);
		return -1;
	}
	if (size_map(m->map, path, m->want, err, errlen) < 0)
		return -1;
	rc = bpf_map__set_pin_path(m->map, path);
	if (rc < 0) {
		bpfpin_seterr(err, errlen, "%s: %s", path, strerror(-rc));
		return -1;
	}
	return 0;
}

int
bpfpin_unpin(const char *dir, const char *const names[], size_t n)
{
	char path[PATH_MAX];
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++) {
		if (pin_path(path, sizeof path, dir, names[i]) < 0)
			return -ENAMETOOLONG;
		if (unlink(path) < 0 && errno != ENOENT && rc == 0)
			rc = -errno;
	}
	if (rmdir(dir) < 0 && errno != ENOENT && rc == 0)
		rc = -errno;
	if (rc < 0)
		errno = -rc;
	return rc;
}

/* ------------------------------------------------------------- tc */

static void
tc_init(struct bpf_tc_hook *hook, struct bpf_tc_opts *opts,
    unsigned ifindex, enum m6_hook where, uint32_t handle, uint32_t prio)
{
	memset(hook, 0, sizeof *hook);
	hook->sz = sizeof *hook;
	hook->ifindex = (int)ifindex;
	hook->attach_point = where == M6_HOOK_EGRESS ? BPF_TC_EGRESS :
	    BPF_TC_INGRESS;
	memset(opts, 0, sizeof *opts);
	opts->sz = sizeof *opts;
	opts->handle = handle;
	opts->priority = prio;
}

int
bpfpin_tc_attach(unsigned ifindex, enum m6_hook where, uint32_t handle,
    uint32_t prio, int prog_fd, char *err, size_t errlen)
{
	struct bpf_tc_hook hook;
	struct bpf_tc_opts opts;
	libbpf_print_fn_t prev;
	char what[64];
	int rc;

	tc_init(&hook, &opts, ifindex, where, handle, prio);
	prev = bpfpin_quiet();
	/* One clsact qdisc holds both hooks: EEXIST is the normal case. */
	rc = bpf_tc_hook_create(&hook);
	if (rc < 0 && rc != -EEXIST) {
		snprintf(what, sizeof what, "ifindex %u: clsact", ifindex);
		bpfpin_seterr_libbpf(err, errlen, what, -rc);
		libbpf_set_print(prev);
		return rc;
	}
	opts.prog_fd = prog_fd;
	opts.flags = BPF_TC_F_REPLACE;
	rc = bpf_tc_attach(&hook, &opts);
	libbpf_set_print(prev);
	if (rc < 0) {
		snprintf(what, sizeof what, "ifindex %u: tc %s filter",
		    ifindex, where == M6_HOOK_EGRESS ? "egress" : "ingress");
		bpfpin_seterr_libbpf(err, errlen, what, -rc);
	}
	return rc;
}

int
bpfpin_tc_detach(unsigned ifindex, enum m6_hook where, uint32_t handle,
    uint32_t prio)
{
	struct bpf_tc_hook hook;
	struct bpf_tc_opts opts;
	libbpf_print_fn_t prev;
	int rc;

	tc_init(&hook, &opts, ifindex, where, handle, prio);
	prev = bpfpin_quiet();
	rc = bpf_tc_detach(&hook, &opts);
	libbpf_set_print(prev);
	/* The clsact qdisc stays: other filters may hang on it. */
	return rc;
}

/* ------------------------------------------------------------- maps */

int
bpfpin_map_put(struct bpf_map *map, const void *key, const void *val)
{
	int rc;

	if (val == NULL) {
		rc = bpf_map_delete_elem(bpf_map__fd(map), key);
		return rc == -ENOENT ? 0 : rc;
	}
	return bpf_map_update_elem(bpf_map__fd(map), key, val, BPF_ANY);
}

int
bpfpin_map_keys(struct bpf_map *map, void **keys, size_t *n)
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
		rc = bpf_map_get_next_key(bpf_map__fd(map), prev,
		    k + *n * ksz);
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
bpfpin_map_clear(struct bpf_map *map)
{
	size_t ksz = bpf_map__key_size(map), i, n;
	uint8_t *keys;
	int rc;

	if ((rc = bpfpin_map_keys(map, (void **)&keys, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		rc = bpf_map_delete_elem(bpf_map__fd(map), keys + i * ksz);
		if (rc < 0 && rc != -ENOENT)
			break;
		rc = 0;
	}
	free(keys);
	return rc;
}

int
bpfpin_map_foreach(struct bpf_map *map,
    int (*cb)(void *, const void *, const void *), void *arg)
{
	size_t ksz = bpf_map__key_size(map), i, n;
	uint8_t *keys, *val;
	int rc;

	if ((val = malloc(bpf_map__value_size(map))) == NULL)
		return -ENOMEM;
	if ((rc = bpfpin_map_keys(map, (void **)&keys, &n)) < 0) {
		free(val);
		return rc;
	}
	for (i = 0; i < n; i++) {
		if (bpf_map_lookup_elem(bpf_map__fd(map), keys + i * ksz,
		    val) < 0)
			continue;	/* removed meanwhile */
		if (cb(arg, keys + i * ksz, val) != 0)
			break;
	}
	free(keys);
	free(val);
	return 0;
}

struct m6_in6
bpfpin_in6(const struct in6_addr *a)
{
	struct m6_in6 k;

	memcpy(k.b, a->s6_addr, sizeof k.b);
	return k;
}

int
bpfpin_lpm_key(struct m6_lpm6 *k, const struct in6_addr *a, unsigned plen)
{
	unsigned i;

	if (plen > 128)
		return -EINVAL;
	memset(k, 0, sizeof *k);
	k->prefixlen = plen;
	for (i = 0; i < 16; i++) {
		unsigned bits = plen > i * 8 ? plen - i * 8 : 0;

		if (bits >= 8)
			k->addr.b[i] = a->s6_addr[i];
		else if (bits > 0)
			k->addr.b[i] = a->s6_addr[i] &
			    (uint8_t)(0xff << (8 - bits));
	}
	return 0;
}

void
bpfpin_mnp_entry(const void *key, const void *val, struct in6_addr *prefix,
    unsigned *plen, struct in6_addr *hoa)
{
	struct m6_lpm6 k;
	struct m6_mnp v;

	memcpy(&k, key, sizeof k);
	memcpy(&v, val, sizeof v);
	memcpy(prefix->s6_addr, k.addr.b, sizeof prefix->s6_addr);
	*plen = k.prefixlen;
	memcpy(hoa->s6_addr, v.hoa.b, sizeof hoa->s6_addr);
}

/* ------------------------------------------------------------- counters */

int
bpfpin_counters(int cnt_fd, int ncpu, uint64_t out[M6C_MAX])
{
	uint64_t *percpu;
	uint32_t k;
	int c, rc = 0;

	if ((percpu = calloc((size_t)ncpu, sizeof *percpu)) == NULL)
		return -ENOMEM;
	for (k = 0; k < M6C_MAX; k++) {
		out[k] = 0;
		rc = bpf_map_lookup_elem(cnt_fd, &k, percpu);
		if (rc < 0)
			break;
		for (c = 0; c < ncpu; c++)
			out[k] += percpu[c];
	}
	free(percpu);
	return rc;
}

int
bpfpin_counters_zero(int cnt_fd, int ncpu)
{
	uint64_t *zero;
	uint32_t k;
	int rc = 0;

	if ((zero = calloc((size_t)ncpu, sizeof *zero)) == NULL)
		return -ENOMEM;
	for (k = 0; k < M6C_MAX && rc == 0; k++)
		rc = bpf_map_update_elem(cnt_fd, &k, zero, BPF_ANY);
	free(zero);
	return rc;
}

/* ------------------------------------------------------------- a plane */

int
bpfpin_plane_init(struct bpfpin_plane *p, const char *dir,
    const struct bpfpin_map *maps, size_t nmaps, char *err, size_t errlen)
{
	size_t i;
	int h;

	memset(p, 0, sizeof *p);
	for (h = 0; h < M6_HOOK_MAX; h++)
		p->prog_fd[h] = -1;
	p->cnt_fd = -1;
	if (bpfpin_dir_prepare(dir, err, errlen) < 0)
		return -1;
	snprintf(p->dir, sizeof p->dir, "%s", dir);
	p->maps = maps;
	p->nmaps = nmaps;
	p->ncpu = libbpf_num_possible_cpus();
	if (p->ncpu <= 0) {
		bpfpin_seterr(err, errlen, "possible CPUs: %s",
		    strerror(-p->ncpu));
		return -1;
	}
	for (i = 0; i < nmaps; i++)
		if (bpfpin_map_prepare(&maps[i], dir, err, errlen) < 0)
			return -1;
	return 0;
}

/* One ring record: hand it on only when its caplen fits its size. */
static int
sig_sample(void *ctx, void *data, size_t size)
{
	struct bpfpin_plane *p = ctx;
	struct m6_sig sig;

	if (size < sizeof sig) {
		p->sig_bad++;
		return 0;
	}
	memcpy(&sig, data, sizeof sig);
	if (sig.caplen > size - sizeof sig || sig.caplen > M6_SIG_SNAPLEN) {
		p->sig_bad++;
		return 0;
	}
	if (p->sig_cb != NULL)
		p->sig_cb(p->sig_arg, &sig, (const uint8_t *)data + sizeof sig);
	return 0;
}

int
bpfpin_sig_open(struct bpfpin_plane *p, int map_fd, char *err,
    size_t errlen)
{
	p->rb = ring_buffer__new(map_fd, sig_sample, p, NULL);
	if (p->rb == NULL) {
		bpfpin_seterr_libbpf(err, errlen, "ring buffer", errno);
		return -1;
	}
	return 0;
}

int
bpfpin_plane_loaded(struct bpfpin_plane *p, struct bpf_map *cnt,
    struct bpf_map *sig, char *err, size_t errlen)
{
	p->cnt_fd = bpf_map__fd(cnt);
	return bpfpin_sig_open(p, bpf_map__fd(sig), err, errlen);
}

int
bpfpin_plane_load(struct bpfpin_plane *p, const char *dir,
    const struct bpfpin_map *maps, size_t nmaps,
    struct bpf_object_skeleton *skel, struct bpf_map *cnt,
    struct bpf_map *sig, char *err, size_t errlen)
{
	libbpf_print_fn_t prev = bpfpin_quiet();
	int rc = -1;

	if (bpfpin_plane_init(p, dir, maps, nmaps, err, errlen) < 0)
		goto out;
	if ((rc = bpf_object__load_skeleton(skel)) < 0) {
		bpfpin_seterr_libbpf(err, errlen, "load the eBPF programs",
		    -rc);
		goto out;
	}
	rc = bpfpin_plane_loaded(p, cnt, sig, err, errlen);
out:
	libbpf_set_print(prev);
	return rc < 0 ? -1 : 0;
}

void
bpfpin_plane_hook(struct bpfpin_plane *p, enum m6_hook h, int prog_fd,
    uint32_t handle, uint32_t prio)
{
	p->prog_fd[h] = prog_fd;
	p->handle[h] = handle;
	p->prio[h] = prio;
}

void
bpfpin_plane_fini(struct bpfpin_plane *p)
{
	ring_buffer__free(p->rb);
	p->rb = NULL;
}

static size_t
attached_index(const struct bpfpin_plane *p, unsigned ifindex)
{
	size_t i;

	for (i = 0; i < p->nattached; i++)
		if (p->attached[i] == ifindex)
			return i;
	return p->nattached;
}

int
bpfpin_plane_attach(struct bpfpin_plane *p, unsigned ifindex, char *err,
    size_t errlen)
{
	int h, rc;

	if (attached_index(p, ifindex) == p->nattached &&
	    p->nattached == BPFPIN_MAX_ATTACHED) {
		bpfpin_seterr(err, errlen, "ifindex %u: more than %d "
		    "interfaces", ifindex, BPFPIN_MAX_ATTACHED);
		return -ENOSPC;
	}
	for (h = 0; h < M6_HOOK_MAX; h++) {
		if (p->prog_fd[h] < 0)
			continue;
		rc = bpfpin_tc_attach(ifindex, (enum m6_hook)h, p->handle[h],
		    p->prio[h], p->prog_fd[h], err, errlen);
		if (rc < 0)
			return rc;
	}
	if (attached_index(p, ifindex) == p->nattached)
		p->attached[p->nattached++] = ifindex;
	return 0;
}

/* Every hook with a handle; 0 when at least one filter was removed. */
static int
detach_hooks(unsigned ifindex, const int prog_fd[], const uint32_t handle[],
    const uint32_t prio[])
{
	int h, r, rc = -ENOENT;
	bool any = false;

	for (h = 0; h < M6_HOOK_MAX; h++) {
		if (prog_fd != NULL && prog_fd[h] < 0)
			continue;
		r = bpfpin_tc_detach(ifindex, (enum m6_hook)h, handle[h],
		    prio[h]);
		if (r == 0)
			any = true;
		else if (r != -ENOENT && r != -EINVAL)
			rc = r;
	}
	return any ? 0 : rc;
}

int
bpfpin_plane_detach(struct bpfpin_plane *p, unsigned ifindex)
{
	size_t i;
	int rc;

	if ((rc = detach_hooks(ifindex, p->prog_fd, p->handle, p->prio)) < 0)
		return rc;
	i = attached_index(p, ifindex);
	if (i < p->nattached)
		p->attached[i] = p->attached[--p->nattached];
	return 0;
}

int
bpfpin_detach_ifindex(unsigned ifindex, const uint32_t handle[],
    const uint32_t prio[])
{
	int rc = detach_hooks(ifindex, NULL, handle, prio);

	return rc == -ENOENT ? 0 : rc;
}

int
bpfpin_plane_destroy(struct bpfpin_plane *p)
{
	const char *names[16];
	size_t i, n = 0;
	int rc = 0, r;

	while (p->nattached > 0) {
		r = bpfpin_plane_detach(p, p->attached[p->nattached - 1]);
		if (r < 0 && rc == 0)
			rc = r;
		if (r < 0)	/* gone already (interface deleted) */
			p->nattached--;
	}
	for (i = 0; i < p->nmaps && n < sizeof names / sizeof names[0]; i++)
		names[n++] = p->maps[i].name;
	r = bpfpin_unpin(p->dir, names, n);
	if (r < 0 && rc == 0)
		rc = r;
	return rc;
}

int
bpfpin_plane_counters(struct bpfpin_plane *p, uint64_t out[M6C_MAX])
{
	return bpfpin_counters(p->cnt_fd, p->ncpu, out);
}

int
bpfpin_plane_counters_zero(struct bpfpin_plane *p)
{
	return bpfpin_counters_zero(p->cnt_fd, p->ncpu);
}

int
bpfpin_plane_sig_fd(struct bpfpin_plane *p)
{
	return ring_buffer__epoll_fd(p->rb);
}

int
bpfpin_plane_sig_consume(struct bpfpin_plane *p, bpfpin_sig_cb cb,
    void *arg)
{
	int rc;

	p->sig_cb = cb;
	p->sig_arg = arg;
	rc = ring_buffer__consume(p->rb);
	p->sig_cb = NULL;
	p->sig_arg = NULL;
	return rc;
}
