/*
 * ges_job_status - print a GES job's status as name=value lines.
 *
 *   ges_job_status [options] PROJECT_ID GRAPH_ID JOB_ID
 *   ges_job_status [options] --wait[=MS] [--interval-ms N] PROJECT_ID ...
 *   ges_job_status --parse FILE          (FILE "-" is standard input)
 *
 * SPDX-License-Identifier: MIT
 *
 * The output and the exit status are a contract that scripts rely on; it is
 * written out in examples/README.md and in usage() below. In short:
 *   - stdout: one name=value line per field, in a fixed order, names as the
 *     v1.0 API spells them; absent and null fields print nothing; a last
 *     line "truncated=a,b" names every value that was cut.
 *   - values are UTF-8 with backslash and every control character escaped,
 *     so one field is always one line: \\ \n \r \t, "\xHH" for the other
 *     bytes below 0x20 and for DEL (0x7F), and "\xc2\xHH" for the C1
 *     controls U+0080..U+009F (UTF-8 0xC2 0x80..0x9F). "\xHH" is always
 *     one byte of the value (see print_escaped()).
 *   - exit 0 ok, 1 job failed or partiallyFailed, 2 usage or invalid
 *     argument, 3 service error, 4 network/TLS/certificate, 5 timeout,
 *     6 malformed or oversized response. Messages for people go to stderr
 *     (a TLS error there: mbedTLS's code and, with MBEDTLS_ERROR_C, its
 *     mbedtls_strerror text).
 *   - with a proxy (--proxy, https_proxy, HTTPS_PROXY), a refused CONNECT
 *     or an unreachable proxy is exit 4 with a line naming the proxy's
 *     host:port (and the status), never its credentials.
 *   - SIGINT and SIGTERM cancel the request in progress (ges_client_cancel()
 *     from the handler): nothing goes to stdout, a line to stderr, exit
 *     130 for SIGINT and 143 for SIGTERM.
 *   - --wait polls with ges_job_wait() until the status is final and then
 *     prints and exits as one poll would; 5 when the wait's deadline passed.
 *     Progress goes to stderr only.
 *
 * Credentials: an IAM token (--token-file or GES_TOKEN), or AK/SK request
 * signing (--aksk-file or GES_AK + GES_SK, optionally with a security token
 * for temporary credentials). An explicit file wins over the environment;
 * two explicit sources, or GES_TOKEN together with GES_AK/GES_SK and no
 * file, are a usage error.
 *
 * The program does not allocate: every buffer is static (stdout's too, via
 * setvbuf). Files are read with open()/read() so no stdio buffer ever holds
 * a copy of a secret. The secret buffers (token, AK, SK, security token,
 * the AK/SK file, the proxy's user and password) are wiped on every way out
 * of main(). No secret is ever printed, and no error message echoes an
 * argument. The one secret the command line can carry, a proxy URL's
 * credentials, is blanked in argv as soon as it is read.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ges_job.h"
#include "ges_port_posix.h"

#if GES_CONFIG_NO_TLS
#error "ges_job_status needs the client API: build without GES_CONFIG_NO_TLS"
#endif
#include <mbedtls/error.h>    /* mbedtls_strerror, with MBEDTLS_ERROR_C */
#include <mbedtls/x509_crt.h> /* mbedtls_x509_crt_verify_info */

/* ------------------------------------------------------------------------- */
/* Exit status (the contract)                                                 */
/* ------------------------------------------------------------------------- */
enum {
    GES_CLI_EXIT_OK = 0,
    GES_CLI_EXIT_JOB_FAILED = 1, /* status failed or partiallyFailed */
    GES_CLI_EXIT_USAGE = 2,      /* usage error or invalid argument */
    GES_CLI_EXIT_SERVICE = 3,    /* non-2xx or an errorCode */
    GES_CLI_EXIT_NETWORK = 4,    /* network, TLS or certificate */
    GES_CLI_EXIT_TIMEOUT = 5,
    GES_CLI_EXIT_MALFORMED = 6, /* malformed or oversized response */
    GES_CLI_EXIT_SIGINT = 130,  /* SIGINT cancelled the request (128 + 2) */
    GES_CLI_EXIT_SIGTERM = 143  /* SIGTERM cancelled the request (128 + 15) */
};

#define GES_CLI_NAME "ges_job_status"
#define GES_CLI_DEFAULT_CA "/etc/ssl/certs/ca-certificates.crt"
#define GES_CLI_DEFAULT_TIMEOUT_MS 15000u
/* The library measures deadlines as differences of a wrapping 32-bit clock,
 * so a timeout must stay below half its range. */
#define GES_CLI_TIMEOUT_MAX 2147483647ul
#define GES_CLI_CA_MAX (1024ul * 1024ul) /* bytes of CA bundle accepted */
/* --wait alone: the library's default deadline, 30 minutes. */
#define GES_CLI_DEFAULT_WAIT_MS 1800000ul

/* ------------------------------------------------------------------------- */
/* Static storage: nothing in this program comes from the heap               */
/* ------------------------------------------------------------------------- */
/* Token plus room for one "\r\n" read from a token file, plus the NUL. In
 * AK/SK mode it holds the security token of temporary credentials. */
static char ges_cli_token[GES_TOKEN_MAX + 3];
/* AK/SK mode: the access key and the secret key. */
static char ges_cli_ak[GES_AKSK_MAX + 1];
static char ges_cli_sk[GES_AKSK_MAX + 1];
/* The AK/SK file as read: AK, SK and a security token, each with a CR/LF,
 * plus one byte to notice a file that is too long. */
static char ges_cli_aksk_file[(size_t)2 * (GES_AKSK_MAX + 2) + GES_TOKEN_MAX + 2 + 1];
/* CA bundle plus the NUL mbedtls_x509_crt_parse wants after PEM. */
static unsigned char ges_cli_ca[GES_CLI_CA_MAX + 1];
static unsigned char ges_cli_io[4096]; /* the client's one I/O buffer */
/* The proxy (--proxy, https_proxy, HTTPS_PROXY): its host and port, and
 * its credentials percent-decoded (wiped on the way out, never printed). */
static char ges_cli_proxy_host[GES_HOST_MAX + 1];
static uint16_t ges_cli_proxy_port;
static char ges_cli_proxy_user[GES_PROXY_CRED_MAX + 1];
static char ges_cli_proxy_pass[GES_PROXY_CRED_MAX + 1];
static int ges_cli_proxy_auth;        /* credentials were given */
static char ges_cli_read_buf[4096];   /* --parse: bytes read per step */
static char ges_cli_work[1024];       /* --parse: framing buffer */
static char ges_cli_stdout_buf[4096]; /* stdout's buffer (no malloc) */
static ges_parser_t ges_cli_parser;
static ges_job_status_t ges_cli_status;
static ges_job_status_t ges_cli_last; /* --wait: last status read */
static ges_client_t ges_cli_client;
/* SIGINT / SIGTERM: the signal caught (0: none), and whether the handler
 * may cancel ges_cli_client (it is initialised). */
static volatile sig_atomic_t ges_cli_signal;
static volatile sig_atomic_t ges_cli_client_up;

/** Wipe through a volatile pointer so the compiler cannot drop the stores
 *  as dead (the buffer is not read again). */
static void ges_cli_wipe(void *p, size_t n)
{
    volatile unsigned char *v = (volatile unsigned char *)p;
    while (n-- > 0) {
        *v++ = 0;
    }
}

/* ------------------------------------------------------------------------- */
/* Output: escaping and one status struct                                     */
/* ------------------------------------------------------------------------- */
/** Write `len` bytes of `s` with every control character escaped, so the
 *  value stays on one line and cannot steer a terminal:
 *    - backslash, LF, CR, TAB as backslash-backslash, backslash-n, -r, -t;
 *    - the other C0 bytes (below 0x20) and DEL (0x7F) as backslash-x and
 *      two lower-case hex digits;
 *    - the C1 controls U+0080..U+009F, in UTF-8 the two bytes 0xC2 0x80..
 *      0xC2 0x9F, as two such escapes, "\xc2\x80".."\xc2\x9f".
 *  So "\xHH" always stands for one byte of the value, and replacing each
 *  escape by its byte gives the value's bytes back. Other bytes (UTF-8
 *  from U+00A0 on) are written as they are. Values are valid UTF-8 (the
 *  library checks it and cuts on character boundaries), so a 0x80..0x9F
 *  byte after any other lead byte is a continuation, not a control. */
static void print_escaped(FILE *f, const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (c < 0x20 || c == 0x7F) {
                fprintf(f, "\\x%02x", (unsigned)c);
            } else if (c == 0xC2 && i + 1 < len &&
                       (unsigned char)s[i + 1] >= 0x80 &&
                       (unsigned char)s[i + 1] <= 0x9F) {
                i++;
                fprintf(f, "\\xc2\\x%02x", (unsigned)(unsigned char)s[i]);
            } else {
                putc(c, f);
            }
            break;
        }
    }
}

/** "name=value\n" for a string field of `len` bytes (len[] in the struct,
 *  so a decoded \u0000 is printed too) kept in char[cap]. */
static void ges_cli_print_str(FILE *f, const char *name, const char *s,
                              size_t len, size_t cap)
{
    if (len > cap - 1) { /* cannot happen; keeps a bad len inside the field */
        len = cap - 1;
    }
    fputs(name, f);
    putc('=', f);
    print_escaped(f, s, len);
    putc('\n', f);
}

/** A member is printed when it was in the answer and was not null (`st` is
 *  a ges_job_status_t or a ges_job_file_t: both have these masks). */
#define GES_CLI_SHOWN(st, bit) \
    (((st)->present & (bit)) != 0 && ((st)->null & (bit)) == 0)

/* A member: its v1.0 name, its index (GES_FI_* / GES_FE_*: the bit number
 * in the masks and the slot in len[]), where it lives, its size and kind.
 * The tables are expanded from ges_job.h's GES_JOB_FIELDS / GES_FILE_FIELDS,
 * in their order, which is the output order. */
