/*
 * mip6sigbench - the per-message signalling cost of the Dual-Stack MIPv6
 * paths against the IPv6 path (issue 6, `make bench`, mk/bench-dsmip.sh).
 *
 * The daemons' own engines, linked in, without sockets: mnd's engine
 * (stack/mnd) sends a Binding Update when told it moved, the bytes go
 * into had's engine (stack/had), whose Binding Acknowledgement goes back
 * into mnd's engine.  Each step is timed on its own with
 * clock_gettime(CLOCK_MONOTONIC) around the engine call:
 *
 *   MN sends BU    mn_engine_bus (movement, BU built and encoded)
 *   HA receives BU ha_engine_input up to the last forwarding-entry op
 *                  (parse, validate, binding cache update; RFC 6275
 *                  §10.3.1 updates the cache before the BA is sent)
 *   HA sends BA    from there to the return (BA built and encoded)
 *   MN receives BA mn_engine_input (parse, BUL update, mn_hoa entry)
 *
 * for three paths: "ipv6" (IPv6 CoA, no IPv4 option), "v4hoa" (the same
 * with the IPv4 Home Address option, RFC 5555 §3.1.1, and the IPv4
 * Address Acknowledgement back, §3.2.1) and "v4coa-udp" (from an IPv4
 * CoA behind a NAT: the BU inside IPv4/UDP 4191 with the IPv4 Care-of
 * Address option and F, §4.2; NAT detection; the BA back in UDP with the
 * NAT Detection option, §3.2.2).  Every round trip is checked (one BU,
 * one BA of status 0 and the BU's sequence number, the MN's BUL entry
 * BOUND at the end); a failed check ends the program with status 1.
 *
 * The forwarding-map operations are no-ops here: what the kernel does
 * with them is not the engines' cost.  The MN alternates between two
 * care-of addresses (each move registers), the clock advances 1 s per
 * round so no rate limit applies.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "packets/pkt.h"
#include "packets/sbuf.h"
#include "stack/had/ha_engine.h"
#include "stack/had/had_conf.h"
#include "stack/had/tests/haconf.h"
#include "stack/lib/tests/nullops.h"
#include "stack/mnd/mn_engine.h"
#include "stack/mnd/mnd_conf.h"

#define HA6	"2001:db8:1::1"
#define HOA	"2001:db8:1::100"
#define HA4	"192.0.2.1"
#define V4HOA	"198.51.100.7"
#define NAT4	"203.0.113.5"	/* the NAT's outer address */
#define NAT_PORT 40000
#define T0	1000000u	/* virtual start, ms */
#define MN_IF	4
#define HA_IF	2
#define WARMUP	1000
#define TARGET_NS 50000.0	/* issue 6: every step under 50 us */

enum path { P_V6, P_V4HOA, P_V4COA, P_N };
enum step { S_MN_BU, S_HA_BU, S_HA_BA, S_MN_BA, S_N };

static const char *const path_name[P_N] = { "ipv6", "v4hoa", "v4coa-udp" };
static const char *const step_name[S_N] = {
	"MN sends BU", "HA receives BU", "HA sends BA", "MN receives BA"
};

/* ------------------------------------------------------------ wire */

/* The last packet an engine sent (one per step is checked). */
struct wire {
	uint8_t		buf[2048];
	size_t		len;
	unsigned	nsent;
	struct in_addr	udp_src;	/* MN: send_udp4's source */
	bool		udp;
	struct timespec	bind_at;	/* HA: last forwarding-entry op */
};

static struct wire mn_out, ha_out;

static void
die(const char *what)
{
	fprintf(stderr, "mip6sigbench: %s\n", what);
	exit(1);
}

static void
keep(struct wire *w, const uint8_t *pkt, size_t len)
{
	if (len > sizeof(w->buf))
		die("packet larger than the capture buffer");
	memcpy(w->buf, pkt, len);
	w->len = len;
	w->nsent++;
}

