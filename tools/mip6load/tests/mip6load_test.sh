#! /usr/bin/env atf-sh
# mip6load_test.sh - mip6load(1): argument handling (exit 64 with a message
# naming what is wrong, 1 on a run-time error), and the JSON of tiny runs
# on a veth pair between two namespaces against `mip6load respond` (all
# accepted; rejected by status; retransmitted after 1 s; lost; latency).

MIP6LOAD="@BUILDDIR@/mip6load"

# Options of a run, after `ip netns exec A mip6load MODE`.
run_opts()
{
	echo -i va --ha 2001:db8:1::1 --ha-mac "$(cat mac)" \
	    --home-prefix 2001:db8:1::/64 --coa 2001:db8:10::a
}

# Two namespaces joined by veth va (in A) and vb (in B); names saved for
# the cleanup, which runs in another process.
setup_link()
{
	tag=m6lt-$$
	echo "$tag" > ns.tag
	atf_check ip netns add "$tag-a"
	atf_check ip netns add "$tag-b"
	atf_check ip link add va netns "$tag-a" type veth peer vb \
	    netns "$tag-b"
	atf_check ip -n "$tag-a" link set va up
	atf_check ip -n "$tag-b" link set vb up
	ip netns exec "$tag-b" cat /sys/class/net/vb/address > mac
}

teardown_link()
{
	[ -f resp.pid ] && kill "$(cat resp.pid)" 2>/dev/null
	if [ -f ns.tag ]; then
		ip netns del "$(cat ns.tag)-a" 2>/dev/null
		ip netns del "$(cat ns.tag)-b" 2>/dev/null
	fi
	return 0
}

# respond [OPTIONS]: the trivial home agent in B, ready when it says so.
respond()
{
	ip netns exec "$(cat ns.tag)-b" "$MIP6LOAD" respond -i vb "$@" \
	    > resp.json 2> resp.err &
	echo $! > resp.pid
	n=0
	until grep -q responding resp.err; do
		n=$((n + 1))
		[ $n -lt 100 ] || atf_fail "mip6load respond did not start:" \
		    "$(cat resp.err)"
		sleep 0.05
	done
}

# Stop the responder; its JSON is in resp.json.
respond_stop()
{
	kill -TERM "$(cat resp.pid)"
	wait "$(cat resp.pid)" || atf_fail "mip6load respond failed"
	rm resp.pid
}

# load MODE [OPTIONS]: a run in A, its JSON in out.json.
load()
{
	mode=$1
	shift
	atf_check -o save:out.json ip netns exec "$(cat ns.tag)-a" \
	    "$MIP6LOAD" "$mode" $(run_opts) "$@"
}

# jcheck FILE EXPR...: every Python expression holds for d = the JSON.
jcheck()
{
	f=$1
	shift
	python3 - "$f" "$@" <<'PY' || atf_fail "$(cat "$f")"
import json, sys
d = json.load(open(sys.argv[1]))
for e in sys.argv[2:]:
    if not eval(e, {}, {"d": d}):
        print("false: " + e, file=sys.stderr)
        sys.exit(1)
PY
}

# The latency object: four ordered positive numbers.
LAT_OK='0 < d["latency_us"]["p50"] <= d["latency_us"]["p90"] <= d["latency_us"]["p99"] <= d["latency_us"]["max"]'

atf_test_case usage
usage_head()
{
	atf_set descr "no mode, an unknown mode, extra arguments and" \
	    "--help: usage text, exit 64 (0 for --help, on stdout)"
}
usage_body()
{
	atf_check -s exit:64 -e match:'a mode is required' \
	    -e match:'^usage: mip6load register' "$MIP6LOAD"
	atf_check -s exit:64 -e match:'unknown mode "flood"' \
	    "$MIP6LOAD" flood -i lo
	atf_check -s exit:64 -e match:'unexpected argument "extra"' \
	    "$MIP6LOAD" respond -i lo extra
	atf_check -s exit:64 -e match:'^usage:' "$MIP6LOAD" respond -i lo -x
	atf_check -o match:'^usage: mip6load register' "$MIP6LOAD" --help
	atf_check -o match:'mip6load respond -i IF' "$MIP6LOAD" register -h
}

