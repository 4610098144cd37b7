"""ESP packets synthesized from the SPIs and keys charon logged.

The lab kernel has no ESP, so the tunnel never carries a packet. For each
CHILD SA both daemons logged as established, this module builds a few ICMP
echo requests and replies between the protected subnets, encrypted in
tunnel mode with exactly the logged SPIs and keys (scapy's IPsec layer), and
framed like the IKE packets of the same direction at the capture point:
same Ethernet addresses, outer IP addresses, TTL and DF bit, and the same
UDP ports when IKE runs on 4500 (UDP-encapsulated ESP, RFC 3948).
"""
import random
import struct

from . import topology

# strongSwan proposal tokens -> (scapy name, key bytes incl. salt, Wireshark)
ENCR = {
    "AES_CBC_128": ("AES-CBC", 16, "AES-CBC [RFC3602]"),
    "AES_CBC_192": ("AES-CBC", 24, "AES-CBC [RFC3602]"),
    "AES_CBC_256": ("AES-CBC", 32, "AES-CBC [RFC3602]"),
    "3DES_CBC": ("3DES", 24, "TripleDES-CBC [RFC2451]"),
    "AES_GCM_16_128": ("AES-GCM", 20, "AES-GCM with 16 octet ICV [RFC4106]"),
    "AES_GCM_16_256": ("AES-GCM", 36, "AES-GCM with 16 octet ICV [RFC4106]"),
}
INTEG = {
    "HMAC_SHA1_96": ("HMAC-SHA1-96", "HMAC-SHA-1-96 [RFC2404]"),
    "HMAC_SHA2_256_128": ("SHA2-256-128", "HMAC-SHA-256-128 [RFC4868]"),
    "HMAC_SHA2_384_192": ("SHA2-384-192", "HMAC-SHA-384-192 [RFC4868]"),
    "HMAC_SHA2_512_256": ("SHA2-512-256", "HMAC-SHA-512-256 [RFC4868]"),
    "HMAC_MD5_96": ("HMAC-MD5-96", "HMAC-MD5-96 [RFC2403]"),
}


def parse_child_proposal(text):
    """'AES_CBC_256/HMAC_SHA2_256_128/NO_EXT_SEQ' -> (encr, integ|None)."""
    encr = integ = None
    for tok in text.split("/"):
        if tok in ENCR:
            encr = tok
        elif tok in INTEG:
            integ = tok
        elif tok.startswith(("AES_", "3DES", "CHACHA", "CAMELLIA", "HMAC_",
                             "AES_XCBC", "AES_CMAC")):
            raise ValueError("no ESP synthesis for %s" % tok)
    if encr is None:
        raise ValueError("no encryption algorithm in %s" % text)
    if integ is None and not encr.startswith("AES_GCM"):
        raise ValueError("no integrity algorithm in %s" % text)
    return encr, integ


class EspSA:
    """One direction of a CHILD SA, as the initiator-side log describes it."""

    def __init__(self, spi, direction, encr, integ, encr_key, integ_key):
        self.spi = spi                  # 8 hex digits
        self.direction = direction      # "i2r" | "r2i" (IKE roles)
        self.encr = encr
        self.integ = integ
        self.encr_key = encr_key
        self.integ_key = integ_key
        self.src = self.dst = None      # addresses at the capture point

    def wireshark_row(self):
        encr_ws = ENCR[self.encr][2]
        integ_ws = INTEG[self.integ][1] if self.integ else "NULL"
        return ('"IPv4","%s","%s","0x%s","%s","0x%s","%s","%s"' % (
            self.src, self.dst, self.spi, encr_ws, self.encr_key, integ_ws,
            ("0x" + self.integ_key) if self.integ else ""))


