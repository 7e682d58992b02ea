#!/usr/bin/python3
"""tshark_check.py - compare tshark's field values with what
tsharkgen_helper encoded (used by tshark_test).

  tshark_check.py fields EXPECT
      the tshark field names EXPECT mentions, one per line (for -e)
  tshark_check.py check FAMILY EXPECT TSV
      compare every "tshark" expectation of FAMILY in EXPECT with TSV, the
      output of `tshark -T fields -E header=y -E separator=/t
      -E occurrence=a -E aggregator=, -e frame.number -e ...`

EXPECT lines: decoder TAB family TAB frame TAB field TAB value.  A value is
compared as text, whole: every occurrence of the field in the frame, in
order, joined by ','.  Exit status 0 when all match, 1 otherwise (each
mismatch is printed), 2 on a usage or input error.
"""
import sys


def read_expect(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 5:
                sys.exit("%s:%d: expected 5 tab-separated columns" % (path, n))
            decoder, family, frame, field, value = parts
            rows.append((decoder, family, int(frame), field, value))
    return rows


def read_tsv(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    header = lines[0].split("\t")
    if not header or header[0] != "frame.number":
        sys.exit("%s: first column must be frame.number" % path)
    frames = {}
    for line in lines[1:]:
        if not line:
            continue
        cols = line.split("\t")
        cols += [""] * (len(header) - len(cols))
        frames[int(cols[0])] = dict(zip(header, cols))
    return header, frames


def cmd_fields(expect):
    seen = []
    for decoder, _, _, field, _ in read_expect(expect):
        if decoder == "tshark" and field not in seen:
            seen.append(field)
    print("\n".join(seen))


def cmd_check(family, expect, tsv):
    header, frames = read_tsv(tsv)
    want = [r for r in read_expect(expect)
            if r[0] == "tshark" and r[1] == family]
    if not want:
        sys.exit("no tshark expectations for family %r" % family)
    bad = 0
    for _, _, frame, field, value in want:
        if frame not in frames:
            print("frame %d: missing from tshark's output" % frame)
            bad += 1
            continue
        if field not in header:
            print("frame %d: field %s was not asked of tshark" % (frame, field))
            bad += 1
            continue
        got = frames[frame][field]
        if got != value:
            print("frame %d: %s: expected %r, tshark says %r"
                  % (frame, field, value, got))
            bad += 1
    nframes = len({r[2] for r in want})
    print("%s: %d frames, %d field values compared, %d mismatches"
          % (family, nframes, len(want), bad))
    return 1 if bad else 0


def main(argv):
    if len(argv) == 3 and argv[1] == "fields":
        cmd_fields(argv[2])
        return 0
    if len(argv) == 5 and argv[1] == "check":
        return cmd_check(argv[2], argv[3], argv[4])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
