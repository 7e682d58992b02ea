/*
 * up.c - `mip6topo up`: build a parsed topology through netlink and
 * setns(2), recording every object before creating it.
 *
 * Order, and why:
 *  1. checks that need nothing created (root, netns, host interfaces,
 *     name clashes), so most errors leave nothing to undo;
 *  2. the run's record, then its namespaces (one per node, plus "switch"
 *     when a link is a bridge), each with lo up;
 *  3. sysctls that are not about one interface (conf.all, conf.default,
 *     forwarding...), before any interface exists, so that new interfaces
 *     inherit conf.default;
 *  4. links, created directly inside their namespaces (a veth pair is born
 *     with each end in its node), so no interface of ours ever appears in
 *     the host namespace and parallel runs cannot clash; host interfaces
 *     are moved in and renamed;
 *  5. per-interface sysctls, then addresses (on interfaces still down);
 *  6. the capture points up and the capture process started, then every
 *     other interface up, so the first ND/DAD/RS packets are captured;
 *  7. wait until every interface has carrier and no IPv6 address is
 *     tentative ("ready means ready");
 *  8. routes (their gateways now resolve), NAT, then the daemons.
 * Any failure tears down what the record lists and reports one line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/if_addr.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture.h"
#include "conformance/engine/intr.h"
#include "mip6topo.h"
#include "netns.h"
#include "nl.h"
#include "proc.h"
#include "state.h"
#include "topo.h"
#include "up_priv.h"

#define SETTLE_POLL_US	2000
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	0x10000		/* carrier; linux/if.h */
#endif
#define MAX_ADDRS_SEEN	1024

struct ns_rt {
	char		name[64];
	int		fd;		/* -1 until created */
	struct nl	rt;
};

struct up {
	const struct topo	*t;
	const struct up_opts	*o;
	char			 id[STATE_IDLEN];
	struct state		 st;
	bool			 recorded;	/* st is open */
	char			 outdir[PATH_MAX];
	struct nl		 host;		/* rtnetlink, host namespace */
	struct ns_rt		 node[TOPO_MAX_NODES];
	struct ns_rt		 sw;
	char			*err;
	long long		 phase_start;
};

/*
 * A signal (SIGINT, SIGTERM, SIGHUP; conformance/engine/intr.h) stops
 * `up` between two steps: -1 with the reason, and topo_up() undoes what
 * was made.
 */
static int
check_intr(struct up *u)
{
	if (intr_signal() == 0)
		return 0;
	return errf(u->err, "%s: interrupted by %s", u->id, intr_name());
}

/*
 * The end of a phase: with -v, how long it took; with MIP6TOPO_STOP_AT=
 * PHASE in the environment, stop (SIGSTOP) so that the tests can kill
 * `up` exactly there and check that `down` cleans up.  -1 when `up` was
 * interrupted.
 */
static int
phase_done(struct up *u, const char *phase)
{
	const char *at = getenv("MIP6TOPO_STOP_AT");
	long long now = now_ms();

	if (u->o->verbose)
		fprintf(stderr, "mip6topo: %s: %-10s %4lld ms\n", u->id, phase,
		    now - u->phase_start);
	u->phase_start = now;
	if (at != NULL && strcmp(at, phase) == 0)
		raise(SIGSTOP);
	return check_intr(u);
}

/* Prefix an error with FILE:LINE of the statement that caused it. */
static int
line_err(struct up *u, int line, const char *what)
{
	char inner[ERRLEN];

	snprintf(inner, sizeof(inner), "%s", u->err);
	return errf(u->err, "%s:%d: %s: %s", u->t->file, line, what, inner);
}

static struct ns_rt *
node_ns(struct up *u, int node)
{
	return &u->node[node];
}

/* ------------------------------------------------------------ checks */

