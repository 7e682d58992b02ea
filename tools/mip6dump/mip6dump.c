/*
 * mip6dump.c - the capture decoder: prints every Mobile IPv6, NEMO and
 * DSMIPv6 packet of a pcap/pcapng file or a live interface, including those
 * inside IPv6-in-IPv6, IPv4/UDP 4191 and IPv6-in-IPv4 encapsulation; checks
 * them (--check) and draws the per-binding message ladder (--ladder).
 *
 * This file is the command line and the main loop; decoding, checking and
 * printing of packets is the packets/ library's (pkt_decode, pkt_print_*,
 * viol_*).  See mip6dump(1).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "packets/pkt.h"
#include "ladder.h"
#include "mip6dump.h"
#include "out.h"

#define OUT_BUFFER	(4 * 1024 * 1024)

static const char usage_text[] =
"usage: mip6dump [-ajv] [--check] [--ladder] [--max-bindings n] [-c count]\n"
"                [-T threads] [--esp-sa sa] [-r] file [expression]\n"
"       mip6dump [-ajv] [--check] [--ladder] [--max-bindings n] [-c count]\n"
"                [--esp-sa sa] -i interface [expression]\n";

static const char options_text[] =
"\n"
"  -a, --all               print every packet, not only mobility packets\n"
"  -c, --count count       stop after count packets\n"
"  -h, --help              print this help and exit\n"
"  -i, --interface interface\n"
"                          capture live on interface\n"
"  -j, --json              print one JSON object per line\n"
"  -r, --read file         read a pcap or pcapng file (- for standard "
"input)\n"
"  -T, --threads threads   decode a file with this many threads (default: "
"one\n"
"                          per CPU; 1 for none)\n"
"  -v, --verbose           print every field of every header\n"
"      --check             report every conformance violation; exit 1 if "
"any\n"
"      --ladder            print the message ladder of each binding\n"
"      --max-bindings n    bindings the ladder keeps (default 1024)\n"
"      --esp-sa sa         open ESP with the SA sa, SPI:ENC:ENCKEY:AUTH:"
"AUTHKEY,\n"
"                          and decode what it protects (repeatable)\n"
"\n"
"Exit status: 0 success, 1 violations found (--check), 2 usage or I/O "
"error.\n";

enum { OPT_CHECK = 256, OPT_LADDER, OPT_MAX_BINDINGS, OPT_ESP_SA };

static const struct option long_opts[] = {
	{ "all",		no_argument,		NULL, 'a' },
	{ "count",		required_argument,	NULL, 'c' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "interface",		required_argument,	NULL, 'i' },
	{ "json",		no_argument,		NULL, 'j' },
	{ "read",		required_argument,	NULL, 'r' },
	{ "threads",		required_argument,	NULL, 'T' },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "check",		no_argument,		NULL, OPT_CHECK },
	{ "ladder",		no_argument,		NULL, OPT_LADDER },
	{ "max-bindings",	required_argument,	NULL, OPT_MAX_BINDINGS },
	{ "esp-sa",		required_argument,	NULL, OPT_ESP_SA },
	{ NULL,			0,			NULL, 0 }
};

/* Everything one run holds. */
struct run {
	struct opts	 o;
	struct capture	 cap;
	struct out	 out;
	struct pkt	*pkt;		/* one, reused for every frame */
	struct ladder	*ladder;
	struct stats	 st;
};

static struct capture *interruptible;

