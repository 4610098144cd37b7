#!/usr/bin/env python3
"""ikelens on real scanner captures: ike-scan against the lab's strongSwan
responder and eight addresses nobody has (tests/lab/scan writes them into
tests/pcaps/scan-*/, labelled from tshark and the responder's log, never
from ikelens).

Checked per capture, against expected.json:
  - one ike_sa record per probe (initiator cookie / SPI and target), and
    no SA established;
  - a probe answered with MM2, AM2 or an IKE_SA_INIT response whose last
    answer is more than 10 s older than the capture's last frame:
    initiator_abandoned, whose sentence calls the scanner a scanner and
    names its address;
  - an unanswered probe: peer_unreachable;
  - a NO-PROPOSAL-CHOSEN answer: p1_proposal_mismatch;
  - no psk_mismatch anywhere (an aggressive-mode scan collects AM2, it does
    not fail a PSK);
  - exit status 1.

Usage: test_scan.py IKELENS [PCAPS_DIR]. Exits 77 (skip) when the captures
are missing.
"""
import json
import os
import subprocess
import sys

SCANS = ("scan-ikev1-main", "scan-ikev1-aggressive", "scan-ikev2")
ABANDON_AFTER = 10.0
ANSWERED = ("MM2", "AM2", "IKE_SA_INIT response")


def run(ikelens, cap):
    p = subprocess.run([ikelens, "--json", "-q", cap], capture_output=True)
    if p.returncode not in (0, 1):
        raise RuntimeError("%s: exit %d: %s" % (cap, p.returncode,
                                                 p.stderr.decode()))
    return [json.loads(l) for l in p.stdout.splitlines()], p.returncode


def spis_of(finding):
    """The initiator SPIs a finding is about (ike_sa: object, list or null)."""
    sa = finding.get("ike_sa")
    if sa is None:
        return set()
    if isinstance(sa, dict):
        sa = [sa]
    return {s["ispi"] for s in sa}


def check(ikelens, folder, e, bad):
    recs, rc = run(ikelens, os.path.join(folder, "capture.pcap"))
    sas = [r for r in recs if r["record"] == "ike_sa"]
    finds = [r for r in recs if r["record"] == "finding"]
    probes = e["probes"]

    want = sorted((p["ispi"], p["target"]) for p in probes)
    got = sorted((s["ispi"], s["responder"]) for s in sas)
    if got != want:
        bad("ike_sa records (ispi, responder) %s, expected one per probe %s"
            % (got, want))
    established = [s["ispi"] for s in sas if s["status"] == "established"]
    if established:
        bad("SAs established: %s" % established)

    def causes(ispi):
        return {f["cause"] for f in finds if ispi in spis_of(f)}

    for p in probes:
        a = p["answer"]
        what = "probe %s to %s" % (p["ispi"], p["target"])
        if a is None:
            if "peer_unreachable" not in causes(p["ispi"]):
                bad("%s (unanswered, frames %s): no peer_unreachable, got %s"
                    % (what, p["frames"], sorted(causes(p["ispi"]))))
            # the ICMP error came from the router, not from the silent target
            for f in finds:
                if f["cause"] == "peer_unreachable" and p["ispi"] in spis_of(f) \
                        and f["confidence"] == "certain":
                    src = [k.split(" from ")[1] for k in e["icmp"]["kinds"]]
                    if not any(("from %s" % s) in f["summary"] for s in src) or \
                            ("from %s" % p["target"]) in f["summary"]:
                        bad("%s: the ICMP error is not credited to %s: %r"
                            % (what, src, f["summary"]))
        elif a["message"] == "NO_PROPOSAL_CHOSEN":
            if "p1_proposal_mismatch" not in causes(p["ispi"]):
                bad("%s (NO-PROPOSAL-CHOSEN in frame %d): no "
                    "p1_proposal_mismatch, got %s"
                    % (what, a["frame"], sorted(causes(p["ispi"]))))
        elif a["message"] in ANSWERED and \
                a["last_answer_to_capture_end"] > ABANDON_AFTER:
            ab = [f for f in finds if f["cause"] == "initiator_abandoned"
                  and p["ispi"] in spis_of(f)]
            if not ab:
                bad("%s (%s in frame %d): no initiator_abandoned, got %s"
                    % (what, a["message"], a["frame"],
                       sorted(causes(p["ispi"]))))
            for f in ab:
                if "scanner" not in f["summary"] or \
                        e["scanner"] not in f["summary"]:
                    bad("%s: initiator_abandoned does not call %s a scanner: "
                        "%r" % (what, e["scanner"], f["summary"]))
    psk = [f["id"] for f in finds if f["cause"] == "psk_mismatch"]
    if psk:
        bad("psk_mismatch findings %s" % psk)
    if rc != 1:
        bad("exit status %d, expected 1" % rc)
    return len(probes)


def main():
    ikelens = sys.argv[1]
    pcaps = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "pcaps")
    missing = [s for s in SCANS
               if not os.path.exists(os.path.join(pcaps, s, "expected.json"))]
    if missing:
        print("SKIP: no scanner captures %s (sudo tests/lab/scan all)"
              % ", ".join(missing))
        return 77
    fails = []
    n = 0
    for name in SCANS:
        folder = os.path.join(pcaps, name)
        with open(os.path.join(folder, "expected.json")) as f:
            e = json.load(f)
        n += check(ikelens, folder, e,
                   lambda msg: fails.append("%s: %s" % (name, msg)))
    for f in fails:
        print("FAIL " + f)
    print("%d scanner captures, %d probes, %d problems"
          % (len(SCANS), n, len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
