#!/usr/bin/env python3
"""Peak memory of the streaming parse does not grow with the answer.

    python3 tests/bench/stream_rss.py build/ges_job_status [--runs N] [--keep DIR]
    python3 tests/bench/stream_rss.py --emit SIZE > answer.json

Generates job-status answers of about 10 KiB, 1 MiB and 10 MiB (the shape of
tests/test_stream.c: 64 KiB strings with escapes and multi-byte UTF-8,
unknown members before and after jobDetail, thousands of vertexsetPath
entries; the 10 MiB one is exactly that test's answer: 50,000 entries, 64 KiB
strings), writes each to a temporary file, runs
`ges_job_status --parse FILE` on it (stdout to /dev/null) and reads the
child's peak RSS (ru_maxrss, KiB) from os.wait4, with its wall time.

Prints one row per size, the command that reproduces it, and a last line
"flat: yes" when the 10 MiB answer's peak RSS is within 10% + 256 KiB of the
10 KiB answer's, else "flat: no" (exit status 1).

Not part of `make test`: it is a measurement, run it with `make bench`.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

# --- the answer generator (same shape as tests/test_stream.c) -------------

# Long strings: a one-letter tag, then these characters (wire form), cycled;
# characters while the next one fits, then 'z' up to the exact length.
HEAD = [b"a", b"b", "\u00e9".encode(), b"\\n", b"\\u00e9"]
CYC = [
    b"c", "\u20ac".encode(), b"\\ud83d\\ude00",
    b'\\"', "\U0001F389".encode(), b"\\/", b"\\u00E9",
    b"\\u20ac", b"d", b"\\t", b"\\\\", "\u00e9".encode(),
    b"0", b"1", b"2", b"3", b"4", b"5", b"6", b"\\u0041",
    b"\\u0000", b"e", b"f", b"g", b"\\r", b"\\b", b"\\f", b"h",
]


def long_string(tag, length):
    """Exactly `length` bytes of JSON string content (no quotes)."""
    out = bytearray()
    if length == 0:
        return bytes(out)
    out += tag.encode()
    i = 0
    seq = HEAD + CYC
    while True:
        u = seq[i] if i < len(HEAD) else CYC[(i - len(HEAD)) % len(CYC)]
        if len(out) + len(u) > length:
            break
        out += u
        i += 1
    out += b"z" * (length - len(out))
    return bytes(out)


TOP = [  # (name, tag or None, plain JSON value) in document order
    ("jobId", None, b'"ff80808167f09aaa0167f19b35ec0305"'),
    ("status", None, b'"success"'),
    ("jobType", "T", None),
    ("unknownObj", None,
     b'{"a":[1,2,{"b":"c\\u00e9"}],"d":{"e":null,"f":true,"g":[[],{}]},'
     b'"h":-0.5e+2,"status":"failed"}'),
    ("jobName", "N", None),
    ("relatedGraph", "R", None),
    ("beginTime", None, b'"2018-11-27T21:39:00"'),
    ("unknownLong", "U", None),
    ("endTime", None, b'"2018-11-27T21:39:56"'),
    ("failReason", "F", None),
    ("errorCode", None, b'""'),
    ("errorMessage", "M", None),
    ("jobProgress", None, b"0.75"),
    ("jobDetail", None, None),
    ("unknownAfter", None,
     b'{"k":[1,2,3,{"z":"\\u00e9\\ud83d\\ude00"}],"n":-1.5e-3,'
     b'"t":[true,false,null],"jobId":"not-this-one"}'),
    ("unknownTail", "Z", None),
]
STATUS = ["success", "failed", "partFailed"]


def vertex_entry(i, n, long_len):
    if i in (1, 3, 777) or i + 1 == n:
        path = long_string(chr(ord("A") + i % 26), long_len)
    else:
        path = b"obs://ges-bucket/vertex/p%06d.csv" % i
    total = 1000 + (i * 7919) % 100000
    failed = 0 if i % 3 == 0 else total if i % 3 == 1 else i % 97
    cause = b"null" if i % 3 == 0 else b'"line %d: bad vertex"' % (i * 13 % 1000)
    extra = b',"extra":{"n":[1,{"m":null}],"s":"x\\u00e9"}' if i % 7 == 3 else b""
    return (b'{"path":"' + path +
            b'","log":"obs://ges-bucket/logs/p%06d.log","status":"%s","cause":'
            % (i, STATUS[i % 3].encode()) + cause + extra +
            b',"totalLines":%d,"failedLines":%d,"successfulLines":%d}'
            % (total, failed, total - failed))


def answer(entries, long_len):
    parts = []
    for k, (name, tag, plain) in enumerate(TOP):
        parts.append((b"{" if k == 0 else b",") + b'"' + name.encode() + b'":')
        if name == "jobDetail":
            parts.append(b'{"detailUnknown":[{"a":1},"b",{"c":{"d":[]}}],"schemaPath":[')
            parts.append(b",".join(
                b'{"path":"obs://ges-bucket/schema/schema-%d.xml","log":null,'
                b'"cause":null,"status":"success"}' % j for j in range(3)))
            parts.append(b'],"edgesetPath":[],"vertexsetPath":[')
            parts.append(b",".join(vertex_entry(i, entries, long_len)
                                   for i in range(entries)))
            parts.append(b"]}")
        elif tag is not None:
            parts.append(b'"' + long_string(tag, long_len) + b'"')
        else:
            parts.append(plain)
    parts.append(b"}")
    return b"".join(parts)


# The three sizes: (label, entries, long-string length).
SIZES = [
    ("10 KiB", 35, 256),
    ("1 MiB", 4816, 8192),
    ("10 MiB", 50000, 65536),
]


def parse_size(text):
    for label, entries, long_len in SIZES:
        if text.replace(" ", "").lower() == label.replace(" ", "").lower():
            return entries, long_len
    raise argparse.ArgumentTypeError(
        "SIZE is one of: " + ", ".join(s[0].replace(" ", "") for s in SIZES))


# --- measuring ------------------------------------------------------------
#
# Linux records, when a process calls exec, the resident size of the memory
# it had before (fs/exec.c: setmax_mm_hiwater_rss) into its ru_maxrss. A
# child forked (or vforked, as posix_spawn does) from this script and exec'd
# would therefore report at least this Python process's own peak (10 to
# 40 MiB here, growing with the answer it just generated), not the parser's.
# So the parser is started from a small /bin/sh subshell, left behind by its
# shell; this script is a child subreaper (PR_SET_CHILD_SUBREAPER), inherits
# it and reaps it with os.wait4. The floor left is the shell's own size
# (about 1.5 MiB).

PR_SET_CHILD_SUBREAPER = 36
_subreaper = None


def become_subreaper():
    global _subreaper
    if _subreaper is None:
        try:
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            _subreaper = libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
        except (OSError, AttributeError):
            _subreaper = False
        if not _subreaper:
            print("warning: cannot become a child subreaper: each peak RSS "
                  "below includes this script's own", file=sys.stderr)
    return _subreaper


def run_once(cli, path):
    """(exit status, peak RSS KiB, wall s, CPU s, stderr text) of one parse."""
    with tempfile.NamedTemporaryFile(prefix="ges-stream-rss-err-") as err:
        if become_subreaper():
            # sh starts a subshell that waits for "go", prints its pid and
            # exits; once sh is gone (the subshell is ours now) we say go and
            # the subshell execs the CLI. Were the CLI started at once, it
            # could end before sh, and sh would reap it: no rusage left.
            r_pid, w_pid = os.pipe()
            r_go, w_go = os.pipe()
            sh = os.posix_spawn("/bin/sh", [
                "sh", "-c",
                '( exec 3>&-; read go <&4; exec "$0" --parse "$1" >/dev/null '
                '2>"$2" 4<&- ) & echo $! >&3',
                cli, path, err.name], os.environ,
                file_actions=[(os.POSIX_SPAWN_DUP2, w_pid, 3),
                              (os.POSIX_SPAWN_DUP2, r_go, 4)])
            os.close(w_pid)
            os.close(r_go)
            with os.fdopen(r_pid) as f:
                pid = int(f.read().strip())
            os.waitpid(sh, 0)
            t0 = time.perf_counter()
            os.write(w_go, b"go\n")
            os.close(w_go)
        else:
            t0 = time.perf_counter()
            pid = os.posix_spawn(cli, [cli, "--parse", path], os.environ, file_actions=[
                (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                (os.POSIX_SPAWN_DUP2, err.fileno(), 2),
            ])
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
        with open(err.name, errors="replace") as f:
            text = f.read().strip()
    return (os.waitstatus_to_exitcode(status), usage.ru_maxrss, wall,
            usage.ru_utime + usage.ru_stime, text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cli", nargs="?", help="path to ges_job_status")
    ap.add_argument("--runs", type=int, default=3,
                    help="runs per size (peak RSS: the largest; time: median)")
    ap.add_argument("--keep", metavar="DIR",
                    help="write the answers into DIR and keep them")
    ap.add_argument("--emit", metavar="SIZE", type=parse_size,
                    help="write one answer (10KiB, 1MiB, 10MiB) to stdout and exit")
    a = ap.parse_args()

    if a.emit:
        sys.stdout.buffer.write(answer(*a.emit))
        return 0
    if not a.cli:
        ap.error("the path to ges_job_status is required")
    cli = os.path.abspath(a.cli)
    if not os.access(cli, os.X_OK):
        ap.error("not an executable: " + a.cli)
    me = os.path.relpath(os.path.abspath(__file__))

    with tempfile.TemporaryDirectory(prefix="ges-stream-rss-") as tmp:
        where = a.keep or tmp
        if a.keep:
            os.makedirs(a.keep, exist_ok=True)
        rows = []
        for label, entries, long_len in SIZES:
            body = answer(entries, long_len)
            fd, path = tempfile.mkstemp(prefix="answer-%s-" % label.replace(" ", ""),
                                        suffix=".json", dir=where)
            with os.fdopen(fd, "wb") as f:
                f.write(body)
            size = len(body)
            del body
            rss, walls, cpus = [], [], []
            for _ in range(max(1, a.runs)):
                code, kib, wall, cpu, err = run_once(cli, path)
                if code != 0:
                    print("%s: %s --parse exited %d: %s" % (label, a.cli, code, err),
                          file=sys.stderr)
                    return 2
                rss.append(kib)
                walls.append(wall)
                cpus.append(cpu)
            rows.append((label, size, entries, max(rss), statistics.median(walls),
                         statistics.median(cpus)))

        print("%-7s %12s %8s %14s %8s %8s" % ("answer", "bytes", "entries",
                                              "peak RSS KiB", "wall s", "CPU s"))
        for label, size, entries, kib, wall, cpu in rows:
            print("%-7s %12d %8d %14d %8.3f %8.3f" % (label, size, entries, kib,
                                                      wall, cpu))
        print("(%d run(s) per size: largest peak RSS, median times)" % max(1, a.runs))
        print()
        print("reproduce one row (peak RSS is \"Maximum resident set size\"):")
        for label in (r[0] for r in rows):
            size = label.replace(" ", "")
            print("  python3 %s --emit %s > answer-%s.json && "
                  "/usr/bin/time -v %s --parse answer-%s.json > /dev/null"
                  % (me, size, size, a.cli, size))
        if a.keep:
            print("answers kept in %s" % a.keep)
        small, big = rows[0][3], rows[-1][3]
        flat = big <= small * 1.10 + 256
        print("10 MiB peak RSS %d KiB, 10 KiB peak RSS %d KiB, allowed %d KiB"
              % (big, small, int(small * 1.10 + 256)))
        print("flat: %s" % ("yes" if flat else "no"))
        return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
