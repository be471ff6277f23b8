// An object freed by the transaction that allocated it is free again at once: the same
// transaction gets the memory back from stm_alloc, and its granules are neither published nor
// logged at commit.  STM_NO_FRESH_FREE=1 treats it like any other free (published, reused only
// after the commit).  An abort after such a free does not hand the memory back twice.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s --check-prefix=FRESH
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 | FileCheck %s --check-prefix=FRESH
// RUN: env STM_NO_FRESH_FREE=1 %run %t2 | FileCheck %s --check-prefix=WAIT
// FRESH: mode fresh
// WAIT: mode wait
// FRESH: frees_fresh 4
// WAIT: frees_fresh 0
// FRESH: DONE
// WAIT: DONE
#include "test.h"

typedef struct { int64_t x, y; } obj_t;

int main(void)
{
    const char *env = getenv("STM_NO_FRESH_FREE");
    int fresh = !(env && env[0] == '1');
    printf("mode %s\n", fresh ? "fresh" : "wait");
    SWITCH(2);
    BEGIN();                         /* runs across the next commit: frees there must wait */
    SWITCH(1);

    /* Freed and allocated again in one transaction: the same memory, zeroed. */
    BEGIN();
    obj_t STM_HEAP *a = stm_alloc(sizeof *a);
    WR(a->x, 42);
    stm_free(a);
    obj_t STM_HEAP *b = stm_alloc(sizeof *b);
    CHECK(fresh ? b == a : b != a);
    CHECK_EQ(RD(b->x), 0);
    WR(b->x, 7);
    /* Freed and not allocated again: dead, not published. */
    obj_t STM_HEAP *c = stm_alloc(sizeof *c);
    WR(c->x, 99);
    WR(c->y, 98);
    stm_free(c);
    CHECK_EQ(_stm_test_objstate(OFF(c)), fresh ? 0 : 1);
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_committed_u64(OFF(b)), 7);
    CHECK_EQ(_stm_test_committed_u64(OFF(c)), fresh ? 0 : 99);
    CHECK_EQ(_stm_test_objstate(OFF(b)), 1);
    CHECK_EQ(_stm_test_objstate(OFF(c)), fresh ? 0 : 2);
    SWITCH(2);
    CHECK(COMMIT());
    SWITCH(1);

    /* A committed object freed later is an ordinary free (deferred while a transaction that
     * could read it runs). */
    SWITCH(2);
    BEGIN();
    SWITCH(1);
    BEGIN();
    stm_free(b);
    CHECK_EQ(_stm_test_objstate(OFF(b)), 1);
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_objstate(OFF(b)), 2);
    SWITCH(2);
    CHECK(COMMIT());
    SWITCH(1);

    /* Abort after a fresh free and a second allocation of the same memory: the memory goes
     * back to the free list once, so two later allocations are distinct. */
    BEGIN();
    obj_t STM_HEAP *d = stm_alloc(sizeof *d);
    stm_free(d);
    obj_t STM_HEAP *e = stm_alloc(sizeof *e);
    CHECK(fresh ? e == d : e != d);
    WR(e->x, 5);
    _stm_test_abort();
    CHECK_EQ(_stm_test_objstate(OFF(d)), 0);
    BEGIN();
    obj_t STM_HEAP *f = stm_alloc(sizeof *f);
    obj_t STM_HEAP *g = stm_alloc(sizeof *g);
    obj_t STM_HEAP *h = stm_alloc(sizeof *h);
    CHECK(f != g && g != h && f != h);
    WR(f->x, 1);
    WR(g->x, 2);
    WR(h->x, 3);
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_committed_u64(OFF(f)) + _stm_test_committed_u64(OFF(g)) +
             _stm_test_committed_u64(OFF(h)), 6);

    /* A large object (whole pages) freed fresh: its pages are free again at once. */
    BEGIN();
    int64_t STM_HEAP *big = stm_alloc(3 * 4096);
    WR(big[1000], 11);
    stm_free(big);
    int64_t STM_HEAP *big2 = stm_alloc(3 * 4096);
    CHECK(fresh ? big2 == big : big2 != big);
    CHECK_EQ(RD(big2[1000]), 0);
    WR(big2[1], 12);
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_committed_u64(OFF(&big2[1])), 12);
    CHECK_EQ(_stm_test_committed_u64(OFF(&big[1000])), fresh ? 0 : 11);

    /* Another segment sees the committed objects and nothing of the dead ones. */
    SWITCH(2);
    BEGIN();
    CHECK_EQ(RD(f->x) + RD(g->x) + RD(h->x), 6);
    CHECK_EQ(RD(big2[1]), 12);
    CHECK(COMMIT());

    printf("frees_fresh %llu\n", (unsigned long long)stats().frees_fresh);
    printf("DONE\n");
    return 0;
}
