// A commit that takes the general path (more than 64 granules, or a free of an object it
// allocated) lists the pages it will change in segment 0 before the commit lock (counter
// commit_pages), leaving out those of only its own allocations, and the locked section
// privatises those pages in the other segments that hold a snapshot (before, it walked the
// whole write set under the lock; STM_NO_COMMIT_PAGES=1 still does).  Both ways: segment 2
// holds a snapshot while segment 1 commits a write to an object, two consecutive granules on
// either side of a page boundary (one run over two pages) and a new object; once more with an
// object allocated and freed in the transaction (its write-set entries dead).  Exactly those
// three pages are made private in segment 2 (forced_cow), segment 2 keeps seeing its
// snapshot's values until its next start, and the new objects' granules are left out
// (fresh_skip, the same both ways).  While only one segment was ever held, or no other
// segment holds a snapshot, nothing is listed (nobody to privatise in).
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2
// RUN: %run %t0 | FileCheck %s --check-prefixes=CHECK,LIST
// RUN: %run %t2 | FileCheck %s --check-prefixes=CHECK,LIST
// RUN: env STM_NO_COMMIT_PAGES=1 %run %t2 | FileCheck %s --check-prefixes=CHECK,WALK
// CHECK: one segment: listed 0 pages
// CHECK-NEXT: plain: forced 3 pages, skipped 64 fresh granules
// LIST-SAME: listed 3 pages
// WALK-SAME: listed 0 pages
// CHECK-NEXT: plain: snapshot kept, then the new values
// CHECK-NEXT: freed: forced 3 pages, skipped 68 fresh granules
// LIST-SAME: listed 3 pages
// WALK-SAME: listed 0 pages
// CHECK-NEXT: freed: snapshot kept, then the new values
// CHECK-NEXT: no snapshot: forced 0 pages, listed 0 pages
#include "test.h"

#define PAGE 4096

/* Segment 1 writes x (a committed object of its own size class), y's last granule of its first
 * page and the first of its second (y: a committed two-page object), and a new object; with
 * freed, also an object allocated before those writes and freed after them.  Segment 2 holds
 * a snapshot meanwhile; v: the values written. */
static void round_trip(const char *what, int64_t STM_HEAP *x, int64_t STM_HEAP *y, bool freed,
                       int64_t v, int64_t old_x)
{
    SWITCH(2);
    BEGIN(); /* the snapshot */

    SWITCH(1);
    struct stm_stats s0 = stats();
    BEGIN();
    int64_t STM_HEAP *f = stm_alloc(1024); /* 64 fresh granules: past LOG_SHORT */
    WR(f[0], v);
    int64_t STM_HEAP *t = freed ? stm_alloc(64) : NULL; /* 4 more, dead at the commit */
    if (t)
        WR(t[0], v);
    WR(x[0], v);
    WR(y[PAGE / 8 - 2], v); /* the granule before the page boundary */
    WR(y[PAGE / 8], v + 1); /* the one after it: one run, two pages */
    if (t)
        stm_free(t);
    CHECK(COMMIT());
    struct stm_stats s1 = stats();
    printf("%s: forced %llu pages, skipped %llu fresh granules, listed %llu pages\n", what,
           (unsigned long long)(s1.forced_cow - s0.forced_cow),
           (unsigned long long)(s1.fresh_skip - s0.fresh_skip),
           (unsigned long long)(s1.commit_pages - s0.commit_pages));

    SWITCH(2);
    CHECK_EQ(RD(x[0]), old_x);
    CHECK_EQ(RD(y[PAGE / 8 - 2]), 0);
    CHECK_EQ(RD(y[PAGE / 8]), 0);
    CHECK(COMMIT());
    BEGIN();
    CHECK_EQ(RD(x[0]), v);
    CHECK_EQ(RD(y[PAGE / 8 - 2]), v);
    CHECK_EQ(RD(y[PAGE / 8]), v + 1);
    CHECK_EQ(RD(f[0]), v);
    CHECK(COMMIT());
    printf("%s: snapshot kept, then the new values\n", what);
}

int main(void)
{
    struct stm_stats s0 = stats();
    int64_t STM_HEAP *x1 = committed_object(32, 5);
    int64_t STM_HEAP *y1 = committed_object(2 * PAGE, 6);
    int64_t STM_HEAP *x2 = committed_object(48, 7); /* another class: another page */
    int64_t STM_HEAP *y2 = committed_object(2 * PAGE, 8);
    struct stm_stats s1 = stats();
    printf("one segment: listed %llu pages\n",
           (unsigned long long)(s1.commit_pages - s0.commit_pages));
    CHECK(OFF(y1) % PAGE == 0 && OFF(y2) % PAGE == 0);
    CHECK(OFF(x1) / PAGE != OFF(x2) / PAGE);

    round_trip("plain", x1, y1, false, 100, 5);
    round_trip("freed", x2, y2, true, 200, 7);

    /* segment 2 lets its snapshot go: nothing to list (a list cost ~15 instructions an entry
     * for nothing), nothing privatised */
    SWITCH(2);
    _stm_test_quiesce();
    CHECK(!_stm_test_seg_snap(2));
    SWITCH(1);
    s0 = stats();
    BEGIN();
    int64_t STM_HEAP *f = stm_alloc(1024);
    WR(f[0], 1);
    for (int i = 0; i < 70; i++)
        WR(y1[2 * i], 300 + i); /* 70 plain granules */
    CHECK(COMMIT());
    s1 = stats();
    printf("no snapshot: forced %llu pages, listed %llu pages\n",
           (unsigned long long)(s1.forced_cow - s0.forced_cow),
           (unsigned long long)(s1.commit_pages - s0.commit_pages));
    return 0;
}
