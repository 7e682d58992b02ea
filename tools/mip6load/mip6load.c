/*
 * tools/mip6load/mip6load.c - mip6load(1): a Mobile IPv6 registration load
 * generator for benchmarking home agents.
 *
 *	mip6load register -i IF --ha A --ha-mac M --home-prefix P/L --coa C -n N
 *	mip6load latency  (the same options; one BU at a time)
 *	mip6load respond  -i IF [--status S] [--drop K]
 *
 * It runs on the mobile nodes' side of a link and plays N mobile nodes at
 * once: home registrations (RFC 6275 §11.7.1: A and H set, a Home Address
 * option, sent from the care-of address) for the home addresses P + K,
 * P + K + 1, ..., keeping at most W in flight, retransmitting after 1 s
 * without an answer (§11.8), and matching each Binding Acknowledgement to
 * its Binding Update by the Type 2 Routing header's home address and the
 * sequence number (§6.1.8, §9.5.4).
 *
 * Frames go through one AF_PACKET SOCK_DGRAM socket, so the care-of
 * address need not be configured and no IPv6 stack sits in the way: the
 * kernel's own Mobile IPv6 handling (absent on our kernels) never sees the
 * BAs.  A classic BPF filter lets only Mobility Headers reach user space;
 * sendmmsg/recvmmsg move them in batches.  Latency is kernel timestamp to
 * kernel timestamp: the software TX timestamp taken when veth transmits
 * the BU (SO_TIMESTAMPING, read back with the frame from the error queue;
 * latency mode only, as it costs a clone and a read per BU)
 * to the receive timestamp of the BA (SO_TIMESTAMPNS); without TX
 * timestamps the send time is the clock read right after sendmmsg.
 *
 * `respond` is a trivial home agent (every BU answered at once with the
 * given status): the baseline of the generator itself, and the peer of
 * the tests.
 *
 * Every wire format goes through the packets/ library.  Exit: 0 done,
 * 1 error, 64 usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/errqueue.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/net_tstamp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "packets/mh.h"
#include "packets/pkt.h"
#include "packets/sbuf.h"

#define EXIT_ERR	1
#define EXIT_USAGE	64
#define BATCH		64		/* frames per sendmmsg/recvmmsg */
#define FRAME_MAX	2048		/* our BUs are 72 bytes, BAs 80+ */
#define CTL_MAX		256		/* room for the timestamp cmsgs */
#define RETRANS_NS	1000000000ull	/* §11.8: InitialBindackTimeout 1 s */
#define MAX_TRIES	4		/* first send + 3 retransmissions */
#define NSEC		1000000000ull
#define SOCK_BUF	(32 << 20)

enum mode { M_REGISTER, M_LATENCY, M_RESPOND };

struct opts {
	enum mode	mode;
	char		ifname[IF_NAMESIZE];
	unsigned	ifindex;
	struct in6_addr	ha, coa, prefix;
	unsigned	plen;
	uint8_t		ha_mac[6];
	bool		have_ha, have_mac, have_prefix, have_coa, have_n;
	uint32_t	n, window, first;
	uint32_t	lifetime;	/* seconds */
	uint16_t	seq;
	bool		have_seq;
	bool		progress;
	uint32_t	max_time;	/* seconds, 0: none */
	uint8_t		status;		/* respond */
	uint64_t	drop;		/* respond: first K BUs unanswered */
};

/* What the generator knows of one emulated mobile node. */
enum mn_state { MN_IDLE, MN_WAITING, MN_DONE };

struct mn {
	uint64_t	sent_ns;	/* CLOCK_REALTIME of the last send */
	uint16_t	seq;		/* of the last send */
	uint8_t		tries;
	uint8_t		state;
};

struct gen {
	const struct opts *o;
	int		fd;
	struct sockaddr_ll to;
	struct mn	*mn;
	uint32_t	*fifo;		/* MNs in flight, in send order */
	size_t		fifo_head, fifo_len;
	uint32_t	next;		/* next MN never sent */
	uint32_t	inflight;
	uint64_t	accepted, lost, retrans, unmatched, late, sent;
	uint64_t	rejected[256];
	uint64_t	*lat;		/* ns, one per answered MN */
	size_t		nlat;
	uint64_t	t_start, t_last_ba;
	uint64_t	txstamps;	/* kernel TX timestamps used */
	uint64_t	now;		/* of this round of the loop */
	bool		truncated;	/* --max-time reached */
	uint64_t	stop_ns;	/* then: the end of the grace second */
	struct pkt	bu;		/* template; HoA and seq patched */
	struct in6_addr	*bu_hoa;	/* inside bu's Home Address option */
	struct pkt	rx;
};

