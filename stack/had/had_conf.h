/*
 * stack/had/had_conf.h - the home agent's configuration (had.conf(5)):
 * the parsed form, the parser, and the printer of the normalised text.
 *
 * The normalised text (`had -nv`) is also how the privileged process hands
 * the configuration to the unprivileged engine: one grammar, one parser,
 * one printer.  The parser never exits or logs; errors come back as
 * "FILE:LINE: message" in the caller's buffer.
 */
#ifndef MIP6_HAD_CONF_H
#define MIP6_HAD_CONF_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packets/sbuf.h"
#include "stack/lib/espsa.h"

#define HAD_IFACE_MAX	16
#define HAD_PREFIX_MAX	16
#define HAD_MNP_MAX	8	/* prefixes per mobile router */
#define HAD_KEY_MAX	64	/* RFC 4285 shared key bytes */
#define HAD_ID_MAX	128	/* Mobile Node Identifier (NAI) bytes */

struct had_prefix {
	struct in6_addr	addr;
	uint8_t		plen;
};

struct had_iface {
	char		name[IF_NAMESIZE];
	bool		home_link;	/* attached to the home link */
};

struct had_home_prefix {
	struct had_prefix pfx;
	bool		virtual_link;	/* on no physical link (TAHI "virtual
					   home link"): no DAD, no proxy ND */
	uint32_t	valid_lft;	/* seconds (RFC 6275 §10.3.1 limits) */
	uint32_t	preferred_lft;
};

enum had_policy { HAD_DENY = 0, HAD_ALLOW = 1 };
enum had_auth { HAD_AUTH_NONE = 0, HAD_AUTH_RFC4285 = 1 };

/* One mobile node or router the HA serves (the per-HoA access list). */
struct had_mn {
	struct in6_addr	hoa;
	enum had_policy	policy;
	bool		router;		/* may register with R set */
	size_t		nmnp;		/* implicit-mode prefixes, and the
					   prefixes explicit mode may claim */
	struct had_prefix mnp[HAD_MNP_MAX];
	uint32_t	spi;		/* RFC 4285 mobility SPI, 0 none */
	size_t		keylen;
	uint8_t		key[HAD_KEY_MAX];
	size_t		idlen;		/* Mobile Node Identifier (RFC 4283) */
	char		id[HAD_ID_MAX];
	/* DSMIPv6 (RFC 5555 §3.1.1, §5): the IPv4 home address this node
	   may register (0.0.0.0: none, only a pool address), and the IPv4
	   mobile network prefix a mobile router may ask for with P
	   (v4pfx_plen 0: none). */
	struct in_addr	v4hoa;
	struct in_addr	v4pfx;
	uint8_t		v4pfx_plen;
};

struct had_conf {
	size_t		niface;
	struct had_iface iface[HAD_IFACE_MAX];
	size_t		nprefix;
	struct had_home_prefix prefix[HAD_PREFIX_MAX];
	struct in6_addr	ha_addr;	/* home agent address */
	bool		ha_addr_eui64;	/* derive from the home link's MAC */
	bool		anycast;	/* join the Home-Agents anycast
					   address of each home prefix */
	uint16_t	preference;	/* Home Agent Information option */
	uint16_t	ha_lifetime;	/* seconds */
	uint32_t	max_lifetime;	/* seconds, largest lifetime granted */
	uint32_t	max_bindings;	/* BA 130 beyond it */
	uint32_t	brr_lead;	/* seconds before expiry to send a BRR,
					   0 never */
	unsigned	dad_transmits;	/* proxy DAD NS count, 0 no DAD */
	unsigned	retrans_ms;	/* proxy DAD NS interval */
	enum had_auth	auth;
	enum had_policy	default_policy;	/* HoAs not listed */
	bool		accept_router;	/* NEMO: mobile routers accepted */
	unsigned	rate_be;	/* Binding Errors per second */
	unsigned	rate_icmp;	/* ICMPv6 errors per second */
	bool		radvd;		/* run radvd on the home link */
	unsigned	ra_min_ms, ra_max_ms;	/* RA interval for radvd */
	char		state_dir[256];	/* pinned maps, default
					   /sys/fs/bpf/mip6kit/had */
	char		control[108];	/* control socket path */
	char		user[32];	/* unprivileged engine user */
	/* DSMIPv6 (RFC 5555): our IPv4 address on the home link, the outer
	   address of every IPv4 tunnel (ipv4_plen 0: no IPv4 support);
	   the pool of dynamic IPv4 home addresses (pool_plen 0: none);
	   Refresh Time of the NAT Detection option (NATKATIMEOUT, 110 s);
	   F in NAT Detection even without a NAT. */
	struct in_addr	ipv4_addr;
	uint8_t		ipv4_plen;
	struct in_addr	ipv4_pool;
	uint8_t		ipv4_pool_plen;
	uint32_t	nat_refresh;
	bool		force_udp;
	size_t		nmn;
	struct had_mn	*mn;		/* malloc'd array, sorted by hoa
					   (had_conf_parse sorts it) */
	/* IPsec (RFC 3776 with manual keys): `sa` statements, in file
	   order; a HoA with SAs must send its BUs inside ESP */
	size_t		nsa;
	struct espsa_conf *sa;		/* malloc'd */
};

