# mip6kit-cn.nut - the mip6kit reference correspondent node (cnd(8) with
# the mip6busd(8) hub and the eBPF cn plane; RFC 6275 §9) as node "nut"
# of conformance/topologies/cn-link.topo.  mip6conf brings the topology up
# afresh for every case; `nut start` writes mip6kit-cn-cnd.conf.in for the
# run and starts the hub and cnd (mip6kit-node.sh), `nut reset` empties
# the binding cache, and the engine stops everything (`command stop`)
# before the namespaces go.
#
# The tester plays R0 (the NUT's router), and behind it MN0 (a mobile
# node away from home: its home keygen test messages come from its home
# address, through its home agent HA0, its care-of keygen test messages
# from its care-of address) and MN1, a second mobile node.
nut mip6kit-cn
title mip6kit reference correspondent node (cnd) with the eBPF cn plane
role cn
capability ro
netdev afpacket
control local nut
command start "$MIP6CONF_NUTDIR/mip6kit-node.sh cn start"
command stop "$MIP6CONF_NUTDIR/mip6kit-node.sh cn stop"
command reset "$MIP6CONF_NUTDIR/mip6kit-node.sh cn reset"
topology cn-link link0
link link0 tester=tn0 mac=02:00:00:00:00:a0
iface link0 dev=eth0 mac=02:00:00:00:01:01 addr=2001:db8:1::1 ll=fe80::ff:fe00:101
# TN is R0, the NUT's default router (cn-link.topo).
node tn link0 mac=02:00:00:00:00:a0 addr=2001:db8:1::a0 ll=fe80::a0
# Mobile nodes behind R0: on-link for nothing, so only variables.
node mn0 link0 mac=02:00:00:00:00:a0 coa=2001:db8:10::b0 coa2=2001:db8:20::b0 hoa=2001:db8:5::b0 haaddr=2001:db8:5::1
node mn1 link0 mac=02:00:00:00:00:a0 coa=2001:db8:10::b1 hoa=2001:db8:5::b1
