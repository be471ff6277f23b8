#!/usr/bin/env python3
"""A/B comparison of two builds of the same examples (python3 standard library only).

    python3 examples/bench/ab.py OLD_DIR NEW_DIR --examples hashmap,bank --threads 1,2,16

OLD_DIR and NEW_DIR hold binaries NAME.stmc (e.g. copies of BUILD/bench/bin from two commits).
Each (example, threads) runs both builds ROUNDS times, alternating which goes first, with
STM_STATS=1; prints medians, their ratio and the median of the start_fallbacks counter, and
writes every run to --json.  Extra arguments for an example: --args NAME='--size 1000000'.
"""
import argparse
import json
import os
import subprocess
import time

from run import med, parse_output     # the runner's parsing of time_ms, check and STM_STATS


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--examples", required=True, help="comma-separated, in this order")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--deadline", type=float, default=None, help="seconds: no new run after")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--args", action="append", default=[], metavar="NAME=ARGS")
    ap.add_argument("--json", default=None, help="write every run here")
    a = ap.parse_args()
    extra = {k: v.split() for k, v in (x.split("=", 1) for x in a.args)}
    stop = time.monotonic() + a.deadline if a.deadline else None
    env = dict(os.environ, STM_STATS="1")
    runs = []
    for ex in a.examples.split(","):
        for n in [int(t) for t in a.threads.split(",")]:
            for r in range(a.rounds):
                for b in (("old", "new") if r % 2 == 0 else ("new", "old")):
                    if stop and time.monotonic() > stop:
                        continue
                    exe = os.path.join(getattr(a, b), ex + ".stmc")
                    p = subprocess.run([exe, "--threads", str(n)] + extra.get(ex, []),
                                       capture_output=True, text=True, env=env,
                                       timeout=a.timeout)
                    t, check, st = parse_output(p.stdout + p.stderr)
                    runs.append({"ex": ex, "n": n, "b": b, "t": t,
                                 "ok": p.returncode == 0 and check == "check: ok", "st": st})
            sel = lambda b: [x for x in runs if x["ex"] == ex and x["n"] == n and x["b"] == b
                             and x["ok"]]
            o, w = sel("old"), sel("new")
            if o and w:
                mo, mw = med([x["t"] for x in o]), med([x["t"] for x in w])
                print("%-14s %2d thr  old %8.1f  new %8.1f  new/old %.3f  start_fallbacks "
                      "%s -> %s" % (ex, n, mo, mw, mw / mo,
                                    med([x["st"].get("start_fallbacks", 0) for x in o]),
                                    med([x["st"].get("start_fallbacks", 0) for x in w])),
                      flush=True)
    bad = [x for x in runs if not x["ok"]]
    print("%d runs, %d failed" % (len(runs), len(bad)))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(runs, f)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
