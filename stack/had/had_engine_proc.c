/*
 * stack/had/had_engine_proc.c - the unprivileged half of had: it drops to
 * an unprivileged user, then runs the protocol engine (ha_engine.c) on
 * what the parent forwards - configuration, saved bindings, control
 * requests - and on the signaling ring, which it reads itself (the parent
 * passes the ring map's fd).  It sends its replies itself on the packet
 * socket the parent passes, and turns the engine's other ha_ops calls
 * (map updates, routed sends) into privsep messages for the parent.  A
 * lone BU thus costs one wake-up before its BA leaves.
 *
 * Every packet from the network is parsed here and nowhere else.
 */
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "packets/sbuf.h"
#include "stack/had/ha_engine.h"
#include "stack/had/had_l2q.h"
#include "stack/had/had_proc.h"
#include "stack/lib/bpfplane.h"
#include "stack/lib/ctl_async.h"
#include "stack/lib/daemon.h"
#include "stack/lib/log.h"
#include "stack/lib/privsep.h"
#include "stack/lib/proc.h"
#include "stack/lib/version.h"

/* Messages from the parent handled per readiness before timers run. */
#define MSGS_PER_CALLBACK	256

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
	struct ps_rx	 rx;		/* from the parent */
	struct ps_batch	 out;		/* to the parent: flushed at the end
					   of every round */
	struct l2q	 tx;		/* the replies we send ourselves */
	bool		 ordered;	/* this round asked for a map update
					   that its later frames must follow */
	uint64_t	 cnt[PC_MAX];	/* our sends' drops and failures,
					   shown with the parent's */
	struct event	*arp_ev;	/* the home link's ARP (RFC 5555) */
	struct m6_sig_reader *ring;	/* the signaling ring */
	struct event	*ring_ev;
	int		 ring_map;	/* its fd, until the restore is done */
	uint64_t	 ring_now;	/* the clock of this ring round */
	struct log_rl	 bad_msg_rl;
	struct proc_text conf_text;	/* PS_CONF_PART pieces so far */
};

/*
 * Engine -> parent, in one datagram per callback (or per full batch).
 * The parent always drains its engine socket, so waiting for room here
 * cannot deadlock, and nothing the engine decided (a binding installed,
 * a BA sent) is silently lost.
 */
static void __attribute__((noreturn))
lost_parent(void)
{
	log_msg(LOG_ERR, "engine: lost parent: %s", strerror(errno));
	_exit(1);
}

static void
flush_to_parent(struct eproc *ep)
{
	if (ps_batch_flush_wait(&ep->out) < 0)
		lost_parent();
}

static void
to_parent(struct eproc *ep, uint16_t type, const void *a, size_t alen,
    const void *b, size_t blen)
{
	if (ps_batch_add_wait(&ep->out, type, a, alen, b, blen) == 0)
		return;
	if (errno != EMSGSIZE)
		lost_parent();
	/* Our own bug (a packet larger than a message): drop it. */
	log_rl(&ep->bad_msg_rl, boottime_ms(), LOG_ERR,
	    "engine: message type %u of %zu bytes: %s", type, alen + blen,
	    strerror(errno));
}

/*
 * The end of a round (one readiness callback or timer): the map updates
 * go to the parent first, then our own frames leave (a BA a few
 * microseconds before the parent writes its binding: DESIGN.md,
 * privilege separation).
 */
static void
round_end(struct eproc *ep)
{
	flush_to_parent(ep);
	l2q_flush(&ep->tx);
	ep->ordered = false;
}

/*
 * A map update whose effect must be in place before the peer hears from
 * us (proxy ND and prefixes of a first registration, a removal): from
 * here to the end of the round, frames go through the parent, which
 * sends them after applying the update.  What was asked before leaves
 * now, so the frames keep their order.
 */
