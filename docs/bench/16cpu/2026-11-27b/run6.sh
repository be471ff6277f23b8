#!/bin/bash
# Device call (2026-11-27, session 11): the commit-lock waiters queue, A/B with the same
# binaries (.devbench/nq wraps them with STM_NO_LOCK_QUEUE=1), then the full scaling run of
# 8742d39 (runs of granules, the lock queue) with stmc and the one-lock baseline.
cd "$(dirname "$0")/.." || exit 1
export PYTHONUNBUFFERED=1 STMC_BENCH_COMMIT=8742d39
(echo "calibrate 16:"; .devbench/cur/bin/calibrate 16; nproc; uptime) > $OUT/machine.txt 2>&1
(cd examples/bench && timeout 190 python3 ab.py ../../.devbench/nq ../../.devbench/cur/bin \
  --examples bank,hashmap,intset_rbtree,intset_list --threads 2,4,8,16 --rounds 4 \
  --deadline 170 --json $OUT/ab_lockqueue.json > $OUT/ab_lockqueue.log 2>&1)
timeout 230 python3 examples/bench/run.py --prebuilt --out .devbench/cur --threads 1,2,4,8,16 \
  --builds stmc,baseline --layouts 1 --reps 3 --reps-multi 3 --timeout 15 --budget 3 --deadline 200 \
  --compile-reps 0 --no-plots --no-instructions \
  --examples hashmap,intset_rbtree,intset_list,bank,mandelbrot,trees,square_roots,parallel_sum,trees2 \
  > $OUT/full.log 2>&1
cp .devbench/cur/results.json $OUT/results.json 2>/dev/null
(echo "calibrate 16 at end:"; .devbench/cur/bin/calibrate 16; uptime) >> $OUT/machine.txt 2>&1
cat $OUT/ab_lockqueue.log; tail -3 $OUT/full.log; cat $OUT/machine.txt
