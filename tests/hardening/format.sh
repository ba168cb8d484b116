#!/bin/sh
# clang-format (the checked-in .clang-format) over the library, the ports, the
# examples and the top-level unit tests: one file list for both uses.
#   sh tests/hardening/format.sh          apply it in place (make format)
#   sh tests/hardening/format.sh --check  exit 1 if any file would change, with
#                                         the lines (make analyze)
set -u
cd "$(dirname "$0")/../.." || exit 1
CLANG_FORMAT=${CLANG_FORMAT:-clang-format}
files="ges_job.c ges_job.h $(find port -name '*.[ch]' | sort) $(ls examples/*.c tests/*.c tests/*.h tests/*.cpp 2>/dev/null)"
if [ "${1:-}" = "--check" ]; then
    # shellcheck disable=SC2086
    exec "$CLANG_FORMAT" --dry-run -Werror $files
fi
# shellcheck disable=SC2086
exec "$CLANG_FORMAT" -i $files
