/*
 * A tiny program built from ges_job.c and ges_job.h and nothing else of
 * ours:
 *  - `make amalgamation` copies the three files (and tests/seed_bodies.h,
 *    the seed body) alone into an empty folder and builds them with no -I
 *    at all (jsmn and mbedTLS from the system include path), with and
 *    without GES_CONFIG_NO_TLS, then runs them;
 *  - `make cortex-m` links it for Cortex-M4 with newlib-nano
 *    (GES_EMB_NO_STDIO) to measure a linked parse-only program.
 *
 * It parses the seed body (tests/data/seed-200.json, as tests/seed_bodies.h
 * holds it) and checks its fields; with an argument it also parses that
 * file. With TLS it runs ges_client_init() up to mbedTLS's CA parser and the
 * AK/SK signer (mbedTLS's SHA-256), and takes the address of every client
 * function, so the whole client must link.
 *
 * Exit status 0 when every check passed. Prints "N passed, N failed"
 * unless GES_EMB_NO_STDIO.
 */
#include "ges_job.h"
#include "seed_bodies.h" /* SEED_200: tests/data/seed-200.json, byte for byte */

#include <string.h>
#ifndef GES_EMB_NO_STDIO
#include <stdio.h>
#endif

static int emb_passed, emb_failed;

static void emb_check(int ok, int line, const char *what)
{
    if (ok) {
        emb_passed++;
        return;
    }
    emb_failed++;
#ifndef GES_EMB_NO_STDIO
    fprintf(stderr, "embedded_main.c:%d: CHECK(%s) failed\n", line, what);
#else
    (void)line;
    (void)what;
#endif
}
#define EMB_CHECK(c) emb_check((c) ? 1 : 0, __LINE__, #c)

/* Static: ges_job_status_t is a few KB, too much for a small main stack. */
static ges_job_status_t emb_st;

static void emb_check_seed(const char *body, size_t len)
{
    const ges_job_file_t *f;

    EMB_CHECK(ges_job_parse(body, len, &emb_st) == GES_OK);
    EMB_CHECK(strcmp(emb_st.job_id, "ff80808167f09aaa0167f19b35ec0305") == 0);
    EMB_CHECK(strcmp(emb_st.status, "success") == 0);
    EMB_CHECK(emb_st.job_state == GES_JOB_SUCCESS);
    EMB_CHECK(ges_job_status_is_terminal(emb_st.job_state));
    EMB_CHECK(strcmp(emb_st.job_type, "GraphManagement") == 0);
    EMB_CHECK(strcmp(emb_st.job_name, "ImportGraph") == 0);
    EMB_CHECK(strcmp(emb_st.related_graph, "GES_UI_AUTO") == 0);
    EMB_CHECK(emb_st.begin_epoch == 1543354740);
    EMB_CHECK(emb_st.end_epoch == 1543354796);
    EMB_CHECK(emb_st.job_progress == 0.0);
    EMB_CHECK((emb_st.present & GES_F_JOB_PROGRESS) != 0);
    EMB_CHECK((emb_st.present & GES_F_FAIL_REASON) == 0);
    EMB_CHECK(emb_st.sets[GES_SET_VERTEXSET].count == 1);
    EMB_CHECK(emb_st.sets[GES_SET_EDGESET].count == 1);
    EMB_CHECK(emb_st.sets[GES_SET_SCHEMA].count == 1);
#if GES_PATHS_MAX > 0
    f = &emb_st.sets[GES_SET_SCHEMA].entries[0];
    EMB_CHECK(strcmp(f->path, "ges-ui/auDatas/list_set_schema.xml") == 0);
    EMB_CHECK(f->file_state == GES_FILE_SUCCESS);
    EMB_CHECK((f->null & GES_FF_LOG) != 0 && (f->null & GES_FF_CAUSE) != 0);
#else
    (void)f;
#endif
    EMB_CHECK(!ges_job_truncated(&emb_st));
}

