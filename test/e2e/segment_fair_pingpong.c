// Threads waiting for a segment take free ones in the order they came.  With one segment
// (STM_SEGMENTS=1), two threads take turns through heap flags outside atomic blocks: the one
// that holds the segment lets it go at a safe point because the other waits, and used to take
// it back at its next heap access while the waiter slept in its back-off: the turns never
// came (the third review: 4 of 4 runs hung, with the runtime of before too).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t && env STM_SEGMENTS=1 %run %t | FileCheck %s
// RUN: env STM_SEGMENTS=1 STM_IMPLICIT_SLICE_US=0 %run %t | FileCheck %s
// CHECK: turns 500, sum ok
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>

#define TURNS 500
struct q { long seq, pad0, data, pad1, ack; };
static struct q STM_HEAP *g;
static long sum;

static void *consumer(void *arg)
{
    (void)arg;
    for (long i = 1; i <= TURNS; i++) {
        while (g->seq < i) /* outside blocks: a safe point each round */
            ;
        sum += g->data;
        g->ack = i;
    }
    return NULL;
}

int main(void)
{
    g = stm_alloc(sizeof *g);
    pthread_t t;
    pthread_create(&t, NULL, consumer, NULL);
    for (long i = 1; i <= TURNS; i++) {
        g->data = i;
        g->seq = i;
        while (g->ack < i)
            ;
    }
    pthread_join(t, NULL);
    printf("turns %d, sum %s\n", TURNS, sum == (long)TURNS * (TURNS + 1) / 2 ? "ok" : "WRONG");
    return 0;
}
