#!/bin/sh
# Build the libFuzzer harnesses and run each for FUZZ_SECONDS (default 60).
#
#   sh tests/fuzz/run.sh [harness...]      (from anywhere; default: all three)
#
# Harnesses: parse, http, request (tests/fuzz/fuzz_<name>.c). Each is built
# with clang -fsanitize=fuzzer,address,undefined into $FUZZ_OUT (default
# build/fuzz), and run with the dictionary on a working corpus there
# ($FUZZ_OUT/corpus/<name>, seeded from tests/fuzz/corpus/<name> and
# tests/fuzz/regress/<name>): the committed corpus is only read, never
# written. Crashes go to $FUZZ_OUT/artifacts/<name>[_small]/.
#
# Each harness runs in two configurations, one after the other, on the same
# working corpus: "default" (ges_job.h's bounds) and "small"
# (-DFZ_SMALL_CONFIG: tests/fuzz/fuzz_small_config.h sets every bound near
# its minimum, so small inputs reach the truncation, depth, header and body
# limits that 4 KiB inputs never reach with the defaults).
#
# Environment:
#   FUZZ_SECONDS  seconds per harness and configuration (default 60; CI: 30)
#   FUZZ_CONFIGS  configurations to run (default "default small")
#   FUZZ_OUT      build and work directory (default build/fuzz)
#   FUZZ_CFLAGS   extra compiler flags (e.g. small bounds: -DGES_TEXT_MAX=8
#                 -DGES_JSON_MAX_TOKENS=3 -DGES_PATHS_MAX=1 -DGES_HTTP_HEADERS_MAX=256)
#   FUZZ_ARGS     extra libFuzzer flags (e.g. -max_len=8192 -jobs=2)
#   CLANG         compiler (default clang)
#
# Prints, per harness and configuration, the executions libFuzzer ran
# (stat::number_of_executed_units) and whether it found anything, then
# "N passed, N failed" (one test per harness and configuration: built, and
# found nothing); exits non-zero when a harness failed to build or found a
# crash, leak, timeout or OOM.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 2

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_CONFIGS=${FUZZ_CONFIGS:-default small}
FUZZ_OUT=${FUZZ_OUT:-build/fuzz}
FUZZ_CFLAGS=${FUZZ_CFLAGS:-}
FUZZ_ARGS=${FUZZ_ARGS:-}
CLANG=${CLANG:-clang}
DICT=tests/fuzz/json_http.dict

case "$FUZZ_SECONDS" in
'' | *[!0-9]*) echo "run.sh: FUZZ_SECONDS must be a number of seconds" >&2; exit 2 ;;
esac

# --- toolchain: clang and its libFuzzer / sanitizer runtimes --------------
need=""
if command -v dpkg-query >/dev/null 2>&1; then
    for p in clang libclang-rt-14-dev; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            need="$need $p"
    done
fi
if [ -n "$need" ]; then
    echo "run.sh: installing$need" >&2
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq || $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null || {
        echo "run.sh: could not install$need" >&2
        exit 2
    }
fi

harnesses=${*:-parse http request}
mkdir -p "$FUZZ_OUT" || exit 2
status=0
summary=""
passed=0
failed=0

for h in $harnesses; do
for cfg in $FUZZ_CONFIGS; do
    case "$cfg" in
    default) sfx=""; cfg_flags="" ;;
    small) sfx="_small"; cfg_flags="-DFZ_SMALL_CONFIG" ;;
    *) echo "run.sh: unknown configuration $cfg (default, small)" >&2; exit 2 ;;
    esac
    name=fuzz_$h$sfx
    src=tests/fuzz/fuzz_$h.c
    bin=$FUZZ_OUT/$name
    work=$FUZZ_OUT/corpus/$h
    art=$FUZZ_OUT/artifacts/$h$sfx
    log=$FUZZ_OUT/$name.log
    if [ ! -f "$src" ]; then
        echo "run.sh: no harness $src" >&2
        status=1
        failed=$((failed + 1))
        continue
    fi
    echo "== $name: build"
    # shellcheck disable=SC2086
    if ! "$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined \
        -fno-sanitize-recover=all -I. -Iport/posix $cfg_flags $FUZZ_CFLAGS "$src" \
        -lmbedtls -lmbedx509 -lmbedcrypto -o "$bin"; then
        summary="$summary
$name: BUILD FAILED"
        status=1
        failed=$((failed + 1))
        continue
    fi
    # The working corpus keeps what earlier runs found; the committed seeds
    # and reproducers are copied in (never the other way round).
    mkdir -p "$work" "$art"
    for d in tests/fuzz/corpus/$h tests/fuzz/regress/$h; do
        [ -d "$d" ] || continue
        for f in "$d"/*; do
            [ -f "$f" ] && cp "$f" "$work/" 2>/dev/null
        done
    done
    before=$(find "$art" -type f | wc -l)
    echo "== $name: ${FUZZ_SECONDS}s, corpus $(find "$work" -type f | wc -l) files"
    # shellcheck disable=SC2086
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$bin" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
        -dict="$DICT" -artifact_prefix="$art/" -timeout=10 -rss_limit_mb=2048 \
        $FUZZ_ARGS "$work" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -n 's/.*\(cov: [0-9]*\).*\(ft: [0-9]*\).*/\1 \2/p')
    after=$(find "$art" -type f | wc -l)
    if [ "$rc" -eq 0 ] && [ "$after" -eq "$before" ]; then
        found="nothing found"
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        # shellcheck disable=SC2012 # the newest artifact; names are hashes
        found="FOUND A PROBLEM (exit $rc): $(ls -t "$art" | head -n 1) - see $log"
        status=1
        grep -E 'invariant violated|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY' "$log" | head -n 5
    fi
    summary="$summary
$name: ${execs:-?} executions in ${FUZZ_SECONDS}s, ${cov:-coverage ?}, corpus $(find "$work" -type f | wc -l) files: $found"
done
done

echo "== fuzz summary$summary"
echo "$passed passed, $failed failed"
exit $status
