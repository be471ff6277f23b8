#!/usr/bin/env python3
"""stmc benchmark runner (python3 standard library only; plots with gnuplot if installed).

    python3 examples/bench/run.py --build build            # full run (make bench)
    python3 examples/bench/run.py --build build --quick    # every example, 3 builds, small sizes
    python3 examples/bench/run.py --threads 1,2,4 --examples bank,trees

Builds every examples/*.c three ways into BUILD/bench/bin/ (each linked at --layouts code
layouts: NAME.BUILD, NAME.BUILD.L1, ...; see make_pads):
    NAME.stmc      BUILD/bin/stmcc -O2                      (stmc)
    NAME.baseline  BUILD/bin/stmcc --no-stm -O2             (plain C, atomic blocks = one lock)
    NAME.gcctm     gcc -O2 -fgnu-tm -DSTMC_GNU_TM           (libitm)
and runs each for every thread count; the GCC TM binary runs twice, as "gcctm" (libitm's default
method: serial-irrevocable at one thread) and "gcctm_mlwt" (ITM_DEFAULT_METHOD=ml_wt).
Writes BUILD/bench/results.json (every run), results.md (tables, targets) and PNG plots.
Exit status 1 if a build failed or a check failed (timings never fail the run).
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES_DIR = os.path.dirname(HERE)
SRC_ROOT = os.path.dirname(EXAMPLES_DIR)

# Per example: the arguments of --quick, and the targets (see TARGETS below).
EXAMPLES = {
    "parallel_sum": {"quick": ["--size", "20000000"], "overhead": 1.10, "scale2": True},
    "mandelbrot": {"quick": ["--size", "200"], "overhead": 1.10, "scale2": True},
    "square_roots": {"quick": ["--size", "500"], "overhead": 1.10, "scale2": True},
    "trees": {"quick": ["--size", "2000"], "overhead": 1.5, "scale2": True},
    "trees2": {"quick": ["--size", "4", "--depth", "12"], "overhead": 1.5},
    "bank": {"quick": ["--size", "200000"], "overhead": 2.0},
    "intset_list": {"quick": ["--size", "50000"], "overhead": 1.5},
    "intset_rbtree": {"quick": ["--size", "100000", "--range", "4096"], "overhead": 1.5,
                      "scale2_self": 1.6},
    "hashmap": {"quick": ["--size", "200000"], "overhead": 1.5, "scale2_self": 1.6},
}
SCALE2_SELF = 1.85      # stmc 1 thread / stmc 2 threads, where "scale2"
SCALE2_BASE = 1.70      # baseline 1 thread / stmc 2 threads, where "scale2"
RSS_RATIO = 1.30        # peak RSS stmc / baseline at 2 threads (+ per-segment allowance)

RUN_KINDS = ["stmc", "baseline", "gcctm", "gcctm_mlwt"]       # what a result row is
BINARY_OF = {"stmc": "stmc", "baseline": "baseline", "gcctm": "gcctm", "gcctm_mlwt": "gcctm"}
LABEL = {"stmc": "stmc", "baseline": "baseline (1 lock)", "gcctm": "GCC TM",
         "gcctm_mlwt": "GCC TM ml_wt"}


def log(msg):
    print(msg, flush=True)


def nproc():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def parse_threads(s):
    out = []
    for part in s.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-", 1)
            out.extend(range(int(a), int(b) + 1))
        else:
            out.append(int(part))
    if not out or min(out) < 1:
        raise argparse.ArgumentTypeError("bad thread list: " + s)
    return sorted(set(out))


def git_commit():
    """HEAD's short hash, or STMC_BENCH_COMMIT where it is set: the commit the binaries were
    built from (--prebuilt: the tree here may be a copy with another .git or none)."""
    if os.environ.get("STMC_BENCH_COMMIT"):
        return os.environ["STMC_BENCH_COMMIT"]
    try:
        return subprocess.run(["git", "-C", SRC_ROOT, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10).stdout.strip()
    except Exception:
        return ""


def machine_name():
    """The CPU model from /proc/cpuinfo (platform.processor() says only "x86_64" on some
    distributions)."""
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^model name\s*:\s*(.+)$", f.read(), re.M)
            if m:
                return m.group(1).strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def stmcc_clang(stmcc):
    """The clang that stmcc drives (its CLANG= line), for the compile-time comparison."""
    try:
        with open(stmcc) as f:
            for line in f:
                m = re.match(r'\s*CLANG="?([^"\s]+)"?', line)
                if m:
                    return m.group(1)
    except OSError:
        pass
    return shutil.which("clang") or "clang"


class Toolchain:
    def __init__(self, build):
        self.build = build
        self.stmcc = os.path.join(build, "bin", "stmcc")
        self.have_stmcc = os.access(self.stmcc, os.X_OK)
        self.clang = stmcc_clang(self.stmcc) if self.have_stmcc else (shutil.which("clang") or "clang")
        self.gcc = shutil.which("gcc")
        self.cflags = ["-O2", "-Wall", "-Wextra"]
        if os.environ.get("CI"):        # CI builds everything with -Werror
            self.cflags.append("-Werror")

    def command(self, binary, src, out, compile_only=False, before=()):
        """The compile (and link) command of one build of one example; src may also be an
        object file, and `before` lists inputs linked ahead of it (a layout's pad)."""
        tail = ["-c", src, "-o", out] if compile_only else list(before) + [src, "-o", out]
        if binary == "stmc":
            return [self.stmcc] + self.cflags + tail
        if binary == "baseline":
            if self.have_stmcc:
                return [self.stmcc, "--no-stm"] + self.cflags + tail
            # Before the build exists: clang + the shim header in examples/.
            return [self.clang, "-DSTMC_NO_STM"] + self.cflags + tail + \
                ([] if compile_only else ["-pthread"])
        if binary == "gcctm":
            return [self.gcc or "gcc", "-fgnu-tm", "-DSTMC_GNU_TM", "-Wno-clobbered"] + \
                self.cflags + tail + ([] if compile_only else ["-pthread"])
        if binary == "clang":          # compile-time reference: plain clang -O2, no plugin
            return [self.clang, "-DSTMC_NO_STM", "-I", os.path.join(self.build, "include")] + \
                self.cflags + tail
        raise ValueError(binary)


TIME_BIN = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_cmd(cmd, timeout, env=None, rss=False):
    """Runs cmd; returns (exit status, output, wall seconds, peak RSS in KiB, timed out).

    The peak RSS comes from /usr/bin/time -f %M when rss is asked for and it exists, else from
    wait4(); the latter is at least this Python process's RSS (Linux copies the high-water mark
    across fork), so small programs all read ~17 MiB with it."""
    rss_file = None
    if rss and TIME_BIN:
        rss_file = "/tmp/stmc-bench-rss.%d" % os.getpid()
        cmd = [TIME_BIN, "-q", "-f", "%M", "-o", rss_file] + list(cmd)
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                         start_new_session=True)
    timed_out = []

    def kill():
        timed_out.append(True)
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        out = p.stdout.read().decode("utf-8", "replace")
        _, status, ru = os.wait4(p.pid, 0)
    finally:
        timer.cancel()
    p.returncode = os.waitstatus_to_exitcode(status)   # so Popen does not wait again
    p.stdout.close()
    maxrss = ru.ru_maxrss
    if rss_file:
        try:
            with open(rss_file) as f:
                maxrss = int(f.read().split()[-1])
            os.unlink(rss_file)
        except (OSError, ValueError, IndexError):
            pass
    return p.returncode, out, time.monotonic() - t0, maxrss, bool(timed_out)


