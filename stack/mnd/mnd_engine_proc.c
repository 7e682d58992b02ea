/*
 * stack/mnd/mnd_engine_proc.c - the unprivileged half of mnd: it drops to
 * an unprivileged user, then runs the mobile node engine (mn_engine.c) on
 * what the parent forwards - ring-buffer packets, bus messages (decoded
 * here, not in the parent), configuration, saved records, control
 * requests - and turns the engine's mn_ops calls into privsep messages
 * for the parent to execute.
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
#include "stack/lib/ctl.h"
#include "stack/lib/ctl_async.h"
#include "stack/lib/daemon.h"
#include "stack/lib/log.h"
#include "stack/lib/mnplane.h"
#include "stack/lib/privsep.h"
#include "stack/lib/proc.h"
#include "stack/mnd/mn_engine.h"
#include "stack/mnd/mnd_proc.h"

#define MSGS_PER_CALLBACK	256
#define CONF_TEXT_MAX		(1u << 20)

struct eproc {
	struct event_base *base;
	struct event	*sock_ev;
	struct event	*timer_ev;
	int		 sock;
	struct mn_engine *eng;
	struct mn_iface	 ifaces[MND_IFACE_MAX];
	size_t		 nifaces;
	struct ps_rx	 rx;
	struct log_rl	 bad_msg_rl;
	struct proc_text conf_text;	/* PS_CONF_PART pieces so far */
};

const char *
mnd_parent_counter_name(enum mnd_parent_counter c)
{
	static const char *const names[MND_PC_MAX] = {
		[MND_PC_RING_TO_ENGINE_DROP] = "ring_to_engine_dropped",
		[MND_PC_SEND_FAIL] = "send_failed",
		[MND_PC_BAD_REQUEST] = "bad_engine_requests",
		[MND_PC_BUS_DROP] = "bus_dropped",
		[MND_PC_MAP_FAIL] = "map_or_address_failed",
	};

	return (unsigned)c < MND_PC_MAX ? names[c] : "?";
}

/* ----------------------------------------------------- to the parent */

/* Waits for room: the parent always drains its side (proc.h). */
static void
parent_queue(struct eproc *ep, uint16_t type, const void *a, size_t alen,
    const void *b, size_t blen)
{
	proc_send_wait(ep->sock, "engine", type, a, alen, b, blen);
}

static void
op_send(void *ctx, unsigned oif, const uint8_t *pkt, size_t len)
{
	uint32_t o = oif;

	parent_queue(ctx, PS_SEND, &o, sizeof(o), pkt, len);
}

static int
op_hoa_set(void *ctx, const struct in6_addr *hoa, const struct m6_mn_hoa *r)
{
	struct mnd_ps_hoa m = { .hoa = *hoa, .r = *r };

	parent_queue(ctx, MND_PS_HOA_SET, &m, sizeof(m), NULL, 0);
	return 0;
}

static int
op_ro_set(void *ctx, const struct m6_ro_key *k, const struct m6_mn_ro *r)
{
	struct mnd_ps_ro m = { .k = *k, .r = *r };

	parent_queue(ctx, MND_PS_RO_SET, &m, sizeof(m), NULL, 0);
	return 0;
}

static void
op_ro_del(void *ctx, const struct m6_ro_key *k)
{
	parent_queue(ctx, MND_PS_RO_DEL, k, sizeof(*k), NULL, 0);
}

static int
op_mnp_set(void *ctx, const struct mnd_prefix *p, const struct in6_addr *hoa)
{
	struct mnd_ps_mnp m = { .pfx = *p, .hoa = *hoa };

	parent_queue(ctx, PS_MNP_SET, &m, sizeof(m), NULL, 0);
	return 0;
}

static void
op_mnp_del(void *ctx, const struct mnd_prefix *p)
{
	struct mnd_ps_mnp m = { .pfx = *p };

	parent_queue(ctx, PS_MNP_DEL, &m, sizeof(m), NULL, 0);
}

