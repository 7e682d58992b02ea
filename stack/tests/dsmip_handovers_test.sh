#! /usr/bin/env atf-sh
#
# dsmip_handovers_test.sh - Dual-Stack MIPv6 (RFC 5555) end to end on
# topology (c), topologies/reference.topo: had (IPv4 address on the home
# link, a static IPv4 home address for the MN), mip6busd, mdd and mnd in
# mn, rt's Router Advertisements (radvd), the topology's DHCPv4 servers
# (dnsmasq on nat and rt) and dhclient in mn.  The MN holds an IPv6 and
# an IPv4 TCP session with cn (echo servers on 2001:db8:40::10 and
# 198.18.40.10) while it moves
#
#   fl1 (IPv6 only) -> fl4 (IPv4 only, private address behind nat's
#   masquerade: BU in UDP/IPv4 to port 4191) -> fl3 (dual stack: the
#   IPv6 care-of address wins, RFC 5555 4.4.1 [R]) -> home
#
# A move is a carrier change seen by mdd: the peer's end of the old link
# goes down (rt's fl1, nat's fl4, rt's fl3) and the new one comes up
# (the home link: mn's port of the home bridge).  Both byte streams must
# come back whole (SHA-256, in order, no reset); 2 ms UDP probes from cn
# to each home address measure each move's loss and outage, printed and
# bounded.  State is read through mip6ctl -j only.  Back home, mnd puts
# the IPv4 home address on the home link (/24, the home link's prefix
# length in mnd.conf) and announces it by gratuitous ARP, so rt's ARP
# entry moves from the home agent's proxy to mn (RFC 5555 4.5 [R]); the
# home link's static IPv4 default route (via rt, set up here) carries
# the session then.  The pcaps of every link stay in the work
# directory's topo/pcap/.

BUILDDIR=@BUILDDIR@
SRCDIR=@SRCDIR@
. "$SRCDIR/stack/tests/dsmip.subr"

NODE=mn
# Bound on each move's outage, per family (ms).  Detection is a carrier
# change plus at most 70 ms to the next RA; then BU -> BA with the HA
# (the first BU over a new NAT mapping included) and the map updates:
# tens of ms on an idle machine, but a daemon on the loaded 2-core CI
# machine may wait hundreds of ms for a CPU and one lost BU costs a
# retransmission (InitialBindackTimeout, 1 s).
OUTAGE_MS=3000

# carrier NODE IFNAME up|down: the far end of one of mn's links (mn's
# own interface stays up, so its addresses and routes stay, as when a
# laptop leaves a network).  The router keeps its IPv6 addresses while
# its interface is down (keep_addr_on_down), as a real router's link
# coming back would have them.
carrier() {
	ip netns exec "$(ns "$1")" sysctl -qw \
	    "net.ipv6.conf.$2.keep_addr_on_down=1" 2>/dev/null	# none on nat
	link_set "$1" "$2" "$3"
}

# home_port up|down: mn's port on the home bridge (link 0, endpoint 2 in
# reference.topo: "link home ha rt mn mr").
home_port() {
	atf_check ip -n "m6-$(cat run.id)-switch" link set p0.2 "$1"
}

# bound COA-TEST: mnd's home registration BOUND with a care-of address
# for which the Python expression COA-TEST (on c, the entry's JSON text)
# holds; then had's binding cache agrees.
bound() {
	wait_for BOUND 20 ctl_true mnd bul '[b for b in d["bul"] if b["home"]
	    and b["reg_state"] == "BOUND" and (lambda c: '"$1"')(
	    __import__("json").dumps(b))]' ||
	    atf_fail "no BOUND registration ($1): $(oneline mnd-bul.json)" \
	        "$(tail -6 mnd.log | oneline)"
	wait_for binding 10 ctl_true had bindings '[b for b in d["bindings"]
	    if (lambda c: '"$1"')(__import__("json").dumps(b))]' ||
	    atf_fail "had's binding ($1): $(oneline had-bindings.json)"
}

# check_tcp 6|4: that family's session came back whole: no reset on
# either side, the echo identical to what was sent (SHA-256, in order).
check_tcp() {
	jtrue "cli$1.json" '(d["error"] is None and d["in_order"] and
	    d["received"] == d["sent"] and d["sent"] > 0 and
	    d["sent_sha256"] == d["received_sha256"])' ||
	    atf_fail "TCP (IPv$1): $(oneline "cli$1.json")"
	python3 -c 'import json, sys
