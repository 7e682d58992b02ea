/*
 * run_test.c - the runner (run.c) against the scripted fake NUT on virtual
 * time: every verdict (PASS, WARN, FAIL, INIT-FAIL, CLEANUP-FAIL, SKIP,
 * ERROR) with its exact reason, timing windows (early, late, any), sets,
 * alternatives, expect-none, captures, the backlog of frames that arrive
 * early, and the log the results are written from.
 */
#include <atf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/engine/emul.h"
#include "conformance/engine/netdev.h"
#include "conformance/engine/results.h"
#include "conformance/engine/run.h"
#include "ctest.h"
#include "packets/pkt.h"

#define F "CN-1-1-1.case"

static const char nut_text[] =
	"nut fake\n"
	"role node\n"
	"netdev fake x.responder\n"
	"control fake\n"
	"topology one-link link0\n"
	"link link0 tester=tn0 mac=02:00:00:00:00:a0\n"
	"iface link0 dev=eth0 mac=02:00:00:00:01:01 addr=2001:db8:1::1\n"
	"node tn link0 addr=2001:db8:1::a0\n"
	"fail stop\n";

/* A responder: echo replies, with the behaviour the id selects. */
static const char resp_text[] =
	"responder r\n"
	"expect req1\n  ipv6 src=?peer\n  icmp6 echo-request id=1 seq=?s\nend\n"
	"expect req2\n  ipv6 src=?peer\n  icmp6 echo-request id=2 seq=?s\nend\n"
	"expect req3\n  ipv6 src=?peer\n  icmp6 echo-request id=3 seq=?s\nend\n"
	"expect req4\n  ipv6 src=?peer\n  icmp6 echo-request id=4 seq=?s\nend\n"
	"expect req6\n  ipv6 src=?peer\n  icmp6 echo-request id=6 seq=?s\nend\n"
	"packet rep\n  ipv6 src=$nut.addr dst=$peer\n"
	"  icmp6 echo-reply id=1 seq=$s\nend\n"
	"packet rep2\n  ipv6 src=$nut.addr dst=$peer\n"
	"  icmp6 echo-reply id=2 seq=$s\nend\n"
	"packet wrong\n  ipv6 src=$nut.addr dst=$peer\n"
	"  icmp6 echo-reply id=3 seq=$s+1\nend\n"
	"packet bad\n  ipv6 src=$nut.addr dst=$peer\n"
	"  icmp6 echo-reply id=4 seq=$s checksum=0xbeef\nend\n"
	"packet pp\n  ipv6 src=$nut.addr dst=$peer\n"
	"  icmp6 param-problem code=1 ptr=6\nend\n"
	"on link0 req1 reply rep after 0.1\n"
	"on link0 req2 reply rep2 after 1.5\n"
	"on link0 req3 reply wrong after 0.1\n"
	"on link0 req4 reply bad after 0.1\n"
	"on link0 req6 reply pp after 0.1\n";

/* 14 lines of header */
#define HEAD(role) \
	"case CN-1-1-1\ntitle T\nrfc R\ntopology one-link\nrole " role "\n" \
	"purpose\np\nend\nprocedure\nq\nend\njudgement\nr\nend\n"
#define PING(id) \
	"packet ping\n  ipv6 src=$tn.addr dst=$nut.addr\n" \
	"  icmp6 echo-request id=" #id " seq=1\nend\n"
#define REPLY(id) \
	"expect reply\n  ipv6 src=$nut.addr dst=$tn.addr\n" \
	"  icmp6 echo-reply id=" #id " seq=1\nend\n"

struct fixture {
	struct nutdesc		*nut;
	struct mcase		*c, *resp;
	struct netdev		*nd;
	struct nutctl		*ctl;
	struct case_result	 res;
};

static struct emul *test_emul;

