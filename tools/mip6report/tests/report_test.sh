#! /usr/bin/env atf-sh
# report_test.sh - mip6report on results that mip6conf writes for a fake
# NUT (PASS, WARN, FAIL, SKIP and N/A cases in two sections, a hostile
# title, captures): the files it writes, their well-formedness, escaping,
# digests, the interop matrix, and what headless Chromium renders.

MIP6CONF="@BUILDDIR@/mip6conf"
MIP6REPORT="@BUILDDIR@/mip6report"
SRC="@SRCDIR@"
HOSTILE='Evil <script>alert(1)</script> & "q" <img src=x>'

# One case file: ID ROLE SEND-AT REQUIRES [TITLE].  The responder answers
# every echo request with seq+1 after 50 ms and sends a stray echo request
# at 0.3 s: a case whose timeline is still running then gets a WARN.
make_case()
{
	id=$1 role=$2 at=$3 req=$4 title=${5:-Synthetic $1}
	seq=0
	[ "$id" = CN-9-0-2 ] && seq=1
	{
		echo "case $id"
		echo "title $title"
		echo "rfc RFC 4443 §4.2"
		[ -n "$req" ] && echo "requires $req"
		cat <<CASE
topology one-link
role $role
timeout 20
purpose
  Echo <purpose> of $id.
end
procedure
  Ping.
end
judgement
  A reply.
end
packet ping
  ipv6 src=\$tn.addr dst=\$nut.addr
  icmp6 echo-request id=7 seq=$seq
end
expect reply
  ipv6 src=\$nut.addr dst=\$tn.addr
  icmp6 echo-reply id=7 seq=1
end
$at send link0 ping
+0~1 expect link0 reply
CASE
	} > cat/cases/cn/$id.case
}

make_catalogue()
{
	mkdir -p cat/cases/cn cat/nut caps
	cat > cat/nut/fake.nut <<NUT
nut fake
title Fake node $HOSTILE
role node
netdev fake fake.responder
control fake
topology one-link link0
link link0 tester=tn0 mac=02:00:00:00:00:a0
iface link0 dev=eth0 mac=02:00:00:00:01:01 addr=2001:db8:1::1
node tn link0 addr=2001:db8:1::a0
NUT
	cat > cat/nut/fake.responder <<'RESP'
responder fake
expect req
  ipv6 src=?peer
  icmp6 echo-request id=?id seq=?seq
end
packet rep
  ipv6 src=$nut.addr dst=$peer
  icmp6 echo-reply id=$id seq=$seq+1
end
packet stray
  ipv6 src=$nut.addr dst=2001:db8:1::a0
  icmp6 echo-request id=77 seq=1
end
on link0 req reply rep after 0.05
at 0.3 emit link0 stray
RESP
	make_case CN-9-0-1 node 0.1 ""		# PASS, done before 0.3
	make_case CN-9-0-2 node 0.5 ""		# FAIL (seq 2 for 1)
	make_case CN-9-0-3 ha 0.1 ""		# N/A (role)
	make_case CN-9-0-4 node 0.5 "" "$HOSTILE"	# WARN (the stray)
	make_case CN-9-1-1 node 0.1 dhaad	# SKIP (capability)
	make_case CN-9-1-2 node 0.1 ""		# PASS
}

# A small pcap file (one Ethernet frame at time $2) with a libpcap header.
make_pcap()
{
	python3 - "$1" "$2" <<'PY'
import struct, sys
frame = bytes.fromhex("0200000001010200000000a086dd6000000000083a40"
    "20010db80001000000000000000000a020010db80001000000000000000000018000"
    "23a700010000")
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    f.write(struct.pack("<IIII", int(sys.argv[2]), 0, len(frame),
        len(frame)) + frame)
PY
}