def parse_output(out):
    """(time_ms, the check line, the runtime's STM_STATS=1 counters as a dict)."""
    m = re.findall(r"^time_ms:\s*([0-9.eE+-]+)\s*$", out, re.M)
    time_ms = float(m[-1]) if m else None
    checks = re.findall(r"^check:.*$", out, re.M)
    check = checks[-1].strip() if checks else ""
    stats = {}
    if "stmc statistics" in out:
        for name, value in re.findall(r"^\s+([a-z_]+)\s+(\d+)\s", out.split("stmc statistics", 1)[1],
                                      re.M):
            stats[name] = int(value)
    return time_ms, check, stats


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt_ms(x):
    return "—" if x is None else ("%.1f" % x if x < 1000 else "%.0f" % x)


def fmt_ratio(x):
    return "—" if x is None else "%.2f" % x


# ------------------------------------------------------------------------------------ build
LAYOUT_STEP = 16        # bytes: layout k links k * LAYOUT_STEP bytes of padding ahead of the code


def layout_path(path, k):
    """The binary of layout k: layout 0 is the program as a user builds it (NAME.BUILD),
    layout k > 0 is NAME.BUILD.Lk."""
    return path if k == 0 else "%s.L%d" % (path, k)


def make_pads(tc, bindir, layouts):
    """[None, pad_1.o, ...]: pad_k.o holds k * LAYOUT_STEP bytes of code (int3) and nothing
    else.  Linked ahead of a program's object, it moves all of the program's .text by that many
    bytes (the object's .text is 16-byte aligned), so every function and loop of the program
    lands at another offset within its 64-byte line: layouts 0-3 give each of them all four
    16-byte positions.  None if the pads cannot be assembled (then only layout 0 is built)."""
    pads = [None]
    cc = tc.clang if tc.have_stmcc else (tc.gcc or tc.clang)
    for k in range(1, layouts):
        asm = os.path.join(bindir, "layout_pad_%d.s" % k)
        obj = asm[:-2] + ".o"
        with open(asm, "w") as f:
            f.write("# examples/bench/run.py: layout %d of every example\n"
                    "\t.text\n\t.p2align 4\n\t.skip %d, 0xcc\n"
                    "\t.section .note.GNU-stack,\"\",@progbits\n" % (k, k * LAYOUT_STEP))
        rc, text, _, _, _ = run_cmd([cc, "-c", asm, "-o", obj], 120)
        if rc != 0:
            log("cannot assemble %s (%s): one layout only" % (asm, text.strip()[-300:]))
            return [None]
        pads.append(obj)
    return pads


def build_all(tc, examples, bindir, binaries, compile_reps, pads):
    """Compiles every example once per binary kind and links it once per layout (pads)."""
    built = {}          # (example, binary) -> path of layout 0, or None
    errors = {}
    ctimes = {}         # example -> {"stmcc": [s...], "clang": [s...]}
    for ex in examples:
        src = os.path.join(EXAMPLES_DIR, ex + ".c")
        for b in binaries:
            out = os.path.join(bindir, "%s.%s" % (ex, b))
            if b == "stmc" and not tc.have_stmcc:
                errors[(ex, b)] = "stmcc not found at " + tc.stmcc
                built[(ex, b)] = None
                continue
            if b == "gcctm" and not tc.gcc:
                errors[(ex, b)] = "gcc not found"
                built[(ex, b)] = None
                continue
            obj = out + ".o"
            steps = [tc.command(b, src, obj, compile_only=True)] + [
                tc.command(b, obj, layout_path(out, k), before=[pad] if pad else [])
                for k, pad in enumerate(pads)]
            built[(ex, b)] = out
            for cmd in steps:
                rc, text, secs, _, to = run_cmd(cmd, 600)
                if rc != 0 or to:
                    errors[(ex, b)] = "%s\n%s" % (" ".join(cmd), text[-3000:])
                    built[(ex, b)] = None
                    log("  build FAILED: %s.%s\n%s" % (ex, b, text[-1500:]))
                    break
                if text.strip():
                    log("  %s.%s: compiler output:\n%s" % (ex, b, text[-800:]))
            if os.path.exists(obj):
                os.unlink(obj)
        log("  built %-14s %s" % (ex, " ".join(
            "%s:%s" % (b, "ok" if built[(ex, b)] else "FAILED") for b in binaries)))
        # Compile time: stmcc -O2 -c vs clang -O2 -c (no plugin), median of compile_reps.
        if compile_reps and tc.have_stmcc and built.get((ex, "stmc")):
            obj = os.path.join(bindir, ex + ".ctime.o")
            ct = {"stmcc": [], "clang": []}
            for _ in range(compile_reps):
                for key, b in (("stmcc", "stmc"), ("clang", "clang")):
                    rc, _, secs, _, _ = run_cmd(tc.command(b, src, obj, compile_only=True), 600)
                    if rc == 0:
                        ct[key].append(secs)
            ctimes[ex] = ct
            if os.path.exists(obj):
                os.unlink(obj)
    return built, errors, ctimes


