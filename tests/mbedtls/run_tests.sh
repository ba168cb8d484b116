#!/usr/bin/env bash
# tests/mbedtls/run_tests.sh - the library's tests against an mbedTLS built
# from Debian's source package (tests/mbedtls/build.sh), not against the
# system's libmbedtls-dev.
#
#   tests/mbedtls/run_tests.sh VERSION [CONFIG] [TARGET]
#
#   VERSION  2.28.3 | 3.6.6
#   CONFIG   test (default): stock config + MBEDTLS_PLATFORM_MEMORY +
#                            MBEDTLS_MEMORY_BUFFER_ALLOC_C
#            test13:         the same mbedTLS, the library built with
#                            -DGES_CONFIG_TLS13=1 (3.6.6: TLS 1.3 is then
#                            negotiated with the simulator; tickets,
#                            resumption)
#            ges:            port/mbedtls_config_ges.h (our minimal client
#                            config)
#   TARGET   host (default) | armhf (arm-linux-gnueabihf-gcc, run under
#            qemu-arm: ILP32 figures from ram_probe, close to a 32-bit MCU's;
#            the CLI suites need binfmt, so only the unit tests, test_client
#            and ram_probe run)
#
# What it does:
#   1. build.sh VERSION host CONFIG (cached);
#   2. copies the sources it compiles (ges_job.c/.h, port/posix, tests/*.c,
#      tests/harness.h, examples/ges_job_status.c) to BUILD/src, and applies
#      tests/mbedtls/PATCHES.diff to that copy when it applies (skipped when
#      the tree already carries it; GES_MBEDTLS_PATCHES=off never applies);
#      the tree's own files are never modified;
#   3. builds every test that exists into BUILD (build/mbedtls-VERSION-tests,
#      or build/mbedtls-VERSION-ges-tests), with that mbedTLS's include dir
#      first, -DMBEDTLS_CONFIG_FILE and its static .a files;
#   4. checks that mbedTLS was linked statically from that build and that no
#      header came from /usr/include/mbedtls;
#   5. runs the unit tests, BUILD/test_client against a simulator
#      (tests/mbedtls/with_sim.py, as tests/run_all.sh does), then
#      tests/integration.py with BUILD/ges_job_status (which runs three phases
#      of BUILD/test_client, the file next to the CLI, itself) and
#      tests/integration_wait.py.
#      Then ram_probe (tests/mbedtls/ram_probe.c) against the simulator
#      (heap, record sizes, smallest pool, leak check) and against a TLS
#      1.2-only `openssl s_server` with an RSA chain (the RSA-PSS trap of
#      mbedTLS 3.x; not in test13, where it is expected to fail).
#   6. ends with one line: "N passed, N failed" (each suite counts its own
#      cases; a suite that fails to build or prints no count is 1 failure).
#
# Environment: CC (default cc), PYTHON (default python3), JOBS (default 2),
# GES_MBEDTLS_PATCHES (auto|off, default auto), GES_MBEDTLS_INTEGRATION
# (full: integration.py + integration_wait.py; integ: integration.py only;
# client: test_client alone against the simulator, no CLI suites). Default
# full for test, integ for test13, client for ges (the ges config's 8 KB
# input records cannot carry the CLI suites' deliberately huge answers: 5 of
# their cases fail with -0x7100 by design).
set -u

VERSION=${1:-}
CONFIG=${2:-test}
TARGET=${3:-host}
case "$VERSION" in 2.28.3 | 3.6.6) ;; *)
    echo "usage: $0 2.28.3|3.6.6 [test|test13|ges] [host|armhf]" >&2
    echo "0 passed, 1 failed"
    exit 2
    ;;
esac
case "$CONFIG/$TARGET" in test/host | test13/host | ges/host | test/armhf | test13/armhf | ges/armhf) ;; *)
    echo "usage: $0 2.28.3|3.6.6 [test|test13|ges] [host|armhf]" >&2
    echo "0 passed, 1 failed"
    exit 2
    ;;
