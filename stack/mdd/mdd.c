/*
 * stack/mdd/mdd.c - mdd, the mip6kit movement detector (mdd(8)): main and
 * the privileged parent.
 *
 * The parent owns what needs privileges or trusts only the kernel: the raw
 * ICMPv6 sockets (RAs in, handed to the reader; RSs out), rtnetlink (links,
 * addresses, neighbours), the sysctls of the managed interfaces, the bus
 * connection and the control socket.  It forks the reader
 * (mdd_reader.c), which decodes every RA and sends back fixed-size
 * summaries.  The movement logic is md_core.c; this file feeds it and
 * carries out its decisions.  One libevent loop per process.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "packets/msock.h"
#include "packets/sbuf.h"
#include "stack/lib/bus.h"
#include "stack/lib/ctl.h"
#include "stack/lib/ctl_async.h"
#include "stack/lib/daemon.h"
#include "stack/lib/log.h"
#include "stack/lib/privsep.h"
#include "stack/lib/proc.h"
#include "stack/lib/version.h"
#include "stack/mdd/md_core.h"
#include "stack/mdd/md_ra.h"
#include "stack/mdd/mdd_conf.h"
#include "stack/mdd/mdd_proc.h"

#define DEFAULT_CONF	"/etc/mip6kit/mdd.conf"
#define NL_BUF		(64u * 1024)

/* The parent's own counters (`counters` -> "parent"). */
enum parent_counter {
	PC_MD_INFO_SENT, PC_MD_INFO_FAILED,
	PC_HOME_HINT_SENT, PC_HOME_HINT_FAILED,
	PC_RS_SENT, PC_RS_FAILED,
	PC_BAD_READER_MSGS,
	PC_NETLINK_RESYNCS,
	PC_MAX
};

static const char *
parent_counter_name(unsigned k)
{
	static const char *const names[PC_MAX] = {
		[PC_MD_INFO_SENT] = "md_info_sent",
		[PC_MD_INFO_FAILED] = "md_info_failed",
		[PC_HOME_HINT_SENT] = "home_hint_sent",
		[PC_HOME_HINT_FAILED] = "home_hint_failed",
		[PC_RS_SENT] = "rs_sent",
		[PC_RS_FAILED] = "rs_failed",
		[PC_BAD_READER_MSGS] = "bad_reader_messages",
		[PC_NETLINK_RESYNCS] = "netlink_resyncs",
	};

	return k < PC_MAX ? names[k] : "?";
}

struct parent {
	const char	*conf_path;
	struct mdd_conf	 conf;
	struct md_params params;
	struct md_core	*core;
	struct event_base *base;
	struct event	*timer_ev;
	struct bus	*bus;
	bool		 bus_up;
	int		 reader_sock;
	pid_t		 reader_pid;
	int		 ra_sock;	/* raw ICMPv6, RAs only: the reader's */
	int		 rs_sock;	/* raw ICMPv6, sends RSs */
	int		 ctl_sock;
	struct mnl_socket *nl;
	uint64_t	 rst[MRS_MAX];	/* the reader's, as last sent */
	uint64_t	 cnt[PC_MAX];
	struct log_rl	 send_rl, bad_rl;
	char		 req[CTL_REQ_MAX];	/* the control request served */
	uint8_t		 buf[PS_MSG_MAX];
};

static void
usage(FILE *f)
{
	proc_usage(f, "mdd", DEFAULT_CONF, false);
}

/* ------------------------------------------------------------ md_core ops */

static void rearm_timer(struct parent *);