# ------------------------------------------------------------------------------------ run
def run_all(args, examples, built, threads, runs, checkpoint, after_round=None):
    """Runs every (build, threads) configuration of an example round-robin: each round runs
    each configuration once, so the runs a ratio compares are close in time (this VM's speed
    drifts by tens of percent over minutes), starting one configuration later each round.
    With --order rounds (the default) a round runs every example's configurations in turn, so
    a minute in which the machine is busy costs each example a repetition or two rather than
    all of one example's (the medians absorb a few slow runs, not a whole slow block); with
    --order examples each example's rounds run before the next example's.
    Round 0 is the warm-up (none with --quick).  Timed repetition r runs layout r % layouts
    (the warm-up runs layout 0), so each layout gets the same share of every configuration's
    runs when the repetitions are a multiple of the layouts.
    checkpoint() is called after each round and each example (results.json so far), and
    after_round() after each timed round (the machine's capacity then); past --deadline no
    new run starts."""
    failures = []
    deadline = time.monotonic() + args.deadline if args.deadline else None
    warm = 0 if args.quick else 1
    total = len(examples) * len(args.kinds) * len(threads)
    done = 0
    plans = []                          # (example, its configurations)
    for ex in examples:
        configs = []
        for kind in args.kinds:
            for n in threads:
                binary = built.get((ex, BINARY_OF[kind]))
                env = dict(os.environ)
                env.pop("ITM_DEFAULT_METHOD", None)
                if kind == "gcctm_mlwt":
                    env["ITM_DEFAULT_METHOD"] = "ml_wt"
                if kind == "stmc" and "STM_STATS" not in os.environ:
                    env["STM_STATS"] = "1"      # commit/abort counters, printed at exit
                cmd = ["--threads", str(n)] + (
                    EXAMPLES.get(ex, {}).get("quick", []) if args.quick else [])
                configs.append({"kind": kind, "n": n, "binary": binary, "env": env,
                                "cmd": cmd, "reps": args.reps if n == 1 else args.reps_multi,
                                "i": 0, "stopped": not binary, "results": []})
        plans.append((ex, configs))
    groups = [plans] if args.order == "rounds" else [[p] for p in plans]

    def run_one(ex, c, rnd):
        if c["stopped"] or c["i"] >= warm + c["reps"]:
            return
        if deadline and time.monotonic() > deadline:
            if not args.deadline_hit:
                log("--deadline %.0f s passed: no more runs start" % args.deadline)
            args.deadline_hit = True
            c["stopped"] = True
            return
        i = c["i"]
        tag = "%-13s %-10s %2d thr" % (ex, c["kind"], c["n"])
        lay = 0 if i < warm else (i - warm) % args.layouts
        cmd = [layout_path(c["binary"], lay)] + c["cmd"]
        rc, out, secs, rss, to = run_cmd(cmd, args.timeout, c["env"], rss=True)
        time_ms, check, stats = parse_output(out)
        ok = rc == 0 and not to and check == "check: ok"
        rec = {"example": ex, "build": c["kind"], "threads": c["n"],
               "warmup": i < warm, "rep": i - warm, "round": rnd, "layout": lay,
               "time_ms": time_ms,
               "wall_s": round(secs, 4), "maxrss_kib": rss, "exit": rc,
               "timed_out": to, "check": check, "ok": ok, "cmd": " ".join(cmd)}
        if stats:
            rec["stm_stats"] = stats
        if not ok:
            rec["output_tail"] = out[-2000:]
            failures.append(rec)
            log("%s  %s FAILED (exit %d%s): %s" % (
                tag, "warm-up" if i < warm else "rep %d" % (i - warm), rc,
                ", timeout" if to else "", check))
            log("      " + out[-1200:].replace("\n", "\n      "))
        runs.append(rec)
        c["results"].append(rec)
        c["i"] += 1
        if to:
            log("%s  timed out after %.0f s: no more repetitions" % (tag, args.timeout))
            c["stopped"] = True
        # A slow configuration gets fewer repetitions (at least 2; a multiple of the
        # layouts where it can), within --budget.
        if i == 0 and not args.quick and secs * (warm + c["reps"]) > args.budget:
            r = max(min(2, c["reps"]), int(args.budget / max(secs, 1e-3)) - warm)
            c["reps"] = max(r - r % args.layouts, min(r, args.layouts))

    for group in groups:
        rounds = warm + max(c["reps"] for _, configs in group for c in configs)
        for rnd in range(rounds):
            if args.deadline_hit:
                break
            for ex, configs in group:
                if not args.quick and any(not c["stopped"] and c["i"] < warm + c["reps"]
                                          for c in configs):
                    log("  %-13s round %d/%d%s" % (ex, rnd + 1, rounds,
                                                   " (warm-up)" if rnd < warm else ""))
                # Each round starts one configuration later, so no configuration always
                # follows the same one: in a fixed order stmc@1 always ran right after the
                # heaviest 2-thread run of the round before (bank: GCC TM's, 2.5 s on both
                # CPUs).
                k = rnd % len(configs)
                for c in configs[k:] + configs[:k]:
                    run_one(ex, c, rnd)
            if after_round and rnd >= warm and not args.deadline_hit:
                after_round()
            if len(group) > 1:
                checkpoint()
        for ex, configs in group:
            for c in configs:
                done += 1
                tag = "[%d/%d] %-13s %-10s %2d thr" % (done, total, ex, c["kind"], c["n"])
                if not c["binary"]:
                    log(tag + "  skipped (not built)")
                    continue
                ts = [r["time_ms"] for r in c["results"] if not r["warmup"] and r["ok"]]
                if ts:
                    log("%s  %8s ms  (min %s, max %s, n=%d)  rss %d KiB  check %s" % (
                        tag, fmt_ms(med(ts)), fmt_ms(min(ts)), fmt_ms(max(ts)), len(ts),
                        int(med([r["maxrss_kib"] for r in c["results"] if not r["warmup"]])
                            or 0),
                        "ok" if all(r["ok"] for r in c["results"]) else "FAILED"))
                elif c["results"]:
                    log(tag + "  no successful run")
        checkpoint()
    return failures


