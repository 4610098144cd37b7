"""Parse charon file logs written by the lab.

The lab's loggers use `time_format = %Y-%m-%d %H:%M:%S`, `time_add_ms = yes`
and `ike_name = yes`, so a line reads

    2026-01-01 12:00:00.123 08[IKE] <lab|1> generating ID_PROT request 0 [ SA V ]

and lines logged in the context of an IKE SA carry its name and unique id.
Hex dumps (`NAME => 32 bytes @ 0x...` followed by `   0: 8C 3D ...` lines)
are logged in one call, so their lines are contiguous.

Everything here is read from the log only; nothing is guessed from the
configuration.
"""
import datetime
import re

LINE_RE = re.compile(
    r"^(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) "
    r"(?P<thread>\d\d)\[(?P<group>[A-Z]{3})\] "
    r"(?:<(?:(?P<name>[^|>]*)\|)?(?P<uid>\d+)> )?"
    r"(?P<msg>.*)$")
DUMP_HEAD_RE = re.compile(r"^(?P<label>.+?) => (?P<len>\d+) bytes @ 0x[0-9a-f]+$")
DUMP_LINE_RE = re.compile(r"^\s*(?P<off>\d+): (?P<rest>.*)$")

MSG_RE = re.compile(
    r"^(?P<dir>generating|parsed) (?P<exchange>[A-Z_0-9]+) "
    r"(?P<kind>request|response) (?P<msgid>\d+) \[ ?(?P<payloads>.*?) ?\]$")
CHILD_UP_RE = re.compile(
    r"^CHILD_SA (?P<cname>[^{]+)\{(?P<cuid>\d+)\} established with SPIs "
    r"(?P<spi_in>[0-9a-f]{8})_i(?: \([^)]*\))? (?P<spi_out>[0-9a-f]{8})_o"
    r"(?: \([^)]*\))? and TS (?P<ts>.*)$")
SPI_LINE_RE = re.compile(
    r"^\s*SPI 0x(?P<spi>[0-9a-f]{8}), src (?P<src>\S+) dst (?P<dst>\S+)$")
RETRANSMIT_RE = re.compile(
    r"^(?:sending )?retransmit \d+ of (?:request|response) (?:with )?message ID \d+")
INITIATING_RE = re.compile(
    r"^initiating (?:Main Mode |Aggressive Mode )?IKE_SA [^\[]+\[(?P<uid>\d+)\]")
PROPOSAL_RE = re.compile(r"^selected proposal: (?P<proto>IKE|ESP|AH):(?P<algs>\S+)$")

# Key labels as charon prints them (libcharon sa/ikev1/keymat_v1.c,
# sa/ikev2/keymat_v2.c, encoding/payloads and child key derivation).
IKE_KEY_LABELS = {
    "shared Diffie Hellman secret": "dh_secret",
    "SKEYID": "skeyid",
    "SKEYID_d": "skeyid_d",
    "SKEYID_a": "skeyid_a",
    "SKEYID_e": "skeyid_e",
    "encryption key Ka": "ka",
    "initial IV": "initial_iv",
    "SKEYSEED": "skeyseed",
    "Sk_d secret": "sk_d",
    "Sk_ai secret": "sk_ai",
    "Sk_ar secret": "sk_ar",
    "Sk_ei secret": "sk_ei",
    "Sk_er secret": "sk_er",
    "Sk_pi secret": "sk_pi",
    "Sk_pr secret": "sk_pr",
}
CHILD_KEY_LABELS = {
    "encryption initiator key": "encr_i",
    "encryption responder key": "encr_r",
    "integrity initiator key": "integ_i",
    "integrity responder key": "integ_r",
}


class Line:
    __slots__ = ("no", "raw", "ts", "thread", "group", "name", "uid", "msg")

    def __init__(self, no, raw, m):
        self.no = no
        self.raw = raw
        self.ts = m.group("ts")
        self.thread = m.group("thread")
        self.group = m.group("group")
        self.name = m.group("name")
        self.uid = int(m.group("uid")) if m.group("uid") else None
        self.msg = m.group("msg")

    @property
    def time(self):
        d = datetime.datetime.strptime(self.ts, "%Y-%m-%d %H:%M:%S.%f")
        return d.timestamp()

    @property
    def verbatim(self):
        """The line without its timestamp, as expected.json quotes it."""
        return self.raw[len(self.ts) + 1:]


class Dump:
    """A hex dump: label, announced length, the bytes, and its first line."""

    def __init__(self, line, label, length):
        self.line = line
        self.label = label
        self.length = length
        self.data = bytearray()

    @property
    def complete(self):
        return len(self.data) == self.length

    def hex(self):
        return bytes(self.data).hex()


