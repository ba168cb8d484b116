"""Shared helpers of the tests/bench/*.py runners (standard library only).

Each runner measures one area, prints its figures, each with the command
that reproduces it, and saves them as JSON in the results directory
(default build/bench/results/AREA.json) for tests/bench/summary.py, which
prints the table and the targets of `make bench`.
"""
import json
import os
import shlex
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import http.client

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SIM = os.path.join(ROOT, "tests", "sim", "ges_sim.py")


def rel(path):
    """A path as the printed commands show it: relative to the repository."""
    try:
        r = os.path.relpath(path, ROOT)
    except ValueError:
        return path
    return path if r.startswith("..") else r


def cmdline(argv):
    return " ".join(shlex.quote(rel(a) if os.path.isabs(a) else a) for a in argv)


def run(argv, check=True, env=None):
    """Run argv from the repository root; return (rc, stdout, stderr)."""
    p = subprocess.run(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if check and p.returncode != 0:
        sys.stderr.write("bench: command failed (%d): %s\n%s%s" %
                         (p.returncode, cmdline(argv), p.stdout[-2000:], p.stderr[-2000:]))
        raise SystemExit(1)
    return p.returncode, p.stdout, p.stderr


def kv(line):
    """'a=1 b=x' -> {'a': '1', 'b': 'x'} (last line that has '=' if several)."""
    out = {}
    for tok in line.split():
        if "=" in tok:
            k, v = tok.split("=", 1)
            out[k] = v
    return out


def last_kv(text, must):
    for line in reversed(text.splitlines()):
        if must in line:
            return kv(line)
    return {}


class Results:
    """Figures of one area: rows (a figure and its command) and targets."""

    def __init__(self, area, out_dir):
        self.area = area
        self.out_dir = out_dir
        self.rows = []
        self.targets = []
        self.notes = []

    def row(self, name, value, unit, cmd, note="", show_cmd=True):
        self.rows.append({"name": name, "value": value, "unit": unit, "cmd": cmd,
                          "note": note})
        shown = fmt(value)
        print("  %-58s %14s %-12s" % (name, shown, unit))
        if show_cmd:
            print("      $ %s" % cmd)
        if note:
            print("      (%s)" % note)

    def target(self, name, figure, limit, met, cmd):
        self.targets.append({"name": name, "figure": figure, "limit": limit,
                             "met": bool(met), "cmd": cmd})
        print("  TARGET %-48s %12s  (%s)  %s" % (name, figure, limit,
                                                 "met" if met else "MISSED"))
        print("      $ %s" % cmd)

    def note(self, text):
        self.notes.append(text)
        print("  note: %s" % text)

    def save(self):
        os.makedirs(self.out_dir, exist_ok=True)
        path = os.path.join(self.out_dir, self.area + ".json")
        with open(path + ".tmp", "w") as f:
            json.dump({"area": self.area, "rows": self.rows, "targets": self.targets,
                       "notes": self.notes, "time": time.strftime("%Y-%m-%d %H:%M:%S")},
                      f, indent=1)
        os.replace(path + ".tmp", path)


def fmt(v):
    if isinstance(v, float):
        if v >= 100:
            return "{:,.0f}".format(v)
        return "{:,.2f}".format(v)
    if isinstance(v, int):
        return "{:,}".format(v)
    return str(v)


class Sim:
    """The simulator in a private temporary directory, stopped on exit."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="ges_bench_sim_")
        self.state_path = os.path.join(self.dir, "state.json")
        self.proc = None
        self.state = None

    def __enter__(self):
        self.proc = subprocess.Popen(
            [sys.executable, SIM, "--dir", os.path.join(self.dir, "certs"),
             "--state-file", self.state_path],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        deadline = time.time() + 30
        while not os.path.exists(self.state_path):
            if self.proc.poll() is not None or time.time() > deadline:
                raise SystemExit("bench: the simulator did not start")
            time.sleep(0.05)
        with open(self.state_path) as f:
            self.state = json.load(f)
        self.ctx = ssl.create_default_context(cafile=self.state["ca"])
        self.token_file = os.path.join(self.dir, "token")
        with open(self.token_file, "w") as f:
            f.write(self.state["token"] + "\n")
        return self

    def __exit__(self, *exc):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for root, dirs, files in os.walk(self.dir, topdown=False):
            for n in files:
                os.unlink(os.path.join(root, n))
            for n in dirs:
                os.rmdir(os.path.join(root, n))
        os.rmdir(self.dir)

    def _get(self, path):
        c = http.client.HTTPSConnection("localhost", self.state["port"], context=self.ctx,
                                        timeout=10)
        try:
            c.request("GET", path)
            r = c.getresponse()
            return json.loads(r.read().decode())
        finally:
            c.close()

    def reset(self):
        return self._get("/_sim/reset")

    def stats(self):
        return self._get("/_sim/stats")


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2.0


def default_out(bin_dir):
    return os.path.join(bin_dir, "results")
