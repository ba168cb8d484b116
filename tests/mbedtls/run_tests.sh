#!/usr/bin/env bash
# tests/mbedtls/run_tests.sh - the library's tests against an mbedTLS built
# from Debian's source package (tests/mbedtls/build.sh), not against the
# system's libmbedtls-dev.
#
#   tests/mbedtls/run_tests.sh VERSION [CONFIG]
#
#   VERSION  2.28.3 | 3.6.6
#   CONFIG   test (default): stock config + MBEDTLS_PLATFORM_MEMORY +
#                            MBEDTLS_MEMORY_BUFFER_ALLOC_C
#            ges:            port/mbedtls_config_ges.h (our minimal client
#                            config; the unit tests, test_client and
#                            the CLI run against it too)
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
#   5. runs the unit tests, then tests/integration.py with BUILD/ges_job_status
#      (it starts the simulator and runs BUILD/test_client, the file next to
#      the CLI, as its sub-suite) and tests/integration_wait.py. Without a
#      CLI it starts the simulator itself and runs BUILD/test_client alone.
#   6. ends with one line: "N passed, N failed" (each suite counts its own
#      cases; a suite that fails to build or prints no count is 1 failure).
#
# Environment: CC (default cc), PYTHON (default python3), JOBS (default 2),
# GES_MBEDTLS_PATCHES (auto|off, default auto), GES_MBEDTLS_INTEGRATION
# (full|client, default full: client runs only test_client against the
# simulator, skipping the CLI suites).
set -u

VERSION=${1:-}
CONFIG=${2:-test}
case "$VERSION" in 2.28.3 | 3.6.6) ;; *)
    echo "usage: $0 2.28.3|3.6.6 [test|ges]" >&2
    echo "0 passed, 1 failed"
    exit 2
    ;;
esac
case "$CONFIG" in test | ges) ;; *)
    echo "usage: $0 2.28.3|3.6.6 [test|ges]" >&2
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
INTEG=${GES_MBEDTLS_INTEGRATION:-full}
B=$ROOT/build/mbedtls-$VERSION-tests
[ "$CONFIG" = ges ] && B=$ROOT/build/mbedtls-$VERSION-ges-tests
S=$B/src
t_start=$(date +%s)

total_p=0
total_f=0
log=$(mktemp)
envf=$(mktemp)
trap 'rm -f "$log" "$envf"' EXIT

fail_setup() { # a step that stops everything: one failure, final line
    echo "FAIL $*"
    echo "$total_p passed, $((total_f + 1)) failed"
    exit 1
}

# 1. mbedTLS ---------------------------------------------------------------
echo "== mbedTLS $VERSION (host, $CONFIG config)"
if ! "$HERE/build.sh" "$VERSION" host "$CONFIG" >"$envf"; then
    fail_setup "build.sh $VERSION host $CONFIG"
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
# Same flags as the Makefile; the mbedTLS include dir comes first.
CFLAGS_ALL="-std=c99 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes -Wvla -O2 -g
 -I$MBEDTLS_INC -DMBEDTLS_CONFIG_FILE=\"$MBEDTLS_CONFIG\" -I$S -I$S/port/posix"
# The library, the port and the CLI also get the Makefile's STRICT set.
STRICT=${STRICT--Wconversion -Wcast-qual}
# shellcheck disable=SC2086
cc_() { $CC $CFLAGS_ALL "$@"; }

declare -A BUILD_FAIL=()
build_one() { # build_one NAME ARGS... ; output to $B/NAME.build.log
    local name=$1
    shift
    if cc_ "$@" -o "$B/$name" >"$B/$name.build.log" 2>&1; then
        [ -s "$B/$name.build.log" ] && cat "$B/$name.build.log"
        return 0
    fi
    return 1
}

