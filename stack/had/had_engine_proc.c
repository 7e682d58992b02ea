/*
 * stack/had/had_engine_proc.c - the unprivileged half of had: it drops to
 * an unprivileged user, then runs the protocol engine (ha_engine.c) on
 * what the parent forwards - ring-buffer packets, configuration, saved
 * bindings, control requests - and turns the engine's ha_ops calls into
 * privsep messages for the parent to execute.
 *
 * Every packet from the network is parsed here and nowhere else.
 */
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "packets/sbuf.h"
#include "stack/had/ha_engine.h"
#include "stack/had/had_proc.h"
#include "stack/lib/bpfplane.h"
#include "stack/lib/log.h"
#include "stack/lib/privsep.h"
#include "stack/lib/version.h"

/* A control answer being written to its client without blocking. */
struct ctl_out {
	struct event	*ev;
	int		 fd;
	char		*buf;
	size_t		 len, off;
};

struct eproc {
	struct event_base *base;
	struct event	*sock_ev;
	struct event	*timer_ev;
	int		 sock;
	struct ha_engine *eng;
	struct had_conf	 conf;
	bool		 have_conf;
	struct ha_iface	*ifaces;
	size_t		 nifaces;
	uint8_t		 buf[PS_MSG_MAX];
	struct log_rl	 bad_msg_rl;
	char		*conf_text;	/* PS_CONF_PART pieces so far */
	size_t		 conf_len;
};

/*
 * Engine -> parent.  The parent always drains its engine socket, so
 * waiting for room here cannot deadlock, and nothing the engine decided
 * (a binding installed, a BA sent) is silently lost.
 */
static void
to_parent(struct eproc *ep, uint16_t type, const void *a, size_t alen,
    const void *b, size_t blen)
{
	while (ps_send(ep->sock, type, a, alen, b, blen, -1) < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			struct pollfd p = { .fd = ep->sock, .events = POLLOUT };

			(void)poll(&p, 1, 1000);
			continue;
		}
		log_msg(LOG_ERR, "engine: lost parent: %s", strerror(errno));
		_exit(1);
	}
}

static void
op_send(void *ctx, unsigned oif, const uint8_t *pkt, size_t len)
{
	uint32_t o = oif;

	to_parent(ctx, PS_SEND, &o, sizeof o, pkt, len);
}

static void
op_send_l2(void *ctx, unsigned oif, const uint8_t mac[6], const uint8_t *pkt,
    size_t len)
{
	struct ps_send_l2 m = { .ifindex = oif };

	memcpy(m.mac, mac, sizeof m.mac);
	to_parent(ctx, PS_SEND_L2, &m, sizeof m, pkt, len);
}

static int
op_bind_set(void *ctx, const struct in6_addr *hoa, const struct m6_bind *b)
{
	struct ps_bind m = { .hoa = *hoa, .b = *b };

	to_parent(ctx, PS_BIND_SET, &m, sizeof m, NULL, 0);
	return 0;
}

static void
op_bind_del(void *ctx, const struct in6_addr *hoa)
{
	to_parent(ctx, PS_BIND_DEL, hoa, sizeof *hoa, NULL, 0);
}

static int
op_mnp_set(void *ctx, const struct had_prefix *p, const struct in6_addr *hoa)
{
	struct ps_mnp m = { .pfx = *p, .hoa = *hoa };

	to_parent(ctx, PS_MNP_SET, &m, sizeof m, NULL, 0);
	return 0;
}

static void
op_mnp_del(void *ctx, const struct had_prefix *p)
{
	struct ps_mnp m = { .pfx = *p };

	to_parent(ctx, PS_MNP_DEL, &m, sizeof m, NULL, 0);
}

static void
op_ndp_watch(void *ctx, const struct in6_addr *target, uint32_t flags)
{
	struct ps_ndp m = { .target = *target, .flags = flags };

	to_parent(ctx, PS_NDP, &m, sizeof m, NULL, 0);
}

static void
op_log(void *ctx, int prio, const char *msg)
{
	(void)ctx;
	log_msg(prio, "%s", msg);
}

