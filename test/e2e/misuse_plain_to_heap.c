// Misuse: a heap pointer made from memory that is not the STM heap.  A plain pointer from
// malloc cast to an STM_HEAP pointer stops the program at the cast, with its file:line
// (_stm_heap_from_flat); a heap pointer made from an integer beyond the segment faults
// through %gs, and the fault handler says so (before, both were a bare SIGSEGV).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t0
// RUN: not --crash %run %t0 malloc 2>&1 | FileCheck %s --check-prefix=MALLOC
// RUN: not --crash %run %t0 far 2>&1 | FileCheck %s --check-prefix=FAR
// RUN: not --crash %run %t0 huge 2>&1 | FileCheck %s --check-prefix=HUGE
// RUN: %stmcc -O2 %s -o %t2
// RUN: not --crash %run %t2 malloc 2>&1 | FileCheck %s --check-prefix=MALLOC
// RUN: not --crash %run %t2 far 2>&1 | FileCheck %s --check-prefix=FAR
// RUN: not --crash %run %t2 huge 2>&1 | FileCheck %s --check-prefix=HUGE
// MALLOC: stmc: a plain pointer (0x{{[0-9a-f]+}}) cast to an STM_HEAP pointer at {{.*}}misuse_plain_to_heap.c:[[@LINE+21]]:{{[0-9]+}} does not point into the STM heap
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
