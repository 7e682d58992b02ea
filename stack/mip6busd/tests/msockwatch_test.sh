#! /usr/bin/env atf-sh
# msockwatch_test.sh - msockwatch(8) against a mip6busd on a socket in the
# test's work folder: a message sent with -s arrives at a -j watcher as
# one JSON object with every attribute; the one-line form with and without
# -q; -w without traffic (status 2); no hub (status 1); unknown names and
# values (status 64, the name in the message); --help of both programs
# matches their man pages.

BUSD="@BUILDDIR@/mip6busd"
WATCH="@BUILDDIR@/msockwatch"
MIP6CTL="@BUILDDIR@/mip6ctl"
SRC="@SRCDIR@"

# Start the hub in the work folder; its pid in ./hub.pid.
start_hub()
{
	"$BUSD" -d -b "$PWD/bus" -s "$PWD/busd.sock" 2>hub.log &
	echo $! > hub.pid
	i=0
	while ! "$MIP6CTL" -j -s "$PWD/busd.sock" counters >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 500 ] || atf_fail "mip6busd did not start"
		sleep 0.02
	done
}

stop_hub()
{
	[ -f hub.pid ] && kill "$(cat hub.pid)" 2>/dev/null
	[ -f hub.pid ] && wait "$(cat hub.pid)" 2>/dev/null
	rm -f hub.pid
}

# Wait until the hub counts n clients.
wait_clients()
{
	i=0
	while :; do
		n=$("$MIP6CTL" -j -s "$PWD/busd.sock" status | python3 -c \
		    'import json,sys; print(len(json.load(sys.stdin)["clients"]))')
		[ "$n" = "$1" ] && return 0
		i=$((i + 1))
		[ $i -lt 500 ] || atf_fail "hub has $n clients, want $1"
		sleep 0.02
	done
}

atf_test_case send_and_watch_json cleanup
send_and_watch_json_head()
{
	atf_set "descr" "msockwatch -s reaches msockwatch -j: one JSON line"
	atf_set "require.user" "root"
	atf_set "require.progs" "python3"
}
send_and_watch_json_body()
{
	start_hub
	"$WATCH" -b "$PWD/bus" -j -c 1 > out.json 2> watch.err &
	wp=$!
	wait_clients 1
	atf_check -s exit:0 "$WATCH" -b "$PWD/bus" -s "md-info rereg hint=addr \
ifindex=4 coa=2001:db8:2::2 router=fe80::1 router-mac=02:00:00:00:00:01"
	wait $wp
	atf_check_equal "$?" 0
	atf_check -o inline:"1\n" sh -c 'wc -l < out.json'
	cat > check.py <<'EOF'
import json, sys, time
m = json.loads(open("out.json").read())
want = {"type": "md-info", "seq": 1, "errno": 0, "command": "rereg",
        "hint": "addr", "ifindex": 4, "coa": "2001:db8:2::2",
        "router": "fe80::1", "router_mac": "02:00:00:00:00:01"}
for k, v in want.items():
    assert m[k] == v, (k, m[k], v)
assert isinstance(m["time"], float) and abs(m["time"] - time.time()) < 60
assert m["pid"] > 1
assert set(m) == set(want) | {"time", "pid"}, sorted(m)
print("ok")
EOF
	atf_check -o inline:"ok\n" python3 check.py
}
send_and_watch_json_cleanup()
{
	stop_hub
}

atf_test_case watch_lines cleanup
watch_lines_head()
{
	atf_set "descr" "the one-line form, with a timestamp and with -q"
	atf_set "require.user" "root"
	atf_set "require.progs" "python3"
}
watch_lines_body()
{
	start_hub
	"$WATCH" -b "$PWD/bus" -c 2 > stamped.txt &
	w1=$!
	"$WATCH" -b "$PWD/bus" -q -c 2 > plain.txt &
	w2=$!
	wait_clients 2
	atf_check "$WATCH" -b "$PWD/bus" -s "bul-add hoa=2001:db8:1::100 \
coa=2001:db8:2::2 peer=2001:db8:1::1 lifetime=400 flags=A,H state=bound"
	atf_check "$WATCH" -b "$PWD/bus" -s "home-hint ifindex=2 \
prefix=2001:db8:1::/64 prefix=2001:db8:1:1::/64"
	wait $w1
	wait $w2
	atf_check -o match:"^bul-add pid=[0-9]+ seq=1 hoa=2001:db8:1::100 coa=2001:db8:2::2 peer=2001:db8:1::1 lifetime=400 flags=A,H state=bound$" \
	    -o match:"^home-hint pid=[0-9]+ seq=1 ifindex=2 prefix=2001:db8:1::/64 prefix=2001:db8:1:1::/64$" \
	    cat plain.txt
	atf_check -o match:"^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} bul-add pid=" \
	    -o match:"^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} home-hint pid=" \
	    cat stamped.txt
}
watch_lines_cleanup()
{
	stop_hub
}

