# fake-cn.nut - a scripted correspondent node (RFC 6275 §9) answering the
# return routability procedure with fixed nonce indices and keygen tokens,
# Binding Updates with signed Binding Acknowledgements, and the HAO and
# Mobility Header errors of the CN cases it is run with; on virtual time,
# with no network.  It proves the CN cases and the engine's Binding
# Authorization Data (tokens=) in both directions (engine tests).
nut fake-cn
title Scripted Mobile IPv6 correspondent node (fake network device)
role cn
capability ro
netdev fake fake-cn.responder
control fake
topology cn-link link0
link link0 tester=tn0 mac=02:00:00:00:00:a0
iface link0 dev=eth0 mac=02:00:00:00:01:01 addr=2001:db8:1::1 ll=fe80::ff:fe00:101
node tn link0 mac=02:00:00:00:00:a0 addr=2001:db8:1::a0 ll=fe80::a0
node mn0 link0 mac=02:00:00:00:00:a0 coa=2001:db8:10::b0 coa2=2001:db8:20::b0 hoa=2001:db8:5::b0 haaddr=2001:db8:5::1
node mn1 link0 mac=02:00:00:00:00:a0 coa=2001:db8:10::b1 hoa=2001:db8:5::b1
