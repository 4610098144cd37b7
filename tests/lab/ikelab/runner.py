"""Runs one scenario end to end in one lab slot.

    namespaces -> daemons -> tcpdump -> steps -> stop -> logs, ESP,
    key files, label (expected.json) -> checks with tshark
"""
import json
import os
import re
import shutil
import time

from . import (capture, charonlog, daemon, espsynth, keyfiles, label,
               pcapfile, schema, topology, wire)

LAB_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PSK_DEFAULT = daemon.PSK_DEFAULT
STRONGSWAN_VERSION = "5.9.8"


class StepError(RuntimeError):
    pass


def run_steps(scn, daemons, say, topo=None):
    ini = daemons["initiator"]
    for step in scn.steps:
        words = step.split()
        verb = words[0]
        if verb == "initiate":
            ini.initiate()
        elif verb == "wait-initiate":
            rc = ini.wait_initiate(float(words[1]))
            say("  swanctl --initiate returned %d" % rc)
        elif verb == "sleep":
            time.sleep(float(words[1]))
        elif verb == "wait":
            # wait <side> <timeout> <regex>: a line of that side's log
            side, timeout = words[1], float(words[2])
            rx = re.compile(step.split(None, 3)[3])
            deadline = time.time() + timeout
            while not rx.search(daemons[side].log_text()):
                if time.time() > deadline:
                    raise StepError("%s: no log line matching %r within %ss"
                                    % (side, rx.pattern, timeout))
                time.sleep(0.1)
        elif verb == "terminate":
            ini.swanctl("--terminate", "--ike", "lab", "--timeout", "15")
        elif verb == "block":
            # block: the middle router starts dropping UDP 500/4500 and ESP
            # silently (a peer that went away, a path that broke)
            topo.apply_mode("drop-ike")
            topo.apply_mode("drop-esp")
        elif verb == "rekey":
            # rekey <ike|child>
            what = words[1]
            ini.swanctl("--rekey", "--" + what, "lab" if what == "ike" else "net")
        else:
            raise StepError("unknown step %r" % step)


def execute(scn, slot, shim, certdir, work, say):
    """Runs the daemons; leaves configs, logs and raw.pcap in `work`."""
    topo = topology.Topology(slot)
    topo.remove_stale(say)
    daemons = {}
    cap = None
    try:
        topo.create(scn.topology)
        nat = scn.topology.startswith("nat")
        for side, ns in (("initiator", topo.ns["ini"]),
                         ("responder", topo.ns["res"])):
            daemons[side] = daemon.Daemon(side, ns, work, shim, scn,
                                          certdir=certdir, nat=nat)
        cap = capture.Capture(topo.ns["mid"], scn.capture,
                              os.path.join(work, "raw.pcap"))
        if scn.responder_running:
            daemons["responder"].start()
        daemons["initiator"].start()
        cap.start()
        time.sleep(0.3)
        run_steps(scn, daemons, say, topo)
        stop_time = time.time()
        cap.stop()
        with open(os.path.join(work, "capture-stopped"), "w") as f:
            f.write("%.6f\n" % stop_time)
    finally:
        if cap is not None:
            cap.stop()
        for d in daemons.values():
            d.stop()
        topo.destroy()


MESSAGE_NUMBERING = {
    "main": "main mode: the initiator's n-th generated ID_PROT message is "
            "MM(2n-1), the responder's MM(2n)",
    "aggressive": "aggressive mode: the initiator generates AM1 and AM3, "
                  "the responder AM2",
    "ikev2": "IKEv2: the initiator generates the IKE_SA_INIT and IKE_AUTH "
             "requests, the responder the responses; EF(n/m) lines are "
             "RFC 7383 fragments of one message",
}

CAPTURE_POINTS = {
    ("ini-side", False): "middle router, on its link to the initiator "
                         "(tcpdump -i ini-side, 192.0.2.1)",
    ("res-side", False): "middle router, on its link to the responder "
                         "(tcpdump -i res-side, 203.0.113.1)",
    ("res-side", True): "middle router, on its link to the responder, after "
                        "the NAT (tcpdump -i res-side, 203.0.113.1)",
    ("ini-side", True): "middle router, on its link to the initiator, before "
                        "the NAT (tcpdump -i ini-side, 192.0.2.1)",
}


