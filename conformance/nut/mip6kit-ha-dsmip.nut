# mip6kit-ha-dsmip.nut - the mip6kit reference home agent (had(8), eBPF
# forwarding plane) as a dual-stack home agent (RFC 5555), node "nut" of
# conformance/topologies/dsmip-home.topo: mip6kit-ha.nut plus the IPv4
# home network and the variables the DSMIP-HA cases use (the address plan
# of fake-dsmip-ha.nut).  `nut start` runs had with
# mip6kit-ha-dsmip.conf.in (ipv4-address, a pool of one address, MN0's
# IPv4 home address, MR0's IPv4 prefix), `nut reset` empties its binding cache (mip6ctl reset), and the
# engine stops it before the namespaces go.  MIP6CONF_NETNS,
# MIP6CONF_NUTDIR and MIP6CONF_BINDIR come from mip6conf.
nut mip6kit-ha-dsmip
title mip6kit reference home agent (had) as a dual-stack home agent (DSMIPv6)
role ha
capability dsmip
netdev afpacket
control local nut
command start "mkdir -p /run/mip6kit && sed s/@NS@/$MIP6CONF_NETNS/g $MIP6CONF_NUTDIR/mip6kit-ha-dsmip.conf.in > /run/mip6kit/$MIP6CONF_NETNS.conf && { $MIP6CONF_BINDIR/had -f /run/mip6kit/$MIP6CONF_NETNS.conf 2>/run/mip6kit/$MIP6CONF_NETNS.log || { cat /run/mip6kit/$MIP6CONF_NETNS.log >&2; exit 1; }; }"
command reset "[ ! -S /run/mip6kit/$MIP6CONF_NETNS.sock ] || $MIP6CONF_BINDIR/mip6ctl -s /run/mip6kit/$MIP6CONF_NETNS.sock reset >/dev/null"
command stop "f=/run/mip6kit/$MIP6CONF_NETNS; if [ -e $f.pid ]; then p=$(cat $f.pid); kill $p 2>/dev/null; while kill -0 $p 2>/dev/null; do sleep 0.05; done; fi; [ ! -e $f.conf ] || $MIP6CONF_BINDIR/had --cleanup -f $f.conf; rm -f $f.conf $f.pid $f.log"
topology dsmip-home link0 link1
link link0 tester=link0 mac=02:00:00:00:00:a0
link link1 tester=link1 mac=02:00:00:00:10:a0
iface link0 dev=link0 mac=02:00:00:00:01:01 addr=2001:db8:1::1 ll=fe80::ff:fe00:101 addr4=198.51.100.1
iface link1 dev=link1 mac=02:00:00:00:11:01 addr=2001:db8:2::1 ll=fe80::ff:fe00:1101 addr4=192.0.2.1
# Emulated nodes: the tester answers Neighbor Solicitations for their
# on-link IPv6 addresses and ARP for their IPv4 ones (addr4=, v4coa=).
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
