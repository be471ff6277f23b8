// Calls that wait for other threads (_stm_external_wait: the plugin emits it before OpenMP's
// barriers, critical sections, locks and taskwaits) park the caller's segment: kept, but a
// thread that waits for a segment meanwhile takes it.  Three threads, one segment: each in turn
// writes the heap, "waits" for the next one in a spin on plain memory (no call of stmc's, as
// libomp's futex or busy wait), and the next one can only run on the parked segment; each
// then writes again after the one it waited for has gone on.  Before, the first thread kept
// its segment through such a wait (a segment goes back at an external call only after it was
// held 1 ms), and the second waited for it for ever (an OpenMP team larger than the segments
// hung).  A wait and a heap access with nobody waiting for a segment take the same segment
// back (taken 0).  STM_NO_WAIT_RELEASE=1: nothing parked (only the single-thread part runs:
// the chain would hang).
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_SEGMENTS=1 %run %t chain | FileCheck %s --check-prefixes=ALONE,CHAIN
// RUN: env STM_SEGMENTS=2 %run %t chain | FileCheck %s --check-prefixes=ALONE,CHAIN
// RUN: env STM_NO_WAIT_RELEASE=1 %run %t alone | FileCheck %s --check-prefix=OFF
// ALONE: alone: value 2, parked 1, taken 0, same segment 1
// CHAIN: chain: sum 6, each thread wrote twice: 1
// CHAIN: chain: parked segments taken: yes
// OFF: alone: value 2, parked 0, taken 0, same segment 1
#include "test.h"

#define T 3
static long STM_HEAP *cell;
static int turn; /* plain memory: the spin knows nothing of stmc */
static int wrote[T];

static void *chained(void *arg)
{
    int me = (int)(intptr_t)arg;
    while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != me)
        sched_yield(); /* (not an stmc call: this program has no plugin) */
    WR(cell[me], RD(cell[me]) + 1); /* needs a segment: the parked one, with one segment */
    wrote[me]++;
    _stm_external_wait(NULL);
    __atomic_store_n(&turn, me + 1, __ATOMIC_RELEASE);
    while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) <= me + 1 && me + 1 < T)
        sched_yield(); /* waits until the next thread has written (it took this segment) */
    WR(cell[me], RD(cell[me]) + 1);
    wrote[me]++;
    return NULL;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "chain";
    cell = stm_alloc(T * sizeof(long));
    struct stm_stats s0 = stats();
    WR(cell[0], 1);
    int seg_before = _stm_test_current();
    _stm_external_wait(NULL);
    WR(cell[0], RD(cell[0]) + 1);
    struct stm_stats s1 = stats();
    printf("alone: value %ld, parked %llu, taken %llu, same segment %d\n", RD(cell[0]),
           (unsigned long long)(s1.wait_releases - s0.wait_releases),
           (unsigned long long)(s1.parked_taken - s0.parked_taken),
           _stm_test_current() == seg_before);
    if (strcmp(mode, "chain"))
        return 0;
    WR(cell[0], 0);
    _stm_external_wait(NULL); /* main parks too: the threads may take its segment */
    s0 = stats();
    run_threads(T, chained, NULL);
    s1 = stats();
    long sum = 0;
    for (int i = 0; i < T; i++)
        sum += RD(cell[i]);
    printf("chain: sum %ld, each thread wrote twice: %d\n", sum,
           wrote[0] == 2 && wrote[1] == 2 && wrote[2] == 2);
    printf("chain: parked segments taken: %s\n", s1.parked_taken > s0.parked_taken ? "yes" : "no");
    return 0;
}
