/*
 * rss_run - run a command and report its peak resident set size, measured
 * from outside: fork, exec, wait4, ru_maxrss.
 *
 *   rss_run COMMAND [ARG...]
 *
 * The command's stdout and stderr pass through; at the end rss_run writes
 *   rss_run: maxrss_kib=N exit=S
 * to stderr and exits with the command's exit status (128 + signal if it
 * was killed).
 *
 * Why a C program: Linux carries the peak RSS a process had before exec
 * into the exec'd program's ru_maxrss, so a command started straight from
 * Python reports at least the interpreter's size. Built statically, this
 * wrapper is a few hundred KiB, so the floor it leaves is small (the
 * benchmarks print it: `rss_run build/bench/rss_floor`).
 *
 * SPDX-License-Identifier: MIT
 */
#define _DEFAULT_SOURCE

#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct rusage ru;
    int status = 0, code;
    pid_t pid;
    if (argc < 2) {
        fprintf(stderr, "usage: rss_run COMMAND [ARG...]\n");
        return 2;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        perror("rss_run: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        perror("rss_run: exec");
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("rss_run: wait4");
        return 2;
    }
    code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    fprintf(stderr, "rss_run: maxrss_kib=%ld exit=%d\n", ru.ru_maxrss, code);
    return code;
}
