/*
 * mip6topo.c - the command line of mip6topo, which builds and removes
 * network-namespace topologies described as data (mip6topo(8)):
 *
 *	mip6topo -n FILE		check, print the normalised topology
 *	mip6topo up [-jv] [-i ID] [-d DIR] [-t SEC] FILE
 *	mip6topo down ID | down -i ID [FILE] | down -a
 *	mip6topo status [-j] [ID]
 *
 * Exit status: 0 done, 1 failed (one line on stderr names the cause),
 * 2 usage or topology errors (FILE:LINE: message), 128 + the signal when
 * SIGINT, SIGTERM or SIGHUP stopped `up` (which undid what it had made)
 * or came while `down` ran (which finished first).
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conformance/engine/intr.h"
#include "mip6topo.h"
#include "topo.h"

#define EXIT_USAGE	2
#define DEFAULT_TIMEOUT_MS	10000

int
errf(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, ERRLEN, fmt, ap);
	va_end(ap);
	return -1;
}

long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: mip6topo -n FILE\n"
	    "       mip6topo up [-jv] [-i ID] [-d DIR] [-t SECONDS] FILE\n"
	    "       mip6topo down ID | -i ID [FILE] | -a\n"
	    "       mip6topo status [-j] [ID]\n");
}

static int
fail(const char *err)
{
	fprintf(stderr, "mip6topo: %s\n", err);
	return 1;
}

/*
 * `up` and `down` change the system: a signal must not leave half a
 * topology behind, so it is only noted (conformance/engine/intr.h) and
 * looked at between steps; a second one ends the process at once.
 */
static void
catch_signals(void)
{
	if (intr_install() < 0)
		fprintf(stderr, "mip6topo: cannot catch signals\n");
}

/* The exit status of `up` or `down` that returned rc. */
static int
finish(int rc, const char *err)
{
	if (intr_signal() != 0) {
		if (rc < 0)
			fprintf(stderr, "mip6topo: %s\n", err);
		return intr_exit_status();
	}
	return rc < 0 ? fail(err) : 0;
}

/* Parse `file`; NULL (after printing FILE:LINE errors) when invalid. */
static struct topo *
load(const char *file)
{
	struct topo *t = calloc(1, sizeof(*t));

	if (t == NULL) {
		fprintf(stderr, "mip6topo: out of memory\n");
		return NULL;
	}
	if (topo_parse(t, file, stderr) != 0) {
		free(t);
		return NULL;
	}
	return t;
}

static int
cmd_check(const char *file)
{
	struct topo *t = load(file);

	if (t == NULL)
		return EXIT_USAGE;
	topo_print(t, stdout);
	free(t);
	return 0;
}

static const struct option long_opts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "dir", required_argument, NULL, 'd' },
	{ "id", required_argument, NULL, 'i' },
	{ "json", no_argument, NULL, 'j' },
	{ "timeout", required_argument, NULL, 't' },
	{ "verbose", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 }
};

struct args {
	const char	*id;
	const char	*dir;
	double		 timeout;
	bool		 json;
	bool		 all;
	bool		 verbose;
};

static int
parse_opts(int argc, char **argv, struct args *a)
{
	int c;

	memset(a, 0, sizeof(*a));
	a->timeout = DEFAULT_TIMEOUT_MS / 1000.0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "ad:i:jt:v", long_opts, NULL)) !=
	    -1) {
		char *end;

		switch (c) {
		case 'a':
			a->all = true;
			break;
		case 'd':
			a->dir = optarg;
			break;
		case 'i':
			a->id = optarg;
			break;
		case 'j':
			a->json = true;
			break;
		case 'v':
			a->verbose = true;
			break;
		case 't':
			a->timeout = strtod(optarg, &end);
			if (*end != '\0' || a->timeout <= 0 ||
			    a->timeout > 3600) {
				fprintf(stderr, "mip6topo: bad timeout '%s'\n",
				    optarg);
				return -1;
			}
			break;
		default:
			return -1;
		}
	}
	return 0;
}

static int
cmd_up(int argc, char **argv)
{
	struct args a;
	struct up_opts o;
	struct topo *t;
	char err[ERRLEN];
	int rc;

	if (parse_opts(argc, argv, &a) < 0 || optind != argc - 1 || a.all) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if ((t = load(argv[optind])) == NULL)
		return EXIT_USAGE;
	o.id = a.id;
	o.outdir = a.dir;
	o.timeout_ms = (int)(a.timeout * 1000);
	o.json = a.json;
	o.verbose = a.verbose;
	catch_signals();
	rc = topo_up(t, &o, err);
	free(t);
	/* Interrupted after the topology was complete: it is up and its
	   status printed, so that is success for whoever runs `up`. */
	if (rc == 0)
		return 0;
	return finish(rc, err);
}

static int
cmd_down(int argc, char **argv)
{
	struct args a;
	char err[ERRLEN];
	const char *id;
	int rc;

	if (parse_opts(argc, argv, &a) < 0 || a.json || a.dir != NULL) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (a.all) {
		if (optind != argc || a.id != NULL) {
			usage(stderr);
			return EXIT_USAGE;
		}
		catch_signals();
		return finish(topo_down_all(err), err);
	}
	/* down ID, or down -i ID [FILE] (the file only names the run's
	   topology; the record says what to remove). */
	if (a.id != NULL && argc - optind <= 1)
		id = a.id;
	else if (a.id == NULL && argc - optind == 1)
		id = argv[optind];
	else {
		usage(stderr);
		return EXIT_USAGE;
	}
	catch_signals();
	rc = topo_down(id, err);
	return finish(rc, err);
}

static int
cmd_status(int argc, char **argv)
{
	struct args a;
	char err[ERRLEN];

	if (parse_opts(argc, argv, &a) < 0 || a.all || a.dir != NULL ||
	    argc - optind > 1 || (a.id != NULL && argc - optind != 0)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (a.id == NULL && argc - optind == 1)
		a.id = argv[optind];
	return topo_status(a.id, a.json, stdout, err) < 0 ? fail(err) : 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "-n") == 0)
		return cmd_check(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "up") == 0)
		return cmd_up(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "down") == 0)
		return cmd_down(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "status") == 0)
		return cmd_status(argc - 1, argv + 1);
	if (argc == 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return EXIT_USAGE;
}
