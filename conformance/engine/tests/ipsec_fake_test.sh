#! /usr/bin/env atf-sh
# ipsec_fake_test.sh - the IPsec cases (TAHI group 13.1, manual keys:
# conformance/cases/mn/MN-1-1-2-1-*, conformance/cases/mr/
# NEMO-MR-1-1-2-1-001) expressed and judged by the engine without a stack
# that does ESP: they pass against the scripted mobile node and mobile
# router with manual SAs (conformance/nut/fake-mn-ipsec.nut,
# fake-mr-ipsec.nut; the tester seals and opens ESP with the SAs of the
# description), they fail with what differs against one that sends its
# Binding Update in the clear, with a forged ICV, without the Alternate
# Care-of Address option, or that takes an unprotected or forged
# acknowledgement, and they are skipped by a NUT without the ipsec
# capability; the JSON report shows the protected messages decrypted.  The ESP bytes are checked against scapy in tmpl_test.

MIP6CONF="@BUILDDIR@/mip6conf"
SRC="@SRCDIR@"
. "$SRC/conformance/engine/tests/fake.subr"

MN_CASES="MN-1-1-2-1-001 MN-1-1-2-1-101 MN-1-1-2-1-102"

# A copy of fake-mn-ipsec.nut in DIR whose responder sed SCRIPT changed.
fake_mn()
{
	mkdir "$1"
	cp "$SRC/conformance/nut/fake-mn-ipsec.nut" "$1/"
	sed -e "$2" "$SRC/conformance/nut/fake-mn-ipsec.responder" \
	    > "$1/fake-mn-ipsec.responder"
}

# MN-1-1-2-1-001 fails against the fake MN in DIR with a line matching RE.
fails_001()
{
	atf_check -s exit:1 -o save:tap "$MIP6CONF" \
	    -s "$SRC/conformance/cases" -n "$1/fake-mn-ipsec.nut" \
	    MN-1-1-2-1-001
	atf_check -o match:"^not ok 1 - MN-1-1-2-1-001 " -o match:"$2" cat tap
}

atf_test_case cases_pass
cases_pass_head()
{
	atf_set "descr" "the IPsec cases pass against the scripted mobile" \
	    "node and mobile router with manual SAs"
}
cases_pass_body()
{
	# shellcheck disable=SC2086
	fake_cases_pass fake-mn-ipsec $MN_CASES
	# the report shows what the SAs protect, decrypted
	atf_check -o match:"ESP spi=0x00001000 seq=1 BU seq=10 A H" \
	    -o match:"ESP spi=0x00001001 seq=1 BA status=0 seq=10" \
	    -o match:"ESP spi=0x00001000 seq=2 BU seq=11 A H" \
	    cat results.json
	fake_cases_pass fake-mr-ipsec NEMO-MR-1-1-2-1-001
}

atf_test_case unprotected_or_forged_fails
unprotected_or_forged_fails_head()
{
	atf_set "descr" "a Binding Update in the clear or with a forged ICV," \
	    "or without the Alternate Care-of Address option, fails with" \
	    "what differs"
}
unprotected_or_forged_fails_body()
{
	fake_mn plain '/^packet bu$/,/^end$/{/esp sa=mn_to_ha/d;}'
	fails_001 plain "layers: expected ipv6 esp mh vs actual ipv6 hao mh$"
	fake_mn forged '/^packet bu$/,/^end$/s/esp sa=mn_to_ha/& icv=bad/'
	fails_001 forged \
	    "\(ESP not opened: integrity check value does not match\)$"
	fake_mn spi '/^packet bu$/,/^end$/s/esp sa=mn_to_ha/& spi=0x1234/'
	fails_001 spi "actual ipv6 hao esp data \(ESP not opened: no SA of the NUT description has SPI 0x1234\)$"
	mkdir mr
	cp "$SRC/conformance/nut/fake-mr-ipsec.nut" mr/
	sed -e 's/ acoa=\$nut.link1.coa//' \
	    "$SRC/conformance/nut/fake-mr-ipsec.responder" \
	    > mr/fake-mr-ipsec.responder
	atf_check -s exit:1 -o match:"^not ok 1 - NEMO-MR-1-1-2-1-001 " \
	    -o match:"BU option acoa: expected 2001:db8:10::ff:fe00:1101 vs actual absent$" \
	    "$MIP6CONF" -s "$SRC/conformance/cases" -n mr/fake-mr-ipsec.nut \
	    NEMO-MR-1-1-2-1-001
}

atf_test_case accepting_unprotected_fails
accepting_unprotected_fails_head()
{
	atf_set "descr" "a mobile node that takes an unprotected or forged" \
	    "Binding Acknowledgement (no retransmission) fails"
}
accepting_unprotected_fails_body()
{
	fake_mn accept '/^on link1 /d'
	# shellcheck disable=SC2086
	atf_check -s exit:1 -o save:tap "$MIP6CONF" \
	    -s "$SRC/conformance/cases" -n accept/fake-mn-ipsec.nut $MN_CASES
	atf_check -o match:"^ok 1 - MN-1-1-2-1-001 " \
	    -o match:"^not ok 2 - MN-1-1-2-1-101 " \
	    -o match:"^# FAIL: MN-1-1-2-1-101.case:[0-9]+: expected rtx .* nothing received" \
	    -o match:"^not ok 3 - MN-1-1-2-1-102 " \
	    -o match:"^# FAIL: MN-1-1-2-1-102.case:[0-9]+: expected rtx .* nothing received" \
	    cat tap
	# one that retransmits after a protected acknowledgement too
	fake_mn always '/^at 3.5 /i\
expect ba_protected\
  ipv6 src=$ha0.addr dst=$nut.link1.coa\
  esp sa=ha_to_mn\
end\
on link1 ba_protected reply bu_again after 1.45'
	atf_check -s exit:1 -o match:"^not ok 1 - MN-1-1-2-1-001 " \
	    -o match:"^# FAIL: MN-1-1-2-1-001.case:[0-9]+: .*any_bu" \
	    "$MIP6CONF" -s "$SRC/conformance/cases" \
	    -n always/fake-mn-ipsec.nut MN-1-1-2-1-001
}

atf_test_case skipped_without_ipsec
skipped_without_ipsec_head()
{
	atf_set "descr" "the cases are skipped by a NUT that does not claim" \
	    "the ipsec capability"
}
skipped_without_ipsec_body()
{
	mkdir nocap
	sed -e 's/^capability ipsec$/capability none/' \
	    "$SRC/conformance/nut/fake-mn-ipsec.nut" > nocap/fake-mn-ipsec.nut
	cp "$SRC/conformance/nut/fake-mn-ipsec.responder" nocap/
	# shellcheck disable=SC2086
	atf_check -o save:tap "$MIP6CONF" -s "$SRC/conformance/cases" \
	    -n nocap/fake-mn-ipsec.nut $MN_CASES
	for c in $MN_CASES; do
		atf_check -o match:"^ok [0-9]+ - $c .*# SKIP capability ipsec not claimed by the NUT$" \
		    cat tap
	done
}

atf_init_test_cases()
{
	atf_add_test_case cases_pass
	atf_add_test_case unprotected_or_forged_fails
	atf_add_test_case accepting_unprotected_fails
	atf_add_test_case skipped_without_ipsec
}
