/*
 * ram_probe - what a GES poll costs in mbedTLS heap and how big the
 * server's TLS records are, against the simulator (tests/sim).
 *
 *   ram_probe PORT CA_FILE TOKEN [JOB]
 *
 * Built and run by tests/mbedtls/run_tests.sh (through with_sim.py) against
 * the mbedTLS and configuration under test. Three measurements, each with a
 * fresh client (full handshake, then one more poll on the same connection):
 *
 *   1. counting allocator (ges_port_t.tls_calloc/tls_free, needs
 *      MBEDTLS_PLATFORM_MEMORY): heap after ges_client_init (the parsed CA
 *      and the record buffers), the peak, the peak block count, and what is
 *      left after ges_client_free (must be 0: a leak fails the probe);
 *   2. the server's records, parsed from the bytes the port receives: the
 *      largest handshake record, the Certificate message (the chain), the
 *      largest application-data record (TLS 1.2 handshakes are plaintext up
 *      to ChangeCipherSpec; under TLS 1.3 only record sizes are visible);
 *   3. with MBEDTLS_MEMORY_BUFFER_ALLOC_C: the smallest static pool for
 *      mbedtls_memory_buffer_alloc_init() with which the same two polls
 *      succeed (a bisection; it includes the allocator's block headers and
 *      fragmentation, so it is what a firmware must reserve on this ABI).
 *
 * Ends with "1 passed, 0 failed" when every poll worked and nothing leaked.
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

#include <mbedtls/version.h>

#if defined(MBEDTLS_MEMORY_BUFFER_ALLOC_C)
#include <mbedtls/memory_buffer_alloc.h>
#endif
#if defined(MBEDTLS_PLATFORM_MEMORY)
#include <mbedtls/platform.h>
#endif
#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && defined(MBEDTLS_PSA_CRYPTO_C)
#include <psa/crypto.h>
#endif

#define RP_CA_MAX (256u * 1024u)
#define RP_POOL_MAX (512u * 1024u)

static unsigned char rp_ca[RP_CA_MAX + 1];
static size_t rp_ca_len;
static unsigned char rp_io[2048];
static ges_client_t rp_client;
static ges_job_status_t rp_st;
static uint16_t rp_port;
static const char *rp_token;
static const char *rp_job = "job-success";

/* ------------------------------------------------------------------------- */
/* Counting allocator: a size header before each block                        */
/* ------------------------------------------------------------------------- */
typedef union {
    size_t n;
    long double ld_; /* C99 has no max_align_t */
    long long ll_;
    void *p_;
} rp_hdr_t;

static size_t rp_cur, rp_peak, rp_blocks, rp_peak_blocks, rp_allocs;

static void *rp_calloc(size_t n, size_t size)
{
    rp_hdr_t *h;
    size_t total;
    if (size != 0 && n > (SIZE_MAX - sizeof(rp_hdr_t)) / size) return NULL;
    total = n * size;
    h = (rp_hdr_t *)calloc(1, sizeof(rp_hdr_t) + total);
    if (h == NULL) return NULL;
    h->n = total;
    rp_cur += total;
    rp_blocks++;
    rp_allocs++;
    if (rp_cur > rp_peak) rp_peak = rp_cur;
    if (rp_blocks > rp_peak_blocks) rp_peak_blocks = rp_blocks;
    return h + 1;
}

static void rp_free(void *p)
{
    rp_hdr_t *h;
    if (p == NULL) return;
    h = (rp_hdr_t *)p - 1;
    rp_cur -= h->n;
    rp_blocks--;
    free(h);
}

/* ------------------------------------------------------------------------- */
/* A port that forwards to the POSIX port and parses the records it reads    */
/* ------------------------------------------------------------------------- */
static ges_port_t rp_port_struct;

static struct {
    unsigned char hdr[5];
    size_t hdr_got;
    size_t left;          /* body bytes of the current record still to come */
    int type;
    int plaintext;        /* server's handshake still unencrypted */
    /* handshake message parsing inside plaintext records */
    unsigned char hs_hdr[4];
    size_t hs_got, hs_left;
    size_t max_hs_record, max_app_record, max_record, cert_msg;
    unsigned records;
} rp_rec;

static void rp_rec_reset(void)
{
    size_t keep_hs = rp_rec.max_hs_record, keep_app = rp_rec.max_app_record;
    size_t keep_max = rp_rec.max_record, keep_cert = rp_rec.cert_msg;
    unsigned keep_n = rp_rec.records;
    memset(&rp_rec, 0, sizeof rp_rec);
    rp_rec.plaintext = 1;
    rp_rec.max_hs_record = keep_hs;
    rp_rec.max_app_record = keep_app;
    rp_rec.max_record = keep_max;
    rp_rec.cert_msg = keep_cert;
    rp_rec.records = keep_n;
}

