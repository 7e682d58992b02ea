/*
 * mip6report.h - what the parts of mip6report share: the model of the
 * mip6conf JSON results files being reported (load.c fills it, html.c
 * writes it out as static HTML).
 *
 * The model keeps the json-c tree of each results file alive and points
 * into it: strings are json-c's, valid until run_free().
 */
#ifndef MIP6_REPORT_H
#define MIP6_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "conformance/engine/verdict.h"

struct json_object;
struct mcase;

#define SHA256_HEX	65	/* 64 hex digits and the NUL */
#define MIP6REPORT_VERSION	"0.1"

/* The summary columns are the engine's (verdict.h: enum sumcol). */
/* A capture file named by a case, copied into the report folder. */
struct pcapref {
	const char	*orig;		/* as written in the JSON */
	char		*href;		/* relative to the report folder; NULL
					   when the file could not be read */
	char		 sha256[SHA256_HEX];
};

struct rcase {
	struct json_object *j;		/* the case object */
	const char	*id, *title, *verdict, *reason;
	char		*page;		/* relative to the report folder */
	enum sumcol	 col;
	const char	*section;	/* index into run.sections' names */
	struct mcase	*spec;		/* the case file, when it could be read */
	char		*spec_error;	/* why not */
	struct pcapref	*pcaps;
	size_t		 npcaps;
};

struct section {
	char		*name;		/* "HA-2-1" for HA-2-1-1 */
	size_t		 count[SUMCOL_COUNT];
	size_t		 total;
};

struct run {
	const char	*path;		/* the results file */
	char		 sha256[SHA256_HEX];
	struct json_object *root;
	const char	*label;		/* the NUT name, else the file name */
	char		*dir;		/* "" or "runN/": page and pcap subdir */
	struct rcase	*cases;
	size_t		 ncases;
	struct section	*sections;
	size_t		 nsections;
	size_t		 count[SUMCOL_COUNT];
};

/* load.c */
/* Read, digest and parse a results file; pcaps are copied into outdir.
 * Returns 0, or -1 with a message on stderr. */
int	run_load(struct run *, const char *path, size_t index, size_t nruns,
	    const char *outdir);
void	run_free(struct run *);
/* json-c accessors that never fail: "" / 0 / NULL when absent. */
const char *jstr(struct json_object *, const char *key);
double	jnum(struct json_object *, const char *key);
struct json_object *jarr(struct json_object *, const char *key);
struct json_object *jobj(struct json_object *, const char *key);
int	sha256_file(const char *path, char out[SHA256_HEX]);
int	mkdir_p(const char *path);

/* html.c */
int	html_write(const char *outdir, struct run *runs, size_t nruns);
/* Page helpers shared with spec.c: escaped text, <TAG>text</TAG>, a page
   with the report's style, and its footer. */
void	html_esc(FILE *, const char *);
void	elem(FILE *, const char *tag, const char *attrs, const char *text);
FILE	*page_open(const char *outdir, const char *name, const char *title);
int	page_close(FILE *);

/* spec.c */
/* DIR/spec.html: the test specification generated from the cases under
   casedir.  0, or -1 with a message on stderr. */
int	spec_write(const char *outdir, const char *casedir);

#endif
