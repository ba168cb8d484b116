/*
 * A main() for the fuzz harnesses without libFuzzer: runs
 * LLVMFuzzerTestOneInput() once on every file named on the command line,
 * and on every file in every directory named (not recursive; names starting
 * with '.' are skipped, so a .gitkeep keeps an empty directory in git).
 * Files are replayed in name order, so a run is reproducible.
 *
 * A harness reports a violated invariant by abort(), so a failing input
 * ends the run with SIGABRT after the harness printed what broke. The
 * driver then names the input on stderr ("crashed on input: FILE"): from a
 * SIGABRT/SIGSEGV handler, and, when built with ASan or UBSan, from the
 * sanitizers' death callback. -v prints each name before running it.
 *
 * Build, e.g. for CI machines without libclang-rt:
 *   gcc -std=c99 -I. -Iport/posix tests/fuzz/fuzz_parse.c \
 *       tests/fuzz/standalone.c -lmbedtls -lmbedx509 -lmbedcrypto \
 *       -o build/fuzz/replay_parse
 *   build/fuzz/replay_parse tests/fuzz/corpus/parse tests/fuzz/regress/parse
 * Output ends with "N passed, 0 failed" (the line tests/run_all.sh counts).
 *
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *current; /* file being replayed, for the crash handler */
static int verbose;

/* Present when a sanitizer runtime is linked (gcc and clang both have it). */
#if defined(__GNUC__)
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));
#define HAVE_DEATH_CALLBACK 1
#endif

static void name_current(void)
{
    static const char msg[] = "standalone: crashed on input: ";
    ssize_t r;
    r = write(2, msg, sizeof msg - 1);
    if (current != NULL) r = write(2, current, strlen(current));
    r = write(2, "\n", 1);
    (void)r;
}

static void on_crash(int sig)
{
    name_current(); /* write(2) only: this runs in a signal handler */
    signal(sig, SIG_DFL);
    raise(sig);
}

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    if (f == NULL) {
        fprintf(stderr, "standalone: %s: %s\n", path, strerror(errno));
        return -1;
    }
    for (;;) {
        size_t got;
        if (len == cap) {
            unsigned char *nb;
            cap = cap ? cap * 2 : 4096;
            nb = (unsigned char *)realloc(buf, cap);
            if (nb == NULL) {
                fclose(f);
                free(buf);
                fprintf(stderr, "standalone: %s: out of memory\n", path);
                return -1;
            }
            buf = nb;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        fclose(f);
        free(buf);
        fprintf(stderr, "standalone: %s: read error\n", path);
        return -1;
    }
    fclose(f);
    /* An exact-size copy, so ASan (when built with it) catches any read
     * past the input, as under libFuzzer. */
    {
        unsigned char *exact = (unsigned char *)malloc(len ? len : 1);
        if (exact == NULL) {
            free(buf);
            return -1;
        }
        if (len) memcpy(exact, buf, len);
        free(buf);
        current = path;
        if (verbose) fprintf(stderr, "running %s (%lu bytes)\n", path, (unsigned long)len);
        (void)LLVMFuzzerTestOneInput(exact, len);
        current = NULL;
        free(exact);
    }
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays every regular file of dir; returns files run, or -1. */
static long run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    long count = 0;
    if (d == NULL) {
        fprintf(stderr, "standalone: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') continue;
        if (n == cap) {
            char **nn;
            cap = cap ? cap * 2 : 64;
            nn = (char **)realloc(names, cap * sizeof *names);
            if (nn == NULL) break;
            names = nn;
        }
        names[n] = (char *)malloc(strlen(dir) + strlen(de->d_name) + 2);
        if (names[n] == NULL) break;
        sprintf(names[n], "%s/%s", dir, de->d_name);
        n++;
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, cmp_names);
    for (i = 0; i < n; i++) {
        struct stat sb;
        if (count >= 0 && stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode)) {
            if (run_file(names[i]) != 0) count = -1;
            else count++;
        }
        free(names[i]);
    }
    free(names);
    return count;
}

int main(int argc, char **argv)
{
    long total = 0;
    int i, bad = 0;
    signal(SIGABRT, on_crash);
#ifdef HAVE_DEATH_CALLBACK
    if (__sanitizer_set_death_callback != NULL) {
        /* ASan handles SEGV itself (and reports better): leave it alone */
        __sanitizer_set_death_callback(name_current);
    } else
#endif
    {
        signal(SIGSEGV, on_crash);
        signal(SIGBUS, on_crash);
        signal(SIGFPE, on_crash);
    }
    for (i = 1; i < argc; i++) {
        struct stat sb;
        const char *a = argv[i];
        if (strcmp(a, "-v") == 0) {
            verbose = 1;
            continue;
        }
        if (a[0] == '-') continue; /* libFuzzer flags: ignored */
        if (stat(a, &sb) != 0) {
            fprintf(stderr, "standalone: %s: %s\n", a, strerror(errno));
            bad = 1;
        } else if (S_ISDIR(sb.st_mode)) {
            long r = run_dir(a);
            if (r < 0) bad = 1;
            else total += r;
        } else if (run_file(a) != 0) {
            bad = 1;
        } else {
            total++;
        }
    }
    printf("%s: replayed %ld inputs\n", argv[0], total);
    printf("%ld passed, %d failed\n", total, bad);
    return bad ? 1 : 0;
}
