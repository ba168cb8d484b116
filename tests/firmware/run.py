#!/usr/bin/env python3
"""Run the test firmware on QEMU's mps2-an386 against the simulator, in a
private network namespace, then the unit-suite images; print the figures
and, last, "N passed, N failed".

    python3 tests/firmware/run.py BUILD_DIR [--keys ec-p256,rsa2048] [--no-suites]

Needs root (unshare -n, a tap device). The script re-runs itself under
`unshare -n`: the namespace has only `lo` and `tap0` (192.0.2.1/24), so
nothing the test does can reach any other network. In it, for each server
key type:
  - tests/sim/ges_sim.py --host 192.0.2.1 --san-ip 192.0.2.1 [--key rsa2048]
    (started with Popen, stopped by its pid);
  - a control server on 192.0.2.1 (a thread of this script): the firmware
    connects, sends "STATS\\n" and gets the simulator's /_sim/stats counters
    as "connections handshakes resumed requests job-import-polls\\n", so it
    checks each step's counts itself;
  - qemu-system-arm -M mps2-an386 -icount shift=0 on the tap device, under a
    time limit, its pid stopped on the way out; the firmware's checks
    ("ok"/"FAIL" lines and its own "N passed, N failed") and its exit
    status are counted.
The unit-suite images (BUILD/firmware/test_*.elf) run without a network.
Figures ("FIG name value" lines, BUILD/firmware/sizes.json) go to
BUILD/firmware/results.json and are printed as a table.
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from simlib import Sim  # noqa: E402
ADDR = "192.0.2.1"
QEMU_TIMEOUT = 300
SUITE_TIMEOUT = 600
SUITES = ["test_parse", "test_http", "test_wait", "test_sign", "test_stream"]

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + what, flush=True)
    else:
        failed += 1
        print("FAIL " + what, flush=True)


def sh(*cmd):
    subprocess.run(list(cmd), check=True)


def qemu_cmd(elf, net, append=None, icount=True):
    cmd = ["qemu-system-arm", "-M", "mps2-an386", "-nographic", "-monitor", "none",
           "-serial", "none", "-semihosting-config", "enable=on,target=native",
           "-kernel", elf]
    if icount:
        cmd += ["-icount", "shift=0"]
    if net:
        cmd += ["-netdev", "tap,id=n0,ifname=tap0,script=no,downscript=no",
                "-net", "nic,netdev=n0"]
    else:
        cmd += ["-net", "none"]
    if append:
        cmd += ["-append", append]
    return cmd


def run_qemu(cmd, timeout, prefix="     ", echo=True):
    """Run QEMU, echo its output (unless echo is False), return (exit
    status, output lines). Its pid is stopped if the time runs out."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors="replace")
    lines = []
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        for line in proc.stdout:
            line = line.rstrip("\n")
            lines.append(line)
            if echo:
                print(prefix + line, flush=True)
        rc = proc.wait()
    finally:
        timer.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return rc, lines


def result_line(lines):
    for line in reversed(lines):
        m = re.match(r"^(\d+) passed, (\d+) failed", line)
        if m:
            return int(m.group(1)), int(m.group(2))
    return None


def start_sim(tmp, key):
    """The simulator on ADDR for one server key (tests/simlib.py's Sim),
    TLS 1.2 only; --verbose: its log (requests, closed connections) is kept
    beside its certificates for a failed run's post-mortem."""
    sim = Sim(tmp, "sim-" + key, ["--host", ADDR, "--san-ip", ADDR, "--key", key,
                                  "--tls12-only", "--verbose"], addr=ADDR, log=True)
    try:
        sim.wait_ready(timeout=60)
    except RuntimeError:
        sim.stop()
        raise
    return sim


