#! /usr/bin/env atf-sh
# mn_reference_test.sh - the MN and NEMO-MR case catalogues against the
# mip6kit reference mobile node and mobile router (root): mip6conf brings
# up conformance/topologies/mn-links.topo afresh for every case and runs
# the mip6busd hub, mdd(8) and mnd(8) in the NUT's namespace
# (mip6kit-node.sh).  Every MN case runs against mip6kit-mn.nut, the ones
# needing home agent discovery against mip6kit-mn-dhaad.nut, the IPsec ones
# (TAHI group 13.1, manual keys) against mip6kit-mn-ipsec.nut; every
# NEMO-MR case against mip6kit-mr.nut (explicit mode) and
# mip6kit-mr-implicit.nut, the ones needing home agent discovery against
# mip6kit-mr-dhaad.nut, the IPsec ones against mip6kit-mr-ipsec.nut.  A
# case must PASS or WARN; SKIP is accepted only for a capability the NUT
# does not claim (not applicable).
#
# Namespaces and pinned state: only m6-ID-* and /sys/fs/bpf/mip6kit/m6-ID-*
# of the run ids written to ./ids, taken down by the cleanup even when the
# body fails.

MIP6CONF="@BUILDDIR@/mip6conf"
MIP6TOPO="@BUILDDIR@/mip6topo"
SRC="@SRCDIR@"
. "$SRC/conformance/engine/tests/runs.subr"

# run_catalogue NUT TAG CASE...: run the cases against conformance/nut/NUT
# and fail unless each is PASS, WARN or not applicable, at least one ran.
run_catalogue()
{
	nut=$1 tag=$2
	shift 2
	id="$tag$(( $$ % 10000 ))"
	echo "$id" >> ids
	printf '%s\n' "$@" | sed 's,.*/,,; s,\.case$,,' | sort > "$tag.want"
	atf_check -s ignore -o save:"$tag.tap" -e save:"$tag.progress" \
	    "$MIP6CONF" -s "$SRC/conformance/cases" \
	    -n "$SRC/conformance/nut/$nut" --topo-id "$id" --progress \
	    --json "$tag.json" "$@"
	if ! python3 - "$tag.json" "$tag.want" > "$tag.bad" <<'EOF'
import json, sys
cases = {c['id']: c for c in json.load(open(sys.argv[1]))['cases']}
want = open(sys.argv[2]).read().split()
bad, ran = [], 0
for cid in want:
    c = cases.get(cid)
    if c is None:
        bad.append('%s: not run' % cid)
    elif c['verdict'] in ('PASS', 'WARN'):
        ran += 1
    elif not (c['verdict'] == 'SKIP' and
              c.get('reason', '').startswith('capability ') and
              c.get('reason', '').endswith(' not claimed by the NUT')):
        bad.append('%s: %s %s' % (cid, c['verdict'], c.get('reason', '')))
if ran == 0:
    bad.append('no case ran')
print('\n'.join(bad))
sys.exit(1 if bad else 0)
EOF
	then
		cat "$tag.bad" >&2
		grep -A6 "^not ok" "$tag.tap" >&2
		atf_fail "$nut: not every case passed"
	fi
	atf_check -o not-match:"^not ok" -o not-match:"^Bail out" \
	    cat "$tag.tap"
}

atf_test_case mn_catalogue cleanup
mn_catalogue_head()
{
	atf_set "descr" "every MN case passes against the reference mobile" \
	    "node (configured home agent, home agent discovery, IPsec)"
	atf_set "require.user" "root"
	atf_set "require.progs" "python3"
	atf_set "timeout" "1500"
}
mn_catalogue_body()
{
	: > ids
	run_catalogue mip6kit-mn.nut mn "$SRC"/conformance/cases/mn/*.case
	run_catalogue mip6kit-mn-dhaad.nut md $(grep -l "^requires.*dhaad" \
	    "$SRC"/conformance/cases/mn/*.case)
	run_catalogue mip6kit-mn-ipsec.nut ms $(grep -l "^requires.*ipsec" \
	    "$SRC"/conformance/cases/mn/*.case)
	nothing_left
}
mn_catalogue_cleanup()
{
	down_all
}

atf_test_case mr_catalogue cleanup
mr_catalogue_head()
{
	atf_set "descr" "every NEMO-MR case passes against the reference" \
	    "mobile router, in explicit and in implicit mode, discovering" \
	    "its home agent, and with IPsec"
	atf_set "require.user" "root"
	atf_set "require.progs" "python3"
	atf_set "timeout" "1500"
}
mr_catalogue_body()
{
	: > ids
	run_catalogue mip6kit-mr.nut mr "$SRC"/conformance/cases/mr/*.case
	run_catalogue mip6kit-mr-implicit.nut mi \
	    "$SRC"/conformance/cases/mr/*.case
	run_catalogue mip6kit-mr-dhaad.nut rd $(grep -l "^requires.*dhaad" \
	    "$SRC"/conformance/cases/mr/*.case)
	run_catalogue mip6kit-mr-ipsec.nut rs $(grep -l "^requires.*ipsec" \
	    "$SRC"/conformance/cases/mr/*.case)
	nothing_left
}
mr_catalogue_cleanup()
{
	down_all
}

atf_init_test_cases()
{
	atf_add_test_case mn_catalogue
	atf_add_test_case mr_catalogue
}
