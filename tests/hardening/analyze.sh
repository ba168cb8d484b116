#!/bin/sh
# make analyze: static analysis and the strict warning build of the library, the POSIX and
# lwIP ports and the CLI. Each step counts as one test; ends with one "N passed, N failed" line.
#   cppcheck (2.10)    --enable=warning,style,performance,portability, every preprocessor
#                      configuration it finds, then the GES_CONFIG_NO_TLS=1 library alone.
#                      -UGES_CONFIG_FILE: that macro names the user's own config header,
#                      which is not in the tree.
#   clang-tidy (14)    the checked-in .clang-tidy, every warning an error; also the
#                      GES_CONFIG_NO_TLS=1 library.
#   clang-format (14)  the checked-in .clang-format: no file of tests/hardening/format.sh's
#                      list would change (`make format` applies it).
#   config ranges      each size macro one past its documented range stops the build with
#                      its #error ("X must be in lo..hi"); the range's ends build.
#   gcc and clang      -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Wcast-qual
#                      -Wstrict-prototypes -Wvla -Werror at -O2 (for the flow-based warnings).
# The lwIP ports (port/lwip: sockets, port/lwip_raw: raw API, NO_SYS with tests/lwip's
# lwipopts.h) are analysed against Debian's liblwip-dev headers (pkg-config lwip), with
# _POSIX_C_SOURCE for the sockets port as in tests/embedded/lwip_host.sh.
# Suppressions: inline only (cppcheck-suppress ID / NOLINT(check)), each with its reason, or
# in tests/cppcheck.supp (if present) with a reason beside each line.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/count.sh
trap 'hard_cleanup' EXIT

SRC="ges_job.c $(ls port/posix/*.c examples/*.c)"
INC="-I. -Iport/posix"
STRICT_WARN="-Wall -Wextra -Wpedantic -Wconversion -Wshadow -Wcast-qual -Wstrict-prototypes -Wvla -Werror"
CPPCHECK_OPTS="--enable=warning,style,performance,portability --std=c99 --inline-suppr --error-exitcode=1 --quiet -UGES_CONFIG_FILE"
[ -f tests/cppcheck.supp ] && CPPCHECK_OPTS="$CPPCHECK_OPTS --suppressions-list=tests/cppcheck.supp"
LWIP_INC=$(pkg-config --cflags lwip 2>/dev/null || echo -I/usr/include/lwip)
# Each lwIP port: its source, then its flags.
LWIP_SOCK="port/lwip/ges_port_lwip.c -D_POSIX_C_SOURCE=200809L -I. $LWIP_INC"
LWIP_RAW="port/lwip_raw/ges_port_lwip_raw.c -I. -Itests/lwip $LWIP_INC"

step() {   # step NAME COMMAND...: one test, passed iff COMMAND exits 0
    name=$1; shift
    echo "== $name"
    echo "\$ $*"
    "$@"
    hard_check "$name" $?
}

# shellcheck disable=SC2086
step "cppcheck $(cppcheck --version 2>/dev/null | sed 's/Cppcheck //')" \
    cppcheck $CPPCHECK_OPTS $INC $SRC
# shellcheck disable=SC2086
step "cppcheck, GES_CONFIG_NO_TLS=1" \
    cppcheck $CPPCHECK_OPTS $INC -DGES_CONFIG_NO_TLS=1 ges_job.c
# shellcheck disable=SC2086
step "cppcheck, port/lwip (lwIP sockets)" cppcheck $CPPCHECK_OPTS $LWIP_SOCK
# shellcheck disable=SC2086
step "cppcheck, port/lwip_raw (lwIP raw API)" cppcheck $CPPCHECK_OPTS $LWIP_RAW
# shellcheck disable=SC2086
step "clang-tidy $(clang-tidy --version 2>/dev/null | sed -n 's/.*LLVM version //p')" \
    clang-tidy --quiet --warnings-as-errors='*' $SRC -- -std=c99 $INC
