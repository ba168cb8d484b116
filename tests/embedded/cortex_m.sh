#!/bin/sh
# tests/embedded/cortex_m.sh - `make cortex-m`: ges_job.c, port/lwip and
# port/lwip_raw built for Cortex-M4 with Debian's arm-none-eabi-gcc and
# newlib, under -Werror and the strict warning set; sizes of ges_job.o with
# and without TLS and of the ports; checks that the library object has no
# .data/.bss and calls nothing but libc's mem*/str*, mbedTLS and the
# compiler's helpers (no heap, no stdio, no POSIX), and that port/lwip_raw
# has no .data/.bss either. port/lwip_raw is compiled against Debian's lwIP
# headers with tests/lwip/lwipopts.h and arch/cc.h (NO_SYS 1), the host
# tests' configuration, which is plain C and fits newlib too.
#
#   sh tests/embedded/cortex_m.sh [BUILD_DIR]        (default: build)
#
# TLS builds, each when available:
#   debian   Debian's mbedTLS 2.28 headers (/usr/include/mbedtls) with
#            tests/embedded/mbedtls_debian_arm.h (drops the pthread threading
#            that newlib cannot compile); compile-only: always run.
#   X.Y.Z    the headers and GES config of a tests/mbedtls/build.sh build:
#            build/mbedtls-X.Y.Z-cortex-m4 (preferred; its libraries also
#            link a whole client program) or build/mbedtls-X.Y.Z-host-ges
#            (same headers and config; compile only).
#
# jsmn and mbedTLS headers are reached through -isystem folders of symlinks
# under BUILD_DIR/embedded/cortex-m, never -I/usr/include, which would put
# glibc's headers in front of newlib's. The no-TLS build sees jsmn only.
#
# Last line: "N passed, N failed" (each compile or check is one).
# Environment: ARM_CC (arm-none-eabi-gcc), ARM_SIZE, ARM_NM, LWIP_INC
# (from pkg-config lwip, else /usr/include/lwip), MBEDTLS_BUILDS (folders
# searched for env.sh; default: BUILD_DIR and build).
# Flag lists are split on purpose:
# shellcheck disable=SC2086,SC2046
set -u

B=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
ARM_CC=${ARM_CC:-arm-none-eabi-gcc}
ARM_SIZE=${ARM_SIZE:-arm-none-eabi-size}
ARM_NM=${ARM_NM:-arm-none-eabi-nm}
if [ -z "${LWIP_INC:-}" ]; then
    LWIP_INC=$(pkg-config --cflags-only-I lwip 2>/dev/null | sed 's/^ *-I//; s/ .*//')
    [ -n "$LWIP_INC" ] || LWIP_INC=/usr/include/lwip
fi
MBEDTLS_BUILDS=${MBEDTLS_BUILDS:-"$B build"}

# The issue's flags: Cortex-M4F, size-optimised, every warning an error.
ARM_FLAGS="-std=c99 -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -Os -ffunction-sections -fdata-sections -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Wcast-qual -Wstrict-prototypes -Wvla -Werror"
LINK_FLAGS="-Wl,--gc-sections --specs=nano.specs --specs=nosys.specs"

D=$B/embedded/cortex-m
rm -rf "$D"
mkdir -p "$D/inc-jsmn" "$D/inc-debian"
ln -s /usr/include/jsmn.h "$D/inc-jsmn/jsmn.h"
ln -s /usr/include/jsmn.h "$D/inc-debian/jsmn.h"
ln -s /usr/include/mbedtls "$D/inc-debian/mbedtls"
[ -d /usr/include/psa ] && ln -s /usr/include/psa "$D/inc-debian/psa"

passed=0
failed=0
sizes=$D/sizes.txt
: >"$sizes"
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }

# compile NAME OUT ARGS...: one step.
compile() {
    name=$1 out=$2
    shift 2
    if "$ARM_CC" $ARM_FLAGS "$@" -o "$out" >"$out.log" 2>&1; then
        ok "compile $name"
        return 0
    fi
    cat "$out.log"
    bad "compile $name"
    return 1
}

# check_lib NAME OBJ: size line, .data + .bss == 0, allowed external symbols.
check_lib() {
    name=$1 obj=$2
    set -- $("$ARM_SIZE" "$obj" | awk 'NR == 2 { print $1, $2, $3 }')
    printf '%-46s %7s %6s %6s\n' "ges_job.o, $name" "$1" "$2" "$3" >>"$sizes"
    if [ "$(($2 + $3))" -eq 0 ]; then
        ok "$name: .data + .bss = 0"
    else
        bad "$name: .data $2 + .bss $3 bytes (the library must keep no static state)"
        "$ARM_NM" -S --size-sort "$obj" | grep -E ' [bBdD] ' | sed 's/^/     /'
    fi
    # libc string functions, mbedTLS/PSA, and libgcc's EABI helpers
    # (64-bit division, the soft-float doubles of an M4F): nothing else.
    extra=$("$ARM_NM" -u "$obj" | awk '{ print $NF }' |
        grep -Ev '^(mem[a-z]*|str[a-z]*|mbedtls_[A-Za-z0-9_]*|psa_[A-Za-z0-9_]*|__aeabi_[a-z0-9]*)$' || true)
    if [ -z "$extra" ]; then
        ok "$name: external symbols are libc mem*/str*, mbedTLS, libgcc only"
    else
        bad "$name: unexpected external symbols:" $extra
    fi
}

