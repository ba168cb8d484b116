#!/usr/bin/env python3
"""ges_job.h's reference is complete and its two error lists agree (part
of `make test`).

Checked, mechanically:
  1. every public function declared in ges_job.h has a doc comment with a
     @param[in], @param[out] or @param[in,out] for each named parameter,
     and a @return unless it returns void;
  2. every ges_err_t value's doc says "Returned by:" which functions return
     it (a "see above" takes the names from the comment heading its group);
     GES_OK is returned by every function that returns ges_err_t;
  3. the two lists agree: a function's @return names a code exactly when
     that code's "Returned by" names the function (names inside
     parentheses there are remarks, not returners);
  4. each public function's body in ges_job.c returns no code its @return
     leaves out: every `return GES_ERR_X` and `= GES_ERR_X;` written in the
     body itself (what helpers return is covered by reading, not here).
Ends with "N passed, N failed".
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
checks = Checks()
expect = checks.expect


def read(rel):
    with open(os.path.join(ROOT, rel)) as f:
        return f.read()


def strip_stars(doc):
    return "\n".join(re.sub(r"^\s*\*?\s?", "", l) for l in doc.split("\n"))


def drop_remarks(text):
    """Remove (...) remarks, keeping the () of function names."""
    text = text.replace("()", "\x01")
    prev = None
    while prev != text:
        prev = text
        text = re.sub(r"\([^()]*\)", "", text)
    return text.replace("\x01", "()")


header = read("ges_job.h")
code = read("ges_job.c")

# Public functions: file-scope prototypes "type ges_name(...);".
protos = {}
for m in re.finditer(r"^((?:const )?[a-z][a-z_0-9 ]*?[ *]+)(ges_[a-z0-9_]+)\(([^;{()]*)\);",
                     header, re.M):
    rtype, name, params = m.group(1).strip(), m.group(2), m.group(3)
    before = header[:m.start()].rstrip()
    doc = ""
    if before.endswith("*/"):
        doc = before[before.rindex("/**"):]
    names = []
    for prm in params.split(","):
        prm = re.sub(r"\[[^\]]*\]", "", prm.strip())
        if prm and prm != "void":
            names.append(re.findall(r"\w+", prm)[-1])
    protos[name] = (rtype, names, strip_stars(doc))

expect(len(protos) >= 20, "public functions found in ges_job.h: %d" % len(protos))
for name, (rtype, names, doc) in sorted(protos.items()):
    missing = [n for n in names
               if not re.search(r"@param\[(in|out|in,out)\]\s+%s\b" % n, doc)]
    no_ret = rtype != "void" and "@return" not in doc
    expect(doc != "" and not missing and not no_ret,
           "%s: @param[in/out] for each parameter%s" % (
               name, "" if rtype == "void" else ", @return"),
           "no doc comment" if not doc else
           "missing @param for %s%s" % (missing, "; no @return" if no_ret else ""))


def returns_of(doc):
    m = re.search(r"@return(.*)", doc, re.S)
    return set(re.findall(r"\bGES_(?:OK|ERR_[A-Z0-9_]+)\b", m.group(1))) if m else set()


err_funcs = {n for n, (t, _, _) in protos.items() if t == "ges_err_t"}
listed = {n: returns_of(protos[n][2]) for n in err_funcs}
wild = [n for n in err_funcs if re.search(r"GES_ERR_[A-Z_]*\*", protos[n][2])]
expect(not wild, "no @return abbreviates codes with a wildcard (GES_ERR_JSON_*)", str(wild))

# The enum: each value's doc and its "Returned by".
enum = header[header.index("typedef enum {\n    /** Success."):header.index("} ges_err_t;")]
returned_by = {}
group = ""
for m in re.finditer(r"(/\*\*.*?\*/|/\*.*?\*/)|\b(GES_(?:OK|ERR_[A-Z0-9_]+)) = -?\d+", enum, re.S):
    if m.group(1):
        c = m.group(1)
        if c.startswith("/**"):
            last_doc = strip_stars(c)
        else:
            group = c
        continue
    value = m.group(2)
    text = last_doc
    if value == "GES_OK":
        returned_by[value] = set(err_funcs) if "every function" in text else set()
        continue
    r = re.search(r"Returned by:?(.*)", text, re.S)
    if r and "see above" in r.group(1):
        names = set(re.findall(r"(ges_\w+)\(\)", drop_remarks(group)))
    elif r:
        names = set(re.findall(r"(ges_\w+)\(\)", drop_remarks(r.group(1))))
    else:
        names = None
    returned_by[value] = names

values = re.findall(r"\b(GES_(?:OK|ERR_[A-Z0-9_]+)) = -?\d+", enum)
nodoc = [v for v in values if returned_by.get(v) is None]
expect(len(values) >= 25 and not nodoc,
       "every ges_err_t value (%d) says which functions return it" % len(values), str(nodoc))

for v in values:
    by_doc = returned_by.get(v) or set()
    by_ret = {n for n in err_funcs if v in listed[n]}
    expect(by_doc == by_ret, "%s: \"Returned by\" = the functions whose @return names it" % v,
           "only in Returned by: %s; only in @return: %s" % (sorted(by_doc - by_ret),
                                                              sorted(by_ret - by_doc)))

# Each public function's own body in ges_job.c.
for n in sorted(err_funcs):
    m = re.search(r"^ges_err_t %s\([^)]*\)\s*\{" % n, code, re.M)
    if not m:
        expect(False, "%s: definition found in ges_job.c" % n)
        continue
    depth, i = 1, m.end()
    while depth and i < len(code):
        depth += {"{": 1, "}": -1}.get(code[i], 0)
        i += 1
    body = re.sub(r"/\*.*?\*/", "", code[m.end():i], flags=re.S)
    direct = set(re.findall(r"(?:return|=)\s*(GES_ERR_[A-Z0-9_]+)\s*;", body))
    expect(direct <= listed[n], "%s: every code its body returns is in its @return" % n,
           "not listed: %s" % sorted(direct - listed[n]))

checks.finish()
