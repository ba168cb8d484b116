/*
 * ges_job_kconfig.h - the GES_* bounds from Kconfig (the Kconfig file at the
 * root of ges_job): ESP-IDF and Zephyr builds define
 * GES_CONFIG_FILE="ges_job_kconfig.h" for the library and every file that
 * includes ges_job.h, so all of them see the same struct sizes.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef GES_JOB_KCONFIG_H
#define GES_JOB_KCONFIG_H

/* Zephyr passes its autoconf.h to every file with -imacros; ESP-IDF needs
 * its sdkconfig.h included. */
#if defined(ESP_PLATFORM)
#include "sdkconfig.h"
#endif

/* Byte counts are unsigned long, as the defaults in ges_job.h (usable in #if). */
#define GES_KCONFIG_UL_(x) x##UL
#define GES_KCONFIG_UL(x) GES_KCONFIG_UL_(x)

#ifdef CONFIG_GES_JOB_ID_MAX
#define GES_ID_MAX CONFIG_GES_JOB_ID_MAX
#endif
#ifdef CONFIG_GES_JOB_STATUS_MAX
#define GES_STATUS_MAX CONFIG_GES_JOB_STATUS_MAX
#endif
#ifdef CONFIG_GES_JOB_NAME_MAX
#define GES_NAME_MAX CONFIG_GES_JOB_NAME_MAX
#endif
#ifdef CONFIG_GES_JOB_TIME_MAX
#define GES_TIME_MAX CONFIG_GES_JOB_TIME_MAX
#endif
#ifdef CONFIG_GES_JOB_CODE_MAX
#define GES_CODE_MAX CONFIG_GES_JOB_CODE_MAX
#endif
#ifdef CONFIG_GES_JOB_TEXT_MAX
#define GES_TEXT_MAX CONFIG_GES_JOB_TEXT_MAX
#endif
#ifdef CONFIG_GES_JOB_PATH_MAX
#define GES_PATH_MAX CONFIG_GES_JOB_PATH_MAX
#endif
#ifdef CONFIG_GES_JOB_CAUSE_MAX
#define GES_CAUSE_MAX CONFIG_GES_JOB_CAUSE_MAX
#endif
#ifdef CONFIG_GES_JOB_PATHS_MAX
#define GES_PATHS_MAX CONFIG_GES_JOB_PATHS_MAX
#endif
#ifdef CONFIG_GES_JOB_JSON_MAX_TOKENS
#define GES_JSON_MAX_TOKENS CONFIG_GES_JOB_JSON_MAX_TOKENS
#endif
#ifdef CONFIG_GES_JOB_JSON_MAX_DEPTH
#define GES_JSON_MAX_DEPTH CONFIG_GES_JOB_JSON_MAX_DEPTH
#endif
#ifdef CONFIG_GES_JOB_HTTP_HEADERS_MAX
#define GES_HTTP_HEADERS_MAX GES_KCONFIG_UL(CONFIG_GES_JOB_HTTP_HEADERS_MAX)
#endif
#ifdef CONFIG_GES_JOB_BODY_MAX
#define GES_BODY_MAX GES_KCONFIG_UL(CONFIG_GES_JOB_BODY_MAX)
#endif
#ifdef CONFIG_GES_JOB_HOST_MAX
#define GES_HOST_MAX CONFIG_GES_JOB_HOST_MAX
#endif
#ifdef CONFIG_GES_JOB_TOKEN_MAX
#define GES_TOKEN_MAX GES_KCONFIG_UL(CONFIG_GES_JOB_TOKEN_MAX)
#endif
#ifdef CONFIG_GES_JOB_AKSK_MAX
#define GES_AKSK_MAX CONFIG_GES_JOB_AKSK_MAX
#endif
#ifdef CONFIG_GES_JOB_CODING_MAX
#define GES_CODING_MAX CONFIG_GES_JOB_CODING_MAX
#endif
#ifdef CONFIG_GES_JOB_PARSE_WORK
#define GES_PARSE_WORK CONFIG_GES_JOB_PARSE_WORK
#endif
#ifdef CONFIG_GES_JOB_WAIT_SLICE_MS
#define GES_WAIT_SLICE_MS CONFIG_GES_JOB_WAIT_SLICE_MS
#endif
#ifdef CONFIG_GES_JOB_IO_BUF_MIN
#define GES_IO_BUF_MIN CONFIG_GES_JOB_IO_BUF_MIN
#endif
#ifdef CONFIG_GES_JOB_PROXY
#define GES_PROXY 1
#else
#define GES_PROXY 0 /* "n" in Kconfig leaves the symbol undefined */
#endif
#ifdef CONFIG_GES_JOB_ERROR_TEXTS
#define GES_ERROR_TEXTS 1
#else
#define GES_ERROR_TEXTS 0 /* "n" in Kconfig leaves the symbol undefined */
#endif
#ifdef CONFIG_GES_JOB_PROXY_CRED_MAX
#define GES_PROXY_CRED_MAX CONFIG_GES_JOB_PROXY_CRED_MAX
#endif
#ifdef CONFIG_GES_JOB_PROXY_HEAD_MAX
#define GES_PROXY_HEAD_MAX CONFIG_GES_JOB_PROXY_HEAD_MAX
#endif
#ifdef CONFIG_GES_JOB_TLS13
#define GES_CONFIG_TLS13 1
#endif

/* The ESP-IDF registry's jsmn component (espressif/jsmn) sets JSMN_PARENT_LINKS
 * from its Kconfig; ges_job.c's tokens must have the same layout as the
 * jsmn_parse() it calls. */
#if defined(CONFIG_JSMN_PARENT_LINKS) && !defined(JSMN_PARENT_LINKS)
#define JSMN_PARENT_LINKS
#endif

#endif /* GES_JOB_KCONFIG_H */