echo "== ges_job.c for Cortex-M4 ($("$ARM_CC" -dumpversion), newlib)"
if compile "ges_job.c, GES_CONFIG_NO_TLS=1 (jsmn only)" "$D/ges_job-notls.o" \
    -isystem "$D/inc-jsmn" -I. -DGES_CONFIG_NO_TLS=1 -c ges_job.c; then
    check_lib "no TLS" "$D/ges_job-notls.o"
fi
if compile "ges_job.c, TLS, Debian mbedTLS 2.28 headers" "$D/ges_job-debian.o" \
    -isystem "$D/inc-debian" -I. \
    -DMBEDTLS_USER_CONFIG_FILE="\"$ROOT/tests/embedded/mbedtls_debian_arm.h\"" \
    -c ges_job.c; then
    check_lib "TLS, Debian 2.28 headers" "$D/ges_job-debian.o"
fi

# mbedTLS builds from tests/mbedtls/build.sh: one per version, cortex-m4
# preferred over host-ges (same headers and config).
cross_env=""
cross_seen=" "
for dir in $MBEDTLS_BUILDS; do
    for kind in cortex-m4 host-ges; do
        for envf in "$dir"/mbedtls-*-"$kind"/env.sh; do
            [ -f "$envf" ] || continue
            v=$(sed -n 's/^MBEDTLS_VERSION=//p' "$envf")
            case "$cross_seen" in *" $v "*) continue ;; esac
            cross_seen="$cross_seen$v "
            cross_env="$cross_env $envf"
        done
    done
