#! /usr/bin/env atf-sh
#
# check_test.sh - mip6dump --check on the malformed capture (one packet per
# failure class, between valid packets): every crafted violation is reported
# with its packet number and nothing else is, decoding goes on after each
# bad packet, and the exit status and summary line say what was found.

MIP6DUMP=@BUILDDIR@/mip6dump
HELPER=@BUILDDIR@/tools/mip6dump/tests/mkpcap_helper
PYTHON=/usr/bin/python3

malformed() {
	atf_check "$HELPER" malformed bad.pcap
}

atf_test_case expected_violations
expected_violations_head() {
	atf_set descr "--check -j reports exactly the crafted violation codes" \
	    "for every packet (bad.pcap.expect)"
}
expected_violations_body() {
	malformed
	atf_check -s exit:1 -o save:out.json -e ignore \
	    "$MIP6DUMP" --check -j bad.pcap
	cat > compare.py <<'EOF'
import json, sys
want = {}
for line in open("bad.pcap.expect"):
    f = line.split()
    want[int(f[0])] = sorted(f[1:])
got = {}
for line in open("out.json"):
    o = json.loads(line)
    vs = o["packet"]["violations"]
    got[o["n"]] = sorted(v["code"] for v in vs)
    for v in vs:
        assert set(v) == {"code", "severity", "clause", "offset", "message"}, v
        assert v["message"], v
bad = [n for n in sorted(want) if got.get(n) != want[n]]
for n in bad:
    print("packet %d: want %s, got %s" % (n, want[n], got.get(n)))
sys.exit(1 if bad or len(got) != len(want) else 0)
EOF
	atf_check "$PYTHON" compare.py
}

atf_test_case text_messages
text_messages_head() {
	atf_set descr "--check text: 'packet N: message [severity code," \
	    "clause, offset]' lines under the packets"
}
text_messages_body() {
	malformed
	atf_check -s exit:1 -o save:out -e ignore "$MIP6DUMP" --check bad.pcap
	# The capture stops 20 bytes into the 32-byte MH of packet 2.
	atf_check -o inline:"packet 2: MH Header Len 3 (32 bytes) but 20 bytes captured [error mh-hdrlen-past-end, RFC 6275 §6.1.1, offset 79]\n" \
	    grep "^packet 2: MH" out
	atf_check -o inline:"packet 4: MH checksum 0xbad0, expected 0xa059 [error mh-checksum, RFC 6275 §6.1.1, offset 82]\n" \
	    grep "^packet 4: " out
	atf_check -o inline:"packet 12: MH Payload Proto 6, expected 59 [warning mh-payload-proto, RFC 6275 §6.1.1, offset 78]\n" \
	    grep "^packet 12: " out
	atf_check -o inline:"packet 20: unrecognized MH Type 200 (answer: Binding Error status 2) [info mh-unknown-type, RFC 6275 §9.2, offset 56]\n" \
	    grep "^packet 20: " out
	atf_check -o inline:"packet 22: IPv6 header needs 40 bytes but 20 bytes captured [error truncated, offset 14]\n" \
	    grep "^packet 22: " out
	# Each violation line follows its packet's line.
	atf_check -o inline:"4 1700000000.300000\npacket 4:\n" \
	    sh -c "grep -A1 '^4 ' out | cut -d' ' -f1,2"
}

atf_test_case valid_packets_between
valid_packets_between_head() {
	atf_set descr "the valid packets around each bad one are decoded and" \
	    "printed in full, without violations"
}
valid_packets_between_body() {
	malformed
	atf_check -s exit:1 -o save:out -e ignore "$MIP6DUMP" --check bad.pcap
	# Every packet has its line, in order.
	atf_check -o inline:"$(seq 1 27 | tr '\n' ' ')\n" \
	    sh -c "grep -v '^packet ' out | cut -d' ' -f1 | tr '\n' ' '; echo"
	# The valid ones (odd numbers) carry their whole message.
	atf_check -o match:"^1 1700000000.000000 .*BU seq=10 A H K lifetime=420s hoa=2001:db8:1::100$" cat out
	atf_check -o match:"^3 1700000000.200000 .*BA status=0 K seq=11 lifetime=420s rh2=2001:db8:1::100 bra=208s$" cat out
	atf_check -o match:"^5 1700000000.400000 .*HoTI cookie=0102030405060708$" cat out
	atf_check -o match:"^7 1700000000.600000 .*BRR$" cat out
	atf_check -o match:"^27 1700000002.600000 .*BA status=0 K seq=23 lifetime=420s rh2=2001:db8:1::100 bra=208s$" cat out
	atf_check -s exit:1 grep -E "^packet (1|3|5|7|9|11|13|15|17|19|21|23|25|27):" out
}

