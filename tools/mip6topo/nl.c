/*
 * nl.c - rtnetlink requests through libmnl (see nl.h).
 *
 * Every request asks for an acknowledgement and reads it before going on,
 * so an error belongs to the request that caused it.  The sockets ask for
 * extended acks (NETLINK_EXT_ACK), so an error carries the kernel's own
 * words ("Nexthop has invalid gateway") when it has some; we show those,
 * else strerror.
 *
 * Netlink messages are built and read with libmnl's attribute API, which
 * checks attribute lengths (mnl_attr_validate) before any value is used.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "mip6topo.h"
#include "nl.h"
#include "nl_priv.h"
#include "topo.h"

#define NL_BUFSZ	32768

int
nl_open(struct nl *nl, int bus, char *err)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->sk = mnl_socket_open2(bus, SOCK_CLOEXEC);
	if (nl->sk == NULL)
		return errf(err, "netlink socket: %s", strerror(errno));
	/* Older kernels lack these; the errors are then just terser. */
	(void)mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one,
	    sizeof(one));
	(void)mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one,
	    sizeof(one));
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		mnl_socket_close(nl->sk);
		nl->sk = NULL;
		return errf(err, "netlink bind: %s", strerror(e));
	}
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = 1;
	return 0;
}

void
nl_close(struct nl *nl)
{
	if (nl->sk != NULL)
		mnl_socket_close(nl->sk);
	nl->sk = NULL;
}

static int
extack_attr_cb(const struct nlattr *a, void *data)
{
	const char **msg = data;

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		*msg = mnl_attr_get_str(a);
	return MNL_CB_OK;
}

/* The reason of an NLMSG_ERROR: the kernel's extended ack, or strerror. */
static void
error_reason(const struct nlmsghdr *nlh, int error, char *why, size_t len)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	size_t off = sizeof(*e);
	const char *msg = NULL;

	if (plen >= sizeof(*e) && (nlh->nlmsg_flags & NLM_F_ACK_TLVS)) {
		/* Uncapped errors echo the whole request before the TLVs. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len > sizeof(struct nlmsghdr) ?
			    e->msg.nlmsg_len - sizeof(struct nlmsghdr) : 0;
		if (off < plen)
			(void)mnl_attr_parse_payload((const char *)e + off,
			    plen - off, extack_attr_cb, &msg);
	}
	if (msg != NULL && msg[0] != '\0')
		snprintf(why, len, "%s (%s)", msg, strerror(-error));
	else
		snprintf(why, len, "%s", strerror(-error));
}

/*
 * Send `len` bytes holding `nacks` requests numbered from `seq`, each
 * with NLM_F_ACK (or one dump), and read until every request is answered.
 * Data messages go to `cb`.  Returns 0 or a negative errno, with `why`.
 */
int
nl_exchange(struct nl *nl, const void *req, size_t len, unsigned int seq,
    int nacks, mnl_cb_t cb, void *data, char *why, size_t whylen)
{
	static char buf[NL_BUFSZ];
	int acked = 0, rc = 0;

	if (mnl_socket_sendto(nl->sk, req, len) < 0) {
		snprintf(why, whylen, "netlink send: %s", strerror(errno));
		return -errno;
	}
	while (acked < nacks) {
		ssize_t n = mnl_socket_recvfrom(nl->sk, buf, sizeof(buf));
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int left = (int)n;

		if (n < 0) {
			snprintf(why, whylen, "netlink receive: %s",
			    strerror(errno));
			return -errno;
		}
		for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh,
		    &left)) {
			if (nlh->nlmsg_seq < seq ||
			    nlh->nlmsg_seq >= seq + (unsigned int)nacks)
				continue;	/* a stale answer */
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e =
				    mnl_nlmsg_get_payload(nlh);

				acked++;
				if (e->error != 0 && rc == 0) {
					error_reason(nlh, e->error, why,
					    whylen);
					rc = e->error;
				}
			} else if (nlh->nlmsg_type == NLMSG_DONE)
				acked++;
			else if (cb != NULL && rc == 0 &&
			    cb(nlh, data) == MNL_CB_ERROR) {
				snprintf(why, whylen, "bad netlink answer");
				rc = -EPROTO;
			}
		}
	}
	return rc;
}

static struct nlmsghdr *
put_req(char *buf, uint16_t type, uint16_t flags, struct nl *nl)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	return nlh;
}

