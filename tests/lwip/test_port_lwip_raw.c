/*
 * Tests of port/lwip_raw on the host, against lwIP 2.1.3's real core (built
 * from Debian's source package by tests/lwip/run.sh) with NO_SYS 1: client
 * (the port) and server (raw-API pcbs below) run in one stack in this one
 * thread, over the loopback netif (127.0.0.1; ::1 with LWIP_IPV6). A second
 * netif, 10.0.0.1/24, drops every frame, so 10.0.0.2 never answers.
 *
 *   make lwip-raw-host      (tests/mk/embedded.mk)
 *
 * The clock is fake: sys_now() returns `fake_now`, which the test's poll
 * function advances by `tick_ms` before it runs the stack
 * (netif_poll_all(); sys_check_timeouts()). Every duration checked below is
 * sys_now() time, exact to the tick, and the run starts a few seconds before
 * the u32_t wrap so the first tests cross it.
 *
 * With -DLWIP_DNS=1 a tiny DNS server (a UDP pcb on 127.0.0.1:53) answers
 * "ges.test" with 127.0.0.1, "nx.test" with NXDOMAIN, and never answers
 * "slow.test".
 *
 * Leak checks compare every lwIP pool's and the heap's `used` counter
 * (LWIP_STATS) with their values when the stack came up, after waiting out
 * TIME_WAIT (TCP_MSL is 1 s in tests/lwip/lwipopts.h).
 *
 * net_connect_tick and ges_client_cancel() through this port: the cases of
 * tests/lwip/port_cases.h (shared with port/lwip's tests), plus a stop while
 * a DNS query goes unanswered. Argument: the CA (PEM) for the client cases.
 */
#include "harness.h"
#include "port/lwip_raw/ges_port_lwip_raw.h"
#include "port_cases.h"

#include <stdlib.h>

#include "lwip/init.h"
#include "lwip/ip_addr.h"
#include "lwip/memp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/stats.h"
#include "lwip/sys.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#if LWIP_DNS
#include "lwip/dns.h"
#include "lwip/udp.h"
#endif

#define DEAD_ADDR "10.0.0.2" /* routed to the dropping netif */

/* ------------------------------------------------------------------------- */
/* Clock and stack                                                           */
/* ------------------------------------------------------------------------- */

static uint32_t fake_now = 0xFFFFF000u; /* ~4 s before the wrap */
static uint32_t tick_ms = 1;

u32_t sys_now(void)
{
    return fake_now;
}

static struct netif drop_nif;
/* One poll of the stack, as firmware does it, with the clock moving. */
static void stack_poll(void)
{
    fake_now += tick_ms;
    netif_poll_all();
    sys_check_timeouts();
}

/* Poll for `ms` of fake time. */
static void advance(uint32_t ms)
{
    uint32_t t0 = sys_now();
    while ((uint32_t)(sys_now() - t0) < ms)
        stack_poll();
}

/* ------------------------------------------------------------------------- */
/* Leak accounting (LWIP_STATS)                                              */
/* ------------------------------------------------------------------------- */

static mem_size_t base_memp[MEMP_MAX];
static mem_size_t base_heap;

static void stats_baseline(void)
{
    int i;
    for (i = 0; i < MEMP_MAX; i++)
        base_memp[i] = lwip_stats.memp[i]->used;
    base_heap = lwip_stats.mem.used;
}

/* Wait out TIME_WAIT and retransmissions, then compare with the baseline;
 * returns the number of counters that differ (printed). */
static int stats_leaks(void)
{
    int i, n = 0;

    advance(4 * TCP_MSL + 2000);
    for (i = 0; i < MEMP_MAX; i++) {
        if (lwip_stats.memp[i]->used != base_memp[i]) {
            fprintf(stderr, "  leak: pool %d used %d, baseline %d\n", i,
                    (int)lwip_stats.memp[i]->used, (int)base_memp[i]);
            n++;
        }
    }
    if (lwip_stats.mem.used != base_heap) {
        fprintf(stderr, "  leak: heap used %d, baseline %d\n",
                (int)lwip_stats.mem.used, (int)base_heap);
        n++;
    }
    return n;
}

static int pbufs_in_use(void)
{
    return (int)lwip_stats.memp[MEMP_PBUF_POOL]->used +
           (int)lwip_stats.memp[MEMP_PBUF]->used;
}

/* ------------------------------------------------------------------------- */
/* The server side: raw-API pcbs in the same stack                           */
/* ------------------------------------------------------------------------- */

#define SRV_MAX 4
#define SRV_RX (256 * 1024)

typedef struct {
    struct tcp_pcb *pcb;   /* NULL after close/abort/err */
    unsigned char rx[SRV_RX];
    size_t rx_len;
    size_t unacked;        /* received but not tcp_recved (slow reader) */
    int slow;              /* do not open the window until srv_consume() */
    int fin;
    int err;               /* err callback: 1 + its err_t (0: none) */
} srv_conn_t;

static struct tcp_pcb *srv_listen_pcb;
static uint16_t srv_port = 4433;
static uint16_t closed_port = 4434; /* nothing listens: RST */
static srv_conn_t srv[SRV_MAX];
static int srv_accepted;
static int srv_slow_next; /* new connections start slow */

static err_t srv_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    srv_conn_t *s = (srv_conn_t *)arg;

    (void)err;
    if (p == NULL) {
        s->fin = 1;
        return ERR_OK;
    }
    if (s->rx_len + p->tot_len <= SRV_RX) {
        (void)pbuf_copy_partial(p, s->rx + s->rx_len, p->tot_len, 0);
        s->rx_len += p->tot_len;
    }
    if (s->slow)
        s->unacked += p->tot_len;
    else
        tcp_recved(pcb, p->tot_len);
    pbuf_free(p);
    return ERR_OK;
}

static void srv_err(void *arg, err_t err)
{
    srv_conn_t *s = (srv_conn_t *)arg;
    s->pcb = NULL;
    s->err = 1 + (int)err;
}

