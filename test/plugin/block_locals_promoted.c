// In a function with an atomic block the locals that need no keeping across a retry are
// promoted before instrumentation (-stmc-promote-block-locals): a node allocated in the block
// and filled through a local is seen as the fresh object it is, so its three stores get no barrier
// (with the switch off, the local is reloaded from memory at each use and none is elided; main's
// store to the new list is elided in both).
// The list must still come out whole with aborts injected into every other block.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t -mllvm -stmc-report 2>&1 | FileCheck --check-prefix=ON %s
// RUN: %stmcc -O2 %s -o %t.off -mllvm -stmc-report -mllvm -stmc-promote-block-locals=0 2>&1 | FileCheck --check-prefix=OFF %s
// RUN: env STM_INJECT_ABORTS=2 %run %t | FileCheck %s
// RUN: env STM_INJECT_ABORTS=2 %run %t.off | FileCheck %s
// ON:  stmc report: {{.*}}block_locals_promoted.c
// ON:  instrumented: loads 5, stores 0,
// ON:  fresh-alloc 4
// OFF: stmc report: {{.*}}block_locals_promoted.c
// OFF: instrumented: loads 5, stores 3,
// OFF: fresh-alloc 1
// CHECK: nodes 1000, sum 499500
#include <stmc.h>
#include <stdio.h>

typedef STM_HEAP struct node {
    long k, v;
    struct node STM_HEAP *next;
} node_t;

typedef STM_HEAP struct {
    node_t *head;
} list_t;

__attribute__((noinline)) static void push(list_t *l, long k)
{
    STM_ATOMIC {
        node_t *n = stm_alloc(sizeof *n);
        n->k = k;
        n->v = k * 2;
        n->next = l->head;
        l->head = n;
    }
}

int main(void)
{
    list_t *l = stm_alloc(sizeof *l);
    l->head = NULL;
    for (long k = 0; k < 1000; k++)
        push(l, k);
    long count = 0, sum = 0;
    for (node_t *n = l->head; n; n = n->next) {
        count++;
        sum += n->k;
        if (n->v != 2 * n->k)
            printf("bad node %ld\n", n->k);
    }
    printf("nodes %ld, sum %ld\n", count, sum);
    return 0;
}
