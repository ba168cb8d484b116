/*
 * test_faults - fault injection (issue 13, item 4): a fetch and a wait run
 * with the port failing at its Nth call, for every N, and with mbedTLS's
 * allocator failing at its Nth allocation, for every N.
 *
 *   test_faults [--alloc-every K] [--kind NAME] [--scenario get|wait] [-v]
 *               [--trace]
 *
 * The client talks through tests/tls_wire.h (an in-memory wire to an
 * mbedTLS server in this process, a fake clock), so every run is
 * deterministic and costs one handshake. Between the client and the wire
 * sits a fault port that counts the calls of each function and breaks the
 * Nth call of one kind:
 *
 *   connect-error, connect-timeout   net_connect -> GES_PORT_ERROR / _TIMEOUT
 *   send-error, send-timeout         net_send    -> GES_PORT_ERROR / _TIMEOUT
 *   recv-error, recv-timeout         net_recv    -> GES_PORT_ERROR / _TIMEOUT
 *   recv-eof                         net_recv    -> 0 (the peer closed)
 *   entropy                          entropy     -> non-zero
 *   clock-step                       now_ms jumps forward by the request's
 *                                    timeout + 1 ms, and stays there
 *   clock-leap                       now_ms jumps forward by 2^30 ms (past
 *                                    every deadline), and stays there
 *   clock-frozen                     now_ms returns the same value for the
 *                                    next 64 calls, then catches up
 *   sleep-early                      sleep_ms returns at once
 *   alloc                            tls_calloc -> NULL (mbedTLS's allocator,
 *                                    installed by ges_client_init; needs
 *                                    MBEDTLS_PLATFORM_MEMORY, else skipped)
 *
 * An error or EOF is sticky: the socket stays dead (every later send and
 * recv on it fails the same way) until the client closes it, as a real
 * reset or FIN would. A timeout is sticky too (a peer gone silent): every
 * later call on the socket times out, each moving the fake clock by the
 * time it was given, since the client waits in slices of
 * GES_WAIT_SLICE_MS (issue 14) and one empty slice is not the deadline. Only the client's allocations count and fail: the server's (the
 * same process-wide mbedTLS allocator) are told apart by ka.in_server.
 *
 * Two scenarios, each run for N = 1, 2, ... until a run in which the Nth
 * call never came (the fault did not fire), at most FT_MAX_N:
 *
 *   get   a fresh client: ges_client_init, ges_job_get_status (connect,
 *         handshake, request, answer);
 *   wait  a fresh client: ges_client_init, ges_job_wait over job W, which
 *         answers running (then a stray CRLF: the client must reconnect and
 *         resume), running (then close_notify and FIN: again), then success.
 *
 * Every run must:
 *   - end: the fake clock bounds every wait, and a call budget turns a loop
 *     that never ends into a failure (everything then fails at once);
 *   - return a code in the allowed set for its kind and scenario (below,
 *     ft_allowed), and with GES_OK the right answer (job id, success);
 *     a failed ges_client_init must be GES_ERR_TLS and leave nothing;
 *   - then, with the fault port disarmed, complete a good poll on the SAME
 *     client (GES_OK, job B, success);
 *   - after ges_client_free: every connect closed exactly once, no close of
 *     a socket that was not open, the client's live allocations back at the
 *     baseline taken before ges_client_init (no leak).
 * ASan/UBSan builds (make test-faults) add "no sanitizer report".
 *
 * The fake clock starts just before the 32-bit wrap (FT_CLOCK_BASE), so
 * every wait's deadlines span it.
 *
 * Known library bugs are listed in ft_known[] (scenario, kind, code, why):
 * a run that fails only by returning that code prints "KNOWN"; a kind whose
 * failures are all known counts as neither passed nor failed. An entry that
 * no run matches any more (the bug was fixed) is a failure until its line
 * is removed, so the list cannot go stale.
 *
 * --alloc-every K runs the allocation faults for every N among the first
 * and the last FT_ALLOC_EDGE allocations of a run and every Kth N between
 * (CI's short run: the middle is ECDHE and ECDSA's bignum churn, the same
 * few call sites thousands of times); the full run is K = 1, the default.
 * --kind NAME runs one kind, --scenario get|wait one scenario. -v prints every run and its call counts;
 * --trace also every connect, send and recv of the faulted runs.
 *
 * Ends with "N passed, N failed", one count per kind and scenario.
 *
 * SPDX-License-Identifier: MIT
 */