def child_sas(ini_sa, res_log):
    """EspSA pairs for each child of the initiator's IKE SA.

    Direction and keys: "initiator key" belongs to the initiator of the
    exchange that created the child. The initiator-side log tells who that
    was (the last message it parsed before the child came up was a
    response: it initiated). The responder's log must show the same child
    with the same keys, or the synthesis refuses.
    """
    res_children = {}
    for sa in res_log.sas_in_order():
        for c in sa.children:
            res_children[(c.spi_in, c.spi_out)] = c
    pairs = []
    for child in ini_sa.children:
        if not child.proposal:
            raise ValueError("no selected ESP proposal logged for %s{%d}"
                             % (child.name, child.cuid))
        parsed = [m for m in ini_sa.messages
                  if not m.sent and m.line.no < child.line.no]
        we_initiated = parsed[-1].kind == "response"
        peer = res_children.get((child.spi_out, child.spi_in))
        if peer is None:
            raise ValueError("responder log lacks CHILD SA %s/%s"
                             % (child.spi_in, child.spi_out))
        for k in ("encr_i", "encr_r"):
            if child.keys.get(k) != peer.keys.get(k):
                raise ValueError("%s differs between the logs for %s" % (
                    k, child.spi_out))
        encr, integ = parse_child_proposal(child.proposal)
        own, other = ("i", "r") if we_initiated else ("r", "i")
        out_sa = EspSA(child.spi_out, "i2r", encr, integ,
                       child.keys["encr_" + own],
                       child.keys.get("integ_" + own))
        in_sa = EspSA(child.spi_in, "r2i", encr, integ,
                      child.keys["encr_" + other],
                      child.keys.get("integ_" + other))
        for sa in (out_sa, in_sa):
            if len(bytes.fromhex(sa.encr_key)) != ENCR[encr][1]:
                raise ValueError("unexpected %s key length %d" % (
                    encr, len(sa.encr_key) // 2))
        pairs.append((child, out_sa, in_sa))
    return pairs


def _echo_payload(t):
    sec = int(t)
    usec = int((t - sec) * 1e6)
    # Like iputils ping: a struct timeval, then 0x10, 0x11, ... (56 bytes).
    return struct.pack("<QQ", sec, usec) + bytes(range(0x10, 0x10 + 40))


def _fix_lengths(outer):
    """scapy 2.5 fills the UDP length of a NAT-T header before the ESP
    payload is attached (it ends up 8); set it, and check the IP length."""
    ihl = (outer[0] & 0x0F) * 4
    if struct.unpack("!H", outer[2:4])[0] != len(outer):
        raise ValueError("synthesized IP length does not match its bytes")
    if outer[9] == 17:
        udp_len = len(outer) - ihl
        outer = outer[:ihl + 4] + struct.pack("!H", udp_len) + outer[ihl + 6:]
    return outer


def build(pairs, frames_info, windows, count=4, seed=0):
    """Returns [(time, bytes)] of synthesized Ethernet frames.

    frames_info: IKE frames at the capture point, as dicts with keys time,
    dir ("i2r"|"r2i"), eth_src, eth_dst, ip_src, ip_dst, ttl, df, udp
    (sport, dport) and ip_id. windows: per pair, (start, end) times.
    """
    from scapy.layers.inet import ICMP, IP, UDP
    from scapy.layers.ipsec import SecurityAssociation, ESP
    from scapy.layers.l2 import Ether

    # One ping session through every CHILD SA in turn, as `ping` keeps its
    # id and sequence across a rekey; the id is derived from the first SPI
    # so captures differ, and the run stays reproducible for given keys.
    rng = random.Random(seed or int(pairs[0][1].spi, 16))
    out = []
    ping_id = rng.randrange(1, 0xffff)
    ping_seq = 0
    for (child, out_sa, in_sa), (start, end) in zip(pairs, windows):
        span = end - start
        step = min(0.5, span / (count + 1))
        if step < 0.02:
            raise ValueError("no room for ESP after CHILD SA %s" % out_sa.spi)
        sas = {}
        for esp_sa in (out_sa, in_sa):
            ref = [f for f in frames_info
                   if f["dir"] == esp_sa.direction and f["time"] <= start]
            if not ref:
                raise ValueError("no IKE frame in direction %s before ESP"
                                 % esp_sa.direction)
            ref = ref[-1]
            esp_sa.src, esp_sa.dst = ref["ip_src"], ref["ip_dst"]
            encap = None
            if ref["udp"][0] == 4500 or ref["udp"][1] == 4500:
                encap = UDP(sport=ref["udp"][0], dport=ref["udp"][1])
            tunnel = IP(src=ref["ip_src"], dst=ref["ip_dst"], ttl=ref["ttl"],
                        flags="DF" if ref["df"] else 0)
            kw = dict(spi=int(esp_sa.spi, 16), tunnel_header=tunnel,
                      nat_t_header=encap,
                      crypt_algo=ENCR[esp_sa.encr][0],
                      crypt_key=bytes.fromhex(esp_sa.encr_key))
            if esp_sa.integ:
                kw.update(auth_algo=INTEG[esp_sa.integ][0],
                          auth_key=bytes.fromhex(esp_sa.integ_key))
            sas[esp_sa.direction] = (SecurityAssociation(ESP, **kw), ref,
                                     [ref["ip_id"]])
        for n in range(count):
            ping_seq += 1
            t_req = start + step * (n + 1)
            t_rep = t_req + 0.0004 + rng.random() * 0.0003
            payload = _echo_payload(t_req)
            req = IP(src=topology.INI_HOST, dst=topology.RES_HOST, ttl=64,
                     id=rng.randrange(0x10000), flags="DF") / ICMP(
                type=8, id=ping_id, seq=ping_seq) / payload
            rep = IP(src=topology.RES_HOST, dst=topology.INI_HOST, ttl=64,
                     id=rng.randrange(0x10000)) / ICMP(
                type=0, id=ping_id, seq=ping_seq) / payload
            for t, inner, direction in ((t_req, req, "i2r"),
                                        (t_rep, rep, "r2i")):
                sa, ref, ipid = sas[direction]
                ipid[0] = (ipid[0] + 1 + rng.randrange(4)) & 0xffff
                sa.tunnel_header.id = ipid[0]
                outer = bytes(sa.encrypt(IP(bytes(inner))))
                outer = _fix_lengths(outer)
                eth = bytes(Ether(src=ref["eth_src"], dst=ref["eth_dst"],
                                  type=0x0800))
                out.append((t, eth + outer))
    out.sort(key=lambda x: x[0])
    return out
