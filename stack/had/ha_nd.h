/*
 * stack/had/ha_nd.h - the home agent's Neighbor Discovery on the home
 * link for its mobile nodes: proxy Duplicate Address Detection before a
 * first registration is accepted, then proxy ND (RFC 6275 §10.4.1):
 * unsolicited NA to take the home address over, NA answers to NS for it,
 * until de-registration.  Part of the engine (pure: bytes out through
 * struct ha_ops, virtual time in).
 */
#ifndef MIP6_HA_ND_H
#define MIP6_HA_ND_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "packets/pkt.h"
#include "stack/had/ha_engine.h"

struct ha_nd;

/* Called once when DAD for every address of a request is over. */
typedef void ha_nd_dad_done(void *arg, const struct in6_addr *hoa, bool ok);

struct ha_nd *ha_nd_new(const struct ha_ops *ops);
void	ha_nd_free(struct ha_nd *);
/* Interfaces as the engine knows them (MAC and link-local per ifindex). */
void	ha_nd_set_ifaces(struct ha_nd *, const struct ha_iface *, size_t n);
/* DAD parameters: transmits (0 = succeed at once) and interval. */
void	ha_nd_set_dad(struct ha_nd *, unsigned transmits, unsigned retrans_ms);
/*
 * Proxy DAD of hoa (and of the link-local address with hoa's interface
 * identifier when linklocal) on ifindex.  `done` runs after transmits x
 * retrans_ms, or as soon as a conflicting NA / DAD NS is seen (ok false).
 * A second request for an address already in DAD replaces the callback.
 */
int	ha_nd_dad_start(struct ha_nd *, const struct in6_addr *hoa,
	    bool linklocal, unsigned ifindex, uint64_t now_ms,
	    ha_nd_dad_done *done, void *arg);
void	ha_nd_dad_cancel(struct ha_nd *, const struct in6_addr *hoa);
/*
 * Start defending hoa (and its link-local when linklocal) on ifindex:
 * unsolicited NAs now, NAs for NS from then on.  ha_nd_proxy_stop ends it.
 */
int	ha_nd_proxy_start(struct ha_nd *, const struct in6_addr *hoa,
	    bool linklocal, unsigned ifindex, uint64_t now_ms);
void	ha_nd_proxy_stop(struct ha_nd *, const struct in6_addr *hoa);
bool	ha_nd_proxying(const struct ha_nd *, const struct in6_addr *hoa);
/* An NS or NA (decoded) that arrived on ifindex. */
void	ha_nd_input(struct ha_nd *, const struct pkt *, unsigned ifindex,
	    uint64_t now_ms);
uint64_t ha_nd_next_timeout(const struct ha_nd *);
void	ha_nd_timeout(struct ha_nd *, uint64_t now_ms);
/* Forget everything (ndp_watch(…, 0) for each address). */
void	ha_nd_reset(struct ha_nd *);

#endif
