#! /usr/bin/env atf-sh
# mn_links_test.sh - the mobile node set-up for real (root), before any
# mobility daemon: conformance/topologies/mn-links.topo comes up with the
# NUT plugged into three links, `nut move LINK`
# (conformance/nut/mip6kit-node.sh) unplugs it from the others, the
# tester's emulated routers R1 and R2 advertise their prefixes on their
# own links, and the plain Linux kernel as NUT forms the care-of addresses
# the MN and MR NUT descriptions name (EUI-64, RFC 4862) and answers on
# the link it is plugged into only.  The NUT description is
# mip6kit-mn.nut with its daemons left out.
#
# Namespaces: only m6-ID-* of the run id written to ./ids, taken down by
# the cleanup even when the body fails.

MIP6CONF="@BUILDDIR@/mip6conf"
MIP6TOPO="@BUILDDIR@/mip6topo"
SRC="@SRCDIR@"
. "$SRC/conformance/engine/tests/runs.subr"

# mip6kit-mn.nut with no daemons: start, stop and reset do nothing, move
# is the real one.
plain_nut()
{
	mkdir -p nut
	sed -e 's/^nut mip6kit-mn$/nut plain-mn/' \
	    -e 's/^command start .*/command start "true"/' \
	    -e 's/^command stop .*/command stop "true"/' \
	    -e 's/^command reset .*/command reset "true"/' \
	    -e "s|^command move .*|command move \"$SRC/conformance/nut/mip6kit-node.sh mn move %1\"|" \
	    "$SRC/conformance/nut/mip6kit-mn.nut" > nut/plain-mn.nut
}

move_case()
{
	mkdir -p cases/mn
	cat > cases/mn/MN-9-0-0-0-001.case <<'CASE'
case MN-9-0-0-0-001
title The NUT moves between the links of mn-links.topo
rfc RFC 4862 §5.5.3
topology mn-links
role mn
timeout 60
purpose
  The set-up of the MN cases works.
end
procedure
  Move to link1, then link2; echo each care-of address.
end
judgement
  Each answers while the NUT is on its link, link1's not after.
end
packet echo1
  ipv6 src=$r1.addr dst=$nut.link1.coa
  icmp6 echo-request id=1 seq=1
end
expect reply1
  ipv6 src=$nut.link1.coa dst=$r1.addr
  icmp6 echo-reply id=1 seq=1
end
packet echo2
  ipv6 src=$r2.addr dst=$nut.link2.coa
  icmp6 echo-request id=2 seq=1
end
expect reply2
  ipv6 src=$nut.link2.coa dst=$r2.addr
  icmp6 echo-reply id=2 seq=1
end
packet echo1_again
  ipv6 src=$r1.addr dst=$nut.link1.coa
  icmp6 echo-request id=3 seq=1
end
expect reply1_again
  ipv6
  icmp6 echo-reply id=3
end
0       nut move link1
+8      send link1 echo1
+0~2    expect link1 reply1
+0      nut move link2
+8      send link2 echo2
+0~2    expect link2 reply2
+0      send link1 echo1_again
+0      expect-none link1 reply1_again for 2
CASE
}

atf_test_case move_between_links cleanup
move_between_links_head()
{
	atf_set "descr" "mn-links.topo and nut move: the NUT forms the" \
	    "care-of address of the link it is plugged into and answers there" \
	    "only"
	atf_set "require.user" "root"
	atf_set "timeout" "120"
}
move_between_links_body()
{
	id="ml$(( $$ % 100000 ))"
	echo "$id" > ids
	plain_nut
	move_case
	atf_check -o save:tap "$MIP6CONF" -s cases -n nut/plain-mn.nut \
	    --topo-id "$id"
	atf_check -o match:"^ok 1 - MN-9-0-0-0-001 [^#]*$" \
	    -o not-match:"^not ok" cat tap
	nothing_left
}
move_between_links_cleanup()
{
	down_all
}

atf_init_test_cases()
{
	atf_add_test_case move_between_links
}
