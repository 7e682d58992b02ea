# mip6kit-ha.nut - the mip6kit reference home agent (had(8), eBPF
# forwarding plane) as node "nut" of conformance/topologies/ha-home.topo.
# mip6conf brings the topology up afresh for every case; `nut start` runs
# had in the run's namespace of node nut with mip6kit-ha.conf.in, `nut
# reset` empties its binding cache (mip6ctl reset), and the engine stops
# it (`command stop`) before the namespaces go.  MIP6CONF_NETNS,
# MIP6CONF_NUTDIR and MIP6CONF_BINDIR come from mip6conf.
nut mip6kit-ha
title mip6kit reference home agent (had) with the eBPF forwarding plane
role ha
capability dhaad mpd nemo-implicit nemo-explicit
netdev afpacket
control local nut
command start "mkdir -p /run/mip6kit && sed s/@NS@/$MIP6CONF_NETNS/g $MIP6CONF_NUTDIR/mip6kit-ha.conf.in > /run/mip6kit/$MIP6CONF_NETNS.conf && { $MIP6CONF_BINDIR/had -f /run/mip6kit/$MIP6CONF_NETNS.conf 2>/run/mip6kit/$MIP6CONF_NETNS.log || { cat /run/mip6kit/$MIP6CONF_NETNS.log >&2; exit 1; }; }"
command reset "[ ! -S /run/mip6kit/$MIP6CONF_NETNS.sock ] || $MIP6CONF_BINDIR/mip6ctl -s /run/mip6kit/$MIP6CONF_NETNS.sock reset >/dev/null"
command stop "f=/run/mip6kit/$MIP6CONF_NETNS; if [ -e $f.pid ]; then p=$(cat $f.pid); kill $p 2>/dev/null; while kill -0 $p 2>/dev/null; do sleep 0.05; done; fi; [ ! -e $f.conf ] || $MIP6CONF_BINDIR/had --cleanup -f $f.conf; rm -f $f.conf $f.pid $f.log"
topology ha-home link0 link1
link link0 tester=link0 mac=02:00:00:00:00:a0
link link1 tester=link1 mac=02:00:00:00:10:a0
iface link0 dev=link0 mac=02:00:00:00:01:01 addr=2001:db8:1::1 ll=fe80::ff:fe00:101
iface link1 dev=link1 mac=02:00:00:00:11:01 addr=2001:db8:2::1 ll=fe80::ff:fe00:1101
# Emulated nodes: the tester answers Neighbor Solicitations for their
# on-link addresses with their MACs.  MN0 is away on link1.
node tn link0 mac=02:00:00:00:00:a0 addr=2001:db8:1::a0 ll=fe80::a0
node mn0 link1 mac=02:00:00:00:10:b0 coa=2001:db8:2::b0 hoa=2001:db8:1::b0
node cn0 link0 mac=02:00:00:00:00:c0 addr=2001:db8:1::c0 ll=fe80::c0
# HA1: another home agent on the home link (its RAs are the cases' own
# packets); MN1: a second mobile node, away like MN0, never registered
# except where a case says so.
node ha1 link0 mac=02:00:00:00:00:c1 addr=2001:db8:1::c1 ll=fe80::c1
node mn1 link1 mac=02:00:00:00:10:b1 coa=2001:db8:2::b1 hoa=2001:db8:1::b1
# MR0: a mobile router (RFC 3963) away on link1, allowed its two mobile
# network prefixes by mip6kit-ha.conf.in; lfn is a node inside the first.
node mr0 link1 mac=02:00:00:00:10:d0 coa=2001:db8:2::d0 hoa=2001:db8:1::d0 mnp=2001:db8:100::/64 mnp2=2001:db8:101::/64 lfn=2001:db8:100::10
