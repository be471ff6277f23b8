// An object freed by the transaction that allocated it leaves no read markers behind: its
// memory may go to another segment before that transaction ends (a large object's pages
// return to the page allocator at once), and a commit there that writes the memory is no
// conflict for the freeing transaction.  Before, the read markers that the allocation set
// stayed, and such a commit aborted it (an adversarial test: 1,600 attempts for 200 blocks
// that shared nothing with the other thread).  With STM_NO_FRESH_FREE=1 the free waits for the
// commit and the other segment gets other pages.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,FRESH,SHORT
// RUN: env STM_NO_ALLOC_FAST=1 %run %t | FileCheck %s --check-prefixes=CHECK,FRESH,GENERAL
// RUN: env STM_NO_FRESH_FREE=1 %run %t | FileCheck %s --check-prefixes=CHECK,WAIT
// FRESH: large: the same pages 1, first commits 1
// WAIT: large: the same pages 0, first commits 1
// SHORT: small: read markers before the free 1, reset by it 1 (short path 1)
// GENERAL: small: read markers before the free 1, reset by it 1 (short path 0)
// WAIT: small: read markers before the free 1, reset by it 0 (short path 0)
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

    /* A small object (the short paths, or the general ones with STM_NO_ALLOC_FAST=1): its
     * read markers are reset at the free (its memory can reach another segment through the
     * pool).  The reset leaves the transaction's other read markers: a committed object read,
     * which another segment's commit then writes, is still a conflict. */
    SWITCH(1);
    BEGIN();
    stm_free(stm_alloc(32));         /* the segment's list of the class gets room and one */
    uint64_t fast0 = stats().frees_fast;
    int64_t STM_HEAP *s = stm_alloc(32);
    WR(s[1], RD(s[0]) + RD(*c));
    int marked = _stm_test_rmark(OFF(&s[0])) != 0 && _stm_test_rmark(OFF(&s[2])) != 0;
    stm_free(s);
    printf("small: read markers before the free %d, reset by it %d (short path %d)\n", marked,
           _stm_test_rmark(OFF(&s[0])) == 0 && _stm_test_rmark(OFF(&s[2])) == 0,
           (int)(stats().frees_fast - fast0));
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
