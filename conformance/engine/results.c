/*
 * results.c - case results and their TAP 13, ATF and JSON forms (see
 * results.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case.h"
#include "nut.h"
#include "packets/pkt.h"
#include "packets/sbuf.h"
#include "results.h"
#include "util.h"

/* ------------------------------------------------------------ results */

void
result_init(struct case_result *r, const struct mcase *c)
{
	memset(r, 0, sizeof(*r));
	r->c = c;
	r->v = VERDICT_PASS;
}

void
result_free(struct case_result *r)
{
	size_t i;

	for (i = 0; i < r->nlog; i++) {
		free(r->log[i].text);
		free(r->log[i].data);
	}
	free(r->log);
	for (i = 0; i < r->npcaps; i++)
		free(r->pcaps[i]);
	free(r->pcaps);
	free(r->detail);
	memset(r, 0, sizeof(*r));
}

struct logent *
result_log(struct case_result *r, enum log_kind kind, int64_t t,
    const char *link, int line, const char *text, const uint8_t *data,
    size_t len)
{
	struct logent *e = xgrow(&r->log, &r->nlog, sizeof(*e));

	e->kind = kind;
	e->t_us = t;
	str_copy(e->link, link != NULL ? link : "", sizeof(e->link));
	e->line = line;
	e->text = xstrdup(text != NULL ? text : "");
	if (data != NULL && len > 0) {
		e->data = xmalloc(len);
		memcpy(e->data, data, len);
		e->len = len;
	}
	return e;
}

void
result_detail(struct case_result *r, const char *line)
{
	size_t old = r->detail != NULL ? strlen(r->detail) : 0;
	size_t n = strlen(line);

	r->detail = xrealloc(r->detail, old + n + 2);
	memcpy(r->detail + old, line, n);
	r->detail[old + n] = '\n';
	r->detail[old + n + 1] = '\0';
}

void
result_set(struct case_result *r, enum verdict v, bool force,
    const char *fmt, ...)
{
	va_list ap;
	char *nl;

	if (!force && r->v != VERDICT_PASS)
		return;
	r->v = v;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	while ((nl = strchr(r->reason, '\n')) != NULL)
		*nl = ' ';
}

void
utc_now(char *buf, size_t cap)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* --------------------------------------------------------------- TAP */

void
tap_plan(FILE *f, size_t n)
{
	fprintf(f, "TAP version 13\n1..%zu\n", n);
}

void
tap_bail(FILE *f, const char *why)
{
	fprintf(f, "Bail out! %s\n", why);
}

/* A description for an `ok`/`not ok` line: '#' escaped (TAP 13). */
static void
tap_desc(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '#')
			fputc('\\', f);
		if (*s != '\n')
			fputc(*s, f);
	}
}

static void
tap_diag(FILE *f, const char *prefix, const char *text)
{
	const char *line = text, *nl;

	if (text == NULL || *text == '\0')
		return;
	for (; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl == NULL)
			nl = line + strlen(line);
		fprintf(f, "# %s%.*s\n", prefix, (int)(nl - line), line);
		if (*nl == '\0')
			break;
	}
}

/*
 * Kyua's TAP parser takes a `not ok` line whose text matches TODO or
 * (SKIP|skip) anywhere as a pass; keep such words off those lines.
 */
static bool
kyua_directive_word(const char *s)
{
	return s != NULL && (strstr(s, "TODO") != NULL ||
	    str_icontains(s, "skip") || str_icontains(s, "todo"));
}

void
tap_case(FILE *f, size_t num, const struct case_result *r)
{
	const struct mcase *c = r->c;
	const char *title = c->title != NULL ? c->title : "";
	bool ok = verdict_ok(r->v);

	fprintf(f, "%sok %zu - %s", ok ? "" : "not ", num, c->id);
	if (ok || !kyua_directive_word(title)) {
		fputc(' ', f);
		tap_desc(f, title);
	}
	if (r->v == VERDICT_SKIP) {
		fputs(" # SKIP ", f);
		tap_desc(f, r->reason);
	}
	fputc('\n', f);
	if (!ok && kyua_directive_word(title))
		tap_diag(f, "title: ", title);
	if (r->v != VERDICT_PASS && r->v != VERDICT_SKIP) {
		fprintf(f, "# %s: ", verdict_name(r->v));
		fputs(r->reason, f);
		fputc('\n', f);
		tap_diag(f, "  ", r->detail);
	}
}

