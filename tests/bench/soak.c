/*
 * soak - many kept-alive polls and reconnects on one client against the
 * simulator (tests/sim/ges_sim.py), with the process's heap, open file
 * descriptors and RSS sampled as it goes (issue 13, item 4).
 * tests/bench/soak.py starts the simulator, runs this and checks what the
 * server saw.
 *
 *   soak --state FILE [--polls P] [--reconnects R] [--io-buf BYTES]
 *
 * One ges_client_t and port/posix. The run is R blocks; each block polls
 * job-running P/R times on the kept-alive connection, then job-keepalive-off
 * once, whose answer says Connection: close and is followed by the server's
 * close, so the next block's first poll reconnects (resuming the TLS
 * session). The polls left over (P mod R) come last. Every poll must return
 * GES_OK with the job's status (running, success).
 *
 * Samples, always at the same point (just after a block's first kept-alive
 * poll: connected, one resumed handshake behind), at the block after 2% of
 * the run (start: the first connection, libc's and mbedTLS's first-use
 * allocations and the code pages are behind us), every 10% and at the last
 * block (end):
 *   heap   mallinfo2(): uordblks (bytes in use in malloc's arenas, mbedTLS's
 *          and libc's included) + hblkhd (bytes in mmap'd blocks). Run it
 *          with GLIBC_TUNABLES=glibc.malloc.tcache_count=0 (soak.py does):
 *          glibc's per-thread cache keeps up to 7 freed chunks of each size
 *          and mallinfo2 counts them as in use, so with it the figure
 *          climbs by some KiB over the first reconnects and then stops,
 *          which is the cache filling, not a leak. Without the cache it is
 *          the live bytes: the same at every sample point of a healthy run.
 *   fds    entries of /proc/self/fd (the listing's own descriptor excluded)
 *   rss    VmRSS of /proc/self/status, KiB
 * A first sample after the first poll (warm-up) is printed, not compared:
 * sampling itself allocates once (stdout's buffer).
 *
 * Flat means, from start to every later sample:
 *   fds    equal;
 *   heap   grown by at most 2 KiB: mbedTLS's live blocks at such a point
 *          are the same ones every time, their sizes may differ by some
 *          bytes (session ticket, signature lengths). A leak of one
 *          32-byte block (malloc's smallest) per reconnect grows the heap
 *          by 3 KiB between the start and the end of the short run (97
 *          reconnects apart) and by 62 KiB in the full run; one per poll
 *          by 60 KiB and 3 MiB;
 *   rss    grown by at most 256 KiB: pages, not bytes (a heap that grows
 *          by a few KiB may map one more page, and malloc keeps freed
 *          pages); anything the heap check misses (a leak outside malloc,
 *          mmap'd buffers) that grows with the run shows here.
 *
 * Prints each sample, then one line:
 *   soak polls=P reconnects=R ok=N seconds=S polls_per_s=X heap_start=B
 *   heap_end=B heap_max=B fds_start=N fds_end=N rss_start_kib=K
 *   rss_end_kib=K rss_max_kib=K heap_flat=1 fds_flat=1 rss_flat=1
 * and exits 0 when every poll succeeded and all three are flat.
 *
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ges_job.h"
#include "ges_port_posix.h"

#include "bench_state.h"

#define SOAK_HEAP_TOL 2048L   /* bytes */
#define SOAK_RSS_TOL 256L     /* KiB */
#define SOAK_SAMPLES 16

typedef struct {
    long block;
    long long heap;
    long fds;
    long rss_kib;
} soak_sample_t;

static unsigned char io[4096];
static ges_job_status_t st;

static long long soak_heap(void)
{
    struct mallinfo2 mi = mallinfo2();
    return (long long)mi.uordblks + (long long)mi.hblkhd;
}

static long soak_fds(void)
{
    long n = 0;
    struct dirent *e;
    DIR *d = opendir("/proc/self/fd");
    if (d == NULL) return -1;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') n++;
    }
    closedir(d);
    return n - 1; /* the directory's own descriptor */
}

static long soak_rss_kib(void)
{
    char line[256];
    long v = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL) return -1;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            v = atol(line + 6);
            break;
        }
    }
    fclose(f);
    return v;
}

static int soak_poll(ges_client_t *c, const char *job, ges_job_state_t want)
{
    ges_err_t e = ges_job_get_status(c, "soak-project", "soak-graph", job, &st);
    if (e != GES_OK || st.job_state != want) {
        fprintf(stderr, "soak: %s: %s (http %d, state %d, tls %d)\n", job, ges_strerror(e),
                st.http_status, (int)st.job_state, ges_client_tls_error(c));
        return 0;
    }
    return 1;
}

