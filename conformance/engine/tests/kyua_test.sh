#! /usr/bin/env atf-sh
# kyua_test.sh - mip6conf as an ATF test program under Kyua (one row per
# conformance case: passed / failed / skipped with the reasons), as a TAP
# producer with a JSON results file, and the real case catalogue linted
# and run against the scripted NUTs of conformance/nut/.

MIP6CONF="@BUILDDIR@/mip6conf"
SRC="@SRCDIR@"

# Three synthetic cases: one passes, one fails on a field, one is skipped;
# the NUT is the fake network device with a responder script.
make_catalogue()
{
	mkdir -p cat/cases/cn cat/nut
	cat > cat/nut/fake.nut <<'NUT'
nut fake
title Fake node for the Kyua test
role node
netdev fake fake.responder
control fake
topology one-link link0
link link0 tester=tn0 mac=02:00:00:00:00:a0
iface link0 dev=eth0 mac=02:00:00:00:01:01 addr=2001:db8:1::1
node tn link0 addr=2001:db8:1::a0
NUT
	cat > cat/nut/fake.responder <<'RESP'
responder fake
expect req
  ipv6 src=?peer
  icmp6 echo-request id=?id seq=?seq
end
packet rep
  ipv6 src=$nut.addr dst=$peer
  icmp6 echo-reply id=$id seq=$seq+1
end
on link0 req reply rep after 0.05
RESP
	for n in 1 2 3; do
		role=node; seq=0
		[ $n = 2 ] && seq=1
		[ $n = 3 ] && role=ha
		cat > cat/cases/cn/CN-9-0-$n.case <<CASE
case CN-9-0-$n
title Synthetic case $n
rfc RFC 4443 §4.2
topology one-link
role $role
timeout 20
purpose
  Synthetic.
end
procedure
  Ping.
end
judgement
  A reply.
end
packet ping
  ipv6 src=\$tn.addr dst=\$nut.addr
  icmp6 echo-request id=$n seq=$seq
end
expect reply
  ipv6 src=\$nut.addr dst=\$tn.addr
  icmp6 echo-reply id=$n seq=1
end
0.5 send link0 ping
+0~1 expect link0 reply
CASE
	done
	cat > cat/conformance <<WRAP
#! /bin/sh
exec "$MIP6CONF" -s "$PWD/cat/cases" -n "$PWD/cat/nut/fake.nut" "\$@"
WRAP
	chmod +x cat/conformance
	cat > cat/Kyuafile <<'KF'
syntax(2)
test_suite('conformance')
atf_test_program{name='conformance'}
KF
}

atf_test_case kyua_shows_one_row_per_case
kyua_shows_one_row_per_case_head()
{
	atf_set "descr" "kyua test runs each conformance case as a test case"
	atf_set "require.progs" "kyua"
}
kyua_shows_one_row_per_case_body()
{
	make_catalogue
	export HOME="$PWD"
	atf_check -s exit:1 -o ignore -e ignore kyua test \
	    --kyuafile=cat/Kyuafile --build-root=cat --results-file=res.db
	atf_check -s exit:0 -o save:report -e ignore kyua report \
	    --results-file=res.db --results-filter=passed,failed,skipped,broken
	atf_check -o inline:"conformance:CN-9-0-1  ->  passed\n" \
	    sh -c "grep -o 'conformance:CN-9-0-1  ->  passed' report"
	atf_check -o match:"conformance:CN-9-0-2  ->  failed: CN-9-0-2.case:22: echo-reply field seq: expected 1 vs actual 2 " \
	    cat report
	atf_check -o match:"conformance:CN-9-0-3  ->  skipped: role ha not declared by the NUT " \
	    cat report
	atf_check -o match:"Test cases: 3 total, 1 skipped, 0 expected failures, 0 broken, 1 failed" \
	    cat report
	# the verbose report carries what the runner printed: both packets
	atf_check -s exit:0 -o save:verbose -e ignore kyua report \
	    --results-file=res.db --verbose
	atf_check -o match:"expected \(reply, CN-9-0-2.case:20\):" \
	    -o match:"actual \(link0 at 0.550 s\):" \
	    -o match:"custom.rfc = RFC 4443 §4.2" cat verbose
	atf_check -o save:junit -e ignore kyua report-junit \
	    --results-file=res.db
	atf_check -o match:'<testcase classname="conformance" name="CN-9-0-2"' \
	    -o match:'<failure message=' -o match:'<skipped/>' cat junit
	atf_check -o ignore -e ignore kyua report-html --results-file=res.db \
	    --output=html
	atf_check -o match:"CN-9-0-2" cat html/index.html
}