done
for envf in $cross_env; do
    MBEDTLS_VERSION="" MBEDTLS_INC="" MBEDTLS_LIB="" MBEDTLS_CONFIG=""
    # shellcheck source=/dev/null
    . "$envf"
    case "$envf" in *-cortex-m4/*) kind=cortex-m4 ;; *) kind="host-ges headers" ;; esac
    tag="TLS, mbedTLS $MBEDTLS_VERSION ges config"
    obj=$D/ges_job-$MBEDTLS_VERSION.o
    if compile "ges_job.c, $tag (${envf%/env.sh})" "$obj" -isystem "$D/inc-jsmn" \
        -isystem "$MBEDTLS_INC" -DMBEDTLS_CONFIG_FILE="\"$MBEDTLS_CONFIG\"" \
        -I. -c ges_job.c; then
        check_lib "$tag" "$obj"
    fi
    # A whole client program against the cross-built libraries.
    if [ "$kind" = cortex-m4 ] && [ -f "$MBEDTLS_LIB/libmbedcrypto.a" ]; then
        elf=$D/client-$MBEDTLS_VERSION.elf
        if compile "linked client program, mbedTLS $MBEDTLS_VERSION" "$elf" \
            -isystem "$D/inc-jsmn" -isystem "$MBEDTLS_INC" \
            -DMBEDTLS_CONFIG_FILE="\"$MBEDTLS_CONFIG\"" -DGES_EMB_NO_STDIO \
            -I. -Itests ges_job.c tests/embedded/embedded_main.c $LINK_FLAGS \
            "$MBEDTLS_LIB/libmbedtls.a" "$MBEDTLS_LIB/libmbedx509.a" \
            "$MBEDTLS_LIB/libmbedcrypto.a"; then
            "$ARM_SIZE" "$elf" | awk -v n="client program + mbedTLS $MBEDTLS_VERSION (linked)" \
                'NR == 2 { printf "%-46s %7s %6s %6s\n", n, $1, $2, $3 }' >>"$sizes"
        fi
    fi
done
[ -n "$cross_env" ] ||
    echo "     (no tests/mbedtls/build.sh build found: run it with VERSION cortex-m4 for the GES-config TLS figures)"

# A linked parse-only program: what firmware that only parses pays.
elf=$D/parse.elf
if compile "linked parse-only program (newlib-nano, --gc-sections)" "$elf" \
    -isystem "$D/inc-jsmn" -I. -DGES_CONFIG_NO_TLS=1 -DGES_EMB_NO_STDIO \
    -Itests ges_job.c tests/embedded/embedded_main.c $LINK_FLAGS; then
    "$ARM_SIZE" "$elf" | awk -v n="parse-only program (linked, nano, gc)" \
        'NR == 2 { printf "%-46s %7s %6s %6s\n", n, $1, $2, $3 }' >>"$sizes"
fi

echo "== port/lwip for Cortex-M4 (our lwipopts.h, arch/cc.h, arch/sys_arch.h; $LWIP_INC)"
LW="-DGES_LWIP_COMPILE_CHECK -I. -Itests/embedded/lwip_check -I$LWIP_INC"
compile "port/lwip, no TLS; lwip_poll, numeric IPv4, LWIP_COMPAT_SOCKETS 1" \
    "$D/lwip-1.o" -isystem "$D/inc-jsmn" $LW -DGES_CONFIG_NO_TLS=1 \
    -c port/lwip/ges_port_lwip.c &&
    "$ARM_SIZE" "$D/lwip-1.o" | awk 'NR == 2 { printf "%-46s %7s %6s %6s\n", "ges_port_lwip.o (poll, no DNS)", $1, $2, $3 }' >>"$sizes"
compile "port/lwip, no TLS; lwip_select, LWIP_DNS + IPv6, LWIP_COMPAT_SOCKETS 0" \
    "$D/lwip-2.o" -isystem "$D/inc-jsmn" $LW -DGES_CONFIG_NO_TLS=1 \
    -DLWIP_SOCKET_POLL=0 -DLWIP_DNS=1 -DLWIP_IPV6=1 -DLWIP_COMPAT_SOCKETS=0 \
    -c port/lwip/ges_port_lwip.c &&
    "$ARM_SIZE" "$D/lwip-2.o" | awk 'NR == 2 { printf "%-46s %7s %6s %6s\n", "ges_port_lwip.o (select, DNS, IPv6)", $1, $2, $3 }' >>"$sizes"
compile "port/lwip, TLS (Debian 2.28 headers); lwip_poll, LWIP_DNS" \
    "$D/lwip-3.o" -isystem "$D/inc-debian" $LW \
    -DMBEDTLS_USER_CONFIG_FILE="\"$ROOT/tests/embedded/mbedtls_debian_arm.h\"" \
    -DLWIP_DNS=1 -c port/lwip/ges_port_lwip.c

echo "== port/lwip_raw for Cortex-M4 (tests/lwip/lwipopts.h: NO_SYS 1, raw TCP API; $LWIP_INC)"
LR="-I. -Itests/lwip -I$LWIP_INC"
compile "port/lwip_raw, no TLS; NO_SYS 1, IPv4 literals" \
    "$D/lwip_raw-1.o" -isystem "$D/inc-jsmn" $LR -DGES_CONFIG_NO_TLS=1 \
    -c port/lwip_raw/ges_port_lwip_raw.c &&
    "$ARM_SIZE" "$D/lwip_raw-1.o" | awk 'NR == 2 { printf "%-46s %7s %6s %6s\n", "ges_port_lwip_raw.o (IPv4, no DNS)", $1, $2, $3 }' >>"$sizes"
compile "port/lwip_raw, no TLS; NO_SYS 1, LWIP_DNS + IPv6" \
    "$D/lwip_raw-2.o" -isystem "$D/inc-jsmn" $LR -DGES_CONFIG_NO_TLS=1 \
    -DLWIP_DNS=1 -DLWIP_IPV6=1 -c port/lwip_raw/ges_port_lwip_raw.c &&
    "$ARM_SIZE" "$D/lwip_raw-2.o" | awk 'NR == 2 { printf "%-46s %7s %6s %6s\n", "ges_port_lwip_raw.o (DNS, IPv6)", $1, $2, $3 }' >>"$sizes"
compile "port/lwip_raw, TLS (Debian 2.28 headers); LWIP_DNS" \
    "$D/lwip_raw-3.o" -isystem "$D/inc-debian" $LR \
    -DMBEDTLS_USER_CONFIG_FILE="\"$ROOT/tests/embedded/mbedtls_debian_arm.h\"" \
    -DLWIP_DNS=1 -c port/lwip_raw/ges_port_lwip_raw.c
for o in "$D/lwip_raw-1.o" "$D/lwip_raw-2.o"; do
    [ -f "$o" ] || continue
    set -- $("$ARM_SIZE" "$o" | awk 'NR == 2 { print $2, $3 }')
    if [ "$(($1 + $2))" -eq 0 ]; then
        ok "$(basename "$o"): .data + .bss = 0 (no static state)"
    else
        bad "$(basename "$o"): .data $1 + .bss $2 bytes (the port must keep no static state)"
    fi
done

echo "== Cortex-M4 sizes (arm-none-eabi-size, bytes; text includes .rodata)"
printf '%-46s %7s %6s %6s\n' "" text data bss
cat "$sizes"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
