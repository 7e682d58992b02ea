/*
 * load.c - reads a mip6conf JSON results file (schema in mip6conf(1)) into
 * the report model: SHA-256 of the file, the verdict of each case mapped
 * to a summary column, the case-id sections, the spec text from the case
 * files, and the capture files copied into the report folder.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "conformance/engine/case.h"
#include "conformance/engine/util.h"
#include "conformance/engine/verdict.h"
#include "mip6report.h"

/* ------------------------------------------------------------- json-c */

const char *
jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

double
jnum(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int))
		return 0;
	return json_object_get_double(v);
}

struct json_object *
jarr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

struct json_object *
jobj(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_object))
		return NULL;
	return v;
}

/* Is string `s` an element of the array `a` of strings? */
static bool
jarr_has(struct json_object *a, const char *s)
{
	size_t i, n = a != NULL ? json_object_array_length(a) : 0;

	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		if (json_object_is_type(e, json_type_string) &&
		    strcmp(json_object_get_string(e), s) == 0)
			return true;
	}
	return false;
}

/* ------------------------------------------------------------ files */

int
mkdir_p(const char *path)
{
	char *p = xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; rc == 0; s++) {
		bool end = *s == '\0';

		if (*s != '/' && !end)
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			rc = -1;
		if (end)
			break;
		*s = '/';
	}
	free(p);
	return rc;
}

static void
hex_digest(const unsigned char *md, unsigned len, char out[SHA256_HEX])
{
	unsigned i;

	for (i = 0; i < len && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/*
 * SHA-256 of a file (libcrypto EVP), copying it to `copy` on the way when
 * that is not NULL.  Returns 0 or -1 (errno kept).
 */
static int
digest_copy(const char *path, const char *copy, char out[SHA256_HEX])
{
	unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	FILE *in = fopen(path, "rb"), *to = NULL;
	EVP_MD_CTX *ctx;
	size_t n;
	int rc = 0;

	if (in == NULL)
		return -1;
	if (copy != NULL && (to = fopen(copy, "wb")) == NULL) {
		fclose(in);
		return -1;
	}
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		rc = -1;
	while (rc == 0 && (n = fread(buf, 1, sizeof(buf), in)) > 0) {
		if (EVP_DigestUpdate(ctx, buf, n) != 1)
			rc = -1;
		if (to != NULL && fwrite(buf, 1, n, to) != n)
			rc = -1;
	}
	if (rc == 0 && (ferror(in) ||
	    EVP_DigestFinal_ex(ctx, md, &mdlen) != 1))
		rc = -1;
	EVP_MD_CTX_free(ctx);
	fclose(in);
	if (to != NULL && fclose(to) != 0)
		rc = -1;
	if (rc == 0)
		hex_digest(md, mdlen, out);
	return rc;
}

int
sha256_file(const char *path, char out[SHA256_HEX])
{
	return digest_copy(path, NULL, out);
}

/* A file name made of [A-Za-z0-9._-] only (ids and names are untrusted). */
static char *
safe_name(const char *s)
{
	char *r = xstrdup(*s != '\0' && strcmp(s, ".") != 0 &&
	    strcmp(s, "..") != 0 ? s : "_");
	char *p;

	for (p = r; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		    *p == '_'))
			*p = '_';
	return r;
}

static char *
path_join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s", a, b);
	return p;
}

/* The folder of `path` ("." for a bare name). */
static char *
path_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/*
 * Find a file the JSON names: as written (absolute, or relative to where
 * mip6report runs, which is where mip6conf ran under `make run`), else
 * relative to the folder of the results file.
 */
static char *
resolve(const char *name, const char *jsonpath)
{
	struct stat st;
	char *dir, *p;

	if (*name == '\0')
		return NULL;
	if (stat(name, &st) == 0 && S_ISREG(st.st_mode))
		return xstrdup(name);
	if (name[0] == '/')
		return NULL;
	dir = path_dir(jsonpath);
	p = path_join(dir, name);
	free(dir);
	if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
		return p;
	free(p);
	return NULL;
}

/* ------------------------------------------------------------ cases */

/* Does the NUT have one of the case's roles (a case without any: yes)? */
static bool
case_role_applies(struct json_object *jc, struct json_object *nut)
{
	struct json_object *roles = jarr(jc, "roles"), *nroles = jarr(nut, "roles");
	size_t i, n;

	if (roles == NULL || nroles == NULL ||
	    json_object_array_length(roles) == 0)
		return true;
	n = json_object_array_length(roles);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(roles, i);

		if (json_object_is_type(e, json_type_string) &&
		    jarr_has(nroles, json_object_get_string(e)))
			return true;
	}
	return false;
}

