#!/usr/bin/env python3
"""The command line as a user meets it: usage errors, bad input, stdin, -c,
-w, several inputs, exit status, and --help against the man page.

Usage: test_cli.py IKELENS PCAPS_DIR MANPAGE
Values come from the lab captures (tests/pcaps, labelled from the daemons'
logs) and from tshark on the same files where tshark is installed.
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

IKELENS, PCAPS, MAN = sys.argv[1], sys.argv[2], sys.argv[3]
fails = []
checks = 0


def check(ok, what):
    global checks
    checks += 1
    if not ok:
        fails.append(what)


def run(args, stdin=None):
    p = subprocess.run([IKELENS] + args, input=stdin, capture_output=True)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode(
        "utf-8", "replace")


def records(out):
    return [json.loads(l) for l in out.splitlines() if l.strip()]


def cap(name):
    return os.path.join(PCAPS, name, "capture.pcap")


OK = cap("ikev2-psk-ok")
BAD = cap("ikev1-main-psk-mismatch")
for c in (OK, BAD):
    if not os.path.exists(c):
        print("SKIP: lab captures missing")
        sys.exit(77)

def ike_payloads(path):
    """UDP payloads of a classic pcap of Ethernet/IPv4/UDP frames."""
    data = open(path, "rb").read()
    off, out = 24, []
    while off + 16 <= len(data):
        incl = struct.unpack("<I", data[off + 8:off + 12])[0]
        fr = data[off + 16:off + 16 + incl]
        off += 16 + incl
        ihl = (fr[14] & 15) * 4
        if fr[12:14] == b"\x08\x00" and fr[23] == 17:
            out.append(fr[14 + ihl + 8:])
    return out


def live_check(tmp):
    """-i lo: an IKE_SA_INIT request and its answer sent through the loopback
    interface while ikelens captures (root only; skipped otherwise)."""
    import socket
    import time
    if os.geteuid() != 0:
        print("live: skipped (needs root to capture and to bind UDP 500)")
        return
    resp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        resp.bind(("127.0.0.1", 500))
    except OSError as e:
        print("live: skipped (UDP 500 on 127.0.0.1: %s)" % e)
        return
    init = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    init.bind(("127.0.0.1", 0))
    req, rsp = ike_payloads(OK)[:2]
    wout = os.path.join(tmp, "live.pcap")
    p = subprocess.Popen([IKELENS, "--json", "-i", "lo", "-c", "2", "-w", wout],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 10
        out = b""
        # the capture starts asynchronously: send until ikelens has its two frames
        while p.poll() is None and time.time() < deadline:
            init.sendto(req, ("127.0.0.1", 500))
            data, peer = resp.recvfrom(65535)
            resp.sendto(rsp, peer)
            init.recvfrom(65535)
            time.sleep(0.3)
        out, err = p.communicate(timeout=5)
    finally:
        if p.poll() is None:
            p.kill()
        resp.close()
        init.close()
    recs = records(out.decode())
    pk = [r for r in recs if r["record"] == "packet"]
    filerecs = [r for r in records(run(["--json", "-c", "2", OK])[1])
                if r["record"] == "packet"]
    check(p.returncode in (0, 1), "live: exit %d %r" % (p.returncode, err[:200]))
    check(len(pk) == 2, "live: %d packet records" % len(pk))
    if len(pk) == 2:
        for a, b in zip(pk, filerecs):
            check(a["ike"]["ispi"] == b["ike"]["ispi"] and
                  a["ike"]["rspi"] == b["ike"]["rspi"] and
                  a["ike"]["exchange"] == b["ike"]["exchange"],
                  "live: frame %d differs from the file's" % a["frame"])
        check(pk[0]["dport"] == 500 and pk[1]["sport"] == 500, "live: ports")
    check(any(r["record"] == "ike_sa" for r in recs), "live: no ike_sa record")
    w = run(["--json", wout])[1]
    check(len([r for r in records(w) if r["record"] == "packet"]) == 2,
          "live -w: the written capture does not hold the two frames")


tmp = tempfile.mkdtemp()
try:
    # ---- usage errors: status 2, one line on stderr, nothing on stdout ----
    usage = [
        (["--bogus", OK], "unknown option --bogus"),
        ([], "no capture file given"),
        (["--psk", "x", "--psk-file", "/dev/null", OK], "give one of them"),
        (["--redact", OK], "--redact applies to --report"),
        (["-w", os.path.join(tmp, "w.pcap"), OK, BAD], "-w takes one input"),
        (["--sa", "--json", OK], "--sa and --json"),
        (["--report", "pdf", OK], "pdf"),
        (["-c", "many", OK], "many"),
    ]
    for args, msg in usage:
        rc, out, err = run(args)
        name = " ".join(a if a != OK else "OK" for a in args) or "(no args)"
        check(rc == 2, "%s: exit %d, expected 2" % (name, rc))
        check(out == "", "%s: wrote to stdout: %r" % (name, out[:80]))
        check(msg in err and err.startswith("ikelens: "),
              "%s: stderr %r lacks %r" % (name, err, msg))

    rc, out, err = run(["--help"])
    check(rc == 0 and out.startswith("usage: ikelens"), "--help")
    help_text = out
    rc, out, err = run(["--version"])
    check(rc == 0 and re.match(r"ikelens \d+\.\d+\.\d+", out), "--version: %r" % out)

    # every long option of --help is in the man page, and the reverse
    man = open(MAN).read().replace("\\-", "-")
    in_help = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", help_text))
    in_man = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", man))
    check(in_help - in_man == set(), "options in --help, not in the man page: %s"
          % sorted(in_help - in_man))
    check(in_man - in_help == set(), "options in the man page, not in --help: %s"
          % sorted(in_man - in_help))
    short_help = set(re.findall(r"^\s+(-[a-zA-Z])\b", help_text, re.M))
    for s in short_help:
        check(re.search(r"\.B[IR]? " + re.escape(s) + r"\b", man) is not None
              or ("B " + s) in man, "short option %s not in the man page" % s)

    # ---- bad input ----
    rc, out, err = run([os.path.join(tmp, "missing.pcap")])
    check(rc == 2 and out == "" and "missing.pcap: cannot open" in err,
          "missing file: %d %r %r" % (rc, out, err))
    notcap = os.path.join(tmp, "notes.txt")
    open(notcap, "w").write("not a capture\n" * 10)
    rc, out, err = run([notcap])
    check(rc == 2 and out == "" and "unknown file format" in err,
          "text file: %d %r" % (rc, err))
    # a file cut in the middle of a record: what was read is analysed
    data = open(BAD, "rb").read()
    cut = os.path.join(tmp, "cut.pcap")
    # the records of the first 3 frames, then half of the 4th
    off = 24
    for _ in range(3):
        incl = struct.unpack("<I", data[off + 8:off + 12])[0]
        off += 16 + incl
    open(cut, "wb").write(data[:off + 30])
    rc, out, err = run(["--json", cut])
    pk = [r for r in records(out) if r["record"] == "packet"]
    check(rc == 2, "cut file: exit %d, expected 2" % rc)
    check([p["frame"] for p in pk] == [1, 2, 3], "cut file: frames %r" %
          [p["frame"] for p in pk])
    check("truncated" in err and "cut.pcap" in err, "cut file: stderr %r" % err)
    # one good and one missing input: the good one is analysed, status 2
    rc, out, err = run(["--json", OK, os.path.join(tmp, "missing.pcap")])
    check(rc == 2 and any(r["record"] == "ike_sa" for r in records(out)),
          "good + missing input: %d" % rc)

    # ---- exit status from the analysis ----
    rc, out, _ = run(["-q", OK])
    check(rc == 0, "established capture: exit %d" % rc)
    rc, out, _ = run(["-q", BAD])
    check(rc == 1, "failed capture: exit %d" % rc)

    # ---- stdin gives the same records as the file ----
    rc1, out1, _ = run(["--json", BAD])
    rc2, out2, _ = run(["--json", "-"], stdin=open(BAD, "rb").read())
    check(rc1 == rc2 and out1 == out2, "stdin differs from the file")

    # ---- -c ----
    rc, out, _ = run(["--json", "-c", "3", BAD])
    pk = [r["frame"] for r in records(out) if r["record"] == "packet"]
    check(pk == [1, 2, 3], "-c 3: frames %r" % pk)

    # ---- -t: absolute UTC times, same instant as the JSON record ----
    rc, out, _ = run(["-q", "-t", BAD])
    first = out.splitlines()[0]
    ts = records(run(["--json", "-c", "1", BAD])[1])[0]["time"]
    check(ts[11:26] in first, "-t: %r lacks %r" % (first, ts[11:26]))

    # ---- several inputs: every record names its file ----
    rc, out, _ = run(["--json", OK, BAD])
    recs = records(out)
    check(recs and all("file" in r for r in recs), "two inputs: records without file")
    # CONTRACT.md: the 0-based index of the input
    check({r["file"] for r in recs if r["record"] == "packet"} == {0, 1},
          "two inputs: files %r" % {r.get("file") for r in recs})

    # ---- -w: only the frames that matched, as read ----
    # the lab capture plus a DNS query and an ARP frame, which -w leaves out
    src = open(OK, "rb").read()
    hdr, body = src[:24], src[24:]
    ts0 = struct.unpack("<I", body[:4])[0]
    eth = bytes(6) + bytes([2, 0, 0, 0, 0, 1]) + b"\x08\x00"
    udp_payload = b"\x12\x34\x01\x00\x00\x01" + bytes(6) + b"\x03www\x00\x00\x01\x00\x01"
    ip_len = 20 + 8 + len(udp_payload)
    iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, ip_len, 1, 0, 64, 17, 0,
                      bytes([192, 0, 2, 10]), bytes([192, 0, 2, 53]))
    csum = 0
    for i in range(0, 20, 2):
        csum += (iph[i] << 8) | iph[i + 1]
    csum = (csum & 0xffff) + (csum >> 16)
    iph = iph[:10] + struct.pack("!H", ~csum & 0xffff) + iph[12:]
    dns = eth + iph + struct.pack("!HHHH", 33000, 53, 8 + len(udp_payload), 0) + udp_payload
    arp = b"\xff" * 6 + bytes([2, 0, 0, 0, 0, 1]) + b"\x08\x06" + bytes(28)
    extra = b""
    for frame in (dns, arp):
        extra += struct.pack("<IIII", ts0, 1, len(frame), len(frame)) + frame
    mixed = os.path.join(tmp, "mixed.pcap")
    open(mixed, "wb").write(hdr + extra + body)
    wout = os.path.join(tmp, "w.pcap")
    rc, out, err = run(["-q", "-w", wout, mixed])
    check(rc == 0 and os.path.exists(wout), "-w: exit %d %r" % (rc, err))
    w = open(wout, "rb").read()
    check(w[24:] == body, "-w: the written frames are not the IKE/ESP frames as read "
          "(%d bytes, expected %d)" % (len(w) - 24, len(body)))
    a = [r for r in records(run(["--json", OK])[1]) if r["record"] != "packet"]
    b = [r for r in records(run(["--json", wout])[1]) if r["record"] != "packet"]
    for r in a + b:
        r.pop("file", None)
    check(a == b, "-w: the written capture analyses differently")
    if shutil.which("tshark"):
        p = subprocess.run(["tshark", "-r", wout, "-T", "fields", "-e", "frame.number"],
                           capture_output=True)
        n = len(p.stdout.split())
        q = subprocess.run(["tshark", "-r", OK, "-T", "fields", "-e", "frame.number"],
                           capture_output=True)
        check(p.returncode == 0 and n == len(q.stdout.split()),
              "-w: tshark reads %d frames, the source has %d" % (n, len(q.stdout.split())))
    rc, out, err = run(["-q", "-w", os.path.join(tmp, "no", "such", "dir.pcap"), OK])
    check(rc == 2 and "dir.pcap" in err, "-w to a missing folder: %d %r" % (rc, err))
    live_check(tmp)
finally:
    shutil.rmtree(tmp)

for f in fails:
    print("FAIL: " + f)
print("cli: %d checks, %d failed" % (checks, len(fails)))
sys.exit(1 if fails else 0)