atf_test_case tap_and_json
tap_and_json_head()
{
	atf_set "descr" "run on its own: TAP 13 on stdout and a JSON file"
}
tap_and_json_body()
{
	make_catalogue
	cat > want <<'TAP'
TAP version 13
1..3
ok 1 - CN-9-0-1 Synthetic case 1
not ok 2 - CN-9-0-2 Synthetic case 2
# FAIL: CN-9-0-2.case:22: echo-reply field seq: expected 1 vs actual 2
ok 3 - CN-9-0-3 Synthetic case 3 # SKIP role ha not declared by the NUT
TAP
	atf_check -s exit:1 -o save:tap "$MIP6CONF" -s cat/cases \
	    -n cat/nut/fake.nut --json res.json
	atf_check -o file:want sh -c "grep -v '^#  ' tap"
	if command -v python3 >/dev/null; then
		atf_check -o inline:"3 FAIL 1 1\n" python3 -c "
import json
d = json.load(open('res.json'))
s = d['summary']
print(s['total'], d['cases'][1]['verdict'], s['pass'], s['skip'])"
	fi
	# one case by id, the others left out
	atf_check -s exit:0 -o match:"^1\.\.1$" -o match:"^ok 1 - CN-9-0-1 " \
	    "$MIP6CONF" -s cat/cases -n cat/nut/fake.nut CN-9-0-1
	atf_check -s exit:2 -e inline:"cat/cases:0: no case CN-9-9-9 in the catalogue\n" \
	    "$MIP6CONF" -s cat/cases -n cat/nut/fake.nut CN-9-9-9
	# no NUT description: the harness cannot go on
	atf_check -s exit:2 -o match:"^Bail out! mip6conf:0: no NUT" \
	    -e ignore env -u MIP6CONF_NUT "$MIP6CONF" -s cat/cases
}

atf_test_case atf_interface
atf_interface_head()
{
	atf_set "descr" "-l lists and -r runs one case as ATF expects"
}
atf_interface_body()
{
	make_catalogue
	atf_check -o match:'^Content-Type: application/X-atf-tp; version="1"$' \
	    -o match:'^ident: CN-9-0-3$' -o match:'^timeout: 20$' \
	    "$MIP6CONF" -s cat/cases -l
	atf_check -s exit:0 -o ignore "$MIP6CONF" -s cat/cases \
	    -n cat/nut/fake.nut -r res1 CN-9-0-1
	atf_check -o inline:"passed\n" cat res1
	atf_check -s exit:1 -o match:"CN-9-0-2: FAIL: " "$MIP6CONF" \
	    -s cat/cases -n cat/nut/fake.nut -rres2 CN-9-0-2
	atf_check -o match:"^failed: CN-9-0-2.case:22: " cat res2
	# Kyua passes the suite's configuration as -v; unknown ones are fine
	atf_check -s exit:0 -o ignore "$MIP6CONF" -vcasedir="$PWD/cat/cases" \
	    -vnut="$PWD/cat/nut/fake.nut" -vunprivileged_user=nobody \
	    -r res3 CN-9-0-3
	atf_check -o inline:"skipped: role ha not declared by the NUT\n" \
	    cat res3
	atf_check -s exit:2 -e match:"-r runs exactly one case" \
	    "$MIP6CONF" -s cat/cases -r x
}

atf_test_case help_matches_the_man_page
help_matches_the_man_page_head()
{
	atf_set "descr" "every option of --help is in mip6conf(1), and back"
}
help_matches_the_man_page_body()
{
	atf_check -o save:help "$MIP6CONF" --help
	atf_check -o match:"^usage: mip6conf " cat help
	# the options --help explains, and the ones the man page's list has
	sed -n 's/^  \(-[a-z]\)[ ,].*/\1/p; s/^  \(--[a-z-]*\).*/\1/p; s/.*, \(--help\).*/\1/p' \
	    help | sort -u > from_help
	sed -n 's/^\.It Fl \([a-z]\)\( .*\)*$/-\1/p; s/^\.It Fl -\([a-z-]*\).*/--\1/p; s/^\.It Fl h , Fl -help$/-h\n--help/p' \
	    "$SRC/tools/mip6conf/mip6conf.1" | sort -u > from_man
	atf_check -o file:from_man cat from_help
	atf_check -o match:"^-r$" -o match:"^--tolerance-multiplier$" \
	    cat from_help
	atf_check -o match:"^  -h, --help " cat help
	atf_check -o match:"^\.It Fl h , Fl -help$" \
	    cat "$SRC/tools/mip6conf/mip6conf.1"
}