static void
op_bus(void *ctx, const struct msock_msg *msg)
{
	uint8_t buf[MSOCK_MAX];
	int n = msock_encode(msg, buf, sizeof(buf));

	if (n < 0) {
		log_msg(LOG_ERR, "engine: cannot encode a %s bus message",
		    msock_type_name(msg->type));
		return;
	}
	parent_queue(ctx, MND_PS_BUS, buf, (size_t)n, NULL, 0);
}

static void
op_place_hoa(void *ctx, const struct in6_addr *hoa, uint8_t plen,
    unsigned ifindex)
{
	struct mnd_ps_place m = { .hoa = *hoa, .ifindex = ifindex,
	    .plen = plen };

	parent_queue(ctx, MND_PS_PLACE_HOA, &m, sizeof(m), NULL, 0);
}

static void
hoa4_queue(void *ctx, uint16_t type, const struct in6_addr *hoa,
    const struct in_addr *addr, uint8_t plen, unsigned ifindex, bool on)
{
	struct mnd_ps_hoa4 m = { .hoa = *hoa, .addr = *addr,
	    .coa_ifindex = ifindex, .plen = plen, .on = on };

	parent_queue(ctx, type, &m, sizeof(m), NULL, 0);
}

static void
op_hoa4(void *ctx, const struct in6_addr *hoa, const struct in_addr *addr,
    uint8_t plen, unsigned coa_ifindex, bool on)
{
	hoa4_queue(ctx, MND_PS_HOA4, hoa, addr, plen, coa_ifindex, on);
}

static void
op_place_hoa4(void *ctx, const struct in6_addr *hoa,
    const struct in_addr *addr, uint8_t plen, unsigned home_ifindex)
{
	hoa4_queue(ctx, MND_PS_PLACE_HOA4, hoa, addr, plen, home_ifindex,
	    true);
}

static void
op_send_udp4(void *ctx, unsigned oif, const struct in_addr *src,
    uint16_t sport, const struct in_addr *dst, const uint8_t *pkt,
    size_t len)
{
	struct mnd_ps_udp4 m = { .src = *src, .dst = *dst, .oif = oif,
	    .sport = sport };

	parent_queue(ctx, MND_PS_SEND_UDP4, &m, sizeof(m), pkt, len);
}

static void
op_log(void *ctx, int prio, const char *msg)
{
	(void)ctx;
	log_msg(prio, "%s", msg);
}

/* --------------------------------------------------------- timers */

static void
rearm_timer(struct eproc *ep)
{
	proc_timer_at(ep->timer_ev, ep->eng != NULL ?
	    mn_engine_next_timeout(ep->eng) : UINT64_MAX);
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct eproc *ep = arg;

	(void)fd;
	(void)what;
	mn_engine_timeout(ep->eng, boottime_ms());
	rearm_timer(ep);
}

/* -------------------------------------------------------- control */

static void
ctl_reset(void *eng)
{
	mn_engine_reset(eng, boottime_ms());
}

static int
ctl_request(void *eng, const char *req, struct jw *jw)
{
	return mn_engine_ctl(eng, req, boottime_ms(), jw);
}

static const char *
parent_name(unsigned i)
{
	return mnd_parent_counter_name((enum mnd_parent_counter)i);
}

/* "status" also tells whether the parent is connected to the bus. */
struct ctl_ctx {
	const char	*req;
	bool		 bus;
};

static void
ctl_extra(void *arg, struct sbuf *sb)
{
	const struct ctl_ctx *x = arg;

	if (strcmp(x->req, "status") == 0)
		sbuf_printf(sb, ",\"bus\":\"%s\"", x->bus ? "connected" :
		    "disconnected");
}

