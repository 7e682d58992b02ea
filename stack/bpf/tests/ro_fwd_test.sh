#! /usr/bin/env atf-sh
# ro_fwd_test.sh - the mobile node's and the correspondent node's eBPF
# planes end to end, with no daemon running (the tc filters and pinned
# maps outlive ro_helper and plane_helper), carrying real TCP (iperf3):
#
#   cn  cn0 ---- rt0  rt  rt1 ---- mn0  mn         rt2 ---- ha0  ha
#   2001:db8:3::5         CoA 2001:db8:2::100              HA 2001:db8:1::1
#       2001:db8:3::/64       2001:db8:2::/64   2001:db8:4::/64  (lo)
#                         HoA 2001:db8:1::100 (lo, /128)
#
# rt routes the home prefix 2001:db8:1::/64 to ha.  The home agent is its
# eBPF plane alone (ha.bpf.c through plane_helper, a binding HoA -> CoA
# set by hand): had's kernel half without the daemon.
#
# Tunnel mode: mn's replies from the HoA leave IPv6-in-IPv6 to the HA
# (mn.bpf.c egress), cn's packets come back through the HA's tunnel and
# are decapsulated (mn.bpf.c ingress), which raises an RR hint.
# Route optimisation: cn's packets carry a Type 2 Routing header to the
# CoA (cn.bpf.c egress, stripped by mn.bpf.c), mn's a Home Address option
# from the CoA (mn.bpf.c egress, swapped back by cn.bpf.c); nothing goes
# through the HA, and almost nothing through bpf_redirect_neigh (the
# programs reuse or learn the next hop's MAC).  Checksum offload is off on every link, so receivers
# verify each TCP checksum in software and tshark can check them on the
# wire: the upper-layer checksums, never touched by the programs, must be
# right (RFC 6275 §6.3, §6.4).

HELPER="@BUILDDIR@/stack/bpf/tests/ro_helper"
PLANE="@BUILDDIR@/stack/bpf/tests/plane_helper"

HOA=2001:db8:1::100
HA=2001:db8:1::1
COA=2001:db8:2::100
GW=2001:db8:2::1
CN=2001:db8:3::5
TUN="ipv6.nxt == 41"	# display filter: IPv6-in-IPv6
# A bad TCP checksum, except 0xffff for a computed 0x0000: the same value
# in one's complement (RFC 1624 §3), which Linux's software checksum
# writes (skb_checksum_help) and tshark flags.
BADSUM="tcp.checksum.status == 0 && !tcp.checksum.ffff"

# Names of this run, written down for the cleanup (another process).
names()
{
	if [ ! -e names ]; then
		printf 'P=%s\nDIR=/sys/fs/bpf/mip6kit-test-ro-%s\n' \
		    "m6t-ro-$$" "$$" > names
	fi
	. ./names
	NCN=$P-cn NRT=$P-rt NMN=$P-mn NHA=$P-ha
	# Commands in each namespace: nsenter, not `ip netns exec`, which
	# mounts a fresh /sys and hides the bpffs where the maps are pinned.
	XCN="nsenter --net=/run/netns/$NCN" XRT="nsenter --net=/run/netns/$NRT"
	XMN="nsenter --net=/run/netns/$NMN" XHA="nsenter --net=/run/netns/$NHA"
}

link()
{
	atf_check ip link add "$2" netns "$1" type veth peer name "$4" \
	    netns "$3"
	atf_check ip -n "$1" link set "$2" up
	atf_check ip -n "$3" link set "$4" up
	atf_check nsenter --net=/run/netns/"$1" "$HELPER" - nocsum "$2"
	atf_check nsenter --net=/run/netns/"$3" "$HELPER" - nocsum "$4"
}

topology()
{
	for n in $NCN $NRT $NMN $NHA; do
		atf_check ip netns add "$n"
		atf_check ip -n "$n" link set lo up
	done
	link $NCN cn0 $NRT rt0
	link $NRT rt1 $NMN mn0
	link $NRT rt2 $NHA ha0
	atf_check ip -n $NCN -6 addr add $CN/64 dev cn0 nodad
	atf_check ip -n $NRT -6 addr add 2001:db8:3::1/64 dev rt0 nodad
	atf_check ip -n $NRT -6 addr add $GW/64 dev rt1 nodad
	atf_check ip -n $NRT -6 addr add 2001:db8:4::1/64 dev rt2 nodad
	atf_check ip -n $NMN -6 addr add $COA/64 dev mn0 nodad
	atf_check ip -n $NMN -6 addr add $HOA/128 dev lo nodad
	atf_check ip -n $NHA -6 addr add 2001:db8:4::2/64 dev ha0 nodad
	atf_check ip -n $NHA -6 addr add $HA/128 dev lo nodad
	# Room for the 40-octet tunnel header or the 24-octet HAO / RH2 by
	# hand: the daemons that answer too-big packets with a PTB (stack/
	# DESIGN.md, "Path MTU") do not run here, so without these route
	# MTUs TCP's full-size segments would only be counted and dropped.
	atf_check ip -n $NCN -6 route add default via 2001:db8:3::1 mtu 1400
	atf_check ip -n $NMN -6 route add default via $GW mtu 1400
	atf_check ip -n $NHA -6 route add default via 2001:db8:4::1
	atf_check ip -n $NRT -6 route add 2001:db8:1::/64 via 2001:db8:4::2
	for n in $NRT $NHA; do
		atf_check nsenter --net=/run/netns/$n sh -c \
		    'echo 1 > /proc/sys/net/ipv6/conf/all/forwarding'
	done
}

