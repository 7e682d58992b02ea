/*
 * stack/lib/bus.c - the client side of the mobility-socket bus (bus.h):
 * one SOCK_SEQPACKET connection to mip6busd in a libevent loop, announced
 * with NODETYPE_INFO, re-established every second while the hub is away.
 *
 * Callbacks may call bus_send and bus_close: bus_close inside a callback
 * only marks the bus, which is freed when the callback returns.
 */
#include <errno.h>
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "packets/msock.h"
#include "stack/lib/bus.h"
#include "stack/lib/log.h"

/* Messages read per wake-up, so one busy bus cannot starve the loop. */
#define BUS_READ_BATCH	64

struct bus {
	struct event_base *base;
	char		 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	uint32_t	 nodetype;
	bus_msg_cb	*on_msg;
	bus_state_cb	*on_state;
	void		*arg;
	int		 fd;
	struct event	*ev_read;
	struct event	*ev_retry;
	bool		 connected;
	bool		 ever_connected;
	bool		 failure_logged;	/* one log line per outage */
	unsigned	 busy;		/* inside a callback */
	bool		 closing;	/* bus_close called while busy */
	uint32_t	 seq;
	struct bus_stats st;
};

static void bus_try_connect(struct bus *);

static void
bus_free(struct bus *b)
{
	if (b->fd >= 0)
		close(b->fd);
	if (b->ev_read != NULL)
		event_free(b->ev_read);
	if (b->ev_retry != NULL)
		event_free(b->ev_retry);
	free(b);
}

static void
bus_schedule_retry(struct bus *b)
{
	struct timeval tv = { BUS_RETRY_MS / 1000, (BUS_RETRY_MS % 1000) * 1000 };

	evtimer_add(b->ev_retry, &tv);
}

static void
bus_tell_state(struct bus *b, bool connected)
{
	if (b->on_state == NULL)
		return;
	b->busy++;
	b->on_state(b->arg, connected);
	b->busy--;
}

static void
bus_disconnect(struct bus *b, const char *why)
{
	if (!b->connected)
		return;
	event_del(b->ev_read);
	event_free(b->ev_read);
	b->ev_read = NULL;
	close(b->fd);
	b->fd = -1;
	b->connected = false;
	b->failure_logged = true;	/* this line is the outage's */
	log_msg(LOG_WARNING, "bus: lost the hub at %s (%s); retrying every "
	    "second", b->path, why);
	bus_schedule_retry(b);
	bus_tell_state(b, false);
}

static void
bus_deliver(struct bus *b, const uint8_t *buf, size_t len)
{
	struct msock_msg m;

	if (len > MSOCK_MAX || msock_decode(buf, len, &m) != MSOCK_OK) {
		b->st.malformed++;
		return;
	}
	b->st.received++;
	if (m.err == ENOBUFS)
		b->st.overflows++;
	if (b->on_msg == NULL)
		return;
	b->busy++;
	b->on_msg(b->arg, &m, buf, len);
	b->busy--;
}

static void
bus_on_read(evutil_socket_t fd, short what, void *arg)
{
	uint8_t buf[BUS_RECV_CAP];
	struct bus *b = arg;
	ssize_t n;
	int i;

	(void)what;
	for (i = 0; i < BUS_READ_BATCH && b->connected && !b->closing; i++) {
		n = bus_recv(fd, buf, false);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n <= 0) {
			bus_disconnect(b, n == 0 ? "closed" : strerror(errno));
			break;
		}
		bus_deliver(b, buf, (size_t)n);
	}
	if (b->closing && b->busy == 0)
		bus_free(b);
}

static void
bus_announce(struct bus *b)
{
	struct msock_msg m;

	if (b->nodetype == 0)
		return;
	msock_init(&m, MSOCK_NODETYPE_INFO);
	msock_set_u32(&m, MSA_NODETYPE, b->nodetype);
	msock_set_u32(&m, MSA_ENABLE, 1);
	(void)bus_send(b, &m);
}

ssize_t
bus_recv(int fd, uint8_t *buf, bool block)
{
	/* MSG_TRUNC: the real length, so an oversized one is seen */
	return recv(fd, buf, BUS_RECV_CAP, MSG_TRUNC |
	    (block ? 0 : MSG_DONTWAIT));
}