static void
op_md_info(void *ctx, const struct md_info *mi)
{
	struct parent *p = ctx;
	struct msock_msg m;
	char line[256];
	struct sbuf sb;

	msock_init(&m, MSOCK_MD_INFO);
	msock_set_u32(&m, MSA_COMMAND, mi->command);
	if (mi->hint != 0)
		msock_set_u32(&m, MSA_HINT, mi->hint);
	if (mi->ifindex != 0)
		msock_set_u32(&m, MSA_IFINDEX, mi->ifindex);
	if (mi->command == MSOCK_MD_REREG) {
		if (mi->v4)
			msock_set_in4(&m, MSA_COA4, &mi->coa4);
		else
			msock_set_in6(&m, MSA_COA, &mi->coa);
		/* mip6-bus(7): the CoA's remaining valid lifetime, which
		   bounds the binding's (RFC 6275 §11.7.1) */
		if (mi->coa_expire_ms != 0)
			msock_set_u32(&m, MSA_LIFETIME,
			    md_remaining_s(mi->coa_expire_ms, boottime_ms()));
	}
	if (mi->have_router)
		msock_set_in6(&m, MSA_ROUTER, &mi->router);
	if (mi->have_mac)
		msock_set_mac(&m, mi->router_mac);
	for (size_t i = 0; i < mi->nprefix; i++)
		(void)msock_add_prefix(&m, &mi->prefix[i].addr,
		    mi->prefix[i].plen);
	if (bus_send(p->bus, &m) == 0)
		p->cnt[PC_MD_INFO_SENT]++;
	else
		p->cnt[PC_MD_INFO_FAILED]++;
	sbuf_init(&sb, line, sizeof line);
	msock_print(&sb, &m);
	log_msg(LOG_INFO, "bus: %s%s", sbuf_str(&sb),
	    p->bus_up ? "" : " (hub not connected: not delivered)");
}

static void
op_home_hint(void *ctx, unsigned ifindex, const struct in6_addr *prefix,
    uint8_t plen)
{
	struct parent *p = ctx;
	struct msock_msg m;

	msock_init(&m, MSOCK_HOME_HINT);
	msock_set_u32(&m, MSA_IFINDEX, ifindex);
	(void)msock_add_prefix(&m, prefix, plen);
	if (bus_send(p->bus, &m) == 0)
		p->cnt[PC_HOME_HINT_SENT]++;
	else
		p->cnt[PC_HOME_HINT_FAILED]++;
}

/* RFC 4861 §6.3.7: a Router Solicitation to all-routers, hop limit 255. */
static void
op_send_rs(void *ctx, unsigned ifindex)
{
	struct parent *p = ctx;
	struct sockaddr_in6 dst = {
		.sin6_family = AF_INET6,
		.sin6_scope_id = ifindex,
	};
	uint8_t buf[64];
	int n = md_rs_build(buf, sizeof buf);

	inet_pton(AF_INET6, "ff02::2", &dst.sin6_addr);
	if (n < 0 || sendto(p->rs_sock, buf, (size_t)n, MSG_DONTWAIT,
	    (struct sockaddr *)&dst, sizeof dst) < 0) {
		p->cnt[PC_RS_FAILED]++;
		log_rl(&p->send_rl, boottime_ms(), LOG_DEBUG,
		    "RS on ifindex %u: %s", ifindex, strerror(errno));
		return;
	}
	p->cnt[PC_RS_SENT]++;
}

static void
op_log(void *ctx, int prio, const char *msg)
{
	(void)ctx;
	log_msg(prio, "%s", msg);
}

/* ------------------------------------------------------------ sysctls */

static int
write_sysctl(const char *ifname, const char *key, int value)
{
	char path[160], v[16];
	int fd, n, rc = 0;

	snprintf(path, sizeof path, "/proc/sys/net/ipv6/conf/%s/%s", ifname,
	    key);
	n = snprintf(v, sizeof v, "%d\n", value);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, v, (size_t)n) != n)
		rc = -1;
	if (rc < 0)
		log_msg(LOG_WARNING, "%s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return rc;
}

