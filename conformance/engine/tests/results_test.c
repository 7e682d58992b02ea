/*
 * results_test.c - the output forms (results.c), byte for byte: TAP 13
 * (plan, ok / not ok, SKIP directive, diagnostics, titles kept off `not
 * ok` lines when Kyua would read them as a directive), the ATF listing and
 * result file with the exit status Kyua expects for each verdict, and the
 * JSON results document.
 */
#include <atf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/engine/results.h"
#include "ctest.h"
#include "packets/pkt.h"
#include "packets/sbuf.h"

static struct mcase *
mk(const char *id, const char *title, const char *extra)
{
	char text[1024], name[64];

	snprintf(text, sizeof(text), "case %s\ntitle %s\nrfc RFC 6275 §9.2\n"
	    "topology one-link\nrole node\n%spurpose\np\nend\nprocedure\nq\n"
	    "end\njudgement\nr\nend\n0 nut reset\n", id, title, extra);
	snprintf(name, sizeof(name), "%s.case", id);
	return ct_case(name, text);
}

/* Write with a function into a memory buffer and return it. */
static char *
capture(void (*fn)(FILE *, void *), void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ATF_REQUIRE(f != NULL);
	fn(f, arg);
	fclose(f);
	return buf;
}

struct tapset {
	struct case_result	*r;
	size_t			 n;
};

static void
write_tap(FILE *f, void *arg)
{
	struct tapset *ts = arg;
	size_t i;

	tap_plan(f, ts->n);
	for (i = 0; i < ts->n; i++)
		tap_case(f, i + 1, &ts->r[i]);
	tap_bail(f, "netdev: cannot open tn0");
}

ATF_TC_WITHOUT_HEAD(tap13);
ATF_TC_BODY(tap13, tc)
{
	struct mcase *c[7];
	struct case_result r[7];
	struct tapset ts = { r, 7 };
	char *out;
	size_t i;

	c[0] = mk("CN-1", "Pass", "");
	c[1] = mk("CN-2", "Warn", "");
	c[2] = mk("CN-3", "Skip me", "");
	c[3] = mk("CN-4", "Fail", "");
	c[4] = mk("CN-5", "x", "");
	c[5] = mk("CN-6", "Cleanup", "");
	c[6] = mk("CN-7", "x", "");
	/* titles from elsewhere than a case file (" #" starts a comment) */
	free(c[4]->title);
	c[4]->title = strdup("Option is skipped when # unknown");
	free(c[6]->title);
	c[6]->title = strdup("Error #7");
	for (i = 0; i < 7; i++)
		result_init(&r[i], c[i]);
	result_set(&r[1], VERDICT_WARN, false, "CN-2.case: unexpected MH BA");
	result_detail(&r[1], "unexpected ICMPv6 echo-request");
	result_set(&r[2], VERDICT_SKIP, false, "role ha not declared by the "
	    "NUT");
	result_set(&r[3], VERDICT_FAIL, false, "CN-4.case:10: BA field status: "
	    "expected 0 vs actual 133");
	result_detail(&r[3], "expected (ba, CN-4.case:8):");
	result_detail(&r[3], "  mh BA status=0");
	result_set(&r[4], VERDICT_INIT_FAIL, false, "CN-5.case:3: nut reset: "
	    "failed");
	result_set(&r[5], VERDICT_CLEANUP_FAIL, false, "CN-6.case:20: x");
	result_set(&r[6], VERDICT_ERROR, false, "CN-7.case:19: cannot build");
	/* only the first verdict counts, unless forced */
	result_set(&r[6], VERDICT_FAIL, false, "ignored");
	out = capture(write_tap, &ts);
	ATF_CHECK_STREQ(out,
	    "TAP version 13\n"
	    "1..7\n"
	    "ok 1 - CN-1 Pass\n"
	    "ok 2 - CN-2 Warn\n"
	    "# WARN: CN-2.case: unexpected MH BA\n"
	    "#   unexpected ICMPv6 echo-request\n"
	    "ok 3 - CN-3 Skip me # SKIP role ha not declared by the NUT\n"
	    "not ok 4 - CN-4 Fail\n"
	    "# FAIL: CN-4.case:10: BA field status: expected 0 vs actual 133\n"
	    "#   expected (ba, CN-4.case:8):\n"
	    "#     mh BA status=0\n"
	    "not ok 5 - CN-5\n"
	    "# title: Option is skipped when # unknown\n"
	    "# INIT-FAIL: CN-5.case:3: nut reset: failed\n"
	    "not ok 6 - CN-6 Cleanup\n"
	    "# CLEANUP-FAIL: CN-6.case:20: x\n"
	    "not ok 7 - CN-7 Error \\#7\n"
	    "# ERROR: CN-7.case:19: cannot build\n"
	    "Bail out! netdev: cannot open tn0\n");
	free(out);
	for (i = 0; i < 7; i++) {
		result_free(&r[i]);
		case_free(c[i]);
	}
}

