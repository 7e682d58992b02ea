/*
 * mnsim_helper.c - an emulated mobile node / mobile router / correspondent
 * for the home agent's namespace tests (had_netns_test.sh).  Run it inside
 * a namespace with `ip netns exec`.
 *
 *	mnsim COMMAND [options]
 *
 * Mobility signaling is built whole (IPv6 header on) with the packets/
 * library and sent on an IPPROTO_RAW socket, so the source may be a
 * care-of address that is not configured on this node; answers are read
 * with libpcap on -i IF (filter "ip6") and decoded with pkt_decode.  Each
 * command prints one JSON object on stdout and exits 0 when the expected
 * answer came, 1 on timeout ({"timeout":true,...}), 2 on a usage or
 * system error.  Commands (one function each, table at the end):
 *
 *   bu        Binding Update from the CoA with a Home Address option
 *             (RFC 6275 §6.1.7, §11.7.1); waits for the BA to the CoA.
 *             --v4hoa A.B.C.D/LEN adds the IPv4 Home Address option
 *             (RFC 5555 §3.1.1); the IPv4 Address Acknowledgement of the
 *             BA is printed as v4ack_status, v4ack_addr, v4ack_plen.
 *   hao-echo  Echo Request carrying a Home Address option; waits for the
 *             Binding Error (RFC 6275 §9.3.1: status 1, unknown HAO).
 *   mh-unknown  a Mobility Header of an unknown type; waits for the
 *             Binding Error (RFC 6275 §9.2: status 2).
 *   dhaad     DHAAD Request (RFC 6275 §6.5, RFC 3963 §7); waits for the
 *             Reply with the same identifier.
 *   mps       Mobile Prefix Solicitation from the CoA with a HAO (RFC 6275
 *             §6.7, §11.4.2); waits for the Advertisement.
 *   flood     N Binding Updates with random home addresses inside PREFIX
 *             from random care-of addresses of IF's /64, at RATE per s.
 *   ping      Echo Requests from this node's own addresses (an ordinary
 *             ICMPv6 socket, so it needs no iputils); counts the replies;
 *             exit 0 only when every request was answered.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "packets/buf.h"
#include "packets/icmp6.h"
#include "packets/mh.h"
#include "packets/pkt.h"
#include "packets/sbuf.h"

#define EXIT_ANSWER	0
#define EXIT_TIMEOUT	1
#define EXIT_USAGE	2
#define MNP_MAX		8
#define PING_ID		0x6d36		/* "m6" */

struct opts {
	const char	*iface;
	struct in6_addr	 coa, hoa, ha, src, dst;
	bool		 have_coa, have_hoa, have_ha, have_src, have_dst;
	unsigned	 seq, lifetime, id, type, count, rate, size;
	unsigned	 timeout_ms, retransmit_ms, interval_ms;
	bool		 have_seq, have_lifetime;
	const char	*flags;		/* BU flag letters */
	bool		 no_hao, router;
	size_t		 nmnp;
	struct in6_addr	 mnp[MNP_MAX];
	uint8_t		 mnp_len[MNP_MAX];
	struct in6_addr	 prefix;
	uint8_t		 prefix_len;
	bool		 have_prefix;
	struct in_addr	 v4hoa;
	unsigned	 v4hoa_len;
	bool		 have_v4hoa;
};

/* A capture on the test interface, opened before the request is sent. */
struct cap {
	pcap_t		*pc;
	enum pkt_link	 link;
	int		 fd;
};

static struct pkt out_pkt, in_pkt;	/* large: not on the stack */
static char json_buf[8192];

/* --------------------------------------------------------------- output */

static void
emit(const struct sbuf *sb)
{
	printf("%s\n", sbuf_str(sb));
	fflush(stdout);
}

static int
emit_timeout(const char *what, unsigned tx)
{
	printf("{\"timeout\":true,\"waiting_for\":\"%s\",\"tx\":%u}\n", what,
	    tx);
	fflush(stdout);
	return EXIT_TIMEOUT;
}

static int
fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "mnsim: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

/* ----------------------------------------------------------------- time */

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void
sleep_until_us(uint64_t t)
{
	uint64_t n = now_us();
	struct timespec ts;

	if (t <= n)
		return;
	ts.tv_sec = (time_t)((t - n) / 1000000u);
	ts.tv_nsec = (long)((t - n) % 1000000u) * 1000;
	nanosleep(&ts, NULL);
}

/* ------------------------------------------------------- capture, send */

