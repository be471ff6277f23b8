// Write markers are cleared when a transaction ends (commit and abort), so a version wrap
// does not clear them (STM_NO_WMARK_CLEAR=1: cleared at the wrap instead).  A write marker
// left behind would equal the version of a later transaction after the wrap and skip its
// write barrier: the write would not be published (commit) or not be undone (abort).  Each
// round here writes one granule in an aborted and one in a committed transaction, and the
// same granules come back with the same versions after every wrap (2 versions per round, 127
// rounds per epoch).
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefix=CLEAR
// RUN: env STM_NO_WMARK_CLEAR=1 %run %t | FileCheck %s --check-prefix=WRAP
// RUN: env STM_NO_LAZY_RMARK=1 %run %t | FileCheck %s --check-prefix=CLEAR
// RUN: env STM_NO_WMARK_CLEAR=1 STM_NO_LAZY_RMARK=1 %run %t | FileCheck %s --check-prefix=WRAP
// CLEAR: wmark_clears > 0
// WRAP: wmark_clears 0
// CLEAR: DONE
// WRAP: DONE
#include "test.h"

#define G 127
#define ROUNDS (4 * G)

int main(void)
{
    SWITCH(1);
    BEGIN();
    int64_t STM_HEAP *a = stm_alloc(G * 16);
    int64_t STM_HEAP *b = stm_alloc(G * 16);
    CHECK(COMMIT());
    for (int r = 0; r < ROUNDS; r++) {
        int g = r % G;
        BEGIN();
        WR(b[2 * g], -1 - r);        /* must be undone */
        _stm_test_abort();
        BEGIN();
        CHECK_EQ(RD(b[2 * g]), 0);
        WR(a[2 * g], r + 1);         /* must be published */
        CHECK(COMMIT());
        CHECK_EQ(_stm_test_committed_u64(OFF(&a[2 * g])), r + 1);
        CHECK_EQ(_stm_test_committed_u64(OFF(&b[2 * g])), 0);
    }
    SWITCH(2);                       /* another segment sees every committed write */
    BEGIN();
    for (int g = 0; g < G; g++) {
        CHECK_EQ(RD(a[2 * g]), ROUNDS - G + g + 1);
        CHECK_EQ(RD(b[2 * g]), 0);
    }
    CHECK(COMMIT());
    struct stm_stats s = stats();
    CHECK(s.wraps >= 3);
    printf(s.wmark_clears ? "wmark_clears > 0\n" : "wmark_clears 0\n");
    printf("DONE\n");
    return 0;
}