/*
 * accept_ra 2: RAs are processed even with forwarding on (a mobile
 * router); autoconf: care-of addresses from the prefixes; RFC 4429
 * optimistic DAD so a new care-of address is usable at once;
 * ignore_routes_with_linkdown: without it the kernel keeps routing
 * through the router of a link whose carrier is gone until that
 * router's neighbour entry fails (seconds), so a handover would wait for
 * NUD although mdd has already moved on.
 */
static void
set_sysctls(const struct parent *p)
{
	int opt = p->conf.optimistic_dad ? 1 : 0;

	for (size_t i = 0; i < p->conf.niface; i++) {
		const char *n = p->conf.iface[i].name;

		write_sysctl(n, "accept_ra", 2);
		write_sysctl(n, "autoconf", 1);
		write_sysctl(n, "optimistic_dad", opt);
		write_sysctl(n, "use_optimistic", opt);
		write_sysctl(n, "ignore_routes_with_linkdown", 1);
	}
}

/* ------------------------------------------------------------ rtnetlink */

static void
nl_link(struct parent *p, const struct nlmsghdr *nlh)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	bool up = nlh->nlmsg_type == RTM_NEWLINK &&
	    (ifi->ifi_flags & IFF_UP) && (ifi->ifi_flags & IFF_RUNNING);

	md_link(p->core, (unsigned)ifi->ifi_index, up, boottime_ms());
}

static unsigned
addr_flags(uint32_t f)
{
	return (f & IFA_F_TENTATIVE ? MD_ADDR_TENTATIVE : 0) |
	    (f & IFA_F_OPTIMISTIC ? MD_ADDR_OPTIMISTIC : 0) |
	    (f & IFA_F_DEPRECATED ? MD_ADDR_DEPRECATED : 0) |
	    (f & IFA_F_DADFAILED ? MD_ADDR_DADFAILED : 0);
}

static void
nl_addr(struct parent *p, const struct nlmsghdr *nlh)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	bool present = nlh->nlmsg_type == RTM_NEWADDR;
	const struct nlattr *attr;
	const void *addr = NULL, *local = NULL;
	uint32_t flags = ifa->ifa_flags, valid = UINT32_MAX;

	mnl_attr_for_each(attr, nlh, sizeof *ifa) {
		switch (mnl_attr_get_type(attr)) {
		case IFA_ADDRESS:
			addr = mnl_attr_get_payload(attr);
			break;
		case IFA_LOCAL:
			local = mnl_attr_get_payload(attr);
			break;
		case IFA_FLAGS:
			if (mnl_attr_get_payload_len(attr) >= 4)
				flags = mnl_attr_get_u32(attr);
			break;
		case IFA_CACHEINFO:	/* INFINITY_LIFE_TIME is UINT32_MAX */
			if (mnl_attr_get_payload_len(attr) >=
			    sizeof(struct ifa_cacheinfo)) {
				struct ifa_cacheinfo ci;

				memcpy(&ci, mnl_attr_get_payload(attr),
				    sizeof ci);
				valid = ci.ifa_valid;
			}
			break;
		}
	}
	if (ifa->ifa_family == AF_INET6 && addr != NULL) {
		struct in6_addr a;

		memcpy(&a, addr, sizeof a);
		md_addr(p->core, ifa->ifa_index, &a, ifa->ifa_prefixlen,
		    addr_flags(flags), valid, present, boottime_ms());
	} else if (ifa->ifa_family == AF_INET && (local || addr)) {
		struct in_addr a;

		memcpy(&a, local != NULL ? local : addr, sizeof a);
		md_addr4(p->core, ifa->ifa_index, &a, present, boottime_ms());
	}
}

/* RFC 6275 §11.5.1: NUD of the default router. */
static void
nl_neigh(struct parent *p, const struct nlmsghdr *nlh)
{
	const struct ndmsg *nd = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	struct in6_addr dst;
	bool have = false;

	if (nd->ndm_family != AF_INET6 || nlh->nlmsg_type != RTM_NEWNEIGH)
		return;
	mnl_attr_for_each(attr, nlh, sizeof *nd)
		if (mnl_attr_get_type(attr) == NDA_DST &&
		    mnl_attr_get_payload_len(attr) == sizeof dst) {
			memcpy(&dst, mnl_attr_get_payload(attr), sizeof dst);
			have = true;
		}
	if (have)
		md_neigh(p->core, (unsigned)nd->ndm_ifindex, &dst,
		    (nd->ndm_state & NUD_FAILED) != 0, boottime_ms());
}

