"""expected.json: the ground truth of a capture, read from the daemons' logs.

States, phase results and the outcome are derived from what each charon
logged it generated and parsed (`generating ID_PROT request 0 [ ... ]`,
`IKE_SA ... established`, `giving up after 5 retransmits`, ...), then
compared with the scenario's [expect] section: a scenario whose daemons did
not behave as intended fails instead of writing a wrong label. The cause is
the scenario's (it is what was configured), and the decisive log lines are
found in the logs by the scenario's patterns and copied verbatim.

Naming (CONTRACT.md, "States"): state_* are Cisco ASA names, ios_state_*
Cisco IOS names, null for a side that never spoke. CONTRACT.md has no name
for a responder that answered the first message with an error notify only
and kept no SA; the lab writes MM_NO_STATE (IKEv1, the name both Cisco
platforms use for an SA with no state yet) and DELETED (IKEv2: the SA the
responder began is gone; CONTRACT.md's name for an IKEv2 SA that no longer
exists) for that case.
"""
import re

from . import charonlog, schema


class LabelError(RuntimeError):
    pass


def _notifies(msg):
    out = []
    for p in msg.payloads:
        m = re.match(r"^N\((\w+)\)$", p)
        if m:
            out.append(m.group(1))
    return out


def primary_sa(log):
    """The IKE SA a state describes: the newest one the side took part in."""
    if log is None:
        return None
    sas = [sa for sa in log.sas_in_order() if sa.messages]
    return sas[-1] if sas else None


def sa_deleted(sa):
    return bool(sa.find(r"^deleting IKE_SA ") or sa.find(
        r"^received DELETE for IKE_SA") or sa.find(r"^IKE_SA deleted$"))


def phase1_state(sa, side, mode):
    """(ASA name, IOS name) for one side's primary IKE SA."""
    if sa is None or not any(m.sent for m in sa.messages):
        return None, None
    if mode == "main":
        if sa.established:
            return "MM_ACTIVE", "QM_IDLE"
        sent = [m for m in sa.sent("ID_PROT")]
        if side == "initiator":
            table = {1: ("MM_WAIT_MSG2", "MM_NO_STATE"),
                     2: ("MM_WAIT_MSG4", "MM_SA_SETUP"),
                     3: ("MM_WAIT_MSG6", "MM_KEY_EXCH")}
        else:
            table = {1: ("MM_WAIT_MSG3", "MM_SA_SETUP"),
                     2: ("MM_WAIT_MSG5", "MM_KEY_EXCH")}
        if not sent:
            return "MM_NO_STATE", "MM_NO_STATE"
        return table[len(sent)]
    if mode == "aggressive":
        if sa.established:
            return "AM_ACTIVE", "QM_IDLE"
        sent = sa.sent("AGGRESSIVE")
        if side == "initiator":
            return "AM_WAIT_MSG2", "AG_NO_STATE"
        if sent:
            return "AM_WAIT_MSG3", "AG_INIT_EXCH"
        return "AG_NO_STATE", "AG_NO_STATE"
    # IKEv2
    if sa.established:
        name = "READY"
    elif side == "initiator":
        auth = [m for m in sa.sent("IKE_AUTH") if not m.payloads[0].startswith("EF(")]
        name = "I_WAIT_AUTH" if auth else "I_WAIT_INIT"
    else:
        init = [m for m in sa.sent("IKE_SA_INIT") if "SA" in m.payloads]
        name = "R_WAIT_AUTH" if init else "DELETED"
    return name, name


def quick_mode_state(log):
    """State of the last quick mode this side took part in (IKEv1)."""
    if log is None:
        return None
    qms = []
    for s in log.sas_in_order():
        for m in s.messages:
            if m.exchange == "QUICK_MODE":
                qms.append((s, m))
    if not qms:
        return None
    msgid = qms[-1][1].msgid
    ex = [m for s, m in qms if m.msgid == msgid]
    sent = [m for m in ex if m.sent]
    if not sent:
        return None  # only received QM1 and answered with a notify
    initiated = ex[0].sent
    children = [c for s in log.sas_in_order() for c in s.children
                if c.line.no > ex[0].line.no]
    if initiated:
        if len(sent) >= 2 and children:
            return "QM_ACTIVE"
        return "QM_WAIT_MSG2"
    if children:
        return "QM_ACTIVE"
    return "QM_WAIT_MSG3"


def child_requests(sa, version):
    """Messages of this SA that asked for a CHILD SA (QM1 / IKE_AUTH req)."""
    if version == 1:
        return [m for m in sa.sent("QUICK_MODE") if "SA" in m.payloads]
    return [m for m in sa.sent("IKE_AUTH") if "SA" in m.payloads] + [
        m for m in sa.sent("CREATE_CHILD_SA") if "SA" in m.payloads]


