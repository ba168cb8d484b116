#!/usr/bin/env python3
"""Worst-case stack depth of every public function of ges_job.c, from gcc's call graph.

    python3 tests/hardening/stack.py [--limit FUNC=BYTES ...] [--markdown FILE] \
        LABEL=build-stack/O2/ges_job.ci [LABEL=build-stack/Os/ges_job.ci ...]

Each .ci file comes from `gcc -fstack-usage -fcallgraph-info=su -c ges_job.c`: one node per
function with its own frame size ("N bytes (static)"), one edge per call site. For every
public function (a defined node with external linkage: its title has no "file:" prefix) the
script follows the calls within ges_job.c and reports the deepest path: the sum of the frames
on it. Calls that leave the file are not counted, only named: "+ mbedTLS" (mbedtls_*, psa_*),
"+ libc" (everything else with no body here) and "+ port/callback" (calls through the
platform port or the caller's on_poll: an indirect call whose target is not a function of
this file).

Indirect calls inside the file are resolved from the source: a call site `x->member(` whose
member is assigned a function of this file (`.member = fn;` / `->member = fn;`) is an edge to
each such function. Functions of this file that mbedTLS calls back (given to it by address:
the BIO, the RNG, the verify callback) are listed separately with their own depth; they run
on top of mbedTLS's stack, which is excluded like mbedTLS itself.

Fails (exit 1) if the graph has a cycle (recursion), if a frame is unboundedly dynamic (a
VLA or alloca; "dynamic,bounded", from arguments pushed for a call, is an upper bound), if an indirect call site cannot be read, or if a --limit is exceeded. Standard
library only.
"""

import argparse
import os
import re
import sys

NODE_RE = re.compile(r'^node:\s*\{\s*title:\s*"([^"]*)"\s*label:\s*"([^"]*)"')
EDGE_RE = re.compile(r'^edge:\s*\{\s*sourcename:\s*"([^"]*)"\s*targetname:\s*"([^"]*)"'
                     r'(?:\s*label:\s*"([^"]*)")?')
SIZE_RE = re.compile(r'(\d+) bytes \(([a-z,]+)\)')
INDIRECT = "__indirect_call"


