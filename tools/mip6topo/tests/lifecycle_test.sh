#! /usr/bin/atf-sh
# lifecycle_test.sh - a run's life: parallel instances, kill -9 of `up` at
# every phase followed by `down`, `down` twice, `down -a`, failed `up`s
# that undo themselves with one clear line, name clashes, "ready means
# ready", daemons started in their namespace, and status JSON.

BUILDDIR=@BUILDDIR@
SRCDIR=@SRCDIR@
. "$SRCDIR/tools/mip6topo/tests/topo.subr"

# A small topology with every kind of object `up` makes: a veth pair, a
# bridge, addresses, a route, sysctls, a capture and a daemon.
small_topo()
{
	cat > small.topo <<'TOPO'
node a b c
link ab a b
link lan a b c
addr a ab 2001:db8:1::1/64 nodad
addr b ab 2001:db8:1::2/64 nodad
addr a lan 2001:db8:2::1/64 nodad
addr c lan 2001:db8:2::3/64 nodad
route c default via 2001:db8:2::1
route b default via 2001:db8:1::1
sysctl * ipv6.conf.all.accept_dad=0
sysctl * ipv6.conf.default.accept_dad=0
sysctl a ipv6.conf.all.forwarding=1
capture all
run a -- sleep 300
TOPO
}

# small_stopped_at PHASE: small.topo's `up` as a new run stopped after
# PHASE, with something created; $id, $pid, and its processes in $pids.
small_stopped_at()
{
	id=$(new_id)
	up_stopped_at "$1" "$id" small.topo
	pids=$(run_pids "$id")
	ls /run/netns | grep -q "^m6-$id-a$" ||
	    atf_fail "$1: nothing was created"
}

atf_test_case parallel_instances cleanup
parallel_instances_head()
{
	atf_set "descr" "two instances of the same topology are up at once under different ids, each complete"
	atf_set "require.user" "root"
}
parallel_instances_body()
{
	f="$TOPOS/ha-under-test.topo"
	id1=$(new_id)
	id2=$(new_id)
	atf_check -s exit:0 -o ignore -e empty "$M" up -i "$id1" "$f"
	atf_check -s exit:0 -o ignore -e empty "$M" up --id "$id2" "$f"
	check "$id1" "$f" --ping
	check "$id2" "$f" --ping
	# Same interface names, same addresses, different namespaces.
	[ "$(ns_of "$id1" nut)" = "m6-$id1-nut" ] || atf_fail "netns name"
	[ "$(ns_of "$id2" nut)" = "m6-$id2-nut" ] || atf_fail "netns name"
	"$M" status -j > st.json
	atf_check -s exit:0 -o inline:"up up\n" "$PY" -c "$JGET" \
	    "' '.join(r['state'] for r in d['runs'] if r['id'] in ('$id1', '$id2'))" < st.json
	atf_check -s exit:0 -o empty -e empty "$M" down "$id1"
	assert_gone "$id1"
	check "$id2" "$f" --ping
	atf_check -s exit:0 -o empty -e empty "$M" down "$id2"
	assert_gone "$id2"
}
parallel_instances_cleanup() { topo_cleanup; }

atf_test_case kill9_at_every_phase cleanup
kill9_at_every_phase_head()
{
	atf_set "descr" "kill -9 of up after each phase, then down: no namespace, record or process left"
	atf_set "require.user" "root"
	atf_set "timeout" "120"
}
kill9_at_every_phase_body()
{
	small_topo
	for phase in namespaces links addresses capture settled routes \
	    daemons; do
		small_stopped_at "$phase"
		kill -9 $pid
		wait $pid 2>/dev/null
		atf_check -s exit:0 -o empty -e empty "$M" down "$id"
		assert_gone "$id" $pids
		# No interface of the run ever showed in the host namespace.
		atf_check -s exit:0 -o empty -e empty sh -c \
		    "ip -o link show | awk '{ sub(/@.*/, \"\", \$2); print \$2 }' | grep -E '^(ab|lan|p1\.[0-2]):?\$' || true"
		# Idempotent: a second down after the crash is fine too.
		atf_check -s exit:0 -o empty -e ignore "$M" down "$id"
	done
}
kill9_at_every_phase_cleanup() { topo_cleanup; }

