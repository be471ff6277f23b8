// A transaction that starts while a commit is publishing (the commit lock held, segment 0
// already written, the log entry not yet linked).  X lies on a page private in the starter's
// segment (seen through imports), Y on a page it shares with segment 0 (seen live).
//
// "quiesce": the starter's segment let its snapshot go before (as at an external call), so
// the commit read its snap flag as 0 and did not privatise its pages: the start must wait for
// the commit to end and take it into its snapshot (X = Y = 1).  A start that went on without
// waiting would see Y = 1 and X = 0.  STM_NO_START_WAIT=1: the start takes the lock instead.
//
// "keep": the starter's segment still holds its snapshot from its last transaction (the
// default between transactions), so the commit privatised Y's page there before writing
// segment 0, and the start neither announces itself nor waits: it sees the state before the
// commit (X = Y = 0).  A commit that skipped the privatisation would show Y = 1, X = 0.
// STM_NO_STICKY_SNAPSHOT=1: the snapshot was dropped at the last commit, as with "quiesce".
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t quiesce | FileCheck %s --check-prefixes=CHECK,WAIT
// RUN: env STM_NO_GEN_LOCK=1 %run %t quiesce | FileCheck %s --check-prefixes=CHECK,WAIT
// RUN: env STM_NO_START_WAIT=1 %run %t quiesce | FileCheck %s --check-prefixes=CHECK,LOCK
// RUN: %run %t keep | FileCheck %s --check-prefixes=CHECK,KEEP
// RUN: env STM_NO_STICKY_SNAPSHOT=1 %run %t keep | FileCheck %s --check-prefixes=CHECK,WAIT
// CHECK: X private 1, Y private 0
// WAIT: starter saw X=1 Y=1
// LOCK: starter saw X=1 Y=1
// KEEP: starter saw X=0 Y=0
// WAIT: waits 1, fallbacks 0, kept 0
// LOCK: waits 0, fallbacks 1, kept 0
// KEEP: waits 0, fallbacks 0, kept 1
// KEEP: Y private after 1
// CHECK: DONE
#include "test.h"

static int64_t STM_HEAP *X, *Y;
static int keep;
static int go, ready, read_done;         /* atomics between the two threads */
static int64_t seen_x, seen_y;
static struct stm_stats before, after;

static void *starter(void *arg)
{
    (void)arg;
    SWITCH(2);
    BEGIN();
    WR(*X, 0);                           /* X's page becomes private in segment 2 */
    CHECK(COMMIT());
    printf("X private %d, Y private %d\n", _stm_test_is_private(2, OFF(X)),
           _stm_test_is_private(2, OFF(Y)));
    if (!keep)
        _stm_test_quiesce();
    __atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
    while (__atomic_load_n(&go, __ATOMIC_ACQUIRE) == 0)
        ;
    before = stats();
    BEGIN();                             /* main's commit is paused in its publication */
    seen_x = RD(*X);
    seen_y = RD(*Y);
    __atomic_store_n(&read_done, 1, __ATOMIC_RELEASE);
    CHECK(COMMIT());
    after = stats();
    return NULL;
}

/* Runs in main's commit, holding the lock.  With a kept snapshot the starter runs its whole
 * transaction meanwhile; else hold on until it is known to wait (its counter) or, with
 * STM_NO_START_WAIT, until it has announced itself and had 50 ms to queue for the lock. */
static void pause_fn(void *arg)
{
    (void)arg;
    __atomic_store_n(&go, 1, __ATOMIC_RELEASE);
    for (int ms = 0; ms < 5000; ms++) {
        if (__atomic_load_n(&read_done, __ATOMIC_ACQUIRE))
            break;
        if (_stm_test_seg_snap(2) && stats().start_waits != before.start_waits)
            break;
        if (getenv("STM_NO_START_WAIT") && _stm_test_seg_snap(2) && ms >= 50)
            break;
        sleep_ms(1);
    }
}

int main(int argc, char **argv)
{
    CHECK(argc == 2);
    keep = strcmp(argv[1], "keep") == 0;
    SWITCH(1);
    BEGIN();
    X = stm_alloc(2048);
    Y = X;
    while (OFF(Y) / 4096 == OFF(X) / 4096)
        Y = stm_alloc(2048);
    WR(*X, 0);
    WR(*Y, 0);
    CHECK(COMMIT());

    pthread_t t;
    pthread_create(&t, NULL, starter, NULL);
    while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) == 0)
        ;
    _stm_test_pause_commit(pause_fn, NULL);
    BEGIN();
    WR(*X, 1);
    WR(*Y, 1);
    CHECK(COMMIT());
    pthread_join(t, NULL);
    printf("starter saw X=%lld Y=%lld\n", (long long)seen_x, (long long)seen_y);
    printf("waits %llu, fallbacks %llu, kept %llu\n",
           (unsigned long long)(after.start_waits - before.start_waits),
           (unsigned long long)(after.start_fallbacks - before.start_fallbacks),
           (unsigned long long)(after.snap_kept - before.snap_kept));
    if (keep)
        printf("Y private after %d\n", _stm_test_is_private(2, OFF(Y)));
    printf("DONE\n");
    return 0;
}
