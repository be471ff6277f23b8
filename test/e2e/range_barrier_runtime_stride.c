// Range barriers with a stride known only at run time (-stmc-runtime-strides: `s += m[k *
// cols + j]`, a column of a matrix whose width is a variable) and at an address that is the
// same on every iteration though the loop computes it (-stmc-invariant-ranges: `c[i * n + j]
// += a[i * n + k] * b[k * n + j]` over k, in a block).
// Phase 1, one thread playing two segments (test hooks): after a column sum in segment 1, the
// read markers of that column's granules are set and those of a column two further are not;
// segment 2's commit to the other column does not abort segment 1, its commit to the summed
// column does.
// Phase 2: four threads each run 3000 blocks that sum two columns and add 1 to a random
// element of them while the sum is below LIMIT, subtract 1 once it is at LIMIT: no block may
// see the sum above LIMIT (with the column marks dropped, two blocks that both saw LIMIT - 1
// both commit).
// Phase 3: two threads multiply matrices in blocks (a block per row of the product, the row's
// cells stored through the loop-invariant address) while a third thread's blocks change the
// factors' last rows, which the rows checked read (b's) or not (a's) but whose values do not
// change them: the product equals the one computed without stmc.
// Both switch states give the same results; the report lines tell them apart.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t2 -mllvm -stmc-report 2>&1 | FileCheck --check-prefix=REPORT %s
// RUN: %stmcc -O2 %s -o %t2off -mllvm -stmc-runtime-strides=0 -mllvm -stmc-invariant-ranges=0 -mllvm -stmc-report 2>&1 | FileCheck --check-prefix=REPORT-OFF %s
// RUN: %stmcc -O0 %s -o %t0
// RUN: %run %t2 | FileCheck %s
// RUN: %run %t2off | FileCheck %s
// RUN: %run %t0 | FileCheck %s
// REPORT: of them strided (2 by a stride known at run time), 1 at a loop-invariant address,
// REPORT-OFF: of them strided (0 by a stride known at run time), 0 at a loop-invariant address,
// CHECK: phase 1: sum 64, column marked 64, column + 2 marked 0
// CHECK: phase 1: the other column committed by another segment: commit 1; the summed column: commit 0
// CHECK: phase 2: sum at the limit, above the limit never
// CHECK: phase 3: product right
#include <stmc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define LIMIT 2000
#define THREADS 4

typedef long STM_HEAP *mat_t;

static volatile long v_rows = 64, v_cols = 16, v_n = 24; /* run-time values */
static mat_t m, a, b, c;

__attribute__((noinline)) static long col_sum(mat_t x, long rows, long cols, long j)
{
    long s = 0;
    for (long k = 0; k < rows; k++)
        s += x[k * cols + j];
    return s;
}

/* (the matrices as parameters: a global pointer is read again at each step of the loop) */
__attribute__((noinline)) static void product_row(mat_t x, mat_t y, mat_t z, long i, long n)
{
    STM_ATOMIC {
        for (long j = 0; j < n; j++) {
            z[i * n + j] = 0;
            for (long k = 0; k < n; k++)
                z[i * n + j] += x[i * n + k] * y[k * n + j];
        }
    }
}

static uint64_t off(const void STM_HEAP *p) { return (uint64_t)(uintptr_t)p; }

static void phase1(long rows, long cols)
{
    _stm_test_switch(1);
    _stm_test_begin();
    m = stm_alloc(rows * cols * sizeof(long));
    for (long k = 0; k < rows; k++)
        m[k * cols + 4] = 1;
    if (!_stm_test_commit())
        abort();
    long s = 0;
    int marked = 0, other = 0, ok[2];
    for (int round = 0; round < 2; round++) {
        _stm_test_switch(1);
        _stm_test_begin();
        long t = col_sum(m, rows, cols, 4);
        for (long k = 0; round == 0 && k < rows; k++) {
            marked += _stm_test_rmark(off(&m[k * cols + 4])) != 0;
            other += _stm_test_rmark(off(&m[k * cols + 6])) != 0;
        }
        if (round == 0)
            s = t;
        m[1] = t; /* a write: the commit validates */
        _stm_test_switch(2);
        _stm_test_begin();
        m[5 * cols + (round == 0 ? 6 : 4)] += 1;
        if (!_stm_test_commit())
            abort();
        _stm_test_switch(1);
        ok[round] = _stm_test_commit();
    }
    printf("phase 1: sum %ld, column marked %d, column + 2 marked %d\n", s, marked, other);
    printf("phase 1: the other column committed by another segment: commit %d; the summed "
           "column: commit %d\n", ok[0], ok[1]);
    _stm_test_switch(1);
}

