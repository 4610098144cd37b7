#!/usr/bin/env python3
"""The ticket report (--report md|html) on the lab captures.

Checked: the verdict, each failed SA's states, causes and confidences and
the frames of the stall against the --json records of the same run; the
Markdown tables keep their column counts and carry no raw HTML; the HTML
parses with balanced tags, has no script and loads nothing from outside;
--redact leaves no address or identity of the capture (and keeps the
findings); key material never appears (not the PSK, not a key from the key
file); an identity full of markup characters, in a capture built here, is
escaped in both notations and reads back unchanged.

Usage: test_report.py IKELENS [PCAPS_DIR]
"""
import html
import html.parser
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree

IKELENS = sys.argv[1]
PCAPS = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "pcaps")

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def run(args, expect=(0, 1)):
    p = subprocess.run([IKELENS, "-q"] + list(args), capture_output=True)
    if p.returncode not in expect:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(args), p.returncode,
                                                 p.stderr.decode(errors="replace")))
    return p.stdout.decode("utf-8"), p.returncode


def cap(s):
    return os.path.join(PCAPS, s, "capture.pcap")


def records(args):
    out, _ = run(["--json"] + list(args))
    return [json.loads(l) for l in out.splitlines()]


# ---- notation checks ----

CELL_SPLIT = re.compile(r"(?<!\\)\|")


def md_tables_ok(md, name):
    """Every table: header, separator, rows, all with the same cell count."""
    lines = md.split("\n")
    i = 0
    ntables = 0
    while i < len(lines):
        if not lines[i].startswith("|"):
            i += 1
            continue
        block = []
        while i < len(lines) and lines[i].startswith("|"):
            block.append(lines[i])
            i += 1
        ntables += 1
        counts = [len(CELL_SPLIT.split(l)) for l in block]
        check(len(block) >= 2 and re.fullmatch(r"\|(---\|)+", block[1]),
              "%s: table without a separator row: %r" % (name, block[0]))
        check(len(set(counts)) == 1,
              "%s: table rows with different cell counts %s: %r" % (name, counts, block[0]))
    check(ntables > 0, "%s: no table" % name)


def md_no_raw_html(md, name):
    for l in md.split("\n"):
        body = l[2:] if l.startswith("> ") else l
        check("<" not in body and ">" not in body,
              "%s: raw < or > in Markdown: %r" % (name, l))


VOID = {"meta", "br", "hr", "img", "link", "input", "wbr", "col", "area", "base", "source"}


class Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.text, self.tags = [], [], [], []
        self.attrs = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes %s" % (tag, self.stack[-1:] or "nothing"))
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def html_ok(doc, name):
    check(doc.startswith("<!DOCTYPE html>\n"), "%s: no HTML5 doctype" % name)
    check("<script" not in doc.lower(), "%s: a script element" % name)
    p = Tags()
    p.feed(doc)
    p.close()
    check(not p.errors, "%s: unbalanced tags: %s" % (name, p.errors[:3]))
    check(not p.stack, "%s: unclosed tags: %s" % (name, p.stack))
    try:  # polyglot: also well-formed XML, so strict tools read it too
        xml.etree.ElementTree.fromstring(doc.encode("utf-8"))
    except xml.etree.ElementTree.ParseError as e:
        check(False, "%s: not well-formed: %s" % (name, e))
    check("style" in p.tags and "link" not in p.tags and "img" not in p.tags,
          "%s: CSS must be inline, nothing loaded from outside" % name)
    for k, v in p.attrs:
        check(not k.startswith("on"), "%s: event handler attribute %s" % (name, k))
        if k in ("href", "src"):
            check(v is not None and v.startswith("#"),
                  "%s: link outside the document: %s=%r" % (name, k, v))
    return "".join(p.text)


def md_text(md):
    """What a reader sees: code-span marks dropped, backslash escapes and
    entities undone."""
    md = re.sub(r"(?<!\\)`", "", md)
    return html.unescape(re.sub(r"\\([\\`*_\[\]~|#+\-])", r"\1", md))


# ---- scenarios: the report against the JSON records of the same run ----

