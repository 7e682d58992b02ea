/*
 * stack/had/ha_disc.h - Dynamic Home Agent Address Discovery and Mobile
 * Prefix Discovery on the home agent (RFC 6275 §10.5, §10.6, §11.4; the
 * NEMO R bit of RFC 3963 §7): the home agents list learned from Router
 * Advertisements with the H flag (and our own entry), DHAAD Replies in
 * preference order, Mobile Prefix Advertisements solicited and
 * unsolicited.  Part of the engine (pure).
 */
#ifndef MIP6_HA_DISC_H
#define MIP6_HA_DISC_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "packets/pkt.h"
#include "stack/had/ha_engine.h"

struct ha_disc;

struct ha_disc *ha_disc_new(const struct ha_ops *ops);
void	ha_disc_free(struct ha_disc *);
/* Configuration (home prefixes, preference, lifetimes, accept_router)
   and our own address; called again on reload. */
void	ha_disc_configure(struct ha_disc *, const struct had_conf *,
	    const struct in6_addr *ha_addr, uint64_t now_ms);
void	ha_disc_set_ifaces(struct ha_disc *, const struct ha_iface *,
	    size_t n);
/* Did the last ha_disc_configure change the home prefixes (or their
   lifetimes)?  Then every bound mobile node gets an unsolicited MPA. */
bool	ha_disc_prefixes_changed(const struct ha_disc *);
/* Shuffle home agents of equal preference in DHAAD Replies (RFC 6275
   §10.5.1 SHOULD); 0, the default, keeps arrival order (own entry first). */
void	ha_disc_set_seed(struct ha_disc *, uint32_t seed);
/* A Router Advertisement heard on a home link interface. */
void	ha_disc_ra(struct ha_disc *, const struct pkt *, unsigned ifindex,
	    uint64_t now_ms);
/* A DHAAD Request (to the anycast address); answers it. */
void	ha_disc_dhaad(struct ha_disc *, const struct pkt *, uint64_t now_ms);
/*
 * A Mobile Prefix Solicitation from a mobile node with a binding (the
 * engine checked it): answer with an MPA to coa, RH2 hoa.
 */
void	ha_disc_mps(struct ha_disc *, const struct pkt *,
	    const struct in6_addr *hoa, const struct in6_addr *coa,
	    uint64_t now_ms);
/* Unsolicited MPA to one bound mobile node (home prefixes changed). */
void	ha_disc_mpa_unsolicited(struct ha_disc *, const struct in6_addr *hoa,
	    const struct in6_addr *coa, uint64_t now_ms);
/* Expire HA list entries. */
uint64_t ha_disc_next_timeout(const struct ha_disc *);
void	ha_disc_timeout(struct ha_disc *, uint64_t now_ms);
/* {"halist":[...]} for mip6ctl halist. */
void	ha_disc_ctl_halist(const struct ha_disc *, uint64_t now_ms,
	    struct jw *);
void	ha_disc_reset(struct ha_disc *);

#endif