static err_t srv_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    srv_conn_t *s;

    (void)arg;
    if (err != ERR_OK || pcb == NULL || srv_accepted >= SRV_MAX)
        return ERR_VAL;
    s = &srv[srv_accepted++];
    memset(s, 0, sizeof *s);
    s->pcb = pcb;
    s->slow = srv_slow_next;
    tcp_arg(pcb, s);
    tcp_recv(pcb, srv_recv);
    tcp_err(pcb, srv_err);
    tcp_nagle_disable(pcb);
    return ERR_OK;
}

static int srv_start(void)
{
    struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_ANY);

    if (pcb == NULL || tcp_bind(pcb, IP_ANY_TYPE, srv_port) != ERR_OK)
        return -1;
    srv_listen_pcb = tcp_listen_with_backlog(pcb, SRV_MAX);
    if (srv_listen_pcb == NULL)
        return -1;
    tcp_accept(srv_listen_pcb, srv_accept);
    return 0;
}

/* Forget earlier connections (their pcbs are closed or gone). */
static void srv_reset(void)
{
    int i;
    for (i = 0; i < SRV_MAX; i++) {
        if (srv[i].pcb != NULL) {
            tcp_arg(srv[i].pcb, NULL);
            tcp_recv(srv[i].pcb, NULL);
            tcp_err(srv[i].pcb, NULL);
            if (tcp_close(srv[i].pcb) != ERR_OK)
                tcp_abort(srv[i].pcb);
        }
    }
    memset(srv, 0, sizeof srv);
    srv_accepted = 0;
    srv_slow_next = 0;
}

/* Queue `len` bytes on server connection `s` (as much as fits now);
 * returns the count queued. */
static size_t srv_write(srv_conn_t *s, const unsigned char *buf, size_t len)
{
    size_t done = 0;

    while (s->pcb != NULL && done < len) {
        u16_t room = tcp_sndbuf(s->pcb);
        u16_t n;

        if (room == 0 || tcp_sndqueuelen(s->pcb) >= TCP_SND_QUEUELEN)
            break;
        n = (len - done) < room ? (u16_t)(len - done) : room;
        if (tcp_write(s->pcb, buf + done, n, TCP_WRITE_FLAG_COPY) != ERR_OK)
            break;
        done += n;
    }
    if (s->pcb != NULL)
        (void)tcp_output(s->pcb);
    return done;
}

/* Open the slow server's window by everything it has taken in. */
static void srv_consume(srv_conn_t *s)
{
    while (s->pcb != NULL && s->unacked > 0) {
        u16_t n = s->unacked > 0xFFFFu ? 0xFFFFu : (u16_t)s->unacked;
        tcp_recved(s->pcb, n);
        s->unacked -= n;
    }
}

static void srv_close(srv_conn_t *s)
{
    if (s->pcb == NULL)
        return;
    tcp_arg(s->pcb, NULL);
    tcp_recv(s->pcb, NULL);
    tcp_err(s->pcb, NULL);
    if (tcp_close(s->pcb) != ERR_OK)
        tcp_abort(s->pcb);
    s->pcb = NULL;
}

static void srv_abort(srv_conn_t *s)
{
    if (s->pcb == NULL)
        return;
    tcp_err(s->pcb, NULL);
    tcp_abort(s->pcb); /* an RST to the client */
    s->pcb = NULL;
}

#if LWIP_DNS
/* ------------------------------------------------------------------------- */
/* A DNS server on 127.0.0.1:53                                              */
/* ------------------------------------------------------------------------- */

static struct udp_pcb *dns_srv_pcb;
static int dns_queries, dns_slow_queries;
/* "late.test": the last query, answered from the poll hook once
 * dns_late_delay ms have passed since the first one. */
static struct {
    unsigned char q[512];
    size_t len;
    ip_addr_t addr;
    u16_t port;
    uint32_t first;
    int pending;
} dns_late;
static uint32_t dns_late_delay;

/* The name in the question of query q (qlen bytes), as "a.b.c"; returns
 * the length of header + question, or 0 if malformed. */
static size_t dns_question(const unsigned char *q, size_t qlen, char *name,
                           size_t cap)
{
    size_t i = 12, nl = 0;

    while (i < qlen && q[i] != 0) {
        size_t l = q[i++];
        if (i + l > qlen || nl + l + 2 > cap)
            return 0;
        if (nl > 0)
            name[nl++] = '.';
        memcpy(name + nl, q + i, l);
        nl += l;
        i += l;
    }
    name[nl] = '\0';
    i += 1 + 4; /* the root label, QTYPE, QCLASS */
    return i <= qlen ? i : 0;
}

/* Answer query q: 127.0.0.1 when `found`, else NXDOMAIN. */
static void dns_answer(struct udp_pcb *pcb, const unsigned char *q,
                       size_t qend, int found, const ip_addr_t *addr,
                       u16_t port)
{
    static const unsigned char rr[] = {
        0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 1,
    };
    unsigned char a[600];
    size_t alen = qend;
    struct pbuf *out;

    memcpy(a, q, qend);
    a[2] = 0x81;                                   /* QR, RD */
    a[3] = (unsigned char)(found ? 0x80 : 0x83);   /* RA, NXDOMAIN */
    a[4] = 0;
    a[5] = 1;
    a[6] = 0;
    a[7] = (unsigned char)(found ? 1 : 0);
    memset(a + 8, 0, 4);
    if (found) {
        memcpy(a + alen, rr, sizeof rr);
        alen += sizeof rr;
    }
    out = pbuf_alloc(PBUF_TRANSPORT, (u16_t)alen, PBUF_RAM);
    if (out == NULL)
        return;
    (void)pbuf_take(out, a, (u16_t)alen);
    (void)udp_sendto(pcb, out, addr, port);
    pbuf_free(out);
}

