/*
 * mip6conf.c - the conformance runner: runs the cases of a catalogue
 * against a node under test and reports TAP 13 and JSON; implements the
 * ATF test-program interface so Kyua shows one row per case; lints the
 * cases and prints the specification generated from them.  See
 * mip6conf(1) and mip6conf-case(5).
 *
 * DOC: RFC 6275 (Mobile IPv6), RFC 3963 (NEMO), RFC 5555 (DSMIPv6)
 * conformance cases; verdicts after TAHI; timing after packetdrill.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conformance/engine/case.h"
#include "conformance/engine/catalog.h"
#include "conformance/engine/emul.h"
#include "conformance/engine/intr.h"
#include "conformance/engine/junit.h"
#include "conformance/engine/netdev.h"
#include "conformance/engine/nut.h"
#include "conformance/engine/results.h"
#include "conformance/engine/run.h"
#include "conformance/engine/topo_run.h"
#include "conformance/engine/util.h"
#include "conformance/engine/vars.h"

#define MIP6CONF_VERSION	"0.1"
#define SUITE_VERSION		"0.1"
#define DEFAULT_CASEDIR		"conformance/cases"
#ifndef MIP6_SRCDIR
#define MIP6_SRCDIR		"."
#endif
#define DEFAULT_TOPODIR		MIP6_SRCDIR "/topologies:" MIP6_SRCDIR \
				"/conformance/topologies"
#define TESTER_NODE		"tn"	/* topologies/README.md */
#define LINKS_MAX		16

enum mode {
	M_RUN,		/* TAP */
	M_ATF_LIST,	/* -l */
	M_ATF_RUN,	/* -r FILE CASE */
	M_LIST,		/* --list */
	M_SPEC,		/* --spec */
	M_LINT		/* --lint */
};

struct opts {
	enum mode	 mode;
	const char	*resultfile;
	const char	*casedir;
	const char	*nutfile;
	const char	*jsonfile;
	const char	*junitfile;
	const char	*pcapdir;
	const char	*topodir;
	char		 topo_id[TOPO_ID_MAX];
	bool		 progress;
	struct run_cfg	 cfg;
	char		**ids;
	int		 nids;
};

static const char usage_text[] =
"usage: mip6conf [-l] [-r RESULTFILE] [-s CASEDIR] [-n NUTFILE]\n"
"                [-v NAME=VALUE] [--tap] [--json FILE] [--list] [--spec]\n"
"                [--lint] [--tolerance-multiplier X] [--junit FILE]\n"
"                [--pcap-dir DIR] [--topo-dir DIR] [--topo-id ID]\n"
"                [--progress] [CASE ...]\n"
"\n"
"  -s CASEDIR    the case catalogue (default $MIP6CONF_CASEDIR or\n"
"                conformance/cases)\n"
"  -n NUTFILE    the NUT description (default $MIP6CONF_NUT)\n"
"  -v NAME=VALUE ATF configuration variable: casedir, nut,\n"
"                tolerance_multiplier, pcap_dir, topo_dir, topo_id;\n"
"                others are ignored\n"
"  --tap         run the cases and print TAP 13 (the default)\n"
"  --json FILE   also write the results as JSON to FILE\n"
"  --junit FILE  also write the results as JUnit XML to FILE\n"
"  --pcap-dir DIR\n"
"                netdev afpacket: write DIR/LINK.pcap per link\n"
"  --topo-dir DIR[:DIR...]\n"
"                netdev afpacket: where topologies are (default\n"
"                $MIP6CONF_TOPODIR, or the source tree's topologies/\n"
"                then conformance/topologies/)\n"
"  --topo-id ID  netdev afpacket: the mip6topo run id of each case's\n"
"                topology (default $MIP6CONF_TOPO_ID or c + pid)\n"
"  --progress    a line per case on stderr: [3/7] CN-0-2-1 PASS 0.41 s\n"
"  --list        list the cases: id and title\n"
"  --spec        print the test specification generated from the cases\n"
"  --lint        parse every case (and the NUT description with -n)\n"
"  --tolerance-multiplier X\n"
"                multiply timing tolerances by X (default\n"
"                $MIP6CONF_TOLERANCE_MULT or 1)\n"
"  -l            ATF: list the cases with their metadata\n"
"  -r RESULTFILE ATF: run the one CASE named, write its result\n"
"  -h, --help    this text\n";

