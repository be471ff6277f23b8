// Misuse: more segments than the runtime supports.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_SEGMENTS=100 not --crash %run %t 2>&1 | FileCheck %s
// CHECK: stmc: STM_SEGMENTS=100: too many segments requested (at most 64)
// CHECK-NOT: UNREACHED
#include "test.h"

int main(void)
{
    printf("UNREACHED %d\n", stm_in_atomic()); /* any use links the runtime in */
    return 0;
}
