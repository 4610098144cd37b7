"""Scanner captures: ike-scan against one real strongSwan responder.

The lab's topology, with only the responder's charon running: ike-scan in
the initiator's namespace (192.0.2.10) sweeps 203.0.113.16-203.0.113.24 on
the responder's link, where only 203.0.113.20 is assigned. tcpdump runs on
the middle router's link facing the scanner, so it sees every probe, the
responder's answers and the router's ICMP errors for the addresses nobody
has (the router's neighbour resolution fails on the responder's link, so
those probes never leave the router).

The label (expected.json) is read from the capture with tshark and from the
responder's charon log, never from ikelens: per probe (one initiator cookie
or SPI, one target) the frames that carried it, what answered it and when,
and which of the responder's IKE SAs it became.

    namespaces -> responder charon -> tcpdump -> ike-scan runs -> stop ->
    tshark facts + charon log -> tests/pcaps/scan-*/
"""
import datetime
import json
import os
import re
import shutil
import subprocess
import time

from . import capture, charonlog, daemon, pcapfile, runner, topology, wire

SCANNER = topology.INI_ADDR
RESPONDER = topology.RES_ADDR
ROUTER = topology.MID_A_ADDR
FIRST, LAST = 16, 24
RANGE = "203.0.113.%d-203.0.113.%d" % (FIRST, LAST)
TARGETS = ["203.0.113.%d" % i for i in range(FIRST, LAST + 1)]
SILENT = [t for t in TARGETS if t != RESPONDER]
AGGR_ID = "vpnuser@example.com"
PSK = daemon.PSK_DEFAULT
PSK_PARAMS = "psk-crack-params.txt"
# The last sweep of every scan retries its silent targets at a fixed
# interval (--backoff=1), so the capture goes on well past 10 s after the
# last answer: 15 s after MM2 and the IKE_SA_INIT response (4 sends, 5 s
# apart), 28 s after the first AM2, which strongSwan retransmits for 15.8 s
# (5 sends, 7 s apart). An analyser sees the scanner never take its turn
# while the capture goes on.
SLOW = "--retry=%d --timeout=%d --backoff=1"
CAPTURE_IFACE = "ini-side"
NS_PREFIX = "ikescan"

# The responder accepts main mode and aggressive mode with a PSK, and
# IKEv2, each offered AES-128/SHA-1/MODP-2048 (ike-scan's --trans
# 7/128,2,1,14 and one of the combinations of its default IKEv2 proposal).
PROPOSALS = "aes128-sha1-modp2048, aes256-sha256-modp2048"
IKEV1_TRANS = "--trans=7/128,2,1,14"

NOTIFY_V1 = {1: "INVALID_PAYLOAD_TYPE", 5: "INVALID_MAJOR_VERSION",
             14: "NO_PROPOSAL_CHOSEN", 16: "PAYLOAD_MALFORMED",
             17: "INVALID_KEY_INFORMATION", 18: "INVALID_ID_INFORMATION",
             24: "AUTHENTICATION_FAILED"}
NOTIFY_V2 = {5: "INVALID_MAJOR_VERSION", 7: "INVALID_SYNTAX",
             14: "NO_PROPOSAL_CHOSEN", 17: "INVALID_KE_PAYLOAD",
             24: "AUTHENTICATION_FAILED", 16390: "COOKIE"}
# What a probe's answer is called, and what the scanner's silence after it
# means (CONTRACT.md cause IDs); an error notify ends the probe by itself.
ANSWER_CAUSE = {"MM2": "initiator_abandoned", "AM2": "initiator_abandoned",
                "IKE_SA_INIT response": "initiator_abandoned",
                "NO_PROPOSAL_CHOSEN": "p1_proposal_mismatch"}
ABANDON_AFTER = 10.0


class Scan:
    def __init__(self, name, version, mode, description, runs, notes=""):
        self.name = name
        self.version = version
        self.mode = mode
        self.description = " ".join(description.split())
        self.runs = runs          # argument lists for ike-scan, in order
        self.notes = " ".join(notes.split())


def _slow(retries, timeout):
    return (SLOW % (retries, timeout)).split()