static volatile sig_atomic_t stop_flag;

/* ------------------------------------------------------------ small helpers */

static uint64_t
now_ns(void)
{
	struct timespec ts;

	/* Realtime, the clock of SO_TIMESTAMPNS and SO_TIMESTAMPING. */
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * NSEC + (uint64_t)ts.tv_nsec;
}

static uint64_t
ts_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * NSEC + (uint64_t)ts->tv_nsec;
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: mip6load register -i IF --ha ADDR --ha-mac MAC "
	    "--home-prefix P/LEN\n"
	    "                --coa ADDR -n N [--window W] [--lifetime S] "
	    "[--first-index K]\n"
	    "                [--seq S] [--progress]\n"
	    "                [--max-time S]\n"
	    "       mip6load latency -i IF --ha ADDR --ha-mac MAC "
	    "--home-prefix P/LEN\n"
	    "                --coa ADDR -n N [--lifetime S] "
	    "[--first-index K] [--seq S]\n"
	    "       mip6load respond -i IF [--status S] [--drop K]\n"
	    "       mip6load -h | --help\n");
}

static void
die(const char *what)
{
	fprintf(stderr, "mip6load: %s: %s\n", what, strerror(errno));
	exit(EXIT_ERR);
}

static void
usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "mip6load: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	usage(stderr);
	exit(EXIT_USAGE);
}

static uint64_t
parse_num(const char *s, const char *opt, uint64_t min, uint64_t max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' ||
	    v < min || v > max) {
		fprintf(stderr, "mip6load: %s: expected a number from %llu to "
		    "%llu, found \"%s\"\n", opt, (unsigned long long)min,
		    (unsigned long long)max, s);
		usage(stderr);
		exit(EXIT_USAGE);
	}
	return v;
}

static void
parse_addr(const char *s, const char *opt, struct in6_addr *a)
{
	if (inet_pton(AF_INET6, s, a) != 1) {
		fprintf(stderr, "mip6load: %s: expected an IPv6 address, "
		    "found \"%s\"\n", opt, s);
		usage(stderr);
		exit(EXIT_USAGE);
	}
}

static void
parse_mac(const char *s, uint8_t mac[6])
{
	unsigned b[6];
	char tail;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
	    &b[4], &b[5], &tail) != 6)
		usage_error("--ha-mac: expected a MAC address "
		    "(aa:bb:cc:dd:ee:ff), found \"%s\"", s);
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
}

/*
 * The home addresses are the prefix with the index in the last 32 bits,
 * so the prefix may be at most /96 and must have those bits clear.
 */
static void
parse_prefix(const char *s, struct opts *o)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t alen = slash != NULL ? (size_t)(slash - s) : 0;

	if (slash == NULL || alen >= INET6_ADDRSTRLEN)
		usage_error("--home-prefix: expected PREFIX/LEN, found \"%s\"",
		    s);
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	parse_addr(buf, "--home-prefix", &o->prefix);
	o->plen = (unsigned)parse_num(slash + 1, "--home-prefix length", 1,
	    96);
	if (o->prefix.s6_addr[12] | o->prefix.s6_addr[13] |
	    o->prefix.s6_addr[14] | o->prefix.s6_addr[15])
		usage_error("--home-prefix: the last 32 bits of \"%s\" must be "
		    "zero (they hold the mobile node's index)", s);
	o->have_prefix = true;
}

static enum mode
parse_mode(const char *s)
{
	if (strcmp(s, "register") == 0)
		return M_REGISTER;
	if (strcmp(s, "latency") == 0)
		return M_LATENCY;
	if (strcmp(s, "respond") == 0)
		return M_RESPOND;
	usage_error("unknown mode \"%s\" (register, latency or respond)", s);
	return M_REGISTER;
}

enum {
	O_HA = 256, O_HA_MAC, O_PREFIX, O_COA, O_WINDOW, O_LIFETIME, O_FIRST,
	O_SEQ, O_PROGRESS, O_STATUS, O_DROP, O_MAX_TIME
};

