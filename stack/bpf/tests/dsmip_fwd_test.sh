#! /usr/bin/env atf-sh
# dsmip_fwd_test.sh - DSMIPv6 (RFC 5555) IPv4 home address end to end
# through the two eBPF planes, no daemon running (bindings written by the
# test helpers, the tc filters and pinned maps outlive them):
#
#   cn  cn0 ------- ha0  ha  ha1 ------- mn0  mn
#   198.51.100.5/24      HA 2001:db8:1::1 (lo)     CoA 2001:db8:2::100
#                        ha1 fe80::1               IPv4 HoA 192.0.2.100 (lo)
#
# cn pings the IPv4 home address: ha.bpf.c tunnels the request IPv4-in-
# IPv6 (Next Header 4, inner TTL less one) to the CoA, mn.bpf.c strips it
# (RFC 5555 §4.3); the reply leaves the mn from the IPv4 HoA, mn.bpf.c
# reverse-tunnels it IPv4-in-IPv6 to the HA, ha.bpf.c checks the inner
# source's binding against the outer source and strips it, and the HA's
# kernel forwards it to cn.  The kernel has no tunnel driver involved.
#
# ping_v6_udp: the mn has only an IPv4 care-of address (203.0.113.100,
# the HA's IPv4 address 203.0.113.1 on the same link) and pings cn
# (2001:db8:3::5) from its IPv6 home address: IPv6-in-UDP/IPv4 from port
# 40000 to 4191 both ways (RFC 5555 §4.1), the IPv4 next hop resolved by
# the kernel (bpf_redirect_neigh) on the mn, by bpf_fib_lookup AF_INET on
# the HA.

HA_HELPER="@BUILDDIR@/stack/bpf/tests/plane_helper"
MN_HELPER="@BUILDDIR@/stack/bpf/tests/ro_helper"
. "@SRCDIR@/stack/bpf/tests/fwdtest.subr"

HA=2001:db8:1::1
HOA6=2001:db8:1::100
COA=2001:db8:2::100
HOA4=192.0.2.100
CN4=198.51.100.5

names()
{
	if [ ! -e names ]; then
		p="m6t-d4-$$"
		printf 'P=%s\nHDIR=/sys/fs/bpf/mip6kit-test-d4h-%s\nMDIR=/sys/fs/bpf/mip6kit-test-d4m-%s\n' \
		    "$p" "$$" "$$" > names
	fi
	. ./names
	NCN=$P-cn NHA=$P-ha NMN=$P-mn
}

in_ns()
{
	ns=$1
	shift
	atf_check ip netns exec "$ns" "$@"
}

sysctl_w()
{
	atf_check ip netns exec "$1" sh -c "echo $3 > /proc/sys/net/$2"
}

# rig: the three namespaces and the two veth pairs, up (both cases).
rig()
{
	for n in $NCN $NHA $NMN; do
		atf_check ip netns add "$n"
		in_ns "$n" ip link set lo up
	done
	atf_check ip link add cn0 netns "$NCN" type veth peer name ha0 \
	    netns "$NHA"
	atf_check ip link add ha1 netns "$NHA" address 02:00:00:00:0d:01 \
	    type veth peer name mn0 netns "$NMN"
	for l in "$NCN cn0" "$NHA ha0" "$NHA ha1" "$NMN mn0"; do
		set -- $l
		in_ns "$1" ip link set "$2" up
	done
}

