/* demo.c - the headline demo of stmc (`make demo`).
 *
 * A bank: accounts live in the STM heap; worker threads move money between random accounts in
 * atomic blocks, with no lock in the source.  Each transfer first computes a fee inside the
 * block (a few microseconds of real work, as a transaction in a real program would do), so the
 * atomic blocks are worth running in parallel.  The plugin inserts every barrier.  (With
 * `work` near 0 the blocks are a few dozen instructions and stmc's single commit lock, not the
 * work, decides the rate: see docs/bench/results.md, "bank".)
 *
 * `make demo` builds this file twice from the same source: with stmcc (atomic blocks run as
 * transactions, in parallel) and with `stmcc --no-stm` (atomic blocks take one global lock),
 * and runs both on 1 and N threads.  The total must never change.
 *
 *   build/bin/stmcc -O2 examples/demo.c -o demo && ./demo [threads] [transfers per thread] [work]
 */
#include <stmc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NACCOUNTS 4096
#define INITIAL   1000

typedef STM_HEAP struct account {
    long balance;
    long transfers;
} account_t;

static account_t *accounts; /* a heap pointer kept in a plain global: the array is in the STM heap */
static long per_thread = 50000, work = 20000;

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* The fee of a transfer: a small deterministic computation on the two balances. */
static long fee(long a, long b)
{
    uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15ull ^ (uint64_t)b;
    for (long i = 0; i < work; i++)
        h = h * 6364136223846793005ull + 1442695040888963407ull;
    return (long)(h >> 62); /* 0..3 */
}

static void *worker(void *arg)
{
    uint64_t seed = 0x9E3779B97F4A7C15ull * ((uintptr_t)arg + 1);
    for (long i = 0; i < per_thread; i++) {
        unsigned a = next_rand(&seed) % NACCOUNTS, b = next_rand(&seed) % NACCOUNTS;
        long amount = (long)(next_rand(&seed) % 50);
        STM_ATOMIC {
            long f = fee(accounts[a].balance, accounts[b].balance);
            if (a != b && accounts[a].balance >= amount + f) {
                accounts[a].balance -= amount + f;
                accounts[b].balance += amount;
                accounts[(a + b) % NACCOUNTS].balance += f; /* the fee goes to a third account */
                accounts[a].transfers++;
            }
        }
    }
    return NULL;
}

static double run(int nthreads)
{
    pthread_t t[64];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < nthreads; i++)
        pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i);
    for (int i = 0; i < nthreads; i++)
        pthread_join(t[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
}

static long total(void)
{
    long sum = 0;
    STM_ATOMIC {
        sum = 0;
        for (int i = 0; i < NACCOUNTS; i++)
            sum += accounts[i].balance;
    }
    return sum;
}

int main(int argc, char **argv)
{
    int nthreads = argc > 1 ? atoi(argv[1]) : 2;
    if (argc > 2)
        per_thread = atol(argv[2]);
    if (argc > 3)
        work = atol(argv[3]);
    if (nthreads < 1 || nthreads > 64 || per_thread < 1 || work < 0) {
        fprintf(stderr, "usage: %s [threads 1..64] [transfers per thread] [work per transfer]\n",
                argv[0]);
        return 2;
    }
#ifdef STMC_NO_STM
    printf("one global lock (stmcc --no-stm, the same source):\n");
#else
    printf("stmc (atomic blocks run as transactions):\n");
#endif
    accounts = stm_alloc(sizeof(struct account) * NACCOUNTS);
    STM_ATOMIC {
        for (int i = 0; i < NACCOUNTS; i++)
            accounts[i].balance = INITIAL;
    }
    const long expect = (long)NACCOUNTS * INITIAL;
    int ok = 1;
    double rate1 = 0;
    for (int n = 1; n <= nthreads; n = n < nthreads && n * 2 > nthreads ? nthreads : n * 2) {
        struct stm_stats before, after;
        stm_stats_get(&before);
        double rate = (double)n * (double)per_thread / run(n) / 1e6; /* M transfers/s */
        stm_stats_get(&after);
        if (n == 1)
            rate1 = rate;
        long sum = total();
        printf("  %2d thread%s: %5.2f M transfers/s (%.2fx the 1-thread rate)", n,
               n == 1 ? " " : "s", rate, rate / rate1);
#ifndef STMC_NO_STM
        /* Conflicts only: not the read-only attempts that met a write and ran again with read
         * markers (unmarked_upgrades, also counted in aborts). */
        printf(", %llu commits, %llu conflict aborts",
               (unsigned long long)(after.commits_atomic - before.commits_atomic),
               (unsigned long long)((after.aborts - after.unmarked_upgrades) -
                                    (before.aborts - before.unmarked_upgrades)));
#endif
        printf("; total %ld %s\n", sum, sum == expect ? "ok" : "WRONG");
        if (sum != expect)
            ok = 0;
    }
    printf("  %s\n", ok ? "money conserved" : "FAILED: money was created or lost");
    return ok ? 0 : 1;
}
