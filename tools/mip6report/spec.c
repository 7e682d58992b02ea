/*
 * spec.c - the published test specification as one static HTML page
 * (mip6report --spec CASEDIR -o DIR writes DIR/spec.html), generated from
 * the cases' own text as TAHI generated its specification from the
 * scripts: a table of contents by section (the case-id prefix: HA-2,
 * NEMO-HA-3, CN-0 ...), then per case its id, TAHI id, title, RFC
 * clauses, topology, roles, required capabilities, purpose, procedure and
 * judgement.  Offline, no scripts (the report's Content-Security-Policy).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/engine/case.h"
#include "conformance/engine/catalog.h"
#include "conformance/engine/util.h"
#include "mip6report.h"

/* "HA-2-1-1" -> "HA-2"; "NEMO-HA-3-1-1" -> "NEMO-HA-3": everything up to
   the first number group, and that number. */
static void
section_of(const char *id, char *buf, size_t cap)
{
	const char *p = id;

	while (*p != '\0' && !(p[0] == '-' && p[1] >= '0' && p[1] <= '9'))
		p++;
	if (*p == '-')
		p++;
	while (*p >= '0' && *p <= '9')
		p++;
	snprintf(buf, cap, "%.*s", (int)(p - id), id);
}

static void
meta(FILE *f, const char *key, const char *val)
{
	fputs("<tr>", f);
	elem(f, "th", NULL, key);
	elem(f, "td", NULL, val);
	fputs("</tr>\n", f);
}

static void
join(char *buf, size_t cap, char *const *v, size_t n, const char *none)
{
	size_t k = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && k < cap; i++)
		k += (size_t)snprintf(buf + k, cap - k, "%s%s",
		    i > 0 ? ", " : "", v[i]);
	if (n == 0)
		snprintf(buf, cap, "%s", none);
}

static void
spec_case_html(FILE *f, const struct mcase *c)
{
	char buf[1024];

	fputs("<section class=\"case\" id=\"", f);
	html_esc(f, c->id);
	fputs("\">\n<h3><span class=\"id\">", f);
	html_esc(f, c->id);
	fputs("</span> ", f);
	html_esc(f, c->title != NULL ? c->title : "");
	fputs("</h3>\n<table class=\"meta\">\n", f);
	if (c->tahi[0] != '\0')
		meta(f, "TAHI", c->tahi);
	join(buf, sizeof(buf), c->rfc, c->nrfc, "-");
	meta(f, "RFC", buf);
	meta(f, "Topology", c->topology);
	roles_fmt(buf, sizeof(buf), c->roles);
	meta(f, "Role", buf);
	join(buf, sizeof(buf), c->requires, c->nrequires, "-");
	meta(f, "Requires", buf);
	snprintf(buf, sizeof(buf), "%u s", c->timeout_s);
	meta(f, "Timeout", buf);
	fputs("</table>\n", f);
	elem(f, "h4", NULL, "Purpose");
	elem(f, "pre", "class=\"spec purpose\"", c->purpose ? c->purpose : "");
	elem(f, "h4", NULL, "Procedure");
	elem(f, "pre", "class=\"spec procedure\"",
	    c->procedure ? c->procedure : "");
	elem(f, "h4", NULL, "Judgement");
	elem(f, "pre", "class=\"spec judgement\"",
	    c->judgement ? c->judgement : "");
	fputs("</section>\n", f);
}

/* The table of contents: one row per section with its cases as links. */
static void
spec_toc(FILE *f, const struct catalog *cat)
{
	char cur[64] = "", sec[64];

	fputs("<h2>Contents</h2>\n<table class=\"toc\" id=\"toc\">\n"
	    "<tr><th>Section</th><th>Cases</th></tr>\n", f);
	for (size_t i = 0; i < cat->n; i++) {
		section_of(cat->cases[i]->id, sec, sizeof(sec));
		if (strcmp(sec, cur) != 0) {
			if (cur[0] != '\0')
				fputs("</td></tr>\n", f);
			fputs("<tr>", f);
			elem(f, "td", "class=\"section\"", sec);
			fputs("<td>", f);
			snprintf(cur, sizeof(cur), "%s", sec);
		} else
			fputs(" ", f);
		fputs("<a href=\"#", f);
		html_esc(f, cat->cases[i]->id);
		fputs("\">", f);
		html_esc(f, cat->cases[i]->id);
		fputs("</a>", f);
	}
	if (cur[0] != '\0')
		fputs("</td></tr>\n", f);
	fputs("</table>\n", f);
}

int
spec_write(const char *outdir, const char *casedir)
{
	struct catalog cat = { 0 };
	struct cerr e;
	char n[32];
	FILE *f;
	int rc;

	cerr_init(&e);
	if (catalog_load(&cat, casedir, &e) < 0 || e.n > 0) {
		for (size_t i = 0; i < e.n; i++)
			fprintf(stderr, "mip6report: %s\n", e.msg[i]);
		if (e.n == 0)
			fprintf(stderr, "mip6report: %s: cannot read the "
			    "catalogue\n", casedir);
		catalog_free(&cat);
		return -1;
	}
	catalog_sort(&cat);
	f = page_open(outdir, "spec.html", "mip6kit conformance test "
	    "specification");
	if (f == NULL) {
		catalog_free(&cat);
		return -1;
	}
	fputs("<h1>mip6kit conformance test specification</h1>\n", f);
	snprintf(n, sizeof(n), "%zu", cat.n);
	fputs("<p id=\"count\">", f);
	html_esc(f, n);
	fputs(cat.n == 1 ? " case, " : " cases, ", f);
	fputs("generated from the case files of ", f);
	html_esc(f, casedir);
	fputs(".</p>\n", f);
	spec_toc(f, &cat);
	for (size_t i = 0; i < cat.n; i++)
		spec_case_html(f, cat.cases[i]);
	rc = page_close(f);
	catalog_free(&cat);
	return rc;
}
