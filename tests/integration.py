#!/usr/bin/env python3
"""Integration tests: the ges_job_status CLI (and build/test_client) against the GES simulator.

    python3 tests/integration.py build/ges_job_status

Starts tests/sim/ges_sim.py once (certificates in a temporary directory), runs every case
against it over TLS on loopback, stops it, prints each failure with its details, and ends
with exactly one line "N passed, N failed"; the exit status is 0 iff nothing failed.

Three phases of build/test_client (next to the CLI) are run here so that the simulator's
/_sim/stats can be checked around them (connections, handshakes, resumed sessions); its own
suite is run by tests/run_all.sh (tests/mbedtls/with_sim.py starts a simulator for it).

Standard library only (Python 3.11). Every child process has a timeout; nothing here uses a
fixed path in /tmp.
"""

import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SIM = os.path.join(HERE, "sim", "ges_sim.py")
SEED_200 = os.path.join(HERE, "data", "seed-200.json")
SEED_400 = os.path.join(HERE, "data", "seed-400.json")

DEFAULT_TIMEOUT = 20.0        # seconds, per child process
SIM_START_TIMEOUT = 10.0
RSS_LIMIT_KIB = 16 * 1024     # peak RSS of the CLI on the huge answers
PROJECT, GRAPH = "test-project", "test-graph"

# Set by the hardening targets (tests/mk/hardening.mk):
#   GES_TEST_INSTRUMENTED=1  the binaries run under a sanitizer, valgrind or gcov: peak RSS
#                            limits and tight upper time bounds are not checked (exit statuses,
#                            output and lower time bounds still are).
#   GES_TEST_WRAPPER="valgrind ..."  prefixed to every CLI and test_client run.
#   GES_TEST_CASES=regex     run only the cases whose name matches.
#   GES_TEST_TIMEOUT_SCALE=N multiplies every child process timeout.
INSTRUMENTED = os.environ.get("GES_TEST_INSTRUMENTED", "") not in ("", "0")
WRAPPER = shlex.split(os.environ.get("GES_TEST_WRAPPER", ""))
if WRAPPER and shutil.which(WRAPPER[0]):
    WRAPPER[0] = shutil.which(WRAPPER[0])     # the RSS helper execs it with execv
CASE_FILTER = os.environ.get("GES_TEST_CASES", "")
TIMEOUT_SCALE = float(os.environ.get("GES_TEST_TIMEOUT_SCALE", "1") or "1")

SEED_KEY_LINES = [            # hard-coded, on top of the lines derived from --parse
    "jobId=ff80808167f09aaa0167f19b35ec0305",
    "beginEpoch=1543354740",
    "endEpoch=1543354796",
    "jobProgress=0",
    "vertexsetPath.count=1",
]


# --------------------------------------------------------------------------------------------
# Running a child: output in temp files, reaped with os.wait4 (peak RSS), wall time measured
# --------------------------------------------------------------------------------------------

class Result:
    def __init__(self, argv, rc, out, err, elapsed, maxrss_kib, timed_out):
        self.argv, self.rc, self.out, self.err = argv, rc, out, err
        self.elapsed, self.maxrss_kib, self.timed_out = elapsed, maxrss_kib, timed_out
        self.rss_measured = False

    @property
    def lines(self):
        return self.out.decode("utf-8", errors="replace").splitlines()

    def describe(self, redact=()):
        def show(b, limit):
            text = b.decode("utf-8", errors="replace")
            for s in redact:
                text = text.replace(s, "<TOKEN>")
            ls = text.splitlines()
            more = "\n      ... (%d more lines)" % (len(ls) - limit) if len(ls) > limit else ""
            return "\n".join("      " + x[:300] for x in ls[:limit]) + more
        argv = " ".join(a if " " not in a else repr(a) for a in self.argv)
        rss = ", peak RSS %s KiB" % self.maxrss_kib if self.rss_measured else ""
        return ("    $ %s\n    exit %s%s, %.2f s%s\n    stdout:\n%s\n"
                "    stderr:\n%s" % (argv, self.rc, " (TIMED OUT, killed)" if self.timed_out
                                    else "", self.elapsed, rss,
                                    show(self.out, 40), show(self.err, 15)))


# Peak RSS. On Linux a child's ru_maxrss also counts the RSS of the process it was exec'd
# from (exec keeps the larger of the old and the new address space's high-water mark), so
# os.wait4 on a child of this Python process reports at least this process's own ~20 MiB,
# whatever the CLI used. To measure the CLI itself, it is started by a tiny C helper (built
# once into the temp dir with the C compiler the project needs anyway): the helper forks
# (a fresh process with the helper's ~1 MiB address space), execs the CLI, reaps it with
# wait4 and writes its ru_maxrss (KiB) to a file. The helper itself is reaped with os.wait4.
RSS_HELPER_C = r"""
#define _DEFAULT_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv)
{
    struct rusage ru;
    int st;
    FILE *f;
    pid_t pid;
    if (argc < 3) return 125;
    pid = fork();
    if (pid < 0) return 125;
    if (pid == 0) { execv(argv[2], argv + 2); _exit(127); }
    while (wait4(pid, &st, 0, &ru) < 0) if (errno != EINTR) return 125;
    f = fopen(argv[1], "w");
    if (f == NULL) return 125;
    fprintf(f, "%ld\n", (long)ru.ru_maxrss);
    if (fclose(f) != 0) return 125;
    if (WIFSIGNALED(st)) { signal(WTERMSIG(st), SIG_DFL); raise(WTERMSIG(st)); }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 125;
}
"""
RSS_HELPER = {"path": None, "error": None}


