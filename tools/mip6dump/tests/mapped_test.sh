#! /usr/bin/env atf-sh
#
# mapped_test.sh - a classic pcap file is read through a memory mapping
# (capture.c) while its records are ones libpcap reads unchanged; what
# comes out must be what libpcap gives.  The oracle is the same bytes read
# from standard input, which only libpcap reads: same output, same
# messages (but for the file's name), same exit status, with one thread
# and with several, for both byte orders, nanosecond and edge time stamps,
# a snapshot length that cuts frames, a record longer than the snapshot
# length in the middle (where the rest is handed to libpcap) and a file
# cut short.

MIP6DUMP=@BUILDDIR@/mip6dump
HELPER=@BUILDDIR@/tools/mip6dump/tests/mkpcap_helper

# same_as_stdin CAPTURE ARGS...
same_as_stdin() {
	cap=$1
	shift
	"$MIP6DUMP" "$@" -r - < "$cap" > pipe.out 2> pipe.raw
	pipe_status=$?
	sed "s|^mip6dump: -:|mip6dump: $cap:|" pipe.raw > pipe.err
	for t in 1 3; do
		"$MIP6DUMP" -T "$t" "$@" -r "$cap" > map.out 2> map.err
		map_status=$?
		atf_check -o empty cmp pipe.out map.out
		atf_check -o empty cmp pipe.err map.err
		[ "$pipe_status" = "$map_status" ] || atf_fail "$cap -T $t $*:" \
		    "exit $map_status, from standard input $pipe_status"
	done
}

atf_test_case layouts_read_as_libpcap_reads_them
layouts_read_as_libpcap_reads_them_head() {
	atf_set descr "every layout of the classic format gives, mapped," \
	    "the output, messages and status libpcap gives"
}
layouts_read_as_libpcap_reads_them_body() {
	# 5000 frames: three batches of the threaded reader
	atf_check "$HELPER" mixed 5000 mixed.pcap
	atf_check -o ignore "$HELPER" malformed malformed.pcap
	for spec in same le nsec le,nsec oddts le,oddts nsec,oddts \
	    le,nsec,oddts snaplen=100 le,snaplen=0 long=2500 \
	    le,long=2500,snaplen=150 cut=5 le,cut=20; do
		atf_check "$HELPER" recode "$spec" mixed.pcap "m-$spec.pcap"
		for mode in -a "-a -v" "--check -j" "-c 3000 -j"; do
			# shellcheck disable=SC2086
			same_as_stdin "m-$spec.pcap" $mode
		done
	done
	atf_check "$HELPER" recode le,nsec malformed.pcap m-malformed.pcap
	same_as_stdin m-malformed.pcap --check -a -v
	# a filter is applied to the mapped frames as libpcap applies it
	same_as_stdin m-le.pcap -a "ip6 and not udp"
	# the cases are what they say: edge stamps, a frame cut, an error
	# (libpcap reads the stamps as signed numbers, unsigned once swapped)
	atf_check -o match:"^1 2147483648\.000000 " \
	    -o match:"^2 4294967295\.967295 " "$MIP6DUMP" -a -r m-oddts.pcap
	atf_check -o match:"^1 -2147483648\.000000 " -o match:"^2 -1\.967295 " \
	    "$MIP6DUMP" -a -r m-le,oddts.pcap
	atf_check -s exit:2 -o ignore -e match:"truncated dump file" \
	    "$MIP6DUMP" -a -r m-cut=5.pcap
	# libpcap cuts the long record to the snapshot length; the frames
	# after it are read by libpcap too
	atf_check -o match:'"n":2500,.*"len":294,"caplen":150,' sh -c \
	    "'$MIP6DUMP' -a -j -r m-le,long=2500,snaplen=150.pcap | sed -n 2500p"
	atf_check -o match:"^5000 " sh -c \
	    "'$MIP6DUMP' -a -r m-le,long=2500,snaplen=150.pcap | tail -n 1"
}

atf_test_case mapped_indeed
mapped_indeed_head() {
	atf_set descr "a plain capture file is mapped, not read (so that the" \
	    "test above compares two different readers)"
	atf_set require.progs strace
}
mapped_indeed_body() {
	# LeakSanitizer cannot run under ptrace (the sanitizer builds)
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	atf_check "$HELPER" mixed 20000 mixed.pcap
	size=$(wc -c < mixed.pcap)
	atf_check -o ignore -e ignore strace -f -o trace -e trace=mmap \
	    "$MIP6DUMP" -a -r mixed.pcap
	atf_check -o match:"^1\$" grep -c "mmap(NULL, $size, PROT_READ," trace
	atf_check -o ignore -e ignore sh -c "strace -f -o trace -e trace=mmap \
	    '$MIP6DUMP' -a -r - < mixed.pcap"
	atf_check -s exit:1 -o match:"^0\$" grep -c \
	    "mmap(NULL, $size, PROT_READ," trace
}

atf_init_test_cases() {
	atf_add_test_case layouts_read_as_libpcap_reads_them
	atf_add_test_case mapped_indeed
}
