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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packets/pkt.h"
#include "ladder.h"
#include "mip6dump.h"
#include "out.h"

#define OUT_BUFFER	(4 * 1024 * 1024)

static const char usage_text[] =
"usage: mip6dump [-ajv] [--check] [--ladder] [--max-bindings n] [-c count]\n"
"                [-r] file [expression]\n"
"       mip6dump [-ajv] [--check] [--ladder] [--max-bindings n] [-c count]\n"
"                -i interface [expression]\n";

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
"  -v, --verbose           print every field of every header\n"
"      --check             report every conformance violation; exit 1 if "
"any\n"
"      --ladder            print the message ladder of each binding\n"
"      --max-bindings n    bindings the ladder keeps (default 1024)\n"
"\n"
"Exit status: 0 success, 1 violations found (--check), 2 usage or I/O "
"error.\n";

enum { OPT_CHECK = 256, OPT_LADDER, OPT_MAX_BINDINGS };

static const struct option long_opts[] = {
	{ "all",		no_argument,		NULL, 'a' },
	{ "count",		required_argument,	NULL, 'c' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "interface",		required_argument,	NULL, 'i' },
	{ "json",		no_argument,		NULL, 'j' },
	{ "read",		required_argument,	NULL, 'r' },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "check",		no_argument,		NULL, OPT_CHECK },
	{ "ladder",		no_argument,		NULL, OPT_LADDER },
	{ "max-bindings",	required_argument,	NULL, OPT_MAX_BINDINGS },
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
	case 'c':
		if (parse_count(optarg, &o->count) != 0)
			return usage_error("-c: invalid count '%s'", optarg);
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
	while ((c = getopt_long(argc, argv, ":ac:hi:jr:v", long_opts,
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

static void
handle_frame(struct run *r, const struct frame *f)
{
	struct print_ctx c = { &r->o, f, r->pkt, false };
	bool faulty;

	pkt_decode(r->pkt, r->cap.link, f->data, f->caplen);
	c.mobility = is_mobility(r->pkt);
	faulty = r->pkt->viol.n > 0 || r->pkt->viol.dropped > 0;
	r->st.packets++;
	r->st.mobility += c.mobility;
	r->st.with_viol += faulty;
	r->st.faults += viol_count_severity(&r->pkt->viol, VS_ERROR) +
	    viol_count_severity(&r->pkt->viol, VS_WARN);
	if (r->o.ladder) {
		ladder_add(r->ladder, f, r->pkt);
		if (r->o.check && faulty)
			print_violations(&r->out, &c);
	} else if (c.mobility || r->o.all || (r->o.check && faulty))
		print_packet(&r->out, &c);
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
	int rc, status;

	memset(&r, 0, sizeof(r));
	if (parse_args(&r.o, argc, argv) != 0)
		return 2;
	if (run_open(&r) != 0) {
		run_close(&r);
		return 2;
	}
	rc = run_loop(&r);
	if (r.ladder != NULL)
		ladder_finish(r.ladder);
	out_flush(&r.out);
	if (r.o.check)
		print_summary(&r.st);
	status = rc != 0 ? 2 : r.o.check && r.st.faults > 0 ? 1 : 0;
	run_close(&r);
	return status;
}
