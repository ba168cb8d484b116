# Benchmarks (tests/bench/, see tests/bench/BENCHMARKS.md). Not part of
# `make test`. `make bench` installs what it needs (tests/deps.sh bench),
# builds the programs into $(B)/bench, runs every runner (each starts and
# stops its own simulator), prints each figure with the command that
# reproduces it, then the table and the targets (met / missed). Missed
# targets are reported, not failures; a program that fails is. The runners
# go one after the other (timings must not share the CPU with each other).
#
#   make bench            everything (about 2-3 minutes)
#   make bench-bin        only build the programs
#   make bench-cpu | bench-flash | bench-ram | bench-e2e   one area
#   make bench-summary    the table of the last results again
#   BENCH_REPEAT=15 make bench-e2e   more end-to-end repetitions (median; default 9)
#   make soak             100,000 kept-alive polls and 2,000 reconnects, heap,
#                         fds and RSS flat (tests/mk/faults.mk; not in `make bench`)

BENCH_DIR    = $(B)/bench
# One set of flags for every benchmark program, and for the ges_job objects
# they link (cJSON, libcurl and mbedTLS are Debian's builds).
BENCH_CFLAGS ?= -std=c99 -O2 -g -Wall -Wextra
BENCH_INC     = -I. -Iport/posix -Itests/bench -I$(BENCH_DIR)
BENCH_MBEDTLS = -lmbedtls -lmbedx509 -lmbedcrypto
BENCH_WRAP    = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free
BENCH_REPEAT ?= 9

BENCH_BINS = $(BENCH_DIR)/cpu_parse $(BENCH_DIR)/e2e_polls $(BENCH_DIR)/e2e_polls_static \
             $(BENCH_DIR)/e2e_polls_min64 $(BENCH_DIR)/e2e_curl $(BENCH_DIR)/e2e_mbedtls \
             $(BENCH_DIR)/ram_heap $(BENCH_DIR)/rss_run $(BENCH_DIR)/rss_floor

.PHONY: bench bench-deps bench-bin bench-cpu bench-flash bench-ram bench-e2e \
        bench-stream bench-summary

bench-deps:
	@sh tests/deps.sh bench

$(BENCH_DIR):
	@mkdir -p $(BENCH_DIR)

$(BENCH_DIR)/seed_200.h: tests/data/seed-200.json tests/bench/embed.py | $(BENCH_DIR)
	$(PYTHON) tests/bench/embed.py tests/data/seed-200.json SEED_200 > $@.tmp && mv $@.tmp $@

# ges_job objects of the benchmarks: the parser-only build, the full build,
# and one whose I/O buffer floor is lowered to the smallest allowed (64).
$(BENCH_DIR)/ges_job_notls.o: ges_job.c ges_job.h | $(BENCH_DIR)
	$(CC) $(BENCH_CFLAGS) $(BENCH_INC) -DGES_CONFIG_NO_TLS=1 -c ges_job.c -o $@

$(BENCH_DIR)/ges_job.o: ges_job.c ges_job.h | $(BENCH_DIR)
	$(CC) $(BENCH_CFLAGS) $(BENCH_INC) -c ges_job.c -o $@

$(BENCH_DIR)/ges_job_min64.o: ges_job.c ges_job.h | $(BENCH_DIR)
	$(CC) $(BENCH_CFLAGS) $(BENCH_INC) -DGES_IO_BUF_MIN=64 -c ges_job.c -o $@

$(BENCH_DIR)/ges_port_posix.o: port/posix/ges_port_posix.c port/posix/ges_port_posix.h ges_job.h | $(BENCH_DIR)
	$(CC) $(BENCH_CFLAGS) $(BENCH_INC) -c port/posix/ges_port_posix.c -o $@

$(BENCH_DIR)/cpu_parse: tests/bench/cpu_parse.c $(BENCH_DIR)/seed_200.h $(BENCH_DIR)/ges_job_notls.o
	$(CC) $(BENCH_CFLAGS) $(BENCH_INC) -DGES_CONFIG_NO_TLS=1 tests/bench/cpu_parse.c \
	    $(BENCH_DIR)/ges_job_notls.o $(BENCH_WRAP) -lcjson -o $@

BENCH_E2E_DEPS = tests/bench/bench_state.h $(BENCH_DIR)/ges_port_posix.o

$(BENCH_DIR)/e2e_polls: tests/bench/e2e_polls.c $(BENCH_E2E_DEPS) $(BENCH_DIR)/ges_job.o
	$(CC) $(BENCH_CFLAGS) $(BENCH_INC) tests/bench/e2e_polls.c $(BENCH_DIR)/ges_job.o \
	    $(BENCH_DIR)/ges_port_posix.o $(BENCH_MBEDTLS) -o $@

