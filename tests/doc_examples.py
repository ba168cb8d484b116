#!/usr/bin/env python3
"""Every C example a user copies is compiled (part of `make test`).

Blocks found:
  - ges_job.h and the ports' headers (port/*/ges_port_*.h): every
    `@code{c}` ... `@endcode` (the comment's leading " * " removed, then the
    common indentation);
  - README.md, examples/README.md, port/README.md: every ```c fence.
A block that does not compile fails, named by FILE:LINE of its first line;
the compiler's messages point into the document too (#line). Each block is
compiled with gcc, and with clang when it is installed, under the Makefile's
warnings (-Werror) against the real headers. The number of blocks found is
checked against a plain count of the markers, so no block is skipped by the
parser.

How a block is made into a translation unit (mechanical, the same for all):
  1. `#include "ges_job.h"` comes first, then the headers of the block's
     `with=` (below), then one declaration for each `given=` name: the
     names an example leaves to the reader (your token, your CA bytes,
     your driver's functions), declared from the table GIVEN below.
  2. A block with a `main(` is a program: compiled as it is and linked
     against build/libges_job.a and mbedTLS.
  3. Any other block is a fragment: its preprocessor lines and its function
     definitions (at brace depth 0) stay at file scope, in order; every
     other line goes, in order, into the body of one function,
     `void ges_doc_example(void) { ... }`. Nothing else is added.
An HTML comment on the line just before a Markdown fence (or a header's
`@code{c}`) sets the options:
    <!-- doc-example: given=token,ca,ca_len with=posix -->
with= is posix (the default: port/posix/ges_port_posix.h), lwip
(port/lwip/ges_port_lwip.h on Debian's lwIP headers), lwip_raw (lwIP's
include path and port/lwip_raw/; the block includes its header) or none; stub=FILE makes
an empty header FILE on the include path (a vendor SDK header that only
declares a `given=` name). A header's block without that comment takes
HEADER_OPTIONS.

  python3 tests/doc_examples.py [BUILD_DIR]   check every block
  python3 tests/doc_examples.py --self-test   show the check can fail: the
        quick start as it was (st.job_status) must be refused, named by line
Ends with "N passed, N failed".
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = "ges_job.h"
PORT_HEADERS = ["port/posix/ges_port_posix.h", "port/lwip/ges_port_lwip.h",
                "port/lwip_raw/ges_port_lwip_raw.h"]
MARKDOWN = ["README.md", "examples/README.md", "port/README.md"]
HEADER_OPTIONS = "given=token,ca,ca_len,project,graph,job with=posix"

# The names examples leave to the reader, declared as a reader's code would.
GIVEN = {
    "token": "extern const char *token;",
    "ca": "extern const unsigned char ca[];",
    "ca_len": "extern size_t ca_len;",
    "project": "extern const char *project;",
    "graph": "extern const char *graph;",
    "job": "extern const char *job;",
    "cfg": "extern ges_client_config_t cfg;",
    "ctx": "extern void *ctx;",
    "timeout": "extern uint32_t timeout;",
    "now_ms": "uint32_t now_ms(void *ctx);",
    "my_modem": "extern int my_modem;",
    "my_connect": "int my_connect(void *ctx, const char *host, uint16_t port, "
                  "uint32_t timeout_ms, ges_sock_t *sock);",
    "my_send": "int my_send(void *ctx, ges_sock_t sock, const unsigned char *buf, "
               "size_t len, uint32_t timeout_ms);",
    "my_recv": "int my_recv(void *ctx, ges_sock_t sock, unsigned char *buf, "
               "size_t len, uint32_t timeout_ms);",
    "my_close": "void my_close(void *ctx, ges_sock_t sock);",
    "my_now_ms": "uint32_t my_now_ms(void *ctx);",
    "my_sleep_ms": "void my_sleep_ms(void *ctx, uint32_t ms);",
    "my_entropy": "int my_entropy(void *ctx, unsigned char *buf, size_t len);",
    "my_trng_read": "int my_trng_read(unsigned char *buf, size_t len);",
    "my_rtc_utc": "int64_t my_rtc_utc(void *ctx);",
    "my_poll": "void my_poll(void *ctx);",
    "my_trng": "int my_trng(void *ctx, unsigned char *buf, size_t len);",
    "my_netif": "struct netif;\nextern struct netif my_netif;",
    "ethernetif_input": "struct netif;\nvoid ethernetif_input(struct netif *netif);",
    "esp_fill_random": "void esp_fill_random(void *buf, size_t len);",
}

WARN = ("-std=c99 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes "
        "-Wvla -Wconversion -Wcast-qual").split()


class Block:
    def __init__(self, path, line, lines, options):
        self.path, self.line, self.lines, self.options = path, line, lines, options

    def where(self):
        return "%s:%d" % (self.path, self.line)


def parse_options(text):
    opts = {"given": [], "with": "posix", "stub": []}
    for word in text.split():
        key, _, value = word.partition("=")
        if key not in opts:
            raise ValueError("unknown doc-example option %r" % key)
        opts[key] = value if key == "with" else [v for v in value.split(",") if v]
    for name in opts["given"]:
        if name not in GIVEN:
            raise ValueError("given=%s is not in GIVEN" % name)
    return opts


def dedent(lines):
    ind = min((len(l) - len(l.lstrip(" ")) for l in lines if l.strip()), default=0)
    return [l[ind:] for l in lines]


def options_before(lines, i, default):
    """The doc-example comment on line i-1 (1-based i), else default."""
    prev = lines[i - 2] if i >= 2 else ""
    m = re.search(r"<!--\s*doc-example:(.*?)-->\s*$", prev)
    return parse_options(m.group(1) if m else default)


def header_blocks(path, text):
    """(blocks, markers): @code{c}..@endcode inside comments."""
    blocks, cur, start, opts = [], None, 0, None
    lines = text.split("\n")
    for i, raw in enumerate(lines, 1):
        body = re.sub(r"^\s*\*( |$)", "", raw)
        if cur is None and re.search(r"@code\{c\}", raw):
            cur, start, opts = [], i + 1, options_before(lines, i, HEADER_OPTIONS)
        elif cur is not None and "@endcode" in raw:
            blocks.append(Block(path, start, dedent(cur), opts))
            cur = None
        elif cur is not None:
            cur.append(body)
    return blocks, len(re.findall(r"@code\b", text))


def markdown_blocks(path, text):
    """(blocks, markers): ```c fences, with the doc-example comment before."""
    blocks, cur, start, fence, opts = [], None, 0, "", None
    lines = text.split("\n")
    for i, raw in enumerate(lines, 1):
        s = raw.strip()
        if cur is None and s == "```c":
            opts = options_before(lines, i, "")
            cur, start, fence = [], i + 1, raw[:len(raw) - len(raw.lstrip())]
        elif cur is not None and s == "```":
            blocks.append(Block(path, start, dedent(cur), opts))
            cur = None
        elif cur is not None:
            cur.append(raw[len(fence):] if raw.startswith(fence) else raw)
    return blocks, len(re.findall(r"^\s*```c\s*$", text, re.M))


