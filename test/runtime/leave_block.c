// Leaving STM_ATOMIC by break, continue, return or goto commits the transaction.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 | FileCheck %s
#include "test.h"

static int64_t STM_HEAP *x;

static int by_return(int64_t v)
{
    STM_ATOMIC {
        WR(*x, v);
        return 5;
    }
    return 0;
}

int main(void)
{
    x = stm_alloc(sizeof *x);
    uint64_t c0 = stats().commits_atomic;

    CHECK_EQ(by_return(1), 5);
    CHECK(!stm_in_atomic());
    CHECK_EQ(_stm_test_committed_u64(OFF(x)), 1);

    STM_ATOMIC {
        WR(*x, 2);
        break;
    }
    CHECK(!stm_in_atomic());
    CHECK_EQ(_stm_test_committed_u64(OFF(x)), 2);

    STM_ATOMIC {
        WR(*x, 3);
        continue;
    }
    CHECK(!stm_in_atomic());
    CHECK_EQ(_stm_test_committed_u64(OFF(x)), 3);

    STM_ATOMIC {
        WR(*x, 4);
        goto out;
    }
out:
    CHECK(!stm_in_atomic());
    CHECK_EQ(_stm_test_committed_u64(OFF(x)), 4);
    CHECK_EQ(stats().commits_atomic - c0, 4);
    printf("left by return, break, continue, goto: committed\nDONE\n");
    // CHECK: left by return, break, continue, goto: committed
    // CHECK: DONE
    return 0;
}
