/*
 * stack/lib/cnplane.h - the correspondent node's (cnd's) handle on its
 * eBPF plane, stack/bpf/cn.bpf.c: load the tc programs, create or reuse
 * the maps pinned under a state directory, attach to interfaces (clsact
 * ingress AND egress, libbpf's netlink tc API), update the maps (cn_bind,
 * m6_local), read the counters and the signaling ring.
 *
 * As bpfplane.h for had: pins and tc attachments outlive the process, so
 * route optimisation goes on while cnd is down and a restarted cnd finds
 * its binding cache in cn_bind.  Only cn_plane_destroy() removes them.
 */
#ifndef MIP6_CNPLANE_H
#define MIP6_CNPLANE_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "stack/bpf/mip6_bpf.h"
#include "stack/lib/bpfpin.h"	/* enum m6_hook, m6_counter_name */

struct cn_plane;

/* Our tc filters: fixed handles and priorities (see mnplane.h). */
#define CN_TC_HANDLE		0x636e	/* "cn" */
#define CN_TC_PRIO		1
#define CN_TC_HANDLE_EGRESS	0x636e
#define CN_TC_PRIO_EGRESS	1

/* Load the programs; maps are reused from state_dir when pinned there
   (cn_bind sized max_bindings when created; 0: 1024), else created and
   pinned.  Mounts bpffs when needed.  NULL with err set on failure. */
struct cn_plane *cn_plane_open(const char *state_dir, uint32_t max_bindings,
	    char *err, size_t errlen);
void	cn_plane_close(struct cn_plane *);
int	cn_plane_destroy(struct cn_plane *);
int	cn_plane_unpin(const char *state_dir);

/* clsact ingress and egress on ifindex (see mnplane.h). */
int	cn_plane_attach(struct cn_plane *, unsigned ifindex, char *err,
	    size_t errlen);
int	cn_plane_detach(struct cn_plane *, unsigned ifindex);
int	cn_plane_detach_ifindex(unsigned ifindex);

/* Binding cache: only entries with M6B_ACTIVE are used for forwarding. */
int	cn_plane_bind_set(struct cn_plane *, const struct in6_addr *hoa,
	    const struct m6_cn_bind *);
int	cn_plane_bind_del(struct cn_plane *, const struct in6_addr *hoa);
int	cn_plane_bind_foreach(struct cn_plane *,
	    int (*cb)(void *, const struct in6_addr *,
		const struct m6_cn_bind *), void *);
/* Our own addresses (M6L_OWN; 0 removes): HoTI/CoTI/BU to them go to
   the ring. */
int	cn_plane_local_set(struct cn_plane *, const struct in6_addr *,
	    uint32_t flags);
/* Remove every cn_bind, cn_hint and m6_local entry. */
int	cn_plane_flush(struct cn_plane *);

int	cn_plane_counters(struct cn_plane *, uint64_t out[M6C_MAX]);
int	cn_plane_counters_zero(struct cn_plane *);

int	cn_plane_sig_fd(struct cn_plane *);
int	cn_plane_sig_consume(struct cn_plane *,
	    void (*cb)(void *, const struct m6_sig *, const uint8_t *data),
	    void *);

int	cn_plane_prog_fd(struct cn_plane *, enum m6_hook);

#endif
