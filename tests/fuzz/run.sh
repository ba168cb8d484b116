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
# written. Crashes go to $FUZZ_OUT/artifacts/<name>/.
#
# Environment:
#   FUZZ_SECONDS  seconds per harness (default 60; CI: 30)
#   FUZZ_OUT      build and work directory (default build/fuzz)
#   FUZZ_CFLAGS   extra compiler flags (e.g. -DFZ_LENIENT_NULL_NUMBERS)
#   FUZZ_ARGS     extra libFuzzer flags (e.g. -max_len=8192 -jobs=2)
#   CLANG         compiler (default clang)
#
# Prints, per harness, the executions libFuzzer ran (stat::number_of_
# executed_units) and whether it found anything; exits non-zero when a
# harness failed to build or found a crash, leak, timeout or OOM.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 2

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
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

for h in $harnesses; do
    src=tests/fuzz/fuzz_$h.c
    bin=$FUZZ_OUT/fuzz_$h
    work=$FUZZ_OUT/corpus/$h
    art=$FUZZ_OUT/artifacts/$h
    log=$FUZZ_OUT/fuzz_$h.log
    if [ ! -f "$src" ]; then
        echo "run.sh: no harness $src" >&2
        status=1
        continue
    fi
    echo "== fuzz_$h: build"
    # shellcheck disable=SC2086
    if ! "$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined \
        -fno-sanitize-recover=all -I. -Iport/posix $FUZZ_CFLAGS "$src" \
        -lmbedtls -lmbedx509 -lmbedcrypto -o "$bin"; then
        summary="$summary
fuzz_$h: BUILD FAILED"
        status=1
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
    before=$(ls "$art" | wc -l)
    echo "== fuzz_$h: ${FUZZ_SECONDS}s, corpus $(ls "$work" | wc -l) files"
    # shellcheck disable=SC2086
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$bin" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
        -dict="$DICT" -artifact_prefix="$art/" -timeout=10 -rss_limit_mb=2048 \
        $FUZZ_ARGS "$work" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -n 's/.*\(cov: [0-9]*\).*\(ft: [0-9]*\).*/\1 \2/p')
    after=$(ls "$art" | wc -l)
    if [ "$rc" -eq 0 ] && [ "$after" -eq "$before" ]; then
        found="nothing found"
    else
        found="FOUND A PROBLEM (exit $rc): $(ls -t "$art" | head -n 1) - see $log"
        status=1
        grep -E 'invariant violated|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY' "$log" | head -n 5
    fi
    summary="$summary
fuzz_$h: ${execs:-?} executions in ${FUZZ_SECONDS}s, ${cov:-coverage ?}, corpus $(ls "$work" | wc -l) files: $found"
done

echo "== fuzz summary$summary"
exit $status
