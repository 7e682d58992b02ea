#! /usr/bin/env atf-sh
#
# output_test.sh - mip6dump's per-packet output on the helper's sample
# capture: the default lines (golden file), which packets are printed, -a,
# -c, filters and numbering, -v, -j, and the same output from pcapng, from
# the standard input and from every supported link type.

MIP6DUMP=@BUILDDIR@/mip6dump
HELPER=@BUILDDIR@/tools/mip6dump/tests/mkpcap_helper
GOLDEN=@SRCDIR@/tools/mip6dump/tests/golden
PYTHON=/usr/bin/python3

sample() {
	atf_check "$HELPER" sample sample.pcap
}

atf_test_case default_golden
default_golden_head() {
	atf_set descr "default output: one line per mobility packet, exactly" \
	    "the golden file"
}
default_golden_body() {
	sample
	atf_check -o file:"$GOLDEN/sample.txt" "$MIP6DUMP" sample.pcap
}

atf_test_case selection
selection_head() {
	atf_set descr "only mobility packets by default (not NS, a plain echo" \
	    "or IPv6-in-IPv4 data); -a prints all 32"
}
selection_body() {
	sample
	atf_check -o save:default "$MIP6DUMP" sample.pcap
	atf_check -o inline:"1 3 4 5 6 7 8 9 10 11 12 13 14 15 16 18 19 20 21 22 23 24 25 26 27 28 29 31 32 \n" \
	    sh -c "cut -d' ' -f1 default | tr '\n' ' '; echo"
	atf_check -o save:all "$MIP6DUMP" -a sample.pcap
	atf_check -o inline:"$(seq 1 32 | tr '\n' ' ')\n" \
	    sh -c "cut -d' ' -f1 all | tr '\n' ' '; echo"
	atf_check -o inline:"2 1700000000.050000 fe80::200 > ff02::1:ff00:1: NS tgt=2001:db8:1::1\n" \
	    grep "^2 " all
	atf_check -o inline:"30 1700000410.600000 IP 192.0.2.10 > 198.51.100.1: IP6 | 2001:db8:1::300 > 2001:db8:3::5: echo-request id=9 seq=0\n" \
	    grep "^30 " all
	# The mobility packets of -a are the default lines.
	grep -v -E "^(2|17|30) " all > all.mobility
	atf_check -o file:default cat all.mobility
}

atf_test_case encapsulations
encapsulations_head() {
	atf_set descr "mobility packets inside IPv6-in-IPv6 and IPv4/UDP 4191" \
	    "are printed with their encapsulation"
}
encapsulations_body() {
	sample
	atf_check -o save:out "$MIP6DUMP" sample.pcap
	atf_check -o inline:"11 1700000006.000000 2001:db8:2::100 > 2001:db8:1::1: IP6 | 2001:db8:1::100 > 2001:db8:3::5: HoTI cookie=0102030405060708\n" \
	    grep "^11 " out
	atf_check -o inline:"27 1700000410.000000 IP 192.0.2.10.61000 > 198.51.100.1.4191 UDP | 2001:db8:1::300 > 2001:db8:1::1: BU seq=1 A H K lifetime=420s v4hoa=203.0.113.7/24 v4coa=10.0.0.10\n" \
	    grep "^27 " out
	atf_check -o inline:"29 1700000410.500000 IP 192.0.2.10.61000 > 198.51.100.1.4191 UDP | IP 203.0.113.7 > 198.51.100.80: udp 5000 > 53 len 12\n" \
	    grep "^29 " out
}

atf_test_case icmp6_errors
icmp6_errors_head() {
	atf_set descr "an ICMPv6 error quoting a BU is a mobility packet, one" \
	    "quoting a plain echo request is not"
}
icmp6_errors_body() {
	atf_check "$HELPER" edges edges.pcap
	atf_check -o save:out "$MIP6DUMP" edges.pcap
	atf_check -o inline:"12 1700000060.000000 2001:db8:1::1 > 2001:db8:2::100: param-problem code=0 ptr=64\n" \
	    grep "^12 " out
	atf_check -s exit:1 grep "^13 " out
	atf_check -o match:"^13 1700000070.000000 2001:db8:3::6 > 2001:db8:2::100: dest-unreach code=0$" \
	    "$MIP6DUMP" -a edges.pcap
}

