#! /usr/bin/env atf-sh
# linux_plain_test.sh - the conformance tester for real (root): each case
# brings up conformance/topologies/one-link.topo as fresh namespaces with
# mip6topo, injects on the tester's AF_PACKET socket, captures with
# libpcap, and the plain Linux kernel as NUT (conformance/nut/linux-plain.nut) passes
# the cases every IPv6 node must pass: echo, Mobility Header -> Parameter
# Problem code 1, Home Address option -> code 2, unknown Routing Type ->
# code 0.  Run through Kyua (mip6conf -l / -r) and as a TAP run with
# --junit, --json and --pcap-dir.
#
# Namespaces: only m6-ID-* of the run ids written to ./ids, all taken
# down by the cleanup even when the body fails.

MIP6CONF="@BUILDDIR@/mip6conf"
MIP6TOPO="@BUILDDIR@/mip6topo"
MIP6DUMP="@BUILDDIR@/mip6dump"
SRC="@SRCDIR@"
CN_CASES="CN-0-0-1 CN-0-1-1 CN-0-2-1 CN-0-3-1"

# A run id from a case id and this test's pid: lp + digits, at most 12.
run_id()
{
	echo "lp$(echo "$1" | tr -dc 0-9)$2" | cut -c1-12
}

down_all()
{
	[ -f ids ] || return 0
	while read -r id; do
		"$MIP6TOPO" down "$id" >/dev/null 2>&1 || true
	done < ids
}

no_namespaces_left()
{
	while read -r id; do
		if ls /run/netns 2>/dev/null | grep -q "^m6-$id-"; then
			atf_fail "namespaces of run $id left behind"
		fi
	done < ids
}

atf_test_case cases_pass_through_kyua cleanup
cases_pass_through_kyua_head()
{
	atf_set "descr" "kyua runs the CN-0-x cases against the plain Linux" \
	    "NUT on fresh namespaces per case, and they pass"
	atf_set "require.user" "root"
	atf_set "require.progs" "kyua"
	atf_set "timeout" "120"
}
cases_pass_through_kyua_body()
{
	export HOME="$PWD"
	tag=$(( $$ % 1000 ))
	: > ids
	for c in $CN_CASES HA-2-1-1; do run_id "$c" "$tag" >> ids; done
	mkdir k
	# The wrapper picks the run id from the case Kyua asks for.
	cat > k/conformance <<WRAP
#! /bin/sh
for last; do :; done
id=\$(echo "lp\$(echo "\$last" | tr -dc 0-9)$tag" | cut -c1-12)
exec "$MIP6CONF" -s "$SRC/conformance/cases" \
    -n "$SRC/conformance/nut/linux-plain.nut" --topo-id "\$id" "\$@"
WRAP
	chmod +x k/conformance
	cat > k/Kyuafile <<'KF'
syntax(2)
test_suite('conformance')
atf_test_program{name='conformance'}
KF
	atf_check -s exit:0 -o ignore -e ignore kyua test \
	    --kyuafile=k/Kyuafile --build-root=k --results-file=res.db
	atf_check -s exit:0 -o save:report -e ignore kyua report \
	    --results-file=res.db --results-filter=passed,failed,skipped,broken
	for c in $CN_CASES; do
		atf_check -o inline:"conformance:$c  ->  passed\n" \
		    sh -c "grep -o 'conformance:$c  ->  passed' report"
	done
	atf_check -o match:"conformance:HA-2-1-1  ->  skipped: role ha not declared by the NUT" \
	    cat report
	atf_check -o match:", 0 broken, 0 failed" cat report
	no_namespaces_left
}
cases_pass_through_kyua_cleanup()
{
	down_all
}

atf_test_case tap_junit_json_pcap cleanup
tap_junit_json_pcap_head()
{
	atf_set "descr" "a TAP run writes JUnit, JSON and one pcap per link" \
	    "holding what was sent and what the NUT answered"
	atf_set "require.user" "root"
	atf_set "timeout" "120"
}
tap_junit_json_pcap_body()
{
	id="lpt$(( $$ % 100000 ))"
	echo "$id" > ids
	mkdir pcap
	atf_check -s exit:0 -o save:tap -e save:progress "$MIP6CONF" \
	    -s "$SRC/conformance/cases" \
	    -n "$SRC/conformance/nut/linux-plain.nut" --topo-id "$id" \
	    --progress --junit junit.xml --json results.json \
	    --pcap-dir pcap $CN_CASES
	atf_check -o match:"^ok 1 - CN-0-0-1 " -o match:"^ok 2 - CN-0-1-1 " \
	    -o match:"^ok 3 - CN-0-2-1 " -o match:"^ok 4 - CN-0-3-1 " \
	    -o not-match:"not ok" -o not-match:"# SKIP" cat tap
	atf_check -o match:"^\[1/4\] CN-0-0-1 PASS [0-9]+\.[0-9][0-9] s$" \
	    -o match:"^\[4/4\] CN-0-3-1 PASS [0-9]+\.[0-9][0-9] s$" \
	    cat progress
	atf_check -o match:'<testsuite name="mip6conf linux-plain" tests="4" failures="0" errors="0" skipped="0"' \
	    -o match:'<testcase classname="mip6conf.cn" name="CN-0-2-1"' \
	    -o not-match:'<failure' cat junit.xml
	atf_check -o match:'"pass":4' cat results.json
	# The capture holds the tester's frames and the NUT's answers,
	# including the Neighbor Advertisements of the emulated nodes.
	atf_check -o match:"2001:db8:1::a0 > 2001:db8:1::1: BU seq=1234" \
	    -o match:"2001:db8:1::1 > 2001:db8:1::a0: param-problem code=1 ptr=6" \
	    -o match:"2001:db8:1::1 > 2001:db8:1::b0: param-problem code=2 ptr=46" \
	    -o match:"2001:db8:1::1 > 2001:db8:1::a0: param-problem code=0 ptr=42" \
	    -o match:"2001:db8:1::b0 > 2001:db8:1::1: NA S O tgt=2001:db8:1::b0" \
	    "$MIP6DUMP" -a -r pcap/link0.pcap
	no_namespaces_left
}
tap_junit_json_pcap_cleanup()
{
	down_all
}

atf_init_test_cases()
{
	atf_add_test_case cases_pass_through_kyua
	atf_add_test_case tap_junit_json_pcap
}
