/* examples/bench_support.h - what every stmc example shares.
 *
 * One source, three builds:
 *   stmc      build/bin/stmcc -O2 x.c              STM_HEAP data, real transactions
 *   baseline  build/bin/stmcc --no-stm -O2 x.c     plain C, atomic blocks under one global lock
 *   GCC TM    gcc -O2 -fgnu-tm -DSTMC_GNU_TM x.c   atomic blocks are __transaction_atomic (libitm)
 *
 * In the examples:
 *   - shared data is `T STM_HEAP *`, allocated with stm_alloc() and released with stm_free();
 *   - worker threads touch the heap only inside STM_ATOMIC { ... } blocks, which must be left by
 *     falling off their end (no return/break/goto out of them);
 *   - a function called inside an atomic block is marked TM_SAFE (GCC TM needs it; empty
 *     elsewhere) and calls nothing that stmc did not compile (no libc, no libm), so that the
 *     transaction never has to become inevitable;
 *   - non-heap state written inside an atomic block is not rolled back on abort: only assign
 *     (never accumulate into) locals there, and count statistics after the block.
 *
 * Output protocol, parsed by examples/bench/run.py:
 *   "time_ms: <float>"  the wall time of the parallel phase (threads released to all joined)
 *   "check: ok"         last line; or "check: FAILED <why>" and exit status 1.
 */
#ifndef STMC_BENCH_SUPPORT_H
#define STMC_BENCH_SUPPORT_H

#define _GNU_SOURCE 1
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(STMC_GNU_TM)
/* ---- GCC TM: plain pointers, libitm transactions ---- */
#  define STM_HEAP
#  define STM_IMMUTABLE
#  define STM_PURE
#  define STM_EXTERNAL
#  define STM_ATOMIC __transaction_atomic
#  define TM_SAFE __attribute__((transaction_safe))
/* malloc/calloc/free are transaction-safe builtins under -fgnu-tm. */
#  define stm_alloc(n) calloc(1, (n))
#  define stm_free(p) free(p)
#  define BENCH_BUILD "gcctm"
#else
#  if defined(__has_include)
#    if __has_include(<stmc.h>)
#      include <stmc.h>
#    else
#      include "stmc_nostm_shim.h"
#    endif
#  else
#    include <stmc.h>
#  endif
#  define TM_SAFE
#  if defined(STMC_NO_STM)
#    define BENCH_BUILD "baseline"
#  else
#    define BENCH_BUILD "stmc"
#  endif
#endif

#define BENCH_UNUSED __attribute__((unused))

/* ---------------------------------------------------------------- options */

struct bench_opt {
    const char *name;   /* "--threads" */
    long *value;        /* in: default, out: parsed value */
    const char *help;   /* ends with "(default ...)" when the default is not *value's */
};

static BENCH_UNUSED void bench_usage(const char *prog, const struct bench_opt *o, int n)
{
    fprintf(stderr, "usage: %s", prog);
    for (int i = 0; i < n; i++)
        fprintf(stderr, " [%s N]", o[i].name);
    fprintf(stderr, "\n");
    for (int i = 0; i < n; i++)
        if (strstr(o[i].help, "(default")) /* it says the default itself */
            fprintf(stderr, "  %-12s %s\n", o[i].name, o[i].help);
        else
            fprintf(stderr, "  %-12s %s (default %ld)\n", o[i].name, o[i].help, *o[i].value);
}

/* Parses "--name N" and "--name=N" for every option in o; exits 2 on anything else. */
static BENCH_UNUSED void bench_parse(int argc, char **argv, const struct bench_opt *o, int n)
{
    for (int a = 1; a < argc; a++) {
        const char *arg = argv[a], *val = NULL;
        int k;
        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            bench_usage(argv[0], o, n);
            exit(0);
        }
        for (k = 0; k < n; k++) {
            size_t len = strlen(o[k].name);
            if (!strncmp(arg, o[k].name, len)) {
                if (arg[len] == '=') { val = arg + len + 1; break; }
                if (arg[len] == '\0' && a + 1 < argc) { val = argv[++a]; break; }
            }
        }
        char *end = NULL;
        if (k == n || !val || !*val) {
            fprintf(stderr, "%s: bad argument '%s'\n", argv[0], arg);
            bench_usage(argv[0], o, n);
            exit(2);
        }
        double d = strtod(val, &end);   /* accepts 1e6 */
        if (*end) {
            fprintf(stderr, "%s: bad number '%s' for %s\n", argv[0], val, o[k].name);
            exit(2);
        }
        *o[k].value = (long)d;
    }
}

/* ---------------------------------------------------------------- time, threads */

static BENCH_UNUSED double bench_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Per-thread records (counters a worker updates on every operation): each on lines of its
 * own, so that one worker's stores do not take the line of the other's fields away (in an
 * array of 72-byte records two workers shared a line: hashmap at 2 threads, 3% of its time,
 * in every build).  Put BENCH_PER_THREAD on the record's first member (the record's size
 * becomes a multiple of 128: the adjacent-line prefetcher fetches lines in pairs) and allocate
 * the array with bench_per_thread (zeroed). */
