/*
 * case_test.c - the case language parser (case.c): the exact model a case
 * parses into, the tokenizer, responder files, and the exact "FILE:LINE:
 * message" of each kind of error, including the ones the template checker
 * (tmpl.c, field tables) raises at parse time.
 */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "conformance/engine/case.h"
#include "conformance/engine/field.h"
#include "ctest.h"

/* 14 lines: every case needs these. */
#define HEAD	"case CN-9-9-9\n" BODY
#define BODY \
	"title T\n" \
	"rfc RFC 6275 §9.2\n" \
	"topology one-link\n" \
	"role node\n" \
	"purpose\n p\nend\n" \
	"procedure\n q\nend\n" \
	"judgement\n r\nend\n"
#define F	"CN-9-9-9.case"

static const char full[] =
	"# HA-2-1-1.case - a complete case\n"
	"case HA-2-1-1\n"
	"tahi HA_2_1_1\n"
	"title Receiving a valid BU  # with a comment\n"
	"rfc RFC 6275 §10.3.1\n"
	"rfc \"RFC 6275 §11.7.1\"\n"
	"topology ha-home\n"
	"role ha mr\n"
	"requires dhaad ipsec\n"
	"timeout 30\n"
	"\n"
	"purpose\n"
	"    First line.\n"
	"      Indented more.\n"
	"\n"
	"    After a blank line.\n"
	"end\n"
	"procedure\n  1. Send.\nend\n"
	"judgement\n  PASS: a BA.\nend\n"
	"set seq = 100\n"
	"set life = $seq + 300   # a sum\n"
	"packet bu\n"
	"  ipv6 src=$mn0.coa dst=$nut.addr\n"
	"  hao $mn0.hoa\n"
	"  mh BU seq=$seq A H !K lifetime=400s acoa=$mn0.coa\n"
	"end\n"
	"expect ba\n"
	"  ipv6 src=$nut.addr\n"
	"  rh2 $mn0.hoa\n"
	"  mh BA status=oneof(0, 1) seq=?bseq lifetime<=400s !bra K=*\n"
	"  allow mh-checksum\n"
	"end\n"
	"expect other\n"
	"  mh *\n"
	"end\n"
	"0 nut reset\n"
	"+0 nut enable ha\n"
	"focus\n"
	"+0.5 send link1 bu\n"
	"+0~1.5 expect link1 {ba, other}\n"
	"* expect link1 oneof(ba,other)\n"
	"2.0 expect-none link0 other for 500ms\n"
	"sleep 1\n"
	"cleanup\n"
	"+0 nut reset\n";

