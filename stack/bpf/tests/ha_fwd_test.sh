#! /usr/bin/env atf-sh
# ha_fwd_test.sh - the home agent's forwarding plane end to end, with no
# daemon running (the tc filter and pinned maps outlive plane_helper):
#
#   cn  cn0 ---- ha0  ha  ha1 ---- mn0  mn
#   2001:db8:3::5     HA 2001:db8:1::1 (lo)   CoA 2001:db8:2::100
#       2001:db8:3::/64                2001:db8:2::/64
#
# An Echo Request from cn to the home address 2001:db8:1::100 must reach
# mn0 as IPv6-in-IPv6 (outer 2001:db8:1::1 > CoA, Next Header 41, inner
# hop limit decremented) after bpf_redirect_neigh resolved the CoA; the
# mn's reverse-tunnelled Echo Reply must be decapsulated (RFC 6275
# §10.4.5) and reach cn as a plain HoA > cn packet, while the same reply
# from a wrong CoA is dropped.  tshark, independent of our decoder,
# reads the captures.

HELPER="@BUILDDIR@/stack/bpf/tests/plane_helper"

HOA=2001:db8:1::100
HA=2001:db8:1::1
COA=2001:db8:2::100
CN=2001:db8:3::5

# capture (tshark known to be capturing), del_netns
. "@SRCDIR@/stack/bpf/tests/fwdtest.subr"

# The helper runs in the HA's namespace through nsenter, not `ip netns
# exec`: that one mounts a fresh /sys, hiding the bpffs where the maps
# are pinned.

# Names of this run, written down for the cleanup (another process).
names()
{
	if [ ! -e names ]; then
		p="m6t-hbpf-$$"
		printf 'P=%s\nDIR=/sys/fs/bpf/mip6kit-test-fwd-%s\n' "$p" "$$" \
		    > names
	fi
	. ./names
	NCN=$P-cn NHA=$P-ha NMN=$P-mn
}

topology()
{
	for n in $NCN $NHA $NMN; do
		atf_check ip netns add "$n"
		atf_check ip netns exec "$n" ip link set lo up
	done
	atf_check ip link add cn0 netns "$NCN" type veth peer name ha0 \
	    netns "$NHA"
	atf_check ip link add ha1 netns "$NHA" type veth peer name mn0 \
	    netns "$NMN"
	atf_check ip netns exec "$NCN" ip -6 addr add $CN/64 dev cn0 nodad
	atf_check ip netns exec "$NHA" ip -6 addr add 2001:db8:3::1/64 dev ha0 nodad
	atf_check ip netns exec "$NHA" ip -6 addr add 2001:db8:2::1/64 dev ha1 nodad
	atf_check ip netns exec "$NHA" ip -6 addr add $HA/128 dev lo
	atf_check ip netns exec "$NMN" ip -6 addr add $COA/64 dev mn0 nodad
	atf_check ip netns exec "$NMN" ip -6 addr add 2001:db8:2::666/64 dev mn0 nodad
	for l in "$NCN cn0" "$NHA ha0" "$NHA ha1" "$NMN mn0"; do
		set -- $l
		atf_check ip netns exec "$1" ip link set "$2" up
	done
	atf_check ip netns exec "$NCN" ip -6 route add 2001:db8:1::/64 via 2001:db8:3::1
	atf_check ip netns exec "$NMN" ip -6 route add 2001:db8:1::/64 via 2001:db8:2::1
	atf_check ip netns exec "$NHA" sh -c \
	    'echo 1 > /proc/sys/net/ipv6/conf/all/forwarding'
}

# The plane on both HA interfaces, the HA address, one binding.
plane()
{
	atf_check nsenter --net=/run/netns/"$NHA" "$HELPER" "$DIR" attach ha0
	atf_check nsenter --net=/run/netns/"$NHA" "$HELPER" "$DIR" attach ha1
	atf_check nsenter --net=/run/netns/"$NHA" "$HELPER" "$DIR" local $HA 1
	atf_check nsenter --net=/run/netns/"$NHA" "$HELPER" "$DIR" bind $HOA $COA $HA
}

# send_until_captured NS ARGS...: send with the helper until the capture
# started by capture() has its packet (on a loaded machine tshark may say
# it is capturing a moment before its filter is in place), 10 tries.
send_until_captured()
{
	netns=$1
	shift
	n=0
	while kill -0 "$CAPTURE_PID" 2>/dev/null; do
		n=$((n + 1))
		[ $n -le 10 ] || break
		atf_check ip netns exec "$netns" "$HELPER" - send "$@"
		sleep 0.5
	done
	wait $CAPTURE_PID
}

# fields FILE FIELD...: the first packet's fields, tab separated.
fields()
{
	f=$1
	shift
	args=
	for x in "$@"; do
		args="$args -e $x"
	done
	tshark -r "$f" -n -T fields -E occurrence=a -E aggregator=, $args
}

counter()
{
	nsenter --net=/run/netns/"$NHA" "$HELPER" "$DIR" counters | awk -v n="$1" '$1 == n { print $2 }'
}

atf_test_case forward_and_reverse cleanup
forward_and_reverse_head()
{
	atf_set descr "cn > HoA is tunnelled to the CoA; the mn's" \
	    "reverse-tunnelled reply is decapsulated and reaches cn; a" \
	    "wrong CoA is dropped"
	atf_set require.user root
	atf_set require.progs "ip tshark"
	atf_set timeout 120
}
forward_and_reverse_body()
{
	names
	topology
	plane

	# cn > HoA: arrives at the mn tunnelled.
	capture "$NMN" mn0 "ip6 proto 41" mn.pcap
	send_until_captured "$NCN" $CN $HOA
	fields mn.pcap ipv6.nxt ipv6.src ipv6.dst ipv6.hlim icmpv6.type > mn.txt
	atf_check -o inline:"41,58\t$HA,$CN\t$COA,$HOA\t64,63\t128\n" \
	    cat mn.txt
	[ "$(counter tun_encap)" -ge 1 ] || atf_fail "tun_encap not counted"

	# The mn's reply, reverse-tunnelled: cn sees it plain.
	capture "$NCN" cn0 "icmp6 and ip6[40] == 129" cn.pcap
	send_until_captured "$NMN" $HOA $CN $COA $HA
	fields cn.pcap ipv6.nxt ipv6.src ipv6.dst ipv6.hlim icmpv6.type \
	    icmpv6.echo.identifier > cn.txt
	atf_check -o inline:"58\t$HOA\t$CN\t63\t129\t0x6d36\n" \
	    cat cn.txt
	decap=$(counter tun_decap)
	[ "$decap" -ge 1 ] || atf_fail "tun_decap not counted"

	# The same reply from another address of the mn: dropped.
	atf_check ip netns exec "$NMN" "$HELPER" - send $HOA $CN 2001:db8:2::666 $HA
	n=0
	while [ "$(counter drop_rt_coa)" != 1 ]; do
		n=$((n + 1))
		[ $n -lt 40 ] || atf_fail "drop_rt_coa not counted"
		sleep 0.05
	done
	[ "$(counter tun_decap)" = "$decap" ] || atf_fail "a wrong CoA got through"
}
forward_and_reverse_cleanup()
{
	[ -e names ] || return 0
	. ./names
	del_netns $P-cn $P-ha $P-mn
	"$HELPER" "$DIR" unpin 2>/dev/null
	return 0
}

atf_init_test_cases()
{
	atf_add_test_case forward_and_reverse
}
