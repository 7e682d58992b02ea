#! /usr/bin/env atf-sh
# dsmip_arp_test.sh - IPv4 on the tester's links (RFC 5555 cases): on
# conformance/topologies/dsmip-home.topo, a plain Linux node stands in for
# a home agent.  The tester's UDP-encapsulated Binding Update from MN0's
# IPv4 care-of address gets the kernel's ICMP Port Unreachable back, which
# it can only send after resolving 192.0.2.10 with ARP: the emulated MN0
# (v4coa=) answers it.  With MN0 declared on the other link nobody
# answers on link1 and nothing comes back.  The case fails either way (Linux is no home agent); what is
# judged is the closest candidate the failure names.

MIP6CONF="@BUILDDIR@/mip6conf"
SRC="@SRCDIR@"

# A dual-stack "home agent" that is plain Linux: no commands to run.
write_nut()
{
	sed -e 's/^nut fake-dsmip-ha/nut plain-dsmip/' \
	    -e 's/^netdev fake .*/netdev afpacket/' \
	    -e 's/^control fake/control local nut/' \
	    -e 's/tester=tn0/tester=link0/; s/tester=tn1/tester=link1/' \
	    -e 's/dev=eth0/dev=link0/; s/dev=eth1/dev=link1/' \
	    "$SRC/conformance/nut/fake-dsmip-ha.nut" > plain.nut
	cat >> plain.nut <<'NUT'
command start "true"
command reset "true"
command stop "true"
NUT
}

# The run id (namespaces m6-ID-tn, m6-ID-nut) is kept in a file for the
# cleanup, which runs in another shell.
run_case()
{
	echo "da$$" > topoid
	"$MIP6CONF" -s "$SRC/conformance/cases" -n plain.nut \
	    --topo-dir "$SRC/conformance/topologies" \
	    --topo-id "$(cat topoid)" DSMIP-HA-1-2-1 > tap 2>&1
}

# mip6conf removes its namespaces itself; this is for a killed run.
remove_namespaces()
{
	[ -f topoid ] || return 0
	for ns in tn nut; do
		ip netns del "m6-$(cat topoid)-$ns" 2>/dev/null || true
	done
}

atf_test_case arp_answered_for_forged_ipv4_care_of_address cleanup
arp_answered_for_forged_ipv4_care_of_address_head()
{
	atf_set "descr" "the NUT's kernel reaches a forged IPv4 care-of" \
	    "address because the tester answers ARP for it"
	atf_set "require.user" "root"
	atf_set "timeout" "120"
}
arp_answered_for_forged_ipv4_care_of_address_body()
{
	write_nut
	run_case
	atf_check -o match:"^not ok 1 - DSMIP-HA-1-2-1 " \
	    -o match:"^# FAIL: " \
	    -o match:"closest candidate: IP 198\.51\.100\.1 > 192\.0\.2\.10: ICMP type 3 code 3 " \
	    cat tap
}
arp_answered_for_forged_ipv4_care_of_address_cleanup()
{
	remove_namespaces
}

atf_test_case no_arp_no_answer cleanup
no_arp_no_answer_head()
{
	atf_set "descr" "with MN0 on another link the tester does not answer" \
	    "ARP for its care-of address on link1 and nothing comes back"
	atf_set "require.user" "root"
	atf_set "timeout" "120"
}
no_arp_no_answer_body()
{
	write_nut
	sed -i 's/^node mn0 link1 /node mn0 link0 /' plain.nut
	run_case
	atf_check -o match:"^not ok 1 - DSMIP-HA-1-2-1 " \
	    -o match:"^# FAIL: .*expected oneof\(ba_plain, ba_no_nat\)" \
	    -o not-match:"192\.0\.2\.10: [Ii][Cc][Mm][Pp]" cat tap
}
no_arp_no_answer_cleanup()
{
	remove_namespaces
}

atf_init_test_cases()
{
	atf_add_test_case arp_answered_for_forged_ipv4_care_of_address
	atf_add_test_case no_arp_no_answer
}
