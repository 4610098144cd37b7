"""Classic pcap files, read and written byte for byte.

The lab never re-serialises captured frames through a packet library: frames
are kept as the bytes tcpdump wrote, and only synthesized frames are added.
"""
import struct

MAGIC_US = 0xA1B2C3D4
LINKTYPE_ETHERNET = 1


class Frame:
    __slots__ = ("ts_sec", "ts_usec", "data", "orig_len")

    def __init__(self, ts_sec, ts_usec, data, orig_len=None):
        self.ts_sec = ts_sec
        self.ts_usec = ts_usec
        self.data = bytes(data)
        self.orig_len = len(self.data) if orig_len is None else orig_len

    @property
    def time(self):
        return self.ts_sec + self.ts_usec / 1e6

    @classmethod
    def at(cls, t, data):
        sec = int(t)
        usec = int(round((t - sec) * 1e6))
        if usec >= 1000000:
            sec, usec = sec + 1, usec - 1000000
        return cls(sec, usec, data)


def read(path):
    """Returns (linktype, snaplen, [Frame]). Accepts microsecond pcap only."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 24:
        raise ValueError("%s: too short for a pcap header" % path)
    magic = struct.unpack("<I", raw[:4])[0]
    if magic == MAGIC_US:
        endian = "<"
    elif struct.unpack(">I", raw[:4])[0] == MAGIC_US:
        endian = ">"
    else:
        raise ValueError("%s: not a classic microsecond pcap" % path)
    _, _, _, _, snaplen, linktype = struct.unpack(endian + "HHiIII", raw[4:24])
    frames = []
    off = 24
    while off + 16 <= len(raw):
        sec, usec, incl, orig = struct.unpack(endian + "IIII", raw[off:off + 16])
        off += 16
        if off + incl > len(raw):
            raise ValueError("%s: truncated record" % path)
        frames.append(Frame(sec, usec, raw[off:off + incl], orig))
        off += incl
    return linktype, snaplen, frames


def write(path, frames, linktype=LINKTYPE_ETHERNET, snaplen=262144):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", MAGIC_US, 2, 4, 0, 0, snaplen, linktype))
        for fr in frames:
            f.write(struct.pack("<IIII", fr.ts_sec, fr.ts_usec, len(fr.data),
                                fr.orig_len))
            f.write(fr.data)


def merge(captured, synthesized):
    """Time-ordered merge; captured frames keep their order on equal times."""
    tagged = [(fr.ts_sec, fr.ts_usec, 0, i, fr) for i, fr in enumerate(captured)]
    tagged += [(fr.ts_sec, fr.ts_usec, 1, i, fr)
               for i, fr in enumerate(synthesized)]
    tagged.sort(key=lambda t: t[:4])
    return [t[4] for t in tagged]
