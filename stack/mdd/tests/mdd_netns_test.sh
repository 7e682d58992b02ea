#! /usr/bin/env atf-sh
#
# mdd_netns_test.sh - the movement detector end to end, in network
# namespaces, with real Router Advertisements (radvd), the bus hub
# (mip6busd) and msockwatch -j recording every MD_INFO:
#
#   ra --(la)-- mn --(lb)-- rb
#
#   ra  la 2001:db8:a::1/64, radvd: prefix 2001:db8:a::/64 (later the
#       home prefix 2001:db8:1::/64), MaxRtrAdvInterval 0.5 s with the
#       Advertisement Interval option
#   rb  lb 2001:db8:b::1/64, radvd: prefix 2001:db8:b::/64
#   mn  mdd: interface la preference 10, interface lb preference 20,
#       home-prefix 2001:db8:1::/64, ra-loss-intervals 3, nud-hold-down
#       60 s
#
# Cases: the right CoA at start (la's, the preferred link); link down ->
# a rereg for lb (the time from `ip link set down` to the MD_INFO is
# printed); RA loss (radvd killed with SIGKILL, so no final lifetime-0
# RA) -> a rereg for lb after about 3 x 500 ms, counted as RA loss;
# a router advertising the home prefix -> dereghome; the CoA's valid
# lifetime in the rereg; reload (mip6ctl, SIGHUP, a broken file refused).  Namespaces are
# m6d-PID-NODE; the cleanup kills what the case started, by pid.

MDD=@BUILDDIR@/mdd
BUSD=@BUILDDIR@/mip6busd
WATCH=@BUILDDIR@/msockwatch
MIP6CTL=@BUILDDIR@/mip6ctl
. "@SRCDIR@/stack/lib/tests/netns.subr"

ns() {
	echo "$(cat run.id)-$1"
}