atf_test_case signal_at_every_phase cleanup
signal_at_every_phase_head()
{
	atf_set "descr" "SIGTERM (or SIGINT, SIGHUP) to up after each phase:" \
	    "up undoes what it made itself and exits 128 + the signal"
	atf_set "require.user" "root"
	atf_set "timeout" "180"
}
signal_at_every_phase_body()
{
	small_topo
	set -- TERM 143 INT 130 HUP 129
	for phase in namespaces links addresses capture settled routes \
	    daemons; do
		small_stopped_at "$phase"
		# The signal waits while up is stopped; SIGCONT delivers it.
		kill -s "$1" $pid
		kill -s CONT $pid
		rc=0
		wait $pid || rc=$?
		[ "$rc" -eq "$2" ] ||
		    atf_fail "$phase: SIG$1 gave exit $rc, want $2: $(cat err)"
		grep -q "interrupted by SIG$1" err ||
		    atf_fail "$phase: no reason on stderr: $(cat err)"
		assert_gone "$id" $pids
		set -- "$3" "$4" "$5" "$6" "$1" "$2"
	done
}
signal_at_every_phase_cleanup() { topo_cleanup; }

atf_test_case down_is_idempotent cleanup
down_is_idempotent_head()
{
	atf_set "descr" "down twice, and down of an id never used, succeed"
	atf_set "require.user" "root"
}
down_is_idempotent_body()
{
	small_topo
	id=$(new_id)
	atf_check -s exit:0 -o ignore -e empty "$M" up -i "$id" small.topo
	# The brief's spelling: down FILE --id ID.
	atf_check -s exit:0 -o empty -e empty "$M" down small.topo --id "$id"
	assert_gone "$id"
	atf_check -s exit:0 -o empty \
	    -e inline:"mip6topo: run $id: nothing recorded (already down)\n" \
	    "$M" down "$id"
	atf_check -s exit:0 -o empty -e ignore "$M" down tnever0
	atf_check -s exit:1 -o empty -e inline:"mip6topo: bad run id 'A/b'\n" \
	    "$M" down 'A/b'
}
down_is_idempotent_cleanup() { topo_cleanup; }

atf_test_case down_all_takes_every_run cleanup
down_all_takes_every_run_head()
{
	atf_set "descr" "down -a removes every recorded run (of this test's own record folder)"
	atf_set "require.user" "root"
}
down_all_takes_every_run_body()
{
	export MIP6TOPO_RUN_DIR="$(pwd)/runs"
	small_topo
	id1=$(new_id)
	id2=$(new_id)
	atf_check -s exit:0 -o ignore -e empty "$M" up -i "$id1" small.topo
	atf_check -s exit:0 -o ignore -e empty "$M" up -i "$id2" small.topo
	atf_check -s exit:0 -o inline:"2\n" sh -c "ls runs | wc -l"
	p1=$(run_pids "$id1")
	p2=$(run_pids "$id2")
	atf_check -s exit:0 -o empty -e empty "$M" down -a
	assert_gone "$id1" $p1
	assert_gone "$id2" $p2
	atf_check -s exit:0 -o inline:'{"runs":[]}\n' "$M" status -j
}
down_all_takes_every_run_cleanup()
{
	export MIP6TOPO_RUN_DIR="$(pwd)/runs"
	topo_cleanup
}

# up_fails FILE MESSAGE-REGEX [up options]: exit 1, one line on stderr
# matching, nothing left behind.
up_fails()
{
	_f=$1
	_re=$2
	shift 2
	id=$(new_id)
	atf_check -s exit:1 -o empty -e save:err "$M" up -i "$id" "$@" "$_f"
	atf_check -s exit:0 -o inline:"1\n" sh -c "wc -l < err"
	atf_check -s exit:0 -o ignore grep -E "$_re" err
	assert_gone "$id"
}