static struct in6_addr
in6(const char *s)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, s, &a) != 1)
		die("bad IPv6 literal");
	return a;
}

static struct in_addr
in4(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		die("bad IPv4 literal");
	return a;
}

/* ------------------------------------------------------------ MN ops */

static void
mn_send(void *ctx, unsigned oif, const uint8_t *pkt, size_t len)
{
	(void)ctx;
	(void)oif;
	keep(&mn_out, pkt, len);
	mn_out.udp = false;
}

static void
mn_send_udp4(void *ctx, unsigned oif, const struct in_addr *src,
    uint16_t sport, const struct in_addr *dst, const uint8_t *pkt,
    size_t len)
{
	(void)ctx;
	(void)oif;
	(void)sport;
	(void)dst;
	keep(&mn_out, pkt, len);
	mn_out.udp = true;
	mn_out.udp_src = *src;
}

/* Both engines' log lines: formatted by the engines (their cost is
   measured), then dropped, not written (I/O is not the engines' cost);
   warnings and errors in a round are printed: none is expected (the
   engines' start warns that authentication is off, on purpose). */
static unsigned long nlog;
static bool in_rounds;

static void
log_line(void *ctx, int prio, const char *msg)
{
	(void)ctx;
	nlog++;
	if (in_rounds && prio <= LOG_WARNING)
		fprintf(stderr, "mip6sigbench: engine log <%d> %s\n", prio,
		    msg);
}

static const struct mn_ops mn_ops = {
	.send = mn_send,
	.hoa_set = mn_null_hoa_set,
	.ro_set = mn_null_ro_set,
	.ro_del = mn_null_ro_del,
	.mnp_set = mn_null_mnp_set,
	.mnp_del = mn_null_mnp_del,
	.bus = mn_null_bus,
	.place_hoa = mn_null_place_hoa,
	.hoa4 = mn_null_hoa4,
	.send_udp4 = mn_send_udp4,
	.log = log_line,
};

/* ------------------------------------------------------------ HA ops */

static void
ha_send(void *ctx, unsigned oif, const uint8_t *pkt, size_t len)
{
	(void)ctx;
	(void)oif;
	keep(&ha_out, pkt, len);
}

static void
ha_send_l2(void *ctx, unsigned oif, const uint8_t mac[6],
    const uint8_t *pkt, size_t len)
{
	(void)mac;
	ha_send(ctx, oif, pkt, len);
}

/* The binding cache update ends with the forwarding entries: the time
   of the last one splits "receives BU" from "sends BA". */
static int
ha_bind_set(void *ctx, const struct in6_addr *hoa, const struct m6_bind *b)
{
	(void)ctx;
	(void)hoa;
	(void)b;
	clock_gettime(CLOCK_MONOTONIC, &ha_out.bind_at);
	return 0;
}

static int
ha_bind4_set(void *ctx, const struct in_addr *pfx, unsigned plen,
    const struct in6_addr *hoa)
{
	(void)ctx;
	(void)pfx;
	(void)plen;
	(void)hoa;
	clock_gettime(CLOCK_MONOTONIC, &ha_out.bind_at);
	return 0;
}

static const struct ha_ops ha_ops = {
	.send = ha_send,
	.send_l2 = ha_send_l2,
	.bind_set = ha_bind_set,
	.bind_del = ha_null_bind_del,
	.mnp_set = ha_null_mnp_set,
	.mnp_del = ha_null_mnp_del,
	.bind4_set = ha_bind4_set,
	.bind4_del = ha_null_bind4_del,
	.ndp_watch = ha_null_ndp_watch,
	.log = log_line,
};

/* ------------------------------------------------------------ setup */

/* had: virtual home link 2001:db8:1::/64, no authentication, IPv4
   address HA4 and the MN's static IPv4 home address V4HOA. */