in_ns() {	# in_ns NODE CMD...: nsenter (keeps our /sys)
	n=$1
	shift
	nsenter --net="/run/netns/$(ns "$n")" "$@"
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

radvd_conf() {	# radvd_conf IFNAME PREFIX FILE
	cat >"$3" <<EOF
interface $1 {
	AdvSendAdvert on;
	MinRtrAdvInterval 0.2;
	MaxRtrAdvInterval 0.5;
	AdvIntervalOpt on;
	AdvSourceLLAddress on;
	AdvDefaultLifetime 30;
	prefix $2 { AdvOnLink on; AdvAutonomous on; };
};
EOF
}

start_radvd() {	# start_radvd NODE IFNAME PREFIX
	radvd_conf "$2" "$3" "radvd-$1.conf"
	# nsenter execs radvd: $! is radvd itself
	nsenter --net="/run/netns/$(ns "$1")" radvd -n -C "radvd-$1.conf" \
	    -p "$PWD/radvd-$1.pid" -m logfile -l "$PWD/radvd-$1.log" &
	echo $! >"radvd-$1.bgpid"
}

kill_radvd() {	# kill_radvd NODE SIGNAL
	[ -f "radvd-$1.bgpid" ] || return 0
	kill "-$2" "$(cat "radvd-$1.bgpid")" 2>/dev/null
	wait "$(cat "radvd-$1.bgpid")" 2>/dev/null
	rm -f "radvd-$1.bgpid" "radvd-$1.pid"
}

topo_up() {
	echo "m6d-$$" >run.id
	for n in mn ra rb; do
		atf_check ip netns add "$(ns $n)"
		atf_check ip -n "$(ns $n)" link set lo up
	done
	for l in la:ra lb:rb; do
		ifn=${l%%:*}
		r=${l##*:}
		atf_check ip link add "$ifn" netns "$(ns mn)" type veth \
		    peer name "$ifn" netns "$(ns "$r")"
		in_ns "$r" sysctl -qw net.ipv6.conf.all.forwarding=1
		atf_check ip -n "$(ns "$r")" link set "$ifn" up
	done
	atf_check ip -n "$(ns ra)" -6 addr add 2001:db8:a::1/64 dev la nodad
	atf_check ip -n "$(ns rb)" -6 addr add 2001:db8:b::1/64 dev lb nodad
	cat >mdd.conf <<EOF
interface la preference 10;
interface lb preference 20;
home-prefix 2001:db8:1::/64;
ra-loss-intervals 3;
ra-interval-default 2000;
nud-hold-down 60000;
bus $PWD/bus;
control-socket $PWD/mdd.sock;
EOF
	"$BUSD" -d -b "$PWD/bus" -s "$PWD/busd.sock" 2>busd.log &
	echo $! >busd.bgpid
	wait_for "the hub's socket" 10 test -S "$PWD/bus"
	"$WATCH" -j -b "$PWD/bus" >watch.log 2>watch.err &
	echo $! >watch.bgpid
	start_radvd ra la 2001:db8:a::/64
	start_radvd rb lb 2001:db8:b::/64
	atf_check ip -n "$(ns mn)" link set la up
	atf_check ip -n "$(ns mn)" link set lb up
	nsenter --net="/run/netns/$(ns mn)" "$MDD" -d -v -f mdd.conf \
	    2>mdd.log &
	echo $! >mdd.bgpid
}

topo_down() {
	for p in mdd watch busd; do
		[ -f $p.bgpid ] && kill "$(cat $p.bgpid)" 2>/dev/null
	done
	kill_radvd ra KILL
	kill_radvd rb KILL
	if [ -f run.id ]; then
		for n in mn ra rb; do
			ip netns del "$(ns $n)" 2>/dev/null
		done
	fi
	return 0
}

# wait_for WHAT SECONDS CMD...: poll_until, else fail showing the logs.
wait_for() {
	what=$1
	shift
	poll_until "$@" && return 0
	echo "--- mdd.log" >&2; tail -40 mdd.log >&2
	echo "--- watch.log" >&2; cat watch.log >&2
	atf_fail "timed out waiting for $what"
}

ifindex() {	# ifindex IFNAME (in mn)
	ip -n "$(ns mn)" -o link show "$1" | cut -d: -f1
}

# md_py EXPR [ARG...]: evaluate a Python expression over ms, the md-info
# messages msockwatch recorded so far (a: the arguments); print the
# value, exit 1 when it is false or None.
md_py() {
	python3 - "$@" <<'EOF'
import ipaddress, json, sys
ms = []
for line in open("watch.log"):
    try:
        m = json.loads(line)
    except ValueError:
        continue
    if m.get("type") == "md-info":
        ms.append(m)
a = sys.argv[2:]
def in64(addr, pfx):
    return ipaddress.ip_address(addr or "::") in \
        ipaddress.ip_network(pfx + "/64")
def says(m, cmd, ifi=None, pfx=None):
    return m.get("command") == cmd and \
        (ifi is None or str(m.get("ifindex")) == ifi) and \
        (pfx is None or in64(m.get("coa"), pfx))
v = eval(sys.argv[1])
if v is None or v is False:
    sys.exit(1)
print(v)
EOF
}

# last_md CMD [IFINDEX [PREFIX]]: the last md-info says CMD (on IFINDEX,
# with a CoA in PREFIX::/64).  Prints its CoA.
last_md() {
	md_py 'bool(ms) and says(ms[-1], *a) and ms[-1].get("coa", "")' "$@"
}

# the time msockwatch stamped on the last md-info, in ms
md_time_ms() {
	md_py 'int(ms[-1]["time"] * 1000) if ms else 0'
}

# md_since N CMD IFINDEX: an md-info after the Nth says so
md_since() {
	md_py 'any(says(m, a[1], a[2]) for m in ms[int(a[0]):])' "$@"
}

md_count() {
	md_py 'len(ms)'
}

md_is() {
	last_md "$@" >/dev/null 2>&1
}

# md_settle: until no md-info has come for a second (10 s at most), so
# that what a test counts next is its own event's: under a slow build
# (ASan) the start's md-infos may still be arriving.
md_settle() {
	prev=-1 i=0
	while [ $i -lt 10 ]; do
		c=$(md_count)
		[ "$c" = "$prev" ] && return 0
		prev=$c
		sleep 1
		i=$((i + 1))
	done
}

counter() {	# counter NAME: from mip6ctl -j counters (any object)
	"$MIP6CTL" -j -s "$PWD/mdd.sock" counters | python3 -c '
import json, sys
def find(o, k):
    if isinstance(o, dict):
        if k in o:
            return o[k]
        for v in o.values():
            r = find(v, k)
            if r is not None:
                return r
print(find(json.load(sys.stdin), sys.argv[1]))' "$1"
}

# status_if IFNAME FIELD: a field of an interface in `status`, or
# status_if - FIELD: a top-level field.
status_if() {
	"$MIP6CTL" -j -s "$PWD/mdd.sock" status | python3 -c '
import json, sys
s = json.load(sys.stdin)
if sys.argv[1] == "-":
    v = s.get(sys.argv[2])
else:
    v = [i for i in s["interfaces"] if i["name"] == sys.argv[1]][0] \
        .get(sys.argv[2])
print(v.get("coa") if isinstance(v, dict) else v)' "$1" "$2"
}

held_down_counted() {
	[ "$(counter ras_held_down)" -ge 1 ]
}

if_state_is() {	# if_state_is IFNAME STATE
	[ "$(status_if "$1" state)" = "$2" ]
}

# stop_mdd: SIGTERM, then mdd must exit 0 with its control socket and
# pid file removed and nothing from a sanitizer in its log.
stop_mdd() {
	pid=$(cat mdd.bgpid)
	kill -TERM "$pid"
	st=0
	wait "$pid" || st=$?
	rm -f mdd.bgpid
	[ $st -eq 0 ] || atf_fail "mdd exited with status $st"
	[ ! -e mdd.sock ] || atf_fail "control socket left behind"
	[ ! -e mdd.pid ] || atf_fail "pid file left behind"
	if grep -q "Sanitizer\|runtime error" mdd.log; then
		cat mdd.log >&2
		atf_fail "sanitizer report in mdd.log"
	fi
}

# topo_up, then wait for the first rereg on la (the preferred link);
# sets la and lb to the interface indexes.
topo_up_on_la() {
	topo_up
	la=$(ifindex la)
	lb=$(ifindex lb)
	wait_for "rereg on la" 30 md_is rereg "$la" 2001:db8:a::
}

common_head() {	# common_head [MORE_PROGS]
	atf_set "require.user" "root"
	atf_set "require.progs" "ip nsenter radvd python3 $*"
	atf_set "timeout" "120"
}

# ----------------------------------------------------------------- cases

atf_test_case start_and_link_down cleanup
start_and_link_down_head()
{
	atf_set "descr" "rereg with la's CoA (preferred) at start; la" \
	    "down -> rereg with lb's CoA; the latency is printed"
	common_head
}
start_and_link_down_body()
{
	topo_up_on_la
	coa=$(last_md rereg "$la" 2001:db8:a::)
	# the CoA is an address the kernel configured on la from the RA
	ip -n "$(ns mn)" -6 addr show dev la | grep -q "inet6 $coa/64" ||
	    atf_fail "CoA $coa is not on la"
	# the status shows it
	[ "$(status_if - attachment)" = foreign ] || atf_fail "not foreign"
	[ "$(status_if - primary)" = "$coa" ] || atf_fail "primary not $coa"
	[ "$(status_if la state)" = router-ok ] || atf_fail "la not router-ok"
	# mdd's sysctls on both managed interfaces (mdd(8))
	for i in la lb; do
		for k in accept_ra:2 autoconf:1 ignore_routes_with_linkdown:1; do
			v=$(ip netns exec "$(ns mn)" cat \
			    "/proc/sys/net/ipv6/conf/$i/${k%%:*}")
			[ "$v" = "${k#*:}" ] || atf_fail "$i ${k%%:*} is $v"
		done
	done
	md_settle
	n=$(md_count)
	t0=$(now_ms)
	atf_check ip -n "$(ns mn)" link set la down
	wait_for "rereg on lb" 20 md_is rereg "$lb" 2001:db8:b::
	t1=$(md_time_ms)
	echo "link down -> MD_INFO rereg on the bus: $((t1 - t0)) ms" \
	    "(from before 'ip link set down' to msockwatch's timestamp)"
	[ $((t1 - t0)) -lt 5000 ] || atf_fail "link down took $((t1 - t0)) ms"
	if [ "$(md_count)" -ne $((n + 1)) ]; then
		echo "--- watch.log (md-infos before the link went down: $n)" >&2
		cat watch.log >&2
		atf_fail "expected exactly one MD_INFO after link down"
	fi
	# a mobile node announcing itself gets the current MD_INFO again
	# (mip6-bus(7): the hub stores nothing)
	atf_check "$WATCH" -b "$PWD/bus" -s "nodetype-info nodetype=mn enable=1"
	wait_for "the re-sent rereg" 10 md_since $((n + 1)) rereg "$lb"
	[ "$(counter link_down)" -ge 1 ] || atf_fail "link_down not counted"
	# la back: the preferred link wins again once its router is heard
	atf_check ip -n "$(ns mn)" link set la up
	wait_for "rereg back on la" 30 md_is rereg "$la" 2001:db8:a::
	stop_mdd
}
start_and_link_down_cleanup()
{
	topo_down
}

atf_test_case coa_lifetime cleanup
coa_lifetime_head()
{
	atf_set "descr" "MD_INFO rereg carries the CoA's remaining valid" \
	    "lifetime (mip6-bus(7) lifetime): radvd's 86400 s for the" \
	    "SLAAC address, then about 300 s for one added with valid_lft 300"
	common_head
}
coa_lifetime_body()
{
	topo_up_on_la
	coa=$(last_md rereg "$la" 2001:db8:a::)
	# radvd's default AdvValidLifetime (86400 s), counted down by the
	# kernel since the address was made (30 s of slack)
	md_py '86370 <= ms[-1].get("lifetime", 0) <= 86400' >/dev/null ||
	    atf_fail "rereg lifetime $(md_py 'ms[-1].get("lifetime")')," \
	    "expected 86370..86400"
	n=$(md_count)
	# a second address valid for 300 s; the SLAAC one goes: mdd moves
	# to it (the kernel makes the SLAAC address again with the next RA,
	# but the current CoA stays while it is usable)
	atf_check ip -n "$(ns mn)" -6 addr add 2001:db8:a::99/64 dev la \
	    valid_lft 300 preferred_lft 300 nodad
	atf_check ip -n "$(ns mn)" -6 addr del "$coa/64" dev la
	wait_for "rereg for 2001:db8:a::99" 20 md_py \
	    'any(m.get("coa") == "2001:db8:a::99" for m in ms[int(a[0]):])' "$n"
	lft=$(md_py '[m.get("lifetime", -1) for m in ms
	    if m.get("coa") == "2001:db8:a::99"][0]')
	echo "rereg for 2001:db8:a::99: lifetime $lft"
	[ "$lft" -ge 290 ] && [ "$lft" -le 300 ] ||
	    atf_fail "lifetime $lft, expected 290..300"
	v=$("$MIP6CTL" -j -s "$PWD/mdd.sock" status | python3 -c '
import json, sys
print(json.load(sys.stdin)["primary"]["valid_lifetime"])')
	[ "$v" -ge 280 ] && [ "$v" -le 300 ] ||
	    atf_fail "status valid_lifetime $v, expected 280..300"
	stop_mdd
}
coa_lifetime_cleanup()
{
	topo_down
}

atf_test_case reload cleanup
reload_head()
{
	atf_set "descr" "mip6ctl reload and SIGHUP read mdd.conf again:" \
	    "swapped preferences move the CoA to lb at once; a broken file" \
	    "is refused with FILE:LINE (reply and log) and the running" \
	    "configuration kept; SIGHUP brings la back"
	common_head
}
reload_body()
{
	topo_up_on_la
	wait_for "lb's router" 30 if_state_is lb router-ok
	cp mdd.conf good.conf
	sed -i 's/^interface la preference 10;/interface la preference 30;/' \
	    mdd.conf
	grep -q "la preference 30" mdd.conf || atf_fail "could not edit"
	n=$(md_count)
	atf_check -o match:'"reloaded": *true' "$MIP6CTL" -j \
	    -s "$PWD/mdd.sock" reload
	wait_for "rereg on lb" 20 md_since "$n" rereg "$lb"
	[ "$(status_if la preference)" = 30 ] || atf_fail "la preference"
	[ "$(status_if - primary)" = "$(last_md rereg "$lb")" ] ||
	    atf_fail "primary not lb's CoA"
	# a broken file: refused with its FILE:LINE, nothing changes
	n=$(md_count)
	echo "ra-loss-intervals many;" >>mdd.conf
	atf_check -s exit:1 -e match:"mdd.conf:[0-9]+: " "$MIP6CTL" \
	    -s "$PWD/mdd.sock" reload
	grep -q "reload: .*mdd.conf:[0-9]*: .*old configuration kept" mdd.log ||
	    atf_fail "the refusal is not logged"
	[ "$(status_if - ra_loss_intervals)" = 3 ] || atf_fail "changed"
	[ "$(status_if la preference)" = 30 ] || atf_fail "preference changed"
	# SIGHUP with the first file: la preferred again
	cp good.conf mdd.conf
	kill -HUP "$(cat mdd.bgpid)"
	wait_for "rereg back on la" 20 md_since "$n" rereg "$la"
	[ "$(status_if la preference)" = 10 ] || atf_fail "la preference"
	stop_mdd
}
reload_cleanup()
{
	topo_down
}

atf_test_case ra_loss cleanup
ra_loss_head()
{
	atf_set "descr" "la's router stops advertising (SIGKILL) -> rereg" \
	    "for lb after ra-loss-intervals x AdvInterval (3 x 500 ms)"
	common_head
}
ra_loss_body()
{
	topo_up_on_la
	# both routers heard before the loss
	wait_for "lb's router" 30 if_state_is lb router-ok
	t0=$(now_ms)
	kill_radvd ra KILL
	wait_for "rereg on lb" 30 md_is rereg "$lb" 2001:db8:b::
	t1=$(md_time_ms)
	echo "radvd killed -> MD_INFO rereg: $((t1 - t0)) ms" \
	    "(expected about 1500 ms minus the age of the last RA)"
	# RFC 6275 §11.5.1: detected by RA loss, not by a withdrawal; the
	# last RA is at most 500 ms old when radvd dies, so the loss comes
	# 1000..1500 ms later (100 ms of scheduling slack allowed below)
	[ "$(counter router_lost_ra)" -ge 1 ] ||
	    atf_fail "router_lost_ra not counted"
	[ "$(counter router_withdrawn)" -eq 0 ] ||
	    atf_fail "counted as a withdrawal"
	[ $((t1 - t0)) -ge 900 ] ||
	    atf_fail "moved after $((t1 - t0)) ms: before 3 intervals"
	[ "$(status_if la state)" = router-lost ] || atf_fail "la not lost"
	stop_mdd
}
ra_loss_cleanup()
{
	topo_down
}

atf_test_case nud_failure cleanup
nud_failure_head()
{
	atf_set "descr" "la's router stops answering Neighbor Solicitations" \
	    "(its RAs still arrive) -> NUD FAILED -> rereg for lb; its RAs" \
	    "are then held down (nud-hold-down) instead of taking it back"
	common_head ping
}
nud_failure_body()
{
	topo_up_on_la
	wait_for "lb's router" 30 if_state_is lb router-ok
	router=$(status_if la router)
	n=$(md_count)
	# the router stops answering Neighbor Solicitations (NOARP)
	atf_check ip -n "$(ns ra)" link set la arp off
	# a packet to the router: its STALE entry (from the RA's source
	# link-layer address) goes DELAY, PROBE, then FAILED after 5 s + 3
	# unanswered probes (RFC 4861 §7.3.3).  (Not `ip neigh flush`: the
	# kernel reports a deleted entry as FAILED too.)
	t0=$(now_ms)
	nsenter --net="/run/netns/$(ns mn)" ping -6 -c 1 -W 5 \
	    "$router%la" >/dev/null 2>&1 &
	# la's router still advertises, so the next RA may bring it back:
	# look for the rereg on lb among all that came after the mark
	wait_for "rereg on lb" 30 md_since "$n" rereg "$lb"
	echo "packet to the silent router -> rereg on lb:" \
	    "$(($(now_ms) - t0)) ms"
	[ "$(counter router_lost_nud)" -ge 1 ] ||
	    atf_fail "router_lost_nud not counted"
	# nud-hold-down (60 s here, far more than these checks take on a
	# loaded machine): la's router goes on advertising (every 0.2..0.5
	# s) but is not taken back meanwhile
	n=$(md_count)
	wait_for "an RA held down" 5 held_down_counted
	[ "$(status_if la state)" = router-lost ] ||
	    atf_fail "la's router taken back during the hold-down"
	[ "$(status_if la held_down_router)" = "$router" ] ||
	    atf_fail "status lacks the held-down router"
	if [ "$(md_count)" -ne "$n" ]; then
		grep md-info watch.log | tail -3 >&2
		grep -v "RS on" mdd.log | tail -8 >&2
		atf_fail "an MD_INFO during the hold-down"
	fi
	stop_mdd
}
nud_failure_cleanup()
{
	topo_down
}

atf_test_case malformed_ras cleanup
malformed_ras_head()
{
	atf_set "descr" "RAs breaking RFC 4861 §6.1.2 (hop limit 64, an" \
	    "option of length 0) are dropped by the reader, counted and" \
	    "logged rate-limited; nothing moves"
	common_head
}
malformed_ras_body()
{
	topo_up_on_la
	n=$(md_count)
	# 20 RAs with hop limit 64, then one with a zero-length option,
	# from la's router to all-nodes (the kernel fills the checksum)
	nsenter --net="/run/netns/$(ns ra)" python3 -c '
import socket, struct
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
dst = ("ff02::1", 0, 0, socket.if_nametoindex("la"))
ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 1800, 0, 0)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 64)
for i in range(20):
    s.sendto(ra, dst)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
s.sendto(ra + bytes([1, 0, 0, 0, 0, 0, 0, 0]), dst)' ||
	    atf_fail "could not send the RAs"
	wait_for "21 malformed RAs counted" 10 sh -c \
	    "[ \$('$MIP6CTL' -j -s '$PWD/mdd.sock' counters | python3 -c \
	    'import json,sys; print(json.load(sys.stdin)[\"reader\"][\"ras_malformed\"])') \
	    -ge 21 ]"
	# rate-limited: a burst of 5 lines, not 21
	logged=$(grep -c "malformed RA" mdd.log)
	echo "malformed RAs logged: $logged of 21"
	[ "$logged" -le 6 ] || atf_fail "$logged log lines for 21 RAs"
	[ "$(md_count)" -eq "$n" ] || atf_fail "an MD_INFO followed"
	[ "$(status_if la state)" = router-ok ] || atf_fail "la disturbed"
	stop_mdd
}
malformed_ras_cleanup()
{
	topo_down
}

atf_test_case home_router cleanup
home_router_head()
{
	atf_set "descr" "a router advertising the home prefix appears on" \
	    "la -> MD_INFO dereghome on la, and HOME_HINT"
	common_head
}
home_router_body()
{
	topo_up_on_la
	# la's link becomes the home link: its router now advertises the
	# home prefix (SIGTERM: radvd withdraws the old router first)
	kill_radvd ra TERM
	start_radvd ra la 2001:db8:1::/64
	wait_for "dereghome" 30 md_is dereghome "$la"
	md_py '"2001:db8:1::/64" in ms[-1].get("prefix", [])' >/dev/null ||
	    atf_fail "dereghome without the home prefix"
	grep -q '"home-hint".*2001:db8:1::/64' watch.log ||
	    atf_fail "no HOME_HINT for 2001:db8:1::/64"
	[ "$(status_if - attachment)" = home ] || atf_fail "not home"
	stop_mdd
}
home_router_cleanup()
{
	topo_down
}

atf_init_test_cases()
{
	atf_add_test_case start_and_link_down
	atf_add_test_case coa_lifetime
	atf_add_test_case reload
	atf_add_test_case ra_loss
	atf_add_test_case nud_failure
	atf_add_test_case malformed_ras
	atf_add_test_case home_router
}