#include "../assert_on.h" /* GES_ASSERT is assert() */
#include "../../ges_job.c"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if GES_CONFIG_NO_TLS
#error "test_faults needs the client: unset GES_CONFIG_NO_TLS"
#endif

#if !defined(MBEDTLS_SSL_SRV_C) || !defined(MBEDTLS_PK_PARSE_C)
int main(void)
{
    printf("test_faults: skipped, this mbedTLS has no MBEDTLS_SSL_SRV_C\n");
    printf("0 passed, 0 failed\n");
    return 0;
}
#else
#include "../tls_wire.h"
#if defined(MBEDTLS_PLATFORM_MEMORY)
#include <mbedtls/platform.h>
#endif

#define FT_MAX_N 200000ul      /* no kind needs more runs than this */
#define FT_BUDGET 1000000ul    /* port calls + allocations in one run */
#define FT_ALLOC_EDGE 200ul    /* --alloc-every: every N in the first and last */
#define FT_FREEZE 64u          /* now_ms calls a frozen clock lasts */
#define FT_TIMEOUT_MS 5000u    /* the client's request timeout */
#define FT_CLOCK_BASE 0xFFFFFC00u /* the fake clock wraps during each wait */

/* ------------------------------------------------------------------------- */
/* Fault kinds                                                                */
/* ------------------------------------------------------------------------- */
typedef enum { FC_CONNECT, FC_SEND, FC_RECV, FC_ENTROPY, FC_NOW, FC_SLEEP, FC_ALLOC, FC_N } ft_call_t;

typedef enum {
    FK_CONNECT_ERROR, FK_CONNECT_TIMEOUT, FK_SEND_ERROR, FK_SEND_TIMEOUT,
    FK_RECV_ERROR, FK_RECV_TIMEOUT, FK_RECV_EOF, FK_ENTROPY, FK_CLOCK_STEP,
    FK_CLOCK_LEAP, FK_CLOCK_FROZEN, FK_SLEEP_EARLY, FK_ALLOC, FK_N
} ft_kind_t;

static const struct {
    const char *name;
    ft_call_t call;
} ft_kinds[FK_N] = {
    {"connect-error", FC_CONNECT}, {"connect-timeout", FC_CONNECT},
    {"send-error", FC_SEND},       {"send-timeout", FC_SEND},
    {"recv-error", FC_RECV},       {"recv-timeout", FC_RECV},
    {"recv-eof", FC_RECV},         {"entropy", FC_ENTROPY},
    {"clock-step", FC_NOW},        {"clock-leap", FC_NOW},
    {"clock-frozen", FC_NOW},      {"sleep-early", FC_SLEEP},
    {"alloc", FC_ALLOC},
};

enum { SC_GET, SC_WAIT, SC_N };
static const char *const ft_scenarios[SC_N] = {"get", "wait"};

/* Known library bugs, each reported to the owner of ges_job.c: a run of
 * this kind and scenario that fails ONLY by returning `code` prints KNOWN
 * and counts as neither passed nor failed. Remove the line when the bug is
 * fixed: an entry that no run matches counts as a failure, so the list
 * cannot go stale. */