static int above[THREADS];

static void *adder(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    long rows = v_rows, cols = v_cols;
    for (int k = 0; k < 3000; k++) {
        long r = rand_r(&seed) % rows, j = rand_r(&seed) & 1 ? 3 : 9, seen;
        STM_ATOMIC {
            seen = col_sum(m, rows, cols, 3) + col_sum(m, rows, cols, 9);
            long d = seen < LIMIT ? 1 : -1;
            if (d > 0 || m[r * cols + j] > 0)
                m[r * cols + j] += d;
        }
        if (seen > LIMIT)
            above[(uintptr_t)arg - 1] = 1;
    }
    return NULL;
}

static void *multiplier(void *arg)
{
    long n = v_n;
    for (long i = (long)(uintptr_t)arg; i < n - 1; i += 2)
        product_row(a, b, c, i, n);
    return NULL;
}

static void *mover(void *arg)
{
    (void)arg;
    long n = v_n;
    for (int k = 0; k < 2000; k++) {
        long x = k % n, y = (k * 7 + 1) % n;
        STM_ATOMIC {
            a[(n - 1) * n + x] -= 3;
            a[(n - 1) * n + y] += 3;
            b[(n - 1) * n + y] += k & 7;
        }
    }
    return NULL;
}

int main(void)
{
    long rows = v_rows, cols = v_cols, n = v_n;
    phase1(rows, cols);

    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, adder, (void *)(uintptr_t)(i + 1));
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    long s;
    STM_ATOMIC { s = col_sum(m, rows, cols, 3) + col_sum(m, rows, cols, 9); }
    int any = 0;
    for (int i = 0; i < THREADS; i++)
        any |= above[i];
    printf("phase 2: sum %s, above the limit %s\n",
           s == LIMIT || s == LIMIT - 1 ? "at the limit" : "WRONG", any ? "yes" : "never");

    /* Rows 0..n-2 of the product.  The mover changes the factors' last rows: a's is in no
     * such row's product, and b's is multiplied by a[i][n - 1], which is 0: the product stays
     * exact, while its blocks read cells that the mover's commits change (b's last row). */
    a = stm_alloc(n * n * sizeof(long));
    b = stm_alloc(n * n * sizeof(long));
    c = stm_alloc(n * n * sizeof(long));
    long *pa = malloc(n * n * sizeof(long)), *pb = malloc(n * n * sizeof(long));
    for (long i = 0; i < n * n; i++) {
        pa[i] = (i * 7 + 3) % 11 - 5;
        pb[i] = (i * 5 + 1) % 13 - 6;
        if (i % n == n - 1)
            pa[i] = 0; /* a[i][n - 1] multiplies b's last row, which the mover changes */
        a[i] = pa[i];
        b[i] = pb[i];
    }
    pthread_t mt[3];
    pthread_create(&mt[0], NULL, multiplier, (void *)(uintptr_t)0);
    pthread_create(&mt[1], NULL, multiplier, (void *)(uintptr_t)1);
    pthread_create(&mt[2], NULL, mover, NULL);
    for (int i = 0; i < 3; i++)
        pthread_join(mt[i], NULL);
    int right = 1;
    for (long i = 0; i < n - 1; i++)
        for (long j = 0; j < n; j++) {
            long want = 0;
            for (long k = 0; k < n; k++)
                want += pa[i * n + k] * pb[k * n + j];
            right &= c[i * n + j] == want;
        }
    printf("phase 3: product %s\n", right ? "right" : "WRONG");
    return 0;
}