# Run the catalogue, then name captures in the results as the runner does
# on real links: a relative path, and one that does not exist.
make_results()
{
	write_helpers
	make_catalogue
	make_pcap caps/link0.pcap 1
	mkdir caps2
	make_pcap caps2/link0.pcap 2
	atf_check -s exit:1 -o ignore -e ignore "$MIP6CONF" -s cat/cases \
	    -n cat/nut/fake.nut --json res.json
	python3 - <<'PY'
import json
d = json.load(open("res.json"))
for c in d["cases"]:
    if c["id"] in ("CN-9-0-1", "CN-9-0-2"):
        c["pcaps"] = ["caps/link0.pcap"]
    if c["id"] == "CN-9-0-2":
        c["pcaps"].append("caps/gone.pcap")
    if c["id"] == "CN-9-1-2":
        c["pcaps"] = ["./caps2//link0.pcap"]
json.dump(d, open("res.json", "w"), indent=1)
PY
}

# The Python helpers, as files in the work folder (atf_check runs
# programs, not shell functions).
write_helpers()
{
	# wf.py FILE...: balanced tags (void elements excepted), one <html>
	cat > wf.py <<'PY'
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.roots = [], [], 0
    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.roots += 1
        if tag not in VOID:
            self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        pass
    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes <%s> at %s" %
                (tag, self.stack[-1] if self.stack else "nothing",
                 self.getpos()))
        else:
            self.stack.pop()
bad = 0
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    p = P()
    p.feed(text)
    p.close()
    if not text.startswith("<!DOCTYPE html>"):
        p.errors.append("no doctype")
    if p.stack:
        p.errors.append("unclosed: %s" % p.stack)
    if p.roots != 1:
        p.errors.append("%d <html> elements" % p.roots)
    for e in p.errors:
        print("%s: %s" % (path, e))
        bad = 1
print("checked %d files" % len(sys.argv[1:]))
sys.exit(bad)
PY
	# rows.py FILE ID [N]: the rows of the table with that id, one line
	# each: the text of the first N cells, separated by '|'
	cat > rows.py <<'PY'
import sys
from html.parser import HTMLParser
want = sys.argv[2]
ncells = int(sys.argv[3]) if len(sys.argv) > 3 else 99
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0; self.row = None; self.cell = None; self.rows = []
    def handle_starttag(self, tag, attrs):
        if tag == "table":
            if self.depth or dict(attrs).get("id") == want:
                self.depth += 1
        elif self.depth and tag == "tr":
            self.row = []
        elif self.depth and tag in ("td", "th") and self.row is not None:
            self.cell = []
    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif self.depth and tag == "tr" and self.row is not None:
            self.rows.append("|".join(self.row[:ncells]))
            self.row = None
    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
print("\n".join(p.rows))
PY
}

CHROMIUM_FLAGS="--headless --no-sandbox --disable-gpu --disable-quic
--no-first-run --disable-background-networking --disable-component-update
--disable-sync"

# The DOM Chromium builds from file $1, into file $2.
chromium_dom()
{
	# shellcheck disable=SC2086
	timeout 120 chromium $CHROMIUM_FLAGS \
	    --user-data-dir="$(mktemp -d "$PWD/chr.XXXXXX")" \
	    --dump-dom "file://$1" > "$2" 2>chromium.err ||
	    atf_fail "chromium --dump-dom $1 failed: $(tail -5 chromium.err)"
	[ -s "$2" ] || atf_fail "chromium printed no DOM for $1"
}

SUMMARY_WANT='Section|TOTAL|PASS|FAIL|WARN|SKIP|N/A
CN-9-0|4|1|1|1|0|1
CN-9-1|2|1|0|0|1|0
All|6|2|1|1|1|1'

CASES_WANT="Case|TAHI|Title|Verdict
CN-9-0-1||Synthetic CN-9-0-1|PASS
CN-9-0-2||Synthetic CN-9-0-2|FAIL
CN-9-0-3||Synthetic CN-9-0-3|SKIP
CN-9-0-4||$HOSTILE|WARN
CN-9-1-1||Synthetic CN-9-1-1|SKIP
CN-9-1-2||Synthetic CN-9-1-2|PASS"