planes()
{
	atf_check $XHA "$PLANE" "$DIR-ha" attach ha0
	atf_check $XHA "$PLANE" "$DIR-ha" local $HA 1
	atf_check $XHA "$PLANE" "$DIR-ha" bind $HOA $COA $HA
	atf_check $XMN "$HELPER" mn "$DIR-mn" attach mn0
	atf_check $XMN "$HELPER" mn "$DIR-mn" local $COA
	atf_check $XMN "$HELPER" mn "$DIR-mn" hoa $HOA $COA $HA $GW mn0
	atf_check $XCN "$HELPER" cn "$DIR-cn" attach cn0
	atf_check $XCN "$HELPER" cn "$DIR-cn" local $CN
}

# counter mn|cn NAME
counter()
{
	ns=$NMN
	[ "$1" = cn ] && ns=$NCN
	nsenter --net=/run/netns/$ns "$HELPER" $1 "$DIR-$1" counters | \
	    awk -v n="$2" '$1 == n { print $2 }'
}

# poll SECONDS WHAT CMD...: until CMD succeeds, every 50 ms, or fail
# saying WHAT did not happen.
poll()
{
	limit=$(($1 * 20)) what=$2 n=0
	shift 2
	until "$@"; do
		n=$((n + 1))
		[ $n -lt $limit ] || atf_fail "$what"
		sleep 0.05
	done
}

capturing()
{
	grep -q "Capturing on" "$1" 2>/dev/null
}

listening()
{
	$XMN ss -ltn | grep -q "\[$HOA\]:5201"
}

# capture FILE: tshark on rt1 (the mn's link) in the background until
# stop_capture; returns when it is capturing.
capture()
{
	rm -f "$1" "$1.err"
	$XRT tshark -i rt1 -n -a duration:120 -w "$1" \
	    -f "ip6 and not icmp6" 2> "$1.err" &
	CAPTURE_PID=$!
	poll 20 "tshark did not start" capturing "$1.err"
	sleep 0.5	# its filter is in place a moment after the message
}

stop_capture()
{
	kill -INT $CAPTURE_PID 2>/dev/null
	wait $CAPTURE_PID
}

# tcp_both_ways: iperf3 from cn to the HoA, 2 MB each way; both runs must
# complete (a wrong checksum or header stalls TCP and iperf3 times out).
tcp_both_ways()
{
	$XMN iperf3 -s -B $HOA -D -I "$PWD/iperf.pid" --logfile \
	    "$PWD/iperf-s.log"
	poll 10 "iperf3 server did not start" listening
	for dir in "" -R; do
		$XCN timeout 60 iperf3 -c $HOA -B $CN -n 2M $dir \
		    --connect-timeout 10000 > iperf-c.log 2>&1 || \
		    atf_fail "iperf3 $dir failed: $(cat iperf-c.log)"
		grep -q "receiver" iperf-c.log || \
		    atf_fail "iperf3 $dir: no result: $(cat iperf-c.log)"
	done
	kill "$(cat iperf.pid)" 2>/dev/null
}

# counters_are "mn|cn NAME OP N"...: each counter compared (OP: = or >).
counters_are()
{
	for c in "$@"; do
		set -- $c
		v=$(counter $1 $2)
		case $3 in
		=)	[ "$v" = "$4" ] ;;
		\>)	[ "$v" -gt "$4" ] ;;
		esac || atf_fail "counter $1 $2 is $v, want $3 $4"
	done
}

# few_redirects mn|cn COUNTER: fewer than one in ten of the COUNTER
# packets (route-optimised ones) took bpf_redirect_neigh: each that does
# passes tc egress again, which counts "pass" (as do the few NDP packets).
few_redirects()
{
	_n=$(counter $1 $2) _p=$(counter $1 pass)
	[ $((_p * 10)) -lt "$_n" ] || \
	    atf_fail "$1: pass $_p for $2 $_n: route-optimised packets redirected"
}

# tcp_run SETUP: topology, planes, SETUP (a command), then TCP both ways
# captured on the mn's link (mn.pcap).
tcp_run()
{
	names
	topology
	planes
	"$1"
	capture mn.pcap
	tcp_both_ways
	stop_capture
}

# Route optimisation between the HoA and cn, as mnd and cnd set it after
# the return routability procedure and the BU.
route_optimise()
{
	atf_check $XMN "$HELPER" mn "$DIR-mn" ro $HOA $CN $COA
	atf_check $XCN "$HELPER" cn "$DIR-cn" bind $HOA $COA
}

