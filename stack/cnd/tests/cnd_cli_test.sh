#! /usr/bin/env atf-sh
# cnd_cli_test.sh - cnd's command line without a network: -n checks a
# configuration (exit 0, or 1 with FILE:LINE), -nv prints the normalised
# form, which cnd -n accepts again and which prints the same; --help
# lists the options of cnd(8); --version; a bad command line exits 64.

CND="@BUILDDIR@/cnd"
SRC="@SRCDIR@"
. "$SRC/stack/lib/tests/daemon_cli.subr"

atf_test_case examples_check
examples_check_head()
{
	atf_set "descr" "the example configurations pass cnd -n, and -nv" \
	    "prints a normalised form that is a fixed point"
}
examples_check_body()
{
	cli_fixed_point "$CND" "$SRC"/stack/cnd/examples/*.conf
	# every setting is written out, defaults included
	atf_check -o match:"^max-bindings 4096;$" \
	    -o match:"^binding-error-rate 10;$" \
	    -o match:"^state-dir /sys/fs/bpf/mip6kit/cnd;$" cat norm1
}

atf_test_case bad_configuration
bad_configuration_head()
{
	atf_set "descr" "a bad configuration exits 1 naming file and line"
}
bad_configuration_body()
{
	printf 'interface eth0;\nmax-binding-lifetime 600;\n' > bad.conf
	atf_check -s exit:1 -e match:"^cnd: bad.conf:2: max-binding-lifetime" \
	    "$CND" -n -f bad.conf
	printf 'max-bindings 3;\n' > noif.conf
	atf_check -s exit:1 -e match:"^cnd: no interface" "$CND" -n -f noif.conf
	atf_check -s exit:1 -e match:"^cnd: missing.conf: " "$CND" -n \
	    -f missing.conf
}

atf_test_case usage_and_help
usage_and_help_head()
{
	atf_set "descr" "--help lists the options of cnd(8); bad usage exits 64"
}
usage_and_help_body()
{
	cli_usage_and_help "$CND" cnd "$SRC/stack/cnd/cnd.8"
}

atf_init_test_cases()
{
	atf_add_test_case examples_check
	atf_add_test_case bad_configuration
	atf_add_test_case usage_and_help
}
