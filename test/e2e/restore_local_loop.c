// A local that an atomic block's retry restores, changed in a loop in the block (`long s = 0;
// STM_ATOMIC { for (...) s += a[i]; }`), stays in a register through the loop
// (-stmc-loop-local-registers) and is stored once at the loop's exit; a retry still starts
// from its value at the block's entry.  One thread sums a 64-element heap array in 2000 blocks
// with aborts injected (a block that counted an aborted attempt's partial sum would be off by
// a multiple of it); two threads each sum the array in blocks while a third moves amounts
// between its elements (the total stays 64 * 3), conflicting with the sums.  Both switch
// states give the same results; the report tells them apart.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t2 -mllvm -stmc-report 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: %stmcc -O2 %s -o %t2off -mllvm -stmc-loop-local-registers=0 -mllvm -stmc-report 2>&1 | FileCheck %s --check-prefix=REPORT-OFF
// RUN: %stmcc -O0 %s -o %t0
// RUN: env STM_INJECT_ABORTS=3 %run %t2 | FileCheck %s
// RUN: env STM_INJECT_ABORTS=3 %run %t2off | FileCheck %s
// RUN: env STM_INJECT_ABORTS=3 %run %t0 | FileCheck %s
// RUN: %run %t2 | FileCheck %s
// REPORT: (in a register through {{[1-9][0-9]*}} loops)
// REPORT-OFF: (in a register through 0 loops)
// CHECK: one thread: total 384000, every block 192: yes
// CHECK: three threads: every sum 192: yes
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>

#define N 64

static long STM_HEAP *arr;
static volatile long n_v = N; /* a bound known at run time */
static int wrong;

static long block_sum(long n)
{
    long s = 0;
    STM_ATOMIC {
        for (long i = 0; i < n; i++)
            s += arr[i];
    }
    return s;
}

static void *summer(void *arg)
{
    (void)arg;
    long n = n_v;
    for (int k = 0; k < 3000; k++)
        if (block_sum(n) != N * 3)
            __atomic_store_n(&wrong, 1, __ATOMIC_RELAXED);
    return NULL;
}

static void *mover(void *arg)
{
    (void)arg;
    for (int k = 0; k < 3000; k++) {
        long from = (k * 7) % N, to = (k * 13 + 5) % N;
        STM_ATOMIC {
            if (arr[from] > 0) {
                arr[from] -= 1;
                arr[to] += 1;
            }
        }
    }
    return NULL;
}

int main(void)
{
    arr = stm_alloc(N * sizeof(long));
    for (long i = 0; i < N; i++)
        arr[i] = 3;
    long n = n_v, total = 0;
    int every = 1;
    for (int k = 0; k < 2000; k++) {
        long s = block_sum(n);
        every &= s == N * 3;
        total += s;
    }
    printf("one thread: total %ld, every block %d: %s\n", total, N * 3, every ? "yes" : "no");
    pthread_t t[3];
    pthread_create(&t[0], NULL, summer, NULL);
    pthread_create(&t[1], NULL, summer, NULL);
    pthread_create(&t[2], NULL, mover, NULL);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    printf("three threads: every sum %d: %s\n", N * 3, wrong ? "no" : "yes");
    return 0;
}
