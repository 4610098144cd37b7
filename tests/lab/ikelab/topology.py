"""Three network namespaces per scenario: initiator, middle, responder.

    initiator (ini)            middle (mid)                 responder (res)
    eth0 192.0.2.10/24 ---- ini-side 192.0.2.1/24
                            res-side 203.0.113.1/24 ---- eth0 203.0.113.20/24
    lo: 10.1.0.1/24                                        lo: 10.2.0.1/24

The middle namespace routes between the two links and is where tcpdump runs
(on `ini-side`, facing the initiator, or on `res-side`, facing the
responder). Depending on
the scenario it also masquerades (NAT) or drops traffic with iptables.
Only documentation prefixes are used on the links; 10.x exists only on the
loopback of the lab's own namespaces (the protected subnets).
"""
import subprocess

INI_ADDR = "192.0.2.10"
MID_A_ADDR = "192.0.2.1"
MID_B_ADDR = "203.0.113.1"
RES_ADDR = "203.0.113.20"
INI_LAN = "10.1.0.0/24"
RES_LAN = "10.2.0.0/24"
INI_HOST = "10.1.0.1"
RES_HOST = "10.2.0.1"

PREFIX = "ikelab"


def sh(args, check=True, capture=False, ns=None, **kw):
    if ns:
        args = ["ip", "netns", "exec", ns] + list(args)
    res = subprocess.run(args, check=False, text=True,
                         stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                         stderr=subprocess.PIPE, **kw)
    if check and res.returncode != 0:
        raise RuntimeError("command failed (%d): %s\n%s" % (
            res.returncode, " ".join(args), (res.stderr or "").strip()))
    return res


class Topology:
    """Namespaces of one lab slot; names are `ikelab<slot>-ini|mid|res`."""

    def __init__(self, slot):
        self.slot = slot
        self.ns = {role: "%s%d-%s" % (PREFIX, slot, role)
                   for role in ("ini", "mid", "res")}

    # -- lifecycle -------------------------------------------------------
    @staticmethod
    def existing():
        res = sh(["ip", "netns", "list"], capture=True)
        return [l.split()[0] for l in res.stdout.splitlines() if l.strip()]

    def remove_stale(self, log):
        """Remove namespaces of this slot left by an interrupted lab run.

        Such namespaces are the lab's by name; processes still inside them
        were started by that run, and are stopped by pid.
        """
        present = set(self.existing())
        for name in self.ns.values():
            if name not in present:
                continue
            pids = sh(["ip", "netns", "pids", name], capture=True,
                      check=False).stdout.split()
            for pid in pids:
                log("stopping leftover lab process %s in %s" % (pid, name))
                sh(["kill", "-TERM", pid], check=False)
            sh(["ip", "netns", "del", name], check=False)

    def create(self, mode):
        ini, mid, res = self.ns["ini"], self.ns["mid"], self.ns["res"]
        for name in (ini, mid, res):
            sh(["ip", "netns", "add", name])
            sh(["ip", "link", "set", "lo", "up"], ns=name)
            # No IPv6 neighbour discovery or router solicitations in captures.
            sh(["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                "net.ipv6.conf.default.disable_ipv6=1"], ns=name)
        sh(["ip", "link", "add", "eth0", "netns", ini, "type", "veth",
            "peer", "name", "ini-side", "netns", mid])
        sh(["ip", "link", "add", "eth0", "netns", res, "type", "veth",
            "peer", "name", "res-side", "netns", mid])
        for name, dev, addr in ((ini, "eth0", INI_ADDR + "/24"),
                                (mid, "ini-side", MID_A_ADDR + "/24"),
                                (mid, "res-side", MID_B_ADDR + "/24"),
                                (res, "eth0", RES_ADDR + "/24")):
            sh(["ip", "addr", "add", addr, "dev", dev], ns=name)
            sh(["ip", "link", "set", "dev", dev, "up"], ns=name)
        sh(["ip", "route", "add", "default", "via", MID_A_ADDR], ns=ini)
        sh(["ip", "route", "add", "default", "via", MID_B_ADDR], ns=res)
        sh(["ip", "addr", "add", INI_HOST + "/24", "dev", "lo"], ns=ini)
        sh(["ip", "addr", "add", RES_HOST + "/24", "dev", "lo"], ns=res)
        sh(["sysctl", "-qw", "net.ipv4.ip_forward=1"], ns=mid)
        self.apply_mode(mode)
        # Resolve neighbours now, so no ARP exchange interrupts the capture
        # timing of the first IKE message (ARP is filtered out anyway).
        for name, peer in ((ini, MID_A_ADDR), (res, MID_B_ADDR)):
            sh(["ip", "neigh", "replace", peer, "lladdr",
                self.mac(mid, "ini-side" if name == ini else "res-side"), "dev", "eth0",
                "nud", "permanent"], ns=name)
        sh(["ip", "neigh", "replace", INI_ADDR, "lladdr", self.mac(ini, "eth0"),
            "dev", "ini-side", "nud", "permanent"], ns=mid)
        sh(["ip", "neigh", "replace", RES_ADDR, "lladdr", self.mac(res, "eth0"),
            "dev", "res-side", "nud", "permanent"], ns=mid)

    def apply_mode(self, mode):
        mid = self.ns["mid"]
        ipt = ["iptables", "-w"]
        if mode == "plain":
            return
        if mode == "nat":
            sh(ipt + ["-t", "nat", "-A", "POSTROUTING", "-o", "res-side", "-j",
                      "MASQUERADE"], ns=mid)
        elif mode == "nat-random":
            sh(ipt + ["-t", "nat", "-A", "POSTROUTING", "-o", "res-side", "-p", "udp",
                      "-j", "MASQUERADE", "--random"], ns=mid)
        elif mode == "drop-ike":
            sh(ipt + ["-A", "FORWARD", "-p", "udp", "--dport", "500",
                      "-j", "DROP"], ns=mid)
            sh(ipt + ["-A", "FORWARD", "-p", "udp", "--dport", "4500",
                      "-j", "DROP"], ns=mid)
        elif mode == "drop-esp":
            sh(ipt + ["-A", "FORWARD", "-p", "esp", "-j", "DROP"], ns=mid)
        elif mode == "drop-fragments":
            # Only non-first fragments: the first fragment passes, the
            # datagram can never be reassembled (a path that filters
            # fragments).
            sh(ipt + ["-A", "FORWARD", "-f", "-j", "DROP"], ns=mid)
        else:
            raise ValueError("unknown topology mode %r" % mode)

    def destroy(self):
        for name in self.ns.values():
            sh(["ip", "netns", "del", name], check=False)

    # -- helpers ---------------------------------------------------------
    @staticmethod
    def mac(ns, dev):
        out = sh(["cat", "/sys/class/net/%s/address" % dev], ns=ns,
                 capture=True).stdout.strip()
        return out
