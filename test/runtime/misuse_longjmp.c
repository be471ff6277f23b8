// Misuse: an atomic block left by longjmp never commits; the next runtime call from a shallower frame says so.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN:  not --crash %run %t 2>&1 | FileCheck %s
// CHECK: stmc: an atomic block was left by longjmp (or its frame is gone): its transaction never committed
// CHECK-NOT: UNREACHED
#include "test.h"
#include <setjmp.h>

static jmp_buf env;
static int64_t STM_HEAP *x;

static void deep(int n)
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

int main(void)
{
    x = stm_alloc(16);
    if (!setjmp(env))
        deep(8);
    stm_alloc(16);
    printf("UNREACHED\n");
    return 0;
}
