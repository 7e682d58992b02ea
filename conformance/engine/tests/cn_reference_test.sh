#! /usr/bin/env atf-sh
# cn_reference_test.sh - the CN case catalogue against the mip6kit
# reference correspondent node (root): mip6conf brings up
# conformance/topologies/cn-link.topo afresh for every case, runs the
# mip6busd hub and cnd(8) in the NUT's namespace
# (conformance/nut/mip6kit-cn.nut, mip6kit-node.sh), and every case of
# topology cn-link must pass: return routability, Binding Updates whose
# Binding Authorization Data the tester computes from the NUT's keygen
# tokens, Binding Acknowledgements whose authenticator it verifies,
# statuses 135-138, the 420 s lifetime limit, Binding Errors, Type 2
# Routing headers.
#
# Namespaces and pinned state: only m6-ID-* and /sys/fs/bpf/mip6kit/m6-ID-*
# of the run id written to ./ids, taken down by the cleanup even when the
# body fails.

MIP6CONF="@BUILDDIR@/mip6conf"
MIP6TOPO="@BUILDDIR@/mip6topo"
SRC="@SRCDIR@"
. "$SRC/conformance/engine/tests/runs.subr"

atf_test_case cn_catalogue cleanup
cn_catalogue_head()
{
	atf_set "descr" "every CN case of cn-link.topo passes against the" \
	    "reference correspondent node, and nothing of the run is left"
	atf_set "require.user" "root"
	atf_set "require.progs" "python3"
	atf_set "timeout" "900"
}
cn_catalogue_body()
{
	id="cr$(( $$ % 100000 ))"
	echo "$id" > ids
	atf_check -s ignore -o save:tap -e save:progress "$MIP6CONF" \
	    -s "$SRC/conformance/cases" -n "$SRC/conformance/nut/mip6kit-cn.nut" \
	    --topo-id "$id" --progress --json cn.json
	grep -l "^topology cn-link$" "$SRC"/conformance/cases/cn/*.case |
	    sed 's,.*/,,; s,\.case$,,' | sort > want
	sed -n 's/^ok [0-9]* - \(CN-[0-9-]*\) [^#]*$/\1/p' tap | sort > passed
	if ! cmp -s want passed; then
		diff want passed >&2
		grep -A3 "^not ok" tap >&2
		atf_fail "not every cn-link case passed"
	fi
	atf_check -o not-match:"^not ok" -o not-match:"^Bail out" cat tap
	# The JSON agrees: a PASS or WARN verdict for each of them.
	atf_check -o inline:"$(wc -l < want | tr -d ' ')\n" python3 -c "
import json
print(sum(1 for c in json.load(open('cn.json'))['cases']
          if c['id'].startswith('CN-') and c['verdict'] in ('PASS', 'WARN')))"
	nothing_left
}
cn_catalogue_cleanup()
{
	down_all
}

atf_init_test_cases()
{
	atf_add_test_case cn_catalogue
}
