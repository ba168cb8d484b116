#!/bin/sh
# tests/embedded/ci.sh - `make ci-embedded`: every embedded and portability
# check in turn, then one line CI reads. Each check is one step (its own
# "N passed, N failed" line is printed above it):
#   cortex-m      ges_job.c, port/lwip, port/lwip_raw for Cortex-M4, sizes,
#                 no .data/.bss
#   lwip-host     port/lwip against Debian's lwIP, tests on its stack
#   lwip-raw-host port/lwip_raw on lwIP 2.1.3's core from Debian's source
#                 package (tests/lwip/run.sh; fetches it on first use)
#   amalgamation  ges_job.c + ges_job.h alone in an empty folder
#   test-armhf    parse/HTTP/wait/signing tests on 32-bit ARM (qemu-user)
#
#   sh tests/embedded/ci.sh [BUILD_DIR]     (dependencies: tests/embedded/deps.sh)
#
# Last line: "N passed, N failed" over the five steps.
set -u

B=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
log=$(mktemp "${TMPDIR:-/tmp}/ges_ci_embedded.XXXXXX") || exit 2
trap 'rm -f "$log"' EXIT
passed=0
failed=0
summary=""
start=$(date +%s)

run() {
    name=$1 script=$2
    t0=$(date +%s)
    echo "######## $name"
    sh "$HERE/$script" "$B" >"$log" 2>&1
    rc=$?
    cat "$log"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    secs=$(($(date +%s) - t0))
    if [ "$rc" -eq 0 ] && [ -n "$line" ]; then
        passed=$((passed + 1))
        summary="$summary
ok   $name ($line; ${secs}s)"
    else
        failed=$((failed + 1))
        summary="$summary
FAIL $name (${line:-no result line}; exit $rc; ${secs}s)"
    fi
}

run cortex-m cortex_m.sh
run lwip-host lwip_host.sh
run lwip-raw-host ../lwip/run.sh
run amalgamation amalgamation.sh
run test-armhf armhf.sh

echo "######## ci-embedded ($(($(date +%s) - start))s)$summary"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
