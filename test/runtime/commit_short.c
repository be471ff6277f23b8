// An atomic transaction that wrote 1 to 16 granules and did nothing else special (no
// allocation, free, callback, inevitability; also no object allocated and freed again, which
// leaves no allocation listed) commits by a short path (counter commits_short):
// the general path's steps without the tests those cases need.  STM_NO_COMMIT_SHORT=1 sends
// every commit through the general path.  Both ways: the granules reach segment 0, the
// transactions that must take the general path do, and a conflict found by the commit (by its
// pre-validation, or under the lock with STM_NO_PREVALIDATE=1, which also turns the short path
// off) aborts it and rolls its writes back.  Test transactions commit through the same
// dispatch as atomic blocks; the last case is an STM_ATOMIC block.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s --check-prefixes=CHECK,SHORT
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 | FileCheck %s --check-prefixes=CHECK,SHORT
// RUN: env STM_NO_COMMIT_SHORT=1 %run %t2 | FileCheck %s --check-prefixes=CHECK,GENERAL
// RUN: env STM_NO_PREVALIDATE=1 %run %t2 | FileCheck %s --check-prefixes=CHECK,GENERAL
// SHORT: two granules: short +1
// GENERAL: two granules: short +0
// CHECK-SAME: committed 7 8
// SHORT: sixteen granules: short +1
// GENERAL: sixteen granules: short +0
// CHECK: alloc and free popped: fresh_pops +1
// CHECK: seventeen granules, alloc, free, alloc and free, on_commit, inevitable: short +0, all committed
// CHECK: on_commit ran 1
// CHECK: conflict: committed 0, aborts_commit +1, short +0, y rolled back
// CHECK: retry sees x = 11
// SHORT: atomic block: short +1
// GENERAL: atomic block: short +0
// CHECK-SAME: z = 9
// CHECK: DONE
#include "test.h"

typedef struct { int64_t v, pad; } gran_t;  /* one granule */
#define NG 24

static gran_t STM_HEAP *g;
static int ran;

static uint64_t shorts(void) { return stats().commits_short; }
static void count(void *arg) { (void)arg; ran++; }

/* One test transaction writing granules [0, n) of g with base + i. */
static void write_granules(int n, int64_t base)
{
    for (int i = 0; i < n; i++)
        WR(g[i].v, base + i);
}

int main(void)
{
    SWITCH(1);
    BEGIN();
    g = stm_alloc(NG * sizeof(gran_t));
    CHECK(COMMIT());

    uint64_t k = shorts();
    BEGIN();
    WR(g[0].v, 7);
    WR(g[1].v, 8);
    CHECK(COMMIT());
    printf("two granules: short +%llu, committed %lld %lld\n", (unsigned long long)(shorts() - k),
           (long long)_stm_test_committed_u64(OFF(&g[0].v)),
           (long long)_stm_test_committed_u64(OFF(&g[1].v)));

    k = shorts();
    BEGIN();
    write_granules(16, 100);
    CHECK(COMMIT());
    printf("sixteen granules: short +%llu\n", (unsigned long long)(shorts() - k));
    for (int i = 0; i < 16; i++)
        CHECK_EQ(_stm_test_committed_u64(OFF(&g[i].v)), 100 + i);

    /* The general path's cases. */
    k = shorts();
    BEGIN();
    write_granules(17, 200);
    CHECK(COMMIT());
    for (int i = 0; i < 17; i++)
        CHECK_EQ(_stm_test_committed_u64(OFF(&g[i].v)), 200 + i);
    BEGIN();
    WR(g[0].v, 300);
    int64_t STM_HEAP *fresh = stm_alloc(sizeof(int64_t));
    WR(*fresh, 301);
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_committed_u64(OFF(fresh)), 301);
    BEGIN();
    WR(g[0].v, 302);
    stm_free(fresh);
    CHECK(COMMIT());
    CHECK(_stm_test_objstate(OFF(fresh)) != 1); /* free (or waiting for reuse) */
    BEGIN();                           /* an object allocated and freed: popped, allocs 0 */
    WR(g[0].v, 305);
    uint64_t pops = stats().fresh_pops;
    int64_t STM_HEAP *temp = stm_alloc(sizeof(int64_t));
    WR(*temp, 1);
    stm_free(temp);
    CHECK_EQ(_stm_test_allocs_length(), 0);
    CHECK_EQ(_stm_test_wset_length(), 1);
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_committed_u64(OFF(&g[0].v)), 305);
    printf("alloc and free popped: fresh_pops +%llu\n",
           (unsigned long long)(stats().fresh_pops - pops));
    BEGIN();
    WR(g[0].v, 303);
    stm_on_commit(count, NULL);
    CHECK(COMMIT());
    BEGIN();
    WR(g[0].v, 304);
    CHECK(_stm_test_become_inevitable());
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_committed_u64(OFF(&g[0].v)), 304);
    printf("seventeen granules, alloc, free, alloc and free, on_commit, inevitable: short +%llu, "
           "all committed\n",
           (unsigned long long)(shorts() - k));
    printf("on_commit ran %d\n", ran);

    /* A conflict: segment 1 reads x (g[0]) and writes y (g[1]); segment 2 commits x first. */
    BEGIN();
    CHECK_EQ(RD(g[0].v), 304);
    WR(g[1].v, 77);
    SWITCH(2);
    BEGIN();
    WR(g[0].v, 11);
    CHECK(COMMIT());
    SWITCH(1);
    struct stm_stats s0 = stats();
    int committed = COMMIT();
    struct stm_stats s1 = stats();
    CHECK_EQ(_stm_test_committed_u64(OFF(&g[1].v)), 201);
    printf("conflict: committed %d, aborts_commit +%llu, short +%llu, y rolled back\n", committed,
           (unsigned long long)(s1.aborts_commit - s0.aborts_commit),
           (unsigned long long)(s1.commits_short - s0.commits_short));
    BEGIN();
    int64_t x = RD(g[0].v);
    WR(g[1].v, 78);
    CHECK(COMMIT());
    printf("retry sees x = %lld\n", (long long)x);

    /* The end of an STM_ATOMIC block. */
    k = shorts();
    STM_ATOMIC {
        WR(g[2].v, 9);
    }
    printf("atomic block: short +%llu, z = %lld\n", (unsigned long long)(shorts() - k),
           (long long)_stm_test_committed_u64(OFF(&g[2].v)));
    printf("DONE\n");
    return 0;
}
