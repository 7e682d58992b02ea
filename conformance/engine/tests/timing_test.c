/*
 * timing_test.c - event times, tolerances and windows (timing.c): every
 * time form, the tolerance rule max(floor, percent x interval) x
 * multiplier at and around its crossover, window bounds (inclusive), and
 * the exact text of times and windows in failure messages.
 */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "conformance/engine/timing.h"

static struct tol_cfg
tol(double mult)
{
	struct tol_cfg t;

	tol_default(&t);
	t.mult = mult;
	return t;
}

ATF_TC_WITHOUT_HEAD(parse_every_form);
ATF_TC_BODY(parse_every_form, tc)
{
	static const struct {
		const char	*tok;
		enum time_kind	 kind;
		bool		 range;
		int64_t		 lo, hi;
	} ok[] = {
		{ "0.5", TIME_ABS, false, 500000, 500000 },
		{ "0", TIME_ABS, false, 0, 0 },
		{ ".25", TIME_ABS, false, 250000, 250000 },
		{ "+0.2", TIME_REL, false, 200000, 200000 },
		{ "+0~1.5", TIME_REL, true, 0, 1500000 },
		{ "+0~+1.5", TIME_REL, true, 0, 1500000 },
		{ "1.0~2.0", TIME_ABS, true, 1000000, 2000000 },
		{ "3~3", TIME_ABS, true, 3000000, 3000000 },
		{ "0.000001", TIME_ABS, false, 1, 1 },
		{ "*", TIME_ANY, false, 0, 0 },
	};
	struct ev_time t;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ATF_REQUIRE_MSG(time_parse(ok[i].tok, &t, err, sizeof(err)),
		    "%s: %s", ok[i].tok, err);
		ATF_CHECK_EQ_MSG(t.kind, ok[i].kind, "%s", ok[i].tok);
		ATF_CHECK_EQ_MSG(t.range, ok[i].range, "%s", ok[i].tok);
		ATF_CHECK_EQ_MSG(t.lo_us, ok[i].lo, "%s", ok[i].tok);
		ATF_CHECK_EQ_MSG(t.hi_us, ok[i].hi, "%s", ok[i].tok);
	}
}

ATF_TC_WITHOUT_HEAD(parse_errors_say_what_to_write);
ATF_TC_BODY(parse_errors_say_what_to_write, tc)
{
	static const char *const bad[] = {
		"1.2.3", "", "+", "-1", "1s", "0.0000001", "1~", "~1", "+1~x",
		"**", "1e3",
	};
	struct ev_time t;
	char err[128], want[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ATF_CHECK_MSG(!time_parse(bad[i], &t, err, sizeof(err)),
		    "'%s' parsed", bad[i]);
		snprintf(want, sizeof(want), "bad time '%s' (want 0.5, +0.5, "
		    "1~2, +0~1.5 or *)", bad[i]);
		ATF_CHECK_STREQ(err, want);
	}
	ATF_CHECK(!time_parse("2~1", &t, err, sizeof(err)));
	ATF_CHECK_STREQ(err, "range end 1.000 is before its start 2.000");
	ATF_CHECK(!time_parse("+1.5~0.5", &t, err, sizeof(err)));
	ATF_CHECK_STREQ(err, "range end 0.500 is before its start 1.500");
}

ATF_TC_WITHOUT_HEAD(durations);
ATF_TC_BODY(durations, tc)
{
	int64_t us;

	ATF_CHECK(duration_parse("2", &us) && us == 2000000);
	ATF_CHECK(duration_parse("2.5", &us) && us == 2500000);
	ATF_CHECK(duration_parse("1.5s", &us) && us == 1500000);
	ATF_CHECK(duration_parse("250ms", &us) && us == 250000);
	ATF_CHECK(duration_parse("0.5ms", &us) && us == 500);
	ATF_CHECK(duration_parse("0", &us) && us == 0);
	ATF_CHECK(!duration_parse("1.0001ms", &us));
	ATF_CHECK(!duration_parse("ms", &us));
	ATF_CHECK(!duration_parse("s", &us));
	ATF_CHECK(!duration_parse("abc", &us));
	ATF_CHECK(!duration_parse("+1", &us));
	ATF_CHECK(!duration_parse("1m", &us));
}

