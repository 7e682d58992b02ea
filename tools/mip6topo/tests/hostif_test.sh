#! /usr/bin/atf-sh
# hostif_test.sh - host:IFNAME endpoints, the way a NUT that is not a
# namespace (a vendor's box behind a NIC, a VM behind a tap) joins a
# topology.  A veth pair made by the test stands in for the NIC: its host
# end is the endpoint, its other end sits in a namespace of the test's
# ("ext", the outside box).  The interface must be moved in for the run
# and given back at down (or after a crash), under its own name, with its
# own MAC and admin state.

BUILDDIR=@BUILDDIR@
SRCDIR=@SRCDIR@
. "$SRCDIR/tools/mip6topo/tests/topo.subr"

# make_nic STATE: a veth pair, NIC (host side, MAC 02:aa:00:00:00:01,
# admin STATE) and its peer in namespace EXT with 2001:db8:ff::2/64.
make_nic()
{
	NIC=$(new_name mh)
	EXT=$(new_name mipext)
	remember_netns "$EXT"
	remember_link "$NIC"
	ip netns add "$EXT" || atf_fail "ip netns add"
	ip link add "$NIC" type veth peer name x0 netns "$EXT" ||
	    atf_fail "ip link add"
	ip link set "$NIC" address 02:aa:00:00:00:01
	ip link set "$NIC" "$1"
	ip -n "$EXT" link set lo up
	ip -n "$EXT" link set x0 up
	ip -n "$EXT" addr add 2001:db8:ff::2/64 dev x0 nodad
}

# The NIC is back in the host namespace, named and set as before.
assert_nic_back()
{
	atf_check -s exit:0 -o match:"link/ether 02:aa:00:00:00:01" \
	    ip -o link show "$NIC"
	if [ "$1" = up ]; then
		atf_check -s exit:0 -o match:"<.*[,<]UP[,>]" ip -o link show "$NIC"
	else
		atf_check -s exit:0 -o not-match:"<.*[,<]UP[,>]" ip -o link show "$NIC"
	fi
}

atf_test_case nic_moved_into_node_and_back cleanup
nic_moved_into_node_and_back_head()
{
	atf_set "descr" "link NODE host:IF moves IF into the node for the run (renamed, MAC set) and gives it back"
	atf_set "require.user" "root"
}
nic_moved_into_node_and_back_body()
{
	make_nic up
	cat > nic.topo <<TOPO
node tn
link nic tn host:$NIC
mac tn nic 02:00:00:00:09:01
addr tn nic 2001:db8:ff::1/64 nodad
sysctl tn ipv6.conf.all.accept_dad=0
capture nic
TOPO
	id=$(new_id)
	atf_check -s exit:0 -o save:st.json -e empty "$M" up -j -i "$id" \
	    -d out nic.topo
	tn=$(ns_of "$id" tn)
	atf_check -s exit:1 -o empty -e ignore ip link show "$NIC"
	atf_check -s exit:0 -o match:"link/ether 02:00:00:00:09:01" \
	    ip -n "$tn" -o link show nic
	atf_check -s exit:0 -o inline:"[{'host': '$NIC', 'netns': '$tn', 'ifname': 'nic'}]\n" \
	    "$PY" -c "$JGET" "[e for e in d['runs'][0]['links'][0]['endpoints'] if 'host' in e]" < st.json
	check "$id" nic.topo
	atf_check -s exit:0 -o ignore ip netns exec "$tn" \
	    "$PING" -p probe-nic 2001:db8:ff::2
	atf_check -s exit:0 -o empty -e empty "$M" down "$id"
	assert_gone "$id"
	assert_nic_back up
	# The box outside still answers through it: it is whole again.
	ip addr add 2001:db8:ff::1/64 dev "$NIC" nodad
	atf_check -s exit:0 -o ignore "$PING" 2001:db8:ff::2
	ip addr del 2001:db8:ff::1/64 dev "$NIC"
	atf_check_equal 2 "$(tshark -r out/pcap/nic.pcap -Y 'data.data contains "probe-nic"' 2>/dev/null | wc -l)"
}
nic_moved_into_node_and_back_cleanup() { topo_cleanup; }

atf_test_case nic_as_bridge_port cleanup
nic_as_bridge_port_head()
{
	atf_set "descr" "a host interface on a link of several nodes becomes a bridge port, and an interface that was down comes back down"
	atf_set "require.user" "root"
}
nic_as_bridge_port_body()
{
	make_nic down
	cat > br.topo <<TOPO
node a b
link lan a b host:$NIC
addr a lan 2001:db8:ff::1/64 nodad
addr b lan 2001:db8:ff::3/64 nodad
sysctl * ipv6.conf.all.accept_dad=0
TOPO
	id=$(new_id)
	atf_check -s exit:0 -o ignore -e empty "$M" up -i "$id" br.topo
	sw=$("$M" status -j "$id" | jget "d['runs'][0]['switch']['netns']")
	atf_check -s exit:0 -o match:"master lan" ip -n "$sw" -o link show p0.2
	check "$id" br.topo --ping
	atf_check -s exit:0 -o ignore ip netns exec "$(ns_of "$id" a)" \
	    "$PING" 2001:db8:ff::2
	atf_check -s exit:0 -o ignore ip netns exec "$(ns_of "$id" b)" \
	    "$PING" 2001:db8:ff::2
	atf_check -s exit:0 -o empty -e empty "$M" down "$id"
	assert_gone "$id"
	assert_nic_back down
}
nic_as_bridge_port_cleanup() { topo_cleanup; }

atf_test_case nic_back_after_crash cleanup
nic_back_after_crash_head()
{
	atf_set "descr" "after kill -9 of up with the interface moved in, down gives it back"
	atf_set "require.user" "root"
}
nic_back_after_crash_body()
{
	make_nic up
	printf 'node tn\nlink nic tn:eth0 host:%s\nmac tn eth0 02:00:00:00:09:01\n' \
	    "$NIC" > nic.topo
	id=$(new_id)
	up_stopped_at links "$id" nic.topo
	atf_check -s exit:0 -o match:"link/ether 02:00:00:00:09:01" \
	    ip -n "m6-$id-tn" -o link show eth0
	kill -9 $pid
	wait $pid 2>/dev/null
	atf_check -s exit:0 -o empty -e empty "$M" down "$id"
	assert_gone "$id"
	assert_nic_back up
}
nic_back_after_crash_cleanup() { topo_cleanup; }

atf_init_test_cases()
{
	atf_add_test_case nic_moved_into_node_and_back
	atf_add_test_case nic_as_bridge_port
	atf_add_test_case nic_back_after_crash
}
