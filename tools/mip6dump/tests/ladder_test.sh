#! /usr/bin/env atf-sh
#
# ladder_test.sh - mip6dump --ladder: the per-binding message sequences of
# the sample capture and of the helper's hard cases, with annotations whose
# values follow from the timestamps mkpcap_helper wrote (see build_sample
# and build_edges there), as text and as JSON, and the bounded state.

MIP6DUMP=@BUILDDIR@/mip6dump
HELPER=@BUILDDIR@/tools/mip6dump/tests/mkpcap_helper
GOLDEN=@SRCDIR@/tools/mip6dump/tests/golden
PYTHON=/usr/bin/python3

sample() {
	atf_check "$HELPER" sample sample.pcap
	atf_check -o save:ladder "$MIP6DUMP" --ladder sample.pcap
}

# The annotations of the row of packet $1 (between the brackets) are $2.
check_notes() {
	sed -n "s/^ *[0-9.]*  #$1 .*  \[\(.*\)\]\$/\1/p" ladder > notes.$1
	printf '%s\n' "$2" > want.$1
	atf_check -o file:want.$1 cat notes.$1
}

atf_test_case sample_golden
sample_golden_head() {
	atf_set descr "the sample's ladder is exactly the golden file"
}
sample_golden_body() {
	sample
	atf_check -o file:"$GOLDEN/sample.ladder" cat ladder
}

atf_test_case home_registration
home_registration_head() {
	atf_set descr "BU lost twice: retransmissions after 1.5 s and 3 s" \
	    "(back-off x2.0), BA 1.234 ms after the last one, lifetimes"
}
home_registration_body() {
	sample
	check_notes 6 "retransmission #1 of seq 100 after 1.500 s"
	check_notes 7 "retransmission #2 of seq 100 after 3.000 s (back-off x2.0)"
	check_notes 8 "BA after 1.234 ms; lifetime 400s granted (asked 420s)"
	check_notes 19 "BA after 1.100 ms; lifetime 400s granted (asked 420s)"
	check_notes 31 "deregistration"
	check_notes 32 "BA after 0.900 ms; binding deleted"
	atf_check -o inline:"  summary: 3 registrations (3 accepted, 0 rejected, 0 without BA), 2 retransmissions, max back-off x2.0, BU->BA RTT min/avg/max 0.900/1.078/1.234 ms, 0 home tests, 0 care-of tests, 0 BRR, 0 BE\n" \
	    sh -c "sed -n '/^binding 2001:db8:1::100 <-> 2001:db8:1::1 /,/summary/p' ladder | tail -n 1"
	# Rows: the time since the first packet, the number, the direction.
	atf_check -o match:"^     4.701234  #8     HA->MN  BA status=0 K seq=100 " cat ladder
}

atf_test_case return_routability
return_routability_head() {
	atf_set descr "HoTI/HoT and CoTI/CoT matched by cookie, the CoTI" \
	    "from the alternate care-of address merged into the home" \
	    "address's binding; BRR and the BU it caused"
}
return_routability_body() {
	sample
	sed -n '/^binding 2001:db8:1::100 <-> 2001:db8:3::5 /,/summary/p' \
	    ladder > cn
	atf_check -o inline:"11 12 13 14 15 16 20 21 22 \n" \
	    sh -c "sed -n 's/^ *[0-9.]*  #\([0-9]*\) .*/\1/p' cn | tr '\n' ' '; echo"
	check_notes 11 "via ip6ip6"
	check_notes 13 "CoT after 15.200 ms"
	check_notes 14 "via ip6ip6; HoT after 30.100 ms"
	check_notes 16 "BA after 14.200 ms; lifetime 420s granted (asked 420s)"
	check_notes 20 "via ip6ip6; refresh requested"
	check_notes 21 "10.500 ms after BRR"
	check_notes 22 "BA after 14.400 ms; lifetime 420s granted (asked 420s)"
	atf_check -o match:"max back-off -, BU->BA RTT min/avg/max 14.200/14.300/14.400 ms, 1 home tests, 1 care-of tests, 1 BRR, 0 BE$" \
	    tail -n 1 cn
	atf_check -s exit:1 grep "home address unknown" ladder
}

