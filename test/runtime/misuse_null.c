// Misuse: a write through a null heap pointer.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN:  not --crash %run %t 2>&1 | FileCheck %s
// CHECK: stmc: invalid heap pointer: offset 0x{{[0-9a-f]+}} in segment 1 is not in the heap (null heap pointer?)
// CHECK-NOT: UNREACHED
#include "test.h"

typedef struct { int64_t a, b; } obj_t;
int main(void)
{
    obj_t STM_HEAP *volatile o = 0;
    STM_ATOMIC { WR(o->b, 1); }
    printf("UNREACHED\n");
    return 0;
}
