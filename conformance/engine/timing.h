/*
 * timing.h - event times and tolerances of the case timeline, in the
 * packetdrill model (google/packetdrill run.c verify_time()):
 *
 *   0.5        absolute: 0.5 s after the timeline started
 *   +0.2       relative: 0.2 s after the previous event happened
 *   1.0~2.0    absolute range (an explicit window, no tolerance)
 *   +0~1.5     relative range
 *   *          any time
 *
 * A point time T gets the window [T - tol, T + tol] where
 *   tol = max(floor, percent x (T - previous event)) x multiplier;
 * the defaults (50 ms, 12.5 %, x1) suit protocol timers at the 1 s scale on
 * a busy CI machine (packetdrill's 4 ms floor is for TCP in one kernel).
 * All times are microseconds since the timeline started.  Pure functions:
 * no clock is read here.
 */
#ifndef MIP6_CONF_TIMING_H
#define MIP6_CONF_TIMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TIMING_FOREVER		INT64_MAX
#define TOL_FLOOR_US_DEFAULT	50000
#define TOL_PERMILLE_DEFAULT	125	/* 12.5 % */

enum time_kind {
	TIME_ABS,	/* from the start of the timeline */
	TIME_REL,	/* from the previous event */
	TIME_ANY	/* "*" */
};

struct ev_time {
	enum time_kind	kind;
	bool		range;	/* lo ~ hi */
	int64_t		lo_us;	/* the time, or the range's start */
	int64_t		hi_us;	/* the range's end (== lo_us for a point) */
};

struct tol_cfg {
	int64_t		floor_us;
	unsigned	permille;	/* percentage of the interval x10 */
	double		mult;		/* --tolerance-multiplier */
};

/* The window an event may happen in. */
struct window {
	int64_t		nominal;	/* the scheduled time (point) or lo */
	int64_t		lo, hi;		/* inclusive bounds */
	int64_t		tol;		/* applied tolerance (points only) */
	bool		any;		/* "*": no lower bound check */
	bool		range;
};

enum timing_verdict {
	TIMING_EARLY = -1,
	TIMING_OK = 0,
	TIMING_LATE = 1
};

void	tol_default(struct tol_cfg *);
/*
 * Parse a multiplier ("2", "4.5"); false unless it is a finite number in
 * [0.1, 1000].
 */
bool	tol_parse_mult(const char *, double *);

/*
 * Parse a time token.  Returns true, or false with a message in err (e.g.
 * "bad time '1.2.3'", "range end 1.0 is before its start 2.0").
 */
bool	time_parse(const char *tok, struct ev_time *, char *err, size_t);
/* Parse a duration: "2", "2.5", "1.5s", "250ms"; false if malformed. */
bool	duration_parse(const char *tok, int64_t *us);

/* max(floor, permille/1000 x interval) x mult; a negative interval is 0. */
int64_t	timing_tolerance(const struct tol_cfg *, int64_t interval_us);
/*
 * The window of an event given the previous event's actual time `prev`
 * and `deadline`, the latest time anything may happen (the case timeout),
 * which bounds "*".
 */
struct window timing_window(const struct ev_time *, int64_t prev,
	    int64_t deadline, const struct tol_cfg *);
/* Where `actual` falls relative to the window. */
enum timing_verdict timing_check(const struct window *, int64_t actual);

/* "1.500" (seconds, three decimals; negative values keep their sign). */
void	timing_fmt(char *buf, size_t cap, int64_t us);
/* The token as written back: "+0~1.500", "*", "0.500". */
void	time_fmt(char *buf, size_t cap, const struct ev_time *);
/* "expected at 1.000 s (tolerance 0.125 s)" / "at 1.000~2.000 s". */
void	window_fmt(char *buf, size_t cap, const struct window *);

#endif