static int
cap_setup(struct cap *c, const char *iface, char *err)
{
	struct bpf_program prog;

	if (pcap_set_snaplen(c->pc, 65535) != 0 ||
	    pcap_set_immediate_mode(c->pc, 1) != 0 || pcap_activate(c->pc) < 0)
		return fail("pcap: %s", pcap_geterr(c->pc));
	if (pcap_compile(c->pc, &prog, "ip6", 1, PCAP_NETMASK_UNKNOWN) < 0)
		return fail("pcap filter: %s", pcap_geterr(c->pc));
	if (pcap_setfilter(c->pc, &prog) < 0) {
		pcap_freecode(&prog);
		return fail("pcap filter: %s", pcap_geterr(c->pc));
	}
	pcap_freecode(&prog);
	switch (pcap_datalink(c->pc)) {
	case DLT_EN10MB:	c->link = PKT_LINK_ETHER; break;
	case DLT_LINUX_SLL:	c->link = PKT_LINK_LINUX_SLL; break;
	case DLT_RAW:		c->link = PKT_LINK_RAW; break;
	default:		return fail("%s: unsupported link type", iface);
	}
	if (pcap_setnonblock(c->pc, 1, err) < 0)
		return fail("pcap: %s", err);
	c->fd = pcap_get_selectable_fd(c->pc);
	return c->fd < 0 ? fail("%s: no selectable fd", iface) : 0;
}

/* Capture on iface from now on; 0, or EXIT_USAGE with a message. */
static int
cap_open(struct cap *c, const char *iface)
{
	char err[PCAP_ERRBUF_SIZE];

	c->pc = pcap_create(iface, err);
	if (c->pc == NULL)
		return fail("pcap: %s", err);
	if (cap_setup(c, iface, err) != 0) {
		pcap_close(c->pc);
		return EXIT_USAGE;
	}
	return 0;
}

/*
 * Wait until `deadline_us` for a captured packet that `match` accepts;
 * it is left decoded in in_pkt.  true when one came.
 */
static bool
cap_wait(struct cap *c, uint64_t deadline_us,
    bool (*match)(const struct pkt *, const struct opts *),
    const struct opts *o)
{
	for (;;) {
		struct pcap_pkthdr *h;
		const u_char *data;
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		uint64_t n = now_us();
		int r;

		while ((r = pcap_next_ex(c->pc, &h, &data)) == 1) {
			pkt_decode_wire(&in_pkt, c->link, data, h->caplen,
			    h->len);
			if (match(&in_pkt, o))
				return true;
		}
		if (r < 0 || n >= deadline_us)
			return false;
		(void)poll(&pfd, 1, (int)((deadline_us - n + 999) / 1000));
	}
}

static int
raw_socket(void)
{
	int s = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);

	if (s < 0)
		perror("mnsim: raw IPv6 socket");
	return s;
}

/* Encode out_pkt and send it to its IPv6 destination. */
static int
send_pkt(int s)
{
	static uint8_t buf[4096];
	struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
	size_t len;

	if (pkt_encode(&out_pkt, buf, sizeof buf, &len) < 0) {
		fprintf(stderr, "mnsim: packet does not encode\n");
		return -1;
	}
	to.sin6_addr = out_pkt.h[0].u.ip6.dst;
	if (sendto(s, buf, len, 0, (struct sockaddr *)&to, sizeof to) < 0)
		return -1;
	return 0;
}

static struct hdr *
push_ip6(const struct in6_addr *src, const struct in6_addr *dst)
{
	struct hdr *h;

	pkt_init(&out_pkt, PKT_LINK_RAW);
	h = pkt_push(&out_pkt, HDR_IPV6);
	h->u.ip6.src = *src;
	h->u.ip6.dst = *dst;
	return h;
}

/*
 * Send out_pkt, and again every retransmit_ms (a Binding Update with the
 * next sequence number), until `match` accepts an
 * answer or timeout_ms passes; closes the capture.  Returns the
 * transmissions made (0 on a send error) and sets *rtt_us from the last
 * transmission.
 */
static unsigned
exchange(struct cap *c, const struct opts *o,
    bool (*match)(const struct pkt *, const struct opts *), bool *got,
    uint64_t *rtt_us)
{
	uint64_t start = now_us(), end = start + o->timeout_ms * 1000ull;
	unsigned tx = 0;
	int s = raw_socket();

	*got = false;
	if (s < 0) {
		pcap_close(c->pc);
		return 0;
	}
	while (!*got && now_us() < end) {
		uint64_t sent = now_us(), until = end;

		/* RFC 6275 §11.7.1: every Binding Update, retransmissions
		   included, carries a greater Sequence Number. */
		if (tx > 0 && out_pkt.has_mh && out_pkt.mh.type == MH_BU)
			out_pkt.mh.u.bu.seq++;
		if (send_pkt(s) < 0) {
			perror("mnsim: send");
			break;
		}
		tx++;
		if (o->retransmit_ms > 0 &&
		    sent + o->retransmit_ms * 1000ull < end)
			until = sent + o->retransmit_ms * 1000ull;
		*got = cap_wait(c, until, match, o);
		*rtt_us = now_us() - sent;
	}
	close(s);
	pcap_close(c->pc);	/* the answer, if any, is decoded in in_pkt */
	return tx;
}