# The same program linked statically: how much of the peak RSS is shared
# libraries. (glibc warns that a static getaddrinfo still loads NSS modules.)
$(BENCH_DIR)/e2e_polls_static: tests/bench/e2e_polls.c $(BENCH_E2E_DEPS) $(BENCH_DIR)/ges_job.o
	$(CC) $(BENCH_CFLAGS) $(BENCH_INC) -static tests/bench/e2e_polls.c $(BENCH_DIR)/ges_job.o \
	    $(BENCH_DIR)/ges_port_posix.o $(BENCH_MBEDTLS) -o $@ 2>$@.log || { cat $@.log; exit 1; }

$(BENCH_DIR)/e2e_polls_min64: tests/bench/e2e_polls.c $(BENCH_E2E_DEPS) $(BENCH_DIR)/ges_job_min64.o
	$(CC) $(BENCH_CFLAGS) $(BENCH_INC) tests/bench/e2e_polls.c $(BENCH_DIR)/ges_job_min64.o \
	    $(BENCH_DIR)/ges_port_posix.o $(BENCH_MBEDTLS) -o $@

$(BENCH_DIR)/e2e_curl: tests/bench/e2e_curl.c tests/bench/bench_state.h | $(BENCH_DIR)
	$(CC) $(BENCH_CFLAGS) $(BENCH_INC) tests/bench/e2e_curl.c -lcurl -o $@

$(BENCH_DIR)/e2e_mbedtls: tests/bench/e2e_mbedtls.c tests/bench/bench_state.h | $(BENCH_DIR)
	$(CC) $(BENCH_CFLAGS) $(BENCH_INC) tests/bench/e2e_mbedtls.c $(BENCH_MBEDTLS) -o $@

# Static, so that --wrap also catches mbedTLS's own calloc/free calls.
$(BENCH_DIR)/ram_heap: tests/bench/ram_heap.c $(BENCH_E2E_DEPS) $(BENCH_DIR)/ges_job.o
	$(CC) $(BENCH_CFLAGS) $(BENCH_INC) -static tests/bench/ram_heap.c $(BENCH_DIR)/ges_job.o \
	    $(BENCH_DIR)/ges_port_posix.o $(BENCH_WRAP) $(BENCH_MBEDTLS) -o $@ 2>$@.log \
	    || { cat $@.log; exit 1; }

$(BENCH_DIR)/rss_run: tests/bench/rss_run.c | $(BENCH_DIR)
	$(CC) $(BENCH_CFLAGS) -static tests/bench/rss_run.c -o $@

$(BENCH_DIR)/rss_floor: tests/bench/rss_floor.c | $(BENCH_DIR)
	$(CC) $(BENCH_CFLAGS) -static tests/bench/rss_floor.c -o $@

bench-bin: $(BENCH_BINS) $(B)/ges_job_status

bench-cpu: bench-bin
	$(PYTHON) tests/bench/cpu_parse.py --bin $(BENCH_DIR) --annotate

bench-flash: | $(BENCH_DIR)
	$(PYTHON) tests/bench/flash.py --bin $(BENCH_DIR)

bench-ram: bench-bin
	$(PYTHON) tests/bench/ram.py --bin $(BENCH_DIR)

bench-e2e: bench-bin
	$(PYTHON) tests/bench/e2e.py --bin $(BENCH_DIR) --repeat $(BENCH_REPEAT) --cli $(B)/ges_job_status

# The other helper's benchmark (peak RSS of a streamed parse), when present;
# its verdict is printed, not a failure of `make bench`.
bench-stream: bench-bin
	@if [ -f tests/bench/stream_rss.py ]; then \
	    $(PYTHON) tests/bench/stream_rss.py $(B)/ges_job_status || \
	    echo "bench: stream_rss.py exited $$? (see its output above)"; fi

bench-summary:
	@$(PYTHON) tests/bench/summary.py --results $(BENCH_DIR)/results

bench: bench-deps
	@rm -rf $(BENCH_DIR)/results
	@$(MAKE) --no-print-directory bench-bin
	@for t in bench-flash bench-cpu bench-ram bench-e2e bench-stream; do \
	    $(MAKE) --no-print-directory $$t || exit 1; done
	@$(MAKE) --no-print-directory bench-summary

# Cancellation latency (issue 14): the worst time from ges_client_cancel()
# to the call's return over 80 cancels in four phases; target 100 ms.
.PHONY: bench-cancel
bench-cancel: $(B)/test_client
	$(PYTHON) tests/bench/cancel_latency.py $(B)/test_client
