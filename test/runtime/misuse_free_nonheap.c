// Misuse: stm_free of a pointer that stm_alloc did not return.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN:  not --crash %run %t 2>&1 | FileCheck %s
// CHECK: stmc: stm_free(0x1234): not a pointer returned by stm_alloc
// CHECK-NOT: UNREACHED
#include "test.h"

int main(void)
{
    stm_free((void STM_HEAP *)(uintptr_t)0x1234);
    printf("UNREACHED\n");
    return 0;
}
