// An atomic block whose retry ran STM_LONG_ATTEMPT_US (default 1 ms) or longer and then
// aborted for a conflict runs inevitable next (counter long_attempts), not after
// STM_MAX_ABORTS (10) aborts: a long block that other threads' commits keep aborting wasted
// ten long attempts before.  Here each attempt of main's block reads x, writes y, spins ~5 M
// TSC cycles (a few ms; no call, which would make it inevitable), then lets the other thread
// commit a write of x and waits for it, and asks for validation: every attempt that is not
// inevitable aborts.  Default: two aborts (the first attempt's is not timed), then the
// inevitable run.  STM_LONG_ATTEMPT_US=0: ten.  STM_LONG_ATTEMPT_US=1000000 (1 s): ten too
// (attempts shorter than that).  A second, short block (no spin) keeps its ten retries by
// default.  The values are right every way.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t -lpthread
// RUN: %run %t | FileCheck %s --check-prefix=EARLY
// RUN: env STM_LONG_ATTEMPT_US=0 %run %t | FileCheck %s --check-prefix=LATE
// RUN: env STM_LONG_ATTEMPT_US=1000000 %run %t | FileCheck %s --check-prefix=LATE
// EARLY: aborts before the inevitable run: 2, long attempts 1, inevitable retries 1
// LATE: aborts before the inevitable run: 10, long attempts 0, inevitable retries 1
// EARLY: x 2, y matches: yes
// LATE: x 10, y matches: yes
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>

typedef STM_HEAP struct pair { long x, pad; long y; } pair_t;
static pair_t *p;
static long go, done, stop, attempts; /* plain memory, __atomic_* only: not rolled back */

static void *rival(void *arg)
{
    (void)arg;
    for (long k = 1;; k++) {
        while (__atomic_load_n(&go, __ATOMIC_ACQUIRE) < k)
            if (__atomic_load_n(&stop, __ATOMIC_ACQUIRE))
                return NULL;
        STM_ATOMIC { p->x++; }
        __atomic_store_n(&done, k, __ATOMIC_RELEASE);
    }
}

int main(void)
{
    p = stm_alloc(sizeof *p);
    pthread_t t;
    pthread_create(&t, NULL, rival, NULL);
    struct stm_stats a, b;
    stm_stats_get(&a);
    STM_ATOMIC {
        long x = p->x;
        p->y = x + 1000; /* a write: a read-only attempt upgrades here, before the rest */
        unsigned long long t0 = __builtin_ia32_rdtsc();
        while (__builtin_ia32_rdtsc() - t0 < 5000000)
            __builtin_ia32_pause();
        if (!stm_is_inevitable()) {
            long k = __atomic_add_fetch(&attempts, 1, __ATOMIC_RELAXED);
            __atomic_store_n(&go, k, __ATOMIC_RELEASE);
            while (__atomic_load_n(&done, __ATOMIC_ACQUIRE) < k)
                __builtin_ia32_pause();
            stm_validate(); /* x changed: aborts */
        }
    }
    stm_stats_get(&b);
    __atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
    printf("aborts before the inevitable run: %ld, long attempts %llu, inevitable retries %llu\n",
           attempts, (unsigned long long)(b.long_attempts - a.long_attempts),
           (unsigned long long)(b.inevitable_retries - a.inevitable_retries));
    long x = 0, y = 0;
    STM_ATOMIC {
        x = p->x;
        y = p->y;
    }
    printf("x %ld, y matches: %s\n", x, y == x + 1000 ? "yes" : "no");
    return 0;
}
