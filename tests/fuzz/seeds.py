#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, taken from real captures.

usage: seeds.py OUTDIR CAPTURE_OR_DIR...

Writes OUTDIR/ike/ (option byte + one ISAKMP message per file, for fuzz_ike),
OUTDIR/packet/ (link byte + up to 24 frames as length-prefixed records, for
fuzz_packet) and OUTDIR/net/ (fuzz_net's format).  Reads pcap and pcapng,
gzip-compressed or not; directories are searched for captures.  Missing
paths are skipped (the shared corpus is optional).
"""
import gzip
import hashlib
import os
import struct
import sys

CAPTURE_EXT = (".pcap", ".pcapng", ".cap", ".pcap.gz", ".pcapng.gz")


def read_frames(path):
    """(linktype, [frame bytes]) for pcap/pcapng; linktype of the first interface."""
    raw = open(path, "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    frames = []
    magic = raw[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        le = magic[0] in (0xd4, 0x4d)
        e = "<" if le else ">"
        link = struct.unpack(e + "I", raw[20:24])[0] & 0x0fffffff
        off = 24
        while off + 16 <= len(raw):
            _, _, incl, _ = struct.unpack(e + "IIII", raw[off:off + 16])
            off += 16
            frames.append(raw[off:off + incl])
            off += incl
        return link, frames
    if magic == b"\x0a\x0d\x0d\x0a":
        e = "<" if raw[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
        off, link = 0, 1
        while off + 12 <= len(raw):
            btype, blen = struct.unpack(e + "II", raw[off:off + 8])
            if blen < 12:
                break
            body = raw[off + 8:off + blen - 4]
            if btype == 1:
                link = struct.unpack(e + "H", body[:2])[0]
            elif btype == 6:
                incl = struct.unpack(e + "I", body[12:16])[0]
                frames.append(body[20:20 + incl])
            elif btype == 3:
                incl = struct.unpack(e + "I", body[:4])[0]
                frames.append(body[4:4 + incl])
            off += blen
        return link, frames
    return None, []


def l3(link, f):
    if link == 1:
        off, et = 12, None
        while off + 2 <= len(f):
            et = struct.unpack(">H", f[off:off + 2])[0]
            if et in (0x8100, 0x88a8):
                off += 4
                continue
            return f[off + 2:]
        return b""
    if link in (12, 14, 101, 228, 229):
        return f
    if link in (0, 108):
        return f[4:]
    if link == 113:
        return f[16:]
    if link == 276:
        return f[20:]
    return b""


def udp_payload(pkt):
    if not pkt:
        return None
    v = pkt[0] >> 4
    if v == 4 and len(pkt) >= 20:
        ihl = (pkt[0] & 15) * 4
        if pkt[9] != 17 or (struct.unpack(">H", pkt[6:8])[0] & 0x1fff):
            return None
        u = pkt[ihl:]
    elif v == 6 and len(pkt) >= 40:
        if pkt[6] != 17:
            return None
        u = pkt[40:]
    else:
        return None
    if len(u) < 8:
        return None
    sp, dp = struct.unpack(">HH", u[:4])
    body = u[8:]
    if 500 in (sp, dp):
        return body
    if 4500 in (sp, dp) and body[:4] == b"\0\0\0\0":
        return body[4:]
    return None


def captures(paths):
    for p in paths:
        if os.path.isfile(p) and p.endswith(CAPTURE_EXT):
            yield p
        elif os.path.isdir(p):
            for root, _, files in os.walk(p):
                for n in sorted(files):
                    if n.endswith(CAPTURE_EXT):
                        yield os.path.join(root, n)


def put(d, data):
    os.makedirs(d, exist_ok=True)
    h = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, h), "wb") as f:
        f.write(data)


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    out = sys.argv[1]
    n = 0
    for cap in captures(sys.argv[2:]):
        try:
            link, frames = read_frames(cap)
        except (OSError, struct.error, EOFError):
            continue
        if link is None:
            continue
        for f in frames:
            msg = udp_payload(l3(link, f))
            if msg and len(msg) >= 28:
                put(os.path.join(out, "ike"), b"\x00" + msg)
                n += 1
        sel = 1 if link in (12, 14, 101, 228, 229) else 0
        if link in (1, 12, 14, 101, 228, 229):
            rec = bytes([sel | 2])
            for f in frames[:24]:
                rec += struct.pack(">H", len(f)) + f
            put(os.path.join(out, "packet"), rec)
        netsel = {1: 0, 113: 1, 276: 2, 12: 3, 0: 4, 108: 5, 228: 6, 229: 7}.get(link)
        if netsel is not None:
            rec = bytes([netsel])
            for f in frames[:24]:
                rec += struct.pack(">HB", len(f), 0) + f
            put(os.path.join(out, "net"), rec)
    # key files (fuzz_keys): the lab's logs and tables, the corpus key files
    kdir = os.path.join(out, "keys")
    for p in sys.argv[2:]:
        if not os.path.isdir(p):
            continue
        for root, _, names in os.walk(p):
            for nm in names:
                if nm.endswith((".log", "_table", "esp_sa")) or "secrets" in nm:
                    with open(os.path.join(root, nm), "rb") as f:
                        put(kdir, f.read())
    print("%d IKE messages" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
