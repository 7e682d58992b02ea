#! /usr/bin/env atf-sh
#
# pmtu_netns_test.sh - no silent drops when the forwarding plane makes a
# packet bigger (RFC 4443 §3.2, stack/DESIGN.md "Path MTU"): with the
# default MTU of 1500 everywhere and no route MTU set, 1 MiB of TCP goes
# each way between a correspondent and a mobile node's home address,
#
#   tunnel               cn -> HoA through the HA's tunnel (had's PTB),
#                        HoA -> cn through the reverse tunnel (mnd's);
#   route_optimization   cn -> HoA with a RH2 (cnd's PTB),
#                        HoA -> cn with a HAO (mnd's),
#
# every byte arrives (same SHA-256), the drop_too_big counters and the
# daemons' PTB counters moved, and the kernels hold the lowered path MTUs
# (`ip -6 route get` shows them).
#
#   cn   linkc 2001:db8:5::10/64, default via 2001:db8:5::1; cnd
#   ha   linkc 2001:db8:5::1/64, link1 2001:db8:2::1/64, linkh (home
#        link, to an empty namespace) 2001:db8:1::1/64; forwarding; had
#   mn   link1 CoA 2001:db8:2::b0/64, default via 2001:db8:2::1; mnd
#        with home address 2001:db8:1::b0; a mip6busd hub (movement is
#        injected on it with msockwatch -s)
#
# Namespaces are m6p-PID-NODE, maps are pinned under /sys/fs/bpf/m6p-PID;
# the cleanup stops what the case started (by pid) and removes both.

HAD=@BUILDDIR@/had
MND=@BUILDDIR@/mnd
CND=@BUILDDIR@/cnd
BUSD=@BUILDDIR@/mip6busd
WATCH=@BUILDDIR@/msockwatch
MIP6CTL=@BUILDDIR@/mip6ctl

HA_ADDR=2001:db8:1::1
HOA=2001:db8:1::b0
COA=2001:db8:2::b0
CN=2001:db8:5::10
DAEMONS="mnd had cnd busd"

node() {	# node NAME: its namespace
	echo "$(cat run.id)-$1"
}

on() {		# on NAME CMD...: nsenter keeps our /sys (and bpffs)
	where=$1
	shift
	nsenter --net="/run/netns/$(node "$where")" "$@"
}

# until_true SECONDS CMD...: CMD succeeds within SECONDS (polled 5 a s).
until_true() {
	left=$(($1 * 5))
	shift
	while ! "$@" >/dev/null 2>&1; do
		left=$((left - 1))
		[ $left -gt 0 ] || return 1
		sleep 0.2
	done
}

# json_ok FILE EXPR: the Python expression holds for d, FILE's JSON.
json_ok() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2" 2>/dev/null
}

# ctl_ok DAEMON REQUEST EXPR: its mip6ctl answer, saved in
# DAEMON.REQUEST.json, satisfies EXPR.
ctl_ok() {
	"$MIP6CTL" -j -s "$PWD/$1.sock" "$2" >"$1.$2.json" 2>/dev/null &&
	    json_ok "$1.$2.json" "$3"
}

flat() {	# flat FILE: on one line, for failure reasons
	tr '\n' ' ' <"$1"
}

link_up() {	# link_up NODE1 NODE2 NAME: a veth, NAME on both ends
	atf_check ip link add "$3" netns "$(node "$1")" type veth peer \
	    name "$3" netns "$(node "$2")"
	atf_check ip -n "$(node "$1")" link set "$3" up
	atf_check ip -n "$(node "$2")" link set "$3" up
}

ip6() {		# ip6 NODE DEV ADDR/LEN
	atf_check ip -n "$(node "$1")" -6 addr add "$3" dev "$2" nodad
}

topology() {
	echo "m6p-$$" >run.id
	: >netns.list
	for n in cn ha mn home; do
		atf_check ip netns add "$(node $n)"
		node $n >>netns.list
		atf_check ip -n "$(node $n)" link set lo up
	done
	link_up cn ha linkc
	link_up ha mn link1
	link_up ha home linkh
	ip6 cn linkc "$CN/64"
	ip6 ha linkc 2001:db8:5::1/64
	ip6 ha link1 2001:db8:2::1/64
	ip6 ha linkh "$HA_ADDR/64"
	ip6 mn link1 "$COA/64"
	atf_check -o ignore nsenter --net="/run/netns/$(node ha)" \
	    sysctl -w net.ipv6.conf.all.forwarding=1
	# No `mtu` on any route: the point of the test.
	atf_check ip -n "$(node cn)" -6 route add default via 2001:db8:5::1
	atf_check ip -n "$(node mn)" -6 route add default via 2001:db8:2::1
}

