// Seeded random operations checked against a serial replay.  Every transaction takes a ticket
// from a counter in the heap (so the tickets give the commit order), then does a few random
// reads, writes, allocations (replacing an object and freeing the old one) and records what
// it read.  Afterwards the transactions are replayed serially in ticket order on a plain C
// model, which must read exactly the same values.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 --threads 3 --seed 7 | FileCheck %s
// CHECK: replay ok
// CHECK: DONE
#include "test.h"

#define SLOTS 48
#define NOPS 4
typedef struct { int64_t v; int64_t pad; } box_t;
typedef struct {
    int64_t ticket;
    int64_t pad;
    int64_t val[SLOTS * 2];          /* plain values, 16 bytes apart */
    box_t STM_HEAP *box[SLOTS];      /* boxed values, replaced on write */
} world_t;
static world_t STM_HEAP *w;

struct rec {
    int64_t ticket;
    uint8_t kind[NOPS], slot[NOPS];
    int64_t arg[NOPS], seen[NOPS];
};
static struct rec *recs[64];

static void *worker(void *p)
{
    int id = (int)(intptr_t)p;
    uint64_t seed = opt_seed * 1000003ULL + (uint64_t)id * 7777 + 1;
    for (long i = 0; i < opt_ops; i++) {
        struct rec r;
        if (i % 8 == id % 8)
            _stm_test_quiesce();      /* mix kept snapshots with announcing starts */
        for (int k = 0; k < NOPS; k++) {
            r.kind[k] = (uint8_t)(rnd(&seed) % 4);
            r.slot[k] = (uint8_t)(rnd(&seed) % SLOTS);
            r.arg[k] = (int64_t)(rnd(&seed) % 1000);
        }
        STM_ATOMIC {
            r.ticket = RD(w->ticket);
            WR(w->ticket, r.ticket + 1);
            for (volatile int z = 0; z < 200; z++) /* widen the window: more overlap, more aborts */
                ;
            for (int k = 0; k < NOPS; k++) {
                int s = r.slot[k];
                switch (r.kind[k]) {
                case 0: r.seen[k] = RD(w->val[2 * s]); break;
                case 1: r.seen[k] = RD(w->val[2 * s]); WR(w->val[2 * s], r.seen[k] + r.arg[k]); break;
                case 2: { box_t STM_HEAP *b = RD(w->box[s]); r.seen[k] = b ? RD(b->v) : -1; break; }
                default: {
                    box_t STM_HEAP *old = RD(w->box[s]);
                    r.seen[k] = old ? RD(old->v) : -1;
                    box_t STM_HEAP *nb = stm_alloc(sizeof *nb);
                    WR(nb->v, r.arg[k]);
                    WR(w->box[s], nb);
                    stm_free(old);
                }
                }
            }
        }
        recs[id][i] = r;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, 20000);
    if (opt_threads > 64) opt_threads = 64;
    w = stm_alloc(sizeof *w);
    for (int t = 0; t < opt_threads; t++)
        recs[t] = calloc((size_t)opt_ops, sizeof(struct rec));
    run_threads(opt_threads, worker, NULL);

    long total = opt_threads * opt_ops;
    struct rec **order = calloc((size_t)total, sizeof *order);
    for (int t = 0; t < opt_threads; t++)
        for (long i = 0; i < opt_ops; i++) {
            int64_t tk = recs[t][i].ticket;
            CHECK(tk >= 0 && tk < total && !order[tk]);
            order[tk] = &recs[t][i];
        }
    int64_t val[SLOTS] = {0}, box[SLOTS];
    for (int s = 0; s < SLOTS; s++)
        box[s] = -1;
    for (long n = 0; n < total; n++) {
        struct rec *r = order[n];
        for (int k = 0; k < NOPS; k++) {
            int s = r->slot[k];
            int64_t want = r->kind[k] < 2 ? val[s] : box[s];
            if (r->seen[k] != want) {
                printf("FAIL ticket %ld op %d: saw %lld, serial replay says %lld\n", n, k,
                       (long long)r->seen[k], (long long)want);
                return 1;
            }
            if (r->kind[k] == 1) val[s] += r->arg[k];
            if (r->kind[k] == 3) box[s] = r->arg[k];
        }
    }
    STM_ATOMIC {
        for (int s = 0; s < SLOTS; s++) {
            CHECK_EQ(RD(w->val[2 * s]), val[s]);
            box_t STM_HEAP *b = RD(w->box[s]);
            CHECK_EQ(b ? RD(b->v) : -1, box[s]);
        }
    }
    struct stm_stats st = stats();
    fprintf(stderr, "random: %ld transactions, %llu aborts, %llu inevitable retries\n", total,
            (unsigned long long)st.aborts, (unsigned long long)st.inevitable_retries);
    printf("replay ok\nDONE\n");
    return 0;
}
