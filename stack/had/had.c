/*
 * stack/had/had.c - had, the mip6kit home agent daemon (had(8)): the
 * privileged parent.
 *
 * It owns what needs privileges - the eBPF forwarding plane (programs,
 * pinned maps, tc attachments), the raw IPv6 socket, the Home-Agents
 * anycast membership, radvd, the control socket - and forks the engine
 * process (had_engine_proc.c), which parses every packet and decides.
 * The engine reads the signaling ring and sends its replies itself, on
 * the ring map and packet socket the parent opened and passed to it; the
 * parent executes the engine's other requests (map updates, routed sends,
 * replies that must follow a map update) after checking their sizes.
 * One libevent loop per process.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <event2/event.h>
#include <getopt.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "packets/sbuf.h"
#include "stack/had/ha_engine.h"
#include "stack/had/had_conf.h"
#include "stack/had/had_l2q.h"
#include "stack/had/had_proc.h"
#include "stack/lib/bpfplane.h"
#include "stack/lib/ctl.h"
#include "stack/lib/daemon.h"
#include "stack/lib/ifinfo.h"
#include "stack/lib/log.h"
#include "stack/lib/privsep.h"
#include "stack/lib/proc.h"
#include "stack/lib/version.h"

#define DEFAULT_CONF	"/etc/mip6kit/had.conf"
#define BIND_QUEUE	256	/* bindings per map batch update */
#define ENGINE_ROUNDS	64	/* ps_rx_recv calls per readiness */

/*
 * What the engine asked for while one of its batches is being served:
 * binding updates for one map batch update, frames (those the engine
 * sends through us, after a map update) for one sendmmsg.  A map update
 * is never applied after a packet the engine asked for later; packets
 * may wait behind later map updates until the end of the batch.
 */
struct reqq {
	struct in6_addr	 bind_hoa[BIND_QUEUE];
	struct m6_bind	 bind[BIND_QUEUE];
	size_t		 nbind;
	struct l2q	 tx;
};

struct parent {
	const char	*conf_path;
	struct had_conf	 conf;
	struct m6_plane	*plane;
	struct event_base *base;
	int		 engine_sock;
	pid_t		 engine_pid;
	pid_t		 radvd_pid;
	int		 raw_sock;	/* IPPROTO_RAW: we build headers */
	int		 raw4_sock;	/* ... IPv4 ones (RFC 5555) */
	int		 anycast_sock;	/* holds IPV6_JOIN_ANYCAST */
	int		 allmulti_sock;	/* holds PACKET_MR_ALLMULTI */
	int		 l2_sock;	/* AF_PACKET: replies by MAC */
	int		 arp_sock;	/* AF_PACKET ARP on the home link, for
					   the engine (RFC 5555 proxy ARP) */
	int		 ctl_sock;
	struct ha_iface	 ifaces[HAD_IFACE_MAX];
	size_t		 nifaces;
	struct in6_addr	 ha_addr;
	uint64_t	 cnt[PC_MAX];
	struct log_rl	 send_rl, req_rl;
	struct ps_batch	 to_engine;	/* the saved state, at start */
	struct ps_rx	 rx;		/* from the engine */
	struct reqq	 q;
	char		 radvd_conf[128];
};

static void
usage(FILE *f)
{
	proc_usage(f, "had", DEFAULT_CONF, true);
}

/* ------------------------------------------------------------ interfaces */

/* Resolve the configured interfaces: index, MAC, MTU, link-local. */
static int
load_ifaces(struct parent *p, char *err, size_t errlen)
{
	struct if_info ii;

	p->nifaces = 0;
	for (size_t k = 0; k < p->conf.niface; k++) {
		struct ha_iface *f = &p->ifaces[p->nifaces];
		const struct had_iface *c = &p->conf.iface[k];

		if (if_info_get(c->name, &ii, err, errlen) < 0)
			return -1;
		memset(f, 0, sizeof *f);
		f->ifindex = ii.ifindex;
		snprintf(f->name, sizeof f->name, "%s", c->name);
		f->home_link = c->home_link;
		memcpy(f->mac, ii.mac, sizeof f->mac);
		f->mtu = ii.mtu;
		f->ll = ii.ll;
		p->nifaces++;
	}
	return 0;
}

static const struct ha_iface *
home_iface(const struct parent *p)
{
	for (size_t k = 0; k < p->nifaces; k++)
		if (p->ifaces[k].home_link)
			return &p->ifaces[k];
	return NULL;
}

