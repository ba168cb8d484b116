#!/bin/sh
# What `make bench` needs: valgrind (callgrind, memcheck, massif), cJSON and
# libcurl (OpenSSL flavour) for the side-by-side programs, GNU time for peak
# RSS, the Cortex-M cross compiler for the flash figures, and what the
# library itself needs.
sh "$(dirname "$0")/../deps.sh" &&
    exec sh "$(dirname "$0")/../deps.sh" valgrind libcjson-dev libcurl4-openssl-dev time \
        gcc-arm-none-eabi libnewlib-arm-none-eabi
