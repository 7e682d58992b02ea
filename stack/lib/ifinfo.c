/*
 * stack/lib/ifinfo.c - see ifinfo.h.
 */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "stack/lib/ifinfo.h"

/* MAC and MTU (SIOCGIFHWADDR, SIOCGIFMTU): 0, or -1 with errno. */
static int
if_hw(const char *name, uint8_t mac[6], unsigned *mtu)
{
	struct ifreq ifr;
	int s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = -1, e;

	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	if (ioctl(s, SIOCGIFHWADDR, &ifr) == 0) {
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
		if (ioctl(s, SIOCGIFMTU, &ifr) == 0) {
			*mtu = (unsigned)ifr.ifr_mtu;
			rc = 0;
		}
	}
	e = errno;
	close(s);
	errno = e;
	return rc;
}

int
if_addr6_walk(void (*cb)(void *, const char *, const struct in6_addr *),
    void *arg)
{
	struct ifaddrs *ifa, *i;

	if (getifaddrs(&ifa) < 0)
		return -1;
	for (i = ifa; i != NULL; i = i->ifa_next) {
		struct sockaddr_in6 sin6;

		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET6)
			continue;
		memcpy(&sin6, i->ifa_addr, sizeof sin6);
		cb(arg, i->ifa_name, &sin6.sin6_addr);
	}
	freeifaddrs(ifa);
	return 0;
}

struct ll_find {
	const char	*name;
	struct if_info	*out;
};

static void
ll_of(void *arg, const char *ifname, const struct in6_addr *a)
{
	struct ll_find *f = arg;

	if (!f->out->have_ll && IN6_IS_ADDR_LINKLOCAL(a) &&
	    strcmp(ifname, f->name) == 0) {
		f->out->ll = *a;
		f->out->have_ll = true;
	}
}

int
if_info_get(const char *name, struct if_info *out, char *err, size_t errlen)
{
	struct ll_find f = { name, out };

	memset(out, 0, sizeof *out);
	if ((out->ifindex = if_nametoindex(name)) == 0 ||
	    if_hw(name, out->mac, &out->mtu) < 0) {
		snprintf(err, errlen, "interface %s: %s", name,
		    strerror(errno));
		return -1;
	}
	if (if_addr6_walk(ll_of, &f) < 0) {
		snprintf(err, errlen, "getifaddrs: %s", strerror(errno));
		return -1;
	}
	return 0;
}
