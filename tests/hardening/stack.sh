#!/bin/sh
# make stack: gcc -fstack-usage -fcallgraph-info=su builds of ges_job.c at -O2 and -Os (the
# default bounds), then tests/hardening/stack.py: worst-case stack depth of every public
# function through the call graph of ges_job.c (mbedTLS, libc and the port excluded and
# named), no recursion, no dynamic frames, ges_job_parse at most 2048 bytes; then
# tests/hardening/banned.py: no sprintf/strcpy/strcat/heap calls in ges_job.c.
# Ends with one "N passed, N failed" line. The Markdown table is left in B/stack.md.
set -u
B=${1:-build-stack}
cd "$(dirname "$0")/../.." || exit 1
PY=${PYTHON:-python3}
CC_STACK=${STACK_CC:-gcc}
PARSE_LIMIT=${STACK_PARSE_LIMIT:-2048}
. tests/count.sh
trap 'hard_cleanup' EXIT

ok=0
for o in O2 Os; do
    mkdir -p "$B/$o"
    rm -f "$B/$o/ges_job.ci" "$B/$o/ges_job.su"
    echo "\$ $CC_STACK -std=c99 -$o -fstack-usage -fcallgraph-info=su -I. -Iport/posix -c ges_job.c -o $B/$o/ges_job.o"
    "$CC_STACK" -std=c99 -"$o" -fstack-usage -fcallgraph-info=su -I. -Iport/posix \
        -c ges_job.c -o "$B/$o/ges_job.o" || ok=1
done
hard_check "$CC_STACK -fcallgraph-info builds (-O2, -Os)" $ok
[ $ok -eq 0 ] && hard_run "stack depth (no recursion, ges_job_parse <= $PARSE_LIMIT bytes)" \
    "$PY" tests/hardening/stack.py --limit "ges_job_parse=$PARSE_LIMIT" \
    --markdown "$B/stack.md" "O2=$B/O2/ges_job.ci" "Os=$B/Os/ges_job.ci"
hard_run "banned calls in ges_job.c" "$PY" tests/hardening/banned.py ges_job.c
hard_total
