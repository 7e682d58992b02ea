/*
 * stack/mdd/md_core.h - the movement detector's logic, with no network and
 * no clock of its own: it takes Router Advertisement summaries, link,
 * address and neighbour events and the time, keeps one state machine per
 * managed interface and one for the node's attachment, picks the primary
 * care-of address and says what to tell the mobile node (MD_INFO,
 * HOME_HINT) through an ops table.  mdd.c feeds it from the raw socket
 * reader and rtnetlink; md_core_test.c feeds it by hand in virtual time.
 */
#ifndef MIP6_MD_CORE_H
#define MIP6_MD_CORE_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jw;

#define MD_IFACE_MAX	16
#define MD_HOME_MAX	8
#define MD_RA_PFX_MAX	8	/* prefixes kept from one RA */
#define MD_ADDR_MAX	16	/* addresses watched per interface */
#define MD_ADDR4_MAX	4

/*
 * What the reader tells the parent about one valid RA: fixed size, so the
 * parent checks it with one length comparison.
 */
struct md_ra {
	uint32_t	ifindex;
	struct in6_addr	router;		/* link-local source */
	uint8_t		mac[6];		/* Source Link-Layer Address option */
	uint8_t		have_mac;
	uint8_t		flags;		/* ND_RA_* (H, M, O) */
	uint16_t	lifetime;	/* Router Lifetime, seconds */
	uint16_t	npfx;
	uint32_t	interval_ms;	/* Advertisement Interval, 0 absent */
	struct {
		struct in6_addr	prefix;
		uint8_t		plen;
		uint8_t		flags;	/* ND_PI_* */
		uint16_t	pad;
		uint32_t	valid, preferred;	/* seconds */
	} pfx[MD_RA_PFX_MAX];
};

/* Address flags, as the parent translates them from IFA_F_*. */
#define MD_ADDR_TENTATIVE	0x01
#define MD_ADDR_OPTIMISTIC	0x02
#define MD_ADDR_DEPRECATED	0x04
#define MD_ADDR_DADFAILED	0x08

/* Per-interface state machine. */
enum md_if_state {
	MD_IF_DOWN,		/* no carrier or administratively down */
	MD_IF_UP_NO_ROUTER,	/* up, no router heard yet */
	MD_IF_ROUTER_OK,	/* a router advertises, within its time */
	MD_IF_ROUTER_LOST,	/* the router fell silent, failed NUD or
				   withdrew (lifetime 0) */
	MD_IF_STATE_MAX
};

enum md_if_event {
	MD_EV_LINK_UP,
	MD_EV_LINK_DOWN,
	MD_EV_RA,		/* an RA with a non-zero router lifetime */
	MD_EV_RA_WITHDRAW,	/* the current router sent lifetime 0 */
	MD_EV_RA_TIMEOUT,	/* RFC 6275 §11.5.1 RA loss, or router
				   lifetime expired */
	MD_EV_NUD_FAILED,	/* the current router's neighbour entry
				   went FAILED */
	MD_EV_MAX
};

/* The node's attachment. */
enum md_att_state {
	MD_ATT_DETACHED,	/* no usable care-of address, not home */
	MD_ATT_HOME,		/* a managed interface is on the home link */
	MD_ATT_FOREIGN,		/* a primary care-of address is in use */
	MD_ATT_STATE_MAX
};

/* A managed interface (mdd.conf `interface`; ifindex resolved at start). */
struct md_iface_conf {
	char		name[IF_NAMESIZE];
	unsigned	ifindex;
	unsigned	preference;	/* lower wins */
};

struct md_prefix {
	struct in6_addr	addr;
	uint8_t		plen;
};

/* Configuration of the core (from mdd.conf). */
struct md_params {
	size_t		niface;
	struct md_iface_conf iface[MD_IFACE_MAX];
	size_t		nhome;
	struct md_prefix home[MD_HOME_MAX];
	bool		optimistic;	/* optimistic addresses are usable */
	unsigned	ra_loss_intervals;
	unsigned	ra_interval_default_ms;
	unsigned	nud_hold_down_ms;	/* a router that failed NUD is
						   not taken again before */
};

