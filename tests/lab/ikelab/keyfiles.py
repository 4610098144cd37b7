"""Key files written from the charon logs.

- ikev1_decryption_table: Wireshark's IKEv1 table, one row per IKE SA:
  initiator cookie,encryption key Ka (the initiator's Ka; see notes when
  the responder derived a different one).
- ikev2_decryption_table: Wireshark's IKEv2 table: SPIi,SPIr,SK_ei,SK_er,
  "encryption",SK_ai,SK_ar,"integrity".
Wireshark's table files write byte fields as bare hex and text fields
(algorithm names, and every esp_sa field) in double quotes.
- esp_sa: Wireshark's ESP SA table, one row per synthesized direction.
- keys.json: every key charon printed, per side and IKE SA, as hex copied
  from the dumps (DH secret, SKEYID*, Ka, SKEYSEED, SK_*, child keys).

Algorithm names are the strings Wireshark 4.0 shows in its tables.
"""
import json
import os

IKEV2_ENCR = {
    "3DES_CBC": "3DES [RFC2451]",
    "AES_CBC_128": "AES-CBC-128 [RFC3602]",
    "AES_CBC_192": "AES-CBC-192 [RFC3602]",
    "AES_CBC_256": "AES-CBC-256 [RFC3602]",
    "AES_GCM_16_128": "AES-GCM-128 with 16 octet ICV [RFC5282]",
    "AES_GCM_16_256": "AES-GCM-256 with 16 octet ICV [RFC5282]",
    "AES_GCM_8_128": "AES-GCM-128 with 8 octet ICV [RFC5282]",
    "AES_GCM_12_128": "AES-GCM-128 with 12 octet ICV [RFC5282]",
}
IKEV2_INTEG = {
    "HMAC_MD5_96": "HMAC_MD5_96 [RFC2403]",
    "HMAC_SHA1_96": "HMAC_SHA1_96 [RFC2404]",
    "HMAC_SHA2_256_128": "HMAC_SHA2_256_128 [RFC4868]",
    "HMAC_SHA2_384_192": "HMAC_SHA2_384_192 [RFC4868]",
    "HMAC_SHA2_512_256": "HMAC_SHA2_512_256 [RFC4868]",
}


def _ike_algs(proposal):
    encr = integ = None
    for tok in proposal.split("/"):
        if tok in IKEV2_ENCR:
            encr = tok
        elif tok in IKEV2_INTEG:
            integ = tok
    return encr, integ


def sa_record(sa):
    rec = {"ike_sa": "%s|%d" % (sa.name, sa.uid), "role": sa.role,
           "mode": sa.mode,
           "ispi": sa.spis[0] if sa.spis else None,
           "rspi": sa.spis[1] if sa.spis else None,
           "proposal": sa.proposal, "keys": dict(sorted(sa.keys.items())),
           "children": []}
    for c in sa.children:
        rec["children"].append({
            "child_sa": "%s{%d}" % (c.name, c.cuid), "spi_in": c.spi_in,
            "spi_out": c.spi_out, "proposal": c.proposal, "ts": c.ts,
            "keys": dict(sorted(c.keys.items()))})
    return rec


def write(outdir, version, logs, esp_pairs):
    """logs: {"initiator": CharonLog|None, "responder": ...}.

    Returns (list of file names written, notes).
    """
    written, notes = [], []
    keys = {}
    for side, log in logs.items():
        if log is None:
            continue
        keys[side] = [sa_record(sa) for sa in log.sas_in_order()
                      if sa.keys or sa.children]
    with open(os.path.join(outdir, "keys.json"), "w") as f:
        json.dump(keys, f, indent=2)
        f.write("\n")
    written.append("keys.json")

    ini = logs.get("initiator")
    res = logs.get("responder")
    rows = []
    if ini is not None:
        for sa in ini.sas_in_order():
            if not sa.spis:
                continue
            if version == 1 and "ka" in sa.keys:
                rows.append("%s,%s" % (sa.spis[0], sa.keys["ka"]))
                peer = _peer_sa(res, sa.spis)
                if peer is not None and peer.keys.get("ka") not in (
                        None, sa.keys["ka"]):
                    notes.append(
                        "The responder derived a different Ka for %s (its "
                        "SKEYID uses its own PSK); the table holds the "
                        "initiator's Ka, which decrypts what the initiator "
                        "sent." % sa.spis[0])
            elif version == 2 and "sk_ei" in sa.keys:
                encr, integ = _ike_algs(sa.proposal or "")
                if encr is None:
                    raise ValueError("IKE proposal %r has no Wireshark name"
                                     % sa.proposal)
                rows.append('%s,%s,%s,%s,"%s",%s,%s,"%s"' % (
                    sa.spis[0], sa.spis[1], sa.keys["sk_ei"], sa.keys["sk_er"],
                    IKEV2_ENCR[encr], sa.keys.get("sk_ai", ""),
                    sa.keys.get("sk_ar", ""),
                    IKEV2_INTEG[integ] if integ else "NONE [RFC4306]"))
    if rows:
        name = "ikev1_decryption_table" if version == 1 else "ikev2_decryption_table"
        with open(os.path.join(outdir, name), "w") as f:
            f.write("\n".join(rows) + "\n")
        written.append(name)
    if esp_pairs:
        with open(os.path.join(outdir, "esp_sa"), "w") as f:
            for _, out_sa, in_sa in esp_pairs:
                f.write(out_sa.wireshark_row() + "\n")
                f.write(in_sa.wireshark_row() + "\n")
        written.append("esp_sa")
    return written, notes


def _peer_sa(log, spis):
    if log is None:
        return None
    for sa in log.sas_in_order():
        if sa.spis == spis:
            return sa
    return None