/* The home agent address: configured, or derived from the home link. */
static struct in6_addr
derive_ha_addr(const struct parent *p)
{
	const struct ha_iface *h = home_iface(p);
	struct in6_addr a = p->conf.ha_addr;

	(void)had_conf_ha_addr(&p->conf, h != NULL ? h->mac : NULL, &a);
	return a;
}

/* if_addr6_walk's callback: an address of one of our interfaces. */
static void
publish_addr(void *arg, const char *ifname, const struct in6_addr *a)
{
	struct parent *p = arg;

	for (size_t k = 0; k < p->nifaces; k++)
		if (strcmp(p->ifaces[k].name, ifname) == 0)
			m6_plane_local_set(p->plane, a, M6L_OWN);
}

/* Every address of ours that terminates signaling goes into m6_local. */
static void
publish_local_addrs(struct parent *p)
{
	const struct ha_iface *h = home_iface(p);

	(void)if_addr6_walk(publish_addr, p);
	m6_plane_local_set(p->plane, &p->ha_addr, M6L_HA_ADDR | M6L_OWN);
	if (p->conf.ipv4_plen != 0) {
		/* RFC 5555: our IPv4 address, IPv4-mapped, ends IPv4 tunnels
		   and UDP 4191 */
		struct in6_addr v4 = { .s6_addr = { [10] = 0xff, [11] = 0xff } };

		memcpy(&v4.s6_addr[12], &p->conf.ipv4_addr.s_addr, 4);
		m6_plane_local_set(p->plane, &v4, M6L_HA_ADDR | M6L_OWN);
	}
	for (size_t k = 0; k < p->conf.nprefix; k++) {
		struct in6_addr any;
		struct ipv6_mreq mr;

		if (!p->conf.anycast || p->conf.prefix[k].pfx.plen != 64)
			continue;
		any = had_prefix_ha_anycast(&p->conf.prefix[k].pfx);
		m6_plane_local_set(p->plane, &any, M6L_ANYCAST);
		if (p->conf.prefix[k].virtual_link || h == NULL)
			continue;
		/* So that routers on the home link resolve it to us. */
		mr.ipv6mr_multiaddr = any;
		mr.ipv6mr_interface = h->ifindex;
		if (setsockopt(p->anycast_sock, IPPROTO_IPV6,
		    IPV6_JOIN_ANYCAST, &mr, sizeof mr) < 0 &&
		    errno != EADDRINUSE)
			log_msg(LOG_WARNING, "join anycast on %s: %s",
			    h->name, strerror(errno));
	}
}

/*
 * Proxy DAD and proxy ND must hear Neighbor Solicitations sent to the
 * solicited-node groups of home addresses we do not own (RFC 6275
 * §10.4.1); a NIC that filters multicast would drop them before the eBPF
 * program sees them, so the home link takes all multicast.
 */
static void
home_link_allmulti(struct parent *p)
{
	const struct ha_iface *h = home_iface(p);
	struct packet_mreq mr;

	if (h == NULL)
		return;
	if (p->allmulti_sock < 0)
		p->allmulti_sock = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC,
		    0);
	if (p->allmulti_sock < 0)
		return;
	memset(&mr, 0, sizeof mr);
	mr.mr_ifindex = (int)h->ifindex;
	mr.mr_type = PACKET_MR_ALLMULTI;
	if (setsockopt(p->allmulti_sock, SOL_PACKET, PACKET_ADD_MEMBERSHIP,
	    &mr, sizeof mr) < 0)
		log_msg(LOG_WARNING, "all-multicast on %s: %s", h->name,
		    strerror(errno));
}

/* ----------------------------------------------------------------- radvd */

