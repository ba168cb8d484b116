# ges_job - build, test, demo. `make` builds build/libges_job.a and the CLI;
# `make test` and `make demo` first install what a fresh Debian lacks.
CC      ?= cc
CSTD    ?= -std=c99
WARN    ?= -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes -Wvla
# The library, the port and the CLI also pass the strict set (issue 6).
STRICT  ?= -Wconversion -Wcast-qual
OPT     ?= -O2 -g
CFLAGS  ?= $(OPT)
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) -I. -Iport/posix
LDLIBS  ?= -lmbedtls -lmbedx509 -lmbedcrypto
B       ?= build
PYTHON  ?= python3
# GES_ASSERT is assert() in the test, fuzz, sanitizer and coverage builds
# (tests/assert_on.h): the suites and harnesses that include ges_job.c
# include it first; where ges_job.c is compiled alone (test_parse, and the
# library object of the sanitizer and coverage builds through LIB_CFLAGS)
# TEST_ASSERT brings it in.
TEST_ASSERT ?= -include tests/assert_on.h
LIB_CFLAGS  ?=

LIB_OBJS = $(B)/ges_job.o $(B)/ges_port_posix.o
TESTS    = $(B)/test_parse $(B)/test_http $(B)/test_wait $(B)/test_stream $(B)/test_sign $(B)/test_keepalive \
           $(B)/test_port_posix $(B)/test_client $(B)/test_cli $(B)/test_schema $(B)/test_cxx98 $(B)/test_cxx11 $(B)/test_proxy $(B)/test_proxy0 \
           $(B)/test_parse_texts0

.PHONY: all deps test demo clean
all: $(B)/libges_job.a $(B)/ges_job_status $(B)/minimal

$(B):
	@mkdir -p $(B)

$(B)/ges_job.o: ges_job.c ges_job.h | $(B)
	$(CC) $(ALL_CFLAGS) $(STRICT) $(LIB_CFLAGS) -c ges_job.c -o $@

$(B)/ges_port_posix.o: port/posix/ges_port_posix.c port/posix/ges_port_posix.h ges_job.h | $(B)
	$(CC) $(ALL_CFLAGS) $(STRICT) -c port/posix/ges_port_posix.c -o $@

$(B)/libges_job.a: $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $(LIB_OBJS)

$(B)/ges_job_status: examples/ges_job_status.c $(B)/libges_job.a
	$(CC) $(ALL_CFLAGS) $(STRICT) examples/ges_job_status.c $(B)/libges_job.a $(LDLIBS) -o $@

# The minimal example (one fetch, about 100 lines): tests/example_minimal.py runs it.
$(B)/minimal: examples/minimal.c $(B)/libges_job.a
	$(CC) $(ALL_CFLAGS) $(STRICT) examples/minimal.c $(B)/libges_job.a $(LDLIBS) -o $@

# Unit tests include ges_job.c themselves, to reach its internals.
$(B)/test_parse: tests/test_parse.c tests/harness.h tests/seed_bodies.h tests/assert_on.h ges_job.c ges_job.h | $(B)
	$(CC) $(ALL_CFLAGS) $(TEST_ASSERT) tests/test_parse.c ges_job.c $(LDLIBS) -lm -o $@

# The same suite built without the error sentences (GES_ERROR_TEXTS=0).
$(B)/test_parse_texts0: tests/test_parse.c tests/harness.h tests/seed_bodies.h tests/assert_on.h ges_job.c ges_job.h | $(B)
	$(CC) $(ALL_CFLAGS) $(TEST_ASSERT) -DGES_ERROR_TEXTS=0 tests/test_parse.c ges_job.c $(LDLIBS) -lm -o $@

# These include ../ges_job.c to reach its internals (the HTTP reader, the
# request writer, the wait loop with an injected poll).
$(B)/test_http $(B)/test_wait $(B)/test_stream $(B)/test_sign $(B)/test_keepalive $(B)/test_proxy: $(B)/test_%: tests/test_%.c tests/harness.h tests/seed_bodies.h tests/tls_wire.h tests/assert_on.h ges_job.c ges_job.h | $(B)
	$(CC) $(ALL_CFLAGS) tests/test_$*.c $(LDLIBS) -o $@

