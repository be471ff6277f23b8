// stm_alloc leaves the read markers of a new object's granules unset (counter
// fresh_rmark_skips): no other segment can commit a write to memory the transaction allocated,
// so they would never find a conflict.  STM_NO_FRESH_RMARK_SKIP=1 sets them as for any written
// granule.  Written granules of committed objects are marked read either way (a commit of
// them by another segment must be a conflict: the first test below), and reading a new
// object marks it as any read does.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,SKIP
// RUN: env STM_NO_ALLOC_FAST=1 %run %t | FileCheck %s --check-prefixes=CHECK,SKIP
// RUN: env STM_NO_FRESH_RMARK_SKIP=1 %run %t | FileCheck %s --check-prefixes=CHECK,MARK
// CHECK: a blind write of a committed object conflicts 1
// SKIP: new objects: read markers 0 0 0 0, after a read 1, skips 3
// MARK: new objects: read markers 1 1 1 1, after a read 1, skips 0
// CHECK: DONE
#include "test.h"

int main(void)
{
    int64_t STM_HEAP *c = committed_object(16, 0);

    /* A blind write (no read) of a committed object, then another segment's commit of it. */
    SWITCH(1);
    BEGIN();
    WR(*c, 1);
    SWITCH(2);
    BEGIN();
    WR(*c, 2);
    CHECK(COMMIT());
    SWITCH(1);
    printf("a blind write of a committed object conflicts %d\n", !COMMIT());

    BEGIN();
    stm_free(stm_alloc(24));         /* the class's list gets room and one: short paths */
    uint64_t k0 = stats().fresh_rmark_skips;
    int64_t STM_HEAP *a = stm_alloc(24);       /* two granules */
    int64_t STM_HEAP *b = stm_alloc(24);
    int64_t STM_HEAP *big = stm_alloc(5000);   /* a large object */
    printf("new objects: read markers %d %d %d %d", _stm_test_rmark(OFF(&a[0])) != 0,
           _stm_test_rmark(OFF(&a[2])) != 0, _stm_test_rmark(OFF(&b[0])) != 0,
           _stm_test_rmark(OFF(&big[300])) != 0);
    (void)RD(a[0]);
    printf(", after a read %d, skips %llu\n", _stm_test_rmark(OFF(&a[0])) != 0,
           (unsigned long long)(stats().fresh_rmark_skips - k0));
    WR(a[1], 7);
    WR(big[300], 8);
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_committed_u64(OFF(&a[1])), 7);
    CHECK_EQ(_stm_test_committed_u64(OFF(&big[300])), 8);
    printf("DONE\n");
    return 0;
}