def esp_windows(pairs, ike, logs, stop_time):
    """Where each CHILD SA's pings go: after the last IKE frame of the
    exchange that created it, before the next IKE frame (or the end)."""
    windows = []
    for child, _, _ in pairs:
        t = child.line.time
        peer = [c.line.time for sa in logs["responder"].sas_in_order()
                for c in sa.children if c.spi_in == child.spi_out]
        t = max([t] + peer)
        before = [f["time"] for f in ike if f["time"] <= t + 0.05]
        start = max([t] + before) + 0.25
        after = [f["time"] for f in ike if f["time"] > start]
        end = (min(after) - 0.05) if after else (stop_time - 0.1)
        windows.append((start, end))
    return windows


def tshark_checks(outdir, key_files, version, ike):
    """Parse the capture, and decrypt it with the key files we wrote."""
    cap = os.path.join(outdir, "capture.pcap")
    res = wire.tshark(["-r", cap])
    if res.returncode != 0:
        raise RuntimeError("tshark cannot read %s: %s" % (cap, res.stderr))
    result = {"parsed_frames": len(res.stdout.splitlines())}
    config = {n: os.path.join(outdir, n) for n in key_files
              if n in ("ikev1_decryption_table", "ikev2_decryption_table",
                       "esp_sa")}
    prefs = ["esp.enable_encryption_decode:TRUE",
             "esp.enable_authentication_check:TRUE"]
    # Decrypted: tshark shows the inner payloads, finds nothing malformed
    # and (IKEv2) no integrity checksum error.
    if version == 1:
        rows = wire.fields(cap, "isakmp.flag_e == 1",
                           ["frame.number", "isakmp.typepayload",
                            "_ws.malformed"], config=config, prefs=prefs)
        ok = [r for r in rows if r[1] and not r[2]]
    else:
        rows = wire.fields(cap, "isakmp.typepayload == 46 || "
                           "isakmp.typepayload == 53",
                           ["frame.number", "isakmp.enc.decrypted",
                            "_ws.malformed",
                            "isakmp.ikev2.integrity_checksum"],
                           config=config, prefs=prefs)
        ok = [r for r in rows if r[1] and not r[2] and not r[3]]
    result["ike_encrypted_frames"] = len(rows)
    result["ike_decrypted_frames"] = len(ok)
    result["ike_not_decrypted"] = [int(r[0]) for r in rows if r not in ok]
    # Wireshark does not decrypt IKEv1 retransmissions: they reuse their
    # original's IV, Wireshark chains on from the last message it saw.
    result["ike_retransmissions"] = [f["frame"] for f in ike
                                     if f["retransmission"]]
    rows = wire.fields(cap, "esp", ["frame.number", "icmp.type",
                                    "esp.icv_good"],
                       config=config, prefs=prefs)
    if rows:
        result["esp_frames"] = len(rows)
        result["esp_decrypted_frames"] = sum(1 for r in rows if r[1])
        result["esp_icv_good_frames"] = sum(1 for r in rows if r[2] == "1")
    return result