static const struct {
    int scenario;
    ft_kind_t kind;
    ges_err_t code;
    const char *why;
} ft_known[] = {
    /* None today. The last one (wait, recv-timeout: a stray CRLF still in
     * flight when the idle check looked was read as the next answer's
     * start) was fixed by sending the GET again on a new connection. The
     * entry below is the list's end marker (C99 has no empty arrays): no
     * scenario is -1, so it never matches and is never reported. */
    {-1, FK_N, GES_OK, NULL},
};
/* Entries, the end marker included: loops stop at the marker (why == NULL),
 * so none compares an index with 0 (gcc's -Wtype-limits would, with -Wextra,
 * while the list is empty). */
#define FT_NKNOWN (sizeof ft_known / sizeof ft_known[0])

/* ------------------------------------------------------------------------- */
/* The fault port, around tls_wire.h's `wire`                                 */
/* ------------------------------------------------------------------------- */
static struct {
    int armed;
    ft_kind_t kind;
    unsigned long n;             /* break the nth call of the kind's function */
    unsigned long calls[FC_N];   /* calls seen this run, per function */
    int fired;
    unsigned long budget;        /* calls left before the run counts as a hang */
    int runaway;
    uint32_t clock_off;          /* clock-step / clock-leap: the step taken */
    unsigned frozen_left;
    uint32_t frozen_at;
    ges_sock_t dead;             /* a socket broken by an error or EOF, or 0 */
    int dead_ret;                /* what its recv returns from now on */
    ges_sock_t open_sock;        /* the client's open socket, or 0 */
    unsigned opens, closes, bad_closes;
} fp;

static int ft_trace; /* --trace: every port call of the faulted runs */

/* Counts a call of `c`; 1 when it is the one to break. */
static int fp_hit(ft_call_t c)
{
    fp.calls[c]++;
    if (fp.budget > 0) fp.budget--;
    if (fp.budget == 0) fp.runaway = 1;
    if (!fp.armed || ft_kinds[fp.kind].call != c || fp.calls[c] != fp.n) return 0;
    fp.fired = 1;
    return 1;
}

static int fp_connect(void *ctx, const char *host, uint16_t port, uint32_t t, ges_sock_t *s)
{
    int r;
    if (fp_hit(FC_CONNECT) || fp.runaway) {
        if (ft_trace) fprintf(stderr, "    connect #%lu -> fault\n", fp.calls[FC_CONNECT]);
        if (fp.kind == FK_CONNECT_TIMEOUT && !fp.runaway) {
            ka.now += t;
            return GES_PORT_TIMEOUT;
        }
        return GES_PORT_ERROR;
    }
    r = wire.net_connect(ctx, host, port, t, s);
    if (ft_trace && fp.armed) {
        fprintf(stderr, "    connect #%lu -> %d, sock %ld\n", fp.calls[FC_CONNECT], r,
                r == 0 ? (long)*s : 0L);
    }
    if (r == 0) {
        fp.opens++;
        fp.open_sock = *s;
    }
    return r;
}

static int fp_send_(void *ctx, ges_sock_t s, const unsigned char *b, size_t n, uint32_t t);
static int fp_send(void *ctx, ges_sock_t s, const unsigned char *b, size_t n, uint32_t t)
{
    int r = fp_send_(ctx, s, b, n, t);
    if (ft_trace && fp.armed) {
        fprintf(stderr, "    send #%lu sock %ld len %zu timeout %u -> %d\n", fp.calls[FC_SEND],
                (long)s, n, t, r);
    }
    return r;
}

static int fp_send_(void *ctx, ges_sock_t s, const unsigned char *b, size_t n, uint32_t t)
{
    if (fp_hit(FC_SEND) || fp.runaway) {
        fp.dead = s;
        if (fp.kind == FK_SEND_TIMEOUT && !fp.runaway) {
            /* The peer stops reading: this send and every later one on
             * the connection wait their whole time in vain. (The client
             * waits in slices of GES_WAIT_SLICE_MS since issue 14, so one
             * timed-out call is no longer the end of the request.) */
            fp.dead_ret = GES_PORT_TIMEOUT;
            ka.now += t;
            return GES_PORT_TIMEOUT;
        }
        fp.dead_ret = GES_PORT_ERROR;
        return GES_PORT_ERROR;
    }
    if (s == fp.dead) {
        if (fp.dead_ret != GES_PORT_TIMEOUT) return GES_PORT_ERROR;
        ka.now += t;
        return GES_PORT_TIMEOUT;
    }
    return wire.net_send(ctx, s, b, n, t);
}

