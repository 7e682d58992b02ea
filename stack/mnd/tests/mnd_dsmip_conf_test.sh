#! /usr/bin/env atf-sh
# mnd_dsmip_conf_test.sh - the DSMIP-MN-* conformance cases (RFC 5555,
# conformance/cases/dsmip) against the reference mobile node, mnd(8) with
# mdd(8) (root): the mobile node ones against
# conformance/nut/mip6kit-mn-dsmip.nut (static IPv4 home address; an IPv6
# foreign link and an IPv4-only one where R2 advertises on demand),
# DSMIP-MN-1-1-4 against mip6kit-mn-dsmip-dyn.nut (dynamic IPv4 home
# address), the mobile router ones (DSMIP-MN-2-*: IPv4 mobile network
# prefix, its traffic tunnelled) against mip6kit-mr-dsmip.nut.  Each
# must PASS: a WARN (an unexpected packet) fails here too.
#
# Namespaces and pinned state: only m6-ID-* and /sys/fs/bpf/mip6kit/m6-ID-*
# of the run ids written to ./ids, taken down by the cleanup even when the
# body fails.

MIP6CONF="@BUILDDIR@/mip6conf"
MIP6TOPO="@BUILDDIR@/mip6topo"
SRC="@SRCDIR@"
. "$SRC/conformance/engine/tests/runs.subr"

# run_pass NUT TAG CASE...: every case must PASS against NUT.
run_pass()
{
	nut=$1 tag=$2
	shift 2
	id="$tag$(( $$ % 10000 ))"
	echo "$id" >> ids
	atf_check -s ignore -o save:"$tag.tap" -e save:"$tag.progress" \
	    "$MIP6CONF" -s "$SRC/conformance/cases" \
	    -n "$SRC/conformance/nut/$nut" --topo-id "$id" --progress \
	    --json "$tag.json" "$@"
	if ! python3 - "$tag.json" "$@" > "$tag.bad" <<'PY'
import json, sys
cases = {c['id']: c for c in json.load(open(sys.argv[1]))['cases']}
bad = []
for cid in sys.argv[2:]:
    c = cases.get(cid)
    if c is None:
        bad.append('%s: not run' % cid)
    elif c['verdict'] != 'PASS':
        bad.append('%s: %s %s' % (cid, c['verdict'], c.get('reason', '')))
print('\n'.join(bad))
sys.exit(1 if bad else 0)
PY
	then
		cat "$tag.bad" >&2
		grep -A8 "^not ok\|^# WARN" "$tag.tap" >&2
		atf_fail "$nut: not every case passed"
	fi
}

atf_test_case dsmip_mn_cases cleanup
dsmip_mn_cases_head()
{
	atf_set "descr" "every DSMIP-MN case passes against mnd (RFC 5555:" \
	    "IPv4 home address option and acknowledgement, BU in IPv4/UDP" \
	    "from an IPv4 care-of address, UDP or IPv6-in-IPv4 tunnel," \
	    "NAT keepalive, IPv6 care-of address preferred, IPv4 traffic" \
	    "through the tunnel or none when refused, IPv4 mobile network" \
	    "prefix)"
	atf_set "require.user" "root"
	atf_set "require.progs" "python3"
	atf_set "timeout" "900"
}
dsmip_mn_cases_body()
{
	: > ids
	run_pass mip6kit-mn-dsmip.nut ds DSMIP-MN-1-1-1 DSMIP-MN-1-1-2 \
	    DSMIP-MN-1-1-3 DSMIP-MN-1-1-5 DSMIP-MN-1-1-6 DSMIP-MN-1-2-1 \
	    DSMIP-MN-1-3-1 DSMIP-MN-1-3-2 DSMIP-MN-3-1-1 DSMIP-MN-3-2-1 \
	    DSMIP-MN-3-2-2 DSMIP-MN-3-2-3 DSMIP-MN-3-3-1 DSMIP-MN-3-3-2
	run_pass mip6kit-mn-dsmip-dyn.nut dy DSMIP-MN-1-1-4
	run_pass mip6kit-mr-dsmip.nut mr DSMIP-MN-2-1-1 DSMIP-MN-2-2-1
	nothing_left
}
dsmip_mn_cases_cleanup()
{
	down_all
}

atf_init_test_cases()
{
	atf_add_test_case dsmip_mn_cases
}
