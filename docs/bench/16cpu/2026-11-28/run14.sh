#!/bin/bash
# Device call (2026-11-28, session 25, third): this session's runtime changes (the room sweep's
# load at every transaction's end, fresh_cut, STM_CONFLICTS's test in stm_alloc, vectors that
# grow fork-safely, two segments per CPU by default: 32 here) A/B, the session's start 5372f20
# against HEAD, 3 interleaved rounds, 1-16 threads.
cd "$(dirname "$0")/.." || exit 1
export PYTHONUNBUFFERED=1
(echo "calibrate 16:"; .devbench/new/bin/calibrate 16; uptime) > $OUT/machine_3.txt 2>&1
(cd examples/bench && timeout 230 python3 ab.py ../../.devbench/cur/bin ../../.devbench/new/bin \
  --examples trees2,hashmap,intset_rbtree,bank --threads 1,2,4,8,16 --rounds 3 \
  --deadline 215 --json $OUT/ab_session25.json > $OUT/ab_session25.log 2>&1)
(echo "calibrate 16 at end:"; .devbench/new/bin/calibrate 16; uptime) >> $OUT/machine_3.txt 2>&1
cat $OUT/ab_session25.log $OUT/machine_3.txt
