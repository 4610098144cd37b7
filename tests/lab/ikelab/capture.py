"""tcpdump in the middle namespace."""
import os
import signal
import subprocess
import time


class Capture:
    def __init__(self, ns, iface, path):
        self.ns = ns
        self.iface = iface
        self.path = path
        self.proc = None
        self.err_path = path + ".stderr"

    def start(self):
        err = open(self.err_path, "w")
        # IPv4 only: IKE, ESP, ICMP errors and IP fragments; no ARP.
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", self.ns, "tcpdump", "-i", self.iface,
             "-n", "-s", "0", "-U", "-w", self.path, "ip"],
            stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL,
            start_new_session=True)
        err.close()
        deadline = time.time() + 10
        while True:
            with open(self.err_path) as f:
                if "listening on" in f.read():
                    break
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("tcpdump did not start: see %s" % self.err_path)
            time.sleep(0.05)

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if not os.path.exists(self.path):
            raise RuntimeError("tcpdump wrote no file")