struct listarg {
	struct mcase	**c;
	size_t		  n;
	struct nutdesc	 *nut;
};

static void
write_list(FILE *f, void *arg)
{
	struct listarg *la = arg;

	atf_list(f, la->c, la->n, la->nut);
}

ATF_TC_WITHOUT_HEAD(atf_listing);
ATF_TC_BODY(atf_listing, tc)
{
	struct mcase *c[2];
	struct listarg la = { c, 2, NULL };
	char *out;

	c[0] = mk("HA-2-1-1", "Receiving a valid BU", "tahi HA_2_1_1\n"
	    "rfc RFC 6275 §10.3.1\ntimeout 30\n");
	c[1] = mk("CN-0-1-1", "MH to a plain node", "");
	out = capture(write_list, &la);
	ATF_CHECK_STREQ(out,
	    "Content-Type: application/X-atf-tp; version=\"1\"\n"
	    "\n"
	    "ident: HA-2-1-1\n"
	    "descr: Receiving a valid BU\n"
	    "timeout: 30\n"
	    "X-rfc: RFC 6275 §9.2; RFC 6275 §10.3.1\n"
	    "X-tahi: HA_2_1_1\n"
	    "X-topology: one-link\n"
	    "\n"
	    "ident: CN-0-1-1\n"
	    "descr: MH to a plain node\n"
	    "timeout: 60\n"
	    "X-rfc: RFC 6275 §9.2\n"
	    "X-topology: one-link\n");
	free(out);
	/* real interfaces need root */
	la.nut = ct_nut("n.nut", "nut n\nrole node\nnetdev afpacket\n");
	la.n = 1;
	la.c = &c[1];
	out = capture(write_list, &la);
	ATF_CHECK(strstr(out, "timeout: 60\nrequire.user: root\nX-rfc:") !=
	    NULL);
	free(out);
	nut_free(la.nut);
	case_free(c[0]);
	case_free(c[1]);
}

ATF_TC_WITHOUT_HEAD(atf_results);
ATF_TC_BODY(atf_results, tc)
{
	static const struct {
		enum verdict	 v;
		const char	*line;
		int		 status;
	} want[] = {
		{ VERDICT_PASS, "passed", 0 },
		{ VERDICT_WARN, "passed", 0 },
		{ VERDICT_SKIP, "skipped: why\nnot", 0 },
		{ VERDICT_FAIL, "failed: why\nnot", 1 },
		{ VERDICT_INIT_FAIL, "failed: INIT-FAIL: why\nnot", 1 },
		{ VERDICT_CLEANUP_FAIL, "failed: CLEANUP-FAIL: why\nnot", 1 },
		{ VERDICT_ERROR, "broken: ERROR: why\nnot", 1 },
	};
	struct mcase *c = mk("CN-1", "t", "");
	struct case_result r;
	char line[200], path[] = "/tmp/atfresXXXXXX", file[200], exp[200];
	size_t i;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	ATF_REQUIRE(fd >= 0);
	close(fd);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		result_init(&r, c);
		/* a reason is one line: newlines become spaces */
		result_set(&r, want[i].v, true, "why\nnot");
		atf_result_line(&r, line, sizeof(line));
		snprintf(exp, sizeof(exp), "%s", want[i].line);
		if (strchr(exp, '\n') != NULL)
			*strchr(exp, '\n') = ' ';
		ATF_CHECK_STREQ(line, exp);
		ATF_CHECK_EQ(atf_exit_status(&r), want[i].status);
		ATF_REQUIRE_EQ(atf_result_write(path, &r), 0);
		f = fopen(path, "r");
		ATF_REQUIRE(f != NULL);
		ATF_REQUIRE(fgets(file, sizeof(file), f) != NULL);
		fclose(f);
		strcat(exp, "\n");
		ATF_CHECK_STREQ(file, exp);
		result_free(&r);
	}
	unlink(path);
	case_free(c);
}