atf_test_case writes_well_formed_pages
writes_well_formed_pages_head()
{
	atf_set "descr" "index, one page per case and the captures are" \
	    "written; every page is well-formed and self-contained"
	atf_set "require.progs" "python3"
}
writes_well_formed_pages_body()
{
	make_results
	atf_check -s exit:0 -o empty -e empty "$MIP6REPORT" -o out res.json
	for id in CN-9-0-1 CN-9-0-2 CN-9-0-3 CN-9-0-4 CN-9-1-1 CN-9-1-2; do
		[ -s "out/cases/$id.html" ] || atf_fail "no page for $id"
	done
	atf_check -o inline:"out/cases/CN-9-0-1.html\nout/cases/CN-9-0-2.html\nout/cases/CN-9-0-3.html\nout/cases/CN-9-0-4.html\nout/cases/CN-9-1-1.html\nout/cases/CN-9-1-2.html\nout/index.html\nout/pcap/caps/link0.pcap\nout/pcap/caps2/link0.pcap\n" \
	    sh -c "find out -type f | sort"
	[ ! -e out/matrix.html ] || atf_fail "matrix.html for a single run"
	atf_check -o inline:"checked 7 files\n" python3 wf.py \
	    out/index.html out/cases/*.html
	# offline: no script, no URL that leaves the folder
	atf_check -s exit:1 grep -rlE '<script|https?://|<[a-z]+ [^>]*(src|href)=["]?[a-z]+:' out
	atf_check -o match:"Content-Security-Policy" cat out/index.html
	# the summary and the case list, as written
	atf_check -o inline:"$SUMMARY_WANT\n" python3 rows.py out/index.html summary-1
	atf_check -o inline:"$CASES_WANT\n" python3 rows.py out/index.html cases-1 4
	# a case page: spec text, verdict, reason, log, captures
	p=out/cases/CN-9-0-2.html
	atf_check -o match:'<p class="verdict v-fail" id="verdict">FAIL</p>' \
	    -o match:'expected 1 vs actual 2' \
	    -o match:'<h3>Purpose</h3><pre class="spec">Echo &lt;purpose&gt; of CN-9-0-2.</pre>' \
	    -o match:'<td class="rfc">RFC 4443 §4.2</td>' \
	    -o match:'<a href="../pcap/caps/link0.pcap">caps/link0.pcap</a>' \
	    -o match:'caps/gone.pcap \(missing\)' \
	    -o match:'<a href="../index.html">Report</a>' cat $p
	atf_check -o inline:"0.300000|recv|link0||unexpected (significant)\n0.500000|send|link0|24|ping\n0.550000|recv|link0||unexpected (significant)\n" \
	    sh -c "python3 rows.py $p log 5 | sed 1d"
	atf_check -o match:'<summary>decoded</summary><pre>ethernet 02:00:00:00:00:a0 &gt; 02:00:00:00:01:01 ethertype 0x86dd' \
	    cat $p
	atf_check -o inline:"0.100000|send|link0|24|ping\n0.150000|recv|link0||reply\n" \
	    sh -c "python3 rows.py out/cases/CN-9-0-1.html log 5 | sed 1d"
	atf_check -o match:"role ha not declared by the NUT" \
	    -o match:"nothing was sent or received" cat out/cases/CN-9-0-3.html
	atf_check cmp caps/link0.pcap out/pcap/caps/link0.pcap
	atf_check cmp caps2/link0.pcap out/pcap/caps2/link0.pcap
}

atf_test_case escapes_hostile_strings
escapes_hostile_strings_head()
{
	atf_set "descr" "titles and NUT text from the results are escaped"
	atf_set "require.progs" "python3"
}
escapes_hostile_strings_body()
{
	make_results
	atf_check -s exit:0 "$MIP6REPORT" -o out res.json
	esc='Evil &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &lt;img src=x&gt;'
	atf_check grep -qF "<td>$esc</td>" out/index.html
	atf_check grep -qF "<td>Fake node $esc</td>" out/index.html
	atf_check grep -qF "<title>CN-9-0-4 $esc</title>" \
	    out/cases/CN-9-0-4.html
	atf_check grep -qF "</span> $esc</h1>" out/cases/CN-9-0-4.html
	atf_check -s exit:1 grep -rF '<script>' out
	atf_check -s exit:1 grep -rF '<img' out
	# a control character and a quote in an attribute (the case id), and
	# a violation in a decoded frame, shown under the frame's one line
	python3 - <<'PY'
import json
d = json.load(open("res.json"))
d["cases"][0]["id"] = 'X"><b>\u0001'
d["cases"][0]["log"][0]["decoded"]["violations"] = [{"code": "x-<i>",
    "severity": "error", "clause": "RFC 8200 \u00a74.4", "offset": 56,
    "message": "bad </td> here"}]
json.dump(d, open("res.json", "w"))
PY
	atf_check -s exit:0 "$MIP6REPORT" -o out2 res.json
	atf_check -o match:'<tr data-case="X&quot;&gt;&lt;b&gt;&#xfffd;"><td><a href="cases/X___b__.html">' \
	    cat out2/index.html
	atf_check grep -qF '<ul class="viol"><li><b>x-&lt;i&gt;</b> (error, RFC 8200 §4.4): bad &lt;/td&gt; here</li></ul>' \
	    out2/cases/X___b__.html
	atf_check -o inline:"checked 1 files\n" python3 wf.py \
	    out2/cases/X___b__.html
	atf_check -o inline:"checked 1 files\n" python3 wf.py \
	    out2/index.html
}

atf_test_case digests_match_sha256sum
digests_match_sha256sum_head()
{
	atf_set "descr" "the SHA-256 digests shown are sha256sum's"
	atf_set "require.progs" "sha256sum"
}
digests_match_sha256sum_body()
{
	make_results
	atf_check -s exit:0 "$MIP6REPORT" -o out res.json
	j=$(sha256sum res.json | cut -d' ' -f1)
	p=$(sha256sum caps/link0.pcap | cut -d' ' -f1)
	atf_check -o match:"<tr><th>Results SHA-256</th><td class=\"digest\">$j</td></tr>" \
	    -o match:"<a href=\"pcap/caps/link0.pcap\">caps/link0.pcap</a></td><td class=\"digest\">$p</td>" \
	    cat out/index.html
	atf_check -o match:"SHA-256 <span class=\"digest\">$p</span>" \
	    cat out/cases/CN-9-0-1.html
	# the capture listed once in the index though two cases name it
	atf_check -o inline:"1\n" grep -c '>caps/link0.pcap</a>' out/index.html
	# another capture of the same name in another folder: kept apart
	p2=$(sha256sum caps2/link0.pcap | cut -d' ' -f1)
	[ "$p" != "$p2" ] || atf_fail "the two test captures are the same"
	atf_check -o match:"<a href=\"pcap/caps2/link0.pcap\">./caps2//link0.pcap</a></td><td class=\"digest\">$p2</td>" \
	    cat out/index.html
}

atf_test_case pcaps_beside_the_results
pcaps_beside_the_results_head()
{
	atf_set "descr" "as make run lays it out: results and pcap/ in one" \
	    "folder, the report in html/ there, captures in html/pcap/"
	atf_set "require.progs" "python3"
}
pcaps_beside_the_results_body()
{
	make_results
	mkdir -p reports/latest/pcap
	mv caps/link0.pcap reports/latest/pcap/link0.pcap
	sed 's|"caps/link0.pcap"|"reports/latest/pcap/link0.pcap"|' res.json \
	    > reports/latest/results.json
	atf_check -s exit:0 "$MIP6REPORT" -o reports/latest/html \
	    reports/latest/results.json
	atf_check cmp reports/latest/pcap/link0.pcap \
	    reports/latest/html/pcap/link0.pcap
	atf_check -o match:'<a href="../pcap/link0.pcap">reports/latest/pcap/link0.pcap</a>' \
	    cat reports/latest/html/cases/CN-9-0-1.html
	# run from elsewhere: the names are found from the results' folder
	mkdir elsewhere
	cd elsewhere
	sed 's|"reports/latest/pcap/link0.pcap"|"pcap/link0.pcap"|' \
	    ../reports/latest/results.json > ../reports/latest/r2.json
	atf_check -s exit:0 "$MIP6REPORT" -o h2 ../reports/latest/r2.json
	atf_check cmp ../reports/latest/pcap/link0.pcap h2/pcap/link0.pcap
	# the case file is not found from here: a note instead of its text
	atf_check -o match:'<p class="note">the case file cat/cases/cn/CN-9-0-1.case is not readable here</p>' \
	    cat h2/cases/CN-9-0-1.html
	# spec text carried in the results is used as it is
	python3 - <<'PY'
import json
d = json.load(open("../reports/latest/r2.json"))
d["cases"][0].update(purpose="P <1>", procedure="Q", judgement="J")
json.dump(d, open("../reports/latest/r3.json", "w"))
PY
	atf_check -s exit:0 "$MIP6REPORT" -o h3 ../reports/latest/r3.json
	atf_check -o match:'<h3>Purpose</h3><pre class="spec">P &lt;1&gt;</pre>' \
	    -o match:'<h3>Judgement</h3><pre class="spec">J</pre>' \
	    cat h3/cases/CN-9-0-1.html
}

atf_test_case matrix_of_several_runs
matrix_of_several_runs_head()
{
	atf_set "descr" "several results files: matrix.html, runs side by side"
	atf_set "require.progs" "python3"
}
matrix_of_several_runs_body()
{
	make_results
	# a second implementation: another name, one case fewer, one fixed
	python3 - <<'PY'
import json
d = json.load(open("res.json"))
d["nut"]["name"] = "other"
d["cases"] = [c for c in d["cases"] if c["id"] != "CN-9-1-2"]
d["cases"][1]["verdict"] = "PASS"
json.dump(d, open("res2.json", "w"))
PY
	atf_check -s exit:0 "$MIP6REPORT" -o out res.json res2.json
	atf_check -o inline:"checked 13 files\n" python3 wf.py \
	    out/index.html out/matrix.html out/cases/run1/*.html \
	    out/cases/run2/*.html
	atf_check -o inline:"Case|Title|fake|other
CN-9-0-1|Synthetic CN-9-0-1|PASS|PASS
CN-9-0-2|Synthetic CN-9-0-2|FAIL|PASS
CN-9-0-3|Synthetic CN-9-0-3|SKIP|SKIP
CN-9-0-4|$HOSTILE|WARN|WARN
CN-9-1-1|Synthetic CN-9-1-1|SKIP|SKIP
CN-9-1-2|Synthetic CN-9-1-2|PASS|not run
PASS|2|2
FAIL|1|0
WARN|1|1
SKIP|1|1
N/A|1|1
" python3 rows.py out/matrix.html matrix
	atf_check -o match:'<td class="verdict v-fail"><a href="cases/run1/CN-9-0-2.html">FAIL</a></td><td class="verdict v-pass"><a href="cases/run2/CN-9-0-2.html">PASS</a></td>' \
	    cat out/matrix.html
	atf_check -o match:'<a href="matrix.html">' -o match:'id="summary-2"' \
	    cat out/index.html
	atf_check -o match:'<a href="../../pcap/run1/caps/link0.pcap">' \
	    cat out/cases/run1/CN-9-0-1.html
	atf_check cmp caps/link0.pcap out/pcap/run2/caps/link0.pcap
}

atf_test_case real_catalogue_two_nuts
real_catalogue_two_nuts_head()
{
	atf_set "descr" "real cases run on the scripted node and HA:" \
	    "the matrix has every case of both, the role cases cross"
	atf_set "require.progs" "python3"
}
real_catalogue_two_nuts_body()
{
	write_helpers
	# The cases both scripted NUTs know how to answer (the rest of the
	# HA catalogue needs the reference home agent).
	for n in node ha; do
		atf_check -o ignore "$MIP6CONF" -s "$SRC/conformance/cases" \
		    -n "$SRC/conformance/nut/fake-$n.nut" --json $n.json \
		    CN-0-0-1 CN-0-1-1 CN-0-2-1 CN-0-3-1 HA-2-1-1
	done
	atf_check -s exit:0 -o empty -e empty "$MIP6REPORT" -o out \
	    node.json ha.json
	python3 -c '
import json
ids = []
for f in ("node.json", "ha.json"):
    for c in json.load(open(f))["cases"]:
        if c["id"] not in ids:
            ids.append(c["id"])
print("\n".join(ids))' > want_ids
	python3 rows.py out/matrix.html matrix 1 | sed '1d;/^[A-Z/]*$/d' \
	    > got_ids
	atf_check -o file:want_ids cat got_ids
	atf_check -o match:'^HA-2-1-1\|[^|]*\|SKIP\|PASS$' \
	    -o match:'^CN-0-1-1\|[^|]*\|PASS\|SKIP$' \
	    python3 rows.py out/matrix.html matrix
	atf_check -o match:'^HA-2-1\|1\|0\|0\|0\|0\|1$' \
	    python3 rows.py out/index.html summary-1
	atf_check -o match:'^HA-2-1\|1\|1\|0\|0\|0\|0$' \
	    python3 rows.py out/index.html summary-2
	# the decoder's violations of a frame sent with an unknown RH type
	atf_check -o match:'<ul class="viol"><li><b>rh-unknown-type</b> \(error, RFC 8200 §4.4\)' \
	    cat out/cases/run1/CN-0-3-1.html
	atf_check -o match:'<h3>Purpose</h3><pre class="spec">[^<]' \
	    -o match:'<tr><th>TAHI id</th><td>HA_2_1_1</td></tr>' \
	    cat out/cases/run2/HA-2-1-1.html
	atf_check -o match:'^checked [0-9]+ files$' python3 wf.py \
	    out/index.html out/matrix.html out/cases/*/*.html
}

