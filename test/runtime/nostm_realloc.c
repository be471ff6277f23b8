// The plain-C baseline's stm_realloc (STMC_NO_STM + libstmc_nostm.a) gives zeros past the old
// size, as docs/api.md promises and the STM build does: before, it was realloc alone, and a
// grown object held whatever the chunk held (a freed object's 0x5a bytes).  Also after a
// shrink (the cut-off bytes must not come back when it grows again), for small and large
// (mmapped) chunks, and for a random mix of stm_alloc/stm_realloc/stm_free that fills every
// object it checked.  No size header: the baseline's memory use per object stays malloc's.
// RUN: %clang -O2 -DSTMC_NO_STM -I%stmc_include %s %stmc_lib/libstmc_nostm.a -lpthread -o %t && %run %t | FileCheck %s
// RUN: %clang -O0 -DSTMC_NO_STM -I%stmc_include %s %stmc_lib/libstmc_nostm.a -lpthread -o %t0 && %run %t0 | FileCheck %s
// CHECK: grown: ok
// CHECK-NEXT: shrunk and grown: ok
// CHECK-NEXT: large: ok
// CHECK-NEXT: random: ok
#include "test.h"

/* The index of the first non-zero byte of [p + from, p + to), or -1. */
static long nonzero(const unsigned char *p, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (p[i])
            return (long)i;
    return -1;
}

static void check_fill(const unsigned char *p, size_t n, unsigned char c)
{
    for (size_t i = 0; i < n; i++)
        CHECK_EQ(p[i], c);
}

static void shrink_grow(size_t big, size_t small)
{
    unsigned char *p = stm_alloc(big);
    memset(p, 0xa5, big);
    p = stm_realloc(p, small);
    check_fill(p, small, 0xa5);
    p = stm_realloc(p, big);
    check_fill(p, small, 0xa5);
    CHECK_EQ(nonzero(p, small, big), -1);
    stm_free(p);
}

static uint64_t rng = 88172645463325252ull;
static size_t pick(size_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (size_t)(rng % n);
}

int main(void)
{
    /* freed chunks full of 0x5a, then an object grown into such memory */
    for (int k = 0; k < 4; k++) {
        unsigned char *d = stm_alloc(3000);
        memset(d, 0x5a, 3000);
        stm_free(d);
    }
    unsigned char *p = stm_alloc(16);
    memset(p, 1, 16);
    p = stm_realloc(p, 3000);
    check_fill(p, 16, 1);
    CHECK_EQ(nonzero(p, 16, 3000), -1);
    stm_free(p);
    printf("grown: ok\n");

    shrink_grow(3000, 16);
    shrink_grow(100, 90);
    shrink_grow(40, 24);
    printf("shrunk and grown: ok\n");

    shrink_grow(1 << 20, 100);
    shrink_grow(1 << 20, 200000);
    printf("large: ok\n");

    enum { N = 64 };
    unsigned char *o[N] = {0};
    size_t sz[N] = {0};
    for (int step = 0; step < 20000; step++) {
        int i = (int)pick(N);
        size_t n = pick(8) == 0 ? 1 + pick(300000) : 1 + pick(5000);
        unsigned char c = (unsigned char)(1 + pick(255));
        switch (pick(4)) {
        case 0:
            stm_free(o[i]);
            o[i] = stm_alloc(n);
            CHECK_EQ(nonzero(o[i], 0, n), -1);
            break;
        case 1:
            stm_free(o[i]);
            o[i] = NULL;
            n = 0;
            break;
        default:
            o[i] = stm_realloc(o[i], n);
            CHECK_EQ(nonzero(o[i], sz[i] < n ? sz[i] : n, n), -1);
            break;
        }
        sz[i] = n;
        if (o[i])
            memset(o[i], c, n);
    }
    for (int i = 0; i < N; i++)
        stm_free(o[i]);
    printf("random: ok\n");
    return 0;
}
