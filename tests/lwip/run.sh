#!/bin/sh
# tests/lwip/run.sh - `make lwip-raw-host`: port/lwip_raw compiled with the
# host compiler under the library's strict warnings, linked with lwIP
# 2.1.3's core (built here from Debian's source package, fetched by
# tests/lwip/fetch.sh, NO_SYS 1, configured by tests/lwip/lwipopts.h), and
# tests/lwip/test_port_lwip_raw.c run on that stack in-process (loopback
# netif only: nothing leaves the process), linked with the library
# (ges_job.c, Debian's mbedTLS) for the ges_client_cancel() cases, with a
# throw-away CA made by openssl. Two configurations:
#   ipv4      IPv4 only, LWIP_DNS 0: literals only
#   v6-dns    IPv4 + IPv6 (::1) and LWIP_DNS 1 with a DNS server in the test
#
#   sh tests/lwip/run.sh [BUILD_DIR]          (default: build)
#
# lwIP's own sources are compiled with relaxed flags (-w); the port and
# the test with CSTD/WARN/STRICT. Only the lwIP files a NO_SYS TCP stack
# needs are compiled: core/*.c minus altcp, core/ipv4 (no DHCP, AutoIP,
# IGMP, ARP, fragments) and, for v6-dns, core/ipv6 (no DHCPv6, MLD, ethip6,
# fragments).
#
# Last line: "N passed, N failed" (each compile is one, plus every test;
# tests/count.sh). Environment: CC, CSTD, WARN, STRICT, LDLIBS (from the
# Makefile; tests/lwip/common.sh).
B=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
. tests/lwip/common.sh
ok() { hard_check "$*" 0; }
bad() { hard_check "$*" 1; }

LWIP=$(sh tests/lwip/fetch.sh "$B" | tail -n 1)
if [ -z "$LWIP" ] || [ ! -f "$LWIP/src/core/tcp.c" ]; then
    bad "fetch lwIP sources (tests/lwip/fetch.sh)"
    hard_total
    exit 1
fi
echo "== lwIP sources: $LWIP"

CORE="init def dns inet_chksum ip mem memp netif pbuf raw stats sys tcp tcp_in tcp_out timeouts udp"
CORE4="icmp ip4 ip4_addr"
CORE6="icmp6 inet6 ip6 ip6_addr nd6"
INC="-Itests/lwip -I$LWIP/src/include"
C=$B/lwip-raw-host
if ! lwip_client_parts "$C"; then
    bad "compile ges_job.c, make a test CA"
    hard_total
    exit 1
fi
ok "compile ges_job.c, make a test CA"

# config NAME DEFINES: build lwIP, the port and the test for one
# configuration and run it.
config() {
    name=$1 defs=$2
    D=$B/lwip-raw-host/$name
    mkdir -p "$D/lwip"
    echo "== configuration $name ($defs)"
    files=""
    for f in $CORE; do files="$files core/$f"; done
    for f in $CORE4; do files="$files core/ipv4/$f"; done
    case "$defs" in *LWIP_IPV6=1*)
        for f in $CORE6; do files="$files core/ipv6/$f"; done ;;
    esac
    objs=""
    for f in $files; do
        o=$D/lwip/$(echo "$f" | tr / _).o
        # shellcheck disable=SC2086
        if ! $CC -std=gnu99 -O2 -g -w $defs $INC -c "$LWIP/src/$f.c" -o "$o"; then
            bad "compile lwIP $f.c ($name)"
            return
        fi
        objs="$objs $o"
    done
    ok "compile lwIP 2.1.3 core, NO_SYS 1 ($name: $(echo "$files" | wc -w) files, relaxed flags)"
    # shellcheck disable=SC2086
    if $CC $CSTD $WARN $STRICT -O2 -g $defs -I. $INC \
        -c port/lwip_raw/ges_port_lwip_raw.c -o "$D/ges_port_lwip_raw.o"; then
        ok "compile port/lwip_raw ($name; strict warnings)"
    else
        bad "compile port/lwip_raw ($name)"
        return
    fi
    # shellcheck disable=SC2086
    if ! $CC $CSTD $WARN -O2 -g $defs -I. -Itests $INC \
        tests/lwip/test_port_lwip_raw.c "$D/ges_port_lwip_raw.o" $objs \
        "$C/ges_job.o" $LDLIBS -o "$D/test_port_lwip_raw"; then
        bad "compile test_port_lwip_raw ($name)"
        return
    fi
    hard_run "tests/lwip/test_port_lwip_raw.c ($name)" \
        timeout 60 "$D/test_port_lwip_raw" "$C/ca.pem"
}

config ipv4 "-DLWIP_IPV6=0 -DLWIP_DNS=0"
config v6-dns "-DLWIP_IPV6=1 -DLWIP_DNS=1"

hard_total
