/*
 * stack/lib/tests/ratelim_test.c - the rate limiter of the engines and
 * of log_rl (stack/lib/ratelim.h): which takes it allows at which times,
 * for the token bucket (had, cnd, log_rl) and the fixed window (mnd).
 * Each case is a list of steps on one limiter; the clock is the step's
 * time, so nothing sleeps.
 */
#include <atf-c.h>
#include <stdbool.h>
#include <string.h>

#include "stack/lib/ratelim.h"

/* At at_ms, `tries` takes of which `allowed` pass (per_sec: the rate a
   window take asks for; the bucket ignores it). */
struct step {
	uint64_t	at_ms;
	unsigned	tries, allowed, per_sec;
};

#define NSTEPS(a)	(sizeof(a) / sizeof((a)[0]))

static void
run(struct ratelim *r, bool window, const struct step *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned ok = 0;

		for (unsigned t = 0; t < s[i].tries; t++)
			ok += window ?
			    ratelim_take_window(r, s[i].at_ms, s[i].per_sec) :
			    ratelim_take(r, s[i].at_ms);
		ATF_CHECK_EQ_MSG(ok, s[i].allowed, "step %zu at %llu ms: %u "
		    "of %u allowed, want %u", i,
		    (unsigned long long)s[i].at_ms, ok, s[i].tries,
		    s[i].allowed);
	}
}

/* A new bucket allows a burst of per_sec, then one token every
   1000/per_sec ms, and holds no more than per_sec however long it
   waits. */
ATF_TC_WITHOUT_HEAD(bucket_refill);
ATF_TC_BODY(bucket_refill, tc)
{
	static const struct step s[] = {
		{ 0, 20, 10, 0 },
		{ 99, 1, 0, 0 },
		{ 100, 2, 1, 0 },
		{ 350, 10, 2, 0 },	/* 250 ms: 2.5 tokens */
		{ 400, 1, 1, 0 },	/* the half and 50 ms */
		{ 100000, 30, 10, 0 },
	};
	struct ratelim r;

	ratelim_init(&r, 10, 0);
	run(&r, false, s, NSTEPS(s));
}

/* RATELIM_INIT: bursts of `burst`, refilled at per_sec (log_rl's 1 a
   second, 5 at once), full whenever the clock starts. */
ATF_TC_WITHOUT_HEAD(bucket_own_burst);
ATF_TC_BODY(bucket_own_burst, tc)
{
	static const struct step s[] = {
		{ 123456, 10, 5, 0 },
		{ 124455, 1, 0, 0 },
		{ 124456, 1, 1, 0 },
		{ 200000, 10, 5, 0 },
	};
	struct ratelim r = RATELIM_INIT(1, 5);

	run(&r, false, s, NSTEPS(s));
}

/* per_sec 0 allows nothing, ever. */
ATF_TC_WITHOUT_HEAD(bucket_zero);
ATF_TC_BODY(bucket_zero, tc)
{
	static const struct step s[] = {
		{ 0, 1, 0, 0 },
		{ 3600000, 1, 0, 0 },
	};
	struct ratelim r;

	ratelim_init(&r, 0, 0);
	run(&r, false, s, NSTEPS(s));
}

/* A clock that goes back gives no tokens, then or when it comes forward
   again to where it was. */
ATF_TC_WITHOUT_HEAD(bucket_clock_back);
ATF_TC_BODY(bucket_clock_back, tc)
{
	static const struct step s[] = {
		{ 1000, 10, 10, 0 },
		{ 500, 1, 0, 0 },
		{ 1000, 1, 0, 0 },
		{ 1100, 1, 1, 0 },
	};
	struct ratelim r;

	ratelim_init(&r, 10, 1000);
	run(&r, false, s, NSTEPS(s));
}

/* A zeroed window limiter allows nothing before 1000 ms, then per_sec a
   window; a window opens at the first take a second after the last
   opened, with no trickle in between. */
ATF_TC_WITHOUT_HEAD(window_refill);
ATF_TC_BODY(window_refill, tc)
{
	static const struct step s[] = {
		{ 999, 1, 0, 10 },
		{ 1000, 20, 10, 10 },
		{ 1999, 1, 0, 10 },
		{ 2500, 20, 10, 10 },
		{ 3499, 1, 0, 10 },
		{ 3500, 20, 10, 10 },
	};
	struct ratelim r;

	memset(&r, 0, sizeof(r));
	run(&r, true, s, NSTEPS(s));
}

/* The rate is the one asked for when a window opens (mnd's log limiter
   is shared by takes at 1 and at 10 a second). */
ATF_TC_WITHOUT_HEAD(window_rate_at_refill);
ATF_TC_BODY(window_rate_at_refill, tc)
{
	static const struct step s[] = {
		{ 1000, 1, 1, 1 },
		{ 1000, 1, 0, 10 },
		{ 2000, 20, 10, 10 },
		{ 2000, 1, 0, 0 },
		{ 3000, 1, 0, 0 },
	};
	struct ratelim r;

	memset(&r, 0, sizeof(r));
	run(&r, true, s, NSTEPS(s));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, bucket_refill);
	ATF_TP_ADD_TC(tp, bucket_own_burst);
	ATF_TP_ADD_TC(tp, bucket_zero);
	ATF_TP_ADD_TC(tp, bucket_clock_back);
	ATF_TP_ADD_TC(tp, window_refill);
	ATF_TP_ADD_TC(tp, window_rate_at_refill);
	return atf_no_error();
}