# packets FILE FILTER: how many captured packets match a display filter.
packets()
{
	tshark -r "$1" -n -o tcp.check_checksum:TRUE -Y "$2" 2>/dev/null | \
	    wc -l
}

# at_least N FILE FILTER MESSAGE: fail unless more than N packets match.
at_least()
{
	[ "$(packets "$2" "$3")" -gt "$1" ] || atf_fail "$4"
}

# none FILE FILTER MESSAGE: fail, showing the first three, when any
# packet matches.
none()
{
	[ "$(packets "$1" "$2")" = 0 ] && return 0
	tshark -r "$1" -n -o tcp.check_checksum:TRUE -Y "$2" -T fields \
	    -e frame.number -e ipv6.src -e ipv6.dst -e ipv6.nxt \
	    -e tcp.flags.str -e tcp.len -e tcp.checksum 2>/dev/null | \
	    head -3 > none.txt
	atf_fail "$3: $(tr '\n\t' '; ' < none.txt)"
}

atf_test_case tunnel cleanup
tunnel_head()
{
	atf_set descr "without route optimisation TCP between cn and the" \
	    "HoA runs through the HA: IPv6-in-IPv6 both ways on the mn's" \
	    "link, an RR hint raised for cn"
	atf_set require.user root
	atf_set require.progs "ip tshark iperf3 ss nsenter"
	atf_set timeout 300
}
tunnel_body()
{
	tcp_run :
	at_least 10 mn.pcap "$TUN && ipv6.src == $COA && ipv6.dst == $HA &&
	    tcp" "no reverse-tunnelled TCP from the CoA to the HA"
	at_least 10 mn.pcap "$TUN && ipv6.src == $HA && ipv6.dst == $COA &&
	    tcp" "no tunnelled TCP from the HA to the CoA"
	none mn.pcap "tcp && !($TUN)" "TCP outside the tunnel on the mn's link"
	none mn.pcap "$BADSUM" "bad TCP checksums on the wire"
	counters_are "mn tun_encap > 10" "mn tun_decap > 10" "mn rr_hint > 0" \
	    "mn hao_insert = 0" "cn rh2_insert = 0"
}
tunnel_cleanup()
{
	cleanup_all
}

atf_test_case route_optimised cleanup
route_optimised_head()
{
	atf_set descr "with route optimisation TCP between cn and the HoA" \
	    "goes direct: RH2 to the CoA one way, HAO from the CoA the" \
	    "other, checksums right, nothing through the HA"
	atf_set require.user root
	atf_set require.progs "ip tshark iperf3 ss nsenter"
	atf_set timeout 300
}
route_optimised_body()
{
	tcp_run route_optimise
	at_least 10 mn.pcap "tcp && ipv6.src == $CN && ipv6.dst == $COA &&
	    ipv6.routing.type == 2 && ipv6.routing.segleft == 1 &&
	    ipv6.routing.mipv6.home_address == $HOA" \
	    "no TCP with RH2 from cn to the CoA"
	at_least 10 mn.pcap "tcp && ipv6.src == $COA && ipv6.dst == $CN &&
	    ipv6.opt.mipv6.home_address == $HOA" \
	    "no TCP with HAO from the CoA to cn"
	none mn.pcap "$TUN || (ipv6.addr == $HOA && !ipv6.routing &&
	    !ipv6.opt.mipv6.home_address)" \
	    "packets through the tunnel or without RO headers"
	none mn.pcap "$BADSUM" "bad TCP checksums on the wire"
	at_least 20 mn.pcap "tcp.checksum.status == 1" \
	    "TCP checksums not verified"
	counters_are "mn hao_insert > 10" "mn rh2_strip > 10" \
	    "cn rh2_insert > 10" "cn hao_swap > 10" "mn tun_encap = 0" \
	    "cn drop_hao_no_bind = 0"
	# The route-optimised packets left with their Ethernet header as it
	# was (mn: the kernel's, for the unchanged destination) or with the
	# next hop's MAC learned for the CoA (cn), not redirected; the
	# receivers took them (TCP completed: a veth drops a frame to
	# another MAC), so the MACs were right.
	few_redirects mn hao_insert
	few_redirects cn rh2_insert
}
route_optimised_cleanup()
{
	cleanup_all
}

cleanup_all()
{
	[ -e names ] || return 0
	. ./names
	[ -e iperf.pid ] && kill "$(cat iperf.pid)" 2>/dev/null
	for n in $P-cn $P-rt $P-mn $P-ha; do
		ip netns del "$n" 2>/dev/null
	done
	"$PLANE" "$DIR-ha" unpin 2>/dev/null
	"$HELPER" mn "$DIR-mn" unpin 2>/dev/null
	"$HELPER" cn "$DIR-cn" unpin 2>/dev/null
	return 0
}

atf_init_test_cases()
{
	atf_add_test_case tunnel
	atf_add_test_case route_optimised
}
