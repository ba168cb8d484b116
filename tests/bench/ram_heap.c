/*
 * ram_heap - mbedTLS's heap while ges_job sets up, shakes hands and polls,
 * against the simulator; tests/bench/ram.py drives it.
 *
 *   ram_heap --state FILE [--io-buf BYTES]
 *
 * Debian's mbedTLS is built without MBEDTLS_PLATFORM_MEMORY and
 * MBEDTLS_MEMORY_BUFFER_ALLOC_C, so it calls the C library's calloc and
 * free directly. This program is linked statically against libmbedtls.a
 * (and friends) with -Wl,--wrap=calloc,--wrap=malloc,--wrap=realloc,
 * --wrap=free, so every such call from mbedTLS, ges_job.o and the port comes
 * here first. Each block's size is kept in a small table (pointer -> size);
 * live bytes and their peak are tracked per phase. Calls made while a port
 * function runs (getaddrinfo allocates) are passed through uncounted, and
 * ges_job itself never allocates, so what is counted is mbedTLS's heap.
 *
 * Phases (each reports the peak of live bytes during it, the live bytes at
 * its end, and the number of allocations):
 *   init        ges_client_init: CA parse, DRBG seed, ssl_setup (which
 *               allocates mbedTLS's record buffers)
 *   handshake   first poll of job-success: connect, full handshake,
 *               request, answer (the seed's example)
 *   poll        a second poll on the kept-alive connection
 *   resumed     a poll of job-keepalive-off (the server closes after it),
 *               then a poll of job-success on a new connection that
 *               resumes the session
 *   free        ges_client_free: live bytes must return to 0 (the exit
 *               status is 1 otherwise)
 *
 * Output: one line per phase,
 *   phase=handshake peak_bytes=N end_bytes=N allocs=N
 *
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ges_job.h"
#include "ges_port_posix.h"

#include "bench_state.h"

/* ------------------------------------------------------------------------- */
/* Counting allocator                                                         */
/* ------------------------------------------------------------------------- */
void *__real_calloc(size_t n, size_t m);
void *__real_malloc(size_t n);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_malloc(size_t n);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

#define SLOTS 8192 /* power of two; far more than mbedTLS keeps live */
static struct {
    void *p;
    size_t n;
} slot[SLOTS];
static int in_port;          /* a port function is running: do not count */
static int counting;         /* a phase is open */
static size_t live, peak;
static unsigned long allocs, lost;

static size_t slot_of(const void *p)
{
    return (size_t)(((uintptr_t)p >> 4) * 2654435761u) & (SLOTS - 1);
}

static void track(void *p, size_t n)
{
    size_t i = slot_of(p), k;
    if (p == NULL || in_port || !counting) return;
    for (k = 0; k < SLOTS; k++, i = (i + 1) & (SLOTS - 1)) {
        if (slot[i].p == NULL) {
            slot[i].p = p;
            slot[i].n = n;
            live += n;
            if (live > peak) peak = live;
            allocs++;
            return;
        }
    }
    lost++; /* table full: reported, never silent */
}

static void untrack(void *p)
{
    size_t i = slot_of(p), k;
    if (p == NULL) return;
    for (k = 0; k < SLOTS; k++, i = (i + 1) & (SLOTS - 1)) {
        if (slot[i].p == p) {
            live -= slot[i].n;
            /* backward-shift deletion keeps the probe chains intact */
            for (;;) {
                size_t j = (i + 1) & (SLOTS - 1), h;
                slot[i].p = NULL;
                while (slot[j].p != NULL) {
                    h = slot_of(slot[j].p);
                    if (((j - h) & (SLOTS - 1)) >= ((j - i) & (SLOTS - 1))) break;
                    j = (j + 1) & (SLOTS - 1);
                }
                if (slot[j].p == NULL) return;
                slot[i] = slot[j];
                i = j;
            }
        }
        if (slot[i].p == NULL) return; /* not ours (libc's, or uncounted) */
    }
}

void *__wrap_calloc(size_t n, size_t m)
{
    void *p = __real_calloc(n, m);
    track(p, n * m);
    return p;
}

void *__wrap_malloc(size_t n)
{
    void *p = __real_malloc(n);
    track(p, n);
    return p;
}

void *__wrap_realloc(void *p, size_t n)
{
    void *q;
    untrack(p);
    q = __real_realloc(p, n);
    track(q, n);
    return q;
}

void __wrap_free(void *p)
{
    untrack(p);
    __real_free(p);
}

/* ------------------------------------------------------------------------- */
/* The POSIX port, with "inside the port" marked                              */
/* ------------------------------------------------------------------------- */
static const ges_port_t *base;

