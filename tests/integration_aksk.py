#!/usr/bin/env python3
"""integration_aksk.py - AK/SK request signing end to end: the CLI against the TLS simulator.

    python3 tests/integration_aksk.py build/ges_job_status

Standard library only. Starts tests/sim/ges_sim.py five times in a temporary directory
(default keys; --clock-skew 1200; --clock-skew -1200; temporary credentials with their own
--ak/--sk and --sts-token; the same with the longest AK and SK), runs the CLI against https://localhost:PORT with the simulator's
CA, and checks stdout, the exit status, stderr and the simulator's /_sim/stats. The
simulator verifies every signature with its own Python implementation (hmac/hashlib), so
an accepted request means two independent implementations agree; its --selftest checks that
implementation against the published vectors first.

Every failure is printed with its details; the last line is "N passed, N failed" and the exit
status is 0 only if none failed. No secret may appear in any output of the CLI.
"""

import hashlib
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simlib import SIM, Sim  # noqa: E402
from email.utils import parsedate_to_datetime

HERE = os.path.dirname(os.path.abspath(__file__))
CLI_TIMEOUT = 30.0

sys.dont_write_bytecode = True          # importing the simulator leaves no __pycache__
sys.path.insert(0, os.path.join(HERE, "sim"))
import ges_sim  # noqa: E402  (its canonical-request helpers sign the raw-protocol probes)

RESULTS = {"passed": 0, "failed": 0}
# GES_TEST_WRAPPER="valgrind ..." (make test-valgrind): prefixed to every CLI run, whose
# timeout is then tripled.
WRAPPER = shlex.split(os.environ.get("GES_TEST_WRAPPER", ""))

# Temporary credentials of the fourth simulator (distinct from the defaults on purpose).
TMP_AK = "AKTEMPsim0123456789"
TMP_SK = "SKTEMPsim-abcdefghijklmnop"
TMP_STS = "STSsim-" + "x" * 600 + "-end"    # temporary-credential tokens are long
WRONG_SK = "wrong-sk-zyxwvut987"
# The longest AK and SK the library accepts (GES_AKSK_MAX, default 128), for the fifth one.
MAX_AK = "AKMAX" + "a" * 123
MAX_SK = "SKMAX" + "s" * 123
MAX_STS = "STSMAX-0123456789"


# ---------------------------------------------------------------------------
# Simulator
# ---------------------------------------------------------------------------
# Sim: tests/simlib.py


# ---------------------------------------------------------------------------
# Running the CLI
# ---------------------------------------------------------------------------
class Run:
    def __init__(self, argv, env_extra, rc, out, err, elapsed, timed_out):
        self.argv, self.env_extra, self.rc, self.out, self.err = argv, env_extra, rc, out, err
        self.elapsed, self.timed_out = elapsed, timed_out

    def field(self, name):
        for line in self.out.splitlines():
            n, sep, v = line.partition("=")
            if sep and n == name:
                return v
        return None

    def describe(self, secrets):
        def red(text):
            for s in secrets:
                text = text.replace(s, "<SECRET>")
            return text
        env = " ".join("%s=<%d bytes>" % (k, len(v)) for k, v in sorted(self.env_extra.items()))
        return ("    argv: %s%s\n    exit: %s%s, %.2f s\n    stdout: %r\n    stderr: %r"
                % (red(" ".join(shlex.quote(a) for a in self.argv)),
                   "\n    env: " + env if env else "", self.rc,
                   " (killed: subprocess timeout)" if self.timed_out else "", self.elapsed,
                   red(self.out[-1500:]), red(self.err[-1500:])))


