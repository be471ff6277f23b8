// Misuse: the heap runs out; the message names the variable that raises the limit and what
// was asked for, in KiB (in whole MiB, rounded down, a small object's chunk read "0 more").
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_HEAP_MB=16 not --crash %run %t 2>&1 | FileCheck %s
// CHECK: stmc: heap exhausted: {{[0-9]+}} MiB in use, 1024 KiB more requested, limit 16 MiB; raise STM_HEAP_MB
// CHECK-NOT: UNREACHED
#include "test.h"

int main(void)
{
    for (int i = 0; i < 64; i++)
        stm_alloc(1 << 20);
    printf("UNREACHED\n");
    return 0;
}
