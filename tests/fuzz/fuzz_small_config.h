/*
 * The "small" configuration of the fuzz harnesses: every bound at (or near)
 * the smallest value ges_job.c accepts, so that inputs of a few hundred
 * bytes reach what the defaults only reach with kilobytes or megabytes:
 * cut strings in every field, sets over GES_PATHS_MAX, one member per jsmn
 * piece, the depth limit, the header limit and the body limit (the default
 * GES_BODY_MAX, 32 MiB, is out of reach of a 4 KiB input).
 *
 * Harnesses include it before ges_job.c when built with -DFZ_SMALL_CONFIG
 * (tests/fuzz/run.sh does for its "small" round, the Makefile for
 * replay_small_*).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef GES_FUZZ_SMALL_CONFIG_H
#define GES_FUZZ_SMALL_CONFIG_H

#define GES_ID_MAX 8
#define GES_STATUS_MAX 16
#define GES_NAME_MAX 8
#define GES_TIME_MAX 19
#define GES_CODE_MAX 8
#define GES_TEXT_MAX 8
#define GES_PATH_MAX 8
#define GES_CAUSE_MAX 8
#define GES_PATHS_MAX 1
#define GES_JSON_MAX_TOKENS 3
#define GES_JSON_MAX_DEPTH 4
#define GES_HTTP_HEADERS_MAX 256UL
#define GES_BODY_MAX 1024UL
#define GES_TOKEN_MAX 64UL
#define GES_HOST_MAX 16

#endif /* GES_FUZZ_SMALL_CONFIG_H */