static int
nl_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct parent *p = arg;
	size_t need;

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK: case RTM_DELLINK:
		need = sizeof(struct ifinfomsg);
		break;
	case RTM_NEWADDR: case RTM_DELADDR:
		need = sizeof(struct ifaddrmsg);
		break;
	case RTM_NEWNEIGH: case RTM_DELNEIGH:
		need = sizeof(struct ndmsg);
		break;
	default:
		return MNL_CB_OK;
	}
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + need)
		return MNL_CB_OK;
	if (need == sizeof(struct ifinfomsg))
		nl_link(p, nlh);
	else if (need == sizeof(struct ifaddrmsg))
		nl_addr(p, nlh);
	else
		nl_neigh(p, nlh);
	return MNL_CB_OK;
}

/* One dump (links or addresses) on a socket of its own, blocking. */
static int
nl_dump(struct parent *p, uint16_t type)
{
	struct mnl_socket *s = mnl_socket_open(NETLINK_ROUTE);
	char *buf = malloc(NL_BUF);
	struct nlmsghdr *nlh;
	struct rtgenmsg *g;
	unsigned seq = (unsigned)boottime_ms(), portid;
	int rc = -1;
	ssize_t n;

	if (s == NULL || buf == NULL || mnl_socket_bind(s, 0,
	    MNL_SOCKET_AUTOPID) < 0)
		goto out;
	portid = mnl_socket_get_portid(s);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof *g);
	g->rtgen_family = AF_UNSPEC;
	if (mnl_socket_sendto(s, nlh, nlh->nlmsg_len) < 0)
		goto out;
	while ((n = mnl_socket_recvfrom(s, buf, NL_BUF)) > 0) {
		int r = mnl_cb_run(buf, (size_t)n, seq, portid, nl_cb, p);

		if (r <= MNL_CB_STOP) {
			rc = r < 0 ? -1 : 0;
			break;
		}
	}
out:
	if (rc < 0)
		log_msg(LOG_ERR, "netlink dump %u: %s", type, strerror(errno));
	free(buf);
	if (s != NULL)
		mnl_socket_close(s);
	return rc;
}

static int
nl_resync(struct parent *p)
{
	if (nl_dump(p, RTM_GETLINK) < 0 || nl_dump(p, RTM_GETADDR) < 0)
		return -1;
	rearm_timer(p);
	return 0;
}

static void
on_netlink(evutil_socket_t fd, short what, void *arg)
{
	struct parent *p = arg;
	char *buf = (char *)p->buf;

	(void)fd;
	(void)what;
	for (int i = 0; i < 64; i++) {
		ssize_t n = mnl_socket_recvfrom(p->nl, buf, sizeof p->buf);

		if (n < 0) {
			if (errno == ENOBUFS) {
				/* Events were lost: read the state again. */
				p->cnt[PC_NETLINK_RESYNCS]++;
				(void)nl_resync(p);
				continue;
			}
			break;
		}
		(void)mnl_cb_run(buf, (size_t)n, 0, 0, nl_cb, p);
	}
	rearm_timer(p);
}

/* "WHAT: strerror(errno)" into err; -1. */
static int
sys_fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, strerror(errno));
	return -1;
}

static int
nl_open(struct parent *p, char *err, size_t errlen)
{
	unsigned groups = RTMGRP_LINK | RTMGRP_IPV6_IFADDR | RTMGRP_NEIGH |
	    RTMGRP_IPV4_IFADDR;

	p->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (p->nl == NULL || mnl_socket_bind(p->nl, groups,
	    MNL_SOCKET_AUTOPID) < 0)
		return sys_fail(err, errlen, "netlink");
	return 0;
}

