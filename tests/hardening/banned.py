#!/usr/bin/env python3
"""No unbounded string functions and no heap in the library.

    python3 tests/hardening/banned.py [ges_job.c ...]

Strips comments, string and character literals, then looks for calls of sprintf, vsprintf,
strcpy, strcat, gets, alloca, malloc, calloc, realloc and free (a name followed by "("),
and for __builtin_alloca. VLAs are caught where they can be caught reliably: the
library builds with -Wvla -Werror, and tests/hardening/stack.py fails on a dynamic frame.
Prints each hit as file:line: text, then "N passed, N failed" (one test per file).
"""

import re
import sys

BANNED = ("sprintf", "vsprintf", "strcpy", "strcat", "gets", "alloca", "__builtin_alloca",
          "malloc", "calloc", "realloc", "free")
CALL_RE = re.compile(r"(?<![\w.>])(%s)\s*\(" % "|".join(re.escape(b) for b in BANNED))


def strip(text):
    """Comments and literals blanked out (newlines kept, so line numbers stay)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join(ch if ch == "\n" else " " for ch in text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + "".join(ch if ch == "\n" else " " for ch in text[i + 1:j - 1]) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def main(argv):
    files = argv[1:] or ["ges_job.c"]
    passed = failed = 0
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            raw = f.read()
        lines = raw.splitlines()
        hits = []
        for no, line in enumerate(strip(raw).splitlines(), 1):
            for m in CALL_RE.finditer(line):
                hits.append((no, m.group(1)))
        for no, name in hits:
            print("%s:%d: %s() is banned in the library: %s" % (path, no, name,
                                                               lines[no - 1].strip()))
        if hits:
            failed += 1
        else:
            passed += 1
            print("%s: no %s" % (path, "/".join(BANNED)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