/* ---------------------------------------------------------------- parse */

static int
parse_prefix(const char *s, struct in6_addr *a, uint8_t *len)
{
	char buf[INET6_ADDRSTRLEN + 5], *slash, *end;
	long l;

	snprintf(buf, sizeof buf, "%s", s);
	slash = strchr(buf, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	l = strtol(slash + 1, &end, 10);
	if (*end != '\0' || l < 0 || l > 128 ||
	    inet_pton(AF_INET6, buf, a) != 1)
		return -1;
	*len = (uint8_t)l;
	return 0;
}

static int
parse_addr(const char *s, struct in6_addr *a, bool *have)
{
	*have = inet_pton(AF_INET6, s, a) == 1;
	return *have ? 0 : -1;
}

static int
parse_uint(const char *s, unsigned *v)
{
	char *end;
	unsigned long l = strtoul(s, &end, 0);

	if (*s == '\0' || *end != '\0' || l > 0xffffffffu)
		return -1;
	*v = (unsigned)l;
	return 0;
}

enum { O_COA = 256, O_HOA, O_HA, O_SRC, O_DST, O_SEQ, O_LIFETIME, O_FLAGS,
	O_MNP, O_NOHAO, O_TIMEOUT, O_TYPE, O_ID, O_ROUTER, O_COUNT, O_RATE,
	O_PREFIX, O_RETRANSMIT, O_INTERVAL, O_SIZE, O_V4HOA };

/* "A.B.C.D/LEN" (LEN 0..32: 0 is sent as is, to test the HA). */
static int
parse_v4hoa(const char *arg, struct opts *o)
{
	char a[32], *slash;

	snprintf(a, sizeof a, "%s", arg);
	if ((slash = strchr(a, '/')) == NULL)
		return -1;
	*slash++ = '\0';
	if (inet_pton(AF_INET, a, &o->v4hoa) != 1 ||
	    parse_uint(slash, &o->v4hoa_len) != 0 || o->v4hoa_len > 32)
		return -1;
	o->have_v4hoa = true;
	return 0;
}

static int
parse_opt(struct opts *o, int ch, const char *arg)
{
	bool seen;

	switch (ch) {
	case 'i': o->iface = arg; return 0;
	case O_COA: return parse_addr(arg, &o->coa, &o->have_coa);
	case O_HOA: return parse_addr(arg, &o->hoa, &o->have_hoa);
	case O_HA: return parse_addr(arg, &o->ha, &o->have_ha);
	case O_SRC: return parse_addr(arg, &o->src, &o->have_src);
	case O_DST: return parse_addr(arg, &o->dst, &o->have_dst);
	case O_SEQ: o->have_seq = true; return parse_uint(arg, &o->seq);
	case O_LIFETIME:
		o->have_lifetime = true;
		return parse_uint(arg, &o->lifetime);
	case O_FLAGS: o->flags = arg; return 0;
	case O_MNP:
		if (o->nmnp == MNP_MAX)
			return -1;
		if (parse_prefix(arg, &o->mnp[o->nmnp], &o->mnp_len[o->nmnp]))
			return -1;
		o->nmnp++;
		return 0;
	case O_NOHAO: o->no_hao = true; return 0;
	case O_TIMEOUT: return parse_uint(arg, &o->timeout_ms);
	case O_RETRANSMIT: return parse_uint(arg, &o->retransmit_ms);
	case O_INTERVAL: return parse_uint(arg, &o->interval_ms);
	case O_SIZE: return parse_uint(arg, &o->size);
	case O_TYPE: return parse_uint(arg, &o->type);
	case O_ID: return parse_uint(arg, &o->id);
	case O_ROUTER: o->router = true; return 0;
	case O_COUNT: return parse_uint(arg, &o->count);
	case O_RATE: return parse_uint(arg, &o->rate);
	case O_V4HOA: return parse_v4hoa(arg, o);
	case O_PREFIX:
		seen = parse_prefix(arg, &o->prefix, &o->prefix_len) == 0;
		o->have_prefix = seen;
		return seen ? 0 : -1;
	}
	return -1;
}

/* ------------------------------------------------------------- matchers */

static bool
is_mh_to(const struct pkt *p, uint8_t type, const struct in6_addr *dst)
{
	const struct hdr_ipv6 *ip = pkt_inner_ip6(p);

	return p->has_mh && p->mh.type == type && ip != NULL &&
	    memcmp(&ip->dst, dst, sizeof *dst) == 0;
}

static bool
is_icmp6_to(const struct pkt *p, uint8_t type, const struct in6_addr *dst)
{
	const struct hdr_ipv6 *ip = pkt_inner_ip6(p);

	return p->has_icmp6 && p->icmp6.type == type && ip != NULL &&
	    memcmp(&ip->dst, dst, sizeof *dst) == 0;
}

/* A BA to the CoA for our home address (RFC 6275 §6.4.1: RH2 = HoA). */
static bool
match_ba(const struct pkt *p, const struct opts *o)
{
	const struct in6_addr *rh2 = pkt_rh2(p);

	if (!is_mh_to(p, MH_BA, &o->coa))
		return false;
	return o->no_hao || (rh2 != NULL && memcmp(rh2, &o->hoa,
	    sizeof *rh2) == 0);
}

static bool
match_be_coa(const struct pkt *p, const struct opts *o)
{
	return is_mh_to(p, MH_BE, &o->coa);
}

static bool
match_be_src(const struct pkt *p, const struct opts *o)
{
	return is_mh_to(p, MH_BE, &o->src);
}

static bool
match_dhaad(const struct pkt *p, const struct opts *o)
{
	return is_icmp6_to(p, ICMP6_T_DHAAD_REPLY, &o->src) &&
	    p->icmp6.u.dhaad.id == o->id;
}

static bool
match_mpa(const struct pkt *p, const struct opts *o)
{
	return is_icmp6_to(p, ICMP6_T_MPA, &o->coa) &&
	    p->icmp6.u.mp.id == o->id;
}

/* ------------------------------------------------------------- commands */

static int
bu_flag_bits(const char *s, uint16_t *bits)
{
	static const char letters[] = "AHLKMRPFTBSD";
	static const uint16_t values[] = { MH_BU_A, MH_BU_H, MH_BU_L, MH_BU_K,
		MH_BU_M, MH_BU_R, MH_BU_P, MH_BU_F, MH_BU_T, MH_BU_B, MH_BU_S,
		MH_BU_D };

	*bits = 0;
	for (; *s != '\0'; s++) {
		const char *l = strchr(letters, *s);

		if (l == NULL)
			return -1;
		*bits |= values[l - letters];
	}
	return 0;
}

static void
ba_flag_letters(uint8_t f, char out[8])
{
	static const struct { uint8_t bit; char c; } t[] = {
		{ MH_BA_K, 'K' }, { MH_BA_R, 'R' }, { MH_BA_P, 'P' },
		{ MH_BA_T, 'T' }, { MH_BA_B, 'B' }, { MH_BA_S, 'S' },
		{ MH_BA_D, 'D' },
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (f & t[i].bit)
			out[n++] = t[i].c;
	out[n] = '\0';
}

/* A Binding Update from the CoA; the HAO carries the HoA (§6.1.7). */
static int
build_bu(const struct opts *o, const struct in6_addr *coa,
    const struct in6_addr *hoa, uint16_t seq, uint16_t flags)
{
	struct mh_msg *m;

	push_ip6(coa, &o->ha);
	if (!o->no_hao)
		pkt_push_hao(&out_pkt, hoa);
	m = pkt_push_mh(&out_pkt, MH_BU);
	m->u.bu.seq = seq;
	m->u.bu.flags = flags;
	m->u.bu.lifetime = (uint16_t)(o->lifetime / 4);	/* 4 s units */
	for (size_t i = 0; i < o->nmnp; i++) {
		struct mh_opt *op = mh_add_opt(m, MHOPT_MNP);

		if (op == NULL)
			return -1;
		op->u.mnp.plen = o->mnp_len[i];
		op->u.mnp.prefix = o->mnp[i];
	}
	if (o->have_v4hoa) {
		struct mh_opt *op = mh_add_opt(m, MHOPT_V4HOA);

		if (op == NULL)
			return -1;
		op->u.v4hoa.addr = o->v4hoa;
		op->u.v4hoa.plen = (uint8_t)o->v4hoa_len;
	}
	return 0;
}

/* The BA's IPv4 Address Acknowledgement (RFC 5555 §3.2.1), if any. */
static void
v4ack_json(struct jw *jw, const struct mh_msg *m)
{
	for (size_t i = 0; i < m->nopts; i++) {
		const struct mh_opt *op = &m->opts[i];

		if (op->type != MHOPT_V4ACK)
			continue;
		jw_uint(jw, "v4ack_status", op->u.v4ack.status);
		jw_in4(jw, "v4ack_addr", &op->u.v4ack.addr);
		jw_uint(jw, "v4ack_plen", op->u.v4ack.plen);
	}
}

static int
cmd_bu(struct opts *o)
{
	struct cap c;
	uint16_t flags;
	bool got;
	uint64_t rtt = 0;
	unsigned tx;
	struct sbuf sb;
	struct jw jw;
	char fl[8];
	const struct in6_addr *rh2;

	if (!o->have_coa || !o->have_hoa || !o->have_ha || !o->have_seq ||
	    !o->have_lifetime || o->seq > 0xffff || o->lifetime > 0x3fffc)
		return fail("%s", "bu needs --coa --hoa --ha --seq --lifetime");
	if (bu_flag_bits(o->flags != NULL ? o->flags : "AH", &flags) < 0)
		return fail("bad --flags %s", o->flags);
	if (build_bu(o, &o->coa, &o->hoa, (uint16_t)o->seq, flags) < 0 ||
	    cap_open(&c, o->iface) != 0)
		return EXIT_USAGE;
	tx = exchange(&c, o, match_ba, &got, &rtt);
	if (!got)
		return emit_timeout("BA", tx);
	sbuf_init(&sb, json_buf, sizeof json_buf);
	jw_init(&jw, &sb);
	jw_obj_open(&jw, NULL);
	jw_uint(&jw, "status", in_pkt.mh.u.ba.status);
	jw_uint(&jw, "seq", in_pkt.mh.u.ba.seq);
	jw_uint(&jw, "lifetime", in_pkt.mh.u.ba.lifetime * 4u);
	ba_flag_letters(in_pkt.mh.u.ba.flags, fl);
	jw_str(&jw, "flags", fl);
	rh2 = pkt_rh2(&in_pkt);
	if (rh2 != NULL)
		jw_in6(&jw, "rh2", rh2);
	else
		jw_null(&jw, "rh2");
	jw_in6(&jw, "src", &pkt_inner_ip6(&in_pkt)->src);
	v4ack_json(&jw, &in_pkt.mh);
	jw_uint(&jw, "rtt_us", rtt);
	jw_uint(&jw, "tx", tx);
	jw_uint(&jw, "violations", in_pkt.viol.n);
	jw_obj_close(&jw);
	emit(&sb);
	return EXIT_ANSWER;
}

static int
print_be(unsigned tx)
{
	struct sbuf sb;
	struct jw jw;
	const struct hdr_ipv6 *ip = pkt_inner_ip6(&in_pkt);

	sbuf_init(&sb, json_buf, sizeof json_buf);
	jw_init(&jw, &sb);
	jw_obj_open(&jw, NULL);
	jw_uint(&jw, "be_status", in_pkt.mh.u.be.status);
	jw_in6(&jw, "hoa", &in_pkt.mh.u.be.hoa);
	jw_in6(&jw, "src", &ip->src);
	jw_in6(&jw, "dst", &ip->dst);
	jw_uint(&jw, "tx", tx);
	jw_uint(&jw, "violations", in_pkt.viol.n);
	jw_obj_close(&jw);
	emit(&sb);
	return EXIT_ANSWER;
}

static int
cmd_hao_echo(struct opts *o)
{
	struct cap c;
	struct icmp6_msg *m;
	bool got;
	uint64_t rtt;
	unsigned tx;

	if (!o->have_coa || !o->have_hoa || !o->have_dst)
		return fail("%s", "hao-echo needs --coa --hoa --dst");
	if (cap_open(&c, o->iface) != 0)
		return EXIT_USAGE;
	push_ip6(&o->coa, &o->dst);
	pkt_push_hao(&out_pkt, &o->hoa);
	m = pkt_push_icmp6(&out_pkt, ICMP6_T_ECHO_REQUEST, 0);
	m->u.echo.id = PING_ID;
	m->u.echo.seq = 1;
	tx = exchange(&c, o, match_be_coa, &got, &rtt);
	return got ? print_be(tx) : emit_timeout("BE", tx);
}

static int
cmd_mh_unknown(struct opts *o)
{
	struct cap c;
	bool got;
	uint64_t rtt;
	unsigned tx;

	if (!o->have_src || !o->have_dst || o->type > 255)
		return fail("%s", "mh-unknown needs --src --dst [--type N]");
	if (cap_open(&c, o->iface) != 0)
		return EXIT_USAGE;
	push_ip6(&o->src, &o->dst);
	pkt_push_mh(&out_pkt, (uint8_t)o->type);
	tx = exchange(&c, o, match_be_src, &got, &rtt);
	return got ? print_be(tx) : emit_timeout("BE", tx);
}

static int
cmd_dhaad(struct opts *o)
{
	struct cap c;
	struct icmp6_msg *m;
	bool got;
	uint64_t rtt;
	unsigned tx;
	struct sbuf sb;
	struct jw jw;

	if (!o->have_src || !o->have_dst || o->id > 0xffff)
		return fail("%s", "dhaad needs --src --dst --id");
	if (cap_open(&c, o->iface) != 0)
		return EXIT_USAGE;
	push_ip6(&o->src, &o->dst);
	m = pkt_push_icmp6(&out_pkt, ICMP6_T_DHAAD_REQUEST, 0);
	m->u.dhaad.id = (uint16_t)o->id;
	m->u.dhaad.flags = o->router ? ICMP6_DHAAD_R : 0;
	tx = exchange(&c, o, match_dhaad, &got, &rtt);
	if (!got)
		return emit_timeout("DHAAD Reply", tx);
	sbuf_init(&sb, json_buf, sizeof json_buf);
	jw_init(&jw, &sb);
	jw_obj_open(&jw, NULL);
	jw_uint(&jw, "id", in_pkt.icmp6.u.dhaad.id);
	jw_arr_open(&jw, "ha");
	for (size_t i = 0; i < in_pkt.icmp6.u.dhaad.naddrs; i++)
		jw_in6(&jw, NULL, &in_pkt.icmp6.u.dhaad.addrs[i]);
	jw_arr_close(&jw);
	jw_bool(&jw, "R", (in_pkt.icmp6.u.dhaad.flags & ICMP6_DHAAD_R) != 0);
	jw_in6(&jw, "src", &pkt_inner_ip6(&in_pkt)->src);
	jw_uint(&jw, "violations", in_pkt.viol.n);
	jw_obj_close(&jw);
	emit(&sb);
	return EXIT_ANSWER;
}

static int
cmd_mps(struct opts *o)
{
	struct cap c;
	struct icmp6_msg *m;
	bool got;
	uint64_t rtt;
	unsigned tx;
	struct sbuf sb;
	struct jw jw;
	const struct in6_addr *rh2;

	if (!o->have_coa || !o->have_hoa || !o->have_ha || o->id > 0xffff)
		return fail("%s", "mps needs --coa --hoa --ha --id");
	if (cap_open(&c, o->iface) != 0)
		return EXIT_USAGE;
	push_ip6(&o->coa, &o->ha);
	pkt_push_hao(&out_pkt, &o->hoa);
	m = pkt_push_icmp6(&out_pkt, ICMP6_T_MPS, 0);
	m->u.mp.id = (uint16_t)o->id;
	tx = exchange(&c, o, match_mpa, &got, &rtt);
	if (!got)
		return emit_timeout("MPA", tx);
	sbuf_init(&sb, json_buf, sizeof json_buf);
	jw_init(&jw, &sb);
	jw_obj_open(&jw, NULL);
	jw_uint(&jw, "id", in_pkt.icmp6.u.mp.id);
	jw_arr_open(&jw, "prefixes");
	for (size_t i = 0; i < in_pkt.icmp6.nopts; i++) {
		const struct nd_opt *op = &in_pkt.icmp6.opts[i];
		char a[IN6_STRLEN], s[IN6_STRLEN + 8];

		if (op->type != NDOPT_PREFIX)
			continue;
		snprintf(s, sizeof s, "%s/%u", in6_fmt(&op->u.prefix.prefix, a),
		    op->u.prefix.plen);
		jw_str(&jw, NULL, s);
	}
	jw_arr_close(&jw);
	rh2 = pkt_rh2(&in_pkt);
	if (rh2 != NULL)
		jw_in6(&jw, "rh2", rh2);
	else
		jw_null(&jw, "rh2");
	jw_uint(&jw, "violations", in_pkt.viol.n);
	jw_obj_close(&jw);
	emit(&sb);
	return EXIT_ANSWER;
}

/* The first global IPv6 address of an interface. */
static int
iface_global(const char *name, struct in6_addr *a)
{
	struct ifaddrs *ifa, *i;
	int rc = -1;

	if (getifaddrs(&ifa) < 0)
		return -1;
	for (i = ifa; i != NULL && rc < 0; i = i->ifa_next) {
		struct sockaddr_in6 sin6;

		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET6 ||
		    strcmp(i->ifa_name, name) != 0)
			continue;
		memcpy(&sin6, i->ifa_addr, sizeof sin6);
		if (IN6_IS_ADDR_LINKLOCAL(&sin6.sin6_addr))
			continue;
		*a = sin6.sin6_addr;
		rc = 0;
	}
	freeifaddrs(ifa);
	return rc;
}

/* Keep the first plen bits of base, fill the rest at random. */
static void
random_in(struct in6_addr *a, const struct in6_addr *base, unsigned plen)
{
	uint8_t r[16];

	if (getrandom(r, sizeof r, 0) != sizeof r)
		memset(r, 0x5a, sizeof r);
	for (unsigned b = 0; b < 16; b++) {
		unsigned keep = plen >= (b + 1) * 8 ? 8 :
		    plen > b * 8 ? plen - b * 8 : 0;
		uint8_t mask = (uint8_t)(0xffu >> keep);	/* random bits */

		a->s6_addr[b] = (uint8_t)((base->s6_addr[b] & ~mask) |
		    (r[b] & mask));
	}
}

static int
cmd_flood(struct opts *o)
{
	struct in6_addr net, coa, hoa;
	uint64_t start, end;
	unsigned sent = 0, errors = 0;
	uint16_t seq;
	int s;

	if (o->iface == NULL || !o->have_ha || !o->have_prefix ||
	    o->count == 0 || o->rate == 0)
		return fail("%s", "flood needs -i --ha --count --rate --prefix");
	if (iface_global(o->iface, &net) < 0)
		return fail("%s: no global IPv6 address", o->iface);
	if ((s = raw_socket()) < 0)
		return EXIT_USAGE;
	o->no_hao = false;
	o->nmnp = 0;
	o->lifetime = o->have_lifetime ? o->lifetime : 60;
	start = now_us();
	for (unsigned i = 0; i < o->count; i++) {
		sleep_until_us(start + (uint64_t)i * 1000000u / o->rate);
		random_in(&coa, &net, 64);
		random_in(&hoa, &o->prefix, o->prefix_len);
		seq = (uint16_t)(i * 7919u);
		if (build_bu(o, &coa, &hoa, seq, MH_BU_A | MH_BU_H) < 0 ||
		    send_pkt(s) < 0)
			errors++;
		else
			sent++;
	}
	end = now_us();
	close(s);
	printf("{\"sent\":%u,\"errors\":%u,\"elapsed_ms\":%llu}\n", sent,
	    errors, (unsigned long long)((end - start) / 1000u));
	return EXIT_ANSWER;
}

/*
 * One Echo Request on an ordinary ICMPv6 socket (the kernel checksums
 * and, past the path MTU, fragments), with `size` octets of data.
 */
static int
ping_send(int s, const struct in6_addr *dst, uint16_t seq, unsigned size)
{
	static uint8_t buf[65536];
	struct wbuf w;
	struct icmp6_msg *m = &out_pkt.icmp6;
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_addr = *dst };

	icmp6_init(m, ICMP6_T_ECHO_REQUEST, 0);
	m->u.echo.id = PING_ID;
	m->u.echo.seq = seq;
	wbuf_init(&w, buf, sizeof buf);
	if (icmp6_encode(m, &w, 0, NULL, NULL) < 0)
		return -1;
	for (unsigned i = 0; i < size; i++)
		wbuf_u8(&w, (uint8_t)i);
	if (w.err)
		return -1;
	return sendto(s, buf, w.len, 0, (struct sockaddr *)&to, sizeof to) < 0
	    ? -1 : 0;
}

