#! /usr/bin/env atf-sh
# mip6ctl_test.sh - mip6ctl against a fake daemon (ctlserver_helper): the
# request line each command sends, -j output that is the daemon's JSON,
# the text tables and groups made from it, error answers, no daemon, bad
# usage, and --help against the manual page.

MIP6CTL="@BUILDDIR@/mip6ctl"
HELPER="@BUILDDIR@/tools/mip6ctl/tests/ctlserver_helper"
SRC="@SRCDIR@"
SOCK=s/had.sock		# relative: short enough for sun_path anywhere

BINDINGS='{"daemon":"had","version":"0.1","bindings":[
 {"hoa":"2001:db8:1::100","coa":"2001:db8:2::100","seq":4660,
  "lifetime":400,"remaining":396,"flags":{"H":true,"A":true,"R":false},
  "state":"active"},
 {"hoa":"2001:db8:1::200","coa":"2001:db8:3::7","seq":7,"lifetime":60,
  "remaining":12,"flags":["H","R"],"state":"dad","mnp":["2001:db8:100::/64"]}
]}'

# serve ANSWER-TEXT [COUNT]: the fake daemon in the background, ready.
serve()
{
	printf '%s' "$1" > answer.json
	rm -f log log.ready
	"$HELPER" "$SOCK" answer.json log "${2:-1}" &
	HELPER_PID=$!
	n=0
	while [ ! -e log.ready ]; do
		n=$((n + 1))
		[ $n -lt 200 ] || atf_fail "ctlserver_helper did not start"
		sleep 0.05
	done
}

# The helper served every connection and exited 0.
served()
{
	wait $HELPER_PID || atf_fail "ctlserver_helper failed"
}

atf_test_case json_is_the_answer
json_is_the_answer_head()
{
	atf_set descr "-j prints valid JSON equal to the daemon's answer;" \
	    "the request line is the command"
}
json_is_the_answer_body()
{
	serve "$BINDINGS"
	atf_check -o save:out "$MIP6CTL" -j -s "$SOCK" bindings
	served
	atf_check -o inline:"bindings\n" cat log
	printf '%s' "$BINDINGS" > want.json
	atf_check python3 -c 'import json, sys
a = json.load(open("out")); b = json.load(open("want.json"))
sys.exit(a != b)'
}

atf_test_case bindings_table
bindings_table_head()
{
	atf_set descr "bindings as a table: the fixed columns, flags from" \
	    "an object and from an array, extra keys as more columns"
}
bindings_table_body()
{
	serve "$BINDINGS"
	atf_check -o save:out "$MIP6CTL" -s "$SOCK" bindings
	served
	cat > want <<'EOF'
HoA              CoA              seq   lifetime  remaining  flags  state   mnp
2001:db8:1::100  2001:db8:2::100  4660  400       396        H,A    active  -
2001:db8:1::200  2001:db8:3::7    7     60        12         H,R    dad     2001:db8:100::/64
EOF
	atf_check -o file:want cat out
}

atf_test_case show_bindings_and_empty
show_bindings_and_empty_head()
{
	atf_set descr "'show bindings' sends 'bindings'; an empty list says so"
}
show_bindings_and_empty_body()
{
	serve '{"daemon":"had","version":"0.1","bindings":[]}'
	atf_check -o inline:"no bindings\n" "$MIP6CTL" -s "$SOCK" show bindings
	served
	atf_check -o inline:"bindings\n" cat log
}

atf_test_case delete_sends_canonical_address
delete_sends_canonical_address_head()
{
	atf_set descr "bindings delete HOA sends the RFC 5952 form of HOA"
}
delete_sends_canonical_address_body()
{
	serve '{"daemon":"had","version":"0.1","deleted":"2001:db8:1::100"}'
	atf_check -o inline:"deleted: 2001:db8:1::100\n" \
	    "$MIP6CTL" -s "$SOCK" bindings delete 2001:DB8:1:0:0::100
	served
	atf_check -o inline:"bindings delete 2001:db8:1::100\n" cat log
}

atf_test_case counters_grouped
counters_grouped_head()
{
	atf_set descr "nested objects print as indented groups, in order"
}
counters_grouped_body()
{
	serve '{"daemon":"had","version":"0.1","messages":{"bu":3,"ba":2},
"status":{"0":2,"130":1},"bpf":{"tun_encap":10,"drop":{"ring_full":0}}}'
	atf_check -o save:out "$MIP6CTL" -s "$SOCK" counters
	served
	atf_check -o inline:"counters\n" cat log
	cat > want <<'EOF'
