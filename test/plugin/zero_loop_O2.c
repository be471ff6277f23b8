// At -O2 a zeroing loop can become llvm.memset in address space 256 (loop idiom, after the
// barrier pass: on a fresh object the loop has no barriers).  The late safety net lowers it;
// no AS256 memory intrinsic reaches the backend, which would abort.
// RUN: %stmcc -O2 -S -emit-llvm %s -o - | FileCheck %s
// CHECK-LABEL: define {{.*}} @zero_fresh(
// CHECK-NOT:   call void @llvm.memset.p256
// CHECK:       ret
// CHECK-LABEL: define {{.*}} @zero_shared(
// CHECK-NOT:   call void @llvm.memset.p256
// CHECK:       ret
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t && %run %t | FileCheck --check-prefix=OUT %s
// OUT: sum 0 0
#include <stmc.h>
#include <stdio.h>

__attribute__((noinline)) long STM_HEAP *zero_fresh(int n) {
  long STM_HEAP *d = stm_alloc(n * sizeof(long));
  for (int i = 0; i < n; i++) d[i] = 0;
  return d;
}

__attribute__((noinline)) void zero_shared(long STM_HEAP *d, int n) {
  for (int i = 0; i < n; i++) d[i] = 0;
}

int main(void) {
  long STM_HEAP *a = zero_fresh(5000);
  long STM_HEAP *b = stm_alloc(5000 * sizeof(long));
  for (int i = 0; i < 5000; i++) b[i] = i;
  zero_shared(b, 5000);
  long sa = 0, sb = 0;
  for (int i = 0; i < 5000; i++) { sa += a[i]; sb += b[i]; }
  printf("sum %ld %ld\n", sa, sb);
  return 0;
}
