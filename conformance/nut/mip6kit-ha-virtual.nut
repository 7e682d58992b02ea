# mip6kit-ha-virtual.nut - the mip6kit reference home agent (had(8), eBPF
# forwarding plane) on a virtual home link, as node "nut" of
# conformance/topologies/ha-virtual.topo (TAHI's "(2) Virtual Home Link").
# Started, reset and stopped as mip6kit-ha.nut does, with
# mip6kit-ha-virtual.conf.in.  MIP6CONF_NETNS, MIP6CONF_NUTDIR and
# MIP6CONF_BINDIR come from mip6conf.
nut mip6kit-ha-virtual
title mip6kit reference home agent (had) on a virtual home link
role ha
capability dhaad mpd nemo-implicit nemo-explicit
netdev afpacket
control local nut
command start "mkdir -p /run/mip6kit && sed s/@NS@/$MIP6CONF_NETNS/g $MIP6CONF_NUTDIR/mip6kit-ha-virtual.conf.in > /run/mip6kit/$MIP6CONF_NETNS.conf && { $MIP6CONF_BINDIR/had -f /run/mip6kit/$MIP6CONF_NETNS.conf 2>/run/mip6kit/$MIP6CONF_NETNS.log || { cat /run/mip6kit/$MIP6CONF_NETNS.log >&2; exit 1; }; }"
command reset "[ ! -S /run/mip6kit/$MIP6CONF_NETNS.sock ] || $MIP6CONF_BINDIR/mip6ctl -s /run/mip6kit/$MIP6CONF_NETNS.sock reset >/dev/null"
command stop "f=/run/mip6kit/$MIP6CONF_NETNS; if [ -e $f.pid ]; then p=$(cat $f.pid); kill $p 2>/dev/null; while kill -0 $p 2>/dev/null; do sleep 0.05; done; fi; [ ! -e $f.conf ] || $MIP6CONF_BINDIR/had --cleanup -f $f.conf; rm -f $f.conf $f.pid $f.log"
topology ha-virtual link0 link1
link link0 tester=link0 mac=02:00:00:00:00:a0
link link1 tester=link1 mac=02:00:00:00:10:a0
# The first interface's addr is the home agent address ($nut.addr), a /128
# on link0; link0's own prefix is 2001:db8:3::/64.
iface link0 dev=link0 mac=02:00:00:00:01:01 addr=2001:db8:1::1 ll=fe80::ff:fe00:101
iface link1 dev=link1 mac=02:00:00:00:11:01 addr=2001:db8:2::1 ll=fe80::ff:fe00:1101
# Emulated nodes: MN0 away on link1, a correspondent on link0.
node mn0 link1 mac=02:00:00:00:10:b0 coa=2001:db8:2::b0 hoa=2001:db8:1::b0
node cn0 link0 mac=02:00:00:00:00:c0 addr=2001:db8:3::c0 ll=fe80::c0
