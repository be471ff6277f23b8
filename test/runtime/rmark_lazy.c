// Read markers are not cleared at a version wrap: a stale one only makes validation see a
// conflict that is not there.  After such an abort they are cleared (once per wrap).  Here
// the stale marker is provoked: segment 1 reads x, 252 transactions later (one wrap) runs a
// transaction with the same version that does not read x while segment 2 commits to x.
// Lazy (default): that commit aborts once (counted), the retry commits.  STM_NO_LAZY_RMARK=1:
// markers are cleared at the wrap, no abort.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefix=LAZY
// RUN: env STM_NO_LAZY_RMARK=1 %run %t | FileCheck %s --check-prefix=EAGER
// The conflict report (STM_CONFLICTS) tells such aborts apart:
// RUN: env STM_CONFLICTS=3 %run %t 2>&1 | FileCheck %s --check-prefix=REPORT
// REPORT: (1 of them found read markers left from before a version wrap: perhaps no real conflict)
// REPORT: 1 of the 1 abort found read markers left from before a version wrap
// LAZY: first commit: 0 stale aborts: 1 lazy resets: 1
// EAGER: first commit: 1 stale aborts: 0 lazy resets: 0
// LAZY: retry: 1
// EAGER: retry: 1
#include "test.h"

int main(void)
{
    SWITCH(1);
    BEGIN();
    int64_t STM_HEAP *x = stm_alloc(16);
    int64_t STM_HEAP *y = stm_alloc(16);
    CHECK(COMMIT());
    BEGIN();
    CHECK_EQ(RD(*x), 0);             /* version v marks x read */
    CHECK(COMMIT());
    for (int i = 0; i < 252; i++) {  /* versions v+1 .. v+252 (253 of them, 2..254): one wrap */
        BEGIN();
        CHECK(COMMIT());
    }
    int ok[2];
    for (int k = 0; k < 2; k++) {
        BEGIN();                     /* version v again: does not read x */
        WR(*y, k + 1);
        SWITCH(2);
        BEGIN();
        WR(*x, k + 10);
        CHECK(COMMIT());
        SWITCH(1);
        ok[k] = COMMIT();
    }
    struct stm_stats s = stats();
    printf("first commit: %d stale aborts: %llu lazy resets: %llu\n", ok[0],
           (unsigned long long)s.aborts_stale_rmarks, (unsigned long long)s.rmark_lazy_resets);
    printf("retry: %d\n", ok[1]);
    CHECK_EQ(_stm_test_committed_u64(OFF(y)), 2);
    return 0;
}