def build_rss_helper(workdir):
    src = os.path.join(workdir, "rss_helper.c")
    exe = os.path.join(workdir, "rss_helper")
    with open(src, "w") as f:
        f.write(RSS_HELPER_C)
    cc = os.environ.get("CC") or "cc"
    try:
        r = subprocess.run([cc, "-O1", "-o", exe, src], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        if r.returncode == 0:
            RSS_HELPER["path"] = exe
        else:
            RSS_HELPER["error"] = "%s failed: %s" % (cc, r.stdout.decode(errors="replace"))
    except (OSError, subprocess.TimeoutExpired) as e:
        RSS_HELPER["error"] = "%s: %s" % (cc, e)


def run_cmd(argv, env=None, stdin_bytes=None, timeout=DEFAULT_TIMEOUT, measure_rss=False):
    """Run argv (cwd = the tree). measure_rss: through the helper, so maxrss_kib is the
    child's own peak RSS (None if the helper is unavailable); otherwise maxrss_kib is
    os.wait4's figure, which includes this process's RSS (see above)."""
    real_argv = WRAPPER + list(argv)
    timeout *= TIMEOUT_SCALE
    rss_file = None
    if measure_rss:
        if RSS_HELPER["path"] is None:
            raise CaseFailed("cannot measure RSS: the helper did not build: %s"
                             % RSS_HELPER["error"])
        fd, rss_file = tempfile.mkstemp(prefix="rss.", dir=RSS_HELPER["workdir"])
        os.close(fd)
        real_argv = [RSS_HELPER["path"], rss_file] + real_argv
    with tempfile.TemporaryFile() as fout, tempfile.TemporaryFile() as ferr, \
            tempfile.TemporaryFile() as fin:
        if stdin_bytes is not None:
            fin.write(stdin_bytes)
            fin.seek(0)
        t0 = time.monotonic()
        p = subprocess.Popen(real_argv,
                             stdin=fin if stdin_bytes is not None else subprocess.DEVNULL,
                             stdout=fout, stderr=ferr, env=env, cwd=ROOT,
                             start_new_session=True)   # its own group: killable as a whole
        deadline = t0 + timeout
        timed_out = False
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid == p.pid:
                break
            if time.monotonic() >= deadline:
                timed_out = True
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except OSError:
                    p.kill()
                pid, status, ru = os.wait4(p.pid, 0)
                break
            time.sleep(0.002)
        elapsed = time.monotonic() - t0
        rc = os.waitstatus_to_exitcode(status)
        p.returncode = rc        # reaped here: keep Popen from waiting again
        maxrss = ru.ru_maxrss
        if rss_file is not None:
            maxrss = None
            try:
                with open(rss_file) as f:
                    maxrss = int(f.read().strip())
            except (OSError, ValueError):
                pass
            os.unlink(rss_file)
        fout.seek(0)
        ferr.seek(0)
        res = Result(argv, rc, fout.read(), ferr.read(), elapsed, maxrss, timed_out)
        res.rss_measured = rss_file is not None
        return res


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("GES_TOKEN", "GES_ENDPOINT", "https_proxy", "HTTPS_PROXY")}
    env.update(extra)
    return env


# --------------------------------------------------------------------------------------------
# The simulator
# --------------------------------------------------------------------------------------------

class Simulator:
    def __init__(self, workdir, host=None):
        """host: the listen address (the simulator's default, 127.0.0.1, if None); a second
        simulator gets its own name for its files (e.g. "::1" -> sim-v6)."""
        self.workdir = workdir
        self.host = host
        self.name = "sim" if host is None else "sim-v6" if ":" in host else "sim-" + host
        self.proc = None
        self.state = None

    def start(self):
        state_file = os.path.join(self.workdir, self.name + "-state.json")
        self.errlog = open(os.path.join(self.workdir, self.name + "-stderr.log"), "w+b")
        self.proc = subprocess.Popen(
            [sys.executable, SIM, "--dir", os.path.join(self.workdir, self.name),
             "--state-file", state_file] + (["--host", self.host] if self.host else []),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.errlog)
        deadline = time.monotonic() + SIM_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with open(state_file) as f:
                    self.state = json.loads(f.read())
                break
            except (OSError, ValueError):
                time.sleep(0.05)
        if self.state is None:
            self.errlog.seek(0)
            why = self.errlog.read().decode(errors="replace")
            self.stop()
            raise RuntimeError("the simulator did not start within %.0f s%s" %
                               (SIM_START_TIMEOUT, (": " + why.strip()) if why.strip() else ""))
        self.port = self.state["port"]
        self.ports = self.state["ports"]
        self.ca = self.state["ca"]
        self.other_ca = self.state["other_ca"]
        self.token = self.state["token"]
        self.ssl_ctx = ssl.create_default_context(cafile=self.ca)

    def control(self, what):
        host = "localhost" if self.host is None else (
            "[%s]" % self.host if ":" in self.host else self.host)
        url = "https://%s:%d/_sim/%s" % (host, self.port, what)
        with urllib.request.urlopen(url, context=self.ssl_ctx, timeout=10) as r:
            return json.loads(r.read())

    def reset(self):
        return self.control("reset")

    def stats(self):
        return self.control("stats")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "errlog", None):
            self.errlog.close()
            self.errlog = None


# --------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------

class CaseFailed(Exception):
    pass


class CaseSkipped(Exception):
    """Neither passed nor failed (the reason is counted elsewhere)."""


