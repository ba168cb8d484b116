/*
 * ges_job port for lwIP 2.1's raw TCP API with NO_SYS 1. See
 * ges_port_lwip_raw.h and port/README.md ("The lwIP raw-API port").
 *
 * SPDX-License-Identifier: MIT
 *
 * Everything runs in the caller's context (the superloop). lwIP calls the
 * callbacks below from inside the application's poll (netif input, timers)
 * or from inside the tcp_* calls made here; they only record what happened
 * in the instance's ges_port_lwip_raw_conn_t. The blocking functions then
 * look at those records between polls. No static mutable state.
 */
#include "ges_port_lwip_raw.h"

#include <string.h>

#include "lwip/opt.h"
#include "lwip/err.h"
#include "lwip/ip_addr.h"
#include "lwip/pbuf.h"
#include "lwip/sys.h"
#include "lwip/tcp.h"
#if LWIP_DNS
#include "lwip/dns.h"
#endif

#if !NO_SYS || !LWIP_TCP || !LWIP_CALLBACK_API
#error "port/lwip_raw needs lwIP's raw TCP API without an OS: NO_SYS 1, LWIP_TCP 1, LWIP_CALLBACK_API 1 in lwipopts.h (port/lwip is the socket-API port)"
#endif

/* conn.flags */
#define GES_LWIP_RAW__F_OPEN 0x01u      /* in use: from net_connect to net_close */
#define GES_LWIP_RAW__F_CONNECTED 0x02u /* the connected callback came */
#define GES_LWIP_RAW__F_FIN 0x04u       /* the peer's FIN came (recv with NULL) */
#define GES_LWIP_RAW__F_ERROR 0x08u     /* err callback (or our abort): pcb gone */
#define GES_LWIP_RAW__F_DNS_DONE 0x10u  /* the DNS callback came */

/* Largest piece moved by one call: tcp_write(), tcp_recved() and the pbuf
 * lengths are u16_t. */
#define GES_LWIP_RAW__CHUNK 0xFFFFu

/* ------------------------------------------------------------------------- */
/* Time and waiting                                                          */
/* ------------------------------------------------------------------------- */

/* 1 when `timeout` ms have passed since `start` (sys_now() values; unsigned
 * differences, so the u32_t wrap does not matter). Never early. */
static int ges_lwip_raw__expired(uint32_t start, uint32_t timeout)
{
    return (uint32_t)(sys_now() - start) >= timeout;
}

static void ges_lwip_raw__poll(const ges_port_lwip_raw_t *p)
{
    p->app.poll(p->app.ctx);
}

/* net_connect_tick's tick, called at most once per GES_WAIT_SLICE_MS of
 * sys_now() time while the connect polls (a poll is far shorter than a
 * slice: one tick per poll would cost more than the poll). */
typedef struct {
    ges_tick_fn fn; /* NULL: net_connect, nothing to call */
    void *arg;
    uint32_t last; /* sys_now() of the last call */
} ges_lwip_raw__ticker_t;

/* Call the tick now (`force`) or when a slice has passed since the last
 * call; 1 when it says stop. */
static int ges_lwip_raw__tick(ges_lwip_raw__ticker_t *t, int phase, int force)
{
    if (t->fn == NULL ||
        (!force && !ges_lwip_raw__expired(t->last, GES_WAIT_SLICE_MS)))
        return 0;
    t->last = sys_now();
    return t->fn(t->arg, phase) != 0;
}

/* The instance behind `ctx` if it may serve a call: not NULL, and not
 * already inside one (poll re-entering the port). Marks it busy. */
static ges_port_lwip_raw_t *ges_lwip_raw__enter(void *ctx)
{
    ges_port_lwip_raw_t *p = (ges_port_lwip_raw_t *)ctx;

    if (p == NULL || p->busy)
        return NULL;
    p->busy = 1;
    return p;
}

/* The connection behind `sock` if it is this instance's open one: a socket
 * from another instance or from before net_close is refused. */
