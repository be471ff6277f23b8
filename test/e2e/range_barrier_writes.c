// Range write barriers (-stmc-range-writes): counted loops inside an atomic block that store
// to (or add to) a heap array get one write barrier over the whole range before the loop and
// none inside, and so do such loops in a static helper that only blocks call.  Phase 1: four
// threads each run blocks that add 1 to every element of a shared array (in the block, or
// through that helper), or copy it reversed into a second array and back, all conflicting:
// at the end every
// element counts every thread's blocks, and the copies moved nothing (a range that missed a
// granule would lose updates).  Phase 2, outside blocks with 2 segments for 4 threads: each
// thread fills its own 640 KiB part of an array with the round number, again and again, in
// a helper whose loop keeps its barriers (no range outside blocks: each end of the implicit
// transaction, at every hand-over of the token, committed and recorded the whole range
// again, and a review's 4 M-element fill beside one other thread wrote 24 elements a
// second); the implicit transactions end at safe points (segment hand-overs, the write-set
// size limit), and main reads the committed values.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t2 -mllvm -stmc-report 2>&1 | FileCheck --check-prefix=REPORT %s
// RUN: %stmcc -O2 %s -o %t2off -mllvm -stmc-range-writes=0 -mllvm -stmc-report 2>&1 | FileCheck --check-prefix=REPORT-OFF %s
// RUN: %stmcc -O0 %s -o %t0
// RUN: %run %t2 | FileCheck %s
// RUN: env STM_SEGMENTS=2 %run %t2 | FileCheck %s
// RUN: %run %t2off | FileCheck %s
// RUN: %run %t0 | FileCheck %s
// REPORT: 4 for writes
// REPORT-OFF: 0 for writes
// CHECK: phase 1: elements 1200 each: yes, copies ok
// CHECK: phase 2: parts at the last round: yes
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define N 1024
#define THREADS 4
#define BLOCKS 300
#define PART (80 * 1024) /* longs: 640 KiB a thread: 40 K granules, and two of them pass the implicit write-set limit (STM_IMPLICIT_MAX_GRANULES=65536) */
#define ROUNDS 4

static long STM_HEAP *a;
static long STM_HEAP *b;
static long STM_HEAP *big;

/* only atomic blocks call it: its loop runs in a transaction too (a range) */
__attribute__((noinline)) static void add_all(long STM_HEAP *v, long n, long x)
{
    for (long i = 0; i < n; i++)
        v[i] += x;
}

/* called outside blocks: its loop keeps its barrier */
__attribute__((noinline)) static void fill(long STM_HEAP *v, long n, long x)
{
    for (long i = 0; i < n; i++)
        v[i] = x;
}

static void *adder(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    for (int k = 0; k < BLOCKS; k++) {
        int trip = rand_r(&seed) % 4 == 0;
        STM_ATOMIC {
            long STM_HEAP *va = a; /* (a global would be loaded again each time) */
            long STM_HEAP *vb = b;
            if (k & 1)
                add_all(va, N, 1);
            else
                for (long i = 0; i < N; i++)
                    va[i] += 1;
            if (trip) { /* a round trip through b: a unchanged */
                for (long i = 0; i < N; i++)
                    vb[N - 1 - i] = va[i];
                for (long i = 0; i < N; i++)
                    va[N - 1 - i] = vb[i];
            }
        }
    }
    return NULL;
}

static void *filler(void *arg)
{
    long me = (long)(uintptr_t)arg;
    for (long r = 1; r <= ROUNDS; r++)
        fill(big + me * PART, PART, r * 100 + me);
    return NULL;
}

int main(void)
{
    a = stm_alloc(N * sizeof(long));
    b = stm_alloc(N * sizeof(long));
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, adder, (void *)(uintptr_t)(i + 1));
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    int each = 1;
    for (long i = 0; i < N; i++)
        each &= a[i] == THREADS * BLOCKS;
    printf("phase 1: elements %d each: %s, copies ok\n", THREADS * BLOCKS, each ? "yes" : "NO");

    big = stm_alloc((long)THREADS * PART * sizeof(long));
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, filler, (void *)(uintptr_t)i);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    int last = 1;
    for (long me = 0; me < THREADS; me++)
        for (long i = 0; i < PART; i++)
            last &= big[me * PART + i] == ROUNDS * 100 + me;
    printf("phase 2: parts at the last round: %s\n", last ? "yes" : "NO");
    return 0;
}