static void
parse_opt(struct opts *o, int ch, const char *arg)
{
	switch (ch) {
	case 'i':
		if (strlen(arg) >= sizeof o->ifname)
			usage_error("-i: interface name too long: \"%s\"", arg);
		snprintf(o->ifname, sizeof o->ifname, "%s", arg);
		break;
	case 'n':
		o->n = (uint32_t)parse_num(arg, "-n", 1, 16000000);
		o->have_n = true;
		break;
	case O_HA: parse_addr(arg, "--ha", &o->ha); o->have_ha = true; break;
	case O_HA_MAC: parse_mac(arg, o->ha_mac); o->have_mac = true; break;
	case O_PREFIX: parse_prefix(arg, o); break;
	case O_COA: parse_addr(arg, "--coa", &o->coa); o->have_coa = true;
		break;
	case O_WINDOW:
		o->window = (uint32_t)parse_num(arg, "--window", 1, 1 << 20);
		break;
	case O_LIFETIME:	/* 16 bits of 4-second units (§6.1.7) */
		o->lifetime = (uint32_t)parse_num(arg, "--lifetime", 0,
		    65535 * 4);
		break;
	case O_FIRST:
		o->first = (uint32_t)parse_num(arg, "--first-index", 0,
		    UINT32_MAX);
		break;
	case O_SEQ:
		o->seq = (uint16_t)parse_num(arg, "--seq", 0, 65535);
		o->have_seq = true;
		break;
	case O_PROGRESS: o->progress = true; break;
	case O_MAX_TIME:
		o->max_time = (uint32_t)parse_num(arg, "--max-time", 1,
		    86400);
		break;
	case O_STATUS:
		o->status = (uint8_t)parse_num(arg, "--status", 0, 255);
		break;
	case O_DROP:
		o->drop = parse_num(arg, "--drop", 0, UINT64_MAX);
		break;
	default:
		usage(stderr);
		exit(EXIT_USAGE);
	}
}

static void
check_opts(struct opts *o)
{
	if (o->ifname[0] == '\0')
		usage_error("%s: -i IF is required", "missing option");
	if (o->mode == M_RESPOND)
		return;
	if (!o->have_ha || !o->have_mac || !o->have_prefix || !o->have_coa ||
	    !o->have_n)
		usage_error("%s: --ha, --ha-mac, --home-prefix, --coa and -n "
		    "are required", "missing option");
	if ((uint64_t)o->first + o->n - 1 > UINT32_MAX)
		usage_error("%s: --first-index + -n goes past the 32-bit index "
		    "space", "range");
	if (o->mode == M_LATENCY)
		o->window = 1;
	if (!o->have_seq)	/* later runs refresh the same HoAs (§9.5.1) */
		o->seq = (uint16_t)(time(NULL) & 0x7fff);
}

static void
parse_args(struct opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "ha", required_argument, NULL, O_HA },
		{ "ha-mac", required_argument, NULL, O_HA_MAC },
		{ "home-prefix", required_argument, NULL, O_PREFIX },
		{ "coa", required_argument, NULL, O_COA },
		{ "window", required_argument, NULL, O_WINDOW },
		{ "lifetime", required_argument, NULL, O_LIFETIME },
		{ "first-index", required_argument, NULL, O_FIRST },
		{ "seq", required_argument, NULL, O_SEQ },
		{ "progress", no_argument, NULL, O_PROGRESS },
		{ "max-time", required_argument, NULL, O_MAX_TIME },
		{ "status", required_argument, NULL, O_STATUS },
		{ "drop", required_argument, NULL, O_DROP },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof *o);
	o->window = 256;
	o->lifetime = 3600;
	o->first = 65536;
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		exit(0);
	}
	if (argc < 2)
		usage_error("%s", "a mode is required");
	o->mode = parse_mode(argv[1]);
	optind = 2;
	while ((ch = getopt_long(argc, argv, "hi:n:", lo, NULL)) != -1) {
		if (ch == 'h') {
			usage(stdout);
			exit(0);
		}
		parse_opt(o, ch, optarg);
	}
	if (optind != argc)
		usage_error("unexpected argument \"%s\"", argv[optind]);
	check_opts(o);
}

/* ------------------------------------------------------------------ socket */

/*
 * Only Mobility Headers reach user space: directly after the IPv6 header
 * or after one extension header (the BA's Type 2 Routing header, the BU's
 * Destination Options).  SOCK_DGRAM: offset 0 is the IPv6 header.
 */
static void
attach_mh_filter(int fd)
{
	static struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 6),		/* Next Header */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_MH_, 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_ROUTING, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_DSTOPTS, 0, 3),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 40),	/* its Next Header */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_MH_, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, FRAME_MAX),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = {
		.len = sizeof code / sizeof code[0], .filter = code,
	};

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof prog) < 0)
		die("SO_ATTACH_FILTER");
}