static void
run_with(struct fixture *fx, const char *case_text, const char *resp,
    double mult)
{
	struct run_cfg cfg;
	struct vars vs;
	char err[300];

	memset(fx, 0, sizeof(*fx));
	fx->nut = ct_nut("fake.nut", nut_text);
	fx->c = ct_case(F, case_text);
	fx->resp = ct_case("x.responder", resp);
	vars_init(&vs);
	nut_vars(fx->nut, &vs);
	fx->nd = netdev_fake_open(fx->resp, fx->nut, &vs, err, sizeof(err));
	ATF_REQUIRE_MSG(fx->nd != NULL, "%s", err);
	vars_free(&vs);
	fx->ctl = nutctl_open(fx->nut, err, sizeof(err));
	run_cfg_default(&cfg);
	cfg.tol.mult = mult;
	cfg.emul = test_emul;
	result_init(&fx->res, fx->c);
	run_case(fx->c, fx->nut, fx->nd, fx->ctl, &cfg, &fx->res);
}

static void
run_text(struct fixture *fx, const char *case_text)
{
	run_with(fx, case_text, resp_text, 1);
}

static void
done(struct fixture *fx)
{
	result_free(&fx->res);
	nutctl_close(fx->ctl);
	netdev_close(fx->nd);
	case_free(fx->resp);
	case_free(fx->c);
	nut_free(fx->nut);
}

static void
verdict(struct fixture *fx, enum verdict v, const char *reason)
{
	ATF_CHECK_STREQ(verdict_name(fx->res.v), verdict_name(v));
	ATF_CHECK_STREQ(fx->res.reason, reason);
}

ATF_TC_WITHOUT_HEAD(pass_and_log);
ATF_TC_BODY(pass_and_log, tc)
{
	struct fixture fx;
	const struct logent *e;

	run_text(&fx, HEAD("node") PING(1) REPLY(1)
	    "0 nut reset\n"		/* 23 */
	    "focus\n"
	    "+0.5 send link0 ping\n"	/* 25 */
	    "+0~1 expect link0 reply\n"
	    "+0.2 send link0 ping\n"
	    "+0.1 expect link0 reply\n");
	verdict(&fx, VERDICT_PASS, "");
	ATF_CHECK(fx.res.detail == NULL);
	ATF_REQUIRE_EQ(fx.res.nlog, 5);
	e = &fx.res.log[0];
	ATF_CHECK_EQ(e->kind, LOG_NUT);
	ATF_CHECK_STREQ(e->text, "reset");
	ATF_CHECK_EQ(e->line, 23);
	e = &fx.res.log[1];
	ATF_CHECK_EQ(e->kind, LOG_SEND);
	ATF_CHECK_EQ(e->t_us, 500000);
	ATF_CHECK_STREQ(e->link, "link0");
	ATF_CHECK_STREQ(e->text, "ping");
	ATF_CHECK_EQ(e->line, 25);
	ATF_CHECK_EQ(e->len, 14 + 40 + 8);
	e = &fx.res.log[2];
	ATF_CHECK_EQ(e->kind, LOG_RECV);
	ATF_CHECK_EQ(e->t_us, 600000);
	ATF_CHECK_STREQ(e->matched, "reply");
	ATF_CHECK(!e->significant);
	/* +0.2 counts from the reply, not from the send */
	ATF_CHECK_EQ(fx.res.log[3].t_us, 800000);
	ATF_CHECK_EQ(fx.res.log[4].t_us, 900000);
	ATF_CHECK_EQ(fx.res.duration_us, 900000);
	ATF_CHECK_EQ(fx.ctl->nlog, 1);
	done(&fx);
}

