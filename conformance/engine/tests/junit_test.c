/*
 * junit_test.c - the JUnit XML results (junit.c), byte for byte: one
 * testcase per case with its family as class name, properties for title,
 * RFC clauses, TAHI number and verdict, failure for FAIL and INIT-FAIL,
 * error for ERROR, skipped with the reason for SKIP, WARN as a pass with
 * system-out, the counts and total time on testsuites and testsuite, and
 * XML escaping of markup and control characters.
 */
#include <atf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/engine/junit.h"
#include "conformance/engine/results.h"
#include "ctest.h"

static struct mcase *
mk(const char *id, const char *title, const char *extra)
{
	char text[1024], name[64];

	snprintf(text, sizeof(text), "case %s\ntitle %s\nrfc RFC 6275 §9.2\n"
	    "%stopology one-link\nrole node\npurpose\np\nend\nprocedure\nq\n"
	    "end\njudgement\nr\nend\n0 nut reset\n", id, title, extra);
	snprintf(name, sizeof(name), "%s.case", id);
	return ct_case(name, text);
}

static const char golden[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
"<testsuites name=\"mip6conf\" tests=\"5\" failures=\"2\" errors=\"0\" "
"skipped=\"1\" time=\"3.751\">\n"
"  <testsuite name=\"mip6conf linux-plain\" tests=\"5\" failures=\"2\" "
"errors=\"0\" skipped=\"1\" time=\"3.751\" "
"timestamp=\"2026-11-23T00:00:00Z\" hostname=\"tester\">\n"
"    <testcase classname=\"mip6conf.cn\" name=\"CN-0-1-1\" time=\"0.412\">\n"
"      <properties>\n"
"        <property name=\"title\" value=\"Mobility Header &amp; &lt;PP&gt;\"/>\n"
"        <property name=\"rfc\" value=\"RFC 6275 §9.2\"/>\n"
"        <property name=\"rfc\" value=\"RFC 8200 §4\"/>\n"
"        <property name=\"tahi\" value=\"CN-1-2-3\"/>\n"
"        <property name=\"verdict\" value=\"PASS\"/>\n"
"      </properties>\n"
"    </testcase>\n"
"    <testcase classname=\"mip6conf.ha\" name=\"HA-2-1-1\" time=\"1.000\">\n"
"      <properties>\n"
"        <property name=\"title\" value=\"BU &quot;A&quot;\"/>\n"
"        <property name=\"rfc\" value=\"RFC 6275 §9.2\"/>\n"
"        <property name=\"verdict\" value=\"FAIL\"/>\n"
"      </properties>\n"
"      <failure message=\"BA status 0, want 128\" type=\"FAIL\">"
"expected ba &lt;status=128&gt;\ngot ? &apos;x&apos;\n</failure>\n"
"    </testcase>\n"
"    <testcase classname=\"mip6conf.ha\" name=\"HA-2-1-2\" time=\"0.000\">\n"
"      <properties>\n"
"        <property name=\"title\" value=\"T\"/>\n"
"        <property name=\"rfc\" value=\"RFC 6275 §9.2\"/>\n"
"        <property name=\"verdict\" value=\"SKIP\"/>\n"
"      </properties>\n"
"      <skipped message=\"role ha not declared by the NUT\"/>\n"
"    </testcase>\n"
"    <testcase classname=\"mip6conf.mn\" name=\"MN-1-1-1\" time=\"2.000\">\n"
"      <properties>\n"
"        <property name=\"title\" value=\"T\"/>\n"
"        <property name=\"rfc\" value=\"RFC 6275 §9.2\"/>\n"
"        <property name=\"verdict\" value=\"WARN\"/>\n"
"      </properties>\n"
"      <system-out>WARN: unexpected MH BE</system-out>\n"
"    </testcase>\n"
"    <testcase classname=\"mip6conf.mn\" name=\"MN-1-1-2\" time=\"0.339\">\n"
"      <properties>\n"
"        <property name=\"title\" value=\"T\"/>\n"
"        <property name=\"rfc\" value=\"RFC 6275 §9.2\"/>\n"
"        <property name=\"verdict\" value=\"INIT-FAIL\"/>\n"
"      </properties>\n"
"      <failure message=\"nut reset failed\" type=\"INIT-FAIL\"></failure>\n"
"    </testcase>\n"
"  </testsuite>\n"
"</testsuites>\n";

ATF_TC_WITHOUT_HEAD(golden_document);
ATF_TC_BODY(golden_document, tc)
{
	struct mcase *c[5];
	struct case_result r[5], *rp[5];
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;

	c[0] = mk("CN-0-1-1", "Mobility Header & <PP>",
	    "rfc RFC 8200 §4\ntahi CN-1-2-3\n");
	c[1] = mk("HA-2-1-1", "BU \"A\"", "");
	c[2] = mk("HA-2-1-2", "T", "");
	c[3] = mk("MN-1-1-1", "T", "");
	c[4] = mk("MN-1-1-2", "T", "");
	for (i = 0; i < 5; i++) {
		result_init(&r[i], c[i]);
		rp[i] = &r[i];
	}
	result_set(&r[0], VERDICT_PASS, true, "%s", "");
	r[0].duration_us = 412000;
	result_set(&r[1], VERDICT_FAIL, true, "BA status 0, want 128");
	result_detail(&r[1], "expected ba <status=128>");
	result_detail(&r[1], "got \x01 'x'");
	r[1].duration_us = 1000000;
	result_set(&r[2], VERDICT_SKIP, true, "role ha not declared by the "
	    "NUT");
	result_set(&r[3], VERDICT_WARN, true, "unexpected MH BE");
	r[3].duration_us = 2000000;
	result_set(&r[4], VERDICT_INIT_FAIL, true, "nut reset failed");
	r[4].duration_us = 339000;
	ATF_REQUIRE((f = open_memstream(&buf, &len)) != NULL);
	junit_results(f, "mip6conf linux-plain", "2026-11-23T00:00:00Z",
	    "tester", rp, 5);
	fclose(f);
	ATF_CHECK_STREQ(buf, golden);
	free(buf);
	for (i = 0; i < 5; i++) {
		result_free(&r[i]);
		case_free(c[i]);
	}
}

ATF_TC_WITHOUT_HEAD(error_and_no_hostname);
ATF_TC_BODY(error_and_no_hostname, tc)
{
	struct mcase *c = mk("DSMIP-1-1-1", "T", "");
	struct case_result r, *rp = &r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	result_init(&r, c);
	result_set(&r, VERDICT_ERROR, true, "netdev: no tn0");
	r.duration_us = 1500;
	ATF_REQUIRE((f = open_memstream(&buf, &len)) != NULL);
	junit_results(f, "s", "t", NULL, &rp, 1);
	fclose(f);
	ATF_CHECK_STREQ(buf,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"mip6conf\" tests=\"1\" failures=\"0\" "
	    "errors=\"1\" skipped=\"0\" time=\"0.002\">\n"
	    "  <testsuite name=\"s\" tests=\"1\" failures=\"0\" errors=\"1\" "
	    "skipped=\"0\" time=\"0.002\" timestamp=\"t\">\n"
	    "    <testcase classname=\"mip6conf.dsmip\" name=\"DSMIP-1-1-1\" "
	    "time=\"0.002\">\n"
	    "      <properties>\n"
	    "        <property name=\"title\" value=\"T\"/>\n"
	    "        <property name=\"rfc\" value=\"RFC 6275 §9.2\"/>\n"
	    "        <property name=\"verdict\" value=\"ERROR\"/>\n"
	    "      </properties>\n"
	    "      <error message=\"netdev: no tn0\" type=\"ERROR\"></error>\n"
	    "    </testcase>\n"
	    "  </testsuite>\n"
	    "</testsuites>\n");
	free(buf);
	result_free(&r);
	case_free(c);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, golden_document);
	ATF_TP_ADD_TC(tp, error_and_no_hostname);
	return atf_no_error();
}
