#!/bin/sh
# The CMake build and the integration glue (issue 12), as a consumer sees
# them. Consumer projects are in tests/cmake/:
#  - file lists: ges_job_files.cmake in script mode, every listed file
#    exists; the Makefile compiles the same files with the same -I folders;
#  - top level: configure, build (with -Werror), ctest, install; a program
#    built with pkg-config ges_job; find_package(ges_job CONFIG) linking
#    ges_job::ges_job and ges_job::port_posix (consumer/, runs);
#  - subproject: add_subdirectory and FetchContent (SOURCE_DIR, with a `jsmn`
#    target, ports posix and lwip) consumers: no CLI, no -Werror anywhere;
#  - Cortex-M4 cross build as a subproject (cross/, arm-none-eabi.cmake):
#    GES_JOB_TLS=OFF with GES_JOB_JSMN_INCLUDE_DIR; no port, no CLI, ARM
#    objects, a linked program, the consumer's warnings stay warnings; the
#    helpful failures (no jsmn, no mbedTLS, unknown port); TLS with mbedTLS
#    2.28.3's own CMake targets (source from tests/mbedtls/build.sh);
#  - manifests (manifests.py): library.json, idf_component.yml,
#    zephyr/module.yml parse, versions = GES_VERSION_STRING, files exist,
#    Kconfig files parse and match ges_job.h;
#  - ESP-IDF: early expansion (idf_early.cmake) and the component built and
#    run under a stub idf_component_register (idf/), bounds from an
#    sdkconfig.h written from Kconfig, jsmn compiled apart as
#    espressif/jsmn does; Zephyr: zephyr/CMakeLists.txt under stub
#    functions (zephyr_stub.cmake).
# ESP-IDF, Zephyr and PlatformIO themselves are not installed (not in
# Debian): their glue is checked this way, not built by their tools.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
sh tests/deps.sh
sh tests/deps.sh cmake pkg-config gcc-arm-none-eabi libnewlib-arm-none-eabi liblwip-dev \
    python3-yaml python3-kconfiglib
PY=/usr/bin/python3 # Debian's, with python3-yaml and python3-kconfiglib
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ges_cmake.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
T=tests/cmake
p=0
f=0
check() {
    if [ "$2" -eq 0 ]; then echo "ok   $1"; p=$((p + 1)); else echo "FAIL $1"; f=$((f + 1)); fi
}
# run LOG CMD...: run quietly into LOG; on failure show its end.
run() {
    log=$1
    shift
    "$@" >>"$log" 2>&1
    r=$?
    [ $r -eq 0 ] || tail -25 "$log"
    return $r
}
# no_werror BUILD_DIR: no compile command of that build has -Werror.
no_werror() { ! grep -q -- '-Werror' "$1/compile_commands.json"; }
CC_JSON=-DCMAKE_EXPORT_COMPILE_COMMANDS=ON

echo "== file lists (ges_job_files.cmake)"
cmake -DGES_ROOT="$ROOT" -P $T/files_check.cmake >"$tmp/files" 2>&1
r=$?
cat "$tmp/files"
check "ges_job_files.cmake: every listed file exists" $r
# What the Makefile compiles into build/libges_job.a, and with which -I.
make -n -B B="$tmp/mk" "$tmp/mk/libges_job.a" >"$tmp/mk.n" 2>&1
mk_src=$(grep -oE -- '-c [^ ]+\.c' "$tmp/mk.n" | sed 's/^-c //' | sort | tr '\n' ' ')
mk_inc=$(grep -- ' -c ' "$tmp/mk.n" | grep -oE -- '-I[^ ]+' | sed 's/^-I//' | sort -u | tr '\n' ' ')
ls_src=$(grep -E '^GES_JOB_(PORT_POSIX_)?SOURCES ' "$tmp/files" | cut -d' ' -f2 | sort | tr '\n' ' ')
ls_inc=$(grep -E '^GES_JOB_(PORT_POSIX_)?INCLUDE_DIRS ' "$tmp/files" | cut -d' ' -f2 | sort -u | tr '\n' ' ')
echo "     Makefile: $mk_src| -I $mk_inc"
[ -n "$mk_src" ] && [ "$mk_src" = "$ls_src" ] && [ "$mk_inc" = "$ls_inc" ]
check "the Makefile's library = GES_JOB_SOURCES + GES_JOB_PORT_POSIX_SOURCES, same include folders" $?

