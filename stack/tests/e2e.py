#!/usr/bin/env python3
"""e2e.py - traffic tools of the end-to-end DSMIPv6 tests (stack/tests):
a TCP echo server, a TCP client that checks the byte stream (SHA-256 and
order), a UDP probe sender and receiver, and the per-handover loss and
outage computation.  Family-neutral (IPv4 and IPv6 sessions run side by
side); stack/mnd/tests/mnd_netns_test.sh's tcp_handovers case uses them
too.

  e2e.py echo ADDR PORT OUT.json READY        (server, one connection)
  e2e.py client ADDR PORT SRC STOP OUT.json   (client, bound to SRC)
  e2e.py probe-tx ADDR PORT STOP OUT.json     (a probe every 2 ms)
  e2e.py probe-rx ADDR PORT STOP READY FLOWING OUT.json
  e2e.py loss TX.json RX.json MARKS OUT.json  (per handover)

Every file argument is a path; a tool stops when its STOP file exists.
"""
import hashlib
import ipaddress
import json
import os
import socket
import struct
import sys
import time


def family(addr):
    if ipaddress.ip_address(addr).version == 4:
        return socket.AF_INET
    return socket.AF_INET6


def echo(addr, port, out, ready):
    """Echo one TCP connection, record what came (length, SHA-256)."""
    s = socket.socket(family(addr))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(port)))
    s.listen(1)
    s.settimeout(60)
    open(ready, "w").close()
    c, peer = s.accept()
    # a session that died in a move must not hang the test: 30 s of
    # silence ends it (the moves' outages are bounded far below that)
    c.settimeout(30)
    h = hashlib.sha256()
    n = 0
    err = None
    try:
        while True:
            b = c.recv(65536)
            if not b:
                break
            h.update(b)
            n += len(b)
            c.sendall(b)
        c.shutdown(socket.SHUT_WR)
    except OSError as e:
        err = str(e)
    json.dump({"peer": peer[0], "received": n, "sha256": h.hexdigest(),
               "error": err}, open(out, "w"))


def client(addr, port, src, stop, out):
    """Numbered 64-octet records every 20 ms from SRC until STOP, then a
    half-close and the echo read back to its end."""
    c = socket.socket(family(addr))
    c.bind((src, 0))
    c.settimeout(30)
    tx, rx = hashlib.sha256(), hashlib.sha256()
    sent = 0
    err = None
    want = b""
    buf = b""
    try:
        c.connect((addr, int(port)))
        open(out + ".connected", "w").close()
        while not os.path.exists(stop):
            m = b"%08d" % sent * 8
            c.sendall(m)
            tx.update(m)
            want += m
            sent += 1
            time.sleep(0.02)
        c.shutdown(socket.SHUT_WR)
        while True:
            b = c.recv(65536)
            if not b:
                break
            buf += b
    except OSError as e:
        err = str(e)
    rx.update(buf)
    json.dump({"sent": len(want), "received": len(buf),
               "in_order": buf == want, "sent_sha256": tx.hexdigest(),
               "received_sha256": rx.hexdigest(), "error": err},
              open(out, "w"))


def probe_tx(addr, port, stop, out):
    """A 12-octet probe (sequence number, send time) every 2 ms, no
    bursts when behind schedule (a late probe is not a lost one)."""
    period = 0.002
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    sent = []
    t0 = time.time()
    while not os.path.exists(stop):
        now = time.time()
        try:
            s.sendto(struct.pack("!Id", len(sent), now), (addr, int(port)))
        except OSError:
            pass            # no route during a move: counted as lost
        sent.append(now)
        late = time.time() - (t0 + len(sent) * period)
        if late > period:
            t0 += late
        else:
            time.sleep(-late if late < 0 else 0)
    json.dump({"period": period, "sent": sent}, open(out, "w"))


def probe_rx(addr, port, stop, ready, flowing, out):
    s = socket.socket(family(addr), socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.bind((addr, int(port)))
    s.settimeout(0.2)
    open(ready, "w").close()
    got = {}
    while not os.path.exists(stop):
        try:
            b = s.recv(64)
        except socket.timeout:
            continue
        if len(b) == 12:
            got[struct.unpack("!Id", b)[0]] = time.time()
            if len(got) == 100:
                open(flowing, "w").close()
    json.dump({"received": sorted(got.items())}, open(out, "w"))


def loss(txf, rxf, marksf, out):
    """Split the probe stream at the marks ("TIME NAME" lines); per
    segment: probes lost, the outage (send-time gap between the last
    probe that arrived before the first loss and the first after the
    last), the longest silence at the receiver (with or without loss),
    and the probes lost in its last 0.5 s (the stream must flow again
    before the next move)."""
    sent = json.load(open(txf))["sent"]
    arrived = dict(json.load(open(rxf))["received"])
    got = set(arrived)
    marks = [ln.split(None, 1) for ln in open(marksf).read().splitlines()]
    marks = [(float(t), n) for t, n in marks]
    res = []
    for i, (start, name) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else sent[-1] + 1e-6
        seqs = [q for q, t in enumerate(sent) if start <= t < end]
        lost = [q for q in seqs if q not in got]
        outage = 0.0
        if lost:
            before = max([q for q in got if q < lost[0]], default=None)
            after = min([q for q in got if q > lost[-1]], default=None)
            if before is not None and after is not None:
                outage = sent[after] - sent[before]
            else:
                outage = float("inf")
        times = sorted(arrived[q] for q in seqs if q in got)
        silence = max([b - a for a, b in zip(times, times[1:])], default=0)
        tail = [q for q in seqs if sent[q] >= end - 0.5]
        res.append({"handover": name, "probes": len(seqs),
                    "lost": len(lost),
                    "outage_ms": round(outage * 1000, 1)
                    if outage != float("inf") else 1e9,
                    "silence_ms": round(silence * 1000, 1),
                    "tail_lost": len([q for q in tail if q not in got])})
        print("%s: %d of %d probes lost (%.1f %%), outage %.1f ms, longest "
              "silence at the receiver %.1f ms, %d lost in the segment's "
              "last 0.5 s" % (name, len(lost), len(seqs),
                              100.0 * len(lost) / max(len(seqs), 1),
                              outage * 1000, silence * 1000,
                              res[-1]["tail_lost"]))
    first = marks[0][0] if marks else float("inf")
    steady = [q for q, t in enumerate(sent) if t < first]
    print("before the first mark: %d of %d probes lost" %
          (len([q for q in steady if q not in got]), len(steady)))
    json.dump(res, open(out, "w"))


if __name__ == "__main__":
    tools = {"echo": echo, "client": client, "probe-tx": probe_tx,
             "probe-rx": probe_rx, "loss": loss}
    if len(sys.argv) < 2 or sys.argv[1] not in tools:
        sys.exit(__doc__)
    tools[sys.argv[1]](*sys.argv[2:])