t_build=$(date +%s)
rm -f "$B"/test_* "$B"/ges_job_status "$B"/*.o "$B"/*.build.log "$B"/*.d
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
# test_client with the library and the port; then the CLI.
targets=()
add() { targets+=("$1|$2|$3|$4"); } # name, main source, needs, extra libs
for f in "$S"/tests/test_*.c; do
    [ -f "$f" ] || continue
    name=$(basename "$f" .c)
    case "$name" in
    test_parse) add "$name" "tests/$name.c" parse "-lm" ;;
    test_port_posix) add "$name" "tests/$name.c" port "" ;;
    test_client) add "$name" "tests/$name.c" libport "-lpthread" ;;
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
    build_one "$name" $strict "${args[@]}" $LIBS $extra &
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
    total_f=$((total_f + 1))
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
    if ldd "$bin" 2>/dev/null | grep -q "libmbed"; then
        echo "FAIL $(basename "$bin") is linked against a shared libmbed*: $(ldd "$bin" | grep libmbed | tr -s ' \t' ' ')"
        link_ok=0
    fi
    if nm "$bin" 2>/dev/null | grep -q " T mbedtls_ssl_handshake$"; then
        # A version-specific symbol proves which library was linked in.
        if [ "$VERSION" = 3.6.6 ]; then
            sym=mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets
            [ "$CONFIG" = ges ] && sym=mbedtls_ssl_tls12_write_client_hello_exts
            nm "$bin" | grep -q " T $sym$" || nm "$bin" | grep -q " T mbedtls_ssl_write_handshake_msg_ext$" ||
                { echo "FAIL $(basename "$bin"): no 3.6 symbol"; link_ok=0; }
        else
            nm "$bin" | grep -q " T mbedtls_ssl_write_handshake_msg$" ||
                { echo "FAIL $(basename "$bin"): no 2.28 symbol"; link_ok=0; }
        fi
    fi
done
if [ -x "$B/test_client" ]; then
    echo "test_client: $(ldd "$B/test_client" | grep -c libmbed) shared libmbed*, $(nm "$B/test_client" | grep -c ' T mbedtls_') mbedtls_* functions linked in"
fi
if [ "$link_ok" -eq 1 ]; then
    echo "1 passed, 0 failed"
    total_p=$((total_p + 1))
else
    echo "0 passed, 1 failed"
    total_f=$((total_f + 1))
fi

# 5. run ---------------------------------------------------------------------
run() { # run NAME CMD... (as tests/run_all.sh: sums the suite's count)
    local name=$1 rc line p f
    shift
    echo "== $name"
    "$@" >"$log" 2>&1
    rc=$?
    cat "$log"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        echo "$name: no result line (exit $rc)"
        total_f=$((total_f + 1))
        return
    fi
    p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    total_p=$((total_p + p))
    total_f=$((total_f + f))
}

for t in "$B"/test_*; do
    case "$t" in *.log | *.d | *.o) continue ;; esac
    [ "$(basename "$t")" = test_client ] && continue # needs the simulator: below
    [ -x "$t" ] && run "$(basename "$t") (unit, mbedTLS $VERSION)" "$t"
done

# test_client alone: the simulator started as tests/integration.py starts it.
run_client_alone() {
    "$PY" - "$ROOT" "$B/test_client" <<'EOF'
import json, os, signal, subprocess, sys, tempfile, time
root, client = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory(prefix="ges_mbedtls_sim.") as d:
    state = os.path.join(d, "sim-state.json")
    err = open(os.path.join(d, "sim-stderr.log"), "w+b")
    sim = subprocess.Popen([sys.executable, os.path.join(root, "tests", "sim", "ges_sim.py"),
                            "--dir", os.path.join(d, "sim"), "--state-file", state],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
    st = None
    t_end = time.monotonic() + 20
    while time.monotonic() < t_end and sim.poll() is None:
        try:
            with open(state) as f:
                st = json.loads(f.read())
            break
        except (OSError, ValueError):
            time.sleep(0.05)
    if st is None:
        sim.kill(); sim.wait()
        err.seek(0)
        print("the simulator did not start: %s" % err.read().decode(errors="replace"))
        print("0 passed, 1 failed")
        sys.exit(1)
    try:
        r = subprocess.run([client, str(st["port"]), st["ca"], st["token"],
                            str(st["ports"]["expired"]), str(st["ports"]["wrongname"])],
                           stdin=subprocess.DEVNULL, timeout=120)
        rc = r.returncode
    except subprocess.TimeoutExpired:
        print("test_client timed out")
        rc = 1
    finally:
        sim.send_signal(signal.SIGTERM)
        try:
            sim.wait(timeout=10)
        except subprocess.TimeoutExpired:
            sim.kill(); sim.wait()
    sys.exit(rc)
EOF
}

if [ "$INTEG" = full ] && [ -x "$B/ges_job_status" ] && [ -f "$ROOT/tests/integration.py" ]; then
    # integration.py runs $B/test_client (next to the CLI) as its sub-suite.
    run "integration (CLI + test_client + simulator, mbedTLS $VERSION)" \
        "$PY" "$ROOT/tests/integration.py" "$B/ges_job_status"
    if [ -f "$ROOT/tests/integration_wait.py" ]; then
        run "integration: waiting (CLI --wait, mbedTLS $VERSION)" \
            "$PY" "$ROOT/tests/integration_wait.py" "$B/ges_job_status"
    fi
elif [ -x "$B/test_client" ]; then
    run "test_client (TLS client vs simulator, mbedTLS $VERSION)" run_client_alone
fi

echo "== all suites, mbedTLS $VERSION ($CONFIG config, $patch_note), $(($(date +%s) - t_start)) s"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
