// An object freed by the transaction that allocated it leaves no read markers behind where its
// memory goes to another segment before that transaction ends (a large object's pages return
// to the page allocator at once, small objects go through the shared pool), so a commit there
// that writes the memory is no conflict for the freeing transaction, also when it read the
// object (or, with STM_NO_FRESH_RMARK_SKIP=1, its allocation marked it).  Before, those read
// markers stayed, and such a commit aborted it (an adversarial test: 1,600 attempts for 200
// blocks that shared nothing with the other thread).  With STM_NO_FRESH_FREE=1 the free waits
// for the commit and the other segment gets other memory.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,FRESH
// RUN: env STM_NO_ALLOC_FAST=1 %run %t | FileCheck %s --check-prefixes=CHECK,FRESH
// RUN: env STM_NO_FRESH_RMARK_SKIP=1 %run %t | FileCheck %s --check-prefixes=CHECK,FRESH
// RUN: env STM_NO_FRESH_FREE=1 %run %t | FileCheck %s --check-prefixes=CHECK,WAIT
// FRESH: large: the same pages 1, first commits 1
// WAIT: large: the same pages 0, first commits 1
// FRESH: small: the other segment got one of them 1, its read marker here 0, first commits 1
// WAIT: small: the other segment got one of them 0, its read marker here 0, first commits 1
// CHECK: small: the read of another object still conflicts 1
// CHECK: DONE
#include "test.h"

#define BIG (3 * 4096)

int main(void)
{
    int64_t STM_HEAP *c = committed_object(16, 0), *d = committed_object(16, 0);

    /* Segment 1 allocates, reads and writes a large object, and frees it; segment 2 gets the
     * same pages, writes them and commits first. */
    SWITCH(1);
    BEGIN();
    int64_t STM_HEAP *a = stm_alloc(BIG);
    WR(a[10], RD(a[20]) + 1);
    stm_free(a);
    WR(*c, 1);
    SWITCH(2);
    BEGIN();
    int64_t STM_HEAP *b = stm_alloc(BIG);
    WR(b[10], 5);
    WR(b[20], 6);
    CHECK(COMMIT());
    SWITCH(1);
    int ok = COMMIT();
    printf("large: the same pages %d, first commits %d\n", a == b, ok);

    /* Small objects leave only through the shared pool: segment 2 wants the class, segment 1
     * allocates, reads and frees 200 objects of 2 KiB (part of its list goes to the pool,
     * which resets their read markers), segment 2 takes one, writes it and commits.  Segment
     * 1 read it and writes a committed object (its commit validates): no conflict. */
    SWITCH(2);
    BEGIN();
    (void)stm_alloc(2048); /* its warm-up for the class: no want yet (free_pool_warmup.c) */
    CHECK(COMMIT());
    SWITCH(1);
    BEGIN();
    int64_t STM_HEAP *x[200];
    for (int i = 0; i < 200; i++) {
        x[i] = stm_alloc(2048);
        CHECK_EQ(RD(x[i][0]), 0);
    }
    SWITCH(2);
    BEGIN();
    (void)stm_alloc(2048);
    CHECK(COMMIT());
    SWITCH(1);
    for (int i = 199; i >= 0; i--)
        stm_free(x[i]);
    SWITCH(2);
    BEGIN();
    int64_t STM_HEAP *y = stm_alloc(2048);
    int found = 0;
    for (int i = 0; i < 200; i++)
        found |= x[i] == y;
    WR(y[0], 5);
    CHECK(COMMIT());
    SWITCH(1);
    int marker = _stm_test_rmark(OFF(&y[0]));
    WR(*d, 2);
    ok = COMMIT();
    printf("small: the other segment got one of them %d, its read marker here %d, first "
           "commits %d\n", found, marker, ok);

    /* The reset leaves the transaction's other read markers: a committed object read, which
     * another segment's commit then writes, is still a conflict. */
    SWITCH(1);
    BEGIN();
    int64_t STM_HEAP *s = stm_alloc(32);
    WR(s[1], RD(s[0]) + RD(*c));
    stm_free(s);
    WR(*d, 1);                       /* a write besides: the commit validates */
    SWITCH(2);
    BEGIN();
    WR(*c, 2);
    CHECK(COMMIT());
    SWITCH(1);
    ok = COMMIT();
    printf("small: the read of another object still conflicts %d\n", !ok);
    printf("DONE\n");
    return 0;
}
