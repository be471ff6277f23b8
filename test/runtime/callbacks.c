// stm_on_commit callbacks run after the commit, once; stm_on_abort callbacks run when the
// transaction aborts (and the commit ones are dropped); outside atomic blocks on_commit runs
// at once.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 | FileCheck %s
#include "test.h"

static int committed, aborted;
static void on_c(void *a) { committed += (int)(intptr_t)a; CHECK(!stm_in_atomic()); }
static void on_a(void *a) { aborted += (int)(intptr_t)a; }

int main(void)
{
    stm_on_commit(on_c, (void *)1000);
    CHECK_EQ(committed, 1000);
    SWITCH(1);
    BEGIN();
    int64_t STM_HEAP *x = stm_alloc(16);
    CHECK(COMMIT());

    BEGIN();
    stm_on_commit(on_c, (void *)1);
    stm_on_abort(on_a, (void *)1);
    CHECK_EQ(RD(*x), 0);
    SWITCH(2);
    BEGIN();
    WR(*x, 5);
    CHECK(COMMIT());
    SWITCH(1);
    WR(*x, 6);
    CHECK_EQ(COMMIT(), 0);
    CHECK_EQ(committed, 1000);
    CHECK_EQ(aborted, 1);

    BEGIN();
    stm_on_commit(on_c, (void *)2);
    stm_on_abort(on_a, (void *)10);
    WR(*x, 7);
    CHECK(COMMIT());
    CHECK_EQ(committed, 1002);
    CHECK_EQ(aborted, 1);
    printf("callbacks ok\nDONE\n");
    // CHECK: callbacks ok
    // CHECK: DONE
    return 0;
}