static void dns_srv_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
                         const ip_addr_t *addr, u16_t port)
{
    unsigned char q[512];
    char name[256];
    size_t qlen = p->tot_len, qend;

    (void)arg;
    dns_queries++;
    if (qlen > sizeof q || qlen < 17) {
        pbuf_free(p);
        return;
    }
    (void)pbuf_copy_partial(p, q, (u16_t)qlen, 0);
    pbuf_free(p);
    qend = dns_question(q, qlen, name, sizeof name);
    if (qend == 0)
        return;
    if (strcmp(name, "slow.test") == 0) {
        dns_slow_queries++;
        return; /* never answered */
    }
    if (strcmp(name, "late.test") == 0) {
        if (!dns_late.pending)
            dns_late.first = sys_now();
        memcpy(dns_late.q, q, qend);
        dns_late.len = qend;
        ip_addr_copy(dns_late.addr, *addr);
        dns_late.port = port;
        dns_late.pending = 1;
        return;
    }
    dns_answer(pcb, q, qend, strcmp(name, "ges.test") == 0, addr, port);
}

/* Poll hook: the late answer, when its time has come. */
static void dns_late_hook(void)
{
    if (dns_late.pending && lc_since(dns_late.first) >= dns_late_delay) {
        dns_late.pending = 0;
        dns_answer(dns_srv_pcb, dns_late.q, dns_late.len, 1, &dns_late.addr,
                   dns_late.port);
    }
}

static int dns_srv_start(void)
{
    ip_addr_t lo;

    dns_srv_pcb = udp_new_ip_type(IPADDR_TYPE_ANY);
    if (dns_srv_pcb == NULL || udp_bind(dns_srv_pcb, IP_ANY_TYPE, 53) != ERR_OK)
        return -1;
    udp_recv(dns_srv_pcb, dns_srv_recv, NULL);
    IP_ADDR4(&lo, 127, 0, 0, 1);
    dns_setserver(0, &lo);
    return 0;
}
#endif

/* ------------------------------------------------------------------------- */
/* The application side of the port                                          */
/* ------------------------------------------------------------------------- */

typedef struct {
    int polls;
    int entropy_calls;
    int reenter;     /* poll calls the port back (must be refused) */
    int reenter_result;
    ges_port_lwip_raw_t *self;
    ges_sock_t sock;
    void (*hook)(void); /* scenario step run inside each poll */
} app_ctx_t;

static void app_poll(void *ctx)
{
    app_ctx_t *a = (app_ctx_t *)ctx;
    a->polls++;
    stack_poll();
    if (a->hook != NULL)
        a->hook();
    if (a->reenter) {
        unsigned char b[4];
        a->reenter_result = a->self->port.net_recv(a->self->port.ctx, a->sock,
                                                   b, sizeof b, 0);
    }
}

static int app_entropy(void *ctx, unsigned char *buf, size_t len)
{
    app_ctx_t *a = (app_ctx_t *)ctx;
    a->entropy_calls++;
    memset(buf, 0xA5, len); /* a test: never do this in firmware */
    return 0;
}

static int64_t app_rtc(void *ctx)
{
    (void)ctx;
    return 1700000000;
}

static app_ctx_t app_a, app_b;
static ges_port_lwip_raw_t net_a, net_b;
/* Instance A's port, which most tests use. */
static ges_port_t *const pt = &net_a.port;

static void instance(ges_port_lwip_raw_t *p, app_ctx_t *a)
{
    ges_port_lwip_raw_app_t app;

    memset(a, 0, sizeof *a);
    a->self = p;
    app.poll = app_poll;
    app.entropy = app_entropy;
    app.wall_clock = NULL;
    app.ctx = a;
    if (ges_port_lwip_raw_init(p, &app) != 0)
        abort();
}

/* Connect instance `p` to the server; the accepted side in *s (NULL on
 * failure, with a failed CHECK). */
static int pair(ges_port_lwip_raw_t *p, ges_sock_t *c, srv_conn_t **s)
{
    int before = srv_accepted;

    *s = NULL;
    if (p->port.net_connect(p->port.ctx, "127.0.0.1", srv_port, 2000, c) != 0) {
        CHECK(!"pair: connect");
        return -1;
    }
    advance(2); /* the final ACK reaches the listener: accepted */
    if (srv_accepted != before + 1) {
        p->port.net_close(p->port.ctx, *c);
        CHECK(!"pair: accept");
        return -1;
    }
    *s = &srv[before];
    return 0;
}

/* Forget the server side; then nothing may be left in lwIP's pools once
 * TIME_WAIT is over: 0, else the number of counters that differ. */
static int lc_leaks(void)
{
    srv_reset();
    return stats_leaks();
}

/* The end of a test on instance A: close `c`, and nothing left behind. */
static void close_a(ges_sock_t c)
{
    net_a.port.net_close(net_a.port.ctx, c);
    CHECK_EQ(lc_leaks(), 0);
}

static void fill(unsigned char *b, size_t n, unsigned seed)
{
    size_t i;
    for (i = 0; i < n; i++)
        b[i] = (unsigned char)((i * 7u + seed) ^ (i >> 8));
}

static unsigned char big[64 * 1024], got[64 * 1024];

/* ------------------------------------------------------------------------- */
/* Tests                                                                     */
/* ------------------------------------------------------------------------- */

/* First, while the clock is still before the wrap: a receive timeout that
 * spans it, exact to the tick. */
static void test_timeout_across_wrap(void)
{
    ges_sock_t c;
    srv_conn_t *s;
    unsigned char b[8];
    uint32_t t0;

    CHECK(sys_now() > 0xFFF00000u); /* still before the wrap */
    if (pair(&net_a, &c, &s) != 0)
        return;
    t0 = sys_now();
    CHECK_EQ(pt->net_recv(pt->ctx, c, b, sizeof b, 5000), GES_PORT_TIMEOUT);
    CHECK_EQ(lc_since(t0), 5000);
    CHECK(sys_now() < 0x10000u); /* crossed it */
    pt->net_close(pt->ctx, c);
    srv_reset();
}

