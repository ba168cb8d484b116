#!/bin/sh
# What the hardening targets (tests/mk/hardening.mk) need: clang (ASan/UBSan
# build), valgrind, cppcheck, clang-tidy, clang-format, liblwip-dev (analyze), gcovr (coverage report).
# Usage: sh tests/hardening/deps.sh [package ...]   (default: all of them)
exec sh "$(dirname "$0")/../deps.sh" ${*:-clang valgrind cppcheck clang-tidy clang-format liblwip-dev gcovr}
