"""The GES simulator (tests/sim/ges_sim.py) as a child process, for the
integration suites: start it in a folder of its own, wait for its state
line, talk to its control routes, stop it."""
import http.client
import json
import os
import ssl
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SIM = os.path.join(HERE, "sim", "ges_sim.py")
SIM_START_TIMEOUT = 30.0


class Sim:
    """One simulator process; its state JSON once it is listening.
    addr: where its control routes are reached (the simulator's --host);
    log: keep its stderr in DIR/sim.log (self.log, open for the caller's
    notes too) instead of dropping it."""

    def __init__(self, tmp, name, extra=(), addr="localhost", log=False):
        self.name = name
        self.addr = addr
        self.dir = os.path.join(tmp, name)
        os.mkdir(self.dir)
        self.state_file = os.path.join(self.dir, "state.json")
        self.log = open(os.path.join(self.dir, "sim.log"), "w") if log else None
        self.proc = subprocess.Popen(
            [sys.executable, SIM, "--dir", os.path.join(self.dir, "certs"),
             "--state-file", self.state_file] + list(extra),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=self.log if log else subprocess.DEVNULL)
        self.state = None

    def wait_ready(self, timeout=SIM_START_TIMEOUT):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError("simulator %s exited with %s" % (self.name,
                                                                     self.proc.returncode))
            if os.path.exists(self.state_file):  # written atomically
                with open(self.state_file) as f:
                    self.state = json.load(f)
                return
            time.sleep(0.05)
        raise RuntimeError("simulator %s did not start in %.0f s" % (self.name, timeout))

    @property
    def endpoint(self):
        return "https://localhost:%d" % self.state["port"]

    @property
    def host(self):
        return "localhost:%d" % self.state["port"]

    def request(self, path, headers=None):
        """One raw GET on a connection of its own; returns (status, headers, body bytes)."""
        ctx = ssl.create_default_context(cafile=self.state["ca"])
        conn = http.client.HTTPSConnection(self.addr, self.state["port"], context=ctx,
                                           timeout=10)
        try:
            conn.request("GET", path, headers=headers or {})
            r = conn.getresponse()
            return r.status, r.headers, r.read()
        finally:
            conn.close()

    def control(self, what):
        status, _, body = self.request("/_sim/" + what)
        if status != 200:
            raise RuntimeError("/_sim/%s answered %d" % (what, status))
        return json.loads(body)

    def reset(self):
        self.control("reset")

    def stats(self):
        return self.control("stats")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log is not None:
            self.log.close()
