# fake-mn-ipsec.nut - a scripted mobile node with manually keyed SAs to its
# home agent (TAHI's MN-HA SA1/SA2), on virtual time with no network: it
# shows that the IPsec cases of conformance/cases/mn (TAHI group 13.1,
# `requires ipsec`) can be expressed and judged without a stack that does
# ESP (conformance/engine/tests/ipsec_fake_test.sh).  The address plan is
# mip6kit-mn.nut's (conformance/topologies/mn-links.topo); the SAs are the
# ones a real mobile node's description must declare under these names.
# It moves nowhere: the fake control only records `nut move`, and
# fake-mn-ipsec.responder sends the Binding Update at 3.5 s.
nut fake-mn-ipsec
title Scripted mobile node, BU/BA protected by manual ESP SAs (fake network device)
role mn
capability ipsec
netdev fake fake-mn-ipsec.responder
control fake
topology mn-links link0 link1 link2
link link0 tester=link0 mac=02:00:00:00:00:a0
link link1 tester=link1 mac=02:00:00:00:10:a0
link link2 tester=link2 mac=02:00:00:00:20:a0
iface link0 dev=link0 mac=02:00:00:00:01:01 ll=fe80::ff:fe00:101 hoa=2001:db8:1::100
iface link1 dev=link1 mac=02:00:00:00:11:01 ll=fe80::ff:fe00:1101 coa=2001:db8:10::ff:fe00:1101
iface link2 dev=link2 mac=02:00:00:00:21:01 ll=fe80::ff:fe00:2101 coa=2001:db8:20::ff:fe00:2101
node ha0 link0 mac=02:00:00:00:00:a0 ll=fe80::a0 addr=2001:db8:1::1 ha=yes prefix=2001:db8:1::/64 ra-interval=1
node r1 link1 mac=02:00:00:00:10:a0 ll=fe80::10:a0 addr=2001:db8:10::1 router=yes prefix=2001:db8:10::/64 ra-interval=1
node r2 link2 mac=02:00:00:00:20:a0 ll=fe80::20:a0 addr=2001:db8:20::1 router=yes prefix=2001:db8:20::/64 ra-interval=1
# MN -> HA0 (SA1) and HA0 -> MN (SA2): ESP transport mode, AES-CBC with
# HMAC-SHA1-96 (RFC 3776 §5.1: non-NULL authentication).
sa mn_to_ha spi 0x1000 enc aes-cbc 0x0102030405060708090a0b0c0d0e0f10 auth hmac-sha1 0x2122232425262728292a2b2c2d2e2f3031323334
sa ha_to_mn spi 0x1001 enc aes-cbc 0x1112131415161718191a1b1c1d1e1f20 auth hmac-sha1 0x4142434445464748494a4b4c4d4e4f5051525354
