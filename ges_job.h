/*
 * ges_job - ask Huawei Cloud Graph Engine Service (GES) how an asynchronous
 * job is doing, in bounded memory, without a heap.
 *
 *   GET /v1.0/{project_id}/graphs/{graph_id}/jobs/{job_id}/status
 *   GET /v2/{project_id}/graphs/{graph_id}/jobs/{job_id}/status
 *       (ges_client_config_t.api_version = GES_API_V2)
 *
 * SPDX-License-Identifier: MIT
 *
 * ---------------------------------------------------------------------------
 * READ THIS FIRST
 * ---------------------------------------------------------------------------
 * Two files carry the library: this header and ges_job.c. Add ges_job.c to
 * your build, put jsmn's <jsmn.h> (Debian: libjsmn-dev) and, unless
 * GES_CONFIG_NO_TLS is set, mbedTLS's headers on the include path, and link
 * mbedTLS (mbedtls, mbedx509, mbedcrypto).
 *
 * Ownership. The caller owns every byte: the client, the I/O buffer, the
 * result struct, the CA bytes and the token. The library keeps no global or
 * static mutable state and its own code never allocates. mbedTLS allocates
 * during a handshake; see ges_port_t.tls_calloc.
 *
 * Errors. Every public function that can fail returns ges_err_t: GES_OK (0)
 * on success, a negative code otherwise; ges_strerror() gives static text
 * that never contains request data or secrets.
 *
 * Truncation is never silent. A value that did not fit its field is cut at
 * the field's bound (on a UTF-8 character boundary) and a bit is set in the
 * `truncated` mask of the struct that holds it; a set with more entries than
 * GES_PATHS_MAX keeps the first ones, records the true count and sets its
 * bit in ges_job_status_t.truncated. Truncation is not an error: the call
 * returns GES_OK and ges_job_truncated() says whether anything was cut.
 *
 * Data path (one direction; each stage knows only the next one):
 *   request writer -> port (sockets, clock) -> TLS (mbedTLS) -> HTTP reader
 *   -> JSON framer + jsmn -> field table -> your ges_job_status_t
 * ges_parser_*() and ges_job_parse() enter at the JSON stage, so a body that
 * came by any other transport can be parsed with the same code.
 *
 * Quick start (POSIX port from port/posix):
 * @code{c}
 *   static unsigned char io[2048];
 *   ges_client_t client;
 *   ges_client_config_t cfg;
 *   ges_job_status_t st;
 *   ges_client_config_init(&cfg);
 *   cfg.host = "ges.cn-north-4.myhuaweicloud.com";
 *   cfg.token = token;               // must outlive the client
 *   cfg.ca_pem = ca; cfg.ca_pem_len = ca_len;  // PEM, NUL included
 *   cfg.platform = ges_port_posix(); // port/posix/ges_port_posix.h, or yours
 *   cfg.io_buf = io; cfg.io_buf_len = sizeof io;
 *   if (ges_client_init(&client, &cfg) == GES_OK) {
 *       ges_err_t e = ges_job_get_status(&client, project, graph, job, &st);
 *       if (e == GES_OK && ges_job_status_is_terminal(st.job_state)) {
 *           // done: st.job_state is GES_JOB_SUCCESS, _FAILED...
 *       }
 *       ges_client_free(&client);    // closes and wipes secrets
 *   }
 * @endcode
 */
#ifndef GES_JOB_H
#define GES_JOB_H

/* ------------------------------------------------------------------------- */
/* Version                                                                    */
/* ------------------------------------------------------------------------- */
#define GES_VERSION_MAJOR 0
#define GES_VERSION_MINOR 1
#define GES_VERSION_PATCH 0
/** 0xMMmmpp00, comparable like MBEDTLS_VERSION_NUMBER. */
#define GES_VERSION_NUMBER 0x00010000UL
#define GES_VERSION_STRING "0.1.0"

/* ------------------------------------------------------------------------- */
/* Configuration                                                              */
/*                                                                            */
/* Define GES_CONFIG_FILE as a quoted file name ("my_ges_config.h") to set    */
/* any of the macros below in one place, or pass them with -D. Each default   */
/* is given with its range; impossible values stop the build in ges_job.c     */
/* (section 1, "Configuration checks"), as do 0/1 switches set to anything    */
/* else and an mbedTLS configuration that lacks a module the client needs     */
/* (see GES_CONFIG_NO_TLS). README.md, "Bounds", lists them all.              */
/* Lengths are in bytes of UTF-8 and exclude the terminating NUL: a field     */
/* declared with bound N is a char[N + 1].                                    */
/* ------------------------------------------------------------------------- */
#ifdef GES_CONFIG_FILE
#include GES_CONFIG_FILE
#endif

/** Longest project, graph or job ID accepted as an argument, and the size of
 *  the jobId field. GES IDs are 32 hex digits. Range 8..1024. Default 64. */
#ifndef GES_ID_MAX
#define GES_ID_MAX 64
#endif
/** status strings (job and per-file). Range 16..256. Default 24. */
#ifndef GES_STATUS_MAX
#define GES_STATUS_MAX 24
#endif
/** jobType, jobName, relatedGraph. Range 8..4096. Default 64. */
#ifndef GES_NAME_MAX
#define GES_NAME_MAX 64
#endif
/** beginTime, endTime ("2018-11-27T21:39:00" is 19). Range 19..64. Default 24. */
#ifndef GES_TIME_MAX
#define GES_TIME_MAX 24
#endif
/** errorCode ("GES.7007", "APIG.0301"). Range 8..256. Default 32. */
#ifndef GES_CODE_MAX
#define GES_CODE_MAX 32
#endif
/** failReason, errorMessage. Range 8..65535. Default 256. */
#ifndef GES_TEXT_MAX
#define GES_TEXT_MAX 256
#endif
/** path and log of a file entry (OBS object paths). Range 8..65535. Default 128. */
#ifndef GES_PATH_MAX
#define GES_PATH_MAX 128
#endif
/** cause of a file entry. Range 8..65535. Default 128. */
#ifndef GES_CAUSE_MAX
#define GES_CAUSE_MAX 128
#endif
/** File entries kept per set (schemaPath, edgesetPath, vertexsetPath); the
 *  true count is always recorded. Range 0..1024. Default 4. */
#ifndef GES_PATHS_MAX
#define GES_PATHS_MAX 4
#endif
/** jsmn tokens per framed piece of JSON (on the stack of the function that
 *  hands a piece to jsmn, 16 bytes each). The framer closes a piece before it needs more, so this
 *  bounds work per piece, not the document. Range 3..1024. Default 24. */
#ifndef GES_JSON_MAX_TOKENS
#define GES_JSON_MAX_TOKENS 24
#endif
/** Deepest nesting of JSON accepted anywhere in a document (skipped values
 *  included); deeper is GES_ERR_JSON_DEPTH. Range 4..64. Default 32. */
#ifndef GES_JSON_MAX_DEPTH
#define GES_JSON_MAX_DEPTH 32
#endif
/** Most body bytes read, whatever the framing, and most bytes one parser
 *  takes through ges_parser_feed(); more is GES_ERR_HTTP_BODY_TOO_LARGE.
 *  Chunked framing (size lines, CRLFs) has the same budget of its own, so a
 *  flood of 1-byte chunks cannot stretch what is read past twice this. The
 *  body is parsed as it arrives, so this is a limit on work and time, not
 *  on memory. Range 1024..2^31 - 1. Default 32 MiB. */
#ifndef GES_BODY_MAX
#define GES_BODY_MAX (32UL * 1024UL * 1024UL)
#endif
/** Most bytes of status line plus headers accepted in one response (all 1xx
 *  answers included, and the trailer lines after a chunked body: they count
 *  against the same budget); more is GES_ERR_HTTP_HEADERS_TOO_LARGE. Range
 *  256..1048576. Default 16 KiB. */
#ifndef GES_HTTP_HEADERS_MAX
#define GES_HTTP_HEADERS_MAX 16384UL
#endif
/** Longest token accepted (IAM tokens are several KiB), and longest security
 *  token of temporary AK/SK credentials; longer is GES_ERR_INVALID_ARG from
 *  ges_client_init(). The token is streamed through the I/O buffer, so this
 *  does not size any buffer of the library (the CLI keeps a copy of this
 *  size). Range 64..1048576. Default 32 KiB. */
#ifndef GES_TOKEN_MAX
#define GES_TOKEN_MAX 32768UL
#endif
/** Longest access key (AK) and secret key (SK) accepted; longer is
 *  GES_ERR_INVALID_ARG from ges_client_init(). Sizes the Authorization
 *  header built on the stack of a signed request (about 160 bytes plus
 *  this). Huawei Cloud's AKs are 20 bytes, SKs 40. Range 16..1024.
 *  Default 128. */
#ifndef GES_AKSK_MAX
#define GES_AKSK_MAX 128
#endif
/** Longest endpoint host name. Range 16..253. Default 128. */
#ifndef GES_HOST_MAX
#define GES_HOST_MAX 128
#endif
/** Longest Content-Encoding name kept to name it in GES_ERR_HTTP_ENCODING
 *  messages (a longer one ends in "..."). Range 8..64. Default 15. */
#ifndef GES_CODING_MAX
#define GES_CODING_MAX 15
#endif
/** Smallest I/O buffer ges_client_init() accepts. With it, every answer is
 *  parsed correctly (the parse does not depend on the buffer size); a larger
 *  buffer means fewer TLS reads and fewer JSON pieces. 512 is comfortable,
 *  1024 and up changes little. Range 64..65536. Default 128. */
#ifndef GES_IO_BUF_MIN
#define GES_IO_BUF_MIN 128
#endif
/** Work buffer of ges_job_parse(), on its stack: the framing buffer it
 *  gives its ges_parser_t (see ges_parser_init()'s `work`). Any size gives
 *  the same results; the default lets a typical member or file entry reach
 *  jsmn whole, a smaller one means more, smaller pieces. Range 1..65536.
 *  Default 256. */
#ifndef GES_PARSE_WORK
#define GES_PARSE_WORK 256
#endif
/** Longest time, in ms, the client lets one port call wait (net_send,
 *  net_recv, sleep_ms, and net_connect_tick between two ticks) before it
 *  calls the progress hook (ges_client_config_t.on_progress) again: the
 *  longest gap between two hook calls while the client waits for the
 *  network or sleeps between polls. The cost: a wait that goes on longer
 *  is cut into port calls of this length, each one more wake-up (a poll()
 *  on POSIX; 20 a second at the default), and one hook call each. Range
 *  1..1000. Default 50. */
#ifndef GES_WAIT_SLICE_MS
#define GES_WAIT_SLICE_MS 50
#endif
/** Set to 0 to build without the HTTP CONNECT proxy (ges_client_config_t
 *  proxy_host...): saves its code (see README "Flash and RAM") and
 *  GES_HOST_MAX + 1 bytes of RAM per client; a config that names a proxy is
 *  then GES_ERR_INVALID_ARG. Default 1. */