#if !GES_CONFIG_NO_TLS
static int emb_connect(void *ctx, const char *host, uint16_t port,
                       uint32_t timeout_ms, ges_sock_t *sock)
{
    (void)ctx; (void)host; (void)port; (void)timeout_ms; (void)sock;
    return GES_PORT_ERROR;
}
static int emb_send(void *ctx, ges_sock_t sock, const unsigned char *buf,
                    size_t len, uint32_t timeout_ms)
{
    (void)ctx; (void)sock; (void)buf; (void)len; (void)timeout_ms;
    return GES_PORT_ERROR;
}
static int emb_recv(void *ctx, ges_sock_t sock, unsigned char *buf,
                    size_t len, uint32_t timeout_ms)
{
    (void)ctx; (void)sock; (void)buf; (void)len; (void)timeout_ms;
    return GES_PORT_ERROR;
}
static void emb_close(void *ctx, ges_sock_t sock)
{
    (void)ctx; (void)sock;
}
static uint32_t emb_now(void *ctx)
{
    (void)ctx;
    return 0;
}
static void emb_sleep(void *ctx, uint32_t ms)
{
    (void)ctx; (void)ms;
}
/* A test program: never seed TLS like this in firmware. */
static int emb_entropy(void *ctx, unsigned char *buf, size_t len)
{
    size_t i;
    (void)ctx;
    for (i = 0; i < len; i++)
        buf[i] = (unsigned char)(i * 151u + 7u);
    return 0;
}

static const ges_port_t emb_port = {
    NULL, emb_connect, emb_send, emb_recv, emb_close,
    emb_now, emb_sleep, emb_entropy, NULL, NULL, NULL, NULL};

static ges_client_t emb_client;
static unsigned char emb_io[512];

/* Every client entry point, so a missing mbedTLS symbol fails the link. */
static void (*volatile emb_keep[])(void) = {
    (void (*)(void))ges_client_config_init, (void (*)(void))ges_client_init,
    (void (*)(void))ges_client_free, (void (*)(void))ges_job_get_status,
    (void (*)(void))ges_job_wait, (void (*)(void))ges_wait_config_init,
    (void (*)(void))ges_sign_request, (void (*)(void))ges_client_tls_error,
};

static void emb_check_client(void)
{
    static const unsigned char bad_ca[] =
        "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n"
        "-----END CERTIFICATE-----\n";
    ges_client_config_t cfg;
    ges_sign_request_t rq;
    char date[17], auth[256];
    size_t alen = 0;

    EMB_CHECK(emb_keep[0] != NULL);

    ges_client_config_init(&cfg);
    cfg.host = "ges.cn-north-4.myhuaweicloud.com";
    cfg.token = "token";
    cfg.ca_pem = bad_ca;
    cfg.ca_pem_len = sizeof bad_ca; /* NUL included, as for PEM */
    cfg.platform = &emb_port;
    cfg.io_buf = emb_io;
    cfg.io_buf_len = sizeof emb_io;
    /* Everything checks out up to mbedTLS's CA parser, which refuses it. */
    EMB_CHECK(ges_client_init(&emb_client, &cfg) == GES_ERR_TLS);
    EMB_CHECK(ges_client_tls_error(&emb_client) < 0);
    ges_client_free(&emb_client);

    EMB_CHECK(ges_sdk_date(1543354740, date) == GES_OK);
    EMB_CHECK(strcmp(date, "20181127T213900Z") == 0);
    memset(&rq, 0, sizeof rq);
    rq.method = "GET";
    rq.host = "ges.example.com";
    rq.path = "/v1.0/p/graphs/g/jobs/j/status";
    rq.sdk_date = date;
    rq.ak = "AK";
    rq.sk = "SK";
    EMB_CHECK(ges_sign_request(&rq, auth, sizeof auth, &alen) == GES_OK);
    EMB_CHECK(alen > 64 && strncmp(auth, "SDK-HMAC-SHA256 Access=AK, ", 27) == 0);
}
#endif

#ifndef GES_EMB_NO_STDIO
/* Parse a file too (the real seed, so the copy above cannot drift). */
static void emb_check_file(const char *path)
{
    static char buf[8192];
    size_t n;
    FILE *fp = fopen(path, "rb");

    EMB_CHECK(fp != NULL);
    if (fp == NULL)
        return;
    n = fread(buf, 1, sizeof buf, fp);
    EMB_CHECK(ferror(fp) == 0 && n < sizeof buf);
    (void)fclose(fp);
    EMB_CHECK(n == sizeof SEED_200 - 1 && memcmp(buf, SEED_200, n) == 0);
    emb_check_seed(buf, n);
}
#endif

int main(int argc, char **argv)
{
    emb_check_seed(SEED_200, sizeof SEED_200 - 1);
#if !GES_CONFIG_NO_TLS
    emb_check_client();
#endif
#ifndef GES_EMB_NO_STDIO
    if (argc > 1)
        emb_check_file(argv[1]);
    printf("%d passed, %d failed\n", emb_passed, emb_failed);
#else
    (void)argc;
    (void)argv;
#endif
    return emb_failed == 0 ? 0 : 1;
}
