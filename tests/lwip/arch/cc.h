/*
 * arch/cc.h for the host tests of port/lwip_raw (see ../lwipopts.h): glibc
 * and gcc/clang on Linux. Assertions abort the test process.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef GES_TEST_ARCH_CC_H
#define GES_TEST_ARCH_CC_H

#include <stdio.h>
#include <stdlib.h>

#define LWIP_PLATFORM_DIAG(x) do { printf x; } while (0)
#define LWIP_PLATFORM_ASSERT(x)                                              \
    do {                                                                     \
        fprintf(stderr, "lwIP assertion \"%s\" failed at %s:%d\n", x,        \
                __FILE__, __LINE__);                                         \
        abort();                                                             \
    } while (0)

/* TCP initial sequence numbers, local ports and DNS ids: a test needs no
 * strong randomness (firmware must not use rand() for its TLS entropy). */
#define LWIP_RAND() ((u32_t)rand())

#endif /* GES_TEST_ARCH_CC_H */
