#!/usr/bin/python3
"""scapy_check.py - re-dissect tsharkgen_helper's pcap with scapy (a second
implementation independent of ours and of Wireshark) and compare with the
"scapy" expectations (used by scapy_test).

  scapy_check.py FAMILY PCAP EXPECT

Run with Debian's /usr/bin/python3, the interpreter python3-scapy installs
into.  Keys (the field column of EXPECT) and where scapy 2.5 keeps them:

  mh.type mh.nh mh.len mh.cksum   MH: mhtype, nh, len, cksum
  mh.cksum_ok       1 when scapy, rebuilding the packet with the MH
                    checksum cleared, computes the checksum that is on the
                    wire (HAO/RH2 pseudo-header rules of RFC 6275 §6.1.1;
                    see recomputed() for the HAO workaround)
  bu.seq bu.flags bu.reserved bu.mhtime    BU fields (flags: A H L K M R P)
  ba.status ba.flags ba.res2 ba.seq ba.mhtime   BA fields (flags: K R P)
  be.status be.ha   BE fields
  test.index        HoT / CoT nonce index
  opt.types         the mobility option types in order, Pad1/PadN left out
  icmp.type icmp.cksum_ok         the outermost ICMPv6 message
  haad.id haad.R haad.addresses   DHAAD Request / Reply
  mp.id mpa.flags                 MPS / MPA (flags: M = 2, O = 1)
  ra.H pio.R                      RA H flag, first Prefix Information R
  hainfo.res hainfo.pref hainfo.lifetime   HA Information (res holds R)

Values with several occurrences are joined by ','.  Exit status 0 when all
match, 1 otherwise (each mismatch printed), 2 on a usage or input error.
"""
import sys

from scapy.all import Ether, UDP, IPv6, bind_layers, rdpcap, raw
from scapy.layers.inet6 import (
    HAO, IPv6ExtHdrDestOpt, _ICMPv6, _MobilityHeader, ICMPv6HAADReply,
    ICMPv6HAADRequest,
    ICMPv6MPAdv, ICMPv6MPSol, ICMPv6ND_RA, ICMPv6NDOptHAInfo,
    ICMPv6NDOptPrefixInfo, MIP6MH_BA, MIP6MH_BE, MIP6MH_BU, MIP6MH_CoT,
    MIP6MH_HoT)

# DSMIPv6 (RFC 5555 §4.1): IPv6 inside UDP to and from port 4191.  The
# IPv4/UDP/IPv4 frame has no scapy expectations, so binding both ports to
# IPv6 does not matter there.
bind_layers(UDP, IPv6, dport=4191)
bind_layers(UDP, IPv6, sport=4191)

PAD_TYPES = (0, 1)


def first(pkt, cls):
    for layer in pkt.iterpayloads():
        if isinstance(layer, cls):
            return layer
    return None


def recomputed(pkt, cls):
    """The checksum scapy computes for the first `cls` layer after the
    field is cleared and the frame rebuilt.

    scapy's pseudo-header takes the home address from a Destination Options
    header only when the HAO is its sole option; a dissected header holds
    [PadN, HAO] and scapy would use the CoA (wire-formats.md §8.3).  As
    §8.4 advises, the header is rebuilt around the HAO alone first; only
    the checksum of the rebuilt frame is read, not its bytes."""
    copy = pkt.copy()
    dest = first(copy, IPv6ExtHdrDestOpt)
    if dest is not None:
        haos = [o for o in dest.options if isinstance(o, HAO)]
        if haos:
            dest.options = haos[:1]
            dest.len = None
    layer = first(copy, cls)
    del layer.cksum
    again = first(Ether(raw(copy)), cls)
    return again.cksum


def mh_values(pkt, v):
    mh = first(pkt, _MobilityHeader)
    if mh is None:
        return
    v["mh.type"] = mh.mhtype
    v["mh.nh"] = mh.nh
    v["mh.len"] = mh.len
    v["mh.cksum"] = mh.cksum
    v["mh.cksum_ok"] = int(recomputed(pkt, _MobilityHeader) == mh.cksum)
    if isinstance(mh, MIP6MH_BU):
        v["bu.seq"] = mh.seq
        v["bu.flags"] = int(mh.flags)
        v["bu.reserved"] = mh.reserved
        v["bu.mhtime"] = mh.mhtime
    elif isinstance(mh, MIP6MH_BA):
        v["ba.status"] = mh.status
        v["ba.flags"] = int(mh.flags)
        v["ba.res2"] = mh.res2
        v["ba.seq"] = mh.seq
        v["ba.mhtime"] = mh.mhtime
    elif isinstance(mh, MIP6MH_BE):
        v["be.status"] = mh.status
        v["be.ha"] = mh.ha
    elif isinstance(mh, (MIP6MH_HoT, MIP6MH_CoT)):
        v["test.index"] = mh.index
    options = getattr(mh, "options", None) or []
    types = [str(o.otype) for o in options if o.otype not in PAD_TYPES]
    if types:
        v["opt.types"] = ",".join(types)


def icmp_values(pkt, v):
    icmp = first(pkt, _ICMPv6)
    if icmp is None:
        return
    v["icmp.type"] = icmp.type
    v["icmp.cksum_ok"] = int(recomputed(pkt, _ICMPv6) == icmp.cksum)
    if isinstance(icmp, (ICMPv6HAADRequest, ICMPv6HAADReply)):
        v["haad.id"] = icmp.id
        v["haad.R"] = icmp.R
    if isinstance(icmp, ICMPv6HAADReply):
        v["haad.addresses"] = ",".join(icmp.addresses or [])
    if isinstance(icmp, (ICMPv6MPSol, ICMPv6MPAdv)):
        v["mp.id"] = icmp.id
    if isinstance(icmp, ICMPv6MPAdv):
        v["mpa.flags"] = int(icmp.flags)
    if isinstance(icmp, ICMPv6ND_RA):
        v["ra.H"] = icmp.H
    hainfo = first(pkt, ICMPv6NDOptHAInfo)
    if hainfo is not None:
        v["hainfo.res"] = hainfo.res
        v["hainfo.pref"] = hainfo.pref
        v["hainfo.lifetime"] = hainfo.lifetime
    pio = first(pkt, ICMPv6NDOptPrefixInfo)
    if pio is not None:
        v["pio.R"] = pio.R


def read_expect(path, family):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 5:
                sys.exit("%s:%d: expected 5 tab-separated columns" % (path, n))
            if parts[0] == "scapy" and parts[1] == family:
                rows.append((int(parts[2]), parts[3], parts[4]))
    return rows


def main(argv):
    if len(argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    family, pcap, expect = argv[1:]
    want = read_expect(expect, family)
    if not want:
        sys.exit("no scapy expectations for family %r" % family)
    frames = rdpcap(pcap)
    bad = 0
    cache = {}
    for frame, key, value in want:
        if frame > len(frames):
            print("frame %d: not in the pcap" % frame)
            bad += 1
            continue
        if frame not in cache:
            v = {}
            mh_values(frames[frame - 1], v)
            icmp_values(frames[frame - 1], v)
            cache[frame] = {k: str(x) for k, x in v.items()}
        got = cache[frame].get(key)
        if got != value:
            print("frame %d: %s: expected %r, scapy says %r"
                  % (frame, key, value, got))
            bad += 1
    print("%s: %d frames, %d values compared, %d mismatches"
          % (family, len({w[0] for w in want}), len(want), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