# The same suite built without the proxy (GES_PROXY=0).
$(B)/test_proxy0: tests/test_proxy.c tests/harness.h tests/tls_wire.h tests/assert_on.h ges_job.c ges_job.h | $(B)
	$(CC) $(ALL_CFLAGS) -DGES_PROXY=0 tests/test_proxy.c $(LDLIBS) -o $@

$(B)/test_port_posix: tests/test_port_posix.c tests/harness.h $(B)/ges_port_posix.o | $(B)
	$(CC) $(ALL_CFLAGS) tests/test_port_posix.c $(B)/ges_port_posix.o -o $@

# The CLI's parsing and escaping: includes examples/ges_job_status.c (main
# renamed), links the library.
$(B)/test_cli: tests/test_cli.c tests/harness.h examples/ges_job_status.c $(B)/libges_job.a
	$(CC) $(ALL_CFLAGS) tests/test_cli.c $(B)/libges_job.a $(LDLIBS) -o $@

# One field added the documented way (tests/schema_extra_config.h as
# GES_CONFIG_FILE): library, port and CLI built in that configuration.
$(B)/test_schema: tests/test_schema.c tests/schema_extra_config.h tests/harness.h tests/fuzz/fuzz_common.h tests/assert_on.h examples/ges_job_status.c ges_job.c ges_job.h port/posix/ges_port_posix.c | $(B)
	$(CC) $(ALL_CFLAGS) $(STRICT) -Itests '-DGES_CONFIG_FILE="schema_extra_config.h"' tests/test_schema.c port/posix/ges_port_posix.c $(LDLIBS) -o $@

$(B)/test_client: tests/test_client.c tests/harness.h $(B)/libges_job.a
	$(CC) $(ALL_CFLAGS) tests/test_client.c $(B)/libges_job.a $(LDLIBS) -lpthread -o $@

# The public headers from C++ (C++98 and C++11), linked against the C library.
# C++98 has no long long (ges_parser_offset's type): -Wno-long-long there.
TEST_CXX ?= $(if $(findstring clang,$(CC)),clang++,g++)
$(B)/test_cxx98 $(B)/test_cxx11: $(B)/test_cxx%: tests/test_cxx.cpp tests/harness.h ges_job.h port/posix/ges_port_posix.h port/lwip/ges_port_lwip.h $(B)/libges_job.a
	$(TEST_CXX) -std=c++$* -Wall -Wextra -Wpedantic -Werror $(if $(filter 98,$*),$(if $(findstring clang,$(TEST_CXX)),-Wno-c++11-long-long,-Wno-long-long)) $(CFLAGS) -I. -Iport/posix -Iport/lwip -Itests tests/test_cxx.cpp $(B)/libges_job.a $(LDLIBS) -o $@

deps:
	@sh tests/deps.sh


# The README's test command: every suite, then one closing count.
test: deps
	@$(MAKE) --no-print-directory all $(TESTS) $(FUZZ_REPLAYS)
	@sh tests/run_all.sh $(B)

# The README's "run the main job": the simulator, then a job over TLS.
demo: deps
	@$(MAKE) --no-print-directory all
	@sh tests/demo.sh $(B)

# Keeps build/mbedtls-* (downloaded sources and cached mbedTLS builds) and
# build/lwip-src (lwIP's sources, tests/lwip/fetch.sh).
clean:
	@[ ! -d $(B) ] || find $(B) -mindepth 1 -maxdepth 1 ! -name 'mbedtls-*' ! -name 'lwip-src' -exec rm -rf {} +

# More targets (sanitizers, valgrind, analysers, coverage, fuzzing, mbedTLS
# from source, cross builds, benchmarks) live beside the tests they drive.
include $(wildcard tests/mk/*.mk)
