// A segment's first transaction that takes new memory for a class is its warm-up: it does not
// ask the other segments' lists for their objects (the pool's want), so that threads that
// each build and free their own data (trees2) keep their objects, and none writes pages that
// another segment wrote (each such page would be copied into the taker's segment).  From its
// second such transaction on the want works as before (runtime/free_pool.c).
// Warm-up (trees2's first trees): segment 1 allocates 256 new objects of 1 KiB, segment 2 one,
// segment 1 frees its 256 (its list passes 128 KiB), segment 2 allocates 64 more.  By default
// segment 1 keeps its list and segment 2 takes new memory (warmup_takes 321: both segments'
// new objects); with STM_NO_WARMUP_TAKES=1 segment 1's list gives 128 to the pool (it looks
// at every 64th free) and segment 2 takes 64 from it.  Later: segment 1 allocates 256 again,
// segment 2 456, past its list and the pool (new memory in its second such transaction: it
// wants), segment 1 frees its 256: its list gives and segment 2 takes, both ways.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,WARM
// RUN: env STM_NO_WARMUP_TAKES=1 %run %t | FileCheck %s --check-prefixes=CHECK,EAGER
// WARM: warm-up: pool_puts 0, pool_takes 0, warmup_takes 321
// EAGER: warm-up: pool_puts 128, pool_takes 64, warmup_takes 0
// CHECK: later: pool_puts > 0: yes, pool_takes > 0: yes
// CHECK: values ok
#include "test.h"

#define N 256
#define SIZE 1024

static int64_t STM_HEAP *mine[N];
static int64_t STM_HEAP *theirs[N + 200];

/* Allocates n objects of SIZE into o, writing their index. */
static void alloc_n(int64_t STM_HEAP **o, int n)
{
    for (int i = 0; i < n; i++) {
        o[i] = stm_alloc(SIZE);
        WR(*o[i], i);
    }
}

/* Frees the N objects of mine. */
static void free_n(void)
{
    for (int i = 0; i < N; i++) {
        CHECK_EQ(RD(*mine[i]), i);
        stm_free(mine[i]);
    }
}

int main(void)
{
    struct stm_stats s0 = stats();
    SWITCH(1);
    BEGIN();
    alloc_n(mine, N);
    SWITCH(2);
    BEGIN();
    alloc_n(theirs, 1); /* the last to take new memory: the want would be segment 2's */
    SWITCH(1);
    free_n();
    CHECK(COMMIT());
    SWITCH(2);
    alloc_n(theirs + 1, 64);
    CHECK(COMMIT());
    struct stm_stats s1 = stats();
    printf("warm-up: pool_puts %llu, pool_takes %llu, warmup_takes %llu\n",
           (unsigned long long)(s1.pool_puts - s0.pool_puts),
           (unsigned long long)(s1.pool_takes - s0.pool_takes),
           (unsigned long long)(s1.warmup_takes - s0.warmup_takes));

    SWITCH(1);
    BEGIN();
    alloc_n(mine, N);
    SWITCH(2);
    BEGIN();
    alloc_n(theirs, N + 200); /* new memory, its second time: a want */
    SWITCH(1);
    free_n();
    CHECK(COMMIT());
    SWITCH(2);
    struct stm_stats s2 = stats();
    int64_t STM_HEAP *more[64];
    alloc_n(more, 64);
    CHECK(COMMIT());
    struct stm_stats s3 = stats();
    printf("later: pool_puts > 0: %s, pool_takes > 0: %s\n",
           s2.pool_puts > s1.pool_puts ? "yes" : "no", s3.pool_takes > s2.pool_takes ? "yes" : "no");

    BEGIN();
    for (int i = 0; i < N + 200; i++)
        CHECK_EQ(RD(*theirs[i]), i);
    for (int i = 0; i < 64; i++)
        CHECK_EQ(RD(*more[i]), i);
    CHECK(COMMIT());
    printf("values ok\n");
    return 0;
}