ATF_TC_WITHOUT_HEAD(tolerance_is_max_of_floor_and_percent);
ATF_TC_BODY(tolerance_is_max_of_floor_and_percent, tc)
{
	struct tol_cfg t1 = tol(1), t2 = tol(2), t4 = tol(4);

	/* floor 50 ms wins below 400 ms, 12.5 % above */
	ATF_CHECK_EQ(timing_tolerance(&t1, 0), 50000);
	ATF_CHECK_EQ(timing_tolerance(&t1, 100000), 50000);
	ATF_CHECK_EQ(timing_tolerance(&t1, 399999), 50000);
	ATF_CHECK_EQ(timing_tolerance(&t1, 400000), 50000);
	ATF_CHECK_EQ(timing_tolerance(&t1, 400008), 50001);
	ATF_CHECK_EQ(timing_tolerance(&t1, 1000000), 125000);
	ATF_CHECK_EQ(timing_tolerance(&t1, 2000000), 250000);
	ATF_CHECK_EQ(timing_tolerance(&t1, 1000001), 125000);
	ATF_CHECK_EQ(timing_tolerance(&t1, -5000000), 50000);
	/* the multiplier scales the result, floor included */
	ATF_CHECK_EQ(timing_tolerance(&t2, 0), 100000);
	ATF_CHECK_EQ(timing_tolerance(&t2, 2000000), 500000);
	ATF_CHECK_EQ(timing_tolerance(&t4, 0), 200000);
	ATF_CHECK_EQ(timing_tolerance(&t4, 10000000), 5000000);
	/* a floor and percentage of our own (packetdrill's defaults) */
	t1.floor_us = 4000;
	t1.permille = 125;
	ATF_CHECK_EQ(timing_tolerance(&t1, 10000), 4000);
	ATF_CHECK_EQ(timing_tolerance(&t1, 100000), 12500);
}

ATF_TC_WITHOUT_HEAD(multiplier_parse);
ATF_TC_BODY(multiplier_parse, tc)
{
	double m = 0;

	ATF_CHECK(tol_parse_mult("2", &m) && m == 2.0);
	ATF_CHECK(tol_parse_mult("4.5", &m) && m == 4.5);
	ATF_CHECK(tol_parse_mult("0.1", &m) && m == 0.1);
	ATF_CHECK(tol_parse_mult("1000", &m) && m == 1000.0);
	ATF_CHECK(!tol_parse_mult("0.05", &m));
	ATF_CHECK(!tol_parse_mult("1001", &m));
	ATF_CHECK(!tol_parse_mult("abc", &m));
	ATF_CHECK(!tol_parse_mult("2x", &m));
	ATF_CHECK(!tol_parse_mult("inf", &m));
	ATF_CHECK(!tol_parse_mult("nan", &m));
	ATF_CHECK(!tol_parse_mult("", &m));
	ATF_CHECK(!tol_parse_mult(NULL, &m));
}

static struct window
win(const char *tok, int64_t prev, int64_t deadline, double mult)
{
	struct tol_cfg c = tol(mult);
	struct ev_time t;
	char err[128];

	ATF_REQUIRE_MSG(time_parse(tok, &t, err, sizeof(err)), "%s", err);
	return timing_window(&t, prev, deadline, &c);
}

ATF_TC_WITHOUT_HEAD(windows);
ATF_TC_BODY(windows, tc)
{
	struct window w;

	/* absolute point: interval since the previous event is 0.8 s */
	w = win("1.0", 200000, 60000000, 1);
	ATF_CHECK_EQ(w.nominal, 1000000);
	ATF_CHECK_EQ(w.tol, 100000);
	ATF_CHECK_EQ(w.lo, 900000);
	ATF_CHECK_EQ(w.hi, 1100000);
	ATF_CHECK(!w.any && !w.range);
	/* relative point: from the previous event */
	w = win("+0.5", 1000000, 60000000, 1);
	ATF_CHECK_EQ(w.nominal, 1500000);
	ATF_CHECK_EQ(w.tol, 62500);
	ATF_CHECK_EQ(w.lo, 1437500);
	ATF_CHECK_EQ(w.hi, 1562500);
	/* +0: the floor, scaled by the multiplier */
	w = win("+0", 3000000, 60000000, 3);
	ATF_CHECK_EQ(w.lo, 2850000);
	ATF_CHECK_EQ(w.hi, 3150000);
	/* ranges are explicit: no tolerance, multiplier or not */
	w = win("1~2", 500000, 60000000, 10);
	ATF_CHECK(w.range);
	ATF_CHECK_EQ(w.tol, 0);
	ATF_CHECK_EQ(w.lo, 1000000);
	ATF_CHECK_EQ(w.hi, 2000000);
	w = win("+0~1.5", 3000000, 60000000, 1);
	ATF_CHECK_EQ(w.lo, 3000000);
	ATF_CHECK_EQ(w.hi, 4500000);
	/* any time: from the previous event to the deadline */
	w = win("*", 2000000, 60000000, 1);
	ATF_CHECK(w.any);
	ATF_CHECK_EQ(w.lo, 2000000);
	ATF_CHECK_EQ(w.hi, 60000000);
}