atf_test_case failed_up_undoes_itself cleanup
failed_up_undoes_itself_head()
{
	atf_set "descr" "an up that fails late (route, daemon, DAD timeout, host interface) names the cause and leaves nothing"
	atf_set "require.user" "root"
}
failed_up_undoes_itself_body()
{
	small_topo
	sed 's|^route c .*|route c 2001:db8:9::/64 via 2001:db8:7::1|' \
	    small.topo > route.topo
	up_fails route.topo \
	    '^mip6topo: route.topo:8: route 2001:db8:9::/64 via 2001:db8:7::1: .*(unreachable|No route|invalid gateway)'
	sed 's|^run a -- .*|run a -- /nonexistent/daemon -x|' small.topo \
	    > run.topo
	up_fails run.topo \
	    "^mip6topo: run.topo:14: run a: cannot execute '/nonexistent/daemon': No such file or directory$"
	# DAD left on: the address stays tentative past a short timeout.
	grep -v accept_dad small.topo | sed 's/ nodad$//' > dad.topo
	up_fails dad.topo \
	    '^mip6topo: not ready after 50 ms: .* (still tentative|has no link-local address yet)$' \
	    -t 0.05
	printf 'node a\nlink nic a host:%s\n' "$(new_name nx)" > host.topo
	up_fails host.topo \
	    '^mip6topo: host.topo:2: host interface nx[0-9a-f]+ missing \(link nic\)$'
}
failed_up_undoes_itself_cleanup() { topo_cleanup; }

atf_test_case refuses_without_root cleanup
refuses_without_root_head()
{
	atf_set "descr" "up and down run by another user fail with one line naming the cause"
	atf_set "require.user" "root"
	atf_set "require.progs" "setpriv"
}
refuses_without_root_body()
{
	small_topo
	chmod 644 small.topo
	chmod 755 .
	id=$(new_id)
	atf_check -s exit:1 -o empty \
	    -e inline:"mip6topo: not root: mip6topo up needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN) to create namespaces\n" \
	    setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$M" up -i "$id" small.topo
	atf_check -s exit:1 -o empty \
	    -e inline:"mip6topo: not root: mip6topo down needs root\n" \
	    setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$M" down "$id"
	assert_gone "$id"
}
refuses_without_root_cleanup() { topo_cleanup; }

atf_test_case name_clashes cleanup
name_clashes_head()
{
	atf_set "descr" "a namespace or run id already there is an error, and what was there is left alone"
	atf_set "require.user" "root"
}
name_clashes_body()
{
	small_topo
	id=$(new_id)
	remember_netns "m6-$id-b"
	ip netns add "m6-$id-b"
	atf_check -s exit:1 -o empty \
	    -e inline:"mip6topo: name clash: namespace m6-$id-b already exists\n" \
	    "$M" up -i "$id" small.topo
	[ -e "/run/netns/m6-$id-b" ] || atf_fail "foreign namespace removed"
	ip netns del "m6-$id-b"
	assert_gone "$id"
	# The same id twice: the second up fails, the first run is intact.
	atf_check -s exit:0 -o ignore -e empty "$M" up -i "$id" small.topo
	atf_check -s exit:1 -o empty -e match:"^mip6topo: name clash: run $id already exists" \
	    "$M" up -i "$id" small.topo
	check "$id" small.topo --ping
	atf_check -s exit:1 -o empty -e match:"bad run id 'Bad_Id'" \
	    "$M" up -i Bad_Id small.topo
	atf_check -s exit:0 -o empty -e empty "$M" down "$id"
	assert_gone "$id"
}
name_clashes_cleanup() { topo_cleanup; }

