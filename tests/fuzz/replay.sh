#!/bin/sh
# Replay the committed corpora and regression inputs through the standalone
# builds of the harnesses (no libFuzzer needed):
#   sh tests/fuzz/replay.sh [B]
# expects $B/fuzz/replay_{parse,http,request} and replay_small_* (the same
# harnesses built with -DFZ_SMALL_CONFIG; B defaults to build; the
# Makefile's fuzz-regress target builds them all). Ends with one
# "N passed, N failed" line: each replayed input is one test; a harness
# that crashes (an invariant broke) or is missing counts as one failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.." || exit 2
B=${1:-build}
p=0
f=0
log=$(mktemp "${TMPDIR:-/tmp}/ges_fuzz_replay.XXXXXX")
trap 'rm -f "$log"' EXIT
for run in parse http request small_parse small_http small_request; do
    h=${run#small_}
    bin=$B/fuzz/replay_$run
    echo "== replay_$run: tests/fuzz/corpus/$h tests/fuzz/regress/$h"
    if [ ! -x "$bin" ]; then
        echo "replay.sh: $bin is not built (make fuzz-regress)"
        f=$((f + 1))
        continue
    fi
    "$bin" "tests/fuzz/corpus/$h" "tests/fuzz/regress/$h" >"$log" 2>&1
    rc=$?
    cat "$log"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    if [ "$rc" -ne 0 ] || [ -z "$line" ]; then
        echo "replay_$run: FAILED (exit $rc)"
        f=$((f + 1))
        continue
    fi
    p=$((p + $(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')))
done
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