atf_test_case nemo_dsmip_be
nemo_dsmip_be_head() {
	atf_set descr "the NEMO router's and the DSMIPv6 node's bindings, and a" \
	    "Binding Error keyed by its Home Address field"
}
nemo_dsmip_be_body() {
	sample
	atf_check -o inline:"binding 2001:db8:1::100 <-> 2001:db8:1::1 (home agent)\nbinding 2001:db8:1::100 <-> 2001:db8:3::5 (correspondent)\nbinding 2001:db8:1::100 <-> 2001:db8:3::6 (correspondent)\nbinding 2001:db8:1::200 <-> 2001:db8:1::1 (home agent)\nbinding 2001:db8:1::300 <-> 2001:db8:1::1 (home agent)\n" \
	    grep "^binding" ladder
	check_notes 24 "binding error: Unknown binding for Home Address destination option (status 1)"
	check_notes 26 "BA after 1.300 ms; lifetime 420s granted (asked 420s)"
	check_notes 27 "via udp4191"
	check_notes 28 "via udp4191; BA after 2.100 ms; lifetime 420s granted (asked 420s)"
	atf_check -o inline:"ladder: 5 bindings, 0 evicted (max 1024)\n" tail -n 1 ladder
}

atf_test_case edge_cases
edge_cases_head() {
	atf_set descr "retransmissions with new sequence numbers, a rejection," \
	    "a duplicate and an unmatched BA, no BA, an unmatched HoT," \
	    "care-of tests without a home address"
}
edge_cases_body() {
	atf_check "$HELPER" edges edges.pcap
	atf_check -o save:ladder "$MIP6DUMP" --ladder edges.pcap
	atf_check -o file:"$GOLDEN/edges.ladder" cat ladder
	check_notes 2 "retransmission #1 of seq 10 as seq 11 after 1.000 s"
	check_notes 3 "retransmission #2 of seq 10 as seq 12 after 2.000 s (back-off x2.0)"
	check_notes 4 "BA after 2.002 s; rejected: Sequence number out of window (status 135)"
	check_notes 5 "BA after 3.000 ms; lifetime 400s granted (asked 400s)"
	check_notes 6 "duplicate BA; lifetime 400s granted"
	check_notes 7 "no BA"
	check_notes 8 "no matching BU; lifetime 400s granted"
	check_notes 9 "no matching HoTI"
	atf_check -o match:"^binding 2001:db8:2::999 <-> 2001:db8:3::6 \(correspondent, care-of address, home address unknown\)$" \
	    cat ladder
	atf_check -o match:"^    40.000000  #10    CoA->CN  CoTI " cat ladder
	atf_check -o match:"^  summary: 2 registrations \(1 accepted, 0 rejected, 1 without BA\), 2 retransmissions, max back-off x2.0, BU->BA RTT min/avg/max 3.000/1002.500/2002.000 ms," \
	    cat ladder
	# A BU without the A flag expects no BA: no "no BA".
	atf_check -o match:"^    50.000000  #11    MN->CN  BU seq=300 lifetime=40s hoa=2001:db8:1::100$" \
	    cat ladder
}