typedef enum {
    GES_CLI_STR,
    GES_CLI_F64,
    GES_CLI_I64
} ges_cli_kind_t;
typedef struct {
    const char *name;
    size_t off;
    size_t cap;
    unsigned idx;
    ges_cli_kind_t kind;
} ges_cli_field_t;

#define GES_CLI_ROW_STR(type, i, name, m) \
    {name, offsetof(type, m), sizeof(((type *)0)->m), i, GES_CLI_STR},
#define GES_CLI_ROW_F64(type, i, name, m) \
    {name, offsetof(type, m), 0, i, GES_CLI_F64},
#define GES_CLI_ROW_I64(type, i, name, m) \
    {name, offsetof(type, m), 0, i, GES_CLI_I64},
#define GES_CLI_ROW_DETAIL(type, i, name, m) /* the sets: printed after */

/* Top-level members. print_status() adds each time's epoch after it. */
#define GES_CLI_TOP(NAME, m, k1, k2, KIND, bound) \
    GES_CLI_ROW_##KIND(ges_job_status_t, GES_FI_##NAME, k1, m)
static const ges_cli_field_t ges_cli_top_fields[] = {
    GES_JOB_FIELDS(GES_CLI_TOP)};
#define GES_CLI_N_TOP (sizeof ges_cli_top_fields / sizeof ges_cli_top_fields[0])

#if GES_PATHS_MAX > 0
/* Members of a file entry. */
#define GES_CLI_FILE(NAME, m, k1, k2, KIND, bound) \
    GES_CLI_ROW_##KIND(ges_job_file_t, GES_FE_##NAME, k1, m)
static const ges_cli_field_t ges_cli_file_fields[] = {
    GES_FILE_FIELDS(GES_CLI_FILE)};
#define GES_CLI_N_FILE (sizeof ges_cli_file_fields / sizeof ges_cli_file_fields[0])
#endif /* GES_PATHS_MAX > 0 */

#define GES_CLI_SET_NAME(NAME, k1, k2) k1,
static const char *const ges_cli_set_names[GES_SET_COUNT] = {
    GES_SETS(GES_CLI_SET_NAME)};

/** A number member "name=value\n" (jobProgress, a line count). */
static void ges_cli_print_num(FILE *f, const ges_cli_field_t *t,
                              const void *base)
{
    if (t->kind == GES_CLI_F64) {
        double v;
        memcpy(&v, (const char *)base + t->off, sizeof v);
        fprintf(f, "%s=%g\n", t->name, v);
    } else {
        int64_t v;
        memcpy(&v, (const char *)base + t->off, sizeof v);
        fprintf(f, "%s=%lld\n", t->name, (long long)v);
    }
}

/** beginEpoch / endEpoch: only for a time present, not null, and valid. */
static void ges_cli_print_epoch(FILE *f, const ges_job_status_t *st,
                                uint32_t bit, const char *name, int64_t v)
{
    if (GES_CLI_SHOWN(st, bit) && (st->invalid & bit) == 0) {
        fprintf(f, "%s=%lld\n", name, (long long)v);
    }
}

/** One name of the truncated= line; "truncated=" before the first. */
static void ges_cli_trunc_name(FILE *f, int *any, const char *set, long idx,
                               const char *name)
{
    fputs(*any ? "," : "truncated=", f);
    *any = 1;
    if (set != NULL) {
        fputs(set, f);
        if (idx >= 0) {
            fprintf(f, "[%ld].", idx);
        }
    }
    if (name != NULL) {
        fputs(name, f);
    }
}

/** The truncated= line, if anything was cut. Order: top-level fields in
 *  output order; then every set that kept fewer entries than it had (in set
 *  order); then, set by set, entry by entry, the entries' cut fields. This
 *  is the order of the contract's example
 *  "truncated=vertexsetPath,schemaPath[0].path". */
static void ges_cli_print_truncated(FILE *f, const ges_job_status_t *st)
{
    int any = 0;
    size_t i;
    unsigned s;

    for (i = 0; i < GES_CLI_N_TOP; i++) {
        if (ges_cli_top_fields[i].kind == GES_CLI_STR &&
            (st->truncated & (1u << ges_cli_top_fields[i].idx))) {
            ges_cli_trunc_name(f, &any, NULL, -1, ges_cli_top_fields[i].name);
        }
    }
    for (s = 0; s < GES_SET_COUNT; s++) {
        if (st->truncated & GES_F_SET(s)) {
            ges_cli_trunc_name(f, &any, ges_cli_set_names[s], -1, NULL);
        }
    }
#if GES_PATHS_MAX > 0
    for (s = 0; s < GES_SET_COUNT; s++) {
        const ges_job_fileset_t *set = &st->sets[s];
        uint32_t e;
        if (!GES_CLI_SHOWN(st, GES_F_SET(s))) {
            continue;
        }
        for (e = 0; e < set->kept && e < GES_PATHS_MAX; e++) {
            const ges_job_file_t *ent = &set->entries[e];
            for (i = 0; i < GES_CLI_N_FILE; i++) {
                if (ges_cli_file_fields[i].kind == GES_CLI_STR &&
                    (ent->truncated & (1u << ges_cli_file_fields[i].idx))) {
                    ges_cli_trunc_name(f, &any, ges_cli_set_names[s], (long)e,
                                       ges_cli_file_fields[i].name);
                }
            }
        }
    }
#endif
    if (any) {
        putc('\n', f);
    }
}

/** Print one status struct in the contract's format. `network_mode` adds
 *  httpStatus (when a status line was read). A single poll and --wait both
 *  print their result with it. */
static void print_status(FILE *f, const ges_job_status_t *st, int network_mode)
{
    size_t i;
    unsigned s;

    if (network_mode && st->http_status != 0) {
        fprintf(f, "httpStatus=%d\n", st->http_status);
    }
    for (i = 0; i < GES_CLI_N_TOP; i++) {
        const ges_cli_field_t *t = &ges_cli_top_fields[i];
        if (!GES_CLI_SHOWN(st, 1u << t->idx)) {
            continue; /* a time that is not shown has no epoch either */
        }
        if (t->kind != GES_CLI_STR) {
            ges_cli_print_num(f, t, st);
            continue;
        }
        ges_cli_print_str(f, t->name, (const char *)st + t->off,
                          st->len[t->idx], t->cap);
        if (t->idx == GES_FI_BEGIN_TIME) {
            ges_cli_print_epoch(f, st, GES_F_BEGIN_TIME, "beginEpoch",
                                st->begin_epoch);
        } else if (t->idx == GES_FI_END_TIME) {
            ges_cli_print_epoch(f, st, GES_F_END_TIME, "endEpoch",
                                st->end_epoch);
        }
    }

    for (s = 0; s < GES_SET_COUNT; s++) {
        const ges_job_fileset_t *set = &st->sets[s];
        const char *sname = ges_cli_set_names[s];
#if GES_PATHS_MAX > 0
        uint32_t e;
#endif
        if (!GES_CLI_SHOWN(st, GES_F_SET(s))) {
            continue;
        }
        fprintf(f, "%s.count=%lu\n", sname, (unsigned long)set->count);
#if GES_PATHS_MAX > 0
        for (e = 0; e < set->kept && e < GES_PATHS_MAX; e++) {
            const ges_job_file_t *ent = &set->entries[e];
            for (i = 0; i < GES_CLI_N_FILE; i++) {
                const ges_cli_field_t *t = &ges_cli_file_fields[i];
                if (!GES_CLI_SHOWN(ent, 1u << t->idx)) {
                    continue;
                }
                fprintf(f, "%s[%lu].", sname, (unsigned long)e);
                if (t->kind == GES_CLI_STR) {
                    ges_cli_print_str(f, t->name, (const char *)ent + t->off,
                                      ent->len[t->idx], t->cap);
                } else {
                    ges_cli_print_num(f, t, ent);
                }
            }
        }
#endif
    }
    ges_cli_print_truncated(f, st);
}

/* ------------------------------------------------------------------------- */
/* Exit status from a result                                                  */
/* ------------------------------------------------------------------------- */
/** Exit status for a library error. */
static int ges_cli_exit_for(ges_err_t e)
{
    switch (e) {
    case GES_OK:
        return GES_CLI_EXIT_OK;
    case GES_ERR_INVALID_ARG:
    case GES_ERR_BUFFER_TOO_SMALL:
        return GES_CLI_EXIT_USAGE;
    case GES_ERR_NET_CONNECT:
    case GES_ERR_NET_SEND:
    case GES_ERR_NET_RECV:
    case GES_ERR_NET_CLOSED:
    case GES_ERR_PROXY:
    case GES_ERR_TLS:
    case GES_ERR_TLS_CERT:
        return GES_CLI_EXIT_NETWORK;
    case GES_ERR_TIMEOUT:
        return GES_CLI_EXIT_TIMEOUT;
    case GES_ERR_HTTP:
    case GES_ERR_HTTP_HEADERS_TOO_LARGE:
    case GES_ERR_HTTP_BODY_TOO_LARGE:
    case GES_ERR_HTTP_FRAMING:
    case GES_ERR_HTTP_ENCODING:
    case GES_ERR_JSON_SYNTAX:
    case GES_ERR_JSON_ESCAPE:
    case GES_ERR_JSON_UTF8:
    case GES_ERR_JSON_INCOMPLETE:
    case GES_ERR_JSON_NOT_OBJECT:
    case GES_ERR_JSON_TOKENS:
    case GES_ERR_JSON_NUMBER:
    case GES_ERR_JSON_TYPE:
    case GES_ERR_JSON_DEPTH:
    case GES_ERR_JSON_TRAILING:
        return GES_CLI_EXIT_MALFORMED;
    case GES_ERR_SERVICE:
        return GES_CLI_EXIT_SERVICE;
    case GES_ERR_CANCELLED: /* only signals cancel: ges_cli_interrupted() */
    case GES_ERR_STATE:
    default:
        /* Cannot happen: only a signal cancels (handled before), and
         * nothing calls out of order. Were it to, it is a misuse, so
         * "invalid argument". */
        return GES_CLI_EXIT_USAGE;
    }
}

