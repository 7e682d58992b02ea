/*
 * stack/cnd/cn_engine.h - the correspondent node's protocol engine (RFC
 * 6275 §5.2, §9): the Return Routability responder (Kcn, nonce table,
 * HoTI -> HoT, CoTI -> CoT), Binding Update verification with the
 * binding management key, the binding cache (lifetimes capped at
 * MAX_RR_BINDING_LIFETIME), Binding Acknowledgements, Binding Refresh
 * Requests, Binding Errors.
 *
 * Like had's engine it runs in the unprivileged process and is pure:
 * packets come in as ring-buffer records, time as a number, and all it
 * wants done (send a packet, set or remove a cn_bind entry, tell the bus)
 * goes out through struct cn_ops.  Times are milliseconds of
 * CLOCK_BOOTTIME.
 */
#ifndef MIP6_CN_ENGINE_H
#define MIP6_CN_ENGINE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packets/msock.h"
#include "packets/sbuf.h"
#include "stack/bpf/mip6_bpf.h"
#include "stack/cnd/cnd_conf.h"

struct cn_engine;

/* What the engine asks the privileged process (or a test) to do. */
struct cn_ops {
	void	*ctx;
	/* Send an IPv6 packet (bytes from the IPv6 header on, checksums
	   done), routed by the kernel. */
	void	(*send)(void *ctx, const uint8_t *pkt, size_t len);
	/* Create or replace the cn_bind entry (forwarding + durable
	   record): 0, or -1 when the kernel refused. */
	int	(*bind_set)(void *ctx, const struct in6_addr *hoa,
		    const struct m6_cn_bind *);
	void	(*bind_del)(void *ctx, const struct in6_addr *hoa);
	/* A bus message (BC_ADD, BC_REMOVE, BE_HINT). */
	void	(*bus)(void *ctx, const struct msock_msg *);
	/* One log line (no newline); prio is a syslog priority. */
	void	(*log)(void *ctx, int prio, const char *msg);
};

/* Binding cache entry states (saved in m6_cn_bind.state). */
enum cn_bce_state {
	CNB_FREE = 0,		/* no entry */
	CNB_BOUND,		/* accepted: RO active */
	CNB_REFRESHING,		/* BRR sent, waiting for a refresh */
	CNB_NSTATES
};
const char *cn_bce_state_name(unsigned);

/* NULL on allocation or random-number failure. */
struct cn_engine *cn_engine_new(const struct cnd_conf *,
	    const struct cn_ops *, uint64_t now_ms);
void	cn_engine_free(struct cn_engine *);
/* New limits (SIGHUP); bindings stay. */
void	cn_engine_reconf(struct cn_engine *, const struct cnd_conf *);
/* A binding saved in cn_bind by an earlier run (restart). */
void	cn_engine_restore(struct cn_engine *, const struct in6_addr *hoa,
	    const struct m6_cn_bind *, uint64_t now_ms);
/* One ring-buffer record (M6S_MH, M6S_BE_HINT): sig->caplen bytes at
   data, from the IPv6 header on.  Malformed input is counted, logged
   (rate-limited) and dropped. */
void	cn_engine_input(struct cn_engine *, const struct m6_sig *,
	    const uint8_t *data, uint64_t now_ms);
/* Earliest pending deadline (absolute ms), UINT64_MAX if none. */
uint64_t cn_engine_next_timeout(const struct cn_engine *);
void	cn_engine_timeout(struct cn_engine *, uint64_t now_ms);
/* A fresh Kcn now (also done every kcn-lifetime by the timer). */
int	cn_engine_rotate_kcn(struct cn_engine *, uint64_t now_ms);
/* Forget every binding (each removed through ops), zero the counters. */
void	cn_engine_reset(struct cn_engine *, uint64_t now_ms);

/*
 * Control requests, answered as one JSON object into jw:
 *   "bindings"  {"bindings":[{"hoa","coa","cn","seq","lifetime",
 *               "remaining","state"}]}
 *   "nonces"    {"nonces":[{"index","age"}],"kcn_age","nonce_lifetime",
 *               "token_lifetime"}
 *   "counters"  {"rx":{...},"tx":{...},"ba_status":{"N":n},
 *               "be_status":{"N":n},"drops":{...}}
 *   "status"    {"bindings":N,"max_bindings":M}
 * Returns 0, or -1 with {"error":"..."} written.
 */
int	cn_engine_ctl(struct cn_engine *, const char *request, uint64_t now_ms,
	    struct jw *);

#endif