static void
handle_ctl(struct eproc *ep, const uint8_t *p, size_t len, int fd)
{
	struct mnd_ps_ctl c;
	char req[CTL_REQ_MAX], *buf;
	struct ctl_ctx x = { .req = req };
	struct ctl_engine ce = {
		.daemon = "mnd", .eng = ep->eng, .reset = ctl_reset,
		.request = ctl_request, .bpf = c.bpf, .parent = c.parent,
		.nparent = MND_PC_MAX, .parent_name = parent_name,
		.extra = ctl_extra, .extra_arg = &x,
	};
	size_t rlen, blen = 0;

	if (fd < 0 || len < sizeof(c) || len - sizeof(c) >= sizeof(req)) {
		if (fd >= 0)
			close(fd);
		return;
	}
	memcpy(&c, p, sizeof(c));
	rlen = len - sizeof(c);
	memcpy(req, p + sizeof(c), rlen);
	req[rlen] = '\0';
	x.bus = c.bus_connected != 0;
	if ((buf = ctl_engine_answer(&ce, req, &blen)) == NULL) {
		close(fd);
		return;
	}
	(void)ctl_reply_async(ep->base, fd, buf, blen);
	if (strcmp(req, "reset") == 0)
		parent_queue(ep, PS_RESET_DONE, NULL, 0, NULL, 0);
}

/* ---------------------------------------------------- configuration */

static const struct mn_ops *
engine_ops(struct eproc *ep)
{
	static struct mn_ops ops = {
		.send = op_send, .hoa_set = op_hoa_set, .ro_set = op_ro_set,
		.ro_del = op_ro_del, .mnp_set = op_mnp_set,
		.mnp_del = op_mnp_del, .bus = op_bus,
		.place_hoa = op_place_hoa, .log = op_log,
		.hoa4 = op_hoa4, .place_hoa4 = op_place_hoa4,
		.send_udp4 = op_send_udp4,
	};

	ops.ctx = ep;
	return &ops;
}

static void
handle_conf(struct eproc *ep, const uint8_t *p, size_t len, bool last)
{
	struct mnd_conf c;
	char err[256];
	int rc;

	if (proc_text_add(&ep->conf_text, p, len, CONF_TEXT_MAX) < 0) {
		log_msg(LOG_ERR, "engine: configuration too large");
		_exit(1);
	}
	if (!last)
		return;
	rc = mnd_conf_parse(&c, "parent", ep->conf_text.buf,
	    ep->conf_text.len, err, sizeof(err));
	proc_text_clear(&ep->conf_text);
	if (rc < 0) {	/* the parent checked it */
		log_msg(LOG_ERR, "engine: configuration not applied: %s",
		    err);
		return;
	}
	if (ep->eng != NULL) {	/* a reload */
		mn_engine_reconf(ep->eng, &c, boottime_ms());
		rearm_timer(ep);
		return;
	}
	if ((ep->eng = mn_engine_new(&c, engine_ops(ep), boottime_ms())) ==
	    NULL) {
		log_msg(LOG_ERR, "engine: out of memory");
		_exit(1);
	}
	mn_engine_set_ifaces(ep->eng, ep->ifaces, ep->nifaces);
}

static void
handle_ifaces(struct eproc *ep, const uint8_t *p, size_t len)
{
	if (len % sizeof(struct mn_iface) != 0 ||
	    len / sizeof(struct mn_iface) > MND_IFACE_MAX)
		return;
	memcpy(ep->ifaces, p, len);
	ep->nifaces = len / sizeof(struct mn_iface);
	if (ep->eng != NULL)
		mn_engine_set_ifaces(ep->eng, ep->ifaces, ep->nifaces);
}

/* ------------------------------------------------------ from parent */

static void
handle_pkt(struct eproc *ep, const uint8_t *p, size_t len, uint64_t now)
{
	struct m6_sig sig;
	struct mn_input in = { .sig = &sig };

	if (ep->eng == NULL || len < sizeof(sig))
		return;
	memcpy(&sig, p, sizeof(sig));
	if (sig.caplen != len - sizeof(sig))
		return;
	in.data = p + sizeof(sig);
	mn_engine_input(ep->eng, &in, now);
}