messages:
  bu: 3
  ba: 2
status:
  0: 2
  130: 1
bpf:
  tun_encap: 10
  drop:
    ring_full: 0
EOF
	atf_check -o file:want cat out
}

atf_test_case halist_and_status
halist_and_status_head()
{
	atf_set descr "halist is a table of its keys; status shows the" \
	    "daemon and version, other answers do not"
}
halist_and_status_body()
{
	serve '{"daemon":"had","version":"0.1","halist":[{"addr":"2001:db8:1::1",
"preference":10,"lifetime":1800,"remaining":1700,"router":true,"self":true}]}'
	atf_check -o save:out "$MIP6CTL" -s "$SOCK" halist
	served
	cat > want <<'EOF'
addr           preference  lifetime  remaining  router  self
2001:db8:1::1  10          1800      1700       true    true
EOF
	atf_check -o file:want cat out
	serve '{"daemon":"had","version":"0.1","bindings":2,"max_bindings":100,
"uptime":12.5,"interfaces":["eth0","eth1"],"note":"a\u0001b"}'
	atf_check -o save:out "$MIP6CTL" -s "$SOCK" status
	served
	atf_check -o inline:"status\n" cat log
	cat > want <<'EOF'
daemon: had
version: 0.1
bindings: 2
max_bindings: 100
uptime: 12.5
interfaces: eth0,eth1
note: a?b
EOF
	atf_check -o file:want cat out
}

atf_test_case reset_and_reload
reset_and_reload_head()
{
	atf_set descr "reset and reload send their word; key: value output"
}
reset_and_reload_body()
{
	serve '{"daemon":"had","version":"0.1","reloaded":true}' 2
	atf_check -o inline:"reloaded: true\n" "$MIP6CTL" -s "$SOCK" reload
	atf_check -o inline:"reloaded: true\n" "$MIP6CTL" -s "$SOCK" reset
	served
	atf_check -o inline:"reload\nreset\n" cat log
}

atf_test_case error_answer
error_answer_head()
{
	atf_set descr "an {\"error\":...} answer: the message on stderr," \
	    "exit 1; with -j the JSON is still printed"
}
error_answer_body()
{
	err='{"daemon":"had","version":"0.1","error":"no binding for 2001:db8:1::9"}'
	serve "$err"
	atf_check -s exit:1 -e inline:"mip6ctl: no binding for 2001:db8:1::9\n" \
	    "$MIP6CTL" -s "$SOCK" bindings delete 2001:db8:1::9
	served
	serve "$err"
	atf_check -s exit:1 -o save:out \
	    -e inline:"mip6ctl: no binding for 2001:db8:1::9\n" \
	    "$MIP6CTL" -j -s "$SOCK" bindings delete 2001:db8:1::9
	served
	atf_check -o inline:"no binding for 2001:db8:1::9\n" python3 -c \
	    'import json; print(json.load(open("out"))["error"])'
}

atf_test_case bad_answers
bad_answers_head()
{
	atf_set descr "an answer that is not JSON, trailing bytes, or none:" \
	    "exit 1 with the reason"
}
bad_answers_body()
{
	serve 'hello'
	atf_check -s exit:1 -e match:"^mip6ctl: s/had.sock: the answer is not JSON: " \
	    "$MIP6CTL" -s "$SOCK" status
	served
	serve '{"a":1} {"b":2}'
	atf_check -s exit:1 -e match:"the answer is not JSON" \
	    "$MIP6CTL" -s "$SOCK" status
	served
	serve '{"a":'
	atf_check -s exit:1 -e inline:"mip6ctl: s/had.sock: the answer is not JSON: cut short\n" \
	    "$MIP6CTL" -s "$SOCK" status
	served
	serve ''
	atf_check -s exit:1 \
	    -e inline:"mip6ctl: s/had.sock: closed without an answer\n" \
	    "$MIP6CTL" -s "$SOCK" status
	served
}

