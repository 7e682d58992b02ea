#!/bin/sh
# mk/bench-mn.sh BUILD - the mobile node's benchmark (issue 5; part of
# `make bench`, root only).  It measures and prints next to each result
# its target; it never fails on a target (on a broken setup it prints why
# and goes on with what it can still measure).
#
# Topology (network namespaces m6m-<pid>-X, removed by a trap):
#
#   cn --(linkc)-- ha --(la)-- mn      ha: had, radvd on la and lb
#                  |  \--(lb)--/       mn: mip6busd, mdd, mnd (la, lb)
#                (linkh) home -- home  cn: cnd (its own mip6busd)
#
#   cn    linkc 2001:db8:5::10/64, default via 2001:db8:5::1
#   ha    linkc 2001:db8:5::1/64, la 2001:db8:a::1/64, lb 2001:db8:b::1/64,
#         linkh 2001:db8:1::1/64 (HA address; the home link, nobody on it)
#   mn    home address 2001:db8:1::b0, care-of addresses by SLAAC from
#         radvd's RAs on la (2001:db8:a::/64) and lb (2001:db8:b::/64)
#
# radvd sends unsolicited RAs every 30..70 ms (MinRtrAdvInterval 0.03,
# MaxRtrAdvInterval 0.07: the fastest RFC 6275 §7.5 allows), so new-network
# detection takes up to 70 ms after the link comes up.  mdd sets
# ignore_routes_with_linkdown on the managed interfaces: otherwise the
# kernel keeps sending through the old link's router until its neighbour
# entry fails, about 5 s after the move.
#
#   1. Handover latency.  The MN is attached to one foreign link at a
#      time.  One handover: the old link loses carrier (its ha end goes
#      down; the mn end stays up so the captures go on), the old link's
#      global addresses are flushed (a different network: nothing of it
#      survives), the new link gets carrier; SLAAC configures a fresh CoA
#      from the next RA, mdd tells mnd, mnd registers with had.  While it
#      happens cn pings the HoA every 1 ms.  mip6dump captures on mn's la
#      and lb (pcap timestamps); per handover: t_link (the script's clock
#      just before the link change), t_ra (first RA on the new link),
#      t_ba (first BA from the HA on the new link), t_data (first packet
#      tunneled from the HA to the new link carrying cn's echo request,
#      after the BA).  BENCH_MN_HANDOVERS handovers (default 100) with
#      mdd `optimistic-dad yes`, as many with `no` (plain DAD: the kernel's
#      DupAddrDetectTransmits 1 x RetransTimer 1000 ms after a random delay
#      of up to rtr_solicit_delay 1000 ms).  Target: link change -> BA
#      median <= 50 ms with optimistic DAD.
#   2. Return routability + CN registration: cnd started fresh (its pinned
#      state removed with --cleanup; mnd's BUL entry for cn dropped with
#      `mip6ctl reset`), cn pings the HoA every 1 ms; from the RR hint
#      (first tunneled packet from cn reaching mn) to the BA from cn and to
#      the first route-optimised packet (RH2) from cn.  BENCH_MN_RR runs
#      (default 20).
#   3. Throughput: iperf3 TCP cn <-> HoA with route optimisation, and
#      through the HA's tunnel (cnd stopped), against plain routed IPv6 cn
#      <-> mn's CoA over the same links, both directions.  Target RO/plain
#      >= 0.95.  Route MTUs are pinned for the 24-octet RH2/HAO (1476)
#      and the 40-octet tunnel header (1460), the values the daemons'
#      Packet Too Big would teach the senders (stack/bpf/tests/
#      pmtu_netns_test.sh tests that), so that each run measures the
#      steady state and not path MTU discovery; plain routing keeps the
#      links' 1500.  The captures are stopped during these runs.  Each
#      figure is BENCH_MN_IPERF_PAIRS interleaved pairs (a plain run, then
#      at once the tunneled or route-optimised one, so both see about the
#      same load); the ratio compared with the target is the median of
#      the pairs' ratios.  Per run also the CPU time per GB of iperf3's
#      client and server (softirq work in their context included), far
#      less dependent on the machine's other load than the rates.
#
# Environment: BENCH_MN_HANDOVERS (100), BENCH_MN_RR (20),
# BENCH_MN_IPERF_SECS (5), BENCH_MN_IPERF_PAIRS (3), BENCH_MN_MODES
# ("yes no": the optimistic-dad settings to run), BENCH_MN_KEEP=1 (keep
# the logs and captures), BENCH_MN_ONLY=throughput (part 3 alone: quick
# before/after runs), BENCH_MN_PERF=DIR (a system-wide perf record of
# every iperf3 run, DIR/perf-LABEL.data).  The machine is shared: read
# the numbers with the load average printed beside them.
set -u
build=${1:-build}
handovers=${BENCH_MN_HANDOVERS:-100}
rr_runs=${BENCH_MN_RR:-20}
secs=${BENCH_MN_IPERF_SECS:-5}
pairs=${BENCH_MN_IPERF_PAIRS:-3}

