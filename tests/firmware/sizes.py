#!/usr/bin/env python3
"""Flash and static RAM of the firmware image, whole and per part, from the
GNU ld map file (tests/firmware/build.sh writes BUILD/firmware/ges_fw.map).

    python3 tests/firmware/sizes.py BUILD/firmware/ges_fw.map [--json OUT]

Flash = .text (code and constants) + .ARM.exidx + .data (its initial
values live in flash); static RAM = .data + .bss. The main stack is not
static RAM here; it is reported on its own (its size, and the painted
high-water mark from the run). The mbedTLS pool (fw_main.o's fw_pool) is
shown as a part of its own. Alignment fill goes to the part that follows it.
"""
import json
import re
import sys

PARTS = [
    ("ges_job.o", re.compile(r"/ges_job\.o$")),
    ("port (port/lwip_raw)", re.compile(r"/ges_port_lwip_raw\.o$")),
    ("lwIP 2.1.3", re.compile(r"/liblwip\.a\(")),
    ("mbedTLS 2.28.3", re.compile(r"/libmbed(tls|x509|crypto)\.a\(")),
    ("LAN9118 driver", re.compile(r"/lan9118\.o$")),
    ("startup and board", re.compile(r"/board\.o$")),
    ("test program", re.compile(r"/fw_(main|entropy)\.o$")),
    ("libc (newlib-nano) and libgcc", re.compile(r"/lib(c_nano|c|gcc|m)\.a\(")),
]
FLASH_ONLY = (".text", ".ARM.exidx")
POOL_SECTION = ".bss.fw_pool"


def part_of(path):
    for name, rx in PARTS:
        if rx.search(path):
            return name
    return "other"


def parse(map_path):
    """Per part: text (flash-only sections), data, bss. Input sections are
    clipped at the next one's address: merged string sections (.str1.1) are
    listed with their sizes before merging, so the sum then matches the
    output sections' sizes exactly."""
    with open(map_path) as f:
        lines = f.read().split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("Linker script and memory map"))
    sections = {}  # output section -> (end address, [(addr, size, part or None)])
    out_sec = None
    i = start
    while i < len(lines):
        line = lines[i]
        i += 1
        m = re.match(r"^(\.[\w.]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)", line)
        if m:
            out_sec = m.group(1)
            sections[out_sec] = (int(m.group(2), 16) + int(m.group(3), 16), [])
            continue
        m = re.match(r"^(\.[\w.]+)\s*$", line)
        if m:
            out_sec = None  # its address and size are on the next line
            nxt = re.match(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)", lines[i]) if i < len(lines) else None
            if nxt:
                out_sec = m.group(1)
                sections[out_sec] = (int(nxt.group(1), 16) + int(nxt.group(2), 16), [])
                i += 1
            continue
        if out_sec not in FLASH_ONLY + (".data", ".bss"):
            continue
        m = re.match(r"^ \*fill\*\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)", line)
        if m:
            sections[out_sec][1].append((int(m.group(1), 16), int(m.group(2), 16), None, ""))
            continue
        m = re.match(r"^ (\S+)\s*$", line)
        if m and i < len(lines):
            nxt = re.match(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$", lines[i])
            if not nxt:
                continue
            i += 1
            name, addr, size, path = m.group(1), int(nxt.group(1), 16), int(nxt.group(2), 16), nxt.group(3)
        else:
            m = re.match(r"^ (\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$", line)
            if not m:
                continue
            name, addr, size, path = m.group(1), int(m.group(2), 16), int(m.group(3), 16), m.group(4)
        if name.startswith("*") or size == 0:
            continue
        sections[out_sec][1].append((addr, size, part_of(path), name))
    sizes = {}
    pool = 0
    for sec, (end, ents) in sections.items():
        if sec not in FLASH_ONLY + (".data", ".bss"):
            continue
        ents.sort(key=lambda e: e[0])
        pending = 0
        for k, (addr, size, part, name) in enumerate(ents):
            limit = ents[k + 1][0] if k + 1 < len(ents) else end
            size = max(0, min(size, limit - addr))
            if part is None:  # alignment fill: to the part that follows
                pending += size
                continue
            size += pending
            pending = 0
            if name == POOL_SECTION:
                pool += size
                continue
            d = sizes.setdefault(part, {"text": 0, "data": 0, "bss": 0})
            d["text" if sec in FLASH_ONLY else sec[1:]] += size
    return sizes, pool


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    sizes, pool = parse(args[0])
    order = [n for n, _ in PARTS] + ["other"]
    rows = []
    tot = {"flash": 0, "ram": 0}
    for name in order:
        if name not in sizes:
            continue
        d = sizes[name]
        flash, ram = d["text"] + d["data"], d["data"] + d["bss"]
        rows.append({"part": name, "flash": flash, "ram": ram})
        tot["flash"] += flash
        tot["ram"] += ram
    rows.append({"part": "mbedTLS pool (static, in the test program)", "flash": 0, "ram": pool})
    tot["ram"] += pool
    print("%-44s %9s %10s" % ("part", "flash (B)", "static RAM (B)"))
    for r in rows:
        print("%-44s %9d %10d" % (r["part"], r["flash"], r["ram"]))
    print("%-44s %9d %10d" % ("whole image", tot["flash"], tot["ram"]))
    if "--json" in args:
        with open(args[args.index("--json") + 1], "w") as f:
            json.dump({"parts": rows, "total": tot}, f, indent=1)


if __name__ == "__main__":
    main()