ATF_TC_WITHOUT_HEAD(full_case_model);
ATF_TC_BODY(full_case_model, tc)
{
	struct mcase *c = ct_case("HA-2-1-1.case", full);
	const struct tmpl *t;
	const struct tlayer *l;
	const struct event *ev;

	ATF_CHECK_STREQ(c->file, "HA-2-1-1.case");
	ATF_CHECK(!c->responder);
	ATF_CHECK_STREQ(c->id, "HA-2-1-1");
	ATF_CHECK_STREQ(c->tahi, "HA_2_1_1");
	ATF_CHECK_STREQ(c->title, "Receiving a valid BU");
	ATF_REQUIRE_EQ(c->nrfc, 2);
	ATF_CHECK_STREQ(c->rfc[0], "RFC 6275 §10.3.1");
	ATF_CHECK_STREQ(c->rfc[1], "RFC 6275 §11.7.1");
	ATF_CHECK_STREQ(c->topology, "ha-home");
	ATF_CHECK_EQ(c->roles, ROLE_HA | ROLE_MR);
	ATF_REQUIRE_EQ(c->nrequires, 2);
	ATF_CHECK_STREQ(c->requires[0], "dhaad");
	ATF_CHECK_STREQ(c->requires[1], "ipsec");
	ATF_CHECK_EQ(c->timeout_s, 30);
	ATF_CHECK_STREQ(c->purpose,
	    "First line.\n  Indented more.\n\nAfter a blank line.");
	ATF_CHECK_STREQ(c->procedure, "1. Send.");
	ATF_CHECK_STREQ(c->judgement, "PASS: a BA.");
	ATF_REQUIRE_EQ(c->nset, 2);
	ATF_CHECK_STREQ(c->sets[0].name, "seq");
	ATF_CHECK_STREQ(c->sets[0].expr, "100");
	ATF_CHECK_STREQ(c->sets[1].expr, "$seq + 300");
	ATF_CHECK_EQ(c->sets[1].line, 25);

	ATF_REQUIRE_EQ(c->ntmpl, 3);
	t = &c->tmpls[0];
	ATF_CHECK_STREQ(t->name, "bu");
	ATF_CHECK(!t->pattern);
	ATF_CHECK_EQ(t->line, 26);
	ATF_REQUIRE_EQ(t->nlayer, 3);
	ATF_CHECK_STREQ(t->layers[0].def->name, "ipv6");
	ATF_CHECK(t->layers[0].word == NULL);
	ATF_CHECK_STREQ(t->layers[1].def->name, "hao");
	ATF_CHECK_STREQ(t->layers[1].word, "$mn0.hoa");
	l = &t->layers[2];
	ATF_CHECK_STREQ(l->def->name, "mh");
	ATF_CHECK_EQ(l->line, 29);
	ATF_CHECK_STREQ(l->word, "BU");
	ATF_REQUIRE_EQ(l->nitem, 6);
	ATF_CHECK_STREQ(l->items[0].key, "seq");
	ATF_CHECK_EQ(l->items[0].op, TOP_EQ);
	ATF_CHECK_STREQ(l->items[0].val, "$seq");
	ATF_CHECK_STREQ(l->items[1].key, "A");
	ATF_CHECK_EQ(l->items[1].op, TOP_SET);
	ATF_CHECK_STREQ(l->items[3].key, "K");
	ATF_CHECK_EQ(l->items[3].op, TOP_ABSENT);
	ATF_CHECK_STREQ(l->items[4].val, "400s");

	t = &c->tmpls[1];
	ATF_CHECK(t->pattern);
	ATF_REQUIRE_EQ(t->nallow, 1);
	ATF_CHECK_STREQ(t->allow[0], "mh-checksum");
	l = &t->layers[2];
	ATF_REQUIRE_EQ(l->nitem, 5);
	ATF_CHECK_EQ(l->items[0].op, TOP_ONEOF);
	ATF_REQUIRE_EQ(l->items[0].nalt, 2);
	ATF_CHECK_STREQ(l->items[0].alts[0], "0");
	ATF_CHECK_STREQ(l->items[0].alts[1], "1");
	ATF_CHECK_EQ(l->items[1].op, TOP_CAPTURE);
	ATF_CHECK_STREQ(l->items[1].val, "bseq");
	ATF_CHECK_EQ(l->items[2].op, TOP_LE);
	ATF_CHECK_STREQ(l->items[2].val, "400s");
	ATF_CHECK_EQ(l->items[3].op, TOP_ABSENT);
	ATF_CHECK_STREQ(l->items[3].key, "bra");
	ATF_CHECK_EQ(l->items[4].op, TOP_ANY);
	ATF_CHECK_STREQ(c->tmpls[2].layers[0].word, "*");

	ATF_REQUIRE_EQ(c->nevent, 8);
	ATF_CHECK_EQ(c->focus_line, 42);
	ATF_CHECK_EQ(c->cleanup_line, 48);
	ev = &c->events[0];
	ATF_CHECK_EQ(ev->kind, EV_NUT);
	ATF_CHECK_EQ(ev->phase, PH_INIT);
	ATF_CHECK_EQ(ev->when.kind, TIME_ABS);
	ATF_REQUIRE_EQ(ev->argc, 1);
	ATF_CHECK_STREQ(ev->argv[0], "reset");
	ev = &c->events[1];
	ATF_REQUIRE_EQ(ev->argc, 2);
	ATF_CHECK_STREQ(ev->argv[1], "ha");
	ATF_CHECK_EQ(ev->phase, PH_INIT);
	ev = &c->events[2];
	ATF_CHECK_EQ(ev->kind, EV_SEND);
	ATF_CHECK_EQ(ev->phase, PH_TEST);
	ATF_CHECK_EQ(ev->line, 43);
	ATF_CHECK_STREQ(ev->link, "link1");
	ATF_CHECK_EQ(ev->when.kind, TIME_REL);
	ATF_CHECK_EQ(ev->when.lo_us, 500000);
	ATF_CHECK_EQ(ev->ntmpl, 1);
	ATF_CHECK_EQ(ev->tmpl[0], 0);
	ev = &c->events[3];
	ATF_CHECK_EQ(ev->kind, EV_EXPECT);
	ATF_CHECK_EQ(ev->mode, EVM_SET);
	ATF_CHECK(ev->when.range);
	ATF_CHECK_EQ(ev->when.hi_us, 1500000);
	ATF_REQUIRE_EQ(ev->ntmpl, 2);
	ATF_CHECK_EQ(ev->tmpl[0], 1);
	ATF_CHECK_EQ(ev->tmpl[1], 2);
	ev = &c->events[4];
	ATF_CHECK_EQ(ev->mode, EVM_ONEOF);
	ATF_CHECK_EQ(ev->when.kind, TIME_ANY);
	ATF_CHECK_EQ(ev->ntmpl, 2);
	ev = &c->events[5];
	ATF_CHECK_EQ(ev->kind, EV_EXPECT_NONE);
	ATF_CHECK_EQ(ev->dur_us, 500000);
	ATF_CHECK_EQ(ev->when.lo_us, 2000000);
	ev = &c->events[6];
	ATF_CHECK_EQ(ev->kind, EV_SLEEP);
	ATF_CHECK_EQ(ev->dur_us, 1000000);
	ATF_CHECK_EQ(ev->phase, PH_TEST);
	ATF_CHECK_EQ(c->events[7].phase, PH_CLEANUP);
	ATF_CHECK_EQ(case_find_tmpl(c, "other"), 2);
	ATF_CHECK_EQ(case_find_tmpl(c, "none"), -1);
	case_free(c);
}