/* ------------------------------------------------------------ reader */

/* proc_drain's callback: one message from the reader. */
static void
reader_msg(void *arg, uint16_t type, const uint8_t *m, size_t n, int fd)
{
	struct parent *p = arg;
	struct md_ra ra;

	if (fd >= 0)
		close(fd);	/* the reader never passes descriptors */

	if (type == MDD_PS_RA && n == sizeof ra) {
		memcpy(&ra, m, sizeof ra);
		/* The reader parsed an untrusted packet: check bounds. */
		if (ra.npfx <= MD_RA_PFX_MAX) {
			bool ok = true;

			for (unsigned i = 0; i < ra.npfx; i++)
				ok = ok && ra.pfx[i].plen <= 128;
			if (ok) {
				md_ra(p->core, &ra, boottime_ms());
				return;
			}
		}
	} else if (type == MDD_PS_STATS && n == sizeof p->rst) {
		memcpy(p->rst, m, sizeof p->rst);
		return;
	}
	p->cnt[PC_BAD_READER_MSGS]++;
	log_rl(&p->bad_rl, boottime_ms(), LOG_ERR,
	    "bad message from the reader (type %u, %zu bytes)", type, n);
}

static void
on_reader(evutil_socket_t fd, short what, void *arg)
{
	struct parent *p = arg;

	(void)what;
	if (proc_drain(fd, p->buf, sizeof p->buf, 256, reader_msg, p) < 0) {
		log_msg(LOG_ERR, "reader process gone; exiting");
		event_base_loopbreak(p->base);
		return;
	}
	rearm_timer(p);
}

static int
fork_reader(struct parent *p, const struct passwd *pw, char *err,
    size_t errlen)
{
	p->reader_pid = proc_fork_child(mdd_reader_main, pw, &p->reader_sock,
	    err, errlen);
	if (p->reader_pid < 0)
		return -1;
	/* The reader gets the RA socket and nothing else privileged. */
	if (ps_send(p->reader_sock, MDD_PS_RAW_SOCK, NULL, 0, NULL, 0,
	    p->ra_sock) < 0) {
		snprintf(err, errlen, "reader: %s", strerror(errno));
		return -1;
	}
	close(p->ra_sock);
	p->ra_sock = -1;
	return 0;
}

/* ------------------------------------------------------------ sockets */

static int
open_icmp6(bool for_ra)
{
	struct icmp6_filter f;
	int on = 1, hops = 255;
	int s = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);

	if (s < 0)
		return -1;
	ICMP6_FILTER_SETBLOCKALL(&f);
	if (for_ra)
		ICMP6_FILTER_SETPASS(ND_ROUTER_ADVERT, &f);
	if (setsockopt(s, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof f) < 0 ||
	    (for_ra && (setsockopt(s, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
	    sizeof on) < 0 || setsockopt(s, IPPROTO_IPV6, IPV6_RECVHOPLIMIT,
	    &on, sizeof on) < 0)) ||
	    (!for_ra && setsockopt(s, IPPROTO_IPV6, IPV6_MULTICAST_HOPS,
	    &hops, sizeof hops) < 0)) {
		close(s);
		return -1;
	}
	return s;
}

static int
open_sockets(struct parent *p, char *err, size_t errlen)
{
	p->ra_sock = open_icmp6(true);
	p->rs_sock = open_icmp6(false);
	if (p->ra_sock < 0 || p->rs_sock < 0)
		return sys_fail(err, errlen, "raw ICMPv6 socket");
	if ((p->ctl_sock = ctl_listen(p->conf.control)) < 0)
		return sys_fail(err, errlen, p->conf.control);
	return nl_open(p, err, errlen);
}

/* ------------------------------------------------------------ reload */