def scenario(s, keys=(), expect_verdict=None, stall_frames=None):
    args = list(keys) + [cap(s)]
    recs = records(args)
    sas = [r for r in recs if r["record"] == "ike_sa"]
    finds = {r["id"]: r for r in recs if r["record"] == "finding"}
    md, rc_md = run(["--report", "md"] + args)
    doc, rc_html = run(["--report", "html"] + args)
    name = s + (" (keys)" if keys else "")
    out_json, rc_json = run(["--json"] + args)
    check(rc_md == rc_json == rc_html, "%s: exit status differs from --json" % name)
    md_tables_ok(md, name + " md")
    md_no_raw_html(md, name + " md")
    text = html_ok(doc, name + " html")
    first = md.split("\n", 1)[0]
    check(first.startswith("# ikelens report: "), "%s: no title line: %r" % (name, first))
    if expect_verdict:
        check(expect_verdict in first, "%s: verdict %r not in %r" % (name, expect_verdict, first))
    for view, body in (("md", md_text(md)), ("html", text)):
        check("capture.pcap" in body and PCAPS not in body,
              "%s %s: the input by its base name only" % (name, view))
        for sa in sas:
            bad = sa["status"] in ("failed", "stalled") or any(
                p["status"] in ("failed", "stalled", "rejected") for p in sa["phase2"])
            for st in (sa["state_initiator"], sa["state_responder"]):
                if st:
                    check(st in body, "%s %s: state %s missing" % (name, view, st))
            check(sa["status"] in body, "%s %s: status %s missing" % (name, view, sa["status"]))
            if not bad:
                continue
            check("IKE SA %d" % sa["id"] in body, "%s %s: no section for SA %d" % (name, view, sa["id"]))
            for fid in sa["findings"]:
                f = finds[fid]
                check(f["cause"] in body, "%s %s: cause %s missing" % (name, view, f["cause"]))
                check("%s, %s" % (f["severity"], f["confidence"]) in body,
                      "%s %s: %s %s, %s missing" % (name, view, f["cause"], f["severity"],
                                                    f["confidence"]))
                frames = ", ".join(str(x) for x in f["frames"][:24])
                check(frames in body, "%s %s: frames %s of %s missing" % (name, view, frames,
                                                                            f["cause"]))
                for alt in f["alternatives"]:
                    check(alt in body, "%s %s: alternative %s missing" % (name, view, alt))
                for vendor in f["remedy"]:
                    check(vendor in body, "%s %s: fix for %s missing" % (name, view, vendor))
    if stall_frames:
        for view, body in (("md", md_text(md)), ("html", text)):
            check(stall_frames in body, "%s %s: stall frames %r missing" % (name, view, stall_frames))
    for fl in (r for r in recs if r["record"] == "esp_flow"):
        check(fl["spi"] in md and fl["spi"] in text, "%s: ESP flow %s missing" % (name, fl["spi"]))
    return md, text


scenario("ikev1-main-psk-mismatch",
         expect_verdict="1 of 1 IKE SA failed: psk_mismatch (likely)",
         stall_frames="no further than frame 5 (MM5 from the initiator), sent 6 times: "
                      "frames 5, 7, 9, 11, 13, 15; the SA's last frame is 16")
md, text = scenario("ikev2-psk-ok", expect_verdict="No IKE SA failed: 1 IKE SA (1 established)")
check("## IKE SA 1" not in md, "ikev2-psk-ok: an established SA gets no failure section")
check("cb834698" in md and "ccad5329" in md, "ikev2-psk-ok: the ESP flows table")
scenario("ikev1-qm-proxy-id-mismatch", expect_verdict="1 of 1 IKE SA failed: p2_rejected (likely)")
md, text = scenario("ikev1-qm-proxy-id-mismatch",
                    keys=["--keys", os.path.join(PCAPS, "ikev1-qm-proxy-id-mismatch", "initiator.log")],
                    expect_verdict="1 of 1 IKE SA failed: proxy_id_mismatch (certain)")
check("QM_WAIT_MSG2" in text and "INVALID-ID-INFORMATION" in text,
      "ikev1-qm-proxy-id-mismatch: the rejected quick mode, its state and notify")
check("10.1.0.0/24 ↔ 10.2.0.0/24" in text, "ikev1-qm-proxy-id-mismatch: the proxy IDs")
scenario("ikev2-unreachable", expect_verdict="1 of 1 IKE SA failed: peer_unreachable (certain)",
         stall_frames="sent 6 times: frames 1, 3, 5, 7, 9, 11")
scenario("ikev1-main-id-mismatch",
         keys=["--keys", os.path.join(PCAPS, "ikev1-main-id-mismatch", "initiator.log")],
         expect_verdict="id_mismatch (certain)")

# ---- redaction ----

ORIGINAL = ["192.0.2.10", "203.0.113.20", "10.1.0.0", "10.2.0.0", "192.0.2.1",
            "west.example.com", "east.example.com", "branch.example.com"]
