/*
 * stack/mnd/mnd.c - mnd, the mip6kit mobile node / mobile router daemon
 * (mnd(8)): the privileged parent.
 *
 * It owns what needs privileges - the eBPF plane of mn.bpf.c (programs,
 * pinned maps, tc attachments on the managed interfaces), the raw IPv6
 * socket the engine's packets leave on, rtnetlink for the home address,
 * the bus connection, the control socket - and forks the engine process
 * (mnd_engine_proc.c), which parses every packet and bus message and
 * decides.  The parent relays ring records and bus messages to the engine
 * unparsed and executes the engine's requests after checking their sizes.
 * One libevent loop per process.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "packets/arp.h"
#include "packets/msock.h"
#include "packets/sbuf.h"
#include "stack/lib/bus.h"
#include "stack/lib/ctl.h"
#include "stack/lib/daemon.h"
#include "stack/lib/ifinfo.h"
#include "stack/lib/log.h"
#include "stack/lib/mnplane.h"
#include "stack/lib/privsep.h"
#include "stack/lib/proc.h"
#include "stack/lib/readfile.h"
#include "stack/mnd/mn_engine.h"
#include "stack/mnd/mnd_conf.h"
#include "stack/mnd/mnd_proc.h"

#define DEFAULT_CONF	"/etc/mip6kit/mnd.conf"
#define ENGINE_ROUNDS	64
#define MND_CONF_FILE_MAX (1u << 20)

/* Where a home address is now (rtnetlink). */
struct hoa_place {
	bool		known;
	unsigned	ifindex;
	uint8_t		plen;
};

/* DSMIPv6 (RFC 5555): an IPv4 home address (or prefix) in place. */
struct hoa4_place {
	bool		on;
	struct in_addr	addr;
	uint8_t		plen;
	unsigned	ifindex;	/* of the default route (plen 32) */
	/* at home (RFC 5555 §4.5 [R]): the address on the home link */
	unsigned	home_ifindex;	/* 0: on lo, or nowhere */
	struct in_addr	home_addr;
	uint8_t		home_plen;
};

#define HOA4_METRIC	4096	/* above any native IPv4 default route */

struct parent {
	const char	*conf_path;
	struct mnd_conf	 conf;
	struct mn_plane	*plane;
	struct event_base *base;
	struct bus	*bus;
	int		 engine_sock;
	pid_t		 engine_pid;
	int		 raw_sock;	/* IPPROTO_RAW: the engine builds
					   whole packets */
	int		 ctl_sock;
	int		 ready_fd;	/* daemon_start's pipe, -1 none */
	unsigned	 lo_ifindex;
	struct mn_iface	 ifaces[MND_IFACE_MAX];
	size_t		 nifaces;
	struct hoa_place place[MND_HOA_MAX];
	struct hoa4_place place4[MND_HOA_MAX];
	/* DSMIPv6: the UDP socket of BUs from an IPv4 care-of address,
	   bound to (udp_src, udp_port); -1 none */
	int		 udp_sock;
	struct event	*udp_ev;
	struct in_addr	 udp_src;
	uint16_t	 udp_port;
	unsigned	 v6gw_ifindex;	/* IPv6 default route of an IPv4
					   care-of address, 0 none */
	uint64_t	 cnt[MND_PC_MAX];
	struct log_rl	 send_rl, req_rl;
	struct ps_batch	 to_engine;
	struct ps_rx	 rx;
};

static void
usage(FILE *f)
{
	proc_usage(f, "mnd", DEFAULT_CONF, true);
}

/* The configuration file, parsed (FILE:LINE errors). */
static int
conf_load(struct mnd_conf *c, const char *path, char *err, size_t errlen)
{
	size_t len;
	char *text = readfile(path, MND_CONF_FILE_MAX, &len, err, errlen);
	int rc;

	if (text == NULL)
		return -1;
	rc = mnd_conf_parse(c, path, text, len, err, errlen);
	free(text);
	return rc;
}

/* ------------------------------------------------------- interfaces */

/* The managed interfaces: index, MAC, link-local address. */
static int
load_ifaces(struct parent *p, char *err, size_t errlen)
{
	p->nifaces = 0;
	for (size_t k = 0; k < p->conf.niface; k++) {
		struct mn_iface *f = &p->ifaces[p->nifaces];
		struct if_info ii;

		if (if_info_get(p->conf.iface[k], &ii, err, errlen) < 0)
			return -1;
		memset(f, 0, sizeof(*f));
		snprintf(f->name, sizeof(f->name), "%s", p->conf.iface[k]);
		f->ifindex = ii.ifindex;
		memcpy(f->mac, ii.mac, sizeof(f->mac));
		f->ll = ii.ll;
		p->nifaces++;
	}
	return 0;
}

/* ------------------------------------------------------- rtnetlink */

/* One request, one acknowledgement: 0 or -errno from the kernel. */
static int
nl_request(struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	unsigned portid;
	int rc = 0, n;

	if (nl == NULL)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		rc = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		rc = -errno;
		goto out;
	}
	n = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		rc = -errno;
	else if (mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, portid, NULL,
	    NULL) < 0)
		rc = -errno;
out:
	mnl_socket_close(nl);
	return rc;
}

/* A request header of type with NLM_F_REQUEST | NLM_F_ACK | flags. */
static struct nlmsghdr *
nl_header(char *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = (uint32_t)time(NULL);
	return nlh;
}

/* What is already there counts as added, what is already gone as
   removed: the result of an idempotent request. */
static int
nl_idempotent(int rc, int exists, int absent)
{
	return rc == -exists || rc == -absent ? 0 : rc;
}

static size_t
family_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* RTM_NEWADDR / RTM_DELADDR of an address of ours (AF_INET or
   AF_INET6); 0 or -errno. */
static int
addr_req(uint16_t type, int family, unsigned ifindex, const void *a,
    uint8_t plen, uint32_t ifa_flags)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_header(buf, type, type == RTM_NEWADDR ?
	    NLM_F_CREATE | NLM_F_REPLACE : 0);
	struct ifaddrmsg *ifa;

	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, family_len(family), a);
	mnl_attr_put(nlh, IFA_ADDRESS, family_len(family), a);
	if (ifa_flags != 0)
		mnl_attr_put_u32(nlh, IFA_FLAGS, ifa_flags);
	return nl_idempotent(nl_request(nlh), EEXIST, EADDRNOTAVAIL);
}