ATF_TC_WITHOUT_HEAD(field_mismatch_names_field_and_dumps_both);
ATF_TC_BODY(field_mismatch_names_field_and_dumps_both, tc)
{
	static const char want[] = "no frame matched reply (echo-reply) "
	    "within 1.000 s; the closest candidate is below\n"
	    "expected (reply, " F ":19):\n"
	    "  ipv6 src=2001:db8:1::1 dst=2001:db8:1::a0 | icmp6 echo-reply "
	    "id=3 seq=1\n"
	    "    ipv6 src=2001:db8:1::1 dst=2001:db8:1::a0\n"
	    "    icmp6 echo-reply id=3 seq=1\n"
	    "actual (link0 at 0.600 s):\n"
	    "  2001:db8:1::1 > 2001:db8:1::a0: echo-reply id=3 seq=2\n";
	struct fixture fx;

	run_text(&fx, HEAD("node") PING(3) REPLY(3)
	    "0.5 send link0 ping\n+0~1 expect link0 reply\n");
	verdict(&fx, VERDICT_FAIL, F ":21: echo-reply field seq: expected 1 vs "
	    "actual 2");
	ATF_REQUIRE(fx.res.detail != NULL);
	ATF_CHECK_MSG(strncmp(fx.res.detail, want, strlen(want)) == 0,
	    "detail:\n%s", fx.res.detail);
	done(&fx);
}

ATF_TC_WITHOUT_HEAD(nothing_received_or_matched);
ATF_TC_BODY(nothing_received_or_matched, tc)
{
	static const char differs[] = "the closest candidate differs: "
	    "ICMPv6 type: expected echo-reply vs actual param-problem\n"
	    "expected (reply, " F ":19):\n";
	struct fixture fx;

	run_text(&fx, HEAD("node") PING(5) REPLY(5)
	    "0.5 send link0 ping\n+0~1 expect link0 reply\n");
	verdict(&fx, VERDICT_FAIL, F ":24: expected reply (echo-reply) within "
	    "1.000 s; nothing received");
	/* the closest candidate is a frame of another kind */
	done(&fx);
	run_text(&fx, HEAD("node") PING(6) REPLY(6)
	    "0.5 send link0 ping\n+0~1 expect link0 reply\n");
	verdict(&fx, VERDICT_FAIL, F ":24: expected reply (echo-reply) within "
	    "1.000 s; nothing matched; closest candidate: 2001:db8:1::1 > "
	    "2001:db8:1::a0: param-problem code=1 ptr=6");
	ATF_CHECK_MSG(strncmp(fx.res.detail, differs, strlen(differs)) == 0,
	    "%s", fx.res.detail);
	done(&fx);
}

ATF_TC_WITHOUT_HEAD(timing_errors);
ATF_TC_BODY(timing_errors, tc)
{
	struct fixture fx;

	/* late: the reply comes 1.5 s after the send, the window is 1 s */
	run_text(&fx, HEAD("node") PING(2) REPLY(2)
	    "0.5 send link0 ping\n+0~1 expect link0 reply\n");
	verdict(&fx, VERDICT_FAIL, F ":24: timing error: expected reply "
	    "(echo-reply) at 0.500~1.500 s but it happened at 2.000 s");
	done(&fx);
	/* early: due 0.5 s after the send (tolerance 62.5 ms), came at 0.1 s */
	run_text(&fx, HEAD("node") PING(1) REPLY(1)
	    "0.5 send link0 ping\n+0.5 expect link0 reply\n");
	verdict(&fx, VERDICT_FAIL, F ":24: timing error: expected reply "
	    "(echo-reply) at 1.000 s (tolerance 0.063 s) but it happened at "
	    "0.600 s");
	done(&fx);
	/* the multiplier for slow machines widens the window: x8 is 0.5 s */
	run_with(&fx, HEAD("node") PING(1) REPLY(1)
	    "0.5 send link0 ping\n+0.5 expect link0 reply\n", resp_text, 8);
	verdict(&fx, VERDICT_PASS, "");
	done(&fx);
	/* a point time within tolerance, and "*" */
	run_text(&fx, HEAD("node") PING(1) REPLY(1)
	    "0.5 send link0 ping\n+0.1 expect link0 reply\n"
	    "+0 send link0 ping\n* expect link0 reply\n");
	verdict(&fx, VERDICT_PASS, "");
	done(&fx);
}

