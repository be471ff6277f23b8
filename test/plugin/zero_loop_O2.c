// At -O2, optimisations after the barrier pass can create llvm.memset in address space 256:
// MemCpyOpt merges the unbarriered stores to a fresh object, and loop idiom turns a zeroing
// loop into memset when the loop has no safe point (with safe points, in zero_fresh's copy
// for short runs: -stmc-short-loop-copies).  The late safety net lowers them to
// _stm_memset_h; no AS256 memory intrinsic reaches the backend, which would abort.
// RUN: %stmcc -O2 -S -emit-llvm %s -o - -mllvm -stmc-report 2>%t.err | FileCheck %s
// RUN: FileCheck --check-prefix=LATE1 %s < %t.err
// RUN: %stmcc -O2 -S -emit-llvm %s -o - -mllvm -stmc-safepoints=0 -mllvm -stmc-report 2>%t.err2 | FileCheck --check-prefix=NOSP %s
// RUN: FileCheck --check-prefix=LATE2 %s < %t.err2
// CHECK-NOT:   call void @llvm.memset.p256
// CHECK-LABEL: define {{.*}} @zero_fields(
// CHECK:       call void @_stm_memset_h(i64 %{{.*}}, i8 0, i64 64,
// CHECK-LABEL: define {{.*}} @zero_fresh(
// CHECK-LABEL: define {{.*}} @zero_shared(
// NOSP-NOT:    call void @llvm.memset.p256
// NOSP-LABEL:  define {{.*}} @zero_fresh(
// NOSP:        call void @_stm_memset_h(
// LATE1: late safety net lowered 2 memory intrinsic(s)
// LATE2: late safety net lowered 2 memory intrinsic(s)
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t && %run %t | FileCheck --check-prefix=OUT %s
// OUT: sum 0 0 0
#include <stmc.h>
#include <stdio.h>

typedef struct { long a, b, c, d, e, f, g, h; } s8;

__attribute__((noinline)) s8 STM_HEAP *zero_fields(void) {
  s8 STM_HEAP *p = stm_alloc(sizeof *p);
  p->a = 0; p->b = 0; p->c = 0; p->d = 0; p->e = 0; p->f = 0; p->g = 0; p->h = 0;
  return p;
}

__attribute__((noinline)) long STM_HEAP *zero_fresh(int n) {
  long STM_HEAP *d = stm_alloc(n * sizeof(long));
  for (int i = 0; i < n; i++) d[i] = 0;
  return d;
}

__attribute__((noinline)) void zero_shared(long STM_HEAP *d, int n) {
  for (int i = 0; i < n; i++) d[i] = 0;
}

int main(void) {
  s8 STM_HEAP *f = zero_fields();
  long STM_HEAP *a = zero_fresh(5000);
  long STM_HEAP *b = stm_alloc(5000 * sizeof(long));
  for (int i = 0; i < 5000; i++) b[i] = i;
  zero_shared(b, 5000);
  long sa = 0, sb = 0;
  for (int i = 0; i < 5000; i++) { sa += a[i]; sb += b[i]; }
  printf("sum %ld %ld %ld\n", sa, sb, f->a + f->h);
  return 0;
}