#ifndef GES_PROXY
#define GES_PROXY 1
#endif
/** Longest proxy user name, and longest proxy password, accepted (each).
 *  Range 1..1024. Default 128. */
#ifndef GES_PROXY_CRED_MAX
#define GES_PROXY_CRED_MAX 128
#endif
/** Most bytes of the proxy's answer to CONNECT (status line and headers up
 *  to the blank line, 1xx answers included); more is
 *  GES_ERR_HTTP_HEADERS_TOO_LARGE. Range 64..65536. Default 4096. */
#ifndef GES_PROXY_HEAD_MAX
#define GES_PROXY_HEAD_MAX 4096
#endif
/** Set to 0 to build without the error sentences: ges_strerror() then
 *  returns "E" and the code's value instead ("E0" for GES_OK, "E-15" for
 *  GES_ERR_PROXY), and "E?" for a value that is no ges_err_t; saves about
 *  600 bytes of flash on Cortex-M4 (see README "Memory, stack, flash").
 *  Nothing else changes. 0 or 1. Default 1. */
#ifndef GES_ERROR_TEXTS
#define GES_ERROR_TEXTS 1
#endif
/** Set to 1 to build only the parser and HTTP reader, without mbedTLS and
 *  without the client API (for measuring, or for callers with their own
 *  transport feeding ges_parser_feed()). 0 or 1. Default 0.
 *
 *  With 0, mbedTLS (2.28 or 3.x) must be configured with the modules the
 *  client uses, or the build stops with an #error naming the missing one:
 *  MBEDTLS_SSL_TLS_C and MBEDTLS_SSL_CLI_C (a TLS client),
 *  MBEDTLS_SSL_PROTO_TLS1_2 (or, with GES_CONFIG_TLS13=1,
 *  MBEDTLS_SSL_PROTO_TLS1_3), MBEDTLS_SSL_SERVER_NAME_INDICATION (the
 *  host name is sent and checked), MBEDTLS_X509_CRT_PARSE_C (the CA and
 *  the server's certificate), MBEDTLS_CTR_DRBG_C (the random generator,
 *  seeded from the port's entropy) and MBEDTLS_SHA256_C (AK/SK signing).
 *  A PEM CA also needs MBEDTLS_PEM_PARSE_C (DER does not). */
#ifndef GES_CONFIG_NO_TLS
#define GES_CONFIG_NO_TLS 0
#endif

/** Set to 1 to let mbedTLS 3.x negotiate TLS 1.3 (when it was built with
 *  it). 0 or 1. Default 0 caps at TLS 1.2, as with mbedTLS 2.28: a 3.x
 *  client that also offers TLS 1.3 advertises RSA-PSS, which mbedTLS
 *  cannot verify under TLS 1.2, so a TLS 1.2-only server with an RSA
 *  certificate would fail the handshake (-0x6600). With 1, session
 *  tickets of TLS 1.3 are kept for resumption. No effect with mbedTLS
 *  2.x. */
#ifndef GES_CONFIG_TLS13
#define GES_CONFIG_TLS13 0
#endif

/** How ges_job.c includes jsmn, as an #include operand: <jsmn.h> (Debian's
 *  libjsmn-dev, or any jsmn on the include path) by default; for example
 *  "third_party/jsmn/jsmn.h" for a copy of your own. ges_job.c defines
 *  JSMN_STATIC and JSMN_STRICT first, so jsmn stays private to ges_job.c
 *  and cannot clash with the application's own jsmn. Only ges_job.c uses
 *  it. Default <jsmn.h>. */
#ifndef GES_JSMN_INCLUDE
#define GES_JSMN_INCLUDE <jsmn.h>
#endif

/** GES_ASSERT(x): checks an internal invariant of ges_job.c (never input:
 *  bad input is an error code). Define it as your platform's assert to
 *  stop on a library bug, e.g. in your GES_CONFIG_FILE
 *  `#include <assert.h>` and `#define GES_ASSERT(x) assert(x)`, or
 *  configASSERT(x) on FreeRTOS. It must accept any scalar expression; the
 *  library never relies on its side effects. Default: a no-op that
 *  evaluates nothing and costs nothing. */
#ifndef GES_ASSERT
#define GES_ASSERT(x) ((void)sizeof(x))
#endif

/* ------------------------------------------------------------------------- */
/* Fixed limits                                                               */
/*                                                                            */
/* Not configuration: the library's code is written for these values. Each   */
/* says what happens at the limit; none ever cuts anything silently.          */
/* ------------------------------------------------------------------------- */
/** Longest chunk-size line of a chunked answer (hex size, then optional
 *  ";extensions"), CRLF excluded. A longer line is GES_ERR_HTTP_FRAMING
 *  (extensions are not used by GES; a size needs at most 8 hex digits under
 *  GES_BODY_MAX). The bytes of these lines count against GES_BODY_MAX's
 *  framing budget, trailer lines against GES_HTTP_HEADERS_MAX. */
#define GES_HTTP_CHUNK_LINE_MAX 49
/** Most further headers ges_sign_request() signs (ges_sign_request_t.
 *  n_headers), besides host and x-sdk-date; more is GES_ERR_INVALID_ARG. */
#define GES_SIGN_HEADERS_MAX 8
/** Most query parameters ges_sign_request() signs ("a=1&b" is two); more
 *  is GES_ERR_INVALID_ARG. */
#define GES_SIGN_QUERY_MAX 16
/** Most path segments ges_sign_request() signs ("/v1.0/p/graphs/g" is
 *  four); more is GES_ERR_INVALID_ARG. The job-status path has seven. */
#define GES_SIGN_SEGMENTS_MAX 32

#include <stddef.h>
#include <stdint.h>

#if !GES_CONFIG_NO_TLS
#include <mbedtls/ssl.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/x509_crt.h>
#include <signal.h> /* sig_atomic_t, for ges_client_cancel() */
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------- */
/* Errors                                                                     */
/* ------------------------------------------------------------------------- */
/**
 * One error type for the whole library. 0 is success; errors are negative
 * and grouped by the stage that failed. The CLI's exit code for each is in
 * brackets. Each value lists the public functions that return it ("Returned
 * by"); each function's @return lists the values it returns
 * (tests/doc_reference.py checks that the two lists agree). The parser's
 * errors are sticky: ges_parser_feed() and ges_parser_finish() repeat the
 * first error on every later call.
 */
typedef enum {
    /** Success. Returned by every function that returns ges_err_t. */
    GES_OK = 0,

    /* Arguments and buffers [2] */
    /** NULL, empty, too long, or unsafe argument (ID ".", "..", token with
     *  CR/LF...); nothing was sent. Returned by: ges_client_init(),
     *  ges_job_get_status(), ges_job_wait(), ges_parser_feed(),
     *  ges_parser_finish(), ges_job_parse(), ges_job_parse_response(),
     *  ges_parse_time(), ges_sign_request(), ges_sdk_date(). */
    GES_ERR_INVALID_ARG = -1,
    /** A caller's buffer is too small: the I/O buffer under GES_IO_BUF_MIN
     *  (ges_client_init()), or the Authorization buffer for the signature
     *  (ges_sign_request()). Returned by: ges_client_init(),
     *  ges_sign_request(). */
    GES_ERR_BUFFER_TOO_SMALL = -2,

    /* Network [4], timeout [5] */
    /** Name resolution or connect failed. Returned by:
     *  ges_job_get_status() (ges_job_wait() retries it until its
     *  deadline, then returns GES_ERR_TIMEOUT). */
    GES_ERR_NET_CONNECT = -10,
    /** Sending failed. Returned by: ges_job_get_status() (retried by
     *  ges_job_wait()). */
    GES_ERR_NET_SEND = -11,
    /** Receiving failed (reset...). Returned by: ges_job_get_status()
     *  (retried by ges_job_wait()). */
    GES_ERR_NET_RECV = -12,
    /** The peer closed before the answer ended, or a response given whole
     *  was cut short. Returned by: ges_job_get_status() (retried by
     *  ges_job_wait()), ges_job_parse_response(). */
    GES_ERR_NET_CLOSED = -13,
    /** The request's deadline (ges_client_config_t.timeout_ms) or the
     *  wait's (ges_wait_config_t.deadline_ms) passed. Returned by:
     *  ges_job_get_status(), ges_job_wait(). */
    GES_ERR_TIMEOUT = -14,
    /** The HTTP proxy refused the tunnel: its answer to CONNECT was not
     *  2xx; ges_client_proxy_status() has the status (407: credentials
     *  missing or refused). Returned by: ges_job_get_status(),
     *  ges_job_wait() (not retried). */
    GES_ERR_PROXY = -15,

    /* TLS [4] */
    /** TLS setup, handshake or record error; ges_client_tls_error() has
     *  mbedTLS's code. At init: the CA did not parse, the random generator
     *  could not be seeded, or mbedTLS's setup failed. Returned by:
     *  ges_client_init(), ges_job_get_status(), ges_job_wait(). */
    GES_ERR_TLS = -20,
    /** The server's certificate failed verification (CA, name or dates);
     *  ges_client_cert_flags() has the flags. Returned by:
     *  ges_job_get_status(), ges_job_wait(). */
    GES_ERR_TLS_CERT = -21,

    /* HTTP framing [6] */
    /** Malformed status line or header, or bytes after a whole response.
     *  Returned by: ges_job_get_status(), ges_job_wait(),
     *  ges_job_parse_response(). */
    GES_ERR_HTTP = -30,
    /** Status line and headers (1xx answers and trailers included) over
     *  GES_HTTP_HEADERS_MAX. Returned by: ges_job_get_status(),
     *  ges_job_wait(), ges_job_parse_response(). */
    GES_ERR_HTTP_HEADERS_TOO_LARGE = -31,
    /** Body (or chunk framing) over GES_BODY_MAX; the bytes up to the
     *  bound were parsed first. Returned by: ges_job_get_status(),
     *  ges_job_wait(), ges_job_parse_response(), ges_job_parse(),
     *  ges_parser_feed(), ges_parser_finish() (repeated: sticky). */
    GES_ERR_HTTP_BODY_TOO_LARGE = -32,
    /** Invalid or conflicting Content-Length, bad chunk size or chunk
     *  framing (a chunk-size line over GES_HTTP_CHUNK_LINE_MAX included).
     *  Returned by: ges_job_get_status(), ges_job_wait(),
     *  ges_job_parse_response(). */
    GES_ERR_HTTP_FRAMING = -33,
    /** A 2xx answer with a Content-Encoding other than identity (gzip...):
     *  the client asks for identity and does not decompress;
     *  ges_client_content_coding() names it. Returned by:
     *  ges_job_get_status(), ges_job_wait(), ges_job_parse_response(). */
    GES_ERR_HTTP_ENCODING = -34,

    /* Service [3] */
    /** Non-2xx answer (redirects included), or a 2xx whose errorCode is
     *  not empty; the error fields are filled when the body had them.
     *  Returned by: ges_job_get_status(), ges_job_wait() (which retries
     *  408, 429, 500, 502, 503, 504 and the retry-later codes),
     *  ges_job_parse_response(). */
    GES_ERR_SERVICE = -40,

    /* JSON [6]: each returned by ges_job_get_status(), ges_job_wait(),
     * ges_job_parse_response(), ges_job_parse() and ges_parser_feed(), and
     * repeated by ges_parser_finish() (sticky); GES_ERR_JSON_INCOMPLETE is
     * also ges_parser_finish()'s own. */
    /** Not JSON (grammar, literals, commas...). Returned by: see above. */
    GES_ERR_JSON_SYNTAX = -50,
    /** Invalid escape, or a \u escape that is not a valid code point (lone
     *  surrogate). Returned by: see above. */
    GES_ERR_JSON_ESCAPE = -51,
    /** Invalid UTF-8 in a string. Returned by: see above. */
    GES_ERR_JSON_UTF8 = -52,
    /** The document ended early, or a bracket closes the wrong kind of
     *  container (unbalanced). Returned by: see above. */
    GES_ERR_JSON_INCOMPLETE = -53,
    /** The top level is not an object. Returned by: see above. */
    GES_ERR_JSON_NOT_OBJECT = -54,
    /** jsmn ran out of tokens for one piece: cannot happen with the
     *  framer's budget, kept as a defensive check. Returned by: see above
     *  (never expected). */
    GES_ERR_JSON_TOKENS = -55,
    /** A number is not valid for its field: a line count that is not an
     *  integer (1.5; but 1e6 and 25.0 are integers) or outside int64, a
     *  progress above the largest double (underflow rounds, to 0 or a
     *  subnormal). Returned by: see above. */
    GES_ERR_JSON_NUMBER = -56,
    /** A known field has the wrong JSON type. Returned by: see above. */
    GES_ERR_JSON_TYPE = -57,
    /** Nesting deeper than GES_JSON_MAX_DEPTH. Returned by: see above. */
    GES_ERR_JSON_DEPTH = -58,
    /** Non-space bytes after the document. Returned by: see above. */
    GES_ERR_JSON_TRAILING = -59,

    /* Other */
    /** ges_client_cancel() was called, or ges_wait_config_t.on_poll asked
     *  to stop; the connection is closed. Returned by:
     *  ges_job_get_status(), ges_job_wait(). */
    GES_ERR_CANCELLED = -70,
    /** Call out of order: ges_parser_feed() or ges_parser_finish() after a
     *  successful ges_parser_finish(). Returned by: ges_parser_feed(),
     *  ges_parser_finish(). */
    GES_ERR_STATE = -71
} ges_err_t;

