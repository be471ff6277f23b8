#!/bin/bash
# Device call (2026-11-27, session 15, third): is hashmap at 4 threads / bank at 16 slower after
# the session's changes, or is it code layout?  The session's start (63b4230) against its end
# (f128fb4), each linked at the runner's 4 code layouts, 2 interleaved rounds per layout.
cd "$(dirname "$0")/.." || exit 1
export PYTHONUNBUFFERED=1
(echo "calibrate 16:"; .devbench/cur/bin/calibrate 16; uptime) > $OUT/machine_3.txt 2>&1
cd examples/bench
for k in 0 1 2 3; do
  echo "layout $k"
  timeout 70 python3 ab.py ../../.devbench/lay/old$k ../../.devbench/lay/new$k \
    --examples hashmap,bank --threads 4,16 --rounds 2 --deadline 60 \
    --json $OUT/ab_layout$k.json 2>&1 | grep -v "^[0-9]* runs"
done > $OUT/ab_layouts.log
cd ../..
(echo "calibrate 16 at end:"; .devbench/cur/bin/calibrate 16; uptime) >> $OUT/machine_3.txt 2>&1
cat $OUT/ab_layouts.log; cat $OUT/machine_3.txt
