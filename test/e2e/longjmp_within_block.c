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
// Under AddressSanitizer (its leak check): the baseline keeps no memory between blocks, also
// after blocks nested 40 deep ("deep": a longjmp from the innermost to a setjmp in the
// outermost); it kept an array per thread that entered a block (a review's find).
// RUN: %stmcc --no-stm -O1 -fsanitize=address %s -o %tasan && %run %tasan | FileCheck %s
// RUN: %run %tasan deep | FileCheck %s --check-prefix=DEEP
// RUN: %stmcc -O2 %s -o %t && %run %t deep | FileCheck %s --check-prefix=DEEP
// CHECK: v=40000 errors=20000, in a block after: 0
// DEEP: deep: errors 100, in a block after: 0
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

static void nest(int d, jmp_buf *jb)
{
    STM_ATOMIC {
        if (d == 0)
            longjmp(*jb, 1);
        nest(d - 1, jb);
    }
}

static void deep(void)
{
    for (int i = 0; i < 100; i++)
        STM_ATOMIC {
            jmp_buf jb;
            if (setjmp(jb) == 0)
                nest(40, &jb);
            else
                c->errors++;
        }
    printf("deep: errors %ld, in a block after: %d\n", c->errors, (int)stm_in_atomic());
}

int main(int argc, char **argv)
{
    c = stm_alloc(sizeof *c);
    if (argc > 1) {
        deep();
        return 0;
    }
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, run, NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("v=%ld errors=%ld, in a block after: %d\n", c->v, c->errors, in_after);
    return 0;
}
