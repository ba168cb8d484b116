#!/usr/bin/env python3
"""End to end on loopback against the simulator: polls per second and peak
RSS of ges_job (build/bench/e2e_polls), side by side with libcurl
(build/bench/e2e_curl) and a bare mbedTLS client (build/bench/e2e_mbedtls),
in the same run.

    python3 tests/bench/e2e.py [--bin build/bench] [--repeat 5] [--cli build/ges_job_status]
                               [--out DIR] [--only ges:keepalive,curl:resume,...]

Runs (each through build/bench/rss_run, which reports the peak RSS from
outside with wait4; the simulator's counters are reset before each run and
checked after it):

  ges:keepalive      1,000 polls of job-running over one kept-alive connection
  curl:keepalive     the same with one libcurl easy handle
  ges:reconnect      100 polls, each with ges_client_init + poll + ges_client_free:
                     a new connection and a full handshake per poll
  curl:reconnect     100 polls, a new easy handle each (no session cache)
  mbedtls:reconnect  100 polls by a bare mbedTLS client, all contexts new per
                     poll (the same work as ges:reconnect)
  mbedtls:reuse-config  the same with CA, DRBG and config kept: the handshake alone
  ges:resume         100 polls of job-keepalive-off: the server closes after each
                     answer, the library reconnects and resumes the TLS session
  curl:resume        the same with one easy handle (its session cache resumes)
  ges-static:keepalive  ges:keepalive linked statically (how much RSS is shared libs)

The order is interleaved and repeated --repeat times; figures are medians
(peak RSS: the largest). The CLI (examples/ges_job_status) polls once per
run, so "CLI peak RSS for 1,000 kept-alive polls" is measured on
ges:keepalive, a program using the same library and port with the CLI's
4 KiB I/O buffer; the CLI's own single poll is shown beside it.

Targets (ratios from this run): ges kept-alive polls/s >= curl's; a
reconnect with session resumption <= 0.6x curl's time per poll; a full
handshake (ges:reconnect) <= 1.1x the bare mbedTLS client's time per poll;
peak RSS of ges:keepalive <= 2 MiB. The wall-clock ratios include the
simulator's own time (the same for both sides) and, on a busy machine,
other programs' scheduling, so each is also given on the client's CPU time
(user + system, getrusage), the same limit applied to it.
"""
import argparse
import sys
import os
import re

sys.dont_write_bytecode = True  # no __pycache__ beside the sources
import benchlib as bl  # noqa: E402

CONFIGS = [
    ("ges", "keepalive", 1000), ("curl", "keepalive", 1000),
    ("ges", "reconnect", 100), ("curl", "reconnect", 100),
    ("mbedtls", "reconnect", 100), ("mbedtls", "reuse-config", 100),
    ("ges", "resume", 100), ("curl", "resume", 100),
    ("ges-static", "keepalive", 1000),
]
PROG = {"ges": "e2e_polls", "curl": "e2e_curl", "mbedtls": "e2e_mbedtls",
        "ges-static": "e2e_polls_static"}


def expect(mode, n, s):
    """Whether the simulator's counters match what the mode must do."""
    if mode == "keepalive":
        return s["connections"] == 1 and s["handshakes"] == 1 and s["requests"] == n
    if mode in ("reconnect", "reuse-config"):
        return s["connections"] == n and s["handshakes"] == n and s["resumed"] == 0
    if mode == "resume":
        return s["connections"] == n and s["resumed"] == n - 1
    return True


