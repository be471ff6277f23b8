#!/usr/bin/env python3
"""check_layouts.py OUT EXAMPLE FUNCTION BUILD...: after examples/bench/run.py --out OUT,
prints for each build the layouts its runs used and where FUNCTION starts within its 64-byte
line in each layout's binary (from nm), e.g. "stmc: runs 0,1,2,3; offsets 0,16,32,48"."""
import json
import os
import subprocess
import sys

out, ex, fn, builds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
runs = json.load(open(os.path.join(out, "results.json")))["runs"]
for b in builds:
    used = sorted({r["layout"] for r in runs if r["example"] == ex and r["build"] == b
                   and r["ok"] and not r["warmup"]})
    offs = []
    for k in used:
        path = os.path.join(out, "bin", "%s.%s" % (ex, b) + (".L%d" % k if k else ""))
        syms = subprocess.run(["nm", path], capture_output=True, text=True, check=True).stdout
        addr = [int(l.split()[0], 16) for l in syms.splitlines()
                if l.split()[-1] == fn and len(l.split()) == 3]
        offs.append(addr[0] % 64 if addr else -1)
    print("%s: runs %s; offsets %s" % (b, ",".join(map(str, used)),
                                      ",".join(map(str, sorted(offs)))))
