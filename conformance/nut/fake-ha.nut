# fake-ha.nut - a scripted home agent that accepts home registrations,
# on virtual time with no network (engine and case tests).  Its home link
# is link0; mobile nodes reach it from the foreign link link1.
nut fake-ha
title Scripted Mobile IPv6 home agent (fake network device)
role ha
capability none
netdev fake fake-ha.responder
control fake
topology one-link link0
topology ha-home link0 link1
link link0 tester=tn0 mac=02:00:00:00:00:a0
link link1 tester=tn1 mac=02:00:00:00:10:a0
iface link0 dev=eth0 mac=02:00:00:00:01:01 addr=2001:db8:1::1 ll=fe80::200:ff:fe00:101
iface link1 dev=eth1 mac=02:00:00:00:11:01 addr=2001:db8:2::1 ll=fe80::200:ff:fe00:1101
node tn link0 mac=02:00:00:00:00:a0 addr=2001:db8:1::a0 ll=fe80::a0
node mn0 link1 mac=02:00:00:00:10:b0 coa=2001:db8:2::b0 hoa=2001:db8:1::b0
