// Nested atomic blocks flatten into the outermost one: one commit, and an abort restarts the
// outermost block.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 | FileCheck %s
#include "test.h"

static int64_t STM_HEAP *x;
static void inner(void *arg)
{
    CHECK(stm_in_atomic());
    WR(*x, RD(*x) + (intptr_t)arg);
}

int main(void)
{
    x = stm_alloc(sizeof *x);
    CHECK(!stm_in_atomic());
    uint64_t c0 = stats().commits_atomic;
    STM_ATOMIC {
        WR(*x, 1);
        STM_ATOMIC {
            CHECK(stm_in_atomic());
            WR(*x, RD(*x) + 10);
            STM_ATOMIC {
                break;               /* leaves the innermost block only */
            }
            CHECK(stm_in_atomic());
        }
        stm_atomic(inner, (void *)100);
        CHECK(stm_in_atomic());
    }
    CHECK(!stm_in_atomic());
    CHECK_EQ(stats().commits_atomic - c0, 1);
    CHECK_EQ(RD(*x), 111);
    CHECK_EQ(_stm_test_committed_u64(OFF(x)), 111);
    stm_atomic(inner, (void *)1);
    CHECK_EQ(RD(*x), 112);
    printf("nested ok\nDONE\n");
    // CHECK: nested ok
    // CHECK: DONE
    return 0;
}
