#!/bin/sh
# mk/bench-dsmip.sh BUILD - the Dual-Stack MIPv6 benchmark (issue 6; part
# of `make bench`).  It measures and prints next to each result its
# target; it never fails on a target (on a broken setup it prints why and
# goes on with what it can still measure).
#
#   1. Signalling cost per message (BUILD/mip6sigbench, mip6sigbench(1)):
#      the engines of mnd and had linked in, no sockets; MN sends BU, HA
#      receives BU, HA sends BA, MN receives BA, each for the IPv6 path
#      and the two IPv4 paths (IPv4 home address option over IPv6; BU/BA
#      in IPv4/UDP 4191 from an IPv4 CoA behind a NAT); median and p99 ns
#      of BENCH_DSMIP_N rounds (default 100000), the IPv4/IPv6 ratios.
#      Target: every step under 50 us.  (The seed paper's Table 3 on 2007
#      hardware: 2.35 ms, 0.27 ms, 1.14 ms, 0.32 ms.)
#   2. UDP-encapsulated forwarding against plain forwarding (root only):
#
#        cn --(cn0/ha0)-- ha --(ha1/mn0: IPv4 only)-- mn
#        2001:db8:3::/64, 198.51.100.0/24   203.0.113.0/24
#
#      ha runs had as a DSMIPv6 home agent (virtual home link
#      2001:db8:1::/64, ipv4-address 192.0.2.1/24 on lo, the MN's IPv4
#      home address 192.0.2.100); mn runs mip6busd, mdd and mnd with
#      force-udp: mn0 has only the IPv4 address 203.0.113.100, so mdd
#      gives it as the care-of address and mnd registers with a BU in
#      IPv4/UDP (source port 40000) to 4191 with F (RFC 5555 §3.1.3,
#      §4.1); both daemons write their eBPF planes.  Should that
#      registration fail (or BENCH_DSMIP_RIG=helpers), the test helpers
#      of stack/bpf/tests write the same entries (as dsmip_fwd_test.sh
#      does) and the run says so.  iperf3 TCP cn -> mn's IPv4 home
#      address and IPv6 home address 2001:db8:1::100, both inside
#      IPv4/UDP on the ha-mn link, against plain IPv4 routing cn ->
#      203.0.113.100 over the same links.  Route MTUs towards the home
#      addresses are pinned at 1472 (1500 less the 28 octets of IPv4 +
#      UDP) so each run measures the steady state, not path MTU
#      discovery.  BENCH_DSMIP_PAIRS (default 3) interleaved pairs per
#      home address (a plain run, then at once the tunneled one: both see
#      about the same load of the shared machine), the median of the
#      pairs' ratios; then as many runs of the two flows at the same time
#      (they share the CPUs at every instant), the median ratio.
#      Target: encapsulated >= 0.85 x plain.
#
# Environment: BENCH_DSMIP_N (rounds, 100000), BENCH_DSMIP_PAIRS (3),
# BENCH_DSMIP_IPERF_SECS (5), BENCH_DSMIP_ONLY=signalling|forwarding,
# BENCH_DSMIP_RIG=daemons|helpers (default daemons).
set -u
build=${1:-build}
pairs=${BENCH_DSMIP_PAIRS:-3}
secs=${BENCH_DSMIP_IPERF_SECS:-5}
only=${BENCH_DSMIP_ONLY:-}

say() { echo "bench-dsmip: $*"; }

