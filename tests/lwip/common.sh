# shellcheck shell=sh
# tests/lwip/common.sh - sourced, from the repository's root, by the two
# lwIP test scripts: tests/lwip/run.sh (port/lwip_raw) and
# tests/embedded/lwip_host.sh (port/lwip). The compiler settings (the
# Makefile's, else its defaults), tests/count.sh (hard_run, hard_check,
# hard_total: the closing "N passed, N failed"), and the client parts both
# tests link.
set -u
. tests/count.sh
CC=${CC:-cc}
CSTD=${CSTD:--std=c99}
WARN=${WARN:--Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes -Wvla}
STRICT=${STRICT:--Wconversion -Wcast-qual}
LDLIBS=${LDLIBS:--lmbedtls -lmbedx509 -lmbedcrypto}

# lwip_client_parts DIR: DIR/ges_job.o (the library, strict warnings,
# linked with LDLIBS: Debian's mbedTLS) and DIR/ca.pem, a throw-away CA
# made by openssl for ges_client_init() in tests/lwip/port_cases.h (the
# connections there never get past the handshake). Returns 0 on success.
# shellcheck disable=SC2086
lwip_client_parts() {
    mkdir -p "$1" &&
        $CC $CSTD $WARN $STRICT -O2 -g -I. -c ges_job.c -o "$1/ges_job.o" &&
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -keyout "$1/ca.key" -out "$1/ca.pem" -subj /CN=lwip-test-ca \
            -days 2 2>/dev/null
}