def finish(scn, work, outdir):
    """Turns a run's raw results into tests/pcaps/<scenario>/."""
    logs = {}
    for side in ("initiator", "responder"):
        path = os.path.join(work, side, "charon.log")
        logs[side] = charonlog.CharonLog(path) if os.path.exists(path) else None
    with open(os.path.join(work, "capture-stopped")) as f:
        stop_time = float(f.read())
    linktype, snaplen, frames = pcapfile.read(os.path.join(work, "raw.pcap"))
    if linktype != pcapfile.LINKTYPE_ETHERNET:
        raise RuntimeError("capture link type %d, expected Ethernet" % linktype)
    ike = wire.ike_frames(frames)

    derived, ini_sa, res_sa = label.derive(scn, logs["initiator"],
                                           logs["responder"])
    label.compare(scn, derived)

    pairs = []
    if scn.esp:
        for sa in logs["initiator"].sas_in_order():
            pairs += espsynth.child_sas(sa, logs["responder"])
        if not pairs:
            raise RuntimeError("esp = yes but no CHILD SA was established")
        windows = esp_windows(pairs, ike, logs, stop_time)
        synth = espsynth.build(pairs, ike, windows)
        frames = pcapfile.merge(frames, [pcapfile.Frame.at(t, b)
                                         for t, b in synth])

    if os.path.isdir(outdir):
        shutil.rmtree(outdir)
    os.makedirs(outdir)
    pcapfile.write(os.path.join(outdir, "capture.pcap"), frames, linktype,
                   snaplen)
    for side, log in logs.items():
        if log is not None:
            shutil.copyfile(log.path, os.path.join(outdir, side + ".log"))
    fill_missing_spis(logs, ike)
    key_files, key_notes = keyfiles.write(outdir, scn.version, logs, pairs)
    checks = tshark_checks(outdir, key_files, scn.version,
                           wire.ike_frames(frames))
    if scn.esp and not (checks.get("esp_frames") and
                        checks["esp_decrypted_frames"] == checks["esp_frames"]
                        == checks["esp_icv_good_frames"]):
        raise RuntimeError("tshark does not decrypt all synthesized ESP "
                           "with esp_sa: %s" % checks)
    undecrypted = sorted(set(checks["ike_not_decrypted"]) -
                         set(checks["ike_retransmissions"]))
    if derived["outcome"] in ("established", "deleted") and undecrypted:
        raise RuntimeError("tshark does not decrypt IKE frames %s with the "
                           "key table" % undecrypted)

    doc = build_doc(scn, derived, logs, ini_sa, res_sa, frames, key_files,
                    key_notes, checks, work)
    problems = schema.validate(doc, scn.name)
    if problems:
        raise label.LabelError("; ".join(problems))
    with open(os.path.join(outdir, "expected.json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    leak_check(outdir, work)
    return doc


def fill_missing_spis(logs, ike):
    """IKE SPIs come from the NAT-D input charon dumps. An SA that failed
    before NAT-D (aggressive mode with a bad HASH_R) gets them from the
    capture: the n-th such SA of the log is the n-th IKE SA on the wire."""
    pairs = []
    for f in ike:
        if f["rspi"] != "0" * 16 and (f["ispi"], f["rspi"]) not in pairs:
            pairs.append((f["ispi"], f["rspi"]))
    for log in logs.values():
        if log is None:
            continue
        known = [sa.spis for sa in log.sas_in_order() if sa.spis]
        free = [p for p in pairs if p not in known]
        for sa in log.sas_in_order():
            if sa.spis is None and sa.keys and free:
                sa.spis = free.pop(0)


def shim_acks(work):
    """How many XFRM SA installs the shim answered, per side (its stderr)."""
    out = {}
    for side in ("initiator", "responder"):
        try:
            with open(os.path.join(work, side, "charon.stderr")) as f:
                out[side] = sum(1 for l in f if "acknowledging XFRM_MSG_" in l)
        except FileNotFoundError:
            out[side] = 0
    return out


def build_doc(scn, derived, logs, ini_sa, res_sa, frames, key_files,
              key_notes, checks, work):
    exp = scn.expect
    nat = scn.topology.startswith("nat")
    notes = []
    if scn.notes:
        notes.append(scn.notes)
    notes.append(
        "States derived from the logs: each side's newest IKE SA, the "
        "messages it logged as generated and parsed, and whether it logged "
        "the SA as established (%s)." % MESSAGE_NUMBERING[scn.mode])
    notes.append(label.narrative("initiator", ini_sa))
    notes.append(label.narrative("responder", res_sa))
    if scn.esp:
        notes.append(
            "ESP synthesized from negotiated keys: the lab kernel has no ESP, "
            "so the tunnel carried nothing; 4 ICMP echo request/reply pairs "
            "per CHILD SA (10.1.0.1 <-> 10.2.0.1, tunnel mode) were built "
            "with the SPIs, algorithms and keys both daemons logged, framed "
            "like the IKE packets of the same direction, and merged into "
            "the capture in time order.")
    for side in ("initiator", "responder"):
        if logs[side] is None:
            continue
        for line in logs[side].all(r"^ignoring "):
            notes.append("The %s logged: \"%s\"." % (side, line.msg))
    if checks["ike_retransmissions"]:
        notes.append(
            "Frames %s repeat an earlier IKE message byte for byte "
            "(retransmissions)." % ", ".join(
                str(n) for n in checks["ike_retransmissions"]))
    notes += key_notes
    lines = {side: label.find_line(logs[side], exp.get("log_" + side))
             for side in ("initiator", "responder")}
    doc = {
        "scenario": scn.name,
        "description": scn.description,
        "version": scn.version,
        "mode": scn.mode,
        "configured": scn.configured,
        "outcome": derived["outcome"],
        "phase1": derived["phase1"],
        "phase2": derived["phase2"],
        "state_initiator": derived["state_initiator"],
        "state_responder": derived["state_responder"],
        "ios_state_initiator": derived["ios_state_initiator"],
        "ios_state_responder": derived["ios_state_responder"],
        "cause": schema.parse_value(exp.get("cause", "null")),
        "cause_without_keys": schema.parse_value(
            exp.get("cause_without_keys", "null")),
        "confidence_without_keys": schema.parse_value(
            exp.get("confidence_without_keys", "null")),
        "esp": "synthesized from negotiated keys" if scn.esp else "none",
        "capture_point": CAPTURE_POINTS[(scn.capture, nat)],
        "frames": len(frames),
        "log_initiator": lines["initiator"][0],
        "log_responder": lines["responder"][0],
        "notes": " ".join(notes),
    }
    doc["log_context_initiator"] = lines["initiator"][1]
    doc["log_context_responder"] = lines["responder"][1]
    if scn.version == 1:
        doc["phase2_state_initiator"] = derived["phase2_state_initiator"]
        doc["phase2_state_responder"] = derived["phase2_state_responder"]
    doc["ike_proposal"] = ini_sa.proposal
    doc["ike_spis"] = [
        {"ispi": sa.spis[0], "rspi": sa.spis[1]}
        for sa in logs["initiator"].sas_in_order() if sa.spis]
    doc["child_sas"] = [
        {"spi_i2r": c.spi_out, "spi_r2i": c.spi_in, "proposal": c.proposal}
        for sa in logs["initiator"].sas_in_order() for c in sa.children]
    doc["auth"] = scn.side["initiator"].get("auth", "psk")
    if doc["auth"] == "psk":
        doc["psk_initiator"] = scn.side["initiator"].get("psk", PSK_DEFAULT)
        doc["psk_responder"] = scn.side["responder"].get("psk", PSK_DEFAULT)
    doc["retransmissions"] = {
        "initiator": len(ini_sa.retransmits) if ini_sa else 0,
        "responder": len(res_sa.retransmits) if res_sa else 0,
        "timers": "retransmit_timeout %s s, retransmit_base %s, "
                  "retransmit_tries %s" % (
                      daemon.RETRANSMIT["retransmit_timeout"],
                      daemon.RETRANSMIT["retransmit_base"],
                      daemon.RETRANSMIT["retransmit_tries"])}
    doc["sa_installs_acknowledged_by_shim"] = shim_acks(work)
    doc["key_files"] = sorted(key_files)
    doc["tshark_check"] = checks
    doc["daemon"] = "strongSwan %s charon (Debian), one per network namespace" \
        % STRONGSWAN_VERSION
    return doc


def leak_check(outdir, work):
    """Committed files must not name a folder of the machine that ran the lab."""
    needles = [work, os.path.dirname(work) + "/ikelens-lab",
               os.path.dirname(os.path.dirname(LAB_ROOT))]
    for name in os.listdir(outdir):
        path = os.path.join(outdir, name)
        with open(path, "rb") as f:
            data = f.read()
        for n in needles:
            if n and n.encode() in data:
                raise RuntimeError("%s contains the local path %s" % (path, n))
