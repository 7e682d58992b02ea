#! /usr/bin/atf-sh
# capture_test.sh - per-link pcap while a run is up: every packet is in
# the file as soon as it has crossed the link (flushed per packet),
# capture starts before the links come up, only the links asked for are
# captured, and the capture process goes at down.  The pcaps are read
# with tshark, an independent decoder.

BUILDDIR=@BUILDDIR@
SRCDIR=@SRCDIR@
. "$SRCDIR/tools/mip6topo/tests/topo.subr"

cap_topo()
{
	cat > cap.topo <<'TOPO'
node a b c
link ab a b
link lan a b c
mac a ab 02:00:00:00:01:01
mac b ab 02:00:00:00:01:02
addr a ab 2001:db8:1::1/64 nodad
addr b ab 2001:db8:1::2/64 nodad
addr a lan 2001:db8:2::1/64 nodad
addr c lan 2001:db8:2::3/64 nodad
addr a lan 192.0.2.1/24
addr c lan 192.0.2.3/24
sysctl * ipv6.conf.all.accept_dad=0
sysctl * ipv6.conf.default.accept_dad=0
TOPO
}

# count PCAP FILTER: the number of packets tshark matches.
count()
{
	tshark -r "$1" -Y "$2" 2>/dev/null | wc -l
}

atf_test_case pings_are_in_the_pcaps cleanup
pings_are_in_the_pcaps_head()
{
	atf_set "descr" "echo requests and replies across a veth and a bridge are in their links' pcaps at once"
	atf_set "require.user" "root"
	atf_set "require.progs" "tshark"
}
pings_are_in_the_pcaps_body()
{
	cap_topo
	echo "capture all" >> cap.topo
	id=$(new_id)
	atf_check -s exit:0 -o ignore -e empty "$M" up -i "$id" -d out cap.topo
	atf_check -s exit:0 -o ignore ip netns exec "$(ns_of "$id" b)" \
	    "$PING" -p probe-ab fe80::ff:fe00:101%ab
	atf_check -s exit:0 -o ignore ip netns exec "$(ns_of "$id" c)" \
	    "$PING" -p probe-lan6 2001:db8:2::1
	atf_check -s exit:0 -o ignore ip netns exec "$(ns_of "$id" c)" \
	    "$PING" -p probe-lan4 192.0.2.1
	# Still up: the packets are already on disk.
	q6='icmpv6.type == %d && data.data contains "%s"'
	atf_check_equal 1 "$(count out/pcap/ab.pcap \
	    "$(printf "$q6" 128 probe-ab) && ipv6.src == fe80::ff:fe00:102 && eth.src == 02:00:00:00:01:02")"
	atf_check_equal 1 "$(count out/pcap/ab.pcap \
	    "$(printf "$q6" 129 probe-ab) && ipv6.dst == fe80::ff:fe00:102")"
	atf_check_equal 1 "$(count out/pcap/lan.pcap \
	    "$(printf "$q6" 128 probe-lan6) && ipv6.src == 2001:db8:2::3 && ipv6.dst == 2001:db8:2::1")"
	atf_check_equal 1 "$(count out/pcap/lan.pcap \
	    "$(printf "$q6" 129 probe-lan6)")"
	atf_check_equal 1 "$(count out/pcap/lan.pcap \
	    'icmp.type == 0 && data.data contains "probe-lan4" && ip.src == 192.0.2.1')"
	# Each link holds its own traffic only.
	atf_check_equal 0 "$(count out/pcap/ab.pcap \
	    'data.data contains "probe-lan"')"
	atf_check_equal 0 "$(count out/pcap/lan.pcap \
	    'data.data contains "probe-ab"')"
	pids=$(run_pids "$id")
	atf_check -s exit:0 -o empty -e empty "$M" down "$id"
	assert_gone "$id" $pids
	# After the final flush the files are whole pcaps, still there.
	atf_check_equal 1 "$(count out/pcap/lan.pcap \
	    "$(printf "$q6" 128 probe-lan6)")"
	atf_check -s exit:0 -o match:"encapsulation: *Ethernet" -e ignore \
	    capinfos -E out/pcap/ab.pcap
}
pings_are_in_the_pcaps_cleanup() { topo_cleanup; }

atf_test_case capture_starts_before_links_come_up cleanup
capture_starts_before_links_come_up_head()
{
	atf_set "descr" "the DAD probes sent as a link comes up are in its pcap"
	atf_set "require.user" "root"
	atf_set "require.progs" "tshark"
}
capture_starts_before_links_come_up_body()
{
	cap_topo
	# DAD left on for b's address on ab.
	grep -v accept_dad cap.topo | sed 's|^addr b ab .*|addr b ab 2001:db8:1::2/64|' \
	    > dad.topo
	echo "capture ab" >> dad.topo
	id=$(new_id)
	atf_check -s exit:0 -o ignore -e empty "$M" up -i "$id" -d out dad.topo
	atf_check -s exit:0 -o inline:"1\n" sh -c \
	    "tshark -r out/pcap/ab.pcap -Y 'icmpv6.type == 135 && ipv6.src == :: && icmpv6.nd.ns.target_address == 2001:db8:1::2' 2>/dev/null | wc -l | tr -d ' ' | sed 's/^[1-9][0-9]*$/1/'"
	atf_check -s exit:0 -o empty -e empty "$M" down "$id"
}
capture_starts_before_links_come_up_cleanup() { topo_cleanup; }

atf_test_case only_the_links_asked_for cleanup
only_the_links_asked_for_head()
{
	atf_set "descr" "capture LINK captures that link only; no capture line, no capture process"
	atf_set "require.user" "root"
}
only_the_links_asked_for_body()
{
	cap_topo
	cp cap.topo none.topo
	echo "capture lan" >> cap.topo
	id=$(new_id)
	atf_check -s exit:0 -o save:st.json -e empty "$M" up -j -i "$id" \
	    -d out cap.topo
	atf_check -s exit:0 -o inline:"lan.pcap\n" ls out/pcap
	atf_check -s exit:0 -o inline:"[None, '$(pwd)/out/pcap/lan.pcap']\n" \
	    "$PY" -c "$JGET" "[l['pcap'] for l in d['runs'][0]['links']]" < st.json
	atf_check -s exit:0 -o empty -e empty "$M" down "$id"
	id=$(new_id)
	atf_check -s exit:0 -o save:st.json -e empty "$M" up -j -i "$id" \
	    -d out2 none.topo
	atf_check -s exit:0 -o inline:"[]\n" \
	    "$PY" -c "$JGET" "d['runs'][0]['processes']" < st.json
	[ ! -e out2/pcap ] || atf_fail "pcap folder without captures"
	atf_check -s exit:0 -o empty -e empty "$M" down "$id"
}
only_the_links_asked_for_cleanup() { topo_cleanup; }

atf_init_test_cases()
{
	atf_add_test_case pings_are_in_the_pcaps
	atf_add_test_case capture_starts_before_links_come_up
	atf_add_test_case only_the_links_asked_for
}