class Control:
    """Plain TCP on ADDR: "STATS\\n" -> the current simulator's counters."""

    def __init__(self):
        self.sim = None
        self.ls = socket.socket()
        self.ls.bind((ADDR, 0))
        self.ls.listen(4)
        self.port = self.ls.getsockname()[1]
        threading.Thread(target=self.loop, daemon=True).start()

    def loop(self):
        while True:
            try:
                c, _ = self.ls.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(c,), daemon=True).start()

    def serve(self, c):
        try:
            c.settimeout(10)
            data = b""
            while b"\n" not in data:
                b = c.recv(64)
                if not b:
                    return
                data += b
            if data.startswith(b"STATS") and self.sim is not None:
                s = self.sim.stats()
                self.sim.log.write("run.py: stats %s\n" % json.dumps(
                    {k: s[k] for k in ("connections", "handshakes", "resumed", "requests")}))
                self.sim.log.flush()
                c.sendall(("%d %d %d %d %d\n" % (s["connections"], s["handshakes"], s["resumed"],
                                                 s["requests"],
                                                 s["polls"].get("job-import", 0))).encode())
            else:
                c.sendall(b"ERR\n")
        except (OSError, ValueError, KeyError) as e:
            print("     control: %s" % e, flush=True)
        finally:
            c.close()


def inside(build, keys, suites):
    fw = os.path.join(build, "firmware")
    elf = os.path.join(fw, "ges_fw.elf")
    sh("ip", "link", "set", "lo", "up")
    sh("ip", "tuntap", "add", "dev", "tap0", "mode", "tap")
    sh("ip", "addr", "add", ADDR + "/24", "dev", "tap0")
    sh("ip", "link", "set", "tap0", "up")
    links = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True).stdout
    names = sorted(re.findall(r"^\d+: ([^:@]+)", links, re.M))
    check(names == ["lo", "tap0"], "private network namespace: only lo and tap0 (%s)"
          % ", ".join(names))
    routes = subprocess.run(["ip", "route"], capture_output=True, text=True).stdout.strip()
    check("default" not in routes, "no default route out of the namespace")

    figs = {}
    ctl = Control()
    tmp = tempfile.mkdtemp(prefix="gesfw.", dir=os.environ.get("GES_FW_TMP"))
    for key in keys:
        print("== firmware against the simulator, %s server key" % key, flush=True)
        try:
            sim = start_sim(tmp, key)
        except RuntimeError as e:
            check(False, str(e))
            continue
        ctl.sim = sim
        st = sim.state
        seed = os.urandom(32).hex()  # TEST-ONLY entropy for the firmware
        append = "port=%d wrongname=%d ctl=%d ca=%s token=%s seed=%s key=%s" % (
            st["port"], st["ports"]["wrongname"], ctl.port, st["ca"], st["token"], seed, key)
        t0 = time.monotonic()
        try:
            rc, lines = run_qemu(qemu_cmd(elf, True, append), QEMU_TIMEOUT)
        finally:
            ctl.sim = None
            sim.stop()
        wall = time.monotonic() - t0
        res = result_line(lines)
        if res is None:
            check(False, "firmware (%s): no result line (exit %d)" % (key, rc))
        else:
            global passed, failed
            passed += res[0]
            failed += res[1]
            if rc != 0 and res[1] == 0:
                check(False, "firmware (%s) exit status %d" % (key, rc))
        f = {}
        for line in lines:
            m = re.match(r"^FIG (\S+) (\d+)$", line)
            if m:
                f[m.group(1)] = int(m.group(2))
        f["wall_s"] = round(wall, 1)
        figs[key] = f
        print("   (%s: %.1f s)" % (key, wall), flush=True)

    if suites:
        # Two at a time (two cores); longest first; output printed in order.
        order = sorted(SUITES, key=lambda n: SUITES.index(n) if n != "test_stream" else -1)
        results = {}

        def one(name):
            path = os.path.join(fw, name + ".elf")
            if not os.path.exists(path):
                results[name] = (None, ["image missing"], 0)
                return
            t0 = time.monotonic()
            rc, lines = run_qemu(qemu_cmd(path, False, icount=False), SUITE_TIMEOUT, echo=False)
            results[name] = (rc, lines, time.monotonic() - t0)

        threads = []
        for name in order:
            while sum(t.is_alive() for t in threads) >= 2:
                time.sleep(0.1)
            t = threading.Thread(target=one, args=(name,))
            t.start()
            threads.append(t)
        for t in threads:
            t.join()
        for name in SUITES:
            rc, lines, secs = results[name]
            print("== %s on mps2-an386 (semihosting, %.0f s)" % (name, secs), flush=True)
            for line in lines:
                if not line.startswith("ok ") and "has no peer" not in line:
                    print("     " + line)
            res = result_line(lines)
            if rc is None or res is None:
                check(False, "%s: no result line (exit %s)" % (name, rc))
                continue
            passed_, failed_ = res
            if rc != 0 and failed_ == 0:
                failed_ = 1
            globals()["passed"] += passed_
            globals()["failed"] += failed_

    out = {"figures": figs}
    sizes_path = os.path.join(fw, "sizes.json")
    if os.path.exists(sizes_path):
        with open(sizes_path) as f:
            out["sizes"] = json.load(f)
    with open(os.path.join(fw, "results.json"), "w") as f:
        json.dump(out, f, indent=1)
    report(out)