static void
ha_conf(struct had_conf *c)
{
	struct in6_addr ha = in6(HA6);

	haconf_open_virtual(c, &ha);
	c->ipv4_addr = in4(HA4);
	c->ipv4_plen = 24;
	c->ipv4_pool = in4("198.51.100.64");
	c->ipv4_pool_plen = 26;
	c->mn = calloc(1, sizeof(*c->mn));
	if (c->mn == NULL)
		die("out of memory");
	c->nmn = 1;
	c->mn[0].hoa = in6(HOA);
	c->mn[0].policy = HAD_ALLOW;
	c->mn[0].v4hoa = in4(V4HOA);
}

/* mnd: one home address with its HA; IPv4 home address and HA IPv4
   address for the DSMIPv6 paths; F (force-udp) from an IPv4 CoA. */
static void
mn_conf(struct mnd_conf *c, enum path p)
{
	mnd_conf_init(c);
	c->nhoa = 1;
	c->hoa[0].pfx.addr = in6(HOA);
	c->hoa[0].pfx.plen = 64;
	c->hoa[0].has_ha = true;
	c->hoa[0].ha = in6(HA6);
	c->niface = 1;
	snprintf(c->iface[0], sizeof(c->iface[0]), "eth0");
	if (p == P_V6)
		return;
	c->hoa[0].v4mode = MND_V4_STATIC;
	c->hoa[0].v4addr = in4(V4HOA);
	c->hoa[0].v4plen = 32;
	c->hoa[0].has_ha4 = true;
	c->hoa[0].ha4 = in4(HA4);
	c->force_udp = true;
}

static struct mn_engine *
mn_new(const struct mnd_conf *c)
{
	struct mn_engine *e = mn_engine_new(c, &mn_ops, T0);
	struct mn_iface ifs[2];

	if (e == NULL)
		die("mn_engine_new failed");
	memset(ifs, 0, sizeof(ifs));
	ifs[0].ifindex = 3;		/* the home link */
	memcpy(ifs[0].mac, "\x02\x00\x00\x00\x00\x03", 6);
	ifs[1].ifindex = MN_IF;
	memcpy(ifs[1].mac, "\x02\x00\x00\x00\x00\x04", 6);
	mn_engine_set_ifaces(e, ifs, 2);
	return e;
}

/* ------------------------------------------------------------ a round */

static uint64_t
ns_between(const struct timespec *a, const struct timespec *b)
{
	return (uint64_t)((b->tv_sec - a->tv_sec) * 1000000000LL +
	    (b->tv_nsec - a->tv_nsec));
}

/* MD_INFO "re-register" from care-of address i (0 or 1) of the path. */
static void
move_msg(struct msock_msg *m, enum path p, unsigned i)
{
	memset(m, 0, sizeof(*m));
	m->version = MSOCK_VERSION;
	m->type = MSOCK_MD_INFO;
	m->command = MSOCK_MD_REREG;
	m->ifindex = MN_IF;
	m->present = 1u << MSA_COMMAND | 1u << MSA_IFINDEX;
	if (p == P_V4COA) {
		m->coa4 = in4(i ? "10.0.0.12" : "10.0.0.11");
		m->present |= 1u << MSA_COA4;
	} else {
		m->coa = in6(i ? "2001:db8:3::300" : "2001:db8:2::200");
		m->present |= 1u << MSA_COA;
	}
}

/* The ring record had's eBPF program would write for the MN's BU:
   from the NAT's outer address and port for the UDP path (§4.2 [R]). */
static void
ha_sig(struct m6_sig *s, enum path p, size_t len)
{
	struct in_addr nat = in4(NAT4), ha4 = in4(HA4);

	memset(s, 0, sizeof(*s));
	s->reason = M6S_MH;
	s->ifindex = HA_IF;
	s->caplen = s->wirelen = (uint32_t)len;
	if (p != P_V4COA)
		return;
	s->flags = M6SF_UDP4;
	s->tun_src.b[10] = s->tun_src.b[11] = 0xff;
	memcpy(&s->tun_src.b[12], &nat.s_addr, 4);
	memcpy(s->tun_dst4, &ha4.s_addr, 4);
	s->udp_sport = htons(NAT_PORT);
	memcpy(s->l2_src, "\x02\x00\x00\x00\x10\xe0", 6);
}

