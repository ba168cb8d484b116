#!/bin/sh
# tests/embedded/lwip_host.sh - `make lwip-host`: port/lwip compiled with
# the host compiler against Debian's liblwip-dev (pkg-config lwip), under
# the library's strict warnings, then tests/embedded/test_port_lwip.c run
# against Debian's whole lwIP stack (liblwip.so) in-process: connect,
# refused, timeouts, data both ways, FIN and RST, TCP_NODELAY,
# net_connect_tick and ges_client_cancel() (the test links the library,
# ges_job.c with Debian's mbedTLS, and gets a throw-away CA made by
# openssl); then again with the port built for LWIP_DNS 1 and a fake
# resolver in the test.
#
#   sh tests/embedded/lwip_host.sh [BUILD_DIR]
#
# Debian's lwIP headers take ssize_t, struct sockaddr and poll() from glibc
# (LWIP_SOCKET_EXTERNAL_HEADERS, the GNU/Hurd configuration); under -std=c99
# glibc hides ssize_t's SSIZE_MAX unless a POSIX feature macro is set, and
# lwIP then typedefs its own int ssize_t, which clashes. Hence
# -D_POSIX_C_SOURCE=200809L here (not in the port: on newlib it would change
# what the C library shows).
#
# Last line: "N passed, N failed" (the compile is one, plus every test).
# Environment: CC, CSTD, WARN, STRICT (from the Makefile).
set -u

B=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
CC=${CC:-cc}
CSTD=${CSTD:--std=c99}
WARN=${WARN:--Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes -Wvla}
STRICT=${STRICT:--Wconversion -Wcast-qual}
LWIP_CFLAGS=$(pkg-config --cflags lwip) || exit 2
LWIP_LIBS=$(pkg-config --libs lwip) || exit 2
LDLIBS=${LDLIBS:--lmbedtls -lmbedx509 -lmbedcrypto}

D=$B/embedded/lwip-host
mkdir -p "$D"
passed=0
failed=0
F="$CSTD $WARN -O2 -g -D_POSIX_C_SOURCE=200809L -I."

echo "== port/lwip on the host ($LWIP_CFLAGS)"
# shellcheck disable=SC2086
if $CC $F $STRICT $LWIP_CFLAGS -c port/lwip/ges_port_lwip.c -o "$D/ges_port_lwip.o" &&
    $CC $F $STRICT $LWIP_CFLAGS -DGES_CONFIG_NO_TLS=1 -c port/lwip/ges_port_lwip.c \
        -o "$D/ges_port_lwip-notls.o" &&
    $CC $F $STRICT $LWIP_CFLAGS -DLWIP_DNS=1 -c port/lwip/ges_port_lwip.c \
        -o "$D/ges_port_lwip-dns.o" &&
    $CC $F $STRICT -c ges_job.c -o "$D/ges_job.o" &&
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$D/ca.key" -out "$D/ca.pem" -subj /CN=lwip-test-ca -days 2 \
        2>/dev/null; then
    passed=$((passed + 1))
    echo "ok   compile port/lwip (TLS, GES_CONFIG_NO_TLS=1, LWIP_DNS=1; strict warnings), ges_job.c, test CA"
else
    failed=$((failed + 1))
    echo "FAIL compile port/lwip"
    echo "$passed passed, $failed failed"
    exit 1
fi

# run NAME EXTRA_CFLAGS PORT_OBJECT SUFFIX: build and run the tests, add the count.
run() {
    name=$1 extra=$2 obj=$3 bin=$D/test_port_lwip$4
    echo "== tests/embedded/test_port_lwip.c: $name"
    # shellcheck disable=SC2086
    if ! $CC $F $extra -Itests $LWIP_CFLAGS tests/embedded/test_port_lwip.c \
        "$obj" "$D/ges_job.o" $LWIP_LIBS $LDLIBS -lpthread -o "$bin"; then
        echo "FAIL compile test_port_lwip $name"
        failed=$((failed + 1))
        return
    fi
    out=$(timeout 120 "$bin" "$D/ca.pem" 2>&1)
    rc=$?
    echo "$out" | sed 's/^/     /'
    line=$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
    if [ -z "$line" ]; then
        failed=$((failed + 1))
        echo "test_port_lwip $name: no result line (exit $rc)"
        return
    fi
    p=${line%% passed*}
    f=${line#* passed, }
    f=${f%% failed*}
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    passed=$((passed + p))
    failed=$((failed + f))
}

run "Debian's options (LWIP_DNS 0: dotted IPv4 only)" "" "$D/ges_port_lwip.o" ""
run "LWIP_DNS=1 with a fake lwip_getaddrinfo" "-DLWIP_DNS=1" "$D/ges_port_lwip-dns.o" -dns

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
