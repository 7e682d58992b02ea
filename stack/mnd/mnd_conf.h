/*
 * stack/mnd/mnd_conf.h - the mobile node's configuration (mnd.conf(5)):
 * the parsed form, the parser, and the printer of the normalised text.
 *
 * As for had, the normalised text (`mnd -nv`) is also how the privileged
 * process hands the configuration to the unprivileged engine.  The parser
 * never exits or logs; errors come back as "FILE:LINE: message".
 */
#ifndef MIP6_MND_CONF_H
#define MIP6_MND_CONF_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packets/sbuf.h"
#include "stack/lib/espsa.h"

#define MND_HOA_MAX	8	/* home addresses */
#define MND_IFACE_MAX	8	/* managed interfaces */
#define MND_MNP_MAX	8	/* mobile network prefixes (RFC 3963) */
#define MND_SA_MAX	16	/* sa statements: in + out per HA */
#define MND_LIFETIME_MAX 262140	/* 0xffff units of 4 s (RFC 6275 §6.1.7) */

struct mnd_prefix {
	struct in6_addr	addr;
	uint8_t		plen;
};

/*
 * DSMIPv6 (RFC 5555): what a home address asks for in the IPv4 Home
 * Address option (§3.1.1): nothing, a static address, an address the HA
 * assigns (0.0.0.0), or an IPv4 mobile network prefix (P flag; 0.0.0.0
 * for one the HA assigns).
 */
enum mnd_v4mode {
	MND_V4_NONE = 0, MND_V4_STATIC, MND_V4_DYNAMIC, MND_V4_PREFIX
};

/* One home address; no home agent: discovered with DHAAD (§11.4.1). */
struct mnd_hoa {
	struct mnd_prefix pfx;		/* the address and its prefix length */
	bool		has_ha;
	struct in6_addr	ha;
	/* DSMIPv6 (RFC 5555) */
	enum mnd_v4mode	v4mode;
	struct in_addr	v4addr;		/* STATIC, PREFIX (0.0.0.0: dynamic) */
	uint8_t		v4plen;		/* 32, or the prefix length */
	uint8_t		v4home_plen;	/* STATIC: the home link's prefix
					   length, used at home (§4.5 [R]) */
	bool		has_ha4;	/* home-agent-ipv4: needed with an
					   IPv4 care-of address (§4.2 [R]) */
	struct in_addr	ha4;
};

#define MND_UDP_PORT	4191	/* RFC 5555 §4.1 [R]: IANA "dsmipv6" */

struct mnd_mnp {
	struct mnd_prefix pfx;
	char		ifname[IF_NAMESIZE];	/* "" none: the egress link of
						   the mobile network */
};

enum mnd_regmode { MND_REG_IMPLICIT = 0, MND_REG_EXPLICIT = 1 };

struct mnd_conf {
	size_t		nhoa;
	struct mnd_hoa	hoa[MND_HOA_MAX];
	size_t		niface;
	char		iface[MND_IFACE_MAX][IF_NAMESIZE];
	uint32_t	lifetime;	/* seconds asked for in home BUs */
	bool		mobile_router;	/* RFC 3963: R flag */
	size_t		nmnp;
	struct mnd_mnp	mnp[MND_MNP_MAX];
	enum mnd_regmode regmode;
	bool		route_opt;	/* RFC 6275 §5.2, §11.6 */
	char		bus[108];	/* mip6busd socket */
	char		control[108];	/* control socket path */
	char		state_dir[256];	/* pinned maps */
	char		user[32];	/* unprivileged engine user */
	bool		force_udp;	/* RFC 5555 §3.1.3: F in BUs sent
					   from an IPv4 care-of address */
	uint16_t	udp_port;	/* source port of UDP-encapsulated
					   BUs and data (host order) */
	/* IPsec (RFC 3776, manual keys): with SAs for a home agent, BUs
	   to it go inside ESP and its BAs must come so */
	size_t		nsa;
	struct espsa_conf sa[MND_SA_MAX];
};

/* Defaults of mnd.conf(5): nothing configured but the paths and timers. */
void	mnd_conf_init(struct mnd_conf *);
/* Parse a text into *c (initialised by the call); `name` labels the
   text in errors.  (mnd.c reads the file.) */
int	mnd_conf_parse(struct mnd_conf *, const char *name, const char *text,
	    size_t len, char *err, size_t errlen);
/* Semantic checks (a home address, an interface, MR settings...). */
int	mnd_conf_check(const struct mnd_conf *, char *err, size_t errlen);
/* The normalised text: every setting, defaults included, re-parsable;
   what the parent hands the engine, so SA keys included. */
void	mnd_conf_print(struct sbuf *, const struct mnd_conf *);
/* For people (mnd -nv): SA keys left out. */
void	mnd_conf_print_public(struct sbuf *, const struct mnd_conf *);

bool	mnd_prefix_contains(const struct mnd_prefix *,
	    const struct in6_addr *);

#endif
