#! /usr/bin/env atf-sh
# mnd_cli_test.sh - mnd's command line without a network: -n checks a
# configuration (exit 0, or 1 with FILE:LINE), -nv prints the normalised
# form, which mnd -n accepts again and which prints the same; --help
# lists the options of mnd(8); --version; a bad command line exits 64.

MND="@BUILDDIR@/mnd"
SRC="@SRCDIR@"
. "$SRC/stack/lib/tests/daemon_cli.subr"

atf_test_case examples_check
examples_check_head()
{
	atf_set "descr" "the example configurations pass mnd -n, and -nv" \
	    "prints a normalised form that is a fixed point"
}
examples_check_body()
{
	cli_fixed_point "$MND" "$SRC"/stack/mnd/examples/*.conf
	# every setting is written out, defaults included
	atf_check -o match:"^lifetime [0-9]+$" \
	    -o match:"^registration-mode (explicit|implicit)$" \
	    -o match:"^state-dir /" cat norm1
}

atf_test_case bad_configuration
bad_configuration_head()
{
	atf_set "descr" "a bad configuration exits 1 naming file and line"
}
bad_configuration_body()
{
	printf 'interface eth0\nhome-address 2001:db8:1::1\n' > bad.conf
	atf_check -s exit:1 -e match:"^mnd: bad.conf:2: " "$MND" -n -f bad.conf
	printf 'interface eth0\n' > nohoa.conf
	atf_check -s exit:1 -e match:"^mnd: no home-address" "$MND" -n \
	    -f nohoa.conf
	atf_check -s exit:1 -e match:"^mnd: missing.conf: " "$MND" -n \
	    -f missing.conf
}

atf_test_case usage_and_help
usage_and_help_head()
{
	atf_set "descr" "--help lists the options of mnd(8); bad usage exits 64"
}
usage_and_help_body()
{
	cli_usage_and_help "$MND" mnd "$SRC/stack/mnd/mnd.8"
}

atf_init_test_cases()
{
	atf_add_test_case examples_check
	atf_add_test_case bad_configuration
	atf_add_test_case usage_and_help
}