class Case:
    """One case: a list of problems (empty = passed) and the runs that explain them."""

    def __init__(self, name, ctx):
        self.name, self.ctx = name, ctx
        self.problems = []
        self.runs = []

    def expect(self, cond, msg):
        if not cond:
            self.problems.append(msg)
        return bool(cond)

    def rc(self, r, want):
        return self.expect(r.rc == want, "exit status %s, expected %s" % (r.rc, want))

    def line(self, r, want):
        return self.expect(want in r.lines, "no stdout line %r" % want)

    def no_prefix(self, r, prefix):
        bad = [x for x in r.lines if x.startswith(prefix)]
        return self.expect(not bad, "unexpected stdout line(s) %r" % bad)

    def lines_equal(self, r, want):
        got = r.lines
        if got == want:
            return True
        diff = []
        for i in range(max(len(got), len(want))):
            g = got[i] if i < len(got) else "<none>"
            w = want[i] if i < len(want) else "<none>"
            if g != w:
                diff.append("line %d: got %r, expected %r" % (i + 1, g, w))
        self.problems.append("stdout differs from the expected %d lines (%s)"
                             % (len(want), "; ".join(diff[:5])))
        return False

    def within(self, r, seconds):
        if INSTRUMENTED:
            return True
        return self.expect(r.elapsed < seconds, "took %.2f s, limit %.2f s"
                           % (r.elapsed, seconds))

    def run(self, argv, **kw):
        r = run_cmd(argv, **kw)
        self.runs.append(r)
        if r.timed_out:
            self.problems.append("the process timed out after %.1f s and was killed"
                                 % r.elapsed)
        if r.rc < 0:
            self.problems.append("the process died of signal %d" % -r.rc)
        return r

    def cli(self, job, *extra, port=None, ca=None, token_file=None, env=None,
            timeout=DEFAULT_TIMEOUT, ids=None, measure_rss=False, endpoint=None):
        """One network run of the CLI against the simulator (endpoint: the whole
        --endpoint value, instead of https://localhost:PORT)."""
        c = self.ctx
        argv = [c.cli, "--endpoint", endpoint or "https://localhost:%d" % (port or c.sim.port),
                "--ca-file", ca or c.sim.ca]
        if token_file is not False:
            argv += ["--token-file", token_file or c.token_file]
        argv += list(extra)
        argv += ["--"] + (ids or [PROJECT, GRAPH, job])
        r = self.run(argv, env=env if env is not None else clean_env(), timeout=timeout,
                     measure_rss=measure_rss)
        for secret in c.secrets:
            self.expect(secret.encode() not in r.out and secret.encode() not in r.err,
                        "a token appears in the CLI's output")
        return r


CASES = []


def case(name):
    def deco(fn):
        CASES.append((name, fn))
        return fn
    return deco


class Context:
    def __init__(self, cli, sim, workdir):
        self.cli, self.sim, self.workdir = cli, sim, workdir
        self.token_file = os.path.join(workdir, "token")
        with open(self.token_file, "w") as f:
            f.write(sim.token + "\n")
        self.wrong_token = "wrong-token-" + secrets.token_hex(8)
        self.wrong_token_file = os.path.join(workdir, "wrong-token")
        with open(self.wrong_token_file, "w") as f:
            f.write(self.wrong_token + "\n")
        self.secrets = [sim.token, self.wrong_token]
        self.seed_lines = None        # from --parse seed-200.json
        self.sim6 = None              # the ::1 simulator (or why there is none), started once
        self.rss = {}                 # job -> peak RSS KiB
        self.sub_passed = self.sub_failed = 0


def seed_lines(t):
    """The 19 lines of the seed, derived from --parse (and checked literally)."""
    c = t.ctx
    if c.seed_lines is None:
        r = run_cmd([c.cli, "--parse", SEED_200])
        lines = r.lines
        if r.rc != 0 or len(lines) != 19 or not all(k in lines for k in SEED_KEY_LINES):
            t.runs.append(r)
            raise CaseFailed("--parse %s did not give the 19 seed lines" % SEED_200)
        c.seed_lines = lines
    return c.seed_lines


def expect_seed_answer(t, r):
    want = ["httpStatus=200"] + seed_lines(t)
    t.rc(r, 0)
    t.lines_equal(r, want)
    for k in SEED_KEY_LINES:
        t.line(r, k)


# --- --parse -------------------------------------------------------------------------------

@case("parse: seed-200.json gives the 19 lines, exit 0")
def _(t):
    r = t.run([t.ctx.cli, "--parse", SEED_200])
    t.rc(r, 0)
    t.expect(len(r.lines) == 19, "%d lines, expected 19" % len(r.lines))
    for k in SEED_KEY_LINES + ["status=success", "vertexsetPath[0].status=success"]:
        t.line(r, k)
    t.expect(r.lines[:1] == ["jobId=ff80808167f09aaa0167f19b35ec0305"], "jobId is not first")
    t.expect(r.lines[-1:] == ["vertexsetPath[0].status=success"],
             "vertexsetPath[0].status=success is not last")
    t.no_prefix(r, "httpStatus=")


@case("parse: seed-400.json -> exit 3")
def _(t):
    r = t.run([t.ctx.cli, "--parse", SEED_400])
    t.rc(r, 3)
    t.line(r, "errorCode=GES.8301")


@case("parse: {\"jobId\": tru} -> exit 6")
def _(t):
    path = os.path.join(t.ctx.workdir, "bad-literal.json")
    with open(path, "w") as f:
        f.write('{"jobId": tru}')
    r = t.run([t.ctx.cli, "--parse", path])
    t.rc(r, 6)
    t.expect(r.out == b"", "stdout is not empty")


@case("parse: DEL and C1 controls (raw and \\u-escaped) print as \\x7f and \\xc2\\x80..\\xc2\\x9f")
def _(t):
    path = os.path.join(t.ctx.workdir, "controls.json")
    body = (b'{"jobId": "a\\u007fb\x7fc",'
            b' "status": "x\\u0080y\\u009fz\\u00a0!",'
            b' "jobType": "raw \xc2\x80 \xc2\x85 \xc2\x9f \xc2\xa0 \xc3\x80 \xe2\x80\xa8 \xc4\x80",'
            b' "jobName": "c0 \\u0001\\u001f\\t\\n\\r\\\\x7f \\u0000 end",'
            b' "failReason": "\xc2\x9f\x7f\xc2\x80"}')
    with open(path, "wb") as f:
        f.write(body)
    r = t.run([t.ctx.cli, "--parse", path])
    t.rc(r, 0)
    want = [b"jobId=a\\x7fb\\x7fc",
            b"status=x\\xc2\\x80y\\xc2\\x9fz\xc2\xa0!",
            b"jobType=raw \\xc2\\x80 \\xc2\\x85 \\xc2\\x9f \xc2\xa0 \xc3\x80 \xe2\x80\xa8 \xc4\x80",
            b"jobName=c0 \\x01\\x1f\\t\\n\\r\\\\x7f \\x00 end",
            b"failReason=\\xc2\\x9f\\x7f\\xc2\\x80"]
    got = r.out.split(b"\n")
    t.expect(got == want + [b""], "stdout %r, expected %r" % (got, want + [b""]))
    t.expect(all(0x20 <= c < 0x7f or c >= 0x80 or c == 0x0a for c in r.out),
             "stdout holds a C0 control or DEL")
    t.expect(b"\xc2\x80" not in r.out and b"\xc2\x9f" not in r.out and
             b"\xc2\x85" not in r.out, "stdout holds a raw C1 control")


