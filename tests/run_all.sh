#!/bin/sh
# Runs every suite of `make test` and ends with one line CI reads:
#   N passed, N failed
# Each suite prints its own "N passed, N failed" line; they are summed here
# (tests/count.sh: a suite that crashes or prints no count is one failure).
set -u
B=${1:-build}
PY=${PYTHON:-python3}
# The suites talk to loopback simulators: a proxy from the environment
# (the CLI reads https_proxy / HTTPS_PROXY) must not carry them.
unset https_proxy HTTPS_PROXY
. tests/count.sh

hard_run "parse (unit)" "$B/test_parse"
hard_run "parse, built without the error sentences, GES_ERROR_TEXTS=0 (unit)" "$B/test_parse_texts0"
hard_run "http (unit)" "$B/test_http"
hard_run "wait schedule (unit, fake clock)" "$B/test_wait"
hard_run "streaming (unit, 10 MiB answer)" "$B/test_stream"
hard_run "AK/SK signing (unit, published vectors)" "$B/test_sign"
hard_run "keep-alive and IP literals (unit, in-process mbedTLS server)" "$B/test_keepalive"
hard_run "HTTP CONNECT proxy (unit, in-process mbedTLS server)" "$B/test_proxy"
hard_run "built without the proxy, GES_PROXY=0 (unit)" "$B/test_proxy0"
hard_run "port posix (unit)" "$B/test_port_posix"
hard_run "CLI parsing and escaping (unit)" "$B/test_cli"
hard_run "schema: a field added the documented way (unit)" "$B/test_schema"
hard_run "the headers from C++98 (unit, tests/test_cxx.cpp)" "$B/test_cxx98"
hard_run "the headers from C++11 (unit, tests/test_cxx.cpp)" "$B/test_cxx11"
hard_run "library over TLS (test_client against the simulator)" \
    "$PY" tests/mbedtls/with_sim.py -- "$B/test_client" '{port}' '{ca}' '{token}' '{expired}' '{wrongname}'
hard_run "fuzz corpora and regressions replayed (standalone harnesses)" sh tests/fuzz/replay.sh "$B"
hard_run "integration (CLI + library + TLS simulator)" "$PY" tests/integration.py "$B/ges_job_status"
hard_run "integration: waiting (CLI --wait + simulator)" "$PY" tests/integration_wait.py "$B/ges_job_status"
hard_run "integration: HTTP CONNECT proxy (CLI + simulator --proxy)" "$PY" tests/integration_proxy.py "$B/ges_job_status"
hard_run "integration: AK/SK signing (CLI + simulator's own verifier)" "$PY" tests/integration_aksk.py "$B/ges_job_status"
hard_run "configuration checks: ranges, 0/1 switches, mbedTLS modules (tests/config_check.py)" "$PY" tests/config_check.py
hard_run "reference: @param/@return on every public function, \"Returned by\" on every error, the two agree (tests/doc_reference.py)" "$PY" tests/doc_reference.py
hard_run "examples: every C block of ges_job.h and the READMEs compiles (tests/doc_examples.py)" "$PY" tests/doc_examples.py "$B"
hard_run "examples: the check above refuses a broken block (the old quick start)" "$PY" tests/doc_examples.py --self-test
hard_run "examples: examples/minimal.c against the simulator" "$PY" tests/example_minimal.py "$B/minimal"
hard_run "CMake, cross build, ESP-IDF/Zephyr/PlatformIO glue (tests/cmake_check.sh)" sh tests/cmake_check.sh

echo "== all suites"
hard_total
