#!/bin/sh
# Install Debian packages that are missing; the one installer every script
# uses (make deps, make test/demo, and the hardening, bench and embedded
# scripts with their own lists).
#   sh tests/deps.sh                 what building and `make test` need
#   sh tests/deps.sh PKG...          these packages (NAME:armhf adds armhf)
# apt-get update is tolerated when it fails: a mirror mid-sync (seen for
# armhf) makes it exit 100 while the install itself still works; it is
# tried twice, then the install is attempted and its own failure stops us.
set -eu
# liblwip-dev: lwIP's headers, for the port/README.md examples that
# tests/doc_examples.py compiles.
pkgs=${*:-"build-essential pkg-config libjsmn-dev libmbedtls-dev python3 openssl ca-certificates liblwip-dev"}
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
case "$missing" in
*:armhf*)
    dpkg --print-foreign-architectures | grep -qx armhf || $SUDO dpkg --add-architecture armhf ;;
esac
$SUDO apt-get update -qq || $SUDO apt-get update -qq ||
    echo "deps: apt-get update failed twice; trying the install anyway" >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
