/*
 * Tests of the POSIX port (port/posix). Loopback only: no packet leaves the
 * machine and no name is looked up outside /etc/hosts.
 *
 *   gcc -std=c99 -Wall -Wextra -Wpedantic -Werror -I. -Iport/posix \
 *       tests/test_port_posix.c port/posix/ges_port_posix.c -o t && ./t
 */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"
#include "ges_port_posix.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static const ges_port_t *P;

/* ------------------------------------------------------------------------- */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------- */

/* A listening socket on the loopback of `family`, ephemeral port.
 * Returns the fd (port in *port), or -1 if the family is unavailable. */
static int listener(int family, int backlog, uint16_t *port)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int fd = socket(family, SOCK_STREAM, 0);
    int one = 1;

    if (fd < 0)
        return -1;
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&ss, 0, sizeof ss);
    if (family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        len = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *a;
    }
    if (bind(fd, (struct sockaddr *)&ss, len) != 0 ||
        (backlog >= 0 && listen(fd, backlog) != 0) ||
        getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
        close(fd);
        return -1;
    }
    *port = family == AF_INET6
                ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                : ntohs(((struct sockaddr_in *)&ss)->sin_port);
    return fd;
}

/* A connected pair: *cli through the port, *srv accepted. 0 on success. */
static int pair(int *lfd, ges_sock_t *cli, int *srv)
{
    uint16_t port = 0;
    *lfd = listener(AF_INET, 4, &port);
    if (*lfd < 0)
        return -1;
    if (P->net_connect(P->ctx, "127.0.0.1", port, 2000, cli) != 0) {
        close(*lfd);
        return -1;
    }
    *srv = accept(*lfd, NULL, NULL);
    if (*srv < 0) {
        P->net_close(P->ctx, *cli);
        close(*lfd);
        return -1;
    }
    return 0;
}

static void unpair(int lfd, ges_sock_t cli, int srv)
{
    if (srv >= 0)
        close(srv);
    P->net_close(P->ctx, cli);
    close(lfd);
}

static uint32_t elapsed_since(uint32_t t0)
{
    return (uint32_t)(P->now_ms(P->ctx) - t0); /* unsigned: wrap-safe */
}

/* Echo one message through an established pair, both directions. */
static void exchange(ges_sock_t cli, int srv)
{
    unsigned char buf[16];
    int n;
    ssize_t s;

    CHECK_EQ(P->net_send(P->ctx, cli, (const unsigned char *)"hello", 5, 1000),
             5);
    s = recv(srv, buf, sizeof buf, 0);
    CHECK_EQ(s, 5);
    CHECK(memcmp(buf, "hello", 5) == 0);
    CHECK_EQ(send(srv, "world!", 6, 0), 6);
    n = P->net_recv(P->ctx, cli, buf, sizeof buf, 1000);
    CHECK_EQ(n, 6);
    CHECK(memcmp(buf, "world!", 6) == 0);
}

/* ------------------------------------------------------------------------- */
/* Tests                                                                     */
/* ------------------------------------------------------------------------- */

static void test_port_table(void)
{
    CHECK(P != NULL);
    CHECK(P == ges_port_posix());
    CHECK(P->ctx == NULL);
    CHECK(P->net_connect && P->net_send && P->net_recv && P->net_close);
    CHECK(P->now_ms && P->sleep_ms && P->entropy && P->wall_clock);
    CHECK(P->tls_calloc == calloc);
    CHECK(P->tls_free == free);
}

static void test_connect_ipv4(void)
{
    int lfd, srv, fl;
    ges_sock_t cli = -1;
    int one = 0;
    socklen_t len = sizeof one;

    CHECK_EQ(pair(&lfd, &cli, &srv), 0);
    if (srv < 0)
        return;
    exchange(cli, srv);
    /* TCP_NODELAY, non-blocking, close-on-exec. */
    CHECK_EQ(getsockopt((int)cli, IPPROTO_TCP, TCP_NODELAY, &one, &len), 0);
    CHECK(one != 0);
    fl = fcntl((int)cli, F_GETFL);
    CHECK(fl >= 0 && (fl & O_NONBLOCK));
    fl = fcntl((int)cli, F_GETFD);
    CHECK(fl >= 0 && (fl & FD_CLOEXEC));
    unpair(lfd, cli, srv);
}