static int load_params(const struct mdd_conf *, struct md_params *, char *,
    size_t);

/* What a reload cannot change (the sockets and the user are set up once). */
static void
warn_fixed(const struct mdd_conf *old, const struct mdd_conf *n)
{
	if (strcmp(old->bus, n->bus) != 0 ||
	    strcmp(old->control, n->control) != 0 ||
	    strcmp(old->user, n->user) != 0)
		log_msg(LOG_WARNING, "reload: bus, control-socket and user "
		    "take effect at the next start");
}

/*
 * SIGHUP or `mip6ctl reload`: read the file again; a broken file is
 * refused (FILE:LINE in err) and the running configuration kept.  Then
 * the core takes the new interfaces, preferences, home prefixes and
 * RA loss settings, and the link and address dumps feed what it does
 * not know yet (an interface added).
 */
static int
reload(void *arg, char *err, size_t errlen)
{
	struct parent *p = arg;
	struct mdd_conf c;
	struct md_params m;

	if (mdd_conf_load(&c, p->conf_path, err, errlen) < 0 ||
	    mdd_conf_check(&c, err, errlen) < 0 ||
	    load_params(&c, &m, err, errlen) < 0)
		return -1;
	if (md_core_reconf(p->core, &m, boottime_ms()) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	warn_fixed(&p->conf, &c);
	memcpy(c.bus, p->conf.bus, sizeof c.bus);
	memcpy(c.control, p->conf.control, sizeof c.control);
	memcpy(c.user, p->conf.user, sizeof c.user);
	p->conf = c;
	p->params = m;
	set_sysctls(p);
	if (nl_resync(p) < 0)
		log_msg(LOG_WARNING, "reload: netlink dump failed");
	rearm_timer(p);
	log_msg(LOG_INFO, "configuration reloaded from %s (%zu interface(s))",
	    p->conf_path, p->conf.niface);
	return 0;
}

/* ------------------------------------------------------------ control */

static const char *
bus_counter_name(unsigned k)
{
	static const char *const names[] = {
		"sent", "dropped", "received", "reconnects"
	};

	return k < 4 ? names[k] : "?";
}

static void
ctl_body(void *arg, struct jw *jw)
{
	struct parent *p = arg;

	jw_obj_open(jw, NULL);
	if (strcmp(p->req, "status") == 0) {
		md_status_json(p->core, jw, boottime_ms());
		jw_bool(jw, "optimistic_dad", p->conf.optimistic_dad);
		jw_uint(jw, "ra_loss_intervals", p->conf.ra_loss_intervals);
	} else if (strcmp(p->req, "counters") != 0)
		jw_str(jw, "error", "unknown request (status, counters)");
	jw_str(jw, "bus", p->bus_up ? "connected" : "disconnected");
	jw_obj_close(jw);
}

static void
ctl_counters(void *arg, struct sbuf *sb)
{
	struct parent *p = arg;
	struct bus_stats bs;
	uint64_t b[4];

	if (strcmp(p->req, "counters") != 0)
		return;
	ctl_put_counters(sb, "core", md_counters(p->core), MDC_MAX,
	    md_counter_name);
	ctl_put_counters(sb, "reader", p->rst, MRS_MAX,
	    mdd_reader_counter_name);
	ctl_put_counters(sb, "parent", p->cnt, PC_MAX, parent_counter_name);
	bus_stats(p->bus, &bs);
	b[0] = bs.sent;
	b[1] = bs.dropped;
	b[2] = bs.received;
	b[3] = bs.reconnects;
	ctl_put_counters(sb, "bus_messages", b, 4, bus_counter_name);
}

static void
on_ctl(evutil_socket_t lfd, short what, void *arg)
{
	struct parent *p = arg;
	size_t len;
	char *ans;
	int fd;

	(void)what;
	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (ctl_read_request(fd, p->req, sizeof p->req, 1000) < 0) {
		close(fd);
		return;
	}
	if (strcmp(p->req, "reload") == 0) {
		/* answered like had's and mnd's */
		proc_ctl_reload(fd, "mdd", reload, p);
		return;
	}
	ans = ctl_render("mdd", ctl_body, ctl_counters, p, false, &len);
	if (ans == NULL)
		close(fd);
	else
		(void)ctl_reply_async(p->base, fd, ans, len);
}

/* ------------------------------------------------------------ loop */

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct parent *p = arg;

	(void)fd;
	(void)what;
	md_timeout(p->core, boottime_ms());
	rearm_timer(p);
}

