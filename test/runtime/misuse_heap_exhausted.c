// Misuse: the heap runs out; the message names the variable that raises the limit and what
// was asked for, in KiB (in whole MiB, rounded down, a small object's chunk read "0 more"), and
// how much of the heap handed out is free pages and their largest run ("N MiB in use" read as
// live data where most was free runs too short for the request).
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_HEAP_MB=16 not --crash %run %t 2>&1 | FileCheck %s
// CHECK: stmc: heap exhausted: {{[0-9]+}} MiB handed out (0 MiB of it free pages, in runs of at most 0 KiB: objects never move; the rest live objects and free small ones), 1024 KiB more requested, limit 16 MiB; raise STM_HEAP_MB
// CHECK-NOT: UNREACHED
// RUN: env STM_HEAP_MB=16 not --crash %run %t holes 2>&1 | FileCheck %s --check-prefix=HOLES
// HOLES: stmc: heap exhausted: 1{{[0-9]}} MiB handed out ({{[4-8]}} MiB of it free pages, in runs of at most 1024 KiB: objects never move; the rest live objects and free small ones), 2048 KiB more requested
// HOLES-NOT: UNREACHED
#include "test.h"

int main(int argc, char **argv)
{
    void STM_HEAP *p[64];
    int n = 0;
    if (argc > 1) { /* 1 MiB objects, every other one freed: runs of 1 MiB, then 2 MiB asked */
        for (; n < 15; n++)
            p[n] = stm_alloc(1 << 20);
        for (int i = 0; i < n; i += 2)
            stm_free(p[i]);
        stm_alloc(2 << 20);
        printf("UNREACHED\n");
        return 0;
    }
    for (int i = 0; i < 64; i++)
        stm_alloc(1 << 20);
    printf("UNREACHED\n");
    return 0;
}
