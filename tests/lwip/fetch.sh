#!/bin/sh
# tests/lwip/fetch.sh - lwIP 2.1.3's sources from Debian's source package
# (lwip 2.1.3+dfsg1-2, bookworm), downloaded and extracted once into
# BUILD_DIR/lwip-src/. Standalone: host tests and firmware builds call it
# alike.
#
#   sh tests/lwip/fetch.sh [BUILD_DIR]        (default: build, under the repo)
#
# Last line on stdout: the absolute path of the extracted tree (it holds
# src/core, src/include, src/netif, contrib/...). Everything else goes to
# stderr. A second run finds the stamp file and only prints the path. Runs in
# parallel are serialised by a lock file in BUILD_DIR/lwip-src/.
#
# Download: `apt-get source --download-only lwip=2.1.3+dfsg1-2`, which needs a
# deb-src entry. When apt knows no lwip source package and no deb-src entry
# exists in /etc/apt, one is added, as tests/mbedtls/build.sh does it:
# /etc/apt/sources.list.d/ges-lwip-src.sources, with the URI and keyring of
# the Debian binary entry, Suites "bookworm trixie", Components main (needs
# root or sudo), then `apt-get update`. Extraction: `dpkg-source -x` (from
# dpkg-dev, installed if missing; a gpgv "No public key" warning is
# harmless). Nothing downloaded is ever committed (build/ is git-ignored).
#
# Environment: LWIP_DEBVER (default 2.1.3+dfsg1-2).
set -eu

DEBVER=${LWIP_DEBVER:-2.1.3+dfsg1-2}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${1:-$ROOT/build}
mkdir -p "$B/lwip-src"
SRCROOT=$(cd "$B/lwip-src" && pwd)
UPVER=${DEBVER%-*} # 2.1.3+dfsg1
SRC=$SRCROOT/lwip-$UPVER

log() { echo "fetch.sh: $*" >&2; }

SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO=sudo
as_root() {
    if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
        log "needs root or sudo for: $*"
        exit 1
    fi
    $SUDO "$@"
}

# Fast path, without the lock: already extracted.
if [ -f "$SRC/.ges-extracted" ]; then
    echo "$SRC"
    exit 0
fi

exec 9>"$SRCROOT/.fetch.lock"
if command -v flock >/dev/null 2>&1; then
    flock 9
fi
if [ -f "$SRC/.ges-extracted" ]; then # another run finished meanwhile
    echo "$SRC"
    exit 0
fi

. "$ROOT/tests/debian_entry.sh" # debian_source_download: the .dsc through a deb-src entry

if ! command -v dpkg-source >/dev/null 2>&1; then
    log "installing dpkg-dev (for dpkg-source)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends -o DPkg::Lock::Timeout=120 dpkg-dev >&2
fi

DSC=$SRCROOT/lwip_$DEBVER.dsc
if [ ! -f "$DSC" ]; then
    debian_source_download lwip "$DEBVER" "$SRCROOT"
fi
rm -rf "$SRC"
(cd "$SRCROOT" && dpkg-source -x "$DSC" "$SRC" >&2)
[ -f "$SRC/src/core/tcp.c" ] || { log "no src/core/tcp.c in $SRC"; exit 1; }
touch "$SRC/.ges-extracted"
echo "$SRC"
