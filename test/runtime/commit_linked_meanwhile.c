// A conflicting entry linked after a commit's pre-validation and before it gets the lock is
// still found: segment 1 reads x and writes y; segment 2 (another thread) commits z, then
// commits x and is paused holding the lock (segment 0 written, its entry not yet linked).
// Segment 1's commit pre-validates (imports the z entry: no conflict) and waits for the lock;
// when it gets it, the locked validation meets the x entry and aborts it.  The same with
// STM_NO_PREVALIDATE=1, where everything is validated under the lock.  (Both with
// STM_NO_WAIT_VALIDATE=1: by default a commit that waits for the lock also imports what is
// linked meanwhile, and would meet the x entry between its linking and the unlock;
// commit_wait_validate.c tests that.)
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_NO_WAIT_VALIDATE=1 %run %t | FileCheck %s --check-prefixes=CHECK,PRE
// RUN: env STM_NO_WAIT_VALIDATE=1 STM_NO_PREVALIDATE=1 %run %t | FileCheck %s --check-prefixes=CHECK,LOCKED
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK
// CHECK: committed 0, aborts_commit 1, y rolled back
// PRE-SAME: prevalidations 1
// LOCKED-SAME: prevalidations 0
// CHECK: retry sees x = 11, z = 5
#include "test.h"

typedef struct { int64_t x, pad1, y, pad2, z, pad3; } obj_t;   /* x, y, z: three granules */

static obj_t STM_HEAP *o;
static int opened, paused, committing;   /* atomics between the two threads */

/* In segment 2's commit of x, holding the lock: wait until segment 1 is committing, then give
 * it 50 ms to pre-validate and queue for the lock. */
static void pause_fn(void *arg)
{
    (void)arg;
    __atomic_store_n(&paused, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&committing, __ATOMIC_ACQUIRE))
        ;
    sleep_ms(50);
}

static void *other(void *arg)
{
    (void)arg;
    SWITCH(2);
    while (!__atomic_load_n(&opened, __ATOMIC_ACQUIRE))
        ;
    BEGIN();
    WR(o->z, 5);
    CHECK(COMMIT());
    BEGIN();
    WR(o->x, 11);
    _stm_test_pause_commit(pause_fn, NULL);
    CHECK(COMMIT());
    return NULL;
}

int main(void)
{
    SWITCH(1);
    BEGIN();
    o = stm_alloc(sizeof *o);
    WR(o->x, 10);
    CHECK(COMMIT());

    pthread_t t;
    pthread_create(&t, NULL, other, NULL);
    BEGIN();
    CHECK_EQ(RD(o->x), 10);
    WR(o->y, 77);
    __atomic_store_n(&opened, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&paused, __ATOMIC_ACQUIRE))
        ;
    struct stm_stats s0 = stats();
    __atomic_store_n(&committing, 1, __ATOMIC_RELEASE);
    int committed = COMMIT();
    struct stm_stats s1 = stats();
    pthread_join(t, NULL);
    CHECK_EQ(_stm_test_committed_u64(OFF(&o->y)), 0);
    printf("committed %d, aborts_commit %llu, y rolled back, prevalidations %llu\n", committed,
           (unsigned long long)(s1.aborts_commit - s0.aborts_commit),
           (unsigned long long)(s1.prevalidations - s0.prevalidations));
    BEGIN();
    int64_t x = RD(o->x), z = RD(o->z);
    WR(o->y, 78);
    CHECK(COMMIT());
    printf("retry sees x = %lld, z = %lld\n", (long long)x, (long long)z);
    return 0;
}
