#!/bin/bash
# Device call (2026-11-27, session 15, second): the session's runtime changes, A/B of the
# session's start (63b4230) against its end (6ced0cb), 5 interleaved rounds, 1-16 threads.
cd "$(dirname "$0")/.." || exit 1
export PYTHONUNBUFFERED=1
(echo "calibrate 16:"; .devbench/cur/bin/calibrate 16; nproc; uptime) > $OUT/machine_2.txt 2>&1
(cd examples/bench && timeout 250 python3 ab.py ../../.devbench/old ../../.devbench/cur/bin \
  --examples trees2,hashmap,intset_rbtree,bank --threads 1,2,4,8,16 --rounds 5 \
  --deadline 235 --json $OUT/ab_session15_end.json > $OUT/ab_session15_end.log 2>&1)
(echo "calibrate 16 at end:"; .devbench/cur/bin/calibrate 16; uptime) >> $OUT/machine_2.txt 2>&1
cat $OUT/ab_session15_end.log; cat $OUT/machine_2.txt