ATF_TC_WITHOUT_HEAD(backlog_frames);
ATF_TC_BODY(backlog_frames, tc)
{
	struct fixture fx;

	/* the reply arrives during the sleep: "*" takes it */
	run_text(&fx, HEAD("node") PING(1) REPLY(1)
	    "0.5 send link0 ping\nsleep 1\n* expect link0 reply\n");
	verdict(&fx, VERDICT_PASS, "");
	ATF_CHECK_EQ(fx.res.duration_us, 1500000);
	done(&fx);
	/* a window that opens after it: the frame came early */
	run_text(&fx, HEAD("node") PING(1) REPLY(1)
	    "0.5 send link0 ping\nsleep 1\n+0~1 expect link0 reply\n");
	verdict(&fx, VERDICT_FAIL, F ":25: timing error: expected reply "
	    "(echo-reply) at 1.500~2.500 s but it happened at 0.600 s");
	done(&fx);
}

ATF_TC_WITHOUT_HEAD(malformed_reply_fails_with_the_violation);
ATF_TC_BODY(malformed_reply_fails_with_the_violation, tc)
{
	struct fixture fx;

	run_text(&fx, HEAD("node") PING(4) REPLY(4)
	    "0.5 send link0 ping\n+0~1 expect link0 reply\n");
	verdict(&fx, VERDICT_FAIL, F ":24: reply (echo-reply) is malformed: "
	    "ICMPv6 checksum 0xbeef, expected 0x22a3 [icmp6-checksum, RFC 4443 "
	    "§2.3] at offset 56");
	done(&fx);
}

ATF_TC_WITHOUT_HEAD(sets_and_alternatives);
ATF_TC_BODY(sets_and_alternatives, tc)
{
	struct fixture fx;

	/* two replies in the other order than listed */
	run_text(&fx, HEAD("node")
	    "packet p1\n  ipv6 src=$tn.addr dst=$nut.addr\n"
	    "  icmp6 echo-request id=1 seq=1\nend\n"
	    "packet p2\n  ipv6 src=$tn.addr dst=$nut.addr\n"
	    "  icmp6 echo-request id=6 seq=1\nend\n"
	    "expect r1\n  ipv6\n  icmp6 echo-reply id=1\nend\n"
	    "expect r2\n  ipv6\n  icmp6 param-problem\nend\n"
	    "0.5 send link0 p2\n+0 send link0 p1\n"
	    "+0~1 expect link0 {r1, r2}\n"
	    "0.5 send link0 p1\n"
	    "+0~1 expect link0 oneof(r2, r1)\n");
	verdict(&fx, VERDICT_PASS, "");
	done(&fx);
	run_text(&fx, HEAD("node")
	    "packet p1\n  ipv6 src=$tn.addr dst=$nut.addr\n"
	    "  icmp6 echo-request id=1 seq=1\nend\n"
	    "expect r1\n  ipv6\n  icmp6 echo-reply id=1\nend\n"
	    "expect r2\n  ipv6\n  icmp6 param-problem\nend\n"
	    "0.5 send link0 p1\n"
	    "+0~1 expect link0 {r1, r2}\n");
	verdict(&fx, VERDICT_FAIL, F ":28: expected {r1, r2} (r2 missing) "
	    "within 1.000 s; nothing received");
	done(&fx);
}

