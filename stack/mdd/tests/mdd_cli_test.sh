#! /usr/bin/env atf-sh
# mdd_cli_test.sh - mdd's command line without a network: -n checks a
# configuration (exit 0, or 1 with FILE:LINE), -nv prints the normalised
# form, which mdd -n accepts again and which prints the same; --help
# lists the options mdd(8) documents; --version; a bad command line
# exits 64.

MDD="@BUILDDIR@/mdd"
SRC="@SRCDIR@"
. "$SRC/stack/lib/tests/daemon_cli.subr"

atf_test_case check_and_normalise
check_and_normalise_head()
{
	atf_set "descr" "mdd -n accepts a configuration, -nv prints a" \
	    "normalised form that is a fixed point"
}
check_and_normalise_body()
{
	printf 'interface lo preference 3;\nhome-prefix 2001:db8::/32\n' >m.conf
	atf_check -s exit:0 -e match:"m.conf: configuration OK" \
	    "$MDD" -n -f m.conf
	cli_fixed_point "$MDD" m.conf "$SRC/stack/mdd/mdd.conf.example"
	"$MDD" -nv -f m.conf >norm1
	atf_check -o match:"^interface lo preference 3;$" \
	    -o match:"^home-prefix 2001:db8::/32;$" \
	    -o match:"^optimistic-dad yes;$" \
	    -o match:"^ra-loss-intervals 3;$" cat norm1
}

atf_test_case errors
errors_head()
{
	atf_set "descr" "a bad configuration exits 1 with FILE:LINE"
}
errors_body()
{
	printf 'interface lo;\nra-loss-intervals many;\n' >bad.conf
	atf_check -s exit:1 -e match:"^mdd: bad.conf:2: expected a number" \
	    "$MDD" -n -f bad.conf
	atf_check -s exit:1 -e match:"no interface statement" \
	    "$MDD" -n -f /dev/null
	atf_check -s exit:1 -e match:"No such file" \
	    "$MDD" -n -f /nonexistent.conf
}

atf_test_case help_matches_man
help_matches_man_head()
{
	atf_set "descr" "--help lists the options of mdd(8), --version" \
	    "prints the version, a bad command line exits 64"
}
help_matches_man_body()
{
	cli_usage_and_help "$MDD" mdd "$SRC/stack/mdd/mdd.8"
}

atf_init_test_cases()
{
	atf_add_test_case check_and_normalise
	atf_add_test_case errors
	atf_add_test_case help_matches_man
}
