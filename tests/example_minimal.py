#!/usr/bin/env python3
"""examples/minimal.c as a user runs it (part of `make test`): its usage
errors, then one fetch each of a succeeded, a failed and an unknown job
against the simulator on loopback. Ends with "N passed, N failed".

  python3 tests/example_minimal.py build/minimal
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402
from simlib import Sim  # noqa: E402

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/minimal"
checks = Checks()
expect = checks.expect


def run(args, env):
    r = subprocess.run([BIN] + args, env=env, capture_output=True, text=True, timeout=60)
    return r.returncode, r.stdout, r.stderr


base = {"PATH": os.environ.get("PATH", "")}
rc, out, err = run([], base)
expect(rc == 2 and out == "" and "usage:" in err, "no arguments: usage on stderr, exit 2")
rc, out, err = run(["h", "p", "g", "j"], base)
expect(rc == 2 and "usage:" in err, "no GES_TOKEN: usage, exit 2")
rc, out, err = run(["h", "p", "g", "j"], dict(base, GES_TOKEN="t", GES_PORT="70000"))
expect(rc == 2 and "usage:" in err, "GES_PORT out of range: usage, exit 2")
rc, out, err = run(["h", "p", "g", "j"], dict(base, GES_TOKEN="t", GES_CA_FILE="/nonexistent"))
expect(rc == 2 and "CA file" in err, "unreadable CA file: exit 2")

with tempfile.TemporaryDirectory(prefix="ges_minimal_") as tmp:
    sim = Sim(tmp, "sim")
    try:
        sim.wait_ready()
        token = sim.state["token"]
        env = dict(base, GES_TOKEN=token, GES_CA_FILE=sim.state["ca"],
                   GES_PORT=str(sim.state["port"]))
        rc, out, err = run(["localhost", "my-project", "my-graph", "job-success"], env)
        expect(rc == 0 and out.splitlines()[:2] == ["state=success", "terminal=yes"],
               "job-success: state=success, terminal=yes, exit 0 (got %d %r)" % (rc, out))
        rc, out, err = run(["localhost", "my-project", "my-graph", "job-running"], env)
        expect(rc == 0 and out.splitlines()[:2] == ["state=running", "terminal=no"],
               "job-running: state=running, terminal=no, exit 0 (got %d %r)" % (rc, out))
        rc, out, err = run(["localhost", "my-project", "my-graph", "no-such-job"], env)
        expect(rc == 1 and out == "" and "HTTP 4" in err,
               "an unknown job: the service's error on stderr, exit 1 (got %d %r)" % (rc, err))
        expect(token not in out + err, "the token never appears in the output")
        rc, out, err = run(["localhost", "my-project", "my-graph", "job-success"],
                           dict(env, GES_TOKEN="wrong-token"))
        expect(rc == 1 and "wrong-token" not in out + err,
               "a wrong token: exit 1, the token not echoed (got %d)" % rc)
    finally:
        sim.stop()

checks.finish()
