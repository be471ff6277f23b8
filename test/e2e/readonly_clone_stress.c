// Read-only clones under contention: audit() only reads and maybe_transfer() reads and then
// (usually) writes; both are called from atomic blocks, so the plugin clones them without read
// barriers and calls the clones while a block runs unmarked.  A transfer in an unmarked block
// writes from inside the clone: the block aborts and runs again with markers.  Auditors check
// the invariant (the total) inside their blocks, so a torn snapshot would be counted.  A block
// that withdraws from one account of a pair after pair_sum() read both must not use the clone
// once it runs with markers: its read of the other account must be marked, or two threads
// withdrawing from the two accounts of a pair at once would both commit (write skew) and the
// pair would go negative.  Also with unmarked attempts off (the clones never run) and without
// clones.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 -mllvm -stmc-report %s -o %t 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: %run %t 3 | FileCheck %s --check-prefix=ON
// RUN: env STM_NO_UNMARKED=1 %run %t 2 | FileCheck %s --check-prefix=OFF
// RUN: %stmcc -O2 -mllvm -stmc-readonly-clones=false %s -o %t.noclones
// RUN: %run %t.noclones 2 | FileCheck %s --check-prefix=ON
// REPORT: read-only clones 3
// ON: violations 0
// ON: unmarked yes, upgrades yes
// ON: total ok
// ON: pairs ok
// OFF: violations 0
// OFF: unmarked no, upgrades no
// OFF: total ok
// OFF: pairs ok
#include <stmc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define N 64
#define TOTAL (N * 1000L)
#define OPS 60000

struct acct {
    long balance;
    long pad;
};
static struct acct STM_HEAP *accts;

static __attribute__((noinline)) long audit(const struct acct STM_HEAP *a)
{
    long s = 0;
    for (int i = 0; i < N; i++)
        s += a[i].balance;
    return s;
}

static __attribute__((noinline)) int maybe_transfer(struct acct STM_HEAP *a, int from, int to,
                                                    long amount)
{
    if (a[from].balance < amount)
        return 0;
    a[from].balance -= amount;
    a[to].balance += amount;
    return 1;
}

static __attribute__((noinline)) long pair_sum(const struct acct STM_HEAP *a, int p)
{
    return a[2 * p].balance + a[2 * p + 1].balance;
}

#define PAIRS 2
static struct acct STM_HEAP *pairs;   /* PAIRS pairs; invariant: each pair's sum >= 0 */
static long violations[8], withdrawn[8];

static void *worker(void *arg)
{
    long id = (long)(intptr_t)arg;
    uint64_t x = 0x9E3779B97F4A7C15ULL * (uint64_t)(id + 1);
    for (int k = 0; k < OPS; k++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if (x % 8 == 1) {
            int p = (int)((x >> 8) % PAIRS), side = (int)((x >> 16) & 1);
            long amount = 1 + (long)((x >> 24) % 150), took = 0;
            STM_ATOMIC {
                took = 0;
                if (pair_sum(pairs, p) >= amount) {
                    for (volatile int d = 0; d < 200; d++) /* widen the race window */
                        ;
                    pairs[2 * p + side].balance -= amount;
                    took = amount;
                }
            }
            withdrawn[id] += took;
        } else if (x % 8 == 3) {
            int p = (int)((x >> 8) % PAIRS), side = (int)((x >> 16) & 1);
            long amount = 1 + (long)((x >> 24) % 100);
            STM_ATOMIC {
                pairs[2 * p + side].balance += amount;
            }
            withdrawn[id] -= amount;
        } else if (x % 4 == 0) {
            long bad = 0;
            STM_ATOMIC {
                bad = audit(accts) != TOTAL;
                for (int p = 0; p < PAIRS; p++)
                    bad += pair_sum(pairs, p) < 0;
            }
            violations[id] += bad;
        } else {
            int from = (int)((x >> 8) % N), to = (int)((x >> 20) % N);
            long amount = (long)((x >> 32) % 200);
            STM_ATOMIC {
                maybe_transfer(accts, from, to, amount);
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int nthreads = argc > 1 ? atoi(argv[1]) : 2;
    if (nthreads < 1 || nthreads > 8)
        nthreads = 2;
    accts = stm_alloc(sizeof(struct acct) * N);
    for (int i = 0; i < N; i++)
        accts[i].balance = 1000;
    pairs = stm_alloc(sizeof(struct acct) * 2 * PAIRS);
    for (int i = 0; i < 2 * PAIRS; i++)
        pairs[i].balance = 100;
    struct stm_stats before, after;
    stm_stats_get(&before);
    pthread_t t[8];
    for (long i = 0; i < nthreads; i++)
        pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
    for (int i = 0; i < nthreads; i++)
        pthread_join(t[i], NULL);
    stm_stats_get(&after);
    long v = 0;
    for (int i = 0; i < nthreads; i++)
        v += violations[i];
    printf("violations %ld\n", v);
    printf("unmarked %s, upgrades %s\n", after.unmarked > before.unmarked ? "yes" : "no",
           after.unmarked_upgrades > before.unmarked_upgrades ? "yes" : "no");
    long total = audit(accts);
    printf("total %s (%ld)\n", total == TOTAL ? "ok" : "WRONG", total);
    long w = 0, left = 0, negative = 0;
    for (int i = 0; i < nthreads; i++)
        w += withdrawn[i];
    for (int p = 0; p < PAIRS; p++) {
        left += pair_sum(pairs, p);
        negative += pair_sum(pairs, p) < 0;
    }
    printf("pairs %s (%ld negative, %ld left, %ld withdrawn net)\n",
           negative == 0 && left + w == 2 * PAIRS * 100L ? "ok" : "WRONG", negative, left, w);
    return v == 0 && total == TOTAL && negative == 0 ? 0 : 1;
}
