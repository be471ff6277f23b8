// Implicit transactions (code outside atomic blocks) record a first store to a granule as atomic
// blocks do: by the write barrier's inline append, or the slow path's one-granule case, not by
// its general path (a loop storing heap structs outside blocks ran 1.7x slower once they were
// stores rather than runtime copies).  Both still end the transaction at its size limit:
// with STM_IMPLICIT_MAX_GRANULES=100, a loop that writes 1000 granules breaks it about ten
// times (implicit_breaks), and each break publishes what came before (a second thread reads
// the array afterwards).  And one that wrote 1-16 granules commits by the short path
// (commits_short): "short" ends 100 implicit transactions of two granules each at a call of a
// C library function (sched_yield), and a second thread checks what they published.  STM_NO_IMPLICIT_FAST=1: the general paths, the same results.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,FAST
// RUN: env STM_NO_IMPLICIT_FAST=1 %run %t | FileCheck %s --check-prefixes=CHECK,GENERAL
// RUN: env STM_IMPLICIT_MAX_GRANULES=100 %run %t | FileCheck %s --check-prefixes=CHECK,FAST,LIMIT
// RUN: env STM_IMPLICIT_MAX_GRANULES=100 STM_NO_IMPLICIT_FAST=1 %run %t | FileCheck %s --check-prefixes=CHECK,GENERAL,LIMIT
// FAST: recorded without the general path: yes
// GENERAL: recorded without the general path: no
// LIMIT: breaks at the size limit: 9 or more
// CHECK: reader: sum ok
// RUN: %run %t short | FileCheck %s --check-prefix=SHORT
// RUN: env STM_NO_IMPLICIT_FAST=1 %run %t short | FileCheck %s --check-prefix=LONG
// SHORT: implicit commits by the short path: 100
// SHORT: reader: pairs ok
// LONG: implicit commits by the short path: 0
// LONG: reader: pairs ok
#include <stmc.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

#define N 1000
struct g { long v, pad; }; /* one granule each */
static struct g STM_HEAP *arr;

static void *reader(void *arg)
{
    (void)arg;
    long sum = 0;
    for (int i = 0; i < N; i++)
        sum += arr[i].v;
    printf("reader: sum %s\n", sum == (long)N * (N + 1) / 2 ? "ok" : "WRONG");
    return NULL;
}

static void *pair_reader(void *arg)
{
    (void)arg;
    int ok = 1;
    for (int i = 0; i < 100; i++)
        ok &= arr[2 * i].v == i && arr[2 * i + 1].v == -i;
    printf("reader: pairs %s\n", ok ? "ok" : "WRONG");
    return NULL;
}

int main(int argc, char **argv)
{
    arr = stm_alloc(N * sizeof *arr);
    if (argc > 1) { /* "short" */
        STM_ATOMIC {
        }
        struct stm_stats a, b;
        stm_stats_get(&a);
        for (int i = 0; i < 100; i++) {
            arr[2 * i].v = i; /* two granules, then a call that ends the transaction */
            arr[2 * i + 1].v = -i;
            sched_yield(); /* a C library call: ends the implicit transaction */
        }
        stm_stats_get(&b);
        printf("implicit commits by the short path: %llu\n",
               (unsigned long long)(b.commits_short - a.commits_short));
        pthread_t t;
        pthread_create(&t, NULL, pair_reader, NULL);
        pthread_join(t, NULL);
        return 0;
    }
    STM_ATOMIC {
    } /* ends the allocation's implicit transaction: the loop below starts a new one */
    struct stm_stats a, b;
    stm_stats_get(&a);
    for (int i = 0; i < N; i++)
        arr[i].v = i + 1;
    stm_stats_get(&b); /* (a runtime call: the implicit transaction goes on) */
    unsigned long quick = (b.writes_inline - a.writes_inline) + (b.writes_fast - a.writes_fast);
    unsigned long breaks = b.implicit_breaks - a.implicit_breaks;
    printf("recorded without the general path: %s\n", quick >= N / 2 ? "yes" : "no");
    if (breaks >= 9)
        printf("breaks at the size limit: 9 or more\n");
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    pthread_join(t, NULL);
    return 0;
}