static ges_port_lwip_raw_conn_t *ges_lwip_raw__conn(ges_port_lwip_raw_t *p,
                                                    ges_sock_t sock)
{
    if (sock != (ges_sock_t)(intptr_t)&p->conn ||
        !(p->conn.flags & GES_LWIP_RAW__F_OPEN))
        return NULL;
    return &p->conn;
}

/* ------------------------------------------------------------------------- */
/* lwIP callbacks (inside the stack: record, never call back into it         */
/* beyond tcp_* functions allowed there)                                     */
/* ------------------------------------------------------------------------- */

static err_t ges_lwip_raw__connected_cb(void *arg, struct tcp_pcb *pcb,
                                        err_t err)
{
    ges_port_lwip_raw_conn_t *c = (ges_port_lwip_raw_conn_t *)arg;

    (void)pcb;
    (void)err; /* always ERR_OK in lwIP 2.1; failures go to the err callback */
    if (c != NULL)
        c->flags |= GES_LWIP_RAW__F_CONNECTED;
    return ERR_OK;
}

static err_t ges_lwip_raw__recv_cb(void *arg, struct tcp_pcb *pcb,
                                   struct pbuf *pb, err_t err)
{
    ges_port_lwip_raw_conn_t *c = (ges_port_lwip_raw_conn_t *)arg;

    (void)pcb;
    if (pb == NULL) { /* the peer's FIN, after all its data */
        if (c != NULL)
            c->flags |= GES_LWIP_RAW__F_FIN;
        return ERR_OK;
    }
    if (c == NULL || err != ERR_OK) { /* neither happens in lwIP 2.1 */
        pbuf_free(pb);
        return ERR_OK;
    }
    if (c->rx == NULL) {
        c->rx = pb;
    } else {
        /* tot_len is u16_t. With TCP_WND <= 0xFFFF the queue never holds
         * more (we tcp_recved() only what was read); with window scaling,
         * refuse: lwIP keeps the pbuf and offers it again from its timer. */
        if ((uint32_t)c->rx->tot_len + pb->tot_len > GES_LWIP_RAW__CHUNK)
            return ERR_MEM;
        pbuf_cat(c->rx, pb);
    }
    return ERR_OK;
}

/* lwIP has already freed the pcb (RST from the peer, retransmissions
 * exhausted, out of memory, tcp_abort): forget it, never touch it again. */
static void ges_lwip_raw__err_cb(void *arg, err_t err)
{
    ges_port_lwip_raw_conn_t *c = (ges_port_lwip_raw_conn_t *)arg;

    if (c == NULL)
        return;
    c->pcb = NULL;
    c->err = (signed char)err;
    c->flags |= GES_LWIP_RAW__F_ERROR;
    if (c->rx != NULL) { /* nothing after a reset is worth reading */
        pbuf_free(c->rx);
        c->rx = NULL;
    }
}

#if LWIP_DNS
static void ges_lwip_raw__dns_cb(const char *name, const ip_addr_t *addr,
                                 void *arg)
{
    ges_port_lwip_raw_conn_t *c = (ges_port_lwip_raw_conn_t *)arg;

    /* lwIP 2.1 cannot cancel a query: an answer may come after
     * net_connect gave up, even during a later connect. Only an answer for
     * the name being resolved right now counts. */
    if (c == NULL || c->dns_name == NULL || name == NULL ||
        strcmp(name, c->dns_name) != 0)
        return;
    if (addr != NULL)
        ip_addr_copy(c->dns_addr, *addr);
    else
        ip_addr_set_zero(&c->dns_addr);
    c->flags |= GES_LWIP_RAW__F_DNS_DONE;
}
#endif

/* ------------------------------------------------------------------------- */
/* Connection                                                                */
/* ------------------------------------------------------------------------- */

/* Let go of the pcb: callbacks detached first (so lwIP's defaults take any
 * late segment and no err callback reaches us), then tcp_close(), or
 * tcp_abort() when `abort` or when tcp_close() fails (it then did not free
 * the pcb). Either way lwIP owns the pcb from here on. */
