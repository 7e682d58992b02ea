/*
 * stack/lib/ifinfo.h - what the daemons' privileged processes look up
 * about their interfaces at start and on reload: index, MAC address, MTU
 * and link-local address of a named interface, and a walk over every
 * IPv6 address of the node (getifaddrs), e.g. to publish our own
 * addresses into m6_local or to find where a home address is.
 */
#ifndef MIP6_IFINFO_H
#define MIP6_IFINFO_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct if_info {
	unsigned	ifindex;
	uint8_t		mac[6];
	unsigned	mtu;
	bool		have_ll;
	struct in6_addr	ll;		/* its (first) link-local address */
};

/*
 * Fill *out for the interface `name`: 0, or -1 with "interface NAME:
 * strerror" (no such interface, no MAC) or "getifaddrs: strerror" in err.
 */
int	if_info_get(const char *name, struct if_info *out, char *err,
	    size_t errlen);

/* cb(arg, interface name, address) for every IPv6 address of the node;
   0, or -1 with errno when getifaddrs fails. */
int	if_addr6_walk(void (*cb)(void *arg, const char *ifname,
	    const struct in6_addr *), void *arg);

#endif
