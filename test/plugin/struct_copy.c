// Struct copies of 128 B .. 64 KiB between the STM heap and plain memory become runtime calls
// (_stm_memcpy_hh/hf/fh) at -O0 and -O2: the backend cannot lower them in address space 256;
// those of 16 and 64 B become loads and stores (-stmc-scalarize-mem, e2e/struct_copy_small.c).
// RUN: %stmcc -O0 -S -emit-llvm %s -o - | FileCheck %s
// RUN: %stmcc -O2 -S -emit-llvm %s -o - | FileCheck %s
// CHECK-NOT: call void @llvm.memcpy.p256
// CHECK-NOT: call void @llvm.memcpy.p0.p256
// CHECK: call void @_stm_memcpy_hh(
// CHECK: call void @_stm_memcpy_hf(
// CHECK: call void @_stm_memcpy_fh(
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t0 && %run %t0 | FileCheck --check-prefix=OUT %s
// RUN: %stmcc -O2 %s -o %t2 && %run %t2 | FileCheck --check-prefix=OUT %s
// OUT-COUNT-7: ok
// OUT: done
#include <stmc.h>
#include <stdio.h>
#include <string.h>

#define SIZES(X) X(16) X(64) X(128) X(256) X(1000) X(4096) X(65536)
#define DEF(n) typedef struct { unsigned char b[n]; } s##n;
SIZES(DEF)

static unsigned char flat[65536], back[65536];

#define TEST(n)                                                                                \
  __attribute__((noinline)) static int test##n(void) {                                         \
    s##n STM_HEAP *a = stm_alloc(sizeof(s##n));                                                \
    s##n STM_HEAP *b = stm_alloc(sizeof(s##n));                                                \
    s##n *f = (s##n *)flat, *g = (s##n *)back;                                                 \
    for (int i = 0; i < n; i++) flat[i] = (unsigned char)(i * 7 + n);                          \
    *a = *f;       /* heap <- flat */                                                          \
    *b = *a;       /* heap <- heap */                                                          \
    *g = *b;       /* flat <- heap */                                                          \
    int ok = memcmp(flat, back, n) == 0;                                                       \
    printf("%s %d\n", ok ? "ok" : "BAD", n);                                                   \
    return ok;                                                                                 \
  }
SIZES(TEST)

int main(void) {
  int ok = 1;
#define CALL(n) ok &= test##n();
  SIZES(CALL)
  puts("done");
  return !ok;
}
