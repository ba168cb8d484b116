#!/bin/sh
# tests/firmware/test.sh - `make test-firmware`: install what is missing,
# build the firmware and the unit-suite images (tests/firmware/build.sh),
# run them (tests/firmware/run.py: private network namespace, simulator,
# QEMU), print the figures; the last line is "N passed, N failed".
#   sh tests/firmware/test.sh [BUILD_DIR]
set -u
B=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
t0=$(date +%s)
sh tests/deps.sh gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm iproute2 \
    util-linux python3 openssl dpkg-dev libjsmn-dev || { echo "0 passed, 1 failed"; exit 1; }
if ! sh tests/firmware/build.sh "$B"; then
    echo "firmware build failed"
    echo "0 passed, 1 failed"
    exit 1
fi
echo "== flash and static RAM of build/firmware/ges_fw.elf (tests/firmware/sizes.py)"
cat "$B/firmware/sizes.txt"
python3 tests/firmware/run.py "$B"
rc=$?
echo "(test-firmware: $(( $(date +%s) - t0 )) s)"
exit $rc