ATF_TC_WITHOUT_HEAD(expect_none);
ATF_TC_BODY(expect_none, tc)
{
	struct fixture fx;

	run_text(&fx, HEAD("node") PING(1) REPLY(1)
	    "0.5 send link0 ping\n+0 expect-none link0 reply for 1\n");
	verdict(&fx, VERDICT_FAIL, F ":24: expected no reply (echo-reply) for "
	    "1.000 s from 0.500 s, but one came at 0.600 s");
	done(&fx);
	run_text(&fx, HEAD("node") PING(5) REPLY(5)
	    "0.5 send link0 ping\n+0 expect-none link0 reply for 1\n"
	    "+0 send link0 ping\n");
	verdict(&fx, VERDICT_PASS, "");
	/* the next relative time counts from the end of the quiet period */
	ATF_CHECK_EQ(fx.res.log[1].t_us, 1500000);
	done(&fx);
}

ATF_TC_WITHOUT_HEAD(captures_feed_later_packets);
ATF_TC_BODY(captures_feed_later_packets, tc)
{
	struct fixture fx;

	run_text(&fx, HEAD("node")
	    "set id = 1\n"
	    "packet ping\n  ipv6 src=$tn.addr dst=$nut.addr\n"
	    "  icmp6 echo-request id=$id seq=41\nend\n"
	    "expect reply\n  ipv6 src=?from\n  icmp6 echo-reply seq=?s\nend\n"
	    "packet again\n  ipv6 src=$tn.addr dst=$from\n"
	    "  icmp6 echo-request id=$id seq=$s+1\nend\n"
	    "expect reply2\n  ipv6\n  icmp6 echo-reply seq=42\nend\n"
	    "0.5 send link0 ping\n+0~1 expect link0 reply\n"
	    "+0 send link0 again\n+0~1 expect link0 reply2\n");
	verdict(&fx, VERDICT_PASS, "");
	done(&fx);
}

ATF_TC_WITHOUT_HEAD(init_and_cleanup_failures);
ATF_TC_BODY(init_and_cleanup_failures, tc)
{
	struct fixture fx;

	run_text(&fx, HEAD("node") PING(1) REPLY(1)
	    "0 nut stop\nfocus\n0.5 send link0 ping\n+0~1 expect link0 reply\n"
	    "cleanup\n+0 nut reset\n");
	verdict(&fx, VERDICT_INIT_FAIL, F ":23: nut stop: nut stop failed "
	    "(the NUT description says 'fail stop')");
	/* the test part is skipped, the cleanup runs */
	ATF_REQUIRE_EQ(fx.res.nlog, 2);
	ATF_CHECK_STREQ(fx.res.log[1].text, "reset");
	done(&fx);
	run_text(&fx, HEAD("node") PING(1) REPLY(1)
	    "0.5 send link0 ping\n+0~1 expect link0 reply\n"
	    "cleanup\n+0 nut stop\n");
	verdict(&fx, VERDICT_CLEANUP_FAIL, F ":26: nut stop: nut stop failed "
	    "(the NUT description says 'fail stop')");
	done(&fx);
	run_text(&fx, HEAD("node") PING(5) REPLY(5)
	    "0.5 send link0 ping\n+0~1 expect link0 reply\n"
	    "cleanup\n+0 nut stop\n");
	verdict(&fx, VERDICT_FAIL, F ":24: expected reply (echo-reply) within "
	    "1.000 s; nothing received");
	ATF_CHECK_STREQ(fx.res.detail, "the cleanup failed too: " F ":26: nut "
	    "stop: nut stop failed (the NUT description says 'fail stop')\n");
	done(&fx);
}