static void
order_after_maps(struct eproc *ep)
{
	if (ep->ordered)
		return;
	round_end(ep);
	ep->ordered = true;
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
	struct eproc *ep = ctx;
	struct ps_send_l2 m = { .ifindex = oif };

	if (!ep->ordered && ep->tx.sock >= 0) {
		if (l2q_add(&ep->tx, oif, mac, pkt, len) < 0)
			log_rl(&ep->bad_msg_rl, boottime_ms(), LOG_ERR,
			    "engine: frame of %zu bytes: %s", len,
			    strerror(errno));
		return;
	}
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
	order_after_maps(ctx);
	to_parent(ctx, PS_BIND_DEL, hoa, sizeof *hoa, NULL, 0);
}

static int
op_mnp_set(void *ctx, const struct had_prefix *p, const struct in6_addr *hoa)
{
	struct ps_mnp m = { .pfx = *p, .hoa = *hoa };

	order_after_maps(ctx);
	to_parent(ctx, PS_MNP_SET, &m, sizeof m, NULL, 0);
	return 0;
}

static void
op_mnp_del(void *ctx, const struct had_prefix *p)
{
	struct ps_mnp m = { .pfx = *p };

	order_after_maps(ctx);
	to_parent(ctx, PS_MNP_DEL, &m, sizeof m, NULL, 0);
}

static int
op_bind4_set(void *ctx, const struct in_addr *pfx, unsigned plen,
    const struct in6_addr *hoa)
{
	struct ps_bind4 m = { .pfx = *pfx, .plen = plen, .hoa = *hoa };

	to_parent(ctx, PS_HAD_BIND4_SET, &m, sizeof m, NULL, 0);
	return 0;
}

static void
op_bind4_del(void *ctx, const struct in_addr *pfx, unsigned plen)
{
	struct ps_bind4 m = { .pfx = *pfx, .plen = plen };

	order_after_maps(ctx);
	to_parent(ctx, PS_HAD_BIND4_DEL, &m, sizeof m, NULL, 0);
}

static void
op_ndp_watch(void *ctx, const struct in6_addr *target, uint32_t flags)
{
	struct ps_ndp m = { .target = *target, .flags = flags };

	order_after_maps(ctx);
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
	proc_timer_at(ep->timer_ev, ep->eng != NULL ?
	    ha_engine_next_timeout(ep->eng) : UINT64_MAX);
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct eproc *ep = arg;

	(void)fd;
	(void)what;
	ha_engine_timeout(ep->eng, boottime_ms());
	round_end(ep);
	rearm_timer(ep);
}

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

static const char *
pc_name(unsigned i)
{
	return parent_counter_name((enum parent_counter)i);
}

static void
eng_reset(void *eng)
{
	ha_engine_reset(eng, boottime_ms());
}

static int
eng_request(void *eng, const char *req, struct jw *jw)
{
	return ha_engine_ctl(eng, req, boottime_ms(), jw);
}

static void
handle_ctl(struct eproc *ep, const uint8_t *p, size_t len, int fd)
{
	struct ps_ctl c;
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
	/* Our sends count as the parent's did. */
	if (strcmp(req, "reset") == 0)
		memset(ep->cnt, 0, sizeof ep->cnt);
	for (size_t i = 0; i < PC_MAX; i++)
		c.parent[i] += ep->cnt[i];
	/* The answer grows until it fits (a list of a million bindings
	   is hundreds of megabytes). */
	ce = (struct ctl_engine){
		.daemon = "had", .eng = ep->eng, .reset = eng_reset,
		.request = eng_request, .bpf = c.bpf, .parent = c.parent,
		.nparent = PC_MAX, .parent_name = pc_name,
	};
	answer = ctl_engine_answer(&ce, req, &alen);
	if (answer == NULL)
		close(fd);
	else
		(void)ctl_reply_async(ep->base, fd, answer, alen);
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
		.bind4_set = op_bind4_set, .bind4_del = op_bind4_del,
		.log = op_log,
	};

	ops.ctx = ep;
	return &ops;
}