@case("parse: stdin '-'")
def _(t):
    with open(SEED_200, "rb") as f:
        data = f.read()
    r = t.run([t.ctx.cli, "--parse", "-"], stdin_bytes=data)
    t.rc(r, 0)
    t.lines_equal(r, seed_lines(t))


# --- normal answers ------------------------------------------------------------------------

def seed_case(job):
    @case("%s: httpStatus=200 + the 19 seed lines, exit 0" % job)
    def _(t):
        expect_seed_answer(t, t.cli(job))


for _job in ("job-success", "job-chunked", "job-no-reason", "job-http10", "job-100-continue",
             "job-tls-records", "job-keepalive-off"):
    seed_case(_job)


@case("job-success: token from GES_TOKEN (no token file)")
def _(t):
    expect_seed_answer(t, t.cli("job-success", token_file=False,
                                env=clean_env(GES_TOKEN=t.ctx.sim.token)))


@case("job-v2shape: the v2 snake_case body prints the job-success fields with v1.0 names")
def _(t):
    r = t.cli("job-v2shape")
    t.rc(r, 0)
    want = ["httpStatus=200"] + seed_lines(t)
    # beginTime/endTime are raw strings: v2 spells them "yyyy-MM-dd HH:mm:ss". Every other
    # line (the epochs included) must be the same.
    raw_times = {"beginTime=2018-11-27 21:39:00", "endTime=2018-11-27 21:39:56"}
    for x in raw_times:
        t.line(r, x)
    got = [x for x in r.lines if x not in raw_times]
    want = [x for x in want if not x.startswith(("beginTime=", "endTime="))]
    t.expect(got == want, "the lines other than beginTime/endTime differ from job-success: "
             "%r" % [x for x in got if x not in want] + " / missing %r"
             % [x for x in want if x not in got])


@case("--api v2: GET /v2/..., the snake_case answer prints job-success's lines, exit 0")
def _(t):
    t.ctx.sim.reset()
    r = t.cli("job-success", "--api", "v2")
    t.rc(r, 0)
    want = ["httpStatus=200"] + seed_lines(t)
    # The v2 route spells times "yyyy-MM-dd HH:mm:ss"; every other line is the same.
    raw_times = {"beginTime=2018-11-27 21:39:00", "endTime=2018-11-27 21:39:56"}
    for x in raw_times:
        t.line(r, x)
    got = [x for x in r.lines if x not in raw_times]
    want = [x for x in want if not x.startswith(("beginTime=", "endTime="))]
    t.expect(got == want, "lines differ from job-success: %r" % got)
    st = t.ctx.sim.stats()
    t.expect(st.get("apis") == {"v2": 1}, "the simulator routed %r, want one v2 request"
             % st.get("apis"))
    t.ctx.sim.reset()
    r = t.cli("job-success", "--api=v1.0")
    expect_seed_answer(t, r)
    r = t.cli("job-success")
    expect_seed_answer(t, r)
    st = t.ctx.sim.stats()
    t.expect(st.get("apis") == {"v1": 2}, "--api=v1.0 and the default routed %r, want two "
             "v1.0 requests" % st.get("apis"))


@case("job-failed: exit 1, status=failed, failReason")
def _(t):
    r = t.cli("job-failed")
    t.rc(r, 1)
    for x in ("httpStatus=200", "status=failed",
              "failReason=Importing vertexset file obs://sim-bucket/vertices.csv failed",
              "vertexsetPath.count=1", "vertexsetPath[0].status=failed",
              "vertexsetPath[0].log=obs://sim-bucket/logs/vertices.log",
              "vertexsetPath[0].cause=Column 3 is not a valid integer",
              "vertexsetPath[0].totalLines=500", "vertexsetPath[0].failedLines=500",
              "vertexsetPath[0].successfulLines=0"):
        t.line(r, x)


@case("job-partial: exit 1, partFailed entries, -1 line counts printed as -1")
def _(t):
    r = t.cli("job-partial")
    t.rc(r, 1)
    for x in ("status=partiallyFailed", "failReason=Some files failed to import",
              "edgesetPath.count=2", "edgesetPath[0].totalLines=-1",
              "edgesetPath[0].failedLines=-1", "edgesetPath[0].successfulLines=-1",
              "edgesetPath[1].status=failed", "edgesetPath[1].cause=File not found",
              "vertexsetPath[0].status=partFailed", "vertexsetPath[0].totalLines=1000",
              "vertexsetPath[0].failedLines=10", "vertexsetPath[0].successfulLines=990"):
        t.line(r, x)


@case("job-import: 6 polls: pending, pending, running 25/50.5/75, success")
def _(t):
    t.ctx.sim.reset()
    script = [("pending", "0", 0), ("pending", "0", 0), ("running", "25", 0),
              ("running", "50.5", 0), ("running", "75", 0), ("success", "100", 0)]
    for i, (status, progress, code) in enumerate(script, 1):
        r = t.cli("job-import")
        n = len(t.problems)
        t.rc(r, code)
        t.line(r, "status=" + status)
        t.line(r, "jobProgress=" + progress)
        if status != "success":
            t.no_prefix(r, "endTime=")       # null while the job runs
        else:
            t.line(r, "endTime=2024-05-01T10:05:30")
            t.line(r, "vertexsetPath[0].totalLines=1000")
        if len(t.problems) > n:
            t.problems.insert(n, "poll %d:" % i)


