/*
 * The CLI's own code (examples/ges_job_status.c) without a network: the
 * numeric options, the endpoint parser, the argument parser and the stdout
 * escaping. The program is included with its main() renamed, so its static
 * functions are reachable (as the library's tests include ges_job.c).
 *
 * It is built for the host by `make test` and for 32-bit ARM by
 * `make test-armhf` (tests/embedded/armhf.sh, under qemu-arm): there
 * `unsigned long` is 32 bits, which is where an unchecked "v * 10 + d"
 * wrapped "--wait=4294967301" to 5 ms (issue 13).
 */
#define main ges_cli_main
#include "../examples/ges_job_status.c"
#undef main

#include "harness.h"

#include <stdarg.h>
#include <sys/stat.h>

/* ------------------------------------------------------------------------- */
/* Helpers                                                                    */
/* ------------------------------------------------------------------------- */
/** fd 1 and fd 2 sent elsewhere while the CLI's code prints (usage text),
 *  so the log holds only the harness's lines; stdout is measured. */
typedef struct {
    int saved_out, saved_err;
    FILE *out;
} quiet_t;

static void quiet_begin(quiet_t *q)
{
    int null_fd;
    (void)fflush(stdout);
    (void)fflush(stderr);
    q->out = tmpfile();
    q->saved_out = dup(STDOUT_FILENO);
    q->saved_err = dup(STDERR_FILENO);
    null_fd = open("/dev/null", O_WRONLY);
    if (q->out != NULL) {
        (void)dup2(fileno(q->out), STDOUT_FILENO);
    }
    if (null_fd >= 0) {
        (void)dup2(null_fd, STDERR_FILENO);
        (void)close(null_fd);
    }
}

/** Restore fd 1 and 2; returns the bytes written to stdout meanwhile. */
static long quiet_end(quiet_t *q)
{
    struct stat sb;
    long n = -1;
    (void)fflush(stdout);
    (void)fflush(stderr);
    (void)dup2(q->saved_out, STDOUT_FILENO);
    (void)dup2(q->saved_err, STDERR_FILENO);
    (void)close(q->saved_out);
    (void)close(q->saved_err);
    if (q->out != NULL) {
        if (fstat(fileno(q->out), &sb) == 0) {
            n = (long)sb.st_size;
        }
        (void)fclose(q->out);
    }
    return n;
}

/** ges_cli_parse_args on a NULL-terminated list (argv[0] added); stdout
 *  and stderr silenced. *out_bytes: what went to stdout. */
static int parse_args(ges_cli_opts_t *o, long *out_bytes, const char *a0, ...)
{
    char *argv[16];
    int argc = 0, rc;
    quiet_t q;
    va_list ap;
    const char *a;

    argv[argc++] = (char *)(uintptr_t) "ges_job_status";
    va_start(ap, a0);
    for (a = a0; a != NULL && argc < 15; a = va_arg(ap, const char *)) {
        argv[argc++] = (char *)(uintptr_t)a;
    }
    va_end(ap);
    argv[argc] = NULL;
    quiet_begin(&q);
    rc = ges_cli_parse_args(argc, argv, o);
    *out_bytes = quiet_end(&q);
    return rc;
}

/* ------------------------------------------------------------------------- */
/* Numbers of milliseconds                                                    */
/* ------------------------------------------------------------------------- */
/* Refused: 0, the first values past 2^31 - 1, and values that an unsigned
 * long of 32 bits wraps into range (4294967296 + 5 -> 5, 2^32 + 1 -> 1,
 * 2 * 2^32 + 5 -> 5, and a wrapped value followed by more digits). */
static const char *const ms_refused[] = {
    "", "0", "00", "-1", "+5", " 5", "5 ", "5x", "0x10", "1e3",
    "2147483648", "2147483649", "2147483650", "2147483657", "3000000000",
    "4294967295", "4294967296", "4294967297", "4294967300", "4294967301",
    "4294967302", "4294969296", "8589934597", "12884901893", "21474836470",
    "21474836479", "42949673010", "42949672961", "99999999999",
    "18446744073709551621", "18446744073709551616",
    "99999999999999999999999999999999999999999"};

