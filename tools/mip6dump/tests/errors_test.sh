#! /usr/bin/env atf-sh
#
# errors_test.sh - mip6dump's failures: every one is a single line on
# stderr naming the file, interface or argument and the cause, with exit
# status 2; and --help, which must agree with the manual page.

MIP6DUMP=@BUILDDIR@/mip6dump
HELPER=@BUILDDIR@/tools/mip6dump/tests/mkpcap_helper
MANPAGE=@SRCDIR@/tools/mip6dump/mip6dump.1

sample() {
	atf_check "$HELPER" sample sample.pcap
}

# ------------------------------------------------------------- files

atf_test_case missing_file
missing_file_head() {
	atf_set descr "a file that does not exist: its name and errno text"
}
missing_file_body() {
	atf_check -s exit:2 \
	    -e inline:"mip6dump: nonexistent.pcap: No such file or directory\n" \
	    "$MIP6DUMP" nonexistent.pcap
	atf_check -s exit:2 \
	    -e inline:"mip6dump: nonexistent.pcap: No such file or directory\n" \
	    "$MIP6DUMP" -r nonexistent.pcap
}

atf_test_case not_a_capture
not_a_capture_head() {
	atf_set descr "a text file and a directory are not captures"
}
not_a_capture_body() {
	echo "hello, world" > notes.txt
	atf_check -s exit:2 -e inline:"mip6dump: notes.txt: unknown file format\n" \
	    "$MIP6DUMP" notes.txt
	mkdir dir
	atf_check -s exit:2 \
	    -e inline:"mip6dump: dir: error reading dump file: Is a directory\n" \
	    "$MIP6DUMP" dir
}

atf_test_case truncated_file
truncated_file_head() {
	atf_set descr "a capture file cut inside a record: what was read is" \
	    "printed, then the error, exit 2"
}
truncated_file_body() {
	sample
	# The global header (24) and the first record (16 + its frame) are
	# complete; the second record stops 10 bytes into its frame.
	len1=$(od -An -tu1 -j32 -N4 sample.pcap | awk '{print $1*16777216+$2*65536+$3*256+$4}')
	head -c $((24 + 16 + len1 + 16 + 10)) sample.pcap > cut.pcap
	atf_check -s exit:2 -o save:out \
	    -e match:"^mip6dump: cut.pcap: truncated dump file; tried to read [0-9]+ captured bytes, only got 10$" \
	    "$MIP6DUMP" cut.pcap
	atf_check -o inline:"1\n" sh -c "wc -l < out"
	atf_check -o match:"^1 1700000000.000000 " cat out
}

atf_test_case unsupported_link
unsupported_link_head() {
	atf_set descr "a link type the decoder does not handle"
}
unsupported_link_body() {
	atf_check "$HELPER" badlink bad.pcap
	atf_check -s exit:2 \
	    -e inline:"mip6dump: bad.pcap: unsupported link type 105 (IEEE802_11)\n" \
	    "$MIP6DUMP" bad.pcap
}

atf_test_case bad_filter
bad_filter_head() {
	atf_set descr "a filter expression libpcap cannot compile"
}
bad_filter_body() {
	sample
	atf_check -s exit:2 \
	    -e inline:"mip6dump: bad filter expression 'nonsense here': can't parse filter expression: syntax error\n" \
	    "$MIP6DUMP" sample.pcap nonsense here
	atf_check -s exit:2 \
	    -e inline:"mip6dump: bad filter expression 'udp port 99999': illegal port number 99999 > 65535\n" \
	    "$MIP6DUMP" -r sample.pcap udp port 99999
}

# ------------------------------------------------------------- output

atf_test_case write_error
write_error_head() {
	atf_set descr "a full disk: the write error is reported, exit 2"
}
write_error_body() {
	sample
	atf_check -s exit:2 \
	    -e inline:"mip6dump: write error on standard output: No space left on device\n" \
	    sh -c "'$MIP6DUMP' sample.pcap > /dev/full"
}