static void
set_int(int fd, int level, int name, int v, const char *what)
{
	if (setsockopt(fd, level, name, &v, sizeof v) < 0)
		die(what);
}

/* Large buffers: a window of BAs must never overflow the queue. */
static void
set_bufs(int fd)
{
	int v = SOCK_BUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof v) < 0)
		set_int(fd, SOL_SOCKET, SO_RCVBUF, v, "SO_RCVBUF");
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &v, sizeof v) < 0)
		set_int(fd, SOL_SOCKET, SO_SNDBUF, v, "SO_SNDBUF");
}

static int
open_socket(struct opts *o, bool tx_stamps)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int fd;

	o->ifindex = if_nametoindex(o->ifname);
	if (o->ifindex == 0) {
		fprintf(stderr, "mip6load: interface %s: %s\n", o->ifname,
		    strerror(errno));
		exit(EXIT_ERR);
	}
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_IPV6));
	if (fd < 0)
		die("AF_PACKET socket (are you root?)");
	attach_mh_filter(fd);
	sll.sll_protocol = htons(ETH_P_IPV6);
	sll.sll_ifindex = (int)o->ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0)
		die("bind");
	set_bufs(fd);
	/* Our own BUs are outgoing MH too: never read them back. */
	set_int(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1,
	    "PACKET_IGNORE_OUTGOING");
	set_int(fd, SOL_PACKET, PACKET_QDISC_BYPASS, 1, "PACKET_QDISC_BYPASS");
	set_int(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
	if (tx_stamps)
		(void)setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING,
		    &(int){ SOF_TIMESTAMPING_TX_SOFTWARE |
		    SOF_TIMESTAMPING_SOFTWARE }, sizeof(int));
	return fd;
}

/* Batches of frames for sendmmsg and recvmmsg. */
struct batch {
	struct mmsghdr	msg[BATCH];
	struct iovec	iov[BATCH];
	struct sockaddr_ll addr[BATCH];
	uint8_t		frame[BATCH][FRAME_MAX];
	uint8_t		ctl[BATCH][CTL_MAX];
	size_t		len[BATCH];
	unsigned	n;
};

static struct batch txb, rxb, errb;

static void
batch_arm_rx(struct batch *b)
{
	for (unsigned i = 0; i < BATCH; i++) {
		b->iov[i] = (struct iovec){ b->frame[i], FRAME_MAX };
		b->msg[i].msg_hdr = (struct msghdr){
			.msg_name = &b->addr[i],
			.msg_namelen = sizeof b->addr[i],
			.msg_iov = &b->iov[i], .msg_iovlen = 1,
			.msg_control = b->ctl[i], .msg_controllen = CTL_MAX,
		};
		b->msg[i].msg_len = 0;
	}
}

static int
batch_recv(int fd, struct batch *b, int flags)
{
	int n;

	batch_arm_rx(b);
	n = recvmmsg(fd, b->msg, BATCH, MSG_DONTWAIT | flags, NULL);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		die("recvmmsg");
	}
	return n;
}

/* Send the batch's frames; returns how many left (all, barring errors). */
static unsigned
batch_send(int fd, struct batch *b, const struct sockaddr_ll *to)
{
	unsigned done = 0;

	for (unsigned i = 0; i < b->n; i++) {
		b->iov[i] = (struct iovec){ b->frame[i], b->len[i] };
		b->msg[i].msg_hdr = (struct msghdr){
			.msg_name = (void *)(to != NULL ? to : &b->addr[i]),
			.msg_namelen = sizeof *to,
			.msg_iov = &b->iov[i], .msg_iovlen = 1,
		};
	}
	while (done < b->n) {
		int n = sendmmsg(fd, b->msg + done, b->n - done, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS || errno == EAGAIN) {
				usleep(50);	/* the peer's backlog is full */
				continue;
			}
			die("sendmmsg");
		}
		done += (unsigned)n;
	}
	b->n = 0;
	return done;
}

/* The kernel timestamp of a received frame, 0 if none. */
static uint64_t
cmsg_stamp(struct msghdr *m)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c != NULL;
	    c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(c), sizeof ts);
			return ts_ns(&ts);
		}
		if (c->cmsg_type == SCM_TIMESTAMPING) {
			struct scm_timestamping st;

			memcpy(&st, CMSG_DATA(c), sizeof st);
			return ts_ns(&st.ts[0]);	/* software */
		}
	}
	return 0;
}