/* --------------------------------------------------------------- ATF */

static void
atf_prop(FILE *f, const char *key, const char *val)
{
	fprintf(f, "%s: ", key);
	for (; *val != '\0'; val++)
		fputc(*val == '\n' ? ' ' : *val, f);
	fputc('\n', f);
}

void
atf_list(FILE *f, struct mcase *const *cases, size_t n,
    const struct nutdesc *nut)
{
	char buf[32], rfc[512];
	size_t i, k, len;

	fputs("Content-Type: application/X-atf-tp; version=\"1\"\n", f);
	for (i = 0; i < n; i++) {
		const struct mcase *c = cases[i];

		fputc('\n', f);
		atf_prop(f, "ident", c->id);
		atf_prop(f, "descr", c->title != NULL ? c->title : "");
		snprintf(buf, sizeof(buf), "%u", c->timeout_s);
		atf_prop(f, "timeout", buf);
		/* Real interfaces and namespaces need root; the fake not. */
		if (nut != NULL && nut->netdev == NUTDEV_AFPACKET)
			atf_prop(f, "require.user", "root");
		for (k = 0, len = 0, rfc[0] = '\0'; k < c->nrfc &&
		    len < sizeof(rfc); k++)
			len += (size_t)snprintf(rfc + len, sizeof(rfc) - len,
			    "%s%s", k > 0 ? "; " : "", c->rfc[k]);
		atf_prop(f, "X-rfc", rfc);
		if (c->tahi[0] != '\0')
			atf_prop(f, "X-tahi", c->tahi);
		atf_prop(f, "X-topology", c->topology);
	}
}

void
atf_result_line(const struct case_result *r, char *buf, size_t cap)
{
	char *nl;

	switch (r->v) {
	case VERDICT_PASS:
	case VERDICT_WARN:
		snprintf(buf, cap, "passed");
		return;
	case VERDICT_SKIP:
		str_fmt(buf, cap, "skipped: %s", r->reason);
		break;
	case VERDICT_FAIL:
		str_fmt(buf, cap, "failed: %s", r->reason);
		break;
	case VERDICT_INIT_FAIL:
	case VERDICT_CLEANUP_FAIL:
		str_fmt(buf, cap, "failed: %s: %s", verdict_name(r->v),
		    r->reason);
		break;
	default:
		str_fmt(buf, cap, "broken: ERROR: %s", r->reason);
	}
	while ((nl = strchr(buf, '\n')) != NULL)
		*nl = ' ';
}

int
atf_exit_status(const struct case_result *r)
{
	return verdict_ok(r->v) ? 0 : 1;
}

int
atf_result_write(const char *path, const struct case_result *r)
{
	char line[1200];
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	atf_result_line(r, line, sizeof(line));
	fprintf(f, "%s\n", line);
	return fclose(f) == 0 ? 0 : -1;
}

/* -------------------------------------------------------------- JSON */

#define JSON_CHUNK	(256 * 1024)

struct jout {
	FILE		*f;
	struct sbuf	 sb;
	struct jw	 jw;
	char		*buf;
	struct pkt_esp_keys keys;	/* the NUT's SAs: ESP shown opened */
};

static void
jflush(struct jout *o)
{
	fwrite(o->sb.buf, 1, o->sb.len, o->f);
	sbuf_reset(&o->sb);
}

/* A key whose value the packets/ printer writes (it opens with key NULL). */
static void
jw_key_only(struct jw *jw, const char *key)
{
	jw_raw(jw, key, "");
	jw->need_comma[jw->depth] = false;
}