static int
preflight(struct up *u)
{
	const struct topo *t = u->t;
	char dir[PATH_MAX];

	if (geteuid() != 0)
		return errf(u->err, "not root: mip6topo up needs root "
		    "(CAP_SYS_ADMIN and CAP_NET_ADMIN) to create namespaces");
	if (netns_init(u->err) < 0)
		return -1;
	state_run_dir(u->id, dir, sizeof(dir));
	if (access(dir, F_OK) == 0)
		return errf(u->err, "name clash: run %s already exists (%s); "
		    "tear it down with: mip6topo down %s", u->id, dir, u->id);
	if (nl_open(&u->host, NETLINK_ROUTE, u->err) < 0)
		return -1;
	for (int i = 0; i < t->nlinks; i++)
		for (int j = 0; j < t->link[i].nep; j++) {
			const struct topo_ep *e = &t->link[i].ep[j];
			struct nl_link l;
			int rc;

			if (e->kind != EP_HOST)
				continue;
			rc = nl_link_get(&u->host, e->ifname, &l, u->err);
			if (rc == -ENODEV)
				return errf(u->err, "%s:%d: host interface %s "
				    "missing (link %s)", t->file,
				    t->link[i].line, e->ifname,
				    t->link[i].name);
			if (rc < 0)
				return -1;
		}
	for (int i = 0; i < t->nnodes; i++)
		if (netns_exists(u->node[i].name))
			return errf(u->err, "name clash: namespace %s already "
			    "exists", u->node[i].name);
	if (t->need_switch && netns_exists(u->sw.name))
		return errf(u->err, "name clash: namespace %s already exists",
		    u->sw.name);
	return 0;
}

/* -------------------------------------------------------- namespaces */

static int
make_ns(struct up *u, struct ns_rt *ns)
{
	struct nl_linkset up = NL_LINKSET_INIT;
	bool clash;

	if (netns_create(ns->name, &clash, u->err) < 0) {
		/* Not ours after all (taken since the preflight check):
		   `down` must leave it alone. */
		if (clash) {
			char keep[ERRLEN];

			snprintf(keep, sizeof(keep), "%s", u->err);
			(void)state_log(&u->st, u->err, "forget", ns->name,
			    (char *)NULL);
			snprintf(u->err, ERRLEN, "%s", keep);
		}
		return -1;
	}
	if ((ns->fd = netns_open(ns->name, u->err)) < 0 ||
	    netns_enter(ns->fd, u->err) < 0)
		return -1;
	if (nl_open(&ns->rt, NETLINK_ROUTE, u->err) < 0) {
		char keep[ERRLEN];

		snprintf(keep, sizeof(keep), "%s", u->err);
		(void)netns_leave(u->err);
		snprintf(u->err, ERRLEN, "%s", keep);
		return -1;
	}
	if (netns_leave(u->err) < 0)
		return -1;
	up.up = 1;
	return nl_link_set(&ns->rt, "lo", &up, u->err);
}

static int
make_namespaces(struct up *u)
{
	/* All recorded, one sync, then created. */
	for (int i = 0; i < u->t->nnodes; i++)
		if (state_note(&u->st, u->err, "netns", u->t->node[i].name,
		    u->node[i].name, (char *)NULL) < 0)
			return -1;
	if (u->t->need_switch && state_note(&u->st, u->err, "netns",
	    TOPO_SWITCH, u->sw.name, (char *)NULL) < 0)
		return -1;
	if (state_sync(&u->st, u->err) < 0)
		return -1;
	for (int i = 0; i < u->t->nnodes; i++)
		if (make_ns(u, &u->node[i]) < 0)
			return -1;
	if (!u->t->need_switch)
		return 0;
	if (make_ns(u, &u->sw) < 0)
		return -1;
	/* The switch only forwards frames: no addresses, no ND or MLD of
	   its own in the captures. */
	if (netns_sysctl_set(u->sw.fd, "ipv6.conf.all.disable_ipv6", "1",
	    u->err) < 0 ||
	    netns_sysctl_set(u->sw.fd, "ipv6.conf.default.disable_ipv6", "1",
	    u->err) < 0)
		return -1;
	return 0;
}

/* ----------------------------------------------------------- sysctls */

/* "ipv6.conf.IF.x", "ipv4.neigh.IF.x": about one interface (not all or
   default), so it can only be set once the interface exists. */
static bool
sysctl_per_iface(const char *key)
{
	static const char *const prefixes[] = {
		"ipv4.conf.", "ipv6.conf.", "ipv4.neigh.", "ipv6.neigh."
	};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i]);

		if (strncmp(key, prefixes[i], n) != 0)
			continue;
		return strncmp(key + n, "all.", 4) != 0 &&
		    strncmp(key + n, "default.", 8) != 0;
	}
	return false;
}

