#!/bin/sh
# mip6kit-node.sh - how mip6conf controls the mip6kit reference mobile node,
# mobile router and correspondent node in the network namespace of a
# conformance run (the `command` lines of mip6kit-mn*.nut, mip6kit-mr*.nut
# and mip6kit-cn.nut).
# Test tooling, not part of the daemons: it may run ip(8).
#
# usage: mip6kit-node.sh VARIANT start|stop|reset|move LINK
#   VARIANT  mn, mn-dhaad, mn-dsmip, mn-dsmip-dyn, mn-ipsec, mr,
#            mr-dhaad, mr-implicit, mr-dsmip, mr-ipsec
#            (mip6busd + mdd + mnd) or cn (mip6busd + cnd); the
#            configuration of daemon D is mip6kit-VARIANT-D.conf.in in
#            MIP6CONF_NUTDIR, @NS@ replaced by the run's namespace.
#   start    write the configurations, start the daemons (each
#            daemonizes once ready) and wait for their control sockets
#            (mdd's configuration is mip6kit-mn-mdd.conf.in unless the
#            variant has its own)
#   stop     stop them (SIGTERM, wait), remove their pinned maps and files
#   reset    empty their state (mip6ctl reset) when they run
#   move L   attach to link L: its interface up, the other links' down
# Files: /run/mip6kit/NS-D.{conf,sock,pid,log}, NS-bus (the hub),
# /sys/fs/bpf/mip6kit/NS-D (pinned maps).  MIP6CONF_NETNS, MIP6CONF_NUTDIR
# and MIP6CONF_BINDIR come from mip6conf (mip6conf-case(5)).
set -u

variant=${1:?variant}
verb=${2:?verb}
ns=${MIP6CONF_NETNS:?}
bin=${MIP6CONF_BINDIR:?}
nutdir=${MIP6CONF_NUTDIR:?}
run=/run/mip6kit
p=$run/$ns
links="link0 link1 link2"

case $variant in
mn|mn-dhaad|mn-dsmip|mn-dsmip-dyn|mn-ipsec|mr|mr-dhaad|mr-implicit|mr-dsmip|\
mr-ipsec)
			daemons="mdd mnd" ;;
cn)			daemons="cnd" ;;
*)	echo "mip6kit-node.sh: unknown variant $variant" >&2; exit 2 ;;
esac

fail()
{
	echo "mip6kit-node.sh: $*" >&2
	[ ! -s "$p-$d.log" ] || cat "$p-$d.log" >&2
	exit 1
}

# Wait up to 10 s for a daemon's control socket.
wait_socket()
{
	i=0
	while [ ! -S "$1" ]; do
		i=$((i + 1))
		[ $i -le 200 ] || return 1
		sleep 0.05
	done
}

stop_pid()
{
	[ -s "$1" ] || return 0
	pid=$(cat "$1")
	kill "$pid" 2>/dev/null || return 0
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 200 ]; do
		i=$((i + 1))
		sleep 0.05
	done
	kill -9 "$pid" 2>/dev/null || true
}

start()
{
	mkdir -p "$run"
	if [ "$variant" != cn ]; then
		# A mobile router forwards for its mobile network (RFC 3963
		# §5); a mobile node is a host.
		fwd=0
		case $variant in mr*) fwd=1 ;; esac
		echo $fwd > /proc/sys/net/ipv6/conf/all/forwarding
	fi
	d=mip6busd
	"$bin/mip6busd" -b "$p-bus" -s "$p-mip6busd.sock" \
	    2>"$p-mip6busd.log" || fail "mip6busd did not start"
	wait_socket "$p-bus" || fail "no bus socket $p-bus"
	for d in $daemons; do
		in=$nutdir/mip6kit-$variant-$d.conf.in
		[ -e "$in" ] || in=$nutdir/mip6kit-mn-$d.conf.in
		sed "s/@NS@/$ns/g" "$in" > "$p-$d.conf" ||
		    fail "no configuration for $d"
		"$bin/$d" -f "$p-$d.conf" 2>"$p-$d.log" ||
		    fail "$d did not start"
		wait_socket "$p-$d.sock" || fail "$d: no control socket"
	done
}

stop()
{
	for d in $daemons mip6busd; do
		stop_pid "$p-$d.pid"
		# mnd and cnd detach their eBPF programs and unpin their maps
		# (--cleanup, as had); what is left is removed by hand.
		case $d in
		mnd|cnd) [ ! -e "$p-$d.conf" ] ||
		    "$bin/$d" --cleanup -f "$p-$d.conf" >/dev/null 2>&1 ;;
		esac
		rm -rf "/sys/fs/bpf/mip6kit/$ns-$d"
		rm -f "$p-$d.conf" "$p-$d.pid" "$p-$d.log" "$p-$d.sock"
	done
	rm -f "$p-bus"
}

reset()
{
	for d in $daemons; do
		[ ! -S "$p-$d.sock" ] ||
		    "$bin/mip6ctl" -s "$p-$d.sock" reset >/dev/null ||
		    fail "$d refused reset"
	done
}

# Unplug from every link but $1, plug into $1 (mn-links.topo).
move()
{
	case " $links " in
	*" $1 "*) ;;
	*) echo "mip6kit-node.sh: move: no link $1 ($links)" >&2; exit 2 ;;
	esac
	for l in $links; do
		[ "$l" = "$1" ] || ip link set dev "$l" down || exit 1
	done
	ip link set dev "$1" up
}

case $verb in
start)	start ;;
stop)	stop ;;
reset)	reset ;;
move)	move "${3:?link}" ;;
*)	echo "mip6kit-node.sh: unknown verb $verb" >&2; exit 2 ;;
esac