SCANS = [
    Scan("scan-ikev1-main", 1, "main",
         """ike-scan sweeps nine addresses in IKEv1 main mode twice: first
         with its default transforms (DES/3DES, MD5/SHA-1, MODP-768/1024),
         which the responder refuses with NO-PROPOSAL-CHOSEN, then with
         AES-128/SHA-1/MODP-2048, which it accepts with MM2. The scanner
         never sends MM3; eight addresses have no host.""",
         [[RANGE],
          [IKEV1_TRANS] + _slow(4, 5000) + [RANGE]]),
    Scan("scan-ikev1-aggressive", 1, "aggressive",
         """ike-scan in IKEv1 aggressive mode with a PSK offer and an
         identity: first --pskcrack against the responder (which answers
         AM2 and so hands out a hash of its pre-shared key), then a sweep of
         nine addresses with the same offer, answered with AM2 by the
         responder only. The scanner never sends AM3.""",
         [["--aggressive", "--id=" + AGGR_ID, IKEV1_TRANS, "--dhgroup=14",
           "--pskcrack=" + PSK_PARAMS, RESPONDER],
          ["--aggressive", "--id=" + AGGR_ID, IKEV1_TRANS, "--dhgroup=14"]
          + _slow(5, 7000) + [RANGE]],
         notes="""strongSwan retransmits AM2 (IKEv1 responders expect AM3)
         and gives up after 5 retransmissions."""),
    Scan("scan-ikev2", 2, "ikev2",
         """ike-scan sweeps nine addresses with IKEv2 IKE_SA_INIT requests
         (its default proposal, with a MODP-2048 key exchange); the
         responder answers with a full IKE_SA_INIT response and the
         scanner never sends IKE_AUTH.""",
         [["--ikev2", "--dhgroup=14"] + _slow(4, 5000) + [RANGE]]),
]


def names():
    return [s.name for s in SCANS]


def get(name):
    return next(s for s in SCANS if s.name == name)


def command_line(args):
    return " ".join(["ike-scan"] + args)


# -- the responder ---------------------------------------------------------

def responder_swanctl():
    """One connection per kind of offer; any peer address, any identity."""
    def conn(name, version, extra):
        out = ["    %s {" % name,
               "        version = %d" % version,
               "        local_addrs = %s" % RESPONDER,
               "        remote_addrs = %any",
               "        proposals = %s" % PROPOSALS,
               "        rand_time = 0"]
        out += ["        %s" % e for e in extra]
        out += ["        local {", "            auth = psk",
                "            id = east.example.com", "        }",
                "        remote {", "            auth = psk", "        }",
                "        children {", "            net {",
                "                local_ts = %s" % topology.RES_LAN,
                "                esp_proposals = aes128-sha1",
                "            }", "        }", "    }"]
        return out

    lines = ["# swanctl.conf for the lab's scanned responder, generated by "
             "tests/lab/scan", "connections {"]
    lines += conn("main", 1, [])
    lines += conn("aggressive", 1, ["aggressive = yes"])
    lines += conn("ikev2", 2, ["mobike = no"])
    lines += ["}", "secrets {", "    ike-lab {",
              '        secret = "%s"' % PSK, "    }", "}"]
    return "\n".join(lines) + "\n"


class _Setup:
    """What daemon.Daemon reads from a scenario: the responder's settings."""
    version = 1
    side = {"responder": {
        # strongSwan refuses aggressive mode with a PSK as a responder
        # unless told otherwise (the hash it sends can be cracked offline)
        "charon.i_dont_care_about_security_and_use_aggressive_mode_psk": "yes",
    }}


class Responder(daemon.Daemon):
    def __init__(self, ns, workdir, shim):
        super().__init__("responder", ns, workdir, shim, _Setup())
        with open(os.path.join(self.swanctl_dir, "swanctl.conf"), "w",
                  encoding="utf-8") as f:
            f.write(responder_swanctl())


class ScanTopology(topology.Topology):
    """The lab's three namespaces under names of their own (`ikescan-*`),
    so a scan never collides with a scenario run."""

    def __init__(self):
        super().__init__(0)
        self.ns = {role: "%s-%s" % (NS_PREFIX, role)
                   for role in ("ini", "mid", "res")}


# -- running ---------------------------------------------------------------

def _last_frame_time(path):
    try:
        _, _, frames = pcapfile.read(path)
    except (OSError, ValueError):   # tcpdump is writing a record
        return None
    return frames[-1].time if frames else None


