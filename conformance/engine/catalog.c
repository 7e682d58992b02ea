/*
 * catalog.c - loading the case catalogue and printing the specification
 * (see catalog.h).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "case.h"
#include "catalog.h"
#include "util.h"

static bool
is_case_file(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && strcmp(name + n - 5, ".case") == 0 && name[0] != '.';
}

int
catalog_add_file(struct catalog *cat, const char *path, struct cerr *e)
{
	struct mcase *c = case_load(path, e), **slot;
	struct mcase *dup;

	if (c == NULL)
		return -1;
	if (c->responder) {
		cerr_add(e, c->file, 1, "a responder file, not a case");
		case_free(c);
		return -1;
	}
	if ((dup = catalog_find(cat, c->id)) != NULL) {
		cerr_add(e, c->file, 1, "case %s is also defined in %s", c->id,
		    dup->path);
		case_free(c);
		return -1;
	}
	slot = xgrow(&cat->cases, &cat->n, sizeof(*slot));
	*slot = c;
	return 0;
}

static int
names_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
walk(struct catalog *cat, const char *dir, struct cerr *e, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL, path[4096];
	size_t n = 0, i;
	struct stat st;

	if (d == NULL) {
		cerr_add(e, dir, 0, "cannot read the case folder: %s",
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char **slot;

		if (de->d_name[0] == '.')
			continue;
		slot = xgrow(&names, &n, sizeof(*slot));
		*slot = xstrdup(de->d_name);
	}
	closedir(d);
	/* a stable order, so errors come out the same way every time */
	if (n > 1)
		qsort(names, n, sizeof(*names), names_cmp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode) && depth < 8)
			walk(cat, path, e, depth + 1);
		else if (is_case_file(names[i]))
			catalog_add_file(cat, path, e);
		free(names[i]);
	}
	free(names);
	return 0;
}

static int
id_cmp(const void *a, const void *b)
{
	return strverscmp((*(struct mcase *const *)a)->id,
	    (*(struct mcase *const *)b)->id);
}

void
catalog_sort(struct catalog *cat)
{
	if (cat->n > 1)
		qsort(cat->cases, cat->n, sizeof(*cat->cases), id_cmp);
}

int
catalog_load(struct catalog *cat, const char *dir, struct cerr *e)
{
	int r = walk(cat, dir, e, 0);

	catalog_sort(cat);
	return r;
}

void
catalog_free(struct catalog *cat)
{
	size_t i;

	for (i = 0; i < cat->n; i++)
		case_free(cat->cases[i]);
	free(cat->cases);
	cat->cases = NULL;
	cat->n = 0;
}

struct mcase *
catalog_find(const struct catalog *cat, const char *id)
{
	size_t i;

	for (i = 0; i < cat->n; i++)
		if (strcmp(cat->cases[i]->id, id) == 0)
			return cat->cases[i];
	return NULL;
}

/* ----------------------------------------------------------- the spec */

static void
spec_block(FILE *f, const char *head, const char *text)
{
	const char *line, *nl;

	fprintf(f, "  %s\n", head);
	for (line = text; line != NULL && *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl == NULL)
			nl = line + strlen(line);
		if (nl == line)
			fputc('\n', f);
		else
			fprintf(f, "    %.*s\n", (int)(nl - line), line);
		if (*nl == '\0')
			break;
	}
	fputc('\n', f);
}

static void
spec_case(FILE *f, const struct mcase *c)
{
	char roles[64];
	size_t i;

	roles_fmt(roles, sizeof(roles), c->roles);
	fprintf(f, "%s  %s\n", c->id, c->title != NULL ? c->title : "");
	if (c->tahi[0] != '\0')
		fprintf(f, "    TAHI:      %s\n", c->tahi);
	for (i = 0; i < c->nrfc; i++)
		fprintf(f, "    RFC:       %s\n", c->rfc[i]);
	fprintf(f, "    Topology:  %s\n", c->topology);
	fprintf(f, "    Role:      %s\n", roles);
	fprintf(f, "    Requires:  ");
	for (i = 0; i < c->nrequires; i++)
		fprintf(f, "%s%s", i > 0 ? " " : "", c->requires[i]);
	fprintf(f, "%s\n", c->nrequires == 0 ? "-" : "");
	fprintf(f, "    Timeout:   %u s\n", c->timeout_s);
	fprintf(f, "    File:      %s\n\n", c->path);
	spec_block(f, "Purpose", c->purpose);
	spec_block(f, "Procedure", c->procedure);
	spec_block(f, "Judgement", c->judgement);
}

void
spec_text(FILE *f, struct mcase *const *cases, size_t n)
{
	size_t i;

	fprintf(f, "mip6kit conformance test specification (%zu case%s)\n",
	    n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		fputc('\n', f);
		spec_case(f, cases[i]);
	}
}
