/*
 * ges_job port for lwIP's socket API (lwIP 2.1, NO_SYS 0, LWIP_SOCKET 1),
 * for firmware on an RTOS (FreeRTOS, Zephyr's lwIP module, ThreadX...).
 * See port/README.md, "The lwIP port (port/lwip)".
 *
 * SPDX-License-Identifier: MIT
 *
 * <!-- doc-example: given=cfg,my_rtc_utc with=lwip -->
 * @code{c}
 * static ges_port_t port;                 // must outlive the client
 * ges_port_lwip_init(&port);
 * ges_port_lwip_set_wall_clock(&port, my_rtc_utc);   // optional
 * cfg.platform = &port;
 * @endcode
 *
 * What the application supplies:
 *  - ges_port_lwip_entropy() (below): there is no default. A build that
 *    forgets it fails at link time ("undefined reference to
 *    ges_port_lwip_entropy") rather than at run time with weak TLS keys.
 *  - Optionally a real-time clock (ges_port_lwip_set_wall_clock()); without
 *    one the client uses ges_client_config_t.time_floor.
 *  - Optionally ctx: the lwIP functions ignore it; it is handed to
 *    ges_port_lwip_entropy(), to the wall clock and to any member you
 *    replace (the ges_port_t is yours: overwrite sleep_ms, tls_calloc...
 *    after ges_port_lwip_init() as you like).
 *
 * Build: compile ges_port_lwip.c with your lwIP include path and your own
 * lwipopts.h / arch/cc.h; put port/lwip/ on the include path (it holds only
 * this header and the .c file; ges_job's compile-only lwIP configuration
 * lives in tests/embedded/lwip_check/), or copy ges_port_lwip.{c,h} into
 * your tree.
 *
 * lwipopts.h needs: NO_SYS 0, LWIP_SOCKET 1, LWIP_TCP 1, and
 * LWIP_SOCKET_POLL 1 (lwIP's default) or LWIP_SOCKET_SELECT 1. With
 * LWIP_DNS 1 names are resolved with lwip_getaddrinfo(); with LWIP_DNS 0
 * (as in Debian's liblwip-dev) only dotted IPv4 addresses are accepted and a
 * name fails with GES_PORT_ERROR. LWIP_COMPAT_SOCKETS may be 0, 1 or 2: only
 * the lwip_* names are called.
 *
 * Behaviour, in short:
 *  - Every socket is non-blocking; connect, send and receive wait with
 *    lwip_poll() (else lwip_select()) for the time left, measured with
 *    sys_now(), so a timeout is never reported early and never overrun by
 *    more than one wake-up. TCP_NODELAY is set on every connection.
 *  - net_connect_tick is set: while it waits for a connection the port
 *    ticks every GES_WAIT_SLICE_MS (the client's progress hook, and
 *    ges_client_cancel(): a stop closes the socket and returns
 *    GES_PORT_CANCELLED), at the cost of one wake-up per slice.
 *  - Name resolution (LWIP_DNS 1) blocks for the DNS module's own retries
 *    (DNS_MAX_RETRIES, DNS_TMR_INTERVAL): that time counts against
 *    net_connect's timeout_ms but cannot be cut short by it, and no tick
 *    comes during it (the documented exception to cancelling). lwIP 2.1
 *    returns one address, so "every address" is one.
 *  - sleep_ms is sys_msleep(), or GES_PORT_LWIP_SLEEP_MS(ms) when you define
 *    that macro while compiling ges_port_lwip.c (e.g. to vTaskDelay with
 *    rounding up to whole ticks).
 *  - errno is read right after a failing lwip_* call, so it must be
 *    per-thread when several threads use sockets (newlib with
 *    configUSE_NEWLIB_REENTRANT, or your RTOS's equivalent), as lwIP's
 *    socket API itself requires.
 *  - Must not be called from the tcpip thread or from raw-API callbacks.
 *  - The functions keep no state of their own; they are thread-safe as far
 *    as lwIP's socket API is (different sockets from different threads).
 */
#ifndef GES_PORT_LWIP_H
#define GES_PORT_LWIP_H

#include "ges_job.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Supplied by the APPLICATION, not by this port: fill `buf` with `len`
 * bytes from a cryptographically strong source and return 0, or non-zero
 * on failure (ges_client_init() then fails with GES_ERR_TLS). `ctx` is the
 * ges_port_t's ctx. Called with any `len`, 0 included, possibly from
 * several threads (one per client).
 *
 * Use the MCU's true random number generator (STM32 RNG, nRF RNG, i.MX
 * TRNG, ESP32 esp_fill_random() with RF on...), waiting for its "data
 * ready" flag and checking its seed/clock error flags. Never rand(),
 * LWIP_RAND() (often rand()), a timer, a MAC address or a counter: the TLS
 * keys come from these bytes.
 */
int ges_port_lwip_entropy(void *ctx, unsigned char *buf, size_t len);

/**
 * Fill `*port` with the lwIP functions (net_connect_tick included): ctx
 * NULL, entropy = ges_port_lwip_entropy, wall_clock NULL,
 * tls_calloc/tls_free NULL (see port/README.md, "Memory"). Does nothing
 * when `port` is NULL. `*port` must outlive every client that uses it.
 */
void ges_port_lwip_init(ges_port_t *port);

/**
 * Set the optional real-time clock (UTC seconds since 1970, negative while
 * unknown: see ges_port_t.wall_clock), or clear it with NULL. Call it before
 * ges_client_init() or between requests, never while a client using `port`
 * runs. Does nothing when `port` is NULL.
 */
void ges_port_lwip_set_wall_clock(ges_port_t *port,
                                  int64_t (*wall_clock)(void *ctx));

#ifdef __cplusplus
}
#endif

#endif /* GES_PORT_LWIP_H */