static int
write_radvd_conf(struct parent *p)
{
	const struct ha_iface *h = home_iface(p);
	FILE *f;

	if (h == NULL)
		return 0;
	snprintf(p->radvd_conf, sizeof p->radvd_conf,
	    "/run/mip6kit/radvd-%ld.conf", (long)getpid());
	f = fopen(p->radvd_conf, "w");
	if (f == NULL)
		return -1;
	/* RFC 6275 §7.1, §7.4, §10.5.1; RFC 3963 §7.1 (mobile routers). */
	fprintf(f, "# written by had(8); do not edit\n"
	    "interface %s {\n\tAdvSendAdvert on;\n"
	    "\tMinRtrAdvInterval %.2f;\n\tMaxRtrAdvInterval %.2f;\n"
	    "\tAdvIntervalOpt on;\n\tAdvHomeAgentFlag on;\n"
	    "\tAdvHomeAgentInfo on;\n\tHomeAgentPreference %u;\n"
	    "\tHomeAgentLifetime %u;\n\tAdvMobRtrSupportFlag %s;\n",
	    h->name, p->conf.ra_min_ms / 1000.0, p->conf.ra_max_ms / 1000.0,
	    p->conf.preference, p->conf.ha_lifetime,
	    p->conf.accept_router ? "on" : "off");
	for (size_t k = 0; k < p->conf.nprefix; k++) {
		const struct had_home_prefix *hp = &p->conf.prefix[k];
		char a[INET6_ADDRSTRLEN];

		if (hp->virtual_link)
			continue;
		/* RFC 6275 §7.2: with R set the Prefix field carries our
		   whole address (radvd sends the prefix as written). */
		inet_ntop(AF_INET6, had_prefix_contains(&hp->pfx, &p->ha_addr) ?
		    &p->ha_addr : &hp->pfx.addr, a, sizeof a);
		fprintf(f, "\tprefix %s/%u {\n\t\tAdvRouterAddr on;\n"
		    "\t\tAdvValidLifetime %u;\n"
		    "\t\tAdvPreferredLifetime %u;\n\t};\n", a, hp->pfx.plen,
		    hp->valid_lft, hp->preferred_lft);
	}
	fprintf(f, "};\n");
	return fclose(f);
}

