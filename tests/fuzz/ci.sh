#!/bin/sh
# CI's fuzz step (make fuzz-ci): a short libFuzzer round of every harness
# (FUZZ_SECONDS, default 30 s each) and the corpora replayed through the
# standalone builds, then one closing "N passed, N failed" line.
#   sh tests/fuzz/ci.sh [B]      ($B/fuzz/replay_* must be built)
set -u
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.." || exit 2
B=${1:-build}
p=0
f=0
log=$(mktemp "${TMPDIR:-/tmp}/ges_fuzz_ci.XXXXXX")
trap 'rm -f "$log"' EXIT
count() {
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        f=$((f + 1))
        return
    fi
    lp=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
    lf=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
    if [ "$1" -ne 0 ] && [ "$lf" -eq 0 ]; then lf=1; fi
    p=$((p + lp))
    f=$((f + lf))
}
FUZZ_SECONDS=${FUZZ_SECONDS:-30} FUZZ_OUT=${FUZZ_OUT:-$B/fuzz} sh tests/fuzz/run.sh >"$log" 2>&1
rc=$?
cat "$log"
count "$rc"
sh tests/fuzz/replay.sh "$B" >"$log" 2>&1
rc=$?
cat "$log"
count "$rc"
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
