#!/bin/sh
# tests/firmware/build.sh - build the test firmware for QEMU's mps2-an386
# (Cortex-M4F): BUILD_DIR/firmware/ges_fw.elf, and the unit-suite images
# (parse, http, wait, sign, stream) BUILD_DIR/firmware/test_*.elf.
#
#   sh tests/firmware/build.sh [BUILD_DIR]           (default: build)
#
# Pieces, each cached under BUILD_DIR so a rerun only relinks:
#   mbedTLS 2.28.3   tests/mbedtls/build.sh 2.28.3 cortex-m4 ges (Debian's
#                    source package, port/mbedtls_config_ges.h: with
#                    MBEDTLS_MEMORY_BUFFER_ALLOC_C, the firmware gives it a
#                    static pool)
#   lwIP 2.1.3       tests/lwip/fetch.sh (Debian's source package), built
#                    here with tests/firmware/lwipopts.h into liblwip.a
#   ours             ges_job.c, the lwIP raw-API port, the LAN9118 driver,
#                    startup/board code and the test program: -std=c99
#                    -Wall -Wextra -Wpedantic -Werror (lwIP and mbedTLS are
#                    third-party code and get relaxed flags)
# The image is linked with newlib-nano's string functions only: no stdio,
# no syscalls, no heap. The link fails if malloc or any of its relatives is
# in the image (checked on the symbol table after linking too).
#
# Environment: ARM_CC (arm-none-eabi-gcc), JOBS (2), LWIP_SRC (an
# extracted lwIP tree, instead of tests/lwip/fetch.sh).
# Flag lists are split on purpose:
# shellcheck disable=SC2086
set -eu

B=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
case "$B" in /*) ;; *) B=$ROOT/$B ;; esac
ARM_CC=${ARM_CC:-arm-none-eabi-gcc}
ARM_AR=${ARM_AR:-arm-none-eabi-ar}
ARM_NM=${ARM_NM:-arm-none-eabi-nm}
JOBS=${JOBS:-2}
F=tests/firmware
D=$B/firmware
mkdir -p "$D/obj" "$D/inc-jsmn"
log() { echo "firmware build: $*" >&2; }

CPU="-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"
BASE="$CPU -Os -g -ffunction-sections -fdata-sections"
STRICT="-std=c99 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes -Wvla"

# --- mbedTLS --------------------------------------------------------------
bash tests/mbedtls/build.sh 2.28.3 cortex-m4 ges >"$D/mbedtls-env.txt"
MBEDTLS_INC=$(sed -n 's/^MBEDTLS_INC=//p' "$D/mbedtls-env.txt")
MBEDTLS_LIB=$(sed -n 's/^MBEDTLS_LIB=//p' "$D/mbedtls-env.txt")
MBEDTLS_CONFIG=$(sed -n 's/^MBEDTLS_CONFIG=//p' "$D/mbedtls-env.txt")
MBED_CFLAGS="-isystem $MBEDTLS_INC -DMBEDTLS_CONFIG_FILE=\"$MBEDTLS_CONFIG\""
MBED_LIBS="$MBEDTLS_LIB/libmbedtls.a $MBEDTLS_LIB/libmbedx509.a $MBEDTLS_LIB/libmbedcrypto.a"

# jsmn from Debian's libjsmn-dev, through a folder of its own (never
# -I/usr/include, which would put glibc's headers before newlib's).
ln -sf /usr/include/jsmn.h "$D/inc-jsmn/jsmn.h"

# --- lwIP -----------------------------------------------------------------
if [ -z "${LWIP_SRC:-}" ]; then
    LWIP_SRC=$(sh tests/lwip/fetch.sh "$B" | tail -n 1)
fi
[ -f "$LWIP_SRC/src/core/tcp.c" ] || { log "no lwIP tree at $LWIP_SRC"; exit 1; }
LWIP_INC="-I$F -isystem $LWIP_SRC/src/include"
LWIP_FILES="core/init.c core/def.c core/inet_chksum.c core/ip.c core/mem.c core/memp.c
  core/netif.c core/pbuf.c core/tcp.c core/tcp_in.c core/tcp_out.c core/timeouts.c
  core/ipv4/etharp.c core/ipv4/icmp.c core/ipv4/ip4.c core/ipv4/ip4_addr.c
  core/ipv4/ip4_frag.c netif/ethernet.c"
LWIP_FLAGS="$BASE -std=gnu99 -w $LWIP_INC"
LWIP_STAMP="$LWIP_SRC $ARM_CC $LWIP_FLAGS $(cat $F/lwipopts.h $F/arch/cc.h | sha256sum)"
LW=$D/lwip
if [ ! -f "$LW/liblwip.a" ] || [ "$(cat "$LW/stamp" 2>/dev/null)" != "$LWIP_STAMP" ]; then
    log "building lwIP from $LWIP_SRC"
    rm -rf "$LW"
    mkdir -p "$LW"
    for f in $LWIP_FILES; do echo "$f"; done |
        xargs -P "$JOBS" -I{} sh -c 'o=$0/$(echo {} | tr / _ | sed "s/\.c$/.o/"); '"$ARM_CC"' '"$LWIP_FLAGS"' -c "$1/src/{}" -o "$o"' "$LW" "$LWIP_SRC"
    $ARM_AR rcs "$LW/liblwip.a" "$LW"/*.o
    echo "$LWIP_STAMP" >"$LW/stamp"
fi

# --- Our code ---------------------------------------------------------------
PORT_DIR=${GES_FW_PORT_DIR:-port/lwip_raw}
INC="-I. -I$F -I$PORT_DIR -isystem $D/inc-jsmn $MBED_CFLAGS $LWIP_INC"
cc_ours() { # cc_ours OUT SRC [EXTRA...]
    out=$1 src=$2
    shift 2
    $ARM_CC $BASE $STRICT $INC "$@" -c "$src" -o "$out"
}
cc_ours "$D/obj/ges_job.o" ges_job.c -Wconversion -Wcast-qual
cc_ours "$D/obj/board.o" $F/board.c
cc_ours "$D/obj/lan9118.o" $F/lan9118.c
cc_ours "$D/obj/fw_entropy.o" $F/fw_entropy.c
cc_ours "$D/obj/fw_main.o" $F/fw_main.c
PORT_OBJS=""
cc_ours "$D/obj/ges_port_lwip_raw.o" "$PORT_DIR/ges_port_lwip_raw.c" -Wconversion -Wcast-qual
PORT_OBJS="$D/obj/ges_port_lwip_raw.o"

# --- Link -------------------------------------------------------------------
# No startup files, no syscalls library: anything that needs _sbrk (malloc),
# _write (stdio) or the like fails to link. newlib-nano gives mem*/str*.
# The pool's allocator is installed through a wrapped call (fw_main.c
# watches it for the high-water mark).
LINK="$CPU -nostartfiles -T $F/mps2_an386.ld -Wl,--gc-sections --specs=nano.specs"
LINK="$LINK -Wl,--wrap=mbedtls_platform_set_calloc_free -Wl,--wrap=calloc,--wrap=free,--wrap=exit"
$ARM_CC $LINK -Wl,-Map="$D/ges_fw.map" -o "$D/ges_fw.elf" \
    "$D/obj/fw_main.o" "$D/obj/board.o" "$D/obj/lan9118.o" "$D/obj/fw_entropy.o" \
    $PORT_OBJS "$D/obj/ges_job.o" "$LW/liblwip.a" $MBED_LIBS -lc -lgcc
