// stm_realloc: a new object with the old one's bytes (the rest zero) and the old one freed at
// commit, or the same object when its size class (or page count) already fits; a large object
// grows by half at least and keeps its place for a size that fits and is more than half of it
// (STM_NO_REALLOC_SLACK=1: exact page counts, counter realloc_slack), but not where 1.5x
// would not fit in the heap ("limit"), and then from memory freed before ("freedrun"); NULL
// allocates.  Grows and shrinks across small and large objects keep the contents; an abort
// undoes the new object and the free; a transaction that reallocated an object another
// commits a write to meanwhile aborts (the copy read it); a doomed transaction that
// reallocates an object another one has reallocated (freed) meanwhile aborts instead of
// reporting a misuse.  "interior": a pointer inside an object is reported; "freed": an object
// the same transaction freed is reported as such.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2
// RUN: %run %t0 | FileCheck %s --check-prefixes=CHECK,SLACK
// RUN: %run %t2 | FileCheck %s --check-prefixes=CHECK,SLACK
// RUN: env STM_NO_REALLOC_SLACK=1 %run %t2 | FileCheck %s --check-prefixes=CHECK,EXACT
// RUN: env STM_HEAP_MB=16 %run %t2 limit | FileCheck %s --check-prefix=LIMIT
// LIMIT: near the heap's limit: the exact size
// RUN: env STM_HEAP_MB=16 %run %t2 freedrun | FileCheck %s --check-prefix=FROMFREED
// FROMFREED: slack from a freed run: grown in place, 1 more
// RUN: not --crash %run %t2 interior 2>&1 | FileCheck %s --check-prefix=INTERIOR
// RUN: not --crash %run %t2 freed 2>&1 | FileCheck %s --check-prefix=FREED
// CHECK: same class: same object
// CHECK: grow 40 -> 100: moved, bytes kept, rest zero, old freed at commit
// CHECK: grow 100 -> 10000 -> 50000, shrink to 24: bytes kept
// SLACK: grow 102401 -> 150000: in place
// SLACK: shrink 150000 -> 90000: in place
// SLACK: realloc_slack: 3
// EXACT: grow 102401 -> 150000: moved
// EXACT: shrink 150000 -> 90000: moved
// EXACT: realloc_slack: 0
// CHECK: NULL: a new object
// CHECK: abort: the old object intact, the new one gone
// CHECK: conflict: aborted
// CHECK: doomed: aborted, no misuse reported
// CHECK: DONE
// INTERIOR: stmc: stm_realloc(0x{{[0-9a-f]+}}): not a pointer returned by stm_alloc (inside an object?)
// FREED: stmc: stm_realloc(0x{{[0-9a-f]+}}): the object was freed earlier in this transaction
#include "test.h"

static void fill(uint8_t STM_HEAP *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++)
        WR(p[i], (uint8_t)(seed + i * 7));
}

static int kept(uint8_t STM_HEAP *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++)
        if (RD(p[i]) != (uint8_t)(seed + i * 7))
            return 0;
    return 1;
}

static int zero(uint8_t STM_HEAP *p, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (RD(p[i]) != 0)
            return 0;
    return 1;
}

static void realloc_it(void *arg)
{
    stm_realloc((void STM_HEAP *)(uintptr_t)arg, 100);
}

