/*
 * stack/mip6busd/busd_hub.c - the bus hub (busd_hub.h): accept clients,
 * read one message per datagram, check it with the packets/msock.h
 * decoder, stamp the sender's pid and queue a copy for every other client
 * in arrival order.
 *
 * Why a queue per client: a slow listener (msockwatch on a terminal) must
 * not hold back the daemons, and a stuck one must not grow the hub without
 * bound.  So each client gets at most BUSD_QUEUE_MAX messages; beyond
 * that the oldest is dropped (the newest state matters most: a later
 * MD_INFO supersedes an earlier one) and the next message the client does
 * get carries errno ENOBUFS so it knows to resynchronise.
 */
#include <errno.h>
#include <event2/event.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "packets/buf.h"
#include "packets/msock.h"
#include "packets/sbuf.h"
#include "stack/lib/bus.h"
#include "stack/lib/ctl.h"
#include "stack/lib/log.h"
#include "stack/mip6busd/busd_hub.h"

struct busd_qent {
	uint16_t	len;
	uint8_t		*data;
};

struct busd_client {
	struct busd_hub	*hub;
	int		 fd;
	struct event	*ev_read, *ev_write;
	pid_t		 pid;
	uint32_t	 nodetype;	/* from its NODETYPE_INFO */
	time_t		 since;		/* wall clock, for people */
	uint64_t	 sent;		/* valid messages it sent */
	uint64_t	 received;	/* messages written to it */
	uint64_t	 dropped;	/* its queue overflowed */
	uint64_t	 malformed;	/* messages of its that did not decode */
	bool		 mark_enobufs;	/* next delivered carries ENOBUFS */
	bool		 write_dead;	/* writing failed: read to EOF, then free */
	struct busd_qent q[BUSD_QUEUE_MAX];
	unsigned	 qhead, qlen;
	struct busd_client *next;
};

struct busd_hub {
	struct event_base *base;
	char		*path;
	int		 fd;
	struct event	*ev_accept;
	struct busd_client *clients, *tail;	/* in connection order */
	size_t		 nclients;
	uint64_t	 cnt[BUSD_C_MAX];
	struct log_rl	 bad_rl, refuse_rl;
};

static const char *const counter_names[BUSD_C_MAX] = {
	[BUSD_C_ACCEPTED] = "clients_accepted",
	[BUSD_C_REFUSED] = "clients_refused",
	[BUSD_C_MESSAGES] = "messages",
	[BUSD_C_DELIVERED] = "delivered",
	[BUSD_C_DROPPED] = "dropped",
	[BUSD_C_MALFORMED] = "malformed",
};

const char *
busd_counter_name(enum busd_counter c)
{
	return (unsigned)c < BUSD_C_MAX ? counter_names[c] : NULL;
}

/* ------------------------------------------------------------ queue */

static struct busd_qent *
q_at(struct busd_client *c, unsigned i)
{
	return &c->q[(c->qhead + i) % BUSD_QUEUE_MAX];
}

static void
q_pop(struct busd_client *c)
{
	free(q_at(c, 0)->data);
	q_at(c, 0)->data = NULL;
	c->qhead = (c->qhead + 1) % BUSD_QUEUE_MAX;
	c->qlen--;
}

/* Queue a copy; when full, the oldest goes and the client is marked. */
static void
q_push(struct busd_client *c, const uint8_t *msg, size_t len)
{
	struct busd_qent *e;
	uint8_t *copy = malloc(len);

	if (copy == NULL) {
		c->dropped++;
		c->hub->cnt[BUSD_C_DROPPED]++;
		c->mark_enobufs = true;
		return;
	}
	memcpy(copy, msg, len);
	if (c->qlen == BUSD_QUEUE_MAX) {
		q_pop(c);
		c->dropped++;
		c->hub->cnt[BUSD_C_DROPPED]++;
		c->mark_enobufs = true;
	}
	e = q_at(c, c->qlen);
	e->data = copy;
	e->len = (uint16_t)len;
	c->qlen++;
}

/* The header's errno field, through the write cursor. */
static void
set_errno_field(uint8_t *msg, size_t len, uint32_t err)
{
	struct wbuf w;

	wbuf_init(&w, msg, len);
	w.len = len;
	wbuf_set_u32(&w, 12, err);
}

/* ------------------------------------------------------------ clients */

static void
client_free(struct busd_client *c)
{
	struct busd_hub *h = c->hub;
	struct busd_client **pp, *prev = NULL;

	for (pp = &h->clients; *pp != NULL; prev = *pp, pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			if (h->tail == c)
				h->tail = prev;
			break;
		}
	h->nclients--;
	while (c->qlen > 0)
		q_pop(c);
	event_free(c->ev_read);
	event_free(c->ev_write);
	close(c->fd);
	free(c);
}

