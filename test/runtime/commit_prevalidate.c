// A commit imports and checks the log entries already linked before it takes the commit lock
// (counter prevalidations), so the locked section validates only the entries linked meanwhile,
// and a conflict found there aborts without taking the lock for validation: the commit's
// locked sections (g_gen moves by 2 per section) are then 1 (the abort's restore) instead of 2.
// STM_NO_PREVALIDATE=1 validates everything under the lock.  Both ways, a conflict aborts the
// reader and a transaction that read nothing the other wrote commits and sees its write.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,PRE
// RUN: env STM_NO_PREVALIDATE=1 %run %t | FileCheck %s --check-prefixes=CHECK,LOCKED
// CHECK: no conflict: committed, sees z = 5
// PRE-SAME: prevalidations 1
// LOCKED-SAME: prevalidations 0
// CHECK: conflict: aborted, y rolled back
// PRE-SAME: prevalidations 1, locked sections 1
// LOCKED-SAME: prevalidations 0, locked sections 2
// CHECK: nothing new: prevalidations 0
#include "test.h"

typedef struct { int64_t x; int64_t y; int64_t z[6]; } obj_t;

int main(void)
{
    obj_t STM_HEAP *o = committed_object(sizeof *o, 10);

    /* seg 1 reads y and writes x; seg 2 writes z[2] (another granule) and commits first. */
    BEGIN();
    CHECK_EQ(RD(o->y), 0);
    WR(o->x, 11);
    SWITCH(2);
    BEGIN();
    WR(o->z[2], 5);
    CHECK(COMMIT());
    SWITCH(1);
    uint64_t pre0 = stats().prevalidations;
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_committed_u64(OFF(&o->x)), 11);
    BEGIN();
    CHECK_EQ(RD(o->z[2]), 5);
    CHECK(COMMIT());
    printf("no conflict: committed, sees z = 5, prevalidations %llu\n",
           (unsigned long long)(stats().prevalidations - pre0));

    /* seg 1 reads x and writes y; seg 2 writes x and commits first: the reader loses. */
    BEGIN();
    CHECK_EQ(RD(o->x), 11);
    WR(o->y, 77);
    SWITCH(2);
    BEGIN();
    WR(o->x, 12);
    CHECK(COMMIT());
    SWITCH(1);
    pre0 = stats().prevalidations;
    uint64_t aborts0 = stats().aborts_commit, gen0 = _stm_test_gen();
    CHECK_EQ(COMMIT(), 0);
    uint64_t sections = (_stm_test_gen() - gen0) / 2;
    CHECK_EQ(stats().aborts_commit - aborts0, 1);
    CHECK_EQ(RD(o->y), 0);
    CHECK_EQ(_stm_test_committed_u64(OFF(&o->y)), 0);
    printf("conflict: aborted, y rolled back, prevalidations %llu, locked sections %llu\n",
           (unsigned long long)(stats().prevalidations - pre0), (unsigned long long)sections);

    /* Nothing committed since this transaction's start: nothing to look at before the lock. */
    BEGIN();
    WR(o->y, 78);
    pre0 = stats().prevalidations;
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_committed_u64(OFF(&o->y)), 78);
    printf("nothing new: prevalidations %llu\n",
           (unsigned long long)(stats().prevalidations - pre0));
    return 0;
}