static int fp_recv_(void *ctx, ges_sock_t s, unsigned char *b, size_t n, uint32_t t);
static int fp_recv(void *ctx, ges_sock_t s, unsigned char *b, size_t n, uint32_t t)
{
    int r = fp_recv_(ctx, s, b, n, t);
    if (ft_trace && fp.armed) {
        fprintf(stderr, "    recv #%lu sock %ld len %zu timeout %u -> %d\n", fp.calls[FC_RECV],
                (long)s, n, t, r);
    }
    return r;
}

static int fp_recv_(void *ctx, ges_sock_t s, unsigned char *b, size_t n, uint32_t t)
{
    if (fp_hit(FC_RECV) || fp.runaway) {
        fp.dead = s;
        if (fp.kind == FK_RECV_TIMEOUT && !fp.runaway) {
            /* The peer goes silent: as for send-timeout, every later
             * receive on the connection waits its whole time in vain. */
            fp.dead_ret = GES_PORT_TIMEOUT;
            ka.now += t;
            return GES_PORT_TIMEOUT;
        }
        fp.dead_ret = fp.kind == FK_RECV_EOF && !fp.runaway ? 0 : GES_PORT_ERROR;
        return fp.dead_ret;
    }
    if (s == fp.dead) {
        if (fp.dead_ret == GES_PORT_TIMEOUT) ka.now += t;
        return fp.dead_ret;
    }
    return wire.net_recv(ctx, s, b, n, t);
}

static void fp_close(void *ctx, ges_sock_t s)
{
    if (s != fp.open_sock || fp.open_sock == 0) {
        fp.bad_closes++;
    } else {
        fp.closes++;
        fp.open_sock = 0;
    }
    if (s == fp.dead) fp.dead = 0;
    wire.net_close(ctx, s);
}

static uint32_t fp_now(void *ctx)
{
    uint32_t now = wire.now_ms(ctx) + fp.clock_off;
    if (fp_hit(FC_NOW)) {
        if (fp.kind == FK_CLOCK_STEP) fp.clock_off += FT_TIMEOUT_MS + 1u;
        if (fp.kind == FK_CLOCK_LEAP) fp.clock_off += 0x40000000u;
        if (fp.kind == FK_CLOCK_FROZEN) {
            fp.frozen_at = now;
            fp.frozen_left = FT_FREEZE;
        }
        now = wire.now_ms(ctx) + fp.clock_off;
    }
    if (fp.runaway) fp.clock_off += 0x40000000u; /* every deadline passes */
    if (fp.frozen_left > 0 && !fp.runaway) {
        fp.frozen_left--;
        return fp.frozen_at;
    }
    return now;
}

static void fp_sleep(void *ctx, uint32_t ms)
{
    if (fp_hit(FC_SLEEP) && fp.kind == FK_SLEEP_EARLY) return;
    wire.sleep_ms(ctx, ms);
}

static int fp_entropy(void *ctx, unsigned char *b, size_t n)
{
    if ((fp_hit(FC_ENTROPY) && fp.kind == FK_ENTROPY) || fp.runaway) return -1;
    return wire.entropy(ctx, b, n);
}

/* ------------------------------------------------------------------------- */
/* The counting allocator (mbedTLS's, process-wide)                           */
/* ------------------------------------------------------------------------- */
typedef union {
    struct {
        size_t size;
        unsigned server;
    } h;
    long double align_ld;
    long long align_ll;
    void *align_p;
} fa_hdr_t;

