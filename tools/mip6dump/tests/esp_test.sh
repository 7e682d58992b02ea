#! /usr/bin/env atf-sh
#
# esp_test.sh - mip6dump --esp-sa on the helper's ESP capture (a home
# registration protected as RFC 3776 says: the BU sealed with SA1, AES-CBC
# and HMAC-SHA1-96, the BA with SA2, 3DES-CBC; the same BA with a forged
# ICV; ESP of an SPI no SA is given for; the BU in the clear): the
# protected messages print decrypted, the forged one is the violation
# esp-open, and tshark (Debian's 4.0, its esp_sa table) decrypts the same
# capture to the same SPIs, sequence numbers, padding, next header and
# Mobility Header fields, and finds the same ICV bad: the independent
# check.  Without --esp-sa the output is what it always was.

MIP6DUMP=@BUILDDIR@/mip6dump
HELPER=@BUILDDIR@/tools/mip6dump/tests/mkpcap_helper
PYTHON=/usr/bin/python3

# The helper's SAs (mkpcap_helper.c ESP_SA1, ESP_SA2).
SA1=0x1000:aes-cbc:0x0102030405060708090a0b0c0d0e0f10:hmac-sha1:0x2122232425262728292a2b2c2d2e2f3031323334
SA2=0x1001:3des-cbc:0x0102030405060708090a0b0c0d0e0f101112131415161718:hmac-sha1:0x2122232425262728292a2b2c2d2e2f3031323334
UAT1='"IPv6","*","*","0x00001000","AES-CBC [RFC3602]","0x0102030405060708090a0b0c0d0e0f10","HMAC-SHA-1-96 [RFC2404]","0x2122232425262728292a2b2c2d2e2f3031323334"'
UAT2='"IPv6","*","*","0x00001001","TripleDES-CBC [RFC2451]","0x0102030405060708090a0b0c0d0e0f101112131415161718","HMAC-SHA-1-96 [RFC2404]","0x2122232425262728292a2b2c2d2e2f3031323334"'

capture() {
	atf_check "$HELPER" esp esp.pcap
}

atf_test_case decrypted
decrypted_head() {
	atf_set descr "with the SAs the BU and BA print decrypted; a forged" \
	    "ICV is the violation esp-open; an SPI without SA stays opaque"
}
decrypted_body() {
	capture
	cat > want <<'END'
1 1700000000.000000 2001:db8:2::100 > 2001:db8:1::1: ESP spi=0x00001000 seq=1 BU seq=7 A H lifetime=400s hoa=2001:db8:1::100 acoa=2001:db8:2::100
2 1700000000.010000 2001:db8:1::1 > 2001:db8:2::100: ESP spi=0x00001001 seq=1 BA status=0 seq=7 lifetime=400s rh2=2001:db8:1::100
3 1700000000.020000 2001:db8:1::1 > 2001:db8:2::100: ESP spi=0x00001001 seq=1 len 44
packet 3: ESP with SPI 4097 not opened with its SA: integrity check value does not match [error esp-open, RFC 4303 §3.4, offset 78]
4 1700000000.030000 2001:db8:2::100 > 2001:db8:1::1: ESP spi=0x00003000 seq=2 len 76
5 1700000000.040000 2001:db8:2::100 > 2001:db8:1::1: BU seq=8 A H lifetime=400s hoa=2001:db8:1::100 acoa=2001:db8:2::100
END
	atf_check -o file:want "$MIP6DUMP" -a --esp-sa "$SA1" \
	    --esp-sa "$SA2" esp.pcap
	# the default selection: all five carry a HAO, an RH2 or a BU
	atf_check -o inline:"1 2 3 4 5 \n" -e ignore sh -c "'$MIP6DUMP' \
	    --esp-sa '$SA1' --esp-sa '$SA2' esp.pcap | grep -v '^packet' | \
	    cut -d' ' -f1 | tr '\n' ' '; echo"
	# --check: one packet with a violation, exit 1
	atf_check -s exit:1 -o match:"^packet 3: ESP with SPI 4097" \
	    -e match:"5 packets, 5 mobility packets, 1 with violations" \
	    "$MIP6DUMP" --check --esp-sa "$SA1" --esp-sa "$SA2" esp.pcap
	# one SA only: the BA stays opaque, without a violation
	atf_check -o match:"^2 .*: ESP spi=0x00001001 seq=1 len 44$" \
	    -o not-match:"^packet" "$MIP6DUMP" -a --esp-sa "$SA1" esp.pcap
}

