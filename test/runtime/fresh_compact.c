// A transaction that frees objects it allocated, in another order than it allocated them,
// drops their dead write-set and allocation entries (and the duplicates left by memory
// allocated again) before either list grows (counter fresh_compactions): a block that keeps
// three temporaries in a queue for 3000 rounds holds entries for about its live objects;
// STM_NO_FRESH_COMPACT=1 keeps every entry until the commit.  Either way the live objects'
// values commit, the freed ones stay unpublished, an abort after compactions hands memory
// back once, and STM_DEBUG=1 still knows the transaction's own objects.  Of a granule's
// copies the compaction keeps the last (the live one, whose tag may differ).
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,COMPACT
// RUN: env STM_DEBUG=1 %run %t | FileCheck %s --check-prefixes=CHECK,COMPACT
// RUN: env STM_NO_ALLOC_FAST=1 STM_NO_FRESH_POP=1 %run %t | FileCheck %s --check-prefixes=CHECK,COMPACT
// RUN: env STM_NO_FRESH_COMPACT=1 %run %t | FileCheck %s --check-prefixes=CHECK,KEEP
// COMPACT: queue: wset small 1 allocs small 1 compacted 1
// KEEP: queue: wset small 0 allocs small 0 compacted 0
// CHECK: live values 1+3: 17989
// CHECK: committed: live 5995 5997 5999, freed 0
// CHECK: abort hands the memory back once
// COMPACT: a snapshot taken before: 5 then 5 (compacted 1)
// KEEP: a snapshot taken before: 5 then 5 (compacted 0)
// CHECK: DONE
#include "test.h"

typedef struct { int64_t key, left, right; } node_t;  /* two granules */
#define ROUNDS 3000
#define FILL 40000

int main(void)
{
    SWITCH(1);
    BEGIN();
    uint64_t c0 = stats().fresh_compactions;
    node_t STM_HEAP *keep = stm_alloc(sizeof(node_t));
    WR(keep->key, 1);
    node_t STM_HEAP *q[3] = {NULL, NULL, NULL}, *dead = NULL;
    for (int i = 0; i < ROUNDS; i++) {
        node_t STM_HEAP **slot = &q[i % 3];
        if (*slot) {
            CHECK_EQ(RD((*slot)->key), 2 * (i - 3));
            dead = *slot;
            stm_free(*slot);              /* the oldest of three: not the latest allocation */
        }
        *slot = stm_alloc(sizeof(node_t));
        CHECK_EQ(RD((*slot)->key), 0);
        WR((*slot)->key, 2 * i);
        _stm_write_immutable(OFF(&(*slot)->right), 8, NULL); /* STM_DEBUG: still its own */
    }
    uint64_t w = _stm_test_wset_length(), a = _stm_test_allocs_length();
    printf("queue: wset small %d allocs small %d compacted %d\n", w < 200, a < 100,
           stats().fresh_compactions > c0);
    printf("live values 1+3: %lld\n",
           (long long)(RD(keep->key) + RD(q[0]->key) + RD(q[1]->key) + RD(q[2]->key)));
    for (int i = 0; i < 3; i++)
        WR(q[i]->key, RD(q[i]->key) + 1);  /* 5994 5996 5998, + 1 */
    CHECK(COMMIT());
    printf("committed: live %lld %lld %lld, freed %lld\n",
           (long long)_stm_test_committed_u64(OFF(&q[0]->key)),
           (long long)_stm_test_committed_u64(OFF(&q[1]->key)),
           (long long)_stm_test_committed_u64(OFF(&q[2]->key)),
           (long long)(dead == q[0] || dead == q[1] || dead == q[2]
                           ? 0 : _stm_test_committed_u64(OFF(&dead->key))));
    CHECK_EQ(_stm_test_objstate(OFF(keep)), 1);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(_stm_test_objstate(OFF(q[i])), 1);

    /* An abort after compactions: each object of the attempt is free once afterwards. */
    BEGIN();
    node_t STM_HEAP *r[3] = {NULL, NULL, NULL};
    for (int i = 0; i < ROUNDS; i++) {
        if (r[i % 3])
            stm_free(r[i % 3]);
        r[i % 3] = stm_alloc(sizeof(node_t));
        WR(r[i % 3]->left, i);
    }
    _stm_test_abort();
    for (int i = 0; i < 3; i++)
        CHECK_EQ(_stm_test_objstate(OFF(r[i])), 0);
    BEGIN();
    node_t STM_HEAP *x[6];
    for (int i = 0; i < 6; i++) {
        x[i] = stm_alloc(sizeof(node_t));
        for (int j = 0; j < i; j++)
            CHECK(x[i] != x[j]);
    }
    CHECK(COMMIT());
    printf("abort hands the memory back once\n");

    SWITCH(2);
    BEGIN();
    CHECK_EQ(RD(keep->key), 1);
    CHECK(COMMIT());

    /* Of a granule's copies the last is the live one.  Segment 1 allocates and frees a large
     * object (its entries tagged fresh, its pages back to the page allocator), segment 2 takes
     * the pages and commits, segment 1 imports that and writes them (a plain entry), and its
     * write set then compacts.  Keeping the first copy kept the fresh tag: the commit skipped
     * privatising the page, and segment 3's snapshot, taken before, saw the write. */
    int64_t STM_HEAP *c = committed_object(16, 0);
    SWITCH(4);                       /* (allocated here, segment 1's write set stays small) */
    BEGIN();
    int64_t STM_HEAP *fill = stm_alloc(FILL * 16);
    CHECK(COMMIT());
    SWITCH(1);
    BEGIN();
    int64_t STM_HEAP *big = stm_alloc(3 * 4096);
    WR(big[10], 1);
    stm_free(big);
    SWITCH(2);
    BEGIN();
    int64_t STM_HEAP *other = stm_alloc(3 * 4096);
    WR(other[0], 5);
    CHECK(COMMIT());
    CHECK(other == big);
    SWITCH(3);
    BEGIN();
    int64_t before = RD(other[0]);
    SWITCH(1);
    CHECK(_stm_test_validate());
    WR(other[0], 1);
    WR(*c, 1);
    c0 = stats().fresh_compactions;
    for (int i = 0; i < FILL; i++)   /* more entries than the write set has room for */
        WR(fill[2 * i], i);
    int compacted = stats().fresh_compactions > c0;
    CHECK(COMMIT());
    SWITCH(3);
    int64_t after = RD(other[0]);
    CHECK(COMMIT());
    printf("a snapshot taken before: %lld then %lld (compacted %d)\n", (long long)before,
           (long long)after, compacted);
    printf("DONE\n");
    return 0;
}
