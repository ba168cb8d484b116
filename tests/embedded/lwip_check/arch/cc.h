/*
 * arch/cc.h for ges_job's COMPILE-ONLY check of port/lwip with
 * arm-none-eabi-gcc and newlib (see ../lwipopts.h). Compiler and C library
 * facts only; a product's cc.h also routes LWIP_PLATFORM_DIAG/ASSERT to its
 * logger.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef GES_LWIP_CHECK_ARCH_CC_H
#define GES_LWIP_CHECK_ARCH_CC_H

#ifndef GES_LWIP_COMPILE_CHECK
#error "tests/embedded/lwip_check/arch/cc.h is ges_job's compile-only check: put your own arch/cc.h first on the include path"
#endif

/* newlib declares struct timeval (sys/time.h); lwIP's private one would
 * clash with it. lwip_select() takes that struct. */
#define LWIP_TIMEVAL_PRIVATE 0
#include <sys/time.h>

/* errno and its E* values come from the C library (newlib: per-thread
 * through _impure_ptr / __errno() when the RTOS sets up reentrancy). */
#define LWIP_ERRNO_STDINCLUDE 1

/* A check needs no output; a product logs here. */
#define LWIP_PLATFORM_DIAG(x) do { } while (0)
#define LWIP_PLATFORM_ASSERT(x) do { for (;;) { } } while (0)

#endif /* GES_LWIP_CHECK_ARCH_CC_H */