atf_test_case real_cases_lint_and_run
real_cases_lint_and_run_head()
{
	atf_set "descr" "the case catalogue lints clean and runs against the" \
	    "scripted NUTs with the verdicts a conforming node gets"
}
real_cases_lint_and_run_body()
{
	atf_check -o match:"cases checked, no errors" "$MIP6CONF" --lint \
	    -s "$SRC/conformance/cases" -n "$SRC/conformance/nut/fake-node.nut"
	atf_check -o ignore "$MIP6CONF" --lint -s "$SRC/conformance/cases" \
	    -n "$SRC/conformance/nut/fake-ha.nut"
	atf_check -o ignore "$MIP6CONF" --lint -s "$SRC/conformance/cases" \
	    -n "$SRC/conformance/nut/linux-plain.nut"
	atf_check -o save:node "$MIP6CONF" -s "$SRC/conformance/cases" \
	    -n "$SRC/conformance/nut/fake-node.nut"
	atf_check -o match:"^ok [0-9]+ - CN-0-1-1 " -o match:"^ok [0-9]+ - CN-0-2-1 " \
	    -o match:"^ok [0-9]+ - CN-0-3-1 " \
	    -o match:"^ok [0-9]+ - HA-2-1-1 .* # SKIP role ha not declared by the NUT" \
	    -o not-match:"^not ok" cat node
	# The scripted home agent only knows home registration: HA-2-1-1
	# must pass; the rest of the HA catalogue is judged against the
	# reference home agent (ha_reference_test).
	atf_check -o save:ha "$MIP6CONF" -s "$SRC/conformance/cases" \
	    -n "$SRC/conformance/nut/fake-ha.nut" HA-2-1-1 CN-0-1-1
	atf_check -o match:"^ok [0-9]+ - HA-2-1-1 [^#]*$" \
	    -o match:"^ok [0-9]+ - CN-0-1-1 .* # SKIP role node not declared" \
	    -o not-match:"^not ok" cat ha
	# The MN, MR and CN descriptions lint with the whole catalogue, and
	# every CN case of cn-link.topo passes against the scripted
	# correspondent (return routability, Binding Authorization Data both
	# ways, statuses 135-138, Binding Errors).
	for n in fake-cn mip6kit-mn mip6kit-mn-dhaad mip6kit-mn-ipsec \
	    mip6kit-mr mip6kit-mr-dhaad mip6kit-mr-implicit mip6kit-mr-ipsec \
	    mip6kit-cn; do
		atf_check -o match:"cases checked, no errors" "$MIP6CONF" \
		    --lint -s "$SRC/conformance/cases" \
		    -n "$SRC/conformance/nut/$n.nut"
	done
	atf_check -o save:cn "$MIP6CONF" -s "$SRC/conformance/cases" \
	    -n "$SRC/conformance/nut/fake-cn.nut"
	grep -l "^topology cn-link$" "$SRC"/conformance/cases/cn/*.case |
	    sed 's,.*/,,; s,\.case$,,' | sort > cn.want
	sed -n 's/^ok [0-9]* - \(CN-[0-9-]*\) [^#]*$/\1/p' cn | sort > cn.passed
	atf_check -o file:cn.want cat cn.passed
	atf_check -o not-match:"^not ok" cat cn
	atf_check -o match:"^CN-0-1-1  Mobility Header to a node" \
	    -o match:"^    RFC:       RFC 6275 §11.3.5$" \
	    -o match:"^  Judgement$" "$MIP6CONF" --spec -s "$SRC/conformance/cases"
}

atf_test_case lint_reports_file_and_line
lint_reports_file_and_line_head()
{
	atf_set "descr" "--lint prints FILE:LINE: message and exits 1"
}
lint_reports_file_and_line_body()
{
	make_catalogue
	sed -i 's/icmp6 echo-reply id=2 seq=1/icmp6 echo-reply id=2 sqe=1/' \
	    cat/cases/cn/CN-9-0-2.case
	atf_check -s exit:1 -o inline:"mip6conf: 2 cases checked, errors found\n" \
	    -e match:"^cat/cases/cn/CN-9-0-2.case:22: icmp6 echo-reply has no field 'sqe' \(fields: code checksum hoa rh2 id seq data\)$" \
	    "$MIP6CONF" --lint -s cat/cases
}

atf_init_test_cases()
{
	atf_add_test_case kyua_shows_one_row_per_case
	atf_add_test_case tap_and_json
	atf_add_test_case atf_interface
	atf_add_test_case help_matches_the_man_page
	atf_add_test_case real_cases_lint_and_run
	atf_add_test_case lint_reports_file_and_line
}