static void
usage(FILE *f)
{
	fputs(usage_text, f);
}

static void
die_usage(const char *msg)
{
	fprintf(stderr, "mip6conf: %s\n", msg);
	usage(stderr);
	exit(2);
}

static void
set_mult(struct opts *o, const char *s, const char *what)
{
	if (!tol_parse_mult(s, &o->cfg.tol.mult)) {
		fprintf(stderr, "mip6conf: %s '%s': want a number from 0.1 to "
		    "1000\n", what, s);
		exit(2);
	}
}

static void
set_topo_id(struct opts *o, const char *id)
{
	if (!topo_id_valid(id)) {
		fprintf(stderr, "mip6conf: topology run id '%s': 1 to 12 "
		    "lower-case letters and digits\n", id);
		exit(2);
	}
	str_copy(o->topo_id, id, sizeof(o->topo_id));
}

/* ATF passes the test suite's configuration as -vNAME=VALUE. */
static void
atf_var(struct opts *o, const char *nv)
{
	if (str_prefix(nv, "casedir="))
		o->casedir = nv + 8;
	else if (str_prefix(nv, "nut="))
		o->nutfile = nv + 4;
	else if (str_prefix(nv, "tolerance_multiplier="))
		set_mult(o, nv + 21, "tolerance_multiplier");
	else if (str_prefix(nv, "pcap_dir="))
		o->pcapdir = nv + 9;
	else if (str_prefix(nv, "topo_dir="))
		o->topodir = nv + 9;
	else if (str_prefix(nv, "topo_id="))
		set_topo_id(o, nv + 8);
	else if (strchr(nv, '=') == NULL)
		die_usage("-v takes NAME=VALUE");
}

enum {
	OPT_TAP = 256, OPT_JSON, OPT_LIST, OPT_SPEC, OPT_LINT, OPT_MULT,
	OPT_JUNIT, OPT_PCAPDIR, OPT_TOPODIR, OPT_TOPOID, OPT_PROGRESS
};

