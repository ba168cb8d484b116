#!/bin/sh
# tests/embedded/deps.sh - install what the embedded checks need on Debian,
# if missing (the targets in tests/mk/embedded.mk call it).
#
#   tests/embedded/deps.sh [cortex-m] [lwip] [armhf] [host]
#
# With no argument, everything. Groups:
#   host      libjsmn-dev libmbedtls-dev pkg-config build-essential
#   cortex-m  gcc-arm-none-eabi libnewlib-arm-none-eabi (newlib, nano.specs)
#   lwip      liblwip-dev (headers only are used; 2.1.3 in Debian 12)
#   armhf     gcc-arm-linux-gnueabihf qemu-user libc6-dev-armhf-cross and
#             libmbedtls-dev:armhf (adds the armhf architecture to dpkg)
#
# apt-get update is tolerated when it fails: a mirror that is mid-sync for
# armhf makes it exit 100 while the install itself still works (see
# /work/shared/PLATFORM-NOTES.md); it is tried twice, then the install is
# attempted anyway and its own failure is what stops us.
set -eu

groups=${*:-"host cortex-m lwip armhf"}
pkgs=""
need_armhf=0
for g in $groups; do
    case "$g" in
    host) pkgs="$pkgs build-essential pkg-config libjsmn-dev libmbedtls-dev" ;;
    cortex-m) pkgs="$pkgs gcc-arm-none-eabi binutils-arm-none-eabi libnewlib-arm-none-eabi" ;;
    lwip) pkgs="$pkgs pkg-config liblwip-dev" ;;
    armhf)
        pkgs="$pkgs gcc-arm-linux-gnueabihf qemu-user libc6-dev-armhf-cross libmbedtls-dev:armhf libjsmn-dev"
        need_armhf=1
        ;;
    *)
        echo "deps.sh: unknown group '$g' (host cortex-m lwip armhf)" >&2
        exit 2
        ;;
    esac
done

missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
echo "embedded deps: installing$missing" >&2
if [ "$need_armhf" -eq 1 ] && ! dpkg --print-foreign-architectures | grep -qx armhf; then
    $SUDO dpkg --add-architecture armhf
fi
$SUDO apt-get update -qq || $SUDO apt-get update -qq ||
    echo "embedded deps: apt-get update failed twice; trying the install anyway" >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
