/*
 * stack/cnd/cnd_proc.h - the two processes of cnd: the privileged parent
 * (cnd.c) and the unprivileged engine process (cnd_engine_proc.c), and
 * the payloads of their privsep messages (stack/lib/privsep.h numbers;
 * the payloads are cnd's own).
 */
#ifndef MIP6_CND_PROC_H
#define MIP6_CND_PROC_H

#include <netinet/in.h>
#include <pwd.h>
#include <stdint.h>

#include "stack/bpf/mip6_bpf.h"

/*
 * Messages:
 *   parent -> engine  PS_PKT (m6_sig + bytes), PS_CONF (normalised text),
 *                     PS_RESTORE (struct cnd_ps_bind), PS_RESTORE_DONE,
 *                     PS_CTL (struct cnd_ps_ctl + request; fd = client)
 *   engine -> parent  PS_SEND (IPv6 packet), PS_BIND_SET (struct
 *                     cnd_ps_bind), PS_BIND_DEL (struct in6_addr),
 *                     CND_PS_BUS (an encoded msock message), PS_READY,
 *                     PS_RESET_DONE
 */
#define CND_PS_BUS	96

struct cnd_ps_bind {
	struct in6_addr		hoa;
	struct m6_cn_bind	b;
};

/* The parent's own counters (`mip6ctl counters` -> "parent"). */
enum cnd_parent_counter {
	CPC_RING_TO_ENGINE_DROP,	/* ring records the engine had no
					   room for */
	CPC_SEND_DROP,			/* sends refused for lack of buffer */
	CPC_SEND_FAIL,			/* sends refused otherwise */
	CPC_BAD_REQUEST,		/* malformed messages from the engine */
	CPC_BIND_FAIL,			/* cn_bind updates the kernel refused */
	CPC_BUS_DROP,			/* bus messages not sent (no hub) */
	CPC_MAX
};
const char *cnd_parent_counter_name(enum cnd_parent_counter);

/* PS_CTL: the eBPF and parent counters at the time of the request (and
   whether the bus is up), then the request text. */
struct cnd_ps_ctl {
	uint64_t	bpf[M6C_MAX];
	uint64_t	parent[CPC_MAX];
	uint32_t	bus_connected;
	uint32_t	status;		/* engine side: a "status" request */
};

/* The engine process: drops to pw and serves the parent until it
   closes.  Never returns. */
void	cnd_engine_main(int sock, const struct passwd *pw)
	    __attribute__((noreturn));

#endif