static void
jw_seconds(struct jw *jw, const char *key, int64_t us)
{
	char s[40];

	snprintf(s, sizeof(s), "%s%lld.%06lld", us < 0 ? "-" : "",
	    (long long)(us < 0 ? -us : us) / 1000000,
	    (long long)(us < 0 ? -us : us) % 1000000);
	jw_raw(jw, key, s);
}

static void
jw_strv(struct jw *jw, const char *key, char *const *v, size_t n)
{
	size_t i;

	jw_arr_open(jw, key);
	for (i = 0; i < n; i++)
		jw_str(jw, NULL, v[i]);
	jw_arr_close(jw);
}

static void
jw_roles(struct jw *jw, const char *key, unsigned roles)
{
	char buf[64], *s, *save = NULL;

	roles_fmt(buf, sizeof(buf), roles);
	jw_arr_open(jw, key);
	for (s = strtok_r(buf, " ", &save); s != NULL;
	    s = strtok_r(NULL, " ", &save))
		jw_str(jw, NULL, s);
	jw_arr_close(jw);
}

static void
json_nut(struct jw *jw, const struct nutdesc *d)
{
	static const char *const ctl[] = { "fake", "local", "ssh", "manual" };

	if (d == NULL) {
		jw_null(jw, "nut");
		return;
	}
	jw_obj_open(jw, "nut");
	jw_str(jw, "name", d->name);
	jw_str(jw, "file", d->path);
	jw_str(jw, "title", d->title != NULL ? d->title : "");
	jw_roles(jw, "roles", d->roles);
	jw_strv(jw, "capabilities", d->caps, d->ncaps);
	jw_str(jw, "control", ctl[d->control]);
	jw_str(jw, "netdev", d->netdev == NUTDEV_FAKE ? "fake" : "afpacket");
	jw_obj_close(jw);
}

static void
json_packet(struct jout *o, const struct logent *e, struct pkt *p,
    char *tmp, size_t cap)
{
	struct sbuf sb;

	pkt_decode_keys(p, PKT_LINK_ETHER, e->data, e->len, e->len, &o->keys);
	sbuf_init(&sb, tmp, cap);
	pkt_print_short(&sb, p);
	jw_str(&o->jw, "short", sbuf_str(&sb));
	sbuf_init(&sb, tmp, cap);
	pkt_print_verbose(&sb, p);
	jw_str(&o->jw, "verbose", sbuf_str(&sb));
	jw_hex(&o->jw, "bytes", e->data, e->len);
	jw_key_only(&o->jw, "decoded");
	pkt_print_json(&o->jw, p);
}

static void
json_log(struct jout *o, const struct case_result *r, struct pkt *p)
{
	static const char *const kinds[] = { "send", "recv", "nut", "note" };
	char *tmp = xmalloc(JSON_CHUNK / 4);
	size_t i;

	jw_arr_open(&o->jw, "log");
	for (i = 0; i < r->nlog; i++) {
		const struct logent *e = &r->log[i];

		jw_obj_open(&o->jw, NULL);
		jw_seconds(&o->jw, "t", e->t_us);
		jw_str(&o->jw, "kind", kinds[e->kind]);
		jw_uint(&o->jw, "line", (uint64_t)e->line);
		if (e->link[0] != '\0')
			jw_str(&o->jw, "link", e->link);
		if (e->kind == LOG_RECV) {
			if (e->matched[0] != '\0')
				jw_str(&o->jw, "matched", e->matched);
			else
				jw_null(&o->jw, "matched");
			jw_bool(&o->jw, "significant", e->significant);
		} else
			jw_str(&o->jw, e->kind == LOG_SEND ? "template" :
			    "text", e->text);
		if (e->data != NULL)
			json_packet(o, e, p, tmp, JSON_CHUNK / 4);
		jw_obj_close(&o->jw);
		jflush(o);
	}
	jw_arr_close(&o->jw);
	free(tmp);
}