ATF_TC_WITHOUT_HEAD(warn_on_significant_unexpected_frames);
ATF_TC_BODY(warn_on_significant_unexpected_frames, tc)
{
	static const char resp[] =
		"responder w\n"
		"packet ba\n  ipv6 src=$nut.addr dst=$tn.addr\n"
		"  mh BA status=0 seq=1 lifetime=0s\nend\n"
		"packet ns\n  ipv6 src=$nut.addr dst=ff02::1:ff00:a0 hlim=255\n"
		"  icmp6 NS tgt=$tn.addr\nend\n"
		"packet echo\n  ipv6 src=$nut.addr dst=$tn.addr\n"
		"  icmp6 echo-request id=9 seq=9\nend\n"
		"at 0.3 emit link0 ns\n"
		"at 0.7 emit link0 ba\n"
		"at 0.8 emit link0 echo\n";
	struct fixture fx;

	run_with(&fx, HEAD("node") PING(5) "0.5 send link0 ping\nsleep 1\n",
	    resp, 1);
	verdict(&fx, VERDICT_WARN, F ": unexpected MH BA from the NUT on link0 "
	    "at 0.700 s: 2001:db8:1::1 > 2001:db8:1::a0: BA status=0 seq=1 "
	    "lifetime=0s");
	ATF_CHECK_STREQ(fx.res.detail, "unexpected ICMPv6 echo-request from "
	    "the NUT on link0 at 0.800 s: 2001:db8:1::1 > 2001:db8:1::a0: "
	    "echo-request id=9 seq=9\n");
	ATF_REQUIRE_EQ(fx.res.nlog, 4);
	ATF_CHECK(!fx.res.log[0].significant);	/* the NS is ND noise */
	ATF_CHECK(fx.res.log[2].significant);
	done(&fx);
}

/* `tolerate`: the BA matches a tolerated pattern and is no WARN; the
 * echo-request matches none and still is one. */
ATF_TC_WITHOUT_HEAD(tolerated_frames_are_no_warn);
ATF_TC_BODY(tolerated_frames_are_no_warn, tc)
{
	static const char resp[] =
		"responder w\n"
		"packet ba\n  ipv6 src=$nut.addr dst=$tn.addr\n"
		"  mh BA status=0 seq=1 lifetime=0s\nend\n"
		"packet echo\n  ipv6 src=$nut.addr dst=$tn.addr\n"
		"  icmp6 echo-request id=9 seq=9\nend\n"
		"at 0.7 emit link0 ba\n"
		"at 0.8 emit link0 echo\n";
	struct fixture fx;

	run_with(&fx, HEAD("node") PING(5) "expect any_ba\n"
	    "  ipv6 src=$nut.addr\n  mh BA\n  tolerate\nend\n"
	    "expect other_echo\n  ipv6 src=$nut.addr\n"
	    "  icmp6 echo-request id=8\n  tolerate\nend\n"
	    "0.5 send link0 ping\nsleep 1\n", resp, 1);
	verdict(&fx, VERDICT_WARN, F ": unexpected ICMPv6 echo-request from "
	    "the NUT on link0 at 0.800 s: 2001:db8:1::1 > 2001:db8:1::a0: "
	    "echo-request id=9 seq=9");
	ATF_REQUIRE_EQ(fx.res.nlog, 3);
	ATF_CHECK(!fx.res.log[1].significant);	/* the tolerated BA */
	ATF_CHECK(fx.res.log[2].significant);
	done(&fx);
}

ATF_TC_WITHOUT_HEAD(errors_of_the_tool);
ATF_TC_BODY(errors_of_the_tool, tc)
{
	struct fixture fx;

	run_text(&fx, HEAD("node")
	    "packet ping\n  ipv6 src=$tn.adr\n  icmp6 echo-request\nend\n"
	    "0.5 send link0 ping\n0.6 send link0 ping\n");
	verdict(&fx, VERDICT_ERROR, F ":19: cannot build ping: line 16: src: "
	    "unknown variable $tn.adr");
	ATF_CHECK_EQ(fx.res.nlog, 0);
	done(&fx);
	run_text(&fx, HEAD("node") PING(1) "0.5 send link9 ping\n");
	verdict(&fx, VERDICT_ERROR, F ":19: link9 is not a link of the NUT "
	    "set-up fake.nut");
	done(&fx);
	run_text(&fx, HEAD("node") "timeout 2\n0 nut reset\n+3 nut reset\n");
	verdict(&fx, VERDICT_ERROR, F ":17: the event is due at 3.000 s, after "
	    "the case timeout of 2.000 s");
	done(&fx);
	run_text(&fx, HEAD("node") "set x = $nope+1\n0 nut reset\n");
	verdict(&fx, VERDICT_ERROR, F ":15: set x: unknown variable $nope");
	done(&fx);
}

