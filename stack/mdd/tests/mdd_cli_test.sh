#! /usr/bin/env atf-sh
# mdd_cli_test.sh - mdd's command line without a network: -n checks a
# configuration (exit 0, or 1 with FILE:LINE), -nv prints the normalised
# form, which mdd -n accepts again and which prints the same; --help
# lists the options mdd(8) documents; --version; a bad command line
# exits 64.

MDD="@BUILDDIR@/mdd"
SRC="@SRCDIR@"

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
	atf_check -s exit:0 -o save:norm1 "$MDD" -nv -f m.conf
	atf_check -o match:"^interface lo preference 3;$" \
	    -o match:"^home-prefix 2001:db8::/32;$" \
	    -o match:"^optimistic-dad yes;$" \
	    -o match:"^ra-loss-intervals 3;$" cat norm1
	atf_check -s exit:0 -o save:norm2 "$MDD" -nv -f norm1
	atf_check cmp norm1 norm2
	atf_check -s exit:0 -e ignore "$MDD" -n -f "$SRC/stack/mdd/mdd.conf.example"
}

atf_test_case errors
errors_head()
{
	atf_set "descr" "a bad configuration exits 1 with FILE:LINE; a bad" \
	    "command line exits 64"
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
	atf_check -s exit:64 -e match:"usage: mdd" "$MDD" -x
	atf_check -s exit:64 -e match:"usage: mdd" "$MDD" extra
}

atf_test_case help_matches_man
help_matches_man_head()
{
	atf_set "descr" "--help lists each option of mdd(8), --version" \
	    "prints the version"
}
help_matches_man_body()
{
	atf_check -s exit:0 -o save:help "$MDD" --help
	for o in -d -f -n -v --version -h; do
		grep -q -- "  $o" help || atf_fail "--help lacks $o"
	done
	for o in d f n v h; do
		grep -q "^\.It Fl $o" "$SRC/stack/mdd/mdd.8" ||
		    atf_fail "mdd.8 lacks -$o"
	done
	atf_check -s exit:0 -o match:"^mdd \(mip6kit\) [0-9]" "$MDD" --version
}

atf_init_test_cases()
{
	atf_add_test_case check_and_normalise
	atf_add_test_case errors
	atf_add_test_case help_matches_man
}
