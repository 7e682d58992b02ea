#! /usr/bin/env atf-sh
# nut_control_test.sh - the two NUT controls for nodes that are not our
# namespaces: `control ssh DEST` (a vendor's box reached over ssh; here a
# stand-in ssh on PATH that records its arguments and runs the command)
# and `control manual` (an operator asked on the terminal; here a pty from
# script(1) with the operator's Enter on its input).  The NUT is the fake
# network device, so no namespaces are needed.

MIP6CONF="@BUILDDIR@/mip6conf"

# A catalogue of one case: reset and start the NUT, then ping it.
make_catalogue()
{
	control=$1
	mkdir -p cat/cases/cn cat/nut bin
	cat > cat/nut/remote.nut <<NUT
nut remote
title NUT controlled by $control
role node
netdev fake remote.responder
control $control
command reset "echo reset-ran >> $PWD/ran"
command start "echo start-ran >> $PWD/ran; exit \${START_STATUS:-0}"
topology one-link link0
link link0 tester=tn0 mac=02:00:00:00:00:a0
iface link0 dev=eth0 mac=02:00:00:00:01:01 addr=2001:db8:1::1
node tn link0 addr=2001:db8:1::a0
NUT
	cat > cat/nut/remote.responder <<'RESP'
responder remote
expect req
  ipv6 src=?peer
  icmp6 echo-request id=?id seq=?seq
end
packet rep
  ipv6 src=$nut.addr dst=$peer
  icmp6 echo-reply id=$id seq=$seq
end
on link0 req reply rep after 0.01
RESP
	cat > cat/cases/cn/CN-9-5-1.case <<'CASE'
case CN-9-5-1
title Reset, start, ping
rfc RFC 4443 §4.2
topology one-link
role node
timeout 20
purpose
  The NUT control runs reset and start before the ping.
end
procedure
  Reset, start, ping.
end
judgement
  An echo reply.
end
packet ping
  ipv6 src=$tn.addr dst=$nut.addr
  icmp6 echo-request id=5 seq=1
end
expect reply
  ipv6 src=$nut.addr dst=$tn.addr
  icmp6 echo-reply id=5 seq=1
end
0 nut reset
+0 nut start
focus
+0.1 send link0 ping
+0~1 expect link0 reply
CASE
	# ssh: record the arguments, run the remote command here.
	cat > bin/ssh <<SSH
#! /bin/sh
printf '%s\n' "\$@" > $PWD/ssh.args
for last; do :; done
exec sh -c "\$last"
SSH
	chmod +x bin/ssh
}

atf_test_case ssh_control
ssh_control_head()
{
	atf_set "descr" "control ssh DEST runs each verb's command through" \
	    "ssh -o BatchMode=yes DEST; a failing start is an INIT-FAIL"
}
ssh_control_body()
{
	make_catalogue "ssh admin@nut.example"
	atf_check -s exit:0 -o match:"^ok 1 - CN-9-5-1 " -e ignore \
	    env PATH="$PWD/bin:$PATH" "$MIP6CONF" -s cat/cases \
	    -n cat/nut/remote.nut
	atf_check -o inline:"reset-ran\nstart-ran\n" cat ran
	atf_check -o match:"^-o$" -o match:"^BatchMode=yes$" \
	    -o match:"^admin@nut.example$" \
	    -o match:"^echo start-ran >> .*/ran; exit" cat ssh.args
	# the remote command fails: the set-up failed, not the NUT's answer
	atf_check -s exit:1 -o save:tap -e ignore env PATH="$PWD/bin:$PATH" \
	    START_STATUS=3 "$MIP6CONF" -s cat/cases -n cat/nut/remote.nut \
	    --json res.json
	atf_check -o match:"^not ok 1 - CN-9-5-1 " cat tap
	atf_check -o match:'"verdict":"INIT-FAIL"' \
	    -o match:'exited with status 3' cat res.json
}

atf_test_case manual_control
manual_control_head()
{
	atf_set "descr" "control manual asks the operator on the terminal" \
	    "and goes on when Enter is pressed; without a terminal it says so"
	atf_set "require.progs" "script setsid"
}
manual_control_body()
{
	make_catalogue manual
	# Enter, twice (reset and start), typed on the pty script(1) opens.
	atf_check -s exit:0 -o save:out -e ignore sh -c \
	    "(sleep 1; printf '\n'; sleep 1; printf '\n') | script -qec \
	    '$MIP6CONF -s cat/cases -n cat/nut/remote.nut' /dev/null"
	atf_check -o match:"please do: reset" -o match:"please do: start" \
	    -o match:"\\(echo start-ran" -o match:"then press Enter" \
	    -o match:"ok 1 - CN-9-5-1 " cat out
	[ ! -e ran ] || atf_fail "manual control ran the commands itself"
	# no controlling terminal: the case cannot be set up, and says why
	atf_check -s exit:1 -o save:tap -e ignore setsid -w "$MIP6CONF" \
	    -s cat/cases -n cat/nut/remote.nut --json res.json
	atf_check -o match:"^not ok 1 - CN-9-5-1 " cat tap
	atf_check -o match:'manual control needs a terminal to ask the operator to: reset' \
	    cat res.json
}

atf_init_test_cases()
{
	atf_add_test_case ssh_control
	atf_add_test_case manual_control
}