/* ------------------------------------------------------------ the MN side */

static struct in6_addr
hoa_of(const struct opts *o, uint32_t idx)
{
	struct in6_addr a = o->prefix;
	uint32_t v = o->first + idx;

	a.s6_addr[12] = (uint8_t)(v >> 24);
	a.s6_addr[13] = (uint8_t)(v >> 16);
	a.s6_addr[14] = (uint8_t)(v >> 8);
	a.s6_addr[15] = (uint8_t)v;
	return a;
}

/* The MN index of a home address, or -1 when it is not one of ours. */
static int64_t
index_of(const struct opts *o, const struct in6_addr *a)
{
	uint32_t v;

	if (memcmp(a->s6_addr, o->prefix.s6_addr, 12) != 0)
		return -1;
	v = (uint32_t)a->s6_addr[12] << 24 | (uint32_t)a->s6_addr[13] << 16 |
	    (uint32_t)a->s6_addr[14] << 8 | a->s6_addr[15];
	if (v < o->first || v - o->first >= o->n)
		return -1;
	return v - o->first;
}

/*
 * The BU template (RFC 6275 §11.7.1): from the care-of address to the home
 * agent, a Home Address option (§6.3) with the HoA, A and H set (§6.1.7);
 * only the HoA and the sequence number change per message.
 */
static void
bu_template(struct gen *g)
{
	const struct opts *o = g->o;
	struct in6_addr zero = IN6ADDR_ANY_INIT;
	struct hdr *h;
	struct mh_msg *m;

	pkt_init(&g->bu, PKT_LINK_RAW);
	h = pkt_push(&g->bu, HDR_IPV6);
	h->u.ip6.src = o->coa;
	h->u.ip6.dst = o->ha;
	h = pkt_push_hao(&g->bu, &zero);
	for (size_t i = 0; i < h->u.opts.ntlv; i++)
		if (h->u.opts.tlv[i].type == IP6_HAO_TYPE)
			g->bu_hoa = &h->u.opts.tlv[i].hoa;
	m = pkt_push_mh(&g->bu, MH_BU);
	m->u.bu.flags = MH_BU_A | MH_BU_H;
	m->u.bu.lifetime = (uint16_t)(o->lifetime / 4);	/* 4 s units */
}

/* Queue the next BU of MN idx (a new sequence number each time, §11.8). */
static void
queue_bu(struct gen *g, uint32_t idx)
{
	struct mn *mn = &g->mn[idx];
	unsigned k = txb.n++;

	mn->seq = mn->tries == 0 ? g->o->seq : (uint16_t)(mn->seq + 1);
	mn->tries++;
	mn->state = MN_WAITING;
	/* Until flush_bus: so that expire() does not see it due again. */
	mn->sent_ns = g->now;
	*g->bu_hoa = hoa_of(g->o, idx);
	g->bu.mh.u.bu.seq = mn->seq;
	if (pkt_encode(&g->bu, txb.frame[k], FRAME_MAX, &txb.len[k]) < 0) {
		fprintf(stderr, "mip6load: cannot encode a BU\n");
		exit(EXIT_ERR);
	}
	g->fifo[(g->fifo_head + g->fifo_len++) % g->o->n] = idx;
}

static void
flush_bus(struct gen *g)
{
	unsigned n = txb.n;
	uint64_t t;

	if (n == 0)
		return;
	batch_send(g->fd, &txb, &g->to);
	t = now_ns();
	if (g->t_start == 0)
		g->t_start = t;
	/* User-space send time; replaced below by the kernel's if it has one. */
	for (size_t i = g->fifo_len - n; i < g->fifo_len; i++)
		g->mn[g->fifo[(g->fifo_head + i) % g->o->n]].sent_ns = t;
	g->sent += n;
}

/* A TX timestamp from the error queue: the frame is the BU, Ethernet on. */
static void
on_tx_stamp(struct gen *g, const uint8_t *frame, size_t len, uint64_t ts)
{
	const struct in6_addr *hoa;
	int64_t idx;

	if (ts == 0 || pkt_decode(&g->rx, PKT_LINK_ETHER, frame, len) < 0 ||
	    !g->rx.has_mh || g->rx.mh.type != MH_BU ||
	    (hoa = pkt_hao(&g->rx)) == NULL ||
	    (idx = index_of(g->o, hoa)) < 0)
		return;
	if (g->mn[idx].seq == g->rx.mh.u.bu.seq &&
	    g->mn[idx].state == MN_WAITING) {
		g->mn[idx].sent_ns = ts;
		g->txstamps++;
	}
}

