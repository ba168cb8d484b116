/*
 * ges_job port for lwIP's socket API. See ges_port_lwip.h and
 * port/README.md ("The lwIP port").
 *
 * SPDX-License-Identifier: MIT
 *
 * Only lwip_* names are called, so LWIP_COMPAT_SOCKETS may be anything;
 * nothing here is named like the macros it defines (socket, connect, send,
 * recv, poll, select, close, fcntl...). errno is lwIP's: the C library's
 * with LWIP_ERRNO_STDINCLUDE (Debian, newlib), or lwIP's own with
 * LWIP_PROVIDE_ERRNO.
 */
#include "ges_port_lwip.h"

#include <limits.h>
#include <string.h>

#include "lwip/opt.h"
#include "lwip/def.h"
#include "lwip/ip_addr.h"
#include "lwip/sockets.h"
#include "lwip/sys.h"
#if LWIP_DNS
#include "lwip/netdb.h"
#endif

#if NO_SYS || !LWIP_SOCKET || !LWIP_TCP
#error "port/lwip needs lwIP's socket API: NO_SYS 0, LWIP_SOCKET 1, LWIP_TCP 1 in lwipopts.h"
#endif
#if !LWIP_SOCKET_POLL && !LWIP_SOCKET_SELECT
#error "port/lwip waits with lwip_poll() or lwip_select(): set LWIP_SOCKET_POLL 1 (lwIP's default) or LWIP_SOCKET_SELECT 1"
#endif
#if !LWIP_DNS && !LWIP_IPV4
#error "port/lwip without LWIP_DNS takes dotted IPv4 addresses only: it needs LWIP_IPV4 1"
#endif

/* Sleep hook: define GES_PORT_LWIP_SLEEP_MS(ms) when compiling this file to
 * use your RTOS's delay instead of sys_msleep(). */
#ifndef GES_PORT_LWIP_SLEEP_MS
#define GES_PORT_LWIP_SLEEP_MS(ms) sys_msleep(ms)
#endif

/* ------------------------------------------------------------------------- */
/* Time and waiting                                                          */
/* ------------------------------------------------------------------------- */

/* Milliseconds left of `timeout` counted from `start` (both sys_now()
 * values, unsigned differences, so the u32_t wrap does not matter). */
static uint32_t ges_lwip__left(uint32_t start, uint32_t timeout)
{
    uint32_t spent = (uint32_t)(sys_now() - start);
    return spent >= timeout ? 0u : timeout - spent;
}

static int ges_lwip__would_block(int e)
{
#if defined(EWOULDBLOCK) && EWOULDBLOCK != EAGAIN
    if (e == EWOULDBLOCK)
        return 1;
#endif
    return e == EAGAIN;
}

/*
 * Wait until socket `s` is writable (`for_write`) or readable, or has an
 * error, or `timeout` ms from `start` have passed. A wake-up before the
 * deadline with nothing ready (lwIP rounds its semaphore waits to the OS
 * tick) waits again for the time that is left, so a timeout is never
 * reported early. With a `tick` (net_connect_tick) the wait is cut in
 * slices of at most GES_WAIT_SLICE_MS, and tick(arg, GES_PHASE_CONNECTING)
 * is called after each slice that ends with nothing ready. Returns 1 ready,
 * 0 timed out, GES_PORT_ERROR, or GES_PORT_CANCELLED when the tick said
 * stop.
 */