static void test_init(void)
{
    ges_port_lwip_raw_t p;
    ges_port_lwip_raw_app_t app;
    app_ctx_t a;
    unsigned char b[8];

    memset(&a, 0, sizeof a);
    memset(&app, 0, sizeof app);
    memset(&p, 0x5A, sizeof p);
    CHECK_EQ(ges_port_lwip_raw_init(NULL, &app), -1);
    CHECK_EQ(ges_port_lwip_raw_init(&p, NULL), -1);
    app.entropy = app_entropy;
    CHECK_EQ(ges_port_lwip_raw_init(&p, &app), -1); /* no poll */
    app.poll = app_poll;
    app.entropy = NULL;
    CHECK_EQ(ges_port_lwip_raw_init(&p, &app), -1); /* no entropy */
    CHECK_EQ(((unsigned char *)&p)[0], 0x5A);        /* left alone */
    app.entropy = app_entropy;
    app.ctx = &a;
    CHECK_EQ(ges_port_lwip_raw_init(&p, &app), 0);
    CHECK(p.port.ctx == &p);
    CHECK(p.port.net_connect != NULL && p.port.net_send != NULL);
    CHECK(p.port.net_recv != NULL && p.port.net_close != NULL);
    CHECK(p.port.now_ms != NULL && p.port.sleep_ms != NULL);
    CHECK(p.port.entropy != NULL);
    CHECK(p.port.wall_clock == NULL);
    CHECK(p.port.tls_calloc == NULL && p.port.tls_free == NULL);
    CHECK_EQ(p.port.entropy(p.port.ctx, b, sizeof b), 0);
    CHECK_EQ(a.entropy_calls, 1);
    CHECK_EQ(b[0], 0xA5);
    CHECK_EQ(p.port.now_ms(p.port.ctx), sys_now());
    app.wall_clock = app_rtc;
    CHECK_EQ(ges_port_lwip_raw_init(&p, &app), 0);
    CHECK(p.port.wall_clock != NULL);
    CHECK_EQ(p.port.wall_clock(p.port.ctx), 1700000000);
    ges_port_lwip_raw_abort(NULL); /* no crash */
    ges_port_lwip_raw_abort(&p);   /* nothing open: nothing happens */
}

static void test_bad_args(void)
{
    ges_sock_t s = 12345;
    unsigned char b[4] = {0};

    CHECK_EQ(pt->net_connect(pt->ctx, NULL, 80, 100, &s), GES_PORT_ERROR);
    CHECK_EQ(pt->net_connect(pt->ctx, "", 80, 100, &s), GES_PORT_ERROR);
    CHECK_EQ(pt->net_connect(pt->ctx, "127.0.0.1", 0, 100, &s), GES_PORT_ERROR);
    CHECK_EQ(pt->net_connect(pt->ctx, "127.0.0.1", 80, 100, NULL),
             GES_PORT_ERROR);
    CHECK_EQ(pt->net_connect(NULL, "127.0.0.1", 80, 100, &s), GES_PORT_ERROR);
    CHECK_EQ(s, 12345); /* untouched */
    /* No connection open: every socket is stale. */
    s = (ges_sock_t)(intptr_t)&net_a.conn;
    CHECK_EQ(pt->net_send(pt->ctx, s, b, 1, 0), GES_PORT_ERROR);
    CHECK_EQ(pt->net_recv(pt->ctx, s, b, 1, 0), GES_PORT_ERROR);
    CHECK_EQ(pt->net_send(pt->ctx, -1, b, 1, 0), GES_PORT_ERROR);
    CHECK_EQ(pt->net_recv(pt->ctx, s, b, 0, 0), GES_PORT_ERROR);
    CHECK_EQ(pt->net_recv(pt->ctx, s, NULL, 1, 0), GES_PORT_ERROR);
    CHECK_EQ(pt->net_send(pt->ctx, s, NULL, 1, 0), GES_PORT_ERROR);
    CHECK_EQ(pt->net_send(NULL, s, b, 1, 0), GES_PORT_ERROR);
    CHECK_EQ(pt->net_recv(NULL, s, b, 1, 0), GES_PORT_ERROR);
    pt->net_close(pt->ctx, -1); /* no crash */
    pt->net_close(NULL, s);
    CHECK_EQ(stats_leaks(), 0);
}

static void test_connect_refused(void)
{
    ges_sock_t s = 777;
    uint32_t t0 = sys_now();

    CHECK_EQ(pt->net_connect(pt->ctx, "127.0.0.1", closed_port, 5000, &s),
             GES_PORT_ERROR);
    CHECK(lc_since(t0) < 10); /* the RST, not the timeout */
    CHECK_EQ(s, 777);
    CHECK_EQ(net_a.conn.err, ERR_RST);
    CHECK_EQ(stats_leaks(), 0);
}

static void test_connect_timeout(void)
{
    ges_sock_t s = 777;
    unsigned long before = lc_dropped_frames;
    uint32_t t0 = sys_now();

    CHECK_EQ(pt->net_connect(pt->ctx, DEAD_ADDR, 443, 700, &s),
             GES_PORT_TIMEOUT);
    CHECK_EQ(lc_since(t0), 700); /* exact in sys_now() time, never early */
    CHECK(lc_dropped_frames > before); /* the SYN went out and vanished */
    CHECK_EQ(s, 777);
    /* timeout 0: one poll, then the verdict. */
    app_a.polls = 0;
    CHECK_EQ(pt->net_connect(pt->ctx, DEAD_ADDR, 443, 0, &s), GES_PORT_TIMEOUT);
    CHECK_EQ(app_a.polls, 1);
    CHECK_EQ(s, 777);
    /* Not a literal and no resolver (or an unknown name with one). */
    CHECK_EQ(pt->net_connect(pt->ctx, "256.1.1.1", 443, 100, &s),
             GES_PORT_ERROR);
    /* The instance is free again: a connection works. */
    CHECK_EQ(pt->net_connect(pt->ctx, "127.0.0.1", srv_port, 1000, &s), 0);
    pt->net_close(pt->ctx, s);
    advance(5);
    CHECK_EQ(lc_leaks(), 0);
}