int
bus_dial(const char *path, bool nonblock)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, e;

	if (path == NULL)
		path = MIP6_BUS_PATH;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC |
	    (nonblock ? SOCK_NONBLOCK : 0), 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)&sun, sizeof(sun)) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static void
bus_try_connect(struct bus *b)
{
	int fd = bus_dial(b->path, true);

	if (fd < 0) {
		if (!b->failure_logged)
			log_msg(LOG_WARNING, "bus: no hub at %s (%s); retrying "
			    "every second", b->path, strerror(errno));
		b->failure_logged = true;
		bus_schedule_retry(b);
		return;
	}
	b->ev_read = event_new(b->base, fd, EV_READ | EV_PERSIST, bus_on_read,
	    b);
	if (b->ev_read == NULL || event_add(b->ev_read, NULL) < 0) {
		if (b->ev_read != NULL)
			event_free(b->ev_read);
		b->ev_read = NULL;
		close(fd);
		bus_schedule_retry(b);
		return;
	}
	b->fd = fd;
	b->connected = true;
	if (b->ever_connected)
		b->st.reconnects++;
	b->ever_connected = true;
	b->failure_logged = false;
	log_msg(LOG_INFO, "bus: connected to %s", b->path);
	bus_announce(b);
	bus_tell_state(b, true);
}

static void
bus_on_retry(evutil_socket_t fd, short what, void *arg)
{
	struct bus *b = arg;

	(void)fd;
	(void)what;
	if (!b->closing && !b->connected)
		bus_try_connect(b);
	if (b->closing && b->busy == 0)
		bus_free(b);
}

struct bus *
bus_open(struct event_base *base, const char *path, uint32_t nodetype,
    bus_msg_cb *on_msg, bus_state_cb *on_state, void *arg)
{
	struct bus *b;

	if (path == NULL)
		path = MIP6_BUS_PATH;
	if (strlen(path) >= sizeof(b->path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->base = base;
	strcpy(b->path, path);
	b->nodetype = nodetype;
	b->on_msg = on_msg;
	b->on_state = on_state;
	b->arg = arg;
	b->fd = -1;
	b->ev_retry = evtimer_new(base, bus_on_retry, b);
	if (b->ev_retry == NULL) {
		free(b);
		errno = ENOMEM;
		return NULL;
	}
	bus_try_connect(b);
	return b;
}

static int
bus_write(struct bus *b, const uint8_t *buf, size_t len)
{
	if (!b->connected) {
		b->st.dropped++;
		errno = ENOTCONN;
		return -1;
	}
	if (send(b->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		int e = errno;

		b->st.dropped++;
		if (e == EAGAIN || e == ENOBUFS) {
			errno = ENOBUFS;
			return -1;
		}
		bus_disconnect(b, strerror(e));
		errno = ENOTCONN;
		return -1;
	}
	b->st.sent++;
	return 0;
}

int
bus_send(struct bus *b, struct msock_msg *m)
{
	uint8_t buf[MSOCK_MAX];
	int len;

	m->seq = ++b->seq;
	if ((len = msock_encode(m, buf, sizeof(buf))) < 0) {
		errno = EINVAL;
		return -1;
	}
	return bus_write(b, buf, (size_t)len);
}

int
bus_send_raw(struct bus *b, const uint8_t *buf, size_t len)
{
	struct msock_msg m;

	if (msock_decode(buf, len, &m) != MSOCK_OK) {
		errno = EINVAL;
		return -1;
	}
	return bus_write(b, buf, len);
}

bool
bus_connected(const struct bus *b)
{
	return b->connected;
}

void
bus_stats(const struct bus *b, struct bus_stats *st)
{
	*st = b->st;
}

void
bus_close(struct bus *b)
{
	if (b == NULL)
		return;
	if (b->busy > 0) {
		/* inside a callback: freed when it returns */
		struct timeval now = { 0, 0 };

		b->closing = true;
		evtimer_add(b->ev_retry, &now);	/* frees it if nothing else */
		return;
	}
	bus_free(b);
}