def run(argv, env_extra=None, timeout=CLI_TIMEOUT):
    """Run the CLI with no GES_* variable inherited, plus env_extra."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GES_")}
    env.update(env_extra or {})
    t0 = time.monotonic()
    try:
        p = subprocess.run(WRAPPER + list(argv), stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout * (3 if WRAPPER else 1), env=env)
        rc, out, err, timed_out = p.returncode, p.stdout, p.stderr, False
    except subprocess.TimeoutExpired as e:
        rc, out, err, timed_out = None, e.stdout or b"", e.stderr or b"", True
    return Run(argv, dict(env_extra or {}), rc, out.decode("utf-8", "replace"),
               err.decode("utf-8", "replace"), time.monotonic() - t0, timed_out)


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------
class Case:
    """Collects the failed checks of one case."""

    def __init__(self, ctx, name):
        self.ctx, self.name = ctx, name
        self.problems, self.runs, self.notes = [], [], []

    def check(self, cond, what):
        if not cond:
            self.problems.append(what)
        return cond

    def eq(self, got, want, what):
        return self.check(got == want, "%s: got %r, want %r" % (what, got, want))

    def run(self, argv, env_extra=None, timeout=CLI_TIMEOUT):
        """Run the CLI, remember the run, check that it ended and printed no secret."""
        r = run(self.ctx.cli + argv, env_extra, timeout)
        self.runs.append(r)
        self.check(not r.timed_out, "the CLI did not end within %.0f s" % timeout)
        for s in self.ctx.secrets:
            if s in r.out or s in r.err:
                self.problems.append("a secret (%d bytes, starts %r) was printed"
                                     % (len(s), s[:3]))
        return r

    def finish(self):
        if self.problems:
            RESULTS["failed"] += 1
            print("FAIL %s" % self.name)
            for p in self.problems:
                print("  - %s" % p)
            for r in self.runs:
                print(r.describe(self.ctx.secrets))
        else:
            RESULTS["passed"] += 1
            timing = ", ".join("%.2f s" % r.elapsed for r in self.runs[:4])
            print("ok   %s%s%s" % (self.name, " (%s)" % timing if timing else "",
                                   "".join("; " + n for n in self.notes)))
        sys.stdout.flush()


class Ctx:
    """What every case needs: the CLI, the simulators, credential files, secrets."""

    def __init__(self, cli, tmp):
        self.cli, self.tmp = cli, tmp
        self.sims = {}
        self.secrets = []
        self.files = {}
        self.token_stdout = None   # job-success through the token path (the reference)

    def file(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w", newline="") as f:
            f.write(text)
        os.chmod(path, 0o600)
        self.files[name] = path
        return path

    def base(self, sim):
        return ["--endpoint", sim.endpoint, "--ca-file", sim.state["ca"]]


def expect_401(c, r, sim, reason, sub):
    """Exit 3 with the gateway's APIG.0301 answer, after exactly one request."""
    c.eq(r.rc, 3, "exit status")
    c.eq(r.field("httpStatus"), "401", "httpStatus")
    c.eq(r.field("errorCode"), "APIG.0301", "errorCode")
    c.eq(r.field("errorMessage"), "Incorrect IAM authentication information: " + sub,
         "errorMessage")
    st = sim.stats()
    c.eq(st.get("requests"), 1, "stats requests (a 401 other than 'signature expired' is "
                                "not retried)")
    c.eq(st.get("auth_rejects"), {reason: 1}, "stats auth_rejects")
    c.eq(st.get("polls"), {}, "stats polls (nothing got past authentication)")