static void test_parse_ms_refuses_overflow(void)
{
    size_t i;
    for (i = 0; i < sizeof ms_refused / sizeof ms_refused[0]; i++) {
        uint32_t v = 12345;
        int rc = ges_cli_parse_ms(ms_refused[i], &v);
        if (rc != -1 || v != 12345) {
            fprintf(stderr, "  \"%s\" -> rc %d, value %lu\n", ms_refused[i],
                    rc, (unsigned long)v);
        }
        CHECK(rc == -1);
        CHECK(v == 12345); /* untouched on refusal */
    }
}

static void test_parse_ms_accepts_range(void)
{
    static const struct {
        const char *s;
        uint32_t v;
    } ok[] = {
        {"1", 1u},
        {"5", 5u},
        {"15000", 15000u},
        {"1800000", 1800000u},
        {"214748364", 214748364u},
        {"2147483639", 2147483639u},
        {"2147483640", 2147483640u},
        {"2147483646", 2147483646u},
        {"2147483647", 2147483647u},
        {"0002147483647", 2147483647u},
        {"00000000000000000000001", 1u},
    };
    size_t i;
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        uint32_t v = 0;
        CHECK_EQ(ges_cli_parse_ms(ok[i].s, &v), 0);
        CHECK_EQ(v, ok[i].v);
    }
}

/** The three options through the whole argument parser: exit 2 and nothing
 *  on stdout for each refused value, the value itself at the limit. */
static void test_args_ms_options(void)
{
    static const char *const bad[] = {"4294967301", "4294967297",
                                      "2147483648", "0", "8589934597"};
    char wait_opt[40];
    ges_cli_opts_t o;
    long out = 0;
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        (void)snprintf(wait_opt, sizeof wait_opt, "--wait=%s", bad[i]);
        CHECK_EQ(parse_args(&o, &out, wait_opt, "p", "g", "j", NULL), 2);
        CHECK_EQ(out, 0);
        CHECK_EQ(parse_args(&o, &out, "--timeout-ms", bad[i], "p", "g", "j",
                            NULL),
                 2);
        CHECK_EQ(out, 0);
        (void)snprintf(wait_opt, sizeof wait_opt, "--timeout-ms=%s", bad[i]);
        CHECK_EQ(parse_args(&o, &out, wait_opt, "p", "g", "j", NULL), 2);
        CHECK_EQ(out, 0);
        CHECK_EQ(parse_args(&o, &out, "--wait", "--interval-ms", bad[i], "p",
                            "g", "j", NULL),
                 2);
        CHECK_EQ(out, 0);
    }
    CHECK_EQ(parse_args(&o, &out, "--wait=2147483647", "--interval-ms",
                        "2147483647", "--timeout-ms", "2147483647", "p", "g",
                        "j", NULL),
             -1);
    CHECK_EQ(o.wait_ms, 2147483647u);
    CHECK_EQ(o.interval_ms, 2147483647u);
    CHECK_EQ(o.timeout_ms, 2147483647u);
    CHECK_EQ(parse_args(&o, &out, "--wait", "p", "g", "j", NULL), -1);
    CHECK_EQ(o.wait_ms, GES_CLI_DEFAULT_WAIT_MS);
    CHECK_EQ(o.timeout_ms, GES_CLI_DEFAULT_TIMEOUT_MS);
}

/* ------------------------------------------------------------------------- */
/* Endpoints                                                                  */
/* ------------------------------------------------------------------------- */
static void test_endpoint_ports(void)
{
    static const char *const bad[] = {
        "https://h:0", "https://h:65536", "https://h:99999", "https://h:100000",
        "https://h:4294967297", "https://h:4294967739", "https://h:",
        "https://h:-1", "https://h:+443", "https://[::1]:65536",
        "https://[::1]:4294967297", "https://h:18446744073709551617"};
    char host[GES_HOST_MAX + 1];
    uint16_t port = 7;
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(ges_cli_parse_endpoint(bad[i], host, &port) != NULL);
        CHECK_EQ(port, 7);
    }
    CHECK(ges_cli_parse_endpoint("https://h:65535", host, &port) == NULL);
    CHECK_EQ(port, 65535);
    CHECK(ges_cli_parse_endpoint("https://h:1/", host, &port) == NULL);
    CHECK_EQ(port, 1);
    CHECK(ges_cli_parse_endpoint("https://h", host, &port) == NULL);
    CHECK_EQ(port, 443);
}

/* ------------------------------------------------------------------------- */
/* Escaping of values (stdout)                                                */
/* ------------------------------------------------------------------------- */
static char esc_out[512];

