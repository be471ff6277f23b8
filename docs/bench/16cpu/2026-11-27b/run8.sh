#!/bin/bash
# Device call (2026-11-27, session 11, third): prefetchw of segment 0's destination lines while
# a commit waits for the lock (an experiment), A/B with the same binaries (.devbench/np wraps
# them with STM_NO_WAIT_PREFETCH=1).
cd "$(dirname "$0")/.." || exit 1
export PYTHONUNBUFFERED=1
(echo "calibrate 16:"; .devbench/cur/bin/calibrate 16; nproc; uptime) > $OUT/machine.txt 2>&1
(cd examples/bench && timeout 130 python3 ab.py ../../.devbench/np ../../.devbench/cur/bin \
  --examples bank,hashmap,intset_rbtree --threads 4,16 --rounds 4 \
  --deadline 110 --json $OUT/ab_prefetch.json > $OUT/ab_prefetch.log 2>&1)
cat $OUT/ab_prefetch.log; cat $OUT/machine.txt
