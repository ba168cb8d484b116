#!/usr/bin/env python3
"""Compare gcovr's JSON summary for ges_job.c with the floor file.

    python3 tests/hardening/coverage_floor.py build-cov/coverage-summary.json \
        tests/hardening/coverage-floor.txt

The floor file holds "lines N" and "branches N" (percent; # starts a comment). Prints the
measured figures and the floor; exit 0 iff both are at or above it. The floor is only ever
raised: set it from a measurement, rounded down.
"""

import json
import sys


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    with open(argv[1]) as f:
        summary = json.load(f)
    floor = {}
    with open(argv[2]) as f:
        for raw in f:
            line = raw.split("#", 1)[0].split()
            if len(line) == 2:
                floor[line[0]] = float(line[1])
    files = [x for x in summary.get("files", []) if x["filename"].endswith("ges_job.c")]
    if len(files) != 1:
        print("coverage: ges_job.c is not in the summary (files: %r)"
              % [x["filename"] for x in summary.get("files", [])])
        return 1
    fc = files[0]
    ok = True
    for kind, cov, tot in (("lines", "line_covered", "line_total"),
                           ("branches", "branch_covered", "branch_total")):
        c, t = fc[cov], fc[tot]
        pct = 100.0 * c / t if t else 0.0
        want = floor.get(kind)
        if want is None:
            print("coverage: no floor for %s in %s" % (kind, argv[2]))
            ok = False
            continue
        good = pct >= want
        ok = ok and good
        print("ges_job.c %-8s %6.2f%% (%d of %d), floor %g%%%s"
              % (kind, pct, c, t, want, "" if good else "  BELOW THE FLOOR"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