atf_test_case broken_pipe
broken_pipe_head() {
	atf_set descr "a reader that goes away: EPIPE is reported, exit 2," \
	    "not a silent death by SIGPIPE"
}
broken_pipe_body() {
	atf_check "$HELPER" mixed 20000 mixed.pcap
	( "$MIP6DUMP" -a mixed.pcap 2>err; echo $? > status ) | head -n 1 > first
	atf_check -o inline:"2\n" cat status
	atf_check -o inline:"mip6dump: write error on standard output: Broken pipe\n" \
	    cat err
	atf_check -o match:"^1 1700000000.000000 " cat first
}

# ------------------------------------------------------------- live

atf_test_case no_such_interface
no_such_interface_head() {
	atf_set descr "live capture on an interface that does not exist"
	atf_set require.user root
}
no_such_interface_body() {
	atf_check -s exit:2 \
	    -e inline:"mip6dump: mip6d-none0: no such interface\n" \
	    "$MIP6DUMP" -i mip6d-none0
}

atf_test_case permission_denied
permission_denied_head() {
	atf_set descr "live capture without the privilege to capture"
	atf_set require.user root
	atf_set require.progs setpriv
}
permission_denied_body() {
	atf_check -s exit:2 \
	    -e inline:"mip6dump: lo: permission denied (live capture needs root or CAP_NET_RAW)\n" \
	    setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    --inh-caps=-all --bounding-set=-all "$MIP6DUMP" -c 1 -i lo
}

# ------------------------------------------------------------- usage

usage_lines() {
	cat <<'EOF'
usage: mip6dump [-ajv] [--check] [--ladder] [--max-bindings n] [-c count]
                [-T threads] [--esp-sa sa] [-r] file [expression]
       mip6dump [-ajv] [--check] [--ladder] [--max-bindings n] [-c count]
                [--esp-sa sa] -i interface [expression]
EOF
}

# Run mip6dump expecting a usage error: the message, then the usage.
check_usage_error() {
	msg=$1
	shift
	{ echo "mip6dump: $msg"; usage_lines; } > expected
	atf_check -s exit:2 -e file:expected "$MIP6DUMP" "$@"
}

atf_test_case usage_errors
usage_errors_head() {
	atf_set descr "bad command lines: one message, the usage, exit 2"
}
usage_errors_body() {
	sample
	check_usage_error "no capture file or interface given"
	check_usage_error "unknown option '--bogus'" --bogus sample.pcap
	check_usage_error "unknown option '-x'" -x sample.pcap
	check_usage_error "--esp-sa: invalid SA '0x10:null:-:none:-': SPI \
under 256, a key of the wrong length, or neither encryption nor integrity" \
	    --esp-sa 0x10:null:-:none:- sample.pcap
	check_usage_error "--esp-sa: invalid SA '0x1000:aes-cbc': expected \
SPI:ENC:ENCKEY:AUTH:AUTHKEY" --esp-sa 0x1000:aes-cbc sample.pcap
	check_usage_error "unknown option '-x'" -ax sample.pcap
	check_usage_error "option '-c' needs an argument" sample.pcap -c
	check_usage_error "option '--count' needs an argument" sample.pcap \
	    --count
	check_usage_error "-c: invalid count '0'" -c 0 sample.pcap
	check_usage_error "-c: invalid count '12x'" -c 12x sample.pcap
	check_usage_error "-c: invalid count '-1'" -c -1 sample.pcap
	check_usage_error "--max-bindings: invalid number '0'" \
	    --max-bindings 0 sample.pcap
	check_usage_error "-i and -r cannot be used together" -i lo \
	    -r sample.pcap
}

# The manual page rendered as plain text, one line per paragraph line.
man_text() {
	mandoc -T ascii -O width=200 "$MANPAGE" | sed -e 's/.\x08//g'
}

