#!/usr/bin/env python3
"""Flash, static RAM and worst-case stack of ges_job.o for a Cortex-M4.

    python3 tests/bench/flash.py [--bin build/bench] [--out DIR] [--cc arm-none-eabi-gcc]

Compiles ges_job.c twice with the issue's command,

    arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -Os -ffunction-sections \\
        -fdata-sections [-DGES_CONFIG_NO_TLS=1] -I. -c ges_job.c

with and without the TLS glue (the client; mbedTLS itself is not counted:
its headers come from Debian's libmbedtls-dev through a private include
directory holding only mbedtls/ and jsmn.h), and reads text, data and bss
with arm-none-eabi-size (text includes .rodata). RAM of the library is
data + bss (target 0). Then the text of the same compiles with the switches
that leave code out: the parser with -DGES_ERROR_TEXTS=0, the client with
-DGES_PROXY=0, and with both.

Stack: the same compiles again with -fstack-usage -fcallgraph-info=su (they
do not change the code) give each function's frame and the call graph. The
worst case of a public function is its deepest path through ges_job.c's own
functions. Indirect calls are resolved where the target is ges_job.c's own
(the request writer's sink -> ges__tls_sink, the signer's put ->
ges__sha_put); calls into mbedTLS, the C library, libgcc and the port's
function pointers count 0 and are listed, so for the client functions the
figure is ges_job's share, to which mbedTLS's own stack (and the port's)
adds. A cycle in the graph (recursion) or a dynamic frame is reported.
"""
import argparse
import sys
import collections
import os
import re

sys.dont_write_bytecode = True  # no __pycache__ beside the sources
import benchlib as bl  # noqa: E402

# Indirect calls whose targets are in ges_job.c: caller -> possible callees.
INDIRECT = {
    "ges__wr_flush": ["ges__tls_sink"],
    "ges__sha_str": ["ges__sha_put"],
}


def base_name(title):
    name = title.split(":")[-1]
    return re.sub(r"\.(constprop|isra|part|cold|lto_priv)\.\d+$", "", name) \
        if not name.startswith("__") else name