def execute(scan, shim, work, say, linger=2.0):
    """Runs the responder, tcpdump and the ike-scan runs; leaves the raw
    capture, the log and ike-scan's output in `work`."""
    topo = ScanTopology()
    topo.remove_stale(say)
    res = cap = None
    runs = []
    try:
        topo.create("plain")
        res = Responder(topo.ns["res"], work, shim)
        cap = capture.Capture(topo.ns["mid"], CAPTURE_IFACE,
                              os.path.join(work, "raw.pcap"))
        res.start()
        cap.start()
        time.sleep(0.3)
        for args in scan.runs:
            say("  %s" % command_line(args))
            t0 = time.time()
            out = subprocess.run(
                ["ip", "netns", "exec", topo.ns["ini"], "ike-scan"] + args,
                cwd=work, text=True, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                timeout=120)
            runs.append({"args": args, "start": t0, "end": time.time(),
                         "rc": out.returncode, "output": out.stdout})
            if out.returncode != 0:
                raise RuntimeError("%s exited %d:\n%s" % (
                    command_line(args), out.returncode, out.stdout))
            time.sleep(0.2)
        # ICMP errors for the last probes come about 3 s after them
        deadline = time.time() + 10
        while time.time() < deadline:
            last = _last_frame_time(cap.path)
            if last is not None and time.time() - last >= linger:
                break
            time.sleep(0.2)
        cap.stop()
    finally:
        if cap is not None:
            cap.stop()
        if res is not None:
            res.stop()
        topo.destroy()
    with open(os.path.join(work, "runs.json"), "w") as f:
        json.dump(runs, f)


# -- what the wire shows ---------------------------------------------------

FIELDS = ["frame.number", "frame.time_epoch", "ip.src", "ip.dst",
          "udp.srcport", "udp.dstport", "udp.length", "isakmp.ispi",
          "isakmp.rspi", "isakmp.exchangetype", "isakmp.flags",
          "isakmp.notify.msgtype", "isakmp.typepayload", "icmp.type",
          "icmp.code"]


def tshark_frames(path):
    """Every frame as tshark dissects it; ICMP errors with the quoted IKE."""
    res = wire.tshark(["-r", path, "-T", "fields", "-E", "occurrence=a",
                       "-E", "aggregator=,"] +
                      sum((["-e", f] for f in FIELDS), []))
    if res.returncode != 0:
        raise RuntimeError("tshark failed: %s" % res.stderr.strip())
    out = []
    for line in res.stdout.splitlines():
        v = dict(zip(FIELDS, line.split("\t")))
        src, dst = v["ip.src"].split(","), v["ip.dst"].split(",")
        f = {"frame": int(v["frame.number"]),
             "time": float(v["frame.time_epoch"]),
             "src": src[0], "dst": dst[0]}
        if v["icmp.type"]:
            f["icmp"] = {"type": int(v["icmp.type"].split(",")[0]),
                         "code": int(v["icmp.code"].split(",")[0]),
                         "quoted_src": src[1] if len(src) > 1 else None,
                         "quoted_dst": dst[1] if len(dst) > 1 else None,
                         "quoted_ispi": v["isakmp.ispi"] or None}
        elif v["isakmp.ispi"]:
            f["ike"] = {
                "ispi": v["isakmp.ispi"], "rspi": v["isakmp.rspi"],
                "exchange": int(v["isakmp.exchangetype"]),
                "flags": int(v["isakmp.flags"], 16),
                "notify": [int(n) for n in v["isakmp.notify.msgtype"].split(",")
                           if n],
                "payloads": [int(p) for p in v["isakmp.typepayload"].split(",")
                             if p],
                "udp_payload": int(v["udp.length"]) - 8}
        out.append(f)
    return out


def answer_name(version, ike):
    """MM2, AM2, IKE_SA_INIT response, or the error notify's name."""
    names = NOTIFY_V1 if version == 1 else NOTIFY_V2
    errors = [n for n in ike["notify"] if n < 16384 or n == 16390]
    if version == 1:
        if ike["exchange"] == 5 and errors:
            return names.get(errors[0], "NOTIFY_%d" % errors[0])
        return {2: "MM2", 4: "AM2"}.get(ike["exchange"],
                                        "exchange %d" % ike["exchange"])
    if ike["exchange"] == 34 and ike["flags"] & 0x20:
        if 33 not in ike["payloads"] and errors:
            return "IKE_SA_INIT response N(%s)" % names.get(
                errors[0], str(errors[0]))
        return "IKE_SA_INIT response"
    return "exchange %d" % ike["exchange"]