/* radvd files of an earlier had that died without cleaning up (kill -9). */
static void
remove_stale_radvd_files(void)
{
	DIR *d = opendir("/run/mip6kit");
	struct dirent *de;
	char path[300];
	long pid;
	int n;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (sscanf(de->d_name, "radvd-%ld.%n", &pid, &n) != 1 ||
		    pid <= 0 || (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;
		snprintf(path, sizeof path, "/run/mip6kit/%s", de->d_name);
		unlink(path);
	}
	closedir(d);
}

static void
start_radvd(struct parent *p)
{
	char *argv[] = { "radvd", "-n", "-C", p->radvd_conf, "-p",
		"/dev/null", "-m", "stderr", NULL };
	char pidfile[128];

	if (!p->conf.radvd)
		return;
	mkdir("/run/mip6kit", 0755);
	remove_stale_radvd_files();
	if (write_radvd_conf(p) < 0) {
		log_msg(LOG_ERR, "radvd: cannot write %s: %s", p->radvd_conf,
		    strerror(errno));
		return;
	}
	snprintf(pidfile, sizeof pidfile, "/run/mip6kit/radvd-%ld.pid",
	    (long)getpid());
	argv[5] = pidfile;
	p->radvd_pid = fork();
	if (p->radvd_pid < 0) {
		log_msg(LOG_ERR, "radvd: fork: %s", strerror(errno));
		p->radvd_pid = 0;
		return;
	}
	if (p->radvd_pid == 0) {
		/* radvd goes with us, even on kill -9: the next had starts
		   its own. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		execvp("radvd", argv);
		fprintf(stderr, "had: radvd: %s (is the radvd package "
		    "installed?)\n", strerror(errno));
		_exit(127);
	}
	log_msg(LOG_INFO, "radvd started (pid %ld) with %s",
	    (long)p->radvd_pid, p->radvd_conf);
}

static void
stop_radvd(struct parent *p)
{
	if (p->radvd_pid > 0) {
		kill(p->radvd_pid, SIGTERM);
		waitpid(p->radvd_pid, NULL, 0);
		p->radvd_pid = 0;
		unlink(p->radvd_conf);
	}
}

/* ------------------------------------------------------- engine requests */

/* Send an IPv6 packet the engine built; the kernel adds nothing. */
static void
raw_send(struct parent *p, unsigned oif, const uint8_t *pkt, size_t len)
{
	/* Never blocks the loop: a full buffer drops and counts.  IPv4:
	   signalling to an IPv4 care-of address (RFC 5555 §4.1) */
	if ((pkt[0] >> 4) == 4 ? proc_raw4_send(p->raw4_sock, pkt, len) == 0 :
	    proc_raw6_send(p->raw_sock, oif, pkt, len) == 0)
		return;
	if (errno == EINVAL)
		p->cnt[PC_BAD_REQUEST]++;
	else
		l2q_send_failed(p->cnt, &p->send_rl, len, oif);
}

/* The queued binding updates, in one map batch update. */
static void
binds_flush(struct parent *p)
{
	struct reqq *q = &p->q;
	size_t off = 0, done;

	while (off < q->nbind) {
		if (m6_plane_bind_set_batch(p->plane, q->bind_hoa + off,
		    q->bind + off, q->nbind - off, &done) == 0)
			break;
		log_msg(LOG_ERR, "binding map update failed");
		off += done + 1;	/* skip the one refused */
	}
	q->nbind = 0;
}

/* Everything queued, map updates first. */
static void
requests_flush(struct parent *p)
{
	binds_flush(p);
	l2q_flush(&p->q.tx);
}

/* Straight to a link-layer address: no neighbour queue to wait in.  The
   frame waits in the queue, behind the map updates asked before it. */
static void
l2_send(struct parent *p, const struct ps_send_l2 *h, const uint8_t *pkt,
    size_t len)
{
	/* IPv6, or IPv4 for the replies inside IPv4 (RFC 5555 §4.2), or
	   ARP for the IPv4 home addresses (28 octets) */
	if (len < 20 || (l2q_ethertype(pkt, len) == ETH_P_IPV6 &&
	    ((pkt[0] >> 4) != 6 || len < 40))) {
		p->cnt[PC_BAD_REQUEST]++;
		return;
	}
	/* A full queue goes out behind the map updates asked before. */
	if (p->q.tx.n == L2Q_FRAMES || len > L2Q_BYTES - p->q.tx.used)
		requests_flush(p);
	if (l2q_add(&p->q.tx, h->ifindex, h->mac, pkt, len) < 0)
		p->cnt[PC_BAD_REQUEST]++;
}

/* A binding for the next map batch update. */
static void
bind_queue(struct parent *p, const struct ps_bind *b)
{
	struct reqq *q = &p->q;

	if (q->nbind == BIND_QUEUE)
		binds_flush(p);
	q->bind_hoa[q->nbind] = b->hoa;
	q->bind[q->nbind] = b->b;
	q->nbind++;
}

/* A request refused: counted and logged.  Type 0: the n bytes left of
   a datagram cut short. */
static void
bad_request(struct parent *p, uint16_t type, size_t n)
{
	p->cnt[PC_BAD_REQUEST]++;
	log_rl(&p->req_rl, boottime_ms(), LOG_ERR,
	    "bad request from the engine (type %u, %zu bytes)", type, n);
}

/*
 * DSMIPv6 (RFC 5555): an IPv4 home address or prefix through a binding
 * (m6_bind4), in order with the binding updates queued before it.  -1
 * for a malformed request.
 */
static int
bind4_request(struct parent *p, uint16_t type, const uint8_t *m)
{
	struct ps_bind4 x;

	memcpy(&x, m, sizeof x);
	if (x.plen == 0 || x.plen > 32)
		return -1;
	binds_flush(p);
	if (type == PS_HAD_BIND4_SET) {
		if (m6_plane_bind4_set(p->plane, &x.pfx, x.plen, &x.hoa) < 0)
			log_msg(LOG_ERR, "IPv4 prefix map update failed");
	} else
		m6_plane_bind4_del(p->plane, &x.pfx, x.plen);
	return 0;
}

static void
engine_request(struct parent *p, uint16_t type, const uint8_t *m, size_t n)
{
	switch (type) {
	case PS_SEND: {
		uint32_t oif;

		if (n < sizeof oif + 40)
			break;
		memcpy(&oif, m, sizeof oif);
		requests_flush(p);	/* in order with the queued frames */
		raw_send(p, oif, m + sizeof oif, n - sizeof oif);
		return;
	}
	case PS_SEND_L2: {
		struct ps_send_l2 h;

		if (n < sizeof h + 20)
			break;
		memcpy(&h, m, sizeof h);
		l2_send(p, &h, m + sizeof h, n - sizeof h);
		return;
	}
	case PS_BIND_SET: {
		struct ps_bind b;

		if (n != sizeof b)
			break;
		memcpy(&b, m, sizeof b);
		bind_queue(p, &b);
		return;
	}
	case PS_BIND_DEL: {
		struct in6_addr a;

		if (n != sizeof a)
			break;
		memcpy(&a, m, sizeof a);
		binds_flush(p);		/* map updates stay in order */
		m6_plane_bind_del(p->plane, &a);
		return;
	}
	case PS_MNP_SET:
	case PS_MNP_DEL: {
		struct ps_mnp x;

		if (n != sizeof x)
			break;
		memcpy(&x, m, sizeof x);
		if (x.pfx.plen > 128)
			break;
		binds_flush(p);
		if (type == PS_MNP_SET) {
			if (m6_plane_mnp_set(p->plane, &x.pfx, &x.hoa) < 0)
				log_msg(LOG_ERR, "prefix map update failed");
		} else
			m6_plane_mnp_del(p->plane, &x.pfx);
		return;
	}
	case PS_NDP: {
		struct ps_ndp x;

		if (n != sizeof x)
			break;
		memcpy(&x, m, sizeof x);
		binds_flush(p);
		m6_plane_ndp_set(p->plane, &x.target, x.flags);
		return;
	}
	case PS_HAD_BIND4_SET:
	case PS_HAD_BIND4_DEL:
		if (n != sizeof(struct ps_bind4) || bind4_request(p, type, m) < 0)
			break;
		return;
	case PS_RESET_DONE:
	case PS_READY:
		return;
	}
	bad_request(p, type, n);
}

/* Every request of the i-th datagram received, in order. */
static void
engine_batch(struct parent *p, int i)
{
	size_t off = 0;
	struct ps_msg m;
	int r;

	if (p->rx.fd[i] >= 0)
		close(p->rx.fd[i]);	/* the engine never passes fds */
	while ((r = ps_next(p->rx.buf[i], p->rx.len[i], &off, &m)) > 0)
		engine_request(p, m.type, m.data, m.len);
	if (r < 0)
		bad_request(p, 0, p->rx.len[i] - off);
}

static void
on_engine(evutil_socket_t fd, short what, void *arg)
{
	struct parent *p = arg;

	(void)what;
	for (int round = 0; round < ENGINE_ROUNDS; round++) {
		int n = ps_rx_recv(fd, &p->rx);

		if (n < 0) {
			log_msg(LOG_ERR, "engine process gone; exiting "
			    "(bindings and forwarding stay in place)");
			event_base_loopbreak(p->base);
			return;
		}
		for (unsigned k = 0; k < p->rx.truncated; k++)
			bad_request(p, 0, PS_MSG_MAX);
		for (int i = 0; i < n; i++)
			engine_batch(p, i);
		requests_flush(p);
		if (n + p->rx.truncated < PS_RX_DGRAMS)
			return;		/* drained */
	}
}

/* ------------------------------------------------------------------- ctl */

static int send_conf(struct parent *);

/* Re-read the configuration (SIGHUP, or proc_ctl_reload's callback). */
static int
reload(void *arg, char *err, size_t errlen)
{
	struct parent *p = arg;
	struct had_conf c;

	if (had_conf_load(&c, p->conf_path, err, errlen) < 0)
		return -1;
	if (had_conf_check(&c, err, errlen) < 0 ||
	    had_conf_reload_check(&p->conf, &c, err, errlen) < 0) {
		had_conf_free(&c);
		return -1;
	}
	had_conf_free(&p->conf);
	p->conf = c;
	if (load_ifaces(p, err, errlen) < 0)
		return -1;
	p->ha_addr = derive_ha_addr(p);
	publish_local_addrs(p);
	ps_send(p->engine_sock, PS_IFACES, p->ifaces,
	    p->nifaces * sizeof p->ifaces[0], NULL, 0, -1);
	if (send_conf(p) < 0) {
		snprintf(err, errlen, "engine: %s", strerror(errno));
		return -1;
	}
	log_msg(LOG_INFO, "configuration reloaded from %s", p->conf_path);
	return 0;
}

static void
reply_now(int fd, const char *json)
{
	ctl_write_reply(fd, json, strlen(json));
}

static void
on_ctl(evutil_socket_t lfd, short what, void *arg)
{
	struct parent *p = arg;
	char req[CTL_REQ_MAX];
	struct ps_ctl c;
	int fd;

	(void)what;
	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (ctl_read_request(fd, req, sizeof req, 1000) < 0) {
		close(fd);
		return;
	}
	if (strcmp(req, "reload") == 0) {
		/* answered here; the rest by the engine */
		proc_ctl_reload(fd, "had", reload, p);
		return;
	}
	memset(&c, 0, sizeof c);
	if (strcmp(req, "reset") == 0) {
		m6_plane_counters_zero(p->plane);
		memset(p->cnt, 0, sizeof p->cnt);
	} else {
		m6_plane_counters(p->plane, c.bpf);
		memcpy(c.parent, p->cnt, sizeof c.parent);
	}
	/* The engine answers on fd itself, so no answer is size-limited. */
	if (ps_send(p->engine_sock, PS_CTL, &c, sizeof c, req, strlen(req),
	    fd) < 0)
		reply_now(fd, "{\"daemon\":\"had\",\"error\":\"engine busy, "
		    "try again\"}\n");
	else
		close(fd);
}

/* ------------------------------------------------------------- lifecycle */

/*
 * The normalised configuration, in pieces that fit a privsep message
 * (a configuration with many mobile nodes is megabytes): PS_CONF_PART
 * for all but the last piece, PS_CONF for the last.
 */
static int
send_conf(struct parent *p)
{
	size_t cap = had_conf_print_size(&p->conf), off = 0, piece;
	char *text = malloc(cap);
	struct sbuf sb;
	int rc = 0;

	if (text == NULL)
		return -1;
	sbuf_init(&sb, text, cap);
	had_conf_print(&sb, &p->conf);
	if (sb.trunc) {
		free(text);
		errno = EFBIG;
		return -1;
	}
	piece = PS_MSG_MAX - sizeof(struct ps_hdr) - 64;
	do {
		size_t n = sb.len - off < piece ? sb.len - off : piece;
		uint16_t type = off + n < sb.len ? PS_CONF_PART : PS_CONF;

		while ((rc = ps_send(p->engine_sock, type, text + off, n, NULL,
		    0, -1)) < 0 && errno == EAGAIN)
			usleep(1000);
		off += n;
	} while (rc == 0 && off < sb.len);
	explicit_bzero(text, sb.len);	/* SA keys: the engine's now */
	free(text);
	return rc;
}

/* The saved state goes to the engine in batches, waiting for room:
   blocking is fine here, the loop is not running yet. */
static int
restore_bind(void *arg, const struct in6_addr *hoa, const struct m6_bind *b)
{
	struct parent *p = arg;
	struct ps_bind m = { .hoa = *hoa, .b = *b };

	return ps_batch_add_wait(&p->to_engine, PS_RESTORE, &m, sizeof m,
	    NULL, 0);
}

static int
restore_mnp(void *arg, const struct had_prefix *pfx, const struct in6_addr *hoa)
{
	struct parent *p = arg;
	struct ps_mnp m = { .pfx = *pfx, .hoa = *hoa };

	return ps_batch_add_wait(&p->to_engine, PS_RESTORE_MNP, &m, sizeof m,
	    NULL, 0);
}

static int
restore_bind4(void *arg, const struct in_addr *pfx, unsigned plen,
    const struct in6_addr *hoa)
{
	struct parent *p = arg;
	struct ps_bind4 m = { .pfx = *pfx, .plen = plen, .hoa = *hoa };

	return ps_batch_add_wait(&p->to_engine, PS_HAD_RESTORE4, &m, sizeof m,
	    NULL, 0);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct parent *p = arg;
	char err[300];
	int st;
	pid_t pid;

	(void)what;
	switch (sig) {
	case SIGHUP:
		if (reload(p, err, sizeof err) < 0)
			log_msg(LOG_ERR, "reload: %s (old configuration "
			    "kept)", err);
		break;
	case SIGCHLD:
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
			if (pid == p->engine_pid) {
				log_msg(LOG_ERR, "engine process exited "
				    "(status %d)", st);
				p->engine_pid = 0;
				event_base_loopbreak(p->base);
			} else if (pid == p->radvd_pid) {
				log_msg(LOG_ERR, "radvd exited (status %d)",
				    st);
				p->radvd_pid = 0;
			}
		}
		break;
	default:
		log_msg(LOG_INFO, "signal %d: exiting; bindings and "
		    "forwarding stay in place", (int)sig);
		event_base_loopbreak(p->base);
	}
}

static int
open_sockets(struct parent *p, char *err, size_t errlen)
{
	/* Protocol 0: it sends, and never receives a frame. */
	p->l2_sock = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (p->l2_sock < 0) {
		snprintf(err, errlen, "packet socket: %s", strerror(errno));
		return -1;
	}
	l2q_init(&p->q.tx, p->l2_sock, p->cnt);
	p->anycast_sock = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (p->anycast_sock < 0) {
		snprintf(err, errlen, "IPv6 socket: %s", strerror(errno));
		return -1;
	}
	p->raw4_sock = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (p->raw4_sock < 0) {
		snprintf(err, errlen, "raw IPv4 socket: %s", strerror(errno));
		return -1;
	}
	return proc_open_raw_and_ctl(p->conf.control, &p->raw_sock,
	    &p->ctl_sock, err, errlen);
}

static int
setup_plane(struct parent *p, char *err, size_t errlen)
{
	proc_warn_private_bpffs();
	p->plane = m6_plane_open(p->conf.state_dir, p->conf.max_bindings,
	    err, errlen);
	if (p->plane == NULL)
		return -1;
	for (size_t k = 0; k < p->nifaces; k++)
		if (m6_plane_attach(p->plane, p->ifaces[k].ifindex, err,
		    errlen) < 0)
			return -1;
	publish_local_addrs(p);
	home_link_allmulti(p);
	return 0;
}

static pid_t
fork_engine(struct parent *p, const struct passwd *pw, char *err,
    size_t errlen)
{
	/* Nothing privileged leaks into the engine (proc.h). */
	pid_t pid = proc_fork_child(had_engine_main, pw, &p->engine_sock,
	    err, errlen);

	if (pid < 0)
		return -1;
	ps_batch_init(&p->to_engine, p->engine_sock);
	p->engine_pid = pid;
	return pid;
}

/*
 * The engine reads the signaling ring and sends its replies itself (one
 * wake-up per BU); it gets no map that steers traffic (DESIGN.md,
 * privilege separation).
 */
/*
 * A dual-stack home agent answers ARP for the IPv4 home addresses it
 * binds (RFC 5555): the engine reads the home link's ARP frames on a
 * socket we open (it has no capability to), as it reads the ring.  No
 * socket without ipv4-address or a home link.  0, or -1 (errno).
 */
static int
pass_arp_sock(struct parent *p)
{
	const struct ha_iface *h = home_iface(p);
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
	    .sll_protocol = htons(ETH_P_ARP) };
	int rc;

	if (p->conf.ipv4_plen == 0 || h == NULL)
		return 0;
	p->arp_sock = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, htons(ETH_P_ARP));
	if (p->arp_sock < 0)
		return -1;
	sll.sll_ifindex = (int)h->ifindex;
	if (bind(p->arp_sock, (struct sockaddr *)&sll, sizeof sll) < 0)
		return -1;
	rc = ps_send(p->engine_sock, PS_HAD_ARP_SOCK, NULL, 0, NULL, 0,
	    p->arp_sock);
	/* the engine holds it now */
	close(p->arp_sock);
	p->arp_sock = -1;
	return rc;
}

