#!/usr/bin/env bash
# tests/mbedtls/build.sh - build mbedTLS from Debian's source package, with our
# own configuration, into build/ (never into the source tree of this repo).
#
#   tests/mbedtls/build.sh VERSION [TARGET] [CONFIG]
#
#   VERSION  2.28.3 | 3.6.6        (Debian source versions 2.28.3-1 and
#                                   3.6.6-0.1~deb13u1)
#   TARGET   host (default) | armhf | cortex-m4
#            armhf: arm-linux-gnueabihf-gcc (32-bit ARM Linux; tests run
#            under qemu-arm: ILP32 RAM figures close to a Cortex-M's).
#            cortex-m4: arm-none-eabi-gcc, library only.
#   CONFIG   test | ges
#            test: the stock default config of that version plus
#                  MBEDTLS_PLATFORM_MEMORY and MBEDTLS_MEMORY_BUFFER_ALLOC_C
#                  (3.6.6 keeps its default TLS 1.3); host only. The default
#                  on host.
#            ges:  port/mbedtls_config_ges.h, our minimal GES client config
#                  (one file for both versions). The default on cortex-m4.
#
# Output: build/mbedtls-VERSION-TARGET/        (host/armhf + test config, cortex-m4)
#         build/mbedtls-VERSION-TARGET-ges/    (host/armhf + ges config)
#   include/   the headers of that version
#   lib/       libmbedtls.a libmbedx509.a libmbedcrypto.a
#   config/    the config header (test config: generated from the stock one)
#   env.sh     MBEDTLS_VERSION/DIR/INC/LIB/CONFIG (below), for `. env.sh`
# A build whose three .a files exist and whose recorded inputs (version,
# target, flags, config header contents) are unchanged is skipped.
#
# Last lines on stdout, for a Makefile or script (paths are absolute and
# contain no spaces; the script refuses a tree whose path has any):
#   MBEDTLS_VERSION=3.6.6
#   MBEDTLS_DIR=/abs/build/mbedtls-3.6.6-host
#   MBEDTLS_INC=/abs/build/mbedtls-3.6.6-host/include
#   MBEDTLS_LIB=/abs/build/mbedtls-3.6.6-host/lib
#   MBEDTLS_CONFIG=/abs/.../config.h       (these five are also in env.sh)
#   MBEDTLS_CFLAGS=-I/abs/.../include -DMBEDTLS_CONFIG_FILE='"/abs/.../config.h"'
#   MBEDTLS_LIBS=/abs/.../lib/libmbedtls.a /abs/.../lib/libmbedx509.a /abs/.../lib/libmbedcrypto.a
#
# Sources: `apt-get source --download-only` into build/mbedtls-src/ (needs a
# deb-src entry: added to /etc/apt/sources.list.d/ges-mbedtls-src.sources
# when missing, with the URI and keyring of the Debian binary entry; needs
# root or sudo), then `dpkg-source -x`. Nothing downloaded is ever committed
# (build/ is ignored by git).
#
# Environment: JOBS (default 2), ARM_CC (default arm-none-eabi-gcc).
set -euo pipefail

usage() {
    echo "usage: $0 2.28.3|3.6.6 [host|armhf|cortex-m4] [test|ges]" >&2
    exit 2
}

VERSION=${1:-}
TARGET=${2:-host}
case "$VERSION" in
2.28.3) DEBVER=2.28.3-1 ;;
3.6.6) DEBVER=3.6.6-0.1~deb13u1 ;;
*) usage ;;
esac
case "$TARGET" in
host | armhf) CONFIG=${3:-test} ;;
cortex-m4) CONFIG=${3:-ges} ;;
*) usage ;;
esac
case "$CONFIG" in
test | ges) ;;
*) usage ;;
esac
if [ "$TARGET" = cortex-m4 ] && [ "$CONFIG" = test ]; then
    echo "build.sh: the stock config needs sockets, files and an OS clock;" \
        "cortex-m4 builds use the ges config only" >&2
    exit 2
fi

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
case "$ROOT" in *" "*)
    echo "build.sh: the tree's path contains a space: $ROOT" >&2
    exit 2
    ;;
esac
JOBS=${JOBS:-2}
ARM_CC=${ARM_CC:-arm-none-eabi-gcc}
SRCROOT=$ROOT/build/mbedtls-src
SRC=$SRCROOT/mbedtls-$VERSION
OUT=$ROOT/build/mbedtls-$VERSION-$TARGET
[ "$TARGET" != cortex-m4 ] && [ "$CONFIG" = ges ] && OUT=$OUT-ges

log() { echo "build.sh: $*" >&2; }

SUDO=
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=sudo
    fi