ATF_TC_WITHOUT_HEAD(check_bounds_are_inclusive);
ATF_TC_BODY(check_bounds_are_inclusive, tc)
{
	struct window w = win("1.0", 0, 60000000, 1);	/* 1 s +- 125 ms */
	struct window r = win("1~2", 0, 60000000, 1);
	struct window a = win("*", 5000000, 60000000, 1);

	ATF_CHECK_EQ(timing_check(&w, 874999), TIMING_EARLY);
	ATF_CHECK_EQ(timing_check(&w, 875000), TIMING_OK);
	ATF_CHECK_EQ(timing_check(&w, 1000000), TIMING_OK);
	ATF_CHECK_EQ(timing_check(&w, 1125000), TIMING_OK);
	ATF_CHECK_EQ(timing_check(&w, 1125001), TIMING_LATE);
	ATF_CHECK_EQ(timing_check(&r, 999999), TIMING_EARLY);
	ATF_CHECK_EQ(timing_check(&r, 1000000), TIMING_OK);
	ATF_CHECK_EQ(timing_check(&r, 2000000), TIMING_OK);
	ATF_CHECK_EQ(timing_check(&r, 2000001), TIMING_LATE);
	/* "*" has no lower bound: an earlier frame is fine */
	ATF_CHECK_EQ(timing_check(&a, 0), TIMING_OK);
	ATF_CHECK_EQ(timing_check(&a, 60000000), TIMING_OK);
	ATF_CHECK_EQ(timing_check(&a, 60000001), TIMING_LATE);
}

ATF_TC_WITHOUT_HEAD(formats);
ATF_TC_BODY(formats, tc)
{
	char buf[128];
	struct ev_time t;
	struct window w;

	timing_fmt(buf, sizeof(buf), 1500000);
	ATF_CHECK_STREQ(buf, "1.500");
	timing_fmt(buf, sizeof(buf), 1234567);
	ATF_CHECK_STREQ(buf, "1.235");
	timing_fmt(buf, sizeof(buf), 999999);
	ATF_CHECK_STREQ(buf, "1.000");
	timing_fmt(buf, sizeof(buf), 0);
	ATF_CHECK_STREQ(buf, "0.000");
	timing_fmt(buf, sizeof(buf), -250000);
	ATF_CHECK_STREQ(buf, "-0.250");
	ATF_REQUIRE(time_parse("+0~1.5", &t, buf, sizeof(buf)));
	time_fmt(buf, sizeof(buf), &t);
	ATF_CHECK_STREQ(buf, "+0.000~1.500");
	ATF_REQUIRE(time_parse("*", &t, buf, sizeof(buf)));
	time_fmt(buf, sizeof(buf), &t);
	ATF_CHECK_STREQ(buf, "*");
	ATF_REQUIRE(time_parse("0.5", &t, buf, sizeof(buf)));
	time_fmt(buf, sizeof(buf), &t);
	ATF_CHECK_STREQ(buf, "0.500");
	w = win("1.0", 200000, 60000000, 1);
	window_fmt(buf, sizeof(buf), &w);
	ATF_CHECK_STREQ(buf, "at 1.000 s (tolerance 0.100 s)");
	w = win("1~2", 0, 60000000, 1);
	window_fmt(buf, sizeof(buf), &w);
	ATF_CHECK_STREQ(buf, "at 1.000~2.000 s");
	w = win("*", 2000000, 60000000, 1);
	window_fmt(buf, sizeof(buf), &w);
	ATF_CHECK_STREQ(buf, "at any time from 2.000 s until 60.000 s");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, parse_every_form);
	ATF_TP_ADD_TC(tp, parse_errors_say_what_to_write);
	ATF_TP_ADD_TC(tp, durations);
	ATF_TP_ADD_TC(tp, tolerance_is_max_of_floor_and_percent);
	ATF_TP_ADD_TC(tp, multiplier_parse);
	ATF_TP_ADD_TC(tp, windows);
	ATF_TP_ADD_TC(tp, check_bounds_are_inclusive);
	ATF_TP_ADD_TC(tp, formats);
	return atf_no_error();
}
