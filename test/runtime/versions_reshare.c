// Long runs: versions wrap (markers cleared) every 253 transactions, segments drop their
// private pages past STM_RESHARE_PAGES, and idle segments that lag STM_LOG_MAX commits are
// reset; values stay right through all three.  An idle segment that still holds its snapshot
// and lags has it let go by a committer (quiesces_remote), or with STM_NO_REMOTE_QUIESCE=1 is
// asked (YIELD) to let it go at its next safe point.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0
// RUN: env STM_RESHARE_PAGES=8 STM_LOG_MAX=64 %run %t0 | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2
// RUN: env STM_RESHARE_PAGES=8 STM_LOG_MAX=64 %run %t2 | FileCheck %s
// RUN: env STM_RESHARE_PAGES=8 STM_LOG_MAX=64 STM_NO_REMOTE_QUIESCE=1 %run %t2 | FileCheck %s
// The same without the log's entry cache and lazy trimming, and with markers cleared at wraps.
// RUN: env STM_RESHARE_PAGES=8 STM_LOG_MAX=64 STM_NO_LOG_RECYCLE=1 %run %t2 | FileCheck %s
// RUN: env STM_RESHARE_PAGES=8 STM_LOG_MAX=64 STM_NO_WMARK_CLEAR=1 STM_NO_LAZY_RMARK=1 %run %t2 | FileCheck %s
#include "test.h"

#define PAGES 32
int main(void)
{
    SWITCH(1);
    BEGIN();
    int64_t STM_HEAP *a = stm_alloc(PAGES * 4096);
    CHECK(COMMIT());
    SWITCH(3);                       /* segment 3 runs one transaction, then idles */
    BEGIN();
    CHECK_EQ(RD(a[0]), 0);
    WR(a[PAGES * 512 - 1], 1);       /* a private page: it cannot simply skip the log */
    CHECK(COMMIT());
    _stm_test_quiesce();             /* it lets its snapshot go (as at an external call) */
    SWITCH(4);                       /* segment 4 reads once and keeps its snapshot */
    BEGIN();
    CHECK_EQ(RD(a[0]), 0);
    CHECK(COMMIT());
    for (int round = 0; round < 600; round++) {
        int seg = 1 + round % 2;
        SWITCH(seg);
        BEGIN();
        for (int p = 0; p < PAGES; p++) {
            int64_t STM_HEAP *slot = &a[p * 512 + (round % 4)];
            CHECK_EQ(RD(*slot), round >= 4 ? round - 4 + 1 : 0);
            WR(*slot, round + 1);
        }
        CHECK(COMMIT());
    }
    SWITCH(4);
    if (getenv("STM_NO_REMOTE_QUIESCE")) {
        uint64_t q0 = stats().quiesces;
        stm_safepoint();             /* a committer asked it to let go */
        CHECK_EQ(stats().quiesces, q0 + 1);
    } else {
        CHECK_EQ(_stm_test_seg_snap(4), 0); /* a committer let it go on its behalf */
        CHECK(stats().quiesces_remote >= 1);
        stm_safepoint();
    }
    SWITCH(1);
    BEGIN();
    WR(a[PAGES * 512 - 2], 7);       /* a commit that trims the log */
    CHECK(COMMIT());
    SWITCH(3);
    BEGIN();
    for (int p = 0; p < PAGES; p++)
        for (int k = 0; k < 4; k++)
            CHECK_EQ(RD(a[p * 512 + k]), 600 - 4 + k + 1);
    CHECK(COMMIT());
    struct stm_stats s = stats();
    CHECK(s.wraps >= 2);
    CHECK(s.reshares >= 1);
    CHECK(s.lag_resets >= 1);
    CHECK(_stm_test_log_length() <= 64);
    printf("wraps, reshares, lag resets ok\nDONE\n");
    // CHECK: wraps, reshares, lag resets ok
    // CHECK: DONE
    return 0;
}
