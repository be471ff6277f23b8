// Deferred frees are reused once no segment holds a snapshot older than the free.  Finding
// that out reads every segment's start_seq (lines their owners write at every start), so a
// committer does it at most every 8th commit that needs it and keeps the bound it found (a
// bound stays valid: segments that take a snapshot later see at least the tail it was capped
// at).  STM_NO_LAZY_RECLAIM=1: every commit that needs it scans.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefix=LAZY
// RUN: env STM_NO_LAZY_RECLAIM=1 %run %t | FileCheck %s --check-prefix=EAGER
// LAZY: reclaimed after 7 more commits, 1 scans
// EAGER: reclaimed after 1 more commits, 2 scans
#include "test.h"

int main(void)
{
    SWITCH(1);
    BEGIN();
    int64_t STM_HEAP *o = stm_alloc(16);
    CHECK(COMMIT());
    uint64_t scans0 = stats().reclaim_scans;
    BEGIN();
    stm_free(o);
    CHECK(COMMIT());                 /* pinned by this very transaction's snapshot */
    CHECK_EQ(_stm_test_objstate(OFF(o)), 2);
    int commits = 0;
    while (_stm_test_objstate(OFF(o)) != 0) {
        CHECK(commits < 20);
        BEGIN();
        WR(*(int64_t STM_HEAP *)stm_alloc(16), commits);
        CHECK(COMMIT());
        commits++;
    }
    printf("reclaimed after %d more commits, %llu scans\n", commits,
           (unsigned long long)(stats().reclaim_scans - scans0));
    return 0;
}
