// A commit that finds deferred frees safe to reuse takes them off the queue under the commit
// lock and hands them back to the allocator after unlocking (counter reuses_unlocked), so the
// other committers do not wait for it; STM_NO_UNLOCKED_REUSE=1 hands them back under the lock.
// Both ways: once the commit returns the object is free, counted in frees_reused, and the next
// allocation of its size in that segment gets it back (a small object, through the free list)
// or its pages (a large one, through the page allocator).
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,AFTER
// RUN: env STM_NO_UNLOCKED_REUSE=1 %run %t | FileCheck %s --check-prefixes=CHECK,UNDER
// RUN: env STM_NO_LAZY_RECLAIM=1 %run %t | FileCheck %s --check-prefixes=CHECK,AFTER
// AFTER: small: reused 1, after the lock 1
// UNDER: small: reused 1, after the lock 0
// CHECK-SAME: free, allocated again: yes
// AFTER: large: reused 1, after the lock 1
// UNDER: large: reused 1, after the lock 0
// CHECK-SAME: free, allocated again: yes
#include "test.h"

/* Free a committed object of size bytes, then commit in segment 1 until it is reused. */
static void round_of(const char *name, size_t size)
{
    SWITCH(1);
    BEGIN();
    int64_t STM_HEAP *o = stm_alloc(size);
    WR(*o, 1);
    CHECK(COMMIT());
    struct stm_stats s0 = stats();
    BEGIN();
    stm_free(o);
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_objstate(OFF(o)), 2);
    for (int commits = 0; _stm_test_objstate(OFF(o)) != 0; commits++) {
        CHECK(commits < 20);
        BEGIN();
        WR(*(int64_t STM_HEAP *)stm_alloc(16), commits);
        CHECK(COMMIT());
    }
    struct stm_stats s1 = stats();
    BEGIN();
    int64_t STM_HEAP *again = stm_alloc(size);
    CHECK(COMMIT());
    printf("%s: reused %llu, after the lock %llu, free, allocated again: %s\n", name,
           (unsigned long long)(s1.frees_reused - s0.frees_reused),
           (unsigned long long)(s1.reuses_unlocked - s0.reuses_unlocked),
           again == o ? "yes" : "no");
}

int main(void)
{
    round_of("small", 48);
    round_of("large", 3 * 4096);
    return 0;
}