/* The summary column, by the engine's rule (verdict_column()). */
static enum sumcol
case_col(struct json_object *jc, struct json_object *nut, const char *verdict)
{
	int v;

	for (v = 0; v < VERDICT_COUNT; v++)
		if (strcmp(verdict, verdict_name((enum verdict)v)) == 0)
			break;
	if (v == VERDICT_COUNT)
		return SUMCOL_FAIL;	/* unknown: never reported as a pass */
	return verdict_column((enum verdict)v, case_role_applies(jc, nut));
}

/* "HA-2-1" for "HA-2-1-1": the id up to its last dash. */
static struct section *
section_of(struct run *r, const char *id)
{
	const char *dash = strrchr(id, '-');
	size_t len = dash != NULL && dash != id ? (size_t)(dash - id) :
	    strlen(id), i;
	struct section *s;

	for (i = 0; i < r->nsections; i++)
		if (strlen(r->sections[i].name) == len &&
		    strncmp(r->sections[i].name, id, len) == 0)
			return &r->sections[i];
	s = xgrow(&r->sections, &r->nsections, sizeof(*s));
	s->name = xstrndup(id, len);
	return s;
}

/*
 * The spec text: from the results when they carry it (purpose, procedure,
 * judgement), else from the case file the results name.
 */
static void
load_spec(struct rcase *c, const char *jsonpath)
{
	char *path;
	struct cerr e;

	if (*jstr(c->j, "purpose") != '\0' || *jstr(c->j, "judgement") != '\0')
		return;
	path = resolve(jstr(c->j, "file"), jsonpath);
	if (path == NULL) {
		str_fmt(c->spec_error = xmalloc(300), 300,
		    "the case file %s is not readable here",
		    jstr(c->j, "file"));
		return;
	}
	cerr_init(&e);
	c->spec = case_load(path, &e);
	if (c->spec == NULL)
		c->spec_error = xstrdup(cerr_first(&e));
	free(path);
}

/*
 * A capture's name less the folder of the results file and a "pcap/"
 * after it: mk/run.sh writes reports/latest/results.json with captures
 * reports/latest/pcap/LINK.pcap, which become pcap/LINK.pcap in the report.
 */
static const char *
pcap_rel(const struct run *r, const char *orig)
{
	char *dir = path_dir(r->path);
	size_t n = strlen(dir);

	if (strcmp(dir, ".") != 0 && strncmp(orig, dir, n) == 0 &&
	    orig[n] == '/')
		orig += n + 1;
	free(dir);
	if (strncmp(orig, "pcap/", 5) == 0)
		orig += 5;
	return orig;
}

/*
 * Where a capture goes in the report folder: its path as the JSON names it
 * under pcap/ (the run's subfolder first), without "", "." and ".."
 * components and with each component made safe, so that two captures of
 * the same name in different folders (one folder per case) stay apart.
 */
static char *
pcap_href(const struct run *r, const char *orig)
{
	size_t cap = strlen(orig) + strlen(r->dir) + 16, len;
	char *href = xmalloc(cap), *copy = xstrdup(pcap_rel(r, orig)), *tok,
	    *save = NULL;

	len = (size_t)snprintf(href, cap, "pcap/%s", r->dir);
	for (tok = strtok_r(copy, "/", &save); tok != NULL;
	    tok = strtok_r(NULL, "/", &save)) {
		char *part;

		if (strcmp(tok, ".") == 0 || strcmp(tok, "..") == 0)
			continue;
		part = safe_name(tok);
		len += (size_t)snprintf(href + len, cap - len, "%s%s",
		    href[len - 1] == '/' ? "" : "/", part);
		free(part);
	}
	if (href[len - 1] == '/')
		snprintf(href + len, cap - len, "_");
	free(copy);
	return href;
}

/* A capture an earlier case of the run already copied. */
static const struct pcapref *
pcap_seen(const struct run *r, const struct rcase *upto, const char *orig)
{
	const struct rcase *c;
	size_t k;

	for (c = r->cases; c <= upto; c++)
		for (k = 0; k < c->npcaps; k++)
			if (c->pcaps[k].href != NULL &&
			    strcmp(c->pcaps[k].orig, orig) == 0)
				return &c->pcaps[k];
	return NULL;
}

static int
copy_pcap(const char *src, const char *outdir, struct pcapref *p)
{
	char *dst = path_join(outdir, p->href), *dir = path_dir(dst);
	int rc = mkdir_p(dir);

	if (rc == 0)
		rc = digest_copy(src, dst, p->sha256);
	if (rc != 0)
		fprintf(stderr, "mip6report: %s: %s\n", dst, strerror(errno));
	free(dir);
	free(dst);
	return rc;
}