/*
 * The next hop of the default routes of the home addresses away from
 * home: a permanent neighbour entry on the care-of interface.  IPv4
 * (hoa4_gw): the kernel resolves an IPv4 next hop before tc egress sees
 * the packet, and an IPv6-only care-of link has nobody to answer ARP;
 * with this entry the packet reaches mn.bpf.c, which tunnels it and lets
 * the kernel resolve the outer next hop (bpf_redirect_neigh).  The
 * address is link-local (RFC 3927) and is never sent to.
 */
static const uint8_t hoa4_gw[4] = { 169, 254, 0, 1 };

/*
 * The same for IPv6 from the home addresses while the care-of address is
 * IPv4 (RFC 5555 §4.1 [R]): an IPv4-only link has no IPv6 router, so
 * without a default route through this made-up link-local next hop the
 * kernel could not route replies to the point where mn.bpf.c tunnels
 * them (IPv6-in-IPv4 / UDP).
 */
static const uint8_t hoa6_gw[16] = { 0xfe, 0x80, [14] = 0x6d, [15] = 0x6e };

static const void *
family_gw(int family)
{
	return family == AF_INET ? (const void *)hoa4_gw : hoa6_gw;
}

/* The permanent neighbour entry of family's made-up next hop. */
static int
neigh_req(uint16_t type, int family, unsigned ifindex, const uint8_t mac[6])
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_header(buf, type, type == RTM_NEWNEIGH ?
	    NLM_F_CREATE | NLM_F_REPLACE : 0);
	struct ndmsg *nd;

	nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
	nd->ndm_family = (uint8_t)family;
	nd->ndm_ifindex = (int)ifindex;
	nd->ndm_state = NUD_PERMANENT;
	nd->ndm_type = RTN_UNICAST;
	mnl_attr_put(nlh, NDA_DST, family_len(family), family_gw(family));
	if (type == RTM_NEWNEIGH)
		mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	return nl_idempotent(nl_request(nlh), EEXIST, ENOENT);
}

/*
 * The default route of family through its made-up next hop out of oif,
 * metric HOA4_METRIC (above native routes: on an IPv4 care-of link the
 * native IPv4 route wins, and mn.bpf.c still tunnels what leaves from
 * the home address).  IPv4: source src, the IPv4 home address (NULL:
 * any, for removal).
 */
static int
route_req(uint16_t type, int family, unsigned oif, const struct in_addr *src)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_header(buf, type, type == RTM_NEWROUTE ?
	    NLM_F_CREATE : 0);
	struct rtmsg *rt;

	rt = mnl_nlmsg_put_extra_header(nlh, sizeof(*rt));
	rt->rtm_family = (uint8_t)family;
	rt->rtm_table = RT_TABLE_MAIN;
	rt->rtm_protocol = RTPROT_STATIC;
	rt->rtm_scope = RT_SCOPE_UNIVERSE;
	rt->rtm_type = RTN_UNICAST;
	if (family == AF_INET)
		rt->rtm_flags = RTNH_F_ONLINK;
	mnl_attr_put_u32(nlh, RTA_OIF, oif);
	mnl_attr_put(nlh, RTA_GATEWAY, family_len(family), family_gw(family));
	if (src != NULL)
		mnl_attr_put(nlh, RTA_PREFSRC, sizeof(*src), src);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, HOA4_METRIC);
	return nl_idempotent(nl_request(nlh), EEXIST, ESRCH);
}

/* The default route of family and its next hop's neighbour entry on
   ifindex: both in place, or both off (on = false). */
static int
gw_route(bool on, int family, unsigned ifindex, const uint8_t mac[6],
    const struct in_addr *src)
{
	int rc;

	if (!on) {
		(void)route_req(RTM_DELROUTE, family, ifindex, NULL);
		return neigh_req(RTM_DELNEIGH, family, ifindex, NULL);
	}
	if ((rc = neigh_req(RTM_NEWNEIGH, family, ifindex, mac)) < 0)
		return rc;
	return route_req(RTM_NEWROUTE, family, ifindex, src);
}

/* Any link-layer address will do for the made-up next hops: the
   interface's own. */
static const uint8_t *
iface_mac(const struct parent *p, unsigned ifindex)
{
	static const uint8_t zero[6];
	size_t k;

	for (k = 0; k < p->nifaces; k++)
		if (p->ifaces[k].ifindex == ifindex)
			return p->ifaces[k].mac;
	return zero;
}

/* ------------------------------------------- DSMIPv6 (RFC 5555) */

/* The IPv6 default route of an IPv4 care-of address (hoa6_gw) follows
   the mn_hoa records: on their interface while one says M6H_V4COA. */
static void
v6_route_follow(struct parent *p, const struct m6_mn_hoa *r)
{
	unsigned want = (r->flags & (M6H_AWAY | M6H_V4COA)) ==
	    (M6H_AWAY | M6H_V4COA) ? r->coa_ifindex : 0;
	int rc;

	if (want == p->v6gw_ifindex)
		return;
	if (p->v6gw_ifindex != 0)
		(void)gw_route(false, AF_INET6, p->v6gw_ifindex, NULL, NULL);
	p->v6gw_ifindex = 0;
	if (want == 0)
		return;
	if ((rc = gw_route(true, AF_INET6, want, iface_mac(p, want),
	    NULL)) < 0) {
		p->cnt[MND_PC_MAP_FAIL]++;
		log_msg(LOG_ERR, "IPv6 default route on ifindex %u: %s", want,
		    strerror(-rc));
		return;
	}
	p->v6gw_ifindex = want;
}

static int hoa_index(const struct parent *, const struct in6_addr *);
static void to_engine(struct parent *, uint16_t, const void *, size_t,
    const void *, size_t);
static void to_engine_flush(struct parent *);

/* Take an IPv4 home address (or prefix) off: route, lo, mn_hoa4.  On a
   home link (at home, hoa4_place_home) it stays where it is. */
static void
hoa4_off(struct parent *p, struct hoa4_place *pl)
{
	size_t k;
	bool shared = false;

	if (!pl->on)
		return;
	if (pl->plen == 32) {
		for (k = 0; k < MND_HOA_MAX; k++)
			shared = shared || (&p->place4[k] != pl &&
			    p->place4[k].on && p->place4[k].plen == 32 &&
			    p->place4[k].ifindex == pl->ifindex);
		if (shared)
			(void)route_req(RTM_DELROUTE, AF_INET, pl->ifindex,
			    &pl->addr);
		else
			(void)gw_route(false, AF_INET, pl->ifindex, NULL,
			    NULL);
		if (pl->home_ifindex == 0 && addr_req(RTM_DELADDR, AF_INET,
		    p->lo_ifindex, &pl->addr, 32, 0) < 0)
			p->cnt[MND_PC_MAP_FAIL]++;
	}
	if (mn_plane_hoa4_del(p->plane, &pl->addr, pl->plen) < 0)
		p->cnt[MND_PC_MAP_FAIL]++;
	pl->on = false;
}