int main(int argc, char **argv)
{
    SWITCH(1);
    if (argc > 1 && !strcmp(argv[1], "limit")) {
        /* 7 MiB grown by a page in a 16 MiB heap: 1.5x does not fit, the exact size does */
        size_t old = 7u << 20;
        BEGIN();
        uint8_t STM_HEAP *p = stm_alloc(old);
        WR(p[old - 1], 42);
        p = stm_realloc(p, old + 4096);
        CHECK(RD(p[old - 1]) == 42 && RD(p[old + 4095]) == 0);
        CHECK(COMMIT());
        printf("near the heap's limit: the exact size\n");
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "freedrun")) {
        /* 4 MiB, then 9 MiB freed, in a 16 MiB heap: 1.5x of 4 MiB does not fit above the
         * heap's top, but it fits where the 9 MiB were: the slack is taken there, and the
         * next growth stays in place */
        size_t old = 4u << 20;
        struct stm_stats st0, st1;
        BEGIN();
        uint8_t STM_HEAP *p = stm_alloc(old);
        uint8_t STM_HEAP *x = stm_alloc(9u << 20);
        WR(p[old - 1], 42);
        CHECK(COMMIT());
        BEGIN();
        stm_free(x);
        CHECK(COMMIT());
        for (int i = 0; i < 100 && _stm_test_objstate(OFF(x)) != 0; i++) {
            BEGIN(); /* commits that write: the reuse is looked at in them */
            WR(p[0], (uint8_t)i);
            CHECK(COMMIT());
        }
        CHECK_EQ(_stm_test_objstate(OFF(x)), 0);
        stm_stats_get(&st0);
        BEGIN();
        p = stm_realloc(p, old + 4096);
        uint8_t STM_HEAP *q = stm_realloc(p, old + (1u << 20));
        CHECK(RD(q[old - 1]) == 42 && RD(q[old + 4095]) == 0);
        CHECK(COMMIT());
        stm_stats_get(&st1);
        printf("slack from a freed run: grown %s, %llu more\n", q == p ? "in place" : "moved",
               (unsigned long long)(st1.realloc_slack - st0.realloc_slack) - 1);
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "interior")) {
        BEGIN();
        uint8_t STM_HEAP *p = stm_alloc(64);
        CHECK(COMMIT());
        BEGIN();
        stm_realloc(p + 16, 100);
        printf("UNREACHED\n");
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "freed")) { /* (it named the stm_free inside) */
        BEGIN();
        uint8_t STM_HEAP *p = stm_alloc(64);
        CHECK(COMMIT());
        BEGIN();
        stm_free(p);
        stm_realloc(p, 100);
        printf("UNREACHED\n");
        return 0;
    }

    BEGIN();
    uint8_t STM_HEAP *p = stm_alloc(40);
    fill(p, 40, 3);
    CHECK(COMMIT());

    BEGIN();
    CHECK(stm_realloc(p, 48) == p); /* 40 and 48: one class of 16 bytes */
    CHECK(COMMIT());
    printf("same class: same object\n");

    BEGIN();
    uint8_t STM_HEAP *q = stm_realloc(p, 100);
    CHECK(q != p);
    CHECK(kept(q, 40, 3) && zero(q, 48, 100));
    CHECK_EQ(_stm_test_objstate(OFF(p)), 1); /* freed only when the commit lands */
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_objstate(OFF(p)), 2);
    printf("grow 40 -> 100: moved, bytes kept, rest zero, old freed at commit\n");

    BEGIN();
    fill(q, 100, 9);
    q = stm_realloc(q, 10000);
    CHECK(kept(q, 100, 9) && zero(q, 112, 10000));
    fill(q, 10000, 11);
    CHECK(COMMIT());
    BEGIN();
    q = stm_realloc(q, 50000);
    CHECK(kept(q, 10000, 11) && zero(q, 12288, 50000));
    q = stm_realloc(q, 24);
    CHECK(kept(q, 24, 11));
    CHECK(COMMIT());
    printf("grow 100 -> 10000 -> 50000, shrink to 24: bytes kept\n");

    /* large objects: with slack (the default) a growth takes half the old size more at least,
     * and a size that fits, not below half, keeps the object; STM_NO_REALLOC_SLACK=1: exact */
    struct stm_stats st0, st1;
    stm_stats_get(&st0);
    BEGIN();
    uint8_t STM_HEAP *g = stm_alloc(100000); /* 25 pages */
    fill(g, 100000, 5);
    uint8_t STM_HEAP *g2 = stm_realloc(g, 102401); /* 38 pages, or 26 */
    CHECK(g2 != g && kept(g2, 100000, 5) && zero(g2, 100000, 102401));
    uint8_t STM_HEAP *g3 = stm_realloc(g2, 150000);
    CHECK(kept(g3, 100000, 5));
    printf("grow 102401 -> 150000: %s\n", g3 == g2 ? "in place" : "moved");
    uint8_t STM_HEAP *g4 = stm_realloc(g3, 90000); /* 22 pages: over half of 38, not of 37 */
    CHECK(kept(g4, 90000, 5));
    printf("shrink 150000 -> 90000: %s\n", g4 == g3 ? "in place" : "moved");
    uint8_t STM_HEAP *g5 = stm_realloc(g4, 20000);
    CHECK(g5 != g4 && kept(g5, 20000, 5));
    CHECK(COMMIT());
    stm_stats_get(&st1);
    printf("realloc_slack: %llu\n", (unsigned long long)(st1.realloc_slack - st0.realloc_slack));

    BEGIN();
    uint8_t STM_HEAP *r = stm_realloc(NULL, 32);
    CHECK(r && zero(r, 0, 32));
    CHECK(COMMIT());
    printf("NULL: a new object\n");

    /* an aborted realloc: the new object is undone, the old one stays allocated and intact */
    BEGIN();
    uint8_t STM_HEAP *t = stm_realloc(q, 3000);
    _stm_test_abort();
    CHECK_EQ(_stm_test_objstate(OFF(q)), 1);
    CHECK_EQ(_stm_test_objstate(OFF(t)), 0);
    BEGIN();
    CHECK(kept(q, 24, 11));
    CHECK(COMMIT());
    printf("abort: the old object intact, the new one gone\n");

    /* segment 1 reallocates q; segment 2 writes q and commits first: segment 1's copy read it */
    BEGIN();
    uint8_t STM_HEAP *u = stm_realloc(q, 400);
    (void)u;
    SWITCH(2);
    BEGIN();
    WR(q[5], 99);
    CHECK(COMMIT());
    SWITCH(1);
    CHECK_EQ(COMMIT(), 0);
    printf("conflict: aborted\n");

    /* a doomed transaction reallocates the object it read from a slot that another
     * transaction has reallocated meanwhile (the object is freed): it aborts, no misuse */
    BEGIN();
    void STM_HEAP *STM_HEAP *box = stm_alloc(16);
    WR(*box, (void STM_HEAP *)stm_alloc(40));
    CHECK(COMMIT());
    BEGIN();
    void STM_HEAP *seen = RD(*box);
    SWITCH(2);
    BEGIN();
    WR(*box, stm_realloc(RD(*box), 4000));
    CHECK(COMMIT());
    CHECK_EQ(_stm_test_objstate(OFF(seen)), 2);
    SWITCH(1);
    CHECK_EQ(_stm_test_try(realloc_it, (void *)(uintptr_t)OFF(seen)), 0);
    printf("doomed: aborted, no misuse reported\n");
    printf("DONE\n");
    return 0;
}
