// A loop with two exits that the pass's CFG simplification merges into one test (`while (i
// != c) { if (i == b) break; ... }`): its backedge-taken count is the smaller of the two
// distances (a umin), and the range barrier over `A[1000 - i]` must cover that many
// elements.  The count was widened to 64 bits by a same-width zero extension, which dropped
// the umin's other operand: with b behind a, or far ahead, the range became huge and the
// runtime stopped the program ("read of ... bytes ... is outside the STM heap"), though the
// loop reads ten elements (a review's find; for a global array since the plain-load hoist,
// for a parameter before).  In and outside an atomic block, at -O1 and -O2.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O1 %s -o %t1 && %run %t1 | FileCheck %s
// RUN: %stmcc -O2 %s -o %t2 && %run %t2 | FileCheck %s
// CHECK: outside: 9955 4965 9955 6979
// CHECK: param: 9955 4965 9955 6979
// CHECK: block: 9955 4965 9955 6979
#include <stmc.h>
#include <stdio.h>
#include <stdlib.h>

long STM_HEAP *A;

__attribute__((noinline)) long f(long a, long b, long c)
{
    long s = 0, i = a;
    while (i != c) {
        if (i == b)
            break;
        s += A[1000 - i];
        i++;
    }
    return s;
}

__attribute__((noinline)) long g(long STM_HEAP *p, long a, long b, long c)
{
    long s = 0, i = a;
    while (i != c) {
        if (i == b)
            break;
        s += p[1000 - i];
        i++;
    }
    return s;
}

int main(void)
{
    A = stm_alloc(2000 * sizeof(long));
    for (int j = 0; j < 2000; j++)
        A[j] = j;
    static const long args[4][3] = {{0, -5, 10}, {5, 0, 10}, {0, 100000, 10}, {0, 7, 10}};
    volatile long k0 = 0; /* (not constants the compiler could fold into f) */
    printf("outside:");
    for (int k = 0; k < 4; k++)
        printf(" %ld", f(args[k][0] + k0, args[k][1] + k0, args[k][2] + k0));
    printf("\nparam:");
    for (int k = 0; k < 4; k++)
        printf(" %ld", g(A, args[k][0] + k0, args[k][1] + k0, args[k][2] + k0));
    printf("\nblock:");
    for (int k = 0; k < 4; k++) {
        long r = 0;
        STM_ATOMIC { r = f(args[k][0] + k0, args[k][1] + k0, args[k][2] + k0); }
        printf(" %ld", r);
    }
    printf("\n");
    return 0;
}
