/*
 * minimal - the smallest complete use of ges_job: one status request over
 * TLS with the POSIX port, then the job's state on stdout.
 *
 *   GES_TOKEN=... minimal HOST PROJECT_ID GRAPH_ID JOB_ID
 *
 * HOST is the endpoint ("ges.cn-north-4.myhuaweicloud.com"), its port 443
 * or $GES_PORT. The CA bundle is /etc/ssl/certs/ca-certificates.crt or
 * $GES_CA_FILE. Exit 0
 * when the request succeeded, 1 when it failed, 2 on a usage error.
 * For every option, waiting and AK/SK, see ges_job_status.c (the CLI).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ges_job.h"
#include "ges_port_posix.h" /* on a board: port/lwip, port/lwip_raw or yours */

static unsigned char io[2048];        /* the library's one I/O buffer */
static unsigned char ca[1024 * 1024]; /* PEM bundle + its NUL */
static char token[GES_TOKEN_MAX + 1]; /* a copy we can wipe */
static ges_client_t client;           /* large: not on the stack */
static ges_job_status_t st;

static const char *const state_names[] = {
    "unknown", "pending", "running", "success", "failed", "partiallyFailed"};

/* Read a whole file into ca[] with a NUL after it (mbedTLS wants PEM
 * NUL-terminated); 0 when it is missing or does not fit (never cut). */
static size_t read_ca(const char *path)
{
    size_t n = 0;
    FILE *f = fopen(path, "rb");
    if (f != NULL) {
        n = fread(ca, 1, sizeof ca, f);
        if (n == sizeof ca || ferror(f)) {
            n = 0;
        }
        (void)fclose(f); /* read only: nothing to flush */
    }
    if (n > 0) {
        ca[n++] = '\0';
    }
    return n;
}

/* Stores through a volatile pointer are not dropped as dead stores. */
static void wipe(void *p, size_t n)
{
    volatile unsigned char *v = (volatile unsigned char *)p;
    while (n--) {
        *v++ = 0;
    }
}

int main(int argc, char **argv)
{
    const char *env = getenv("GES_TOKEN");
    const char *ca_file = getenv("GES_CA_FILE");
    const char *port = getenv("GES_PORT");
    unsigned long port_n = port != NULL ? strtoul(port, NULL, 10) : 443;
    ges_client_config_t cfg;
    ges_err_t e;
    size_t ca_len;

    if (argc != 5 || env == NULL || strlen(env) > GES_TOKEN_MAX ||
        port_n == 0 || port_n > 65535) {
        fprintf(stderr, "usage: GES_TOKEN=... minimal HOST PROJECT_ID "
                        "GRAPH_ID JOB_ID\n");
        return 2;
    }
    ca_len = read_ca(ca_file != NULL ? ca_file
                                     : "/etc/ssl/certs/ca-certificates.crt");
    if (ca_len == 0) {
        fprintf(stderr, "minimal: cannot read the CA file\n");
        return 2;
    }
    memcpy(token, env, strlen(env) + 1);

    ges_client_config_init(&cfg); /* port 443, 15 s timeout */
    cfg.host = argv[1];
    cfg.port = (uint16_t)port_n;
    cfg.token = token; /* must outlive the client */
    cfg.ca_pem = ca;
    cfg.ca_pem_len = ca_len;
    cfg.platform = ges_port_posix();
    cfg.io_buf = io;
    cfg.io_buf_len = sizeof io;

    e = ges_client_init(&client, &cfg);
    if (e == GES_OK) {
        e = ges_job_get_status(&client, argv[2], argv[3], argv[4], &st);
        ges_client_free(&client); /* closes; wipes io[] and the TLS state */
    }
    wipe(token, sizeof token);

    if (e != GES_OK) {
        /* ges_strerror never prints request data or secrets */
        fprintf(stderr, "minimal: %s (HTTP %d)\n", ges_strerror(e),
                st.http_status);
        return 1;
    }
    /* The state as an enum, not the server's raw bytes (st.status), so
     * nothing the server sends reaches the terminal unescaped. */
    printf("state=%s\n", state_names[st.job_state]);
    printf("terminal=%s\n",
           ges_job_status_is_terminal(st.job_state) ? "yes" : "no");
    if (st.present & GES_F_JOB_PROGRESS) {
        printf("progress=%g\n", st.job_progress);
    }
    return 0;
}