topology()
{
	rig
	in_ns "$NCN" ip addr add $CN4/24 dev cn0
	in_ns "$NHA" ip addr add 198.51.100.1/24 dev ha0
	in_ns "$NHA" ip -6 addr add 2001:db8:2::1/64 dev ha1 nodad
	in_ns "$NHA" ip -6 addr add fe80::1/64 dev ha1 nodad
	in_ns "$NHA" ip -6 addr add $HA/128 dev lo
	in_ns "$NMN" ip -6 addr add $COA/64 dev mn0 nodad
	in_ns "$NMN" ip addr add $HOA4/32 dev lo
	in_ns "$NCN" ip route add 192.0.2.0/24 via 198.51.100.1
	# The mn's IPv4 default route points at the tunnel: a permanent
	# neighbour lets the kernel hand the packet to tc egress, where
	# mn.bpf.c encapsulates it and redirects it towards fe80::1.
	in_ns "$NMN" ip route add 198.51.100.0/24 via 169.254.0.1 dev mn0 \
	    onlink
	in_ns "$NMN" ip neigh add 169.254.0.1 lladdr 02:00:00:00:0d:01 \
	    dev mn0 nud permanent
	sysctl_w "$NHA" ipv6/conf/all/forwarding 1
	sysctl_w "$NHA" ipv4/conf/all/forwarding 1
	for n in $NHA $NMN; do
		for i in all default; do
			sysctl_w "$n" ipv4/conf/$i/rp_filter 0
		done
	done
	sysctl_w "$NHA" ipv4/conf/ha1/rp_filter 0
	sysctl_w "$NMN" ipv4/conf/mn0/rp_filter 0
}

# ha_do CMD... / mn_do CMD...: each argument one helper command (words
# split), run in the node's namespace on its pinned state.
ha_do()
{
	for c in "$@"; do
		atf_check nsenter --net=/run/netns/"$NHA" "$HA_HELPER" \
		    "$HDIR" $c
	done
}
mn_do()
{
	for c in "$@"; do
		atf_check nsenter --net=/run/netns/"$NMN" "$MN_HELPER" mn \
		    "$MDIR" $c
	done
}

planes()
{
	ha_do "attach ha0" "attach ha1" "local $HA 1" \
	    "bind $HOA6 $COA $HA" "bind4 $HOA4/32 $HOA6"
	mn_do "attach mn0" "local $COA" \
	    "hoa $HOA6 $COA $HA fe80::1 mn0" "hoa4 $HOA4/32 $HOA6"
}

counter()
{
	nsenter --net=/run/netns/"$2" $3 "$4" counters |
	    awk -v n="$1" '$1 == n { print $2 }'
}
ha_counter() { counter "$1" "$NHA" "$HA_HELPER" "$HDIR"; }
mn_counter() { counter "$1" "$NMN" "$MN_HELPER mn" "$MDIR"; }

# nonzero NS HELPER DIR: the plane's nonzero counters on one line.
nonzero()
{
	nsenter --net=/run/netns/"$1" $2 "$3" counters | grep -v ' 0$' |
	    tr '\n' ' '
}

# ping_captured NS PING-ARGS...: ping from NS until one echo is
# answered and capture()'s tshark has its packet (it may say it is
# capturing a moment before its filter is in place); fail with both
# planes' counters when no reply comes.
ping_captured()
{
	ns=$1
	shift
	ok=0
	for i in 1 2 3 4 5 6 7 8 9 10; do
		if ip netns exec "$ns" ping -c 1 -W 2 "$@" > ping.out 2>&1
		then
			ok=1
		fi
		[ $ok = 1 ] && ! kill -0 $CAPTURE_PID 2>/dev/null && break
		sleep 0.5
	done
	wait $CAPTURE_PID
	[ $ok = 1 ] || atf_fail "no echo reply: $(cat ping.out)" \
	    "ha: $(nonzero "$NHA" "$HA_HELPER" "$HDIR")" \
	    "mn: $(nonzero "$NMN" "$MN_HELPER mn" "$MDIR")"
}

# Both planes tunneled and stripped IPv4-framed packets.
tun4_counted()
{
	[ "$(ha_counter tun4_encap)" -ge 1 ] || atf_fail "ha tun4_encap"
	[ "$(ha_counter tun4_decap)" -ge 1 ] || atf_fail "ha tun4_decap"
	[ "$(mn_counter tun4_encap)" -ge 1 ] || atf_fail "mn tun4_encap"
	[ "$(mn_counter tun4_decap)" -ge 1 ] || atf_fail "mn tun4_decap"
}