ATF_TC_WITHOUT_HEAD(skip_touches_nothing);
ATF_TC_BODY(skip_touches_nothing, tc)
{
	struct fixture fx;

	run_text(&fx, HEAD("ha") PING(1) "0.5 send link0 ping\n");
	verdict(&fx, VERDICT_SKIP, "role ha not declared by the NUT");
	ATF_CHECK_EQ(netdev_fake_sent(fx.nd), 0);
	ATF_CHECK_EQ(fx.ctl->nlog, 0);
	ATF_CHECK_EQ(fx.res.nlog, 0);
	done(&fx);
}

/*
 * A test emulation: it answers every Neighbor Solicitation with a frame
 * of its own and sends one frame of its own at 1 s (as an emulated router
 * would send a Router Advertisement).
 */
struct temul {
	struct emul	em;
	int		taken;
	bool		sent_ra;
	char		adv[48];	/* the router of the last advertise */
};

static enum emul_take
temul_frame(struct emul *em, const struct frame *f, const struct pkt *p,
    struct frame *out)
{
	struct temul *t = (struct temul *)em;

	if (!p->has_icmp6 || p->icmp6.type != ICMP6_T_NS)
		return EMUL_PASS;
	t->taken++;
	*out = *f;	/* stands for the Neighbor Advertisement */
	return EMUL_REPLY;
}

static bool
temul_tick(struct emul *em, int64_t now, struct frame *out, int64_t *next)
{
	struct temul *t = (struct temul *)em;

	if (t->sent_ra || now < 1000000) {
		*next = t->sent_ra ? INT64_MAX : 1000000;
		return false;
	}
	t->sent_ra = true;
	memset(out, 0, sizeof(*out));
	strcpy(out->link, "link0");
	out->len = 60;
	return true;
}

static void
temul_close(struct emul *em)
{
	(void)em;
}

static int
temul_advertise(struct emul *em, const char *router, char *err, size_t cap)
{
	struct temul *t = (struct temul *)em;

	if (strcmp(router, "r9") == 0) {
		snprintf(err, cap, "no emulated router r9");
		return -1;
	}
	snprintf(t->adv, sizeof(t->adv), "%s", router);
	return 0;
}

static const struct emul_ops temul_ops = {
	temul_frame, temul_tick, temul_close, temul_advertise
};

/* A responder that only emits a frame nobody looks at, late. */
#define QUIET_RESP	"responder e\npacket p\n  ipv6 src=$nut.addr " \
	"dst=$tn.addr\n  icmp6 echo-request id=1 seq=1\nend\n" \
	"at 30 emit link0 p\n"

ATF_TC_WITHOUT_HEAD(advertise_moves_the_emulated_router);
ATF_TC_BODY(advertise_moves_the_emulated_router, tc)
{
	struct temul t = { { &temul_ops }, 0, false, "" };
	struct fixture fx;

	test_emul = &t.em;
	run_with(&fx, HEAD("node") "0.5 advertise r1\n", QUIET_RESP, 1);
	verdict(&fx, VERDICT_PASS, "");
	ATF_CHECK_STREQ(t.adv, "r1");
	ATF_REQUIRE(fx.res.nlog >= 1);
	ATF_CHECK_EQ(fx.res.log[0].kind, LOG_NUT);
	ATF_CHECK_EQ(fx.res.log[0].t_us, 500000);
	ATF_CHECK_STREQ(fx.res.log[0].text, "advertise r1");
	done(&fx);
	run_with(&fx, HEAD("node") "0 advertise r9\n", QUIET_RESP, 1);
	verdict(&fx, VERDICT_ERROR, "CN-1-1-1.case:15: advertise: no "
	    "emulated router r9");
	done(&fx);
	test_emul = NULL;
	/* The fake device has no emulation: an error of the set-up. */
	run_with(&fx, HEAD("node") "0 advertise r1\n", QUIET_RESP, 1);
	verdict(&fx, VERDICT_ERROR, "CN-1-1-1.case:15: advertise r1: the "
	    "tester emulates no routers here (netdev afpacket with node "
	    "lines router=yes)");
	done(&fx);
}