# ------------------------------------------------------------------------------------ report
def summarize(runs):
    """(example, build, threads) -> dict(median, min, max, n, rss)."""
    acc = {}
    for r in runs:
        if r["warmup"]:
            continue
        key = (r["example"], r["build"], r["threads"])
        a = acc.setdefault(key, {"t": [], "rss": [], "bad": 0, "abort_rate": [],
                                 "inevitable": [], "by_layout": {}})
        st = r.get("stm_stats")
        if st and st.get("commits"):
            a["abort_rate"].append(st.get("aborts", 0) / st["commits"])
            a["inevitable"].append(st.get("inevitable", 0))
        if r["ok"] and r["time_ms"] is not None:
            a["t"].append(r["time_ms"])
            a["by_layout"].setdefault(r.get("layout", 0), []).append(r["time_ms"])
        else:
            a["bad"] += 1
        a["rss"].append(r["maxrss_kib"])
    out = {}
    for key, a in acc.items():
        out[key] = {"median": med(a["t"]), "min": min(a["t"]) if a["t"] else None,
                    "max": max(a["t"]) if a["t"] else None, "n": len(a["t"]),
                    "failed": a["bad"], "rss_kib": med(a["rss"]),
                    "aborts_per_commit": med(a["abort_rate"]),
                    "inevitable": med(a["inevitable"]),
                    "layout_medians": [med(a["by_layout"].get(k, []))
                                       for k in range(max(a["by_layout"], default=-1) + 1)]}
    return out


def ratio(a, b):
    return a / b if a is not None and b else None


def targets(ex, S, seg_mib):
    """The pass/miss rows of one example: (what, value, limit, verdict)."""
    spec = EXAMPLES.get(ex, {})
    g = lambda b, n: (S.get((ex, b, n)) or {}).get("median")
    rows = []
    if "overhead" in spec:
        v = ratio(g("stmc", 1), g("baseline", 1))
        rows.append(("overhead stmc/baseline @1", v, "<= %.2f" % spec["overhead"],
                     None if v is None else v <= spec["overhead"]))
    if spec.get("scale2"):
        v = ratio(g("stmc", 1), g("stmc", 2))
        rows.append(("speedup stmc@1/stmc@2", v, ">= %.2f" % SCALE2_SELF,
                     None if v is None else v >= SCALE2_SELF))
        v = ratio(g("baseline", 1), g("stmc", 2))
        rows.append(("speedup baseline@1/stmc@2", v, ">= %.2f" % SCALE2_BASE,
                     None if v is None else v >= SCALE2_BASE))
    if spec.get("scale2_self"):
        v = ratio(g("stmc", 1), g("stmc", 2))
        rows.append(("speedup stmc@1/stmc@2", v, ">= %.2f" % spec["scale2_self"],
                     None if v is None else v >= spec["scale2_self"]))
    rs = (S.get((ex, "stmc", 2)) or {}).get("rss_kib")
    rb = (S.get((ex, "baseline", 2)) or {}).get("rss_kib")
    if rs is not None and rb:
        allowance = seg_mib * 1024 * 3      # segment 0 + one per thread
        v = rs / rb
        limit = (RSS_RATIO * rb + allowance) / rb
        rows.append(("peak RSS stmc/baseline @2", v,
                     "<= %.2f (1.3x + 3 x %d MiB)" % (limit, seg_mib), v <= limit))
    return rows


def verdict(v):
    return "n/a" if v is None else ("pass" if v else "MISS")


def md_table(hdr, rows):
    """A Markdown table: header, separator, one line per row (lists of cell strings)."""
    return (["| " + " | ".join(hdr) + " |", "|" + "---|" * len(hdr)] +
            ["| " + " | ".join(r) + " |" for r in rows])


def config_table(examples, threads, kinds, S, cell):
    """One row per (example, thread count), one column per build: cell(summary or None)."""
    rows = [[ex, str(n)] + [cell(S.get((ex, k, n))) for k in kinds]
            for ex in examples for n in threads]
    return md_table(["example", "threads"] + list(kinds), rows)


def count_instructions(examples, built, timeout):
    """Instructions executed by the stmc and baseline builds at 1 thread with the quick sizes,
    under valgrind's callgrind: a ratio that this VM's noise and the code's layout do not move
    (times do, by tens of percent).  STM_SEGMENTS=3 keeps the runtime's mappings small for
    valgrind.  example -> {"stmc": n, "baseline": n}; empty without valgrind."""
    vg = shutil.which("valgrind")
    if not vg:
        log("valgrind not found: no instruction counts")
        return {}
    counts = {}
    for ex in examples:
        for b in ("stmc", "baseline"):
            binary = built.get((ex, b))
            if not binary:
                continue
            env = dict(os.environ)
            env["STM_SEGMENTS"] = "3"
            cmd = [vg, "--tool=callgrind", "--callgrind-out-file=/dev/null", binary,
                   "--threads", "1"] + EXAMPLES.get(ex, {}).get("quick", [])
            rc, out, secs, _, to = run_cmd(cmd, timeout, env)
            m = re.search(r"Collected : (\d+)", out)
            if rc != 0 or to or not m or "check: ok" not in out:
                log("%-13s %-10s instructions: FAILED (exit %d%s)" % (
                    ex, b, rc, ", timeout" if to else ""))
                continue
            counts.setdefault(ex, {})[b] = int(m.group(1))
        c = counts.get(ex, {})
        if "stmc" in c and "baseline" in c:
            log("%-13s instructions at 1 thread: stmc %.1f M, baseline %.1f M, ratio %.2f" % (
                ex, c["stmc"] / 1e6, c["baseline"] / 1e6, c["stmc"] / c["baseline"]))
    return counts


