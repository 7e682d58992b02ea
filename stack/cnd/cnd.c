/*
 * stack/cnd/cnd.c - cnd, the mip6kit correspondent node daemon (cnd(8)):
 * the privileged parent.
 *
 * It owns what needs privileges - the eBPF plane of cn.bpf.c (programs,
 * pinned maps, tc ingress and egress), the raw IPv6 socket, the bus
 * connection, the control socket - and forks the engine process
 * (cnd_engine_proc.c), which parses every packet and decides.  The parent
 * copies ring-buffer records to the engine without looking inside them,
 * relays the engine's bus messages as bytes, and executes its requests
 * after checking their sizes.  One libevent loop per process.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "packets/sbuf.h"
#include "stack/cnd/cnd_conf.h"
#include "stack/cnd/cnd_proc.h"
#include "stack/lib/bus.h"
#include "stack/lib/cnplane.h"
#include "stack/lib/ctl.h"
#include "stack/lib/daemon.h"
#include "stack/lib/ifinfo.h"
#include "stack/lib/log.h"
#include "stack/lib/privsep.h"
#include "stack/lib/proc.h"
#include "stack/lib/readfile.h"
#include "stack/lib/version.h"

#define DEFAULT_CONF	"/etc/mip6kit/cnd.conf"
#define CONF_FILE_MAX	(1u << 20)

struct parent {
	const char	*conf_path;
	struct cnd_conf	 conf;
	struct cn_plane	*plane;
	struct event_base *base;
	struct bus	*bus;
	int		 engine_sock;
	pid_t		 engine_pid;
	int		 raw_sock;	/* IPPROTO_RAW: the engine builds
					   every header */
	int		 ctl_sock;
	unsigned	 ifindex[CND_IFACE_MAX];
	uint64_t	 cnt[CPC_MAX];
	struct log_rl	 send_rl, req_rl;
	uint8_t		 buf[PS_MSG_MAX];
};

static void
usage(FILE *f)
{
	proc_usage(f, "cnd", DEFAULT_CONF, true);
}

/* ------------------------------------------------------------ setup */

/* Read and parse the configuration file: 0, or -1 with err set. */
static int
conf_load(struct cnd_conf *c, const char *path, char *err, size_t errlen)
{
	size_t len;
	char *text = readfile(path, CONF_FILE_MAX, &len, err, errlen);
	int rc;

	if (text == NULL)
		return -1;
	rc = cnd_conf_parse(c, path, text, len, err, errlen);
	free(text);
	return rc;
}

