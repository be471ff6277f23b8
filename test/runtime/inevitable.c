// Inevitable transactions: becoming inevitable validates (and may abort, being not yet
// inevitable); once inevitable, a transaction never aborts, while others run concurrently
// and commit after it.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 | FileCheck %s
#include "test.h"

typedef struct { int64_t x, p1, y, p2; } obj_t;
static obj_t STM_HEAP *o;
static int64_t STM_HEAP *ctr;
static __thread int now_inevitable;
static volatile int bad_abort;
static void on_abort(void *arg) { (void)arg; if (now_inevitable) bad_abort = 1; }

static void *inev_thread(void *arg)
{
    (void)arg;
    for (long i = 0; i < opt_ops; i++) {
        STM_ATOMIC {
            now_inevitable = 0;
            stm_on_abort(on_abort, NULL);
            WR(*ctr, RD(*ctr) + 1);     /* read before becoming inevitable: may abort */
            stm_become_inevitable("test");
            now_inevitable = 1;
            if (!stm_is_inevitable()) bad_abort = 1;
            WR(*ctr, RD(*ctr) + 1);
        }
        now_inevitable = 0;
    }
    return NULL;
}

static void *opt_thread(void *arg)
{
    (void)arg;
    for (long i = 0; i < opt_ops * 2; i++)
        STM_ATOMIC {
            WR(*ctr, RD(*ctr) + 1);
        }
    return NULL;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, 20000);
    SWITCH(1);
    BEGIN();
    o = stm_alloc(sizeof *o);
    CHECK(COMMIT());

    /* Becoming inevitable after a conflicting commit aborts. */
    BEGIN();
    CHECK_EQ(RD(o->x), 0);
    SWITCH(2);
    BEGIN();
    WR(o->x, 1);
    CHECK(COMMIT());
    SWITCH(1);
    CHECK_EQ(_stm_test_become_inevitable(), 0);
    CHECK_EQ(stats().aborts_inevitable, 1);

    /* seg 2 writes x; seg 1 becomes inevitable, reads x, commits; seg 2 (which did not read
     * y) commits after it. */
    SWITCH(2);
    BEGIN();
    WR(o->x, 5);
    SWITCH(1);
    BEGIN();
    CHECK(_stm_test_become_inevitable());
    CHECK_EQ(RD(o->x), 1);
    WR(o->y, 9);
    CHECK(COMMIT());
    SWITCH(2);
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_committed_u64(OFF(&o->x)), 5);
    CHECK_EQ(_stm_test_committed_u64(OFF(&o->y)), 9);
    printf("single-thread inevitable ok\n");
    // CHECK: single-thread inevitable ok

    /* Threads: one thread's blocks become inevitable, others stay optimistic. */
    ctr = stm_alloc(sizeof *ctr);
    pthread_t a, b;
    pthread_create(&a, NULL, inev_thread, NULL);
    pthread_create(&b, NULL, opt_thread, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    CHECK(!bad_abort);
    CHECK_EQ(RD(*ctr), opt_ops * 4);
    printf("inevitable never aborted\nDONE\n");
    // CHECK: inevitable never aborted
    // CHECK: DONE
    return 0;
}