atf_test_case bad_options
bad_options_head()
{
	atf_set descr "missing and malformed options name the option and" \
	    "what was found, exit 64"
}
bad_options_body()
{
	ok="-i lo --ha 2001:db8:1::1 --ha-mac 02:00:00:00:00:01"
	ok="$ok --home-prefix 2001:db8:1::/64 --coa 2001:db8:10::a"
	atf_check -s exit:64 -e match:'-i IF is required' \
	    "$MIP6LOAD" respond
	atf_check -s exit:64 -e match:'--coa and -n are required' \
	    "$MIP6LOAD" register $ok
	atf_check -s exit:64 -e match:'-n: expected a number from 1 to' \
	    "$MIP6LOAD" register $ok -n 0
	atf_check -s exit:64 -e match:'-n: .*found "12x"' \
	    "$MIP6LOAD" register $ok -n 12x
	atf_check -s exit:64 -e match:'--window: .*found "-1"' \
	    "$MIP6LOAD" register $ok -n 1 --window -1
	atf_check -s exit:64 -e match:'--lifetime: .*to 262140' \
	    "$MIP6LOAD" register $ok -n 1 --lifetime 262141
	atf_check -s exit:64 -e match:'--ha: expected an IPv6 address, found "10.0.0.1"' \
	    "$MIP6LOAD" latency $ok -n 1 --ha 10.0.0.1
	atf_check -s exit:64 -e match:'--ha-mac: expected a MAC address' \
	    "$MIP6LOAD" register $ok -n 1 --ha-mac 02:00:00:00:01
	atf_check -s exit:64 -e match:'--home-prefix: expected PREFIX/LEN' \
	    "$MIP6LOAD" register $ok -n 1 --home-prefix 2001:db8:1::
	atf_check -s exit:64 -e match:'--home-prefix length: .*from 1 to 96' \
	    "$MIP6LOAD" register $ok -n 1 --home-prefix 2001:db8:1::/112
	atf_check -s exit:64 -e match:'last 32 bits of "2001:db8:1::1/64"' \
	    "$MIP6LOAD" register $ok -n 1 --home-prefix 2001:db8:1::1/64
	atf_check -s exit:64 -e match:'32-bit index space' \
	    "$MIP6LOAD" register $ok -n 2 --first-index 4294967295
	atf_check -s exit:64 -e match:'--status: .*from 0 to 255' \
	    "$MIP6LOAD" respond -i lo --status 256
}

atf_test_case runtime_errors
runtime_errors_head()
{
	atf_set descr "an interface that does not exist: message, exit 1"
}
runtime_errors_body()
{
	atf_check -s exit:1 -e match:'^mip6load: interface m6-nosuch0: ' \
	    "$MIP6LOAD" register -i m6-nosuch0 --ha 2001:db8:1::1 \
	    --ha-mac 02:00:00:00:00:01 --home-prefix 2001:db8:1::/64 \
	    --coa 2001:db8:10::a -n 1
	atf_check -s exit:1 -e match:'^mip6load: interface m6-nosuch0: ' \
	    "$MIP6LOAD" respond -i m6-nosuch0
}

atf_test_case register cleanup
register_head()
{
	atf_set descr "200 MNs against a responder: JSON counts, latency" \
	    "percentiles ordered, rate; every BU answered once"
	atf_set require.user root
	atf_set require.progs ip python3
}
register_body()
{
	setup_link
	respond
	load register -n 200 --window 16 --first-index 1000 --seq 7
	respond_stop
	jcheck out.json 'd["mode"] == "register"' 'd["n"] == 200' \
	    'd["accepted"] == 200' 'd["rejected"] == {}' 'd["lost"] == 0' \
	    'd["never_sent"] == 0' 'd["truncated"] is False' \
	    'd["sent"] == 200' 'd["retransmits"] == 0' \
	    'd["unmatched"] == 0' 'd["late"] == 0' 'd["window"] == 16' \
	    'd["elapsed_s"] > 0' \
	    'abs(d["rate_per_s"] - 200 / d["elapsed_s"]) < 0.01 * d["rate_per_s"] + 0.1' \
	    'd["tx_stamp"] == "user"' "$LAT_OK"
	jcheck resp.json 'd["received"] == 200' 'd["answered"] == 200' \
	    'd["dropped"] == 0'
}
register_cleanup()
{
	teardown_link
}