atf_test_case summary_and_status
summary_and_status_head() {
	atf_set descr "the summary line on stderr and the exit status: 1 for" \
	    "errors and warnings, 0 when only informative findings or none"
}
summary_and_status_body() {
	malformed
	atf_check -s exit:1 -o ignore \
	    -e inline:"27 packets, 26 mobility packets, 13 with violations\n" \
	    "$MIP6DUMP" --check bad.pcap
	# Without --check: the same output but for packet 22, which only
	# --check prints (its IPv6 header is cut: not known as mobility), no
	# summary, exit 0.
	atf_check -o save:plain "$MIP6DUMP" bad.pcap
	atf_check -s exit:1 -o save:checked -e ignore "$MIP6DUMP" --check bad.pcap
	atf_check -s exit:1 grep -E "^(22 |packet 22:)" plain
	atf_check -o match:"^22 1700000002.100000 " cat checked
	grep -v -E "^(22 |packet 22:)" checked > checked.no22
	atf_check diff plain checked.no22
	# Only the unknown MH type (severity info): reported, exit 0.  Its MH
	# follows the IPv6 header directly: Type is octet 40 + 2.
	atf_check -o save:info \
	    -e inline:"1 packets, 1 mobility packets, 1 with violations\n" \
	    "$MIP6DUMP" --check bad.pcap 'ip6[42] == 200'
	atf_check -o match:"^packet 20: unrecognized MH Type 200" cat info
	atf_check "$HELPER" sample sample.pcap
	atf_check -o ignore \
	    -e inline:"32 packets, 29 mobility packets, 0 with violations\n" \
	    "$MIP6DUMP" --check sample.pcap
}

atf_test_case every_format_survives
every_format_survives_head() {
	atf_set descr "-v, -a, -j and --ladder on the malformed capture: no" \
	    "crash, output for every packet"
}
every_format_survives_body() {
	malformed
	atf_check -o save:v "$MIP6DUMP" -v -a bad.pcap
	atf_check -o match:"^27 1700000002.600000 " cat v
	atf_check -o save:j "$MIP6DUMP" -j -a bad.pcap
	atf_check -o inline:"27\n" sh -c "wc -l < j"
	atf_check -o ignore "$PYTHON" -c 'import json, sys
[json.loads(l) for l in open("j")]'
	atf_check -s exit:1 -o save:l -e ignore "$MIP6DUMP" --ladder --check bad.pcap
	atf_check -o match:"^ladder: [0-9]+ bindings" cat l
	atf_check -o match:"^packet 4: MH checksum" cat l
	atf_check -o match:"violation mh-checksum" cat l
}

atf_test_case ladder_check_json
ladder_check_json_head() {
	atf_set descr "--ladder --check -j: violations as objects with n, ts" \
	    "and violations, then the ladder"
}
ladder_check_json_body() {
	malformed
	atf_check -s exit:1 -o save:out -e ignore \
	    "$MIP6DUMP" --ladder --check -j bad.pcap
	cat > check.py <<'EOF'
import json
ns = []
for line in open("out"):
    o = json.loads(line)
    if "violations" in o:
        assert set(o) == {"n", "ts", "violations"}, o
        ns.append(o["n"])
assert ns == list(range(2, 27, 2)), ns
assert "ladder" in o, o
EOF
	atf_check "$PYTHON" check.py
}

atf_init_test_cases() {
	atf_add_test_case expected_violations
	atf_add_test_case text_messages
	atf_add_test_case valid_packets_between
	atf_add_test_case summary_and_status
	atf_add_test_case every_format_survives
	atf_add_test_case ladder_check_json
}
