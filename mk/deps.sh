#!/bin/sh
# mk/deps.sh - install the Debian packages mip6kit needs, when missing.
#
# Idempotent: it asks dpkg what is installed and runs apt-get only for the
# packages that are not.  Run as root (or with sudo available).  Set
# MIP6_NO_DEPS=1 to skip it entirely (offline builds with everything there).
set -eu

PKGS="
build-essential pkg-config clang llvm libclang-rt-14-dev libfuzzer-14-dev
libpcap-dev libnet1-dev libssl-dev libbpf-dev bpftool libmnl-dev libevent-dev
kyua atf-sh libatf-dev tshark python3-scapy mandoc iproute2
libjson-c-dev chromium radvd iperf3 iputils-ping
dnsmasq-base isc-dhcp-client
"

[ "${MIP6_NO_DEPS:-0}" = 1 ] && exit 0

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "deps: missing packages:$missing; run as root or install them" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no, quietly.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
    $SUDO debconf-set-selections 2>/dev/null || true
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