static int
talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
    char *why, size_t whylen)
{
	/* NLM_F_DUMP is two bits, and NLM_F_EXCL is one of them. */
	if ((nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		nlh->nlmsg_flags |= NLM_F_ACK;
	return nl_exchange(nl, nlh, nlh->nlmsg_len, nlh->nlmsg_seq, 1, cb,
	    data, why, whylen);
}

/* ------------------------------------------------------------- links */

static int
link_attr_cb(const struct nlattr *a, void *data)
{
	struct nl_link *l = data;

	switch (mnl_attr_get_type(a)) {
	case IFLA_ADDRESS:
		if (mnl_attr_get_payload_len(a) == 6) {
			memcpy(l->mac, mnl_attr_get_payload(a), 6);
			l->has_mac = true;
		}
		break;
	case IFLA_MASTER:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			l->master = (int)mnl_attr_get_u32(a);
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

static int
link_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_link *l = data;
	const struct ifinfomsg *ifm;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifm))
		return MNL_CB_OK;
	ifm = mnl_nlmsg_get_payload(nlh);
	l->ifindex = ifm->ifi_index;
	l->flags = ifm->ifi_flags;
	return mnl_attr_parse(nlh, sizeof(*ifm), link_attr_cb, l) < 0 ?
	    MNL_CB_ERROR : MNL_CB_OK;
}

int
nl_link_get(struct nl *nl, const char *name, struct nl_link *l, char *err)
{
	char buf[1024], why[256];
	struct nlmsghdr *nlh = put_req(buf, RTM_GETLINK, 0, nl);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	int rc;

	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	memset(l, 0, sizeof(*l));
	rc = talk(nl, nlh, link_msg_cb, l, why, sizeof(why));
	if (rc == -ENODEV)
		return rc;
	if (rc < 0 || l->ifindex == 0)
		return errf(err, "interface %s: %s", name,
		    rc < 0 ? why : "not found");
	return 0;
}

static void
put_mac(struct nlmsghdr *nlh, const uint8_t *mac)
{
	if (mac != NULL)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
}

int
nl_veth_add(struct nl *nl, const char *name, int nsfd, const uint8_t *mac,
    const char *peer, int peer_nsfd, const uint8_t *peer_mac, char *err)
{
	char buf[1024], why[256];
	struct nlmsghdr *nlh = put_req(buf, RTM_NEWLINK,
	    NLM_F_CREATE | NLM_F_EXCL, nl);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	struct nlattr *info, *data, *pe;

	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)nsfd);
	put_mac(nlh, mac);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	pe = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* The peer's attributes follow its own struct ifinfomsg. */
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peer_nsfd);
	put_mac(nlh, peer_mac);
	mnl_attr_nest_end(nlh, pe);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	if (talk(nl, nlh, NULL, NULL, why, sizeof(why)) < 0)
		return errf(err, "veth %s/%s: %s", name, peer, why);
	return 0;
}

int
nl_bridge_add(struct nl *nl, const char *name, char *err)
{
	char buf[1024], why[256];
	struct nlmsghdr *nlh = put_req(buf, RTM_NEWLINK,
	    NLM_F_CREATE | NLM_F_EXCL, nl);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	struct nlattr *info, *data;

	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	/* A test link is a shared segment: ND, MLD and the tester's
	   multicast reach every port, with no snooping deciding. */
	mnl_attr_put_u8(nlh, IFLA_BR_MCAST_SNOOPING, 0);
	mnl_attr_put_u32(nlh, IFLA_BR_STP_STATE, 0);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	if (talk(nl, nlh, NULL, NULL, why, sizeof(why)) < 0)
		return errf(err, "bridge %s: %s", name, why);
	return 0;
}

int
nl_link_set(struct nl *nl, const char *name, const struct nl_linkset *s,
    char *err)
{
	char buf[1024], why[256];
	struct nl_link cur;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	int rc;

	nlh = put_req(buf, RTM_SETLINK, 0, nl);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	if (s->newname != NULL) {
		/* IFLA_IFNAME carries the new name: find it by index. */
		rc = nl_link_get(nl, name, &cur, err);
		if (rc == -ENODEV)
			return errf(err, "interface %s: not found", name);
		if (rc < 0)
			return -1;
		ifm->ifi_index = cur.ifindex;
		mnl_attr_put_strz(nlh, IFLA_IFNAME, s->newname);
	} else
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (s->up >= 0) {
		ifm->ifi_change = IFF_UP;
		ifm->ifi_flags = s->up ? IFF_UP : 0;
	}
	if (s->nsfd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)s->nsfd);
	if (s->master > 0)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)s->master);
	put_mac(nlh, s->mac);
	if (talk(nl, nlh, NULL, NULL, why, sizeof(why)) < 0)
		return errf(err, "interface %s: %s", name, why);
	return 0;
}

/* --------------------------------------------------- addresses, routes */

static size_t
ip_len(const struct topo_ip *ip)
{
	return ip->family == AF_INET6 ? 16 : 4;
}