static struct {
    long live[2];        /* blocks alive: [0] client, [1] server */
    long long bytes[2];
} fa;

static void *fa_calloc(size_t n, size_t size)
{
    fa_hdr_t *h;
    unsigned server = ka.in_server > 0;
    if (size != 0 && n > ((size_t)-1 - sizeof *h) / size) return NULL;
    if (!server && (fp_hit(FC_ALLOC) || fp.runaway)) return NULL;
    h = (fa_hdr_t *)calloc(1, sizeof *h + n * size);
    if (h == NULL) return NULL;
    h->h.size = n * size;
    h->h.server = server;
    fa.live[server]++;
    fa.bytes[server] += (long long)(n * size);
    return h + 1;
}

static void fa_free(void *p)
{
    fa_hdr_t *h;
    if (p == NULL) return;
    h = (fa_hdr_t *)p - 1;
    fa.live[h->h.server]--;
    fa.bytes[h->h.server] -= (long long)h->h.size;
    free(h);
}

static ges_port_t fport = {NULL, fp_connect, fp_send, fp_recv, fp_close, fp_now,
                           fp_sleep, fp_entropy, NULL, NULL, NULL, NULL};

/* ------------------------------------------------------------------------- */
/* Scenarios                                                                  */
/* ------------------------------------------------------------------------- */
static unsigned char io[512];
static ges_client_t cl;
static ges_job_status_t st;
static unsigned w_polls; /* requests for job W this run */

static void script_faults(unsigned n, const char *job)
{
    char a[300];
    (void)n;
    if (strcmp(job, "W") != 0) {
        answer_plain(job);
        return;
    }
    w_polls++;
    if (ft_trace && fp.armed) fprintf(stderr, "    server: request %u for W\n", w_polls);
    srv_record(a, answer(a, job, w_polls < 3 ? "running" : "success"));
    if (w_polls == 1) srv_later("\r\n", 2); /* stray bytes: reconnect */
    if (w_polls == 2) srv_later_close();    /* idle close: reconnect */
}

/* Is `e` an allowed end of a faulted run? (GES_OK is checked for the right
 * answer by the caller.) */
static int ft_allowed(int sc, ft_kind_t k, ges_err_t e)
{
    if (sc == SC_WAIT) {
        /* the wait retries network errors and timeouts of single polls */
        switch (k) {
        case FK_CLOCK_LEAP: return e == GES_OK || e == GES_ERR_TIMEOUT;
        case FK_ALLOC:
            /* an allocation failing inside signature verification makes
             * mbedTLS flag the certificate (BADCERT_NOT_TRUSTED): the
             * library cannot tell that from a bad certificate */
            return e == GES_OK || e == GES_ERR_TLS || e == GES_ERR_TLS_CERT;
        default: return e == GES_OK;
        }
    }
    switch (k) {
    case FK_CONNECT_ERROR: return e == GES_ERR_NET_CONNECT;
    case FK_SEND_ERROR: return e == GES_ERR_NET_SEND;
    case FK_RECV_ERROR: return e == GES_ERR_NET_RECV;
    case FK_RECV_EOF: return e == GES_ERR_NET_CLOSED;
    case FK_CONNECT_TIMEOUT: case FK_SEND_TIMEOUT: case FK_RECV_TIMEOUT:
        return e == GES_ERR_TIMEOUT;
    case FK_CLOCK_STEP: case FK_CLOCK_LEAP: return e == GES_OK || e == GES_ERR_TIMEOUT;
    case FK_ALLOC: return e == GES_OK || e == GES_ERR_TLS || e == GES_ERR_TLS_CERT;
    default: return e == GES_OK; /* entropy (after init), frozen clock, sleep */
    }
}

static void fp_reset(void)
{
    memset(&fp, 0, sizeof fp);
    fp.budget = FT_BUDGET;
}