static void ges_lwip_raw__drop_pcb(ges_port_lwip_raw_conn_t *c, int abort)
{
    struct tcp_pcb *pcb = c->pcb;

    c->pcb = NULL;
    if (pcb == NULL)
        return;
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL);
    tcp_err(pcb, NULL);
    if (abort || tcp_close(pcb) != ERR_OK)
        tcp_abort(pcb);
}

/* Back to "no connection": pcb released, queue freed, flags cleared. */
static void ges_lwip_raw__reset(ges_port_lwip_raw_conn_t *c, int abort)
{
    ges_lwip_raw__drop_pcb(c, abort);
    if (c->rx != NULL) {
        pbuf_free(c->rx);
        c->rx = NULL;
    }
    c->dns_name = NULL;
    c->err = ERR_OK;
    c->flags = 0;
}

/* `host` as an address: a literal (dotted IPv4; IPv6 too with LWIP_IPV6),
 * else a name through dns_gethostbyname() (LWIP_DNS), polling for the
 * answer within the time left, with a tick every slice. Returns 0,
 * GES_PORT_TIMEOUT, GES_PORT_ERROR or GES_PORT_CANCELLED. */
static int ges_lwip_raw__resolve(ges_port_lwip_raw_t *p, const char *host,
                                 uint32_t start, uint32_t timeout,
                                 ip_addr_t *out, ges_lwip_raw__ticker_t *t)
{
    if (ges_lwip_raw__tick(t, GES_PHASE_RESOLVING, 1))
        return GES_PORT_CANCELLED;
    if (ipaddr_aton(host, out))
        return 0;
#if LWIP_DNS
    {
        ges_port_lwip_raw_conn_t *c = &p->conn;
        err_t e;
        int r = GES_PORT_ERROR;

        c->dns_name = host;
        c->flags &= (unsigned char)~GES_LWIP_RAW__F_DNS_DONE;
        e = dns_gethostbyname(host, out, ges_lwip_raw__dns_cb, c);
        if (e == ERR_OK) { /* cached */
            r = 0;
        } else if (e == ERR_INPROGRESS) {
            int polled = 0;

            for (;;) {
                if (c->flags & GES_LWIP_RAW__F_DNS_DONE) {
                    ip_addr_copy(*out, c->dns_addr);
                    r = ip_addr_isany_val(*out) ? GES_PORT_ERROR : 0;
                    break;
                }
                if (polled && ges_lwip_raw__expired(start, timeout)) {
                    r = GES_PORT_TIMEOUT;
                    break;
                }
                if (ges_lwip_raw__tick(t, GES_PHASE_RESOLVING, 0)) {
                    r = GES_PORT_CANCELLED;
                    break;
                }
                ges_lwip_raw__poll(p);
                polled = 1;
            }
        }
        /* A late answer (lwIP cannot withdraw the query; it gives up after
         * DNS_MAX_RETRIES) is ignored from now on: the callback only reads
         * this instance's dns_name, and fills nothing while it is NULL. */
        c->dns_name = NULL;
        return r;
    }
#else
    (void)p;
    (void)start;
    (void)timeout;
    return GES_PORT_ERROR; /* no resolver: literals only */
#endif
}

/* net_connect and, with a tick, net_connect_tick: resolving and the wait
 * for the SYN-ACK both tick every slice and stop when told. */
