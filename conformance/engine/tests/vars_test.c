/*
 * vars_test.c - variables (vars.c): $name and ${name}, dotted names from
 * the NUT description, the arithmetic of "$seq+1", and the exact errors.
 */
#include <atf-c.h>
#include <string.h>

#include "conformance/engine/vars.h"

static struct vars vs;

static void
setup(void)
{
	vars_init(&vs);
	vars_set(&vs, "seq", "100");
	vars_set(&vs, "nut.addr", "2001:db8:1::1");
	vars_set(&vs, "mn0.hoa", "2001:db8:5::b0");
	vars_set(&vs, "life", "0x10");
	vars_set(&vs, "iface", "veth-nut");
}

static const char *
ex(const char *in)
{
	static char out[VAR_VALUE_MAX];
	char err[128];

	ATF_REQUIRE_MSG(vars_expand(&vs, in, out, sizeof(out), err,
	    sizeof(err)), "%s: %s", in, err);
	return out;
}

static const char *
ex_err(const char *in)
{
	static char err[128];
	char out[VAR_VALUE_MAX];

	ATF_REQUIRE_MSG(!vars_expand(&vs, in, out, sizeof(out), err,
	    sizeof(err)), "%s expanded", in);
	return err;
}

ATF_TC_WITHOUT_HEAD(references);
ATF_TC_BODY(references, tc)
{
	setup();
	ATF_CHECK_STREQ(ex("plain"), "plain");
	ATF_CHECK_STREQ(ex("$seq"), "100");
	ATF_CHECK_STREQ(ex("${seq}"), "100");
	ATF_CHECK_STREQ(ex("$nut.addr"), "2001:db8:1::1");
	ATF_CHECK_STREQ(ex("x=$mn0.hoa,y"), "x=2001:db8:5::b0,y");
	ATF_CHECK_STREQ(ex("${seq}s"), "100s");
	/* a trailing dot is not part of the name */
	ATF_CHECK_STREQ(ex("$seq."), "100.");
	/* a value with a dash is substituted, not subtracted */
	ATF_CHECK_STREQ(ex("$iface"), "veth-nut");
	vars_set(&vs, "seq", "7");
	ATF_CHECK_STREQ(ex("$seq"), "7");
	ATF_CHECK_STREQ(vars_get(&vs, "mn0.hoa"), "2001:db8:5::b0");
	ATF_CHECK(vars_get(&vs, "mn0") == NULL);
	vars_free(&vs);
}

ATF_TC_WITHOUT_HEAD(arithmetic);
ATF_TC_BODY(arithmetic, tc)
{
	setup();
	ATF_CHECK_STREQ(ex("$seq+1"), "101");
	ATF_CHECK_STREQ(ex("$seq + 300"), "400");
	ATF_CHECK_STREQ(ex("${seq}-100"), "0");
	ATF_CHECK_STREQ(ex("$seq+$seq-50"), "150");
	ATF_CHECK_STREQ(ex("$life+1"), "17");
	ATF_CHECK_STREQ(ex("$seq+65536"), "65636");
	vars_free(&vs);
}

ATF_TC_WITHOUT_HEAD(errors);
ATF_TC_BODY(errors, tc)
{
	setup();
	ATF_CHECK_STREQ(ex_err("$mn1.hoa"), "unknown variable $mn1.hoa");
	ATF_CHECK_STREQ(ex_err("${seq"), "bad variable reference in '${seq'");
	ATF_CHECK_STREQ(ex_err("a$"), "bad variable reference in '$'");
	ATF_CHECK_STREQ(ex_err("$seq+x"), "x: 'x' is not a number");
	ATF_CHECK_STREQ(ex_err("$nut.addr+1"),
	    "$nut.addr+1: '2001:db8:1::1' is not a number");
	ATF_CHECK_STREQ(ex_err("$seq-101"), "101: negative result");
	vars_free(&vs);
}

ATF_TC_WITHOUT_HEAD(names_and_copies);
ATF_TC_BODY(names_and_copies, tc)
{
	struct vars b;

	ATF_CHECK(vars_name_ok("seq"));
	ATF_CHECK(vars_name_ok("mn0.hoa"));
	ATF_CHECK(vars_name_ok("_x1"));
	ATF_CHECK(!vars_name_ok("1x"));
	ATF_CHECK(!vars_name_ok("a."));
	ATF_CHECK(!vars_name_ok("a..b"));
	ATF_CHECK(!vars_name_ok("a-b"));
	ATF_CHECK(!vars_name_ok(""));
	ATF_CHECK(vars_has_ref("x$y"));
	ATF_CHECK(!vars_has_ref("xy"));
	setup();
	vars_init(&b);
	vars_set(&b, "seq", "1");
	vars_copy(&b, &vs);
	ATF_CHECK_STREQ(vars_get(&b, "seq"), "100");
	ATF_CHECK_EQ(b.n, vs.n);
	vars_free(&b);
	vars_free(&vs);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, references);
	ATF_TP_ADD_TC(tp, arithmetic);
	ATF_TP_ADD_TC(tp, errors);
	ATF_TP_ADD_TC(tp, names_and_copies);
	return atf_no_error();
}
