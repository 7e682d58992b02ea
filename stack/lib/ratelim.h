/*
 * stack/lib/ratelim.h - the rate limit of what an engine sends unasked
 * (ICMPv6 errors such as Packet Too Big, RFC 4443 §2.4 (f); Binding
 * Errors, RFC 6275 §9.3.3), of its input complaints in the log, and of
 * the daemons' own log lines an attacker can trigger (log_rl, log.h).
 * One limiter a kind of message, for all destinations together.  Times
 * are the caller's milliseconds, so tests set the clock.  Header-only,
 * so the engines stay free of link dependencies (fuzz harnesses).
 */
#ifndef MIP6_RATELIM_H
#define MIP6_RATELIM_H

#include <stdbool.h>
#include <stdint.h>

/* Tokens are counted in thousandths so that a bucket refilled by the
   millisecond gains per_sec thousandths each millisecond. */
#define RATELIM_TOKEN	1000u

struct ratelim {
	unsigned	per_sec;
	unsigned	burst;		/* the most tokens it holds */
	uint64_t	last_ms;	/* of the last refill */
	uint64_t	milli;		/* tokens x RATELIM_TOKEN */
};

/* A full token bucket of `burst`, refilled at `per_sec`, for a static
   initialiser (log_rl): no time yet, and a full bucket needs none. */
#define RATELIM_INIT(per_sec, burst) \
	{ (per_sec), (burst), 0, (uint64_t)(burst) * RATELIM_TOKEN }

/* One token, if there is one. */
static inline bool
ratelim_spend(struct ratelim *r)
{
	if (r->milli < RATELIM_TOKEN)
		return false;
	r->milli -= RATELIM_TOKEN;
	return true;
}

/* A full token bucket of `per_sec`, bursts of `per_sec` (had, cnd). */
static inline void
ratelim_init(struct ratelim *r, unsigned per_sec, uint64_t now_ms)
{
	r->per_sec = per_sec;
	r->burst = per_sec;
	r->last_ms = now_ms;
	r->milli = (uint64_t)per_sec * RATELIM_TOKEN;
}

/*
 * Token bucket: `per_sec` a second on average, bursts of `burst`, a
 * token taken if there is one; per_sec 0 allows nothing.  A clock that
 * goes back adds nothing and does not move the refill time back either,
 * so it cannot mint tokens when it comes forward again.
 */
static inline bool
ratelim_take(struct ratelim *r, uint64_t now_ms)
{
	uint64_t cap = (uint64_t)r->burst * RATELIM_TOKEN;

	if (now_ms > r->last_ms) {
		r->milli += (now_ms - r->last_ms) * r->per_sec;
		if (r->milli > cap)
			r->milli = cap;
		r->last_ms = now_ms;
	}
	return ratelim_spend(r);
}

/*
 * Fixed window (mnd): `per_sec` tokens at the first call a second or more
 * after the last refill, none in between.  Needs no init: a zeroed
 * limiter first refills at 1000 ms.  `per_sec` is the caller's at the
 * refill, so callers sharing a limiter may ask for different rates.
 */
static inline bool
ratelim_take_window(struct ratelim *r, uint64_t now_ms, unsigned per_sec)
{
	if (now_ms >= r->last_ms + 1000) {
		r->per_sec = per_sec;
		r->burst = per_sec;
		r->last_ms = now_ms;
		r->milli = (uint64_t)per_sec * RATELIM_TOKEN;
	}
	return ratelim_spend(r);
}

#endif
