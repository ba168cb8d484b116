#!/bin/sh
# Install what the hardening targets (tests/mk/hardening.mk) need on Debian, if missing:
# clang (ASan/UBSan build), valgrind, cppcheck, clang-tidy, gcovr (coverage report).
# Usage: sh tests/hardening/deps.sh [package ...]   (default: all of them)
set -eu
pkgs=${*:-"clang valgrind cppcheck clang-tidy gcovr"}
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "hardening deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# A partial update failure (one mirror index mid-sync) must not stop the install:
# apt-get install says itself whether a package cannot be found.
$SUDO apt-get update -qq || $SUDO apt-get update -qq || true
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