/* RFC 5555 §4.4.3 [R]: the acknowledged IPv4 home address in place. */
static void
hoa4_request(struct parent *p, const struct mnd_ps_hoa4 *m)
{
	char a[INET_ADDRSTRLEN];
	int i = hoa_index(p, &m->hoa), rc;
	struct hoa4_place *pl;

	if (i < 0 || m->plen == 0 || m->plen > 32) {
		p->cnt[MND_PC_BAD_REQUEST]++;
		return;
	}
	pl = &p->place4[i];
	hoa4_off(p, pl);
	if (!m->on)
		return;
	inet_ntop(AF_INET, &m->addr, a, sizeof(a));
	if (mn_plane_hoa4_set(p->plane, &m->addr, m->plen, &m->hoa) < 0) {
		p->cnt[MND_PC_MAP_FAIL]++;
		log_msg(LOG_ERR, "mn_hoa4 %s/%u refused", a, m->plen);
		return;
	}
	pl->on = true;
	pl->addr = m->addr;
	pl->plen = m->plen;
	pl->ifindex = m->coa_ifindex;
	if (m->plen != 32)
		return;		/* a prefix: routed by the mobile network */
	if (pl->home_ifindex == 0 && (rc = addr_req(RTM_NEWADDR, AF_INET,
	    p->lo_ifindex, &m->addr, 32, 0)) < 0) {
		p->cnt[MND_PC_MAP_FAIL]++;
		log_msg(LOG_ERR, "IPv4 home address %s on lo: %s", a,
		    strerror(-rc));
	}
	if (m->coa_ifindex != 0 && (rc = gw_route(true, AF_INET,
	    m->coa_ifindex, iface_mac(p, m->coa_ifindex), &m->addr)) < 0) {
		p->cnt[MND_PC_MAP_FAIL]++;
		log_msg(LOG_ERR, "IPv4 default route from %s: %s", a,
		    strerror(-rc));
	}
	log_msg(LOG_INFO, "IPv4 home address %s/%u", a, m->plen);
}

/*
 * RFC 5555 §4.5 [R], as RFC 6275 §11.5.4 for IPv6: back home, the mobile
 * node announces its IPv4 home address with a gratuitous ARP (RFC 5227
 * announcement: sender = target = the address, broadcast), so that the
 * neighbours' ARP caches, which held the home agent's proxy ARP, point
 * at us again.
 */
static void
arp_announce(struct parent *p, unsigned ifindex, const struct in_addr *a)
{
	struct sockaddr_ll to = { .sll_family = AF_PACKET,
	    .sll_protocol = htons(ETHERTYPE_ARP_), .sll_ifindex = (int)ifindex,
	    .sll_halen = 6, .sll_addr = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
	struct arp_msg m = { .op = ARP_OP_REQUEST, .spa = *a, .tpa = *a };
	uint8_t buf[ARP_LEN];
	int fd;

	memcpy(m.sha, iface_mac(p, ifindex), 6);
	arp_encode(&m, buf);
	if ((fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC,
	    htons(ETHERTYPE_ARP_))) < 0 || sendto(fd, buf, sizeof(buf), 0,
	    (struct sockaddr *)&to, sizeof(to)) < 0) {
		p->cnt[MND_PC_SEND_FAIL]++;
		log_rl(&p->send_rl, boottime_ms(), LOG_WARNING,
		    "gratuitous ARP on ifindex %u: %s", ifindex,
		    strerror(errno));
	}
	if (fd >= 0)
		close(fd);
}

/* The IPv4 home address off the home link (if there). */
static void
hoa4_unhome(struct hoa4_place *pl)
{
	if (pl->home_ifindex != 0)
		(void)addr_req(RTM_DELADDR, AF_INET, pl->home_ifindex,
		    &pl->home_addr, pl->home_plen, 0);
	pl->home_ifindex = 0;
}

/*
 * Where the IPv4 home address is configured (MND_PS_PLACE_HOA4), as
 * place_hoa for the IPv6 one: at home on the home link with the home
 * link's prefix length, announced (arp_announce; the engine repeats the
 * request with its Neighbor Advertisements); away (ifindex 0) a /32 on
 * lo.  The new place first, then the old one goes.
 */
static void
hoa4_place_home(struct parent *p, const struct mnd_ps_hoa4 *m)
{
	char a[INET_ADDRSTRLEN];
	int i = hoa_index(p, &m->hoa), rc;
	unsigned ifi = m->coa_ifindex != 0 ? m->coa_ifindex : p->lo_ifindex;
	uint8_t plen = m->coa_ifindex != 0 ? m->plen : 32;
	struct hoa4_place *pl;

	if (i < 0 || m->plen == 0 || m->plen > 32) {
		p->cnt[MND_PC_BAD_REQUEST]++;
		return;
	}
	pl = &p->place4[i];
	inet_ntop(AF_INET, &m->addr, a, sizeof(a));
	if ((rc = addr_req(RTM_NEWADDR, AF_INET, ifi, &m->addr, plen,
	    0)) < 0) {
		p->cnt[MND_PC_MAP_FAIL]++;
		log_msg(LOG_ERR, "IPv4 home address %s/%u on ifindex %u: %s",
		    a, plen, ifi, strerror(-rc));
		return;
	}
	if (pl->home_ifindex != m->coa_ifindex) {
		hoa4_unhome(pl);
		log_msg(LOG_INFO, "IPv4 home address %s/%u on ifindex %u", a,
		    plen, ifi);
	}
	if (m->coa_ifindex != 0)
		(void)addr_req(RTM_DELADDR, AF_INET, p->lo_ifindex, &m->addr,
		    32, 0);
	pl->home_ifindex = m->coa_ifindex;
	pl->home_addr = m->addr;
	pl->home_plen = plen;
	if (m->coa_ifindex != 0)
		arp_announce(p, m->coa_ifindex, &m->addr);
}

/*
 * A datagram to our UDP socket (RFC 5555 §4.1 [R]: the HA's BA, inner
 * IPv6 right after the UDP header): to the engine unparsed, as a ring
 * record with M6SF_UDP4 and the outer source.
 */