/* Read replies until deadline; bit i of *seen marks sequence i. */
static void
ping_collect(int s, uint64_t deadline, uint8_t *seen, unsigned count,
    unsigned *received)
{
	for (;;) {
		static uint8_t buf[65536];
		struct pollfd pfd = { .fd = s, .events = POLLIN };
		uint64_t n = now_us();
		struct rbuf r;
		struct icmp6_msg *m = &in_pkt.icmp6;
		ssize_t len;

		if (n >= deadline ||
		    poll(&pfd, 1, (int)((deadline - n + 999) / 1000)) <= 0)
			return;
		len = recv(s, buf, sizeof buf, 0);
		if (len <= 0)
			continue;
		rbuf_init(&r, buf, (size_t)len);
		viol_init(&in_pkt.viol);
		if (icmp6_decode(m, &r, 0, NULL, NULL, -1, &in_pkt.viol) < 0 ||
		    m->type != ICMP6_T_ECHO_REPLY || m->u.echo.id != PING_ID ||
		    m->u.echo.seq >= count || seen[m->u.echo.seq])
			continue;
		seen[m->u.echo.seq] = 1;
		(*received)++;
	}
}

static int
cmd_ping(struct opts *o)
{
	unsigned count = o->count ? o->count : 1, received = 0, sent = 0;
	unsigned interval = o->interval_ms ? o->interval_ms : 200;
	uint8_t *seen;
	int s;

	if (!o->have_dst || count > 65535 || o->size > 65000)
		return fail("%s", "ping needs --dst [--count N] [--interval MS]");
	seen = calloc(count, 1);
	s = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	if (seen == NULL || s < 0) {
		perror("mnsim: ICMPv6 socket");
		return EXIT_USAGE;
	}
	for (unsigned i = 0; i < count; i++) {
		if (ping_send(s, &o->dst, (uint16_t)i, o->size) == 0)
			sent++;
		ping_collect(s, now_us() + interval * 1000ull, seen, count,
		    &received);
	}
	/* Late replies: wait the timeout after the last request. */
	if (received < sent)
		ping_collect(s, now_us() + o->timeout_ms * 1000ull, seen,
		    count, &received);
	close(s);
	free(seen);
	printf("{\"sent\":%u,\"received\":%u}\n", sent, received);
	return received == count ? EXIT_ANSWER : EXIT_TIMEOUT;
}

