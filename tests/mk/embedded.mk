# Embedded and portability checks: Cortex-M4 cross build with sizes,
# port/lwip (Cortex-M compile check and host tests on Debian's lwIP), the
# single-file amalgamation, and the unit tests on 32-bit ARM Linux (unsigned
# char) under qemu-user. The work is in tests/embedded/*.sh; each target
# installs what it needs with tests/deps.sh and ends with
# "N passed, N failed".
#
#   make cortex-m       arm-none-eabi-gcc -Os: ges_job.o with/without TLS,
#                       arm-none-eabi-size, .data + .bss must be 0; port/lwip,
#                       port/lwip_raw
#   make lwip-host      port/lwip with the host compiler, tests on lwIP
#   make lwip-raw-host  port/lwip_raw on lwIP 2.1.3's core built from Debian's
#                       source package (NO_SYS 1, loopback, fake clock)
#   make amalgamation   ges_job.c + ges_job.h alone in an empty folder
#   make test-armhf     test_parse/http/wait/sign/cli under qemu-arm
#   make ci-embedded    all five, one closing count (each target is a step)
.PHONY: cortex-m lwip-host lwip-raw-host amalgamation test-armhf ci-embedded

EMB_ENV = CC="$(CC)" CSTD="$(CSTD)" WARN="$(WARN)" STRICT="$(STRICT)" \
          LDLIBS="$(LDLIBS)"

cortex-m:
	@sh tests/deps.sh host cortex-m lwip
	@$(EMB_ENV) sh tests/embedded/cortex_m.sh $(B)

lwip-host:
	@sh tests/deps.sh host lwip
	@$(EMB_ENV) sh tests/embedded/lwip_host.sh $(B)

lwip-raw-host:
	@sh tests/deps.sh host
	@$(EMB_ENV) sh tests/lwip/run.sh $(B)

amalgamation:
	@sh tests/deps.sh host
	@$(EMB_ENV) sh tests/embedded/amalgamation.sh

test-armhf:
	@sh tests/deps.sh armhf
	@$(EMB_ENV) sh tests/embedded/armhf.sh $(B)

ci-embedded:
	@sh tests/deps.sh embedded
	@$(EMB_ENV) sh tests/embedded/ci.sh $(B)