static int ges_lwip__wait(int s, int for_write, uint32_t start,
                          uint32_t timeout, ges_tick_fn tick, void *arg)
{
    for (;;) {
        uint32_t left = ges_lwip__left(start, timeout);
        int r;

        if (tick != NULL && left > (uint32_t)GES_WAIT_SLICE_MS)
            left = (uint32_t)GES_WAIT_SLICE_MS;
#if LWIP_SOCKET_POLL
        {
            struct pollfd p;

            p.fd = s;
            p.events = for_write ? POLLOUT : POLLIN;
            p.revents = 0;
            r = lwip_poll(&p, 1,
                          left > (uint32_t)INT_MAX ? INT_MAX : (int)left);
            if (r > 0)
                return (p.revents & POLLNVAL) ? GES_PORT_ERROR : 1;
        }
#else
        {
            fd_set set, errset;
            struct timeval tv;

            if (s >= FD_SETSIZE)
                return GES_PORT_ERROR;
            FD_ZERO(&set);
            FD_SET(s, &set);
            errset = set;
            /* No time_t spelled out: its width differs between C
             * libraries, and lwIP's private struct timeval uses long. */
            tv.tv_sec = (int)(left / 1000u);
            tv.tv_usec = (int)(left % 1000u) * 1000;
            r = lwip_select(s + 1, for_write ? NULL : &set,
                            for_write ? &set : NULL, &errset, &tv);
            if (r > 0)
                return 1;
        }
#endif
        if (r < 0)
            return GES_PORT_ERROR;
        if (ges_lwip__left(start, timeout) == 0)
            return 0;
        if (tick != NULL && tick(arg, GES_PHASE_CONNECTING) != 0)
            return GES_PORT_CANCELLED;
    }
}

/* Validate a ges_sock_t holding an lwIP socket number. */
static int ges_lwip__sock(ges_sock_t sock)
{
    if (sock < 0 || sock > (ges_sock_t)INT_MAX)
        return -1;
    return (int)sock;
}

/* ------------------------------------------------------------------------- */
/* Network                                                                   */
/* ------------------------------------------------------------------------- */

/* Room for any address the stack can return. */
typedef union {
    struct sockaddr sa;
#if LWIP_IPV4
    struct sockaddr_in in4;
#endif
#if LWIP_IPV6
    struct sockaddr_in6 in6;
#endif
} ges_lwip__addr_t;

/*
 * Connect a new non-blocking socket to `addr` within the time left.
 * Returns 0 and sets *out, or GES_PORT_TIMEOUT / GES_PORT_ERROR (or, with
 * a tick, GES_PORT_CANCELLED) with nothing left open. A tick comes before
 * the attempt and after every slice of the wait (ges_lwip__wait).
 */
static int ges_lwip__connect_one(const ges_lwip__addr_t *addr, socklen_t len,
                                 uint32_t start, uint32_t timeout, int *out,
                                 ges_tick_fn tick, void *arg)
{
    int s, one = 1;

    if (tick != NULL && tick(arg, GES_PHASE_CONNECTING) != 0)
        return GES_PORT_CANCELLED;
    s = lwip_socket(addr->sa.sa_family, SOCK_STREAM, IPPROTO_TCP);
    if (s < 0)
        return GES_PORT_ERROR;
    /* lwIP accepts exactly O_NONBLOCK here (any other flag is ENOSYS). A
     * blocking lwip_connect() would ignore every timeout and wait for
     * lwIP's own SYN retries (TCP_SYNMAXRTX). */
    if (lwip_fcntl(s, F_SETFL, O_NONBLOCK) != 0) {
        (void)lwip_close(s);
        return GES_PORT_ERROR;
    }
    if (lwip_connect(s, &addr->sa, len) != 0) {
        int err = 0, r;
        socklen_t errlen = (socklen_t)sizeof err;

        if (errno != EINPROGRESS) { /* no route, no memory, ... */
            (void)lwip_close(s);
            return GES_PORT_ERROR;
        }
        r = ges_lwip__wait(s, 1, start, timeout, tick, arg);
        if (r <= 0) { /* a SYN_SENT socket: closing it sends nothing */
            (void)lwip_close(s);
            return r == 0 ? GES_PORT_TIMEOUT : r;
        }
        /* Writable, or an error event (refused: RST, ...): SO_ERROR says. */
        if (lwip_getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &errlen) != 0 ||
            err != 0) {
            (void)lwip_close(s);
            return GES_PORT_ERROR;
        }
    }
    /* Without it every handshake flight waits for the server's delayed
     * ACK. Failure only costs speed. */
    (void)lwip_setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one,
                          (socklen_t)sizeof one);
    *out = s;
    return 0;
}

/*
 * net_connect and, with a tick, net_connect_tick: a tick before resolving
 * (lwip_getaddrinfo() blocks until lwIP's DNS answers or gives up, and
 * nothing can interrupt it), then before each attempt and every slice of
 * its wait.
 */
