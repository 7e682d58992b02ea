/*
 * results.h - the outcome of a case (verdict, reason, the log of what was
 * sent and received) and its three output forms:
 *
 * TAP 13 for runs on their own: the plan first, one line per case,
 *   ok N - ID title                      PASS, WARN (+ "# WARN: ..." lines)
 *   ok N - ID title # SKIP reason        SKIP
 *   not ok N - ID title                  FAIL, INIT-FAIL, CLEANUP-FAIL,
 *   # FAIL: FILE:LINE: ...               ERROR, with the diagnostics as
 *                                        "# " lines
 *   Kyua counts a `not ok` line as passed when "TODO", "SKIP" or "skip"
 *   appears anywhere in it (kyua engine/tap_parser.cpp), so such a title
 *   is left off the `not ok` line and printed as a diagnostic instead.
 *
 * The ATF test-program interface Kyua drives (kyua engine/atf.cpp): the
 * `-l` listing and the one-line result file of `-r FILE CASE`.
 *
 * JSON: one document for the whole run (schema in mip6conf(1)).
 */
#ifndef MIP6_CONF_RESULTS_H
#define MIP6_CONF_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "verdict.h"

struct mcase;
struct nutdesc;

enum log_kind {
	LOG_SEND,
	LOG_RECV,
	LOG_NUT,	/* a control verb */
	LOG_NOTE	/* a runner remark ("sleep 2.000") */
};

struct logent {
	enum log_kind	 kind;
	int64_t		 t_us;		/* since the timeline started */
	char		 link[48];
	int		 line;		/* the case line of the event */
	char		*text;		/* template name, verb, note */
	uint8_t		*data;		/* the frame (send, recv) */
	size_t		 len;
	char		 matched[48];	/* recv: the template it matched */
	bool		 significant;	/* recv: unexpected and significant */
};

struct case_result {
	const struct mcase	*c;
	enum verdict		 v;
	char			 reason[1024];	/* one line */
	char			*detail;	/* diagnostics, lines */
	char			 started[32];	/* UTC, ISO 8601 */
	int64_t			 duration_us;
	struct logent		*log;
	size_t			 nlog;
	char			**pcaps;
	size_t			 npcaps;
};

void	result_init(struct case_result *, const struct mcase *);
void	result_free(struct case_result *);
struct logent *result_log(struct case_result *, enum log_kind, int64_t t,
	    const char *link, int line, const char *text, const uint8_t *data,
	    size_t len);
/* Append a line to the diagnostics. */
void	result_detail(struct case_result *, const char *line);
/* Set the verdict and the one-line reason (only the first call wins
 * unless `force`). */
void	result_set(struct case_result *, enum verdict, bool force,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* TAP 13. */
void	tap_plan(FILE *, size_t ncases);
void	tap_case(FILE *, size_t num, const struct case_result *);
void	tap_bail(FILE *, const char *why);

/* ATF.  `nut` (may be NULL) decides require.user. */
void	atf_list(FILE *, struct mcase *const *, size_t, const struct nutdesc *);
/* "passed", "failed: ...", "skipped: ...", "broken: ..." (no newline). */
void	atf_result_line(const struct case_result *, char *buf, size_t cap);
/* The exit status that goes with the result (Kyua checks they agree). */
int	atf_exit_status(const struct case_result *);
int	atf_result_write(const char *path, const struct case_result *);

/* JSON. */
struct run_info {
	const char		*tool;		/* "mip6conf" */
	const char		*tool_version;
	const char		*suite_version;
	const char		*started, *ended;	/* UTC, ISO 8601 */
	const char		*casedir;
	const struct nutdesc	*nut;
};

void	json_results(FILE *, const struct run_info *,
	    struct case_result *const *, size_t);

/* "2025-01-31T12:00:00Z" for the current time. */
void	utc_now(char *buf, size_t cap);

#endif
