// Waiters for the commit lock queue: the first spins on the lock word, the others each on its
// own node (setup.c).  Segment 1's commit is paused inside its locked section while segment 2
// and then segment 3 try to commit: both wait (lock_waits), and segment 3 queues behind
// segment 2 (lock_queued); with STM_NO_LOCK_QUEUE=1 both spin on the lock word (lock_queued
// 0).  Either way all three commits land.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,QUEUE
// RUN: env STM_NO_LOCK_QUEUE=1 %run %t | FileCheck %s --check-prefixes=CHECK,SPIN
// QUEUE: waits at least 2: yes, queued: at least 1
// SPIN: waits at least 2: yes, queued: 0
// CHECK: values 5 2 2
#include "test.h"

static int64_t STM_HEAP *obj[3];
static int ready, go;
static struct stm_stats base;

static void *waiter(void *arg)
{
    int i = (int)(intptr_t)arg; /* segment 2 or 3 */
    SWITCH(i);
    BEGIN();
    WR(*obj[i - 1], 1);
    CHECK(COMMIT());
    BEGIN();
    WR(*obj[i - 1], 2);
    __atomic_fetch_add(&ready, 1, __ATOMIC_ACQ_REL);
    while (__atomic_load_n(&go, __ATOMIC_ACQUIRE) < i)
        sleep_ms(1);
    CHECK(COMMIT()); /* waits for segment 1's paused commit */
    return NULL;
}

static void wait_for_waits(uint64_t n)
{
    while (stats().lock_waits - base.lock_waits < n)
        sleep_ms(1);
    sleep_ms(20); /* past its count: in the queue (or spinning) by now */
}

/* In segment 1's commit, holding the lock: segment 2 comes to wait, then segment 3. */
static void paused(void *arg)
{
    (void)arg;
    __atomic_store_n(&go, 2, __ATOMIC_RELEASE);
    wait_for_waits(1);
    __atomic_store_n(&go, 3, __ATOMIC_RELEASE);
    wait_for_waits(2);
}

int main(void)
{
    SWITCH(1);
    BEGIN();
    for (int i = 0; i < 3; i++)
        obj[i] = stm_alloc(64);
    CHECK(COMMIT());
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, waiter, (void *)(intptr_t)(i + 2));
    while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) < 2)
        sleep_ms(1);
    base = stats();
    BEGIN();
    WR(*obj[0], 5);
    _stm_test_pause_commit(paused, NULL);
    CHECK(COMMIT());
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    struct stm_stats s = stats();
    uint64_t waits = s.lock_waits - base.lock_waits, queued = s.lock_queued - base.lock_queued;
    /* (the threads' exits may wait for the lock too: at least, not exactly) */
    printf("waits at least 2: %s, queued: %s\n", waits >= 2 ? "yes" : "no",
           queued >= 1 ? "at least 1" : "0");
    printf("values %lld %lld %lld\n", (long long)_stm_test_committed_u64(OFF(obj[0])),
           (long long)_stm_test_committed_u64(OFF(obj[1])),
           (long long)_stm_test_committed_u64(OFF(obj[2])));
    return 0;
}
