// Misuse: a write through a null heap pointer.  The fault is in the write barrier's marker
// load, and the report names the heap offsets written (it gave the marker's offset, 0x1fff0000,
// which read as the pointer's value).
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN:  not --crash %run %t 2>&1 | FileCheck %s
// CHECK: stmc: invalid heap pointer: a write to heap offset 0x0-0xf, which is not in the heap (null heap pointer?), faulted in its barrier (segment 1)
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
