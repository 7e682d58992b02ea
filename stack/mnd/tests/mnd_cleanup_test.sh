#! /usr/bin/env atf-sh
#
# mnd_cleanup_test.sh - `mnd --cleanup` (mnd(8)) removes the IPv4 state
# a mobile node leaves away from home with DSMIPv6 (RFC 5555), besides
# the eBPF programs and pins: the IPv4 home address on lo, the IPv4
# default route through 169.254.0.1 and the IPv6 one through fe80::6d6e
# with their permanent neighbour entries; what is not mnd's stays (an
# address on lo, a default route of another metric, an address on the
# home link).  mnd runs first (pins and tc filters made), exits (state
# stays, as after a crash), then the IPv4 state is added as
# hoa4_request and v6_route_follow make it away from home (proto static,
# metric 4096).  One namespace m6c-PID with a
# veth pair; the cleanup removes the namespace and the pins.

MND=@BUILDDIR@/mnd
MIP6CTL=@BUILDDIR@/mip6ctl
. "@SRCDIR@/stack/lib/tests/netns.subr"

HOA4=203.0.113.100

atf_test_case ipv4_state cleanup
ipv4_state_head()
{
	atf_set "descr" "mnd --cleanup removes the IPv4 home address on lo," \
	    "the 169.254.0.1 and fe80::6d6e routes and neighbours, the" \
	    "pins and tc filters, and nothing else"
	atf_set "require.user" "root"
	atf_set "require.progs" "ip nsenter tc"
	atf_set "timeout" "60"
}
ipv4_state_body()
{
	NS=m6c-$$
	echo "$NS" >ns.name
	echo "/sys/fs/bpf/m6c-$$" >state.dir
	atf_check ip netns add "$NS"
	atf_check ip -n "$NS" link set lo up
	atf_check ip -n "$NS" link add link1 up type veth peer name peer1
	cat >mnd.conf <<CONF
interface link1;
home-address 2001:db8:1::100/64 home-agent 2001:db8:1::1;
ipv4-home-address $HOA4/24;
control-socket $PWD/mnd.sock;
bus $PWD/bus;
state-dir $(cat state.dir);
CONF
	nsenter --net="/run/netns/$NS" "$MND" -d -f mnd.conf >mnd.log 2>&1 &
	echo $! >mnd.bgpid
	poll_until 15 "$MIP6CTL" -s "$PWD/mnd.sock" status ||
	    atf_fail "mnd did not start: $(cat mnd.log)"
	kill -TERM "$(cat mnd.bgpid)"
	wait "$(cat mnd.bgpid)"
	rm -f mnd.bgpid
	# what mnd leaves away from home (an IPv4 care-of address)
	atf_check ip -n "$NS" addr add "$HOA4/32" dev lo
	atf_check ip -n "$NS" addr add 10.9.9.9/32 dev lo
	atf_check ip -n "$NS" neigh replace 169.254.0.1 \
	    lladdr 02:00:00:00:00:01 nud permanent dev link1
	atf_check ip -n "$NS" route add default via 169.254.0.1 dev link1 \
	    onlink src "$HOA4" metric 4096 proto static
	atf_check ip -n "$NS" route add default via 10.0.0.1 dev link1 \
	    onlink metric 100
	atf_check ip -n "$NS" -6 neigh replace fe80::6d6e \
	    lladdr 02:00:00:00:00:01 nud permanent dev link1
	atf_check ip -n "$NS" -6 route add ::/0 via fe80::6d6e dev link1 \
	    metric 4096 proto static
	atf_check -o not-empty tc -n "$NS" filter show dev link1 ingress

	atf_check nsenter --net="/run/netns/$NS" "$MND" --cleanup -f mnd.conf

	atf_check -o not-match:"$HOA4" -o match:' 10\.9\.9\.9/32 ' \
	    ip -n "$NS" -4 addr show dev lo
	atf_check -o not-match:'169\.254\.0\.1' -o match:'via 10\.0\.0\.1' \
	    ip -n "$NS" -4 route show
	atf_check -o not-match:'169\.254\.0\.1' \
	    ip -n "$NS" -4 neigh show dev link1
	atf_check -o not-match:'fe80::6d6e' ip -n "$NS" -6 route show
	atf_check -o not-match:'fe80::6d6e' \
	    ip -n "$NS" -6 neigh show dev link1
	atf_check -o empty tc -n "$NS" filter show dev link1 ingress
	[ -e "$(cat state.dir)" ] && [ -n "$(ls "$(cat state.dir)")" ] &&
	    atf_fail "pins left: $(ls "$(cat state.dir)")"
	return 0
}
ipv4_state_cleanup()
{
	[ -f mnd.bgpid ] && kill "$(cat mnd.bgpid)" 2>/dev/null
	if [ -f ns.name ]; then
		[ -f mnd.conf ] && nsenter --net="/run/netns/$(cat ns.name)" \
		    "$MND" --cleanup -f mnd.conf >/dev/null 2>&1
		ip netns del "$(cat ns.name)" 2>/dev/null
	fi
	[ -f state.dir ] && rm -rf "$(cat state.dir)"
	return 0
}

atf_init_test_cases()
{
	atf_add_test_case ipv4_state
}
