#! /usr/bin/env atf-sh
#
# cnd_netns_test.sh - the correspondent node daemon end to end, in two
# network namespaces joined by a veth: a simulated mobile node
# (mnsim_cn_helper) runs the return routability procedure and a Binding
# Update; the BA must have status 0, an RH2 and a valid authenticator;
# mip6ctl shows the binding; with cn.bpf.c attached an echo request from
# the care-of address with a Home Address option gets its reply with an
# RH2; the binding survives kill -9 and a restart; an echo request with a
# Home Address option and no binding is answered with a Binding Error.
# A mip6busd hub runs too: msockwatch must see cnd's bc-add, bc-remove
# and be-hint messages.
#
#   cn  v0 2001:db8:3::5/64, route 2001:db8:1::/64 via the MN (the home
#       agent's tunnel, simplified: the HoT reaches the MN directly)
#   mn  v0 2001:db8:3::200/64 (the CoA), lo 2001:db8:1::100/128 (HoA)
#
# Namespaces are m6c-PID-{cn,mn}, maps are pinned in /sys/fs/bpf/m6c-PID;
# the cleanup kills the cnd it started (by pid) and removes both, whatever
# happened.  cnd runs under nsenter --net (not ip netns exec, which
# remounts /sys and would hide the bpffs the maps are pinned on).

CND=@BUILDDIR@/cnd
MIP6CTL=@BUILDDIR@/mip6ctl
MIP6BUSD=@BUILDDIR@/mip6busd
MSOCKWATCH=@BUILDDIR@/msockwatch
MNSIM=@BUILDDIR@/stack/cnd/tests/mnsim_cn_helper

CN=2001:db8:3::5
COA=2001:db8:3::200
HOA=2001:db8:1::100

topo_up() {
	id="m6c-$$"
	echo "$id" > run.id
	for n in cn mn; do
		atf_check ip netns add "$id-$n"
		echo "$id-$n" >> netns.list
		atf_check ip -n "$id-$n" link set lo up
	done
	atf_check ip link add v0 netns "$id-cn" type veth peer name v0 \
	    netns "$id-mn"
	atf_check ip -n "$id-cn" link set v0 up
	atf_check ip -n "$id-mn" link set v0 up
	atf_check ip -n "$id-cn" -6 addr add "$CN/64" dev v0 nodad
	atf_check ip -n "$id-mn" -6 addr add "$COA/64" dev v0 nodad
	atf_check ip -n "$id-mn" -6 addr add "$HOA/128" dev lo
	atf_check ip -n "$id-cn" -6 route add 2001:db8:1::/64 via "$COA"
	cat > cnd.conf <<EOF
# cnd_netns_test: written by the test case
interface v0;
control-socket $(pwd)/cnd.sock;
state-dir /sys/fs/bpf/$id;
bus $(pwd)/bus;
EOF
}

# A hub on ./bus and a msockwatch recording it in bus.log.  The watcher
# is known to listen once a probe sent through the hub shows up there.
bus_up() {
	"$MIP6BUSD" -d -b "$(pwd)/bus" -s "$(pwd)/busd.sock" 2>busd.log &
	echo $! > busd.pid
	for i in $(seq 100); do
		[ -S bus ] && break
		sleep 0.1
	done
	atf_check test -S bus
	"$MSOCKWATCH" -q -b "$(pwd)/bus" -w 170 > bus.log 2>&1 &
	echo $! > watch.pid
	for i in $(seq 100); do
		"$MSOCKWATCH" -b "$(pwd)/bus" -s \
		    "home-hint ifindex=1 prefix=2001:db8:ffff::/64" 2>/dev/null
		grep -q "^home-hint" bus.log && break
		sleep 0.1
	done
	atf_check -o ignore grep "^home-hint" bus.log
}

# wait_bus PATTERN: until msockwatch printed a line matching it (10 s).
wait_bus() {
	for i in $(seq 100); do
		grep -Eq "$1" bus.log && return 0
		sleep 0.1
	done
	atf_fail "no bus message matching $1; got: $(cat bus.log)"
}