/* The IPv6 packet of the HA's BA: after the IPv4 and UDP headers for
   the UDP path (bounded: the header lengths are checked). */
static const uint8_t *
ba_inner(enum path p, size_t *len)
{
	size_t off;

	if (p != P_V4COA) {
		*len = ha_out.len;
		return ha_out.buf;
	}
	if (ha_out.len < 28 || ha_out.buf[0] >> 4 != 4 ||
	    ha_out.buf[9] != IPPROTO_UDP)
		die("the BA to an IPv4 CoA is not in IPv4/UDP");
	off = (size_t)(ha_out.buf[0] & 0x0f) * 4 + 8;
	if (off >= ha_out.len)
		die("the BA's IPv4 header is too long");
	*len = ha_out.len - off;
	return ha_out.buf + off;
}

/* The MN's ring record for the BA: in UDP from HA4 port 4191. */
static void
mn_sig(struct m6_sig *s, enum path p, size_t len)
{
	struct in_addr ha4 = in4(HA4);

	memset(s, 0, sizeof(*s));
	s->reason = M6S_MH;
	s->ifindex = MN_IF;
	s->caplen = s->wirelen = (uint32_t)len;
	if (p != P_V4COA)
		return;
	s->flags = M6SF_UDP4;
	s->udp_sport = htons(4191);
	s->tun_src.b[10] = s->tun_src.b[11] = 0xff;
	memcpy(&s->tun_src.b[12], &ha4.s_addr, 4);
}

/* What one round must show: one BU out, one BA of status 0 for it, and
   for the DSMIPv6 paths the option that makes the path what it is. */
static void
check_ba(enum path p, const uint8_t *ba, size_t len, uint16_t seq)
{
	struct pkt d;

	if (pkt_decode(&d, PKT_LINK_IPV6, ba, len) != 0 || !d.has_mh ||
	    d.mh.type != MH_BA)
		die("the HA did not answer with a BA");
	if (d.mh.u.ba.status != BA_ACCEPTED || d.mh.u.ba.seq != seq)
		die("BA status not 0 or sequence number not the BU's");
	if (p != P_V6 && mh_find_opt(&d.mh, MHOPT_V4ACK) == NULL)
		die("no IPv4 Address Acknowledgement in the BA");
	if (p == P_V4COA && mh_find_opt(&d.mh, MHOPT_NATD) == NULL)
		die("no NAT Detection option in the BA to a NATed CoA");
}

static uint16_t
bu_seq(enum path p)
{
	struct pkt d;

	if (pkt_decode(&d, PKT_LINK_IPV6, mn_out.buf, mn_out.len) != 0 ||
	    !d.has_mh || d.mh.type != MH_BU)
		die("the MN did not send a BU");
	if (p != P_V6 && mh_find_opt(&d.mh, MHOPT_V4HOA) == NULL)
		die("no IPv4 Home Address option in the BU");
	if (p == P_V4COA && (!mn_out.udp ||
	    mh_find_opt(&d.mh, MHOPT_V4COA) == NULL))
		die("the BU from an IPv4 CoA is not in UDP with option 32");
	return d.mh.u.bu.seq;
}

struct ctx {
	enum path	p;
	struct mn_engine *mn;
	struct ha_engine *ha;
	uint64_t	now;
};

