#!/usr/bin/env python3
"""Soak: tests/bench/soak.c against a simulator of its own (issue 13, item 4).

    python3 tests/bench/soak.py --bin build/bench/soak [--polls P] [--reconnects R]

Starts tests/sim/ges_sim.py in a temporary folder (tests/simlib.py), runs
`soak --state STATE --polls P --reconnects R` once, stops the simulator by its
pid, and counts five checks:
  - every poll returned GES_OK with the job's status (soak's ok == polls);
  - heap, open file descriptors and RSS flat (soak.c says how, and why those
    tolerances; the run has glibc's tcache off, GLIBC_TUNABLES, so that
    mallinfo2 counts live bytes): three checks;
  - what the server saw: one connection at the start and one per reconnect,
    every reconnect a resumed TLS session, and P + R requests.
Prints soak's samples and figures, the command, then "N passed, N failed".
Defaults are CI's short run (2,000 polls, 100 reconnects); `make soak` runs
100,000 and 2,000. Standard library only.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import simlib  # noqa: E402  (tests/simlib.py)


def kv(line):
    return dict(tok.split("=", 1) for tok in line.split() if "=" in tok)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True, help="the soak program")
    ap.add_argument("--polls", type=int, default=2000)
    ap.add_argument("--reconnects", type=int, default=100)
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds for the run")
    a = ap.parse_args()
    passed = failed = 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        print("%s %s%s" % ("ok  " if ok else "FAIL", name, (": " + detail) if detail else ""))
        if ok:
            passed += 1
        else:
            failed += 1

    with tempfile.TemporaryDirectory(prefix="ges_soak.") as tmp:
        sim = simlib.Sim(tmp, "sim")
        try:
            sim.wait_ready()
            sim.reset()
            argv = [a.bin, "--state", sim.state_file, "--polls", str(a.polls),
                    "--reconnects", str(a.reconnects)]
            print("$ GLIBC_TUNABLES=glibc.malloc.tcache_count=0 %s" % " ".join(argv))
            t0 = time.monotonic()
            try:
                env = dict(os.environ, GLIBC_TUNABLES="glibc.malloc.tcache_count=0")
                p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, timeout=a.timeout,
                                   env=env)
                rc, out, err = p.returncode, p.stdout, p.stderr
            except subprocess.TimeoutExpired:
                rc, out, err = 124, "", "soak: no end within %.0f s\n" % a.timeout
            wall = time.monotonic() - t0
            sys.stdout.write(out)
            sys.stderr.write(err[-4000:])
            stats = sim.stats()
        finally:
            sim.stop()

    last = [ln for ln in out.splitlines() if ln.startswith("soak ")]
    r = kv(last[-1]) if last else {}
    total = a.polls + a.reconnects
    check("every poll GES_OK with the job's status", rc in (0, 1) and
          r.get("ok") == str(total), "ok=%s of %d, exit %d" % (r.get("ok"), total, rc))
    check("heap flat (mallinfo2, <= 2 KiB over the start)", r.get("heap_flat") == "1",
          "start %s, end %s, max %s bytes" % (r.get("heap_start"), r.get("heap_end"),
                                              r.get("heap_max")))
    check("file descriptors flat (/proc/self/fd)", r.get("fds_flat") == "1",
          "start %s, end %s" % (r.get("fds_start"), r.get("fds_end")))
    check("RSS flat (VmRSS, <= 256 KiB over the start)", r.get("rss_flat") == "1",
          "start %s, end %s, max %s KiB" % (r.get("rss_start_kib"), r.get("rss_end_kib"),
                                            r.get("rss_max_kib")))
    tail = a.polls - (a.polls // a.reconnects) * a.reconnects
    want_conns = a.reconnects + (1 if tail else 0)
    got = (stats.get("connections"), stats.get("handshakes"), stats.get("resumed"),
           stats.get("requests"))
    check("server: %d connections, %d handshakes, %d resumed, %d requests" %
          (want_conns, want_conns, want_conns - 1, total),
          got == (want_conns, want_conns, want_conns - 1, total),
          "saw %d connections, %d handshakes, %d resumed, %d requests" % got)
    print("soak wall %.1f s (simulator start excluded)" % wall)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