static int
load_ifaces(struct parent *p, char *err, size_t errlen)
{
	for (size_t k = 0; k < p->conf.niface; k++) {
		p->ifindex[k] = if_nametoindex(p->conf.iface[k]);
		if (p->ifindex[k] == 0) {
			snprintf(err, errlen, "interface %s: %s",
			    p->conf.iface[k], strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Our addresses on the configured interfaces go into m6_local: the
   signaling sent to them reaches the ring. */
static void
publish_addr(void *arg, const char *ifname, const struct in6_addr *a)
{
	struct parent *p = arg;

	for (size_t k = 0; k < p->conf.niface; k++)
		if (strcmp(p->conf.iface[k], ifname) == 0)
			(void)cn_plane_local_set(p->plane, a, M6L_OWN);
}

static void
publish_local_addrs(struct parent *p)
{
	(void)if_addr6_walk(publish_addr, p);
}

static int
setup_plane(struct parent *p, char *err, size_t errlen)
{
	proc_warn_private_bpffs();
	p->plane = cn_plane_open(p->conf.state_dir, p->conf.max_bindings, err,
	    errlen);
	if (p->plane == NULL)
		return -1;
	for (size_t k = 0; k < p->conf.niface; k++)
		if (cn_plane_attach(p->plane, p->ifindex[k], err, errlen) < 0)
			return -1;
	publish_local_addrs(p);
	return 0;
}

static int
open_sockets(struct parent *p, char *err, size_t errlen)
{
	return proc_open_raw_and_ctl(p->conf.control, &p->raw_sock,
	    &p->ctl_sock, err, errlen);
}

/* ------------------------------------------------------- engine requests */

/* Send an IPv6 packet the engine built; the kernel adds nothing. */
static void
raw_send(struct parent *p, const uint8_t *pkt, size_t len)
{
	if (proc_raw6_send(p->raw_sock, 0, pkt, len) == 0)
		return;
	if (errno == EINVAL)
		p->cnt[CPC_BAD_REQUEST]++;
	else if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
		p->cnt[CPC_SEND_DROP]++;
	else
		p->cnt[CPC_SEND_FAIL]++;
	log_rl(&p->send_rl, boottime_ms(), LOG_WARNING, "send %zu bytes: %s",
	    len, strerror(errno));
}

static void
engine_request(struct parent *p, uint16_t type, const uint8_t *m, size_t n)
{
	struct cnd_ps_bind b;
	struct in6_addr a;

	switch (type) {
	case PS_SEND:
		raw_send(p, m, n);
		return;
	case PS_BIND_SET:
		if (n != sizeof b)
			break;
		memcpy(&b, m, sizeof b);
		if (cn_plane_bind_set(p->plane, &b.hoa, &b.b) < 0) {
			p->cnt[CPC_BIND_FAIL]++;
			log_rl(&p->req_rl, boottime_ms(), LOG_ERR,
			    "cn_bind map update failed");
		}
		return;
	case PS_BIND_DEL:
		if (n != sizeof a)
			break;
		memcpy(&a, m, sizeof a);
		(void)cn_plane_bind_del(p->plane, &a);
		return;
	case CND_PS_BUS:
		/* bytes the engine encoded; bus_send_raw checks them */
		if (bus_send_raw(p->bus, m, n) < 0)
			p->cnt[CPC_BUS_DROP]++;
		return;
	case PS_RESET_DONE:
	case PS_READY:
		return;
	}
	p->cnt[CPC_BAD_REQUEST]++;
	log_rl(&p->req_rl, boottime_ms(), LOG_ERR,
	    "bad request from the engine (type %u, %zu bytes)", type, n);
}

static void
on_request(void *arg, uint16_t type, const uint8_t *m, size_t n, int fd)
{
	if (fd >= 0)
		close(fd);	/* the engine never passes fds */
	engine_request(arg, type, m, n);
}

static void
on_engine(evutil_socket_t fd, short what, void *arg)
{
	struct parent *p = arg;

	(void)what;
	if (proc_drain(fd, p->buf, sizeof p->buf, 1024, on_request, p) < 0) {
		log_msg(LOG_ERR, "engine process gone; exiting "
		    "(bindings and forwarding stay in place)");
		event_base_loopbreak(p->base);
	}
}

/* ------------------------------------------------------------- ring, ctl */

static void
ring_record(void *arg, const struct m6_sig *sig, const uint8_t *data)
{
	struct parent *p = arg;

	if (ps_send(p->engine_sock, PS_PKT, sig, sizeof *sig, data,
	    sig->caplen, -1) < 0)
		p->cnt[CPC_RING_TO_ENGINE_DROP]++;	/* bounded: never queue */
}

static void
on_ring(evutil_socket_t fd, short what, void *arg)
{
	struct parent *p = arg;

	(void)fd;
	(void)what;
	if (cn_plane_sig_consume(p->plane, ring_record, p) < 0)
		log_rl(&p->req_rl, boottime_ms(), LOG_ERR,
		    "ring buffer: consume failed");
}

static int send_conf(struct parent *);

static int
reload(struct parent *p, char *err, size_t errlen)
{
	struct cnd_conf c;

	if (conf_load(&c, p->conf_path, err, errlen) < 0 ||
	    cnd_conf_check(&c, err, errlen) < 0)
		return -1;
	/* Interfaces, paths and the user take a restart. */
	c.niface = p->conf.niface;
	memcpy(c.iface, p->conf.iface, sizeof c.iface);
	memcpy(c.bus, p->conf.bus, sizeof c.bus);
	memcpy(c.control, p->conf.control, sizeof c.control);
	memcpy(c.state_dir, p->conf.state_dir, sizeof c.state_dir);
	memcpy(c.user, p->conf.user, sizeof c.user);
	p->conf = c;
	if (send_conf(p) < 0) {
		snprintf(err, errlen, "engine: %s", strerror(errno));
		return -1;
	}
	publish_local_addrs(p);
	log_msg(LOG_INFO, "configuration reloaded from %s", p->conf_path);
	return 0;
}

static void
on_ctl(evutil_socket_t lfd, short what, void *arg)
{
	static const char busy[] = "{\"daemon\":\"cnd\",\"error\":\"engine "
	    "busy, try again\"}\n";
	struct parent *p = arg;
	char req[CTL_REQ_MAX], err[300];
	struct cnd_ps_ctl c;
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
		char json[400];
		struct sbuf sb;
		struct jw jw;
		bool ok = reload(p, err, sizeof err) == 0;

		sbuf_init(&sb, json, sizeof json);
		jw_init(&jw, &sb);
		jw_obj_open(&jw, NULL);
		jw_str(&jw, "daemon", "cnd");
		if (ok)
			jw_bool(&jw, "reloaded", true);
		else
			jw_str(&jw, "error", err);
		jw_obj_close(&jw);
		sbuf_putc(&sb, '\n');
		ctl_write_reply(fd, sbuf_str(&sb), sb.len);
		return;
	}
	memset(&c, 0, sizeof c);
	if (strcmp(req, "reset") == 0) {
		cn_plane_counters_zero(p->plane);
		memset(p->cnt, 0, sizeof p->cnt);
	} else {
		cn_plane_counters(p->plane, c.bpf);
		memcpy(c.parent, p->cnt, sizeof c.parent);
	}
	c.bus_connected = bus_connected(p->bus);
	/* The engine answers on fd itself, so no answer is size-limited. */
	if (ps_send(p->engine_sock, PS_CTL, &c, sizeof c, req, strlen(req),
	    fd) < 0)
		ctl_write_reply(fd, busy, sizeof busy - 1);
	else
		close(fd);
}

/* ------------------------------------------------------------- lifecycle */

/* The normalised configuration (always one message: it is small). */
static int
send_conf(struct parent *p)
{
	char text[CND_CONF_TEXT_MAX];
	struct sbuf sb;
	int rc;

	sbuf_init(&sb, text, sizeof text);
	cnd_conf_print(&sb, &p->conf);
	if (sb.trunc) {
		errno = EFBIG;
		return -1;
	}
	while ((rc = ps_send(p->engine_sock, PS_CONF, text, sb.len, NULL, 0,
	    -1)) < 0 && errno == EAGAIN)
		usleep(1000);
	return rc;
}

static int
restore_bind(void *arg, const struct in6_addr *hoa,
    const struct m6_cn_bind *b)
{
	struct parent *p = arg;
	struct cnd_ps_bind m = { .hoa = *hoa, .b = *b };

	/* Blocking is fine here: the loop is not running yet. */
	while (ps_send(p->engine_sock, PS_RESTORE, &m, sizeof m, NULL, 0,
	    -1) < 0 && errno == EAGAIN)
		usleep(1000);
	return 0;
}

/* The configuration, then every binding saved in cn_bind (a restart:
   the Kcn is not saved, a new one is drawn, and the bindings stay
   valid until their lifetimes end). */
static int
start_engine(struct parent *p, char *err, size_t errlen)
{
	if (send_conf(p) < 0) {
		snprintf(err, errlen, "engine: %s", strerror(errno));
		return -1;
	}
	cn_plane_bind_foreach(p->plane, restore_bind, p);
	ps_send(p->engine_sock, PS_RESTORE_DONE, NULL, 0, NULL, 0, -1);
	return 0;
}

static void
on_bus_state(void *arg, bool connected)
{
	(void)arg;
	log_msg(LOG_INFO, "bus %s", connected ? "connected" : "disconnected");
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
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
			if (pid == p->engine_pid) {
				log_msg(LOG_ERR, "engine process exited "
				    "(status %d)", st);
				p->engine_pid = 0;
				event_base_loopbreak(p->base);
			}
		break;
	default:
		log_msg(LOG_INFO, "signal %d: exiting; bindings and "
		    "forwarding stay in place", (int)sig);
		event_base_loopbreak(p->base);
	}
}

static int
run_loop(struct parent *p)
{
	struct event *ev[8];
	int sigs[] = { SIGHUP, SIGTERM, SIGINT, SIGCHLD };
	size_t n = 0;

	ev[n++] = event_new(p->base, p->engine_sock, EV_READ | EV_PERSIST,
	    on_engine, p);
	ev[n++] = event_new(p->base, cn_plane_sig_fd(p->plane),
	    EV_READ | EV_PERSIST, on_ring, p);
	ev[n++] = event_new(p->base, p->ctl_sock, EV_READ | EV_PERSIST,
	    on_ctl, p);
	for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++)
		ev[n++] = evsignal_new(p->base, sigs[k], on_signal, p);
	for (size_t k = 0; k < n; k++)
		if (ev[k] == NULL || event_add(ev[k], NULL) < 0)
			return -1;
	/* Records may have queued while we started. */
	on_ring(-1, 0, p);
	event_base_dispatch(p->base);
	for (size_t k = 0; k < n; k++)
		event_free(ev[k]);
	return 0;
}

static int
check_only(struct parent *p, int verbose)
{
	char err[300], text[CND_CONF_TEXT_MAX];
	struct sbuf sb;

	if (conf_load(&p->conf, p->conf_path, err, sizeof err) < 0 ||
	    cnd_conf_check(&p->conf, err, sizeof err) < 0) {
		fprintf(stderr, "cnd: %s\n", err);
		return 1;
	}
	if (verbose) {
		sbuf_init(&sb, text, sizeof text);
		cnd_conf_print(&sb, &p->conf);
		fputs(sbuf_str(&sb), stdout);
	} else
		fprintf(stderr, "cnd: %s: configuration OK\n", p->conf_path);
	return 0;
}

static int
cleanup(struct parent *p)
{
	char err[300];

	if (conf_load(&p->conf, p->conf_path, err, sizeof err) < 0) {
		fprintf(stderr, "cnd: %s\n", err);
		return 1;
	}
	for (size_t k = 0; k < p->conf.niface; k++) {
		unsigned ifi = if_nametoindex(p->conf.iface[k]);

		if (ifi != 0)
			(void)cn_plane_detach_ifindex(ifi);
	}
	if (cn_plane_unpin(p->conf.state_dir) < 0) {
		fprintf(stderr, "cnd: %s: %s\n", p->conf.state_dir,
		    strerror(errno));
		return 1;
	}
	return 0;
}

/* Everything up to the loop; -1 with err set. */
static int
start(struct parent *p, const struct passwd *pw, char *err, size_t errlen)
{
	if (load_ifaces(p, err, errlen) < 0 ||
	    open_sockets(p, err, errlen) < 0 ||
	    setup_plane(p, err, errlen) < 0 ||
	    (p->engine_pid = proc_fork_child(cnd_engine_main, pw,
	    &p->engine_sock, err, errlen)) < 0 ||
	    start_engine(p, err, errlen) < 0)
		return -1;
	p->base = event_base_new();
	if (p->base == NULL) {
		snprintf(err, errlen, "event_base_new failed");
		return -1;
	}
	p->bus = bus_open(p->base, p->conf.bus, MSOCK_NODE_CN, NULL,
	    on_bus_state, p);
	if (p->bus == NULL) {
		snprintf(err, errlen, "bus %s: %s", p->conf.bus,
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct parent p;
	struct proc_opts o = { .conf_path = DEFAULT_CONF };
	int rc, ready_fd = -1;
	char err[300];
	struct passwd *pw;

	if ((rc = proc_getopt(argc, argv, "cnd", usage, &o)) >= 0)
		return rc;
	p.conf_path = o.conf_path;
	p.raw_sock = p.ctl_sock = p.engine_sock = -1;
	if (o.check)
		return check_only(&p, o.verbose);
	if (o.cleanup)
		return cleanup(&p);
	if (geteuid() != 0) {
		fprintf(stderr, "cnd: must run as root\n");
		return 1;
	}
	if (conf_load(&p.conf, p.conf_path, err, sizeof err) < 0 ||
	    cnd_conf_check(&p.conf, err, sizeof err) < 0) {
		fprintf(stderr, "cnd: %s\n", err);
		return 1;
	}
	if ((pw = getpwnam(p.conf.user)) == NULL) {
		fprintf(stderr, "cnd: user %s: no such user\n", p.conf.user);
		return 1;
	}
	if (!o.foreground)
		ready_fd = daemon_start("cnd");
	/* Until ready, errors go to the caller's stderr. */
	log_init("cnd", true, o.verbose);
	p.send_rl = (struct log_rl)LOG_RL_INIT(5, 20);
	p.req_rl = (struct log_rl)LOG_RL_INIT(5, 20);
	signal(SIGPIPE, SIG_IGN);
	if (start(&p, pw, err, sizeof err) < 0) {
		log_msg(LOG_ERR, "%s", err);
		if (p.engine_pid > 0)
			kill(p.engine_pid, SIGTERM);
		return 1;
	}
	daemon_pidfile_write(p.conf.control);
	if (!o.foreground) {
		daemon_ready(ready_fd);
		log_init("cnd", false, o.verbose);
	}
	log_msg(LOG_INFO, "correspondent node ready on %zu interface(s)",
	    p.conf.niface);
	run_loop(&p);
	bus_close(p.bus);
	if (p.engine_pid > 0) {
		kill(p.engine_pid, SIGTERM);
		waitpid(p.engine_pid, NULL, 0);
	}
	unlink(p.conf.control);
	daemon_pidfile_remove(p.conf.control);
	cn_plane_close(p.plane);
	event_base_free(p.base);
	return 0;
}
