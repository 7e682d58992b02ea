#! /usr/bin/atf-sh
# parse_test.sh - the .topo grammar: normalised output (-n), its fixed
# point, FILE:LINE errors with exit status 2.  Needs no root: nothing is
# created.

BUILDDIR=@BUILDDIR@
SRCDIR=@SRCDIR@
. "$SRCDIR/tools/mip6topo/tests/topo.subr"

atf_test_case golden_normalised_form
golden_normalised_form_head()
{
	atf_set "descr" "-n writes defaults out, expands '*', orders statements and prints addresses in RFC 5952 form"
}
golden_normalised_form_body()
{
	cat > in.topo <<'TOPO'
# any order, defaults left implicit
run  a -- sh -c "echo \"hi there\"" '#not-a-comment' ""
capture lan
sysctl * ipv6.conf.default.accept_dad=0
route c default via 2001:DB8:2:0::1   # upper case, long form
route c 198.51.100.0/24 via 192.0.2.1 metric 7
route a 2001:db8:9::/48 dev ab
addr  c lan 192.0.2.3/24
addr a ab 2001:db8:1:0:0:0:0:1/64 nodad
mac b ab 02:00:00:00:01:02
link lan a b:eth9 c host:dummy0
link ab a b
node a b
node c
nat a masquerade lan
topology t1
TOPO
	cat > want <<'WANT'
topology t1
node a
node b
node c
link lan a:lan b:eth9 c:lan host:dummy0	# bridge
link ab a:ab b:ab	# veth
mac b ab 02:00:00:00:01:02
addr c lan 192.0.2.3/24
addr a ab 2001:db8:1::1/64 nodad
route c default via 2001:db8:2::1
route c 198.51.100.0/24 via 192.0.2.1 metric 7
route a 2001:db8:9::/48 dev ab
sysctl a ipv6.conf.default.accept_dad=0
sysctl b ipv6.conf.default.accept_dad=0
sysctl c ipv6.conf.default.accept_dad=0
nat a masquerade lan
capture lan
run a -- sh -c "echo \"hi there\"" "#not-a-comment" ""
WANT
	atf_check -s exit:0 -o file:want -e empty "$M" -n in.topo
}