static int
usage_error(const char *fmt, const char *arg)
{
	fputs("mip6dump: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	fputs(usage_text, stderr);
	return -1;
}

/* A positive decimal number, all of the string. */
static int
parse_count(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	if (s[0] < '0' || s[0] > '9')
		return -1;
	*v = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0' && *v > 0 ? 0 : -1;
}

/* The operands after the options: the file (unless -r/-i), the filter. */
static int
take_operands(struct opts *o, int argc, char **argv)
{
	size_t len = 0;
	int i;

	if (o->iface == NULL && o->file == NULL && optind < argc)
		o->file = argv[optind++];
	if (o->iface == NULL && o->file == NULL)
		return usage_error("%sno capture file or interface given", "");
	if (optind == argc)
		return 0;
	for (i = optind; i < argc; i++)
		len += strlen(argv[i]) + 1;
	if ((o->filter = malloc(len)) == NULL)
		return usage_error("%sout of memory", "");
	o->filter[0] = '\0';
	for (i = optind; i < argc; i++) {
		if (i > optind)
			strcat(o->filter, " ");
		strcat(o->filter, argv[i]);
	}
	return 0;
}

/* The option getopt_long() stopped at, as the user spelt it. */
static const char *
option_name(char **argv)
{
	static char shortopt[3] = "-?";
	const char *arg = argv[optind - 1];

	if (strncmp(arg, "--", 2) == 0 || optopt == 0 || optopt >= 256)
		return arg;
	shortopt[1] = (char)optopt;
	return shortopt;
}

/* --esp-sa SPI:ENC:ENCKEY:AUTH:AUTHKEY (pkt_esp_sa_parse). */
static int
add_esp_sa(struct opts *o, const char *text)
{
	char msg[512];
	struct esp_sa *sa;
	const char *why;

	if (o->esp_keys.n == ESP_SA_MAX)
		return usage_error("--esp-sa: at most 16 SAs%s", "");
	sa = &o->esp_sa[o->esp_keys.n];
	if ((why = pkt_esp_sa_parse(text, sa)) != NULL) {
		snprintf(msg, sizeof(msg), "'%s': %s", text, why);
		return usage_error("--esp-sa: invalid SA %s", msg);
	}
	o->esp_keys.sa = o->esp_sa;
	o->esp_keys.n++;
	return 0;
}

static int
parse_option(struct opts *o, int c, char **argv)
{
	uint64_t v;

	switch (c) {
	case 'a': o->all = true; return 0;
	case 'j': o->json = true; return 0;
	case 'v': o->verbose = true; return 0;
	case 'i': o->iface = optarg; return 0;
	case 'r': o->file = optarg; return 0;
	case OPT_CHECK: o->check = true; return 0;
	case OPT_LADDER: o->ladder = true; return 0;
	case OPT_ESP_SA: return add_esp_sa(o, optarg);
	case 'c':
		if (parse_count(optarg, &o->count) != 0)
			return usage_error("-c: invalid count '%s'", optarg);
		return 0;
	case 'T':
		if (parse_count(optarg, &v) != 0 || v == 0 || v > 256)
			return usage_error("-T: invalid thread count '%s' "
			    "(1 to 256)", optarg);
		o->threads = (unsigned)v;
		return 0;
	case OPT_MAX_BINDINGS:
		if (parse_count(optarg, &v) != 0 || v > SIZE_MAX / 4)
			return usage_error("--max-bindings: invalid number "
			    "'%s'", optarg);
		o->max_bindings = (size_t)v;
		return 0;
	case 'h':
		fputs(usage_text, stdout);
		fputs(options_text, stdout);
		exit(0);
	case ':':
		return usage_error("option '%s' needs an argument",
		    option_name(argv));
	default:
		return usage_error("unknown option '%s'", option_name(argv));
	}
}

/* Returns 0, or -1 after a message and the usage (exit status 2). */
static int
parse_args(struct opts *o, int argc, char **argv)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->max_bindings = LADDER_DEFAULT_MAX;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":ac:hi:jr:T:v", long_opts,
	    NULL)) != -1)
		if (parse_option(o, c, argv) != 0)
			return -1;
	if (o->iface != NULL && o->file != NULL)
		return usage_error("%s-i and -r cannot be used together", "");
	return take_operands(o, argc, argv);
}

static void
on_signal(int sig)
{
	(void)sig;
	if (interruptible != NULL)
		capture_break(interruptible);
}

static void
set_signals(struct capture *cap)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	interruptible = cap;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A closed pipe is a write error (exit 2), not a silent death. */
	signal(SIGPIPE, SIG_IGN);
}

