#!/usr/bin/env python3
"""The configuration checks of ges_job.c, section 1 (part of `make test`).

Compile-only (-fsyntax-only): ges_job.c must
  - build with the defaults, with every bound at its minimum and with every
    bound at its maximum (so the ranges ges_job.h documents are real);
  - stop with "#error ... NAME must be ..." for each bound one below its
    minimum and one above its maximum, and for the 0/1 switches set to 2;
  - stop with an #error naming the mbedTLS module when mbedTLS's
    configuration lacks one the client needs (MBEDTLS_USER_CONFIG_FILE
    #undef'ing it, included by mbedTLS after its own configuration): against
    Debian's mbedTLS 2.28, and against build/mbedtls-3.6.6-host when
    `make test-mbedtls` has built it (said when it is not there).
The ranges come from the table below; tests/cmake/manifests.py checks
Kconfig's defaults against ges_job.h.  Ends with "N passed, N failed".
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CC = os.environ.get("CC", "cc")

# macro: (min, max), as ges_job.h documents them
RANGES = {
    "GES_ID_MAX": (8, 1024), "GES_STATUS_MAX": (16, 256), "GES_NAME_MAX": (8, 4096),
    "GES_TIME_MAX": (19, 64), "GES_CODE_MAX": (8, 256), "GES_TEXT_MAX": (8, 65535),
    "GES_PATH_MAX": (8, 65535), "GES_CAUSE_MAX": (8, 65535), "GES_PATHS_MAX": (0, 1024),
    "GES_JSON_MAX_TOKENS": (3, 1024), "GES_JSON_MAX_DEPTH": (4, 64),
    "GES_BODY_MAX": (1024, 2147483647), "GES_HTTP_HEADERS_MAX": (256, 1048576),
    "GES_TOKEN_MAX": (64, 1048576), "GES_AKSK_MAX": (16, 1024), "GES_HOST_MAX": (16, 253),
    "GES_CODING_MAX": (8, 64), "GES_IO_BUF_MIN": (64, 65536), "GES_PARSE_WORK": (1, 65536),
    "GES_WAIT_SLICE_MS": (1, 1000),
    "GES_CONFIG_NO_TLS": (0, 1), "GES_CONFIG_TLS13": (0, 1),
    "GES_PROXY": (0, 1), "GES_ERROR_TEXTS": (0, 1), "GES_PROXY_CRED_MAX": (1, 1024), "GES_PROXY_HEAD_MAX": (64, 65536),
}
# What the client needs from mbedTLS (ges_job.h, GES_CONFIG_NO_TLS).
MODULES = ["MBEDTLS_SSL_TLS_C", "MBEDTLS_SSL_CLI_C", "MBEDTLS_SSL_PROTO_TLS1_2",
           "MBEDTLS_SSL_SERVER_NAME_INDICATION", "MBEDTLS_X509_CRT_PARSE_C",
           "MBEDTLS_CTR_DRBG_C", "MBEDTLS_SHA256_C"]

checks = Checks()
expect = checks.expect


def compile_c(defs, extra=()):
    cmd = [CC, "-std=c99", "-fsyntax-only", "-I" + ROOT] + list(extra) + \
          ["-D%s=%s" % kv for kv in defs.items()] + [os.path.join(ROOT, "ges_job.c")]
    r = subprocess.run(cmd, capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def main():
    # Every macro of ges_job.h's configuration section has a row above.
    with open(os.path.join(ROOT, "ges_job.h")) as f:
        header = f.read()
    numeric = set(m.group(1) for m in re.finditer(
        r"#ifndef (GES_\w+)\n#define \1 [0-9(]", header))
    expect(numeric == set(RANGES),
           "every numeric macro of ges_job.h's configuration has a range here (%d)" % len(RANGES),
           "only in ges_job.h: %s; only here: %s" % (sorted(numeric - set(RANGES)),
                                                     sorted(set(RANGES) - numeric)))

    # README.md's Bounds table gives the same ranges.
    with open(os.path.join(ROOT, "README.md")) as f:
        readme = f.read()
    rows = {}
    for m in re.finditer(r"^\| `(GES_\w+)` \| [^|]+ \| ([^|]+) \|", readme, re.M):
        r = m.group(2).strip().replace("2^31-1", "2147483647")
        a = re.fullmatch(r"(\d+)\.\.(\d+)", r)
        rows[m.group(1)] = (int(a.group(1)), int(a.group(2))) if a else \
            ((0, 1) if r == "0, 1" else None)
    wrong = sorted(k for k in RANGES if rows.get(k) != RANGES[k])
    expect(not wrong, "README.md's Bounds table lists every macro with its range", str(wrong))

    rc, out = compile_c({})
    expect(rc == 0, "defaults compile", out)
    lo = {k: v[0] for k, v in RANGES.items() if k != "GES_CONFIG_NO_TLS"}
    hi = {k: v[1] for k, v in RANGES.items() if k != "GES_CONFIG_NO_TLS"}
    rc, out = compile_c(lo)
    expect(rc == 0, "every bound at its minimum compiles", out)
    rc, out = compile_c(hi)
    expect(rc == 0, "every bound at its maximum compiles", out)
    rc, out = compile_c({"GES_CONFIG_NO_TLS": 1})
    expect(rc == 0, "GES_CONFIG_NO_TLS=1 compiles", out)

    for name, (a, b) in RANGES.items():
        for v in (a - 1, b + 1):
            if v < 0:
                continue  # a negative bound: the #if below 0 is the same test
            rc, out = compile_c({name: v})
            expect(rc != 0 and re.search(r"#error.*%s must be" % name, out) is not None,
                   "%s=%d stops the build, naming %s" % (name, v, name), out[-2000:])

    with tempfile.TemporaryDirectory(prefix="ges_cfg_") as tmp:
        configs = [("mbedTLS 2.28 (Debian)", [])]
        inc = os.path.join(ROOT, "build", "mbedtls-3.6.6-host", "include")
        cfg = os.path.join(ROOT, "build", "mbedtls-3.6.6-host", "config", "mbedtls_config_test.h")
        if os.path.isdir(inc) and os.path.isfile(cfg):
            configs.append(("mbedTLS 3.6.6 (build/mbedtls-3.6.6-host)",
                            ["-I" + inc, '-DMBEDTLS_CONFIG_FILE="%s"' % cfg]))
        else:
            print("note: build/mbedtls-3.6.6-host absent (make test-mbedtls builds it): "
                  "mbedTLS 3.6 not checked")
        for label, flags in configs:
            rc, out = compile_c({}, flags)
            expect(rc == 0, "%s: its configuration compiles" % label, out[-2000:])
            for m in MODULES:
                user = os.path.join(tmp, "undef_%s.h" % m)
                with open(user, "w") as f:
                    f.write("#undef %s\n" % m)
                rc, out = compile_c({}, flags + ['-DMBEDTLS_USER_CONFIG_FILE="%s"' % user])
                mine = re.search(r"#error \"ges_job needs mbedTLS with [^\n]*%s" % m, out)
                expect(rc != 0 and mine is not None,
                       "%s without %s: the build stops, naming it" % (label, m), out[-2000:])
    checks.finish()


if __name__ == "__main__":
    main()
