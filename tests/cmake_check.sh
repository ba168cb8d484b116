#!/bin/sh
# The CMake build: configure, build, install into a temporary prefix, then
# compile and run a program against the installed header, library and
# ges_job.pc through pkg-config. Ends with "N passed, N failed".
set -u
command -v cmake >/dev/null 2>&1 || { sh tests/deps.sh; apt-get install -y -qq cmake >/dev/null 2>&1 || sudo apt-get install -y -qq cmake >/dev/null; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ges_cmake.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
p=0
f=0
check() {
    if [ "$2" -eq 0 ]; then echo "ok   $1"; p=$((p + 1)); else echo "FAIL $1"; f=$((f + 1)); fi
}
cmake -S . -B "$tmp/b" -DCMAKE_INSTALL_PREFIX="$tmp/i" >"$tmp/log" 2>&1 &&
    cmake --build "$tmp/b" -j2 >>"$tmp/log" 2>&1 &&
    cmake --install "$tmp/b" >>"$tmp/log" 2>&1
r=$?
[ $r -eq 0 ] || tail -20 "$tmp/log"
check "cmake configure, build and install" $r
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
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