ATF_TC_WITHOUT_HEAD(emulation_takes_and_sends);
ATF_TC_BODY(emulation_takes_and_sends, tc)
{
	static const char resp[] =
		"responder e\n"
		"packet ns\n  ipv6 src=$nut.addr dst=ff02::1:ff00:a0 hlim=255\n"
		"  icmp6 NS tgt=$tn.addr\nend\n"
		"packet stray\n  ipv6 src=$nut.addr dst=$tn.addr\n"
		"  icmp6 echo-request id=5 seq=5\nend\n"
		"at 0.3 emit link0 ns\n"
		"at 1.2 emit link0 stray\n";
	struct temul t = { { &temul_ops }, 0, false, "" };
	struct fixture fx;

	test_emul = &t.em;
	run_with(&fx, HEAD("node") "expect stray\n  ipv6\n  icmp6 "
	    "echo-request id=5\nend\n* expect link0 stray\n", resp, 1);
	test_emul = NULL;
	verdict(&fx, VERDICT_PASS, "");
	ATF_CHECK_EQ(t.taken, 1);
	ATF_CHECK(t.sent_ra);
	ATF_REQUIRE_EQ(fx.res.nlog, 4);
	/* the NS is taken at 0.3 s and answered; the router's frame at 1 s */
	ATF_CHECK_EQ(fx.res.log[0].kind, LOG_RECV);
	ATF_CHECK_STREQ(fx.res.log[0].matched, "(emulation)");
	ATF_CHECK_EQ(fx.res.log[1].kind, LOG_SEND);
	ATF_CHECK_EQ(fx.res.log[1].t_us, 300000);
	ATF_CHECK_STREQ(fx.res.log[1].text, "(emulation)");
	ATF_CHECK_EQ(fx.res.log[2].kind, LOG_SEND);
	ATF_CHECK_EQ(fx.res.log[2].t_us, 1000000);
	ATF_CHECK_STREQ(fx.res.log[3].matched, "stray");
	ATF_CHECK_EQ(fx.res.log[3].t_us, 1200000);
	done(&fx);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, emulation_takes_and_sends);
	ATF_TP_ADD_TC(tp, advertise_moves_the_emulated_router);
	ATF_TP_ADD_TC(tp, pass_and_log);
	ATF_TP_ADD_TC(tp, field_mismatch_names_field_and_dumps_both);
	ATF_TP_ADD_TC(tp, nothing_received_or_matched);
	ATF_TP_ADD_TC(tp, timing_errors);
	ATF_TP_ADD_TC(tp, backlog_frames);
	ATF_TP_ADD_TC(tp, malformed_reply_fails_with_the_violation);
	ATF_TP_ADD_TC(tp, sets_and_alternatives);
	ATF_TP_ADD_TC(tp, expect_none);
	ATF_TP_ADD_TC(tp, captures_feed_later_packets);
	ATF_TP_ADD_TC(tp, init_and_cleanup_failures);
	ATF_TP_ADD_TC(tp, warn_on_significant_unexpected_frames);
	ATF_TP_ADD_TC(tp, tolerated_frames_are_no_warn);
	ATF_TP_ADD_TC(tp, errors_of_the_tool);
	ATF_TP_ADD_TC(tp, skip_touches_nothing);
	return atf_no_error();
}