static void
rearm_timer(struct eproc *ep)
{
	uint64_t next, now;
	struct timeval tv;

	if (ep->eng == NULL)
		return;
	next = ha_engine_next_timeout(ep->eng);
	if (next == UINT64_MAX) {
		evtimer_del(ep->timer_ev);
		return;
	}
	now = boottime_ms();
	next = next > now ? next - now : 0;
	tv.tv_sec = (time_t)(next / 1000);
	tv.tv_usec = (suseconds_t)(next % 1000) * 1000;
	evtimer_add(ep->timer_ev, &tv);
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct eproc *ep = arg;

	(void)fd;
	(void)what;
	ha_engine_timeout(ep->eng, boottime_ms());
	rearm_timer(ep);
}

static void
ctl_out_free(struct ctl_out *co)
{
	event_free(co->ev);
	close(co->fd);
	free(co->buf);
	free(co);
}

static void
on_ctl_writable(evutil_socket_t fd, short what, void *arg)
{
	struct ctl_out *co = arg;

	(void)what;
	while (co->off < co->len) {
		ssize_t n = write(fd, co->buf + co->off, co->len - co->off);

		if (n > 0) {
			co->off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;		/* EV_PERSIST: called again */
		break;			/* client went away */
	}
	ctl_out_free(co);
}

/*
 * Render one control answer: {"daemon":"had","version":..., then the
 * members of the engine's object, then "bpf" for counters}.  The buffer
 * grows until the answer fits (a list of a million bindings is hundreds
 * of megabytes).
 */
const char *
parent_counter_name(enum parent_counter c)
{
	static const char *const names[PC_MAX] = {
		[PC_RING_TO_ENGINE_DROP] = "ring_to_engine_dropped",
		[PC_SEND_DROP] = "send_dropped",
		[PC_SEND_FAIL] = "send_failed",
		[PC_BAD_REQUEST] = "bad_engine_requests",
	};

	return (unsigned)c < PC_MAX ? names[c] : "?";
}

static bool
render_into(struct eproc *ep, const char *req, const struct ps_ctl *c,
    struct sbuf *sb, struct sbuf *isb)
{
	struct jw jw;

	jw_init(&jw, isb);
	if (ep->eng == NULL) {
		jw_obj_open(&jw, NULL);
		jw_str(&jw, "error", "engine not configured yet");
		jw_obj_close(&jw);
	} else if (strcmp(req, "reset") == 0) {
		ha_engine_reset(ep->eng, boottime_ms());
		jw_obj_open(&jw, NULL);
		jw_bool(&jw, "reset", true);
		jw_obj_close(&jw);
	} else
		(void)ha_engine_ctl(ep->eng, req, boottime_ms(), &jw);
	if (isb->trunc || isb->len < 2)
		return false;
	sbuf_puts(sb, "{\"daemon\":\"had\",\"version\":\""
	    MIP6KIT_VERSION "\"");
	if (isb->len > 2) {
		sbuf_putc(sb, ',');
		sbuf_putn(sb, isb->buf + 1, isb->len - 2);
	}
	if (strcmp(req, "counters") == 0) {
		sbuf_puts(sb, ",\"bpf\":");
		jw_init(&jw, sb);
		jw_obj_open(&jw, NULL);
		for (int i = 0; i < M6C_MAX; i++)
			jw_uint(&jw, m6_counter_name(i), c->bpf[i]);
		jw_obj_close(&jw);
		sbuf_puts(sb, ",\"parent\":");
		jw_init(&jw, sb);
		jw_obj_open(&jw, NULL);
		for (int i = 0; i < PC_MAX; i++)
			jw_uint(&jw, parent_counter_name(i), c->parent[i]);
		jw_obj_close(&jw);
	}
	sbuf_puts(sb, "}\n");
	return !sb->trunc;
}

static char *
render_ctl(struct eproc *ep, const char *req, const struct ps_ctl *c,
    size_t *lenp)
{
	for (size_t cap = 64 * 1024; cap <= (512u << 20); cap *= 4) {
		char *buf = malloc(cap), *ibuf = malloc(cap);
		struct sbuf sb, isb;
		bool ok;

		if (buf == NULL || ibuf == NULL) {
			free(buf);
			free(ibuf);
			return NULL;
		}
		sbuf_init(&sb, buf, cap);
		sbuf_init(&isb, ibuf, cap);
		ok = render_into(ep, req, c, &sb, &isb);
		free(ibuf);
		if (ok) {
			*lenp = sb.len;
			return buf;
		}
		free(buf);
		if (strcmp(req, "reset") == 0)
			return NULL;	/* never run a reset twice */
	}
	return NULL;
}

static void
handle_ctl(struct eproc *ep, const uint8_t *p, size_t len, int fd)
{
	struct ps_ctl c;
	char req[512];
	struct ctl_out *co;
	size_t rlen;

	if (fd < 0 || len < sizeof c || len - sizeof c >= sizeof req) {
		if (fd >= 0)
			close(fd);
		return;
	}
	memcpy(&c, p, sizeof c);
	rlen = len - sizeof c;
	memcpy(req, p + sizeof c, rlen);
	req[rlen] = '\0';
	co = calloc(1, sizeof *co);
	if (co == NULL) {
		close(fd);
		return;
	}
	co->fd = fd;
	co->buf = render_ctl(ep, req, &c, &co->len);
	if (co->buf == NULL) {
		static const char oom[] = "{\"error\":\"out of memory\"}\n";

		co->buf = strdup(oom);
		co->len = co->buf != NULL ? strlen(oom) : 0;
	}
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	co->ev = event_new(ep->base, fd, EV_WRITE | EV_PERSIST,
	    on_ctl_writable, co);
	if (co->ev == NULL) {
		close(fd);
		free(co->buf);
		free(co);
		return;
	}
	event_add(co->ev, NULL);
	if (strcmp(req, "reset") == 0)
		to_parent(ep, PS_RESET_DONE, NULL, 0, NULL, 0);
}

static const struct ha_ops *
engine_ops(struct eproc *ep)
{
	static struct ha_ops ops = {
		.send = op_send, .send_l2 = op_send_l2,
		.bind_set = op_bind_set,
		.bind_del = op_bind_del, .mnp_set = op_mnp_set,
		.mnp_del = op_mnp_del, .ndp_watch = op_ndp_watch,
		.log = op_log,
	};

	ops.ctx = ep;
	return &ops;
}

/* Collect a piece of a configuration text (bounded: 64 MiB). */
static int
conf_append(struct eproc *ep, const uint8_t *p, size_t len)
{
	char *n;

	if (ep->conf_len + len > (64u << 20))
		return -1;
	n = realloc(ep->conf_text, ep->conf_len + len + 1);
	if (n == NULL)
		return -1;
	memcpy(n + ep->conf_len, p, len);
	ep->conf_text = n;
	ep->conf_len += len;
	return 0;
}

static void
handle_conf(struct eproc *ep, const uint8_t *p, size_t len)
{
	struct had_conf c;
	char err[256];
	int rc;

	if (conf_append(ep, p, len) < 0) {
		log_msg(LOG_ERR, "engine: configuration too large");
		free(ep->conf_text);
		ep->conf_text = NULL;
		ep->conf_len = 0;
		return;
	}
	rc = had_conf_parse(&c, "parent", ep->conf_text, ep->conf_len, err,
	    sizeof err);
	free(ep->conf_text);
	ep->conf_text = NULL;
	ep->conf_len = 0;
	if (rc < 0) {
		/* The parent checked it; a failure here is a bug. */
		log_msg(LOG_ERR, "engine: configuration rejected: %s", err);
		return;
	}
	if (ep->eng == NULL) {
		ep->eng = ha_engine_new(&c, engine_ops(ep), boottime_ms());
		if (ep->eng == NULL) {
			log_msg(LOG_ERR, "engine: out of memory");
			_exit(1);
		}
		if (ep->nifaces > 0)
			ha_engine_set_ifaces(ep->eng, ep->ifaces, ep->nifaces);
		to_parent(ep, PS_READY, NULL, 0, NULL, 0);
	} else if (ha_engine_reconf(ep->eng, &c) < 0)
		log_msg(LOG_ERR, "engine: new configuration not applied");
	if (ep->have_conf)
		had_conf_free(&ep->conf);
	ep->conf = c;
	ep->have_conf = true;
}

static void
handle_ifaces(struct eproc *ep, const uint8_t *p, size_t len)
{
	size_t n = len / sizeof(struct ha_iface);
	struct ha_iface *v;

	if (len % sizeof(struct ha_iface) != 0)
		return;
	v = calloc(n ? n : 1, sizeof *v);
	if (v == NULL)
		return;
	memcpy(v, p, n * sizeof *v);
	free(ep->ifaces);
	ep->ifaces = v;
	ep->nifaces = n;
	if (ep->eng != NULL)
		ha_engine_set_ifaces(ep->eng, v, n);
}

static void
handle_msg(struct eproc *ep, uint16_t type, const uint8_t *p, size_t len,
    int fd)
{
	switch (type) {
	case PS_PKT: {
		struct m6_sig sig;
		struct ha_input in = { .sig = &sig };

		if (ep->eng == NULL || len < sizeof sig)
			break;
		memcpy(&sig, p, sizeof sig);
		if (sig.caplen != len - sizeof sig)
			break;
		in.data = p + sizeof sig;
		ha_engine_input(ep->eng, &in, boottime_ms());
		break;
	}
	case PS_IFACES:
		handle_ifaces(ep, p, len);
		break;
	case PS_CONF_PART:
		if (conf_append(ep, p, len) < 0)
			log_msg(LOG_ERR, "engine: configuration too large");
		break;
	case PS_CONF:
		handle_conf(ep, p, len);
		break;
	case PS_RESTORE: {
		struct ps_bind m;

		if (ep->eng != NULL && len == sizeof m) {
			memcpy(&m, p, sizeof m);
			ha_engine_restore(ep->eng, &m.hoa, &m.b,
			    boottime_ms());
		}
		break;
	}
	case PS_RESTORE_MNP: {
		struct ps_mnp m;

		if (ep->eng != NULL && len == sizeof m) {
			memcpy(&m, p, sizeof m);
			ha_engine_restore_mnp(ep->eng, &m.pfx, &m.hoa);
		}
		break;
	}
	case PS_RESTORE_DONE:
		break;
	case PS_CTL:
		handle_ctl(ep, p, len, fd);
		fd = -1;
		break;
	default:
		log_rl(&ep->bad_msg_rl, boottime_ms(), LOG_WARNING,
		    "engine: unknown message type %u from parent", type);
	}
	if (fd >= 0)
		close(fd);
}

static void
on_parent(evutil_socket_t sock, short what, void *arg)
{
	struct eproc *ep = arg;

	(void)what;
	for (int i = 0; i < 256; i++) {	/* bounded batch, then timers */
		uint16_t type;
		int fd;
		ssize_t n = ps_recv(sock, &type, ep->buf, sizeof ep->buf, &fd);

		if (n < 0) {
			if (errno == 0) {
				log_msg(LOG_INFO, "engine: parent closed");
				_exit(0);
			}
			if (errno == EBADMSG)
				continue;
			log_msg(LOG_ERR, "engine: %s", strerror(errno));
			_exit(1);
		}
		if (type == 0)
			break;
		handle_msg(ep, type, ep->buf, (size_t)n, fd);
	}
	rearm_timer(ep);
}

/* Drop to pw for good: groups, gid, uid, and no way back (execve of a
   set-uid program included). */
static void
drop_privileges(const struct passwd *pw)
{
	if (chdir("/") < 0 ||
	    setgroups(1, &pw->pw_gid) < 0 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		log_msg(LOG_ERR, "engine: cannot drop privileges to %s: %s",
		    pw->pw_name, strerror(errno));
		_exit(1);
	}
	if (pw->pw_uid != 0 && setuid(0) == 0) {
		log_msg(LOG_ERR, "engine: could regain root; refusing to run");
		_exit(1);
	}
}

void
had_engine_main(int sock, const struct passwd *pw)
{
	static struct eproc ep;

	drop_privileges(pw);
	ep.sock = sock;
	ep.bad_msg_rl = (struct log_rl)LOG_RL_INIT(1, 5);
	ep.base = event_base_new();
	if (ep.base == NULL)
		_exit(1);
	ep.sock_ev = event_new(ep.base, sock, EV_READ | EV_PERSIST,
	    on_parent, &ep);
	ep.timer_ev = evtimer_new(ep.base, on_timer, &ep);
	if (ep.sock_ev == NULL || ep.timer_ev == NULL)
		_exit(1);
	event_add(ep.sock_ev, NULL);
	event_base_dispatch(ep.base);
	_exit(0);
}