/** Exit status for an answer that parsed: 3 for an errorCode that is not
 *  empty, 1 for a failed or partly failed job, else 0. */
static int ges_cli_exit_for_status(const ges_job_status_t *st)
{
    if (GES_CLI_SHOWN(st, GES_F_ERROR_CODE) &&
        st->len[GES_FI_ERROR_CODE] != 0) {
        return GES_CLI_EXIT_SERVICE;
    }
    if (st->job_state == GES_JOB_FAILED ||
        st->job_state == GES_JOB_PARTIALLY_FAILED) {
        return GES_CLI_EXIT_JOB_FAILED;
    }
    return GES_CLI_EXIT_OK;
}

/** " (mbedtls -0xNNNN)", or " (mbedtls -0xNNNN: TEXT)" with mbedTLS's
 *  own text where the build keeps it (MBEDTLS_ERROR_C; Debian's
 *  libmbedtls does). For stderr: TEXT is escaped as values are, though
 *  mbedTLS's texts are plain ASCII, and may be cut to fit the buffer. */
static void ges_cli_print_tls_code(FILE *f, int t)
{
    long v = t;
    fprintf(f, " (mbedtls %s0x%04lX", v < 0 ? "-" : "",
            (unsigned long)(v < 0 ? -v : v));
#if defined(MBEDTLS_ERROR_C)
    {
        /* A high-level and a low-level text, ": "-joined: ~200 bytes. */
        char text[256];
        text[0] = '\0';
        mbedtls_strerror(t, text, sizeof text);
        text[sizeof text - 1] = '\0';
        if (text[0] != '\0') {
            fputs(": ", f);
            print_escaped(f, text, strlen(text));
        }
    }
#endif
    putc(')', f);
}

/** "ges_job_status: <text>[ (mbedtls -0xNNNN[: TEXT])][ (certificate
 *  ...)]" on stderr. `c` may be NULL (no client to ask for TLS details). */
static void ges_cli_report(ges_err_t e, const ges_client_t *c)
{
    if (ges_cli_proxy_host[0] != '\0' &&
        (e == GES_ERR_PROXY || e == GES_ERR_NET_CONNECT)) {
        /* Only the proxy is ever connected to: name it (never its
         * credentials). */
        int v6 = strchr(ges_cli_proxy_host, ':') != NULL;
        fprintf(stderr, GES_CLI_NAME ": proxy %s%s%s:%u ", v6 ? "[" : "",
                ges_cli_proxy_host, v6 ? "]" : "",
                (unsigned)ges_cli_proxy_port);
        if (e == GES_ERR_PROXY) {
            fprintf(stderr, "refused CONNECT: HTTP %d\n",
                    c != NULL ? ges_client_proxy_status(c) : 0);
        } else {
            fputs("unreachable: could not connect\n", stderr);
        }
        return;
    }
    fprintf(stderr, GES_CLI_NAME ": %s", ges_strerror(e));
    if (c != NULL && (e == GES_ERR_TLS || e == GES_ERR_TLS_CERT)) {
        int t = ges_client_tls_error(c);
        if (t != 0) {
            ges_cli_print_tls_code(stderr, t);
        }
    }
    if (c != NULL && e == GES_ERR_HTTP_ENCODING) {
        const char *k = ges_client_content_coding(c);
        fputs(" (Content-Encoding: ", stderr);
        for (; *k != '\0'; k++) { /* a header's bytes: non-ASCII as \xNN */
            unsigned char b = (unsigned char)*k;
            if (b >= 0x20 && b < 0x7F) {
                putc(b, stderr);
            } else {
                fprintf(stderr, "\\x%02x", b);
            }
        }
        putc(')', stderr);
    }
    if (c != NULL && e == GES_ERR_TLS_CERT) {
        uint32_t flags = ges_client_cert_flags(c);
        if (flags != 0) {
            char info[2048];
            size_t i, n;
            info[0] = '\0';
            /* Returns < 0 when cut; what fits is still NUL-terminated. */
            (void)mbedtls_x509_crt_verify_info(info, sizeof info, "", flags);
            info[sizeof info - 1] = '\0';
            n = strlen(info);
            while (n > 0 && info[n - 1] == '\n') {
                n--;
            }
            fprintf(stderr, " (certificate flags 0x%08lx: ",
                    (unsigned long)flags);
            for (i = 0; i < n; i++) { /* one line: "a\nb" -> "a; b" */
                if (info[i] == '\n') {
                    fputs("; ", stderr);
                } else {
                    putc(info[i], stderr);
                }
            }
            putc(')', stderr);
        }
    }
    putc('\n', stderr);
}

/* ------------------------------------------------------------------------- */
/* Files                                                                      */
/* ------------------------------------------------------------------------- */
/** read() that retries on EINTR. */
static ssize_t ges_cli_read(int fd, void *buf, size_t len)
{
    ssize_t n;
    do {
        n = read(fd, buf, len);
    } while (n < 0 && errno == EINTR);
    return n;
}

/** Read all of `path` into buf[0..cap). Returns 0 and *len; -1 on an
 *  open or read error (errno set); -2 if the file holds more than cap
 *  bytes. */
static int ges_cli_read_file(const char *path, void *buf, size_t cap,
                             size_t *len)
{
    unsigned char *b = (unsigned char *)buf;
    size_t used = 0;
    int fd, rc = 0;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    for (;;) {
        ssize_t n;
        if (used == cap) {
            unsigned char probe;
            n = ges_cli_read(fd, &probe, 1);
            if (n > 0) {
                rc = -2;
            } else if (n < 0) {
                rc = -1;
            }
            break;
        }
        n = ges_cli_read(fd, b + used, cap - used);
        if (n < 0) {
            rc = -1;
            break;
        }
        if (n == 0) {
            break;
        }
        used += (size_t)n;
    }
    if (rc == -1) {
        int saved = errno;
        (void)close(fd);
        errno = saved;
    } else {
        (void)close(fd);
    }
    *len = used;
    return rc;
}

/* ------------------------------------------------------------------------- */
/* Arguments                                                                  */
/* ------------------------------------------------------------------------- */
static void usage(FILE *f)
{
    fputs(
        "Usage: " GES_CLI_NAME " [options] PROJECT_ID GRAPH_ID JOB_ID\n"
        "       " GES_CLI_NAME " --parse FILE\n"
        "\n"
        "Ask Huawei Cloud GES (GET /v1.0/{project}/graphs/{graph}/jobs/{job}/status)\n"
        "for a job's status over HTTPS, or parse a saved response body (FILE \"-\"\n"
        "is standard input), and print it as name=value lines.\n"
        "\n"
        "Options:\n"
        "  --endpoint URL     https://host[:port] (default: $GES_ENDPOINT); host is a\n"
        "                     name, an IPv4 address or an IPv6 one in [brackets];\n"
        "                     http:// is refused, the token never travels in clear\n"
        "  --region NAME      use https://ges.NAME.myhuaweicloud.com\n"
        "                     (of --endpoint and --region, the last one wins)\n"
        "  --token-file FILE  read the IAM token from FILE (default: $GES_TOKEN);\n"
        "                     a token is never taken on the command line\n"
        "  --aksk-file FILE   sign requests with AK/SK (SDK-HMAC-SHA256) instead:\n"
        "                     FILE holds the AK, the SK and, for temporary\n"
        "                     credentials, the security token, one per line\n"
        "                     (default: $GES_AK, $GES_SK, $GES_SECURITY_TOKEN)\n"
        "  --project-id-header ID\n"
        "                     with AK/SK: also send and sign X-Project-Id: ID\n"
        "  --ca-file FILE     trusted CA certificates, PEM or DER, at most 1 MiB\n"
        "                     (default: " GES_CLI_DEFAULT_CA ")\n"
        "  --timeout-ms N     deadline of the request, 1..2147483647 (default 15000);\n"
        "                     with --wait, the deadline of each poll\n"
        "  --wait[=MS]        poll until the job's status is final or MS ms have\n"
        "                     passed (1..2147483647, default 1800000 = 30 minutes);\n"
        "                     progress goes to stderr; exit 5 when the time is up\n"
        "  --interval-ms N    with --wait: first pause between polls, 1..2147483647\n"
        "                     (default 1000; doubled after each poll, at most\n"
        "                     30000 or N if larger, up to 20% shorter at random)\n"
        "  --api VERSION      v1.0 (default) or v2: GET /v2/{project}/graphs/...;\n"
        "                     the output is the same for both\n"
        "  --proxy URL        reach GES through an HTTP CONNECT proxy,\n"
        "                     http://[USER:PASSWORD@]HOST[:PORT] (port default 1080;\n"
        "                     USER and PASSWORD percent-decoded; other schemes are\n"
        "                     refused); default $https_proxy, else $HTTPS_PROXY;\n"
        "                     --proxy \"\" connects directly. Credentials on the\n"
        "                     command line can be seen by other local users: prefer\n"
        "                     the environment\n"
        "  --noproxy LIST     comma-separated host names reached directly (a name\n"
        "                     matches itself and its subdomains, case-insensitive, a\n"
        "                     leading dot allowed; * matches every host); default\n"
        "                     $no_proxy, else $NO_PROXY\n"
        "  --parse FILE       parse a saved response body instead of asking GES\n"
        "  -h, --help         print this help and exit\n",
        f);
    /* Two strings: C99 promises string literals up to 4095 bytes only. */
    fputs(
        "\n"
        "Credentials: a token (--token-file FILE or $GES_TOKEN), or AK/SK\n"
        "(--aksk-file FILE, or $GES_AK and $GES_SK with $GES_SECURITY_TOKEN for\n"
        "temporary credentials). A file given wins over the environment; both\n"
        "files, or no file and $GES_TOKEN set together with $GES_AK/$GES_SK, is a\n"
        "usage error. The token and keys are never taken on the command line, and\n"
        "no secret is ever printed.\n"
        "\n"
        "Output: one name=value line per field present and not null, in the order\n"
        "httpStatus (network only), jobId, status, jobType, jobName, relatedGraph,\n"
        "beginTime, beginEpoch, endTime, endEpoch, jobProgress, failReason,\n"
        "errorCode, errorMessage, then for schemaPath, edgesetPath, vertexsetPath:\n"
        "SET.count=N and SET[i].path/.log/.status/.cause/.totalLines/.failedLines/\n"
        "/.successfulLines; last, truncated=NAME,... if any value was cut.\n"
        "Backslash and control characters are escaped: \\\\ \\n \\r \\t, \\xHH for\n"
        "the other bytes below 0x20 and DEL, \\xc2\\xHH for U+0080..U+009F.\n"
        "\n"
        "Exit status: 0 ok; 1 the job failed or partially failed; 2 usage error or\n"
        "invalid argument; 3 the service answered with an error; 4 network, TLS or\n"
        "certificate error, or the proxy refused CONNECT or could not be reached;\n"
        "5 timeout; 6 malformed or oversized response; 130\n"
        "SIGINT or 143 SIGTERM cancelled the request (nothing on stdout).\n"
        "With --wait the final answer is printed and sets the exit status the same\n"
        "way; 5 means the deadline passed (the last status read is printed).\n",
        f);
}

