#! /usr/bin/env atf-sh
#
# live_test.sh - mip6dump -i on a veth pair in a network namespace of its
# own: the sample capture's frames, sent on one end, are captured on the
# other through a BPF filter and printed as from the file (time stamps
# aside); SIGINT ends a capture with the ladder and the summary.
# The namespace (and the veth pair in it) is made here and always deleted
# by the cleanup, which also stops the mip6dump it started, by pid.

MIP6DUMP=@BUILDDIR@/mip6dump
HELPER=@BUILDDIR@/tools/mip6dump/tests/mkpcap_helper
NS=mip6d-t$$

ns_up() {
	echo "$NS" > netns.name
	atf_check ip netns add "$NS"
	# No IPv6 on the links: nothing but our frames (no MLD, RS, DAD).
	atf_check -o ignore ip netns exec "$NS" sysctl -w \
	    net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	atf_check ip -n "$NS" link add mip6d-t0 type veth peer name mip6d-t1
	atf_check ip -n "$NS" link set mip6d-t0 up
	atf_check ip -n "$NS" link set mip6d-t1 up
}

# Wait (up to 10 s) until mip6dump says it listens.
wait_listening() {
	i=0
	while ! grep -q "^mip6dump: listening on mip6d-t1" err 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 100 ] || atf_fail "mip6dump did not start: $(cat err)"
		sleep 0.1
	done
}

# Start mip6dump in the namespace in the background; its pid in ./pid.
# "ip netns exec" execs the command, so the pid is mip6dump's own.
start_mip6dump() {
	ip netns exec "$NS" "$MIP6DUMP" "$@" > out 2> err &
	echo $! > pid
	wait_listening
}

# Wait (up to 10 s) for mip6dump to exit; its status in ./status.
wait_done() {
	pid=$(cat pid)
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && atf_fail "mip6dump did not stop"
	wait "$pid"
	echo $? > status
}

# Stop the mip6dump this test started, if it still runs.
stop_mip6dump() {
	[ -f pid ] || return 0
	pid=$(cat pid)
	[ "$(cat /proc/"$pid"/comm 2>/dev/null)" = mip6dump ] &&
	    kill "$pid" 2>/dev/null
	return 0
}

atf_test_case capture cleanup
capture_head() {
	atf_set descr "frames sent on a veth are captured through a BPF" \
	    "filter, counted with -c and printed as from the file"
	atf_set require.user root
	atf_set require.progs ip
	atf_set timeout 60
}
capture_body() {
	atf_check "$HELPER" sample sample.pcap
	atf_check -o save:want.file "$MIP6DUMP" -a sample.pcap
	ns_up
	# The helper's frames all come from 02:00:5e:10:00:01.
	start_mip6dump -a -c 32 -i mip6d-t1 ether src 02:00:5e:10:00:01
	atf_check -o inline:"32\n" \
	    ip netns exec "$NS" "$HELPER" inject mip6d-t0 sample.pcap
	wait_done
	atf_check -o inline:"0\n" cat status
	# Numbered in capture order, which is the file's; time stamps differ.
	awk '{ $2 = ""; print }' want.file > want
	awk '{ $2 = ""; print }' out > got
	atf_check -o file:want cat got
}
capture_cleanup() {
	stop_mip6dump
	if [ -f netns.name ]; then
		ip netns del "$(cat netns.name)" 2>/dev/null || true
	fi
}

atf_test_case interrupt cleanup
interrupt_head() {
	atf_set descr "SIGINT ends a live capture cleanly: the ladder and the" \
	    "--check summary are printed, exit 0"
	atf_set require.user root
	atf_set require.progs ip
	atf_set timeout 60
}
interrupt_body() {
	atf_check "$HELPER" sample sample.pcap
	ns_up
	start_mip6dump --ladder --check -i mip6d-t1
	atf_check -o inline:"32\n" \
	    ip netns exec "$NS" "$HELPER" inject mip6d-t0 sample.pcap
	# Let the capture see all 32 frames before interrupting it.
	i=0
	until [ "$(ip netns exec "$NS" cat \
	    /sys/class/net/mip6d-t1/statistics/rx_packets)" -ge 32 ]; do
		i=$((i + 1))
		[ $i -le 100 ] || atf_fail "frames not received"
		sleep 0.1
	done
	sleep 1
	kill -INT "$(cat pid)"
	wait_done
	atf_check -o inline:"0\n" cat status
	atf_check -o inline:"ladder: 5 bindings, 0 evicted (max 1024)\n" \
	    tail -n 1 out
	atf_check -o match:"^32 packets, 29 mobility packets, 0 with violations$" \
	    cat err
	# Injected back to back: the times are the capture's, not the file's.
	atf_check -o match:"  #7     MN->HA  BU seq=100 .*\[retransmission #2 of seq 100 after [0-9.]+ m?s" \
	    cat out
}
interrupt_cleanup() {
	stop_mip6dump
	if [ -f netns.name ]; then
		ip netns del "$(cat netns.name)" 2>/dev/null || true
	fi
}

atf_init_test_cases() {
	atf_add_test_case capture
	atf_add_test_case interrupt
}
