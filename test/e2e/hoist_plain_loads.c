// Loads of plain memory at loop-invariant addresses move out of call-free loops
// (-stmc-hoist-plain-loads), in and outside atomic blocks: the row pointer `g_rows[c]` (a
// malloc'ed array of heap rows, itself read through a global) and a bound read from a
// global, so that the heap accesses get range barriers.
// - A load in the body moves behind `if (the body runs)`: with g_rows NULL and a bound of 0
//   nothing is read (made unconditional, the moved load faults here).
// - A load that a store of the loop may change stays: `sum_swapping` stores through a pointer
//   that is g_rows[c]'s own slot, and its sum counts the second row after the swap (moved,
//   it would sum the first row only: 1 * 8 instead of 1 * 2 + 1000 * 6).
// - Two threads sum rows outside blocks and add to them in blocks (and count what they added
//   in the heap) while a third moves values between rows in blocks and checks, in a block of
//   its own, that the rows hold the first total plus what was added; at the end, the total is
//   the first plus every addition (lost updates would show).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t2 -mllvm -stmc-report 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: %stmcc -O2 %s -o %t2off -mllvm -stmc-hoist-plain-loads=0 -mllvm -stmc-report 2>&1 | FileCheck %s --check-prefix=REPORT-OFF
// RUN: %stmcc -O0 %s -o %t0
// RUN: %run %t2 | FileCheck %s
// RUN: %run %t2off | FileCheck %s
// RUN: %run %t0 | FileCheck %s
// RUN: env STM_INJECT_ABORTS=5 %run %t2 | FileCheck %s
// REPORT: plain loads moved out of loops {{[1-9][0-9]*}})
// REPORT-OFF: plain loads moved out of loops 0)
// CHECK: empty: 0
// CHECK: swapping: 6002
// CHECK: rows: total right: yes, blocks checked: 6000, sums outside blocks right: yes
#include <stmc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define K 8
#define D 32
#define ROUNDS 3000

typedef long STM_HEAP *row_t;
static row_t *g_rows; /* plain memory: K heap rows */
static long g_d;      /* the rows' length, read as the loops' bound */
static long STM_HEAP *g_added; /* what the adders' blocks added */
static long g_total0;

__attribute__((noinline)) static long sum_row(long c)
{
    long s = 0;
    for (long j = 0; j < g_d; j++)
        s += g_rows[c][j];
    return s;
}

__attribute__((noinline)) static long sum_n(long c, long n)
{
    long s = 0;
    for (long j = 0; j < n; j++)
        s += g_rows[c][j];
    return s;
}

/* slot is &g_rows[c] (the compiler cannot tell): after j == 1 the loop reads the other row */
__attribute__((noinline)) static long sum_swapping(long c, row_t *slot, row_t other, long n)
{
    long s = 0;
    for (long j = 0; j < n; j++) {
        s += g_rows[c][j];
        if (j == 1)
            *slot = other;
    }
    return s;
}

static long total_in_block(void)
{
    long t = 0;
    STM_ATOMIC {
        t = 0;
        for (long c = 0; c < K; c++)
            for (long j = 0; j < g_d; j++)
                t += g_rows[c][j];
    }
    return t;
}

static long g_bad_total, g_checked, g_bad_outside;

static void *adder(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg + 1;
    for (int n = 0; n < ROUNDS; n++) {
        long c = rand_r(&seed) % K;
        long before = sum_row(c); /* outside blocks: an implicit transaction */
        if (before < 0)
            __atomic_add_fetch(&g_bad_outside, 1, __ATOMIC_RELAXED);
        STM_ATOMIC {
            for (long j = 0; j < g_d; j++)
                g_rows[c][j] += 1;
            *g_added += g_d;
        }
    }
    return NULL;
}

static void *mover(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    for (int n = 0; n < 2 * ROUNDS; n++) {
        long a = rand_r(&seed) % K, b = rand_r(&seed) % K, j = rand_r(&seed) % D;
        STM_ATOMIC {
            long v = g_rows[a][j] / 2;
            g_rows[a][j] -= v;
            g_rows[b][j] += v;
        }
        long t = 0, added = 0;
        STM_ATOMIC { /* one snapshot: the rows hold the first total plus what was added */
            t = 0;
            for (long c = 0; c < K; c++)
                for (long i = 0; i < g_d; i++)
                    t += g_rows[c][i];
            added = *g_added;
        }
        if (t != g_total0 + added)
            g_bad_total++;
        g_checked++;
    }
    return NULL;
}

int main(void)
{
    /* 1. a bound of 0 with no rows at all: the body's loads must not run */
    volatile long zero = 0; /* (not a constant that the compiler could give sum_n) */
    g_rows = NULL;
    printf("empty: %ld\n", sum_n(3, zero));

    g_d = D;
    g_rows = malloc(K * sizeof *g_rows);
    for (int c = 0; c < K; c++) {
        g_rows[c] = stm_alloc(D * sizeof(long));
        for (int j = 0; j < D; j++)
            g_rows[c][j] = c == 1 ? 1000 : 1;
    }
    /* 2. the slot changes inside the loop */
    row_t first = g_rows[0];
    printf("swapping: %ld\n", sum_swapping(0, &g_rows[0], g_rows[1], 8));
    g_rows[0] = first;

    g_added = stm_alloc(sizeof *g_added);
    g_total0 = total_in_block();
    pthread_t t[3];
    pthread_create(&t[0], NULL, adder, (void *)(uintptr_t)0);
    pthread_create(&t[1], NULL, adder, (void *)(uintptr_t)1);
    pthread_create(&t[2], NULL, mover, (void *)(uintptr_t)3);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    if (total_in_block() != g_total0 + 2L * ROUNDS * D)
        g_bad_total++;
    printf("rows: total right: %s, blocks checked: %ld, sums outside blocks right: %s\n",
           g_bad_total ? "no" : "yes", g_checked, g_bad_outside ? "no" : "yes");
    return 0;
}
