#!/bin/sh
# tests/embedded/amalgamation.sh - `make amalgamation`: the single-file
# promise. ges_job.c and ges_job.h are copied ALONE into a fresh empty
# folder outside the tree, with tests/embedded/embedded_main.c as main.c,
# and built there with no -I at all: jsmn (<jsmn.h>) and mbedTLS
# (<mbedtls/...>) come from the compiler's system include path, as a vendor
# who drops the two files into firmware would have them. Then:
#   1. TLS build, linked with -lmbedtls -lmbedx509 -lmbedcrypto, run;
#   2. GES_CONFIG_NO_TLS=1 build, linked with no mbedTLS library, run.
# Both under the library's strict warnings. main.c parses the seed body
# (and tests/data/seed-200.json, to catch drift), and the TLS build
# exercises ges_client_init() up to mbedTLS and the AK/SK signer.
#
#   sh tests/embedded/amalgamation.sh
#
# Last line: "N passed, N failed" (each build and each run is one).
# Environment: CC, CSTD, WARN, STRICT, LDLIBS (from the Makefile).
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CC=${CC:-cc}
CSTD=${CSTD:--std=c99}
WARN=${WARN:--Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes -Wvla}
STRICT=${STRICT:--Wconversion -Wcast-qual}
LDLIBS=${LDLIBS:--lmbedtls -lmbedx509 -lmbedcrypto}

T=$(mktemp -d "${TMPDIR:-/tmp}/ges_amalgamation.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
cp "$ROOT/ges_job.c" "$ROOT/ges_job.h" "$T/"
cp "$ROOT/tests/embedded/embedded_main.c" "$T/main.c"
cp "$ROOT/tests/seed_bodies.h" "$T/" # the seed body main.c parses
SEED=$ROOT/tests/data/seed-200.json

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }

echo "== amalgamation in $T:" "$T"/*
# No -I, and no include path smuggled in through the environment.
unset CPATH C_INCLUDE_PATH CPLUS_INCLUDE_PATH OBJC_INCLUDE_PATH 2>/dev/null || true

# step NAME LOG COMMAND...: one build or run, in the folder.
step() {
    name=$1 log=$2
    shift 2
    if (cd "$T" && "$@") >"$log" 2>&1; then
        [ -s "$log" ] && sed 's/^/     /' "$log"
        ok "$name"
        return 0
    fi
    sed 's/^/     /' "$log"
    bad "$name"
    return 1
}

F="$CSTD $WARN $STRICT -O2"
# shellcheck disable=SC2086
step "build: ges_job.c + main.c, TLS, $LDLIBS" "$T/1.log" \
    $CC $F ges_job.c main.c $LDLIBS -o prog-tls &&
    step "run: TLS build" "$T/2.log" ./prog-tls "$SEED"
# shellcheck disable=SC2086
step "build: GES_CONFIG_NO_TLS=1, no mbedTLS library" "$T/3.log" \
    $CC $F -DGES_CONFIG_NO_TLS=1 ges_job.c main.c -o prog-notls &&
    step "run: no-TLS build" "$T/4.log" ./prog-notls "$SEED"
# The no-TLS build must not even read an mbedTLS header.
# shellcheck disable=SC2086
if (cd "$T" && $CC $CSTD -DGES_CONFIG_NO_TLS=1 -M ges_job.c) >"$T/5.log" 2>&1 &&
    ! grep -q mbedtls "$T/5.log"; then
    ok "no-TLS build includes no mbedTLS header"
else
    bad "no-TLS build includes no mbedTLS header"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