static void
parse_args(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tap", no_argument, NULL, OPT_TAP },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "list", no_argument, NULL, OPT_LIST },
		{ "spec", no_argument, NULL, OPT_SPEC },
		{ "lint", no_argument, NULL, OPT_LINT },
		{ "tolerance-multiplier", required_argument, NULL, OPT_MULT },
		{ "junit", required_argument, NULL, OPT_JUNIT },
		{ "pcap-dir", required_argument, NULL, OPT_PCAPDIR },
		{ "topo-dir", required_argument, NULL, OPT_TOPODIR },
		{ "topo-id", required_argument, NULL, OPT_TOPOID },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *env;
	int ch;

	memset(o, 0, sizeof(*o));
	run_cfg_default(&o->cfg);
	o->casedir = getenv("MIP6CONF_CASEDIR");
	o->nutfile = getenv("MIP6CONF_NUT");
	o->topodir = getenv("MIP6CONF_TOPODIR");
	snprintf(o->topo_id, sizeof(o->topo_id), "c%ld", (long)getpid() %
	    100000000L);
	if ((env = getenv("MIP6CONF_TOPO_ID")) != NULL && *env != '\0')
		set_topo_id(o, env);
	if ((env = getenv("MIP6CONF_TOLERANCE_MULT")) != NULL && *env != '\0')
		set_mult(o, env, "MIP6CONF_TOLERANCE_MULT");
	while ((ch = getopt_long(argc, argv, "lr:s:n:v:h", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'l':
			o->mode = M_ATF_LIST;
			break;
		case 'r':
			o->mode = M_ATF_RUN;
			o->resultfile = optarg;
			break;
		case 's':
			o->casedir = optarg;
			break;
		case 'n':
			o->nutfile = optarg;
			break;
		case 'v':
			atf_var(o, optarg);
			break;
		case OPT_TAP:
			o->mode = M_RUN;
			break;
		case OPT_JSON:
			o->jsonfile = optarg;
			break;
		case OPT_LIST:
			o->mode = M_LIST;
			break;
		case OPT_SPEC:
			o->mode = M_SPEC;
			break;
		case OPT_LINT:
			o->mode = M_LINT;
			break;
		case OPT_MULT:
			set_mult(o, optarg, "--tolerance-multiplier");
			break;
		case OPT_JUNIT:
			o->junitfile = optarg;
			break;
		case OPT_PCAPDIR:
			o->pcapdir = optarg;
			break;
		case OPT_TOPODIR:
			o->topodir = optarg;
			break;
		case OPT_TOPOID:
			set_topo_id(o, optarg);
			break;
		case OPT_PROGRESS:
			o->progress = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (o->casedir == NULL || *o->casedir == '\0')
		o->casedir = DEFAULT_CASEDIR;
	if (o->topodir == NULL || *o->topodir == '\0')
		o->topodir = DEFAULT_TOPODIR;
	o->ids = argv + optind;
	o->nids = argc - optind;
	if (o->mode == M_ATF_RUN && o->nids != 1)
		die_usage("-r runs exactly one case");
}

static void
print_errors(const struct cerr *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		fprintf(stderr, "%s\n", e->msg[i]);
	if (e->dropped > 0)
		fprintf(stderr, "mip6conf: %zu more errors not shown\n",
		    e->dropped);
}

/*
 * A case named by its file: the catalogue's own when the file is in the
 * catalogue, else the file added to it.
 */
static struct mcase *
case_file(struct catalog *cat, const char *path, struct cerr *e)
{
	char want[PATH_MAX], have[PATH_MAX];
	struct mcase *c = case_load(path, e), *known;
	size_t i;

	if (c == NULL)
		return NULL;
	known = catalog_find(cat, c->id);
	if (known != NULL && realpath(path, want) != NULL &&
	    realpath(known->path, have) != NULL && strcmp(want, have) == 0) {
		case_free(c);
		return known;
	}
	case_free(c);
	if (catalog_add_file(cat, path, e) < 0)
		return NULL;
	for (i = 0; i < cat->n; i++)
		if (strcmp(cat->cases[i]->path, path) == 0)
			return cat->cases[i];
	return NULL;
}

/*
 * The cases to work on: the named ones (ids from the catalogue, or paths
 * of .case files) or the whole catalogue.  `sel` borrows from `cat`.
 */
static int
select_cases(const struct opts *o, struct catalog *cat, struct catalog *sel,
    struct cerr *e)
{
	int i;

	memset(sel, 0, sizeof(*sel));
	for (i = 0; i < o->nids; i++) {
		const char *id = o->ids[i];
		struct mcase *c, **slot;
		size_t len = strlen(id);

		if (len > 5 && strcmp(id + len - 5, ".case") == 0) {
			if ((c = case_file(cat, id, e)) == NULL)
				return -1;
		} else if ((c = catalog_find(cat, id)) == NULL) {
			cerr_add(e, o->casedir, 0, "no case %s in the catalogue",
			    id);
			return -1;
		}
		slot = xgrow(&sel->cases, &sel->n, sizeof(*slot));
		*slot = c;
	}
	if (o->nids == 0 && cat->n > 0) {
		sel->cases = xmalloc(cat->n * sizeof(*sel->cases));
		memcpy(sel->cases, cat->cases, cat->n * sizeof(*sel->cases));
		sel->n = cat->n;
	}
	return 0;
}

/* ---------------------------------------------------------- running */

/* The run's capture file of one link (all cases in one file). */
struct linkdump {
	char		 link[48];
	char		*path;
	pcap_dumper_t	*dump;
};

struct session {
	struct nutdesc	*nut;
	struct vars	 vars;
	char		 topotool[PATH_MAX];
	pcap_t		*dead;		/* for the dumpers' header */
	struct linkdump	 dumps[LINKS_MAX];
	size_t		 ndumps;
};

/* mip6topo: $MIP6TOPO, or next to this program (build/mip6topo). */
static void
find_topotool(struct session *s)
{
	const char *env = getenv("MIP6TOPO");
	char self[PATH_MAX - 16], *slash;
	ssize_t n;

	if (env != NULL && *env != '\0') {
		str_copy(s->topotool, env, sizeof(s->topotool));
		return;
	}
	str_copy(s->topotool, "mip6topo", sizeof(s->topotool));
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
		return;
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) == NULL)
		return;
	slash[1] = '\0';
	snprintf(s->topotool, sizeof(s->topotool), "%smip6topo", self);
}

static int
session_open(const struct opts *o, struct session *s, struct cerr *e)
{
	memset(s, 0, sizeof(*s));
	vars_init(&s->vars);
	if (o->nutfile == NULL || *o->nutfile == '\0') {
		cerr_add(e, "mip6conf", 0, "no NUT description: give -n NUTFILE "
		    "(or set MIP6CONF_NUT)");
		return -1;
	}
	if ((s->nut = nut_load(o->nutfile, e)) == NULL)
		return -1;
	nut_vars(s->nut, &s->vars);
	find_topotool(s);
	return 0;
}

static void
session_close(struct session *s)
{
	size_t i;

	for (i = 0; i < s->ndumps; i++) {
		if (s->dumps[i].dump != NULL)
			pcap_dump_close(s->dumps[i].dump);
		free(s->dumps[i].path);
	}
	if (s->dead != NULL)
		pcap_close(s->dead);
	nut_free(s->nut);
	vars_free(&s->vars);
}

/* The capture file of a link for the whole run, opened on first use. */
static struct linkdump *
link_dump(const struct opts *o, struct session *s, const char *link,
    char *err, size_t cap)
{
	struct linkdump *d;
	size_t i;

	if (o->pcapdir == NULL)
		return NULL;
	for (i = 0; i < s->ndumps; i++)
		if (strcmp(s->dumps[i].link, link) == 0)
			return &s->dumps[i];
	if (s->ndumps == LINKS_MAX)
		return NULL;
	if (s->dead == NULL &&
	    (s->dead = pcap_open_dead(DLT_EN10MB, FRAME_MAX)) == NULL)
		return NULL;
	d = &s->dumps[s->ndumps];
	str_copy(d->link, link, sizeof(d->link));
	d->path = xmalloc(strlen(o->pcapdir) + strlen(link) + 7);
	sprintf(d->path, "%s/%s.pcap", o->pcapdir, link);
	if ((d->dump = pcap_dump_open(s->dead, d->path)) == NULL) {
		snprintf(err, cap, "%s", pcap_geterr(s->dead));
		free(d->path);
		return NULL;
	}
	s->ndumps++;
	return d;
}

static const struct nut_topo *
nut_topo(const struct nutdesc *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->ntopos; i++)
		if (strcmp(d->topos[i].name, name) == 0)
			return &d->topos[i];
	return NULL;
}

