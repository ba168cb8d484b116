#!/bin/sh
# tests/embedded/ci.sh - `make ci-embedded`: every embedded and portability
# check in turn, then one line CI reads: the steps' own "N passed, N failed"
# lines summed (tests/count.sh):
#   cortex-m      ges_job.c, port/lwip, port/lwip_raw for Cortex-M4, sizes,
#                 no .data/.bss
#   lwip-host     port/lwip against Debian's lwIP, tests on its stack
#   lwip-raw-host port/lwip_raw on lwIP 2.1.3's core from Debian's source
#                 package (tests/lwip/run.sh; fetches it on first use)
#   amalgamation  ges_job.c + ges_job.h alone in an empty folder
#   test-armhf    parse/HTTP/wait/signing tests on 32-bit ARM (qemu-user)
#
#   sh tests/embedded/ci.sh [BUILD_DIR]     (dependencies: sh tests/deps.sh embedded)
#
# Last line: "N passed, N failed" over the five steps' checks.
set -u

B=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE/../.." || exit 2
. tests/count.sh
start=$(date +%s)

hard_run cortex-m sh tests/embedded/cortex_m.sh "$B"
hard_run lwip-host sh tests/embedded/lwip_host.sh "$B"
hard_run lwip-raw-host sh tests/lwip/run.sh "$B"
hard_run amalgamation sh tests/embedded/amalgamation.sh "$B"
hard_run test-armhf sh tests/embedded/armhf.sh "$B"

echo "== ci-embedded ($(($(date +%s) - start)) s)"
hard_total
