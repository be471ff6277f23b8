// A commit that finds the commit lock held imports and checks the log entries linked while it
// waits (counter wait_validations), so that its locked section validates only what was linked
// since.  Segment 2 (another thread) commits and pauses holding the lock until segment 1's
// commit waits for it (counter commit_lock_waits), then links its entry and pauses again.
// "conflict": segment 1 read x, which segment 2's entry writes: it aborts while waiting (found
// while waiting); with STM_NO_WAIT_VALIDATE=1 it aborts once it has the lock.
// "clean": segment 2's entry writes z, which segment 1 did not read: segment 1 imports it while
// waiting, then commits, and its next transaction sees z; with the switch, it imports it under
// the lock.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t conflict | FileCheck %s --check-prefixes=CONFLICT,WAIT
// RUN: env STM_NO_WAIT_VALIDATE=1 %run %t conflict | FileCheck %s --check-prefixes=CONFLICT,LOCKED
// RUN: %run %t clean | FileCheck %s --check-prefixes=CLEAN,WAIT
// RUN: env STM_NO_WAIT_VALIDATE=1 %run %t clean | FileCheck %s --check-prefixes=CLEAN,LOCKED
// CONFLICT: committed 0, y rolled back
// CLEAN: committed 1, y = 77
// WAIT-SAME: found while waiting: yes
// LOCKED-SAME: found while waiting: no
// CLEAN: then sees z = 5
// CONFLICT: retry sees x = 11
#include "test.h"

typedef struct { int64_t x, pad1, y, pad2, z, pad3; } obj_t;   /* x, y, z: three granules */

static obj_t STM_HEAP *o;
static int conflict;
static int opened, paused, committing;   /* atomics between the two threads */
static struct stm_stats s0;

/* In segment 2's commit, holding the lock, before linking its entry: wait until segment 1 is
 * committing and waits for the lock. */
static void before_link(void *arg)
{
    (void)arg;
    __atomic_store_n(&paused, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&committing, __ATOMIC_ACQUIRE))
        ;
    while (stats().commit_lock_waits == s0.commit_lock_waits)
        sleep_ms(1);
    sleep_ms(10);
}

/* After linking it, still holding the lock: until segment 1 has imported it while waiting (or
 * 200 ms, with the switch). */
static void after_link(void *arg)
{
    (void)arg;
    for (int ms = 0; ms < 200 && stats().wait_validations == s0.wait_validations; ms++)
        sleep_ms(1);
    sleep_ms(10);
}

static void *other(void *arg)
{
    (void)arg;
    SWITCH(2);
    while (!__atomic_load_n(&opened, __ATOMIC_ACQUIRE))
        ;
    BEGIN();
    if (conflict)
        WR(o->x, 11);
    else
        WR(o->z, 5);
    _stm_test_pause_commit(before_link, NULL);
    _stm_test_pause_commit_linked(after_link, NULL);
    CHECK(COMMIT());
    return NULL;
}

int main(int argc, char **argv)
{
    conflict = argc > 1 && !strcmp(argv[1], "conflict");
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
    s0 = stats();
    __atomic_store_n(&committing, 1, __ATOMIC_RELEASE);
    int committed = COMMIT();
    struct stm_stats s1 = stats();
    pthread_join(t, NULL);
    const char *waiting = s1.wait_validations > s0.wait_validations ? "yes" : "no";
    if (conflict) {
        CHECK_EQ(_stm_test_committed_u64(OFF(&o->y)), 0);
        printf("committed %d, y rolled back, found while waiting: %s\n", committed, waiting);
        BEGIN();
        int64_t x = RD(o->x);
        CHECK(COMMIT());
        printf("retry sees x = %lld\n", (long long)x);
    } else {
        printf("committed %d, y = %lld, found while waiting: %s\n", committed,
               (long long)_stm_test_committed_u64(OFF(&o->y)), waiting);
        BEGIN();
        int64_t z = RD(o->z);
        CHECK(COMMIT());
        printf("then sees z = %lld\n", (long long)z);
    }
    return 0;
}