static void rp_hs_byte(unsigned char b)
{
    if (rp_rec.hs_left > 0) {
        rp_rec.hs_left--;
        return;
    }
    rp_rec.hs_hdr[rp_rec.hs_got++] = b;
    if (rp_rec.hs_got == 4) {
        size_t len = (size_t)rp_rec.hs_hdr[1] << 16 | (size_t)rp_rec.hs_hdr[2] << 8 |
                     rp_rec.hs_hdr[3];
        if (rp_rec.hs_hdr[0] == 11 && len + 4 > rp_rec.cert_msg) rp_rec.cert_msg = len + 4;
        rp_rec.hs_left = len;
        rp_rec.hs_got = 0;
    }
}

static void rp_feed(const unsigned char *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (rp_rec.left == 0) {
            rp_rec.hdr[rp_rec.hdr_got++] = p[i];
            if (rp_rec.hdr_got == 5) {
                size_t len = (size_t)rp_rec.hdr[3] << 8 | rp_rec.hdr[4];
                rp_rec.type = rp_rec.hdr[0];
                rp_rec.left = len;
                rp_rec.hdr_got = 0;
                rp_rec.records++;
                if (len > rp_rec.max_record) rp_rec.max_record = len;
                if (rp_rec.type == 22 && len > rp_rec.max_hs_record) rp_rec.max_hs_record = len;
                if (rp_rec.type == 23 && len > rp_rec.max_app_record) rp_rec.max_app_record = len;
                if (rp_rec.type == 20) rp_rec.plaintext = 0; /* ChangeCipherSpec */
            }
            continue;
        }
        if (rp_rec.type == 22 && rp_rec.plaintext) rp_hs_byte(p[i]);
        rp_rec.left--;
    }
}

static int rp_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms,
                      ges_sock_t *sock)
{
    const ges_port_t *in = ges_port_posix();
    (void)ctx;
    rp_rec_reset(); /* a new connection: a new record stream */
    return in->net_connect(in->ctx, host, port, timeout_ms, sock);
}

static int rp_recv(void *ctx, ges_sock_t sock, unsigned char *buf, size_t len,
                   uint32_t timeout_ms)
{
    const ges_port_t *in = ges_port_posix();
    int r = in->net_recv(in->ctx, sock, buf, len, timeout_ms);
    (void)ctx;
    if (r > 0) rp_feed(buf, (size_t)r);
    return r;
}

/* ------------------------------------------------------------------------- */
static int rp_load_ca(const char *path)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    if (f == NULL) return -1;
    n = fread(rp_ca, 1, RP_CA_MAX, f);
    if (ferror(f) || n == 0 || n == RP_CA_MAX) {
        fclose(f);
        return -1;
    }
    fclose(f);
    rp_ca[n] = '\0';
    rp_ca_len = n + 1;
    return 0;
}

/* Init, two polls (handshake, then keep-alive), free. Returns 0 if both
 * polls gave the job's answer; *after_init gets the heap then (counting). */