static void
drain_tx_stamps(struct gen *g)
{
	int n;

	do {
		n = batch_recv(g->fd, &errb, MSG_ERRQUEUE);
		for (int i = 0; i < n; i++)
			on_tx_stamp(g, errb.frame[i], errb.msg[i].msg_len,
			    cmsg_stamp(&errb.msg[i].msg_hdr));
	} while (n == BATCH);
}

static void
mn_finish(struct gen *g, struct mn *mn)
{
	mn->state = MN_DONE;
	g->inflight--;
}

/* A BA: match it by the RH2 home address and the sequence number. */
static void
on_ba(struct gen *g, const uint8_t *frame, size_t len, uint64_t ts)
{
	const struct in6_addr *hoa;
	struct mn *mn;
	int64_t idx;
	uint8_t st;

	if (pkt_decode(&g->rx, PKT_LINK_RAW, frame, len) < 0 ||
	    !g->rx.has_mh || g->rx.mh.type != MH_BA)
		return;
	if ((hoa = pkt_rh2(&g->rx)) == NULL || (idx = index_of(g->o, hoa)) < 0) {
		g->unmatched++;
		return;
	}
	mn = &g->mn[idx];
	if (mn->state != MN_WAITING) {
		g->late++;	/* duplicate, or after we gave up */
		return;
	}
	if (g->rx.mh.u.ba.seq != mn->seq) {
		/* §11.7.3: a BA for an earlier BU; wait for the current. */
		g->late++;
		return;
	}
	if (ts == 0)
		ts = now_ns();
	st = g->rx.mh.u.ba.status;
	if (st < 128)
		g->accepted++;
	else
		g->rejected[st]++;
	g->lat[g->nlat++] = ts > mn->sent_ns ? ts - mn->sent_ns : 0;
	g->t_last_ba = ts;
	mn_finish(g, mn);
}

static void
drain_bas(struct gen *g)
{
	int n;

	do {
		n = batch_recv(g->fd, &rxb, 0);
		for (int i = 0; i < n; i++)
			on_ba(g, rxb.frame[i], rxb.msg[i].msg_len,
			    cmsg_stamp(&rxb.msg[i].msg_hdr));
	} while (n == BATCH);
}

/*
 * The head of the send-order FIFO is the oldest BU in flight: pop what is
 * answered, retransmit what timed out, give up after MAX_TRIES sends.
 * Returns the ns until the head times out (for poll), or 0 when no
 * retransmission is pending.
 */
static uint64_t
expire(struct gen *g, uint64_t now)
{
	while (g->fifo_len > 0 && txb.n < BATCH) {
		uint32_t idx = g->fifo[g->fifo_head];
		struct mn *mn = &g->mn[idx];

		if (mn->state == MN_WAITING &&
		    now < mn->sent_ns + RETRANS_NS)
			return mn->sent_ns + RETRANS_NS - now;
		g->fifo_head = (g->fifo_head + 1) % g->o->n;
		g->fifo_len--;
		if (mn->state != MN_WAITING)
			continue;
		if (mn->tries >= MAX_TRIES || g->truncated) {
			g->lost++;
			mn_finish(g, mn);
			continue;
		}
		g->retrans++;
		queue_bu(g, idx);
	}
	return 0;
}

static void
send_new(struct gen *g)
{
	while (!g->truncated && g->inflight < g->o->window &&
	    g->next < g->o->n && txb.n < BATCH) {
		g->inflight++;
		queue_bu(g, g->next++);
	}
}

static void
progress(struct gen *g, uint64_t now, uint64_t *last)
{
	double s;

	if (!g->o->progress || now < *last + NSEC)
		return;
	*last = now;
	s = (double)(now - g->t_start) / 1e9;
	fprintf(stderr, "mip6load: %.0f s: sent %llu, accepted %llu, lost "
	    "%llu, in flight %u, %.0f accepted/s\n", s,
	    (unsigned long long)g->sent, (unsigned long long)g->accepted,
	    (unsigned long long)g->lost, g->inflight,
	    s > 0 ? (double)g->accepted / s : 0.0);
}

static void
wait_io(struct gen *g, uint64_t until_ns)
{
	struct pollfd p = { .fd = g->fd, .events = POLLIN };
	int ms = (int)(until_ns / 1000000) + 1;

	if (ms > 100)
		ms = 100;	/* progress lines and signals */
	if (poll(&p, 1, ms) < 0 && errno != EINTR)
		die("poll");
}