static void
on_udp(evutil_socket_t fd, short what, void *arg)
{
	struct parent *p = arg;
	uint8_t buf[2048];
	struct sockaddr_in from;
	socklen_t fl;
	struct m6_sig sig;
	ssize_t n;
	int i;

	(void)what;
	for (i = 0; i < 64; i++) {
		fl = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
		    (struct sockaddr *)&from, &fl);
		if (n < 0)
			break;
		memset(&sig, 0, sizeof(sig));
		sig.reason = M6S_MH;
		sig.flags = M6SF_UDP4;
		sig.caplen = (uint32_t)n;
		sig.wirelen = (uint32_t)n;
		sig.udp_sport = from.sin_port;
		sig.tun_src.b[10] = sig.tun_src.b[11] = 0xff;
		memcpy(sig.tun_src.b + 12, &from.sin_addr, 4);
		memcpy(sig.tun_dst4, &p->udp_src, 4);
		to_engine(p, PS_PKT, &sig, sizeof(sig), buf, (size_t)n);
	}
	to_engine_flush(p);
}

static void
udp_close(struct parent *p)
{
	if (p->udp_ev != NULL)
		event_free(p->udp_ev);
	p->udp_ev = NULL;
	if (p->udp_sock >= 0)
		close(p->udp_sock);
	p->udp_sock = -1;
}

/* The UDP socket bound to (src, port): made again when the care-of
   address changed. */
static int
udp_socket(struct parent *p, const struct in_addr *src, uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
	    .sin_port = htons(port), .sin_addr = *src };
	int fd, one = 1, err;

	if (p->udp_sock >= 0 && p->udp_src.s_addr == src->s_addr &&
	    p->udp_port == port)
		return 0;
	udp_close(p);
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) < 0)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	(void)setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof(one));
	/* UDP checksum 0 (RFC 768: none; the inner Mobility Header has
	   its own), as mn.bpf.c's data tunnel: no checksum left to an
	   offload that captures on virtual links see unfinished */
	(void)setsockopt(fd, SOL_SOCKET, SO_NO_CHECK, &one, sizeof(one));
	p->udp_sock = fd;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    (p->udp_ev = event_new(p->base, fd, EV_READ | EV_PERSIST, on_udp,
	    p)) == NULL || event_add(p->udp_ev, NULL) < 0) {
		err = errno;
		udp_close(p);
		errno = err;
		return -1;
	}
	p->udp_src = *src;
	p->udp_port = port;
	return 0;
}

/* RFC 5555 §4.2 [R]: the engine's BU inside IPv4/UDP to port 4191. */
static void
udp4_send(struct parent *p, const struct mnd_ps_udp4 *m, const uint8_t *pkt,
    size_t len)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
	    .sin_port = htons(MND_UDP_PORT), .sin_addr = m->dst };

	if (udp_socket(p, &m->src, m->sport) < 0 ||
	    sendto(p->udp_sock, pkt, len, 0, (struct sockaddr *)&to,
	    sizeof(to)) < 0) {
		p->cnt[MND_PC_SEND_FAIL]++;
		log_rl(&p->send_rl, boottime_ms(), LOG_WARNING,
		    "UDP send %zu bytes: %s", len, strerror(errno));
	}
}

static int
hoa_index(const struct parent *p, const struct in6_addr *hoa)
{
	size_t i;

	for (i = 0; i < p->conf.nhoa; i++)
		if (memcmp(&p->conf.hoa[i].pfx.addr, hoa, sizeof(*hoa)) == 0)
			return (int)i;
	return -1;
}

/*
 * DESIGN.md: away, a /128 nodad address on lo; at home, on the home-link
 * interface with the prefix length.  The new place first, then the old
 * one goes, so sockets bound to the address never lose it.
 */
static void
place_hoa(struct parent *p, const struct in6_addr *hoa, unsigned ifindex,
    uint8_t plen)
{
	int i = hoa_index(p, hoa), rc;
	struct hoa_place *pl;
	char a[INET6_ADDRSTRLEN];

	if (i < 0 || plen > 128) {
		p->cnt[MND_PC_BAD_REQUEST]++;
		return;
	}
	pl = &p->place[i];
	if (ifindex == 0)
		ifindex = p->lo_ifindex;
	inet_ntop(AF_INET6, hoa, a, sizeof(a));
	if ((rc = addr_req(RTM_NEWADDR, AF_INET6, ifindex, hoa, plen,
	    IFA_F_NODAD)) < 0) {
		p->cnt[MND_PC_MAP_FAIL]++;
		log_msg(LOG_ERR, "home address %s on ifindex %u: %s", a,
		    ifindex, strerror(-rc));
		return;
	}
	if (pl->known && (pl->ifindex != ifindex || pl->plen != plen))
		(void)addr_req(RTM_DELADDR, AF_INET6, pl->ifindex, hoa,
		    pl->plen, 0);
	pl->known = true;
	pl->ifindex = ifindex;
	pl->plen = plen;
	log_msg(LOG_INFO, "home address %s/%u on ifindex %u", a, plen,
	    ifindex);
}

/* if_addr6_walk's callback: a home address found on an interface. */
static void
found_hoa(void *arg, const char *ifname, const struct in6_addr *a)
{
	struct parent *p = arg;
	int k = hoa_index(p, a);

	if (k < 0)
		return;
	p->place[k].known = true;
	p->place[k].ifindex = if_nametoindex(ifname);
	p->place[k].plen = p->place[k].ifindex == p->lo_ifindex ? 128 :
	    p->conf.hoa[k].pfx.plen;
}

/* At start: an address configured nowhere goes to lo (away); one found
   on an interface stays where it is. */
static void
place_initial(struct parent *p)
{
	(void)if_addr6_walk(found_hoa, p);
	for (size_t k = 0; k < p->conf.nhoa; k++) {
		const struct in6_addr *hoa = &p->conf.hoa[k].pfx.addr;

		if (!p->place[k].known)
			place_hoa(p, hoa, 0, 128);
		(void)mn_plane_local_set(p->plane, hoa, M6L_OWN);
	}
}

/* ------------------------------------------------- engine requests */

/* Send an IPv6 packet the engine built; the kernel adds nothing. */
static void
raw_send(struct parent *p, unsigned oif, const uint8_t *pkt, size_t len)
{
	if (proc_raw6_send(p->raw_sock, oif, pkt, len) == 0)
		return;
	p->cnt[errno == EINVAL ? MND_PC_BAD_REQUEST : MND_PC_SEND_FAIL]++;
	log_rl(&p->send_rl, boottime_ms(), LOG_WARNING,
	    "send %zu bytes (oif %u): %s", len, oif, strerror(errno));
}

