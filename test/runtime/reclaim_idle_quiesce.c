// A thread idle between transactions in a loop that never reaches a safe point (code without
// the plugin, or a loop the plugin leaves without one: it calls nothing and touches no heap)
// keeps its snapshot, which pins the reuse of every object freed after it.  When the same
// snapshot pins the oldest deferred free scan after scan, a committer lets it go on the idle
// thread's behalf (membarrier: counter quiesces_remote).  Here the main thread replaces a
// 1 MiB object 200 times (2 MiB live) in a 64 MiB heap while the other thread spins; with
// STM_NO_REMOTE_QUIESCE=1 the heap runs out, as it did before.  The idle thread then runs a
// transaction again, which must see the latest object whole.  Second round: the other thread
// first runs one long transaction (while it runs, every try lets nothing go and the committer
// waits longer between tries: up to 4,096 scans), then goes idle: the committer must try again
// at once, not after its long wait (the heap ran out before).
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_HEAP_MB=64 %run %t | FileCheck %s
// RUN: env STM_HEAP_MB=64 STM_NO_REMOTE_QUIESCE=1 not --crash %run %t 2>&1 | FileCheck %s --check-prefix=OFF
// CHECK: replaced 200: heap used below 32 MiB: yes, snapshots let go: yes
// CHECK-NEXT: idle thread then read object 199 whole: yes
// CHECK: after a long transaction: replaced 200: heap used below 32 MiB: yes
// CHECK-NEXT: idle thread then read object 199 whole: yes
// OFF: stmc: heap exhausted
#include "test.h"

#define SIZE (1 << 20)
#define N 200

static long STM_HEAP *STM_HEAP *root;
static volatile int stop;
static volatile long after = -1;

/* Idle until stop (no safe point, no external call: the snapshot stays held), then read the
 * latest object in a transaction: `after` is its number, or -2 if it is not whole. */
static void idle_then_read(void)
{
    while (!stop)
        __builtin_ia32_pause();
    long n = -1, whole = 1;
    STM_ATOMIC {
        long STM_HEAP *o = RD(*root);
        n = RD(o[0]);
        whole = RD(o[SIZE / sizeof(long) - 1]) == n;
    }
    after = whole ? n : -2;
}

static void *idle_thread(void *arg)
{
    (void)arg;
    long first = 0;
    STM_ATOMIC {
        first = RD((*root)[0]);
    }
    (void)first;
    idle_then_read();
    return NULL;
}

static volatile int long_tx;  /* round 2: the idle thread first runs a long transaction */
static volatile int in_long_tx;

static void *idle_thread2(void *arg)
{
    (void)arg;
    STM_ATOMIC {
        (void)RD((*root)[0]);
        in_long_tx = 1;
        while (long_tx) /* a long transaction that pins every free meanwhile */
            __builtin_ia32_pause();
    }
    in_long_tx = 2;
    idle_then_read();
    return NULL;
}

static void replace_large(long i)
{
    STM_ATOMIC {
        long STM_HEAP *o = RD(*root);
        long STM_HEAP *n = stm_alloc(SIZE);
        WR(n[0], i);
        WR(n[SIZE / sizeof(long) - 1], i);
        WR(*root, n);
        stm_free(o);
    }
}

int main(void)
{
    STM_ATOMIC {
        root = stm_alloc(sizeof *root);
        WR(*root, stm_alloc(SIZE));
    }
    pthread_t t;
    pthread_create(&t, NULL, idle_thread, NULL);
    sleep_ms(50);
    struct stm_stats before = stats();
    for (long i = 0; i < N; i++)
        replace_large(i);
    uint64_t used = _stm_test_heap_used();
    struct stm_stats now = stats();
    printf("replaced %d: heap used below 32 MiB: %s, snapshots let go: %s\n", N,
           used < (32u << 20) ? "yes" : "no",
           now.quiesces_remote > before.quiesces_remote ? "yes" : "no");
    stop = 1;
    pthread_join(t, NULL);
    printf("idle thread then read object %ld whole: %s\n", after, after == N - 1 ? "yes" : "no");

    /* Round 2: small replacements while the long transaction runs (tries fail, the wait
     * between them grows), then large ones while the thread is idle. */
    stop = 0;
    long_tx = 1;
    after = -1;
    pthread_create(&t, NULL, idle_thread2, NULL);
    while (in_long_tx != 1)
        __builtin_ia32_pause();
    for (long i = 0; i < 100000; i++)
        STM_ATOMIC {
            long STM_HEAP *o = RD(*root);
            long STM_HEAP *n = stm_alloc(16 * sizeof(long));
            WR(n[0], -1);
            WR(*root, n);
            stm_free(o);
        }
    long_tx = 0;
    while (in_long_tx != 2)
        __builtin_ia32_pause();
    uint64_t base = _stm_test_heap_used();
    for (long i = 0; i < N; i++)
        replace_large(i);
    used = _stm_test_heap_used() - base;
    printf("after a long transaction: replaced %d: heap used below 32 MiB: %s\n", N,
           used < (32u << 20) ? "yes" : "no");
    stop = 1;
    pthread_join(t, NULL);
    printf("idle thread then read object %ld whole: %s\n", after, after == N - 1 ? "yes" : "no");
    return 0;
}
