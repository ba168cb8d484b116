# Firmware on QEMU's mps2-an386 (Cortex-M4): ges_job over port/lwip_raw,
# lwIP 2.1.3 and mbedTLS 2.28.3 from Debian's source packages, a LAN9118
# driver, against tests/sim/ges_sim.py in a private network namespace
# (needs root: unshare -n, a tap device). tests/firmware/README.md.
#
#   make test-firmware   install, build build/firmware/ges_fw.elf and the
#                        unit-suite images, run everything, print the
#                        figures; ends with "N passed, N failed"
.PHONY: test-firmware

test-firmware:
	@sh tests/firmware/test.sh $(B)
