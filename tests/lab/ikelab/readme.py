"""tests/pcaps/README.md, regenerated from every expected.json."""
import json
import os
import string

from . import daemon, scan

TEMPLATE = os.path.join(daemon.LAB_DIR, "templates", "pcaps-README.md.in")
DURATION = "2.5 minutes with the default -j 2"


def _cell(text):
    return (text or "-").replace("|", "\\|").replace("\n", " ")


def table(pcaps, names):
    rows = ["| scenario | configured | outcome (phase 1 / phase 2) | "
            "states I / R | cause | ESP | frames | KB | tshark: IKE, ESP "
            "decrypted |",
            "|---|---|---|---|---|---|---|---|---|"]
    for name in names:
        path = os.path.join(pcaps, name, "expected.json")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            doc = json.load(f)
        size = os.path.getsize(os.path.join(pcaps, name, "capture.pcap"))
        chk = doc.get("tshark_check", {})
        ike = "%d/%d" % (chk.get("ike_decrypted_frames", 0),
                         chk.get("ike_encrypted_frames", 0))
        esp = "-"
        if "esp_frames" in chk:
            esp = "%d/%d, ICV %d/%d" % (
                chk["esp_decrypted_frames"], chk["esp_frames"],
                chk["esp_icv_good_frames"], chk["esp_frames"])
        rows.append("| `%s` | %s | %s (%s / %s) | %s / %s | %s | %s | %d | "
                    "%.1f | %s; %s |" % (
                        name, _cell(doc["configured"]), doc["outcome"],
                        doc["phase1"], doc["phase2"],
                        _cell(doc["state_initiator"]),
                        _cell(doc["state_responder"]),
                        "`%s`" % doc["cause"] if doc["cause"] else "-",
                        "synthesized" if doc["esp"] != "none" else "none",
                        doc["frames"], size / 1024.0, ike, esp))
    return "\n".join(rows)


def scan_table(pcaps, names):
    """The scanner captures (tests/lab/scan), one row each."""
    rows = ["| capture | ike-scan runs | targets (answering) | answers | "
            "probes | frames | seconds | KB |",
            "|---|---|---|---|---|---|---|---|"]
    for name in names:
        path = os.path.join(pcaps, name, "expected.json")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            doc = json.load(f)
        size = os.path.getsize(os.path.join(pcaps, name, "capture.pcap"))
        answers = ", ".join("%s %d" % kv
                            for kv in sorted(doc["answers"].items()))
        rows.append("| `%s` | %s | %d (%s) | %s | %d | %d | %.1f | %.1f |" % (
            name, "<br>".join("`%s`" % _cell(c) for c in doc["commands"]),
            doc["distinct_targets"], ", ".join(doc["answering_targets"]) or "-",
            answers or "none", len(doc["probes"]), doc["frames"],
            doc["duration"], size / 1024.0))
    return "\n".join(rows)


def write(pcaps, names, strongswan=None, tshark=None):
    with open(TEMPLATE) as f:
        tmpl = string.Template(f.read())
    text = tmpl.substitute(
        table=table(pcaps, names),
        scan_table=scan_table(pcaps, scan.names()),
        strongswan="strongSwan " + (strongswan or "5.9.8"),
        tshark=tshark or "4.0",
        timeout=daemon.RETRANSMIT["retransmit_timeout"],
        base=daemon.RETRANSMIT["retransmit_base"],
        tries=daemon.RETRANSMIT["retransmit_tries"],
        duration=DURATION)
    with open(os.path.join(pcaps, "README.md"), "w") as f:
        f.write(text)
