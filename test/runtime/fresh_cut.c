// A large object freed by the transaction that allocated it, with a few entries (at most 4
// times as many as its own, or 64) appended to the write set after its own: its entries are cut out,
// the later ones moved down, and its allocation entry dropped (counter fresh_cuts).  A block
// that allocated, used and freed a 1 MiB temporary kept 65,536 dead entries for its commit to
// walk.  STM_NO_FRESH_POP=1 (with STM_NO_FRESH_COMPACT=1, until the commit) keeps them.  Not
// cut: an object with more than 4 times its own entries after it.  Either way the writes after it
// commit, an STM_DEBUG set of the transaction's own objects still knows a later object on the
// same memory, and an abort hands the memory back once.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,CUT
// RUN: env STM_DEBUG=1 %run %t | FileCheck %s --check-prefixes=CHECK,CUT
// RUN: env STM_NO_FRESH_POP=1 STM_NO_FRESH_COMPACT=1 %run %t | FileCheck %s --check-prefixes=CHECK,KEEP
// CUT: temporary: wset +3 allocs +0 fresh_cuts 1
// KEEP: temporary: wset +515 allocs +1 fresh_cuts 0
// CUT: realloc: wset +1024 allocs +1 fresh_cuts +1
// KEEP: realloc: wset +1536 allocs +2 fresh_cuts +0
// CHECK: too many after it: wset +2816 allocs +2 fresh_cuts +0
// CHECK: committed 7 8 9 and the realloc'd bytes, the temporaries unpublished
// CHECK: abort hands the memory back once
// CHECK: immutable write to an object on a cut object's memory: ok
// CHECK: DONE
#include "test.h"

#define BIG 8192 /* 512 granules: a large object (2 pages) */

/* The write set's and the allocation list's lengths and the counter, at a mark and since. */
struct mark {
    uint64_t w, a, c;
};

static struct mark mark(void)
{
    return (struct mark){_stm_test_wset_length(), _stm_test_allocs_length(), stats().fresh_cuts};
}

static void since(const char *what, struct mark m, const char *plus)
{
    struct mark n = mark();
    printf("%s: wset +%llu allocs +%llu fresh_cuts %s%llu\n", what,
           (unsigned long long)(n.w - m.w), (unsigned long long)(n.a - m.a), plus,
           (unsigned long long)(n.c - m.c));
}

int main(void)
{
    SWITCH(1);
    int64_t STM_HEAP *keep = committed_object(64, 1);

    /* A large temporary, then three other granules written, then the temporary freed. */
    BEGIN();
    struct mark m = mark();
    int64_t STM_HEAP *t = stm_alloc(BIG);
    WR(t[100], 5);
    WR(keep[0], 7);
    WR(keep[2], 8);
    WR(keep[4], RD(t[100]) + 4);
    stm_free(t);
    since("temporary", m, "");

    /* stm_realloc of a large object to a larger one: the old one is freed after the new one's
     * entries (1,024 after its 512): cut. */
    m = mark();
    int64_t STM_HEAP *v = stm_alloc(BIG);
    WR(v[1], 11);
    WR(v[BIG / 8 - 1], 12);
    v = stm_realloc(v, 2 * BIG);
    since("realloc", m, "+");

    /* More than 4 times its entries after it: not cut (with or without the switch). */
    m = mark();
    int64_t STM_HEAP *u = stm_alloc(BIG);
    int64_t STM_HEAP *later = stm_alloc(4 * BIG + 4096); /* 2,304 granules */
    stm_free(u);
    since("too many after it", m, "+");
    WR(later[0], 13);
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_committed_u64(OFF(&keep[0])), 7);
    CHECK_EQ(_stm_test_committed_u64(OFF(&keep[2])), 8);
    CHECK_EQ(_stm_test_committed_u64(OFF(&keep[4])), 9);
    CHECK_EQ(_stm_test_committed_u64(OFF(&v[1])), 11);
    CHECK_EQ(_stm_test_committed_u64(OFF(&v[BIG / 8 - 1])), 12);
    CHECK_EQ(_stm_test_committed_u64(OFF(&later[0])), 13);
    CHECK_EQ(_stm_test_objstate(OFF(v)), 1);
    CHECK_EQ(_stm_test_objstate(OFF(later)), 1);
    CHECK_EQ(_stm_test_objstate(OFF(u)), 0);
    printf("committed %lld %lld %lld and the realloc'd bytes, the temporaries unpublished\n",
           (long long)_stm_test_committed_u64(OFF(&keep[0])),
           (long long)_stm_test_committed_u64(OFF(&keep[2])),
           (long long)_stm_test_committed_u64(OFF(&keep[4])));

    /* An abort after a cut: the cut object's pages are free once (two allocations of its size
     * afterwards get two places). */
    BEGIN();
    int64_t STM_HEAP *d = stm_alloc(BIG);
    WR(keep[6], 1);
    stm_free(d);
    int64_t STM_HEAP *e = stm_alloc(64);
    WR(e[0], 9);
    _stm_test_abort();
    CHECK_EQ(_stm_test_objstate(OFF(d)), 0);
    BEGIN();
    int64_t STM_HEAP *f = stm_alloc(BIG);
    int64_t STM_HEAP *g = stm_alloc(BIG);
    CHECK(f != g);
    CHECK(COMMIT());
    printf("abort hands the memory back once\n");

    /* STM_DEBUG's set of the transaction's own objects: h is cut, then i takes its pages. */
    BEGIN();
    int64_t STM_HEAP *h = stm_alloc(BIG);
    _stm_write_immutable(OFF(&h[3]), 8, NULL); /* the set has scanned h's entries */
    WR(keep[1], 2);
    stm_free(h);
    int64_t STM_HEAP *i = stm_alloc(BIG);
    _stm_write_immutable(OFF(&i[3]), 8, NULL);
    CHECK(COMMIT());
    printf("immutable write to an object on a cut object's memory: ok\n");

    SWITCH(2);
    BEGIN();
    CHECK_EQ(RD(keep[0]) + RD(keep[2]) + RD(keep[4]) + RD(v[1]), 35);
    CHECK(COMMIT());
    printf("DONE\n");
    return 0;
}
