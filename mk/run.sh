#!/bin/sh
# mk/run.sh BUILD - the main job (`make run`, as root): the whole case
# catalogue against the default node under test, with reports.
#
# The default NUT is the reference home agent, had(8) with its eBPF
# forwarding plane, on a real home link (conformance/nut/mip6kit-ha.nut on
# conformance/topologies/ha-home.topo); set MIP6_NUT to run another
# description (mip6kit-ha-virtual.nut: the virtual home link;
# linux-plain.nut: a Linux node without Mobile IPv6; a vendor's).  mip6conf
# brings each case's topology up as fresh namespaces (mip6topo run id $id)
# and down again; cases that do not apply to the NUT are SKIPs or N/A with
# the reason.  A line per
# case on stderr ("[3/7] CN-0-2-1 PASS 0.41 s"), then the summary:
#
#   TOTAL  cases run; each counts in exactly one column (after TAHI's
#          report; verdict_column() in conformance/engine/verdict.c, the
#          same columns as the HTML report):
#   PASS   PASS
#   FAIL   FAIL, INIT-FAIL, CLEANUP-FAIL and ERROR (the harness could not
#          judge the case: never shown as a pass)
#   WARN   passed, with something significant and unexpected seen
#   SKIP   a capability or topology the NUT lacks
#   N/A    none of the case's roles is the NUT's
#
# Written to reports/latest/: results.tap, results.json, junit.xml,
# pcap/LINK.pcap (every frame of every case, per link) and, when
# build/mip6report exists, the HTML report in html/.
# Exit status: 0 when no case is in the FAIL column, 1 when one is, 2 when
# the run could not start.
set -eu
build=${1:-build}
nut=${MIP6_NUT:-conformance/nut/mip6kit-ha.nut}
out=reports/latest

if [ "$(id -u)" != 0 ]; then
	echo "run: the conformance tester needs root (network namespaces," \
	    "AF_PACKET); run 'sudo make run'" >&2
	exit 2
fi

id="run$(( $$ % 100000 ))"
# mip6conf takes each case's topology down itself; this catches a run
# interrupted in the middle of a case.
trap '"$build/mip6topo" down "$id" >/dev/null 2>&1 || true' EXIT
trap 'exit 130' INT TERM

rm -rf "$out"
mkdir -p "$out/pcap"
ncases=$(find conformance/cases -name '*.case' | wc -l)
echo "run: $ncases cases against $nut" >&2

# Run inside the report folder so that the results name the captures
# pcap/LINK.pcap, as the report folder holds them.
top=$PWD
case "$build" in /*) bin=$build ;; *) bin=$top/$build ;; esac
case "$nut" in /*) ;; *) nut=$top/$nut ;; esac
st=0
(cd "$out" && "$bin/mip6conf" -s "$top/conformance/cases" -n "$nut" \
    --topo-id "$id" --progress --json results.json --junit junit.xml \
    --pcap-dir pcap > results.tap) || st=$?
if [ "$st" -ge 2 ] || [ ! -s "$out/results.json" ]; then
	cat "$out/results.tap" >&2
	echo "run: mip6conf could not run the catalogue (status $st)" >&2
	exit 2
fi

html=""
if [ -x "$build/mip6report" ]; then
	if (cd "$out" && "$bin/mip6report" -o html results.json \
	    >/dev/null 2>mip6report.log &&
	    "$bin/mip6report" -o html --spec "$top/conformance/cases" \
	    >/dev/null 2>>mip6report.log); then
		html=" html/index.html html/spec.html"
		rm -f "$out/mip6report.log"
	else
		echo "run: mip6report failed (see $out/mip6report.log);" \
		    "no HTML report" >&2
	fi
fi

# The summary: the engine's columns (verdict_column(), the same ones the
# HTML report shows), from the JSON results' "summary" object.
column()
{
	grep -o '"columns":{[^}]*}' "$out/results.json" |
	    grep -o "\"$1\":[0-9]*" | cut -d: -f2
}
total=$(grep -o '"summary":{"total":[0-9]*' "$out/results.json" |
    cut -d: -f3)
pass=$(column pass); fail=$(column fail); warn=$(column warn)
skip=$(column skip); na=$(column na)
echo
echo "run: wrote $out/: results.tap results.json junit.xml" \
    $(cd "$out" && ls pcap/*.pcap 2>/dev/null)$html
printf 'TOTAL %d  PASS %d  FAIL %d  WARN %d  SKIP %d  N/A %d\n' \
    "$total" "$pass" "$fail" "$warn" "$skip" "$na"
[ "$fail" -eq 0 ] || exit 1