# run_daemon NAME NODE CMD...: in the background, ready when mip6ctl
# answers on NAME.sock.
run_daemon() {
	name=$1
	where=$2
	shift 2
	on "$where" "$@" >"$name.log" 2>&1 &
	echo $! >"$name.pid"
	until_true 15 "$MIP6CTL" -s "$PWD/$name.sock" status ||
	    atf_fail "$name did not start: $(flat "$name.log")"
}

# home_registered RO: had, the hub and mnd (route optimisation RO) up,
# the MN on link1, its home registration BOUND.
home_registered() {
	topology
	"$BUSD" -d -b "$PWD/bus" -s "$PWD/busd.sock" 2>busd.log &
	echo $! >busd.pid
	until_true 10 test -S "$PWD/bus" ||
	    atf_fail "mip6busd did not start: $(flat busd.log)"
	cat >had.conf <<EOF
interface linkc
interface link1
interface linkh home-link
home-prefix 2001:db8:1::/64
home-agent-address $HA_ADDR
authentication none
default-policy allow
dad-transmits 0
router-advertisements no
state-dir "/sys/fs/bpf/$(cat run.id)/had"
control-socket "$PWD/had.sock"
user "nobody"
EOF
	run_daemon had ha "$HAD" -d -f had.conf
	cat >mnd.conf <<EOF
interface link1;
home-address $HOA/64 home-agent $HA_ADDR;
lifetime 120;
bus $PWD/bus;
control-socket $PWD/mnd.sock;
state-dir /sys/fs/bpf/$(cat run.id)/mnd;
route-optimization $1;
EOF
	run_daemon mnd mn "$MND" -d -f mnd.conf
	ifi=$(ip -n "$(node mn)" -o link show link1 | cut -d: -f1)
	atf_check -o ignore "$WATCH" -b "$PWD/bus" \
	    -s "md-info rereg ifindex=$ifi coa=$COA"
	until_true 20 ctl_ok mnd bul 'd["bul"][0]["reg_state"] == "BOUND"' ||
	    atf_fail "no home registration: $(flat mnd.bul.json)"
}