/*
 * Writing to c failed for good (it closed).  It is not freed yet: a client
 * that sends and closes at once (msockwatch -s) may still have messages in
 * the socket that the hub has not read, and they must reach the others.
 * Its read event drains them and frees it at EOF.
 */
static void
client_write_failed(struct busd_client *c)
{
	log_msg(LOG_INFO, "bus: client pid %ld: %s, forgotten after its "
	    "last messages", (long)c->pid, strerror(errno));
	c->write_dead = true;
	while (c->qlen > 0)
		q_pop(c);
	event_del(c->ev_write);
}

/* Write queued messages until the socket is full or writing fails. */
static void
client_flush(struct busd_client *c)
{
	struct busd_qent *e;
	ssize_t n;

	while (c->qlen > 0) {
		e = q_at(c, 0);
		if (c->mark_enobufs)
			set_errno_field(e->data, e->len, ENOBUFS);
		n = send(c->fd, e->data, e->len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == ENOBUFS ||
		    errno == EINTR)) {
			event_add(c->ev_write, NULL);
			return;
		}
		if (n < 0) {
			client_write_failed(c);
			return;
		}
		c->mark_enobufs = false;
		c->received++;
		c->hub->cnt[BUSD_C_DELIVERED]++;
		q_pop(c);
	}
	event_del(c->ev_write);
}

static void
on_client_write(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	client_flush(arg);
}

static void
broadcast(struct busd_hub *h, const struct busd_client *from,
    const uint8_t *msg, size_t len)
{
	struct busd_client *c, *next;

	for (c = h->clients; c != NULL; c = next) {
		next = c->next;
		if (c == from || c->write_dead)
			continue;
		q_push(c, msg, len);
		/* nothing was waiting: try at once, in order */
		if (c->qlen == 1)
			client_flush(c);
	}
}

static void
note_malformed(struct busd_client *c, enum msock_err e, size_t len)
{
	c->malformed++;
	c->hub->cnt[BUSD_C_MALFORMED]++;
	log_rl(&c->hub->bad_rl, boottime_ms(), LOG_WARNING,
	    "bus: malformed message from pid %ld dropped (%zu octets: %s)",
	    (long)c->pid, len, e == MSOCK_OK ? "too long" : msock_err_str(e));
}

/* One datagram from c: checked, stamped, passed on. */
static void
handle_message(struct busd_client *c, uint8_t *msg, size_t len)
{
	struct msock_msg m;
	enum msock_err e = MSOCK_OK;
	struct wbuf w;

	if (len > MSOCK_MAX || (e = msock_decode(msg, len, &m)) != MSOCK_OK) {
		note_malformed(c, e, len);
		return;
	}
	if (m.type == MSOCK_NODETYPE_INFO)
		c->nodetype = msock_has(&m, MSA_ENABLE) && m.enable == 0 ?
		    0 : m.nodetype;
	/* what the client wrote there is overwritten (msock.h) */
	wbuf_init(&w, msg, len);
	w.len = len;
	wbuf_set_u32(&w, 4, (uint32_t)c->pid);
	c->sent++;
	c->hub->cnt[BUSD_C_MESSAGES]++;
	broadcast(c->hub, c, msg, len);
}

static void
on_client_read(evutil_socket_t fd, short what, void *arg)
{
	uint8_t buf[BUS_RECV_CAP];
	struct busd_client *c = arg;
	ssize_t n;
	int i;

	(void)what;
	for (i = 0; i < 64; i++) {
		n = bus_recv(fd, buf, false);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			log_msg(LOG_INFO, "bus: client pid %ld left", 
			    (long)c->pid);
			client_free(c);
			return;
		}
		handle_message(c, buf, (size_t)n);
	}
}

static bool
peer_creds(int fd, struct ucred *cr)
{
	socklen_t len = sizeof(*cr);

	return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, cr, &len) == 0 &&
	    len == sizeof(*cr);
}

static void
refuse(struct busd_hub *h, int fd, const char *why, long pid)
{
	h->cnt[BUSD_C_REFUSED]++;
	log_rl(&h->refuse_rl, boottime_ms(), LOG_WARNING,
	    "bus: client pid %ld refused: %s", pid, why);
	close(fd);
}