def depth_change(line, state):
    """Braces outside comments and literals; state carries /* */ across lines."""
    d, i, n = 0, 0, len(line)
    while i < n:
        c = line[i]
        if state["comment"]:
            if line.startswith("*/", i):
                state["comment"], i = False, i + 2
                continue
        elif line.startswith("/*", i):
            state["comment"], i = True, i + 2
            continue
        elif line.startswith("//", i):
            break
        elif c in "\"'":
            j = i + 1
            while j < n and line[j] != c:
                j += 2 if line[j] == "\\" else 1
            i = j
        elif c == "{":
            d += 1
        elif c == "}":
            d -= 1
        i += 1
    return d


FUNC_HEAD = re.compile(r"^(?!(if|else|for|while|do|switch|return|case)\b)"
                       r"[A-Za-z_][\w \t\*]*\b\w+\s*\([^;]*\)\s*(\{.*)?$")


def translation_unit(block):
    """The C text for a block: its lines carry #line marks into the document."""
    out = ['#include "ges_job.h"']
    w = block.options["with"]
    if w == "posix":
        out.append('#include "ges_port_posix.h"')
    elif w == "lwip":
        out.append('#include "ges_port_lwip.h"')
    for name in block.options["given"]:
        out.append(GIVEN[name])
    mark = lambda k: '#line %d "%s"' % (block.line + k, block.path)
    src = block.lines
    if any(re.search(r"\bmain\s*\(", l) for l in src):
        for k, l in enumerate(src):
            out += [mark(k), l]
        return "\n".join(out) + "\n", True
    top, body = [], []
    depth, state, k = 0, {"comment": False}, 0
    while k < len(src):
        l = src[k]
        nxt = src[k + 1].strip() if k + 1 < len(src) else ""
        if depth == 0 and not state["comment"] and l.lstrip().startswith("#"):
            top += [mark(k), l]
            k += 1
            continue
        code = re.sub(r"/\*.*?\*/|//.*", "", l).rstrip()
        if depth == 0 and not state["comment"] and FUNC_HEAD.match(code) and \
                ("{" in l or nxt.startswith("{")):
            d, opened = 0, False
            while k < len(src):  # the whole definition, to its closing brace
                top += [mark(k), src[k]]
                d += depth_change(src[k], state)
                opened = opened or "{" in src[k]
                k += 1
                if opened and d == 0:
                    break
            continue
        body += [mark(k), l]
        depth += depth_change(l, state)
        k += 1
    out += top
    out.append("void ges_doc_example(void);")
    out.append("void ges_doc_example(void)\n{")
    out += body
    out.append("}")
    return "\n".join(out) + "\n", False