atf_test_case spec_from_the_catalogue
spec_from_the_catalogue_head()
{
	atf_set "descr" "--spec writes the test specification from the case" \
	    "files: a contents table by section, every case with its text"
	atf_set "require.progs" "python3"
}
spec_from_the_catalogue_body()
{
	write_helpers
	make_catalogue
	atf_check -s exit:0 -o empty -e empty "$MIP6REPORT" -o out \
	    --spec cat/cases
	atf_check -o inline:"checked 1 files\n" python3 wf.py out/spec.html
	atf_check -s exit:1 grep -lE '<script|https?://' out/spec.html
	atf_check -o inline:"Section|Cases\nCN-9|CN-9-0-1 CN-9-0-2 CN-9-0-3 CN-9-0-4 CN-9-1-1 CN-9-1-2\n" \
	    python3 rows.py out/spec.html toc 2
	n=$(find cat/cases -name '*.case' | wc -l)
	atf_check -o inline:"$n\n" grep -c '<section class="case" id="CN-9-' \
	    out/spec.html
	atf_check -o match:'<pre class="spec purpose">Echo &lt;purpose&gt; of CN-9-0-2.</pre>' \
	    -o match:'<th>RFC</th><td>RFC 4443 §4.2</td>' \
	    -o match:'<th>Topology</th><td>one-link</td>' \
	    -o match:'<a href="#CN-9-1-2">CN-9-1-2</a>' cat out/spec.html
	# the real catalogue: one section per case, as many as case files
	atf_check -s exit:0 "$MIP6REPORT" -o real --spec "$SRC/conformance/cases"
	n=$(find "$SRC/conformance/cases" -name '*.case' | wc -l)
	atf_check -o inline:"$n\n" grep -c '<section class="case"' real/spec.html
	atf_check -o match:'<span class="id">HA-2-1-1</span>' cat real/spec.html
	# a broken case file is an error naming file and line
	printf 'case CN-9-9-9\nbogus\n' > cat/cases/cn/CN-9-9-9.case
	atf_check -s exit:1 -e match:"CN-9-9-9.case:[0-9]+: " "$MIP6REPORT" \
	    -o out2 --spec cat/cases
}