static int m_connect(void *ctx, const char *host, uint16_t port, uint32_t t, ges_sock_t *s)
{
    int r;
    in_port = 1;
    r = base->net_connect(ctx, host, port, t, s);
    in_port = 0;
    return r;
}

static int m_send(void *ctx, ges_sock_t s, const unsigned char *b, size_t n, uint32_t t)
{
    int r;
    in_port = 1;
    r = base->net_send(ctx, s, b, n, t);
    in_port = 0;
    return r;
}

static int m_recv(void *ctx, ges_sock_t s, unsigned char *b, size_t n, uint32_t t)
{
    int r;
    in_port = 1;
    r = base->net_recv(ctx, s, b, n, t);
    in_port = 0;
    return r;
}

static void m_close(void *ctx, ges_sock_t s)
{
    in_port = 1;
    base->net_close(ctx, s);
    in_port = 0;
}

static int m_entropy(void *ctx, unsigned char *b, size_t n)
{
    int r;
    in_port = 1;
    r = base->entropy(ctx, b, n);
    in_port = 0;
    return r;
}

/* ------------------------------------------------------------------------- */
static void phase_begin(void)
{
    peak = live;
    allocs = 0;
    counting = 1;
}

/* Results are kept and printed at the end: stdio allocates its buffer on
 * first use, which must not land in a phase. */
static struct {
    const char *name;
    size_t peak, end;
    unsigned long allocs;
} res[8];
static int nres;

static void phase_end(const char *name)
{
    counting = 0;
    res[nres].name = name;
    res[nres].peak = peak;
    res[nres].end = live;
    res[nres].allocs = allocs;
    nres++;
}

static unsigned char io[65536];
static ges_job_status_t st;

static int poll(ges_client_t *c, const char *job)
{
    ges_err_t e = ges_job_get_status(c, "bench-project", "bench-graph", job, &st);
    if (e != GES_OK || st.job_state != GES_JOB_SUCCESS) {
        counting = 0;
        fprintf(stderr, "ram_heap: poll %s: %s\n", job, ges_strerror(e));
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *state = NULL;
    long io_len = 4096;
    bench_state_t s;
    unsigned char *ca;
    size_t ca_len = 0;
    static ges_client_t c;
    static ges_port_t port;
    ges_client_config_t cfg;
    int a, bad = 0;

    for (a = 1; a + 1 < argc; a += 2) {
        if (strcmp(argv[a], "--state") == 0) state = argv[a + 1];
        else if (strcmp(argv[a], "--io-buf") == 0) io_len = atol(argv[a + 1]);
    }
    if (state == NULL || a != argc || io_len < 1 || io_len > (long)sizeof io) {
        fprintf(stderr, "usage: ram_heap --state FILE [--io-buf BYTES]\n");
        return 2;
    }
    if (bench_state_read(state, &s) != 0) return 2;
    ca = bench_read_file(s.ca, &ca_len);
    if (ca == NULL) return 2;

    /* mbedTLS checks certificate dates with gmtime_r, whose first call makes
     * the C library read and keep the time zone (about 50 bytes, never
     * freed). That is libc's, not mbedTLS's: load it before counting. */
    tzset();

    base = ges_port_posix();
    port = *base;
    port.net_connect = m_connect;
    port.net_send = m_send;
    port.net_recv = m_recv;
    port.net_close = m_close;
    port.entropy = m_entropy;

    ges_client_config_init(&cfg);
    cfg.host = "localhost";
    cfg.port = (uint16_t)s.port;
    cfg.token = s.token;
    cfg.ca_pem = ca;
    cfg.ca_pem_len = ca_len;
    cfg.platform = &port;
    cfg.io_buf = io;
    cfg.io_buf_len = (size_t)io_len;

    phase_begin();
    if (ges_client_init(&c, &cfg) != GES_OK) {
        fprintf(stderr, "ram_heap: ges_client_init failed\n");
        return 1;
    }
    phase_end("init");

    phase_begin();
    bad |= poll(&c, "job-success");
    phase_end("handshake");

    phase_begin();
    bad |= poll(&c, "job-success");
    phase_end("poll");

    phase_begin();
    bad |= poll(&c, "job-keepalive-off");
    bad |= poll(&c, "job-success");
    phase_end("resumed");

    phase_begin();
    ges_client_free(&c);
    phase_end("free");
    free(ca);
    for (a = 0; a < nres; a++) {
        printf("phase=%s peak_bytes=%zu end_bytes=%zu allocs=%lu\n", res[a].name, res[a].peak,
               res[a].end, res[a].allocs);
    }
    if (lost) fprintf(stderr, "ram_heap: %lu allocations not tracked (table full)\n", lost);
    return bad || lost || live != 0 ? 1 : 0;
}
