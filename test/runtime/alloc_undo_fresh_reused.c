// A transaction allocates a large object and frees it again (its pages go straight back to the
// page allocator: nobody else could see them), another segment allocates those pages and
// commits, and the first transaction then aborts at its commit, after its allocations were
// marked allocated.  The abort must leave the other segment's object alone: before the fix,
// it gave back every object of its allocation list that read "allocated", the other's
// included, whose stm_free then reported a double free.  (Found by randprog with
// stm_realloc to whole pages.)
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s
// CHECK: same pages: yes
// CHECK: first aborted; the other's object allocated: 1
// CHECK: freed: ok
#include "test.h"

int main(void)
{
    SWITCH(1);
    BEGIN();
    int64_t STM_HEAP *x = stm_alloc(64);
    CHECK(COMMIT());

    BEGIN();
    CHECK_EQ(RD(*x), 0);                 /* read: segment 2's write below conflicts */
    int64_t STM_HEAP *keep = stm_alloc(64); /* an allocation that stays (published at commit) */
    WR(*keep, 1);
    int64_t STM_HEAP *big = stm_alloc(3 * 4096);
    stm_free(big);                       /* freed fresh: its pages are free again at once */

    SWITCH(2);
    BEGIN();
    int64_t STM_HEAP *other = stm_alloc(3 * 4096);
    printf("same pages: %s\n", OFF(other) == OFF(big) ? "yes" : "no");
    fflush(stdout);
    WR(other[7], 7);
    WR(*x, 5);
    CHECK(COMMIT());

    SWITCH(1);
    CHECK_EQ(COMMIT(), 0);
    printf("first aborted; the other's object allocated: %d\n", _stm_test_objstate(OFF(other)));
    CHECK_EQ(_stm_test_objstate(OFF(keep)), 0);

    SWITCH(2);
    BEGIN();
    CHECK_EQ(RD(other[7]), 7);
    stm_free(other);
    CHECK(COMMIT());
    printf("freed: ok\n");
    return 0;
}