struct jarg {
	struct case_result	**r;
	size_t			  n;
	struct nutdesc		 *nut;
};

static void
write_json(FILE *f, void *arg)
{
	struct jarg *ja = arg;
	struct run_info ri = { "mip6conf", "0.1", "0.1",
	    "2025-01-02T03:04:05Z", "2025-01-02T03:04:07Z", "cases", ja->nut };

	json_results(f, &ri, ja->r, ja->n);
}

/*
 * Every verdict counts in exactly one summary column (TAHI's report); a
 * tool fault is never a pass; a SKIP is N/A when the role does not apply.
 */
ATF_TC_WITHOUT_HEAD(summary_columns);
ATF_TC_BODY(summary_columns, tc)
{
	static const struct {
		enum verdict	v;
		bool		role;
		enum sumcol	col;
	} rows[] = {
		{ VERDICT_PASS, true, SUMCOL_PASS },
		{ VERDICT_WARN, true, SUMCOL_WARN },
		{ VERDICT_FAIL, true, SUMCOL_FAIL },
		{ VERDICT_INIT_FAIL, true, SUMCOL_FAIL },
		{ VERDICT_CLEANUP_FAIL, true, SUMCOL_FAIL },
		{ VERDICT_ERROR, true, SUMCOL_FAIL },
		{ VERDICT_SKIP, true, SUMCOL_SKIP },
		{ VERDICT_SKIP, false, SUMCOL_NA },
		{ VERDICT_PASS, false, SUMCOL_PASS },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		ATF_CHECK_EQ_MSG(verdict_column(rows[i].v, rows[i].role),
		    rows[i].col, "row %zu", i);
	ATF_CHECK_STREQ(sumcol_name(SUMCOL_NA), "N/A");
	ATF_CHECK_STREQ(sumcol_key(SUMCOL_NA), "na");
}

ATF_TC_WITHOUT_HEAD(json_document);
ATF_TC_BODY(json_document, tc)
{
	struct mcase *c[2];
	struct case_result r[2], *rp[2] = { &r[0], &r[1] };
	struct jarg ja = { rp, 2, NULL };
	char *out;

	ja.nut = ct_nut("/n/fake.nut", "nut fake\ntitle A \"fake\"\nrole node "
	    "cn\ncapability dhaad\nnetdev fake f.responder\ncontrol fake\n");
	c[0] = mk("CN-1", "One", "tahi CN_1\nrequires dhaad\n");
	c[1] = mk("CN-2", "Two", "");
	result_init(&r[0], c[0]);
	result_init(&r[1], c[1]);
	strcpy(r[0].started, "2025-01-02T03:04:05Z");
	strcpy(r[1].started, "2025-01-02T03:04:06Z");
	r[0].duration_us = 1500000;
	result_log(&r[0], LOG_NUT, 0, NULL, 19, "reset", NULL, 0);
	result_set(&r[1], VERDICT_FAIL, false, "CN-2.case:9: \"x\" failed");
	result_detail(&r[1], "line\ttwo");
	out = capture(write_json, &ja);
	ATF_CHECK_STREQ(out,
	    "{\"tool\":\"mip6conf\",\"tool_version\":\"0.1\","
	    "\"suite_version\":\"0.1\",\"started\":\"2025-01-02T03:04:05Z\","
	    "\"ended\":\"2025-01-02T03:04:07Z\",\"casedir\":\"cases\","
	    "\"nut\":{\"name\":\"fake\",\"file\":\"/n/fake.nut\","
	    "\"title\":\"A \\\"fake\\\"\",\"roles\":[\"node\",\"cn\"],"
	    "\"capabilities\":[\"dhaad\"],\"control\":\"fake\","
	    "\"netdev\":\"fake\"},"
	    "\"summary\":{\"total\":2,\"pass\":1,\"warn\":0,\"fail\":1,"
	    "\"init_fail\":0,\"cleanup_fail\":0,\"skip\":0,\"error\":0,"
	    "\"columns\":{\"pass\":1,\"fail\":1,\"warn\":0,\"skip\":0,"
	    "\"na\":0}},"
	    "\"cases\":["
	    "{\"id\":\"CN-1\",\"tahi\":\"CN_1\",\"title\":\"One\","
	    "\"rfc\":[\"RFC 6275 §9.2\"],\"file\":\"CN-1.case\","
	    "\"topology\":\"one-link\",\"roles\":[\"node\"],"
	    "\"requires\":[\"dhaad\"],\"verdict\":\"PASS\",\"reason\":\"\","
	    "\"detail\":\"\",\"started\":\"2025-01-02T03:04:05Z\","
	    "\"duration_s\":1.500000,"
	    "\"log\":[{\"t\":0.000000,\"kind\":\"nut\",\"line\":19,"
	    "\"text\":\"reset\"}],\"pcaps\":[]},"
	    "{\"id\":\"CN-2\",\"tahi\":null,\"title\":\"Two\","
	    "\"rfc\":[\"RFC 6275 §9.2\"],\"file\":\"CN-2.case\","
	    "\"topology\":\"one-link\",\"roles\":[\"node\"],\"requires\":[],"
	    "\"verdict\":\"FAIL\",\"reason\":\"CN-2.case:9: \\\"x\\\" failed\","
	    "\"detail\":\"line\\u0009two\\u000a\",\"started\":\"2025-01-02T03:04:06Z\","
	    "\"duration_s\":0.000000,\"log\":[],\"pcaps\":[]}"
	    "]}\n");
	free(out);
	result_free(&r[0]);
	result_free(&r[1]);
	case_free(c[0]);
	case_free(c[1]);
	nut_free(ja.nut);
}

ATF_TC_WITHOUT_HEAD(json_packets_use_the_packets_printers);
ATF_TC_BODY(json_packets_use_the_packets_printers, tc)
{
	static const uint8_t frame[] = {	/* echo request, valid */
		0x02, 0, 0, 0, 0x01, 0x01, 0x02, 0, 0, 0, 0, 0xa0, 0x86, 0xdd,
		0x60, 0, 0, 0, 0, 8, 58, 64,
		0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xa0,
		0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
		0x80, 0, 0x22, 0xa3, 0, 4, 0, 1,
	};
	struct mcase *c = mk("CN-1", "One", "");
	struct case_result r, *rp = &r;
	struct jarg ja = { &rp, 1, NULL };
	struct pkt *p = malloc(sizeof(*p));
	char *out, want[8192], tmp[4096];
	struct sbuf sb, js;
	struct jw jw;
	struct logent *e;

	result_init(&r, c);
	e = result_log(&r, LOG_RECV, 600000, "link0", 0, NULL, frame,
	    sizeof(frame));
	e->significant = true;
	out = capture(write_json, &ja);
	pkt_decode(p, PKT_LINK_ETHER, frame, sizeof(frame));
	sbuf_init(&sb, want, sizeof(want));
	sbuf_puts(&sb, "\"log\":[{\"t\":0.600000,\"kind\":\"recv\",\"line\":0,"
	    "\"link\":\"link0\",\"matched\":null,\"significant\":true,"
	    "\"short\":");
	sbuf_init(&js, tmp, sizeof(tmp));
	pkt_print_short(&js, p);
	sbuf_json_str(&sb, tmp, strlen(tmp));
	sbuf_puts(&sb, ",\"verbose\":");
	sbuf_init(&js, tmp, sizeof(tmp));
	pkt_print_verbose(&js, p);
	sbuf_json_str(&sb, tmp, strlen(tmp));
	sbuf_puts(&sb, ",\"bytes\":\"");
	sbuf_hex(&sb, frame, sizeof(frame));
	sbuf_puts(&sb, "\",\"decoded\":");
	sbuf_init(&js, tmp, sizeof(tmp));
	jw_init(&jw, &js);
	pkt_print_json(&jw, p);
	sbuf_puts(&sb, tmp);
	sbuf_puts(&sb, "}],\"pcaps\":[]}]}\n");
	ATF_CHECK_MSG(strstr(out, want) != NULL, "want\n%s\nin\n%s", want,
	    out);
	free(out);
	free(p);
	result_free(&r);
	case_free(c);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, tap13);
	ATF_TP_ADD_TC(tp, atf_listing);
	ATF_TP_ADD_TC(tp, atf_results);
	ATF_TP_ADD_TC(tp, json_document);
	ATF_TP_ADD_TC(tp, summary_columns);
	ATF_TP_ADD_TC(tp, json_packets_use_the_packets_printers);
	return atf_no_error();
}
