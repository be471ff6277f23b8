// Hash set (chained buckets, insert / delete with stm_free / contains) by N threads, checked
// against a serial model as in stress_list.c, plus a size counter kept in the heap that must
// equal the number of elements.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 --threads 3 | FileCheck %s
// CHECK: hashset ok
// CHECK: DONE
#include "test.h"

#define KEYS 1024
#define NB 64
typedef struct ent { int64_t key; struct ent STM_HEAP *next; } ent_t;
typedef struct { ent_t STM_HEAP *b[NB]; int64_t size; } set_t;
static set_t STM_HEAP *set;
static long counts[64][KEYS];

static int op(int kind, int64_t key)
{
    int r = 0;
    STM_ATOMIC {
        ent_t STM_HEAP *STM_HEAP *link = &set->b[key % NB];
        ent_t STM_HEAP *cur = RD(*link);
        while (cur && RD(cur->key) != key) {
            link = &cur->next;
            cur = RD(cur->next);
        }
        r = 0;
        if (kind == 0 && !cur) {
            ent_t STM_HEAP *n = stm_alloc(sizeof *n);
            WR(n->key, key);
            WR(n->next, RD(set->b[key % NB]));
            WR(set->b[key % NB], n);
            WR(set->size, RD(set->size) + 1);
            r = 1;
        } else if (kind == 1 && cur) {
            WR(*link, RD(cur->next));
            stm_free(cur);
            WR(set->size, RD(set->size) - 1);
            r = 1;
        } else if (kind == 2) {
            r = cur != NULL;
        }
    }
    return r;
}

static void *worker(void *p)
{
    int id = (int)(intptr_t)p;
    uint64_t seed = 999 + (uint64_t)id * 104729;
    for (long i = 0; i < opt_ops; i++) {
        /* mostly lookups, so that the size counter is not the only thing that conflicts */
        uint64_t r = rnd(&seed) % 10;
        int kind = r < 2 ? 0 : r < 4 ? 1 : 2;
        int64_t key = (int64_t)(rnd(&seed) % KEYS);
        if (op(kind, key) && kind < 2)
            counts[id][key] += kind == 0 ? 1 : -1;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv, 20000);
    if (opt_threads > 64) opt_threads = 64;
    set = stm_alloc(sizeof *set);
    run_threads(opt_threads, worker, NULL);
    static int present[KEYS];
    long n = 0;
    for (int b = 0; b < NB; b++)
        for (ent_t STM_HEAP *c = RD(set->b[b]); c; c = RD(c->next)) {
            int64_t k = RD(c->key);
            CHECK(k >= 0 && k < KEYS && k % NB == b);
            CHECK(!present[k]);
            present[k] = 1;
            n++;
        }
    CHECK_EQ(RD(set->size), n);
    for (int k = 0; k < KEYS; k++) {
        long sum = 0;
        for (int t = 0; t < opt_threads; t++)
            sum += counts[t][k];
        CHECK_EQ(sum, present[k]);
    }
    printf("hashset ok\nDONE\n");
    return 0;
}