c, e = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
sys.exit(0 if e["error"] is None and e["received"] == c["sent"] and
         e["sha256"] == c["sent_sha256"] else 1)' "cli$1.json" \
	    "echo$1.json" ||
	    atf_fail "echo side (IPv$1): $(oneline "echo$1.json" 2>&1)"
}

# check_moves 6|4 N...: moves N (0: fl1->fl4, 1: fl4->fl3, 2: fl3->home)
# of that family's probe stream had an outage within OUTAGE_MS and the
# stream flowed again before the next move.
check_moves() {
	_f=$1
	shift
	for _m in "$@"; do
		jtrue "loss$_f.json" '(len(d) == 3 and d['"$_m"']["probes"] > 500
		    and d['"$_m"']["outage_ms"] <= '"$OUTAGE_MS"' and
		    d['"$_m"']["tail_lost"] == 0)' ||
		    atf_fail "IPv$_f move $_m: outage over $OUTAGE_MS ms or" \
		        "no recovery: $(oneline "loss$_f.json")"
	done
}

atf_test_case handovers cleanup
handovers_head() {
	atf_set descr "an IPv4 and an IPv6 TCP session of the MN with cn" \
	    "survive fl1 (IPv6) -> fl4 (IPv4 behind NAT, DHCPv4) -> fl3" \
	    "(dual stack) -> home without reset, every byte back in order;" \
	    "UDP probes measure each move's outage (bounded)"
	atf_set require.user root
	atf_set require.progs ip nsenter python3 radvd dnsmasq dhclient
	atf_set timeout 240
}
handovers_body() {
	topo_up
	start_radvd
	# DHCPv4 leases on the two IPv4 links while they have carrier
	dhcp4 fl4 192.0.2.10 192.0.2.99
	V4COA=$LEASE
	dhcp4 fl3 198.18.3.10 198.18.3.99
	V4DS=$LEASE
	echo "DHCPv4: fl4 $V4COA, fl3 $V4DS"
	# A lease's default route must not be used while its link has no
	# carrier (mdd does the same for IPv6): IPv4 from the home address
	# then takes mnd's route, into the tunnel.
	for i in fl3 fl4 home; do
		atf_check -o ignore ip netns exec "$(ns mn)" sysctl -w \
		    "net.ipv4.conf.$i.ignore_routes_with_linkdown=1"
	done
	# The home link's static IPv4 configuration: its router (the
	# address itself is mnd's); onlink, as mn has no address there yet.
	atf_check ip -n "$(ns mn)" route add default via 203.0.113.254 \
	    dev home onlink metric 300
	# start on fl1 only
	carrier nat fl4 down
	carrier rt fl3 down
	home_port down
	start_bus
	start_had "mobile-node $HOA6 {
	ipv4-home-address $HOA4
}"
	start_mdd home:5 fl1:10 fl3:20 fl4:30
	cat >mnd.conf <<EOF
