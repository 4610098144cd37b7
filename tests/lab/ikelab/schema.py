"""The fields of tests/pcaps/<scenario>/expected.json and their allowed values.

Shared by the lab (which writes the files) and tests/lab/check (which
validates them without root). State names and cause IDs follow
CONTRACT.md; see label.py for the two names CONTRACT.md lacks.
"""
import re

REQUIRED = ("scenario", "description", "version", "mode", "configured",
            "outcome", "phase1", "phase2", "state_initiator", "state_responder",
            "ios_state_initiator", "ios_state_responder", "cause",
            "cause_without_keys", "confidence_without_keys", "esp",
            "capture_point", "frames", "log_initiator", "log_responder",
            "notes")

VERSIONS = (1, 2)
MODES = ("main", "aggressive", "ikev2")
OUTCOMES = ("established", "failed", "stalled", "deleted")
PHASE1 = ("established", "failed", "stalled", "not_reached")
PHASE2 = ("established", "rejected", "failed", "no_response", "not_reached",
          "none")
ESP = ("none", "synthesized from negotiated keys")
CONFIDENCE = ("certain", "likely", "possible")

ASA_STATES = {
    "main": ("MM_WAIT_MSG2", "MM_WAIT_MSG3", "MM_WAIT_MSG4", "MM_WAIT_MSG5",
             "MM_WAIT_MSG6", "MM_ACTIVE", "MM_NO_STATE"),
    "aggressive": ("AM_WAIT_MSG2", "AM_WAIT_MSG3", "AM_ACTIVE", "AG_NO_STATE"),
    "ikev2": ("I_WAIT_INIT", "I_WAIT_INTERMEDIATE", "I_WAIT_AUTH",
              "R_WAIT_INTERMEDIATE", "R_WAIT_AUTH", "READY", "DELETED",
              "REKEYED"),
}
IOS_STATES = {
    "main": ("MM_NO_STATE", "MM_SA_SETUP", "MM_KEY_EXCH", "QM_IDLE"),
    "aggressive": ("AG_NO_STATE", "AG_INIT_EXCH", "QM_IDLE"),
    "ikev2": ASA_STATES["ikev2"],
}
QM_STATES = ("QM_WAIT_MSG2", "QM_WAIT_MSG3", "QM_WAIT_CONNECTED", "QM_ACTIVE")

CAUSES = (
    "peer_unreachable", "p1_proposal_mismatch", "responder_no_key",
    "psk_mismatch", "auth_failed", "id_mismatch", "natt_blocked",
    "aggressive_mode_refused", "p2_proposal_mismatch", "pfs_mismatch",
    "proxy_id_mismatch", "p2_rejected", "p2_no_response", "invalid_ke_retry",
    "fragmentation_loss", "initiator_abandoned", "version_mismatch",
    "dead_peer", "esp_one_way", "esp_blocked", "esp_unknown_spi",
    "esp_replay", "esp_loss", "sa_flapping", "weak_crypto",
    # second wave (reserved IDs)
    "xauth_failed", "modecfg_failed", "qm_commit_stall", "stale_sa",
    "lifetime_mismatch", "cookie_not_honored", "redirected", "rekey_collision",
    "child_rekey_failed", "cert_ca_mismatch", "cert_missing", "cert_expired",
    "cert_id_mismatch", "sig_hash_mismatch", "tcp_encap",
    "nat_mapping_expired", "esp_pmtu_blackhole", "address_assignment_failed",
    "eap_failed", "child_sa_limit", "invalid_ke_loop", "natt_mode_mismatch",
    "addke_mismatch", "ah_nat_incompatible",
)


def parse_value(text):
    """[expect] values: 'null' is None, numbers stay text (none are used)."""
    return None if text in ("null", "None", "") else text


def validate(doc, name=None):
    """Returns a list of problems with one expected.json document."""
    p = []
    for key in REQUIRED:
        if key not in doc:
            p.append("missing field %r" % key)
    if p:
        return p

    def one_of(key, allowed, nullable=False):
        v = doc[key]
        if v is None and nullable:
            return
        if v not in allowed:
            what = list(allowed) if len(allowed) <= 12 else \
                "the CONTRACT.md cause catalog"
            p.append("%s = %r not in %s" % (key, v, what))

    if name is not None and doc["scenario"] != name:
        p.append("scenario = %r but the folder is %r" % (doc["scenario"], name))
    for key in ("description", "configured", "capture_point", "notes"):
        if not isinstance(doc[key], str) or not doc[key].strip():
            p.append("%s must be a non-empty string" % key)
    one_of("version", VERSIONS)
    one_of("mode", MODES)
    if doc["version"] == 2 and doc["mode"] != "ikev2" or \
            doc["version"] == 1 and doc["mode"] == "ikev2":
        p.append("version %r does not fit mode %r" % (doc["version"], doc["mode"]))
    one_of("outcome", OUTCOMES)
    one_of("phase1", PHASE1)
    one_of("phase2", PHASE2)
    mode = doc["mode"] if doc["mode"] in MODES else "main"
    for side in ("initiator", "responder"):
        one_of("state_" + side, ASA_STATES[mode], nullable=True)
        one_of("ios_state_" + side, IOS_STATES[mode], nullable=True)
        if (doc["state_" + side] is None) != (doc["ios_state_" + side] is None):
            p.append("state_%s and ios_state_%s must both be null or both set"
                     % (side, side))
        key = "phase2_state_" + side
        if key in doc:
            one_of(key, QM_STATES, nullable=True)
    one_of("cause", CAUSES, nullable=True)
    one_of("cause_without_keys", CAUSES, nullable=True)
    one_of("confidence_without_keys", CONFIDENCE,
           nullable=doc["cause_without_keys"] is None)
    if doc["cause_without_keys"] is None and \
            doc["confidence_without_keys"] is not None:
        p.append("confidence_without_keys set without cause_without_keys")
    if doc["outcome"] == "established" and doc["cause"] not in (
            None, "invalid_ke_retry", "weak_crypto"):
        p.append("an established outcome with cause %r" % doc["cause"])
    if doc["outcome"] == "failed" and doc["cause"] is None:
        p.append("a failed outcome needs a cause")
    if doc["phase1"] != "established" and doc["phase2"] != "not_reached":
        p.append("phase2 must be not_reached when phase1 is %r" % doc["phase1"])
    one_of("esp", ESP)
    if not isinstance(doc["frames"], int) or doc["frames"] <= 0:
        p.append("frames must be a positive integer")
    for side in ("initiator", "responder"):
        v = doc["log_" + side]
        if v is not None and (not isinstance(v, str) or not v.strip()):
            p.append("log_%s must be a string or null" % side)
        if isinstance(v, str) and re.match(r"^\d{4}-\d\d-\d\d", v):
            p.append("log_%s still carries its timestamp" % side)
    return p