static int ges_lwip_raw__connect(void *ctx, const char *host, uint16_t port,
                                 uint32_t timeout_ms, ges_sock_t *sock,
                                 ges_tick_fn tick, void *arg)
{
    uint32_t start = sys_now();
    ges_lwip_raw__ticker_t t;
    ges_port_lwip_raw_t *p;
    ges_port_lwip_raw_conn_t *c;
    ip_addr_t addr;
    int r;

    if (host == NULL || host[0] == '\0' || port == 0 || sock == NULL)
        return GES_PORT_ERROR;
    p = ges_lwip_raw__enter(ctx);
    if (p == NULL)
        return GES_PORT_ERROR;
    c = &p->conn;
    if (c->flags & GES_LWIP_RAW__F_OPEN) {
        p->busy = 0;
        return GES_PORT_ERROR; /* one connection per instance */
    }
    ges_lwip_raw__reset(c, 1);
    c->flags = GES_LWIP_RAW__F_OPEN; /* the slot is ours while we work */
    t.fn = tick;
    t.arg = arg;
    t.last = start;

    ip_addr_set_zero(&addr);
    r = ges_lwip_raw__resolve(p, host, start, timeout_ms, &addr, &t);
    if (r == 0 && ges_lwip_raw__tick(&t, GES_PHASE_CONNECTING, 1))
        r = GES_PORT_CANCELLED;
    if (r == 0) {
        int polled = 0;

        c->pcb = tcp_new_ip_type(IP_GET_TYPE(&addr));
        if (c->pcb == NULL) {
            r = GES_PORT_ERROR; /* MEMP_NUM_TCP_PCB exhausted */
        } else {
            tcp_arg(c->pcb, c);
            tcp_recv(c->pcb, ges_lwip_raw__recv_cb);
            tcp_err(c->pcb, ges_lwip_raw__err_cb);
            /* TLS handshake flights are small writes: without this each one
             * can wait for the server's delayed ACK. */
            tcp_nagle_disable(c->pcb);
            /* Failure here (no route, no memory, no free local port) comes
             * back as the return value, not through the err callback. */
            if (tcp_connect(c->pcb, &addr, port, ges_lwip_raw__connected_cb) !=
                ERR_OK)
                r = GES_PORT_ERROR;
        }
        /* Wait for the SYN-ACK (connected) or an RST/timeout (err); poll
         * at least once, even with timeout 0. */
        while (r == 0 && !(c->flags & GES_LWIP_RAW__F_CONNECTED)) {
            if (c->flags & GES_LWIP_RAW__F_ERROR)
                r = GES_PORT_ERROR; /* refused (RST) or given up by lwIP */
            else if (polled && ges_lwip_raw__expired(start, timeout_ms))
                r = GES_PORT_TIMEOUT;
            else if (ges_lwip_raw__tick(&t, GES_PHASE_CONNECTING, 0))
                r = GES_PORT_CANCELLED;
            else
                ges_lwip_raw__poll(p);
            polled = 1;
        }
        /* Connected, then reset within the same poll: still a success;
         * the first send or receive reports the error. */
    }
    if (r != 0) {
        signed char err = c->err; /* kept for the curious: ERR_RST, ... */

        /* A SYN_SENT pcb: callbacks detached, then aborted, so nothing of
         * this attempt reaches *p again. */
        ges_lwip_raw__reset(c, 1);
        c->err = err;
    } else
        *sock = (ges_sock_t)(intptr_t)c;
    p->busy = 0;
    return r;
}

static int ges_lwip_raw_net_connect(void *ctx, const char *host,
                                    uint16_t port, uint32_t timeout_ms,
                                    ges_sock_t *sock)
{
    return ges_lwip_raw__connect(ctx, host, port, timeout_ms, sock, NULL,
                                 NULL);
}

static int ges_lwip_raw_net_connect_tick(void *ctx, const char *host,
                                         uint16_t port, uint32_t timeout_ms,
                                         ges_sock_t *sock, ges_tick_fn tick,
                                         void *arg)
{
    return ges_lwip_raw__connect(ctx, host, port, timeout_ms, sock, tick, arg);
}

