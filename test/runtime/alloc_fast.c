// stm_alloc and stm_free take a short path for a small object (up to 64 bytes) in an atomic
// transaction when the segment's free list has one of its class (or room for it) and its page
// is private (counters allocs_fast, frees_fast); STM_NO_ALLOC_FAST=1 sends every call through
// the general path.  Both ways: a reused object is zeroed, an object freed by its allocating
// transaction is neither published nor handed out twice after an abort, a committed object's
// bytes reach segment 0, larger objects and implicit transactions take the general path.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s --check-prefixes=CHECK,FAST
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 | FileCheck %s --check-prefixes=CHECK,FAST
// RUN: env STM_NO_ALLOC_FAST=1 %run %t2 | FileCheck %s --check-prefixes=CHECK,GENERAL
// FAST: first round: allocs_fast 0 frees_fast 7
// GENERAL: first round: allocs_fast 0 frees_fast 0
// FAST: second round: allocs_fast 8 frees_fast 7
// GENERAL: second round: allocs_fast 0 frees_fast 0
// CHECK: reused objects are zero
// CHECK: 80 bytes and implicit: allocs_fast +0 frees_fast +0
// CHECK: abort hands the memory back once
// CHECK: committed 1 2 3, dead 0
// CHECK: DONE
#include "test.h"

typedef struct { int64_t key, left, right; } node_t;  /* 24 bytes: two granules */
#define N 8

static uint64_t fast_allocs(void) { return stats().allocs_fast; }
static uint64_t fast_frees(void) { return stats().frees_fast; }

int main(void)
{
    node_t STM_HEAP *o[N], *p[N];
    SWITCH(1);

    /* A fresh segment: the objects come from a new chunk (general path); their frees fill the
     * free list (the first grows it: general). */
    BEGIN();
    for (int i = 0; i < N; i++) {
        o[i] = stm_alloc(sizeof(node_t));
        WR(o[i]->key, 100 + i);
        WR(o[i]->right, 200 + i);
    }
    for (int i = 0; i < N; i++)
        stm_free(o[i]);
    printf("first round: allocs_fast %llu frees_fast %llu\n",
           (unsigned long long)fast_allocs(), (unsigned long long)fast_frees());

    /* The same memory again, from the free list: zero, whatever the last user wrote. */
    int zero = 1;
    for (int i = 0; i < N; i++) {
        p[i] = stm_alloc(sizeof(node_t));
        zero &= RD(p[i]->key) == 0 && RD(p[i]->left) == 0 && RD(p[i]->right) == 0;
        CHECK_EQ(_stm_test_objstate(OFF(p[i])), 1);
    }
    printf("second round: allocs_fast %llu frees_fast %llu\n",
           (unsigned long long)fast_allocs(), (unsigned long long)fast_frees());
    CHECK(zero);
    printf("reused objects are zero\n");
    for (int i = 0; i < N; i++)
        stm_free(p[i]);
    CHECK(COMMIT());
    for (int i = 0; i < N; i++) {
        CHECK_EQ(_stm_test_objstate(OFF(p[i])), 0);
        CHECK_EQ(_stm_test_committed_u64(OFF(&p[i]->key)), 0);
    }

    /* Larger than 64 bytes, and outside a transaction: the general path. */
    uint64_t a0 = fast_allocs(), f0 = fast_frees();
    BEGIN();
    int64_t STM_HEAP *big = stm_alloc(80);
    stm_free(big);
    big = stm_alloc(80);
    stm_free(big);
    CHECK(COMMIT());
    node_t STM_HEAP *outside = stm_alloc(sizeof(node_t));
    stm_free(outside);
    printf("80 bytes and implicit: allocs_fast +%llu frees_fast +%llu\n",
           (unsigned long long)(fast_allocs() - a0), (unsigned long long)(fast_frees() - f0));

    /* An abort gives back what the attempt allocated, once: an object it allocated, freed and
     * allocated again is one free object afterwards, and three later allocations differ. */
    BEGIN();
    node_t STM_HEAP *d = stm_alloc(sizeof(node_t));
    stm_free(d);
    node_t STM_HEAP *e = stm_alloc(sizeof(node_t));
    WR(e->key, 5);
    _stm_test_abort();
    CHECK_EQ(_stm_test_objstate(OFF(d)), 0);
    CHECK_EQ(_stm_test_objstate(OFF(e)), 0);
    BEGIN();
    node_t STM_HEAP *f = stm_alloc(sizeof(node_t));
    node_t STM_HEAP *g = stm_alloc(sizeof(node_t));
    node_t STM_HEAP *h = stm_alloc(sizeof(node_t));
    CHECK(f != g && g != h && f != h);
    printf("abort hands the memory back once\n");

    /* What the transaction keeps is published; what it freed is not. */
    node_t STM_HEAP *dead = stm_alloc(sizeof(node_t));
    WR(dead->right, 99);
    stm_free(dead);
    WR(f->key, 1);
    WR(g->key, 2);
    WR(h->right, 3);
    CHECK(COMMIT());
    printf("committed %lld %lld %lld, dead %lld\n",
           (long long)_stm_test_committed_u64(OFF(&f->key)),
           (long long)_stm_test_committed_u64(OFF(&g->key)),
           (long long)_stm_test_committed_u64(OFF(&h->right)),
           (long long)_stm_test_committed_u64(OFF(&dead->right)));
    CHECK_EQ(_stm_test_objstate(OFF(f)), 1);

    /* Another segment reads them. */
    SWITCH(2);
    BEGIN();
    CHECK_EQ(RD(f->key) + RD(g->key) + RD(h->right), 6);
    CHECK(COMMIT());
    printf("DONE\n");
    return 0;
}
