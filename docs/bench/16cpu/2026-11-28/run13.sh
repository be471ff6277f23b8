#!/bin/bash
# Device call (2026-11-28, session 25, second): what gave trees2 its gain at 4-16 threads since
# f128fb4 (the same binary with the switches of b89848f and ab8c02c), and 7 more interleaved
# rounds of the 1- and 2-thread cells that run12's A/B left unclear.
cd "$(dirname "$0")/.." || exit 1
export PYTHONUNBUFFERED=1
(echo "calibrate 16:"; .devbench/cur/bin/calibrate 16; uptime) > $OUT/machine_2.txt 2>&1
B=.devbench/cur/bin/trees2.stmc
for r in 1 2 3 4 5; do
  for n in 1 4 16; do
    for cfg in default STM_NO_TEMP_COMMIT=1 STM_NO_UNLOCKED_REUSE=1 "STM_NO_TEMP_COMMIT=1 STM_NO_UNLOCKED_REUSE=1"; do
      e=""; [ "$cfg" = default ] || e="$cfg"
      t=$(env $e STM_STATS=1 $B --threads $n 2>&1 | grep -E "^(time|parallel|check)|commits_temp|reuses_unlocked" | tr '\n' ' ')
      echo "r$r n=$n [$cfg] $t"
    done
  done
done > $OUT/trees2_switches.log 2>&1
(cd examples/bench && timeout 120 python3 ab.py ../../.devbench/old ../../.devbench/cur/bin \
  --examples intset_rbtree,intset_list,hashmap --threads 1,2 --rounds 7 \
  --deadline 100 --json $OUT/ab_since_f128fb4_2.json > $OUT/ab_since_f128fb4_2.log 2>&1)
(echo "calibrate 16 at end:"; .devbench/cur/bin/calibrate 16; uptime) >> $OUT/machine_2.txt 2>&1
cat $OUT/ab_since_f128fb4_2.log $OUT/machine_2.txt; head -3 $OUT/trees2_switches.log
