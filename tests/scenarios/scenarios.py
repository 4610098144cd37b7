#!/usr/bin/env python3
"""The lab's scenarios as tests: ikelens on each tests/pcaps/*/capture.pcap
against the ground truth in its expected.json (labelled from the daemons'
logs, never from ikelens).

Checked per scenario: the IKE SA's status against phase1, both sides'
states (ASA and IOS names), phase 2 against phase2, and the top finding
(cause and confidence) against what a keyless analyser can claim.

Where a keyless capture cannot show what the daemons logged, the mapping is
written down here with the reason (KEYLESS).  Usage: scenarios.py IKELENS
[PCAPS_DIR] [SCENARIO...]
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

CONF_RANK = {"certain": 0, "likely": 1, "possible": 2}

# phase1 label -> IKE SA statuses that show it without keys, and why
KEYLESS_PHASE1 = {
    "established": {"established", "rekeyed",
                    # an IKEv1 delete travels in an encrypted informational:
                    # without keys the SA just stops talking
                    "deleted"},
    # a classic pcap ends with its last packet: when that is a retransmission
    # the capture cannot show the sender giving up later (stalled is what it
    # shows); the daemon logs say "failed"
    "failed": {"failed", "stalled"},
}

# Reasoned differences from the lab's keyless confidence: (scenario) -> (ours, why)
CONFIDENCE_EXCEPTIONS = {
    "ikev1-main-unreachable": (
        "possible",
        "the capture holds no packet at all from the responder's address, so a "
        "one-way capture point cannot be told apart from a silent responder"),
}


def run(ikelens, cap, args=()):
    cmd = [ikelens, "--json", "-q"] + list(args) + [cap]
    p = subprocess.run(cmd, capture_output=True)
    if p.returncode not in (0, 1):
        raise RuntimeError("%s: exit %d: %s" % (cap, p.returncode, p.stderr.decode()))
    recs = [json.loads(l) for l in p.stdout.splitlines()]
    return recs, p.returncode


def keyed_checks(ikelens, e, d, sa0, bad):
    """With the daemons' own key material: the exact cause, the SA status the
    logs give (an encrypted IKEv1 delete becomes visible), every ESP packet
    decrypted with a good ICV; and with only the DH secret and the PSK (a
    native key file), the same ESP decrypted from keys ikelens derives."""
    cap = os.path.join(d, "capture.pcap")
    logs = [os.path.join(d, n) for n in ("initiator.log", "responder.log")
            if os.path.exists(os.path.join(d, n))]
    tmp = tempfile.mkdtemp()
    try:
        psk = os.path.join(tmp, "psks")
        with open(psk, "w") as f:
            # each gateway's key, named by the peer it is configured for
            # addresses as the capture shows them (NAT scenarios: after the NAT)
            if e.get("psk_initiator") and sa0.get("responder"):
                f.write("%s %s\n" % (sa0["responder"], e["psk_initiator"]))
            if e.get("psk_responder") and sa0.get("initiator"):
                f.write("%s %s\n" % (sa0["initiator"], e["psk_responder"]))
        os.chmod(psk, 0o600)
        args = sum((["--keys", k] for k in logs[:1]), [])
        if e.get("psk_initiator"):
            args += ["--psk-file", psk]
        recs, rc = run(ikelens, cap, args)
        sas = [r for r in recs if r["record"] == "ike_sa"]
        finds = [r for r in recs if r["record"] == "finding" and r["severity"] == "error"]
        cause = e.get("cause")
        if cause and cause != "invalid_ke_retry":
            if not finds or finds[0]["cause"] != cause:
                bad("with keys: top cause %s, expected %s" %
                    ([f["cause"] for f in finds[:1]], cause))
        elif finds:
            bad("with keys: unexpected %s" % [f["cause"] for f in finds])
        if e["outcome"] == "deleted" and not any(s["status"] == "deleted" for s in sas):
            bad("with keys: the delete is not seen (%s)" % [s["status"] for s in sas])
        if e["outcome"] in ("established", "deleted"):
            # both gateways hold the same keys: the initiator's log opens
            # every encrypted IKE message, IKE SA rekeys included
            shut = [r["frame"] for r in recs if r["record"] == "packet" and "ike" in r
                    and r["ike"].get("encrypted") and not r["ike"].get("decrypted")]
            if shut:
                bad("with keys: IKE frames %s not decrypted" % shut[:8])
        esp = [r for r in recs if r["record"] == "packet" and "esp" in r]
        if e.get("esp") != "none" and esp:
            undec = [r["frame"] for r in esp if not r["esp"].get("decrypted")
                     or r["esp"].get("icv") == "bad"]
            if undec:
                bad("with keys: ESP frames %s not decrypted" % undec[:8])
        # derived keys: the DH secret of each IKE SA and the PSKs, nothing else
        keysj = os.path.join(d, "keys.json")
        # (with PFS the quick mode's own DH secret would be needed: not in a native file)
        pfs = any("MODP" in c.get("proposal", "") or "ECP" in c.get("proposal", "")
                  or "CURVE" in c.get("proposal", "") for c in e.get("child_sas", []))
        if e.get("esp") != "none" and esp and e.get("psk_initiator") and not pfs \
                and os.path.exists(keysj):
            kj = json.load(open(keysj))
            nat = os.path.join(tmp, "native")
            with open(nat, "w") as f:
                f.write("# ikelens-keys\n")
                for sa in kj.get("initiator", []):
                    dh = sa.get("keys", {}).get("dh_secret")
                    # an IKE SA made by a rekey never showed its SPIs in the
                    # log or on the wire: nothing to name it by
                    if dh and sa.get("ispi") and sa.get("rspi"):
                        f.write("%s %s %s dh-secret 0x%s\n" % (
                            "ikev1" if e["version"] == 1 else "ikev2", sa["ispi"], sa["rspi"], dh))
            os.chmod(nat, 0o600)
            recs, rc = run(ikelens, cap, ["--keys", nat, "--psk-file", psk])
            esp = [r for r in recs if r["record"] == "packet" and "esp" in r]
            undec = [r["frame"] for r in esp if not r["esp"].get("decrypted")]
            if undec:
                bad("derived keys: ESP frames %s not decrypted" % undec[:8])
    finally:
        shutil.rmtree(tmp)


def main():
    ikelens = sys.argv[1]
    pcaps = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "pcaps")
    only = set(sys.argv[3:])
    fails = []
    n = 0
    for ej in sorted(glob.glob(os.path.join(pcaps, "*", "expected.json"))):
        e = json.load(open(ej))
        if e.get("kind") == "scan":
            continue  # scanner captures: tests/scan/test_scan.py
        name = e["scenario"]
        if only and name not in only:
            continue
        n += 1
        cap = os.path.join(os.path.dirname(ej), "capture.pcap")
        recs, rc = run(ikelens, cap)
        sas = [r for r in recs if r["record"] == "ike_sa"]
        finds = [r for r in recs if r["record"] == "finding"]
        want = {x["ispi"] for x in e.get("ike_spis", [])}
        # the label describes the newest IKE SA: after an IKE SA rekey, the
        # one that replaced the others
        mine = [s for s in sas if s["ispi"] in want]
        live = [s for s in mine if s["status"] != "rekeyed"]
        main_sa = live[-1] if live else mine[0] if mine else sas[0] if sas else None

        def bad(msg):
            fails.append("%s: %s" % (name, msg))

        if not main_sa:
            bad("no ike_sa record")
            continue
        ok_status = KEYLESS_PHASE1.get(e["phase1"], {e["phase1"]})
        statuses = {s["status"] for s in sas}
        if main_sa["status"] not in ok_status and not (statuses & ok_status):
            bad("phase1 %s, ike_sa status %s" % (e["phase1"], main_sa["status"]))
        for k in ("state_initiator", "state_responder", "ios_state_initiator",
                  "ios_state_responder"):
            if main_sa.get(k) != e.get(k):
                bad("%s: expected %r, got %r" % (k, e.get(k), main_sa.get(k)))
        p2 = [p["status"] for s in sas for p in s["phase2"]]
        if e["phase2"] == "established" and "established" not in p2:
            bad("phase2 established, got %r" % p2)
        if e["phase2"] == "rejected" and "rejected" not in p2:
            bad("phase2 rejected, got %r" % p2)
        if e["phase2"] in ("not_reached", "none") and "established" in p2:
            bad("phase2 %s, got %r" % (e["phase2"], p2))
        errors = [f for f in finds if f["severity"] == "error"]
        top = errors[0] if errors else None
        exp_cause = e.get("cause_without_keys")
        if exp_cause in (None, "invalid_ke_retry") and e.get("cause") in (None, "invalid_ke_retry"):
            if errors:
                bad("no error finding expected, got %s" % [f["cause"] for f in errors])
            if e.get("cause") == "invalid_ke_retry" and not any(
                    f["cause"] == "invalid_ke_retry" for f in finds):
                bad("invalid_ke_retry expected")
        else:
            if not top:
                bad("expected %s, got no error finding" % exp_cause)
            elif top["cause"] not in (exp_cause, e.get("cause")):
                bad("top cause %s, expected %s (or %s)" % (top["cause"], exp_cause, e.get("cause")))
            else:
                want_conf = e.get("confidence_without_keys")
                if top["cause"] == e.get("cause") and top["cause"] != exp_cause:
                    want_conf = None  # a better cause than the keyless form: any honest confidence
                exc = CONFIDENCE_EXCEPTIONS.get(name)
                if exc and top["confidence"] == exc[0]:
                    want_conf = None
                if want_conf and top["confidence"] != want_conf:
                    bad("confidence %s, expected %s" % (top["confidence"], want_conf))
        keyed_checks(ikelens, e, os.path.dirname(ej), main_sa, bad)
        exp_rc = 0 if e["phase1"] == "established" and e["phase2"] in ("established", "none") \
            and not errors else 1
        if rc != exp_rc and e.get("cause") not in ("invalid_ke_retry",):
            bad("exit status %d, expected %d" % (rc, exp_rc))
    for f in fails:
        print("FAIL " + f)
    if n == 0:
        print("SKIP: no lab scenarios")
        return 77
    print("%d scenarios, %d problems" % (n, len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