def rfc3339(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ")


# -- what the responder logged ---------------------------------------------

PACKET_RE = re.compile(r"^(?P<dir>received|sending) packet: from (?P<src>\S+)"
                       r"\[(?P<sport>\d+)\] to (?P<dst>\S+)\[(?P<dport>\d+)\]"
                       r" \((?P<len>\d+) bytes\)$")


def responder_sas(log):
    """The responder's IKE SAs in the order they began, with what each
    received and sent (sizes), parsed and generated."""
    out = []
    for uid in sorted(log.sas):
        sa = log.sas[uid]
        packets = []
        for line in sa.lines:
            m = PACKET_RE.match(line.msg)
            if m:
                packets.append((m.group("dir"), m.group("src"),
                                int(m.group("len")), line))
        if not packets or packets[0][0] != "received":
            continue
        out.append({"sa": sa, "packets": packets})
    return out


def log_facts(entry, end):
    sa = entry["sa"]
    parsed = [m for m in sa.messages if not m.sent]
    sent = [m for m in sa.messages if m.sent]
    decisive = sa.find(r"^(no proposal found|selected proposal: IKE:|"
                       r"found \d+ matching config)")
    gen = next((l for l in sa.lines if l.msg.startswith("generating ")), None)
    return {
        "ike_sa": sa.uid,
        "mode": sa.mode,
        "received_bytes": entry["packets"][0][2],
        "sent_bytes": [p[2] for p in entry["packets"] if p[0] == "sending"],
        "parsed": ["%s %s %d [ %s ]" % (m.exchange, m.kind, m.msgid,
                                        " ".join(m.payloads)) for m in parsed],
        "generated": ["%s %s %d [ %s ]" % (m.exchange, m.kind, m.msgid,
                                           " ".join(m.payloads)) for m in sent],
        "proposal": sa.proposal,
        "spis": list(sa.spis) if sa.spis else None,
        "retransmits": len(sa.retransmits),
        "gave_up": sa.gave_up.verbatim if sa.gave_up else None,
        # charon logs local time, as Line.time reads it
        "gave_up_before_capture_end":
            round(end - sa.gave_up.time, 3) if sa.gave_up else None,
        "lines": [l.verbatim for l in decisive] +
                 ([gen.verbatim] if gen else []),
    }


# -- the label --------------------------------------------------------------

def probes_of(scan, frames, runs):
    """One probe per (initiator cookie or SPI, target), in sending order."""
    probes = []
    index = {}
    for f in frames:
        ike = f.get("ike")
        if ike is None:
            continue
        if f["src"] == SCANNER:
            key = (ike["ispi"], f["dst"])
            if key not in index:
                run = max(i for i, r in enumerate(runs, 1)
                          if i == 1 or r["start"] <= f["time"] + 0.05)
                index[key] = len(probes)
                probes.append({"ispi": ike["ispi"], "target": f["dst"],
                               "run": run, "frames": [], "answer": None,
                               "answer_frames": [], "icmp_frames": [],
                               "_t": []})
            p = probes[index[key]]
            p["frames"].append(f["frame"])
            p["_t"].append(f["time"])
        elif f["dst"] == SCANNER:
            p = probes[index[(ike["ispi"], f["src"])]]
            p["answer_frames"].append(f["frame"])
            name = answer_name(scan.version, ike)
            if p["answer"] is None:
                p["answer"] = {"message": name, "frame": f["frame"],
                               "rspi": ike["rspi"], "time": f["time"]}
            elif name != p["answer"]["message"]:
                raise RuntimeError("probe %s: answered %s, then %s" % (
                    ike["ispi"], p["answer"]["message"], name))
            p["answer"]["last_time"] = f["time"]
    for f in frames:
        icmp = f.get("icmp")
        if icmp is None:
            continue
        key = (icmp["quoted_ispi"], icmp["quoted_dst"])
        if key in index:
            probes[index[key]]["icmp_frames"].append(f["frame"])
    return probes


def build_doc(scan, frames, runs, log, versions):
    end = frames[-1]["time"]
    probes = probes_of(scan, frames, runs)
    icmp = [f for f in frames if "icmp" in f]
    sas = responder_sas(log) if log else []
    to_responder = [p for p in probes if p["target"] == RESPONDER]
    if len(sas) != len(to_responder):
        raise RuntimeError("the responder logged %d IKE SAs, the capture "
                           "holds %d probes to it"
                           % (len(sas), len(to_responder)))
    for p, entry in zip(to_responder, sas):
        facts = log_facts(entry, end)
        first = frames[p["frames"][0] - 1]
        if facts["received_bytes"] != first["ike"]["udp_payload"]:
            raise RuntimeError("probe %s: %d bytes on the wire, the responder "
                               "logged %d" % (p["ispi"],
                                              first["ike"]["udp_payload"],
                                              facts["received_bytes"]))
        if facts["mode"] != scan.mode:
            raise RuntimeError("probe %s: the responder logged a %s SA"
                               % (p["ispi"], facts["mode"]))
        if facts["spis"] and facts["spis"][0] != p["ispi"]:
            raise RuntimeError("probe %s: the responder logged SPIs %s"
                               % (p["ispi"], facts["spis"]))
        answers = [frames[n - 1]["ike"]["udp_payload"]
                   for n in p["answer_frames"]]
        if answers != facts["sent_bytes"]:
            raise RuntimeError("probe %s: answers of %s bytes on the wire, the "
                               "responder logged %s" % (p["ispi"], answers,
                                                        facts["sent_bytes"]))
        p["responder_log"] = facts
    out = []
    for p in probes:
        a = p["answer"]
        doc = {"ispi": p["ispi"], "target": p["target"], "run": p["run"],
               "sends": len(p["frames"]), "frames": p["frames"]}
        if a:
            doc["answer"] = {
                "message": a["message"], "frame": a["frame"],
                "rspi": a["rspi"], "frames": p["answer_frames"],
                "seconds_after_probe": round(a["time"] - p["_t"][0], 6),
                "last_answer_to_capture_end": round(end - a["last_time"], 6)}
            cause = ANSWER_CAUSE.get(a["message"])
            if cause == "initiator_abandoned" and \
                    end - a["last_time"] <= ABANDON_AFTER:
                cause = None   # the capture ends too soon to show it
        else:
            doc["answer"] = None
            cause = "peer_unreachable"
        doc["icmp_frames"] = p["icmp_frames"]
        doc["cause"] = cause
        doc["responder_log"] = p.get("responder_log")
        out.append(doc)

    answered = [p for p in out if p["answer"]]
    answers = {}
    for p in answered:
        answers[p["answer"]["message"]] = answers.get(p["answer"]["message"],
                                                      0) + 1
    targets = []
    for p in out:
        if p["target"] not in targets:
            targets.append(p["target"])
    doc = {
        "scan": scan.name,
        "kind": "scan",
        "description": scan.description,
        "version": scan.version,
        "mode": scan.mode,
        "scanner": SCANNER,
        "responder": RESPONDER,
        "commands": [command_line(r["args"]) for r in runs],
        "targets": targets,
        "distinct_targets": len(targets),
        "answering_targets": sorted({p["target"] for p in answered}),
        "silent_targets": [t for t in targets
                           if not any(p["answer"] for p in out
                                      if p["target"] == t)],
        "probes": out,
        "answers": answers,
        "icmp": {
            "frames": [f["frame"] for f in icmp],
            "kinds": sorted({"type %d code %d from %s" % (
                f["icmp"]["type"], f["icmp"]["code"], f["src"])
                for f in icmp}),
            "targets": sorted({f["icmp"]["quoted_dst"] for f in icmp}),
        },
        "capture_point": "middle router, on its link to the scanner "
                         "(tcpdump -i %s, %s)" % (CAPTURE_IFACE, ROUTER),
        "frames": len(frames),
        "first_time": rfc3339(frames[0]["time"]),
        "last_time": rfc3339(end),
        "duration": round(end - frames[0]["time"], 3),
        "responder_ike_sas": len(sas),
        "notes": notes(scan, out, icmp, sas),
        "scanner_tool": "ike-scan %s (Debian)" % versions["ike-scan"],
        "daemon": "strongSwan %s charon (Debian), responder only"
                  % versions["strongswan"],
    }
    return doc


def notes(scan, probes, icmp, sas):
    out = []
    if scan.notes:
        out.append(scan.notes)
    out.append("Probes are told apart by initiator cookie (IKEv1) or SPI "
               "(IKEv2) and target: ike-scan keeps one per target for a run "
               "and resends it unchanged until an answer comes or its "
               "retries run out.")
    silent = [p for p in probes if not p["answer"]]
    if silent:
        with_icmp = sum(1 for p in silent if p["icmp_frames"])
        out.append(
            "%d probe(s) went to addresses no host has: the router's "
            "neighbour resolution on the responder's link fails and it "
            "answers with ICMP host unreachable, rate-limited, so %d of them "
            "got at least one ICMP error (%d ICMP frames in all) and the "
            "others none." % (len(silent), with_icmp, len(icmp)))
    for p in probes:
        a = p["answer"]
        if not a:
            continue
        log = p["responder_log"] or {}
        text = "Probe %s (run %d) was answered with %s in frame %d" % (
            p["ispi"], p["run"], a["message"], a["frame"])
        if len(a["frames"]) > 1:
            text += " and again in frames %s (the responder's " \
                    "retransmissions)" % ", ".join(
                        str(n) for n in a["frames"][1:])
        text += "; the responder's IKE SA %s parsed %s and generated %s" % (
            log.get("ike_sa"), "; ".join(log.get("parsed", [])),
            "; ".join(log.get("generated", [])))
        if log.get("gave_up"):
            text += ", then logged \"%s\" %.1f s before the capture's last " \
                    "frame (nothing on the wire shows it)" % (
                        log["gave_up"].split("> ", 1)[-1],
                        log["gave_up_before_capture_end"])
        out.append(text + ".")
    out.append("The responder logged %d IKE SA(s); ike-scan never sent a "
               "second message." % len(sas))
    return " ".join(out)


def finish(scan, work, outdir, versions):
    with open(os.path.join(work, "runs.json")) as f:
        runs = json.load(f)
    linktype, snaplen, raw = pcapfile.read(os.path.join(work, "raw.pcap"))
    if linktype != pcapfile.LINKTYPE_ETHERNET:
        raise RuntimeError("capture link type %d, expected Ethernet" % linktype)
    logpath = os.path.join(work, "responder", "charon.log")
    log = charonlog.CharonLog(logpath)
    if os.path.isdir(outdir):
        shutil.rmtree(outdir)
    os.makedirs(outdir)
    cap = os.path.join(outdir, "capture.pcap")
    pcapfile.write(cap, raw, linktype, snaplen)
    shutil.copyfile(logpath, os.path.join(outdir, "responder.log"))
    with open(os.path.join(outdir, "ike-scan.txt"), "w") as f:
        for r in runs:
            f.write("$ %s\n%s" % (command_line(r["args"]), r["output"]))
            if not r["output"].endswith("\n"):
                f.write("\n")
    frames = tshark_frames(cap)
    if len(frames) != len(raw):
        raise RuntimeError("tshark shows %d frames, the capture holds %d"
                           % (len(frames), len(raw)))
    doc = build_doc(scan, frames, runs, log, versions)
    params = os.path.join(work, PSK_PARAMS)
    if os.path.exists(params):
        shutil.copyfile(params, os.path.join(outdir, PSK_PARAMS))
        doc["psk_crack"] = psk_crack(params, doc)
    with open(os.path.join(outdir, "expected.json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    runner.leak_check(outdir, work)
    return doc


def psk_crack(params, doc):
    """ike-scan's --pskcrack output holds AM2's hash; psk-crack with a small
    dictionary holding the responder's PSK must find it, which proves the
    AM2 on the wire was computed with that key."""
    with open(params) as f:
        fields = f.read().strip().split(":")
    # g_xr:g_xi:cky_r:cky_i:sai_b:idir_b:ni_b:nr_b:hash_r
    cky_r, cky_i = fields[2], fields[3]
    probe = next((p for p in doc["probes"] if p["ispi"] == cky_i), None)
    if probe is None or not probe["answer"] or \
            probe["answer"]["rspi"] != cky_r:
        raise RuntimeError("--pskcrack cookies %s/%s are no AM2 of the "
                           "capture" % (cky_i, cky_r))
    words = os.path.join(os.path.dirname(params), "words")
    with open(words, "w") as f:
        f.write("\n".join(["secret", "password", "vpn", PSK, "letmein"]) + "\n")
    res = subprocess.run(["psk-crack", "-d", words, params], text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    m = re.search(r'key "([^"]*)" matches', res.stdout)
    if not m or m.group(1) != PSK:
        raise RuntimeError("psk-crack did not find the PSK:\n%s" % res.stdout)
    return {"params_file": PSK_PARAMS, "ispi": cky_i, "rspi": cky_r,
            "answer_frame": probe["answer"]["frame"],
            "psk_found": m.group(1),
            "how": "psk-crack -d with a five-word dictionary holding the "
                   "responder's PSK"}