typedef struct {
    int ok;
    int fired;                  /* the Nth call came */
    unsigned long calls[FC_N];  /* calls of the faulted run (good poll excluded) */
    ges_err_t e;
    int bad_code;               /* it failed by its code alone */
    char why[160];
} ft_run_t;

static int ft_verbose;
static int ft_passed, ft_failed;

/* One run of scenario `sc` with the Nth call of kind `k` broken. */
static void ft_one(int sc, ft_kind_t k, unsigned long n, ft_run_t *r)
{
    ges_client_config_t cfg;
    ges_wait_config_t wc;
    long base = fa.live[0];
    ges_err_t e;
    const char *job = sc == SC_WAIT ? "W" : "A";

    memset(r, 0, sizeof *r);
    ka_reset(script_faults, &srv_main);
    ka.now = FT_CLOCK_BASE;
    ka.rnd = 0x2545F491u;
    w_polls = 0;
    fp_reset();
    fp.armed = 1;
    fp.kind = k;
    fp.n = n;
    tw_client_config(&cfg, "localhost", &fport, io, sizeof io);
    cfg.timeout_ms = FT_TIMEOUT_MS;

    e = ges_client_init(&cl, &cfg);
    r->e = e;
    if (e != GES_OK) {
        /* only the seeding (entropy) and mbedTLS's allocations can fail it */
        if (e != GES_ERR_TLS || (k != FK_ENTROPY && k != FK_ALLOC)) {
            snprintf(r->why, sizeof r->why, "ges_client_init: %s", ges_strerror(e));
        } else if (k == FK_ENTROPY &&
                   ges_client_tls_error(&cl) != MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED) {
            snprintf(r->why, sizeof r->why, "init failed with tls -0x%04X, not the entropy "
                     "source's error", (unsigned)-ges_client_tls_error(&cl));
        } else if (fa.live[0] != base) {
            snprintf(r->why, sizeof r->why, "failed init left %ld allocations",
                     fa.live[0] - base);
        }
        fp.armed = 0; /* a later init works */
        if (ges_client_init(&cl, &cfg) != GES_OK && r->why[0] == '\0') {
            snprintf(r->why, sizeof r->why, "init after a failed one failed");
        }
    } else {
        int right;
        if (sc == SC_WAIT) {
            ges_wait_config_init(&wc);
            wc.interval_ms = 100;
            wc.max_interval_ms = 1000;
            wc.deadline_ms = 60000;
            r->e = ges_job_wait(&cl, "p", "g", job, &wc, &st);
        } else {
            r->e = ges_job_get_status(&cl, "p", "g", job, &st);
        }
        right = strcmp(st.job_id, job) == 0 && st.job_state == GES_JOB_SUCCESS &&
                st.http_status == 200;
        /* without the fault (the Nth call never came) only success will do */
        if (fp.fired ? !ft_allowed(sc, k, r->e) : r->e != GES_OK) {
            r->bad_code = 1;
            snprintf(r->why, sizeof r->why, "returned %s (%d), tls -0x%04X",
                     ges_strerror(r->e), (int)r->e, (unsigned)-cl.tls_err);
        } else if (r->e == GES_OK && !right) {
            snprintf(r->why, sizeof r->why, "GES_OK with jobId \"%s\", status \"%s\"",
                     st.job_id, st.status);
        }
    }
    if (fp.runaway && r->why[0] == '\0') {
        snprintf(r->why, sizeof r->why, "did not end within %lu port calls", FT_BUDGET);
    }
    /* the same client, the port working again: a good poll */
    memcpy(r->calls, fp.calls, sizeof r->calls);
    r->fired = fp.fired;
    fp.armed = 0;
    fp.runaway = 0;
    fp.budget = FT_BUDGET;
    if (r->why[0] == '\0') {
        e = ges_job_get_status(&cl, "p", "g", "B", &st);
        if (e != GES_OK || strcmp(st.job_id, "B") != 0 || st.job_state != GES_JOB_SUCCESS) {
            snprintf(r->why, sizeof r->why, "good poll after it: %s, jobId \"%s\"",
                     ges_strerror(e), st.job_id);
        }
    }
    ges_client_free(&cl);
    if (r->why[0] == '\0') {
        if (fp.opens != fp.closes || fp.bad_closes != 0 || ka.open) {
            snprintf(r->why, sizeof r->why, "sockets: %u opened, %u closed, %u bad closes",
                     fp.opens, fp.closes, fp.bad_closes);
        } else if (fa.live[0] != base) {
            snprintf(r->why, sizeof r->why, "leak: %ld allocations left (%lld bytes live)",
                     fa.live[0] - base, fa.bytes[0]);
        } else if (ka_overflow) {
            snprintf(r->why, sizeof r->why, "the test wire overflowed");
        }
    }
    r->ok = r->why[0] == '\0';
}

