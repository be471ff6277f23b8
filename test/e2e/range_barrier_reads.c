// Range read barriers (-stmc-range-barriers): a helper, and loops in the atomic block itself
// (one with its bound read from the heap, moved out of the loop: -stmc-hoist-block-loads), sum
// a heap array in a counted loop, so its loads get one barrier over the whole array in the
// loop's preheader.  Phase 1: four
// threads each add 1 to a random element while the sum, read in the same atomic block, is
// below LIMIT: the sum must end exactly at LIMIT.  Were the range not marked read, two blocks
// that both saw LIMIT - 1 would both commit (write skew) and the sum would pass LIMIT.
// Phase 2: with 2 segments for 4 threads, three threads sum outside atomic blocks while one
// moves units between elements in blocks: a safe point in the loop gives the segment back to
// a waiting thread, and the range barrier run again after it takes one again (without that,
// the next load faulted on the dummy segment).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t2 -mllvm -stmc-report 2>&1 | FileCheck --check-prefix=REPORT %s
// RUN: %stmcc -O2 %s -o %t2off -mllvm -stmc-range-barriers=0
// RUN: %stmcc -O0 %s -o %t0
// RUN: %run %t2 | FileCheck %s
// RUN: env STM_SEGMENTS=2 %run %t2 | FileCheck %s
// RUN: %run %t2off | FileCheck %s
// RUN: %run %t0 | FileCheck %s
// REPORT: ranged 3 (into 3 range barriers, 0 of them strided (0 by a stride known at run time), 0 at a loop-invariant address, 0 for writes; heap loads moved out of loops in blocks 1, past the loop's stores 0; plain loads moved out of loops 1)
// CHECK: phase 1: sum 3000 (limit 3000)
// CHECK: phase 2: sum 3000
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define N 512
#define LIMIT 3000
#define THREADS 4

static long STM_HEAP *a;
static long STM_HEAP *nbox; /* holds N */

__attribute__((noinline)) static long sum_of(const long STM_HEAP *v, long n)
{
    long s = 0;
    for (long i = 0; i < n; i++)
        s += v[i];
    return s;
}

static void *adder(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    for (;;) {
        long idx = rand_r(&seed) % N, seen, how = rand_r(&seed) % 3;
        STM_ATOMIC {
            if (how == 1) { /* the loop in the block itself: its locals are promoted */
                const long STM_HEAP *v = a; /* (a global would be loaded again each time) */
                long n = N, s = 0;
                for (long i = 0; i < n; i++)
                    s += v[i];
                seen = s;
            } else if (how == 2) { /* the bound read from the heap: moved out of the loop */
                const long STM_HEAP *v = a;
                const long STM_HEAP *nb = nbox;
                long s = 0;
                for (long i = 0; i < *nb; i++)
                    s += v[i];
                seen = s;
            } else {
                seen = sum_of(a, N);
            }
            if (seen < LIMIT)
                a[idx]++;
        }
        if (seen >= LIMIT)
            return NULL;
    }
}

static void *mover(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    for (int k = 0; k < 3000; k++) {
        long from = rand_r(&seed) % N, to = rand_r(&seed) % N;
        STM_ATOMIC {
            if (a[from] > 0) {
                a[from]--;
                a[to]++;
            }
        }
    }
    return NULL;
}

static void *summer(void *arg)
{
    (void)arg;
    long total = 0;
    for (int k = 0; k < 3000; k++)
        total += sum_of(a, N); /* outside blocks: not a snapshot, but every load in the heap */
    return (void *)(uintptr_t)(total > 0);
}

int main(void)
{
    a = stm_alloc(N * sizeof(long));
    nbox = stm_alloc(sizeof(long));
    *nbox = N;
    for (long i = 0; i < N; i++)
        a[i] = 0;
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, adder, (void *)(uintptr_t)(i + 1));
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    long s1;
    STM_ATOMIC { s1 = sum_of(a, N); }
    printf("phase 1: sum %ld (limit %d)\n", s1, LIMIT);
    pthread_create(&t[0], NULL, mover, (void *)7);
    for (int i = 1; i < THREADS; i++)
        pthread_create(&t[i], NULL, summer, NULL);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    printf("phase 2: sum %ld\n", sum_of(a, N));
    return 0;
}