atf_test_case count_and_filter
count_and_filter_head() {
	atf_set descr "-c stops after N packets; a filter keeps the file's" \
	    "packet numbers"
}
count_and_filter_body() {
	sample
	atf_check -o save:c3 "$MIP6DUMP" -c 3 sample.pcap
	atf_check -o inline:"1 3 \n" sh -c "cut -d' ' -f1 c3 | tr '\n' ' '; echo"
	atf_check -o save:ip4 "$MIP6DUMP" sample.pcap ip
	atf_check -o inline:"27 28 29 \n" \
	    sh -c "cut -d' ' -f1 ip4 | tr '\n' ' '; echo"
	atf_check -o save:c2 "$MIP6DUMP" --count 2 -r sample.pcap udp port 4191
	atf_check -o inline:"27 28 \n" \
	    sh -c "cut -d' ' -f1 c2 | tr '\n' ' '; echo"
}

atf_test_case verbose
verbose_head() {
	atf_set descr "-v: the packet line, then every header's fields"
}
verbose_body() {
	sample
	atf_check -o save:v "$MIP6DUMP" -v sample.pcap
	# Packet 27's block, up to the next packet line.
	sed -n '/^27 /,/^28 /p' v | sed '$d' > v27
	atf_check -o match:"^27 1700000410.000000 IP 192.0.2.10.61000 > 198.51.100.1.4191 UDP \| " \
	    head -n 1 v27
	atf_check -o match:"^ipv4 192.0.2.10 > 198.51.100.1 .* proto 17 \(udp\) " cat v27
	atf_check -o match:"^udp 61000 > 4191 length 80 " cat v27
	atf_check -o match:"^    Sequence: 1$" cat v27
	atf_check -o match:"^    Flags: 0xd000 A H K$" cat v27
	atf_check -o match:"^    Lifetime: 105 \(420 s\)$" cat v27
	atf_check -o match:"^    Option IPv4 Care-of Address \(32\) at offset 20, Length 6: 10.0.0.10, Reserved 0$" \
	    cat v27
	# Every default line is in the verbose output, in order.
	grep -E "^[0-9]+ 17" v > v.lines
	atf_check -o file:"$GOLDEN/sample.txt" cat v.lines
}