for s in ("ikev1-qm-proxy-id-mismatch", "ikev1-main-id-mismatch", "ikev2-psk-ok",
          "ikev1-main-psk-mismatch", "ikev2-unreachable", "ikev2-ts-unacceptable"):
    log = os.path.join(PCAPS, s, "initiator.log")
    args = ["--redact", "--keys", log, cap(s)]
    recs = records(args[1:])
    causes = {r["cause"] for r in recs if r["record"] == "finding"}
    for fmt in ("md", "html"):
        out, _ = run(["--report", fmt] + args)
        name = "%s --redact %s" % (s, fmt)
        for o in ORIGINAL:
            check(o not in out, "%s: %s appears" % (name, o))
        check(not re.search(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b",
                            re.sub(r"255\.255\.255\.\d+|0\.0\.0\.0", "", out)),
              "%s: an IPv4 address remains" % name)
        check("Redacted" in out and "peer-A" in out and "peer-B" in out,
              "%s: no redaction notice or placeholders" % name)
        for c in causes:
            check(c in out, "%s: finding %s lost" % (name, c))
        if fmt == "md":
            md_tables_ok(out, name)
        else:
            html_ok(out, name)
# the same address gets the same placeholder everywhere
md, _ = run(["--report", "md", "--redact", "--keys",
             os.path.join(PCAPS, "ikev1-main-id-mismatch", "initiator.log"),
             cap("ikev1-main-id-mismatch")])
check("| 1 | peer-A | peer-B |" in md and "tunnel-group peer-A " in md and
      re.search(r"identity id-1\b", md) is not None and "initiator id-1" in md,
      "redaction is not consistent between the table, the identities and the fixes")

# ---- secrets never leave ----

tmp = tempfile.mkdtemp()
try:
    for s, secret in (("ikev1-main-psk-mismatch", "ikelens-lab-secret-1"),
                      ("ikev2-auth-failed", "ikelens-lab-secret-1"),
                      ("ikev1-main-psk-ok", None), ("ikev2-psk-ok", None)):
        e = json.load(open(os.path.join(PCAPS, s, "expected.json")))
        secret = secret or e.get("psk_initiator")
        log = os.path.join(PCAPS, s, "initiator.log")
        hexes = set(re.findall(r"\b[0-9a-fA-F]{32,}\b", open(log).read()))
        keys = json.load(open(os.path.join(PCAPS, s, "keys.json")))
        for side in keys.values():
            for sa in side:
                for v in sa.get("keys", {}).values():
                    if isinstance(v, str) and len(v) >= 32:
                        hexes.add(v)
        check(len(hexes) >= 3, "%s: too few keys in the log to test with" % s)
        psks = os.path.join(tmp, "psks")
        with open(psks, "w") as f:
            f.write("203.0.113.20 %s\n" % e.get("psk_initiator"))
            f.write("192.0.2.10 %s\n" % e.get("psk_responder"))
        os.chmod(psks, 0o600)
        for extra in (["--psk", secret], ["--psk-file", psks]):
            for fmt in ("md", "html"):
                out, _ = run(["--report", fmt, "--keys", log] + extra + [cap(s)])
                name = "%s %s %s" % (s, extra[0], fmt)
                for sec in {e.get("psk_initiator"), e.get("psk_responder"), secret} - {None}:
                    check(sec not in out, "%s: a PSK appears" % name)
                low = out.lower()
                for h in hexes:
                    check(h.lower() not in low and h.lower()[:32] not in low,
                          "%s: key %s... appears" % (name, h[:12]))
                check(tmp not in out and PCAPS not in out,
                      "%s: a directory of this machine appears" % name)
                if extra[0] == "--psk-file" and s == "ikev2-auth-failed":
                    check("(psks:1)" in out and "(psks:2)" in out,
                          "%s: PSK origins not shown as file:line" % name)
finally:
    shutil.rmtree(tmp)

# ---- a hostile identity, in a capture built here ----


def ike_am1(ident):
    """IKEv1 aggressive mode, first message: SA (one AES/SHA1/MODP1024 PSK
    transform), KE, Ni, ID (FQDN) -- RFC 2408 3.1-3.12, RFC 2409 5.4."""
    def pld(nxt, body):
        return struct.pack("!BBH", nxt, 0, 4 + len(body)) + body
    attrs = b"".join(struct.pack("!HH", 0x8000 | t, v) for t, v in
                     [(1, 7), (14, 128), (2, 2), (3, 1), (4, 2), (11, 1), (12, 28800)])
    xf = struct.pack("!BBHBBH", 0, 0, 8 + len(attrs), 1, 1, 0) + attrs
    prop = struct.pack("!BBHBBBB", 0, 0, 8 + len(xf), 1, 1, 0, 1) + xf
    body = (pld(4, struct.pack("!II", 1, 1) + prop) + pld(10, bytes(range(128))) +
            pld(5, bytes(range(16))) + pld(0, struct.pack("!BBH", 2, 17, 500) + ident))
    return (bytes.fromhex("1122334455667788") + bytes(8) +
            struct.pack("!BBBBII", 1, 0x10, 4, 0, 0, 28 + len(body)) + body)


