#!/bin/sh
# tests/embedded/deps.sh - install what the embedded checks need on Debian,
# if missing (the targets in tests/mk/embedded.mk call it).
#
#   tests/embedded/deps.sh [cortex-m] [lwip] [armhf] [host]
#
# With no argument, everything. Groups:
#   host      libjsmn-dev libmbedtls-dev pkg-config build-essential openssl
#             (the lwIP port tests make a throw-away CA with it)
#   cortex-m  gcc-arm-none-eabi libnewlib-arm-none-eabi (newlib, nano.specs)
#   lwip      liblwip-dev (headers only are used; 2.1.3 in Debian 12)
#   armhf     gcc-arm-linux-gnueabihf qemu-user libc6-dev-armhf-cross and
#             libmbedtls-dev:armhf (adds the armhf architecture to dpkg)
#
# The install itself is tests/deps.sh's (it adds the armhf architecture for
# NAME:armhf packages and tolerates a failing apt-get update).
set -eu

groups=${*:-"host cortex-m lwip armhf"}
pkgs=""
for g in $groups; do
    case "$g" in
    host) pkgs="$pkgs build-essential pkg-config libjsmn-dev libmbedtls-dev openssl" ;;
    cortex-m) pkgs="$pkgs gcc-arm-none-eabi binutils-arm-none-eabi libnewlib-arm-none-eabi" ;;
    lwip) pkgs="$pkgs pkg-config liblwip-dev" ;;
    armhf)
        pkgs="$pkgs gcc-arm-linux-gnueabihf qemu-user libc6-dev-armhf-cross libmbedtls-dev:armhf libjsmn-dev"
        ;;
    *)
        echo "deps.sh: unknown group '$g' (host cortex-m lwip armhf)" >&2
        exit 2
        ;;
    esac
done

# shellcheck disable=SC2086
exec sh "$(dirname "$0")/../deps.sh" $pkgs
