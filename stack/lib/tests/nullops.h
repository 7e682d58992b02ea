/*
 * stack/lib/tests/nullops.h - engine operations that do nothing (the
 * forwarding-map and bus ops of had's and mnd's engines), for the
 * programs that drive an engine without a kernel: the fuzz harnesses
 * (stack/had/fuzz, stack/mnd/fuzz) and tools/mip6sigbench.  Each fills
 * its ops table from these and writes only the ops it watches.  The
 * "set" ops return 0, so the engine goes on as if the kernel took the
 * entry.  No ATF here (a tool and the harnesses include it); static
 * inline, so a program pays only for the ones it uses.
 */
#ifndef MIP6_LIB_TESTS_NULLOPS_H
#define MIP6_LIB_TESTS_NULLOPS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stack/had/ha_engine.h"
#include "stack/mnd/mn_engine.h"

/*
 * NULLOP_<returns><arguments after ctx>(name, types...): an op of that
 * signature that ignores its arguments (V: void, I: returns 0).  Macros
 * because the ops differ only in their argument types.
 */
#define NULLOP_V1(name, A)						\
	static inline void name(void *ctx, A a)				\
	{ (void)ctx; (void)a; }
#define NULLOP_V2(name, A, B)						\
	static inline void name(void *ctx, A a, B b)			\
	{ (void)ctx; (void)a; (void)b; }
#define NULLOP_V3(name, A, B, C)					\
	static inline void name(void *ctx, A a, B b, C c)		\
	{ (void)ctx; (void)a; (void)b; (void)c; }
#define NULLOP_V5(name, A, B, C, D, E)					\
	static inline void name(void *ctx, A a, B b, C c, D d, E e)	\
	{ (void)ctx; (void)a; (void)b; (void)c; (void)d; (void)e; }
#define NULLOP_I2(name, A, B)						\
	static inline int name(void *ctx, A a, B b)			\
	{ (void)ctx; (void)a; (void)b; return 0; }

/* had (struct ha_ops) */
NULLOP_I2(ha_null_bind_set, const struct in6_addr *, const struct m6_bind *)
NULLOP_V1(ha_null_bind_del, const struct in6_addr *)
NULLOP_I2(ha_null_mnp_set, const struct had_prefix *, const struct in6_addr *)
NULLOP_V1(ha_null_mnp_del, const struct had_prefix *)
NULLOP_V2(ha_null_bind4_del, const struct in_addr *, unsigned)
NULLOP_V2(ha_null_ndp_watch, const struct in6_addr *, uint32_t)
NULLOP_V2(ha_null_log, int, const char *)

/* mnd (struct mn_ops) */
NULLOP_I2(mn_null_hoa_set, const struct in6_addr *, const struct m6_mn_hoa *)
NULLOP_I2(mn_null_ro_set, const struct m6_ro_key *, const struct m6_mn_ro *)
NULLOP_V1(mn_null_ro_del, const struct m6_ro_key *)
NULLOP_I2(mn_null_mnp_set, const struct mnd_prefix *, const struct in6_addr *)
NULLOP_V1(mn_null_mnp_del, const struct mnd_prefix *)
NULLOP_V1(mn_null_bus, const struct msock_msg *)
NULLOP_V3(mn_null_place_hoa, const struct in6_addr *, uint8_t, unsigned)
NULLOP_V5(mn_null_hoa4, const struct in6_addr *, const struct in_addr *,
    uint8_t, unsigned, bool)

#endif