static void
json_case(struct jout *o, const struct case_result *r, struct pkt *p)
{
	const struct mcase *c = r->c;
	struct jw *jw = &o->jw;

	jw_obj_open(jw, NULL);
	jw_str(jw, "id", c->id);
	if (c->tahi[0] != '\0')
		jw_str(jw, "tahi", c->tahi);
	else
		jw_null(jw, "tahi");
	jw_str(jw, "title", c->title != NULL ? c->title : "");
	jw_strv(jw, "rfc", c->rfc, c->nrfc);
	jw_str(jw, "file", c->path);
	jw_str(jw, "topology", c->topology);
	jw_roles(jw, "roles", c->roles);
	jw_strv(jw, "requires", c->requires, c->nrequires);
	jw_str(jw, "verdict", verdict_name(r->v));
	jw_str(jw, "reason", r->reason);
	jw_str(jw, "detail", r->detail != NULL ? r->detail : "");
	jw_str(jw, "started", r->started);
	jw_seconds(jw, "duration_s", r->duration_us);
	jflush(o);
	json_log(o, r, p);
	jw_strv(jw, "pcaps", r->pcaps, r->npcaps);
	jw_obj_close(jw);
	jflush(o);
}

/* Does the NUT have one of the case's roles (a case without any: yes)? */
static bool
role_applies(const struct mcase *c, const struct nutdesc *nut)
{
	return c == NULL || nut == NULL || c->roles == 0 ||
	    (c->roles & nut->roles) != 0;
}

/*
 * "summary": the total, the count of each verdict, and "columns": the
 * TOTAL/PASS/FAIL/WARN/SKIP/N/A summary every report prints.
 */
static void
json_summary(struct jw *jw, const struct nutdesc *nut,
    struct case_result *const *rs, size_t n)
{
	size_t count[VERDICT_COUNT] = { 0 }, cols[SUMCOL_COUNT] = { 0 }, i;
	int v;

	for (i = 0; i < n; i++) {
		count[rs[i]->v]++;
		cols[verdict_column(rs[i]->v, role_applies(rs[i]->c, nut))]++;
	}
	jw_obj_open(jw, "summary");
	jw_uint(jw, "total", n);
	for (v = 0; v < VERDICT_COUNT; v++)
		jw_uint(jw, verdict_key((enum verdict)v), count[v]);
	jw_obj_open(jw, "columns");
	for (v = 0; v < SUMCOL_COUNT; v++)
		jw_uint(jw, sumcol_key((enum sumcol)v), cols[v]);
	jw_obj_close(jw);
	jw_obj_close(jw);
}

void
json_results(FILE *f, const struct run_info *ri,
    struct case_result *const *rs, size_t n)
{
	struct jout o;
	struct pkt *p = xmalloc(sizeof(*p));
	size_t i;

	o.f = f;
	o.keys = nut_esp_keys(ri->nut);
	o.buf = xmalloc(JSON_CHUNK);
	sbuf_init(&o.sb, o.buf, JSON_CHUNK);
	jw_init(&o.jw, &o.sb);
	jw_obj_open(&o.jw, NULL);
	jw_str(&o.jw, "tool", ri->tool);
	jw_str(&o.jw, "tool_version", ri->tool_version);
	jw_str(&o.jw, "suite_version", ri->suite_version);
	jw_str(&o.jw, "started", ri->started);
	jw_str(&o.jw, "ended", ri->ended);
	jw_str(&o.jw, "casedir", ri->casedir != NULL ? ri->casedir : "");
	json_nut(&o.jw, ri->nut);
	json_summary(&o.jw, ri->nut, rs, n);
	jw_arr_open(&o.jw, "cases");
	jflush(&o);
	for (i = 0; i < n; i++)
		json_case(&o, rs[i], p);
	jw_arr_close(&o.jw);
	jw_obj_close(&o.jw);
	sbuf_putc(&o.sb, '\n');
	jflush(&o);
	free(o.buf);
	free(p);
}
