/*
 * stack/cnd/cnd_engine_proc.c - the unprivileged half of cnd: it drops to
 * an unprivileged user, then runs the correspondent engine (cn_engine.c)
 * on what the parent forwards - ring-buffer records, the configuration,
 * saved bindings, control requests - and turns the engine's cn_ops calls
 * into privsep messages for the parent to execute (bus messages are
 * encoded here, so the parent relays bytes it never parses).
 *
 * Every packet from the network is parsed here and nowhere else.
 */
#include <errno.h>
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "packets/msock.h"
#include "packets/sbuf.h"
#include "stack/cnd/cn_engine.h"
#include "stack/cnd/cnd_conf.h"
#include "stack/cnd/cnd_proc.h"
#include "stack/lib/cnplane.h"
#include "stack/lib/ctl_async.h"
#include "stack/lib/daemon.h"
#include "stack/lib/log.h"
#include "stack/lib/privsep.h"
#include "stack/lib/proc.h"

struct eproc {
	struct event_base *base;
	struct event	*sock_ev;
	struct event	*timer_ev;
	int		 sock;
	struct cn_engine *eng;
	uint8_t		 buf[PS_MSG_MAX];
	struct log_rl	 bad_msg_rl;
};

/* Engine -> parent, waiting for room (proc.h). */
static void
to_parent(struct eproc *ep, uint16_t type, const void *a, size_t alen,
    const void *b, size_t blen)
{
	proc_send_wait(ep->sock, "engine", type, a, alen, b, blen);
}

static void
op_send(void *ctx, const uint8_t *pkt, size_t len)
{
	to_parent(ctx, PS_SEND, pkt, len, NULL, 0);
}

static int
op_bind_set(void *ctx, const struct in6_addr *hoa, const struct m6_cn_bind *b)
{
	struct cnd_ps_bind m = { .hoa = *hoa, .b = *b };

	to_parent(ctx, PS_BIND_SET, &m, sizeof m, NULL, 0);
	return 0;
}

static void
op_bind_del(void *ctx, const struct in6_addr *hoa)
{
	to_parent(ctx, PS_BIND_DEL, hoa, sizeof *hoa, NULL, 0);
}

static void
op_bus(void *ctx, const struct msock_msg *m)
{
	uint8_t buf[MSOCK_MAX];
	int n = msock_encode(m, buf, sizeof buf);

	if (n > 0)
		to_parent(ctx, CND_PS_BUS, buf, (size_t)n, NULL, 0);
	else
		log_msg(LOG_ERR, "engine: bus message %u not encodable",
		    m->type);
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
	if (ep->eng != NULL)
		proc_timer_at(ep->timer_ev, cn_engine_next_timeout(ep->eng));
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct eproc *ep = arg;

	(void)fd;
	(void)what;
	cn_engine_timeout(ep->eng, boottime_ms());
	rearm_timer(ep);
}

/* ------------------------------------------------------------ control */

const char *
cnd_parent_counter_name(enum cnd_parent_counter c)
{
	static const char *const names[CPC_MAX] = {
		[CPC_RING_TO_ENGINE_DROP] = "ring_to_engine_dropped",
		[CPC_SEND_DROP] = "send_dropped",
		[CPC_SEND_FAIL] = "send_failed",
		[CPC_BAD_REQUEST] = "bad_engine_requests",
		[CPC_BIND_FAIL] = "bind_map_failed",
		[CPC_BUS_DROP] = "bus_dropped",
	};

	return (unsigned)c < CPC_MAX ? names[c] : "?";
}

static const char *
parent_counter_name(unsigned i)
{
	return cnd_parent_counter_name((enum cnd_parent_counter)i);
}

static void
eng_reset(void *eng)
{
	cn_engine_reset(eng, boottime_ms());
}

static int
eng_request(void *eng, const char *req, struct jw *jw)
{
	return cn_engine_ctl(eng, req, boottime_ms(), jw);
}

/* "status" tells whether the bus is up. */
static void
status_extra(void *arg, struct sbuf *sb)
{
	const struct cnd_ps_ctl *c = arg;

	if (c->status)
		sbuf_printf(sb, ",\"bus\":\"%s\"", c->bus_connected ?
		    "connected" : "disconnected");
}

