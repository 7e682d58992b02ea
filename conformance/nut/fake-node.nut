# fake-node.nut - a scripted plain IPv6 node (no Mobile IPv6) that answers
# as RFC 8200, RFC 4443 and RFC 6275 §11.3.5 say.  It runs the cases on
# virtual time, with no network, to test the engine and the cases.
nut fake-node
title Scripted IPv6 node without Mobile IPv6 (fake network device)
role node
capability none
netdev fake fake-node.responder
control fake
topology one-link link0
link link0 tester=tn0 mac=02:00:00:00:00:a0
iface link0 dev=eth0 mac=02:00:00:00:01:01 addr=2001:db8:1::1 ll=fe80::200:ff:fe00:101
node tn link0 mac=02:00:00:00:00:a0 addr=2001:db8:1::a0 ll=fe80::a0
node mn0 link0 mac=02:00:00:00:00:b0 coa=2001:db8:1::b0 hoa=2001:db8:5::b0
