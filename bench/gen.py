#!/usr/bin/env python3
"""Generate large benchmark captures from the lab captures.

Every copy of a lab negotiation ("SA" below) is the real strongSwan exchange
from tests/pcaps/<scenario>/capture.pcap with, per copy:

  * fresh IKE SPIs / ISAKMP cookies: every distinct 8-byte SPI of the
    scenario gets one new value, written wherever the SPI is visible in
    clear: the IKE header, Notify and Delete SPIs of unencrypted messages,
    and the IKE header quoted inside ICMP errors.  NAT-D hashes
    (IKEv1 NAT-D, IKEv2 NAT_DETECTION_*_IP) are recomputed from the new
    SPIs, addresses and ports when the original could be reproduced from
    what the capture shows; otherwise (the hashed address sat behind a NAT
    and never appears) they get fresh random bytes, which still does not
    match, exactly like the original;
  * fresh addresses from the documentation ranges (192.0.2.0/24,
    198.51.100.0/24, 203.0.113.0/24), distinct within the copy; IPv4 header
    checksums recomputed, UDP checksums zeroed, ICMP checksums recomputed;
  * fresh NAT-mapped source ports (any port other than 500 and 4500);
  * an IP identification offset (so fragments of concurrent copies never
    collide) and a start time;
  * fresh ESP SPIs and, when --esp-per-sa asks for more ESP than the lab
    synthesized, the ESP packets of each burst replayed with increasing
    sequence numbers, spread over the time until the next IKE message.

Copies overlap in time (--rate new negotiations per second) and are merged
in timestamp order into one classic pcap (Ethernet, microseconds).  The
output is a pure function of the options and the lab captures.

Encrypted payloads are copied as they are, so the lab keys no longer
decrypt a generated capture (IKE keys depend on the SPIs); the benchmark
measures dissection, not decryption.

Standard library only.
"""

import argparse
import fnmatch
import hashlib
import heapq
import json
import os
import random
import struct
import sys

PROFILES = {
    # sas, esp-per-sa, rate: about 10k, 200k and 2M packets with the default mix
    "small": (140, 180, 20),
    "medium": (2400, 180, 40),
    "large": (20000, 220, 80),
}

# The scenarios a profile replays, pinned so that a profile stays the same
# capture when scenarios are added to the lab: results of different commits
# then compare.  --mix all takes whatever the lab holds today.
PROFILE_MIX = ",".join((
    "ikev1-aggr-psk-mismatch", "ikev1-aggr-psk-ok", "ikev1-dpd-delete",
    "ikev1-main-id-mismatch", "ikev1-main-natt", "ikev1-main-no-proposal",
    "ikev1-main-psk-mismatch", "ikev1-main-psk-ok", "ikev1-main-unreachable",
    "ikev1-qm-no-proposal", "ikev1-qm-pfs-mismatch", "ikev1-qm-proxy-id-mismatch",
    "ikev1-rekey", "ikev2-auth-failed", "ikev2-cert-frag", "ikev2-cert-ipfrag",
    "ikev2-cert-ipfrag-loss", "ikev2-child-no-proposal", "ikev2-invalid-ke",
    "ikev2-natt", "ikev2-no-proposal", "ikev2-psk-ok", "ikev2-ts-unacceptable",
    "ikev2-unreachable",
))

DOC_NETS = (bytes((192, 0, 2)), bytes((198, 51, 100)), bytes((203, 0, 113)))
BASE_TIME_US = 1767254400 * 1000000  # 2026-01-01T00:00:00Z
NATD_HASHES = {16: "md5", 20: "sha1", 32: "sha256", 48: "sha384", 64: "sha512"}

ETH_IPV4 = 0x0800
ETH_VLAN = (0x8100, 0x88A8)
IPPROTO_ICMP, IPPROTO_UDP, IPPROTO_ESP = 1, 17, 50
IKE_PORTS = (500, 4500)


