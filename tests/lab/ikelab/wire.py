"""What the capture shows: IKE frames at the capture point, tshark checks."""
import os
import shutil
import struct
import subprocess
import tempfile

from . import topology


def _datagrams(frames):
    """(frame number, frame, IPv4 header, payload) per complete datagram.

    Fragments are reassembled and reported on the frame that completes
    the datagram, as tshark does. The lab's captures are small and
    trusted, so there are no limits here.
    """
    pending = {}
    for no, fr in enumerate(frames, 1):
        d = fr.data
        if len(d) < 14 + 20 or d[12:14] != b"\x08\x00":
            continue
        ip = d[14:]
        ihl = (ip[0] & 0x0F) * 4
        total = struct.unpack("!H", ip[2:4])[0]
        frag = struct.unpack("!H", ip[6:8])[0]
        more, offset = bool(frag & 0x2000), (frag & 0x1FFF) * 8
        payload = ip[ihl:total]
        if not more and offset == 0:
            yield no, fr, ip, payload
            continue
        key = (ip[12:20], ip[4:6], ip[9])
        parts = pending.setdefault(key, {})
        parts[offset] = (payload, more, ip if offset == 0 else None)
        have, pos, last = b"", 0, False
        while pos in parts:
            chunk, m, _ = parts[pos]
            have += chunk
            pos += len(chunk)
            if not m:
                last = True
                break
        if last:
            del pending[key]
            yield no, fr, parts[0][2], have


def ike_frames(frames):
    """IKE messages (UDP 500, or 4500 with the non-ESP marker) as dicts."""
    out = []
    seen = set()
    for no, fr, ip, payload in _datagrams(frames):
        if ip[9] != 17 or len(payload) < 8:
            continue
        d = fr.data
        sport, dport = struct.unpack("!HH", payload[:4])
        if 500 not in (sport, dport) and 4500 not in (sport, dport):
            continue
        body = payload[8:]
        if 4500 in (sport, dport):
            if len(body) < 4 or body[:4] != b"\0\0\0\0":
                continue
            body = body[4:]
        # A retransmission repeats its message byte for byte (new IP ID).
        retransmission = body in seen
        seen.add(body)
        src = ".".join(str(b) for b in ip[12:16])
        dst = ".".join(str(b) for b in ip[16:20])
        out.append({
            "frame": no, "time": fr.time,
            "dir": "i2r" if dst == topology.RES_ADDR else "r2i",
            "eth_dst": ":".join("%02x" % b for b in d[0:6]),
            "eth_src": ":".join("%02x" % b for b in d[6:12]),
            "ip_src": src, "ip_dst": dst, "ttl": ip[8],
            "df": bool(struct.unpack("!H", ip[6:8])[0] & 0x4000),
            "ip_id": struct.unpack("!H", ip[4:6])[0],
            "udp": (sport, dport),
            "ispi": body[:8].hex(), "rspi": body[8:16].hex(),
            "exchange": body[18] if len(body) > 18 else None,
            "retransmission": retransmission,
        })
    return out


def tshark(args, config=None, prefs=()):
    env = dict(os.environ)
    tmp = None
    if config is not None:
        tmp = tempfile.mkdtemp(prefix="ikelens-lab-ws.")
        for name, path in config.items():
            shutil.copy(path, os.path.join(tmp, name))
        env["WIRESHARK_CONFIG_DIR"] = tmp
    cmd = ["tshark", "-n"]
    for p in prefs:
        cmd += ["-o", p]
    try:
        res = subprocess.run(cmd + list(args), env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return res


def fields(path, filt, names, config=None, prefs=()):
    args = ["-r", path, "-T", "fields"]
    if filt:
        args += ["-Y", filt]
    for n in names:
        args += ["-e", n]
    res = tshark(args, config=config, prefs=prefs)
    if res.returncode != 0:
        raise RuntimeError("tshark failed: %s" % res.stderr.strip())
    return [l.split("\t") for l in res.stdout.splitlines()]
