// Allocations of an aborted transaction are undone (the memory goes back to the allocator)
// and memory handed out again is zeroed; also when the abort comes at the commit, after the
// commit marked them allocated (alloc_publish runs before the commit lock).
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 | FileCheck %s
#include "test.h"

int main(void)
{
    SWITCH(1);
    BEGIN();
    int64_t STM_HEAP *p = stm_alloc(100);
    int64_t STM_HEAP *big = stm_alloc(100000);
    CHECK((OFF(p) & 15) == 0 && (OFF(big) & 15) == 0);
    for (int i = 0; i < 12; i++)
        WR(p[i], -1);
    WR(big[5000], -1);
    CHECK_EQ(_stm_test_objstate(OFF(p)), 1);
    _stm_test_abort();
    CHECK_EQ(_stm_test_objstate(OFF(p)), 0);
    CHECK_EQ(_stm_test_objstate(OFF(big)), 0);

    BEGIN();
    int64_t STM_HEAP *q = stm_alloc(100);
    int64_t STM_HEAP *big2 = stm_alloc(100000);
    CHECK(q == p);
    CHECK(big2 == big);
    for (int i = 0; i < 12; i++)
        CHECK_EQ(RD(q[i]), 0);
    CHECK_EQ(RD(big2[5000]), 0);
    WR(q[0], 7);
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_committed_u64(OFF(q)), 7);
    printf("allocation undone ok\n");
    // CHECK: allocation undone ok

    /* A transaction that allocates and then loses at its commit: its commit has already made
     * the objects ordinary (before the lock), and the abort must still give them back. */
    int64_t STM_HEAP *x = committed_object(16, 1);
    BEGIN();
    CHECK_EQ(RD(*x), 1);
    int64_t STM_HEAP *r = stm_alloc(100);
    WR(*r, 5);
    SWITCH(2);
    BEGIN();
    WR(*x, 2);
    CHECK(COMMIT());
    SWITCH(1);
    CHECK_EQ(COMMIT(), 0);
    CHECK_EQ(_stm_test_objstate(OFF(r)), 0);
    BEGIN();
    CHECK(stm_alloc(100) == r);
    CHECK(COMMIT());
    printf("allocation of a transaction that lost at commit undone\n");
    // CHECK: allocation of a transaction that lost at commit undone

    /* Sizes: 0, 16-byte classes, 2048, 2049 (pages). */
    size_t sizes[] = {0, 1, 16, 17, 2048, 2049, 5000};
    BEGIN();
    for (unsigned i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        uint8_t STM_HEAP *m = stm_alloc(sizes[i]);
        CHECK((OFF(m) & 15) == 0);
        for (size_t k = 0; k < sizes[i]; k++)
            CHECK_EQ(RD(m[k]), 0);
    }
    CHECK(COMMIT());
    printf("DONE\n");
    // CHECK: DONE
    return 0;
}
