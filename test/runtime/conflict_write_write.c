// Write-write conflict: both transactions write x; the first to commit wins, the other aborts
// (its write implies a read) and its write is replaced by the winner's value.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 | FileCheck %s
#include "test.h"

typedef struct { int64_t x, pad; int64_t other, pad2; } obj_t;

int main(void)
{
    SWITCH(1);
    BEGIN();
    obj_t STM_HEAP *o = stm_alloc(sizeof *o);
    CHECK(COMMIT());

    SWITCH(1);
    BEGIN();
    WR(o->x, 1);
    WR(o->other, 100);
    SWITCH(2);
    BEGIN();
    WR(o->x, 2);
    SWITCH(1);
    CHECK(COMMIT());                 /* first committer wins */
    SWITCH(2);
    CHECK_EQ(RD(o->x), 2);           /* still its own write until it validates */
    CHECK_EQ(COMMIT(), 0);
    CHECK_EQ(RD(o->x), 1);           /* rolled back to the committed value */
    CHECK_EQ(RD(o->other), 100);
    CHECK_EQ(_stm_test_committed_u64(OFF(&o->x)), 1);
    printf("write-write ok\n");
    // CHECK: write-write ok

    /* The loser retries and wins. */
    BEGIN();
    WR(o->x, RD(o->x) + 10);
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_committed_u64(OFF(&o->x)), 11);
    printf("DONE\n");
    // CHECK: DONE
    return 0;
}