@case("job-unicode: UTF-8 as is, \\n \\t \\\\ escaped")
def _(t):
    r = t.cli("job-unicode")
    t.rc(r, 1)
    t.line(r, "relatedGraph=caf\u00e9_\U0001F600")
    t.line(r, 'failReason=line1\\nline2\\tcol "quoted" back\\\\slash \u00e9\U0001F600')


# --- service errors ------------------------------------------------------------------------

@case("unknown job: exit 3, httpStatus=400, errorCode=GES.7007")
def _(t):
    r = t.cli("job-no-such-job")
    t.rc(r, 3)
    for x in ("httpStatus=400", "errorCode=GES.7007",
              "errorMessage=The job does not exist."):
        t.line(r, x)


@case("wrong token: exit 3, httpStatus=401, APIG.0301, no token in the output")
def _(t):
    r = t.cli("job-success", token_file=t.ctx.wrong_token_file)
    t.rc(r, 3)
    t.line(r, "httpStatus=401")
    t.line(r, "errorCode=APIG.0301")
    # (t.cli checks that neither token appears in stdout or stderr.)


@case("job-err-camel: exit 3, errorCode/errorMessage")
def _(t):
    r = t.cli("job-err-camel")
    t.rc(r, 3)
    t.line(r, "errorCode=GES.7007")


@case("job-err-snake: exit 3, errorCode/errorMessage from error_code/error_msg")
def _(t):
    r = t.cli("job-err-snake")
    t.rc(r, 3)
    for x in ("httpStatus=400", "errorCode=GES.0001",
              "errorMessage=Invalid parameter: job_id"):
        t.line(r, x)


@case("job-err-nested: exit 3, errorCode/errorMessage from error.code/message")
def _(t):
    r = t.cli("job-err-nested")
    t.rc(r, 3)
    for x in ("httpStatus=500", "errorCode=GES.7006", "errorMessage=Engine internal error"):
        t.line(r, x)


@case("job-err-html: exit 3, httpStatus=502, no errorCode")
def _(t):
    r = t.cli("job-err-html")
    t.rc(r, 3)
    t.line(r, "httpStatus=502")
    t.no_prefix(r, "errorCode=")


@case("job-200-errorcode: exit 3, httpStatus=200, errorCode=GES.7001")
def _(t):
    r = t.cli("job-200-errorcode")
    t.rc(r, 3)
    t.line(r, "httpStatus=200")
    t.line(r, "errorCode=GES.7001")
    t.line(r, "errorMessage=graph not running")


@case("job-redirect: exit 3, httpStatus=302 (not followed)")
def _(t):
    r = t.cli("job-redirect")
    t.rc(r, 3)
    t.line(r, "httpStatus=302")
    t.expect(b"evil.example" not in r.out, "the Location is printed/followed")


@case("job-503-retry: first poll -> exit 3, httpStatus=503")
def _(t):
    t.ctx.sim.reset()
    r = t.cli("job-503-retry")
    t.rc(r, 3)
    t.line(r, "httpStatus=503")
    t.line(r, "errorCode=GES.7005")


# --- hostile servers: deadlines ------------------------------------------------------------

def timeout_case(job):
    @case("%s: --timeout-ms 2000 -> exit 5 in < 3.0 s" % job)
    def _(t):
        r = t.cli(job, "--timeout-ms", "2000", timeout=10)
        t.rc(r, 5)
        t.within(r, 2.0 + 1.0)
        t.expect(r.elapsed >= 1.5, "gave up after %.2f s, before its deadline" % r.elapsed)
        t.ctx.timings.append("%s %.2f s" % (job, r.elapsed))


for _job in ("job-trickle", "job-stall", "job-never", "job-stall-body"):
    timeout_case(_job)


def check_rss(t, job, r):
    if not t.expect(r.maxrss_kib is not None, "the RSS helper reported no figure"):
        return
    t.ctx.rss[job] = (r.maxrss_kib, r.elapsed)
    if INSTRUMENTED:
        return
    t.expect(r.maxrss_kib < RSS_LIMIT_KIB, "peak RSS %d KiB, limit %d KiB"
             % (r.maxrss_kib, RSS_LIMIT_KIB))


def exit_case(job, code, limit=None, rss=False):
    @case("%s -> exit %d%s" % (job, code, " within %d s" % limit if limit else ""))
    def _(t):
        # Under valgrind or a sanitizer a 32 MiB body takes longer than the
        # CLI's default 15 s deadline on a loaded machine: give the client the
        # same scaled time as the child process, so the case still tests the
        # body bound and not the machine's speed.
        extra = (("--timeout-ms", str(int((limit or 15) * 1000 * TIMEOUT_SCALE)))
                 if INSTRUMENTED else ())
        r = t.cli(job, *extra, timeout=limit + 5 if limit else DEFAULT_TIMEOUT, measure_rss=rss)
        t.rc(r, code)
        if limit:
            t.within(r, limit)
        if rss:
            check_rss(t, job, r)


exit_case("job-early-close", 4)
exit_case("job-reset", 4)
exit_case("job-big-headers", 6)
exit_case("job-big-body", 6, limit=30, rss=True)
exit_case("job-big-body-chunked", 6, limit=30, rss=True)
for _job in ("job-cl-chunked", "job-cl-conflict", "job-cl-bad", "job-chunk-negative",
             "job-chunk-huge", "job-chunk-nonhex", "job-nul-header", "job-deep",
             "job-bad-utf8", "job-lone-surrogate", "job-bad-json"):
    exit_case(_job, 6)