static void
hoa_set(struct parent *p, const struct mnd_ps_hoa *m)
{
	struct in6_addr coa;
	static const struct in6_addr any;

	if (hoa_index(p, &m->hoa) < 0) {
		p->cnt[MND_PC_BAD_REQUEST]++;
		return;
	}
	memcpy(&coa, m->r.coa.b, sizeof(coa));
	/* the CoA terminates tunnels and signaling (mn.bpf.c) */
	if (memcmp(&coa, &any, sizeof(coa)) != 0)
		(void)mn_plane_local_set(p->plane, &coa, M6L_OWN);
	v6_route_follow(p, &m->r);
	if (mn_plane_hoa_set(p->plane, &m->hoa, &m->r) < 0) {
		p->cnt[MND_PC_MAP_FAIL]++;
		log_rl(&p->req_rl, boottime_ms(), LOG_ERR,
		    "mn_hoa update refused");
	}
}

static void
mnp_request(struct parent *p, uint16_t type, const struct mnd_ps_mnp *m)
{
	int rc;

	if (m->pfx.plen > 128) {
		p->cnt[MND_PC_BAD_REQUEST]++;
		return;
	}
	rc = type == PS_MNP_SET ? mn_plane_mnp_set(p->plane, &m->pfx.addr,
	    m->pfx.plen, &m->hoa) : mn_plane_mnp_del(p->plane, &m->pfx.addr,
	    m->pfx.plen);
	if (rc < 0)
		p->cnt[MND_PC_MAP_FAIL]++;
}

static void
bad_request(struct parent *p, uint16_t type, size_t n)
{
	p->cnt[MND_PC_BAD_REQUEST]++;
	log_rl(&p->req_rl, boottime_ms(), LOG_ERR,
	    "bad request from the engine (type %u, %zu bytes)", type, n);
}

/* One request; the payload is copied out before use (alignment). */
static void
engine_request(struct parent *p, uint16_t type, const uint8_t *m, size_t n)
{
	union {
		struct mnd_ps_hoa hoa;
		struct mnd_ps_ro ro;
		struct m6_ro_key k;
		struct mnd_ps_mnp mnp;
		struct mnd_ps_place pl;
		struct mnd_ps_hoa4 h4;
		struct mnd_ps_udp4 u4;
		uint32_t oif;
	} u;

	switch (type) {
	case PS_SEND:
		if (n < sizeof(u.oif) + 40)
			break;
		memcpy(&u.oif, m, sizeof(u.oif));
		raw_send(p, u.oif, m + sizeof(u.oif), n - sizeof(u.oif));
		return;
	case MND_PS_HOA_SET:
		if (n != sizeof(u.hoa))
			break;
		memcpy(&u.hoa, m, n);
		hoa_set(p, &u.hoa);
		return;
	case MND_PS_RO_SET:
		if (n != sizeof(u.ro))
			break;
		memcpy(&u.ro, m, n);
		if (mn_plane_ro_set(p->plane, &u.ro.k, &u.ro.r) < 0)
			p->cnt[MND_PC_MAP_FAIL]++;
		return;
	case MND_PS_RO_DEL:
		if (n != sizeof(u.k))
			break;
		memcpy(&u.k, m, n);
		(void)mn_plane_ro_del(p->plane, &u.k);
		return;
	case PS_MNP_SET:
	case PS_MNP_DEL:
		if (n != sizeof(u.mnp))
			break;
		memcpy(&u.mnp, m, n);
		mnp_request(p, type, &u.mnp);
		return;
	case MND_PS_PLACE_HOA:
		if (n != sizeof(u.pl))
			break;
		memcpy(&u.pl, m, n);
		place_hoa(p, &u.pl.hoa, u.pl.ifindex, u.pl.plen);
		return;
	case MND_PS_HOA4:
	case MND_PS_PLACE_HOA4:
		if (n != sizeof(u.h4))
			break;
		memcpy(&u.h4, m, n);
		if (type == MND_PS_HOA4)
			hoa4_request(p, &u.h4);
		else
			hoa4_place_home(p, &u.h4);
		return;
	case MND_PS_SEND_UDP4:
		if (n < sizeof(u.u4) + 40)
			break;
		memcpy(&u.u4, m, sizeof(u.u4));
		udp4_send(p, &u.u4, m + sizeof(u.u4), n - sizeof(u.u4));
		return;
	case MND_PS_BUS:
		if (bus_send_raw(p->bus, m, n) < 0)
			p->cnt[MND_PC_BUS_DROP]++;
		return;
	case PS_READY:
		if (p->ready_fd >= 0) {
			daemon_ready(p->ready_fd);
			p->ready_fd = -1;
		}
		return;
	case PS_RESET_DONE:
		return;
	}
	bad_request(p, type, n);
}

static void
on_engine(evutil_socket_t fd, short what, void *arg)
{
	struct parent *p = arg;
	size_t off;
	struct ps_msg m;
	int round, n, i, r;

	(void)what;
	for (round = 0; round < ENGINE_ROUNDS; round++) {
		if ((n = ps_rx_recv(fd, &p->rx)) < 0) {
			log_msg(LOG_ERR, "engine process gone; exiting "
			    "(registrations and forwarding stay in place)");
			event_base_loopbreak(p->base);
			return;
		}
		for (i = 0; i < n; i++) {
			if (p->rx.fd[i] >= 0)
				close(p->rx.fd[i]);
			off = 0;
			while ((r = ps_next(p->rx.buf[i], p->rx.len[i], &off,
			    &m)) > 0)
				engine_request(p, m.type, m.data, m.len);
			if (r < 0)
				bad_request(p, 0, p->rx.len[i] - off);
		}
		if (n + p->rx.truncated < PS_RX_DGRAMS)
			return;
	}
}

/* ------------------------------------------------- ring, bus, ctl */

static void
to_engine_flush(struct parent *p)
{
	if (ps_batch_flush(&p->to_engine) < 0) {
		p->cnt[MND_PC_RING_TO_ENGINE_DROP] += p->to_engine.nmsg;
		ps_batch_clear(&p->to_engine);
	}
}

static void
to_engine(struct parent *p, uint16_t type, const void *a, size_t alen,
    const void *b, size_t blen)
{
	if (ps_batch_add(&p->to_engine, type, a, alen, b, blen) == 0)
		return;
	if (errno == ENOBUFS) {
		to_engine_flush(p);
		if (ps_batch_add(&p->to_engine, type, a, alen, b, blen) == 0)
			return;
	}
	p->cnt[MND_PC_RING_TO_ENGINE_DROP]++;
}

static void
ring_record(void *arg, const struct m6_sig *sig, const uint8_t *data)
{
	to_engine(arg, PS_PKT, sig, sizeof(*sig), data, sig->caplen);
}

static void
on_ring(evutil_socket_t fd, short what, void *arg)
{
	struct parent *p = arg;

	(void)fd;
	(void)what;
	if (mn_plane_sig_consume(p->plane, ring_record, p) < 0)
		log_rl(&p->req_rl, boottime_ms(), LOG_ERR,
		    "ring buffer: consume failed");
	to_engine_flush(p);
}