/** print_escaped(s, len) into esc_out (NUL-terminated). */
static const char *escaped(const char *s, size_t len)
{
    FILE *f = tmpfile();
    size_t n = 0;
    esc_out[0] = '\0';
    if (f == NULL) {
        return "(no tmpfile)";
    }
    print_escaped(f, s, len);
    rewind(f);
    n = fread(esc_out, 1, sizeof esc_out - 1, f);
    esc_out[n] = '\0';
    (void)fclose(f);
    return esc_out;
}

/** What one byte alone becomes: the rule as README states it. */
static void expected_byte(unsigned c, char *buf, size_t cap)
{
    if (c == '\\') {
        (void)snprintf(buf, cap, "\\\\");
    } else if (c == '\n') {
        (void)snprintf(buf, cap, "\\n");
    } else if (c == '\r') {
        (void)snprintf(buf, cap, "\\r");
    } else if (c == '\t') {
        (void)snprintf(buf, cap, "\\t");
    } else if (c < 0x20 || c == 0x7F) {
        (void)snprintf(buf, cap, "\\x%02x", c);
    } else {
        buf[0] = (char)c;
        buf[1] = '\0';
    }
}

/* Every byte alone: C0 and DEL as \xHH, the four short forms, the rest as
 * it is (a lone byte >= 0x80 is not a control: only U+0080..U+009F are). */
static void test_escape_each_byte(void)
{
    unsigned c;
    char want[8], in[1];
    for (c = 0; c < 256; c++) {
        in[0] = (char)c;
        expected_byte(c, want, sizeof want);
        if (strcmp(escaped(in, 1), want) != 0) {
            fprintf(stderr, "  byte 0x%02x\n", c);
        }
        CHECK_STR(escaped(in, 1), want);
    }
}

/* Two-byte UTF-8 after 0xC2: U+0080..U+009F (C1 controls) escaped byte by
 * byte, \xc2\xHH, so un-escaping gives the value's bytes back; U+00A0 and
 * above as they are. */
static void test_escape_c1(void)
{
    unsigned c;
    char want[16], in[2];
    for (c = 0x80; c < 0xC0; c++) {
        in[0] = (char)0xC2;
        in[1] = (char)c;
        if (c <= 0x9F) {
            (void)snprintf(want, sizeof want, "\\xc2\\x%02x", c);
        } else {
            want[0] = (char)0xC2;
            want[1] = (char)c;
            want[2] = '\0';
        }
        CHECK_STR(escaped(in, 2), want);
    }
    /* Continuation bytes 0x80..0x9F after another lead are not C1. */
    CHECK_STR(escaped("\xc3\x80\xc4\x9f\xe2\x80\xa8\xe2\x82\xac", 10),
              "\xc3\x80\xc4\x9f\xe2\x80\xa8\xe2\x82\xac");
    CHECK_STR(escaped("\xf0\x9f\x98\x80", 4), "\xf0\x9f\x98\x80");
    /* Mixed, and the length bounds the look-ahead: a final 0xC2 whose next
     * byte lies past len is written as it is. */
    CHECK_STR(escaped("a\x7f\xc2\x85\xc2\xa0\x01\\z", 9),
              "a\\x7f\\xc2\\x85\xc2\xa0\\x01\\\\z");
    CHECK_STR(escaped("\xc2\xc2\x9f", 3), "\xc2\\xc2\\x9f");
    CHECK_STR(escaped("x\xc2\x80", 2), "x\xc2");
    CHECK_STR(escaped("", 0), "");
}

/* ------------------------------------------------------------------------- */
/* mbedTLS codes in messages (stderr)                                         */
/* ------------------------------------------------------------------------- */
static char report_out[4096];

/** ges_cli_report(e, c) with stderr captured into report_out; stdout's
 *  byte count returned (the report must write none). */
static long report(ges_err_t e, const ges_client_t *c)
{
    quiet_t q;
    int fd, saved;
    FILE *f = tmpfile();
    size_t n = 0;
    long out;
    report_out[0] = '\0';
    if (f == NULL) {
        return -1;
    }
    quiet_begin(&q);
    saved = dup(STDERR_FILENO);
    fd = fileno(f);
    (void)dup2(fd, STDERR_FILENO);
    ges_cli_report(e, c);
    (void)fflush(stderr);
    (void)dup2(saved, STDERR_FILENO);
    (void)close(saved);
    out = quiet_end(&q);
    rewind(f);
    n = fread(report_out, 1, sizeof report_out - 1, f);
    report_out[n] = '\0';
    (void)fclose(f);
    return out;
}

