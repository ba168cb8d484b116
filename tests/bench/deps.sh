#!/bin/sh
# Install what `make bench` needs on Debian, if missing: valgrind (callgrind,
# memcheck, massif), cJSON and libcurl (OpenSSL flavour) for the side-by-side
# programs, GNU time for peak RSS, the Cortex-M cross compiler for the flash
# figures, and what the library itself needs (jsmn, mbedTLS, python3, openssl).
set -eu
pkgs="build-essential pkg-config libjsmn-dev libmbedtls-dev python3 openssl ca-certificates \
valgrind libcjson-dev libcurl4-openssl-dev time gcc-arm-none-eabi libnewlib-arm-none-eabi"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "bench deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# A partial index failure (a mirror mid-sync, a foreign architecture) need not
# stop the install: retry once, then try with whatever lists we have.
$SUDO apt-get update -qq || $SUDO apt-get update -qq || echo "bench deps: apt-get update had errors; installing anyway" >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
