// The plain-C baseline's on-commit callbacks (libstmc_nostm.a): they run once each, in order,
// after the outermost block has released the global lock, also when a callback opens a block
// that registers more (before: "AXYYC", B lost and Y run twice, as the nested block overwrote
// the list under the running loop), and when a callback waits for a thread that opens a block
// (before: a deadlock, the callbacks ran holding the lock).  The STM build gives the same.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -DSTMC_NO_STM -I%stmc_include %s %stmc_lib/libstmc_nostm.a -lpthread -o %t
// RUN: timeout 60 %t | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t.stm
// RUN: timeout 60 %t.stm | FileCheck %s
// CHECK: order AXYBC
// CHECK-NEXT: v 22
#include "test.h"

static char order[16];
static int norder;
static int64_t STM_HEAP *cell;

static void rec(void *a) { order[norder++] = (char)(intptr_t)a; }

static void cb_a(void *a)
{
    (void)a;
    rec((void *)'A');
    STM_ATOMIC {
        stm_on_commit(rec, (void *)'X');
        stm_on_commit(rec, (void *)'Y');
    }
}

static void *adder(void *a)
{
    (void)a;
    STM_ATOMIC {
        WR(*cell, RD(*cell) + 10);
    }
    return NULL;
}

static void cb_thread(void *a)
{
    (void)a;
    pthread_t t;
    pthread_create(&t, NULL, adder, NULL);
    pthread_join(t, NULL);
}

int main(void)
{
    STM_ATOMIC {
        stm_on_commit(cb_a, NULL);
        stm_on_commit(rec, (void *)'B');
        stm_on_commit(rec, (void *)'C');
    }
    printf("order %s\n", order);
    cell = stm_alloc(sizeof *cell);
    STM_ATOMIC {
        WR(*cell, 2);
        stm_on_commit(cb_thread, NULL);
        stm_on_commit(cb_thread, NULL);
    }
    int64_t v = 0;
    STM_ATOMIC {
        v = RD(*cell);
    }
    printf("v %lld\n", (long long)v);
    return 0;
}