cnd_start() {
	id=$(cat run.id)
	atf_check -e ignore nsenter --net="/run/netns/$id-cn" "$CND" -f cnd.conf
	# cnd returns once ready; the pid file is there by then
	atf_check test -s cnd.pid
}

# Command prefixes for atf_check (which runs programs, not functions):
# the simulated MN in its namespace, and mip6ctl on cnd's socket.
commands() {
	mnsim="nsenter --net=/run/netns/$(cat run.id)-mn $MNSIM -i v0 -c $COA"
	mnsim="$mnsim -H $HOA -n $CN -t 10000"
	ctl="$MIP6CTL -j -s $(pwd)/cnd.sock"
}

topo_down() {
	[ -f run.id ] || return 0
	id=$(cat run.id)
	if [ -s cnd.pid ]; then
		kill "$(cat cnd.pid)" 2>/dev/null
		for i in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$(cat cnd.pid)" 2>/dev/null || break
			sleep 0.2
		done
		kill -9 "$(cat cnd.pid)" 2>/dev/null
	fi
	[ -f cnd.conf ] && nsenter --net="/run/netns/$id-cn" "$CND" \
	    -f cnd.conf --cleanup 2>/dev/null
	rm -rf "/sys/fs/bpf/$id"
	for f in watch.pid busd.pid; do
		[ -s $f ] && kill "$(cat $f)" 2>/dev/null
	done
	while read -r n; do
		ip netns del "$n" 2>/dev/null
	done < netns.list
	return 0
}

atf_test_case route_optimisation cleanup
route_optimisation_head()
{
	atf_set "descr" "RR + BU from a simulated MN: BA 0 with RH2 and" \
	    "authenticator, binding listed, echo reply with RH2, binding" \
	    "kept across kill -9, BE for a HAO without binding"
	atf_set "require.user" "root"
	atf_set "timeout" "120"
}
route_optimisation_body()
{
	: > netns.list
	topo_up
	commands
	bus_up
	cnd_start
	atf_check -o match:"^HoT index=" -o match:"^CoT index=" \
	    -o match:"^BA status=0 seq=1 lifetime=100 rh2=hoa auth=ok$" \
	    -o match:"^echo-reply dst=coa rh2=hoa$" $mnsim -s 1 -l 100 -e
	atf_check -o save:bindings $ctl bindings
	atf_check -o match:"\"hoa\": \"$HOA\"" -o match:"\"coa\": \"$COA\"" \
	    -o match:"\"seq\": 1" -o match:"\"lifetime\": 400" \
	    -o match:"\"state\": \"bound\"" cat bindings
	atf_check -o match:"\"hao_swap\": [1-9]" \
	    -o match:"\"rh2_insert\": [1-9]" -o match:"\"ba\": 1" \
	    $ctl counters
	wait_bus "^bc-add .*hoa=$HOA .*coa=$COA"

	# kill -9 and a restart: the binding comes back from cn_bind, and
	# route optimisation never stopped (RFC 6275 §9.5.1: the next BU
	# needs a larger sequence number)
	kill -9 "$(cat cnd.pid)"
	rm -f cnd.pid
	cnd_start
	atf_check -o match:"\"seq\": 1" -o match:"\"state\": \"bound\"" \
	    $ctl bindings
	atf_check -o match:"^BA status=0 seq=2 " -o match:"rh2=hoa$" \
	    $mnsim -s 2 -l 50 -e

	# a HAO for a home address with no binding: dropped by cn.bpf.c,
	# answered with a Binding Error status 1 (RFC 6275 §9.3.3)
	atf_check -o ignore $ctl reset
	wait_bus "^bc-remove .*hoa=$HOA"
	atf_check -o match:"\"bindings\": \[" -o not-match:"\"hoa\"" \
	    $ctl bindings
	atf_check -o match:"^BE status=1 hoa=$HOA$" $mnsim -b
	wait_bus "^be-hint .*hoa=$HOA"
	atf_check -o match:"\"drop_hao_no_bind\": [1-9]" \
	    -o match:"\"be_hint\": [1-9]" $ctl counters
}
route_optimisation_cleanup()
{
	topo_down
}

atf_init_test_cases()
{
	atf_add_test_case route_optimisation
}