/**
 * Static English text for an error code, for logs and people; with
 * GES_ERROR_TEXTS=0, "E" and the code's value ("E-15") instead.
 * @param[in] err any value; one that is not a ges_err_t gives
 *                "unknown error" ("E?" with GES_ERROR_TEXTS=0).
 * @return a static NUL-terminated string, distinct for each code; never
 *         NULL, never request data or secrets.
 */
const char *ges_strerror(ges_err_t err);

/* ------------------------------------------------------------------------- */
/* The job's status                                                           */
/* ------------------------------------------------------------------------- */
/** Job status. The raw string is kept too (ges_job_status_t.status). */
typedef enum {
    GES_JOB_UNKNOWN = 0,     /**< absent, null, or a value we do not know. */
    GES_JOB_PENDING,         /**< "pending" (or "waiting"). */
    GES_JOB_RUNNING,         /**< "running". */
    GES_JOB_SUCCESS,         /**< "success" (or "complete"). Terminal. */
    GES_JOB_FAILED,          /**< "failed". Terminal. */
    GES_JOB_PARTIALLY_FAILED /**< "partiallyFailed". Terminal. */
} ges_job_state_t;

/**
 * Whether a job state is final.
 * @param[in] s a job state (ges_job_status_t.job_state).
 * @return 1 when no further change is expected (success, failed,
 *         partiallyFailed), 0 otherwise, unknown included: a poller keeps
 *         polling an unknown value.
 */
int ges_job_status_is_terminal(ges_job_state_t s);

/** Status of one imported file. Note the spelling: files say "partFailed". */
typedef enum {
    GES_FILE_UNKNOWN = 0, /**< absent, null or another value. */
    GES_FILE_SUCCESS,     /**< "success". */
    GES_FILE_FAILED,      /**< "failed". */
    GES_FILE_PART_FAILED  /**< "partFailed". */
} ges_file_state_t;

/* ------------------------------------------------------------------------- */
/* The schema: every member the library keeps, in one list                   */
/*                                                                            */
/* GES_JOB_FIELDS (the answer's top level) and GES_FILE_FIELDS (one entry of  */
/* schemaPath / edgesetPath / vertexsetPath) are X-macros. Everything that    */
/* depends on the list of fields is expanded from them: the struct members,   */
/* the GES_FI_* / GES_FE_* indexes (the bit numbers in present / null /       */
/* truncated, and the slots of len[]), the size of len[], where the set bits  */
/* start, the longest key the parser must hold, ges_job.c's field table, the  */
/* CLI's output table and the tables of the fuzzers, tests and benchmarks.    */
/* ges_job.c checks at compile time that every index and bit fits its mask,  */
/* every bound fits len[]'s uint16_t and every key fits the parser's key.     */
/*                                                                            */
/* A row is X(NAME, member, "v1.0 key", "v2 key", KIND, bound):               */
/*   NAME    gives GES_FI_NAME / GES_FE_NAME, and GES_F(NAME) / GES_FF(NAME)  */
/*   member  the struct member                                                */
/*   KIND    STR: char member[bound + 1] with a len[] slot; F64: double;      */
/*           I64: int64_t; DETAIL: jobDetail alone (its sets live in `sets`)  */
/*   bound   STR only (0 otherwise): longest value kept, 1..65535             */
/* Rows are in output order (the CLI prints them in this order).             */
/*                                                                            */
/* Adding a field (the whole procedure; tests/test_schema.c does exactly     */
/* this with jobCategory and checks present, null, len and truncated):       */
/*   1. Append one row with GES_JOB_FIELDS_EXTRA (or GES_FILE_FIELDS_EXTRA)  */
/*      in your GES_CONFIG_FILE, so the library and every file that includes */
/*      ges_job.h see the same struct:                                        */
/*        #define GES_JOB_FIELDS_EXTRA(X) \                                   */
/*            X(JOB_CATEGORY, job_category, "jobCategory", "job_category", \  */
/*              STR, 32)                                                      */
/*      (or, in this repository, add the row at the end of the list below).  */
/*   2. Nothing else: its index, bit, len[] slot, parsing, validation, the   */
/*      CLI line (name=value, and the truncated= line) and the fuzzers'      */
/*      round trip follow. GES_F_SET() moves up by one bit: use the macros,  */
/*      never the numbers. A field with a derived value (as status gives     */
/*      job_state) needs code in ges__value_reset / ges__value_str_done too. */
/*   The build stops (ges_job.c) when there are more than 32 bits, a bound   */
/*   over 65535, or a key longer than GES__KEY_MAX could hold.               */
/* ------------------------------------------------------------------------- */
#ifndef GES_JOB_FIELDS_EXTRA
#define GES_JOB_FIELDS_EXTRA(X)
#endif
#ifndef GES_FILE_FIELDS_EXTRA
#define GES_FILE_FIELDS_EXTRA(X)
#endif

#define GES_JOB_FIELDS(X)                                                       \
    X(JOB_ID, job_id, "jobId", "job_id", STR, GES_ID_MAX)                       \
    X(STATUS, status, "status", "status", STR, GES_STATUS_MAX)                  \
    X(JOB_TYPE, job_type, "jobType", "job_type", STR, GES_NAME_MAX)             \
    X(JOB_NAME, job_name, "jobName", "job_name", STR, GES_NAME_MAX)             \
    X(RELATED_GRAPH, related_graph, "relatedGraph", "related_graph", STR,       \
      GES_NAME_MAX)                                                             \
    X(BEGIN_TIME, begin_time, "beginTime", "begin_time", STR, GES_TIME_MAX)     \
    X(END_TIME, end_time, "endTime", "end_time", STR, GES_TIME_MAX)             \
    X(JOB_PROGRESS, job_progress, "jobProgress", "job_progress", F64, 0)        \
    X(FAIL_REASON, fail_reason, "failReason", "fail_reason", STR, GES_TEXT_MAX) \
    X(ERROR_CODE, error_code, "errorCode", "error_code", STR, GES_CODE_MAX)     \
    X(ERROR_MESSAGE, error_message, "errorMessage", "error_msg", STR,           \
      GES_TEXT_MAX)                                                             \
    X(JOB_DETAIL, job_detail, "jobDetail", "job_detail", DETAIL, 0)             \
    GES_JOB_FIELDS_EXTRA(X)

#define GES_FILE_FIELDS(X)                                               \
    X(PATH, path, "path", "path", STR, GES_PATH_MAX)                     \
    X(LOG, log, "log", "log", STR, GES_PATH_MAX)                         \
    X(STATUS, status, "status", "status", STR, GES_STATUS_MAX)           \
    X(CAUSE, cause, "cause", "cause", STR, GES_CAUSE_MAX)                \
    X(TOTAL_LINES, total_lines, "totalLines", "total_lines", I64, 0)     \
    X(FAILED_LINES, failed_lines, "failedLines", "failed_lines", I64, 0) \
    X(SUCCESSFUL_LINES, successful_lines, "successfulLines",             \
      "successful_lines", I64, 0)                                        \
    GES_FILE_FIELDS_EXTRA(X)

/* The three sets of jobDetail: X(NAME, "v1.0 key", "v2 key"). */
#define GES_SETS(X)                           \
    X(SCHEMA, "schemaPath", "schema_path")    \
    X(EDGESET, "edgesetPath", "edgeset_path") \
    X(VERTEXSET, "vertexsetPath", "vertexset_path")

/* Keys the parser matches that are not rows: the nested error shape. */
#define GES__OTHER_KEYS(X) X(ERROR, "error") X(CODE, "code") X(MESSAGE, "message")

/* private: the expansions (public names are the GES_FI_ / GES_FE_ / GES_F /
 * GES_FF ones below) */
#define GES__MEMBER_STR(m, bound) char m[(bound) + 1];
#define GES__MEMBER_F64(m, bound) double m;
#define GES__MEMBER_I64(m, bound) int64_t m;
#define GES__MEMBER_DETAIL(m, bound)
#define GES__MEMBER(NAME, m, k1, k2, KIND, bound) GES__MEMBER_##KIND(m, bound)
#define GES__IS_STR_STR 1
#define GES__IS_STR_F64 0
#define GES__IS_STR_I64 0
#define GES__IS_STR_DETAIL 0
/* One char array per row, as long as the len[] slots a STR row needs: a
 * union of them is as large as the largest, so its size is the number of
 * slots (the last STR index + 1). */
#define GES__FI_SLOT(NAME, m, k1, k2, KIND, bound) \
    char ges__##NAME[GES__IS_STR_##KIND ? GES_FI_##NAME + 1 : 1];
#define GES__FE_SLOT(NAME, m, k1, k2, KIND, bound) \
    char ges__##NAME[GES__IS_STR_##KIND ? GES_FE_##NAME + 1 : 1];