echo "== top level: build, ctest, install, pkg-config, find_package"
run "$tmp/top.log" cmake -S . -B "$tmp/b" $CC_JSON -DCMAKE_INSTALL_PREFIX="$tmp/i" &&
    run "$tmp/top.log" cmake --build "$tmp/b" -j2 &&
    run "$tmp/top.log" ctest --test-dir "$tmp/b" --output-on-failure &&
    run "$tmp/top.log" cmake --install "$tmp/b"
check "top level: configure, build, ctest (unit suites), install" $?
grep '"file"' "$tmp/b/compile_commands.json" | grep -q ges_job_status.c &&
    grep '"file"' "$tmp/b/compile_commands.json" | grep -q examples/minimal.c &&
    grep -B3 '/ges_job.c"' "$tmp/b/compile_commands.json" | grep -q -- '-Werror'
check "top level: the CLI and examples/minimal.c are built, and ges_job.c with -Werror (our own build)" $?
for fi in include/ges_job.h include/ges_port_posix.h lib/libges_job.a lib/libges_job_port_posix.a \
    lib/pkgconfig/ges_job.pc lib/cmake/ges_job/ges_jobConfig.cmake \
    lib/cmake/ges_job/ges_jobConfigVersion.cmake bin/ges_job_status; do
    [ -f "$tmp/i/$fi" ] || { echo "     not installed: $fi"; false; } || break
done
check "install: header, libraries, ges_job.pc, ges_jobConfig.cmake + version file, CLI" $?
cat >"$tmp/use.c" <<'C'
#include <ges_job.h>
#include <string.h>
int main(void)
{
    static const char body[] = "{\"jobId\":\"j\",\"status\":\"success\"}";
    ges_job_status_t st;
    return ges_job_parse(body, strlen(body), &st) == GES_OK &&
                   st.job_state == GES_JOB_SUCCESS ? 0 : 1;
}
C
PKG_CONFIG_PATH="$tmp/i/lib/pkgconfig" cc -std=c99 -Wall -Werror "$tmp/use.c" \
    $(PKG_CONFIG_PATH="$tmp/i/lib/pkgconfig" pkg-config --cflags --libs ges_job) -o "$tmp/use" &&
    "$tmp/use"
check "a program built with pkg-config ges_job against the installed files" $?
run "$tmp/fp.log" cmake -S $T/consumer -B "$tmp/fp" -DMODE=find_package -DCMAKE_PREFIX_PATH="$tmp/i" &&
    run "$tmp/fp.log" cmake --build "$tmp/fp" && "$tmp/fp/app"
check "find_package(ges_job 0.1 CONFIG): ges_job::ges_job + ges_job::port_posix, links and runs" $?
sed 's/find_package(ges_job 0.1 CONFIG REQUIRED)/find_package(ges_job 1.0 CONFIG REQUIRED)/' \
    $T/consumer/CMakeLists.txt >"$tmp/v.txt"
mkdir -p "$tmp/fv" && cp "$tmp/v.txt" "$tmp/fv/CMakeLists.txt" && cp $T/consumer/app.c "$tmp/fv/"
! cmake -S "$tmp/fv" -B "$tmp/fv/b" -DMODE=find_package -DCMAKE_PREFIX_PATH="$tmp/i" >"$tmp/fv.log" 2>&1 &&
    grep -q 'ges_jobConfig.cmake, version: 0.1.0' "$tmp/fv.log"
check "find_package(ges_job 1.0) is refused by the version file (0.1.0 installed)" $?

echo "== subprojects on the host"
run "$tmp/sd.log" cmake -S $T/consumer -B "$tmp/sd" -DGES_ROOT="$ROOT" $CC_JSON -DMODE=subdir &&
    run "$tmp/sd.log" cmake --build "$tmp/sd" -j2 && "$tmp/sd/app"
check "add_subdirectory, options as normal variables (GES_JOB_PORT posix): builds and runs" $?
no_werror "$tmp/sd" && ! grep -q 'ges_job_status\|tests/test_' "$tmp/sd/compile_commands.json"
check "add_subdirectory: no CLI, no tests, no -Werror (ges_job.c or the consumer)" $?
mkdir -p "$tmp/jsmn"
ln -s /usr/include/jsmn.h "$tmp/jsmn/jsmn.h"
run "$tmp/fc.log" cmake -S $T/consumer -B "$tmp/fc" -DGES_ROOT="$ROOT" $CC_JSON -DMODE=fetch -DJSMN_DIR="$tmp/jsmn" \
    "-DGES_JOB_PORT=posix;lwip" -DGES_JOB_LWIP_INCLUDE_DIRS="$(pkg-config --cflags-only-I lwip | sed 's/^ *-I//; s/ *$//')" \
    -DCMAKE_C_FLAGS=-D_POSIX_C_SOURCE=200809L &&
    run "$tmp/fc.log" cmake --build "$tmp/fc" -j2 && "$tmp/fc/app"
