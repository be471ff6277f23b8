// -flto: the bitcode is instrumented at compile time (the pass runs in the pre-link
// pipeline); at the link step lld loads the pass-only plugin (the clang plugin needs clang's
// symbols, which lld lacks), whose late safety net lowers what LTO optimisations create.
// RUN: %stmcc -O2 -flto -c %s -o %t.o
// RUN: llvm-dis %t.o -o - | FileCheck %s
// CHECK: call void @_stm_read_slow(
// CHECK: !"stmc.instrumented"
// REQUIRES: stmc-runtime
// RUN: %clang -fuse-ld=lld -Wl,--load-pass-plugin=%stmc_pass -O2 -flto %t.o -o %t %stmc_lib/libstmc.a -pthread -ldl
// RUN: %run %t | FileCheck --check-prefix=OUT %s
// stmcc itself links -flto programs (lld with the pass-only plugin):
// RUN: %stmcc -O2 -flto %t.o -o %t.stmcc
// RUN: %run %t.stmcc | FileCheck --check-prefix=OUT %s
// OUT: 4950
#include <stmc.h>
#include <stdio.h>

__attribute__((noinline)) long sum(long STM_HEAP *d, int n) {
  long s = 0;
  for (int i = 0; i < n; i++) s += d[i];
  return s;
}

int main(void) {
  long STM_HEAP *d = stm_alloc(100 * sizeof(long));
  for (int i = 0; i < 100; i++) d[i] = i;
  printf("%ld\n", sum(d, 100));
  return 0;
}