static void
rearm_timer(struct parent *p)
{
	proc_timer_at(p->timer_ev, md_next_timeout(p->core));
}

/* mip6-bus(7): the hub keeps nothing, so the current MD_INFO goes again
   whenever the detector (re)connects or a mobile node announces itself. */
static void
resend_md_info(struct parent *p)
{
	struct md_info mi;

	if (p->core != NULL && md_last_info(p->core, &mi))
		op_md_info(p, &mi);
}

static void
on_bus_state(void *arg, bool connected)
{
	struct parent *p = arg;

	p->bus_up = connected;
	if (connected)
		resend_md_info(p);
}

static void
on_bus_msg(void *arg, const struct msock_msg *m, const uint8_t *raw,
    size_t len)
{
	(void)raw;
	(void)len;
	if (m->type == MSOCK_NODETYPE_INFO && msock_has(m, MSA_NODETYPE) &&
	    (m->nodetype & (MSOCK_NODE_MN | MSOCK_NODE_MR)) != 0)
		resend_md_info(arg);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct parent *p = arg;

	(void)what;
	if (sig == SIGCHLD) {
		if (daemon_reap(&p->reader_pid, "reader"))
			event_base_loopbreak(p->base);
		return;
	}
	if (sig == SIGHUP) {
		char err[400];

		if (reload(p, err, sizeof err) < 0)
			log_msg(LOG_ERR, "reload: %s (old configuration "
			    "kept)", err);
		return;
	}
	log_msg(LOG_INFO, "signal %d: exiting", (int)sig);
	event_base_loopbreak(p->base);
}

static int
run_loop(struct parent *p)
{
	const struct daemon_fd fds[] = {
		{ p->reader_sock, on_reader },
		{ mnl_socket_get_fd(p->nl), on_netlink },
		{ p->ctl_sock, on_ctl },
	};
	static const int sigs[] = { SIGHUP, SIGTERM, SIGINT, SIGCHLD };

	return daemon_dispatch(p->base, fds, sizeof fds / sizeof fds[0], sigs,
	    sizeof sigs / sizeof sigs[0], on_signal, p);
}

/* ------------------------------------------------------------ start-up */

static int
load_params(const struct mdd_conf *conf, struct md_params *m, char *err,
    size_t errlen)
{
	memset(m, 0, sizeof *m);
	memcpy(m->iface, conf->iface, sizeof m->iface);
	m->niface = conf->niface;
	for (size_t i = 0; i < m->niface; i++) {
		m->iface[i].ifindex = if_nametoindex(m->iface[i].name);
		if (m->iface[i].ifindex == 0) {
			snprintf(err, errlen, "interface %s: %s",
			    m->iface[i].name, strerror(errno));
			return -1;
		}
	}
	memcpy(m->home, conf->home, sizeof m->home);
	m->nhome = conf->nhome;
	m->optimistic = conf->optimistic_dad;
	m->ra_loss_intervals = conf->ra_loss_intervals;
	m->ra_interval_default_ms = conf->ra_interval_default_ms;
	m->nud_hold_down_ms = conf->nud_hold_down_ms;
	return 0;
}

