#!/usr/bin/env python3
"""The table of the last `make bench`: every figure with the command that
reproduces it, then the targets, met or missed.

    python3 tests/bench/summary.py [--results build/bench/results] [--markdown]

Reads the JSON that tests/bench/{flash,cpu_parse,ram,e2e}.py saved. With
--markdown it prints the same as Markdown tables (for BENCHMARKS.md).
"""
import argparse
import sys
import json
import os

sys.dont_write_bytecode = True  # no __pycache__ beside the sources
import benchlib as bl  # noqa: E402

ORDER = ["flash", "cpu", "ram", "e2e", "e2e_only"]
TITLES = {"flash": "Flash, static RAM, stack (Cortex-M4 -Os)",
          "cpu": "CPU: parsing the seed's 200 body",
          "ram": "RAM at run time", "e2e": "End to end on loopback",
          "e2e_only": "End to end (subset)"}


def load(d):
    out = {}
    if not os.path.isdir(d):
        return out
    for n in os.listdir(d):
        if n.endswith(".json"):
            with open(os.path.join(d, n)) as f:
                j = json.load(f)
            out[j["area"]] = j
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--results", default=os.path.join(bl.ROOT, "build", "bench", "results"))
    ap.add_argument("--markdown", action="store_true")
    a = ap.parse_args()
    res = load(a.results)
    if not res:
        raise SystemExit("bench: no results in %s (run `make bench`)" % a.results)
    areas = [x for x in ORDER if x in res] + sorted(x for x in res if x not in ORDER)
    targets = []
    for area in areas:
        r = res[area]
        if a.markdown:
            print("\n### %s (%s)\n" % (TITLES.get(area, area), r["time"]))
            print("| figure | value | unit | command |")
            print("|---|---:|---|---|")
            for row in r["rows"]:
                print("| %s | %s | %s | `%s` |" % (row["name"], bl.fmt(row["value"]),
                                                  row["unit"], row["cmd"].replace("|", "\\|")))
        else:
            print("\n== %s (%s)" % (TITLES.get(area, area), r["time"]))
            for row in r["rows"]:
                print("  %-66s %12s %-8s" % (row["name"], bl.fmt(row["value"]), row["unit"]))
                print("      $ %s" % row["cmd"])
        for n in r.get("notes", []):
            print(("\n- %s" if a.markdown else "  note: %s") % n)
        targets += r["targets"]
    if a.markdown:
        print("\n### Targets\n")
        print("| target | figure | limit | verdict | command |")
        print("|---|---:|---|---|---|")
        for t in targets:
            print("| %s | %s | %s | %s | `%s` |" % (t["name"], t["figure"], t["limit"],
                                                   "met" if t["met"] else "**missed**",
                                                   t["cmd"]))
    else:
        print("\n== Targets")
        for t in targets:
            print("  %-52s %12s  %-14s %s" % (t["name"], t["figure"], t["limit"],
                                             "met" if t["met"] else "MISSED"))
            print("      $ %s" % t["cmd"])
        met = sum(1 for t in targets if t["met"])
        print("\n  %d of %d targets met" % (met, len(targets)))


if __name__ == "__main__":
    main()
