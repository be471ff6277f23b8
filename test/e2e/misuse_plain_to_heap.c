// Misuse: a heap pointer made from memory that is not the STM heap (a plain pointer from
// malloc cast to an STM_HEAP pointer, an integer beyond the segment or far beyond it) keeps its
// value as a heap offset (_stm_heap_from_flat: a sentinel such as (void *)1 must stay usable,
// e2e/heap_pointer_thread_arg.c); its dereference faults through %gs beyond the segment, and
// the fault handler says so (before, a bare SIGSEGV).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t0
// RUN: not --crash %run %t0 malloc 2>&1 | FileCheck %s --check-prefix=MALLOC
// RUN: not --crash %run %t0 far 2>&1 | FileCheck %s --check-prefix=FAR
// RUN: not --crash %run %t0 huge 2>&1 | FileCheck %s --check-prefix=HUGE
// RUN: %stmcc -O2 %s -o %t2
// RUN: not --crash %run %t2 malloc 2>&1 | FileCheck %s --check-prefix=MALLOC
// RUN: not --crash %run %t2 far 2>&1 | FileCheck %s --check-prefix=FAR
// RUN: not --crash %run %t2 huge 2>&1 | FileCheck %s --check-prefix=HUGE
// MALLOC: stmc: invalid heap pointer: a heap access (through %gs) faulted {{at offset 0x[0-9a-f]+, beyond the segment|at a non-canonical address}}: a heap pointer made from an integer or a plain pointer that was never a heap pointer?
// MALLOC-NOT: UNREACHED
// FAR: stmc: invalid heap pointer: a heap access (through %gs) faulted at offset 0x{{[0-9a-f]+}}, beyond the segment
// FAR-NOT: UNREACHED
// HUGE: stmc: invalid heap pointer: a heap access (through %gs) faulted at a non-canonical address
// HUGE-NOT: UNREACHED
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stmc.h>

typedef STM_HEAP struct node {
    long key;
} node_t;

static volatile unsigned long far_off = 3UL << 33, huge_off = 0x7f0000000000UL;

int main(int argc, char **argv)
{
    node_t *n = NULL;
    if (argc > 1 && !strcmp(argv[1], "malloc"))
        n = (node_t *)malloc(sizeof(struct node));
    else if (argc > 1 && !strcmp(argv[1], "far"))
        n = (node_t *)far_off;
    else
        n = (node_t *)huge_off;
    long v = 0;
    STM_ATOMIC {
        v = n->key;
    }
    printf("UNREACHED %ld\n", v);
    return 0;
}
