// Core dumps leave out what no one reads in them.  The kernel dumps a shared mapping whole, and
// a private one whole once it has anonymous pages, reading the heap file's holes as zeros: a
// trivial program's abort wrote a 4.1 GB core (6.1 GB with the debugger's view), 2 GiB more for
// each thread that ran a block, and gdb's gcore wrote 18 GB of the reservation in 60 s without
// finishing.  Now the reservation, the markers and the private-page bytes are MADV_DONTDUMP,
// and of each heap mapping only the part below twice the heap's top (4 MiB at least) is
// dumped, moved up as the heap grows; the heap of a segment no thread has held is left out
// (gcore dumped each one's part: 1.5 GB for 64 segments and a 10 MB heap), so the start
// holds 4 MiB of segment 0 and 4 of the main thread's, whatever STM_SEGMENTS is.  The test reads its own /proc/self/smaps, whose "dd" flag
// is what the kernel and gcore obey: the dumpable bytes inside the segments' reservation and
// the view, before and after 40 MiB of allocations; and that the dumpable part of segment 0's
// heap covers those 40 MiB.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: env STM_SEGMENTS=4 %run %t | FileCheck %s
// RUN: env STM_SEGMENTS=64 %run %t | FileCheck %s
// RUN: env STM_SEGMENTS=4 STM_GDB_VIEW=1 %run %t | FileCheck %s --check-prefixes=CHECK,VIEW
// CHECK: start: reservation 8 MiB dumpable
// VIEW-SAME: view 4 MiB dumpable
// CHECK-NEXT: after 40 MiB: segment 0's heap {{[0-9]+}} MiB dumpable, covers the objects: yes, at most twice them: yes
#include <stmc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern unsigned long long _stm_debug[4];

// Bytes of [lo, hi) in mappings that a core dump would hold (no "dd" among their VmFlags).
static unsigned long long dumpable(unsigned long long lo, unsigned long long hi)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[512];
    unsigned long long a = 0, b = 0, sum = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long long x, y;
        if (sscanf(line, "%llx-%llx ", &x, &y) == 2 && strchr(line, '-') < strchr(line, ' ')) {
            a = x;
            b = y;
        } else if (!strncmp(line, "VmFlags:", 8) && !strstr(line, " dd")) {
            unsigned long long s = a > lo ? a : lo, e = b < hi ? b : hi;
            if (e > s)
                sum += e - s;
        }
    }
    fclose(f);
    return sum;
}

int main(void)
{
    char STM_HEAP *first;
    STM_ATOMIC { first = stm_alloc(64); first[0] = 1; }
    unsigned long long seg0 = _stm_debug[STMC_DEBUG_SEG0];
    unsigned long long end = seg0 + (_stm_debug[STMC_DEBUG_NSEG] + 2) * STMC_SEG_SIZE;
    printf("start: reservation %llu MiB dumpable", dumpable(seg0, end) >> 20);
    if (_stm_debug[STMC_DEBUG_VIEW])
        printf(", view %llu MiB dumpable", dumpable(STMC_HEAP_START, STMC_SEG_SIZE) >> 20);
    printf("\n");
    char STM_HEAP *last = 0;
    for (int i = 0; i < 40; i++)
        STM_ATOMIC { last = stm_alloc(1 << 20); last[0] = 1; }
    unsigned long long heap0 = seg0 + STMC_HEAP_START;
    unsigned long long d = dumpable(heap0, seg0 + STMC_SEG_SIZE);
    unsigned long long top = (unsigned long long)(unsigned long)last + (1 << 20) - STMC_HEAP_START;
    printf("after 40 MiB: segment 0's heap %llu MiB dumpable, covers the objects: %s, at most "
           "twice them: %s\n", d >> 20, d >= top ? "yes" : "no", d <= 2 * top ? "yes" : "no");
    return 0;
}
