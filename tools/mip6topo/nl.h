/*
 * nl.h - the netlink requests mip6topo makes, through libmnl: veth pairs
 * and bridges, moving and renaming interfaces, MACs, link state,
 * addresses, routes, the address/link state `up` waits on, and an
 * nftables masquerade rule (nfnetlink).  Nothing here runs `ip` or `nft`.
 *
 * A `struct nl` is a socket bound in the namespace that was current when
 * it was opened; requests made on it act in that namespace.
 */
#ifndef MIP6TOPO_NL_H
#define MIP6TOPO_NL_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

struct mnl_socket;
struct topo_ip;

struct nl {
	struct mnl_socket	*sk;
	unsigned int		 portid;
	unsigned int		 seq;
};

/* bus: NETLINK_ROUTE or NETLINK_NETFILTER. */
int	nl_open(struct nl *, int bus, char *err);
void	nl_close(struct nl *);

struct nl_link {
	int		ifindex;
	unsigned int	flags;		/* IFF_* */
	uint8_t		mac[6];
	bool		has_mac;
	int		master;		/* 0: none */
};

/* Look an interface up by name; -ENODEV (no err text) when absent. */
int	nl_link_get(struct nl *, const char *name, struct nl_link *,
	    char *err);

/*
 * A veth pair: `name` created in namespace `nsfd`, `peer` in `peer_nsfd`
 * (both fds; the names are checked in their own namespaces), with MACs
 * when not NULL.  Both ends start down.
 */
int	nl_veth_add(struct nl *, const char *name, int nsfd,
	    const uint8_t *mac, const char *peer, int peer_nsfd,
	    const uint8_t *peer_mac, char *err);

/* A bridge that floods multicast (no snooping) and has no STP. */
int	nl_bridge_add(struct nl *, const char *name, char *err);

/* Changes to an existing interface; fields left at their zero/NULL/-1
   defaults are not touched. */
struct nl_linkset {
	int		 up;		/* -1 keep, 0 down, 1 up */
	int		 master;	/* 0 keep */
	const uint8_t	*mac;
	const char	*newname;
	int		 nsfd;		/* -1 keep: move to this namespace */
};
#define NL_LINKSET_INIT	{ .up = -1, .nsfd = -1 }

int	nl_link_set(struct nl *, const char *name, const struct nl_linkset *,
	    char *err);

int	nl_addr_add(struct nl *, int ifindex, const struct topo_ip *,
	    int plen, bool nodad, char *err);

int	nl_route_add(struct nl *, const struct topo_ip *dst, int plen,
	    const struct topo_ip *gw, int oif, bool has_metric,
	    uint32_t metric, char *err);

/* One address seen in a dump. */
struct nl_addr {
	int		ifindex;
	int		family;
	uint8_t		addr[16];
	int		plen;
	uint32_t	flags;		/* IFA_F_* (extended) */
};

/* Every address of `family` (AF_UNSPEC: all) in the socket's namespace. */
int	nl_addr_dump(struct nl *, int family, struct nl_addr *out, int max,
	    int *n, char *err);

/* nftables: masquerade IPv4 leaving `ifname` (table ip mip6topo). */
int	nl_nft_masquerade(struct nl *nfnl, const char *ifname, char *err);

#endif
