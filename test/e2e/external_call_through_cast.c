// A C library function called through a cast to another function type is still an external
// call: in an atomic block it makes the block inevitable first, so a retry does not repeat
// its output.  For such a call LLVM's getCalledFunction() is null (the call's type differs
// from the function's), and the pass took it for an indirect call into code stmc compiled:
// with one block in two aborted, "via-cast" was printed 8 times for 3 blocks (a review's
// find).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t && env STM_INJECT_ABORTS=2 %run %t | FileCheck %s
// RUN: %stmcc -O0 %s -o %t0 && env STM_INJECT_ABORTS=2 %run %t0 | FileCheck %s
// CHECK-COUNT-3: via-cast
// CHECK-NOT: via-cast
// CHECK: v=3
#include <stmc.h>
#include <stdio.h>

typedef STM_HEAP struct c { long v; } c_t;

int main(void)
{
    c_t *g = stm_alloc(sizeof *g);
    for (int i = 0; i < 3; i++)
        STM_ATOMIC {
            g->v++;
            ((int (*)(const char *, FILE *, int))fputs)("via-cast\n", stdout, 0);
        }
    printf("v=%ld\n", g->v);
    return 0;
}