#define GES__FI_ENUM(NAME, m, k1, k2, KIND, bound) GES_FI_##NAME,
#define GES__FE_ENUM(NAME, m, k1, k2, KIND, bound) GES_FE_##NAME,
#define GES__SET_ENUM(NAME, k1, k2) GES_SET_##NAME,
#define GES__FI_KEY_LEN(NAME, m, k1, k2, KIND, bound) \
    char ges__fi1_##NAME[sizeof(k1)];                 \
    char ges__fi2_##NAME[sizeof(k2)];
#define GES__FE_KEY_LEN(NAME, m, k1, k2, KIND, bound) \
    char ges__fe1_##NAME[sizeof(k1)];                 \
    char ges__fe2_##NAME[sizeof(k2)];
#define GES__SET_KEY_LEN(NAME, k1, k2) \
    char ges__set1_##NAME[sizeof(k1)]; \
    char ges__set2_##NAME[sizeof(k2)];
#define GES__OTHER_KEY_LEN(NAME, k) char ges__other_##NAME[sizeof(k)];

/** Index (bit number) of each top-level member: GES_FI_JOB_ID ...
 *  GES_FI_JOB_DETAIL, then any GES_JOB_FIELDS_EXTRA rows; GES_FI_COUNT. */
enum {
    GES_JOB_FIELDS(GES__FI_ENUM)
    GES_FI_COUNT
};
/** Index of each member of a file entry: GES_FE_PATH ... GES_FE_SUCCESSFUL_LINES. */
enum {
    GES_FILE_FIELDS(GES__FE_ENUM)
    GES_FE_COUNT
};

/** The bit of a member in present / null / truncated / invalid:
 *  GES_F(JOB_ID) == GES_F_JOB_ID; GES_FF(PATH) == GES_FF_PATH. Unsigned, so
 *  ~GES_F(X) is a mask. */
#define GES_F(NAME) (1u << GES_FI_##NAME)
#define GES_FF(NAME) (1u << GES_FE_##NAME)
/* The named bits, one per row above (a name that is not a row does not
 * compile, so these cannot drift from the list). */
#define GES_F_JOB_ID GES_F(JOB_ID)
#define GES_F_STATUS GES_F(STATUS)
#define GES_F_JOB_TYPE GES_F(JOB_TYPE)
#define GES_F_JOB_NAME GES_F(JOB_NAME)
#define GES_F_RELATED_GRAPH GES_F(RELATED_GRAPH)
#define GES_F_BEGIN_TIME GES_F(BEGIN_TIME)
#define GES_F_END_TIME GES_F(END_TIME)
#define GES_F_JOB_PROGRESS GES_F(JOB_PROGRESS)
#define GES_F_FAIL_REASON GES_F(FAIL_REASON)
#define GES_F_ERROR_CODE GES_F(ERROR_CODE)
#define GES_F_ERROR_MESSAGE GES_F(ERROR_MESSAGE)
#define GES_F_JOB_DETAIL GES_F(JOB_DETAIL)
#define GES_FF_PATH GES_FF(PATH)
#define GES_FF_LOG GES_FF(LOG)
#define GES_FF_STATUS GES_FF(STATUS)
#define GES_FF_CAUSE GES_FF(CAUSE)
#define GES_FF_TOTAL_LINES GES_FF(TOTAL_LINES)
#define GES_FF_FAILED_LINES GES_FF(FAILED_LINES)
#define GES_FF_SUCCESSFUL_LINES GES_FF(SUCCESSFUL_LINES)

/* private: sizes derived from the lists (see GES__FI_SLOT) */
typedef union {
    GES_JOB_FIELDS(GES__FI_SLOT)
} ges__fi_slots_t;
typedef union {
    GES_FILE_FIELDS(GES__FE_SLOT)
} ges__fe_slots_t;
typedef union {
    GES_JOB_FIELDS(GES__FI_KEY_LEN)
    GES_FILE_FIELDS(GES__FE_KEY_LEN)
    GES_SETS(GES__SET_KEY_LEN)
    GES__OTHER_KEYS(GES__OTHER_KEY_LEN)
} ges__keys_t;
/** Slots of ges_job_status_t.len / ges_job_file_t.len. */
#define GES_FI_LEN_SLOTS (sizeof(ges__fi_slots_t))
#define GES_FE_LEN_SLOTS (sizeof(ges__fe_slots_t))
/** Longest key the parser has to recognise (longer keys are unknown). */
#define GES__KEY_MAX (sizeof(ges__keys_t) - 1)

/** One entry of schemaPath, edgesetPath or vertexsetPath. Members from
 *  GES_FILE_FIELDS: char path[], log[], status[] (raw), cause[] (why the
 *  import failed); int64_t total_lines, failed_lines, successful_lines (v1
 *  edge/vertex entries; -1 means "not reported by this GES version", and is
 *  kept as -1; valid when their GES_FF_ bit is in `present` and not in
 *  `null`). */
typedef struct {
    GES_FILE_FIELDS(GES__MEMBER)
    ges_file_state_t file_state; /**< status as an enum. */
    /** Bytes stored in each string member, by GES_FE_* index: equal to
     *  strlen() unless the value held a decoded \u0000. */
    uint16_t len[GES_FE_LEN_SLOTS];
    uint32_t present;   /**< GES_FF_* bits: the member was in the answer. */
    uint32_t null;      /**< GES_FF_* bits: ... and its value was null. */
    uint32_t truncated; /**< GES_FF_* bits: the value was cut to fit. */
} ges_job_file_t;

/** Index of a set in ges_job_status_t.sets: GES_SET_SCHEMA (jobDetail.
 *  schemaPath, v2 schema_path), GES_SET_EDGESET, GES_SET_VERTEXSET. */
typedef enum {
    GES_SETS(GES__SET_ENUM)
    GES_SET_COUNT
} ges_set_t;

/** One set of file entries: the first `kept` of `count` entries. */
typedef struct {
    uint32_t count; /**< entries in the answer (saturates at UINT32_MAX). */
    uint32_t kept;  /**< entries stored: min(count, GES_PATHS_MAX). */
#if GES_PATHS_MAX > 0
    ges_job_file_t entries[GES_PATHS_MAX];
#endif
} ges_job_fileset_t;

/** Set bits: GES_F_SET(GES_SET_VERTEXSET), after the members' bits. In
 *  `present`: the set was in the answer (possibly []). In `truncated`: it
 *  held more than GES_PATHS_MAX. */
#define GES_F_SET(s) (1u << (GES_FI_COUNT + (unsigned)(s)))

/**
 * Everything a job-status answer can say, in fixed storage the caller owns.
 *
 * The members from GES_JOB_FIELDS: job_id, status (raw string), job_type,
 * job_name, related_graph, begin_time, end_time (raw strings), job_progress,
 * fail_reason, error_code (errorCode / error_code / error.code),
 * error_message (errorMessage / error_msg / error.message).
 *
 * A member that was absent has its bit clear in `present`; one that was
 * `null` has it set in both `present` and `null`; an empty string is present,
 * not null, and "". String fields are always NUL-terminated, also when cut.
 * Both the v1.0 camelCase and the v2 snake_case answers fill the same fields,
 * and so do the three error shapes ({"errorCode","errorMessage"},
 * {"error_code","error_msg"} and {"error":{"code","message"}}).
 *
 * After a failed call the struct is as ges_job_status_init() leaves it,
 * except http_status, which keeps the HTTP status of the answer that was
 * being read (0 if none).
 */
typedef struct {
    int http_status; /**< HTTP status code of the answer; 0 from ges_job_parse(). */

    GES_JOB_FIELDS(GES__MEMBER)
    ges_job_state_t job_state; /**< status as an enum */
    /** beginTime / endTime as seconds since 1970-01-01T00:00:00 UTC. Valid
     *  when the time's bit is present, not null and not in `invalid`. */
    int64_t begin_epoch;
    int64_t end_epoch;

    ges_job_fileset_t sets[GES_SET_COUNT]; /**< jobDetail's three sets */

    /** Bytes stored in each string member, by GES_FI_* index (slots of
     *  other members stay 0): equal to strlen() unless the value held a
     *  decoded \u0000. */
    uint16_t len[GES_FI_LEN_SLOTS];

    uint32_t present;   /**< GES_F_* bits: member present in the answer. */
    uint32_t null;      /**< GES_F_* bits: member present with value null. */
    uint32_t truncated; /**< GES_F_* bits: value cut / set over GES_PATHS_MAX. */
    uint32_t invalid;   /**< GES_F_BEGIN_TIME / GES_F_END_TIME: the time is
                              present but is not a valid date and time, so
                              its epoch is not set. */
} ges_job_status_t;

/**
 * Reset a result to "nothing known": all zero, job_state GES_JOB_UNKNOWN.
 * @param[out] st the result; NULL is ignored.
 */
void ges_job_status_init(ges_job_status_t *st);

/**
 * Whether anything in a result was cut to fit.
 * @param[in] st a result; NULL gives 0.
 * @return 1 when any string in `st` was cut or any set kept fewer entries
 *         than the answer held, else 0.
 */
int ges_job_truncated(const ges_job_status_t *st);

/* ------------------------------------------------------------------------- */
/* Parsing a body you already have, or that arrives piece by piece            */
/* ------------------------------------------------------------------------- */
/* private: an incremental JSON string decoder (escapes, UTF-8) */
typedef struct {
    char *dst;        /* where decoded bytes go, NULL to only validate */
    size_t len;       /* bytes written */
    size_t cap;       /* bytes that fit (the NUL comes on top) */
    uint16_t acc;     /* \u digits read so far */
    uint16_t sur;     /* pending high surrogate, 0 if none */
    uint8_t esc;      /* escape state */
    uint8_t need;     /* UTF-8 continuation bytes still due */
    uint8_t ulo, uhi; /* range of the next continuation byte */
    uint8_t pend[4];  /* the UTF-8 sequence being read */
    uint8_t npend;
    uint8_t trunc; /* output was cut */
} ges__sdec_t;

/* private: an incremental JSON number reader */
typedef struct {
    uint64_t mant; /* first 19 significant digits */
    int32_t exp10; /* decimal exponent from the digits' position */
    int32_t e;     /* explicit exponent (saturated) */
    uint8_t st;    /* grammar state */
    uint8_t nd;    /* significant digits in mant */
    uint8_t flags; /* sign, fraction/exponent seen, overflow */
} ges__num_t;

