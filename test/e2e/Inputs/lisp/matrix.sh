#!/bin/sh
# matrix.sh BIN REF PROGRAM: runs the interpreter BIN on PROGRAM at 1, 2 and 4 threads in
# each granularity (0, 1, 2), also with STM_INJECT_ABORTS=3 (2 threads) and with
# STM_SEGMENTS=2 (4 threads: more threads than segments); every output must equal REF (the
# FileChecked --no-stm output).  For test/e2e/example_lisp.test.
bin=$1 ref=$2 prog=$3
out=$(mktemp) || exit 1
status=0
for g in 0 1 2; do
  for run in "1" "2" "4" "2 STM_INJECT_ABORTS=3" "4 STM_SEGMENTS=2"; do
    set -- $run
    threads=$1
    shift
    if ! env "$@" timeout 120 "$bin" --threads "$threads" --granularity "$g" "$prog" >"$out" 2>&1; then
      echo "FAILED (exit status): $* $bin --threads $threads --granularity $g $prog"; cat "$out"; status=1
    elif ! cmp -s "$out" "$ref"; then
      echo "FAILED (output differs from --no-stm): $* $bin --threads $threads --granularity $g $prog"
      diff "$ref" "$out" | head -20; status=1
    fi
  done
done
rm -f "$out"
[ $status = 0 ] && echo "matrix ok: $(basename "$prog")"
exit $status
