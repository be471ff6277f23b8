// Opacity under concurrency: no transaction, not even one that later aborts, sees a state that
// no serial order could produce.  The heap holds pairs whose two halves always sum to zero, a
// total (the sum of every pair's first half) that never changes, and a pointer that writers
// swing between two nodes whose "other" fields always point at each other.  Writers move an
// amount between two pairs; they check the invariants they can see INSIDE the block (a zombie
// reading torn data would see them broken there, before any commit-time validation could save
// it).  Auditors only read (so their pages stay shared with the committed copy: exactly the
// case the committer's forced copy-on-write protects): they sum every pair twice in one
// transaction and check both sums, and every pair, inside the block.  Any violation seen in a
// block is counted, whether that transaction commits or aborts.  The final state is checked
// against the serial model: the number of committed updates per pair.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 --threads 3 | FileCheck %s
// RUN: env STM_MAX_ABORTS=1 %run %t2 --threads 2 | FileCheck %s
// CHECK: opacity ok
// CHECK: DONE
#include "test.h"

#define NPAIRS 32
typedef struct { int64_t a, b; int64_t updates, pad; } pair_t;   /* a + b == 0, always */
typedef STM_HEAP struct twin { STM_HEAP struct twin *other; int64_t tag; } twin_t;

static pair_t STM_HEAP *pairs;
static twin_t *twins[2];
static twin_t *STM_HEAP *cursor;   /* the one shared pointer writers swing */
static long violations, audits, per_thread_updates[64][NPAIRS];
static volatile int writers_done;
static int64_t total_a;

static void *auditor(void *p)
{
    (void)p;
    while (!writers_done) {
        int bad = 0;
        STM_ATOMIC {
            bad = 0;
            int64_t s1 = 0, s2 = 0;
            for (int k = 0; k < NPAIRS; k++) {
                int64_t a = RD(pairs[k].a);
                s1 += a;
                if (a + RD(pairs[k].b) != 0)
                    bad = 1;
            }
            for (volatile int spin = 0; spin < 200; spin++)
                ;
            for (int k = 0; k < NPAIRS; k++)
                s2 += RD(pairs[k].a);
            if (s1 != total_a || s2 != total_a)
                bad = 1;
            if (bad)
                __atomic_fetch_add(&violations, 1, __ATOMIC_RELAXED);
        }
        audits++;
    }
    return NULL;
}

static void *worker(void *p)
{
    int id = (int)(uintptr_t)p;
    uint64_t seed = 0x2545F4914F6CDD1DULL * (uint64_t)(id + 1);
    for (long i = 0; i < opt_ops; i++) {
        int x = (int)(rnd(&seed) % NPAIRS), y = (int)(rnd(&seed) % NPAIRS);
        int64_t d = (int64_t)(rnd(&seed) % 7) + 1;
        int seen_bad = 0, committed_x = -1, committed_y = -1;
        STM_ATOMIC {
            seen_bad = 0;
            int64_t xa = RD(pairs[x].a), ya = RD(pairs[y].a);
            int64_t xb = RD(pairs[x].b), yb = RD(pairs[y].b);
            if (xa + xb != 0 || ya + yb != 0)
                seen_bad = 1;
            twin_t *c = RD(*cursor);
            twin_t *o = RD(c->other);
            if (RD(o->other) != c)
                seen_bad = 1;
            /* Move d from pair y's first half to pair x's (each pair still sums to zero, the
             * total of first halves is unchanged), and swing the cursor. */
            if (y != x) {
                WR(pairs[x].a, xa + d);
                WR(pairs[x].b, RD(pairs[x].b) - d);
                WR(pairs[y].a, RD(pairs[y].a) - d);
                WR(pairs[y].b, RD(pairs[y].b) + d);
                WR(pairs[y].updates, RD(pairs[y].updates) + 1);
            }
            WR(pairs[x].updates, RD(pairs[x].updates) + 1);
            WR(*cursor, o);
            committed_x = x;
            committed_y = y;
            if (seen_bad)
                __atomic_fetch_add(&violations, 1, __ATOMIC_RELAXED);
        }
        per_thread_updates[id][committed_x]++;
        if (committed_y != committed_x)
            per_thread_updates[id][committed_y]++;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, 20000);
    CHECK(opt_threads <= 64);
    pairs = stm_alloc(sizeof(pair_t) * NPAIRS);
    twins[0] = stm_alloc(sizeof(struct twin));
    twins[1] = stm_alloc(sizeof(struct twin));
    cursor = stm_alloc(sizeof *cursor);
    STM_ATOMIC {
        for (int k = 0; k < NPAIRS; k++) {
            WR(pairs[k].a, 1000 * k);
            WR(pairs[k].b, -1000 * k);
        }
        WR(twins[0]->other, twins[1]);
        WR(twins[1]->other, twins[0]);
        WR(*cursor, twins[0]);
    }
    for (int k = 0; k < NPAIRS; k++)
        total_a += 1000 * k;
    pthread_t aud;
    pthread_create(&aud, NULL, auditor, NULL);
    run_threads(opt_threads, worker, NULL);
    writers_done = 1;
    pthread_join(aud, NULL);
    CHECK_EQ(violations, 0);
    for (int k = 0; k < NPAIRS; k++) {
        long expect = 0;
        for (int t = 0; t < opt_threads; t++)
            expect += per_thread_updates[t][k];
        int64_t a, b, u;
        STM_ATOMIC {
            a = RD(pairs[k].a);
            b = RD(pairs[k].b);
            u = RD(pairs[k].updates);
        }
        CHECK_EQ(a + b, 0);
        CHECK_EQ(u, expect);
    }
    struct stm_stats s = stats();
    fprintf(stderr, "commits %llu aborts %llu audits %ld\n", (unsigned long long)s.commits,
            (unsigned long long)s.aborts, audits);
    printf("opacity ok\nDONE\n");
    return 0;
}
