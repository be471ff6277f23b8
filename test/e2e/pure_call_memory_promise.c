// A function declared `pure` (memory(read)) whose loop has a safe point: the safe point may end
// the implicit transaction and give the segment back, which writes the segment header.  The
// pass drops the attribute from such functions and their calls (-stmc-report: "functions
// whose memory attributes were dropped").  With it kept, GVN reused the header's RV loaded
// before the call for the read after it: with 16 threads on 2 segments the fast path read the
// heap with no segment held ("heap access ... in a thread that holds no segment", 6 of 6 runs;
// a review's find).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t2 && env STM_SEGMENTS=2 %run %t2 | FileCheck %s
// RUN: env STM_SEGMENTS=2 %run %t2 | FileCheck %s
// RUN: %stmcc -O1 %s -o %t1 && env STM_SEGMENTS=2 %run %t1 | FileCheck %s
// RUN: %stmcc -Os %s -o %ts && env STM_SEGMENTS=2 %run %ts | FileCheck %s
// Called through an alias declared pure (the promise was on the calls, kept before):
// RUN: %stmcc -O2 -DALIAS %s -o %ta && env STM_SEGMENTS=2 %run %ta | FileCheck %s
// RUN: %stmcc -O2 -mllvm -stmc-report -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// CHECK: 16 threads: sums ok
// REPORT: functions whose memory attributes were dropped (they may end a transaction) 1
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>

typedef STM_HEAP struct n { long v; STM_HEAP struct n *next; } n_t;
typedef STM_HEAP struct h { long x, pad, z; } h_t;
static h_t *P;
static n_t *L;
static long sums[16];

__attribute__((pure, noinline)) long plen(n_t *l)
{
    long k = 0;
    while (l) { /* a safe point */
        k += l->v;
        l = l->next;
    }
    return k;
}

#ifdef ALIAS
extern long plen2(n_t *l) __attribute__((pure, alias("plen")));
#define plen plen2
#endif

__attribute__((noinline)) long work(h_t *p, n_t *l)
{
    long a = p->x; /* the read barrier loads RV */
    long k = plen(l);
    long z = p->z; /* must not reuse that RV */
    return a + k + z;
}

static void *worker(void *arg)
{
    long s = 0;
    for (int i = 0; i < 200000; i++)
        s += work(P, L);
    sums[(long)arg] = s;
    return NULL;
}

int main(void)
{
    P = stm_alloc(sizeof *P);
    L = stm_alloc(sizeof *L);
    P->x = 1;
    P->z = 2;
    L->v = 3;
    pthread_t t[16];
    for (long i = 0; i < 16; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    int ok = 1;
    for (long i = 0; i < 16; i++) {
        pthread_join(t[i], NULL);
        ok &= sums[i] == 1200000;
    }
    printf("16 threads: sums %s\n", ok ? "ok" : "WRONG");
    return 0;
}
