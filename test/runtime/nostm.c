// The plain-C baseline: STMC_NO_STM + libstmc_nostm.a (what stmcc --no-stm builds): the same
// source, a global recursive lock, calloc/free, callbacks at the outermost exit.
// RUN: %clang -O2 -DSTMC_NO_STM -I%stmc_include %s %stmc_lib/libstmc_nostm.a -lpthread -o %t && %run %t | FileCheck %s
// CHECK: nostm ok
#include "test.h"

static int64_t STM_HEAP *ctr;
static int done;
static void cb(void *a) { (void)a; done++; }
static void *worker(void *p)
{
    (void)p;
    for (int i = 0; i < 10000; i++)
        STM_ATOMIC {
            STM_ATOMIC { WR(*ctr, RD(*ctr) + 1); }
        }
    return NULL;
}

int main(void)
{
    ctr = stm_alloc(sizeof *ctr);
    run_threads(2, worker, NULL);
    CHECK_EQ(*ctr, 20000);
    STM_ATOMIC {
        stm_on_commit(cb, NULL);
        CHECK(stm_in_atomic());
        CHECK_EQ(done, 0);
    }
    CHECK_EQ(done, 1);
    stm_free(ctr);
    printf("nostm ok\n");
    return 0;
}
