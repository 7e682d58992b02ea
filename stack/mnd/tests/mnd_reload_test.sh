#! /usr/bin/env atf-sh
#
# mnd_reload_test.sh - mnd reads its configuration again on `mip6ctl
# reload` and on SIGHUP (mnd(8) SIGNALS): a home address added gets a
# binding update list entry and goes to lo as a /128, one removed leaves
# both, `lifetime` changes; a broken file is refused with FILE:LINE in
# the answer and the log, and the daemon runs on with the old
# configuration.  One namespace m6r-PID with a veth pair; mnd has a
# hub (mip6busd) but no movement detector and no home agent, so entries
# wait in IDLE: what is checked is the configuration taking effect, the
# protocol side is mn_reconf_test's.  The cleanup kills what the case
# started, by pid, removes the pins and the namespace.

MND=@BUILDDIR@/mnd
BUSD=@BUILDDIR@/mip6busd
MIP6CTL=@BUILDDIR@/mip6ctl
. "@SRCDIR@/stack/lib/tests/netns.subr"

HOA1=2001:db8:1::100
HOA2=2001:db8:1::200

in_ns() {
	nsenter --net="/run/netns/$(cat ns.name)" "$@"
}

# wait_for WHAT SECONDS CMD...: poll_until, else fail showing the log.
wait_for() {
	what=$1
	shift
	poll_until "$@" && return 0
	tail -20 mnd.log >&2
	atf_fail "timed out waiting for $what"
}

write_conf() {	# write_conf LIFETIME HOA...
	life=$1
	shift
	{
		echo "interface link1;"
		for h in "$@"; do
			echo "home-address $h/64 home-agent 2001:db8:1::1;"
		done
		echo "lifetime $life;"
		echo "bus $PWD/bus;"
		echo "control-socket $PWD/mnd.sock;"
		echo "state-dir $(cat state.dir);"
	} >mnd.conf
}

# jq_py EXPR COMMAND: EXPR (Python, d = the JSON answer) over
# `mip6ctl -j COMMAND`; exits 1 when false.
jq_py() {
	"$MIP6CTL" -j -s "$PWD/mnd.sock" "$2" | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if eval(sys.argv[1]) else 1)' "$1"
}

bul_hoas() {	# the home addresses in `bul`, sorted, one line
	"$MIP6CTL" -j -s "$PWD/mnd.sock" bul | python3 -c '
import json, sys
print(" ".join(sorted({b["hoa"] for b in json.load(sys.stdin)["bul"]})))'
}

bul_is() {	# bul_is "HOA...": bul_hoas says so
	[ "$(bul_hoas)" = "$1" ]
}

on_lo() {	# on_lo ADDR: the address is on lo as a /128
	in_ns ip -6 addr show dev lo | grep -q "inet6 $1/128"
}

start() {
	echo "m6r-$$" >ns.name
	echo "/sys/fs/bpf/m6r-$$" >state.dir
	atf_check ip netns add "$(cat ns.name)"
	atf_check ip -n "$(cat ns.name)" link set lo up
	atf_check ip -n "$(cat ns.name)" link add link1 type veth peer name peer1
	atf_check ip -n "$(cat ns.name)" link set link1 up
	"$BUSD" -d -b "$PWD/bus" -s "$PWD/busd.sock" 2>busd.log &
	echo $! >busd.bgpid
	wait_for "the hub" 10 test -S "$PWD/bus"
	write_conf 120 "$HOA1"
	atf_check -e ignore "$MND" -n -f mnd.conf
	# nsenter execs mnd: $! is mnd itself (signals go to it)
	nsenter --net="/run/netns/$(cat ns.name)" "$MND" -d -v -f mnd.conf \
	    >mnd.log 2>&1 &
	echo $! >mnd.bgpid
	wait_for "mnd" 15 "$MIP6CTL" -s "$PWD/mnd.sock" status
	wait_for "$HOA1 on lo" 10 on_lo "$HOA1"
}

atf_test_case reload cleanup
reload_head()
{
	atf_set "descr" "mip6ctl reload and SIGHUP: home addresses added" \
	    "and removed take effect (bul, lo); a broken file is refused" \
	    "with FILE:LINE and the old configuration kept"
	atf_set "require.user" "root"
	atf_set "require.progs" "ip nsenter python3"
	atf_set "timeout" "120"
}
reload_body()
{
	start
	[ "$(bul_hoas)" = "$HOA1" ] || atf_fail "bul: $(bul_hoas)"
	# a second home address, lifetime 200
	write_conf 200 "$HOA1" "$HOA2"
	atf_check -o match:'"reloaded": *true' "$MIP6CTL" -j \
	    -s "$PWD/mnd.sock" reload
	[ "$(bul_hoas)" = "$HOA1 $HOA2" ] || atf_fail "bul: $(bul_hoas)"
	wait_for "$HOA2 on lo" 10 on_lo "$HOA2"
	jq_py "sorted(h['hoa'] for h in d['homes']) == ['$HOA1', '$HOA2']" \
	    status || atf_fail "status homes"
	grep -q "configuration reloaded" mnd.log || atf_fail "not logged"
	# a broken file: refused, nothing changes
	cp mnd.conf good.conf
	echo "lifetime forever;" >>mnd.conf
	atf_check -s exit:1 -e match:"mnd.conf:[0-9]+: " "$MIP6CTL" \
	    -s "$PWD/mnd.sock" reload
	grep -q "reload: .*mnd.conf:[0-9]*: .*old configuration kept" \
	    mnd.log || atf_fail "the refusal is not logged"
	[ "$(bul_hoas)" = "$HOA1 $HOA2" ] || atf_fail "bul: $(bul_hoas)"
	# SIGHUP with HOA1 gone: off lo and out of the list
	write_conf 200 "$HOA2"
	kill -HUP "$(cat mnd.bgpid)"
	wait_for "$HOA1 out of bul" 10 bul_is "$HOA2"
	on_lo "$HOA1" && atf_fail "$HOA1 still on lo"
	on_lo "$HOA2" || atf_fail "$HOA2 not on lo"
	kill -0 "$(cat mnd.bgpid)" || atf_fail "mnd died"
	kill -TERM "$(cat mnd.bgpid)"
	wait "$(cat mnd.bgpid)" || atf_fail "mnd exited with $?"
	rm -f mnd.bgpid
	if grep -q "Sanitizer\|runtime error" mnd.log; then
		cat mnd.log >&2
		atf_fail "sanitizer report in mnd.log"
	fi
}
reload_cleanup()
{
	for p in mnd busd; do
		[ -f $p.bgpid ] && kill "$(cat $p.bgpid)" 2>/dev/null
	done
	sleep 0.2
	if [ -f ns.name ]; then
		[ -f mnd.conf ] && in_ns "$MND" --cleanup -f mnd.conf \
		    >/dev/null 2>&1
		ip netns del "$(cat ns.name)" 2>/dev/null
	fi
	[ -f state.dir ] && rm -rf "$(cat state.dir)"
	return 0
}

atf_init_test_cases()
{
	atf_add_test_case reload
}