def child_rejections(sa, version):
    out = []
    for m in sa.received():
        if version == 1 and m.exchange == "INFORMATIONAL_V1":
            if set(_notifies(m)) & {"NO_PROP", "INVAL_ID", "INVAL_PROPOSAL"}:
                out.append(m)
        if version == 2 and m.exchange in ("IKE_AUTH", "CREATE_CHILD_SA"):
            if set(_notifies(m)) & {"NO_PROP", "TS_UNACCEPT", "INVAL_KE"} and \
                    "SA" not in m.payloads:
                out.append(m)
    return out


def derive(scn, ini_log, res_log):
    ini_sa = primary_sa(ini_log)
    res_sa = primary_sa(res_log)
    if ini_sa is None:
        raise LabelError("the initiator's log shows no IKE SA")
    mode = ini_sa.mode
    if mode != scn.mode:
        raise LabelError("initiator ran %s mode, scenario says %s"
                         % (mode, scn.mode))
    d = {}
    d["state_initiator"], d["ios_state_initiator"] = phase1_state(
        ini_sa, "initiator", mode)
    d["state_responder"], d["ios_state_responder"] = phase1_state(
        res_sa, "responder", mode)
    if scn.version == 1:
        d["phase2_state_initiator"] = quick_mode_state(ini_log)
        d["phase2_state_responder"] = quick_mode_state(res_log)
    else:
        d["phase2_state_initiator"] = d["phase2_state_responder"] = None

    established = bool(ini_sa.established)
    if established and (res_sa is None or not res_sa.established):
        raise LabelError("initiator established, responder did not")
    d["phase1"] = "established" if established else "failed"

    all_ini = [s for s in ini_log.sas_in_order() if s.messages]
    children = [c for s in all_ini for c in s.children]
    requests = [m for s in all_ini for m in child_requests(s, scn.version)]
    rejected = [m for s in all_ini for m in child_rejections(s, scn.version)]
    if not established:
        d["phase2"] = "not_reached"
    elif children:
        d["phase2"] = "established"
    elif rejected:
        d["phase2"] = "rejected"
    elif requests:
        d["phase2"] = "no_response"
    else:
        d["phase2"] = "none"

    if d["phase1"] != "established" or d["phase2"] in ("rejected",
                                                       "no_response"):
        d["outcome"] = "failed"
    elif ini_sa.find(r"^giving up after \d+ retransmits"):
        # an exchange after establishment (a liveness check, a rekey)
        # went unanswered: the tunnel is dead even if nothing says so
        d["outcome"] = "failed"
    elif sa_deleted(ini_sa):
        d["outcome"] = "deleted"
    else:
        d["outcome"] = "established"
    return d, ini_sa, res_sa


def narrative(side, sa):
    """One sentence per side saying what its log shows, for `notes`."""
    if sa is None:
        return "The %s logged no IKE SA (no daemon was running)." % side
    items = []
    for m in sa.messages:
        items.append("%s %s %s [%s]" % ("sent" if m.sent else "got",
                                        m.exchange, m.kind,
                                        " ".join(m.payloads)))
    steps, last, n = [], None, 0
    for item in items + [None]:
        if item == last:
            n += 1
            continue
        if last is not None:
            steps.append(last + (" (x%d)" % n if n > 1 else ""))
        last, n = item, 1
    text = "%s log, IKE SA %s|%d: %s." % (
        side.capitalize(), sa.name or "unnamed", sa.uid, "; ".join(steps))
    if sa.retransmits:
        text += " It retransmitted %d times%s." % (
            len(sa.retransmits), " and gave up" if sa.gave_up else "")
    text += " It logged the IKE SA as established." if sa.established else \
        " It never logged the IKE SA as established."
    return text


def find_line(log, pattern, context=3):
    """(decisive line, the lines before it) verbatim, without timestamps.

    The context is up to `context` earlier lines of the same thread and IKE
    SA, leaving out hex dumps: "received proposals: ..." and "configured
    proposals: ..." before "no matching proposal found", for instance.
    """
    if pattern in (None, "", "-"):
        return None, []
    if log is None:
        raise LabelError("pattern %r given for a side without a log" % pattern)
    line = log.first(pattern)
    if line is None:
        raise LabelError("no log line matches %r in %s" % (pattern, log.path))
    before = []
    for l in reversed(log.lines[:log.lines.index(line)]):
        if len(before) == context:
            break
        if l.thread != line.thread or l.uid != line.uid:
            continue
        if charonlog.DUMP_HEAD_RE.match(l.msg) or \
                charonlog.DUMP_LINE_RE.match(l.msg):
            continue
        before.append(l.verbatim)
    return line.verbatim, list(reversed(before))


def compare(scn, derived):
    """Raise if what the logs show differs from the scenario's [expect]."""
    problems = []
    for key in ("outcome", "phase1", "phase2", "state_initiator",
                "state_responder", "ios_state_initiator", "ios_state_responder",
                "phase2_state_initiator", "phase2_state_responder"):
        if key not in scn.expect:
            continue
        want = schema.parse_value(scn.expect[key])
        if derived.get(key) != want:
            problems.append("%s: logs show %r, scenario expects %r"
                            % (key, derived.get(key), want))
    if problems:
        raise LabelError("; ".join(problems))
