"""Scenario descriptions: tests/lab/scenarios/<name>.conf.

INI syntax (Python configparser, `#` comments, indented continuation lines):

[scenario]  what the scenario is and how it runs
    description, configured, version (1|2), mode (main|aggressive|ikev2),
    topology (plain|nat|nat-random|drop-ike|drop-fragments),
    capture (ini-side|res-side: the middle namespace's link on which
    tcpdump runs, facing the initiator or the responder), esp (yes|no), responder (running|down),
    certificates (no|yes), steps (one step per line, see run --help), notes

[both], [initiator], [responder]  connection settings; [initiator] and
    [responder] override [both]. Keys are swanctl.conf names where they
    exist (proposals, esp_proposals, aggressive, dpd_delay, rekey_time,
    reauth_time, fragmentation, encap, send_cert, local_id, remote_id,
    local_ts, remote_ts, start_action, ...) plus: auth (psk|pubkey), psk,
    child_rekey_time, child_dpd_action, and `charon.<option>` for
    strongswan.conf options under charon { }.

[expect]  the label the daemons' logs must confirm: outcome, phase1,
    phase2, state_initiator, state_responder, ios_state_initiator,
    ios_state_responder, cause, cause_without_keys,
    confidence_without_keys, log_initiator, log_responder (regular
    expressions that find the decisive line in each log; `-` when that
    side has no log line to quote).
"""
import configparser
import os

SCENARIO_DIR = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "scenarios")

SCENARIO_KEYS = {"description", "configured", "version", "mode", "topology",
                 "capture", "esp", "responder", "certificates", "steps",
                 "notes"}
EXPECT_KEYS = {"outcome", "phase1", "phase2", "state_initiator",
               "state_responder", "ios_state_initiator", "ios_state_responder",
               "phase2_state_initiator", "phase2_state_responder",
               "cause", "cause_without_keys", "confidence_without_keys",
               "log_initiator", "log_responder"}


class Scenario:
    def __init__(self, name, path=None):
        self.name = name
        self.path = path or os.path.join(SCENARIO_DIR, name + ".conf")
        cp = configparser.ConfigParser(interpolation=None, strict=True,
                                       inline_comment_prefixes=None)
        cp.optionxform = str
        with open(self.path, encoding="utf-8") as f:
            cp.read_file(f)
        for section in cp.sections():
            if section not in ("scenario", "both", "initiator", "responder",
                               "expect"):
                raise ValueError("%s: unknown section [%s]" % (self.path, section))
        sc = dict(cp["scenario"]) if cp.has_section("scenario") else {}
        unknown = set(sc) - SCENARIO_KEYS
        if unknown:
            raise ValueError("%s: unknown keys %s" % (self.path, sorted(unknown)))
        self.description = " ".join(sc["description"].split())
        self.configured = " ".join(sc["configured"].split())
        self.version = int(sc["version"])
        self.mode = sc["mode"]
        self.topology = sc.get("topology", "plain")
        self.capture = sc.get("capture", "ini-side")
        self.esp = sc.get("esp", "no") == "yes"
        self.responder_running = sc.get("responder", "running") == "running"
        self.certificates = sc.get("certificates", "no") == "yes"
        self.steps = [s.strip() for s in sc["steps"].splitlines() if s.strip()]
        self.notes = " ".join(sc.get("notes", "").split())
        both = dict(cp["both"]) if cp.has_section("both") else {}
        self.side = {}
        for side in ("initiator", "responder"):
            conf = dict(both)
            if cp.has_section(side):
                conf.update(cp[side])
            self.side[side] = conf
        self.expect = dict(cp["expect"]) if cp.has_section("expect") else {}
        unknown = set(self.expect) - EXPECT_KEYS
        if unknown:
            raise ValueError("%s: unknown [expect] keys %s"
                             % (self.path, sorted(unknown)))
        for key, value in list(self.expect.items()):
            self.expect[key] = " ".join(value.split())


def all_names():
    return sorted(f[:-5] for f in os.listdir(SCENARIO_DIR) if f.endswith(".conf"))


def load(name):
    return Scenario(name)
