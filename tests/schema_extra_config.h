/*
 * The configuration of tests/test_schema.c: one field added to the top level
 * and one to the file entries, exactly as ges_job.h's "Adding a field" says
 * (a GES_CONFIG_FILE that appends a row; nothing else). Small bounds for the
 * new fields so truncation is reached with short values.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef GES_SCHEMA_EXTRA_CONFIG_H
#define GES_SCHEMA_EXTRA_CONFIG_H

#define GES_JOB_FIELDS_EXTRA(X) \
    X(JOB_CATEGORY, job_category, "jobCategory", "job_category", STR, 16)
#define GES_FILE_FIELDS_EXTRA(X) \
    X(FORMAT, format, "format", "file_format", STR, 8)

#endif /* GES_SCHEMA_EXTRA_CONFIG_H */