static void
load_pcaps(struct run *r, struct rcase *c, const char *outdir)
{
	struct json_object *a = jarr(c->j, "pcaps");
	size_t i, n = a != NULL ? json_object_array_length(a) : 0;

	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		const struct pcapref *seen;
		struct pcapref *p;
		char *src;

		if (!json_object_is_type(e, json_type_string))
			continue;
		p = xgrow(&c->pcaps, &c->npcaps, sizeof(*p));
		p->orig = json_object_get_string(e);
		if ((seen = pcap_seen(r, c, p->orig)) != NULL) {
			p->href = xstrdup(seen->href);
			memcpy(p->sha256, seen->sha256, sizeof(p->sha256));
			continue;
		}
		src = resolve(p->orig, r->path);
		if (src == NULL)
			continue;
		p->href = pcap_href(r, p->orig);
		if (copy_pcap(src, outdir, p) != 0) {
			free(p->href);
			p->href = NULL;
		}
		free(src);
	}
}

/* A page name per case, unique in the run. */
static char *
case_page(const struct run *r, size_t k)
{
	char *base = safe_name(r->cases[k].id), *page;
	size_t i, dup = 0, n;

	for (i = 0; i < k; i++)
		if (strcmp(r->cases[i].id, r->cases[k].id) == 0)
			dup++;
	n = strlen(r->dir) + strlen(base) + 40;
	page = xmalloc(n);
	if (dup > 0)
		snprintf(page, n, "cases/%s%s-%zu.html", r->dir, base, dup + 1);
	else
		snprintf(page, n, "cases/%s%s.html", r->dir, base);
	free(base);
	return page;
}

static int
read_all(struct run *r, const char *path, char **text)
{
	size_t len;

	*text = file_read(path, &len);
	if (*text == NULL || sha256_file(path, r->sha256) != 0) {
		fprintf(stderr, "mip6report: %s: %s\n", path, strerror(errno));
		free(*text);
		return -1;
	}
	if (strlen(*text) != len) {
		fprintf(stderr, "mip6report: %s: NUL byte in the file\n", path);
		free(*text);
		return -1;
	}
	return 0;
}

int
run_load(struct run *r, const char *path, size_t index, size_t nruns,
    const char *outdir)
{
	enum json_tokener_error err = json_tokener_success;
	struct json_object *cases, *nut;
	char *text, sub[32], *d;
	size_t i, dlen;

	memset(r, 0, sizeof(*r));
	r->path = path;
	if (read_all(r, path, &text) != 0)
		return -1;
	r->root = json_tokener_parse_verbose(text, &err);
	free(text);
	if (r->root == NULL || !json_object_is_type(r->root, json_type_object)) {
		fprintf(stderr, "mip6report: %s: not a JSON object: %s\n", path,
		    json_tokener_error_desc(err));
		return -1;
	}
	nut = jobj(r->root, "nut");
	r->label = *jstr(nut, "name") != '\0' ? jstr(nut, "name") :
	    path_base(path);
	if (nruns > 1)
		snprintf(sub, sizeof(sub), "run%zu/", index + 1);
	else
		sub[0] = '\0';
	r->dir = xstrdup(sub);
	dlen = strlen(outdir) + sizeof(sub) + 16;
	d = xmalloc(dlen);
	snprintf(d, dlen, "%s/cases/%s", outdir, sub);
	if (mkdir_p(d) != 0)
		goto fail;
	snprintf(d, dlen, "%s/pcap/%s", outdir, sub);
	if (mkdir_p(d) != 0)
		goto fail;
	free(d);
	cases = jarr(r->root, "cases");
	r->ncases = cases != NULL ? json_object_array_length(cases) : 0;
	r->cases = xcalloc(r->ncases > 0 ? r->ncases : 1, sizeof(*r->cases));
	for (i = 0; i < r->ncases; i++) {
		struct rcase *c = &r->cases[i];
		struct section *s;

		c->j = json_object_array_get_idx(cases, i);
		c->id = jstr(c->j, "id");
		c->title = jstr(c->j, "title");
		c->verdict = jstr(c->j, "verdict");
		c->reason = jstr(c->j, "reason");
		c->col = case_col(c->j, nut, c->verdict);
		s = section_of(r, c->id);
		s->count[c->col]++;
		s->total++;
		r->count[c->col]++;
		c->page = case_page(r, i);
		load_spec(c, path);
		load_pcaps(r, c, outdir);
	}
	for (i = 0; i < r->ncases; i++)	/* sections may have moved */
		r->cases[i].section = section_of(r, r->cases[i].id)->name;
	return 0;
fail:
	fprintf(stderr, "mip6report: %s: %s\n", d, strerror(errno));
	free(d);
	return -1;
}

void
run_free(struct run *r)
{
	size_t i, k;

	for (i = 0; i < r->ncases; i++) {
		struct rcase *c = &r->cases[i];

		for (k = 0; k < c->npcaps; k++)
			free(c->pcaps[k].href);
		free(c->pcaps);
		free(c->page);
		if (c->spec != NULL)
			case_free(c->spec);
		free(c->spec_error);
	}
	free(r->cases);
	for (i = 0; i < r->nsections; i++)
		free(r->sections[i].name);
	free(r->sections);
	free(r->dir);
	if (r->root != NULL)
		json_object_put(r->root);
	memset(r, 0, sizeof(*r));
}
