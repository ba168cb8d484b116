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

Per byte, on other bodies (`cpu_parse MODE N FILE`): an ASCII-heavy and an
escape-heavy answer of the seed's shape with 40 file entries (written by
this script into the bench directory, about 14 KB each: long plain values,
or values where escapes, \\u sequences, surrogate pairs and raw multi-byte
UTF-8 make up most of the bytes), and the 10 MiB streamed answer of
tests/bench/stream_rss.py (`--emit 10MiB`), parsed the client's way
(ges_parser_feed in 4 KiB slices, 2048 bytes of work: mode ges_stream).
Each against bare jsmn tokenizing the same bytes, and cJSON for the first
two. Bare jsmn cannot take the 10 MiB answer: without JSMN_PARENT_LINKS,
each '}' closing one of its 50,000 entries scans the token array back to
the enclosing array's token, so the work grows with the square of the
entries (callgrind had not finished after 9 minutes). Its reference is
therefore jsmn on the 10 KiB answer of the same generator (35 entries,
the same kind of strings), which ges_stream also parses.
--no-stream leaves the streamed answers out (they take about a minute).

Targets: ges_job_parse <= 1.5x the instructions of bare jsmn; 0 allocations.
--annotate prints ges_job_parse's most expensive functions (self cost, per
parse) and lines, from callgrind_annotate.
"""
import argparse
import sys
import os
import re
import subprocess
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ beside the sources
import benchlib as bl  # noqa: E402


def callgrind(binary, mode, n, keep=None, body=None):
    fd, out = tempfile.mkstemp(prefix="ges_bench_cg_%s_" % mode, suffix=".out")
    os.close(fd)
    tail = [body] if body else []
    argv = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
            "--toggle-collect=bench_loop_" + mode, binary, mode, str(n)] + tail
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
             "--toggle-collect=bench_loop_" + mode, binary, mode, str(n)] + \
        [bl.rel(t) for t in tail]
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


# --- the per-byte bodies ---------------------------------------------------

def _plain(i, n):
    """n bytes of plain ASCII text."""
    words = ("import", "of", "vertex", "file", "rows", "graph", "bucket", "done",
             "line", "label", "property", "edge", "csv", "status", "ok")
    out = []
    k = i
    while len(" ".join(out)) < n:
        out.append(words[k % len(words)])
        k += 7
    return " ".join(out)[:n]


def _escaped(i, n):
    """About n bytes of JSON string body that is mostly escapes and
    multi-byte UTF-8: \\" \\\\ \\n \\t \\/ \\u00e9 \\u20ac \\ud83d\\ude00, raw é € 😀."""
    parts = ('\\"', "\\\\", "\\n", "\\t", "\\/", "\\u00e9", "\\u20AC",
             "\\ud83d\\ude00", "\u00e9", "\u20ac", "\U0001F600", "ab")
    out, size, k = [], 0, i
    while size < n:
        p = parts[k % len(parts)]
        out.append(p)
        size += len(p.encode("utf-8"))
        k += 5
    return "".join(out)


def body(text):
    """An answer of the seed's shape with 40 vertexsetPath entries, every
    string value made by text(i, n)."""
    def s(i, n):
        return '"' + text(i, n) + '"'
    entries = ",".join(
        '{"path":%s,"log":%s,"cause":%s,"status":"success","totalLines":%d,'
        '"failedLines":0,"successfulLines":%d}' % (s(i, 100), s(i + 1, 60), s(i + 2, 120),
                                                  1000 + i, 1000 + i)
        for i in range(40))
    doc = ('{"jobId":"ff80808167f09aaa0167f19b35ec0305","status":"success",'
           '"jobType":%s,"jobName":%s,"relatedGraph":%s,'
           '"beginTime":"2018-11-27T21:39:00","endTime":"2018-11-27T21:39:56",'
           '"failReason":%s,"jobDetail":{"vertexsetPath":[%s],"edgesetPath":[],'
           '"schemaPath":[{"path":%s,"log":null,"cause":null,"status":"success"}]},'
           '"jobProgress":0.75}' % (s(1, 40), s(2, 40), s(3, 40), s(4, 250), entries, s(5, 100)))
    return doc.encode("utf-8")


def per_byte(binary, res, label, path, modes, n):
    size = os.path.getsize(path)
    ir = {}
    for mode in modes:
        total, info, cmd = callgrind(binary, mode, n, body=path)
        if info.get("ok") != "1":
            raise SystemExit("bench: cpu_parse %s did not parse %s" % (mode, path))
        ir[mode] = total / float(n) / size
        res.row("instructions per byte, %s (%d bytes): %s" % (label, size, mode),
                round(ir[mode], 2), "Ir/B", cmd + "   # collected Ir / %d / %d" % (n, size))
    ges = ir.get("ges", ir.get("ges_stream"))
    res.row("ratio per byte, %s: ges / bare jsmn" % label, round(ges / ir["jsmn"], 2), "x",
            "python3 tests/bench/cpu_parse.py")
    if "cjson" in ir:
        res.row("ratio per byte, %s: ges / cJSON" % label, round(ges / ir["cjson"], 2), "x",
                "python3 tests/bench/cpu_parse.py")
    return ir


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(bl.ROOT, "build", "bench"))
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--out", default=None)
    ap.add_argument("--annotate", action="store_true")
    ap.add_argument("--no-stream", action="store_true",
                    help="leave out the 10 MiB streamed answer")
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
    print("\nCPU: instructions per byte of other bodies (callgrind)")
    for label, text in (("ASCII-heavy", _plain), ("escape-heavy", _escaped)):
        path = os.path.join(a.bin, "body-%s.json" % label.split("-")[0].lower())
        with open(path, "wb") as f:
            f.write(body(text))
        per_byte(binary, res, label, path, ("ges", "jsmn", "cjson"), 20)
    if not a.no_stream:
        paths = {}
        for size in ("10KiB", "10MiB"):
            paths[size] = os.path.join(a.bin, "body-%s.json" % size.lower())
            with open(paths[size], "wb") as f:  # the bytes as they are, not through text
                subprocess.run([sys.executable, os.path.join(bl.ROOT, "tests", "bench",
                                                             "stream_rss.py"), "--emit", size],
                               stdout=f, check=True)
        small = per_byte(binary, res, "10 KiB streamed answer", paths["10KiB"],
                         ("ges_stream", "jsmn"), 20)
        size = os.path.getsize(paths["10MiB"])
        total, info, cmd = callgrind(binary, "ges_stream", 1, body=paths["10MiB"])
        if info.get("ok") != "1":
            raise SystemExit("bench: cpu_parse ges_stream did not parse %s" % paths["10MiB"])
        big = total / float(size)
        res.row("instructions per byte, 10 MiB streamed answer (%d bytes): ges_stream" % size,
                round(big, 2), "Ir/B", cmd + "   # collected Ir / %d" % size)
        res.row("ratio per byte, 10 MiB streamed answer: ges / bare jsmn on the 10 KiB one",
                round(big / small["jsmn"], 2), "x", "python3 tests/bench/cpu_parse.py",
                "bare jsmn is quadratic on the 10 MiB answer (see the docstring)")
        res.target("10 MiB streamed answer, Ir per byte <= 1.5x bare jsmn (its 10 KiB one)",
                   "%.2fx" % (big / small["jsmn"]), "<= 1.5x", big / small["jsmn"] <= 1.5,
                   "python3 tests/bench/cpu_parse.py")
    if a.annotate:
        annotate(keep, a.n, res)
    res.save()


if __name__ == "__main__":
    main()
