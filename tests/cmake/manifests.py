#!/usr/bin/env python3
"""Manifest checks for tests/cmake_check.sh: library.json, idf_component.yml,
zephyr/module.yml parse; their versions equal GES_VERSION_STRING; every file
they name exists; the Kconfig files parse (kconfiglib) and agree with
ges_job.h's defaults and with port/kconfig/ges_job_kconfig.h. With
--sdkconfig DIR, also writes DIR/sdkconfig.h from the Kconfig file with
non-default values, for the ESP-IDF stand-in build. Prints one "ok"/"FAIL"
line per check; exit status 1 if any failed."""
import json, os, re, sys

import kconfiglib
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
failed = 0


def check(name, ok, detail=""):
    global failed
    print(("ok   " if ok else "FAIL ") + name + ("" if ok or not detail else ": " + detail))
    failed += 0 if ok else 1


def read(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
        return f.read()


header = read("ges_job.h")
version = re.search(r'#define GES_VERSION_STRING "([^"]+)"', header).group(1)
defaults = {m.group(1): eval(re.sub(r"(\d)UL", r"\1", m.group(2)))
            for m in re.finditer(r"#ifndef (GES_\w+)\n#define \1 ([0-9(].*)\n", header)}

try:
    lib = json.loads(read("library.json"))
    check("library.json parses (JSON)", True)
except ValueError as e:
    lib = {}
    check("library.json parses (JSON)", False, str(e))
check("library.json version = GES_VERSION_STRING " + version, lib.get("version") == version,
      str(lib.get("version")))
need = ["name", "version", "description", "keywords", "license", "frameworks", "platforms",
        "dependencies", "build"]
check("library.json has " + ", ".join(need), all(k in lib for k in need))
check("library.json depends on jsmn",
      any(d.get("name") == "jsmn" for d in lib.get("dependencies", [])))
build = lib.get("build", {})
srcs = [f[2:-1] for f in build.get("srcFilter", []) if f.startswith("+<")]
check("library.json compiles only ges_job.c unless a port is chosen", srcs == ["ges_job.c"], str(srcs))
script = build.get("extraScript", "")
check("library.json extraScript exists", os.path.isfile(os.path.join(ROOT, script)), script)
if os.path.isfile(os.path.join(ROOT, script)):
    ports = re.findall(r'"(\w+)"', read(script).split("if port in", 1)[1].split(":", 1)[0])
    missing = [p for p in ports if p != "lwip_raw" and
               not os.path.isfile(os.path.join(ROOT, "port", p, "ges_port_%s.c" % p))]
    check("extraScript's ports exist (lwip_raw may be absent)", not missing, str(missing))

try:
    idf = yaml.safe_load(read("idf_component.yml"))
    check("idf_component.yml parses (YAML)", isinstance(idf, dict))
except yaml.YAMLError as e:
    idf = {}
    check("idf_component.yml parses (YAML)", False, str(e))
check("idf_component.yml version = " + version, str(idf.get("version")) == version)
check("idf_component.yml has description, url, license",
      all(idf.get(k) for k in ("description", "url", "license")))
deps = idf.get("dependencies") or {}
check("idf_component.yml depends on idf and espressif/jsmn", "idf" in deps and "espressif/jsmn" in deps)
check("library.json and idf_component.yml name the same url",
      lib.get("repository", {}).get("url") == idf.get("url"))
check("license in manifests matches LICENSE (MIT)", read("LICENSE").startswith("MIT License") and
      lib.get("license") == "MIT" and idf.get("license") == "MIT")

try:
    zm = yaml.safe_load(read("zephyr/module.yml"))
    check("zephyr/module.yml parses (YAML)", isinstance(zm, dict))
except yaml.YAMLError as e:
    zm = {}
    check("zephyr/module.yml parses (YAML)", False, str(e))
zb = zm.get("build", {})
check("zephyr/module.yml: cmake folder has CMakeLists.txt, kconfig file exists",
      os.path.isfile(os.path.join(ROOT, zb.get("cmake", "?"), "CMakeLists.txt")) and
      os.path.isfile(os.path.join(ROOT, zb.get("kconfig", "?"))))

# Kconfig: ESP-IDF's view (the root file alone).
os.environ.setdefault("srctree", ROOT)
kc = kconfiglib.Kconfig(os.path.join(ROOT, "Kconfig"), warn_to_stderr=False)
check("Kconfig parses without warnings (kconfiglib)", not kc.warnings, "; ".join(kc.warnings))
mapping = read("port/kconfig/ges_job_kconfig.h")
syms = [s for s in kc.unique_defined_syms if s.name.startswith("GES_JOB_")]
bad = []
for s in syms:
    macro = "GES_CONFIG_TLS13" if s.name == "GES_JOB_TLS13" else "GES_" + s.name[8:]
    if not re.search(r"#ifdef CONFIG_%s\n#define %s " % (s.name, macro), mapping):
        bad.append(s.name + ": no mapping to " + macro)
    if macro not in defaults:
        bad.append(s.name + ": " + macro + " is not a ges_job.h default")
    elif s.type == kconfiglib.INT:
        lo, hi = int(s.ranges[0][0].str_value), int(s.ranges[0][1].str_value)
        if int(s.str_value) != defaults[macro] or not lo <= defaults[macro] <= hi:
            bad.append("%s: default %s, ges_job.h %s, range %d..%d" %
                       (s.name, s.str_value, defaults[macro], lo, hi))
check("Kconfig: %d options, each mapped in ges_job_kconfig.h, defaults = ges_job.h's" % len(syms),
      not bad and len(syms) >= 10, "; ".join(bad))

# Zephyr's view: zephyr/Kconfig with the symbols it depends on stubbed.
stub = os.path.join(sys.argv[2] if len(sys.argv) > 2 else "/tmp", "Kconfig.zephyr-stub")
with open(stub, "w") as f:
    f.write("".join('config %s\n\tbool\n\tdefault y\n' % n for n in ("NETWORKING", "NET_SOCKETS", "MBEDTLS")))
    f.write('source "zephyr/Kconfig"\n')
kz = kconfiglib.Kconfig(stub, warn_to_stderr=False)
check("zephyr/Kconfig parses without warnings (kconfiglib)", not kz.warnings, "; ".join(kz.warnings))
g = kz.syms.get("GES_JOB")
dep = kconfiglib.expr_str(g.direct_dep) if g else ""
check("zephyr/Kconfig: GES_JOB depends on NETWORKING, NET_SOCKETS, MBEDTLS",
      g is not None and all(n in dep for n in ("NETWORKING", "NET_SOCKETS", "MBEDTLS")), dep)
g.set_value("y")
check("zephyr/Kconfig: the bounds appear under GES_JOB",
      kz.syms["GES_JOB_ID_MAX"].visibility and kz.syms["GES_JOB_ID_MAX"].str_value == "64")
g.set_value("n")
check("zephyr/Kconfig: and not without it", not kz.syms["GES_JOB_ID_MAX"].visibility)

if len(sys.argv) > 2 and sys.argv[1] == "--sdkconfig":
    for name, value in (("GES_JOB_ID_MAX", "100"), ("GES_JOB_PATHS_MAX", "2"),
                        ("GES_JOB_BODY_MAX", "65536"), ("GES_JOB_TLS13", "y")):
        kc.syms[name].set_value(value)
    kc.write_autoconf(os.path.join(sys.argv[2], "sdkconfig.h"))

sys.exit(1 if failed else 0)
