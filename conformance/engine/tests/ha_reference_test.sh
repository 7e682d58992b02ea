#! /usr/bin/env atf-sh
# ha_reference_test.sh - the HA and NEMO-HA case catalogue against the
# mip6kit reference home agent (root): mip6conf brings up
# conformance/topologies/ha-home.topo (real home link) or ha-virtual.topo
# (virtual home link) afresh for every case, runs had(8) in the NUT's
# namespace (conformance/nut/mip6kit-ha.nut, mip6kit-ha-virtual.nut), and
# every case of role ha must pass: the reference home agent is the
# catalogue's first conforming implementation.
#
# Namespaces and pinned state: only m6-ID-* and /sys/fs/bpf/mip6kit/m6-ID-*
# of the run ids written to ./ids, all taken down by the cleanup even when
# the body fails.

MIP6CONF="@BUILDDIR@/mip6conf"
MIP6TOPO="@BUILDDIR@/mip6topo"
SRC="@SRCDIR@"
. "$SRC/conformance/engine/tests/runs.subr"

# The ids of the HA and NEMO-HA cases that need topology $1.
cases_of()
{
	grep -l "^topology $1\$" "$SRC"/conformance/cases/ha/*.case \
	    "$SRC"/conformance/cases/nemo-ha/*.case 2>/dev/null |
	    sed 's,.*/,,; s,\.case$,,' | sort
}

# Run the catalogue against NUT $1 with run id $2; every case of
# topology $3 must be "ok" without SKIP, the others skipped.
run_catalogue()
{
	nut="$1" id="$2" topo="$3"
	echo "$id" >> ids
	atf_check -s ignore -o save:"$nut.tap" -e save:"$nut.progress" \
	    "$MIP6CONF" -s "$SRC/conformance/cases" \
	    -n "$SRC/conformance/nut/$nut.nut" --topo-id "$id" --progress \
	    --json "$nut.json"
	cases_of "$topo" > "$nut.want"
	sed -n 's/^ok [0-9]* - \(\(NEMO-\)\{0,1\}HA-[0-9-]*\) [^#]*$/\1/p' \
	    "$nut.tap" | sort > "$nut.passed"
	if ! cmp -s "$nut.want" "$nut.passed"; then
		echo "--- $nut: cases of $topo / cases that passed" >&2
		diff "$nut.want" "$nut.passed" >&2
		grep -A3 "^not ok" "$nut.tap" >&2
		atf_fail "$nut: not every $topo case passed"
	fi
	atf_check -o not-match:"^not ok" -o not-match:"^Bail out" \
	    cat "$nut.tap"
	atf_check -o not-match:'"verdict":"(ERROR|FAIL|INIT-FAIL|CLEANUP-FAIL)"' \
	    cat "$nut.json"
}

atf_test_case real_and_virtual_home_link cleanup
real_and_virtual_home_link_head()
{
	atf_set "descr" "every HA and NEMO-HA case passes against the" \
	    "reference home agent on a real and on a virtual home link," \
	    "and no namespace or pinned map of the runs is left"
	atf_set "require.user" "root"
	atf_set "require.progs" "python3"
	atf_set "timeout" "1800"
}
real_and_virtual_home_link_body()
{
	: > ids
	tag=$(( $$ % 100000 ))
	run_catalogue mip6kit-ha "hr$tag" ha-home
	run_catalogue mip6kit-ha-virtual "hv$tag" ha-virtual
	# Between them the two runs passed every HA and NEMO-HA case file.
	total=$(ls "$SRC"/conformance/cases/ha/*.case \
	    "$SRC"/conformance/cases/nemo-ha/*.case | wc -l)
	ran=$(cat mip6kit-ha.passed mip6kit-ha-virtual.passed | sort -u | wc -l)
	atf_check_equal "$total" "$ran"
	# The JSON agrees: as many PASS (or WARN) verdicts as HA cases run.
	atf_check -o inline:"$total\n" python3 -c "
import json
n = 0
for f in ('mip6kit-ha.json', 'mip6kit-ha-virtual.json'):
    for c in json.load(open(f))['cases']:
        if c['id'].startswith(('HA-', 'NEMO-HA-')) and \
           c['verdict'] in ('PASS', 'WARN'):
            n += 1
print(n)"
	nothing_left
}
real_and_virtual_home_link_cleanup()
{
	down_all
}

atf_init_test_cases()
{
	atf_add_test_case real_and_virtual_home_link
}