#define BENCH_PER_THREAD _Alignas(128)
static BENCH_UNUSED void *bench_per_thread(int nthreads, size_t size)
{
    if (size % 128 != 0) {
        fprintf(stderr, "bench: a per-thread record of %zu bytes: its first member needs "
                        "BENCH_PER_THREAD\n", size);
        exit(2);
    }
    void *p = aligned_alloc(128, (size_t)nthreads * size);
    if (!p) {
        fprintf(stderr, "bench: out of memory\n");
        exit(2);
    }
    return memset(p, 0, (size_t)nthreads * size);
}

struct bench_thread {
    pthread_t tid;
    void *(*fn)(void *);
    void *arg;
    pthread_barrier_t *ready, *go;
};

static void *bench__trampoline(void *p)
{
    struct bench_thread *t = p;
    pthread_barrier_wait(t->ready);
    pthread_barrier_wait(t->go);
    return t->fn(t->arg);
}

/* Runs fn(base + i * stride) on nthreads threads released together; returns the wall time in
 * ms from their release until the last one is joined.  Two barriers: once every thread is
 * waiting at the second one, the clock starts and the main thread releases them (taking the
 * time after a single barrier would let a worker run before the clock starts). */
static BENCH_UNUSED double bench_run_threads(int nthreads, void *(*fn)(void *), void *base,
                                             size_t stride)
{
    struct bench_thread *t = calloc((size_t)nthreads, sizeof *t);
    pthread_barrier_t ready, go;
    if (!t || pthread_barrier_init(&ready, NULL, (unsigned)nthreads + 1) ||
        pthread_barrier_init(&go, NULL, (unsigned)nthreads + 1)) {
        fprintf(stderr, "bench: out of memory\n");
        exit(2);
    }
    for (int i = 0; i < nthreads; i++) {
        t[i].fn = fn;
        t[i].arg = (char *)base + (size_t)i * stride;
        t[i].ready = &ready;
        t[i].go = &go;
        if (pthread_create(&t[i].tid, NULL, bench__trampoline, &t[i])) {
            fprintf(stderr, "bench: pthread_create failed\n");
            exit(2);
        }
    }
    pthread_barrier_wait(&ready);
    double t0 = bench_now_ms();
    pthread_barrier_wait(&go);
    for (int i = 0; i < nthreads; i++)
        pthread_join(t[i].tid, NULL);
    double t1 = bench_now_ms();
    pthread_barrier_destroy(&ready);
    pthread_barrier_destroy(&go);
    free(t);
    return t1 - t0;
}

/* The [lo, hi) share of thread i among n of the range [0, total). */
static BENCH_UNUSED void bench_split(long total, int n, int i, long *lo, long *hi)
{
    *lo = (long)((__int128)total * i / n);
    *hi = (long)((__int128)total * (i + 1) / n);
}

/* Work handed out as it is done, in chunks of `chunk` items of [0, total) (as duhton's
 * transaction queue does): the next chunk from the shared counter *next, or false when none is
 * left.  For work whose items differ in cost, where bench_split's equal ranges would leave one
 * thread with the most expensive range and the others waiting. */
static BENCH_UNUSED bool bench_take(long *next, long chunk, long total, long *lo, long *hi)
{
    long i = __atomic_fetch_add(next, chunk, __ATOMIC_RELAXED);
    if (i >= total)
        return false;
    *lo = i;
    *hi = i + chunk < total ? i + chunk : total;
    return true;
}

/* ---------------------------------------------------------------- random numbers */

/* xorshift64*: deterministic per seed; the state is a thread's local variable. */
static inline TM_SAFE uint64_t bench_rand(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static inline BENCH_UNUSED uint64_t bench_seed(long seed, int tid)
{
    uint64_t s = (uint64_t)seed * 0x9E3779B97F4A7C15ULL + (uint64_t)tid * 0xD1B54A32D192ED03ULL;
    return s ? s : 1;
}

/* Uniform in [0, n). */
static inline BENCH_UNUSED long bench_rand_below(uint64_t *s, long n)
{
    return (long)((bench_rand(s) >> 11) % (uint64_t)n);
}

/* ---------------------------------------------------------------- reporting */

static BENCH_UNUSED void bench_header(const char *name, int nthreads, const char *fmt, ...)
{
    printf("example: %s\nbuild: %s\nthreads: %d\n", name, BENCH_BUILD, nthreads);
    if (fmt && *fmt) {
        va_list ap;
        printf("params: ");
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
    }
}

static BENCH_UNUSED void bench_time(double ms)
{
    printf("time_ms: %.3f\n", ms);
}

/* Prints the final line and returns the process exit status. */
static BENCH_UNUSED int bench_check(bool ok, const char *fmt, ...)
{
    if (ok) {
        printf("check: ok\n");
    } else {
        va_list ap;
        printf("check: FAILED ");
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
    }
    fflush(stdout);
    return ok ? 0 : 1;
}

static BENCH_UNUSED int bench_threads_ok(long n)
{
    if (n < 1 || n > 1024) {
        fprintf(stderr, "bad --threads %ld\n", n);
        exit(2);
    }
    return (int)n;
}

#endif /* STMC_BENCH_SUPPORT_H */