fi
as_root() {
    if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
        log "needs root or sudo for: $*"
        exit 1
    fi
    $SUDO "$@"
}

# Install the Debian packages this build needs, if their command is missing.
need() { # need COMMAND PACKAGE...
    local cmd=$1
    shift
    command -v "$cmd" >/dev/null 2>&1 && return 0
    log "installing $* (for $cmd)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends "$@" >&2 ||
        { as_root apt-get update -q >&2 && as_root env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -q --no-install-recommends "$@" >&2; }
    command -v "$cmd" >/dev/null 2>&1 || { log "$cmd still missing"; exit 1; }
}

. "$ROOT/tests/debian_entry.sh" # debian_source_download: the .dsc through a deb-src entry

fetch_source() {
    [ -f "$SRC/.ges-extracted" ] && return 0
    mkdir -p "$SRCROOT"
    need dpkg-source dpkg-dev
    local dsc
    dsc=$SRCROOT/mbedtls_$DEBVER.dsc
    if [ ! -f "$dsc" ]; then
        debian_source_download mbedtls "$DEBVER" "$SRCROOT"
    fi
    rm -rf "$SRC"
    # A gpgv "No public key" warning from dpkg-source is harmless.
    (cd "$SRCROOT" && dpkg-source -x "$dsc" "$SRC" >&2)
    touch "$SRC/.ges-extracted"
}

# ---------------------------------------------------------------------------
# Lock: one fetch/build of a given output at a time (parallel runs are safe).
mkdir -p "$ROOT/build"
exec 9>"$ROOT/build/.mbedtls-build.lock"
flock 9

if [ "$TARGET" = host ]; then
    CC_USED=${CC:-cc}
    CFLAGS_USED="-O2 -g"
    need "$CC_USED" gcc
elif [ "$TARGET" = armhf ]; then
    CC_USED=arm-linux-gnueabihf-gcc
    CFLAGS_USED="-O2 -g"
    need "$CC_USED" gcc-arm-linux-gnueabihf libc6-dev-armhf-cross
else
    CC_USED=$ARM_CC
    CFLAGS_USED="-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -Os -ffunction-sections -fdata-sections"
    need "$ARM_CC" gcc-arm-none-eabi libnewlib-arm-none-eabi
fi
CCDIR=$(dirname "$(command -v "$CC_USED")")
AR_USED="ar"
[ "$TARGET" = cortex-m4 ] && AR_USED=$CCDIR/arm-none-eabi-ar
[ "$TARGET" = armhf ] && AR_USED=$CCDIR/arm-linux-gnueabihf-ar

if [ "$CONFIG" = ges ]; then
    CFG_SRC=$ROOT/port/mbedtls_config_ges.h
    [ -f "$CFG_SRC" ] || { log "missing $CFG_SRC"; exit 1; }
    CFG_HASH=$(sha256sum "$CFG_SRC" | cut -d' ' -f1)
else
    CFG_SRC=stock
    CFG_HASH=stock+PLATFORM_MEMORY+MEMORY_BUFFER_ALLOC_C+THREADING_PTHREAD
fi
STAMP="version=$VERSION target=$TARGET config=$CONFIG cfg=$CFG_HASH cc=$CC_USED cflags=$CFLAGS_USED"

print_env() {
    local cfg=$1
    {
        echo "MBEDTLS_VERSION=$VERSION"
        echo "MBEDTLS_DIR=$OUT"
        echo "MBEDTLS_INC=$OUT/include"
        echo "MBEDTLS_LIB=$OUT/lib"
        echo "MBEDTLS_CONFIG=$cfg"
    } >"$OUT/env.sh"
    cat "$OUT/env.sh"
    echo "MBEDTLS_CFLAGS=-I$OUT/include -DMBEDTLS_CONFIG_FILE='\"$cfg\"'"
    echo "MBEDTLS_LIBS=$OUT/lib/libmbedtls.a $OUT/lib/libmbedx509.a $OUT/lib/libmbedcrypto.a"
}

CFG_FILE=$CFG_SRC
[ "$CONFIG" = test ] && CFG_FILE=$OUT/config/mbedtls_config_test.h

if [ -f "$OUT/lib/libmbedtls.a" ] && [ -f "$OUT/lib/libmbedx509.a" ] &&
    [ -f "$OUT/lib/libmbedcrypto.a" ] && [ -f "$OUT/stamp" ] &&
    [ "$(cat "$OUT/stamp")" = "$STAMP" ]; then
    log "mbedTLS $VERSION ($TARGET, $CONFIG config) is built already: $OUT"
    print_env "$CFG_FILE"
    exit 0
fi

fetch_source
rm -rf "$OUT"
mkdir -p "$OUT/lib" "$OUT/config"
t0=$(date +%s)

