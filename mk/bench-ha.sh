#!/bin/sh
# mk/bench-ha.sh BUILD - the home agent's benchmark (part of `make bench`,
# root only).  It measures and prints next to each result its target; it
# never fails on a target (only on a broken setup does it print why and go
# on with what it can still measure).
#
# Topology (network namespaces m6b-<pid>-X, removed by a trap):
#
#   cn --(cn0/ha0)-- ha --(ha1/mn0)-- mn --(mn1/mnh0)-- mnh
#   2001:db8:5::/64      2001:db8:2::/64     2001:db8:20::/64
#
# ha runs build/had with a virtual home link 2001:db8:1::/64 (HA address
# 2001:db8:1::1 on lo), pinned to one CPU with taskset; mip6load plays the
# mobile nodes on mn (pinned to another CPU), from care-of addresses in
# 2001:db8:10::/64 that mn does not own: BAs to the load CoA end in a
# blackhole route after mip6load's packet socket has seen them, and the
# tunnel CoA 2001:db8:10::b0 is a seg6local End.DX6 route that
# decapsulates the HA's IPv6-in-IPv6 tunnel into mnh, which holds the HoA
# 2001:db8:1::b0 (the reverse tunnel: a seg6 encap.red route from the HoA).
#
#   1. BU->BA latency (mip6load latency -n 2000; target p50 <= 50 us) and
#      registrations/s for 10k, 100k and 1M distinct MNs on a fresh had
#      each (BENCH_HA_MAX, default 1000000, caps the largest; target
#      >= 100000 BU/s on one core), beside the generator's own ceiling
#      against `mip6load respond` (a home agent that does nothing).
#      With each run, what one BU cost had (parent + engine): CPU time
#      (/proc/PID/schedstat, including the kernel work done on had's
#      behalf, such as handing the BA to the veth peer), context switches
#      (/proc/PID/status: wake-ups) and system calls (perf stat on
#      raw_syscalls, when perf is installed).  These depend far less on
#      the other load of a shared machine than the rates do.  One BU at a
#      time, most of the CPU time goes to waking idle virtual CPUs (the
#      generator's too: the veth peer is served inside had's send).
#   2. Resident memory with the largest N bound: VmRSS of had's parent and
#      engine plus the pinned maps' bytes_memlock (target <= 512 MiB for
#      1M bindings).
#   3. Forwarding cn -> HoA through the tunnel against plain routing
#      cn -> mnh's own address over the same links: iperf3 TCP throughput
#      as BENCH_HA_IPERF_PAIRS interleaved pairs (plain, then tunneled at
#      once: both see about the same load), the median of the pairs'
#      ratios against the target tunneled/plain >= 0.9; then the two
#      flows at once, BENCH_HA_IPERF_PAIRS times (the senders compete for
#      the same CPUs at every instant: their ratio is that of the paths'
#      costs whatever the other load does; the median against the same
#      target); beside them the
#      CPU time per GB of iperf3's client and server (the softirq work of
#      the forwarding done in their context included), which depends far
#      less on the machine's other load than the rates; ping6 -c 200 -i
#      0.01 RTT.
#
# Environment: BENCH_HA_MAX (largest N, default 1000000), BENCH_HA_MAX_TIME
# (seconds per registration run before it stops and reports, default 120),
# BENCH_HA_LAT_N (latency samples, 2000), BENCH_HA_IPERF_SECS (5),
# BENCH_HA_IPERF_PAIRS (5), BENCH_HA_ONLY=latency (part 1's latency alone:
# quick before/after runs) or =tunnel (part 3 alone), BENCH_HA_PERF=DIR (a
# system-wide perf record of every iperf3 run, DIR/perf-LABEL.data).
#
# The machine is shared (other builds run in parallel on a few cores), so
# the numbers are noisy: read them as orders of magnitude and ratios.
set -u
build=${1:-build}
max=${BENCH_HA_MAX:-1000000}
lat_n=${BENCH_HA_LAT_N:-2000}
secs=${BENCH_HA_IPERF_SECS:-5}
pairs=${BENCH_HA_IPERF_PAIRS:-5}
max_time=${BENCH_HA_MAX_TIME:-120}	# per registration run, seconds