/* Defaults of had.conf(5), no interfaces, prefixes or mobile nodes. */
void	had_conf_init(struct had_conf *);
void	had_conf_free(struct had_conf *);
/*
 * Parse a file or a string into *c (initialised by the call).  0, or -1
 * with "NAME:LINE: message" in err.  `name` labels the text in errors.
 */
int	had_conf_load(struct had_conf *, const char *path, char *err,
	    size_t errlen);
int	had_conf_parse(struct had_conf *, const char *name, const char *text,
	    size_t len, char *err, size_t errlen);
/* Semantic checks after parsing (home link present, prefixes, keys...). */
int	had_conf_check(const struct had_conf *, char *err, size_t errlen);
/* The normalised text: every setting, defaults included, re-parsable;
   what the parent hands the engine, so SA keys included. */
void	had_conf_print(struct sbuf *, const struct had_conf *);
/* The same for people (had -nv): SA keys left out, so not re-parsable
   when there are SAs with keys. */
void	had_conf_print_public(struct sbuf *, const struct had_conf *);
/* A buffer size that always holds had_conf_print's text. */
size_t	had_conf_print_size(const struct had_conf *);
/*
 * What a reload cannot change: ipv4-address (the outer address of the
 * IPv4 tunnels bindings hold, our entry in the local-address map and the
 * home link's ARP socket are set up at start).  0, or -1 with "ipv4-address
 * changed (OLD -> NEW): restart had to apply it" in err.  Every other
 * setting takes effect (ipv4-pool, nat-refresh, force-udp included).
 */
int	had_conf_reload_check(const struct had_conf *old,
	    const struct had_conf *new, char *err, size_t errlen);
/* Same settings (what a reload compares; padding is not looked at). */
bool	had_conf_equal(const struct had_conf *, const struct had_conf *);

/* The entry for a home address, or NULL. */
const struct had_mn *had_conf_mn(const struct had_conf *,
	    const struct in6_addr *hoa);
/* The home prefix containing addr, or NULL. */
const struct had_home_prefix *had_conf_home_prefix(const struct had_conf *,
	    const struct in6_addr *addr);
bool	had_prefix_contains(const struct had_prefix *,
	    const struct in6_addr *addr);
/* IPv4: addr inside pfx/plen (plen 0 contains everything). */
bool	had_prefix4_contains(const struct in_addr *pfx, unsigned plen,
	    const struct in_addr *addr);
/* The Mobile IPv6 Home-Agents anycast address of a prefix (RFC 2526). */
struct in6_addr had_prefix_ha_anycast(const struct had_prefix *);
/*
 * The home agent address in use: the configured one, or (eui64) the
 * first home prefix with the modified EUI-64 identifier of home_mac
 * (RFC 4291 §2.5.1).  False when eui64 has no MAC or prefix to use.
 */
bool	had_conf_ha_addr(const struct had_conf *, const uint8_t *home_mac,
	    struct in6_addr *out);

#endif
