// Read-write conflict: the committer wins, the reader aborts at its next validation point and
// everything it wrote is rolled back; a transaction that did not read the granule commits.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 | FileCheck %s
#include "test.h"

typedef struct { int64_t x; int64_t y; int64_t z[6]; } obj_t;

int main(void)
{
    SWITCH(1);
    BEGIN();
    obj_t STM_HEAP *o = stm_alloc(sizeof *o);
    WR(o->x, 10);
    CHECK(COMMIT());

    /* seg 1 reads x and writes y; seg 2 writes x and commits first. */
    SWITCH(1);
    BEGIN();
    CHECK_EQ(RD(o->x), 10);
    WR(o->y, 77);
    SWITCH(2);
    BEGIN();
    WR(o->x, 11);
    CHECK(COMMIT());
    SWITCH(1);
    CHECK_EQ(RD(o->x), 10);          /* frozen snapshot: the commit is not visible yet */
    CHECK_EQ(COMMIT(), 0);           /* the reader loses */
    CHECK_EQ(RD(o->y), 0);           /* its write is rolled back ... */
    CHECK_EQ(_stm_test_committed_u64(OFF(&o->y)), 0); /* ... and never reached segment 0 */
    printf("reader aborted, y rolled back\n");
    // CHECK: reader aborted, y rolled back

    /* Retry: now sees x = 11. */
    BEGIN();
    CHECK_EQ(RD(o->x), 11);
    WR(o->y, 78);
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_committed_u64(OFF(&o->y)), 78);

    /* No conflict when the reader did not read what the other wrote (another granule). */
    BEGIN();
    CHECK_EQ(RD(o->y), 78);
    SWITCH(2);
    BEGIN();
    WR(o->z[2], 5);                  /* z[2] is in another granule than y */
    CHECK(COMMIT());
    SWITCH(1);
    WR(o->x, 12);
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_committed_u64(OFF(&o->x)), 12);
    CHECK_EQ(_stm_test_committed_u64(OFF(&o->z[2])), 5);

    /* stm_validate aborts early. */
    BEGIN();
    CHECK_EQ(RD(o->z[2]), 5);
    SWITCH(2);
    BEGIN();
    WR(o->z[2], 6);
    CHECK(COMMIT());
    SWITCH(1);
    CHECK_EQ(_stm_test_validate(), 0);
    struct stm_stats s = stats();
    CHECK_EQ(s.aborts_commit, 1);
    CHECK_EQ(s.aborts_validate, 1);
    printf("conflicts ok\nDONE\n");
    // CHECK: conflicts ok
    // CHECK: DONE
    return 0;
}