def kb(n):
    return "%.1f KB" % (n / 1024.0)


def report(out):
    print("== figures from the image (BUILD/firmware/results.json)")
    sizes = out.get("sizes")
    if sizes:
        print("%-44s %10s %12s" % ("part", "flash", "static RAM"))
        for r in sizes["parts"]:
            print("%-44s %10s %12s" % (r["part"], kb(r["flash"]), kb(r["ram"])))
        t = sizes["total"]
        print("%-44s %10s %12s" % ("whole image", kb(t["flash"]), kb(t["ram"])))
    figs = out["figures"]
    rows = [("pool high-water mark (offset, headers incl.)", "pool_hwm", kb),
            ("pool: peak of live bytes", "pool_peak_live", kb),
            ("pool: held while connected", "pool_connected", kb),
            ("stack high-water mark (painted)", "stack_hwm", kb),
            ("instructions: first poll (handshake + request)", "insn_first_poll", str),
            ("instructions: full handshake (first - kept-alive)", "insn_handshake", str),
            ("instructions: resumed reconnect (poll incl.)", "insn_resumed_poll", str),
            ("instructions: resumption (resumed - kept-alive)", "insn_resume", str),
            ("instructions: kept-alive poll (mean of 20)", "insn_kept_alive_poll", str),
            ("QEMU run, wall time (s)", "wall_s", str)]
    keys = list(figs)
    print("%-52s %s" % ("figure", "  ".join("%14s" % k for k in keys)))
    for label, name, fmt in rows:
        vals = ["%14s" % (fmt(figs[k][name]) if name in figs[k] else "-") for k in keys]
        print("%-52s %s" % (label, "  ".join(vals)))


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit(__doc__)
    build = os.path.abspath(args[0])
    keys = ["ec-p256", "rsa2048"]
    if "--keys" in args:
        keys = args[args.index("--keys") + 1].split(",")
    suites = "--no-suites" not in args
    if os.environ.get("GES_FW_IN_NETNS") != "1":
        env = dict(os.environ, GES_FW_IN_NETNS="1")
        r = subprocess.run(["unshare", "-n", sys.executable, os.path.abspath(__file__)] + args,
                           env=env)
        if r.returncode != 0:
            print("run.py: the run in the namespace exited %d" % r.returncode)
        sys.exit(r.returncode)
    try:
        inside(build, keys, suites)
    except Exception as e:  # count it, never hide it
        check(False, "run.py: %s: %s" % (type(e).__name__, e))
    print("%d passed, %d failed" % (passed, failed), flush=True)
    sys.exit(0 if failed == 0 else 1)


if __name__ == "__main__":
    main()
