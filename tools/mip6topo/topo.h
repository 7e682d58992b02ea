/*
 * topo.h - the topology model of mip6topo: what a .topo file declares
 * (nodes, links, MACs, addresses, routes, sysctls, NAT, captures and the
 * daemons to run), the parser that fills it and the normalised printer.
 *
 * The model is plain data with fixed maxima so that a parsed topology is
 * one allocation and nothing in it needs freeing piece by piece.  The
 * grammar is documented in topologies/README.md and mip6topo(8).
 */
#ifndef MIP6TOPO_TOPO_H
#define MIP6TOPO_TOPO_H

#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define TOPO_MAX_NODES		64
#define TOPO_MAX_LINKS		128
#define TOPO_MAX_EPS		32	/* endpoints on one link */
#define TOPO_MAX_ADDRS		512
#define TOPO_MAX_ROUTES		512
#define TOPO_MAX_SYSCTLS	1024
#define TOPO_MAX_NATS		16
#define TOPO_MAX_RUNS		64
#define TOPO_MAX_ARGS		64	/* words of one run line */
#define TOPO_RUN_BUFLEN		2048	/* bytes of one run line's words */

#define TOPO_NAMELEN		16	/* node and topology names, with NUL */
#define TOPO_KEYLEN		128	/* sysctl keys */
#define TOPO_VALLEN		64	/* sysctl values */

/* The node name that means "the tester's host", never a namespace. */
#define TOPO_HOST		"host"
/* The namespace holding the bridges; no node may take the name. */
#define TOPO_SWITCH		"switch"

struct topo_ip {
	int	family;			/* AF_INET or AF_INET6 */
	union {
		struct in_addr	v4;
		struct in6_addr	v6;
	} u;
};

struct topo_node {
	char	name[TOPO_NAMELEN];
	int	line;
};

enum topo_ep_kind {
	EP_NODE,		/* an interface of a node */
	EP_HOST			/* an existing interface of the host */
};

/* One endpoint of a link. */
struct topo_ep {
	enum topo_ep_kind kind;
	int	node;			/* EP_NODE: index into topo.node */
	char	nodename[TOPO_NAMELEN];	/* as written, for late resolution */
	char	ifname[IFNAMSIZ];	/* EP_NODE: name inside the node;
					   EP_HOST: the host's name for it */
	char	port[IFNAMSIZ];		/* bridged links: name in "switch" */
	bool	has_mac;
	uint8_t	mac[6];
	int	mac_line;
};

enum topo_link_kind {
	LINK_VETH,		/* two nodes: a veth pair */
	LINK_HOST,		/* one node and one host interface: moved in */
	LINK_BRIDGE		/* anything else: a bridge in "switch" */
};

struct topo_link {
	char			name[IFNAMSIZ];
	enum topo_link_kind	kind;
	int			nep;
	struct topo_ep		ep[TOPO_MAX_EPS];
	bool			capture;
	int			line;
};

struct topo_addr {
	int		node;
	char		nodename[TOPO_NAMELEN];
	char		ifname[IFNAMSIZ];
	struct topo_ip	ip;
	int		plen;
	bool		nodad;
	int		line;
};

struct topo_route {
	int		node;
	char		nodename[TOPO_NAMELEN];
	bool		is_default;	/* written as "default" */
	struct topo_ip	dst;
	int		plen;
	bool		has_gw;
	struct topo_ip	gw;
	char		dev[IFNAMSIZ];	/* "" when not given */
	bool		has_metric;
	uint32_t	metric;
	int		line;
};

struct topo_sysctl {
	int	node;
	char	nodename[TOPO_NAMELEN];	/* "*" expands to every node */
	char	key[TOPO_KEYLEN];	/* relative to net., dotted */
	char	val[TOPO_VALLEN];
	int	line;
};

struct topo_nat {
	int	node;
	char	nodename[TOPO_NAMELEN];
	char	ifname[IFNAMSIZ];	/* IPv4 leaving here is masqueraded */
	int	line;
};

struct topo_run {
	int	node;
	char	nodename[TOPO_NAMELEN];
	int	argc;
	char	*argv[TOPO_MAX_ARGS + 1];	/* point into buf */
	char	buf[TOPO_RUN_BUFLEN];
	int	line;
};

struct topo {
	char			file[PATH_MAX];	/* as given */
	char			dir[PATH_MAX];	/* its folder, absolute */
	char			name[TOPO_NAMELEN];
	bool			capture_all;
	bool			need_switch;	/* some link is a bridge */

	int			nnodes, nlinks, naddrs, nroutes, nsysctls,
				nnats, nruns;
	struct topo_node	node[TOPO_MAX_NODES];
	struct topo_link	link[TOPO_MAX_LINKS];
	struct topo_addr	addr[TOPO_MAX_ADDRS];
	struct topo_route	route[TOPO_MAX_ROUTES];
	struct topo_sysctl	sysctl[TOPO_MAX_SYSCTLS];
	struct topo_nat		nat[TOPO_MAX_NATS];
	struct topo_run		run[TOPO_MAX_RUNS];
};

/*
 * Parse `path` into `t` (zeroed by the caller).  Every error is printed
 * to `errs` as "FILE:LINE: message"; the return value is the number of
 * errors (0 when the topology is valid).
 */
int	topo_parse(struct topo *t, const char *path, FILE *errs);

/* Print the normalised topology; the output parses to the same model. */
void	topo_print(const struct topo *t, FILE *out);

/* The index of node `name`, or -1. */
int	topo_node_find(const struct topo *t, const char *name);

/* The link and endpoint that are interface `ifname` of node `node`. */
bool	topo_iface_find(const struct topo *t, int node, const char *ifname,
	    int *link, int *ep);

/* The endpoint on which a link is captured (bridges: -1, the bridge). */
int	topo_capture_ep(const struct topo_link *l);

/* "veth", "host", "bridge". */
const char *topo_link_kind_name(enum topo_link_kind);

/* The family-independent helpers the parser uses, shared with the rest. */
bool	topo_ip_parse(const char *s, struct topo_ip *ip);
const char *topo_ip_fmt(const struct topo_ip *ip, char *buf, size_t len);
bool	topo_mac_parse(const char *s, uint8_t mac[6]);
void	topo_mac_fmt(const uint8_t mac[6], char buf[18]);
bool	topo_ifname_ok(const char *s);
bool	topo_id_ok(const char *s);

#endif
