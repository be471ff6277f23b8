// A heap array pointer read in the body of a loop in an atomic block (`s += x->items[i]` for
// i < x->n) is read once before the loop, behind a test that the body runs
// (-stmc-hoist-guarded-loads), and the loop gets its range barrier.  An object with n = 0 and
// items = NULL sums to 0, and so does a pointer past the heap with a bound of 0 given apart (a
// load of its items moved before the loop without the test faults: seen with the test made
// always true).  Two threads sum the set in blocks while a third swaps it between a 96-element
// array of 1s and a 48-element array of 2s, n and items together: every sum is 96 (a pointer
// read outside the block's snapshot, or a range over the old array, would give 48 or 192, or
// miss a conflict).  Both switch states give the same results; the report tells them apart.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t2 -mllvm -stmc-report 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: %stmcc -O2 %s -o %t2off -mllvm -stmc-hoist-guarded-loads=0 -mllvm -stmc-report 2>&1 | FileCheck %s --check-prefix=REPORT-OFF
// RUN: %stmcc -O0 %s -o %t0
// RUN: %run %t2 | FileCheck %s
// RUN: %run %t2off | FileCheck %s
// RUN: %run %t0 | FileCheck %s
// RUN: env STM_INJECT_ABORTS=5 %run %t2 | FileCheck %s
// (the bound, p->n in the header, moves in both states; items only with the switch)
// REPORT: ranged 2 (into 2 range barriers, {{.*}}heap loads moved out of loops in blocks 3, past the loop's stores 0; plain loads moved out of loops 2)
// REPORT-OFF: ranged 0 (into 0 range barriers, {{.*}}heap loads moved out of loops in blocks 1, past the loop's stores 0; plain loads moved out of loops 0)
// CHECK: empty: 0 0
// CHECK: three threads: every sum 96: yes
#include <stmc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

typedef STM_HEAP struct set { long n; long STM_HEAP *items; } set_t;

static set_t *x;
static long STM_HEAP *ones;
static long STM_HEAP *twos;
static int wrong;
static volatile unsigned long far_off = 3UL << 33; /* beyond the heap: a load there faults */
static volatile long zero_n = 0;                  /* (no constant for the optimiser) */

__attribute__((noinline)) static long set_sum(set_t *p)
{
    long s = 0;
    STM_ATOMIC {
        s = 0;
        for (long i = 0; i < p->n; i++)
            s += p->items[i];
    }
    return s;
}

/* the bound apart from the object: with n = 0, q may be anything (past the heap here), and
 * q->items must not be read */
__attribute__((noinline)) static long set_sum_n(set_t *q, long n)
{
    long s = 0;
    STM_ATOMIC {
        s = 0;
        for (long i = 0; i < n; i++)
            s += q->items[i];
    }
    return s;
}

static void *summer(void *arg)
{
    (void)arg;
    for (int k = 0; k < 4000; k++)
        if (set_sum(x) != 96)
            __atomic_store_n(&wrong, 1, __ATOMIC_RELAXED);
    return NULL;
}

static void *swapper(void *arg)
{
    (void)arg;
    for (int k = 0; k < 4000; k++)
        STM_ATOMIC {
            if (x->n == 96) {
                x->n = 48;
                x->items = twos;
            } else {
                x->n = 96;
                x->items = ones;
            }
        }
    return NULL;
}

int main(void)
{
    set_t *empty = stm_alloc(sizeof *empty); /* n 0, items NULL */
    printf("empty: %ld %ld\n", set_sum(empty), set_sum_n((set_t *)(uintptr_t)far_off, zero_n));
    ones = stm_alloc(96 * sizeof(long));
    twos = stm_alloc(48 * sizeof(long));
    for (int i = 0; i < 96; i++)
        ones[i] = 1;
    for (int i = 0; i < 48; i++)
        twos[i] = 2;
    x = stm_alloc(sizeof *x);
    x->n = 96;
    x->items = ones;
    pthread_t t[3];
    pthread_create(&t[0], NULL, summer, NULL);
    pthread_create(&t[1], NULL, summer, NULL);
    pthread_create(&t[2], NULL, swapper, NULL);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    printf("three threads: every sum 96: %s\n", wrong ? "no" : "yes");
    return 0;
}