atf_test_case errors_and_usage
errors_and_usage_head()
{
	atf_set "descr" "bad input exits 1 with a message, bad usage 2"
}
errors_and_usage_body()
{
	atf_check -s exit:2 -e match:"^usage: mip6report -o DIR" \
	    "$MIP6REPORT" res.json
	atf_check -s exit:2 -e match:"^usage: " "$MIP6REPORT" -o out
	atf_check -s exit:0 -o match:"^usage: " "$MIP6REPORT" --help
	echo '{"cases": [' > bad.json
	atf_check -s exit:1 -e match:"^mip6report: bad.json: not a JSON object: " \
	    "$MIP6REPORT" -o out bad.json
	atf_check -s exit:1 -e match:"^mip6report: none.json: No such file" \
	    "$MIP6REPORT" -o out none.json
	# an empty run still gives a report
	echo '{}' > empty.json
	atf_check -s exit:0 "$MIP6REPORT" -o out empty.json
	atf_check -o match:'<tr data-section="ALL"><th>All</th><th class="n total">0</th>' \
	    cat out/index.html
}

atf_test_case help_matches_the_man_page
help_matches_the_man_page_head()
{
	atf_set "descr" "the options of --help are those of mip6report(1)"
}
help_matches_the_man_page_body()
{
	atf_check -o save:help "$MIP6REPORT" --help
	sed -n 's/^  \(-[a-z]\)[ ,].*/\1/p' help | sort > from_help
	sed -n 's/^\.It Fl \([a-z]\)\( .*\)*$/-\1/p' \
	    "$SRC/tools/mip6report/mip6report.1" | sort > from_man
	atf_check -o inline:"-h\n-o\n" cat from_help
	atf_check -o file:from_help cat from_man
}