static void test_connect_ipv6(void)
{
    uint16_t port = 0;
    int lfd = listener(AF_INET6, 4, &port);
    ges_sock_t cli = -1;
    int srv, r;

    if (lfd < 0) {
        printf("note: no IPv6 loopback here; ::1 not tested\n");
        return;
    }
    r = P->net_connect(P->ctx, "::1", port, 2000, &cli);
    CHECK_EQ(r, 0);
    if (r != 0) {
        close(lfd);
        return;
    }
    srv = accept(lfd, NULL, NULL);
    CHECK(srv >= 0);
    if (srv >= 0)
        exchange(cli, srv);
    unpair(lfd, cli, srv);
}

/* "localhost" resolves (from /etc/hosts) to 127.0.0.1 and usually ::1, in an
 * order the resolver picks. A listener on one family only means the port
 * must go on past a refused address in one of the two cases. */
static void test_connect_every_address(void)
{
    uint16_t port = 0;
    int lfd = listener(AF_INET, 4, &port);
    ges_sock_t cli = -1;
    int r;

    CHECK(lfd >= 0);
    if (lfd < 0)
        return;
    r = P->net_connect(P->ctx, "localhost", port, 2000, &cli);
    CHECK_EQ(r, 0);
    if (r == 0)
        P->net_close(P->ctx, cli);
    close(lfd);

    lfd = listener(AF_INET6, 4, &port);
    if (lfd < 0)
        return; /* noted by test_connect_ipv6 */
    r = P->net_connect(P->ctx, "localhost", port, 2000, &cli);
    if (r == 0)
        P->net_close(P->ctx, cli);
    else
        printf("note: localhost has no ::1 entry; IPv6 fallback not tested\n");
    close(lfd);
}

static void test_connect_refused(void)
{
    uint16_t port = 0;
    /* Bound, not listening: the port is ours, and connecting is refused. */
    int fd = listener(AF_INET, -1, &port);
    ges_sock_t cli = 12345;
    uint32_t t0;
    int r;

    CHECK(fd >= 0);
    if (fd < 0)
        return;
    t0 = P->now_ms(P->ctx);
    r = P->net_connect(P->ctx, "127.0.0.1", port, 5000, &cli);
    CHECK_EQ(r, GES_PORT_ERROR);
    CHECK(elapsed_since(t0) < 1000);
    CHECK_EQ(cli, 12345); /* untouched on failure */
    close(fd);
}

static void test_connect_bad_args(void)
{
    ges_sock_t cli = -1;
    CHECK_EQ(P->net_connect(P->ctx, NULL, 443, 100, &cli), GES_PORT_ERROR);
    CHECK_EQ(P->net_connect(P->ctx, "", 443, 100, &cli), GES_PORT_ERROR);
    CHECK_EQ(P->net_connect(P->ctx, "127.0.0.1", 0, 100, &cli),
             GES_PORT_ERROR);
    CHECK_EQ(P->net_connect(P->ctx, "127.0.0.1", 443, 100, NULL),
             GES_PORT_ERROR);
}

/* A listener with a full accept queue drops SYNs (Linux, BSD), so connect
 * hangs until the deadline: the connect timeout path, on loopback. */
static void test_connect_timeout_backlog_full(void)
{
    uint16_t port = 0;
    int lfd = listener(AF_INET, 0, &port);
    ges_sock_t socks[64];
    int n = 0, timed_out = 0, i;

    CHECK(lfd >= 0);
    if (lfd < 0)
        return;
    while (n < 64) {
        uint32_t t0 = P->now_ms(P->ctx), dt;
        int r = P->net_connect(P->ctx, "127.0.0.1", port, 200, &socks[n]);
        dt = elapsed_since(t0);
        if (r == 0) {
            n++;
            continue;
        }
        if (r == GES_PORT_TIMEOUT) {
            timed_out = 1;
            CHECK(dt >= 190);
            CHECK(dt < 2000);
        } else {
            printf("note: full backlog refused instead of dropping (%d)\n", r);
        }
        break;
    }
    if (!timed_out && n == 64)
        printf("note: backlog never filled; connect timeout not tested\n");
    for (i = 0; i < n; i++)
        P->net_close(P->ctx, socks[i]);
    close(lfd);
}