def one(a, sim, impl, mode, n):
    prog = os.path.join(a.bin, PROG[impl])
    argv = [os.path.join(a.bin, "rss_run"), prog, "--state", sim.state_path,
            "--mode", mode, "--n", str(n)]
    sim.reset()
    rc, so, se = bl.run(argv, check=False)
    stats = sim.stats()
    kv = bl.last_kv(so, "impl=")
    m = re.search(r"rss_run: maxrss_kib=(\d+)", se)
    if rc != 0 or not kv or not m or int(kv.get("ok", -1)) != n:
        raise SystemExit("bench: %s:%s failed (rc %d)\n%s%s" % (impl, mode, rc, so, se))
    if not expect(mode, n, stats):
        raise SystemExit("bench: %s:%s: the simulator counted %s" % (impl, mode, stats))
    shown = [bl.rel(argv[0]), bl.rel(prog), "--state", "STATE", "--mode", mode, "--n", str(n)]
    return {"polls_per_s": float(kv["polls_per_s"]), "us": float(kv["us_per_poll"]),
            "cpu_us": float(kv["cpu_us_per_poll"]), "rss": int(m.group(1)),
            "vmhwm": int(kv.get("vmhwm_kib", -1)), "stats": stats,
            "cmd": " ".join(shown)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(bl.ROOT, "build", "bench"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--cli", default=os.path.join(bl.ROOT, "build", "ges_job_status"))
    ap.add_argument("--out", default=None)
    ap.add_argument("--only", default=None)
    a = ap.parse_args()
    configs = CONFIGS
    if a.only:
        want = set(a.only.split(","))
        configs = [c for c in CONFIGS if "%s:%s" % (c[0], c[1]) in want]
    res = bl.Results("e2e" if not a.only else "e2e_only", a.out or bl.default_out(a.bin))
    runs = {}
    load0 = os.getloadavg()[0]
    with bl.Sim() as sim:
        print("End to end against the simulator (port %d), %d repetitions, medians; "
              "STATE = its state file:\n    python3 tests/sim/ges_sim.py --state-file STATE &"
              % (sim.state["port"], a.repeat))
        for r in range(a.repeat):
            for impl, mode, n in configs:
                runs.setdefault((impl, mode), []).append(one(a, sim, impl, mode, n))
        fig = {}
        for impl, mode, n in configs:
            rs = runs[(impl, mode)]
            f = {k: bl.median([x[k] for x in rs]) for k in ("polls_per_s", "us", "cpu_us")}
            f["rss"] = max(x["rss"] for x in rs)
            f["vmhwm"] = max(x["vmhwm"] for x in rs)
            f["cmd"] = rs[0]["cmd"]
            fig[(impl, mode)] = f
            st = rs[-1]["stats"]
            name = "%s:%s (%d polls)" % (impl, mode, n)
            note = ("wall %.0f us/poll, client CPU %.0f us/poll; peak RSS %d KiB (VmHWM %d); "
                    "simulator: %d connections, %d handshakes, %d resumed, %s" % (
                        f["us"], f["cpu_us"], f["rss"], f["vmhwm"], st["connections"],
                        st["handshakes"], st["resumed"],
                        ",".join(sorted(st.get("tls_versions", {})))))
            res.row(name + " polls/s", round(f["polls_per_s"], 1), "polls/s", f["cmd"], note)
            res.row(name + " peak RSS", f["rss"], "KiB", f["cmd"], show_cmd=False)
        if os.path.exists(a.cli):
            argv = [os.path.join(a.bin, "rss_run"), a.cli, "--endpoint",
                    "https://localhost:%d" % sim.state["port"], "--ca-file", sim.state["ca"],
                    "--token-file", sim.token_file, "bench-project", "bench-graph",
                    "job-success"]
            rc, so, se = bl.run(argv, check=False)
            m = re.search(r"rss_run: maxrss_kib=(\d+)", se)
            if rc == 0 and m:
                res.row("CLI ges_job_status, one poll of job-success: peak RSS",
                        int(m.group(1)), "KiB",
                        "%s %s --endpoint https://localhost:PORT --ca-file CA --token-file "
                        "TOKEN_FILE bench-project bench-graph job-success" % (
                            bl.rel(argv[0]), bl.rel(a.cli)))
        rc, _, se = bl.run([os.path.join(a.bin, "rss_run"), os.path.join(a.bin, "rss_floor")])
        m = re.search(r"rss_run: maxrss_kib=(\d+)", se)
        res.row("rss_run floor (a static program doing nothing)", int(m.group(1)), "KiB",
                "%s %s" % (bl.rel(os.path.join(a.bin, "rss_run")),
                           bl.rel(os.path.join(a.bin, "rss_floor"))))

    load1 = os.getloadavg()[0]
    ncpu = os.cpu_count() or 1
    res.note("load average %.1f at the start, %.1f at the end, on %d CPUs%s" % (
        load0, load1, ncpu, ": the machine was busy, so wall-clock figures (polls/s, time "
        "per poll) carry other programs' scheduling; the client-CPU figures do not"
        if max(load0, load1) > 0.5 * ncpu else ""))

    def has(*k):
        return all(x in fig for x in k)

    def spread(a_key, b_key, field, invert=False):
        """Per-repetition ratios (repetition i of a over repetition i of b)."""
        xs = [(x[field] / y[field]) for x, y in zip(runs[a_key], runs[b_key])]
        return "per repetition %.2f..%.2fx" % (min(xs), max(xs))

    here = "python3 tests/bench/e2e.py --repeat %d" % a.repeat
    if has(("ges", "keepalive")):
        f = fig[("ges", "keepalive")]
        res.target("CLI peak RSS, 1,000 kept-alive polls (e2e_polls)", "%d KiB" % f["rss"],
                   "<= 2048 KiB", f["rss"] <= 2048, f["cmd"])
        if ("ges-static", "keepalive") in fig:
            res.note("peak RSS of the same 1,000 polls linked statically: %d KiB; "
                     "rss_run's own floor is included in both" %
                     fig[("ges-static", "keepalive")]["rss"])
    if has(("ges", "keepalive"), ("curl", "keepalive")):
        g, c = fig[("ges", "keepalive")], fig[("curl", "keepalive")]
        ratio = g["polls_per_s"] / c["polls_per_s"]
        res.target("kept-alive polls/s ges / curl", "%.2fx" % ratio, ">= 1.0x", ratio >= 1.0,
                   here)
        cr = g["cpu_us"] / c["cpu_us"]
        res.target("kept-alive client CPU per poll ges / curl", "%.2fx" % cr, "<= 1.0x",
                   cr <= 1.0, here)
        res.note("kept-alive polls/s ges / curl: %s; client CPU per poll: ges %.0f us, "
                 "curl %.0f us (%.2fx)" % (
                     spread(("ges", "keepalive"), ("curl", "keepalive"), "polls_per_s"),
                     g["cpu_us"], c["cpu_us"], g["cpu_us"] / c["cpu_us"]))
    if has(("ges", "resume"), ("curl", "resume")):
        g, c = fig[("ges", "resume")], fig[("curl", "resume")]
        ratio = g["us"] / c["us"]
        res.target("resumed reconnect time ges / curl", "%.2fx" % ratio, "<= 0.6x",
                   ratio <= 0.6, here)
        cr = g["cpu_us"] / c["cpu_us"]
        res.target("resumed reconnect client CPU ges / curl", "%.2fx" % cr, "<= 0.6x",
                   cr <= 0.6, here)
        res.note("resumed reconnect time ges / curl: %s; client CPU per poll: ges %.0f us, "
                 "curl %.0f us (%.2fx)" % (
                     spread(("ges", "resume"), ("curl", "resume"), "us"),
                     g["cpu_us"], c["cpu_us"], g["cpu_us"] / c["cpu_us"]))
    if has(("ges", "reconnect"), ("mbedtls", "reconnect")):
        g, m_ = fig[("ges", "reconnect")], fig[("mbedtls", "reconnect")]
        ratio = g["us"] / m_["us"]
        res.target("full handshake time ges / bare mbedTLS", "%.2fx" % ratio, "<= 1.1x",
                   ratio <= 1.1, here)
        cr = g["cpu_us"] / m_["cpu_us"]
        res.target("full handshake client CPU ges / bare mbedTLS", "%.2fx" % cr, "<= 1.1x",
                   cr <= 1.1, here)
        res.note("full handshake time ges / bare mbedTLS: %s; client CPU per poll: ges %.0f "
                 "us, bare mbedTLS %.0f us (%.2fx)" % (
                     spread(("ges", "reconnect"), ("mbedtls", "reconnect"), "us"),
                     g["cpu_us"], m_["cpu_us"], g["cpu_us"] / m_["cpu_us"]))
    res.save()


if __name__ == "__main__":
    main()