/** A usage error: the reason, then the usage text, on stderr. */
static int ges_cli_usage_error(const char *what, const char *detail)
{
    fprintf(stderr, GES_CLI_NAME ": %s%s%s\n", what,
            detail != NULL ? ": " : "", detail != NULL ? detail : "");
    usage(stderr);
    return GES_CLI_EXIT_USAGE;
}

typedef struct {
    const char *parse_file; /* non-NULL: --parse mode */
    const char *token_file;
    const char *aksk_file;
    const char *project_id_header; /* --project-id-header, or NULL */
    const char *ca_file;
    uint32_t timeout_ms;
    uint32_t wait_ms;     /* --wait: the whole wait; 0 without --wait */
    uint32_t interval_ms; /* --interval-ms: first pause; 0 if not given */
    ges_api_t api;        /* --api: path version (default v1.0) */
    char *proxy;          /* --proxy URL ("" off), NULL: not given */
    const char *noproxy;  /* --noproxy LIST, NULL: not given */
    int have_endpoint;    /* host/port set by --endpoint or --region */
    char host[GES_HOST_MAX + 1];
    uint16_t port;
    const char *pos[3]; /* PROJECT_ID GRAPH_ID JOB_ID */
    int npos;
} ges_cli_opts_t;

static int ges_cli_prefix_ci(const char *s, const char *prefix)
{
    for (; *prefix != '\0'; s++, prefix++) {
        char a = *s, b = *prefix;
        if (a >= 'A' && a <= 'Z') {
            a = (char)(a - 'A' + 'a');
        }
        if (a != b) {
            return 0;
        }
    }
    return 1;
}

static int ges_cli_is_host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '-';
}

/* A refusal of ges_cli_parse_authority(), naming what was parsed. */
static char ges_cli_why[160];

static const char *ges_cli_whyf(const char *what, const char *fmt)
{
    (void)snprintf(ges_cli_why, sizeof ges_cli_why, fmt, what);
    return ges_cli_why;
}

/** Split "host[:port][/]" (after the scheme) into host and port, *port
 *  keeping its default when no port is given. `what` names it in messages
 *  ("endpoint", "proxy"). Returns NULL, or why it is refused. */
static const char *ges_cli_parse_authority(const char *p, const char *what,
                                           char *host, uint16_t *port)
{
    const char *h = p;
    size_t hlen;
    unsigned long v = *port;

    if (*p == '[') {
        /* An IPv6 literal, https://[::1]:8443 (RFC 3986 3.2.2); the library
         * checks that it is a valid address. */
        for (h = ++p; *p != '\0' && *p != ']'; p++) {
            if (!(*p == ':' || *p == '.' || (*p >= '0' && *p <= '9') ||
                  (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F'))) {
                return ges_cli_whyf(what, "the %s's IPv6 address may only hold "
                                          "hex digits, ':' and '.' (no zone)");
            }
        }
        if (*p != ']') {
            return ges_cli_whyf(what, "the %s's IPv6 address has no closing ']'");
        }
        hlen = (size_t)(p++ - h);
    } else {
        while (*p != '\0' && *p != ':' && *p != '/') {
            if (!ges_cli_is_host_char(*p)) {
                return ges_cli_whyf(what, "the %s host may only hold A-Z a-z 0-9 . - "
                                          "(no user info, query or fragment)");
            }
            p++;
        }
        hlen = (size_t)(p - h);
    }
    if (hlen == 0) {
        return ges_cli_whyf(what, "the %s has no host");
    }
    if (hlen > GES_HOST_MAX) {
        return ges_cli_whyf(what, "the %s host is too long");
    }
    if (*p == ':') {
        int digits = 0;
        v = 0;
        for (p++; *p >= '0' && *p <= '9'; p++) {
            if (++digits > 5) {
                return ges_cli_whyf(what, "the %s port must be 1..65535");
            }
            v = v * 10 + (unsigned long)(*p - '0');
        }
        if (digits == 0 || v < 1 || v > 65535) {
            return ges_cli_whyf(what, "the %s port must be 1..65535");
        }
    }
    if (*p == '/') {
        p++;
    }
    if (*p != '\0') {
        return ges_cli_whyf(what, "the %s may have no path other than \"/\"");
    }
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    *port = (uint16_t)v;
    return NULL;
}

/** Split "https://host[:port][/]" into host and port. Returns NULL, or why
 *  the endpoint is refused. */
static const char *ges_cli_parse_endpoint(const char *url, char *host,
                                          uint16_t *port)
{
    uint16_t v = 443;
    const char *why;

    if (ges_cli_prefix_ci(url, "http://")) {
        return "an http:// endpoint is refused: the token never travels "
               "in clear";
    }
    if (!ges_cli_prefix_ci(url, "https://")) {
        return "the endpoint must be https://host[:port]";
    }
    why = ges_cli_parse_authority(url + 8, "endpoint", host, &v);
    if (why == NULL) {
        *port = v;
    }
    return why;
}

static int ges_cli_hex(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/** Percent-decode s[0, n) into out (cap bytes with the NUL). Returns 0, or
 *  -1 for a bad escape, a decoded control byte or too long a result. */
static int ges_cli_pct_decode(const char *s, size_t n, char *out, size_t cap)
{
    size_t i, k = 0;
    for (i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '%') {
            int hi = i + 2 < n ? ges_cli_hex(s[i + 1]) : -1;
            int lo = hi >= 0 ? ges_cli_hex(s[i + 2]) : -1;
            if (lo < 0) {
                return -1;
            }
            c = hi * 16 + lo;
            i += 2;
        }
        if (c < 0x20 || c == 0x7F || k + 1 >= cap) {
            return -1;
        }
        out[k++] = (char)c;
    }
    out[k] = '\0';
    return 0;
}

/** Parse a proxy URL, http://[USER[:PASSWORD]@]HOST[:PORT][/], into the
 *  ges_cli_proxy_* buffers. Returns NULL, or why it is refused (the
 *  message never holds the URL: it may carry a password). */
static const char *ges_cli_parse_proxy(const char *url)
{
    const char *a, *at, *end, *colon;
    const char *why;

    ges_cli_proxy_auth = 0;
    if (!ges_cli_prefix_ci(url, "http://")) {
        return "the proxy must be http://[USER:PASSWORD@]HOST[:PORT] "
               "(https:// and other schemes are not supported)";
    }
    a = url + 7;
    end = a + strcspn(a, "/");
    at = NULL;
    for (colon = a; colon < end; colon++) { /* the last '@' of the authority */
        if (*colon == '@') {
            at = colon;
        }
    }
    if (at != NULL) {
        colon = memchr(a, ':', (size_t)(at - a));
        if (ges_cli_pct_decode(a, (size_t)((colon != NULL ? colon : at) - a),
                               ges_cli_proxy_user, sizeof ges_cli_proxy_user) != 0 ||
            ges_cli_pct_decode(colon != NULL ? colon + 1 : at,
                               colon != NULL ? (size_t)(at - colon - 1) : 0,
                               ges_cli_proxy_pass, sizeof ges_cli_proxy_pass) != 0 ||
            strchr(ges_cli_proxy_user, ':') != NULL) {
            return "the proxy's user or password is too long, holds a control "
                   "character, a bad %XX escape, or the user a ':'";
        }
        ges_cli_proxy_auth = 1;
        a = at + 1;
    }
    ges_cli_proxy_port = 1080;
    why = ges_cli_parse_authority(a, "proxy", ges_cli_proxy_host, &ges_cli_proxy_port);
    if (why != NULL) {
        ges_cli_proxy_host[0] = '\0';
    }
    return why;
}

/** 1 if a[0, n) and b[0, n) are equal, ASCII letters in any case. */
static int ges_cli_eq_ci(const char *a, const char *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') {
            x = (char)(x - 'A' + 'a');
        }
        if (y >= 'A' && y <= 'Z') {
            y = (char)(y - 'A' + 'a');
        }
        if (x != y) {
            return 0;
        }
    }
    return 1;
}

/** 1 if `host` is in the no-proxy LIST: comma-separated names (spaces
 *  around them ignored), each matching the host itself or any subdomain
 *  at a dot boundary, case-insensitive, a leading dot allowed; "*"
 *  matches every host; an address matches only itself (an IPv6 one may be
 *  given in brackets). */
static int ges_cli_noproxy_match(const char *list, const char *host)
{
    size_t hn = strlen(host);
    /* An address (digits and dots, or a ':') matches only itself. */
    int addr = strspn(host, "0123456789.") == hn || strchr(host, ':') != NULL;
    while (*list != '\0') {
        size_t n = strcspn(list, ",");
        const char *next = list[n] == ',' ? list + n + 1 : list + n;
        while (n > 0 && (*list == ' ' || *list == '\t')) {
            list++;
            n--;
        }
        while (n > 0 && (list[n - 1] == ' ' || list[n - 1] == '\t')) {
            n--;
        }
        if (n == 1 && *list == '*') {
            return 1;
        }
        if (n >= 2 && *list == '[' && list[n - 1] == ']') {
            list++;
            n -= 2;
        }
        if (n > 0 && *list == '.') {
            list++;
            n--;
        }
        if (n > 0 && n <= hn && (n == hn || (!addr && host[hn - n - 1] == '.')) &&
            ges_cli_eq_ci(host + hn - n, list, n)) {
            return 1;
        }
        list = next;
    }
    return 0;
}

