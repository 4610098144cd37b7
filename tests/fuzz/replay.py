#!/usr/bin/env python3
"""Replay a fuzz target's seed inputs under the normal (or sanitizer) build.

usage: replay.py TARGET_REPLAY KIND DIR_OR_CAPTURES...

KIND is ike, packet or net.  Directories named KIND inside the given
directories are replayed as they are; captures (and directories of
captures, like the shared corpus) are first turned into seeds by seeds.py.
Exits 77 (skip) when there is nothing to replay.
"""
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))


def main():
    exe, kind, srcs = sys.argv[1], sys.argv[2], sys.argv[3:]
    dirs, caps = [], []
    if kind == "keys":
        # key files of every format: the lab's logs and tables, the corpus keys
        files = []
        for s in srcs:
            for root, _, names in os.walk(s):
                for n in names:
                    if n.endswith((".log", "_table", "esp_sa")) or "secrets" in n:
                        files.append(os.path.join(root, n))
        if not files:
            print("SKIP: no key files")
            return 77
        return subprocess.run([exe] + sorted(files)).returncode
    for s in srcs:
        if os.path.isdir(os.path.join(s, kind)):
            dirs.append(os.path.join(s, kind))
        elif os.path.exists(s):
            caps.append(s)
    with tempfile.TemporaryDirectory() as tmp:
        if caps:
            subprocess.run([sys.executable, os.path.join(here, "seeds.py"), tmp] + caps,
                           check=True, stdout=subprocess.DEVNULL)
            if os.path.isdir(os.path.join(tmp, kind)):
                dirs.append(os.path.join(tmp, kind))
        if not dirs:
            print("SKIP: no seeds")
            return 77
        p = subprocess.run([exe] + dirs)
        return p.returncode


if __name__ == "__main__":
    sys.exit(main())