def ip_csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def udp_frame(src, dst, payload):
    udp = struct.pack("!HHHH", 500, 500, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                     bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack("!H", ip_csum(ip)) + ip[12:]
    return bytes.fromhex("020000000001020000000002") + b"\x08\x00" + ip + udp


def udp6_frame(src, dst, payload):
    """IPv6 + UDP 500 (the UDP checksum is mandatory over IPv6, RFC 8200 8.1)."""
    udp = struct.pack("!HHHH", 500, 500, 8 + len(payload), 0) + payload
    pseudo = src + dst + struct.pack("!IxxxB", len(udp), 17) + udp
    if len(pseudo) % 2:
        pseudo += b"\0"
    ck = ip_csum(pseudo) or 0xffff
    udp = udp[:6] + struct.pack("!H", ck) + udp[8:]
    ip6 = struct.pack("!IHBB", 6 << 28, len(udp), 17, 64) + src + dst
    return bytes.fromhex("020000000001020000000002") + b"\x86\xdd" + ip6 + udp


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for t, fr in frames:
            f.write(struct.pack("<IIII", t, 0, len(fr), len(fr)) + fr)


IDENT = 'a<b>&"c|d`e*f_[g](h)\'i'
tmp = tempfile.mkdtemp()
try:
    path = os.path.join(tmp, "hostile.pcap")
    fr = udp_frame([198, 51, 100, 1], [198, 51, 100, 2], ike_am1(IDENT.encode()))
    write_pcap(path, [(1700000000 + k, fr) for k in (0, 1, 3)])
    recs = records([path])
    check(any(r["record"] == "packet" and r.get("ike", {}).get("payloads") and
              any(p.get("id") == IDENT for p in r["ike"]["payloads"]) for r in recs),
          "hostile.pcap: the crafted AM1 does not parse with its identity")
    md, _ = run(["--report", "md", path])
    doc, _ = run(["--report", "html", path])
    md_tables_ok(md, "hostile md")
    md_no_raw_html(md, "hostile md")
    check(IDENT not in md and IDENT not in doc, "hostile: the identity is written unescaped")
    check("a&lt;b&gt;&amp;\"c\\|d\\`e\\*f\\_\\[g\\](h)'i" in md,
          "hostile md: the identity is not escaped as expected")
    check("a&lt;b&gt;&amp;&quot;c|d`e*f_[g](h)&#39;i" in doc,
          "hostile html: the identity is not escaped as expected")
    check(IDENT in md_text(md), "hostile md: the escaped identity does not read back")
    check(IDENT in html_ok(doc, "hostile html"), "hostile html: the identity does not read back")
    check(tmp not in md and tmp not in doc, "hostile: the capture's directory appears")
    red, _ = run(["--report", "md", "--redact", path])
    check("a&lt;b" not in red and "initiator id-1" in red and "198.51.100" not in red,
          "hostile --redact: the identity or an address remains")
    # IPv6 peers: shown in RFC 5952 form, and redacted wherever they appear
    import ipaddress
    a6, b6 = ipaddress.ip_address("2001:db8:1::10"), ipaddress.ip_address("2001:db8:2::20")
    path6 = os.path.join(tmp, "v6.pcap")
    fr = udp6_frame(a6.packed, b6.packed, ike_am1(b"gw6.example.net"))
    write_pcap(path6, [(1700000000 + k, fr) for k in (0, 1, 3)])
    md, _ = run(["--report", "md", path6])
    check("2001:db8:1::10" in md and "2001:db8:2::20" in md and "gw6.example.net" in md,
          "v6: the IPv6 peers or the identity are missing")
    for fmt in ("md", "html"):
        red, _ = run(["--report", fmt, "--redact", path6])
        check("2001:db8" not in red.lower() and "gw6" not in red and "peer-A" in red,
              "v6 --redact %s: an IPv6 address or the identity remains" % fmt)
finally:
    shutil.rmtree(tmp)

if failures:
    for f in failures:
        print("FAIL:", f)
    sys.exit(1)
print("report: all checks passed")