# tcp.py serve ADDR PORT: one connection, prints what it received;
# tcp.py send DST PORT SRC: 1 MiB from SRC, prints what it sent.
write_tcp() {
	cat >tcp.py <<'EOF'
import hashlib, json, socket, sys
N = 1 << 20
if sys.argv[1] == "serve":
    s = socket.socket(socket.AF_INET6)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((sys.argv[2], int(sys.argv[3])))
    s.listen(1)
    open("listening." + sys.argv[3], "w").close()
    s.settimeout(60)
    c, _ = s.accept()
    c.settimeout(60)
    h, n = hashlib.sha256(), 0
    while True:
        b = c.recv(65536)
        if not b:
            break
        h.update(b)
        n += len(b)
    print(json.dumps({"received": n, "sha256": h.hexdigest()}))
else:
    data = bytes((i * 7 + i // 251) & 0xff for i in range(N))
    c = socket.socket(socket.AF_INET6)
    c.bind((sys.argv[4], 0))
    c.settimeout(60)
    c.connect((sys.argv[2], int(sys.argv[3])))
    c.sendall(data)
    c.shutdown(socket.SHUT_WR)
    c.recv(1)
    print(json.dumps({"sent": N,
                      "sha256": hashlib.sha256(data).hexdigest()}))
EOF
}

# transfer FROM_NODE FROM_ADDR TO_NODE TO_ADDR PORT: 1 MiB arrives whole.
transfer() {
	on "$3" python3 tcp.py serve "$4" "$5" >"srv.$5.json" 2>&1 &
	srv=$!
	until_true 10 test -f "listening.$5" ||
	    atf_fail "no listener: $(flat "srv.$5.json")"
	on "$1" python3 tcp.py send "$4" "$5" "$2" >"cli.$5.json" \
	    2>"cli.$5.err" || atf_fail "$2 -> $4: $(flat "cli.$5.err")"
	wait "$srv"
	python3 -c 'import json, sys
s, c = (json.load(open(f)) for f in sys.argv[1:])
sys.exit(0 if s["received"] == c["sent"] == 1 << 20 and
         s["sha256"] == c["sha256"] else 1)' "srv.$5.json" "cli.$5.json" ||
	    atf_fail "$2 -> $4: $(flat "srv.$5.json") $(flat "cli.$5.json")"
}

# path_mtu NODE DST SRC MTU: the kernel's route to DST from SRC has MTU.
path_mtu() {
	ip -n "$(node "$1")" -j -6 route get "$2" from "$3" >route.json
	json_ok route.json "[m.get('mtu') for r in d for m in \
	    r.get('metrics', []) if 'mtu' in m] == [$4]" ||
	    atf_fail "path MTU $1 -> $2: $(flat route.json)"
}

# both_ways MTU: HoA -> cn, then cn -> HoA, each sender's path MTU
# lowered to MTU right after its transfer.  The MSS a side advertises
# follows its own path MTU: the lowered one is forgotten in between, or
# cn would never send a segment too big for the way back.
both_ways() {
	transfer mn "$HOA" cn "$CN" 5001
	path_mtu mn "$CN" "$HOA" "$1"
	atf_check ip -n "$(node mn)" -6 route flush cache
	transfer cn "$CN" mn "$HOA" 5002
	path_mtu cn "$HOA" "$CN" "$1"
}

# ptb_sent DAEMON KEY: its plane dropped packets as too big and it sent
# Packet Too Big messages (its rx and tx counters KEY moved).
ptb_sent() {
	ctl_ok "$1" counters '(d["bpf"]["drop_too_big"] >= 1 and
	    d["rx"]["'"$2"'"] >= 1 and d["tx"]["'"$2"'"] >= 1)' ||
	    atf_fail "$1: $(flat "$1.counters.json")"
}

stop_all() {
	for p in $DAEMONS; do
		[ -s $p.pid ] || continue
		kill "$(cat $p.pid)" 2>/dev/null
		until_true 5 sh -c "! kill -0 $(cat $p.pid) 2>/dev/null"
	done
	[ -f netns.list ] && xargs -r -n 1 ip netns del <netns.list
	[ -f run.id ] && rm -rf "/sys/fs/bpf/$(cat run.id)"
	return 0
}

atf_test_case tunnel cleanup
tunnel_head() {
	atf_set descr "MTU 1500 everywhere: 1 MiB of TCP cn -> HoA (HA" \
	    "tunnel, had's PTB) and HoA -> cn (reverse tunnel, mnd's PTB)" \
	    "arrives whole; PMTU 1460 on both senders"
	atf_set require.user root
	atf_set require.progs ip nsenter python3
	atf_set timeout 240
}
tunnel_body() {
	home_registered no
	write_tcp
	# RFC 2473 §7.1: link1's 1500 less the 40-octet tunnel header
	both_ways 1460
	ptb_sent had PTB
	ptb_sent mnd ptb
}
tunnel_cleanup() {
	stop_all
}

atf_test_case route_optimization cleanup
route_optimization_head() {
	atf_set descr "MTU 1500 everywhere, route optimisation with cnd:" \
	    "1 MiB of TCP cn -> HoA (RH2, cnd's PTB) and HoA -> cn (HAO," \
	    "mnd's PTB) arrives whole; PMTU 1476 on both senders"
	atf_set require.user root
	atf_set require.progs ip nsenter python3 ping
	atf_set timeout 240
}
route_optimization_body() {
	home_registered yes
	cat >cnd.conf <<EOF
interface linkc;
control-socket $PWD/cnd.sock;
state-dir /sys/fs/bpf/$(cat run.id)/cnd;
EOF
	run_daemon cnd cn "$CND" -d -f cnd.conf
	# traffic through the HA starts return routability (RFC 6275
	# §11.6.1); then both ends hold the binding
	until_true 30 on cn ping -6 -c 1 -W 1 "$HOA" ||
	    atf_fail "no echo reply from the HoA: $(flat mnd.log)"
	until_true 30 ctl_ok mnd bul '[b for b in d["bul"] if
	    b["peer"] == "'$CN'" and b["reg_state"] == "BOUND"]' ||
	    atf_fail "no binding with the CN: $(flat mnd.bul.json)"
	until_true 10 ctl_ok cnd bindings '[b for b in d["bindings"] if
	    b["hoa"] == "'$HOA'" and b["coa"] == "'$COA'"]' ||
	    atf_fail "cnd: $(flat cnd.bindings.json)"
	write_tcp
	# 1500 less the 24-octet RH2 / Destination Options header: the
	# direct path (the tunnel would have made it 1460)
	both_ways 1476
	ptb_sent cnd ptb
	ptb_sent mnd ptb
}
route_optimization_cleanup() {
	stop_all
}

atf_init_test_cases() {
	atf_add_test_case tunnel
	atf_add_test_case route_optimization
}