/* The ft_known entry a failed run matches, or -1. */
static int ft_known_match(int sc, ft_kind_t k, const ft_run_t *r)
{
    size_t i;
    if (!r->bad_code) return -1;
    for (i = 0; ft_known[i].why != NULL; i++) {
        if (ft_known[i].scenario == sc && ft_known[i].kind == k && ft_known[i].code == r->e) {
            return (int)i;
        }
    }
    return -1;
}

/* Every N of one kind in one scenario: one count. */
static void ft_kind(int sc, ft_kind_t k, unsigned long every)
{
    unsigned long n, runs = 0, bad = 0, known_runs = 0, codes[80], total = 0;
    int matched[FT_NKNOWN];
    ft_run_t r;
    int i, done = 0, stale = 0;
    size_t j;
    memset(codes, 0, sizeof codes);
    memset(matched, 0, sizeof matched);
    if (k == FK_ALLOC && every > 1) {
        /* how many allocations a run makes without a fault */
        ft_one(sc, k, FT_MAX_N + 1, &r);
        total = r.calls[FC_ALLOC];
    }
    for (n = 1; n <= FT_MAX_N && !done; n++) {
        int kn;
        if (n > FT_ALLOC_EDGE && n + FT_ALLOC_EDGE < total && (n - FT_ALLOC_EDGE) % every != 0) {
            continue; /* --alloc-every: the middle is sampled */
        }
        ft_one(sc, k, n, &r);
        if (!r.fired && r.ok) { /* the Nth call never came: all N done */
            done = 1;
            break;
        }
        runs++;
        if ((unsigned)-r.e < 80) codes[-r.e]++;
        kn = r.ok ? -1 : ft_known_match(sc, k, &r);
        if (kn >= 0) {
            matched[kn] = 1;
            if (known_runs++ < 3 || ft_verbose) {
                fprintf(stderr, "KNOWN %s %s N=%lu: %s\n", ft_scenarios[sc], ft_kinds[k].name,
                        n, r.why);
            }
        } else if (!r.ok) {
            if (bad++ < 5 || ft_verbose) {
                fprintf(stderr, "FAIL %s %s N=%lu: %s\n", ft_scenarios[sc], ft_kinds[k].name, n,
                        r.why);
            }
        } else if (ft_verbose) {
            fprintf(stderr, "ok %s %s N=%lu: %s\n", ft_scenarios[sc], ft_kinds[k].name, n,
                    ges_strerror(r.e));
        }
        if (ft_verbose) {
            fprintf(stderr, "  calls: connect %lu send %lu recv %lu entropy %lu now %lu "
                            "sleep %lu alloc %lu; fired %d\n",
                    r.calls[FC_CONNECT], r.calls[FC_SEND], r.calls[FC_RECV],
                    r.calls[FC_ENTROPY], r.calls[FC_NOW], r.calls[FC_SLEEP],
                    r.calls[FC_ALLOC], r.fired);
        }
        if (!r.fired) done = 1; /* failed without a fault: reported, stop */
    }
    if (!done) {
        bad++;
        fprintf(stderr, "FAIL %s %s: more than %lu calls\n", ft_scenarios[sc],
                ft_kinds[k].name, FT_MAX_N);
    }
    for (j = 0; ft_known[j].why != NULL; j++) {
        if (ft_known[j].scenario == sc && ft_known[j].kind == k && !matched[j]) {
            printf("  listed as known but no run returns %s any more (%s): remove it from "
                   "ft_known\n", ges_strerror(ft_known[j].code), ft_known[j].why);
            stale++;
        }
    }
    printf("%-5s %-4s %-16s %6lu runs, %lu failed, %lu known;",
           bad || stale ? "FAIL" : (known_runs ? "KNOWN" : "ok"), ft_scenarios[sc],
           ft_kinds[k].name, runs, bad, known_runs);
    for (i = 0; i < 80; i++) {
        if (codes[i]) printf(" %s x%lu;", i ? ges_strerror((ges_err_t)-i) : "OK", codes[i]);
    }
    printf("\n");
    for (j = 0; ft_known[j].why != NULL; j++) {
        if (matched[j]) printf("  known bug: %s\n", ft_known[j].why);
    }
    if (bad || stale) {
        ft_failed++;
    } else if (!known_runs) {
        ft_passed++;
    }
}