class Message:
    def __init__(self, line, m):
        self.line = line
        self.sent = m.group("dir") == "generating"
        self.exchange = m.group("exchange")
        self.kind = m.group("kind")
        self.msgid = int(m.group("msgid"))
        self.payloads = m.group("payloads").split()

    def __repr__(self):
        return "<%s %s %s %d [%s]>" % ("out" if self.sent else "in",
                                      self.exchange, self.kind, self.msgid,
                                      " ".join(self.payloads))


class Child:
    def __init__(self, line, m):
        self.line = line
        self.name = m.group("cname")
        self.cuid = int(m.group("cuid"))
        self.spi_in = m.group("spi_in")
        self.spi_out = m.group("spi_out")
        self.ts = m.group("ts")
        self.keys = {}
        self.proposal = None
        self.addresses = {}  # spi -> (src, dst) from "adding ... ESP SA"


class IkeSA:
    def __init__(self, uid):
        self.uid = uid
        self.name = None
        self.role = None        # initiator | responder
        self.mode = None        # main | aggressive | ikev2
        self.version = None
        self.lines = []
        self.messages = []
        self.established = None  # Line
        self.proposal = None
        self.keys = {}
        self.spis = None         # (ispi, rspi) hex, from NAT-D input
        self.children = []
        self.retransmits = []
        self.gave_up = None
        self.rekeyed_from = None  # IkeSA this one replaced (IKEv2 rekey)

    def sent(self, exchange=None):
        return [m for m in self.messages
                if m.sent and (exchange is None or m.exchange == exchange)]

    def received(self, exchange=None):
        return [m for m in self.messages
                if not m.sent and (exchange is None or m.exchange == exchange)]

    def find(self, pattern):
        rx = re.compile(pattern)
        return [l for l in self.lines if rx.search(l.msg)]

    def __repr__(self):
        return "<IkeSA %s|%d %s %s>" % (self.name, self.uid, self.role, self.mode)