atf_test_case json_ladder
json_ladder_head() {
	atf_set descr "--ladder -j: the same ladder as JSON, one binding per" \
	    "line, then the totals"
}
json_ladder_body() {
	atf_check "$HELPER" sample sample.pcap
	atf_check -o save:out.json "$MIP6DUMP" --ladder -j sample.pcap
	cat > check.py <<'EOF'
import json
lines = [json.loads(l, parse_float=str) for l in open("out.json")]
assert lines[-1] == {"ladder": {"bindings": 5, "evicted": 0,
                                "max_bindings": 1024}}, lines[-1]
ha = lines[0]
assert ha["binding"] == {"mn": "2001:db8:1::100", "peer": "2001:db8:1::1",
                         "role": "home agent", "provisional": False,
                         "evicted": False}, ha["binding"]
rows = {r["n"]: r for r in ha["rows"]}
assert list(rows) == [5, 6, 7, 8, 18, 19, 31, 32], list(rows)
assert rows[6]["retransmission"] == 1 and "backoff" not in rows[6]
assert rows[7]["retransmission"] == 2 and rows[7]["backoff"] == "2.0"
assert rows[7]["t"] == "4.700000" and rows[7]["dir"] == "MN->HA"
assert rows[8]["rtt_ms"] == "1.234", rows[8]
assert rows[8]["notes"] == ["BA after 1.234 ms",
                            "lifetime 400s granted (asked 420s)"]
assert rows[8]["msg"].startswith("BA status=0 K seq=100 "), rows[8]
s = ha["summary"]
assert s["registrations"] == 3 and s["accepted"] == 3 and s["no_ba"] == 0
assert s["retransmissions"] == 2 and s["max_backoff"] == "2.0"
assert s["rtt_ms"] == {"min": "0.900", "avg": "1.078", "max": "1.234",
                       "count": 3}, s["rtt_ms"]
cn = lines[1]
assert cn["binding"]["role"] == "correspondent"
assert {r["n"]: r.get("rtt_ms") for r in cn["rows"]} == {
    11: None, 12: None, 13: "15.200", 14: "30.100", 15: None, 16: "14.200",
    20: None, 21: None, 22: "14.400"}
assert lines[2]["summary"]["be"] == 1 and lines[2]["summary"]["rtt_ms"] is None
EOF
	atf_check "$PYTHON" check.py
}

atf_test_case bounded_state
bounded_state_head() {
	atf_set descr "--max-bindings: the least recently used binding is" \
	    "printed when evicted, evictions are counted"
}
bounded_state_body() {
	atf_check "$HELPER" sample sample.pcap
	atf_check -o save:ladder "$MIP6DUMP" --ladder --max-bindings 2 sample.pcap
	atf_check -o inline:"ladder: 7 bindings, 5 evicted (max 2)\n" tail -n 1 ladder
	atf_check -o inline:"5\n" sh -c "grep -c '^binding .*evicted)$' ladder"
	# The home binding went out after packet 12 (a care-of test made a
	# third binding) and came back with packet 18.
	atf_check -o match:"^binding 2001:db8:1::100 <-> 2001:db8:1::1 \(home agent, evicted\)$" \
	    head -n 1 ladder
	atf_check -o inline:"5 6 7 8 \n" sh -c "sed -n '2,/summary/s/^ *[0-9.]*  #\([0-9]*\) .*/\1/p' ladder | tr '\n' ' '; echo"
	# Every message is still in some binding's rows.
	atf_check -o inline:"22\n" sh -c "grep -c '^ *[0-9.]*  #' ladder"
	atf_check -o save:full "$MIP6DUMP" --ladder sample.pcap
	atf_check -o inline:"22\n" sh -c "grep -c '^ *[0-9.]*  #' full"
	atf_check -o save:j "$MIP6DUMP" --ladder -j --max-bindings 1 sample.pcap
	atf_check -o match:'^\{"ladder":\{"bindings":[0-9]+,"evicted":[0-9]+,"max_bindings":1\}\}$' \
	    tail -n 1 j
}

atf_init_test_cases() {
	atf_add_test_case sample_golden
	atf_add_test_case home_registration
	atf_add_test_case return_routability
	atf_add_test_case nemo_dsmip_be
	atf_add_test_case edge_cases
	atf_add_test_case json_ladder
	atf_add_test_case bounded_state
}