atf_test_case rejected cleanup
rejected_head()
{
	atf_set descr "a BA status >= 128 counts under rejected by status," \
	    "not as accepted; latency still measured"
	atf_set require.user root
	atf_set require.progs ip python3
}
rejected_body()
{
	setup_link
	respond --status 129
	load register -n 50
	respond_stop
	jcheck out.json 'd["accepted"] == 0' 'd["rejected"] == {"129": 50}' \
	    'd["lost"] == 0' 'd["rate_per_s"] == 0' "$LAT_OK"
	respond --status 1
	load register -n 20
	respond_stop
	jcheck out.json 'd["accepted"] == 20' 'd["rejected"] == {}'
}
rejected_cleanup()
{
	teardown_link
}

atf_test_case retransmit cleanup
retransmit_head()
{
	atf_set descr "BUs left unanswered are sent again after 1 s with" \
	    "the next sequence number and then accepted"
	atf_set require.user root
	atf_set require.progs ip python3
}
retransmit_body()
{
	setup_link
	respond --drop 5
	load register -n 10 --window 10
	respond_stop
	# 1 s (InitialBindackTimeout) + scheduling; well under a 2nd timeout.
	# Latency runs from the send the BA answers: the retransmission.
	jcheck out.json 'd["accepted"] == 10' 'd["lost"] == 0' \
	    'd["sent"] == 15' 'd["retransmits"] == 5' \
	    '1.0 <= d["elapsed_s"] < 1.9' "$LAT_OK" \
	    'd["latency_us"]["max"] < 500000'
	jcheck resp.json 'd["received"] == 15' 'd["dropped"] == 5' \
	    'd["answered"] == 10'
}
retransmit_cleanup()
{
	teardown_link
}

atf_test_case lost cleanup
lost_head()
{
	atf_set descr "no home agent and --max-time 1: the MN in flight is" \
	    "lost, the others never sent, exit 0, latency null"
	atf_set require.user root
	atf_set require.progs ip python3
}
lost_body()
{
	setup_link
	load register -n 3 --window 1 --max-time 1
	jcheck out.json 'd["accepted"] == 0' 'd["lost"] == 1' \
	    'd["never_sent"] == 2' 'd["truncated"] is True' \
	    'd["latency_us"]["p50"] is None' 'd["latency_us"]["max"] is None'
}
lost_cleanup()
{
	teardown_link
}

atf_test_case latency cleanup
latency_head()
{
	atf_set descr "latency mode: one BU at a time (window 1), one" \
	    "sample per MN"
	atf_set require.user root
	atf_set require.progs ip python3
}
latency_body()
{
	setup_link
	respond
	load latency -n 100
	respond_stop
	# veth takes software TX timestamps: read back from the error queue.
	jcheck out.json 'd["mode"] == "latency"' 'd["window"] == 1' \
	    'd["tx_stamp"] == "kernel"' \
	    'd["accepted"] == 100' 'd["sent"] == 100' "$LAT_OK" \
	    'd["latency_us"]["p50"] < 100000'
}
latency_cleanup()
{
	teardown_link
}

atf_init_test_cases()
{
	atf_add_test_case usage
	atf_add_test_case bad_options
	atf_add_test_case runtime_errors
	atf_add_test_case register
	atf_add_test_case rejected
	atf_add_test_case retransmit
	atf_add_test_case lost
	atf_add_test_case latency
}
