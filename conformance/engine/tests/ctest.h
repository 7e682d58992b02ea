/*
 * ctest.h - helpers shared by the conformance engine's test programs:
 * parse a case, responder or NUT description from a string and check the
 * exact diagnostics.  Static functions, so each test program includes
 * what it uses.
 */
#ifndef MIP6_CTEST_H
#define MIP6_CTEST_H

#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "conformance/engine/case.h"
#include "conformance/engine/nut.h"
#include "conformance/engine/util.h"

/* Parse text that must be free of errors. */
static inline struct mcase *
ct_case(const char *name, const char *text)
{
	struct cerr e;
	struct mcase *c;
	size_t i;

	cerr_init(&e);
	c = case_parse(name, text, &e);
	for (i = 0; i < e.n; i++)
		fprintf(stderr, "%s\n", e.msg[i]);
	ATF_REQUIRE_MSG(c != NULL, "%s: %s", name, cerr_first(&e));
	return c;
}

/* Parse text that must fail with exactly these messages (NULL-ended). */
static inline void
ct_case_errors(const char *name, const char *text, const char *const *want)
{
	struct cerr e;
	struct mcase *c;
	size_t i, n = 0;

	cerr_init(&e);
	c = case_parse(name, text, &e);
	ATF_CHECK(c == NULL);
	case_free(c);
	while (want[n] != NULL)
		n++;
	for (i = 0; i < e.n && i < n; i++)
		ATF_CHECK_STREQ(e.msg[i], want[i]);
	for (; i < e.n; i++)
		ATF_CHECK_MSG(false, "unexpected error: %s", e.msg[i]);
	for (; i < n; i++)
		ATF_CHECK_MSG(false, "missing error: %s", want[i]);
}

static inline struct nutdesc *
ct_nut(const char *name, const char *text)
{
	struct cerr e;
	struct nutdesc *d;

	cerr_init(&e);
	d = nut_parse(name, text, &e);
	ATF_REQUIRE_MSG(d != NULL, "%s: %s", name, cerr_first(&e));
	return d;
}

#endif
