#!/usr/bin/env python3
"""CPU and allocations of parsing the seed's 200 body: ges_job_parse vs bare
jsmn vs cJSON, instructions counted by valgrind's callgrind.

    python3 tests/bench/cpu_parse.py [--bin build/bench] [--n 100] [--out DIR]
                                     [--annotate]

Needs build/bench/cpu_parse (`make bench-bin`). For each mode (ges, jsmn,
cjson) it runs

    valgrind --tool=callgrind --toggle-collect=bench_loop_MODE \\
        build/bench/cpu_parse MODE N

so only the N parses are counted (a warm-up parse comes first, outside the
loop), and divides the collected Ir by N. Allocations are counted twice:
by the program itself (wrapped malloc/calloc/realloc/free, cJSON's hooks),
and from outside with memcheck's "total heap usage" for N parses minus the
same for 0 parses, divided by N. It also checks with nm that the parser-only
build of ges_job.o (GES_CONFIG_NO_TLS=1) refers to no allocator at all.

The same parser is also measured through ges_parser_init/feed/finish with
a 0-byte work buffer (jsmn never runs; the scanner stores every value) and
a 2048-byte one (what the client uses with a 4 KiB I/O buffer), for
comparison with ges_job_parse's 256 bytes.

Targets: ges_job_parse <= 1.5x the instructions of bare jsmn; 0 allocations.
--annotate prints ges_job_parse's most expensive functions (self cost, per
parse) and lines, from callgrind_annotate.
"""
import argparse
import sys
import os
import re
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ beside the sources
import benchlib as bl  # noqa: E402


def callgrind(binary, mode, n, keep=None):
    fd, out = tempfile.mkstemp(prefix="ges_bench_cg_%s_" % mode, suffix=".out")
    os.close(fd)
    argv = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
            "--toggle-collect=bench_loop_" + mode, binary, mode, str(n)]
    _, so, _ = bl.run(argv)
    total = None
    with open(out) as f:
        for line in f:
            if line.startswith("totals:") or line.startswith("summary:"):
                total = int(line.split()[1])
    if keep:
        os.replace(out, keep)
    else:
        os.unlink(out)
    if not total:
        raise SystemExit("bench: callgrind collected nothing for %s" % mode)
    shown = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/tmp/cg.%s.out" % mode,
             "--toggle-collect=bench_loop_" + mode, binary, mode, str(n)]
    return total, bl.last_kv(so, "mode="), bl.cmdline(shown)


def memcheck_allocs(binary, mode, n):
    def allocs(k):
        _, _, se = bl.run(["valgrind", "--tool=memcheck", binary, mode, str(k)])
        m = re.search(r"total heap usage: ([\d,]+) allocs", se)
        if not m:
            raise SystemExit("bench: no memcheck summary for %s" % mode)
        return int(m.group(1).replace(",", ""))
    return (allocs(n) - allocs(0)) / float(n)