/**
 * Streaming parser state. Fully declared so it can live on the stack or in
 * static storage; its members are private.
 *
 * The body may be fed in pieces of any size, split anywhere; the result is
 * the same for every split and every work-buffer size (work_len 0 included:
 * jsmn then sees no piece and the framer stores every value itself).
 *
 * Invariants between feeds (ges_job.c section 3e has the state x input
 * table; "member level" is the top level, "error" or a file entry):
 *  - work[0, used) is empty (used == 0) or a piece: '[', then the values
 *    of `members` complete members separated by ',' (keys are not copied:
 *    the framer decodes and looks them up itself), then, while capturing,
 *    the member being read from member_start. used < work_len whenever
 *    work_len > 0: one byte is kept for the ']' that closes the piece.
 *  - members <= (GES_JSON_MAX_TOKENS - 1) / 2, and piece_field[0, members)
 *    holds the field (ges__fields index) of each complete member.
 *  - capturing and direct are never both 1; both are 0 outside a member at
 *    a member level, and from its key's end on unless we keep the member
 *    (either starts with the key, before the key is known). capturing: the
 *    member's value bytes are being copied to work (member_start is where
 *    the member starts: its ',' when members > 0, else 1). direct: its value
 *    is decoded straight into its field by the scanner (work_len < 8, or
 *    the member outgrew the buffer); nothing of it is in work.
 *  - value_start is 0 until the captured member's value begins, then its
 *    offset in work (never 0 then: work[0] is the '[').
 *  - level is GES__L_SKIP exactly while inside a container nobody keeps
 *    (the outermost such one: containers inside it change neither field):
 *    skip_depth is `depth` directly inside it (its close brings depth to
 *    skip_depth - 1) and skip_ret the level its close returns to.
 *  - bit d of `stack` (d < depth) is 1 when the container at depth d is an
 *    object; depth <= GES_JSON_MAX_DEPTH.
 *  - field is the current member's field (GES__NO_FIELD for an unknown
 *    key) from its key's end until the next key starts or the container
 *    closes.
 *  - err != GES_OK is final: every later call returns it.
 */
typedef struct {
    /* private */
    ges_job_status_t *out;
    char *work; /* framing buffer for pieces handed to jsmn */
    size_t work_len;
    size_t used;               /* bytes of the current piece in work */
    size_t member_start;       /* where the member being captured starts */
    size_t value_start;        /* where its value starts, 0 before */
    unsigned long long offset; /* bytes consumed, for error reports */
    uint64_t stack;            /* bit per depth: 1 = object, 0 = array */
    ges__sdec_t str;           /* string being read */
    ges__num_t num;            /* number being read */
    uint32_t entry;            /* index of the entry being read in its set */
    ges_err_t err;             /* sticky error */
    uint16_t depth;            /* containers open */
    uint16_t skip_depth;       /* depth inside the skipped container */
    uint16_t members;          /* complete members in the current piece */
    uint8_t state;             /* scanner state (GES__S_*) */
    uint8_t level;             /* where in the document (GES__L_*) */
    uint8_t skip_ret;          /* level to return to after a skip */
    uint8_t field;             /* field of the current member */
    uint8_t set;               /* set being read */
    uint8_t is_key;            /* the string being read is a key */
    uint8_t capturing;         /* the member's bytes go to work */
    uint8_t direct;            /* the member's value goes to its field */
    uint8_t lit;               /* literal being matched, and position */
    uint8_t lit_pos;
    uint8_t type_bad;                                   /* the value has the wrong type for its member */
    char key[GES__KEY_MAX + 1];                         /* decoded key: the longest known key fits (ges__keys_t) */
    uint8_t piece_field[(GES_JSON_MAX_TOKENS - 1) / 2]; /* field of each member */
} ges_parser_t;

/**
 * Start parsing a body into `out` (reset with ges_job_status_init()).
 * Never fails by itself: with `out` NULL, the first ges_parser_feed() or
 * ges_parser_finish() returns GES_ERR_INVALID_ARG.
 * @param[out] p        parser state, owned by the caller (NULL: nothing
 *                      happens).
 * @param[out] out      result; written as the body arrives; must stay
 *                      valid until ges_parser_finish().
 * @param[in]  work     framing buffer for jsmn pieces (may be NULL, then
 *                      work_len is taken as 0); must stay valid until
 *                      ges_parser_finish(). Any size gives the same result;
 *                      a larger one means fewer, larger pieces.
 * @param[in]  work_len bytes of `work` (over INT_MAX: taken as 0).
 */
void ges_parser_init(ges_parser_t *p, ges_job_status_t *out, char *work,
                     size_t work_len);

/**
 * Feed the next `len` bytes of the body, split anywhere. Errors are sticky:
 * after one, every later call returns the same error.
 * @param[in,out] p    a parser from ges_parser_init().
 * @param[in]     data the bytes (may be NULL when len is 0); not kept.
 * @param[in]     len  number of bytes.
 * @return GES_OK;
 *         GES_ERR_INVALID_ARG (p NULL, data NULL with len > 0, or
 *         ges_parser_init() was given no `out`);
 *         GES_ERR_HTTP_BODY_TOO_LARGE (more than GES_BODY_MAX bytes fed in
 *         all; those up to the bound are parsed first);
 *         GES_ERR_STATE (after a successful ges_parser_finish());
 *         GES_ERR_JSON_SYNTAX, GES_ERR_JSON_ESCAPE, GES_ERR_JSON_UTF8,
 *         GES_ERR_JSON_INCOMPLETE, GES_ERR_JSON_NOT_OBJECT,
 *         GES_ERR_JSON_TOKENS, GES_ERR_JSON_NUMBER, GES_ERR_JSON_TYPE,
 *         GES_ERR_JSON_DEPTH, GES_ERR_JSON_TRAILING (out is then reset).
 */
ges_err_t ges_parser_feed(ges_parser_t *p, const char *data, size_t len);

/**
 * The body has ended: checks the document is complete. Afterwards feed and
 * finish return GES_ERR_STATE (or the error the parse ended with).
 * @param[in,out] p a parser from ges_parser_init().
 * @return GES_OK;
 *         GES_ERR_INVALID_ARG (p NULL, or no `out` at init);
 *         GES_ERR_JSON_INCOMPLETE (the document is not complete; out is
 *         then reset);
 *         GES_ERR_STATE (called again after GES_OK);
 *         or the error an earlier ges_parser_feed() returned (sticky):
 *         GES_ERR_HTTP_BODY_TOO_LARGE, GES_ERR_JSON_SYNTAX,
 *         GES_ERR_JSON_ESCAPE, GES_ERR_JSON_UTF8, GES_ERR_JSON_NOT_OBJECT,
 *         GES_ERR_JSON_TOKENS, GES_ERR_JSON_NUMBER, GES_ERR_JSON_TYPE,
 *         GES_ERR_JSON_DEPTH, GES_ERR_JSON_TRAILING.
 */
ges_err_t ges_parser_finish(ges_parser_t *p);

/**
 * Where the parser stopped on error, for messages.
 * @param[in] p a parser; NULL gives 0.
 * @return the byte offset in the body (bytes consumed so far).
 */
unsigned long long ges_parser_offset(const ges_parser_t *p);

/**
 * Parse a complete job-status body (200 answer or error answer) into `out`.
 * Pure: no heap, no I/O, bounded stack (GES_PARSE_WORK bytes of it a work
 * buffer), reentrant. Same parser as ges_parser_feed().
 *
 * JSON rules: the document must be one object; anything jsmn would let
 * through but JSON forbids is an error (`[tru]`, `01`, trailing commas,
 * missing colons...). Unknown members are skipped whatever their type or
 * nesting (validated, not stored). A duplicated member keeps the LAST value
 * (a duplicated set replaces the earlier one). A known member with the wrong
 * JSON type is GES_ERR_JSON_TYPE. Escapes are decoded to UTF-8 (surrogate
 * pairs included); \u0000 is stored as a NUL byte inside the field: the
 * field's entry in `len` (not strlen) gives its whole length.
 *
 * @param[in]  body the body (need not be NUL-terminated); not kept.
 * @param[in]  len  its length in bytes.
 * @param[out] out  the result (http_status stays 0).
 * @return GES_OK (truncation is flagged, not an error);
 *         GES_ERR_INVALID_ARG (body or out NULL);
 *         GES_ERR_HTTP_BODY_TOO_LARGE (len over GES_BODY_MAX, once the bytes
 *         up to it parsed cleanly);
 *         GES_ERR_JSON_SYNTAX, GES_ERR_JSON_ESCAPE, GES_ERR_JSON_UTF8,
 *         GES_ERR_JSON_INCOMPLETE, GES_ERR_JSON_NOT_OBJECT,
 *         GES_ERR_JSON_TOKENS, GES_ERR_JSON_NUMBER, GES_ERR_JSON_TYPE,
 *         GES_ERR_JSON_DEPTH, GES_ERR_JSON_TRAILING.
 *         On error `out` is reset.
 */
ges_err_t ges_job_parse(const char *body, size_t len, ges_job_status_t *out);

/**
 * Parse a complete HTTP/1.1 response (status line, headers, body framed by
 * Content-Length, chunked or the end of `resp`) and its JSON body. Pure,
 * like ges_job_parse(): the same HTTP reader the client uses, for callers
 * with their own transport, tests and fuzzers.
 * @param[in]  resp the response, exactly one (bytes after it are
 *                  GES_ERR_HTTP); not kept.
 * @param[in]  len  its length in bytes.
 * @param[out] out  the result; http_status is set whenever a status line
 *                  was read.
 * @return as ges_job_get_status() for what follows the send:
 *         GES_OK;
 *         GES_ERR_INVALID_ARG (resp or out NULL);
 *         GES_ERR_SERVICE (non-2xx, or a 2xx errorCode; error fields kept);
 *         GES_ERR_NET_CLOSED (the answer is cut short);
 *         GES_ERR_HTTP, GES_ERR_HTTP_HEADERS_TOO_LARGE,
 *         GES_ERR_HTTP_BODY_TOO_LARGE, GES_ERR_HTTP_FRAMING,
 *         GES_ERR_HTTP_ENCODING;
 *         GES_ERR_JSON_SYNTAX, GES_ERR_JSON_ESCAPE, GES_ERR_JSON_UTF8,
 *         GES_ERR_JSON_INCOMPLETE, GES_ERR_JSON_NOT_OBJECT,
 *         GES_ERR_JSON_TOKENS, GES_ERR_JSON_NUMBER, GES_ERR_JSON_TYPE,
 *         GES_ERR_JSON_DEPTH, GES_ERR_JSON_TRAILING.
 *         On an error other than GES_ERR_SERVICE `out` is reset (but for
 *         http_status).
 */
ges_err_t ges_job_parse_response(const char *resp, size_t len,
                                 ges_job_status_t *out);

/**
 * Parse "yyyy-MM-ddTHH:mm:ss" or "yyyy-MM-dd HH:mm:ss" (optionally ending in
 * 'Z'), as UTC, into seconds since 1970 (proleptic Gregorian, years
 * 0000..9999). No timegm/mktime, no locale.
 * @param[in]  s     the text (need not be NUL-terminated).
 * @param[in]  len   its length in bytes.
 * @param[out] epoch the seconds (negative before 1970); unchanged on error.
 * @return GES_OK;
 *         GES_ERR_INVALID_ARG (s or epoch NULL, or anything but those
 *         forms with a valid date and time).
 */
ges_err_t ges_parse_time(const char *s, size_t len, int64_t *epoch);

