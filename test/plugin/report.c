// -mllvm -stmc-report prints the per-file counts to stderr, once per file.  (At -O2 the pass
// runs EarlyCSE first: the repeated *p and the reload of *q are gone before barriers go in.)
// RUN: %stmcc -O2 -c %s -o %t.o -mllvm -stmc-report 2>&1 | FileCheck %s
// CHECK:     stmc report: {{.*}}report.c
// CHECK-NEXT:  instrumented: loads 2, stores 1, atomicrmw/cmpxchg 0, memory intrinsics 0
// CHECK-NEXT:  elided: same-granule 0, read-after-write 0, read-before-write 1, fresh-alloc 1, immutable 0, loop-invariant 0
// CHECK-NOT: stmc report
#include <stmc.h>
long f(long STM_HEAP *p, long STM_HEAP *q) {
  long a = *p + *p;
  q[1]++;
  *q = a;
  return *q;
}
long STM_HEAP *g(void) {
  long STM_HEAP *n = stm_alloc(8);
  *n = 1;
  return n;
}
