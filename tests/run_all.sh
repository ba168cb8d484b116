#!/bin/sh
# Runs every suite of `make test` and ends with one line CI reads:
#   N passed, N failed
# Each suite prints its own "N passed, N failed" line; they are summed here.
# A suite that crashes or prints no count counts as one failure.
set -u
B=${1:-build}
PY=${PYTHON:-python3}
total_p=0
total_f=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run() {
    name=$1; shift
    echo "== $name"
    "$@" >"$log" 2>&1
    rc=$?
    cat "$log"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        echo "$name: no result line (exit $rc)"
        total_f=$((total_f + 1))
        return
    fi
    p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    total_p=$((total_p + p))
    total_f=$((total_f + f))
}

run "parse (unit)" "$B/test_parse"
run "http (unit)" "$B/test_http"
run "wait schedule (unit, fake clock)" "$B/test_wait"
run "streaming (unit, 10 MiB answer)" "$B/test_stream"
run "AK/SK signing (unit, published vectors)" "$B/test_sign"
run "port posix (unit)" "$B/test_port_posix"
run "integration (CLI + library + TLS simulator)" "$PY" tests/integration.py "$B/ges_job_status"
run "integration: waiting (CLI --wait + simulator)" "$PY" tests/integration_wait.py "$B/ges_job_status"
run "integration: AK/SK signing (CLI + simulator's own verifier)" "$PY" tests/integration_aksk.py "$B/ges_job_status"

echo "== all suites"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