/* The configuration text collected is bounded. */
#define CONF_TEXT_MAX	(64u << 20)

static void
handle_conf(struct eproc *ep, const uint8_t *p, size_t len)
{
	struct had_conf c;
	char err[256];
	int rc;

	if (proc_text_add(&ep->conf_text, p, len, CONF_TEXT_MAX) < 0) {
		log_msg(LOG_ERR, "engine: configuration too large");
		return;
	}
	rc = had_conf_parse(&c, "parent", ep->conf_text.buf,
	    ep->conf_text.len, err, sizeof err);
	proc_text_clear(&ep->conf_text);
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

/* One ring record (its caplen checked by the reader). */
static void
ring_record(void *arg, const struct m6_sig *sig, const uint8_t *data)
{
	struct eproc *ep = arg;
	struct ha_input in = { .sig = sig, .data = data };

	ha_engine_input(ep->eng, &in, ep->ring_now);
}

static void
on_ring(evutil_socket_t fd, short what, void *arg)
{
	struct eproc *ep = arg;

	(void)fd;
	(void)what;
	/* One clock read per round, not per packet. */
	ep->ring_now = boottime_ms();
	if (m6_sig_reader_consume(ep->ring, ring_record, ep) < 0)
		log_rl(&ep->bad_msg_rl, ep->ring_now, LOG_ERR,
		    "engine: ring buffer: consume failed");
	/* The answers at once: a lone BU waits for nothing. */
	round_end(ep);
	rearm_timer(ep);
}

/* ARP frames of the home link: proxy ARP for bound IPv4 home addresses
   (what we send ourselves comes back as outgoing: skipped). */
#define ARP_PER_CALLBACK	64

static void
on_arp(evutil_socket_t fd, short what, void *arg)
{
	struct eproc *ep = arg;
	struct sockaddr_ll sll;
	socklen_t sl;
	uint8_t buf[256];
	uint64_t now = boottime_ms();
	ssize_t n;
	int i;

	(void)what;
	for (i = 0; i < ARP_PER_CALLBACK; i++) {
		sl = sizeof sll;
		n = recvfrom(fd, buf, sizeof buf, MSG_DONTWAIT,
		    (struct sockaddr *)&sll, &sl);
		if (n < 0)
			break;
		if (ep->eng == NULL || sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		ha_engine_arp(ep->eng, (unsigned)sll.sll_ifindex, buf,
		    (size_t)n, now);
	}
	round_end(ep);
}

static void
start_arp(struct eproc *ep, int fd)
{
	if (ep->arp_ev != NULL) {
		close(fd);
		return;
	}
	ep->arp_ev = event_new(ep->base, fd, EV_READ | EV_PERSIST, on_arp,
	    ep);
	if (ep->arp_ev == NULL || event_add(ep->arp_ev, NULL) < 0) {
		log_msg(LOG_ERR, "engine: ARP socket: no event");
		close(fd);
	}
}

/* Once the saved bindings are back: read the ring (records may have
   queued while we started). */
static void
start_ring(struct eproc *ep)
{
	char err[256];

	if (ep->ring != NULL)
		return;
	if (ep->eng == NULL || ep->ring_map < 0) {
		log_msg(LOG_ERR, "engine: no %s before the restore",
		    ep->eng == NULL ? "configuration" : "signaling ring");
		_exit(1);
	}
	ep->ring = m6_sig_reader_new(ep->ring_map, err, sizeof err);
	ep->ring_map = -1;
	if (ep->ring == NULL) {
		log_msg(LOG_ERR, "engine: %s", err);
		_exit(1);
	}
	ep->ring_ev = event_new(ep->base, m6_sig_reader_fd(ep->ring),
	    EV_READ | EV_PERSIST, on_ring, ep);
	if (ep->ring_ev == NULL || event_add(ep->ring_ev, NULL) < 0)
		_exit(1);
	event_active(ep->ring_ev, EV_READ, 0);
}

/* A descriptor the parent opened for us: *slot takes it. */
static void
take_fd(int *slot, int fd)
{
	if (*slot >= 0)
		close(*slot);
	*slot = fd;
}

static void
handle_msg(struct eproc *ep, uint16_t type, const uint8_t *p, size_t len,
    int fd, uint64_t now)
{
	switch (type) {
	case PS_SIG_RING:
		take_fd(&ep->ring_map, fd);
		fd = -1;
		break;
	case PS_TX_SOCK:
		take_fd(&ep->tx.sock, fd);
		fd = -1;
		break;
	case PS_HAD_ARP_SOCK:
		if (fd >= 0)
			start_arp(ep, fd);
		fd = -1;
		break;
	case PS_IFACES:
		handle_ifaces(ep, p, len);
		break;
	case PS_CONF_PART:
		if (proc_text_add(&ep->conf_text, p, len, CONF_TEXT_MAX) < 0)
			log_msg(LOG_ERR, "engine: configuration too large");
		break;
	case PS_CONF:
		handle_conf(ep, p, len);
		break;
	case PS_RESTORE: {
		struct ps_bind m;

		if (ep->eng != NULL && len == sizeof m) {
			memcpy(&m, p, sizeof m);
			ha_engine_restore(ep->eng, &m.hoa, &m.b, now);
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
	case PS_HAD_RESTORE4: {
		struct ps_bind4 m;

		if (ep->eng != NULL && len == sizeof m) {
			memcpy(&m, p, sizeof m);
			ha_engine_restore4(ep->eng, &m.pfx, m.plen, &m.hoa);
		}
		break;
	}
	case PS_RESTORE_DONE:
		start_ring(ep);
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

/* Every message of the i-th datagram received; how many. */
static size_t
handle_datagram(struct eproc *ep, int i, uint64_t now)
{
	int fd = ep->rx.fd[i];	/* with the first message (PS_CTL) */
	size_t off = 0, n = 0;
	struct ps_msg m;
	int r;

	while ((r = ps_next(ep->rx.buf[i], ep->rx.len[i], &off, &m)) > 0) {
		handle_msg(ep, m.type, m.data, m.len, fd, now);
		fd = -1;
		n++;
	}
	if (fd >= 0)
		close(fd);
	if (r < 0)
		log_rl(&ep->bad_msg_rl, now, LOG_WARNING,
		    "engine: malformed message from parent");
	return n;
}

static void
on_parent(evutil_socket_t sock, short what, void *arg)
{
	struct eproc *ep = arg;

	(void)what;
	/* Bounded, then timers: rounds until MSGS_PER_CALLBACK messages. */
	for (size_t done = 0; done < MSGS_PER_CALLBACK; ) {
		/* One clock read per round, not per packet. */
		uint64_t now = boottime_ms();
		int n = ps_rx_recv(sock, &ep->rx);

		if (n < 0) {
			if (errno == 0) {
				log_msg(LOG_INFO, "engine: parent closed");
				_exit(0);
			}
			log_msg(LOG_ERR, "engine: %s", strerror(errno));
			_exit(1);
		}
		if (ep->rx.truncated > 0)
			log_rl(&ep->bad_msg_rl, now, LOG_WARNING,
			    "engine: %u oversized message(s) from parent",
			    ep->rx.truncated);
		for (int i = 0; i < n; i++)
			done += handle_datagram(ep, i, now);
		if (n + ep->rx.truncated < PS_RX_DGRAMS)
			break;		/* drained */
	}
	round_end(ep);
	rearm_timer(ep);
}

void
had_engine_main(int sock, const struct passwd *pw)
{
	static struct eproc ep;

	daemon_drop_privileges(pw, "engine");
	ep.sock = sock;
	ep.ring_map = -1;
	ps_batch_init(&ep.out, sock);
	l2q_init(&ep.tx, -1, ep.cnt);
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
