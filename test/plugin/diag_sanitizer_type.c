// -fsanitize=type (clang 20 and later) is refused like the others of diag_sanitizer.c: its
// programs hung.  The --no-stm build runs under it.
// REQUIRES: stmc-runtime, llvm-22
// RUN: not %clang -O1 -fplugin=%stmc_plugin -I%stmc_include -fsanitize=type -c %s -o %t.o 2>&1 | FileCheck %s
// RUN: not %stmcc -O1 -fsanitize=type -c %s -o %t.o 2>&1 | FileCheck --check-prefix=STMCC %s
// RUN: %stmcc --no-stm -O1 -fsanitize=type %s -o %t.nostm
// RUN: %run %t.nostm
// CHECK: error: stmc: -fsanitize=type is not supported with stmc: it keeps shadow types
// CHECK-SAME: build with 'stmcc --no-stm' to run the program under it
// STMCC: stmcc: -fsanitize=type is not supported with stmc
#include <stmc.h>

int main(void)
{
    long STM_HEAP *c = stm_alloc(sizeof *c);
    STM_ATOMIC { (*c)++; }
    return (int)*c - 1;
}