int
nl_addr_add(struct nl *nl, int ifindex, const struct topo_ip *ip, int plen,
    bool nodad, char *err)
{
	char buf[512], why[256], a[64];
	struct nlmsghdr *nlh = put_req(buf, RTM_NEWADDR,
	    NLM_F_CREATE | NLM_F_EXCL, nl);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

	ifa->ifa_family = (uint8_t)ip->family;
	ifa->ifa_prefixlen = (uint8_t)plen;
	ifa->ifa_index = (uint32_t)ifindex;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;	/* IPv6: the kernel decides */
	mnl_attr_put(nlh, IFA_LOCAL, ip_len(ip), &ip->u);
	mnl_attr_put(nlh, IFA_ADDRESS, ip_len(ip), &ip->u);
	if (nodad) {
		ifa->ifa_flags = IFA_F_NODAD;
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	}
	if (talk(nl, nlh, NULL, NULL, why, sizeof(why)) < 0)
		return errf(err, "address %s/%d: %s",
		    topo_ip_fmt(ip, a, sizeof(a)), plen, why);
	return 0;
}

int
nl_route_add(struct nl *nl, const struct topo_ip *dst, int plen,
    const struct topo_ip *gw, int oif, bool has_metric, uint32_t metric,
    char *err)
{
	char buf[512], why[256];
	struct nlmsghdr *nlh = put_req(buf, RTM_NEWROUTE,
	    NLM_F_CREATE | NLM_F_EXCL, nl);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

	rtm->rtm_family = (uint8_t)dst->family;
	rtm->rtm_dst_len = (uint8_t)plen;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	/* A route without a gateway is on-link (iproute2 does the same). */
	rtm->rtm_scope = gw != NULL ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	if (plen > 0)
		mnl_attr_put(nlh, RTA_DST, ip_len(dst), &dst->u);
	if (gw != NULL)
		mnl_attr_put(nlh, RTA_GATEWAY, ip_len(gw), &gw->u);
	if (oif > 0)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)oif);
	if (has_metric)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, metric);
	if (talk(nl, nlh, NULL, NULL, why, sizeof(why)) < 0)
		return errf(err, "%s", why);
	return 0;
}

struct addr_dump {
	struct nl_addr	*out;
	int		 max, n;
};

struct addr_attrs {
	const struct nlattr	*address, *local, *flags;
};

static int
addr_attr_cb(const struct nlattr *a, void *data)
{
	struct addr_attrs *aa = data;

	switch (mnl_attr_get_type(a)) {
	case IFA_ADDRESS:
		aa->address = a;
		break;
	case IFA_LOCAL:
		aa->local = a;
		break;
	case IFA_FLAGS:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			aa->flags = a;
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

static int
addr_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addr_dump *d = data;
	const struct ifaddrmsg *ifa;
	struct addr_attrs aa = { NULL, NULL, NULL };
	const struct nlattr *which;
	struct nl_addr *o;
	size_t alen;

	if (nlh->nlmsg_type != RTM_NEWADDR ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa))
		return MNL_CB_OK;
	ifa = mnl_nlmsg_get_payload(nlh);
	if (mnl_attr_parse(nlh, sizeof(*ifa), addr_attr_cb, &aa) < 0)
		return MNL_CB_ERROR;
	/* IPv4: IFA_LOCAL is the address (IFA_ADDRESS the peer). */
	which = aa.local != NULL ? aa.local : aa.address;
	alen = ifa->ifa_family == AF_INET6 ? 16 : 4;
	if (which == NULL || mnl_attr_get_payload_len(which) != alen ||
	    d->n == d->max)
		return MNL_CB_OK;
	o = &d->out[d->n++];
	memset(o, 0, sizeof(*o));
	o->ifindex = (int)ifa->ifa_index;
	o->family = ifa->ifa_family;
	o->plen = ifa->ifa_prefixlen;
	memcpy(o->addr, mnl_attr_get_payload(which), alen);
	o->flags = aa.flags != NULL ? mnl_attr_get_u32(aa.flags) :
	    ifa->ifa_flags;
	return MNL_CB_OK;
}

int
nl_addr_dump(struct nl *nl, int family, struct nl_addr *out, int max,
    int *n, char *err)
{
	char buf[256], why[256];
	struct nlmsghdr *nlh = put_req(buf, RTM_GETADDR, NLM_F_DUMP, nl);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	struct addr_dump d = { out, max, 0 };

	ifa->ifa_family = (uint8_t)family;
	if (talk(nl, nlh, addr_msg_cb, &d, why, sizeof(why)) < 0)
		return errf(err, "address dump: %s", why);
	*n = d.n;
	return 0;
}