/*
 * Bus messages go to the engine as they came (it decodes them).  A new
 * care-of address from mdd is ours for mn.bpf.c at once: what reaches it
 * before any registration (a DHAAD Reply, RFC 6275 §11.4.1) must come to
 * the daemon too.
 */
static void
on_bus(void *arg, const struct msock_msg *m, const uint8_t *raw, size_t len)
{
	struct parent *p = arg;

	if (m != NULL && m->type == MSOCK_MD_INFO &&
	    m->command == MSOCK_MD_REREG && msock_has(m, MSA_COA))
		(void)mn_plane_local_set(p->plane, &m->coa, M6L_OWN);
	if (m != NULL && m->type == MSOCK_MD_INFO &&
	    m->command == MSOCK_MD_REREG && !msock_has(m, MSA_COA) &&
	    msock_has(m, MSA_COA4)) {
		/* an IPv4 care-of address, IPv4-mapped in m6_local */
		struct in6_addr c = { .s6_addr = { [10] = 0xff, [11] = 0xff } };

		memcpy(c.s6_addr + 12, &m->coa4, 4);
		(void)mn_plane_local_set(p->plane, &c, M6L_OWN);
	}
	to_engine(p, MND_PS_BUS, raw, len, NULL, 0);
	to_engine_flush(p);
}

/* ------------------------------------------------------------ reload */

/* What a reload does not change (set up once at start): kept from old,
   with a warning when the file asks otherwise. */
static void
keep_fixed(const struct mnd_conf *old, struct mnd_conf *n)
{
	struct mnd_conf f = *old;
	char a[16384], b[16384];
	struct sbuf sa, sb;

	f.nhoa = n->nhoa;
	memcpy(f.hoa, n->hoa, sizeof(f.hoa));
	f.lifetime = n->lifetime;
	/* SAs change on reload (the engine keeps the state of those that
	   stay the same: espsa_table_set) */
	f.nsa = n->nsa;
	memcpy(f.sa, n->sa, sizeof(f.sa));
	/* compared as text: padding is not looked at */
	sbuf_init(&sa, a, sizeof(a));
	sbuf_init(&sb, b, sizeof(b));
	mnd_conf_print(&sa, &f);
	mnd_conf_print(&sb, n);
	if (strcmp(sbuf_str(&sa), sbuf_str(&sb)) != 0)
		log_msg(LOG_WARNING, "reload: only home-address, lifetime "
		    "and sa change; the rest takes effect at the next start");
	*n = f;
	explicit_bzero(a, sizeof(a));	/* SA keys */
	explicit_bzero(b, sizeof(b));
}

/* A home address no longer configured: off its interface and out of the
   maps (the engine de-registers it). */
static void
hoa_remove(struct parent *p, size_t i)
{
	const struct in6_addr *hoa = &p->conf.hoa[i].pfx.addr;

	if (p->place[i].known)
		(void)addr_req(RTM_DELADDR, AF_INET6, p->place[i].ifindex, hoa,
		    p->place[i].plen, 0);
	(void)mn_plane_hoa_del(p->plane, hoa);
	(void)mn_plane_local_set(p->plane, hoa, 0);
}

static int
find_hoa(const struct mnd_conf *c, const struct in6_addr *hoa)
{
	for (size_t j = 0; j < c->nhoa; j++)
		if (memcmp(&c->hoa[j].pfx.addr, hoa, sizeof(*hoa)) == 0)
			return (int)j;
	return -1;
}

/*
 * SIGHUP or `mip6ctl reload`: read the file again; a broken one is
 * refused (FILE:LINE in err) and the running configuration kept.  Home
 * addresses removed leave their interface and the maps, new ones go to
 * lo, and the engine (mn_engine_reconf) de-registers and registers.
 */
static int
reload(struct parent *p, char *err, size_t errlen)
{
	struct hoa_place place[MND_HOA_MAX];
	struct hoa4_place place4[MND_HOA_MAX];
	struct mnd_conf c;
	char text[16384];
	struct sbuf sb;
	size_t i;
	int j, rc;

	if (conf_load(&c, p->conf_path, err, errlen) < 0 ||
	    mnd_conf_check(&c, err, errlen) < 0)
		return -1;
	keep_fixed(&p->conf, &c);
	sbuf_init(&sb, text, sizeof(text));
	mnd_conf_print(&sb, &c);
	to_engine_flush(p);
	rc = sb.trunc ? -1 : ps_send(p->engine_sock, PS_CONF, text, sb.len,
	    NULL, 0, -1);
	explicit_bzero(text, sizeof(text));	/* SA keys: the engine's now */
	if (rc < 0) {
		snprintf(err, errlen, "engine: %s", sb.trunc ?
		    "configuration too large" : strerror(errno));
		return -1;
	}
	memset(place, 0, sizeof(place));
	memset(place4, 0, sizeof(place4));
	for (i = 0; i < p->conf.nhoa; i++)
		if ((j = find_hoa(&c, &p->conf.hoa[i].pfx.addr)) >= 0) {
			place[j] = p->place[i];
			place4[j] = p->place4[i];
		} else {
			hoa4_off(p, &p->place4[i]);
			hoa4_unhome(&p->place4[i]);
			hoa_remove(p, i);
		}
	p->conf = c;
	memcpy(p->place, place, sizeof(place));
	memcpy(p->place4, place4, sizeof(place4));
	for (i = 0; i < p->conf.nhoa; i++)
		if (!p->place[i].known) {
			place_hoa(p, &p->conf.hoa[i].pfx.addr, 0, 128);
			(void)mn_plane_local_set(p->plane,
			    &p->conf.hoa[i].pfx.addr, M6L_OWN);
		}
	log_msg(LOG_INFO, "configuration reloaded from %s (%zu home "
	    "address(es))", p->conf_path, p->conf.nhoa);
	return 0;
}

/* "reload" is answered here (proc_ctl_reload); the rest by the engine. */
static int
reload_ctl(void *p, char *err, size_t errlen)
{
	return reload(p, err, errlen);
}

