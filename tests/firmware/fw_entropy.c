/*
 * tests/firmware/fw_entropy.c - the test firmware's entropy source.
 *
 *   *** TEST ONLY. NOT AN ENTROPY SOURCE FOR A PRODUCT. ***
 *
 * QEMU's mps2-an386 board has no TRNG. This stream is SHA-256 over a
 * 32-byte seed and a counter; the seed comes from the command line
 * (`seed=<64 hex digits>`, which tests/firmware/run.py draws from the host's
 * os.urandom for every run). Anyone who sees the command line can predict
 * every TLS key of that run: acceptable for a test against a throwaway
 * simulator, never for a device. A product takes ges_port_t.entropy (and
 * LWIP_RAND) from its MCU's TRNG; nothing in port/ offers this as a default.
 *
 * SPDX-License-Identifier: MIT
 */
#include "fw_entropy.h"

#include <string.h>

#include "mbedtls/sha256.h"

static unsigned char ges_fw_seed[32];
static uint32_t ges_fw_counter;
static int ges_fw_seeded;

static int ges_fw_hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int ges_fw_test_entropy_seed(const char *hex)
{
    size_t i;
    for (i = 0; i < sizeof ges_fw_seed; i++) {
        int hi = ges_fw_hex(hex[2 * i]), lo;
        if (hi < 0)
            return -1;
        lo = ges_fw_hex(hex[2 * i + 1]);
        if (lo < 0)
            return -1;
        ges_fw_seed[i] = (unsigned char)(hi << 4 | lo);
    }
    ges_fw_seeded = 1;
    return 0;
}

int ges_fw_test_entropy(void *ctx, unsigned char *buf, size_t len)
{
    unsigned char block[32], in[36];
    (void)ctx;
    if (!ges_fw_seeded)
        return -1; /* never run unseeded */
    memcpy(in, ges_fw_seed, sizeof ges_fw_seed);
    while (len > 0) {
        size_t n = len < sizeof block ? len : sizeof block;
        in[32] = (unsigned char)(ges_fw_counter >> 24);
        in[33] = (unsigned char)(ges_fw_counter >> 16);
        in[34] = (unsigned char)(ges_fw_counter >> 8);
        in[35] = (unsigned char)ges_fw_counter;
        ges_fw_counter++;
        if (mbedtls_sha256_ret(in, sizeof in, block, 0) != 0)
            return -1;
        memcpy(buf, block, n);
        buf += n;
        len -= n;
    }
    memset(block, 0, sizeof block);
    memset(in, 0, sizeof in);
    return 0;
}

uint32_t ges_fw_lwip_rand(void)
{
    unsigned char b[4] = {0, 0, 0, 0};
    (void)ges_fw_test_entropy(NULL, b, sizeof b);
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}
