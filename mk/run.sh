#!/bin/sh
# mk/run.sh BUILD - the main job on the built-in default (`make run`).
#
# Until the conformance tester lands, the main job is the capture decoder on
# the built-in sample capture (a mobile node's registration, route
# optimization, NEMO and DSMIPv6 signaling): decoded packets, conformance
# check and per-binding ladder, written to reports/latest/.
set -eu
build=${1:-build}
out=reports/latest
mkdir -p "$out"
"$build/tools/mip6dump/tests/mkpcap_helper" sample "$out/sample.pcap"
"$build/mip6dump" -r "$out/sample.pcap" | tee "$out/sample.txt"
echo
"$build/mip6dump" --ladder -r "$out/sample.pcap" | tee "$out/ladder.txt"
echo
st=0
"$build/mip6dump" --check -r "$out/sample.pcap" > "$out/check.txt" || st=$?
cat "$out/check.txt"
"$build/mip6dump" -j -r "$out/sample.pcap" > "$out/sample.jsonl"
echo "run: wrote $out/sample.pcap, sample.txt, sample.jsonl, ladder.txt, check.txt"
[ "$st" -le 1 ] || exit "$st"