/* One BU -> BA round; t[] gets the four steps' times in ns. */
static void
round_trip(struct ctx *c, unsigned i, uint32_t t[S_N])
{
	struct timespec a, b;
	struct msock_msg m;
	struct m6_sig sig;
	struct ha_input hin;
	struct mn_input min;
	const uint8_t *ba;
	size_t balen;
	uint16_t seq;

	c->now += 1000;
	move_msg(&m, c->p, i & 1);
	mn_out.nsent = ha_out.nsent = 0;
	clock_gettime(CLOCK_MONOTONIC, &a);
	mn_engine_bus(c->mn, &m, c->now);
	clock_gettime(CLOCK_MONOTONIC, &b);
	t[S_MN_BU] = (uint32_t)ns_between(&a, &b);
	if (mn_out.nsent != 1)
		die("a move did not send exactly one BU");
	seq = bu_seq(c->p);

	ha_sig(&sig, c->p, mn_out.len);
	hin.sig = &sig;
	hin.data = mn_out.buf;
	ha_out.bind_at.tv_sec = 0;
	clock_gettime(CLOCK_MONOTONIC, &a);
	ha_engine_input(c->ha, &hin, c->now);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (ha_out.nsent != 1 || ha_out.bind_at.tv_sec == 0)
		die("a BU did not give one BA and a binding");
	t[S_HA_BU] = (uint32_t)ns_between(&a, &ha_out.bind_at);
	t[S_HA_BA] = (uint32_t)ns_between(&ha_out.bind_at, &b);
	ba = ba_inner(c->p, &balen);
	check_ba(c->p, ba, balen, seq);

	mn_sig(&sig, c->p, balen);
	min.sig = &sig;
	min.data = ba;
	mn_out.nsent = 0;
	clock_gettime(CLOCK_MONOTONIC, &a);
	mn_engine_input(c->mn, &min, c->now);
	clock_gettime(CLOCK_MONOTONIC, &b);
	t[S_MN_BA] = (uint32_t)ns_between(&a, &b);
}

/* The MN's home entry must be BOUND after the last BA. */
static void
check_bound(struct mn_engine *e)
{
	static char buf[65536];
	struct sbuf sb;
	struct jw jw;

	sbuf_init(&sb, buf, sizeof(buf));
	jw_init(&jw, &sb);
	if (mn_engine_ctl(e, "bul", 0, &jw) != 0 ||
	    strstr(sbuf_str(&sb), "\"reg_state\":\"BOUND\"") == NULL)
		die("the MN's home entry is not BOUND after the last BA");
}

/* ------------------------------------------------------------ stats */

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile q (0..1) of n sorted samples. */
static double
pct(const uint32_t *v, size_t n, double q)
{
	size_t k = (size_t)(q * (double)n + 0.999999);

	return v[k == 0 ? 0 : k - 1];
}

struct result {
	double	med[S_N], p99[S_N];
};

static void
run_path(enum path p, size_t n, struct result *r)
{
	struct had_conf hc;
	struct mnd_conf mc;
	struct ctx c = { .p = p, .now = T0 };
	uint32_t *s[S_N], t[S_N];
	size_t i, k;

	ha_conf(&hc);
	mn_conf(&mc, p);
	c.ha = ha_engine_new(&hc, &ha_ops, T0);
	c.mn = mn_new(&mc);
	if (c.ha == NULL)
		die("ha_engine_new failed");
	for (k = 0; k < S_N; k++)
		if ((s[k] = malloc(n * sizeof(uint32_t))) == NULL)
			die("out of memory");
	in_rounds = true;
	for (i = 0; i < WARMUP; i++)
		round_trip(&c, (unsigned)i, t);
	for (i = 0; i < n; i++) {
		round_trip(&c, (unsigned)i, t);
		for (k = 0; k < S_N; k++)
			s[k][i] = t[k];
	}
	check_bound(c.mn);
	in_rounds = false;
	for (k = 0; k < S_N; k++) {
		qsort(s[k], n, sizeof(uint32_t), cmp_u32);
		r->med[k] = pct(s[k], n, 0.5);
		r->p99[k] = pct(s[k], n, 0.99);
		free(s[k]);
	}
	mn_engine_free(c.mn);
	ha_engine_free(c.ha);
	had_conf_free(&hc);
}