static void test_recv_timeout(void)
{
    int lfd, srv;
    ges_sock_t cli = -1;
    unsigned char buf[8];
    uint32_t t0, dt;

    CHECK_EQ(pair(&lfd, &cli, &srv), 0);
    if (srv < 0)
        return;
    t0 = P->now_ms(P->ctx);
    CHECK_EQ(P->net_recv(P->ctx, cli, buf, sizeof buf, 100), GES_PORT_TIMEOUT);
    dt = elapsed_since(t0);
    CHECK(dt >= 90);
    CHECK(dt < 2000);

    t0 = P->now_ms(P->ctx);
    CHECK_EQ(P->net_recv(P->ctx, cli, buf, sizeof buf, 0), GES_PORT_TIMEOUT);
    CHECK(elapsed_since(t0) < 50);

    /* Data already there with timeout 0 is returned at once. */
    CHECK_EQ(send(srv, "x", 1, 0), 1);
    P->sleep_ms(P->ctx, 20);
    CHECK_EQ(P->net_recv(P->ctx, cli, buf, sizeof buf, 0), 1);
    unpair(lfd, cli, srv);
}

static void test_recv_orderly_close(void)
{
    int lfd, srv;
    ges_sock_t cli = -1;
    unsigned char buf[8];

    CHECK_EQ(pair(&lfd, &cli, &srv), 0);
    if (srv < 0)
        return;
    CHECK_EQ(send(srv, "xy", 2, 0), 2);
    close(srv);
    CHECK_EQ(P->net_recv(P->ctx, cli, buf, sizeof buf, 1000), 2);
    CHECK_EQ(P->net_recv(P->ctx, cli, buf, sizeof buf, 1000), 0);
    CHECK_EQ(P->net_recv(P->ctx, cli, buf, sizeof buf, 1000), 0);
    unpair(lfd, cli, -1);
}

