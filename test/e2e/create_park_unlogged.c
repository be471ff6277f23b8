// A program that uses the heap, starts one worker and joins it: while only the first segment
// has ever been held, pthread_create (and thrd_create) parks the creator's segment, and the
// worker takes it at its first heap access, so its short commits stay unlogged (counters
// create_parks, parked_taken, commits_unlogged).  Here the worker's first heap access comes
// while main still sleeps before pthread_join, with its segment: without the parking the
// worker took a second segment, and every commit after was logged (a user's port lost the
// unlogged commits in 2 runs of 12 that way).  STM_NO_CREATE_PARK=1: that second segment.
// Both ways the worker's results are right, main sees them after the join, and a second
// round (a worker started while main holds no segment) works the same; C11's thrd_create too.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t -lpthread
// RUN: %run %t | FileCheck %s --check-prefixes=CHECK,PARK
// RUN: env STM_NO_CREATE_PARK=1 %run %t | FileCheck %s --check-prefixes=CHECK,KEEP
// RUN: env STM_INJECT_ABORTS=3 %run %t | FileCheck %s --check-prefixes=CHECK
// RUN: env STM_NO_UNLOGGED=1 %run %t | FileCheck %s --check-prefixes=CHECK,LOGGED
// CHECK: pthread: counter 20000, total 20000
// PARK-SAME: , parked for it 1, taken 1, unlogged: all
// KEEP-SAME: , parked for it 0, taken 0, unlogged: none
// LOGGED-SAME: , parked for it 0, taken 0, unlogged: none
// CHECK: thrd: counter 40000, total 40000
// CHECK: DONE
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>
#include <threads.h>
#include <time.h>

#define N 20000

typedef STM_HEAP struct acc { long counter; long cells[64]; } acc_t;
static acc_t *g;

static void *work(void *arg)
{
    (void)arg;
    for (long i = 0; i < N; i++)
        STM_ATOMIC {
            g->counter++;
            g->cells[i % 64]++;
        }
    return NULL;
}

static int work11(void *arg)
{
    work(arg);
    return 0;
}

static long total(void)
{
    long t = 0;
    STM_ATOMIC {
        t = 0;
        for (int i = 0; i < 64; i++)
            t += g->cells[i];
    }
    return t;
}

int main(void)
{
    g = stm_alloc(sizeof *g); /* main holds segment 1 from here */
    struct stm_stats a, b;
    stm_stats_get(&a);
    pthread_t t;
    pthread_create(&t, NULL, work, NULL);
    struct timespec ms50 = {0, 50 * 1000 * 1000};
    nanosleep(&ms50, NULL); /* the worker's first access comes now, main not yet joining */
    pthread_join(t, NULL);
    stm_stats_get(&b);
    unsigned long long unlogged = b.commits_unlogged - a.commits_unlogged;
    printf("pthread: counter %ld, total %ld, parked for it %llu, taken %llu, unlogged: %s\n",
           g->counter, total(), (unsigned long long)(b.create_parks - a.create_parks),
           (unsigned long long)(b.parked_taken - a.parked_taken),
           unlogged >= N ? "all" : unlogged == 0 ? "none" : "some");
    thrd_t t11;
    thrd_create(&t11, work11, NULL);
    thrd_join(t11, NULL);
    printf("thrd: counter %ld, total %ld\n", g->counter, total());
    printf("DONE\n");
    return 0;
}
