/*
 * Tests of the lwIP port (port/lwip) on the host, against Debian's lwIP
 * stack (liblwip-dev: headers and liblwip.so, the unix sys_arch on
 * pthreads). The whole TCP/IP stack runs in this process: one netif,
 * 192.168.77.1/24, whose own address loops back (LWIP_NETIF_LOOPBACK) and
 * which silently drops everything else, so 192.168.77.2 never answers. No
 * packet reaches the host's network.
 *
 *   make lwip-host      (tests/mk/embedded.mk)
 *
 * Server sides are lwIP sockets too (the only sockets that reach that
 * netif), driven non-blocking from this one thread.
 *
 * Debian's lwIP has no resolver (LWIP_DNS 0). A second build compiles the
 * port and this file with -DLWIP_DNS=1 and supplies lwip_getaddrinfo() /
 * lwip_freeaddrinfo() below, shaped like lwIP 2.1's (one address,
 * ai_addrlen = sizeof(struct sockaddr_storage)), to test the port's
 * resolver path: names, failures, a resolver that eats the timeout, frees.
 *
 * net_connect_tick and ges_client_cancel() through this port: the cases of
 * tests/lwip/port_cases.h (shared with port/lwip_raw's tests), the cancel
 * coming from another thread. Argument: the CA (PEM) for the client cases.
 */
#include "harness.h"
#include "port/lwip/ges_port_lwip.h" /* by path: see ges_port_lwip.h */
#include "../lwip/port_cases.h"

#include <pthread.h>
#include <stdlib.h>

#include "lwip/def.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/sockets.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"
#if LWIP_DNS
#include "lwip/netdb.h"
#endif

#define HOST_ADDR "192.168.77.1"
#define DEAD_ADDR "192.168.77.2" /* routed to our netif, dropped there */

static ges_port_t port;
static struct netif nif;
static int entropy_calls;

/* The application's entropy hook, which the port does not provide. */
int ges_port_lwip_entropy(void *ctx, unsigned char *buf, size_t len)
{
    (void)ctx;
    entropy_calls++;
    memset(buf, 0xA5, len); /* a test: never do this in firmware */
    return 0;
}

static int64_t fake_rtc(void *ctx)
{
    (void)ctx;
    return 1700000000;
}

#if LWIP_DNS
/* A fake resolver: "ges.test" is HOST_ADDR, "dead.test" DEAD_ADDR, dotted
 * IPv4 parses as itself, anything else fails. It can be made slow. */
static uint32_t dns_delay_ms;
static int dns_calls, dns_frees, dns_outstanding;
static struct {
    struct addrinfo ai;
    struct sockaddr_storage ss;
} dns_result;

int lwip_getaddrinfo(const char *nodename, const char *servname,
                     const struct addrinfo *hints, struct addrinfo **res)
{
    const char *a = nodename;
    ip4_addr_t ip;
    struct sockaddr_in *sin = (struct sockaddr_in *)(void *)&dns_result.ss;

    dns_calls++;
    *res = NULL;
    if (dns_delay_ms > 0)
        sys_msleep(dns_delay_ms);
    if (nodename == NULL || servname != NULL || hints == NULL ||
        hints->ai_socktype != SOCK_STREAM)
        return EAI_FAIL; /* the port passes no service, and a hint */
    if (strcmp(nodename, "ges.test") == 0)
        a = HOST_ADDR;
    else if (strcmp(nodename, "dead.test") == 0)
        a = DEAD_ADDR;
    if (!ip4addr_aton(a, &ip))
        return EAI_FAIL;
    memset(&dns_result, 0, sizeof dns_result);
    sin->sin_family = AF_INET;
    sin->sin_port = 0; /* no service asked for */
    sin->sin_addr.s_addr = ip4_addr_get_u32(&ip);
    dns_result.ai.ai_family = AF_INET;
    dns_result.ai.ai_socktype = hints->ai_socktype;
    dns_result.ai.ai_protocol = hints->ai_protocol;
    dns_result.ai.ai_addrlen = (socklen_t)sizeof(struct sockaddr_storage);
    dns_result.ai.ai_addr = (struct sockaddr *)(void *)&dns_result.ss;
    dns_outstanding++;
    *res = &dns_result.ai;
    return 0;
}