static int ges_lwip_raw_net_send(void *ctx, ges_sock_t sock,
                                 const unsigned char *buf, size_t len,
                                 uint32_t timeout_ms)
{
    uint32_t start = sys_now();
    ges_port_lwip_raw_t *p;
    ges_port_lwip_raw_conn_t *c;
    int polled = 0, r;

    if (buf == NULL || len == 0)
        return GES_PORT_ERROR;
    p = ges_lwip_raw__enter(ctx);
    if (p == NULL)
        return GES_PORT_ERROR;
    c = ges_lwip_raw__conn(p, sock);
    for (;;) {
        uint16_t room;

        if (c == NULL || c->pcb == NULL || (c->flags & GES_LWIP_RAW__F_ERROR)) {
            r = GES_PORT_ERROR;
            break;
        }
        /* Room in the send buffer and in the segment queue
         * (TCP_SND_QUEUELEN): otherwise tcp_write() says ERR_MEM. */
        room = (uint16_t)tcp_sndbuf(c->pcb);
        if (room > 0 && tcp_sndqueuelen(c->pcb) < TCP_SND_QUEUELEN) {
            uint16_t n = len < room ? (uint16_t)len : room;
            err_t e = tcp_write(c->pcb, buf, n, TCP_WRITE_FLAG_COPY);

            if (e == ERR_OK) {
                (void)tcp_output(c->pcb); /* queued is sent: lwIP retries */
                r = (int)n;
                break;
            }
            if (e != ERR_MEM) {
                r = GES_PORT_ERROR; /* ERR_CONN: not connected any more */
                break;
            }
            /* ERR_MEM: out of pbufs or segments for now; send what is
             * queued and wait for ACKs to free some. */
            (void)tcp_output(c->pcb);
        }
        /* No room: poll at least once, even with timeout 0, so ACKs that
         * came in since the last poll free what they may. */
        if (polled && ges_lwip_raw__expired(start, timeout_ms)) {
            r = GES_PORT_TIMEOUT; /* nothing was queued */
            break;
        }
        ges_lwip_raw__poll(p);
        polled = 1;
    }
    p->busy = 0;
    return r;
}

static int ges_lwip_raw_net_recv(void *ctx, ges_sock_t sock,
                                 unsigned char *buf, size_t len,
                                 uint32_t timeout_ms)
{
    uint32_t start = sys_now();
    ges_port_lwip_raw_t *p;
    ges_port_lwip_raw_conn_t *c;
    int r;

    if (buf == NULL || len == 0)
        return GES_PORT_ERROR; /* len 0 would look like a close */
    p = ges_lwip_raw__enter(ctx);
    if (p == NULL)
        return GES_PORT_ERROR;
    c = ges_lwip_raw__conn(p, sock);
    /* Always one poll first, even with data queued and with timeout 0:
     * frames that arrived since the last poll are seen (an RST behind the
     * data ends the stream now; a zero-time idle check sees a late FIN),
     * and the stack keeps moving while the application reads. */
    if (c != NULL)
        ges_lwip_raw__poll(p);
    for (;;) {
        if (c == NULL || (c->flags & GES_LWIP_RAW__F_ERROR)) {
            r = GES_PORT_ERROR; /* a reset ends the stream at once */
            break;
        }
        if (c->rx != NULL) {
            uint16_t n = c->rx->tot_len;

            if (len < n)
                n = (uint16_t)len;
            n = pbuf_copy_partial(c->rx, buf, n, 0);
            /* Frees every fully read pbuf, trims the first one. */
            c->rx = pbuf_free_header(c->rx, n);
            /* Open the window by what the application took. */
            if (c->pcb != NULL)
                tcp_recved(c->pcb, n);
            r = (int)n;
            break;
        }
        if (c->flags & GES_LWIP_RAW__F_FIN) {
            r = 0; /* the peer closed, everything before it returned */
            break;
        }
        if (ges_lwip_raw__expired(start, timeout_ms)) {
            r = GES_PORT_TIMEOUT;
            break;
        }
        ges_lwip_raw__poll(p);
    }
    p->busy = 0;
    return r;
}

static void ges_lwip_raw_net_close(void *ctx, ges_sock_t sock)
{
    ges_port_lwip_raw_t *p = ges_lwip_raw__enter(ctx);
    ges_port_lwip_raw_conn_t *c;

    if (p == NULL)
        return;
    c = ges_lwip_raw__conn(p, sock);
    /* Orderly: tcp_close() queues our FIN and lwIP finishes the close in
     * the background; it sends an RST instead when received data was never
     * read (the queue freed here). tcp_abort() if tcp_close() fails. */
    if (c != NULL)
        ges_lwip_raw__reset(c, 0);
    p->busy = 0;
}

