// A row pointer read from the heap in a loop in an atomic block that stores to the heap
// (`acc[k][j] += 1` over j: the pointer acc[k] against stores of longs) is read once before
// the loop (-stmc-hoist-past-stores), with its read marker, and the row gets its write range.
// Two threads add 1 to every element of random rows in blocks while a third moves rows: it
// copies acc[k] into the spare row and makes the spare row acc[k] and the old one the spare,
// writing nothing of the old row.  A block that added to a row after it was moved away (a
// pointer read outside the snapshot, or one whose read nobody validated) would lose its
// additions: the rows' total must be D for every block that committed.  With the hoisted
// load's barrier dropped from the pass, 5 runs of 5 lost additions.  Both switch states give the same
// results; the report tells them apart.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t2 -mllvm -stmc-report 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: %stmcc -O2 %s -o %t2off -mllvm -stmc-hoist-past-stores=0 -mllvm -stmc-report 2>&1 | FileCheck %s --check-prefix=REPORT-OFF
// RUN: %run %t2 | FileCheck %s
// RUN: %run %t2off | FileCheck %s
// RUN: env STM_INJECT_ABORTS=5 %run %t2 | FileCheck %s
// REPORT: past the loop's stores {{[1-9][0-9]*}};
// REPORT-OFF: past the loop's stores 0;
// CHECK: rows: total right: yes
#include <stmc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define K 8
#define D 32
#define ADDS 3000

typedef long STM_HEAP *row_t;
static row_t STM_HEAP *acc;   /* K row pointers */
static row_t STM_HEAP *spare; /* one */

__attribute__((noinline)) static void add_row(row_t STM_HEAP *a, long k, long d)
{
    STM_ATOMIC {
        for (long j = 0; j < d; j++)
            a[k][j] += 1;
    }
}

static void *adder(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    for (int n = 0; n < ADDS; n++)
        add_row(acc, rand_r(&seed) % K, D);
    return NULL;
}

static void *mover(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    for (int n = 0; n < ADDS; n++) {
        long k = rand_r(&seed) % K;
        STM_ATOMIC {
            row_t old = acc[k], nw = *spare;
            for (long j = 0; j < D; j++)
                nw[j] = old[j];
            acc[k] = nw; /* the old row keeps its values: only acc[k] tells an adder */
            *spare = old;
        }
    }
    return NULL;
}

int main(void)
{
    acc = stm_alloc(K * sizeof(row_t));
    spare = stm_alloc(sizeof(row_t));
    for (int k = 0; k < K; k++)
        acc[k] = stm_alloc(D * sizeof(long));
    *spare = stm_alloc(D * sizeof(long));
    pthread_t t[3];
    pthread_create(&t[0], NULL, adder, (void *)(uintptr_t)1);
    pthread_create(&t[1], NULL, adder, (void *)(uintptr_t)2);
    pthread_create(&t[2], NULL, mover, (void *)(uintptr_t)3);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    long total = 0;
    for (int k = 0; k < K; k++)
        for (int j = 0; j < D; j++)
            total += acc[k][j];
    printf("rows: total right: %s (%ld of %ld)\n", total == 2L * ADDS * D ? "yes" : "no", total,
           2L * ADDS * D);
    return 0;
}