atf_test_case normalised_form_is_a_fixed_point
normalised_form_is_a_fixed_point_head()
{
	atf_set "descr" "the normalised form of every shipped topology parses back to itself"
}
normalised_form_is_a_fixed_point_body()
{
	for f in "$TOPOS"/*.topo; do
		n=$(basename "$f" .topo)
		atf_check -s exit:0 -o save:$n.1 -e empty "$M" -n "$f"
		atf_check -s exit:0 -o save:$n.2 -e empty "$M" -n $n.1
		atf_check -s exit:0 -o empty cmp $n.1 $n.2
	done
	# The shipped set is the one the brief asks for.
	atf_check -s exit:0 -o inline:"ha-under-test.topo\nmn-under-test.topo\nmr-under-test.topo\nreference.topo\n" \
	    sh -c "cd '$TOPOS' && ls *.topo"
}

atf_test_case errors_name_file_and_line
errors_name_file_and_line_head()
{
	atf_set "descr" "every error is FILE:LINE: message, in line order, and the exit status is 2"
}
errors_name_file_and_line_body()
{
	cat > bad.topo <<'TOPO'
node a b
node a
link l1 a b c
link l2 a:x host:
addr a l1 2001:db8::1
addr b nope 2001:db8::1/64
route a default dev l1
route a 2001:db8::1/64 via 10.0.0.1
sysctl a net.ipv6.conf.all.forwarding=1
mac a l1 01:00:00:00:00:01
capture l9
run a sleep
frob x
node host
link l3 a:this-name-is-too-long b
route b fe80::1/128 via fe80::2
addr a l1 192.0.2.1/24 nodad
run b -- "unterminated
TOPO
	cat > want <<'WANT'
bad.topo:2: node 'a' already declared on line 1
bad.topo:3: unknown node 'c'
bad.topo:4: bad host endpoint 'host:' (host:IFNAME)
bad.topo:5: address '2001:db8::1': needs a prefix length (ADDRESS/LEN)
bad.topo:6: node 'b' has no interface 'nope' (interfaces come from link lines)
bad.topo:7: 'default' takes its family from 'via'; without a gateway write ::/0 or 0.0.0.0/0
bad.topo:8: route destination '2001:db8::1/64' has bits set past the prefix length
bad.topo:9: sysctl keys are relative to net.: write 'ipv6.conf.all.forwarding'
bad.topo:10: MAC address 01:00:00:00:00:01 is multicast
bad.topo:11: capture: no link 'l9'
bad.topo:12: usage: run NODE -- COMMAND [ARG...]
bad.topo:13: unknown keyword 'frob'
bad.topo:14: node name 'host' is reserved
bad.topo:15: bad interface name in 'a:this-name-is-too-long' (letters, digits, '-', '_'; at most 15)
bad.topo:16: a link-local gateway needs 'dev IFNAME'
bad.topo:17: nodad is for IPv6 addresses only
bad.topo:18: unterminated double quote
WANT
	atf_check -s exit:2 -o empty -e file:want "$M" -n bad.topo
	# up parses first: same errors, same status, nothing attempted.
	atf_check -s exit:2 -o empty -e file:want "$M" up -i tparse bad.topo
}

atf_test_case reference_errors
reference_errors_head()
{
	atf_set "descr" "errors about references between lines: clashing interfaces, MACs, links without nodes"
}
reference_errors_body()
{
	cat > bad.topo <<'TOPO'
node a b
link l1 a b
link l2 a:l1 b:x
link l3 host:eth7
link l1 a b
mac a l1 02:00:00:00:00:01
mac b l1 02:00:00:00:00:01
mac a l1 02:00:00:00:00:02
addr a l1 2001:db8::1/64
addr a x 2001:db8::1/64
route a ::/0 via 2001:db8::ff dev x
nat b masquerade l2
TOPO
	cat > want <<'WANT'
bad.topo:3: interface a:l1 is already on link 'l1' (line 2)
bad.topo:4: link 'l3' needs at least one node endpoint
bad.topo:5: link 'l1' already declared on line 2
bad.topo:7: MAC address already used on line 6
bad.topo:8: MAC of a:l1 already set on line 6
bad.topo:10: node 'a' has no interface 'x' (interfaces come from link lines)
bad.topo:11: node 'a' has no interface 'x' (interfaces come from link lines)
bad.topo:12: node 'b' has no interface 'l2' (interfaces come from link lines)
WANT
	atf_check -s exit:2 -o empty -e file:want "$M" -n bad.topo
}

atf_test_case missing_file_and_usage
missing_file_and_usage_head()
{
	atf_set "descr" "an unreadable file and bad command lines exit 2 with one line"
}
missing_file_and_usage_body()
{
	atf_check -s exit:2 -o empty \
	    -e inline:"nosuch.topo: No such file or directory\n" \
	    "$M" -n nosuch.topo
	atf_check -s exit:2 -o empty -e match:"^usage: mip6topo" "$M"
	atf_check -s exit:2 -o empty -e match:"^usage: mip6topo" "$M" frob
	atf_check -s exit:2 -o empty -e match:"^usage: mip6topo" "$M" up
	atf_check -s exit:2 -o empty -e match:"^usage: mip6topo" \
	    "$M" down a b
	atf_check -s exit:2 -o empty -e match:"bad timeout" \
	    "$M" up -t 0 x.topo
}

atf_init_test_cases()
{
	atf_add_test_case golden_normalised_form
	atf_add_test_case normalised_form_is_a_fixed_point
	atf_add_test_case errors_name_file_and_line
	atf_add_test_case reference_errors
	atf_add_test_case missing_file_and_usage
}
