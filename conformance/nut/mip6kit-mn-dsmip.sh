#!/bin/sh
# mip6kit-mn-dsmip.sh - how mip6conf controls the reference dual-stack
# mobile node of mip6kit-mn-dsmip.nut: mip6kit-node.sh's variant mn-dsmip,
# plus the IPv4 address of the IPv4-only foreign link link2 (the NUT's
# link2 coa4=, on 192.0.2.0/24 where the tester answers ARP for HA0's
# IPv4 address ha4): with no IPv6 router there, mdd(8) picks it as an
# IPv4 care-of address (RFC 5555 §4.4.1) and mnd(8) registers from it
# inside IPv4/UDP.  Test tooling, not part of the daemons: it may run
# ip(8).  Runs in the NUT's namespace, as mip6kit-node.sh.
#
# usage: mip6kit-mn-dsmip.sh [dyn] start|stop|reset|move LINK
#   dyn: mip6kit-mn-dsmip-dyn.nut (variant mn-dsmip-dyn: a dynamic IPv4
#   home address)
set -u

here=$(dirname "$0")
variant=mn-dsmip
if [ "${1:-}" = dyn ]; then
	variant=mn-dsmip-dyn
	shift
fi
verb=${1:?verb}

case $verb in
start)
	ip -4 addr replace 192.0.2.10/24 dev link2 ||
	    { echo "mip6kit-mn-dsmip.sh: no IPv4 address on link2" >&2;
	      exit 1; }
	exec "$here/mip6kit-node.sh" "$variant" start ;;
*)	exec "$here/mip6kit-node.sh" "$variant" "$@" ;;
esac
