/*
 * port/mbedtls_config_ges.h - a minimal mbedTLS configuration for a device
 * whose only TLS peer is Huawei Cloud GES (through its API gateway).
 *
 * SPDX-License-Identifier: MIT
 *
 * Use: build mbedTLS AND every file that includes an mbedTLS header
 * (ges_job.c, your port, your application) with
 *
 *     -DMBEDTLS_CONFIG_FILE='"mbedtls_config_ges.h"' -Iport
 *
 * (structure layouts depend on the configuration: never mix). One file
 * serves mbedTLS 2.28 LTS and 3.6 LTS; tests/mbedtls/build.sh builds both
 * with it (`tests/mbedtls/build.sh 3.6.6 host ges`, `... cortex-m4`) and
 * tests/mbedtls/run_tests.sh VERSION ges runs every test against it.
 *
 * Why one file and not two: mbedTLS 3.x defines MBEDTLS_VERSION_MAJOR in
 * <mbedtls/build_info.h> *before* it reads this file, while 2.28 reads the
 * configuration before <mbedtls/version.h> defines it (and this file is read
 * only once: include guard). So "defined(MBEDTLS_VERSION_MAJOR)" tells the
 * two apart reliably. The common part is shared; the few differences
 * (option names, 2.28's explicit check_config.h) sit in two short sections
 * at the end. No macro of ours is needed to pick a section.
 *
 * What it gives:
 *   - TLS 1.2 client only (no server, no DTLS, no renegotiation, no
 *     TLS 1.3: GES's gateways speak 1.2, and 3.6's 1.3 code needs PSA and a
 *     PSA entropy source);
 *   - ECDHE-ECDSA and ECDHE-RSA with AES-128-GCM/SHA-256 and
 *     AES-256-GCM/SHA-384 (exactly those four suites, in that order of
 *     preference), groups x25519, secp256r1, secp384r1;
 *   - X.509 certificate parsing and verification, CA bundle in PEM or DER,
 *     RSA (PKCS#1 v1.5) up to 4096 bits and ECDSA P-256/P-384 chains;
 *   - SNI (the gateway serves many names), extended master secret, session
 *     tickets (client side: a reconnect resumes, no full handshake);
 *   - CTR-DRBG seeded directly by ges_port_t.entropy (ges_job.c does that),
 *     so MBEDTLS_ENTROPY_C and any platform entropy are NOT needed;
 *   - no NET_C, FS_IO, TIMING, HAVE_TIME: ges_job.c does I/O through the
 *     port and checks certificate dates itself from ges_port_t.wall_clock or
 *     ges_client_config_t.time_floor (mbedTLS never looks at a clock);
 *   - MBEDTLS_PLATFORM_MEMORY + MBEDTLS_MEMORY_BUFFER_ALLOC_C: call
 *     mbedtls_memory_buffer_alloc_init(pool, sizeof pool) once at start-up
 *     and leave ges_port_t.tls_calloc/tls_free NULL; mbedTLS then never
 *     touches the C heap. Pool size: see "RAM" below.
 *
 * Record sizes (the big RAM item). mbedTLS allocates one input and one
 * output buffer per connection, each its content length plus ~90 bytes
 * (header, IV, tag, padding):
 *   - MBEDTLS_SSL_OUT_CONTENT_LEN 2048: ges_job.c writes the request in
 *     pieces (mbedtls_ssl_write may take part of it, the rest goes in the
 *     next record), so this only bounds our ClientHello (about 200 bytes
 *     plus a session ticket, 200 bytes from OpenSSL servers, rarely over
 *     1 KB anywhere) and a record's worth of the request. An IAM token of
 *     several KB simply takes a few records.
 *   - MBEDTLS_SSL_IN_CONTENT_LEN 8192: every record the server sends must
 *     fit, and mbedTLS 2.28 cannot reassemble a handshake message split over
 *     records (3.6 can, but still needs the whole message in this buffer),
 *     so the Certificate message, i.e. the server's whole chain, must fit.
 *     Measured (tests/mbedtls/ram_probe.c parses the record headers on the
 *     wire): the simulator's chain (one ECDSA P-256 leaf) is a 470-byte
 *     Certificate message, an RSA-2048 leaf plus RSA-2048 intermediate
 *     1696 bytes; the simulator's ordinary answers are records of at most
 *     819 bytes.
 *     A public chain (an RSA-2048 leaf with many names plus one or two
 *     intermediates) is typically 3-5 KB (an estimate: GES's real chain was
 *     not reachable from here): 8192 leaves that room. Answers: a GES status
 *     answer is a few hundred bytes to a few KB, and a server writes a small
 *     answer as a small record. But a server that writes a large answer (an
 *     import job with hundreds of paths) in full 16 KB records makes the
 *     read fail with -0x7100 (MBEDTLS_ERR_SSL_BAD_INPUT_DATA, "more data
 *     than fits"): the five CLI cases of tests/integration.py with huge
 *     answers fail exactly so under this file, and asking the server for a
 *     smaller max_fragment_length does not help (OpenSSL servers ignore
 *     it). If your jobs can carry such answers, use 16384: define
 *     MBEDTLS_SSL_IN_CONTENT_LEN before this file is read (e.g.
 *     -DMBEDTLS_SSL_IN_CONTENT_LEN=16384 for mbedTLS and every file using
 *     it; it is a plain #ifndef default here, like OUT); that costs 8 KB.
 *
 * RAM, measured with tests/mbedtls/ram_probe.c (peak of live mbedTLS
 * allocations over a full handshake and two polls; "pool" = smallest
 * mbedtls_memory_buffer_alloc buffer that works, headers and fragmentation
 * included), 32-bit ARM (armhf under qemu; a Cortex-M is the same ILP32):
 *     ECDSA P-256 chain (simulator)   2.28.3 14.4 KB, pool 16.1 KB
 *                                     3.6.6  14.7 KB, pool 16.0 KB
 *     RSA-2048 leaf + intermediate    2.28.3 19.4 KB, pool 20.8 KB
 *                                     3.6.6  19.5 KB, pool 20.9 KB
 * (x86-64: 15.4 / 15.3 KB and 21.0 / 21.1 KB.) About 12 KB of it is there
 * from ges_client_init() on: the two record buffers and the parsed CA.
 * Reserve a 24 KB pool for a real RSA chain, plus roughly DER size + 600
 * bytes for each further certificate in the CA bundle. With the stock
 * configuration (16 KB records) the same poll peaks at 44-46 KB (TLS 1.2)
 * and 59 KB (3.6.6, TLS 1.3).
 *
 * Firmware notes: no entropy source is compiled in (the port's entropy
 * function seeds CTR-DRBG); MBEDTLS_HAVE_ASM is kept (Cortex-M4 Thumb-2
 * multiply-accumulate); MBEDTLS_AES_ROM_TABLES puts the AES tables in
 * flash instead of ~8 KB of RAM.
 */
