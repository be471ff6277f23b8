// STM_DEBUG=1: a write to an STM_IMMUTABLE field of another segment's object is reported even
// when the object occupies memory that this transaction allocated and freed again (its
// granules stay in the debug set): a large object's pages go to the other segment at once,
// small objects through the shared pool, and once this transaction writes the other
// segment's object normally (legal) its write markers pass too.  Before, neither case was
// reported.  Objects this transaction allocated are accepted, also where a large object's
// later pages or a small object straddling a page are written.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_DEBUG=1 %run %t own | FileCheck %s --check-prefix=OWN
// RUN: env STM_DEBUG=1 not --crash %run %t large 2>&1 | FileCheck %s --check-prefix=LARGE
// RUN: env STM_DEBUG=1 not --crash %run %t small 2>&1 | FileCheck %s --check-prefix=SMALL
// RUN: env STM_DEBUG=1 STM_NO_FRESH_POP=1 not --crash %run %t small 2>&1 | FileCheck %s --check-prefix=SMALL
// OWN: own objects accepted
// LARGE: the same pages 1
// LARGE: stmc: write to an STM_IMMUTABLE field at heap offset {{.*}} of an object not allocated in this transaction
// SMALL: the other segment got one of them 1
// SMALL: stmc: write to an STM_IMMUTABLE field at heap offset {{.*}} of an object not allocated in this transaction
#include "test.h"

#define N 200

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "own";
    if (!strcmp(mode, "own")) {
        SWITCH(1);
        BEGIN();
        int64_t STM_HEAP *big = stm_alloc(5 * 4096);
        _stm_write_immutable(OFF(&big[4 * 512 + 3]), 8, NULL);  /* on its fifth page */
        int64_t STM_HEAP *o[200];
        for (int i = 0; i < 200; i++) {                          /* 48 bytes: some straddle */
            o[i] = stm_alloc(48);
            _stm_write_immutable(OFF(&o[i][5]), 8, NULL);
        }
        stm_free(o[7]);
        int64_t STM_HEAP *again = stm_alloc(48);
        _stm_write_immutable(OFF(&again[0]), 8, NULL);
        CHECK(COMMIT());
        printf("own objects accepted\n");
        return 0;
    }
    if (!strcmp(mode, "large")) {
        SWITCH(1);
        BEGIN();
        int64_t STM_HEAP *big = stm_alloc(3 * 4096);
        _stm_write_immutable(OFF(&big[0]), 8, NULL);             /* legal: the set has it */
        stm_free(big);
        SWITCH(2);
        BEGIN();
        int64_t STM_HEAP *other = stm_alloc(3 * 4096);
        WR(other[0], 5);
        CHECK(COMMIT());
        printf("the same pages %d\n", other == big);
        fflush(stdout);
        SWITCH(1);
        CHECK(_stm_test_validate());
        WR(other[0], 6);
        _stm_write_immutable(OFF(&other[0]), 8, NULL);
        printf("not reported\n");
        return 0;
    }
    /* small: segment 2 wants objects of the class, segment 1 frees its fresh ones (some go to
     * the pool), segment 2 takes one and commits */
    SWITCH(2);
    BEGIN();
    (void)stm_alloc(2048); /* its warm-up for the class: no want yet (free_pool_warmup.c) */
    CHECK(COMMIT());
    SWITCH(1);
    BEGIN();
    int64_t STM_HEAP *x[N];
    for (int i = 0; i < N; i++) {
        x[i] = stm_alloc(2048);
        _stm_write_immutable(OFF(x[i]), 8, NULL);
    }
    SWITCH(2);
    BEGIN();
    (void)stm_alloc(2048);
    CHECK(COMMIT());
    SWITCH(1);
    for (int i = N - 1; i >= 0; i--)
        stm_free(x[i]);
    SWITCH(2);
    BEGIN();
    int64_t STM_HEAP *y = stm_alloc(2048);
    int found = 0;
    for (int i = 0; i < N; i++)
        found |= x[i] == y;
    WR(y[0], 5);
    CHECK(COMMIT());
    printf("the other segment got one of them %d\n", found);
    fflush(stdout);
    SWITCH(1);
    CHECK(_stm_test_validate());
    WR(y[0], 6);
    _stm_write_immutable(OFF(&y[0]), 8, NULL);
    printf("not reported\n");
    return 0;
}
