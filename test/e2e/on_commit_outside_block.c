// Outside atomic blocks stm_on_commit runs its callback at once, and a callback that does I/O
// ends the implicit transaction: the writes after the call belong to a new one and need their
// own barriers.  The pass treated stm_on_commit as a call that cannot end a transaction and
// left out the barrier of a store to a granule written before it, and of a store to an object
// allocated before it: those writes were never published (another thread read 1 and 0 instead
// of 2 and 7, at -O1 and above).  The reader holds a segment of its own.
// REQUIRES: stmc-runtime
// RUN: %stmcc -O0 %s -o %t0 && %run %t0 2>/dev/null | FileCheck %s
// RUN: %stmcc -O2 %s -o %t2 && %run %t2 2>/dev/null | FileCheck %s
// CHECK: reader: h[0]=2 p[0]=7
#include <stmc.h>
#include <pthread.h>
#include <stdio.h>

static long STM_HEAP *STM_HEAP *root; /* root[0] = h, root[1] = p */
static int go, done;

static void log_cb(void *a) { fprintf(stderr, "log: %s\n", (const char *)a); }

static void *reader(void *arg)
{
    (void)arg;
    long x = 0, y = 0;
    STM_ATOMIC {
        x = root[0][0]; /* take a segment of its own */
    }
    while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
        ;
    STM_ATOMIC {
        x = root[0][0];
        y = root[1][0];
    }
    printf("reader: h[0]=%ld p[0]=%ld\n", x, y);
    fflush(stdout);
    __atomic_store_n(&done, 1, __ATOMIC_RELEASE);
    return (void *)(long)(x != 2 || y != 7);
}

__attribute__((noinline)) static void work(long STM_HEAP *h)
{
    h[0] = 1;                     /* implicit transaction */
    stm_on_commit(log_cb, "one"); /* runs now; its fprintf ends the implicit transaction */
    h[0] = 2;                     /* the same granule */
    long STM_HEAP *p = stm_alloc(16);
    root[1] = p;
    stm_on_commit(log_cb, "two");
    p[0] = 7;                     /* an object allocated before the call */
}

int main(void)
{
    root = stm_alloc(16);
    long STM_HEAP *h = stm_alloc(64);
    root[0] = h;
    pthread_t t;
    void *r;
    pthread_create(&t, NULL, reader, NULL);
    STM_ATOMIC {
        (void)root[0][0];
    }
    work(h);
    STM_ATOMIC {
        (void)root[0][0]; /* ends the implicit transaction */
    }
    __atomic_store_n(&go, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE))
        ;
    pthread_join(t, &r);
    return r != NULL;
}
