#!/bin/sh
# CI's fuzz step (make fuzz-ci): a short libFuzzer round of every harness
# (FUZZ_SECONDS, default 30 s each) and the corpora replayed through the
# standalone builds, then one closing "N passed, N failed" line
# (tests/count.sh sums the two).
#   sh tests/fuzz/ci.sh [B]      ($B/fuzz/replay_* must be built)
set -u
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.." || exit 2
B=${1:-build}
. tests/count.sh
hard_run "libFuzzer round" env FUZZ_SECONDS="${FUZZ_SECONDS:-30}" FUZZ_OUT="${FUZZ_OUT:-$B/fuzz}" \
    sh tests/fuzz/run.sh
hard_run "corpora and regressions replayed" sh tests/fuzz/replay.sh "$B"
hard_total