esac

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CC=${CC:-cc}
PY=${PYTHON:-python3}
JOBS=${JOBS:-2}
PATCHES=${GES_MBEDTLS_PATCHES:-auto}
case "$CONFIG" in
test) INTEG=${GES_MBEDTLS_INTEGRATION:-full} MBCONFIG=test LIBDEFS= ;;
test13) INTEG=${GES_MBEDTLS_INTEGRATION:-integ} MBCONFIG=test LIBDEFS=-DGES_CONFIG_TLS13=1 ;;
ges) INTEG=${GES_MBEDTLS_INTEGRATION:-client} MBCONFIG=ges LIBDEFS= ;;
esac
B=$ROOT/build/mbedtls-$VERSION-tests
[ "$CONFIG" != test ] && B=$ROOT/build/mbedtls-$VERSION-$CONFIG-tests
RUN=()
NM="nm"
LDEXTRA=
if [ "$TARGET" = armhf ]; then
    B=$B-armhf
    CC=arm-linux-gnueabihf-gcc
    NM=arm-linux-gnueabihf-nm
    RUN=(qemu-arm -L /usr/arm-linux-gnueabihf)
    # Debian 12's qemu-arm 7.2 crashes in pthread_create of a dynamically
    # linked armhf program (any program); static ones work.
    LDEXTRA=-static
    INTEG=client
    command -v qemu-arm >/dev/null 2>&1 || {
        echo "armhf needs qemu-user and libc6-dev-armhf-cross (apt-get install)"
        echo "0 passed, 1 failed"
        exit 1
    }
fi
S=$B/src
t_start=$(date +%s)

# hard_run, hard_check, hard_total: the "N passed, N failed" counting of
# tests/run_all.sh (hard_p and hard_f are the totals so far).
. "$ROOT/tests/count.sh"
envf=$(mktemp)
trap 'rm -f "$envf"; hard_cleanup' EXIT

fail_setup() { # a step that stops everything: one failure, final line
    echo "FAIL $*"
    hard_f=$((hard_f + 1))
    hard_total
    exit 1
}

# 1. mbedTLS ---------------------------------------------------------------
echo "== mbedTLS $VERSION ($TARGET, $CONFIG config)"
if ! "$HERE/build.sh" "$VERSION" "$TARGET" "$MBCONFIG" >"$envf"; then
    fail_setup "build.sh $VERSION $TARGET $MBCONFIG"
fi
MBEDTLS_INC=$(sed -n 's/^MBEDTLS_INC=//p' "$envf")
MBEDTLS_CONFIG=$(sed -n 's/^MBEDTLS_CONFIG=//p' "$envf")
MBEDTLS_LIB=$(sed -n 's/^MBEDTLS_LIB=//p' "$envf")
[ -n "$MBEDTLS_INC" ] && [ -n "$MBEDTLS_CONFIG" ] && [ -n "$MBEDTLS_LIB" ] ||
    fail_setup "build.sh printed no MBEDTLS_INC/MBEDTLS_CONFIG/MBEDTLS_LIB"
LIBS="$MBEDTLS_LIB/libmbedtls.a $MBEDTLS_LIB/libmbedx509.a $MBEDTLS_LIB/libmbedcrypto.a"
echo "include $MBEDTLS_INC"
echo "config  $MBEDTLS_CONFIG"

