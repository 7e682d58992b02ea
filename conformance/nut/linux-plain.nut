# linux-plain.nut - the Linux kernel's IPv6 without a Mobile IPv6 daemon
# (and without CONFIG_IPV6_MIP6), as node "nut" of
# conformance/topologies/one-link.topo, reached by the tester on its
# interface tn0 of node "tn".  mip6conf brings the topology up afresh for
# every case (mip6topo up), so each case starts from new namespaces; `control local nut` runs the commands in the
# run's namespace of node nut (m6-ID-nut).
nut linux-plain
title Linux IPv6 node without Mobile IPv6, in network namespace nut
role node
capability none
netdev afpacket
control local nut
command reset "ip -6 neigh flush dev eth0; ip -6 route flush cache"
command start "true"
command stop "true"
topology one-link link0
link link0 tester=tn0 mac=02:00:00:00:00:a0
# fe80::ff:fe00:101 is the kernel's EUI-64 link-local address of
# 02:00:00:00:01:01 (RFC 4291 §2.5.1: the U/L bit inverted).
iface link0 dev=eth0 mac=02:00:00:00:01:01 addr=2001:db8:1::1 ll=fe80::ff:fe00:101
# Emulated nodes: the tester answers Neighbor Solicitations for their
# on-link addresses (addr, ll, coa) with their MACs.
node tn link0 mac=02:00:00:00:00:a0 addr=2001:db8:1::a0 ll=fe80::a0
node mn0 link0 mac=02:00:00:00:00:b0 coa=2001:db8:1::b0 hoa=2001:db8:5::b0
