/* test/runtime/test.h - shared helpers of the runtime tests (explicit barriers, no plugin).
 *
 * RD(lv) / WR(lv, v): a barriered load / store of a heap lvalue.  With
 * STMC_TEST_PLUGIN_BARRIERS defined (the e2e tests compile the same stress programs through
 * stmcc) they are plain accesses and the plugin inserts every barrier.
 * CHECK(cond): prints "FAIL file:line: cond" and exits 1.
 * SWITCH(i): run the following test-hook transactions in segment i (one thread plays several).
 * Stress tests take --threads N (default 2) and --ops M (default per test) on the command line.
 */
#ifndef STMC_TEST_H
#define STMC_TEST_H

/* RD/WR below are explicit barriers: stmc.h does not warn about a compile without the plugin */
#define STMC_EXPLICIT_BARRIERS
#include <stmc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef STMC_TEST_PLUGIN_BARRIERS
#ifndef __STMC_PLUGIN__
#error "STMC_TEST_PLUGIN_BARRIERS is for programs compiled through stmcc (the plugin inserts the barriers)"
#endif
#define RD(lv) (lv)
#define WR(lv, v) ((void)((lv) = (v)))
#else
#define RD(lv) STM_LOAD(lv)
#define WR(lv, v) STM_STORE(lv, v)
#endif

#define CHECK(c)                                                                               \
    do {                                                                                       \
        if (!(c)) {                                                                            \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c);                                \
            fflush(stdout);                                                                    \
            exit(1);                                                                           \
        }                                                                                      \
    } while (0)

#define CHECK_EQ(a, b)                                                                         \
    do {                                                                                       \
        long long a_ = (long long)(a), b_ = (long long)(b);                                    \
        if (a_ != b_) {                                                                        \
            printf("FAIL %s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, #a,    \
                   a_, #b, b_);                                                                \
            fflush(stdout);                                                                    \
            exit(1);                                                                           \
        }                                                                                      \
    } while (0)

#define SWITCH(i) _stm_test_switch(i)
#define BEGIN() _stm_test_begin()
#define COMMIT() _stm_test_commit()

static inline uint64_t OFF(const void STM_HEAP *p) { return (uint64_t)(uintptr_t)p; }

static inline struct stm_stats stats(void)
{
    struct stm_stats s;
    stm_stats_get(&s);
    return s;
}

#ifndef STMC_NO_STM
/* In segment 1: a new object of size bytes (zero), its first int64 set to first, committed. */
static inline void STM_HEAP *committed_object(size_t size, int64_t first)
{
    SWITCH(1);
    BEGIN();
    int64_t STM_HEAP *o = (int64_t STM_HEAP *)stm_alloc(size);
    WR(*o, first);
    CHECK(COMMIT());
    return o;
}
#endif

static inline void sleep_ms(int ms)
{
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* Command line of the stress tests. */
static int opt_threads = 2;
static long opt_ops = 0;
static unsigned opt_seed = 1;
static inline void parse_args(int argc, char **argv, long default_ops)
{
    opt_ops = default_ops;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--threads"))
            opt_threads = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--ops"))
            opt_ops = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--seed"))
            opt_seed = (unsigned)atol(argv[i + 1]);
    }
    if (opt_threads < 1)
        opt_threads = 1;
}

/* A small deterministic PRNG (xorshift64*), one per thread. */
static inline uint64_t rnd(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static inline void run_threads(int n, void *(*fn)(void *), void **args)
{
    pthread_t t[256];
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, fn, args ? args[i] : (void *)(intptr_t)i);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
}

/* How many times one atomic block runs (1 + its aborts): for the tests of the abort flags. */
static inline int block_runs(void)
{
    static int runs;
    runs = 0;
    STM_ATOMIC {
        runs++;
    }
    return runs;
}

#endif /* STMC_TEST_H */
