#! /usr/bin/env atf-sh
# interrupt_test.sh - mip6conf told to stop in the middle of a case
# (SIGTERM, SIGINT; root): it stops the case, runs the NUT's `stop`,
# takes the case's namespaces down, writes the results so far with the
# interrupted case as an ERROR that says so, and exits with 128 + the
# signal; a second signal while it cleans up ends it at once.  The NUT is
# the plain Linux kernel of one-link.topo whose `start` leaves a marker
# process (a copy of sleep(1)) running in its namespace and whose `stop`
# kills it.
#
# Namespaces: only m6-ID-* of the run id written to ./ids, taken down by
# the cleanup even when the body fails.

MIP6CONF="@BUILDDIR@/mip6conf"
MIP6TOPO="@BUILDDIR@/mip6topo"
SRC="@SRCDIR@"
. "$SRC/conformance/engine/tests/runs.subr"

# linux-plain.nut with a marker daemon; `stop` waits STOP_DELAY seconds
# (after writing ./stopping) before it kills the marker.
marker_nut()
{
	mkdir -p nut
	cp "$(command -v sleep)" "$PWD/marker"
	sed -e 's/^nut linux-plain$/nut marker/' \
	    -e "s|^command start .*|command start \"$PWD/marker 1000 </dev/null >/dev/null 2>\&1 \& echo \\\$! > $PWD/marker.pid\"|" \
	    -e "s|^command stop .*|command stop \"touch $PWD/stopping; sleep \${STOP_DELAY:-0}; kill \\\$(cat $PWD/marker.pid)\"|" \
	    "$SRC/conformance/nut/linux-plain.nut" > nut/marker.nut
	grep -q "^command start \"$PWD/marker" nut/marker.nut ||
	    atf_fail "the NUT description was not rewritten"
}

# One case that starts the NUT, then listens for 100 s.
long_case()
{
	mkdir -p cases/cn
	cat > cases/cn/CN-9-9-1.case <<'CASE'
case CN-9-9-1
title A long listen, to be interrupted
rfc RFC 4443 §4.2
topology one-link
role node
timeout 150
purpose
  mip6conf stops cleanly in the middle of a case.
end
procedure
  Start the NUT, expect no echo reply for 100 s.
end
judgement
  None: the test interrupts it.
end
expect reply
  ipv6
  icmp6 echo-reply id=77
end
0 nut start
focus
+0 expect-none link0 reply for 100
CASE
}

# Start mip6conf in the background on the long case; $pid, $id.
start_run()
{
	id="$1$(( $$ % 100000 ))"
	echo "$id" > ids
	marker_nut
	long_case
	"$MIP6CONF" -s cases -n nut/marker.nut --topo-id "$id" \
	    --json results.json > tap 2> err &
	pid=$!
}

# poll SECONDS MESSAGE TEST...: check TEST every 0.1 s until it holds;
# fail with MESSAGE after SECONDS.
poll()
{
	_tenths=$(($1 * 10))
	_msg=$2
	shift 2
	_i=0
	until "$@"; do
		_i=$((_i + 1))
		[ $_i -le $_tenths ] || atf_fail "$_msg"
		sleep 0.1
	done
}

marker_runs()
{
	kill -0 "$pid" 2>/dev/null ||
	    atf_fail "mip6conf ended early: $(cat err)"
	[ -s marker.pid ] && kill -0 "$(cat marker.pid)" 2>/dev/null
}

marker_dead() { ! kill -0 "$(cat marker.pid)" 2>/dev/null; }

# Wait (at most 90 s: the topology comes up first) until the marker runs.
wait_marker()
{
	poll 90 "the NUT's start never ran" marker_runs
	ls /run/netns | grep -q "^m6-$id-nut\$" ||
	    atf_fail "the case's namespace m6-$id-nut is not there"
}

# The marker must be gone (stop killed it; allow 5 s to be reaped).
marker_gone()
{
	poll 5 "the NUT's marker process is left" marker_dead
}

# Send $1 to mip6conf, wait for it: its exit status must be $2, within
# $3 seconds of the signal.
interrupt()
{
	t0=$(date +%s)
	kill -s "$1" "$pid"
	rc=0
	wait "$pid" || rc=$?
	t1=$(date +%s)
	[ "$rc" -eq "$2" ] ||
	    atf_fail "exit status $rc after SIG$1, want $2; stderr: $(cat err)"
	[ $((t1 - t0)) -le "$3" ] ||
	    atf_fail "mip6conf took $((t1 - t0)) s to stop, want <= $3 s"
}

# The results: the interrupted case, an ERROR that names the signal.
check_results()
{
	atf_check -o match:"^1\\.\\.1\$" -o match:"^not ok 1 - CN-9-9-1 " \
	    -o match:"^Bail out! interrupted by $1 after 1 of 1 cases" cat tap
	atf_check -o match:'"id":"CN-9-9-1"' -o match:'"verdict":"ERROR"' \
	    -o match:"interrupted by $1 at [0-9.]* s at the event of [^\"]*CN-9-9-1.case:22; the case did not finish" \
	    cat results.json
}

atf_test_case sigterm cleanup
sigterm_head()
{
	atf_set "descr" "SIGTERM in a case: stop run, namespaces gone," \
	    "marker process gone, results.json with the ERROR, exit 143"
	atf_set "require.user" "root"
	atf_set "timeout" "240"
}
sigterm_body()
{
	start_run st
	wait_marker
	# the signal comes while the case listens, after `nut start`
	sleep 1
	interrupt TERM 143 30
	[ -e stopping ] || atf_fail "the NUT's stop command did not run"
	marker_gone
	nothing_left
	check_results SIGTERM
}
sigterm_cleanup()
{
	[ ! -s marker.pid ] || kill "$(cat marker.pid)" 2>/dev/null || true
	down_all
}

atf_test_case sigint cleanup
sigint_head()
{
	atf_set "descr" "SIGINT (Ctrl-C) in a case: the same clean stop," \
	    "exit 130"
	atf_set "require.user" "root"
	atf_set "timeout" "240"
}
sigint_body()
{
	start_run si
	wait_marker
	sleep 1
	interrupt INT 130 30
	[ -e stopping ] || atf_fail "the NUT's stop command did not run"
	marker_gone
	nothing_left
	check_results SIGINT
}
sigint_cleanup()
{
	sigterm_cleanup
}

atf_test_case second_signal cleanup
second_signal_head()
{
	atf_set "descr" "a second signal while mip6conf cleans up (a slow" \
	    "stop) ends it at once with 128 + that signal"
	atf_set "require.user" "root"
	atf_set "timeout" "240"
}
second_signal_body()
{
	export STOP_DELAY=8
	start_run ss
	wait_marker
	sleep 1
	kill -s TERM "$pid"
	poll 30 "the NUT's stop command never ran" test -e stopping
	# stop sleeps 8 s: without the second signal it would take that long
	interrupt INT 130 4
}
second_signal_cleanup()
{
	sigterm_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case sigterm
	atf_add_test_case sigint
	atf_add_test_case second_signal
}
