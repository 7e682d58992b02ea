/*
 * mip6report.c - turns one or more mip6conf JSON results files (and the
 * captures they name) into a static, self-contained HTML report: a summary
 * per case-id section, a page per case, and an interoperability matrix
 * when several runs (one per implementation) are given.  See mip6report(1).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/engine/util.h"
#include "mip6report.h"

static void
usage(FILE *f)
{
	fputs("usage: mip6report -o DIR RESULTS.json [RESULTS.json ...]\n"
	    "       mip6report -o DIR --spec CASEDIR\n"
	    "  -o DIR          write the report into DIR (created when missing)\n"
	    "  --spec CASEDIR  write DIR/spec.html, the test specification\n"
	    "                  generated from the cases under CASEDIR\n"
	    "  -h, --help      print this help and exit\n", f);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "spec", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	const char *outdir = NULL, *specdir = NULL;
	struct run *runs;
	size_t nruns, i;
	int ch, rc = 0;

	while ((ch = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			outdir = optarg;
			break;
		case 'S':
			specdir = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (outdir == NULL || (specdir == NULL) == (optind >= argc)) {
		usage(stderr);
		return 2;
	}
	if (mkdir_p(outdir) != 0) {
		perror(outdir);
		return 1;
	}
	if (specdir != NULL)
		return spec_write(outdir, specdir) == 0 ? 0 : 1;
	nruns = (size_t)(argc - optind);
	runs = xcalloc(nruns, sizeof(*runs));
	for (i = 0; i < nruns && rc == 0; i++)
		if (run_load(&runs[i], argv[optind + (int)i], i, nruns,
		    outdir) != 0)
			rc = 1;
	if (rc == 0 && html_write(outdir, runs, nruns) != 0)
		rc = 1;
	for (i = 0; i < nruns; i++)
		run_free(&runs[i]);
	free(runs);
	return rc;
}