check "FetchContent (SOURCE_DIR) with a jsmn target; ports posix and lwip (Debian's lwIP)" $?
grep -B3 '/ges_job.c"' "$tmp/fc/compile_commands.json" | grep -q -- "-isystem $tmp/jsmn" &&
    [ -f "$tmp/fc/_deps/ges_job-build/libges_job_port_lwip.a" ] && no_werror "$tmp/fc"
check "FetchContent: jsmn from the jsmn target, ges_job::port_lwip built, no -Werror" $?
! cmake -S $T/consumer -B "$tmp/bad" -DGES_ROOT="$ROOT" -DMODE=subdir -DGES_JOB_PORT=zeta >"$tmp/bad.log" 2>&1 &&
    grep -q "unknown port 'zeta'" "$tmp/bad.log"
check "GES_JOB_PORT=zeta stops with 'unknown port'" $?
if [ -f port/lwip_raw/ges_port_lwip_raw.c ]; then
    cmake -S $T/consumer -B "$tmp/raw" -DGES_ROOT="$ROOT" -DMODE=subdir "-DGES_JOB_PORT=posix;lwip_raw" >"$tmp/raw.log" 2>&1
    check "GES_JOB_PORT=lwip_raw configures (port/lwip_raw is in the tree)" $?
else
    ! cmake -S $T/consumer -B "$tmp/raw" -DGES_ROOT="$ROOT" -DMODE=subdir -DGES_JOB_PORT=lwip_raw >"$tmp/raw.log" 2>&1 &&
        grep -q "port 'lwip_raw' is not in this tree" "$tmp/raw.log"
    check "GES_JOB_PORT=lwip_raw stops with 'not in this tree' (port/lwip_raw not merged yet)" $?
fi

echo "== Cortex-M4 cross build as a subproject ($(arm-none-eabi-gcc -dumpversion))"
X="-DCMAKE_TOOLCHAIN_FILE=$ROOT/$T/arm-none-eabi.cmake -DGES_ROOT=$ROOT $CC_JSON"
mkdir -p "$tmp/jsmn-only"
ln -s /usr/include/jsmn.h "$tmp/jsmn-only/jsmn.h" # newlib's headers, not glibc's
run "$tmp/x.log" cmake -S $T/cross -B "$tmp/x" $X -DGES_JOB_TLS=OFF -DGES_JOB_JSMN_INCLUDE_DIR="$tmp/jsmn-only" &&
    run "$tmp/x.log" cmake --build "$tmp/x" -j2
check "cross, GES_JOB_TLS=OFF, GES_JOB_JSMN_INCLUDE_DIR: configure and build (fw.elf linked)" $?
arm-none-eabi-readelf -h "$tmp/x/fw.elf" 2>/dev/null | grep -q 'Machine: *ARM' &&
    arm-none-eabi-objdump -a "$tmp/x/ges_job/libges_job.a" | grep -q 'elf32-littlearm'
check "cross: libges_job.a and fw.elf are ARM" $?
! grep -q 'ges_port_\|ges_job_status\|tests/test_' "$tmp/x/compile_commands.json" &&
    [ -z "$(find "$tmp/x" -name 'libges_job_port*' -o -name 'ges_job_status*')" ] &&
    grep -q 'GES_CONFIG_NO_TLS=1' "$tmp/x/compile_commands.json"
check "cross: no port, no CLI, no tests built; GES_CONFIG_NO_TLS=1" $?
no_werror "$tmp/x" && grep -q "unused variable 'unused_on_purpose'" "$tmp/x.log"
check "cross: no -Werror reaches the consumer (its -Wall warning stays a warning)" $?
! cmake -S $T/cross -B "$tmp/x2" $X -DGES_JOB_TLS=OFF >"$tmp/x2.log" 2>&1 &&
    grep -q 'GES_JOB_JSMN_INCLUDE_DIR' "$tmp/x2.log"
