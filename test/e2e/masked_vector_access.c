// AVX-512's masked loads and stores, expanding loads and compressing stores on heap data in
// atomic blocks: two threads add to the same vectors, and every addition counts.  They had no
// barrier (llvm.masked.*, which the pass did not look at): the other thread saw none of the
// writes and an injected abort kept them (a review's program: 0 and 24128 where 16000 was
// due).  Lane 15 of the int vector is masked off and must stay 7.
// REQUIRES: stmc-runtime, avx512f
// RUN: %stmcc -O0 %s -o %t0
// RUN: %stmcc -O2 %s -o %t2
// RUN: %run %t0 | FileCheck %s
// RUN: %run %t2 | FileCheck %s
// RUN: env STM_INJECT_ABORTS=3 %run %t2 | FileCheck %s
// CHECK: ints 30000 (lane 15: 7), doubles 16000
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>

typedef int v16si __attribute__((vector_size(64)));
typedef double v8df __attribute__((vector_size(64)));
#define N 1000

static v16si STM_HEAP *ints;
static v8df STM_HEAP *dbls;

__attribute__((target("avx512f"))) static void add_once(void)
{
    const unsigned short m = 0x7fff; /* lanes 0-14 */
    v16si v = __builtin_ia32_loaddqusi512_mask((const int STM_HEAP *)ints, (v16si){0}, m);
    v += 1;
    __builtin_ia32_storedqusi512_mask((int STM_HEAP *)ints, v, m);
    v8df d = __builtin_ia32_expandloaddf512_mask((const v8df STM_HEAP *)dbls, (v8df){0}, 0xff);
    d += 1.0;
    __builtin_ia32_compressstoredf512_mask((v8df STM_HEAP *)dbls, d, 0xff);
}

static void *worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < N; i++)
        STM_ATOMIC { add_once(); }
    return NULL;
}

int main(void)
{
    ints = stm_alloc(sizeof *ints);
    dbls = stm_alloc(sizeof *dbls);
    STM_ATOMIC {
        for (int i = 0; i < 16; i++)
            (*ints)[i] = i == 15 ? 7 : 0;
    }
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    long isum = 0;
    double dsum = 0;
    int lane15 = 0;
    STM_ATOMIC {
        isum = 0;
        dsum = 0;
        for (int i = 0; i < 15; i++)
            isum += (*ints)[i];
        lane15 = (*ints)[15];
        for (int i = 0; i < 8; i++)
            dsum += (*dbls)[i];
    }
    printf("ints %ld (lane 15: %d), doubles %.0f\n", isum, lane15, dsum);
    return 0;
}