class CharonLog:
    def __init__(self, path):
        self.path = path
        self.lines = []
        self.dumps = []
        self.sas = {}
        self._parse()

    def _parse(self):
        with open(self.path, "r", encoding="utf-8", errors="replace") as f:
            raw_lines = f.read().split("\n")
        open_dump = {}   # thread -> Dump being filled
        pending_child_keys = {}  # thread -> {label: hex}
        pending_child_prop = {}  # IKE SA uid -> last selected ESP proposal
        pending_addr = {}        # thread -> {spi: (src, dst)}
        redirect = {}            # thread -> uid of a new IKE SA (see below)
        for no, raw in enumerate(raw_lines, 1):
            m = LINE_RE.match(raw)
            if not m:
                continue
            line = Line(no, raw, m)
            self.lines.append(line)
            dump = open_dump.get(line.thread)
            if dump is not None and not dump.complete:
                dm = DUMP_LINE_RE.match(line.msg)
                if dm and int(dm.group("off")) == len(dump.data):
                    hexpart = dm.group("rest")[:47].split()
                    dump.data.extend(bytes.fromhex("".join(hexpart)))
                    if len(dump.data) > dump.length:
                        raise ValueError("%s:%d: hex dump longer than announced"
                                         % (self.path, no))
                    continue
                raise ValueError("%s:%d: hex dump '%s' ends after %d of %d bytes"
                                 % (self.path, no, dump.label, len(dump.data),
                                    dump.length))
            sa = None
            if line.uid is not None:
                # A new IKE SA started from an old one (IKEv1 phase-1 rekey)
                # logs "initiating ... IKE_SA lab[2]" and its first message
                # in the old SA's context: move those lines to the new SA.
                im = INITIATING_RE.match(line.msg)
                if im and int(im.group("uid")) != line.uid:
                    redirect[line.thread] = int(im.group("uid"))
                elif line.thread in redirect and (
                        line.uid == redirect[line.thread]):
                    del redirect[line.thread]
                if line.thread in redirect:
                    line.uid = redirect[line.thread]
                    if MSG_RE.match(line.msg):
                        del redirect[line.thread]
                sa = self.sas.get(line.uid)
                if sa is None:
                    sa = self.sas[line.uid] = IkeSA(line.uid)
                if line.name and line.name != "(unnamed)":
                    sa.name = line.name
                sa.lines.append(line)
            hm = DUMP_HEAD_RE.match(line.msg)
            if hm:
                dump = Dump(line, hm.group("label"), int(hm.group("len")))
                self.dumps.append(dump)
                open_dump[line.thread] = dump
                if dump.length == 0:
                    continue
                continue
            if sa is None:
                continue
            self._event(sa, line, pending_child_keys, pending_child_prop,
                        pending_addr)
        for dump in self.dumps:
            if not dump.complete:
                raise ValueError("%s:%d: hex dump '%s' incomplete"
                                 % (self.path, dump.line.no, dump.label))
        self._attach_keys()

    def _event(self, sa, line, child_keys, child_prop, addr):
        msg = line.msg
        if msg.startswith("initiating Main Mode IKE_SA"):
            sa.role, sa.mode, sa.version = "initiator", "main", 1
        elif msg.startswith("initiating Aggressive Mode IKE_SA"):
            sa.role, sa.mode, sa.version = "initiator", "aggressive", 1
        elif msg.startswith("initiating IKE_SA"):
            sa.role, sa.mode, sa.version = "initiator", "ikev2", 2
        elif msg.endswith("is initiating a Main Mode IKE_SA"):
            sa.role, sa.mode, sa.version = "responder", "main", 1
        elif msg.endswith("is initiating a Aggressive Mode IKE_SA"):
            sa.role, sa.mode, sa.version = "responder", "aggressive", 1
        elif msg.endswith("is initiating an IKE_SA"):
            sa.role, sa.mode, sa.version = "responder", "ikev2", 2
        mm = MSG_RE.match(msg)
        if mm:
            sa.messages.append(Message(line, mm))
            return
        if re.match(r"^IKE_SA \S+ established between ", msg):
            sa.established = line
            return
        # IKEv2 IKE SA rekey: logged in the old SA's context, the new SA is
        # up from this line on (it never runs IKE_SA_INIT/IKE_AUTH itself)
        rk = re.match(r"^IKE_SA \S+\[(?P<uid>\d+)\] rekeyed between ", msg)
        if rk and int(rk.group("uid")) != sa.uid:
            new = self.sas.get(int(rk.group("uid")))
            if new is None:
                new = self.sas[int(rk.group("uid"))] = IkeSA(int(rk.group("uid")))
            new.name = new.name or sa.name
            new.role, new.mode, new.version = sa.role, sa.mode, sa.version
            # the proposal the rekey selected was logged in the old context
            new.proposal = new.proposal or sa.proposal
            new.established = line
            new.rekeyed_from = sa
            return
        # IKEv1: "sending retransmit 1 of request message ID 0, seq 3"
        # IKEv2: "retransmit 1 of request with message ID 1"
        if RETRANSMIT_RE.match(msg):
            sa.retransmits.append(line)
            return
        if msg.startswith("giving up after"):
            sa.gave_up = line
            return
        pm = PROPOSAL_RE.match(msg)
        if pm:
            if pm.group("proto") == "IKE":
                sa.proposal = pm.group("algs")
            else:
                # Selected while processing QM1/IKE_AUTH, possibly in
                # another thread than the one that installs the child.
                child_prop[sa.uid] = pm.group("algs")
            return
        am = SPI_LINE_RE.match(msg)
        if am:
            addr.setdefault(line.thread, {})[am.group("spi")] = (
                am.group("src"), am.group("dst"))
            return
        cm = CHILD_UP_RE.match(msg)
        if cm:
            child = Child(line, cm)
            child.proposal = child_prop.pop(sa.uid, None)
            child.addresses = addr.pop(line.thread, {})
            sa.children.append(child)
            return

    def _attach_keys(self):
        """Hang every key dump on its IKE SA, child keys on the next child."""
        for dump in self.dumps:
            line = dump.line
            if line.uid is None:
                continue
            sa = self.sas[line.uid]
            key = IKE_KEY_LABELS.get(dump.label)
            if key:
                # IKEv2 IKE SA rekey: the new SA's keys are derived in the
                # old SA's context, after the old SA was established
                new = next((s for s in self.sas.values()
                            if s.rekeyed_from is sa and sa.established is not None
                            and sa.established.no < line.no <= s.established.no),
                           None)
                # A retried SA derives again: the last one counts.
                (new or sa).keys[key] = dump.hex()
                continue
            if dump.label == "natd_chunk" and sa.spis is None:
                data = bytes(dump.data)
                ispi, rspi = data[:8].hex(), data[8:16].hex()
                if rspi != "0" * 16:
                    sa.spis = (ispi, rspi)
                continue
            ckey = CHILD_KEY_LABELS.get(dump.label)
            if ckey:
                child = next((c for c in sa.children
                              if c.line.no > line.no and c.line.thread == line.thread
                              and ckey not in c.keys), None)
                if child is not None:
                    child.keys[ckey] = dump.hex()

    # convenience -------------------------------------------------------
    def sas_in_order(self):
        return [self.sas[k] for k in sorted(self.sas)]

    def first(self, pattern):
        rx = re.compile(pattern)
        for l in self.lines:
            if rx.search(l.msg):
                return l
        return None

    def all(self, pattern):
        rx = re.compile(pattern)
        return [l for l in self.lines if rx.search(l.msg)]