def compilers():
    found = [c for c in ("gcc", "clang") if shutil.which(c)]
    return found or ["cc"]


def flags_for(block, stubdir):
    f = WARN + ["-I" + ROOT, "-I" + os.path.join(ROOT, "port", "posix"), "-I" + stubdir]
    w = block.options["with"]
    if w in ("lwip", "lwip_raw"):
        f.append("-D_POSIX_C_SOURCE=200809L")
        r = subprocess.run(["pkg-config", "--cflags", "lwip"], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("pkg-config finds no lwip: install liblwip-dev (make deps does)")
        f += r.stdout.split()
    if w in ("lwip", "lwip_raw"):
        f.append("-I" + os.path.join(ROOT, "port", w))
    return f


def check(block, tmp, build):
    """None when every compiler accepts the block, else the diagnostics."""
    stubdir = os.path.join(tmp, "stubs")
    os.makedirs(stubdir, exist_ok=True)
    for s in block.options["stub"]:
        open(os.path.join(stubdir, s), "w").close()
    try:
        flags = flags_for(block, stubdir)
    except RuntimeError as e:
        return str(e)
    tu, program = translation_unit(block)
    src = os.path.join(tmp, "example.c")
    with open(src, "w") as f:
        f.write(tu)
    for cc in compilers():
        if program:
            cmd = [cc] + flags + [src, os.path.join(build, "libges_job.a"),
                                                     "-lmbedtls", "-lmbedx509", "-lmbedcrypto",
                                                     "-o", os.path.join(tmp, "example")]
        else:
            cmd = [cc] + flags + ["-c", src, "-o",
                                                     os.path.join(tmp, "example.o")]
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if r.returncode != 0:
            return "%s:\n%s" % (cc, (r.stdout + r.stderr).strip())
    return None


def collect(texts):
    blocks, problems = [], []
    for path, text in texts:
        if path.endswith(".h"):
            b, markers = header_blocks(path, text)
        else:
            b, markers = markdown_blocks(path, text)
        if len(b) != markers:
            problems.append("%s: %d code markers, %d blocks extracted" % (path, markers, len(b)))
        blocks += b
    return blocks, problems


def read(path):
    with open(os.path.join(ROOT, path)) as f:
        return f.read()


def main():
    args = sys.argv[1:]
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix="ges_doc_") as tmp:
        if args[:1] == ["--self-test"]:
            old = read(HEADER).replace("st.job_state", "st.job_status")
            blocks, _ = collect([(HEADER, old)])
            errs = [check(b, tmp, "build") for b in blocks]
            bad = [b for b, e in zip(blocks, errs) if e and "%s:" % HEADER in e and "job_status" in e]
            checks.expect(bool(bad), "the quick start with st.job_status is refused%s" % (
                " at " + bad[0].where() if bad else " (it compiled, or no block was found)"))
        else:
            build = args[0] if args else "build"
            docs = [HEADER] + PORT_HEADERS + MARKDOWN
            blocks, problems = collect([(p, read(p)) for p in docs])
            checks.expect(not problems, "%d blocks found, as many as markers (%s)" % (
                len(blocks), ", ".join(docs)), "; ".join(problems))
            for b in blocks:
                err = check(b, tmp, build)
                checks.expect(err is None, "%s compiles (%s)" % (b.where(), ", ".join(compilers())),
                              "\n" + (err or ""))
    checks.finish()


if __name__ == "__main__":
    main()
