#!/bin/sh
# mk/bench.sh BUILD - benchmarks (`make bench`).  Not a test: it measures
# and prints; targets are checked as ratios against baselines run on the
# same machine in the same run, never as absolute timings in a test.
#
# mip6dump: a capture of BENCH_PACKETS (default 1,000,000) mixed mobility
# packets; `mip6dump --check -j` against `tshark -r` on the same file.
# Targets (issue 2): >= 2,000,000 packets/s and >= 20x tshark.
#
# Wall-clock rates depend on what else runs: the load average before the
# runs and mip6dump's CPU time (user + system, all threads) are printed
# beside them, so that a loaded machine can be told from a slow program.
set -eu
build=${1:-build}
n=${BENCH_PACKETS:-1000000}
dir=$(mktemp -d /tmp/mip6bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT INT TERM

now() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }
loadavg() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?"; }

# run_dump: one timed run; sets t (wall seconds) and cpu (CPU seconds, or
# empty without /usr/bin/time).
run_dump() {
	rm -f "$dir/time"
	t0=$(now)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %S' -o "$dir/time" \
		    "$build/mip6dump" --check -j -r "$dir/mixed.pcap" \
		    > /dev/null 2>&1 || [ $? -eq 1 ]
	else
		"$build/mip6dump" --check -j -r "$dir/mixed.pcap" \
		    > /dev/null 2>&1 || [ $? -eq 1 ]
	fi
	t1=$(now)
	t=$(calc "$t1 - $t0")
	cpu=""
	if [ -s "$dir/time" ]; then
		cpu=$(awk 'END { print $1 + $2 }' "$dir/time")
	fi
}

echo "bench: generating $n mixed mobility packets"
"$build/tools/mip6dump/tests/mkpcap_helper" mixed "$n" "$dir/mixed.pcap"
ls -l "$dir/mixed.pcap" | awk '{ printf "bench: capture %.1f MB\n", $5 / 1e6 }'

# Warm the page cache so both tools read from memory.
cat "$dir/mixed.pcap" > /dev/null

echo "bench: load average $(loadavg), $(getconf _NPROCESSORS_ONLN) CPUs"
best=""
best_cpu=""
for _ in 1 2 3; do
	run_dump
	if [ -z "$best" ] || [ "$(calc "($t < $best)")" = 1 ]; then
		best=$t
		best_cpu=$cpu
	fi
done
t0=$(now)
tshark -n -r "$dir/mixed.pcap" -d udp.port==4191,ip > /dev/null 2>&1
t1=$(now)
ts=$(calc "$t1 - $t0")

pps=$(calc "$n / $best")
tpps=$(calc "$n / $ts")
ratio=$(calc "$ts / $best")
printf 'bench: mip6dump --check -j  %8.3f s  %12.0f packets/s (best of 3)\n' \
    "$best" "$pps"
if [ -n "$best_cpu" ]; then
	printf 'bench: mip6dump CPU time    %8.3f s  %12.0f packets/CPU-s\n' \
	    "$best_cpu" "$(calc "$n / ($best_cpu > 0 ? $best_cpu : 1)")"
fi
printf 'bench: tshark -r            %8.3f s  %12.0f packets/s\n' "$ts" "$tpps"
printf 'bench: ratio mip6dump/tshark %.1fx (target >= 20x)\n' "$ratio"
printf 'bench: rate target 2000000 packets/s: %s\n' \
    "$( [ "$(calc "($pps >= 2000000)")" = 1 ] && echo met || echo NOT met)"
echo "bench: load average after $(loadavg)"