static int
start_engine(struct parent *p, char *err, size_t errlen)
{
	if (ps_send(p->engine_sock, PS_SIG_RING, NULL, 0, NULL, 0,
	    m6_plane_sig_map_fd(p->plane)) < 0 ||
	    ps_send(p->engine_sock, PS_TX_SOCK, NULL, 0, NULL, 0,
	    p->l2_sock) < 0 ||
	    ps_send(p->engine_sock, PS_IFACES, p->ifaces,
	    p->nifaces * sizeof p->ifaces[0], NULL, 0, -1) < 0 ||
	    send_conf(p) < 0) {
		snprintf(err, errlen, "engine: %s", strerror(errno));
		return -1;
	}
	if (pass_arp_sock(p) < 0) {
		snprintf(err, errlen, "engine: ARP socket: %s",
		    strerror(errno));
		return -1;
	}
	m6_plane_bind_foreach(p->plane, restore_bind, p);
	m6_plane_mnp_foreach(p->plane, restore_mnp, p);
	m6_plane_bind4_foreach(p->plane, restore_bind4, p);
	if (ps_batch_add_wait(&p->to_engine, PS_RESTORE_DONE, NULL, 0, NULL,
	    0) < 0 || ps_batch_flush_wait(&p->to_engine) < 0) {
		snprintf(err, errlen, "engine: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The parent's work comes after the engine's on the hot path (it writes
 * a binding once the BA has left): as SCHED_BATCH its wake-up by the
 * engine's request does not preempt the engine before that has sent the
 * BA (both pinned to one CPU: 2.6 -> 2.0 context switches and p50 52 ->
 * 40 us per lone BU in mk/bench-ha.sh).  The engine, forked before, and
 * radvd keep the normal policy.
 */
static void
parent_yields_to_engine(void)
{
	struct sched_param sp = { 0 };

	if (sched_setscheduler(0, SCHED_BATCH, &sp) < 0)
		log_msg(LOG_WARNING, "SCHED_BATCH: %s", strerror(errno));
}

static int
run_loop(struct parent *p)
{
	struct event *ev[8];
	int sigs[] = { SIGHUP, SIGTERM, SIGINT, SIGCHLD };
	size_t n = 0;

	p->base = event_base_new();
	if (p->base == NULL)
		return -1;
	ev[n++] = event_new(p->base, p->engine_sock, EV_READ | EV_PERSIST,
	    on_engine, p);
	ev[n++] = event_new(p->base, p->ctl_sock, EV_READ | EV_PERSIST,
	    on_ctl, p);
	for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++)
		ev[n++] = evsignal_new(p->base, sigs[k], on_signal, p);
	for (size_t k = 0; k < n; k++)
		if (ev[k] == NULL || event_add(ev[k], NULL) < 0)
			return -1;
	event_base_dispatch(p->base);
	for (size_t k = 0; k < n; k++)
		event_free(ev[k]);
	event_base_free(p->base);
	return 0;
}

/* had -n: the SAs in use (SPIs and algorithms, never keys). */
static void
print_sas(const struct had_conf *c)
{
	char line[256];
	struct sbuf sb;
	size_t i;

	for (i = 0; i < c->nsa; i++) {
		sbuf_init(&sb, line, sizeof(line));
		espsa_print(&sb, &c->sa[i], false);
		fprintf(stderr, "had: %s", sbuf_str(&sb));
	}
}

static int
check_only(struct parent *p, int verbose)
{
	char err[300];

	if (had_conf_load(&p->conf, p->conf_path, err, sizeof err) < 0 ||
	    had_conf_check(&p->conf, err, sizeof err) < 0) {
		fprintf(stderr, "had: %s\n", err);
		return 1;
	}
	if (verbose) {
		size_t cap = had_conf_print_size(&p->conf);
		char *text = malloc(cap);
		struct sbuf sb;

		if (text == NULL)
			return 1;
		sbuf_init(&sb, text, cap);
		/* SA keys stay out of what people see */
		had_conf_print_public(&sb, &p->conf);
		fputs(sbuf_str(&sb), stdout);
		free(text);
	} else {
		fprintf(stderr, "had: %s: configuration OK\n", p->conf_path);
		print_sas(&p->conf);
	}
	return 0;
}

static int
cleanup(struct parent *p)
{
	char err[300];

	if (had_conf_load(&p->conf, p->conf_path, err, sizeof err) < 0) {
		fprintf(stderr, "had: %s\n", err);
		return 1;
	}
	for (size_t k = 0; k < p->conf.niface; k++) {
		unsigned ifi = if_nametoindex(p->conf.iface[k].name);

		if (ifi != 0)
			(void)m6_plane_detach_ifindex(ifi);
	}
	if (m6_plane_unpin(p->conf.state_dir) < 0) {
		fprintf(stderr, "had: %s: %s\n", p->conf.state_dir,
		    strerror(errno));
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct parent p;
	struct proc_opts o = { .conf_path = DEFAULT_CONF };
	bool foreground;
	int verbose, rc, ready_fd = -1;
	char err[300];
	struct passwd *pw;

	if ((rc = proc_getopt(argc, argv, "had", usage, &o)) >= 0)
		return rc;
	p.conf_path = o.conf_path;
	p.allmulti_sock = -1;
	foreground = o.foreground;
	verbose = o.verbose;
	if (o.check)
		return check_only(&p, verbose);
	if (o.cleanup)
		return cleanup(&p);
	if (geteuid() != 0) {
		fprintf(stderr, "had: must run as root\n");
		return 1;
	}
	if (had_conf_load(&p.conf, p.conf_path, err, sizeof err) < 0 ||
	    had_conf_check(&p.conf, err, sizeof err) < 0) {
		fprintf(stderr, "had: %s\n", err);
		return 1;
	}
	pw = getpwnam(p.conf.user);
	if (pw == NULL) {
		fprintf(stderr, "had: user %s: no such user\n", p.conf.user);
		return 1;
	}
	if (!foreground)
		ready_fd = daemon_start("had");
	/* Until ready, errors go to the caller's stderr. */
	log_init("had", true, verbose);
	p.send_rl = (struct log_rl)LOG_RL_INIT(5, 20);
	p.req_rl = (struct log_rl)LOG_RL_INIT(5, 20);
	signal(SIGPIPE, SIG_IGN);
	if (load_ifaces(&p, err, sizeof err) < 0 ||
	    open_sockets(&p, err, sizeof err) < 0) {
		log_msg(LOG_ERR, "%s", err);
		return 1;
	}
	p.ha_addr = derive_ha_addr(&p);
	if (setup_plane(&p, err, sizeof err) < 0 ||
	    fork_engine(&p, pw, err, sizeof err) < 0 ||
	    start_engine(&p, err, sizeof err) < 0) {
		log_msg(LOG_ERR, "%s", err);
		if (p.engine_pid > 0)
			kill(p.engine_pid, SIGTERM);
		return 1;
	}
	start_radvd(&p);
	parent_yields_to_engine();
	daemon_pidfile_write(p.conf.control);
	if (!foreground) {
		daemon_ready(ready_fd);
		log_init("had", false, verbose);
	}
	log_msg(LOG_INFO, "home agent %s ready on %zu interface(s)",
	    inet_ntop(AF_INET6, &p.ha_addr, err, sizeof err), p.nifaces);
	run_loop(&p);
	stop_radvd(&p);
	if (p.engine_pid > 0) {
		kill(p.engine_pid, SIGTERM);
		waitpid(p.engine_pid, NULL, 0);
	}
	unlink(p.conf.control);
	daemon_pidfile_remove(p.conf.control);
	m6_plane_close(p.plane);
	return 0;
}
