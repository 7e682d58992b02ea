# mip6kit-mn-dsmip.nut - the mip6kit reference mobile node (mnd(8) with
# mdd(8) and the mip6busd(8) hub, eBPF mn plane) as a dual-stack mobile
# node (RFC 5555): mip6kit-mn.nut's node on conformance/topologies/
# mn-links.topo, configured (mip6kit-mn-dsmip-mnd.conf.in) with the IPv4
# home address link0's v4hoa= below, so it claims the `dsmip` capability
# and runs the DSMIP-MN-* cases (conformance/cases/dsmip).  (mip6kit-mn-dsmip-dyn.nut is
# the same node asking for a dynamic IPv4 home address instead.)  The tester plays HA0 as a dual-stack home
# agent (IPv4 Address Acknowledgement in its BAs), with the IPv4 address
# ha4's addr4= on link2.  Link1 is an IPv6 foreign link (an IPv6 care-of
# address); link2 is IPv4-only (its router R2 is silent until a case
# makes it advertise): no router advertises there, and
# mip6kit-mn-dsmip.sh gives the NUT link2's coa4= on it, its IPv4
# care-of address.
nut mip6kit-mn-dsmip
title mip6kit reference mobile node (mnd, mdd), dual-stack (RFC 5555)
role mn
capability dsmip
netdev afpacket
control local nut
command start "$MIP6CONF_NUTDIR/mip6kit-mn-dsmip.sh start"
command stop "$MIP6CONF_NUTDIR/mip6kit-mn-dsmip.sh stop"
command reset "$MIP6CONF_NUTDIR/mip6kit-mn-dsmip.sh reset"
command move "$MIP6CONF_NUTDIR/mip6kit-mn-dsmip.sh move %1"
topology mn-links link0 link1 link2
link link0 tester=link0 mac=02:00:00:00:00:a0
link link1 tester=link1 mac=02:00:00:00:10:a0
link link2 tester=link2 mac=02:00:00:00:20:a0
# The NUT: its home address and IPv4 home address on link0 (the
# configuration), its care-of addresses from the routers' prefixes.
iface link0 dev=link0 mac=02:00:00:00:01:01 ll=fe80::ff:fe00:101 hoa=2001:db8:1::100 v4hoa=198.51.100.7
iface link1 dev=link1 mac=02:00:00:00:11:01 ll=fe80::ff:fe00:1101 coa=2001:db8:10::ff:fe00:1101
iface link2 dev=link2 mac=02:00:00:00:21:01 ll=fe80::ff:fe00:2101 coa4=192.0.2.10 coa=2001:db8:20::ff:fe00:2101
node ha0 link0 mac=02:00:00:00:00:a0 ll=fe80::a0 addr=2001:db8:1::1 ha=yes prefix=2001:db8:1::/64 ra-interval=1
node r1 link1 mac=02:00:00:00:10:a0 ll=fe80::10:a0 addr=2001:db8:10::1 router=yes prefix=2001:db8:10::/64 ra-interval=1
# Link2 is IPv4-only: HA0's IPv4 address (home-agent-ipv4 in the
# configuration) answers ARP there; no IPv6 router.
node ha4 link2 mac=02:00:00:00:20:a4 addr4=192.0.2.1
# R2 on link2 is silent (advertise=no) until a case says `advertise r2`:
# then link2 is dual-stack and the NUT has an IPv6 care-of address there
# too (DSMIP-MN-1-2-1: it must prefer it, RFC 5555 §4.4.1).
node r2 link2 mac=02:00:00:00:20:a0 ll=fe80::20:a0 addr=2001:db8:20::1 router=yes prefix=2001:db8:20::/64 ra-interval=1 advertise=no
node cn0 link0 mac=02:00:00:00:00:a0 addr=2001:db8:40::10
# CN4: an IPv4 correspondent behind HA0 (off-link, only a variable), the
# peer of the IPv4 traffic tunnelled to and from the IPv4 home address.
node cn4 link0 mac=02:00:00:00:00:a0 addr4=203.0.113.5
node mn1 link0 mac=02:00:00:00:00:a0 hoa=2001:db8:50::b1 coa=2001:db8:60::b1 haaddr=2001:db8:50::1
