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
# Last line: "N passed, N failed" (each compile is one, plus every test;
# tests/count.sh). Environment: CC, CSTD, WARN, STRICT, LDLIBS (from the
# Makefile; tests/lwip/common.sh).
B=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
. tests/lwip/common.sh
LWIP_CFLAGS=$(pkg-config --cflags lwip) || exit 2
LWIP_LIBS=$(pkg-config --libs lwip) || exit 2

D=$B/embedded/lwip-host
mkdir -p "$D"
F="$CSTD $WARN -O2 -g -D_POSIX_C_SOURCE=200809L -I."

echo "== port/lwip on the host ($LWIP_CFLAGS)"
# shellcheck disable=SC2086
$CC $F $STRICT $LWIP_CFLAGS -c port/lwip/ges_port_lwip.c -o "$D/ges_port_lwip.o" &&
    $CC $F $STRICT $LWIP_CFLAGS -DGES_CONFIG_NO_TLS=1 -c port/lwip/ges_port_lwip.c \
        -o "$D/ges_port_lwip-notls.o" &&
    $CC $F $STRICT $LWIP_CFLAGS -DLWIP_DNS=1 -c port/lwip/ges_port_lwip.c \
        -o "$D/ges_port_lwip-dns.o" &&
    lwip_client_parts "$D"
hard_check "compile port/lwip (TLS, GES_CONFIG_NO_TLS=1, LWIP_DNS=1; strict warnings), ges_job.c, test CA" $?
if [ "$hard_f" -ne 0 ]; then
    hard_total
    exit 1
fi

# run NAME EXTRA_CFLAGS PORT_OBJECT SUFFIX: build and run the tests, add the count.
run() {
    bin=$D/test_port_lwip$4
    rm -f "$bin"
    # shellcheck disable=SC2086
    $CC $F $2 -Itests $LWIP_CFLAGS tests/embedded/test_port_lwip.c "$3" \
        "$D/ges_job.o" $LWIP_LIBS $LDLIBS -lpthread -o "$bin"
    hard_check "compile test_port_lwip ($1)" $?
    [ -x "$bin" ] && hard_run "tests/embedded/test_port_lwip.c: $1" \
        timeout 120 "$bin" "$D/ca.pem"
}

run "Debian's options (LWIP_DNS 0: dotted IPv4 only)" "" "$D/ges_port_lwip.o" ""
run "LWIP_DNS=1 with a fake lwip_getaddrinfo" "-DLWIP_DNS=1" "$D/ges_port_lwip-dns.o" -dns
hard_total