def parse_ci(path):
    """nodes: name -> (bytes, qualifier); edges: name -> [callee names]."""
    nodes, edges, full = {}, collections.defaultdict(list), {}
    for line in open(path):
        m = re.match(r'node: \{ title: "([^"]+)" label: "([^"]*)"', line)
        if m:
            title, label = m.groups()
            full[title] = title
            sm = re.search(r"\\n(\d+) bytes \(([^)]*)\)", label)
            if sm:
                nodes[title.split(":")[-1]] = (int(sm.group(1)), sm.group(2))
            continue
        m = re.match(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"', line)
        if m:
            src, dst = m.groups()
            edges[src.split(":")[-1]].append(dst.split(":")[-1])
    return nodes, edges


def worst(fn, nodes, edges, memo, stack=()):
    """(bytes, path, externals) of the deepest path from fn."""
    if fn in memo:
        return memo[fn]
    if fn in stack:
        return (0, [fn + " (RECURSION)"], {"recursion"})
    own = nodes.get(fn, (0, "static"))[0]
    best = (0, [], set())
    ext = set()
    callees = []
    for c in edges.get(fn, []):
        if c == "__indirect_call":
            targets = INDIRECT.get(base_name(fn))
            if targets:
                callees += [t for t in nodes if base_name(t) in targets]
            else:
                ext.add("indirect call in " + base_name(fn) + " (port/user callback)")
        elif c in nodes:
            callees.append(c)
        else:
            ext.add(c)
    for c in callees:
        r = worst(c, nodes, edges, memo, stack + (fn,))
        ext |= r[2]
        if r[0] > best[0] or not best[1]:
            best = r
    res = (own + best[0], [fn] + best[1], ext)
    memo[fn] = res
    return res


def compile_arm(cc, out_dir, tls, extra, defs=()):
    inc = os.path.join(out_dir, "inc")
    os.makedirs(inc, exist_ok=True)
    for name, target in (("jsmn.h", "/usr/include/jsmn.h"),
                         ("mbedtls", "/usr/include/mbedtls")):
        link = os.path.join(inc, name)
        if not os.path.islink(link):
            os.symlink(target, link)
    obj = os.path.join(out_dir, "ges_job_%s%s%s.o" % (
        "tls" if tls else "notls", "".join("_" + d.split("=")[0][4:].lower() + d.split("=")[1]
                                           for d in defs), "_su" if extra else ""))
    argv = [cc, "-mcpu=cortex-m4", "-mthumb", "-Os", "-ffunction-sections",
            "-fdata-sections"] + ([] if tls else ["-DGES_CONFIG_NO_TLS=1"]) + \
        ["-D" + d for d in defs] + \
        ["-I.", "-I" + bl.rel(inc)] + extra + ["-c", "ges_job.c", "-o", bl.rel(obj)]
    bl.run(argv)
    return obj, argv


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(bl.ROOT, "build", "bench"))
    ap.add_argument("--out", default=None)
    ap.add_argument("--cc", default="arm-none-eabi-gcc")
    a = ap.parse_args()
    res = bl.Results("flash", a.out or bl.default_out(a.bin))
    arm = os.path.join(a.bin, "arm")
    os.makedirs(arm, exist_ok=True)
    size = a.cc.replace("gcc", "size")
    print("Flash and static RAM: ges_job.o for Cortex-M4, -Os")
    sizes = {}
    for tls in (False, True):
        obj, argv = compile_arm(a.cc, arm, tls, [])
        _, so, _ = bl.run([size, obj])
        text, data, bss = (int(x) for x in so.splitlines()[1].split()[:3])
        sizes[tls] = (text, data, bss)
        label = "with TLS glue (client)" if tls else "parser only (GES_CONFIG_NO_TLS=1)"
        cmd = "%s && %s %s" % (bl.cmdline(argv), size, bl.rel(obj))
        res.row("flash ges_job.o %s: text / data / bss" % label,
                "%s / %d / %d" % (bl.fmt(text), data, bss), "bytes", cmd)
        res.row("RAM (.data + .bss) %s" % label, data + bss, "bytes", cmd, show_cmd=False)
    res.row("TLS glue alone (text difference)", sizes[True][0] - sizes[False][0], "bytes",
            "python3 tests/bench/flash.py")
    # The switches that leave code out (ges_job.h's configuration section):
    # the same compiles plus -D, text only.
    for tls, defs in ((False, ["GES_ERROR_TEXTS=0"]),
                      (True, ["GES_PROXY=0"]),
                      (True, ["GES_PROXY=0", "GES_ERROR_TEXTS=0"])):
        obj, argv = compile_arm(a.cc, arm, tls, [], defs)
        _, so, _ = bl.run([size, obj])
        text = int(so.splitlines()[1].split()[0])
        label = "with TLS glue (client)" if tls else "parser only (GES_CONFIG_NO_TLS=1)"
        res.row("flash ges_job.o %s, %s: text" % (label, ", ".join(defs)), text, "bytes",
                "%s && %s %s" % (bl.cmdline(argv), size, bl.rel(obj)))
    ram = sizes[True][1] + sizes[True][2] + sizes[False][1] + sizes[False][2]
    # Caller-owned RAM: the structs the application provides (static or on
    # its stack), as the Cortex-M4 compiler lays them out.
    src = os.path.join(arm, "struct_sizes.c")
    with open(src, "w") as f:
        f.write("/* generated by tests/bench/flash.py */\n#include \"ges_job.h\"\n"
                "char sz_client[sizeof(ges_client_t)];\n"
                "char sz_status[sizeof(ges_job_status_t)];\n"
                "char sz_parser[sizeof(ges_parser_t)];\n")
    sobj = src[:-2] + ".o"
    argv = [a.cc, "-mcpu=cortex-m4", "-mthumb", "-Os", "-fno-common", "-I.",
            "-I" + bl.rel(os.path.join(arm, "inc")), "-c", bl.rel(src), "-o", bl.rel(sobj)]
    bl.run(argv)
    _, so, _ = bl.run([a.cc.replace("gcc", "nm"), "-S", sobj])
    for line in so.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3].startswith("sz_"):
            what = {"sz_client": "ges_client_t (with mbedTLS 2.28's contexts)",
                    "sz_status": "ges_job_status_t", "sz_parser": "ges_parser_t"}[parts[3]]
            res.row("caller-owned RAM: sizeof " + what, int(parts[1], 16), "bytes",
                    "%s && %s -S %s" % (bl.cmdline(argv), a.cc.replace("gcc", "nm"),
                                        bl.rel(sobj)))
    res.target("library RAM (.data + .bss) == 0", "%d B" % ram, "== 0", ram == 0,
               "python3 tests/bench/flash.py")
    # Issue 15: the parser-only object (JSON stage and HTTP reader) in 8 KB.
    res.target("flash ges_job.o without TLS <= 8 KB", "%s B" % bl.fmt(sizes[False][0]),
               "<= 8,192 B", sizes[False][0] <= 8192, "python3 tests/bench/flash.py")

    print("\nWorst-case stack per public function (Cortex-M4 -Os, -fstack-usage "
          "-fcallgraph-info=su; ges_job.c's own frames)")
    for tls in (False, True):
        obj, argv = compile_arm(a.cc, arm, tls, ["-fstack-usage", "-fcallgraph-info=su"])
        ci = obj[:-2] + ".ci"
        nodes, edges = parse_ci(ci)
        _, so, _ = bl.run([a.cc.replace("gcc", "nm"), "-g", "--defined-only", obj])
        public = sorted(l.split()[-1] for l in so.splitlines() if " T " in l)
        dyn = [n for n, (b, q) in nodes.items() if "dynamic" in q]
        if dyn:
            res.note("dynamic stack frames: " + ", ".join(dyn))
        memo = {}
        label = "client build" if tls else "parser build"
        cmd = "%s   # then tests/bench/flash.py walks %s" % (bl.cmdline(argv), bl.rel(ci))
        print("  %s: $ %s" % (label, cmd))
        for fn in public:
            if tls and fn in res_seen:
                continue
            b, path, ext = worst(fn, nodes, edges, memo)
            ext = sorted(e for e in ext if not e.startswith("__aeabi") and e not in (
                "memset", "memcpy", "memmove", "memcmp", "memchr", "strlen", "strchr",
                "strcmp"))
            note = "path: " + " > ".join(base_name(p) for p in path)
            if ext:
                note += "; plus the stack of: " + ", ".join(ext[:6]) + \
                    (" and %d more" % (len(ext) - 6) if len(ext) > 6 else "")
            res.row("stack %s (%s)" % (fn, label), b, "bytes", cmd, note, show_cmd=False)
            res_seen.add(fn)
            if fn == "ges_job_parse" and not tls:
                # Issue 15: the whole parse, jsmn's tokens included, in 1.5 KiB.
                res.target("stack ges_job_parse <= 1.5 KiB", "%s B" % bl.fmt(b),
                           "<= 1,536 B", b <= 1536, cmd)
            if any("RECURSION" in p for p in path):
                res.note("recursion through " + fn)
    res.save()


res_seen = set()

if __name__ == "__main__":
    main()
