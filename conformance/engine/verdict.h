/*
 * verdict.h - the verdicts of a conformance case and the rules that give
 * them, after TAHI (v6eval autorun exit codes, mipv6.pm exitCommon()):
 *
 *   PASS          every expectation held
 *   WARN          it passed, but the NUT also sent a significant frame
 *                 nobody expected (an MH, DHAAD, MPS/MPA, echo, ICMPv6
 *                 error); ND and MLD noise is ignored
 *   FAIL          an expectation after the focus point failed
 *   INIT-FAIL     the set-up before the focus point failed
 *   CLEANUP-FAIL  it passed, then the cleanup failed
 *   SKIP          the case does not apply to what the NUT declares
 *   ERROR         a fault of the tool (bad variable, device error)
 */
#ifndef MIP6_CONF_VERDICT_H
#define MIP6_CONF_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "case.h"

struct pkt;

enum verdict {
	VERDICT_PASS,
	VERDICT_WARN,
	VERDICT_FAIL,
	VERDICT_INIT_FAIL,
	VERDICT_CLEANUP_FAIL,
	VERDICT_SKIP,
	VERDICT_ERROR,
	VERDICT_COUNT
};

const char *verdict_name(enum verdict);		/* "INIT-FAIL" */
/* "init_fail": the key used in JSON summaries. */
const char *verdict_key(enum verdict);
/*
 * The columns of a summary (after TAHI's report: TOTAL PASS FAIL WARN SKIP
 * N/A), one per case.  Everything that prints or renders a summary uses
 * verdict_column(), so the terminal, the JSON and the HTML agree.
 */
enum sumcol {
	SUMCOL_PASS,
	SUMCOL_FAIL,	/* FAIL, INIT-FAIL, CLEANUP-FAIL, ERROR */
	SUMCOL_WARN,
	SUMCOL_SKIP,	/* skipped: a capability or topology the NUT lacks */
	SUMCOL_NA,	/* skipped: none of the case's roles is the NUT's */
	SUMCOL_COUNT
};

/* `role_applies`: the NUT has one of the case's roles (or it has none). */
enum sumcol verdict_column(enum verdict, bool role_applies);
const char *sumcol_name(enum sumcol);	/* "N/A" */
const char *sumcol_key(enum sumcol);	/* "na": the key in JSON */
/* TAP `ok`: PASS, WARN, SKIP. */
bool	verdict_ok(enum verdict);
/* The verdict a failure in a phase of the timeline gives. */
enum verdict verdict_of_phase(enum ev_phase);
/*
 * Combine the outcome of the timeline with what happened after it: a
 * cleanup failure turns PASS/WARN into CLEANUP-FAIL, a significant
 * unexpected frame turns PASS into WARN; anything else stays.
 */
enum verdict verdict_final(enum verdict main, bool cleanup_failed,
	    bool unexpected);

/*
 * Is a frame from the NUT significant when nothing expected it?  Mobility
 * Header messages of any type, DHAAD, MPS/MPA, echo and ICMPv6 errors are;
 * ND and MLD (icmp6_is_noise()) and everything else are not.  `what` gets
 * "MH BA" or "ICMPv6 echo-request".
 */
bool	frame_significant(const struct pkt *, char *what, size_t cap);

#endif