static void
on_ctl(evutil_socket_t lfd, short what, void *arg)
{
	struct parent *p = arg;
	char req[CTL_REQ_MAX];
	struct mnd_ps_ctl c;
	int fd;

	(void)what;
	if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) < 0)
		return;
	if (ctl_read_request(fd, req, sizeof(req), 1000) < 0) {
		close(fd);
		return;
	}
	if (strcmp(req, "reload") == 0) {
		proc_ctl_reload(fd, "mnd", reload_ctl, p);
		return;
	}
	memset(&c, 0, sizeof(c));
	if (strcmp(req, "reset") == 0) {
		mn_plane_counters_zero(p->plane);
		memset(p->cnt, 0, sizeof(p->cnt));
	} else {
		mn_plane_counters(p->plane, c.bpf);
		memcpy(c.parent, p->cnt, sizeof(c.parent));
	}
	c.bus_connected = bus_connected(p->bus);
	/* the engine answers on fd itself */
	if (ps_send(p->engine_sock, PS_CTL, &c, sizeof(c), req, strlen(req),
	    fd) < 0) {
		static const char busy[] = "{\"daemon\":\"mnd\",\"error\":"
		    "\"engine busy, try again\"}\n";

		ctl_write_reply(fd, busy, sizeof(busy) - 1);
		return;
	}
	close(fd);
}

/* --------------------------------------------------------- start-up */

/* Blocking is fine here: the loop is not running yet. */
static int
send_blocking(struct parent *p, uint16_t type, const void *m, size_t len)
{
	while (ps_batch_add(&p->to_engine, type, m, len, NULL, 0) < 0) {
		if (errno != ENOBUFS)
			return -1;
		while (ps_batch_flush(&p->to_engine) < 0) {
			if (errno != EAGAIN)
				return -1;
			usleep(1000);
		}
	}
	return 0;
}

static int
restore_hoa(void *arg, const struct in6_addr *hoa, const struct m6_mn_hoa *r)
{
	struct mnd_ps_hoa m = { .hoa = *hoa, .r = *r };

	return send_blocking(arg, MND_PS_RESTORE_HOA, &m, sizeof(m));
}

static int
restore_ro(void *arg, const struct m6_ro_key *k, const struct m6_mn_ro *r)
{
	struct mnd_ps_ro m = { .k = *k, .r = *r };

	return send_blocking(arg, MND_PS_RESTORE_RO, &m, sizeof(m));
}

static int
start_engine(struct parent *p, char *err, size_t errlen)
{
	char text[16384];
	struct sbuf sb;
	int rc;

	sbuf_init(&sb, text, sizeof(text));
	mnd_conf_print(&sb, &p->conf);
	rc = sb.trunc ||
	    send_blocking(p, PS_IFACES, p->ifaces,
	    p->nifaces * sizeof(p->ifaces[0])) < 0 ||
	    send_blocking(p, PS_CONF, text, sb.len) < 0;
	explicit_bzero(text, sizeof(text));	/* SA keys: the engine's now */
	if (rc ||
	    mn_plane_hoa_foreach(p->plane, restore_hoa, p) < 0 ||
	    mn_plane_ro_foreach(p->plane, restore_ro, p) < 0 ||
	    send_blocking(p, PS_RESTORE_DONE, NULL, 0) < 0) {
		snprintf(err, errlen, "engine: %s", strerror(errno));
		return -1;
	}
	while (ps_batch_flush(&p->to_engine) < 0) {
		if (errno != EAGAIN) {
			snprintf(err, errlen, "engine: %s", strerror(errno));
			return -1;
		}
		usleep(1000);
	}
	return 0;
}

static int
fork_engine(struct parent *p, const struct passwd *pw, char *err,
    size_t errlen)
{
	p->engine_pid = proc_fork_child(mnd_engine_main, pw, &p->engine_sock,
	    err, errlen);
	if (p->engine_pid < 0)
		return -1;
	ps_batch_init(&p->to_engine, p->engine_sock);
	return 0;
}

/*
 * A mobile router's network links: packets from the mobile network enter
 * there and mn.bpf.c tunnels them to the home agent (RFC 3963 §5.5).
 */
static int
attach_mnp_links(struct parent *p, char *err, size_t errlen)
{
	size_t k;
	unsigned ifi;

	for (k = 0; k < p->conf.nmnp; k++) {
		if (p->conf.mnp[k].ifname[0] == '\0')
			continue;
		if ((ifi = if_nametoindex(p->conf.mnp[k].ifname)) == 0) {
			snprintf(err, errlen, "interface %s: %s",
			    p->conf.mnp[k].ifname, strerror(errno));
			return -1;
		}
		if (mn_plane_attach(p->plane, ifi, err, errlen) < 0)
			return -1;
	}
	return 0;
}

static int
setup(struct parent *p, char *err, size_t errlen)
{
	size_t k;

	if ((p->lo_ifindex = if_nametoindex("lo")) == 0) {
		snprintf(err, errlen, "lo: %s", strerror(errno));
		return -1;
	}
	if (proc_open_raw_and_ctl(p->conf.control, &p->raw_sock,
	    &p->ctl_sock, err, errlen) < 0)
		return -1;
	proc_warn_private_bpffs();
	if ((p->plane = mn_plane_open(p->conf.state_dir, err, errlen)) ==
	    NULL)
		return -1;
	for (k = 0; k < p->nifaces; k++)
		if (mn_plane_attach(p->plane, p->ifaces[k].ifindex, err,
		    errlen) < 0)
			return -1;
	if (attach_mnp_links(p, err, errlen) < 0)
		return -1;
	place_initial(p);
	return 0;
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct parent *p = arg;

	(void)what;
	if (sig == SIGCHLD) {
		if (daemon_reap(&p->engine_pid, "engine process"))
			event_base_loopbreak(p->base);
		return;
	}
	if (sig == SIGHUP) {
		char err[300];

		if (reload(p, err, sizeof(err)) < 0)
			log_msg(LOG_ERR, "reload: %s (old configuration "
			    "kept)", err);
		return;
	}
	log_msg(LOG_INFO, "signal %d: exiting; registrations and forwarding "
	    "stay in place", (int)sig);
	event_base_loopbreak(p->base);
}

static int
run_loop(struct parent *p)
{
	static const int sigs[] = { SIGHUP, SIGTERM, SIGINT, SIGCHLD };
	const struct daemon_fd fds[] = {
		{ p->engine_sock, on_engine },
		{ mn_plane_sig_fd(p->plane), on_ring },
		{ p->ctl_sock, on_ctl },
	};

	on_ring(-1, 0, p);	/* records may have queued while we started */
	return daemon_dispatch(p->base, fds, sizeof(fds) / sizeof(fds[0]),
	    sigs, sizeof(sigs) / sizeof(sigs[0]), on_signal, p);
}