#ifndef GES_MBEDTLS_CONFIG_GES_H
#define GES_MBEDTLS_CONFIG_GES_H

/* --- System ------------------------------------------------------------- */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_MEMORY_BUFFER_ALLOC_C
/* #define MBEDTLS_MEMORY_DEBUG   for mbedtls_memory_buffer_alloc_max_get() */
/* No MBEDTLS_HAVE_TIME / HAVE_TIME_DATE: certificate dates are checked by
 * ges_job.c (ges_port_t.wall_clock, ges_client_config_t.time_floor). */

/* --- Symmetric crypto and hashes ---------------------------------------- */
#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_AES_FEWER_TABLES
#define MBEDTLS_GCM_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA512_C /* SHA-384: AES-256-GCM suites, P-384 chains */
#define MBEDTLS_CTR_DRBG_C

/* --- Public key: ECDHE, ECDSA, RSA verify -------------------------------- */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_DP_CURVE25519_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECP_WINDOW_SIZE 2       /* RAM over speed */
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0 /* no precomputed tables (flash) */
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_MPI_MAX_SIZE 512 /* RSA up to 4096 bits */
#define MBEDTLS_MPI_WINDOW_SIZE 2
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C /* ECDSA needs it */
#define MBEDTLS_OID_C

/* --- X.509 --------------------------------------------------------------- */
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_BASE64_C

/* --- TLS 1.2 client ------------------------------------------------------ */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_SESSION_TICKETS
/* Not kept after the handshake: a resumed session remembers a digest. */
/* (MBEDTLS_SSL_KEEP_PEER_CERTIFICATE off) */
#define MBEDTLS_SSL_CIPHERSUITES                         \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,     \
        MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,   \
        MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, \
        MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384

#ifndef MBEDTLS_SSL_IN_CONTENT_LEN
#define MBEDTLS_SSL_IN_CONTENT_LEN 8192
#endif
#ifndef MBEDTLS_SSL_OUT_CONTENT_LEN
#define MBEDTLS_SSL_OUT_CONTENT_LEN 2048
#endif

/* --- Version-specific parts ---------------------------------------------- */
#if defined(MBEDTLS_VERSION_MAJOR) && MBEDTLS_VERSION_MAJOR >= 3
/* mbedTLS 3.x: <mbedtls/build_info.h> read this file after defining the
 * version, and runs check_config.h itself afterwards. SHA-384 has its own
 * switch since 3.0. No MBEDTLS_PSA_CRYPTO_C: TLS 1.2 without
 * MBEDTLS_USE_PSA_CRYPTO does not need it (ges_job.c calls
 * psa_crypto_init() only when it is defined). */
#define MBEDTLS_SHA384_C
#else
/* mbedTLS 2.28: the maximum record size is a separate option whose IN/OUT
 * parts default to it; the configuration must run check_config.h. */
#define MBEDTLS_SSL_MAX_CONTENT_LEN                                                        \
    (MBEDTLS_SSL_IN_CONTENT_LEN > MBEDTLS_SSL_OUT_CONTENT_LEN ? MBEDTLS_SSL_IN_CONTENT_LEN \
                                                              : MBEDTLS_SSL_OUT_CONTENT_LEN)
#include "mbedtls/check_config.h"
#endif

#endif /* GES_MBEDTLS_CONFIG_GES_H */
