// An STM_IMMUTABLE field read outside atomic blocks by a thread that holds no segment (its
// first heap access, or the first after pthread_join gave the segment back) takes a segment
// and starts the implicit transaction like any read: the load keeps the test that a
// transaction runs, only its read marker is left out.  Before, both reads faulted ("heap
// access ... in a thread that holds no segment").
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t0 && %run %t0 | FileCheck %s
// RUN: %stmcc -O2 %s -o %t2 && %run %t2 | FileCheck %s
// CHECK: thread read key 42
// CHECK-NEXT: main read key 42
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>

typedef struct node {
    long key STM_IMMUTABLE;
    long val;
} node;
static node STM_HEAP *g;

static void *reader(void *arg)
{
    (void)arg;
    long k = g->key; /* this thread's first heap access: no segment yet */
    printf("thread read key %ld\n", k);
    fflush(stdout);
    STM_ATOMIC {
        g->val++;
    }
    return NULL;
}

int main(void)
{
    STM_ATOMIC {
        node STM_HEAP *n = stm_alloc(sizeof *n);
        n->key = 42;
        g = n;
    }
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    pthread_join(t, NULL); /* gives main's segment back */
    long k = g->key;
    printf("main read key %ld\n", k);
    return k != 42;
}
