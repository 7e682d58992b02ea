#!/usr/bin/python3
"""check_topo.py - the mip6topo tests' oracle: is run ID exactly what FILE
declares?

    check_topo.py MIP6TOPO PING_HELPER ID FILE [--ping]

It reads the declarations from `mip6topo -n FILE` (the normalised form,
one statement per line) and the run's namespace names from
`mip6topo status -j ID`, and compares them with what the kernel reports
through `ip -j` and /proc/sys, independently of mip6topo's own code:

  * each node's namespace exists and holds exactly lo plus the declared
    interfaces, each up with carrier, with the declared MAC;
  * the declared addresses are there, none tentative, and no other global
    address is;
  * the declared routes are there (destination, gateway, device, static);
  * the declared sysctls read back;
  * bridged links: a bridge named after the link in the switch namespace,
    one port per endpoint, each enslaved to it;
  * with --ping: every node endpoint answers an echo from another endpoint
    of the same link (across a veth, across a bridge), by link-local
    address, or by IPv4 address on IPv4-only links.

Prints one line per failed check and exits 1 if any failed.
"""
import ipaddress
import json
import os
import subprocess
import sys

PING = None
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def run(*argv):
    return subprocess.run(argv, check=True, capture_output=True,
                          text=True).stdout


def ipj(ns, *args):
    return json.loads(run("ip", "-j", "-n", ns, *args) or "[]")


def parse_normalised(text):
    decl = {"nodes": [], "links": [], "macs": {}, "addrs": [],
            "routes": [], "sysctls": []}
    for line in text.splitlines():
        words = line.split("#")[0].split()
        if not words:
            continue
        kw, args = words[0], words[1:]
        if kw == "node":
            decl["nodes"].append(args[0])
        elif kw == "link":
            eps = []
            for ep in args[1:]:
                node, ifname = ep.split(":", 1)
                eps.append((node, ifname))
            decl["links"].append((args[0], eps))
        elif kw == "mac":
            decl["macs"][(args[0], args[1])] = args[2]
        elif kw == "addr":
            decl["addrs"].append((args[0], args[1], args[2]))
        elif kw == "route":
            r = {"node": args[0], "dst": args[1]}
            opts = args[2:]
            for k, v in zip(opts[::2], opts[1::2]):
                r[k] = v
            decl["routes"].append(r)
        elif kw == "sysctl":
            key, val = args[1].split("=", 1)
            decl["sysctls"].append((args[0], key, val))
    return decl


def link_kind(eps):
    nodes = [e for e in eps if e[0] != "host"]
    hosts = [e for e in eps if e[0] == "host"]
    if len(nodes) == 2 and not hosts:
        return "veth"
    if len(nodes) == 1 and len(hosts) == 1:
        return "host"
    return "bridge"


def node_ifaces(decl, node):
    return {ifname for _, eps in decl["links"] for n, ifname in eps
            if n == node}


def check_links(decl, nsname):
    for node in decl["nodes"]:
        ns = nsname[node]
        if not os.path.exists("/run/netns/" + ns):
            fail(f"{node}: namespace {ns} missing")
            continue
        links = {l["ifname"]: l for l in ipj(ns, "link", "show")}
        want = node_ifaces(decl, node) | {"lo"}
        if set(links) != want:
            fail(f"{node}: interfaces {sorted(links)} != {sorted(want)}")
        for ifname in want & set(links):
            flags = links[ifname]["flags"]
            if "UP" not in flags or "LOWER_UP" not in flags:
                fail(f"{node}:{ifname} not up with carrier: {flags}")
            mac = decl["macs"].get((node, ifname))
            if mac and links[ifname].get("address") != mac:
                fail(f"{node}:{ifname} MAC {links[ifname].get('address')}"
                     f" != {mac}")


def check_addrs(decl, nsname):
    for node in decl["nodes"]:
        ns = nsname[node]
        have = set()
        for l in ipj(ns, "addr", "show"):
            for a in l.get("addr_info", []):
                if a.get("tentative"):
                    fail(f"{node}:{l['ifname']} {a['local']} tentative")
                ip = ipaddress.ip_address(a["local"])
                if l["ifname"] == "lo" or ip.is_link_local:
                    continue
                have.add((l["ifname"], f"{ip}/{a['prefixlen']}"))
        want = {(i, str(ipaddress.ip_interface(a)))
                for n, i, a in decl["addrs"] if n == node}
        if have != want:
            fail(f"{node}: addresses {sorted(have)} != {sorted(want)}")


