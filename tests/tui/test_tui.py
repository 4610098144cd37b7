#!/usr/bin/env python3
"""The --tui screen, driven through a real terminal.

Each case runs the binary in a tmux pane (a real pseudo-terminal and a real
terminal emulator, TERM=xterm-256color) of a given size, types keys into it
and reads the screen back as text.  Checked on the lab captures:

  - not on a terminal: one line, exit status 2;
  - 80x24, IKEv1 PSK mismatch: the tunnel line (version, peers, FAILED, the
    stall states, psk_mismatch), the ladder's states, Enter on the tunnel and
    on a ladder row opens the packet tree, / filters, ? helps, q exits 1;
  - 120x40, IKEv2 that came up: ESTABLISHED, the ladder, f (failed only),
    the packet tree, q exits 0;
  - resizing to 160 columns puts the list and the ladder side by side, and
    back to 80 stacks them again;
  - colours by severity, none with --color=never, ASCII in a C locale.

Usage: test_tui.py IKELENS PCAP_DIR.  Exit 0 pass, 1 fail, 77 skip (no
pseudo-terminal, no tmux, or a build without the screen).
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77


class Fail(Exception):
    pass


class Pane:
    """One ikelens --tui in a tmux session of its own."""

    def __init__(self, tmux_env, binary, args, cols, rows, env=None, tmpdir="."):
        self.env = tmux_env
        self.name = "t%d" % Pane.serial
        Pane.serial += 1
        self.status_file = os.path.join(tmpdir, self.name + ".status")
        extra = " ".join("%s=%s" % kv for kv in (env or {}).items())
        cmd = "env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 %s %s --tui %s; echo $? > %s" % (
            extra, sh_quote(binary), " ".join(sh_quote(a) for a in args), sh_quote(self.status_file))
        self.tmux("new-session", "-d", "-s", self.name, "-x", str(cols), "-y", str(rows), cmd)
        self.last = ""

    serial = 0

    def tmux(self, *args, check=True):
        r = subprocess.run(["tmux", "-f", "/dev/null"] + list(args), env=self.env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if check and r.returncode != 0:
            raise Fail("tmux %s: %s" % (" ".join(args[:2]), r.stderr.strip()))
        return r.stdout

    def screen(self, escapes=False):
        args = ["capture-pane", "-p", "-t", self.name]
        if escapes:
            args.insert(2, "-e")
        self.last = self.tmux(*args, check=False)
        return self.last

    def wait(self, what, timeout=5.0, gone=False):
        """Until the screen shows `what` (a string or a predicate), or no longer does."""
        end = time.time() + timeout
        while True:
            s = self.screen()
            ok = what(s) if callable(what) else what in s
            if ok != gone:
                return s
            if time.time() > end:
                raise Fail("%s %r on the screen; it shows:\n%s" %
                           ("still" if gone else "no", what if not callable(what) else "(condition)", s))
            time.sleep(0.05)

    def keys(self, *keys):
        for k in keys:
            self.tmux("send-keys", "-t", self.name, k)
            time.sleep(0.05)

    def text(self, s):
        self.tmux("send-keys", "-t", self.name, "-l", s)

    def resize(self, cols, rows):
        self.tmux("resize-window", "-t", self.name, "-x", str(cols), "-y", str(rows))

    def status(self, timeout=5.0):
        """The exit status, once the program has ended."""
        end = time.time() + timeout
        while time.time() < end:
            try:
                with open(self.status_file) as f:
                    s = f.read().strip()
                if s:
                    return int(s)
            except FileNotFoundError:
                pass
            time.sleep(0.05)
        raise Fail("the program did not exit; the screen shows:\n" + self.screen())

    def close(self):
        self.tmux("kill-session", "-t", self.name, check=False)


def sh_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def line_with(screen, *parts):
    for ln in screen.splitlines():
        if all(p in ln for p in parts):
            return ln
    return None


def expect(cond, what, screen=""):
    if not cond:
        raise Fail(what + ("\n" + screen if screen else ""))


def case_not_a_tty(binary, pcaps):
    r = subprocess.run([binary, "--tui", os.path.join(pcaps, "ikev2-psk-ok", "capture.pcap")],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                       text=True, timeout=20)
    if "not available in this build" in r.stderr:
        return "skip"
    expect(r.returncode == 2, "stdout not a terminal: exit %d, not 2" % r.returncode)
    expect(r.stderr.strip() == "ikelens: --tui needs a terminal",
           "stdout not a terminal: stderr is %r" % r.stderr)
    expect(r.stdout == "", "stdout not a terminal: wrote %r" % r.stdout)
    return "ok"


def case_psk_mismatch_80x24(env, binary, pcaps, tmp):
    p = Pane(env, binary, [os.path.join(pcaps, "ikev1-main-psk-mismatch", "capture.pcap")], 80, 24,
             tmpdir=tmp)
    try:
        s = p.wait("psk_mismatch")
        s = p.wait("findings")  # the input has ended: the title says so
        ln = line_with(s, "v1", "192.0.2.10", "203.0.113.20", "FAILED", "psk_mismatch")
        expect(ln is not None, "80x24: no tunnel line with v1, the peers, FAILED and psk_mismatch", s)
        expect("MM_WAIT_MSG6/MM_WAIT_MSG5" in ln, "80x24: the tunnel line lacks the stall states", s)
        expect(line_with(s, "MM5", "MM_WAIT_MSG6", "MM_WAIT_MSG5") is not None,
               "80x24: the ladder has no MM5 row with both states", s)
        expect("Fix:" in s or "Proof:" in s, "80x24: the finding pane shows no proof or fix", s)
        expect(all(len(l) <= 80 for l in s.splitlines()), "80x24: a line is wider than 80", s)

        # Enter on the tunnel: its packets and the first packet's tree
        p.keys("Enter")
        s = p.wait("Frame 1: payload tree")
        expect("IDENTITY_PROTECTION" in s, "packet tree of frame 1 lacks the exchange", s)
        expect(line_with(s, "MM5", "encrypted") is not None, "packet list lacks MM5", s)
        p.keys("Escape")
        s = p.wait("Tunnels 1/1")

        # Enter on a ladder row: that packet (row 5 is MM5, frame 5)
        p.keys("Tab", "j", "j", "j", "j", "Enter")
        s = p.wait("Frame 5: payload tree")
        expect("encrypted: yes" in s, "frame 5's tree does not say it is encrypted", s)
        p.keys("Escape")
        p.wait("Tunnels 1/1")
        p.keys("BTab")

        # / filters: nothing matches, then the cause matches
        p.keys("/")
        p.text("zzz")
        s = p.wait("No tunnel matches")
        p.keys("Escape")
        s = p.wait("No tunnel matches", gone=True)
        p.keys("/")
        p.text("psk_mis")
        p.keys("Enter")
        s = p.wait("[/psk_mis]")
        expect(line_with(s, "FAILED", "psk_mismatch") is not None, "filter by cause hid the tunnel", s)
        p.keys("/", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace")
        p.text("203.0.113")
        p.keys("Enter")
        s = p.wait("[/203.0.113]")
        expect(line_with(s, "FAILED", "psk_mismatch") is not None, "filter by address hid the tunnel", s)
        p.keys("Escape")
        p.wait("[/", gone=True)

        # ? helps; any key closes the help
        p.keys("?")
        s = p.wait("Keys")
        expect("filter" in s and "quit" in s, "the help lacks keys", s)
        p.keys("x")
        p.wait("Tab pane")

        p.keys("q")
        st = p.status()
        expect(st == 1, "q after a failed negotiation: exit %d, not 1" % st)
    finally:
        p.close()


def case_psk_ok_120x40(env, binary, pcaps, tmp):
    p = Pane(env, binary, [os.path.join(pcaps, "ikev2-psk-ok", "capture.pcap")], 120, 40, tmpdir=tmp)
    try:
        s = p.wait("findings")
        ln = line_with(s, "v2", "192.0.2.10", "203.0.113.20", "ESTABLISHED")
        expect(ln is not None, "120x40: no v2 ESTABLISHED tunnel line", s)
        expect(line_with(s, "INIT>", "I_WAIT_INIT") is not None, "120x40: the ladder lacks INIT>", s)
        expect(line_with(s, "AUTH<", "READY", "READY") is not None, "120x40: the ladder lacks READY", s)
        expect("CHILD SA 1" in s, "120x40: no CHILD SA line", s)
        expect("No finding: the negotiation completed." in s, "120x40: finding pane", s)

        # f: failed only hides it; f again shows it
        p.keys("f")
        s = p.wait("No tunnel matches")
        expect("[failed only]" in s, "f: the title does not say failed only", s)
        p.keys("f")
        p.wait(lambda s: line_with(s, "v2", "ESTABLISHED") is not None)

        p.keys("Enter")
        s = p.wait("Frame 1: payload tree")
        expect("IKE_SA_INIT" in s, "the tree of frame 1 lacks IKE_SA_INIT", s)
        p.keys("j")
        s = p.wait("Frame 2: payload tree")
        p.keys("q")  # q in the packet view goes back
        p.wait("Tunnels 1/1")
        p.keys("q")
        st = p.status()
        expect(st == 0, "q after an established tunnel: exit %d, not 0" % st)
    finally:
        p.close()


def case_resize(env, binary, pcaps, tmp):
    p = Pane(env, binary, [os.path.join(pcaps, "ikev1-main-psk-mismatch", "capture.pcap")], 80, 24,
             tmpdir=tmp)
    try:
        p.wait("findings")
        try:
            p.resize(160, 40)
        except Fail as e:
            return "skip (%s)" % e
        s = p.wait(lambda s: line_with(s, "Tunnels", "Ladder") is not None)
        expect(line_with(s, "psk_mismatch", "frame", "initiator") is not None,
               "160 columns: the list and the ladder are not side by side", s)
        p.resize(80, 24)
        # stacked again: the tunnel line above a ladder of its own
        s = p.wait(lambda s: line_with(s, "Tunnels", "Ladder") is None and
                   line_with(s, "FAILED", "psk_mismatch") is not None and
                   line_with(s, "Ladder: IKEv1 main mode") is not None)
        expect(all(len(l) <= 80 for l in s.splitlines()), "back to 80: a line is wider than 80", s)
        p.keys("q")
        expect(p.status() == 1, "exit status after resizing")
    finally:
        p.close()
    return "ok"


def case_colours(env, binary, pcaps, tmp):
    cap = os.path.join(pcaps, "ikev1-main-psk-mismatch", "capture.pcap")
    red = "\x1b[31m"
    p = Pane(env, binary, [cap], 80, 24, tmpdir=tmp)
    try:
        p.wait("findings")
        s = p.screen(escapes=True)
        ln = line_with(s, "FAILED", "psk_mismatch")
        expect(ln is not None and red in ln, "colour: the failed tunnel is not red", s)
        p.keys("q")
        p.status()
    finally:
        p.close()
    for args, env_extra in (([cap, "--color=never"], {}), ([cap], {"NO_COLOR": "1"})):
        p = Pane(env, binary, args, 80, 24, env=env_extra, tmpdir=tmp)
        try:
            p.wait("findings")
            s = p.screen(escapes=True)
            expect(red not in s, "%s: red on the screen" % (" ".join(args[1:]) or "NO_COLOR"), s)
            expect(line_with(s, "FAILED", "psk_mismatch") is not None, "monochrome: no tunnel line", s)
            p.keys("q")
            p.status()
        finally:
            p.close()
    # a C locale: ASCII marks and arrows
    p = Pane(env, binary, [cap], 80, 24, env={"LC_ALL": "C", "LANG": "C"}, tmpdir=tmp)
    try:
        s = p.wait("findings")
        ln = line_with(s, "FAILED", "psk_mismatch")
        expect(ln is not None and ln.startswith("x v1") and "->" in ln,
               "C locale: the tunnel line is not ASCII", s)
        p.keys("q")
        p.status()
    finally:
        p.close()


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    binary, pcaps = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    try:
        m, s = os.openpty()
        os.close(m)
        os.close(s)
    except OSError as e:
        print("test_tui: no pseudo-terminal (%s); skipping" % e)
        return SKIP
    if case_not_a_tty(binary, pcaps) == "skip":
        print("test_tui: this build has no --tui; skipping")
        return SKIP
    if not shutil.which("tmux"):
        print("test_tui: tmux is not installed; skipping the screen tests")
        return SKIP

    tmp = tempfile.mkdtemp(prefix="ikelens-tui-")
    env = dict(os.environ)
    env.pop("TMUX", None)
    env["TMUX_TMPDIR"] = tmp  # a tmux server of our own, gone with the directory
    failed = 0
    cases = [
        ("psk mismatch at 80x24", case_psk_mismatch_80x24),
        ("established at 120x40", case_psk_ok_120x40),
        ("resize", case_resize),
        ("colours and locale", case_colours),
    ]
    try:
        for name, fn in cases:
            t0 = time.time()
            try:
                r = fn(env, binary, pcaps, tmp)
                print("ok   %s (%.1f s)%s" % (name, time.time() - t0,
                                            "" if r in (None, "ok") else ": " + r))
            except Fail as e:
                failed += 1
                print("FAIL %s: %s" % (name, e))
    finally:
        subprocess.run(["tmux", "-f", "/dev/null", "kill-server"], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(tmp, ignore_errors=True)
    print("ok   not on a terminal: exit 2 with one line")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