def annotate(cg_out, n, res):
    """Self cost per function and the hottest lines of ges_job.c."""
    _, so, _ = bl.run(["callgrind_annotate", "--inclusive=no", cg_out])
    print("\n  ges_job_parse, self Ir per parse by function (callgrind_annotate "
          "--inclusive=no %s):" % bl.rel(cg_out))
    funcs = []
    for line in so.splitlines():
        m = re.match(r"\s*([\d,]+) \(\s*([\d.]+)%\)\s+(\S+):(\S+)", line)
        if m and "PROGRAM TOTALS" not in line:
            ir = int(m.group(1).replace(",", ""))
            funcs.append((ir, float(m.group(2)), m.group(4)))
    for ir, pct, fn in funcs[:12]:
        print("    %9.0f Ir %5.1f%%  %s" % (ir / n, pct, fn))
    res.notes.append("hot functions (self Ir per parse): " + ", ".join(
        "%s %.0f (%.1f%%)" % (fn, ir / n, pct) for ir, pct, fn in funcs[:8]))
    _, so, _ = bl.run(["callgrind_annotate", "--auto=yes", "--show-percs=no",
                       "--context=0", cg_out], check=False)
    lines, src, lineno = [], None, None
    for line in so.splitlines():
        m = re.match(r"-- Auto-annotated source: (\S+)", line)
        if m:
            src = os.path.basename(m.group(1))
            continue
        m = re.match(r"-- line (\d+) -", line)
        if m:
            lineno = int(m.group(1))
            continue
        m = re.match(r"\s*([\d,]+)\s{2}(?!=>)(.*)$", line)
        if src and lineno and m and "events annotated" not in line:
            lines.append((int(m.group(1).replace(",", "")), src, lineno, m.group(2).strip()))
    lines.sort(reverse=True)
    print("\n  hottest source lines, self Ir per parse (callgrind_annotate --auto=yes "
          "--context=0 %s):" % bl.rel(cg_out))
    for ir, f, ln, text in lines[:15]:
        print("    %7.0f  %s:%-5d %s" % (ir / n, f, ln, text[:90]))
    res.notes.append("hot lines (self Ir per parse): " + "; ".join(
        "%s:%d %.0f" % (f, ln, ir / n) for ir, f, ln, _ in lines[:8]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(bl.ROOT, "build", "bench"))
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--out", default=None)
    ap.add_argument("--annotate", action="store_true")
    a = ap.parse_args()
    binary = os.path.join(a.bin, "cpu_parse")
    res = bl.Results("cpu", a.out or bl.default_out(a.bin))
    print("CPU: instructions per parse of tests/data/seed-200.json (%d parses, callgrind)"
          % a.n)
    ir = {}
    keep = os.path.join(a.bin, "callgrind.ges.out")
    for mode in ("ges", "jsmn", "cjson"):
        total, info, cmd = callgrind(binary, mode, a.n, keep if mode == "ges" else None)
        if info.get("ok") != "1":
            raise SystemExit("bench: cpu_parse %s did not parse the body" % mode)
        ir[mode] = total / float(a.n)
        what = {"ges": "ges_job_parse", "jsmn": "bare jsmn tokenize (no fields read)",
                "cjson": "cJSON parse + read fields + delete"}[mode]
        res.row("instructions per parse: " + what, round(ir[mode]), "Ir",
                cmd + "   # collected Ir / %d" % a.n)
    for mode, what in (("ges_w0", "ges_parser_feed, work buffer 0 (no jsmn pass)"),
                       ("ges_w2048", "ges_parser_feed, work buffer 2048 (client, 4 KiB I/O)")):
        total, info, cmd = callgrind(binary, mode, a.n)
        if info.get("ok") != "1":
            raise SystemExit("bench: cpu_parse %s did not parse the body" % mode)
        ir[mode] = total / float(a.n)
        res.row("instructions per parse: " + what, round(ir[mode]), "Ir",
                cmd + "   # collected Ir / %d" % a.n,
                "%.2fx bare jsmn" % (ir[mode] / ir["jsmn"]))
    ratio = ir["ges"] / ir["jsmn"]
    res.row("ratio ges_job_parse / bare jsmn", round(ratio, 2), "x",
            "python3 tests/bench/cpu_parse.py")
    res.row("ratio ges_job_parse / cJSON", round(ir["ges"] / ir["cjson"], 2), "x",
            "python3 tests/bench/cpu_parse.py")
    allocs = {}
    for mode in ("ges", "jsmn", "cjson"):
        allocs[mode] = memcheck_allocs(binary, mode, a.n)
        res.row("allocations per parse (memcheck): " + mode, round(allocs[mode], 2), "allocs",
                "valgrind --tool=memcheck %s %s %d   # 'total heap usage' minus the same "
                "with N=0, / %d" % (bl.rel(binary), mode, a.n, a.n))
    _, so, _ = bl.run([binary, "all", str(a.n)])
    inproc = {kv["mode"]: float(kv["allocs_per_parse"]) for kv in
              (bl.kv(l) for l in so.splitlines()) if "mode" in kv}
    res.row("allocations per parse (in-process --wrap): ges", inproc.get("ges"), "allocs",
            "%s all %d" % (bl.rel(binary), a.n))
    obj = os.path.join(a.bin, "ges_job_notls.o")
    _, so, _ = bl.run(["nm", "-u", obj])
    und = [l.split()[-1] for l in so.splitlines() if l.strip()]
    alloc_syms = [s for s in und if s in ("malloc", "calloc", "realloc", "free",
                                          "aligned_alloc", "posix_memalign")]
    res.row("allocator symbols ges_job.o (parser build) refers to",
            ",".join(alloc_syms) if alloc_syms else "none", "",
            "nm -u %s   # undefined: %s" % (bl.rel(obj), " ".join(und)))
    res.target("ges_job_parse Ir <= 1.5x bare jsmn", "%.2fx" % ratio, "<= 1.5x",
               ratio <= 1.5, "python3 tests/bench/cpu_parse.py")
    res.target("ges_job_parse allocations == 0", "%g" % allocs["ges"], "== 0",
               allocs["ges"] == 0 and inproc.get("ges") == 0 and not alloc_syms,
               "valgrind --tool=memcheck %s ges %d" % (bl.rel(binary), a.n))
    if a.annotate:
        annotate(keep, a.n, res)
    res.save()


if __name__ == "__main__":
    main()