static void
handle_ctl(struct eproc *ep, const uint8_t *p, size_t len, int fd)
{
	struct cnd_ps_ctl c;
	struct ctl_engine ce;
	char req[512], *answer;
	size_t rlen, alen = 0;

	if (fd < 0 || len < sizeof c || len - sizeof c >= sizeof req) {
		if (fd >= 0)
			close(fd);
		return;
	}
	memcpy(&c, p, sizeof c);
	rlen = len - sizeof c;
	memcpy(req, p + sizeof c, rlen);
	req[rlen] = '\0';
	c.status = strcmp(req, "status") == 0;
	ce = (struct ctl_engine){
		.daemon = "cnd", .eng = ep->eng, .reset = eng_reset,
		.request = eng_request, .bpf = c.bpf, .parent = c.parent,
		.nparent = CPC_MAX, .parent_name = parent_counter_name,
		.extra = status_extra, .extra_arg = &c,
	};
	answer = ctl_engine_answer(&ce, req, &alen);
	if (answer == NULL)
		close(fd);
	else
		(void)ctl_reply_async(ep->base, fd, answer, alen);
	if (strcmp(req, "reset") == 0)
		to_parent(ep, PS_RESET_DONE, NULL, 0, NULL, 0);
}

/* -------------------------------------------------------- messages */

static const struct cn_ops *
engine_ops(struct eproc *ep)
{
	static struct cn_ops ops = {
		.send = op_send, .bind_set = op_bind_set,
		.bind_del = op_bind_del, .bus = op_bus, .log = op_log,
	};

	ops.ctx = ep;
	return &ops;
}

static void
handle_conf(struct eproc *ep, const uint8_t *p, size_t len)
{
	struct cnd_conf c;
	char err[256];

	if (cnd_conf_parse(&c, "parent", (const char *)p, len, err,
	    sizeof err) < 0) {
		/* The parent checked it; a failure here is a bug. */
		log_msg(LOG_ERR, "engine: configuration rejected: %s", err);
		return;
	}
	if (ep->eng != NULL) {
		cn_engine_reconf(ep->eng, &c);
		return;
	}
	ep->eng = cn_engine_new(&c, engine_ops(ep), boottime_ms());
	if (ep->eng == NULL) {
		log_msg(LOG_ERR, "engine: out of memory or no random numbers");
		_exit(1);
	}
	to_parent(ep, PS_READY, NULL, 0, NULL, 0);
}

static void
handle_msg(struct eproc *ep, uint16_t type, const uint8_t *p, size_t len,
    int fd)
{
	struct cnd_ps_bind b;
	struct m6_sig sig;

	switch (type) {
	case PS_PKT:
		if (ep->eng == NULL || len < sizeof sig)
			break;
		memcpy(&sig, p, sizeof sig);
		if (sig.caplen == len - sizeof sig)
			cn_engine_input(ep->eng, &sig, p + sizeof sig,
			    boottime_ms());
		break;
	case PS_CONF:
		handle_conf(ep, p, len);
		break;
	case PS_RESTORE:
		if (ep->eng != NULL && len == sizeof b) {
			memcpy(&b, p, sizeof b);
			cn_engine_restore(ep->eng, &b.hoa, &b.b,
			    boottime_ms());
		}
		break;
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
on_msg(void *arg, uint16_t type, const uint8_t *p, size_t len, int fd)
{
	handle_msg(arg, type, p, len, fd);
}

static void
on_parent(evutil_socket_t sock, short what, void *arg)
{
	struct eproc *ep = arg;

	(void)what;
	/* a bounded batch, then timers */
	if (proc_drain(sock, ep->buf, sizeof ep->buf, 256, on_msg, ep) < 0) {
		if (errno == 0) {
			log_msg(LOG_INFO, "engine: parent closed");
			_exit(0);
		}
		log_msg(LOG_ERR, "engine: %s", strerror(errno));
		_exit(1);
	}
	rearm_timer(ep);
}

void
cnd_engine_main(int sock, const struct passwd *pw)
{
	static struct eproc ep;

	daemon_drop_privileges(pw, "cnd engine");
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
