#!/usr/bin/env python3
"""integration_proxy.py - the CLI through an HTTP CONNECT proxy (issue 14, part 1).

    python3 tests/integration_proxy.py build/ges_job_status

Standard library only. Starts tests/sim/ges_sim.py with --proxy in five configurations
(plain; --proxy-auth; --proxy-close-after 2; --proxy-extra; --proxy-refuse 502), runs the
CLI against https://localhost:PORT through the simulator's proxy port, and checks the exit
status, stdout, stderr and the simulator's counters (/_sim/stats: "proxy" tunnels and
refusals, resumed TLS sessions). Paths covered: a tunnel; credentials (percent-decoded, and
never in any output); https_proxy / HTTPS_PROXY and their precedence; --proxy "" and
--proxy over the environment; --noproxy / no_proxy / NO_PROXY that match (the host, "*", a
leading dot, any case) and that do not (a suffix that is not at a dot boundary); 407 with
no or wrong credentials; another refusal (502); an unreachable proxy (a closed loopback
port); the tunnel closed mid-wait (a new CONNECT, the TLS session resumed); a proxy that
sends bytes of its own after its 200 (a clear TLS error, no hang); bad proxy URLs (exit 2).
The last line is "N passed, N failed"; the exit status is 0 only if none failed.
"""

import base64
import os
import socket
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simlib import Sim  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT = 30.0 * float(os.environ.get("GES_TEST_TIMEOUT_SCALE", "1") or "1")
PROXY_USER, PROXY_PASS = "us er", "p@ss:w%rd"     # the simulator's --proxy-auth
PROXY_URL_CREDS = "us%20er:p%40ss%3Aw%25rd"       # the same, percent-encoded
SECRETS = [PROXY_PASS, "p%40ss", "p@ss", base64.b64encode(
    ("%s:%s" % (PROXY_USER, PROXY_PASS)).encode()).decode()]
ENV_NAMES = ("GES_TOKEN", "GES_ENDPOINT", "https_proxy", "HTTPS_PROXY", "no_proxy",
             "NO_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY")

RESULTS = {"passed": 0, "failed": 0}


class Check:
    def __init__(self, name):
        self.name, self.problems, self.runs = name, [], []

    def expect(self, cond, msg):
        if not cond:
            self.problems.append(msg)
        return bool(cond)


