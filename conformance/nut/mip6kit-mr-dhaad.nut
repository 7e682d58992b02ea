# mip6kit-mr-dhaad.nut - the mip6kit reference mobile router as
# mip6kit-mr.nut describes it (explicit mode), but configured with no home
# agent address (mip6kit-mr-dhaad-mnd.conf.in), so that it finds HA0 by
# Dynamic Home Agent Address Discovery with the R flag (RFC 6275 §11.4.1,
# RFC 3963 §7.1).  Run with the DHAAD cases only (the `dhaad` capability):
# every other NEMO-MR case expects the NUT to register at once.
nut mip6kit-mr-dhaad
title mip6kit reference mobile router (mnd, mdd) discovering its home agent
role mr
capability dhaad
netdev afpacket
control local nut
command start "$MIP6CONF_NUTDIR/mip6kit-node.sh mr-dhaad start"
command stop "$MIP6CONF_NUTDIR/mip6kit-node.sh mr-dhaad stop"
command reset "$MIP6CONF_NUTDIR/mip6kit-node.sh mr-dhaad reset"
command move "$MIP6CONF_NUTDIR/mip6kit-node.sh mr-dhaad move %1"
topology mn-links link0 link1 link2 mnet
link link0 tester=link0 mac=02:00:00:00:00:a0
link link1 tester=link1 mac=02:00:00:00:10:a0
link link2 tester=link2 mac=02:00:00:00:20:a0
link mnet tester=mnet mac=02:00:00:00:30:a0
# The NUT: its home address on link0 (mip6kit-mr-dhaad-mnd.conf.in), its
# care-of addresses from the routers' prefixes and its MACs (EUI-64).
iface link0 dev=link0 mac=02:00:00:00:01:01 ll=fe80::ff:fe00:101 hoa=2001:db8:1::100 mnp=2001:db8:100::/64
iface link1 dev=link1 mac=02:00:00:00:11:01 ll=fe80::ff:fe00:1101 coa=2001:db8:10::ff:fe00:1101
iface link2 dev=link2 mac=02:00:00:00:21:01 ll=fe80::ff:fe00:2101 coa=2001:db8:20::ff:fe00:2101
iface mnet dev=mnet mac=02:00:00:00:31:01 ll=fe80::ff:fe00:3101 addr=2001:db8:100::1
# HA0 and the routers share the tester's MAC on their link, so packets a
# case sends without an ether line come from them.  ra-interval 1 s: the
# NUT detects movement within a few seconds (RFC 6275 §7.5, §11.5.1).
node ha0 link0 mac=02:00:00:00:00:a0 ll=fe80::a0 addr=2001:db8:1::1 ha=yes prefix=2001:db8:1::/64 ra-interval=1
node r1 link1 mac=02:00:00:00:10:a0 ll=fe80::10:a0 addr=2001:db8:10::1 router=yes prefix=2001:db8:10::/64 ra-interval=1
node r2 link2 mac=02:00:00:00:20:a0 ll=fe80::20:a0 addr=2001:db8:20::1 router=yes prefix=2001:db8:20::/64 ra-interval=1
# Correspondents behind the routers (off-link: only variables, reached
# through whichever link the NUT is on).  MN1 is a mobile node away from
# its home 2001:db8:50::/64 at care-of 2001:db8:60::b1, for mobile-to-
# mobile route optimization.
node cn0 link0 mac=02:00:00:00:00:a0 addr=2001:db8:40::10
node mn1 link0 mac=02:00:00:00:00:a0 hoa=2001:db8:50::b1 coa=2001:db8:60::b1 haaddr=2001:db8:50::1
# LFN0: a local fixed node in the mobile network, on link mnet.
node lfn0 mnet mac=02:00:00:00:30:a0 addr=2001:db8:100::10 ll=fe80::30:a0