static bool
all_done(const struct gen *g)
{
	return (g->next == g->o->n || g->truncated) && g->inflight == 0;
}

/*
 * --max-time: send nothing more, give what is in flight one second, then
 * report what was done (a run that slows down still yields its rate).
 */
static bool
out_of_time(struct gen *g, uint64_t now)
{
	if (g->o->max_time == 0 || g->t_start == 0)
		return false;
	if (!g->truncated &&
	    now - g->t_start >= (uint64_t)g->o->max_time * NSEC) {
		g->truncated = true;
		g->stop_ns = now + NSEC;
	}
	return g->truncated && now >= g->stop_ns;
}

static void
run_gen(struct gen *g)
{
	uint64_t last_progress = 0;

	while (!all_done(g) && !stop_flag) {
		uint64_t now = now_ns(), wait;
		uint64_t before = g->sent + g->nlat;

		if (out_of_time(g, now))
			break;
		g->now = now;

		drain_bas(g);
		wait = expire(g, now);
		send_new(g);
		flush_bus(g);
		drain_tx_stamps(g);
		progress(g, now, &last_progress);
		if (g->sent + g->nlat == before && !all_done(g))
			wait_io(g, wait != 0 ? wait : RETRANS_NS);
	}
}

/* --------------------------------------------------------------- results */

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of the sorted samples, in microseconds. */
static void
jw_pct(struct jw *jw, const char *key, const uint64_t *v, size_t n,
    unsigned pct)
{
	char num[32];
	size_t rank;

	if (n == 0) {
		jw_null(jw, key);
		return;
	}
	rank = (n * pct + 99) / 100;
	if (rank == 0)
		rank = 1;
	snprintf(num, sizeof num, "%.1f", (double)v[rank - 1] / 1e3);
	jw_raw(jw, key, num);
}

static void
jw_double(struct jw *jw, const char *key, double v, const char *fmt)
{
	char num[48];

	snprintf(num, sizeof num, fmt, v);
	jw_raw(jw, key, num);
}

static void
print_result(struct gen *g)
{
	static char out[8192];
	const struct opts *o = g->o;
	uint64_t end = g->t_last_ba > g->t_start ? g->t_last_ba : g->t_start;
	double secs = (double)(end - g->t_start) / 1e9;
	struct sbuf sb;
	struct jw jw;

	qsort(g->lat, g->nlat, sizeof g->lat[0], cmp_u64);
	sbuf_init(&sb, out, sizeof out);
	jw_init(&jw, &sb);
	jw_obj_open(&jw, NULL);
	jw_str(&jw, "mode", o->mode == M_LATENCY ? "latency" : "register");
	jw_uint(&jw, "n", o->n);
	jw_uint(&jw, "accepted", g->accepted);
	jw_obj_open(&jw, "rejected");
	for (unsigned s = 0; s < 256; s++) {
		char key[4];

		if (g->rejected[s] == 0)
			continue;
		snprintf(key, sizeof key, "%u", s);
		jw_uint(&jw, key, g->rejected[s]);
	}
	jw_obj_close(&jw);
	/* Lost: sent to but never answered; never_sent: --max-time. */
	jw_uint(&jw, "lost", g->next - g->nlat);
	jw_uint(&jw, "never_sent", o->n - g->next);
	jw_bool(&jw, "truncated", g->truncated);
	jw_uint(&jw, "sent", g->sent);
	jw_uint(&jw, "retransmits", g->retrans);
	jw_uint(&jw, "unmatched", g->unmatched);
	jw_uint(&jw, "late", g->late);
	jw_uint(&jw, "window", o->window);
	jw_double(&jw, "elapsed_s", secs, "%.6f");
	jw_double(&jw, "rate_per_s", secs > 0 ? (double)g->accepted / secs :
	    0.0, "%.1f");
	jw_str(&jw, "tx_stamp", g->txstamps > 0 ? "kernel" : "user");
	jw_obj_open(&jw, "latency_us");
	jw_pct(&jw, "p50", g->lat, g->nlat, 50);
	jw_pct(&jw, "p90", g->lat, g->nlat, 90);
	jw_pct(&jw, "p99", g->lat, g->nlat, 99);
	jw_pct(&jw, "max", g->lat, g->nlat, 100);
	jw_obj_close(&jw);
	jw_obj_close(&jw);
	printf("%s\n", sbuf_str(&sb));
}