/* ------------------------------------------------------------------------- */
/* Clock, sleep, application hooks                                           */
/* ------------------------------------------------------------------------- */

static uint32_t ges_lwip_raw_now_ms(void *ctx)
{
    (void)ctx;
    return (uint32_t)sys_now(); /* ms, wrapping modulo 2^32 */
}

/* Sleeping is polling until the time has passed: the stack keeps running
 * (ACKs, retransmissions, a server's answer queued for later). */
static void ges_lwip_raw_sleep_ms(void *ctx, uint32_t ms)
{
    uint32_t start = sys_now();
    ges_port_lwip_raw_t *p = ges_lwip_raw__enter(ctx);

    if (p == NULL)
        return;
    do {
        ges_lwip_raw__poll(p);
    } while (!ges_lwip_raw__expired(start, ms));
    p->busy = 0;
}

static int ges_lwip_raw_entropy(void *ctx, unsigned char *buf, size_t len)
{
    const ges_port_lwip_raw_t *p = (const ges_port_lwip_raw_t *)ctx;

    if (p == NULL)
        return -1;
    return p->app.entropy(p->app.ctx, buf, len);
}

static int64_t ges_lwip_raw_wall_clock(void *ctx)
{
    const ges_port_lwip_raw_t *p = (const ges_port_lwip_raw_t *)ctx;

    if (p == NULL || p->app.wall_clock == NULL)
        return -1;
    return p->app.wall_clock(p->app.ctx);
}

/* ------------------------------------------------------------------------- */
/* Public                                                                    */
/* ------------------------------------------------------------------------- */

/* see ges_port_lwip_raw.h */
int ges_port_lwip_raw_init(ges_port_lwip_raw_t *p,
                           const ges_port_lwip_raw_app_t *app)
{
    if (p == NULL || app == NULL || app->poll == NULL || app->entropy == NULL)
        return -1;
    memset(p, 0, sizeof *p);
    p->app = *app;
    p->port.ctx = p;
    p->port.net_connect = ges_lwip_raw_net_connect;
    p->port.net_connect_tick = ges_lwip_raw_net_connect_tick;
    p->port.net_send = ges_lwip_raw_net_send;
    p->port.net_recv = ges_lwip_raw_net_recv;
    p->port.net_close = ges_lwip_raw_net_close;
    p->port.now_ms = ges_lwip_raw_now_ms;
    p->port.sleep_ms = ges_lwip_raw_sleep_ms;
    p->port.entropy = ges_lwip_raw_entropy;
    p->port.wall_clock = app->wall_clock != NULL ? ges_lwip_raw_wall_clock : NULL;
    p->port.tls_calloc = NULL;
    p->port.tls_free = NULL;
    p->conn.pcb = NULL;
    p->conn.rx = NULL;
    p->conn.dns_name = NULL;
    ip_addr_set_zero(&p->conn.dns_addr);
    return 0;
}

/* see ges_port_lwip_raw.h */
void ges_port_lwip_raw_abort(ges_port_lwip_raw_t *p)
{
    ges_port_lwip_raw_conn_t *c;

    if (p == NULL)
        return;
    c = &p->conn;
    if (!(c->flags & GES_LWIP_RAW__F_OPEN) || (c->flags & GES_LWIP_RAW__F_ERROR))
        return;
    ges_lwip_raw__drop_pcb(c, 1);
    if (c->rx != NULL) {
        pbuf_free(c->rx);
        c->rx = NULL;
    }
    /* As if the peer had reset it: the client sees GES_PORT_ERROR, and its
     * net_close() frees the slot. */
    c->err = (signed char)ERR_ABRT;
    c->flags |= GES_LWIP_RAW__F_ERROR;
}