# written by dsmip_handovers_test
interface fl1;
interface fl3;
interface fl4;
interface home;
home-address $HOA6/64 home-agent $HA6;
ipv4-home-address $HOA4/24;
home-agent-ipv4 $HA4;
lifetime 120;
bus $PWD/bus;
control-socket $PWD/mnd.sock;
state-dir $(cat state.dir)/mnd;
EOF
	start_mnd
	bound '"2001:db8:10::" in c'
	wait_for "IPv4 HoA" 10 sh -c "ip -n $(ns mn) -4 addr show dev lo |
	    grep -q ' $HOA4/32'" ||
	    atf_fail "no IPv4 home address on lo: $(oneline mnd-bul.json)"

	# the sessions: echo servers on cn, clients and probe receivers on mn
	bg echo6 cn python3 "$E2E" echo "$CN6" 5000 echo6.json echo6.ready
	bg echo4 cn python3 "$E2E" echo "$CN4" 5000 echo4.json echo4.ready
	bg prx6 mn python3 "$E2E" probe-rx "$HOA6" 5001 prx.stop prx6.ready \
	    prx6.flowing prx6.json
	bg prx4 mn python3 "$E2E" probe-rx "$HOA4" 5001 prx.stop prx4.ready \
	    prx4.flowing prx4.json
	wait_for servers 10 test -f echo6.ready -a -f echo4.ready \
	    -a -f prx6.ready -a -f prx4.ready ||
	    atf_fail "servers: $(cat echo6.log echo4.log prx6.log prx4.log |
	        oneline)"
	bg cli6 mn python3 "$E2E" client "$CN6" 5000 "$HOA6" cli.stop cli6.json
	bg cli4 mn python3 "$E2E" client "$CN4" 5000 "$HOA4" cli.stop cli4.json
	bg ptx6 cn python3 "$E2E" probe-tx "$HOA6" 5001 ptx.stop ptx6.json
	bg ptx4 cn python3 "$E2E" probe-tx "$HOA4" 5001 ptx.stop ptx4.json
	wait_for "IPv6 session" 20 test -f cli6.json.connected -a \
	    -f prx6.flowing || atf_fail "IPv6 through the tunnel:" \
	        "$(cat cli6.log prx6.log | oneline)"
	wait_for "IPv4 session" 20 test -f cli4.json.connected -a \
	    -f prx4.flowing || atf_fail "IPv4 (IPv4-in-IPv6):" \
	        "$(cat cli4.log prx4.log | oneline)"
	sleep 1

	mark "fl1(IPv6)->fl4(IPv4+NAT)"
	carrier nat fl4 up
	carrier rt fl1 down
	bound '"'"$V4COA"'" in c'
	# RFC 5555 4.2 [R]: the HA saw the NAT (the outer source is nat's
	# public address, not the care-of address in the BU)
	jtrue had-bindings.json '"198.51.100.1" in __import__("json").dumps(d)' ||
	    atf_fail "had does not see the NAT: $(oneline had-bindings.json)"
	sleep 3

	mark "fl4(IPv4+NAT)->fl3(dual)"
	carrier rt fl3 up
	carrier nat fl4 down
	bound '"2001:db8:30::" in c'
	sleep 3

	mark "fl3(dual)->home"
	home_port up
	carrier rt fl3 down
	wait_for IDLE 20 ctl_true mnd bul '[b for b in d["bul"] if b["home"]
	    and b["reg_state"] == "IDLE"]' ||
	    atf_fail "no de-registration at home: $(oneline mnd-bul.json)" \
	        "$(tail -6 mnd.log | oneline)"
	wait_for unbound 10 ctl_true had bindings 'd["bindings"] == []' ||
	    atf_fail "had still binds: $(oneline had-bindings.json)"
	# RFC 5555 4.5 [R]: the IPv4 home address on the home link with
	# its prefix length, off lo, mnd's route through 169.254.0.1 gone
	wait_for "IPv4 HoA at home" 10 sh -c "ip -n $(ns mn) -4 addr show \
	    dev home | grep -q ' $HOA4/24 '" ||
	    atf_fail "IPv4 home address not on the home link:" \
	        "$(ip -n "$(ns mn)" -4 addr | oneline)"
	ip -n "$(ns mn)" -4 addr show dev lo >lo4.txt
	atf_check -s exit:1 grep -q " $HOA4/" lo4.txt
	ip -n "$(ns mn)" -4 route show >route4-home.txt
	atf_check -s exit:1 grep -q 169.254.0.1 route4-home.txt
	# the gratuitous ARP: rt's entry for the address is mn's MAC now,
	# no longer the home agent's (02:00:00:00:01:01)
	wait_for "rt's ARP entry" 5 sh -c "ip -n $(ns rt) -4 neigh show \
	    $HOA4 dev home | grep -q 02:00:00:00:01:02" ||
	    atf_fail "rt's ARP entry for $HOA4:" \
	        "$(ip -n "$(ns rt)" -4 neigh show "$HOA4" | oneline)"
	sleep 3

	touch cli.stop ptx.stop
	for p in ptx6 ptx4 cli6 cli4 echo6 echo4; do
		wait "$(cat $p.bgpid)"
	done
	sleep 0.5	# the last probes' way through
	touch prx.stop
	wait "$(cat prx6.bgpid)"
	wait "$(cat prx4.bgpid)"
	echo "IPv6 probes cn -> $HOA6:"
	python3 "$E2E" loss ptx6.json prx6.json marks loss6.json ||
	    atf_fail "loss (IPv6)"
	echo "IPv4 probes cn -> $HOA4:"
	python3 "$E2E" loss ptx4.json prx4.json marks loss4.json ||
	    atf_fail "loss (IPv4)"
	# IPv6: every move within the bound, the stream intact
	check_tcp 6
	check_moves 6 0 1 2
	# IPv4: every move within the bound, home included, the stream
	# intact
	check_tcp 4
	check_moves 4 0 1 2
}
handovers_cleanup() {
	stop_all
}

atf_init_test_cases() {
	atf_add_test_case handovers
}