/* The code, then mbedTLS's own text where the build keeps its texts
 * (MBEDTLS_ERROR_C; Debian's libmbedtls does), on one stderr line. */
static void test_report_mbedtls_text(void)
{
    static ges_client_t c;                           /* zeroed: only the two fields below are read */
    c.tls_err = MBEDTLS_ERR_X509_CERT_VERIFY_FAILED; /* -0x2700 */
    c.cert_flags = MBEDTLS_X509_BADCERT_CN_MISMATCH;
    CHECK_EQ(report(GES_ERR_TLS_CERT, &c), 0);
#if defined(MBEDTLS_ERROR_C)
    CHECK(strstr(report_out, " (mbedtls -0x2700: X509 - Certificate "
                             "verification failed") != NULL);
#else
    CHECK(strstr(report_out, " (mbedtls -0x2700) (certificate flags ") != NULL);
#endif
    CHECK(strstr(report_out, "(certificate flags 0x00000004: ") != NULL);
    CHECK(strncmp(report_out, "ges_job_status: ", 16) == 0);
    CHECK(strchr(report_out, '\n') == report_out + strlen(report_out) - 1);

    c.tls_err = MBEDTLS_ERR_SSL_CONN_EOF;
    c.cert_flags = 0;
    CHECK_EQ(report(GES_ERR_TLS, &c), 0);
#if defined(MBEDTLS_ERROR_C)
    CHECK(strstr(report_out, " (mbedtls -0x7280: SSL - ") != NULL);
#else
    CHECK(strstr(report_out, " (mbedtls -0x7280)\n") != NULL);
#endif
    CHECK(strstr(report_out, "certificate flags") == NULL);

    /* Other errors name no mbedTLS code. */
    c.tls_err = MBEDTLS_ERR_SSL_CONN_EOF;
    CHECK_EQ(report(GES_ERR_NET_CONNECT, &c), 0);
    CHECK(strstr(report_out, "mbedtls") == NULL);
    CHECK_EQ(report(GES_ERR_TLS, NULL), 0);
    CHECK(strstr(report_out, "mbedtls") == NULL);
}

/* ------------------------------------------------------------------------- */
/* The proxy: --noproxy matching, the proxy URL, argv blanked                 */
/* ------------------------------------------------------------------------- */
static void test_noproxy_match(void)
{
    static const struct {
        const char *list, *host;
        int want;
    } t[] = {
        {"example.com", "example.com", 1},
        {"example.com", "a.example.com", 1},
        {"example.com", "a.b.example.com", 1},
        {"example.com", "evil-example.com", 0}, /* a dot boundary only */
        {"example.com", "example.com.evil", 0},
        {"example.com", "xample.com", 0},
        {".example.com", "example.com", 1}, /* a leading dot allowed */
        {".example.com", "a.example.com", 1},
        {"EXAMPLE.Com", "a.example.COM", 1}, /* case-insensitive */
        {"*", "anything.at.all", 1},
        {"a.test, example.com ,b.test", "x.example.com", 1},
        {"a.test,,b.test", "example.com", 0},
        {"", "example.com", 0},
        {" * ", "x", 1},
        {"*.example.com", "a.example.com", 0}, /* no globs: "*" alone only */
        {"localhost", "localhost", 1},
        {"host", "localhost", 0},
        {"127.0.0.1", "127.0.0.1", 1},
        {"0.0.1", "127.0.0.1", 0}, /* an address matches only itself */
        {"1", "127.0.0.1", 0},
        {"::1", "fe80::1", 0},
        {"[::1]", "::1", 1},
        {"::1", "::1", 1},
        {"example.com", "", 0},
    };
    size_t i;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        if (ges_cli_noproxy_match(t[i].list, t[i].host) != t[i].want) {
            fprintf(stderr, "noproxy \"%s\" host \"%s\"\n", t[i].list, t[i].host);
            CHECK_EQ(ges_cli_noproxy_match(t[i].list, t[i].host), t[i].want);
        }
    }
}

