// Heap loads through the segment's flat base (-stmc-flat-loops) under contention and segment
// switches.  A sorted list of N nodes in the heap; writers move value between two nodes and
// replace a node by one with a new key (unlink, stm_free, stm_alloc, link at its sorted place),
// so the count, the sum of the values and the order never change.  Readers walk the whole list
// in read-only blocks: the walk is a call-free loop of a read-only clone, so its loads go
// through the flat base (the report counts them), and each walk checks the three invariants: a
// torn snapshot, or a base left over from another segment, would be counted.  With
// STM_SEGMENTS=2 the four threads share two segments, so a thread's segment (and %gs base)
// changes between its blocks.  Also with the flat loads switched off.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 -mllvm -stmc-report %s -o %t 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: %run %t 4 | FileCheck %s
// RUN: env STM_SEGMENTS=2 %run %t 4 | FileCheck %s
// RUN: env STM_INJECT_ABORTS=3 %run %t 3 | FileCheck %s
// RUN: %stmcc -O2 -mllvm -stmc-flat-loops=false -mllvm -stmc-report %s -o %t.off 2>&1 | FileCheck %s --check-prefix=REPORT-OFF
// RUN: env STM_SEGMENTS=2 %run %t.off 4 | FileCheck %s
// REPORT: heap loads through the segment base in call-free loops {{[1-9][0-9]*}}
// REPORT-OFF-NOT: segment base
// CHECK: walks {{[1-9][0-9]*}}, unmarked walks yes
// CHECK-NEXT: violations 0
// CHECK-NEXT: final: count ok, sum ok, order ok
#include "../runtime/test.h"

#define N 200
#define VAL 100
#define OPS 60000
#define KEYS (1L << 40)

struct node {
    long key;
    long val;
    struct node STM_HEAP *next;
};
struct list {
    struct node STM_HEAP *head;
};
static struct list STM_HEAP *list;
static long violations[8], walks[8];

// Count, sum and order of the whole list: one call-free loop.
static long walk(const struct list STM_HEAP *l, long *sum)
{
    long n = 0, s = 0, last = -1, bad = 0;
    for (const struct node STM_HEAP *p = l->head; p; p = p->next) {
        bad += p->key <= last;
        last = p->key;
        s += p->val;
        n++;
    }
    *sum = s;
    return bad ? -1 : n;
}

// No loop of its own: the block's call to it is not kept out of line, so the optimiser inlines
// it (and, through it, walk's clone) into worker, where the thread's segment changes between
// blocks: the flat base must be loaded after the block has started, not before.
static long checked_walk(const struct list STM_HEAP *l, long *sum)
{
    return walk(l, sum);
}

// The node at position i (0-based) and its predecessor's link.
static struct node STM_HEAP *STM_HEAP *link_at(long i)
{
    struct node STM_HEAP *STM_HEAP *link = &list->head;
    while (i-- > 0 && *link)
        link = &(*link)->next;
    return link;
}

static void insert_sorted(struct node STM_HEAP *n)
{
    struct node STM_HEAP *STM_HEAP *link = &list->head;
    while (*link && (*link)->key < n->key)
        link = &(*link)->next;
    n->next = *link;
    *link = n;
}

static int key_present(long k)
{
    for (struct node STM_HEAP *p = list->head; p && p->key <= k; p = p->next)
        if (p->key == k)
            return 1;
    return 0;
}

static void *worker(void *arg)
{
    long id = (long)(intptr_t)arg;
    uint64_t x = 0x9E3779B97F4A7C15ULL * (uint64_t)(id + 1);
    for (int k = 0; k < OPS; k++) {
        uint64_t r = rnd(&x);
        if (r % 4 == 0) { // move value between two nodes
            long a = (long)((r >> 8) % N), b = (long)((r >> 24) % N), amount = (long)(r >> 40) % 7;
            STM_ATOMIC {
                struct node STM_HEAP *na = *link_at(a), *nb = *link_at(b);
                if (na->val >= amount) {
                    na->val -= amount;
                    nb->val += amount;
                }
            }
        } else if (r % 4 == 1) { // replace a node by one with a new key
            long i = (long)((r >> 8) % N), key = (long)((r >> 20) % KEYS) + 1;
            struct node STM_HEAP *fresh = stm_alloc(sizeof *fresh);
            int used = 0;
            STM_ATOMIC {
                used = 0;
                if (!key_present(key)) {
                    struct node STM_HEAP *STM_HEAP *link = link_at(i), *old = *link;
                    *link = old->next;
                    fresh->key = key;
                    fresh->val = old->val;
                    insert_sorted(fresh);
                    stm_free(old);
                    used = 1;
                }
            }
            if (!used)
                stm_free(fresh);
        } else { // read-only walk
            long n = 0, sum = 0;
            STM_ATOMIC {
                n = checked_walk(list, &sum);
            }
            violations[id] += n != N || sum != (long)N * VAL;
            walks[id]++;
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int nthreads = argc > 1 ? atoi(argv[1]) : 2;
    if (nthreads < 1 || nthreads > 8)
        nthreads = 2;
    list = stm_alloc(sizeof *list);
    for (long i = N; i > 0; i--) { // keys 10, 20, ..., inserted at the head
        struct node STM_HEAP *n = stm_alloc(sizeof *n);
        n->key = i * 10;
        n->val = VAL;
        n->next = list->head;
        list->head = n;
    }
    struct stm_stats before, after;
    stm_stats_get(&before);
    run_threads(nthreads, worker, NULL);
    stm_stats_get(&after);
    long v = 0, w = 0;
    for (int i = 0; i < nthreads; i++) {
        v += violations[i];
        w += walks[i];
    }
    printf("walks %ld, unmarked walks %s\n", w, after.unmarked > before.unmarked ? "yes" : "no");
    printf("violations %ld\n", v);
    long sum = 0, n = walk(list, &sum);
    printf("final: count %s, sum %s, order %s\n", n == N ? "ok" : "BAD",
           sum == (long)N * VAL ? "ok" : "BAD", n != -1 ? "ok" : "BAD");
    return v != 0 || n != N || sum != (long)N * VAL;
}
