/*
 * junit.c - JUnit XML results (see junit.h).  Everything printed from a
 * case or a NUT is escaped for XML 1.0: markup characters as entities,
 * control characters other than tab and newline (not allowed in XML 1.0
 * even as references) replaced by '?'.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "case.h"
#include "junit.h"
#include "results.h"
#include "verdict.h"

static void
xml_esc(FILE *f, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		switch (ch) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			if (ch < 0x20 && ch != '\t' && ch != '\n')
				fputc('?', f);
			else
				fputc(ch, f);
		}
	}
}

static void
attr(FILE *f, const char *name, const char *val)
{
	fprintf(f, " %s=\"", name);
	xml_esc(f, val);
	fputc('"', f);
}

static void
prop(FILE *f, const char *name, const char *val)
{
	fputs("        <property", f);
	attr(f, "name", name);
	attr(f, "value", val);
	fputs("/>\n", f);
}

/* "cn" from CN-0-1-1: the catalogue's family, as the class name. */
static void
family(const char *id, char *buf, size_t cap)
{
	size_t i;

	for (i = 0; id[i] != '\0' && id[i] != '-' && i + 1 < cap; i++)
		buf[i] = (char)tolower((unsigned char)id[i]);
	buf[i] = '\0';
}

enum jkind { J_PASS, J_FAILURE, J_ERROR, J_SKIPPED };

static enum jkind
jkind(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS:
	case VERDICT_WARN:
		return J_PASS;
	case VERDICT_SKIP:
		return J_SKIPPED;
	case VERDICT_ERROR:
		return J_ERROR;
	default:
		return J_FAILURE;
	}
}

static void
one_case(FILE *f, const struct case_result *r)
{
	static const char *const elem[] = { NULL, "failure", "error",
	    "skipped" };
	const struct mcase *c = r->c;
	char cls[64], classname[80], secs[32];
	enum jkind k = jkind(r->v);
	size_t i;

	family(c->id, cls, sizeof(cls));
	snprintf(classname, sizeof(classname), "mip6conf.%s", cls);
	snprintf(secs, sizeof(secs), "%.3f", (double)r->duration_us / 1e6);
	fputs("    <testcase", f);
	attr(f, "classname", classname);
	attr(f, "name", c->id);
	attr(f, "time", secs);
	fputs(">\n      <properties>\n", f);
	prop(f, "title", c->title);
	for (i = 0; i < c->nrfc; i++)
		prop(f, "rfc", c->rfc[i]);
	if (c->tahi[0] != '\0')
		prop(f, "tahi", c->tahi);
	prop(f, "verdict", verdict_name(r->v));
	fputs("      </properties>\n", f);
	if (k != J_PASS) {
		fprintf(f, "      <%s", elem[k]);
		attr(f, "message", r->reason);
		if (k != J_SKIPPED) {
			attr(f, "type", verdict_name(r->v));
			fputc('>', f);
			xml_esc(f, r->detail);
			fprintf(f, "</%s>\n", elem[k]);
		} else
			fputs("/>\n", f);
	}
	if (r->v == VERDICT_WARN) {
		fputs("      <system-out>WARN: ", f);
		xml_esc(f, r->reason);
		fputs("</system-out>\n", f);
	}
	fputs("    </testcase>\n", f);
}

void
junit_results(FILE *f, const char *suite, const char *timestamp,
    const char *hostname, struct case_result *const *rs, size_t n)
{
	size_t i, cnt[4] = { 0, 0, 0, 0 };
	int64_t us = 0;
	char num[32], secs[32];

	for (i = 0; i < n; i++) {
		cnt[jkind(rs[i]->v)]++;
		us += rs[i]->duration_us;
	}
	snprintf(secs, sizeof(secs), "%.3f", (double)us / 1e6);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", f);
	attr(f, "name", "mip6conf");
	snprintf(num, sizeof(num), "%zu", n);
	attr(f, "tests", num);
	snprintf(num, sizeof(num), "%zu", cnt[J_FAILURE]);
	attr(f, "failures", num);
	snprintf(num, sizeof(num), "%zu", cnt[J_ERROR]);
	attr(f, "errors", num);
	snprintf(num, sizeof(num), "%zu", cnt[J_SKIPPED]);
	attr(f, "skipped", num);
	attr(f, "time", secs);
	fputs(">\n  <testsuite", f);
	attr(f, "name", suite);
	snprintf(num, sizeof(num), "%zu", n);
	attr(f, "tests", num);
	snprintf(num, sizeof(num), "%zu", cnt[J_FAILURE]);
	attr(f, "failures", num);
	snprintf(num, sizeof(num), "%zu", cnt[J_ERROR]);
	attr(f, "errors", num);
	snprintf(num, sizeof(num), "%zu", cnt[J_SKIPPED]);
	attr(f, "skipped", num);
	attr(f, "time", secs);
	attr(f, "timestamp", timestamp);
	if (hostname != NULL)
		attr(f, "hostname", hostname);
	fputs(">\n", f);
	for (i = 0; i < n; i++)
		one_case(f, rs[i]);
	fputs("  </testsuite>\n</testsuites>\n", f);
}
