// __builtin_setjmp returns a second time after the code in between may have ended the
// implicit transaction (here an external call, puts, before __builtin_longjmp): it is a
// boundary, so the store after it keeps its barrier.  Before, the intrinsic counted as no
// boundary (intrinsics call nothing), the barrier of `p->x = 2` was elided as covered by
// `p->x = 1`'s, and the store was never published: a reader saw x=1 (8 of 8 runs at
// -O1/-O2/-O3/-Os; a review's find).
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t2 && %run %t2 | FileCheck %s
// RUN: %stmcc -Os %s -o %ts && %run %ts | FileCheck %s
// RUN: %stmcc -O0 %s -o %t0 && %run %t0 | FileCheck %s
// CHECK: f
// CHECK: reader sees x=2
#include <stmc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

typedef STM_HEAP struct s { long x, y; } s_t;
static void *buf[5];
static s_t *g;
static atomic_int done, fin;

__attribute__((noinline)) static void f(void)
{
    puts("f"); /* ends the implicit transaction */
    __builtin_longjmp(buf, 1);
}

__attribute__((noinline)) void work(s_t *p)
{
    p->x = 1;
    if (__builtin_setjmp(buf)) {
        p->x = 2;
        return;
    }
    f();
}

static void *writer(void *a)
{
    (void)a;
    work(g);
    atomic_store(&done, 1);
    while (!atomic_load(&fin)) /* (an atomic load: the implicit transaction ends) */
        continue;
    return NULL;
}

static void *reader(void *a)
{
    (void)a;
    long x;
    STM_ATOMIC { x = g->x; }
    printf("reader sees x=%ld\n", x);
    return NULL;
}

int main(void)
{
    g = stm_alloc(sizeof *g);
    pthread_t w, r;
    pthread_create(&w, NULL, writer, NULL);
    while (!atomic_load(&done))
        continue;
    pthread_create(&r, NULL, reader, NULL);
    pthread_join(r, NULL);
    atomic_store(&fin, 1);
    pthread_join(w, NULL);
    return 0;
}