static int usage(void)
{
    fprintf(stderr, "usage: soak --state FILE [--polls P] [--reconnects R] [--io-buf BYTES]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *state = NULL;
    long polls = 2000, reconnects = 100, io_len = (long)sizeof io, gap, b, i, ok = 0, done = 0;
    long first, every, ns = 0;
    soak_sample_t s[SOAK_SAMPLES];
    long long heap_max;
    long rss_max, j;
    int heap_flat = 1, fds_flat = 1, rss_flat = 1;
    bench_state_t bs;
    unsigned char *ca;
    size_t ca_len = 0;
    static ges_client_t c;
    ges_client_config_t cfg;
    double t0, t1;
    int a;

    for (a = 1; a < argc; a++) {
        if (a + 1 >= argc) return usage();
        if (strcmp(argv[a], "--state") == 0) {
            state = argv[++a];
        } else if (strcmp(argv[a], "--polls") == 0) {
            polls = atol(argv[++a]);
        } else if (strcmp(argv[a], "--reconnects") == 0) {
            reconnects = atol(argv[++a]);
        } else if (strcmp(argv[a], "--io-buf") == 0) {
            io_len = atol(argv[++a]);
        } else {
            return usage();
        }
    }
    if (state == NULL || reconnects < 10 || polls < reconnects || io_len < 1 ||
        io_len > (long)sizeof io) {
        return usage();
    }
    if (bench_state_read(state, &bs) != 0 || (ca = bench_read_file(bs.ca, &ca_len)) == NULL) {
        fprintf(stderr, "soak: cannot read the simulator's state %s\n", state);
        return 2;
    }
    if (getenv("GLIBC_TUNABLES") == NULL) {
        fprintf(stderr, "soak: GLIBC_TUNABLES is not set: glibc's tcache counts as heap "
                        "(see the comment at the top)\n");
    }
    gap = polls / reconnects;
    first = reconnects / 50 > 0 ? reconnects / 50 : 1;
    every = reconnects / 10;

    ges_client_config_init(&cfg);
    cfg.host = "localhost";
    cfg.port = (uint16_t)bs.port;
    cfg.token = bs.token;
    cfg.ca_pem = ca;
    cfg.ca_pem_len = ca_len;
    cfg.platform = ges_port_posix();
    cfg.io_buf = io;
    cfg.io_buf_len = (size_t)io_len;
    t0 = bench_now();
    if (ges_client_init(&c, &cfg) != GES_OK) {
        fprintf(stderr, "soak: ges_client_init failed (tls %d)\n", ges_client_tls_error(&c));
        return 1;
    }
    for (b = 0; b < reconnects; b++) {
        for (i = 0; i < gap; i++) {
            ok += soak_poll(&c, "job-running", GES_JOB_RUNNING);
            done++;
            if (i == 0 && b == 0) {
                /* warm-up: the sampling's own first use (stdout's buffer,
                 * opendir, fopen) allocates too; not a baseline */
                printf("sample block=0 polls=1 heap=%lld fds=%ld rss_kib=%ld (warm-up)\n",
                       soak_heap(), soak_fds(), soak_rss_kib());
            }
            if (i == 0 && (b == first || (b > first && b % every == 0) || b == reconnects - 1) &&
                ns < SOAK_SAMPLES) {
                s[ns].block = b;
                s[ns].heap = soak_heap();
                s[ns].fds = soak_fds();
                s[ns].rss_kib = soak_rss_kib();
                printf("sample block=%ld polls=%ld heap=%lld fds=%ld rss_kib=%ld\n", b, done,
                       s[ns].heap, s[ns].fds, s[ns].rss_kib);
                ns++;
            }
        }
        ok += soak_poll(&c, "job-keepalive-off", GES_JOB_SUCCESS);
        done++;
    }
    for (i = gap * reconnects; i < polls; i++) {
        ok += soak_poll(&c, "job-running", GES_JOB_RUNNING);
        done++;
    }
    ges_client_free(&c);
    t1 = bench_now();
    free(ca);

    heap_max = s[0].heap;
    rss_max = s[0].rss_kib;
    for (j = 1; j < ns; j++) {
        if (s[j].heap > heap_max) heap_max = s[j].heap;
        if (s[j].rss_kib > rss_max) rss_max = s[j].rss_kib;
        if (s[j].fds != s[0].fds) fds_flat = 0;
    }
    heap_flat = ns >= 3 && heap_max - s[0].heap <= SOAK_HEAP_TOL;
    rss_flat = ns >= 3 && rss_max - s[0].rss_kib <= SOAK_RSS_TOL && s[0].rss_kib > 0;
    fds_flat = fds_flat && ns >= 3 && s[0].fds > 0;
    printf("soak polls=%ld reconnects=%ld ok=%ld seconds=%.2f polls_per_s=%.0f heap_start=%lld "
           "heap_end=%lld heap_max=%lld fds_start=%ld fds_end=%ld rss_start_kib=%ld "
           "rss_end_kib=%ld rss_max_kib=%ld heap_flat=%d fds_flat=%d rss_flat=%d\n",
           polls, reconnects, ok, t1 - t0, (double)done / (t1 - t0), s[0].heap,
           s[ns - 1].heap, heap_max, s[0].fds, s[ns - 1].fds, s[0].rss_kib, s[ns - 1].rss_kib,
           rss_max, heap_flat, fds_flat, rss_flat);
    return ok == done && heap_flat && fds_flat && rss_flat ? 0 : 1;
}