# 2. a copy of the sources -------------------------------------------------
rm -rf "$S"
mkdir -p "$S/tests" "$S/port" "$S/examples"
cp "$ROOT/ges_job.c" "$ROOT/ges_job.h" "$S/" || fail_setup "copying ges_job.c/.h"
cp -r "$ROOT/port/posix" "$S/port/" 2>/dev/null
cp "$ROOT"/tests/*.c "$ROOT"/tests/*.h "$S/tests/" 2>/dev/null
cp "$ROOT/examples/ges_job_status.c" "$S/examples/" 2>/dev/null
patch_note="no PATCHES.diff"
if [ -s "$HERE/PATCHES.diff" ] && [ "$PATCHES" != off ]; then
    if (cd "$S" && patch -p1 -N -s --dry-run <"$HERE/PATCHES.diff" >/dev/null 2>&1); then
        (cd "$S" && patch -p1 -N -s <"$HERE/PATCHES.diff") || fail_setup "applying PATCHES.diff"
        patch_note="tests/mbedtls/PATCHES.diff applied to the copy"
    elif (cd "$S" && patch -p1 -R -s --dry-run <"$HERE/PATCHES.diff" >/dev/null 2>&1); then
        patch_note="PATCHES.diff is already in the tree"
    else
        patch_note="PATCHES.diff does NOT apply (tree changed?): testing the tree as it is"
    fi
fi
echo "patches $patch_note"

# 3. build -------------------------------------------------------------------
# Same flags as the Makefile; the mbedTLS include dir comes first. The
# quotes around the config path are meant literally (the macro's value).
# shellcheck disable=SC2089
CFLAGS_ALL="-std=c99 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes -Wvla -O2 -g
 -I$MBEDTLS_INC -DMBEDTLS_CONFIG_FILE=\"$MBEDTLS_CONFIG\" $LIBDEFS -I$S -I$S/port/posix"
# The library, the port and the CLI also get the Makefile's STRICT set.
STRICT=${STRICT--Wconversion -Wcast-qual}
# shellcheck disable=SC2086,SC2090
cc_() { $CC $CFLAGS_ALL "$@"; }

declare -A BUILD_FAIL=()
build_one() { # build_one NAME ARGS... ; output to $B/NAME.build.log
    local name=$1
    shift
    if cc_ "$@" -o "$B/$name" >"$B/$name.build.log" 2>&1; then
        # (a static armhf link warns about getaddrinfo: expected)
        grep -v "statically linked applications requires" "$B/$name.build.log" || true
        return 0
    fi
    return 1
}

t_build=$(date +%s)
rm -f "$B"/test_* "$B"/ges_job_status "$B"/ram_probe "$B"/*.o "$B"/*.build.log "$B"/*.d
echo "== build ($B)"
cc_ $STRICT -MD -MF "$B/ges_job.d" -c "$S/ges_job.c" -o "$B/ges_job.o" >"$B/ges_job.o.build.log" 2>&1
have_lib=$?
have_port=1
if [ -f "$S/port/posix/ges_port_posix.c" ]; then
    cc_ $STRICT -c "$S/port/posix/ges_port_posix.c" -o "$B/ges_port_posix.o" \
        >"$B/ges_port_posix.o.build.log" 2>&1
    have_port=$?
fi
cat "$B/ges_job.o.build.log" "$B/ges_port_posix.o.build.log" 2>/dev/null

# Every tests/test_*.c that exists: those that include ../ges_job.c build
# alone; test_parse with ges_job.c; test_port_posix with the port;
# test_client and test_cli (the CLI's code) with the library and the port;
# then the CLI.
targets=()
add() { targets+=("$1|$2|$3|$4"); } # name, main source, needs, extra libs
for f in "$S"/tests/test_*.c; do
    [ -f "$f" ] || continue
    name=$(basename "$f" .c)
    case "$name" in
    test_parse) add "$name" "tests/$name.c" parse "-lm" ;;
    test_port_posix) add "$name" "tests/$name.c" port "" ;;
    test_client) add "$name" "tests/$name.c" libport "-lpthread" ;;
    test_cli) add "$name" "tests/$name.c" libport "" ;; # includes the CLI
    test_schema) # the field schema's own test: mbedTLS-independent, run by make test
        echo "(tests/$name.c: not built here; it tests the field schema, not mbedTLS)" ;;
    *)
        if grep -q '^#include "../ges_job.c"' "$f"; then
            add "$name" "tests/$name.c" self "-lm"
        else
            echo "(tests/$name.c: unknown recipe, not built)"
        fi
        ;;
    esac
done
add ges_job_status examples/ges_job_status.c libport ""
[ -f "$HERE/ram_probe.c" ] && cp "$HERE/ram_probe.c" "$S/tests/mbedtls_ram_probe.c" &&
    add ram_probe tests/mbedtls_ram_probe.c libport ""

pids=()
names=()
for t in "${targets[@]}"; do
    IFS='|' read -r name src needs extra <<<"$t"
    [ -f "$S/$src" ] || { echo "(no $src: $name not built)"; continue; }
    case "$needs" in
    parse) args=("$S/$src" "$S/ges_job.c") ;;
    self) args=("$S/$src") ;;
    port) args=("$S/$src" "$B/ges_port_posix.o") ;;
    libport) args=("$S/$src" "$B/ges_job.o" "$B/ges_port_posix.o") ;;
    esac
    if { [ "$needs" = port ] || [ "$needs" = libport ]; } && [ "$have_port" -ne 0 ]; then
        BUILD_FAIL[$name]="ges_port_posix.o did not build"
        continue
    fi
    if [ "$needs" = libport ] && [ "$have_lib" -ne 0 ]; then
        BUILD_FAIL[$name]="ges_job.o did not build"
        continue
    fi
    strict=
    [ "$name" = ges_job_status ] && strict=$STRICT
    # shellcheck disable=SC2086
    build_one "$name" $strict "${args[@]}" $LIBS $extra $LDEXTRA &
    pids+=($!)
    names+=("$name")
    if [ "${#pids[@]}" -ge "$JOBS" ]; then
        wait "${pids[0]}" || BUILD_FAIL[${names[0]}]="compile/link failed"
        pids=("${pids[@]:1}")
        names=("${names[@]:1}")
    fi
done
for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || BUILD_FAIL[${names[$i]}]="compile/link failed"
done
for n in "${!BUILD_FAIL[@]}"; do
    echo "FAIL build $n: ${BUILD_FAIL[$n]}"
    [ -f "$B/$n.build.log" ] && head -n 40 "$B/$n.build.log"
    hard_f=$((hard_f + 1))
done
echo "build time $(($(date +%s) - t_build)) s"

# 4. linkage -----------------------------------------------------------------
echo "== linkage: mbedTLS $VERSION from $MBEDTLS_LIB"
link_ok=1
if [ -f "$B/ges_job.d" ]; then
    if grep -q "/usr/include/mbedtls\|/usr/include/psa" "$B/ges_job.d"; then
        echo "FAIL ges_job.o used a header from /usr/include/mbedtls"
        link_ok=0
    fi
    if ! grep -q "$MBEDTLS_INC/mbedtls/ssl.h" "$B/ges_job.d"; then
        echo "FAIL ges_job.o did not use $MBEDTLS_INC/mbedtls/ssl.h"
        link_ok=0
    fi
fi
case "$VERSION" in
2.28.3) want_hex=0x021C0300 ;;
3.6.6) want_hex=0x03060600 ;;
esac
if ! grep -q "define MBEDTLS_VERSION_NUMBER *$want_hex" "$MBEDTLS_INC/mbedtls/version.h" \
    "$MBEDTLS_INC/mbedtls/build_info.h" 2>/dev/null; then
    echo "FAIL $MBEDTLS_INC is not mbedTLS $VERSION"
    link_ok=0
fi
for bin in "$B"/test_* "$B"/ges_job_status; do
    [ -x "$bin" ] || continue
    case "$bin" in *.log | *.d | *.o) continue ;; esac
    # readelf -d lists NEEDED libraries for any ELF; ldd only for the host.
    if readelf -d "$bin" 2>/dev/null | grep NEEDED | grep -q "libmbed"; then
        echo "FAIL $(basename "$bin") needs a shared libmbed*: $(readelf -d "$bin" | grep NEEDED | grep libmbed | tr -s ' \t' ' ')"
        link_ok=0
    fi
    if $NM "$bin" 2>/dev/null | grep -q " T mbedtls_ssl_handshake$"; then
        # A version-specific symbol proves which library was linked in.
        if [ "$VERSION" = 3.6.6 ]; then
            sym=mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets
            [ "$CONFIG" = ges ] && sym=mbedtls_ssl_tls12_write_client_hello_exts
            $NM "$bin" | grep -q " T $sym$" || $NM "$bin" | grep -q " T mbedtls_ssl_write_handshake_msg_ext$" ||
                { echo "FAIL $(basename "$bin"): no 3.6 symbol"; link_ok=0; }
        else
            $NM "$bin" | grep -q " T mbedtls_ssl_write_handshake_msg$" ||
                { echo "FAIL $(basename "$bin"): no 2.28 symbol"; link_ok=0; }
        fi
    fi
done
if [ -x "$B/test_client" ]; then
    echo "test_client: $(readelf -d "$B/test_client" | grep NEEDED | grep -c libmbed) shared libmbed* needed, $($NM "$B/test_client" | grep -c ' T mbedtls_') mbedtls_* functions linked in"
    [ "$TARGET" = host ] && echo "ldd test_client: $(ldd "$B/test_client" | awk '{print $1}' | tr '\n' ' ')"
fi
hard_check "linkage: mbedTLS $VERSION, static, its own headers" $((1 - link_ok))

# 5. run ---------------------------------------------------------------------
run() { hard_run "$@"; } # run NAME CMD...: the suite's count summed (tests/count.sh)

for t in "$B"/test_*; do
    case "$t" in *.log | *.d | *.o) continue ;; esac
    [ "$(basename "$t")" = test_client ] && continue # needs the simulator: below
    [ -x "$t" ] && run "$(basename "$t") (unit, mbedTLS $VERSION)" ${RUN[@]+"${RUN[@]}"} "$t"
done

# test_client alone, or the RAM probe: the simulator started as
# tests/integration.py starts it (tests/mbedtls/with_sim.py).
if [ -x "$B/test_client" ]; then
    run "test_client (TLS client vs simulator, mbedTLS $VERSION)" \
        "$PY" "$HERE/with_sim.py" -- ${RUN[@]+"${RUN[@]}"} "$B/test_client" '{port}' '{ca}' '{token}' '{expired}' '{wrongname}'
fi
if [ "$INTEG" != client ] && [ -x "$B/ges_job_status" ] && [ -f "$ROOT/tests/integration.py" ]; then
    # integration.py runs three phases of $B/test_client (next to the CLI) itself.
    run "integration (CLI + test_client + simulator, mbedTLS $VERSION)" \
        "$PY" "$ROOT/tests/integration.py" "$B/ges_job_status"
    if [ "$INTEG" = full ] && [ -f "$ROOT/tests/integration_wait.py" ]; then
        run "integration: waiting (CLI --wait, mbedTLS $VERSION)" \
            "$PY" "$ROOT/tests/integration_wait.py" "$B/ges_job_status"
    fi
fi
if [ -x "$B/ram_probe" ]; then
    # Heap per poll, record sizes, smallest allocator pool (information),
    # and a leak check (counted).
    run "ram_probe (heap and record sizes, mbedTLS $VERSION, $CONFIG config)" \
        "$PY" "$HERE/with_sim.py" -- ${RUN[@]+"${RUN[@]}"} "$B/ram_probe" '{port}' '{ca}' '{token}'
    if [ "$CONFIG" != test13 ] && command -v openssl >/dev/null 2>&1; then
        run "ram_probe vs TLS 1.2-only openssl s_server, RSA chain (mbedTLS $VERSION, $CONFIG config)" \
            "$PY" "$HERE/with_sim.py" --rsa-tls12 -- ${RUN[@]+"${RUN[@]}"} "$B/ram_probe" '{port}' '{ca}' '{token}'
    fi
fi

echo "== all suites, mbedTLS $VERSION ($CONFIG config, $patch_note), $(($(date +%s) - t_start)) s"
hard_total
