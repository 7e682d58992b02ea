#! /usr/bin/env atf-sh
# had_cli_test.sh - had's command line without a network: -n checks a
# configuration (exit 0, or 1 with FILE:LINE), -nv prints the normalised
# form, which had -n accepts again and which prints the same; --help
# lists the options of had(8); --version; a bad command line exits 64.

HAD="@BUILDDIR@/had"
SRC="@SRCDIR@"

atf_test_case examples_check
examples_check_head()
{
	atf_set "descr" "the example configurations pass had -n, and -nv" \
	    "prints a normalised form that is a fixed point"
}
examples_check_body()
{
	for f in "$SRC"/stack/had/examples/*.conf; do
		atf_check -s exit:0 -e match:"configuration OK" "$HAD" -n -f "$f"
		atf_check -s exit:0 -o save:norm1 "$HAD" -nv -f "$f"
		atf_check -s exit:0 -e ignore "$HAD" -n -f norm1
		atf_check -s exit:0 -o save:norm2 "$HAD" -nv -f norm1
		atf_check cmp norm1 norm2
	done
	# every setting is written out, defaults included
	atf_check -o match:"^max-bindings [0-9]+$" \
	    -o match:"^authentication (none|rfc4285)$" \
	    -o match:"^state-dir \"/" cat norm1
}

atf_test_case bad_configuration
bad_configuration_head()
{
	atf_set "descr" "a bad configuration exits 1 naming file and line"
}
bad_configuration_body()
{
	printf 'interface eth0 home-link\nhome-prefix 2001:db8:1::1\n' > bad.conf
	atf_check -s exit:1 -e match:"^had: bad.conf:2: " "$HAD" -n -f bad.conf
	atf_check -s exit:1 -e match:"^had: missing.conf: " "$HAD" -n \
	    -f missing.conf
}

atf_test_case usage_and_help
usage_and_help_head()
{
	atf_set "descr" "--help lists the options of had(8); bad usage exits 64"
}
usage_and_help_body()
{
	atf_check -s exit:0 -o save:help "$HAD" --help
	sed -n 's/^  \(-[a-z]\)[ ,].*/\1/p; s/^  \(--[a-z]*\).*/\1/p' help |
	    sort > from_help
	sed -n 's/^\.It Fl \([a-z]\)\( .*\)*$/-\1/p; s/^\.It Fl -\([a-z]*\).*/--\1/p' \
	    "$SRC/stack/had/had.8" | sort > from_man
	atf_check -o file:from_help cat from_man
	atf_check -o match:"^had \(mip6kit\) [0-9]" "$HAD" --version
	atf_check -s exit:64 -e match:"^usage: had" "$HAD" -x
	atf_check -s exit:64 -e match:"^usage: had" "$HAD" extra
}

atf_init_test_cases()
{
	atf_add_test_case examples_check
	atf_add_test_case bad_configuration
	atf_add_test_case usage_and_help
}