static void
handle_bus(struct eproc *ep, const uint8_t *p, size_t len, uint64_t now)
{
	struct msock_msg m;
	enum msock_err rc;

	if (ep->eng == NULL)
		return;
	if ((rc = msock_decode(p, len, &m)) != MSOCK_OK) {
		log_rl(&ep->bad_msg_rl, now, LOG_WARNING,
		    "engine: bus message dropped: %s", msock_err_str(rc));
		return;
	}
	mn_engine_bus(ep->eng, &m, now);
}

static void
handle_restore(struct eproc *ep, uint16_t type, const uint8_t *p,
    size_t len, uint64_t now)
{
	struct mnd_ps_hoa h;
	struct mnd_ps_ro r;

	if (ep->eng == NULL)
		return;
	if (type == MND_PS_RESTORE_HOA && len == sizeof(h)) {
		memcpy(&h, p, sizeof(h));
		mn_engine_restore_hoa(ep->eng, &h.hoa, &h.r, now);
	} else if (type == MND_PS_RESTORE_RO && len == sizeof(r)) {
		memcpy(&r, p, sizeof(r));
		mn_engine_restore_ro(ep->eng, &r.k, &r.r, now);
	}
}

static void
handle_msg(struct eproc *ep, const struct ps_msg *m, int fd, uint64_t now)
{
	switch (m->type) {
	case PS_PKT:
		handle_pkt(ep, m->data, m->len, now);
		break;
	case MND_PS_BUS:
		handle_bus(ep, m->data, m->len, now);
		break;
	case PS_IFACES:
		handle_ifaces(ep, m->data, m->len);
		break;
	case PS_CONF_PART:
	case PS_CONF:
		handle_conf(ep, m->data, m->len, m->type == PS_CONF);
		break;
	case MND_PS_RESTORE_HOA:
	case MND_PS_RESTORE_RO:
		handle_restore(ep, m->type, m->data, m->len, now);
		break;
	case PS_RESTORE_DONE:
		if (ep->eng != NULL)
			parent_queue(ep, PS_READY, NULL, 0, NULL, 0);
		break;
	case PS_CTL:
		handle_ctl(ep, m->data, m->len, fd);
		return;
	default:
		log_rl(&ep->bad_msg_rl, now, LOG_WARNING,
		    "engine: unknown message type %u from parent", m->type);
	}
	if (fd >= 0)
		close(fd);
}

static void
on_parent(evutil_socket_t sock, short what, void *arg)
{
	struct eproc *ep = arg;
	size_t done = 0, off;
	struct ps_msg m;
	int n, i, r, fd;

	(void)what;
	while (done < MSGS_PER_CALLBACK) {
		uint64_t now = boottime_ms();

		if ((n = ps_rx_recv(sock, &ep->rx)) < 0) {
			log_msg(errno == 0 ? LOG_INFO : LOG_ERR,
			    "engine: parent gone");
			_exit(errno == 0 ? 0 : 1);
		}
		for (i = 0; i < n; i++) {
			fd = ep->rx.fd[i];	/* with the first message */
			off = 0;
			while ((r = ps_next(ep->rx.buf[i], ep->rx.len[i], &off,
			    &m)) > 0) {
				handle_msg(ep, &m, fd, now);
				fd = -1;
				done++;
			}
			if (fd >= 0)
				close(fd);
			if (r < 0)
				log_rl(&ep->bad_msg_rl, now, LOG_WARNING,
				    "engine: malformed message from parent");
		}
		if (n + ep->rx.truncated < PS_RX_DGRAMS)
			break;
	}
	rearm_timer(ep);
}

void
mnd_engine_main(int sock, const struct passwd *pw)
{
	static struct eproc ep;

	daemon_drop_privileges(pw, "engine");
	ep.sock = sock;
	ep.bad_msg_rl = (struct log_rl)LOG_RL_INIT(1, 5);
	if ((ep.base = event_base_new()) == NULL)
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
