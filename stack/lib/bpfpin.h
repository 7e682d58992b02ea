/*
 * stack/lib/bpfpin.h - what the eBPF plane loaders (bpfplane.c for had,
 * mnplane.c for mnd, cnplane.c for cnd) share: bpffs and pinned maps
 * reused across restarts, tc clsact filters through libbpf's netlink tc
 * API, map updates and walks, per-CPU counters, the signaling ring.
 *
 * struct bpfpin_plane is the common core of a loaded plane; each loader
 * wraps its libbpf skeleton around one.  The library never prints or
 * exits: libbpf's messages are captured while we call it and the last
 * one is appended to our error text.
 */
#ifndef MIP6_BPFPIN_H
#define MIP6_BPFPIN_H

#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <bpf/libbpf.h>

#include "stack/bpf/mip6_bpf.h"

/* A tc clsact hook. */
enum m6_hook {
	M6_HOOK_INGRESS = 0,
	M6_HOOK_EGRESS,
	M6_HOOK_MAX
};

#define BPFPIN_MAX_ATTACHED	64

typedef void (*bpfpin_sig_cb)(void *, const struct m6_sig *,
	    const uint8_t *data);

/* One map of a plane: its pin file name and, when non-zero, the size to
   create it with (a pinned map keeps its own size). */
struct bpfpin_map {
	struct bpf_map	*map;
	const char	*name;
	uint32_t	 want;
};

struct bpfpin_plane {
	char		 dir[PATH_MAX];
	const struct bpfpin_map *maps;	/* the loader's table */
	size_t		 nmaps;
	int		 prog_fd[M6_HOOK_MAX];	/* -1: no program there */
	uint32_t	 handle[M6_HOOK_MAX], prio[M6_HOOK_MAX];
	unsigned	 attached[BPFPIN_MAX_ATTACHED];
	size_t		 nattached;
	int		 ncpu;
	int		 cnt_fd;
	struct ring_buffer *rb;
	bpfpin_sig_cb	 sig_cb;	/* while consuming */
	void		*sig_arg;
	uint64_t	 sig_bad;	/* records too short to use */
};

/* ------------------------------------------------- errors, libbpf print */
void	bpfpin_seterr(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* "what: strerror(e)" plus libbpf's last message when it gave one. */
void	bpfpin_seterr_libbpf(char *err, size_t errlen, const char *what,
	    int e);
/* Capture libbpf's messages; returns the previous printer to restore. */
libbpf_print_fn_t bpfpin_quiet(void);
/* A skeleton's NAME__open() with libbpf's messages captured. */
#define bpfpin_quietly(open_fn) __extension__ ({			\
	libbpf_print_fn_t prev_ = bpfpin_quiet();			\
	__typeof__(open_fn()) skel_ = open_fn();			\
	int errno_ = errno;						\
									\
	libbpf_set_print(prev_);					\
	errno = errno_;							\
	skel_;								\
})

/* ------------------------------------------------- state dir, pins */
/* bpffs mounted (on /sys/fs/bpf when absent), dir created (0700) and on
   bpffs.  0, or -1 with err set. */
int	bpfpin_dir_prepare(const char *dir, char *err, size_t errlen);
/* Pin path dir/name, sized as a pinned map there (which must have the
   same shape) or as m->want.  0, or -1 with err set. */
int	bpfpin_map_prepare(const struct bpfpin_map *m, const char *dir,
	    char *err, size_t errlen);
/* Unlink dir/names[i] and rmdir dir.  0 also when absent, else -errno
   (errno set too). */
int	bpfpin_unpin(const char *dir, const char *const names[], size_t n);

/* ------------------------------------------------- tc */
/* Our filter (handle, prio) on the hook, replacing an earlier one. */
int	bpfpin_tc_attach(unsigned ifindex, enum m6_hook, uint32_t handle,
	    uint32_t prio, int prog_fd, char *err, size_t errlen);
/* 0 or -errno (-ENOENT: not there; -EINVAL: no clsact qdisc). */
int	bpfpin_tc_detach(unsigned ifindex, enum m6_hook, uint32_t handle,
	    uint32_t prio);

/* ------------------------------------------------- maps */
/* Update, or delete when val is NULL (absent is fine).  0 or -errno. */
int	bpfpin_map_put(struct bpf_map *, const void *key, const void *val);
/* Every key, copied (the caller may change the map while walking). */
int	bpfpin_map_keys(struct bpf_map *, void **keys, size_t *n);
int	bpfpin_map_clear(struct bpf_map *);
/* Walk a map: cb(arg, key, value) for each entry still there; stops
   when cb returns non-zero.  0 or -errno. */
int	bpfpin_map_foreach(struct bpf_map *,
	    int (*cb)(void *, const void *key, const void *val), void *);
struct m6_in6 bpfpin_in6(const struct in6_addr *);
/* An LPM key with host bits cleared; -EINVAL for plen > 128. */
int	bpfpin_lpm_key(struct m6_lpm6 *, const struct in6_addr *,
	    unsigned plen);

/* An m6_lpm6 key and m6_mnp value (mobile network prefixes) as
   addresses. */
void	bpfpin_mnp_entry(const void *key, const void *val,
	    struct in6_addr *prefix, unsigned *plen, struct in6_addr *hoa);

/* ------------------------------------------------- counters, ring */
int	bpfpin_counters(int cnt_fd, int ncpu, uint64_t out[M6C_MAX]);
int	bpfpin_counters_zero(int cnt_fd, int ncpu);
const char *m6_counter_name(enum m6_counter);

/* ------------------------------------------------- a whole plane */
/*
 * Before the skeleton's load: copy the dir, prepare bpffs, the dir and
 * every map in maps[] (kept by reference).  0, or -1 with err set.
 */