/* What two back-to-back clock_gettime calls read: in every sample. */
static double
clock_cost(void)
{
	struct timespec a, b;
	uint64_t best = UINT64_MAX, d;
	int i;

	for (i = 0; i < 10000; i++) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		clock_gettime(CLOCK_MONOTONIC, &b);
		d = ns_between(&a, &b);
		if (d < best)
			best = d;
	}
	return (double)best;
}

static void
print_results(const struct result r[P_N], size_t n)
{
	const char *ok;
	int p, k;

	printf("signalling cost per message, %zu rounds per path (after %d "
	    "warm-up), ns: median / p99\n", n, WARMUP);
	printf("  %-15s %17s %17s %17s %7s %7s  %s\n", "step",
	    path_name[P_V6], path_name[P_V4HOA], path_name[P_V4COA],
	    "v4hoa/", "v4coa/", "target < 50 us");
	for (k = 0; k < S_N; k++) {
		printf("  %-15s", step_name[k]);
		for (p = 0; p < P_N; p++)
			printf(" %8.0f / %6.0f", r[p].med[k], r[p].p99[k]);
		ok = "met";
		for (p = 0; p < P_N; p++)
			if (r[p].p99[k] >= TARGET_NS)
				ok = r[p].med[k] < TARGET_NS ?
				    "met by the median, NOT by p99" : "NOT met";
		printf(" %6.2fx %6.2fx  %s\n", r[P_V4HOA].med[k] /
		    r[P_V6].med[k], r[P_V4COA].med[k] / r[P_V6].med[k], ok);
	}
}

/* The same figures as JSON, for scripts and tests (-j). */
static void
print_json(const struct result r[P_N], size_t n, double clock_ns)
{
	int p, k;

	printf("{\"rounds\":%zu,\"warmup\":%d,\"clock_ns\":%.0f,"
	    "\"target_ns\":%.0f,\"log_lines\":%lu,\"steps\":[", n, WARMUP,
	    clock_ns, TARGET_NS, nlog);
	for (k = 0; k < S_N; k++) {
		printf("%s{\"step\":\"%s\",\"paths\":{", k ? "," : "",
		    step_name[k]);
		for (p = 0; p < P_N; p++)
			printf("%s\"%s\":{\"median_ns\":%.0f,\"p99_ns\":%.0f}",
			    p ? "," : "", path_name[p], r[p].med[k],
			    r[p].p99[k]);
		printf("}}");
	}
	printf("]}\n");
}

static void
usage(void)
{
	fprintf(stderr, "usage: mip6sigbench [-j] [-n rounds]\n");
	exit(2);
}

/* Rounds per path: -n, else BENCH_DSMIP_N, else 100000. */
static unsigned long
rounds(const char *arg)
{
	unsigned long n;
	char *end;

	if (arg == NULL)
		return 100000;
	errno = 0;
	n = strtoul(arg, &end, 10);
	if (errno != 0 || *end != '\0' || n == 0 || n > 10000000)
		die("rounds (-n, BENCH_DSMIP_N) must be 1..10000000");
	return n;
}

int
main(int argc, char **argv)
{
	struct result r[P_N];
	const char *n_arg = getenv("BENCH_DSMIP_N");
	unsigned long n;
	bool json = false;
	int p, ch;

	while ((ch = getopt(argc, argv, "hjn:")) != -1) {
		switch (ch) {
		case 'j':
			json = true;
			break;
		case 'n':
			n_arg = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	n = rounds(n_arg);
	for (p = 0; p < P_N; p++)
		run_path((enum path)p, n, &r[p]);
	if (json) {
		print_json(r, n, clock_cost());
		return 0;
	}
	print_results(r, n);
	printf("  (each sample includes one clock_gettime: %.0f ns here; "
	    "ratios are of medians; %lu engine log lines formatted and "
	    "dropped)\n", clock_cost(), nlog);
	return 0;
}