atf_test_case ping_v4_hoa cleanup
ping_v4_hoa_head()
{
	atf_set descr "cn pings an IPv4 home address: IPv4-in-IPv6 both" \
	    "ways through ha.bpf.c and mn.bpf.c; the echo reply arrives"
	atf_set require.user root
	atf_set require.progs "ip ping tshark nsenter"
	atf_set timeout 120
}
ping_v4_hoa_body()
{
	names
	topology
	planes

	capture "$NMN" mn0 "ip6 and ip6[6] == 4 and dst host $COA" mn.pcap
	ping_captured "$NCN" $HOA4
	tshark -r mn.pcap -n -T fields -E occurrence=a -E aggregator=, \
	    -e ipv6.nxt -e ipv6.src -e ipv6.dst -e ip.src -e ip.dst -e ip.ttl \
	    -e icmp.type > mn.txt
	atf_check -o inline:"4\t$HA\t$COA\t$CN4\t$HOA4\t63\t8\n" cat mn.txt
	tun4_counted
}
ping_v4_hoa_cleanup()
{
	[ -e names ] || return 0
	. ./names
	del_netns $P-cn $P-ha $P-mn
	"$HA_HELPER" "$HDIR" unpin 2>/dev/null
	"$MN_HELPER" mn "$MDIR" unpin 2>/dev/null
	return 0
}

topology_udp()
{
	rig
	in_ns "$NCN" ip -6 addr add $CN6/64 dev cn0 nodad
	in_ns "$NHA" ip -6 addr add 2001:db8:3::1/64 dev ha0 nodad
	in_ns "$NHA" ip addr add $HA4/24 dev ha1
	in_ns "$NMN" ip addr add $COA4/24 dev mn0
	in_ns "$NMN" ip -6 addr add $HOA6/128 dev lo nodad
	in_ns "$NCN" ip -6 route add 2001:db8:1::/64 via 2001:db8:3::1
	# As for IPv4 above: the IPv6 route leads to tc egress.
	in_ns "$NMN" ip -6 route add 2001:db8:3::/64 via fe80::99 dev mn0
	in_ns "$NMN" ip -6 neigh add fe80::99 lladdr 02:00:00:00:0d:01 \
	    dev mn0 nud permanent
	sysctl_w "$NHA" ipv6/conf/all/forwarding 1
	sysctl_w "$NHA" ipv4/conf/all/forwarding 1
}

planes_udp()
{
	ha_do "attach ha0" "attach ha1" "local ::ffff:$HA4 1" \
	    "bindv4 $HOA6 $COA4 $HA4 40000"
	mn_do "attach mn0" "local ::ffff:$COA4" \
	    "hoav4 $HOA6 $COA4 $HA4 40000 mn0"
}

atf_test_case ping_v6_udp cleanup
ping_v6_udp_head()
{
	atf_set descr "the mn behind an IPv4 care-of address pings cn from" \
	    "its IPv6 home address: IPv6-in-UDP/IPv4 (4191) both ways"
	atf_set require.user root
	atf_set require.progs "ip ping tshark nsenter"
	atf_set timeout 120
}
ping_v6_udp_body()
{
	names
	HA4=203.0.113.1 COA4=203.0.113.100 CN6=2001:db8:3::5
	topology_udp
	planes_udp

	capture "$NHA" ha1 "udp dst port 4191" ha.pcap
	ping_captured "$NMN" -6 -I $HOA6 $CN6
	tshark -r ha.pcap -n -T fields -E occurrence=f \
	    -e ip.src -e ip.dst -e ip.proto -e udp.srcport -e udp.dstport \
	    -e udp.length > ha.txt
	atf_check -o inline:"$COA4\t$HA4\t17\t40000\t4191\t112\n" cat ha.txt
	tun4_counted
}
ping_v6_udp_cleanup()
{
	ping_v4_hoa_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case ping_v4_hoa
	atf_add_test_case ping_v6_udp
}