bad=$($ARM_NM "$D/ges_fw.elf" | awk '{ print $NF }' |
    grep -Ex '_?(malloc|calloc|realloc|free|_malloc_r|_calloc_r|_realloc_r|_free_r|_sbrk|_sbrk_r|__malloc_av_|__malloc_lock)' || true)
if [ -n "$bad" ]; then
    log "the image holds the C library's heap: $(echo $bad)"
    exit 1
fi
log "built $D/ges_fw.elf (no heap in the image)"
python3 $F/sizes.py "$D/ges_fw.map" --json "$D/sizes.json" >"$D/sizes.txt"

# --- Unit suites on the same machine ------------------------------------------
# The suites that need no sockets, each with tests/firmware/suite_main.c,
# the same startup code and mbedTLS build, newlib's stdio over semihosting
# (rdimon: these images do have a C heap, for stdio's buffers) and a 256 KB
# stack. -Dmain renames the suite's main; GES_TEST_NO_INET_PTON and
# GES_TEST_NO_RUSAGE drop the two host-only parts (the inet_pton oracle of
# test_ip_parse, the peak RSS line); GES_TEST_PROPERTY_SECONDS allows for
# emulation in test_stream's host-speed bound. GES_ASSERT is assert(), as
# on the host (tests/assert_on.h; test_parse's ges_job.c through -include).
SUITE_FLAGS="$CPU -O2 -g -ffunction-sections -fdata-sections $STRICT -I. -Iport/posix -I$F
  -isystem $D/inc-jsmn $MBED_CFLAGS -Dmain=ges_fw_suite_main
  -DGES_TEST_NO_INET_PTON -DGES_TEST_NO_RUSAGE -DGES_TEST_PROPERTY_SECONDS=600.0"
SUITE_LINK="$CPU -nostartfiles -T $F/mps2_an386.ld -Wl,--gc-sections --specs=rdimon.specs
  -Wl,--defsym=GES_FW_STACK_SIZE=0x40000"
cc_ours "$D/obj/suite_main.o" $F/suite_main.c
$ARM_CC $SUITE_FLAGS -Umain -include tests/assert_on.h -c ges_job.c -o "$D/obj/suite_ges_job.o"
for t in parse http wait sign stream; do
    extra=""
    [ "$t" = parse ] && extra=$D/obj/suite_ges_job.o
    $ARM_CC $SUITE_FLAGS -c tests/test_$t.c -o "$D/obj/test_$t.o" 2>"$D/obj/test_$t.log" ||
        { cat "$D/obj/test_$t.log" >&2; exit 1; }
    $ARM_CC $SUITE_LINK -o "$D/test_$t.elf" "$D/obj/test_$t.o" $extra "$D/obj/suite_main.o" \
        "$D/obj/board.o" $MBED_LIBS -lm
done
log "built the unit-suite images $D/test_{parse,http,wait,sign,stream}.elf"
