// A commit becomes visible to a running transaction only at its next validation point (the
// snapshot is frozen: the committer makes the page private in running segments first), and
// at once to transactions that start later.  A transaction never sees half of another's
// commit (opacity).
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 | FileCheck %s
#include "test.h"

typedef struct { int64_t a, pad1, b, pad2, c, pad3; } obj_t;

int main(void)
{
    SWITCH(1);
    BEGIN();
    obj_t STM_HEAP *o = stm_alloc(sizeof *o);
    WR(o->a, 1);
    WR(o->b, 1);
    CHECK(COMMIT());

    /* seg 1 reads a; seg 2 changes a and b together; seg 1 still sees the old pair. */
    SWITCH(1);
    BEGIN();
    CHECK_EQ(RD(o->a), 1);
    SWITCH(2);
    BEGIN();
    WR(o->a, 2);
    WR(o->b, 2);
    CHECK(COMMIT());
    CHECK(_stm_test_is_private(1, OFF(o))); /* forced copy-on-write in the running segment */
    SWITCH(1);
    CHECK_EQ(RD(o->b), 1);   /* not 2: that would be half of seg 2's commit */
    CHECK_EQ(RD(o->a), 1);
    CHECK_EQ(COMMIT(), 1);   /* read-only: serializable before seg 2's commit */
    printf("snapshot frozen\n");
    // CHECK: snapshot frozen

    /* A transaction that starts now sees both. */
    BEGIN();
    CHECK_EQ(RD(o->a), 2);
    CHECK_EQ(RD(o->b), 2);
    CHECK(COMMIT());

    /* Running, not having read c: after stm_validate it sees the new c. */
    BEGIN();
    CHECK_EQ(RD(o->a), 2);
    SWITCH(2);
    BEGIN();
    WR(o->c, 42);
    CHECK(COMMIT());
    SWITCH(1);
    CHECK(_stm_test_validate());
    CHECK_EQ(RD(o->c), 42);
    CHECK(COMMIT());

    /* A segment that never ran sees committed state at its first transaction. */
    SWITCH(3);
    BEGIN();
    CHECK_EQ(RD(o->c), 42);
    CHECK_EQ(RD(o->a), 2);
    CHECK(COMMIT());
    printf("visibility ok\nDONE\n");
    // CHECK: visibility ok
    // CHECK: DONE
    return 0;
}