def die(msg):
    print("gen.py: " + msg, file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- pcap in/out

def read_pcap(path):
    """Return [(ts_us, bytes)] of an Ethernet pcap."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        die(f"{path}: not a pcap file")
    magic = data[:4]
    table = {
        b"\xd4\xc3\xb2\xa1": ("<", 1), b"\xa1\xb2\xc3\xd4": (">", 1),
        b"\x4d\x3c\xb2\xa1": ("<", 1000), b"\xa1\xb2\x3c\x4d": (">", 1000),
    }
    if magic not in table:
        die(f"{path}: not a classic pcap file (pcapng is not supported)")
    endian, div = table[magic]
    linktype = struct.unpack_from(endian + "I", data, 20)[0] & 0x0FFFFFFF
    if linktype != 1:
        die(f"{path}: link type {linktype}, only Ethernet (1) is supported")
    rec = struct.Struct(endian + "IIII")
    out, off = [], 24
    while off + 16 <= len(data):
        sec, frac, incl, _orig = rec.unpack_from(data, off)
        off += 16
        if off + incl > len(data):
            break  # truncated last record
        out.append((sec * 1000000 + frac // div, data[off:off + incl]))
        off += incl
    return out


class PcapWriter:
    REC = struct.Struct("<IIII")

    def __init__(self, path):
        self.f = open(path, "wb", buffering=1 << 20)
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        self.packets = 0
        self.bytes = 24

    def write(self, ts_us, frame):
        n = len(frame)
        self.f.write(self.REC.pack(ts_us // 1000000, ts_us % 1000000, n, n))
        self.f.write(frame)
        self.packets += 1
        self.bytes += 16 + n

    def close(self):
        self.f.close()


# ----------------------------------------------------------------- checksums

def csum(buf, off, length):
    """Internet checksum of buf[off:off+length]."""
    if length & 1:
        s = sum(struct.unpack_from(f"!{length // 2}H", buf, off)) + (buf[off + length - 1] << 8)
    else:
        s = sum(struct.unpack_from(f"!{length // 2}H", buf, off))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def fix_ipv4_csum(buf, off, ihl):
    buf[off + 10:off + 12] = b"\0\0"
    struct.pack_into("!H", buf, off + 10, csum(buf, off, ihl))


# ------------------------------------------------------------------ template

class Packet:
    """One lab packet and where each rewritable field sits in it."""

    __slots__ = ("ts", "data", "esp", "addrs", "ports", "ipids", "spis",
                 "spis4", "natd", "udp_zero", "ip_hdrs", "icmp",
                 "esp_spi_off", "esp_seq_off", "esp_spi", "esp_seq")

    def __init__(self, ts, data):
        self.ts = ts
        self.data = data
        self.esp = False
        self.addrs = []     # (offset, 4-byte original)
        self.ports = []     # (offset, original port)
        self.ipids = []     # (offset, original id)
        self.spis = []      # (offset, 8-byte original)
        self.spis4 = []     # (offset, 4-byte original ESP SPI in Notify/Delete)
        self.natd = []      # (offset, length, alg, ispi, rspi, addr, port) or alg None
        self.udp_zero = []  # offsets of UDP checksums to zero
        self.ip_hdrs = []   # (offset, ihl), innermost first
        self.icmp = None    # (offset, length)
        self.esp_spi_off = self.esp_seq_off = None
        self.esp_spi = None
        self.esp_seq = 0


class Scenario:
    def __init__(self, name, path):
        self.name = name
        raw = read_pcap(path)
        if not raw:
            die(f"{path}: no packets")
        t0 = raw[0][0]
        self.packets = [Packet(ts - t0, data) for ts, data in raw]
        self.addrs = set()
        self.ports = set()
        self.ike_spis = set()
        self.esp_spis = set()
        self.natd_pending = []
        for p in self.packets:
            self._parse(p)
        self._resolve_natd()
        self._esp_groups()
        self.duration = self.packets[-1].ts

    # ---- parsing
    def _parse(self, p):
        d = p.data
        off = 12
        if len(d) < 14:
            return
        etype = struct.unpack_from("!H", d, off)[0]
        while etype in ETH_VLAN and len(d) >= off + 6:
            off += 4
            etype = struct.unpack_from("!H", d, off)[0]
        if etype != ETH_IPV4:
            return  # copied unchanged
        self._parse_ipv4(p, off + 2, len(d), quoted=False)

    def _parse_ipv4(self, p, ip, end, quoted):
        d = p.data
        if end - ip < 20 or d[ip] >> 4 != 4:
            return
        ihl = (d[ip] & 15) * 4
        if ihl < 20 or ip + ihl > end:
            return
        total = struct.unpack_from("!H", d, ip + 2)[0]
        if not quoted:
            end = min(end, ip + total)
        frag = struct.unpack_from("!H", d, ip + 6)[0]
        proto = d[ip + 9]
        for a in (ip + 12, ip + 16):
            p.addrs.append((a, d[a:a + 4]))
            self.addrs.add(d[a:a + 4])
        p.ipids.append((ip + 4, struct.unpack_from("!H", d, ip + 4)[0]))
        p.ip_hdrs.append((ip, ihl))
        if frag & 0x1FFF:
            return  # not the first fragment: no transport header
        l4 = ip + ihl
        if proto == IPPROTO_ESP and not quoted:
            self._esp(p, l4, end)
        elif proto == IPPROTO_UDP and end - l4 >= 8:
            sport, dport = struct.unpack_from("!HH", d, l4)
            for o, port in ((l4, sport), (l4 + 2, dport)):
                if port not in IKE_PORTS:
                    p.ports.append((o, port))
                    self.ports.add(port)
            p.udp_zero.append(l4 + 6)
            pl = l4 + 8
            if 4500 in (sport, dport):
                if end - pl >= 4 and d[pl:pl + 4] == b"\0\0\0\0":
                    self._ike(p, pl + 4, end)
                elif end - pl >= 8 and not quoted:
                    self._esp(p, pl, end)
            elif 500 in (sport, dport):
                self._ike(p, pl, end)
        elif proto == IPPROTO_ICMP and not quoted and end - l4 >= 8:
            # an ICMP error quotes the offending IP header and its first bytes
            if d[l4] in (3, 4, 5, 11, 12):
                self._parse_ipv4(p, l4 + 8, end, quoted=True)
            p.icmp = (l4, end - l4)

    def _esp(self, p, off, end):
        d = p.data
        spi = d[off:off + 4]
        p.esp = True
        p.esp_spi_off, p.esp_seq_off = off, off + 4
        p.esp_spi = spi
        p.esp_seq = struct.unpack_from("!I", d, off + 4)[0]
        self.esp_spis.add(spi)

    def _ike(self, p, off, end):
        d = p.data
        if end - off < 28:
            return
        ispi, rspi = d[off:off + 8], d[off + 8:off + 16]
        for o, v in ((off, ispi), (off + 8, rspi)):
            if v != bytes(8):
                p.spis.append((o, v))
                self.ike_spis.add(v)
        nxt, ver, _exch, flags = d[off + 16], d[off + 17], d[off + 18], d[off + 19]
        length = struct.unpack_from("!I", d, off + 24)[0]
        end = min(end, off + length)
        major = ver >> 4
        if major == 1 and flags & 1:
            return  # IKEv1 encrypted: nothing in clear after the header
        pos = off + 28
        while nxt and pos + 4 <= end:
            plen = struct.unpack_from("!H", d, pos + 2)[0]
            if plen < 4 or pos + plen > end:
                break
            if major == 2 and nxt in (46, 53):
                break  # SK / SKF: the rest is encrypted
            body = pos + 4
            if (major == 1 and nxt == 11) or (major == 2 and nxt == 41):
                # Notify: IKEv1 has a 4-byte DOI first
                b = body + (4 if major == 1 else 0)
                if b + 4 <= pos + plen:
                    spi_size = d[b + 1]
                    ntype = struct.unpack_from("!H", d, b + 2)[0]
                    spi_at = b + 4
                    self._spi_field(p, spi_at, spi_size, pos + plen)
                    if major == 2 and ntype in (16388, 16389):
                        data_at = spi_at + spi_size
                        self.natd_pending.append(
                            (p, data_at, pos + plen - data_at, ispi, rspi, ntype == 16388))
            elif (major == 1 and nxt == 12) or (major == 2 and nxt == 42):
                b = body + (4 if major == 1 else 0)
                if b + 4 <= pos + plen:
                    spi_size = d[b + 1]
                    count = struct.unpack_from("!H", d, b + 2)[0]
                    for i in range(count):
                        self._spi_field(p, b + 4 + i * spi_size, spi_size, pos + plen)
            elif major == 1 and nxt in (20, 130):
                self.natd_pending.append((p, body, plen - 4, ispi, rspi, None))
            nxt = d[pos]
            pos += plen

    def _spi_field(self, p, at, size, end):
        d = p.data
        if at + size > end:
            return
        for i in range(0, size - size % 8, 8) if size in (8, 16) else ():
            v = d[at + i:at + i + 8]
            if v != bytes(8):
                p.spis.append((at + i, v))
                self.ike_spis.add(v)
        if size == 4:
            p.spis4.append((at, d[at:at + 4]))

    def _resolve_natd(self):
        """Find which address, port and hash each NAT-D value was made from."""
        ports = sorted(self.ports | set(IKE_PORTS))
        addrs = sorted(self.addrs)
        for p, at, length, ispi, rspi, _src in self.natd_pending:
            value = p.data[at:at + length]
            alg = NATD_HASHES.get(length)
            found = None
            if alg:
                for a in addrs:
                    for port in ports:
                        h = hashlib.new(alg, ispi + rspi + a + struct.pack("!H", port)).digest()
                        if h == value:
                            found = (a, port)
                            break
                    if found:
                        break
            if found:
                p.natd.append((at, length, alg, ispi, rspi, found[0], found[1]))
            else:
                p.natd.append((at, length, None, ispi, rspi, None, None))
        self.natd_pending = []

    def _esp_groups(self):
        """Runs of consecutive ESP packets, with the time left until the next
        non-ESP packet (the window their replicas are spread over)."""
        self.groups = []  # (index of first, [packets], window_us)
        i, n = 0, len(self.packets)
        while i < n:
            if not self.packets[i].esp:
                i += 1
                continue
            j = i
            while j < n and self.packets[j].esp:
                j += 1
            first = self.packets[i].ts
            span = self.packets[j - 1].ts - first
            if j < n:
                window = max(span, (self.packets[j].ts - first) * 9 // 10)
            else:
                window = max(span, 2000000)
            self.groups.append((i, self.packets[i:j], max(window, 1)))
            i = j
        self.esp_templates = sum(len(g[1]) for g in self.groups)


# --------------------------------------------------------------------- copies

def rand_bytes(rng, n):
    return rng.getrandbits(8 * n).to_bytes(n, "big")


class Copy:
    """Everything that is fresh in one replay of a scenario."""

    def __init__(self, scen, rng, start_us, esp_per_sa):
        self.scen = scen
        self.start = start_us
        self.rng = rng
        hosts = rng.sample(range(3 * 254), len(scen.addrs))
        self.addr = {a: DOC_NETS[h // 254] + bytes((h % 254 + 1,))
                     for a, h in zip(sorted(scen.addrs), hosts)}
        self.port = {p: rng.randrange(1024, 65536) for p in sorted(scen.ports)}
        self.spi = {}
        for s in sorted(scen.ike_spis):
            v = bytes(8)
            while v == bytes(8):
                v = rand_bytes(rng, 8)
            self.spi[s] = v
        self.esp_spi = {s: struct.pack("!I", rng.randrange(0x100, 1 << 32))
                        for s in sorted(scen.esp_spis)}
        self.ipid = rng.randrange(65536)
        self.esp_per_sa = esp_per_sa
        self.seq = {}

    def render(self, p, seq=None, extra_id=0):
        b = bytearray(p.data)
        for o, v in p.addrs:
            b[o:o + 4] = self.addr[v]
        for o, v in p.ports:
            struct.pack_into("!H", b, o, self.port[v])
        for o, v in p.ipids:
            struct.pack_into("!H", b, o, (v + self.ipid + extra_id) & 0xFFFF)
        for o, v in p.spis:
            b[o:o + 8] = self.spi.get(v, v)
        for o, v in p.spis4:
            b[o:o + 4] = self.esp_spi.get(v, v)
        for o in p.udp_zero:
            b[o:o + 2] = b"\0\0"
        for at, length, alg, ispi, rspi, a, port in p.natd:
            if alg is None:
                b[at:at + length] = rand_bytes(self.rng, length)
            else:
                nport = port if port in IKE_PORTS else self.port.get(port, port)
                msg = (self.spi.get(ispi, ispi) + self.spi.get(rspi, rspi)
                       + self.addr[a] + struct.pack("!H", nport))
                b[at:at + length] = hashlib.new(alg, msg).digest()
        if p.esp_spi_off is not None:
            b[p.esp_spi_off:p.esp_spi_off + 4] = self.esp_spi[p.esp_spi]
            if seq is not None:
                struct.pack_into("!I", b, p.esp_seq_off, seq & 0xFFFFFFFF)
        for off, ihl in p.ip_hdrs:
            fix_ipv4_csum(b, off, ihl)
        if p.icmp:  # covers the quoted header, so after its checksum
            o, n = p.icmp
            b[o + 2:o + 4] = b"\0\0"
            struct.pack_into("!H", b, o + 2, csum(b, o, n))
        return bytes(b)

    def packets(self):
        """Yield (ts_us, frame) in time order."""
        scen = self.scen
        groups = {g[0]: g for g in scen.groups}
        total = scen.esp_templates
        n_esp = self.esp_per_sa
        # share of the ESP budget for each burst, proportional to its size
        shares = []
        if total:
            left = n_esp
            for k, g in enumerate(scen.groups):
                share = n_esp * len(g[1]) // total
                shares.append(share)
                left -= share
            for k in range(left):
                shares[k % len(shares)] += 1
        gi = 0
        i, n = 0, len(scen.packets)
        while i < n:
            p = scen.packets[i]
            if not p.esp:
                yield self.start + p.ts, self.render(p)
                i += 1
                continue
            first, tmpl, window = groups[i]
            count = shares[gi]
            gi += 1
            for k in range(count):
                t = tmpl[k % len(tmpl)]
                seq = self.seq.get(t.esp_spi, t.esp_seq)
                self.seq[t.esp_spi] = seq + 1
                ts = self.start + scen.packets[first].ts + k * window // count
                yield ts, self.render(t, seq, extra_id=k // len(tmpl) * len(tmpl))
            i += len(tmpl)


# ----------------------------------------------------------------------- mix

def load_scenarios(pcaps):
    names = sorted(e for e in os.listdir(pcaps)
                   if os.path.isfile(os.path.join(pcaps, e, "capture.pcap")))
    if not names:
        die(f"no lab captures under {pcaps}")
    return names


def outcome(pcaps, name):
    try:
        with open(os.path.join(pcaps, name, "expected.json")) as f:
            return json.load(f).get("outcome")
    except (OSError, ValueError):
        return None


def parse_mix(spec, pcaps, names):
    """'all', 'established', 'failed', or a comma list of names or globs,
    each optionally NAME:WEIGHT.  Returns [(name, weight)]."""
    chosen = {}
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        pat, _, w = item.partition(":")
        try:
            weight = float(w) if w else 1.0
        except ValueError:
            die(f"--mix: bad weight in {item!r}")
        if weight < 0:
            die(f"--mix: negative weight in {item!r}")
        if pat == "all":
            match = names
        elif pat in ("established", "failed", "deleted"):
            match = [n for n in names if outcome(pcaps, n) == pat]
        else:
            match = fnmatch.filter(names, pat)
        if not match:
            die(f"--mix: {pat!r} matches no lab scenario (a profile's scenario "
                "list is PROFILE_MIX in bench/gen.py)")
        for n in match:
            chosen[n] = weight
    out = [(n, w) for n, w in sorted(chosen.items()) if w > 0]
    if not out:
        die("--mix selects nothing")
    return out


# ---------------------------------------------------------------------- main

def generate(args):
    pcaps = args.pcaps
    names = load_scenarios(pcaps)
    mix = parse_mix(args.mix, pcaps, names)
    scens = {n: Scenario(n, os.path.join(pcaps, n, "capture.pcap")) for n, _ in mix}
    master = random.Random(f"ikelens-bench/{args.seed}")
    population = [n for n, _ in mix]
    weights = [w for _, w in mix]
    interval = max(1, int(1000000 / args.rate))

    tmp = args.out + ".part"
    w = PcapWriter(tmp)
    counts = {n: 0 for n in population}
    esp_packets = 0
    heap = []  # (ts, copy number, generator, frame)
    j = 0
    next_start = BASE_TIME_US

    def start_copy(k, t):
        name = master.choices(population, weights)[0]
        counts[name] += 1
        rng = random.Random(f"ikelens-bench/{args.seed}/{k}")
        c = Copy(scens[name], rng, t, args.esp_per_sa)
        gen = c.packets()
        first = next(gen, None)
        if first is not None:
            heapq.heappush(heap, (first[0], k, first[1], gen))

    while j < args.sas or heap:
        # start every copy due before the earliest pending packet
        while j < args.sas and (not heap or next_start <= heap[0][0]):
            start_copy(j, next_start)
            j += 1
            next_start += interval + master.randrange(interval)
        ts, k, frame, gen = heapq.heappop(heap)
        w.write(ts, frame)
        if args.count_esp and is_esp(frame):
            esp_packets += 1
        nxt = next(gen, None)
        if nxt is not None:
            heapq.heappush(heap, (nxt[0], k, nxt[1], gen))
    w.close()
    os.replace(tmp, args.out)

    meta = {
        "file": os.path.basename(args.out),
        "packets": w.packets,
        "bytes": w.bytes,
        "sas": args.sas,
        "esp_per_sa": args.esp_per_sa,
        "rate": args.rate,
        "seed": args.seed,
        "mix": args.mix,
        "scenarios": {n: c for n, c in counts.items() if c},
    }
    if args.count_esp:
        meta["esp_packets"] = esp_packets
    if args.meta:
        with open(args.meta, "w") as f:
            json.dump(meta, f, indent=1, sort_keys=True)
            f.write("\n")
    return meta


def is_esp(frame):
    off = 12
    etype = struct.unpack_from("!H", frame, off)[0]
    while etype in ETH_VLAN:
        off += 4
        etype = struct.unpack_from("!H", frame, off)[0]
    ip = off + 2
    if etype != ETH_IPV4 or len(frame) < ip + 20:
        return False
    if struct.unpack_from("!H", frame, ip + 6)[0] & 0x1FFF:
        return False
    l4 = ip + (frame[ip] & 15) * 4
    if frame[ip + 9] == IPPROTO_ESP:
        return True
    if frame[ip + 9] == IPPROTO_UDP and len(frame) >= l4 + 16:
        ports = struct.unpack_from("!HH", frame, l4)
        return 4500 in ports and frame[l4 + 8:l4 + 12] != b"\0\0\0\0"
    return False


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(
        description="Generate a large capture by replaying the lab captures "
                    "with fresh SPIs, addresses, ports and times.")
    ap.add_argument("--out", required=True, help="pcap file to write")
    ap.add_argument("--profile", choices=sorted(PROFILES),
                    help="preset --sas, --esp-per-sa and --rate "
                         "(small ~10k, medium ~200k, large ~2M packets)")
    ap.add_argument("--sas", type=int, help="number of negotiations (copies)")
    ap.add_argument("--esp-per-sa", type=int,
                    help="ESP packets per negotiation that carried ESP in the lab")
    ap.add_argument("--rate", type=float,
                    help="new negotiations per second (default 20)")
    ap.add_argument("--mix",
                    help="scenarios: all, established, failed, deleted, or a comma "
                         "list of names or globs, each optionally NAME:WEIGHT "
                         "(default: all, equal weights; with --profile, the 24 "
                         "scenarios the profiles were defined with)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pcaps", default=os.path.join(here, os.pardir, "tests", "pcaps"),
                    help="folder of lab scenarios (default: the repository's tests/pcaps)")
    ap.add_argument("--meta", help="also write a JSON summary of the capture here")
    ap.add_argument("--count-esp", action="store_true",
                    help="count ESP packets in the summary (slower)")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)

    sas, esp, rate = PROFILES.get(args.profile, (None, None, None))
    args.sas = args.sas if args.sas is not None else (sas if sas is not None else 100)
    args.esp_per_sa = args.esp_per_sa if args.esp_per_sa is not None else (
        esp if esp is not None else 100)
    args.rate = args.rate if args.rate is not None else (rate if rate is not None else 20.0)
    if args.mix is None:
        args.mix = PROFILE_MIX if args.profile else "all"
    if args.sas < 1 or args.esp_per_sa < 0 or args.rate <= 0:
        die("--sas must be >= 1, --esp-per-sa >= 0, --rate > 0")

    meta = generate(args)
    if not args.quiet:
        extra = f", {meta['esp_packets']} ESP" if "esp_packets" in meta else ""
        print(f"{args.out}: {meta['packets']} packets{extra}, "
              f"{meta['bytes'] / 1e6:.1f} MB, {meta['sas']} negotiations "
              f"of {len(meta['scenarios'])} scenarios", file=sys.stderr)


if __name__ == "__main__":
    main()
