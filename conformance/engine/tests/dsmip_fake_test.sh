#! /usr/bin/env atf-sh
# dsmip_fake_test.sh - the DSMIPv6 home agent cases (conformance/cases/
# dsmip, RFC 5555) expressed and judged by the engine: the signalling
# cases pass against the scripted dual-stack home agent
# conformance/nut/fake-dsmip-ha.nut (IPv4/UDP 4191 Binding Updates from a
# forged IPv4 care-of address and through a forged NAT, the IPv4 options
# both ways), a home agent that answers otherwise fails them with the
# field that differs, and the traffic cases fail against it (it forwards
# nothing, and answers no ARP: the proxy ARP cases fail too, the second
# at its set-up, so that its silence after the de-registration is never
# taken for a pass).  The bytes of such a UDP-encapsulated Binding Update are
# checked against scapy in tmpl_test.

MIP6CONF="@BUILDDIR@/mip6conf"
SRC="@SRCDIR@"
. "$SRC/conformance/engine/tests/fake.subr"

SIGNALLING="DSMIP-HA-1-1-1 DSMIP-HA-1-1-2 DSMIP-HA-1-1-3 DSMIP-HA-1-1-4
DSMIP-HA-1-1-5 DSMIP-HA-1-1-6 DSMIP-HA-1-1-8 DSMIP-HA-1-2-1 DSMIP-HA-1-2-2
DSMIP-HA-1-4-2 DSMIP-HA-1-4-3 DSMIP-HA-2-1-1"

atf_test_case signalling_cases_pass
signalling_cases_pass_head()
{
	atf_set "descr" "the DSMIP-HA signalling cases pass against the" \
	    "scripted dual-stack home agent"
}
signalling_cases_pass_body()
{
	# shellcheck disable=SC2086
	fake_cases_pass fake-dsmip-ha $SIGNALLING
}

atf_test_case wrong_answers_fail
wrong_answers_fail_head()
{
	atf_set "descr" "a home agent that grants a forbidden IPv4 home" \
	    "address or prefix, gives an address twice, or misses the NAT," \
	    "fails with the field that differs"
}
wrong_answers_fail_body()
{
	mkdir nut
	cp "$SRC/conformance/nut/fake-dsmip-ha.nut" nut/
	sed -e 's/v4ack=129,\$mn0.v4forbidden\/0/v4ack=0,$mn0.v4forbidden\/32/' \
	    -e 's/ natd=110s$//' \
	    -e 's/v4ack=132,0.0.0.0\/0$/v4ack=0,$mn1.v4dyn\/32/' \
	    -e 's/R \(.*\) v4ack=133,0.0.0.0\/0$/R \1 v4ack=0,$mr0.v4mnpforbidden/' \
	    "$SRC/conformance/nut/fake-dsmip-ha.responder" \
	    > nut/fake-dsmip-ha.responder
	atf_check -s exit:1 -o save:tap "$MIP6CONF" \
	    -s "$SRC/conformance/cases" -n nut/fake-dsmip-ha.nut \
	    DSMIP-HA-1-1-3 DSMIP-HA-1-2-2 DSMIP-HA-1-1-8 DSMIP-HA-1-4-2
	atf_check -o match:"^not ok 1 - DSMIP-HA-1-1-3 " \
	    -o match:"BA option v4ack-status: expected oneof\(129, 130\) vs actual 0$" \
	    -o match:"^not ok 2 - DSMIP-HA-1-2-2 " \
	    -o match:"BA option natd-refresh: expected < 4294967295s vs actual absent$" \
	    -o match:"^not ok 3 - DSMIP-HA-1-1-8 " \
	    -o match:"BA option v4ack-status: expected 132 vs actual 0$" \
	    -o match:"^not ok 4 - DSMIP-HA-1-4-2 " \
	    -o match:"BA option v4ack-status: expected 133 vs actual 0$" \
	    cat tap
}

atf_test_case traffic_cases_need_forwarding
traffic_cases_need_forwarding_head()
{
	atf_set "descr" "the traffic and proxy ARP cases fail against a" \
	    "home agent that forwards nothing and answers no ARP, naming" \
	    "the packet that did not come"
}
traffic_cases_need_forwarding_body()
{
	atf_check -s exit:1 -o save:tap "$MIP6CONF" \
	    -s "$SRC/conformance/cases" \
	    -n "$SRC/conformance/nut/fake-dsmip-ha.nut" \
	    DSMIP-HA-1-2-3 DSMIP-HA-1-2-4 DSMIP-HA-1-3-1 DSMIP-HA-1-4-1 \
	    DSMIP-HA-1-3-3 DSMIP-HA-1-3-4
	atf_check -o match:"^not ok 1 - DSMIP-HA-1-2-3 " \
	    -o match:"expected echo_udp .* nothing received" \
	    -o match:"^not ok 2 - DSMIP-HA-1-2-4 " \
	    -o match:"expected echo_6in4 .* nothing received" \
	    -o match:"^not ok 3 - DSMIP-HA-1-3-1 " \
	    -o match:"expected v4in6 .* nothing received" \
	    -o match:"^not ok 4 - DSMIP-HA-1-4-1 " \
	    -o match:"^not ok 5 - DSMIP-HA-1-3-3 " \
	    -o match:"^# FAIL: .*expected arp_reply .* nothing received" \
	    -o match:"^not ok 6 - DSMIP-HA-1-3-4 " \
	    -o match:"^# INIT-FAIL: .*expected arp_reply .* nothing received" \
	    cat tap
}

atf_init_test_cases()
{
	atf_add_test_case signalling_cases_pass
	atf_add_test_case wrong_answers_fail
	atf_add_test_case traffic_cases_need_forwarding
}