int main(int argc, char **argv)
{
    unsigned long every = 1;
    const char *only = NULL, *only_sc = NULL;
    int a, sc;
    ft_kind_t k;
    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--alloc-every") == 0 && a + 1 < argc) {
            every = strtoul(argv[++a], NULL, 10);
            if (every == 0) every = 1;
        } else if (strcmp(argv[a], "--kind") == 0 && a + 1 < argc) {
            only = argv[++a];
        } else if (strcmp(argv[a], "--scenario") == 0 && a + 1 < argc) {
            only_sc = argv[++a];
        } else if (strcmp(argv[a], "--trace") == 0) {
            ft_trace = ft_verbose = 1;
        } else if (strcmp(argv[a], "-v") == 0) {
            ft_verbose = 1;
        } else {
            fprintf(stderr, "usage: %s [--alloc-every K] [--kind NAME] [--scenario get|wait] [-v] [--trace]\n", argv[0]);
            printf("0 passed, 1 failed\n");
            return 2;
        }
    }
#if defined(MBEDTLS_PLATFORM_MEMORY)
    /* Installed before the server allocates anything, so that every block
     * freed through fa_free came from fa_calloc. The client installs the
     * same pair again from fport. */
    (void)mbedtls_platform_set_calloc_free(fa_calloc, fa_free);
    fport.tls_calloc = fa_calloc;
    fport.tls_free = fa_free;
#endif
    fp_reset();
    if (tw_up() != 0) {
        printf("test_faults: server set-up failed\n0 passed, 1 failed\n");
        return 1;
    }
    printf("mbedTLS %s%s; allocation faults %s\n", MBEDTLS_VERSION_STRING,
#if defined(MBEDTLS_PLATFORM_MEMORY)
           "", every == 1 ? "for every N" : "for every N of the first and last 200, every Kth between"
#else
           "", "skipped (no MBEDTLS_PLATFORM_MEMORY)"
#endif
    );
    for (sc = 0; sc < SC_N; sc++) {
        if (only_sc != NULL && strcmp(only_sc, ft_scenarios[sc]) != 0) continue;
        for (k = (ft_kind_t)0; k < FK_N; k = (ft_kind_t)(k + 1)) {
            if (only != NULL && strcmp(only, ft_kinds[k].name) != 0) continue;
#if !defined(MBEDTLS_PLATFORM_MEMORY)
            if (k == FK_ALLOC) continue;
#endif
            ft_kind(sc, k, every);
        }
    }
    tw_down();
    printf("%d passed, %d failed\n", ft_passed, ft_failed);
    return ft_failed ? 1 : 0;
}
#endif /* MBEDTLS_SSL_SRV_C */
