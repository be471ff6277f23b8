#!/bin/bash
# Device call (2026-11-28, session 25): every runtime and pass change since the last 16-CPU
# run (f128fb4, 2026-11-27) A/B against HEAD 5372f20 on 16 CPUs, then the full scaling run of
# 5372f20 with stmc and the one-lock baseline.
cd "$(dirname "$0")/.." || exit 1
export PYTHONUNBUFFERED=1 STMC_BENCH_COMMIT=5372f20
(echo "calibrate 16:"; .devbench/cur/bin/calibrate 16; nproc; uptime; lscpu | head -20) > $OUT/machine.txt 2>&1
(cd examples/bench && timeout 175 python3 ab.py ../../.devbench/old ../../.devbench/cur/bin \
  --examples hashmap,intset_rbtree,intset_list,trees2,bank --threads 1,2,4,8,16 --rounds 3 \
  --deadline 160 --json $OUT/ab_since_f128fb4.json > $OUT/ab_since_f128fb4.log 2>&1)
timeout 240 python3 examples/bench/run.py --prebuilt --out .devbench/cur --threads 1,2,4,8,16 \
  --builds stmc,baseline --layouts 1 --reps 3 --reps-multi 3 --timeout 15 --budget 3 --deadline 215 \
  --compile-reps 0 --no-plots --no-instructions \
  --examples hashmap,intset_rbtree,intset_list,bank,mandelbrot,trees,square_roots,parallel_sum,trees2 \
  > $OUT/full.log 2>&1
cp .devbench/cur/results.json $OUT/results.json 2>/dev/null
cp .devbench/cur/results.md $OUT/results.md 2>/dev/null
(echo "calibrate 16 at end:"; .devbench/cur/bin/calibrate 16; uptime) >> $OUT/machine.txt 2>&1
cat $OUT/ab_since_f128fb4.log; tail -3 $OUT/full.log; grep -v "^ " $OUT/machine.txt
