// A thread's first transaction that takes new memory for a class is its warm-up: it does not
// ask the other segments' lists for their objects (the pool's want), so that threads that
// each build and free their own data (trees2) keep their objects, and none writes pages that
// another segment wrote (each such page would be copied into the taker's segment).  From its
// second such transaction on the want works as before (runtime/free_pool.c).  The running
// transaction's warm-up is kept in its segment, so that the test hooks' one thread playing
// segments 1 and 2 has one in each.
// Warm-up (trees2's first trees): segment 1 allocates 256 new objects of 1 KiB, segment 2 one,
// segment 1 frees its 256 (its list passes 128 KiB), segment 2 allocates 64 more.  By default
// segment 1 keeps its list and segment 2 takes new memory (warmup_takes 321: both segments'
// new objects); with STM_NO_WARMUP_TAKES=1 segment 1's list gives 128 to the pool (it looks
// at every 64th free) and segment 2 takes 64 from it.  Later: segment 1 allocates 256 again,
// segment 2 456, past its list and the pool (new memory in its second such transaction: it
// wants), segment 1 frees its 256: its list gives and segment 2 takes, both ways.
// The warm-up is the thread's, not the segment's (with threads, one segment): main takes new
// memory of a class in a block and joins a worker, which gets main's segment and takes 100
// new objects of the class in its first block (its warm-up: warmup_takes 100), joins a thread
// of its own (letting its segment go and taking it again) and takes 100 more in its next
// block (no warm-up: it wants).
// REQUIRES: stmc-runtime
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,WARM
// RUN: env STM_NO_WARMUP_TAKES=1 %run %t | FileCheck %s --check-prefixes=CHECK,EAGER
// RUN: env STM_SEGMENTS=1 %run %t threads | FileCheck %s --check-prefix=THREADS
// RUN: env STM_SEGMENTS=1 STM_NO_WARMUP_TAKES=1 %run %t threads | FileCheck %s --check-prefix=THREADS-EAGER
// THREADS: main's segment 1, the worker's 1
// THREADS: worker's first block: warmup_takes 100
// THREADS: worker's second block: warmup_takes 0
// THREADS: values ok
// THREADS-EAGER: worker's first block: warmup_takes 0
// THREADS-EAGER: worker's second block: warmup_takes 0
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

static void *nothing(void *arg)
{
    return arg;
}

/* The worker of the threads scenario: two blocks of 100 new objects, a join between them. */
static void *worker(void *arg)
{
    (void)arg;
    int64_t STM_HEAP *o[200];
    struct stm_stats a = stats();
    STM_ATOMIC {
        alloc_n(o, 100);
    }
    struct stm_stats b = stats();
    printf("main's segment 1, the worker's %d\n", _stm_test_current());
    printf("worker's first block: warmup_takes %llu\n",
           (unsigned long long)(b.warmup_takes - a.warmup_takes));
    pthread_t t;
    CHECK(pthread_create(&t, NULL, nothing, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    STM_ATOMIC {
        alloc_n(o + 100, 100);
    }
    struct stm_stats c = stats();
    printf("worker's second block: warmup_takes %llu\n",
           (unsigned long long)(c.warmup_takes - b.warmup_takes));
    STM_ATOMIC {
        for (int i = 0; i < 200; i++)
            CHECK_EQ(RD(*o[i]), i % 100);
    }
    return NULL;
}

static int threads(void)
{
    int64_t STM_HEAP *first;
    STM_ATOMIC {
        first = stm_alloc(SIZE); /* main's warm-up for the class */
    }
    CHECK(_stm_test_current() == 1);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, worker, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    (void)first;
    printf("values ok\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "threads"))
        return threads();
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
           s2.pool_puts > s1.pool_puts ? "yes" : "no",
           s3.pool_takes > s2.pool_takes ? "yes" : "no");

    BEGIN();
    for (int i = 0; i < N + 200; i++)
        CHECK_EQ(RD(*theirs[i]), i);
    for (int i = 0; i < 64; i++)
        CHECK_EQ(RD(*more[i]), i);
    CHECK(COMMIT());
    printf("values ok\n");
    return 0;
}