def case_selftest(ctx):
    c = Case(ctx, "simulator --selftest: its Python verifier matches the published vectors")
    p = subprocess.run([sys.executable, SIM, "--selftest"], stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    c.eq(p.returncode, 0, "exit status")
    c.eq(p.stdout.decode().strip().splitlines()[-1:], ["selftest: ok"], "last line")
    if p.returncode != 0:
        c.notes.append(p.stdout.decode(errors="replace"))
    c.finish()


def case_aksk_only(ctx):
    c = Case(ctx, "AK/SK only (no token): job-success exits 0 with the token path's stdout")
    sim = ctx.sims["main"]
    sim.reset()
    rt = c.run(ctx.base(sim) + ["--token-file", ctx.files["token"], "p", "g", "job-success"])
    c.eq(rt.rc, 0, "exit status, token path")
    ctx.token_stdout = rt.out
    sim.reset()
    r = c.run(ctx.base(sim) + ["--aksk-file", ctx.files["aksk"], "p", "g", "job-success"])
    c.eq(r.rc, 0, "exit status, AK/SK")
    c.check(r.out.startswith("httpStatus=200\n"), "stdout does not start with httpStatus=200")
    c.eq(r.out, rt.out, "stdout, AK/SK vs token")
    c.eq(r.err, "", "stderr")
    st = sim.stats()
    c.eq(st.get("requests"), 1, "stats requests")
    c.eq(st.get("auth_ok"), {"token": 0, "aksk": 1}, "stats auth_ok")
    c.eq(st.get("auth_rejects"), {}, "stats auth_rejects")
    c.eq(st.get("last_signed_headers"), "host;x-sdk-date", "SignedHeaders")
    c.eq(st.get("last_project_id"), None, "X-Project-Id (none was asked for)")
    c.finish()


def case_aksk_v2(ctx):
    c = Case(ctx, "AK/SK with --api v2: the /v2 path is signed as sent (the simulator's verifier "
                  "accepts it), stdout as with v1.0 but the v2 time spelling")
    sim = ctx.sims["main"]
    sim.reset()
    r = c.run(ctx.base(sim) + ["--aksk-file", ctx.files["aksk"], "--api", "v2", "p", "g",
                               "job-success"])
    c.eq(r.rc, 0, "exit status")
    c.eq(r.err, "", "stderr")
    c.eq(r.field("status"), "success", "status")
    c.eq(r.field("beginTime"), "2018-11-27 21:39:00", "beginTime (v2 spelling)")
    st = sim.stats()
    c.eq(st.get("apis"), {"v2": 1}, "stats apis")
    c.eq(st.get("auth_ok"), {"token": 0, "aksk": 1}, "stats auth_ok")
    c.eq(st.get("auth_rejects"), {}, "stats auth_rejects")
    c.finish()


def case_wrong_sk(ctx):
    c = Case(ctx, "wrong SK: exit 3, 401 APIG.0301 'verify aksk signature fail', not retried")
    sim = ctx.sims["main"]
    sim.reset()
    r = c.run(ctx.base(sim) + ["--aksk-file", ctx.files["aksk-wrong-sk"], "p", "g",
                               "job-success"])
    expect_401(c, r, sim, "bad_signature", "verify aksk signature fail")
    c.check(r.out.startswith("httpStatus=401\n"), "httpStatus is not the first line")
    c.finish()


def case_unknown_ak(ctx):
    c = Case(ctx, "unknown AK: exit 3, 401 APIG.0301")
    sim = ctx.sims["main"]
    sim.reset()
    r = c.run(ctx.base(sim) + ["--aksk-file", ctx.files["aksk-tmp"], "p", "g", "job-success"])
    expect_401(c, r, sim, "unknown_ak", "verify aksk signature fail")
    c.finish()


def case_skew(ctx, name, seconds):
    c = Case(ctx, "simulator clock %+d s (%+d min): first request 'signature expired', the "
                  "client adopts Date, signs again once, exit 0" % (seconds, seconds // 60))
    sim = ctx.sims[name]
    sim.reset()
    r = c.run(ctx.base(sim) + ["--aksk-file", ctx.files["aksk"], "p", "g", "job-success"])
    c.eq(r.rc, 0, "exit status")
    c.eq(r.out, ctx.token_stdout, "stdout (as the token path on an unskewed simulator)")
    c.eq(r.err, "", "stderr")
    st = sim.stats()
    c.eq(st.get("requests"), 2, "stats requests for the one poll")
    c.eq(st.get("auth_rejects"), {"expired": 1}, "stats auth_rejects")
    c.eq(st.get("auth_ok"), {"token": 0, "aksk": 1}, "stats auth_ok")
    c.eq(st.get("polls"), {"job-success": 1}, "stats polls")
    c.eq(st.get("connections"), 1, "stats connections (the 401 keeps the connection)")
    c.finish()


def case_skew_wait(ctx):
    c = Case(ctx, "clock +20 min, --wait job-import: healed once, the adopted time serves "
                  "every later poll")
    sim = ctx.sims["skew+"]
    sim.reset()
    r = c.run(ctx.base(sim) + ["--aksk-file", ctx.files["aksk"], "--wait=60000",
                               "--interval-ms", "100", "p", "g", "job-import"])
    c.eq(r.rc, 0, "exit status")
    c.eq(r.field("status"), "success", "status")
    st = sim.stats()
    c.eq(st.get("polls"), {"job-import": 6}, "stats polls")
    c.eq(st.get("requests"), 7, "stats requests (6 polls + 1 rejected)")
    c.eq(st.get("auth_rejects"), {"expired": 1}, "stats auth_rejects")
    c.finish()


def case_wait(ctx):
    c = Case(ctx, "--wait job-import with AK/SK: exit 0, status success")
    sim = ctx.sims["main"]
    sim.reset()
    r = c.run(ctx.base(sim) + ["--aksk-file", ctx.files["aksk"], "--wait=60000",
                               "--interval-ms", "100", "p", "g", "job-import"])
    c.eq(r.rc, 0, "exit status")
    c.check(r.out.startswith("httpStatus=200\n"), "stdout does not start with httpStatus=200")
    c.eq(r.field("status"), "success", "status")
    c.eq(r.field("jobProgress"), "100", "jobProgress")
    st = sim.stats()
    c.eq(st.get("polls"), {"job-import": 6}, "stats polls")
    c.eq(st.get("requests"), 6, "stats requests")
    c.eq(st.get("auth_ok"), {"token": 0, "aksk": 6}, "stats auth_ok")
    c.eq(st.get("connections"), 1, "stats connections (kept alive)")
    c.finish()


def case_sts(ctx):
    c = Case(ctx, "temporary credentials (--sts-token): right token 0; missing or wrong 3")
    sim = ctx.sims["sts"]
    sim.reset()
    r = c.run(ctx.base(sim) + ["--aksk-file", ctx.files["aksk-tmp-sts"], "p", "g",
                               "job-success"])
    c.eq(r.rc, 0, "exit status, right token")
    c.eq(r.out, ctx.token_stdout, "stdout, right token")
    st = sim.stats()
    c.eq(st.get("last_signed_headers"), "host;x-sdk-date;x-security-token", "SignedHeaders")
    c.eq(st.get("auth_ok"), {"token": 0, "aksk": 1}, "stats auth_ok")
    for what, fname in (("missing", "aksk-tmp"), ("wrong", "aksk-tmp-sts-wrong")):
        sim.reset()
        r = c.run(ctx.base(sim) + ["--aksk-file", ctx.files[fname], "p", "g", "job-success"])
        c.eq(r.rc, 3, "exit status, %s token" % what)
        c.eq(r.field("httpStatus"), "401", "httpStatus, %s token" % what)
        c.eq(r.field("errorCode"), "APIG.0301", "errorCode, %s token" % what)
        c.eq(sim.stats().get("auth_rejects"), {"security_token": 1},
             "stats auth_rejects, %s token" % what)
    c.finish()


def case_sts_env_crlf(ctx):
    c = Case(ctx, "temporary credentials from GES_AK/GES_SK/GES_SECURITY_TOKEN, and from a "
                  "CRLF file: exit 0")
    sim = ctx.sims["sts"]
    sim.reset()
    r = c.run(ctx.base(sim) + ["p", "g", "job-success"],
              {"GES_AK": TMP_AK, "GES_SK": TMP_SK, "GES_SECURITY_TOKEN": TMP_STS})
    c.eq(r.rc, 0, "exit status, environment")
    r = c.run(ctx.base(sim) + ["--aksk-file", ctx.files["aksk-tmp-sts-crlf"], "p", "g",
                               "job-success"])
    c.eq(r.rc, 0, "exit status, CRLF file")
    c.eq(sim.stats().get("auth_ok"), {"token": 0, "aksk": 2}, "stats auth_ok")
    c.finish()


def case_unexpected_sts(ctx):
    c = Case(ctx, "security token sent to a simulator without --sts-token: exit 3")
    sim = ctx.sims["main"]
    sim.reset()
    r = c.run(ctx.base(sim) + ["--aksk-file", ctx.files["aksk-sts"], "p", "g", "job-success"])
    expect_401(c, r, sim, "security_token", "verify security token fail")
    c.finish()


def case_project_header(ctx):
    c = Case(ctx, "--project-id-header: X-Project-Id is sent and signed")
    sim = ctx.sims["main"]
    sim.reset()
    pid = "0123456789abcdef0123456789abcdef"
    r = c.run(ctx.base(sim) + ["--aksk-file", ctx.files["aksk"], "--project-id-header", pid,
                               pid, "g", "job-success"])
    c.eq(r.rc, 0, "exit status")
    st = sim.stats()
    c.eq(st.get("last_project_id"), pid, "stats last_project_id")
    c.eq(st.get("last_signed_headers"), "host;x-project-id;x-sdk-date", "SignedHeaders")
    c.eq(st.get("last_auth_result"), "ok", "stats last_auth_result")
    # And with temporary credentials: four signed headers.
    sim = ctx.sims["sts"]
    sim.reset()
    r = c.run(ctx.base(sim) + ["--aksk-file", ctx.files["aksk-tmp-sts"],
                               "--project-id-header=p-2", "p", "g", "job-success"])
    c.eq(r.rc, 0, "exit status, with a security token")
    st = sim.stats()
    c.eq(st.get("last_project_id"), "p-2", "stats last_project_id, with a security token")
    c.eq(st.get("last_signed_headers"), "host;x-project-id;x-sdk-date;x-security-token",
         "SignedHeaders, with a security token")
    c.finish()


def case_max_lengths(ctx):
    c = Case(ctx, "longest AK and SK (128 bytes = GES_AKSK_MAX) with a security token, "
                  "with and without --project-id-header: exit 0")
    sim = ctx.sims["max"]
    sim.reset()
    r = c.run(ctx.base(sim) + ["--aksk-file", ctx.files["aksk-max"], "p", "g", "job-success"])
    c.eq(r.rc, 0, "exit status, without X-Project-Id")
    r = c.run(ctx.base(sim) + ["--aksk-file", ctx.files["aksk-max"],
                               "--project-id-header", "p" * 64, "p", "g", "job-success"])
    c.eq(r.rc, 0, "exit status, with a 64-byte X-Project-Id (all four headers signed)")
    c.eq(sim.stats().get("auth_ok"), {"token": 0, "aksk": 2}, "stats auth_ok")
    c.finish()


def case_env(ctx):
    c = Case(ctx, "GES_AK/GES_SK from the environment: exit 0, same stdout")
    sim = ctx.sims["main"]
    sim.reset()
    st0 = sim.state
    r = c.run(ctx.base(sim) + ["p", "g", "job-success"],
              {"GES_AK": st0["ak"], "GES_SK": st0["sk"]})
    c.eq(r.rc, 0, "exit status")
    c.eq(r.out, ctx.token_stdout, "stdout")
    c.eq(sim.stats().get("auth_ok"), {"token": 0, "aksk": 1}, "stats auth_ok")
    c.finish()


def case_precedence(ctx):
    c = Case(ctx, "an explicit file wins over the environment of the other kind")
    sim = ctx.sims["main"]
    st0 = sim.state
    sim.reset()
    r = c.run(ctx.base(sim) + ["--aksk-file", ctx.files["aksk"], "p", "g", "job-success"],
              {"GES_TOKEN": "env-token-unused"})
    c.eq(r.rc, 0, "exit status, --aksk-file with GES_TOKEN set")
    c.eq(sim.stats().get("last_auth"), "aksk", "authentication used, --aksk-file")
    sim.reset()
    r = c.run(ctx.base(sim) + ["--token-file", ctx.files["token"], "p", "g", "job-success"],
              {"GES_AK": st0["ak"], "GES_SK": WRONG_SK})
    c.eq(r.rc, 0, "exit status, --token-file with GES_AK/GES_SK set")
    c.eq(sim.stats().get("last_auth"), "token", "authentication used, --token-file")
    c.finish()


def case_encoded_ids(ctx):
    c = Case(ctx, "AK/SK: IDs outside the unreserved set are refused before anything is sent")
    sim = ctx.sims["main"]
    sim.reset()
    # The official SDKs sign encoded path segments differently (issue 13), so the
    # client refuses such IDs with AK/SK instead of risking a confusing 401.
    for ids in (["proj ect/%41", "gr~aph.-_", "job-success"],
                ["p", "g", "job id/\u00e4%2F?#"], ["p", "g/1", "job-success"]):
        r = c.run(ctx.base(sim) + ["--aksk-file", ctx.files["aksk"]] + ids)
        c.eq(r.rc, 2, "exit status for %r" % (ids,))
        c.eq(r.out, "", "stdout for %r" % (ids,))
    st = sim.stats()
    c.eq(st.get("requests"), 0, "stats requests (nothing may be sent)")
    c.eq(st.get("connections"), 0, "stats connections")
    # unreserved IDs with every allowed punctuation still work
    r = c.run(ctx.base(sim) + ["--aksk-file", ctx.files["aksk"], "p-1.x_~", "g", "job-success"])
    c.eq(r.rc, 0, "exit status, unreserved IDs")
    c.finish()


def case_usage(ctx):
    c = Case(ctx, "usage errors: exit 2, nothing on stdout, nothing sent")
    sim = ctx.sims["main"]
    st0 = sim.state
    sim.reset()
    job = ["p", "g", "job-success"]
    tries = [
        ("--token-file and --aksk-file", ["--token-file", ctx.files["token"],
                                          "--aksk-file", ctx.files["aksk"]] + job, None),
        ("AK/SK file with one line", ["--aksk-file", ctx.files["aksk-1line"]] + job, None),
        ("empty AK/SK file", ["--aksk-file", ctx.files["aksk-empty"]] + job, None),
        ("AK/SK file with 4 lines", ["--aksk-file", ctx.files["aksk-4lines"]] + job, None),
        ("AK/SK file with an empty SK line", ["--aksk-file", ctx.files["aksk-emptysk"]] + job,
         None),
        ("AK/SK file with a space in the SK", ["--aksk-file", ctx.files["aksk-space"]] + job,
         None),
        ("AK longer than GES_AKSK_MAX", ["--aksk-file", ctx.files["aksk-long"]] + job, None),
        ("missing AK/SK file", ["--aksk-file", os.path.join(ctx.tmp, "no-such-file")] + job,
         None),
        ("GES_TOKEN and GES_AK/GES_SK", job,
         {"GES_TOKEN": "env-token", "GES_AK": st0["ak"], "GES_SK": st0["sk"]}),
        ("GES_TOKEN and GES_AK alone", job, {"GES_TOKEN": "env-token", "GES_AK": st0["ak"]}),
        ("GES_AK without GES_SK", job, {"GES_AK": st0["ak"]}),
        ("GES_SK without GES_AK", job, {"GES_SK": st0["sk"]}),
        ("no credentials at all", job, None),
        ("--project-id-header with a token", ["--token-file", ctx.files["token"],
                                              "--project-id-header", "pid"] + job, None),
        ("--project-id-header empty", ["--aksk-file", ctx.files["aksk"],
                                       "--project-id-header="] + job, None),
        ("--project-id-header with a space", ["--aksk-file", ctx.files["aksk"],
                                              "--project-id-header", "a b"] + job, None),
        ("--project-id-header too long", ["--aksk-file", ctx.files["aksk"],
                                          "--project-id-header", "p" * 65] + job, None),
        ("--sk on the command line", ["--sk", st0["sk"]] + job, None),
        ("--ak=... on the command line", ["--ak=" + st0["ak"]] + job, None),
        ("--security-token on the command line", ["--security-token", TMP_STS] + job, None),
    ]
    for what, argv, env in tries:
        r = c.run(ctx.base(sim) + argv, env)
        c.eq(r.rc, 2, "exit status, %s" % what)
        c.eq(r.out, "", "stdout, %s" % what)
        c.check(r.err.strip() != "", "stderr is empty, %s" % what)
    c.eq(sim.stats().get("requests"), 0, "stats requests (nothing may be sent)")
    c.finish()


def case_raw_protocol(ctx):
    """The simulator's side, probed with hand-made requests (signed with its own helpers, so
    what is checked here is what it refuses and how it answers, not the algorithm)."""
    c = Case(ctx, "simulator: APIG.0301 shape, Date header, tampering and stale dates refused")
    sim = ctx.sims["main"]
    st0 = sim.state
    path = "/v1.0/proj/graphs/g/jobs/job-success/status"

    def signed(when, extra=(), names=("host", "x-sdk-date"), sk=None, tamper=None):
        date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(when))
        hdr = {"Host": sim.host, "X-Sdk-Date": date}
        hdr.update(dict(extra))
        low = {k.lower(): v for k, v in hdr.items()}
        creq = ges_sim.canonical_request("GET", path, [(n, low[n]) for n in names],
                                         hashlib.sha256(b"").hexdigest())
        sig = ges_sim.signature(sk or st0["sk"], ges_sim.string_to_sign(date, creq))
        hdr["Authorization"] = "SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s" % (
            st0["ak"], ";".join(names), sig)
        if tamper:
            hdr.update(tamper)
        return hdr

    now = time.time()
    status, headers, body = sim.request(path, signed(now))
    c.eq(status, 200, "HTTP status of a good request")
    date = headers.get("Date", "")
    c.check(len(date) == 29 and date.endswith(" GMT") and date[3:5] == ", ",
            "Date %r is not an IMF-fixdate" % date)
    try:
        c.check(abs(parsedate_to_datetime(date).timestamp() - now) < 5,
                "Date %r is not now (no skew on this simulator)" % date)
    except (TypeError, ValueError):
        c.check(False, "Date %r does not parse" % date)
    probes = [
        ("X-Project-Id changed after signing", signed(
            now, [("X-Project-Id", "a")], ("host", "x-project-id", "x-sdk-date"),
            tamper={"X-Project-Id": "b"}), "bad_signature", "verify aksk signature fail"),
        ("host not signed", signed(now, names=("x-sdk-date",)), "unsigned_required_header",
         "verify aksk signature fail"),
        ("signed header absent", signed(now, [("X-Project-Id", "a")],
                                        ("host", "x-project-id", "x-sdk-date"),
                                        tamper={"X-Project-Id": None}),
         "signed_header_missing", "verify aksk signature fail"),
        ("no X-Sdk-Date", signed(now, tamper={"X-Sdk-Date": None}), "bad_sdk_date",
         "calc ak sk signature fail:invalid x-sdk-date"),
        ("X-Sdk-Date 16 min old", signed(now - 16 * 60), "expired",
         "calc ak sk signature fail:signature expired"),
        ("X-Sdk-Date 16 min ahead", signed(now + 16 * 60), "expired",
         "calc ak sk signature fail:signature expired"),
        ("wrong SK", signed(now, sk=WRONG_SK), "bad_signature", "verify aksk signature fail"),
        ("malformed Authorization", signed(now, tamper={"Authorization": "SDK-HMAC-SHA256 x"}),
         "malformed_authorization", "verify aksk signature fail"),
    ]
    c.eq(sim.request(path, signed(now - 14 * 60))[0], 200, "HTTP status, X-Sdk-Date 14 min old")
    for what, hdr, reason, sub in probes:
        hdr = {k: v for k, v in hdr.items() if v is not None}
        sim.reset()
        status, headers, body = sim.request(path, hdr)
        c.eq(status, 401, "HTTP status, %s" % what)
        try:
            doc = json.loads(body)
        except ValueError:
            doc = {}
        c.eq(sorted(doc), ["error_code", "error_msg", "request_id"], "body members, %s" % what)
        c.eq(doc.get("error_code"), "APIG.0301", "error_code, %s" % what)
        c.eq(doc.get("error_msg"), "Incorrect IAM authentication information: " + sub,
             "error_msg, %s" % what)
        c.eq(doc.get("request_id"), headers.get("X-Request-Id"), "request_id, %s" % what)
        c.eq(sim.stats().get("auth_rejects"), {reason: 1}, "stats auth_rejects, %s" % what)
    # The skewed simulator's Date carries its skew.
    for name, skew in (("skew+", 1200), ("skew-", -1200)):
        s = ctx.sims[name]
        now = time.time()
        status, headers, body = s.request(path, {"X-Auth-Token": s.state["token"]})
        c.eq(status, 200, "HTTP status, token request to %s" % name)
        try:
            got = parsedate_to_datetime(headers.get("Date", "")).timestamp()
            c.check(abs(got - (now + skew)) < 5, "Date of %s is %+.0f s from now, want %+d"
                    % (name, got - now, skew))
        except (TypeError, ValueError):
            c.check(False, "Date of %s does not parse" % name)
    c.finish()


def setup_files(ctx):
    main = ctx.sims["main"].state
    ak, sk = main["ak"], main["sk"]
    ctx.secrets = [sk, WRONG_SK, TMP_SK, TMP_STS, TMP_STS + "x", MAX_SK, MAX_STS,
                   main["token"]]
    ctx.file("token", main["token"] + "\n")
    ctx.file("aksk", "%s\n%s\n" % (ak, sk))
    ctx.file("aksk-wrong-sk", "%s\n%s\n" % (ak, WRONG_SK))
    ctx.file("aksk-sts", "%s\n%s\n%s\n" % (ak, sk, TMP_STS))
    ctx.file("aksk-tmp", "%s\n%s" % (TMP_AK, TMP_SK))            # no final newline
    ctx.file("aksk-tmp-sts", "%s\n%s\n%s\n" % (TMP_AK, TMP_SK, TMP_STS))
    ctx.file("aksk-tmp-sts-crlf", "%s\r\n%s\r\n%s\r\n" % (TMP_AK, TMP_SK, TMP_STS))
    ctx.file("aksk-tmp-sts-wrong", "%s\n%s\n%s\n" % (TMP_AK, TMP_SK, TMP_STS + "x"))
    ctx.file("aksk-1line", "%s\n" % ak)
    ctx.file("aksk-empty", "")
    ctx.file("aksk-4lines", "%s\n%s\n%s\nextra\n" % (ak, sk, TMP_STS))
    ctx.file("aksk-emptysk", "%s\n\n%s\n" % (ak, TMP_STS))
    ctx.file("aksk-space", "%s\n%s %s\n" % (ak, sk, sk))
    ctx.file("aksk-long", "%s\n%s\n" % ("A" * 129, sk))
    ctx.file("aksk-max", "%s\n%s\n%s\n" % (MAX_AK, MAX_SK, MAX_STS))


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: %s PATH/TO/ges_job_status\n" % sys.argv[0])
        return 2
    cli = [os.path.abspath(sys.argv[1])]
    with tempfile.TemporaryDirectory(prefix="ges_aksk_it.") as tmp:
        ctx = Ctx(cli, tmp)
        try:
            for name, d, extra in (("main", "sim-main", []),
                                   ("skew+", "sim-skew-ahead", ["--clock-skew", "1200"]),
                                   ("skew-", "sim-skew-behind", ["--clock-skew", "-1200"]),
                                   ("sts", "sim-sts", ["--ak", TMP_AK, "--sk", TMP_SK,
                                                       "--sts-token", TMP_STS]),
                                   ("max", "sim-max", ["--ak", MAX_AK, "--sk", MAX_SK,
                                                       "--sts-token", MAX_STS])):
                ctx.sims[name] = Sim(tmp, d, extra)
            for s in ctx.sims.values():
                s.wait_ready()
            setup_files(ctx)
            cases = [case_selftest, case_aksk_only, case_aksk_v2, case_wrong_sk, case_unknown_ak,
                     lambda x: case_skew(x, "skew+", 1200),
                     lambda x: case_skew(x, "skew-", -1200),
                     case_skew_wait, case_wait, case_sts, case_sts_env_crlf,
                     case_unexpected_sts, case_project_header, case_max_lengths, case_env, case_precedence,
                     case_encoded_ids, case_usage, case_raw_protocol]
            for fn in cases:
                try:
                    fn(ctx)
                except Exception as e:  # a broken case must not hide the others
                    c = Case(ctx, getattr(fn, "__name__", "case"))
                    c.check(False, "raised %s: %s" % (type(e).__name__, e))
                    c.finish()
        except Exception as e:
            c = Case(ctx, "simulator start")
            c.check(False, "raised %s: %s" % (type(e).__name__, e))
            c.finish()
        finally:
            for s in ctx.sims.values():
                s.stop()
    print("%d passed, %d failed" % (RESULTS["passed"], RESULTS["failed"]))
    return 0 if RESULTS["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
