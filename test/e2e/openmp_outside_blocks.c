// OpenMP programs (clang's libomp) with heap code outside atomic blocks and OpenMP constructs
// around and inside blocks, with busy-waiting OpenMP threads (OMP_WAIT_POLICY=active) and the
// default policy.  Before the plugin took the __kmpc_ calls for external calls, a thread
// waited in the OpenMP runtime's barrier or critical section holding its implicit
// transaction's token: with active waiting phases 1, 2 and 4 hung (the default policy
// stalled ~200 ms a region), and phase 3 (`omp critical` in a block) hung with any number of
// threads.  Phase 1: each thread writes its own heap slot outside blocks in 50 regions.
// Phase 2: `omp critical` around heap updates outside blocks.  Phase 3: `omp critical` inside
// an atomic block (inevitable from the critical on).  Phase 4: each thread fills its part of a
// heap array outside blocks, `omp barrier`, then sums its neighbour's part.  Phase 5: tasks
// (fib) whose leaves count in atomic blocks.  Phase 6: a heap pointer firstprivate.  Phase
// 7: a region with a (never taken) `cancel`, whose barriers are __kmpc_cancel_barrier.
// REQUIRES: openmp, stmc-runtime
// RUN: %stmcc -O0 -fopenmp %s -o %t0
// RUN: %stmcc -O2 -fopenmp %s -o %t2
// RUN: env OMP_NUM_THREADS=4 OMP_WAIT_POLICY=active %run %t2 | FileCheck %s
// RUN: env OMP_NUM_THREADS=4 OMP_WAIT_POLICY=active %run %t0 | FileCheck %s
// RUN: env OMP_NUM_THREADS=2 %run %t2 | FileCheck %s
// RUN: env OMP_NUM_THREADS=1 %run %t2 | FileCheck %s
// A team larger than the segments: the waits park the segment (_stm_external_wait); before,
// phase 2's `omp critical` hung with 2 segments for 4 threads under every wait policy.
// RUN: env STM_SEGMENTS=2 OMP_NUM_THREADS=4 OMP_WAIT_POLICY=active %run %t2 | FileCheck %s
// RUN: env STM_SEGMENTS=2 OMP_NUM_THREADS=4 OMP_WAIT_POLICY=passive %run %t2 | FileCheck %s
// RUN: env STM_SEGMENTS=1 OMP_NUM_THREADS=3 %run %t0 | FileCheck %s
// CHECK: phase 1: slots ok
// CHECK: phase 2: x 20000 y 40000
// CHECK: phase 3: x 2000
// CHECK: phase 4: sums ok
// CHECK: phase 5: fib 610 leaves 987
// CHECK: phase 6: sum 499500
// CHECK: phase 7: cancel region 20 210
#include <stmc.h>
#include <omp.h>
#include <stdio.h>

typedef STM_HEAP struct acc { long x, y; } acc_t;
#define SLOTS 64
#define PART 1000

static acc_t *s;
static long STM_HEAP *slot;
static long STM_HEAP *arr;

static long fib(int n)
{
    if (n < 2) {
        STM_ATOMIC { s->x++; }
        return n;
    }
    long a, b;
#pragma omp task shared(a)
    a = fib(n - 1);
#pragma omp task shared(b)
    b = fib(n - 2);
#pragma omp taskwait
    return a + b;
}

int main(void)
{
    s = stm_alloc(sizeof *s);
    slot = stm_alloc(SLOTS * sizeof(long));
    int threads = omp_get_max_threads();
    arr = stm_alloc((long)threads * PART * sizeof(long));

    for (int r = 0; r < 50; r++) {
#pragma omp parallel
        slot[omp_get_thread_num()] += 1;
    }
    int ok = 1;
    for (int i = 0; i < SLOTS; i++)
        ok &= slot[i] == (i < threads ? 50 : 0);
    printf("phase 1: slots %s\n", ok ? "ok" : "WRONG");

#pragma omp parallel for
    for (int i = 0; i < 20000; i++) {
#pragma omp critical
        {
            s->x++;
            s->y += 2;
        }
    }
    printf("phase 2: x %ld y %ld\n", s->x, s->y);

    s->x = 0;
#pragma omp parallel for
    for (int i = 0; i < 2000; i++) {
        STM_ATOMIC {
#pragma omp critical
            { s->x++; }
        }
    }
    printf("phase 3: x %ld\n", s->x);

    long bad = 0;
#pragma omp parallel reduction(+ : bad)
    {
        int me = omp_get_thread_num(), n = omp_get_num_threads();
        for (int round = 0; round < 20; round++) {
            for (long i = 0; i < PART; i++)
                arr[me * PART + i] = round * i;
#pragma omp barrier
            long sum = 0, other = (me + 1) % n;
            for (long i = 0; i < PART; i++)
                sum += arr[other * PART + i];
            bad += sum != round * (PART * (PART - 1) / 2);
#pragma omp barrier
        }
    }
    printf("phase 4: sums %s\n", bad ? "WRONG" : "ok");

    s->x = 0;
    long f;
#pragma omp parallel
#pragma omp single
    f = fib(15);
    printf("phase 5: fib %ld leaves %ld\n", f, s->x);

    long STM_HEAP *a = arr;
#pragma omp parallel for firstprivate(a)
    for (int i = 0; i < 1000; i++)
        a[i] = i;
    long t = 0;
    for (int i = 0; i < 1000; i++)
        t += a[i];
    printf("phase 6: sum %ld\n", t);

    /* a region with a cancel construct (never taken): its barriers are
     * __kmpc_cancel_barrier, which hung a team larger than the segments (a review) */
    static volatile int never;
    for (int i = 0; i < 64; i++)
        slot[i] = 0;
    for (int round = 0; round < 20; round++) {
#pragma omp parallel
        {
            int me = omp_get_thread_num(), n = omp_get_num_threads();
            if (never) {
#pragma omp cancel parallel
            }
            slot[me] += 1; /* heap code outside blocks: needs a segment */
#pragma omp barrier
            slot[32 + me] += slot[(me + 1) % n];
        }
    }
    printf("phase 7: cancel region %ld %ld\n", slot[0], slot[32]);
    return 0;
}
