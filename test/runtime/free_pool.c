// Freed small objects return to the free list of the segment whose commit reclaims them, not
// to the one that allocated them.  A segment that had to take new memory for a class (its list
// and the shared pool both empty) makes a list of that class in another segment that holds
// more than 128 KiB give its newer half to the pool, from which empty lists refill before they
// take new memory (counters pool_puts, pool_takes).  Here segment 1 produces and segment 2
// consumes: 20 rounds of segment 1 allocating 256 objects of 1 KiB and segment 2 freeing (and
// reclaiming) them.  With the pool segment 1 mostly reuses memory (1,408 distinct objects when
// written; it still takes a chunk now and then, when its list and the pool are empty at once);
// STM_NO_FREE_POOL=1: every allocation takes new memory (5,120 distinct objects), while
// segment 2's list holds all that was freed.
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: env STM_NO_LAZY_RECLAIM=1 %run %t | FileCheck %s --check-prefixes=CHECK,POOL
// RUN: env STM_NO_LAZY_RECLAIM=1 STM_NO_FREE_POOL=1 %run %t | FileCheck %s --check-prefixes=CHECK,NOPOOL
// CHECK: reclaimed 5120
// POOL: at most 2048 distinct objects: yes, pool_puts > 0: yes, pool_takes > 0: yes
// NOPOOL: at most 2048 distinct objects: no, pool_puts > 0: no, pool_takes > 0: no
// CHECK: values ok
#include "test.h"

#ifndef ROUNDS
#define ROUNDS 20
#endif
#define N 256
#define SIZE 1024

static uint64_t seen[ROUNDS * N];
static size_t nseen;

int main(void)
{
    int64_t STM_HEAP *tick = committed_object(16, 0);
    struct stm_stats s0 = stats();
    int64_t STM_HEAP *o[N];
    for (int r = 0; r < ROUNDS; r++) {
        SWITCH(1);
        BEGIN();
        for (int i = 0; i < N; i++) {
            o[i] = stm_alloc(SIZE);
            WR(*o[i], r * N + i);
            size_t k = 0;
            while (k < nseen && seen[k] != OFF(o[i]))
                k++;
            if (k == nseen)
                seen[nseen++] = OFF(o[i]);
        }
        CHECK(COMMIT());
        SWITCH(2);
        BEGIN();
        for (int i = 0; i < N; i++) {
            CHECK_EQ(RD(*o[i]), r * N + i);
            stm_free(o[i]);
        }
        CHECK(COMMIT());
        SWITCH(1); /* segment 1 starts after the frees: its snapshot no longer holds them */
        BEGIN();
        CHECK(COMMIT());
        SWITCH(2); /* a commit that reclaims them, into segment 2's list (a writing one: a
                    * block that only allocates and frees a temporary writes nothing) */
        BEGIN();
        WR(*tick, r);
        CHECK(COMMIT());
    }
    struct stm_stats s1 = stats();
    printf("reclaimed %llu\n", (unsigned long long)(s1.frees_reused - s0.frees_reused));
    printf("at most 2048 distinct objects: %s, pool_puts > 0: %s, pool_takes > 0: %s\n",
           nseen <= 2048 ? "yes" : "no", s1.pool_puts > s0.pool_puts ? "yes" : "no",
           s1.pool_takes > s0.pool_takes ? "yes" : "no");
    printf("distinct objects %zu\n", nseen);
    printf("values ok\n");
    return 0;
}
