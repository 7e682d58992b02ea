/*
 * timing.c - event times, windows and tolerances (see timing.h).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timing.h"

#define US_PER_S	1000000
#define TIME_MAX_S	1000000		/* 11.5 days: anything bigger is a typo */

void
tol_default(struct tol_cfg *t)
{
	t->floor_us = TOL_FLOOR_US_DEFAULT;
	t->permille = TOL_PERMILLE_DEFAULT;
	t->mult = 1.0;
}

bool
tol_parse_mult(const char *s, double *out)
{
	char *end;
	double v;

	if (s == NULL || *s == '\0')
		return false;
	v = strtod(s, &end);
	if (*end != '\0' || !isfinite(v) || v < 0.1 || v > 1000)
		return false;
	*out = v;
	return true;
}

/*
 * Seconds with up to six decimals, no sign, no exponent: "1", "0.25",
 * ".5".  Decimal arithmetic, so 0.1 is exactly 100000 us.
 */
static bool
seconds_parse(const char *s, size_t n, int64_t *us)
{
	int64_t whole = 0, frac = 0, scale = US_PER_S;
	size_t i = 0;
	bool digits = false;

	for (; i < n && isdigit((unsigned char)s[i]); i++) {
		whole = whole * 10 + (s[i] - '0');
		digits = true;
		if (whole > TIME_MAX_S)
			return false;
	}
	if (i < n && s[i] == '.') {
		for (i++; i < n && isdigit((unsigned char)s[i]); i++) {
			digits = true;
			if (scale == 1)
				return false;	/* finer than 1 us */
			scale /= 10;
			frac += (s[i] - '0') * scale;
		}
	}
	if (i != n || !digits)
		return false;
	*us = whole * US_PER_S + frac;
	return true;
}

bool
duration_parse(const char *tok, int64_t *us)
{
	size_t n = strlen(tok);

	if (n > 2 && strcmp(tok + n - 2, "ms") == 0) {
		if (!seconds_parse(tok, n - 2, us) || *us % 1000 != 0)
			return false;
		*us /= 1000;
		return true;
	}
	if (n > 1 && tok[n - 1] == 's')
		n--;
	return seconds_parse(tok, n, us);
}

bool
time_parse(const char *tok, struct ev_time *t, char *err, size_t cap)
{
	const char *s = tok, *tilde;
	char a[32], b[32];

	memset(t, 0, sizeof(*t));
	if (strcmp(tok, "*") == 0) {
		t->kind = TIME_ANY;
		return true;
	}
	t->kind = TIME_ABS;
	if (*s == '+') {
		t->kind = TIME_REL;
		s++;
	}
	tilde = strchr(s, '~');
	if (tilde == NULL) {
		if (!seconds_parse(s, strlen(s), &t->lo_us))
			goto bad;
		t->hi_us = t->lo_us;
		return true;
	}
	t->range = true;
	/* "+0~+1.5" (packetdrill) and "+0~1.5" mean the same */
	if (tilde[1] == '+' && t->kind == TIME_REL)
		tilde++;
	if (!seconds_parse(s, (size_t)(strchr(s, '~') - s), &t->lo_us) ||
	    !seconds_parse(tilde + 1, strlen(tilde + 1), &t->hi_us))
		goto bad;
	if (t->hi_us < t->lo_us) {
		timing_fmt(a, sizeof(a), t->hi_us);
		timing_fmt(b, sizeof(b), t->lo_us);
		snprintf(err, cap, "range end %s is before its start %s", a,
		    b);
		return false;
	}
	return true;
bad:
	snprintf(err, cap, "bad time '%s' (want 0.5, +0.5, 1~2, +0~1.5 or *)",
	    tok);
	return false;
}

int64_t
timing_tolerance(const struct tol_cfg *c, int64_t interval)
{
	int64_t pct, tol;

	if (interval < 0)
		interval = 0;
	pct = interval / 1000 * (int64_t)c->permille +
	    interval % 1000 * (int64_t)c->permille / 1000;
	tol = pct > c->floor_us ? pct : c->floor_us;
	/* rounded to the microsecond (no libm: the tools do not link it) */
	return (int64_t)((double)tol * c->mult + 0.5);
}

struct window
timing_window(const struct ev_time *t, int64_t prev, int64_t deadline,
    const struct tol_cfg *c)
{
	struct window w;
	int64_t base = t->kind == TIME_REL ? prev : 0;

	memset(&w, 0, sizeof(w));
	if (t->kind == TIME_ANY) {
		w.any = true;
		w.nominal = w.lo = prev;
		w.hi = deadline;
		return w;
	}
	w.nominal = base + t->lo_us;
	if (t->range) {
		w.range = true;
		w.lo = w.nominal;
		w.hi = base + t->hi_us;
		return w;
	}
	w.tol = timing_tolerance(c, w.nominal - prev);
	w.lo = w.nominal - w.tol;
	w.hi = w.nominal + w.tol;
	return w;
}

enum timing_verdict
timing_check(const struct window *w, int64_t actual)
{
	if (!w->any && actual < w->lo)
		return TIMING_EARLY;
	if (actual > w->hi)
		return TIMING_LATE;
	return TIMING_OK;
}

void
timing_fmt(char *buf, size_t cap, int64_t us)
{
	const char *sign = us < 0 ? "-" : "";
	uint64_t a = us < 0 ? (uint64_t)0 - (uint64_t)us : (uint64_t)us;
	uint64_t ms = (a + 500) / 1000;

	snprintf(buf, cap, "%s%llu.%03llu", sign,
	    (unsigned long long)(ms / 1000), (unsigned long long)(ms % 1000));
}

void
time_fmt(char *buf, size_t cap, const struct ev_time *t)
{
	char a[32], b[32];
	const char *plus = t->kind == TIME_REL ? "+" : "";

	if (t->kind == TIME_ANY) {
		snprintf(buf, cap, "*");
		return;
	}
	timing_fmt(a, sizeof(a), t->lo_us);
	if (!t->range) {
		snprintf(buf, cap, "%s%s", plus, a);
		return;
	}
	timing_fmt(b, sizeof(b), t->hi_us);
	snprintf(buf, cap, "%s%s~%s", plus, a, b);
}

void
window_fmt(char *buf, size_t cap, const struct window *w)
{
	char a[32], b[32];

	timing_fmt(a, sizeof(a), w->any ? w->lo : w->nominal);
	timing_fmt(b, sizeof(b), w->range || w->any ? w->hi : w->tol);
	if (w->any)
		snprintf(buf, cap, "at any time from %s s until %s s", a, b);
	else if (w->range)
		snprintf(buf, cap, "at %s~%s s", a, b);
	else
		snprintf(buf, cap, "at %s s (tolerance %s s)", a, b);
}
