/*
 * tests/firmware/fw_entropy.h - TEST-ONLY entropy for the QEMU firmware
 * (the board has no TRNG). See fw_entropy.c: predictable from the command
 * line, never for a product, never offered as a default.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef GES_FW_ENTROPY_H
#define GES_FW_ENTROPY_H

#include <stddef.h>
#include <stdint.h>

/* TEST ONLY: set the seed from 64 hex digits; 0 ok, -1 malformed. */
int ges_fw_test_entropy_seed(const char *hex);
/* TEST ONLY: ges_port_t.entropy signature; fails (-1) until seeded. */
int ges_fw_test_entropy(void *ctx, unsigned char *buf, size_t len);
/* TEST ONLY: LWIP_RAND() (arch/cc.h). */
uint32_t ges_fw_lwip_rand(void);

#endif /* GES_FW_ENTROPY_H */
