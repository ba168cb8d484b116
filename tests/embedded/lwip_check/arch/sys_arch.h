/*
 * arch/sys_arch.h for ges_job's COMPILE-ONLY check of port/lwip (see
 * ../lwipopts.h). With NO_SYS 0, lwIP's headers need the OS types below;
 * here they are opaque handles with no RTOS behind them, enough to compile
 * code that uses the socket API, not to link or run it. A real port
 * (lwIP's contrib/ports/freertos, your vendor's) defines them for its RTOS
 * and implements sys_arch.c.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef GES_LWIP_CHECK_ARCH_SYS_ARCH_H
#define GES_LWIP_CHECK_ARCH_SYS_ARCH_H

#ifndef GES_LWIP_COMPILE_CHECK
#error "tests/embedded/lwip_check/arch/sys_arch.h is ges_job's compile-only check: put your own arch/sys_arch.h first on the include path"
#endif

#include <stdint.h>

struct ges_lwip_check_sem;
struct ges_lwip_check_mutex;
struct ges_lwip_check_mbox;
struct ges_lwip_check_thread;

typedef struct ges_lwip_check_sem *sys_sem_t;
typedef struct ges_lwip_check_mutex *sys_mutex_t;
typedef struct ges_lwip_check_mbox *sys_mbox_t;
typedef struct ges_lwip_check_thread *sys_thread_t;
typedef uint32_t sys_prot_t;

#endif /* GES_LWIP_CHECK_ARCH_SYS_ARCH_H */
