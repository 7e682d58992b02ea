#!/bin/sh
# mk/bench-conf.sh BUILD - the conformance engine's benchmark (part of
# `make bench`, root only): per-case overhead and 1 vs N parallel workers.
# It measures and prints; it asserts nothing (targets are read off the
# ratios, never checked by a timed unit test).
#
# The catalogue is BENCH_CASES (default 20) copies of CN-0-1-1 (a Binding
# Update to the plain Linux node of conformance/nut/linux-plain.nut, which
# answers Parameter Problem), each case on fresh namespaces as always.
#   overhead/case = (wall time of the run - the cases' own timelines) / N:
#                   topology up and down, NUT control, device open/close,
#                   result writing; target <= 200 ms (issue 3 §5)
#   topology      = mip6topo up + down of one-link.topo alone
#   inject->capture = send of the BU to capture of the answer (median),
#                   the NUT's own processing included
#   workers       = the same catalogue through Kyua with parallelism=1 and
#                   parallelism=N (N = number of CPUs), as a ratio
set -eu
build=${1:-build}
n=${BENCH_CASES:-20}
workers=${BENCH_WORKERS:-$(nproc)}

if [ "$(id -u)" != 0 ]; then
	echo "bench-conf: skipped (needs root for network namespaces)"
	exit 0
fi
top=$PWD
case "$build" in /*) bin=$build ;; *) bin=$top/$build ;; esac
dir=$(mktemp -d /tmp/mip6bench-conf.XXXXXX)
tag=$(( $$ % 1000 ))
cleanup()
{
	for i in $(seq 1 "$n"); do
		"$bin/mip6topo" down "bc$i$tag" >/dev/null 2>&1 || true
	done
	"$bin/mip6topo" down "bcs$tag" >/dev/null 2>&1 || true
	"$bin/mip6topo" down "bct$tag" >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }

mkdir -p "$dir/cases/cn"
for i in $(seq 1 "$n"); do
	sed -e "s/^case CN-0-1-1/case CN-8-0-$i/" \
	    conformance/cases/cn/CN-0-1-1.case \
	    > "$dir/cases/cn/CN-8-0-$i.case"
done
nut=$top/conformance/nut/linux-plain.nut

echo "bench: conformance engine, $n cases (CN-0-1-1 copies) on fresh namespaces"

# 1. Serial run: wall time against the cases' own timelines.
t0=$(now)
"$bin/mip6conf" -s "$dir/cases" -n "$nut" --topo-id "bcs$tag" \
    --json "$dir/serial.json" > "$dir/serial.tap"
t1=$(now)
wall=$(calc "$t1 - $t0")
python3 - "$dir/serial.json" "$wall" "$n" <<'PY'
import json, statistics, sys
d = json.load(open(sys.argv[1]))
wall, n = float(sys.argv[2]), int(sys.argv[3])
timeline = sum(c["duration_s"] for c in d["cases"])
passed = sum(1 for c in d["cases"] if c["verdict"] == "PASS")
lat = []
for c in d["cases"]:
    sent = [e["t"] for e in c["log"] if e["kind"] == "send"]
    got = [e["t"] for e in c["log"] if e["kind"] == "recv" and e.get("matched")]
    if sent and got:
        lat.append((got[0] - sent[0]) * 1e3)
over = (wall - timeline) / n * 1e3
print("bench: serial run      %7.2f s wall, %5.2f s in case timelines, %d/%d passed"
      % (wall, timeline, passed, n))
print("bench: overhead/case   %7.1f ms (target <= 200 ms: %s)"
      % (over, "met" if over <= 200 else "NOT met"))
if lat:
    print("bench: inject->capture %7.3f ms median (BU sent -> Parameter Problem captured)"
          % statistics.median(lat))
PY

# 2. The topology alone, for the breakdown.
t0=$(now)
for i in $(seq 1 5); do
	"$bin/mip6topo" up -i "bct$tag" -d "$dir/topo" \
	    conformance/topologies/one-link.topo >/dev/null
	"$bin/mip6topo" down "bct$tag" >/dev/null
done
t1=$(now)
printf 'bench: topology up+down %6.1f ms (one-link.topo, mean of 5)\n' \
    "$(calc "($t1 - $t0) / 5 * 1000")"

# 3. Through Kyua, one worker and N workers.
mkdir -p "$dir/k"
cat > "$dir/k/conformance" <<WRAP
#! /bin/sh
for last; do :; done
id=\$(echo "bc\$(echo "\$last" | tr -dc 0-9 | cut -c3-)$tag" | cut -c1-12)
exec "$bin/mip6conf" -s "$dir/cases" -n "$nut" --topo-id "\$id" "\$@"
WRAP
chmod +x "$dir/k/conformance"
printf "syntax(2)\ntest_suite('bench')\natf_test_program{name='conformance'}\n" \
    > "$dir/k/Kyuafile"
kyua_wall()
{
	t0=$(now)
	HOME=$dir kyua -v parallelism="$1" test --kyuafile="$dir/k/Kyuafile" \
	    --build-root="$dir/k" --results-file="$dir/k$1.db" >/dev/null 2>&1 || true
	t1=$(now)
	calc "$t1 - $t0"
}
passed()
{
	HOME=$dir kyua report --results-file="$dir/k$1.db" \
	    --results-filter=passed 2>/dev/null | grep -c -- '->  passed' || true
}
w1=$(kyua_wall 1)
wn=$(kyua_wall "$workers")
printf 'bench: kyua 1 worker   %7.2f s  (%s/%s passed)\n' "$w1" "$(passed 1)" "$n"
printf 'bench: kyua %d workers  %7.2f s  (%s/%s passed; speed-up %.2fx)\n' \
    "$workers" "$wn" "$(passed "$workers")" "$n" "$(calc "$w1 / $wn")"
