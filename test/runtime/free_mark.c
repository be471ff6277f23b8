// stm_free's check for a second free in the same transaction is O(1): a pending-free mark in
// the allocator's per-object state (STM_NO_FREE_MARK=1: scan the transaction's free list).
// Both ways: many frees in one transaction, an aborted free is undone, the mark reads as
// "allocated", and a second free in one transaction is still reported.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefix=MARK
// RUN: env STM_NO_FREE_MARK=1 %run %t | FileCheck %s --check-prefix=SCAN
// RUN: not --crash %run %t twice 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: env STM_NO_FREE_MARK=1 not --crash %run %t twice 2>&1 | FileCheck %s --check-prefix=TWICE
// MARK: free_marks > 0
// SCAN: free_marks 0
// MARK: DONE
// SCAN: DONE
// TWICE: stmc: double free: stm_free(0x{{[0-9a-f]+}}) twice in one transaction
// TWICE-NOT: UNREACHED
#include "test.h"

#define N 20000
static int64_t STM_HEAP *objs[N];

int main(int argc, char **argv)
{
    SWITCH(1);
    BEGIN();
    for (int i = 0; i < N; i++)
        objs[i] = stm_alloc(16 + 16 * (i % 3));
    CHECK(COMMIT());

    if (argc > 1) {                  /* "twice": the second free of objs[7] in one tx */
        BEGIN();
        for (int i = 0; i < 10; i++)
            stm_free(objs[i]);
        stm_free(objs[7]);
        printf("UNREACHED\n");
        return 0;
    }

    /* An aborted transaction's frees are undone: the objects can be freed again. */
    BEGIN();
    for (int i = 0; i < N; i++)
        stm_free(objs[i]);
    CHECK_EQ(_stm_test_objstate(OFF(objs[0])), 1); /* the free is not committed */
    _stm_test_abort();
    CHECK_EQ(_stm_test_objstate(OFF(objs[0])), 1);

    /* Allocated and freed in one transaction, then aborted. */
    BEGIN();
    int64_t STM_HEAP *t = stm_alloc(32);
    stm_free(t);
    _stm_test_abort();
    CHECK_EQ(_stm_test_objstate(OFF(t)), 0);

    /* Another segment frees objects seg 1 has marked: the second commit reports it, so
     * seg 2 frees other ones; seg 1's marks do not disturb it. */
    BEGIN();
    for (int i = 0; i < N / 2; i++)
        stm_free(objs[i]);
    SWITCH(2);
    BEGIN();
    for (int i = N / 2; i < N; i++)
        stm_free(objs[i]);
    CHECK(COMMIT());
    SWITCH(1);
    CHECK(COMMIT());
    for (int i = 0; i < N; i++)
        CHECK(_stm_test_objstate(OFF(objs[i])) != 1);

    struct stm_stats s = stats();
    CHECK_EQ(s.frees, N);
    if (s.free_marks)
        printf("free_marks > 0\n");
    else
        printf("free_marks 0\n");
    printf("DONE\n");
    return 0;
}
