/*
 * stack/lib/m6addr.h - between struct in6_addr (user space) and struct
 * m6_in6 (the 16 raw octets the eBPF maps hold, stack/bpf/mip6_bpf.h),
 * for every engine that fills or reads a map record.  Header-only, so
 * the engines stay free of link dependencies (fuzz harnesses).
 */
#ifndef MIP6_M6ADDR_H
#define MIP6_M6ADDR_H

#include <netinet/in.h>
#include <string.h>

#include "stack/bpf/mip6_bpf.h"

static inline void
m6_from_in6(struct m6_in6 *dst, const struct in6_addr *src)
{
	memcpy(dst->b, src->s6_addr, sizeof(dst->b));
}

static inline void
m6_to_in6(struct in6_addr *dst, const struct m6_in6 *src)
{
	memcpy(dst->s6_addr, src->b, sizeof(src->b));
}

#endif