def route_matches(r, kr):
    dst = r["dst"]
    kdst = kr.get("dst")
    if dst == "default":
        if kdst != "default":
            return False
    elif kdst != str(ipaddress.ip_network(dst)) and \
            kdst != str(ipaddress.ip_network(dst).network_address):
        return False
    if "via" in r and kr.get("gateway") != r["via"]:
        return False
    if "dev" in r and kr.get("dev") != r["dev"]:
        return False
    return kr.get("protocol") == "static"


def check_routes(decl, nsname):
    for r in decl["routes"]:
        ns = nsname[r["node"]]
        fam = "-6" if ":" in r.get("via", r["dst"]) else "-4"
        kroutes = json.loads(run("ip", "-j", fam, "-n", ns, "route",
                                 "show") or "[]")
        if not any(route_matches(r, kr) for kr in kroutes):
            fail(f"{r['node']}: route {r} not in {kroutes}")


def check_sysctls(decl, nsname):
    for node, key, val in decl["sysctls"]:
        path = "/proc/sys/net/" + key.replace(".", "/")
        got = run("ip", "netns", "exec", nsname[node], "cat", path).strip()
        if got != val:
            fail(f"{node}: sysctl {key} = {got}, declared {val}")


def check_bridges(decl, status):
    sw = status["switch"]
    for name, eps in decl["links"]:
        if link_kind(eps) != "bridge":
            continue
        if sw is None:
            fail(f"bridged link {name} but no switch namespace")
            return
        links = {l["ifname"]: l for l in ipj(sw["netns"], "link", "show")}
        if name not in links:
            fail(f"bridge {name} missing in {sw['netns']}")
            continue
        ports = [l for l in links.values() if l.get("master") == name]
        if len(ports) != len(eps):
            fail(f"bridge {name}: {len(ports)} ports, {len(eps)} endpoints")


def ping_target(ns, ifname, v4_only):
    for l in ipj(ns, "addr", "show", "dev", ifname):
        for a in l.get("addr_info", []):
            ip = ipaddress.ip_address(a["local"])
            if v4_only and ip.version == 4:
                return str(ip)
            if not v4_only and ip.version == 6 and ip.is_link_local:
                return str(ip)
    return None


def check_pings(decl, nsname):
    for name, eps in decl["links"]:
        nodes = [e for e in eps if e[0] != "host"]
        if len(nodes) < 2:
            continue
        src_node, src_if = nodes[0]
        for dst_node, dst_if in nodes[1:]:
            dst_ns = nsname[dst_node]
            target = ping_target(dst_ns, dst_if, False)
            if target is not None:
                target += "%" + src_if
            else:
                target = ping_target(dst_ns, dst_if, True)
            if target is None:
                fail(f"link {name}: no address to ping on "
                     f"{dst_node}:{dst_if}")
                continue
            rc = subprocess.run(["ip", "netns", "exec", nsname[src_node],
                                 PING, "-c", "3", "-W", "1000", target],
                                capture_output=True).returncode
            if rc != 0:
                fail(f"link {name}: {src_node}:{src_if} cannot ping "
                     f"{dst_node}:{dst_if} ({target})")


def main():
    global PING
    mip6topo, PING, run_id, topo = sys.argv[1:5]
    decl = parse_normalised(run(mip6topo, "-n", topo))
    status = json.loads(run(mip6topo, "status", "-j", run_id))["runs"][0]
    nsname = {n["name"]: n["netns"] for n in status["nodes"]}
    if sorted(nsname) != sorted(decl["nodes"]):
        fail(f"nodes {sorted(nsname)} != {sorted(decl['nodes'])}")
        return 1
    check_links(decl, nsname)
    check_addrs(decl, nsname)
    check_routes(decl, nsname)
    check_sysctls(decl, nsname)
    check_bridges(decl, status)
    if "--ping" in sys.argv[5:]:
        check_pings(decl, nsname)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
