# mip6kit-mn-dsmip-dyn.nut - mip6kit-mn-dsmip.nut's dual-stack mobile
# node, configured (mip6kit-mn-dsmip-dyn-mnd.conf.in) to ask its home agent
# for an IPv4 home address (0.0.0.0 in the IPv4 Home Address option, RFC
# 5555 §3.1.1): link0's v4dyn= is the one the tester assigns.  Only the
# cases about a dynamic IPv4 home address run against it (DSMIP-MN-1-1-4);
# the others need a static one (v4hoa=).
nut mip6kit-mn-dsmip-dyn
title mip6kit reference mobile node (mnd, mdd), dual-stack, dynamic IPv4 home address
role mn
capability dsmip
netdev afpacket
control local nut
command start "$MIP6CONF_NUTDIR/mip6kit-mn-dsmip.sh dyn start"
command stop "$MIP6CONF_NUTDIR/mip6kit-mn-dsmip.sh dyn stop"
command reset "$MIP6CONF_NUTDIR/mip6kit-mn-dsmip.sh dyn reset"
command move "$MIP6CONF_NUTDIR/mip6kit-mn-dsmip.sh dyn move %1"
topology mn-links link0 link1 link2
link link0 tester=link0 mac=02:00:00:00:00:a0
link link1 tester=link1 mac=02:00:00:00:10:a0
link link2 tester=link2 mac=02:00:00:00:20:a0
# The NUT: its home address and IPv4 home address on link0 (the
# configuration), its care-of addresses from the routers' prefixes.
iface link0 dev=link0 mac=02:00:00:00:01:01 ll=fe80::ff:fe00:101 hoa=2001:db8:1::100 v4dyn=198.51.100.64
iface link1 dev=link1 mac=02:00:00:00:11:01 ll=fe80::ff:fe00:1101 coa=2001:db8:10::ff:fe00:1101
iface link2 dev=link2 mac=02:00:00:00:21:01 ll=fe80::ff:fe00:2101 coa4=192.0.2.10
node ha0 link0 mac=02:00:00:00:00:a0 ll=fe80::a0 addr=2001:db8:1::1 ha=yes prefix=2001:db8:1::/64 ra-interval=1
node r1 link1 mac=02:00:00:00:10:a0 ll=fe80::10:a0 addr=2001:db8:10::1 router=yes prefix=2001:db8:10::/64 ra-interval=1
# Link2 is IPv4-only: HA0's IPv4 address (home-agent-ipv4 in the
# configuration) answers ARP there; no IPv6 router.
node ha4 link2 mac=02:00:00:00:20:a4 addr4=192.0.2.1
node cn0 link0 mac=02:00:00:00:00:a0 addr=2001:db8:40::10
node mn1 link0 mac=02:00:00:00:00:a0 hoa=2001:db8:50::b1 coa=2001:db8:60::b1 haaddr=2001:db8:50::1