static int
apply_sysctls(struct up *u, bool per_iface)
{
	const struct topo *t = u->t;

	for (int i = 0; i < t->nsysctls; i++) {
		const struct topo_sysctl *s = &t->sysctl[i];

		if (sysctl_per_iface(s->key) != per_iface)
			continue;
		if (state_note(&u->st, u->err, "sysctl", s->nodename, s->key,
		    s->val, (char *)NULL) < 0)
			return -1;
		if (netns_sysctl_set(node_ns(u, s->node)->fd, s->key, s->val,
		    u->err) < 0)
			return line_err(u, s->line, "sysctl");
	}
	return 0;
}

/* ------------------------------------------------------------- links */

static const uint8_t *
ep_mac(const struct topo_ep *e)
{
	return e->has_mac ? e->mac : NULL;
}

static int
log_ep(struct up *u, const struct topo_link *l, const struct topo_ep *e)
{
	return state_note(&u->st, u->err, "ep", l->name,
	    u->t->node[e->node].name, e->ifname, e->port, (char *)NULL);
}

/* Record, then move host interface `e` into `ns` as `newname`. */
static int
move_host_if(struct up *u, const struct topo_link *l, const struct topo_ep *e,
    struct ns_rt *ns, const char *newname, const uint8_t *mac)
{
	struct nl_linkset mv = NL_LINKSET_INIT, set = NL_LINKSET_INIT;
	struct nl_link cur;
	char origmac[18] = "";

	if (nl_link_get(&u->host, e->ifname, &cur, u->err) < 0)
		return errf(u->err, "%s:%d: host interface %s missing (link "
		    "%s)", u->t->file, l->line, e->ifname, l->name);
	if (cur.has_mac)
		topo_mac_fmt(cur.mac, origmac);
	if (state_log(&u->st, u->err, "hostif", l->name, ns->name, newname,
	    e->ifname, origmac, (cur.flags & IFF_UP) ? "1" : "0",
	    mac != NULL ? "1" : "0", (char *)NULL) < 0)
		return -1;
	mv.nsfd = ns->fd;
	mv.newname = newname;
	if (nl_link_set(&u->host, e->ifname, &mv, u->err) < 0)
		return line_err(u, l->line, "moving host interface");
	if (mac == NULL)
		return 0;
	set.mac = mac;
	if (nl_link_set(&ns->rt, newname, &set, u->err) < 0)
		return line_err(u, e->mac_line, "mac");
	return 0;
}

static int
make_veth(struct up *u, const struct topo_link *l)
{
	const struct topo_ep *a = &l->ep[0], *b = &l->ep[1];

	if (state_note(&u->st, u->err, "link", l->name, "veth", (char *)NULL) <
	    0 || log_ep(u, l, a) < 0 || log_ep(u, l, b) < 0)
		return -1;
	if (nl_veth_add(&u->host, a->ifname, node_ns(u, a->node)->fd,
	    ep_mac(a), b->ifname, node_ns(u, b->node)->fd, ep_mac(b),
	    u->err) < 0)
		return line_err(u, l->line, "link");
	return 0;
}

static int
make_host_link(struct up *u, const struct topo_link *l)
{
	const struct topo_ep *node = NULL, *host = NULL;

	for (int j = 0; j < l->nep; j++) {
		if (l->ep[j].kind == EP_NODE)
			node = &l->ep[j];
		else
			host = &l->ep[j];
	}
	if (state_note(&u->st, u->err, "link", l->name, "host", (char *)NULL) <
	    0 || log_ep(u, l, node) < 0)
		return -1;
	return move_host_if(u, l, host, node_ns(u, node->node), node->ifname,
	    ep_mac(node));
}

static int
enslave(struct up *u, const struct topo_link *l, const char *port,
    int brindex)
{
	struct nl_linkset set = NL_LINKSET_INIT;

	set.master = brindex;
	if (nl_link_set(&u->sw.rt, port, &set, u->err) < 0)
		return line_err(u, l->line, "bridge port");
	return 0;
}

