// Misuse: stm_free of a pointer inside an object.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN:  not --crash %run %t 2>&1 | FileCheck %s
// CHECK: stmc: stm_free(0x{{[0-9a-f]+}}): not a pointer returned by stm_alloc (inside an object?)
// CHECK-NOT: UNREACHED
#include "test.h"

int main(void)
{
    char STM_HEAP *p = stm_alloc(64);
    stm_free(p + 16);
    printf("UNREACHED\n");
    return 0;
}
