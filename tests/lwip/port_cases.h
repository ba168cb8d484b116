/*
 * Test cases shared by the tests of the two lwIP ports:
 * tests/embedded/test_port_lwip.c (port/lwip, socket API, Debian's lwIP on
 * pthreads, real time) and tests/lwip/test_port_lwip_raw.c (port/lwip_raw,
 * NO_SYS 1, one thread, fake clock). One copy of each case, told about its
 * port and stack in lc_env; both files include it after harness.h, fill
 * lc_env in and call lc_run().
 *
 * The cases cover net_connect_tick (issue 14): the tick every slice while
 * a SYN goes unanswered, the deadline, a stop from the tick (prompt,
 * nothing left open, the port usable after it), and ges_client_cancel()
 * through the port at client level. Time is sys_now() in both stacks
 * (exact to the tick in the raw test, the OS's in the socket test: `slack`
 * is how late a wake-up may come there).
 *
 * The client cases need a CA certificate (PEM) for ges_client_init(): the
 * scripts make one with openssl and pass its path as the first argument.
 */
#ifndef GES_TEST_LWIP_PORT_CASES_H
#define GES_TEST_LWIP_PORT_CASES_H

#include <stdio.h>
#include <string.h>

#include "ges_job.h"
#include "lwip/netif.h"
#include "lwip/sys.h"

typedef struct {
    ges_port_t *port;
    const char *dead;   /* an address whose SYN is never answered */
    const char *live;   /* an address with a listener on live_port */
    uint16_t live_port; /* its connections accepted, never answered */
    uint32_t slack;     /* ms a wake-up may come late (0: fake clock) */
} lc_env_t;

/* Defined by the including file: */
/* From outside the call (another thread, the superloop's poll), call
 * ges_client_cancel(c) `ms` from now; lc_cancel_join() waits for it. */
static void lc_cancel_later(ges_client_t *c, uint32_t ms);
static void lc_cancel_join(void);
/* Remember what is open now; then 0 when the same is open again (the
 * connections the listener accepted meanwhile are closed first). */
static void lc_mark(void);
static int lc_leaks(void);

/* Filled in by the including file before lc_run(). */
static lc_env_t lc_env;

static uint32_t lc_since(uint32_t t0)
{
    return (uint32_t)(sys_now() - t0);
}

/* A netif whose wire has nobody on it: what it sends is counted, then
 * dropped (so a SYN routed to it is never answered). */
static unsigned long lc_dropped_frames;

static err_t lc_drop_output(struct netif *n, struct pbuf *p,
                            const ip4_addr_t *to)
{
    (void)n;
    (void)p;
    (void)to;
    lc_dropped_frames++;
    return ERR_OK;
}

static err_t lc_drop_init(struct netif *n)
{
    n->name[0] = 'd';
    n->name[1] = 'r';
    n->mtu = 1500;
    n->output = lc_drop_output;
    return ERR_OK;
}

/* ------------------------------------------------------------------------- */
/* A tick that records                                                       */
/* ------------------------------------------------------------------------- */

#define LC_TICKS 512

static struct {
    int n;            /* calls */
    int resolving;    /* calls with GES_PHASE_RESOLVING */
    int connecting;   /* calls with GES_PHASE_CONNECTING */
    int bad_order;    /* RESOLVING after a CONNECTING, or another phase */
    int stop_at;      /* say stop at this call (1-based; 0: never) */
    uint32_t max_gap; /* longest sys_now() time between two calls */
    uint32_t last;
} lc_tk;

static void lc_tick_reset(int stop_at)
{
    memset(&lc_tk, 0, sizeof lc_tk);
    lc_tk.stop_at = stop_at;
    lc_tk.last = sys_now();
}

static int lc_tick(void *arg, int phase)
{
    uint32_t gap = lc_since(lc_tk.last);

    (void)arg;
    lc_tk.last = sys_now();
    if (lc_tk.n > 0 && gap > lc_tk.max_gap)
        lc_tk.max_gap = gap;
    lc_tk.n++;
    if (phase == GES_PHASE_RESOLVING) {
        lc_tk.resolving++;
        if (lc_tk.connecting > 0)
            lc_tk.bad_order++;
    } else if (phase == GES_PHASE_CONNECTING) {
        lc_tk.connecting++;
    } else {
        lc_tk.bad_order++;
    }
    return lc_tk.stop_at != 0 && lc_tk.n >= lc_tk.stop_at;
}

/* ------------------------------------------------------------------------- */
/* net_connect_tick                                                          */
/* ------------------------------------------------------------------------- */

/* net_connect_tick on lc_env's port, `host`:`port` within `timeout`, with
 * the recording tick freshly reset to say stop at its call `stop_at` (0:
 * never). Returns the port's answer; *ms is the sys_now() time it took. */