void lwip_freeaddrinfo(struct addrinfo *ai)
{
    if (ai == &dns_result.ai) {
        dns_frees++;
        dns_outstanding--;
    }
}
#endif

/* ------------------------------------------------------------------------- */
/* The stack                                                                 */
/* ------------------------------------------------------------------------- */

static void stack_ready(void *arg)
{
    sys_sem_signal((sys_sem_t *)arg);
}

static int stack_up(void)
{
    sys_sem_t ready;
    ip4_addr_t ip, mask, gw;

    if (sys_sem_new(&ready, 0) != ERR_OK)
        return -1;
    tcpip_init(stack_ready, &ready);
    (void)sys_arch_sem_wait(&ready, 0);
    sys_sem_free(&ready);

    if (!ip4addr_aton(HOST_ADDR, &ip) || !ip4addr_aton("255.255.255.0", &mask) ||
        !ip4addr_aton("0.0.0.0", &gw))
        return -1;
    LOCK_TCPIP_CORE();
    if (netif_add(&nif, &ip, &mask, &gw, NULL, lc_drop_init, tcpip_input) == NULL) {
        UNLOCK_TCPIP_CORE();
        return -1;
    }
    netif_set_default(&nif);
    netif_set_up(&nif);
    netif_set_link_up(&nif);
    UNLOCK_TCPIP_CORE();
    return 0;
}

/* A listening lwIP socket on HOST_ADDR, ephemeral port. -1 on failure. */
static int listener(uint16_t *p)
{
    struct sockaddr_in a;
    socklen_t alen = (socklen_t)sizeof a;
    ip4_addr_t ip;
    int s = lwip_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    if (s < 0)
        return -1;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = 0;
    if (!ip4addr_aton(HOST_ADDR, &ip))
        return -1;
    a.sin_addr.s_addr = ip4_addr_get_u32(&ip);
    if (lwip_bind(s, (struct sockaddr *)&a, alen) != 0 ||
        lwip_listen(s, 2) != 0 ||
        lwip_getsockname(s, (struct sockaddr *)&a, &alen) != 0) {
        (void)lwip_close(s);
        return -1;
    }
    *p = lwip_ntohs(a.sin_port);
    return s;
}

/* The lowest free socket number: lwIP hands out the first free slot, so a
 * later call returning the same number shows nothing was left open. */
static int lowest_free_socket(void)
{
    int s = lwip_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (s >= 0)
        (void)lwip_close(s);
    return s;
}

