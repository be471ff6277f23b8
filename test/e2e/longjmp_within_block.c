// An interpreter's error handler: a nested block (a library helper's) left by longjmp to a
// setjmp inside the outer block, which then goes on and commits.  Nested blocks are part of
// the outermost one, so the STM build is right; the plain-C baseline (--no-stm) kept the
// nested block's level of its global lock for ever: stm_in_atomic() stayed true after the
// block, and with two threads the other's next block deadlocked (3 of 3; a review's find).
// Its ends now let go the levels of blocks entered after them and never left.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O2 %s -o %t && %run %t | FileCheck %s
// RUN: %stmcc --no-stm -O2 %s -o %tb && %run %tb | FileCheck %s
// RUN: %stmcc --no-stm -O0 %s -o %tb0 && %run %tb0 | FileCheck %s
// CHECK: v=40000 errors=20000, in a block after: 0
#include <stmc.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>

typedef STM_HEAP struct cell { long v, errors; } cell_t;
static cell_t *c;
static _Thread_local jmp_buf *handler;
static int in_after;

static long dict_get(long k)
{
    long r = 0;
    STM_ATOMIC {
        if (k < 0)
            longjmp(*handler, 1);
        r = c->v + k;
    }
    return r;
}

static void chunk(long i)
{
    STM_ATOMIC {
        jmp_buf jb;
        handler = &jb;
        if (setjmp(jb) == 0)
            c->v = dict_get(i % 3 == 0 ? -1 : 1);
        else
            c->errors++;
    }
}

static void *run(void *a)
{
    (void)a;
    for (long i = 0; i < 30000; i++)
        chunk(i);
    if (stm_in_atomic())
        __atomic_store_n(&in_after, 1, __ATOMIC_RELAXED);
    return NULL;
}

int main(void)
{
    c = stm_alloc(sizeof *c);
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, run, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("v=%ld errors=%ld, in a block after: %d\n", c->v, c->errors, in_after);
    return 0;
}
