#! /usr/bin/env atf-sh
#
# threads_test.sh - decoding a file on several threads (-T) gives exactly
# the output, standard error and exit status of one thread, in every
# output mode, on captures that span one batch and many (the worker
# threads decode batches of 2048 frames; the writer keeps file order).

MIP6DUMP=@BUILDDIR@/mip6dump
HELPER=@BUILDDIR@/tools/mip6dump/tests/mkpcap_helper

# same_output CAPTURE ARGS...: -T 1 against -T 2, 3 and 8.
same_output() {
	cap=$1
	shift
	"$MIP6DUMP" -T 1 "$@" "$cap" > one.out 2> one.err
	one_status=$?
	for t in 2 3 8; do
		"$MIP6DUMP" -T "$t" "$@" "$cap" > many.out 2> many.err
		many_status=$?
		atf_check -o empty cmp one.out many.out
		atf_check -o empty cmp one.err many.err
		[ "$one_status" = "$many_status" ] ||
		    atf_fail "-T $t $*: exit $many_status, one thread $one_status"
	done
}

atf_test_case every_mode_same_as_one_thread
every_mode_same_as_one_thread_head() {
	atf_set descr "-T 2/3/8 equal -T 1 for text, -v, -j, -j -v, --check," \
	    "-a and -c on the sample, malformed and mixed captures"
}
every_mode_same_as_one_thread_body() {
	atf_check "$HELPER" sample sample.pcap
	atf_check -o ignore "$HELPER" malformed malformed.pcap
	# 10000 frames: five batches, so order across batches is exercised
	atf_check "$HELPER" mixed 10000 mixed.pcap
	for cap in sample.pcap malformed.pcap mixed.pcap; do
		for mode in "" -v -j "-j -v" --check "--check -j" -a \
		    "-c 4097" "-c 3 --check"; do
			# shellcheck disable=SC2086
			same_output "$cap" $mode
		done
	done
	# the mixed capture really produced output in every batch
	atf_check -o match:"^10000 " sh -c "'$MIP6DUMP' -T 3 -a mixed.pcap | tail -n 1"
}

atf_test_case ladder_and_count_limits
ladder_and_count_limits_head() {
	atf_set descr "--ladder ignores -T (one thread), and -c stops at" \
	    "exactly count packets with several threads"
}
ladder_and_count_limits_body() {
	atf_check "$HELPER" mixed 5000 mixed.pcap
	atf_check -o save:ladder1 "$MIP6DUMP" -T 1 --ladder mixed.pcap
	atf_check -o file:ladder1 "$MIP6DUMP" -T 4 --ladder mixed.pcap
	atf_check -o inline:"2049\n" sh -c \
	    "'$MIP6DUMP' -T 2 -a -c 2049 mixed.pcap | wc -l"
	atf_check -o inline:"2049\n" sh -c \
	    "'$MIP6DUMP' -T 2 -a -c 2049 mixed.pcap | tail -n 1 | cut -d' ' -f1"
}

atf_init_test_cases() {
	atf_add_test_case every_mode_same_as_one_thread
	atf_add_test_case ladder_and_count_limits
}