/* NAME.topo in the first folder of the search path DIR[:DIR...]. */
static void
find_topology(const char *path, const char *name, char *buf, size_t cap)
{
	const char *p = path, *colon;

	buf[0] = '\0';
	for (; *p != '\0'; p = colon + 1) {
		size_t n;

		colon = strchr(p, ':');
		n = colon != NULL ? (size_t)(colon - p) : strlen(p);
		snprintf(buf, cap, "%.*s/%s.topo", (int)n, p, name);
		if (access(buf, R_OK) == 0 || colon == NULL)
			return;
	}
}

/*
 * The namespaces go away after each case: a stack started in them by the
 * case (`nut start`) is stopped first, whatever the verdict, so that no
 * daemon outlives its interfaces.  A NUT without `command stop` has
 * nothing to stop.
 */
static void
stop_stack(const struct nutdesc *nut, struct nutctl *ctl)
{
	char *argv[] = { "stop" };
	char why[200];

	if (nut->control != NUTCTL_LOCAL || !nut_has_command(nut, "stop"))
		return;
	if (nutctl_verb(ctl, argv, 1, why, sizeof(why)) < 0)
		fprintf(stderr, "mip6conf: stopping the stack: %s\n", why);
}

/*
 * The real network: the case's topology as fresh namespaces (mip6topo
 * up), the tester's interface on each of its links from the run's status,
 * the NUT's control pointed at the run's namespace of its node, the
 * emulated nodes, the case, and everything taken down again.  -1 when
 * the harness cannot run cases (the topology does not come up).
 */
static int
run_real(const struct opts *o, struct session *s, const struct mcase *c,
    struct case_result *res, char *err, size_t cap)
{
	const struct nut_topo *nt = nut_topo(s->nut, c->topology);
	struct afp_link al[LINKS_MAX];
	char netns[160], ifn[LINKS_MAX][32], topofile[PATH_MAX];
	char ctlns[64], *saved_ctl = s->nut->control_arg;
	struct run_cfg cfg = o->cfg;
	struct topo_run t;
	struct netdev *nd;
	struct nutctl *ctl;
	size_t i, n = nt != NULL ? nt->nlinks : 0;

