// An object freed by the transaction that allocated it, when it is that transaction's latest
// allocation and its granules are the write set's last entries, leaves neither list: a block
// that allocates and frees a temporary in a loop keeps its write set and allocation list at
// their size (counter fresh_pops); STM_NO_FRESH_POP=1 keeps the dead entries (with
// STM_NO_FRESH_COMPACT=1, which would drop them when a list grows, until the commit).
// Not popped: an object freed after another allocation or another write.  Either way the
// transaction's other writes commit, its freed objects stay unpublished, and an abort hands
// the memory back once.  STM_DEBUG=1: an STM_IMMUTABLE write to an object allocated where a
// popped one's entries were is still recognised as the transaction's own.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,POP
// RUN: env STM_DEBUG=1 STM_NO_ALLOC_FAST=1 %run %t | FileCheck %s --check-prefixes=CHECK,POP
// RUN: env STM_NO_FRESH_POP=1 STM_NO_FRESH_COMPACT=1 %run %t | FileCheck %s --check-prefixes=CHECK,KEEP
// POP: loop: wset +2 allocs +1 fresh_pops 1000
// KEEP: loop: wset +2002 allocs +1001 fresh_pops 0
// POP: not the latest: wset +5 allocs +2 fresh_pops +1
// KEEP: not the latest: wset +7 allocs +3 fresh_pops +0
// CHECK: committed x = 7, temporaries unpublished
// CHECK: abort hands the memory back once
// CHECK: immutable write to a reused object: ok
// CHECK: DONE
#include "test.h"

typedef struct { int64_t key, left, right; } node_t;  /* two granules */

static uint64_t pops(void) { return stats().fresh_pops; }

int main(void)
{
    SWITCH(1);
    node_t STM_HEAP *keep = committed_object(sizeof(node_t), 1);

    /* A temporary allocated, written and freed 1000 times in one transaction; the first
     * allocation comes before the loop and stays. */
    BEGIN();
    uint64_t w0 = _stm_test_wset_length(), a0 = _stm_test_allocs_length(), p0 = pops();
    node_t STM_HEAP *first = stm_alloc(sizeof(node_t));
    node_t STM_HEAP *t = NULL;
    for (int i = 0; i < 1000; i++) {
        t = stm_alloc(sizeof(node_t));
        WR(t->key, i);
        WR(t->right, i);
        CHECK_EQ(RD(t->key) + RD(t->right), 2 * i);
        stm_free(t);
    }
    printf("loop: wset +%llu allocs +%llu fresh_pops %llu\n",
           (unsigned long long)(_stm_test_wset_length() - w0),
           (unsigned long long)(_stm_test_allocs_length() - a0),
           (unsigned long long)(pops() - p0));

    /* Freed after another allocation (a) or after another write (b): the entries stay.  c is
     * the latest allocation with nothing after it: popped. */
    w0 = _stm_test_wset_length(), a0 = _stm_test_allocs_length(), p0 = pops();
    node_t STM_HEAP *a = stm_alloc(sizeof(node_t));
    node_t STM_HEAP *b = stm_alloc(sizeof(node_t));
    stm_free(a);
    WR(keep->key, 7);
    stm_free(b);
    node_t STM_HEAP *c = stm_alloc(sizeof(node_t));
    WR(c->left, 5);
    stm_free(c);
    printf("not the latest: wset +%llu allocs +%llu fresh_pops +%llu\n",
           (unsigned long long)(_stm_test_wset_length() - w0),
           (unsigned long long)(_stm_test_allocs_length() - a0),
           (unsigned long long)(pops() - p0));
    WR(first->key, 3);
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_committed_u64(OFF(&keep->key)), 7);
    CHECK_EQ(_stm_test_committed_u64(OFF(&first->key)), 3);
    CHECK_EQ(_stm_test_objstate(OFF(first)), 1);
    CHECK_EQ(_stm_test_objstate(OFF(t)), 0);
    CHECK_EQ(_stm_test_objstate(OFF(c)), 0);
    CHECK_EQ(_stm_test_committed_u64(OFF(&t->key)), 0);
    CHECK_EQ(_stm_test_committed_u64(OFF(&c->left)), 0);
    printf("committed x = %lld, temporaries unpublished\n",
           (long long)_stm_test_committed_u64(OFF(&keep->key)));

    /* An abort after pops: the memory of the popped temporary is free once. */
    BEGIN();
    node_t STM_HEAP *d = stm_alloc(sizeof(node_t));
    stm_free(d);
    node_t STM_HEAP *e = stm_alloc(sizeof(node_t));
    WR(e->key, 9);
    _stm_test_abort();
    CHECK_EQ(_stm_test_objstate(OFF(d)), 0);
    BEGIN();
    node_t STM_HEAP *f = stm_alloc(sizeof(node_t));
    node_t STM_HEAP *g = stm_alloc(sizeof(node_t));
    CHECK(f != g);
    CHECK(COMMIT());
    printf("abort hands the memory back once\n");

    /* STM_DEBUG's set of the transaction's own objects after a pop: h's entries are popped,
     * then i (another object) takes their place in the write set. */
    BEGIN();
    node_t STM_HEAP *h = stm_alloc(sizeof(node_t));
    _stm_write_immutable(OFF(&h->key), 8, NULL);   /* the set has scanned h's entries */
    stm_free(h);
    node_t STM_HEAP *big = stm_alloc(40);           /* another class: not h's memory */
    _stm_write_immutable(OFF(big), 8, NULL);
    CHECK(COMMIT());
    printf("immutable write to a reused object: ok\n");

    SWITCH(2);
    BEGIN();
    CHECK_EQ(RD(keep->key) + RD(first->key), 10);
    CHECK(COMMIT());
    printf("DONE\n");
    return 0;
}