/* ------------------------------------------------------------------------- */
/* Port layer: what the library needs from the platform                        */
/* ------------------------------------------------------------------------- */
/*
 * Why a struct of function pointers and not link-time functions (lwIP's
 * sys_arch style): tests and fuzzers inject faulty transports and a fake
 * clock per client at run time, two clients in one program can use two
 * network stacks (a modem and Ethernet), and nothing clashes when several
 * libraries in a firmware each bring a port. The cost is one indirect call
 * per I/O operation, which is nothing next to a TLS record.
 *
 * Conventions, shared by every I/O function (they copy mbedTLS's BIO
 * conventions, so a port maps 1:1 onto mbedtls_ssl_set_bio):
 *   > 0               bytes transferred (a send may be partial);
 *   0                 from net_recv only: the peer closed the connection;
 *   GES_PORT_TIMEOUT  no byte moved within timeout_ms;
 *   GES_PORT_ERROR    any other failure (reset, unreachable, ...).
 * Functions block for at most their timeout_ms (0 = do not wait). The exact
 * contract of each function is in port/README.md.
 */
#define GES_PORT_ERROR (-1)
#define GES_PORT_TIMEOUT (-2)
/** From net_connect_tick only: its tick asked it to stop. */
#define GES_PORT_CANCELLED (-3)

/** Where a call of the client is, as told to the progress hook
 *  (ges_client_config_t.on_progress) and to a port's net_connect_tick. */
typedef enum {
    GES_PHASE_RESOLVING = 0, /**< name resolution (in the port's connect) */
    GES_PHASE_CONNECTING,    /**< TCP connect */
    GES_PHASE_HANDSHAKING,   /**< TLS handshake */
    GES_PHASE_SENDING,       /**< writing the request */
    GES_PHASE_RECEIVING,     /**< reading the answer */
    GES_PHASE_SLEEPING,      /**< ges_job_wait() between two polls */
    GES_PHASE_PROXY          /**< with a proxy: sending CONNECT and reading
                                  the proxy's answer (after CONNECTING,
                                  before HANDSHAKING) */
} ges_phase_t;

/** A port's tick callback: see ges_port_t.net_connect_tick. `phase` is a
 *  ges_phase_t (GES_PHASE_RESOLVING or GES_PHASE_CONNECTING). Returns
 *  non-zero when the connect must stop. */
typedef int (*ges_tick_fn)(void *arg, int phase);

/** A socket as the port sees it: a file descriptor, an lwIP socket number,
 *  a modem's link id, or a pointer cast to intptr_t. */
typedef intptr_t ges_sock_t;

typedef struct ges_port {
    /** Passed as the first argument of every function below. */
    void *ctx;
    /** Resolve `host` (IPv4 and IPv6, every address in order) and connect to
     *  `port` within `timeout_ms`. Returns 0 and sets *sock, or
     *  GES_PORT_TIMEOUT / GES_PORT_ERROR (and leaves *sock alone). */
    int (*net_connect)(void *ctx, const char *host, uint16_t port,
                       uint32_t timeout_ms, ges_sock_t *sock);
    /** Send up to `len` (> 0) bytes. Returns bytes sent (1..len), or
     *  GES_PORT_TIMEOUT / GES_PORT_ERROR; never 0. Must not raise SIGPIPE. */
    int (*net_send)(void *ctx, ges_sock_t sock, const unsigned char *buf,
                    size_t len, uint32_t timeout_ms);
    /** Receive up to `len` (> 0) bytes. Returns bytes received (1..len), 0 if
     *  the peer closed, or GES_PORT_TIMEOUT / GES_PORT_ERROR. */
    int (*net_recv)(void *ctx, ges_sock_t sock, unsigned char *buf,
                    size_t len, uint32_t timeout_ms);
    /** Close the socket. Never fails; called once per successful connect. */
    void (*net_close)(void *ctx, ges_sock_t sock);
    /** Monotonic milliseconds, free to wrap (only differences are used, with
     *  unsigned arithmetic, so a deadline may span a wrap). */
    uint32_t (*now_ms)(void *ctx);
    /** Sleep `ms` milliseconds (or less if woken); used by the wait loop. */
    void (*sleep_ms)(void *ctx, uint32_t ms);
    /** Fill `buf` with `len` bytes from a strong entropy source; 0 on success,
     *  non-zero on failure. Seeds the TLS random generator. */
    int (*entropy)(void *ctx, unsigned char *buf, size_t len);
    /** Optional (may be NULL): UTC seconds since 1970 from a real-time clock,
     *  or a negative value while the time is unknown. Used for certificate
     *  dates; without it the client uses ges_client_config_t.time_floor. */
    int64_t (*wall_clock)(void *ctx);
    /** Optional: mbedTLS's allocator. When both are set and mbedTLS was
     *  built with MBEDTLS_PLATFORM_MEMORY, ges_client_init() installs them
     *  with mbedtls_platform_set_calloc_free(), which is process-wide in
     *  mbedTLS (it has no context argument): every port in one program must
     *  name the same pair or leave both NULL (NULL installs nothing, so a
     *  pool set up with mbedtls_memory_buffer_alloc_init() stays in place).
     *  Debian's libmbedtls is built without MBEDTLS_PLATFORM_MEMORY, so
     *  there mbedTLS uses the C library's calloc/free whatever is set here. */
    void *(*tls_calloc)(size_t n, size_t size);
    void (*tls_free)(void *ptr);
    /** Optional (may be NULL): net_connect that reports while it waits and
     *  can be stopped. Same contract as net_connect, and also: call
     *  tick(arg, GES_PHASE_RESOLVING) before resolving, then
     *  tick(arg, GES_PHASE_CONNECTING) before each connect attempt and at
     *  least every GES_WAIT_SLICE_MS while waiting for one; when a tick
     *  returns non-zero, close what is open and return GES_PORT_CANCELLED.
     *  A resolver that cannot be interrupted delays the next tick by its
     *  own time. When NULL, the client calls net_connect, which it can
     *  neither hear from nor stop until it returns. */
    int (*net_connect_tick)(void *ctx, const char *host, uint16_t port,
                            uint32_t timeout_ms, ges_sock_t *sock,
                            ges_tick_fn tick, void *arg);
} ges_port_t;

#if !GES_CONFIG_NO_TLS
/* ------------------------------------------------------------------------- */
/* Client                                                                     */
/* ------------------------------------------------------------------------- */
/** Which version of the job-status path the client calls. Both answers
 *  (v1.0 camelCase, v2 snake_case) parse into the same ges_job_status_t. */
typedef enum {
    GES_API_V1 = 0, /**< GET /v1.0/{project_id}/graphs/{graph_id}/jobs/{job_id}/status
                         (the default) */
    GES_API_V2 = 1  /**< GET /v2/{project_id}/graphs/{graph_id}/jobs/{job_id}/status
                         (what the official SDKs call now) */
} ges_api_t;

/** How to reach GES. Start from ges_client_config_init(), then set fields. */
typedef struct {
    /** Endpoint host, e.g. "ges.cn-north-4.myhuaweicloud.com" (no scheme,
     *  no port): a DNS name of [A-Za-z0-9._-], a dotted IPv4 address
     *  ("192.0.2.10"), or an IPv6 address bare or in brackets ("::1",
     *  "[2001:db8::1]"; no zone). Digits and dots alone must be an exact
     *  dotted quad (no leading zeros). Copied at init; at most GES_HOST_MAX
     *  bytes. A name is sent as SNI and checked against the certificate's
     *  DNS names; an address is never sent as SNI (RFC 6066) and must be
     *  one of the leaf certificate's iPAddress entries (checked by the
     *  library on every mbedTLS version). The Host header carries the
     *  address, IPv6 in brackets ("[::1]:8443"). */
    const char *host;
    /** TCP port; default 443 (then the Host header carries no port). */
    uint16_t port;
    /** IAM token (X-Auth-Token): printable ASCII only, at most GES_TOKEN_MAX
     *  bytes, NUL-terminated. Not copied: it must stay valid, unchanged,
     *  until ges_client_free(). The library never logs it. Either a token
     *  or ak + sk, not both. */
    const char *token;
    /** AK/SK signing (SDK-HMAC-SHA256) instead of a token: every request
     *  carries X-Sdk-Date and an Authorization header signed over host and
     *  x-sdk-date (plus x-project-id / x-security-token when set). Printable
     *  ASCII, at most GES_AKSK_MAX bytes; not copied, must outlive the
     *  client. The time comes from platform->wall_clock, else time_floor;
     *  when the gateway answers 401 "signature expired" with a Date header,
     *  the client adopts that time (carried on by now_ms) and signs the
     *  request again, once, so devices without a real-time clock heal. */
    const char *ak;
    const char *sk;
    /** Optional: the security token of temporary AK/SK credentials, sent and
     *  signed as X-Security-Token (rules as for `token`). */
    const char *security_token;
    /** Optional: sent and signed as X-Project-Id (AK/SK only: with a token
     *  ges_client_init() refuses it; at most GES_ID_MAX printable bytes). */
    const char *project_id_header;
    /** Trusted CA certificates, PEM (including its terminating NUL in
     *  ca_pem_len, as mbedtls_x509_crt_parse wants) or DER. Parsed at init;
     *  the bytes are not needed afterwards. Verification cannot be turned
     *  off. */
    const unsigned char *ca_pem;
    size_t ca_pem_len;
    /** Platform functions; must outlive the client. */
    const ges_port_t *platform;
    /** The one I/O buffer for requests and responses, owned by the library
     *  between ges_client_init() and ges_client_free(); at least
     *  GES_IO_BUF_MIN bytes. Its size changes speed, never results: half is
     *  the receive window, half frames JSON for jsmn. */
    unsigned char *io_buf;
    size_t io_buf_len;
    /** Deadline of one request in ms, connect and handshake included.
     *  Default 15000. */
    uint32_t timeout_ms;
    /** For devices without a real-time clock: a time known to have passed
     *  (e.g. the firmware's build time, UTC seconds), used for certificate
     *  dates when platform->wall_clock is NULL or answers "unknown". With a
     *  floor, a certificate that expired before it is refused; "not yet
     *  valid" cannot be judged from a floor and is not checked. With neither
     *  clock nor floor (0, the default) dates are not checked at all. */
    int64_t time_floor;
    /** Path version: GES_API_V1 (default, 0) or GES_API_V2; any other value
     *  is GES_ERR_INVALID_ARG at init. With AK/SK the path actually sent is
     *  the one signed. */
    ges_api_t api_version;
    /** Optional progress hook, for a watchdog or a progress display: called
     *  with the phase and the ms left, before every port call that may
     *  wait (so at least every GES_WAIT_SLICE_MS while the client waits
     *  for the network or sleeps), and so at each phase change (with a port
     *  without net_connect_tick, GES_PHASE_RESOLVING is told once and
     *  stands for the whole connect). `left_ms` is
     *  what is left of the request's deadline (cfg.timeout_ms, or less in
     *  ges_job_wait()) in the network phases, and what is left of the
     *  sleep before the next poll in GES_PHASE_SLEEPING.
     *
     *  Longest time between two calls while a call runs: GES_WAIT_SLICE_MS
     *  plus the CPU time of the longest step between two port calls (on a
     *  microcontroller, the handshake's public-key operations: ECDHE and
     *  the certificate's signature check, from hundreds of ms to seconds
     *  depending on the core and the curve or RSA size: measure yours),
     *  plus name resolution when the port resolves without ticking (see
     *  ges_port_t.net_connect_tick). Its cost: one indirect call per port
     *  call and per slice.
     *
     *  It runs in the calling thread, inside the call. It may feed a
     *  watchdog, update a display, read the clock, and call
     *  ges_client_cancel() on this client; it must not call any other
     *  function of this client, and should return quickly (its time is
     *  taken from the request's). NULL: no hook. */
    void (*on_progress)(void *ctx, ges_phase_t phase, uint32_t left_ms);
    void *progress_ctx;
    /** Optional HTTP proxy (NULL: connect directly). The client connects
     *  to proxy_host:proxy_port, sends "CONNECT host:port HTTP/1.1" with a
     *  Host header of the same value (and Proxy-Authorization: Basic when
     *  proxy_user is set), needs a 2xx, then runs TLS to `host` through the
     *  tunnel: SNI and the certificate check name `host`, never the proxy.
     *  The exchange is part of the request (same deadline, sliced waits,
     *  GES_PHASE_PROXY, cancellable). The proxy's answer is read byte by
     *  byte up to its blank line, never further (the TLS bytes may follow
     *  in the same segment), at most GES_PROXY_HEAD_MAX bytes; its headers
     *  are ignored (RFC 9110 9.3.6: a 2xx to CONNECT has no body whatever
     *  Content-Length or Transfer-Encoding say). A kept-alive connection is
     *  the tunnel; after it closes, the next request sends CONNECT again
     *  and resumes the TLS session. Same syntax as `host`; copied at init.
     *  Needs GES_PROXY (default 1). */
    const char *proxy_host;
    /** The proxy's TCP port. Default 1080; 0 is invalid with a proxy. */
    uint16_t proxy_port;
    /** Optional proxy credentials (Basic, RFC 7617): both or neither.
     *  0..GES_PROXY_CRED_MAX bytes each, no control characters, no ':' in
     *  the user. Not copied, like the token: they must stay valid,
     *  unchanged, until ges_client_free(); the I/O buffer that carried
     *  them is wiped after each CONNECT, and they never appear in any
     *  result. */
    const char *proxy_user;
    const char *proxy_password;
} ges_client_config_t;

