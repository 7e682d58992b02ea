/*
 * netdev_afpacket.c - the real network device (netdev.h): the tester's
 * interfaces in a network namespace of a mip6topo run (or the host's),
 * one AF_PACKET socket per link to inject Ethernet frames and one libpcap
 * handle per link to capture what the NUT sends, polled together.
 *
 * Sockets and capture handles are created inside the link's namespace
 * (setns, then back to the caller's): a socket stays bound to the
 * namespace it was created in, so the rest of the process never leaves
 * its own.  Captures are promiscuous (the tester forges MACs other than
 * its interface's) and see incoming frames only (PCAP_D_IN), so the
 * tester's own frames never come back as the NUT's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/if_ether.h>
#include <linux/if_packet.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "intr.h"
#include "netdev.h"
#include "util.h"

#define AFP_SNAPLEN	FRAME_MAX

struct afp_port {
	char			 link[48];
	int			 sock;
	int			 ifindex;
	pcap_t			*cap;
	int			 capfd;
	pcap_dumper_t		*dump;
};

struct afp {
	struct netdev		 nd;	/* first: the runner's view */
	struct afp_port		*port;
	size_t			 nport;
	size_t			 next;	/* round robin over ready ports */
	int64_t			 wall_to_mono;	/* µs to add to pcap time */
	struct frame		*got;	/* the callback's destination */
	bool			 have;
};

static int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t
wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Write a frame to the run's pcap, flushed so the file is always whole. */
static void
afp_dump(struct afp_port *p, int64_t wall, const uint8_t *data, size_t len)
{
	struct pcap_pkthdr h;

	if (p->dump == NULL)
		return;
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(wall / 1000000);
	h.ts.tv_usec = (suseconds_t)(wall % 1000000);
	h.caplen = h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)p->dump, &h, data);
	pcap_dump_flush(p->dump);
}

static struct afp_port *
afp_port(struct afp *a, const char *link)
{
	size_t i;

	for (i = 0; i < a->nport; i++)
		if (strcmp(a->port[i].link, link) == 0)
			return &a->port[i];
	return NULL;
}

#define CARRIER_SETTLE_US	1500000	/* linkwatch runs within ~1 s */

/* Is the tester's interface operationally up (IFF_RUNNING)?  Asked
 * through the port's own socket, so in the tester's namespace. */
static bool
port_running(const struct afp_port *p)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_ifindex = p->ifindex;
	if (ioctl(p->sock, SIOCGIFNAME, &ifr) < 0 ||
	    ioctl(p->sock, SIOCGIFFLAGS, &ifr) < 0)
		return true;	/* cannot tell: report the error */
	return (ifr.ifr_flags & IFF_RUNNING) != 0;
}

/*
 * Was a refused frame sent on an unplugged link?  When the NUT has
 * unplugged itself from a link (`nut move`, mn-links.topo: its end of the
 * veth down), the kernel refuses what the tester sends there (ENOBUFS,
 * ENETDOWN); like frames on an unplugged wire they are lost, which is no
 * fault of the tester.  The carrier is lost at once but the operational
 * state follows only when the kernel's link watch runs, so a refusal on a
 * link still "running" waits up to CARRIER_SETTLE_US for it to change.
 */
static bool
port_unplugged(const struct afp_port *p)
{
	int64_t until = mono_us() + CARRIER_SETTLE_US;

	if (errno != ENOBUFS && errno != ENETDOWN)
		return false;
	while (port_running(p)) {
		if (mono_us() >= until)
			return false;
		usleep(20000);
	}
	return true;
}

