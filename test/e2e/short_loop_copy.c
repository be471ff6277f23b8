// A loop outside atomic blocks whose only runtime code is its safe point (its heap reads ranged
// before it) and whose trip count is computable runs a copy without the safe point when it
// takes fewer than 1024 steps (-stmc-short-loop-copies, -stmc-short-loop-trips): the report
// counts the copies, and the sums are right at 0, 1, 1023, 1024, 1025 and 5000 steps (both
// versions, and the boundary).  A long run keeps its safe point: main writes the heap outside
// blocks (its implicit transaction then holds the token, which every commit waits for) and
// sums 4 M longs, again and again, while a second thread commits blocks, and some of those
// commits land during one sum (with the copy taken for every run, none could: main would hold
// the token from the sum's start to its end).  And a recursive walk whose only loop is a
// short row sum (each run takes the copy): the other thread's commits land during the walk,
// through the safe point after each run (without it, none did: a review's walk held the
// token 1.35 s).  -stmc-short-loop-copies=0: no copy, the same results.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t -lpthread -mllvm -stmc-report 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: %stmcc -O2 %s -o %toff -lpthread -mllvm -stmc-short-loop-copies=0 -mllvm -stmc-report 2>&1 | FileCheck %s --check-prefix=REPORT-OFF
// RUN: %run %t | FileCheck %s
// RUN: %run %toff | FileCheck %s
// REPORT: {{[1-9][0-9]*}} loops copied without one for short runs)
// REPORT-OFF: 0 loops copied without one for short runs)
// CHECK: sums right: 0 1 1023 1024 1025 5000
// CHECK: commits during a long sum: yes
// CHECK: commits during a walk of short sums: yes
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define BIG (4L << 20)

static long STM_HEAP *arr;
static long STM_HEAP *counter;
static long STM_HEAP *mine;
static int stop;
static long commits; /* the other thread's, counted after each (plain, __atomic) */

__attribute__((noinline)) static long sum(long n)
{
    long s = 0;
    for (long j = 0; j < n; j++)
        s += arr[j];
    return s;
}

__attribute__((noinline)) static long walk(long lo, long hi)
{
    if (hi - lo == 1)
        return sum(64 + lo % 64); /* a short run: the copy */
    long mid = (lo + hi) / 2;
    return walk(lo, mid) + walk(mid, hi);
}

static void *committer(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
        STM_ATOMIC { *counter += 1; }
        __atomic_add_fetch(&commits, 1, __ATOMIC_RELEASE);
    }
    return NULL;
}

int main(void)
{
    arr = stm_alloc(BIG * sizeof(long));
    counter = stm_alloc(sizeof(long));
    mine = stm_alloc(sizeof(long));
    for (long j = 0; j < BIG; j++)
        arr[j] = j % 7;
    static const long ns[] = {0, 1, 1023, 1024, 1025, 5000};
    printf("sums right:");
    for (unsigned k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        long want = 0;
        for (long j = 0; j < ns[k]; j++)
            want += j % 7;
        if (sum(ns[k]) == want)
            printf(" %ld", ns[k]);
    }
    printf("\n");
    pthread_t t;
    pthread_create(&t, NULL, committer, NULL);
    long most = 0, want = 0;
    for (long j = 0; j < BIG; j++)
        want += j % 7;
    for (int r = 0; r < 40 && most < 3; r++) {
        *mine = r; /* a write: main's implicit transaction holds the token through the sum */
        /* relaxed loads, which do not end the implicit transaction (acquire ones would) */
        long before = __atomic_load_n(&commits, __ATOMIC_RELAXED);
        long s = sum(BIG);
        long during = __atomic_load_n(&commits, __ATOMIC_RELAXED) - before;
        if (s != want)
            printf("wrong long sum %ld\n", s);
        if (during > most)
            most = during;
    }
    long most_walk = 0;
    for (int r = 0; r < 40 && most_walk < 3; r++) {
        *mine = r;
        long before = __atomic_load_n(&commits, __ATOMIC_RELAXED);
        (void)walk(0, 1 << 14);
        long during = __atomic_load_n(&commits, __ATOMIC_RELAXED) - before;
        if (during > most_walk)
            most_walk = during;
    }
    __atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
    printf("commits during a long sum: %s\n", most >= 3 ? "yes" : "no");
    printf("commits during a walk of short sums: %s\n", most_walk >= 3 ? "yes" : "no");
    return 0;
}