def write_markdown(path, meta, examples, threads, S, ctimes, errors, failures, kinds, seg_mib):
    L = []
    L.append("# stmc benchmark results\n")
    L.append("%s, commit %s, %s, %d CPUs, mode %s, repetitions %d (1 thread) / %d (more)%s, "
             "builds interleaved round by round (each round starting one configuration later; %s), "
             "medians of the timed parallel phase in ms (min–max). Load average at start %s, "
             "at end %s (other work on the machine distorts the multi-thread numbers).\n" % (
                 meta["date"], meta["commit"] or "?", meta["machine"], meta["nproc"],
                 "quick" if meta["quick"] else "full", meta["reps"], meta["reps_multi"],
                 " spread over %d code layouts per build (see \"Code layout\")" %
                 meta["layouts"] if meta.get("layouts", 1) > 1 else "",
                 "a round runs every example in turn" if meta.get("order") == "rounds"
                 else "one example's rounds after another's",
                 meta.get("load_start", "?"), meta.get("load_end", "?")))
    if meta.get("capacity_start") is not None:
        L.append("Machine capacity (examples/bench/calibrate.c: %d threads of a CPU-bound loop "
                 "did this many times the work of 1 thread per unit of time; %d = idle): "
                 "%.2f at start, %s at end. No build can scale past it.\n" % (
                     meta["capacity_threads"], meta["capacity_threads"],
                     meta["capacity_start"],
                     "?" if meta.get("capacity_end") is None else "%.2f" % meta["capacity_end"]))
        caps = meta.get("capacity_rounds") or []
        if caps:
            L.append("After each timed round: %s (lowest %s).\n" % (
                ", ".join("?" if c is None else "%.2f" % c for c in caps),
                "?" if all(c is None for c in caps) else
                "%.2f" % min(c for c in caps if c is not None)))
    if meta.get("prebuilt"):
        L.append("The binaries were built on another machine and copied here (`--prebuilt`); "
                 "no compile times.\n")
    if meta.get("partial") or meta.get("deadline_hit"):
        L.append("**Incomplete run**: %s; configurations without runs show as —.\n" % (
            "stopped at --deadline" if meta.get("deadline_hit") else
            "results.json was written before the last example finished"))
    L.append("Builds: " + "; ".join("**%s** = `%s`" % (k, v) for k, v in meta["builds"].items())
             + "\n")
    if errors:
        L.append("## Build failures\n")
        for (ex, b), e in sorted(errors.items()):
            L.append("- %s.%s: `%s`" % (ex, b, e.splitlines()[0][:300]))
        L.append("")
    if failures:
        L.append("## Failed runs\n")
        for r in failures:
            L.append("- %s %s %d thr %s: exit %d%s, `%s`" % (
                r["example"], r["build"], r["threads"],
                "warm-up" if r["warmup"] else "rep %d" % r["rep"], r["exit"],
                " (killed after --timeout)" if r["timed_out"] else "",
                r["check"][:200] or "no check line"))
        L.append("")

    L.append("## Summary\n")
    L.append("overhead = build @1 thread / baseline @1 thread; speedup@N = baseline @1 / build @N "
             "(stmc: also stmc @1 / stmc @N).  All of medians, except \"of minima\": the same "
             "ratio of the fastest runs (interference from other work on the machine only adds "
             "time, so where the two differ much, the medians are noise-bound; the targets are "
             "judged on the medians).\n")
    hdr = ["example", "baseline@1 ms", "stmc@1 ms", "stmc overhead", "(of minima)"]
    for n in threads[1:]:
        hdr += ["stmc speedup@%d (self)" % n]
    hdr += ["gcctm_mlwt overhead", "gcctm overhead"]
    for n in threads[1:]:
        hdr += ["gcctm speedup@%d" % n]
    rows = []
    for ex in examples:
        g = lambda b, n: (S.get((ex, b, n)) or {}).get("median")
        b1 = g("baseline", 1)
        gmin = lambda b, n: (S.get((ex, b, n)) or {}).get("min")
        row = [ex, fmt_ms(b1), fmt_ms(g("stmc", 1)), fmt_ratio(ratio(g("stmc", 1), b1)),
               fmt_ratio(ratio(gmin("stmc", 1), gmin("baseline", 1)))]
        for n in threads[1:]:
            row.append("%s (%s)" % (fmt_ratio(ratio(b1, g("stmc", n))),
                                    fmt_ratio(ratio(g("stmc", 1), g("stmc", n)))))
        row += [fmt_ratio(ratio(g("gcctm_mlwt", 1), b1)), fmt_ratio(ratio(g("gcctm", 1), b1))]
        for n in threads[1:]:
            row.append(fmt_ratio(ratio(b1, g("gcctm", n))))
        rows.append(row)
    L += md_table(hdr, rows)
    L.append("")

    L.append("## Targets\n")
    rows = []
    npass = nmiss = 0
    for ex in examples:
        for what, v, lim, ok in targets(ex, S, seg_mib):
            rows.append([ex, what, fmt_ratio(v), lim, verdict(ok)])
            npass += ok is True
            nmiss += ok is False
    L += md_table(["example", "what", "value", "target", "verdict"], rows)
    L.append("\n%d pass, %d miss (n/a: not measured).\n" % (npass, nmiss))

    def time_cell(s):
        if not s or s["median"] is None:
            return "FAILED" if s and s["failed"] else "—"
        return "%s (%s–%s)%s" % (fmt_ms(s["median"]), fmt_ms(s["min"]), fmt_ms(s["max"]),
                                 " %d failed" % s["failed"] if s["failed"] else "")

    L.append("## Times (ms)\n")
    L += config_table(examples, threads, kinds, S, time_cell)
    L.append("")

    nl = meta.get("layouts", 1)
    if nl > 1:
        L.append("## Code layout (1 thread)\n")
        L.append("Each build of each example is linked %d times, its code moved by %s bytes "
                 "(a pad of int3 linked ahead of it; layout 0 is the binary as the compiler "
                 "links it), so that each loop of the program sits at each 16-byte offset "
                 "within its 64-byte line in one of them. Timed repetition r runs layout "
                 "r mod %d; the medians above pool the layouts. Loops that cross a 64-byte line "
                 "run up to ~25%% slower on this VM with the same instructions, so a single "
                 "layout's ratio says as much about where the loops landed as about the code. "
                 "Per layout, the median of its %s runs at 1 thread (ms), and the slowest "
                 "layout's median over the fastest's (with so few runs each, the VM's noise "
                 "moves these as much as the layouts do: compare with min-max under "
                 "\"Times\"):\n" % (nl, ", ".join(str(k * LAYOUT_STEP) for k in range(nl)),
                                    nl, "%d" % (meta["reps"] // nl) if meta["reps"] % nl == 0
                                    else "~%d" % max(1, meta["reps"] // nl)))
        rows = []
        for ex in examples:
            for k in kinds:
                s = S.get((ex, k, 1))
                lm = (s or {}).get("layout_medians") or []
                got = [x for x in lm if x is not None]
                if not got:
                    continue
                rows.append([ex, k] + [fmt_ms(lm[i] if i < len(lm) else None)
                                       for i in range(nl)] +
                            [fmt_ratio(max(got) / min(got))])
        L += md_table(["example", "build"] + ["layout %d" % i for i in range(nl)] +
                      ["slowest / fastest"], rows)
        L.append("")

    L.append("## stmc runtime counters (STM_STATS=1; medians over runs)\n")
    rows = []
    for ex in examples:
        for n in threads:
            s = S.get((ex, "stmc", n))
            if s and s.get("aborts_per_commit") is not None:
                rows.append([ex, str(n), "%.4f" % s["aborts_per_commit"],
                             str(s["inevitable"] or 0)])
    L += md_table(["example", "threads", "aborts per commit", "inevitable transactions"], rows)
    L.append("")

    L.append("## Peak RSS (MiB, median of runs)\n")
    L += config_table(examples, threads, kinds, S, lambda s: "—" if not s or s["rss_kib"] is None
                      else "%.1f" % (s["rss_kib"] / 1024))
    L.append("")

    if ctimes:
        L.append("## Compile time (s, median of %d, `-O2 -c`)\n" % meta["compile_reps"])
        rows = []
        for ex in examples:
            ct = ctimes.get(ex)
            if not ct:
                continue
            a, b = med(ct["stmcc"]), med(ct["clang"])
            rows.append([ex, "—" if a is None else "%.3f" % a, "—" if b is None else "%.3f" % b,
                         fmt_ratio(ratio(a, b))])
        L += md_table(["example", "stmcc", "clang (no plugin)", "ratio"], rows)
        L.append("")
    icount = meta.get("instructions") or {}
    if icount:
        L.append("## Instructions at 1 thread (callgrind, quick sizes, `STM_SEGMENTS=3`)\n")
        L.append("Executed instructions of one whole run (set-up and check included; "
                 "deterministic: neither the machine's noise nor where the code lands in memory "
                 "moves them, while both move the times above).\n")
        rows = []
        for ex in examples:
            c = icount.get(ex, {})
            a, b = c.get("stmc"), c.get("baseline")
            rows.append([ex, "—" if a is None else "%.1f M" % (a / 1e6),
                         "—" if b is None else "%.1f M" % (b / 1e6), fmt_ratio(ratio(a, b))])
        L += md_table(["example", "stmc", "baseline", "stmc / baseline"], rows)
        L.append("")
    L.append("Plots: " + ", ".join("`%s`" % p for p in meta.get("plots", [])) + "\n")
    with open(path, "w") as f:
        f.write("\n".join(L))
    return npass, nmiss


def write_plots(outdir, examples, threads, S, kinds):
    gp = shutil.which("gnuplot")
    if not gp:
        log("gnuplot not found: no plots")
        return []
    plots = []
    datadir = os.path.join(outdir, "plotdata")
    os.makedirs(datadir, exist_ok=True)
    term = "set terminal pngcairo size 800,520 noenhanced font ',10'"
    if subprocess.run([gp, "-e", "set terminal pngcairo"], capture_output=True).returncode != 0:
        term = "set terminal png size 800,520 noenhanced"
    # Speedup vs threads, one plot per example: baseline @1 / build @N.
    for ex in examples:
        b1 = (S.get((ex, "baseline", 1)) or {}).get("median")
        if not b1:
            continue
        series = []
        for k in kinds:
            pts = [(n, b1 / S[(ex, k, n)]["median"]) for n in threads
                   if S.get((ex, k, n)) and S[(ex, k, n)]["median"]]
            if pts:
                dat = os.path.join(datadir, "%s.%s.dat" % (ex, k))
                with open(dat, "w") as f:
                    for n, v in pts:
                        f.write("%d %g\n" % (n, v))
                series.append((k, dat))
        if not series:
            continue
        png = os.path.join(outdir, "speedup_%s.png" % ex)
        script = [term, "set output '%s'" % png,
                  "set title '%s: speedup over baseline (1 lock) at 1 thread'" % ex,
                  "set xlabel 'threads'", "set ylabel 'speedup'", "set key top left",
                  "set grid", "set xrange [0.5:%g]" % (max(threads) + 0.5),
                  "set xtics 1", "set yrange [0:*]"]
        plot = ["'%s' using 1:2 with linespoints lw 2 title '%s'" % (dat, LABEL[k])
                for k, dat in series]
        plot.append("x with lines dt 2 lc 'gray' title 'linear'")
        script.append("plot " + ", ".join(plot))
        if subprocess.run([gp], input="\n".join(script), text=True,
                          capture_output=True).returncode == 0:
            plots.append(png)
    # Single-thread overhead bars.
    dat = os.path.join(datadir, "overhead.dat")
    okinds = [k for k in kinds if k != "baseline" and any(
        (S.get((ex, k, 1)) or {}).get("median") for ex in examples)]
    rows = []
    for ex in examples:
        b1 = (S.get((ex, "baseline", 1)) or {}).get("median")
        if not b1:
            continue
        vals = []
        for k in okinds:
            s = S.get((ex, k, 1))
            vals.append("%g" % (s["median"] / b1) if s and s["median"] else "NaN")
        rows.append(ex + " " + " ".join(vals))
    if rows and okinds:
        with open(dat, "w") as f:
            f.write("\n".join(rows) + "\n")
        png = os.path.join(outdir, "overhead_1thread.png")
        script = [term.replace("800,520", "1000,520"), "set output '%s'" % png,
                  "set title 'single-thread time / baseline single-thread time (lower is better)'",
                  "set style data histograms", "set style histogram clustered gap 1",
                  "set style fill solid 0.8 border -1", "set boxwidth 0.9", "set grid ytics",
                  "set xtics rotate by -30", "set yrange [0:*]", "set key top left",
                  "set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc 'gray'"]
        plot = ["'%s' using %d:xtic(1) title '%s'" % (dat, i + 2, LABEL[k])
                for i, k in enumerate(okinds)]
        script.append("plot " + ", ".join(plot))
        if subprocess.run([gp], input="\n".join(script), text=True,
                          capture_output=True).returncode == 0:
            plots.append(png)
    return plots


def calibrate(tc, bindir, nthreads):
    """N * t(1 thread) / t(N threads) of a CPU-bound loop: the parallelism the machine offers
    now (examples/bench/calibrate.c).  None if it cannot be built."""
    exe = os.path.join(bindir, "calibrate")
    if not os.path.exists(exe):
        cc = tc.gcc or tc.clang
        try:
            rc, out, _, _, _ = run_cmd([cc, "-O2", os.path.join(HERE, "calibrate.c"), "-o", exe,
                                        "-pthread"], 120)
        except OSError as e:
            rc, out = 1, str(e)
        if rc != 0:
            log("calibrate.c does not build: " + out[-500:])
            return None
    rc, out, _, _, _ = run_cmd([exe, str(nthreads)], 120)
    m = re.search(r"^capacity:\s*([0-9.]+)", out, re.M)
    return float(m.group(1)) if rc == 0 and m else None


# ------------------------------------------------------------------------------------ main
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(SRC_ROOT, "build"),
                    help="the stmc build tree (with bin/stmcc); results go to BUILD/bench")
    ap.add_argument("--quick", action="store_true",
                    help="small sizes, 1 repetition, no warm-up: checks that all builds work")
    ap.add_argument("--threads", type=parse_threads, default=None,
                    help="thread counts, e.g. 1,2,4,8 or 1-4 (default: 1..nproc)")
    ap.add_argument("--reps", type=int, default=None, help="timed repetitions at 1 thread (5)")
    ap.add_argument("--reps-multi", type=int, default=None,
                    help="timed repetitions with more threads (7)")
    ap.add_argument("--layouts", type=int, default=None,
                    help="code layouts per build (4; quick 1): each example is linked this "
                         "many times with its code moved by 0, 16, 32, ... bytes, and the runs "
                         "cycle through them (repetitions are rounded up to a multiple)")
    ap.add_argument("--examples", default="",
                    help="comma-separated subset of the examples, run in the order given")
    ap.add_argument("--builds", default=",".join(RUN_KINDS),
                    help="subset of " + ",".join(RUN_KINDS))
    ap.add_argument("--timeout", type=float, default=None,
                    help="seconds per run (120; quick 60); a run that times out ends its "
                         "configuration")
    ap.add_argument("--order", choices=["rounds", "examples"], default="rounds",
                    help="rounds (default): each round runs every example's configurations "
                         "once, so a busy spell of the machine is spread over all examples; "
                         "examples: all rounds of one example, then the next")
    ap.add_argument("--budget", type=float, default=60.0,
                    help="seconds per configuration before repetitions are cut (min 2)")
    ap.add_argument("--compile-reps", type=int, default=None,
                    help="compile-time samples per example (3; quick 1; 0 = skip)")
    ap.add_argument("--seg-mib", type=int, default=4,
                    help="fixed per-segment memory allowed on top of 1.3x baseline RSS (MiB)")
    ap.add_argument("--out", default=None, help="output folder (default BUILD/bench)")
    ap.add_argument("--no-plots", action="store_true")
    ap.add_argument("--no-instructions", action="store_true",
                    help="skip counting the stmc and baseline builds' instructions at 1 thread "
                         "under valgrind (callgrind, quick sizes)")
    ap.add_argument("--prebuilt", action="store_true",
                    help="build nothing: run the binaries already in OUT/bin (built on another "
                         "machine of the same architecture and copied there)")
    ap.add_argument("--deadline", type=float, default=None,
                    help="seconds after which no new run starts; results so far are reported "
                         "(results.json is also written after every example)")
    ap.add_argument("--report-from", metavar="JSON",
                    help="run nothing: write results.md and the plots again from a results.json "
                         "of an earlier run (into --out, default: the JSON's folder)")
    args = ap.parse_args()
    args.deadline_hit = False
    if args.report_from:
        return report_from(args)

    if os.environ.get("QUICK") not in (None, "", "0"):
        args.quick = True
    if args.layouts is None:
        args.layouts = 1 if args.quick else 4
    if args.layouts < 1:
        ap.error("--layouts must be at least 1")
    args.reps = args.reps or (1 if args.quick else 5)
    args.reps_multi = args.reps_multi or (1 if args.quick else args.reps + 2)
    up = lambda r: -(-r // args.layouts) * args.layouts     # a multiple of the layouts
    args.reps, args.reps_multi = up(args.reps), up(args.reps_multi)
    args.timeout = args.timeout or (60.0 if args.quick else 120.0)
    if args.compile_reps is None:
        args.compile_reps = 1 if args.quick else 3
    threads = args.threads or list(range(1, nproc() + 1))
    if args.quick and not args.threads:
        threads = [1, 2]
    args.kinds = [k for k in args.builds.split(",") if k]
    for k in args.kinds:
        if k not in RUN_KINDS:
            ap.error("unknown build " + k)
    binaries = []
    for k in args.kinds:
        if BINARY_OF[k] not in binaries:
            binaries.append(BINARY_OF[k])

    # The benchmark examples are the examples/*.c that use bench_support.h (not demo.c).
    all_examples = []
    for f in sorted(os.listdir(EXAMPLES_DIR)):
        if f.endswith(".c"):
            with open(os.path.join(EXAMPLES_DIR, f), errors="replace") as fh:
                if '#include "bench_support.h"' in fh.read():
                    all_examples.append(f[:-2])
    order = [e for e in EXAMPLES if e in all_examples] + \
        [e for e in all_examples if e not in EXAMPLES]
    if args.examples:
        want = [e.strip() for e in args.examples.split(",") if e.strip()]
        for e in want:
            if e not in all_examples:
                ap.error("no example " + e)
        order = list(dict.fromkeys(want))       # in the order given

    build = os.path.abspath(args.build)
    outdir = os.path.abspath(args.out or os.path.join(build, "bench"))
    bindir = os.path.join(outdir, "bin")
    os.makedirs(bindir, exist_ok=True)
    tc = Toolchain(build)
    if args.prebuilt:
        tc.have_stmcc = True    # the binaries were built with it: describe them so
    t_start = time.monotonic()
    load_start = "%.2f" % os.getloadavg()[0]

    log("stmc bench: %d examples x %s, threads %s, %s, %d layout%s (out: %s)" % (
        len(order), ",".join(args.kinds), ",".join(map(str, threads)),
        "quick" if args.quick else "reps %d/%d" % (args.reps, args.reps_multi),
        args.layouts, "s" if args.layouts > 1 else "", outdir))
    if not tc.have_stmcc and not args.prebuilt:
        log("WARNING: %s missing: no stmc build; baseline uses clang + examples/"
            "stmc_nostm_shim.h" % tc.stmcc)
    ncal = max(threads)
    cap_start = calibrate(tc, bindir, ncal) if ncal > 1 else None
    if cap_start is not None:
        log("machine capacity for %d threads: %.2f (a CPU-bound loop on %d threads ran %.2fx "
            "the work of 1 thread per unit of time)" % (ncal, cap_start, ncal, cap_start))
    if args.prebuilt:
        log("prebuilt: running the binaries in %s, building nothing" % bindir)
        built, errors, ctimes = {}, {}, {}
        for ex in order:
            for b in binaries:
                path = os.path.join(bindir, "%s.%s" % (ex, b))
                missing = [layout_path(path, k) for k in range(args.layouts)
                           if not os.access(layout_path(path, k), os.X_OK)]
                built[(ex, b)] = None if missing else path
                if missing:
                    errors[(ex, b)] = "--prebuilt: no binary " + ", ".join(missing)
    else:
        log("building ...")
        pads = make_pads(tc, bindir, args.layouts)
        if len(pads) < args.layouts:
            args.layouts = len(pads)
        built, errors, ctimes = build_all(tc, order, bindir, binaries, args.compile_reps, pads)

    src = lambda b: " ".join(os.path.relpath(x, SRC_ROOT) if x.startswith(SRC_ROOT) else x
                             for x in tc.command(b, "X.c", "X." + b))
    meta = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "commit": git_commit(),
            "machine": machine_name(), "nproc": nproc(),
            "quick": args.quick, "threads": threads, "reps": args.reps,
            "reps_multi": args.reps_multi, "compile_reps": args.compile_reps,
            "layouts": args.layouts, "order": args.order,
            "builds": {b: src(b) for b in binaries},
            "env": {k: v for k, v in os.environ.items() if k.startswith("STM_")},
            "load_start": load_start, "capacity_threads": ncal, "capacity_start": cap_start}
    if args.prebuilt:
        meta["prebuilt"] = True

    runs = []

    def write_json(S):
        with open(os.path.join(outdir, "results.json"), "w") as f:
            json.dump({"meta": meta,
                       "build_errors": {"%s.%s" % k: v for k, v in errors.items()},
                       "compile_time_s": ctimes,
                       "summary": [dict(example=k[0], build=k[1], threads=k[2], **v)
                                   for k, v in sorted(S.items())],
                       "targets": {ex: [dict(what=w, value=v, target=l, verdict=verdict(o))
                                        for w, v, l, o in targets(ex, S, args.seg_mib)]
                                   for ex in order},
                       "runs": runs}, f, indent=1)

    log("running ...")
    meta["partial"] = True          # until the last example is done
    # The capacity after each timed round (full runs with --order rounds): this VM's second
    # CPU came and went within minutes (1.04-1.98 in five tries within one minute), and a
    # start and an end figure missed a disturbed middle.
    cap_rounds = meta["capacity_rounds"] = []

    def after_round():
        if ncal > 1 and not args.quick and args.order == "rounds":
            c = calibrate(tc, bindir, ncal)
            cap_rounds.append(None if c is None else round(c, 2))
    failures = run_all(args, order, built, threads, runs, lambda: write_json(summarize(runs)),
                       after_round)
    del meta["partial"]
    if args.deadline_hit:
        meta["deadline_hit"] = True

    S = summarize(runs)
    meta.update({"load_end": "%.2f" % os.getloadavg()[0],
                 "capacity_end": calibrate(tc, bindir, ncal) if ncal > 1 else None})
    if not args.no_instructions and not args.deadline_hit:
        log("counting instructions (callgrind) ...")
        meta["instructions"] = count_instructions(order, built, 10 * args.timeout)
    if not args.no_plots:
        meta["plots"] = [os.path.relpath(p, outdir)
                         for p in write_plots(outdir, order, threads, S, args.kinds)]
    write_json(S)
    npass, nmiss = write_markdown(os.path.join(outdir, "results.md"), meta, order, threads, S,
                                  ctimes, errors, failures, args.kinds, args.seg_mib)
    el = time.monotonic() - t_start
    log("done in %.0f s: %d build failures, %d failed runs; targets %d pass, %d miss" % (
        el, len(errors), len(failures), npass, nmiss))
    log("results: %s/results.md, results.json" % outdir)
    return 1 if errors or failures else 0


def report_from(args):
    """Renders results.md and the plots of a finished run again, from its results.json."""
    with open(args.report_from) as f:
        d = json.load(f)
    outdir = os.path.abspath(args.out or os.path.dirname(os.path.abspath(args.report_from)))
    os.makedirs(outdir, exist_ok=True)
    runs, meta = d["runs"], d["meta"]
    order = []
    for r in runs:
        if r["example"] not in order:
            order.append(r["example"])
    kinds = [k for k in RUN_KINDS if any(r["build"] == k for r in runs)]
    errors = {tuple(k.rsplit(".", 1)): v for k, v in d.get("build_errors", {}).items()}
    failures = [r for r in runs if not r["ok"]]
    S = summarize(runs)
    if not args.no_plots:
        meta["plots"] = [os.path.relpath(p, outdir)
                         for p in write_plots(outdir, order, meta["threads"], S, kinds)]
    npass, nmiss = write_markdown(os.path.join(outdir, "results.md"), meta, order,
                                  meta["threads"], S, d.get("compile_time_s", {}), errors,
                                  failures, kinds, args.seg_mib)
    log("report of %s: targets %d pass, %d miss -> %s/results.md" % (
        args.report_from, npass, nmiss, outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