static void
add_client(struct busd_hub *h, int fd)
{
	struct busd_client *c;
	struct ucred cr;

	if (!peer_creds(fd, &cr)) {
		refuse(h, fd, "no credentials", -1);
		return;
	}
	/* the socket is 0600 root's; this holds even if someone chmods it */
	if (cr.uid != geteuid()) {
		refuse(h, fd, "not root", (long)cr.pid);
		return;
	}
	if (h->nclients >= BUSD_CLIENTS_MAX) {
		refuse(h, fd, "too many clients", (long)cr.pid);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		refuse(h, fd, "out of memory", (long)cr.pid);
		return;
	}
	c->hub = h;
	c->fd = fd;
	c->pid = cr.pid;
	c->since = time(NULL);
	c->ev_read = event_new(h->base, fd, EV_READ | EV_PERSIST,
	    on_client_read, c);
	c->ev_write = event_new(h->base, fd, EV_WRITE, on_client_write, c);
	if (c->ev_read == NULL || c->ev_write == NULL ||
	    event_add(c->ev_read, NULL) < 0) {
		if (c->ev_read != NULL)
			event_free(c->ev_read);
		if (c->ev_write != NULL)
			event_free(c->ev_write);
		free(c);
		refuse(h, fd, "no event", (long)cr.pid);
		return;
	}
	if (h->tail != NULL)
		h->tail->next = c;
	else
		h->clients = c;
	h->tail = c;
	h->nclients++;
	h->cnt[BUSD_C_ACCEPTED]++;
	log_msg(LOG_INFO, "bus: client pid %ld connected", (long)c->pid);
}

static void
on_accept(evutil_socket_t lfd, short what, void *arg)
{
	struct busd_hub *h = arg;
	int fd, i;

	(void)what;
	for (i = 0; i < 16; i++) {
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0)
			return;
		add_client(h, fd);
	}
}

/* ------------------------------------------------------------ hub */

struct busd_hub *
busd_hub_open(struct event_base *base, const char *path)
{
	struct busd_hub *h;
	int e;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->base = base;
	h->bad_rl = (struct log_rl)LOG_RL_INIT(5, 20);
	h->refuse_rl = (struct log_rl)LOG_RL_INIT(5, 20);
	h->path = strdup(path);
	h->fd = h->path != NULL ? ctl_listen_type(path, SOCK_SEQPACKET) : -1;
	if (h->fd < 0)
		goto fail;
	h->ev_accept = event_new(base, h->fd, EV_READ | EV_PERSIST, on_accept,
	    h);
	if (h->ev_accept == NULL || event_add(h->ev_accept, NULL) < 0)
		goto fail;
	return h;
fail:
	e = errno;
	if (h->ev_accept != NULL)
		event_free(h->ev_accept);
	if (h->fd >= 0) {
		close(h->fd);
		unlink(path);
	}
	free(h->path);
	free(h);
	errno = e;
	return NULL;
}

void
busd_hub_close(struct busd_hub *h)
{
	if (h == NULL)
		return;
	while (h->clients != NULL)
		client_free(h->clients);
	event_free(h->ev_accept);
	close(h->fd);
	unlink(h->path);
	free(h->path);
	free(h);
}

uint64_t
busd_hub_counter(const struct busd_hub *h, enum busd_counter c)
{
	return (unsigned)c < BUSD_C_MAX ? h->cnt[c] : 0;
}

size_t
busd_hub_nclients(const struct busd_hub *h)
{
	return h->nclients;
}

static void
json_nodetype(struct jw *jw, uint32_t nodetype)
{
	static const char *const names[] = { "mn", "mr", "ha", "cn", "md" };
	size_t i;

	jw_arr_open(jw, "nodetype");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (nodetype & (1u << i))
			jw_str(jw, NULL, names[i]);
	jw_arr_close(jw);
}

void
busd_hub_json_clients(const struct busd_hub *h, struct jw *jw)
{
	const struct busd_client *c;
	char when[32];
	struct tm tm;

	jw_arr_open(jw, "clients");
	for (c = h->clients; c != NULL; c = c->next) {
		jw_obj_open(jw, NULL);
		jw_int(jw, "pid", c->pid);
		json_nodetype(jw, c->nodetype);
		gmtime_r(&c->since, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		jw_str(jw, "connected_since", when);
		jw_uint(jw, "sent", c->sent);
		jw_uint(jw, "received", c->received);
		jw_uint(jw, "dropped", c->dropped);
		jw_uint(jw, "malformed", c->malformed);
		jw_uint(jw, "queued", c->qlen);
		jw_obj_close(jw);
	}
	jw_arr_close(jw);
}

void
busd_hub_json_counters(const struct busd_hub *h, struct jw *jw)
{
	unsigned i;

	jw_obj_open(jw, "counters");
	for (i = 0; i < BUSD_C_MAX; i++)
		jw_uint(jw, counter_names[i], h->cnt[i]);
	jw_obj_close(jw);
}
