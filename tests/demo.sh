#!/bin/sh
# `make demo`: start the bundled GES simulator on loopback (with a throwaway
# CA made now), then fetch a job's status over TLS with the CLI.
set -eu
B=${1:-build}
PY=${PYTHON:-python3}
unset https_proxy HTTPS_PROXY # loopback: never through a proxy from the environment
dir=$(mktemp -d)
state="$dir/state.json"
"$PY" tests/sim/ges_sim.py --dir "$dir/sim" --state-file "$state" >/dev/null &
sim=$!
trap 'kill $sim 2>/dev/null; wait $sim 2>/dev/null; rm -rf "$dir"' EXIT INT TERM
i=0
while [ ! -s "$state" ]; do
    i=$((i + 1))
    [ $i -gt 100 ] && { echo "demo: the simulator did not start" >&2; exit 1; }
    sleep 0.1
done
field() { "$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$state" "$1"; }
port=$(field port)
ca=$(field ca)
printf '%s\n' "$(field token)" > "$dir/token"
echo "\$ ges_job_status --endpoint https://localhost:$port --ca-file <throwaway CA> --token-file <file> my-project my-graph job-success"
rc=0
"$B/ges_job_status" --endpoint "https://localhost:$port" --ca-file "$ca" \
    --token-file "$dir/token" my-project my-graph job-success || rc=$?
echo "(exit $rc)"
[ $rc -eq 0 ] || exit $rc

echo
echo "\$ ges_job_status ... --wait --interval-ms 300 my-project my-graph job-import"
echo "  (an import job: pending, running with progress, then success; progress on stderr)"
"$B/ges_job_status" --endpoint "https://localhost:$port" --ca-file "$ca" \
    --token-file "$dir/token" --wait --interval-ms 300 my-project my-graph job-import || rc=$?
echo "(exit $rc)"
exit $rc
