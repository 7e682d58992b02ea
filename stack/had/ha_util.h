/*
 * stack/had/ha_util.h - small helpers the home agent's engine modules
 * (ha_engine.c, ha_nd.c, ha_disc.c) share: IPv6 address classes and
 * logging through struct ha_ops.
 */
#ifndef MIP6_HA_UTIL_H
#define MIP6_HA_UTIL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>

#include "stack/had/ha_engine.h"

static inline bool
in6_eq(const struct in6_addr *a, const struct in6_addr *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static inline bool
in6_unspecified(const struct in6_addr *a)
{
	static const struct in6_addr any;

	return in6_eq(a, &any);
}

static inline bool
in6_loopback(const struct in6_addr *a)
{
	static const struct in6_addr lo = { .s6_addr = { [15] = 1 } };

	return in6_eq(a, &lo);
}

static inline bool
in6_multicast(const struct in6_addr *a)
{
	return a->s6_addr[0] == 0xff;
}

static inline bool
in6_linklocal(const struct in6_addr *a)
{
	return a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0xc0) == 0x80;
}

/* A unicast address a packet may be sent to (not ::, ::1, multicast). */
static inline bool
in6_unicast(const struct in6_addr *a)
{
	return !in6_unspecified(a) && !in6_loopback(a) && !in6_multicast(a);
}

/* One formatted line through ops->log (nothing when it is NULL). */
void	ha_ops_log(const struct ha_ops *, int prio, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
