// A loop in an atomic block whose bound is a heap field (`i < v->n`) reads it again at each
// test, so its trip count is not computable; inside a block the snapshot does not change, so
// in a loop that writes no heap and calls nothing the load moves to the preheader
// (-stmc-hoist-block-loads) and the array's loads get one range barrier
// (-stmc-range-barriers).  A loop that also writes the heap moves it too where alias analysis
// shows no store of the loop changes it (-stmc-hoist-past-stores: `v->a[i] *= 2`, whose
// stores are all past v->n) and keeps it in the loop where one may (`out[i] = v->a[i]`, out
// another long pointer, maybe &v->n); so does the same loop outside a block (a safe point
// there may start a newer snapshot).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t -mllvm -stmc-report 2>&1 | FileCheck --check-prefix=ON %s
// RUN: %stmcc -O2 %s -o %t.off -mllvm -stmc-report -mllvm -stmc-hoist-block-loads=0 2>&1 | FileCheck --check-prefix=OFF %s
// RUN: %stmcc -O2 %s -o %t.nostores -mllvm -stmc-report -mllvm -stmc-hoist-past-stores=0 2>&1 | FileCheck --check-prefix=NOSTORES %s
// RUN: %run %t.nostores | FileCheck %s
// RUN: %run %t | FileCheck %s
// RUN: env STM_INJECT_ABORTS=2 %run %t | FileCheck %s
// RUN: %run %t.off | FileCheck %s
// (each state: and the copy's sum after its block, whose bound is a constant)
// ON:  ranged 3 (into 3 range barriers, 0 of them strided (0 by a stride known at run time), 0 at a loop-invariant address, 1 for writes; heap loads moved out of loops in blocks 2, past the loop's stores 1; plain loads moved out of loops 0)
// OFF: ranged 1 (into 1 range barriers, 0 of them strided (0 by a stride known at run time), 0 at a loop-invariant address, 0 for writes; heap loads moved out of loops in blocks 0, past the loop's stores 0; plain loads moved out of loops 0)
// NOSTORES: ranged 2 (into 2 range barriers, 0 of them strided (0 by a stride known at run time), 0 at a loop-invariant address, 0 for writes; heap loads moved out of loops in blocks 1, past the loop's stores 0; plain loads moved out of loops 0)
// CHECK: sum 4950, doubled 9900, outside 9900, copied 9900
#include <stmc.h>
#include <stdio.h>

typedef STM_HEAP struct {
    long n;
    long a[100];
} vec_t;

__attribute__((noinline)) static long sum(vec_t *v)
{
    long s = 0;
    STM_ATOMIC {
        s = 0;
        for (long i = 0; i < v->n; i++)
            s += v->a[i];
    }
    return s;
}

__attribute__((noinline)) static void twice(vec_t *v)
{
    STM_ATOMIC {
        for (long i = 0; i < v->n; i++) /* writes the heap, never v->n: the bound moves */
            v->a[i] *= 2;
    }
}

__attribute__((noinline)) static long copy(vec_t *v, long STM_HEAP *out)
{
    STM_ATOMIC {
        for (long i = 0; i < v->n; i++) /* out may be &v->n: nothing moves */
            out[i] = v->a[i];
    }
    long s = 0;
    for (long i = 0; i < 100; i++)
        s += out[i];
    return s;
}

__attribute__((noinline)) static long sum_outside(vec_t *v)
{
    long s = 0;
    for (long i = 0; i < v->n; i++) /* outside a block: nothing moves */
        s += v->a[i];
    return s;
}

int main(void)
{
    vec_t *v = stm_alloc(sizeof *v);
    v->n = 100;
    for (long i = 0; i < 100; i++)
        v->a[i] = i;
    long s = sum(v);
    twice(v);
    long d = sum(v), o = sum_outside(v);
    printf("sum %ld, doubled %ld, outside %ld, copied %ld\n", s, d, o,
           copy(v, stm_alloc(100 * sizeof(long))));
    return 0;
}
