#! /usr/bin/atf-sh
# topology_test.sh - each shipped topology comes up exactly as declared
# (namespaces, interfaces, MACs, non-tentative addresses, routes,
# sysctls, bridges: checked through `ip -j` and /proc by check_topo.py),
# answers pings across every veth and bridge, and goes away completely.

BUILDDIR=@BUILDDIR@
SRCDIR=@SRCDIR@
. "$SRCDIR/tools/mip6topo/tests/topo.subr"

# up FILE, check it, ping across every link, down, nothing left.
round_trip()
{
	id=$(new_id)
	atf_check -s exit:0 -o inline:"$id\n" -e empty "$M" up -i "$id" "$1"
	check "$id" "$1" --ping
	pids=$(run_pids "$id")
	[ -n "$pids" ] || atf_fail "no capture process recorded"
	atf_check -s exit:0 -o empty -e empty "$M" down "$id"
	assert_gone "$id" $pids
}

atf_test_case ha_under_test cleanup
ha_under_test_head()
{
	atf_set "descr" "topology (a), home agent under test, up and down"
	atf_set "require.user" "root"
}
ha_under_test_body() { round_trip "$TOPOS/ha-under-test.topo"; }
ha_under_test_cleanup() { topo_cleanup; }

atf_test_case mn_under_test cleanup
mn_under_test_head()
{
	atf_set "descr" "topology (b), mobile node under test, up and down"
	atf_set "require.user" "root"
}
mn_under_test_body() { round_trip "$TOPOS/mn-under-test.topo"; }
mn_under_test_cleanup() { topo_cleanup; }

atf_test_case mr_under_test cleanup
mr_under_test_head()
{
	atf_set "descr" "topology (b), mobile router under test, up and down"
	atf_set "require.user" "root"
}
mr_under_test_body() { round_trip "$TOPOS/mr-under-test.topo"; }
mr_under_test_cleanup() { topo_cleanup; }

atf_test_case reference cleanup
reference_head()
{
	atf_set "descr" "topology (c), the reference deployment, up and down, with routing across rt"
	atf_set "require.user" "root"
}
reference_body()
{
	f="$TOPOS/reference.topo"
	id=$(new_id)
	atf_check -s exit:0 -o inline:"$id\n" -e empty "$M" up -i "$id" "$f"
	check "$id" "$f" --ping
	# Routed, not just on-link: mn -> rt -> cn, lfn -> mr, ha -> rt -> mn.
	atf_check -s exit:0 -o ignore ip netns exec "$(ns_of "$id" mn)" \
	    "$PING" 2001:db8:40::10
	atf_check -s exit:0 -o ignore ip netns exec "$(ns_of "$id" ha)" \
	    "$PING" 2001:db8:10::100
	atf_check -s exit:0 -o ignore ip netns exec "$(ns_of "$id" lfn)" \
	    "$PING" 2001:db8:20::200
	# rt has no route into the NAT's private side.
	atf_check -s exit:1 -o ignore -e ignore ip netns exec "$(ns_of "$id" rt)" \
	    "$PING" -c 1 -W 300 192.0.2.100
	atf_check -s exit:0 -o empty -e empty "$M" down "$id"
	assert_gone "$id"
}
reference_cleanup() { topo_cleanup; }

atf_test_case reference_nat cleanup
reference_nat_head()
{
	atf_set "descr" "the reference NAT masquerades IPv4 from the IPv4-only foreign link (seen in the pcaps)"
	atf_set "require.user" "root"
}
reference_nat_body()
{
	id=$(new_id)
	atf_check -s exit:0 -o ignore -e empty "$M" up -i "$id" -d out \
	    "$TOPOS/reference.topo"
	atf_check -s exit:0 -o ignore ip netns exec "$(ns_of "$id" mn)" \
	    "$PING" -p dsmip-nat-probe 203.0.113.1
	atf_check -s exit:0 -o empty -e empty "$M" down "$id"
	# Inside: the private care-of address; outside: nat's public one.
	q='icmp.type == 8 && data.data contains "dsmip-nat-probe"'
	atf_check -s exit:0 -o match:"^192\.0\.2\.100	203\.0\.113\.1$" -e ignore \
	    tshark -r out/pcap/fl4.pcap -Y "$q" -T fields -e ip.src -e ip.dst
	atf_check -s exit:0 -o match:"^198\.51\.100\.1	203\.0\.113\.1$" \
	    -o not-match:"192\.0\.2\.100" -e ignore \
	    tshark -r out/pcap/wan4.pcap -Y "$q" -T fields -e ip.src -e ip.dst
	assert_gone "$id"
}
reference_nat_cleanup() { topo_cleanup; }

atf_test_case oracle_sees_drift cleanup
oracle_sees_drift_head()
{
	atf_set "descr" "check_topo.py fails on a run that differs from its file (the oracle is not vacuous)"
	atf_set "require.user" "root"
}
oracle_sees_drift_body()
{
	f="$TOPOS/ha-under-test.topo"
	id=$(new_id)
	atf_check -s exit:0 -o ignore -e empty "$M" up -i "$id" "$f"
	nut=$(ns_of "$id" nut)
	check "$id" "$f"
	in_ns "$nut" sh -c 'echo 0 > /proc/sys/net/ipv6/conf/all/forwarding'
	atf_check -s exit:1 -o match:"sysctl ipv6.conf.all.forwarding = 0" \
	    "$PY" "$CHECK" "$M" "$PING" "$id" "$f"
	in_ns "$nut" sh -c 'echo 1 > /proc/sys/net/ipv6/conf/all/forwarding'
	ip -n "$nut" addr add 2001:db8:1::77/64 dev link0 nodad
	atf_check -s exit:1 -o match:"2001:db8:1::77" \
	    "$PY" "$CHECK" "$M" "$PING" "$id" "$f"
	ip -n "$nut" addr del 2001:db8:1::77/64 dev link0
	ip -6 -n "$nut" route del default
	atf_check -s exit:1 -o match:"route" \
	    "$PY" "$CHECK" "$M" "$PING" "$id" "$f"
	ip -n "$nut" link set link1 down
	atf_check -s exit:1 -o match:"link1 not up" \
	    "$PY" "$CHECK" "$M" "$PING" "$id" "$f"
	atf_check -s exit:0 -o empty -e empty "$M" down "$id"
}
oracle_sees_drift_cleanup() { topo_cleanup; }

atf_init_test_cases()
{
	atf_add_test_case ha_under_test
	atf_add_test_case mn_under_test
	atf_add_test_case mr_under_test
	atf_add_test_case reference
	atf_add_test_case reference_nat
	atf_add_test_case oracle_sees_drift
}