atf_test_case timeouts_and_errors cleanup
timeouts_and_errors_head()
{
	atf_set "descr" "-w without traffic exits 2, no hub exits 1, a message" \
	    "-s cannot read exits 64 naming the culprit"
	atf_set "require.user" "root"
}
timeouts_and_errors_body()
{
	atf_check -s exit:1 -e match:"is mip6busd running" \
	    "$WATCH" -b "$PWD/none" -s "md-info deregforeign"
	atf_check -s exit:1 -e match:"is mip6busd running" \
	    "$WATCH" -b "$PWD/none"
	start_hub
	atf_check -s exit:2 "$WATCH" -b "$PWD/bus" -w 1
	atf_check -s exit:64 -e inline:"msockwatch: -s: unknown attribute \"colour\"\n" \
	    "$WATCH" -b "$PWD/bus" -s "md-info rereg colour=blue"
	atf_check -s exit:64 -e inline:"msockwatch: -s: unknown message type \"md-inf\"\n" \
	    "$WATCH" -b "$PWD/bus" -s "md-inf rereg"
	atf_check -s exit:64 -e inline:"msockwatch: -s: bad value for \"coa\"\n" \
	    "$WATCH" -b "$PWD/bus" -s "md-info rereg ifindex=1 coa=2001::db8::1"
	atf_check -s exit:64 -e inline:"msockwatch: -s: md-info: required attribute missing: coa\n" \
	    "$WATCH" -b "$PWD/bus" -s "md-info rereg ifindex=1"
	atf_check -s exit:64 -e inline:"msockwatch: -s: md-info: attribute not allowed for the type: flags\n" \
	    "$WATCH" -b "$PWD/bus" -s "md-info deregforeign flags=3"
	atf_check -s exit:64 -e match:"^usage: msockwatch" "$WATCH" -c 0
	atf_check -s exit:64 -e match:"^usage: msockwatch" "$WATCH" -w x
	atf_check -s exit:64 -e match:"^usage: msockwatch" "$WATCH" extra
	atf_check -s exit:64 -e match:"^usage: msockwatch" \
	    "$WATCH" -j -s "md-info deregforeign"
	# nothing malformed reached the hub
	atf_check -o match:'"malformed": 0$' -o match:'"messages": 0,' \
	    "$MIP6CTL" -j -s "$PWD/busd.sock" counters
}
timeouts_and_errors_cleanup()
{
	stop_hub
}

# The options listed by --help, and those of the man page, are the same.
same_options()
{
	prog=$1 man=$2
	atf_check -s exit:0 -o save:help "$prog" --help
	sed -n 's/^  \(-[a-z]\)[ ,].*/\1/p; s/^  \(--[a-z]*\).*/\1/p' help |
	    sort > from_help
	sed -n 's/^\.It Fl \([a-z]\)\( .*\)*$/-\1/p; s/^\.It Fl -\([a-z]*\).*/--\1/p' \
	    "$man" | sort > from_man
	atf_check -o file:from_help cat from_man
}

atf_test_case usage_and_help
usage_and_help_head()
{
	atf_set "descr" "--help lists the options of the man pages; bad usage" \
	    "exits 64; --version"
}
usage_and_help_body()
{
	same_options "$BUSD" "$SRC/stack/mip6busd/mip6busd.8"
	same_options "$WATCH" "$SRC/tools/msockwatch/msockwatch.8"
	atf_check -o match:"^mip6busd \(mip6kit\) [0-9]" "$BUSD" --version
	atf_check -o match:"^msockwatch \(mip6kit\) [0-9]" "$WATCH" --version
	atf_check -s exit:64 -e match:"^usage: mip6busd" "$BUSD" -x
	atf_check -s exit:64 -e match:"^usage: mip6busd" "$BUSD" extra
}

atf_init_test_cases()
{
	atf_add_test_case send_and_watch_json
	atf_add_test_case watch_lines
	atf_add_test_case timeouts_and_errors
	atf_add_test_case usage_and_help
}