static int
afp_send(struct netdev *nd, const char *link, const uint8_t *data,
    size_t len, int64_t *ts)
{
	struct afp *a = (struct afp *)nd;
	struct afp_port *p = afp_port(a, link);
	struct sockaddr_ll sll;
	int64_t wall;

	if (p == NULL) {
		snprintf(nd->err, sizeof(nd->err), "no tester interface on %s",
		    link);
		return -1;
	}
	if (len < ETH_HLEN) {
		snprintf(nd->err, sizeof(nd->err), "%s: a frame of %zu octets "
		    "has no Ethernet header", link, len);
		return -1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = p->ifindex;
	sll.sll_halen = ETH_ALEN;
	memcpy(sll.sll_addr, data, ETH_ALEN);
	*ts = mono_us();
	wall = wall_us();
	if (sendto(p->sock, data, len, 0, (struct sockaddr *)&sll,
	    sizeof(sll)) != (ssize_t)len) {
		int e = errno;

		if (port_unplugged(p))
			return 0;	/* lost on an unplugged wire */
		snprintf(nd->err, sizeof(nd->err), "%s: sendto: %s", link,
		    strerror(e));
		return -1;
	}
	afp_dump(p, wall, data, len);
	return 0;
}

struct afp_cb {
	struct afp	*a;
	struct afp_port	*p;
};

static void
afp_got(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct afp_cb *cb = (struct afp_cb *)user;
	struct frame *f = cb->a->got;
	int64_t wall = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
	size_t n = h->caplen < sizeof(f->data) ? h->caplen : sizeof(f->data);

	str_copy(f->link, cb->p->link, sizeof(f->link));
	f->ts_us = wall + cb->a->wall_to_mono;
	f->len = n;
	memcpy(f->data, bytes, n);
	cb->a->have = true;
	afp_dump(cb->p, wall, bytes, n);
}

/* Take one waiting frame from any port, round robin; 1, 0 or -1. */
static int
afp_take(struct afp *a, struct frame *f)
{
	size_t k;

	for (k = 0; k < a->nport; k++) {
		struct afp_port *p = &a->port[(a->next + k) % a->nport];
		struct afp_cb cb = { a, p };
		int r;

		a->got = f;
		a->have = false;
		r = pcap_dispatch(p->cap, 1, afp_got, (u_char *)&cb);
		if (r < 0) {
			snprintf(a->nd.err, sizeof(a->nd.err), "%s: %s",
			    p->link, pcap_geterr(p->cap));
			return -1;
		}
		if (a->have) {
			a->next = (a->next + k + 1) % a->nport;
			return 1;
		}
	}
	return 0;
}

static int
afp_recv(struct netdev *nd, int64_t deadline, struct frame *f)
{
	struct afp *a = (struct afp *)nd;
	struct pollfd pfd[17];
	size_t i, n = a->nport < 16 ? a->nport : 16;
	int r;

	for (;;) {
		int64_t left;

		if (intr_signal() != 0) {	/* mip6conf is stopping */
			snprintf(nd->err, sizeof(nd->err), "interrupted by %s",
			    intr_name());
			return -1;
		}
		if ((r = afp_take(a, f)) != 0)
			return r;
		left = deadline - mono_us();
		if (left <= 0)
			return 0;
		for (i = 0; i < n; i++) {
			pfd[i].fd = a->port[i].capfd;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		/* The self-pipe wakes a long wait when a signal comes. */
		pfd[n].fd = intr_fd();
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		/* Round up so the deadline has passed when poll returns 0. */
		r = poll(pfd, n + 1, (int)((left + 999) / 1000 > 60000 ? 60000 :
		    (left + 999) / 1000));
		if (r < 0 && errno != EINTR) {
			snprintf(nd->err, sizeof(nd->err), "poll: %s",
			    strerror(errno));
			return -1;
		}
	}
}

static int64_t
afp_now(struct netdev *nd)
{
	(void)nd;
	return mono_us();
}

static void
afp_close(struct netdev *nd)
{
	struct afp *a = (struct afp *)nd;
	size_t i;

	for (i = 0; i < a->nport; i++) {
		if (a->port[i].sock >= 0)
			close(a->port[i].sock);
		if (a->port[i].cap != NULL)
			pcap_close(a->port[i].cap);
	}
	free(a->port);
	free(a);
}

static const struct netdev_ops afp_ops = {
	afp_send, afp_recv, afp_now, afp_close
};

/* The socket and the capture of one link, in the current namespace. */
static int
port_open(struct afp_port *p, const struct afp_link *l, char *err,
    size_t cap)
{
	char perr[PCAP_ERRBUF_SIZE];
	struct sockaddr_ll sll;

	if ((p->ifindex = (int)if_nametoindex(l->ifname)) == 0) {
		snprintf(err, cap, "%s: no interface %s: %s", l->link,
		    l->ifname, strerror(errno));
		return -1;
	}
	if ((p->sock = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0)) < 0) {
		snprintf(err, cap, "%s: AF_PACKET socket: %s", l->link,
		    strerror(errno));
		return -1;
	}
	/* Protocol 0 and bound: a send-only socket that queues nothing. */
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = p->ifindex;
	if (bind(p->sock, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		snprintf(err, cap, "%s: bind to %s: %s", l->link, l->ifname,
		    strerror(errno));
		return -1;
	}
	perr[0] = '\0';
	if ((p->cap = pcap_create(l->ifname, perr)) == NULL) {
		snprintf(err, cap, "%s: pcap_create %s: %s", l->link,
		    l->ifname, perr);
		return -1;
	}
	if (pcap_set_snaplen(p->cap, AFP_SNAPLEN) != 0 ||
	    pcap_set_promisc(p->cap, 1) != 0 ||
	    pcap_set_immediate_mode(p->cap, 1) != 0 ||
	    pcap_activate(p->cap) < 0 ||
	    pcap_setdirection(p->cap, PCAP_D_IN) < 0 ||
	    pcap_setnonblock(p->cap, 1, perr) < 0 ||
	    (p->capfd = pcap_get_selectable_fd(p->cap)) < 0) {
		snprintf(err, cap, "%s: capture on %s: %s", l->link, l->ifname,
		    pcap_geterr(p->cap));
		return -1;
	}
	if (pcap_datalink(p->cap) != DLT_EN10MB) {
		snprintf(err, cap, "%s: %s is not an Ethernet interface",
		    l->link, l->ifname);
		return -1;
	}
	return 0;
}

/* Open a port inside `netns`, then come back to namespace `home`. */
static int
port_open_in(struct afp_port *p, const struct afp_link *l, int home,
    char *err, size_t cap)
{
	int fd, r;

	if (l->netns == NULL)
		return port_open(p, l, err, cap);
	if ((fd = open(l->netns, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, cap, "%s: %s: %s", l->link, l->netns,
		    strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		snprintf(err, cap, "%s: setns %s: %s", l->link, l->netns,
		    strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	r = port_open(p, l, err, cap);
	if (setns(home, CLONE_NEWNET) < 0) {
		/* Carrying on in the wrong namespace would be worse. */
		fprintf(stderr, "mip6conf: cannot return to the original "
		    "network namespace: %s\n", strerror(errno));
		abort();
	}
	return r;
}

struct netdev *
netdev_afpacket_open(const struct afp_link *links, size_t n, char *err,
    size_t cap)
{
	struct afp *a;
	size_t i;
	int home;

	if (n == 0 || n > 16) {
		snprintf(err, cap, "afpacket: %zu links (1 to 16)", n);
		return NULL;
	}
	if ((home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(err, cap, "/proc/self/ns/net: %s", strerror(errno));
		return NULL;
	}
	a = xcalloc(1, sizeof(*a));
	a->nd.ops = &afp_ops;
	a->port = xcalloc(n, sizeof(*a->port));
	a->nport = n;
	for (i = 0; i < n; i++)
		a->port[i].sock = -1;
	for (i = 0; i < n; i++) {
		str_copy(a->port[i].link, links[i].link,
		    sizeof(a->port[i].link));
		a->port[i].dump = (pcap_dumper_t *)links[i].dump;
		if (port_open_in(&a->port[i], &links[i], home, err, cap) < 0) {
			close(home);
			netdev_close(&a->nd);
			return NULL;
		}
		if (links[i].pcap_path != NULL) {
			char **slot = xgrow(&a->nd.pcaps, &a->nd.npcaps,
			    sizeof(*slot));

			*slot = xstrdup(links[i].pcap_path);
		}
	}
	close(home);
	a->wall_to_mono = mono_us() - wall_us();
	return &a->nd;
}