/** The first of two environment variables that is set and not empty. */
static const char *ges_cli_env2(const char *a, const char *b, const char **name)
{
    const char *v = getenv(a);
    *name = a;
    if (v == NULL || *v == '\0') {
        v = getenv(b);
        *name = b;
    }
    return v != NULL && *v != '\0' ? v : NULL;
}

/** Decide the proxy for `host`: --proxy, else https_proxy / HTTPS_PROXY,
 *  unless --noproxy (else no_proxy / NO_PROXY) lists the host. Fills the
 *  ges_cli_proxy_* buffers (host "" for none). Returns -1 when all is
 *  well, else the exit status. */
static int ges_cli_choose_proxy(const ges_cli_opts_t *o, const char *host)
{
    const char *url = o->proxy, *list = o->noproxy, *name = "--proxy";
    const char *why = NULL, *ignored;

    ges_cli_proxy_host[0] = '\0';
    if (url == NULL) {
        url = ges_cli_env2("https_proxy", "HTTPS_PROXY", &name);
    }
    if (list == NULL) {
        list = ges_cli_env2("no_proxy", "NO_PROXY", &ignored);
    }
    if (url != NULL && *url != '\0' &&
        (list == NULL || !ges_cli_noproxy_match(list, host))) {
        why = ges_cli_parse_proxy(url);
    }
    if (o->proxy != NULL) {
        /* The URL's credentials are copied: blank them in argv, so that
         * they stay visible (ps, /proc) for as short a time as possible. */
        char *p = strrchr(o->proxy, '@');
        if (p != NULL) {
            memset(o->proxy, 'x', (size_t)(p - o->proxy));
        }
    }
    if (why != NULL) {
        return ges_cli_usage_error(name, why);
    }
    return -1;
}

/** ges.NAME.myhuaweicloud.com. Returns NULL or why NAME is refused. */
static const char *ges_cli_region_host(const char *name, char *host,
                                       size_t cap)
{
    const char *p;
    int n;
    if (*name == '\0') {
        return "the region is empty";
    }
    for (p = name; *p != '\0'; p++) {
        if (!ges_cli_is_host_char(*p) || *p == '.') {
            return "a region name holds only A-Z a-z 0-9 -";
        }
    }
    n = snprintf(host, cap, "ges.%s.myhuaweicloud.com", name);
    if (n < 0 || (size_t)n >= cap) {
        return "the region name is too long";
    }
    return NULL;
}

/** Decimal 1..GES_CLI_TIMEOUT_MAX, digits only (leading zeros allowed);
 *  *out is set only when the value is accepted. Each digit is checked
 *  BEFORE it is added: "v * 10 + d" checked afterwards wraps wherever
 *  unsigned long is 32 bits ("4294967301" became 5 on armhf, issue 13).
 *  The value is kept in a uint32_t so every target does the same sums,
 *  and the 64-bit test builds catch what the 32-bit ones would. */
static int ges_cli_parse_ms(const char *s, uint32_t *out)
{
    uint32_t v = 0;
    if (*s == '\0') {
        return -1;
    }
    for (; *s != '\0'; s++) {
        uint32_t d;
        if (*s < '0' || *s > '9') {
            return -1;
        }
        d = (uint32_t)(*s - '0');
        if (v > (GES_CLI_TIMEOUT_MAX - d) / 10u) {
            return -1; /* v * 10 + d > GES_CLI_TIMEOUT_MAX */
        }
        v = v * 10u + d;
    }
    if (v == 0) {
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

/** Options taking a value, by name. */
static const char *const ges_cli_value_opts[] = {
    "--parse", "--endpoint", "--region", "--token-file", "--ca-file",
    "--timeout-ms", "--interval-ms", "--aksk-file", "--project-id-header",
    "--api", "--proxy", "--noproxy"};

/** Options a secret could be mistaken for: refused with a pointer to the
 *  file and environment ways. */
static const char *const ges_cli_secret_opts[] = {
    "--token", "--ak", "--sk", "--security-token", "--aksk"};

/** Parse argv into `o`. Returns -1 when all is well, else the exit status
 *  (0 after --help). Messages never echo a value: it could be a secret. */
static int ges_cli_parse_args(int argc, char **argv, ges_cli_opts_t *o)
{
    int i, opts_done = 0;

    memset(o, 0, sizeof *o);
    o->ca_file = GES_CLI_DEFAULT_CA;
    o->timeout_ms = GES_CLI_DEFAULT_TIMEOUT_MS;
    o->port = 443;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *eq, *val = NULL, *why;
        char name[24];
        size_t nlen, k;
        int known = 0;

        if (opts_done || a[0] != '-' || a[1] == '\0') { /* "-" is a value */
            if (o->npos == 3) {
                return ges_cli_usage_error("too many arguments", NULL);
            }
            o->pos[o->npos++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            opts_done = 1;
            continue;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return GES_CLI_EXIT_OK;
        }
        /* --name=value or --name value; the name alone goes in messages. */
        eq = strchr(a, '=');
        nlen = eq != NULL ? (size_t)(eq - a) : strlen(a);
        if (nlen < sizeof name) {
            memcpy(name, a, nlen);
            name[nlen] = '\0';
            if (strcmp(name, "--wait") == 0) {
                /* Its value is optional, so only "--wait=MS" carries one:
                 * "--wait MS" would make MS a positional argument. */
                if (eq == NULL) {
                    o->wait_ms = GES_CLI_DEFAULT_WAIT_MS;
                } else if (ges_cli_parse_ms(eq + 1, &o->wait_ms) != 0) {
                    return ges_cli_usage_error(
                        "--wait=MS wants a whole number 1..2147483647", NULL);
                }
                continue;
            }
            for (k = 0; k < sizeof ges_cli_value_opts /
                                sizeof ges_cli_value_opts[0];
                 k++) {
                if (strcmp(name, ges_cli_value_opts[k]) == 0) {
                    known = 1;
                }
            }
        }
        if (!known) {
            for (k = 0; k < sizeof ges_cli_secret_opts /
                                sizeof ges_cli_secret_opts[0];
                 k++) {
                if (nlen < sizeof name &&
                    strcmp(name, ges_cli_secret_opts[k]) == 0) {
                    return ges_cli_usage_error(
                        "secrets are never taken on the command line",
                        "use --token-file FILE or GES_TOKEN, or --aksk-file FILE "
                        "or GES_AK and GES_SK");
                }
            }
            return ges_cli_usage_error("unknown option",
                                       nlen < sizeof name ? name : NULL);
        }
        if (eq != NULL) {
            val = eq + 1;
        } else if (i + 1 < argc) {
            val = argv[++i];
        } else {
            return ges_cli_usage_error("option needs a value", name);
        }

        if (strcmp(name, "--parse") == 0) {
            if (*val == '\0') {
                return ges_cli_usage_error("empty file name", name);
            }
            o->parse_file = val;
        } else if (strcmp(name, "--endpoint") == 0) {
            why = ges_cli_parse_endpoint(val, o->host, &o->port);
            if (why != NULL) {
                return ges_cli_usage_error(why, NULL);
            }
            o->have_endpoint = 1;
        } else if (strcmp(name, "--region") == 0) {
            why = ges_cli_region_host(val, o->host, sizeof o->host);
            if (why != NULL) {
                return ges_cli_usage_error(why, NULL);
            }
            o->port = 443;
            o->have_endpoint = 1;
        } else if (strcmp(name, "--token-file") == 0) {
            if (*val == '\0') {
                return ges_cli_usage_error("empty file name", name);
            }
            o->token_file = val;
        } else if (strcmp(name, "--aksk-file") == 0) {
            if (*val == '\0') {
                return ges_cli_usage_error("empty file name", name);
            }
            o->aksk_file = val;
        } else if (strcmp(name, "--project-id-header") == 0) {
            o->project_id_header = val; /* checked in network mode */
        } else if (strcmp(name, "--ca-file") == 0) {
            if (*val == '\0') {
                return ges_cli_usage_error("empty file name", name);
            }
            o->ca_file = val;
        } else if (strcmp(name, "--api") == 0) {
            if (strcmp(val, "v1.0") == 0) {
                o->api = GES_API_V1;
            } else if (strcmp(val, "v2") == 0) {
                o->api = GES_API_V2;
            } else {
                return ges_cli_usage_error("--api wants v1.0 or v2", NULL);
            }
        } else if (strcmp(name, "--proxy") == 0) {
            o->proxy = eq != NULL ? argv[i] + (eq + 1 - a) : argv[i];
        } else if (strcmp(name, "--noproxy") == 0) {
            o->noproxy = val;
        } else if (strcmp(name, "--interval-ms") == 0) {
            if (ges_cli_parse_ms(val, &o->interval_ms) != 0) {
                return ges_cli_usage_error(
                    "--interval-ms wants a whole number 1..2147483647", NULL);
            }
        } else { /* --timeout-ms */
            if (ges_cli_parse_ms(val, &o->timeout_ms) != 0) {
                return ges_cli_usage_error(
                    "--timeout-ms wants a whole number 1..2147483647", NULL);
            }
        }
    }
    if (o->token_file != NULL && o->aksk_file != NULL) {
        return ges_cli_usage_error(
            "--token-file and --aksk-file exclude each other: choose one", NULL);
    }
    if (o->interval_ms != 0 && o->wait_ms == 0) {
        return ges_cli_usage_error("--interval-ms needs --wait", NULL);
    }
    if (o->parse_file != NULL && o->wait_ms != 0) {
        return ges_cli_usage_error("--wait asks GES: it cannot go with --parse",
                                   NULL);
    }
    if (o->parse_file != NULL) {
        if (o->npos != 0) {
            return ges_cli_usage_error("--parse takes no other arguments",
                                       NULL);
        }
    } else if (o->npos != 3) {
        return ges_cli_usage_error(
            "need PROJECT_ID GRAPH_ID JOB_ID (or --parse FILE)", NULL);
    }
    return -1;
}

/* ------------------------------------------------------------------------- */
/* --parse                                                                    */
/* ------------------------------------------------------------------------- */
static int ges_cli_run_parse(const char *path)
{
    ges_job_status_t *st = &ges_cli_status;
    unsigned long long total = 0;
    ges_err_t e = GES_OK;
    int fd, is_stdin = strcmp(path, "-") == 0;

    fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, GES_CLI_NAME ": cannot open the file to parse: %s\n",
                strerror(errno));
        return GES_CLI_EXIT_USAGE;
    }
    ges_job_status_init(st);
    ges_parser_init(&ges_cli_parser, st, ges_cli_work, sizeof ges_cli_work);
    for (;;) {
        ssize_t n = ges_cli_read(fd, ges_cli_read_buf, sizeof ges_cli_read_buf);
        if (n < 0) {
            int saved = errno;
            if (!is_stdin) {
                (void)close(fd);
            }
            fprintf(stderr, GES_CLI_NAME ": cannot read the file to parse: "
                                         "%s\n",
                    strerror(saved));
            return GES_CLI_EXIT_USAGE;
        }
        if (n == 0) {
            e = ges_parser_finish(&ges_cli_parser);
            break;
        }
        total += (unsigned long long)n;
        if (total > (unsigned long long)GES_BODY_MAX) {
            /* The same limit a body read from the network has. */
            e = GES_ERR_HTTP_BODY_TOO_LARGE;
            break;
        }
        e = ges_parser_feed(&ges_cli_parser, ges_cli_read_buf, (size_t)n);
        if (e != GES_OK) {
            break;
        }
    }
    if (!is_stdin) {
        (void)close(fd);
    }
    if (e != GES_OK) {
        if (e == GES_ERR_HTTP_BODY_TOO_LARGE) {
            ges_cli_report(e, NULL);
        } else {
            fprintf(stderr, GES_CLI_NAME ": %s (at byte %llu)\n",
                    ges_strerror(e), ges_parser_offset(&ges_cli_parser));
        }
        return ges_cli_exit_for(e);
    }
    print_status(stdout, st, 0);
    return ges_cli_exit_for_status(st);
}