/* -n: 0 when the configuration is valid; -nv also prints it normalised. */
static int
check_only(struct parent *p, int verbose)
{
	char err[400], text[8192];
	struct sbuf sb;
	int rc = mdd_conf_load(&p->conf, p->conf_path, err, sizeof err);

	if (rc == 0)
		rc = mdd_conf_check(&p->conf, err, sizeof err);
	if (rc < 0) {
		fprintf(stderr, "mdd: %s\n", err);
		return 1;
	}
	sbuf_init(&sb, text, sizeof text);
	if (verbose)
		mdd_conf_print(&sb, &p->conf);
	fputs(sbuf_str(&sb), stdout);
	if (!verbose)
		fprintf(stderr, "mdd: %s: configuration OK\n", p->conf_path);
	return 0;
}

static int
start(struct parent *p, const struct passwd *pw, char *err, size_t errlen)
{
	static const struct md_ops ops_tmpl = {
		.md_info = op_md_info, .home_hint = op_home_hint,
		.send_rs = op_send_rs, .log = op_log,
	};
	struct md_ops ops = ops_tmpl;

	if (load_params(&p->conf, &p->params, err, errlen) < 0 ||
	    open_sockets(p, err, errlen) < 0 ||
	    fork_reader(p, pw, err, errlen) < 0)
		return -1;
	set_sysctls(p);
	p->base = event_base_new();
	if (p->base == NULL) {
		snprintf(err, errlen, "event_base_new failed");
		return -1;
	}
	p->timer_ev = evtimer_new(p->base, on_timer, p);
	p->bus = bus_open(p->base, p->conf.bus, MSOCK_NODE_MD, on_bus_msg,
	    on_bus_state, p);
	ops.ctx = p;
	p->core = md_core_new(&p->params, &ops, boottime_ms());
	if (p->timer_ev == NULL || p->bus == NULL || p->core == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* Subscribed first, then the dumps: nothing falls in between. */
	return nl_resync(p) < 0 ? sys_fail(err, errlen, "netlink dump") : 0;
}

int
main(int argc, char **argv)
{
	static struct parent p;
	struct proc_opts o = { .conf_path = DEFAULT_CONF };
	int rc = proc_getopt(argc, argv, "mdd", usage, &o);
	int ready_fd;
	char err[400];
	struct passwd *pw;

	if (rc >= 0)
		return rc;
	if (o.cleanup) {	/* mdd pins nothing: not an option of mdd */
		usage(stderr);
		return 64;
	}
	p.conf_path = o.conf_path;
	p.ra_sock = p.rs_sock = p.ctl_sock = p.reader_sock = -1;
	if (o.check)
		return check_only(&p, o.verbose);
	if (mdd_conf_load(&p.conf, p.conf_path, err, sizeof err) < 0 ||
	    mdd_conf_check(&p.conf, err, sizeof err) < 0) {
		fprintf(stderr, "mdd: %s\n", err);
		return 1;
	}
	pw = daemon_begin("mdd", p.conf.user, o.foreground, o.verbose,
	    &ready_fd);
	if (pw == NULL)
		return 1;
	p.send_rl = (struct log_rl)LOG_RL_INIT(2, 10);
	p.bad_rl = (struct log_rl)LOG_RL_INIT(2, 10);
	signal(SIGPIPE, SIG_IGN);
	if (start(&p, pw, err, sizeof err) < 0) {
		log_msg(LOG_ERR, "%s", err);
		if (p.reader_pid > 0)
			kill(p.reader_pid, SIGTERM);
		return 1;
	}
	daemon_serving("mdd", p.conf.control, ready_fd, o.foreground,
	    o.verbose);
	log_msg(LOG_INFO, "movement detector ready on %zu interface(s)",
	    p.conf.niface);
	rearm_timer(&p);
	run_loop(&p);
	if (p.reader_pid > 0) {
		kill(p.reader_pid, SIGTERM);
		waitpid(p.reader_pid, NULL, 0);
	}
	bus_close(p.bus);
	md_core_free(p.core);
	unlink(p.conf.control);
	daemon_pidfile_remove(p.conf.control);
	return 0;
}