say() { echo "bench-mn: $*"; }

if [ "$(id -u)" != 0 ]; then
	say "skipped (needs root for network namespaces)"
	exit 0
fi
case "$build" in /*) bin=$build ;; *) bin=$PWD/$build ;; esac
for p in had mnd mdd cnd mip6busd mip6ctl mip6dump; do
	if [ ! -x "$bin/$p" ]; then
		say "skipped ($bin/$p not built)"
		exit 0
	fi
done
for p in radvd iperf3 ping python3 nsenter; do
	if ! command -v "$p" >/dev/null 2>&1; then
		say "skipped ($p not installed: mk/deps.sh)"
		exit 0
	fi
done

tag=m6m-$$
dir=$(mktemp -d /tmp/mip6bench-mn.XXXXXX)
state=/sys/fs/bpf/$tag
NS="cn ha mn home"
HA_ADDR=2001:db8:1::1
HOA=2001:db8:1::b0
CN=2001:db8:5::10

# ns, innet, loadavg, calc, ctl, wait_for, bgin, stop, median, rratio:
. "$(dirname "$0")/bench.subr"
now() { date +%s.%N; }
# pfx IFNAME: the start of the CoAs SLAAC makes on mn's IFNAME
pfx() { case $1 in la) echo 2001:db8:a: ;; *) echo 2001:db8:b: ;; esac; }

# ------------------------------------------------------------ processes

# bg NAME CMD...: start CMD in the background, its pid in NAME.pid.
bg() {
	_name=$1
	shift
	"$@" >> "$dir/$_name.log" 2>&1 &
	echo $! > "$dir/$_name.pid"
}

cleanup() {
	for p in ping iperf iperf2 cap_la cap_lb cnd cnbusd mnd mdd busd radvd had; do
		stop "$p"
	done
	[ -f "$dir/cnd.conf" ] &&
	    innet cn "$bin/cnd" -f "$dir/cnd.conf" --cleanup >/dev/null 2>&1
	[ -f "$dir/mnd.conf" ] &&
	    innet mn "$bin/mnd" -f "$dir/mnd.conf" --cleanup >/dev/null 2>&1
	[ -f "$dir/had.conf" ] &&
	    innet ha "$bin/had" -f "$dir/had.conf" --cleanup >/dev/null 2>&1
	for x in $NS; do
		ip netns pids "$(ns "$x")" 2>/dev/null | xargs -r kill -KILL
		ip netns del "$(ns "$x")" 2>/dev/null
	done
	rm -rf "$state"
	if [ "${BENCH_MN_KEEP:-0}" = 1 ]; then
		echo "bench-mn: kept $dir"
	else
		rm -rf "$dir"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------- topology

veth() {	# veth NODE1 NODE2 IFNAME (the same name at both ends)
	ip link add "$3" netns "$(ns "$1")" type veth peer name "$3" \
	    netns "$(ns "$2")" || return 1
	ip -n "$(ns "$1")" link set "$3" up
	ip -n "$(ns "$2")" link set "$3" up
}

topology() {
	for x in $NS; do
		ip netns add "$(ns "$x")" || return 1
		ip -n "$(ns "$x")" link set lo up
	done
	for x in cn ha home; do
		# keep_addr_on_down: ha's addresses survive its link going
		# down (the handovers take the ha end of la/lb down)
		innet "$x" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		    net.ipv6.conf.default.accept_dad=0 \
		    net.ipv6.conf.all.keep_addr_on_down=1 \
		    net.ipv6.conf.default.keep_addr_on_down=1
	done
	veth cn ha linkc && veth ha home linkh && veth ha mn la &&
	    veth ha mn lb || return 1
	ip -n "$(ns cn)" -6 addr add $CN/64 dev linkc nodad
	ip -n "$(ns ha)" -6 addr add 2001:db8:5::1/64 dev linkc nodad
	ip -n "$(ns ha)" -6 addr add 2001:db8:a::1/64 dev la nodad
	ip -n "$(ns ha)" -6 addr add 2001:db8:b::1/64 dev lb nodad
	ip -n "$(ns ha)" -6 addr add $HA_ADDR/64 dev linkh nodad
	innet ha sysctl -qw net.ipv6.conf.all.forwarding=1
	ip -n "$(ns cn)" -6 route add default via 2001:db8:5::1
	# mn starts on la: lb has no carrier
	ip -n "$(ns ha)" link set lb down
}

start_had() {
	cat > "$dir/had.conf" <<EOF
# written by mk/bench-mn.sh
interface linkc
interface la
interface lb
interface linkh home-link
home-prefix 2001:db8:1::/64
home-agent-address $HA_ADDR
authentication none
default-policy allow
dad-transmits 0
router-advertisements no
state-dir "$state/had"
control-socket "$dir/had.sock"
user "nobody"
EOF
	bgin had ha "$bin/had" -d -f "$dir/had.conf"
	wait_for 15 ctl had status
}

start_radvd() {
	: > "$dir/radvd.conf"
	for l in la:a lb:b; do
		cat >> "$dir/radvd.conf" <<EOF
interface ${l%%:*} {
	AdvSendAdvert on;
	MinRtrAdvInterval 0.03;
	MaxRtrAdvInterval 0.07;
	MinDelayBetweenRAs 0.03;
	AdvIntervalOpt on;
	AdvSourceLLAddress on;
	AdvDefaultLifetime 30;
	prefix 2001:db8:${l#*:}::/64 { AdvOnLink on; AdvAutonomous on; };
};
EOF
	done
	bgin radvd ha radvd -n -C "$dir/radvd.conf" -p "$dir/radvd.pidf" \
	    -m stderr
}

start_busd() {	# start_busd NAME PATH
	bg "$1" "$bin/mip6busd" -d -b "$2" -s "$dir/$1.sock"
	wait_for 10 test -S "$2"
}

start_mdd() {	# start_mdd yes|no: optimistic DAD
	stop mdd
	cat > "$dir/mdd.conf" <<EOF
# written by mk/bench-mn.sh
interface la preference 10;
interface lb preference 20;
home-prefix 2001:db8:1::/64;
optimistic-dad $1;
ra-loss-intervals 10;
ra-interval-default 1000;
bus $dir/bus;
control-socket $dir/mdd.sock;
EOF
	bgin mdd mn "$bin/mdd" -d -f "$dir/mdd.conf"
	wait_for 15 ctl mdd status || return 1
	# mdd sets these with `yes`; with `no` the kernel's plain DAD must
	# not be left optimistic by the previous run
	_v=0
	[ "$1" = yes ] && _v=1
	for l in la lb; do
		innet mn sysctl -qw net.ipv6.conf.$l.optimistic_dad=$_v \
		    net.ipv6.conf.$l.use_optimistic=$_v
	done
}

start_mnd() {	# start_mnd yes|no: route optimisation
	stop mnd
	cat > "$dir/mnd.conf" <<EOF
# written by mk/bench-mn.sh
interface la;
interface lb;
home-address $HOA/64 home-agent $HA_ADDR;
lifetime 600;
bus $dir/bus;
control-socket $dir/mnd.sock;
state-dir $state/mnd;
route-optimization $1;
EOF
	bgin mnd mn "$bin/mnd" -d -v -f "$dir/mnd.conf"
	wait_for 15 ctl mnd status
}

start_cnd() {	# a fresh cnd: its pinned state removed first
	stop cnd
	cat > "$dir/cnd.conf" <<EOF
# written by mk/bench-mn.sh
interface linkc;
control-socket $dir/cnd.sock;
state-dir $state/cnd;
bus $dir/cnbus;
EOF
	innet cn "$bin/cnd" -f "$dir/cnd.conf" --cleanup >/dev/null 2>&1
	bgin cnd cn "$bin/cnd" -d -f "$dir/cnd.conf"
	wait_for 15 ctl cnd status
}

# capture: mip6dump on mn's la and lb, as JSON lines with the pcap
# timestamps, what arrives directly over ICMPv6 (RAs), IPv6-in-IPv6
# (from the HA), with a RH2 (BAs, route-optimised packets) or as a
# Mobility Header; until capture_stop (not during the throughput runs).
capture() {
	for _l in la lb; do
		_n=$(listening "$_l")
		bgin "cap_$_l" mn "$bin/mip6dump" -a -j -i "$_l" "inbound and" \
		    "(icmp6 or ip6 proto 41 or ip6 proto 43 or ip6 proto 135)"
		wait_for 10 listening "$_l" "$_n"
	done
}

# listening IFNAME [N]: how many captures on IFNAME have started; with
# N, whether more than N have.
listening() {
	_c=$(grep -c "listening on" "$dir/cap_$1.log" 2>/dev/null)
	[ -n "${2:-}" ] || { echo "${_c:-0}"; return 0; }
	[ "${_c:-0}" -gt "$2" ]
}

capture_stop() {
	stop cap_la
	stop cap_lb
}

# bul_has EXPR: some entry b of mnd's binding update list satisfies EXPR
# (Python).
bul_has() {
	ctl mnd bul > "$dir/bul.json" || return 1
	python3 - "$dir/bul.json" "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if any(eval(sys.argv[2]) for b in d["bul"]) else 1)
PY
}

# The home registration is BOUND at a CoA in PREFIX.
bound_at() {	# bound_at PREFIX
	bul_has "b['home'] and b['reg_state'] == 'BOUND' and b['coa'].startswith('$1')"
}

# The BUL entry with cn is BOUND (route optimisation in place).
ro_bound() {
	bul_has "b['peer'] == '$CN' and b['reg_state'] == 'BOUND'"
}

no_ro_entry() {
	ctl mnd bul > "$dir/bul.json" || return 1
	! grep -q "\"$CN\"" "$dir/bul.json"
}

ping_start() {	# cn pings the HoA every 1 ms
	bgin ping cn ping -6 -n -q -i 0.001 -s 56 $HOA
}

# ----------------------------------------------------------- 1. handovers

other() { [ "$1" = la ] && echo lb || echo la; }

# handover MODE N FROM TO: one move; appends "N MODE TO t_link ok" to
# handovers.txt.
handover() {
	ping_start
	sleep 0.05
	_t=$(now)
	ip -n "$(ns ha)" link set "$3" down
	ip -n "$(ns mn)" -6 addr flush dev "$3" scope global
	ip -n "$(ns ha)" link set "$4" up
	_ok=1
	_pfx=$(pfx "$4")
	wait_for 10 bound_at "$_pfx" || _ok=0
	sleep 0.1	# the echo requests that follow the BA
	stop ping
	echo "$2 $1 $4 $_t $_ok" >> "$dir/handovers.txt"
}

bench_handovers() {	# bench_handovers yes|no
	start_mdd "$1" || { say "mdd did not start"; return 1; }
	_pfx=$(pfx "$cur")
	wait_for 20 bound_at "$_pfx" || {
		say "no home registration on $cur:"
		tail -3 "$dir/mnd.log" | sed 's/^/bench-mn:   /'
		return 1
	}
	sleep 0.3
	i=1
	while [ $i -le "$handovers" ]; do
		_to=$(other "$cur")
		handover "$1" $i "$cur" "$_to"
		cur=$_to
		sleep 0.2
		i=$((i + 1))
	done
}

# ------------------------------------------------------------- 2. RR + BU

bench_rr() {
	sleep 2		# the last tunneled TCP segments of the iperf3 runs
	start_cnd || { say "RR: cnd did not start"; return 1; }
	start_mnd yes
	_pfx=$(pfx "$cur")
	wait_for 20 bound_at "$_pfx" || { say "RR: no home registration"; return 1; }
	r=1
	while [ $r -le "$rr_runs" ]; do
		# no correspondent binding (cnd stopped, its pins removed),
		# no BUL entry for cn (mip6ctl reset), then a fresh cnd: the
		# next tunneled packet from cn starts RR again
		stop cnd
		innet cn "$bin/cnd" -f "$dir/cnd.conf" --cleanup >/dev/null 2>&1
		ctl mnd reset > /dev/null
		sleep 0.5
		wait_for 10 no_ro_entry
		wait_for 20 bound_at "$_pfx"
		start_cnd || { say "RR: cnd did not start"; return 1; }
		# at least 1 s between runs: mn.bpf.c raises one hint a second
		sleep 1.1
		_t=$(now)
		ping_start
		_ok=1
		wait_for 10 ro_bound || _ok=0
		sleep 0.1
		stop ping
		echo "$r $cur $_t $_ok" >> "$dir/rr.txt"
		r=$((r + 1))
	done
}

# ------------------------------------------------------------ analysis

analyse() {	# analyse handovers|rr
	python3 - "$1" "$dir" "$HA_ADDR" "$CN" "$HOA" <<'PY'
import json, os, sys

what, d, ha, cn, hoa = sys.argv[1:6]

def classify(p):
    """ra, ba-SRC, tun-data (cn's echo request tunneled by the HA),
    ro-data (cn's echo request with a RH2), or None."""
    pk = p.get("packet", {})
    ls = pk.get("layers", [])
    ip6 = [l for l in ls if l.get("kind") == "ipv6"]
    if not ip6:
        return None
    src = ip6[0].get("src")
    icmp_type = pk.get("icmp6", {}).get("type")
    if icmp_type == 134:
        return "ra"
    if icmp_type == 128:
        if len(ip6) > 1 and src == ha and ip6[1].get("src") == cn:
            return "tun-data"
        if len(ip6) == 1 and src == cn and any(
                l.get("kind") == "routing" and l.get("type") == 2
                for l in ls):
            return "ro-data"
    if pk.get("mh", {}).get("type") == 6:
        return "ba-" + str(src)
    return None

def packets(ifname):
    out = []
    try:
        f = open(os.path.join(d, "cap_%s.log" % ifname))
    except OSError:
        return out
    for line in f:
        try:
            p = json.loads(line)
        except ValueError:
            continue
        k = classify(p)
        if k:
            out.append((float(p["ts"]), k))
    return out

caps = {i: packets(i) for i in ("la", "lb")}

def first(ifname, after, before, kind):
    for ts, k in caps[ifname]:
        if after <= ts < before and k == kind:
            return ts
    return None

def pct(v, q):
    v = sorted(v)
    if not v:
        return None
    k = max(0, min(len(v) - 1, int(-(-q * len(v) // 100)) - 1))
    return v[k]

def ms(x):
    return "-" if x is None else "%.1f" % (x * 1000)

def line(label, v, n, target=None):
    med, p99 = pct(v, 50), pct(v, 99)
    s = "%-26s median %7s ms  p99 %7s ms  (%d of %d)" % (
        label, ms(med), ms(p99), len(v), n)
    if target is not None:
        s += "  target median <= %d ms: %s" % (target, "not measured"
             if med is None else ("met" if med * 1000 <= target
                                  else "NOT met"))
    print("bench-mn:   " + s)

if what == "handovers":
    rows = [l.split() for l in open(os.path.join(d, "handovers.txt"))]
    for mode in ("yes", "no"):
        rs = [r for r in rows if r[1] == mode]
        if not rs:
            continue
        iv = {k: [] for k in ("lba", "rba", "ldata", "rdata", "lra")}
        for j, r in enumerate(rs):
            to, t0 = r[2], float(r[3])
            end = float(rs[j + 1][3]) if j + 1 < len(rs) else 1e18
            tra = first(to, t0, end, "ra")
            tba = first(to, t0, end, "ba-" + ha)
            tda = first(to, tba, end, "tun-data") if tba else None
            if tra:
                iv["lra"].append(tra - t0)
            if tba:
                iv["lba"].append(tba - t0)
                if tra and tra <= tba:
                    iv["rba"].append(tba - tra)
            if tda:
                iv["ldata"].append(tda - t0)
                if tra:
                    iv["rdata"].append(tda - tra)
        n = len(rs)
        print("bench-mn: handovers with optimistic-dad %s%s:" % (mode,
              "" if mode == "yes" else
              " (plain DAD: 1 x 1000 ms after up to 1000 ms random delay)"))
        line("link change -> first RA", iv["lra"], n)
        line("link change -> BA", iv["lba"], n, 50 if mode == "yes" else None)
        line("new RA -> BA", iv["rba"], n)
        line("link change -> first data", iv["ldata"], n)
        line("new RA -> first data", iv["rdata"], n)
        lra, lba = pct(iv["lra"], 50), pct(iv["lba"], 50)
        if lra is None or lba is None:
            continue
        if mode == "yes":
            print("bench-mn:   bound: the first RA on the new link (radvd's"
                  " interval, its reaction to the link coming up) takes"
                  " %s of the %s ms median" % (ms(lra), ms(lba)))
        else:
            print("bench-mn:   bound: DAD of the new CoA after the first RA"
                  " takes most of the %s ms median (new RA -> BA %s ms)"
                  % (ms(lba), ms(pct(iv["rba"], 50))))
else:
    rows = [l.split() for l in open(os.path.join(d, "rr.txt"))]
    hint, ba, ro = [], [], []
    for j, r in enumerate(rows):
        ifn, t0 = r[1], float(r[2])
        end = float(rows[j + 1][2]) if j + 1 < len(rows) else 1e18
        th = first(ifn, t0, end, "tun-data")
        # a run where cn already had a binding (RH2 before the hint)
        # measures nothing
        early = first(ifn, t0, th, "ro-data") if th else None
        if early:
            continue
        tb = first(ifn, th, end, "ba-" + cn) if th else None
        tr = first(ifn, tb, end, "ro-data") if tb else None
        if tb:
            ba.append(tb - th)
        if tr:
            ro.append(tr - th)
    n = len(rows)
    print("bench-mn: return routability + CN registration (cnd, fresh each run):")
    line("RR hint -> BA from cn", ba, n)
    line("RR hint -> first RO packet", ro, n)
PY
}

# ---------------------------------------------------------- 3. throughput

iperf_gbps() {	# iperf_gbps DEST LABEL [-R]: TCP cn -> DEST (or back with -R)
	bgin iperf mn iperf3 -s -1 -p 5201
	sleep 0.5
	if [ -n "${BENCH_MN_PERF:-}" ]; then	# a profile of each run
		perf record -a -g -o "$BENCH_MN_PERF/perf-$2.data" -- \
		    nsenter --net="/run/netns/$(ns cn)" iperf3 -c "$1" \
		    -p 5201 -t "$secs" -J ${3:-} > "$dir/iperf-$2.json" \
		    2> /dev/null
	else
		innet cn iperf3 -c "$1" -p 5201 -t "$secs" -J ${3:-} \
		    > "$dir/iperf-$2.json" 2>&1
	fi
	stop iperf
	# and to $dir/cpu-LABEL the CPU time per GB received of iperf3's
	# client and server (the softirq work in their context included):
	# far less dependent on the load of the machine than the rate
	python3 - "$dir/iperf-$2.json" "$dir/cpu-$2" <<'PY' 2>/dev/null || echo -
import json, sys
d = json.load(open(sys.argv[1]))
e = d["end"]
with open(sys.argv[2], "w") as f:
    c = e["cpu_utilization_percent"]
    f.write("%.3f\n" % ((c["host_total"] + c["remote_total"]) / 100 *
            e["sum_received"]["seconds"] / (e["sum_received"]["bytes"] / 1e9)))
print(round(e["sum_received"]["bits_per_second"] / 1e9, 2))
PY
}

# interleaved LABEL DEST MTU [-R]: BENCH_MN_IPERF_PAIRS pairs of runs,
# each a plain one (cn <-> the CoA, route MTUs at the links' 1500) at
# once followed by a LABEL one (cn <-> DEST, route MTUs pinned at MTU),
# so that both runs of a pair see about the same load of the shared
# machine.  Prints "plain LABEL ratio", each the median over the pairs
# (the ratio: the median of the pairs' ratios), in Gbit/s; the pairs go
# to $dir/pairs.txt.
interleaved() {
	_pl= _xl= _rl=
	for _i in $(seq "$pairs"); do
		pin_mtu 1500
		_p=$(iperf_gbps "$_coa" "plain-$1${4:-}-$_i" ${4:-})
		pin_mtu "$3"
		_x=$(iperf_gbps "$2" "$1${4:-}-$_i" ${4:-})
		_pl="$_pl $_p" _xl="$_xl $_x"
		_pc="$(cat "$dir/cpu-plain-$1${4:-}-$_i" 2>/dev/null || echo -)"
		_xc="$(cat "$dir/cpu-$1${4:-}-$_i" 2>/dev/null || echo -)"
		case "$_p$_x" in *-*) continue ;; esac
		_rl="$_rl $(calc "$_x / $_p")"
		printf '%s %s pair %s: plain %s, %s %s, ratio %.2f; CPU s per GB: plain %s, %s %s\n' "$1" \
		    "$([ -n "${4:-}" ] && echo "mn -> cn" || echo "cn -> mn")" \
		    "$_i" "$_p" "$1" "$_x" "$(calc "$_x / $_p")" "$_pc" "$1" \
		    "$_xc" >> "$dir/pairs.txt"
	done
	echo "$(median $_pl) $(median $_xl) $(median $_rl)"
}

# pin_both MTU: route MTUs for the concurrent runs: cn -> HoA and, on mn,
# from the HoA (a source-specific route) pinned at MTU; cn <-> the CoA
# keeps the links' 1500.
pin_both() {
	pin_mtu 1500
	ip -n "$(ns mn)" -6 route replace 2001:db8:5::/64 from $HOA \
	    via "$_ll" dev "$cur" mtu "$1"
	ip -n "$(ns cn)" -6 route replace $HOA/128 via 2001:db8:5::1 mtu "$1"
}

# concurrent LABEL DEST MTU [-R]: BENCH_MN_IPERF_PAIRS runs of a plain
# flow (cn <-> the CoA) and a LABEL flow (cn <-> DEST) at the same time:
# both senders compete for the same CPUs at every instant, so the ratio
# of their rates is that of the two paths' costs whatever the other load
# of the machine does meanwhile.  Prints the median ratio; the runs go to
# $dir/pairs.txt.
concurrent() {
	_rl=
	pin_both "$3"
	for _i in $(seq "$pairs"); do
		bgin iperf mn iperf3 -s -1 -p 5201
		bgin iperf2 mn iperf3 -s -1 -p 5202
		sleep 0.5
		innet cn iperf3 -c "$_coa" -p 5201 -t "$secs" -J ${4:-} \
		    > "$dir/iperf-both-plain.json" 2>&1 &
		_c=$!
		innet cn iperf3 -c "$2" -p 5202 -t "$secs" -J ${4:-} \
		    > "$dir/iperf-both-$1.json" 2>&1
		wait "$_c"
		stop iperf
		stop iperf2
		set -- "$1" "$2" "$3" "${4:-}" $(for _f in plain "$1"; do
			python3 - "$dir/iperf-both-$_f.json" <<'PY' 2>/dev/null || echo -
import json, sys
d = json.load(open(sys.argv[1]))
print(round(d["end"]["sum_received"]["bits_per_second"] / 1e9, 3))
PY
		done)
		case "$5$6" in *-*) set -- "$1" "$2" "$3" "$4"; continue ;; esac
		_rl="$_rl $(calc "$6 / $5")"
		printf '%s %s at once %s: plain %s, %s %s, ratio %.2f\n' "$1" \
		    "$([ -n "$4" ] && echo "mn -> cn" || echo "cn -> mn")" \
		    "$_i" "$5" "$1" "$6" "$(calc "$6 / $5")" >> "$dir/pairs.txt"
		set -- "$1" "$2" "$3" "$4"
	done
	ip -n "$(ns mn)" -6 route del 2001:db8:5::/64 from $HOA 2>/dev/null
	echo "$(median $_rl)"
}

# throughput LABEL DEST MTU: interleaved pairs each way; prints the
# medians cn -> DEST (plain, LABEL, ratio), then DEST -> cn
throughput() {
	echo "$(interleaved "$1" "$2" "$3")" "$(interleaved "$1" "$2" "$3" -R)" \
	    "$(concurrent "$1" "$2" "$3")" "$(concurrent "$1" "$2" "$3" -R)"
}

# The current CoA (global, on the current link).
coa() {
	ip -n "$(ns mn)" -6 -o addr show dev "$cur" scope global |
	    sed -n 's|.*inet6 \([^/]*\)/.*|\1|p' | head -1
}

# Pin the route MTUs between cn and mn for MTU (see the header).
pin_mtu() {
	_ll=$(ip -n "$(ns ha)" -6 -o addr show dev "$cur" scope link |
	    sed 's|.*inet6 \([^/]*\)/.*|\1|')
	ip -n "$(ns cn)" -6 route replace $HOA/128 via 2001:db8:5::1 mtu "$1"
	ip -n "$(ns mn)" -6 route replace 2001:db8:5::/64 via "$_ll" \
	    dev "$cur" mtu "$1"
}

bench_throughput_plain_tunnel() {
	_coa=$(coa)
	: > "$dir/pairs.txt"
	throughput tunnel $HOA 1460 > "$dir/tp"	# the 40-octet IPv6-in-IPv6 header
	read -r tplain_fwd tun_fwd tun_rfwd tplain_rev tun_rev tun_rrev \
	    tun_cfwd tun_crev < "$dir/tp"
}

bench_throughput_ro() {
	_coa=$(coa)
	ro_bound || ping_ro
	throughput ro $HOA 1476 > "$dir/tp"	# the 24-octet RH2 (cn -> mn) / HAO (mn -> cn)
	read -r plain_fwd ro_fwd ro_rfwd plain_rev ro_rev ro_rrev \
	    ro_cfwd ro_crev < "$dir/tp"
	ctl mnd counters > "$dir/mn-counters.json"
	say "throughput TCP (iperf3 $secs s, $pairs interleaved pairs per figure, medians, Gbit/s):"
	sed 's/^/bench-mn:   /' "$dir/pairs.txt"
	say "  cn -> mn: plain $plain_fwd, route-optimised $ro_fwd (plain $tplain_fwd beside tunneled $tun_fwd)"
	say "  mn -> cn: plain $plain_rev, route-optimised $ro_rev (plain $tplain_rev beside tunneled $tun_rev)"
	say "  RO/plain, both flows at once: cn -> mn $(rratio "$ro_cfwd" 0.95)"
	say "  RO/plain, both flows at once: mn -> cn $(rratio "$ro_crev" 0.95)"
	say "  RO/plain, interleaved pairs: cn -> mn $(rratio "$ro_rfwd" 0.95)"
	say "  RO/plain, interleaved pairs: mn -> cn $(rratio "$ro_rrev" 0.95)"
	say "  tunneled/plain (for information): interleaved cn -> mn $(rratio "$tun_rfwd"), mn -> cn $(rratio "$tun_rrev"); at once cn -> mn $(rratio "$tun_cfwd"), mn -> cn $(rratio "$tun_crev")"
	python3 - "$dir/mn-counters.json" <<'PY' 2>/dev/null
import json, sys
b = json.load(open(sys.argv[1]))["bpf"]
print("bench-mn:   mn.bpf.c counters: hao_insert %s, rh2_strip %s" %
      (b.get("hao_insert"), b.get("rh2_strip")))
PY
}

# ping_ro: traffic through the tunnel until the RO entry is bound again
ping_ro() {
	ping_start
	wait_for 15 ro_bound
	stop ping
}

# -------------------------------------------------------------------- main

say "mobile node benchmark: load average $(loadavg), $(nproc) CPUs (shared machine: pessimistic numbers)"
say "RAs every 30..70 ms (radvd MinRtrAdvInterval 0.03, MaxRtrAdvInterval 0.07): new-network detection takes up to 70 ms"
if ! topology > "$dir/topo.log" 2>&1; then
	say "topology setup failed:"
	sed 's/^/bench-mn:   /' "$dir/topo.log" | tail -5
	exit 0
fi
start_radvd
start_busd busd "$dir/bus" && start_busd cnbusd "$dir/cnbus" &&
    start_had && start_mnd no || {
	say "setup failed:"
	tail -3 "$dir"/*.log | sed 's/^/bench-mn:   /'
	exit 0
}
cur=la
if [ "${BENCH_MN_ONLY:-}" = throughput ]; then
	# Part 3 alone (quick before/after runs): register, then RO.
	start_mdd yes && wait_for 20 bound_at "$(pfx "$cur")" ||
	    say "no home registration"
	bench_throughput_plain_tunnel
	start_cnd && start_mnd yes &&
	    wait_for 20 bound_at "$(pfx "$cur")" && bench_throughput_ro
	say "load average after $(loadavg)"
	exit 0
fi
capture
: > "$dir/handovers.txt"
say "handovers: $handovers with optimistic DAD, $handovers without (cn pings the HoA every 1 ms)"
for m in ${BENCH_MN_MODES:-yes no}; do
	bench_handovers "$m"
done
capture_stop
analyse handovers
bench_throughput_plain_tunnel
: > "$dir/rr.txt"
capture
if bench_rr; then
	capture_stop
	analyse rr
	bench_throughput_ro
fi
say "load average after $(loadavg)"
exit 0
