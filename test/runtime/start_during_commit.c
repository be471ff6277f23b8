// A transaction that starts while a commit is publishing (the commit lock held, segment 0
// already written, the log entry not yet linked).  That commit read the running flags before
// the start announced itself, so it did not privatise the starter's pages: the start must wait
// for it to end and take it into its snapshot.  X lies on a page private in the starter's
// segment (seen through an import), Y on a page it shares with segment 0 (seen live): a start
// that went on without waiting would see Y = 1 and X = 0.
// Default: the start waits (start_waits); STM_NO_START_WAIT=1: it takes the lock
// (start_fallbacks); STM_NO_GEN_LOCK=1: the seqlock is a separate word, the start still waits.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,WAIT
// RUN: env STM_NO_GEN_LOCK=1 %run %t | FileCheck %s --check-prefixes=CHECK,WAIT
// RUN: env STM_NO_START_WAIT=1 %run %t | FileCheck %s --check-prefixes=CHECK,LOCK
// CHECK: X private 1, Y private 0
// CHECK: starter saw X=1 Y=1
// WAIT: waits 1, fallbacks 0
// LOCK: waits 0, fallbacks 1
// CHECK: DONE
#include "test.h"

static int64_t STM_HEAP *X, *Y;
static int go, done;                     /* atomics: main -> starter, starter -> test */
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
    __atomic_store_n(&done, 1, __ATOMIC_RELEASE);
    while (__atomic_load_n(&go, __ATOMIC_ACQUIRE) == 0)
        ;
    before = stats();
    BEGIN();                             /* the commit of main is paused in publication */
    seen_x = RD(*X);
    seen_y = RD(*Y);
    CHECK(COMMIT());
    after = stats();
    return NULL;
}

/* Runs in main's commit, holding the lock: let the starter begin, and hold on until it is
 * known to be waiting (its counter) or queued for the lock (its running flag set and at
 * least 50 ms passed). */
static void pause_fn(void *arg)
{
    (void)arg;
    __atomic_store_n(&go, 1, __ATOMIC_RELEASE);
    while (!_stm_test_seg_running(2))
        ;
    for (int ms = 0; ms < 2000 && stats().start_waits == before.start_waits; ms++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
        if (getenv("STM_NO_START_WAIT") && ms >= 50)
            break;
    }
}

int main(void)
{
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
    while (__atomic_load_n(&done, __ATOMIC_ACQUIRE) == 0)
        ;
    _stm_test_pause_commit(pause_fn, NULL);
    BEGIN();
    WR(*X, 1);
    WR(*Y, 1);
    CHECK(COMMIT());
    pthread_join(t, NULL);
    printf("starter saw X=%lld Y=%lld\n", (long long)seen_x, (long long)seen_y);
    printf("waits %llu, fallbacks %llu\n",
           (unsigned long long)(after.start_waits - before.start_waits),
           (unsigned long long)(after.start_fallbacks - before.start_fallbacks));
    printf("DONE\n");
    return 0;
}