atf_test_case json_lines
json_lines_head() {
	atf_set descr "-j: one JSON object per line with n, ts, len, caplen," \
	    "mobility and the library's brief packet object (violations" \
	    "inside); -j -v: the full object"
}
json_lines_body() {
	sample
	atf_check -o save:out.json "$MIP6DUMP" -j sample.pcap
	cat > check.py <<'EOF'
import json
objs = [json.loads(l, parse_float=str) for l in open("out.json")]
ns = [o["n"] for o in objs]
assert ns == [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19,
              20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 31, 32], ns
for o in objs:
    assert list(o) == ["n", "ts", "len", "caplen", "mobility", "packet"], \
        list(o)
    assert o["mobility"] is True and o["packet"]["violations"] == [], o
    assert o["len"] == o["caplen"], o
by = {o["n"]: o for o in objs}
# Time stamps: seconds with exactly six decimals.
assert by[1]["ts"] == "1700000000.000000", by[1]["ts"]
assert by[8]["ts"] == "1700000004.701234", by[8]["ts"]
assert by[32]["ts"] == "1700000600.000900", by[32]["ts"]
bu = by[5]["packet"]
assert [l["kind"] for l in bu["layers"]] == ["ethernet", "ipv6", "dstopt",
                                             "mh"], bu["layers"]
assert by[5]["len"] == 94, by[5]["len"]
assert bu["mh"]["abbrev"] == "BU" and bu["mh"]["seq"] == 100, bu["mh"]
assert bu["mh"]["flags"] == ["A", "H", "K"] and bu["mh"]["lifetime_s"] == 420
ba = by[8]["packet"]["mh"]
assert ba["abbrev"] == "BA" and ba["seq"] == 100 and ba["lifetime_s"] == 400
assert by[27]["packet"]["encap"] == "udp4191", by[27]["packet"]
assert by[11]["packet"]["encap"] == "ip6ip6", by[11]["packet"]
assert by[4]["packet"]["icmp6"]["home_agents"] == ["2001:db8:1::1",
                                                   "2001:db8:1::2"]
# Brief: addressing only in layers; no offsets, padding or checksums.
assert bu["layers"][0] == {"kind": "ethernet"}, bu["layers"][0]
assert bu["layers"][1] == {"kind": "ipv6", "src": "2001:db8:2::100",
                           "dst": "2001:db8:1::1"}, bu["layers"][1]
assert bu["layers"][2] == {"kind": "dstopt", "hao": "2001:db8:1::100"}
assert "checksum" not in bu["mh"] and "name" not in bu["mh"], bu["mh"]
assert all(opt["abbrev"] not in ("pad1", "padn")
           for opt in bu["mh"]["options"]), bu["mh"]["options"]
EOF
	atf_check "$PYTHON" check.py
	# -j -v: the full object, same packets, every field.
	atf_check -o save:full.json "$MIP6DUMP" -j -v sample.pcap
	cat > full.py <<'EOF'
import json
objs = [json.loads(l, parse_float=str) for l in open("full.json")]
by = {o["n"]: o for o in objs}
bu = by[5]["packet"]
eth, ip6, dst = bu["layers"][0], bu["layers"][1], bu["layers"][2]
assert eth["offset"] == 0 and eth["length"] == 14 and "src" in eth, eth
assert ip6["hlim"] == 64 and ip6["nh"] == 60 and ip6["plen"] == 40, ip6
assert dst["hao"] == "2001:db8:1::100" and dst["pad_bytes"] == 4, dst
assert bu["mh"]["name"] == "Binding Update", bu["mh"]
assert bu["mh"]["payload_proto"] == 59 and "checksum" in bu["mh"], bu["mh"]
assert [o["abbrev"] for o in bu["mh"]["options"]] == ["padn"], bu["mh"]
assert [o["n"] for o in objs] == sorted(by), "same packets as brief"
EOF
	atf_check "$PYTHON" full.py
	# -a adds the other packets, marked as such.
	atf_check -o save:all.json "$MIP6DUMP" -j -a sample.pcap
	atf_check -o inline:"2 false\n17 false\n30 false\n" "$PYTHON" -c '
import json
for l in open("all.json"):
    o = json.loads(l)
    if not o["mobility"]:
        print(o["n"], "false")'
}

atf_test_case pcapng_same_output
pcapng_same_output_head() {
	atf_set descr "the capture converted to pcapng gives identical output"
	atf_set require.progs editcap
}
pcapng_same_output_body() {
	sample
	atf_check editcap -F pcapng sample.pcap sample.pcapng
	# A pcapng Section Header Block starts with 0a 0d 0d 0a.
	atf_check -o inline:" 0a 0d 0d 0a\n" od -An -tx1 -N4 sample.pcapng
	for args in "" "-a" "-v" "-j" "--ladder" "--ladder -j"; do
		atf_check -o save:pcap.out "$MIP6DUMP" $args sample.pcap
		atf_check -o file:pcap.out "$MIP6DUMP" $args sample.pcapng
	done
}

atf_test_case standard_input
standard_input_head() {
	atf_set descr "'-' reads the capture from the standard input"
}
standard_input_body() {
	sample
	atf_check -o file:"$GOLDEN/sample.txt" sh -c "'$MIP6DUMP' - < sample.pcap"
	atf_check -o file:"$GOLDEN/sample.txt" sh -c "'$MIP6DUMP' -r - < sample.pcap"
}

atf_test_case link_types
link_types_head() {
	atf_set descr "raw IP (link types 101, 12 and 14), Linux cooked and" \
	    "BSD loopback captures decode to the same lines"
}
link_types_body() {
	for link in raw raw12 raw14 sll null; do
		atf_check "$HELPER" -l $link sample $link.pcap
		atf_check -o file:"$GOLDEN/sample.txt" "$MIP6DUMP" $link.pcap
	done
}

atf_init_test_cases() {
	atf_add_test_case default_golden
	atf_add_test_case selection
	atf_add_test_case encapsulations
	atf_add_test_case icmp6_errors
	atf_add_test_case count_and_filter
	atf_add_test_case verbose
	atf_add_test_case json_lines
	atf_add_test_case pcapng_same_output
	atf_add_test_case standard_input
	atf_add_test_case link_types
}
