// A file-size limit (ulimit -f) below STM_HEAP_MB: sizing the heap file (a memfd) raised
// SIGXFSZ, which killed the program at start-up with no stmc message ("File size limit
// exceeded", status 153).  Now the runtime says what to change, and a heap that fits runs.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: not %run sh -c "ulimit -f 100000; %t" 2>&1 | FileCheck %s --check-prefix=LIMIT
// RUN: env STM_HEAP_MB=32 %run sh -c "ulimit -f 100000; %t" | FileCheck %s
// LIMIT: stmc: cannot size the heap file (2048 MiB): the file-size limit (ulimit -f) is lower; lower STM_HEAP_MB or raise the limit
// CHECK: sum 6
#include <stmc.h>
#include <stdio.h>

int main(void)
{
    long STM_HEAP *v = stm_alloc(3 * sizeof *v);
    long sum = 0;
    STM_ATOMIC {
        for (int i = 0; i < 3; i++)
            v[i] = i + 1;
    }
    STM_ATOMIC {
        sum = 0;
        for (int i = 0; i < 3; i++)
            sum += v[i];
    }
    printf("sum %ld\n", sum);
    return 0;
}
