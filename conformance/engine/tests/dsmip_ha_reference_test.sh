#! /usr/bin/env atf-sh
# dsmip_ha_reference_test.sh - the DSMIPv6 home agent cases
# (conformance/cases/dsmip, RFC 5555) against the mip6kit reference home
# agent as a dual-stack home agent (root): mip6conf brings up
# conformance/topologies/dsmip-home.topo afresh for every case and runs
# had(8) with ipv4-address, a pool of one address, MN0's IPv4 home
# address and mobile router MR0's IPv4 prefix
# (conformance/nut/mip6kit-ha-dsmip.nut).  Every DSMIP-HA case must pass:
# the signalling ones (IPv4 Home Address option and its acknowledgement
# statuses, UDP-encapsulated BUs from an IPv4 care-of address, NAT
# detection, discards on port 4191) and the traffic ones through the eBPF
# data paths (IPv4/UDP, IPv6-in-IPv4, IPv4-in-IPv6 both ways).
#
# Namespaces and pinned state: only m6-ID-* and /sys/fs/bpf/mip6kit/m6-ID-*
# of the run id written to ./ids, taken down by the cleanup even when the
# body fails.

MIP6CONF="@BUILDDIR@/mip6conf"
MIP6TOPO="@BUILDDIR@/mip6topo"
SRC="@SRCDIR@"
. "$SRC/conformance/engine/tests/runs.subr"

# The DSMIP-HA cases, by id.
dsmip_ha_cases()
{
	ls "$SRC"/conformance/cases/dsmip/DSMIP-HA-*.case |
	    sed 's,.*/,,; s,\.case$,,' | sort
}

atf_test_case every_dsmip_ha_case_passes cleanup
every_dsmip_ha_case_passes_head()
{
	atf_set "descr" "every DSMIP-HA case passes against had as a" \
	    "dual-stack home agent, and no namespace or pinned map of the" \
	    "run is left"
	atf_set "require.user" "root"
	atf_set "require.progs" "python3"
	atf_set "timeout" "900"
}
every_dsmip_ha_case_passes_body()
{
	id="hd$(( $$ % 100000 ))"
	echo "$id" > ids
	dsmip_ha_cases > want
	atf_check -o match:"cases checked, no errors" "$MIP6CONF" --lint \
	    -s "$SRC/conformance/cases" \
	    -n "$SRC/conformance/nut/mip6kit-ha-dsmip.nut"
	# shellcheck disable=SC2046
	atf_check -s ignore -o save:tap -e save:progress "$MIP6CONF" \
	    -s "$SRC/conformance/cases" \
	    -n "$SRC/conformance/nut/mip6kit-ha-dsmip.nut" --topo-id "$id" \
	    --json results.json $(cat want)
	sed -n 's/^ok [0-9]* - \(DSMIP-HA-[0-9-]*\) [^#]*$/\1/p' tap |
	    sort > passed
	if ! cmp -s want passed; then
		echo "--- DSMIP-HA cases / cases that passed" >&2
		diff want passed >&2
		grep -A6 "^not ok" tap >&2
		atf_fail "not every DSMIP-HA case passed against had"
	fi
	atf_check -o not-match:"^not ok" -o not-match:"# SKIP" cat tap
	# The JSON agrees: a PASS verdict for each case.
	atf_check -o inline:"$(wc -l < want | tr -d ' ')\n" python3 -c "
import json
print(sum(1 for c in json.load(open('results.json'))['cases']
          if c['id'].startswith('DSMIP-HA-') and c['verdict'] == 'PASS'))"
	nothing_left
}
every_dsmip_ha_case_passes_cleanup()
{
	down_all
}

atf_init_test_cases()
{
	atf_add_test_case every_dsmip_ha_case_passes
}