/* A connected pair: *c is the port's socket, *srv the accepted one. */
static int pair(ges_sock_t *c, int *srv)
{
    uint16_t pn;
    int l = listener(&pn);
    int r;

    if (l < 0)
        return -1;
    r = port.net_connect(port.ctx, HOST_ADDR, pn, 2000, c);
    if (r != 0) {
        (void)lwip_close(l);
        return -1;
    }
    *srv = lwip_accept(l, NULL, NULL);
    (void)lwip_close(l);
    if (*srv < 0) {
        port.net_close(port.ctx, *c);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------- */
/* Tests                                                                     */
/* ------------------------------------------------------------------------- */

static void test_init(void)
{
    ges_port_t p;
    unsigned char b[8];

    memset(&p, 0x5A, sizeof p);
    ges_port_lwip_init(&p);
    CHECK(p.ctx == NULL);
    CHECK(p.net_connect != NULL && p.net_send != NULL);
    CHECK(p.net_connect_tick != NULL);
    CHECK(p.net_recv != NULL && p.net_close != NULL);
    CHECK(p.now_ms != NULL && p.sleep_ms != NULL);
    CHECK(p.entropy == ges_port_lwip_entropy);
    CHECK(p.wall_clock == NULL);
    CHECK(p.tls_calloc == NULL && p.tls_free == NULL);
    entropy_calls = 0;
    CHECK_EQ(p.entropy(p.ctx, b, sizeof b), 0);
    CHECK_EQ(entropy_calls, 1);

    ges_port_lwip_set_wall_clock(&p, fake_rtc);
    CHECK(p.wall_clock == fake_rtc);
    CHECK_EQ(p.wall_clock(p.ctx), 1700000000);
    ges_port_lwip_set_wall_clock(&p, NULL);
    CHECK(p.wall_clock == NULL);
    ges_port_lwip_init(NULL);                     /* no crash */
    ges_port_lwip_set_wall_clock(NULL, fake_rtc); /* no crash */
}

static void test_clock(void)
{
    uint32_t a = port.now_ms(port.ctx), d;

    port.sleep_ms(port.ctx, 60);
    d = (uint32_t)(port.now_ms(port.ctx) - a);
    CHECK(d >= 55 && d < 1000);
    port.sleep_ms(port.ctx, 0); /* returns */
}

static void test_bad_args(void)
{
    ges_sock_t s = 12345;
    unsigned char b[4] = {0};

    CHECK_EQ(port.net_connect(port.ctx, NULL, 80, 100, &s), GES_PORT_ERROR);
    CHECK_EQ(port.net_connect(port.ctx, "", 80, 100, &s), GES_PORT_ERROR);
    CHECK_EQ(port.net_connect(port.ctx, HOST_ADDR, 0, 100, &s), GES_PORT_ERROR);
    CHECK_EQ(port.net_connect(port.ctx, HOST_ADDR, 80, 100, NULL),
             GES_PORT_ERROR);
    CHECK_EQ(s, 12345); /* untouched */
    CHECK_EQ(port.net_send(port.ctx, -1, b, 1, 0), GES_PORT_ERROR);
    CHECK_EQ(port.net_send(port.ctx, (ges_sock_t)INT_MAX + 1, b, 1, 0),
             GES_PORT_ERROR);
    CHECK_EQ(port.net_recv(port.ctx, -1, b, 1, 0), GES_PORT_ERROR);
    CHECK_EQ(port.net_recv(port.ctx, 1, b, 0, 0), GES_PORT_ERROR);
    CHECK_EQ(port.net_recv(port.ctx, 1, NULL, 1, 0), GES_PORT_ERROR);
    CHECK_EQ(port.net_send(port.ctx, 1, NULL, 1, 0), GES_PORT_ERROR);
    port.net_close(port.ctx, -1); /* no crash */
}

#if !LWIP_DNS
/* Debian's lwIP has LWIP_DNS 0: a name cannot be resolved. */
static void test_names_without_dns(void)
{
    ges_sock_t s = 777;
    int before = lowest_free_socket();
    uint32_t t0 = sys_now();

    CHECK_EQ(port.net_connect(port.ctx, "ges.example.com", 443, 1000, &s),
             GES_PORT_ERROR);
    CHECK_EQ(port.net_connect(port.ctx, "256.1.1.1", 443, 1000, &s),
             GES_PORT_ERROR);
    CHECK(lc_since(t0) < 500);
    CHECK_EQ(s, 777);
    CHECK_EQ(lowest_free_socket(), before);
}
#else
static void test_names_with_dns(void)
{
    uint16_t pn;
    int l = listener(&pn), srv, before;
    ges_sock_t s = 777;
    uint32_t t0, d;

    CHECK(l >= 0);
    /* A name: resolved, connected, the result freed. */
    dns_calls = dns_frees = 0;
    CHECK_EQ(port.net_connect(port.ctx, "ges.test", pn, 2000, &s), 0);
    CHECK_EQ(dns_calls, 1);
    CHECK_EQ(dns_frees, 1);
    srv = lwip_accept(l, NULL, NULL);
    CHECK(srv >= 0);
    CHECK_EQ(port.net_send(port.ctx, s, (const unsigned char *)"x", 1, 1000), 1);
    (void)lwip_close(srv);
    port.net_close(port.ctx, s);
    /* A dotted address goes through the resolver too. */
    CHECK_EQ(port.net_connect(port.ctx, HOST_ADDR, pn, 2000, &s), 0);
    srv = lwip_accept(l, NULL, NULL);
    CHECK(srv >= 0);
    (void)lwip_close(srv);
    port.net_close(port.ctx, s);
    (void)lwip_close(l);

    before = lowest_free_socket();
    s = 777;
    /* Unknown name: an error at once, nothing to free. */
    CHECK_EQ(port.net_connect(port.ctx, "nx.test", 443, 1000, &s),
             GES_PORT_ERROR);
    /* Refused after resolving. */
    CHECK_EQ(port.net_connect(port.ctx, "ges.test", pn, 1000, &s),
             GES_PORT_ERROR);
    /* Resolving eats the whole timeout: a timeout, and the result freed. */
    dns_delay_ms = 300;
    t0 = sys_now();
    CHECK_EQ(port.net_connect(port.ctx, "ges.test", pn, 200, &s),
             GES_PORT_TIMEOUT);
    dns_delay_ms = 0;
    CHECK(lc_since(t0) >= 300);
    /* The time left after resolving bounds the connect. */
    dns_delay_ms = 100;
    t0 = sys_now();
    CHECK_EQ(port.net_connect(port.ctx, "dead.test", 443, 400, &s),
             GES_PORT_TIMEOUT);
    dns_delay_ms = 0;
    d = lc_since(t0);
    CHECK(d >= 400 && d < 1500);
    CHECK_EQ(s, 777);
    CHECK_EQ(dns_outstanding, 0);
    CHECK_EQ(lowest_free_socket(), before);
}
#endif

static void test_connect_refused(void)
{
    uint16_t pn;
    int l = listener(&pn), before;
    ges_sock_t s = 777;
    uint32_t t0;

    CHECK(l >= 0);
    (void)lwip_close(l); /* the port is now closed: lwIP answers RST */
    before = lowest_free_socket();
    t0 = sys_now();
    CHECK_EQ(port.net_connect(port.ctx, HOST_ADDR, pn, 2000, &s),
             GES_PORT_ERROR);
    CHECK(lc_since(t0) < 1000);
    CHECK_EQ(s, 777);
    CHECK_EQ(lowest_free_socket(), before);
}

static void test_connect_timeout(void)
{
    ges_sock_t s = 777;
    int before = lowest_free_socket();
    uint32_t t0 = sys_now(), d;

    CHECK_EQ(port.net_connect(port.ctx, DEAD_ADDR, 443, 300, &s),
             GES_PORT_TIMEOUT);
    d = lc_since(t0);
    CHECK(d >= 300 && d < 1500);
    CHECK_EQ(s, 777);
    CHECK_EQ(lowest_free_socket(), before);

    t0 = sys_now(); /* timeout 0: one look, no wait */
    CHECK_EQ(port.net_connect(port.ctx, DEAD_ADDR, 443, 0, &s),
             GES_PORT_TIMEOUT);
    CHECK(lc_since(t0) < 200);
    CHECK_EQ(lowest_free_socket(), before);
}

static void test_exchange_and_close(void)
{
    ges_sock_t c;
    int srv, one = 0, r;
    socklen_t olen = (socklen_t)sizeof one;
    unsigned char b[64];
    uint32_t t0, d;
    ssize_t n;

    if (pair(&c, &srv) != 0) {
        CHECK(!"pair");
        return;
    }
    /* TCP_NODELAY was set. */
    CHECK_EQ(lwip_getsockopt((int)c, IPPROTO_TCP, TCP_NODELAY, &one, &olen), 0);
    CHECK(one != 0);

    CHECK_EQ(port.net_send(port.ctx, c, (const unsigned char *)"hello", 5, 1000),
             5);
    n = lwip_recv(srv, b, sizeof b, 0);
    CHECK_EQ(n, 5);
    CHECK(memcmp(b, "hello", 5) == 0);

    /* Nothing to read: a timeout, neither early nor much late. */
    t0 = sys_now();
    CHECK_EQ(port.net_recv(port.ctx, c, b, sizeof b, 250), GES_PORT_TIMEOUT);
    d = lc_since(t0);
    CHECK(d >= 250 && d < 1000);
    t0 = sys_now();
    CHECK_EQ(port.net_recv(port.ctx, c, b, sizeof b, 0), GES_PORT_TIMEOUT);
    CHECK(lc_since(t0) < 100);

    /* Data, then the peer's FIN: the data first, then 0 (again and again). */
    CHECK_EQ(lwip_send(srv, "world", 5, 0), 5);
    CHECK_EQ(lwip_close(srv), 0);
    CHECK_EQ(port.net_recv(port.ctx, c, b, sizeof b, 1000), 5);
    CHECK(memcmp(b, "world", 5) == 0);
    CHECK_EQ(port.net_recv(port.ctx, c, b, sizeof b, 1000), 0);
    /* After a 0 the contract allows 0 or an error; lwIP says ENOTCONN. */
    r = port.net_recv(port.ctx, c, b, 3, 0);
    CHECK(r == 0 || r == GES_PORT_ERROR);
    port.net_close(port.ctx, c);
}

/* An abortive close by the peer (RST) is an error, not an orderly 0. lwIP
 * answers a close with unread data by RST (SO_LINGER 0 alone does not: it
 * aborts only while sent data is unacknowledged). */
static void test_reset(void)
{
    ges_sock_t c;
    int srv, r;
    unsigned char b[16];

    if (pair(&c, &srv) != 0) {
        CHECK(!"pair");
        return;
    }
    CHECK_EQ(port.net_send(port.ctx, c, (const unsigned char *)"unread", 6,
                           1000), 6);
    port.sleep_ms(port.ctx, 50); /* let it arrive */
    CHECK_EQ(lwip_close(srv), 0);
    CHECK_EQ(port.net_recv(port.ctx, c, b, sizeof b, 1000), GES_PORT_ERROR);
    r = port.net_send(port.ctx, c, b, sizeof b, 200);
    CHECK(r == GES_PORT_ERROR);
    port.net_close(port.ctx, c);
}

/* 1 MiB each way through small windows: partial sends and receives, the
 * timeout-0 paths, and every byte in order. One thread drives both ends,
 * non-blocking, so neither side may wait for the other. */
static void test_bulk(void)
{
    enum { TOTAL = 1 << 20 };
    static unsigned char out[4096], in[4096];
    ges_sock_t c;
    int srv, bad = 0, partial = 0;
    size_t sent = 0, got = 0, back_sent = 0, back_got = 0, i;
    uint32_t t0 = sys_now();

    if (pair(&c, &srv) != 0) {
        CHECK(!"pair");
        return;
    }
    CHECK_EQ(lwip_fcntl(srv, F_SETFL, O_NONBLOCK), 0);
    while ((got < TOTAL || back_got < TOTAL) && lc_since(t0) < 20000) {
        int r;
        ssize_t n;

        /* port -> server */
        if (sent < TOTAL) {
            size_t k = TOTAL - sent < sizeof out ? TOTAL - sent : sizeof out;
            for (i = 0; i < k; i++)
                out[i] = (unsigned char)((sent + i) * 7u);
            r = port.net_send(port.ctx, c, out, k, 0);
            if (r > 0) {
                if ((size_t)r < k)
                    partial++;
                sent += (size_t)r;
            } else if (r != GES_PORT_TIMEOUT) {
                bad++;
                break;
            }
        }
        n = lwip_recv(srv, in, sizeof in, 0);
        for (i = 0; n > 0 && i < (size_t)n; i++)
            if (in[i] != (unsigned char)((got + i) * 7u))
                bad++;
        if (n > 0)
            got += (size_t)n;

        /* server -> port */
        if (back_sent < TOTAL) {
            size_t k = TOTAL - back_sent < sizeof out ? TOTAL - back_sent
                                                      : sizeof out;
            for (i = 0; i < k; i++)
                out[i] = (unsigned char)((back_sent + i) * 13u);
            n = lwip_send(srv, out, k, 0);
            if (n > 0)
                back_sent += (size_t)n;
        }
        r = port.net_recv(port.ctx, c, in, sizeof in, 0);
        if (r > 0) {
            for (i = 0; i < (size_t)r; i++)
                if (in[i] != (unsigned char)((back_got + i) * 13u))
                    bad++;
            back_got += (size_t)r;
        } else if (r != GES_PORT_TIMEOUT) {
            bad++;
            break;
        }
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(got, TOTAL);
    CHECK_EQ(back_got, TOTAL);
    (void)partial; /* depends on the stack's buffers; not asserted */
    (void)lwip_close(srv);
    port.net_close(port.ctx, c);
}

/* A peer that never reads: sends eventually time out, in time. */
static void test_send_timeout(void)
{
    static unsigned char out[8192];
    ges_sock_t c;
    int srv, r = 0;
    size_t total = 0;
    uint32_t t0, d = 0;

    if (pair(&c, &srv) != 0) {
        CHECK(!"pair");
        return;
    }
    memset(out, 'x', sizeof out);
    while (total < (64u << 20)) {
        t0 = sys_now();
        r = port.net_send(port.ctx, c, out, sizeof out, 150);
        d = lc_since(t0);
        if (r <= 0)
            break;
        total += (size_t)r;
    }
    CHECK_EQ(r, GES_PORT_TIMEOUT);
    CHECK(d >= 150 && d < 1000);
    CHECK(total > 0);
    (void)lwip_close(srv);
    port.net_close(port.ctx, c);
}

/* ------------------------------------------------------------------------- */
/* net_connect_tick and ges_client_cancel(): tests/lwip/port_cases.h         */
/* ------------------------------------------------------------------------- */

static int live_listener = -1; /* non-blocking; backlog accepts in-stack */
static int marked_free;
static pthread_t canceller;
static int canceller_started;
static struct {
    ges_client_t *c;
    uint32_t ms;
} cancel_arg;

static void *cancel_thread(void *arg)
{
    (void)arg;
    sys_msleep(cancel_arg.ms);
    ges_client_cancel(cancel_arg.c); /* from another thread, as allowed */
    return NULL;
}

static void lc_cancel_later(ges_client_t *c, uint32_t ms)
{
    cancel_arg.c = c;
    cancel_arg.ms = ms;
    canceller_started = pthread_create(&canceller, NULL, cancel_thread,
                                       NULL) == 0;
    CHECK(canceller_started);
}

static void lc_cancel_join(void)
{
    if (canceller_started)
        (void)pthread_join(canceller, NULL);
    canceller_started = 0;
}

static void lc_mark(void)
{
    marked_free = lowest_free_socket();
}

static int lc_leaks(void)
{
    int s;

    while ((s = lwip_accept(live_listener, NULL, NULL)) >= 0)
        (void)lwip_close(s);
    return lowest_free_socket() != marked_free;
}

#if LWIP_DNS
/* lwip_getaddrinfo() cannot be interrupted (the documented exception): a
 * tick before it, none during it; a stop there skips it. */
static void test_tick_resolver(void)
{
    ges_sock_t s = 777;
    uint32_t d;

    lc_mark();
    dns_calls = 0;
    CHECK_EQ(lc_connect("ges.test", lc_env.live_port, 1000, 1, &s, &d),
             GES_PORT_CANCELLED);
    CHECK_EQ(dns_calls, 0);
    /* A slow resolver delays the next tick by its own time. */
    dns_delay_ms = 200;
    CHECK_EQ(lc_connect("ges.test", lc_env.live_port, 2000, 0, &s, &d), 0);
    dns_delay_ms = 0;
    CHECK_EQ(dns_calls, 1);
    CHECK_EQ(dns_outstanding, 0);
    CHECK_EQ(lc_tk.resolving, 1);
    CHECK(lc_tk.max_gap >= 200);
    if (s != 777)
        port.net_close(port.ctx, s);
    CHECK_EQ(lc_leaks(), 0);
}
#endif

int main(int argc, char **argv)
{
    if (stack_up() != 0) {
        fprintf(stderr, "cannot start lwIP\n");
        printf("0 passed, 1 failed\n");
        return 1;
    }
    ges_port_lwip_init(&port);
    RUN(test_init);
    RUN(test_clock);
    RUN(test_bad_args);
#if LWIP_DNS
    RUN(test_names_with_dns);
#else
    RUN(test_names_without_dns);
#endif
    RUN(test_connect_refused);
    RUN(test_connect_timeout);
    RUN(test_exchange_and_close);
    RUN(test_reset);
    RUN(test_bulk);
    RUN(test_send_timeout);
    lc_env.port = &port;
    lc_env.dead = DEAD_ADDR;
    lc_env.live = HOST_ADDR;
    live_listener = listener(&lc_env.live_port);
    if (live_listener < 0 ||
        lwip_fcntl(live_listener, F_SETFL, O_NONBLOCK) != 0)
        fprintf(stderr, "no listener for the tick cases\n");
    lc_env.slack = 250; /* a loaded host's scheduler */
#if LWIP_DNS
    RUN(test_tick_resolver);
#endif
    lc_run(argc > 1 ? argv[1] : NULL);
    return harness_done();
}