	find_topology(o->topodir, c->topology, topofile, sizeof(topofile));
	if (n == 0 || n > LINKS_MAX) {
		result_set(res, VERDICT_ERROR, true, "topology %s: %zu links",
		    c->topology, n);
		return 0;
	}
	if (topo_run_up(&t, s->topotool, topofile, o->topo_id, err, cap) < 0) {
		if (intr_signal() != 0) {	/* mip6topo undid its part */
			utc_now(res->started, sizeof(res->started));
			result_set(res, VERDICT_ERROR, true, "interrupted by "
			    "%s while the topology came up; the case did not "
			    "run", intr_name());
			return 0;
		}
		result_set(res, VERDICT_ERROR, true, "%s", err);
		return -1;
	}
	topo_run_netns(&t, TESTER_NODE, netns, sizeof(netns));
	for (i = 0; i < n; i++) {
		struct linkdump *d = link_dump(o, s, nt->links[i], err, cap);

		memset(&al[i], 0, sizeof(al[i]));
		al[i].link = nt->links[i];
		al[i].netns = netns;
		al[i].dump = d != NULL ? (struct pcap_dumper *)d->dump : NULL;
		al[i].pcap_path = d != NULL ? d->path : NULL;
		if ((al[i].ifname = topo_run_ifname(&t, nt->links[i],
		    TESTER_NODE, ifn[i], sizeof(ifn[i]))) == NULL) {
			result_set(res, VERDICT_ERROR, true, "%s: the tester "
			    "node %s has no interface on %s", topofile,
			    TESTER_NODE, nt->links[i]);
			topo_run_down(&t);
			return 0;
		}
	}
	if ((nd = netdev_afpacket_open(al, n, err, cap)) == NULL) {
		result_set(res, VERDICT_ERROR, true, "%s", err);
		topo_run_down(&t);
		return -1;
	}
	if ((cfg.emul = emul_nodes_open(s->nut, err, cap)) == NULL) {
		result_set(res, VERDICT_ERROR, true, "%s", err);
		netdev_close(nd);
		topo_run_down(&t);
		return 0;
	}
	/* `control local NODE`: the node's namespace of this run. */
	if (s->nut->control == NUTCTL_LOCAL && saved_ctl != NULL) {
		snprintf(ctlns, sizeof(ctlns), "m6-%s-%s", t.id, saved_ctl);
		s->nut->control_arg = ctlns;
	}
	ctl = nutctl_open(s->nut, err, cap);
	run_case(c, s->nut, nd, ctl, &cfg, res);
	stop_stack(s->nut, ctl);
	nutctl_close(ctl);
	s->nut->control_arg = saved_ctl;
	emul_close(cfg.emul);
	netdev_close(nd);
	topo_run_down(&t);
	return 0;
}

/*
 * Run one case on a fresh device and control.  Returns 0, or -1 when the
 * harness cannot run cases at all (the device cannot be opened).
 */
static int
run_one(const struct opts *o, struct session *s, const struct mcase *c,
    struct case_result *res, char *err, size_t cap)
{
	struct netdev *nd;
	struct nutctl *ctl;
	char why[200];

	result_init(res, c);
	if (nut_skip_reason(s->nut, c, why, sizeof(why)) != NULL) {
		utc_now(res->started, sizeof(res->started));
		result_set(res, VERDICT_SKIP, true, "%s", why);
		return 0;
	}
	if (s->nut->netdev == NUTDEV_AFPACKET)
		return run_real(o, s, c, res, err, cap);
	if ((nd = netdev_open(s->nut, &s->vars, err, cap)) == NULL) {
		result_set(res, VERDICT_ERROR, true, "%s", err);
		return -1;
	}
	ctl = nutctl_open(s->nut, err, cap);
	run_case(c, s->nut, nd, ctl, &o->cfg, res);
	nutctl_close(ctl);
	netdev_close(nd);
	return 0;
}

static int
write_json(const struct opts *o, struct session *s,
    struct case_result *const *rs, size_t n, const char *started)
{
	struct run_info ri;
	char ended[32];
	FILE *f;

