#!/bin/sh
# tests/embedded/armhf.sh - `make test-armhf`: the parse, HTTP, wait,
# signing and CLI (option parsing, escaping) unit tests cross-compiled for
# 32-bit ARM Linux (arm-linux-gnueabihf-gcc: ILP32, so `long` is 32 bits,
# and `char` is UNSIGNED there) and run under qemu-user. Debian's libmbedtls-dev:armhf provides mbedTLS; the
# cross compiler finds /usr/include/jsmn.h and /usr/include/mbedtls itself.
#
#   sh tests/embedded/armhf.sh [BUILD_DIR]
#
# Each test is built and run in the background (two at a time is what two
# cores give; the parse suite is the long one under emulation), then the
# logs are printed in order. Last line: the sum of the suites'
# "N passed, N failed"; a suite that does not build, crashes or prints no
# count adds one failure.
# Environment: ARMHF_CC (arm-linux-gnueabihf-gcc), QEMU_ARM (qemu-arm),
# ARMHF_SYSROOT (/usr/arm-linux-gnueabihf), CSTD, WARN, LDLIBS.
set -u

B=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
ARMHF_CC=${ARMHF_CC:-arm-linux-gnueabihf-gcc}
QEMU_ARM=${QEMU_ARM:-qemu-arm}
ARMHF_SYSROOT=${ARMHF_SYSROOT:-/usr/arm-linux-gnueabihf}
CSTD=${CSTD:--std=c99}
WARN=${WARN:--Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes -Wvla}
LDLIBS=${LDLIBS:--lmbedtls -lmbedx509 -lmbedcrypto}

D=$B/embedded/armhf
mkdir -p "$D"
F="$CSTD $WARN -O2 -g -I. -Iport/posix"

if "$ARMHF_CC" -dM -E - </dev/null | grep -q '__CHAR_UNSIGNED__'; then
    echo "== $("$ARMHF_CC" -dumpmachine) $("$ARMHF_CC" -dumpversion): char is unsigned"
else
    echo "== $("$ARMHF_CC" -dumpmachine): char is SIGNED here (expected unsigned)"
fi

# suite NAME SOURCES...: build then run under qemu, output to $D/NAME.log,
# exit status to $D/NAME.rc.
suite() {
    name=$1
    shift
    {
        # shellcheck disable=SC2086
        if "$ARMHF_CC" $F "$@" $LDLIBS -lm -o "$D/$name"; then
            timeout 300 "$QEMU_ARM" -L "$ARMHF_SYSROOT" "$D/$name"
        else
            echo "$name: build failed"
            false
        fi
    } >"$D/$name.log" 2>&1
    echo $? >"$D/$name.rc"
}

# Longest first, two at a time. GES_ASSERT is assert() in the suites (in
# test_parse's ges_job.c through -include); qemu-user kills a forked child
# that aborts with SIGSEGV, so test_http checks its asserts without fork.
suite test_parse -include tests/assert_on.h tests/test_parse.c ges_job.c &
p1=$!
suite test_http -DGES_TEST_NO_FORK_DEATH tests/test_http.c &
p2=$!
wait $p2
suite test_wait tests/test_wait.c &
p2=$!
wait $p2
suite test_sign tests/test_sign.c &
p2=$!
wait $p2
suite test_cli tests/test_cli.c ges_job.c port/posix/ges_port_posix.c &
p2=$!
wait $p2
wait $p1

# The suites' logs and exit statuses, summed by tests/count.sh.
. tests/count.sh
for name in test_parse test_http test_wait test_sign test_cli; do
    # shellcheck disable=SC2016 # $1 and $2 are the inner shell's
    hard_run "$name (armhf, qemu-user)" \
        sh -c 'cat "$1"; exit "$(cat "$2" 2>/dev/null || echo 1)"' _ "$D/$name.log" "$D/$name.rc"
done
hard_total
