# Fault injection and soak (issue 13, item 4; tests/faults/run.sh, which
# builds what it runs and ends with "N passed, N failed").
#
#   make test-faults        CI's run: tests/faults/test_faults.c under ASan+UBSan
#                           against mbedTLS 2.28.3 and 3.6.6 (test config,
#                           built from Debian's source and cached), allocation
#                           faults sampled, then the short soak (2,000 polls,
#                           100 reconnects against the simulator); 2-3 minutes
#   make test-faults-full   every N of every kind, allocation faults included
#                           (no sanitizer; 30 minutes or more)
#   make soak               the full soak: 100,000 kept-alive polls and 2,000
#                           reconnects, heap, fds and RSS flat (figures in
#                           tests/bench/BENCHMARKS.md)
# FAULTS_MBEDTLS="2.28.3" runs test_faults against one version only.
.PHONY: test-faults test-faults-full soak

test-faults: deps
	@sh tests/deps.sh clang
	@sh tests/faults/run.sh ci $(B)

test-faults-full: deps
	@sh tests/faults/run.sh full $(B)

soak: deps
	@sh tests/faults/run.sh soak $(B)