atf_test_case large_answer
large_answer_head()
{
	atf_set descr "a 2 MB answer (20000 bindings) arrives whole"
}
large_answer_body()
{
	python3 - > big.json <<'PY'
import json
b = [{"hoa": "2001:db8:1::%x" % i, "coa": "2001:db8:2::%x" % i, "seq": i,
      "lifetime": 400, "remaining": 300, "flags": "HA", "state": "active",
      "pad": "x" * 40} for i in range(1, 20001)]
print(json.dumps({"daemon": "had", "version": "0.1", "bindings": b}))
PY
	serve "$(cat big.json)"
	atf_check -o save:out "$MIP6CTL" -s "$SOCK" bindings
	served
	atf_check -o inline:"20001\n" sh -c 'wc -l < out'
	atf_check -o match:"^2001:db8:1::4e20 +2001:db8:2::4e20 +20000 " \
	    tail -n 1 out
}

atf_test_case no_daemon
no_daemon_head()
{
	atf_set descr "no socket or nothing listening: exit 2, the path," \
	    "the errno text and a hint"
}
no_daemon_body()
{
	atf_check -s exit:2 \
	    -e inline:"mip6ctl: nowhere/had.sock: No such file or directory (is had running?)\n" \
	    "$MIP6CTL" -s nowhere/had.sock status
	python3 -c 'import socket; s = socket.socket(socket.AF_UNIX); s.bind("dead.sock")'
	atf_check -s exit:2 \
	    -e inline:"mip6ctl: dead.sock: Connection refused (is had running?)\n" \
	    "$MIP6CTL" -s dead.sock status
}

atf_test_case usage_errors
usage_errors_head()
{
	atf_set descr "bad command lines: the reason and the usage on" \
	    "stderr, exit 64, nothing sent"
}
usage_errors_body()
{
	for args in "" "frobnicate" "show" "show reset" "halist extra" \
	    "bindings delete" "bindings delete not-an-address" \
	    "bindings delete 2001:db8::1 extra" "bindings remove 2001:db8::1" \
	    "-x status" "-s"; do
		# shellcheck disable=SC2086
		atf_check -s exit:64 -e match:"^usage: mip6ctl " \
		    "$MIP6CTL" $args
	done
	atf_check -s exit:64 -e match:'^mip6ctl: unknown command "frobnicate"$' \
	    "$MIP6CTL" frobnicate
	atf_check -s exit:64 \
	    -e match:'^mip6ctl: "2001:db8::g" is not an IPv6 address$' \
	    "$MIP6CTL" bindings delete 2001:db8::g
}

atf_test_case help_matches_the_man_page
help_matches_the_man_page_head()
{
	atf_set descr "-h and --help print the usage on stdout; its options" \
	    "and commands are those of mip6ctl(8)"
}
help_matches_the_man_page_body()
{
	atf_check -o save:help "$MIP6CTL" --help
	atf_check -o file:help "$MIP6CTL" -h
	atf_check -o match:"^usage: mip6ctl " head -n 1 help
	sed -n 's/^  \(-[a-z]\)[ ,].*/\1/p' help | sort > from_help
	sed -n 's/^\.It Fl \([a-z]\)\( .*\)*$/-\1/p' \
	    "$SRC/tools/mip6ctl/mip6ctl.8" | sort > from_man
	atf_check -o inline:"-h\n-j\n-s\n" cat from_help
	atf_check -o file:from_help cat from_man
	sed -n 's/^  \([a-z][a-z]*\) .*/\1/p' help | sort -u > cmds_help
	sed -n 's/^\.It Cm \([a-z]*\).*/\1/p' \
	    "$SRC/tools/mip6ctl/mip6ctl.8" | sort -u > cmds_man
	atf_check -o inline:"bindings\nbul\nclients\ncounters\nhalist\nnonces\nreload\nreset\nstatus\n" \
	    cat cmds_help
	atf_check -o file:cmds_help cat cmds_man
}

atf_init_test_cases()
{
	atf_add_test_case json_is_the_answer
	atf_add_test_case bindings_table
	atf_add_test_case show_bindings_and_empty
	atf_add_test_case delete_sends_canonical_address
	atf_add_test_case counters_grouped
	atf_add_test_case halist_and_status
	atf_add_test_case reset_and_reload
	atf_add_test_case error_answer
	atf_add_test_case bad_answers
	atf_add_test_case large_answer
	atf_add_test_case no_daemon
	atf_add_test_case usage_errors
	atf_add_test_case help_matches_the_man_page
}