class Graph:
    def __init__(self, path, source_dir):
        self.path = path
        self.frame = {}        # defined function title -> bytes
        self.kind = {}         # defined function title -> "static" / "dynamic" / ...
        self.loc = {}          # defined function title -> "file:line:col"
        self.calls = {}        # title -> list of (target title, site label or None)
        self.problems = []
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = NODE_RE.match(line.strip())
                if m:
                    title, label = m.group(1), m.group(2)
                    parts = label.split("\\n")
                    sm = SIZE_RE.search(label)
                    if sm:
                        self.frame[title] = int(sm.group(1))
                        self.kind[title] = sm.group(2)
                        self.loc[title] = parts[1] if len(parts) > 1 else "?"
                    self.calls.setdefault(title, [])
                    continue
                m = EDGE_RE.match(line.strip())
                if m:
                    self.calls.setdefault(m.group(1), []).append((m.group(2), m.group(3)))
        self.source_dir = source_dir
        self._sources = {}
        self._resolve_indirect()

    # -- source reading (for indirect call sites) -------------------------------------------
    def _source(self, fname):
        if fname not in self._sources:
            try:
                with open(os.path.join(self.source_dir, fname), encoding="utf-8",
                          errors="replace") as f:
                    self._sources[fname] = f.read().splitlines()
            except OSError:
                self._sources[fname] = None
        return self._sources[fname]

    def _assigned(self, fname, member):
        """Functions of this file assigned to .member / ->member in the source."""
        src = self._source(fname) or []
        pat = re.compile(r'(?:\.|->)\s*%s\s*=\s*&?\s*([A-Za-z_]\w*)\s*;' % re.escape(member))
        names = set()
        for line in src:
            for m in pat.finditer(line):
                names.add(m.group(1))
        out = []
        for title in self.frame:
            base = title.split(":")[-1].split(".")[0]
            if base in names:
                out.append(title)
        return out

    def _resolve_indirect(self):
        self.external_members = {}   # (caller, member) for unresolved indirect sites
        for caller, calls in list(self.calls.items()):
            new = []
            for target, site in calls:
                if target != INDIRECT:
                    new.append((target, site))
                    continue
                member = None
                m = re.match(r'^(.*):(\d+):(\d+)$', site or "")
                if m:
                    src = self._source(os.path.basename(m.group(1)))
                    ln, col = int(m.group(2)), int(m.group(3))
                    if src is not None and 0 < ln <= len(src):
                        text = src[ln - 1][col - 1:]
                        mm = re.match(r'^[\w\s\.\->\[\]]*?(?:->|\.)\s*(\w+)\s*\(', text)
                        if mm:
                            member = mm.group(1)
                if member is None:
                    self.problems.append("%s: cannot read the indirect call at %s"
                                         % (self.name(caller), site))
                    new.append(("indirect:?", site))
                    continue
                targets = self._assigned(os.path.basename(m.group(1)), member)
                if targets:
                    new.extend((t, site) for t in targets)
                else:
                    new.append(("indirect:" + member, site))
            self.calls[caller] = new

    # -- classification ---------------------------------------------------------------------
    @staticmethod
    def name(title):
        return title.split(":", 1)[1] if ":" in title else title

    def is_public(self, title):
        return title in self.frame and ":" not in title

    @staticmethod
    def external_class(title):
        if title.startswith("indirect:"):
            return "port/callback"
        base = title.split(":")[-1]
        if base.startswith(("mbedtls_", "psa_")):
            return "mbedTLS"
        return "libc"

    # -- depth --------------------------------------------------------------------------------
    def analyse(self):
        """Fills self.depth[title] = (bytes, path, externals, members) for every defined
        function; records cycles in self.problems."""
        self.depth = {}
        state = {}                    # title -> 1 on the stack, 2 done

        def visit(t, stack):
            if state.get(t) == 2:
                return self.depth[t]
            if state.get(t) == 1:
                cyc = stack[stack.index(t):] + [t]
                self.problems.append("recursion: " + " -> ".join(self.name(x) for x in cyc))
                return (0, [], set(), set())
            state[t] = 1
            stack.append(t)
            best = (0, [], set(), set())
            ext, members = set(), set()
            for target, _site in self.calls.get(t, []):
                if target in self.frame:
                    d = visit(target, stack)
                    ext |= d[2]
                    members |= d[3]
                    if d[0] > best[0]:
                        best = d
                else:
                    ext.add(self.external_class(target))
                    if target.startswith("indirect:"):
                        members.add(target.split(":", 1)[1])
            stack.pop()
            state[t] = 2
            # "dynamic,bounded" (arguments pushed for a call with more than six of them on
            # x86-64): the figure is an upper bound, fine. Plain "dynamic": a VLA or alloca.
            if self.kind[t] not in ("static", "dynamic,bounded"):
                self.problems.append("%s: frame is %s (%s): a VLA or alloca?"
                                     % (self.name(t), self.kind[t], self.loc[t]))
            res = (self.frame[t] + best[0], [t] + best[1], ext, members)
            self.depth[t] = res
            return res

        for t in sorted(self.frame):
            visit(t, [])

    def callbacks(self):
        """Defined, non-public functions that nothing in the graph calls: their address
        is given to mbedTLS (or they are dead)."""
        called = {tgt for calls in self.calls.values() for tgt, _ in calls}
        return sorted(t for t in self.frame if t not in called and not self.is_public(t))


