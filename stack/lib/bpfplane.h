/*
 * stack/lib/bpfplane.h - the daemons' handle on the eBPF forwarding plane:
 * load the tc programs (libbpf skeleton), create or reuse the pinned maps
 * under a state directory, attach to interfaces (clsact ingress, through
 * libbpf's netlink tc API: no `tc` command), update the maps, read the
 * counters and the signaling ring buffer.
 *
 * Pinned maps and tc attachments outlive the process: forwarding goes on
 * while the daemon is down, and a restarted daemon finds its bindings in
 * m6_bind.  Only m6_plane_destroy() removes them.
 */
#ifndef MIP6_BPFPLANE_H
#define MIP6_BPFPLANE_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "stack/bpf/mip6_bpf.h"
#include "stack/had/had_conf.h"	/* struct had_prefix */

struct m6_plane;

/* Our tc filter on clsact ingress: a fixed handle and priority, so a
   restarted daemon replaces its own filter and nobody else's. */
#define M6_TC_HANDLE	0x6d36		/* "m6" */
#define M6_TC_PRIO	1

/*
 * Load the programs; maps are reused from state_dir when pinned there
 * (a restart), else created (m6_bind sized max_bindings) and pinned.
 * Mounts bpffs on /sys/fs/bpf when it is not mounted.  NULL with a
 * message in err on failure.
 */
struct m6_plane *m6_plane_open(const char *state_dir, uint32_t max_bindings,
	    char *err, size_t errlen);
/* Close our handles; pins and attachments stay. */
void	m6_plane_close(struct m6_plane *);
/* Detach from every interface we attached in this run and unpin every
   map under state_dir (removing the directory); then close the handle
   as m6_plane_close does.  0 or the first -errno. */
int	m6_plane_destroy(struct m6_plane *);
/* Remove the pins under a state dir without loading anything (cleanup
   after a crash, tests).  0 also when nothing was there; else -errno,
   errno set too. */
int	m6_plane_unpin(const char *state_dir);

/* clsact ingress on ifindex; replaces an earlier attachment of ours. */
int	m6_plane_attach(struct m6_plane *, unsigned ifindex, char *err,
	    size_t errlen);
/* -ENOENT when our filter is not there. */
int	m6_plane_detach(struct m6_plane *, unsigned ifindex);
/* Remove our filter (M6_TC_HANDLE/M6_TC_PRIO) from ifindex without an
   open plane (had --cleanup after a crash).  0 also when there was none;
   else -errno. */
int	m6_plane_detach_ifindex(unsigned ifindex);

/* Map updates: 0 or -errno.  Removing an absent entry is not an error. */
int	m6_plane_local_set(struct m6_plane *, const struct in6_addr *,
	    uint32_t flags);			/* 0 removes */
int	m6_plane_ndp_set(struct m6_plane *, const struct in6_addr *,
	    uint32_t flags);			/* 0 removes */
int	m6_plane_bind_set(struct m6_plane *, const struct in6_addr *hoa,
	    const struct m6_bind *);
int	m6_plane_bind_del(struct m6_plane *, const struct in6_addr *hoa);
/* n bindings at once, in order (a later entry for the same home address
   wins), in as few system calls as the kernel allows.  0, or -errno with
   *done the index of the entry that failed (those before it are set). */
int	m6_plane_bind_set_batch(struct m6_plane *, const struct in6_addr *hoa,
	    const struct m6_bind *, size_t n, size_t *done);
int	m6_plane_mnp_set(struct m6_plane *, const struct had_prefix *,
	    const struct in6_addr *hoa);
int	m6_plane_mnp_del(struct m6_plane *, const struct had_prefix *);
/*
 * DSMIPv6 (RFC 5555): an IPv4 home address (plen 32) or IPv4 mobile
 * network prefix tunneled to hoa's binding (m6_bind4; host bits of pfx
 * ignored).  The binding itself says IPv6 or IPv4 care-of address.
 */
int	m6_plane_bind4_set(struct m6_plane *, const struct in_addr *pfx,
	    unsigned plen, const struct in6_addr *hoa);
int	m6_plane_bind4_del(struct m6_plane *, const struct in_addr *pfx,
	    unsigned plen);
int	m6_plane_bind4_foreach(struct m6_plane *,
	    int (*cb)(void *, const struct in_addr *pfx, unsigned plen,
		const struct in6_addr *hoa), void *);
/* Every entry, for a restart; the callback returns non-zero to stop. */
int	m6_plane_bind_foreach(struct m6_plane *,
	    int (*cb)(void *, const struct in6_addr *, const struct m6_bind *),
	    void *);
int	m6_plane_mnp_foreach(struct m6_plane *,
	    int (*cb)(void *, const struct had_prefix *,
		const struct in6_addr *), void *);
/* Remove every binding, prefix (m6_mnp, m6_bind4) and ndp entry (reset). */
int	m6_plane_flush(struct m6_plane *);

/* Counters summed over CPUs; names for printing. */
int	m6_plane_counters(struct m6_plane *, uint64_t out[M6C_MAX]);
int	m6_plane_counters_zero(struct m6_plane *);
const char *m6_counter_name(enum m6_counter);

/* The ring buffer: an fd to poll for readability, and a consumer that
   calls cb for each record (returns records consumed, or -errno). */
int	m6_plane_sig_fd(struct m6_plane *);
int	m6_plane_sig_consume(struct m6_plane *,
	    void (*cb)(void *, const struct m6_sig *, const uint8_t *data),
	    void *);

/* The ring buffer map itself, for a process that reads the ring on its
   own (had hands it to its engine; still ours: do not close it). */
int	m6_plane_sig_map_fd(struct m6_plane *);

/*
 * A reader of the signaling ring holding nothing but the ring map's fd
 * (had's unprivileged engine, which got it from the parent): it can read
 * records and advance the consumer position, never write a record nor
 * touch another map.  The reader owns map_fd (closed by _free).  NULL
 * with a message in err on failure.
 */
struct m6_sig_reader;

struct m6_sig_reader *m6_sig_reader_new(int map_fd, char *err,
	    size_t errlen);
/* An fd to poll for readability (level-triggered). */
int	m6_sig_reader_fd(struct m6_sig_reader *);
/* As m6_plane_sig_consume. */
int	m6_sig_reader_consume(struct m6_sig_reader *,
	    void (*cb)(void *, const struct m6_sig *, const uint8_t *data),
	    void *);
void	m6_sig_reader_free(struct m6_sig_reader *);

/* The loaded tc program (tests run it with BPF_PROG_TEST_RUN). */
int	m6_plane_prog_fd(struct m6_plane *);

#endif
