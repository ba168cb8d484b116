#!/bin/sh
# Install Debian packages that are missing: the one installer every script
# and make target uses.
#   sh tests/deps.sh                 what building and `make test` need (group test)
#   sh tests/deps.sh GROUP|PKG...    these groups and packages (NAME:armhf adds armhf)
# Groups:
#   test       build-essential pkg-config libjsmn-dev libmbedtls-dev python3 openssl
#              ca-certificates
#   host       the library's build alone (build-essential pkg-config libjsmn-dev
#              libmbedtls-dev)
#   cortex-m   gcc-arm-none-eabi, its binutils and newlib (nano.specs)
#   lwip       liblwip-dev (headers only are used; 2.1.3 in Debian 12)
#   armhf      gcc-arm-linux-gnueabihf qemu-user libc6-dev-armhf-cross
#              libmbedtls-dev:armhf libjsmn-dev (adds the armhf architecture)
#   embedded   host cortex-m lwip armhf (make ci-embedded)
#   analyze    cppcheck clang-tidy clang clang-format, lwip (make analyze, make format)
#   hardening  analyze, valgrind and gcovr (make ci-hardening)
#   bench      test, valgrind (callgrind, memcheck, massif), cJSON and libcurl
#              (OpenSSL flavour) for the side-by-side programs, GNU time (peak
#              RSS), cortex-m (flash figures)
# apt-get update is tolerated when it fails: a mirror mid-sync (seen for
# armhf) makes it exit 100 while the install itself still works; it is
# tried twice, then the install is attempted and its own failure stops us.
set -eu

group() { # the packages of group $1, or $1 itself (a package)
    case "$1" in
    # test: liblwip-dev for the port/README.md lwIP examples that
    # tests/doc_examples.py compiles; host: openssl makes the lwIP port
    # tests' throw-away CA.
    test) echo "build-essential pkg-config libjsmn-dev libmbedtls-dev python3 openssl ca-certificates liblwip-dev" ;;
    host) echo "build-essential pkg-config libjsmn-dev libmbedtls-dev openssl" ;;
    cortex-m) echo "gcc-arm-none-eabi binutils-arm-none-eabi libnewlib-arm-none-eabi" ;;
    lwip) echo "pkg-config liblwip-dev" ;;
    armhf) echo "gcc-arm-linux-gnueabihf qemu-user libc6-dev-armhf-cross libmbedtls-dev:armhf libjsmn-dev" ;;
    embedded) for g in host cortex-m lwip armhf; do group "$g"; done ;;
    analyze) echo "cppcheck clang-tidy clang clang-format"; group lwip ;;
    hardening) group analyze; echo "valgrind gcovr" ;;
    bench) group test; group cortex-m; echo "valgrind libcjson-dev libcurl4-openssl-dev time" ;;
    *) echo "$1" ;;
    esac
}

pkgs=""
[ $# -eq 0 ] && set -- test
for a in "$@"; do pkgs="$pkgs $(group "$a" | tr '\n' ' ')"; done
missing=""
for p in $pkgs; do
    case " $missing " in *" $p "*) continue ;; esac
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