ATF_TC_WITHOUT_HEAD(no_focus_means_all_is_the_test);
ATF_TC_BODY(no_focus_means_all_is_the_test, tc)
{
	struct mcase *c = ct_case(F, HEAD "0 nut reset\n+1 nut start\n");

	ATF_CHECK_EQ(c->events[0].phase, PH_TEST);
	ATF_CHECK_EQ(c->events[1].phase, PH_TEST);
	ATF_CHECK_EQ(c->focus_line, 0);
	ATF_CHECK_EQ(c->timeout_s, CASE_TIMEOUT_DEFAULT);
	case_free(c);
}

ATF_TC_WITHOUT_HEAD(tokenizer);
ATF_TC_BODY(tokenizer, tc)
{
	char *tok[8], store[256], err[64];
	int n;

	n = case_tokenize("  mh BU  seq=1 # comment", tok, 8, store,
	    sizeof(store), err, sizeof(err));
	ATF_REQUIRE_EQ(n, 3);
	ATF_CHECK_STREQ(tok[0], "mh");
	ATF_CHECK_STREQ(tok[2], "seq=1");
	n = case_tokenize("x status=oneof(0, 1) {a, b} \"q \\\"u\\\" o\" e",
	    tok, 8, store, sizeof(store), err, sizeof(err));
	ATF_REQUIRE_EQ(n, 5);
	ATF_CHECK_STREQ(tok[1], "status=oneof(0, 1)");
	ATF_CHECK_STREQ(tok[2], "{a, b}");
	ATF_CHECK_STREQ(tok[3], "q \"u\" o");
	ATF_CHECK_STREQ(tok[4], "e");
	n = case_tokenize("a#b c", tok, 8, store, sizeof(store), err,
	    sizeof(err));
	ATF_REQUIRE_EQ(n, 2);
	ATF_CHECK_STREQ(tok[0], "a#b");
	ATF_CHECK_EQ(case_tokenize("a \"open", tok, 8, store, sizeof(store),
	    err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "unterminated quote");
	ATF_CHECK_EQ(case_tokenize("x=oneof(1", tok, 8, store, sizeof(store),
	    err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "unbalanced ( ) or { }");
	ATF_CHECK_EQ(case_tokenize("1 2 3", tok, 2, store, sizeof(store), err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "more than 2 words on a line");
	ATF_CHECK_EQ(case_tokenize("   # only a comment", tok, 8, store,
	    sizeof(store), err, sizeof(err)), 0);
}

ATF_TC_WITHOUT_HEAD(header_errors);
ATF_TC_BODY(header_errors, tc)
{
	static const char *const missing[] = {
		F ":1: missing 'title'",
		F ":1: missing 'rfc' (the clause the case tests)",
		F ":1: missing 'topology'",
		F ":1: missing 'role' (node ha mn mr cn)",
		F ":1: missing spec text: every case has purpose, procedure "
		    "and judgement blocks",
		F ":1: the case has no timeline",
		NULL
	};
	static const char *const twice[] = {
		F ":2: 'case' must be the first statement, and only once",
		NULL
	};
	static const char *const one_word[] = {
		F ":1: case takes one word (case ID)",
		NULL
	};
	static const char *const bad[] = {
		F ":16: unknown role 'router' (roles: node ha mn mr cn)",
		F ":17: unknown capability 'nemo' (dhaad mpd ro nemo-implicit "
		    "nemo-explicit dsmip ipsec auth-option)",
		F ":18: timeout takes a number of seconds (1 to 86400)",
		F ":19: title given twice",
		F ":20: topology takes one word (topology NAME)",
		F ":21: unknown statement 'titel'",
		F ":22: 'end' without a block to close",
		NULL
	};
	static const char *const ids[] = {
		"XX-1.case:1: bad case id 'XX-1': want a role prefix (HA-, MN-, "
		    "MR-, CN-, DSMIP-, NEMO-HA-, NEMO-MR-) and letters, digits "
		    "and dashes, e.g. HA-2-1-1",
		NULL
	};
	static const char *const file[] = {
		"other.case:1: case CN-9-9-9 is in other.case: name the file "
		    "CN-9-9-9.case",
		NULL
	};
	static const char *const first[] = {
		F ":1: a case file starts with 'case ID' (a responder file with "
		    "'responder NAME')",
		F ":2: title given twice",
		NULL
	};

	ct_case_errors(F, "case CN-9-9-9\n", missing);
	ct_case_errors(F, HEAD "0 nut reset\n" "role router\n"
	    "requires nemo\n" "timeout 0\n" "title again\n" "topology a b\n"
	    "titel x\n" "end\n", bad);
	ct_case_errors(F, "case CN-9-9-9\ncase CN-1 x\n" BODY "0 nut reset\n",
	    twice);
	ct_case_errors(F, "case CN-9 x\n" BODY "0 nut reset\n", one_word);
	ct_case_errors("XX-1.case", "case XX-1\n" BODY "0 nut reset\n",
	    ids);
	ct_case_errors("other.case", HEAD "0 nut reset\n", file);
	ct_case_errors(F, "title T\n" BODY "0 nut reset\n", first);
}

ATF_TC_WITHOUT_HEAD(template_errors);
ATF_TC_BODY(template_errors, tc)
{
	static const char *const want[] = {
		F ":16: unknown layer 'ipv7' (layers: ether ipv6 ipv4 hbh "
		    "dstopt hao rh rh2 frag udp mh icmp6 icmp4 arp esp)",
		F ":17: mh BU has no field 'sqe' (fields: proto hdrlen mhres "
		    "checksum pad rh2 seq lifetime A H L K M R P F T B S D res "
		    "tokens hoa acoa bra bad ni mnp mnid mesg-id v4hoa v4ack "
		    "natd v4coa v4ack-status v4ack-plen v4ack-addr natd-refresh "
		    "natd-F pad1 padn)",
		F ":18: 'seq>5' is a pattern: use it in an expect template",
		F ":19: lifetime 401s is not a multiple of 4",
		F ":20: unknown mh type 'XX'",
		F ":21: mh * matches any type: use it in an expect template",
		F ":22: acoa needs a value to be sent (acoa=...)",
		F ":23: hlim needs a value (hlim=...)",
		F ":24: hlim=300: larger than 255",
		F ":25: src=2001:db8::zz: not an IPv6 address",
		F ":26: mh needs a message type (e.g. mh BU)",
		F ":27: hao 2001:db8::q: not an IPv6 address",
		F ":28: allow applies to expect templates only",
		F ":29: '=2': expected a field name",
		F ":15: template 'p' is never used",
		NULL
	};
	static const char *const pat[] = {
		F ":16: ipv6 src: < <= > >= compare numbers only",
		F ":17: mh A: < <= > >= compare numbers only",
		F ":18: seq needs a value (seq=...)",
		F ":19: pad= only applies to packets sent",
		F ":20: allow: unknown violation 'mh-chksum'",
		F ":21: status=x: not a number",
		F ":22: seq=?9x: '9x' is not a variable name",
		F ":23: icmp6 echo-request has no field 'ptr' (fields: code "
		    "checksum hoa rh2 id seq data)",
		F ":24: 'seq=': the value is missing",
		F ":25: seq.len: .len applies to mobility options only",
		NULL
	};

	ct_case_errors(F, HEAD "packet p\n"
	    "  ipv7\n"
	    "  mh BU sqe=1\n"
	    "  mh BU seq>5\n"
	    "  mh BU lifetime=401s\n"
	    "  mh XX\n"
	    "  mh *\n"
	    "  mh BU acoa\n"
	    "  ipv6 hlim\n"
	    "  ipv6 hlim=300\n"
	    "  ipv6 src=2001:db8::zz\n"
	    "  mh\n"
	    "  hao 2001:db8::q\n"
	    "  allow all\n"
	    "  ipv6 src=::1 =2\n"
	    "end\n"
	    "0 nut reset\n", want);
	ct_case_errors(F, HEAD "expect p\n"
	    "  ipv6 src<2001:db8::1\n"
	    "  mh BU A<1\n"
	    "  mh BU seq\n"
	    "  mh BU pad=none\n"
	    "  allow mh-chksum\n"
	    "  mh BA status=oneof(0,x)\n"
	    "  mh BU seq=?9x\n"
	    "  icmp6 echo-request ptr=1\n"
	    "  mh BU seq=\n"
	    "  mh BU seq.len=3\n"
	    "end\n"
	    "0 expect link0 p\n", pat);
}

ATF_TC_WITHOUT_HEAD(event_errors);
ATF_TC_BODY(event_errors, tc)
{
	static const char *const want[] = {
		F ":21: unknown event 'sent' (send, expect, expect-none, nut, "
		"advertise)",
		F ":22: bad time '1..2' (want 0.5, +0.5, 1~2, +0~1.5 or *)",
		F ":23: send happens at a point in time: a range only applies "
		    "to expect",
		F ":24: 'e' is an expect template: send a 'packet' template",
		F ":25: no template named 'q' (define it with 'packet q' or "
		    "'expect q' before it is used)",
		F ":26: send takes one template",
		F ":27: expect-none takes LINK NAME for DURATION",
		F ":28: bad duration 'soon' (e.g. 2, 1.5, 500ms)",
		F ":29: unknown control verb 'boot' (start stop reset reboot "
		    "enable disable add-address del-address add-route "
		    "del-route move)",
		F ":30: usage: nut add-address IFACE ADDR/PLEN",
		F ":31: nut enable: unknown role 'router'",
		F ":32: a time needs an event: send, expect, expect-none, nut or "
		"advertise",
		F ":33: sleep takes a duration (sleep 2, sleep 500ms)",
		F ":34: expect takes a link and a template (expect LINK NAME, "
		    "{A, B} or oneof(A, B))",
		F ":35: '1link' is not a link name",
		F ":37: focus comes once, before cleanup",
		F ":39: cleanup given twice",
		F ":40: expect-none starts at a point in time, not a range",
		NULL
	};

	ct_case_errors(F, HEAD "packet p\n  ipv6\nend\nexpect e\n  ipv6\nend\n"
	    "0 sent link0 p\n"
	    "1..2 send link0 p\n"
	    "0~1 send link0 p\n"
	    "0 send link0 e\n"
	    "0 send link0 q\n"
	    "0 send link0 {p, p}\n"
	    "0 expect-none link0 e\n"
	    "0 expect-none link0 e for soon\n"
	    "0 nut boot\n"
	    "0 nut add-address eth0\n"
	    "0 nut enable router\n"
	    "+1\n"
	    "sleep\n"
	    "0 expect link0\n"
	    "0 expect 1link e\n"
	    "cleanup\n"
	    "focus\n"
	    "+0 expect link0 e\n"
	    "cleanup\n"
	    "+0~1 expect-none link0 e for 1\n", want);
}

ATF_TC_WITHOUT_HEAD(unterminated_blocks);
ATF_TC_BODY(unterminated_blocks, tc)
{
	static const char *const text[] = {
		F ":6: text block not closed with 'end'",
		F ":1: missing spec text: every case has purpose, procedure "
		    "and judgement blocks",
		F ":1: the case has no timeline",
		NULL
	};
	static const char *const tmpl[] = {
		F ":15: template 'x' not closed with 'end'",
		F ":1: the case has no timeline",
		F ":15: template 'x' is never used",
		NULL
	};
	static const char *const dup[] = {
		F ":18: template 'x' defined twice",
		F ":18: template 'x' is never used",
		NULL
	};

	ct_case_errors(F, "case CN-9-9-9\ntitle T\nrfc R\ntopology t\n"
	    "role node\npurpose\n more\n", text);
	ct_case_errors(F, HEAD "packet x\n  ipv6\n", tmpl);
	ct_case_errors(F, HEAD "packet x\n  ipv6\nend\nexpect x\n  ipv6\nend\n"
	    "0 expect link0 x\n", dup);
}

static const char responder[] =
	"responder fake-ha\n"
	"set x = 1\n"
	"expect bu\n  mh BU seq=?seq\nend\n"
	"packet ba\n  mh BA seq=$seq\nend\n"
	"on link1 bu reply ba after 10ms\n"
	"on link0 bu reply ba\n"
	"at 0.5 emit link0 ba\n";

ATF_TC_WITHOUT_HEAD(responder_files);
ATF_TC_BODY(responder_files, tc)
{
	static const char *const bad[] = {
		"r:8: 'title' does not apply to a responder file (it has on "
		    "and at rules)",
		"r:9: '0' does not apply to a responder file (it has on and at "
		    "rules)",
		"r:10: on takes LINK PATTERN reply TEMPLATE [after DURATION]",
		"r:11: on: 'p' must be an expect template",
		"r:11: reply: 'e' must be a packet template",
		"r:12: at takes an absolute time (at 0.5 emit ...)",
		NULL
	};
	struct mcase *c = ct_case("r", responder);

	ATF_CHECK(c->responder);
	ATF_CHECK_STREQ(c->id, "fake-ha");
	ATF_REQUIRE_EQ(c->nrule, 3);
	ATF_CHECK(!c->rules[0].at);
	ATF_CHECK_STREQ(c->rules[0].link, "link1");
	ATF_CHECK_EQ(c->rules[0].match, 0);
	ATF_CHECK_EQ(c->rules[0].reply, 1);
	ATF_CHECK_EQ(c->rules[0].delay_us, 10000);
	ATF_CHECK_EQ(c->rules[1].delay_us, 0);
	ATF_CHECK(c->rules[2].at);
	ATF_CHECK_EQ(c->rules[2].when_us, 500000);
	ATF_CHECK_EQ(c->rules[2].match, -1);
	case_free(c);
	ct_case_errors("r", "responder r\n"
	    "packet p\n  ipv6\nend\nexpect e\n  ipv6\nend\n"
	    "title x\n0 nut reset\n"
	    "on link0 p ba\n"
	    "on link0 p reply e\n"
	    "at +1 emit link0 p\n", bad);
}

ATF_TC_WITHOUT_HEAD(roles_and_capabilities);
ATF_TC_BODY(roles_and_capabilities, tc)
{
	char buf[64];

	ATF_CHECK_EQ(role_parse("ha"), ROLE_HA);
	ATF_CHECK_EQ(role_parse("node"), ROLE_NODE);
	ATF_CHECK_EQ(role_parse("HA"), 0);
	roles_fmt(buf, sizeof(buf), ROLE_CN | ROLE_HA | ROLE_NODE);
	ATF_CHECK_STREQ(buf, "node ha cn");
	ATF_CHECK(capability_known("nemo-explicit"));
	ATF_CHECK(!capability_known("nemo"));
	ATF_CHECK_STREQ(capability_names()[0], "dhaad");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, full_case_model);
	ATF_TP_ADD_TC(tp, no_focus_means_all_is_the_test);
	ATF_TP_ADD_TC(tp, tokenizer);
	ATF_TP_ADD_TC(tp, header_errors);
	ATF_TP_ADD_TC(tp, template_errors);
	ATF_TP_ADD_TC(tp, event_errors);
	ATF_TP_ADD_TC(tp, unterminated_blocks);
	ATF_TP_ADD_TC(tp, responder_files);
	ATF_TP_ADD_TC(tp, roles_and_capabilities);
	return atf_no_error();
}
