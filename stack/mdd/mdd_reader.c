/*
 * stack/mdd/mdd_reader.c - the unprivileged half of mdd: it drops to an
 * unprivileged user, reads Router Advertisements from the raw ICMPv6
 * socket the parent opened, decodes them with packets/ (md_ra.c) and sends
 * the parent fixed-size summaries.  Every packet from the network is
 * parsed here and nowhere else; a malformed one is logged (rate-limited),
 * counted and dropped.
 */
#include <errno.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "packets/sbuf.h"
#include "stack/lib/daemon.h"
#include "stack/lib/log.h"
#include "stack/lib/privsep.h"
#include "stack/mdd/md_ra.h"
#include "stack/mdd/mdd_proc.h"

#define STATS_EVERY_MS	200

struct reader {
	struct event_base *base;
	int		 sock, raw;
	uint64_t	 st[MRS_MAX], st_sent[MRS_MAX];
	struct log_rl	 bad_rl;
	uint8_t		 pkt[65536];
};

struct rx_meta {
	struct in6_addr	src, dst;
	unsigned	ifindex;
	int		hop_limit;
};

static void
take_cmsgs(struct msghdr *mh, struct rx_meta *m)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c != NULL;
	    c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof pi);
			m->dst = pi.ipi6_addr;
			m->ifindex = pi.ipi6_ifindex;
		} else if (c->cmsg_type == IPV6_HOPLIMIT &&
		    c->cmsg_len >= CMSG_LEN(sizeof(int)))
			memcpy(&m->hop_limit, CMSG_DATA(c), sizeof(int));
	}
}

/* One message; false when the socket is drained. */
static bool
read_one(struct reader *r)
{
	union {
		struct cmsghdr	align;
		uint8_t		buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
				    CMSG_SPACE(sizeof(int))];
	} cbuf;
	struct sockaddr_in6 from;
	struct iovec iov = { r->pkt, sizeof r->pkt };
	struct msghdr mh = {
		.msg_name = &from, .msg_namelen = sizeof from,
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf.buf, .msg_controllen = sizeof cbuf.buf,
	};
	struct rx_meta m = { .hop_limit = -1 };
	enum md_ra_result res;
	struct md_ra ra;
	const char *why;
	char a[IN6_STRLEN];
	ssize_t n = recvmsg(r->raw, &mh, MSG_DONTWAIT);

	if (n < 0)
		return errno == EINTR;
	r->st[MRS_RECEIVED]++;
	m.src = from.sin6_addr;
	take_cmsgs(&mh, &m);
	/* Without the hop limit and destination the RA cannot be checked:
	   the socket options guarantee both, so this is a kernel oddity. */
	if (m.hop_limit < 0 || m.ifindex == 0 || (mh.msg_flags & MSG_TRUNC)) {
		r->st[MRS_MALFORMED]++;
		return true;
	}
	res = md_ra_decode(r->pkt, (size_t)n, &m.src, &m.dst, m.hop_limit,
	    m.ifindex, &ra, &why);
	switch (res) {
	case MD_RA_OK:
		r->st[MRS_ACCEPTED]++;
		if (ps_send(r->sock, MDD_PS_RA, &ra, sizeof ra, NULL, 0, -1) < 0)
			r->st[MRS_TO_PARENT_DROPPED]++;
		break;
	case MD_RA_MALFORMED:
		r->st[MRS_MALFORMED]++;
		log_rl(&r->bad_rl, boottime_ms(), LOG_WARNING,
		    "reader: malformed RA from %s (ifindex %u): %s",
		    in6_fmt(&m.src, a), m.ifindex, why);
		break;
	case MD_RA_NOT_RA:
		r->st[MRS_NOT_RA]++;
		break;
	}
	return true;
}

const char *
mdd_reader_counter_name(unsigned k)
{
	static const char *const names[MRS_MAX] = {
		[MRS_RECEIVED] = "received",
		[MRS_ACCEPTED] = "ras_accepted",
		[MRS_MALFORMED] = "ras_malformed",
		[MRS_NOT_RA] = "not_ra",
		[MRS_TO_PARENT_DROPPED] = "to_parent_dropped",
	};

	return k < MRS_MAX ? names[k] : "?";
}

static void
send_stats(struct reader *r)
{
	if (memcmp(r->st, r->st_sent, sizeof r->st) == 0)
		return;
	if (ps_send(r->sock, MDD_PS_STATS, r->st, sizeof r->st, NULL, 0,
	    -1) == 0)
		memcpy(r->st_sent, r->st, sizeof r->st);
}

static void
on_raw(evutil_socket_t fd, short what, void *arg)
{
	struct reader *r = arg;

	(void)fd;
	(void)what;
	for (int i = 0; i < 256 && read_one(r); i++)
		;
}

static void
on_stats(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	send_stats(arg);
}

static void
on_parent(evutil_socket_t fd, short what, void *arg)
{
	struct reader *r = arg;
	uint8_t buf[64];
	ssize_t n;

	(void)what;
	n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		log_msg(LOG_INFO, "reader: parent closed");
		event_base_loopbreak(r->base);
	}
	/* The parent sends nothing else. */
}

/* The first message from the parent carries the raw socket. */
static int
take_raw_socket(int sock)
{
	uint8_t buf[PS_MSG_MAX];
	struct pollfd pf = { .fd = sock, .events = POLLIN };

	for (;;) {
		uint16_t type;
		int fd;
		ssize_t n = ps_recv(sock, &type, buf, sizeof buf, &fd);

		if (n < 0 && errno != EBADMSG)
			return -1;
		if (n >= 0 && type == MDD_PS_RAW_SOCK && fd >= 0)
			return fd;
		if (fd >= 0)
			close(fd);
		if (n == 0 && type == 0 && poll(&pf, 1, 10000) <= 0)
			return -1;
	}
}

void
mdd_reader_main(int sock, const struct passwd *pw)
{
	static struct reader r;
	struct timeval tv = { 0, STATS_EVERY_MS * 1000 };
	struct event *ev_raw, *ev_parent, *ev_stats;
	int raw;

	daemon_drop_privileges(pw, "reader");
	raw = take_raw_socket(sock);
	if (raw < 0) {
		log_msg(LOG_ERR, "reader: no socket from the parent");
		_exit(1);
	}
	r.sock = sock;
	r.raw = raw;
	r.bad_rl = (struct log_rl)LOG_RL_INIT(1, 5);
	r.base = event_base_new();
	if (r.base == NULL)
		_exit(1);
	ev_raw = event_new(r.base, raw, EV_READ | EV_PERSIST, on_raw, &r);
	ev_parent = event_new(r.base, sock, EV_READ | EV_PERSIST, on_parent,
	    &r);
	ev_stats = event_new(r.base, -1, EV_PERSIST, on_stats, &r);
	if (ev_raw == NULL || ev_parent == NULL || ev_stats == NULL ||
	    event_add(ev_raw, NULL) < 0 || event_add(ev_parent, NULL) < 0 ||
	    event_add(ev_stats, &tv) < 0)
		_exit(1);
	event_base_dispatch(r.base);
	_exit(0);
}