/* ------------------------------------------------------------------------- */
/* Network mode                                                               */
/* ------------------------------------------------------------------------- */
/** Fill ges_cli_token from --token-file or GES_TOKEN. Returns -1 when all is
 *  well, else the exit status. */
static int ges_cli_load_token(const ges_cli_opts_t *o)
{
    size_t len = 0;

    if (o->token_file != NULL) {
        /* Room for the longest token plus one "\r\n"; the NUL goes after. */
        int rc = ges_cli_read_file(o->token_file, ges_cli_token,
                                   sizeof ges_cli_token - 1, &len);
        if (rc == -1) {
            fprintf(stderr, GES_CLI_NAME ": cannot read the token file: %s\n",
                    strerror(errno));
            return GES_CLI_EXIT_USAGE;
        }
        if (rc == 0 && len > 0 && ges_cli_token[len - 1] == '\n') {
            len--;
            if (len > 0 && ges_cli_token[len - 1] == '\r') {
                len--;
            }
        }
        if (rc == -2 || len > GES_TOKEN_MAX) {
            fprintf(stderr, GES_CLI_NAME ": the token file holds more than "
                                         "%lu bytes\n",
                    (unsigned long)GES_TOKEN_MAX);
            return GES_CLI_EXIT_USAGE;
        }
    } else {
        const char *env = getenv("GES_TOKEN");
        if (env == NULL || *env == '\0') {
            return ges_cli_usage_error(
                "no credentials: use --token-file FILE or --aksk-file FILE, "
                "or set GES_TOKEN, or GES_AK and GES_SK",
                NULL);
        }
        len = strlen(env);
        if (len > GES_TOKEN_MAX) {
            fprintf(stderr, GES_CLI_NAME ": GES_TOKEN holds more than %lu "
                                         "bytes\n",
                    (unsigned long)GES_TOKEN_MAX);
            return GES_CLI_EXIT_USAGE;
        }
        memcpy(ges_cli_token, env, len);
    }
    ges_cli_token[len] = '\0';
    if (len == 0) {
        fprintf(stderr, GES_CLI_NAME ": the token is empty\n");
        return GES_CLI_EXIT_USAGE;
    }
    if (memchr(ges_cli_token, '\0', len) != NULL) {
        /* The library takes a C string and would see a shorter token. */
        fprintf(stderr, GES_CLI_NAME ": the token holds a NUL byte\n");
        return GES_CLI_EXIT_USAGE;
    }
    /* Any other byte outside 0x21..0x7E is for ges_client_init to refuse. */
    return -1;
}

/** A non-empty environment variable, else NULL (empty counts as unset). */
static const char *ges_cli_env(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && *v != '\0' ? v : NULL;
}

/** Copy the `n` bytes of a secret into dst (at most `max` bytes, then a
 *  NUL), refusing an empty one, a long one and bytes outside printable
 *  ASCII 0x21..0x7E (what the library accepts in a header). `what` names
 *  the secret in messages; its value never appears. Returns -1 when all is
 *  well, else the exit status. */
static int ges_cli_take_secret(char *dst, size_t max, const char *src,
                               size_t n, const char *what)
{
    size_t i;
    if (n == 0) {
        fprintf(stderr, GES_CLI_NAME ": %s is empty\n", what);
        return GES_CLI_EXIT_USAGE;
    }
    if (n > max) {
        fprintf(stderr, GES_CLI_NAME ": %s holds more than %lu bytes\n", what,
                (unsigned long)max);
        return GES_CLI_EXIT_USAGE;
    }
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c < 0x21 || c > 0x7E) {
            fprintf(stderr, GES_CLI_NAME ": %s holds a byte outside printable "
                                         "ASCII (space, control or non-ASCII)\n",
                    what);
            return GES_CLI_EXIT_USAGE;
        }
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
    return -1;
}

/** Fill ges_cli_ak, ges_cli_sk and (third line, if any) ges_cli_token from
 *  an AK/SK file: "AK\nSK[\nSECURITY_TOKEN]", CR/LF line ends, trailing
 *  line ends ignored. The file's bytes are wiped once copied. Returns -1
 *  when all is well, else the exit status. */
static int ges_cli_load_aksk_file(const char *path)
{
    static const char *const what[3] = {
        "the AK (line 1 of the AK/SK file)",
        "the SK (line 2 of the AK/SK file)",
        "the security token (line 3 of the AK/SK file)"};
    char *dst[3];
    size_t max[3];
    const char *line[3];
    size_t llen[3], len = 0, start = 0, i, nlines = 0;
    int rc = ges_cli_read_file(path, ges_cli_aksk_file,
                               sizeof ges_cli_aksk_file - 1, &len);

    dst[0] = ges_cli_ak;
    dst[1] = ges_cli_sk;
    dst[2] = ges_cli_token;
    max[0] = max[1] = GES_AKSK_MAX;
    max[2] = GES_TOKEN_MAX;
    if (rc == -1) {
        fprintf(stderr, GES_CLI_NAME ": cannot read the AK/SK file: %s\n",
                strerror(errno));
        rc = GES_CLI_EXIT_USAGE;
        goto out;
    }
    if (rc == -2) {
        fprintf(stderr, GES_CLI_NAME ": the AK/SK file is too large (AK and SK "
                                     "at most %lu bytes each, security token at most %lu)\n",
                (unsigned long)GES_AKSK_MAX, (unsigned long)GES_TOKEN_MAX);
        rc = GES_CLI_EXIT_USAGE;
        goto out;
    }
    while (len > 0 && (ges_cli_aksk_file[len - 1] == '\n' ||
                       ges_cli_aksk_file[len - 1] == '\r')) {
        len--;
    }
    for (i = 0; i <= len; i++) {
        if (i == len || ges_cli_aksk_file[i] == '\n') {
            size_t n = i - start;
            if (n > 0 && ges_cli_aksk_file[start + n - 1] == '\r') {
                n--;
            }
            if (nlines == 3) {
                nlines = 4;
                break;
            }
            line[nlines] = ges_cli_aksk_file + start;
            llen[nlines++] = n;
            start = i + 1;
        }
    }
    if (nlines < 2 || nlines > 3) {
        fprintf(stderr, GES_CLI_NAME ": the AK/SK file must hold 2 or 3 lines: "
                                     "AK, SK and optionally a security token\n");
        rc = GES_CLI_EXIT_USAGE;
        goto out;
    }
    rc = -1;
    for (i = 0; i < nlines && rc < 0; i++) {
        rc = ges_cli_take_secret(dst[i], max[i], line[i], llen[i], what[i]);
    }
out:
    ges_cli_wipe(ges_cli_aksk_file, sizeof ges_cli_aksk_file);
    ges_cli_wipe(ges_cli_proxy_user, sizeof ges_cli_proxy_user);
    ges_cli_wipe(ges_cli_proxy_pass, sizeof ges_cli_proxy_pass);
    return rc;
}

/** Choose the credentials and load them: an explicit --token-file or
 *  --aksk-file wins (parse_args refused both); else the environment, where
 *  GES_TOKEN together with GES_AK or GES_SK is a usage error. *aksk is set
 *  to 1 for AK/SK (ges_cli_ak, ges_cli_sk, and ges_cli_token holding the
 *  security token or ""), 0 for a token (ges_cli_token). Returns -1 when
 *  all is well, else the exit status. */