case "$build" in /*) bin=$build ;; *) bin=$PWD/$build ;; esac
. "$(dirname "$0")/bench.subr"

# ------------------------------------------------------------ 1. signalling

if [ "$only" != forwarding ]; then
	if [ -x "$bin/mip6sigbench" ]; then
		say "signalling (engines in-process; load average $(loadavg)):"
		"$bin/mip6sigbench" 2>&1 | sed 's/^/bench-dsmip:   /'
	else
		say "signalling: skipped ($bin/mip6sigbench not built)"
	fi
fi
[ "$only" = signalling ] && exit 0

# ------------------------------------------------------------ 2. forwarding

if [ "$(id -u)" != 0 ]; then
	say "forwarding: skipped (needs root for network namespaces)"
	exit 0
fi
HA_HELPER=$bin/stack/bpf/tests/plane_helper
MN_HELPER=$bin/stack/bpf/tests/ro_helper
missing=$(missing_progs "$bin/had" "$bin/mnd" "$bin/mdd" "$bin/mip6busd" \
    "$bin/mip6ctl" "$HA_HELPER" "$MN_HELPER" iperf3 python3 nsenter ping)
if [ -n "$missing" ]; then
	say "forwarding: skipped ($missing missing: make, mk/deps.sh)"
	exit 0
fi

tag=m6d-$$
dir=$(mktemp -d /tmp/mip6bench-dsmip.XXXXXX)
HDIR=/sys/fs/bpf/$tag-ha
MDIR=/sys/fs/bpf/$tag-mn
state=/sys/fs/bpf/$tag
NS="cn ha mn"
HA6=2001:db8:1::1
HOA6=2001:db8:1::100
HOA4=192.0.2.100
HA4=192.0.2.1		# had's ipv4-address (lo), the IPv4 home network's
GW4=203.0.113.1		# ha's address on the IPv4 link to mn
COA4=203.0.113.100
PORT=40000
TUN_MTU=1472

cleanup() {
	daemons_stop
	for x in $NS; do
		ip netns pids "$(ns "$x")" 2>/dev/null | xargs -r kill -KILL
		ip netns del "$(ns "$x")" 2>/dev/null
	done
	"$HA_HELPER" "$HDIR" unpin >/dev/null 2>&1
	"$MN_HELPER" mn "$MDIR" unpin >/dev/null 2>&1
	rm -rf "$HDIR" "$MDIR" "$state" "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

topology() {
	for x in $NS; do
		ip netns add "$(ns "$x")" || return 1
		ip -n "$(ns "$x")" link set lo up
	done
	ip link add cn0 netns "$(ns cn)" type veth peer name ha0 \
	    netns "$(ns ha)" || return 1
	ip link add ha1 netns "$(ns ha)" address 02:00:00:00:0d:01 \
	    type veth peer name mn0 netns "$(ns mn)" || return 1
	for l in cn:cn0 ha:ha0 ha:ha1 mn:mn0; do
		ip -n "$(ns "${l%%:*}")" link set "${l#*:}" up
	done
	innet cn ip -6 addr add 2001:db8:3::5/64 dev cn0 nodad
	innet cn ip addr add 198.51.100.5/24 dev cn0
	innet ha ip -6 addr add 2001:db8:3::1/64 dev ha0 nodad
	innet ha ip addr add 198.51.100.1/24 dev ha0
	innet ha ip -6 addr add $HA6/128 dev lo nodad
	innet ha ip addr add $GW4/24 dev ha1
	innet ha ip addr add $HA4/32 dev lo
	innet mn ip addr add $COA4/24 dev mn0
	innet cn ip -6 route add 2001:db8:1::/64 via 2001:db8:3::1 \
	    mtu $TUN_MTU
	innet cn ip route add $HOA4/32 via 198.51.100.1 mtu $TUN_MTU
	innet cn ip route add 203.0.113.0/24 via 198.51.100.1
	# Plain IPv4 back to cn from the CoA, and to the HA's IPv4 address.
	innet mn ip route add 198.51.100.0/24 via $GW4 dev mn0
	innet mn ip route add $HA4/32 via $GW4 dev mn0
	innet ha sysctl -qw net.ipv6.conf.all.forwarding=1
	innet ha sysctl -qw net.ipv4.conf.all.forwarding=1
	for x in ha mn; do
		for i in all default; do
			innet "$x" sysctl -qw "net.ipv4.conf.$i.rp_filter=0"
		done
	done
	innet ha sysctl -qw net.ipv4.conf.ha1.rp_filter=0
	innet mn sysctl -qw net.ipv4.conf.mn0.rp_filter=0
}

# The planes written by the test helpers, and on mn what mnd would
# otherwise set up: the home addresses on lo and routes from them that
# hand the packets to tc egress on mn0 (permanent neighbours), where
# mn.bpf.c puts them in IPv4/UDP to the HA (as dsmip_fwd_test.sh does).
helper_planes() {
	innet mn ip -6 addr add $HOA6/128 dev lo nodad
	innet mn ip addr add $HOA4/32 dev lo
	innet mn ip -6 route add 2001:db8:3::/64 via fe80::99 dev mn0 \
	    mtu $TUN_MTU
	innet mn ip -6 neigh add fe80::99 lladdr 02:00:00:00:0d:01 \
	    dev mn0 nud permanent
	innet mn ip rule add from $HOA4 table 100
	innet mn ip route add 198.51.100.0/24 via 169.254.0.1 dev mn0 \
	    onlink mtu $TUN_MTU table 100
	innet mn ip neigh add 169.254.0.1 lladdr 02:00:00:00:0d:01 \
	    dev mn0 nud permanent
	for c in "attach ha0" "attach ha1" "local ::ffff:$HA4 1" \
	    "bindv4 $HOA6 $COA4 $HA4 $PORT" "bind4 $HOA4/32 $HOA6"; do
		innet ha "$HA_HELPER" "$HDIR" $c || return 1
	done
	for c in "attach mn0" "local ::ffff:$COA4" \
	    "hoav4 $HOA6 $COA4 $HA4 $PORT mn0" "hoa4 $HOA4/32 $HOA6"; do
		innet mn "$MN_HELPER" mn "$MDIR" $c || return 1
	done
}

# The real stack: had as a DSMIPv6 home agent (ipv4-address, the MN's
# IPv4 home address), and on mn mip6busd, mdd (which reports mn0's IPv4
# address as the care-of address: mn0 has no IPv6 one) and mnd with
# force-udp (F: UDP encapsulation without a NAT, RFC 5555 §3.1.3).  The
# registration is signalled (BU in IPv4/UDP to 4191, BA back) and both
# daemons write their planes; mnd puts the home addresses on lo with
# routes to mn.bpf.c.  1 when mnd's home entry is not BOUND in time.
daemon_planes() {
	cat > "$dir/had.conf" <<EOF2
# written by mk/bench-dsmip.sh
interface ha0
interface ha1
home-prefix 2001:db8:1::/64 {
	virtual
}
home-agent-address $HA6
ipv4-address $HA4/24
force-udp yes
authentication none
default-policy allow
dad-transmits 0
state-dir "$state/had"
control-socket "$dir/had.sock"
user "nobody"
mobile-node $HOA6 {
	allow
	ipv4-home-address $HOA4
}
EOF2
	cat > "$dir/mdd.conf" <<EOF2
# written by mk/bench-dsmip.sh
interface mn0 preference 10;
home-prefix 2001:db8:1::/64;
bus $dir/bus;
control-socket $dir/mdd.sock;
EOF2
	cat > "$dir/mnd.conf" <<EOF2
# written by mk/bench-dsmip.sh
interface mn0;
home-address $HOA6/64 home-agent $HA6;
ipv4-home-address $HOA4;
home-agent-ipv4 $HA4;
force-udp yes;
udp-source-port $PORT;
lifetime 600;
bus $dir/bus;
control-socket $dir/mnd.sock;
state-dir $state/mnd;
EOF2
	bgin had ha "$bin/had" -d -f "$dir/had.conf"
	wait_for 15 ctl had status || return 1
	bgin busd mn "$bin/mip6busd" -d -b "$dir/bus" -s "$dir/busd.sock"
	wait_for 10 test -S "$dir/bus" || return 1
	bgin mdd mn "$bin/mdd" -d -f "$dir/mdd.conf"
	wait_for 15 ctl mdd status || return 1
	bgin mnd mn "$bin/mnd" -d -v -f "$dir/mnd.conf"
	wait_for 20 mnd_bound
}

mnd_bound() {
	ctl mnd bul | python3 -c 'import json, sys
d = json.load(sys.stdin)
sys.exit(0 if any(b["home"] and b["reg_state"] == "BOUND" for b in d["bul"]) else 1)'
}

daemons_stop() {
	for p in mnd mdd busd had; do
		stop "$p"
	done
	unpin mn mnd
	unpin ha had
	rm -f "$dir/had.conf" "$dir/mnd.conf"
}

counter() {	# counter NAME: a counter of the HA's plane
	if [ "$rig" = daemons ]; then
		ctl had counters | python3 -c 'import json, sys
print(json.load(sys.stdin)["bpf"][sys.argv[1]])' "$1" 2>/dev/null
	else
		innet ha "$HA_HELPER" "$HDIR" counters 2>/dev/null |
		    awk -v n="$1" '$1 == n { print $2 }'
	fi
}

# pairs_run LABEL DEST: interleaved plain/tunneled pairs, each pair
# printed; leaves the medians in $plain $tun $ratio (the ratio: the
# median of the pairs' ratios) and the CPU s per GB in $pcpu $tcpu.  A tunneled run must have been carried
# by the HA plane's UDP encapsulation: its tun4_encap delta is printed.
pairs_run() {
	_pl='' _tl='' _rl='' _pc='' _tc=''
	for _i in $(seq "$pairs"); do
		_p=$(iperf_tcp mn cn $COA4 5201 "plain-$1-$_i")
		_e0=$(counter tun4_encap)
		_t=$(iperf_tcp mn cn "$2" 5201 "$1-$_i")
		_e1=$(counter tun4_encap)
		_pl="$_pl $_p" _tl="$_tl $_t"
		_pc="$_pc $(cat "$dir/cpu-plain-$1-$_i" 2>/dev/null || echo -)"
		_tc="$_tc $(cat "$dir/cpu-$1-$_i" 2>/dev/null || echo -)"
		case "$_p$_t" in *-*) continue ;; esac
		_rl="$_rl $(calc "$_t / $_p")"
		say "  $1 pair $_i: plain $_p Gbit/s, UDP-encapsulated $_t Gbit/s, ratio $(calc "int($_t / $_p * 100 + 0.5) / 100"); CPU s per GB: plain $(cat "$dir/cpu-plain-$1-$_i" 2>/dev/null || echo -), encapsulated $(cat "$dir/cpu-$1-$_i" 2>/dev/null || echo -); skbs the HA put in UDP (GSO: many packets each): $((${_e1:-0} - ${_e0:-0}))"
	done
	plain=$(median $_pl) tun=$(median $_tl) ratio=$(median $_rl)
	pcpu=$(median $_pc) tcpu=$(median $_tc)
}

# together LABEL DEST: $pairs runs of a plain flow (cn -> CoA) and a
# tunneled flow (cn -> DEST) at the same time: both senders compete for
# the same CPUs at every instant, so their ratio is that of the two
# paths' costs whatever the machine's other load does; leaves the median
# ratio in $cratio.
together() {
	_rl=''
	for _i in $(seq "$pairs"); do
		iperf_tcp mn cn $COA4 5201 "both-plain-$1-$_i" > "$dir/bp" &
		_c=$!
		_t=$(iperf_tcp mn cn "$2" 5202 "both-$1-$_i")
		wait "$_c"
		_p=$(cat "$dir/bp")
		case "$_p$_t" in *-*) continue ;; esac
		_rl="$_rl $(calc "$_t / $_p")"
		say "  $1 at once $_i: plain $_p Gbit/s, UDP-encapsulated $_t Gbit/s, ratio $(calc "int($_t / $_p * 100 + 0.5) / 100")"
	done
	cratio=$(median $_rl)
}

bench_forwarding() {
	# A first packet each way: the planes work before anything is timed.
	for h in $HOA4 $HOA6; do
		if ! innet cn ping -c 1 -W 2 $h >/dev/null 2>&1; then
			say "forwarding: no echo reply from $h through the UDP tunnel"
			return 1
		fi
	done
	for h in IPv4:$HOA4 IPv6:$HOA6; do
		pairs_run "${h%%:*}-HoA" "${h#*:}"
		together "${h%%:*}-HoA" "${h#*:}"
		say "forwarding TCP cn -> ${h%%:*} home address ${h#*:} in IPv4/UDP ($PORT <-> 4191) vs plain IPv4 cn -> CoA $COA4 (iperf3 $secs s, $pairs interleaved pairs, medians): plain $plain Gbit/s, encapsulated $tun Gbit/s, ratio $(rratio "$ratio" 0.85)"
		say "forwarding TCP cn -> ${h%%:*} home address, both flows at once ($pairs runs, median): encapsulated/plain $(rratio "$cratio" 0.85)"
		say "  CPU s per GB received (iperf3 client + server, medians of the pairs): plain $pcpu, encapsulated $tcpu: the tunnel costs $(case "$pcpu$tcpu" in *-*) echo - ;; *) calc "int($tcpu / $pcpu * 100 + 0.5) / 100" ;; esac)x"
	done
}

say "forwarding (load average $(loadavg); noisy on a shared machine: interleaved pairs and flows at once keep the ratio fair)"
if ! topology > "$dir/topo.log" 2>&1; then
	say "forwarding: topology setup failed:"
	sed 's/^/bench-dsmip:   /' "$dir/topo.log" | tail -5
	exit 0
fi
# The daemons' registration first; the test helpers' planes if it fails.
rig=daemons
if [ "${BENCH_DSMIP_RIG:-daemons}" != daemons ] || ! daemon_planes; then
	if [ "$rig" = daemons ] && [ "${BENCH_DSMIP_RIG:-daemons}" = daemons ]; then
		say "forwarding: had/mnd registration failed (mnd.log, had.log):"
		tail -3 "$dir/mnd.log" "$dir/had.log" 2>/dev/null |
		    sed 's/^/bench-dsmip:   /'
	fi
	daemons_stop
	rig=helpers
	if ! helper_planes > "$dir/planes.log" 2>&1; then
		say "forwarding: the helpers' planes failed:"
		sed 's/^/bench-dsmip:   /' "$dir/planes.log" | tail -5
		exit 0
	fi
fi
if [ "$rig" = daemons ]; then
	say "forwarding rig: had + mnd (force-udp), registered by BU/BA in IPv4/UDP; had's binding: $(ctl had bindings | python3 -c 'import json, sys
b = json.load(sys.stdin)["bindings"][0]
print("HoA %s v4hoa %s v4coa %s encap %s port %s nat %s" % tuple(b.get(k, "-")
      for k in ("hoa", "v4hoa", "v4coa", "encap", "udp_port", "nat")))' 2>/dev/null || echo "?")"
else
	say "forwarding rig: bindings written by the stack/bpf/tests helpers (no daemon, no signalling)"
fi
bench_forwarding
exit 0
