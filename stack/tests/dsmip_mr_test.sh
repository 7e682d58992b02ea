#! /usr/bin/env atf-sh
#
# dsmip_mr_test.sh - a mobile router with an IPv4 mobile network prefix
# (RFC 5555 with RFC 3963) on an IPv6-only foreign link, end to end on
# topology (c), topologies/reference.topo: had (the MR's node block with
# mobile-router, its IPv6 prefix and ipv4-prefix 198.18.100.0/24),
# mip6busd, mdd and mnd (explicit mode) in mr on fl2, rt's Router
# Advertisements (radvd).  lfn (198.18.100.10 in the mobile network)
# and cn's IPv4 address (198.18.40.10) reach each other through the
# IPv4-in-IPv6 tunnel mr <-> ha: ping both ways, then a TCP transfer each
# way whose byte stream comes back whole (SHA-256, in order).  State is
# read through mip6ctl -j only.

BUILDDIR=@BUILDDIR@
SRCDIR=@SRCDIR@
. "$SRCDIR/stack/tests/dsmip.subr"

NODE=mr

# tcp_once NAME SERVER-NODE SERVER-ADDR CLIENT-NODE CLIENT-ADDR: a
# 2 s session of numbered records, echoed, checked on both ends.
tcp_once() {
	bg "$1-echo" "$2" python3 "$E2E" echo "$3" 5000 "$1-echo.json" \
	    "$1.ready"
	wait_for "$1 server" 10 test -f "$1.ready" ||
	    atf_fail "$1 server: $(oneline "$1-echo.log")"
	bg "$1-cli" "$4" python3 "$E2E" client "$3" 5000 "$5" "$1.stop" \
	    "$1-cli.json"
	wait_for "$1 connect" 15 test -f "$1-cli.json.connected" ||
	    atf_fail "$1: no connection: $(oneline "$1-cli.log")"
	sleep 2
	touch "$1.stop"
	wait "$(cat "$1-cli.bgpid")"
	wait "$(cat "$1-echo.bgpid")"
	jtrue "$1-cli.json" '(d["error"] is None and d["in_order"] and
	    d["received"] == d["sent"] and d["sent"] > 0 and
	    d["sent_sha256"] == d["received_sha256"])' ||
	    atf_fail "TCP $1: $(oneline "$1-cli.json")"
	python3 -c 'import json, sys
c, e = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
sys.exit(0 if e["error"] is None and e["received"] == c["sent"] and
         e["sha256"] == c["sent_sha256"] and e["peer"] == sys.argv[3]
         else 1)' "$1-cli.json" "$1-echo.json" "$5" ||
	    atf_fail "echo side $1: $(oneline "$1-echo.json")"
	echo "$1: $(python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["sent"])' "$1-cli.json") octets each way"
}

atf_test_case ipv4_mnp cleanup
ipv4_mnp_head() {
	atf_set descr "an MR on an IPv6-only foreign link registers an IPv4" \
	    "mobile network prefix; its IPv4 host lfn and cn's IPv4 address" \
	    "ping each other and exchange a TCP stream each way intact"
	atf_set require.user root
	atf_set require.progs ip nsenter python3 radvd ping tshark
	atf_set timeout 150
}
ipv4_mnp_body() {
	topo_up
	start_radvd
	# away: mr's port on the home bridge (link 0, endpoint 3) down
	atf_check ip -n "m6-$(cat run.id)-switch" link set p0.3 down
	start_bus
	start_had "mobile-node $MR_HOA6 {
	mobile-router
	mobile-network-prefix 2001:db8:100::/64
	ipv4-prefix $MNP4
}"
	start_mdd home:5 fl2:10
	cat >mnd.conf <<EOF
# written by dsmip_mr_test
interface fl2;
interface home;
home-address $MR_HOA6/64 home-agent $HA6;
ipv4-prefix $MNP4;
home-agent-ipv4 $HA4;
mobile-router yes;
registration-mode explicit;
mobile-network-prefix 2001:db8:100::/64 interface mnet;
lifetime 120;
bus $PWD/bus;
control-socket $PWD/mnd.sock;
state-dir $(cat state.dir)/mnd;
EOF
	start_mnd
	wait_for BOUND 20 ctl_true mnd bul '[b for b in d["bul"] if b["home"]
	    and b["reg_state"] == "BOUND" and
	    b["coa"].startswith("2001:db8:20:")]' ||
	    atf_fail "no BOUND registration on fl2: $(oneline mnd-bul.json)" \
	        "$(tail -6 mnd.log | oneline)"
	# RFC 5555 4.5 [R]: the HA acknowledged the IPv4 prefix and routes it
	wait_for binding 10 ctl_true had bindings '[b for b in d["bindings"]
	    if b["hoa"] == "'"$MR_HOA6"'" and "198.18.100.0" in
	    __import__("json").dumps(b)]' ||
	    atf_fail "had: no IPv4 prefix in the binding:" \
	        "$(oneline had-bindings.json)"
	wait_for ping 20 in_ns lfn ping -4 -c 1 -W 1 "$CN4" ||
	    atf_fail "lfn -> $CN4: no echo reply"
	atf_check -o match:' 0% packet loss' ip netns exec "$(ns lfn)" \
	    ping -4 -c 3 -i 0.2 -W 2 "$CN4"
	atf_check -o match:' 0% packet loss' ip netns exec "$(ns cn)" \
	    ping -4 -c 3 -i 0.2 -W 2 "$LFN4"
	tcp_once lfn-to-cn cn "$CN4" lfn "$LFN4"
	tcp_once cn-to-lfn lfn "$LFN4" cn "$CN4"
	# all of it through the tunnel (RFC 5555 4.1 [R], IPv6 CoA:
	# IPv4-in-IPv6 between the HA and the MR's care-of address), seen
	# on fl2's capture: the only way, mr having no IPv4 on fl2
	tshark -r topo/pcap/fl2.pcap -Y 'ipv6.nxt == 4' -T fields \
	    -e ipv6.src -e ipv6.dst -e ip.src -e ip.dst 2>/dev/null |
	    sort | uniq -c >tunnel.txt
	echo "IPv4-in-IPv6 on fl2 (packets, outer, inner):"
	cat tunnel.txt
	python3 - "$HA6" "$LFN4" "$CN4" <<'PY' ||
import sys
ha, lfn, cn = sys.argv[1:]
up = down = 0
for ln in open("tunnel.txt"):
    n, osrc, odst, isrc, idst = ln.split()
    if osrc.startswith("2001:db8:20:") and odst == ha and \
            (isrc, idst) == (lfn, cn):
        up += int(n)
    if osrc == ha and odst.startswith("2001:db8:20:") and \
            (isrc, idst) == (cn, lfn):
        down += int(n)
sys.exit(0 if up >= 10 and down >= 10 else 1)
PY
	    atf_fail "not through the IPv4-in-IPv6 tunnel: $(oneline tunnel.txt)"
}
ipv4_mnp_cleanup() {
	stop_all
}

atf_init_test_cases() {
	atf_add_test_case ipv4_mnp
}