# shellcheck disable=SC2086
step "clang-tidy, GES_CONFIG_NO_TLS=1" \
    clang-tidy --quiet --warnings-as-errors='*' ges_job.c -- -std=c99 $INC -DGES_CONFIG_NO_TLS=1
for port in "$LWIP_SOCK" "$LWIP_RAW"; do
    # shellcheck disable=SC2086
    set -- $port
    f=$1; shift
    step "clang-tidy, $(dirname "$f")" clang-tidy --quiet --warnings-as-errors='*' "$f" -- -std=c99 "$@"
done

step "clang-format $(clang-format --version 2>/dev/null | sed -n 's/.*version //p')" \
    sh tests/hardening/format.sh --check

ok=0
for r in GES_ID_MAX:8:1024 GES_STATUS_MAX:16:256 GES_NAME_MAX:8:4096 GES_TIME_MAX:19:64 \
    GES_CODE_MAX:8:256 GES_TEXT_MAX:8:65535 GES_PATH_MAX:8:65535 GES_CAUSE_MAX:8:65535 \
    GES_PATHS_MAX:0:1024 GES_JSON_MAX_TOKENS:3:1024 GES_JSON_MAX_DEPTH:4:64 \
    GES_IO_BUF_MIN:64:65536 GES_HTTP_HEADERS_MAX:256:1048576 GES_BODY_MAX:1024:2147483647 \
    GES_CODING_MAX:8:64 GES_HOST_MAX:16:253 GES_WAIT_SLICE_MS:1:1000; do
    m=${r%%:*} lo=${r#*:} hi=${r##*:}
    lo=${lo%%:*}
    for v in $((lo - 1)) $((hi + 1)); do
        # shellcheck disable=SC2086
        cc -std=c99 $INC "-D$m=$v" -fsyntax-only ges_job.c 2>&1 | grep -Eq "${m}[^\"]*must be in" ||
            { echo "FAIL $m=$v: the build did not stop with its #error"; ok=1; }
    done
    for v in "$lo" "$hi"; do
        # shellcheck disable=SC2086
        cc -std=c99 $INC "-D$m=$v" -fsyntax-only ges_job.c || { echo "FAIL $m=$v: the build stopped"; ok=1; }
    done
done
hard_check "config ranges: one past each end stops the build, the ends build" $ok

for cc in gcc clang; do
    ok=0
    echo "== $cc strict warnings"
    echo "\$ $cc -std=c99 $STRICT_WARN -O2 $INC -c FILE -o /dev/null (and the lwIP ports)"
    for f in $SRC; do
        # shellcheck disable=SC2086
        $cc -std=c99 $STRICT_WARN -O2 $INC -c "$f" -o /dev/null || ok=1
    done
    # shellcheck disable=SC2086
    $cc -std=c99 $STRICT_WARN -O2 $INC -DGES_CONFIG_NO_TLS=1 -c ges_job.c -o /dev/null || ok=1
    for port in "$LWIP_SOCK" "$LWIP_SOCK -DLWIP_DNS=1" "$LWIP_SOCK -DGES_CONFIG_NO_TLS=1" "$LWIP_RAW"; do
        # shellcheck disable=SC2086
        $cc -std=c99 $STRICT_WARN -O2 -c $port -o /dev/null || ok=1
    done
    hard_check "$cc: warning-free with $STRICT_WARN" $ok
done

# The headers from C++: tests/test_cxx.cpp (which make test links and runs with
# g++) compiles with both compilers, C++98 and C++11, with and without TLS.
for cxx in g++ clang++; do
    ok=0
    nll=-Wno-long-long
    [ "$cxx" = clang++ ] && nll=-Wno-c++11-long-long
    for std in c++98 c++11; do
        for defs in "" -DGES_CONFIG_NO_TLS=1; do
            # shellcheck disable=SC2086
            $cxx -std=$std -Wall -Wextra -Wpedantic -Werror $nll $INC -Iport/lwip -Itests $defs \
                -fsyntax-only tests/test_cxx.cpp || ok=1
        done
    done
    hard_check "$cxx: tests/test_cxx.cpp (the headers) compiles as C++98 and C++11" $ok
done
hard_total
