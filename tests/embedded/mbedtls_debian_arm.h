/*
 * MBEDTLS_USER_CONFIG_FILE for compiling ges_job.c against Debian's mbedTLS
 * 2.28 HEADERS with arm-none-eabi-gcc (`make cortex-m`). Debian's
 * mbedtls/config.h is the Linux one: MBEDTLS_THREADING_PTHREAD makes
 * mbedtls/threading.h need pthread_mutex_t, which newlib does not declare
 * for bare metal. Nothing else in it stops a Cortex-M compile.
 *
 * This only checks that ges_job.c compiles warning-free for Cortex-M and
 * gives its object size; nothing is linked against Debian's (x86) libraries.
 * Firmware uses its own mbedTLS configuration (see port/mbedtls_config_ges.h
 * and tests/mbedtls/build.sh ... cortex-m4, which `make cortex-m` also uses
 * when that build exists).
 *
 * SPDX-License-Identifier: MIT
 */
#undef MBEDTLS_THREADING_C
#undef MBEDTLS_THREADING_PTHREAD
