// Misuse: an atomic block left by longjmp never commits; the next runtime call from a shallower frame says so.
// With "write", that call is the write barrier's slow path for a store to another object (its
// one-granule path, and the general one): it finds the dead frame before it records the granule;
// without the check the store would join the dead block's transaction.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN:  not --crash %run %t 2>&1 | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2
// RUN:  not --crash %run %t2 write 2>&1 | FileCheck %s
// RUN:  env STM_NO_WRITE_FAST=1 not --crash %run %t2 write 2>&1 | FileCheck %s
// CHECK: stmc: an atomic block was left by longjmp (or its frame is gone): its transaction never committed
// CHECK-NOT: UNREACHED
#include "test.h"
#include <setjmp.h>

static jmp_buf env;
static int64_t STM_HEAP *x;

static __attribute__((noinline)) void deep(int n)
{
    volatile char pad[1024];
    pad[0] = (char)n;
    if (n > 0) {
        deep(n - 1);
        return;
    }
    STM_ATOMIC {
        WR(*x, 1);
        longjmp(env, 1);
    }
}

int main(int argc, char **argv)
{
    x = stm_alloc(16);
    int64_t STM_HEAP *y = stm_alloc(16);
    if (!setjmp(env))
        deep(8);
    if (argc > 1 && !strcmp(argv[1], "write"))
        _stm_write_slow(OFF(y), 8, NULL); /* what the barrier of a store to *y calls */
    else
        stm_alloc(16);
    printf("UNREACHED\n");
    return 0;
}