static void
on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int
cmd_generate(struct opts *o)
{
	static struct gen g;

	g.o = o;
	/* TX timestamps cost a clone and a read per BU: latency mode only. */
	g.fd = open_socket(o, o->mode == M_LATENCY);
	g.to = (struct sockaddr_ll){
		.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IPV6),
		.sll_ifindex = (int)o->ifindex, .sll_halen = 6,
	};
	memcpy(g.to.sll_addr, o->ha_mac, 6);
	g.mn = calloc(o->n, sizeof *g.mn);
	g.fifo = calloc(o->n, sizeof *g.fifo);
	g.lat = calloc(o->n, sizeof *g.lat);
	if (g.mn == NULL || g.fifo == NULL || g.lat == NULL)
		die("calloc");
	bu_template(&g);
	run_gen(&g);
	print_result(&g);
	close(g.fd);
	free(g.mn);
	free(g.fifo);
	free(g.lat);
	return stop_flag ? EXIT_ERR : 0;
}

/* ------------------------------------------------------------ respond */

struct responder {
	const struct opts *o;
	int		fd;
	struct pkt	in, out;
	uint64_t	received, answered, dropped;
};

/*
 * The BA of a trivial home agent (RFC 6275 §9.5.4, §6.1.8): to the
 * care-of address, the home address in a Type 2 Routing header, the BU's
 * sequence number and lifetime.
 */
static bool
build_ba(struct responder *r, uint8_t *frame, size_t *len)
{
	const struct hdr_ipv6 *bu_ip = pkt_inner_ip6(&r->in);
	const struct in6_addr *hoa = pkt_hao(&r->in);
	struct mh_msg *m;
	struct hdr *h;

	if (bu_ip == NULL || hoa == NULL)
		return false;
	pkt_init(&r->out, PKT_LINK_RAW);
	h = pkt_push(&r->out, HDR_IPV6);
	h->u.ip6.src = bu_ip->dst;
	h->u.ip6.dst = bu_ip->src;
	pkt_push_rh2(&r->out, hoa);
	m = pkt_push_mh(&r->out, MH_BA);
	m->u.ba.status = r->o->status;
	m->u.ba.seq = r->in.mh.u.bu.seq;
	m->u.ba.lifetime = r->o->status < 128 ? r->in.mh.u.bu.lifetime : 0;
	return pkt_encode(&r->out, frame, FRAME_MAX, len) == 0;
}

static void
respond_batch(struct responder *r, int n)
{
	for (int i = 0; i < n; i++) {
		unsigned k = txb.n;

		if (pkt_decode(&r->in, PKT_LINK_RAW, rxb.frame[i],
		    rxb.msg[i].msg_len) < 0 || !r->in.has_mh ||
		    r->in.mh.type != MH_BU)
			continue;
		r->received++;
		if (r->received <= r->o->drop) {
			r->dropped++;
			continue;
		}
		if (!build_ba(r, txb.frame[k], &txb.len[k]))
			continue;
		txb.addr[k] = rxb.addr[i];	/* back to the sender's MAC */
		txb.addr[k].sll_protocol = htons(ETH_P_IPV6);
		txb.n++;
	}
	r->answered += txb.n;
	batch_send(r->fd, &txb, NULL);
}

static int
cmd_respond(struct opts *o)
{
	static struct responder r;
	char out[256];
	struct sbuf sb;
	struct jw jw;

	r.o = o;
	r.fd = open_socket(o, false);
	/* Ready: the tests wait for this line before they start loading. */
	fprintf(stderr, "mip6load: responding on %s\n", o->ifname);
	while (!stop_flag) {
		struct pollfd p = { .fd = r.fd, .events = POLLIN };
		int n = batch_recv(r.fd, &rxb, 0);

		if (n > 0)
			respond_batch(&r, n);
		else if (poll(&p, 1, 100) < 0 && errno != EINTR)
			die("poll");
	}
	sbuf_init(&sb, out, sizeof out);
	jw_init(&jw, &sb);
	jw_obj_open(&jw, NULL);
	jw_uint(&jw, "received", r.received);
	jw_uint(&jw, "answered", r.answered);
	jw_uint(&jw, "dropped", r.dropped);
	jw_obj_close(&jw);
	printf("%s\n", sbuf_str(&sb));
	close(r.fd);
	return 0;
}

int
main(int argc, char **argv)
{
	static struct opts o;
	struct sigaction sa = { .sa_handler = on_stop };

	parse_args(&o, argc, argv);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (o.mode == M_RESPOND)
		return cmd_respond(&o);
	return cmd_generate(&o);
}