int	bpfpin_plane_init(struct bpfpin_plane *, const char *dir,
	    const struct bpfpin_map *maps, size_t nmaps, char *err,
	    size_t errlen);
/* After the load: the counters map, the ring, the programs per hook with
   their tc handles and priorities. */
int	bpfpin_plane_loaded(struct bpfpin_plane *, struct bpf_map *cnt,
	    struct bpf_map *sig, char *err, size_t errlen);
void	bpfpin_plane_hook(struct bpfpin_plane *, enum m6_hook, int prog_fd,
	    uint32_t handle, uint32_t prio);
/*
 * bpfpin_plane_init, the skeleton's load and bpfpin_plane_loaded in one,
 * libbpf's messages captured.  0, or -1 with err set.
 */
int	bpfpin_plane_load(struct bpfpin_plane *, const char *dir,
	    const struct bpfpin_map *maps, size_t nmaps,
	    struct bpf_object_skeleton *, struct bpf_map *cnt,
	    struct bpf_map *sig, char *err, size_t errlen);
/* The ring consumer on a ring map's fd (done by bpfpin_plane_loaded; a
   reader that has only the fd calls it on a zeroed plane).  0, or -1 with
   err set. */
int	bpfpin_sig_open(struct bpfpin_plane *, int map_fd, char *err,
	    size_t errlen);
/* Free the ring (the skeleton is the loader's to destroy). */
void	bpfpin_plane_fini(struct bpfpin_plane *);
/* Every hook with a program on ifindex. */
int	bpfpin_plane_attach(struct bpfpin_plane *, unsigned ifindex,
	    char *err, size_t errlen);
/* Every hook off ifindex; -ENOENT when none of ours was there. */
int	bpfpin_plane_detach(struct bpfpin_plane *, unsigned ifindex);
/* As above, without a plane (cleanup after a crash): 0 when none. */
int	bpfpin_detach_ifindex(unsigned ifindex, const uint32_t handle[],
	    const uint32_t prio[]);
/* Detach everywhere we attached, unpin every map, remove the dir. */
int	bpfpin_plane_destroy(struct bpfpin_plane *);
int	bpfpin_plane_counters(struct bpfpin_plane *, uint64_t out[M6C_MAX]);
int	bpfpin_plane_counters_zero(struct bpfpin_plane *);
int	bpfpin_plane_sig_fd(struct bpfpin_plane *);
int	bpfpin_plane_sig_consume(struct bpfpin_plane *, bpfpin_sig_cb,
	    void *);

/* ------------------------------------------------- loader boilerplate */
/*
 * The functions every loader exports around its core, for a `struct PFX`
 * (malloc'd) with a `struct bpfpin_plane core` and a libbpf skeleton
 * `struct SKEL *skel`: PFX_close, PFX_destroy, PFX_attach, PFX_detach,
 * PFX_counters, PFX_counters_zero, PFX_sig_fd, PFX_sig_consume.
 */
#define BPFPIN_PLANE_FUNCS(PFX, SKEL)					\
void PFX##_close(struct PFX *pl)					\
{									\
	if (pl == NULL)							\
		return;							\
	bpfpin_plane_fini(&pl->core);					\
	SKEL##__destroy(pl->skel);	/* pins and filters stay */	\
	free(pl);							\
}									\
int PFX##_destroy(struct PFX *pl)					\
{									\
	int rc_;							\
									\
	if (pl == NULL)							\
		return 0;						\
	rc_ = bpfpin_plane_destroy(&pl->core);				\
	PFX##_close(pl);						\
	return rc_;							\
}									\
int PFX##_attach(struct PFX *pl, unsigned ifindex, char *err,		\
    size_t errlen)							\
{ return bpfpin_plane_attach(&pl->core, ifindex, err, errlen); }	\
int PFX##_detach(struct PFX *pl, unsigned ifindex)			\
{ return bpfpin_plane_detach(&pl->core, ifindex); }			\
int PFX##_counters(struct PFX *pl, uint64_t out[M6C_MAX])		\
{ return bpfpin_plane_counters(&pl->core, out); }			\
int PFX##_counters_zero(struct PFX *pl)					\
{ return bpfpin_plane_counters_zero(&pl->core); }			\
int PFX##_sig_fd(struct PFX *pl)					\
{ return bpfpin_plane_sig_fd(&pl->core); }				\
int PFX##_sig_consume(struct PFX *pl, bpfpin_sig_cb cb, void *arg)	\
{ return bpfpin_plane_sig_consume(&pl->core, cb, arg); }

/*
 * FN(struct PLANE *, cb, arg): walk the skeleton map MAP; cb(arg, key,
 * value) for each entry, the key copied into a KT (struct in6_addr for a
 * map keyed by struct m6_in6: the same 16 octets), the value into a VT;
 * stops when cb returns non-zero.
 */
#define BPFPIN_FOREACH(FN, PLANE, MAP, KT, VT)				\
struct FN##_walk {							\
	int	(*cb)(void *, const KT *, const VT *);			\
	void	*arg;							\
};									\
static int								\
FN##_entry(void *arg, const void *key, const void *val)		\
{									\
	struct FN##_walk *w = arg;					\
	KT k;								\
	VT v;								\
									\
	memcpy(&k, key, sizeof k);					\
	memcpy(&v, val, sizeof v);					\
	return w->cb(w->arg, &k, &v);					\
}									\
int									\
FN(struct PLANE *pl, int (*cb)(void *, const KT *, const VT *),	\
    void *arg)								\
{									\
	struct FN##_walk w = { cb, arg };				\
									\
	return bpfpin_map_foreach(pl->skel->maps.MAP, FN##_entry, &w);	\
}

#endif