def fmt_ext(ext, members):
    order = ["mbedTLS", "libc", "port/callback"]
    out = []
    for e in order:
        if e in ext:
            if e == "port/callback" and members:
                out.append("+ %s (%s)" % (e, ", ".join(sorted(members))))
            else:
                out.append("+ " + e)
    return " ".join(out)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("graphs", nargs="+", help="LABEL=path/to/file.ci")
    ap.add_argument("--limit", action="append", default=[],
                    help="FUNC=BYTES: fail if FUNC's depth exceeds BYTES (any graph)")
    ap.add_argument("--source-dir", default=".", help="where ges_job.c is (default .)")
    ap.add_argument("--markdown", help="also write the table as Markdown to this file")
    a = ap.parse_args(argv[1:])

    graphs = []
    for spec in a.graphs:
        label, sep, path = spec.partition("=")
        if not sep:
            label, path = os.path.basename(os.path.dirname(spec)) or spec, spec
        g = Graph(path, a.source_dir)
        if not g.frame:
            print("stack: %s has no function with a frame size (built with "
                  "-fstack-usage -fcallgraph-info=su?)" % path)
            print("0 passed, 1 failed")
            return 1
        g.analyse()
        graphs.append((label, g))

    limits = {}
    for spec in a.limit:
        fn, _, n = spec.partition("=")
        limits[fn] = int(n)

    publics = sorted({t for _, g in graphs for t in g.frame if g.is_public(t)})
    labels = [lab for lab, _ in graphs]
    failures = []
    for lab, g in graphs:
        failures.extend("%s: %s" % (lab, p) for p in g.problems)
        for fn, lim in limits.items():
            if fn not in g.depth:
                failures.append("%s: %s not found in the call graph" % (lab, fn))
            elif g.depth[fn][0] > lim:
                failures.append("%s: %s needs %d bytes, limit %d"
                                % (lab, fn, g.depth[fn][0], lim))

    # The table: bytes per build, externals and the deepest path of the first build.
    head = ["function"] + ["%s bytes" % lab for lab in labels] + ["beyond ges_job.c",
                                                               "deepest path (%s)" % labels[0]]
    rows = []
    for t in publics:
        row = [g.name(t)]
        for _, g in graphs:
            row.append(str(g.depth[t][0]) if t in g.depth else "-")
        g0 = graphs[0][1]
        d = g0.depth.get(t) or next(g.depth[t] for _, g in graphs if t in g.depth)
        row.append(fmt_ext(d[2], d[3]) or "-")
        row.append(" > ".join("%s %d" % (g0.name(x), g0.frame[x]) for x in d[1]))
        rows.append(row)

    cb_rows = []
    g0 = graphs[0][1]
    for t in g0.callbacks():
        d = g0.depth[t]
        cb_rows.append([g0.name(t)] + [str(g.depth[t][0]) if t in g.depth else "-"
                                      for _, g in graphs]
                       + [fmt_ext(d[2], d[3]) or "-",
                          " > ".join("%s %d" % (g0.name(x), g0.frame[x]) for x in d[1])])

    widths = [max(len(r[i]) for r in [head] + rows + cb_rows) for i in range(len(head) - 1)]

    def line(r):
        return "  ".join(c.ljust(w) for c, w in zip(r[:-1], widths)) + "  " + r[-1]

    print("Worst-case stack depth in bytes, ges_job.c frames only (mbedTLS, libc, the "
          "port and callbacks excluded; named where reached)")
    print(line(head))
    for r in rows:
        print(line(r))
    if cb_rows:
        print("Called back by mbedTLS (on top of mbedTLS's own stack):")
        for r in cb_rows:
            print(line(r))

    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write("| " + " | ".join(head[:-1]) + " |\n")
            f.write("|" + "|".join(["---"] + ["---:"] * len(labels) + ["---"]) + "|\n")
            for r in rows:
                f.write("| `%s` | %s |\n" % (r[0], " | ".join(r[1:-1])))
            if cb_rows:
                f.write("\nCalled back by mbedTLS, on top of its own stack:\n\n")
                f.write("| callback | " + " | ".join(head[1:-1]) + " |\n")
                f.write("|" + "|".join(["---"] + ["---:"] * len(labels) + ["---"]) + "|\n")
                for r in cb_rows:
                    f.write("| `%s` | %s |\n" % (r[0], " | ".join(r[1:-1])))

    for fn, lim in sorted(limits.items()):
        got = ", ".join("%s %s" % (lab, g.depth[fn][0] if fn in g.depth else "?")
                        for lab, g in graphs)
        print("limit %s <= %d bytes: %s" % (fn, lim, got))
    for f in failures:
        print("FAIL " + f)
    if failures:
        print("0 passed, 1 failed")
        return 1
    print("no recursion, no dynamic frames, limits kept")
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
