/*
 * ges_job port for lwIP 2.1's raw TCP API without an OS (NO_SYS 1): the
 * bare-metal superloop. See port/README.md, "The lwIP raw-API port
 * (port/lwip_raw)", for the whole story.
 *
 * SPDX-License-Identifier: MIT
 *
 * How it works. There is no thread to wait on: every blocking call (connect,
 * send, receive, sleep) drives the stack itself, calling the application's
 * `poll` (read frames from the network interface, run sys_check_timeouts())
 * until its condition holds or its time is up, measured with sys_now(). The
 * lwIP callbacks (connected, recv, err) only set flags and queue pbufs in
 * the caller-owned ges_port_lwip_raw_t; the port has no static mutable state,
 * so two instances carry two connections side by side.
 *
 * net_connect_tick is set: while it resolves (LWIP_DNS) and while it waits
 * for the SYN-ACK, the port calls the client's tick at most every
 * GES_WAIT_SLICE_MS of sys_now() time, and a stop (ges_client_cancel())
 * aborts the connecting pcb or forgets the DNS query at once.
 *
 * <!-- doc-example: given=cfg,my_poll,my_trng with=lwip_raw -->
 * @code{c}
 * #include "ges_port_lwip_raw.h"
 *
 * static ges_port_lwip_raw_t net;              // must outlive the client
 * static const ges_port_lwip_raw_app_t app = {
 *     .poll = my_poll,         // ethernetif_input(&netif); sys_check_timeouts();
 *     .entropy = my_trng,      // the MCU's TRNG
 *     .wall_clock = NULL,      // optional RTC
 *     .ctx = NULL,
 * };
 * if (ges_port_lwip_raw_init(&net, &app) != 0) {
 *     return; // NULL, or a required hook missing
 * }
 * cfg.platform = &net.port;
 * @endcode
 *
 * Rules:
 *  - Call the client (hence this port) from the superloop only: never from
 *    an lwIP callback, never from an interrupt. The port runs lwIP's raw API
 *    and calls `poll`, which must not happen inside the stack.
 *  - `poll` must never call back into the client or this port (a nested
 *    call on the same instance returns GES_PORT_ERROR), except
 *    ges_client_cancel(), which only stores a flag: the call in progress
 *    then returns GES_ERR_CANCELLED within a slice (GES_WAIT_SLICE_MS).
 *  - sys_now() (which NO_SYS lwIP needs anyway) is the port's clock: now_ms
 *    returns it, and every timeout is counted with it.
 *  - Needs NO_SYS 1, LWIP_TCP 1, LWIP_CALLBACK_API 1; TCP_SND_BUF and
 *    TCP_WND of at least one TLS record are best (port/README.md).
 *  - One instance carries one connection at a time; it must not be moved or
 *    copied after ges_port_lwip_raw_init() (port.ctx points at it).
 */
#ifndef GES_PORT_LWIP_RAW_H
#define GES_PORT_LWIP_RAW_H

#include "ges_job.h"

#include "lwip/ip_addr.h"

#ifdef __cplusplus
extern "C" {
#endif

struct tcp_pcb;
struct pbuf;

/** What the application supplies. Copied at init. */
typedef struct {
    /** Required: drive the stack once and return (netif input, e.g.
     *  ethernetif_input() or netif_poll_all(); then sys_check_timeouts()).
     *  Called in a loop while the port waits, so it may also sleep until
     *  the next interrupt (WFI) to save power, as long as an interrupt (the
     *  Ethernet controller's, the tick's) comes at least every millisecond
     *  or so: the waits are counted with sys_now(). */
    void (*poll)(void *ctx);
    /** Required: fill `buf` with `len` bytes from a strong entropy source
     *  (the MCU's TRNG), 0 = ok. Becomes ges_port_t.entropy. */
    int (*entropy)(void *ctx, unsigned char *buf, size_t len);
    /** Optional (NULL): UTC seconds, or negative while unknown. Becomes
     *  ges_port_t.wall_clock. */
    int64_t (*wall_clock)(void *ctx);
    /** Passed to the three above. */
    void *ctx;
} ges_port_lwip_raw_app_t;

/** The state of the one connection. Private. */
typedef struct ges_port_lwip_raw_conn {
    struct tcp_pcb *pcb;  /* NULL once closed or freed by lwIP (err callback) */
    struct pbuf *rx;      /* received, not yet returned (head trimmed as read) */
    const char *dns_name; /* the name being resolved, during net_connect only */
    ip_addr_t dns_addr;   /* the DNS callback's answer */
    signed char err;      /* err_t from lwIP's err callback */
    unsigned char flags;  /* GES_LWIP_RAW__F_* (ges_port_lwip_raw.c) */
} ges_port_lwip_raw_conn_t;

/** One port instance: caller-owned (static, or on a stack that outlives the
 *  client). Members other than `port` are private. */
typedef struct ges_port_lwip_raw {
    /** First member: cfg.platform = &p.port; port.ctx points back to this
     *  struct. */
    ges_port_t port;
    /* private */
    ges_port_lwip_raw_app_t app;
    ges_port_lwip_raw_conn_t conn;
    unsigned char busy; /* inside a port call: refuses re-entry from poll */
} ges_port_lwip_raw_t;

/**
 * Fill *p: port.ctx = p, the net_* functions of this port (net_connect_tick
 * included), now_ms = sys_now(), sleep_ms = poll until the time has passed,
 * entropy and wall_clock calling the application's (wall_clock NULL when
 * app's is), tls_calloc/tls_free NULL. No connection is open afterwards.
 *
 * @return 0, or -1 when `p` or `app` is NULL or app->poll or app->entropy is
 *         missing (then *p is left alone).
 *
 * Never call it on an instance whose connection is open (its pcb would be
 * forgotten, still pointing its callbacks at *p).
 */
int ges_port_lwip_raw_init(ges_port_lwip_raw_t *p,
                           const ges_port_lwip_raw_app_t *app);

/**
 * Abortive close, for the application (a watchdog, a shutdown): if *p holds
 * a connection, reset it now (tcp_abort: an RST to the peer, the pcb and
 * every queued pbuf freed at once). The client's socket then gives
 * GES_PORT_ERROR on send and receive; the client's own net_close() later is
 * harmless. Does nothing when `p` is NULL or no connection is open. Not
 * from lwIP callbacks or interrupts, like everything here.
 */
void ges_port_lwip_raw_abort(ges_port_lwip_raw_t *p);

#ifdef __cplusplus
}
#endif

#endif /* GES_PORT_LWIP_RAW_H */