static void test_exchange(void)
{
    ges_sock_t c, c2;
    srv_conn_t *s;
    size_t n = 0, sent = 0;
    int r;

    if (pair(&net_a, &c, &s) != 0)
        return;
    /* A busy instance refuses a second connection. */
    CHECK_EQ(pt->net_connect(pt->ctx, "127.0.0.1", srv_port, 100, &c2),
             GES_PORT_ERROR);
    /* Client -> server, 40000 bytes (more than TCP_SND_BUF). */
    fill(big, 40000, 1);
    while (sent < 40000) {
        r = pt->net_send(pt->ctx, c, big + sent, 40000 - sent, 1000);
        CHECK(r > 0);
        if (r <= 0)
            break;
        sent += (size_t)r;
    }
    advance(300);
    CHECK_EQ(s->rx_len, 40000);
    CHECK(memcmp(s->rx, big, 40000) == 0);
    /* Server -> client, 50000 bytes (more than TCP_WND): the window opens
     * only as the port reads. */
    fill(big, 50000, 2);
    sent = 0;
    while (n < 50000) {
        sent += srv_write(s, big + sent, 50000 - sent);
        r = pt->net_recv(pt->ctx, c, got + n, 3000, 1000);
        CHECK(r > 0 && r <= 3000);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    CHECK_EQ(n, 50000);
    CHECK(memcmp(got, big, 50000) == 0);
    pt->net_close(pt->ctx, c);
    /* The socket is stale now. */
    CHECK_EQ(pt->net_send(pt->ctx, c, big, 1, 0), GES_PORT_ERROR);
    CHECK_EQ(pt->net_recv(pt->ctx, c, got, 1, 0), GES_PORT_ERROR);
    advance(10);
    CHECK(s->fin); /* an orderly close: the server saw our FIN */
    CHECK_EQ(s->err, 0);
    CHECK_EQ(lc_leaks(), 0);
}

static void test_backpressure(void)
{
    ges_sock_t c;
    srv_conn_t *s;
    size_t total = 3 * TCP_SND_BUF + TCP_WND, sent = 0;
    int r, timeouts = 0;
    uint32_t t0;

    srv_slow_next = 1;
    if (pair(&net_a, &c, &s) != 0)
        return;
    fill(big, total, 3);
    /* The first send takes at most what fits the send buffer. */
    r = pt->net_send(pt->ctx, c, big, total, 1000);
    CHECK(r > 0 && r <= TCP_SND_BUF);
    sent = r > 0 ? (size_t)r : 0;
    /* The server does not read: its window and our buffer fill up, then a
     * send times out after its timeout, not before. */
    for (;;) {
        t0 = sys_now();
        r = pt->net_send(pt->ctx, c, big + sent, total - sent, 200);
        if (r == GES_PORT_TIMEOUT) {
            CHECK_EQ(lc_since(t0), 200);
            timeouts++;
            break;
        }
        CHECK(r > 0);
        if (r <= 0)
            break;
        sent += (size_t)r;
    }
    CHECK_EQ(timeouts, 1);
    CHECK(sent >= TCP_WND && sent <= TCP_WND + TCP_SND_BUF);
    CHECK(sent < total);
    /* timeout 0 with no room: no wait, one poll. */
    app_a.polls = 0;
    t0 = sys_now();
    CHECK_EQ(pt->net_send(pt->ctx, c, big + sent, total - sent, 0),
             GES_PORT_TIMEOUT);
    CHECK_EQ(app_a.polls, 1);
    /* The server reads: everything goes through, in order. */
    while (sent < total) {
        srv_consume(s);
        r = pt->net_send(pt->ctx, c, big + sent, total - sent, 1000);
        CHECK(r > 0);
        if (r <= 0)
            break;
        sent += (size_t)r;
    }
    for (r = 0; r < 1000 && s->rx_len < total; r++) {
        srv_consume(s);
        advance(5);
    }
    CHECK_EQ(s->rx_len, total);
    CHECK(memcmp(s->rx, big, total) == 0);
    close_a(c);
}

static void test_fin(void)
{
    ges_sock_t c;
    srv_conn_t *s;
    unsigned char b[16];

    if (pair(&net_a, &c, &s) != 0)
        return;
    CHECK_EQ(srv_write(s, (const unsigned char *)"hello", 5), 5);
    srv_close(s);
    CHECK_EQ(pt->net_recv(pt->ctx, c, b, sizeof b, 1000), 5);
    CHECK(memcmp(b, "hello", 5) == 0);
    CHECK_EQ(pt->net_recv(pt->ctx, c, b, sizeof b, 1000), 0);
    CHECK_EQ(pt->net_recv(pt->ctx, c, b, sizeof b, 0), 0); /* again */
    close_a(c);
}

static void test_reset_mid_data(void)
{
    ges_sock_t c;
    srv_conn_t *s;
    unsigned char b[100];
    uint32_t t0;

    if (pair(&net_a, &c, &s) != 0)
        return;
    fill(big, 3000, 4);
    CHECK_EQ(srv_write(s, big, 3000), 3000);
    CHECK_EQ(pt->net_recv(pt->ctx, c, b, sizeof b, 1000), 100);
    CHECK(memcmp(b, big, 100) == 0);
    srv_abort(s); /* the rest of the answer never comes: an RST */
    t0 = sys_now();
    CHECK_EQ(pt->net_recv(pt->ctx, c, b, sizeof b, 10000), GES_PORT_ERROR);
    CHECK(lc_since(t0) <= 2); /* at once, not at the timeout */
    CHECK_EQ(net_a.conn.err, ERR_RST);
    CHECK(net_a.conn.pcb == NULL); /* lwIP freed it */
    CHECK_EQ(pt->net_recv(pt->ctx, c, b, sizeof b, 0), GES_PORT_ERROR);
    CHECK_EQ(pt->net_send(pt->ctx, c, b, sizeof b, 1000), GES_PORT_ERROR);
    CHECK(lc_since(t0) <= 2);
    close_a(c);
}

static void test_recv_timeout(void)
{
    ges_sock_t c;
    srv_conn_t *s;
    unsigned char b[8];
    uint32_t t0;

    if (pair(&net_a, &c, &s) != 0)
        return;
    t0 = sys_now();
    CHECK_EQ(pt->net_recv(pt->ctx, c, b, sizeof b, 250), GES_PORT_TIMEOUT);
    CHECK_EQ(lc_since(t0), 250);
    /* A coarse clock (7 ms per poll): still never early. */
    tick_ms = 7;
    t0 = sys_now();
    CHECK_EQ(pt->net_recv(pt->ctx, c, b, sizeof b, 100), GES_PORT_TIMEOUT);
    CHECK(lc_since(t0) >= 100 && lc_since(t0) < 107);
    tick_ms = 1;
    /* Data arriving within the timeout ends the wait at once. */
    app_a.hook = NULL;
    CHECK_EQ(srv_write(s, (const unsigned char *)"x", 1), 1);
    t0 = sys_now();
    CHECK_EQ(pt->net_recv(pt->ctx, c, b, sizeof b, 5000), 1);
    CHECK(lc_since(t0) <= 2);
    close_a(c);
}

static void test_timeout_zero(void)
{
    ges_sock_t c;
    srv_conn_t *s;
    unsigned char b[8];

    if (pair(&net_a, &c, &s) != 0)
        return;
    /* Idle: TIMEOUT, after exactly one poll. */
    app_a.polls = 0;
    CHECK_EQ(pt->net_recv(pt->ctx, c, b, sizeof b, 0), GES_PORT_TIMEOUT);
    CHECK_EQ(app_a.polls, 1);
    /* Data still in the loopback queue (not polled yet): the one poll
     * brings it in. */
    CHECK_EQ(srv_write(s, (const unsigned char *)"abc", 3), 3);
    app_a.polls = 0;
    CHECK_EQ(pt->net_recv(pt->ctx, c, b, 2, 0), 2);
    CHECK_EQ(app_a.polls, 1);
    /* Data already queued: returned, after the one poll all the same. */
    app_a.polls = 0;
    CHECK_EQ(pt->net_recv(pt->ctx, c, b + 2, 2, 0), 1);
    CHECK_EQ(app_a.polls, 1);
    CHECK(memcmp(b, "abc", 3) == 0);
    /* A FIN waiting in the loopback queue: 0. */
    srv_close(s);
    app_a.polls = 0;
    CHECK_EQ(pt->net_recv(pt->ctx, c, b, sizeof b, 0), 0);
    CHECK_EQ(app_a.polls, 1);
    pt->net_close(pt->ctx, c);
    srv_reset();

    /* An RST waiting in the loopback queue: ERROR. */
    if (pair(&net_a, &c, &s) != 0)
        return;
    srv_abort(s);
    CHECK_EQ(pt->net_recv(pt->ctx, c, b, sizeof b, 0), GES_PORT_ERROR);
    close_a(c);
}

static void test_two_instances(void)
{
    ges_port_t *pa = &net_a.port, *pb = &net_b.port;
    ges_sock_t ca, cb;
    srv_conn_t *sa, *sb;
    unsigned char b[32];

    if (pair(&net_a, &ca, &sa) != 0 || pair(&net_b, &cb, &sb) != 0)
        return;
    CHECK(ca != cb);
    /* A socket of one instance is refused by the other. */
    CHECK_EQ(pa->net_send(pa->ctx, cb, b, 1, 0), GES_PORT_ERROR);
    CHECK_EQ(pb->net_recv(pb->ctx, ca, b, 1, 0), GES_PORT_ERROR);
    /* Interleaved both ways. */
    CHECK_EQ(pa->net_send(pa->ctx, ca, (const unsigned char *)"A1", 2, 100), 2);
    CHECK_EQ(pb->net_send(pb->ctx, cb, (const unsigned char *)"B1", 2, 100), 2);
    CHECK_EQ(srv_write(sb, (const unsigned char *)"to-b", 4), 4);
    CHECK_EQ(srv_write(sa, (const unsigned char *)"to-a", 4), 4);
    /* B's data arrives while A waits (A's polls run the whole stack). */
    CHECK_EQ(pa->net_recv(pa->ctx, ca, b, sizeof b, 100), 4);
    CHECK(memcmp(b, "to-a", 4) == 0);
    CHECK(net_b.conn.rx != NULL);
    CHECK_EQ(pb->net_recv(pb->ctx, cb, b, sizeof b, 0), 4);
    CHECK(memcmp(b, "to-b", 4) == 0);
    advance(5);
    CHECK_EQ(sa->rx_len, 2);
    CHECK(memcmp(sa->rx, "A1", 2) == 0);
    CHECK_EQ(sb->rx_len, 2);
    CHECK(memcmp(sb->rx, "B1", 2) == 0);
    /* Closing A leaves B working. */
    pa->net_close(pa->ctx, ca);
    CHECK_EQ(srv_write(sb, (const unsigned char *)"more", 4), 4);
    CHECK_EQ(pb->net_recv(pb->ctx, cb, b, sizeof b, 100), 4);
    CHECK_EQ(pb->net_send(pb->ctx, cb, (const unsigned char *)"B2", 2, 100), 2);
    pb->net_close(pb->ctx, cb);
    advance(5);
    CHECK_EQ(sb->rx_len, 4);
    CHECK_EQ(lc_leaks(), 0);
}

static void test_close_with_data_queued(void)
{
    ges_sock_t c;
    srv_conn_t *s;
    int base = pbufs_in_use();

    if (pair(&net_a, &c, &s) != 0)
        return;
    fill(big, 8000, 5);
    CHECK_EQ(srv_write(s, big, 8000), 8000);
    pt->sleep_ms(pt->ctx, 20); /* the stack runs: 8000 bytes queued */
    CHECK(net_a.conn.rx != NULL);
    CHECK(net_a.conn.rx != NULL && net_a.conn.rx->tot_len == 8000);
    CHECK(pbufs_in_use() + (int)lwip_stats.mem.used >
          base + (int)base_heap);
    pt->net_close(pt->ctx, c);
    CHECK(net_a.conn.rx == NULL);
    advance(5);
    /* Unread data: lwIP's tcp_close() resets instead of FIN. */
    CHECK_EQ(s->err, 1 + ERR_RST);
    CHECK_EQ(lc_leaks(), 0);
}

static void test_abort(void)
{
    ges_sock_t c, c2;
    srv_conn_t *s;
    unsigned char b[8];

    if (pair(&net_a, &c, &s) != 0)
        return;
    CHECK_EQ(srv_write(s, (const unsigned char *)"data", 4), 4);
    advance(3);
    ges_port_lwip_raw_abort(&net_a);
    CHECK(net_a.conn.pcb == NULL && net_a.conn.rx == NULL);
    CHECK_EQ(pt->net_recv(pt->ctx, c, b, sizeof b, 100), GES_PORT_ERROR);
    CHECK_EQ(pt->net_send(pt->ctx, c, b, 1, 100), GES_PORT_ERROR);
    /* Still the client's until it closes. */
    CHECK_EQ(pt->net_connect(pt->ctx, "127.0.0.1", srv_port, 100, &c2),
             GES_PORT_ERROR);
    advance(3);
    CHECK_EQ(s->err, 1 + ERR_RST);
    pt->net_close(pt->ctx, c);
    if (pair(&net_a, &c, &s) == 0)
        close_a(c);
}

static void late_data_hook(void)
{
    if (srv[0].pcb != NULL && app_a.polls == 50)
        (void)srv_write(&srv[0], (const unsigned char *)"late", 4);
}

static void test_sleep(void)
{
    ges_sock_t c;
    srv_conn_t *s;
    unsigned char b[8];
    uint32_t t0;

    t0 = sys_now();
    app_a.polls = 0;
    pt->sleep_ms(pt->ctx, 100);
    CHECK_EQ(lc_since(t0), 100);
    CHECK_EQ(app_a.polls, 100);
    app_a.polls = 0;
    pt->sleep_ms(pt->ctx, 0);
    CHECK_EQ(app_a.polls, 1);
    /* The stack keeps running while sleeping: data sent mid-sleep is queued
     * by the time it ends. */
    if (pair(&net_a, &c, &s) != 0)
        return;
    app_a.polls = 0;
    app_a.hook = late_data_hook;
    pt->sleep_ms(pt->ctx, 100);
    app_a.hook = NULL;
    CHECK(net_a.conn.rx != NULL);
    CHECK_EQ(pt->net_recv(pt->ctx, c, b, sizeof b, 0), 4);
    close_a(c);
}

static void test_reentry_refused(void)
{
    ges_sock_t c;
    srv_conn_t *s;
    unsigned char b[8];

    if (pair(&net_a, &c, &s) != 0)
        return;
    app_a.sock = c;
    app_a.reenter = 1;
    app_a.reenter_result = 12345;
    CHECK_EQ(pt->net_recv(pt->ctx, c, b, sizeof b, 3), GES_PORT_TIMEOUT);
    app_a.reenter = 0;
    CHECK_EQ(app_a.reenter_result, GES_PORT_ERROR);
    close_a(c);
}

#if LWIP_IPV6
static void test_ipv6_literal(void)
{
    ges_sock_t c;
    unsigned char b[8];

    CHECK_EQ(pt->net_connect(pt->ctx, "::1", srv_port, 1000, &c), 0);
    advance(2);
    CHECK_EQ(srv_accepted, 1);
    CHECK(net_a.conn.pcb != NULL && IP_IS_V6(&net_a.conn.pcb->remote_ip));
    if (srv_accepted == 1) {
        CHECK_EQ(srv_write(&srv[0], (const unsigned char *)"six", 3), 3);
        CHECK_EQ(pt->net_recv(pt->ctx, c, b, sizeof b, 100), 3);
    }
    close_a(c);
}
#endif

#if LWIP_DNS
static void test_dns(void)
{
    ges_sock_t c = 777;
    uint32_t t0;

    /* A name: one query, connected. */
    dns_queries = 0;
    CHECK_EQ(pt->net_connect(pt->ctx, "ges.test", srv_port, 1000, &c), 0);
    CHECK_EQ(dns_queries, 1);
    pt->net_close(pt->ctx, c);
    /* Again: from lwIP's cache, no query. */
    CHECK_EQ(pt->net_connect(pt->ctx, "ges.test", srv_port, 1000, &c), 0);
    CHECK_EQ(dns_queries, 1);
    pt->net_close(pt->ctx, c);
    /* NXDOMAIN: an error at once. */
    c = 777;
    t0 = sys_now();
    CHECK_EQ(pt->net_connect(pt->ctx, "nx.test", srv_port, 1000, &c),
             GES_PORT_ERROR);
    CHECK(lc_since(t0) < 10);
    /* No answer: a timeout at the deadline. */
    t0 = sys_now();
    CHECK_EQ(pt->net_connect(pt->ctx, "slow.test", srv_port, 300, &c),
             GES_PORT_TIMEOUT);
    CHECK_EQ(lc_since(t0), 300);
    CHECK_EQ(c, 777);
    /* lwIP cannot cancel that query: it retries slow.test, then gives up
     * and calls back with no address, about 7 s after it began. Meanwhile
     * we resolve late.test, whose answer comes 4.5 s after its query, so
     * after that stale callback: it must not end our wait. */
    advance(3000);
    dns_late_delay = 4500;
    app_a.hook = dns_late_hook;
    t0 = sys_now();
    CHECK_EQ(pt->net_connect(pt->ctx, "late.test", srv_port, 20000, &c), 0);
    app_a.hook = NULL;
    CHECK(lc_since(t0) >= 4500 && lc_since(t0) < 4600);
    CHECK_EQ(dns_slow_queries, DNS_MAX_RETRIES); /* it did give up by now */
    pt->net_close(pt->ctx, c);
    advance(10000);
    CHECK_EQ(lc_leaks(), 0);
}
#endif

/* ------------------------------------------------------------------------- */
/* net_connect_tick and ges_client_cancel(): tests/lwip/port_cases.h         */
/* ------------------------------------------------------------------------- */

/* The superloop's poll cancels: what an interrupt or the loop itself may
 * do (ges_client_cancel() only stores a flag). */
static ges_client_t *cancel_target;
static uint32_t cancel_t0, cancel_ms;

static void cancel_hook(void)
{
    if (cancel_target != NULL && lc_since(cancel_t0) >= cancel_ms) {
        ges_client_cancel(cancel_target);
        cancel_target = NULL;
    }
}

static void lc_cancel_later(ges_client_t *c, uint32_t ms)
{
    cancel_target = c;
    cancel_t0 = sys_now();
    cancel_ms = ms;
    app_a.hook = cancel_hook;
}

static void lc_cancel_join(void)
{
    app_a.hook = NULL;
    cancel_target = NULL;
}

static void lc_mark(void)
{
    /* the baseline is the stack's at start-up */
}


#if LWIP_DNS
/* A DNS query that is never answered: RESOLVING ticks every slice, a stop
 * ends the wait, and lwIP's own give-up callback, long after, touches
 * nothing (the instance connects fine before and after it). */
static void test_tick_dns(void)
{
    ges_sock_t s = 777;
    uint32_t d;

    CHECK_EQ(lc_connect("slow.test", srv_port, 300, 0, &s, &d),
             GES_PORT_TIMEOUT);
    CHECK_EQ(d, 300);
    CHECK_EQ(lc_tk.connecting, 0);
    CHECK_EQ(lc_tk.resolving, 300 / GES_WAIT_SLICE_MS); /* at 0, 50 .. 250 */
    CHECK_EQ(lc_tk.max_gap, GES_WAIT_SLICE_MS);
    /* Stopped at the 4th tick, 150 ms in. */
    CHECK_EQ(lc_connect("slow.test", srv_port, 20000, 4, &s, &d),
             GES_PORT_CANCELLED);
    CHECK_EQ(d, 3 * GES_WAIT_SLICE_MS);
    CHECK_EQ(lc_tk.resolving, 4);
    CHECK_EQ(s, 777);
    /* Usable at once, by name. */
    CHECK_EQ(lc_connect("ges.test", srv_port, 1000, 0, &s, &d), 0);
    pt->net_close(pt->ctx, s);
    /* lwIP gives up on slow.test and calls back with no address: ignored. */
    advance(15000);
    CHECK_EQ(net_a.conn.flags, 0);
    CHECK_EQ(pt->net_connect(pt->ctx, "ges.test", srv_port, 1000, &s), 0);
    pt->net_close(pt->ctx, s);
    CHECK_EQ(lc_leaks(), 0);
}
#endif

int main(int argc, char **argv)
{
    ip4_addr_t ip, mask, gw;

    lwip_init();
    IP4_ADDR(&ip, 10, 0, 0, 1);
    IP4_ADDR(&mask, 255, 255, 255, 0);
    IP4_ADDR(&gw, 0, 0, 0, 0);
    if (netif_add(&drop_nif, &ip, &mask, &gw, NULL, lc_drop_init, ip_input) ==
        NULL) {
        fprintf(stderr, "netif_add failed\n");
        return 2;
    }
    netif_set_up(&drop_nif);
    netif_set_link_up(&drop_nif);
    if (srv_start() != 0) {
        fprintf(stderr, "server pcb failed\n");
        return 2;
    }
#if LWIP_DNS
    if (dns_srv_start() != 0) {
        fprintf(stderr, "DNS server pcb failed\n");
        return 2;
    }
#endif
    instance(&net_a, &app_a);
    instance(&net_b, &app_b);
    advance(10);
    stats_baseline();
    printf("lwIP %s, NO_SYS %d, LWIP_IPV6 %d, LWIP_DNS %d, TCP_SND_BUF %d, "
           "TCP_WND %d\n",
           LWIP_VERSION_STRING, NO_SYS, LWIP_IPV6, LWIP_DNS, (int)TCP_SND_BUF,
           (int)TCP_WND);

    RUN(test_timeout_across_wrap);
    RUN(test_init);
    RUN(test_bad_args);
    RUN(test_connect_refused);
    RUN(test_connect_timeout);
    RUN(test_exchange);
    RUN(test_backpressure);
    RUN(test_fin);
    RUN(test_reset_mid_data);
    RUN(test_recv_timeout);
    RUN(test_timeout_zero);
    RUN(test_two_instances);
    RUN(test_close_with_data_queued);
    RUN(test_abort);
    RUN(test_sleep);
    RUN(test_reentry_refused);
#if LWIP_IPV6
    RUN(test_ipv6_literal);
#endif
#if LWIP_DNS
    RUN(test_dns);
#endif
    lc_env.port = &net_a.port;
    lc_env.dead = DEAD_ADDR;
    lc_env.live = "127.0.0.1";
    lc_env.live_port = srv_port;
    lc_env.slack = 0; /* the fake clock: every time is exact */
#if LWIP_DNS
    RUN(test_tick_dns);
#endif
    lc_run(argc > 1 ? argv[1] : NULL);
    return harness_done();
}
