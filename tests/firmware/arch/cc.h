/*
 * tests/firmware/arch/cc.h - lwIP's compiler and platform hooks for the
 * test firmware (arm-none-eabi-gcc, newlib headers, semihosting output).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef GES_FW_ARCH_CC_H
#define GES_FW_ARCH_CC_H

#include <stdint.h>

/* newlib's <sys/time.h> has struct timeval. */
#define LWIP_TIMEVAL_PRIVATE 0

void ges_fw_lwip_diag(const char *fmt, ...);
void ges_fw_lwip_assert(const char *msg, const char *file, int line);
/* TEST ONLY: TCP's initial sequence numbers and local ports come from the
 * test firmware's entropy stream (fw_entropy.c), which is itself a test-only
 * source; a product takes these from its TRNG. */
uint32_t ges_fw_lwip_rand(void);

#define LWIP_PLATFORM_DIAG(x) do { ges_fw_lwip_diag x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) ges_fw_lwip_assert((x), __FILE__, __LINE__)
#define LWIP_RAND() ges_fw_lwip_rand()

#endif /* GES_FW_ARCH_CC_H */