atf_test_case unchanged_without_keys
unchanged_without_keys_head() {
	atf_set descr "without --esp-sa ESP prints as SPI and sequence number" \
	    "only, as before"
}
unchanged_without_keys_body() {
	capture
	cat > want <<'END'
1 1700000000.000000 2001:db8:2::100 > 2001:db8:1::1: ESP spi=0x00001000 seq=1 len 76
2 1700000000.010000 2001:db8:1::1 > 2001:db8:2::100: ESP spi=0x00001001 seq=1 len 44
3 1700000000.020000 2001:db8:1::1 > 2001:db8:2::100: ESP spi=0x00001001 seq=1 len 44
4 1700000000.030000 2001:db8:2::100 > 2001:db8:1::1: ESP spi=0x00003000 seq=2 len 76
5 1700000000.040000 2001:db8:2::100 > 2001:db8:1::1: BU seq=8 A H lifetime=400s hoa=2001:db8:1::100 acoa=2001:db8:2::100
END
	atf_check -o file:want "$MIP6DUMP" -a esp.pcap
	atf_check -o not-match:'"opened"' "$MIP6DUMP" -a -j -v esp.pcap
}

atf_test_case tshark_agrees
tshark_agrees_head() {
	atf_set descr "tshark decrypts the capture with the same SAs to the" \
	    "same ESP and Mobility Header fields and the same bad ICV"
	atf_set require.progs tshark
}
tshark_agrees_body() {
	capture
	# frame spi seq pad_len nh icv_good mhtype bu_seq ba_seq status acoa
	tshark -r esp.pcap -o esp.enable_encryption_decode:TRUE \
	    -o esp.enable_authentication_check:TRUE \
	    -o "uat:esp_sa:$UAT1" -o "uat:esp_sa:$UAT2" -T fields \
	    -E separator=, -e frame.number -e esp.spi -e esp.sequence \
	    -e esp.pad_len -e esp.protocol -e esp.icv_good -e mip6.mhtype \
	    -e mip6.bu.seqnr -e mip6.ba.seqnr -e mip6.ba.status \
	    -e mip6.acoa.acoa > tshark.txt 2>/dev/null ||
	    atf_fail "tshark failed"
	atf_check -o save:dump.json "$MIP6DUMP" -a -j -v --esp-sa "$SA1" \
	    --esp-sa "$SA2" esp.pcap
	cat > same.py <<'END'
import json, sys

def mine(rec):
    """The tshark columns from one mip6dump -j -v record."""
    p = rec["packet"]
    esp = [l for l in p["layers"] if l["kind"] == "esp"]
    viol = [v["code"] for v in p.get("violations", [])]
    mh = p.get("mh")
    row = [str(rec["n"])]
    if esp:
        e = esp[0]
        row += ["0x%08x" % e["spi"], str(e["seq"])]
        if e.get("opened"):
            row += [str(e["pad_len"]), "0x%02x" % e["nh"], "1"]
        elif "esp-open" in viol:    # tshark decrypts, the ICV is bad
            row += [None, None, "0"]
        else:
            row += ["", "", ""]
    else:
        row += ["", "", "", "", ""]
    if mh:
        row += [str(mh["type"]), str(mh["seq"]) if mh["type"] == 5 else "",
                str(mh["seq"]) if mh["type"] == 6 else "",
                str(mh["status"]) if mh["type"] == 6 else ""]
        acoa = [o["addr"] for o in mh["options"] if o["abbrev"] == "acoa"]
        row.append(acoa[0] if acoa else "")
    else:
        row += [None] * 5 if "esp-open" in viol else [""] * 5
    return row

dump = [json.loads(l) for l in open("dump.json")]
ts = [l.rstrip("\n").split(",") for l in open("tshark.txt")]
assert len(dump) == len(ts) == 5, (len(dump), len(ts))
for rec, t in zip(dump, ts):
    m = mine(rec)
    for i, (a, b) in enumerate(zip(m, t)):
        # None: what tshark decodes of a forged packet that mip6dump
        # rightly refuses to (RFC 4303 §3.4.4.1: ICV before decryption)
        if a is not None and a != b:
            sys.exit("frame %s column %d: mip6dump %r, tshark %r"
                     % (rec["n"], i, a, b))
print("agree")
END
	atf_check -o inline:"agree\n" "$PYTHON" same.py
	# and the test can fail: tshark without SA2 does not decrypt the BA
	tshark -r esp.pcap -o esp.enable_encryption_decode:TRUE \
	    -o esp.enable_authentication_check:TRUE \
	    -o "uat:esp_sa:$UAT1" -T fields -E separator=, -e frame.number \
	    -e esp.spi -e esp.sequence -e esp.pad_len -e esp.protocol \
	    -e esp.icv_good -e mip6.mhtype -e mip6.bu.seqnr -e mip6.ba.seqnr \
	    -e mip6.ba.status -e mip6.acoa.acoa > tshark.txt 2>/dev/null
	atf_check -s exit:1 -e match:"^frame 2 column 3" "$PYTHON" same.py
}

atf_init_test_cases() {
	atf_add_test_case decrypted
	atf_add_test_case unchanged_without_keys
	atf_add_test_case tshark_agrees
}