static int
run_open(struct run *r)
{
	if (capture_open(&r->cap, &r->o) != 0)
		return -1;
	r->pkt = malloc(sizeof(*r->pkt));
	if (r->pkt == NULL || out_init(&r->out, stdout, OUT_BUFFER) != 0) {
		fprintf(stderr, "mip6dump: out of memory\n");
		return -1;
	}
	r->out.unbuffered = r->cap.live;
	if (r->o.ladder) {
		r->ladder = ladder_new(&r->out, r->o.max_bindings, r->o.json);
		if (r->ladder == NULL) {
			fprintf(stderr, "mip6dump: out of memory\n");
			return -1;
		}
	}
	set_signals(&r->cap);
	return 0;
}

static void
run_close(struct run *r)
{
	interruptible = NULL;
	capture_close(&r->cap);
	ladder_free(r->ladder);
	out_free(&r->out);
	free(r->pkt);
	free(r->o.filter);
}

void
frame_process(const struct opts *o, struct pkt *p, struct stats *st,
    struct ladder *ladder, const struct frame *f, struct out *out)
{
	struct print_ctx c = { o, f, p, false };
	bool faulty;

	if (o->esp_keys.n > 0)
		pkt_decode_keys(p, f->link, f->data, f->caplen, f->len,
		    &o->esp_keys);
	else
		pkt_decode_wire(p, f->link, f->data, f->caplen, f->len);
	c.mobility = is_mobility(p);
	faulty = p->viol.n > 0 || p->viol.dropped > 0;
	st->packets++;
	st->mobility += c.mobility;
	st->with_viol += faulty;
	st->faults += viol_count_severity(&p->viol, VS_ERROR) +
	    viol_count_severity(&p->viol, VS_WARN);
	if (ladder != NULL) {
		ladder_add(ladder, f, p);
		if (o->check && faulty)
			print_violations(out, &c);
	} else if (c.mobility || o->all || (o->check && faulty))
		print_packet(out, &c);
}

static void
handle_frame(struct run *r, const struct frame *f)
{
	frame_process(&r->o, r->pkt, &r->st, r->ladder, f, &r->out);
}

/* The CPUs this process may run on (taskset, cgroups), or those online. */
static long
usable_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set);
	return sysconf(_SC_NPROCESSORS_ONLN);
}

/* Threads for this run: 1 for live captures and the ladder. */
static unsigned
run_threads(const struct run *r)
{
	long ncpu;

	if (r->cap.live || r->o.ladder)
		return 1;
	if (r->o.threads > 0)
		return r->o.threads;
	ncpu = usable_cpus();
	return ncpu > 1 ? (unsigned)(ncpu < 64 ? ncpu : 64) : 1;
}

/* Returns 0 at the end of the capture, -1 on a read error. */
static int
run_loop(struct run *r)
{
	struct frame f;
	int rc;

	while ((rc = capture_next(&r->cap, &f)) != 0) {
		if (rc < 0)
			return -1;
		if (rc == 2) {
			out_flush(&r->out);
			continue;
		}
		handle_frame(r, &f);
		if (r->o.count > 0 && r->st.packets >= r->o.count)
			break;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct run r;
	unsigned threads;
	int rc, status;

	memset(&r, 0, sizeof(r));
	if (parse_args(&r.o, argc, argv) != 0)
		return 2;
	if (run_open(&r) != 0) {
		run_close(&r);
		return 2;
	}
	threads = run_threads(&r);
	rc = threads > 1 ? run_parallel(&r.cap, &r.o, threads, &r.out, &r.st) :
	    run_loop(&r);
	if (r.ladder != NULL)
		ladder_finish(r.ladder);
	out_flush(&r.out);
	if (r.o.check)
		print_summary(&r.st);
	status = rc != 0 ? 2 : r.o.check && r.st.faults > 0 ? 1 : 0;
	run_close(&r);
	return status;
}
