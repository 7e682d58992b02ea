# fake-dsmip-ha.nut - a scripted dual-stack home agent (RFC 5555) that
# answers Binding Updates with the IPv4 options, from IPv6 and IPv4
# care-of addresses, on virtual time with no network: it shows that the
# DSMIP-HA signalling cases can be expressed and judged (engine tests,
# conformance/engine/tests/dsmip_fake_test.sh).  It forwards nothing, so
# the traffic cases (DSMIP-HA-1-2-3 .. -1-3-2) fail against it.  The
# address plan is conformance/topologies/dsmip-home.topo's, and the
# variables are the ones a real dual-stack HA's description must define.
nut fake-dsmip-ha
title Scripted dual-stack home agent, signalling only (fake network device)
role ha
capability dsmip
netdev fake fake-dsmip-ha.responder
control fake
topology dsmip-home link0 link1
link link0 tester=tn0 mac=02:00:00:00:00:a0
link link1 tester=tn1 mac=02:00:00:00:10:a0
iface link0 dev=eth0 mac=02:00:00:00:01:01 addr=2001:db8:1::1 ll=fe80::200:ff:fe00:101 addr4=198.51.100.1
iface link1 dev=eth1 mac=02:00:00:00:11:01 addr=2001:db8:2::1 ll=fe80::200:ff:fe00:1101 addr4=192.0.2.1
node tn link0 mac=02:00:00:00:00:a0 addr=2001:db8:1::a0 ll=fe80::a0
# MN0: allowed the static IPv4 home address v4hoa, not v4forbidden; on
# link1 with an IPv6 care-of address or the IPv4 care-of address v4coa.
node mn0 link1 mac=02:00:00:00:10:b0 coa=2001:db8:2::b0 hoa=2001:db8:1::b0 v4coa=192.0.2.10 v4hoa=198.51.100.7 v4forbidden=198.51.100.200
# MN1: gets its IPv4 home address from the pool (first: v4dyn); behind
# NAT0 its care-of address is the private v4coa.
node mn1 link1 mac=02:00:00:00:10:b1 coa=2001:db8:2::b1 hoa=2001:db8:1::b1 v4dyn=198.51.100.64 v4coa=10.0.0.11
# MN2: asks for a dynamic IPv4 home address when MN1 holds the pool's
# only one (DSMIP-HA-1-1-8: status 132).
node mn2 link1 mac=02:00:00:00:10:b2 coa=2001:db8:2::b2 hoa=2001:db8:1::b2
# MR0: a mobile router allowed the IPv4 mobile network prefix v4mnp (v4lfn
# is a host inside it), not v4mnpforbidden; IPv6 prefix mnp (implicit).
node mr0 link1 mac=02:00:00:00:10:d0 coa=2001:db8:2::d0 hoa=2001:db8:1::d0 mnp=2001:db8:100::/64 v4mnp=203.0.113.0/24 v4lfn=203.0.113.10 v4mnpforbidden=198.18.7.0/24
node nat0 link1 mac=02:00:00:00:10:e0 addr4=192.0.2.20
node cn0 link0 mac=02:00:00:00:00:c0 addr=2001:db8:1::c0 ll=fe80::c0
node cn4 link0 mac=02:00:00:00:00:c4 addr4=198.51.100.99
