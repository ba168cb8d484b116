# Hardening targets (included by the Makefile). Each ends with one "N passed, N failed" line.
#   make test-asan      every suite on an ASan+UBSan build (clang) in build-asan/
#   make test-valgrind  unit suites + tests/integration.py (CLI, test_client) under valgrind
#   make analyze        cppcheck, clang-tidy (.clang-tidy), the strict -Werror builds and
#                       clang-format --dry-run (.clang-format)
#   make format         applies .clang-format (tests/hardening/format.sh has the file list)
#   make coverage       whole suite on a gcov build in build-cov/, gcovr line/branch coverage
#                       of ges_job.c against tests/hardening/coverage-floor.txt
#   make stack          worst-case stack depth per public function (gcc -fcallgraph-info),
#                       no recursion, ges_job_parse <= 2 KiB; no sprintf/strcpy/heap calls
#   make ci-hardening   all five in sequence (each counted as one test)
# The scripts are in tests/hardening/; tests/deps.sh (groups analyze, hardening) installs what
# is missing.
# The instrumented builds reuse the Makefile's rules through a recursive make with their own
# B, CC and CFLAGS (the link lines pass CFLAGS, so -fsanitize/--coverage reach the linker).
# GES_ASSERT is assert() in every test and fuzz binary (tests/assert_on.h); the sanitizer
# and coverage builds also build their library object so (LIB_CFLAGS), for the CLI and
# test_client; the plain `make test` library stays the shipped one.

ASAN_B    ?= build-asan
ASAN_CC   ?= clang
SAN_FLAGS ?= -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
VG_B      ?= build-valgrind
COV_B     ?= build-cov
STACK_B   ?= build-stack

HARDENING_SH = $(if $(PYTHON),PYTHON='$(PYTHON)') sh

.PHONY: hardening-build hardening-deps test-asan test-valgrind analyze format coverage stack ci-hardening

# Everything `make test` builds, in $(B): the sub-makes below call it with their own B.
hardening-build: all $(TESTS) $(FUZZ_REPLAYS)

hardening-deps:
	@sh tests/deps.sh hardening

test-asan: deps
	@sh tests/deps.sh clang
	@$(MAKE) --no-print-directory B=$(ASAN_B) CC=$(ASAN_CC) CFLAGS='-O1 -g $(SAN_FLAGS)' LIB_CFLAGS='$(TEST_ASSERT)' hardening-build
	@$(HARDENING_SH) tests/hardening/asan.sh $(ASAN_B)

test-valgrind: deps
	@sh tests/deps.sh valgrind
	@$(MAKE) --no-print-directory B=$(VG_B) CFLAGS='-O1 -g' hardening-build
	@$(HARDENING_SH) tests/hardening/valgrind.sh $(VG_B)

analyze: deps
	@sh tests/deps.sh analyze
	@$(HARDENING_SH) tests/hardening/analyze.sh

format:
	@sh tests/deps.sh clang-format
	@sh tests/hardening/format.sh

# Stale counters would mix runs: the .gcda files go before every run.
coverage: deps
	@sh tests/deps.sh gcovr
	@$(MAKE) --no-print-directory B=$(COV_B) CC=gcc CFLAGS='-O0 -g --coverage -fprofile-update=atomic' LIB_CFLAGS='$(TEST_ASSERT)' hardening-build
	@rm -f $(COV_B)/*.gcda
	@$(HARDENING_SH) tests/hardening/coverage.sh $(COV_B)

stack: deps
	@$(HARDENING_SH) tests/hardening/stack.sh $(STACK_B)

ci-hardening: deps hardening-deps
	@MAKE='$(MAKE)' $(HARDENING_SH) tests/hardening/ci.sh