static int ges_cli_load_credentials(const ges_cli_opts_t *o, int *aksk)
{
    const char *ak, *sk, *sts;
    int rc;

    *aksk = 0;
    ges_cli_token[0] = '\0';
    if (o->token_file != NULL) {
        return ges_cli_load_token(o);
    }
    if (o->aksk_file != NULL) {
        *aksk = 1;
        return ges_cli_load_aksk_file(o->aksk_file);
    }
    ak = ges_cli_env("GES_AK");
    sk = ges_cli_env("GES_SK");
    if (ak == NULL && sk == NULL) {
        return ges_cli_load_token(o); /* GES_TOKEN, or "no credentials" */
    }
    if (ges_cli_env("GES_TOKEN") != NULL) {
        return ges_cli_usage_error(
            "both GES_TOKEN and GES_AK/GES_SK are set",
            "unset one, or choose with --token-file FILE or --aksk-file FILE");
    }
    if (ak == NULL || sk == NULL) {
        return ges_cli_usage_error("GES_AK and GES_SK go together: set both",
                                   NULL);
    }
    *aksk = 1;
    rc = ges_cli_take_secret(ges_cli_ak, GES_AKSK_MAX, ak, strlen(ak), "GES_AK");
    if (rc < 0) {
        rc = ges_cli_take_secret(ges_cli_sk, GES_AKSK_MAX, sk, strlen(sk), "GES_SK");
    }
    sts = ges_cli_env("GES_SECURITY_TOKEN");
    if (rc < 0 && sts != NULL) {
        rc = ges_cli_take_secret(ges_cli_token, GES_TOKEN_MAX, sts, strlen(sts),
                                 "GES_SECURITY_TOKEN");
    }
    return rc;
}

/** --project-id-header: with AK/SK only, 1..GES_ID_MAX printable bytes.
 *  Returns -1 when all is well, else the exit status. */
static int ges_cli_check_project_header(const char *v, int aksk)
{
    size_t i, n;
    if (v == NULL) {
        return -1;
    }
    if (!aksk) {
        return ges_cli_usage_error(
            "--project-id-header goes with AK/SK signing",
            "use --aksk-file FILE or GES_AK and GES_SK");
    }
    n = strlen(v);
    for (i = 0; i < n; i++) {
        if ((unsigned char)v[i] < 0x21 || (unsigned char)v[i] > 0x7E) {
            break;
        }
    }
    if (n == 0 || n > GES_ID_MAX || i < n) {
        fprintf(stderr, GES_CLI_NAME ": --project-id-header wants 1..%d "
                                     "printable ASCII bytes, no spaces\n",
                GES_ID_MAX);
        return GES_CLI_EXIT_USAGE;
    }
    return -1;
}

/** Load the CA bundle into ges_cli_ca; *len counts the NUL appended after
 *  PEM. Returns -1 when all is well, else the exit status. */
static int ges_cli_load_ca(const char *path, size_t *len)
{
    size_t n = 0;
    int rc = ges_cli_read_file(path, ges_cli_ca, GES_CLI_CA_MAX, &n);
    if (rc == -1) {
        fprintf(stderr, GES_CLI_NAME ": cannot read the CA file: %s\n",
                strerror(errno));
        return GES_CLI_EXIT_USAGE;
    }
    if (rc == -2) {
        fprintf(stderr, GES_CLI_NAME ": CA file too large (over %lu bytes)\n",
                (unsigned long)GES_CLI_CA_MAX);
        return GES_CLI_EXIT_USAGE;
    }
    if (n == 0) {
        fprintf(stderr, GES_CLI_NAME ": the CA file is empty\n");
        return GES_CLI_EXIT_USAGE;
    }
    ges_cli_ca[n] = '\0';
    /* mbedtls_x509_crt_parse takes PEM with its NUL counted, DER without. */
    if (memchr(ges_cli_ca, '\0', n) == NULL &&
        strstr((const char *)ges_cli_ca, "-----BEGIN ") != NULL) {
        n++;
    }
    *len = n;
    return -1;
}

/* ------------------------------------------------------------------------- */
/* --wait                                                                     */
/* ------------------------------------------------------------------------- */
/** What the progress lines on stderr have said so far. */
typedef struct {
    int tty;       /* stderr is a terminal: one line, rewritten */
    int line_open; /* tty: a progress line is on the screen */
    int printed;   /* not a tty: a line was printed; key is valid */
    int have_last; /* a poll read a status: ges_cli_last holds it */
    /* The key of the last line printed (not a tty): a new line is printed
     * only when the status and progress, or the error, differ from it. */
    ges_err_t key_err;
    int key_http;
    int key_has_progress;
    double key_progress;
    size_t key_len;
    char key_text[GES_STATUS_MAX + GES_CODE_MAX + 2];
    /* The progress hook: a poll that takes long says which phase it is in. */
    int in_poll;         /* a poll is under way (not sleeping) */
    uint32_t poll_start; /* now_ms when it began */
    int slow_phase;      /* phase last shown for this poll, -1 none */
} ges_cli_progress_t;

/* A poll slower than this shows its phase on the progress line. */
#define GES_CLI_SLOW_POLL_MS 2000u

/* --wait's progress state: static, as the client's hook reaches it too. */
static ges_cli_progress_t ges_cli_progress;


/** The job's progress is worth showing: given, and the job has started. */
static int ges_cli_show_progress(const ges_job_status_t *st)
{
    return GES_CLI_SHOWN(st, GES_F_JOB_PROGRESS) &&
           st->job_state != GES_JOB_PENDING;
}

/** The body of a progress line, after "waiting: " and before the time:
 *  "running 50.5%" (tty) / "running (50.5%)" (not a tty), or "retrying
 *  (HTTP 503 GES.7005)" / "stopped (...)". Server text goes through
 *  print_escaped(), so it cannot move the cursor or start a new line. */
static void ges_cli_progress_what(FILE *f, const ges_job_status_t *st,
                                  ges_err_t err, int tty)
{
    if (err == GES_OK) {
        if (GES_CLI_SHOWN(st, GES_F_STATUS) && st->len[GES_FI_STATUS] != 0) {
            print_escaped(f, st->status, st->len[GES_FI_STATUS]);
        } else {
            fputs("(no status)", f);
        }
        if (ges_cli_show_progress(st)) {
            fprintf(f, tty ? " %g%%" : " (%g%%)", st->job_progress);
        }
        return;
    }
    fputs(ges_job_retryable(err, st) ? "retrying (" : "stopped (", f);
    if (err == GES_ERR_SERVICE && st->http_status != 0) {
        fprintf(f, "HTTP %d", st->http_status);
    } else {
        fputs(ges_strerror(err), f);
    }
    if (GES_CLI_SHOWN(st, GES_F_ERROR_CODE) && st->len[GES_FI_ERROR_CODE] != 0) {
        putc(' ', f);
        print_escaped(f, st->error_code, st->len[GES_FI_ERROR_CODE]);
    }
    putc(')', f);
}

/** 1 if this poll says something the last line did not (not a tty), and
 *  remember it. */
static int ges_cli_progress_changed(ges_cli_progress_t *pr,
                                    const ges_job_status_t *st, ges_err_t err)
{
    const char *text;
    size_t len = 0;
    int has_progress = 0;
    double progress = 0.0;

    if (err == GES_OK) {
        text = st->status;
        if (GES_CLI_SHOWN(st, GES_F_STATUS)) {
            len = st->len[GES_FI_STATUS];
        }
        has_progress = ges_cli_show_progress(st);
        progress = has_progress ? st->job_progress : 0.0;
    } else {
        text = st->error_code;
        if (GES_CLI_SHOWN(st, GES_F_ERROR_CODE)) {
            len = st->len[GES_FI_ERROR_CODE];
        }
    }
    if (len > sizeof pr->key_text) { /* cannot happen: both fit */
        len = sizeof pr->key_text;
    }
    if (pr->printed && pr->key_err == err && pr->key_http == st->http_status &&
        pr->key_has_progress == has_progress &&
        pr->key_progress == progress && pr->key_len == len &&
        memcmp(pr->key_text, text, len) == 0) {
        return 0;
    }
    pr->printed = 1;
    pr->key_err = err;
    pr->key_http = st->http_status;
    pr->key_has_progress = has_progress;
    pr->key_progress = progress;
    pr->key_len = len;
    memcpy(pr->key_text, text, len);
    return 1;
}

/** ges_wait_config_t.on_poll: keep the last status read, report progress on
 *  stderr. Never cancels. */
static int ges_cli_on_poll(void *ctx, const ges_job_status_t *st,
                           ges_err_t err, uint32_t elapsed_ms)
{
    ges_cli_progress_t *pr = (ges_cli_progress_t *)ctx;
    unsigned long s = (unsigned long)(elapsed_ms / 1000u);
    unsigned long tenths = (unsigned long)(elapsed_ms % 1000u / 100u);

    pr->in_poll = 0; /* the next hook call starts the next poll */
    if (err == GES_OK) {
        memcpy(&ges_cli_last, st, sizeof ges_cli_last);
        pr->have_last = 1;
    }
    if (pr->tty) {
        /* Back to the start of the line, clear it, write the new state. */
        fputs("\r\033[Kwaiting: ", stderr);
        ges_cli_progress_what(stderr, st, err, 1);
        fprintf(stderr, " %lu.%lus", s, tenths);
        pr->line_open = 1;
    } else if (ges_cli_progress_changed(pr, st, err)) {
        fputs("waiting: ", stderr);
        ges_cli_progress_what(stderr, st, err, 0);
        fprintf(stderr, " after %lu.%lus\n", s, tenths);
    }
    (void)fflush(stderr);
    return 0;
}

/* ------------------------------------------------------------------------- */
/* SIGINT and SIGTERM cancel the request                                      */
/* ------------------------------------------------------------------------- */
/** Async-signal-safe: two stores (ges_client_cancel() stores one flag). */
static void ges_cli_on_signal(int sig)
{
    ges_cli_signal = sig;
    if (ges_cli_client_up) {
        ges_client_cancel(&ges_cli_client);
    }
}

/** Catch SIGINT and SIGTERM for the network modes (--parse keeps the
 *  default: there is no request to cancel). No SA_RESTART: a wait the
 *  signal interrupts is resumed by the port for the time left, and the
 *  client sees the cancel at its next slice. */
static void ges_cli_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = ges_cli_on_signal;
    (void)sigemptyset(&sa.sa_mask);
    (void)sigaction(SIGINT, &sa, NULL);
    (void)sigaction(SIGTERM, &sa, NULL);
}

