#!/usr/bin/env python3
"""RAM at run time: the smallest I/O buffer that fetches the seed's example,
and mbedTLS's peak heap during a handshake and a poll, against the simulator.

    python3 tests/bench/ram.py [--bin build/bench] [--out DIR]

Smallest I/O buffer: a binary search over io_buf_len in 1..4096 with

    build/bench/e2e_polls --state STATE --mode once --io-buf N

which fetches job-success (the seed's example) over TLS and checks every
field of it (exit 0 only if all match). The default build refuses buffers
under GES_IO_BUF_MIN (128) with GES_ERR_BUFFER_TOO_SMALL, so the same
search runs again on e2e_polls_min64, whose ges_job.o is built with
-DGES_IO_BUF_MIN=64 (the smallest floor the library allows), to show
whether the floor or the code is the limit. Then 500 kept-alive polls per
buffer size (the rate of polls 2..500) show what a bigger buffer buys.

Peak heap: build/bench/ram_heap (see tests/bench/ram_heap.c) counts
mbedTLS's calloc/free through -Wl,--wrap in a static build and prints the
peak of live bytes during init, the first poll (full handshake), a
kept-alive poll, and a reconnect that resumes the session.

Every figure comes with its command; STATE is the simulator's state file:
    python3 tests/sim/ges_sim.py --state-file /tmp/state.json &
"""
import argparse
import sys
import os

sys.dont_write_bytecode = True  # no __pycache__ beside the sources
import benchlib as bl  # noqa: E402


def fetch_ok(binary, state, n):
    rc, so, _ = bl.run([binary, "--state", state, "--mode", "once", "--io-buf", str(n)],
                       check=False)
    return rc == 0 and bl.last_kv(so, "impl=").get("ok") == "1"


def smallest(binary, state, lo=1, hi=4096):
    """Smallest n in lo..hi with fetch_ok (assumed monotonic), or None."""
    if not fetch_ok(binary, state, hi):
        return None, []
    probes = []
    while lo < hi:
        mid = (lo + hi) // 2
        ok = fetch_ok(binary, state, mid)
        probes.append((mid, ok))
        if ok:
            hi = mid
        else:
            lo = mid + 1
    return lo, probes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(bl.ROOT, "build", "bench"))
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    res = bl.Results("ram", a.out or bl.default_out(a.bin))
    e2e = os.path.join(a.bin, "e2e_polls")
    e2e64 = os.path.join(a.bin, "e2e_polls_min64")
    heap = os.path.join(a.bin, "ram_heap")
    with bl.Sim() as sim:
        st = sim.state_path
        print("RAM at run time (simulator on port %d; STATE below is its state file)"
              % sim.state["port"])
        for binary, label in ((e2e, "default build, GES_IO_BUF_MIN 128"),
                              (e2e64, "build with -DGES_IO_BUF_MIN=64")):
            n, probes = smallest(binary, st)
            below = n - 1 if n else None
            cmd = "%s --state STATE --mode once --io-buf %s   # ok; --io-buf %s fails" % (
                bl.rel(binary), n, below)
            res.row("smallest I/O buffer fetching the seed's example (%s)" % label,
                    n if n is not None else "none <= 4096", "bytes", cmd,
                    "binary search probes: " + ", ".join(
                        "%d %s" % (p, "ok" if ok else "fail") for p, ok in probes))
        print("\n  kept-alive polls per I/O buffer size (500 polls of job-running each; "
              "polls 2..500, so without the handshake):")
        for size in (128, 256, 512, 1024, 2048, 4096, 16384):
            rates, cpus = [], []
            for _ in range(3):
                _, so, _ = bl.run([e2e, "--state", st, "--mode", "keepalive", "--n", "500",
                                   "--io-buf", str(size)])
                kv = bl.last_kv(so, "impl=")
                rates.append(float(kv["steady_polls_per_s"]))
                cpus.append(float(kv["cpu_us_per_poll"]))
            res.row("kept-alive polls/s with io_buf %d (steady, median of 3)" % size,
                    bl.median(rates), "polls/s",
                    "%s --state STATE --mode keepalive --n 500 --io-buf %d   "
                    "# steady_polls_per_s" % (bl.rel(e2e), size),
                    "client CPU %.1f us/poll (median, handshake included)" % bl.median(cpus),
                    show_cmd=(size == 128))
        print("\n  mbedTLS heap (static build, calloc/free wrapped):")
        rc, so, se = bl.run([heap, "--state", st], check=False)
        if rc != 0:
            raise SystemExit("bench: ram_heap failed (%d)\n%s%s" % (rc, so, se))
        phases = {}
        for line in so.splitlines():
            kv = bl.kv(line)
            if "phase" in kv:
                phases[kv["phase"]] = kv
        cmd = "%s --state STATE" % bl.rel(heap)
        base = int(phases["init"]["end_bytes"])
        res.row("mbedTLS heap after ges_client_init (CA, DRBG, record buffers)", base,
                "bytes", cmd, "%s allocations" % phases["init"]["allocs"])
        res.row("mbedTLS peak heap during a full handshake + first poll",
                int(phases["handshake"]["peak_bytes"]), "bytes", cmd,
                "%s allocations in it; %s bytes live after it (the kept session)" % (
                    phases["handshake"]["allocs"], phases["handshake"]["end_bytes"]),
                show_cmd=False)
        res.row("mbedTLS peak heap during a kept-alive poll",
                int(phases["poll"]["peak_bytes"]), "bytes", cmd,
                "%s allocations in it" % phases["poll"]["allocs"], show_cmd=False)
        res.row("mbedTLS peak heap during a reconnect with session resumption",
                int(phases["resumed"]["peak_bytes"]), "bytes", cmd,
                "%s allocations in it" % phases["resumed"]["allocs"], show_cmd=False)
        res.row("mbedTLS heap left after ges_client_free",
                int(phases["free"]["end_bytes"]), "bytes", cmd, show_cmd=False)
        stats = sim.stats()
        res.note("simulator saw %d connections, %d handshakes, %d resumed over this run" % (
            stats["connections"], stats["handshakes"], stats["resumed"]))
    res.save()


if __name__ == "__main__":
    main()
