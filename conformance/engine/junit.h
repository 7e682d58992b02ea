/*
 * junit.h - the results as JUnit XML (the Ant/Jenkins "testsuites" form
 * CI systems read): one testsuite per run, one testcase per case, a
 * failure element for FAIL, INIT-FAIL and CLEANUP-FAIL, an error element
 * for ERROR, a skipped element for SKIP (with the reason), WARN as a pass
 * with the warning in system-out, and the case's title, RFC clauses,
 * TAHI number and verdict as properties.
 */
#ifndef MIP6_CONF_JUNIT_H
#define MIP6_CONF_JUNIT_H

#include <stddef.h>
#include <stdio.h>

struct case_result;

/*
 * `suite` names the testsuite ("mip6conf linux-plain"), `timestamp` is
 * when the run started (ISO 8601 UTC), `hostname` may be NULL.
 */
void	junit_results(FILE *, const char *suite, const char *timestamp,
	    const char *hostname, struct case_result *const *, size_t);

#endif