/** After a call: a signal cancelled it. Says so on stderr and returns the
 *  exit status, else -1. */
static int ges_cli_interrupted(ges_err_t e)
{
    int sig = (int)ges_cli_signal;
    if (e != GES_ERR_CANCELLED || sig == 0) {
        return -1;
    }
    fprintf(stderr, GES_CLI_NAME ": interrupted by %s: request cancelled\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    return sig == SIGINT ? GES_CLI_EXIT_SIGINT : GES_CLI_EXIT_SIGTERM;
}

static const char *const ges_cli_phase_names[] = {
    "resolving", "connecting", "handshaking", "sending", "receiving", "sleeping",
    "proxy"};

/** ges_client_config_t.on_progress with --wait: when a poll has taken more
 *  than GES_CLI_SLOW_POLL_MS, say which phase it is in (once per phase),
 *  on stderr like the other progress lines. */
static void ges_cli_on_progress(void *ctx, ges_phase_t phase, uint32_t left_ms)
{
    ges_cli_progress_t *pr = (ges_cli_progress_t *)ctx;
    const ges_port_t *pt = ges_port_posix();
    uint32_t now = pt->now_ms(pt->ctx), took;

    (void)left_ms;
    if (phase == GES_PHASE_SLEEPING) {
        pr->in_poll = 0;
        return;
    }
    if (!pr->in_poll) {
        pr->in_poll = 1;
        pr->poll_start = now;
        pr->slow_phase = -1;
    }
    took = now - pr->poll_start;
    if (took < GES_CLI_SLOW_POLL_MS || (int)phase == pr->slow_phase ||
        (unsigned)phase >= sizeof ges_cli_phase_names / sizeof ges_cli_phase_names[0]) {
        return;
    }
    pr->slow_phase = (int)phase;
    fprintf(stderr, "%swaiting: slow poll, %s after %lu.%lus%s",
            pr->tty ? "\r\033[K" : "", ges_cli_phase_names[phase],
            (unsigned long)(took / 1000u), (unsigned long)(took % 1000u / 100u),
            pr->tty ? "" : "\n");
    if (pr->tty) {
        pr->line_open = 1;
    }
    (void)fflush(stderr);
}

/** Poll with ges_job_wait() until the status is final, then print it as a
 *  single poll would. Returns the exit status. */
static int ges_cli_run_wait(const ges_cli_opts_t *o)
{
    ges_wait_config_t wc;
    ges_cli_progress_t *pr = &ges_cli_progress;
    ges_job_status_t *st = &ges_cli_status;
    ges_err_t e;
    int rc;

    memset(pr, 0, sizeof *pr);
    pr->tty = isatty(STDERR_FILENO);
    ges_wait_config_init(&wc);
    wc.deadline_ms = o->wait_ms;
    if (o->interval_ms != 0) {
        wc.interval_ms = o->interval_ms;
        /* The library caps every pause, the first included: a first
         * interval over the default cap raises the cap to it. */
        if (wc.max_interval_ms < o->interval_ms) {
            wc.max_interval_ms = o->interval_ms;
        }
    }
    wc.on_poll = ges_cli_on_poll;
    wc.ctx = pr;
    ges_job_status_init(st);
    e = ges_job_wait(&ges_cli_client, o->pos[0], o->pos[1], o->pos[2], &wc,
                     st);
    if (pr->line_open) {
        putc('\n', stderr); /* the last state stays on the screen */
    }
    rc = ges_cli_interrupted(e);
    if (rc >= 0) {
        return rc; /* nothing on stdout */
    }
    if (e == GES_ERR_TIMEOUT) {
        /* The last poll may have read nothing (its own timeout, a network
         * error) or a retried error answer: print the last status read if
         * any poll read one, else whatever the last poll left. */
        print_status(stdout, pr->have_last ? &ges_cli_last : st, 1);
        fprintf(stderr, GES_CLI_NAME ": the job was not finished when the "
                                     "wait's %lu ms were up\n",
                (unsigned long)o->wait_ms);
        return GES_CLI_EXIT_TIMEOUT;
    }
    /* A final status, or the answer that ended the wait: as a single poll. */
    print_status(stdout, st, 1);
    if (e != GES_OK) {
        ges_cli_report(e, &ges_cli_client);
        return ges_cli_exit_for(e);
    }
    return ges_cli_exit_for_status(st);
}

static int ges_cli_run_network(const ges_cli_opts_t *o)
{
    static const char *const id_names[3] = {"PROJECT_ID", "GRAPH_ID",
                                            "JOB_ID"};
    ges_client_config_t cfg;
    ges_job_status_t *st = &ges_cli_status;
    const char *host = o->host;
    uint16_t port = o->port;
    char env_host[GES_HOST_MAX + 1];
    size_t ca_len = 0;
    ges_err_t e;
    int i, rc, aksk = 0;

    for (i = 0; i < 3; i++) {
        size_t n = strlen(o->pos[i]);
        if (n == 0 || n > GES_ID_MAX) {
            fprintf(stderr, GES_CLI_NAME ": %s must be 1..%d bytes\n",
                    id_names[i], GES_ID_MAX);
            return GES_CLI_EXIT_USAGE;
        }
    }
    if (!o->have_endpoint) {
        const char *env = getenv("GES_ENDPOINT");
        const char *why;
        if (env == NULL || *env == '\0') {
            return ges_cli_usage_error(
                "no endpoint: use --endpoint URL, --region NAME or set "
                "GES_ENDPOINT",
                NULL);
        }
        why = ges_cli_parse_endpoint(env, env_host, &port);
        if (why != NULL) {
            return ges_cli_usage_error("GES_ENDPOINT", why);
        }
        host = env_host;
    }
    rc = ges_cli_choose_proxy(o, host);
    if (rc >= 0) {
        return rc;
    }
    rc = ges_cli_load_credentials(o, &aksk);
    if (rc >= 0) {
        return rc;
    }
    rc = ges_cli_check_project_header(o->project_id_header, aksk);
    if (rc >= 0) {
        return rc;
    }
    rc = ges_cli_load_ca(o->ca_file, &ca_len);
    if (rc >= 0) {
        return rc;
    }

    ges_client_config_init(&cfg);
    cfg.host = host;
    cfg.port = port;
    if (aksk) {
        cfg.ak = ges_cli_ak;
        cfg.sk = ges_cli_sk;
        cfg.security_token = ges_cli_token[0] != '\0' ? ges_cli_token : NULL;
        cfg.project_id_header = o->project_id_header;
    } else {
        cfg.token = ges_cli_token;
    }
    cfg.ca_pem = ges_cli_ca;
    cfg.ca_pem_len = ca_len;
    cfg.platform = ges_port_posix();
    cfg.io_buf = ges_cli_io;
    cfg.io_buf_len = sizeof ges_cli_io;
    cfg.timeout_ms = o->timeout_ms;
    cfg.api_version = o->api;
    if (ges_cli_proxy_host[0] != '\0') {
        cfg.proxy_host = ges_cli_proxy_host;
        cfg.proxy_port = ges_cli_proxy_port;
        if (ges_cli_proxy_auth) {
            cfg.proxy_user = ges_cli_proxy_user;
            cfg.proxy_password = ges_cli_proxy_pass;
        }
    }
    if (o->wait_ms != 0) {
        cfg.on_progress = ges_cli_on_progress; /* a slow poll shows its phase */
        cfg.progress_ctx = &ges_cli_progress;
    }

    e = ges_client_init(&ges_cli_client, &cfg);
    if (e != GES_OK) {
        ges_cli_report(e, &ges_cli_client);
        ges_client_free(&ges_cli_client);
        return ges_cli_exit_for(e);
    }
    /* From here a signal cancels the client; one caught before (while the
     * files were read) cancels it now, so the call returns at once. */
    ges_cli_client_up = 1;
    if (ges_cli_signal != 0) {
        ges_client_cancel(&ges_cli_client);
    }
    if (o->wait_ms != 0) {
        rc = ges_cli_run_wait(o);
        ges_cli_client_up = 0;
        ges_client_free(&ges_cli_client);
        return rc;
    }
    ges_job_status_init(st);
    e = ges_job_get_status(&ges_cli_client, o->pos[0], o->pos[1], o->pos[2],
                           st);
    ges_cli_client_up = 0;
    rc = ges_cli_interrupted(e);
    if (rc >= 0) {
        ges_client_free(&ges_cli_client);
        return rc; /* nothing on stdout */
    }
    /* On GES_ERR_SERVICE the error fields are filled; on other errors only
     * httpStatus may be: print whatever there is. */
    print_status(stdout, st, 1);
    if (e != GES_OK) {
        ges_cli_report(e, &ges_cli_client);
        rc = ges_cli_exit_for(e);
    } else {
        rc = ges_cli_exit_for_status(st);
    }
    ges_client_free(&ges_cli_client);
    return rc;
}

/* ------------------------------------------------------------------------- */
/* main                                                                       */
/* ------------------------------------------------------------------------- */
static int ges_cli_run(int argc, char **argv)
{
    ges_cli_opts_t o;
    int rc = ges_cli_parse_args(argc, argv, &o);
    if (rc >= 0) {
        return rc;
    }
    if (o.parse_file != NULL) {
        return ges_cli_run_parse(o.parse_file);
    }
    ges_cli_catch_signals();
    return ges_cli_run_network(&o);
}

int main(int argc, char **argv)
{
    int rc;

    /* A static buffer, so stdio does not malloc one for stdout. */
    (void)setvbuf(stdout, ges_cli_stdout_buf, _IOFBF, sizeof ges_cli_stdout_buf);
    rc = ges_cli_run(argc, argv);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, GES_CLI_NAME ": error writing standard output\n");
    }
    /* Every way out of the program passes here. */
    ges_cli_wipe(ges_cli_token, sizeof ges_cli_token);
    ges_cli_wipe(ges_cli_ak, sizeof ges_cli_ak);
    ges_cli_wipe(ges_cli_sk, sizeof ges_cli_sk);
    ges_cli_wipe(ges_cli_aksk_file, sizeof ges_cli_aksk_file);
    return rc;
}
