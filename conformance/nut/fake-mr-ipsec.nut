# fake-mr-ipsec.nut - a scripted mobile router (explicit mode) with
# manually keyed SAs to its home agent (TAHI's MR-HA SA1/SA2), on virtual
# time with no network: the NEMO-MR IPsec case (TAHI group 13.1,
# `requires ipsec`) expressed and judged without a stack that does ESP
# (conformance/engine/tests/ipsec_fake_test.sh).  The address plan is
# mip6kit-mr.nut's; fake-mr-ipsec.responder sends the Binding Update at
# 3.5 s.
nut fake-mr-ipsec
title Scripted mobile router, BU/BA protected by manual ESP SAs (fake network device)
role mr
capability ipsec nemo-explicit
netdev fake fake-mr-ipsec.responder
control fake
topology mn-links link0 link1 link2 mnet
link link0 tester=link0 mac=02:00:00:00:00:a0
link link1 tester=link1 mac=02:00:00:00:10:a0
link link2 tester=link2 mac=02:00:00:00:20:a0
link mnet tester=mnet mac=02:00:00:00:30:a0
iface link0 dev=link0 mac=02:00:00:00:01:01 ll=fe80::ff:fe00:101 hoa=2001:db8:1::100 mnp=2001:db8:100::/64
iface link1 dev=link1 mac=02:00:00:00:11:01 ll=fe80::ff:fe00:1101 coa=2001:db8:10::ff:fe00:1101
iface link2 dev=link2 mac=02:00:00:00:21:01 ll=fe80::ff:fe00:2101 coa=2001:db8:20::ff:fe00:2101
iface mnet dev=mnet mac=02:00:00:00:31:01 ll=fe80::ff:fe00:3101 addr=2001:db8:100::1
node ha0 link0 mac=02:00:00:00:00:a0 ll=fe80::a0 addr=2001:db8:1::1 ha=yes prefix=2001:db8:1::/64 ra-interval=1
node r1 link1 mac=02:00:00:00:10:a0 ll=fe80::10:a0 addr=2001:db8:10::1 router=yes prefix=2001:db8:10::/64 ra-interval=1
node lfn0 mnet mac=02:00:00:00:30:a0 addr=2001:db8:100::10 ll=fe80::30:a0
# MR -> HA0 (SA1), HA0 -> MR (SA2): 3DES-CBC with HMAC-SHA1-96, as TAHI's
# manual SAs.
sa mn_to_ha spi 0x2000 enc 3des-cbc 0x0102030405060708090a0b0c0d0e0f101112131415161718 auth hmac-sha1 0x2122232425262728292a2b2c2d2e2f3031323334
sa ha_to_mn spi 0x2001 enc 3des-cbc 0x3132333435363738393a3b3c3d3e3f404142434445464748 auth hmac-sha1 0x5152535455565758595a5b5c5d5e5f6061626364