atf_test_case help_matches_manual
help_matches_manual_head() {
	atf_set descr "--help: exit 0, its synopsis and options are the" \
	    "manual page's"
	atf_set require.progs mandoc
}
help_matches_manual_body() {
	atf_check -o save:help "$MIP6DUMP" --help
	atf_check -o save:help2 "$MIP6DUMP" -h
	atf_check cmp help help2
	# The synopsis: each usage form joined, against SYNOPSIS.
	awk '/^usage: |^       mip6dump/ { if (f) print f; f = $0; next }
	    /^                / { f = f " " $0; next }
	    { if (f) print f; exit }' help |
	    sed -e 's/^usage: //' -e 's/  */ /g' -e 's/^ //' > help.synopsis
	man_text | sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' |
	    sed -e '1d' -e '$d' -e '/^ *$/d' -e 's/  */ /g' -e 's/^ //' \
	    > man.synopsis
	atf_check -o file:man.synopsis cat help.synopsis
	# The options: "-c count" pairs from both.
	grep -E '^  (-|    --)' help | sed -e 's/^ *//' -e 's/   .*//' |
	    awk -F', ' '{ n = split($NF, last, " "); arg = (n > 1) ? last[2] : "";
		for (i = 1; i <= NF; i++) { split($i, t, " "); print t[1], arg } }' |
	    sed 's/ $//' | sort > help.options
	man_text | sed -n '/^OPTIONS/,/^OUTPUT FORMATS/p' |
	    grep -E '^     -' | sed -e 's/^ *//' |
	    awk -F', ' '{ for (i = 1; i <= NF; i++) print $i }' | sort \
	    > man.options
	atf_check -o inline:"20\n" sh -c "wc -l < help.options"
	atf_check -o file:man.options cat help.options
	atf_check -o match:"^Exit status: 0 success, 1 violations found \(--check\), 2 usage or I/O error.$" \
	    cat help
}

atf_test_case every_option_runs
every_option_runs_head() {
	atf_set descr "each option of --help is accepted by the code"
}
every_option_runs_body() {
	sample
	for o in -a --all -j --json -v --verbose --ladder; do
		atf_check -o not-empty "$MIP6DUMP" "$o" sample.pcap
	done
	atf_check -o not-empty \
	    -e inline:"32 packets, 29 mobility packets, 0 with violations\n" \
	    "$MIP6DUMP" --check sample.pcap
	for o in -c --count --max-bindings -T --threads; do
		atf_check -o not-empty "$MIP6DUMP" "$o" 3 sample.pcap
	done
	atf_check -s exit:2 -e match:"^mip6dump: -T: invalid thread count '0'" \
	    "$MIP6DUMP" -T 0 sample.pcap
	for o in -r --read; do
		atf_check -o not-empty "$MIP6DUMP" "$o" sample.pcap
	done
	atf_check -o not-empty "$MIP6DUMP" --esp-sa \
	    0x1000:null:-:hmac-sha1:0x2122232425262728292a2b2c2d2e2f3031323334 \
	    sample.pcap
	atf_check -s exit:2 -e match:"^mip6dump: mip6d-none0: " \
	    "$MIP6DUMP" --interface mip6d-none0
}

atf_test_case man_page_lint
man_page_lint_head() {
	atf_set descr "the manual page is clean under mandoc -Tlint -Wwarning"
	atf_set require.progs mandoc
}
man_page_lint_body() {
	atf_check mandoc -Tlint -Wwarning "$MANPAGE"
}

atf_init_test_cases() {
	atf_add_test_case missing_file
	atf_add_test_case not_a_capture
	atf_add_test_case truncated_file
	atf_add_test_case unsupported_link
	atf_add_test_case bad_filter
	atf_add_test_case write_error
	atf_add_test_case broken_pipe
	atf_add_test_case no_such_interface
	atf_add_test_case permission_denied
	atf_add_test_case usage_errors
	atf_add_test_case help_matches_manual
	atf_add_test_case every_option_runs
	atf_add_test_case man_page_lint
}