if [ "$CONFIG" = test ]; then
    need python3 python3
    if [ "$VERSION" = 2.28.3 ]; then
        cp "$SRC/include/mbedtls/config.h" "$CFG_FILE"
    else
        cp "$SRC/include/mbedtls/mbedtls_config.h" "$CFG_FILE"
    fi
    python3 "$SRC/scripts/config.py" -f "$CFG_FILE" set MBEDTLS_PLATFORM_MEMORY
    python3 "$SRC/scripts/config.py" -f "$CFG_FILE" set MBEDTLS_MEMORY_BUFFER_ALLOC_C
    if [ "$TARGET" != cortex-m4 ]; then
        # test_client runs two clients in two threads: with 3.x, PSA's key
        # store is process-wide and needs mbedTLS's own locking (as Debian's
        # package has it; ges_job.h says so).
        python3 "$SRC/scripts/config.py" -f "$CFG_FILE" set MBEDTLS_THREADING_C
        python3 "$SRC/scripts/config.py" -f "$CFG_FILE" set MBEDTLS_THREADING_PTHREAD
    fi
else
    cp "$CFG_SRC" "$OUT/config/mbedtls_config_ges.h.used" # what was built, for reference
fi

if [ "$VERSION" = 2.28.3 ]; then
    # The Makefile builds in place: build in a copy of what the library needs.
    mkdir -p "$OUT/work"
    cp -a "$SRC/include" "$SRC/library" "$SRC/3rdparty" "$OUT/work/"
    log "building mbedTLS $VERSION ($TARGET, $CONFIG config) with make"
    make -C "$OUT/work/library" -j"$JOBS" -s CC="$CC_USED" AR="$AR_USED" \
        CFLAGS="$CFLAGS_USED -DMBEDTLS_CONFIG_FILE='\"$CFG_FILE\"'" \
        libmbedcrypto.a libmbedx509.a libmbedtls.a >"$OUT/make.log" 2>&1 ||
        { tail -n 60 "$OUT/make.log" >&2; exit 1; }
    cp "$OUT/work/library/libmbedtls.a" "$OUT/work/library/libmbedx509.a" \
        "$OUT/work/library/libmbedcrypto.a" "$OUT/lib/"
    rm -rf "$OUT/work"
else
    need cmake cmake
    log "building mbedTLS $VERSION ($TARGET, $CONFIG config) with CMake"
    cross=()
    if [ "$TARGET" = cortex-m4 ]; then
        cross=(-DCMAKE_SYSTEM_NAME=Generic -DCMAKE_SYSTEM_PROCESSOR=arm
            -DCMAKE_TRY_COMPILE_TARGET_TYPE=STATIC_LIBRARY
            -DCMAKE_C_COMPILER="$CC_USED" -DCMAKE_AR="$AR_USED"
            -DCMAKE_BUILD_TYPE=None)
    elif [ "$TARGET" = armhf ]; then
        cross=(-DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=arm
            -DCMAKE_C_COMPILER="$CC_USED" -DCMAKE_AR="$AR_USED"
            -DCMAKE_BUILD_TYPE=None)
    else
        cross=(-DCMAKE_C_COMPILER="$CC_USED" -DCMAKE_BUILD_TYPE=None)
    fi
    cmake -S "$SRC" -B "$OUT/cmake" -G "Unix Makefiles" \
        -DENABLE_TESTING=OFF -DENABLE_PROGRAMS=OFF -DGEN_FILES=OFF \
        -DUSE_SHARED_MBEDTLS_LIBRARY=OFF -DUSE_STATIC_MBEDTLS_LIBRARY=ON \
        -DDISABLE_PACKAGE_CONFIG_AND_INSTALL=ON \
        -DMBEDTLS_CONFIG_FILE="$CFG_FILE" \
        -DCMAKE_C_FLAGS="$CFLAGS_USED" "${cross[@]}" >"$OUT/cmake.log" 2>&1 ||
        { cat "$OUT/cmake.log" >&2; exit 1; }
    cmake --build "$OUT/cmake" -j "$JOBS" >>"$OUT/cmake.log" 2>&1 ||
        { tail -n 60 "$OUT/cmake.log" >&2; exit 1; }
    cp "$OUT/cmake/library/libmbedtls.a" "$OUT/cmake/library/libmbedx509.a" \
        "$OUT/cmake/library/libmbedcrypto.a" "$OUT/lib/"
    rm -rf "$OUT/cmake"
fi
cp -a "$SRC/include" "$OUT/include"
echo "$STAMP" >"$OUT/stamp"
log "built mbedTLS $VERSION ($TARGET, $CONFIG config) in $(($(date +%s) - t0)) s: $OUT"
print_env "$CFG_FILE"
