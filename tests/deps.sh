#!/bin/sh
# Install what building and testing ges_job needs on Debian, if missing.
# Used by `make deps` (and so by `make demo` and `make test`) and by .ci/run.
set -eu
pkgs="build-essential pkg-config libjsmn-dev libmbedtls-dev python3 openssl ca-certificates clang"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || $SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