static int ges_lwip__connect(const char *host, uint16_t port,
                             uint32_t timeout_ms, ges_sock_t *sock,
                             ges_tick_fn tick, void *arg)
{
    uint32_t start = sys_now();
    ges_lwip__addr_t addr;
    int s = -1;
    int result = GES_PORT_ERROR;

    if (host == NULL || host[0] == '\0' || port == 0 || sock == NULL)
        return GES_PORT_ERROR;
    memset(&addr, 0, sizeof addr);
    if (tick != NULL && tick(arg, GES_PHASE_RESOLVING) != 0)
        return GES_PORT_CANCELLED;

#if LWIP_DNS
    {
        struct addrinfo hints;
        struct addrinfo *res = NULL;
        const struct addrinfo *ai;

        memset(&hints, 0, sizeof hints);
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_protocol = IPPROTO_TCP;
        /* No service string: the port is set below, so no number has to be
         * formatted (lwIP would parse it back with atoi()). */
        if (lwip_getaddrinfo(host, NULL, &hints, &res) != 0 || res == NULL)
            return GES_PORT_ERROR;
        if (ges_lwip__left(start, timeout_ms) == 0 && timeout_ms > 0) {
            lwip_freeaddrinfo(res); /* resolving used the whole timeout */
            return GES_PORT_TIMEOUT;
        }
        /* lwIP 2.1 returns one address; walk the list all the same. */
        for (ai = res; ai != NULL; ai = ai->ai_next) {
            size_t alen = (size_t)ai->ai_addrlen;
            socklen_t slen;
            int r;

            if (ai->ai_addr == NULL || alen == 0)
                continue;
            memset(&addr, 0, sizeof addr);
            memcpy(&addr, ai->ai_addr, alen < sizeof addr ? alen : sizeof addr);
            /* Length and port from the family: lwIP 2.1 reports
             * sizeof(struct sockaddr_storage) as ai_addrlen, older versions
             * sizeof(struct sockaddr_in) even for IPv6 (refused below). */
#if LWIP_IPV4
            if (addr.sa.sa_family == AF_INET && alen >= sizeof addr.in4) {
                addr.in4.sin_port = lwip_htons(port);
                slen = (socklen_t)sizeof addr.in4;
            } else
#endif
#if LWIP_IPV6
                if (addr.sa.sa_family == AF_INET6 && alen >= sizeof addr.in6) {
                addr.in6.sin6_port = lwip_htons(port);
                slen = (socklen_t)sizeof addr.in6;
            } else
#endif
                continue;
            r = ges_lwip__connect_one(&addr, slen, start, timeout_ms, &s,
                                      tick, arg);
            result = r;
            if (r == 0 || r == GES_PORT_TIMEOUT || r == GES_PORT_CANCELLED)
                break; /* connected, no time left for the others, stopped */
        }
        lwip_freeaddrinfo(res);
    }
#else
    {
        /* No resolver in this lwIP build: dotted IPv4 only. The client has
         * already refused IPv6 literals; a name fails here. */
        ip4_addr_t a4;

        if (!ip4addr_aton(host, &a4))
            return GES_PORT_ERROR;
        addr.in4.sin_family = AF_INET;
        addr.in4.sin_port = lwip_htons(port);
        addr.in4.sin_addr.s_addr = ip4_addr_get_u32(&a4);
#if !LWIP_SOCKET_EXTERNAL_HEADERS
        addr.in4.sin_len = (u8_t)sizeof addr.in4; /* lwIP's own sockaddr_in */
#endif
        result = ges_lwip__connect_one(&addr, (socklen_t)sizeof addr.in4,
                                       start, timeout_ms, &s, tick, arg);
    }
#endif
    if (result == 0)
        *sock = (ges_sock_t)s;
    return result;
}

static int ges_lwip_net_connect(void *ctx, const char *host, uint16_t port,
                                uint32_t timeout_ms, ges_sock_t *sock)
{
    (void)ctx;
    return ges_lwip__connect(host, port, timeout_ms, sock, NULL, NULL);
}