@case("job-gzip: exit 6, the message names the Content-Encoding, stdout only httpStatus")
def _(t):
    r = t.cli("job-gzip")
    t.rc(r, 6)
    t.expect(r.out == b"httpStatus=200\n", "stdout %r" % r.out[:80])
    t.expect(b"(Content-Encoding: gzip)" in r.err, "stderr %r" % r.err[-200:])


@case("job-many: exit 0, vertexsetPath.count=10000, last line truncated=vertexsetPath")
def _(t):
    r = t.cli("job-many", measure_rss=True)
    t.rc(r, 0)
    t.line(r, "vertexsetPath.count=10000")
    t.expect(r.lines[-1:] == ["truncated=vertexsetPath"],
             "last line %r" % (r.lines[-1:] or [""])[0])
    check_rss(t, "job-many", r)


@case("job-long-strings: exit 0, last line truncated=jobId,status,...")
def _(t):
    r = t.cli("job-long-strings")
    t.rc(r, 0)
    last = (r.lines[-1:] or [""])[0]
    t.expect(last.startswith("truncated=jobId,status,"), "last line %r" % last[:200])
    t.expect(all(len(x) < 1024 for x in r.lines), "a line is longer than 1 KiB")


# --- TLS -----------------------------------------------------------------------------------

def mbedtls_error_texts(cli):
    """Whether the CLI's messages must carry mbedTLS's error texts (MBEDTLS_ERROR_C):
    GES_TEST_MBEDTLS_ERROR_C=1/0 says so; otherwise True when the CLI needs the system's shared
    libmbedcrypto and the system's mbedTLS config defines MBEDTLS_ERROR_C (the `make` build on
    Debian), else None: with or without the text is accepted (a static mbedTLS of its own
    config, as tests/mbedtls builds, may leave the texts out)."""
    env = os.environ.get("GES_TEST_MBEDTLS_ERROR_C", "")
    if env in ("0", "1"):
        return env == "1"
    try:
        r = subprocess.run(["readelf", "-d", cli], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if not re.search(rb"NEEDED.*\[libmbedcrypto\.so", r.stdout):
        return None
    for h in ("/usr/include/mbedtls/mbedtls_config.h", "/usr/include/mbedtls/config.h"):
        try:
            with open(h, "rb") as f:
                return re.search(rb"(?m)^\s*#\s*define\s+MBEDTLS_ERROR_C\b", f.read()) is not None
        except OSError:
            continue
    return None


def cert_case(name):
    @case("TLS: %s certificate -> exit 4, stderr names the certificate, the mbedTLS code and"
          " its text" % name)
    def _(t):
        r = t.cli("job-success", port=t.ctx.sim.ports[name])
        t.rc(r, 4)
        t.expect(b"certificate" in r.err.lower(), "stderr does not mention the certificate")
        t.no_prefix(r, "httpStatus=")
        t.expect(r.out == b"", "stdout is not empty")
        # MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, with mbedtls_strerror's text when built in.
        m = re.search(rb"\(mbedtls -0x2700(: X509 - Certificate verification failed[^)\n]*)?\)"
                      rb" \(certificate flags 0x[0-9a-f]{8}: [^\n]+\)\n\Z", r.err)
        if t.expect(m, "stderr does not end in '(mbedtls -0x2700[: TEXT]) (certificate flags"
                    " ...)'"):
            want = t.ctx.mbedtls_texts
            t.expect(want is None or want == (m.group(1) is not None),
                     "mbedTLS's error text is %s, expected %s (MBEDTLS_ERROR_C %s)"
                     % ("there" if m.group(1) else "missing", "it" if want else "none",
                        "on" if want else "off"))


for _name in ("expired", "wrongname", "selfsigned"):
    cert_case(_name)


# --- IP-literal endpoints ------------------------------------------------------------------

@case("endpoint https://127.0.0.1:PORT: job-success (the certificate lists IP:127.0.0.1)")
def _(t):
    expect_seed_answer(t, t.cli("job-success", endpoint="https://127.0.0.1:%d/" % t.ctx.sim.port))


@case("endpoint https://127.0.0.1:PORT on the wrongname port (DNS:wrong.example only) -> exit 4")
def _(t):
    r = t.cli("job-success", endpoint="https://127.0.0.1:%d" % t.ctx.sim.ports["wrongname"])
    t.rc(r, 4)
    t.expect(r.out == b"", "stdout is not empty")
    t.expect(b"certificate" in r.err.lower(), "stderr does not mention the certificate")


def sim6(t):
    """A second simulator listening on ::1 (started once, stopped by main), or skip."""
    c = t.ctx
    if c.sim6 is None:
        try:
            with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
                s.bind(("::1", 0))
        except OSError as e:
            c.sim6 = "no IPv6 loopback here (%s)" % e
        else:
            sim = Simulator(c.workdir, host="::1")
            try:
                sim.start()
                c.sim6 = sim
            except (RuntimeError, OSError) as e:
                c.sim6 = "the ::1 simulator did not start: %s" % e
    if isinstance(c.sim6, str):
        raise CaseSkipped(c.sim6)
    return c.sim6


@case("endpoint https://[::1]:PORT: brackets stripped, job-success from a simulator on ::1")
def _(t):
    s6 = sim6(t)
    s6.reset()
    expect_seed_answer(t, t.cli("job-success", endpoint="https://[::1]:%d" % s6.port,
                                ca=s6.ca))
    polls = s6.stats()["polls"]
    t.expect(polls == {"job-success": 1}, "the ::1 simulator saw polls %r" % polls)


@case("endpoint https://[::1]:PORT on the ::1 simulator's wrongname port -> exit 4")
def _(t):
    s6 = sim6(t)
    r = t.cli("job-success", endpoint="https://[::1]:%d" % s6.ports["wrongname"], ca=s6.ca)
    t.rc(r, 4)
    t.expect(r.out == b"", "stdout is not empty")
    t.expect(b"certificate" in r.err.lower(), "stderr does not mention the certificate")


@case("usage: malformed IP-literal endpoints -> exit 2, nothing printed or sent")
def _(t):
    c = t.ctx
    p = c.sim.port
    bad = ["https://[::1", "https://[zz]", "https://[zz]:%d" % p, "https://[::1:%d" % p,
           "https://[]:%d" % p, "https://[::1]x", "https://[::1]:%d/x" % p,
           "https://[::1]%d" % p, "https://[fe80::1%%25lo]:%d" % p, "https://[1::2::3]:%d" % p,
           "https://[::1]:0", "https://[::1]:65536",
           # Digits and dots that are not an exact dotted quad: getaddrinfo would take
           # them for 127.0.0.1 (the simulator) but the library refuses them.
           "https://127.0.0.01:%d" % p, "https://127.1:%d" % p, "https://2130706433:%d" % p,
           "https://127.0.0.1.:%d" % p]
    s6 = None
    try:
        s6 = sim6(t)
        bad += ["https://[::1:%d" % s6.port, "https://[::1]]:%d" % s6.port,
                "https://[0::1::]:%d" % s6.port, "https://[[::1]]:%d" % s6.port]
        s6.reset()
    except CaseSkipped:
        pass
    c.sim.reset()
    for ep in bad:
        r = t.cli("job-success", endpoint=ep)
        n = len(t.problems)
        t.rc(r, 2)
        t.expect(r.out == b"", "stdout is not empty")
        t.expect(b"ges_job_status: " in r.err, "no message on stderr")
        if len(t.problems) > n:
            t.problems.insert(n, "--endpoint %s:" % ep)
    for sim in (c.sim, s6):
        if sim is None:
            continue
        st = sim.stats()
        t.expect(st["requests"] == 0 and st["connections"] == 0,
                 "the simulator on %s saw a connection: %r" % (sim.host or "127.0.0.1", st))


@case("TLS: main port with --ca-file other_ca -> exit 4")
def _(t):
    r = t.cli("job-success", ca=t.ctx.sim.other_ca)
    t.rc(r, 4)
    t.expect(b"certificate" in r.err.lower(), "stderr does not mention the certificate")


@case("network: connection refused -> exit 4")
def _(t):
    # A socket bound but never listening: connecting to its port is refused, and holding
    # it keeps another process from taking the port meanwhile.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        r = t.cli("job-success", port=port, timeout=10)
    t.rc(r, 4)
    t.no_prefix(r, "httpStatus=")


# --- usage ---------------------------------------------------------------------------------

@case("usage: http:// endpoint -> exit 2")
def _(t):
    c = t.ctx
    r = t.run([c.cli, "--endpoint", "http://localhost:%d" % c.sim.port, "--ca-file", c.sim.ca,
               "--token-file", c.token_file, PROJECT, GRAPH, "job-success"], env=clean_env())
    t.rc(r, 2)
    t.expect(r.out == b"", "stdout is not empty")


@case("usage: --api other than v1.0 or v2 -> exit 2, nothing printed or sent")
def _(t):
    t.ctx.sim.reset()
    for v in ("v1", "V2", "v3", "", "v2 ", "2", "v1.0x"):
        r = t.cli("job-success", "--api", v)
        n = len(t.problems)
        t.rc(r, 2)
        t.expect(r.out == b"", "stdout is not empty")
        t.expect(b"--api wants v1.0 or v2" in r.err, "stderr does not say what --api wants")
        if len(t.problems) > n:
            t.problems.insert(n, "--api %r:" % v)
    st = t.ctx.sim.stats()
    t.expect(st["requests"] == 0 and st["connections"] == 0,
             "the simulator saw a request: %r" % st)


# Past 2^31 - 1, and values an unsigned long of 32 bits wraps into range (4294967301 -> 5,
# 4294967297 -> 1, 8589934597 -> 5, 42949673010 -> 50): refused whatever the target's long.
MS_OVERFLOW = ("2147483648", "4294967295", "4294967296", "4294967297", "4294967301",
               "8589934597", "42949673010", "18446744073709551621")


@case("usage: --wait=MS, --timeout-ms, --interval-ms past 2^31-1 or wrapping 32 bits -> exit 2,"
      " nothing printed or sent")
def _(t):
    t.ctx.sim.reset()
    for v in MS_OVERFLOW:
        for extra, opt in ((["--wait=" + v], b"--wait"), (["--timeout-ms", v], b"--timeout-ms"),
                           (["--timeout-ms=" + v], b"--timeout-ms"),
                           (["--wait", "--interval-ms", v], b"--interval-ms")):
            r = t.cli("job-success", *extra)
            n = len(t.problems)
            t.rc(r, 2)
            t.expect(r.out == b"", "stdout is not empty")
            t.expect(opt in r.err and b"1..2147483647" in r.err,
                     "stderr does not name %s and its range" % opt.decode())
            if len(t.problems) > n:
                t.problems.insert(n, "%s:" % " ".join(extra))
    st = t.ctx.sim.stats()
    t.expect(st["requests"] == 0 and st["connections"] == 0,
             "the simulator saw a request: %r" % st)


@case("limits: --timeout-ms 2147483647, --wait=2147483647 --interval-ms 2147483647 -> job-success")
def _(t):
    r = t.cli("job-success", "--timeout-ms", "2147483647")
    expect_seed_answer(t, r)
    r = t.cli("job-success", "--wait=2147483647", "--interval-ms", "2147483647",
              "--timeout-ms", "2147483647")
    expect_seed_answer(t, r)


@case("usage: no token (no file, no GES_TOKEN) -> exit 2")
def _(t):
    r = t.cli("job-success", token_file=False, env=clean_env())
    t.rc(r, 2)


def bad_id_case(job_id):
    @case("usage: job ID %r -> exit 2" % job_id)
    def _(t):
        t.ctx.sim.reset()
        r = t.cli(job_id)
        t.rc(r, 2)
        st = t.ctx.sim.stats()
        t.expect(st["requests"] == 0 and st["connections"] == 0,
                 "the simulator saw a request: %r" % st)


for _id in (".", ".."):
    bad_id_case(_id)


@case("job ID 'job/x' is sent percent-encoded: unknown job, exit 3")
def _(t):
    t.ctx.sim.reset()
    r = t.cli("job/x")
    t.rc(r, 3)
    t.line(r, "httpStatus=400")
    t.line(r, "errorCode=GES.7007")        # a traversal would be a 404 APIG.0101
    polls = t.ctx.sim.stats()["polls"]
    t.expect(polls == {"job/x": 1}, "the simulator saw polls %r, expected {'job/x': 1}" % polls)


@case("usage: --help -> exit 0")
def _(t):
    r = t.run([t.ctx.cli, "--help"], env=clean_env())
    t.rc(r, 0)
    t.expect(b"Usage" in r.out, "no usage text on stdout")


# --- the library, through build/test_client ------------------------------------------------

def test_client_argv(c, *phase):
    s = c.sim
    return [c.test_client, str(s.port), s.ca, s.token, str(s.ports["expired"]),
            str(s.ports["wrongname"])] + list(phase)


def have_test_client(t):
    # A missing binary is counted once, by tests/run_all.sh's test_client suite.
    if not os.access(t.ctx.test_client, os.X_OK):
        raise CaseSkipped("%s is missing" % t.ctx.test_client)
    return True


@case("library: 20 polls on one client -> 1 connection, 1 handshake (server stats)")
def _(t):
    c = t.ctx
    if not have_test_client(t):
        return
    c.sim.reset()
    r = t.run(test_client_argv(c, "poll20"), env=clean_env())
    t.rc(r, 0)
    st = c.sim.stats()
    t.expect(st["connections"] == 1, "connections %s, expected 1" % st["connections"])
    t.expect(st["handshakes"] == 1, "handshakes %s, expected 1" % st["handshakes"])
    t.expect(st["requests"] == 20, "requests %s, expected 20" % st["requests"])
    t.expect(st["polls"].get("job-running") == 20, "polls %r" % st["polls"])


@case("library: a 20-poll ges_job_wait -> 1 connection, 1 handshake (server stats)")
def _(t):
    c = t.ctx
    if not have_test_client(t):
        return
    c.sim.reset()
    r = t.run(test_client_argv(c, "wait20"), env=clean_env())
    t.rc(r, 0)
    st = c.sim.stats()
    t.expect(st["connections"] == 1, "connections %s, expected 1" % st["connections"])
    t.expect(st["handshakes"] == 1, "handshakes %s, expected 1" % st["handshakes"])
    t.expect(st["polls"].get("job-import-20") == 20, "polls %r" % st["polls"])


@case("library: 5 polls of job-keepalive-off -> 5 connections, >= 4 resumed (server stats)")
def _(t):
    c = t.ctx
    if not have_test_client(t):
        return
    c.sim.reset()
    r = t.run(test_client_argv(c, "keepalive5"), env=clean_env())
    t.rc(r, 0)
    st = c.sim.stats()
    t.expect(st["connections"] == 5, "connections %s, expected 5" % st["connections"])
    t.expect(st["handshakes"] == 5, "handshakes %s, expected 5" % st["handshakes"])
    t.expect(st["resumed"] >= 4, "resumed %s, expected >= 4 (session resumption)"
             % st["resumed"])
    t.ctx.timings.append("keepalive5 stats %s" % json.dumps(
        {k: st[k] for k in ("connections", "handshakes", "resumed", "tls_versions")}))


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------

def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: %s build/ges_job_status\n" % argv[0])
        print("0 passed, 1 failed")
        return 1
    cli = os.path.abspath(argv[1])
    t_start = time.monotonic()
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="ges_integration.") as workdir:
        sim = Simulator(workdir)
        RSS_HELPER["workdir"] = workdir
        build_rss_helper(workdir)
        if not os.access(cli, os.X_OK):
            print("FAIL setup: %s is not an executable (make all)" % cli)
            print("0 passed, 1 failed")
            return 1
        try:
            sim.start()
        except (RuntimeError, OSError) as e:
            print("FAIL setup: %s" % e)
            print("0 passed, 1 failed")
            return 1
        ctx = None
        try:
            ctx = Context(cli, sim, workdir)
            ctx.test_client = os.path.join(os.path.dirname(cli), "test_client")
            ctx.mbedtls_texts = mbedtls_error_texts(cli)
            ctx.timings = []
            for name, fn in CASES:
                if CASE_FILTER and not re.search(CASE_FILTER, name):
                    continue
                t = Case(name, ctx)
                t0 = time.monotonic()
                try:
                    fn(t)
                except CaseFailed as e:
                    t.problems.append(str(e))
                except CaseSkipped as e:
                    print("skip %s: %s" % (name, e))
                    continue
                except Exception:                       # a bug here, or the simulator died
                    t.problems.append("exception:\n" + traceback.format_exc().rstrip())
                if time.monotonic() - t0 > 5:
                    ctx.timings.append("%s: %.1f s" % (name, time.monotonic() - t0))
                if t.problems:
                    failed += 1
                    print("FAIL %s" % name)
                    for pr in t.problems:
                        print("    - " + pr.replace("\n", "\n      "))
                    for r in t.runs[-3:]:
                        print(r.describe(redact=ctx.secrets))
                else:
                    passed += 1
                    if os.environ.get("VERBOSE"):
                        print("ok   %s" % name)

            for job in ("job-big-body", "job-big-body-chunked", "job-many"):
                if job in ctx.rss:
                    kib, secs = ctx.rss[job]
                    print("peak RSS %-22s %6d KiB (%.1f MiB), %.2f s" % (job, kib, kib / 1024,
                                                                     secs))
            for x in ctx.timings:
                print("timing: %s" % x)
        finally:
            if ctx is not None and isinstance(ctx.sim6, Simulator):
                ctx.sim6.stop()
            sim.stop()
    print("suite time %.1f s" % (time.monotonic() - t_start))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