/**
 * Fill a configuration with the defaults: port 443, timeout 15000 ms,
 * api_version GES_API_V1, proxy_port 1080, everything else 0/NULL (no
 * proxy).
 * @param[out] cfg the configuration; NULL is ignored.
 */
void ges_client_config_init(ges_client_config_t *cfg);

/** A connection to GES. Fully declared so it can be static or on the stack;
 *  members are private. It holds pointers into itself (mbedTLS contexts),
 *  so it must not be moved or copied after ges_client_init(). One client
 *  serves one thread at a time; two clients share no state of ours. With
 *  mbedTLS 3.x, PSA crypto is process-wide: ges_client_init() calls
 *  psa_crypto_init(), so clients started from several threads need mbedTLS
 *  built with MBEDTLS_THREADING_C, or one psa_crypto_init() call before the
 *  threads start. */
typedef struct {
    /* private */
    ges_client_config_t cfg;
    char host[GES_HOST_MAX + 1];
    ges_sock_t sock;
    uint32_t deadline;      /* now_ms value at which the request ends */
    uint32_t cert_flags;    /* mbedTLS verification flags, last handshake */
    int tls_err;            /* last mbedTLS error code, 0 if none */
    int net_status;         /* last port status (timeout/error/closed) */
    uint32_t retry_after_s; /* Retry-After of the last answer, 0 if none */
    int64_t server_date;    /* Date of the last answer, -1 if none */
    int64_t time_base;      /* adopted server time (AK/SK), UTC seconds */
    uint32_t time_base_ms;  /* now_ms when it was adopted */
    uint8_t has_time_base;
    uint8_t connected;   /* socket and TLS session are up */
    uint8_t has_session; /* a saved session can be resumed */
    uint8_t initialised;
    char coding[GES_CODING_MAX + 1]; /* Content-Encoding of a refused answer */
    uint8_t send_failed;             /* the port error was a send's */
    uint8_t probing;                 /* zero-time idle check of a kept connection */
    uint8_t probe_got;               /* the check saw a byte, a close or an error */
    uint8_t phase;                   /* ges_phase_t of the I/O under way */
    /* Set by ges_client_cancel() (another thread, a signal handler),
     * read by the client between slices, cleared when a call returns
     * GES_ERR_CANCELLED. */
    volatile sig_atomic_t cancel;
#if GES_PROXY
    char proxy_host[GES_HOST_MAX + 1]; /* "" without a proxy */
    int proxy_status;                  /* status of the proxy's last answer, 0 none */
#endif
    mbedtls_ssl_context ssl;
    mbedtls_ssl_config conf;
    mbedtls_x509_crt ca;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_ssl_session session;
} ges_client_t;

/**
 * Set up a client: checks the config, parses the CA, seeds the random
 * generator from platform->entropy, prepares TLS. Does not connect.
 * @param[out] c   the client, owned by the caller; not to be moved or
 *                 copied afterwards.
 * @param[in]  cfg the configuration, copied (the strings, CA, port and I/O
 *                 buffer it points to are not: see each field for how long
 *                 they must live).
 * @return GES_OK;
 *         GES_ERR_INVALID_ARG (c or cfg NULL, or a missing or unsafe field:
 *         host that is neither a name of [A-Za-z0-9._-], a dotted quad nor
 *         an IPv6 address, token with bytes outside 0x21..0x7E or longer
 *         than GES_TOKEN_MAX, both or neither of token and ak/sk, a
 *         required port function NULL, port 0, timeout_ms 0 or over
 *         2^31 - 1, an unknown api_version, ...);
 *         GES_ERR_BUFFER_TOO_SMALL (io_buf_len under GES_IO_BUF_MIN);
 *         GES_ERR_TLS (CA unparsable, RNG seeding or mbedTLS setup failed;
 *         ges_client_tls_error() has the code). On error nothing needs
 *         freeing (ges_client_free() is still safe).
 */
ges_err_t ges_client_init(ges_client_t *c, const ges_client_config_t *cfg);

/**
 * Make the call in progress on `c` (ges_job_get_status(), ges_job_wait())
 * return GES_ERR_CANCELLED soon, wherever it is: waiting to connect, in the
 * handshake, writing, reading, or sleeping between polls. Every call that
 * returns GES_ERR_CANCELLED has closed the connection (the next call opens
 * a new one, resuming the TLS session), and the client stays usable.
 *
 * Safe from another thread and from a signal handler: it only stores 1 to
 * a volatile sig_atomic_t member that the client reads between its waits
 * (C99 promises such a store to signal handlers; on every target where a
 * sig_atomic_t is one aligned machine word, as on all the platforms the
 * library is built for, it is also seen by another thread, without any
 * ordering with other memory). It never blocks, allocates or calls the
 * port.
 *
 * How soon: the client waits in slices of at most GES_WAIT_SLICE_MS
 * (default 50 ms) and looks at the flag before each, so the call returns
 * within about one slice plus the CPU step under way (see
 * ges_client_config_t.on_progress): well under 100 ms on a PC. The
 * exceptions, documented: name resolution inside the port, which most
 * platforms cannot interrupt (getaddrinfo(), lwIP's netconn_gethostbyname
 * ...): the cancel is seen when it returns; and a port without
 * net_connect_tick, whose net_connect is seen only when it returns.
 *
 * A cancel is never lost: made while no call runs (or as one finishes
 * without noticing it), it makes the next call return GES_ERR_CANCELLED
 * at once, before anything is sent. Each call that returns
 * GES_ERR_CANCELLED clears it. ges_client_init() clears it too (it resets
 * the whole struct): cancel only an initialised client.
 * @param[in,out] c the client; NULL is ignored.
 */
void ges_client_cancel(ges_client_t *c);

/**
 * Close the connection and wipe the I/O buffer, the TLS state and the
 * client struct. Safe on a client whose init failed, and twice.
 * @param[in,out] c the client; NULL is ignored.
 */
void ges_client_free(ges_client_t *c);

/**
 * Ask GES for the status of one job, on the kept-alive connection when the
 * server allows, opening (or reopening) it when needed, all within
 * cfg.timeout_ms.
 *
 * A kept connection carries the next request only when the last answer
 * ended exactly where the stream did: nothing left in mbedTLS's buffers,
 * and nothing on the socket by a zero-time look through the port
 * (net_recv with timeout 0) just before the request. Bytes there (a stray
 * CRLF, an unsolicited 408, an extra answer), the server's close_notify or
 * FIN, a reset, or a 204/304 that declared a body all close it, and the
 * request goes out on a new connection (the TLS session resumed): such
 * bytes are never read as this answer, and never fail it. Bytes still in
 * flight when the look is made are caught when they cannot be an answer
 * (no status line, or a 408 that closes: the GET is sent again, once, on a
 * new connection); a complete, well-formed answer that a server sends
 * unasked and late cannot be told from the real one by any client.
 *
 * The answer's jobId is not compared with `job_id`: with the rule above an
 * answer always belongs to its request, and the GES API does not promise
 * to echo the ID (simulators and the API's own example answer with a fixed
 * one). Compare out->job_id yourself when a server or proxy you do not
 * trust sits in between.
 *
 * IDs are percent-encoded outside A-Za-z0-9-._~; an empty ID, "." or "..",
 * or one longer than GES_ID_MAX is refused before anything is sent. With
 * AK/SK signing an ID must hold only those unreserved bytes (else
 * GES_ERR_INVALID_ARG, before anything is sent): the official SDKs sign
 * encoded path segments differently, so a signature could not be trusted
 * to match the gateway's. Real GES IDs (hex, UUIDs) are unreserved.
 *
 * @param[in,out] c          an initialised client.
 * @param[in]     project_id the project ID, NUL-terminated.
 * @param[in]     graph_id   the graph ID, NUL-terminated.
 * @param[in]     job_id     the job ID, NUL-terminated.
 * @param[out]    out        the answer; reset first. After an error it is
 *                           as ges_job_status_init() leaves it but for
 *                           http_status (set whenever a status line was
 *                           read), except after GES_ERR_SERVICE, which
 *                           keeps the error fields the body had.
 * @return GES_OK (2xx, errorCode empty or absent);
 *         GES_ERR_INVALID_ARG (c not initialised, out NULL, or an ID
 *         refused as above; nothing sent);
 *         GES_ERR_CANCELLED (ges_client_cancel(); out is then reset);
 *         GES_ERR_NET_CONNECT, GES_ERR_NET_SEND, GES_ERR_NET_RECV,
 *         GES_ERR_NET_CLOSED; GES_ERR_TIMEOUT (cfg.timeout_ms);
 *         GES_ERR_TLS, GES_ERR_TLS_CERT;
 *         GES_ERR_HTTP, GES_ERR_HTTP_HEADERS_TOO_LARGE,
 *         GES_ERR_HTTP_BODY_TOO_LARGE, GES_ERR_HTTP_FRAMING,
 *         GES_ERR_HTTP_ENCODING;
 *         GES_ERR_SERVICE (non-2xx incl. redirects, or a 2xx errorCode);
 *         GES_ERR_PROXY (the proxy refused CONNECT);
 *         GES_ERR_JSON_SYNTAX, GES_ERR_JSON_ESCAPE, GES_ERR_JSON_UTF8,
 *         GES_ERR_JSON_INCOMPLETE, GES_ERR_JSON_NOT_OBJECT,
 *         GES_ERR_JSON_TOKENS, GES_ERR_JSON_NUMBER, GES_ERR_JSON_TYPE,
 *         GES_ERR_JSON_DEPTH, GES_ERR_JSON_TRAILING.
 *         With a proxy, the CONNECT exchange fails with GES_ERR_NET_CONNECT
 *         (proxy unreachable), GES_ERR_PROXY, GES_ERR_NET_CLOSED (it closed
 *         before its blank line), GES_ERR_HTTP (no HTTP status line),
 *         GES_ERR_HTTP_HEADERS_TOO_LARGE (over GES_PROXY_HEAD_MAX),
 *         GES_ERR_TIMEOUT or GES_ERR_CANCELLED.
 *         out->http_status is set whenever a status line was read.
 */
