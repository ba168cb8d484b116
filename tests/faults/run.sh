#!/bin/sh
# tests/faults/run.sh - fault injection and soak (issue 13, item 4); the
# recipes of tests/mk/faults.mk. Ends with one "N passed, N failed" line
# (tests/count.sh: each step's own count summed).
#
#   sh tests/faults/run.sh ci [B]     test_faults under ASan+UBSan (clang),
#                                     allocation faults sampled
#                                     (--alloc-every 1000), then the short
#                                     soak (2,000 polls, 100 reconnects)
#   sh tests/faults/run.sh full [B]   test_faults with every N of every kind,
#                                     allocation faults included (cc -O2, no
#                                     sanitizer; 2.28.3: about 54,000 runs,
#                                     30 min or more; 3.6.6: about 19,000)
#   sh tests/faults/run.sh soak [B]   the full soak: 100,000 kept-alive
#                                     polls and 2,000 reconnects
#
# test_faults is built against mbedTLS 2.28.3 and 3.6.6 from Debian's source
# with the "test" config (tests/mbedtls/build.sh; MBEDTLS_PLATFORM_MEMORY, so
# the counting allocator of ges_port_t.tls_calloc is used), cached in
# build/mbedtls-VERSION-host (CI's mbedTLS step has built 3.6.6 already).
# The soak program uses Debian's libmbedtls (as the CLI does): its heap is
# read with mallinfo2, so it is built without sanitizers.
# Environment: CC (full, soak; default cc), FAULTS_CC (ci; default clang),
# PYTHON (default python3), FAULTS_MBEDTLS (default "2.28.3 3.6.6").
set -u
MODE=${1:-ci}
B=${2:-build}
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/count.sh
. tests/count.sh
trap 'hard_cleanup' EXIT
PY=${PYTHON:-python3}
OUT=$B/faults
mkdir -p "$OUT" "$B/bench"
WARN="-std=c99 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes -Wvla"
SAN="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

# build_faults VERSION CC FLAGS... -> $OUT/test_faults-VERSION (0 on success)
build_faults() {
    v=$1
    fcc=$2
    shift 2
    env_out=$OUT/mbedtls-$v.env
    if ! bash tests/mbedtls/build.sh "$v" host test >"$env_out" 2>"$OUT/mbedtls-$v.log"; then
        tail -n 20 "$OUT/mbedtls-$v.log"
        return 1
    fi
    inc=$(sed -n 's/^MBEDTLS_INC=//p' "$env_out")
    cfg=$(sed -n 's/^MBEDTLS_CONFIG=//p' "$env_out")
    lib=$(sed -n 's/^MBEDTLS_LIB=//p' "$env_out")
    # shellcheck disable=SC2086
    $fcc $WARN "$@" -I"$inc" -DMBEDTLS_CONFIG_FILE="\"$cfg\"" -I. -Iport/posix \
        tests/faults/test_faults.c "$lib/libmbedtls.a" "$lib/libmbedx509.a" \
        "$lib/libmbedcrypto.a" -lpthread -o "$OUT/test_faults-$v"
}

build_soak() {
    make --no-print-directory -s B="$B" "$B/libges_job.a" || return 1
    # shellcheck disable=SC2086
    ${CC:-cc} $WARN -O2 -g -I. -Iport/posix -Itests/bench tests/bench/soak.c \
        "$B/libges_job.a" -lmbedtls -lmbedx509 -lmbedcrypto -o "$B/bench/soak"
}

# Sanitizer reports go to files (as tests/hardening/asan.sh): none may appear.
san_run() { # san_run NAME VERSION ARGS...
    name=$1
    v=$2
    shift 2
    logdir=$(mktemp -d "${TMPDIR:-/tmp}/ges_faults_san.XXXXXX")
    ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:exitcode=86:log_path=$logdir/asan" \
        UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=87:log_path=$logdir/ubsan" \
        LSAN_OPTIONS="exitcode=86" hard_run "$name" "$OUT/test_faults-$v" "$@"
    reports=$(find "$logdir" -type f | wc -l)
    [ "$reports" -eq 0 ] || cat "$logdir"/*
    hard_check "no ASan/UBSan/LSan report ($reports report files)" "$reports"
    rm -rf "$logdir"
}

case "$MODE" in
ci)
    for v in ${FAULTS_MBEDTLS:-2.28.3 3.6.6}; do
        # shellcheck disable=SC2086
        if build_faults "$v" "${FAULTS_CC:-clang}" $SAN; then
            san_run "fault injection, mbedTLS $v, ASan+UBSan (allocation faults sampled)" "$v" \
                --alloc-every 1000
        else
            hard_check "build test_faults against mbedTLS $v" 1
        fi
    done
    if build_soak; then
        hard_run "soak, short (2,000 polls, 100 reconnects)" "$PY" tests/bench/soak.py \
            --bin "$B/bench/soak" --polls 2000 --reconnects 100 --timeout 300
    else
        hard_check "build the soak program" 1
    fi
    ;;
full)
    for v in ${FAULTS_MBEDTLS:-2.28.3 3.6.6}; do
        if build_faults "$v" "${CC:-cc}" -O2 -g; then
            hard_run "fault injection, mbedTLS $v, every N" "$OUT/test_faults-$v"
        else
            hard_check "build test_faults against mbedTLS $v" 1
        fi
    done
    ;;
soak)
    if build_soak; then
        hard_run "soak (100,000 polls, 2,000 reconnects)" "$PY" tests/bench/soak.py \
            --bin "$B/bench/soak" --polls 100000 --reconnects 2000
    else
        hard_check "build the soak program" 1
    fi
    ;;
*)
    echo "usage: $0 ci|full|soak [BUILD_DIR]" >&2
    echo "0 passed, 1 failed"
    exit 2
    ;;
esac
hard_total
