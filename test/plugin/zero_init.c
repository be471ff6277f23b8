// `= {0}` of big structs on the STM heap becomes _stm_memset_h (or a copy from a constant,
// _stm_memcpy_hf) at -O0 and -O2, and runs.
// RUN: %stmcc -O0 -S -emit-llvm %s -o - | FileCheck %s
// RUN: %stmcc -O2 -S -emit-llvm %s -o - | FileCheck %s
// CHECK-NOT: call void @llvm.memset.p256
// CHECK-NOT: call void @llvm.memcpy.p256
// CHECK: call void @_stm_mem{{set_h|cpy_hf}}(
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t0 && %run %t0 | FileCheck --check-prefix=OUT %s
// RUN: %stmcc -O2 %s -o %t2 && %run %t2 | FileCheck --check-prefix=OUT %s
// OUT: zeroed 0 small 0 12
#include <stmc.h>
#include <stdio.h>

typedef struct { long a[1024]; } big_t;
typedef struct { long x, y; int z; } small_t;

__attribute__((noinline)) static void clear(big_t STM_HEAP *p) { *p = (big_t){0}; }
__attribute__((noinline)) static void clear_small(small_t STM_HEAP *p) { *p = (small_t){0, 0, 12}; }

int main(void) {
  big_t STM_HEAP *p = stm_alloc(sizeof *p);
  small_t STM_HEAP *s = stm_alloc(sizeof *s);
  for (int i = 0; i < 1024; i++) p->a[i] = i + 1;
  s->x = 5;
  clear(p);
  clear_small(s);
  long sum = 0;
  for (int i = 0; i < 1024; i++) sum += p->a[i];
  printf("zeroed %ld small %ld %d\n", sum, s->x + s->y, s->z);
  return sum != 0;
}
