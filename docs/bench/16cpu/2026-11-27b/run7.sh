#!/bin/bash
# Device call (2026-11-27, session 11, second): validation while waiting for the commit lock,
# A/B with the same binaries (.devbench/nw wraps them with STM_NO_WAIT_VALIDATE=1), at bd27778.
cd "$(dirname "$0")/.." || exit 1
export PYTHONUNBUFFERED=1
(echo "calibrate 16:"; .devbench/cur/bin/calibrate 16; nproc; uptime) > $OUT/machine.txt 2>&1
(cd examples/bench && timeout 215 python3 ab.py ../../.devbench/nw ../../.devbench/cur/bin \
  --examples bank,hashmap,intset_rbtree,intset_list --threads 2,4,8,16 --rounds 4 \
  --deadline 200 --json $OUT/ab_waitvalidate.json > $OUT/ab_waitvalidate.log 2>&1)
(echo "calibrate 16 at end:"; .devbench/cur/bin/calibrate 16; uptime) >> $OUT/machine.txt 2>&1
cat $OUT/ab_waitvalidate.log; cat $OUT/machine.txt
