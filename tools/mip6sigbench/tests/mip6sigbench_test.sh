#! /usr/bin/env atf-sh
# mip6sigbench_test.sh - mip6sigbench(1): a short run completes its
# self-checked rounds (one BU, one BA of status 0 per round, the MN BOUND)
# on every path and reports four steps for three paths in its JSON;
# usage errors exit 2.  Timings are not judged (make bench does that).

SIGBENCH="@BUILDDIR@/mip6sigbench"

atf_test_case json_short_run
json_short_run_head()
{
	atf_set descr "-j -n 300: every round checked, 4 steps x 3 paths"
}
json_short_run_body()
{
	atf_check -o save:out.json "$SIGBENCH" -j -n 300
	atf_check python3 - out.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["rounds"] == 300, d["rounds"]
assert d["target_ns"] == 50000, d["target_ns"]
steps = [s["step"] for s in d["steps"]]
assert steps == ["MN sends BU", "HA receives BU", "HA sends BA",
                 "MN receives BA"], steps
for s in d["steps"]:
    assert sorted(s["paths"]) == ["ipv6", "v4coa-udp", "v4hoa"], s
    for p, v in s["paths"].items():
        assert 0 < v["median_ns"] <= v["p99_ns"], (s["step"], p, v)
PY
}

atf_test_case rounds_from_environment
rounds_from_environment_head()
{
	atf_set descr "BENCH_DSMIP_N sets the rounds; -n overrides it"
}
rounds_from_environment_body()
{
	BENCH_DSMIP_N=120 atf_check -o match:'"rounds":120,' "$SIGBENCH" -j
	BENCH_DSMIP_N=120 atf_check -o match:'"rounds":150,' \
	    "$SIGBENCH" -j -n 150
}

atf_test_case usage_errors
usage_errors_head()
{
	atf_set descr "bad options and round counts are refused"
}
usage_errors_body()
{
	atf_check -s exit:2 -e match:'usage: mip6sigbench' "$SIGBENCH" -x
	atf_check -s exit:2 -e match:'usage: mip6sigbench' "$SIGBENCH" extra
	atf_check -s exit:1 -e match:'must be 1\.\.10000000' \
	    "$SIGBENCH" -n 0
	BENCH_DSMIP_N=abc atf_check -s exit:1 \
	    -e match:'must be 1\.\.10000000' "$SIGBENCH"
}

atf_init_test_cases()
{
	atf_add_test_case json_short_run
	atf_add_test_case rounds_from_environment
	atf_add_test_case usage_errors
}
