// Strided range barriers (-stmc-strided-ranges): a counted loop that reads one field of each
// element of a heap array of structs (`s += v[i].val`, 32- and 24-byte elements) marks, before
// the loop, the granules of that field in each element, and not the others.  Phase 1, one
// thread playing two segments (test hooks): after the sums in segment 1, the read markers of
// `val` are set and those of a granule holding only `pad` are not (a range over the whole
// array would set them: conflicts with writers of other fields); segment 2's commit of a `pad`
// does not abort segment 1, its commit of a `val` does.  Phase 2: four threads each run 4000
// blocks that sum the vals of both arrays and add 1 to the val of a random element while the
// sum is below LIMIT, subtract 1 once it is at LIMIT: no block may see the sum above LIMIT
// (with the strided marks dropped from the runtime, blocks that both saw LIMIT - 1 both
// committed: seen above it in 5 runs of 5), and the sum ends at LIMIT or LIMIT - 1.
// Both switch states give the same results (per-access barriers mark the same granules);
// the report line tells them apart.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t2 -mllvm -stmc-report 2>&1 | FileCheck --check-prefix=REPORT %s
// RUN: %stmcc -O2 %s -o %t2off -mllvm -stmc-strided-ranges=0 -mllvm -stmc-report 2>&1 | FileCheck --check-prefix=REPORT-OFF %s
// RUN: %stmcc -O0 %s -o %t0
// RUN: %run %t2 | FileCheck %s
// RUN: %run %t2off | FileCheck %s
// RUN: %run %t0 | FileCheck %s
// REPORT: 2 of them strided
// REPORT-OFF: 0 of them strided
// CHECK: phase 1: sums 512 512, val marked 512 512, pad-only granules marked 0 0
// CHECK: phase 1: a pad committed by another segment: commit 1; a val: commit 0
// CHECK: phase 2: sum at the limit, above the limit never
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

#define N 512
#define LIMIT 3000
#define THREADS 4

typedef STM_HEAP struct wide { long key, val, pad, more; } wide_t;    /* 32 bytes */
typedef STM_HEAP struct narrow { long key, val, pad; } narrow_t;      /* 24 bytes */

static wide_t *w;
static narrow_t *na;

__attribute__((noinline)) static long sum_wide(const wide_t *v, long n)
{
    long s = 0;
    for (long i = 0; i < n; i++)
        s += v[i].val;
    return s;
}

__attribute__((noinline)) static long sum_narrow(const narrow_t *v, long n)
{
    long s = 0;
    for (long i = 0; i < n; i++)
        s += v[i].val;
    return s;
}

static uint64_t off(const void STM_HEAP *p) { return (uint64_t)(uintptr_t)p; }

static void phase1(void)
{
    _stm_test_switch(1);
    _stm_test_begin();
    w = stm_alloc(N * sizeof *w);
    na = stm_alloc(N * sizeof *na);
    for (long i = 0; i < N; i++) {
        w[i].val = 1;
        na[i].val = 1;
    }
    if (!_stm_test_commit())
        abort();

    long s1 = 0, s2 = 0;
    int vw = 0, vn = 0, pw = 0, pn = 0, ok[2];
    for (int round = 0; round < 2; round++) {
        _stm_test_switch(1);
        _stm_test_begin();
        long t1 = sum_wide(w, N), t2 = sum_narrow(na, N);
        for (long i = 0; round == 0 && i < N; i++) {
            vw += _stm_test_rmark(off(&w[i].val)) != 0;
            vn += _stm_test_rmark(off(&na[i].val)) != 0;
            pw += _stm_test_rmark(off(&w[i].pad)) != 0;
            if (i % 2 == 0) /* an even element's pad is alone in its granule */
                pn += _stm_test_rmark(off(&na[i].pad)) != 0;
        }
        if (round == 0) {
            s1 = t1;
            s2 = t2;
        }
        w[0].more = t1; /* a write: the commit validates (no I/O here: it would be inevitable) */
        _stm_test_switch(2);
        _stm_test_begin();
        if (round == 0) {
            w[7].pad++;
            na[8].pad++;
        } else {
            na[9].val++;
        }
        if (!_stm_test_commit())
            abort();
        _stm_test_switch(1);
        ok[round] = _stm_test_commit();
    }
    printf("phase 1: sums %ld %ld, val marked %d %d, pad-only granules marked %d %d\n", s1, s2, vw,
           vn, pw, pn);
    printf("phase 1: a pad committed by another segment: commit %d; a val: commit %d\n", ok[0],
           ok[1]);
    _stm_test_switch(2);
    _stm_test_begin();
    na[9].val--;
    if (!_stm_test_commit())
        abort();
}

static int above[THREADS];

static void *adder(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    for (int k = 0; k < 4000; k++) {
        long idx = rand_r(&seed) % N, seen;
        STM_ATOMIC {
            seen = sum_wide(w, N) + sum_narrow(na, N);
            long d = seen < LIMIT ? 1 : -1; /* hovers at LIMIT, never above it */
            if (idx & 1) {
                if (d > 0 || w[idx].val > 0)
                    w[idx].val += d;
            } else {
                if (d > 0 || na[idx].val > 0)
                    na[idx].val += d;
            }
        }
        if (seen > LIMIT)
            above[(uintptr_t)arg - 1] = 1;
    }
    return NULL;
}

int main(void)
{
    phase1();
    _stm_test_switch(1);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, adder, (void *)(uintptr_t)(i + 1));
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    long s;
    STM_ATOMIC { s = sum_wide(w, N) + sum_narrow(na, N); }
    int any = 0;
    for (int i = 0; i < THREADS; i++)
        any |= above[i];
    printf("phase 2: sum %s, above the limit %s\n",
           s == LIMIT || s == LIMIT - 1 ? "at the limit" : "WRONG", any ? "yes" : "never");
    return 0;
}