static int lc_connect(const char *host, uint16_t port, uint32_t timeout,
                      int stop_at, ges_sock_t *s, uint32_t *ms)
{
    ges_port_t *pt = lc_env.port;
    uint32_t t0;
    int r;

    if (pt->net_connect_tick == NULL) {
        CHECK(!"net_connect_tick");
        return GES_PORT_ERROR;
    }
    lc_tick_reset(stop_at);
    t0 = sys_now();
    r = pt->net_connect_tick(pt->ctx, host, port, timeout, s, lc_tick, NULL);
    *ms = lc_since(t0);
    return r;
}

/* No answer to the SYN: ticks every slice until the deadline, then
 * GES_PORT_TIMEOUT, never early; timeout 0 is one look. */
static void lc_case_tick_deadline(void)
{
    const lc_env_t *e = &lc_env;
    ges_sock_t s = 777;
    uint32_t d;

    lc_mark();
    CHECK_EQ(lc_connect(e->dead, 443, 700, 0, &s, &d), GES_PORT_TIMEOUT);
    CHECK(d >= 700 && d <= 700 + e->slack);
    CHECK_EQ(s, 777);
    CHECK_EQ(lc_tk.resolving, 1); /* first, once */
    CHECK_EQ(lc_tk.bad_order, 0);
    /* One before the attempt, then one a slice until the deadline (a
     * slice may run late by `slack`). */
    CHECK(lc_tk.connecting * (GES_WAIT_SLICE_MS + (int)e->slack) >= 700);
    CHECK(lc_tk.max_gap <= GES_WAIT_SLICE_MS + e->slack);
    printf("     tick: %d calls in %u ms, longest gap %u ms (slice %d)\n",
           lc_tk.n, (unsigned)d, (unsigned)lc_tk.max_gap, GES_WAIT_SLICE_MS);
    /* Timeout 0: no slice to wait, a timeout at once. */
    CHECK_EQ(lc_connect(e->dead, 443, 0, 0, &s, &d), GES_PORT_TIMEOUT);
    CHECK(d <= 2 + e->slack);
    CHECK_EQ(lc_tk.resolving, 1);
    CHECK_EQ(s, 777);
    CHECK_EQ(lc_leaks(), 0);
}

/* The tick says stop: GES_PORT_CANCELLED at once, nothing left open, and
 * the next connect works. */
static void lc_case_tick_stop(void)
{
    const lc_env_t *e = &lc_env;
    ges_sock_t s = 777;
    uint32_t d;

    lc_mark();
    /* While the SYN is unanswered: the 4th call (the 3rd of the wait). */
    CHECK_EQ(lc_connect(e->dead, 443, 20000, 4, &s, &d), GES_PORT_CANCELLED);
    CHECK(d <= 3 * GES_WAIT_SLICE_MS + e->slack);
    CHECK_EQ(lc_tk.n, 4); /* not asked again after it said stop */
    CHECK_EQ(s, 777);
    /* At the first call, before resolving: nothing attempted. */
    CHECK_EQ(lc_connect(e->dead, 443, 20000, 1, &s, &d), GES_PORT_CANCELLED);
    CHECK_EQ(lc_tk.n, 1);
    CHECK_EQ(lc_tk.resolving, 1);
    /* At the call before the attempt. */
    CHECK_EQ(lc_connect(e->live, e->live_port, 20000, 2, &s, &d),
             GES_PORT_CANCELLED);
    CHECK_EQ(lc_tk.connecting, 1);
    CHECK_EQ(s, 777);
    CHECK_EQ(lc_leaks(), 0);
    /* The port is usable: a connect that is let go on succeeds. */
    lc_mark();
    CHECK_EQ(lc_connect(e->live, e->live_port, 2000, 0, &s, &d), 0);
    CHECK(s != 777);
    CHECK_EQ(lc_tk.resolving, 1);
    CHECK(lc_tk.connecting >= 1);
    if (s != 777)
        e->port->net_close(e->port->ctx, s);
    CHECK_EQ(lc_leaks(), 0);
}

/* ------------------------------------------------------------------------- */
/* ges_client_cancel() through the port                                      */
/* ------------------------------------------------------------------------- */

#define LC_CA_MAX 8192
static unsigned char lc_ca[LC_CA_MAX + 1];
static size_t lc_ca_len; /* NUL included */

/* Read the CA for the client cases; 0 on success. */
static int lc_load_ca(const char *path)
{
    FILE *f = path != NULL ? fopen(path, "rb") : NULL;
    size_t n;

    if (f == NULL)
        return -1;
    n = fread(lc_ca, 1, LC_CA_MAX, f);
    (void)fclose(f);
    if (n == 0 || n == LC_CA_MAX)
        return -1;
    lc_ca[n] = '\0';
    lc_ca_len = n + 1;
    return 0;
}

static struct {
    ges_client_t *c;
    int calls[GES_PHASE_SLEEPING + 1];
    int cancel_in;    /* cancel from the hook at the first call in ... */
    int cancel_after; /* ... after this many calls in it (-1: never) */
} lc_hk;

