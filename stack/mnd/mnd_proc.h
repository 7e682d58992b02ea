/*
 * stack/mnd/mnd_proc.h - the two processes of mnd: the privileged parent
 * (mnd.c) and the unprivileged engine process (mnd_engine_proc.c), the
 * payloads of their privsep messages.
 *
 * Messages reuse stack/lib/privsep.h's types where the meaning is the
 * same (PS_PKT, PS_IFACES, PS_CONF, PS_CTL, PS_RESTORE_DONE, PS_SEND,
 * PS_MNP_SET, PS_MNP_DEL, PS_RESET_DONE, PS_READY) and add mnd's own,
 * numbered apart from privsep.h's.
 */
#ifndef MIP6_MND_PROC_H
#define MIP6_MND_PROC_H

#include <netinet/in.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>

#include "stack/bpf/mip6_bpf.h"
#include "stack/mnd/mnd_conf.h"

enum mnd_ps_type {
	MND_PS_BUS = 200,	/* either way: an encoded msock message */
	MND_PS_RESTORE_HOA,	/* parent -> engine: struct mnd_ps_hoa */
	MND_PS_RESTORE_RO,	/* parent -> engine: struct mnd_ps_ro */
	MND_PS_HOA_SET,		/* engine -> parent: struct mnd_ps_hoa */
	MND_PS_RO_SET,		/* engine -> parent: struct mnd_ps_ro */
	MND_PS_RO_DEL,		/* engine -> parent: struct m6_ro_key */
	MND_PS_PLACE_HOA,	/* engine -> parent: struct mnd_ps_place */
	MND_PS_HOA4,		/* engine -> parent: struct mnd_ps_hoa4 */
	MND_PS_SEND_UDP4,	/* engine -> parent: struct mnd_ps_udp4, then
				   the IPv6 packet */
	MND_PS_PLACE_HOA4	/* engine -> parent: struct mnd_ps_hoa4 (where
				   the address is configured: coa_ifindex is
				   the home link's, 0 lo; on unused) */
};

/* DSMIPv6 (RFC 5555): an IPv4 home address or prefix on / off. */
struct mnd_ps_hoa4 {
	struct in6_addr	hoa;
	struct in_addr	addr;
	uint32_t	coa_ifindex;
	uint8_t		plen;
	uint8_t		on;
	uint8_t		pad[2];
};

/* DSMIPv6: send the packet that follows inside IPv4/UDP (RFC 5555
   §4.2 [R]) from src:sport to dst:4191 (ports in host order). */
struct mnd_ps_udp4 {
	struct in_addr	src, dst;
	uint32_t	oif;
	uint16_t	sport;
	uint8_t		pad[2];
};

struct mnd_ps_hoa {
	struct in6_addr	hoa;
	struct m6_mn_hoa r;
};

struct mnd_ps_ro {
	struct m6_ro_key k;
	struct m6_mn_ro	r;
};

/* PS_MNP_SET / PS_MNP_DEL (hoa ignored for DEL). */
struct mnd_ps_mnp {
	struct mnd_prefix pfx;
	struct in6_addr	hoa;
};

struct mnd_ps_place {
	struct in6_addr	hoa;
	uint32_t	ifindex;	/* 0: loopback */
	uint8_t		plen;
	uint8_t		pad[3];
};

/* The parent's own counters, shown by `mip6ctl counters` ("parent"). */
enum mnd_parent_counter {
	MND_PC_RING_TO_ENGINE_DROP,	/* ring records the engine had no
					   room for */
	MND_PC_SEND_FAIL,		/* raw sends refused */
	MND_PC_BAD_REQUEST,		/* malformed messages from the engine */
	MND_PC_BUS_DROP,		/* bus messages not sent (no hub) */
	MND_PC_MAP_FAIL,		/* map or address updates refused */
	MND_PC_MAX
};
const char *mnd_parent_counter_name(enum mnd_parent_counter);

/* PS_CTL payload: counters at the time of the request, then the text. */
struct mnd_ps_ctl {
	uint64_t	bpf[M6C_MAX];
	uint64_t	parent[MND_PC_MAX];
	uint32_t	bus_connected;
	uint32_t	pad;
};

/* The engine process: drops to pw and serves sock.  Never returns. */
void	mnd_engine_main(int sock, const struct passwd *pw)
	    __attribute__((noreturn));

#endif
