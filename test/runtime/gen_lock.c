// The commit lock's word is the commit seqlock g_gen by default: every locked section makes it
// odd and then even, so a commit needs no second fence to make it odd.  STM_NO_GEN_LOCK=1: a
// separate lock word, and only commits move g_gen.  Stress tests run in both modes too.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefix=GEN
// RUN: env STM_NO_GEN_LOCK=1 %run %t | FileCheck %s --check-prefix=SPIN
// GEN: locked section moves gen by 2
// SPIN: locked section moves gen by 0
// GEN: commit moves gen by 2
// SPIN: commit moves gen by 2
// GEN: DONE
// SPIN: DONE
#include "test.h"

int main(void)
{
    SWITCH(1);
    BEGIN();
    int64_t STM_HEAP *x = stm_alloc(16);
    CHECK(COMMIT());
    uint64_t g0 = _stm_test_gen();
    CHECK_EQ(g0 & 1, 0);
    (void)_stm_test_log_length();    /* takes and releases the lock */
    uint64_t g1 = _stm_test_gen();
    printf("locked section moves gen by %llu\n", (unsigned long long)(g1 - g0));
    BEGIN();
    WR(*x, 5);
    CHECK(COMMIT());
    uint64_t g2 = _stm_test_gen();
    printf("commit moves gen by %llu\n", (unsigned long long)(g2 - g1));
    /* A start that sees the seqlock move takes the locked path and still imports right. */
    SWITCH(2);
    BEGIN();
    CHECK_EQ(RD(*x), 5);
    CHECK(COMMIT());
    printf("DONE\n");
    return 0;
}