static int
make_bridge(struct up *u, const struct topo_link *l)
{
	struct nl_link br;

	if (state_note(&u->st, u->err, "link", l->name, "bridge", u->sw.name,
	    l->name, (char *)NULL) < 0)
		return -1;
	if (nl_bridge_add(&u->sw.rt, l->name, u->err) < 0)
		return line_err(u, l->line, "link");
	if (nl_link_get(&u->sw.rt, l->name, &br, u->err) < 0)
		return -1;
	for (int j = 0; j < l->nep; j++) {
		const struct topo_ep *e = &l->ep[j];

		if (e->kind == EP_HOST) {
			if (move_host_if(u, l, e, &u->sw, e->port, NULL) < 0)
				return -1;
		} else {
			if (log_ep(u, l, e) < 0)
				return -1;
			if (nl_veth_add(&u->host, e->ifname,
			    node_ns(u, e->node)->fd, ep_mac(e), e->port,
			    u->sw.fd, NULL, u->err) < 0)
				return line_err(u, l->line, "link");
		}
		if (enslave(u, l, e->port, br.ifindex) < 0)
			return -1;
	}
	return 0;
}

static int
make_links(struct up *u)
{
	for (int i = 0; i < u->t->nlinks; i++) {
		const struct topo_link *l = &u->t->link[i];
		int rc;

		switch (l->kind) {
		case LINK_VETH:
			rc = make_veth(u, l);
			break;
		case LINK_HOST:
			rc = make_host_link(u, l);
			break;
		default:
			rc = make_bridge(u, l);
			break;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---------------------------------------------------------- addresses */

static int
ifindex_in(struct up *u, struct ns_rt *ns, const char *ifname)
{
	struct nl_link l;

	if (nl_link_get(&ns->rt, ifname, &l, u->err) < 0)
		return errf(u->err, "interface %s missing in %s", ifname,
		    ns->name);
	return l.ifindex;
}

static int
add_addresses(struct up *u)
{
	const struct topo *t = u->t;

	for (int i = 0; i < t->naddrs; i++) {
		const struct topo_addr *a = &t->addr[i];
		struct ns_rt *ns = node_ns(u, a->node);
		char txt[80], ip[64];
		int idx;

		snprintf(txt, sizeof(txt), "%s/%d", topo_ip_fmt(&a->ip, ip,
		    sizeof(ip)), a->plen);
		if (state_note(&u->st, u->err, "addr", a->nodename, a->ifname,
		    txt, a->nodad ? "nodad" : "", (char *)NULL) < 0)
			return -1;
		if ((idx = ifindex_in(u, ns, a->ifname)) < 0 ||
		    nl_addr_add(&ns->rt, idx, &a->ip, a->plen, a->nodad,
		    u->err) < 0)
			return line_err(u, a->line, "addr");
	}
	return 0;
}

/* ----------------------------------------------------- bringing up */

static int
set_up(struct up *u, struct ns_rt *ns, const char *ifname)
{
	struct nl_linkset s = NL_LINKSET_INIT;

	s.up = 1;
	return nl_link_set(&ns->rt, ifname, &s, u->err);
}

/* The interface a link is captured on, and its namespace. */
static void
capture_point(struct up *u, const struct topo_link *l, struct ns_rt **ns,
    const char **ifname)
{
	int e = topo_capture_ep(l);

	if (e < 0) {
		*ns = &u->sw;
		*ifname = l->name;
	} else {
		*ns = node_ns(u, l->ep[e].node);
		*ifname = l->ep[e].ifname;
	}
}

static int
start_capture(struct up *u)
{
	const struct topo *t = u->t;
	struct cap_item *items;
	struct proc_id id;
	char dir[PATH_MAX + 8];
	int n = 0, rc;

	items = calloc((size_t)t->nlinks, sizeof(*items));
	if (items == NULL)
		return errf(u->err, "out of memory");
	snprintf(dir, sizeof(dir), "%s/pcap", u->outdir);
	for (int i = 0; i < t->nlinks; i++) {
		const struct topo_link *l = &t->link[i];
		struct cap_item *it = &items[n];
		struct ns_rt *ns;
		const char *ifname;

		if (!l->capture)
			continue;
		capture_point(u, l, &ns, &ifname);
		snprintf(it->link, sizeof(it->link), "%s", l->name);
		snprintf(it->netns, sizeof(it->netns), "%s", ns->name);
		snprintf(it->ifname, sizeof(it->ifname), "%s", ifname);
		it->promisc = l->kind != LINK_VETH;
		if ((size_t)snprintf(it->path, sizeof(it->path), "%s/%s.pcap",
		    dir, l->name) >= sizeof(it->path)) {
			free(items);
			return errf(u->err, "%s: path too long", dir);
		}
		if (set_up(u, ns, ifname) < 0 ||
		    state_note(&u->st, u->err, "pcap", l->name, it->path,
		    (char *)NULL) < 0) {
			free(items);
			return -1;
		}
		n++;
	}
	if (n == 0) {
		free(items);
		return 0;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		free(items);
		return errf(u->err, "mkdir %s: %s", dir, strerror(errno));
	}
	rc = capture_start(&u->st, items, n, &id, u->err);
	free(items);
	return rc;
}

static int
links_up(struct up *u)
{
	const struct topo *t = u->t;

	for (int i = 0; i < t->nlinks; i++) {
		const struct topo_link *l = &t->link[i];

		if (l->kind == LINK_BRIDGE && set_up(u, &u->sw, l->name) < 0)
			return -1;
		for (int j = 0; j < l->nep; j++) {
			const struct topo_ep *e = &l->ep[j];

			if (l->kind == LINK_BRIDGE &&
			    set_up(u, &u->sw, e->port) < 0)
				return -1;
			if (e->kind == EP_NODE &&
			    set_up(u, node_ns(u, e->node), e->ifname) < 0)
				return -1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ settle */

struct iface_wait {
	int		 node;
	const char	*ifname;
	int		 ifindex;
	bool		 want_ll;	/* IPv6 on: a link-local must appear */
};

static bool
sysctl_is(struct ns_rt *ns, const char *fmt, const char *ifname,
    const char *val)
{
	char key[128], got[32], err[ERRLEN];

	snprintf(key, sizeof(key), fmt, ifname);
	return netns_sysctl_get(ns->fd, key, got, sizeof(got), err) == 0 &&
	    strcmp(got, val) == 0;
}

static int
collect_ifaces(struct up *u, struct iface_wait *w, int *n)
{
	const struct topo *t = u->t;

	*n = 0;
	for (int i = 0; i < t->nlinks; i++)
		for (int j = 0; j < t->link[i].nep; j++) {
			const struct topo_ep *e = &t->link[i].ep[j];
			struct ns_rt *ns;

			if (e->kind != EP_NODE)
				continue;
			ns = node_ns(u, e->node);
			w[*n].node = e->node;
			w[*n].ifname = e->ifname;
			if ((w[*n].ifindex = ifindex_in(u, ns, e->ifname)) < 0)
				return -1;
			w[*n].want_ll = sysctl_is(ns,
			    "ipv6.conf.%s.disable_ipv6", e->ifname, "0") &&
			    !sysctl_is(ns, "ipv6.conf.%s.addr_gen_mode",
			    e->ifname, "1");
			(*n)++;
		}
	return 0;
}

/* Why interface `w` is not ready yet (NULL: it is), or a hard error. */
static const char *
iface_pending(struct up *u, const struct iface_wait *w,
    const struct nl_addr *addrs, int naddrs, bool *fatal)
{
	static char why[ERRLEN];
	const char *node = u->t->node[w->node].name;
	struct nl_link l;
	bool ll = false;

	*fatal = false;
	if (nl_link_get(&node_ns(u, w->node)->rt, w->ifname, &l, u->err) < 0) {
		*fatal = true;
		return u->err;
	}
	if (!(l.flags & IFF_UP) || !(l.flags & IFF_LOWER_UP)) {
		snprintf(why, sizeof(why), "%s:%s has no carrier", node,
		    w->ifname);
		return why;
	}
	for (int i = 0; i < naddrs; i++) {
		const struct nl_addr *a = &addrs[i];
		char txt[INET6_ADDRSTRLEN];

		if (a->ifindex != w->ifindex || a->family != AF_INET6)
			continue;
		inet_ntop(AF_INET6, a->addr, txt, sizeof(txt));
		if (a->flags & IFA_F_DADFAILED) {
			*fatal = true;
			snprintf(why, sizeof(why), "%s:%s: duplicate address "
			    "detected for %s", node, w->ifname, txt);
			return why;
		}
		if (a->flags & IFA_F_TENTATIVE) {
			snprintf(why, sizeof(why), "%s:%s address %s still "
			    "tentative", node, w->ifname, txt);
			return why;
		}
		if (a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0x80)
			ll = true;
	}
	if (w->want_ll && !ll) {
		snprintf(why, sizeof(why), "%s:%s has no link-local address "
		    "yet", node, w->ifname);
		return why;
	}
	return NULL;
}

static int
wait_settled(struct up *u)
{
	struct iface_wait *w;
	struct nl_addr *addrs;
	long long deadline = now_ms() + u->o->timeout_ms;
	int nw, rc = -1;

	w = calloc(TOPO_MAX_LINKS * TOPO_MAX_EPS, sizeof(*w));
	addrs = calloc(MAX_ADDRS_SEEN, sizeof(*addrs));
	if (w == NULL || addrs == NULL) {
		errf(u->err, "out of memory");
		goto out;
	}
	if (collect_ifaces(u, w, &nw) < 0)
		goto out;
	for (;;) {
		const char *why = NULL;
		bool fatal = false;

		for (int k = 0; k < u->t->nnodes && why == NULL; k++) {
			int na;

			if (nl_addr_dump(&u->node[k].rt, AF_INET6, addrs,
			    MAX_ADDRS_SEEN, &na, u->err) < 0)
				goto out;
			for (int i = 0; i < nw && why == NULL; i++)
				if (w[i].node == k)
					why = iface_pending(u, &w[i], addrs,
					    na, &fatal);
		}
		if (why == NULL) {
			rc = 0;
			goto out;
		}
		if (check_intr(u) < 0)
			goto out;
		if (fatal || now_ms() >= deadline) {
			char keep[ERRLEN];

			snprintf(keep, sizeof(keep), "%s", why);
			if (fatal)
				errf(u->err, "%s", keep);
			else
				errf(u->err, "not ready after %d ms: %s",
				    u->o->timeout_ms, keep);
			goto out;
		}
		usleep(SETTLE_POLL_US);
	}
out:
	free(w);
	free(addrs);
	return rc;
}

/* ---------------------------------------------------- routes and NAT */

static int
add_routes(struct up *u)
{
	const struct topo *t = u->t;

	for (int i = 0; i < t->nroutes; i++) {
		const struct topo_route *r = &t->route[i];
		struct ns_rt *ns = node_ns(u, r->node);
		char dst[80], gw[64] = "", metric[16] = "", ip[64];
		int oif = 0;

		if (r->is_default)
			snprintf(dst, sizeof(dst), "default");
		else
			snprintf(dst, sizeof(dst), "%s/%d",
			    topo_ip_fmt(&r->dst, ip, sizeof(ip)), r->plen);
		if (r->has_gw)
			topo_ip_fmt(&r->gw, gw, sizeof(gw));
		if (r->has_metric)
			snprintf(metric, sizeof(metric), "%u", r->metric);
		if (state_note(&u->st, u->err, "route", r->nodename, dst, gw,
		    r->dev, metric, (char *)NULL) < 0)
			return -1;
		if (r->dev[0] != '\0' && (oif = ifindex_in(u, ns, r->dev)) < 0)
			return line_err(u, r->line, "route");
		if (nl_route_add(&ns->rt, &r->dst, r->plen,
		    r->has_gw ? &r->gw : NULL, oif, r->has_metric, r->metric,
		    u->err) < 0) {
			char what[200];

			snprintf(what, sizeof(what), "route %s%s%s", dst,
			    r->has_gw ? " via " : "", gw);
			return line_err(u, r->line, what);
		}
	}
	return 0;
}

static int
add_nat(struct up *u)
{
	const struct topo *t = u->t;

	for (int i = 0; i < t->nnats; i++) {
		const struct topo_nat *n = &t->nat[i];
		struct ns_rt *ns = node_ns(u, n->node);
		struct nl nf;
		int rc;

		if (state_note(&u->st, u->err, "nat", n->nodename, n->ifname,
		    (char *)NULL) < 0)
			return -1;
		if (netns_enter(ns->fd, u->err) < 0)
			return -1;
		rc = nl_open(&nf, NETLINK_NETFILTER, u->err);
		if (netns_leave(u->err) < 0)
			return -1;
		if (rc < 0)
			return line_err(u, n->line, "nat");
		rc = nl_nft_masquerade(&nf, n->ifname, u->err);
		nl_close(&nf);
		if (rc < 0)
			return line_err(u, n->line, "nat");
	}
	return 0;
}

/* ------------------------------------------------------------ daemons */

/* As `ip netns exec`: a private mount namespace whose /sys shows the
   node's interfaces. */
static const char *
child_mounts(void)
{
	if (unshare(CLONE_NEWNS) < 0)
		return "unshare(CLONE_NEWNS)";
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0)
		return "mount --make-rslave /";
	(void)umount2("/sys", MNT_DETACH);
	if (mount("sysfs", "/sys", "sysfs", 0, NULL) < 0)
		return "mount sysfs";
	return NULL;
}

static void
run_child(struct up *u, struct gate *g, const struct topo_run *r,
    const char *log)
{
	char msg[PATH_MAX + 256];
	const char *step;
	int keep[1] = { g->report[1] }, fd;

	(void)setsid();
	if (!gate_child_wait(g))
		_exit(0);	/* `up` died before recording us */
	signal(SIGPIPE, SIG_DFL);
	if (setns(node_ns(u, r->node)->fd, CLONE_NEWNET) < 0)
		step = "setns";
	else if ((step = child_mounts()) != NULL)
		;
	else if (chdir(u->t->dir) < 0)
		step = "chdir";
	else if ((fd = open("/dev/null", O_RDONLY)) < 0 || dup2(fd, 0) < 0)
		step = "/dev/null";
	else if ((fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND,
	    0644)) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		step = log;
	else {
		setenv("MIP6TOPO_ID", u->id, 1);
		setenv("MIP6TOPO_NODE", r->nodename, 1);
		setenv("MIP6TOPO_NETNS", node_ns(u, r->node)->name, 1);
		setenv("MIP6TOPO_DIR", u->outdir, 1);
		close_fds_except(keep, 1);
		execvp(r->argv[0], r->argv);
		snprintf(msg, sizeof(msg), "cannot execute '%s': %s",
		    r->argv[0], strerror(errno));
		gate_child_report(g, msg);
		_exit(127);
	}
	snprintf(msg, sizeof(msg), "%s: %s", step, strerror(errno));
	gate_child_report(g, msg);
	_exit(127);
}

static int
spawn_run(struct up *u, const struct topo_run *r, int nth)
{
	char log[PATH_MAX + 64], pid[32], start[32], line[16], msg[ERRLEN];
	struct gate g;
	pid_t child;
	unsigned long long st;

	snprintf(log, sizeof(log), "%s/log/%s-%d.log", u->outdir, r->nodename,
	    nth);
	fflush(NULL);
	if ((child = gate_fork(&g, u->err)) < 0)
		return -1;
	if (child == 0)
		run_child(u, &g, r, log);
	snprintf(pid, sizeof(pid), "%d", (int)child);
	snprintf(line, sizeof(line), "%d", r->line);
	if (proc_start_time(child, &st) < 0) {
		gate_close(&g);
		(void)waitpid(child, NULL, 0);
		return errf(u->err, "%s:%d: run: process vanished",
		    u->t->file, r->line);
	}
	snprintf(start, sizeof(start), "%llu", st);
	if (state_log(&u->st, u->err, "proc", r->nodename, pid, start, log,
	    line, r->argv[0], (char *)NULL) < 0 ||
	    gate_release(&g, u->err) < 0) {
		gate_close(&g);
		(void)kill(child, SIGKILL);
		(void)waitpid(child, NULL, 0);
		return -1;
	}
	gate_read_report(&g, msg, sizeof(msg));
	gate_close(&g);
	if (msg[0] != '\0') {
		(void)waitpid(child, NULL, 0);
		return errf(u->err, "%s:%d: run %s: %s", u->t->file, r->line,
		    r->nodename, msg);
	}
	return 0;
}

static int
start_daemons(struct up *u)
{
	char dir[PATH_MAX + 8];
	int nth[TOPO_MAX_NODES] = { 0 };

	if (u->t->nruns == 0)
		return 0;
	snprintf(dir, sizeof(dir), "%s/log", u->outdir);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return errf(u->err, "mkdir %s: %s", dir, strerror(errno));
	for (int i = 0; i < u->t->nruns; i++) {
		const struct topo_run *r = &u->t->run[i];

		if (spawn_run(u, r, ++nth[r->node]) < 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------- driver */

static int
init_names(struct up *u)
{
	const struct topo *t = u->t;

	if (u->o->id != NULL) {
		if (!topo_id_ok(u->o->id))
			return errf(u->err, "bad run id '%s' (1 to 12 "
			    "lower-case letters and digits)", u->o->id);
		snprintf(u->id, sizeof(u->id), "%s", u->o->id);
	} else
		snprintf(u->id, sizeof(u->id), "p%d", (int)getpid());
	for (int i = 0; i < t->nnodes; i++) {
		snprintf(u->node[i].name, sizeof(u->node[i].name), "%s%s-%s",
		    NS_PREFIX, u->id, t->node[i].name);
		u->node[i].fd = -1;
	}
	snprintf(u->sw.name, sizeof(u->sw.name), "%s%s-%s", NS_PREFIX, u->id,
	    TOPO_SWITCH);
	u->sw.fd = -1;
	return 0;
}

static int
init_outdir(struct up *u)
{
	char abs[PATH_MAX];

	if (u->o->outdir == NULL) {
		snprintf(u->outdir, sizeof(u->outdir), "%s", u->st.dir);
		return 0;
	}
	if (mkdir(u->o->outdir, 0755) < 0 && errno != EEXIST)
		return errf(u->err, "mkdir %s: %s", u->o->outdir,
		    strerror(errno));
	if (realpath(u->o->outdir, abs) == NULL)
		return errf(u->err, "%s: %s", u->o->outdir, strerror(errno));
	snprintf(u->outdir, sizeof(u->outdir), "%s", abs);
	return 0;
}

static int
record_run(struct up *u)
{
	char pid[32], file[PATH_MAX];

	if (realpath(u->t->file, file) == NULL)
		snprintf(file, sizeof(file), "%s", u->t->file);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	return state_log(&u->st, u->err, "run", u->id, pid, file, u->outdir,
	    u->t->name, (char *)NULL);
}

static int
build(struct up *u)
{
	u->phase_start = now_ms();
	if (state_create(&u->st, u->id, u->err) < 0)
		return -1;
	u->recorded = true;
	if (init_outdir(u) < 0 || record_run(u) < 0)
		return -1;
	if (make_namespaces(u) < 0 || phase_done(u, "namespaces") < 0)
		return -1;
	if (apply_sysctls(u, false) < 0 || make_links(u) < 0 ||
	    phase_done(u, "links") < 0)
		return -1;
	if (apply_sysctls(u, true) < 0 || add_addresses(u) < 0 ||
	    phase_done(u, "addresses") < 0)
		return -1;
	if (start_capture(u) < 0 || phase_done(u, "capture") < 0)
		return -1;
	if (links_up(u) < 0 || wait_settled(u) < 0 ||
	    phase_done(u, "settled") < 0)
		return -1;
	if (add_routes(u) < 0 || add_nat(u) < 0 ||
	    phase_done(u, "routes") < 0)
		return -1;
	if (start_daemons(u) < 0 || phase_done(u, "daemons") < 0)
		return -1;
	return state_note(&u->st, u->err, "ready", (char *)NULL);
}

static void
release(struct up *u)
{
	for (int i = 0; i < u->t->nnodes; i++) {
		nl_close(&u->node[i].rt);
		if (u->node[i].fd >= 0)
			close(u->node[i].fd);
	}
	nl_close(&u->sw.rt);
	if (u->sw.fd >= 0)
		close(u->sw.fd);
	nl_close(&u->host);
}

int
topo_up(const struct topo *t, const struct up_opts *o, char *err)
{
	struct up *u = calloc(1, sizeof(*u));
	int rc;

	if (u == NULL)
		return errf(err, "out of memory");
	u->t = t;
	u->o = o;
	u->err = err;
	rc = init_names(u);
	if (rc == 0)
		rc = preflight(u);
	if (rc == 0)
		rc = build(u);
	release(u);
	if (rc < 0 && u->recorded) {
		char why[ERRLEN];

		/* Undo by the record, as `down` would; keep the first
		   error, the one that names the cause. */
		if (down_record(&u->st, why) < 0)
			fprintf(stderr, "mip6topo: cleanup after failed up: "
			    "%s\n", why);
	} else if (rc == 0) {
		if (o->json)
			rc = topo_status(u->id, true, stdout, err);
		else
			printf("%s\n", u->id);
		state_close(&u->st);
	}
	free(u);
	return rc;
}