static void test_proxy_url(void)
{
    static const struct {
        const char *url, *host;
        unsigned port;
        int auth;
        const char *user, *pass;
    } ok[] = {
        {"http://proxy.example", "proxy.example", 1080, 0, "", ""},
        {"HTTP://proxy.example:3128/", "proxy.example", 3128, 0, "", ""},
        {"http://10.0.0.1:8080", "10.0.0.1", 8080, 0, "", ""},
        {"http://[::1]:3128", "::1", 3128, 0, "", ""},
        {"http://u:p@h:1", "h", 1, 1, "u", "p"},
        {"http://us%20er:p%40ss%3Aw@h", "h", 1080, 1, "us er", "p@ss:w"},
        {"http://u@h", "h", 1080, 1, "u", ""},
        {"http://a@b:c@h", "h", 1080, 1, "a@b", "c"}, /* the last '@' ends it */
        {"http://:@h", "h", 1080, 1, "", ""},
        {"http://u:p%C3%A4@h", "h", 1080, 1, "u", "p\xc3\xa4"},
    };
    static const char *const bad[] = {
        "https://proxy.example",
        "socks5://proxy.example",
        "proxy.example:3128",
        "http://",
        "http://h:0",
        "http://h:65536",
        "http://h/path",
        "http://u%3Ax:p@h",
        "http://u:%zz@h",
        "http://u:%0a@h",
        "http://u:p%@h",
        "http://[::1",
        "http://h h",
        "ftp://h",
    };
    size_t i;
    for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        const char *why = ges_cli_parse_proxy(ok[i].url);
        CHECK(why == NULL);
        if (why != NULL) fprintf(stderr, "%s: %s\n", ok[i].url, why);
        CHECK_STR(ges_cli_proxy_host, ok[i].host);
        CHECK_EQ(ges_cli_proxy_port, ok[i].port);
        CHECK_EQ(ges_cli_proxy_auth, ok[i].auth);
        if (ok[i].auth) {
            CHECK_STR(ges_cli_proxy_user, ok[i].user);
            CHECK_STR(ges_cli_proxy_pass, ok[i].pass);
        }
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *why = ges_cli_parse_proxy(bad[i]);
        CHECK(why != NULL);
        if (why == NULL) fprintf(stderr, "accepted: %s\n", bad[i]);
        if (why != NULL) CHECK(strstr(why, "%zz") == NULL && strstr(why, "u:p") == NULL);
    }
}

/* --proxy URL: the credentials are copied and blanked in argv; --proxy ""
 * and a --noproxy match leave no proxy; a bad URL is a usage error. */
static void test_proxy_choice(void)
{
    char url[] = "http://user:secret@proxy.test:3128";
    char empty[] = "";
    ges_cli_opts_t o;
    quiet_t q;
    memset(&o, 0, sizeof o);
    o.proxy = url;
    CHECK_EQ(ges_cli_choose_proxy(&o, "ges.example.com"), -1);
    CHECK_STR(ges_cli_proxy_host, "proxy.test");
    CHECK_STR(ges_cli_proxy_user, "user");
    CHECK_STR(ges_cli_proxy_pass, "secret");
    CHECK(strstr(url, "secret") == NULL && strstr(url, "user") == NULL);
    CHECK_STR(url + strlen(url) - 16, "@proxy.test:3128");
    o.noproxy = "example.com";
    CHECK_EQ(ges_cli_choose_proxy(&o, "ges.example.com"), -1);
    CHECK_STR(ges_cli_proxy_host, "");
    o.noproxy = NULL;
    o.proxy = empty;
    CHECK_EQ(ges_cli_choose_proxy(&o, "ges.example.com"), -1);
    CHECK_STR(ges_cli_proxy_host, "");
    {
        char https[] = "https://proxy.test";
        o.proxy = https;
        quiet_begin(&q);
        CHECK_EQ(ges_cli_choose_proxy(&o, "ges.example.com"), GES_CLI_EXIT_USAGE);
        (void)quiet_end(&q);
    }
}

int main(void)
{
    RUN(test_parse_ms_refuses_overflow);
    RUN(test_parse_ms_accepts_range);
    RUN(test_args_ms_options);
    RUN(test_endpoint_ports);
    RUN(test_escape_each_byte);
    RUN(test_escape_c1);
    RUN(test_report_mbedtls_text);
    RUN(test_noproxy_match);
    RUN(test_proxy_url);
    RUN(test_proxy_choice);
    return harness_done();
}
