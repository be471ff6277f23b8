// stm_setup ends the calling thread's implicit transaction before it changes a flag, and is
// refused inside an atomic block: no transaction spans a flag change.  Here the main thread
// allocates p outside atomic blocks (an implicit transaction), sets STM_NO_FRESH_FREE=1, then
// frees p in an atomic block while another thread's transaction that read p still runs: the
// free must wait for that transaction (p is not handed out again, the reader reads 42 twice).
// Before, p stayed "fresh" from the implicit transaction for good: its free went straight
// back to the free list, the next stm_alloc returned p, and the running reader saw 42 then 7.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2
// RUN: %run %t0 2>&1 | FileCheck %s
// RUN: %run %t2 2>&1 | FileCheck %s
// CHECK: stmc: warning: stm_setup("MAX_ABORTS=5") inside an atomic block: ignored
// CHECK-NEXT: in a block: -1
// CHECK-NEXT: reused at once: no
// CHECK-NEXT: reader saw 42 then 42
#include "test.h"

static long STM_HEAP *p;
static volatile int phase;
static volatile long seen1 = -1, seen2 = -1;

static void *reader(void *arg)
{
    (void)arg;
    int first = 1;
    STM_ATOMIC {
        long v1 = RD(p[0]);
        if (first) {
            phase = 1;
            while (phase != 2)
                ;
        }
        long v2 = RD(p[0]);
        if (first) {
            seen1 = v1;
            seen2 = v2;
            first = 0;
        }
    }
    return NULL;
}

int main(void)
{
    int in_block = 0;
    STM_ATOMIC {
        in_block = stm_setup("MAX_ABORTS=5");
    }
    printf("in a block: %d\n", in_block);
    fflush(stdout);

    p = stm_alloc(64); /* the main thread's implicit transaction */
    WR(p[0], 42);
    CHECK(stm_setup("NO_FRESH_FREE=1") == 0);
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    while (phase != 1)
        ;
    long STM_HEAP *q = NULL;
    STM_ATOMIC {
        stm_free(p);
        q = stm_alloc(64);
        WR(q[0], 7);
    }
    phase = 2;
    pthread_join(t, NULL);
    printf("reused at once: %s\n", q == p ? "YES" : "no");
    printf("reader saw %ld then %ld\n", seen1, seen2);
    return !(q != p && seen1 == 42 && seen2 == 42);
}
