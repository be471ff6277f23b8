// Sorted linked list (insert / delete with stm_free / contains) by N threads, checked against
// a serial model: per key, successful inserts minus successful deletes equals final presence,
// and the list stays sorted without duplicates.  Readers walk nodes that others free
// concurrently: deferred reuse keeps that safe.
// REQUIRES: stmc-runtime
// RUN: %clang -O0 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t0 && %run %t0 | FileCheck %s
// RUN: %clang -O2 -I%stmc_include %s %stmc_lib/libstmc.a -lpthread -ldl -o %t2 && %run %t2 --threads 3 | FileCheck %s
// CHECK: list ok
// CHECK: DONE
#include "test.h"

#define KEYS 128
typedef struct node { int64_t key; struct node STM_HEAP *next; } node_t;
static node_t STM_HEAP *head;
static long counts[64][KEYS];

static int op(int kind, int64_t key)
{
    int r = 0;
    STM_ATOMIC {
        node_t STM_HEAP *prev = head;
        node_t STM_HEAP *cur = RD(head->next);
        while (cur && RD(cur->key) < key) {
            prev = cur;
            cur = RD(cur->next);
        }
        int found = cur && RD(cur->key) == key;
        r = 0;
        if (kind == 0 && !found) {
            node_t STM_HEAP *n = stm_alloc(sizeof *n);
            WR(n->key, key);
            WR(n->next, cur);
            WR(prev->next, n);
            r = 1;
        } else if (kind == 1 && found) {
            WR(prev->next, RD(cur->next));
            stm_free(cur);
            r = 1;
        } else if (kind == 2) {
            r = found;
        }
    }
    return r;
}

static void *worker(void *p)
{
    int id = (int)(intptr_t)p;
    uint64_t seed = 12345 + (uint64_t)id * 7919;
    for (long i = 0; i < opt_ops; i++) {
        int kind = (int)(rnd(&seed) % 3);
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
    head = stm_alloc(sizeof *head);
    WR(head->key, -1);
    run_threads(opt_threads, worker, NULL);
    int present[KEYS] = {0};
    int64_t last = -1;
    long n = 0;
    STM_ATOMIC {
        last = -1;
        n = 0;
        memset(present, 0, sizeof present);
        for (node_t STM_HEAP *c = RD(head->next); c; c = RD(c->next)) {
            int64_t k = RD(c->key);
            CHECK(k > last);
            CHECK(k >= 0 && k < KEYS);
            present[k] = 1;
            last = k;
            n++;
        }
    }
    for (int k = 0; k < KEYS; k++) {
        long sum = 0;
        for (int t = 0; t < opt_threads; t++)
            sum += counts[t][k];
        CHECK_EQ(sum, present[k]);
    }
    struct stm_stats s = stats();
    fprintf(stderr, "list: %ld nodes, commits %llu aborts %llu reused %llu\n", n,
            (unsigned long long)s.commits, (unsigned long long)s.aborts,
            (unsigned long long)s.frees_reused);
    printf("list ok\nDONE\n");
    return 0;
}
