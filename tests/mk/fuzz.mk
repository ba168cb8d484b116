# Fuzzing (tests/fuzz/README.md).
#   make fuzz           each libFuzzer harness for FUZZ_SECONDS (default 60)
#   make fuzz-regress   the committed corpora and regressions replayed through
#                       standalone builds (any C compiler, no libFuzzer)
#   make fuzz-ci        CI's short round (30 s each) plus the replays
FUZZ_REPLAYS = $(foreach h,parse http request,$(B)/fuzz/replay_$(h) $(B)/fuzz/replay_small_$(h))
FUZZ_DEPS    = tests/fuzz/standalone.c tests/fuzz/fuzz_common.h tests/fuzz/fuzz_small_config.h tests/assert_on.h ges_job.c ges_job.h

$(B)/fuzz:
	@mkdir -p $@

$(B)/fuzz/replay_%: tests/fuzz/fuzz_%.c $(FUZZ_DEPS) | $(B)/fuzz
	$(CC) -std=c99 $(CFLAGS) -I. -Iport/posix tests/fuzz/fuzz_$*.c tests/fuzz/standalone.c $(LDLIBS) -o $@

$(B)/fuzz/replay_small_%: tests/fuzz/fuzz_%.c $(FUZZ_DEPS) | $(B)/fuzz
	$(CC) -std=c99 $(CFLAGS) -DFZ_SMALL_CONFIG -I. -Iport/posix tests/fuzz/fuzz_$*.c tests/fuzz/standalone.c $(LDLIBS) -o $@

.PHONY: fuzz fuzz-regress fuzz-ci
fuzz:
	@sh tests/fuzz/run.sh

fuzz-regress: $(FUZZ_REPLAYS)
	@sh tests/fuzz/replay.sh $(B)

fuzz-ci: $(FUZZ_REPLAYS)
	@sh tests/fuzz/ci.sh $(B)