def closed_port():
    """A loopback port nothing listens on (bound, then closed)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Ctx:
    def __init__(self, cli, tmp):
        self.cli, self.tmp = cli, tmp
        self.sims = {}

    def sim(self, name, *extra):
        if name not in self.sims:
            s = Sim(self.tmp, name, ["--proxy"] + list(extra))
            self.sims[name] = s
            s.wait_ready()
            s.token_file = os.path.join(s.dir, "token")
            with open(s.token_file, "w") as f:
                f.write(s.state["token"] + "\n")
        return self.sims[name]

    def run(self, chk, sim, job, *extra, env=None, wait=None):
        """The CLI against `sim` (endpoint https://localhost:PORT), environment cleaned of
        proxy variables and then given `env`."""
        e = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
        e.update(env or {})
        argv = [self.cli, "--endpoint", "https://localhost:%d" % sim.state["port"],
                "--ca-file", sim.state["ca"], "--token-file", sim.token_file,
                "--timeout-ms", "5000"] + list(extra)
        if wait is not None:
            argv += ["--wait=%d" % wait, "--interval-ms", "100"]
        argv += ["--", "p", "g", job]
        t0 = time.monotonic()
        try:
            p = subprocess.run(argv, env=e, cwd=ROOT, stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=TIMEOUT)
            rc, out, err = p.returncode, p.stdout.decode(errors="replace"), \
                p.stderr.decode(errors="replace")
        except subprocess.TimeoutExpired as x:   # subprocess.run killed it
            rc, out, err = "timeout", (x.stdout or b"").decode(errors="replace"), \
                (x.stderr or b"").decode(errors="replace")
        r = {"argv": argv, "rc": rc, "out": out, "err": err,
             "elapsed": time.monotonic() - t0}
        chk.runs.append(r)
        for sec in SECRETS:
            chk.expect(sec not in out and sec not in err,
                       "a proxy credential appears in the CLI's output")
        return r


def tunnels(sim):
    return sim.stats()["proxy"]["tunnels"]


def proxy_url(sim, creds=None):
    return "http://%s127.0.0.1:%d" % (creds + "@" if creds else "", sim.state["proxy_port"])


def ok_via(c, ctx, sim, r, before, via):
    """The run succeeded, through the proxy (one more tunnel) or directly (none)."""
    c.expect(r["rc"] == 0, "exit %s, expected 0" % r["rc"])
    c.expect("status=success" in r["out"].splitlines(), "no status=success line")
    n = tunnels(sim)
    c.expect(n == before + (1 if via else 0), "%d tunnels after the run, expected %d"
             % (n, before + (1 if via else 0)))


def case_01(c, ctx):
    """--proxy URL: the job through one tunnel; CONNECT names the GES host"""
    s = ctx.sim("plain")
    before = tunnels(s)
    r = ctx.run(c, s, "job-success", "--proxy", proxy_url(s))
    ok_via(c, ctx, s, r, before, True)
    st = s.stats()["proxy"]
    want = "localhost:%d" % s.state["port"]
    c.expect(st["last_target"] == want and st["last_host"] == want,
             "CONNECT target/Host %r/%r, expected %r" % (st["last_target"], st["last_host"],
                                                         want))
    c.expect(st["last_auth"] is None, "credentials were sent though none were given")


def case_02(c, ctx):
    """https_proxy, then HTTPS_PROXY; --proxy beats both; --proxy "" connects directly"""
    s = ctx.sim("plain")
    dead = "http://127.0.0.1:%d" % closed_port()
    n = tunnels(s)
    r = ctx.run(c, s, "job-success", env={"https_proxy": proxy_url(s), "HTTPS_PROXY": dead})
    ok_via(c, ctx, s, r, n, True)
    n = tunnels(s)
    r = ctx.run(c, s, "job-success", env={"HTTPS_PROXY": proxy_url(s)})
    ok_via(c, ctx, s, r, n, True)
    r = ctx.run(c, s, "job-success", env={"https_proxy": dead, "HTTPS_PROXY": proxy_url(s)})
    c.expect(r["rc"] == 4, "https_proxy (unreachable) must win over HTTPS_PROXY: exit %s"
             % r["rc"])
    c.expect(("proxy %s unreachable" % dead[7:]) in r["err"], "stderr does not name the "
             "unreachable proxy: %r" % r["err"])
    n = tunnels(s)
    r = ctx.run(c, s, "job-success", "--proxy", proxy_url(s), env={"https_proxy": dead})
    ok_via(c, ctx, s, r, n, True)
    n = tunnels(s)
    r = ctx.run(c, s, "job-success", "--proxy", "", env={"https_proxy": proxy_url(s)})
    ok_via(c, ctx, s, r, n, False)


def case_03(c, ctx):
    """--noproxy / no_proxy / NO_PROXY: matches connect directly, others tunnel"""
    s = ctx.sim("plain")
    for lst, via in (("localhost", False), ("LocalHost", False), (".localhost", False),
                     ("*", False), ("example.com, localhost", False), ("host", True),
                     ("calhost,example.com", True), ("", True), ("*.localhost", True)):
        n = tunnels(s)
        r = ctx.run(c, s, "job-success", "--proxy", proxy_url(s), "--noproxy", lst)
        ok_via(c, ctx, s, r, n, via)
    n = tunnels(s)
    r = ctx.run(c, s, "job-success", env={"https_proxy": proxy_url(s), "no_proxy": "localhost",
                                          "NO_PROXY": "example.com"})
    ok_via(c, ctx, s, r, n, False)
    n = tunnels(s)
    r = ctx.run(c, s, "job-success", env={"https_proxy": proxy_url(s), "NO_PROXY": "localhost"})
    ok_via(c, ctx, s, r, n, False)
    n = tunnels(s)
    r = ctx.run(c, s, "job-success", env={"https_proxy": proxy_url(s), "no_proxy": "example.com",
                                          "NO_PROXY": "localhost"})
    ok_via(c, ctx, s, r, n, True)          # no_proxy is set: NO_PROXY is not read
    n = tunnels(s)
    r = ctx.run(c, s, "job-success", "--noproxy", "example.com",
                env={"https_proxy": proxy_url(s), "no_proxy": "localhost"})
    ok_via(c, ctx, s, r, n, True)          # --noproxy beats no_proxy


def case_04(c, ctx):
    """credentials: percent-decoded, Basic, accepted; none or wrong -> exit 4, HTTP 407"""
    s = ctx.sim("auth", "--proxy-auth", "%s:%s" % (PROXY_USER, PROXY_PASS))
    n = tunnels(s)
    r = ctx.run(c, s, "job-success", "--proxy", proxy_url(s, PROXY_URL_CREDS))
    ok_via(c, ctx, s, r, n, True)
    c.expect(s.stats()["proxy"]["last_auth"] == "Basic", "no Basic credentials sent")
    n = tunnels(s)
    r = ctx.run(c, s, "job-success", env={"HTTPS_PROXY": proxy_url(s, PROXY_URL_CREDS)})
    ok_via(c, ctx, s, r, n, True)
    name = "127.0.0.1:%d" % s.state["proxy_port"]
    for creds in (None, "us%20er:wrong"):
        r = ctx.run(c, s, "job-success", "--proxy", proxy_url(s, creds))
        c.expect(r["rc"] == 4, "exit %s, expected 4" % r["rc"])
        c.expect(("ges_job_status: proxy %s refused CONNECT: HTTP 407" % name) in r["err"],
                 "stderr does not say the proxy refused with 407: %r" % r["err"])
        c.expect(r["out"] == "", "stdout not empty: %r" % r["out"])
    c.expect(s.stats()["proxy"]["refused"].get("407") == 2, "the proxy did not refuse twice")


def case_05(c, ctx):
    """a proxy that refuses with 502 -> exit 4, the status named"""
    s = ctx.sim("refuse", "--proxy-refuse", "502")
    r = ctx.run(c, s, "job-success", "--proxy", proxy_url(s))
    c.expect(r["rc"] == 4, "exit %s, expected 4" % r["rc"])
    c.expect("refused CONNECT: HTTP 502" in r["err"], "stderr: %r" % r["err"])


def case_06(c, ctx):
    """an unreachable proxy (closed loopback port) -> exit 4, the proxy named"""
    s = ctx.sim("plain")
    port = closed_port()
    r = ctx.run(c, s, "job-success", "--proxy", "http://127.0.0.1:%d" % port)
    c.expect(r["rc"] == 4, "exit %s, expected 4" % r["rc"])
    c.expect("ges_job_status: proxy 127.0.0.1:%d unreachable" % port in r["err"],
             "stderr: %r" % r["err"])


def case_07(c, ctx):
    """tunnel closed mid-wait: a new CONNECT per 2 polls, TLS sessions resumed"""
    s = ctx.sim("close2", "--proxy-close-after", "2")
    s.reset()
    r = ctx.run(c, s, "job-import", "--proxy", proxy_url(s), wait=20000)
    c.expect(r["rc"] == 0, "exit %s, expected 0" % r["rc"])
    c.expect("status=success" in r["out"].splitlines(), "no status=success line")
    st = s.stats()
    polls = st["polls"].get("job-import", 0)
    c.expect(polls == 6, "%d polls, expected 6" % polls)
    c.expect(st["proxy"]["tunnels"] == 3, "%d tunnels, expected 3 (2 polls each)"
             % st["proxy"]["tunnels"])
    c.expect(st["proxy"]["closed_after"] == 3, "closed_after %d" % st["proxy"]["closed_after"])
    c.expect(st["handshakes"] == 3 and st["resumed"] == 2,
             "handshakes %d, resumed %d; expected 3 and 2" % (st["handshakes"], st["resumed"]))


def case_08(c, ctx):
    """a proxy that sends its own bytes after its 200 -> exit 4 (TLS), at once"""
    s = ctx.sim("extra", "--proxy-extra")
    r = ctx.run(c, s, "job-success", "--proxy", proxy_url(s))
    c.expect(r["rc"] == 4, "exit %s, expected 4" % r["rc"])
    c.expect("TLS" in r["err"], "stderr does not name a TLS error: %r" % r["err"])
    c.expect(r["elapsed"] < 4.0, "took %.1f s: the client waited" % r["elapsed"])


def case_09(c, ctx):
    """bad proxy URLs -> exit 2, nothing sent, no credential echoed"""
    s = ctx.sim("plain")
    n = s.stats()["proxy"]["connects"]
    port = s.state["proxy_port"]
    for url in ("https://127.0.0.1:%d" % port, "socks5://127.0.0.1:%d" % port,
                "127.0.0.1:%d" % port, "http://", "http://127.0.0.1:0",
                "http://us%20er:p%40ss%zz@127.0.0.1:" + str(port)):
        r = ctx.run(c, s, "job-success", "--proxy", url)
        c.expect(r["rc"] == 2, "%s: exit %s, expected 2" % (url, r["rc"]))
        r = ctx.run(c, s, "job-success", env={"https_proxy": url})
        c.expect(r["rc"] == 2, "https_proxy=%s: exit %s, expected 2" % (url, r["rc"]))
        c.expect("https_proxy" in r["err"], "the message does not name https_proxy")
    c.expect(s.stats()["proxy"]["connects"] == n, "a bad URL reached the proxy")


def main(argv):
    cli = os.path.abspath(argv[1]) if len(argv) == 2 else None
    if cli is None or not os.access(cli, os.X_OK):
        print("usage: %s build/ges_job_status (an executable)\n0 passed, 1 failed" % argv[0])
        return 1
    with tempfile.TemporaryDirectory(prefix="ges_proxy.") as tmp:
        ctx = Ctx(cli, tmp)
        cases = sorted((k, f) for k, f in globals().items() if k.startswith("case_"))
        try:
            for _, fn in cases:
                name = fn.__doc__
                c = Check(name)
                try:
                    fn(c, ctx)
                except Exception:
                    c.problems.append("exception:\n" + traceback.format_exc().rstrip())
                if c.problems:
                    RESULTS["failed"] += 1
                    print("FAIL %s" % name)
                    for p in c.problems:
                        print("    - " + p)
                    for r in c.runs[-2:]:
                        print("    $ %s\n    exit %s\n    stderr: %s" % (
                            " ".join(r["argv"]), r["rc"], r["err"].strip()[:500]))
                else:
                    RESULTS["passed"] += 1
                    if os.environ.get("VERBOSE"):
                        print("ok   %s" % name)
        finally:
            for sim in ctx.sims.values():
                sim.stop()
    failed = RESULTS["failed"]
    print("%d passed, %d failed" % (RESULTS["passed"], failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