	if (o->jsonfile == NULL)
		return 0;
	if ((f = fopen(o->jsonfile, "w")) == NULL) {
		fprintf(stderr, "mip6conf: %s: %s\n", o->jsonfile,
		    strerror(errno));
		return -1;
	}
	utc_now(ended, sizeof(ended));
	ri.tool = "mip6conf";
	ri.tool_version = MIP6CONF_VERSION;
	ri.suite_version = SUITE_VERSION;
	ri.started = started;
	ri.ended = ended;
	ri.casedir = o->casedir;
	ri.nut = s->nut;
	json_results(f, &ri, rs, n);
	if (fclose(f) != 0) {
		fprintf(stderr, "mip6conf: %s: %s\n", o->jsonfile,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
write_junit(const struct opts *o, struct session *s,
    struct case_result *const *rs, size_t n, const char *started)
{
	char suite[128], host[256];
	FILE *f;

	if (o->junitfile == NULL)
		return 0;
	if ((f = fopen(o->junitfile, "w")) == NULL) {
		fprintf(stderr, "mip6conf: %s: %s\n", o->junitfile,
		    strerror(errno));
		return -1;
	}
	snprintf(suite, sizeof(suite), "mip6conf %s", s->nut->name);
	if (gethostname(host, sizeof(host)) < 0)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	junit_results(f, suite, started, host[0] != '\0' ? host : NULL, rs, n);
	if (fclose(f) != 0) {
		fprintf(stderr, "mip6conf: %s: %s\n", o->junitfile,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * SIGINT, SIGTERM, SIGHUP: stop the case, run the NUT's `stop`, take the
 * topology down, report what ran (conformance/engine/intr.h).
 */
static void
catch_signals(void)
{
	if (intr_install() < 0)
		fprintf(stderr, "mip6conf: cannot catch signals: %s\n",
		    strerror(errno));
}

/* "[3/7] CN-0-2-1 PASS 0.41 s" on stderr. */
static void
progress(const struct opts *o, size_t i, size_t n,
    const struct case_result *r)
{
	if (!o->progress)
		return;
	fprintf(stderr, "[%zu/%zu] %s %s %.2f s%s%s\n", i + 1, n, r->c->id,
	    verdict_name(r->v), (double)r->duration_us / 1e6,
	    r->v != VERDICT_PASS && r->reason[0] != '\0' ? ": " : "",
	    r->v != VERDICT_PASS ? r->reason : "");
	fflush(stderr);
}

static int
mode_run(const struct opts *o, struct catalog *sel)
{
	struct case_result *res = xcalloc(sel->n, sizeof(*res)),
	    **rp = xcalloc(sel->n, sizeof(*rp));
	struct session s;
	struct cerr e;
	char started[32], err[600];
	size_t i, done = 0;
	int status = 0;

	cerr_init(&e);
	utc_now(started, sizeof(started));
	catch_signals();
	if (session_open(o, &s, &e) < 0) {
		tap_plan(stdout, sel->n);
		tap_bail(stdout, cerr_first(&e));
		print_errors(&e);
		free(res);
		free(rp);
		return 2;
	}
	tap_plan(stdout, sel->n);
	/* A signal stops the case in progress (run.h); what ran is
	   reported and the run ends with 128 + the signal. */
	for (i = 0; i < sel->n && intr_signal() == 0; i++, done++) {
		rp[i] = &res[i];
		if (run_one(o, &s, sel->cases[i], &res[i], err,
		    sizeof(err)) < 0) {
			tap_bail(stdout, err);
			status = 2;
			done++;
			break;
		}
		tap_case(stdout, i + 1, &res[i]);
		fflush(stdout);
		progress(o, i, sel->n, &res[i]);
		if (!verdict_ok(res[i].v))
			status = 1;
	}
	if (intr_signal() != 0) {
		if (status != 2) {
			snprintf(err, sizeof(err), "interrupted by %s after "
			    "%zu of %zu cases", intr_name(), done, sel->n);
			tap_bail(stdout, err);
		}
		status = intr_exit_status();
	}
	if (write_json(o, &s, rp, done, started) < 0 && status == 0)
		status = 1;
	if (write_junit(o, &s, rp, done, started) < 0 && status == 0)
		status = 1;
	for (i = 0; i < done; i++)
		result_free(&res[i]);
	free(res);
	free(rp);
	session_close(&s);
	return status;
}

static int
mode_atf_run(const struct opts *o, struct catalog *sel)
{
	struct case_result res;
	struct session s;
	struct cerr e;
	char err[600], line[1200];
	int status;

	cerr_init(&e);
	catch_signals();
	if (session_open(o, &s, &e) < 0) {
		result_init(&res, sel->cases[0]);
		result_set(&res, VERDICT_ERROR, true, "%s", cerr_first(&e));
		print_errors(&e);
	} else
		run_one(o, &s, sel->cases[0], &res, err, sizeof(err));
	atf_result_line(&res, line, sizeof(line));
	printf("%s: %s%s%s\n", res.c->id, verdict_name(res.v),
	    res.reason[0] != '\0' ? ": " : "", res.reason);
	if (res.detail != NULL)
		fputs(res.detail, stdout);
	fflush(stdout);
	if (atf_result_write(o->resultfile, &res) < 0) {
		fprintf(stderr, "mip6conf: %s: %s\n", o->resultfile,
		    strerror(errno));
		status = 1;
	} else
		status = atf_exit_status(&res);
	if (intr_signal() != 0)
		status = intr_exit_status();
	result_free(&res);
	if (s.nut != NULL)
		session_close(&s);
	return status;
}

static int
mode_lint(const struct opts *o, const struct catalog *sel,
    const struct cerr *e)
{
	struct cerr ne;
	struct nutdesc *nut;
	int status = e->n + e->dropped > 0 ? 1 : 0;

	print_errors(e);
	cerr_init(&ne);
	if (o->nutfile != NULL && *o->nutfile != '\0') {
		if ((nut = nut_load(o->nutfile, &ne)) != NULL &&
		    nut->netdev == NUTDEV_FAKE) {
			struct mcase *r = case_load(nut->netdev_arg, &ne);

			if (r != NULL && !r->responder)
				cerr_add(&ne, r->file, 1, "not a responder "
				    "file (it must start with 'responder "
				    "NAME')");
			case_free(r);
		}
		nut_free(nut);
		print_errors(&ne);
		if (ne.n + ne.dropped > 0)
			status = 1;
	}
	printf("mip6conf: %zu case%s checked, %s\n", sel->n, sel->n == 1 ?
	    "" : "s", status == 0 ? "no errors" : "errors found");
	return status;
}

static int
mode_atf_list(const struct opts *o, const struct catalog *sel)
{
	struct nutdesc *nut = NULL;
	struct cerr e;

	cerr_init(&e);
	if (o->nutfile != NULL && *o->nutfile != '\0')
		nut = nut_load(o->nutfile, &e);
	atf_list(stdout, sel->cases, sel->n, nut);
	nut_free(nut);
	return 0;
}

int
main(int argc, char **argv)
{
	struct catalog cat, sel;
	struct opts o;
	struct cerr e;
	size_t i;
	int status = 0;

	parse_args(&o, argc, argv);
	memset(&cat, 0, sizeof(cat));
	cerr_init(&e);
	if (catalog_load(&cat, o.casedir, &e) < 0 && o.nids == 0) {
		print_errors(&e);
		return 2;
	}
	if (select_cases(&o, &cat, &sel, &e) < 0 ||
	    (o.mode != M_LINT && e.n > 0)) {
		print_errors(&e);
		catalog_free(&cat);
		free(sel.cases);
		return o.mode == M_ATF_LIST ? 1 : 2;
	}
	switch (o.mode) {
	case M_LIST:
		for (i = 0; i < sel.n; i++)
			printf("%s\t%s\n", sel.cases[i]->id,
			    sel.cases[i]->title);
		break;
	case M_SPEC:
		spec_text(stdout, sel.cases, sel.n);
		break;
	case M_LINT:
		status = mode_lint(&o, &sel, &e);
		break;
	case M_ATF_LIST:
		status = mode_atf_list(&o, &sel);
		break;
	case M_ATF_RUN:
		status = mode_atf_run(&o, &sel);
		break;
	default:
		status = mode_run(&o, &sel);
	}
	free(sel.cases);
	catalog_free(&cat);
	return status;
}
