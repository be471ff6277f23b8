#!/bin/sh
# Driver for llvm_stress.test: $@ is the opt command with the pass plugin loaded.
n=${STMC_STRESS_SEEDS:-200}
s=1
while [ $s -le $n ]; do
  for size in 60 250; do
    llvm-stress -seed=$s -size=$size -o stress.ll || exit 1
    "$@" -passes='stmc-heapify,stmc-instrument' stress.ll -o stress1.bc 2>stress.err ||
      { echo "seed $s size $size: instrument failed"; cat stress.err; exit 1; }
    "$@" -passes='default<O2>,stmc-lower-late' stress1.bc -o stress2.bc 2>stress.err ||
      { echo "seed $s size $size: -O2 failed"; cat stress.err; exit 1; }
    llc -O2 stress2.bc -o /dev/null 2>stress.err ||
      { echo "seed $s size $size: llc failed"; cat stress.err; exit 1; }
  done
  s=$((s + 1))
done
echo "stress: $n seeds ok"