static void lc_progress(void *ctx, ges_phase_t phase, uint32_t left)
{
    (void)ctx;
    (void)left;
    if ((int)phase < 0 || (int)phase > GES_PHASE_SLEEPING)
        return;
    lc_hk.calls[phase]++;
    if ((int)phase == lc_hk.cancel_in &&
        lc_hk.calls[phase] > lc_hk.cancel_after && lc_hk.cancel_after >= 0)
        ges_client_cancel(lc_hk.c);
}

static void lc_hook_reset(ges_client_t *c, int cancel_in, int cancel_after)
{
    memset(&lc_hk, 0, sizeof lc_hk);
    lc_hk.c = c;
    lc_hk.cancel_in = cancel_in;
    lc_hk.cancel_after = cancel_after;
}

static ges_err_t lc_client(ges_client_t *c, const char *host, uint16_t port)
{
    static unsigned char io[2048];
    ges_client_config_t cfg;

    ges_client_config_init(&cfg);
    cfg.host = host;
    cfg.port = port;
    cfg.token = "test-token";
    cfg.ca_pem = lc_ca;
    cfg.ca_pem_len = lc_ca_len;
    cfg.platform = lc_env.port;
    cfg.io_buf = io;
    cfg.io_buf_len = sizeof io;
    cfg.timeout_ms = 20000;
    cfg.on_progress = lc_progress;
    return ges_client_init(c, &cfg);
}

/* ges_client_cancel() from outside while the port waits for a SYN-ACK
 * that never comes: GES_ERR_CANCELLED within a slice; the client stays
 * usable (its next call connects to a live peer and gets as far as the
 * handshake). */
static void lc_case_client_cancel(void)
{
    const lc_env_t *e = &lc_env;
    static ges_client_t c;
    ges_job_status_t st;
    uint32_t t0, d;

    if (lc_ca_len == 0) {
        CHECK(!"no CA: pass a PEM certificate's path as the first argument");
        return;
    }
    lc_mark();
    CHECK_EQ(lc_client(&c, e->dead, 443), GES_OK);
    lc_hook_reset(&c, -1, -1);
    t0 = sys_now();
    lc_cancel_later(&c, 300);
    CHECK_EQ(ges_job_get_status(&c, "test-project", "test-graph", "job", &st),
             GES_ERR_CANCELLED);
    d = lc_since(t0);
    lc_cancel_join();
    printf("     ges_client_cancel() 300 ms into the connect: returned after "
           "%u ms\n",
           (unsigned)d);
    CHECK(d >= 300 && d <= 300 + GES_WAIT_SLICE_MS + e->slack);
    CHECK_EQ(lc_hk.calls[GES_PHASE_RESOLVING], 1);
    CHECK(lc_hk.calls[GES_PHASE_CONNECTING] *
              (GES_WAIT_SLICE_MS + (int)e->slack) >= 300);
    CHECK_EQ(lc_hk.calls[GES_PHASE_HANDSHAKING], 0);
    /* The next call starts afresh (the cancel was used up) and is cut the
     * same way, from the hook this time. */
    lc_hook_reset(&c, GES_PHASE_CONNECTING, 3);
    t0 = sys_now();
    CHECK_EQ(ges_job_get_status(&c, "test-project", "test-graph", "job", &st),
             GES_ERR_CANCELLED);
    CHECK(lc_since(t0) <= 3 * GES_WAIT_SLICE_MS + e->slack);
    CHECK_EQ(lc_hk.calls[GES_PHASE_CONNECTING], 4);
    ges_client_free(&c);
    CHECK_EQ(lc_leaks(), 0);

    /* A live peer: the connect through the port succeeds, and a cancel in
     * the handshake (nobody answers the ClientHello) ends it too. */
    lc_mark();
    CHECK_EQ(lc_client(&c, e->live, e->live_port), GES_OK);
    lc_hook_reset(&c, GES_PHASE_HANDSHAKING, 2);
    CHECK_EQ(ges_job_get_status(&c, "test-project", "test-graph", "job", &st),
             GES_ERR_CANCELLED);
    CHECK(lc_hk.calls[GES_PHASE_CONNECTING] >= 1);
    CHECK_EQ(lc_hk.calls[GES_PHASE_HANDSHAKING], 3);
    ges_client_free(&c);
    CHECK_EQ(lc_leaks(), 0);
}

/* The shared cases, after lc_env is filled in; `ca_path` is the PEM file
 * for the client case (the test's first argument). */
static void lc_run(const char *ca_path)
{
    RUN(lc_case_tick_deadline);
    RUN(lc_case_tick_stop);
    if (lc_load_ca(ca_path) != 0)
        fprintf(stderr, "no CA certificate (argument 1)\n");
    RUN(lc_case_client_cancel);
}

#endif /* GES_TEST_LWIP_PORT_CASES_H */
