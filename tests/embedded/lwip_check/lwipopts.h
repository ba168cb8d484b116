/*
 * lwipopts.h for ges_job's COMPILE-ONLY check of port/lwip on Cortex-M
 * (`make cortex-m`, tests/mk/embedded.mk), with Debian's liblwip-dev headers:
 *
 *   arm-none-eabi-gcc -DGES_LWIP_COMPILE_CHECK -Itests/embedded/lwip_check -I/usr/include/lwip ...
 *
 * It is NOT a configuration for a product: no memory sizing, no tuning, no
 * netif, and the matching arch/sys_arch.h only names the OS types (no RTOS
 * behind them). Debian's own lwipopts.h is the GNU/Hurd one (it pulls POSIX
 * socket headers), which is why this one exists. Your firmware uses its own
 * lwipopts.h; see ges_port_lwip.h for the options the port needs.
 *
 * Every option below that the check varies can be overridden with -D.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef GES_LWIP_CHECK_LWIPOPTS_H
#define GES_LWIP_CHECK_LWIPOPTS_H

#ifndef GES_LWIP_COMPILE_CHECK
#error "tests/embedded/lwip_check/lwipopts.h is ges_job's compile-only check, not a product configuration: put your own lwipopts.h first on the include path (or define GES_LWIP_COMPILE_CHECK if you really mean to use this one)"
#endif

/* An RTOS with threads (the port uses the socket API). */
#define NO_SYS 0
#define SYS_LIGHTWEIGHT_PROT 1

/* The socket API and what it stands on. */
#define LWIP_NETCONN 1
#define LWIP_SOCKET 1
#define LWIP_TCP 1
#define LWIP_UDP 1 /* needed by DNS */
#define LWIP_IPV4 1
#ifndef LWIP_IPV6
#define LWIP_IPV6 0
#endif
#ifndef LWIP_DNS
#define LWIP_DNS 0 /* as in Debian's build: numeric IPv4 only */
#endif
/* lwIP's default is 1 (socket(), connect(), ... as macros); the port must
 * compile with either, since it calls lwip_* only. */
#ifndef LWIP_COMPAT_SOCKETS
#define LWIP_COMPAT_SOCKETS 1
#endif
#ifndef LWIP_SOCKET_POLL
#define LWIP_SOCKET_POLL 1
#endif
#ifndef LWIP_SOCKET_SELECT
#define LWIP_SOCKET_SELECT 1
#endif
#define LWIP_SO_RCVTIMEO 1
#define LWIP_SO_SNDTIMEO 1

/* 32-bit MCU. */
#define MEM_ALIGNMENT 4

#endif /* GES_LWIP_CHECK_LWIPOPTS_H */