/* One MD_INFO decision. */
struct md_info {
	unsigned	command;	/* MSOCK_MD_* */
	unsigned	hint;		/* MSOCK_HINT_*, 0 none */
	unsigned	ifindex;	/* 0 for deregforeign */
	bool		v4;		/* coa4 instead of coa */
	struct in6_addr	coa;
	struct in_addr	coa4;
	uint64_t	coa_expire_ms;	/* rereg: end of the CoA's valid
					   lifetime, UINT64_MAX infinite,
					   0 unknown (IPv4) */
	bool		have_router;
	struct in6_addr	router;
	bool		have_mac;
	uint8_t		router_mac[6];
	size_t		nprefix;	/* dereghome: the home prefixes seen */
	struct md_prefix prefix[MD_HOME_MAX];
};

struct md_ops {
	void	*ctx;
	void	(*md_info)(void *ctx, const struct md_info *);
	void	(*home_hint)(void *ctx, unsigned ifindex,
		    const struct in6_addr *prefix, uint8_t plen);
	void	(*send_rs)(void *ctx, unsigned ifindex);
	void	(*log)(void *ctx, int prio, const char *msg);
};

enum md_counter {
	MDC_RAS,		/* summaries taken */
	MDC_RAS_IGNORED,	/* not a managed interface */
	MDC_EVENTS,		/* interface state transitions */
	MDC_ROUTER_LOST_RA,	/* RA loss / lifetime expiry */
	MDC_ROUTER_LOST_NUD,
	MDC_ROUTER_WITHDRAWN,
	MDC_LINK_DOWN,
	MDC_MD_INFO,		/* MD_INFO decisions */
	MDC_HOME_HINTS,
	MDC_RAS_HELD_DOWN,	/* RAs of a router held down after NUD */
	MDC_MAX
};

struct md_core;

struct md_core *md_core_new(const struct md_params *, const struct md_ops *,
	    uint64_t now_ms);
void	md_core_free(struct md_core *);
/* A new configuration (reload): what changed takes effect at once (an
   MD_INFO when the primary or the attachment changes).  -1: no memory,
   nothing changed. */
int	md_core_reconf(struct md_core *, const struct md_params *,
	    uint64_t now_ms);

/* Inputs.  Events for interfaces that are not managed are ignored. */
void	md_link(struct md_core *, unsigned ifindex, bool up, uint64_t now_ms);
void	md_ra(struct md_core *, const struct md_ra *, uint64_t now_ms);
/* valid_s: the address's remaining valid lifetime, UINT32_MAX infinite. */
void	md_addr(struct md_core *, unsigned ifindex, const struct in6_addr *,
	    uint8_t plen, unsigned flags, uint32_t valid_s, bool present,
	    uint64_t now_ms);
void	md_addr4(struct md_core *, unsigned ifindex, const struct in_addr *,
	    bool present, uint64_t now_ms);
/* A neighbour entry changed; failed: it is NUD_FAILED now. */
void	md_neigh(struct md_core *, unsigned ifindex, const struct in6_addr *,
	    bool failed, uint64_t now_ms);
/* Timers: call md_timeout at md_next_timeout (UINT64_MAX: none). */
void	md_timeout(struct md_core *, uint64_t now_ms);
uint64_t md_next_timeout(const struct md_core *);

/* Seconds left until expire_ms (md_info.coa_expire_ms), UINT32_MAX for
   UINT64_MAX (infinite), 0 when past: MD_INFO's MSA_LIFETIME. */
uint32_t md_remaining_s(uint64_t expire_ms, uint64_t now_ms);

/* The last MD_INFO decided (false before the first): what a detector
   sends again when the hub or a mobile node (re)connects (mip6-bus(7)). */
bool	md_last_info(const struct md_core *, struct md_info *);

/* Queries (status, tests). */
enum md_if_state md_if_state(const struct md_core *, unsigned ifindex);
enum md_att_state md_att_state(const struct md_core *);
/* The primary CoA (false when none). */
bool	md_primary(const struct md_core *, unsigned *ifindex,
	    struct in6_addr *coa);
uint64_t md_counter(const struct md_core *, enum md_counter);
const uint64_t *md_counters(const struct md_core *);	/* MDC_MAX */
const char *md_counter_name(unsigned);	/* "router_lost_ra" ... */
const char *md_if_state_name(enum md_if_state);
const char *md_if_event_name(enum md_if_event);
const char *md_att_state_name(enum md_att_state);
/* The members of the `status` answer: attachment, primary, interfaces. */
void	md_status_json(const struct md_core *, struct jw *, uint64_t now_ms);

#endif