if [ "$(id -u)" != 0 ]; then
	echo "bench-ha: skipped (needs root for network namespaces)"
	exit 0
fi
case "$build" in /*) bin=$build ;; *) bin=$PWD/$build ;; esac
for p in "$bin/had" "$bin/mip6load"; do
	if [ ! -x "$p" ]; then
		echo "bench-ha: skipped ($p not built)"
		exit 0
	fi
done

tag=m6b-$$
dir=$(mktemp -d /tmp/mip6bench-ha.XXXXXX)
state=/sys/fs/bpf/$tag
NS="cn ha mn mnh"
HA_ADDR=2001:db8:1::1
NOBODY=2001:db8:1::2		# the ceiling run's "home agent": a blackhole
HOA=2001:db8:1::b0
LOAD_COA=2001:db8:10::a
TUN_COA=2001:db8:10::b0
MNH_ADDR=2001:db8:20::2

# CPUs: had on the last one, the load generator on the first.
ncpu=$(nproc)
had_cpu=$((ncpu - 1))
gen_cpu=0

# ns, innet (had and bpftool under nsenter: `ip netns exec` remounts /sys
# and would hide the bpffs the maps are pinned on), calc, median:
. "$(dirname "$0")/bench.subr"
inns() { local _n=$1; shift; ip netns exec "$(ns "$_n")" "$@"; }
jget() {	# jget FILE EXPR: a value of the JSON in FILE, "-" if none
	python3 - "$1" "$2" <<'PY' 2>/dev/null || echo -
import json, sys
try:
    d = json.load(open(sys.argv[1]))
    v = eval(sys.argv[2], {}, {"d": d})
    print("-" if v is None else v)
except Exception:
    print("-")
PY
}
met() {	# met "COND": "met" or "NOT met" (awk condition on numbers)
	case "$1" in *-*) echo "not measured"; return ;; esac
	[ "$(calc "($1)")" = 1 ] && echo met || echo "NOT met"
}

had_pid() { cat "$dir/had.pid" 2>/dev/null; }
# had's processes: the parent and its engine (a child also named had).
had_procs() { local p; p=$(had_pid); [ -n "$p" ] && echo "$p" $(pgrep -P "$p" -x had); }

# ------------------------------------------------------ cost per BU of had

cost_snap()	# "CPU-ns context-switches" summed over had's processes
{
	local p cpu=0 cs=0
	for p in $(had_procs); do
		cpu=$((cpu + $(cut -d' ' -f1 "/proc/$p/schedstat" 2>/dev/null || echo 0)))
		cs=$((cs + $(awk '/ctxt_switches/ { s += $2 } END { print s + 0 }' "/proc/$p/status" 2>/dev/null || echo 0)))
	done
	echo "$cpu $cs"
}

cost_start()
{
	local pids
	cost0=$(cost_snap)
	perf_pid=
	rm -f "$dir/perf.txt"
	pids=$(had_procs | tr ' ' ',')
	if [ -n "$pids" ] && command -v perf >/dev/null 2>&1; then
		perf stat -x, -e raw_syscalls:sys_enter -p "$pids" \
		    -o "$dir/perf.txt" >/dev/null 2>&1 &
		perf_pid=$!
		sleep 0.3	# attached before the load starts
	fi
}

cost_stop()	# cost_stop N: print what each of N BUs cost had
{
	local n=$1 sys=- c0 s0 c1 s1
	if [ -n "$perf_pid" ]; then
		kill -INT "$perf_pid" 2>/dev/null
		wait "$perf_pid" 2>/dev/null
		sys=$(awk -F, '/raw_syscalls/ { print $1 }' "$dir/perf.txt" 2>/dev/null)
		case "$sys" in ''|*[!0-9]*) sys=- ;; esac
	fi
	set -- $cost0 $(cost_snap)
	c0=$1 s0=$2 c1=$3 s1=$4
	printf 'bench-ha:   had per BU: %s us CPU, %s context switches, %s system calls (parent + engine)\n' \
	    "$(calc "int(($c1 - $c0) / $n / 10 + 0.5) / 100")" \
	    "$(calc "int(($s1 - $s0) / $n * 100 + 0.5) / 100")" \
	    "$(case "$sys" in -) echo - ;; *) calc "int($sys / $n * 100 + 0.5) / 100" ;; esac)"
}

had_stop()
{
	local pid
	pid=$(had_pid)
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid"
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
	fi
	rm -f "$dir/had.pid"
	innet ha "$bin/had" -f "$dir/had.conf" --cleanup >/dev/null 2>&1
	rm -rf "$state"
}

cleanup()
{
	had_stop
	[ -n "${resp_pid:-}" ] && kill "$resp_pid" 2>/dev/null
	local x
	for x in $NS; do
		ip netns pids "$(ns "$x")" 2>/dev/null | xargs -r kill -KILL
		ip netns del "$(ns "$x")" 2>/dev/null
	done
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

topology()
{
	local x
	for x in $NS; do
		ip netns add "$(ns "$x")" || return 1
		inns "$x" ip link set lo up
		inns "$x" sysctl -qw net.ipv6.conf.all.forwarding=1
		inns "$x" sysctl -qw net.ipv6.conf.all.accept_dad=0
		inns "$x" sysctl -qw net.ipv6.conf.default.accept_dad=0
	done
	ip link add cn0 netns "$(ns cn)" type veth peer ha0 netns "$(ns ha)"
	ip link add ha1 netns "$(ns ha)" type veth peer mn0 netns "$(ns mn)"
	ip link add mn1 netns "$(ns mn)" type veth peer mnh0 netns "$(ns mnh)"
	for l in cn:cn0 ha:ha0 ha:ha1 mn:mn0 mn:mn1 mnh:mnh0; do
		inns "${l%%:*}" ip link set "${l#*:}" up
	done
	inns cn ip -6 addr add 2001:db8:5::10/64 dev cn0 nodad
	inns ha ip -6 addr add 2001:db8:5::1/64 dev ha0 nodad
	inns ha ip -6 addr add 2001:db8:2::1/64 dev ha1 nodad
	inns ha ip -6 addr add $HA_ADDR/128 dev lo nodad
	inns mn ip -6 addr add 2001:db8:2::2/64 dev mn0 nodad
	inns mn ip -6 addr add 2001:db8:20::1/64 dev mn1 nodad
	inns mnh ip -6 addr add $MNH_ADDR/64 dev mnh0 nodad
	inns mnh ip -6 addr add $HOA/128 dev mnh0 nodad
	inns cn ip -6 route add default via 2001:db8:5::1
	inns ha ip -6 route add 2001:db8:10::/64 via 2001:db8:2::2
	inns ha ip -6 route add 2001:db8:20::/64 via 2001:db8:2::2
	inns ha ip -6 route add blackhole $NOBODY/128
	inns mn ip -6 route add default via 2001:db8:2::1
	inns mnh ip -6 route add default via 2001:db8:20::1
	# The load CoA: mip6load reads the BAs from its packet socket; the
	# kernel then drops them silently (no ICMP back to the HA).
	inns mn ip -6 route add blackhole $LOAD_COA/128
	# The tunnel CoA: decapsulate into mnh (End.DX6), and send what mnh
	# sends from its HoA back through the reverse tunnel to the HA.
	# End.DX6 with nh6 :: routes the inner packet by its destination
	# (the HoA's route below).  A given nh6 on a link without a gateway
	# makes the kernel clone an uncached route for every packet
	# (ip6_pol_route, FLOWI_FLAG_KNOWN_NH): a cost of this rig, not of
	# the home agent's tunnel, that plain forwarding does not pay.
	inns mn ip -6 route add $HOA/128 via $MNH_ADDR dev mn1
	inns mn ip -6 route add $TUN_COA/128 encap seg6local action End.DX6 \
	    nh6 :: dev mn1
	inns mn ip sr tunsrc set $TUN_COA
	inns mn ip -6 route add default from $HOA encap seg6 mode encap.red \
	    segs $HA_ADDR dev mn0
}

write_conf()
{
	cat > "$dir/had.conf" <<EOF
# written by mk/bench-ha.sh
interface ha0
interface ha1
home-prefix 2001:db8:1::/64 {
	virtual
}
home-agent-address $HA_ADDR
authentication none
default-policy allow
dad-transmits 0
max-bindings 1100000
max-binding-lifetime 3600
rate-limit binding-error 100000
rate-limit icmp 100000
state-dir "$state"
control-socket "$dir/had.sock"
user "nobody"
EOF
}

# Start a fresh had (no saved bindings) pinned to one CPU.
had_start()
{
	had_stop
	if ! innet ha taskset -c "$had_cpu" "$bin/had" -f "$dir/had.conf" \
	    > "$dir/had.log" 2>&1; then
		echo "bench-ha: had did not start:"
		sed 's/^/bench-ha:   /' "$dir/had.log" | tail -5
		return 1
	fi
	return 0
}

# mip6load as the mobile nodes on mn; extra options follow.
load()
{
	local mode=$1; shift
	inns mn taskset -c "$gen_cpu" "$bin/mip6load" "$mode" -i mn0 \
	    --ha "${load_ha:-$HA_ADDR}" --ha-mac "$ha_mac" \
	    --home-prefix 2001:db8:1::/64 "$@"
}

pretty_n() { awk -v n="$1" 'BEGIN { if (n >= 1000000) printf "%gM", n / 1e6;
	else if (n >= 1000) printf "%gk", n / 1e3; else print n }'; }

print_reg()	# print_reg LABEL FILE
{
	local f=$2
	printf 'bench-ha: %-22s %9s BU/s  p50 %8s us  p99 %8s us  ' "$1" \
	    "$(jget "$f" 'round(d["rate_per_s"])')" \
	    "$(jget "$f" 'd["latency_us"]["p50"]')" \
	    "$(jget "$f" 'd["latency_us"]["p99"]')"
	printf '(accepted %s/%s, rejected %s, lost %s)\n' \
	    "$(jget "$f" 'd["accepted"]')" "$(jget "$f" 'd["n"]')" \
	    "$(jget "$f" 'sum(d["rejected"].values())')" \
	    "$(jget "$f" 'd["lost"]')"
}

# ------------------------------------------------------------ 1. signaling

bench_latency()
{
	cost_start
	load latency --coa $LOAD_COA -n "$lat_n" --first-index 16 \
	    > "$dir/lat.json" 2> "$dir/lat.err" ||
	    { sed 's/^/bench-ha:   /' "$dir/lat.err"; }
	p50=$(jget "$dir/lat.json" 'd["latency_us"]["p50"]')
	printf 'bench-ha: BU->BA latency (%s BUs, one at a time, %s timestamps): p50 %s us, p90 %s us, p99 %s us (target p50 <= 50 us: %s)\n' \
	    "$lat_n" "$(jget "$dir/lat.json" 'd["tx_stamp"]')" "$p50" \
	    "$(jget "$dir/lat.json" 'd["latency_us"]["p90"]')" \
	    "$(jget "$dir/lat.json" 'd["latency_us"]["p99"]')" \
	    "$(met "$p50 <= 50")"
	cost_stop "$lat_n"
}

bench_register()	# bench_register N: fresh had, N distinct MNs
{
	local n=$1 rate sent
	had_start || return 1
	cost_start
	load register --coa $LOAD_COA -n "$n" --window 512 --progress \
	    --max-time "$max_time" > "$dir/reg$n.json" 2> "$dir/reg$n.err" ||
	    sed 's/^/bench-ha:   /' "$dir/reg$n.err" | tail -3
	print_reg "register $(pretty_n "$n") MNs" "$dir/reg$n.json"
	sent=$(jget "$dir/reg$n.json" 'd["sent"]')
	case "$sent" in -|0) cost_stop "$n" ;; *) cost_stop "$sent" ;; esac
	if [ "$(jget "$dir/reg$n.json" 'd["truncated"]')" = True ]; then
		echo "bench-ha:   stopped after $max_time s (BENCH_HA_MAX_TIME) with $(jget "$dir/reg$n.json" 'd["never_sent"]') MNs never sent"
	fi
	rate=$(jget "$dir/reg$n.json" 'd["rate_per_s"]')
	echo "bench-ha:   target >= 100000 BU/s with had on one CPU: $(met "$rate >= 100000")"
}

# The generator's own ceiling: the same load against a responder that
# answers every BU at once (no had), on the same CPU assignment.
bench_ceiling()
{
	local n=$1
	had_stop
	inns ha taskset -c "$had_cpu" "$bin/mip6load" respond -i ha1 \
	    > "$dir/resp.json" 2> "$dir/resp.err" &
	resp_pid=$!
	sleep 0.5
	# To an address ha's kernel drops silently once the responder's
	# packet socket has seen the BU (had's eBPF drops them likewise).
	load_ha=$NOBODY load register --coa $LOAD_COA -n "$n" --window 512 \
	    > "$dir/ceil.json" 2> "$dir/ceil.err"
	kill "$resp_pid" 2>/dev/null
	wait "$resp_pid" 2>/dev/null
	resp_pid=
	print_reg "ceiling $(pretty_n "$n") (respond)" "$dir/ceil.json"
	had_rate=$(jget "$dir/reg$n.json" 'd["rate_per_s"]')
	ceil=$(jget "$dir/ceil.json" 'd["rate_per_s"]')
	case "$had_rate$ceil" in *-*) ;; *)
		printf 'bench-ha:   had at %s MNs runs at %.2fx the generator ceiling (near 1: the generator, not had, is the limit)\n' \
		    "$(pretty_n "$n")" "$(calc "$had_rate / $ceil")" ;;
	esac
}

# ---------------------------------------------------------------- 2. memory

vmrss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

bench_memory()
{
	local n=$1 pid p m b rss maps bound total detail
	pid=$(had_pid)
	if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "bench-ha: memory: had is not running"
		return
	fi
	rss=0
	for p in $pid $(ps -o pid= --ppid "$pid"); do
		rss=$((rss + $(vmrss_kib "$p")))
	done
	maps=0
	detail=""
	for m in m6_bind m6_mnp m6_local m6_ndp m6_cnt m6_sig; do
		b=$(innet ha bpftool -j map show pinned "$state/$m" 2>/dev/null |
		    python3 -c 'import json,sys; print(json.load(sys.stdin).get("bytes_memlock", 0))' 2>/dev/null)
		maps=$((maps + ${b:-0}))
		detail="$detail $m $(calc "int(${b:-0} / 104857.6) / 10") MiB,"
	done
	bound=$(innet ha "$bin/mip6ctl" -j -s "$dir/had.sock" status 2>/dev/null |
	    python3 -c 'import json,sys; print(json.load(sys.stdin)["bindings"])' 2>/dev/null)
	total=$(calc "$rss / 1024 + $maps / 1048576")
	printf 'bench-ha: memory with %s bindings: had RSS %.1f MiB (parent + engine) + maps %.1f MiB = %.1f MiB' \
	    "${bound:-?}" "$(calc "$rss / 1024")" "$(calc "$maps / 1048576")" \
	    "$total"
	if [ "$n" -ge 1000000 ]; then
		printf ' (target <= 512 MiB for 1M: %s)\n' "$(met "$total <= 512")"
	else
		printf ' (target <= 512 MiB is for 1M bindings; run with BENCH_HA_MAX=1000000)\n'
	fi
	echo "bench-ha:   maps (bytes_memlock; sized by max-bindings 1100000):${detail%,}"
}

# ------------------------------------------------------------- 3. tunnel

iperf_bps()	# iperf_bps DEST LABEL: TCP throughput cn -> DEST in Gbit/s
{
	local srv
	inns mnh iperf3 -s -1 -p 5201 > /dev/null 2>&1 &
	srv=$!
	sleep 0.5
	if [ -n "${BENCH_HA_PERF:-}" ]; then	# a profile of each run
		perf record -a -g -o "$BENCH_HA_PERF/perf-$2.data" -- \
		    ip netns exec "$(ns cn)" iperf3 -c "$1" -p 5201 -t "$secs" -J \
		    > "$dir/iperf-$2.json" 2> /dev/null
	else
		inns cn iperf3 -c "$1" -p 5201 -t "$secs" -J \
		    > "$dir/iperf-$2.json" 2>&1
	fi
	wait "$srv" 2>/dev/null
	# The CPU the run cost per GB received: iperf3's client and server
	# (user + system, which holds the softirq work done in their
	# context: both ends' TCP and the forwarding between them); far less
	# dependent on the other load of the machine than the rate is.
	jget "$dir/iperf-$2.json" '"%.3f" % ((d["end"]["cpu_utilization_percent"]["host_total"] + d["end"]["cpu_utilization_percent"]["remote_total"]) / 100 * d["end"]["sum_received"]["seconds"] / (d["end"]["sum_received"]["bytes"] / 1e9))' \
	    > "$dir/cpu-$2"
	jget "$dir/iperf-$2.json" \
	    'round(d["end"]["sum_received"]["bits_per_second"] / 1e9, 2)'
}

# iperf_both N: plain (port 5201, to mnh's address) and tunneled (5202, to
# the HoA) TCP flows at the same time for the same seconds; prints
# "plain tunneled" in Gbit/s.  Both senders compete for the same CPUs at
# every instant, so their ratio is that of the two paths' costs whatever
# the other load of the machine does meanwhile.
iperf_both()
{
	local s1 s2 c1
	inns mnh iperf3 -s -1 -p 5201 > /dev/null 2>&1 &
	s1=$!
	inns mnh iperf3 -s -1 -p 5202 > /dev/null 2>&1 &
	s2=$!
	sleep 0.5
	inns cn iperf3 -c $MNH_ADDR -p 5201 -t "$secs" -J \
	    > "$dir/iperf-both-plain$1.json" 2>&1 &
	c1=$!
	inns cn iperf3 -c $HOA -p 5202 -t "$secs" -J \
	    > "$dir/iperf-both-tunnel$1.json" 2>&1
	wait "$c1" "$s1" "$s2" 2>/dev/null
	echo "$(jget "$dir/iperf-both-plain$1.json" 'round(d["end"]["sum_received"]["bits_per_second"] / 1e9, 3)')" \
	    "$(jget "$dir/iperf-both-tunnel$1.json" 'round(d["end"]["sum_received"]["bits_per_second"] / 1e9, 3)')"
}

ping_rtt()	# ping_rtt DEST: "median avg loss%" over 200 echoes, in us
{
	inns cn ping -6 -n -c 200 -i 0.01 "$1" 2>/dev/null | python3 -c '
import re, statistics, sys
t = [float(m.group(1)) * 1000 for m in map(re.compile(r"time=([0-9.]+) ms").search, sys.stdin) if m]
if not t:
    print("- - 100"); sys.exit()
print("%.0f %.0f %.1f" % (statistics.median(t), statistics.mean(t), 100 - len(t) / 2))'
}

bench_tunnel()
{
	had_start || return 1
	# Register the HoA 2001:db8:1::b0 (index 0xb0) at the tunnel CoA.
	load register --coa $TUN_COA -n 1 --first-index 176 \
	    > "$dir/tun-reg.json" 2>&1
	if [ "$(jget "$dir/tun-reg.json" 'd["accepted"]')" != 1 ]; then
		echo "bench-ha: tunnel: the registration of $HOA failed:"
		sed 's/^/bench-ha:   /' "$dir/tun-reg.json" | tail -3
		return 1
	fi
	# Interleaved pairs (plain, tunneled, plain, tunneled ...) against
	# the noise of a shared host: each pair sees about the same load, so
	# the median of the pairs' ratios is the figure compared with the
	# target; the medians of each side are printed beside it.
	local i p t pl="" tl="" rl="" pc="" tc=""
	for i in $(seq "$pairs"); do
		p=$(iperf_bps $MNH_ADDR plain$i)
		t=$(iperf_bps $HOA tunnel$i)
		pl="$pl $p" tl="$tl $t"
		pc="$pc $(cat "$dir/cpu-plain$i")" tc="$tc $(cat "$dir/cpu-tunnel$i")"
		case "$p$t" in *-*) continue ;; esac
		rl="$rl $(calc "$t / $p")"
		printf 'bench-ha:   pair %s: plain %s Gbit/s, tunneled %s Gbit/s, ratio %.2f; CPU per GB: plain %s s, tunneled %s s\n' \
		    "$i" "$p" "$t" "$(calc "$t / $p")" \
		    "$(cat "$dir/cpu-plain$i")" "$(cat "$dir/cpu-tunnel$i")"
	done
	plain=$(median $pl) tun=$(median $tl) ratio=$(median $rl)
	pc=$(median $pc) tc=$(median $tc)
	rl=""
	for i in $(seq "$pairs"); do
		set -- $(iperf_both $i)
		case "$1$2" in *-*) continue ;; esac
		rl="$rl $(calc "$2 / $1")"
		printf 'bench-ha:   concurrent %s: plain %s Gbit/s, tunneled %s Gbit/s, ratio %.2f\n' \
		    "$i" "$1" "$2" "$(calc "$2 / $1")"
	done
	cratio=$(median $rl)
	printf 'bench-ha: forwarding TCP cn->mnh (iperf3 %s s, %s interleaved pairs, medians): plain %s Gbit/s, tunneled %s Gbit/s, ratio %s (target >= 0.9: %s)\n' \
	    "$secs" "$pairs" "$plain" "$tun" \
	    "$(case "$ratio" in -) echo - ;; *) calc "int($ratio * 1000 + 0.5) / 1000" ;; esac)" \
	    "$(case "$ratio" in -) echo "not measured" ;; *) met "$ratio >= 0.9" ;; esac)"
	printf 'bench-ha: forwarding TCP cn->mnh, both flows at once (iperf3 %s s, %s runs, median): tunneled/plain %s (target >= 0.9: %s)\n' \
	    "$secs" "$pairs" \
	    "$(case "$cratio" in -) echo - ;; *) calc "int($cratio * 1000 + 0.5) / 1000" ;; esac)" \
	    "$(case "$cratio" in -) echo "not measured" ;; *) met "$cratio >= 0.9" ;; esac)"
	printf 'bench-ha:   CPU per GB received (iperf3 client + server, medians): plain %s s, tunneled %s s: the tunnel costs %s as much\n' \
	    "$pc" "$tc" "$(case "$pc$tc" in *-*) echo - ;; *) calc "int($tc / $pc * 100 + 0.5) / 100" ;; esac)"
	set -- $(ping_rtt $MNH_ADDR)
	printf 'bench-ha: ping6 cn->mnh plain:    median %s us, mean %s us, loss %s%%\n' "$1" "$2" "$3"
	set -- $(ping_rtt $HOA)
	printf 'bench-ha: ping6 cn->HoA tunneled: median %s us, mean %s us, loss %s%%\n' "$1" "$2" "$3"
	innet ha "$bin/mip6ctl" -j -s "$dir/had.sock" counters \
	    > "$dir/counters.json" 2>/dev/null
	printf 'bench-ha:   had counters: tun_encap %s, tun_decap %s\n' \
	    "$(jget "$dir/counters.json" 'd["bpf"]["tun_encap"]')" \
	    "$(jget "$dir/counters.json" 'd["bpf"]["tun_decap"]')"
}

# -------------------------------------------------------------------- main

echo "bench-ha: home agent benchmark ($ncpu CPUs: had on CPU $had_cpu, mip6load on CPU $gen_cpu; noisy on a shared machine)"
if ! topology > "$dir/topo.log" 2>&1; then
	echo "bench-ha: topology setup failed:"
	sed 's/^/bench-ha:   /' "$dir/topo.log" | tail -5
	exit 0
fi
write_conf
ha_mac=$(inns ha cat /sys/class/net/ha1/address)

if [ "${BENCH_HA_ONLY:-}" != tunnel ] && had_start; then
	bench_latency
fi
[ "${BENCH_HA_ONLY:-}" = latency ] && exit 0
bench_tunnel
[ "${BENCH_HA_ONLY:-}" = tunnel ] && exit 0
for n in 10000 100000 1000000; do
	[ "$n" -gt "$max" ] && n=$max
	bench_register "$n" || break
	[ "$n" -ge "$max" ] && break
done
bench_memory "$n"
top=$n
[ "$top" -gt 100000 ] && top=100000
bench_ceiling "$top"
exit 0
