#!/bin/sh
# make test-asan: every suite of `make test` (tests/run_all.sh) on the AddressSanitizer +
# UndefinedBehaviorSanitizer build in B (default build-asan), then a check that no sanitizer
# wrote a report. Ends with one "N passed, N failed" line (the suites' counts plus that check).
#
# Reports go to files (log_path), not to stderr: a CLI run whose expected exit status is 1
# could otherwise hide one. Exit codes are distinct from the CLI's (86 ASan, 87 UBSan).
# GES_TEST_INSTRUMENTED=1 makes the integration suites skip peak-RSS limits and tight upper
# time bounds (the instrumented binaries are bigger and slower).
set -u
B=${1:-build-asan}
cd "$(dirname "$0")/../.." || exit 1
. tests/count.sh
logdir=$(mktemp -d "${TMPDIR:-/tmp}/ges_asan_logs.XXXXXX")
trap 'rm -rf "$logdir"; hard_cleanup' EXIT

GES_TEST_INSTRUMENTED=1
ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:exitcode=86:log_path=$logdir/asan"
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=87:log_path=$logdir/ubsan"
LSAN_OPTIONS="exitcode=86"
export GES_TEST_INSTRUMENTED ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS

hard_run "all suites under ASan+UBSan ($B)" sh tests/run_all.sh "$B"

reports=$(find "$logdir" -type f | wc -l)
if [ "$reports" -ne 0 ]; then
    for f in "$logdir"/*; do
        echo "---- $f"
        cat "$f"
    done
fi
hard_check "no ASan/UBSan/LSan report ($reports report files)" "$reports"
hard_total