static int
check_only(struct parent *p, int verbose)
{
	char err[300], text[16384];
	struct sbuf sb;

	if (conf_load(&p->conf, p->conf_path, err, sizeof(err)) < 0 ||
	    mnd_conf_check(&p->conf, err, sizeof(err)) < 0) {
		fprintf(stderr, "mnd: %s\n", err);
		return 1;
	}
	if (verbose) {
		sbuf_init(&sb, text, sizeof(text));
		/* SA keys stay out of what people see */
		mnd_conf_print_public(&sb, &p->conf);
		fputs(sbuf_str(&sb), stdout);
	} else {
		fprintf(stderr, "mnd: %s: configuration OK\n", p->conf_path);
		for (size_t i = 0; i < p->conf.nsa; i++) {
			sbuf_init(&sb, text, sizeof(text));
			espsa_print(&sb, &p->conf.sa[i], false);
			fprintf(stderr, "mnd: %s", sbuf_str(&sb));
		}
	}
	return 0;
}

/* mn_plane_hoa4_foreach's callback for cleanup_v4: an IPv4 home
   address of a registration off lo. */
static int
cleanup_hoa4(void *arg, const struct in_addr *pfx, unsigned plen,
    const struct in6_addr *hoa)
{
	const struct parent *p = arg;

	(void)hoa;
	if (plen == 32)
		(void)addr_req(RTM_DELADDR, AF_INET, p->lo_ifindex, pfx, 32, 0);
	return 0;
}

/*
 * mnd --cleanup, DSMIPv6 (RFC 5555): what hoa4_request and
 * v6_route_follow leave while away: the IPv4 home addresses on lo (the
 * configured ones and those of the mn_hoa4 entries, dynamic ones
 * included), and on each managed interface the default routes through
 * hoa4_gw and hoa6_gw (one IPv4 route per home address) and their
 * neighbour entries.  An address on the home link (at home) stays.
 */
static void
cleanup_v4(struct parent *p)
{
	char err[300];
	struct mn_plane *pl;
	size_t k, n;

	if ((p->lo_ifindex = if_nametoindex("lo")) == 0)
		return;
	for (k = 0; k < p->conf.nhoa; k++)
		if (p->conf.hoa[k].v4mode == MND_V4_STATIC)
			(void)addr_req(RTM_DELADDR, AF_INET, p->lo_ifindex,
			    &p->conf.hoa[k].v4addr, 32, 0);
	if ((pl = mn_plane_open(p->conf.state_dir, err, sizeof(err))) !=
	    NULL) {
		(void)mn_plane_hoa4_foreach(pl, cleanup_hoa4, p);
		mn_plane_close(pl);
	}
	for (k = 0; k < p->conf.niface; k++) {
		unsigned ifi = if_nametoindex(p->conf.iface[k]);

		if (ifi == 0)
			continue;
		/* one IPv4 route per home address, whatever its source */
		for (n = 1; n < p->conf.nhoa; n++)
			(void)route_req(RTM_DELROUTE, AF_INET, ifi, NULL);
		(void)gw_route(false, AF_INET, ifi, NULL, NULL);
		(void)gw_route(false, AF_INET6, ifi, NULL, NULL);
	}
}

static int
cleanup(struct parent *p)
{
	char err[300];
	size_t k;
	int rc;

	if (conf_load(&p->conf, p->conf_path, err, sizeof(err)) < 0) {
		fprintf(stderr, "mnd: %s\n", err);
		return 1;
	}
	cleanup_v4(p);
	for (k = 0; k < p->conf.niface + p->conf.nmnp; k++) {
		unsigned ifi = if_nametoindex(k < p->conf.niface ?
		    p->conf.iface[k] : p->conf.mnp[k - p->conf.niface].ifname);

		if (ifi != 0)
			(void)mn_plane_detach_ifindex(ifi);
	}
	if ((rc = mn_plane_unpin(p->conf.state_dir)) < 0) {
		fprintf(stderr, "mnd: %s: %s\n", p->conf.state_dir,
		    strerror(-rc));
		return 1;
	}
	return 0;
}

static int
serve(struct parent *p, const struct proc_opts *o)
{
	char err[300] = "";
	struct passwd *pw;

	if (conf_load(&p->conf, p->conf_path, err, sizeof(err)) < 0 ||
	    mnd_conf_check(&p->conf, err, sizeof(err)) < 0) {
		fprintf(stderr, "mnd: %s\n", err);
		return 1;
	}
	if ((pw = daemon_begin("mnd", p->conf.user, o->foreground, o->verbose,
	    &p->ready_fd)) == NULL)
		return 1;
	p->send_rl = (struct log_rl)LOG_RL_INIT(5, 20);
	p->req_rl = (struct log_rl)LOG_RL_INIT(5, 20);
	signal(SIGPIPE, SIG_IGN);
	if ((p->base = event_base_new()) == NULL ||
	    load_ifaces(p, err, sizeof(err)) < 0 ||
	    setup(p, err, sizeof(err)) < 0 ||
	    fork_engine(p, pw, err, sizeof(err)) < 0 ||
	    start_engine(p, err, sizeof(err)) < 0) {
		log_msg(LOG_ERR, "%s", err[0] != '\0' ? err : "out of memory");
		if (p->engine_pid > 0)
			kill(p->engine_pid, SIGTERM);
		return 1;
	}
	p->bus = bus_open(p->base, p->conf.bus, p->conf.mobile_router ?
	    MSOCK_NODE_MR : MSOCK_NODE_MN, on_bus, NULL, p);
	if (p->bus == NULL) {
		log_msg(LOG_ERR, "bus %s: %s", p->conf.bus, strerror(errno));
		kill(p->engine_pid, SIGTERM);
		return 1;
	}
	/* the waiting caller is released when the engine is ready */
	daemon_serving("mnd", p->conf.control, -1, o->foreground, o->verbose);
	log_msg(LOG_INFO, "mobile %s ready: %zu home address(es), %zu "
	    "interface(s)", p->conf.mobile_router ? "router" : "node",
	    p->conf.nhoa, p->nifaces);
	run_loop(p);
	bus_close(p->bus);
	if (p->engine_pid > 0) {
		kill(p->engine_pid, SIGTERM);
		waitpid(p->engine_pid, NULL, 0);
	}
	unlink(p->conf.control);
	daemon_pidfile_remove(p->conf.control);
	mn_plane_close(p->plane);
	event_base_free(p->base);
	return 0;
}

int
main(int argc, char **argv)
{
	static struct parent p;
	struct proc_opts o = { .conf_path = DEFAULT_CONF };
	int rc;

	if ((rc = proc_getopt(argc, argv, "mnd", usage, &o)) >= 0)
		return rc;
	p.conf_path = o.conf_path;
	p.ready_fd = -1;
	p.udp_sock = -1;
	if (o.check)
		return check_only(&p, o.verbose);
	if (o.cleanup)
		return cleanup(&p);
	return serve(&p, &o);
}