static void test_recv_reset(void)
{
    int lfd, srv;
    ges_sock_t cli = -1;
    unsigned char buf[8];
    struct linger lg;

    CHECK_EQ(pair(&lfd, &cli, &srv), 0);
    if (srv < 0)
        return;
    lg.l_onoff = 1;
    lg.l_linger = 0; /* close() sends RST */
    CHECK_EQ(setsockopt(srv, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
    close(srv);
    CHECK_EQ(P->net_recv(P->ctx, cli, buf, sizeof buf, 1000), GES_PORT_ERROR);
    unpair(lfd, cli, -1);
}

/* SIGPIPE is at its default (terminate) here: surviving is the check. */
static void test_send_to_closed_peer(void)
{
    static const unsigned char data[1024];
    int lfd, srv, i, r = 0;
    ges_sock_t cli = -1;

    CHECK_EQ(pair(&lfd, &cli, &srv), 0);
    if (srv < 0)
        return;
    close(srv);
    for (i = 0; i < 100; i++) {
        r = P->net_send(P->ctx, cli, data, sizeof data, 200);
        if (r < 0)
            break;
        CHECK(r > 0);
        P->sleep_ms(P->ctx, 5); /* let the RST come back */
    }
    CHECK_EQ(r, GES_PORT_ERROR);
    unpair(lfd, cli, -1);
}

/* Peer not reading: the buffers fill, then send times out (no 0, no
 * error); every result is within 1..len. */
static void test_send_timeout_and_partial(void)
{
    static unsigned char data[65536];
    int lfd, srv, i, r = 0, bad = 0;
    ges_sock_t cli = -1;
    int small = 4096;
    uint32_t t0 = 0, dt = 0;

    CHECK_EQ(pair(&lfd, &cli, &srv), 0);
    if (srv < 0)
        return;
    (void)setsockopt((int)cli, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    (void)setsockopt(srv, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    for (i = 0; i < 4096; i++) {
        t0 = P->now_ms(P->ctx);
        r = P->net_send(P->ctx, cli, data, sizeof data, 50);
        dt = elapsed_since(t0);
        if (r < 0)
            break;
        if (r < 1 || r > (int)sizeof data)
            bad++;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(r, GES_PORT_TIMEOUT);
    CHECK(dt >= 45);
    CHECK(dt < 2000);
    unpair(lfd, cli, srv);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

/* A signal in the middle of a wait: the port resumes for the time left. */
static void test_eintr(void)
{
    struct sigaction sa, old;
    int lfd, srv;
    ges_sock_t cli = -1;
    unsigned char buf[8];
    uint32_t t0, dt;

    CHECK_EQ(pair(&lfd, &cli, &srv), 0);
    if (srv < 0)
        return;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: waits see EINTR */
    CHECK_EQ(sigaction(SIGALRM, &sa, &old), 0);

    alarms = 0;
    alarm(1);
    t0 = P->now_ms(P->ctx);
    CHECK_EQ(P->net_recv(P->ctx, cli, buf, sizeof buf, 1300),
             GES_PORT_TIMEOUT);
    dt = elapsed_since(t0);
    CHECK_EQ(alarms, 1);
    CHECK(dt >= 1290);
    CHECK(dt < 3000);

    alarm(1);
    t0 = P->now_ms(P->ctx);
    P->sleep_ms(P->ctx, 1100);
    dt = elapsed_since(t0);
    CHECK_EQ(alarms, 2);
    CHECK(dt >= 1100);
    CHECK(dt < 3000);

    alarm(0);
    sigaction(SIGALRM, &old, NULL);
    unpair(lfd, cli, srv);
}

static void test_io_bad_args(void)
{
    unsigned char b[4];
    CHECK_EQ(P->net_recv(P->ctx, -1, b, sizeof b, 0), GES_PORT_ERROR);
    CHECK_EQ(P->net_send(P->ctx, -1, b, sizeof b, 0), GES_PORT_ERROR);
    CHECK_EQ(P->net_recv(P->ctx, 0, b, 0, 0), GES_PORT_ERROR);
    P->net_close(P->ctx, -1); /* ignored */
}

static void test_entropy(void)
{
    unsigned char a[64], b[64], big[4096];
    size_t i, nz = 0;

    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    CHECK_EQ(P->entropy(P->ctx, a, sizeof a), 0);
    CHECK_EQ(P->entropy(P->ctx, b, sizeof b), 0);
    for (i = 0; i < sizeof a; i++)
        nz += a[i] != 0;
    CHECK(nz > 0);
    CHECK(memcmp(a, b, sizeof a) != 0);
    CHECK_EQ(P->entropy(P->ctx, big, sizeof big), 0);
    CHECK_EQ(P->entropy(P->ctx, a, 0), 0);
}

static void test_clock(void)
{
    uint32_t t0 = P->now_ms(P->ctx), prev = t0, dt;
    int i, backwards = 0;

    for (i = 0; i < 1000; i++) {
        uint32_t t = P->now_ms(P->ctx);
        if ((uint32_t)(t - prev) > 0x80000000u)
            backwards++;
        prev = t;
    }
    CHECK_EQ(backwards, 0);
    t0 = P->now_ms(P->ctx);
    P->sleep_ms(P->ctx, 50);
    dt = elapsed_since(t0);
    CHECK(dt >= 50);
    CHECK(dt < 2000);
    t0 = P->now_ms(P->ctx);
    P->sleep_ms(P->ctx, 0);
    CHECK(elapsed_since(t0) < 50);
}

static void test_wall_clock(void)
{
    /* The test machine's clock is set: some time after 2020. */
    CHECK(P->wall_clock(P->ctx) > 1577836800LL);
}

int main(void)
{
    struct sigaction sa;

    /* Make sure SIGPIPE would kill us, even if our parent ignored it. */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPIPE, &sa, NULL);

    P = ges_port_posix();
    RUN(test_port_table);
    RUN(test_connect_ipv4);
    RUN(test_connect_ipv6);
    RUN(test_connect_every_address);
    RUN(test_connect_refused);
    RUN(test_connect_bad_args);
    RUN(test_connect_timeout_backlog_full);
    RUN(test_recv_timeout);
    RUN(test_recv_orderly_close);
    RUN(test_recv_reset);
    RUN(test_send_to_closed_peer);
    RUN(test_send_timeout_and_partial);
    RUN(test_eintr);
    RUN(test_io_bad_args);
    RUN(test_entropy);
    RUN(test_clock);
    RUN(test_wall_clock);
    return harness_done();
}
