// -mllvm -stmc-report prints the per-file counts to stderr, once per file.
// RUN: %stmcc -O2 -c %s -o %t.o -mllvm -stmc-report 2>&1 | FileCheck %s
// CHECK:     stmc report: {{.*}}report.c
// CHECK-NEXT:  instrumented: loads 1, stores 1, atomicrmw/cmpxchg 0, memory intrinsics 0
// CHECK-NEXT:  elided: same-granule 1, read-after-write 1, fresh-alloc 1, immutable 0, loop-invariant 0
// CHECK-NOT: stmc report
#include <stmc.h>
long f(long STM_HEAP *p, long STM_HEAP *q) {
  long a = *p + *p;
  *q = a;
  return *q;
}
long STM_HEAP *g(void) {
  long STM_HEAP *n = stm_alloc(8);
  *n = 1;
  return n;
}