static int ges_lwip_net_connect_tick(void *ctx, const char *host,
                                     uint16_t port, uint32_t timeout_ms,
                                     ges_sock_t *sock, ges_tick_fn tick,
                                     void *arg)
{
    (void)ctx;
    return ges_lwip__connect(host, port, timeout_ms, sock, tick, arg);
}

static int ges_lwip_net_send(void *ctx, ges_sock_t sock,
                             const unsigned char *buf, size_t len,
                             uint32_t timeout_ms)
{
    uint32_t start = sys_now();
    int s = ges_lwip__sock(sock);

    (void)ctx;
    if (s < 0 || buf == NULL || len == 0)
        return GES_PORT_ERROR;
    if (len > (size_t)INT_MAX)
        len = (size_t)INT_MAX; /* the result must fit an int */

    /* Try first: the socket is non-blocking, and there is usually room. */
    for (;;) {
        ssize_t n = lwip_send(s, buf, len, 0);
        int r;

        if (n > 0)
            return (int)n;
        if (n == 0 || !ges_lwip__would_block(errno))
            return GES_PORT_ERROR; /* reset, not connected, ... */
        r = ges_lwip__wait(s, 1, start, timeout_ms, NULL, NULL);
        if (r == 0)
            return GES_PORT_TIMEOUT;
        if (r < 0)
            return GES_PORT_ERROR;
    }
}

static int ges_lwip_net_recv(void *ctx, ges_sock_t sock, unsigned char *buf,
                             size_t len, uint32_t timeout_ms)
{
    uint32_t start = sys_now();
    int s = ges_lwip__sock(sock);

    (void)ctx;
    if (s < 0 || buf == NULL || len == 0)
        return GES_PORT_ERROR; /* len 0 would look like a close */
    if (len > (size_t)INT_MAX)
        len = (size_t)INT_MAX;

    for (;;) {
        ssize_t n = lwip_recv(s, buf, len, 0);
        int r;

        if (n >= 0)
            return (int)n; /* 0: the peer's FIN, after all its data */
        if (!ges_lwip__would_block(errno))
            return GES_PORT_ERROR; /* ECONNRESET, ENOTCONN, ... */
        r = ges_lwip__wait(s, 0, start, timeout_ms, NULL, NULL);
        if (r == 0)
            return GES_PORT_TIMEOUT;
        if (r < 0)
            return GES_PORT_ERROR;
    }
}

static void ges_lwip_net_close(void *ctx, ges_sock_t sock)
{
    int s = ges_lwip__sock(sock);

    (void)ctx;
    /* The FIN is queued and the stack finishes the close in the
     * background; the socket is free at once. */
    if (s >= 0)
        (void)lwip_close(s);
}

/* ------------------------------------------------------------------------- */
/* Clock and sleep                                                           */
/* ------------------------------------------------------------------------- */

static uint32_t ges_lwip_now_ms(void *ctx)
{
    (void)ctx;
    return (uint32_t)sys_now(); /* already ms, wrapping modulo 2^32 */
}

static void ges_lwip_sleep_ms(void *ctx, uint32_t ms)
{
    (void)ctx;
    GES_PORT_LWIP_SLEEP_MS(ms);
}

/* ------------------------------------------------------------------------- */
/* Public                                                                    */
/* ------------------------------------------------------------------------- */

/* see ges_port_lwip.h */
void ges_port_lwip_init(ges_port_t *port)
{
    if (port == NULL)
        return;
    memset(port, 0, sizeof *port);
    port->ctx = NULL;
    port->net_connect = ges_lwip_net_connect;
    port->net_connect_tick = ges_lwip_net_connect_tick;
    port->net_send = ges_lwip_net_send;
    port->net_recv = ges_lwip_net_recv;
    port->net_close = ges_lwip_net_close;
    port->now_ms = ges_lwip_now_ms;
    port->sleep_ms = ges_lwip_sleep_ms;
    port->entropy = ges_port_lwip_entropy; /* the application's */
    port->wall_clock = NULL;
    port->tls_calloc = NULL;
    port->tls_free = NULL;
}

/* see ges_port_lwip.h */
void ges_port_lwip_set_wall_clock(ges_port_t *port,
                                  int64_t (*wall_clock)(void *ctx))
{
    if (port != NULL)
        port->wall_clock = wall_clock;
}