/* ----------------------------------------------------------------- main */

static const struct command {
	const char	*name;
	int		(*run)(struct opts *);
	bool		 needs_iface;
} commands[] = {
	{ "bu", cmd_bu, true },
	{ "hao-echo", cmd_hao_echo, true },
	{ "mh-unknown", cmd_mh_unknown, true },
	{ "dhaad", cmd_dhaad, true },
	{ "mps", cmd_mps, true },
	{ "flood", cmd_flood, true },
	{ "ping", cmd_ping, false },
};

static void
usage(void)
{
	fprintf(stderr,
	    "usage: mnsim bu -i IF --coa A --hoa H --ha HA --seq N "
	    "--lifetime S\n"
	    "             [--flags AHLKR] [--mnp P/L]... [--no-hao] "
	    "[--v4hoa A.B.C.D/LEN]\n"
	    "             "
	    "[--timeout MS] [--retransmit MS]\n"
	    "       mnsim hao-echo -i IF --coa A --hoa H --dst D\n"
	    "       mnsim mh-unknown -i IF --src A --dst D [--type N]\n"
	    "       mnsim dhaad -i IF --src A --dst ANYCAST --id N [--router]\n"
	    "       mnsim mps -i IF --coa A --hoa H --ha HA --id N\n"
	    "       mnsim flood -i IF --ha HA --count N --rate PPS "
	    "--prefix P/L\n"
	    "       mnsim ping --dst D [--count N] [--interval MS] "
	    "[--timeout MS] [--size N]\n");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "coa", required_argument, NULL, O_COA },
		{ "hoa", required_argument, NULL, O_HOA },
		{ "ha", required_argument, NULL, O_HA },
		{ "src", required_argument, NULL, O_SRC },
		{ "dst", required_argument, NULL, O_DST },
		{ "seq", required_argument, NULL, O_SEQ },
		{ "lifetime", required_argument, NULL, O_LIFETIME },
		{ "flags", required_argument, NULL, O_FLAGS },
		{ "mnp", required_argument, NULL, O_MNP },
		{ "no-hao", no_argument, NULL, O_NOHAO },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "retransmit", required_argument, NULL, O_RETRANSMIT },
		{ "interval", required_argument, NULL, O_INTERVAL },
		{ "size", required_argument, NULL, O_SIZE },
		{ "type", required_argument, NULL, O_TYPE },
		{ "id", required_argument, NULL, O_ID },
		{ "router", no_argument, NULL, O_ROUTER },
		{ "count", required_argument, NULL, O_COUNT },
		{ "rate", required_argument, NULL, O_RATE },
		{ "prefix", required_argument, NULL, O_PREFIX },
		{ "v4hoa", required_argument, NULL, O_V4HOA },
		{ NULL, 0, NULL, 0 },
	};
	static struct opts o = { .timeout_ms = 2000, .type = 40, .size = 18 };
	const struct command *cmd = NULL;
	int ch;

	if (argc < 2) {
		usage();
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			cmd = &commands[i];
	if (cmd == NULL) {
		usage();
		return EXIT_USAGE;
	}
	optind = 2;
	while ((ch = getopt_long(argc, argv, "i:", longopts, NULL)) != -1)
		if (ch == '?' || parse_opt(&o, ch, optarg) < 0) {
			if (ch != '?')
				fprintf(stderr, "mnsim: bad value '%s'\n",
				    optarg);
			usage();
			return EXIT_USAGE;
		}
	if (optind != argc || (cmd->needs_iface && o.iface == NULL)) {
		usage();
		return EXIT_USAGE;
	}
	return cmd->run(&o);
}