check "cross without jsmn: stops and names GES_JOB_JSMN_INCLUDE_DIR (host /usr/include not used)" $?
! cmake -S $T/cross -B "$tmp/x3" $X -DGES_JOB_JSMN_INCLUDE_DIR="$tmp/jsmn-only" >"$tmp/x3.log" 2>&1 &&
    grep -q 'mbedTLS not found' "$tmp/x3.log"
check "cross with TLS and no mbedTLS: stops with 'mbedTLS not found' (no host library picked)" $?
MSRC=$ROOT/build/mbedtls-src/mbedtls-2.28.3
[ -d "$MSRC" ] || bash tests/mbedtls/build.sh 2.28.3 cortex-m4 >"$tmp/msrc.log" 2>&1
if [ -d "$MSRC" ]; then
    run "$tmp/xt.log" cmake -S $T/cross -B "$tmp/xt" $X -DGES_JOB_JSMN_INCLUDE_DIR="$tmp/jsmn-only" \
        -DFW_MBEDTLS_SRC="$MSRC" -DFW_MBEDTLS_CONFIG="$ROOT/port/mbedtls_config_ges.h" &&
        run "$tmp/xt.log" cmake --build "$tmp/xt" -j2 &&
        grep -q 'ges_job: mbedTLS targets mbedtls;mbedx509;mbedcrypto' "$tmp/xt.log" &&
        arm-none-eabi-readelf -h "$tmp/xt/fw.elf" | grep -q 'Machine: *ARM'
    check "cross with TLS: mbedTLS 2.28.3's own CMake targets; the whole client links (fw.elf)" $?
    no_werror "$tmp/xt" && [ -z "$(find "$tmp/xt" -name 'libges_job_port*')" ]
    check "cross with TLS: no port, no -Werror" $?
else
    echo "skip cross with TLS: no mbedTLS 2.28.3 source (tests/mbedtls/build.sh failed: $tmp/msrc.log)"
fi

echo "== manifests and Kconfig (manifests.py)"
"$PY" $T/manifests.py --sdkconfig "$tmp" >"$tmp/man.log" 2>&1
r=$?
cat "$tmp/man.log"
p=$((p + $(grep -c '^ok ' "$tmp/man.log")))
f=$((f + $(grep -c '^FAIL ' "$tmp/man.log")))
[ $r -eq 0 ] || grep -q '^FAIL ' "$tmp/man.log" || check "manifests.py ran" $r

echo "== ESP-IDF component and Zephyr module under stub functions"
cmake -DGES_ROOT="$ROOT" -P $T/idf_early.cmake >"$tmp/early.log" 2>&1
r=$?
cat "$tmp/early.log"
check "ESP-IDF early expansion: the ESP_PLATFORM branch runs in script mode, REQUIRES mbedtls lwip" $r
run "$tmp/idf.log" cmake -S $T/idf -B "$tmp/idf" -DGES_ROOT="$ROOT" -DSDKCONFIG_DIR="$tmp" &&
    run "$tmp/idf.log" cmake --build "$tmp/idf" -j2 && "$tmp/idf/app"
check "ESP-IDF stub: component (ges_job.c + port/lwip) builds; bounds from sdkconfig.h; app runs" $?
nm "$tmp/idf/ges_job/CMakeFiles/__idf_ges_job.dir/ges_job.c.o" 2>/dev/null | grep -q ' U jsmn_parse' &&
    cc -std=c99 -O1 -I. -I$T/idf/jsmn_include tests/test_parse.c ges_job.c $T/idf/jsmn_component.c \
        -lmbedtls -lmbedx509 -lmbedcrypto -lm -o "$tmp/tp_ext" >"$tmp/tp_ext.log" 2>&1 &&
    "$tmp/tp_ext" >"$tmp/tp_ext.log" 2>&1
r=$?
tail -1 "$tmp/tp_ext.log" | sed "s/^/     test_parse: /"
check "with espressif/jsmn's layout (jsmn compiled apart, not strict) test_parse passes" $r
cmake -DGES_ROOT="$ROOT" -DCONFIG_GES_JOB=y -P $T/zephyr_stub.cmake >"$tmp/z.log" 2>&1
r=$?
cat "$tmp/z.log"
check "Zephyr stub, CONFIG_GES_JOB=y: ges_job.c, include folders exist, mbedTLS linked" $r
cmake -DGES_ROOT="$ROOT" -P $T/zephyr_stub.cmake >"$tmp/z0.log" 2>&1
check "Zephyr stub, CONFIG_GES_JOB unset: nothing built" $?

echo "$p passed, $f failed"
[ "$f" -eq 0 ]
