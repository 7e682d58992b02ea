/*
 * run.h - running one case: execute its timeline against a network device
 * and a NUT control, match what the NUT sends against the expectations,
 * and judge (packetdrill's run.c / run_packet.c, TAHI's verdicts).
 *
 * Events run in order.  `send` and `nut` wait for their time, then act;
 * `expect` listens until its window closes (frames that arrived earlier
 * and were not yet matched are looked at first, and one that matches
 * before its window opens is a timing error); `expect-none` listens for
 * its whole duration.  A relative time counts from when the previous
 * event happened: the send, the matching frame, the end of an
 * expect-none, the end of a control verb or of a sleep.
 *
 * After a failure the remaining events up to `cleanup` are skipped and
 * the cleanup events still run.  Frames nobody expected are looked at at
 * the end: a significant one turns a PASS into a WARN.
 */
#ifndef MIP6_CONF_RUN_H
#define MIP6_CONF_RUN_H

#include <stdint.h>

#include "timing.h"

struct emul;
struct mcase;
struct nutdesc;
struct netdev;
struct nutctl;
struct case_result;

#define LATE_GRACE_US_DEFAULT	1000000	/* listen 1 s past a window */

struct run_cfg {
	struct tol_cfg	tol;
	/*
	 * After a window closes without a match, listen this much longer
	 * (bounded by the case timeout) so a late frame is reported as
	 * "timing error ... happened at T" rather than "nothing matched".
	 */
	int64_t		late_grace_us;
	/* The nodes the tester emulates around the NUT (emul.h); NULL:
	 * none. */
	struct emul	*emul;
};

void	run_cfg_default(struct run_cfg *);

/*
 * Run a case and fill `res` (which the caller initialised with
 * result_init()).  A case that does not apply to the NUT is a SKIP and
 * touches neither the device nor the control.
 */
void	run_case(const struct mcase *, const struct nutdesc *, struct netdev *,
	    struct nutctl *, const struct run_cfg *, struct case_result *res);

#endif