static int rp_session(size_t *after_init, int *tls_err)
{
    ges_client_config_t cfg;
    ges_err_t e;
    int i, ok = 1;
    ges_client_config_init(&cfg);
    cfg.host = "localhost";
    cfg.port = rp_port;
    cfg.token = rp_token;
    cfg.ca_pem = rp_ca;
    cfg.ca_pem_len = rp_ca_len;
    cfg.platform = &rp_port_struct;
    cfg.io_buf = rp_io;
    cfg.io_buf_len = sizeof rp_io;
    cfg.timeout_ms = 10000;
    *tls_err = 0;
    e = ges_client_init(&rp_client, &cfg);
    if (e != GES_OK) {
        *tls_err = ges_client_tls_error(&rp_client);
        ok = 0;
    }
    if (after_init != NULL) *after_init = rp_cur;
    for (i = 0; i < 2 && ok; i++) {
        e = ges_job_get_status(&rp_client, "probe-project", "probe-graph", rp_job, &rp_st);
        if (e != GES_OK || rp_st.http_status != 200) {
            *tls_err = ges_client_tls_error(&rp_client);
            ok = 0;
        }
    }
    ges_client_free(&rp_client);
#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && defined(MBEDTLS_PSA_CRYPTO_C)
    /* PSA's state is global and outlives the client: free it too, so each
     * run starts clean and its memory is counted (ges_client_init calls
     * psa_crypto_init() again). */
    mbedtls_psa_crypto_free();
#endif
    return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
    size_t after_init = 0;
    int tls_err = 0, failed = 0;
    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: %s PORT CA_FILE TOKEN [JOB]\n", argv[0]);
        puts("0 passed, 1 failed");
        return 2;
    }
    rp_port = (uint16_t)atoi(argv[1]);
    rp_token = argv[3];
    if (argc == 5) rp_job = argv[4];
    if (rp_port == 0 || rp_load_ca(argv[2]) != 0) {
        fprintf(stderr, "ram_probe: bad port or CA file\n");
        puts("0 passed, 1 failed");
        return 2;
    }
    rp_port_struct = *ges_port_posix();
    rp_port_struct.net_connect = rp_connect;
    rp_port_struct.net_recv = rp_recv;
    rp_port_struct.tls_calloc = NULL;
    rp_port_struct.tls_free = NULL;
    rp_rec_reset();

    printf("mbedTLS %s, MBEDTLS_SSL_IN_CONTENT_LEN %d, OUT %d, %u-bit pointers\n",
           MBEDTLS_VERSION_STRING, (int)MBEDTLS_SSL_IN_CONTENT_LEN,
           (int)MBEDTLS_SSL_OUT_CONTENT_LEN, (unsigned)(sizeof(void *) * 8));
    printf("sizeof(ges_client_t) %u (static, not heap)\n", (unsigned)sizeof(ges_client_t));

#if defined(MBEDTLS_PLATFORM_MEMORY)
    rp_port_struct.tls_calloc = rp_calloc;
    rp_port_struct.tls_free = rp_free;
    if (rp_session(&after_init, &tls_err) != 0) {
        printf("FAIL counting run: poll failed (mbedtls -0x%04X)\n", (unsigned)-tls_err);
        failed = 1;
    }
    printf("heap: after init %u bytes, peak %u bytes in %u blocks (%u allocations), "
           "after free %u\n",
           (unsigned)after_init, (unsigned)rp_peak, (unsigned)rp_peak_blocks,
           (unsigned)rp_allocs, (unsigned)rp_cur);
    if (rp_cur != 0 || rp_blocks != 0) {
        printf("FAIL %u bytes in %u blocks leaked\n", (unsigned)rp_cur, (unsigned)rp_blocks);
        failed = 1;
    }
    rp_port_struct.tls_calloc = NULL;
    rp_port_struct.tls_free = NULL;
    (void)mbedtls_platform_set_calloc_free(calloc, free); /* undo the client's install */
#else
    if (rp_session(NULL, &tls_err) != 0) {
        printf("FAIL poll failed (mbedtls -0x%04X)\n", (unsigned)-tls_err);
        failed = 1;
    }
    puts("heap: not measured (no MBEDTLS_PLATFORM_MEMORY)");
#endif
    printf("records from the server: largest %u bytes; handshake %u "
           "(Certificate message %u); application data %u; %u records\n",
           (unsigned)rp_rec.max_record, (unsigned)rp_rec.max_hs_record,
           (unsigned)rp_rec.cert_msg, (unsigned)rp_rec.max_app_record, rp_rec.records);

#if defined(MBEDTLS_MEMORY_BUFFER_ALLOC_C)
    if (!failed) {
        static unsigned char pool[RP_POOL_MAX];
        size_t lo = 1024, hi = RP_POOL_MAX; /* lo fails, hi works (checked) */
        int err = 0;
        mbedtls_memory_buffer_alloc_init(pool, hi);
        if (rp_session(NULL, &err) != 0) {
            printf("FAIL a %u-byte pool is not enough (mbedtls -0x%04X)\n",
                   (unsigned)hi, (unsigned)-err);
            failed = 1;
        }
        mbedtls_memory_buffer_alloc_free();
        while (!failed && hi - lo > 64) {
            size_t mid = lo + (hi - lo) / 2;
            mbedtls_memory_buffer_alloc_init(pool, mid);
            if (rp_session(NULL, &err) == 0) {
                hi = mid;
            } else {
                lo = mid;
            }
            mbedtls_memory_buffer_alloc_free();
        }
        if (!failed) {
            printf("smallest mbedtls_memory_buffer_alloc pool: %u bytes (within 64)\n",
                   (unsigned)hi);
        }
    }
#endif
    printf("%d passed, %d failed\n", failed ? 0 : 1, failed);
    return failed;
}