atf_test_case chromium_renders_the_report
chromium_renders_the_report_head()
{
	atf_set "descr" "headless Chromium shows the summary counts, each" \
	    "verdict and the log rows, and a screenshot of the index"
	atf_set "timeout" "300"
}
chromium_renders_the_report_body()
{
	# Chromium is a declared dependency (mk/deps.sh): missing is a failure
	command -v chromium >/dev/null ||
	    atf_fail "chromium is not installed (run mk/deps.sh)"
	make_results
	atf_check -s exit:0 "$MIP6REPORT" -o out res.json
	chromium_dom "$PWD/out/index.html" index.dom
	atf_check -o inline:"$SUMMARY_WANT\n" python3 rows.py index.dom summary-1
	atf_check -o inline:"$CASES_WANT\n" python3 rows.py index.dom cases-1 4
	chromium_dom "$PWD/out/cases/CN-9-0-1.html" case.dom
	atf_check -o inline:"t (s)|Event|Link|Line|Template\n0.100000|send|link0|24|ping\n0.150000|recv|link0||reply\n" \
	    python3 rows.py case.dom log 5
	atf_check -o match:'<p class="verdict v-pass" id="verdict">PASS</p>' \
	    cat case.dom
	# a screenshot: a real PNG of the window size, not a blank page
	# shellcheck disable=SC2086
	timeout 120 chromium $CHROMIUM_FLAGS \
	    --user-data-dir="$(mktemp -d "$PWD/chr.XXXXXX")" \
	    --window-size=1024,768 --screenshot="$PWD/index.png" \
	    "file://$PWD/out/index.html" >/dev/null 2>chromium.err ||
	    atf_fail "chromium --screenshot failed: $(tail -5 chromium.err)"
	atf_check -o inline:"1024x768 ok\n" python3 - <<'PY'
import struct, zlib
data = open("index.png", "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
pos, idat = 8, b""
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
pixels = zlib.decompress(idat)
# text and coloured cells: many distinct byte values, a file of some size
ok = len(data) > 8000 and len(set(pixels)) > 32
print("%dx%d %s" % (w, h, "ok" if ok else "trivial (%d bytes, %d values)"
    % (len(data), len(set(pixels)))))
PY
}

atf_init_test_cases()
{
	atf_add_test_case writes_well_formed_pages
	atf_add_test_case escapes_hostile_strings
	atf_add_test_case digests_match_sha256sum
	atf_add_test_case pcaps_beside_the_results
	atf_add_test_case matrix_of_several_runs
	atf_add_test_case real_catalogue_two_nuts
	atf_add_test_case spec_from_the_catalogue
	atf_add_test_case errors_and_usage
	atf_add_test_case help_matches_the_man_page
	atf_add_test_case chromium_renders_the_report
}