atf_test_case ready_means_ready cleanup
ready_means_ready_head()
{
	atf_set "descr" "with DAD on, up returns only once no address is tentative: traffic works at once"
	atf_set "require.user" "root"
}
ready_means_ready_body()
{
	small_topo
	grep -v accept_dad small.topo | sed 's/ nodad$//' > dad.topo
	id=$(new_id)
	atf_check -s exit:0 -o ignore -e empty "$M" up -i "$id" dad.topo
	# No wait here: the very first packet must get through, across the
	# bridge and a router (c -> a -> b and back).
	atf_check -s exit:0 -o ignore ip netns exec "$(ns_of "$id" c)" \
	    "$PING" -c 1 -W 500 2001:db8:1::2
	check "$id" dad.topo
	atf_check -s exit:0 -o empty -e empty "$M" down "$id"
}
ready_means_ready_cleanup() { topo_cleanup; }

atf_test_case daemons_and_status cleanup
daemons_and_status_head()
{
	atf_set "descr" "run lines start inside their namespace with a log and the MIP6TOPO_ variables; status -j reports them"
	atf_set "require.user" "root"
}
daemons_and_status_body()
{
	small_topo
	cat >> small.topo <<'TOPO'
run b -- sh -c "echo node=$MIP6TOPO_NODE id=$MIP6TOPO_ID; ls /sys/class/net | tr '\n' ' '; exec sleep 300"
TOPO
	id=$(new_id)
	atf_check -s exit:0 -o save:st.json -e empty "$M" up -j -i "$id" \
	    -d out small.topo
	atf_check -s exit:0 -o inline:"up\n" "$PY" -c "$JGET" "d['runs'][0]['state']" < st.json
	atf_check -s exit:0 -o inline:"[('capture', True), ('run', True), ('run', True)]\n" \
	    "$PY" -c "$JGET" "[(p['kind'], p['alive']) for p in d['runs'][0]['processes']]" < st.json
	atf_check -s exit:0 -o inline:"$(pwd)/out/log/b-1.log 15 sh\n" \
	    "$PY" -c "$JGET" "' '.join(str(p[k]) for p in d['runs'][0]['processes'] if p.get('node') == 'b' for k in ('log', 'line', 'argv0'))" < st.json
	atf_check -s exit:0 -o inline:"ab:veth:$(pwd)/out/pcap/ab.pcap lan:bridge:$(pwd)/out/pcap/lan.pcap\n" \
	    "$PY" -c "$JGET" "' '.join('%s:%s:%s' % (l['name'], l['kind'], l['pcap']) for l in d['runs'][0]['links'])" < st.json
	atf_check -s exit:0 -o inline:"p1.0 p1.1 p1.2\n" \
	    "$PY" -c "$JGET" "' '.join(e['port'] for l in d['runs'][0]['links'] if l['name'] == 'lan' for e in l['endpoints'])" < st.json
	# The daemon runs in b's namespace and sees b's own /sys.
	n=0
	while ! grep -q 'ab lan lo' out/log/b-1.log 2>/dev/null; do
		n=$((n + 1))
		[ $n -lt 200 ] || atf_fail "b's log: $(cat out/log/b-1.log)"
		sleep 0.01
	done
	atf_check -s exit:0 -o inline:"node=b id=$id\nab lan lo " cat out/log/b-1.log
	pids=$(run_pids "$id")
	atf_check -s exit:0 -o empty -e empty "$M" down "$id"
	assert_gone "$id" $pids
	# The output folder is the caller's: kept, with its pcaps.
	[ -s out/pcap/lan.pcap ] || atf_fail "pcap removed with the run"
}
daemons_and_status_cleanup() { topo_cleanup; }

atf_init_test_cases()
{
	atf_add_test_case parallel_instances
	atf_add_test_case kill9_at_every_phase
	atf_add_test_case signal_at_every_phase
	atf_add_test_case down_is_idempotent
	atf_add_test_case down_all_takes_every_run
	atf_add_test_case failed_up_undoes_itself
	atf_add_test_case refuses_without_root
	atf_add_test_case name_clashes
	atf_add_test_case ready_means_ready
	atf_add_test_case daemons_and_status
}