ges_err_t ges_job_get_status(ges_client_t *c, const char *project_id,
                             const char *graph_id, const char *job_id,
                             ges_job_status_t *out);

/** How ges_job_wait() polls. Start from ges_wait_config_init(). */
typedef struct {
    /** The whole wait, polls and sleeps, in ms. Default 30 minutes; at most
     *  2^31 - 1. Each poll also ends within the client's timeout_ms. */
    uint32_t deadline_ms;
    /** First sleep between polls. Default 1000 ms. */
    uint32_t interval_ms;
    /** Cap of the sleep. Default 30000 ms. */
    uint32_t max_interval_ms;
    /** Growth of the interval after each poll, in percent: 200 doubles it
     *  (default), 100 keeps it fixed; below 100 is invalid. */
    uint16_t backoff_percent;
    /** Each sleep is shortened by a random 0..jitter_percent of it (random
     *  bytes from the port's entropy), so devices started together do not
     *  poll in lockstep. Default 20; 0 disables. */
    uint8_t jitter_percent;
    /** Optional: called after every poll with what it read (`err` is that
     *  poll's result: GES_OK, or an error being retried or about to end the
     *  wait) and the ms elapsed since the wait began. Return non-zero to stop
     *  the wait with GES_ERR_CANCELLED (the connection is then closed, as
     *  after ges_client_cancel()). */
    int (*on_poll)(void *ctx, const ges_job_status_t *st, ges_err_t err,
                   uint32_t elapsed_ms);
    void *ctx;
} ges_wait_config_t;

/**
 * Whether ges_job_wait() retries a poll that ended with `err` and left
 * `st`: network errors, a poll's timeout, HTTP 408/429/500/502/503/504, and
 * the retry-later codes GES.7005, GES.7006, GES.8302. For on_poll
 * callbacks that want to say "retrying" or "stopped".
 * @param[in] err the poll's result.
 * @param[in] st  what the poll read (NULL: only `err` is judged).
 * @return 1 if retried, else 0.
 */
int ges_job_retryable(ges_err_t err, const ges_job_status_t *st);

/**
 * Fill a wait schedule with the defaults: 30 min deadline, 1 s first
 * interval, x2, 30 s cap, 20% jitter, no on_poll.
 * @param[out] wc the schedule; NULL is ignored.
 */
void ges_wait_config_init(ges_wait_config_t *wc);

/**
 * Poll a job until its status is terminal (success, failed,
 * partiallyFailed; unknown statuses keep polling) or the deadline passes.
 * Sleeps through platform->sleep_ms (no busy waiting) and never past the
 * deadline; reuses the client's connection and TLS session between polls.
 *
 * Retried within the deadline, with the same backoff: network errors, a
 * poll's own timeout, HTTP 408/429/500/502/503/504 and the retry-later codes
 * GES.7005, GES.7006 and GES.8302; a Retry-After (seconds) lengthens that
 * sleep. Anything else ends the wait at once with its error (401, 403, 404,
 * GES.7007 "job not found", malformed answers, certificate errors...).
 *
 * @param[in,out] c          an initialised client.
 * @param[in]     project_id the project ID, NUL-terminated.
 * @param[in]     graph_id   the graph ID, NUL-terminated.
 * @param[in]     job_id     the job ID, NUL-terminated.
 * @param[in]     wc         schedule, or NULL for the defaults; read
 *                           during the call only.
 * @param[out]    out        what the last poll read (on GES_ERR_TIMEOUT
 *                           that may be a non-terminal status or a retried
 *                           error answer).
 * @return GES_OK with a terminal status in `out` (check job_state: failed
 *         is a successful wait);
 *         GES_ERR_TIMEOUT (deadline_ms passed; network errors and poll
 *         timeouts are retried until then, so they end here);
 *         GES_ERR_CANCELLED (ges_client_cancel(), or on_poll asked to
 *         stop);
 *         GES_ERR_INVALID_ARG (as ges_job_get_status(), or wc with
 *         deadline_ms 0 or over 2^31 - 1, or backoff_percent under 100);
 *         or the non-retryable error that ended it: GES_ERR_SERVICE,
 *         GES_ERR_PROXY, GES_ERR_TLS, GES_ERR_TLS_CERT, GES_ERR_HTTP,
 *         GES_ERR_HTTP_HEADERS_TOO_LARGE, GES_ERR_HTTP_BODY_TOO_LARGE,
 *         GES_ERR_HTTP_FRAMING, GES_ERR_HTTP_ENCODING,
 *         GES_ERR_JSON_SYNTAX, GES_ERR_JSON_ESCAPE, GES_ERR_JSON_UTF8,
 *         GES_ERR_JSON_INCOMPLETE, GES_ERR_JSON_NOT_OBJECT,
 *         GES_ERR_JSON_TOKENS, GES_ERR_JSON_NUMBER, GES_ERR_JSON_TYPE,
 *         GES_ERR_JSON_DEPTH, GES_ERR_JSON_TRAILING.
 */
ges_err_t ges_job_wait(ges_client_t *c, const char *project_id,
                       const char *graph_id, const char *job_id,
                       const ges_wait_config_t *wc, ges_job_status_t *out);

/* ------------------------------------------------------------------------- */
/* AK/SK request signing, on its own                                          */
/* ------------------------------------------------------------------------- */
/** A header to sign besides host and x-sdk-date (name in any case). */
typedef struct {
    const char *name;
    const char *value;
} ges_sign_header_t;

/** A request to sign with Huawei Cloud's SDK-HMAC-SHA256. */
typedef struct {
    const char *method;               /**< "GET", "POST"... (upper case, as sent) */
    const char *host;                 /**< Host header value, "host[:port]"; signed.
                                 NULL: host is not signed */
    const char *path;                 /**< path as sent, starting with '/', percent-
                                 encoded or not (segments are decoded, then
                                 encoded canonically; the trailing slash the
                                 canonical URI needs is added here) */
    const char *query;                /**< query string without '?', or NULL */
    const char *sdk_date;             /**< X-Sdk-Date value, "YYYYMMDDTHHMMSSZ" */
    const ges_sign_header_t *headers; /**< further signed headers (at most
                                           GES_SIGN_HEADERS_MAX) */
    size_t n_headers;
    const unsigned char *body; /**< request body (NULL if body_len is 0) */
    size_t body_len;
    const char *ak; /**< access key */
    const char *sk; /**< secret key; the HMAC key copies are wiped */
} ges_sign_request_t;

/**
 * Compute the Authorization header value
 * "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=hex"
 * for `r`, into `auth` (NUL-terminated). Allocates nothing: the canonical
 * request is hashed as it is produced. Query: at most GES_SIGN_QUERY_MAX
 * parameters, sorted by key then value; path: at most
 * GES_SIGN_SEGMENTS_MAX segments; at most GES_SIGN_HEADERS_MAX further
 * headers.
 * @param[in]  r        the request; read during the call only.
 * @param[out] auth     where the value goes, NUL-terminated; "" on error.
 * @param[in]  cap      bytes of `auth`, the NUL included.
 * @param[out] auth_len the value's length without the NUL (NULL: not
 *                      wanted).
 * @return GES_OK;
 *         GES_ERR_INVALID_ARG (r or auth NULL, a required field NULL, a
 *         path not starting with '/', sdk_date not 16 characters, a
 *         header's name or value NULL, body NULL with body_len > 0, or
 *         over a GES_SIGN_* limit);
 *         GES_ERR_BUFFER_TOO_SMALL (`cap` too small for the value).
 */
ges_err_t ges_sign_request(const ges_sign_request_t *r, char *auth, size_t cap,
                           size_t *auth_len);

/**
 * Format UTC seconds as an X-Sdk-Date value, "YYYYMMDDTHHMMSSZ".
 * @param[in]  utc_seconds seconds since 1970-01-01T00:00:00Z, years
 *                         1970..9999.
 * @param[out] out         17 bytes: the 16 characters and a NUL.
 * @return GES_OK;
 *         GES_ERR_INVALID_ARG (out NULL, or a time outside 1970..9999).
 */
ges_err_t ges_sdk_date(int64_t utc_seconds, char out[17]);

/**
 * The mbedTLS error code behind the last GES_ERR_TLS (or other TLS failure).
 * @param[in] c the client; NULL gives 0.
 * @return mbedTLS's (negative) code, 0 if none.
 */
int ges_client_tls_error(const ges_client_t *c);

/**
 * With a proxy: the HTTP status of the proxy's last answer to CONNECT.
 * @param[in] c the client; NULL gives 0.
 * @return 200, or the refusal's status (e.g. 407) that made a call fail
 *         with GES_ERR_PROXY; 0 when no status line was read (no proxy,
 *         the proxy could not be reached, or it closed or timed out first).
 */
int ges_client_proxy_status(const ges_client_t *c);

/**
 * Why the server's certificate was refused, after GES_ERR_TLS_CERT.
 * @param[in] c the client; NULL gives 0.
 * @return mbedTLS X.509 verification flags (MBEDTLS_X509_BADCERT_*) of the
 *         last handshake, 0 if it verified.
 */
uint32_t ges_client_cert_flags(const ges_client_t *c);

/**
 * The Content-Encoding of the last answer when the call failed with
 * GES_ERR_HTTP_ENCODING.
 * @param[in] c the client; NULL gives "".
 * @return its name ("gzip"; at most GES_CODING_MAX bytes, a longer name
 *         ends in "..."), else ""; never NULL.
 */
const char *ges_client_content_coding(const ges_client_t *c);
#endif /* !GES_CONFIG_NO_TLS */

#ifdef __cplusplus
}
#endif

#endif /* GES_JOB_H */
